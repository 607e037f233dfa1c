/* SPDX-License-Identifier: MIT */
/*
 * tcb_core_dual.h - the differential harness shared by the toe_tcb_core
 * runners (test_rtl_tcb_core.c, N_CONN 1024, and test_rtl_tcb_core_64k.c,
 * N_CONN 65536): the RTL core and the reference stack side by side, the
 * same segments, commands and time into both, every output compared field
 * by field, in order.
 *
 * Time (how timers are compared exactly): before an input at time T the
 * harness steps both through every timer deadline d <= T that the
 * reference reports (toe_ref_next_timer): the reference runs its timers up
 * to d; the RTL gets now = d, its timer scan is restarted at id 0 and runs
 * one full pass, so every timer due at d fires in id order, which is the
 * reference's order for equal deadlines (ties by id). Outputs are compared
 * after each such step. The RTL's timer actions depend only on the
 * deadline, so the segments are identical; only the cycle they leave on
 * differs (measured separately by the timer tests).
 *
 * Start time: d_init starts both at 0, d_init_at at any tick t0. The
 * reference has no clock of its own (time comes with every call and never
 * goes backwards), so advancing it to t0 while it holds no connection
 * starts it there; the RTL gets now = t0. Both keep 64-bit `now`; the RTL
 * stores timer stamps modulo 2^TOE_CFG_TIME_BITS, so a start just below a
 * multiple of 2^TOE_CFG_TIME_BITS makes a run cross the stamps' wrap.
 * With wrap_at set, d_advance counts the timer expiries at or after it
 * (fires_after_wrap) and notes the crossing (wrap_step, timers_at_wrap).
 *
 * Jump mode (d->jump): inputs are not preceded by the deadline stepping;
 * the reference runs its due timers inside the input call and the RTL in
 * the job ("timers first") or with its scanner while the input waits. The
 * order across connections may then differ, so use it only where every
 * timer due by the input's time is the input's own connection's.
 *
 * Included by the runners (static functions, one copy per runner).
 */
#ifndef TCB_CORE_DUAL_H
#define TCB_CORE_DUAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refkit.h"
#include "tcb_core_model.h"
#include "test_rng.h"
#include "toe_ref.h"

#define D_LOCAL_MAC 0x02AABBCCDDEEULL

/* Every peer's MAC follows from its IP. */
static inline uint64_t d_mac_of(uint32_t ip)
{
	return 0x020000000000ULL | ip;
}

struct dual {
	struct toe_ref *r;
	struct tcb_core_model *m;
	struct toe_ref_cfg cfg;
	uint64_t now;
	uint32_t seed;       /* printed on failure */
	unsigned step;       /* inputs so far, printed on failure */
	uint64_t timer_steps;
	uint64_t n_tx, n_ev;
	uint64_t ev_type[8];   /* compared events by type */
	uint64_t tx_kind[6];   /* compared segments: S, SA, A, FA, R, RA */
	bool jump;             /* inputs without deadline stepping (top) */
	/* the wrap watch (d_init_at; 0: none) */
	uint64_t wrap_at;
	bool wrap_crossed;
	unsigned wrap_step;      /* inputs before now reached wrap_at */
	unsigned timers_at_wrap; /* connections with a timer running then */
	uint64_t fires_after_wrap; /* retransmissions, give-ups, TIME-WAIT
				    * ends at deadlines >= wrap_at */
};

/* Fail with the run's seed and step. */
#define D_FAIL(d, ...) do { \
	print_message("seed %u step %u now %llu: ", (d)->seed, (d)->step, \
		      (unsigned long long)(d)->now); \
	print_message(__VA_ARGS__); \
	print_message("\n"); \
	fail(); \
} while (0)

#define D_EQ(d, what, a, b) do { \
	unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
	if (a_ != b_) \
		D_FAIL(d, "%s: ref %llu (0x%llx) rtl %llu (0x%llx)", what, a_, a_, b_, b_); \
} while (0)

static inline void d_tm_cfg(struct tm_cfg *t, const struct toe_ref_cfg *c)
{
	memset(t, 0, sizeof(*t));
	t->local_ip = c->local_ip;
	t->local_mac = D_LOCAL_MAC;
	t->mtu = c->mtu;
	t->rcv_wnd = c->rcv_wnd;
	t->syn_wnd = c->syn_wnd;
	t->ttl = c->ttl;
	t->df = c->df;
	t->ip_id_init = c->ip_id_init;
	t->ip_id_step = c->ip_id_step;
	t->rto_init = c->rto_init;
	t->rto_max = c->rto_max;
	t->syn_giveup = c->syn_giveup;
	t->synack_giveup = c->synack_giveup;
	t->fin_giveup = c->fin_giveup;
	t->msl = c->msl;
	t->ca_limit = c->challenge_ack_limit;
	t->ca_window = c->challenge_ack_window;
	t->max_conns = c->max_conns;
	t->max_listeners = c->max_listeners;
	memcpy(t->hash_key, c->isn_key, 16);
}

static uint32_t d_isn_cb(void *ctx, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct dual *d = ctx;

	return toe_ref_isn(d->r, d->cfg.local_ip, lport, rip, rport, d->now);
}

static inline void d_init(struct dual *d, const struct toe_ref_cfg *cfg,
			  uint32_t seed)
{
	struct tm_cfg t;

	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->seed = seed;
	d->r = toe_ref_new(cfg);
	assert_non_null(d->r);
	d_tm_cfg(&t, cfg);
	d->m = tm_new(seed, &t);
	assert_non_null(d->m);
	tm_set_isn_fn(d->m, d_isn_cb, d);
}

/* d_init, then both at time t0 (see the top); wrap_at: the time whose
 * crossing d_advance watches, or 0. */
static inline void d_init_at(struct dual *d, const struct toe_ref_cfg *cfg,
			     uint32_t seed, uint64_t t0, uint64_t wrap_at)
{
	d_init(d, cfg, seed);
	d->now = t0;
	toe_ref_advance(d->r, t0);
	tm_set_now(d->m, t0);
	d->wrap_at = wrap_at;
}

static inline void d_fini(struct dual *d)
{
	tm_free(d->m);
	toe_ref_free(d->r);
	d->m = NULL;
	d->r = NULL;
}

