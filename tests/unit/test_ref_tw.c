/* SPDX-License-Identifier: MIT */
/*
 * test_ref_tw.c - reference stack, TIME-WAIT (TW-01..TW-04): 2MSL linger
 * (MUST-13, kit MSL 1 s so 2 s), retransmitted FIN restarts it, RST ignored
 * (RFC 1337 choice), SYN reopens beyond RCV.NXT on a listening port (MAY-2)
 * or gets a challenge ACK (RFC 5961).
 * Fixture: TIME-WAIT has SND.NXT = ISS+2, RCV.NXT = IRS+2 (refkit.h).
 */
#include "refkit.h"

#include <sodium.h>

/* ---- TW-01 ---------------------------------------------------------- */

/* Active closer: FIN-WAIT-2 + FIN -> TIME-WAIT for exactly 2 MSL, then
 * CLOSED; a later segment for the tuple gets the no-TCB RST. */
static void test_TW01_timewait_2msl_then_closed_then_rst(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_2, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(300));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	/* the TCB holds its table entry meanwhile */
	assert_int_equal(toe_ref_conn_count(r), 1);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(300) + KIT_S(2));
	toe_ref_advance(r, KIT_MS(2300) - 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	toe_ref_advance(r, KIT_MS(2300));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_CLOSED, id);
	assert_int_equal(ev.time, KIT_MS(2300));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_conn_count(r), 0);
	/* later segments: RST per 3.10.7.1 (no listener in this test) */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_S(3));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	assert_int_equal(o.conn, -1);
	kit_in(r, TOE_TCP_FIN, KIT_IRS + 1, 0, KIT_S(3));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_IRS + 2);
	kit_expect_nothing(r);
}

/* The MSL is configuration: 2 x 30 s with msl = 30 s. */
static void test_TW01_timewait_lasts_configured_2msl(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.msl = KIT_S(30);
	struct toe_ref *r = kit_renew(state, &c);
	int id = kit_conn(r, TOE_ST_TIME_WAIT, KIT_S(1));

	assert_int_equal(toe_ref_next_timer(r), KIT_S(61));
	toe_ref_advance(r, KIT_S(61) - 1);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(61));
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

/* Passive closer: CLOSE-WAIT -> LAST-ACK -> CLOSED, never TIME-WAIT. */
static void test_TW01_passive_closer_never_in_timewait(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
	assert_int_equal(toe_ref_close(r, id, 2), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_state(r, id, TOE_ST_LAST_ACK);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, 3);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

/* ---- TW-02 ---------------------------------------------------------- */

static void test_TW02_timewait_retransmitted_fin_reacked_restarts(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	assert_int_equal(toe_ref_next_timer(r), KIT_S(2));
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(1500));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2,
					      KIT_IRS + 2);
	assert_int_equal(o.time, KIT_MS(1500));
	kit_expect_nothing(r); /* no second PEER_FIN */
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	/* 2MSL restarted from 1.5 s */
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(3500));
	toe_ref_advance(r, KIT_MS(3500) - 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	toe_ref_advance(r, KIT_MS(3500));
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_nothing(r);
}

/* A retransmitted data+FIN is the same; other unacceptable segments are
 * ACKed without a restart; acceptable ones are ignored. */
static void test_TW02_timewait_other_segments(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS - 9, KIT_ISS + 2, 10,
		    KIT_MS(100));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(2100));
	/* old data without FIN: ACK, no restart */
	kit_in_data(r, TOE_TCP_ACK, KIT_IRS - 9, KIT_ISS + 2, 10, KIT_MS(200));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(2100));
	/* an in-window pure ACK: ignored */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_MS(300));
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(2100));
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* ---- TW-03 ---------------------------------------------------------- */

/* Choice: RFC 1337 - RST in TIME-WAIT is ignored, whatever its SEQ. */
static void test_TW03_timewait_rst_ignored(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_MS(10));
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_MS(20));
	kit_in(r, TOE_TCP_RST, KIT_IRS + 100, 0, KIT_MS(30));
	kit_in(r, TOE_TCP_RST, KIT_IRS - 100, 0, KIT_MS(40));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	/* the 2MSL timer is untouched */
	assert_int_equal(toe_ref_next_timer(r), KIT_S(2));
	toe_ref_advance(r, KIT_S(2));
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_nothing(r);
}

/* ---- TW-04 ---------------------------------------------------------- */

/* SYN with SEQ > RCV.NXT on a listening port: TIME-WAIT ends (CLOSED for
 * the old id), new passive open with ISS >= old SND.NXT + 2^16. */
