/* SPDX-License-Identifier: MIT */
/*
 * test_l2.c - the ARP and ICMP echo responders' golden model
 * (host/pkt/l2.c, toe_l2.h): ARP requests for us and for others, replies,
 * gratuitous ARP, probes, truncated and foreign-format frames; ICMP echo of
 * every payload size 0..1472, bad checksums, fragments, frames not for us,
 * IP options, other ICMP types, bad sources, oversized frames. Expected
 * replies are built here, field by field, with this file's own RFC 1071
 * checksum; four are the Linux kernel's own replies to the same requests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "toe_bytes.h"
#include "toe_l2.h"
#include "test_rng.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* Us and the peer: the addresses of the kernel captures below. */
static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define OUR_IP IP4(10, 0, 0, 1)
#define PEER_IP IP4(10, 0, 0, 2)
#define TTL 64

/* ------------------------------------------------------------------ */
/* helpers, independent of the code under test                        */
/* ------------------------------------------------------------------ */

/* RFC 1071 4.1: "Adjacent octets to be checksummed are paired to form
 * 16-bit integers, and the 1's complement sum of these 16-bit integers is
 * formed." An odd byte is paired with a zero; the result is complemented. */
static uint16_t rfc1071(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	while (n > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; s[0] && s[1]; s += 2) {
		unsigned v;

		if (n >= cap || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
	}
	return (int)n;
}

static void assert_bytes(const uint8_t *got, const uint8_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			print_error("byte %zu: got 0x%02x, want 0x%02x\n", i, got[i], want[i]);
			fail();
		}
	}
}

/* ------------------------------------------------------------------ */
/* ARP                                                                */
/* ------------------------------------------------------------------ */

struct arp_req {
	const uint8_t *eth_dst;
	uint16_t ethertype, htype, ptype;
	uint8_t hlen, plen;
	uint16_t oper;
	const uint8_t *sha;
	uint32_t spa, tpa;
};

/* The peer asks "who has 10.0.0.1? tell 10.0.0.2", broadcast. */
static struct arp_req arp_template(void)
{
	struct arp_req a = { bcast, 0x0806, 1, 0x0800, 6, 4, 1, peer_mac, PEER_IP, OUR_IP };

	return a;
}

/* RFC 826 packet layout, padded with zeros to len (>= 42). */
static size_t arp_build(uint8_t *f, const struct arp_req *a, size_t len)
{
	memset(f, 0, len);
	memcpy(f, a->eth_dst, 6);
	memcpy(f + 6, a->sha, 6);
	toe_put_be16(f + 12, a->ethertype);
	toe_put_be16(f + 14, a->htype);
	toe_put_be16(f + 16, a->ptype);
	f[18] = a->hlen;
	f[19] = a->plen;
	toe_put_be16(f + 20, a->oper);
	memcpy(f + 22, a->sha, 6);
	toe_put_be32(f + 28, a->spa);
	/* tha (32..37) zero, as in a request */
	toe_put_be32(f + 38, a->tpa);
	return len;
}

static int arp(const struct arp_req *a, size_t len, uint8_t *out)
{
	uint8_t f[64];

	arp_build(f, a, len < 42 ? 42 : len);
	return toe_ref_arp_reply(f, len, our_mac, OUR_IP, out, 1514);
}

/*
 * Captured from Linux 6.18 through a TAP device (address 10.0.0.1, MAC
 * 02:00:00:00:00:01): the request below was written to the TAP, the kernel
 * answered with the 42-byte reply (no padding on a TAP). Our reply is the
 * same 42 bytes, zero-padded to 60.
 */
static const char *linux_arp_req =
	"ffffffffffff020000000002080600010800060400010200000000020a000002"
	"0000000000000a000001000000000000000000000000000000000000";
static const char *linux_arp_rep =
	"020000000002020000000001080600010800060400020200000000010a000001"
	"0200000000020a000002";

static void test_arp_linux_request_matches_kernel_reply(void **state)
{
	uint8_t req[64], want[60] = { 0 }, out[1514];
	int n = unhex(linux_arp_req, req, sizeof(req));
	int wn = unhex(linux_arp_rep, want, sizeof(want));

	(void)state;
	assert_int_equal(n, 60);
	assert_int_equal(wn, 42);
	assert_int_equal(toe_ref_arp_reply(req, (size_t)n, our_mac, OUR_IP, out, sizeof(out)), 60);
	assert_bytes(out, want, 60);
}

