/* SPDX-License-Identifier: MIT */
/*
 * test_ref_hs.c - reference stack, passive handshake (HS-01..HS-09) and the
 * RFC 6528 ISN function. Expected segments come from RFC 9293 3.10.7.2 /
 * 3.10.7.4 and the stack spec; see tests/unit/support/refkit.h for the
 * configuration (1 us ticks, RTO 1 s doubling, SYN-ACK give-up 60 s).
 */
#include "refkit.h"

#include <sodium.h>
#include <string.h>

/* ---- ISN (RFC 6528) ------------------------------------------------ */

/* SipHash-2-4 of the kit tuple 192.168.0.1:80 / 192.0.2.1:40000 with key
 * 00 01 .. 0f, message c0a80001 0050 c0000201 9c40, computed by an
 * independent Python SipHash that reproduces the SipHash paper's test
 * vector (a129ca6149be45e5): 0x26bc65b939a22cc3, F = 0x39a22cc3. */
#define KIT_TUPLE_F 0x39a22cc3u

/* The same thing with libsodium, written here from RFC 6528 and the spec. */
static uint32_t isn_expected(const uint8_t key[16], uint32_t lip,
			     uint16_t lport, uint32_t rip, uint16_t rport,
			     uint64_t now, uint64_t hz)
{
	uint8_t msg[12] = {
		(uint8_t)(lip >> 24), (uint8_t)(lip >> 16), (uint8_t)(lip >> 8),
		(uint8_t)lip, (uint8_t)(lport >> 8), (uint8_t)lport,
		(uint8_t)(rip >> 24), (uint8_t)(rip >> 16), (uint8_t)(rip >> 8),
		(uint8_t)rip, (uint8_t)(rport >> 8), (uint8_t)rport,
	};
	uint8_t h[8];

	assert_int_equal(crypto_shorthash_siphash24(h, msg, 12, key), 0);
	uint32_t f = (uint32_t)h[0] | (uint32_t)h[1] << 8 |
		     (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
	return (uint32_t)(now / (hz / 250000)) + f;
}

static void test_ISN_fixed_key_tuple_time_matches_siphash(void **state)
{
	struct toe_ref *r = *state;
	uint8_t key[16];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	/* 4000 ticks of 1 us = 1000 four-microsecond steps */
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				     KIT_RPORT, 4000),
			 KIT_TUPLE_F + 1000u);
	assert_int_equal(isn_expected(key, KIT_LOCAL_IP, KIT_LPORT,
				      KIT_REMOTE_IP, KIT_RPORT, 4000, KIT_HZ),
			 KIT_TUPLE_F + 1000u);
	/* time 0: M = 0 */
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				     KIT_RPORT, 0), KIT_TUPLE_F);
	/* other tuples / times, checked against libsodium directly */
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, 443, 0x0A000002, 1234,
				     KIT_S(3)),
			 isn_expected(key, KIT_LOCAL_IP, 443, 0x0A000002, 1234,
				      KIT_S(3), KIT_HZ));
	/* M wraps at 32 bits: 2^34 ticks of 1 us = 2^32 steps */
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				     KIT_RPORT, (1ull << 34) + 8),
			 KIT_TUPLE_F + 2u);
	/* a new key changes F */
	key[0] = 0xAA;
	toe_ref_set_isn_key(r, key);
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				     KIT_RPORT, 4000),
			 isn_expected(key, KIT_LOCAL_IP, KIT_LPORT,
				      KIT_REMOTE_IP, KIT_RPORT, 4000, KIT_HZ));
	assert_int_not_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT,
					 KIT_REMOTE_IP, KIT_RPORT, 4000),
			     KIT_TUPLE_F + 1000u);
}

/* The default config ticks at 156.25 MHz: M = now / 625. */
static void test_ISN_default_clock_divides_by_625(void **state)
{
	struct toe_ref_cfg c;
	uint8_t key[16] = { 0 };

	toe_ref_cfg_default(&c);
	c.local_ip = KIT_LOCAL_IP;
	struct toe_ref *r = kit_renew(state, &c);
	assert_int_equal(toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				     KIT_RPORT, 625 * 7 + 624),
			 isn_expected(key, KIT_LOCAL_IP, KIT_LPORT,
				      KIT_REMOTE_IP, KIT_RPORT, 0, KIT_HZ) + 7u);
}

/* ---- HS-01 ---------------------------------------------------------- */