static inline void d_cmp_tx(struct dual *d, const struct toe_ref_out *o,
			    const struct tm_tx *t)
{
	char fa[9], fb[9];

	if (o->seg.flags != t->flags || o->seg.seq != t->seq ||
	    o->seg.ack != t->ack)
		D_FAIL(d, "segment: ref %s seq %u ack %u conn %d, rtl %s seq %u ack %u conn %d",
		       kit_flags_str(o->seg.flags, fa), o->seg.seq, o->seg.ack,
		       o->conn, kit_flags_str(t->flags, fb), t->seq, t->ack,
		       t->conn);
	D_EQ(d, "tx src_ip", o->seg.src_ip, t->src_ip);
	D_EQ(d, "tx dst_ip", o->seg.dst_ip, t->dst_ip);
	D_EQ(d, "tx src_port", o->seg.src_port, t->src_port);
	D_EQ(d, "tx dst_port", o->seg.dst_port, t->dst_port);
	D_EQ(d, "tx win", o->seg.win, t->win);
	D_EQ(d, "tx has_mss", o->seg.opt.has_mss, t->mss_valid);
	if (o->seg.opt.has_mss)
		D_EQ(d, "tx mss", o->seg.opt.mss, t->mss);
	D_EQ(d, "tx ip id", o->ip.id, t->ip_id);
	D_EQ(d, "tx ttl", o->ip.ttl, t->ttl);
	D_EQ(d, "tx df", o->ip.df, t->df);
	D_EQ(d, "tx conn", o->conn, t->conn);
	D_EQ(d, "tx dst_mac", d_mac_of(o->seg.dst_ip), t->dst_mac);
	D_EQ(d, "tx src_mac", D_LOCAL_MAC, t->src_mac);
	switch (t->flags) {
	case 0x02: d->tx_kind[0]++; break;
	case 0x12: d->tx_kind[1]++; break;
	case 0x10: d->tx_kind[2]++; break;
	case 0x11: d->tx_kind[3]++; break;
	case 0x04: d->tx_kind[4]++; break;
	default: d->tx_kind[5]++; break;
	}
}

/* One line: how many of each segment kind and event type were compared. */
static inline void d_print_mix(const struct dual *d)
{
	print_message("      compared: SYN %llu, SYN-ACK %llu, ACK %llu, FIN-ACK %llu, "
		      "RST %llu, RST-ACK %llu; events ESTABLISHED %llu, PEER_FIN %llu, "
		      "CLOSED %llu, RESET %llu, REFUSED %llu, TIMEDOUT %llu, "
		      "RX_DATA %llu\n",
		      (unsigned long long)d->tx_kind[0], (unsigned long long)d->tx_kind[1],
		      (unsigned long long)d->tx_kind[2], (unsigned long long)d->tx_kind[3],
		      (unsigned long long)d->tx_kind[4], (unsigned long long)d->tx_kind[5],
		      (unsigned long long)d->ev_type[1], (unsigned long long)d->ev_type[2],
		      (unsigned long long)d->ev_type[3], (unsigned long long)d->ev_type[4],
		      (unsigned long long)d->ev_type[5], (unsigned long long)d->ev_type[6],
		      (unsigned long long)d->ev_type[7]);
}

/*
 * Compare everything both produced since the last call: segments and
 * events, in order, then nothing left on either side. seg_len: the payload
 * length of the segment just input (0 if none), for RX_DATA offsets.
 */
static inline void d_cmp_out(struct dual *d)
{
	struct toe_ref_out o;
	struct toe_ref_event e;
	struct tm_tx t;
	struct tm_ev v;

	while (toe_ref_pop_out(d->r, &o)) {
		if (!tm_pop_tx(d->m, &t))
			D_FAIL(d, "ref sent seq %u ack %u flags 0x%02x conn %d; rtl nothing",
			       o.seg.seq, o.seg.ack, o.seg.flags, o.conn);
		d_cmp_tx(d, &o, &t);
		d->n_tx++;
	}
	if (tm_pop_tx(d->m, &t))
		D_FAIL(d, "rtl sent seq %u ack %u flags 0x%02x conn %d; ref nothing",
		       t.seq, t.ack, t.flags, t.conn);
	while (toe_ref_pop_event(d->r, &e)) {
		if (!tm_pop_ev(d->m, &v))
			D_FAIL(d, "ref event %s conn %d; rtl none",
			       toe_ref_event_name(e.type), e.conn);
		if (e.type != v.type || e.conn != v.conn)
			D_FAIL(d, "event: ref %s conn %d, rtl %s conn %d",
			       toe_ref_event_name(e.type), e.conn,
			       toe_ref_event_name(v.type), v.conn);
		if (e.type == TOE_EV_RX_DATA)
			D_EQ(d, "RX_DATA bytes", e.len, v.arg);
		d->n_ev++;
		d->ev_type[e.type & 7]++;
	}
	if (tm_pop_ev(d->m, &v))
		D_FAIL(d, "rtl event %s conn %d; ref none",
		       toe_ref_event_name(v.type), v.conn);
}

/* Connections of the reference whose timer runs (a SYN, SYN-ACK or FIN
 * not yet acknowledged, or TIME-WAIT). */
static inline unsigned d_timers_running(const struct dual *d)
{
	unsigned n = 0;

	for (uint32_t id = 0; id < d->cfg.max_conns; id++) {
		struct toe_ref_conn_info i;

		if (toe_ref_conn_info(d->r, (int)id, &i) != TOE_REF_OK)
			continue;
		switch (i.state) {
		case TOE_ST_SYN_SENT: case TOE_ST_SYN_RECEIVED:
		case TOE_ST_FIN_WAIT_1: case TOE_ST_CLOSING:
		case TOE_ST_LAST_ACK: case TOE_ST_TIME_WAIT:
			n++;
			break;
		default:
			break;
		}
	}
	return n;
}

/* now is about to become t: note the first crossing of wrap_at. */
static inline void d_wrap_note(struct dual *d, uint64_t t)
{
	if (!d->wrap_at || d->wrap_crossed || t < d->wrap_at)
		return;
	d->wrap_crossed = true;
	d->wrap_step = d->step;
	d->timers_at_wrap = d_timers_running(d);
}

/* Step both through every timer deadline up to t (see the top). */
static inline void d_advance(struct dual *d, uint64_t t)
{
	if (t < d->now)
		t = d->now;
	if (d->jump) {
		/* the input call that follows runs the due timers */
		d_wrap_note(d, t);
		d->now = t;
		tm_set_now(d->m, t);
		return;
	}
	for (;;) {
		uint64_t nt = toe_ref_next_timer(d->r);
		struct toe_ref_stats s0, s1;
		uint64_t ev0 = d->n_ev;

		if (nt > t)
			break;
		d_wrap_note(d, nt);
		if (d->wrap_at)
			toe_ref_stats(d->r, &s0);
		d->now = nt;
		toe_ref_advance(d->r, nt);
		tm_set_now(d->m, nt);
		tm_scan_pass(d->m);
		d_cmp_out(d);
		d->timer_steps++;
		if (d->wrap_at && nt >= d->wrap_at) {
			/* everything a timer step gives is a timer's: one
			 * segment per retransmission, one event per give-up
			 * or TIME-WAIT end */
			toe_ref_stats(d->r, &s1);
			d->fires_after_wrap += s1.retransmits - s0.retransmits +
					       (d->n_ev - ev0);
		}
	}
	d_wrap_note(d, t);
	d->now = t;
	toe_ref_advance(d->r, t);
	tm_set_now(d->m, t);
	/* timers due at exactly t that the reference fired above */
	d_cmp_out(d);
}