static void test_arp_request_for_us_replies_field_by_field(void **state)
{
	static const uint8_t asker[6] = { 0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e };
	struct arp_req a = arp_template();
	uint8_t out[1514], want[60] = { 0 };

	(void)state;
	a.sha = asker;
	a.spa = IP4(192, 168, 7, 9);
	/* RFC 826: swap, put us in the sender fields, ar$op = REPLY, send to
	 * the (new) target hardware address. */
	memcpy(want, asker, 6);
	memcpy(want + 6, our_mac, 6);
	toe_put_be16(want + 12, 0x0806);
	toe_put_be16(want + 14, 1);
	toe_put_be16(want + 16, 0x0800);
	want[18] = 6;
	want[19] = 4;
	toe_put_be16(want + 20, 2);
	memcpy(want + 22, our_mac, 6);
	toe_put_be32(want + 28, OUR_IP);
	memcpy(want + 32, asker, 6);
	toe_put_be32(want + 38, IP4(192, 168, 7, 9));
	assert_int_equal(arp(&a, 60, out), 60);
	assert_bytes(out, want, 60);
}

static void test_arp_unpadded_42_byte_request_replies(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	assert_int_equal(arp(&a, 42, out), 60);
}

static void test_arp_unicast_to_our_mac_replies(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	a.eth_dst = our_mac;
	assert_int_equal(arp(&a, 60, out), 60);
}

static void test_arp_to_other_mac_no_reply(void **state)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	a.eth_dst = other;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
}

static void test_arp_request_for_other_ip_no_reply(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	a.tpa = IP4(10, 0, 0, 3);
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
	a.tpa = OUR_IP ^ 0x80000000u;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
}

static void test_arp_reply_and_other_opcodes_no_reply(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];
	static const uint16_t ops[] = { 0, 2, 3, 4, 0x0101 };

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		a.oper = ops[i];
		assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
	}
}

static void test_arp_gratuitous_no_reply(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	/* someone announcing our address (a conflict) */
	a.spa = OUR_IP;
	a.tpa = OUR_IP;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
	/* the usual gratuitous ARP: announcing its own address */
	a.spa = PEER_IP;
	a.tpa = PEER_IP;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
	/* and as a reply */
	a.oper = 2;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
}

static void test_arp_probe_replies_to_prober(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	/* RFC 5227 probe: sender IP 0.0.0.0 */
	a.spa = 0;
	assert_int_equal(arp(&a, 60, out), 60);
	assert_memory_equal(out, peer_mac, 6);
	assert_memory_equal(out + 32, peer_mac, 6);
	assert_int_equal(out[38] | out[39] | out[40] | out[41], 0);
}

static void test_arp_truncated_counts_trunc(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	for (size_t len = 14; len < 42; len++)
		assert_int_equal(arp(&a, len, out), TOE_L2_ARP_TRUNC);
	/* shorter than an Ethernet header: not ARP as far as we can tell */
	for (size_t len = 0; len < 14; len++)
		assert_int_equal(arp(&a, len, out), TOE_L2_NO_REPLY);
	assert_int_equal(arp(&a, 42, out), 60);
}

static void test_arp_wrong_format_counts_format(void **state)
{
	uint8_t out[1514];
	struct arp_req a;

	(void)state;
	a = arp_template();
	a.htype = 6; /* IEEE 802 */
	assert_int_equal(arp(&a, 60, out), TOE_L2_ARP_FORMAT);
	a = arp_template();
	a.ptype = 0x86dd;
	assert_int_equal(arp(&a, 60, out), TOE_L2_ARP_FORMAT);
	a = arp_template();
	a.hlen = 8;
	assert_int_equal(arp(&a, 60, out), TOE_L2_ARP_FORMAT);
	a = arp_template();
	a.plen = 16;
	assert_int_equal(arp(&a, 60, out), TOE_L2_ARP_FORMAT);
	/* format checked before the opcode and the target */
	a.oper = 2;
	a.tpa = 1;
	assert_int_equal(arp(&a, 60, out), TOE_L2_ARP_FORMAT);
	/* truncation checked before the format */
	assert_int_equal(arp(&a, 41, out), TOE_L2_ARP_TRUNC);
}

