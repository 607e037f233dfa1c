/* SPDX-License-Identifier: MIT */
/*
 * test_ref_ca.c - reference stack, challenge ACKs and segment acceptability
 * (CA-01..CA-06): SYN in a synchronized state (RFC 5961 4), ACKs of
 * unsent data and of very old data (RFC 9293 3.10.7.4 fifth check, RFC 5961
 * 5), out-of-window data, segments without ACK, and the per-connection
 * challenge ACK rate limit (RFC 5961 7; the spec's CA-06 choice).
 */
#include "refkit.h"

#include <string.h>

static void get_stats(const struct toe_ref *r, struct toe_ref_stats *st)
{
	toe_ref_stats(r, st);
}

static void expect_vars(struct toe_ref *r, int c, int st, uint32_t snd_una,
			uint32_t snd_nxt, uint32_t rcv_nxt)
{
	struct toe_ref_conn_info i;

	kit_expect_state(r, c, st);
	assert_int_equal(toe_ref_conn_info(r, c, &i), TOE_REF_OK);
	assert_int_equal(i.snd_una, snd_una);
	assert_int_equal(i.snd_nxt, snd_nxt);
	assert_int_equal(i.rcv_nxt, rcv_nxt);
}

static void expect_unchanged(struct toe_ref *r, int c,
			     const struct toe_ref_conn_info *in)
{
	expect_vars(r, c, in->state, in->snd_una, in->snd_nxt, in->rcv_nxt);
}

/* A segment from the kit peer at another source port (second connection). */
static void in_port(struct toe_ref *r, uint16_t rport, uint8_t flags,
		    uint32_t seq, uint32_t ack, uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	s.src_port = rport;
	toe_ref_input(r, &s, now);
}

static void in_win(struct toe_ref *r, uint8_t flags, uint32_t seq, uint32_t ack,
		   uint16_t win, uint16_t len, uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	s.win = win;
	s.data = kit_payload();
	s.len = len;
	toe_ref_input(r, &s, now);
}

static const int sync_states[] = {
	TOE_ST_SYN_RECEIVED, TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
	TOE_ST_FIN_WAIT_2, TOE_ST_CLOSE_WAIT, TOE_ST_CLOSING, TOE_ST_LAST_ACK,
};
#define N_SYNC (sizeof(sync_states) / sizeof(sync_states[0]))

/* ---- CA-01: SYN in a synchronized state -> challenge ACK --------------- */
/* (SYN-RECEIVED counts here only when it came from an active open: HS-10) */

/*
 * RFC 9293 3.10.7.4 fourth check (RFC 5961 4.2): "If the SYN bit is set,
 * irrespective of the sequence number, TCP endpoints MUST send a
 * "challenge ACK" to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
 * After sending the acknowledgment, TCP implementations MUST drop the
 * unacceptable segment and stop processing further."
 * Per state, four SYNs in a fresh stack each: at RCV.NXT, below the window
 * (IRS, the original SYN's number), far above it, and a SYN-ACK.
 */
static void test_CA01_sync_states_syn_any_seq_challenge_ack_state_unchanged(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SYNC; i++) {
		struct toe_ref_conn_info in;

		kit_info(sync_states[i], &in);
		/* SYN-RECEIVED of an active open (simultaneous open): "handle
		 * per the directions for synchronized states"; of a passive
		 * open an acceptable SYN returns it to LISTEN (HS-10,
		 * test_ref_hs.c) */
		if (sync_states[i] == TOE_ST_SYN_RECEIVED)
			in.passive = false;
		const struct {
			uint8_t flags;
			uint32_t seq;
		} syns[] = {
			{ TOE_TCP_SYN, in.rcv_nxt },
			{ TOE_TCP_SYN, KIT_IRS },
			{ TOE_TCP_SYN, in.rcv_nxt + 100000 },
			{ TOE_TCP_SYN | TOE_TCP_ACK, in.rcv_nxt + 5 },
		};

		for (size_t k = 0; k < sizeof(syns) / sizeof(syns[0]); k++) {
			struct toe_ref_stats st;
			struct toe_ref *r = kit_new_listen();
			int c = kit_fixture(r, &in, 0);

			print_message("%s: SYN%s seq %u\n",
				      toe_tcp_state_name(in.state),
				      (syns[k].flags & TOE_TCP_ACK) ? "-ACK" : "",
				      syns[k].seq);
			kit_expect_nothing(r);
			kit_in(r, syns[k].flags, syns[k].seq, in.snd_nxt, KIT_MS(10));
			struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK,
							      in.snd_nxt, in.rcv_nxt);
			assert_int_equal(o.conn, c);
			kit_expect_nothing(r);
			expect_unchanged(r, c, &in);
			assert_int_equal(toe_ref_conn_count(r), 1);
			get_stats(r, &st);
			assert_int_equal(st.challenge_acks, 1);
			toe_ref_free(r);
		}
	}
}

