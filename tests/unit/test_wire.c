/* SPDX-License-Identifier: MIT */
/*
 * test_wire.c - the packet codec (host/pkt/wire.c, pcap_io.c) against the
 * seven seed frames of KB 172983, hand-made malformed frames, and a seeded
 * mutation fuzz loop (run it under SAN=1 to prove no out-of-bounds read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "seed.h"
#include "test_rng.h"
#include "toe_bytes.h"
#include "toe_wire.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/*
 * Expected field values, typed from the seed README table / the article.
 * TTL, DF and IP ID of frames 3 and 7 are not in the table; they were read
 * by hand off the hex dumps (IP bytes 4-8).
 */
struct seed_expect {
	uint32_t src_ip, dst_ip;
	uint16_t sport, dport;
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t win;
	bool has_mss;
	uint16_t mss;
	uint16_t ip_id;
	uint8_t ttl;
	bool df;
	uint16_t ip_total_len; /* 20 + 20 (+ 4 for the MSS option) */
	uint64_t ts_usec;      /* article's time column */
};

static const struct seed_expect expect[SEED_N] = {
	{ IP4(131, 107, 2, 214), IP4(131, 107, 2, 211), 1037, 139,
	  TOE_TCP_SYN, 8221822u, 0u, 8192, true, 1460,
	  0x0D01, 128, true, 44, 2078500 },
	{ IP4(131, 107, 2, 211), IP4(131, 107, 2, 214), 139, 1037,
	  TOE_TCP_SYN | TOE_TCP_ACK, 1109645u, 8221823u, 8760, true, 1460,
	  0x5B00, 128, true, 44, 2078600 },
	{ IP4(131, 107, 2, 214), IP4(131, 107, 2, 211), 1037, 139,
	  TOE_TCP_ACK, 8221823u, 1109646u, 8760, false, 0,
	  0x0E01, 128, true, 40, 2787000 },
	{ IP4(192, 94, 222, 123), IP4(192, 94, 222, 87), 2337, 1352,
	  TOE_TCP_FIN | TOE_TCP_ACK, 186685100u, 3462835714u, 8760, false, 0,
	  0x9BF5, 128, true, 40, 16027900 },
	{ IP4(192, 94, 222, 87), IP4(192, 94, 222, 123), 1352, 2337,
	  TOE_TCP_ACK, 3462835714u, 186685101u, 28672, false, 0,
	  0xD282, 63, false, 40, 16028100 },
	{ IP4(192, 94, 222, 87), IP4(192, 94, 222, 123), 1352, 2337,
	  TOE_TCP_FIN | TOE_TCP_ACK, 3462835714u, 186685101u, 28672, false, 0,
	  0xD294, 63, false, 40, 17008500 },
	{ IP4(192, 94, 222, 123), IP4(192, 94, 222, 87), 2337, 1352,
	  TOE_TCP_ACK, 186685101u, 3462835715u, 8760, false, 0,
	  0xBAF5, 128, true, 40, 17008500 },
};

/* Captured frame lengths: 1-3, 5, 6 padded to 60; 4 and 7 are 54. */
static const size_t expect_len[SEED_N] = { 60, 60, 60, 54, 60, 60, 54 };

static uint8_t seed[SEED_N][SEED_MAX];
static size_t seed_len[SEED_N];

static int group_setup(void **state)
{
	(void)state;
	return seed_load(seed, seed_len);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

/* Parse a copy in a heap block of exactly len bytes, so ASan sees any read
 * past the end. *f's pointers are dead afterwards. */
static int parse_exact(const uint8_t *buf, size_t len, struct toe_frame *f)
{
	uint8_t *b = malloc(len ? len : 1);
	int rc;

	assert_non_null(b);
	if (len)
		memcpy(b, buf, len);
	rc = toe_parse_frame(b, len, f);
	free(b);
	return rc;
}

static int parse_opts_exact(const uint8_t *p, size_t len,
			    struct toe_tcp_opts *o)
{
	uint8_t *b = malloc(len ? len : 1);
	int rc;

	assert_non_null(b);
	if (len)
		memcpy(b, p, len);
	rc = toe_parse_tcp_options(b, len, o);
	free(b);
	return rc;
}

/* Recompute the IPv4 header checksum of an Ethernet frame in place. */
static void fix_ip_csum(uint8_t *fr)
{
	size_t ihl = (size_t)(fr[14] & 0x0f) * 4;

	toe_put_be16(fr + 24, 0);
	toe_put_be16(fr + 24, toe_ipv4_csum(fr + 14, ihl));
}

/* Recompute the TCP checksum (IP header and total length taken as they are). */
static void fix_tcp_csum(uint8_t *fr)
{
	size_t ihl = (size_t)(fr[14] & 0x0f) * 4;
	size_t tcp_len = toe_get_be16(fr + 16) - ihl;
	uint8_t *tcp = fr + 14 + ihl;

	toe_put_be16(tcp + 16, 0);
	toe_put_be16(tcp + 16, toe_tcp_csum(toe_get_be32(fr + 26),
					    toe_get_be32(fr + 30), tcp, tcp_len));
}

/* Work copy of seed frame n (1..7). */
static size_t copy_seed(int n, uint8_t *out)
{
	memcpy(out, seed[n - 1], seed_len[n - 1]);
	return seed_len[n - 1];
}

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

/* A segment template: frame 3's addresses, an ACK, no options. */
static struct toe_seg seg_template(void)
{
	struct toe_seg s;

	memset(&s, 0, sizeof(s));
	s.src_ip = IP4(10, 0, 0, 1);
	s.dst_ip = IP4(10, 0, 0, 2);
	s.src_port = 40000;
	s.dst_port = 80;
	s.seq = 1000;
	s.ack = 2000;
	s.flags = TOE_TCP_ACK;
	s.win = 8760;
	return s;
}

static const struct toe_ip_meta meta_template = { 0, 64, true, 0x1234 };

/* Build a frame whose TCP option list is opts[0..n) (EOL-padded by the
 * builder); returns its length. */
static int build_with_opts(const uint8_t *opts, uint8_t n, uint8_t *out,
			   size_t cap)
{
	struct toe_seg s = seg_template();

	s.opt_raw = opts;
	s.opt_raw_len = n;
	return toe_build_frame(out, cap, mac_a, mac_b, &meta_template, &s);
}

/* ------------------------------------------------------------------ */
/* Seed frames                                                        */
/* ------------------------------------------------------------------ */

static void test_seed_hex_load_seven_frames(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SEED_N; i++)
		assert_int_equal(seed_len[i], expect_len[i]);
	/* First and last bytes of frame 1, typed from its hex dump. */
	assert_int_equal(seed[0][0], 0x02);
	assert_int_equal(seed[0][59], 0x20);
	assert_int_equal(seed[6][53], 0x00);
}