/* A probe: d_advance to t, then a full pass of the RTL's timer scan from
 * id 0 at t; the outputs compared (a timer the RTL finds due before the
 * reference's deadline diverges here). */
static inline void d_tick(struct dual *d, uint64_t t)
{
	d_advance(d, t);
	tm_scan_pass(d->m);
	if (!tm_settle(d->m, 100000))
		D_FAIL(d, "rtl did not settle after a scan pass");
	d_cmp_out(d);
}

/*
 * now jumps to t with no deadline stepping, then one scan pass from id 0:
 * the timers due by t fire as the RTL's scanner finds them, after their
 * deadlines (as the engine's scanner finds a deadline up to a pass late).
 * The reference fires them in deadline order, the RTL in id order: use it
 * where the two orders agree.
 */
static inline void d_scan_jump(struct dual *d, uint64_t t)
{
	if (t < d->now)
		t = d->now;
	d_wrap_note(d, t);
	d->now = t;
	toe_ref_advance(d->r, t);
	tm_set_now(d->m, t);
	tm_scan_pass(d->m);
	if (!tm_settle(d->m, 100000))
		D_FAIL(d, "rtl did not settle after a scan pass");
	d_cmp_out(d);
}

/*
 * d_advance to t with a probe one tick before each deadline it steps
 * through, and one at t: a timer that fires a tick early diverges at the
 * probe, one that fires late at its deadline.
 */
static inline void d_advance_exact(struct dual *d, uint64_t t)
{
	for (;;) {
		uint64_t nt = toe_ref_next_timer(d->r);

		if (nt > t)
			break;
		if (nt > d->now + 1)
			d_tick(d, nt - 1);
		d_advance(d, nt);
	}
	d_tick(d, t);
}

/* The payload decision of the segment just input against the reference's
 * RX_DATA event for it (looked at before d_cmp_out pops it). */
static inline void d_cmp_pl(struct dual *d, const struct toe_seg *s)
{
	struct tm_pl pl;
	struct toe_ref_event e;
	bool have = false;

	if (!tm_pop_pl(d->m, &pl))
		D_FAIL(d, "rtl gave no payload decision");
	if (tm_pop_pl(d->m, &pl))
		D_FAIL(d, "rtl gave two payload decisions");
	/* find an RX_DATA among the reference's new events without losing
	 * them: pop all, check, compare with the rtl's, in d_cmp_out order */
	struct toe_ref_event evs[8];
	int n = 0;

	while (n < 8 && toe_ref_pop_event(d->r, &evs[n]))
		n++;
	for (int i = 0; i < n; i++) {
		e = evs[i];
		if (e.type == TOE_EV_RX_DATA) {
			have = true;
			if (!pl.deliver)
				D_FAIL(d, "ref delivered %u bytes, rtl dropped the payload", e.len);
			D_EQ(d, "payload conn", e.conn, pl.conn);
			D_EQ(d, "payload len", e.len, pl.len);
			D_EQ(d, "payload off", e.data - s->data, pl.off);
		}
	}
	if (!have && pl.deliver)
		D_FAIL(d, "rtl delivered %u bytes at %u, ref none", pl.len, pl.off);
	/* compare the events in order */
	struct tm_ev v;

	for (int i = 0; i < n; i++) {
		if (!tm_pop_ev(d->m, &v))
			D_FAIL(d, "ref event %s conn %d; rtl none",
			       toe_ref_event_name(evs[i].type), evs[i].conn);
		if (evs[i].type != v.type || evs[i].conn != v.conn)
			D_FAIL(d, "event: ref %s conn %d, rtl %s conn %d",
			       toe_ref_event_name(evs[i].type), evs[i].conn,
			       toe_ref_event_name(v.type), v.conn);
		if (evs[i].type == TOE_EV_RX_DATA)
			D_EQ(d, "RX_DATA bytes", evs[i].len, v.arg);
		d->n_ev++;
		d->ev_type[evs[i].type & 7]++;
	}
}

static inline struct tm_seg d_tm_seg(struct dual *d, const struct toe_seg *s)
{
	struct tm_seg t;

	memset(&t, 0, sizeof(t));
	t.src_mac = d_mac_of(s->src_ip);
	t.src_ip = s->src_ip;
	t.dst_ip = s->dst_ip;
	t.src_port = s->src_port;
	t.dst_port = s->dst_port;
	t.seq = s->seq;
	t.ack = s->ack;
	t.flags = s->flags;
	t.win = s->win;
	t.mss_valid = s->opt.has_mss;
	t.mss = s->opt.mss;
	t.len = s->len;
	t.isn = toe_ref_isn(d->r, s->dst_ip, s->dst_port, s->src_ip,
			    s->src_port, d->now);
	return t;
}

/* One segment into both at time t; outputs compared. */
static inline void d_seg(struct dual *d, const struct toe_seg *s, uint64_t t)
{
	struct tm_seg ts;

	d_advance(d, t);
	d->step++;
	toe_ref_input(d->r, s, d->now);
	ts = d_tm_seg(d, s);
	tm_input(d->m, &ts);
	if (!tm_settle(d->m, 100000))
		D_FAIL(d, "rtl did not settle after a segment");
	d_cmp_pl(d, s);
	d_cmp_out(d);
}

/* Compare the result of a call: ref's return value vs the rtl's. */
static inline void d_cmp_rc(struct dual *d, const char *what, int ref, int rtl)
{
	if (ref != rtl)
		D_FAIL(d, "%s: ref returned %d, rtl %d", what, ref, rtl);
}

static inline int d_connect(struct dual *d, uint16_t lport, uint32_t rip,
			    uint16_t rport, uint64_t t)
{
	int a, b;

	d_advance(d, t);
	d->step++;
	a = toe_ref_connect(d->r, lport, rip, rport, d->now);
	b = tm_connect(d->m, lport, rip, rport, d_mac_of(rip));
	tm_settle(d->m, 100000);
	d_cmp_rc(d, "connect", a, b);
	d_cmp_out(d);
	return a;
}

/* close / shutdown / abort: op TM_CMD_* */
static inline int d_call(struct dual *d, int op, int conn, uint64_t t)
{
	int a = 0, b;

	d_advance(d, t);
	d->step++;
	switch (op) {
	case TM_CMD_CLOSE: a = toe_ref_close(d->r, conn, d->now); break;
	case TM_CMD_SHUTDOWN: a = toe_ref_shutdown_wr(d->r, conn, d->now); break;
	case TM_CMD_ABORT: a = toe_ref_abort(d->r, conn, d->now); break;
	default: fail();
	}
	b = tm_cmd(d->m, op, conn, 0, 0, 0, 0);
	tm_settle(d->m, 100000);
	d_cmp_rc(d, op == TM_CMD_CLOSE ? "close" : op == TM_CMD_SHUTDOWN ?
		 "shutdown" : "abort", a, b);
	d_cmp_out(d);
	return a;
}

