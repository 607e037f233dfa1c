/* SPDX-License-Identifier: MIT */
/*
 * test_ref_cl.c - reference stack, connection close (CL-01..CL-11):
 * close/shutdown calls (RFC 9293 3.10.4), FIN and ACK arrival in the
 * closing states (3.10.7.4 fifth and eighth steps), FIN retransmission,
 * data after close (SHLD-3) and the zero-window FIN allowance.
 * Fixture numbers: see kit_info() in refkit.h.
 */
#include "refkit.h"

/* ---- CL-01 ---------------------------------------------------------- */

static void test_CL01_established_close_sends_one_fin(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(toe_ref_close(r, id, KIT_MS(10)), TOE_REF_OK);
	/* "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>" */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK,
					      KIT_ISS + 1, KIT_IRS + 1);
	assert_int_equal(o.conn, id);
	assert_int_equal(o.time, KIT_MS(10));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_1);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	/* the FIN consumes one sequence number */
	assert_int_equal(ci.snd_nxt, KIT_ISS + 2);
	assert_int_equal(ci.snd_una, KIT_ISS + 1);
	assert_true(ci.closed_by_user);
	assert_true(ci.wr_shut);
	/* a second close / shutdown emits no second FIN */
	assert_int_equal(toe_ref_close(r, id, KIT_MS(20)), TOE_REF_OK);
	assert_int_equal(toe_ref_shutdown_wr(r, id, KIT_MS(30)), TOE_REF_OK);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 2);
	/* (only the retransmission of the same FIN, at 1 s after the first) */
	toe_ref_advance(r, KIT_MS(1010) - 1);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_MS(1010));
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	/* and after the ACK of the FIN, a close in FIN-WAIT-2 sends nothing */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_S(2));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_2);
	assert_int_equal(toe_ref_close(r, id, KIT_S(3)), TOE_REF_OK);
	kit_expect_nothing(r);
	/* close on a free id */
	assert_int_equal(toe_ref_close(r, 5, KIT_S(3)), TOE_REF_ENOTCONN);
	assert_int_equal(toe_ref_close(r, -1, KIT_S(3)), TOE_REF_ENOTCONN);
}

/* close in SYN-RECEIVED: FIN at once (3.10.4, documented choice). */
static void test_CL01_synrcvd_close_sends_fin(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	assert_int_equal(toe_ref_close(r, id, KIT_MS(500)), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_1);
	/* the timer restarts as the FIN timer */
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(1500));
	/* an ACK of SYN and FIN -> FIN-WAIT-2 (no ESTABLISHED event: the
	 * connection never was ESTABLISHED) */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(600));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_2);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

/* ---- CL-02 .. CL-04 ------------------------------------------------- */

static void test_CL02_finwait1_ack_then_fin_time_wait(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_1, 0);

	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(10));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_2);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX); /* FIN timer off */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(20));
	/* ACK of the FIN: RCV.NXT advanced over it */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2,
					      KIT_IRS + 2);
	assert_int_equal(o.time, KIT_MS(20));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	/* 2 MSL = 2 s from entry */
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(20) + KIT_S(2));
}

static void test_CL03_finwait1_fin_not_acking_ours_closing(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_1, 0);

	/* the peer's FIN acks ISS+1, not our FIN at ISS+1 (-> ISS+2) */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(10));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSING);
	/* our FIN is still being retransmitted (timer from t=0) */
	assert_int_equal(toe_ref_next_timer(r), KIT_S(1));
	/* the ACK of our FIN -> TIME-WAIT, nothing sent */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_MS(50));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(50) + KIT_S(2));
}

/* CLOSING: an ACK that does not ack our FIN is ignored. */
static void test_CL03_closing_old_ack_ignored(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_CLOSING, 0);

	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 1, KIT_MS(10));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSING);
	/* a retransmitted FIN of the peer (SEQ = RCV.NXT-1) is re-ACKed */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(20));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSING);
}

static void test_CL04_finwait1_fin_acking_ours_time_wait(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_1, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, KIT_MS(10));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	assert_int_equal(toe_ref_next_timer(r), KIT_MS(10) + KIT_S(2));
}

/* ---- CL-05 ---------------------------------------------------------- */