static void test_HS01_listen_syn_sends_synack_with_mss(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.opt.has_mss = true;
	s.opt.mss = 1400;
	s.win = 29200;
	toe_ref_pin_isn(r, KIT_ISS);
	toe_ref_input(r, &s, KIT_MS(5));
	/* "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>", RCV.NXT = SEG.SEQ+1 */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.seg.win, KIT_RCV_WND);
	assert_true(o.seg.opt.has_mss);
	assert_int_equal(o.seg.opt.mss, 1460);
	assert_int_equal(o.seg.src_port, KIT_LPORT);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	assert_int_equal(o.seg.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT);
	assert_int_equal(o.conn, 0);
	assert_int_equal(o.time, KIT_MS(5));
	kit_expect_nothing(r);

	int id = toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT);
	assert_int_equal(id, 0);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.iss, KIT_ISS);
	assert_int_equal(ci.irs, KIT_IRS);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 1);
	/* "SND.NXT is set to ISS+1 and SND.UNA to ISS." */
	assert_int_equal(ci.snd_una, KIT_ISS);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	assert_int_equal(ci.peer_mss, 1400);
	assert_int_equal(ci.eff_mss, 1400);
	assert_true(ci.passive);
	assert_int_equal(toe_ref_conn_count(r), 1);
}

/* Without a pin the ISS is the RFC 6528 value at the SYN's arrival. */
static void test_HS01_listen_syn_iss_is_rfc6528(void **state)
{
	struct toe_ref *r = *state;
	uint8_t key[16];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 4000);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_TUPLE_F + 1000u,
		       KIT_IRS + 1);
	kit_expect_nothing(r);
	assert_int_equal(KIT_TUPLE_F + 1000u,
			 isn_expected(key, KIT_LOCAL_IP, KIT_LPORT,
				      KIT_REMOTE_IP, KIT_RPORT, 4000, KIT_HZ));
}

/* Payload on the SYN is dropped: the SYN-ACK acks the SYN only. */
static void test_HS01_listen_syn_with_data_acks_syn_only(void **state)
{
	struct toe_ref *r = *state;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in_data(r, TOE_TCP_SYN, KIT_IRS, 0, 20, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, 0, TOE_ST_SYN_RECEIVED);
}

/* No MSS option on the SYN: peer MSS 536 (MUST-15). */
static void test_HS01_listen_syn_without_mss_uses_536(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_info(r, 0, &ci), TOE_REF_OK);
	assert_int_equal(ci.peer_mss, 536);
	assert_int_equal(ci.eff_mss, 536);
}

/* A SYN to a port nobody listens on gets the no-TCB RST,ACK. */
static void test_HS01_closed_port_syn_gets_rst_ack(void **state)
{
	struct toe_ref *r = *state;
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.dst_port = 81;
	toe_ref_input(r, &s, 0);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0,
					      KIT_IRS + 1);
	assert_int_equal(o.seg.src_port, 81);
	assert_int_equal(o.conn, -1);
	kit_expect_nothing(r);
	/* SEG.LEN counts payload, SYN and FIN */
	s = kit_seg(TOE_TCP_SYN | TOE_TCP_FIN, KIT_IRS, 0);
	s.dst_port = 81;
	s.data = kit_payload();
	s.len = 3;
	toe_ref_input(r, &s, 0);
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_IRS + 5);
	s.flags = TOE_TCP_PSH;
	toe_ref_input(r, &s, 0);
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_IRS + 3);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
}

/* Peer MSS handling on the SYN: larger than ours -> eff_mss is ours
 * (MUST-16); 0 -> 536; 1..87 -> 88 (spec, MS-05). */
static void test_HS01_listen_syn_peer_mss_clamped(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	static const struct {
		uint16_t in, peer, eff;
	} tab[] = { { 9000, 9000, 1460 }, { 0, 536, 536 }, { 50, 88, 88 },
		    { 88, 88, 88 }, { 1460, 1460, 1460 } };

	for (unsigned i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

		s.src_port = (uint16_t)(KIT_RPORT + i);
		s.opt.has_mss = true;
		s.opt.mss = tab[i].in;
		toe_ref_input(r, &s, 0);
		struct toe_ref_out o;
		assert_int_equal(toe_ref_pop_out(r, &o), 1);
		assert_int_equal(o.seg.opt.mss, KIT_MSS); /* ours, unchanged */
		assert_int_equal(toe_ref_conn_info(r, (int)i, &ci), TOE_REF_OK);
		assert_int_equal(ci.peer_mss, tab[i].peer);
		assert_int_equal(ci.eff_mss, tab[i].eff);
	}
	kit_expect_nothing(r);
}

