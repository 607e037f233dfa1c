/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_tcb_core.c - toe_tcb_core (N_CONN 1024) in Verilator.
 *
 * Directed: the engine's own reactions, asserted from the spec
 * (docs in host/ref/toe_ref.h and the behaviour IDs): handshakes, RST
 * generation and acceptance, challenge ACKs and their rate limit, close and
 * abort paths, payload decisions, timers (exact deadlines, give-up,
 * TIME-WAIT, a due timer firing before a segment), listener and table
 * limits, lowest-free ids. Every test ends with "nothing else".
 *
 * Differential: the same inputs into the reference stack and the RTL
 * (tcb_core_dual.h), every segment/event/decision compared, connections
 * and counters compared periodically.
 *
 * The timer stamps' wrap (test_wrap_*): the core keeps deadlines and
 * first-send times modulo 2^TOE_CFG_TIME_BITS; directed timers straddling
 * multiples of it, and random differential runs crossing one half way.
 *
 * Performance: cycles per segment with random 4-tuples, and the latency
 * from a segment's acceptance to its reply descriptor.
 */
#include "tcb_core_dual.h"

/* ------------------------------------------------------------------ */
/* RTL-only helpers, kit configuration                                   */
/* ------------------------------------------------------------------ */

struct rt {
	struct tcb_core_model *m;
	struct toe_ref_cfg cfg;
	struct toe_ref *isn; /* only to compute RFC 6528 ISNs */
};

static struct rt *rt_new(const struct toe_ref_cfg *cfg)
{
	struct rt *t = calloc(1, sizeof(*t));
	struct tm_cfg c;

	assert_non_null(t);
	if (cfg)
		t->cfg = *cfg;
	else
		kit_cfg(&t->cfg);
	t->isn = toe_ref_new(&t->cfg);
	assert_non_null(t->isn);
	d_tm_cfg(&c, &t->cfg);
	t->m = tm_new(1, &c);
	assert_non_null(t->m);
	return t;
}

static void rt_free(struct rt *t)
{
	/* every test ends with nothing left over */
	struct tm_tx x;
	struct tm_ev e;
	struct tm_pl p;

	assert_true(tm_settle(t->m, 100000));
	if (tm_pop_tx(t->m, &x))
		fail_msg("left over: segment flags 0x%02x seq %u ack %u", x.flags,
			 x.seq, x.ack);
	if (tm_pop_ev(t->m, &e))
		fail_msg("left over: event %s conn %d", toe_ref_event_name(e.type),
			 e.conn);
	while (tm_pop_pl(t->m, &p))
		assert_false(p.deliver);
	tm_free(t->m);
	toe_ref_free(t->isn);
	free(t);
}

static int setup(void **state)
{
	*state = rt_new(NULL);
	return 0;
}

static int teardown(void **state)
{
	rt_free(*state);
	return 0;
}

/* A segment from the kit peer at time now. */
static uint64_t rt_in(struct rt *t, uint8_t flags, uint32_t seq, uint32_t ack,
		      uint16_t len, uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);
	struct tm_seg ts;

	tm_set_now(t->m, now);
	memset(&ts, 0, sizeof(ts));
	ts.src_mac = d_mac_of(s.src_ip);
	ts.src_ip = s.src_ip;
	ts.dst_ip = s.dst_ip;
	ts.src_port = s.src_port;
	ts.dst_port = s.dst_port;
	ts.seq = seq;
	ts.ack = ack;
	ts.flags = flags;
	ts.win = s.win;
	ts.len = len;
	ts.isn = toe_ref_isn(t->isn, s.dst_ip, s.dst_port, s.src_ip, s.src_port, now);
	uint64_t c = tm_input(t->m, &ts);
	assert_true(tm_settle(t->m, 100000));
	return c;
}

/* The next segment: flags/seq/ack, and the rules every segment obeys. */
static struct tm_tx rt_expect_tx(struct rt *t, uint8_t flags, uint32_t seq,
				 uint32_t ack)
{
	struct tm_tx x;
	char a[9], b[9];

	if (!tm_pop_tx(t->m, &x))
		fail_msg("expected %s seq %u ack %u, got nothing",
			 kit_flags_str(flags, a), seq, ack);
	if (x.flags != flags || x.seq != seq || x.ack != ack)
		fail_msg("expected %s seq %u ack %u, got %s seq %u ack %u",
			 kit_flags_str(flags, a), seq, ack,
			 kit_flags_str(x.flags, b), x.seq, x.ack);
	assert_int_equal(x.src_ip, t->cfg.local_ip);
	assert_int_equal(x.ttl, t->cfg.ttl);
	assert_int_equal(x.df, t->cfg.df);
	assert_true(x.src_mac == D_LOCAL_MAC);
	assert_true(x.dst_mac == d_mac_of(x.dst_ip));
	if (flags & TOE_TCP_RST)
		assert_int_equal(x.win, 0);
	else if ((flags & (TOE_TCP_SYN | TOE_TCP_ACK)) == TOE_TCP_SYN)
		assert_int_equal(x.win, t->cfg.syn_wnd ? t->cfg.syn_wnd : t->cfg.rcv_wnd);
	else
		assert_int_equal(x.win, t->cfg.rcv_wnd);
	assert_int_equal(x.mss_valid, !!(flags & TOE_TCP_SYN));
	if (flags & TOE_TCP_SYN)
		assert_int_equal(x.mss, t->cfg.mtu - 40);
	return x;
}

static void rt_expect_no_tx(struct rt *t)
{
	struct tm_tx x;

	if (tm_pop_tx(t->m, &x))
		fail_msg("expected no segment, got flags 0x%02x seq %u ack %u",
			 x.flags, x.seq, x.ack);
}

static struct tm_ev rt_expect_ev(struct rt *t, int type, int conn)
{
	struct tm_ev e;

	if (!tm_pop_ev(t->m, &e))
		fail_msg("expected event %s conn %d, got none",
			 toe_ref_event_name(type), conn);
	if (e.type != type || e.conn != conn)
		fail_msg("expected event %s conn %d, got %s conn %d",
			 toe_ref_event_name(type), conn,
			 toe_ref_event_name(e.type), e.conn);
	return e;
}

static void rt_expect_no_ev(struct rt *t)
{
	struct tm_ev e;

	if (tm_pop_ev(t->m, &e))
		fail_msg("expected no event, got %s conn %d",
			 toe_ref_event_name(e.type), e.conn);
}

static void rt_expect_nothing(struct rt *t)
{
	rt_expect_no_tx(t);
	rt_expect_no_ev(t);
}

static struct tm_pl rt_expect_pl(struct rt *t, bool deliver, uint16_t off,
				 uint16_t len)
{
	struct tm_pl p;

	assert_true(tm_pop_pl(t->m, &p));
	assert_int_equal(p.deliver, deliver);
	if (deliver) {
		assert_int_equal(p.off, off);
		assert_int_equal(p.len, len);
	}
	return p;
}

static void rt_drop_pl(struct rt *t)
{
	struct tm_pl p;

	while (tm_pop_pl(t->m, &p))
		;
}

static void rt_expect_state(struct rt *t, int conn, int state)
{
	struct tm_info i;

	if (state == TOE_ST_CLOSED) {
		assert_int_equal(tm_get_info(t->m, conn, &i), -4);
		return;
	}
	assert_int_equal(tm_get_info(t->m, conn, &i), 0);
	if (i.state != state)
		fail_msg("conn %d: expected %s, is %s", conn,
			 toe_tcp_state_name(state), toe_tcp_state_name(i.state));
}

/* A connection straight into `state` with the kit numbers (refkit.h). */
static int rt_conn(struct rt *t, int state, uint64_t now)
{
	struct toe_ref_conn_info i;
	struct tm_fixture f;

	kit_info(state, &i);
	memset(&f, 0, sizeof(f));
	f.state = state;
	f.local_port = i.local_port;
	f.remote_port = i.remote_port;
	f.remote_ip = i.remote_ip;
	f.remote_mac = d_mac_of(i.remote_ip);
	f.iss = i.iss;
	f.irs = i.irs;
	f.snd_una = i.snd_una;
	f.snd_nxt = i.snd_nxt;
	f.rcv_nxt = i.rcv_nxt;
	f.snd_wnd = (uint16_t)i.snd_wnd;
	f.peer_mss = i.peer_mss;
	f.passive = i.passive;
	f.closed_by_user = i.closed_by_user;
	f.wr_shut = i.wr_shut;
	tm_set_now(t->m, now);
	int id = tm_make_fixture(t->m, &f);
	assert_true(id >= 0);
	return id;
}

/* ------------------------------------------------------------------ */
/* handshakes                                                            */
/* ------------------------------------------------------------------ */

/* HS-01, HS-06: LISTEN + SYN -> SYN-ACK <SEQ=ISS><ACK=SEG.SEQ+1> with MSS;
 * the final ACK -> ESTABLISHED. */
static void test_listen_syn_then_ack_established(void **state)
{
	struct rt *t = *state;
	struct tm_info i;

	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	tm_pin_isn(t->m, KIT_ISS);
	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, KIT_MS(1));
	struct tm_tx x = rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	assert_int_equal(x.conn, 0);
	assert_int_equal(x.ip_id, KIT_IP_ID_INIT);
	assert_int_equal(x.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(x.dst_port, KIT_RPORT);
	assert_int_equal(x.src_port, KIT_LPORT);
	rt_expect_pl(t, false, 0, 0);
	assert_int_equal(tm_get_info(t->m, 0, &i), 0);
	assert_int_equal(i.state, TOE_ST_SYN_RECEIVED);
	assert_int_equal(i.iss, KIT_ISS);
	assert_int_equal(i.irs, KIT_IRS);
	assert_int_equal(i.snd_una, KIT_ISS);
	assert_int_equal(i.snd_nxt, KIT_ISS + 1);
	assert_int_equal(i.rcv_nxt, KIT_IRS + 1);
	assert_int_equal(i.peer_mss, 536); /* no option: MS-03 */
	assert_true(i.passive);
	rt_expect_nothing(t);

	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 0, KIT_MS(2));
	rt_expect_ev(t, TOE_EV_ESTABLISHED, 0);
	rt_expect_pl(t, false, 0, 0);
	rt_expect_state(t, 0, TOE_ST_ESTABLISHED);
	rt_expect_nothing(t);
}

