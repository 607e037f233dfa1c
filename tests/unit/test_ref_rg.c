/* SPDX-License-Identifier: MIT */
/*
 * test_ref_rg.c - reference stack, RST generation (RG-01..RG-04 of the
 * behaviour list): the reply to a segment for no connection (RFC 9293
 * 3.10.7.1), never a RST for a RST, and abort (3.10.5) in every state.
 * Expected values come from RFC 9293 and the stack specification, never
 * from the stack's own output.
 */
#include "refkit.h"

#include <string.h>

/* A second peer port: a tuple with no connection next to a real one. */
#define OTHER_RPORT (KIT_RPORT + 1)

static uint64_t stat_dropped(const struct toe_ref *r)
{
	struct toe_ref_stats st;

	toe_ref_stats(r, &st);
	return st.dropped;
}

static uint64_t stat_rst_out(const struct toe_ref *r)
{
	struct toe_ref_stats st;

	toe_ref_stats(r, &st);
	return st.rst_out;
}

/* A segment we sent went back to the kit peer on the kit tuple. */
static void expect_to_peer(const struct toe_ref_out *o, uint16_t peer_port)
{
	assert_int_equal(o->seg.src_ip, KIT_LOCAL_IP);
	assert_int_equal(o->seg.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(o->seg.src_port, KIT_LPORT);
	assert_int_equal(o->seg.dst_port, peer_port);
}

static void input_data(struct toe_ref *r, uint8_t flags, uint32_t seq,
		       uint32_t ack, uint16_t len, uint16_t dport, uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	s.dst_port = dport;
	s.data = kit_payload();
	s.len = len;
	toe_ref_input(r, &s, now);
}

/* ---- RG-01: no TCB, ACK set -> <SEQ=SEG.ACK><CTL=RST> ------------------ */

/* RFC 9293 3.10.7.1: "If the incoming segment has the ACK bit set, the
 * reset takes its sequence number from the ACK field of the segment". */
static void test_RG01_no_tcb_ack_gets_rst_seq_ack(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, TOE_TCP_ACK, 1000, 0x50005000u, KIT_MS(3));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, 0x50005000u, 0);
	expect_to_peer(&o, KIT_RPORT);
	assert_int_equal(o.conn, -1);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
	assert_int_equal(o.time, KIT_MS(3));
	assert_int_equal(o.seg.win, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(stat_rst_out(r), 1);
	toe_ref_free(r);
}

/* The payload length and FIN do not matter when ACK is set. */
static void test_RG01_no_tcb_fin_ack_data_gets_rst_seq_ack(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in_data(r, TOE_TCP_FIN | TOE_TCP_PSH | TOE_TCP_ACK, 7000, 0xFFFFFFF0u,
		    100, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, 0xFFFFFFF0u, 0);
	expect_to_peer(&o, KIT_RPORT);
	assert_int_equal(o.conn, -1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

/* A SYN-ACK to a port nobody listens on is answered from its ACK field. */
static void test_RG01_no_tcb_syn_ack_gets_rst_seq_ack(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, 123456, 654321, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST, 654321, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

/* A tuple next to a live connection has no TCB: it gets the RST, the live
 * connection is untouched, and each RST takes the next IP ID. */
static void test_RG01_other_tuple_ack_gets_rst_conn_untouched(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_ref_conn_info before, after;

	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_info(r, c, &before), TOE_REF_OK);

	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1);
	s.src_port = OTHER_RPORT;
	toe_ref_input(r, &s, KIT_MS(1));
	s.ack = KIT_ISS + 77;
	toe_ref_input(r, &s, KIT_MS(2));

	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 1, 0);
	expect_to_peer(&o, OTHER_RPORT);
	assert_int_equal(o.conn, -1);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
	o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 77, 0);
	expect_to_peer(&o, OTHER_RPORT);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT + 1);
	kit_expect_nothing(r);

	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
	assert_int_equal(toe_ref_conn_info(r, c, &after), TOE_REF_OK);
	assert_int_equal(after.snd_una, before.snd_una);
	assert_int_equal(after.snd_nxt, before.snd_nxt);
	assert_int_equal(after.rcv_nxt, before.rcv_nxt);
	assert_int_equal(toe_ref_conn_count(r), 1);
	toe_ref_free(r);
}

