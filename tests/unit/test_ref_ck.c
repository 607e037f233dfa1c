/* SPDX-License-Identifier: MIT */
/*
 * test_ref_ck.c - reference stack, checksums (CK-01): frames with a bad
 * IPv4 or TCP checksum are dropped silently by toe_ref_input_frame (MUST-3:
 * "the receiver MUST check it"), and every segment the stack emits, framed
 * by toe_build_frame, carries checksums that verify (MUST-2) - checked with
 * the codec's toe_ipv4_csum / toe_tcp_csum, with an RFC 1071 sum written
 * here, and against the seed capture's frame 2.
 */
#include "refkit.h"
#include "seed.h"

#include <string.h>

#define OFF_IP TOE_ETH_HLEN                 /* IPv4 header */
#define OFF_IP_CSUM (OFF_IP + 10)
#define OFF_TCP (OFF_IP + TOE_IPV4_HLEN)    /* TCP header (no IP options) */
#define OFF_TCP_CSUM (OFF_TCP + 16)

static const uint8_t mac_peer[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_us[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* A frame from the kit peer to us carrying segment s. */
static int peer_frame(uint8_t *buf, size_t cap, const struct toe_seg *s)
{
	struct toe_ip_meta ip = { 0, 64, true, 0x2222 };
	int n = toe_build_frame(buf, cap, mac_us, mac_peer, &ip, s);

	assert_true(n >= TOE_ETH_MIN_FRAME);
	return n;
}

static uint64_t parse_drops(const struct toe_ref *r, int result)
{
	struct toe_ref_stats st;

	toe_ref_stats(r, &st);
	return st.parse_drops[-result];
}

/* RFC 1071 ones'-complement sum of big-endian 16-bit words, unfolded. */
static uint32_t rfc1071_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t rfc1071_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

/* True if the IPv4 header and TCP checksums of an untagged frame verify
 * with the sum above (a correct packet sums to 0xFFFF). */
static bool frame_sums_ok(const uint8_t *f)
{
	uint16_t tot = (uint16_t)(f[OFF_IP + 2] << 8 | f[OFF_IP + 3]);
	size_t tcp_len = (size_t)tot - TOE_IPV4_HLEN;
	uint8_t pseudo[12];

	if (rfc1071_fold(rfc1071_add(0, f + OFF_IP, TOE_IPV4_HLEN)) != 0xFFFF)
		return false;
	memcpy(pseudo, f + OFF_IP + 12, 8); /* src, dst */
	pseudo[8] = 0;
	pseudo[9] = TOE_IPPROTO_TCP;
	pseudo[10] = (uint8_t)(tcp_len >> 8);
	pseudo[11] = (uint8_t)tcp_len;
	uint32_t sum = rfc1071_add(0, pseudo, sizeof(pseudo));
	sum = rfc1071_add(sum, f + OFF_TCP, tcp_len);
	return rfc1071_fold(sum) == 0xFFFF;
}

/* ---- received frames with bad checksums -------------------------------- */

/* LISTEN + SYN frame whose TCP checksum has one bit flipped: no SYN-ACK,
 * no connection, counted as tcp_csum. The same frame repaired is answered
 * (so the drop is the checksum's doing). */
static void test_CK01_listen_syn_frame_bad_tcp_csum_dropped_silently(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct toe_ref *r = kit_new_listen();
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.opt.has_mss = true;
	s.opt.mss = 1460;
	int n = peer_frame(buf, sizeof(buf), &s);
	buf[OFF_TCP_CSUM + 1] ^= 0x01;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(parse_drops(r, TOE_PERR_TCP_CSUM), 1);

	buf[OFF_TCP_CSUM + 1] ^= 0x01;
	toe_ref_pin_isn(r, KIT_ISS);
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(2)),
			 TOE_PARSE_OK);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 1);
	assert_int_equal(parse_drops(r, TOE_PERR_TCP_CSUM), 1);
	toe_ref_free(r);
}

/* The same with the IPv4 header checksum. */
static void test_CK01_listen_syn_frame_bad_ip_csum_dropped_silently(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct toe_ref *r = kit_new_listen();
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);
	int n = peer_frame(buf, sizeof(buf), &s);

	buf[OFF_IP_CSUM] ^= 0x01;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_IP_CSUM);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	assert_int_equal(parse_drops(r, TOE_PERR_IP_CSUM), 1);
	assert_int_equal(parse_drops(r, TOE_PERR_TCP_CSUM), 0);
	toe_ref_free(r);
}