/* The ISS of a passive open is the RFC 6528 value for the tuple (no pin). */
static void test_listen_syn_uses_rfc6528_isn(void **state)
{
	struct rt *t = *state;
	uint32_t isn = toe_ref_isn(t->isn, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				   KIT_RPORT, KIT_S(2));

	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, KIT_S(2));
	rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, isn, KIT_IRS + 1);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* HS-02..05 and HS-07: LISTEN ignores RST and bare FIN, answers an ACK (and
 * a SYN-ACK) with <SEQ=SEG.ACK><CTL=RST>; SYN-RECEIVED answers a bad ACK
 * with the same and stays. */
static void test_listen_rst_ack_fin_and_bad_ack(void **state)
{
	struct rt *t = *state;

	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	rt_in(t, TOE_TCP_RST, 5, 0, 0, 1);
	rt_in(t, TOE_TCP_FIN, 5, 0, 0, 2);
	rt_in(t, 0, 5, 0, 0, 3);
	rt_expect_nothing(t);
	rt_in(t, TOE_TCP_ACK, 5, 777, 0, 4);
	struct tm_tx x = rt_expect_tx(t, TOE_TCP_RST, 777, 0);
	assert_int_equal(x.conn, -1);
	rt_in(t, TOE_TCP_SYN | TOE_TCP_ACK, 5, 999, 0, 5);
	rt_expect_tx(t, TOE_TCP_RST, 999, 0);
	rt_drop_pl(t);
	rt_expect_nothing(t);

	int id = rt_conn(t, TOE_ST_SYN_RECEIVED, 6);
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 5, 0, 7);
	x = rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 5, 0);
	assert_int_equal(x.conn, id);
	rt_expect_state(t, id, TOE_ST_SYN_RECEIVED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* AO-01, AO-02: connect -> SYN <SEQ=ISS> with MSS and the SYN window; the
 * SYN-ACK -> ACK <SEQ=ISS+1><ACK=IRS+1>, ESTABLISHED. */
static uint32_t fixed_isn(void *ctx, uint16_t lp, uint32_t rip, uint16_t rp)
{
	(void)ctx;
	return 0x5000u + lp + rip + rp;
}

static void test_connect_synack_established(void **state)
{
	struct rt *t = *state;
	uint32_t iss = 0x5000u + 1234 + KIT_REMOTE_IP + KIT_LPORT;

	tm_set_isn_fn(t->m, fixed_isn, NULL);
	/* connect from local port 1234 to the kit peer's port 80 */
	tm_set_now(t->m, 10);
	int id = tm_connect(t->m, 1234, KIT_REMOTE_IP, KIT_LPORT, d_mac_of(KIT_REMOTE_IP));
	assert_int_equal(id, 0);
	assert_true(tm_settle(t->m, 1000));
	struct tm_tx x = rt_expect_tx(t, TOE_TCP_SYN, iss, 0);
	assert_int_equal(x.dst_port, KIT_LPORT);
	assert_int_equal(x.src_port, 1234);
	rt_expect_state(t, id, TOE_ST_SYN_SENT);

	/* the peer answers from its port 80 to our 1234 */
	struct tm_seg s;
	memset(&s, 0, sizeof(s));
	s.src_mac = d_mac_of(KIT_REMOTE_IP);
	s.src_ip = KIT_REMOTE_IP;
	s.dst_ip = KIT_LOCAL_IP;
	s.src_port = KIT_LPORT;
	s.dst_port = 1234;
	s.seq = KIT_IRS;
	s.ack = iss + 1;
	s.flags = TOE_TCP_SYN | TOE_TCP_ACK;
	s.win = 1000;
	s.mss_valid = true;
	s.mss = 1200;
	tm_input(t->m, &s);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_ACK, iss + 1, KIT_IRS + 1);
	rt_expect_ev(t, TOE_EV_ESTABLISHED, id);
	struct tm_info i;
	assert_int_equal(tm_get_info(t->m, id, &i), 0);
	assert_int_equal(i.state, TOE_ST_ESTABLISHED);
	assert_int_equal(i.peer_mss, 1200);
	assert_int_equal(i.eff_mss, 1200);
	assert_int_equal(i.snd_wnd, 1000);
	assert_false(i.passive);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* AO-03..07 in SYN-SENT. */
static void test_synsent_bad_ack_rst_and_drops(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_SYN_SENT, 0);

	/* AO-03: SEG.ACK =< ISS -> <SEQ=SEG.ACK><CTL=RST>, stay */
	rt_in(t, TOE_TCP_ACK, 9, KIT_ISS, 0, 1);
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS, 0);
	/* AO-06: the same with RST set: dropped */
	rt_in(t, TOE_TCP_RST | TOE_TCP_ACK, 9, KIT_ISS + 7, 0, 2);
	/* AO-05: RST without ACK: dropped */
	rt_in(t, TOE_TCP_RST, 9, 0, 0, 3);
	/* AO-07: acceptable pure ACK: dropped */
	rt_in(t, TOE_TCP_ACK, 9, KIT_ISS + 1, 0, 4);
	rt_expect_nothing(t);
	rt_expect_state(t, id, TOE_ST_SYN_SENT);
	/* AO-04: RST with an acceptable ACK: REFUSED, gone */
	rt_in(t, TOE_TCP_RST | TOE_TCP_ACK, 9, KIT_ISS + 1, 0, 5);
	rt_expect_ev(t, TOE_EV_REFUSED, id);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* SO-01, SO-02: a SYN in SYN-SENT -> SYN-ACK with the same ISS, SYN-RECEIVED;
 * a RST there -> REFUSED (not back to LISTEN). */
static void test_simultaneous_open_then_rst_refused(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_SYN_SENT, 0);

	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, 1);
	rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	rt_expect_state(t, id, TOE_ST_SYN_RECEIVED);
	rt_in(t, TOE_TCP_RST, KIT_IRS + 1, 0, 0, 2);
	rt_expect_ev(t, TOE_EV_REFUSED, id);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* ------------------------------------------------------------------ */
/* no TCB, RST acceptance, challenge ACKs                                */
/* ------------------------------------------------------------------ */

/* RG-01..03: no TCB, no listener. */
static void test_closed_port_rst_rules(void **state)
{
	struct rt *t = *state;

	rt_in(t, TOE_TCP_ACK, 100, 5000, 0, 1);
	rt_expect_tx(t, TOE_TCP_RST, 5000, 0);
	rt_in(t, TOE_TCP_SYN, 100, 0, 0, 2);
	rt_expect_tx(t, TOE_TCP_RST | TOE_TCP_ACK, 0, 101);
	rt_in(t, TOE_TCP_FIN, 100, 0, 10, 3);
	rt_expect_tx(t, TOE_TCP_RST | TOE_TCP_ACK, 0, 111);
	rt_in(t, TOE_TCP_SYN | TOE_TCP_FIN, 100, 0, 0, 4);
	rt_expect_tx(t, TOE_TCP_RST | TOE_TCP_ACK, 0, 102);
	rt_in(t, TOE_TCP_RST, 100, 0, 0, 5);
	rt_in(t, TOE_TCP_RST | TOE_TCP_ACK, 100, 7, 0, 6);
	rt_drop_pl(t);
	rt_expect_nothing(t);
	struct tm_stats st;
	tm_get_stats(t->m, &st);
	assert_int_equal(st.segs_in, 6);
	assert_int_equal(st.rst_out, 4);
	assert_int_equal(st.segs_out, 4);
	assert_int_equal(st.dropped, 2);
}

/* RA-01..03: RST at RCV.NXT resets, in-window not exact -> challenge ACK,
 * outside -> silently dropped. */
static void test_established_rst_exact_inwindow_outside(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_ESTABLISHED, 0);

	rt_in(t, TOE_TCP_RST, KIT_IRS + 2, 0, 0, 1);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_in(t, TOE_TCP_RST, KIT_IRS, 0, 0, 2);
	rt_in(t, TOE_TCP_RST, KIT_IRS + 1 + KIT_RCV_WND, 0, 0, 3);
	rt_expect_nothing(t);
	rt_expect_state(t, id, TOE_ST_ESTABLISHED);
	rt_in(t, TOE_TCP_RST, KIT_IRS + 1, 0, 0, 4);
	rt_expect_ev(t, TOE_EV_RESET, id);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* CA-01, CA-06: SYNs in ESTABLISHED get challenge ACKs, at most 5 per 1 s
 * window per connection; the window restarts after 1 s; another
 * connection has its own budget. */
static void test_challenge_ack_rate_limit(void **state)
{
	struct rt *t = *state;
	struct tm_stats st;
	int id = rt_conn(t, TOE_ST_ESTABLISHED, 0);

	for (int k = 0; k < 7; k++)
		rt_in(t, TOE_TCP_SYN, KIT_IRS + 100 + k, 0, 0, KIT_MS(10) + k);
	for (int k = 0; k < 5; k++)
		rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_expect_nothing(t);
	/* still inside the window that started at t=0 (fixture creation) */
	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, KIT_S(1) - 1);
	rt_expect_nothing(t);
	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, KIT_S(1));
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_expect_state(t, id, TOE_ST_ESTABLISHED);
	tm_get_stats(t->m, &st);
	assert_int_equal(st.challenge_acks, 6);
	assert_int_equal(st.challenge_acks_suppressed, 3);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* CA-02..05 in ESTABLISHED. */
static void test_established_ack_checks(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_ESTABLISHED, 0);

	/* CA-02: SEG.ACK > SND.NXT -> ACK, not rate-limited */
	for (int k = 0; k < 7; k++)
		rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 9, 0, 1 + k);
	for (int k = 0; k < 7; k++)
		rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	/* CA-03: SEG.ACK < SND.UNA - MAX.SND.WND -> challenge ACK */
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1 - KIT_PEER_WIN - 1, 0, 10);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	/* CA-04: out-of-window data -> ACK */
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1 + KIT_RCV_WND, KIT_ISS + 1, 10, 11);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	/* CA-05: no ACK bit -> dropped */
	rt_in(t, 0, KIT_IRS + 1, 0, 10, 12);
	rt_expect_nothing(t);
	rt_expect_state(t, id, TOE_ST_ESTABLISHED);
	rt_drop_pl(t);
}

/* ------------------------------------------------------------------ */
/* data and FIN                                                          */
/* ------------------------------------------------------------------ */

/* In-order data is delivered and ACKed; the part before RCV.NXT is trimmed;
 * out of order -> duplicate ACK, nothing delivered; user stream not ready
 * -> dropped without ACK; more than the window -> only RCV.WND delivered. */
