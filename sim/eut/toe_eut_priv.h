/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_priv.h - what the back ends of the engine under test
 * (toe_eut_rtl.c, toe_eut_ref.c, toe_eut_board.c) implement behind
 * toe_eut.h: a table of operations, the common head every back end's
 * handle starts with, and the register half the back ends that reach
 * their engine through its host bridge share (toe_eut_regs.c).
 */
#ifndef TOE_EUT_PRIV_H
#define TOE_EUT_PRIV_H

#include "toe_drv.h"
#include "toe_eut.h"

struct toe_eut_ops {
	void (*free)(struct toe_eut *e);
	const char *(*error)(const struct toe_eut *e);
	struct toe_sim *(*sim)(struct toe_eut *e);
	/* NULL: no host bridge (ref) */
	int (*bridge)(struct toe_eut *e, const struct toe_sim_engine **eng,
		      struct toe_sim **s);
	uint64_t (*tick)(const struct toe_eut *e);
	void (*step)(struct toe_eut *e, uint64_t n);
	void (*run)(struct toe_eut *e, uint64_t until, unsigned stop,
		    uint64_t quiet);
	bool (*busy)(const struct toe_eut *e);
	int (*push_frame)(struct toe_eut *e, const uint8_t *buf, size_t len);
	size_t (*rx_pending)(const struct toe_eut *e);
	uint64_t (*rx_last_tick)(const struct toe_eut *e);
	size_t (*pop_frame)(struct toe_eut *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last, bool *bad);
	size_t (*pop_payload)(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			      size_t cap);
	size_t (*payload_pending)(const struct toe_eut *e);
	/* op: TOE_CMD_* with its arguments; rmac never NULL for CONNECT */
	int (*command)(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		       uint16_t rport, const uint8_t *rmac, int conn);
	int (*pop_event)(struct toe_eut *e, struct toe_eut_event *ev);
	/* NULL: accepting is bookkeeping only (rtl, ref, board) */
	int (*accept)(struct toe_eut *e, int conn);
	/* NULL: payload comes as RX_DATA events (rtl, ref, board) */
	long (*recv)(struct toe_eut *e, int conn, uint8_t *buf, size_t cap);
	int (*conn_info)(struct toe_eut *e, int conn,
			 struct toe_ref_conn_info *info, bool full);
	int (*conn_state)(struct toe_eut *e, int conn);
	int (*find)(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport);
	int (*conn_count)(struct toe_eut *e);
	int (*stats)(struct toe_eut *e, struct toe_ref_stats *st);
	/* NULL: no registers (ref) */
	int (*csr_read)(struct toe_eut *e, uint32_t addr, uint32_t *v);
	int (*csr_write)(struct toe_eut *e, uint32_t addr, uint32_t v);
	/* NULL: no stated reply latency (board, linux) */
	int64_t (*reply_bound)(const struct toe_eut *e, int op,
			       const uint8_t *frame, size_t len);
};

struct toe_eut {
	const struct toe_eut_ops *ops;
	struct toe_eut_cfg cfg;  /* as given (tick_hz: as given) */
	uint64_t tick_hz;        /* in use */
	uint64_t t0;
	unsigned max_conns;
	double model_rate;
	uint64_t skips;          /* inexact skips of toe_eut_run */
	uint64_t timer_slack;
	/* the last command (toe_eut.c sets them before the back end runs
	 * it; a back end that writes it later moves cmd_tick there) */
	uint64_t cmd_count, cmd_tick;
	int cmd_op;
	char desc[192];
	void (*pump)(void *arg); /* toe_eut_set_pump */
	void *pump_arg;
};

/* The back ends' constructors (toe_eut_new checks the common part). */
struct toe_eut *toe_eut_ref_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen);
struct toe_eut *toe_eut_rtl_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen);
/* In the programs that link toe_eut_board.c (toe_eut.c refers to these
 * weakly: elsewhere there are no boards). */
