// SPDX-License-Identifier: MIT
//
// uart_model.cpp - extern "C" wrapper around the Verilated fpga_uart.

#include <new>

#include "Vfpga_uart.h"
#include "uart_model.h"
#include "vblock.h"

struct fpga_uart_model {
	VBlock<Vfpga_uart> vb;
	explicit fpga_uart_model(uint32_t seed) : vb("fpga_uart", seed) {}
};

extern "C" struct fpga_uart_model *fpga_uart_model_new(uint32_t seed)
{
	return new (std::nothrow) fpga_uart_model(seed);
}

extern "C" void fpga_uart_model_free(struct fpga_uart_model *m)
{
	delete m;
}

extern "C" void fpga_uart_model_reset(struct fpga_uart_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void fpga_uart_model_drive(struct fpga_uart_model *m, struct fpga_uart_io *io)
{
	Vfpga_uart *v = m->vb.m;
	v->rxd = io->rxd;
	v->m_ready = io->m_ready;
	v->s_valid = io->s_valid;
	v->s_data = io->s_data;
	m->vb.settle();
	io->txd = v->txd;
	io->m_valid = v->m_valid;
	io->m_data = v->m_data;
	io->s_ready = v->s_ready;
	io->frame_err = v->rx_frame_err;
	io->overrun = v->rx_overrun;
}

extern "C" void fpga_uart_model_tick(struct fpga_uart_model *m)
{
	m->vb.tick();
}