static void test_payload_decisions(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_ESTABLISHED, 0);
	uint32_t r = KIT_IRS + 1;

	rt_in(t, TOE_TCP_ACK | TOE_TCP_PSH, r, KIT_ISS + 1, 10, 1);
	rt_expect_pl(t, true, 0, 10);
	struct tm_ev e = rt_expect_ev(t, TOE_EV_RX_DATA, id);
	assert_int_equal(e.arg, 10);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, r + 10);
	r += 10;

	rt_in(t, TOE_TCP_ACK, r - 4, KIT_ISS + 1, 10, 2);
	rt_expect_pl(t, true, 4, 6);
	rt_expect_ev(t, TOE_EV_RX_DATA, id);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, r + 6);
	r += 6;

	rt_in(t, TOE_TCP_ACK, r + 5, KIT_ISS + 1, 10, 3);
	rt_expect_pl(t, false, 0, 0);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, r);

	tm_set_rx_ready(t->m, false);
	rt_in(t, TOE_TCP_ACK, r, KIT_ISS + 1, 10, 4);
	rt_expect_pl(t, false, 0, 0);
	rt_expect_nothing(t);
	tm_set_rx_ready(t->m, true);

	rt_in(t, TOE_TCP_ACK, r, KIT_ISS + 1, 9000, 5);
	rt_expect_pl(t, true, 0, KIT_RCV_WND);
	rt_expect_ev(t, TOE_EV_RX_DATA, id);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, r + KIT_RCV_WND);
	struct tm_stats st;
	tm_get_stats(t->m, &st);
	assert_int_equal(st.rx_bytes, 16 + KIT_RCV_WND);
	rt_expect_nothing(t);
}

/* CL-05, CL-06: FIN in ESTABLISHED -> ACK, CLOSE-WAIT, PEER_FIN; close ->
 * FIN, LAST-ACK; its ACK -> CLOSED event; a segment then gets a RST. */
static void test_passive_close(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_ESTABLISHED, 0);

	rt_in(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 0, 1);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	rt_expect_ev(t, TOE_EV_PEER_FIN, id);
	rt_expect_state(t, id, TOE_ST_CLOSE_WAIT);
	assert_int_equal(tm_close(t->m, id), 0);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	rt_expect_state(t, id, TOE_ST_LAST_ACK);
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, 0, 2);
	rt_expect_ev(t, TOE_EV_CLOSED, id);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, 0, 3);
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 2, 0);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* CL-01..04 and CL-10: active close; second close sends nothing; data after
 * close() -> RST and RESET. */
static void test_active_close_paths(void **state)
{
	struct rt *t = *state;
	int a = rt_conn(t, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(tm_close(t->m, a), 0);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	assert_int_equal(tm_close(t->m, a), 0);
	assert_int_equal(tm_shutdown(t->m, a), 0);
	rt_expect_nothing(t);
	rt_expect_state(t, a, TOE_ST_FIN_WAIT_1);
	/* CL-04: FIN that acks our FIN -> TIME-WAIT directly */
	rt_in(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 0, 1);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	rt_expect_ev(t, TOE_EV_PEER_FIN, a);
	rt_expect_state(t, a, TOE_ST_TIME_WAIT);
	assert_int_equal(tm_abort(t->m, a), 0); /* RG-04: nothing sent */
	rt_expect_nothing(t);
	rt_expect_state(t, a, TOE_ST_CLOSED);

	/* CL-10: data after close() -> <SEQ=SND.NXT><CTL=RST>, RESET */
	int b = rt_conn(t, TOE_ST_ESTABLISHED, 2);
	assert_int_equal(b, 0);
	assert_int_equal(tm_close(t->m, b), 0);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 5, 3);
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 2, 0);
	rt_expect_ev(t, TOE_EV_RESET, b);
	rt_expect_state(t, b, TOE_ST_CLOSED);

	/* close on a free id, shutdown in SYN-SENT, close in SYN-SENT */
	assert_int_equal(tm_close(t->m, 5), TOE_REF_ENOTCONN);
	int c = rt_conn(t, TOE_ST_SYN_SENT, 4);
	assert_int_equal(tm_shutdown(t->m, c), TOE_REF_ESTATE);
	assert_int_equal(tm_close(t->m, c), 0);
	rt_expect_state(t, c, TOE_ST_CLOSED);
	/* abort in ESTABLISHED: <SEQ=SND.NXT><CTL=RST> once */
	int e = rt_conn(t, TOE_ST_ESTABLISHED, 5);
	assert_int_equal(tm_abort(t->m, e), 0);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 1, 0);
	assert_int_equal(tm_abort(t->m, e), TOE_REF_ENOTCONN);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* ------------------------------------------------------------------ */
/* timers                                                                */
/* ------------------------------------------------------------------ */

/* Run with now = `at` until idle (the scanner sees every TCB in a pass). */
static void rt_at(struct rt *t, uint64_t at)
{
	tm_set_now(t->m, at);
	tm_run(t->m, 2 * t->cfg.max_conns + 40);
	assert_true(tm_settle(t->m, 100000));
}

/* AO-09: the SYN goes out at 0, 1, 3, 7, 15, 31, 63, 123 s (same ISS), not a
 * tick earlier; the connection gives up at 183 s (TIMEDOUT). The cycles
 * from `now` reaching a deadline to the segment are reported. */
static void test_syn_retransmit_schedule_and_giveup(void **state)
{
	struct rt *t = *state;
	static const unsigned at[] = { 1, 3, 7, 15, 31, 63, 123 };
	uint64_t worst = 0;
	int id = rt_conn(t, TOE_ST_SYN_SENT, 0);

	for (unsigned k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		rt_at(t, KIT_S(at[k]) - 1);
		rt_expect_nothing(t);
		tm_set_now(t->m, KIT_S(at[k]));
		uint64_t c0 = tm_cycles(t->m);
		rt_at(t, KIT_S(at[k]));
		struct tm_tx x = rt_expect_tx(t, TOE_TCP_SYN, KIT_ISS, 0);
		if (x.cycle - c0 > worst)
			worst = x.cycle - c0;
		struct tm_info i;
		assert_int_equal(tm_get_info(t->m, id, &i), 0);
		assert_int_equal(i.retransmits, k + 1);
	}
	rt_at(t, KIT_S(183) - 1);
	rt_expect_nothing(t);
	rt_at(t, KIT_S(183));
	rt_expect_ev(t, TOE_EV_TIMEDOUT, id);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_expect_nothing(t);
	print_message("      timer lateness (16 TCBs scanned): at most %llu cycles\n",
		      (unsigned long long)worst);
	assert_true(worst <= 2 * t->cfg.max_conns + 8);
	struct tm_stats st;
	tm_get_stats(t->m, &st);
	assert_int_equal(st.retransmits, 7);
}

/* HS-09 + the "timers first" rule: a SYN-RECEIVED whose SYN-ACK timer
 * expired long ago gets the final ACK in the same cycle `now` jumps: the
 * RTL fires the due timer (all the retransmissions it missed, then the
 * give-up) before it looks at the segment, exactly as the reference runs
 * its timers first; the ACK then finds no connection -> RST. */
static void test_due_timer_fires_before_segment(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_SYN_RECEIVED, 0);

	/* SYN-ACK resent at 1, 3, 7, 15, 31 s; at 63 s 63 >= 60: give up,
	 * silently (a listener's half-open connection, HS-09) */
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 0, KIT_S(64));
	for (int k = 0; k < 5; k++)
		rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	rt_expect_state(t, id, TOE_ST_CLOSED);
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 1, 0);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* CL-07: FIN retransmitted on RTO in FIN-WAIT-1 (<SEQ=SND.NXT-1>), given up
 * at 100 s; TW-01: TIME-WAIT ends after 2 MSL (2 s here) with CLOSED, then a
 * segment gets the no-TCB RST; TW-02: a retransmitted FIN restarts it. */
static void test_fin_retransmit_and_timewait(void **state)
{
	struct rt *t = *state;
	int a = rt_conn(t, TOE_ST_FIN_WAIT_1, 0);

	rt_at(t, KIT_S(1));
	rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	/* 1, 3, 7, 15, 31, 63 sent; 123 - 0 >= 100: give up at 123 s */
	rt_at(t, KIT_S(122));
	for (int k = 0; k < 5; k++)
		rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_expect_nothing(t);
	rt_at(t, KIT_S(123));
	rt_expect_ev(t, TOE_EV_TIMEDOUT, a);
	rt_expect_nothing(t);

	int b = rt_conn(t, TOE_ST_TIME_WAIT, KIT_S(200));
	rt_at(t, KIT_S(201));
	/* TW-02: the peer's FIN again -> ACK, 2 MSL from now */
	rt_in(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 0, KIT_S(201));
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	rt_at(t, KIT_S(203) - 1);
	rt_expect_nothing(t);
	rt_at(t, KIT_S(203));
	rt_expect_ev(t, TOE_EV_CLOSED, b);
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, 0, KIT_S(204));
	rt_expect_tx(t, TOE_TCP_RST, KIT_ISS + 2, 0);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* TW-03, TW-04: RST in TIME-WAIT ignored; a SYN beyond RCV.NXT on a
 * listening port ends it (CLOSED for the old id) and opens anew with
 * ISS >= old SND.NXT + 2^16, even when pinned lower. */
