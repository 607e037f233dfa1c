/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_rx_parse.c - the toe_rx_parse RTL in Verilator, differential
 * against the C codec: every frame goes through both toe_parse_frame and
 * the RTL, and the verdict, every field the codec filled, the MSS option,
 * the payload length and the payload bytes must agree. Frames: the seven
 * seed frames, every truncation of them, frame sizes 60..1518, malformed
 * frames of every kind (with the reason the codec's documentation gives
 * checked too), and 20000 random frames mixing good and corrupted ones,
 * fed with idle gaps and with backpressure on both outputs. Each run ends
 * by checking that nothing is left in flight. Prints the measured latency
 * and throughput.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rxparse_model.h"
#include "seed.h"
#include "toe_bytes.h"
#include "toe_wire.h"
#include "test_rng.h"

#define FRAME_MAX 2048

/* ------------------------------------------------------------------ */
/* Frames                                                             */
/* ------------------------------------------------------------------ */

struct rx_frame {
	uint8_t b[FRAME_MAX];
	size_t len;
	bool user; /* tuser on the last beat: the MAC says bad */
};

/* Recompute the IPv4 header checksum if the header lies in the frame. */
static void fix_ip_csum(struct rx_frame *f)
{
	size_t ihl4;

	if (f->len < 34)
		return;
	ihl4 = (size_t)(f->b[14] & 0x0f) * 4;
	if (ihl4 < 20 || 14 + ihl4 > f->len)
		return;
	toe_put_be16(f->b + 24, 0);
	toe_put_be16(f->b + 24, toe_ipv4_csum(f->b + 14, ihl4));
}

/* Recompute the TCP checksum if the segment (IP total length) lies in the
 * frame. */
static void fix_tcp_csum(struct rx_frame *f)
{
	size_t ihl4, tot;
	uint8_t *tcp;
	uint32_t sip, dip;

	if (f->len < 34)
		return;
	ihl4 = (size_t)(f->b[14] & 0x0f) * 4;
	tot = toe_get_be16(f->b + 16);
	if (ihl4 < 20 || tot < ihl4 + 20 || 14 + tot > f->len)
		return;
	tcp = f->b + 14 + ihl4;
	sip = toe_get_be32(f->b + 26);
	dip = toe_get_be32(f->b + 30);
	toe_put_be16(tcp + 16, 0);
	toe_put_be16(tcp + 16, toe_tcp_csum(sip, dip, tcp, tot - ihl4));
}

/* Offset of the TCP header (IHL as in the frame). */
static size_t tcp_off(const struct rx_frame *f)
{
	return 14 + (size_t)(f->b[14] & 0x0f) * 4;
}

/*
 * A random legal option list of exactly n bytes (n a multiple of 4, at
 * most 40): NOP, MSS, WS, SACK-permitted, TS, SACK blocks and unknown
 * kinds, at any alignment; sometimes an EOL followed by junk (which the
 * parser must not look at).
 */
static void rand_options(uint64_t *s, uint8_t *o, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t left = n - i;
		unsigned pick = rng_below(s, 9);

		if (pick == 0 && left >= 4) {
			o[i] = 2;
			o[i + 1] = 4;
			toe_put_be16(o + i + 2, (uint16_t)rng_next(s));
			i += 4;
		} else if (pick == 1 && left >= 3) {
			o[i] = 3;
			o[i + 1] = 3;
			o[i + 2] = (uint8_t)rng_below(s, 15);
			i += 3;
		} else if (pick == 2 && left >= 2) {
			o[i] = 4;
			o[i + 1] = 2;
			i += 2;
		} else if (pick == 3 && left >= 10) {
			size_t k;

			o[i] = 8;
			o[i + 1] = 10;
			for (k = 2; k < 10; k++)
				o[i + k] = (uint8_t)rng_next(s);
			i += 10;
		} else if (pick == 4 && left >= 2) {
			/* unknown kind (not 0,1,2,3,4,8), length 2..left */
			unsigned l = 2 + rng_below(s, (unsigned)(left - 1 < 12 ? left - 1 : 12));
			size_t k;
			uint8_t kind;

			do
				kind = (uint8_t)rng_next(s);
			while (kind <= 4 || kind == 8);
			o[i] = kind;
			o[i + 1] = (uint8_t)l;
			for (k = 2; k < l; k++)
				o[i + k] = (uint8_t)rng_next(s);
			i += l;
		} else if (pick == 5 && rng_pct(s, 30)) {
			/* EOL, then anything */
			o[i++] = 0;
			while (i < n)
				o[i++] = (uint8_t)rng_next(s);
		} else {
			o[i++] = 1; /* NOP */
		}
	}
}

struct gen_params {
	size_t ipopt;   /* IPv4 option bytes (multiple of 4, <= 40) */
	size_t tcpopt;  /* TCP option bytes (multiple of 4, <= 40) */
	size_t paylen;  /* payload bytes */
	size_t extra;   /* Ethernet padding bytes beyond 60/the segment */
	bool mss_only;  /* options = one MSS option (tcpopt 4) */
};

/* A good frame with random fields and the given shape. */
static void gen_frame(uint64_t *s, const struct gen_params *p, struct rx_frame *f)
{
	uint8_t tmp[FRAME_MAX], dmac[6], smac[6], opt[40], pay[FRAME_MAX];
	struct toe_ip_meta ipm;
	struct toe_seg seg;
	size_t i, iplen, seglen, flen;
	int n;

	for (i = 0; i < 6; i++) {
		dmac[i] = (uint8_t)rng_next(s);
		smac[i] = (uint8_t)rng_next(s);
	}
	memset(&ipm, 0, sizeof(ipm));
	ipm.tos = (uint8_t)rng_next(s);
	ipm.ttl = (uint8_t)rng_next(s);
	ipm.df = rng_pct(s, 50);
	ipm.id = (uint16_t)rng_next(s);
	memset(&seg, 0, sizeof(seg));
	seg.src_ip = (uint32_t)rng_next(s);
	seg.dst_ip = (uint32_t)rng_next(s);
	seg.src_port = (uint16_t)rng_next(s);
	seg.dst_port = (uint16_t)rng_next(s);
	seg.seq = (uint32_t)rng_next(s);
	seg.ack = (uint32_t)rng_next(s);
	seg.flags = (uint8_t)rng_next(s);
	seg.win = (uint16_t)rng_next(s);
	seg.urg = (uint16_t)rng_next(s);
	if (p->mss_only) {
		seg.opt.has_mss = true;
		seg.opt.mss = (uint16_t)rng_next(s);
	} else if (p->tcpopt) {
		rand_options(s, opt, p->tcpopt);
		seg.opt_raw = opt;
		seg.opt_raw_len = (uint8_t)p->tcpopt;
	}
	for (i = 0; i < p->paylen; i++)
		pay[i] = (uint8_t)rng_next(s);
	seg.data = pay;
	seg.len = (uint16_t)p->paylen;
	n = toe_build_frame(tmp, sizeof(tmp), dmac, smac, &ipm, &seg);
	assert_true(n > 0);

	/* insert the IPv4 options after the 20-byte header */
	iplen = toe_get_be16(tmp + 16);
	seglen = iplen - 20;
	memcpy(f->b, tmp, 34);
	for (i = 0; i < p->ipopt; i++)
		f->b[34 + i] = (uint8_t)rng_next(s);
	memcpy(f->b + 34 + p->ipopt, tmp + 34, seglen);
	flen = 34 + p->ipopt + seglen;
	f->b[14] = (uint8_t)(0x40 | (5 + p->ipopt / 4));
	toe_put_be16(f->b + 16, (uint16_t)(iplen + p->ipopt));
	f->len = flen;
	fix_ip_csum(f);
	/* padding: zeros to 60, then p->extra junk bytes */
	while (flen < TOE_ETH_MIN_FRAME)
		f->b[flen++] = 0;
	for (i = 0; i < p->extra && flen < FRAME_MAX; i++)
		f->b[flen++] = (uint8_t)rng_next(s);
	f->len = flen;
	f->user = false;
}