/* ---- HS-02 .. HS-05 ------------------------------------------------- */

static void test_HS02_listen_rst_ignored(void **state)
{
	struct toe_ref *r = *state;

	kit_in(r, TOE_TCP_RST, KIT_IRS, 0, 0);
	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS, 12345, 0);
	kit_expect_nothing(r);
	kit_in(r, TOE_TCP_RST | TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	/* listener unchanged: a SYN still opens */
	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 1);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
}

static void test_HS03_listen_bare_ack_sends_rst(void **state)
{
	struct toe_ref *r = *state;

	kit_in(r, TOE_TCP_ACK, KIT_IRS, 0xDEADBEEF, 0);
	/* "<SEQ=SEG.ACK><CTL=RST>" */
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, 0xDEADBEEF, 0);
	assert_int_equal(o.seg.win, 0);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	assert_int_equal(o.conn, -1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	/* listener stays: a later SYN is accepted */
	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 1);
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.ip.id, KIT_IP_ID_INIT + 1); /* RSTs count too */
	kit_expect_nothing(r);
}

/* ACK with payload or FIN is still "any arriving ACK-bearing segment". */
static void test_HS03_listen_ack_with_data_or_fin_sends_rst(void **state)
{
	struct toe_ref *r = *state;

	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS, 777, 10, 0);
	kit_expect_seg(r, TOE_TCP_RST, 777, 0);
	kit_in(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS, 778, 0);
	kit_expect_seg(r, TOE_TCP_RST, 778, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
}

static void test_HS04_listen_synack_sends_rst(void **state)
{
	struct toe_ref *r = *state;

	/* "Second, check for an ACK" comes before the SYN check */
	kit_in(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, 4242, 0);
	kit_expect_seg(r, TOE_TCP_RST, 4242, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
}

static void test_HS05_listen_fin_or_no_flags_dropped(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;

	kit_in(r, TOE_TCP_FIN, KIT_IRS, 0, 0);
	kit_in(r, 0, KIT_IRS, 0, 0);
	kit_in_data(r, TOE_TCP_PSH, KIT_IRS, 0, 5, 0);
	kit_in(r, TOE_TCP_URG, KIT_IRS, 0, 0);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_stats(r, &st);
	assert_int_equal(st.dropped, 4);
	assert_int_equal(st.segs_in, 4);
	assert_int_equal(st.segs_out, 0);
}

/* ---- HS-06 .. HS-08 ------------------------------------------------- */

static void test_HS06_synrcvd_ack_establishes(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1);

	s.win = 30000;
	toe_ref_input(r, &s, KIT_MS(10));
	kit_expect_no_seg(r);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	assert_int_equal(ev.time, KIT_MS(10));
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
	assert_int_equal(toe_ref_conn_info(r, id, &ci), TOE_REF_OK);
	assert_int_equal(ci.snd_una, KIT_ISS + 1);
	assert_int_equal(ci.snd_nxt, KIT_ISS + 1);
	assert_int_equal(ci.snd_wnd, 30000);
	assert_int_equal(ci.rcv_nxt, KIT_IRS + 1);
	/* the SYN-ACK timer is off */
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	toe_ref_advance(r, KIT_S(500));
	kit_expect_nothing(r);
}

/* The whole passive handshake from LISTEN. */
static void test_HS06_listen_syn_then_ack_establishes(void **state)
{
	struct toe_ref *r = *state;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(1));
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, 0);
	kit_expect_nothing(r);
	kit_expect_state(r, 0, TOE_ST_ESTABLISHED);
}

/* "continue processing": data on the handshake-completing ACK. */
static void test_HS06_synrcvd_ack_with_data_delivers_and_acks(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1, KIT_ISS + 1, 10, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 11);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, id);
	assert_int_equal(ev.len, 10);
	assert_memory_equal(ev.data, "abcdefghij", 10);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_ESTABLISHED);
}

/* ... and a FIN on it: ESTABLISHED then CLOSE-WAIT. */
static void test_HS06_synrcvd_ack_with_fin_goes_close_wait(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	kit_in(r, TOE_TCP_ACK | TOE_TCP_FIN, KIT_IRS + 1, KIT_ISS + 1, 1);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 2);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_event(r, TOE_EV_PEER_FIN, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_CLOSE_WAIT);
}