static inline int d_listen(struct dual *d, uint16_t port, bool on)
{
	int a, b;

	d->step++;
	a = on ? toe_ref_listen(d->r, port) : toe_ref_unlisten(d->r, port);
	b = on ? tm_listen(d->m, port) : tm_unlisten(d->m, port);
	d_cmp_rc(d, on ? "listen" : "unlisten", a, b);
	return a;
}

static inline int d_fixture(struct dual *d, const struct toe_ref_conn_info *i,
			    uint64_t t)
{
	struct tm_fixture f;
	int a, b;

	d_advance(d, t);
	d->step++;
	memset(&f, 0, sizeof(f));
	f.state = i->state;
	f.local_port = i->local_port;
	f.remote_port = i->remote_port;
	f.remote_ip = i->remote_ip;
	f.remote_mac = d_mac_of(i->remote_ip);
	f.iss = i->iss;
	f.irs = i->irs;
	f.snd_una = i->snd_una;
	f.snd_nxt = i->snd_nxt;
	f.rcv_nxt = i->rcv_nxt;
	f.snd_wnd = (uint16_t)i->snd_wnd;
	f.peer_mss = i->peer_mss;
	f.passive = i->passive;
	f.closed_by_user = i->closed_by_user;
	f.wr_shut = i->wr_shut;
	a = toe_ref_fixture(d->r, i, d->now);
	b = tm_make_fixture(d->m, &f);
	d_cmp_rc(d, "fixture", a, b);
	d_cmp_out(d);
	return a;
}

static inline void d_rx_ready(struct dual *d, bool ready)
{
	toe_ref_set_rx_ready(d->r, ready);
	tm_set_rx_ready(d->m, ready);
}

static inline void d_pin(struct dual *d, uint32_t isn)
{
	toe_ref_pin_isn(d->r, isn);
	tm_pin_isn(d->m, isn);
}

/* Every connection's variables equal (ids 0..max_conns-1). */
static inline void d_cmp_conns(struct dual *d)
{
	for (uint32_t id = 0; id < d->cfg.max_conns; id++) {
		struct toe_ref_conn_info a;
		struct tm_info b;
		int ra = toe_ref_conn_info(d->r, (int)id, &a);
		int rb = tm_get_info(d->m, (int)id, &b);

		if (ra != rb)
			D_FAIL(d, "conn %u: ref info %d, rtl %d (state %d)", id,
			       ra, rb, b.state);
		if (ra)
			continue;
		char w[64];
#define D_F(f) do { snprintf(w, sizeof(w), "conn %u " #f, id); \
	D_EQ(d, w, a.f, b.f); } while (0)
		D_F(state);
		D_F(local_port);
		D_F(remote_ip);
		D_F(remote_port);
		D_F(iss);
		D_F(irs);
		D_F(snd_una);
		D_F(snd_nxt);
		D_F(snd_wnd);
		D_F(max_snd_wnd);
		D_F(rcv_nxt);
		D_F(peer_mss);
		D_F(eff_mss);
		D_F(passive);
		D_F(closed_by_user);
		D_F(wr_shut);
		D_F(retransmits);
#undef D_F
		snprintf(w, sizeof(w), "conn %u remote mac", id);
		D_EQ(d, w, d_mac_of(a.remote_ip), b.remote_mac);
	}
}

static inline void d_cmp_stats(struct dual *d)
{
	struct toe_ref_stats a;
	struct tm_stats b;

	toe_ref_stats(d->r, &a);
	tm_get_stats(d->m, &b);
	D_EQ(d, "stats segs_in", a.segs_in, b.segs_in);
	D_EQ(d, "stats segs_out", a.segs_out, b.segs_out);
	D_EQ(d, "stats rst_out", a.rst_out, b.rst_out);
	D_EQ(d, "stats challenge_acks", a.challenge_acks, b.challenge_acks);
	D_EQ(d, "stats challenge_acks_suppressed", a.challenge_acks_suppressed,
	     b.challenge_acks_suppressed);
	D_EQ(d, "stats dropped", a.dropped, b.dropped);
	D_EQ(d, "stats rx_bytes", a.rx_bytes, b.rx_bytes);
	D_EQ(d, "stats retransmits", a.retransmits, b.retransmits);
}

/* ------------------------------------------------------------------ */
/* randomized differential run                                          */
/* ------------------------------------------------------------------ */


static inline bool d_pct(uint64_t *s, unsigned pct)
{
	return rng_below(s, 100) < pct;
}

/* payload bytes for random segments (any length up to 65535) */
static uint8_t d_payload_buf[65536];

struct d_run_cfg {
	unsigned steps;       /* inputs (segments + calls) */
	unsigned peers;       /* distinct remote IPs */
	unsigned check_every; /* full conn/stat comparison period */
	unsigned long_jump_pct; /* % of steps that jump seconds ahead */
	unsigned mid_jump_pct;  /* % of steps that jump up to rto_init / 10 */
	unsigned ramp_steps;  /* first steps: only SYNs and their final ACKs */
	bool calm;            /* fewer RSTs, closes and aborts: more live */
	unsigned target_live; /* steer the live connections towards this */
};

struct d_run_stats {
	uint64_t segs, calls, conns_made, max_live, live_sum, live_n;
};

static const uint16_t d_lports[] = { 80, 443, 8080, 22, 25 };

/* A sequence number near `base` (the right one most of the time). */
static inline uint32_t d_near(uint64_t *rs, uint32_t base, uint32_t wnd)
{
	switch (rng_below(rs, 12)) {
	case 0: return base - 1 - rng_below(rs, 8);
	case 1: return base + 1 + rng_below(rs, 8);
	case 2: return base + rng_below(rs, wnd + 2);
	case 3: return base + wnd - 1 + rng_below(rs, 3);
	case 4: return (uint32_t)rng_next(rs);
	case 5: return base - 0x40000000u;
	default: return base;
	}
}

static inline uint16_t d_rnd_len(uint64_t *rs)
{
	switch (rng_below(rs, 10)) {
	case 0: return (uint16_t)(1 + rng_below(rs, 9000));
	case 1: return (uint16_t)(1 + rng_below(rs, 65535));
	case 2: case 3: return (uint16_t)(1 + rng_below(rs, 1460));
	default: return (uint16_t)(1 + rng_below(rs, 64));
	}
}

static inline uint16_t d_rnd_win(uint64_t *rs)
{
	switch (rng_below(rs, 10)) {
	case 0: return 0;
	case 1: case 2: return (uint16_t)rng_below(rs, 65536);
	case 3: return (uint16_t)(1 + rng_below(rs, 100));
	default: return 65535;
	}
}