static void test_seed_parse_fields_match_table(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SEED_N; i++) {
		const struct seed_expect *e = &expect[i];
		struct toe_frame f;

		print_message("frame %d\n", i + 1);
		assert_int_equal(toe_parse_frame(seed[i], seed_len[i], &f),
				 TOE_PARSE_OK);
		assert_int_equal(f.ethertype, TOE_ETHERTYPE_IPV4);
		assert_memory_equal(f.dst_mac, seed[i], 6);
		assert_memory_equal(f.src_mac, seed[i] + 6, 6);
		assert_int_equal(f.seg.src_ip, e->src_ip);
		assert_int_equal(f.seg.dst_ip, e->dst_ip);
		assert_int_equal(f.seg.src_port, e->sport);
		assert_int_equal(f.seg.dst_port, e->dport);
		assert_int_equal(f.seg.flags, e->flags);
		assert_int_equal(f.seg.seq, e->seq);
		assert_int_equal(f.seg.ack, e->ack);
		assert_int_equal(f.seg.win, e->win);
		assert_int_equal(f.seg.urg, 0);
		assert_int_equal(f.seg.opt.has_mss, e->has_mss);
		if (e->has_mss)
			assert_int_equal(f.seg.opt.mss, e->mss);
		assert_false(f.seg.opt.has_wscale);
		assert_false(f.seg.opt.sack_perm);
		assert_false(f.seg.opt.has_ts);
		assert_int_equal(f.seg.opt.n_unknown, 0);
		assert_int_equal(f.ip.id, e->ip_id);
		assert_int_equal(f.ip.ttl, e->ttl);
		assert_int_equal(f.ip.df, e->df);
		assert_int_equal(f.ip.tos, 0);
		assert_int_equal(f.ip_ihl, 5);
		assert_int_equal(f.ip_total_len, e->ip_total_len);
		assert_int_equal(f.tcp_doff, e->has_mss ? 6 : 5);
		assert_int_equal(f.seg.opt_raw_len, e->has_mss ? 4 : 0);
		assert_ptr_equal(f.seg.opt_raw, seed[i] + 14 + 20 + 20);
		/* Network Monitor's "len: 4" on a SYN is the MSS option; the
		 * payload is empty in every seed frame. */
		assert_int_equal(f.seg.len, 0);
		assert_ptr_equal(f.seg.data, seed[i] + 14 + e->ip_total_len);
	}
}

/* Frame 6's padding happens to read 02 04 05 b4: it is beyond the IP total
 * length, so it is not an MSS option. */
static void test_seed_frame6_padding_ignored(void **state)
{
	struct toe_frame f;

	(void)state;
	assert_memory_equal(seed[5] + 54, "\x02\x04\x05\xb4", 4);
	assert_int_equal(toe_parse_frame(seed[5], seed_len[5], &f), TOE_PARSE_OK);
	assert_false(f.seg.opt.has_mss);
	assert_int_equal(f.seg.len, 0);
}

static void test_seed_checksums_verify_and_recompute(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SEED_N; i++) {
		uint8_t w[SEED_MAX];
		const uint8_t *ip = seed[i] + 14;
		size_t tcp_len = expect[i].ip_total_len - 20;
		uint16_t ip_csum = toe_get_be16(ip + 10);
		uint16_t tcp_csum = toe_get_be16(ip + 20 + 16);

		print_message("frame %d\n", i + 1);
		assert_int_equal(toe_ipv4_csum(ip, 20), 0);
		assert_int_equal(toe_tcp_csum(expect[i].src_ip, expect[i].dst_ip,
					      ip + 20, tcp_len), 0);

		memcpy(w, seed[i], seed_len[i]);
		toe_put_be16(w + 14 + 10, 0);
		toe_put_be16(w + 14 + 20 + 16, 0);
		assert_int_equal(toe_ipv4_csum(w + 14, 20), ip_csum);
		assert_int_equal(toe_tcp_csum(expect[i].src_ip, expect[i].dst_ip,
					      w + 14 + 20, tcp_len), tcp_csum);
	}
	/* Known values, typed from the hex dumps: frame 1 IP e14b, TCP f213;
	 * frame 2 IP 934c, TCP 012d. */
	assert_int_equal(toe_get_be16(seed[0] + 24), 0xe14b);
	assert_int_equal(toe_get_be16(seed[0] + 50), 0xf213);
	assert_int_equal(toe_get_be16(seed[1] + 24), 0x934c);
	assert_int_equal(toe_get_be16(seed[1] + 50), 0x012d);
}

/* RFC 1071 section 3's worked example: words 0001 f203 f4f5 f6f7 sum to
 * ddf2 (folded), checksum ~ddf2 = 220d. */