static void test_HS07_synrcvd_bad_ack_sends_rst_stays(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	/* SEG.ACK = SND.UNA (= ISS): not SND.UNA < SEG.ACK */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS, 1);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS, 0);
	assert_int_equal(o.conn, id);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* SEG.ACK > SND.NXT */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 2, 2);
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* far away */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 0x80000000u, 3);
	kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 0x80000000u, 0);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* the good ACK still works afterwards */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 4);
	kit_expect_event(r, TOE_EV_ESTABLISHED, id);
	kit_expect_nothing(r);
}

static void test_HS08_synrcvd_rst_back_to_listen_silently(void **state)
{
	struct toe_ref *r = *state;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	/* RST with SEG.SEQ = RCV.NXT: "return this connection to LISTEN
	 * state and return. The user need not be informed." */
	kit_in(r, TOE_TCP_RST, KIT_IRS + 1, 0, KIT_MS(1));
	kit_expect_nothing(r);
	kit_expect_gone(r, 0);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	/* the same tuple can open again */
	toe_ref_pin_isn(r, KIT_ISS + 5000);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 100, 0, KIT_MS(2));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS + 5000, KIT_IRS + 101);
	kit_expect_nothing(r);
	kit_expect_state(r, 0, TOE_ST_SYN_RECEIVED);
}

/* RST,ACK (what Linux sends) works the same. */
static void test_HS08_synrcvd_rst_ack_back_to_listen(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	kit_in(r, TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, 1);
	kit_expect_nothing(r);
	kit_expect_gone(r, id);
}

/* ---- HS-09 ---------------------------------------------------------- */

/* SYN-ACK retransmitted at 1, 3, 7, 15, 31 s with the same ISS; at 63 s
 * (the first expiry at or after synack_giveup, 60 s: RFC 9293 3.8.3's R2)
 * the connection goes. A listener's half-open connection the user never
 * saw goes silently: no TIMEDOUT (as Linux drops a request that times out;
 * a SYN flood's give-ups would otherwise fill the event FIFO). An active
 * open's SYN-RECEIVED still times out with the event:
 * test_SO01_synrcvd_synack_retransmitted. */
static void test_HS09_synrcvd_synack_retransmitted_with_backoff(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_conn_info ci;
	static const unsigned at[] = { 1, 3, 7, 15, 31 };
	uint16_t ipid = KIT_IP_ID_INIT + 1;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(toe_ref_next_timer(r), KIT_S(at[i]));
		toe_ref_advance(r, KIT_S(at[i]) - 1);
		kit_expect_nothing(r);
		toe_ref_advance(r, KIT_S(at[i]));
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
						      KIT_ISS, KIT_IRS + 1);
		assert_int_equal(o.time, KIT_S(at[i]));
		assert_int_equal(o.ip.id, ipid++);
		kit_expect_nothing(r);
		assert_int_equal(toe_ref_conn_info(r, 0, &ci), TOE_REF_OK);
		assert_int_equal(ci.retransmits, i + 1);
	}
	assert_int_equal(toe_ref_next_timer(r), KIT_S(63));
	toe_ref_advance(r, KIT_S(63) - 1);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(63));
	kit_expect_nothing(r);
	kit_expect_gone(r, 0);
	assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
}

/* A SYN-ACK retransmission carries the current RCV.NXT; the timer stops
 * when the final ACK arrives. */
static void test_HS09_synrcvd_ack_stops_synack_timer(void **state)
{
	struct toe_ref *r = *state;

	toe_ref_pin_isn(r, KIT_ISS);
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	toe_ref_advance(r, KIT_S(1));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(1500));
	kit_expect_event(r, TOE_EV_ESTABLISHED, 0);
	kit_expect_nothing(r);
	toe_ref_advance(r, KIT_S(100));
	kit_expect_nothing(r);
	kit_expect_state(r, 0, TOE_ST_ESTABLISHED);
}

/* The peer's retransmitted SYN in SYN-RECEIVED is outside the window:
 * challenge ACK, nothing else changes (spec step C note). */
