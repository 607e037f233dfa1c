/* SPDX-License-Identifier: MIT */
/*
 * test_ref_ra.c - reference stack, RST acceptance (RA-01..RA-04): RFC 5961
 * section 3.2 as RFC 9293 3.10.7.4 adopts it. A RST whose SEQ is exactly
 * RCV.NXT resets the connection; one elsewhere in the window draws a
 * challenge ACK; one outside the window is dropped silently. Checked in
 * ESTABLISHED (RA-01..03) and in every other synchronized state (RA-04).
 */
#include "refkit.h"

#include <string.h>

static void get_stats(const struct toe_ref *r, struct toe_ref_stats *st)
{
	toe_ref_stats(r, st);
}

/* A connection is in `state` and its sequence variables did not move. */
static void expect_unchanged(struct toe_ref *r, int c,
			     const struct toe_ref_conn_info *in)
{
	struct toe_ref_conn_info now;

	kit_expect_state(r, c, in->state);
	assert_int_equal(toe_ref_conn_info(r, c, &now), TOE_REF_OK);
	assert_int_equal(now.snd_una, in->snd_una);
	assert_int_equal(now.snd_nxt, in->snd_nxt);
	assert_int_equal(now.rcv_nxt, in->rcv_nxt);
}

/* ---- RA-01: RST with SEQ = RCV.NXT resets ------------------------------ */

/* RFC 9293 3.10.7.4 (RFC 5961 3.2): "If the RST bit is set and the
 * sequence number exactly matches the next expected sequence number
 * (RCV.NXT), then TCP endpoints MUST reset the connection in the manner
 * prescribed below according to the connection state." ESTABLISHED:
 * "any outstanding RECEIVEs and SEND should receive "reset" responses ...
 * Enter the CLOSED state, delete the TCB, and return." */
static void test_RA01_established_rst_exact_seq_reset_econnreset(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(7));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RESET, c);
	assert_int_equal(ev.time, KIT_MS(7));
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	assert_int_equal(toe_ref_conn_count(r), 0);

	/* the tuple now has no TCB: the peer's next ACK gets RG-01's RST */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(8));
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 1, 0);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