static void test_csum_rfc1071_example_matches(void **state)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(toe_csum_add(0, b, sizeof(b)), 0xddf2);
	assert_int_equal(toe_csum_fold(toe_csum_add(0, b, sizeof(b))), 0x220d);
	/* chained in two halves */
	assert_int_equal(toe_csum_add(toe_csum_add(0, b, 4), b + 4, 4), 0xddf2);
	/* odd length: last byte is the high byte of a zero-padded word */
	assert_int_equal(toe_csum_add(0, b, 7), (0xddf2 - 0xf7 + 0) & 0xffff);
}

static void test_seed_build_from_parsed_reproduces_bytes(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SEED_N; i++) {
		struct toe_frame f;
		uint8_t out[TOE_ETH_MAX_FRAME];
		size_t ip_end = 14 + expect[i].ip_total_len;
		size_t k;
		int n;

		print_message("frame %d\n", i + 1);
		assert_int_equal(toe_parse_frame(seed[i], seed_len[i], &f),
				 TOE_PARSE_OK);
		n = toe_build_frame(out, sizeof(out), f.dst_mac, f.src_mac,
				    &f.ip, &f.seg);
		assert_int_equal(n, TOE_ETH_MIN_FRAME);
		/* Ethernet header, IPv4 and TCP bytes exactly */
		assert_memory_equal(out, seed[i], ip_end);
		/* our padding is zeros (the capture's is 0x20 or junk) */
		for (k = ip_end; k < (size_t)n; k++)
			assert_int_equal(out[k], 0);
	}
}

/* The README: given frame 1, ISN 1109645, window 8760, MSS 1460, TTL 128,
 * DF and IP ID 0x5B00, a passive opener sends frame 2. Build it from those
 * numbers alone (MSS through opt.has_mss, not raw bytes). */
static void test_build_synack_from_table_matches_frame2(void **state)
{
	struct toe_ip_meta m = { 0, 128, true, 0x5B00 };
	struct toe_seg s;
	uint8_t out[TOE_ETH_MAX_FRAME];
	int n;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.src_ip = IP4(131, 107, 2, 211);
	s.dst_ip = IP4(131, 107, 2, 214);
	s.src_port = 139;
	s.dst_port = 1037;
	s.seq = 1109645;
	s.ack = 8221822 + 1;
	s.flags = TOE_TCP_SYN | TOE_TCP_ACK;
	s.win = 8760;
	s.opt.has_mss = true;
	s.opt.mss = 1460;
	n = toe_build_frame(out, sizeof(out), seed[0] + 6, seed[0], &m, &s);
	assert_int_equal(n, 60);
	assert_memory_equal(out, seed[1], 14 + 44);
	assert_int_equal(out[58], 0);
	assert_int_equal(out[59], 0);
}

static void test_build_payload_parse_back_equal(void **state)
{
	static const char msg[] = "GET / HTTP/1.0\r\n\r\n";
	struct toe_seg s = seg_template();
	struct toe_frame f;
	uint8_t out[TOE_ETH_MAX_FRAME];
	int n;

	(void)state;
	s.flags = TOE_TCP_ACK | TOE_TCP_PSH;
	s.data = (const uint8_t *)msg;
	s.len = (uint16_t)strlen(msg);
	s.opt.has_mss = true;
	s.opt.mss = 536;
	n = toe_build_frame(out, sizeof(out), mac_a, mac_b, &meta_template, &s);
	assert_int_equal(n, 14 + 20 + 24 + (int)strlen(msg));
	assert_int_equal(toe_parse_frame(out, (size_t)n, &f), TOE_PARSE_OK);
	assert_int_equal(f.seg.len, strlen(msg));
	assert_ptr_equal(f.seg.data, out + 14 + 20 + 24);
	assert_memory_equal(f.seg.data, msg, strlen(msg));
	assert_int_equal(f.seg.flags, TOE_TCP_ACK | TOE_TCP_PSH);
	assert_true(f.seg.opt.has_mss);
	assert_int_equal(f.seg.opt.mss, 536);
	assert_int_equal(f.ip_total_len, 20 + 24 + strlen(msg));
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PARSE_OK);
}

static void test_build_small_cap_or_long_opts_fails(void **state)
{
	struct toe_seg s = seg_template();
	uint8_t out[TOE_ETH_MAX_FRAME];
	uint8_t opts[41];

	(void)state;
	memset(opts, TOE_TCPOPT_NOP, sizeof(opts));
	/* a bare ACK needs 60 bytes (padding included) */
	assert_int_equal(toe_build_frame(out, 59, mac_a, mac_b, &meta_template, &s), -1);
	assert_int_equal(toe_build_frame(out, 60, mac_a, mac_b, &meta_template, &s), 60);
	/* 40 option bytes fit, 41 do not (even padded) */
	assert_int_equal(build_with_opts(opts, 40, out, sizeof(out)), 14 + 20 + 60);
	assert_int_equal(build_with_opts(opts, 41, out, sizeof(out)), -1);
	/* options padded with EOL to a multiple of 4 */
	assert_int_equal(build_with_opts(opts, 5, out, sizeof(out)), 14 + 20 + 28);
	assert_int_equal(out[14 + 20 + 12], 7 << 4);
	assert_memory_equal(out + 14 + 40, "\x01\x01\x01\x01\x01\x00\x00\x00", 8);
}

/* ------------------------------------------------------------------ */
/* pcap                                                               */
/* ------------------------------------------------------------------ */

