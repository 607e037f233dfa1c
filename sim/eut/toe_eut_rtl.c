/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_rtl.c - the "rtl" engine under test: the Verilator model of
 * rtl/toe_top.v (sim/toe_sim.h) behind toe_eut.h.
 *
 * Frames go into the MAC receive stream and come out of the transmit
 * stream with the cycles of their first and last beat; payload comes from
 * the user stream. Every command, event, connection read-out and statistic
 * goes through the register driver (host/common/toe_drv.h) on the engine's
 * real host bridge (toe_sim_csr_*, which steps the clock while the request
 * and response bytes cross, sim/toe_sim_drv.h), as the host library does
 * over a board's USB link; the register map is docs/regmap.md. Everything
 * done through the bridge takes real cycles - tens of cycles per register
 * access - so it shows as a small delay on the engine's clock, as it would
 * on hardware.
 *
 * One tick is one clock cycle. toe-pkt sets TICK_HZ (250000 by default,
 * the lowest the ISN clock allows: one cycle is 4 us); toe-simd measures
 * the model's speed and paces engine seconds to wall seconds.
 */
#include "toe_eut_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
/* Polls of CMD_STATUS before a command is declared stuck (default). */
#define CMD_POLLS 1000

struct rtl_eut {
	struct toe_eut head;
	struct toe_sim *s;
	struct toe_drv d;   /* the register driver on s */
	const char *who;
	bool maybe_events;  /* own_bridge: the event FIFO may hold something */
	uint64_t ev_dropped;
	int err;            /* first bridge error, 0 if none */
	char errbuf[96];
	uint32_t hint_key[64], hint_id[64]; /* find(): tuple -> last id */
	bool exact;         /* idle time skipped with toe_sim_skip_idle */
	uint64_t skipped;   /* cycles skipped exactly */
	uint64_t skip_retry; /* no exact skip tried before this cycle */
};

static struct rtl_eut *T(const struct toe_eut *e)
{
	return (struct rtl_eut *)(uintptr_t)e;
}

/* Keep the first error of a driver call; r back. */
static int note(struct rtl_eut *te, int r)
{
	if (r == TOE_DRV_EBUS && !te->err)
		te->err = te->d.bus_err;
	else if (r < 0 && !te->err)
		te->err = -1002;
	return r;
}

/* A driver error, said once on stderr (its bus error with the register)
 * and kept. */
static int drv_fail(struct rtl_eut *te, int r, const char *what)
{
	if (r == TOE_DRV_EBUS)
		fprintf(stderr, "%s: %s: csr access 0x%03x failed (%d)\n",
			te->who, what, te->d.bus_addr, te->d.bus_err);
	else if (r < 0)
		fprintf(stderr, "%s: %s: %s\n", te->who, what,
			toe_drv_strerror(r));
	return note(te, r);
}

static uint32_t rd(struct rtl_eut *te, uint32_t addr)
{
	uint32_t v = 0;

	drv_fail(te, toe_drv_read32(&te->d, addr, &v), "register read");
	return v;
}

/* Words first .. first + n - 1 of the selected connection (0 on error). */
static int conn_rd(struct rtl_eut *te, unsigned first, unsigned n,
		   uint32_t w[TOE_DRV_CONN_WORDS])
{
	int r = drv_fail(te, toe_drv_conn_read(&te->d, first, n, w),
			 "connection read-out");

	if (r < 0)
		memset(w + first, 0, n * sizeof(w[0]));
	return r;
}

/* own_bridge: discard the EVENT notifications the bridge pushed; remember
 * that the FIFO has something. */
static void eat_notifications(struct rtl_eut *te)
{
	uint8_t b[256];
	uint64_t d = toe_sim_events_dropped(te->s);

	while (toe_sim_host_pending(te->s))
		if (toe_sim_host_read(te->s, b, sizeof(b)))
			te->maybe_events = true;
	if (d != te->ev_dropped) {
		te->ev_dropped = d;
		te->maybe_events = true;
	}
}

/* own_bridge: let injected frames and running commands work through the
 * engine. */
static void settle(struct rtl_eut *te)
{
	if (!te->head.cfg.own_bridge)
		return;
	toe_sim_run_until_idle(te->s, SETTLE_MAX);
	eat_notifications(te);
}

static void rtl_free(struct toe_eut *e)
{
	struct rtl_eut *te = T(e);

	if (te->s)
		toe_sim_destroy(te->s);
	free(te);
}

