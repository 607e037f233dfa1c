/* SPDX-License-Identifier: MIT */
/*
 * fuzz_wire.c - the frame codec (host/pkt/wire.c) and the other readers of
 * a received frame in host/ref: toe_parse_frame, toe_decode_frame, the
 * ARP and ICMP echo responders (l2.c). The input is one frame.
 *
 * Oracles:
 *  - a refused frame gets one of the TOE_PERR_* reasons, and
 *    toe_decode_frame returns the same result as toe_parse_frame;
 *  - a frame that parses rebuilds (toe_build_frame from the parsed fields)
 *    into a frame that parses to the same fields, and rebuilding that one
 *    gives the same bytes again;
 *  - the same bytes read as builder fields (addresses, flags, options,
 *    payload) build a frame that parses back to those fields (or to
 *    TOE_PERR_TCP_OPT exactly when the option bytes as built, padded with
 *    EOL, are malformed);
 *  - a responder's reply is a well-formed frame with correct checksums.
 * Reading outside the input is caught by the sanitizers (libFuzzer and the
 * replay runner give an exact-size buffer).
 */
#include "fuzz.h"

#include <string.h>

#include "toe_decode.h"
#include "toe_l2.h"
#include "toe_wire.h"

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint32_t our_ip = 0xC0A80001u; /* 192.168.0.1 */

/* largest frame the builder can make: 14 + 65535 */
#define BIG (TOE_ETH_HLEN + 65535)
static uint8_t out1[BIG], out2[BIG];

static void same_opts(const struct toe_tcp_opts *a, const struct toe_tcp_opts *b)
{
	FUZZ_CHECK(a->has_mss == b->has_mss);
	FUZZ_CHECK(!a->has_mss || a->mss == b->mss);
	FUZZ_CHECK(a->has_wscale == b->has_wscale);
	FUZZ_CHECK(!a->has_wscale || a->wscale == b->wscale);
	FUZZ_CHECK(a->sack_perm == b->sack_perm);
	FUZZ_CHECK(a->has_ts == b->has_ts);
	FUZZ_CHECK(!a->has_ts || (a->ts_val == b->ts_val && a->ts_ecr == b->ts_ecr));
	FUZZ_CHECK(a->n_unknown == b->n_unknown);
}