static void test_TW04_timewait_new_syn_reopens_with_isn_floor(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	/* a low pinned ISN is raised to the floor */
	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 5000, 0, KIT_MS(500));
	kit_expect_event(r, TOE_EV_CLOSED, id);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS + 2 + 0x10000,
					      KIT_IRS + 5001);
	assert_int_equal(o.time, KIT_MS(500));
	kit_expect_nothing(r);
	int nid = toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT);
	assert_true(nid >= 0);
	kit_expect_state(r, nid, TOE_ST_SYN_RECEIVED);
	assert_int_equal(toe_ref_conn_info(r, nid, &ci), TOE_REF_OK);
	assert_int_equal(ci.iss, KIT_ISS + 2 + 0x10000);
	assert_int_equal(ci.irs, KIT_IRS + 5000);
	assert_true(ci.passive);
	/* the handshake completes as usual */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 5001, KIT_ISS + 3 + 0x10000, KIT_MS(600));
	kit_expect_event(r, TOE_EV_ESTABLISHED, nid);
	kit_expect_nothing(r);
}

/* An ISN already above the floor is kept. */
static void test_TW04_timewait_new_syn_high_isn_kept(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	toe_ref_pin_isn(r, KIT_ISS + 0x01000000);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 3, 0, 1);
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS + 0x01000000,
		       KIT_IRS + 4);
	kit_expect_nothing(r);
}

/* Unpinned: the RFC 6528 ISN at that time, if above the floor. */
static void test_TW04_timewait_new_syn_rfc6528_isn(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info info;
	uint8_t key[16], h[8];
	uint8_t msg[12] = { 0xc0, 0xa8, 0x00, 0x01, 0x00, 80, 0xc0, 0x00,
			    0x02, 0x01, 0x9c, 0x40 };

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	assert_int_equal(crypto_shorthash_siphash24(h, msg, 12, key), 0);
	uint32_t f = (uint32_t)h[0] | (uint32_t)h[1] << 8 |
		     (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
	/* old incarnation far below the new ISN */
	kit_info(TOE_ST_TIME_WAIT, &info);
	info.iss = f - 0x10000000;
	info.snd_una = info.snd_nxt = f - 0x10000000 + 2;
	int id = kit_fixture(r, &info, 0);
	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 3, 0, 4000);
	kit_expect_event(r, TOE_EV_CLOSED, id);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, f + 1000, KIT_IRS + 4);
	kit_expect_nothing(r);
}

/* SYN at or below RCV.NXT, or without a listener, or with ACK:
 * challenge ACK, TIME-WAIT kept (timer untouched). */
static void test_TW04_timewait_old_syn_challenge_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	/* no listener yet: even a SYN beyond RCV.NXT */
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 5000, 0, KIT_MS(10));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	/* SEQ = RCV.NXT is not beyond it */
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 2, 0, KIT_MS(20));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	/* the old SYN */
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_MS(30));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	/* a SYN,ACK */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS + 5000, KIT_ISS + 2, KIT_MS(40));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	assert_int_equal(toe_ref_next_timer(r), KIT_S(2));
}

/* Those challenge ACKs are rate-limited (5 per second in kit_cfg). */
static void test_TW04_timewait_challenge_acks_rate_limited(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	for (int i = 0; i < 7; i++)
		kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_MS(100) + (uint64_t)i);
	for (int i = 0; i < 5; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	toe_ref_stats(r, &st);
	assert_int_equal(st.challenge_acks, 5);
	assert_int_equal(st.challenge_acks_suppressed, 2);
	/* a new window (>= 1 s after the window start at creation, t=0) */
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* Abort in TIME-WAIT: deleted, nothing sent, no event (RG-04 side). */
static void test_TW_timewait_abort_silent(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_TIME_WAIT, 0);

	assert_int_equal(toe_ref_abort(r, id, 1), TOE_REF_OK);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

#define T(f) cmocka_unit_test_setup_teardown(f, kit_setup, kit_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_TW01_timewait_2msl_then_closed_then_rst),
		T(test_TW01_timewait_lasts_configured_2msl),
		T(test_TW01_passive_closer_never_in_timewait),
		T(test_TW02_timewait_retransmitted_fin_reacked_restarts),
		T(test_TW02_timewait_other_segments),
		T(test_TW03_timewait_rst_ignored),
		T(test_TW04_timewait_new_syn_reopens_with_isn_floor),
		T(test_TW04_timewait_new_syn_high_isn_kept),
		T(test_TW04_timewait_new_syn_rfc6528_isn),
		T(test_TW04_timewait_old_syn_challenge_ack),
		T(test_TW04_timewait_challenge_acks_rate_limited),
		T(test_TW_timewait_abort_silent),
	};

	return cmocka_run_group_tests_name("ref_tw", tests, NULL, NULL);
}