/* A SYN at RCV.NXT carrying data and FIN: dropped whole - no RX_DATA, no
 * PEER_FIN, RCV.NXT unchanged. */
static void test_CA01_established_syn_fin_data_challenge_ack_nothing_taken(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_SYN | TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1,
		    KIT_ISS + 1, 50, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* TIME-WAIT without a listener on the port: a SYN cannot reopen, so it
 * gets a challenge ACK (TW-04 choice) and TIME-WAIT stays. */
static void test_CA01_time_wait_no_listener_syn_challenge_ack(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_TIME_WAIT, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_SYN, in.rcv_nxt + 1000, 0, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt, in.rcv_nxt);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* ---- CA-02: ACK of something not yet sent ------------------------------ */

/* 3.10.7.4 fifth check, ESTABLISHED: "If the ACK acks something not yet
 * sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and
 * return." Not a challenge ACK: not counted, not rate-limited. The window
 * of the dropped segment is not taken. */
static void test_CA02_established_ack_beyond_snd_nxt_ack_dropped_no_update(void **state)
{
	(void)state;
	struct toe_ref_conn_info in, after;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	in_win(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 1000, 0, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_int_equal(o.conn, c);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	assert_int_equal(toe_ref_conn_info(r, c, &after), TOE_REF_OK);
	assert_int_equal(after.snd_wnd, KIT_PEER_WIN);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 0);
	assert_int_equal(st.challenge_acks_suppressed, 0);
	toe_ref_free(r);
}

/* Ten in a row all get their ACK (no rate limit). */
static void test_CA02_established_ack_beyond_snd_nxt_not_rate_limited(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	for (int i = 0; i < 10; i++)
		kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1000 + (uint32_t)i,
		       KIT_MS(1));
	for (int i = 0; i < 10; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 0);
	assert_int_equal(st.challenge_acks_suppressed, 0);
	toe_ref_free(r);
}

/* Payload and FIN on such a segment are dropped with it. */
static void test_CA02_established_ack_beyond_snd_nxt_data_fin_not_taken(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH | TOE_TCP_FIN, KIT_IRS + 1,
		    KIT_ISS + 50, 20, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* The same in the other states that check the ACK this way (FIN-WAIT-1 and
 * -2, CLOSE-WAIT, CLOSING, LAST-ACK: "same processing as for ESTABLISHED"
 * then their own FIN checks, which a dropped segment never reaches). */
static void test_CA02_fin_states_ack_beyond_snd_nxt_ack_state_unchanged(void **state)
{
	(void)state;
	static const int sts[] = {
		TOE_ST_FIN_WAIT_1, TOE_ST_FIN_WAIT_2, TOE_ST_CLOSE_WAIT,
		TOE_ST_CLOSING, TOE_ST_LAST_ACK,
	};

	for (size_t i = 0; i < sizeof(sts) / sizeof(sts[0]); i++) {
		struct toe_ref_conn_info in;
		struct toe_ref *r = kit_new(NULL);

		print_message("state %s\n", toe_tcp_state_name(sts[i]));
		kit_info(sts[i], &in);
		int c = kit_fixture(r, &in, 0);
		kit_expect_nothing(r);
		kit_in(r, TOE_TCP_ACK | TOE_TCP_FIN, in.rcv_nxt, in.snd_nxt + 1,
		       KIT_MS(10));
		kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt, in.rcv_nxt);
		kit_expect_nothing(r);
		expect_unchanged(r, c, &in);
		toe_ref_free(r);
	}
}

