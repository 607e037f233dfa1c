/* SPDX-License-Identifier: MIT */
/*
 * txbuild_model.h - the toe_tx_build RTL (frame builder for payload-less
 * TCP segments) as a C object: drive a descriptor and the output ready,
 * read the frame stream, step the clock. See vblock.h for the timing
 * convention (drive, read, tick).
 */
#ifndef TOE_SIM_TXBUILD_MODEL_H
#define TOE_SIM_TXBUILD_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "axis_beat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The descriptor (s_hdr_*), numbers in host order. */
struct toe_txbuild_desc {
	uint8_t dst_mac[6], src_mac[6];
	uint32_t src_ip, dst_ip;
	uint16_t ip_id;
	uint8_t ttl, tos;
	bool df;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	bool mss_valid;
	uint16_t mss;
};

struct toe_txbuild_model;

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_txbuild_model *toe_txbuild_model_new(uint32_t seed);
void toe_txbuild_model_free(struct toe_txbuild_model *m);
/* Hold rst for n cycles, then release it. */
void toe_txbuild_model_reset(struct toe_txbuild_model *m, unsigned n);

/* Drive the descriptor (d may be NULL when valid is false) and
 * m_axis_tready, and evaluate. */
void toe_txbuild_model_drive(struct toe_txbuild_model *m, bool valid,
			     const struct toe_txbuild_desc *d, bool m_ready);
/* s_hdr_ready, after toe_txbuild_model_drive. */
bool toe_txbuild_model_s_ready(const struct toe_txbuild_model *m);
/* m_axis_tvalid; when set, *beat gets the beat. */
bool toe_txbuild_model_m_valid(const struct toe_txbuild_model *m,
			       struct toe_axis_beat *beat);
/* One rising clock edge. */
void toe_txbuild_model_tick(struct toe_txbuild_model *m);
/* Rising edges since the model was made. */
uint64_t toe_txbuild_model_cycles(const struct toe_txbuild_model *m);

#ifdef __cplusplus
}
#endif

#endif
