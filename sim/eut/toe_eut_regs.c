/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_regs.c - the register half of the engine-under-test back ends
 * that reach their engine through its host bridge (toe_eut_priv.h, struct
 * toe_eut_regs): the rtl back end (the Verilated toe_top's bridge RTL,
 * sim/toe_sim_drv.h) and the board back end (libtoe over a board's UART
 * pins). Every command, event, connection read-out and statistic goes
 * through the register driver (host/common/toe_drv.h) on the back end's
 * bus, as the host library does over a board's USB link; the register
 * map is docs/regmap.md. Everything done through the bridge takes real
 * cycles (tens per register access in the rtl model, about 5000 at
 * 3 Mbaud on a board), so it shows as a delay on the engine's clock, as
 * it would on hardware.
 */
#include "toe_eut_priv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "toe/toe_regs.h"

/* Polls of CMD_STATUS before a command is declared stuck (default). */
#define CMD_POLLS 1000

static struct toe_eut_regs *R(const struct toe_eut *e)
{
	return (struct toe_eut_regs *)(uintptr_t)e;
}

int toe_eut_regs_note(struct toe_eut_regs *r, int rc)
{
	if (rc == TOE_DRV_EBUS && !r->err)
		r->err = r->d.bus_err;
	else if (rc < 0 && !r->err)
		r->err = -1002;
	return rc;
}

int toe_eut_regs_fail(struct toe_eut_regs *r, int rc, const char *what)
{
	if (rc == TOE_DRV_EBUS)
		fprintf(stderr, "%s: %s: csr access 0x%03x failed (%d)\n",
			r->who, what, r->d.bus_addr, r->d.bus_err);
	else if (rc < 0)
		fprintf(stderr, "%s: %s: %s\n", r->who, what,
			toe_drv_strerror(rc));
	return toe_eut_regs_note(r, rc);
}

static uint32_t rd(struct toe_eut_regs *r, uint32_t addr)
{
	uint32_t v = 0;

	toe_eut_regs_fail(r, toe_drv_read32(&r->d, addr, &v), "register read");
	return v;
}

/* Words first .. first + n - 1 of the selected connection (0 on error). */
static int conn_rd(struct toe_eut_regs *r, unsigned first, unsigned n,
		   uint32_t w[TOE_DRV_CONN_WORDS])
{
	int rc = toe_eut_regs_fail(r, toe_drv_conn_read(&r->d, first, n, w),
				   "connection read-out");

	if (rc < 0)
		memset(w + first, 0, n * sizeof(w[0]));
	return rc;
}

/* own_bridge: let the engine work through what it was given. */
static void settle(struct toe_eut_regs *r)
{
	if (r->head.cfg.own_bridge && r->settle)
		r->settle(&r->head);
}

static void eat(struct toe_eut_regs *r)
{
	if (r->head.cfg.own_bridge && r->eat)
		r->eat(&r->head);
}

const char *toe_eut_regs_error(const struct toe_eut *e)
{
	struct toe_eut_regs *r = R(e);

	if (!r->err)
		return NULL;
	snprintf(r->errbuf, sizeof(r->errbuf), "host bridge error %d "
		 "(register access failed)", r->err);
	return r->errbuf;
}

/* Arguments written, CMD.OP written, CMD_STATUS polled until BUSY is 0.
 * Returns RESULT (>= 0) or -ERR (a TOE_REF_* code). */