static void test_RA01_established_rst_ack_exact_seq_reset_econnreset(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* SHLD-2: "A TCP implementation SHOULD allow a received RST segment to
 * include data" - the reset happens, the data is not delivered. */
static void test_RA01_established_rst_with_payload_exact_seq_reset_no_data(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 40,
		    KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c); /* and no RX_DATA before it */
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* The RST check (second) precedes the ACK check (fifth): an exact RST with
 * an ACK beyond SND.NXT still resets. */
static void test_RA01_established_rst_bad_ack_exact_seq_reset(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 5000, KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* With a zero receive window, SEG.SEQ = RCV.NXT is still acceptable for a
 * zero-length segment (3.10.7.4 table), so the exact RST resets. */
static void test_RA01_zero_window_rst_exact_seq_reset(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;

	kit_cfg(&cfg);
	cfg.rcv_wnd = 0;
	struct toe_ref *r = kit_new(&cfg);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* Two connections: a RST for one does not touch the other. */
static void test_RA01_established_rst_exact_other_conn_untouched(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int a = kit_fixture(r, &in, 0);
	in.remote_port = KIT_RPORT + 1;
	int b = kit_fixture(r, &in, 0);
	assert_int_not_equal(a, b);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, a);
	kit_expect_nothing(r);
	kit_expect_gone(r, a);
	kit_expect_state(r, b, TOE_ST_ESTABLISHED);
	assert_int_equal(toe_ref_conn_count(r), 1);
	toe_ref_free(r);
}

/* ---- RA-02: RST inside the window, not exact -> challenge ACK ---------- */

/* "If the RST bit is set and the sequence number does not exactly match
 * the next expected sequence value, yet is within the current receive
 * window, TCP endpoints MUST send an acknowledgment (challenge ACK):
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" - then the real peer answers with
 * the exact RST, which resets. */
static void test_RA02_established_rst_seq_plus_1_challenge_ack(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_MS(4));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_int_equal(o.conn, c);
	assert_int_equal(o.time, KIT_MS(4));
	assert_int_equal(o.seg.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 1);
	assert_int_equal(st.challenge_acks_suppressed, 0);
	assert_int_equal(st.rst_out, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(5));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* The last sequence number in the window: RCV.NXT + RCV.WND - 1. */
static void test_RA02_established_rst_last_in_window_challenge_ack(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1 + KIT_RCV_WND - 1,
	       KIT_ISS + 1, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* Mid-window RST with payload: challenge ACK, payload not delivered. */
static void test_RA02_established_rst_payload_mid_window_challenge_ack_no_data(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1 + 100, KIT_ISS + 1,
		    30, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* ---- RA-03: RST outside the window -> dropped silently ----------------- */

/* "If the RST bit is set and the sequence number is outside the current
 * receive window, silently drop the segment." */
static void ra03_one(uint32_t seq, uint8_t flags)
{
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	print_message("RST seq %u (RCV.NXT %u)\n", seq, KIT_IRS + 1);
	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, flags, seq, KIT_ISS + 1, KIT_MS(1));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 0);
	assert_int_equal(st.challenge_acks_suppressed, 0);
	assert_int_equal(st.dropped, 1);
	toe_ref_free(r);
}

static void test_RA03_established_rst_seq_minus_1_dropped(void **state)
{
	(void)state;
	ra03_one(KIT_IRS, TOE_TCP_RST);
	ra03_one(KIT_IRS, TOE_TCP_RST | TOE_TCP_ACK);
}

static void test_RA03_established_rst_seq_rcv_nxt_plus_wnd_dropped(void **state)
{
	(void)state;
	ra03_one(KIT_IRS + 1 + KIT_RCV_WND, TOE_TCP_RST);
	ra03_one(KIT_IRS + 1 + KIT_RCV_WND, TOE_TCP_RST | TOE_TCP_ACK);
}

static void test_RA03_established_rst_far_out_of_window_dropped(void **state)
{
	(void)state;
	ra03_one(KIT_IRS + 1 + 0x80000000u, TOE_TCP_RST);
	ra03_one(KIT_IRS + 1 - 0x40000000u, TOE_TCP_RST);
	ra03_one(KIT_IRS + 1 + 0x40000000u, TOE_TCP_RST | TOE_TCP_ACK);
}

/* RCV.WND = 0: only SEG.SEQ = RCV.NXT is acceptable; RCV.NXT + 1 is
 * outside the (empty) window, so no challenge ACK either. */
static void test_RA03_zero_window_rst_seq_plus_1_dropped(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;
	struct toe_ref_conn_info in;

	kit_cfg(&cfg);
	cfg.rcv_wnd = 0;
	struct toe_ref *r = kit_new(&cfg);
	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_MS(1));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* ---- RA-04: the same three cases in the other synchronized states ----- */

/*
 * One state: (1) exact RST -> the connection is deleted, nothing sent, and
 * `exact_event` (0 = no event); (2) RST at RCV.NXT+1 and at
 * RCV.NXT+RCV.WND-1 -> challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>, state
 * unchanged; (3) RST at RCV.NXT-1 and at RCV.NXT+RCV.WND -> nothing.
 * Every case in a fresh stack; the fixture is made at 0 and the RSTs come
 * at 10 ms, well before any retransmission timer.
 */
static struct toe_ref *ra04_setup(int st, bool passive, bool listen,
				  struct toe_ref_conn_info *in, int *c)
{
	struct toe_ref *r = listen ? kit_new_listen() : kit_new(NULL);

	kit_info(st, in);
	in->passive = passive;
	*c = kit_fixture(r, in, 0);
	kit_expect_nothing(r);
	return r;
}

static void ra04_run(int st, bool passive, int exact_event)
{
	struct toe_ref_conn_info in;
	struct toe_ref *r;
	int c;

	print_message("state %s (%s)\n", toe_tcp_state_name(st),
		      passive ? "passive" : "active");

	/* (1) exact */
	r = ra04_setup(st, passive, true, &in, &c);
	kit_in(r, TOE_TCP_RST, in.rcv_nxt, 0, KIT_MS(10));
	kit_expect_no_seg(r);
	if (exact_event) {
		struct toe_ref_event ev = kit_expect_event(r, exact_event, c);

		assert_int_equal(ev.time, KIT_MS(10));
	}
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	assert_int_equal(toe_ref_conn_count(r), 0);
	/* nothing of it is left: no retransmission, no timeout later */
	toe_ref_advance(r, KIT_S(300));
	kit_expect_nothing(r);
	toe_ref_free(r);

	/* (2) in window, not exact */
	const uint32_t inwin[2] = { in.rcv_nxt + 1, in.rcv_nxt + KIT_RCV_WND - 1 };
	for (int i = 0; i < 2; i++) {
		r = ra04_setup(st, passive, true, &in, &c);
		kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, inwin[i], in.snd_nxt,
		       KIT_MS(10));
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt,
						      in.rcv_nxt);
		assert_int_equal(o.conn, c);
		kit_expect_nothing(r);
		expect_unchanged(r, c, &in);
		toe_ref_free(r);
	}

	/* (3) outside the window */
	const uint32_t outwin[2] = { in.rcv_nxt - 1, in.rcv_nxt + KIT_RCV_WND };
	for (int i = 0; i < 2; i++) {
		r = ra04_setup(st, passive, true, &in, &c);
		kit_in(r, TOE_TCP_RST, outwin[i], 0, KIT_MS(10));
		kit_expect_nothing(r);
		expect_unchanged(r, c, &in);
		toe_ref_free(r);
	}
}

/* 3.10.7.4 SYN-RECEIVED: "If this connection was initiated with a passive
 * OPEN (i.e., came from the LISTEN state), then return this connection to
 * LISTEN state and return. The user need not be informed." The listener
 * then takes a new SYN from the same tuple (HS-08). */