static void test_timewait_rst_ignored_syn_reopens(void **state)
{
	struct rt *t = *state;
	int a = rt_conn(t, TOE_ST_TIME_WAIT, 0);

	rt_in(t, TOE_TCP_RST, KIT_IRS + 2, 0, 0, 1);
	rt_expect_nothing(t);
	/* no listener: challenge ACK */
	rt_in(t, TOE_TCP_SYN, KIT_IRS + 1000, 0, 0, 2);
	rt_expect_tx(t, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	tm_pin_isn(t->m, KIT_ISS + 5);
	rt_in(t, TOE_TCP_SYN, KIT_IRS + 1000, 0, 0, 3);
	rt_expect_ev(t, TOE_EV_CLOSED, a);
	struct tm_tx x = rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK,
				      KIT_ISS + 2 + 0x10000, KIT_IRS + 1001);
	assert_int_equal(x.conn, a); /* the id is free again, and lowest */
	rt_expect_state(t, a, TOE_ST_SYN_RECEIVED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* TW-01 with the "timers first" rule: a SYN for a tuple whose TIME-WAIT
 * ran out (2 s) arrives in the cycle `now` jumps to 5 s, before the scanner
 * saw the TCB: the RTL ends the TIME-WAIT first (CLOSED), then the SYN is
 * a new passive open on the same, again lowest, id - even though its SEQ
 * is below the old RCV.NXT (which a live TIME-WAIT would not reopen). */
static void test_due_timewait_ends_before_syn(void **state)
{
	struct rt *t = *state;

	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	int id = rt_conn(t, TOE_ST_TIME_WAIT, 0);
	tm_pin_isn(t->m, 0x77777777u);
	rt_in(t, TOE_TCP_SYN, KIT_IRS, 0, 0, KIT_S(5));
	rt_expect_ev(t, TOE_EV_CLOSED, id);
	rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, 0x77777777u, KIT_IRS + 1);
	rt_expect_state(t, id, TOE_ST_SYN_RECEIVED);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* A command finds its connection's timer due: the timer goes first too.
 * FIN-WAIT-1 from t=0, close() at 150 s: the FIN is resent at 1, 3, 7, 15,
 * 31, 63 s, the connection gives up at 123 s (TIMEDOUT), then the close
 * finds no connection (ENOTCONN). */
static void test_due_timer_fires_before_command(void **state)
{
	struct rt *t = *state;
	int id = rt_conn(t, TOE_ST_FIN_WAIT_1, 0);

	tm_set_now(t->m, KIT_S(150));
	assert_int_equal(tm_close(t->m, id), TOE_REF_ENOTCONN);
	assert_true(tm_settle(t->m, 1000));
	for (int k = 0; k < 6; k++)
		rt_expect_tx(t, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	rt_expect_ev(t, TOE_EV_TIMEDOUT, id);
	rt_expect_nothing(t);
}

/* ------------------------------------------------------------------ */
/* tables                                                                */
/* ------------------------------------------------------------------ */

/* Listener errors: port 0 EINVAL, twice EADDRINUSE, more than
 * max_listeners ENOMEM, unknown ENOTCONN; after unlisten a SYN gets a RST. */
static void test_listener_limits(void **state)
{
	struct rt *t = *state;

	assert_int_equal(tm_listen(t->m, 0), TOE_REF_EINVAL);
	assert_int_equal(tm_listen(t->m, 80), 0);
	assert_int_equal(tm_listen(t->m, 80), TOE_REF_EADDRINUSE);
	assert_int_equal(tm_listen(t->m, 81), 0);
	assert_int_equal(tm_listen(t->m, 82), 0);
	assert_int_equal(tm_listen(t->m, 83), 0);
	assert_int_equal(tm_listen(t->m, 84), TOE_REF_ENOMEM);
	assert_int_equal(tm_unlisten(t->m, 85), TOE_REF_ENOTCONN);
	assert_int_equal(tm_unlisten(t->m, 80), 0);
	assert_int_equal(tm_listen(t->m, 84), 0);
	rt_in(t, TOE_TCP_SYN, 7, 0, 0, 1);
	rt_expect_tx(t, TOE_TCP_RST | TOE_TCP_ACK, 0, 8);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

/* Lowest free id first; table full (max_conns) -> SYN dropped silently and
 * counted, connect ENOMEM; a freed id is reused first. */
static void test_lowest_free_id_and_table_full(void **state)
{
	struct rt *t = *state;
	struct tm_stats st;

	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	for (unsigned k = 0; k < t->cfg.max_conns; k++) {
		struct tm_seg s;

		memset(&s, 0, sizeof(s));
		s.src_mac = d_mac_of(KIT_REMOTE_IP + k);
		s.src_ip = KIT_REMOTE_IP + k;
		s.dst_ip = KIT_LOCAL_IP;
		s.src_port = (uint16_t)(2000 + k);
		s.dst_port = KIT_LPORT;
		s.seq = k;
		s.flags = TOE_TCP_SYN;
		s.win = 100;
		s.isn = 1000 + k;
		tm_input(t->m, &s);
		assert_true(tm_settle(t->m, 1000));
		struct tm_tx x;
		assert_true(tm_pop_tx(t->m, &x));
		assert_int_equal(x.conn, (int)k);
	}
	rt_in(t, TOE_TCP_SYN, 7, 0, 0, 1);
	rt_expect_nothing(t);
	tm_get_stats(t->m, &st);
	assert_int_equal(st.table_full, 1);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(tm_connect(t->m, 5, 1, 2, 0), TOE_REF_ENOMEM);
	/* RG-04: abort in SYN-RECEIVED sends <SEQ=SND.NXT><CTL=RST> */
	assert_int_equal(tm_abort(t->m, 9), 0);
	assert_int_equal(tm_abort(t->m, 3), 0);
	assert_true(tm_settle(t->m, 1000));
	rt_expect_tx(t, TOE_TCP_RST, 1000 + 9 + 1, 0);
	rt_expect_tx(t, TOE_TCP_RST, 1000 + 3 + 1, 0);
	/* the lowest freed id is taken first */
	rt_in(t, TOE_TCP_SYN, 7, 0, 0, 2);
	struct tm_tx x = rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK,
				      toe_ref_isn(t->isn, KIT_LOCAL_IP, KIT_LPORT,
						  KIT_REMOTE_IP, KIT_RPORT, 2), 8);
	assert_int_equal(x.conn, 3);
	rt_drop_pl(t);
	rt_expect_nothing(t);
}

static void test_lowest_free_id_reuse(void **state)
{
	struct rt *t = *state;

	for (int k = 0; k < 6; k++) {
		struct toe_ref_conn_info i;
		struct tm_fixture f;

		kit_info(TOE_ST_TIME_WAIT, &i);
		memset(&f, 0, sizeof(f));
		f.state = TOE_ST_TIME_WAIT;
		f.local_port = KIT_LPORT;
		f.remote_ip = KIT_REMOTE_IP;
		f.remote_port = (uint16_t)(3000 + k);
		f.iss = i.iss;
		f.snd_una = i.snd_una;
		f.snd_nxt = i.snd_nxt;
		f.rcv_nxt = i.rcv_nxt;
		assert_int_equal(tm_make_fixture(t->m, &f), k);
	}
	assert_int_equal(tm_abort(t->m, 4), 0);
	assert_int_equal(tm_abort(t->m, 1), 0);
	assert_int_equal(tm_connect(t->m, 9, KIT_REMOTE_IP, 9, 0), 1);
	assert_int_equal(tm_connect(t->m, 9, KIT_REMOTE_IP, 10, 0), 4);
	assert_int_equal(tm_connect(t->m, 9, KIT_REMOTE_IP, 11, 0), 6);
	/* the same tuple again: in use */
	assert_int_equal(tm_connect(t->m, 9, KIT_REMOTE_IP, 11, 0), TOE_REF_EADDRINUSE);
	assert_int_equal(tm_connect(t->m, 0, KIT_REMOTE_IP, 11, 0), TOE_REF_EINVAL);
	assert_true(tm_settle(t->m, 1000));
	for (int k = 0; k < 3; k++) {
		struct tm_tx x;
		assert_true(tm_pop_tx(t->m, &x));
		assert_int_equal(x.flags, TOE_TCP_SYN);
	}
	rt_expect_nothing(t);
}

/* ------------------------------------------------------------------ */
/* differential                                                          */
/* ------------------------------------------------------------------ */

static unsigned env_steps(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 0) : dflt;
}

/* Directed scenarios into both, compared (a smoke test of the harness). */
static void test_diff_handshake_and_close(void **state)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct toe_seg s;

	(void)state;
	kit_cfg(&c);
	d_init(&d, &c, 7);
	d_listen(&d, KIT_LPORT, true);
	s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);
	s.opt.has_mss = true;
	s.opt.mss = 1400;
	d_seg(&d, &s, 10);
	s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, 0);
	struct toe_ref_conn_info i;
	assert_int_equal(toe_ref_conn_info(d.r, 0, &i), 0);
	s.ack = i.iss + 1;
	d_seg(&d, &s, 20);
	s.flags = TOE_TCP_ACK | TOE_TCP_PSH;
	s.len = 100;
	s.data = kit_payload();
	d_seg(&d, &s, 30);
	d_call(&d, TM_CMD_CLOSE, 0, 40);
	d_advance(&d, KIT_S(200));
	d_cmp_conns(&d);
	d_cmp_stats(&d);
	d_fini(&d);
}

/* The time a d_random_run of rc takes, on average: each input moves time
 * by up to 8 x RTO_INIT (long_jump_pct), up to RTO_INIT / 10 (of the rest,
 * mid_jump_pct) or 1..100 ticks. */
static uint64_t diff_run_span(const struct toe_ref_cfg *c, const struct d_run_cfg *rc)
{
	double pl = rc->long_jump_pct / 100.0;
	double pm = (1.0 - pl) * rc->mid_jump_pct / 100.0;
	double rto = (double)c->rto_init;

	return (uint64_t)(rc->steps * (pl * 4.0 * rto + pm * rto / 20.0 +
				       (1.0 - pl - pm) * 50.5));
}

/* Random traffic, N_CONN 1024 model, in four configurations:
 *  0: the kit configuration, max_conns 256;
 *  1: RCV.WND 0 (CL-11: only bare FINs at RCV.NXT get in), SYN window
 *     1000, one challenge ACK per 1 ms, IP ID step 7, no DF, TTL 5, MTU 9000;
 *  2: millisecond timers (RTO 1 ms doubling to 4 ms, give-ups 10-30 ms,
 *     MSL 2 ms), so timers fire, collide and give up all the time;
 *  3: a 16-entry table that is full most of the time, 2 listeners.
 * TOE_DIFF_STEPS sets the inputs per configuration, TOE_DIFF_SEED the seed.
 * wrap: 0, or a multiple of 2^TOE_CFG_TIME_BITS the run is to cross half
 * way (it starts at wrap - diff_run_span / 2). */
