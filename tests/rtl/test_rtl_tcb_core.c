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

	/* SYN-ACK resent at 1, 3, 7, 15, 31 s; at 63 s 63 >= 60: give up */
	rt_in(t, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 0, KIT_S(64));
	for (int k = 0; k < 5; k++)
		rt_expect_tx(t, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	rt_expect_ev(t, TOE_EV_TIMEDOUT, id);
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

/* Random traffic, N_CONN 1024 model, in four configurations:
 *  0: the kit configuration, max_conns 256;
 *  1: RCV.WND 0 (CL-11: only bare FINs at RCV.NXT get in), SYN window
 *     1000, one challenge ACK per 1 ms, IP ID step 7, no DF, TTL 5, MTU 9000;
 *  2: millisecond timers (RTO 1 ms doubling to 4 ms, give-ups 10-30 ms,
 *     MSL 2 ms), so timers fire, collide and give up all the time;
 *  3: a 16-entry table that is full most of the time, 2 listeners.
 * TOE_DIFF_STEPS sets the inputs per configuration, TOE_DIFF_SEED the seed. */
static void diff_random_cfg(int which)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct d_run_cfg rc = { .steps = env_steps("TOE_DIFF_STEPS", 20000),
				.peers = 300, .check_every = 2000,
				.long_jump_pct = 1, .mid_jump_pct = 20 };
	struct d_run_stats st;
	uint32_t seed = (uint32_t)env_steps("TOE_DIFF_SEED", 12345) + (uint32_t)which;

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
	d_init(&d, &c, seed);
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
	d_fini(&d);
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
static void test_diff_free_running(void **state)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct d_free_stats st;
	uint32_t seed = (uint32_t)env_steps("TOE_DIFF_SEED", 12345) + 10;

	(void)state;
	kit_cfg(&c);
	c.max_conns = 1024; /* never full: ids may differ, the table not */
	c.max_listeners = 4;
	c.rto_init = KIT_MS(50);
	c.rto_max = KIT_MS(400);
	c.syn_giveup = KIT_S(2);
	c.synack_giveup = KIT_S(1);
	c.fin_giveup = KIT_S(2);
	c.msl = KIT_MS(100);
	d_init(&d, &c, seed);
	d_free_run(&d, env_steps("TOE_DIFF_STEPS", 20000), 200, 24, seed, &st);
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
	d_fini(&d);
}

/* ------------------------------------------------------------------ */
/* performance                                                           */
/* ------------------------------------------------------------------ */

/* The core's reply latency, from the sequencer's states (a regression pin
 * of this design, not an outside figure): the segment is taken in IDLE,
 * looked up (LK), its TCB registered (LKRD), toe_tcp_fsm's stage P
 * registered (PRE), the step decides and pushes the descriptor (STEP), and
 * the FIFO shows it a cycle later: 5 cycles. */
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
		cmocka_unit_test_setup_teardown(test_perf_random_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perf_syn_flood, setup, teardown),
	};

	return cmocka_run_group_tests_name("rtl_tcb_core", tests, NULL, NULL);
}
