/* SPDX-License-Identifier: MIT */
/*
 * pkt_be_engine.c - toe-pkt back end for the engine: the Verilator model of
 * rtl/toe_top.v through sim/toe_sim.h. Frames go into the MAC receive
 * stream and come out of the transmit stream with the cycle of their first
 * beat; commands, events and the per-connection read-out go through the
 * register driver (host/common/toe_drv.h) on the real host bridge
 * (toe_sim_csr_*, sim/toe_sim_drv.h), one register a request, and the
 * register map (docs/regmap.md).
 *
 * Time: one tick is one clock cycle, and the runner sets TICK_HZ (default
 * 250000, the lowest the ISN clock allows: one cycle is 4 us, the RFC 6528
 * clock M advances by one every cycle). Script time t (us) is cycle
 * c0 + t * TICK_HZ / 1e6, c0 the cycle when the configuration was done.
 * Everything the runner does through the bridge (a command, an event pop,
 * a read-out) takes real cycles - tens of cycles per register access - so
 * it shows as a small delay on this clock, as it would on hardware.
 */
#include "pkt_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_sim.h"
#include "toe_sim_drv.h"
#include "toe/toe_regs.h"

/*
 * Optional in libtoesim: skip `ticks` cycles without clocking the model,
 * the engine's time (NOW, the ISN clock, toe_sim_cycle) jumping forward as
 * if that many idle cycles had passed; only when toe_sim_idle(); timers
 * that came due fire on the following cycles, as when the timer scan lags.
 * 0, or a negative errno. Used when the library has it (weak reference).
 */
extern int toe_sim_warp(struct toe_sim *s, uint64_t ticks) __attribute__((weak));
/*
 * Optional in libtoesim too: skip idle time exactly - only as far as
 * stepping would have changed nothing but the time (short of the next
 * timer deadline, whole timer-scan passes). Preferred: a run that skips
 * this way sees the same frames, cycles and events as one stepping every
 * cycle, so nothing needs a second run; -ENOSYS when the model does not
 * expose its timers (then the inexact warp above, or stepping).
 */
extern int64_t toe_sim_skip_idle(struct toe_sim *s, uint64_t max_ticks,
				 uint64_t unit) __attribute__((weak));
extern int toe_sim_next_timer(const struct toe_sim *s, uint64_t *cycle)
	__attribute__((weak));

/* Cycles stepped at once while watching for a frame or an event. */
#define STEP_CHUNK 8
/* Skips shorter than this are stepped (toe_sim_warp). */
#define WARP_MIN 4096
/* After an exact skip found no room (a timer due within a scan pass),
 * cycles stepped before it is tried again. */
#define SKIP_RETRY 1024
/* Cycles to let a frame or a command work through the engine. */
#define SETTLE_MAX 100000
/* Polls of CMD_STATUS before a command is declared stuck. */
#define CMD_POLLS 1000

struct engine {
	struct toe_sim *s;
	struct toe_drv d;   /* the register driver on s, one word a request */
	struct pkt_be_cfg cfg;
	uint64_t hz;
	uint64_t c0;        /* cycle of script time 0 */
	uint32_t n_conn;
	bool maybe_events;  /* the event FIFO may hold something */
	uint64_t ev_dropped;
	int err;            /* first bus error, 0 if none */
	char desc[192];
	uint32_t hint_key[64], hint_id[64]; /* find(): tuple -> last id */
	uint64_t warped;    /* inexact skips done (toe_sim_warp) */
	bool exact;         /* idle time skipped with toe_sim_skip_idle */
	uint64_t skipped;   /* cycles skipped exactly */
	uint64_t skip_retry; /* no exact skip tried before this cycle */
	uint8_t data[PKT_FRAME_MAX];
};

/* Keep the first bus error of a driver call; r back. */
static int note(struct engine *e, int r)
{
	if (r == TOE_DRV_EBUS && !e->err)
		e->err = e->d.bus_err;
	else if (r < 0 && !e->err)
		e->err = -1002;
	return r;
}

static uint32_t rd(struct engine *e, uint32_t addr)
{
	uint32_t v = 0;

	note(e, toe_drv_read32(&e->d, addr, &v));
	return v;
}

/* Words first .. first + n - 1 of the selected connection (0 on error). */
static void conn_rd(struct engine *e, unsigned first, unsigned n,
		    uint32_t w[TOE_DRV_CONN_WORDS])
{
	if (note(e, toe_drv_conn_read(&e->d, first, n, w)) < 0)
		memset(w + first, 0, n * sizeof(w[0]));
}

/* Discard the EVENT notifications the bridge pushed; remember that the
 * FIFO has something. */
