/* SPDX-License-Identifier: MIT */
/*
 * bridge_model.h - the host bridge RTL (rtl/toe_host_bridge.v) with the
 * test CSR target (tests/rtl/toe_test_csr.v), top
 * tests/rtl/toe_test_bridge_top.v, as a C object: drive the byte streams
 * and the target's test controls, look at the handshakes, step the clock.
 * Every CSR access the target takes is logged, and the bridge's statistics
 * pulses are counted. See vblock.h for the timing convention.
 */
#ifndef TOE_SIM_BRIDGE_MODEL_H
#define TOE_SIM_BRIDGE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters the model is built with (toe_test_bridge_top's defaults). */
#define TOE_BRIDGE_MODEL_MAX_BURST 32u
#define TOE_BRIDGE_MODEL_TIMEOUT 1000u /* cycles */
#define TOE_BRIDGE_MODEL_EV_DEPTH 16u

struct toe_bridge_model;

/* Inputs for one cycle. */
struct toe_bridge_in {
	bool in_valid;     /* s_axis_tvalid */
	uint8_t in_data;   /* s_axis_tdata */
	bool out_ready;    /* m_axis_tready */
	bool csr_stall;    /* target: csr_ready low */
	bool csr_hold;     /* target: the response waits */
	bool ev_push;      /* target: push an event */
	uint8_t ev_type;
	uint16_t ev_conn;
	uint32_t ev_arg;
};

/* One CSR access as the target took it. */
struct toe_bridge_access {
	bool we;
	bool err;
	uint16_t addr;
	uint32_t data; /* written, or read */
	uint64_t cycle;
};

struct toe_bridge_stats {
	uint64_t frames, crc_err, oversize, timeout, replay;
};

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_bridge_model *toe_bridge_model_new(uint32_t seed);
void toe_bridge_model_free(struct toe_bridge_model *m);
/* Hold rst for n cycles, then release it. */
void toe_bridge_model_reset(struct toe_bridge_model *m, unsigned n);
/* Set the inputs and evaluate. */
void toe_bridge_model_drive(struct toe_bridge_model *m,
			    const struct toe_bridge_in *in);
/* s_axis_tready, after drive. */
bool toe_bridge_model_in_ready(const struct toe_bridge_model *m);
/* m_axis_tvalid; when set, *byte and *last get tdata and tlast. */
bool toe_bridge_model_out(const struct toe_bridge_model *m, uint8_t *byte,
			  bool *last);
/* The bridge offers a CSR access (csr_valid). */
bool toe_bridge_model_csr_busy(const struct toe_bridge_model *m);
/* Events in the target's FIFO. */
unsigned toe_bridge_model_ev_count(const struct toe_bridge_model *m);
/* One rising clock edge (logs the access taken, counts the pulses). */
void toe_bridge_model_tick(struct toe_bridge_model *m);
uint64_t toe_bridge_model_cycles(const struct toe_bridge_model *m);
/* The accesses taken so far (valid until the next tick). */
size_t toe_bridge_model_log(const struct toe_bridge_model *m,
			    const struct toe_bridge_access **log);
void toe_bridge_model_stats(const struct toe_bridge_model *m,
			    struct toe_bridge_stats *st);

#ifdef __cplusplus
}
#endif

#endif
