/* SPDX-License-Identifier: MIT */
/*
 * tcb_core_model.h - the toe_tcb_core RTL (connection table, TCBs, TCP state
 * machine, timers) as a C object, for cmocka tests and differential runs
 * against the reference stack.
 *
 * The model runs cycle by cycle inside these calls. Segments and commands
 * are queued and offered to the RTL on its valid/ready inputs; every
 * transmit descriptor, event, payload decision and command result the RTL
 * produces is collected, with the cycle it appeared in, and handed out by
 * the pop functions. Time (the RTL's `now` input) is set by the caller and
 * held: tm_set_now() changes it, nothing else does, so a test decides
 * whether the engine sees time pass.
 *
 * Built twice: N_CONN 1024 (default) and N_CONN 65536 (tcb_core_model_64k).
 */
#ifndef TOE_SIM_TCB_CORE_MODEL_H
#define TOE_SIM_TCB_CORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The configuration wires (struct toe_ref_cfg's fields, plus the MAC and
 * the table hash key). */
struct tm_cfg {
	uint32_t local_ip;
	uint64_t local_mac; /* 48 bits, byte 0 on the wire in bits 47:40 */
	uint16_t mtu, rcv_wnd, syn_wnd;
	uint8_t ttl;
	bool df;
	uint16_t ip_id_init, ip_id_step;
	uint64_t rto_init, rto_max, syn_giveup, synack_giveup, fin_giveup, msl;
	uint32_t ca_limit;
	uint64_t ca_window;
	uint32_t max_conns, max_listeners;
	uint8_t hash_key[16];
};

/* A parsed segment as toe_rx_parse hands it over, with the ISN of its
 * 4-tuple. */
struct tm_seg {
	uint64_t src_mac;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	bool mss_valid;
	uint16_t mss;
	uint16_t len;
	uint32_t isn;
};

/* A transmit descriptor. */
struct tm_tx {
	uint64_t dst_mac, src_mac;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	bool mss_valid;
	uint16_t mss;
	uint16_t ip_id;
	uint8_t ttl;
	bool df;
	int conn;       /* -1: a RST answering a segment without a TCB */
	uint64_t cycle; /* cycle it appeared on m_tx */
};

struct tm_ev {
	int type; /* TOE_EV_* */
	int conn;
	uint16_t arg; /* RX_DATA: bytes */
	uint64_t cycle;
};

/* Payload decision for one segment. */
struct tm_pl {
	bool deliver;
	int conn;
	uint16_t off, len;
	uint64_t cycle;
};

/* Per-connection read-out (toe_ref_conn_info's fields). */
struct tm_info {
	int state;
	bool passive, closed_by_user, wr_shut;
	uint16_t local_port, remote_port;
	uint32_t remote_ip;
	uint64_t remote_mac;
	uint32_t iss, irs, snd_una, snd_nxt, snd_wnd, max_snd_wnd, rcv_nxt;
	uint16_t peer_mss, eff_mss;
	uint32_t retransmits;
};

struct tm_stats {
	uint64_t segs_in, segs_out, rst_out, challenge_acks,
		challenge_acks_suppressed, dropped, rx_bytes, retransmits,
		table_full, timers_inline;
};

/* Fixture arguments (the fields toe_ref_fixture uses). */
struct tm_fixture {
	int state;
	uint16_t local_port, remote_port;
	uint32_t remote_ip;
	uint64_t remote_mac;
	uint32_t iss, irs, snd_una, snd_nxt, rcv_nxt;
	uint16_t snd_wnd, peer_mss;
	bool passive, closed_by_user, wr_shut;
};

/* Command ops: TOE_CMD_* of the register map, and the test-only fixture. */
#define TM_CMD_LISTEN 1
#define TM_CMD_UNLISTEN 2
#define TM_CMD_CONNECT 3
#define TM_CMD_CLOSE 4
#define TM_CMD_SHUTDOWN 5
#define TM_CMD_ABORT 6
#define TM_CMD_FIXTURE 7

