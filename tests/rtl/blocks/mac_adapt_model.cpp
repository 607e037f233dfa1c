// SPDX-License-Identifier: MIT
//
// mac_adapt_model.cpp - extern "C" wrapper around the Verilated
// fpga_mac_adapt.

#include <new>

#include "Vfpga_mac_adapt.h"
#include "mac_adapt_model.h"
#include "vblock.h"

struct fpga_mac_adapt_model {
	VBlock<Vfpga_mac_adapt> vb;
	explicit fpga_mac_adapt_model(uint32_t seed) : vb("fpga_mac_adapt", seed) {}
};

extern "C" struct fpga_mac_adapt_model *fpga_mac_adapt_model_new(uint32_t seed)
{
	return new (std::nothrow) fpga_mac_adapt_model(seed);
}

extern "C" void fpga_mac_adapt_model_free(struct fpga_mac_adapt_model *m)
{
	delete m;
}

extern "C" void fpga_mac_adapt_model_reset(struct fpga_mac_adapt_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void fpga_mac_adapt_model_drive(struct fpga_mac_adapt_model *m,
					   struct fpga_mac_adapt_io *io)
{
	Vfpga_mac_adapt *v = m->vb.m;
	v->rx_valid = io->rx_valid;
	v->rx_data = io->rx.data;
	v->rx_last = io->rx.last;
	v->rx_error = io->rx.error;
	v->m_axis_tready = io->m_tready;
	axis_drive(v, io->s_tvalid, &io->s);
	v->tx_ready = io->tx_ready;
	m->vb.settle();
	io->rx_ready = v->rx_ready;
	io->m_tvalid = axis_peek(v, &io->m);
	io->s_tready = v->s_axis_tready;
	io->tx_valid = v->tx_valid;
	io->tx.data = v->tx_data;
	io->tx.last = v->tx_last;
	io->tx.error = v->tx_error;
}

extern "C" void fpga_mac_adapt_model_tick(struct fpga_mac_adapt_model *m)
{
	m->vb.tick();
}