static void eat_notifications(struct engine *e)
{
	uint8_t b[256];
	uint64_t d = toe_sim_events_dropped(e->s);

	while (toe_sim_host_pending(e->s))
		if (toe_sim_host_read(e->s, b, sizeof(b)))
			e->maybe_events = true;
	if (d != e->ev_dropped) {
		e->ev_dropped = d;
		e->maybe_events = true;
	}
}

/* Let injected frames and running commands work through the engine. */
static void settle(struct engine *e)
{
	toe_sim_run_until_idle(e->s, SETTLE_MAX);
	eat_notifications(e);
}

static void *e_create(const struct pkt_be_cfg *c, char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof(*e));
	struct toe_sim_opts o;
	struct toe_drv_cfg dc;
	uint32_t st = 0;
	uint64_t hz = c->tick_hz;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->cfg = *c;
	e->hz = hz;
	memset(&o, 0, sizeof(o));
	o.seed = c->seed;
	o.pcap_path = c->pcap_path;
	o.clock_hz = hz;
	e->s = toe_sim_create(&o);
	if (!e->s) {
		snprintf(err, errlen, "toe_sim_create failed");
		free(e);
		return NULL;
	}
	toe_sim_drv_init(&e->d, e->s, 1);
	e->d.cmd_polls = CMD_POLLS;
	e->d.ev_arg = TOE_DRV_EV_ARG_CALLER;
	/* the tables are cleared after reset (N_CONN cycles) */
	for (int i = 0; i < 200; i++) {
		st = rd(e, TOE_REG_STATUS);
		if (e->err || (st & TOE_REG_STATUS_READY_MASK))
			break;
		toe_sim_step(e->s, 1024);
	}
	if (!e->err && !(st & TOE_REG_STATUS_READY_MASK)) {
		snprintf(err, errlen, "engine not READY after reset");
		goto fail;
	}
	memset(&dc, 0, sizeof(dc));
	dc.ctrl = TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_ARP_EN_MASK |
		  TOE_REG_CTRL_PING_EN_MASK;
	memcpy(dc.mac, c->local_mac, 6);
	dc.local_ip = c->local_ip;
	dc.mtu = c->mtu;
	dc.rcv_wnd = c->rcv_wnd;
	dc.syn_wnd = c->syn_wnd;
	dc.ttl = c->ttl;
	dc.df = c->df;
	dc.ip_id_init = 0;
	dc.ip_id_step = 1;
	dc.tick_hz = (uint32_t)hz;
	dc.challenge_ack_limit = c->ca_limit;
	dc.rto_init = pkt_us_to_ticks(c->rto_init_us, hz);
	dc.rto_max = pkt_us_to_ticks(c->rto_max_us, hz);
	dc.syn_giveup = pkt_us_to_ticks(c->syn_giveup_us, hz);
	dc.synack_giveup = pkt_us_to_ticks(c->synack_giveup_us, hz);
	dc.fin_giveup = pkt_us_to_ticks(c->fin_giveup_us, hz);
	dc.msl = pkt_us_to_ticks(c->msl_us, hz);
	dc.challenge_ack_window = pkt_us_to_ticks(c->ca_window_us, hz);
	memcpy(dc.isn_key, c->isn_key, 16);
	/* every register, one a request, CTRL (enabling) last */
	note(e, toe_drv_cfg_write(&e->d, &dc, TOE_DRV_CFG_ALL));
	/* the ISN clock restarts its division after a TICK_HZ write */
	for (int i = 0; i < 100; i++) {
		st = rd(e, TOE_REG_STATUS);
		if (e->err || (st & TOE_REG_STATUS_TICK_OK_MASK))
			break;
		toe_sim_step(e->s, 64);
	}
	e->n_conn = 1u << ((rd(e, TOE_REG_BUILD_MISC) &
			    TOE_REG_BUILD_MISC_CONN_LOG2_MASK) >>
			   TOE_REG_BUILD_MISC_CONN_LOG2_SHIFT);
	if (e->err) {
		snprintf(err, errlen, "host bridge error %d while configuring",
			 e->err);
		goto fail;
	}
	if (!(st & TOE_REG_STATUS_TICK_OK_MASK)) {
		snprintf(err, errlen, "engine ISN clock not ready (TICK_OK)");
		goto fail;
	}
	settle(e);
	e->maybe_events = true;
	e->c0 = toe_sim_cycle(e->s);
	e->exact = !c->no_skip && toe_sim_skip_idle && toe_sim_next_timer &&
		   toe_sim_next_timer(e->s, NULL) >= 0;
	snprintf(e->desc, sizeof(e->desc),
		 "engine (Verilator toe_top, %u connections, TICK_HZ %llu: "
		 "1 cycle = %.3g us, seed %u, idle time %s)", e->n_conn,
		 (unsigned long long)hz, 1e6 / (double)hz, c->seed ? c->seed : 1,
		 e->exact ? "skipped exactly (toe_sim_skip_idle)" :
		 toe_sim_warp && !c->no_skip ? "skipped (toe_sim_warp)" : "stepped");
	return e;