static void test_pcap_read_seed_matches_hex(void **state)
{
	char err[256] = "";
	struct toe_pcap *p;
	const uint8_t *d;
	size_t len;
	uint64_t ts;
	int i;

	(void)state;
	p = toe_pcap_open_read(SEED_PCAP_PATH, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (i = 0; i < SEED_N; i++) {
		assert_int_equal(toe_pcap_next(p, &d, &len, &ts, err, sizeof(err)), 1);
		assert_int_equal(len, seed_len[i]);
		assert_memory_equal(d, seed[i], len);
		assert_int_equal(ts, expect[i].ts_usec);
	}
	assert_int_equal(toe_pcap_next(p, &d, &len, &ts, err, sizeof(err)), 0);
	toe_pcap_close(p);
}

static void tmp_path(char *buf, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(buf, n, "%s/test_wire_XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static void test_pcap_write_read_back_equal(void **state)
{
	char path[256], err[256] = "";
	struct toe_pcap *p;
	const uint8_t *d;
	size_t len;
	uint64_t ts;
	int i;

	(void)state;
	tmp_path(path, sizeof(path));
	p = toe_pcap_open_write(path, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (i = 0; i < SEED_N; i++)
		assert_int_equal(toe_pcap_write(p, seed[i], seed_len[i],
						1700000000000000ull + 1000003ull * (uint64_t)i), 0);
	toe_pcap_close(p);

	p = toe_pcap_open_read(path, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (i = 0; i < SEED_N; i++) {
		assert_int_equal(toe_pcap_next(p, &d, &len, &ts, err, sizeof(err)), 1);
		assert_int_equal(len, seed_len[i]);
		assert_memory_equal(d, seed[i], len);
		assert_int_equal(ts, 1700000000000000ull + 1000003ull * (uint64_t)i);
	}
	assert_int_equal(toe_pcap_next(p, &d, &len, &ts, err, sizeof(err)), 0);
	toe_pcap_close(p);
	unlink(path);
}

static void test_pcap_missing_file_null_names_file(void **state)
{
	char err[512] = "";
	struct toe_pcap *p;

	(void)state;
	p = toe_pcap_open_read(TOE_VECTORS_DIR "/no_such_file.pcap", err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "no_such_file.pcap"));

	err[0] = '\0';
	p = toe_pcap_open_write("/nonexistent-dir-toe/out.pcap", err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "/nonexistent-dir-toe/out.pcap"));
}

static void test_pcap_non_ethernet_linktype_refused(void **state)
{
	char path[256], err[256] = "";
	static const uint8_t pkt[20] = { 0x45 };
	struct pcap_pkthdr h;
	pcap_dumper_t *dump;
	pcap_t *pc;

	(void)state;
	tmp_path(path, sizeof(path));
	pc = pcap_open_dead(DLT_RAW, 65535);
	assert_non_null(pc);
	dump = pcap_dump_open(pc, path);
	assert_non_null(dump);
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = sizeof(pkt);
	pcap_dump((u_char *)dump, &h, pkt);
	pcap_dump_close(dump);
	pcap_close(pc);

	assert_null(toe_pcap_open_read(path, err, sizeof(err)));
	assert_non_null(strstr(err, "not Ethernet"));
	assert_non_null(strstr(err, path));
	unlink(path);
}

/* ------------------------------------------------------------------ */
/* Malformed frames                                                   */
/* ------------------------------------------------------------------ */

static void test_truncated_seed_cut_reason_matches(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < SEED_N; i++) {
		size_t full = 14 + expect[i].ip_total_len, cut;

		for (cut = 0; cut < seed_len[i]; cut++) {
			struct toe_frame f;
			int want, got;

			if (cut < 14)
				want = TOE_PERR_ETH_TRUNC;
			else if (cut < 14 + 20)
				want = TOE_PERR_IP_TRUNC;
			else if (cut < full)
				want = TOE_PERR_IP_LEN; /* total length > frame */
			else
				want = TOE_PARSE_OK;    /* only padding cut */
			got = parse_exact(seed[i], cut, &f);
			if (got != want)
				fail_msg("frame %d cut at %zu: got %s, want %s",
					 i + 1, cut, toe_parse_result_name(got),
					 toe_parse_result_name(want));
		}
	}
}

static void test_ethertype_arp_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(3, w);

	(void)state;
	toe_put_be16(w + 12, TOE_ETHERTYPE_ARP);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_ETHERTYPE);
	assert_int_equal(f.ethertype, TOE_ETHERTYPE_ARP);
}

static void test_ip_bad_csum_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n;

	(void)state;
	n = copy_seed(1, w);
	w[14 + 11] ^= 0x01; /* checksum field */
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_CSUM);
	n = copy_seed(5, w);
	w[14 + 8]--;        /* TTL changed, checksum not */
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_CSUM);
	n = copy_seed(4, w);
	w[14 + 15] ^= 0x80; /* source address */
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_CSUM);
}

static void test_tcp_bad_csum_dropped(void **state)
{
	static const uint8_t data[] = "0123456789";
	struct toe_seg s = seg_template();
	uint8_t out[TOE_ETH_MAX_FRAME];
	struct toe_frame f;
	int n;

	(void)state;
	s.data = data;
	s.len = 10;
	n = toe_build_frame(out, sizeof(out), mac_a, mac_b, &meta_template, &s);
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PARSE_OK);
	out[14 + 20 + 20 + 7] ^= 0x04; /* payload bit flip */
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PERR_TCP_CSUM);

	n = (int)copy_seed(2, out);
	out[14 + 20 + 7] ^= 0x01;     /* sequence number */
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PERR_TCP_CSUM);
	n = (int)copy_seed(7, out);
	out[14 + 20 + 13] |= TOE_TCP_RST; /* a flag */
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PERR_TCP_CSUM);
}

static void test_ip_version6_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(3, w);

	(void)state;
	w[14] = 0x65;
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_VERSION);
	w[14] = 0x05;
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_VERSION);
}

static void test_ip_ihl_below5_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(3, w);
	int ihl;

	(void)state;
	for (ihl = 0; ihl < 5; ihl++) {
		w[14] = (uint8_t)(0x40 | ihl);
		assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_IHL);
	}
}

static void test_ip_ihl_beyond_frame_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(4, w); /* 54 bytes: 40 after Ethernet */

	(void)state;
	w[14] = 0x4b; /* 44-byte header > 40 bytes of frame */
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_IHL);
	w[14] = 0x4f;
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_IHL);
}