static void diff_random_run(int which, uint64_t wrap, unsigned dflt_steps)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct d_run_cfg rc = { .steps = env_steps("TOE_DIFF_STEPS", dflt_steps),
				.peers = 300, .check_every = 2000,
				.long_jump_pct = 1, .mid_jump_pct = 20 };
	struct d_run_stats st;
	uint32_t seed = (uint32_t)env_steps("TOE_DIFF_SEED", 12345) + (uint32_t)which +
			(wrap ? 20 : 0);

	kit_cfg(&c);
	c.max_conns = 256;
	c.max_listeners = 4;
	switch (which) {
	case 1:
		c.rcv_wnd = 0;
		c.syn_wnd = 1000;
		c.challenge_ack_limit = 1;
		c.challenge_ack_window = KIT_MS(1);
		c.ip_id_step = 7;
		c.df = false;
		c.ttl = 5;
		c.mtu = 9000;
		break;
	case 2:
		c.rto_init = KIT_MS(1);
		c.rto_max = KIT_MS(4);
		c.syn_giveup = KIT_MS(30);
		c.synack_giveup = KIT_MS(10);
		c.fin_giveup = KIT_MS(20);
		c.msl = KIT_MS(2);
		rc.mid_jump_pct = 5;
		break;
	case 3:
		c.max_conns = 16;
		c.max_listeners = 2;
		break;
	default:
		break;
	}
	if (wrap) {
		uint64_t t0 = wrap - diff_run_span(&c, &rc) / 2;

		print_message("      config %d seed %u: from now = %llu (wrap %llu - %llu)\n",
			      which, seed, (unsigned long long)t0,
			      (unsigned long long)wrap, (unsigned long long)(wrap - t0));
		d_init_at(&d, &c, seed, t0, wrap);
	} else {
		d_init(&d, &c, seed);
	}
	d_random_run(&d, &rc, seed, &st);
	print_message("      config %d seed %u: %llu segments, %llu calls, %llu connections made, "
		      "%llu live at most, %llu segments and %llu events compared, "
		      "%llu timer steps, %llu cycles\n", which, seed,
		      (unsigned long long)st.segs, (unsigned long long)st.calls,
		      (unsigned long long)st.conns_made, (unsigned long long)st.max_live,
		      (unsigned long long)d.n_tx, (unsigned long long)d.n_ev,
		      (unsigned long long)d.timer_steps,
		      (unsigned long long)tm_cycles(d.m));
	d_print_mix(&d);
	if (wrap) {
		print_message("      config %d seed %u: now %llu at the end; the wrap at input "
			      "%u of %u, %u timers running across it, %llu timer expiries "
			      "after it\n", which, seed, (unsigned long long)d.now,
			      d.wrap_step, d.step, d.timers_at_wrap,
			      (unsigned long long)d.fires_after_wrap);
		if (!d.wrap_crossed || d.fires_after_wrap == 0 || d.timers_at_wrap == 0)
			D_FAIL(&d, "the run did not exercise the wrap at %llu",
			       (unsigned long long)wrap);
	}
	d_fini(&d);
}

static void diff_random_cfg(int which)
{
	diff_random_run(which, 0, 20000);
}

static void test_diff_random_kit(void **state)
{
	(void)state;
	diff_random_cfg(0);
}

static void test_diff_random_zero_window(void **state)
{
	(void)state;
	diff_random_cfg(1);
}

static void test_diff_random_fast_timers(void **state)
{
	(void)state;
	diff_random_cfg(2);
}

static void test_diff_random_small_table(void **state)
{
	(void)state;
	diff_random_cfg(3);
}

/* Free-running: no deadline stepping, the scanner catches timers when it
 * gets there and jobs fire their own due timers first; compared per tuple
 * (see d_free_run). */
static void diff_free_run(uint64_t wrap)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct d_free_stats st;
	uint32_t seed = (uint32_t)env_steps("TOE_DIFF_SEED", 12345) + 10 + (wrap ? 20 : 0);
	unsigned steps = env_steps("TOE_DIFF_STEPS", 20000);

	kit_cfg(&c);
	c.max_conns = 1024; /* never full: ids may differ, the table not */
	c.max_listeners = 4;
	c.rto_init = KIT_MS(50);
	c.rto_max = KIT_MS(400);
	c.syn_giveup = KIT_S(2);
	c.synack_giveup = KIT_S(1);
	c.fin_giveup = KIT_S(2);
	c.msl = KIT_MS(100);
	if (wrap) {
		/* d_free_run's time steps: up to 8 x RTO_INIT (2 %), up to
		 * RTO_INIT / 10 (20 % of the rest), else 1..100 ticks */
		uint64_t span = (uint64_t)(steps * (0.02 * 4.0 * (double)c.rto_init +
						    0.98 * 0.2 * (double)c.rto_init / 20.0 +
						    0.98 * 0.8 * 50.5));
		uint64_t t0 = wrap - span / 2;

		print_message("      free-running, seed %u: from now = %llu (wrap %llu - %llu)\n",
			      seed, (unsigned long long)t0, (unsigned long long)wrap,
			      (unsigned long long)(wrap - t0));
		d_init_at(&d, &c, seed, t0, wrap);
	} else {
		d_init(&d, &c, seed);
	}
	d_free_run(&d, steps, 200, 24, seed, &st);
	struct tm_stats ts;
	tm_get_stats(d.m, &ts);
	print_message("      free-running, seed %u: %llu segments, %llu calls, %llu live at most, "
		      "%llu segments and %llu events compared per tuple; of the timer "
		      "expiries (%llu retransmissions and give-ups, plus TIME-WAIT ends) "
		      "%llu were handled by the job that found them due\n",
		      seed, (unsigned long long)st.segs, (unsigned long long)st.calls,
		      (unsigned long long)st.live_max, (unsigned long long)st.tx,
		      (unsigned long long)st.ev, (unsigned long long)st.timer_fires,
		      (unsigned long long)ts.timers_inline);
	assert_true(ts.timers_inline > 100);
	if (wrap) {
		print_message("      free-running, seed %u: now %llu at the end; the wrap at input "
			      "%u of %u, %u timers running across it; after it %llu "
			      "retransmissions and give-ups, %llu found due by a job\n",
			      seed, (unsigned long long)d.now, d.wrap_step, d.step,
			      d.timers_at_wrap, (unsigned long long)st.fires_after_wrap,
			      (unsigned long long)st.inline_after_wrap);
		if (!d.wrap_crossed || d.timers_at_wrap == 0 || st.fires_after_wrap == 0 ||
		    st.inline_after_wrap == 0)
			D_FAIL(&d, "the run did not exercise the wrap at %llu",
			       (unsigned long long)wrap);
	}
	d_fini(&d);
}

static void test_diff_free_running(void **state)
{
	(void)state;
	diff_free_run(0);
}

/* ------------------------------------------------------------------ */
/* the timer stamps' wrap                                                */
/* ------------------------------------------------------------------ */

/*
 * The core keeps a TCB's timer deadline and first-send time modulo
 * 2^TOE_CFG_TIME_BITS ticks and compares them as modular differences
 * (rtl/toe_tcb_layout.vh); the reference keeps 64-bit times. These tests
 * run both across a multiple of 2^TOE_CFG_TIME_BITS (2^40, 2^41 = 2 x 2^40,
 * and 2^63, the top bit of `now`), where the stored stamps wrap to small
 * numbers: a compare done on the stored values as plain unsigned numbers
 * fires a timer early or never, and the harness sees it diverge.
 */
#define WRAP_P (1ULL << TOE_CFG_TIME_BITS)

static const uint64_t wrap_bases[] = { WRAP_P, 2 * WRAP_P, 1ULL << 63 };

/* RFC 6298 5.5 backoff from a first send at t0: the time of the give-up
 * (the first deadline at least `giveup` after t0, the reference's R2 rule)
 * and the retransmissions before it. */
static uint64_t w_giveup_at(const struct toe_ref_cfg *c, uint64_t t0,
			    uint64_t giveup, unsigned *nrtx)
{
	uint64_t rto = c->rto_init, dl = t0 + rto;
	unsigned n = 0;

	while (dl - t0 < giveup) {
		n++;
		rto = rto * 2 > c->rto_max ? c->rto_max : rto * 2;
		dl += rto;
	}
	*nrtx = n;
	return dl;
}

/* The reference's connection on this tuple (remote KIT_REMOTE_IP) is in
 * `state` with `rtx` retransmissions, or gone (TOE_ST_CLOSED); every
 * connection of the RTL equal to the reference's. */
static void w_expect(struct dual *d, uint16_t lport, uint16_t rport, int state,
		     unsigned rtx)
{
	int id = toe_ref_find(d->r, KIT_LOCAL_IP, lport, KIT_REMOTE_IP, rport);
	struct toe_ref_conn_info i;

	if (state == TOE_ST_CLOSED) {
		if (id >= 0)
			D_FAIL(d, "conn %u-%u: still there, expected gone", lport, rport);
	} else {
		if (id < 0 || toe_ref_conn_info(d->r, id, &i) != TOE_REF_OK)
			D_FAIL(d, "conn %u-%u: gone, expected %s", lport, rport,
			       toe_tcp_state_name(state));
		if (i.state != state || i.retransmits != rtx)
			D_FAIL(d, "conn %u-%u: %s, %u retransmissions; expected %s, %u",
			       lport, rport, toe_tcp_state_name(i.state), i.retransmits,
			       toe_tcp_state_name(state), rtx);
	}
	d_cmp_conns(d);
}

/* A fixture in `state` with the kit numbers (refkit.h) on our port 80 and
 * the peer's port rport. */
static void w_fixture(struct dual *d, int state, uint16_t rport, uint64_t t)
{
	struct toe_ref_conn_info i;

	kit_info(state, &i);
	i.remote_port = rport;
	d_advance_exact(d, t);
	assert_true(d_fixture(d, &i, t) >= 0);
}

/* A segment from the peer's port rport to our port 80. */
static void w_seg(struct dual *d, uint16_t rport, uint8_t flags, uint32_t seq,
		  uint32_t ack, uint64_t t)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	s.src_port = rport;
	if (!d->jump)
		d_advance_exact(d, t);
	d_seg(d, &s, t);
}

/* Active open from our port lport to the peer's port 80. */
static void w_connect(struct dual *d, uint16_t lport, uint64_t t)
{
	d_advance_exact(d, t);
	assert_true(d_connect(d, lport, KIT_REMOTE_IP, 80, t) >= 0);
}

/* close() on the connection from our port 80 to the peer's port rport. */
static void w_close(struct dual *d, uint16_t rport, uint64_t t)
{
	d_advance_exact(d, t);
	assert_int_equal(d_call(d, TM_CMD_CLOSE, toe_ref_find(d->r, KIT_LOCAL_IP, 80,
			 KIT_REMOTE_IP, rport), t), 0);
}

/* The ISS the reference chose for the connection on this tuple. */
static uint32_t w_iss(struct dual *d, uint16_t lport, uint16_t rport)
{
	struct toe_ref_conn_info i;
	int id = toe_ref_find(d->r, KIT_LOCAL_IP, lport, KIT_REMOTE_IP, rport);

	assert_true(id >= 0);
	assert_int_equal(toe_ref_conn_info(d->r, id, &i), TOE_REF_OK);
	return i.iss;
}

