/* SPDX-License-Identifier: MIT */
/*
 * async_fifo_model.h - the fpga_async_fifo RTL (fpga/common/fpga_async_fifo.v,
 * Verilated with W 32, AW 4: 16 words, FRAME 1, DROP 0 or 1) as a C object
 * with two unrelated clocks. The test asks which clock rises next, sets the
 * inputs of that clock's side (drive: evaluate and read the outputs),
 * decides its handshakes, then makes the edge. Inputs of the other side
 * keep their values.
 */
#ifndef TOE_SIM_ASYNC_FIFO_MODEL_H
#define TOE_SIM_ASYNC_FIFO_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fpga_async_fifo_model;

enum fifo_clk { FIFO_WCLK = 1, FIFO_RCLK = 2 };

struct fpga_async_fifo_io {
	/* inputs: write side */
	bool s_valid;
	uint32_t s_data;
	bool s_last;
	/* inputs: read side */
	bool m_ready;
	/* outputs */
	bool s_ready;
	bool dropped;
	bool m_valid;
	uint32_t m_data;
	bool m_last;
};

/* A new model, registers randomised from seed, both resets held; the write
 * clock has period wper_ps and first rises at wphase_ps, the read clock
 * likewise. NULL on failure. */
struct fpga_async_fifo_model *fpga_async_fifo_model_new(uint32_t seed, unsigned wper_ps,
						      unsigned wphase_ps, unsigned rper_ps,
						      unsigned rphase_ps);
void fpga_async_fifo_model_free(struct fpga_async_fifo_model *m);
/* Hold both resets for n edges of each clock, then release them. */
void fpga_async_fifo_model_reset(struct fpga_async_fifo_model *m, unsigned n);
/* Which clock rises next (FIFO_WCLK when both rise together). */
enum fifo_clk fpga_async_fifo_model_next(const struct fpga_async_fifo_model *m);
/* Set the inputs, evaluate, fill in the outputs. */
void fpga_async_fifo_model_drive(struct fpga_async_fifo_model *m,
				 struct fpga_async_fifo_io *io);
/* Make the next rising edge (the one _next names). */
void fpga_async_fifo_model_edge(struct fpga_async_fifo_model *m);
/* Time of the last edge made, in ps. */
uint64_t fpga_async_fifo_model_time(const struct fpga_async_fifo_model *m);

#ifdef __cplusplus
}
#endif

#endif
