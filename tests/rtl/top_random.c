/* SPDX-License-Identifier: MIT */
/*
 * top_random.c - the randomized differential run of the whole engine
 * against the reference stack (top_random.h), through the harness of
 * top_dual.{h,c}; test_rtl_top_diff.c (and test_rtl_top_diff_64k.c, which
 * includes it) runs it as test_diff_random_1000_conns_100k_segments.
 *
 * One engine, one reference, a fixed seed (TOE_DIFF_SEED overrides it),
 * TOE_DIFF_SEGS TCP segments (100k by default):
 *  1. fill: 1000 connections, passive (SYNs with random option lists to
 *     six listening ports) and active (connect), handshakes completed,
 *     with other moves in between;
 *  2. churn around TOE_DIFF_LIVE live connections (TOP_RANDOM_LIVE): each
 *     step is the soonest (in the id phase the harness needs) of a new
 *     connection, the oldest handshakes waiting for their peer, and 32
 *     random moves on random (often recently moved) connections, each move
 *     drawn for the connection's state from the reference: valid traffic
 *     (data in and out of order, overlapping, duplicate, out of window;
 *     ACKs of every kind; FINs; closes, shutdowns, aborts), RSTs and SYNs
 *     in every state; 14% of the steps are frames for no connection
 *     (closed ports, listeners without SYN, malformed: truncated, bad
 *     checksums, data offsets, option lengths, fragments, not TCP, IPv4
 *     options, bad IP headers, another host's IP, MAC-bad frames; ARP and
 *     ICMP echo) or commands on free ids; 2% are a live connection's
 *     segment spoilt (truncated, a bad TCP or IP checksum, a bad data
 *     offset, or longer than the engine's payload buffer: cut and counted
 *     by the engine, not given to the reference, top_dual.h); now and then
 *     time jumps (timers fire anyway: RTO 16 passes) and user stream
 *     stalls;
 *  3. five times along the way: every connection brought to a state with
 *     no timer (handshakes completed, FINs ACKed, the rest aborted), all
 *     1024 connection slots read out and compared, counters compared.
 * Along the churn, on purpose (AIM_PCT of the steps try), stimuli aimed at
 * their own connection's timer (try_aim; top_dual.h, "Timers"): the next
 * deadline d in the reference if it is near (or a TIME-WAIT's expiry, the
 * generator notes when each ends), a move of its connection of one kind
 * (ACK, data, FIN, RST, a SYN on a TIME-WAIT connection, out of window;
 * close, shutdown, abort) reaching the core at one offset class (d - 1, d,
 * d + 1, d + 2 .. d + lag - 1, d + lag when the scan finds it, inside the
 * timer's job d + lag + 1 .. + TD_TMR_BUSY_DEL, later in its window up to
 * d + lag + TD_WIN). A connection such a move leaves with a timer off its
 * id phase is aborted at once (aim_fixup).
 * At the end: figures, the aimed stimuli by kind and offset, the reply
 * latencies by kind with their bounds, and a check that every kind of move
 * was made and enough aimed stimuli of every kind and every offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "frame_edit.h"
#include "toe_bytes.h"
#include "top_dual.h"
#include "top_random.h"
#include "test_rng.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define LOCAL IP4(10, 0, 0, 1) /* the engine's address (td_cfg_default) */
#define PASS 1024u             /* cycles in a timer-scan pass (td_pass) */

#define K_CAND 32          /* candidates per connection-bound stimulus */
#define RUN_EPOCHS 5       /* quiesce + full read-out this many times */

/* what each stimulus was, for the summary (and to show every kind ran) */
enum tag {
	/* SYN-SENT */
	G_SS_SYNACK, G_SS_BADACK, G_SS_RST_OK, G_SS_RST_NOACK, G_SS_RST_BADACK, G_SS_ACK,
	G_SS_SIMOPEN, G_SS_SYNACK_DATA,
	/* SYN-RECEIVED */
	G_SR_ACK, G_SR_BADACK, G_SR_RST, G_SR_RST_IN, G_SR_RST_OUT, G_SR_SYN, G_SR_FIN,
	G_SR_NOACK, G_SR_SIMOPEN,
	/* synchronized */
	G_E_DATA, G_E_OOO, G_E_OVERLAP, G_E_OLD, G_E_OOW, G_E_ACK, G_E_FIN, G_E_FIN_OOO,
	G_E_RST, G_E_RST_IN, G_E_RST_OUT, G_E_SYN, G_E_NOACK, G_E_MSSOPT,
	/* TIME-WAIT */
	G_TW_FIN, G_TW_RST, G_TW_SYN_NEW, G_TW_SYN_OLD, G_TW_SYNACK, G_TW_ACK, G_TW_ACK_BAD,
	G_TW_DATA,
	/* commands on connections */
	G_CLOSE, G_SHUT, G_ABORT, G_CONNECT, G_NEW_SYN, G_IPOPT_SYN,
	/* no connection */
	G_U_CLOSED, G_U_LISTEN, G_U_TRUNC, G_U_IPCSUM, G_U_TCPCSUM, G_U_DOFF, G_U_OPTLEN,
	G_U_FRAG, G_U_NONTCP, G_U_ICMP, G_U_ARP, G_U_WRONGIP, G_U_MACBAD, G_U_IPOPT,
	G_U_IPHDR, G_U_CMD_BAD, G_U_LISTEN_CMD, G_U_CONNECT_DUP,
	/* a live connection's segment, spoilt */
	G_C_TRUNC, G_C_TCPCSUM, G_C_IPCSUM, G_C_DOFF, G_C_TOOLONG,
	/* time and the user stream */
	G_WAIT, G_USER_STALL,
	G_COUNT
};

static const char *const tag_name[G_COUNT] = {
	"SYN-SENT: SYN-ACK", "SYN-SENT: SYN-ACK bad ACK", "SYN-SENT: RST,ACK",
	"SYN-SENT: RST no ACK", "SYN-SENT: RST bad ACK", "SYN-SENT: ACK",
	"SYN-SENT: SYN (simultaneous open)", "SYN-SENT: SYN-ACK with data/FIN",
	"SYN-RCVD: ACK", "SYN-RCVD: bad ACK", "SYN-RCVD: RST", "SYN-RCVD: RST in window",
	"SYN-RCVD: RST out of window", "SYN-RCVD: SYN again", "SYN-RCVD: FIN",
	"SYN-RCVD: no ACK", "SYN-RCVD: peer's SYN-ACK (simultaneous open)",
	"data in order", "data out of order", "data overlapping", "old duplicate",
	"data out of window", "ACK (any value)", "FIN", "FIN out of order", "RST at RCV.NXT",
	"RST in window", "RST out of window", "SYN / SYN-ACK", "no ACK flag", "MSS on non-SYN",
	"TIME-WAIT: FIN again", "TIME-WAIT: RST", "TIME-WAIT: new SYN", "TIME-WAIT: old SYN",
	"TIME-WAIT: SYN-ACK", "TIME-WAIT: ACK", "TIME-WAIT: bad ACK", "TIME-WAIT: data",
	"close", "shutdown", "abort", "connect", "SYN to a listener",
	"  of which with IPv4 options",
	"to a closed port", "to a listener (no SYN)", "truncated", "bad IP checksum",
	"bad TCP checksum", "bad data offset", "illegal option length", "fragment",
	"not TCP (UDP, IPv6, ...)", "ICMP", "ARP", "not our IP", "MAC bad frame",
	"IP options", "bad IP header", "command on a free id", "listen / unlisten",
	"connect to a tuple in use",
	"live conn.: truncated", "live conn.: bad TCP checksum", "live conn.: bad IP checksum",
	"live conn.: bad data offset", "live conn.: over the engine's max length",
	"time jump", "user stream stall",
};

/*
 * Stimuli aimed at their own connection's timer (top_dual.h, "Timers"):
 * the next deadline d in the reference, its connection p (a state with a
 * timer), a move of one of these kinds for p reaching the core at one of
 * these offsets from d (lag: the scanner's; the timer job holds the core
 * from d + lag + 1 for TD_TMR_BUSY_* cycles).
 */
enum aim_kind { K_ACK, K_DATA, K_FIN, K_RST, K_SYN_TW, K_OOW, K_CLOSE, K_SHUT, K_ABORT, K_COUNT };
enum aim_off {
	O_BEFORE,  /* d - 1: decided before the timer */
	O_AT,      /* d: the job runs the due timer first */
	O_PLUS1,   /* d + 1 */
	O_EARLY,   /* d + 2 .. d + lag - 1 */
	O_LAG,     /* d + lag: the cycle the scan finds it */
	O_JOB,     /* d + lag + 1 .. + TD_TMR_BUSY_DEL: the timer's job (it
		    * holds the core TD_TMR_BUSY_RTX or _DEL cycles) */
	O_WIN,     /* up to d + lag + TD_WIN: its outputs on the way */
	O_COUNT
};

static const char *const aim_kind_name[K_COUNT] = {
	"ACK", "data", "FIN", "RST", "SYN on TIME-WAIT", "out of window", "close", "shutdown",
	"abort",
};
static const char *const aim_off_name[O_COUNT] = {
	"d-1", "d", "d+1", "d+2..lag-1", "d+lag", "in job", "in window",
};

/* Aimed stimuli at least, per this many segments fed (from 20000 segments
 * on): for every offset class, for every kind (the 100k-segment run of the
 * default seed makes about three times as many, twice for the rarest kind,
 * a SYN on a TIME-WAIT connection). */
#define AIM_MIN_OFF_PER 1000
#define AIM_MIN_KIND_PER 2500
/* share of the steps that try to aim (percent; most find no deadline near
 * enough, a few are refused: another connection's timer near) */
#define AIM_PCT 15
/* how far ahead a deadline may lie to be aimed at (cycles): the run's
 * pace, about 150 cycles a stimulus, is kept */
#define AIM_AHEAD 400
#define AIM_AHEAD_TW (3 * PASS)