/* ---- CA-03: ACK older than SND.UNA - MAX.SND.WND ----------------------- */

/* RFC 5961 5.2 as adopted by RFC 9293 3.10.7.4: "If SEG.ACK <
 * SND.UNA - MAX.SND.WND ... the segment MUST be discarded and an ACK sent
 * back" (a challenge ACK, so counted). The fixture's MAX.SND.WND is the
 * peer window 65535. */
static void test_CA03_established_too_old_ack_challenge_ack_dropped(void **state)
{
	(void)state;
	struct toe_ref_conn_info in, i2;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);
	assert_int_equal(toe_ref_conn_info(r, c, &i2), TOE_REF_OK);
	assert_int_equal(i2.max_snd_wnd, KIT_PEER_WIN); /* precondition */

	/* SND.UNA - MAX.SND.WND - 1, with data that must not be taken */
	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1 - KIT_PEER_WIN - 1,
		    10, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_int_equal(o.conn, c);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 1);
	toe_ref_free(r);
}

/* Exactly SND.UNA - MAX.SND.WND is an old duplicate ACK: ignored, and the
 * segment's data is processed (delivered and ACKed). */
static void test_CA03_established_ack_at_limit_accepted_data_delivered(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1 - KIT_PEER_WIN,
		    10, KIT_MS(1));
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(ev.len, 10);
	assert_memory_equal(ev.data, kit_payload(), 10);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 11);
	kit_expect_nothing(r);
	expect_vars(r, c, TOE_ST_ESTABLISHED, KIT_ISS + 1, KIT_ISS + 1,
		    KIT_IRS + 11);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 0);
	toe_ref_free(r);
}

/* MAX.SND.WND follows the largest window seen: a fixture with a 1000-byte
 * peer window puts the limit at SND.UNA - 1000; after the peer opens its
 * window to 5000 the limit moves to SND.UNA - 5000. */
static void test_CA03_established_limit_tracks_max_snd_wnd(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	in.snd_wnd = 1000;
	in.max_snd_wnd = 1000;
	int c = kit_fixture(r, &in, 0);
	const uint32_t una = KIT_ISS + 1;

	/* SND.UNA - 1001: too old */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, una - 1001, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, una, KIT_IRS + 1);
	kit_expect_nothing(r);
	/* SND.UNA - 1000: old duplicate, silently ignored */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, una - 1000, KIT_MS(2));
	kit_expect_nothing(r);
	/* window update to 5000 with an acceptable duplicate ACK */
	in_win(r, TOE_TCP_ACK, KIT_IRS + 1, una, 5000, 0, KIT_MS(3));
	kit_expect_nothing(r);
	/* SND.UNA - 1001 is now inside MAX.SND.WND: ignored */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, una - 1001, KIT_MS(4));
	kit_expect_nothing(r);
	/* SND.UNA - 5001: too old again */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, una - 5001, KIT_MS(5));
	kit_expect_seg(r, TOE_TCP_ACK, una, KIT_IRS + 1);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* The same check in CLOSE-WAIT (same processing as ESTABLISHED). */
static void test_CA03_close_wait_too_old_ack_challenge_ack(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_CLOSE_WAIT, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_ACK, in.rcv_nxt, in.snd_una - 70000, KIT_MS(1));
	kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt, in.rcv_nxt);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* ---- CA-04: out-of-window data -> empty ACK ---------------------------- */

/* 3.10.7.4 first check: "If an incoming segment is not acceptable, an
 * acknowledgment should be sent in reply (unless the RST bit is set ...):
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> After sending the acknowledgment,
 * drop the unacceptable segment and return." */
static void ca04_one(int st, uint32_t seq_off, uint16_t len, uint8_t flags)
{
	struct toe_ref_conn_info in;
	struct toe_ref_stats stt;
	struct toe_ref *r = kit_new(NULL);

	kit_info(st, &in);
	int c = kit_fixture(r, &in, 0);
	uint32_t seq = in.rcv_nxt + seq_off;

	print_message("%s: seq RCV.NXT%+d len %u\n", toe_tcp_state_name(st),
		      (int32_t)seq_off, len);
	kit_in_data(r, flags, seq, in.snd_nxt, len, KIT_MS(10));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, in.snd_nxt,
					      in.rcv_nxt);
	assert_int_equal(o.conn, c);
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_stats(r, &stt);
	assert_int_equal(stt.challenge_acks, 0);
	assert_int_equal(stt.rx_bytes, 0);
	toe_ref_free(r);
}