/* ESTABLISHED + data frame with a corrupted payload byte (the checksum no
 * longer matches): no ACK, no RX_DATA, RCV.NXT unchanged; the intact frame
 * is then delivered and ACKed. */
static void test_CK01_established_data_frame_bad_csum_no_ack_no_data(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1,
				   KIT_ISS + 1);
	struct toe_ref_conn_info i;

	s.data = kit_payload();
	s.len = 33;
	int n = peer_frame(buf, sizeof(buf), &s);
	buf[OFF_TCP + TOE_TCP_HLEN + 7] ^= 0x20;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_info(r, c, &i), TOE_REF_OK);
	assert_int_equal(i.state, TOE_ST_ESTABLISHED);
	assert_int_equal(i.rcv_nxt, KIT_IRS + 1);

	buf[OFF_TCP + TOE_TCP_HLEN + 7] ^= 0x20;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(2)),
			 TOE_PARSE_OK);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(ev.len, 33);
	assert_memory_equal(ev.data, kit_payload(), 33);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 34);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* No TCB: a bad-checksum ACK gets no RST (it is not a segment at all);
 * the good one gets RG-01's RST. */
static void test_CK01_no_tcb_ack_frame_bad_csum_no_rst(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new(NULL);
	struct toe_seg s = kit_seg(TOE_TCP_ACK, 1000, 2000);
	int n = peer_frame(buf, sizeof(buf), &s);

	buf[OFF_TCP_CSUM] ^= 0x80;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	toe_ref_stats(r, &st);
	assert_int_equal(st.rst_out, 0);

	buf[OFF_TCP_CSUM] ^= 0x80;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(2)),
			 TOE_PARSE_OK);
	kit_expect_seg(r, TOE_TCP_RST, 2000, 0);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* ESTABLISHED + exact RST with a bad checksum: the connection survives
 * (a forged/corrupt RST must not reset); the good one resets. */
static void test_CK01_established_rst_frame_bad_csum_conn_survives(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_RST | TOE_TCP_ACK, KIT_IRS + 1,
				   KIT_ISS + 1);
	int n = peer_frame(buf, sizeof(buf), &s);

	buf[OFF_TCP_CSUM + 1] ^= 0x04;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);

	buf[OFF_TCP_CSUM + 1] ^= 0x04;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(2)),
			 TOE_PARSE_OK);
	kit_expect_no_seg(r);
	kit_expect_event(r, TOE_EV_RESET, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);
	toe_ref_free(r);
}

/* ESTABLISHED + FIN with a bad IP checksum: no PEER_FIN, no ACK. */
static void test_CK01_established_fin_frame_bad_ip_csum_state_unchanged(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 1,
				   KIT_ISS + 1);
	int n = peer_frame(buf, sizeof(buf), &s);

	buf[OFF_IP_CSUM + 1] ^= 0x10;
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_IP_CSUM);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
	toe_ref_free(r);
}

/* Seed frame 1 (a real SYN) with its TCP checksum off by one bit, to a
 * stack that is 131.107.2.211 listening on 139: dropped. */
static void seed_cfg(struct toe_ref_cfg *cfg)
{
	kit_cfg(cfg);
	cfg->local_ip = (131u << 24) | (107u << 16) | (2u << 8) | 211u;
	cfg->ttl = 128;
	cfg->df = true;
	cfg->ip_id_init = 0x5B00;
	cfg->rcv_wnd = 8760;
	cfg->syn_wnd = 0;
	cfg->mtu = 1500;
}

static void test_CK01_seed_syn_bad_csum_dropped_silently(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;
	uint8_t f[SEED_MAX];
	size_t n;
	const uint8_t *f1 = seed_frame(1, &n);

	assert_non_null(f1);
	memcpy(f, f1, n);
	seed_cfg(&cfg);
	struct toe_ref *r = kit_new(&cfg);
	assert_int_equal(toe_ref_listen(r, 139), TOE_REF_OK);

	f[OFF_TCP_CSUM + 1] ^= 0x01;
	assert_int_equal(toe_ref_input_frame(r, f, n, KIT_MS(1)),
			 TOE_PERR_TCP_CSUM);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_free(r);
}