static void test_HS09_synrcvd_retransmitted_syn_gets_challenge_ack(void **state)
{
	struct toe_ref *r = *state;
	int id = kit_conn(r, TOE_ST_SYN_RECEIVED, 0);

	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_MS(500));
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 1);
	kit_expect_nothing(r);
	kit_expect_state(r, id, TOE_ST_SYN_RECEIVED);
	/* the retransmission timer is unchanged: first resend at 1 s */
	assert_int_equal(toe_ref_next_timer(r), KIT_S(1));
}

/* ---- HS-10 ---------------------------------------------------------- */

/*
 * RFC 9293 3.10.7.4, fourth check (the SYN bit), SYN-RECEIVED: "If the
 * connection was initiated with a passive OPEN, then return this
 * connection to the LISTEN state and return." A SYN that passed the
 * sequence-number check (an acceptable one: at RCV.NXT, or inside the
 * window) removes the half-open connection: nothing is sent, no event (the
 * user never saw it), no timer left, no challenge ACK counted; the listener
 * stays, and the same tuple can open again. A SYN-ACK in the window is a
 * SYN too. (An unacceptable SYN, e.g. the original SYN again, is answered
 * by the first check instead: HS-09 above.)
 */
static void test_HS10_synrcvd_passive_acceptable_syn_back_to_listen(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;
	static const struct {
		uint8_t flags;
		uint32_t off; /* SEG.SEQ - RCV.NXT */
	} syns[] = {
		{ TOE_TCP_SYN, 0 },
		{ TOE_TCP_SYN, 1000 },
		{ TOE_TCP_SYN | TOE_TCP_ACK, 5 },
	};

	for (size_t k = 0; k < sizeof(syns) / sizeof(syns[0]); k++) {
		int id = kit_conn(r, TOE_ST_SYN_RECEIVED, KIT_MS(10 * k));

		print_message("SYN%s at RCV.NXT + %u\n",
			      (syns[k].flags & TOE_TCP_ACK) ? "-ACK" : "",
			      syns[k].off);
		kit_in(r, syns[k].flags, KIT_IRS + 1 + syns[k].off, KIT_ISS + 1,
		       KIT_MS(10 * k + 1));
		kit_expect_nothing(r);
		kit_expect_gone(r, id);
		assert_int_equal(toe_ref_conn_count(r), 0);
		assert_int_equal(toe_ref_next_timer(r), UINT64_MAX);
	}
	toe_ref_stats(r, &st);
	assert_int_equal(st.challenge_acks, 0);
	assert_int_equal(st.rst_out, 0);
	/* the listener is still there: a new SYN from the same tuple opens */
	toe_ref_pin_isn(r, KIT_ISS + 7000);
	kit_in(r, TOE_TCP_SYN, KIT_IRS + 500, 0, KIT_MS(100));
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS + 7000, KIT_IRS + 501);
	kit_expect_nothing(r);
	kit_expect_state(r, 0, TOE_ST_SYN_RECEIVED);
}

/* ---- extras: several connections, table full ----------------------- */

static void test_HS_listen_many_peers_get_lowest_ids(void **state)
{
	struct toe_ref *r = *state;

	for (int i = 0; i < 3; i++) {
		struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS + (uint32_t)i, 0);

		s.src_port = (uint16_t)(KIT_RPORT + i);
		toe_ref_pin_isn(r, KIT_ISS + (uint32_t)i * 1000);
		toe_ref_input(r, &s, (uint64_t)i);
		struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
						      KIT_ISS + (uint32_t)i * 1000,
						      KIT_IRS + (uint32_t)i + 1);
		assert_int_equal(o.conn, i);
		assert_int_equal(o.seg.dst_port, KIT_RPORT + i);
	}
	kit_expect_nothing(r);
	/* free id 1, the next connection takes it */
	struct toe_seg rst = kit_seg(TOE_TCP_RST, KIT_IRS + 2, 0);
	rst.src_port = KIT_RPORT + 1;
	toe_ref_input(r, &rst, 10);
	kit_expect_nothing(r);
	kit_expect_gone(r, 1);
	struct toe_seg s = kit_seg(TOE_TCP_SYN, 5, 0);
	s.src_port = 50000;
	toe_ref_pin_isn(r, 77);
	toe_ref_input(r, &s, 11);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, 77, 6);
	assert_int_equal(o.conn, 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 3);
	/* the three SYN-ACK timers fire in deadline order */
	toe_ref_advance(r, KIT_S(1) + 11);
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.time, KIT_S(1));
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS + 2000, KIT_IRS + 3);
	assert_int_equal(o.time, KIT_S(1) + 2);
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, 77, 6);
	assert_int_equal(o.time, KIT_S(1) + 11);
	kit_expect_nothing(r);
}