/* Beyond the window (first byte at RCV.NXT+RCV.WND), and far beyond. */
static void test_CA04_established_data_beyond_window_empty_ack(void **state)
{
	(void)state;
	ca04_one(TOE_ST_ESTABLISHED, KIT_RCV_WND, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_ESTABLISHED, KIT_RCV_WND, 1, TOE_TCP_ACK | TOE_TCP_PSH);
	ca04_one(TOE_ST_ESTABLISHED, 0x40000000u, 100, TOE_TCP_ACK);
}

/* Entirely before RCV.NXT (an old retransmission): last byte RCV.NXT-1. */
static void test_CA04_established_old_data_before_window_empty_ack(void **state)
{
	(void)state;
	ca04_one(TOE_ST_ESTABLISHED, (uint32_t)-10, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_ESTABLISHED, (uint32_t)-1000, 500, TOE_TCP_ACK | TOE_TCP_PSH);
}

/* An empty segment outside the window is unacceptable too. */
static void test_CA04_established_empty_ack_out_of_window_empty_ack(void **state)
{
	(void)state;
	ca04_one(TOE_ST_ESTABLISHED, KIT_RCV_WND, 0, TOE_TCP_ACK);
	ca04_one(TOE_ST_ESTABLISHED, (uint32_t)-1, 0, TOE_TCP_ACK);
}

/* Also out-of-window FIN (last byte before RCV.NXT: an old FIN). */
static void test_CA04_fin_wait_2_close_wait_out_of_window_empty_ack(void **state)
{
	(void)state;
	ca04_one(TOE_ST_FIN_WAIT_2, KIT_RCV_WND + 5, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_FIN_WAIT_1, KIT_RCV_WND, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_CLOSE_WAIT, KIT_RCV_WND, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_CLOSE_WAIT, (uint32_t)-20, 10, TOE_TCP_ACK);
	ca04_one(TOE_ST_LAST_ACK, (uint32_t)-1, 0, TOE_TCP_ACK | TOE_TCP_FIN);
}

/* Not rate-limited: after five challenge ACKs have used up the limit, an
 * out-of-window segment still gets its ACK. */
static void test_CA04_established_out_of_window_ack_not_rate_limited(void **state)
{
	(void)state;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_conn(r, TOE_ST_ESTABLISHED, 0);
	for (int i = 0; i < 6; i++)
		kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_S(1));
	for (int i = 0; i < 5; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	for (int i = 0; i < 3; i++)
		kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1 + KIT_RCV_WND, KIT_ISS + 1,
			    10, KIT_S(1));
	for (int i = 0; i < 3; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 5);
	assert_int_equal(st.challenge_acks_suppressed, 1);
	toe_ref_free(r);
}

/* A segment overlapping RCV.NXT is acceptable (its last byte is in the
 * window): the new part is delivered, the old part trimmed. The boundary
 * that makes the cases above unacceptable. */
static void test_CA04_established_overlapping_data_acceptable_trimmed(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1 - 5, KIT_ISS + 1, 10, KIT_MS(1));
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(ev.len, 5);
	assert_memory_equal(ev.data, kit_payload() + 5, 5);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 6);
	kit_expect_nothing(r);
	expect_vars(r, c, TOE_ST_ESTABLISHED, KIT_ISS + 1, KIT_ISS + 1, KIT_IRS + 6);
	toe_ref_free(r);
}

/* RCV.WND = 0: "If the RCV.WND is zero, no segments will be acceptable,
 * but special allowance should be made to accept valid ACKs, URGs, and
 * RSTs" - data at RCV.NXT gets an ACK (window 0) and is dropped; an empty
 * ACK at RCV.NXT is acceptable and draws nothing. */