static const char *rtl_error(const struct toe_eut *e)
{
	struct rtl_eut *te = T(e);

	if (!te->err)
		return NULL;
	snprintf(te->errbuf, sizeof(te->errbuf), "host bridge error %d "
		 "(register access failed)", te->err);
	return te->errbuf;
}

static struct toe_sim *rtl_sim(struct toe_eut *e)
{
	return T(e)->s;
}

static uint64_t rtl_tick(const struct toe_eut *e)
{
	return toe_sim_cycle(T(e)->s);
}

static void rtl_step(struct toe_eut *e, uint64_t n)
{
	toe_sim_step(T(e)->s, n);
}

static void rtl_run(struct toe_eut *e, uint64_t target, unsigned stop,
		    uint64_t qc)
{
	struct rtl_eut *te = T(e);
	struct toe_sim *s = te->s;

	/* Without the exact skip: skip the quiet stretch at once when the
	 * simulation can (it ends at least 2 timer-scan passes before
	 * anything is expected, so a timer that came due inside it still
	 * shows - late, and as a failure - before the expected window). */
	if (!te->exact && toe_sim_warp && !e->cfg.no_skip &&
	    qc > toe_sim_cycle(s) + WARP_MIN && qc <= target &&
	    !toe_sim_tx_pending(s) && toe_sim_idle(s) &&
	    toe_sim_warp(s, qc - toe_sim_cycle(s)) == 0)
		e->skips += 1;
	while (toe_sim_cycle(s) < target) {
		uint64_t n = target - toe_sim_cycle(s);

		/* Idle with nothing waiting for the caller: skip what stepping
		 * would only have counted (by whole chunks, so the steps below
		 * keep their phase and the caller sees everything at the
		 * cycle it would have stepping). A wait for a segment that
		 * never comes costs a skip per armed timer, not an hour of
		 * cycles. */
		if (te->exact && toe_sim_cycle(s) >= te->skip_retry &&
		    !((stop & TOE_EUT_STOP_FRAME) && toe_sim_tx_pending(s)) &&
		    !((stop & TOE_EUT_STOP_EVENT) && toe_sim_host_pending(s)) &&
		    toe_sim_idle(s)) {
			int64_t k = toe_sim_skip_idle(s, n, STEP_CHUNK);

			if (k > 0) {
				te->skipped += (uint64_t)k;
				continue;
			}
			if (k < 0)
				te->exact = false; /* stepping from now on */
			else
				te->skip_retry = toe_sim_cycle(s) + SKIP_RETRY;
		}
		if (stop && n > STEP_CHUNK)
			n = STEP_CHUNK;
		toe_sim_step(s, n);
		if ((stop & TOE_EUT_STOP_FRAME) && toe_sim_tx_pending(s))
			return;
		if ((stop & TOE_EUT_STOP_EVENT) && toe_sim_host_pending(s)) {
			if (e->cfg.own_bridge)
				eat_notifications(te);
			return;
		}
	}
}

static bool rtl_busy(const struct toe_eut *e)
{
	return !toe_sim_idle(T(e)->s);
}

static int rtl_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	return toe_sim_push_frame(T(e)->s, buf, len, false) ? TOE_REF_EINVAL : 0;
}

static size_t rtl_rx_pending(const struct toe_eut *e)
{
	return toe_sim_rx_pending(T(e)->s);
}

static uint64_t rtl_rx_last_tick(const struct toe_eut *e)
{
	return toe_sim_rx_last_cycle(T(e)->s);
}

static size_t rtl_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last, bool *bad)
{
	return toe_sim_pop_frame(T(e)->s, buf, cap, first, last, bad);
}

static size_t rtl_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			      size_t cap)
{
	return toe_sim_pop_payload(T(e)->s, conn, buf, cap);
}

static size_t rtl_payload_pending(const struct toe_eut *e)
{
	return toe_sim_payload_pending(T(e)->s);
}

/* Arguments written, CMD.OP written, CMD_STATUS polled until BUSY is 0.
 * Returns RESULT (>= 0) or -ERR (a TOE_REF_* code). */