fail:
	toe_sim_destroy(e->s);
	free(e);
	return NULL;
}

static void e_destroy(void *be)
{
	struct engine *e = be;

	toe_sim_destroy(e->s);
	free(e);
}

static const char *e_describe(void *be)
{
	return ((struct engine *)be)->desc;
}

static const char *e_error(void *be)
{
	struct engine *e = be;
	static char buf[96];

	if (!e->err)
		return NULL;
	snprintf(buf, sizeof(buf), "host bridge error %d (register access failed)",
		 e->err);
	return buf;
}

static uint64_t e_now(void *be)
{
	struct engine *e = be;

	return pkt_ticks_to_us(toe_sim_cycle(e->s) - e->c0, e->hz);
}

static void e_run(void *be, uint64_t until_us, unsigned stop, uint64_t quiet)
{
	struct engine *e = be;
	uint64_t target = e->c0 + pkt_us_to_ticks_ceil(until_us, e->hz);
	uint64_t qc = e->c0 + pkt_us_to_ticks(quiet, e->hz);

	/* Without the exact skip: skip the quiet stretch at once when the
	 * simulation can (it ends at least 2 timer-scan passes before
	 * anything is expected, so a timer that came due inside it still
	 * shows - late, and as a failure - before the expected window). */
	if (!e->exact && toe_sim_warp && !e->cfg.no_skip &&
	    qc > toe_sim_cycle(e->s) + WARP_MIN && qc <= target &&
	    !toe_sim_tx_pending(e->s) && toe_sim_idle(e->s) &&
	    toe_sim_warp(e->s, qc - toe_sim_cycle(e->s)) == 0)
		e->warped += 1;
	while (toe_sim_cycle(e->s) < target) {
		uint64_t n = target - toe_sim_cycle(e->s);

		/* Idle with nothing waiting for the caller: skip what stepping
		 * would only have counted (by whole chunks, so the steps below
		 * keep their phase and the runner sees everything at the
		 * cycle it would have stepping). A '*' line that waits for a
		 * segment that never comes costs a skip per armed timer, not
		 * an hour of cycles. */
		if (e->exact && toe_sim_cycle(e->s) >= e->skip_retry &&
		    !((stop & PKT_STOP_FRAME) && toe_sim_tx_pending(e->s)) &&
		    !((stop & PKT_STOP_EVENT) && toe_sim_host_pending(e->s)) &&
		    toe_sim_idle(e->s)) {
			int64_t k = toe_sim_skip_idle(e->s, n, STEP_CHUNK);

			if (k > 0) {
				e->skipped += (uint64_t)k;
				continue;
			}
			if (k < 0)
				e->exact = false; /* stepping from now on */
			else
				e->skip_retry = toe_sim_cycle(e->s) + SKIP_RETRY;
		}
		if (stop && n > STEP_CHUNK)
			n = STEP_CHUNK;
		toe_sim_step(e->s, n);
		if ((stop & PKT_STOP_FRAME) && toe_sim_tx_pending(e->s))
			return;
		if ((stop & PKT_STOP_EVENT) && toe_sim_host_pending(e->s)) {
			eat_notifications(e);
			return;
		}
	}
}

static int e_inject(void *be, const uint8_t *frame, size_t len)
{
	struct engine *e = be;

	return toe_sim_push_frame(e->s, frame, len, false) ? TOE_REF_EINVAL : 0;
}

static int e_pop_frame(void *be, struct pkt_frame *f)
{
	struct engine *e = be;
	uint64_t first = 0;
	bool bad = false;
	size_t n = toe_sim_pop_frame(e->s, f->buf, sizeof(f->buf), &first, NULL,
				     &bad);

	if (n == 0)
		return 0;
	f->len = n < sizeof(f->buf) ? n : sizeof(f->buf);
	f->bad = bad;
	f->t_us = pkt_ticks_to_us(first - e->c0, e->hz);
	return 1;
}

