/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_l2.c - the link-layer responders (rtl/toe_l2_resp.v: ARP +
 * ICMP echo) in Verilator, differentially against the C model
 * (host/pkt/l2.c): the same frames into both - random mixes of ARP, ICMP
 * echo of random sizes and IP header lengths, corrupted, foreign, oversized
 * and bad (tuser) frames - with idle gaps on the input and random
 * backpressure on the output. Every reply must equal the model's byte for
 * byte (the ICMP ones with the IP ID the RTL took), the drop counters must
 * equal the model's verdicts, requests the RTL could not queue must be
 * exactly its busy counts, and the output must be empty at the end.
 * Also: the Linux kernel's captured replies, the enables, reset in flight,
 * and the latency and line-rate throughput, printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "l2_model.h"
#include "toe_bytes.h"
#include "toe_l2.h"
#include "toe_wire.h"
#include "test_rng.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define OUR_IP IP4(10, 0, 0, 1)

#define MAX_FRAME 3200 /* the largest frame generated (a jumbo) */

static uint16_t csum(const uint8_t *p, size_t n)
{
	return toe_csum_fold(toe_csum_add(0, p, n));
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

/* ------------------------------------------------------------------ */
/* frames                                                             */
/* ------------------------------------------------------------------ */

struct frame {
	uint8_t buf[MAX_FRAME];
	size_t len;
	bool user;       /* tuser set on one of its beats: a bad frame */
	unsigned gap;    /* idle cycles before it */
};

/* An ARP request from the peer (or a random host) for tpa. */
static size_t mk_arp(uint8_t *f, uint64_t *s, uint32_t tpa, bool unicast)
{
	uint8_t sha[6];

	for (int i = 0; i < 6; i++)
		sha[i] = (uint8_t)rng_next(s);
	sha[0] &= 0xfe; /* a unicast sender */
	memset(f, 0, 60);
	memcpy(f, unicast ? our_mac : bcast, 6);
	memcpy(f + 6, sha, 6);
	toe_put_be16(f + 12, 0x0806);
	toe_put_be16(f + 14, 1);
	toe_put_be16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	toe_put_be16(f + 20, 1);
	memcpy(f + 22, sha, 6);
	toe_put_be32(f + 28, IP4(10, 0, (uint8_t)rng_next(s), 1 + rng_below(s, 254)));
	toe_put_be32(f + 38, tpa);
	return rng_pct(s, 20) ? 42 : 60;
}

/* An ICMP echo request to us with dlen data bytes and ihl header words. */
static size_t mk_ping(uint8_t *f, uint64_t *s, size_t dlen, unsigned ihl)
{
	size_t hl = ihl * 4, icmp_len = 8 + dlen, len = 14 + hl + icmp_len;
	uint8_t *ip = f + 14, *icmp = ip + hl;

	memset(f, 0, len < 60 ? 60 : len);
	memcpy(f, our_mac, 6);
	for (int i = 0; i < 6; i++)
		f[6 + i] = (uint8_t)rng_next(s);
	f[6] &= 0xfe;
	toe_put_be16(f + 12, 0x0800);
	ip[0] = (uint8_t)(0x40 | ihl);
	ip[1] = (uint8_t)rng_next(s);
	toe_put_be16(ip + 2, (uint16_t)(hl + icmp_len));
	toe_put_be16(ip + 4, (uint16_t)rng_next(s));
	toe_put_be16(ip + 6, rng_pct(s, 50) ? 0x4000 : 0);
	ip[8] = (uint8_t)(1 + rng_below(s, 255));
	ip[9] = 1;
	toe_put_be32(ip + 12, IP4(1 + rng_below(s, 200), (uint8_t)rng_next(s),
			  (uint8_t)rng_next(s), (uint8_t)rng_next(s)));
	toe_put_be32(ip + 16, OUR_IP);
	for (size_t i = 20; i < hl; i++)
		ip[i] = (uint8_t)rng_next(s); /* option bytes: only summed */
	icmp[0] = 8;
	icmp[1] = 0;
	for (size_t i = 4; i < icmp_len; i++)
		icmp[i] = (uint8_t)rng_next(s);
	toe_put_be16(icmp + 2, csum(icmp, icmp_len));
	toe_put_be16(ip + 10, csum(ip, hl));
	if (len < 60) {
		/* Ethernet padding: zeros or junk, ignored either way */
		if (rng_pct(s, 50))
			for (size_t i = len; i < 60; i++)
				f[i] = (uint8_t)rng_next(s);
		len = 60;
	}
	return len;
}

static void refresh_ip_csum(uint8_t *f)
{
	unsigned hl = (f[14] & 0x0fu) * 4;

	if (hl < 20)
		hl = 20;
	toe_put_be16(f + 24, 0);
	toe_put_be16(f + 24, csum(f + 14, hl));
}

/* A random ICMP echo request: size and header length drawn. */
static size_t mk_ping_random(uint8_t *f, uint64_t *s)
{
	unsigned ihl = rng_pct(s, 75) ? 5 : 5 + rng_below(s, 11);
	size_t max_d = 1472 - (ihl - 5) * 4;
	size_t dlen;

	switch (rng_below(s, 4)) {
	case 0: dlen = rng_below(s, 40); break;                  /* short */
	case 1: dlen = max_d - rng_below(s, 8); break;           /* near the max */
	default: dlen = rng_below(s, (unsigned)max_d + 1); break;
	}
	return mk_ping(f, s, dlen, ihl);
}

/* One frame of the random mix. */
static void gen_frame(struct frame *fr, uint64_t *s)
{
	uint8_t *f = fr->buf;
	unsigned k = rng_below(s, 100);

	fr->user = false;
	if (k < 16) {
		fr->len = mk_arp(f, s, OUR_IP, rng_pct(s, 20));
	} else if (k < 26) {
		/* ARP that gets no reply, or a counted drop */
		fr->len = mk_arp(f, s, OUR_IP, false);
		switch (rng_below(s, 8)) {
		case 0: toe_put_be32(f + 38, OUR_IP + 1 + rng_below(s, 5)); break;
		case 1: toe_put_be16(f + 20, 2); break;
		case 2: memcpy(f + 28, f + 38, 4); break;      /* gratuitous */
		case 3: fr->len = 14 + rng_below(s, 28); break; /* truncated */
		case 4: toe_put_be16(f + 14, 6); break;
		case 5: f[19] = 16; break;
		case 6: f[0] = 0x02; f[5] = 0x99; break;       /* another MAC */
		default: memset(f + 28, 0, 4); break;          /* a probe: replied */
		}
	} else if (k < 62) {
		fr->len = mk_ping_random(f, s);
	} else if (k < 88) {
		/* ICMP with one fault (or a twist the model decides on) */
		size_t hl, icmp_at;

		fr->len = mk_ping_random(f, s);
		hl = (f[14] & 0x0fu) * 4;
		icmp_at = 14 + hl;
		switch (rng_below(s, 16)) {
		case 0: f[24] ^= (uint8_t)(1 + rng_below(s, 255)); break;
		case 1: {                                       /* ICMP body bit */
			size_t end = 14 + (size_t)(f[16] << 8 | f[17]);

			f[icmp_at + 4 + rng_below(s, (unsigned)(end - icmp_at - 4))] ^=
				(uint8_t)(1u << rng_below(s, 8));
			break;
		}
		case 2: f[icmp_at + 2] ^= 0x80; break;
		case 3: toe_put_be16(f + 20, rng_pct(s, 50) ? 0x2000 : 0x0001 + rng_below(s, 100));
			refresh_ip_csum(f); break;
		case 4: toe_put_be32(f + 26, rng_pct(s, 50) ? IP4(127, 0, 0, 1) :
			     IP4(224 + rng_below(s, 32), 0, 0, 1));
			refresh_ip_csum(f); break;
		case 5: toe_put_be32(f + 30, OUR_IP ^ (1u << rng_below(s, 32)));
			refresh_ip_csum(f); break;
		case 6: f[rng_below(s, 6)] ^= 0x04; break;     /* another MAC */
		case 7: memcpy(f, bcast, 6); break;
		case 8: f[icmp_at] = (uint8_t)rng_below(s, 20);
			if (f[icmp_at] == 8) f[icmp_at + 1] = 3;
			break;
		case 9: toe_put_be16(f + 16, (uint16_t)(hl + rng_below(s, 8)));
			refresh_ip_csum(f); break;                 /* ICMP < 8 bytes */
		case 10: f[14] = (uint8_t)(rng_pct(s, 50) ? 0x65 : 0x40 | rng_below(s, 5));
			refresh_ip_csum(f); break;
		case 11: toe_put_be16(f + 16, (uint16_t)(fr->len - 14 + 1 + rng_below(s, 100)));
			refresh_ip_csum(f); break;                 /* past the frame */
		case 12: {                                      /* too big */
			size_t n = 1515 + rng_below(s, rng_pct(s, 80) ? 600 : MAX_FRAME - 1515);

			for (size_t i = fr->len; i < n; i++)
				f[i] = (uint8_t)rng_next(s);
			fr->len = n;
			break;
		}
		case 13: f[23] = 6; refresh_ip_csum(f); break;  /* TCP */
		case 14: toe_put_be16(f + 12, 0x86dd); break;
		default: fr->len = 1 + rng_below(s, 33); break;   /* runt */
		}
	} else if (k < 95) {
		/* a good ARP or ICMP frame with random bytes flipped */
		fr->len = rng_pct(s, 50) ? mk_arp(f, s, OUR_IP, false) : mk_ping_random(f, s);
		for (unsigned n = 1 + rng_below(s, 3); n; n--)
			f[rng_below(s, (unsigned)(fr->len < 64 ? fr->len : 64))] ^=
				(uint8_t)(1u << rng_below(s, 8));
	} else {
		/* noise, sometimes with our MAC and a known ethertype */
		fr->len = 1 + rng_below(s, 200);
		for (size_t i = 0; i < fr->len; i++)
			f[i] = (uint8_t)rng_next(s);
		if (fr->len >= 14 && rng_pct(s, 60)) {
			memcpy(f, our_mac, 6);
			toe_put_be16(f + 12, rng_pct(s, 50) ? 0x0800 : 0x0806);
		}
	}
	if (rng_pct(s, 3))
		fr->user = true;
}

/* ------------------------------------------------------------------ */
/* the differential run                                               */
/* ------------------------------------------------------------------ */

struct run_cfg {
	uint64_t seed;
	unsigned in_idle_pct;   /* chance of an idle cycle instead of a beat */
	unsigned out_pct;       /* chance of m_axis_tready per cycle */
	bool cfg_arp, cfg_ping; /* the enables */
	bool no_busy;           /* every request must be answered */
};

struct run_res {
	unsigned arp_exp, icmp_exp;       /* replies the model asks for */
	unsigned arp_out, icmp_out;       /* replies seen */
	uint32_t drops[TOE_L2_N_REASONS]; /* model verdicts */
	struct toe_l2_model_stats st;
	uint64_t cycles, out_beats, out_bytes, in_beats;
	uint64_t lat_min[2], lat_max[2], lat_sum[2]; /* [0] ARP, [1] ICMP */
	unsigned lat_n[2];
};

struct out_frame {
	uint8_t buf[2048];
	size_t len;
	uint64_t first_cycle;
};

#define TTL 77

/* Compare one reply with the next model reply of its kind, skipping the
 * ones the RTL dropped as busy (it says how many at the end). */
static void match_reply(const struct frame *fr, const size_t *want_idx, unsigned n_want,
			unsigned *next, const struct out_frame *o, bool icmp, uint16_t ip_id,
			const uint64_t *last_cycle, struct run_res *res, uint64_t seed)
{
	while (*next < n_want) {
		const struct frame *q = &fr[want_idx[*next]];
		uint8_t want[2048];
		int r = icmp ? toe_ref_icmp_reply(q->buf, q->len, our_mac, OUR_IP, want,
						  sizeof(want), TTL, ip_id)
			     : toe_ref_arp_reply(q->buf, q->len, our_mac, OUR_IP, want,
						 sizeof(want));

		(*next)++;
		if (r == (int)o->len && memcmp(want, o->buf, o->len) == 0) {
			uint64_t lat = o->first_cycle - last_cycle[want_idx[*next - 1]];
			int k = icmp ? 1 : 0;

			if (!res->lat_n[k] || lat < res->lat_min[k])
				res->lat_min[k] = lat;
			if (lat > res->lat_max[k])
				res->lat_max[k] = lat;
			res->lat_sum[k] += lat;
			res->lat_n[k]++;
			return;
		}
	}
	print_error("seed %llu: %s reply #%u (%zu bytes, first beat at cycle %llu) "
		    "matches no request\n", (unsigned long long)seed, icmp ? "ICMP" : "ARP",
		    icmp ? res->icmp_out : res->arp_out, o->len,
		    (unsigned long long)o->first_cycle);
	for (size_t i = 0; i < o->len && i < 64; i++)
		print_error("%02x%s", o->buf[i], (i % 16 == 15) ? "\n" : " ");
	print_error("\n");
	fail();
}

static void run(struct frame *fr, size_t n, const struct run_cfg *rc, struct run_res *res)
{
	struct toe_l2_model *m = toe_l2_model_new((uint32_t)rc->seed);
	uint64_t s = rc->seed | 1;
	size_t *arp_idx = calloc(n + 1, sizeof(size_t));
	size_t *icmp_idx = calloc(n + 1, sizeof(size_t));
	uint16_t *taken = calloc(n + 1, sizeof(uint16_t));
	uint64_t *last_cycle = calloc(n + 1, sizeof(uint64_t));
	struct out_frame *o = calloc(1, sizeof(*o));
	unsigned arp_next = 0, icmp_next = 0, n_taken = 0, quiet = 0;
	uint16_t ip_id = (uint16_t)(rc->seed * 7919);
	size_t fi = 0, pos = 0;
	unsigned gap_left;
	uint64_t cycle = 0, limit = 64;

	assert_non_null(m);
	assert_true(arp_idx && icmp_idx && taken && last_cycle && o);
	memset(res, 0, sizeof(*res));

	/* what the model says about each frame */
	for (size_t i = 0; i < n; i++) {
		uint8_t out[2048];
		int ra, ri;

		limit += fr[i].gap + (fr[i].len + 7) / 8 * 2 + 16;
		if (fr[i].user)
			continue;
		ra = toe_ref_arp_reply(fr[i].buf, fr[i].len, our_mac, OUR_IP, out, sizeof(out));
		ri = toe_ref_icmp_reply(fr[i].buf, fr[i].len, our_mac, OUR_IP, out, sizeof(out),
					TTL, 0);
		assert_false(ra != 0 && ri != 0); /* ARP and IPv4 never overlap */
		if (!rc->cfg_arp)
			ra = 0;
		if (!rc->cfg_ping)
			ri = 0;
		if (ra > 0)
			arp_idx[res->arp_exp++] = i;
		if (ri > 0)
			icmp_idx[res->icmp_exp++] = i;
		if (ra < 0)
			res->drops[-ra - 1]++;
		if (ri < 0)
			res->drops[-ri - 1]++;
	}
	/* every reply at a quarter of the output rate, at worst */
	limit = limit * 100 / (rc->out_pct ? rc->out_pct : 1) * 2 + 100000;

	toe_l2_model_config(m, our_mac, OUR_IP, TTL, rc->cfg_arp, rc->cfg_ping);
	toe_l2_model_drive(m, false, NULL, false, ip_id);
	toe_l2_model_reset(m, 4);
	gap_left = n ? fr[0].gap : 0;

	for (;;) {
		struct toe_axis_beat in = { 0 }, ob;
		bool s_valid = false, m_ready, take, done_in = fi >= n;

		if (!done_in) {
			if (pos == 0 && gap_left > 0)
				gap_left--;
			else if (!rng_pct(&s, rc->in_idle_pct)) {
				const struct frame *f = &fr[fi];
				size_t k = f->len - pos < 8 ? f->len - pos : 8;

				for (size_t b = 0; b < k; b++)
					in.data |= (uint64_t)f->buf[pos + b] << (8 * b);
				in.keep = (uint8_t)((1u << k) - 1);
				in.last = pos + k >= f->len;
				/* a bad frame: tuser on its last beat or, sometimes, earlier */
				in.user = f->user && (in.last || (pos / 8) % 5 == 3);
				s_valid = true;
			}
		}
		m_ready = rng_pct(&s, rc->out_pct);
		toe_l2_model_drive(m, s_valid, s_valid ? &in : NULL, m_ready, ip_id);
		assert_true(toe_l2_model_s_ready(m));
		take = toe_l2_model_ip_id_take(m);

		if (toe_l2_model_m_valid(m, &ob) && m_ready) {
			unsigned k = 0;

			assert_false(ob.user);
			while (k < 8 && (ob.keep >> k & 1))
				k++;
			if ((ob.keep != 0xff && !ob.last) || k == 0 ||
			    ob.keep != (uint8_t)((1u << k) - 1)) {
				print_error("seed %llu: bad tkeep 0x%02x (last %d) at cycle %llu\n",
					    (unsigned long long)rc->seed, ob.keep, ob.last,
					    (unsigned long long)cycle);
				fail();
			}
			if (o->len == 0)
				o->first_cycle = cycle;
			assert_true(o->len + k <= sizeof(o->buf));
			for (unsigned b = 0; b < k; b++)
				o->buf[o->len++] = (uint8_t)(ob.data >> (8 * b));
			res->out_beats++;
			res->out_bytes += k;
			if (ob.last) {
				bool icmp = o->len >= 14 && o->buf[12] == 0x08 && o->buf[13] == 0x00;

				if (icmp) {
					if (res->icmp_out >= n_taken) {
						print_error("seed %llu: ICMP reply without an IP ID taken\n",
							    (unsigned long long)rc->seed);
						fail();
					}
					match_reply(fr, icmp_idx, res->icmp_exp, &icmp_next, o, true,
						    taken[res->icmp_out], last_cycle, res, rc->seed);
					res->icmp_out++;
				} else {
					match_reply(fr, arp_idx, res->arp_exp, &arp_next, o, false, 0,
						    last_cycle, res, rc->seed);
					res->arp_out++;
				}
				o->len = 0;
			}
		}
		if (s_valid) {
			res->in_beats++;
			pos += 8;
			if (in.last) {
				last_cycle[fi] = cycle;
				fi++;
				pos = 0;
				gap_left = fi < n ? fr[fi].gap : 0;
			}
		}
		toe_l2_model_tick(m);
		cycle++;
		if (take) {
			assert_true(n_taken < n + 1);
			taken[n_taken++] = ip_id;
			ip_id = (uint16_t)(ip_id + 3);
		}

		if (done_in) {
			toe_l2_model_get_stats(m, &res->st);
			if (res->st.arp_replies + res->st.arp_busy == res->arp_exp &&
			    res->st.icmp_replies + res->st.icmp_busy == res->icmp_exp &&
			    res->arp_out == res->st.arp_replies &&
			    res->icmp_out == res->st.icmp_replies && o->len == 0) {
				/* everything answered: the output must stay empty */
				if (++quiet > 64)
					break;
			}
		}
		if (cycle > limit) {
			toe_l2_model_get_stats(m, &res->st);
			print_error("seed %llu: stuck at cycle %llu: fed %zu/%zu; ARP %u out "
				    "%u+%u of %u; ICMP %u out %u+%u of %u\n",
				    (unsigned long long)rc->seed, (unsigned long long)cycle, fi, n,
				    res->arp_out, res->st.arp_replies, res->st.arp_busy,
				    res->arp_exp, res->icmp_out, res->st.icmp_replies,
				    res->st.icmp_busy, res->icmp_exp);
			fail();
		}
	}
	res->cycles = cycle;

	/* counters: replies, busy drops, drop reasons */
	assert_int_equal(res->st.arp_replies, res->arp_out);
	assert_int_equal(res->st.icmp_replies, res->icmp_out);
	assert_int_equal(res->arp_exp - res->arp_out, res->st.arp_busy);
	assert_int_equal(res->icmp_exp - res->icmp_out, res->st.icmp_busy);
	assert_int_equal(n_taken, res->icmp_out);
	for (int r = 0; r < TOE_L2_N_REASONS; r++) {
		if (res->st.drop[r] != res->drops[r]) {
			print_error("seed %llu: %s: RTL counted %u, model %u\n",
				    (unsigned long long)rc->seed, toe_l2_result_name(-r - 1),
				    res->st.drop[r], res->drops[r]);
			fail();
		}
	}
	if (rc->no_busy) {
		assert_int_equal(res->st.arp_busy, 0);
		assert_int_equal(res->st.icmp_busy, 0);
	}
	toe_l2_model_free(m);
	free(arp_idx);
	free(icmp_idx);
	free(taken);
	free(last_cycle);
	free(o);
}

static struct frame *gen_mix(size_t n, uint64_t seed, unsigned gap_max)
{
	struct frame *fr = calloc(n, sizeof(*fr));
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL | 1;

	assert_non_null(fr);
	for (size_t i = 0; i < n; i++) {
		gen_frame(&fr[i], &s);
		fr[i].gap = gap_max ? rng_below(&s, gap_max + 1) : 0;
	}
	return fr;
}

static void print_latency(const char *what, const struct run_res *r)
{
	static const char *const kind[2] = { "ARP", "ICMP echo" };

	for (int k = 0; k < 2; k++) {
		if (!r->lat_n[k])
			continue;
		printf("  %s: %s latency (request's last beat to reply's first beat): "
		       "min %llu, mean %.1f, max %llu cycles over %u replies\n", what, kind[k],
		       (unsigned long long)r->lat_min[k], (double)r->lat_sum[k] / r->lat_n[k],
		       (unsigned long long)r->lat_max[k], r->lat_n[k]);
	}
}

static void print_counts(const char *what, const struct run_res *r)
{
	unsigned dropped = 0;

	for (int i = 0; i < TOE_L2_N_REASONS; i++)
		dropped += r->drops[i];
	printf("  %s: %llu cycles, ARP %u/%u answered (%u busy), ICMP %u/%u answered "
	       "(%u busy), %u malformed counted\n", what, (unsigned long long)r->cycles,
	       r->arp_out, r->arp_exp, r->st.arp_busy, r->icmp_out, r->icmp_exp,
	       r->st.icmp_busy, dropped);
}

/* ------------------------------------------------------------------ */
/* tests                                                              */
/* ------------------------------------------------------------------ */

/* The Linux kernel's replies, captured through a TAP device (see
 * tests/unit/test_l2.c for how): the RTL must send the same bytes, padded
 * to 60, given the kernel's IP ID and TTL 64. */
static const char *linux_arp_req =
	"ffffffffffff020000000002080600010800060400010200000000020a000002"
	"0000000000000a000001000000000000000000000000000000000000";
static const char *linux_arp_rep =
	"020000000002020000000001080600010800060400020200000000010a000001"
	"0200000000020a000002";
static const char *linux_ping_req =
	"0200000000010200000000020800450000544f6e40004001d7380a0000020a00"
	"0001080097760b7d000100f153650000000040e2010000000000101112131415"
	"161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	"3637";
static const char *linux_ping_rep =
	"0200000000020200000000010800450000546fb300004001f6f30a0000010a00"
	"000200009f760b7d000100f153650000000040e2010000000000101112131415"
	"161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
	"3637";

/* Feed frames one by one into a fresh model (output always ready) and
 * collect every reply beat; returns the bytes of all replies in order. */
static size_t rtl_replies(const uint8_t *const *frames, const size_t *lens, size_t n,
			  uint16_t ip_id, uint8_t ttl, uint8_t *out, size_t cap)
{
	struct toe_l2_model *m = toe_l2_model_new(5);
	size_t olen = 0;

	assert_non_null(m);
	toe_l2_model_config(m, our_mac, OUR_IP, ttl, true, true);
	toe_l2_model_drive(m, false, NULL, true, ip_id);
	toe_l2_model_reset(m, 3);
	for (size_t i = 0; i <= n; i++) {
		for (size_t pos = 0; i < n && pos < lens[i]; pos += 8) {
			struct toe_axis_beat b = { 0 };
			size_t k = lens[i] - pos < 8 ? lens[i] - pos : 8;

			for (size_t j = 0; j < k; j++)
				b.data |= (uint64_t)frames[i][pos + j] << (8 * j);
			b.keep = (uint8_t)((1u << k) - 1);
			b.last = pos + k >= lens[i];
			toe_l2_model_drive(m, true, &b, true, ip_id);
			toe_l2_model_tick(m);
		}
		for (int c = 0; c < (i < n ? 300 : 400); c++) {
			struct toe_axis_beat ob;

			toe_l2_model_drive(m, false, NULL, true, ip_id);
			if (toe_l2_model_m_valid(m, &ob)) {
				for (int j = 0; j < 8; j++)
					if (ob.keep >> j & 1) {
						assert_true(olen < cap);
						out[olen++] = (uint8_t)(ob.data >> (8 * j));
					}
			}
			toe_l2_model_tick(m);
		}
	}
	toe_l2_model_free(m);
	return olen;
}

static void test_rtl_l2_linux_requests_get_kernel_replies(void **state)
{
	uint8_t areq[64], aw[60] = { 0 }, preq[128], pw[128], out[512];
	const uint8_t *frames[2] = { areq, preq };
	size_t lens[2];
	int wa, wp;

	(void)state;
	lens[0] = (size_t)unhex(linux_arp_req, areq, sizeof(areq));
	lens[1] = (size_t)unhex(linux_ping_req, preq, sizeof(preq));
	wa = unhex(linux_arp_rep, aw, sizeof(aw));
	wp = unhex(linux_ping_rep, pw, sizeof(pw));
	assert_int_equal(wa, 42);
	assert_int_equal(wp, 98);
	assert_int_equal(rtl_replies(frames, lens, 2, 0x6fb3, 64, out, sizeof(out)), 60 + 98);
	assert_memory_equal(out, aw, 60);
	assert_memory_equal(out + 60, pw, 98);
}

static void test_rtl_l2_directed_each_kind_equals_model(void **state)
{
	/* every case of the mix generator, in order, with wide gaps */
	struct frame *fr = gen_mix(400, 11, 0);
	struct run_cfg rc = { 11, 0, 100, true, true, true };
	struct run_res res;

	(void)state;
	for (size_t i = 0; i < 400; i++) {
		fr[i].user = false;
		fr[i].gap = 260;
	}
	run(fr, 400, &rc, &res);
	print_counts("one frame at a time", &res);
	print_latency("one frame at a time", &res);
	assert_true(res.arp_out > 20 && res.icmp_out > 50);
	/* nothing else in flight: a fixed latency (ICMP: one cycle more when
	 * the request's options shift the message by 4 bytes) */
	assert_int_equal(res.lat_min[0], res.lat_max[0]);
	assert_true(res.lat_max[1] - res.lat_min[1] <= 1);
	free(fr);
}

static void test_rtl_l2_random_mix_output_ready_all_answered(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct frame *fr = gen_mix(1500, seed, 24);
		struct run_cfg rc = { seed, 20, 100, true, true, true };
		struct run_res res;

		run(fr, 1500, &rc, &res);
		if (seed == 1)
			print_counts("mix, output ready", &res);
		free(fr);
	}
}