static int rtl_command(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		       uint16_t rport, const uint8_t *rmac, int conn)
{
	struct rtl_eut *te = T(e);
	struct toe_drv_cmd c = {
		.op = (unsigned)op,
		.args = toe_drv_cmd_args_of((unsigned)op),
		.local_port = lport,
		.remote_ip = rip,
		.remote_port = rport,
		.conn = (uint16_t)conn,
	};
	struct toe_drv_status st;
	int r;

	if (rmac)
		memcpy(c.remote_mac, rmac, 6);
	r = toe_drv_cmd_write_args(&te->d, &c);
	settle(te);
	if (r == 0)
		r = toe_drv_cmd_start(&te->d, c.op);
	if (r == 0)
		r = toe_drv_cmd_wait(&te->d, &st);
	settle(te);
	if (r == TOE_DRV_ETIMEDOUT) {
		fprintf(stderr, "%s: command %d still busy after %u polls\n",
			te->who, op, te->d.cmd_polls);
		if (!te->err)
			te->err = -1001;
		return TOE_REF_EINVAL;
	}
	if (drv_fail(te, r, "command") < 0 || (e->cfg.own_bridge && te->err))
		return TOE_REF_EINVAL;
	/* CMD_STATUS.ERR codes are the reference stack's errors negated */
	if (st.err)
		return -(int)st.err;
	return op == TOE_CMD_CONNECT ? (int)st.result : 0;
}

static int rtl_pop_event(struct toe_eut *e, struct toe_eut_event *ev)
{
	struct rtl_eut *te = T(e);
	struct toe_drv_event de;
	int r;

	if (e->cfg.own_bridge) {
		settle(te);
		if (!te->maybe_events)
			return 0;
	}
	/* EV_POP; EV_ARG (RX_DATA) read below, after the event's time */
	r = drv_fail(te, toe_drv_event_pop(&te->d, &de), "event pop");
	if (e->cfg.own_bridge) {
		eat_notifications(te);
		if (te->err || r <= 0) {
			te->maybe_events = false;
			/* a notification that came during that read is for
			 * later */
			eat_notifications(te);
			return 0;
		}
	}
	if (r <= 0)
		return r < 0 ? -1 : 0;
	ev->type = de.type;
	ev->conn = de.conn;
	ev->tick = toe_sim_cycle(te->s);
	ev->arg = 0;
	if (ev->type == TOE_EV_RX_DATA &&
	    drv_fail(te, toe_drv_event_arg(&te->d, &de), "event argument") == 0)
		ev->arg = de.arg;
	return 1;
}

#define W(reg) TOE_DRV_CONN_WORD(TOE_REG_##reg)

/* CONN_SEL = conn, then CONN_STATE alone: the state, or -1. */
static int state_of(struct rtl_eut *te, uint32_t conn,
		    uint32_t w[TOE_DRV_CONN_WORDS])
{
	struct toe_drv_conn c;

	memset(w, 0, TOE_DRV_CONN_WORDS * sizeof(w[0]));
	if (drv_fail(te, toe_drv_conn_select(&te->d, conn),
		     "connection select") < 0 ||
	    conn_rd(te, W(CONN_STATE), 1, w) < 0)
		return -1;
	toe_drv_conn_decode(w, 1, &c);
	return c.state;
}

static int rtl_conn_info(struct toe_eut *e, int conn,
			 struct toe_ref_conn_info *in, bool full)
{
	struct rtl_eut *te = T(e);
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	int st, r = 0;

	memset(in, 0, sizeof(*in));
	in->state = TOE_ST_CLOSED;
	if (conn < 0 || (uint32_t)conn >= e->max_conns)
		return TOE_REF_ENOTCONN;
	settle(te);
	st = state_of(te, (uint32_t)conn, w);
	if (st < 0 || st == TOE_ST_CLOSED)
		return TOE_REF_ENOTCONN;
	/* what is needed, in as few requests as the burst allows: the
	 * 4-tuple, and with full the sequence variables too (not the peer's
	 * MAC, which struct toe_ref_conn_info does not hold) */
	r |= conn_rd(te, W(CONN_REMOTE_IP), W(CONN_PORTS) - W(CONN_REMOTE_IP) + 1,
		     w);
	if (full) {
		r |= conn_rd(te, W(CONN_LOCAL_IP), 1, w);
		r |= conn_rd(te, W(CONN_ISS), W(CONN_RETRANSMITS) - W(CONN_ISS) + 1,
			     w);
		r |= conn_rd(te, W(CONN_MAX_SND_WND), 1, w);
	}
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	toe_drv_conn_to_ref(&c, in);
	if (full)
		in->rcv_wnd = e->cfg.rcv_wnd;
	else
		in->local_ip = e->cfg.local_ip;
	return r < 0 ? TOE_REF_ENOTCONN : 0;
}

static int rtl_conn_state(struct toe_eut *e, int conn)
{
	uint32_t w[TOE_DRV_CONN_WORDS];

	if (conn < 0)
		return -1;
	return state_of(T(e), (uint32_t)conn, w);
}

/* No lookup register. First the id this tuple had last time (a small
 * cache), then the ids in order: the engine hands out the lowest free id,
 * so a script's connections sit at the bottom of the table; the scan stops
 * after FIND_FREE_RUN free ids in a row (each id costs two register
 * accesses, about 60 cycles). */