static int e_pop_event(void *be, struct pkt_bev *ev)
{
	struct engine *e = be;
	struct toe_drv_event de;
	int r;

	settle(e);
	if (!e->maybe_events)
		return 0;
	/* EV_POP; EV_ARG (RX_DATA) read below, after the event's time */
	r = note(e, toe_drv_event_pop(&e->d, &de));
	eat_notifications(e);
	if (e->err || r <= 0) {
		e->maybe_events = false;
		/* a notification that came during that read is for later */
		eat_notifications(e);
		return 0;
	}
	ev->type = de.type;
	ev->conn = de.conn;
	ev->t_us = e_now(e);
	ev->data = NULL;
	ev->len = 0;
	if (ev->type == TOE_EV_RX_DATA) {
		uint32_t len = note(e, toe_drv_event_arg(&e->d, &de)) < 0 ? 0 : de.arg;
		uint16_t conn = 0;
		size_t n;

		/* the payload leaves on the user stream; wait for it */
		for (int i = 0; i < 1000 && !toe_sim_payload_pending(e->s); i++)
			toe_sim_step(e->s, 16);
		n = toe_sim_pop_payload(e->s, &conn, e->data, sizeof(e->data));
		if (n != len || conn != ev->conn) {
			fprintf(stderr, "toe-pkt: engine: RX_DATA event of %u bytes "
				"for connection %d, user stream gave %zu bytes for "
				"connection %u\n", len, ev->conn, n, conn);
			if (!e->err)
				e->err = -1000;
		}
		ev->data = e->data;
		ev->len = (uint16_t)(n < sizeof(e->data) ? n : sizeof(e->data));
	}
	return 1;
}

/* Run a command: arguments written, OP written, CMD_STATUS polled. Returns
 * RESULT (>= 0) or -ERR (a TOE_REF_* code). */
static int command(struct engine *e, const struct toe_drv_cmd *c)
{
	struct toe_drv_status st;
	int r = note(e, toe_drv_cmd_write_args(&e->d, c));

	settle(e);
	if (r == 0)
		r = note(e, toe_drv_cmd_start(&e->d, c->op));
	if (r == 0)
		r = toe_drv_cmd_wait(&e->d, &st);
	settle(e);
	if (r == TOE_DRV_ETIMEDOUT) {
		fprintf(stderr, "toe-pkt: engine: command %u still busy\n", c->op);
		if (!e->err)
			e->err = -1001;
		return TOE_REF_EINVAL;
	}
	if (note(e, r) < 0 || e->err)
		return TOE_REF_EINVAL;
	/* CMD_STATUS.ERR codes are the reference stack's errors negated */
	if (st.err)
		return -(int)st.err;
	return (int)st.result;
}

static int e_listen(void *be, uint16_t port)
{
	struct toe_drv_cmd c = {
		.op = TOE_CMD_LISTEN,
		.args = TOE_DRV_ARG_LOCAL_PORT,
		.local_port = port,
	};
	int rc = command(be, &c);

	return rc < 0 ? rc : 0;
}

static int e_unlisten(void *be, uint16_t port)
{
	struct toe_drv_cmd c = {
		.op = TOE_CMD_UNLISTEN,
		.args = TOE_DRV_ARG_LOCAL_PORT,
		.local_port = port,
	};
	int rc = command(be, &c);

	return rc < 0 ? rc : 0;
}

static int e_connect(void *be, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct engine *e = be;
	struct toe_drv_cmd c = {
		.op = TOE_CMD_CONNECT,
		.args = toe_drv_cmd_args_of(TOE_CMD_CONNECT),
		.local_port = lport,
		.remote_ip = rip,
		.remote_port = rport,
	};

	memcpy(c.remote_mac, e->cfg.remote_mac, 6);
	return command(e, &c);
}

static int conn_cmd(struct engine *e, int conn, unsigned op)
{
	struct toe_drv_cmd c = {
		.op = op,
		.args = TOE_DRV_ARG_CONN,
		.conn = (uint16_t)conn,
	};
	int rc = command(e, &c);

	return rc < 0 ? rc : 0;
}

static int e_close(void *be, int conn)
{
	return conn_cmd(be, conn, TOE_CMD_CLOSE);
}

static int e_shutdown(void *be, int conn)
{
	return conn_cmd(be, conn, TOE_CMD_SHUTDOWN);
}

static int e_abort(void *be, int conn)
{
	return conn_cmd(be, conn, TOE_CMD_ABORT);
}

#define W(reg) TOE_DRV_CONN_WORD(TOE_REG_##reg)