static void test_arp_other_ethertype_no_reply(void **state)
{
	struct arp_req a = arp_template();
	uint8_t out[1514];

	(void)state;
	a.ethertype = 0x8035; /* RARP */
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
	a.ethertype = 0x0800;
	assert_int_equal(arp(&a, 60, out), TOE_L2_NO_REPLY);
}

static void test_arp_small_buffer_enospc(void **state)
{
	uint8_t f[60], out[60];
	struct arp_req a = arp_template();

	(void)state;
	arp_build(f, &a, 60);
	assert_int_equal(toe_ref_arp_reply(f, 60, our_mac, OUR_IP, out, 59), TOE_L2_ENOSPC);
	assert_int_equal(toe_ref_arp_reply(f, 60, our_mac, OUR_IP, NULL, 60), TOE_L2_ENOSPC);
	assert_int_equal(toe_ref_arp_reply(f, 60, our_mac, OUR_IP, out, 60), 60);
}

/* ------------------------------------------------------------------ */
/* ICMP echo                                                          */
/* ------------------------------------------------------------------ */

struct ping {
	const uint8_t *eth_dst;
	uint16_t ethertype;
	uint8_t version, ihl;       /* ihl in words; options are NOPs + EOL */
	uint8_t tos;
	uint16_t ip_id, frag;
	uint8_t ttl, proto;
	uint32_t src, dst;
	int total_adj;              /* added to the right total length */
	bool bad_ip_csum;
	uint8_t type, code;
	uint16_t ident, seq;
	const uint8_t *data;
	size_t dlen;
	bool bad_icmp_csum;
	size_t pad_to;              /* Ethernet padding up to this length */
	uint8_t pad_byte;
};

/* A Linux iputils ping from 10.0.0.2 to us: DF, TTL 64, id 0x0b7d. */
static struct ping ping_template(const uint8_t *data, size_t dlen)
{
	struct ping p = {
		.eth_dst = our_mac, .ethertype = 0x0800, .version = 4, .ihl = 5,
		.tos = 0, .ip_id = 0x4f6e, .frag = 0x4000, .ttl = 64, .proto = 1,
		.src = PEER_IP, .dst = OUR_IP, .type = 8, .code = 0,
		.ident = 0x0b7d, .seq = 1, .data = data, .dlen = dlen,
	};
	return p;
}

/* RFC 791 header + RFC 792 echo message; returns the frame length. */
static size_t ping_build(uint8_t *f, size_t cap, const struct ping *p)
{
	size_t ihl = (size_t)p->ihl * 4, icmp_len = 8 + p->dlen;
	size_t len = 14 + (ihl < 20 ? 20 : ihl) + icmp_len;
	uint8_t *ip = f + 14, *icmp;

	assert_true(len <= cap && p->pad_to <= cap);
	memset(f, p->pad_byte, p->pad_to > len ? p->pad_to : len);
	memcpy(f, p->eth_dst, 6);
	memcpy(f + 6, peer_mac, 6);
	toe_put_be16(f + 12, p->ethertype);
	memset(ip, 0, ihl < 20 ? 20 : ihl);
	ip[0] = (uint8_t)(p->version << 4 | p->ihl);
	ip[1] = p->tos;
	toe_put_be16(ip + 2, (uint16_t)((int)(ihl + icmp_len) + p->total_adj));
	toe_put_be16(ip + 4, p->ip_id);
	toe_put_be16(ip + 6, p->frag);
	ip[8] = p->ttl;
	ip[9] = p->proto;
	toe_put_be32(ip + 12, p->src);
	toe_put_be32(ip + 16, p->dst);
	/* options: NOPs, then an End of Option List */
	for (size_t i = 20; i < ihl; i++)
		ip[i] = i + 1 == ihl ? 0 : 1;
	toe_put_be16(ip + 10, rfc1071(ip, ihl < 20 ? 20 : ihl));
	if (p->bad_ip_csum)
		ip[11] ^= 0x40;
	icmp = ip + (ihl < 20 ? 20 : ihl);
	icmp[0] = p->type;
	icmp[1] = p->code;
	toe_put_be16(icmp + 2, 0);
	toe_put_be16(icmp + 4, p->ident);
	toe_put_be16(icmp + 6, p->seq);
	if (p->dlen)
		memcpy(icmp + 8, p->data, p->dlen);
	toe_put_be16(icmp + 2, rfc1071(icmp, icmp_len));
	if (p->bad_icmp_csum)
		icmp[2] ^= 0x01;
	return p->pad_to > len ? p->pad_to : len;
}