/* Header fits the frame (padding), but is longer than the total length. */
static void test_ip_ihl_beyond_total_len_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(3, w); /* 60 bytes: 46 after Ethernet, total 40 */

	(void)state;
	w[14] = 0x4b; /* 44 > 40 */
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_LEN);
}

static void test_ip_total_len_bad_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n;

	(void)state;
	n = copy_seed(4, w); /* no padding: 41 > 40 */
	toe_put_be16(w + 16, 41);
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_LEN);
	n = copy_seed(3, w); /* padding: 47 > 46 available */
	toe_put_be16(w + 16, 47);
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_LEN);
	toe_put_be16(w + 16, 19);    /* shorter than the IP header */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_LEN);
}

static void test_ip_fragment_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n;

	(void)state;
	n = copy_seed(5, w);
	toe_put_be16(w + 20, 0x2000); /* MF */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_FRAG);
	toe_put_be16(w + 20, 0x0001); /* offset 8 bytes */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_FRAG);
	toe_put_be16(w + 20, 0x5000); /* DF + offset */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_FRAG);
	toe_put_be16(w + 20, 0x1fff); /* largest offset */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_FRAG);
	toe_put_be16(w + 20, 0x8000); /* reserved bit only: not a fragment */
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PARSE_OK);
}

static void test_ip_proto_udp_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(1, w);

	(void)state;
	w[14 + 9] = 17;
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_PROTO);
	w[14 + 9] = TOE_IPPROTO_ICMP;
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_IP_PROTO);
}

static void test_tcp_shorter_than_header_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n = copy_seed(3, w);

	(void)state;
	toe_put_be16(w + 16, 20 + 19);
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_TRUNC);
	toe_put_be16(w + 16, 20);
	fix_ip_csum(w);
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_TRUNC);
}

static void test_tcp_doff_bad_dropped(void **state)
{
	uint8_t w[SEED_MAX];
	struct toe_frame f;
	size_t n;
	int doff;

	(void)state;
	n = copy_seed(3, w);
	for (doff = 0; doff < 5; doff++) {
		w[14 + 20 + 12] = (uint8_t)(doff << 4);
		fix_tcp_csum(w);
		assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_DOFF);
	}
	/* 24-byte header in a 20-byte segment (the frame has padding) */
	w[14 + 20 + 12] = 6 << 4;
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_DOFF);
	n = copy_seed(1, w); /* 24-byte segment; 28-byte header claimed */
	w[14 + 20 + 12] = 7 << 4;
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_DOFF);
	w[14 + 20 + 12] = 15 << 4;
	assert_int_equal(parse_exact(w, n, &f), TOE_PERR_TCP_DOFF);
}

/* IHL 6 with one option word (NOP NOP NOP EOL) before the TCP header. */
static void test_ip_options_skipped_payload_right(void **state)
{
	static const char msg[] = "hello";
	struct toe_seg s = seg_template();
	uint8_t a[TOE_ETH_MAX_FRAME], w[TOE_ETH_MAX_FRAME];
	struct toe_frame f;
	int n;

	(void)state;
	s.data = (const uint8_t *)msg;
	s.len = 5;
	n = toe_build_frame(a, sizeof(a), mac_a, mac_b, &meta_template, &s);
	assert_int_equal(n, 60);
	/* 14+20+20+5 = 59 real bytes; insert 4 option bytes after the IP header */
	memcpy(w, a, 34);
	memcpy(w + 34, "\x01\x01\x01\x00", 4);
	memcpy(w + 38, a + 34, 25);
	w[14] = 0x46;
	toe_put_be16(w + 16, 24 + 25);
	fix_ip_csum(w); /* TCP checksum unchanged: same pseudo-header */
	assert_int_equal(parse_exact(w, 63, &f), TOE_PARSE_OK);
	assert_int_equal(toe_parse_frame(w, 63, &f), TOE_PARSE_OK);
	assert_int_equal(f.ip_ihl, 6);
	assert_int_equal(f.seg.src_port, 40000);
	assert_int_equal(f.seg.seq, 1000);
	assert_int_equal(f.seg.len, 5);
	assert_ptr_equal(f.seg.data, w + 14 + 24 + 20);
	assert_memory_equal(f.seg.data, msg, 5);
	assert_int_equal(f.seg.opt_raw_len, 0);
}

/* ------------------------------------------------------------------ */
/* TCP options                                                        */
/* ------------------------------------------------------------------ */

struct opt_case {
	const char *name;
	uint8_t len;
	uint8_t b[40];
};

static void test_tcp_opts_illegal_length_dropped(void **state)
{
	static const struct opt_case bad[] = {
		{ "unknown len 0", 4, { 0x22, 0, 1, 1 } },
		{ "unknown len 1", 4, { 0x22, 1, 1, 1 } },
		{ "unknown past end", 4, { 0x22, 6, 0, 0 } },
		{ "unknown past end after NOP", 4, { 1, 0x22, 4, 0 } },
		{ "MSS len 3", 4, { 2, 3, 5, 0 } },
		{ "MSS len 5", 8, { 2, 5, 5, 0xb4, 0, 0, 0, 0 } },
		{ "MSS len 0", 4, { 2, 0, 5, 0xb4 } },
		{ "MSS past end", 4, { 1, 1, 2, 4 } },
		{ "MSS kind last byte", 4, { 1, 1, 1, 2 } },
		{ "unknown kind last byte", 4, { 1, 1, 1, 0x22 } },
		{ "wscale len 4", 4, { 3, 4, 7, 0 } },
		{ "wscale len 2", 4, { 3, 2, 1, 1 } },
		{ "sackOK len 3", 4, { 4, 3, 0, 0 } },
		{ "TS len 8", 8, { 8, 8, 0, 0, 0, 1, 0, 0 } },
		{ "SACK len 1", 4, { 5, 1, 1, 1 } },
		{ "valid MSS then len 0", 8, { 2, 4, 5, 0xb4, 0x22, 0, 0, 0 } },
		{ "39 NOPs then a kind", 40,
		  { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8 } },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t out[TOE_ETH_MAX_FRAME];
		struct toe_tcp_opts o;
		struct toe_frame f;
		int n;

		int rc = parse_opts_exact(bad[i].b, bad[i].len, &o);

		if (rc != TOE_PERR_TCP_OPT)
			fail_msg("%s: list gives %s", bad[i].name,
				 toe_parse_result_name(rc));
		n = build_with_opts(bad[i].b, bad[i].len, out, sizeof(out));
		assert_true(n > 0);
		rc = parse_exact(out, (size_t)n, &f);
		if (rc != TOE_PERR_TCP_OPT)
			fail_msg("%s: frame gives %s", bad[i].name,
				 toe_parse_result_name(rc));
	}
}