/* An ACK on a port with no listener and no TCB, while another port listens. */
static void test_RG01_unlistened_port_ack_gets_rst_seq_ack(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();
	struct toe_seg s = kit_seg(TOE_TCP_ACK, 99, 4242);

	s.dst_port = KIT_LPORT + 1;
	toe_ref_input(r, &s, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, 4242, 0);
	assert_int_equal(o.seg.src_port, KIT_LPORT + 1);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* Spec: "Segments addressed to an IP other than cfg.local_ip are dropped
 * silently (counted)" - not ours, so no RST either. */
static void test_RG01_foreign_dst_ip_ack_dropped_silently(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	struct toe_seg s = kit_seg(TOE_TCP_ACK, 1000, 2000);

	s.dst_ip = KIT_LOCAL_IP + 1;
	toe_ref_input(r, &s, KIT_MS(1));
	kit_expect_nothing(r);
	assert_int_equal(stat_dropped(r), 1);
	assert_int_equal(stat_rst_out(r), 0);
	toe_ref_free(r);
}

/* ---- RG-02: no TCB, no ACK -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> -- */

/* RFC 9293 3.10.7.1: "otherwise, the reset has sequence number zero and
 * the ACK field is set to the sum of the sequence number and segment
 * length of the incoming segment". SYN counts in SEG.LEN (3.4). */
static void test_RG02_no_tcb_syn_gets_rst_ack_seq_plus_1(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, TOE_TCP_SYN, 1000, 0, KIT_MS(5));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 1001);
	expect_to_peer(&o, KIT_RPORT);
	assert_int_equal(o.conn, -1);
	assert_int_equal(o.seg.win, 0);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
	assert_int_equal(o.time, KIT_MS(5));
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