/*
 * The reply toe_l2.h promises, written out field by field: MACs swapped,
 * IPv4 header of 20 bytes with TOS copied, DF cleared, TTL and ID given,
 * addresses swapped; ICMP type 0 with the RFC 1071 checksum; zero padding
 * to 60.
 */
static size_t ping_expect(uint8_t *f, const struct ping *p, uint8_t ttl, uint16_t id)
{
	size_t icmp_len = 8 + p->dlen, len = 34 + icmp_len;
	size_t flen = len < 60 ? 60 : len;
	uint8_t *ip = f + 14, *icmp = f + 34;

	memset(f, 0, flen);
	memcpy(f, peer_mac, 6);
	memcpy(f + 6, our_mac, 6);
	toe_put_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	ip[1] = p->tos;
	toe_put_be16(ip + 2, (uint16_t)(20 + icmp_len));
	toe_put_be16(ip + 4, id);
	toe_put_be16(ip + 6, 0);
	ip[8] = ttl;
	ip[9] = 1;
	toe_put_be32(ip + 12, p->dst);
	toe_put_be32(ip + 16, p->src);
	toe_put_be16(ip + 10, rfc1071(ip, 20));
	icmp[0] = 0;
	icmp[1] = 0;
	toe_put_be16(icmp + 4, p->ident);
	toe_put_be16(icmp + 6, p->seq);
	if (p->dlen)
		memcpy(icmp + 8, p->data, p->dlen);
	toe_put_be16(icmp + 2, rfc1071(icmp, icmp_len));
	return flen;
}

static int ping_run(const struct ping *p, uint8_t *out, uint16_t id)
{
	uint8_t f[2048];
	size_t n = ping_build(f, sizeof(f), p);

	return toe_ref_icmp_reply(f, n, our_mac, OUR_IP, out, 2048, TTL, id);
}

/* iputils ping's 56 data bytes: a struct timeval (16 bytes on 64-bit
 * Linux, little-endian tv_sec 1700000000, tv_usec 123456), then the bytes
 * 0x10, 0x11, ... 0x37 (ping fills the rest with its offset). */
static void linux_ping_data(uint8_t d[56])
{
	static const uint8_t tv[16] = { 0x00, 0xf1, 0x53, 0x65, 0, 0, 0, 0,
					0x40, 0xe2, 0x01, 0, 0, 0, 0, 0 };

	memcpy(d, tv, 16);
	for (int i = 16; i < 56; i++)
		d[i] = (uint8_t)i;
}

static void test_icmp_linux_ping_layout_checksums(void **state)
{
	uint8_t d[56], f[2048];
	struct ping p;
	size_t n;

	(void)state;
	linux_ping_data(d);
	p = ping_template(d, sizeof(d));
	n = ping_build(f, sizeof(f), &p);
	/* The request's two checksums, worked out by hand per RFC 1071 from
	 * the header words 4500 0054 4f6e 4000 4001 0a00 0002 0a00 0001 (sum
	 * 0x128c6 -> 0x28c7, complement 0xd738) and the echo message. */
	assert_int_equal(n, 98);
	assert_int_equal(f[24] << 8 | f[25], 0xd738);
	assert_int_equal(f[36] << 8 | f[37], 0x9776);
	assert_int_equal(rfc1071(f + 14, 20), 0);
	assert_int_equal(rfc1071(f + 34, 64), 0);
}

