/* SPDX-License-Identifier: MIT */
/*
 * uart_model.h - the fpga_uart RTL (fpga/common/fpga_uart.v: receiver and
 * transmitter, 8N1, default CLK_HZ 60 MHz and BAUD 3 Mbaud) as a C
 * object: set the inputs, look at the outputs, step the clock. See
 * vblock.h for the timing convention.
 */
#ifndef TOE_SIM_UART_MODEL_H
#define TOE_SIM_UART_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fpga_uart_model;

/* The model's ports. */
struct fpga_uart_io {
	/* inputs */
	bool rxd;      /* serial line in (idle high) */
	bool m_ready;  /* the receiver's byte is taken */
	bool s_valid;  /* a byte to send */
	uint8_t s_data;
	/* outputs */
	bool txd;
	bool m_valid;
	uint8_t m_data;
	bool s_ready;
	bool frame_err;
	bool overrun;
};

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct fpga_uart_model *fpga_uart_model_new(uint32_t seed);
void fpga_uart_model_free(struct fpga_uart_model *m);
/* Hold rst for n cycles, then release it. */
void fpga_uart_model_reset(struct fpga_uart_model *m, unsigned n);
/* Set the inputs of *io, evaluate, and fill in its outputs. */
void fpga_uart_model_drive(struct fpga_uart_model *m, struct fpga_uart_io *io);
/* One rising clock edge. */
void fpga_uart_model_tick(struct fpga_uart_model *m);

#ifdef __cplusplus
}
#endif

#endif