/*
 * One timeline around the wrap at W (a multiple of 2^TOE_CFG_TIME_BITS),
 * kit configuration (1 us ticks; RTO 1 s doubling to 60 s; give-ups: SYN
 * 180 s, SYN-ACK 60 s, FIN 100 s; TIME-WAIT 2 s; 5 challenge ACKs per 1 s).
 * Times below are from W. Every deadline is stepped with a probe a tick
 * before it (d_advance_exact); the states and retransmission counts the
 * RFC schedule gives are checked on both sides at the times named.
 *   SYN (active open, local ports 2001..2007, peer port 80):
 *     2006 at -183 s: gives up at 0 exactly (stored deadline 0, stored
 *          first 2^40 - 183 s), 2007 a tick later: gives up at +1 tick;
 *     2001 at -100 s: the 7th SYN at +23 s (deadline set at -37 s), gives
 *          up at +83 s (stored deadline 83 s < stored first 2^40 - 100 s);
 *     2002/2003/2004 at -1 s - 1 tick / -1 s / -1 s + 1 tick: the first
 *          retransmission at -1 tick / 0 / +1 tick;
 *     2005 at +1 tick (every stamp after the wrap).
 *   SYN-ACK (passive, peer ports 42001, 42002):
 *     42001 at -40 s: retransmissions to -9 s, gives up at +23 s;
 *     42002 at -20 s: the 5th SYN-ACK at +11 s (set at -5 s), the peer's
 *          ACK at +12 s: ESTABLISHED.
 *   FIN (peer ports 41001, 41014, 41015):
 *     41001 ESTABLISHED, close at -70 s: FIN to -7 s, gives up at +53 s;
 *     41014 CLOSE-WAIT, close at -1.5 s (LAST-ACK): FIN again at -0.5 s
 *          and +1.5 s, ACKed at +2 s;
 *     41015 FIN-WAIT-1 from -0.5 s, the peer's FIN at -0.2 s (CLOSING),
 *          FIN again at +0.5 s, ACKed at +1 s: TIME-WAIT to +3 s.
 *   TIME-WAIT (2 MSL = 2 s; peer ports 41004, 41011..41013, 41016):
 *     41011/41012/41013 entered at -2 s - 1 tick / -2 s / -2 s + 1 tick:
 *          end at -1 tick / 0 / +1 tick;
 *     41004 active close at -2.9 s, FIN ACKed at -2.5 s, the peer's FIN at
 *          -1 s (end due at +1 s), the peer's FIN again at +0.5 s: restarted
 *          after the wrap, ends at +2.5 s;
 *     41016 entered at +1 tick, ends at +2 s + 1 tick.
 *   Challenge ACKs (41005, ESTABLISHED from -3 s): 7 SYNs at -0.5 s (the
 *     window restarts there: 5 ACKs, 2 suppressed), a SYN at +0.5 s - 1
 *     tick (suppressed), one at +0.5 s (new window: ACK).
 */
static void wrap_directed(uint64_t W, uint32_t seed)
{
	struct dual d;
	struct toe_ref_cfg c;
	const uint64_t S = KIT_S(1), MS = KIT_MS(1);
	unsigned n;
	uint32_t iss;

	kit_cfg(&c);
	c.max_conns = 32;
	print_message("      wrap at %llu (0x%llx), seed %u\n", (unsigned long long)W,
		      (unsigned long long)W, seed);
	d_init_at(&d, &c, seed, W - 300 * S, W);
	d_listen(&d, KIT_LPORT, true);

	/* the schedules the RFC rules give (checked against the design) */
	assert_true(w_giveup_at(&c, W - 183 * S, c.syn_giveup, &n) == W && n == 7);
	assert_true(w_giveup_at(&c, W - 100 * S, c.syn_giveup, &n) == W + 83 * S && n == 7);
	assert_true(w_giveup_at(&c, W - 40 * S, c.synack_giveup, &n) == W + 23 * S && n == 5);
	assert_true(w_giveup_at(&c, W - 70 * S, c.fin_giveup, &n) == W + 53 * S && n == 6);
	/* the stored 40-bit give-up deadline below the stored first send */
	assert_true(((W + 83 * S) & (WRAP_P - 1)) < ((W - 100 * S) & (WRAP_P - 1)));

	w_fixture(&d, TOE_ST_ESTABLISHED, 41001, W - 200 * S);
	w_connect(&d, 2006, W - 183 * S);
	w_connect(&d, 2007, W - 183 * S + 1);
	w_connect(&d, 2001, W - 100 * S);
	w_close(&d, 41001, W - 70 * S);
	w_seg(&d, 42001, TOE_TCP_SYN, KIT_IRS, 0, W - 40 * S);
	w_seg(&d, 42002, TOE_TCP_SYN, KIT_IRS, 0, W - 20 * S);
	w_fixture(&d, TOE_ST_ESTABLISHED, 41005, W - 3 * S);
	w_fixture(&d, TOE_ST_ESTABLISHED, 41004, W - 3 * S + 1);
	w_close(&d, 41004, W - 2900 * MS);
	w_seg(&d, 41004, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, W - 2500 * MS);
	w_expect(&d, 80, 41004, TOE_ST_FIN_WAIT_2, 0);
	w_fixture(&d, TOE_ST_TIME_WAIT, 41011, W - 2 * S - 1);
	w_fixture(&d, TOE_ST_TIME_WAIT, 41012, W - 2 * S);
	w_fixture(&d, TOE_ST_TIME_WAIT, 41013, W - 2 * S + 1);
	w_fixture(&d, TOE_ST_CLOSE_WAIT, 41014, W - 1500 * MS);
	w_close(&d, 41014, W - 1500 * MS);
	w_connect(&d, 2002, W - S - 1);
	w_connect(&d, 2003, W - S);
	w_seg(&d, 41004, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, W - S);
	w_expect(&d, 80, 41004, TOE_ST_TIME_WAIT, 0);
	w_connect(&d, 2004, W - S + 1);
	w_fixture(&d, TOE_ST_FIN_WAIT_1, 41015, W - 500 * MS);
	for (unsigned k = 0; k < 7; k++)
		w_seg(&d, 41005, TOE_TCP_SYN, KIT_IRS + 100 + k, 0, W - 500 * MS + k);
	w_seg(&d, 41015, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, W - 200 * MS);
	w_expect(&d, 80, 41015, TOE_ST_CLOSING, 0);

	/* the wrap: -2 ticks .. +1 tick */
	d_advance_exact(&d, W - 2);
	w_expect(&d, 80, 41011, TOE_ST_TIME_WAIT, 0);
	w_expect(&d, 2006, 80, TOE_ST_SYN_SENT, 7);
	w_expect(&d, 2002, 80, TOE_ST_SYN_SENT, 0);
	d_advance_exact(&d, W - 1);
	w_expect(&d, 80, 41011, TOE_ST_CLOSED, 0);
	w_expect(&d, 80, 41012, TOE_ST_TIME_WAIT, 0);
	w_expect(&d, 2002, 80, TOE_ST_SYN_SENT, 1);
	w_expect(&d, 2003, 80, TOE_ST_SYN_SENT, 0);
	w_expect(&d, 2006, 80, TOE_ST_SYN_SENT, 7);
	d_advance_exact(&d, W);
	w_expect(&d, 80, 41012, TOE_ST_CLOSED, 0);
	w_expect(&d, 80, 41013, TOE_ST_TIME_WAIT, 0);
	w_expect(&d, 2003, 80, TOE_ST_SYN_SENT, 1);
	w_expect(&d, 2004, 80, TOE_ST_SYN_SENT, 0);
	w_expect(&d, 2006, 80, TOE_ST_CLOSED, 0);
	w_expect(&d, 2007, 80, TOE_ST_SYN_SENT, 7);
	d_advance_exact(&d, W + 1);
	w_expect(&d, 80, 41013, TOE_ST_CLOSED, 0);
	w_expect(&d, 2004, 80, TOE_ST_SYN_SENT, 1);
	w_expect(&d, 2007, 80, TOE_ST_CLOSED, 0);
	/* stamps set after the wrap */
	w_connect(&d, 2005, W + 1);
	w_fixture(&d, TOE_ST_TIME_WAIT, 41016, W + 1);

	/* the challenge-ACK window that started at -0.5 s ends at +0.5 s */
	w_seg(&d, 41005, TOE_TCP_SYN, KIT_IRS + 200, 0, W + 500 * MS - 1);
	w_seg(&d, 41005, TOE_TCP_SYN, KIT_IRS + 201, 0, W + 500 * MS);
	{
		struct toe_ref_stats st;

		toe_ref_stats(d.r, &st);
		assert_int_equal(st.challenge_acks, 6);
		assert_int_equal(st.challenge_acks_suppressed, 3);
		d_cmp_stats(&d);
	}
	/* TW-02: the peer's FIN again restarts TIME-WAIT after the wrap */
	w_seg(&d, 41004, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, W + 500 * MS);
	w_expect(&d, 80, 41015, TOE_ST_CLOSING, 1);
	d_advance_exact(&d, W + S);
	w_expect(&d, 80, 41004, TOE_ST_TIME_WAIT, 0); /* would have ended at +1 s */
	w_seg(&d, 41015, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, W + S);
	w_expect(&d, 80, 41015, TOE_ST_TIME_WAIT, 0);
	d_advance_exact(&d, W + 2 * S - 1);
	w_expect(&d, 80, 41014, TOE_ST_LAST_ACK, 2);
	w_seg(&d, 41014, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, W + 2 * S);
	w_expect(&d, 80, 41014, TOE_ST_CLOSED, 0);
	d_advance_exact(&d, W + 2 * S);
	w_expect(&d, 80, 41016, TOE_ST_TIME_WAIT, 0);
	d_advance_exact(&d, W + 2 * S + 1);
	w_expect(&d, 80, 41016, TOE_ST_CLOSED, 0);
	d_advance_exact(&d, W + 2500 * MS - 1);
	w_expect(&d, 80, 41004, TOE_ST_TIME_WAIT, 0);
	d_advance_exact(&d, W + 2500 * MS);
	w_expect(&d, 80, 41004, TOE_ST_CLOSED, 0);
	d_advance_exact(&d, W + 3 * S - 1);
	w_expect(&d, 80, 41015, TOE_ST_TIME_WAIT, 0);
	d_advance_exact(&d, W + 3 * S);
	w_expect(&d, 80, 41015, TOE_ST_CLOSED, 0);

	/* the SYN-ACK set before the wrap, sent after it; then ESTABLISHED */
	d_advance_exact(&d, W + 11 * S - 1);
	w_expect(&d, 80, 42002, TOE_ST_SYN_RECEIVED, 4);
	d_advance_exact(&d, W + 11 * S);
	w_expect(&d, 80, 42002, TOE_ST_SYN_RECEIVED, 5);
	iss = w_iss(&d, 80, 42002);
	w_seg(&d, 42002, TOE_TCP_ACK, KIT_IRS + 1, iss + 1, W + 12 * S);
	w_expect(&d, 80, 42002, TOE_ST_ESTABLISHED, 5);

	/* give-ups after the wrap of retransmissions begun before it */
	d_advance_exact(&d, W + 23 * S - 1);
	w_expect(&d, 80, 42001, TOE_ST_SYN_RECEIVED, 5);
	w_expect(&d, 2001, 80, TOE_ST_SYN_SENT, 6);
	d_advance_exact(&d, W + 23 * S);
	w_expect(&d, 80, 42001, TOE_ST_CLOSED, 0);
	w_expect(&d, 2001, 80, TOE_ST_SYN_SENT, 7);
	d_advance_exact(&d, W + 53 * S - 1);
	w_expect(&d, 80, 41001, TOE_ST_FIN_WAIT_1, 6);
	d_advance_exact(&d, W + 53 * S);
	w_expect(&d, 80, 41001, TOE_ST_CLOSED, 0);
	d_advance_exact(&d, W + 83 * S - 1);
	w_expect(&d, 2001, 80, TOE_ST_SYN_SENT, 7);
	d_advance_exact(&d, W + 83 * S);
	w_expect(&d, 2001, 80, TOE_ST_CLOSED, 0);
	/* the rest give up by +200 s; two connections stay */
	d_advance_exact(&d, W + 200 * S);
	assert_int_equal(toe_ref_conn_count(d.r), 2);
	w_expect(&d, 80, 41005, TOE_ST_ESTABLISHED, 0);
	d_cmp_stats(&d);
	print_message("      %llu timer expiries after the wrap, %u timers running across it, "
		      "%llu segments and %llu events compared\n",
		      (unsigned long long)d.fires_after_wrap, d.timers_at_wrap,
		      (unsigned long long)d.n_tx, (unsigned long long)d.n_ev);
	assert_true(d.wrap_crossed);
	assert_true(d.fires_after_wrap > 0);
	d_fini(&d);
}