static void test_rtl_l2_random_mix_backpressure_equals_model(void **state)
{
	static const unsigned pat[][2] = {
		/* input idle %, output ready % */
		{ 0, 100 }, { 0, 50 }, { 30, 70 }, { 50, 30 }, { 10, 90 }, { 70, 10 },
	};

	(void)state;
	for (unsigned p = 0; p < sizeof(pat) / sizeof(pat[0]); p++) {
		for (uint64_t seed = 1; seed <= 2; seed++) {
			uint64_t sd = 100 * (p + 1) + seed;
			struct frame *fr = gen_mix(1200, sd, p == 0 ? 0 : 6);
			struct run_cfg rc = { sd, pat[p][0], pat[p][1], true, true, false };
			struct run_res res;
			char what[64];

			run(fr, 1200, &rc, &res);
			if (seed == 1) {
				snprintf(what, sizeof(what), "idle %u%% / ready %u%%",
					 pat[p][0], pat[p][1]);
				print_counts(what, &res);
			}
			free(fr);
		}
	}
}

static void test_rtl_l2_disabled_ignores_everything(void **state)
{
	(void)state;
	for (int en = 0; en < 3; en++) {
		struct frame *fr = gen_mix(300, 40 + (uint64_t)en, 4);
		struct run_cfg rc = { 40 + (uint64_t)en, 10, 80, en == 1, en == 2, true };
		struct run_res res;

		run(fr, 300, &rc, &res);
		if (en != 1)
			assert_int_equal(res.arp_out, 0);
		if (en != 2)
			assert_int_equal(res.icmp_out, 0);
		free(fr);
	}
}