/* The ISN unit for connect: returns the RFC 6528 ISN of the tuple. */
typedef uint32_t (*tm_isn_fn)(void *ctx, uint16_t local_port,
			      uint32_t remote_ip, uint16_t remote_port);

struct tcb_core_model;

/* A new model (registers randomised from seed), configured with *cfg, reset
 * and run until its tables are cleared. NULL on failure. */
struct tcb_core_model *tm_new(uint32_t seed, const struct tm_cfg *cfg);
void tm_free(struct tcb_core_model *m);
/* N_CONN the model was built with. */
unsigned tm_n_conn(void);

/* Inputs held until changed. */
void tm_set_now(struct tcb_core_model *m, uint64_t now);
uint64_t tm_now(const struct tcb_core_model *m);
void tm_set_rx_ready(struct tcb_core_model *m, bool ready);
/* Pin the ISN of the next connection created (cleared when the RTL
 * consumes it, as the CSR block does). */
void tm_pin_isn(struct tcb_core_model *m, uint32_t isn);
void tm_set_isn_fn(struct tcb_core_model *m, tm_isn_fn fn, void *ctx);
/* Output ready patterns: each of m_tx / m_ev / m_pl is ready with
 * probability pct/100 per cycle (100: always), from seed. */
void tm_set_backpressure(struct tcb_core_model *m, unsigned pct, uint32_t seed);

/* Run n cycles. */
void tm_run(struct tcb_core_model *m, unsigned n);
/* Offer a segment and run until the RTL took it. Returns the cycle. */
uint64_t tm_input(struct tcb_core_model *m, const struct tm_seg *s);
/* Run until nothing is in progress (sequencer idle, timer queue empty,
 * outputs drained) or max_cycles pass. true if settled. */
bool tm_settle(struct tcb_core_model *m, unsigned max_cycles);
/* Restart the timer scan at id 0 (in the first cycle with a new `now`:
 * call it right after tm_set_now, with the model settled), run one full
 * pass and settle: every timer due at the current time has then fired, in
 * id order. */
void tm_scan_pass(struct tcb_core_model *m);

/* Commands: run until the result. Return the connection id (>= 0) or the
 * error as the reference stack gives it (-TOE_CMD_* code, so -1 EINVAL ...
 * -7 ENOTSUP, matching enum toe_ref_err). */
int tm_cmd(struct tcb_core_model *m, int op, int conn, uint16_t local_port,
	   uint32_t remote_ip, uint16_t remote_port, uint64_t remote_mac);
int tm_listen(struct tcb_core_model *m, uint16_t port);
int tm_unlisten(struct tcb_core_model *m, uint16_t port);
int tm_connect(struct tcb_core_model *m, uint16_t local_port, uint32_t remote_ip,
	       uint16_t remote_port, uint64_t remote_mac);
int tm_close(struct tcb_core_model *m, int conn);
int tm_shutdown(struct tcb_core_model *m, int conn);
int tm_abort(struct tcb_core_model *m, int conn);
int tm_make_fixture(struct tcb_core_model *m, const struct tm_fixture *f);

/* Collected outputs, oldest first: 1 if one was returned. */
int tm_pop_tx(struct tcb_core_model *m, struct tm_tx *tx);
int tm_pop_ev(struct tcb_core_model *m, struct tm_ev *ev);
int tm_pop_pl(struct tcb_core_model *m, struct tm_pl *pl);
unsigned tm_tx_pending(const struct tcb_core_model *m);
unsigned tm_ev_pending(const struct tcb_core_model *m);

/* Read-out (runs the model a few cycles). 0, or -4 (ENOTCONN) for a free
 * id, as toe_ref_conn_info. */
int tm_get_info(struct tcb_core_model *m, int conn, struct tm_info *info);
void tm_get_stats(struct tcb_core_model *m, struct tm_stats *st);

uint64_t tm_cycles(const struct tcb_core_model *m);
uint32_t tm_scan_passes(const struct tcb_core_model *m);
/* Cycle the last segment was accepted in. */
uint64_t tm_last_seg_cycle(const struct tcb_core_model *m);

#ifdef __cplusplus
}
#endif

#endif
