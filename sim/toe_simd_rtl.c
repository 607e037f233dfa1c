/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_rtl.c - the "rtl" engine of the interop bridge: the Verilator
 * model of rtl/toe_top.v (sim/toe_sim.h) behind toe_simd_engine.h.
 *
 * Every command, event, connection read-out and statistic goes through
 * the register driver (host/common/toe_drv.h) on the engine's real host
 * bridge (toe_sim_csr_*, which steps the clock while the request and
 * response bytes cross, sim/toe_sim_drv.h), as the host library does over
 * a board's USB link. The register map is docs/regmap.md.
 */
#include "toe_simd_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_sim.h"
#include "toe_sim_drv.h"

/* Status polls of one command before giving up (each poll is one bridge
 * round trip, tens of cycles). */
#define CMD_POLLS 10000

struct rtl_engine {
	struct simd_engine head;
	struct toe_sim *s;
	struct toe_drv d;   /* the register driver on s */
};

static struct rtl_engine *T(const struct simd_engine *e)
{
	return (struct rtl_engine *)(uintptr_t)e;
}

static int wr(struct rtl_engine *te, uint32_t addr, uint32_t v)
{
	int rc = toe_sim_csr_write(te->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "toe-simd: csr write 0x%03x failed (%d)\n",
			addr, rc);
	return rc;
}

static int rd(struct rtl_engine *te, uint32_t addr, uint32_t *v)
{
	int rc = toe_sim_csr_read(te->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "toe-simd: csr read 0x%03x failed (%d)\n",
			addr, rc);
	return rc;
}

/* A driver error, said once (its bus error with the register). */
static int drv_fail(struct rtl_engine *te, int r, const char *what)
{
	if (r == TOE_DRV_EBUS)
		fprintf(stderr, "toe-simd: %s: csr access 0x%03x failed (%d)\n",
			what, te->d.bus_addr, te->d.bus_err);
	else if (r < 0)
		fprintf(stderr, "toe-simd: %s: %s\n", what, toe_drv_strerror(r));
	return r;
}

static void rtl_free(struct simd_engine *e)
{
	struct rtl_engine *te = T(e);

	if (te->s)
		toe_sim_destroy(te->s);
	free(te);
}

static struct toe_sim *rtl_sim(struct simd_engine *e)
{
	return T(e)->s;
}

static uint64_t rtl_cycle(const struct simd_engine *e)
{
	return toe_sim_cycle(T(e)->s);
}

static void rtl_step(struct simd_engine *e, uint64_t n)
{
	toe_sim_step(T(e)->s, n);
}

static bool rtl_busy(const struct simd_engine *e)
{
	return !toe_sim_idle(T(e)->s);
}

static int rtl_push_frame(struct simd_engine *e, const uint8_t *buf, size_t len)
{
	return toe_sim_push_frame(T(e)->s, buf, len, false) == 0 ? 0 : -1;
}

static size_t rtl_rx_pending(const struct simd_engine *e)
{
	return toe_sim_rx_pending(T(e)->s);
}

static uint64_t rtl_rx_last_cycle(const struct simd_engine *e)
{
	return toe_sim_rx_last_cycle(T(e)->s);
}

static size_t rtl_pop_frame(struct simd_engine *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last)
{
	return toe_sim_pop_frame(T(e)->s, buf, cap, first, last, NULL);
}

static size_t rtl_pop_payload(struct simd_engine *e, uint16_t *conn,
			      uint8_t *buf, size_t cap)
{
	return toe_sim_pop_payload(T(e)->s, conn, buf, cap);
}

/* Write the arguments, then CMD.OP; poll CMD_STATUS until BUSY is 0. */
static int rtl_command(struct simd_engine *e, int op, uint16_t lport,
		       uint32_t rip, uint16_t rport, const uint8_t *rmac,
		       int conn)
{
	struct rtl_engine *te = T(e);
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
	r = toe_drv_command(&te->d, &c, &st);
	if (r == TOE_DRV_ETIMEDOUT) {
		fprintf(stderr, "toe-simd: command %d still busy after %d "
			"polls\n", op, CMD_POLLS);
		return TOE_REF_EINVAL;
	}
	if (r < 0) {
		drv_fail(te, r, "command");
		return TOE_REF_EINVAL;
	}
	/* CMD_STATUS.ERR codes are the reference stack's errors negated */
	if (st.err)
		return -(int)st.err;
	if (op == TOE_CMD_CONNECT)
		return (int)st.result;
	return 0;
}

static int rtl_pop_event(struct simd_engine *e, struct simd_event *ev)
{
	struct rtl_engine *te = T(e);
	struct toe_drv_event de;
	int r = toe_drv_event_pop(&te->d, &de);

	if (r < 0) {
		drv_fail(te, r, "event pop");
		return -1;
	}
	if (r == 0)
		return 0;
	ev->type = de.type;
	ev->conn = de.conn;
	ev->arg = de.arg;
	return 1;
}

static int rtl_conn_info(struct simd_engine *e, int conn,
			 struct toe_ref_conn_info *info)
{
	struct rtl_engine *te = T(e);
	struct toe_drv_conn c;
	int r;

	memset(info, 0, sizeof(*info));
	if (conn < 0)
		return TOE_REF_EINVAL;
	r = toe_drv_conn_info(&te->d, (uint32_t)conn, TOE_DRV_CONN_WORDS, &c);
	if (r < 0) {
		drv_fail(te, r, "connection read-out");
		return TOE_REF_EINVAL;
	}
	toe_drv_conn_to_ref(&c, info);
	return 0;
}