/* A segment from the peer of connection info i. */
static inline struct toe_seg d_conn_seg(uint64_t *rs, const struct toe_ref_conn_info *i,
					uint32_t wnd, bool calm)
{
	struct toe_seg s;
	static const uint8_t fl[] = {
		0x10, 0x10, 0x10, 0x10, 0x18, 0x18, 0x18, 0x11, 0x11, 0x19,
		0x04, 0x14, 0x02, 0x12, 0x00, 0x01, 0x06, 0x13, 0x16, 0x10,
	};
	bool data;

	memset(&s, 0, sizeof(s));
	s.src_ip = i->remote_ip;
	s.dst_ip = i->local_ip;
	s.src_port = i->remote_port;
	s.dst_port = i->local_port;
	s.flags = fl[rng_below(rs, sizeof(fl))];
	if (calm && (s.flags & 0x04) && d_pct(rs, 50))
		s.flags = 0x10;
	if (i->state == TOE_ST_SYN_SENT && d_pct(rs, 60))
		s.flags = 0x12; /* the peer's SYN-ACK */
	else if (i->state == TOE_ST_SYN_SENT && d_pct(rs, 10))
		s.flags = 0x02; /* simultaneous open */
	data = (s.flags & 0x08) || d_pct(rs, 5);
	s.flags &= (uint8_t)~0x08;
	if (data && d_pct(rs, 50))
		s.flags |= 0x08;
	s.seq = (i->state == TOE_ST_SYN_SENT) ? (uint32_t)rng_next(rs) :
		d_near(rs, i->rcv_nxt, wnd);
	if (i->state == TOE_ST_SYN_RECEIVED && !i->passive && d_pct(rs, 30)) {
		/* the peer's SYN-ACK of a simultaneous open */
		s.flags = 0x12;
		s.seq = i->irs;
		s.ack = i->snd_nxt;
	}
	if (data) {
		s.len = d_rnd_len(rs);
		if (d_pct(rs, 10))
			s.seq = i->rcv_nxt - rng_below(rs, s.len + 1u);
		s.data = d_payload_buf;
	}
	switch (rng_below(rs, 10)) {
	case 0: s.ack = i->snd_una; break;
	case 1: s.ack = i->snd_nxt + 1 + rng_below(rs, 4); break;
	case 2: s.ack = i->snd_una - 1 - rng_below(rs, 70000); break;
	case 3: s.ack = i->iss + rng_below(rs, 3); break;
	case 4: s.ack = (uint32_t)rng_next(rs); break;
	default: s.ack = i->snd_nxt; break;
	}
	if (!(s.flags & 0x10) && d_pct(rs, 50))
		s.ack = 0;
	s.win = d_rnd_win(rs);
	if ((s.flags & 0x02) && d_pct(rs, 60)) {
		s.opt.has_mss = true;
		s.opt.mss = (uint16_t)(d_pct(rs, 70) ? 1460 : rng_below(rs, 10000));
	} else if (d_pct(rs, 3)) {
		s.opt.has_mss = true; /* ignored on a non-SYN (MS-02) */
		s.opt.mss = 100;
	}
	return s;
}

/* A new peer's segment to one of our ports (mostly a SYN to a listener). */
static inline struct toe_seg d_new_seg(uint64_t *rs, const struct dual *d,
				       unsigned peers)
{
	struct toe_seg s;
	static const uint8_t fl[] = { 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x10,
				      0x12, 0x04, 0x14, 0x01, 0x00, 0x11, 0x03 };

	memset(&s, 0, sizeof(s));
	s.src_ip = 0x0A000000u | (1 + rng_below(rs, peers));
	s.dst_ip = d->cfg.local_ip;
	s.src_port = (uint16_t)(1024 + rng_below(rs, 64000));
	s.dst_port = d_lports[rng_below(rs, sizeof(d_lports) / sizeof(d_lports[0]))];
	s.flags = fl[rng_below(rs, sizeof(fl))];
	s.seq = (uint32_t)rng_next(rs);
	s.ack = (uint32_t)rng_next(rs);
	s.win = d_rnd_win(rs);
	if ((s.flags & 0x02) && d_pct(rs, 70)) {
		s.opt.has_mss = true;
		s.opt.mss = (uint16_t)(d_pct(rs, 70) ? 1460 : rng_below(rs, 2000));
	}
	if (d_pct(rs, 5)) {
		s.len = d_rnd_len(rs);
		s.data = d_payload_buf;
	}
	if (d_pct(rs, 2))
		s.dst_ip ^= 0x100; /* not our address */
	return s;
}

/* Pick a connection the reference has (or -1): a random id's info. */
static inline int d_pick_conn(uint64_t *rs, struct dual *d,
			      struct toe_ref_conn_info *i)
{
	unsigned n = toe_ref_conn_count(d->r);

	if (n == 0)
		return -1;
	for (int tries = 0; tries < 64; tries++) {
		int id = (int)rng_below(rs, d->cfg.max_conns);

		if (toe_ref_conn_info(d->r, id, i) == TOE_REF_OK)
			return id;
	}
	for (uint32_t id = 0; id < d->cfg.max_conns; id++)
		if (toe_ref_conn_info(d->r, (int)id, i) == TOE_REF_OK)
			return (int)id;
	return -1;
}

/*
 * Random traffic into both: SYNs from new peers (most to listening ports),
 * segments on live connections with every flag mix and sequence/ack
 * numbers around the right ones, garbage to closed ports, connects,
 * close/shutdown/abort, listen/unlisten, pinned ISNs, the user stream
 * stalling, time creeping and jumping (timers fire, give up, TIME-WAIT
 * ends). Outputs compared after every input; connections and counters
 * every check_every inputs and at the end.
 */