int toe_eut_regs_command(struct toe_eut *e, int op, uint16_t lport,
			 uint32_t rip, uint16_t rport, const uint8_t *rmac,
			 int conn)
{
	struct toe_eut_regs *r = R(e);
	struct toe_drv_cmd c = {
		.op = (unsigned)op,
		.args = toe_drv_cmd_args_of((unsigned)op),
		.local_port = lport,
		.remote_ip = rip,
		.remote_port = rport,
		.conn = (uint16_t)conn,
	};
	struct toe_drv_status st;
	int rc;

	if (rmac)
		memcpy(c.remote_mac, rmac, 6);
	if (r->cmd_burst) {
		/* the arguments and CMD in as few requests as the burst
		 * allows (cmd_tick: their start) */
		rc = toe_drv_command(&r->d, &c, &st);
	} else {
		/* the steps apart (own_bridge: the engine settled between
		 * them); the reply latency counts from the CMD write */
		rc = toe_drv_cmd_write_args(&r->d, &c);
		settle(r);
		e->cmd_tick = e->ops->tick(e);
		if (rc == 0)
			rc = toe_drv_cmd_start(&r->d, c.op);
		if (rc == 0)
			rc = toe_drv_cmd_wait(&r->d, &st);
		settle(r);
	}
	if (rc == TOE_DRV_ETIMEDOUT) {
		fprintf(stderr, "%s: command %d still busy after %u polls\n",
			r->who, op, r->d.cmd_polls);
		if (!r->err)
			r->err = -1001;
		return TOE_REF_EINVAL;
	}
	if (toe_eut_regs_fail(r, rc, "command") < 0 ||
	    (e->cfg.own_bridge && r->err))
		return TOE_REF_EINVAL;
	/* CMD_STATUS.ERR codes are the reference stack's errors negated */
	if (st.err)
		return -(int)st.err;
	return op == TOE_CMD_CONNECT ? (int)st.result : 0;
}

int toe_eut_regs_pop_event(struct toe_eut *e, struct toe_eut_event *ev)
{
	struct toe_eut_regs *r = R(e);
	struct toe_drv_event de;
	int rc;

	if (e->cfg.own_bridge) {
		settle(r);
		if (!r->maybe_events)
			return 0;
	} else if (r->drained) {
		/* the last pop left the FIFO empty (its EV_COUNT): that ends
		 * the caller's loop without a read; the next call reads */
		r->drained = false;
		return 0;
	}
	/* EV_POP (with EV_ARG and EV_COUNT when the driver reads 2 or 3
	 * words); otherwise EV_ARG (RX_DATA) is read below, after the
	 * event's time */
	de.count = -1;
	rc = toe_eut_regs_fail(r, toe_drv_event_pop(&r->d, &de), "event pop");
	if (e->cfg.own_bridge) {
		eat(r);
		if (r->err || rc <= 0) {
			r->maybe_events = false;
			/* a notification that came during that read is for
			 * later */
			eat(r);
			return 0;
		}
	}
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	r->drained = !e->cfg.own_bridge && de.count == 0;
	ev->type = de.type;
	ev->conn = de.conn;
	ev->tick = e->ops->tick(e);
	ev->arg = 0;
	if (ev->type == TOE_EV_RX_DATA) {
		if (r->d.ev_words >= 2)
			ev->arg = de.arg;
		else if (toe_eut_regs_fail(r, toe_drv_event_arg(&r->d, &de),
					   "event argument") == 0)
			ev->arg = de.arg;
	}
	return 1;
}

#define W(reg) TOE_DRV_CONN_WORD(TOE_REG_##reg)

/* CONN_SEL = conn, then CONN_STATE alone: the state, or -1. */
static int state_of(struct toe_eut_regs *r, uint32_t conn,
		    uint32_t w[TOE_DRV_CONN_WORDS])
{
	struct toe_drv_conn c;

	memset(w, 0, TOE_DRV_CONN_WORDS * sizeof(w[0]));
	if (toe_eut_regs_fail(r, toe_drv_conn_select(&r->d, conn),
			      "connection select") < 0 ||
	    conn_rd(r, W(CONN_STATE), 1, w) < 0)
		return -1;
	toe_drv_conn_decode(w, 1, &c);
	return c.state;
}

int toe_eut_regs_conn_info(struct toe_eut *e, int conn,
			   struct toe_ref_conn_info *in, bool full)
{
	struct toe_eut_regs *r = R(e);
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	int st, rc = 0;