static void test_CA04_zero_window_data_at_rcv_nxt_empty_ack(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;
	struct toe_ref_conn_info in;

	kit_cfg(&cfg);
	cfg.rcv_wnd = 0;
	struct toe_ref *r = kit_new(&cfg);
	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 1, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_int_equal(o.seg.win, 0);
	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(2));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* ---- CA-05: no ACK flag -> dropped ------------------------------------- */

/* 3.10.7.4 fifth check: "if the ACK bit is off, drop the segment and
 * return". The data is not queued: a later pure ACK does not release it. */
static void test_CA05_established_data_without_ack_dropped_not_queued(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in_data(r, TOE_TCP_PSH, KIT_IRS + 1, 0, 20, KIT_MS(1));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(2));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	get_stats(r, &st);
	assert_int_equal(st.rx_bytes, 0);
	assert_true(st.dropped >= 1);
	toe_ref_free(r);
}

/* FIN without ACK at RCV.NXT: not taken (no PEER_FIN, no CLOSE-WAIT). */
static void test_CA05_established_fin_without_ack_dropped_state_unchanged(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref *r = kit_new(NULL);

	kit_info(TOE_ST_ESTABLISHED, &in);
	int c = kit_fixture(r, &in, 0);

	kit_in(r, TOE_TCP_FIN, KIT_IRS + 1, 0, KIT_MS(1));
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	kit_in(r, 0, KIT_IRS + 1, 0, KIT_MS(2)); /* no flags at all */
	kit_expect_nothing(r);
	expect_unchanged(r, c, &in);
	toe_ref_free(r);
}

/* Every synchronized state: FIN + data without ACK at RCV.NXT -> nothing. */
static void test_CA05_sync_states_no_ack_dropped_silently(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SYNC; i++) {
		struct toe_ref_conn_info in;
		struct toe_ref *r = kit_new_listen();

		print_message("state %s\n", toe_tcp_state_name(sync_states[i]));
		kit_info(sync_states[i], &in);
		int c = kit_fixture(r, &in, 0);
		kit_expect_nothing(r);
		kit_in_data(r, TOE_TCP_FIN | TOE_TCP_PSH, in.rcv_nxt, 0, 10,
			    KIT_MS(10));
		kit_in(r, 0, in.rcv_nxt, 0, KIT_MS(11));
		kit_expect_nothing(r);
		expect_unchanged(r, c, &in);
		toe_ref_free(r);
	}
}

/* ---- CA-06: per-connection challenge ACK rate limit -------------------- */

/*
 * RFC 5961 7: "An implementation SHOULD include an ACK throttling
 * mechanism"; the spec's choice: per connection, cfg.challenge_ack_limit
 * (5 in kit_cfg) per cfg.challenge_ack_window (1 s); the window restarts at
 * the first challenge ACK at least one window after the last restart.
 * Fixtures are made at 0 and the burst starts at 1 s, so whatever the
 * initial window start (0 or creation time) the window starts at 1 s.
 */
static void test_CA06_established_rst_burst_limited_to_5_per_window(void **state)
{
	(void)state;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);

	for (int i = 0; i < 7; i++)
		kit_in(r, TOE_TCP_RST, KIT_IRS + 2 + (uint32_t)i, 0,
		       KIT_S(1) + (uint64_t)i);
	for (int i = 0; i < 5; i++) {
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
						      KIT_IRS + 1);
		assert_int_equal(o.time, KIT_S(1) + (uint64_t)i);
	}
	kit_expect_nothing(r);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 5);
	assert_int_equal(st.challenge_acks_suppressed, 2);

	/* one tick before the window ends: still suppressed */
	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_S(2) - 1);
	kit_expect_nothing(r);
	/* a full window after its start: a fresh allowance of five */
	for (int i = 0; i < 6; i++)
		kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_S(2));
	for (int i = 0; i < 5; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 10);
	assert_int_equal(st.challenge_acks_suppressed, 4);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
	toe_ref_free(r);
}

