/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_rtl.c - the "rtl" engine of the interop bridge: the Verilator
 * model of rtl/toe_top.v (sim/toe_sim.h) behind toe_simd_engine.h.
 *
 * Every command, event, connection read-out and statistic goes through
 * the engine's real host bridge (toe_sim_csr_*, which steps the clock
 * while the request and response bytes cross), exactly as the host
 * library does over a board's USB link. The register map is
 * docs/regmap.md.
 */
#include "toe_simd_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_sim.h"

/* Status polls of one command before giving up (each poll is one bridge
 * round trip, tens of cycles). */
#define CMD_POLLS 10000

struct rtl_engine {
	struct simd_engine head;
	struct toe_sim *s;
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

static int wr64(struct rtl_engine *te, uint32_t addr, uint64_t v)
{
	int rc = toe_sim_csr_write64(te->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "toe-simd: csr write64 0x%03x failed (%d)\n",
			addr, rc);
	return rc;
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

static uint32_t mac_hi(const uint8_t m[6])
{
	return (uint32_t)m[0] << 8 | m[1];
}

static uint32_t mac_lo(const uint8_t m[6])
{
	return (uint32_t)m[2] << 24 | (uint32_t)m[3] << 16 |
	       (uint32_t)m[4] << 8 | m[5];
}

/* Write the arguments, then CMD.OP; poll CMD_STATUS until BUSY is 0. */
static int rtl_command(struct simd_engine *e, int op, uint16_t lport,
		       uint32_t rip, uint16_t rport, const uint8_t *rmac,
		       int conn)
{
	struct rtl_engine *te = T(e);
	uint32_t st = 0, err;
	int rc = 0;

	switch (op) {
	case TOE_CMD_CONNECT:
		rc |= wr(te, TOE_REG_CMD_REMOTE_IP, rip);
		rc |= wr(te, TOE_REG_CMD_REMOTE_PORT, rport);
		rc |= wr(te, TOE_REG_CMD_REMOTE_MAC_HI, mac_hi(rmac));
		rc |= wr(te, TOE_REG_CMD_REMOTE_MAC_LO, mac_lo(rmac));
		/* fall through */
	case TOE_CMD_LISTEN:
	case TOE_CMD_UNLISTEN:
		rc |= wr(te, TOE_REG_CMD_LOCAL_PORT, lport);
		break;
	default:
		rc |= wr(te, TOE_REG_CMD_CONN, (uint32_t)conn);
	}
	rc |= wr(te, TOE_REG_CMD, (uint32_t)op << TOE_REG_CMD_OP_SHIFT);
	if (rc)
		return TOE_REF_EINVAL;
	for (int i = 0; i < CMD_POLLS; i++) {
		if (rd(te, TOE_REG_CMD_STATUS, &st) < 0)
			return TOE_REF_EINVAL;
		if (!(st & TOE_REG_CMD_STATUS_BUSY_MASK))
			break;
	}
	if (st & TOE_REG_CMD_STATUS_BUSY_MASK) {
		fprintf(stderr, "toe-simd: command %d still busy after %d "
			"polls\n", op, CMD_POLLS);
		return TOE_REF_EINVAL;
	}
	err = (st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT;
	if (err)
		return -(int)err;
	if (op == TOE_CMD_CONNECT)
		return (int)((st & TOE_REG_CMD_STATUS_RESULT_MASK) >>
			     TOE_REG_CMD_STATUS_RESULT_SHIFT);
	return 0;
}

static int rtl_pop_event(struct simd_engine *e, struct simd_event *ev)
{
	struct rtl_engine *te = T(e);
	uint32_t v, arg = 0;

	if (rd(te, TOE_REG_EV_POP, &v) < 0)
		return -1;
	if (!(v & TOE_REG_EV_POP_VALID_MASK))
		return 0;
	ev->type = (int)((v & TOE_REG_EV_POP_TYPE_MASK) >> TOE_REG_EV_POP_TYPE_SHIFT);
	ev->conn = (int)((v & TOE_REG_EV_POP_CONN_MASK) >> TOE_REG_EV_POP_CONN_SHIFT);
	if (ev->type == TOE_EV_RX_DATA && rd(te, TOE_REG_EV_ARG, &arg) < 0)
		return -1;
	ev->arg = arg;
	return 1;
}

static int rtl_conn_info(struct simd_engine *e, int conn,
			 struct toe_ref_conn_info *info)
{
	struct rtl_engine *te = T(e);
	uint32_t v[11];
	static const uint32_t regs[11] = {
		TOE_REG_CONN_STATE, TOE_REG_CONN_LOCAL_IP, TOE_REG_CONN_REMOTE_IP,
		TOE_REG_CONN_PORTS, TOE_REG_CONN_ISS, TOE_REG_CONN_IRS,
		TOE_REG_CONN_SND_UNA, TOE_REG_CONN_SND_NXT, TOE_REG_CONN_SND_WND,
		TOE_REG_CONN_RCV_NXT, TOE_REG_CONN_MSS,
	};

	memset(info, 0, sizeof(*info));
	if (wr(te, TOE_REG_CONN_SEL, (uint32_t)conn) < 0)
		return TOE_REF_EINVAL;
	for (int i = 0; i < 11; i++)
		if (rd(te, regs[i], &v[i]) < 0)
			return TOE_REF_EINVAL;
	info->state = (int)(v[0] & TOE_REG_CONN_STATE_STATE_MASK);
	info->passive = (v[0] & TOE_REG_CONN_STATE_PASSIVE_MASK) != 0;
	info->closed_by_user = (v[0] & TOE_REG_CONN_STATE_CLOSED_BY_USER_MASK) != 0;
	info->wr_shut = (v[0] & TOE_REG_CONN_STATE_WR_SHUT_MASK) != 0;
	info->retransmits = (v[0] & TOE_REG_CONN_STATE_RETRANSMITS_MASK) >>
			    TOE_REG_CONN_STATE_RETRANSMITS_SHIFT;
	info->local_ip = v[1];
	info->remote_ip = v[2];
	info->local_port = (uint16_t)(v[3] & TOE_REG_CONN_PORTS_LOCAL_MASK);
	info->remote_port = (uint16_t)((v[3] & TOE_REG_CONN_PORTS_REMOTE_MASK) >>
				       TOE_REG_CONN_PORTS_REMOTE_SHIFT);
	info->iss = v[4];
	info->irs = v[5];
	info->snd_una = v[6];
	info->snd_nxt = v[7];
	info->snd_wnd = v[8];
	info->rcv_nxt = v[9];
	info->peer_mss = (uint16_t)(v[10] & TOE_REG_CONN_MSS_PEER_MASK);
	info->eff_mss = (uint16_t)((v[10] & TOE_REG_CONN_MSS_EFF_MASK) >>
				   TOE_REG_CONN_MSS_EFF_SHIFT);
	return 0;
}

static int rtl_conn_state(struct simd_engine *e, int conn)
{
	struct rtl_engine *te = T(e);
	uint32_t v;

	if (wr(te, TOE_REG_CONN_SEL, (uint32_t)conn) < 0 ||
	    rd(te, TOE_REG_CONN_STATE, &v) < 0)
		return -1;
	return (int)(v & TOE_REG_CONN_STATE_STATE_MASK);
}

static int rtl_conn_count(struct simd_engine *e)
{
	struct rtl_engine *te = T(e);
	int n = 0;

	for (unsigned i = 0; i < e->max_conns; i++) {
		uint32_t v;

		if (wr(te, TOE_REG_CONN_SEL, i) < 0 ||
		    rd(te, TOE_REG_CONN_STATE, &v) < 0)
			return -1;
		if ((v & TOE_REG_CONN_STATE_STATE_MASK) != TOE_ST_CLOSED)
			n++;
	}
	return n;
}

static int rd64(struct rtl_engine *te, uint32_t addr, uint64_t *v)
{
	int rc = toe_sim_csr_read64(te->s, addr, v);

	if (rc < 0)
		fprintf(stderr, "toe-simd: csr read64 0x%03x failed (%d)\n",
			addr, rc);
	return rc;
}

static int rtl_stats(struct simd_engine *e, struct toe_ref_stats *st)
{
	struct rtl_engine *te = T(e);
	int rc = 0;

	memset(st, 0, sizeof(*st));
	rc |= rd64(te, TOE_REG_STAT_SEGS_IN, &st->segs_in);
	rc |= rd64(te, TOE_REG_STAT_SEGS_OUT, &st->segs_out);
	rc |= rd64(te, TOE_REG_STAT_RST_OUT, &st->rst_out);
	rc |= rd64(te, TOE_REG_STAT_CHALLENGE_ACKS, &st->challenge_acks);
	rc |= rd64(te, TOE_REG_STAT_CHALLENGE_ACKS_SUPPRESSED,
		   &st->challenge_acks_suppressed);
	rc |= rd64(te, TOE_REG_STAT_DROPPED, &st->dropped);
	rc |= rd64(te, TOE_REG_STAT_RX_BYTES, &st->rx_bytes);
	rc |= rd64(te, TOE_REG_STAT_RETRANSMITS, &st->retransmits);
	for (int i = 1; i < TOE_PERR_COUNT; i++)
		rc |= rd64(te, TOE_REG_STAT_PARSE_DROP(i), &st->parse_drops[i]);
	return rc ? -1 : 0;
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

	/* the same numbers the ref back end uses */
	simd_engine_ref_cfg(cfg, te->head.tick_hz, &rc);
	bad |= wr(te, TOE_REG_CTRL, 0);
	bad |= wr(te, TOE_REG_LOCAL_MAC_HI, mac_hi(cfg->mac));
	bad |= wr(te, TOE_REG_LOCAL_MAC_LO, mac_lo(cfg->mac));
	bad |= wr(te, TOE_REG_LOCAL_IP, cfg->ip);
	bad |= wr(te, TOE_REG_TICK_HZ, (uint32_t)rc.tick_hz);
	bad |= wr64(te, TOE_REG_RTO_INIT, rc.rto_init);
	bad |= wr64(te, TOE_REG_RTO_MAX, rc.rto_max);
	bad |= wr64(te, TOE_REG_SYN_GIVEUP, rc.syn_giveup);
	bad |= wr64(te, TOE_REG_SYNACK_GIVEUP, rc.synack_giveup);
	bad |= wr64(te, TOE_REG_FIN_GIVEUP, rc.fin_giveup);
	bad |= wr64(te, TOE_REG_MSL, rc.msl);
	bad |= wr64(te, TOE_REG_CHALLENGE_ACK_WINDOW, rc.challenge_ack_window);
	for (int i = 0; i < 4; i++)
		bad |= wr(te, TOE_REG_ISN_KEY(i),
			  (uint32_t)rc.isn_key[4 * i] |
			  (uint32_t)rc.isn_key[4 * i + 1] << 8 |
			  (uint32_t)rc.isn_key[4 * i + 2] << 16 |
			  (uint32_t)rc.isn_key[4 * i + 3] << 24);
	bad |= wr(te, TOE_REG_CTRL, TOE_REG_CTRL_ENABLE_MASK |
		  TOE_REG_CTRL_ARP_EN_MASK | TOE_REG_CTRL_PING_EN_MASK);
	if (bad) {
		snprintf(err, errlen, "configuring the engine through the "
			 "host bridge failed");
		rtl_free(&te->head);
		return NULL;
	}
	return &te->head;
}
