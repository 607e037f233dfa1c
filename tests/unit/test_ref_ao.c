/* SPDX-License-Identifier: MIT */
/*
 * test_ref_ao.c - reference stack, active open (AO-01..AO-09): SYN-SENT
 * processing of RFC 9293 3.10.7.3, close in SYN-SENT, SYN retransmission
 * and give-up. The connection is KIT_LPORT -> KIT_REMOTE_IP:KIT_RPORT so
 * the kit's peer segments (kit_seg) belong to it.
 */
#include "refkit.h"

#include <sodium.h>

/* connect() with a pinned ISS at time t; asserts the SYN. */
static int open_active(struct toe_ref *r, uint64_t t)
{
	toe_ref_pin_isn(r, KIT_ISS);
	int id = toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, t);
	assert_true(id >= 0);
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);
	return id;
}

/* ---- AO-01 ---------------------------------------------------------- */

static void test_AO01_connect_sends_syn_with_mss(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;

	toe_ref_pin_isn(r, KIT_ISS);
	int id = toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, KIT_MS(7));
	assert_int_equal(id, 0);
	/* "<SEQ=ISS><CTL=SYN>": no ACK flag, MSS option, window rcv_wnd */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_int_equal(o.seg.win, KIT_RCV_WND);
	assert_true(o.seg.opt.has_mss);
	assert_int_equal(o.seg.opt.mss, KIT_MSS);
	assert_int_equal(o.seg.src_ip, KIT_LOCAL_IP);
	assert_int_equal(o.seg.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(o.seg.src_port, KIT_LPORT);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	assert_int_equal(o.ip.ttl, KIT_TTL);
	assert_true(o.ip.df);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
	assert_int_equal(o.conn, id);
	assert_int_equal(o.time, KIT_MS(7));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	/* "Set SND.UNA to ISS, SND.NXT to ISS+1" */
	assert_int_equal(ci.iss, KIT_ISS);
	assert_int_equal(ci.snd_una, KIT_ISS);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	assert_false(ci.passive);
	/* the tuple is taken now */
	assert_int_equal(toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, 8),
			 TOE_REF_EADDRINUSE);
	assert_int_equal(toe_ref_connect(r, 0, KIT_REMOTE_IP, KIT_RPORT, 8),
			 TOE_REF_EINVAL);
	kit_expect_nothing(r);
}

/* cfg.syn_wnd is the window of our own SYN only. */
static void test_AO01_connect_syn_carries_syn_wnd(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.syn_wnd = 29200;
	struct toe_ref *r = kit_renew(state, &c);
	toe_ref_pin_isn(r, KIT_ISS);
	int id = toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, 0);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_int_equal(o.seg.win, 29200);
	/* its retransmission too */
	toe_ref_advance(r, KIT_S(1));
	o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_int_equal(o.seg.win, 29200);
	/* but not the ACK that completes the handshake */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, KIT_S(1) + 5);
	o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	assert_int_equal(o.seg.win, KIT_RCV_WND);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
}

/* Unpinned: ISS is RFC 6528 (M + SipHash) at the connect time. */
static void test_AO01_connect_iss_is_rfc6528(void **state)
{
	struct toe_ref *r = *state;
	uint8_t key[16], h[8];
	uint8_t msg[12] = { 0xc0, 0xa8, 0x00, 0x01, 0x00, 80, 0xc0, 0x00,
			    0x02, 0x01, 0x9c, 0x40 };

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	assert_int_equal(crypto_shorthash_siphash24(h, msg, 12, key), 0);
	uint32_t f = (uint32_t)h[0] | (uint32_t)h[1] << 8 |
		     (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
	toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, 40000);
	kit_expect_seg(r, TOE_TCP_SYN, f + 10000, 0);
	kit_expect_nothing(r);
}

/* ---- AO-02 ---------------------------------------------------------- */

static void test_AO02_synsent_synack_sends_ack_established(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = open_active(r, 0);
	struct toe_seg s = kit_seg(TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1);

	s.opt.has_mss = true;
	s.opt.mss = 1400;
	s.win = 20000;
	toe_ref_input(r, &s, KIT_MS(30));
	/* "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" = <ISS+1><IRS+1> */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_int_equal(o.time, KIT_MS(30));
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT + 1);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.irs, KIT_IRS);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 1);
	assert_int_equal(ci.snd_una, KIT_ISS + 1);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	assert_int_equal(ci.snd_wnd, 20000);
	assert_int_equal(ci.peer_mss, 1400);
	assert_int_equal(ci.eff_mss, 1400);
	/* the SYN timer is off */
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	toe_ref_advance(r, KIT_S(400));
	kit_expect_nothing(r);
}

/* Payload and FIN on the SYN-ACK are dropped (documented choice): only
 * the SYN is acknowledged. */