/* A random shape: mostly small frames, some large, options sometimes. */
static void rand_shape(uint64_t *s, struct gen_params *p)
{
	memset(p, 0, sizeof(*p));
	if (rng_pct(s, 25))
		p->ipopt = 4 * rng_below(s, 11);
	if (rng_pct(s, 20))
		p->mss_only = true;
	else if (rng_pct(s, 40))
		p->tcpopt = 4 * rng_below(s, 11);
	switch (rng_below(s, 4)) {
	case 0: p->paylen = 0; break;
	case 1: p->paylen = rng_below(s, 16); break;
	case 2: p->paylen = rng_below(s, 200); break;
	default: p->paylen = rng_below(s, 1400); break;
	}
	if (rng_pct(s, 15))
		p->extra = rng_below(s, 20);
}

/*
 * Damage a good frame in one of many ways; the checksums are sometimes
 * repaired so that later checks are reached.
 */
static void corrupt(uint64_t *s, struct rx_frame *f)
{
	size_t t = tcp_off(f);
	unsigned kind = rng_below(s, 16);

	switch (kind) {
	case 0: /* a flipped bit anywhere */
		f->b[rng_below(s, (unsigned)f->len)] ^= (uint8_t)(1u << rng_below(s, 8));
		break;
	case 1: /* truncation */
		f->len = 1 + rng_below(s, (unsigned)f->len);
		break;
	case 2: /* IHL */
		f->b[14] = (uint8_t)(0x40 | rng_below(s, 16));
		if (rng_pct(s, 70))
			fix_ip_csum(f);
		break;
	case 3: /* total length */
		toe_put_be16(f->b + 16, rng_pct(s, 50) ? (uint16_t)rng_next(s)
			: (uint16_t)(toe_get_be16(f->b + 16) + rng_below(s, 9) - 4));
		if (rng_pct(s, 80))
			fix_ip_csum(f);
		if (rng_pct(s, 50))
			fix_tcp_csum(f);
		break;
	case 4: /* fragment */
		toe_put_be16(f->b + 20, (uint16_t)(toe_get_be16(f->b + 20) |
			(rng_pct(s, 50) ? 0x2000 : (1 + rng_below(s, 0x1fff)))));
		fix_ip_csum(f);
		break;
	case 5: /* protocol */
		f->b[23] = rng_pct(s, 50) ? 1 : (uint8_t)rng_next(s);
		fix_ip_csum(f);
		break;
	case 6: /* version */
		f->b[14] = (uint8_t)((f->b[14] & 0x0f) | rng_below(s, 16) << 4);
		fix_ip_csum(f);
		break;
	case 7: /* data offset */
		if (t + 13 <= f->len)
			f->b[t + 12] = (uint8_t)(rng_below(s, 16) << 4 | (f->b[t + 12] & 0x0f));
		if (rng_pct(s, 60))
			fix_tcp_csum(f);
		break;
	case 8: /* an option byte, checksum repaired */
		if (t + 13 <= f->len && (f->b[t + 12] >> 4) > 5) {
			size_t ol = (size_t)(f->b[t + 12] >> 4) * 4 - 20;
			size_t at = t + 20 + rng_below(s, (unsigned)ol);

			f->b[at] = rng_pct(s, 50) ? (uint8_t)rng_below(s, 12) : (uint8_t)rng_next(s);
			fix_tcp_csum(f);
		}
		break;
	case 9: /* ethertype */
		toe_put_be16(f->b + 12, rng_pct(s, 50) ? 0x0806 : (uint16_t)rng_next(s));
		break;
	case 10: /* MAC says bad */
		f->user = true;
		break;
	case 11: /* TCP checksum */
		if (t + 18 <= f->len)
			f->b[t + 16 + rng_below(s, 2)] ^= (uint8_t)(1 + rng_below(s, 255));
		break;
	case 12: /* IPv4 checksum */
		f->b[24 + rng_below(s, 2)] ^= (uint8_t)(1 + rng_below(s, 255));
		break;
	case 13: /* junk padding after the segment */
		while (f->len < FRAME_MAX - 1 && rng_pct(s, 80))
			f->b[f->len++] = (uint8_t)rng_next(s);
		break;
	case 14: /* two at once */
		corrupt(s, f);
		corrupt(s, f);
		break;
	default: /* a random byte anywhere, checksums repaired */
		f->b[rng_below(s, (unsigned)f->len)] = (uint8_t)rng_next(s);
		fix_ip_csum(f);
		fix_tcp_csum(f);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Expectations from the codec                                        */
/* ------------------------------------------------------------------ */

struct rx_expect {
	int rc;              /* toe_parse_frame result */
	struct toe_frame f;  /* its fields */
	uint8_t reason;      /* what the RTL must give */
	bool pay_known;      /* TCP header parsed: payload offset/length known */
	size_t pay_off, pay_len;
};

static void expect_for(const struct rx_frame *fr, struct rx_expect *e)
{
	e->rc = toe_parse_frame(fr->b, fr->len, &e->f);
	e->reason = fr->user ? TOE_RXPARSE_MAC_BAD : (uint8_t)-e->rc;
	e->pay_known = e->rc == TOE_PARSE_OK || e->rc == TOE_PERR_TCP_CSUM ||
		       e->rc == TOE_PERR_TCP_OPT;
	e->pay_off = e->pay_len = 0;
	if (e->pay_known) {
		size_t ihl4 = (size_t)e->f.ip_ihl * 4, doff4 = (size_t)e->f.tcp_doff * 4;

		e->pay_off = 14 + ihl4 + doff4;
		e->pay_len = e->f.ip_total_len - ihl4 - doff4;
	} else if (e->rc == TOE_PERR_IP_LEN && fr->len >= 34) {
		/* cut short: a packet, if any, holds what the frame has from
		 * the payload offset on */
		size_t t = tcp_off(fr);

		if (t + 13 <= fr->len) {
			e->pay_off = t + (size_t)(fr->b[t + 12] >> 4) * 4;
			if (e->pay_off < fr->len)
				e->pay_len = fr->len - e->pay_off;
		}
	}
}

/* ------------------------------------------------------------------ */
/* The stream driver                                                  */
/* ------------------------------------------------------------------ */

struct rx_run_cfg {
	uint64_t seed;
	unsigned idle_pct;     /* chance of an idle cycle between beats */
	unsigned hdr_bp_pct;   /* chance m_hdr_ready is low */
	unsigned pay_bp_pct;   /* chance m_axis_tready is low */
	bool junk;             /* random bytes in the lanes past tkeep */
};

struct rx_run_stats {
	uint64_t cycles;
	uint64_t first_beat_cycle, last_tlast_cycle;
	unsigned lat_min, lat_max;   /* tlast handshake -> m_hdr_valid */
	unsigned frames, pay_pkts, good;
	unsigned by_reason[16];
};

#define PKT_Q 64

struct pkt {
	uint8_t *data;
	size_t len;
	bool user;
};

struct rx_run {
	const struct rx_run_cfg *cfg;
	const struct rx_frame *fr;
	struct rx_expect *ex;
	size_t n;
	/* payload packets and headers waiting to be paired */
	struct pkt pq[PKT_Q];
	size_t pq_head, pq_n;
	size_t hq[PKT_Q];
	size_t hq_head, hq_n;
	uint8_t cur[70000];
	size_t cur_len;
};

#define RUN_FAIL(r, idx, ...)                                                 \
	do {                                                                  \
		print_error("seed 0x%llx, frame %zu (len %zu%s): ",           \
			    (unsigned long long)(r)->cfg->seed, (size_t)(idx), \
			    (r)->fr[idx].len, (r)->fr[idx].user ? ", tuser" : ""); \
		print_error(__VA_ARGS__);                                     \
		print_error("\n");                                            \
		fail();                                                       \
	} while (0)

#define RUN_CHECK_EQ(r, idx, what, got, want)                                  \
	do {                                                                  \
		unsigned long long g_ = (unsigned long long)(got);            \
		unsigned long long w_ = (unsigned long long)(want);           \
		if (g_ != w_)                                                 \
			RUN_FAIL(r, idx, "%s: RTL 0x%llx, codec 0x%llx (codec %s)", \
				 what, g_, w_,                                \
				 toe_parse_result_name((r)->ex[idx].rc));     \
	} while (0)

static void check_hdr(struct rx_run *r, size_t i, const struct toe_rxparse_hdr *h)
{
	const struct rx_expect *e = &r->ex[i];
	const struct toe_frame *f = &e->f;
	const uint8_t *b = r->fr[i].b;
	int rc = e->rc;

	RUN_CHECK_EQ(r, i, "reason", h->reason, e->reason);
	RUN_CHECK_EQ(r, i, "arp", h->arp,
		     !r->fr[i].user && rc == TOE_PERR_ETHERTYPE && f->ethertype == 0x0806);
	RUN_CHECK_EQ(r, i, "icmp", h->icmp,
		     !r->fr[i].user && rc == TOE_PERR_IP_PROTO && b[23] == 1);
	if (rc != TOE_PERR_ETH_TRUNC) {
		RUN_CHECK_EQ(r, i, "dst_mac", memcmp(h->dst_mac, f->dst_mac, 6), 0);
		RUN_CHECK_EQ(r, i, "src_mac", memcmp(h->src_mac, f->src_mac, 6), 0);
		RUN_CHECK_EQ(r, i, "ethertype", h->ethertype, f->ethertype);
	}
	/* IHL is read before its check, the rest of IPv4 after it */
	if (rc == TOE_PARSE_OK || rc <= TOE_PERR_IP_IHL)
		RUN_CHECK_EQ(r, i, "ip_ihl", h->ip_ihl, f->ip_ihl);
	if (rc == TOE_PARSE_OK || rc <= TOE_PERR_IP_LEN) {
		RUN_CHECK_EQ(r, i, "ip_tos", h->ip_tos, f->ip.tos);
		RUN_CHECK_EQ(r, i, "ip_len", h->ip_len, f->ip_total_len);
		RUN_CHECK_EQ(r, i, "ip_id", h->ip_id, f->ip.id);
		RUN_CHECK_EQ(r, i, "ip_df", h->ip_df, f->ip.df);
		RUN_CHECK_EQ(r, i, "ip_ttl", h->ip_ttl, f->ip.ttl);
		RUN_CHECK_EQ(r, i, "ip_csum", h->ip_csum, f->ip_csum);
		RUN_CHECK_EQ(r, i, "ip_proto", h->ip_proto, b[23]);
		RUN_CHECK_EQ(r, i, "src_ip", h->src_ip, f->seg.src_ip);
		RUN_CHECK_EQ(r, i, "dst_ip", h->dst_ip, f->seg.dst_ip);
	}
	if (rc == TOE_PARSE_OK || rc <= TOE_PERR_TCP_DOFF) {
		RUN_CHECK_EQ(r, i, "src_port", h->src_port, f->seg.src_port);
		RUN_CHECK_EQ(r, i, "dst_port", h->dst_port, f->seg.dst_port);
		RUN_CHECK_EQ(r, i, "seq", h->seq, f->seg.seq);
		RUN_CHECK_EQ(r, i, "ack", h->ack, f->seg.ack);
		RUN_CHECK_EQ(r, i, "doff", h->doff, f->tcp_doff);
		RUN_CHECK_EQ(r, i, "flags", h->flags, f->seg.flags);
		RUN_CHECK_EQ(r, i, "win", h->win, f->seg.win);
		RUN_CHECK_EQ(r, i, "tcp_csum", h->tcp_csum, f->tcp_csum);
		RUN_CHECK_EQ(r, i, "urg", h->urg, f->seg.urg);
	}
	if (rc == TOE_PARSE_OK && !r->fr[i].user) {
		RUN_CHECK_EQ(r, i, "mss_valid", h->mss_valid, f->seg.opt.has_mss);
		if (f->seg.opt.has_mss)
			RUN_CHECK_EQ(r, i, "mss", h->mss, f->seg.opt.mss);
		RUN_CHECK_EQ(r, i, "len", h->len, f->seg.len);
	} else {
		RUN_CHECK_EQ(r, i, "mss_valid (not a good frame)", h->mss_valid, 0);
	}
	if (e->pay_known) {
		/* past tcp_doff: a packet iff there is payload */
		RUN_CHECK_EQ(r, i, "len", h->len, e->pay_len);
		RUN_CHECK_EQ(r, i, "pay_pkt", h->pay_pkt, e->pay_len > 0);
	} else if (rc != TOE_PERR_IP_LEN) {
		/* dropped before the payload could start (a frame shorter than
		 * its total length may have started one) */
		RUN_CHECK_EQ(r, i, "pay_pkt (dropped early)", h->pay_pkt, 0);
	}
}

/* Pair the oldest header that announced a packet with the oldest packet. */
static void pair_packets(struct rx_run *r)
{
	while (r->pq_n && r->hq_n) {
		struct pkt *p = &r->pq[r->pq_head];
		size_t i = r->hq[r->hq_head];
		const struct rx_expect *e = &r->ex[i];
		bool bad = e->reason != 0;

		RUN_CHECK_EQ(r, i, "payload tuser", p->user, bad);
		if (e->pay_known || e->rc == TOE_PERR_IP_LEN) {
			RUN_CHECK_EQ(r, i, "payload length", p->len, e->pay_len);
			if (memcmp(p->data, r->fr[i].b + e->pay_off, e->pay_len) != 0)
				RUN_FAIL(r, i, "payload bytes differ");
		}
		free(p->data);
		r->pq_head = (r->pq_head + 1) % PKT_Q;
		r->pq_n--;
		r->hq_head = (r->hq_head + 1) % PKT_Q;
		r->hq_n--;
	}
}

/* A beat of frame fr starting at byte off. */
static struct toe_axis_beat make_beat(const struct rx_frame *fr, size_t off,
					 bool junk, uint64_t *s)
{
	struct toe_axis_beat bt = { 0, 0, false, false };
	size_t l;

	for (l = 0; l < 8; l++) {
		uint8_t v = 0;

		if (off + l < fr->len) {
			v = fr->b[off + l];
			bt.keep |= (uint8_t)(1u << l);
		} else if (junk) {
			v = (uint8_t)rng_next(s);
		}
		bt.data |= (uint64_t)v << (8 * l);
	}
	bt.last = off + 8 >= fr->len;
	bt.user = bt.last && fr->user;
	return bt;
}

/*
 * Feed frames fr[0..n) through a fresh model with the configured idle and
 * backpressure patterns; check every header and payload packet against
 * the codec; then check that nothing is left in flight.
 */
static void run_frames(const struct rx_frame *fr, size_t n,
		       const struct rx_run_cfg *cfg, struct rx_run_stats *st)
{
	struct rx_run *r = calloc(1, sizeof(*r));
	struct toe_rxparse_model *m = toe_rxparse_model_new((uint32_t)cfg->seed);
	uint64_t s = cfg->seed | 1, beats = 0, guard;
	uint64_t *tlast_at = calloc(n ? n : 1, sizeof(*tlast_at));
	size_t fi = 0, off = 0, hi = 0, i;
	bool presenting = false;
	struct toe_axis_beat bt = { 0, 0, false, false };
	unsigned idle_run;
	/* an output shown but not taken must stay, unchanged (AXI) */
	bool h_stalled = false, p_stalled = false;
	struct toe_rxparse_hdr h_prev;
	struct toe_axis_beat p_prev = { 0, 0, false, false };

	assert_non_null(r);
	assert_non_null(m);
	assert_non_null(tlast_at);
	memset(st, 0, sizeof(*st));
	st->lat_min = ~0u;
	r->cfg = cfg;
	r->fr = fr;
	r->n = n;
	r->ex = calloc(n ? n : 1, sizeof(*r->ex));
	assert_non_null(r->ex);
	for (i = 0; i < n; i++) {
		expect_for(&fr[i], &r->ex[i]);
		beats += (fr[i].len + 7) / 8;
	}
	guard = 200 + beats * (cfg->idle_pct || cfg->hdr_bp_pct || cfg->pay_bp_pct ? 12 : 3) +
		n * 40;

	toe_rxparse_model_drive(m, false, NULL, false, false);
	toe_rxparse_model_reset(m, 4);

	for (;;) {
		uint64_t cyc = toe_rxparse_model_cycles(m);
		bool hdr_ready = !rng_pct(&s, cfg->hdr_bp_pct);
		bool pay_ready = !rng_pct(&s, cfg->pay_bp_pct);
		struct toe_rxparse_hdr h;
		struct toe_axis_beat pb = { 0, 0, false, false };

		if (!presenting && fi < n && !rng_pct(&s, cfg->idle_pct)) {
			bt = make_beat(&fr[fi], off, cfg->junk, &s);
			presenting = true;
		}
		toe_rxparse_model_drive(m, presenting, &bt, hdr_ready, pay_ready);

		memset(&h, 0, sizeof(h));
		if (toe_rxparse_model_hdr(m, &h)) {
			if (h_stalled && memcmp(&h, &h_prev, sizeof(h)) != 0)
				RUN_FAIL(r, hi, "header changed while stalled");
			h_stalled = !hdr_ready;
			h_prev = h;
			if (hi >= n)
				RUN_FAIL(r, n - 1, "a header with no frame left");
			if (hdr_ready) {
				unsigned lat = (unsigned)(cyc - tlast_at[hi]);

				if (hi >= fi)
					RUN_FAIL(r, hi, "header before the frame's last beat");
				if (!cfg->hdr_bp_pct && !cfg->pay_bp_pct) {
					if (lat < st->lat_min)
						st->lat_min = lat;
					if (lat > st->lat_max)
						st->lat_max = lat;
				}
				check_hdr(r, hi, &h);
				st->by_reason[h.reason & 15]++;
				if (h.reason == 0)
					st->good++;
				if (h.pay_pkt) {
					if (r->hq_n == PKT_Q)
						RUN_FAIL(r, hi, "too many packets owed");
					r->hq[(r->hq_head + r->hq_n) % PKT_Q] = hi;
					r->hq_n++;
				}
				hi++;
			}
		} else if (h_stalled) {
			RUN_FAIL(r, hi, "m_hdr_valid dropped while stalled");
		}
		if (toe_rxparse_model_pay(m, &pb)) {
			if (p_stalled && (pb.data != p_prev.data || pb.keep != p_prev.keep ||
					  pb.last != p_prev.last || pb.user != p_prev.user))
				RUN_FAIL(r, hi ? hi - 1 : 0, "payload beat changed while stalled");
			p_stalled = !pay_ready;
			p_prev = pb;
		} else if (p_stalled) {
			RUN_FAIL(r, hi ? hi - 1 : 0, "m_axis_tvalid dropped while stalled");
		}
		if (toe_rxparse_model_pay(m, &pb) && pay_ready) {
			size_t nb = 0, l;

			while (nb < 8 && (pb.keep >> nb & 1))
				nb++;
			for (l = nb; l < 8; l++)
				if (pb.keep >> l & 1)
					RUN_FAIL(r, hi ? hi - 1 : 0, "payload tkeep 0x%02x not contiguous", pb.keep);
			if (!pb.last && pb.keep != 0xff)
				RUN_FAIL(r, hi ? hi - 1 : 0, "payload middle beat tkeep 0x%02x", pb.keep);
			if (pb.last && nb == 0)
				RUN_FAIL(r, hi ? hi - 1 : 0, "payload last beat empty");
			for (l = 0; l < nb; l++) {
				if (r->cur_len >= sizeof(r->cur))
					RUN_FAIL(r, hi ? hi - 1 : 0, "payload packet too long");
				r->cur[r->cur_len++] = (uint8_t)(pb.data >> (8 * l));
			}
			if (pb.last) {
				struct pkt *p;

				if (r->pq_n == PKT_Q)
					RUN_FAIL(r, hi ? hi - 1 : 0, "too many unpaired packets");
				p = &r->pq[(r->pq_head + r->pq_n) % PKT_Q];
				p->data = malloc(r->cur_len ? r->cur_len : 1);
				assert_non_null(p->data);
				memcpy(p->data, r->cur, r->cur_len);
				p->len = r->cur_len;
				p->user = pb.user;
				r->pq_n++;
				r->cur_len = 0;
				st->pay_pkts++;
			}
		}
		if (presenting && toe_rxparse_model_s_ready(m)) {
			if (beats && fi == 0 && off == 0)
				st->first_beat_cycle = cyc;
			presenting = false;
			if (bt.last) {
				tlast_at[fi] = cyc;
				st->last_tlast_cycle = cyc;
				fi++;
				off = 0;
			} else {
				off += 8;
			}
		}
		pair_packets(r);
		toe_rxparse_model_tick(m);

		if (fi == n && hi == n && !presenting)
			break;
		if (toe_rxparse_model_cycles(m) > guard)
			RUN_FAIL(r, hi < n ? hi : n - 1,
				 "watchdog: %zu of %zu frames in, %zu headers out after %llu cycles",
				 fi, n, hi, (unsigned long long)toe_rxparse_model_cycles(m));
	}

	/* drain: with both readies high, the payload that is owed comes out,
	 * then nothing else does, and the input is ready again */
	for (idle_run = 0; idle_run < 40; idle_run++) {
		struct toe_rxparse_hdr h;
		struct toe_axis_beat pb;

		toe_rxparse_model_drive(m, false, NULL, true, true);
		if (toe_rxparse_model_hdr(m, &h))
			RUN_FAIL(r, n - 1, "a header after the last frame's");
		if (toe_rxparse_model_pay(m, &pb)) {
			size_t l;

			for (l = 0; l < 8 && (pb.keep >> l & 1); l++)
				r->cur[r->cur_len++] = (uint8_t)(pb.data >> (8 * l));
			if (pb.last) {
				struct pkt *p = &r->pq[(r->pq_head + r->pq_n) % PKT_Q];

				p->data = malloc(r->cur_len ? r->cur_len : 1);
				assert_non_null(p->data);
				memcpy(p->data, r->cur, r->cur_len);
				p->len = r->cur_len;
				p->user = pb.user;
				r->pq_n++;
				r->cur_len = 0;
				st->pay_pkts++;
			}
		}
		pair_packets(r);
		toe_rxparse_model_tick(m);
	}
	toe_rxparse_model_drive(m, false, NULL, true, true);
	if (r->hq_n)
		RUN_FAIL(r, r->hq[r->hq_head], "its payload packet never came");
	if (r->pq_n || r->cur_len)
		RUN_FAIL(r, n - 1, "%zu payload packets (+%zu bytes) nobody announced",
			 r->pq_n, r->cur_len);
	if (!toe_rxparse_model_s_ready(m))
		RUN_FAIL(r, n - 1, "input not ready when idle");

	st->cycles = toe_rxparse_model_cycles(m);
	st->frames = (unsigned)n;
	toe_rxparse_model_free(m);
	free(tlast_at);
	free(r->ex);
	free(r);
}

/* The stress patterns every frame set is run with. */
static const struct {
	unsigned idle, hdr_bp, pay_bp;
	bool junk;
} patterns[] = {
	{ 0, 0, 0, false },
	{ 0, 0, 0, true },
	{ 30, 0, 0, true },
	{ 0, 40, 0, true },
	{ 0, 0, 40, true },
	{ 20, 50, 50, true },
	{ 60, 80, 10, true },
};

static void run_patterns(const struct rx_frame *fr, size_t n, uint64_t seed)
{
	size_t p;

	for (p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		struct rx_run_cfg cfg = { seed + p, patterns[p].idle, patterns[p].hdr_bp,
					  patterns[p].pay_bp, patterns[p].junk };
		struct rx_run_stats st;

		run_frames(fr, n, &cfg, &st);
	}
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */
/* ------------------------------------------------------------------ */

static struct rx_frame *frames_alloc(size_t n)
{
	struct rx_frame *f = calloc(n, sizeof(*f));

	assert_non_null(f);
	return f;
}

static void load_seed(struct rx_frame *f, int k)
{
	size_t len;
	const uint8_t *p = seed_frame(k, &len);

	assert_non_null(p);
	memcpy(f->b, p, len);
	f->len = len;
	f->user = false;
}

/* The seven seed frames parse as good segments with the fields of the
 * capture (KB 172983 table), and as the codec parses them. */
static void test_rx_parse_seed_frames_match_codec(void **state)
{
	struct rx_frame *f = frames_alloc(SEED_N);
	struct rx_run_cfg cfg = { 0x5EED0100, 0, 0, 0, true };
	struct rx_run_stats st;
	int k;

	(void)state;
	for (k = 0; k < SEED_N; k++)
		load_seed(&f[k], k + 1);
	run_frames(f, SEED_N, &cfg, &st);
	assert_int_equal(st.good, SEED_N);
	run_patterns(f, SEED_N, 0x5EED0101);
	free(f);
}

/* Spot checks against the seed document's table, independent of the
 * codec: frame 1 (SYN, MSS 1460) and frame 6 (FIN+ACK). */
static void test_rx_parse_seed_fields_match_capture(void **state)
{
	struct rx_frame *f = frames_alloc(1);
	struct toe_rxparse_model *m = toe_rxparse_model_new(7);
	struct toe_rxparse_hdr h;
	int k, cyc;

	(void)state;
	assert_non_null(m);
	for (k = 1; k <= 6; k += 5) {
		size_t off = 0;

		load_seed(f, k);
		toe_rxparse_model_drive(m, false, NULL, true, true);
		toe_rxparse_model_reset(m, 2);
		for (cyc = 0; off < f->len; cyc++) {
			struct toe_axis_beat bt = make_beat(f, off, false, NULL);

			assert_true(cyc < 20);
			toe_rxparse_model_drive(m, true, &bt, true, true);
			if (toe_rxparse_model_s_ready(m))
				off += 8;
			toe_rxparse_model_tick(m);
		}
		for (cyc = 0; cyc < 10; cyc++) {
			toe_rxparse_model_drive(m, false, NULL, true, true);
			if (toe_rxparse_model_hdr(m, &h))
				break;
			toe_rxparse_model_tick(m);
		}
		assert_true(cyc < 10);
		assert_int_equal(h.reason, 0);
		if (k == 1) {
			assert_int_equal(h.src_ip, 0x836b02d6); /* 131.107.2.214 */
			assert_int_equal(h.dst_ip, 0x836b02d3); /* 131.107.2.211 */
			assert_int_equal(h.src_port, 1037);
			assert_int_equal(h.dst_port, 139);
			assert_int_equal(h.seq, 8221822);
			assert_int_equal(h.ack, 0);
			assert_int_equal(h.flags, TOE_TCP_SYN);
			assert_int_equal(h.win, 8192);
			assert_true(h.mss_valid);
			assert_int_equal(h.mss, 1460);
			assert_int_equal(h.ip_id, 0x0D01);
			assert_int_equal(h.ip_ttl, 128);
			assert_true(h.ip_df);
			assert_int_equal(h.len, 0);
		} else {
			assert_int_equal(h.src_ip, 0xc05ede57); /* 192.94.222.87 */
			assert_int_equal(h.dst_ip, 0xc05ede7b); /* 192.94.222.123 */
			assert_int_equal(h.src_port, 1352);
			assert_int_equal(h.dst_port, 2337);
			assert_int_equal(h.seq, 3462835714u);
			assert_int_equal(h.ack, 186685101);
			assert_int_equal(h.flags, TOE_TCP_FIN | TOE_TCP_ACK);
			assert_int_equal(h.win, 28672);
			assert_false(h.mss_valid);
			assert_int_equal(h.ip_ttl, 63);
			assert_false(h.ip_df);
			assert_int_equal(h.len, 0);
		}
		assert_false(h.pay_pkt);
		toe_rxparse_model_tick(m);
		toe_rxparse_model_drive(m, false, NULL, true, true);
		assert_false(toe_rxparse_model_hdr(m, &h));
		assert_false(toe_rxparse_model_pay(m, &(struct toe_axis_beat){ 0, 0, false, false }));
	}
	toe_rxparse_model_free(m);
	free(f);
}

/* Every truncation (1 byte .. full length) of every seed frame. */
static void test_rx_parse_seed_truncations_match_codec(void **state)
{
	size_t total = 0, n = 0, l;
	struct rx_frame *f;
	int k;

	(void)state;
	for (k = 1; k <= SEED_N; k++) {
		size_t len;

		assert_non_null(seed_frame(k, &len));
		total += len;
	}
	f = frames_alloc(total);
	for (k = 1; k <= SEED_N; k++) {
		struct rx_frame full;

		load_seed(&full, k);
		for (l = 1; l <= full.len; l++) {
			f[n] = full;
			f[n].len = l;
			n++;
		}
	}
	run_patterns(f, n, 0x5EED0200);
	free(f);
}

/* Frame sizes 60..1518, payload length sweeping, with and without IPv4
 * and TCP options. */
static void test_rx_parse_sizes_60_to_1518_match_codec(void **state)
{
	const size_t lo = 60, hi = 1518, n = hi - lo + 1;
	struct rx_frame *f = frames_alloc(n);
	uint64_t s = 0x5EED0300;
	struct rx_run_cfg cfg = { 0x5EED0301, 10, 20, 20, true };
	struct rx_run_stats st;
	size_t i;

	(void)state;
	for (i = 0; i < n; i++) {
		struct gen_params p;
		size_t size = lo + i, hdr;

		memset(&p, 0, sizeof(p));
		p.ipopt = (i % 3 == 1) ? 4 * (i / 3 % 11) : 0;
		p.tcpopt = (i % 3 == 2) ? 4 * (i / 3 % 11) : 0;
		hdr = 54 + p.ipopt + p.tcpopt;
		p.paylen = size > hdr ? size - hdr : 0;
		gen_frame(&s, &p, &f[i]);
	}
	run_frames(f, n, &cfg, &st);
	assert_int_equal(st.good, n);
	cfg.seed++;
	cfg.idle_pct = cfg.hdr_bp_pct = cfg.pay_bp_pct = 0;
	run_frames(f, n, &cfg, &st);
	assert_int_equal(st.good, n);
	free(f);
}

/* TCP options at every alignment: 0..3 NOPs, then MSS, behind IPv4
 * options of 0..40 bytes; the MSS value comes through. */
static void test_rx_parse_options_every_alignment_match_codec(void **state)
{
	struct rx_frame *f = frames_alloc(11 * 4 * 3);
	uint64_t s = 0x5EED0400;
	struct rx_run_cfg cfg = { 0x5EED0401, 0, 0, 0, true };
	struct rx_run_stats st;
	size_t n = 0, ipw, nops, pay;

	(void)state;
	for (ipw = 0; ipw <= 10; ipw++) {
		for (nops = 0; nops < 4; nops++) {
			for (pay = 0; pay < 3; pay++) {
				struct gen_params p;
				struct rx_frame *x = &f[n++];
				size_t t, k;

				memset(&p, 0, sizeof(p));
				p.ipopt = 4 * ipw;
				p.tcpopt = 8;
				p.paylen = pay * 7;
				gen_frame(&s, &p, x);
				t = tcp_off(x);
				for (k = 0; k < nops; k++)
					x->b[t + 20 + k] = 1;
				x->b[t + 20 + nops] = 2;
				x->b[t + 21 + nops] = 4;
				toe_put_be16(x->b + t + 22 + nops, (uint16_t)(1000 + n));
				for (k = nops + 4; k < 8; k++)
					x->b[t + 20 + k] = 1;
				fix_tcp_csum(x);
			}
		}
	}
	run_frames(f, n, &cfg, &st);
	assert_int_equal(st.good, n);
	run_patterns(f, n, 0x5EED0402);
	free(f);
}

/*
 * Malformed frames, one per rule, each with the reason toe_wire.h gives
 * for it (checked here, independent of the codec), and also compared with
 * the codec by the driver.
 */
struct bad_case {
	const char *what;
	uint8_t reason;
	void (*mangle)(struct rx_frame *f);
};

/* base: a SYN with MSS + 10 payload bytes, no IPv4 options */
static void base_frame(struct rx_frame *f)
{
	uint64_t s = 0x5EED0500;
	struct gen_params p;

	memset(&p, 0, sizeof(p));
	p.tcpopt = 12;
	p.paylen = 10;
	gen_frame(&s, &p, f);
	memcpy(f->b + 54, (const uint8_t[]){ 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0 }, 12);
	toe_put_be16(f->b + 20, 0x4000);
	f->b[23] = 6;
	fix_ip_csum(f);
	fix_tcp_csum(f);
}

/* option bytes o[0..12) in the base frame's 12-byte option list */
static void set_opts(struct rx_frame *f, const uint8_t o[12])
{
	memcpy(f->b + 54, o, 12);
	fix_tcp_csum(f);
}

static void m_none(struct rx_frame *f) { (void)f; }
static void m_len13(struct rx_frame *f) { f->len = 13; }
static void m_len14(struct rx_frame *f) { f->len = 14; }
static void m_arp(struct rx_frame *f) { toe_put_be16(f->b + 12, 0x0806); }
static void m_ipv6(struct rx_frame *f) { toe_put_be16(f->b + 12, 0x86dd); }
static void m_len33(struct rx_frame *f) { f->len = 33; }
static void m_ver6(struct rx_frame *f) { f->b[14] = 0x65; fix_ip_csum(f); }
static void m_ihl4(struct rx_frame *f) { f->b[14] = 0x44; }
static void m_ihl0(struct rx_frame *f) { f->b[14] = 0x40; }
static void m_ihl_long(struct rx_frame *f) { f->len = 60; f->b[14] = 0x4f; }
static void m_tot_short(struct rx_frame *f) { toe_put_be16(f->b + 16, 19); fix_ip_csum(f); }
static void m_tot_long(struct rx_frame *f)
{
	toe_put_be16(f->b + 16, (uint16_t)(f->len - 14 + 1));
	fix_ip_csum(f);
}
static void m_ipcsum(struct rx_frame *f) { f->b[25] ^= 0x40; }
static void m_mf(struct rx_frame *f) { toe_put_be16(f->b + 20, 0x6000); fix_ip_csum(f); }
static void m_fragoff(struct rx_frame *f) { toe_put_be16(f->b + 20, 0x0001); fix_ip_csum(f); }
static void m_nodf(struct rx_frame *f) { toe_put_be16(f->b + 20, 0x0000); fix_ip_csum(f); }
static void m_evil(struct rx_frame *f) { toe_put_be16(f->b + 20, 0x8000); fix_ip_csum(f); }
static void m_icmp(struct rx_frame *f) { f->b[23] = 1; fix_ip_csum(f); }
static void m_udp(struct rx_frame *f) { f->b[23] = 17; fix_ip_csum(f); }
static void m_tcp_trunc(struct rx_frame *f) { toe_put_be16(f->b + 16, 20 + 19); fix_ip_csum(f); }
static void m_doff4(struct rx_frame *f) { f->b[46] = 0x40; }
static void m_doff_long(struct rx_frame *f) { f->b[46] = 0xf0; }
static void m_tcpcsum(struct rx_frame *f) { f->b[50] ^= 0x01; }
static void m_pad_junk(struct rx_frame *f)
{
	size_t k;

	for (k = 0; k < 9; k++)
		f->b[f->len++] = (uint8_t)(0xa5 + k);
}
static void m_opt_len0(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 2, 4, 5, 180, 30, 0, 1, 1, 1, 1, 1, 1 });
}
static void m_opt_len1(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 1, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 });
}
static void m_opt_past(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 1, 1, 1, 1, 1, 1, 30, 7, 0, 0, 0, 0 });
}
static void m_opt_last_byte(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 30 });
}
static void m_opt_mss3(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 2, 3, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1 });
}
static void m_opt_ws4(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 3, 4, 7, 0, 1, 1, 1, 1, 1, 1, 1, 1 });
}
static void m_opt_sack3(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 4, 3, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 });
}
static void m_opt_ts8(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 8, 8, 1, 2, 3, 4, 5, 6, 1, 1, 1, 1 });
}
static void m_opt_eol_junk(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 2, 4, 2, 0, 0, 2, 9, 0, 1, 0, 0, 0 });
}
static void m_opt_unknown(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 30, 2, 31, 6, 9, 9, 9, 9, 2, 4, 1, 0 });
}
static void m_opt_two_mss(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 2, 4, 1, 0, 1, 1, 1, 1, 2, 4, 2, 0 });
}
static void m_opt_sack_blocks(struct rx_frame *f)
{
	set_opts(f, (const uint8_t[]){ 1, 1, 5, 10, 1, 2, 3, 4, 5, 6, 7, 8 });
}
static void m_user(struct rx_frame *f) { f->user = true; }
static void m_user_bad(struct rx_frame *f) { f->user = true; f->b[25] ^= 1; }
static void m_user_short(struct rx_frame *f) { f->user = true; f->len = 5; }