static void test_RG02_no_tcb_fin_gets_rst_ack_seq_plus_1(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, TOE_TCP_FIN, 0x80000000u, 0, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 0x80000001u);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* SYN + FIN + 5 payload bytes: SEG.LEN = 7. */
static void test_RG02_no_tcb_syn_fin_data_ack_counts_syn_fin_len(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in_data(r, TOE_TCP_SYN | TOE_TCP_FIN, 1000, 0, 5, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 1007);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

/* Payload with no control flag at all (PSH only). */
static void test_RG02_no_tcb_data_no_ack_gets_rst_ack_seq_plus_len(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in_data(r, TOE_TCP_PSH, 5000, 0, 10, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 5010);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* No flags, no payload: SEG.LEN = 0, so ACK = SEG.SEQ. */
static void test_RG02_no_tcb_bare_segment_gets_rst_ack_seq(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, 0, 3333, 0, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 3333);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* The sum is modulo 2^32. */
static void test_RG02_no_tcb_syn_fin_seq_wraps_ack_mod_2_32(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	kit_in(r, TOE_TCP_SYN | TOE_TCP_FIN, 0xFFFFFFFFu, 0, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 1);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* SYN to a port without a listener (another port listens): rejected by the
 * reset ("A SYN segment that does not match an existing connection is
 * rejected by this means"); the listener still accepts its own SYN. */
static void test_RG02_syn_to_unlistened_port_gets_rst_ack_listener_intact(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();
	struct toe_seg s = kit_seg(TOE_TCP_SYN, 9000, 0);

	s.dst_port = KIT_LPORT + 1;
	toe_ref_input(r, &s, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, 9001);
	assert_int_equal(o.seg.src_port, KIT_LPORT + 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, 9000, 0, KIT_MS(2));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, 9001);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 1);
	toe_ref_free(r);
}

/* ---- RG-03: never answer a RST with a RST ------------------------------ */

/* Every RST flavour to a closed port: "a reset is sent in response to any
 * incoming segment except another reset" (3.10.7.1). */
static void test_RG03_no_tcb_rst_variants_no_reply(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	static const uint8_t flags[] = {
		TOE_TCP_RST,
		TOE_TCP_RST | TOE_TCP_ACK,
		TOE_TCP_RST | TOE_TCP_SYN,
		TOE_TCP_RST | TOE_TCP_FIN,
		TOE_TCP_RST | TOE_TCP_SYN | TOE_TCP_ACK | TOE_TCP_FIN,
	};

	for (size_t i = 0; i < sizeof(flags); i++)
		kit_in(r, flags[i], 1000 + (uint32_t)i, 2000, KIT_MS(1 + i));
	input_data(r, TOE_TCP_RST | TOE_TCP_ACK, 1, 2, 20, KIT_LPORT, KIT_MS(9));
	kit_expect_nothing(r);
	assert_int_equal(stat_dropped(r), sizeof(flags) + 1);
	assert_int_equal(stat_rst_out(r), 0);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

/* LISTEN: "An incoming RST segment could not be valid ... An incoming RST
 * should be ignored" (3.10.7.2) - even with ACK or SYN set. The listener
 * still works afterwards. */
static void test_RG03_listen_rst_variants_no_reply(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();

	kit_in(r, TOE_TCP_RST, 1000, 0, KIT_MS(1));
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 1000, 2000, KIT_MS(2));
	kit_in(r, TOE_TCP_RST | TOE_TCP_SYN, 1000, 0, KIT_MS(3));
	kit_in_data(r, TOE_TCP_RST | TOE_TCP_ACK, 1000, 2000, 8, KIT_MS(4));
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(stat_rst_out(r), 0);

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, 5000, 0, KIT_MS(5));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, 5001);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* SYN-SENT: RST without ACK, or with an unacceptable ACK, is dropped and
 * never answered (3.10.7.3: "If the RST bit is set, discard the segment
 * and return"). */
static void test_RG03_syn_sent_rst_no_reply(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_SYN_SENT, 0);

	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_RST, 1000, 0, KIT_MS(1));
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 1000, KIT_ISS, KIT_MS(2));
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 1000, KIT_ISS + 2, KIT_MS(3));
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, 1000, KIT_ISS - 5000, KIT_MS(4));
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_SYN_SENT);
	assert_int_equal(stat_rst_out(r), 0);
	toe_ref_free(r);
}

/* Every synchronized state: a RST out of window, a RST in window (not
 * exact) with an ACK beyond SND.NXT, and an exact RST with a bad ACK. The
 * replies are: nothing / a challenge ACK (an ACK, not a RST; nothing in
 * TIME-WAIT, where a RST is ignored) / the reset itself. Never a RST. */
static void test_RG03_synchronized_states_rst_never_answered_with_rst(void **state)
{
	(void)state;
	static const int states[] = {
		TOE_ST_SYN_RECEIVED, TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
		TOE_ST_FIN_WAIT_2, TOE_ST_CLOSE_WAIT, TOE_ST_CLOSING,
		TOE_ST_LAST_ACK, TOE_ST_TIME_WAIT,
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int st = states[i];
		struct toe_ref_conn_info in;
		struct toe_ref *r = kit_new_listen();

		print_message("state %s\n", toe_tcp_state_name(st));
		kit_info(st, &in);
		int c = kit_fixture(r, &in, 0);
		kit_expect_nothing(r);

		/* out of window (RCV.NXT - 1), bad ACK: silently dropped */
		kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, in.rcv_nxt - 1,
		       in.snd_nxt + 100, KIT_MS(1));
		kit_expect_nothing(r);
		kit_expect_state(r, c, st);

		/* in window, not exact, bad ACK: challenge ACK (RA-02) */
		kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, in.rcv_nxt + 1,
		       in.snd_nxt + 100, KIT_MS(2));
		if (st != TOE_ST_TIME_WAIT)
			kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt, in.rcv_nxt);
		kit_expect_nothing(r);
		kit_expect_state(r, c, st);

		/* exact, bad ACK: the RST is processed first (3.10.7.4 second
		 * check) - the connection goes, no segment in reply */
		kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, in.rcv_nxt,
		       in.snd_nxt + 100, KIT_MS(3));
		kit_expect_no_seg(r);
		if (st == TOE_ST_TIME_WAIT) {
			kit_expect_no_event(r); /* TW-03: ignored */
			kit_expect_state(r, c, st);
		} else {
			int ev = 0;

			if (st == TOE_ST_CLOSING || st == TOE_ST_LAST_ACK)
				ev = TOE_EV_CLOSED;
			else if (st != TOE_ST_SYN_RECEIVED)
				ev = TOE_EV_RESET;
			if (ev)
				kit_expect_event(r, ev, c);
			kit_expect_nothing(r);
			kit_expect_gone(r, c);
		}
		assert_int_equal(stat_rst_out(r), 0);
		toe_ref_free(r);
	}
}