static void feed(struct toe_l2_model *m, const uint8_t *f, size_t len, size_t beats,
		 bool m_ready, uint16_t ip_id)
{
	for (size_t pos = 0; pos < len && beats; pos += 8, beats--) {
		struct toe_axis_beat b = { 0 };

		for (size_t j = 0; j < 8 && pos + j < len; j++)
			b.data |= (uint64_t)f[pos + j] << (8 * j);
		b.keep = (uint8_t)(len - pos >= 8 ? 0xff : (1u << (len - pos)) - 1);
		b.last = pos + 8 >= len;
		toe_l2_model_drive(m, true, &b, m_ready, ip_id);
		toe_l2_model_tick(m);
	}
}

static void test_rtl_l2_reset_in_flight_then_clean(void **state)
{
	struct toe_l2_model *m = toe_l2_model_new(77);
	static uint8_t f[2048];
	uint8_t want[128], got[256];
	struct toe_l2_model_stats st;
	struct toe_axis_beat ob;
	uint64_t s = 99;
	size_t len, glen = 0;

	(void)state;
	assert_non_null(m);
	toe_l2_model_config(m, our_mac, OUR_IP, 64, true, true);
	toe_l2_model_drive(m, false, NULL, false, 0);
	toe_l2_model_reset(m, 2);
	/* two big pings and an ARP request with the output stalled, then
	 * half of another ping: reset in the middle of it */
	for (int k = 0; k < 2; k++) {
		len = mk_ping(f, &s, 1000, 5);
		feed(m, f, len, SIZE_MAX, false, 0);
	}
	len = mk_arp(f, &s, OUR_IP, false);
	feed(m, f, len, SIZE_MAX, false, 0);
	len = mk_ping(f, &s, 600, 5);
	feed(m, f, len, 40, false, 0);
	toe_l2_model_drive(m, false, NULL, false, 0);
	assert_true(toe_l2_model_m_valid(m, &ob));
	toe_l2_model_get_stats(m, &st);
	assert_int_equal(st.icmp_replies, 0);
	toe_l2_model_reset(m, 1);
	toe_l2_model_get_stats(m, &st);
	assert_int_equal(st.arp_replies + st.icmp_replies + st.arp_busy + st.icmp_busy, 0);
	for (int c = 0; c < 400; c++) {
		toe_l2_model_drive(m, false, NULL, true, 0);
		assert_false(toe_l2_model_m_valid(m, &ob));
		assert_false(toe_l2_model_ip_id_take(m));
		toe_l2_model_tick(m);
	}
	/* the rest of the cut frame arrives after reset and ends like a
	 * frame of its own: a runt for the model too, no reply */
	feed(m, f + 320, len - 320, SIZE_MAX, true, 0);
	/* then the kernel's ping gets the kernel's reply */
	len = (size_t)unhex(linux_ping_req, f, sizeof(f));
	assert_int_equal(unhex(linux_ping_rep, want, sizeof(want)), 98);
	feed(m, f, len, SIZE_MAX, true, 0x6fb3);
	for (int c = 0; c < 200; c++) {
		toe_l2_model_drive(m, false, NULL, true, 0x6fb3);
		if (toe_l2_model_m_valid(m, &ob))
			for (int j = 0; j < 8; j++)
				if (ob.keep >> j & 1) {
					assert_true(glen < sizeof(got));
					got[glen++] = (uint8_t)(ob.data >> (8 * j));
				}
		toe_l2_model_tick(m);
	}
	assert_int_equal(glen, 98);
	assert_memory_equal(got, want, 98);
	toe_l2_model_get_stats(m, &st);
	assert_int_equal(st.icmp_replies, 1);
	for (int r = 0; r < TOE_L2_N_REASONS; r++)
		assert_int_equal(st.drop[r], 0);
	toe_l2_model_free(m);
}