/* The seed's README: "given frame 1, ISN 1109645, window 8760, MSS 1460,
 * TTL 128, DF and IP ID 0x5B00, a correct engine produces frame 2's IPv4
 * and TCP bytes exactly" - both checksums included. */
static void test_CK01_seed_syn_synack_frame_equals_seed_frame_2(void **state)
{
	(void)state;
	struct toe_ref_cfg cfg;
	uint8_t out[128];
	size_t n1, n2;
	const uint8_t *f1 = seed_frame(1, &n1);
	const uint8_t *f2 = seed_frame(2, &n2);

	assert_non_null(f1);
	assert_non_null(f2);
	seed_cfg(&cfg);
	struct toe_ref *r = kit_new(&cfg);
	assert_int_equal(toe_ref_listen(r, 139), TOE_REF_OK);
	toe_ref_pin_isn(r, 1109645u);
	assert_int_equal(toe_ref_input_frame(r, f1, n1, KIT_MS(1)), TOE_PARSE_OK);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      1109645u, 8221823u);
	kit_expect_nothing(r);

	/* frame 2's MACs: destination first, then source */
	int n = toe_build_frame(out, sizeof(out), f2, f2 + 6, &o.ip, &o.seg);
	assert_int_equal(n, 60);
	const size_t ip_tcp = TOE_IPV4_HLEN + TOE_TCP_HLEN + 4; /* 44 */
	assert_memory_equal(out, f2, TOE_ETH_HLEN + ip_tcp);
	assert_true(frame_sums_ok(out));
	toe_ref_free(r);
}

/* ---- emitted segments carry valid checksums ---------------------------- */

/* Frame one emitted segment and check: both codec checksums verify to 0,
 * the RFC 1071 sum here agrees, the frame parses back to the same
 * segment, and flipping one bit breaks the check (so it can fail). */
static void verify_out(const struct toe_ref_out *o)
{
	uint8_t buf[256];
	struct toe_frame f;
	char fl[9];

	print_message("verify [%s] seq=%u ack=%u\n", kit_flags_str(o->seg.flags, fl),
		      o->seg.seq, o->seg.ack);
	int n = toe_build_frame(buf, sizeof(buf), mac_peer, mac_us, &o->ip, &o->seg);
	assert_true(n >= TOE_ETH_MIN_FRAME);
	assert_int_equal(toe_ipv4_csum(buf + OFF_IP, TOE_IPV4_HLEN), 0);
	uint16_t tot = (uint16_t)(buf[OFF_IP + 2] << 8 | buf[OFF_IP + 3]);
	size_t tcp_len = (size_t)tot - TOE_IPV4_HLEN;
	assert_int_equal(toe_tcp_csum(o->seg.src_ip, o->seg.dst_ip, buf + OFF_TCP,
				      tcp_len), 0);
	assert_true(frame_sums_ok(buf));

	assert_int_equal(toe_parse_frame(buf, (size_t)n, &f), TOE_PARSE_OK);
	assert_int_equal(f.seg.src_ip, o->seg.src_ip);
	assert_int_equal(f.seg.dst_ip, o->seg.dst_ip);
	assert_int_equal(f.seg.src_port, o->seg.src_port);
	assert_int_equal(f.seg.dst_port, o->seg.dst_port);
	assert_int_equal(f.seg.flags, o->seg.flags);
	assert_int_equal(f.seg.seq, o->seg.seq);
	assert_int_equal(f.seg.ack, o->seg.ack);
	assert_int_equal(f.seg.win, o->seg.win);
	assert_int_equal(f.seg.opt.has_mss, o->seg.opt.has_mss);
	assert_int_equal(f.ip.id, o->ip.id);
	assert_int_equal(f.ip.ttl, o->ip.ttl);
	assert_int_equal(f.ip.df, o->ip.df);

	buf[OFF_TCP + 4] ^= 0x01; /* a bit of SEQ */
	assert_false(frame_sums_ok(buf));
	assert_int_not_equal(toe_tcp_csum(o->seg.src_ip, o->seg.dst_ip,
					  buf + OFF_TCP, tcp_len), 0);
}