static void test_CL05_established_fin_acks_close_wait(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(10));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_no_seg(r);
	/* read() returns 0 */
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_PEER_FIN, id);
	assert_int_equal(ev.time, KIT_MS(10));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 2);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	/* the peer retransmits its FIN: ACK again, no second event */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(20));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

/* Data and FIN in one segment: data first, then the FIN. */
static void test_CL05_established_data_fin_delivers_then_close_wait(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1,
		    KIT_ISS + 1, 100, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 102);
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 100);
	assert_memory_equal(ev.data, kit_payload(), 100);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

/* A FIN beyond RCV.NXT (a gap before it) is not accepted: duplicate ACK. */
static void test_CL05_established_fin_after_gap_dup_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 11, KIT_ISS + 1, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	/* the gap filled with the FIN again: accepted */
	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 10, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 12);
	kit_expect_event(r, TOE_EV_RX_DATA, id);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

/* ---- CL-06 ---------------------------------------------------------- */

static void test_CL06_closewait_close_lastack_then_closed(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_CLOSE_WAIT, 0);

	assert_int_equal(toe_ref_close(r, id, KIT_MS(10)), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_LAST_ACK);
	/* an ACK that does not cover the FIN changes nothing */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 1, KIT_MS(15));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_LAST_ACK);
	/* the ACK of our FIN: delete, CLOSED, no TIME-WAIT */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_MS(20));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_CLOSED, id);
	assert_int_equal(ev.time, KIT_MS(20));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	/* next segment -> RST (no TCB; the port still listens) */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_MS(30));
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_FIN, KIT_IRS + 1, 0, KIT_MS(40));
	/* a FIN without ACK on a listening port is dropped (HS-05) */
	kit_expect_nothing(r);
}

/* ---- CL-07 ---------------------------------------------------------- */

/* FIN-WAIT-1: FIN resent at 1, 3, 7, 15, 31, 63 s; gives up at 123 s
 * (>= fin_giveup 100 s) with TIMEDOUT. */
static void test_CL07_finwait1_fin_retransmitted_then_timedout(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	static const unsigned at[] = { 1, 3, 7, 15, 31, 63 };
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(toe_ref_close(r, id, 0), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(toe_ref_next_timer(r), KIT_S(at[i]));
		toe_ref_advance(r, KIT_S(at[i]) - 1);
		kit_expect_nothing(r);
		toe_ref_advance(r, KIT_S(at[i]));
		/* "<SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=FIN,ACK>" */
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK,
						      KIT_ISS + 1, KIT_IRS + 1);
		assert_int_equal(o.time, KIT_S(at[i]));
		kit_expect_nothing(r);
		assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
		assert_int_equal(ci.retransmits, i + 1);
	}
	assert_int_equal(toe_ref_next_timer(r), KIT_S(123));
	toe_ref_advance(r, KIT_S(123) - 1);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(123));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	assert_true(ev.time >= KIT_S(100)); /* SHLD-11 */
	assert_int_equal(ev.time, KIT_S(123));
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

/* CLOSING and LAST-ACK retransmit the FIN too, with the current RCV.NXT. */
static void test_CL07_closing_and_lastack_fin_retransmitted(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info info;

	int a = kit_conn(r, TOE_ST_CLOSING, 0);
	kit_info(TOE_ST_LAST_ACK, &info);
	info.remote_port = KIT_RPORT + 1;
	int b = kit_fixture(r, &info, KIT_MS(1));
	toe_ref_advance(r, KIT_MS(1001));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK,
					      KIT_ISS + 1, KIT_IRS + 2);
	assert_int_equal(o.conn, a);
	assert_int_equal(o.time, KIT_S(1));
	o = kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	assert_int_equal(o.conn, b);
	assert_int_equal(o.seg.dst_port, KIT_RPORT + 1);
	assert_int_equal(o.time, KIT_MS(1001));
	kit_expect_nothing(r);
	/* LAST-ACK's FIN acked: CLOSED; CLOSING's: TIME-WAIT, no more FINs */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2, KIT_S(2));
	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 2);
	s.src_port = KIT_RPORT + 1;
	toe_ref_input(r, &s, KIT_S(2));
	kit_expect_event(r, TOE_EV_CLOSED, b);
	kit_expect_nothing(r);
	kit_expect_state(r, a, TOE_ST_TIME_WAIT);
	toe_ref_advance(r, KIT_S(4) - 1);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(4));
	kit_expect_event(r, TOE_EV_CLOSED, a);
	kit_expect_nothing(r);
}