static int e_info(void *be, int conn, struct toe_ref_conn_info *in, bool full)
{
	struct engine *e = be;
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;

	if (conn < 0 || (uint32_t)conn >= e->n_conn)
		return TOE_REF_ENOTCONN;
	settle(e);
	memset(w, 0, sizeof(w));
	note(e, toe_drv_conn_select(&e->d, (uint32_t)conn));
	conn_rd(e, W(CONN_STATE), 1, w);
	toe_drv_conn_decode(w, 1, &c);
	if (e->err || c.state == TOE_ST_CLOSED)
		return TOE_REF_ENOTCONN;
	/* what the runner needs, one register a request: the 4-tuple, and
	 * with full the sequence variables too (not the peer's MAC) */
	conn_rd(e, W(CONN_REMOTE_IP), W(CONN_PORTS) - W(CONN_REMOTE_IP) + 1, w);
	if (full) {
		conn_rd(e, W(CONN_LOCAL_IP), 1, w);
		conn_rd(e, W(CONN_ISS), W(CONN_RETRANSMITS) - W(CONN_ISS) + 1, w);
		conn_rd(e, W(CONN_MAX_SND_WND), 1, w);
	}
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	toe_drv_conn_to_ref(&c, in);
	if (!full) {
		in->local_ip = e->cfg.local_ip;
		return e->err ? TOE_REF_ENOTCONN : 0;
	}
	in->rcv_wnd = e->cfg.rcv_wnd;
	return e->err ? TOE_REF_ENOTCONN : 0;
}

/* No lookup register. First the id this tuple had last time (a small
 * cache), then the ids in order: the engine hands out the lowest free id,
 * so a script's connections sit at the bottom of the table; the scan stops
 * after FIND_FREE_RUN free ids in a row (each id costs two register
 * accesses, about 60 cycles). */
#define FIND_FREE_RUN 8

static bool tuple_at(struct engine *e, uint32_t id, uint16_t lport,
		     uint32_t rip, uint16_t rport, bool *is_free)
{
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;

	memset(w, 0, sizeof(w));
	note(e, toe_drv_conn_select(&e->d, id));
	conn_rd(e, W(CONN_STATE), 1, w);
	toe_drv_conn_decode(w, 1, &c);
	*is_free = c.state == TOE_ST_CLOSED;
	if (e->err || *is_free)
		return false;
	conn_rd(e, W(CONN_PORTS), 1, w);
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	if (c.local_port != lport || c.remote_port != rport)
		return false;
	conn_rd(e, W(CONN_REMOTE_IP), 1, w);
	return w[W(CONN_REMOTE_IP)] == rip;
}

#undef W

static int e_find(void *be, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct engine *e = be;
	uint32_t key = (uint32_t)lport << 16 | rport, free_run = 0;
	unsigned slot = (key * 2654435761u) >> 26; /* 64 slots */
	bool is_free;

	settle(e);
	if (e->hint_key[slot] == key && e->hint_id[slot] < e->n_conn &&
	    tuple_at(e, e->hint_id[slot], lport, rip, rport, &is_free))
		return (int)e->hint_id[slot];
	for (uint32_t id = 0; id < e->n_conn && free_run < FIND_FREE_RUN; id++) {
		if (tuple_at(e, id, lport, rip, rport, &is_free)) {
			e->hint_key[slot] = key;
			e->hint_id[slot] = id;
			return (int)id;
		}
		if (e->err)
			return -1;
		free_run = is_free ? free_run + 1 : 0;
	}
	return -1;
}

/* Only the inexact skips: the exact ones change nothing but the time. */
static uint64_t e_skips(void *be)
{
	return ((struct engine *)be)->warped;
}

/* The timer scan reads one TCB per cycle: a timer fires up to one pass
 * (N_CONN cycles) after its deadline, plus the wait in the 4-deep job
 * queue; 2 * N_CONN + 8 cycles bound it (tests/rtl/test_rtl_tcb_core.c). */
static uint64_t e_timer_slack(void *be)
{
	struct engine *e = be;

	return pkt_ticks_to_us(2ull * e->n_conn + 8, e->hz) + 1;
}

static const struct pkt_backend_ops ops = {
	.name = "engine",
	.default_tick_hz = 250000,
	.create = e_create,
	.destroy = e_destroy,
	.describe = e_describe,
	.error = e_error,
	.now = e_now,
	.run = e_run,
	.inject = e_inject,
	.pop_frame = e_pop_frame,
	.pop_event = e_pop_event,
	.listen = e_listen,
	.unlisten = e_unlisten,
	.connect = e_connect,
	.close = e_close,
	.shutdown = e_shutdown,
	.abort = e_abort,
	.info = e_info,
	.timer_slack_us = e_timer_slack,
	.skips = e_skips,
	.find = e_find,
};

const struct pkt_backend_ops *const pkt_be_engine = &ops;