/* CONN_SEL = conn, then CONN_STATE alone. */
static int conn_state_of(struct rtl_engine *te, uint32_t conn)
{
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	int r = toe_drv_conn_select(&te->d, conn);

	if (r == 0)
		r = toe_drv_conn_read(&te->d, 0, 1, w);
	if (r < 0) {
		drv_fail(te, r, "connection state");
		return -1;
	}
	toe_drv_conn_decode(w, 1, &c);
	return c.state;
}

static int rtl_conn_state(struct simd_engine *e, int conn)
{
	if (conn < 0)
		return -1;
	return conn_state_of(T(e), (uint32_t)conn);
}

static int rtl_conn_count(struct simd_engine *e)
{
	struct rtl_engine *te = T(e);
	int n = 0;

	for (unsigned i = 0; i < e->max_conns; i++) {
		int st = conn_state_of(te, i);

		if (st < 0)
			return -1;
		if (st != TOE_ST_CLOSED)
			n++;
	}
	return n;
}

static int rtl_stats(struct simd_engine *e, struct toe_ref_stats *st)
{
	struct rtl_engine *te = T(e);
	int r = toe_drv_stats_read(&te->d, st);

	if (r < 0) {
		drv_fail(te, r, "statistics");
		return -1;
	}
	return 0;
}

static int rtl_csr_read(struct simd_engine *e, uint32_t addr, uint32_t *v)
{
	return rd(T(e), addr, v);
}

static int rtl_csr_write(struct simd_engine *e, uint32_t addr, uint32_t v)
{
	return wr(T(e), addr, v);
}

static const struct simd_engine_ops rtl_ops = {
	.free = rtl_free,
	.sim = rtl_sim,
	.cycle = rtl_cycle,
	.step = rtl_step,
	.busy = rtl_busy,
	.push_frame = rtl_push_frame,
	.rx_pending = rtl_rx_pending,
	.rx_last_cycle = rtl_rx_last_cycle,
	.pop_frame = rtl_pop_frame,
	.pop_payload = rtl_pop_payload,
	.command = rtl_command,
	.pop_event = rtl_pop_event,
	.conn_info = rtl_conn_info,
	.conn_state = rtl_conn_state,
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

bool simd_engine_have_rtl(void)
{
	return true;
}

struct simd_engine *simd_engine_rtl_new(const struct simd_engine_cfg *cfg,
					char *err, size_t errlen)
{
	struct rtl_engine *te = calloc(1, sizeof(*te));
	struct toe_sim_opts so;
	struct toe_ref_cfg rc;
	struct toe_drv_cfg dc;
	uint32_t id = 0, bc = 0;
	int bad = 0;

	if (!te) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	te->head.ops = &rtl_ops;
	te->head.kind = SIMD_ENGINE_RTL;
	memset(&so, 0, sizeof(so));
	so.seed = cfg->seed;
	so.fst_path = cfg->fst_path;
	so.clock_hz = cfg->tick_hz;
	te->s = toe_sim_create(&so);
	if (!te->s) {
		snprintf(err, errlen, "cannot create the engine model "
			 "(toe_sim_create)");
		free(te);
		return NULL;
	}
	/* 64-bit registers and read-outs two words a request */
	toe_sim_drv_init(&te->d, te->s, 2);
	te->d.cmd_polls = CMD_POLLS;
	if (rd(te, TOE_REG_ID, &id) < 0 || id != TOE_REG_ID_RESET) {
		snprintf(err, errlen, "engine ID reads 0x%08x, expected "
			 "0x%08x", id, TOE_REG_ID_RESET);
		rtl_free(&te->head);
		return NULL;
	}
#ifdef TOE_REG_BUILD_MISC_CONN_LOG2_MASK
	rd(te, TOE_REG_BUILD_MISC, &bc);
	te->head.max_conns = 1u << ((bc & TOE_REG_BUILD_MISC_CONN_LOG2_MASK) >>
				    TOE_REG_BUILD_MISC_CONN_LOG2_SHIFT);
#else
	rd(te, TOE_REG_BUILD_CONN, &bc);
	te->head.max_conns = (bc & TOE_REG_BUILD_CONN_N_CONN_MASK) >>
			     TOE_REG_BUILD_CONN_N_CONN_SHIFT;
	if (te->head.max_conns == 0)
		te->head.max_conns = 65536; /* a 16-bit field reads 0 for 64K */
#endif

	/* Time: TICK_HZ is what the engine believes a second is. The wire
	 * paces engine seconds to wall seconds, so TICK_HZ must be a rate
	 * the model sustains: half the measured speed leaves room for busy
	 * stretches and for the other work of this process. */
	te->head.model_rate = measure_rate(te->s);
	te->head.tick_hz = cfg->tick_hz;
	if (!te->head.tick_hz) {
		uint64_t hz = (uint64_t)(te->head.model_rate * 0.5) /
			      250000 * 250000;

		te->head.tick_hz = hz < 250000 ? 250000 : hz;
	}

	/* the same numbers the ref back end uses, all of them: disabled,
	 * configured, enabled last */
	simd_engine_ref_cfg(cfg, te->head.tick_hz, &rc);
	toe_drv_cfg_from_ref(&dc, &rc, cfg->mac, TOE_REG_CTRL_ENABLE_MASK |
			     TOE_REG_CTRL_ARP_EN_MASK | TOE_REG_CTRL_PING_EN_MASK);
	dc.local_ip = cfg->ip;
	bad |= wr(te, TOE_REG_CTRL, 0) < 0;
	if (!bad)
		bad |= drv_fail(te, toe_drv_cfg_write(&te->d, &dc,
						      TOE_DRV_CFG_ALL),
				"configuration") < 0;
	if (bad) {
		snprintf(err, errlen, "configuring the engine through the "
			 "host bridge failed");
		rtl_free(&te->head);
		return NULL;
	}
	return &te->head;
}