/* b was built from a's fields (a's option bytes padded with EOL) */
static void same_seg(const struct toe_seg *a, const struct toe_seg *b)
{
	FUZZ_CHECK(a->src_ip == b->src_ip && a->dst_ip == b->dst_ip);
	FUZZ_CHECK(a->src_port == b->src_port && a->dst_port == b->dst_port);
	FUZZ_CHECK(a->seq == b->seq && a->ack == b->ack);
	FUZZ_CHECK(a->flags == b->flags && a->win == b->win && a->urg == b->urg);
	FUZZ_CHECK(a->len == b->len);
	FUZZ_CHECK(a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
	FUZZ_CHECK(b->opt_raw_len == ((a->opt_raw_len + 3) & ~3));
	FUZZ_CHECK(memcmp(a->opt_raw, b->opt_raw, a->opt_raw_len) == 0);
	for (unsigned i = a->opt_raw_len; i < b->opt_raw_len; i++)
		FUZZ_CHECK(b->opt_raw[i] == TOE_TCPOPT_EOL);
	same_opts(&a->opt, &b->opt);
}

/* A frame that parsed: rebuild, parse again, rebuild again. */
static void rebuild(const struct toe_frame *f)
{
	struct toe_frame g, h;
	int n1, n2;

	n1 = toe_build_frame(out1, sizeof(out1), f->dst_mac, f->src_mac, &f->ip,
			     &f->seg);
	FUZZ_CHECK(n1 >= TOE_ETH_MIN_FRAME);
	FUZZ_CHECK(toe_parse_frame(out1, (size_t)n1, &g) == TOE_PARSE_OK);
	FUZZ_CHECK(memcmp(g.dst_mac, f->dst_mac, 6) == 0);
	FUZZ_CHECK(memcmp(g.src_mac, f->src_mac, 6) == 0);
	FUZZ_CHECK(g.ethertype == TOE_ETHERTYPE_IPV4);
	FUZZ_CHECK(g.ip.tos == f->ip.tos && g.ip.ttl == f->ip.ttl);
	FUZZ_CHECK(g.ip.df == f->ip.df && g.ip.id == f->ip.id);
	FUZZ_CHECK(g.ip_ihl == 5 && g.tcp_doff == f->tcp_doff);
	FUZZ_CHECK(g.ip_total_len == f->ip_total_len - (f->ip_ihl - 5) * 4);
	same_seg(&f->seg, &g.seg);

	n2 = toe_build_frame(out2, sizeof(out2), g.dst_mac, g.src_mac, &g.ip,
			     &g.seg);
	FUZZ_CHECK(n2 == n1 && memcmp(out1, out2, (size_t)n1) == 0);
	FUZZ_CHECK(toe_parse_frame(out2, (size_t)n2, &h) == TOE_PARSE_OK);
}

/* The input's bytes as builder fields. */
static void build_from(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct toe_ip_meta ip;
	struct toe_seg s;
	struct toe_frame g;
	struct toe_tcp_opts o;
	uint8_t dst[6], src[6], mode, pad[44];
	size_t got, pad_len;
	int n, r, want;

	memset(&s, 0, sizeof(s));
	mode = fuzz_u8(&in);
	for (int i = 0; i < 6; i++)
		dst[i] = fuzz_u8(&in);
	for (int i = 0; i < 6; i++)
		src[i] = fuzz_u8(&in);
	ip.tos = fuzz_u8(&in);
	ip.ttl = fuzz_u8(&in);
	ip.df = mode & 0x80;
	ip.id = fuzz_u16(&in);
	s.src_ip = fuzz_u32(&in);
	s.dst_ip = fuzz_u32(&in);
	s.src_port = fuzz_u16(&in);
	s.dst_port = fuzz_u16(&in);
	s.seq = fuzz_u32(&in);
	s.ack = fuzz_u32(&in);
	s.flags = fuzz_u8(&in);
	s.win = fuzz_u16(&in);
	s.urg = fuzz_u16(&in);
	if (mode & 1) { /* raw option bytes, up to 41 (41: too long) */
		s.opt_raw = fuzz_bytes(&in, mode >> 1 & 63, &got);
		s.opt_raw_len = (uint8_t)(got > 41 ? 41 : got);
	} else if (mode & 2) {
		s.opt.has_mss = true;
		s.opt.mss = fuzz_u16(&in);
	}
	s.data = fuzz_bytes(&in, in.n, &got);
	s.len = (uint16_t)got;

	n = toe_build_frame(out1, sizeof(out1), dst, src, &ip, &s);
	if (s.opt_raw_len > TOE_TCP_MAX_OPT) {
		FUZZ_CHECK(n == -1);
		return;
	}
	FUZZ_CHECK(n >= TOE_ETH_MIN_FRAME);
	/* what the options should parse to: the raw bytes padded with EOL */
	memset(pad, TOE_TCPOPT_EOL, sizeof(pad));
	if (s.opt_raw_len)
		memcpy(pad, s.opt_raw, s.opt_raw_len);
	pad_len = (s.opt_raw_len + 3u) & ~3u;
	want = s.opt_raw_len ? toe_parse_tcp_options(pad, pad_len, &o) : 0;
	r = toe_parse_frame(out1, (size_t)n, &g);
	FUZZ_CHECK(r == want);
	if (r != TOE_PARSE_OK)
		return;
	FUZZ_CHECK(memcmp(g.dst_mac, dst, 6) == 0 && memcmp(g.src_mac, src, 6) == 0);
	FUZZ_CHECK(g.ip.tos == ip.tos && g.ip.ttl == ip.ttl);
	FUZZ_CHECK(g.ip.df == ip.df && g.ip.id == ip.id);
	if (s.opt_raw_len == 0) {
		/* the builder emits an MSS option iff asked */
		FUZZ_CHECK(g.seg.opt_raw_len == (s.opt.has_mss ? 4 : 0));
		FUZZ_CHECK(g.seg.opt.has_mss == s.opt.has_mss);
		FUZZ_CHECK(!s.opt.has_mss || g.seg.opt.mss == s.opt.mss);
		s.opt = g.seg.opt;
		s.opt_raw = g.seg.opt_raw;
		s.opt_raw_len = g.seg.opt_raw_len;
	} else {
		s.opt = o;
	}
	same_seg(&s, &g.seg);
	rebuild(&g);
}

static void responders(const uint8_t *data, size_t size)
{
	int r;

	r = toe_ref_arp_reply(data, size, our_mac, our_ip, out1, sizeof(out1));
	FUZZ_CHECK(r == 0 || r == TOE_ETH_MIN_FRAME ||
		   (r < 0 && r >= -TOE_L2_N_REASONS));
	FUZZ_CHECK(strcmp(toe_l2_result_name(r), "?") != 0);
	if (r > 0) /* to the requester, from us, ARP */
		FUZZ_CHECK(memcmp(out1 + 6, our_mac, 6) == 0 &&
			   out1[12] == 0x08 && out1[13] == 0x06);

	r = toe_ref_icmp_reply(data, size, our_mac, our_ip, out1, sizeof(out1),
			       64, 0x1234);
	FUZZ_CHECK(r >= -TOE_L2_N_REASONS);
	FUZZ_CHECK(r <= TOE_L2_MAX_FRAME);
	if (r > 0) {
		const uint8_t *ip = out1 + TOE_ETH_HLEN;
		size_t tot = (size_t)ip[2] << 8 | ip[3];

		FUZZ_CHECK(r >= TOE_ETH_MIN_FRAME);
		FUZZ_CHECK(ip[0] == 0x45 && ip[9] == TOE_IPPROTO_ICMP);
		FUZZ_CHECK(tot >= 28 && TOE_ETH_HLEN + tot <= (size_t)r);
		FUZZ_CHECK(toe_ipv4_csum(ip, 20) == 0);
		FUZZ_CHECK(toe_csum_fold(toe_csum_add(0, ip + 20, tot - 20)) == 0);
		FUZZ_CHECK(ip[20] == 0 && ip[21] == 0); /* echo reply */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct toe_frame f;
	int r;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	r = toe_parse_frame(data, size, &f);
	FUZZ_CHECK(r <= 0 && r > -TOE_PERR_COUNT);
	FUZZ_CHECK(strcmp(toe_parse_result_name(r), "?") != 0);
	FUZZ_CHECK(toe_decode_frame(devnull, 1, size * 1000u, data, size, 0) == r);
	if (r == TOE_PARSE_OK)
		rebuild(&f);
	build_from(data, size);
	responders(data, size);
	return 0;
}