/*
 * Captured from Linux 6.18 through a TAP device (10.0.0.1, MAC
 * 02:00:00:00:00:01; 10.0.0.2 given a static neighbour entry): each
 * request below was written to the TAP and the kernel's echo reply read
 * back. The kernel chose IP IDs 0x6fb3, 0x6fb4 and 0x6ed8 and TTL 64, copied
 * the TOS byte (0xb9 included) and cleared DF - the choices toe_l2.h
 * documents. Given the same ID and TTL our reply must equal the kernel's,
 * zero-padded to 60 bytes where it is shorter.
 */
static const struct {
	const char *req, *rep;
	uint16_t ip_id;
} linux_pings[] = {
	{ "0200000000010200000000020800450000544f6e40004001d7380a0000020a00"
	  "0001080097760b7d000100f153650000000040e2010000000000101112131415"
	  "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	  "3637",
	  "0200000000020200000000010800450000546fb300004001f6f30a0000010a00"
	  "000200009f760b7d000100f153650000000040e2010000000000101112131415"
	  "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	  "3637", 0x6fb3 },
	{ "020000000001020000000002080045b900544f6f40004001d67e0a0000020a00"
	  "0001080097750b7d000200f153650000000040e2010000000000101112131415"
	  "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	  "3637",
	  "020000000002020000000001080045b900546fb400004001f6390a0000010a00"
	  "000200009f750b7d000200f153650000000040e2010000000000101112131415"
	  "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	  "3637", 0x6fb4 },
	/* one data byte: odd length, and a reply shorter than 60 bytes */
	{ "02000000000102000000000208004500001d4f7040004001d76d0a0000020a00"
	  "00010800417f0b7d0003ab",
	  "02000000000202000000000108004500001d6ed800004001f8050a0000010a00"
	  "00020000497f0b7d0003ab", 0x6ed8 },
};

static void test_icmp_linux_pings_match_kernel_replies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(linux_pings) / sizeof(linux_pings[0]); i++) {
		uint8_t req[256], want[256] = { 0 }, out[2048];
		int n = unhex(linux_pings[i].req, req, sizeof(req));
		int wn = unhex(linux_pings[i].rep, want, sizeof(want));
		int len = wn < 60 ? 60 : wn;

		assert_true(n > 0 && wn > 0);
		assert_int_equal(toe_ref_icmp_reply(req, (size_t)n, our_mac, OUR_IP, out,
						    sizeof(out), 64, linux_pings[i].ip_id),
				 len);
		assert_bytes(out, want, (size_t)len);
	}
}

static void test_icmp_linux_ping_template_equals_capture(void **state)
{
	/* the builder above makes the captured request byte for byte */
	uint8_t d[56], f[2048], req[256];
	struct ping p;
	int n;

	(void)state;
	linux_ping_data(d);
	p = ping_template(d, sizeof(d));
	n = unhex(linux_pings[0].req, req, sizeof(req));
	assert_int_equal(ping_build(f, sizeof(f), &p), (size_t)n);
	assert_bytes(f, req, (size_t)n);
}

static void test_icmp_echo_every_size_replies(void **state)
{
	static uint8_t data[1472 + 64];
	uint64_t s = 0x1c3b;
	unsigned ok = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(rng_next(&s) >> 56);
	for (size_t n = 0; n <= 1472; n++) {
		struct ping p = ping_template(data + (n * 7) % 64, n);
		uint8_t out[2048], want[2048];
		size_t wl;
		int r;

		p.seq = (uint16_t)n;
		p.ip_id = (uint16_t)(0x1000 + n);
		p.tos = (uint8_t)n;
		p.frag = (n & 1) ? 0x4000 : 0; /* DF either way: cleared in the reply */
		wl = ping_expect(want, &p, TTL, (uint16_t)(0xa000 + n));
		r = ping_run(&p, out, (uint16_t)(0xa000 + n));
		if (r != (int)wl || memcmp(out, want, wl) != 0) {
			print_error("payload %zu bytes: length %d, want %zu\n", n, r, wl);
			assert_bytes(out, want, wl);
			fail();
		}
		ok++;
	}
	assert_int_equal(ok, 1473);
}