	memset(in, 0, sizeof(*in));
	in->state = TOE_ST_CLOSED;
	if (conn < 0 || (uint32_t)conn >= e->max_conns)
		return TOE_REF_ENOTCONN;
	settle(r);
	st = state_of(r, (uint32_t)conn, w);
	if (st < 0 || st == TOE_ST_CLOSED)
		return TOE_REF_ENOTCONN;
	/* what is needed, in as few requests as the burst allows: the
	 * 4-tuple, and with full the sequence variables too (not the peer's
	 * MAC, which struct toe_ref_conn_info does not hold) */
	rc |= conn_rd(r, W(CONN_REMOTE_IP), W(CONN_PORTS) - W(CONN_REMOTE_IP) + 1,
		      w);
	if (full) {
		rc |= conn_rd(r, W(CONN_LOCAL_IP), 1, w);
		rc |= conn_rd(r, W(CONN_ISS), W(CONN_RETRANSMITS) - W(CONN_ISS) + 1,
			      w);
		rc |= conn_rd(r, W(CONN_MAX_SND_WND), 1, w);
	}
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	toe_drv_conn_to_ref(&c, in);
	if (full)
		in->rcv_wnd = e->cfg.rcv_wnd;
	else
		in->local_ip = e->cfg.local_ip;
	return rc < 0 ? TOE_REF_ENOTCONN : 0;
}

int toe_eut_regs_conn_state(struct toe_eut *e, int conn)
{
	uint32_t w[TOE_DRV_CONN_WORDS];

	if (conn < 0)
		return -1;
	return state_of(R(e), (uint32_t)conn, w);
}

/* No lookup register. First the id this tuple had last time (a small
 * cache), then the ids in order: the engine hands out the lowest free id,
 * so a script's connections sit at the bottom of the table; the scan stops
 * after FIND_FREE_RUN free ids in a row (each id costs two register
 * accesses). */
#define FIND_FREE_RUN 8

static bool tuple_at(struct toe_eut_regs *r, uint32_t id, uint16_t lport,
		     uint32_t rip, uint16_t rport, bool *is_free)
{
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	int st = state_of(r, id, w);

	*is_free = st == TOE_ST_CLOSED;
	if (r->err || *is_free)
		return false;
	conn_rd(r, W(CONN_PORTS), 1, w);
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	if (c.local_port != lport || c.remote_port != rport)
		return false;
	conn_rd(r, W(CONN_REMOTE_IP), 1, w);
	return w[W(CONN_REMOTE_IP)] == rip;
}

#undef W

int toe_eut_regs_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		      uint16_t rport)
{
	struct toe_eut_regs *r = R(e);
	uint32_t key = (uint32_t)lport << 16 | rport, free_run = 0;
	unsigned slot = (key * 2654435761u) >> 26; /* 64 slots */
	bool is_free;

	settle(r);
	if (r->hint_key[slot] == key && r->hint_id[slot] < e->max_conns &&
	    tuple_at(r, r->hint_id[slot], lport, rip, rport, &is_free))
		return (int)r->hint_id[slot];
	for (uint32_t id = 0; id < e->max_conns && free_run < FIND_FREE_RUN;
	     id++) {
		if (tuple_at(r, id, lport, rip, rport, &is_free)) {
			r->hint_key[slot] = key;
			r->hint_id[slot] = id;
			return (int)id;
		}
		if (r->err)
			return -1;
		free_run = is_free ? free_run + 1 : 0;
	}
	return -1;
}

int toe_eut_regs_conn_count(struct toe_eut *e)
{
	int n = 0;

	for (unsigned i = 0; i < e->max_conns; i++) {
		int st = toe_eut_regs_conn_state(e, (int)i);

		if (st < 0)
			return -1;
		if (st != TOE_ST_CLOSED)
			n++;
	}
	return n;
}

int toe_eut_regs_stats(struct toe_eut *e, struct toe_ref_stats *st)
{
	struct toe_eut_regs *r = R(e);

	return toe_eut_regs_fail(r, toe_drv_stats_read(&r->d, st),
				 "statistics") < 0 ? -1 : 0;
}

/* Raw access: the bus's own error code on failure. */
int toe_eut_regs_csr_read(struct toe_eut *e, uint32_t addr, uint32_t *v)
{
	struct toe_eut_regs *r = R(e);
	int rc = toe_drv_read32(&r->d, addr, v);

	if (rc < 0) {
		fprintf(stderr, "%s: csr read 0x%03x failed (%d)\n", r->who,
			addr, r->d.bus_err);
		return rc == TOE_DRV_EBUS && r->d.bus_err < 0 ? r->d.bus_err : rc;
	}
	return 0;
}