static const struct bad_case bad_cases[] = {
	{ "good", 0, m_none },
	{ "13 bytes", 1, m_len13 },
	{ "14 bytes", 3, m_len14 },
	{ "ARP", 2, m_arp },
	{ "IPv6", 2, m_ipv6 },
	{ "33 bytes", 3, m_len33 },
	{ "version 6", 4, m_ver6 },
	{ "IHL 4", 5, m_ihl4 },
	{ "IHL 0", 5, m_ihl0 },
	{ "IHL 15 past the frame", 5, m_ihl_long },
	{ "total length 19", 6, m_tot_short },
	{ "total length past the frame", 6, m_tot_long },
	{ "IPv4 checksum", 7, m_ipcsum },
	{ "MF", 8, m_mf },
	{ "fragment offset 1", 8, m_fragoff },
	{ "no DF", 0, m_nodf },
	{ "reserved flag bit", 0, m_evil },
	{ "ICMP", 9, m_icmp },
	{ "UDP", 9, m_udp },
	{ "TCP 19 bytes", 10, m_tcp_trunc },
	{ "data offset 4", 11, m_doff4 },
	{ "data offset 15 past the segment", 11, m_doff_long },
	{ "TCP checksum", 12, m_tcpcsum },
	{ "junk padding", 0, m_pad_junk },
	{ "option length 0", 13, m_opt_len0 },
	{ "option length 1", 13, m_opt_len1 },
	{ "option past the header", 13, m_opt_past },
	{ "option kind in the last byte", 13, m_opt_last_byte },
	{ "MSS length 3", 13, m_opt_mss3 },
	{ "window scale length 4", 13, m_opt_ws4 },
	{ "SACK-permitted length 3", 13, m_opt_sack3 },
	{ "timestamps length 8", 13, m_opt_ts8 },
	{ "EOL then junk", 0, m_opt_eol_junk },
	{ "unknown kinds skipped", 0, m_opt_unknown },
	{ "two MSS options", 0, m_opt_two_mss },
	{ "SACK blocks", 0, m_opt_sack_blocks },
	{ "tuser", 14, m_user },
	{ "tuser and bad IPv4 checksum", 14, m_user_bad },
	{ "tuser, 5 bytes", 14, m_user_short },
};