static inline void d_random_run(struct dual *d, const struct d_run_cfg *rc,
				uint64_t rseed, struct d_run_stats *out)
{
	uint64_t rs = rseed * 0x9E3779B97F4A7C15ULL + 1;
	uint64_t t = d->now;
	struct toe_ref_conn_info i;
	unsigned nl = sizeof(d_lports) / sizeof(d_lports[0]);

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < sizeof(d_payload_buf); k++)
		d_payload_buf[k] = (uint8_t)(k * 7 + 3);
	/* listeners on the first three ports */
	for (unsigned k = 0; k < 3; k++)
		d_listen(d, d_lports[k], true);

	for (unsigned step = 0; step < rc->steps; step++) {
		unsigned a = rng_below(&rs, 100);

		if (step < rc->ramp_steps) {
			/* build up: new SYNs, and ACKs completing handshakes */
			a = d_pct(&rs, 50) ? 0 : 30;
		} else if (rc->calm && a >= 89 && a < 95 && d_pct(&rs, 40)) {
			a = 0;
		} else if (rc->calm && a < 28 && d_pct(&rs, 68)) {
			a = 30;
		}
		if (rc->target_live && step >= rc->ramp_steps) {
			unsigned live = toe_ref_conn_count(d->r);

			/* above the target: opens become closes/aborts; below:
			 * closes/aborts become opens */
			if (live > rc->target_live && (a < 28 || (a >= 83 && a < 89)))
				a = d_pct(&rs, 50) ? 90 : 30;
			else if (live < rc->target_live && a >= 89 && a < 95)
				a = 0;
		}
		/* time: mostly microseconds, sometimes a jump */
		if (d_pct(&rs, rc->long_jump_pct))
			t += rng_below(&rs, (uint32_t)(d->cfg.rto_init * 8));
		else if (d_pct(&rs, rc->mid_jump_pct))
			t += rng_below(&rs, (uint32_t)(d->cfg.rto_init / 10));
		else
			t += 1 + rng_below(&rs, 100);

		if (a < 28) {
			struct toe_seg s = d_new_seg(&rs, d, rc->peers);

			d_seg(d, &s, t);
			out->segs++;
		} else if (a < 78) {
			int id = d_pick_conn(&rs, d, &i);
			struct toe_seg s;

			if (id < 0)
				continue;
			s = d_conn_seg(&rs, &i, d->cfg.rcv_wnd, rc->calm);
			if (step < rc->ramp_steps) {
				s.flags = TOE_TCP_ACK;
				s.seq = i.rcv_nxt;
				s.ack = i.snd_nxt;
				s.len = 0;
			}
			d_seg(d, &s, t);
			out->segs++;
		} else if (a < 83) {
			/* a stray segment: a live tuple with garbage numbers,
			 * or no TCB at all */
			struct toe_seg s = d_new_seg(&rs, d, rc->peers);

			s.flags = (uint8_t)rng_below(&rs, 256);
			d_seg(d, &s, t);
			out->segs++;
		} else if (a < 89) {
			uint16_t lp = (uint16_t)(d_pct(&rs, 5) ? 0 : 1024 + rng_below(&rs, 2000));
			uint32_t rip = 0x0A000000u | (1 + rng_below(&rs, rc->peers));
			uint16_t rp = (uint16_t)(d_pct(&rs, 50) ? 80 : 1 + rng_below(&rs, 65535));

			if (d_connect(d, lp, rip, rp, t) >= 0)
				out->conns_made++;
			out->calls++;
		} else if (a < 95) {
			int id = d_pct(&rs, 90) ? d_pick_conn(&rs, d, &i) :
				 (int)rng_below(&rs, d->cfg.max_conns + 2);
			int op = d_pct(&rs, 45) ? TM_CMD_CLOSE :
				 d_pct(&rs, 50) ? TM_CMD_SHUTDOWN : TM_CMD_ABORT;

			if (id < 0)
				continue;
			d_call(d, op, id, t);
			out->calls++;
		} else if (a < 96) {
			d_rx_ready(d, !d_pct(&rs, 50) || toe_ref_conn_count(d->r) == 0);
		} else if (a < 97) {
			d_pin(d, (uint32_t)rng_next(&rs));
		} else if (a < 98) {
			d_listen(d, d_pct(&rs, 10) ? 0 : d_lports[rng_below(&rs, nl)],
				 d_pct(&rs, 50));
			out->calls++;
		} else {
			/* a fixture in a random state on a fresh tuple */
			struct toe_ref_conn_info f;

			memset(&f, 0, sizeof(f));
			f.state = (int)(1 + rng_below(&rs, 11));
			f.local_ip = d->cfg.local_ip;
			f.local_port = d_lports[rng_below(&rs, nl)];
			f.remote_ip = 0x0A000000u | (1 + rng_below(&rs, rc->peers));
			f.remote_port = (uint16_t)(1024 + rng_below(&rs, 64000));
			f.iss = (uint32_t)rng_next(&rs);
			f.irs = (uint32_t)rng_next(&rs);
			f.snd_una = f.iss + 1;
			f.snd_nxt = f.iss + 1 + rng_below(&rs, 2);
			f.rcv_nxt = f.irs + 1 + rng_below(&rs, 2);
			f.snd_wnd = d_rnd_win(&rs);
			f.peer_mss = (uint16_t)rng_below(&rs, 2000);
			f.passive = d_pct(&rs, 50);
			f.closed_by_user = d_pct(&rs, 20);
			f.wr_shut = d_pct(&rs, 20);
			if (d_fixture(d, &f, t) >= 0)
				out->conns_made++;
			out->calls++;
		}
		if (toe_ref_conn_count(d->r) > out->max_live)
			out->max_live = toe_ref_conn_count(d->r);
		if (step >= rc->ramp_steps) {
			out->live_sum += toe_ref_conn_count(d->r);
			out->live_n++;
		}
		if (rc->check_every && (step + 1) % rc->check_every == 0) {
			d_cmp_conns(d);
			d_cmp_stats(d);
		}
	}
	d_cmp_conns(d);
	d_cmp_stats(d);
}

/* ------------------------------------------------------------------ */
/* free-running differential: no timer stepping                          */
/* ------------------------------------------------------------------ */

/*
 * Here the RTL is not stepped through the deadlines: it gets `now` = the
 * input's time and the input at once, so a connection's due timer either
 * was found by the scanner during earlier cycles or is fired by the job
 * itself first ("timers first"); other connections' timers fire whenever
 * the scan reaches them. Across connections the order of outputs (and so
 * the IP IDs, and which id a new connection gets) may then differ from the
 * reference; per connection it must not. So the outputs are compared per
 * 4-tuple: every segment (flags, seq, ack, window, MSS option) and every
 * event (type, argument) of each tuple, in order, over the whole run; the
 * payload decision per segment; the counters and each live connection's
 * variables at the end. The configuration keeps the table far from full
 * (a full table makes "who got the last id" visible).
 */

struct d_rec {
	uint64_t key;  /* local port, remote ip, remote port */
	uint32_t n;    /* order of appearance */
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t win;
	uint16_t mss;  /* 0: no option */
	int type;      /* events */
	uint16_t arg;
};

struct d_side {
	struct d_rec *tx, *ev;
	size_t ntx, nev, cap_tx, cap_ev;
	uint64_t id_key[65536];
	uint64_t id_stamp[65536];
	uint64_t stamp;
};

static inline uint64_t d_key(uint16_t lport, uint32_t rip, uint16_t rport)
{
	return (uint64_t)lport << 48 | (uint64_t)rip << 16 | rport;
}

static inline void d_side_map(struct d_side *sd, int id, uint64_t key)
{
	if (id < 0 || id >= 65536)
		return;
	sd->id_key[id] = key;
	sd->id_stamp[id] = ++sd->stamp;
}

/* The newest id this side gave the tuple, or -1. */
static inline int d_side_find(const struct d_side *sd, uint64_t key, uint32_t n)
{
	int best = -1;

	for (uint32_t id = 0; id < n; id++)
		if (sd->id_stamp[id] && sd->id_key[id] == key &&
		    (best < 0 || sd->id_stamp[id] > sd->id_stamp[best]))
			best = (int)id;
	return best;
}

static inline struct d_rec *d_push(struct d_rec **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		*v = realloc(*v, *cap * sizeof(**v));
		assert_non_null(*v);
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].n = (uint32_t)*n;
	return &(*v)[(*n)++];
}

/* Collect what both produced: events first (their ids still name the old
 * tuples), then segments (which name their tuple and remap ids). */