/* LAST-ACK gives up after fin_giveup as well. */
static void test_CL07_lastack_fin_timedout(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_LAST_ACK, 0);

	toe_ref_advance(r, KIT_S(200));
	for (int i = 0; i < 6; i++)
		kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_TIMEDOUT, id);
	assert_int_equal(ev.time, KIT_S(123));
	kit_expect_nothing(r);
}

/* ---- CL-08 ---------------------------------------------------------- */

/* FIN-WAIT-2: a FIN carrying an older ACK (SEG.ACK < SND.UNA, a duplicate
 * within MAX.SND.WND) is still processed and ACKed. */
static void test_CL08_finwait2_fin_with_old_ack_acked(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_2, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(10));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* Out of order (FIN after a gap, old ACK): a duplicate ACK, FIN not taken;
 * once the gap is filled the FIN is accepted. */
static void test_CL08_finwait2_out_of_order_fin_dup_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_FIN_WAIT_2, 0);

	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 21, KIT_ISS + 1, 10, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_2);
	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 30, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 32);
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 30);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* ---- CL-09 ---------------------------------------------------------- */

static void test_CL09_established_shutdown_fin_rx_still_works(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(toe_ref_send(r, id, "x", 1), TOE_REF_ENOTSUP);
	assert_int_equal(toe_ref_shutdown_wr(r, id, KIT_MS(1)), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_1);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_true(ci.wr_shut);
	assert_false(ci.closed_by_user);
	/* write -> EPIPE */
	assert_int_equal(toe_ref_send(r, id, "x", 1), TOE_REF_EPIPE);
	/* data keeps arriving: delivered and ACKed (this one acks our FIN) */
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1, KIT_ISS + 2, 100,
		    KIT_MS(2));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 101);
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 100);
	assert_memory_equal(ev.data, kit_payload(), 100);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_2);
	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 101, KIT_ISS + 2, 50, KIT_MS(3));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 151);
	ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 50);
	assert_memory_equal(ev.data, kit_payload(), 50);
	kit_expect_nothing(r);
	/* the peer closes: TIME-WAIT */
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 151, KIT_ISS + 2, KIT_MS(4));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 152);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
	assert_int_equal(toe_ref_send(r, id, "x", 1), TOE_REF_EPIPE);
}

/* shutdown in CLOSE-WAIT: FIN, LAST-ACK; a later close adds nothing. */
static void test_CL09_closewait_shutdown_lastack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_CLOSE_WAIT, 0);

	assert_int_equal(toe_ref_shutdown_wr(r, id, 1), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_LAST_ACK);
	assert_int_equal(toe_ref_close(r, id, 2), TOE_REF_OK);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_send(r, id, "x", 1), TOE_REF_EPIPE);
	assert_int_equal(toe_ref_send(r, 9, "x", 1), TOE_REF_ENOTCONN);
}

/* ---- CL-10 ---------------------------------------------------------- */

/* Data arriving after close() -> <SEQ=SND.NXT><CTL=RST>, RESET. */
static void test_CL10_finwait1_data_after_close_sends_rst(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(toe_ref_close(r, id, KIT_MS(1)), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1, KIT_ISS + 1, 10,
		    KIT_MS(2));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	assert_int_equal(o.conn, id);
	assert_int_equal(o.seg.win, 0);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, id);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

/* The same in FIN-WAIT-2 after close(). */
static void test_CL10_finwait2_data_after_close_sends_rst(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info info;

	kit_info(TOE_ST_FIN_WAIT_2, &info);
	info.closed_by_user = true;
	int id = kit_fixture(r, &info, 0);
	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 1, 1);
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, id);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

/* Without data, close() is a plain FIN and a bare FIN from the peer after
 * close() is accepted normally (no RST). */
static void test_CL10_finwait1_fin_after_close_no_rst(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	assert_int_equal(toe_ref_close(r, id, 0), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* Old (already ACKed) data after close() is just re-ACKed: no new data. */
static void test_CL10_finwait1_old_data_after_close_acked(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 10, 0);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 11);
	kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(toe_ref_close(r, id, 1), TOE_REF_OK);
	kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 11);
	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 10, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 11);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_FIN_WAIT_1);
}