/* A kind byte with no room for its length byte, in a list cut anywhere. */
static void test_tcp_opts_kind_without_length_dropped(void **state)
{
	static const uint8_t kinds[] = { 2, 3, 4, 5, 8, 0x22, 0xff };
	struct toe_tcp_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kinds); i++) {
		uint8_t b[1] = { kinds[i] };

		assert_int_equal(parse_opts_exact(b, 1, &o), TOE_PERR_TCP_OPT);
	}
	/* EOL and NOP as the last byte are fine */
	assert_int_equal(parse_opts_exact((const uint8_t *)"\x00", 1, &o), TOE_PARSE_OK);
	assert_int_equal(parse_opts_exact((const uint8_t *)"\x01", 1, &o), TOE_PARSE_OK);
	assert_int_equal(parse_opts_exact(NULL, 0, &o), TOE_PARSE_OK);
}

static void test_tcp_opts_unknown_valid_len_skipped(void **state)
{
	static const uint8_t b[] = { 0x22, 4, 0xaa, 0xbb, 2, 4, 0x05, 0xb4 };
	uint8_t out[TOE_ETH_MAX_FRAME];
	struct toe_frame f;
	int n;

	(void)state;
	n = build_with_opts(b, sizeof(b), out, sizeof(out));
	assert_int_equal(toe_parse_frame(out, (size_t)n, &f), TOE_PARSE_OK);
	assert_int_equal(f.seg.opt.n_unknown, 1);
	assert_true(f.seg.opt.has_mss);
	assert_int_equal(f.seg.opt.mss, 1460);
	assert_int_equal(f.tcp_doff, 7);
	assert_int_equal(f.seg.opt_raw_len, 8);
	assert_memory_equal(f.seg.opt_raw, b, 8);
}

static void test_tcp_opts_unaligned_mss_after_nop_parsed(void **state)
{
	static const uint8_t b[] = { 1, 2, 4, 0x02, 0x18 }; /* MSS 536 */
	uint8_t out[TOE_ETH_MAX_FRAME];
	struct toe_frame f;
	int n;

	(void)state;
	n = build_with_opts(b, sizeof(b), out, sizeof(out));
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PARSE_OK);
	assert_int_equal(toe_parse_frame(out, (size_t)n, &f), TOE_PARSE_OK);
	assert_true(f.seg.opt.has_mss);
	assert_int_equal(f.seg.opt.mss, 536);
	assert_int_equal(f.seg.opt_raw_len, 8); /* padded with 3 EOLs */
}

static void test_tcp_opts_eol_then_garbage_stops(void **state)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 0, 0x22, 0, 0xff,
				     2, 3, 1, 1 };
	struct toe_tcp_opts o;
	uint8_t out[TOE_ETH_MAX_FRAME];
	struct toe_frame f;
	int n;

	(void)state;
	assert_int_equal(parse_opts_exact(b, sizeof(b), &o), TOE_PARSE_OK);
	assert_true(o.has_mss);
	assert_int_equal(o.mss, 1460);
	assert_int_equal(o.n_unknown, 0);
	n = build_with_opts(b, sizeof(b), out, sizeof(out));
	assert_int_equal(parse_exact(out, (size_t)n, &f), TOE_PARSE_OK);
}

static void test_tcp_opts_all_known_kinds_parsed(void **state)
{
	/* Linux-style SYN options, unaligned on purpose: MSS, sackOK, TS,
	 * NOP, wscale, SACK block (counted as skipped). */
	static const uint8_t b[] = {
		2, 4, 0x05, 0xb4,
		4, 2,
		8, 10, 0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
		1,
		3, 3, 7,
		5, 10, 0, 0, 0, 1, 0, 0, 0, 2,
	};
	struct toe_tcp_opts o;

	(void)state;
	assert_int_equal(parse_opts_exact(b, sizeof(b), &o), TOE_PARSE_OK);
	assert_true(o.has_mss);
	assert_int_equal(o.mss, 1460);
	assert_true(o.sack_perm);
	assert_true(o.has_ts);
	assert_int_equal(o.ts_val, 0x01020304u);
	assert_int_equal(o.ts_ecr, 0xa0b0c0d0u);
	assert_true(o.has_wscale);
	assert_int_equal(o.wscale, 7);
	assert_int_equal(o.n_unknown, 1);
}

/* ------------------------------------------------------------------ */
/* Fuzz                                                               */
/* ------------------------------------------------------------------ */

#define FUZZ_SEED 0x70e5eed5c0dec0deull
#define FUZZ_ITERS 100000

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return rng_next(&rng_state);
}

static unsigned rnd_below(unsigned n)
{
	return rng_below(&rng_state, n);
}

/* Make the checksums right again where the (mutated) lengths allow, so the
 * fuzz reaches the checks after them. Reads only w[0..len). */
static void fuzz_fix_csums(uint8_t *w, size_t len)
{
	size_t ihl, total;

	if (len < 34 || (w[14] >> 4) != 4)
		return;
	ihl = (size_t)(w[14] & 0x0f) * 4;
	if (ihl < 20 || 14 + ihl > len)
		return;
	total = toe_get_be16(w + 16);
	if (total >= ihl + 20 && 14 + total <= len)
		fix_tcp_csum(w);
	fix_ip_csum(w);
}