/* ---- RG-04: abort ---------------------------------------------------- */

/*
 * RFC 9293 3.10.5 ABORT: SYN-SENT - "All queued SENDs and RECEIVEs should
 * be given "connection reset" notification. Delete the TCB"; SYN-RECEIVED,
 * ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT - "Send a reset segment:
 * <SEQ=SND.NXT><CTL=RST>"; CLOSING, LAST-ACK, TIME-WAIT - "Respond with
 * "ok" and delete the TCB". No event for an abort the user asked for.
 * After the abort: nothing ever again (no retransmission, no timeout event,
 * no second RST), abort again -> ENOTCONN, and the peer's next segment is
 * answered as for no TCB.
 */
static void rg04_run(int st, bool rst_expected)
{
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	print_message("state %s\n", toe_tcp_state_name(st));
	kit_info(st, &in);
	int c = kit_fixture(r, &in, 0);
	kit_expect_nothing(r);

	assert_int_equal(toe_ref_abort(r, c, KIT_MS(10)), TOE_REF_OK);
	if (rst_expected) {
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, in.snd_nxt, 0);

		expect_to_peer(&o, KIT_RPORT);
		assert_int_equal(o.seg.win, 0);
		assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
		assert_int_equal(o.time, KIT_MS(10));
	}
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				      KIT_RPORT), -1);
	assert_int_equal(stat_rst_out(r), rst_expected ? 1 : 0);

	/* once: no second abort, no timers left */
	assert_int_equal(toe_ref_abort(r, c, KIT_MS(11)), TOE_REF_ENOTCONN);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	toe_ref_advance(r, KIT_S(400));
	kit_expect_nothing(r);

	/* the peer's next segment meets no TCB (RG-01) */
	kit_in(r, TOE_TCP_ACK, in.rcv_nxt, in.snd_nxt, KIT_S(401));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, in.snd_nxt, 0);
	assert_int_equal(o.conn, -1);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

static void test_RG04_syn_sent_abort_no_rst_deleted(void **state)
{
	(void)state;
	rg04_run(TOE_ST_SYN_SENT, false);
}

static void test_RG04_syn_received_abort_rst_snd_nxt_once(void **state)
{
	(void)state;
	rg04_run(TOE_ST_SYN_RECEIVED, true);
}

static void test_RG04_established_abort_rst_snd_nxt_once(void **state)
{
	(void)state;
	rg04_run(TOE_ST_ESTABLISHED, true);
}

static void test_RG04_fin_wait_1_abort_rst_snd_nxt_once(void **state)
{
	(void)state;
	rg04_run(TOE_ST_FIN_WAIT_1, true);
}

static void test_RG04_fin_wait_2_abort_rst_snd_nxt_once(void **state)
{
	(void)state;
	rg04_run(TOE_ST_FIN_WAIT_2, true);
}

static void test_RG04_close_wait_abort_rst_snd_nxt_once(void **state)
{
	(void)state;
	rg04_run(TOE_ST_CLOSE_WAIT, true);
}

static void test_RG04_closing_abort_no_rst_deleted(void **state)
{
	(void)state;
	rg04_run(TOE_ST_CLOSING, false);
}

static void test_RG04_last_ack_abort_no_rst_deleted(void **state)
{
	(void)state;
	rg04_run(TOE_ST_LAST_ACK, false);
}