int toe_eut_regs_csr_write(struct toe_eut *e, uint32_t addr, uint32_t v)
{
	struct toe_eut_regs *r = R(e);
	int rc = toe_drv_write32(&r->d, addr, v);

	if (rc < 0) {
		fprintf(stderr, "%s: csr write 0x%03x failed (%d)\n", r->who,
			addr, r->d.bus_err);
		return rc == TOE_DRV_EBUS && r->d.bus_err < 0 ? r->d.bus_err : rc;
	}
	return 0;
}

/* ---- start-up ---- */

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double toe_eut_measure_rate(struct toe_eut *e)
{
	double t0 = mono_s(), dt;
	uint64_t c0 = e->ops->tick(e);

	do
		e->ops->step(e, 10000);
	while ((dt = mono_s() - t0) < 0.25);
	return (double)(e->ops->tick(e) - c0) / dt;
}

int toe_eut_regs_start(struct toe_eut *e, char *err, size_t errlen)
{
	struct toe_eut_regs *r = R(e);
	const struct toe_eut_cfg *cfg = &e->cfg;
	struct toe_ref_cfg rc;
	struct toe_drv_cfg dc;
	uint32_t st = 0, build;
	uint64_t hz = cfg->tick_hz;

	r->who = cfg->who ? cfg->who : "eut";
	r->d.cmd_polls = cfg->cmd_polls ? cfg->cmd_polls : CMD_POLLS;
	/* the tables are cleared after reset (N_CONN cycles) */
	for (int i = 0; i < 200; i++) {
		st = rd(r, TOE_REG_STATUS);
		if (r->err || (st & TOE_REG_STATUS_READY_MASK))
			break;
		e->ops->step(e, 1024);
	}
	if (r->err) {
		snprintf(err, errlen, "host bridge error %d after reset", r->err);
		return -1;
	}
	if (!(st & TOE_REG_STATUS_READY_MASK)) {
		snprintf(err, errlen, "engine not READY after reset");
		return -1;
	}

	/* Time: TICK_HZ is what the engine believes a second is. toe-simd
	 * paces engine seconds to wall seconds, so TICK_HZ must be a rate
	 * the model sustains: half the measured speed leaves room for busy
	 * stretches and for the other work of the process. */
	if (cfg->measure_rate || !hz) {
		e->model_rate = toe_eut_measure_rate(e);
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
	if (cfg->max_conns)
		toe_eut_regs_fail(r, toe_drv_write32(&r->d, TOE_REG_MAX_CONNS,
						     cfg->max_conns),
				  "MAX_CONNS");
	toe_eut_regs_fail(r, toe_drv_cfg_write(&r->d, &dc, TOE_DRV_CFG_ALL),
			  "configuration");
	/* the ISN clock restarts its division after a TICK_HZ write */
	for (int i = 0; i < 100; i++) {
		st = rd(r, TOE_REG_STATUS);
		if (r->err || (st & TOE_REG_STATUS_TICK_OK_MASK))
			break;
		e->ops->step(e, 64);
	}
	build = 1u << TOE_FIELD_GET(TOE_REG_BUILD_MISC_CONN_LOG2,
				    rd(r, TOE_REG_BUILD_MISC));
	e->max_conns = cfg->max_conns && cfg->max_conns < build ?
		       cfg->max_conns : build;
	if (r->err) {
		snprintf(err, errlen, "host bridge error %d while configuring",
			 r->err);
		return -1;
	}
	if (!(st & TOE_REG_STATUS_TICK_OK_MASK)) {
		snprintf(err, errlen, "engine ISN clock not ready (TICK_OK)");
		return -1;
	}
	/* The timer scan reads one TCB per cycle over MAX_CONNS ids: a timer
	 * fires up to one pass after its deadline, plus the wait in the
	 * 4-deep job queue; 2 * MAX_CONNS + 8 cycles bound it
	 * (tests/rtl/test_rtl_tcb_core.c). */
	e->timer_slack = 2ull * e->max_conns + 8;
	return 0;
}