static void test_rx_parse_malformed_reasons_match_codec(void **state)
{
	const size_t n = sizeof(bad_cases) / sizeof(bad_cases[0]);
	struct rx_frame *f = frames_alloc(n);
	struct rx_run_cfg cfg = { 0x5EED0501, 0, 0, 0, true };
	struct rx_run_stats st;
	size_t i;

	(void)state;
	for (i = 0; i < n; i++) {
		struct toe_frame tf;
		int rc;

		base_frame(&f[i]);
		bad_cases[i].mangle(&f[i]);
		rc = toe_parse_frame(f[i].b, f[i].len, &tf);
		if ((f[i].user ? 14 : -rc) != bad_cases[i].reason) {
			print_error("case \"%s\": codec says %s, the rule says %u\n",
				    bad_cases[i].what, toe_parse_result_name(rc),
				    bad_cases[i].reason);
			fail();
		}
	}
	/* the driver checks each against the codec (and the ARP / ICMP
	 * flags) */
	run_frames(f, n, &cfg, &st);
	assert_int_equal(st.by_reason[TOE_RXPARSE_MAC_BAD], 3);
	assert_int_equal(st.by_reason[-TOE_PERR_TCP_OPT], 8);
	run_patterns(f, n, 0x5EED0502);
	free(f);
}