static inline void d_free_collect(struct dual *d, struct d_side *ref, struct d_side *rtl)
{
	struct toe_ref_event e;
	struct toe_ref_out o;
	struct tm_ev v;
	struct tm_tx t;
	struct d_rec *r;

	while (toe_ref_pop_event(d->r, &e)) {
		r = d_push(&ref->ev, &ref->nev, &ref->cap_ev);
		r->key = ref->id_key[e.conn];
		r->type = e.type;
		r->arg = e.type == TOE_EV_RX_DATA ? e.len : 0;
	}
	while (tm_pop_ev(d->m, &v)) {
		r = d_push(&rtl->ev, &rtl->nev, &rtl->cap_ev);
		r->key = rtl->id_key[v.conn];
		r->type = v.type;
		r->arg = v.arg;
	}
	while (toe_ref_pop_out(d->r, &o)) {
		r = d_push(&ref->tx, &ref->ntx, &ref->cap_tx);
		r->key = d_key(o.seg.src_port, o.seg.dst_ip, o.seg.dst_port);
		r->flags = o.seg.flags;
		r->seq = o.seg.seq;
		r->ack = o.seg.ack;
		r->win = o.seg.win;
		r->mss = o.seg.opt.has_mss ? o.seg.opt.mss : 0;
		d_side_map(ref, o.conn, r->key);
	}
	while (tm_pop_tx(d->m, &t)) {
		r = d_push(&rtl->tx, &rtl->ntx, &rtl->cap_tx);
		r->key = d_key(t.src_port, t.dst_ip, t.dst_port);
		r->flags = t.flags;
		r->seq = t.seq;
		r->ack = t.ack;
		r->win = t.win;
		r->mss = t.mss_valid ? t.mss : 0;
		d_side_map(rtl, t.conn, r->key);
	}
}

