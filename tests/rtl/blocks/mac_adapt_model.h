/* SPDX-License-Identifier: MIT */
/*
 * mac_adapt_model.h - the fpga_mac_adapt RTL (fpga/common/fpga_mac_adapt.v:
 * 8-bit MAC stream <-> 64-bit engine AXI4-Stream, both directions, one
 * clock) as a C object. See vblock.h for the timing convention.
 */
#ifndef TOE_SIM_MAC_ADAPT_MODEL_H
#define TOE_SIM_MAC_ADAPT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "axis_beat.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fpga_mac_adapt_model;

/* One byte of the MAC's 8-bit stream. */
struct mac_byte {
	uint8_t data;
	bool last;
	bool error;
};

/* The model's ports: rx = MAC -> engine (8 -> 64 bit), tx = engine -> MAC
 * (64 -> 8 bit). */
struct fpga_mac_adapt_io {
	/* inputs */
	bool rx_valid;
	struct mac_byte rx;
	bool m_tready;
	bool s_tvalid;
	struct toe_axis_beat s;
	bool tx_ready;
	/* outputs */
	bool rx_ready;
	bool m_tvalid;
	struct toe_axis_beat m;
	bool s_tready;
	bool tx_valid;
	struct mac_byte tx;
};

struct fpga_mac_adapt_model *fpga_mac_adapt_model_new(uint32_t seed);
void fpga_mac_adapt_model_free(struct fpga_mac_adapt_model *m);
void fpga_mac_adapt_model_reset(struct fpga_mac_adapt_model *m, unsigned n);
/* Set the inputs of *io, evaluate, and fill in its outputs. */
void fpga_mac_adapt_model_drive(struct fpga_mac_adapt_model *m,
				struct fpga_mac_adapt_io *io);
void fpga_mac_adapt_model_tick(struct fpga_mac_adapt_model *m);

#ifdef __cplusplus
}
#endif

#endif