/* 20000 random frames, good and corrupted, with gaps and backpressure. */
static void test_rx_parse_random_20000_match_codec(void **state)
{
	const size_t n = 20000;
	struct rx_frame *f = frames_alloc(n);
	uint64_t s = 0x5EED0600;
	struct rx_run_cfg cfg = { 0x5EED0601, 15, 25, 25, true };
	struct rx_run_stats st;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < n; i++) {
		struct gen_params p;

		rand_shape(&s, &p);
		gen_frame(&s, &p, &f[i]);
		if (rng_pct(&s, 55))
			corrupt(&s, &f[i]);
	}
	run_frames(f, n, &cfg, &st);
	printf("random: %u frames, %u good, %u payload packets, %llu cycles; reasons:",
	       st.frames, st.good, st.pay_pkts, (unsigned long long)st.cycles);
	for (r = 0; r < 15; r++)
		printf(" %d:%u", r, st.by_reason[r]);
	printf("\n");
	/* the mix reaches every reason */
	for (r = 0; r < 15; r++)
		assert_true(st.by_reason[r] > 0);
	free(f);
}

/*
 * Line rate: back-to-back 60-byte frames with random 4-tuples, no gaps,
 * outputs always ready: one frame per 8 cycles (no idle cycle at all),
 * with or without an MSS option or payload, and m_hdr_valid 2 cycles after
 * the last beat's handshake.
 */
