/* SPDX-License-Identifier: MIT */
/*
 * test_ref_so.c - reference stack, simultaneous open (SO-01, SO-02):
 * RFC 9293 3.10.7.3 "Otherwise, enter SYN-RECEIVED" and Figure 7, and a
 * RST in a SYN-RECEIVED that came from SYN-SENT (MUST-11).
 */
#include "refkit.h"

/* connect() with pinned ISS, then the peer's SYN crosses ours. */
static int cross_syns(struct toe_ref *r)
{
	toe_ref_pin_isn(r, KIT_ISS);
	int id = toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, 0);
	assert_true(id >= 0);
	kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	kit_expect_nothing(r);

	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);
	s.opt.has_mss = true;
	s.opt.mss = 1200;
	s.win = 17000;
	toe_ref_input(r, &s, KIT_MS(100));
	/* "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>" with the same ISS, MSS */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.seg.win, KIT_RCV_WND);
	assert_int_equal(o.seg.opt.mss, KIT_MSS);
	assert_int_equal(o.conn, id);
	kit_expect_nothing(r);
	return id;
}

static void test_SO01_synsent_syn_sends_synack_same_iss(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = cross_syns(r);

	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.iss, KIT_ISS);
	assert_int_equal(ci.irs, KIT_IRS);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 1);
	assert_int_equal(ci.snd_una, KIT_ISS);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	assert_int_equal(ci.snd_wnd, 17000);
	assert_int_equal(ci.peer_mss, 1200);
	assert_false(ci.passive);
}

/* ... then an ACK of ISS+1 completes it, nothing sent. */
static void test_SO01_synrcvd_ack_establishes(void **state)
{
	struct toe_ref *r = *state;
	int id = cross_syns(r);

	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(150));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	toe_ref_advance(r, KIT_S(300));
	kit_expect_nothing(r);
}

/* ... or the peer's own SYN-ACK <SEQ=IRS><ACK=ISS+1> (Figure 7 line 6):
 * its SYN is trimmed as an old duplicate, the ACK completes it. */
static void test_SO01_synrcvd_peer_synack_establishes(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = cross_syns(r);

	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1, KIT_MS(150));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.snd_una, KIT_ISS + 1);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 1);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

/* A SYN-ACK that does not ack ISS+1 is not that: challenge ACK. */
static void test_SO01_synrcvd_other_synack_gets_challenge_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = cross_syns(r);

	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS, KIT_MS(150));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* the plain retransmitted SYN, too */
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_MS(160));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
}

/* The SYN-ACK is retransmitted on its own timer (restarted when the
 * SYN-ACK was first sent at 100 ms) with the same ISS. */
static void test_SO01_synrcvd_synack_retransmitted(void **state)
{
	struct toe_ref *r = *state;
	int id = cross_syns(r);

	assert_int_equal(toe_ref_next_timer(r), KIT_MS(1100));
	toe_ref_advance(r, KIT_MS(1100));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(3100));
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* gives up after synack_giveup (60 s): deadlines 1.1, 3.1, 7.1, 15.1,
	 * 31.1, 63.1 s -> at 63.1 s */
	toe_ref_advance(r, KIT_S(100));
	for (int i = 0; i < 4; i++)
		kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	assert_int_equal(ev.time, KIT_MS(63100));
	kit_expect_nothing(r);
}

static void test_SO02_synrcvd_active_rst_refused(void **state)
{
	struct toe_ref *r = *state;
	int id = cross_syns(r);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(200));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_REFUSED, id);
	assert_int_equal(ev.time, KIT_MS(200));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_conn_count(r), 0);
	/* CLOSED, not LISTEN: a later ACK meets no TCB */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(300));
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 1, 0);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(100));
	kit_expect_nothing(r);
}

/* The same through a fixture (passive = false), with RST,ACK; and a RST
 * that is in the window but not exact only gets a challenge ACK. */
static void test_SO02_synrcvd_fixture_active_rst_refused(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info info;

	kit_info(TOE_ST_SYN_RECEIVED, &info);
	info.passive = false;
	int id = kit_fixture(r, &info, 0);
	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 2);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_REFUSED, id);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

/* The passive counterpart gives no event (HS-08), for contrast. */
static void test_SO02_synrcvd_passive_rst_no_event(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, 1);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

#define T(f) cmocka_unit_test_setup_teardown(f, kit_setup, kit_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_SO01_synsent_syn_sends_synack_same_iss),
		T(test_SO01_synrcvd_ack_establishes),
		T(test_SO01_synrcvd_peer_synack_establishes),
		T(test_SO01_synrcvd_other_synack_gets_challenge_ack),
		T(test_SO01_synrcvd_synack_retransmitted),
		T(test_SO02_synrcvd_active_rst_refused),
		T(test_SO02_synrcvd_fixture_active_rst_refused),
		T(test_SO02_synrcvd_passive_rst_no_event),
	};

	return cmocka_run_group_tests_name("ref_so", tests, NULL, NULL);
}