static int d_rec_cmp(const void *a, const void *b)
{
	const struct d_rec *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Both sides' records, per tuple in order, equal. */
static inline void d_free_cmp_recs(struct dual *d, const char *what, struct d_rec *a,
				   size_t na, struct d_rec *b, size_t nb, bool ev)
{
	qsort(a, na, sizeof(*a), d_rec_cmp);
	qsort(b, nb, sizeof(*b), d_rec_cmp);
	for (size_t i = 0; i < na || i < nb; i++) {
		if (i >= na || i >= nb || a[i].key != b[i].key ||
		    (ev ? (a[i].type != b[i].type || a[i].arg != b[i].arg) :
			  (a[i].flags != b[i].flags || a[i].seq != b[i].seq ||
			   a[i].ack != b[i].ack || a[i].win != b[i].win ||
			   a[i].mss != b[i].mss))) {
			const struct d_rec *x = i < na ? &a[i] : NULL, *y = i < nb ? &b[i] : NULL;

			D_FAIL(d, "%s #%zu differs: ref %s key %016llx flags 0x%02x seq %u ack %u "
			       "win %u mss %u type %d arg %u | rtl %s key %016llx flags 0x%02x "
			       "seq %u ack %u win %u mss %u type %d arg %u", what, i,
			       x ? "" : "(none)", x ? (unsigned long long)x->key : 0ULL,
			       x ? x->flags : 0, x ? x->seq : 0, x ? x->ack : 0,
			       x ? x->win : 0, x ? x->mss : 0, x ? x->type : 0,
			       x ? x->arg : 0, y ? "" : "(none)",
			       y ? (unsigned long long)y->key : 0ULL, y ? y->flags : 0,
			       y ? y->seq : 0, y ? y->ack : 0, y ? y->win : 0,
			       y ? y->mss : 0, y ? y->type : 0, y ? y->arg : 0);
		}
	}
}

struct d_free_stats {
	uint64_t segs, calls, tx, ev, live_max, timer_fires;
	/* with d->wrap_at: of timer_fires, those at or after it; and of the
	 * RTL's timers_inline (tm_stats), those after it */
	uint64_t fires_after_wrap, inline_after_wrap;
};

/*
 * Random traffic as d_random_run, free-running. extra_cycles: the RTL runs
 * 0..extra_cycles-1 more cycles after each input (the scan moves on by
 * that much), so timers are caught sometimes by the scanner, sometimes by
 * the job that touches them.
 */
static inline void d_free_run(struct dual *d, unsigned steps, unsigned peers,
			      unsigned extra_cycles, uint64_t rseed,
			      struct d_free_stats *out)
{
	uint64_t rs = rseed * 0x9E3779B97F4A7C15ULL + 1;
	uint64_t t = d->now;
	struct d_side *ref = calloc(1, sizeof(*ref)), *rtl = calloc(1, sizeof(*rtl));
	struct toe_ref_conn_info i;
	unsigned nl = sizeof(d_lports) / sizeof(d_lports[0]);
	uint64_t fires_before_wrap = 0, inline_before_wrap = 0;

	assert_non_null(ref);
	assert_non_null(rtl);
	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < sizeof(d_payload_buf); k++)
		d_payload_buf[k] = (uint8_t)(k * 7 + 3);
	for (unsigned k = 0; k < 3; k++)
		d_listen(d, d_lports[k], true);

	for (unsigned step = 0; step < steps; step++) {
		unsigned a = rng_below(&rs, 100);

		d->step++;
		if (d_pct(&rs, 2))
			t += rng_below(&rs, (uint32_t)(d->cfg.rto_init * 8));
		else if (d_pct(&rs, 20))
			t += rng_below(&rs, (uint32_t)(d->cfg.rto_init / 10));
		else
			t += 1 + rng_below(&rs, 100);
		if (d->wrap_at && !d->wrap_crossed && t >= d->wrap_at) {
			/* the wrap: the reference runs its timers due before it
			 * now (its next call would), so that what it fires from
			 * here on fired after the wrap */
			struct toe_ref_stats rst;
			struct tm_stats ts;

			toe_ref_advance(d->r, d->wrap_at - 1);
			d_free_collect(d, ref, rtl);
			d_wrap_note(d, t);
			toe_ref_stats(d->r, &rst);
			fires_before_wrap = rst.retransmits;
			for (size_t k = 0; k < ref->nev; k++)
				if (ref->ev[k].type == TOE_EV_TIMEDOUT)
					fires_before_wrap++;
			tm_get_stats(d->m, &ts);
			inline_before_wrap = ts.timers_inline;
		}
		d->now = t;
		tm_set_now(d->m, t);

		if (a < 78) {
			struct toe_seg s;

			if (a < 28) {
				s = d_new_seg(&rs, d, peers);
			} else {
				/* the reference fires its timers first, so
				 * pick among connections alive after them */
				toe_ref_advance(d->r, t);
				if (d_pick_conn(&rs, d, &i) < 0)
					continue;
				s = d_conn_seg(&rs, &i, d->cfg.rcv_wnd, false);
			}
			struct tm_seg ts = d_tm_seg(d, &s);
			struct tm_pl pl;
			bool have = false;

			toe_ref_input(d->r, &s, t);
			tm_input(d->m, &ts);
			tm_run(d->m, rng_below(&rs, extra_cycles));
			if (!tm_settle(d->m, 100000))
				D_FAIL(d, "rtl did not settle");
			if (!tm_pop_pl(d->m, &pl))
				D_FAIL(d, "no payload decision");
			/* the decision against the reference's RX_DATA (a
			 * timer never delivers data, so any is this segment's) */
			struct toe_ref_event evs[64];
			int ne = 0;

			while (ne < 64 && toe_ref_pop_event(d->r, &evs[ne]))
				ne++;
			for (int k = 0; k < ne; k++) {
				if (evs[k].type != TOE_EV_RX_DATA)
					continue;
				have = true;
				if (!pl.deliver || pl.len != evs[k].len ||
				    pl.off != evs[k].data - s.data)
					D_FAIL(d, "payload: ref %u bytes at %ld, rtl deliver %d %u at %u",
					       evs[k].len, (long)(evs[k].data - s.data),
					       pl.deliver, pl.len, pl.off);
			}
			if (!have && pl.deliver)
				D_FAIL(d, "payload: rtl delivered, ref not");
			for (int k = 0; k < ne; k++) {
				struct d_rec *r = d_push(&ref->ev, &ref->nev, &ref->cap_ev);

				r->key = ref->id_key[evs[k].conn];
				r->type = evs[k].type;
				r->arg = evs[k].type == TOE_EV_RX_DATA ? evs[k].len : 0;
			}
			out->segs++;
		} else if (a < 86) {
			uint16_t lp = (uint16_t)(1024 + rng_below(&rs, 2000));
			uint32_t rip = 0x0A000000u | (1 + rng_below(&rs, peers));
			uint16_t rp = (uint16_t)(d_pct(&rs, 50) ? 80 : 1 + rng_below(&rs, 65535));
			int ra, rb;

			/* events of timers the reference runs first name old
			 * tuples: collect them before the new id is mapped */
			toe_ref_advance(d->r, t);
			d_free_collect(d, ref, rtl);
			ra = toe_ref_connect(d->r, lp, rip, rp, t);
			rb = tm_connect(d->m, lp, rip, rp, d_mac_of(rip));
			tm_run(d->m, rng_below(&rs, extra_cycles));
			tm_settle(d->m, 100000);
			if ((ra < 0 || rb < 0) && ra != rb)
				D_FAIL(d, "connect: ref %d rtl %d", ra, rb);
			d_free_collect(d, ref, rtl);
			if (ra >= 0) {
				d_side_map(ref, ra, d_key(lp, rip, rp));
				d_side_map(rtl, rb, d_key(lp, rip, rp));
			}
			out->calls++;
		} else if (a < 95) {
			int op = d_pct(&rs, 45) ? TM_CMD_CLOSE :
				 d_pct(&rs, 50) ? TM_CMD_SHUTDOWN : TM_CMD_ABORT;
			int id, hid, ra = 0, rb;

			toe_ref_advance(d->r, t);
			d_free_collect(d, ref, rtl);
			id = d_pick_conn(&rs, d, &i);
			if (id < 0)
				continue;
			hid = d_side_find(rtl, d_key(i.local_port, i.remote_ip, i.remote_port),
					  d->cfg.max_conns);
			if (hid < 0)
				D_FAIL(d, "rtl never named the tuple of ref conn %d", id);
			switch (op) {
			case TM_CMD_CLOSE: ra = toe_ref_close(d->r, id, t); break;
			case TM_CMD_SHUTDOWN: ra = toe_ref_shutdown_wr(d->r, id, t); break;
			default: ra = toe_ref_abort(d->r, id, t); break;
			}
			rb = tm_cmd(d->m, op, hid, 0, 0, 0, 0);
			tm_run(d->m, rng_below(&rs, extra_cycles));
			tm_settle(d->m, 100000);
			if (ra != rb)
				D_FAIL(d, "call %d on conn %d/%d: ref %d rtl %d", op, id, hid, ra, rb);
			out->calls++;
		} else if (a < 97) {
			d_rx_ready(d, !d_pct(&rs, 50) || toe_ref_conn_count(d->r) == 0);
		} else if (a < 98) {
			d_pin(d, (uint32_t)rng_next(&rs));
		} else {
			d_listen(d, d_lports[rng_below(&rs, nl)], d_pct(&rs, 50));
		}
		d_free_collect(d, ref, rtl);
		if (toe_ref_conn_count(d->r) > out->live_max)
			out->live_max = toe_ref_conn_count(d->r);
	}
	/* the end: every timer up to t has fired on both sides */
	toe_ref_advance(d->r, t);
	tm_scan_pass(d->m);
	d_free_collect(d, ref, rtl);
	out->tx = ref->ntx;
	out->ev = ref->nev;
	{
		struct toe_ref_stats rst;

		/* timer expiries: retransmissions + give-ups + 2MSL ends */
		toe_ref_stats(d->r, &rst);
		out->timer_fires = rst.retransmits;
		for (size_t k = 0; k < ref->nev; k++)
			if (ref->ev[k].type == TOE_EV_TIMEDOUT)
				out->timer_fires++;
		if (d->wrap_crossed) {
			struct tm_stats ts;

			tm_get_stats(d->m, &ts);
			out->fires_after_wrap = out->timer_fires - fires_before_wrap;
			out->inline_after_wrap = ts.timers_inline - inline_before_wrap;
		}
	}
	d_free_cmp_recs(d, "segment", ref->tx, ref->ntx, rtl->tx, rtl->ntx, false);
	d_free_cmp_recs(d, "event", ref->ev, ref->nev, rtl->ev, rtl->nev, true);
	d_cmp_stats(d);
	/* each live connection, found by its tuple */
	for (uint32_t id = 0; id < d->cfg.max_conns; id++) {
		struct tm_info b;
		int hid;

		if (toe_ref_conn_info(d->r, (int)id, &i) != TOE_REF_OK)
			continue;
		hid = d_side_find(rtl, d_key(i.local_port, i.remote_ip, i.remote_port),
				  d->cfg.max_conns);
		if (hid < 0 || tm_get_info(d->m, hid, &b) != 0)
			D_FAIL(d, "ref conn %u has no rtl twin", id);
		if (b.state != i.state || b.snd_una != i.snd_una || b.snd_nxt != i.snd_nxt ||
		    b.rcv_nxt != i.rcv_nxt || b.iss != i.iss || b.irs != i.irs ||
		    b.snd_wnd != i.snd_wnd || b.retransmits != i.retransmits ||
		    b.closed_by_user != i.closed_by_user || b.wr_shut != i.wr_shut)
			D_FAIL(d, "conn %u/%d: ref %s una %u nxt %u rcv %u, rtl %s una %u nxt %u rcv %u",
			       id, hid, toe_tcp_state_name(i.state), i.snd_una, i.snd_nxt,
			       i.rcv_nxt, toe_tcp_state_name(b.state), b.snd_una, b.snd_nxt,
			       b.rcv_nxt);
	}
	free(ref->tx);
	free(ref->ev);
	free(rtl->tx);
	free(rtl->ev);
	free(ref);
	free(rtl);
}

#endif