static void test_icmp_ethernet_padding_ignored_reply_padded_with_zeros(void **state)
{
	static const uint8_t d[3] = { 1, 2, 3 };
	struct ping p = ping_template(d, sizeof(d));
	uint8_t out[2048], want[2048];
	size_t wl;

	(void)state;
	p.pad_to = 60;
	p.pad_byte = 0xa5;
	wl = ping_expect(want, &p, TTL, 7);
	assert_int_equal(wl, 60);
	assert_int_equal(ping_run(&p, out, 7), 60);
	assert_bytes(out, want, 60);
}

static void test_icmp_zero_message_checksum_is_ffff(void **state)
{
	/* Identifier 0, sequence 0, no data: every word of the reply's
	 * message is 0, so RFC 1071 gives ~0 = 0xffff. (Linux sends 0x0000,
	 * ones'-complement "+0", for this message; both sum right, but only
	 * 0xffff is what RFC 1071's computation yields.) */
	struct ping p = ping_template(NULL, 0);
	uint8_t out[2048];

	(void)state;
	p.ident = 0;
	p.seq = 0;
	assert_int_equal(ping_run(&p, out, 1), 60);
	assert_int_equal(out[36] << 8 | out[37], 0xffff);
}

static void test_icmp_ip_options_dropped_from_reply(void **state)
{
	static const uint8_t d[37] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	uint8_t out[2048], want[2048];

	(void)state;
	for (uint8_t ihl = 6; ihl <= 15; ihl++) {
		struct ping p = ping_template(d, sizeof(d));
		size_t wl;

		p.ihl = ihl;
		wl = ping_expect(want, &p, TTL, ihl);
		assert_int_equal(ping_run(&p, out, ihl), (int)wl);
		assert_bytes(out, want, wl);
	}
}

static void test_icmp_bad_ip_checksum_dropped(void **state)
{
	struct ping p = ping_template(NULL, 0);
	uint8_t out[2048];

	(void)state;
	p.bad_ip_csum = true;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_CSUM);
	p.ihl = 7;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_CSUM);
}

static void test_icmp_bad_icmp_checksum_dropped(void **state)
{
	static const uint8_t d[100] = { 1 };
	struct ping p = ping_template(d, sizeof(d));
	uint8_t f[2048], out[2048];
	size_t n;

	(void)state;
	p.bad_icmp_csum = true;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_ICMP_CSUM);
	/* one flipped data bit, checksum left as it was */
	p.bad_icmp_csum = false;
	n = ping_build(f, sizeof(f), &p);
	f[n - 1] ^= 0x10;
	assert_int_equal(toe_ref_icmp_reply(f, n, our_mac, OUR_IP, out, sizeof(out), TTL, 1),
			 TOE_L2_ICMP_CSUM);
}

static void test_icmp_fragment_dropped(void **state)
{
	struct ping p = ping_template(NULL, 0);
	uint8_t out[2048];

	(void)state;
	p.frag = 0x2000; /* MF */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_FRAG);
	p.frag = 0x0001; /* offset 8 */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_FRAG);
	p.frag = 0x5fff;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_FRAG);
	p.frag = 0x4000; /* DF alone is not a fragment */
	assert_int_equal(ping_run(&p, out, 1), 60);
	p.frag = 0x8000; /* the reserved bit alone: not a fragment */
	assert_int_equal(ping_run(&p, out, 1), 60);
}

static void test_icmp_not_for_us_no_reply(void **state)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	uint8_t out[2048];
	struct ping p;

	(void)state;
	p = ping_template(NULL, 0);
	p.dst = IP4(10, 0, 0, 3);
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p = ping_template(NULL, 0);
	p.dst = IP4(255, 255, 255, 255); /* broadcast ping */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p.eth_dst = bcast;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p = ping_template(NULL, 0);
	p.eth_dst = bcast; /* our IP, broadcast MAC */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p.eth_dst = other;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p = ping_template(NULL, 0);
	p.proto = 6;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	p = ping_template(NULL, 0);
	p.ethertype = 0x86dd;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	/* not for us beats malformed: a bad checksum to another host */
	p = ping_template(NULL, 0);
	p.dst = IP4(10, 0, 0, 3);
	p.bad_ip_csum = true;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
}