static void test_HS_listen_table_full_drops_syn(void **state)
{
	struct toe_ref_cfg c;
	struct toe_ref_stats st;

	kit_cfg(&c);
	c.max_conns = 2;
	struct toe_ref *r = kit_renew(state, &c);
	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	for (int i = 0; i < 3; i++) {
		struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

		s.src_port = (uint16_t)(KIT_RPORT + i);
		toe_ref_input(r, &s, 0);
	}
	assert_int_equal(toe_ref_pop_out(r, &(struct toe_ref_out){ 0 }), 1);
	assert_int_equal(toe_ref_pop_out(r, &(struct toe_ref_out){ 0 }), 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 2);
	toe_ref_stats(r, &st);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				      KIT_RPORT + 2), -1);
	/* a connect is refused the same way */
	assert_int_equal(toe_ref_connect(r, 1000, KIT_REMOTE_IP, 80, 0),
			 TOE_REF_ENOMEM);
	kit_expect_nothing(r);
}

/* A 65536-entry table fills, finds every tuple through the hash, drops
 * the next SYN, and reuses the lowest freed id. */
static void test_HS_listen_65536_conns_fill_table(void **state)
{
	struct toe_ref_cfg c;
	struct toe_ref_out o;
	const uint32_t n = 65536;

	kit_cfg(&c);
	c.max_conns = n;
	struct toe_ref *r = kit_renew(state, &c);
	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	for (uint32_t i = 0; i < n; i++) {
		struct toe_seg s = kit_seg(TOE_TCP_SYN, i * 7u, 0);

		s.src_ip = 0x0A000000u + (i >> 10);
		s.src_port = (uint16_t)(1024 + (i & 1023));
		toe_ref_input(r, &s, i);
		assert_int_equal(toe_ref_pop_out(r, &o), 1);
		assert_int_equal(o.conn, (int)i);
		assert_int_equal(o.seg.ack, i * 7u + 1);
	}
	assert_int_equal(toe_ref_conn_count(r), n);
	assert_int_equal(toe_ref_lost(r), 0);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT,
					      0x0A000000u + (i >> 10),
					      (uint16_t)(1024 + (i & 1023))),
				 (int)i);
	/* full: the next SYN is dropped silently */
	kit_in(r, TOE_TCP_SYN, 1, 0, n);
	kit_expect_nothing(r);
	/* free 40000 and 30000; the next SYN takes 30000 */
	assert_int_equal(toe_ref_abort(r, 40000, n), TOE_REF_OK);
	assert_int_equal(toe_ref_abort(r, 30000, n), TOE_REF_OK);
	/* abort in SYN-RECEIVED: <SEQ=SND.NXT><CTL=RST> (RG-04) */
	assert_int_equal(toe_ref_pop_out(r, &o), 1);
	assert_int_equal(o.seg.flags, TOE_TCP_RST);
	assert_int_equal(o.conn, 40000);
	assert_int_equal(o.seg.dst_port, 1024 + (40000 & 1023));
	assert_int_equal(toe_ref_pop_out(r, &o), 1);
	assert_int_equal(o.seg.flags, TOE_TCP_RST);
	assert_int_equal(o.conn, 30000);
	kit_in(r, TOE_TCP_SYN, 1, 0, n);
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
			   toe_ref_isn(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				       KIT_RPORT, n), 2);
	assert_int_equal(o.conn, 30000);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP,
				      KIT_RPORT), 30000);
	assert_int_equal(toe_ref_conn_count(r), n - 1);
}

/* toe_ref_input_frame: a good frame is a segment; a bad TCP checksum is
 * dropped silently and counted by reason (CK-01). */