struct toe_eut *toe_eut_board_new(const struct toe_eut_cfg *cfg, char *err,
				  size_t errlen);
const char *toe_eut_board_list(void);
/* In the programs that link toe_eut_linux.c (weak in toe_eut.c). */
struct toe_eut *toe_eut_linux_new(const struct toe_eut_cfg *cfg, char *err,
				  size_t errlen);

/*
 * The register half of a back end whose engine is reached through its
 * host bridge (rtl: the model's bridge RTL in this process; board: libtoe
 * over the board's UART pins). Commands, event pops, connection read-out,
 * statistics, raw register access and the configuration at start are the
 * register driver's (toe_drv.h) on the back end's bus, written once in
 * toe_eut_regs.c. Such a back end's handle starts with this struct, and
 * the functions below serve as its operations.
 */
struct toe_eut_regs {
	struct toe_eut head;
	struct toe_drv d;        /* the register driver on the back end's bus */
	const char *who;         /* prefix of messages on stderr */
	int err;                 /* first bridge error, 0 if none */
	char errbuf[96];
	uint32_t hint_key[64], hint_id[64]; /* find(): tuple -> last id */
	/* a command's arguments and CMD in one burst (toe_drv_command), not
	 * apart: fewer requests over a slow link (never with own_bridge) */
	bool cmd_burst;
	/* the last pop read EV_COUNT 0 (a driver reading 3 words at EV_POP):
	 * the next pop returns 0 without a read */
	bool drained;
	/* cfg.own_bridge only (else never called; the rtl back end): let
	 * injected frames and running commands work through the engine and
	 * drop the EVENT notifications the bridge pushed (settle), or only
	 * drop them (eat); either sets maybe_events when one came */
	void (*settle)(struct toe_eut *e);
	void (*eat)(struct toe_eut *e);
	bool maybe_events;       /* own_bridge: the event FIFO may hold some */
};

/* The engine's speed: the idle engine stepped for about 0.25 s of wall
 * time (an idle cycle costs what a busy one does in Verilator), in ticks
 * per wall second. */
double toe_eut_measure_rate(struct toe_eut *e);
/*
 * After reset: wait for STATUS.READY (stepping), choose TICK_HZ (cfg's,
 * or half the measured rate rounded down to 250 kHz, at least 250 kHz;
 * the rate is measured when cfg.measure_rate or no TICK_HZ is given),
 * write the whole configuration (CTRL enabling last), MAX_CONNS when
 * cfg.max_conns is set, wait for STATUS.TICK_OK, read the table size.
 * Sets head.tick_hz, model_rate, max_conns, timer_slack. 0, or -1 with
 * the reason in err.
 */
int toe_eut_regs_start(struct toe_eut *e, char *err, size_t errlen);
/* Keep the first error of a driver call (r back); the same, said once on
 * stderr with its register. */
int toe_eut_regs_note(struct toe_eut_regs *r, int rc);
int toe_eut_regs_fail(struct toe_eut_regs *r, int rc, const char *what);

/* Operations (struct toe_eut_ops) */
const char *toe_eut_regs_error(const struct toe_eut *e);
int toe_eut_regs_command(struct toe_eut *e, int op, uint16_t lport,
			 uint32_t rip, uint16_t rport, const uint8_t *rmac,
			 int conn);
int toe_eut_regs_pop_event(struct toe_eut *e, struct toe_eut_event *ev);
int toe_eut_regs_conn_info(struct toe_eut *e, int conn,
			   struct toe_ref_conn_info *info, bool full);
int toe_eut_regs_conn_state(struct toe_eut *e, int conn);
int toe_eut_regs_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		      uint16_t rport);
int toe_eut_regs_conn_count(struct toe_eut *e);
int toe_eut_regs_stats(struct toe_eut *e, struct toe_ref_stats *st);
int toe_eut_regs_csr_read(struct toe_eut *e, uint32_t addr, uint32_t *v);
int toe_eut_regs_csr_write(struct toe_eut *e, uint32_t addr, uint32_t v);

#endif