static void test_rx_parse_back_to_back_60_byte_line_rate(void **state)
{
	const size_t n = 2000;
	struct rx_frame *f = frames_alloc(n);
	uint64_t s = 0x5EED0700;
	struct rx_run_cfg cfg = { 0x5EED0701, 0, 0, 0, false };
	struct rx_run_stats st;
	double per;
	size_t i;
	int variant;

	(void)state;
	for (variant = 0; variant < 3; variant++) {
		for (i = 0; i < n; i++) {
			struct gen_params p;

			memset(&p, 0, sizeof(p));
			if (variant == 1) {
				p.mss_only = true;        /* SYN-style, 58 + 2 pad */
			} else if (variant == 2) {
				p.paylen = 6;             /* 60 bytes, payload */
			}
			gen_frame(&s, &p, &f[i]);
			assert_int_equal(f[i].len, 60);
		}
		run_frames(f, n, &cfg, &st);
		assert_int_equal(st.good, n);
		per = (double)(st.last_tlast_cycle - st.first_beat_cycle + 1) / (double)n;
		printf("back-to-back 60-byte frames (%s): %.3f cycles/frame "
		       "(%.4f frames/cycle), tlast->m_hdr_valid %u..%u cycles\n",
		       variant == 0 ? "no options" : variant == 1 ? "MSS option" : "6-byte payload",
		       per, 1.0 / per, st.lat_min, st.lat_max);
		assert_true(per <= 8.0);
		assert_int_equal(st.lat_max, 2);
	}
	free(f);
}