static void test_HS_listen_frame_input_and_bad_csum(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;
	static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };
	struct toe_ip_meta ip = { .ttl = 64, .df = true, .id = 1 };
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);
	uint8_t fr[128];

	s.opt.has_mss = true;
	s.opt.mss = 1400;
	int n = toe_build_frame(fr, sizeof(fr), mac_a, mac_b, &ip, &s);
	assert_true(n >= 60);
	/* corrupt one payload-free header byte (the window) */
	fr[TOE_ETH_HLEN + TOE_IPV4_HLEN + 14] ^= 0x01;
	assert_int_equal(toe_ref_input_frame(r, fr, (size_t)n, 0),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	toe_ref_stats(r, &st);
	assert_int_equal(st.parse_drops[-TOE_PERR_TCP_CSUM], 1);
	assert_int_equal(toe_ref_conn_count(r), 0);
	fr[TOE_ETH_HLEN + TOE_IPV4_HLEN + 14] ^= 0x01;
	toe_ref_pin_isn(r, KIT_ISS);
	assert_int_equal(toe_ref_input_frame(r, fr, (size_t)n, 1), TOE_PARSE_OK);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	struct toe_ref_conn_info ci;
	assert_int_equal(toe_ref_conn_info(r, 0, &ci), TOE_REF_OK);
	assert_int_equal(ci.peer_mss, 1400);
}

/* Segments for another local address are dropped (counted). */
static void test_HS_listen_other_ip_dropped(void **state)
{
	struct toe_ref *r = *state;
	struct toe_ref_stats st;
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.dst_ip = KIT_LOCAL_IP + 1;
	toe_ref_input(r, &s, 0);
	s.flags = TOE_TCP_ACK;
	toe_ref_input(r, &s, 0);
	kit_expect_nothing(r);
	toe_ref_stats(r, &st);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(toe_ref_conn_count(r), 0);
}

/* Listener API: duplicates, unlisten. */
static void test_HS_listen_api_errors(void **state)
{
	struct toe_ref *r = *state;

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_EADDRINUSE);
	assert_int_equal(toe_ref_listen(r, 0), TOE_REF_EINVAL);
	assert_int_equal(toe_ref_unlisten(r, 81), TOE_REF_ENOTCONN);
	assert_int_equal(toe_ref_unlisten(r, KIT_LPORT), TOE_REF_OK);
	/* now the port is closed: SYN gets RST,ACK */
	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, 0);
	kit_expect_seg(r, TOE_TCP_RST | TOE_TCP_ACK, 0, KIT_IRS + 1);
	kit_expect_nothing(r);
	for (int i = 0; i < 4; i++)
		assert_int_equal(toe_ref_listen(r, (uint16_t)(1000 + i)), TOE_REF_OK);
	assert_int_equal(toe_ref_listen(r, 2000), TOE_REF_ENOMEM);
}

#define T(f) cmocka_unit_test_setup_teardown(f, kit_setup_listen, kit_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ISN_fixed_key_tuple_time_matches_siphash),
		T(test_ISN_default_clock_divides_by_625),
		T(test_HS01_listen_syn_sends_synack_with_mss),
		T(test_HS01_listen_syn_iss_is_rfc6528),
		T(test_HS01_listen_syn_with_data_acks_syn_only),
		T(test_HS01_listen_syn_without_mss_uses_536),
		T(test_HS01_closed_port_syn_gets_rst_ack),
		T(test_HS01_listen_syn_peer_mss_clamped),
		T(test_HS02_listen_rst_ignored),
		T(test_HS03_listen_bare_ack_sends_rst),
		T(test_HS03_listen_ack_with_data_or_fin_sends_rst),
		T(test_HS04_listen_synack_sends_rst),
		T(test_HS05_listen_fin_or_no_flags_dropped),
		T(test_HS06_synrcvd_ack_establishes),
		T(test_HS06_listen_syn_then_ack_establishes),
		T(test_HS06_synrcvd_ack_with_data_delivers_and_acks),
		T(test_HS06_synrcvd_ack_with_fin_goes_close_wait),
		T(test_HS07_synrcvd_bad_ack_sends_rst_stays),
		T(test_HS08_synrcvd_rst_back_to_listen_silently),
		T(test_HS08_synrcvd_rst_ack_back_to_listen),
		T(test_HS09_synrcvd_synack_retransmitted_with_backoff),
		T(test_HS09_synrcvd_ack_stops_synack_timer),
		T(test_HS09_synrcvd_retransmitted_syn_gets_challenge_ack),
		T(test_HS10_synrcvd_passive_acceptable_syn_back_to_listen),
		T(test_HS_listen_many_peers_get_lowest_ids),
		T(test_HS_listen_table_full_drops_syn),
		T(test_HS_listen_65536_conns_fill_table),
		T(test_HS_listen_frame_input_and_bad_csum),
		T(test_HS_listen_other_ip_dropped),
		T(test_HS_listen_api_errors),
	};

	return cmocka_run_group_tests_name("ref_hs", tests, NULL, NULL);
}