static void test_RA04_syn_received_passive_rst_cases_exact_back_to_listen(void **state)
{
	(void)state;
	ra04_run(TOE_ST_SYN_RECEIVED, true, 0);

	struct toe_ref_conn_info in;
	int c;
	struct toe_ref *r = ra04_setup(TOE_ST_SYN_RECEIVED, true, true, &in, &c);

	kit_in(r, TOE_TCP_RST, in.rcv_nxt, 0, KIT_MS(10));
	kit_expect_nothing(r);
	toe_ref_pin_isn(r, 0x44444000u);
	kit_in(r, TOE_TCP_SYN, 0x55555000u, 0, KIT_MS(20));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, 0x44444000u, 0x55555001u);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 1);
	toe_ref_free(r);
}

/* "If this connection was initiated with an active OPEN (i.e., came from
 * SYN-SENT state), then the connection was refused; signal the user
 * "connection refused"." */
static void test_RA04_syn_received_active_rst_cases_exact_refused(void **state)
{
	(void)state;
	ra04_run(TOE_ST_SYN_RECEIVED, false, TOE_EV_REFUSED);
}

/* "ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT STATES: If the RST bit
 * is set, then any outstanding RECEIVEs and SEND should receive "reset"
 * responses ... Enter the CLOSED state, delete the TCB, and return." */
static void test_RA04_fin_wait_1_rst_cases_exact_reset(void **state)
{
	(void)state;
	ra04_run(TOE_ST_FIN_WAIT_1, true, TOE_EV_RESET);
}

static void test_RA04_fin_wait_2_rst_cases_exact_reset(void **state)
{
	(void)state;
	ra04_run(TOE_ST_FIN_WAIT_2, true, TOE_EV_RESET);
}

static void test_RA04_close_wait_rst_cases_exact_reset(void **state)
{
	(void)state;
	ra04_run(TOE_ST_CLOSE_WAIT, true, TOE_EV_RESET);
}

/* "CLOSING, LAST-ACK, TIME-WAIT STATES: If the RST bit is set, then enter
 * the CLOSED state, delete the TCB, and return." The spec reports it as
 * CLOSED (the user already closed). */
static void test_RA04_closing_rst_cases_exact_closed(void **state)
{
	(void)state;
	ra04_run(TOE_ST_CLOSING, true, TOE_EV_CLOSED);
}

static void test_RA04_last_ack_rst_cases_exact_closed(void **state)
{
	(void)state;
	ra04_run(TOE_ST_LAST_ACK, true, TOE_EV_CLOSED);
}

/* ESTABLISHED through the same table, for symmetry with the others. */
static void test_RA04_established_rst_cases_exact_reset(void **state)
{
	(void)state;
	ra04_run(TOE_ST_ESTABLISHED, true, TOE_EV_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_RA01_established_rst_exact_seq_reset_econnreset),
		cmocka_unit_test(test_RA01_established_rst_ack_exact_seq_reset_econnreset),
		cmocka_unit_test(test_RA01_established_rst_with_payload_exact_seq_reset_no_data),
		cmocka_unit_test(test_RA01_established_rst_bad_ack_exact_seq_reset),
		cmocka_unit_test(test_RA01_zero_window_rst_exact_seq_reset),
		cmocka_unit_test(test_RA01_established_rst_exact_other_conn_untouched),
		cmocka_unit_test(test_RA02_established_rst_seq_plus_1_challenge_ack),
		cmocka_unit_test(test_RA02_established_rst_last_in_window_challenge_ack),
		cmocka_unit_test(test_RA02_established_rst_payload_mid_window_challenge_ack_no_data),
		cmocka_unit_test(test_RA03_established_rst_seq_minus_1_dropped),
		cmocka_unit_test(test_RA03_established_rst_seq_rcv_nxt_plus_wnd_dropped),
		cmocka_unit_test(test_RA03_established_rst_far_out_of_window_dropped),
		cmocka_unit_test(test_RA03_zero_window_rst_seq_plus_1_dropped),
		cmocka_unit_test(test_RA04_syn_received_passive_rst_cases_exact_back_to_listen),
		cmocka_unit_test(test_RA04_syn_received_active_rst_cases_exact_refused),
		cmocka_unit_test(test_RA04_fin_wait_1_rst_cases_exact_reset),
		cmocka_unit_test(test_RA04_fin_wait_2_rst_cases_exact_reset),
		cmocka_unit_test(test_RA04_close_wait_rst_cases_exact_reset),
		cmocka_unit_test(test_RA04_closing_rst_cases_exact_closed),
		cmocka_unit_test(test_RA04_last_ack_rst_cases_exact_closed),
		cmocka_unit_test(test_RA04_established_rst_cases_exact_reset),
	};

	return cmocka_run_group_tests_name("ref_ra", tests, NULL, NULL);
}