/*
 * Line rate at 10GbE: a frame of L bytes takes L/8 beats plus the
 * inter-frame gap and preamble (20 bytes, 2.5 beats): idle gaps of 2 and 3
 * cycles alternate. With the output free, every request must be answered.
 * Then back to back with no gap at all (faster than any Ethernet), which
 * shows where the responders start to drop.
 */
static void line_rate(const char *what, size_t (*mk)(uint8_t *, uint64_t *), size_t n,
		      bool gap, bool expect_all)
{
	struct frame *fr = calloc(n, sizeof(*fr));
	uint64_t s = 1234;
	struct run_cfg rc = { 9, 0, 100, true, true, expect_all };
	struct run_res res;

	assert_non_null(fr);
	for (size_t i = 0; i < n; i++) {
		fr[i].len = mk(fr[i].buf, &s);
		fr[i].gap = gap ? (unsigned)(2 + (i & 1)) : 0;
	}
	run(fr, n, &rc, &res);
	printf("  %s, %s: %u/%u answered, %u dropped busy; input %.3f beats/cycle, "
	       "output %.3f beats/cycle (%.2f Gbit/s of replies at 156.25 MHz)\n", what,
	       gap ? "10GbE line rate (gaps 2/3)" : "back to back, no gap",
	       res.arp_out + res.icmp_out, res.arp_exp + res.icmp_exp,
	       res.st.arp_busy + res.st.icmp_busy, (double)res.in_beats / (double)res.cycles,
	       (double)res.out_beats / (double)res.cycles,
	       (double)res.out_bytes * 8.0 * 156.25e6 / (double)res.cycles / 1e9);
	free(fr);
}