#define FIND_FREE_RUN 8

static bool tuple_at(struct rtl_eut *te, uint32_t id, uint16_t lport,
		     uint32_t rip, uint16_t rport, bool *is_free)
{
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	int st = state_of(te, id, w);

	*is_free = st == TOE_ST_CLOSED;
	if (te->err || *is_free)
		return false;
	conn_rd(te, W(CONN_PORTS), 1, w);
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	if (c.local_port != lport || c.remote_port != rport)
		return false;
	conn_rd(te, W(CONN_REMOTE_IP), 1, w);
	return w[W(CONN_REMOTE_IP)] == rip;
}

#undef W

static int rtl_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport)
{
	struct rtl_eut *te = T(e);
	uint32_t key = (uint32_t)lport << 16 | rport, free_run = 0;
	unsigned slot = (key * 2654435761u) >> 26; /* 64 slots */
	bool is_free;

	settle(te);
	if (te->hint_key[slot] == key && te->hint_id[slot] < e->max_conns &&
	    tuple_at(te, te->hint_id[slot], lport, rip, rport, &is_free))
		return (int)te->hint_id[slot];
	for (uint32_t id = 0; id < e->max_conns && free_run < FIND_FREE_RUN;
	     id++) {
		if (tuple_at(te, id, lport, rip, rport, &is_free)) {
			te->hint_key[slot] = key;
			te->hint_id[slot] = id;
			return (int)id;
		}
		if (te->err)
			return -1;
		free_run = is_free ? free_run + 1 : 0;
	}
	return -1;
}

static int rtl_conn_count(struct toe_eut *e)
{
	int n = 0;

	for (unsigned i = 0; i < e->max_conns; i++) {
		int st = rtl_conn_state(e, (int)i);

		if (st < 0)
			return -1;
		if (st != TOE_ST_CLOSED)
			n++;
	}
	return n;
}

static int rtl_stats(struct toe_eut *e, struct toe_ref_stats *st)
{
	struct rtl_eut *te = T(e);

	return drv_fail(te, toe_drv_stats_read(&te->d, st), "statistics") < 0 ?
	       -1 : 0;
}

static int rtl_csr_read(struct toe_eut *e, uint32_t addr, uint32_t *v)
{
	int rc = toe_sim_csr_read(T(e)->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "%s: csr read 0x%03x failed (%d)\n", T(e)->who,
			addr, rc);
	return rc;
}

static int rtl_csr_write(struct toe_eut *e, uint32_t addr, uint32_t v)
{
	int rc = toe_sim_csr_write(T(e)->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "%s: csr write 0x%03x failed (%d)\n", T(e)->who,
			addr, rc);
	return rc;
}

static const struct toe_eut_ops rtl_ops = {
	.free = rtl_free,
	.error = rtl_error,
	.sim = rtl_sim,
	.tick = rtl_tick,
	.step = rtl_step,
	.run = rtl_run,
	.busy = rtl_busy,
	.push_frame = rtl_push_frame,
	.rx_pending = rtl_rx_pending,
	.rx_last_tick = rtl_rx_last_tick,
	.pop_frame = rtl_pop_frame,
	.pop_payload = rtl_pop_payload,
	.payload_pending = rtl_payload_pending,
	.command = rtl_command,
	.pop_event = rtl_pop_event,
	.conn_info = rtl_conn_info,
	.conn_state = rtl_conn_state,
	.find = rtl_find,
	.conn_count = rtl_conn_count,
	.stats = rtl_stats,
	.csr_read = rtl_csr_read,
	.csr_write = rtl_csr_write,
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The model's speed: step the idle engine for about 0.25 s of wall time.
 * An idle cycle costs about what a busy one does (Verilator evaluates the
 * whole design every cycle), so this is the rate the wire can count on.
 */
static double measure_rate(struct toe_sim *s)
{
	double t0 = mono_s(), dt;
	uint64_t c0 = toe_sim_cycle(s);

	do
		toe_sim_step(s, 10000);
	while ((dt = mono_s() - t0) < 0.25);
	return (double)(toe_sim_cycle(s) - c0) / dt;
}

bool toe_eut_have_rtl(void)
{
	return true;
}

struct toe_eut *toe_eut_rtl_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen)
{
	struct rtl_eut *te = calloc(1, sizeof(*te));
	struct toe_eut *e;
	struct toe_sim_opts o;
	struct toe_ref_cfg rc;
	struct toe_drv_cfg dc;
	uint32_t st = 0;
	uint64_t hz = cfg->tick_hz;