struct rnd {
	struct td *t;
	uint64_t aim[K_COUNT][O_COUNT]; /* aimed stimuli made */
	uint64_t aim_held;      /* ... of which decided late: the job held the core */
	uint64_t aim_refused, aim_fixup, aim_missed;
	uint64_t tw_dl[1024];   /* a TIME-WAIT connection's expiry, if known */
	uint64_t x;
	uint16_t lport[6];      /* ports with a listener */
	unsigned nlport;
	uint64_t segs;          /* TCP segments fed, good or malformed */
	uint64_t junk;          /* frames fed that the codec rejects */
	uint64_t kinds[G_COUNT];
	uint8_t data[K_CAND][1600];
	uint8_t opt[K_CAND][40];
	bool filling;           /* below the target: few moves that end one */
	int touched[64];        /* connections moved lately (a conversation */
	unsigned ntouched;      /* goes on: FIN-WAIT, TIME-WAIT, ...) */
	int hs[1024];           /* connections waiting for their peer to */
	unsigned hs_head, hs_n; /* complete the handshake, oldest first */
	uint32_t last_rip;
};

static uint64_t rn(struct rnd *r)
{
	return rng_next(&r->x);
}

static uint32_t rr(struct rnd *r, uint32_t n)
{
	return (uint32_t)(rn(r) % n);
}

static bool chance(struct rnd *r, unsigned pct)
{
	return rr(r, 100) < pct;
}

enum act_kind { A_SEG, A_CONNECT, A_CLOSE, A_SHUT, A_ABORT };

struct act {
	int kind;
	int id;       /* the connection it concerns, -1 none */
	int tag;
	struct toe_seg seg;
	uint16_t lport, rport;
	uint32_t rip;
	bool ipopt;   /* A_SEG: sent with 4 bytes of IPv4 options (IHL 6) */
};

static bool is_lport(const struct rnd *r, uint16_t p)
{
	unsigned i;

	for (i = 0; i < r->nlport; i++)
		if (r->lport[i] == p)
			return true;
	return false;
}

static uint32_t rnd_peer_ip(struct rnd *r)
{
	return IP4(10, 1 + rr(r, 3), rr(r, 256), 1 + rr(r, 254));
}

static uint16_t rnd_high_port(struct rnd *r)
{
	return (uint16_t)(1024 + rr(r, 64000));
}

/* A closed port: no listener there (the tuple is new with high odds). */
static uint16_t rnd_closed_port(struct rnd *r)
{
	uint16_t p;

	do
		p = (uint16_t)(1 + rr(r, 1023));
	while (is_lport(r, p));
	return p;
}

static uint16_t rnd_win(struct rnd *r)
{
	switch (rr(r, 10)) {
	case 0:
		return 0;
	case 1:
		return (uint16_t)rr(r, 1000);
	case 2:
		return 65535;
	default:
		return (uint16_t)(4096 + rr(r, 60000));
	}
}

static uint16_t rnd_mss(struct rnd *r)
{
	switch (rr(r, 20)) {
	case 0:
		return 0;
	case 1:
		return (uint16_t)(1 + rr(r, 87));
	case 2:
	case 3:
		return (uint16_t)(88 + rr(r, 448));
	case 4:
	case 5:
	case 6:
	case 7:
		return (uint16_t)(1461 + rr(r, 64075));
	default:
		return (uint16_t)(536 + rr(r, 925));
	}
}

/* A legal option list (MUST-6/64: unknown kinds with lengths, NOPs,
 * unaligned MSS); returns its length, at most 40. */
static uint8_t rnd_opts(struct rnd *r, uint8_t *o, bool mss)
{
	uint8_t n = 0;
	unsigned k, items = rr(r, 5);

	if (mss && chance(r, 30))
		o[n++] = TOE_TCPOPT_NOP; /* unaligned MSS */
	if (mss) {
		uint16_t v = rnd_mss(r);

		o[n++] = TOE_TCPOPT_MSS;
		o[n++] = 4;
		o[n++] = (uint8_t)(v >> 8);
		o[n++] = (uint8_t)v;
	}
	for (k = 0; k < items; k++) {
		switch (rr(r, 5)) {
		case 0:
			if (n + 1 > 40)
				break;
			o[n++] = TOE_TCPOPT_NOP;
			break;
		case 1:
			if (n + 3 > 40)
				break;
			o[n++] = TOE_TCPOPT_WSCALE;
			o[n++] = 3;
			o[n++] = (uint8_t)rr(r, 15);
			break;
		case 2:
			if (n + 2 > 40)
				break;
			o[n++] = TOE_TCPOPT_SACK_PERM;
			o[n++] = 2;
			break;
		case 3:
			if (n + 10 > 40)
				break;
			o[n++] = TOE_TCPOPT_TS;
			o[n++] = 10;
			for (unsigned i = 0; i < 8; i++)
				o[n++] = (uint8_t)rn(r);
			break;
		default: {
			uint8_t l = (uint8_t)(2 + rr(r, 6));

			if (n + l > 40)
				break;
			o[n++] = (uint8_t)(30 + rr(r, 200)); /* unknown kind */
			o[n++] = l;
			for (unsigned i = 2; i < l; i++)
				o[n++] = (uint8_t)rn(r);
			break;
		}
		}
	}
	if (n < 40 && chance(r, 20))
		o[n++] = TOE_TCPOPT_EOL;
	return n;
}

static uint16_t rnd_len(struct rnd *r, uint16_t max)
{
	uint16_t l;

	/* mostly small (the receive stream takes a beat per 8 bytes) */
	switch (rr(r, 20)) {
	case 0:
	case 1:
		l = (uint16_t)(201 + rr(r, 1260));
		break;
	case 2:
		l = max;
		break;
	case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10:
		l = (uint16_t)(17 + rr(r, 184));
		break;
	default:
		l = (uint16_t)(1 + rr(r, 16));
		break;
	}
	return l > max ? max : l;
}

static void fill_data(struct rnd *r, uint8_t *d, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)rn(r);
}

/* An ACK value: mostly SND.NXT, sometimes old, beyond SND.NXT, or before
 * SND.UNA - MAX.SND.WND (CA-02, CA-03). */
static uint32_t rnd_ack(struct rnd *r, const struct toe_ref_conn_info *ci)
{
	switch (rr(r, 20)) {
	case 0:
		return ci->snd_nxt + 1 + rr(r, 1000);
	case 1:
		return ci->snd_una - ci->max_snd_wnd - 1 - rr(r, 10000);
	case 2:
		return ci->snd_una - 1 - rr(r, 100);
	case 3:
		return (uint32_t)rn(r);
	case 4:
	case 5:
		return ci->snd_una;
	default:
		return ci->snd_nxt;
	}
}

static void add_data(struct rnd *r, struct toe_seg *s, uint8_t *buf, uint16_t len)
{
	fill_data(r, buf, len);
	s->data = buf;
	s->len = len;
}