static size_t mk_ping_max(uint8_t *f, uint64_t *s)
{
	return mk_ping(f, s, 1472, 5);
}

static size_t mk_ping_min(uint8_t *f, uint64_t *s)
{
	return mk_ping(f, s, 18, 5); /* 60 bytes, no padding */
}

static size_t mk_arp_60(uint8_t *f, uint64_t *s)
{
	mk_arp(f, s, OUR_IP, false);
	return 60;
}

static size_t mk_arp_42(uint8_t *f, uint64_t *s)
{
	mk_arp(f, s, OUR_IP, false);
	return 42;
}

static void test_rtl_l2_line_rate_all_answered(void **state)
{
	(void)state;
	line_rate("ICMP echo 1514 bytes", mk_ping_max, 200, true, true);
	line_rate("ICMP echo 60 bytes", mk_ping_min, 2000, true, true);
	line_rate("ARP 60 bytes", mk_arp_60, 2000, true, true);
	line_rate("ARP 42 bytes", mk_arp_42, 2000, true, true);
}

static void test_rtl_l2_back_to_back_throughput(void **state)
{
	(void)state;
	line_rate("ICMP echo 1514 bytes", mk_ping_max, 600, false, false);
	line_rate("ICMP echo 60 bytes", mk_ping_min, 2000, false, false);
	line_rate("ARP 60 bytes", mk_arp_60, 2000, false, true);
	line_rate("ARP 42 bytes", mk_arp_42, 2000, false, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtl_l2_linux_requests_get_kernel_replies),
		cmocka_unit_test(test_rtl_l2_directed_each_kind_equals_model),
		cmocka_unit_test(test_rtl_l2_random_mix_output_ready_all_answered),
		cmocka_unit_test(test_rtl_l2_random_mix_backpressure_equals_model),
		cmocka_unit_test(test_rtl_l2_disabled_ignores_everything),
		cmocka_unit_test(test_rtl_l2_reset_in_flight_then_clean),
		cmocka_unit_test(test_rtl_l2_line_rate_all_answered),
		cmocka_unit_test(test_rtl_l2_back_to_back_throughput),
	};
	return cmocka_run_group_tests_name("rtl_l2", tests, NULL, NULL);
}