/* RA-02, CA-01 and CA-03 challenge ACKs share one allowance. */
static void test_CA06_established_mixed_challenges_share_limit(void **state)
{
	(void)state;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	const uint64_t t = KIT_S(1);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 2, 0, t);                    /* RA-02 */
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 1, 0, t);                    /* CA-01 */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS - 70000, t);      /* CA-03 */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS + 9, KIT_ISS + 1, t);
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 3, KIT_ISS + 1, t);
	for (int i = 0; i < 5; i++)
		kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 1, 0, t + 10);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS - 70000, t + 11);
	kit_in(r, TOE_TCP_RST, KIT_IRS + 100, 0, t + 12);
	kit_expect_nothing(r);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 5);
	assert_int_equal(st.challenge_acks_suppressed, 3);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
	toe_ref_free(r);
}

/* Per connection: exhausting A's allowance leaves B's intact (interleaved),
 * so one connection cannot learn from the limit what happens on another. */
static void test_CA06_two_conns_limit_not_shared(void **state)
{
	(void)state;
	struct toe_ref_conn_info in;
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);
	const uint16_t pa = KIT_RPORT, pb = KIT_RPORT + 1;

	kit_info(TOE_ST_ESTABLISHED, &in);
	int a = kit_fixture(r, &in, 0);
	in.remote_port = pb;
	int b = kit_fixture(r, &in, 0);

	/* A: six challenges -> five ACKs */
	for (int i = 0; i < 6; i++)
		in_port(r, pa, TOE_TCP_RST, KIT_IRS + 2, 0, KIT_S(1));
	for (int i = 0; i < 5; i++) {
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
						      KIT_IRS + 1);
		assert_int_equal(o.conn, a);
		assert_int_equal(o.seg.dst_port, pa);
	}
	kit_expect_nothing(r);

	/* B, interleaved with more for A: B gets all five, A none */
	for (int i = 0; i < 5; i++) {
		in_port(r, pa, TOE_TCP_SYN, KIT_IRS + 1, 0, KIT_S(1) + 1);
		in_port(r, pb, TOE_TCP_SYN, KIT_IRS + 1, 0, KIT_S(1) + 1);
	}
	for (int i = 0; i < 5; i++) {
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
						      KIT_IRS + 1);
		assert_int_equal(o.conn, b);
		assert_int_equal(o.seg.dst_port, pb);
	}
	kit_expect_nothing(r);
	/* now B is limited too */
	in_port(r, pb, TOE_TCP_SYN, KIT_IRS + 1, 0, KIT_S(1) + 2);
	kit_expect_nothing(r);
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 10);
	assert_int_equal(st.challenge_acks_suppressed, 7);
	kit_expect_state(r, a, TOE_ST_ESTABLISHED);
	kit_expect_state(r, b, TOE_ST_ESTABLISHED);
	toe_ref_free(r);
}

/* The limit and window come from the configuration: 2 per 100 ms. */
static void test_CA06_configured_limit_2_per_100ms(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;
	struct toe_ref_stats st;

	kit_cfg(&cfg);
	cfg.challenge_ack_limit = 2;
	cfg.challenge_ack_window = KIT_MS(100);
	struct toe_ref *r = kit_new(&cfg);
	kit_conn(r, TOE_ST_ESTABLISHED, 0);

	/* windows start at 100 ms, 200 ms (first challenge >= start + 100 ms) */
	const uint64_t times[] = { KIT_MS(100), KIT_MS(150), KIT_MS(199),
				   KIT_MS(200), KIT_MS(250), KIT_MS(299) };
	const bool sent[] = { true, true, false, true, true, false };
	for (size_t i = 0; i < 6; i++) {
		kit_in(r, TOE_TCP_SYN, KIT_IRS + 1, 0, times[i]);
		if (sent[i]) {
			struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK,
							      KIT_ISS + 1,
							      KIT_IRS + 1);
			assert_int_equal(o.time, times[i]);
		}
		kit_expect_nothing(r);
	}
	get_stats(r, &st);
	assert_int_equal(st.challenge_acks, 4);
	assert_int_equal(st.challenge_acks_suppressed, 2);
	toe_ref_free(r);
}

/* The engine's limits (rtl/regmap/toe.toml, enum cfg_limit): durations
 * below 2^39 ticks (40-bit timer stamps, 2 x MSL included), at most 65535
 * challenge ACKs per window (16-bit count). The reference refuses what the
 * engine could not do exactly as it does; the boundaries come from the two
 * widths, not from the stack. */