static void test_AO02_synsent_synack_with_data_acks_syn_only(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	kit_in_data(r, TOE_TCP_SYN | TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS,
		    KIT_ISS + 1, 10, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
}

/* ---- AO-03 ---------------------------------------------------------- */

static void test_AO03_synsent_bad_ack_sends_rst_stays(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	/* SEG.ACK =< ISS: "<SEQ=SEG.ACK><CTL=RST>" */
	kit_in(r, TOE_TCP_ACK, KIT_IRS, KIT_ISS, 1);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS, 0);
	assert_int_equal(o.seg.win, 0);
	assert_int_equal(o.conn, id);
	kit_expect_nothing(r);
	/* SEG.ACK > SND.NXT, on a SYN-ACK */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 2, 2);
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	kit_expect_nothing(r);
	/* on a FIN-ACK, far below ISS */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS, KIT_ISS - 1000, 3);
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS - 1000, 0);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	/* the SYN is still retransmitted at 1 s */
	toe_ref_advance(r, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);
	/* and the right SYN-ACK still completes */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, KIT_S(1) + 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
}

/* ---- AO-04 .. AO-07 ------------------------------------------------- */

static void test_AO04_synsent_rst_ack_refused(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_ISS + 1, KIT_MS(20));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_REFUSED, id);
	assert_int_equal(ev.time, KIT_MS(20));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	toe_ref_advance(r, KIT_S(10));
	kit_expect_nothing(r);
}

static void test_AO05_synsent_rst_without_ack_dropped(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	kit_in(r, TOE_TCP_RST, 0, 0, 1);
	kit_in(r, TOE_TCP_RST, KIT_IRS, KIT_ISS + 1, 2); /* ack field, no flag */
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	toe_ref_advance(r, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);
}

static void test_AO06_synsent_rst_bad_ack_dropped(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_ISS, 1);
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_ISS + 2, 2);
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_ISS + 0x40000000u, 3);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	toe_ref_advance(r, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);
}

static void test_AO07_synsent_pure_ack_dropped(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;
	int id = open_active(r, 0);

	kit_in(r, TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, 1);
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS, KIT_ISS + 1, 10, 2);
	kit_in(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS, KIT_ISS + 1, 3);
	kit_in(r, TOE_TCP_FIN, KIT_IRS, 0, 4);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	toe_ref_stats(r, &st);
	assert_int_equal(st.dropped, 4);
	toe_ref_advance(r, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);
}

/* ---- AO-08 ---------------------------------------------------------- */

static void test_AO08_synsent_close_deletes_no_rst(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	assert_int_equal(toe_ref_close(r, id, KIT_MS(100)), TOE_REF_OK);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	/* a late SYN-ACK meets no TCB: "<SEQ=SEG.ACK><CTL=RST>" */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, KIT_MS(200));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 1, 0);
	assert_int_equal(o.conn, -1);
	kit_expect_nothing(r);
	/* closing again: the id is free */
	assert_int_equal(toe_ref_close(r, id, KIT_MS(300)), TOE_REF_ENOTCONN);
	toe_ref_advance(r, KIT_S(300));
	kit_expect_nothing(r);
}

/* Abort in SYN-SENT: also nothing sent, no event. */
static void test_AO08_synsent_abort_deletes_no_rst(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	assert_int_equal(toe_ref_abort(r, id, 1), TOE_REF_OK);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	/* shutdown_wr in SYN-SENT is refused (documented choice) */
	id = open_active(r, 2);
	assert_int_equal(toe_ref_shutdown_wr(r, id, 3), TOE_REF_ESTATE);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
}

/* ---- AO-09 ---------------------------------------------------------- */

/* SYN at 0, resent at 1, 3, 7, 15, 31, 63, 123 s (RTO 1 s doubling, capped
 * at 60 s) with the same ISN; at 183 s (>= 3 min) ETIMEDOUT. */
static void test_AO09_synsent_syn_backoff_then_timedout(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	struct toe_ref_stats st;
	static const unsigned at[] = { 1, 3, 7, 15, 31, 63, 123 };
	int id = open_active(r, 0);

	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(toe_ref_next_timer(r), KIT_S(at[i]));
		toe_ref_advance(r, KIT_S(at[i]) - 1);
		kit_expect_nothing(r);
		toe_ref_advance(r, KIT_S(at[i]));
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
		assert_int_equal(o.time, KIT_S(at[i]));
		assert_int_equal(o.ip.id, KIT_IP_ID_INIT + 1 + i);
		kit_expect_nothing(r);
		assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
		assert_int_equal(ci.retransmits, i + 1);
		assert_int_equal(ci.iss, KIT_ISS);
		assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	}
	/* backoff capped at rto_max 60 s */
	assert_int_equal(toe_ref_next_timer(r), KIT_S(183));
	toe_ref_advance(r, KIT_S(183) - 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_SENT);
	toe_ref_advance(r, KIT_S(183));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	/* MUST-23: retransmitted for at least 3 minutes */
	assert_true(ev.time >= KIT_S(180));
	assert_int_equal(ev.time, KIT_S(183));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	toe_ref_stats(r, &st);
	assert_int_equal(st.retransmits, 7);
	assert_int_equal(st.segs_out, 8);
}