static void test_icmp_other_types_no_reply(void **state)
{
	static const uint8_t types[][2] = {
		{ 0, 0 }, { 3, 3 }, { 5, 1 }, { 11, 0 }, { 13, 0 }, { 8, 1 }, { 8, 255 },
	};
	uint8_t out[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct ping p = ping_template(NULL, 0);

		p.type = types[i][0];
		p.code = types[i][1];
		assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
		/* not an echo request: its checksum is not looked at */
		p.bad_icmp_csum = true;
		assert_int_equal(ping_run(&p, out, 1), TOE_L2_NO_REPLY);
	}
}

static void test_icmp_truncated_message_counts_trunc(void **state)
{
	struct ping p = ping_template(NULL, 0);
	uint8_t out[2048];

	(void)state;
	for (int adj = -1; adj >= -8; adj--) {
		p.total_adj = adj; /* ICMP length 7 .. 0 */
		assert_int_equal(ping_run(&p, out, 1), TOE_L2_ICMP_TRUNC);
	}
}

static void test_icmp_bad_ip_header_counts_ip_hdr(void **state)
{
	uint8_t out[2048], f[2048];
	struct ping p;
	size_t n;

	(void)state;
	p = ping_template(NULL, 0);
	p.version = 6;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_HDR);
	p = ping_template(NULL, 0);
	p.ihl = 4;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_HDR);
	p = ping_template(NULL, 0);
	p.total_adj = 1; /* one byte past the frame */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_HDR);
	p = ping_template(NULL, 0);
	p.total_adj = -9; /* total length 19 < IHL * 4 */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_HDR);
	/* IHL 15 with a frame too short for the options */
	p = ping_template(NULL, 0);
	p.ihl = 15;
	n = ping_build(f, sizeof(f), &p);
	assert_int_equal(toe_ref_icmp_reply(f, 14 + 50, our_mac, OUR_IP, out, sizeof(out), TTL, 1),
			 TOE_L2_IP_HDR);
	assert_int_equal(toe_ref_icmp_reply(f, n, our_mac, OUR_IP, out, sizeof(out), TTL, 1), 60);
	/* shorter than Ethernet + IPv4 header: not ours to judge */
	assert_int_equal(toe_ref_icmp_reply(f, 33, our_mac, OUR_IP, out, sizeof(out), TTL, 1),
			 TOE_L2_NO_REPLY);
}

static void test_icmp_bad_source_counts_ip_src(void **state)
{
	static const uint32_t bad[] = {
		IP4(0, 0, 0, 0), IP4(0, 1, 2, 3), IP4(127, 0, 0, 1), IP4(224, 0, 0, 1),
		IP4(239, 255, 255, 250), IP4(240, 0, 0, 1), IP4(255, 255, 255, 255),
	};
	static const uint32_t good[] = {
		IP4(1, 0, 0, 0), IP4(126, 255, 255, 255), IP4(128, 0, 0, 1),
		IP4(223, 255, 255, 255),
	};
	uint8_t out[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ping p = ping_template(NULL, 0);

		p.src = bad[i];
		assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_SRC);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ping p = ping_template(NULL, 0);

		p.src = good[i];
		assert_int_equal(ping_run(&p, out, 1), 60);
	}
}

static void test_icmp_too_big_counts_too_big(void **state)
{
	static uint8_t d[1600];
	struct ping p;
	uint8_t out[2048];

	(void)state;
	p = ping_template(d, 1473); /* IP total length 1501 */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_TOO_BIG);
	p = ping_template(d, 100);
	p.pad_to = 1515; /* a right-sized request in a frame of 1515 */
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_TOO_BIG);
	p.pad_to = 1514;
	assert_int_equal(ping_run(&p, out, 1), 142);
	p = ping_template(d, 1472);
	assert_int_equal(ping_run(&p, out, 1), 1514);
	/* too big comes first */
	p = ping_template(d, 1473);
	p.bad_ip_csum = true;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_TOO_BIG);
}

