/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_engine.h - one interface to "an engine with a MAC", for the
 * interop bridge, the demo and the interop tests. Two back ends:
 *
 *   rtl  the Verilator model of rtl/toe_top.v (sim/toe_sim.h); commands,
 *        events, connection read-out and statistics go through the real
 *        host bridge RTL (toe_sim_csr_*), payload comes from the model's
 *        user stream (toe_sim_pop_payload). Built only when libtoesim is.
 *   ref  a stand-in made of the C reference stack (toe_ref.h) and the
 *        ARP/ICMP reference (toe_l2.h), behind the same frame interface.
 *        Its ticks advance only when stepped, like the model's cycles.
 *
 * Time is the engine's cycle (= tick) count. Nothing happens unless the
 * caller steps; the rtl back end also steps while it talks to the bridge.
 * Configuration is applied at creation (TICK_HZ, MSL, ... in ticks) and the
 * engine is enabled; the caller then only issues commands.
 */
#ifndef TOE_SIMD_ENGINE_H
#define TOE_SIMD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_ref.h"

struct toe_sim;

enum simd_engine_kind {
	SIMD_ENGINE_RTL = 0,
	SIMD_ENGINE_REF = 1,
};

struct simd_engine_cfg {
	enum simd_engine_kind kind;
	uint8_t mac[6];
	uint32_t ip;
	/* TICK_HZ, a multiple of 250000; 0: rtl measures the model's speed
	 * and takes half of it (rounded down to 250 kHz, at least 250 kHz),
	 * ref takes 156.25 MHz (it costs nothing to step) */
	uint64_t tick_hz;
	uint64_t msl_ms;    /* MSL; TIME-WAIT is 2 MSL. 0: 30 s */
	uint64_t rto_ms;    /* first retransmission timeout; 0: 1 s */
	uint32_t seed;      /* rtl: Verilator's random init */
	const uint8_t *isn_key; /* 16 bytes; NULL: all zero */
	const char *fst_path;   /* rtl: waveform file, NULL: none */
};

struct simd_event {
	int type;     /* enum toe_ref_event_type (TOE_EV_*) */
	int conn;
	uint32_t arg; /* RX_DATA: bytes */
};

struct simd_engine;

/* Create, configure and enable. NULL with a message in err. */
struct simd_engine *simd_engine_new(const struct simd_engine_cfg *cfg,
				    char *err, size_t errlen);
void simd_engine_free(struct simd_engine *e);
/* Whether this build has the rtl back end. */
bool simd_engine_have_rtl(void);
const char *simd_engine_kind_name(enum simd_engine_kind k);
enum simd_engine_kind simd_engine_kind(const struct simd_engine *e);
/* The model, for the host bridge server (NULL for ref). */
struct toe_sim *simd_engine_sim(struct simd_engine *e);

/* ---- clock and frames ---- */
uint64_t simd_engine_cycle(const struct simd_engine *e);
uint64_t simd_engine_tick_hz(const struct simd_engine *e);
/* rtl: the model's speed measured at creation, cycles per wall second
 * (idle engine); ref: 0. */
double simd_engine_model_rate(const struct simd_engine *e);
void simd_engine_step(struct simd_engine *e, uint64_t n);
/* Frames or host bytes in flight inside the engine (stepping would make
 * progress without new input). */
bool simd_engine_busy(const struct simd_engine *e);
/* Queue a received frame (fed while stepping). 0 or -1. */
int simd_engine_push_frame(struct simd_engine *e, const uint8_t *buf,
			   size_t len);
/* Received frames not yet fully fed in. */
size_t simd_engine_rx_pending(const struct simd_engine *e);
/* Cycle of the last beat of the most recently fed frame. */
uint64_t simd_engine_rx_last_cycle(const struct simd_engine *e);
/* The oldest frame the engine sent: length (0: none); first/last beat. */
size_t simd_engine_pop_frame(struct simd_engine *e, uint8_t *buf, size_t cap,
			     uint64_t *first, uint64_t *last);
/* In-order payload: length (0: none), connection id. */
size_t simd_engine_pop_payload(struct simd_engine *e, uint16_t *conn,
			       uint8_t *buf, size_t cap);

/* ---- commands: 0 / a connection id, or a negative TOE_REF_E* code
 * (the rtl back end maps CMD_STATUS.ERR back; bridge failures give
 * TOE_REF_EINVAL with a message on stderr) ---- */
int simd_engine_listen(struct simd_engine *e, uint16_t port);
int simd_engine_unlisten(struct simd_engine *e, uint16_t port);
int simd_engine_connect(struct simd_engine *e, uint16_t lport, uint32_t rip,
			uint16_t rport, const uint8_t rmac[6]);
int simd_engine_close(struct simd_engine *e, int conn);
int simd_engine_shutdown(struct simd_engine *e, int conn);
int simd_engine_abort(struct simd_engine *e, int conn);

/* 1 and *ev if an event was waiting, 0 if none, < 0 bridge failure. */
int simd_engine_pop_event(struct simd_engine *e, struct simd_event *ev);
/* Connection read-out (CONN_*); a free id gives state CLOSED. */
int simd_engine_conn_info(struct simd_engine *e, int conn,
			  struct toe_ref_conn_info *info);
/* Just the state of a connection (cheaper than conn_info): enum
 * toe_tcp_state, CLOSED for a free id; < 0 bridge failure. */
int simd_engine_conn_state(struct simd_engine *e, int conn);
/* Connection table size (ids 0 .. n-1). */
unsigned simd_engine_max_conns(const struct simd_engine *e);
/* Connections in use: scans the table (rtl: one CONN_SEL per id). */
int simd_engine_conn_count(struct simd_engine *e);
int simd_engine_stats(struct simd_engine *e, struct toe_ref_stats *st);
/* Raw register access through the host bridge (rtl only; ref: -1). */
int simd_engine_csr_read(struct simd_engine *e, uint32_t addr, uint32_t *v);
int simd_engine_csr_write(struct simd_engine *e, uint32_t addr, uint32_t v);

/* ---- back ends ---- */
struct simd_engine_ops;
struct simd_engine *simd_engine_ref_new(const struct simd_engine_cfg *cfg,
					char *err, size_t errlen);
struct simd_engine *simd_engine_rtl_new(const struct simd_engine_cfg *cfg,
					char *err, size_t errlen);

#endif