static void test_RG04_time_wait_abort_no_rst_deleted(void **state)
{
	(void)state;
	rg04_run(TOE_ST_TIME_WAIT, false);
}

/* Abort of an id that was never used. */
static void test_RG04_free_id_abort_enotconn_nothing_sent(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);

	assert_int_equal(toe_ref_abort(r, 3, KIT_MS(1)), TOE_REF_ENOTCONN);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* A handshake-made connection (not a fixture): the RST carries the SND.NXT
 * the handshake produced (ISS+1), to the peer's address and port. */
static void test_RG04_handshake_established_abort_rst_iss_plus_1(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();

	toe_ref_pin_isn(r, 0x0BADF00Du);
	kit_in(r, TOE_TCP_SYN, 777, 0, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, 0x0BADF00Du, 778);
	kit_in(r, TOE_TCP_ACK, 778, 0x0BADF00Du + 1, KIT_MS(2));
	int c = toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT);
	assert_true(c >= 0);
	kit_expect_event(r, TOE_EV_ESTABLISHED, c);
	kit_expect_nothing(r);

	assert_int_equal(toe_ref_abort(r, c, KIT_MS(3)), TOE_REF_OK);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, 0x0BADF00Du + 1, 0);
	expect_to_peer(&o, KIT_RPORT);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT + 1);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_RG01_no_tcb_ack_gets_rst_seq_ack),
		cmocka_unit_test(test_RG01_no_tcb_fin_ack_data_gets_rst_seq_ack),
		cmocka_unit_test(test_RG01_no_tcb_syn_ack_gets_rst_seq_ack),
		cmocka_unit_test(test_RG01_other_tuple_ack_gets_rst_conn_untouched),
		cmocka_unit_test(test_RG01_unlistened_port_ack_gets_rst_seq_ack),
		cmocka_unit_test(test_RG01_foreign_dst_ip_ack_dropped_silently),
		cmocka_unit_test(test_RG02_no_tcb_syn_gets_rst_ack_seq_plus_1),
		cmocka_unit_test(test_RG02_no_tcb_fin_gets_rst_ack_seq_plus_1),
		cmocka_unit_test(test_RG02_no_tcb_syn_fin_data_ack_counts_syn_fin_len),
		cmocka_unit_test(test_RG02_no_tcb_data_no_ack_gets_rst_ack_seq_plus_len),
		cmocka_unit_test(test_RG02_no_tcb_bare_segment_gets_rst_ack_seq),
		cmocka_unit_test(test_RG02_no_tcb_syn_fin_seq_wraps_ack_mod_2_32),
		cmocka_unit_test(test_RG02_syn_to_unlistened_port_gets_rst_ack_listener_intact),
		cmocka_unit_test(test_RG03_no_tcb_rst_variants_no_reply),
		cmocka_unit_test(test_RG03_listen_rst_variants_no_reply),
		cmocka_unit_test(test_RG03_syn_sent_rst_no_reply),
		cmocka_unit_test(test_RG03_synchronized_states_rst_never_answered_with_rst),
		cmocka_unit_test(test_RG04_syn_sent_abort_no_rst_deleted),
		cmocka_unit_test(test_RG04_syn_received_abort_rst_snd_nxt_once),
		cmocka_unit_test(test_RG04_established_abort_rst_snd_nxt_once),
		cmocka_unit_test(test_RG04_fin_wait_1_abort_rst_snd_nxt_once),
		cmocka_unit_test(test_RG04_fin_wait_2_abort_rst_snd_nxt_once),
		cmocka_unit_test(test_RG04_close_wait_abort_rst_snd_nxt_once),
		cmocka_unit_test(test_RG04_closing_abort_no_rst_deleted),
		cmocka_unit_test(test_RG04_last_ack_abort_no_rst_deleted),
		cmocka_unit_test(test_RG04_time_wait_abort_no_rst_deleted),
		cmocka_unit_test(test_RG04_free_id_abort_enotconn_nothing_sent),
		cmocka_unit_test(test_RG04_handshake_established_abort_rst_iss_plus_1),
	};

	return cmocka_run_group_tests_name("ref_rg", tests, NULL, NULL);
}