static void test_icmp_check_order_first_fault_counts(void **state)
{
	struct ping p = ping_template(NULL, 0);
	uint8_t out[2048];

	(void)state;
	p.bad_ip_csum = true;
	p.frag = 0x2000;
	p.src = 0;
	p.bad_icmp_csum = true;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_CSUM);
	p.bad_ip_csum = false;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_FRAG);
	p.frag = 0;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_IP_SRC);
	p.src = PEER_IP;
	assert_int_equal(ping_run(&p, out, 1), TOE_L2_ICMP_CSUM);
}

static void test_icmp_small_buffer_enospc(void **state)
{
	static const uint8_t d[100];
	struct ping p = ping_template(d, sizeof(d));
	uint8_t f[2048], out[2048];
	size_t n = ping_build(f, sizeof(f), &p);

	(void)state;
	assert_int_equal(toe_ref_icmp_reply(f, n, our_mac, OUR_IP, out, 141, TTL, 1),
			 TOE_L2_ENOSPC);
	assert_int_equal(toe_ref_icmp_reply(f, n, our_mac, OUR_IP, out, 142, TTL, 1), 142);
}

static void test_l2_result_names(void **state)
{
	(void)state;
	assert_string_equal(toe_l2_result_name(TOE_L2_NO_REPLY), "no_reply");
	assert_string_equal(toe_l2_result_name(TOE_L2_ARP_TRUNC), "arp_trunc");
	assert_string_equal(toe_l2_result_name(TOE_L2_IP_CSUM), "ip_csum");
	assert_string_equal(toe_l2_result_name(TOE_L2_ICMP_CSUM), "icmp_csum");
	assert_string_equal(toe_l2_result_name(-10), "?");
	assert_string_equal(toe_l2_result_name(TOE_L2_ENOSPC), "enospc");
	assert_string_equal(toe_l2_result_name(60), "reply");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_linux_request_matches_kernel_reply),
		cmocka_unit_test(test_arp_request_for_us_replies_field_by_field),
		cmocka_unit_test(test_arp_unpadded_42_byte_request_replies),
		cmocka_unit_test(test_arp_unicast_to_our_mac_replies),
		cmocka_unit_test(test_arp_to_other_mac_no_reply),
		cmocka_unit_test(test_arp_request_for_other_ip_no_reply),
		cmocka_unit_test(test_arp_reply_and_other_opcodes_no_reply),
		cmocka_unit_test(test_arp_gratuitous_no_reply),
		cmocka_unit_test(test_arp_probe_replies_to_prober),
		cmocka_unit_test(test_arp_truncated_counts_trunc),
		cmocka_unit_test(test_arp_wrong_format_counts_format),
		cmocka_unit_test(test_arp_other_ethertype_no_reply),
		cmocka_unit_test(test_arp_small_buffer_enospc),
		cmocka_unit_test(test_icmp_linux_ping_layout_checksums),
		cmocka_unit_test(test_icmp_linux_pings_match_kernel_replies),
		cmocka_unit_test(test_icmp_linux_ping_template_equals_capture),
		cmocka_unit_test(test_icmp_echo_every_size_replies),
		cmocka_unit_test(test_icmp_ethernet_padding_ignored_reply_padded_with_zeros),
		cmocka_unit_test(test_icmp_zero_message_checksum_is_ffff),
		cmocka_unit_test(test_icmp_ip_options_dropped_from_reply),
		cmocka_unit_test(test_icmp_bad_ip_checksum_dropped),
		cmocka_unit_test(test_icmp_bad_icmp_checksum_dropped),
		cmocka_unit_test(test_icmp_fragment_dropped),
		cmocka_unit_test(test_icmp_not_for_us_no_reply),
		cmocka_unit_test(test_icmp_other_types_no_reply),
		cmocka_unit_test(test_icmp_truncated_message_counts_trunc),
		cmocka_unit_test(test_icmp_bad_ip_header_counts_ip_hdr),
		cmocka_unit_test(test_icmp_bad_source_counts_ip_src),
		cmocka_unit_test(test_icmp_too_big_counts_too_big),
		cmocka_unit_test(test_icmp_check_order_first_fault_counts),
		cmocka_unit_test(test_icmp_small_buffer_enospc),
		cmocka_unit_test(test_l2_result_names),
	};
	return cmocka_run_group_tests_name("l2", tests, NULL, NULL);
}