/* The peer's move on connection id (state from the reference). */
static void gen_conn(struct rnd *r, struct act *a, int id, uint8_t *buf, uint8_t *ob)
{
	struct toe_ref_conn_info ci;
	const uint32_t wnd = td_config(r->t)->ref.rcv_wnd;
	uint32_t nxt, snd;
	struct toe_seg *s = &a->seg;
	unsigned p;

	assert_int_equal(toe_ref_conn_info(td_ref(r->t), id, &ci), TOE_REF_OK);
	nxt = ci.rcv_nxt;
	snd = ci.snd_nxt;
	a->kind = A_SEG;
	a->id = id;
	p = rr(r, 100);
	/* commands first, any state */
	if (p < 4) {
		a->kind = A_CLOSE;
		a->tag = G_CLOSE;
		return;
	}
	if (p < 6) {
		a->kind = A_SHUT;
		a->tag = G_SHUT;
		return;
	}
	if (p < 9) {
		a->kind = A_ABORT;
		a->tag = G_ABORT;
		return;
	}
	p = rr(r, 100);
	switch (ci.state) {
	case TOE_ST_SYN_SENT:
		if (p < 40) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1, TOE_TCP_SYN | TOE_TCP_ACK,
				      rnd_win(r));
			a->tag = G_SS_SYNACK;
		} else if (p < 50) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r),
				      chance(r, 50) ? ci.iss : ci.iss + 2 + rr(r, 1000),
				      TOE_TCP_SYN | TOE_TCP_ACK, rnd_win(r));
			a->tag = G_SS_BADACK;
		} else if (p < 58) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1, TOE_TCP_RST | TOE_TCP_ACK, 0);
			a->tag = G_SS_RST_OK;
		} else if (p < 63) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), 0, TOE_TCP_RST, 0);
			a->tag = G_SS_RST_NOACK;
		} else if (p < 68) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss, TOE_TCP_RST | TOE_TCP_ACK, 0);
			a->tag = G_SS_RST_BADACK;
		} else if (p < 74) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1, TOE_TCP_ACK, rnd_win(r));
			a->tag = G_SS_ACK;
		} else if (p < 90) {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), 0, TOE_TCP_SYN, rnd_win(r));
			a->tag = G_SS_SIMOPEN;
		} else {
			*s = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1,
				      TOE_TCP_SYN | TOE_TCP_ACK | (chance(r, 50) ? TOE_TCP_FIN : 0),
				      rnd_win(r));
			if (chance(r, 70))
				add_data(r, s, buf, rnd_len(r, 1400));
			a->tag = G_SS_SYNACK_DATA;
		}
		if (s->flags & TOE_TCP_SYN) {
			s->opt_raw = ob;
			s->opt_raw_len = rnd_opts(r, ob, chance(r, 85));
		}
		return;
	case TOE_ST_SYN_RECEIVED:
		if (!ci.passive && p < 35) {
			*s = td_conn_seg(&ci, ci.irs, snd, TOE_TCP_SYN | TOE_TCP_ACK, rnd_win(r));
			a->tag = G_SR_SIMOPEN;
		} else if (p < 50) {
			*s = td_conn_seg(&ci, nxt, snd, TOE_TCP_ACK, rnd_win(r));
			if (chance(r, 25))
				add_data(r, s, buf, rnd_len(r, 1460));
			a->tag = G_SR_ACK;
		} else if (p < 60) {
			*s = td_conn_seg(&ci, nxt, chance(r, 50) ? ci.snd_una : snd + 1 + rr(r, 1000),
				      TOE_TCP_ACK, rnd_win(r));
			a->tag = G_SR_BADACK;
		} else if (p < 66) {
			*s = td_conn_seg(&ci, nxt, 0, TOE_TCP_RST, 0);
			a->tag = G_SR_RST;
		} else if (p < 71) {
			*s = td_conn_seg(&ci, nxt + 1 + rr(r, wnd - 1), 0, TOE_TCP_RST, 0);
			a->tag = G_SR_RST_IN;
		} else if (p < 75) {
			*s = td_conn_seg(&ci, chance(r, 50) ? nxt - 1 : nxt + wnd + rr(r, 100), 0,
				      TOE_TCP_RST, 0);
			a->tag = G_SR_RST_OUT;
		} else if (p < 82) {
			*s = td_conn_seg(&ci, ci.irs, 0, TOE_TCP_SYN, rnd_win(r));
			s->opt_raw = ob;
			s->opt_raw_len = rnd_opts(r, ob, true);
			a->tag = G_SR_SYN;
		} else if (p < 90) {
			*s = td_conn_seg(&ci, nxt, snd, TOE_TCP_FIN | TOE_TCP_ACK, rnd_win(r));
			a->tag = G_SR_FIN;
		} else {
			*s = td_conn_seg(&ci, nxt, 0, chance(r, 50) ? TOE_TCP_FIN : 0, rnd_win(r));
			if (chance(r, 50))
				add_data(r, s, buf, rnd_len(r, 200));
			a->tag = G_SR_NOACK;
		}
		return;
	case TOE_ST_TIME_WAIT:
		if (p < 25) {
			*s = td_conn_seg(&ci, nxt - 1, snd, TOE_TCP_FIN | TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_FIN;
		} else if (p < 35) {
			*s = td_conn_seg(&ci, nxt + rr(r, 3) - 1, 0, TOE_TCP_RST, 0);
			a->tag = G_TW_RST;
		} else if (p < 52) {
			*s = td_conn_seg(&ci, nxt + 1 + rr(r, 100000), 0, TOE_TCP_SYN, rnd_win(r));
			s->opt_raw = ob;
			s->opt_raw_len = rnd_opts(r, ob, chance(r, 85));
			a->tag = G_TW_SYN_NEW;
		} else if (p < 60) {
			*s = td_conn_seg(&ci, nxt - rr(r, 1000), 0, TOE_TCP_SYN, rnd_win(r));
			a->tag = G_TW_SYN_OLD;
		} else if (p < 65) {
			*s = td_conn_seg(&ci, nxt + rr(r, 1000), snd, TOE_TCP_SYN | TOE_TCP_ACK,
				      rnd_win(r));
			a->tag = G_TW_SYNACK;
		} else if (p < 80) {
			*s = td_conn_seg(&ci, nxt, snd, TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_ACK;
		} else if (p < 90) {
			*s = td_conn_seg(&ci, chance(r, 50) ? nxt - 2 - rr(r, 100) : nxt + wnd + rr(r, 100),
				      snd, TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_ACK_BAD;
		} else {
			*s = td_conn_seg(&ci, nxt + rr(r, 3) - 1, snd, TOE_TCP_ACK | TOE_TCP_PSH,
				      rnd_win(r));
			add_data(r, s, buf, rnd_len(r, 1460));
			a->tag = G_TW_DATA;
		}
		return;
	default:
		break;
	}
	/* ESTABLISHED .. LAST-ACK */
	if (p < 34) {
		*s = td_conn_seg(&ci, nxt, rnd_ack(r, &ci), TOE_TCP_ACK | (chance(r, 50) ? TOE_TCP_PSH : 0),
			      rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = G_E_DATA;
	} else if (p < 40) {
		*s = td_conn_seg(&ci, nxt + 1 + rr(r, wnd), snd, TOE_TCP_ACK, rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = G_E_OOO;
	} else if (p < 45) {
		uint16_t l = rnd_len(r, 1460), k = (uint16_t)(1 + rr(r, l));

		*s = td_conn_seg(&ci, nxt - k, snd, TOE_TCP_ACK, rnd_win(r));
		add_data(r, s, buf, l < 2 ? 2 : l);
		a->tag = G_E_OVERLAP;
	} else if (p < 49) {
		uint16_t l = rnd_len(r, 1460);

		*s = td_conn_seg(&ci, nxt - l - rr(r, 100), snd, TOE_TCP_ACK, rnd_win(r));
		add_data(r, s, buf, l);
		a->tag = G_E_OLD;
	} else if (p < 54) {
		*s = td_conn_seg(&ci, nxt + wnd + rr(r, 5000), snd, TOE_TCP_ACK, rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = G_E_OOW;
	} else if (p < 66) {
		*s = td_conn_seg(&ci, chance(r, 85) ? nxt : nxt + rr(r, 20000) - 10000, rnd_ack(r, &ci),
			      TOE_TCP_ACK, rnd_win(r));
		a->tag = G_E_ACK;
	} else if (p < 75) {
		*s = td_conn_seg(&ci, nxt, chance(r, 70) ? snd : ci.snd_una, TOE_TCP_FIN | TOE_TCP_ACK,
			      rnd_win(r));
		if (chance(r, 30))
			add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = G_E_FIN;
	} else if (p < 78) {
		*s = td_conn_seg(&ci, nxt + 1 + rr(r, wnd - 1), snd, TOE_TCP_FIN | TOE_TCP_ACK,
			      rnd_win(r));
		a->tag = G_E_FIN_OOO;
	} else if (p < 82) {
		*s = td_conn_seg(&ci, nxt, chance(r, 50) ? snd : 0,
			      TOE_TCP_RST | (chance(r, 50) ? TOE_TCP_ACK : 0), 0);
		if (chance(r, 20))
			add_data(r, s, buf, rnd_len(r, 100));
		a->tag = G_E_RST;
	} else if (p < 86) {
		*s = td_conn_seg(&ci, nxt + 1 + rr(r, wnd - 1), 0, TOE_TCP_RST, 0);
		a->tag = G_E_RST_IN;
	} else if (p < 89) {
		*s = td_conn_seg(&ci, chance(r, 50) ? nxt - 1 - rr(r, 3) : nxt + wnd + rr(r, 3), 0,
			      TOE_TCP_RST, 0);
		a->tag = G_E_RST_OUT;
	} else if (p < 93) {
		*s = td_conn_seg(&ci, (uint32_t)rn(r), chance(r, 50) ? snd : 0,
			      TOE_TCP_SYN | (chance(r, 50) ? TOE_TCP_ACK : 0), rnd_win(r));
		a->tag = G_E_SYN;
	} else if (p < 96) {
		*s = td_conn_seg(&ci, nxt, 0, chance(r, 50) ? TOE_TCP_FIN : TOE_TCP_PSH, rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 500));
		a->tag = G_E_NOACK;
	} else {
		*s = td_conn_seg(&ci, nxt, snd, TOE_TCP_ACK, rnd_win(r));
		s->opt_raw = ob;
		s->opt_raw_len = rnd_opts(r, ob, true);
		if (chance(r, 50))
			add_data(r, s, buf, rnd_len(r, 1400));
		a->tag = G_E_MSSOPT;
	}
}

static bool lethal(int tag)
{
	switch (tag) {
	case G_CLOSE: case G_SHUT: case G_ABORT: case G_E_RST: case G_SR_RST: case G_SS_RST_OK:
	case G_E_FIN: case G_SR_FIN: case G_SS_SYNACK_DATA: case G_E_SYN: case G_SR_BADACK:
	case G_SS_BADACK:
		return true;
	default:
		return false;
	}
}

/* gen_conn, mostly without moves that end the connection while the table
 * is being filled. */
static void gen_conn_fill(struct rnd *r, struct act *a, int id, uint8_t *buf, uint8_t *ob)
{
	int k;

	for (k = 0; k < 8; k++) {
		memset(a, 0, sizeof(*a));
		gen_conn(r, a, id, buf, ob);
		if (!r->filling || !lethal(a->tag) || chance(r, 25))
			return;
	}
}

/* The peer completes the handshake of connection id (SYN-SENT: its
 * SYN-ACK; SYN-RECEIVED: the ACK, now and then with data). */
static void gen_complete(struct rnd *r, struct act *a, int id, uint8_t *buf, uint8_t *ob)
{
	struct toe_ref_conn_info ci;

	assert_int_equal(toe_ref_conn_info(td_ref(r->t), id, &ci), TOE_REF_OK);
	memset(a, 0, sizeof(*a));
	a->kind = A_SEG;
	a->id = id;
	if (ci.state == TOE_ST_SYN_SENT) {
		a->seg = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1, TOE_TCP_SYN | TOE_TCP_ACK,
				  rnd_win(r));
		a->seg.opt_raw = ob;
		a->seg.opt_raw_len = rnd_opts(r, ob, chance(r, 90));
		a->tag = G_SS_SYNACK;
	} else {
		a->seg = td_conn_seg(&ci, ci.rcv_nxt, ci.snd_nxt, TOE_TCP_ACK, rnd_win(r));
		if (chance(r, 20))
			add_data(r, &a->seg, buf, rnd_len(r, 1460));
		a->tag = G_SR_ACK;
	}
}

/* A new connection: a SYN to a listener from a new peer, or a connect. */
static void gen_new(struct rnd *r, struct act *a, uint8_t *buf, uint8_t *ob)
{
	(void)buf;
	a->id = td_lowest_free(r->t, -1);
	a->ipopt = false;
	if (chance(r, 12)) {
		a->kind = A_CONNECT;
		a->tag = G_CONNECT;
		do
			a->lport = rnd_high_port(r);
		while (is_lport(r, a->lport));
		if (!r->last_rip || chance(r, 20))
			r->last_rip = rnd_peer_ip(r);
		a->rip = r->last_rip;
		a->rport = (uint16_t)(1 + rr(r, 65535));
		return;
	}
	a->kind = A_SEG;
	a->tag = G_NEW_SYN;
	memset(&a->seg, 0, sizeof(a->seg));
	a->seg.src_ip = rnd_peer_ip(r);
	a->seg.dst_ip = LOCAL;
	a->seg.src_port = rnd_high_port(r);
	a->seg.dst_port = r->lport[rr(r, r->nlport)];
	a->seg.seq = (uint32_t)rn(r);
	a->seg.flags = TOE_TCP_SYN | (chance(r, 3) ? TOE_TCP_FIN : 0);
	a->seg.win = rnd_win(r);
	if (chance(r, 90)) {
		a->seg.opt_raw = ob;
		a->seg.opt_raw_len = rnd_opts(r, ob, chance(r, 85));
	}
	if (chance(r, 3))
		add_data(r, &a->seg, buf, rnd_len(r, 1000));
	/* its tuple then sits 4 bytes later: the ISN hash starts a beat later */
	a->ipopt = chance(r, 8);
}

/* Cycles a move decided at its slot takes from the earliest time a new
 * connection could then be decided (its SYN's hash wait, a connect's
 * register writes, a command's status poll). */
static uint64_t fit_margin(const struct act *nw, const struct act *a)
{
	return (nw->kind == A_CONNECT ? 260 : 30) + (a->kind == A_SEG ? 0 : 160);
}

/* When the move could be decided at the earliest (see td_next_slot). */
static uint64_t act_slot(struct rnd *r, const struct act *a)
{
	uint8_t f[2048];

	if (a->kind == A_SEG) {
		size_t n = td_build(r->t, f, sizeof(f), &a->seg);

		if (a->ipopt)
			n = fe_add_ip_options(f, n);
		return td_next_slot(r->t, a->id, td_decision_latency(f, n));
	}
	return td_next_slot(r->t, a->id, TD_LAT_CMD + 1);
}

/* After a stimulus on connection id (in state `before`): note when a
 * TIME-WAIT it entered (or restarted, with a FIN) ends, for try_aim. */
static void tw_note(struct rnd *r, int id, int before, bool fin)
{
	struct toe_ref_conn_info ci;

	if (id < 0 || id >= 1024)
		return;
	if (toe_ref_conn_info(td_ref(r->t), id, &ci) != TOE_REF_OK || ci.state != TOE_ST_TIME_WAIT) {
		r->tw_dl[id] = 0;
		return;
	}
	if (before != TOE_ST_TIME_WAIT || fin)
		r->tw_dl[id] = td_last_decision(r->t) + 2 * td_config(r->t)->ref.msl;
}

static int state_of(struct rnd *r, int id)
{
	struct toe_ref_conn_info ci;

	if (id < 0 || toe_ref_conn_info(td_ref(r->t), id, &ci) != TOE_REF_OK)
		return TOE_ST_CLOSED;
	return ci.state;
}

static void exec_act(struct rnd *r, struct act *a)
{
	struct td *t = r->t;
	const int before = state_of(r, a->id);
	int id;

	r->kinds[a->tag]++;
	if (a->id >= 0)
		r->touched[r->ntouched++ % 64] = a->id;
	switch (a->kind) {
	case A_SEG:
		if (a->ipopt) {
			uint8_t f[2048];
			size_t n = td_build(t, f, sizeof(f), &a->seg);

			td_frame(t, f, fe_add_ip_options(f, n));
			r->kinds[G_IPOPT_SYN]++;
		} else {
			td_seg(t, &a->seg);
		}
		r->segs++;
		if (a->tag == G_NEW_SYN || a->tag == G_TW_SYN_NEW) {
			id = toe_ref_find(td_ref(t), a->seg.dst_ip, a->seg.dst_port, a->seg.src_ip,
					  a->seg.src_port);
			/* most peers complete the handshake soon; the
			 * rest are left to chance (and to the timers) */
			if (id >= 0 && r->hs_n < 1024 && (r->filling || chance(r, 70)))
				r->hs[(r->hs_head + r->hs_n++) % 1024] = id;
		}
		break;
	case A_CONNECT:
		id = td_connect(t, a->lport, a->rip, a->rport);
		if (id >= 0 && r->hs_n < 1024 && (r->filling || chance(r, 70)))
			r->hs[(r->hs_head + r->hs_n++) % 1024] = id;
		break;
	case A_CLOSE:
		td_close(t, a->id);
		break;
	case A_SHUT:
		td_shutdown(t, a->id);
		break;
	default:
		td_abort(t, a->id);
		break;
	}
	tw_note(r, a->id, before, a->kind == A_SEG && (a->seg.flags & TOE_TCP_FIN));
}

/* ---- aimed at a timer ---- */

static bool has_timer(int st);

/* The peer's move of kind k for connection ci (a state with a timer). */
static bool gen_aim_seg(struct rnd *r, struct act *a, const struct toe_ref_conn_info *ci, int k,
			uint8_t *buf, uint8_t *ob)
{
	const uint32_t wnd = td_config(r->t)->ref.rcv_wnd;
	const uint32_t nxt = ci->rcv_nxt, snd = ci->snd_nxt;
	struct toe_seg *s = &a->seg;

	a->kind = A_SEG;
	if (ci->state == TOE_ST_TIME_WAIT) {
		switch (k) {
		case K_ACK:
			*s = td_conn_seg(ci, nxt, snd, TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_ACK;
			break;
		case K_DATA:
			*s = td_conn_seg(ci, nxt + rr(r, 3) - 1, snd, TOE_TCP_ACK | TOE_TCP_PSH,
				      rnd_win(r));
			add_data(r, s, buf, rnd_len(r, 1460));
			a->tag = G_TW_DATA;
			break;
		case K_FIN:
			*s = td_conn_seg(ci, nxt - 1, snd, TOE_TCP_FIN | TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_FIN;
			break;
		case K_RST:
			*s = td_conn_seg(ci, nxt + rr(r, 3) - 1, 0, TOE_TCP_RST, 0);
			a->tag = G_TW_RST;
			break;
		case K_SYN_TW: {
			unsigned q = rr(r, 100);

			if (q < 60) {
				/* reopens before d, a new connection from d on */
				*s = td_conn_seg(ci, nxt + 1 + rr(r, 100000), 0, TOE_TCP_SYN, rnd_win(r));
				s->opt_raw = ob;
				s->opt_raw_len = rnd_opts(r, ob, chance(r, 85));
				a->tag = G_TW_SYN_NEW;
			} else if (q < 80) {
				*s = td_conn_seg(ci, nxt - rr(r, 1000), 0, TOE_TCP_SYN, rnd_win(r));
				a->tag = G_TW_SYN_OLD;
			} else {
				*s = td_conn_seg(ci, nxt + rr(r, 1000), ci->snd_nxt,
					      TOE_TCP_SYN | TOE_TCP_ACK, rnd_win(r));
				a->tag = G_TW_SYNACK;
			}
			break;
		}
		default:
			*s = td_conn_seg(ci, chance(r, 50) ? nxt - 2 - rr(r, 100)
						      : nxt + wnd + rr(r, 100),
				      snd, TOE_TCP_ACK, rnd_win(r));
			a->tag = G_TW_ACK_BAD;
			break;
		}
		return true;
	}
	if (k == K_SYN_TW)
		return false;
	if (ci->state == TOE_ST_SYN_SENT) {
		uint8_t fl = TOE_TCP_SYN | TOE_TCP_ACK;

		switch (k) {
		case K_RST:
			*s = td_conn_seg(ci, (uint32_t)rn(r), ci->iss + 1, TOE_TCP_RST | TOE_TCP_ACK, 0);
			a->tag = G_SS_RST_OK;
			return true;
		case K_OOW:
			*s = td_conn_seg(ci, (uint32_t)rn(r), ci->iss + 2 + rr(r, 1000), fl, rnd_win(r));
			a->tag = G_SS_BADACK;
			break;
		case K_FIN:
			fl |= TOE_TCP_FIN;
			/* fall through */
		case K_DATA:
			*s = td_conn_seg(ci, (uint32_t)rn(r), ci->iss + 1, fl, rnd_win(r));
			if (k == K_DATA)
				add_data(r, s, buf, rnd_len(r, 1400));
			a->tag = G_SS_SYNACK_DATA;
			break;
		default:
			*s = td_conn_seg(ci, (uint32_t)rn(r), ci->iss + 1, fl, rnd_win(r));
			a->tag = G_SS_SYNACK;
			break;
		}
		s->opt_raw = ob;
		s->opt_raw_len = rnd_opts(r, ob, chance(r, 85));
		return true;
	}
	/* SYN-RECEIVED, FIN-WAIT-1, CLOSING, LAST-ACK */
	switch (k) {
	case K_ACK:
		*s = td_conn_seg(ci, nxt, chance(r, 80) ? snd : ci->snd_una, TOE_TCP_ACK, rnd_win(r));
		a->tag = ci->state == TOE_ST_SYN_RECEIVED ? G_SR_ACK : G_E_ACK;
		break;
	case K_DATA:
		*s = td_conn_seg(ci, nxt, snd, TOE_TCP_ACK | TOE_TCP_PSH, rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = ci->state == TOE_ST_SYN_RECEIVED ? G_SR_ACK : G_E_DATA;
		break;
	case K_FIN:
		*s = td_conn_seg(ci, nxt, chance(r, 70) ? snd : ci->snd_una, TOE_TCP_FIN | TOE_TCP_ACK,
			      rnd_win(r));
		a->tag = ci->state == TOE_ST_SYN_RECEIVED ? G_SR_FIN : G_E_FIN;
		break;
	case K_RST:
		*s = td_conn_seg(ci, chance(r, 70) ? nxt : nxt + 1 + rr(r, wnd - 1), 0, TOE_TCP_RST, 0);
		a->tag = ci->state == TOE_ST_SYN_RECEIVED ? G_SR_RST : G_E_RST;
		break;
	default:
		*s = td_conn_seg(ci, nxt + wnd + rr(r, 5000), snd, TOE_TCP_ACK, rnd_win(r));
		add_data(r, s, buf, rnd_len(r, 1460));
		a->tag = ci->state == TOE_ST_SYN_RECEIVED ? G_SR_NOACK : G_E_OOW;
		break;
	}
	return true;
}

/* A connection left with a timer armed off its id phase (decided away
 * from its deadline's cycle) would break the harness's lag model: abort
 * it at once (its new deadline lies a whole RTO or 2 MSL ahead). */
static void aim_fixup(struct rnd *r, int id, uint64_t T)
{
	struct toe_ref_conn_info ci;

	if (id < 0 || toe_ref_conn_info(td_ref(r->t), id, &ci) != TOE_REF_OK ||
	    !has_timer(ci.state) || td_timer_owner(r->t, T) == id)
		return;
	r->aim_fixup++;
	td_abort(r->t, id);
}

/* Aim a move at the next timer's connection; false if it was refused. */
static bool try_aim(struct rnd *r)
{
	struct td *t = r->t;
	struct toe_ref_conn_info ci;
	const uint64_t now = td_engine_now(t);
	uint64_t d = toe_ref_next_timer(td_ref(t)), A, T;
	const unsigned lag = td_lag(t);
	unsigned o = rr(r, O_COUNT), k;
	struct act a;
	int p, ret, nid = -1;

	/* the next deadline, if it is near (time is not pulled forward much);
	 * now and then the expiry of a TIME-WAIT a little further ahead (few
	 * deadlines are TIME-WAIT ones) */
	p = -1;
	if (chance(r, 50)) {
		unsigned i, o0 = rr(r, 1024);

		for (i = 0; i < 1024; i++) {
			int id = (int)((o0 + i) % 1024);
			uint64_t e = r->tw_dl[id];

			if (e && e >= now + 64 && e <= now + AIM_AHEAD_TW &&
			    td_timer_owner(t, e) == id && state_of(r, id) == TOE_ST_TIME_WAIT) {
				d = e;
				p = id;
				break;
			}
		}
	}
	if (p < 0) {
		if (d == UINT64_MAX || d < now + 64 || d > now + AIM_AHEAD)
			return false;
		p = td_timer_owner(t, d);
	}
	if (toe_ref_conn_info(td_ref(t), p, &ci) != TOE_REF_OK || !has_timer(ci.state))
		return false;
	switch (o) {
	case O_BEFORE: A = d - 1; break;
	case O_AT: A = d; break;
	case O_PLUS1: A = d + 1; break;
	case O_EARLY: A = d + 2 + rr(r, lag - 2); break;
	case O_LAG: A = d + lag; break;
	case O_JOB: A = d + lag + 1 + rr(r, TD_TMR_BUSY_DEL); break;
	default: A = d + lag + 1 + TD_TMR_BUSY_DEL + rr(r, TD_WIN - TD_TMR_BUSY_DEL); break;
	}
	memset(&a, 0, sizeof(a));
	a.id = p;
	if (ci.state == TOE_ST_TIME_WAIT && chance(r, 60))
		k = K_SYN_TW;
	else
		do
			k = rr(r, K_COUNT);
		while (k == K_SYN_TW && ci.state != TOE_ST_TIME_WAIT);
	if (k >= K_CLOSE) {
		static const int ops[] = { TOE_CMD_CLOSE, TOE_CMD_SHUTDOWN, TOE_CMD_ABORT };
		static const int tags[] = { G_CLOSE, G_SHUT, G_ABORT };

		ret = td_cmd_aim(t, ops[k - K_CLOSE], p, A);
		if (ret == TD_AIM_REFUSED) {
			r->aim_refused++;
			return false;
		}
		r->kinds[tags[k - K_CLOSE]]++;
	} else {
		uint8_t f[2048];
		size_t n;

		assert_true(gen_aim_seg(r, &a, &ci, (int)k, r->data[0], r->opt[0]));
		n = td_build(t, f, sizeof(f), &a.seg);
		T = td_frame_aim(t, f, n, A);
		if (!T) {
			r->aim_refused++;
			return false;
		}
		r->kinds[a.tag]++;
		r->segs++;
		if (k == K_SYN_TW)
			nid = toe_ref_find(td_ref(t), a.seg.dst_ip, a.seg.dst_port, a.seg.src_ip,
					   a.seg.src_port);
	}
	T = td_last_decision(t);
	/* from d on, the harness saw the timer run (else d was not its
	 * deadline: a TIME-WAIT's expiry guessed wrong) */
	if (o != O_BEFORE && !td_last_own_timer(t))
		r->aim_missed++;
	else
		r->aim[k][o]++;
	if (T != A)
		r->aim_held++;
	r->touched[r->ntouched++ % 64] = p;
	tw_note(r, p, ci.state, k == K_FIN);
	if (nid >= 0 && nid != p)
		r->tw_dl[nid] = 0;
	aim_fixup(r, p, T);
	if (nid != p)
		aim_fixup(r, nid, T);
	return true;
}

/* ---- frames with no connection: malformed, not TCP, closed ports ---- */

static void fix_ip_csum(uint8_t *f)
{
	unsigned ihl = (f[14] & 15u) * 4u;
	uint16_t c;

	f[24] = f[25] = 0;
	c = toe_ipv4_csum(f + 14, ihl);
	f[24] = (uint8_t)(c >> 8);
	f[25] = (uint8_t)c;
}

static size_t rnd_closed_frame(struct rnd *r, uint8_t *f, uint8_t *buf)
{
	struct toe_seg s;
	static const uint8_t fl[] = {
		TOE_TCP_SYN, TOE_TCP_ACK, TOE_TCP_RST, TOE_TCP_FIN, 0, TOE_TCP_SYN | TOE_TCP_ACK,
		TOE_TCP_FIN | TOE_TCP_ACK, TOE_TCP_RST | TOE_TCP_ACK, TOE_TCP_PSH | TOE_TCP_ACK,
		TOE_TCP_SYN | TOE_TCP_FIN, TOE_TCP_URG | TOE_TCP_ACK, 0xff,
	};

	memset(&s, 0, sizeof(s));
	s.src_ip = rnd_peer_ip(r);
	s.dst_ip = LOCAL;
	s.src_port = rnd_high_port(r);
	s.dst_port = rnd_closed_port(r);
	s.seq = (uint32_t)rn(r);
	s.ack = (uint32_t)rn(r);
	s.flags = fl[rr(r, sizeof(fl))];
	s.win = rnd_win(r);
	if (chance(r, 30))
		add_data(r, &s, buf, rnd_len(r, 1400));
	return td_build(r->t, f, 2048, &s);
}

/* An ICMP echo request to us (or another ICMP type), data len bytes. */
static size_t icmp_frame(struct rnd *r, uint8_t *f, uint8_t type, size_t len)
{
	size_t ip_len = 20 + 8 + len, i, n = 14 + ip_len < 60 ? 60 : 14 + ip_len;
	uint8_t *ip = f + 14, *ic = f + 34, smac[6];
	uint32_t src = rnd_peer_ip(r);
	uint16_t cs;

	memset(f, 0, n);
	td_mac_of(src, smac);
	memcpy(f, td_config(r->t)->mac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[4] = (uint8_t)rn(r);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = TOE_IPPROTO_ICMP;
	toe_put_be32(ip + 12, src);
	toe_put_be32(ip + 16, LOCAL);
	fix_ip_csum(f);
	ic[0] = type;
	ic[4] = (uint8_t)rn(r);
	ic[6] = (uint8_t)rn(r);
	for (i = 0; i < len; i++)
		ic[8 + i] = (uint8_t)rn(r);
	cs = toe_csum_fold(toe_csum_add(0, ic, 8 + len));
	ic[2] = (uint8_t)(cs >> 8);
	ic[3] = (uint8_t)cs;
	if (chance(r, 10))
		ic[3] ^= 1; /* bad ICMP checksum: dropped */
	return n;
}

static size_t arp_frame(struct rnd *r, uint8_t *f, uint32_t target)
{
	uint32_t src = rnd_peer_ip(r);
	uint8_t smac[6];

	td_mac_of(src, smac);
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[15] = 1;
	f[16] = 0x08;
	f[18] = 6;
	f[19] = 4;
	f[21] = chance(r, 90) ? 1 : 2;
	memcpy(f + 22, smac, 6);
	toe_put_be32(f + 28, src);
	toe_put_be32(f + 38, target);
	return 60;
}

/* One stimulus about no connection. */
static void do_unbound(struct rnd *r)
{
	static uint8_t f[2048], buf[1600];
	struct td *t = r->t;
	unsigned p = rr(r, 100);
	size_t n;
	int tag;

	if (p < 20) {
		n = rnd_closed_frame(r, f, buf);
		tag = G_U_CLOSED;
	} else if (p < 30) {
		struct toe_seg s;
		static const uint8_t fl[] = { TOE_TCP_ACK, TOE_TCP_SYN | TOE_TCP_ACK, TOE_TCP_RST,
					      TOE_TCP_FIN, 0, TOE_TCP_RST | TOE_TCP_ACK,
					      TOE_TCP_FIN | TOE_TCP_ACK, TOE_TCP_PSH };

		memset(&s, 0, sizeof(s));
		s.src_ip = rnd_peer_ip(r);
		s.dst_ip = LOCAL;
		s.src_port = rnd_high_port(r);
		s.dst_port = r->lport[rr(r, r->nlport)];
		s.seq = (uint32_t)rn(r);
		s.ack = (uint32_t)rn(r);
		s.flags = fl[rr(r, sizeof(fl))];
		s.win = rnd_win(r);
		if (chance(r, 30))
			add_data(r, &s, buf, rnd_len(r, 1000));
		n = td_build(t, f, sizeof(f), &s);
		tag = G_U_LISTEN;
	} else if (p < 36) {
		n = rnd_closed_frame(r, f, buf);
		n = 1 + rr(r, (uint32_t)n - 1);
		tag = G_U_TRUNC;
	} else if (p < 41) {
		n = rnd_closed_frame(r, f, buf);
		f[24 + rr(r, 2)] ^= (uint8_t)(1 + rr(r, 255));
		tag = G_U_IPCSUM;
	} else if (p < 47) {
		n = rnd_closed_frame(r, f, buf);
		f[34 + rr(r, (uint32_t)n - 34)] ^= (uint8_t)(1 + rr(r, 255));
		tag = G_U_TCPCSUM;
	} else if (p < 51) {
		n = rnd_closed_frame(r, f, buf);
		f[46] = (uint8_t)((chance(r, 50) ? rr(r, 5) : 6 + rr(r, 10)) << 4);
		tag = G_U_DOFF;
	} else if (p < 56) {
		struct toe_seg s;
		uint8_t o[12];
		uint8_t k = 0;

		memset(&s, 0, sizeof(s));
		s.src_ip = rnd_peer_ip(r);
		s.dst_ip = LOCAL;
		s.src_port = rnd_high_port(r);
		s.dst_port = chance(r, 50) ? r->lport[rr(r, r->nlport)] : rnd_closed_port(r);
		s.seq = (uint32_t)rn(r);
		s.flags = TOE_TCP_SYN;
		if (chance(r, 30))
			o[k++] = TOE_TCPOPT_NOP;
		switch (rr(r, 5)) {
		case 0: /* length 0 */
			o[k++] = (uint8_t)(30 + rr(r, 100));
			o[k++] = 0;
			break;
		case 1: /* length 1 */
			o[k++] = TOE_TCPOPT_MSS;
			o[k++] = 1;
			break;
		case 2: /* past the end */
			o[k++] = (uint8_t)(30 + rr(r, 100));
			o[k++] = 40;
			break;
		case 3: /* MSS with the wrong length */
			o[k++] = TOE_TCPOPT_MSS;
			o[k++] = 3;
			o[k++] = 5;
			break;
		default: /* a kind with no length byte at the end */
			o[k++] = TOE_TCPOPT_NOP;
			o[k++] = TOE_TCPOPT_NOP;
			o[k++] = TOE_TCPOPT_NOP;
			o[k++] = TOE_TCPOPT_MSS;
			break;
		}
		s.opt_raw = o;
		s.opt_raw_len = k;
		n = td_build(t, f, sizeof(f), &s);
		tag = G_U_OPTLEN;
	} else if (p < 60) {
		n = rnd_closed_frame(r, f, buf);
		if (chance(r, 50))
			f[20] |= 0x20; /* MF */
		else
			f[21] = (uint8_t)(1 + rr(r, 255)); /* offset */
		fix_ip_csum(f);
		tag = G_U_FRAG;
	} else if (p < 65) {
		n = rnd_closed_frame(r, f, buf);
		switch (rr(r, 3)) {
		case 0:
			f[23] = 17; /* UDP */
			fix_ip_csum(f);
			break;
		case 1:
			f[12] = 0x86; /* IPv6 */
			f[13] = 0xdd;
			break;
		default:
			f[23] = (uint8_t)(2 + rr(r, 4)); /* IGMP .. TCP-1 */
			fix_ip_csum(f);
			break;
		}
		tag = G_U_NONTCP;
	} else if (p < 69) {
		n = icmp_frame(r, f, chance(r, 80) ? 8 : 13, rr(r, 120));
		tag = G_U_ICMP;
	} else if (p < 73) {
		n = arp_frame(r, f, chance(r, 70) ? LOCAL : LOCAL + 1 + rr(r, 10));
		tag = G_U_ARP;
	} else if (p < 76) {
		n = rnd_closed_frame(r, f, buf);
		/* another host's IP: 10.0.0.99 */
		f[33] = 99;
		fix_ip_csum(f);
		/* the TCP checksum covers the address: recompute it */
		{
			struct toe_frame pf;
			uint16_t c;
			size_t tl = (size_t)(f[16] << 8 | f[17]) - 20;

			f[50] = f[51] = 0;
			c = toe_tcp_csum(IP4(f[26], f[27], f[28], f[29]), IP4(10, 0, 0, 99), f + 34, tl);
			f[50] = (uint8_t)(c >> 8);
			f[51] = (uint8_t)c;
			assert_int_equal(toe_parse_frame(f, n, &pf), TOE_PARSE_OK);
		}
		tag = G_U_WRONGIP;
	} else if (p < 79) {
		n = rnd_closed_frame(r, f, buf);
		r->kinds[G_U_MACBAD]++;
		td_frame_bad(t, f, n);
		r->segs++;
		return;
	} else if (p < 83) {
		/* IP options (3 NOPs and an EOL): legal, on any frame */
		n = rnd_closed_frame(r, f, buf);
		{
			struct toe_frame pf;

			n = fe_add_ip_options(f, n);
			assert_int_equal(toe_parse_frame(f, n, &pf), TOE_PARSE_OK);
		}
		tag = G_U_IPOPT;
	} else if (p < 87) {
		n = rnd_closed_frame(r, f, buf);
		switch (rr(r, 3)) {
		case 0:
			f[14] = (uint8_t)(0x05 | (rr(r, 15) + 5) << 4); /* version */
			if ((f[14] >> 4) == 4)
				f[14] = 0x65;
			break;
		case 1:
			f[14] = (uint8_t)(0x40 | rr(r, 5)); /* IHL < 5 */
			break;
		default: { /* total length beyond the frame */
			size_t ipl = (size_t)(f[16] << 8 | f[17]) + 1 + rr(r, 100);

			f[16] = (uint8_t)(ipl >> 8);
			f[17] = (uint8_t)ipl;
			break;
		}
		}
		fix_ip_csum(f);
		tag = G_U_IPHDR;
	} else if (p < 93) {
		/* a command on an id with no connection */
		int id = chance(r, 50) ? (int)(td_pass(t) + rr(r, 100)) : td_lowest_free(t, -1);

		r->kinds[G_U_CMD_BAD]++;
		switch (rr(r, 3)) {
		case 0:
			td_close(t, id);
			break;
		case 1:
			td_shutdown(t, id);
			break;
		default:
			td_abort(t, id);
			break;
		}
		return;
	} else if (p < 95) {
		uint16_t port = chance(r, 50) ? r->lport[rr(r, r->nlport)] : (uint16_t)rr(r, 3);

		r->kinds[G_U_LISTEN_CMD]++;
		if (chance(r, 50) || port < 3) {
			td_listen(t, port);
		} else {
			/* unlisten and listen again: connections stay */
			td_unlisten(t, port);
			td_listen(t, port);
		}
		return;
	} else {
		/* connect to a tuple in use: EADDRINUSE */
		struct toe_ref_conn_info ci;
		int id = (int)rr(r, td_pass(t));

		if (toe_ref_conn_info(td_ref(t), id, &ci) == TOE_REF_OK &&
		    ci.state != TOE_ST_LISTEN) {
			r->kinds[G_U_CONNECT_DUP]++;
			td_connect(t, ci.local_port, ci.remote_ip, ci.remote_port);
		}
		return;
	}
	r->kinds[tag]++;
	td_frame(t, f, n);
	if (f[12] == 0x08 && f[13] == 0x00 && n >= 24 && f[23] == TOE_IPPROTO_TCP)
		r->segs++;
	{
		struct toe_frame pf;

		if (toe_parse_frame(f, n, &pf) != TOE_PARSE_OK)
			r->junk++;
	}
}

/* A live connection's next segment (gen_conn), spoilt: truncated inside
 * its headers or payload, a bad TCP or IP checksum, a data offset below 5
 * or beyond the segment, or made longer than the engine's payload buffer
 * (td_rx_max; cut and counted by the engine, not given to the reference:
 * top_dual.h, TD_FRAME_MAX). The connection must carry on as if it had
 * not come (the next moves on it show it). */
static void do_spoilt(struct rnd *r)
{
	static uint8_t f[TD_FRAME_MAX], big[TD_FRAME_MAX];
	struct td *t = r->t;
	struct act a;
	unsigned p = rr(r, 100);
	size_t n;
	int id, tag, k;

	for (k = 0, id = -1; k < 8 && id < 0; k++) {
		struct toe_ref_conn_info ci;

		id = (int)rr(r, td_pass(t));
		if (toe_ref_conn_info(td_ref(t), id, &ci) != TOE_REF_OK ||
		    ci.state == TOE_ST_LISTEN)
			id = -1;
	}
	if (id < 0) {
		do_unbound(r);
		return;
	}
	memset(&a, 0, sizeof(a));
	do
		gen_conn(r, &a, id, r->data[0], r->opt[0]);
	while (a.kind != A_SEG);
	if (p < 15) {
		/* longer than the engine takes: a payload to rx_max + 1 ..
		 * + 64 bytes, now and then to 9000 */
		size_t lim = td_rx_max(t), len = chance(r, 80) ? lim + 1 + rr(r, 64)
							      : lim + 1 + rr(r, (uint32_t)(9000 - lim));
		size_t hl = 54 + ((a.seg.opt_raw_len + 3u) & ~3u);

		fill_data(r, big, (uint16_t)(len - hl));
		a.seg.data = big;
		a.seg.len = (uint16_t)(len - hl);
		n = td_build(t, f, sizeof(f), &a.seg);
		assert_int_equal(n, len);
		tag = G_C_TOOLONG;
	} else {
		n = td_build(t, f, sizeof(f), &a.seg);
		if (p < 40) {
			n = 1 + rr(r, (uint32_t)n - 1);
			tag = G_C_TRUNC;
		} else if (p < 65) {
			f[34 + rr(r, (uint32_t)n - 34)] ^= (uint8_t)(1 + rr(r, 255));
			tag = G_C_TCPCSUM;
		} else if (p < 80) {
			f[14 + rr(r, 20)] ^= (uint8_t)(1 + rr(r, 255));
			if (chance(r, 50))
				fix_ip_csum(f); /* then some other IP check fails */
			tag = G_C_IPCSUM;
		} else {
			f[46] = (uint8_t)((chance(r, 50) ? rr(r, 5) : 6 + rr(r, 10)) << 4);
			tag = G_C_DOFF;
		}
	}
	r->kinds[tag]++;
	r->touched[r->ntouched++ % 64] = id;
	k = state_of(r, id);
	td_frame(t, f, n);
	r->segs++;
	/* (a spoilt frame that still parses is a segment like any other) */
	tw_note(r, id, k, a.seg.flags & TOE_TCP_FIN);
	{
		struct toe_frame pf;

		if (toe_parse_frame(f, n, &pf) != TOE_PARSE_OK)
			r->junk++;
	}
}

/* Bring every connection to a state without a timer, so the run can
 * rephase and read every connection out: complete handshakes, ACK our
 * FINs, abort what is left (CLOSING, LAST-ACK, TIME-WAIT). In slot order. */
static bool has_timer(int st)
{
	return st == TOE_ST_SYN_SENT || st == TOE_ST_SYN_RECEIVED || st == TOE_ST_FIN_WAIT_1 ||
	       st == TOE_ST_CLOSING || st == TOE_ST_LAST_ACK || st == TOE_ST_TIME_WAIT;
}

static void quiesce(struct rnd *r)
{
	struct td *t = r->t;
	struct toe_ref_conn_info ci;
	static bool has[65536];
	unsigned i, left, round;

	for (round = 0; round < 4; round++) {
		left = 0;
		for (i = 0; i < td_pass(t); i++) {
			has[i] = toe_ref_conn_info(td_ref(t), (int)i, &ci) == TOE_REF_OK &&
				 has_timer(ci.state);
			left += has[i];
		}
		while (left) {
			uint64_t best = UINT64_MAX, sl;
			int bi = -1;

			for (i = 0; i < td_pass(t); i++) {
				if (!has[i])
					continue;
				sl = td_next_slot(t, (int)i, TD_LAT_CMD + 1);
				if (sl < best) {
					best = sl;
					bi = (int)i;
				}
			}
			has[bi] = false;
			left--;
			if (toe_ref_conn_info(td_ref(t), bi, &ci) != TOE_REF_OK ||
			    !has_timer(ci.state))
				continue;
			if (round == 3 || ci.state == TOE_ST_CLOSING || ci.state == TOE_ST_LAST_ACK ||
			    ci.state == TOE_ST_TIME_WAIT) {
				td_abort(t, bi);
			} else if (ci.state == TOE_ST_SYN_SENT) {
				struct toe_seg sg = td_conn_seg(&ci, (uint32_t)rn(r), ci.iss + 1,
							     TOE_TCP_SYN | TOE_TCP_ACK, 8192);

				td_seg(t, &sg);
			} else {
				/* SYN-RECEIVED, FIN-WAIT-1: ACK everything */
				struct toe_seg sg = td_conn_seg(&ci, ci.rcv_nxt, ci.snd_nxt, TOE_TCP_ACK,
							     8192);

				td_seg(t, &sg);
			}
		}
	}
	td_sync(t);
}

/* Up to max handshake-completing moves for the oldest connections still
 * waiting for their peer (dead entries leave the queue). */
static unsigned hs_candidates(struct rnd *r, struct act *c, uint8_t (*data)[1600],
			      uint8_t (*opt)[40], unsigned max)
{
	struct toe_ref_conn_info ci;
	unsigned i, n = 0;

	for (i = 0; i < r->hs_n && n < max; i++) {
		int id = r->hs[(r->hs_head + i) % 1024];
		bool live = toe_ref_conn_info(td_ref(r->t), id, &ci) == TOE_REF_OK &&
			    (ci.state == TOE_ST_SYN_SENT || ci.state == TOE_ST_SYN_RECEIVED);

		if (!live) {
			if (i == 0) {
				r->hs_head = (r->hs_head + 1) % 1024;
				r->hs_n--;
				i--;
			}
			continue;
		}
		if (chance(r, 40)) {
			/* any move on a connection still in its handshake */
			gen_conn_fill(r, &c[n], id, data[n], opt[n]);
			if (c[n].kind == A_SEG)
				c[n].id = td_bind_seg(r->t, &c[n].seg);
		} else {
			gen_complete(r, &c[n], id, data[n], opt[n]);
		}
		n++;
	}
	return n;
}

/*
 * Fill the table to `target` connections. Ids are handed out lowest
 * first, so new connections come in id order, one per scanner pass (the
 * next id's slot is a cycle after this one's). In the pass that creates id
 * i, the peer of id i - 13 completes its handshake (its slot comes earlier
 * in the pass, far enough from i's, and before its first retransmission at
 * 16 passes), and moves on older connections may come before that.
 */
static void fill(struct rnd *r, unsigned target)
{
	struct td *t = r->t;
	struct act a;
	struct toe_ref_conn_info ci;
	unsigned i, k;

	r->filling = true;
	for (i = 0; toe_ref_conn_count(td_ref(t)) < target && i < 4 * target; i++) {
		int lf = td_lowest_free(t, -1), old;

		if (lf < 0)
			break;
		old = lf - 13;
		if (old >= 0 && toe_ref_conn_info(td_ref(t), old, &ci) == TOE_REF_OK &&
		    (ci.state == TOE_ST_SYN_SENT || ci.state == TOE_ST_SYN_RECEIVED)) {
			/* other connections' moves before it, if their slots
			 * come first */
			for (k = 0; old > 80 && k < 3; k++) {
				int j = (int)rr(r, (uint32_t)old - 30);

				if (toe_ref_conn_info(td_ref(t), j, &ci) != TOE_REF_OK ||
				    td_next_slot(t, j, 40) + 40 > td_next_slot(t, old, TD_LAT_SYN + TD_LAT_SYN_HOLD))
					continue;
				gen_conn_fill(r, &a, j, r->data[0], r->opt[0]);
				if (a.kind == A_SEG && !lethal(a.tag))
					exec_act(r, &a);
			}
			if (toe_ref_conn_info(td_ref(t), old, &ci) == TOE_REF_OK &&
			    (ci.state == TOE_ST_SYN_SENT || ci.state == TOE_ST_SYN_RECEIVED)) {
				gen_complete(r, &a, old, r->data[0], r->opt[0]);
				exec_act(r, &a);
			}
		}
		memset(&a, 0, sizeof(a));
		gen_new(r, &a, r->data[0], r->opt[0]);
		exec_act(r, &a);
		if (i % 48 == 47)
			td_sync(t);
	}
	r->filling = false;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t aimed(const struct rnd *r)
{
	uint64_t n = 0;
	unsigned k, o;

	for (k = 0; k < K_COUNT; k++)
		for (o = 0; o < O_COUNT; o++)
			n += r->aim[k][o];
	return n;
}

void top_random_run(uint64_t seed, uint64_t nsegs, unsigned live, uint64_t progress)
{
	struct td_cfg c;
	struct rnd *r = calloc(1, sizeof(*r));
	struct td_stats st;
	struct toe_ref_stats rs;
	double w0 = wall_s();
	uint64_t epoch_len = nsegs / RUN_EPOCHS + 1, next_epoch, next_progress, steps = 0;
	uint64_t stall_until = 0;
	unsigned i, epochs = 0;

	assert_non_null(r);
	print_message("random run: seed %llu (TOE_DIFF_SEED=%llu replays it), %llu segments\n",
		      (unsigned long long)seed, (unsigned long long)seed,
		      (unsigned long long)nsegs);
	r->x = seed * 0x9E3779B97F4A7C15ull + 1;
	td_cfg_default(&c);
	c.seed = (uint32_t)(seed ^ (seed >> 32)) | 1;
	/* TIME-WAIT long enough for its peers to be heard in it; a tight
	 * challenge ACK limit, so that it is reached now and then (CA-06) */
	c.ref.msl = 32 * PASS;
	c.ref.challenge_ack_limit = 2;
	c.ref.challenge_ack_window = 64 * PASS;
	r->t = td_new(&c);
	td_set_label(r->t, "random run");
	r->lport[0] = 80;
	r->lport[1] = 443;
	r->lport[2] = 8080;
	r->lport[3] = 139;
	r->lport[4] = 25;
	r->lport[5] = 5001;
	r->nlport = 6;
	for (i = 0; i < r->nlport; i++)
		assert_int_equal(td_listen(r->t, r->lport[i]), 0);
	fill(r, 1000);
	print_message("  filled: %u connections, %llu segments, %llu cycles, %.1f s\n",
		      toe_ref_conn_count(td_ref(r->t)), (unsigned long long)r->segs,
		      (unsigned long long)td_engine_now(r->t), wall_s() - w0);
	next_epoch = r->segs + epoch_len;
	next_progress = progress ? (r->segs / progress + 1) * progress : UINT64_MAX;
	while (r->segs < nsegs) {
		struct act cand[K_CAND], *best = NULL;
		uint64_t bs = UINT64_MAX, bo = UINT64_MAX;
		unsigned conns = toe_ref_conn_count(td_ref(r->t));
		unsigned k, nc = 0;

		steps++;
		if (stall_until && steps >= stall_until) {
			td_user_ready(r->t, true);
			stall_until = 0;
		}
		r->filling = conns + 50 < live;
		if (chance(r, AIM_PCT) && try_aim(r)) {
			/* aimed at a timer */
		} else if (chance(r, 14)) {
			do_unbound(r);
		} else if (chance(r, 2)) {
			do_spoilt(r);
		} else if (rr(r, 4000) == 0) {
			r->kinds[G_WAIT]++;
			td_wait(r->t, (uint64_t)(1 + rr(r, 4)) * td_config(r->t)->ref.rto_init);
		} else if (!stall_until && rr(r, 4000) == 0) {
			r->kinds[G_USER_STALL]++;
			td_user_ready(r->t, false);
			stall_until = steps + 20 + rr(r, 200);
		} else {
			/* the soonest of: a new connection (often while the
			 * table is below 1000), handshakes waiting for their
			 * peer (oldest first), K_CAND moves on random
			 * connections */
			bool need_new = conns < live;

			if (conns < td_pass(r->t) && (need_new || chance(r, 4))) {
				memset(&cand[nc], 0, sizeof(cand[nc]));
				gen_new(r, &cand[nc], r->data[nc], r->opt[nc]);
				if (cand[nc].kind == A_SEG)
					cand[nc].id = td_bind_seg(r->t, &cand[nc].seg);
				nc++;
			} else {
				need_new = false;
			}
			nc += hs_candidates(r, cand + nc, r->data + nc, r->opt + nc, 4);
			while (conns > 0 && nc < K_CAND) {
				struct act *a = &cand[nc];
				struct toe_ref_conn_info ci;
				int id = -1;

				if (r->ntouched && chance(r, 30))
					id = r->touched[rr(r, r->ntouched < 64 ? r->ntouched : 64)];
				while (id < 0 || toe_ref_conn_info(td_ref(r->t), id, &ci) != TOE_REF_OK)
					id = (int)rr(r, td_pass(r->t));
				gen_conn_fill(r, a, id, r->data[nc], r->opt[nc]);
				if (a->kind == A_SEG)
					a->id = td_bind_seg(r->t, &a->seg);
				nc++;
			}
			/* below the target the new connection goes first unless
			 * a move fits before its slot without delaying it */
			for (k = 0; k < nc; k++) {
				uint64_t sl = act_slot(r, &cand[k]);

				if (k == 0 && need_new) {
					bs = sl;
					best = &cand[0];
					continue;
				}
				if (need_new ? sl + fit_margin(&cand[0], &cand[k]) <= bs &&
						       (best == &cand[0] || sl < bo)
					     : sl < bs) {
					if (need_new)
						bo = sl;
					else
						bs = sl;
					best = &cand[k];
				}
			}
			if (!best) {
				do_unbound(r);
				continue;
			}
			exec_act(r, best);
		}
		if (steps % 48 == 0)
			td_sync(r->t);
		if (r->segs >= next_progress) {
			double el = wall_s() - w0;

			td_get_stats(r->t, &st);
			print_message("  progress: %llu of %llu segments, 0 divergences, %llu frames "
				      "compared, %llu timers, %llu aimed, %u connections, %.1f s, "
				      "%.0f segments/s\n", (unsigned long long)r->segs,
				      (unsigned long long)nsegs, (unsigned long long)st.frames_cmp,
				      (unsigned long long)st.timers, (unsigned long long)aimed(r),
				      toe_ref_conn_count(td_ref(r->t)), el, (double)r->segs / el);
			fflush(stdout);
			next_progress = (r->segs / progress + 1) * progress;
		}
		if (r->segs >= next_epoch || r->segs >= nsegs) {
			if (stall_until) {
				td_user_ready(r->t, true);
				stall_until = 0;
			}
			quiesce(r);
			td_rephase(r->t);
			td_check_all_conns(r->t);
			td_check_stats(r->t);
			td_rephase(r->t);
			epochs++;
			next_epoch += epoch_len;
			td_get_stats(r->t, &st);
			print_message("  epoch %u: %u connections, %llu segments, %llu frames compared, %llu "
				      "events, %llu cycles, %.1f s\n", epochs, toe_ref_conn_count(td_ref(r->t)),
				      (unsigned long long)r->segs, (unsigned long long)st.frames_cmp,
				      (unsigned long long)st.events_cmp,
				      (unsigned long long)st.cycles, wall_s() - w0);
		}
	}
	td_get_stats(r->t, &st);
	toe_ref_stats(td_ref(r->t), &rs);
	print_message("random run, seed %llu: 0 divergences\n", (unsigned long long)seed);
	print_message("  segments fed          %llu (%llu frames in all, %llu rejected by the "
		      "codec/parser, %llu stimuli)\n", (unsigned long long)r->segs,
		      (unsigned long long)st.frames_in, (unsigned long long)r->junk,
		      (unsigned long long)st.steps);
	print_message("  connections           %llu at most at once (table %u)\n",
		      (unsigned long long)st.max_conns, td_pass(r->t));
	print_message("  frames compared       %llu TCP + %llu ARP/ICMP, byte for byte\n",
		      (unsigned long long)st.frames_cmp, (unsigned long long)st.l2_cmp);
	print_message("  events compared       %llu; payload packets %llu (%llu bytes); "
		      "commands %llu; connection read-outs %llu\n",
		      (unsigned long long)st.events_cmp, (unsigned long long)st.payload_cmp,
		      (unsigned long long)st.payload_bytes, (unsigned long long)st.cmds,
		      (unsigned long long)st.conn_checks);
	print_message("  segments compared     SYN %llu, SYN-ACK %llu, ACK %llu, FIN-ACK %llu, "
		      "RST %llu, RST-ACK %llu\n", (unsigned long long)st.seg_kind[0],
		      (unsigned long long)st.seg_kind[1], (unsigned long long)st.seg_kind[2],
		      (unsigned long long)st.seg_kind[3], (unsigned long long)st.seg_kind[4],
		      (unsigned long long)st.seg_kind[5]);
	print_message("  events compared       ESTABLISHED %llu, PEER_FIN %llu, CLOSED %llu, "
		      "RESET %llu, REFUSED %llu, TIMEDOUT %llu, RX_DATA %llu\n",
		      (unsigned long long)st.ev_type[1], (unsigned long long)st.ev_type[2],
		      (unsigned long long)st.ev_type[3], (unsigned long long)st.ev_type[4],
		      (unsigned long long)st.ev_type[5], (unsigned long long)st.ev_type[6],
		      (unsigned long long)st.ev_type[7]);
	print_message("  timers fired          %llu (deadline to first beat %llu..%llu "
		      "cycles); stimuli moved off another connection's timer %llu, decided on "
		      "their own one's deadline %llu; off-phase deadlines %llu\n",
		      (unsigned long long)st.timers, (unsigned long long)st.lag_min,
		      (unsigned long long)st.lag_max, (unsigned long long)st.moved,
		      (unsigned long long)st.own_kept, (unsigned long long)st.tmr_offphase);
	print_message("  reference stats       in %llu out %llu rst %llu challenge %llu "
		      "(suppressed %llu) dropped %llu rx bytes %llu retransmits %llu\n",
		      (unsigned long long)rs.segs_in, (unsigned long long)rs.segs_out,
		      (unsigned long long)rs.rst_out, (unsigned long long)rs.challenge_acks,
		      (unsigned long long)rs.challenge_acks_suppressed,
		      (unsigned long long)rs.dropped, (unsigned long long)rs.rx_bytes,
		      (unsigned long long)rs.retransmits);
	print_message("  divergences           0\n");
	print_message("  cycles simulated      %llu (%.3f s at 156.25 MHz)\n",
		      (unsigned long long)st.cycles, (double)st.cycles / 156.25e6);
	print_message("  wall time             %.1f s (%.0f segments/s)\n", wall_s() - w0,
		      (double)r->segs / (wall_s() - w0));
	print_message("  stimuli by kind:\n");
	for (i = 0; i < G_COUNT; i++)
		print_message("    %-44s %llu\n", tag_name[i], (unsigned long long)r->kinds[i]);
	{
		uint64_t tot_o[O_COUNT] = { 0 }, tot_k[K_COUNT] = { 0 }, all = 0;
		unsigned k, o;

		print_message("  aimed at their own connection's timer, seed %llu (kind x offset "
			      "from the deadline d; lag %u):\n", (unsigned long long)seed,
			      td_lag(r->t));
		print_message("    %-18s", "");
		for (o = 0; o < O_COUNT; o++)
			print_message(" %11s", aim_off_name[o]);
		print_message(" %8s\n", "all");
		for (k = 0; k < K_COUNT; k++) {
			print_message("    %-18s", aim_kind_name[k]);
			for (o = 0; o < O_COUNT; o++) {
				print_message(" %11llu", (unsigned long long)r->aim[k][o]);
				tot_o[o] += r->aim[k][o];
				tot_k[k] += r->aim[k][o];
				all += r->aim[k][o];
			}
			print_message(" %8llu\n", (unsigned long long)tot_k[k]);
		}
		print_message("    %-18s", "all");
		for (o = 0; o < O_COUNT; o++)
			print_message(" %11llu", (unsigned long long)tot_o[o]);
		print_message(" %8llu\n", (unsigned long long)all);
		print_message("    decided late (the timer job held the core) %llu; refused (another "
			      "connection's timer near, too close) %llu; no timer there (not "
			      "counted) %llu; aborted after, timer off phase %llu\n",
			      (unsigned long long)r->aim_held, (unsigned long long)r->aim_refused,
			      (unsigned long long)r->aim_missed, (unsigned long long)r->aim_fixup);
		/* the generator still makes them */
		for (o = 0; nsegs >= 20000 && o < O_COUNT; o++)
			if (tot_o[o] < nsegs / AIM_MIN_OFF_PER)
				fail_msg("aimed at a timer at %s: %llu, fewer than %llu",
					 aim_off_name[o], (unsigned long long)tot_o[o],
					 (unsigned long long)(nsegs / AIM_MIN_OFF_PER));
		for (k = 0; nsegs >= 20000 && k < K_COUNT; k++)
			if (tot_k[k] < nsegs / AIM_MIN_KIND_PER)
				fail_msg("aimed at a timer, %s: %llu, fewer than %llu", aim_kind_name[k],
					 (unsigned long long)tot_k[k],
					 (unsigned long long)(nsegs / AIM_MIN_KIND_PER));
		if (nsegs >= 20000 && !r->aim_held)
			fail_msg("no aimed stimulus was held by a timer job");
		/* every deadline on its connection's phase (aim_fixup) */
		assert_int_equal(st.tmr_offphase, 0);
	}
	{
		struct td_lat l;

		td_get_lat(r->t, &l);
		td_print_lat(&l, "random run");
	}
	/* the run exercised what it claims */
	assert_true(st.max_conns >= 1000);
	if (nsegs >= 20000)
		assert_true(rs.challenge_acks_suppressed > 0);
	assert_true(r->segs >= nsegs);
	for (i = 0; i < G_COUNT; i++)
		if (nsegs >= 20000 && !r->kinds[i])
			fail_msg("the run never did: %s", tag_name[i]);
	td_free(r->t);
	free(r);
}