/* ---- CL-11 ---------------------------------------------------------- */

static void test_CL11_established_zero_window_fin_accepted(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.rcv_wnd = 0;
	struct toe_ref *r = kit_renew(state, &c);
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 1);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 2);
	assert_int_equal(o.seg.win, 0);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

/* With a zero window, data (with or without FIN) is not acceptable:
 * ACK <SND.NXT, RCV.NXT>, nothing delivered; a FIN not at RCV.NXT too. */
static void test_CL11_established_zero_window_data_not_accepted(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.rcv_wnd = 0;
	struct toe_ref *r = kit_renew(state, &c);
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 5, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 1, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	/* a valid bare ACK is still taken (no reply) */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 3);
	kit_expect_nothing(r);
}

/* FIN-WAIT-2 with a zero window: the FIN is accepted there as well. */
static void test_CL11_finwait2_zero_window_fin_accepted(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.rcv_wnd = 0;
	struct toe_ref *r = kit_renew(state, &c);
	int id = kit_conn(r, TOE_ST_FIN_WAIT_2, 0);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 2, KIT_IRS + 2);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_TIME_WAIT);
}

/* ---- extras: receive path around close ---------------------------- */

/* rx not ready: payload dropped without ACK; the FIN behind it too. */
static void test_CL_established_rx_not_ready_drops_without_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	toe_ref_set_rx_ready(r, false);
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS + 1, KIT_ISS + 1, 10, 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	toe_ref_set_rx_ready(r, true);
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS + 1, KIT_ISS + 1, 10, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 12);
	kit_expect_event(r, TOE_EV_RX_DATA, id);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
}

/* Payload larger than the window: only RCV.WND bytes delivered, no FIN. */
static void test_CL_established_data_beyond_window_trimmed(void **state)
{
	struct toe_ref_cfg c;

	kit_cfg(&c);
	c.rcv_wnd = 100;
	struct toe_ref *r = kit_renew(state, &c);
	int id = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS + 1, KIT_ISS + 1, 150, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 101);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 100);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	/* the retransmission straddling old and new: only the new part */
	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS + 1, KIT_ISS + 1, 150, 2);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 152);
	ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 50);
	assert_memory_equal(ev.data, kit_payload() + 100, 50);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

/* CLOSE-WAIT ignores payload (the peer's FIN is in). */
static void test_CL_closewait_payload_ignored(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_CLOSE_WAIT, 0);

	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 2, KIT_ISS + 1, 10, 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, kit_setup_listen, kit_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_CL01_established_close_sends_one_fin),
		T(test_CL01_synrcvd_close_sends_fin),
		T(test_CL02_finwait1_ack_then_fin_time_wait),
		T(test_CL03_finwait1_fin_not_acking_ours_closing),
		T(test_CL03_closing_old_ack_ignored),
		T(test_CL04_finwait1_fin_acking_ours_time_wait),
		T(test_CL05_established_fin_acks_close_wait),
		T(test_CL05_established_data_fin_delivers_then_close_wait),
		T(test_CL05_established_fin_after_gap_dup_ack),
		T(test_CL06_closewait_close_lastack_then_closed),
		T(test_CL07_finwait1_fin_retransmitted_then_timedout),
		T(test_CL07_closing_and_lastack_fin_retransmitted),
		T(test_CL07_lastack_fin_timedout),
		T(test_CL08_finwait2_fin_with_old_ack_acked),
		T(test_CL08_finwait2_out_of_order_fin_dup_ack),
		T(test_CL09_established_shutdown_fin_rx_still_works),
		T(test_CL09_closewait_shutdown_lastack),
		T(test_CL10_finwait1_data_after_close_sends_rst),
		T(test_CL10_finwait2_data_after_close_sends_rst),
		T(test_CL10_finwait1_fin_after_close_no_rst),
		T(test_CL10_finwait1_old_data_after_close_acked),
		T(test_CL11_established_zero_window_fin_accepted),
		T(test_CL11_established_zero_window_data_not_accepted),
		T(test_CL11_finwait2_zero_window_fin_accepted),
		T(test_CL_established_rx_not_ready_drops_without_ack),
		T(test_CL_established_data_beyond_window_trimmed),
		T(test_CL_closewait_payload_ignored),
	};

	return cmocka_run_group_tests_name("ref_cl", tests, NULL, NULL);
}