#define FUZZ_CHECK(cond)                                                    \
	do {                                                                \
		if (!(cond))                                                \
			fail_msg("fuzz seed 0x%llx iteration %d (frame %d, " \
				 "len %zu): %s failed",                      \
				 (unsigned long long)FUZZ_SEED, it, k + 1,   \
				 len, #cond);                                \
	} while (0)

static void test_fuzz_mutated_seeds_no_crash_consistent(void **state)
{
	int it, counts[TOE_PERR_COUNT] = { 0 };

	(void)state;
	rng_state = FUZZ_SEED;
	for (it = 0; it < FUZZ_ITERS; it++) {
		uint8_t w[SEED_MAX], *b;
		struct toe_frame f;
		int k = (int)rnd_below(SEED_N);
		size_t len = seed_len[k], ihl, total, doff;
		unsigned nflip = 1 + rnd_below(4), j, mode = rnd_below(6), idx;
		int rc;

		memcpy(w, seed[k], len);
		if (mode == 5) { /* grow with random bytes */
			size_t grow = rnd_below((unsigned)(SEED_MAX - len) + 1);

			for (j = 0; j < grow; j++)
				w[len + j] = (uint8_t)rnd();
			len += grow;
		}
		for (j = 0; j < nflip; j++) {
			/* mostly in the IP/TCP headers, where it matters */
			size_t pos = rnd_below(2) ? 14 + rnd_below(44) : rnd_below((unsigned)len);

			if (pos < len)
				w[pos] ^= (uint8_t)(1 + rnd_below(255));
		}
		if (mode >= 2)
			fuzz_fix_csums(w, len);
		if (mode == 1 || mode == 3)
			len = rnd_below((unsigned)len + 1);

		b = malloc(len ? len : 1);
		assert_non_null(b);
		memcpy(b, w, len);
		rc = toe_parse_frame(b, len, &f);
		FUZZ_CHECK(rc <= 0 && rc > -TOE_PERR_COUNT);
		idx = (unsigned)-rc;
		if (idx < TOE_PERR_COUNT)
			counts[idx]++;
		if (rc == TOE_PARSE_OK) {
			ihl = (size_t)f.ip_ihl * 4;
			doff = (size_t)f.tcp_doff * 4;
			total = f.ip_total_len;
			FUZZ_CHECK(f.ip_ihl >= 5 && f.tcp_doff >= 5);
			FUZZ_CHECK(ihl + doff <= total);
			FUZZ_CHECK(14 + total <= len);
			FUZZ_CHECK(toe_get_be16(b + 12) == TOE_ETHERTYPE_IPV4);
			FUZZ_CHECK(b[14] == (0x40 | f.ip_ihl));
			FUZZ_CHECK(toe_get_be16(b + 16) == total);
			FUZZ_CHECK((toe_get_be16(b + 20) & 0x3fff) == 0);
			FUZZ_CHECK(b[14 + 9] == TOE_IPPROTO_TCP);
			FUZZ_CHECK(toe_ipv4_csum(b + 14, ihl) == 0);
			FUZZ_CHECK(toe_tcp_csum(toe_get_be32(b + 26), toe_get_be32(b + 30),
						b + 14 + ihl, total - ihl) == 0);
			FUZZ_CHECK(f.seg.opt_raw == b + 14 + ihl + 20);
			FUZZ_CHECK(f.seg.opt_raw_len == doff - 20);
			FUZZ_CHECK(f.seg.data == b + 14 + ihl + doff);
			FUZZ_CHECK(f.seg.len == total - ihl - doff);
			FUZZ_CHECK(f.seg.data + f.seg.len == b + 14 + total);
		}
		free(b);
	}
	/* The loop must reach deep checks, not stop at checksums: every
	 * result after the IP checksum must have been seen. */
	for (it = 0; it < TOE_PERR_COUNT; it++) {
		print_message("%-10s %d\n", toe_parse_result_name(-it), counts[it]);
		if (it != -TOE_PERR_ETHERTYPE && counts[it] == 0)
			fail_msg("fuzz seed 0x%llx: no %s result",
				 (unsigned long long)FUZZ_SEED,
				 toe_parse_result_name(-it));
	}
}

/* Random option lists built into frames: the checksums are right, so the
 * only possible results are OK and tcp_opt. */
static void test_fuzz_random_options_ok_or_opt(void **state)
{
	int it, n_ok = 0, n_bad = 0;

	(void)state;
	rng_state = FUZZ_SEED ^ 0x0b7;
	for (it = 0; it < 20000; it++) {
		uint8_t opts[40], out[TOE_ETH_MAX_FRAME];
		struct toe_tcp_opts o;
		struct toe_frame f;
		uint8_t n = (uint8_t)(1 + rnd_below(40)), padded;
		unsigned j;
		int rc, rc2, len;

		for (j = 0; j < n; j++) {
			unsigned r = rnd_below(8);

			/* small kinds and small lengths, so lists are plausible */
			opts[j] = (uint8_t)(r < 6 ? rnd_below(10) : r == 6 ? rnd_below(12) : rnd());
		}
		/* the bare list, in an exact-size block for ASan */
		rc = parse_opts_exact(opts, n, &o);
		if (rc != TOE_PARSE_OK && rc != TOE_PERR_TCP_OPT)
			fail_msg("seed 0x%llx iteration %d: %d",
				 (unsigned long long)(FUZZ_SEED ^ 0x0b7), it, rc);
		/* the list as the frame carries it: EOL-padded to 4 bytes (an
		 * option may legally run into that padding) */
		padded = (uint8_t)((n + 3) & ~3);
		memset(opts + n, TOE_TCPOPT_EOL, padded - n);
		rc = parse_opts_exact(opts, padded, &o);
		len = build_with_opts(opts, n, out, sizeof(out));
		assert_true(len > 0);
		rc2 = parse_exact(out, (size_t)len, &f);
		if (rc2 != rc)
			fail_msg("seed 0x%llx iteration %d: frame %d, list %d",
				 (unsigned long long)(FUZZ_SEED ^ 0x0b7), it, rc2, rc);
		if (rc == TOE_PARSE_OK)
			n_ok++;
		else
			n_bad++;
	}
	print_message("options ok %d, tcp_opt %d\n", n_ok, n_bad);
	assert_true(n_ok > 100 && n_bad > 100);
}

/* ------------------------------------------------------------------ */
/* Names and dotted quads                                             */
/* ------------------------------------------------------------------ */

static void test_parse_result_names_stable(void **state)
{
	static const char *const want[TOE_PERR_COUNT] = {
		"ok", "eth_trunc", "ethertype", "ip_trunc", "ip_version",
		"ip_ihl", "ip_len", "ip_csum", "ip_frag", "ip_proto",
		"tcp_trunc", "tcp_doff", "tcp_csum", "tcp_opt",
	};
	int i;

	(void)state;
	for (i = 0; i < TOE_PERR_COUNT; i++)
		assert_string_equal(toe_parse_result_name(-i), want[i]);
	assert_string_equal(toe_parse_result_name(TOE_PERR_TCP_OPT), "tcp_opt");
	assert_string_equal(toe_parse_result_name(TOE_PERR_IP_CSUM), "ip_csum");
	assert_string_equal(toe_parse_result_name(1), "?");
	assert_string_equal(toe_parse_result_name(-TOE_PERR_COUNT), "?");
}

static void test_ip_str_parse_round_trip(void **state)
{
	char buf[16];
	uint32_t ip = 0;

	(void)state;
	assert_string_equal(toe_ip_str(IP4(131, 107, 2, 214), buf), "131.107.2.214");
	assert_string_equal(toe_ip_str(0, buf), "0.0.0.0");
	assert_string_equal(toe_ip_str(0xffffffffu, buf), "255.255.255.255");
	assert_int_equal(toe_ip_parse("131.107.2.214", &ip), 0);
	assert_int_equal(ip, IP4(131, 107, 2, 214));
	assert_int_equal(toe_ip_parse("192.94.222.87", &ip), 0);
	assert_int_equal(ip, IP4(192, 94, 222, 87));
	assert_int_equal(toe_ip_parse("255.255.255.255", &ip), 0);
	assert_int_equal(ip, 0xffffffffu);
	assert_int_equal(toe_ip_parse("0.0.0.0", &ip), 0);
	assert_int_equal(ip, 0);
}

static void test_ip_parse_bad_strings_rejected(void **state)
{
	static const char *const bad[] = {
		"1.2.3", "256.1.1.1", "a.b.c.d", "", "1.2.3.4.5", "1.2.3.4.",
		".1.2.3", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
		"1.2.3.1000", "01.2.3.4", "1.2.3.4x",
	};
	uint32_t ip = 0x5a5a5a5a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (toe_ip_parse(bad[i], &ip) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	}
	assert_int_equal(ip, 0x5a5a5a5a); /* untouched on failure */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_hex_load_seven_frames),
		cmocka_unit_test(test_seed_parse_fields_match_table),
		cmocka_unit_test(test_seed_frame6_padding_ignored),
		cmocka_unit_test(test_seed_checksums_verify_and_recompute),
		cmocka_unit_test(test_csum_rfc1071_example_matches),
		cmocka_unit_test(test_seed_build_from_parsed_reproduces_bytes),
		cmocka_unit_test(test_build_synack_from_table_matches_frame2),
		cmocka_unit_test(test_build_payload_parse_back_equal),
		cmocka_unit_test(test_build_small_cap_or_long_opts_fails),
		cmocka_unit_test(test_pcap_read_seed_matches_hex),
		cmocka_unit_test(test_pcap_write_read_back_equal),
		cmocka_unit_test(test_pcap_missing_file_null_names_file),
		cmocka_unit_test(test_pcap_non_ethernet_linktype_refused),
		cmocka_unit_test(test_truncated_seed_cut_reason_matches),
		cmocka_unit_test(test_ethertype_arp_dropped),
		cmocka_unit_test(test_ip_bad_csum_dropped),
		cmocka_unit_test(test_tcp_bad_csum_dropped),
		cmocka_unit_test(test_ip_version6_dropped),
		cmocka_unit_test(test_ip_ihl_below5_dropped),
		cmocka_unit_test(test_ip_ihl_beyond_frame_dropped),
		cmocka_unit_test(test_ip_ihl_beyond_total_len_dropped),
		cmocka_unit_test(test_ip_total_len_bad_dropped),
		cmocka_unit_test(test_ip_fragment_dropped),
		cmocka_unit_test(test_ip_proto_udp_dropped),
		cmocka_unit_test(test_tcp_shorter_than_header_dropped),
		cmocka_unit_test(test_tcp_doff_bad_dropped),
		cmocka_unit_test(test_ip_options_skipped_payload_right),
		cmocka_unit_test(test_tcp_opts_illegal_length_dropped),
		cmocka_unit_test(test_tcp_opts_kind_without_length_dropped),
		cmocka_unit_test(test_tcp_opts_unknown_valid_len_skipped),
		cmocka_unit_test(test_tcp_opts_unaligned_mss_after_nop_parsed),
		cmocka_unit_test(test_tcp_opts_eol_then_garbage_stops),
		cmocka_unit_test(test_tcp_opts_all_known_kinds_parsed),
		cmocka_unit_test(test_fuzz_mutated_seeds_no_crash_consistent),
		cmocka_unit_test(test_fuzz_random_options_ok_or_opt),
		cmocka_unit_test(test_parse_result_names_stable),
		cmocka_unit_test(test_ip_str_parse_round_trip),
		cmocka_unit_test(test_ip_parse_bad_strings_rejected),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