/*
 * The "timers first" path across the wrap: a connection's timers ran out
 * while nothing stepped `now` through them, and an input for it arrives
 * after the wrap (jump mode: the RTL's job or scanner finds the timer due
 * with now past the wrap and a deadline before it, and must fire every
 * missed retransmission, then the give-up, exactly as the reference).
 *   a SYN-RECEIVED from -10 s, its final ACK at +60 s: SYN-ACK again at
 *     -9, -7, -3, +5, +21 s, gives up at +53 s, the ACK gets a RST;
 *   a FIN-WAIT-1 from -50 s, close() at +100 s: FIN again at -49 ... -19,
 *     +13 s, gives up at +73 s, the close finds no connection;
 *   a TIME-WAIT from -1 s, a SYN at +2 s: TIME-WAIT over (CLOSED), then a
 *     new passive open on the tuple.
 */
static void wrap_jump(uint64_t W, uint32_t seed)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct toe_ref_stats st;
	const uint64_t S = KIT_S(1);
	unsigned n;

	kit_cfg(&c);
	/* one connection per run: jump mode needs every due timer to be the
	 * input's own connection's */
	d_init_at(&d, &c, seed, W - 20 * S, W);
	d_listen(&d, KIT_LPORT, true);
	w_fixture(&d, TOE_ST_SYN_RECEIVED, 43001, W - 10 * S);
	d.jump = true;
	w_seg(&d, 43001, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, W + 60 * S);
	d.jump = false;
	w_expect(&d, 80, 43001, TOE_ST_CLOSED, 0);
	d_cmp_stats(&d);
	assert_true(w_giveup_at(&c, W - 10 * S, c.synack_giveup, &n) == W + 53 * S);
	toe_ref_stats(d.r, &st);
	assert_int_equal(st.retransmits, n);
	assert_int_equal(d.tx_kind[1], n);
	/* a listener's half-open connection gives up silently (HS-09) */
	assert_int_equal(d.ev_type[TOE_EV_TIMEDOUT], 0);
	assert_int_equal(d.tx_kind[4], 1); /* the ACK's RST */
	d_fini(&d);

	d_init_at(&d, &c, seed, W - 60 * S, W);
	w_fixture(&d, TOE_ST_FIN_WAIT_1, 43002, W - 50 * S);
	d.jump = true;
	assert_int_equal(d_call(&d, TM_CMD_CLOSE, 0, W + 100 * S), TOE_REF_ENOTCONN);
	d.jump = false;
	w_expect(&d, 80, 43002, TOE_ST_CLOSED, 0);
	d_cmp_stats(&d);
	assert_true(w_giveup_at(&c, W - 50 * S, c.fin_giveup, &n) == W + 73 * S);
	toe_ref_stats(d.r, &st);
	assert_int_equal(st.retransmits, n);
	assert_int_equal(d.tx_kind[3], n);
	assert_int_equal(d.ev_type[TOE_EV_TIMEDOUT], 1);
	d_fini(&d);

	d_init_at(&d, &c, seed, W - 2 * S, W);
	d_listen(&d, KIT_LPORT, true);
	w_fixture(&d, TOE_ST_TIME_WAIT, 43003, W - S);
	d.jump = true;
	w_seg(&d, 43003, TOE_TCP_SYN, KIT_IRS, 0, W + 2 * S);
	d.jump = false;
	w_expect(&d, 80, 43003, TOE_ST_SYN_RECEIVED, 0);
	assert_int_equal(d.ev_type[TOE_EV_CLOSED], 1);
	/* and the new connection's SYN-ACK timer, set after the wrap */
	d_advance_exact(&d, W + 4 * S);
	w_expect(&d, 80, 43003, TOE_ST_SYN_RECEIVED, 1);
	d_fini(&d);
}

/*
 * Deadlines just before the wrap that the scanner finds just after it (the
 * engine's scanner visits a TCB once a pass, so a deadline in the last
 * pass before the wrap is seen with `now` past it): four timers due at
 * -30, -25, -20 and -5 ticks, ids in the same order, `now` jumping from
 * -31 ticks to +3 ticks, then a scan pass:
 *   id 0: FIN-WAIT-1 from -123 s - 30 ticks: gives up (123 s >= 100 s);
 *   id 1: TIME-WAIT from -2 s - 25 ticks: ends;
 *   id 2: SYN-SENT from -1 s - 20 ticks: the SYN again, the next at +2 s - 20;
 *   id 3: SYN-RECEIVED from -1 s - 5 ticks: the SYN-ACK again, next at
 *         +2 s - 5 ticks.
 */
static void wrap_scan_lag(uint64_t W, uint32_t seed)
{
	struct dual d;
	struct toe_ref_cfg c;
	const uint64_t S = KIT_S(1);
	unsigned n;

	kit_cfg(&c);
	assert_true(w_giveup_at(&c, W - 123 * S - 30, c.fin_giveup, &n) == W - 30 && n == 6);
	d_init_at(&d, &c, seed, W - 130 * S, W);
	d_listen(&d, KIT_LPORT, true);
	w_fixture(&d, TOE_ST_FIN_WAIT_1, 44001, W - 123 * S - 30);
	w_fixture(&d, TOE_ST_TIME_WAIT, 44002, W - 2 * S - 25);
	w_connect(&d, 2101, W - S - 20);
	w_seg(&d, 44004, TOE_TCP_SYN, KIT_IRS, 0, W - S - 5);
	d_advance_exact(&d, W - 31);
	w_expect(&d, 80, 44001, TOE_ST_FIN_WAIT_1, 6);
	w_expect(&d, 80, 44002, TOE_ST_TIME_WAIT, 0);
	w_expect(&d, 2101, 80, TOE_ST_SYN_SENT, 0);
	w_expect(&d, 80, 44004, TOE_ST_SYN_RECEIVED, 0);
	d_scan_jump(&d, W + 3);
	w_expect(&d, 80, 44001, TOE_ST_CLOSED, 0);
	w_expect(&d, 80, 44002, TOE_ST_CLOSED, 0);
	w_expect(&d, 2101, 80, TOE_ST_SYN_SENT, 1);
	w_expect(&d, 80, 44004, TOE_ST_SYN_RECEIVED, 1);
	assert_int_equal(d.ev_type[TOE_EV_TIMEDOUT], 1);
	assert_int_equal(d.ev_type[TOE_EV_CLOSED], 1);
	/* the next deadlines, set from the ones before the wrap */
	d_advance_exact(&d, W + 2 * S - 21);
	w_expect(&d, 2101, 80, TOE_ST_SYN_SENT, 1);
	d_advance_exact(&d, W + 2 * S - 20);
	w_expect(&d, 2101, 80, TOE_ST_SYN_SENT, 2);
	w_expect(&d, 80, 44004, TOE_ST_SYN_RECEIVED, 1);
	d_advance_exact(&d, W + 2 * S - 5);
	w_expect(&d, 80, 44004, TOE_ST_SYN_RECEIVED, 2);
	d_cmp_stats(&d);
	d_fini(&d);
}

/* Directed timers across the wrap at 2^40, 2^41 and 2^63. */
static void test_wrap_timers_directed(void **state)
{
	(void)state;
	for (unsigned k = 0; k < sizeof(wrap_bases) / sizeof(wrap_bases[0]); k++)
		wrap_directed(wrap_bases[k], 40 + k);
}

static void test_wrap_timers_first(void **state)
{
	(void)state;
	for (unsigned k = 0; k < sizeof(wrap_bases) / sizeof(wrap_bases[0]); k++)
		wrap_jump(wrap_bases[k], 40 + k);
}

static void test_wrap_scan_lag(void **state)
{
	(void)state;
	for (unsigned k = 0; k < sizeof(wrap_bases) / sizeof(wrap_bases[0]); k++)
		wrap_scan_lag(wrap_bases[k], 40 + k);
}

/* The random differential run across the wrap at 2^40 (kit configuration,
 * timers of seconds) and at 2^41 (millisecond timers: many more expiries
 * on both sides of it), half of each run before the wrap. */
static void test_wrap_diff_random_kit(void **state)
{
	(void)state;
	diff_random_run(0, WRAP_P, 10000);
}

static void test_wrap_diff_random_fast_timers(void **state)
{
	(void)state;
	diff_random_run(2, 2 * WRAP_P, 10000);
}

/* Free-running (no deadline stepping: the scanner and the jobs find the
 * timers due) across the wrap at 2^63. */
static void test_wrap_diff_free_running(void **state)
{
	(void)state;
	diff_free_run(1ULL << 63);
}


/* ------------------------------------------------------------------ */
/* performance                                                           */
/* ------------------------------------------------------------------ */

/* The core's reply latency, from the sequencer's states (a regression pin
 * of this design, not an outside figure): the segment is taken in IDLE,
 * looked up (LK), its TCB registered (LKRD), toe_tcp_fsm's stage P
 * registered (PRE), the step decides and its results are registered
 * (STEP), the descriptor is pushed (WB) and, the FIFO being empty, shown
 * on m_tx in the same cycle (its bypass): 5 cycles. */