	if (!te) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e = &te->head;
	e->ops = &rtl_ops;
	e->cfg = *cfg;
	te->who = cfg->who ? cfg->who : "eut";
	memset(&o, 0, sizeof(o));
	o.seed = cfg->seed;
	o.pcap_path = cfg->pcap_path;
	o.fst_path = cfg->fst_path;
	o.clock_hz = hz;
	te->s = toe_sim_create(&o);
	if (!te->s) {
		snprintf(err, errlen, "cannot create the engine model "
			 "(toe_sim_create)");
		free(te);
		return NULL;
	}
	toe_sim_drv_init(&te->d, te->s, cfg->bridge_burst ? cfg->bridge_burst : 1);
	te->d.cmd_polls = cfg->cmd_polls ? cfg->cmd_polls : CMD_POLLS;
	te->d.ev_arg = TOE_DRV_EV_ARG_CALLER;
	/* the tables are cleared after reset (N_CONN cycles) */
	for (int i = 0; i < 200; i++) {
		st = rd(te, TOE_REG_STATUS);
		if (te->err || (st & TOE_REG_STATUS_READY_MASK))
			break;
		toe_sim_step(te->s, 1024);
	}
	if (!te->err && !(st & TOE_REG_STATUS_READY_MASK)) {
		snprintf(err, errlen, "engine not READY after reset");
		goto fail;
	}

	/* Time: TICK_HZ is what the engine believes a second is. toe-simd
	 * paces engine seconds to wall seconds, so TICK_HZ must be a rate
	 * the model sustains: half the measured speed leaves room for busy
	 * stretches and for the other work of the process. */
	if (cfg->measure_rate || !hz) {
		e->model_rate = measure_rate(te->s);
		if (!hz) {
			hz = (uint64_t)(e->model_rate * 0.5) / 250000 * 250000;
			if (hz < 250000)
				hz = 250000;
		}
	}
	e->tick_hz = hz;

	/* every register, CTRL (enabling) last */
	toe_eut_ref_cfg(cfg, hz, &rc);
	toe_drv_cfg_from_ref(&dc, &rc, cfg->local_mac, TOE_REG_CTRL_ENABLE_MASK |
			     TOE_REG_CTRL_ARP_EN_MASK | TOE_REG_CTRL_PING_EN_MASK);
	drv_fail(te, toe_drv_cfg_write(&te->d, &dc, TOE_DRV_CFG_ALL),
		 "configuration");
	/* the ISN clock restarts its division after a TICK_HZ write */
	for (int i = 0; i < 100; i++) {
		st = rd(te, TOE_REG_STATUS);
		if (te->err || (st & TOE_REG_STATUS_TICK_OK_MASK))
			break;
		toe_sim_step(te->s, 64);
	}
	e->max_conns = 1u << TOE_FIELD_GET(TOE_REG_BUILD_MISC_CONN_LOG2,
					   rd(te, TOE_REG_BUILD_MISC));
	if (te->err) {
		snprintf(err, errlen, "host bridge error %d while configuring",
			 te->err);
		goto fail;
	}
	if (!(st & TOE_REG_STATUS_TICK_OK_MASK)) {
		snprintf(err, errlen, "engine ISN clock not ready (TICK_OK)");
		goto fail;
	}
	settle(te);
	te->maybe_events = true;
	e->t0 = toe_sim_cycle(te->s);
	/* The timer scan reads one TCB per cycle: a timer fires up to one
	 * pass (N_CONN cycles) after its deadline, plus the wait in the
	 * 4-deep job queue; 2 * N_CONN + 8 cycles bound it
	 * (tests/rtl/test_rtl_tcb_core.c). */
	e->timer_slack = 2ull * e->max_conns + 8;
	te->exact = !cfg->no_skip && toe_sim_skip_idle && toe_sim_next_timer &&
		    toe_sim_next_timer(te->s, NULL) >= 0;
	snprintf(e->desc, sizeof(e->desc),
		 "engine (Verilator toe_top, %u connections, TICK_HZ %llu: "
		 "1 cycle = %.3g us, seed %u, idle time %s)", e->max_conns,
		 (unsigned long long)hz, 1e6 / (double)hz,
		 cfg->seed ? cfg->seed : 1,
		 te->exact ? "skipped exactly (toe_sim_skip_idle)" :
		 toe_sim_warp && !cfg->no_skip ? "skipped (toe_sim_warp)" :
		 "stepped");
	return e;
fail:
	toe_sim_destroy(te->s);
	free(te);
	return NULL;
}