static void test_cfg_engine_limits_refused(void **state)
{
	const uint64_t lim = 1ull << 39;
	struct toe_ref_cfg c;
	struct toe_ref *r;

	(void)state;
	assert_int_equal(TOE_CFG_TIME_BITS, 40);
	assert_int_equal(TOE_CFG_CA_LIMIT_MAX, 65535);
#define TRY(field, value, ok)                                          \
	do {                                                           \
		kit_cfg(&c);                                           \
		c.field = (value);                                     \
		r = toe_ref_new(&c);                                   \
		if (ok)                                                \
			assert_non_null(r);                            \
		else                                                   \
			assert_null(r);                                \
		toe_ref_free(r);                                       \
	} while (0)
	TRY(rto_max, lim - 1, 1);
	TRY(rto_max, lim, 0);
	TRY(syn_giveup, lim - 1, 1);
	TRY(syn_giveup, lim, 0);
	TRY(synack_giveup, lim - 1, 1);
	TRY(synack_giveup, lim, 0);
	TRY(fin_giveup, lim - 1, 1);
	TRY(fin_giveup, lim, 0);
	TRY(msl, lim / 2 - 1, 1);
	TRY(msl, lim / 2, 0);
	TRY(challenge_ack_limit, 65535, 1);
	TRY(challenge_ack_limit, 65536, 0);
	/* the window start stays 64-bit: no limit on the window */
	TRY(challenge_ack_window, UINT64_MAX, 1);
#undef TRY
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_CA01_sync_states_syn_any_seq_challenge_ack_state_unchanged),
		cmocka_unit_test(test_CA01_established_syn_fin_data_challenge_ack_nothing_taken),
		cmocka_unit_test(test_CA01_time_wait_no_listener_syn_challenge_ack),
		cmocka_unit_test(test_CA02_established_ack_beyond_snd_nxt_ack_dropped_no_update),
		cmocka_unit_test(test_CA02_established_ack_beyond_snd_nxt_not_rate_limited),
		cmocka_unit_test(test_CA02_established_ack_beyond_snd_nxt_data_fin_not_taken),
		cmocka_unit_test(test_CA02_fin_states_ack_beyond_snd_nxt_ack_state_unchanged),
		cmocka_unit_test(test_CA03_established_too_old_ack_challenge_ack_dropped),
		cmocka_unit_test(test_CA03_established_ack_at_limit_accepted_data_delivered),
		cmocka_unit_test(test_CA03_established_limit_tracks_max_snd_wnd),
		cmocka_unit_test(test_CA03_close_wait_too_old_ack_challenge_ack),
		cmocka_unit_test(test_CA04_established_data_beyond_window_empty_ack),
		cmocka_unit_test(test_CA04_established_old_data_before_window_empty_ack),
		cmocka_unit_test(test_CA04_established_empty_ack_out_of_window_empty_ack),
		cmocka_unit_test(test_CA04_fin_wait_2_close_wait_out_of_window_empty_ack),
		cmocka_unit_test(test_CA04_established_out_of_window_ack_not_rate_limited),
		cmocka_unit_test(test_CA04_established_overlapping_data_acceptable_trimmed),
		cmocka_unit_test(test_CA04_zero_window_data_at_rcv_nxt_empty_ack),
		cmocka_unit_test(test_CA05_established_data_without_ack_dropped_not_queued),
		cmocka_unit_test(test_CA05_established_fin_without_ack_dropped_state_unchanged),
		cmocka_unit_test(test_CA05_sync_states_no_ack_dropped_silently),
		cmocka_unit_test(test_CA06_established_rst_burst_limited_to_5_per_window),
		cmocka_unit_test(test_CA06_established_mixed_challenges_share_limit),
		cmocka_unit_test(test_CA06_two_conns_limit_not_shared),
		cmocka_unit_test(test_CA06_configured_limit_2_per_100ms),
		cmocka_unit_test(test_cfg_engine_limits_refused),
	};

	return cmocka_run_group_tests_name("ref_ca", tests, NULL, NULL);
}