/* Latency of larger option lists (printed), and never a hang with the
 * worst one: 20 unknown 2-byte options. */
static void test_rx_parse_option_walk_latency_bounded(void **state)
{
	struct rx_frame *f = frames_alloc(4);
	uint64_t s = 0x5EED0800;
	struct rx_run_cfg cfg = { 0x5EED0801, 0, 0, 0, false };
	struct rx_run_stats st;
	static const uint8_t linux_syn[20] = { 2, 4, 5, 180, 4, 2, 8, 10, 1, 2, 3, 4,
					       0, 0, 0, 0, 1, 3, 3, 7 };
	static const uint8_t win_syn[12] = { 2, 4, 5, 180, 1, 3, 3, 0, 1, 1, 4, 2 };
	const char *names[4] = { "Linux SYN (20 option bytes)", "Windows SYN (12)",
				 "20 x 2-byte unknown (40)", "40 NOPs (40)" };
	int k;

	(void)state;
	for (k = 0; k < 4; k++) {
		struct gen_params p;
		size_t t, j;

		memset(&p, 0, sizeof(p));
		p.tcpopt = k == 0 ? 20 : k == 1 ? 12 : 40;
		gen_frame(&s, &p, &f[k]);
		t = tcp_off(&f[k]);
		for (j = 0; j < p.tcpopt; j++) {
			uint8_t v = k == 0 ? linux_syn[j] : k == 1 ? win_syn[j]
				  : k == 2 ? (j % 2 ? 2 : 77) : 1;

			f[k].b[t + 20 + j] = v;
		}
		fix_tcp_csum(&f[k]);
	}
	for (k = 0; k < 4; k++) {
		run_frames(&f[k], 1, &cfg, &st);
		assert_int_equal(st.good, 1);
		printf("options %s: tlast->m_hdr_valid %u cycles\n", names[k], st.lat_max);
		/* worst case: one option per cycle after the last beat */
		assert_true(st.lat_max <= 20);
	}
	free(f);
}