/* One big jump: the same instants, each segment stamped with its deadline. */
static void test_AO09_synsent_one_advance_fires_in_order(void **state)
{
	struct toe_ref *r = *state;
	static const unsigned at[] = { 1, 3, 7, 15, 31, 63, 123 };
	int id = open_active(r, 0);

	toe_ref_advance(r, KIT_S(1000));
	for (unsigned i = 0; i < 7; i++) {
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
		assert_int_equal(o.time, KIT_S(at[i]));
	}
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	assert_int_equal(ev.time, KIT_S(183));
	kit_expect_nothing(r);
	/* time never goes backwards: an older now changes nothing */
	toe_ref_advance(r, KIT_S(5));
	kit_expect_nothing(r);
}

/* Timers run before the segment of an input call with a later now. */
static void test_AO09_synsent_input_runs_timers_first(void **state)
{
	struct toe_ref *r = *state;
	int id = open_active(r, 0);

	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, KIT_S(2));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_int_equal(o.time, KIT_S(1));
	o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	assert_int_equal(o.time, KIT_S(2));
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
}

/* A shorter configured give-up is honoured (R2 is app-settable, MUST-21). */
static void test_AO09_synsent_configured_giveup(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.syn_giveup = KIT_S(7);
	struct toe_ref *r = kit_renew(state, &c);
	int id = open_active(r, 0);

	toe_ref_advance(r, KIT_S(10));
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0); /* 1 s */
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0); /* 3 s */
	kit_expect_no_seg(r);
	/* deadline 7 s: 7 - 0 >= 7 -> give up (boundary included) */
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	assert_int_equal(ev.time, KIT_S(7));
	kit_expect_nothing(r);
}

/* Two active opens: equal deadlines fire by connection id. */
static void test_AO09_two_synsent_tie_fires_by_id(void **state)
{
	struct toe_ref *r = *state;

	toe_ref_pin_isn(r, 1000);
	int a = toe_ref_connect(r, 5000, KIT_REMOTE_IP, 80, 0);
	toe_ref_pin_isn(r, 2000);
	int b = toe_ref_connect(r, 5001, KIT_REMOTE_IP, 80, 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	kit_expect_seg(r, TOE_TCP_SYN, 1000, 0);
	kit_expect_seg(r, TOE_TCP_SYN, 2000, 0);
	toe_ref_advance(r, KIT_S(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, 1000, 0);
	assert_int_equal(o.conn, 0);
	assert_int_equal(o.seg.src_port, 5000);
	o = kit_expect_seg(r, TOE_TCP_SYN, 2000, 0);
	assert_int_equal(o.conn, 1);
	kit_expect_nothing(r);
	/* a RST for b only affects b */
	struct toe_seg s = kit_seg(TOE_TCP_RST | TOE_TCP_ACK, 0, 2001);
	s.src_port = 80;
	s.dst_port = 5001;
	toe_ref_input(r, &s, KIT_S(2));
	kit_expect_event(r, TOE_EV_REFUSED, b);
	kit_expect_nothing(r);
	kit_expect_state(r, a, TOE_ST_SYN_SENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, kit_setup, kit_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_AO01_connect_sends_syn_with_mss),
		T(test_AO01_connect_syn_carries_syn_wnd),
		T(test_AO01_connect_iss_is_rfc6528),
		T(test_AO02_synsent_synack_sends_ack_established),
		T(test_AO02_synsent_synack_with_data_acks_syn_only),
		T(test_AO03_synsent_bad_ack_sends_rst_stays),
		T(test_AO04_synsent_rst_ack_refused),
		T(test_AO05_synsent_rst_without_ack_dropped),
		T(test_AO06_synsent_rst_bad_ack_dropped),
		T(test_AO07_synsent_pure_ack_dropped),
		T(test_AO08_synsent_close_deletes_no_rst),
		T(test_AO08_synsent_abort_deletes_no_rst),
		T(test_AO09_synsent_syn_backoff_then_timedout),
		T(test_AO09_synsent_one_advance_fires_in_order),
		T(test_AO09_synsent_input_runs_timers_first),
		T(test_AO09_synsent_configured_giveup),
		T(test_AO09_two_synsent_tie_fires_by_id),
	};

	return cmocka_run_group_tests_name("ref_ao", tests, NULL, NULL);
}