#define CORE_REPLY_CYCLES 5

/* Back-to-back segments on random live 4-tuples: cycles per segment
 * (target <= 10), and the cycles from a segment's acceptance to its reply
 * descriptor on m_tx. */
static void test_perf_random_tuples(void **state)
{
	struct rt *t = *state;
	enum { NCONN = 512, NSEG = 4000 };
	static struct tm_seg segs[NCONN];
	uint64_t rs = 99;
	struct tm_tx x;
	struct tm_pl p;

	(void)state;
	/* a fresh model with room for NCONN connections */
	struct toe_ref_cfg c;
	kit_cfg(&c);
	c.max_conns = 1024;
	rt_free(t);
	t = rt_new(&c);
	*state = t;
	for (unsigned k = 0; k < NCONN; k++) {
		struct tm_fixture f;

		memset(&f, 0, sizeof(f));
		f.state = TOE_ST_ESTABLISHED;
		f.local_port = (uint16_t)(1 + rng_below(&rs, 65535));
		f.remote_ip = (uint32_t)rng_next(&rs) | 1;
		f.remote_port = (uint16_t)(1 + rng_below(&rs, 65535));
		f.remote_mac = d_mac_of(f.remote_ip);
		f.iss = 1000;
		f.snd_una = 1001;
		f.snd_nxt = 1001;
		f.irs = 5000;
		f.rcv_nxt = 5001;
		f.snd_wnd = 100;
		assert_int_equal(tm_make_fixture(t->m, &f), (int)k);
		memset(&segs[k], 0, sizeof(segs[k]));
		segs[k].src_mac = f.remote_mac;
		segs[k].src_ip = f.remote_ip;
		segs[k].dst_ip = KIT_LOCAL_IP;
		segs[k].src_port = f.remote_port;
		segs[k].dst_port = f.local_port;
		segs[k].seq = 5001;
		segs[k].ack = 1001;
		segs[k].flags = TOE_TCP_ACK;
		segs[k].win = 100;
	}
	/* pure ACKs (no reply): throughput */
	assert_true(tm_settle(t->m, 1000));
	uint64_t c0 = tm_cycles(t->m);
	for (unsigned n = 0; n < NSEG; n++)
		tm_input(t->m, &segs[rng_below(&rs, NCONN)]);
	assert_true(tm_settle(t->m, 100000));
	uint64_t c1 = tm_cycles(t->m);
	double cps = (double)(c1 - c0) / NSEG;
	rt_expect_nothing(t);
	while (tm_pop_pl(t->m, &p))
		;
	/* out-of-window segments (each gets an ACK): latency */
	uint64_t lat_max = 0, lat_sum = 0;
	for (unsigned n = 0; n < 500; n++) {
		struct tm_seg s = segs[rng_below(&rs, NCONN)];

		s.seq = 5001 + 100000;
		uint64_t acc = tm_input(t->m, &s);
		assert_true(tm_settle(t->m, 1000));
		assert_true(tm_pop_tx(t->m, &x));
		assert_int_equal(x.flags, TOE_TCP_ACK);
		uint64_t lat = x.cycle - acc;
		lat_sum += lat;
		if (lat > lat_max)
			lat_max = lat;
	}
	while (tm_pop_pl(t->m, &p))
		;
	/* the same, back to back: throughput with a reply per segment */
	uint64_t c2 = tm_cycles(t->m);
	for (unsigned n = 0; n < NSEG; n++) {
		struct tm_seg s = segs[rng_below(&rs, NCONN)];

		s.seq = 5001 + 100000;
		tm_input(t->m, &s);
		while (tm_pop_tx(t->m, &x))
			;
		while (tm_pop_pl(t->m, &p))
			;
	}
	assert_true(tm_settle(t->m, 100000));
	uint64_t c3 = tm_cycles(t->m);
	while (tm_pop_tx(t->m, &x))
		;
	while (tm_pop_pl(t->m, &p))
		;
	double cps2 = (double)(c3 - c2) / NSEG;
	print_message("      %u segments on %u random 4-tuples: %.2f cycles/segment "
		      "(pure ACKs), %.2f cycles/segment (each answered)\n",
		      NSEG, NCONN, cps, cps2);
	print_message("      segment accepted -> reply descriptor on m_tx: %.2f cycles "
		      "average, %llu at most\n", (double)lat_sum / 500,
		      (unsigned long long)lat_max);
	assert_true(cps <= 10.0);
	assert_true(cps2 <= 10.0);
	assert_true(lat_max <= CORE_REPLY_CYCLES);
	rt_expect_nothing(t);
}

/* A SYN flood from random 4-tuples to a listener: every SYN creates a TCB
 * (lowest free id) and gets its SYN-ACK, until the table is full; then the
 * SYNs are dropped. Cycles per SYN both ways, and the SYN -> SYN-ACK
 * latency. Then SYNs to a closed port: RST per segment. */
static void test_perf_syn_flood(void **state)
{
	struct rt *t = *state;
	struct toe_ref_cfg c;
	enum { NSYN = 3000 };
	static struct tm_seg segs[NSYN];
	uint64_t rs = 7;
	struct tm_tx x;
	struct tm_pl p;
	struct tm_stats st;

	kit_cfg(&c);
	c.max_conns = 1024;
	rt_free(t);
	t = rt_new(&c);
	*state = t;
	assert_int_equal(tm_listen(t->m, KIT_LPORT), 0);
	for (unsigned k = 0; k < NSYN; k++) {
		memset(&segs[k], 0, sizeof(segs[k]));
		segs[k].src_ip = (uint32_t)rng_next(&rs) | 1;
		segs[k].src_mac = d_mac_of(segs[k].src_ip);
		segs[k].dst_ip = KIT_LOCAL_IP;
		segs[k].src_port = (uint16_t)(1 + rng_below(&rs, 65535));
		segs[k].dst_port = KIT_LPORT;
		segs[k].seq = (uint32_t)rng_next(&rs);
		segs[k].flags = TOE_TCP_SYN;
		segs[k].win = 65535;
		segs[k].mss_valid = true;
		segs[k].mss = 1460;
		segs[k].isn = (uint32_t)rng_next(&rs);
	}
	uint64_t c0 = tm_cycles(t->m), lat_max = 0;
	unsigned got = 0;
	for (unsigned k = 0; k < NSYN; k++) {
		uint64_t acc = tm_input(t->m, &segs[k]);

		while (tm_pop_tx(t->m, &x)) {
			assert_int_equal(x.flags, TOE_TCP_SYN | TOE_TCP_ACK);
			assert_int_equal(x.conn, (int)got);
			got++;
			(void)acc;
		}
		while (tm_pop_pl(t->m, &p))
			;
	}
	assert_true(tm_settle(t->m, 100000));
	uint64_t c1 = tm_cycles(t->m);
	while (tm_pop_tx(t->m, &x)) {
		assert_int_equal(x.conn, (int)got);
		got++;
	}
	assert_int_equal(got, 1024);
	tm_get_stats(t->m, &st);
	assert_int_equal(st.table_full, NSYN - 1024);
	/* latency, one SYN at a time, on a fresh table */
	for (int k = 0; k < 64; k++)
		assert_int_equal(tm_abort(t->m, k), 0);
	assert_true(tm_settle(t->m, 10000));
	while (tm_pop_tx(t->m, &x))
		;
	for (int k = 0; k < 64; k++) {
		struct tm_seg s = segs[NSYN - 1 - k];
		uint64_t acc = tm_input(t->m, &s);

		assert_true(tm_settle(t->m, 1000));
		assert_true(tm_pop_tx(t->m, &x));
		assert_int_equal(x.conn, k);
		if (x.cycle - acc > lat_max)
			lat_max = x.cycle - acc;
	}
	while (tm_pop_pl(t->m, &p))
		;
	/* SYNs to a port nobody listens on: RST,ACK each */
	uint64_t c2 = tm_cycles(t->m);
	for (unsigned k = 0; k < NSYN; k++) {
		struct tm_seg s = segs[k];

		s.dst_port = 9;
		tm_input(t->m, &s);
		while (tm_pop_tx(t->m, &x))
			assert_int_equal(x.flags, TOE_TCP_RST | TOE_TCP_ACK);
		while (tm_pop_pl(t->m, &p))
			;
	}
	assert_true(tm_settle(t->m, 100000));
	uint64_t c3 = tm_cycles(t->m);
	while (tm_pop_tx(t->m, &x))
		;
	while (tm_pop_pl(t->m, &p))
		;
	print_message("      SYN flood, %u random 4-tuples: %.2f cycles/SYN (1024 "
		      "accepted, the rest dropped: table full), SYN -> SYN-ACK "
		      "descriptor %llu cycles at most; SYNs to a closed port: "
		      "%.2f cycles/segment\n", NSYN, (double)(c1 - c0) / NSYN,
		      (unsigned long long)lat_max, (double)(c3 - c2) / NSYN);
	assert_true((double)(c1 - c0) / NSYN <= 10.0);
	assert_true((double)(c3 - c2) / NSYN <= 10.0);
	assert_true(lat_max <= CORE_REPLY_CYCLES);
	rt_expect_nothing(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_listen_syn_then_ack_established, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_syn_uses_rfc6528_isn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_rst_ack_fin_and_bad_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_synack_established, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synsent_bad_ack_rst_and_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_open_then_rst_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_port_rst_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_established_rst_exact_inwindow_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_challenge_ack_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_established_ack_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload_decisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passive_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_close_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_retransmit_schedule_and_giveup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_timer_fires_before_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fin_retransmit_and_timewait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_timewait_ends_before_syn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_timer_fires_before_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timewait_rst_ignored_syn_reopens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listener_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lowest_free_id_and_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lowest_free_id_reuse, setup, teardown),
		cmocka_unit_test(test_diff_handshake_and_close),
		cmocka_unit_test(test_diff_random_kit),
		cmocka_unit_test(test_diff_random_zero_window),
		cmocka_unit_test(test_diff_random_fast_timers),
		cmocka_unit_test(test_diff_random_small_table),
		cmocka_unit_test(test_diff_free_running),
		cmocka_unit_test(test_wrap_timers_directed),
		cmocka_unit_test(test_wrap_timers_first),
		cmocka_unit_test(test_wrap_scan_lag),
		cmocka_unit_test(test_wrap_diff_random_kit),
		cmocka_unit_test(test_wrap_diff_random_fast_timers),
		cmocka_unit_test(test_wrap_diff_free_running),
		cmocka_unit_test_setup_teardown(test_perf_random_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perf_syn_flood, setup, teardown),
	};

	return cmocka_run_group_tests_name("rtl_tcb_core", tests, NULL, NULL);
}