/* A reset in the middle of a frame (and with a header and payload
 * pending) leaves nothing behind: the next frames parse as the codec says. */
static void test_rx_parse_reset_mid_frame_recovers(void **state)
{
	struct rx_frame *f = frames_alloc(1);
	struct toe_rxparse_model *m = toe_rxparse_model_new(11);
	uint64_t s = 0x5EED0900;
	struct gen_params p;
	size_t off = 0;
	int cyc;

	(void)state;
	assert_non_null(m);
	memset(&p, 0, sizeof(p));
	p.tcpopt = 20;
	p.paylen = 100;
	gen_frame(&s, &p, f);
	toe_rxparse_model_drive(m, false, NULL, false, false);
	toe_rxparse_model_reset(m, 2);
	/* most of the frame in, outputs stalled */
	for (cyc = 0; cyc < 40 && off + 16 < f->len; cyc++) {
		struct toe_axis_beat bt = make_beat(f, off, false, NULL);

		toe_rxparse_model_drive(m, true, &bt, false, false);
		if (toe_rxparse_model_s_ready(m))
			off += 8;
		toe_rxparse_model_tick(m);
	}
	toe_rxparse_model_drive(m, false, NULL, true, true);
	toe_rxparse_model_reset(m, 1);
	toe_rxparse_model_drive(m, false, NULL, true, true);
	assert_false(toe_rxparse_model_hdr(m, &(struct toe_rxparse_hdr){ 0 }));
	assert_false(toe_rxparse_model_pay(m, &(struct toe_axis_beat){ 0, 0, false, false }));

	/* the whole frame again: one good header, its payload, nothing else */
	{
		struct toe_frame tf;
		struct toe_rxparse_hdr h;
		uint8_t pay[256];
		size_t plen = 0, nhdr = 0;

		assert_int_equal(toe_parse_frame(f->b, f->len, &tf), TOE_PARSE_OK);
		off = 0;
		for (cyc = 0; cyc < 80; cyc++) {
			struct toe_axis_beat bt, pb;
			bool in = off < f->len;

			if (in)
				bt = make_beat(f, off, false, NULL);
			toe_rxparse_model_drive(m, in, in ? &bt : NULL, true, true);
			if (toe_rxparse_model_hdr(m, &h)) {
				nhdr++;
				assert_int_equal(h.reason, 0);
				assert_int_equal(h.seq, tf.seg.seq);
				assert_int_equal(h.len, tf.seg.len);
				assert_true(h.pay_pkt);
			}
			if (toe_rxparse_model_pay(m, &pb)) {
				int l;

				for (l = 0; l < 8 && (pb.keep >> l & 1); l++) {
					assert_true(plen < sizeof(pay));
					pay[plen++] = (uint8_t)(pb.data >> (8 * l));
				}
				if (pb.last)
					assert_false(pb.user);
			}
			if (in && toe_rxparse_model_s_ready(m))
				off += 8;
			toe_rxparse_model_tick(m);
		}
		assert_int_equal(nhdr, 1);
		assert_int_equal(plen, tf.seg.len);
		assert_memory_equal(pay, tf.seg.data, plen);
	}
	toe_rxparse_model_free(m);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_parse_seed_frames_match_codec),
		cmocka_unit_test(test_rx_parse_seed_fields_match_capture),
		cmocka_unit_test(test_rx_parse_seed_truncations_match_codec),
		cmocka_unit_test(test_rx_parse_sizes_60_to_1518_match_codec),
		cmocka_unit_test(test_rx_parse_options_every_alignment_match_codec),
		cmocka_unit_test(test_rx_parse_malformed_reasons_match_codec),
		cmocka_unit_test(test_rx_parse_random_20000_match_codec),
		cmocka_unit_test(test_rx_parse_back_to_back_60_byte_line_rate),
		cmocka_unit_test(test_rx_parse_option_walk_latency_bounded),
		cmocka_unit_test(test_rx_parse_reset_mid_frame_recovers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