/* Pop the next segment, check its kind, verify its checksums. */
static uint16_t expect_verified(struct toe_ref *r, uint8_t flags, uint32_t seq,
				uint32_t ack)
{
	struct toe_ref_out o = kit_expect_seg(r, flags, seq, ack);

	verify_out(&o);
	return o.ip.id;
}

/* Every kind of segment the stack sends: SYN-ACK, ACK, challenge ACK, RST
 * (no TCB), RST-ACK (no TCB), SYN, retransmitted SYN, FIN-ACK, RST
 * (abort), retransmitted FIN. IP IDs run 0x1000, 0x1001, ... */
static void test_CK01_emitted_segments_checksums_verify(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();
	uint16_t id = KIT_IP_ID_INIT;

	toe_ref_pin_isn(r, KIT_ISS);
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);
	s.opt.has_mss = true;
	s.opt.mss = 1400;
	toe_ref_input(r, &s, KIT_MS(1));
	assert_int_equal(expect_verified(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS,
					 KIT_IRS + 1), id++);
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(2));
	int c = toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT);
	assert_true(c >= 0);
	kit_expect_event(r, TOE_EV_ESTABLISHED, c);

	kit_in_data(r, TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1, KIT_ISS + 1, 7,
		    KIT_MS(3));
	kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(expect_verified(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 8),
			 id++);

	kit_in(r, TOE_TCP_RST, KIT_IRS + 20, 0, KIT_MS(4)); /* challenge */
	assert_int_equal(expect_verified(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 8),
			 id++);

	s = kit_seg(TOE_TCP_ACK, 5, 0xDEADBEEFu);
	s.src_port = 1234;
	toe_ref_input(r, &s, KIT_MS(5));
	assert_int_equal(expect_verified(r, TOE_TCP_RST, 0xDEADBEEFu, 0), id++);

	s = kit_seg(TOE_TCP_SYN, 0xFFFFFFFEu, 0);
	s.dst_port = 81;
	toe_ref_input(r, &s, KIT_MS(6));
	assert_int_equal(expect_verified(r, TOE_TCP_RST | TOE_TCP_ACK, 0,
					 0xFFFFFFFFu), id++);

	toe_ref_pin_isn(r, 0xFFFFFFF0u);
	int a = toe_ref_connect(r, 5000, KIT_REMOTE_IP, 40001, KIT_MS(7));
	assert_true(a >= 0);
	assert_int_equal(expect_verified(r, TOE_TCP_SYN, 0xFFFFFFF0u, 0), id++);

	assert_int_equal(toe_ref_close(r, c, KIT_MS(8)), TOE_REF_OK);
	assert_int_equal(expect_verified(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1,
					 KIT_IRS + 8), id++);
	kit_expect_nothing(r);

	/* SYN retransmission (connect at 7 ms + 1 s) comes before the FIN's
	 * (close at 8 ms + 1 s) */
	toe_ref_advance(r, KIT_MS(8) + KIT_S(1));
	assert_int_equal(expect_verified(r, TOE_TCP_SYN, 0xFFFFFFF0u, 0), id++);
	assert_int_equal(expect_verified(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1,
					 KIT_IRS + 8), id++);
	kit_expect_nothing(r);

	assert_int_equal(toe_ref_abort(r, c, KIT_S(2)), TOE_REF_OK);
	assert_int_equal(expect_verified(r, TOE_TCP_RST, KIT_ISS + 2, 0), id++);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_CK01_listen_syn_frame_bad_tcp_csum_dropped_silently),
		cmocka_unit_test(test_CK01_listen_syn_frame_bad_ip_csum_dropped_silently),
		cmocka_unit_test(test_CK01_established_data_frame_bad_csum_no_ack_no_data),
		cmocka_unit_test(test_CK01_no_tcb_ack_frame_bad_csum_no_rst),
		cmocka_unit_test(test_CK01_established_rst_frame_bad_csum_conn_survives),
		cmocka_unit_test(test_CK01_established_fin_frame_bad_ip_csum_state_unchanged),
		cmocka_unit_test(test_CK01_seed_syn_bad_csum_dropped_silently),
		cmocka_unit_test(test_CK01_seed_syn_synack_frame_equals_seed_frame_2),
		cmocka_unit_test(test_CK01_emitted_segments_checksums_verify),
	};

	return cmocka_run_group_tests_name("ref_ck", tests, NULL, NULL);
}
