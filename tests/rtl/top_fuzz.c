/* SPDX-License-Identifier: MIT */
/*
 * top_fuzz.c - the engine frame fuzzer (top_fuzz.h): mutated frames into
 * the whole engine and the reference stack side by side, through the
 * differential harness top_dual.{h,c}, so a divergence is whatever the
 * harness compares (every frame sent, byte for byte; every event; the
 * payload stream; command results; connection read-outs and counters at
 * each epoch), and an RTL assertion stops the model (Verilator --assert).
 *
 * One engine, one reference, a fixed seed (TOE_FUZZ_SEED) and its own
 * xorshift64* stream (test_rng.h). The run keeps FZ_PER_STATE connections
 * in each state a peer and the host can lead one to: SYN-SENT, SYN-RECEIVED,
 * ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK,
 * TIME-WAIT (led there by valid segments and commands, all compared too;
 * timers run out and the population is topped up), plus LISTEN (a new
 * 4-tuple to a listening port) and CLOSED (a port with no listener). Each
 * fuzz frame is built with the codec (td_build) as a plausible segment for
 * one of them (its 4-tuple, SEQ at RCV.NXT, ACK at SND.NXT mostly, flags of
 * every kind, payload 0 to 8946 bytes) or is an ARP request or ICMP echo
 * request, then gets one to three mutations:
 *   bit flips, byte changes, truncation, extension (padding, or counted in
 *   the IPv4 total length), a length from 1 to 9000 bytes, an extreme IPv4
 *   IHL (0..15), an extreme TCP data offset (0..15), an IPv4 total length,
 *   a header field (ethertype, version, protocol, fragment bits, address,
 *   port, flags, SEQ/ACK, urgent pointer), a broken checksum, garbage TCP
 *   options (kinds with lengths 0, 1, too long, past the end, EOL and
 *   junk; built by the codec with the raw option bytes);
 * after which (but for the broken-checksum mutation) both checksums are
 * recomputed for half the frames (fe_fix_checksums: the frame then passes
 * the checksum checks and reaches the deeper ones) and left as they are
 * for the others. The source MAC is then set to the peer's for its source
 * IP (td_mac_of): the harness gives each peer one MAC (top_dual.h, limits
 * of the model), and the engine's choice between a connection's MAC and
 * the frame's is not what is fuzzed. 2 % of the frames carry the MAC's
 * bad-frame flag. Frames longer than the engine's payload buffer
 * (td_rx_max, 4096 in the default build) are cut and counted by the engine
 * and not given to the reference (top_dual.h, TD_FRAME_MAX): they must
 * change nothing else, which the rest of the comparison shows.
 * Every FZ_EPOCH frames and at the end: every connection aborted, all
 * connection slots read out and compared, every counter compared
 * (STAT_PARSE_DROP by reason, MAC_BAD, RX_TOO_LONG, ...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "frame_edit.h"
#include "toe_bytes.h"
#include "toe_l2.h"
#include "top_dual.h"
#include "top_fuzz.h"
#include "test_rng.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define LOCAL IP4(10, 0, 0, 1) /* the engine's address (td_cfg_default) */
#define FZ_MAX_LEN 9000        /* longest frame made */
#define FZ_PER_STATE 2         /* connections kept in each state */
#define FZ_TRACK 64
#define FZ_EPOCH 500           /* frames between full read-outs */

/* states a connection is led to (the reference's numbering) */
static const int fz_states[] = {
	TOE_ST_SYN_SENT, TOE_ST_SYN_RECEIVED, TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
	TOE_ST_FIN_WAIT_2, TOE_ST_CLOSE_WAIT, TOE_ST_CLOSING, TOE_ST_LAST_ACK, TOE_ST_TIME_WAIT,
};
#define FZ_NSTATES (sizeof(fz_states) / sizeof(fz_states[0]))

enum mut {
	MU_BITFLIP, MU_BYTE, MU_TRUNC, MU_EXTEND, MU_LEN, MU_IHL, MU_DOFF, MU_IPLEN, MU_FIELD,
	MU_CSUM, MU_OPTS, MU_COUNT
};
static const char *const mut_name[MU_COUNT] = {
	"bit flips", "byte changes", "truncation", "extension", "length 1..9000",
	"IPv4 IHL 0..15", "TCP data offset 0..15", "IPv4 total length", "header field",
	"bad checksum (not recomputed)", "garbage TCP options",
};

/* what a fuzz frame was built for */
enum base {
	BA_CONN, BA_LISTEN, BA_CLOSED, BA_ARP, BA_ICMP, BA_COUNT
};
static const char *const base_name[BA_COUNT] = {
	"a live connection", "a listener (new 4-tuple)", "a closed port", "ARP request",
	"ICMP echo request",
};

struct fz {
	struct td *t;
	uint64_t x;
	int track[FZ_TRACK];     /* connections led to a state, -1 free */
	int want[FZ_TRACK];      /* ... the state each was led to */
	uint64_t frames, mut[MU_COUNT], base[BA_COUNT];
	uint64_t by_state[TOE_ST_COUNT]; /* fuzz frames for a connection in */
	uint64_t fixed, left, macbad, over, bad_or_cut, clean;
	uint64_t parse_ok;       /* mutated frames the codec still takes */
	uint64_t spawned, spawn_steps;
	uint64_t len_hist[5];    /* 1..59, 60..1514, 1515..rx_max, over, 9000 */
	uint8_t f[TD_FRAME_MAX + 64];
	uint8_t data[TD_FRAME_MAX];
	uint8_t opt[44];
};

static uint32_t rr(struct fz *z, uint32_t n)
{
	return rng_below(&z->x, n);
}

static bool chance(struct fz *z, unsigned pct)
{
	return rng_pct(&z->x, pct);
}

static int state_of(struct fz *z, int id, struct toe_ref_conn_info *ci)
{
	if (id < 0 || toe_ref_conn_info(td_ref(z->t), id, ci) != TOE_REF_OK)
		return TOE_ST_CLOSED;
	return ci->state;
}

/* ---- leading connections to states (valid stimuli, compared too) ---- */

static uint32_t peer_ip(struct fz *z)
{
	return IP4(10, 2 + rr(z, 2), rr(z, 256), 1 + rr(z, 254));
}

/* One step toward `want` for connection id; false when it cannot go on
 * (it died, or it is there). */
static bool lead_step(struct fz *z, int id, int want)
{
	struct toe_ref_conn_info ci;
	struct toe_seg s;
	int st = state_of(z, id, &ci);

	if (st == want || st == TOE_ST_CLOSED)
		return false;
	z->spawn_steps++;
	switch (st) {
	case TOE_ST_SYN_SENT:
		s = td_conn_seg(&ci, (uint32_t)rng_next(&z->x), ci.iss + 1, TOE_TCP_SYN | TOE_TCP_ACK, 8192);
		td_seg(z->t, &s);
		return true;
	case TOE_ST_SYN_RECEIVED:
		s = td_conn_seg(&ci, ci.rcv_nxt, ci.snd_nxt, TOE_TCP_ACK, 8192);
		td_seg(z->t, &s);
		return true;
	case TOE_ST_ESTABLISHED:
		if (want == TOE_ST_CLOSE_WAIT || want == TOE_ST_LAST_ACK) {
			s = td_conn_seg(&ci, ci.rcv_nxt, ci.snd_nxt, TOE_TCP_FIN | TOE_TCP_ACK, 8192);
			td_seg(z->t, &s);
		} else {
			td_close(z->t, id);
		}
		return true;
	case TOE_ST_CLOSE_WAIT:
		td_close(z->t, id);
		return true;
	case TOE_ST_FIN_WAIT_1:
		/* CLOSING: the peer's FIN not ACKing ours; else ACK it */
		s = td_conn_seg(&ci, ci.rcv_nxt, want == TOE_ST_CLOSING ? ci.snd_una : ci.snd_nxt,
			     want == TOE_ST_CLOSING ? TOE_TCP_FIN | TOE_TCP_ACK : TOE_TCP_ACK, 8192);
		td_seg(z->t, &s);
		return true;
	case TOE_ST_FIN_WAIT_2:
		s = td_conn_seg(&ci, ci.rcv_nxt, ci.snd_nxt, TOE_TCP_FIN | TOE_TCP_ACK, 8192);
		td_seg(z->t, &s);
		return true;
	default:
		return false;
	}
}

/* A new connection led to `want`; its id or -1. */
static int spawn(struct fz *z, int want)
{
	struct td *t = z->t;
	struct toe_ref_conn_info ci;
	int id, k;

	if (want == TOE_ST_SYN_SENT || chance(z, 30)) {
		id = td_connect(t, (uint16_t)(20000 + rr(z, 40000)), peer_ip(z),
				(uint16_t)(1 + rr(z, 65535)));
	} else {
		struct toe_seg s;
		uint8_t mss[4] = { TOE_TCPOPT_MSS, 4, 0x05, 0xb4 };

		memset(&s, 0, sizeof(s));
		s.src_ip = peer_ip(z);
		s.dst_ip = LOCAL;
		s.src_port = (uint16_t)(1024 + rr(z, 64000));
		s.dst_port = chance(z, 50) ? 80 : 443;
		s.seq = (uint32_t)rng_next(&z->x);
		s.flags = TOE_TCP_SYN;
		s.win = 8192;
		if (chance(z, 70)) {
			s.opt_raw = mss;
			s.opt_raw_len = 4;
		}
		td_seg(t, &s);
		id = toe_ref_find(td_ref(t), LOCAL, s.dst_port, s.src_ip, s.src_port);
	}
	if (id < 0)
		return -1;
	z->spawned++;
	for (k = 0; k < 6 && lead_step(z, id, want); k++)
		;
	return state_of(z, id, &ci) == want ? id : -1;
}

/* Top the population up: one connection for a state short of its share. */
static void top_up(struct fz *z)
{
	struct toe_ref_conn_info ci;
	unsigned have[FZ_NSTATES] = { 0 }, i, s;
	int free_slot = -1;

	for (i = 0; i < FZ_TRACK; i++) {
		if (z->track[i] < 0 || state_of(z, z->track[i], &ci) != z->want[i]) {
			z->track[i] = -1;
			if (free_slot < 0)
				free_slot = (int)i;
			continue;
		}
		for (s = 0; s < FZ_NSTATES; s++)
			if (fz_states[s] == z->want[i])
				have[s]++;
	}
	if (free_slot < 0)
		return;
	for (s = 0; s < FZ_NSTATES; s++) {
		unsigned q = (s + rr(z, FZ_NSTATES)) % FZ_NSTATES;

		if (have[q] < FZ_PER_STATE) {
			int id = spawn(z, fz_states[q]);

			if (id >= 0) {
				z->track[free_slot] = id;
				z->want[free_slot] = fz_states[q];
			}
			return;
		}
	}
}

/* ---- the fuzz frames ---- */

static uint16_t fz_len(struct fz *z, size_t room)
{
	uint32_t l;

	switch (rr(z, 10)) {
	case 0: case 1: case 2: case 3:
		l = 0;
		break;
	case 4: case 5:
		l = 1 + rr(z, 64);
		break;
	case 6: case 7:
		l = 65 + rr(z, 1396);
		break;
	case 8:
		l = 1461 + rr(z, 2600);
		break;
	default:
		l = 4000 + rr(z, 4947);
		break;
	}
	return (uint16_t)(l > room ? room : l);
}

/* Garbage TCP options: 1..40 bytes that rarely form a legal list. */
static uint8_t garbage_opts(struct fz *z, uint8_t *o)
{
	uint8_t n = 0, want = (uint8_t)(1 + rr(z, 40));

	while (n < want) {
		switch (rr(z, 9)) {
		case 0: /* a kind with length 0 or 1 */
			o[n++] = chance(z, 50) ? (uint8_t)rng_next(&z->x) : TOE_TCPOPT_MSS;
			if (n < want)
				o[n++] = (uint8_t)rr(z, 2);
			break;
		case 1: /* a length past the end */
			o[n++] = (uint8_t)rng_next(&z->x);
			if (n < want) {
				o[n] = (uint8_t)(want - n + 2 + rr(z, 200));
				n++;
			}
			break;
		case 2: { /* a known kind with a wrong length */
			static const uint8_t kinds[] = { TOE_TCPOPT_MSS, TOE_TCPOPT_WSCALE,
							 TOE_TCPOPT_SACK_PERM, TOE_TCPOPT_TS };
			uint8_t l = (uint8_t)(2 + rr(z, 12));

			o[n++] = kinds[rr(z, 4)];
			if (n < want)
				o[n++] = l;
			while (n < want && l-- > 2)
				o[n++] = (uint8_t)rng_next(&z->x);
			break;
		}
		case 3: /* EOL, then junk */
			o[n++] = TOE_TCPOPT_EOL;
			while (n < want)
				o[n++] = (uint8_t)rng_next(&z->x);
			break;
		case 4: /* NOPs */
			for (unsigned k = rr(z, 8); k > 0 && n < want; k--)
				o[n++] = TOE_TCPOPT_NOP;
			break;
		case 5: { /* a legal MSS, maybe of 0 */
			uint16_t v = chance(z, 30) ? 0 : (uint16_t)rng_next(&z->x);

			if (n + 4 > want) {
				o[n++] = TOE_TCPOPT_MSS;
				break;
			}
			o[n++] = TOE_TCPOPT_MSS;
			o[n++] = 4;
			o[n++] = (uint8_t)(v >> 8);
			o[n++] = (uint8_t)v;
			break;
		}
		default: /* random bytes */
			o[n++] = (uint8_t)rng_next(&z->x);
			break;
		}
	}
	return n;
}

/* The frame a peer could send for connection ci (or, ci NULL, for a
 * listener or a closed port); garbage options if asked. */
static size_t base_tcp(struct fz *z, const struct toe_ref_conn_info *ci, uint16_t lport,
		       bool gopts)
{
	static const uint8_t fl[] = {
		TOE_TCP_ACK, TOE_TCP_ACK, TOE_TCP_ACK | TOE_TCP_PSH, TOE_TCP_ACK | TOE_TCP_PSH,
		TOE_TCP_FIN | TOE_TCP_ACK, TOE_TCP_RST, TOE_TCP_RST | TOE_TCP_ACK, TOE_TCP_SYN,
		TOE_TCP_SYN | TOE_TCP_ACK, 0, TOE_TCP_FIN, TOE_TCP_SYN | TOE_TCP_FIN,
	};
	struct toe_seg s;
	struct toe_ref_conn_info none;

	if (!ci) {
		memset(&none, 0, sizeof(none));
		none.remote_ip = peer_ip(z);
		none.local_ip = LOCAL;
		none.remote_port = (uint16_t)(1024 + rr(z, 64000));
		none.local_port = lport;
		none.rcv_nxt = (uint32_t)rng_next(&z->x);
		none.snd_nxt = (uint32_t)rng_next(&z->x);
		ci = &none;
	}
	s = td_conn_seg(ci, ci->rcv_nxt, ci->snd_nxt,
		     chance(z, 15) ? (uint8_t)rng_next(&z->x) : fl[rr(z, sizeof(fl))], 8192);
	if (chance(z, 20))
		s.seq += (uint32_t)rr(z, 20000) - 10000;
	if (chance(z, 15))
		s.ack = chance(z, 50) ? ci->snd_una : (uint32_t)rng_next(&z->x);
	s.win = (uint16_t)rng_next(&z->x);
	if (gopts) {
		s.opt_raw = z->opt;
		s.opt_raw_len = garbage_opts(z, z->opt);
	} else if (chance(z, 25)) {
		z->opt[0] = TOE_TCPOPT_MSS;
		z->opt[1] = 4;
		z->opt[2] = (uint8_t)rr(z, 256);
		z->opt[3] = (uint8_t)rr(z, 256);
		s.opt_raw = z->opt;
		s.opt_raw_len = 4;
	}
	s.len = fz_len(z, FZ_MAX_LEN - 14 - 20 - 20 - 40);
	if (s.len) {
		for (unsigned i = 0; i < s.len; i++)
			z->data[i] = (uint8_t)rng_next(&z->x);
		s.data = z->data;
	}
	return td_build(z->t, z->f, sizeof(z->f), &s);
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* n bytes at f, grown to len (random or zero bytes). */
static size_t resize(struct fz *z, size_t n, size_t len)
{
	bool zero = chance(z, 30);

	while (n < len)
		z->f[n++] = zero ? 0 : (uint8_t)rng_next(&z->x);
	return len;
}

static size_t mutate(struct fz *z, size_t n, int m)
{
	uint8_t *f = z->f;
	const size_t tcp = 14 + (size_t)(n > 14 ? (f[14] & 15u) : 5u) * 4;

	switch (m) {
	case MU_BITFLIP:
		for (unsigned k = 1 + rr(z, chance(z, 70) ? 1 : 8); k > 0; k--) {
			/* mostly in the headers */
			size_t p = chance(z, 80) && n > 1 ? rr(z, (uint32_t)(n < 80 ? n : 80))
							  : rr(z, (uint32_t)n);

			f[p] ^= (uint8_t)(1u << rr(z, 8));
		}
		return n;
	case MU_BYTE: {
		static const uint8_t v[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0x45, 0x06, 0x50, 0xf0 };

		for (unsigned k = 1 + rr(z, 4); k > 0; k--) {
			size_t p = chance(z, 80) && n > 1 ? rr(z, (uint32_t)(n < 80 ? n : 80))
							  : rr(z, (uint32_t)n);

			f[p] = chance(z, 50) ? v[rr(z, sizeof(v))] : (uint8_t)rng_next(&z->x);
		}
		return n;
	}
	case MU_TRUNC:
		return n > 1 ? 1 + rr(z, (uint32_t)n - 1) : n;
	case MU_EXTEND: {
		size_t k = chance(z, 60) ? 1 + rr(z, 16) : 1 + rr(z, (uint32_t)(FZ_MAX_LEN - n + 1));
		size_t tl = n >= 18 ? (size_t)(f[16] << 8 | f[17]) : 0;

		if (n + k > FZ_MAX_LEN)
			k = FZ_MAX_LEN - n;
		if (!k)
			return n;
		if (n >= 18 && chance(z, 50) && tl + k <= 65535)
			put16(f + 16, tl + k); /* counted in the IPv4 length */
		return resize(z, n, n + k);
	}
	case MU_LEN: {
		const size_t lim = td_rx_max(z->t);
		const size_t edge[] = {
			1, 13, 14, 15, 33, 34, 35, 53, 54, 55, 59, 60, 61, 64, 65, 1514, 1515, 1518,
			lim - 1, lim, lim + 1, FZ_MAX_LEN,
		};
		size_t len = chance(z, 50) ? edge[rr(z, sizeof(edge) / sizeof(edge[0]))]
					   : 1 + rr(z, FZ_MAX_LEN);

		if (len > FZ_MAX_LEN) /* a build with a larger buffer */
			len = FZ_MAX_LEN;

		if (len > n)
			resize(z, n, len);
		if (len >= 18 && chance(z, 50))
			put16(f + 16, len - 14); /* total length to the end */
		return len;
	}
	case MU_IHL:
		if (n > 14) {
			static const uint8_t v[] = { 0, 1, 4, 5, 6, 7, 15 };

			f[14] = (uint8_t)((f[14] & 0xf0) | (chance(z, 60) ? v[rr(z, sizeof(v))]
									  : rr(z, 16)));
		}
		return n;
	case MU_DOFF:
		if (n > tcp + 12) {
			static const uint8_t v[] = { 0, 1, 4, 5, 6, 15 };

			f[tcp + 12] = (uint8_t)((f[tcp + 12] & 0x0f) |
						(chance(z, 60) ? v[rr(z, sizeof(v))] : rr(z, 16)) << 4);
		}
		return n;
	case MU_IPLEN:
		if (n >= 18) {
			const size_t tl = (size_t)(f[16] << 8 | f[17]);
			const size_t v[] = { 0, 19, 20, 39, 40, tl - 1, tl + 1, n - 14, n - 13,
					     65535, rr(z, 65536) };

			put16(f + 16, v[rr(z, sizeof(v) / sizeof(v[0]))] & 0xffff);
		}
		return n;
	case MU_FIELD:
		switch (rr(z, 10)) {
		case 0: { /* ethertype */
			static const uint16_t v[] = { 0x0806, 0x86dd, 0x8100, 0x0801, 0x0000 };

			if (n >= 14)
				put16(f + 12, chance(z, 70) ? v[rr(z, 5)] : (uint16_t)rng_next(&z->x));
			break;
		}
		case 1: /* version */
			if (n > 14)
				f[14] = (uint8_t)((f[14] & 0x0f) | rr(z, 16) << 4);
			break;
		case 2: /* protocol */
			if (n > 23)
				f[23] = chance(z, 50) ? (uint8_t)(chance(z, 50) ? 1 : 17)
						      : (uint8_t)rng_next(&z->x);
			break;
		case 3: /* fragment bits */
			if (n > 21) {
				f[20] = (uint8_t)(f[20] ^ (chance(z, 50) ? 0x20 : 0x80));
				if (chance(z, 50))
					f[21] = (uint8_t)rng_next(&z->x);
			}
			break;
		case 4: /* destination address: another host, broadcast */
			if (n >= 34) {
				static const uint32_t v[] = { IP4(10, 0, 0, 2), IP4(255, 255, 255, 255),
							      IP4(10, 0, 0, 255), 0 };

				toe_put_be32(f + 30, v[rr(z, 4)]);
			}
			break;
		case 5: /* ports */
			if (n >= tcp + 4) {
				static const uint16_t v[] = { 80, 443, 0, 7, 65535 };

				put16(f + tcp + 2 * rr(z, 2), v[rr(z, 5)]);
			}
			break;
		case 6: /* flags */
			if (n > tcp + 13)
				f[tcp + 13] = (uint8_t)rng_next(&z->x);
			break;
		case 7: /* SEQ or ACK */
			if (n >= tcp + 12)
				toe_put_be32(f + tcp + 4 + 4 * rr(z, 2), (uint32_t)rng_next(&z->x));
			break;
		case 8: /* urgent pointer and the reserved bits */
			if (n >= tcp + 20) {
				put16(f + tcp + 18, (uint16_t)rng_next(&z->x));
				f[tcp + 12] |= (uint8_t)rr(z, 16);
			}
			break;
		default: /* destination MAC */
			if (n >= 6) {
				f[rr(z, 6)] ^= (uint8_t)(1 + rr(z, 255));
				if (chance(z, 30))
					memset(f, 0xff, 6);
			}
			break;
		}
		return n;
	case MU_CSUM: {
		size_t p = chance(z, 50) ? 24 : tcp + 16;

		if (p + 1 < n)
			f[p + rr(z, 2)] ^= (uint8_t)(1 + rr(z, 255));
		return n;
	}
	default: /* MU_OPTS: made when the frame was built */
		return n;
	}
}

/* One fuzz frame. */
static void fuzz_one(struct fz *z)
{
	struct td *t = z->t;
	struct toe_ref_conn_info ci;
	int ms[3], nm = 0, i, ba;
	bool gopts = false, csum = false;
	size_t n;
	uint8_t smac[6];
	struct toe_frame pf;

	/* the mutations first: garbage options are built in */
	if (!chance(z, 4)) {
		nm = chance(z, 70) ? 1 : 2 + (int)rr(z, 2);
		for (i = 0; i < nm; i++) {
			ms[i] = (int)rr(z, MU_COUNT);
			gopts |= ms[i] == MU_OPTS;
			csum |= ms[i] == MU_CSUM;
		}
	}
	/* what it is built for */
	ba = BA_CONN;
	{
		unsigned p = rr(z, 100);

		if (p < 8)
			ba = BA_LISTEN;
		else if (p < 14)
			ba = BA_CLOSED;
		else if (p < 17)
			ba = BA_ARP;
		else if (p < 20)
			ba = BA_ICMP;
	}
	if (ba == BA_CONN) {
		int id = -1;

		for (i = 0; i < 8 && id < 0; i++) {
			int k = (int)rr(z, FZ_TRACK);

			if (z->track[k] >= 0 && state_of(z, z->track[k], &ci) != TOE_ST_CLOSED)
				id = z->track[k];
		}
		if (id < 0)
			ba = BA_LISTEN;
		else
			z->by_state[ci.state]++;
	}
	z->base[ba]++;
	switch (ba) {
	case BA_CONN:
		n = base_tcp(z, &ci, 0, gopts);
		break;
	case BA_LISTEN:
		z->by_state[TOE_ST_LISTEN]++;
		n = base_tcp(z, NULL, chance(z, 50) ? 80 : 443, gopts);
		break;
	case BA_CLOSED:
		z->by_state[TOE_ST_CLOSED]++;
		n = base_tcp(z, NULL, (uint16_t)(1000 + rr(z, 9000)), gopts);
		break;
	case BA_ARP: {
		uint32_t ip = peer_ip(z);

		td_mac_of(ip, smac);
		n = fe_arp_request(z->f, smac, ip, chance(z, 80) ? LOCAL : LOCAL + 1);
		break;
	}
	default: {
		uint32_t ip = peer_ip(z);

		td_mac_of(ip, smac);
		n = fe_echo_request(z->f, td_config(t)->mac, smac, ip, LOCAL,
				    (uint16_t)rng_next(&z->x), (uint16_t)rng_next(&z->x),
				    rr(z, chance(z, 80) ? 200 : 1600));
		break;
	}
	}
	for (i = 0; i < nm; i++) {
		z->mut[ms[i]]++;
		n = mutate(z, n, ms[i]);
	}
	if (!nm) {
		z->clean++;
	} else if (!csum && chance(z, 50)) {
		fe_fix_checksums(z->f, n);
		z->fixed++;
	} else {
		z->left++;
	}
	/* the peer's MAC for its source IP (one MAC a peer, top_dual.h) */
	if (n >= 30 && z->f[12] == 0x08 && z->f[13] == 0x00) {
		td_mac_of(toe_get_be32(z->f + 26), smac);
		memcpy(z->f + 6, smac, 6);
	}
	if (nm && toe_parse_frame(z->f, n, &pf) == TOE_PARSE_OK)
		z->parse_ok++;
	z->len_hist[n < 60 ? 0 : n <= 1514 ? 1 : n <= td_rx_max(t) ? 2 : n < FZ_MAX_LEN ? 3 : 4]++;
	if (n > td_rx_max(t))
		z->over++;
	z->frames++;
	if (chance(z, 2)) {
		z->macbad++;
		z->bad_or_cut++;
		td_frame_bad(t, z->f, n);
	} else {
		z->bad_or_cut += n > td_rx_max(t);
		td_frame(t, z->f, n);
	}
}

/* Every connection aborted, every slot read out, every counter compared. */
static void epoch(struct fz *z)
{
	struct td *t = z->t;
	struct toe_ref_conn_info ci;
	unsigned i;

	for (i = 0; i < td_pass(t); i++)
		if (state_of(z, (int)i, &ci) != TOE_ST_CLOSED)
			td_abort(t, (int)i);
	td_sync(t);
	td_rephase(t);
	td_check_all_conns(t);
	td_check_stats(t);
	td_rephase(t);
	for (i = 0; i < FZ_TRACK; i++)
		z->track[i] = -1;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void top_fuzz_run(uint64_t seed, uint64_t nframes, uint64_t progress)
{
	struct fz *z = calloc(1, sizeof(*z));
	struct td_cfg c;
	struct td_stats st;
	struct toe_ref_stats rs;
	char label[64];
	double w0 = wall_s();
	unsigned i;

	assert_non_null(z);
	print_message("engine fuzz: seed %llu (TOE_FUZZ_SEED=%llu replays it), %llu frames\n",
		      (unsigned long long)seed, (unsigned long long)seed,
		      (unsigned long long)nframes);
	z->x = seed * 0x9E3779B97F4A7C15ull + 1;
	td_cfg_default(&c);
	c.seed = (uint32_t)(seed ^ (seed >> 32)) | 1;
	/* a window that takes the longest payloads the engine keeps */
	c.ref.rcv_wnd = 16384;
	z->t = td_new(&c);
	snprintf(label, sizeof(label), "engine fuzz, seed %llu", (unsigned long long)seed);
	td_set_label(z->t, label);
	for (i = 0; i < FZ_TRACK; i++)
		z->track[i] = -1;
	assert_int_equal(td_listen(z->t, 80), 0);
	assert_int_equal(td_listen(z->t, 443), 0);
	while (z->frames < nframes) {
		if (chance(z, 25))
			top_up(z);
		fuzz_one(z);
		if (z->frames % 16 == 0)
			td_sync(z->t);
		if (z->frames % FZ_EPOCH == 0 || z->frames == nframes)
			epoch(z);
		if (progress && z->frames % progress == 0) {
			double el = wall_s() - w0;

			td_get_stats(z->t, &st);
			print_message("  progress: %llu of %llu frames, 0 divergences, %llu frames "
				      "compared, %.1f s, %.0f frames/s\n",
				      (unsigned long long)z->frames, (unsigned long long)nframes,
				      (unsigned long long)st.frames_cmp, el, (double)z->frames / el);
			fflush(stdout);
		}
	}
	td_get_stats(z->t, &st);
	toe_ref_stats(td_ref(z->t), &rs);
	print_message("engine fuzz, seed %llu: 0 divergences\n", (unsigned long long)seed);
	print_message("  frames fuzzed         %llu (%llu unmutated, %llu still accepted by the "
		      "codec after mutation; checksums recomputed %llu, left %llu; MAC-bad %llu)\n",
		      (unsigned long long)z->frames, (unsigned long long)z->clean,
		      (unsigned long long)z->parse_ok, (unsigned long long)z->fixed,
		      (unsigned long long)z->left, (unsigned long long)z->macbad);
	print_message("  lengths               <60: %llu, 60..1514: %llu, 1515..%zu: %llu, over "
		      "%zu (cut by the engine): %llu, of which %u: %llu\n",
		      (unsigned long long)z->len_hist[0], (unsigned long long)z->len_hist[1],
		      td_rx_max(z->t), (unsigned long long)z->len_hist[2], td_rx_max(z->t),
		      (unsigned long long)(z->len_hist[3] + z->len_hist[4]), FZ_MAX_LEN,
		      (unsigned long long)z->len_hist[4]);
	print_message("  mutations by kind:\n");
	for (i = 0; i < MU_COUNT; i++)
		print_message("    %-32s %llu\n", mut_name[i], (unsigned long long)z->mut[i]);
	print_message("  built for:\n");
	for (i = 0; i < BA_COUNT; i++)
		print_message("    %-32s %llu\n", base_name[i], (unsigned long long)z->base[i]);
	print_message("  fuzzed connections by state:\n");
	for (i = 0; i < TOE_ST_COUNT; i++)
		print_message("    %-32s %llu\n", toe_tcp_state_name((int)i),
			      (unsigned long long)z->by_state[i]);
	print_message("  connections led to a state %llu (%llu stimuli)\n",
		      (unsigned long long)z->spawned, (unsigned long long)z->spawn_steps);
	print_message("  drops by reason (reference = engine, compared):\n");
	for (i = 1; i < TOE_PERR_COUNT; i++)
		print_message("    %-32s %llu\n", toe_parse_result_name(-(int)i),
			      (unsigned long long)rs.parse_drops[i]);
	print_message("    %-32s %llu\n", "mac_bad (flagged or cut)",
		      (unsigned long long)z->bad_or_cut);
	print_message("    %-32s %llu\n", "rx_too_long (cut)", (unsigned long long)z->over);
	print_message("  compared              %llu TCP frames + %llu ARP/ICMP, %llu events, "
		      "%llu payload packets (%llu bytes), %llu timers, %llu read-outs\n",
		      (unsigned long long)st.frames_cmp, (unsigned long long)st.l2_cmp,
		      (unsigned long long)st.events_cmp, (unsigned long long)st.payload_cmp,
		      (unsigned long long)st.payload_bytes, (unsigned long long)st.timers,
		      (unsigned long long)st.conn_checks);
	print_message("  reference             in %llu out %llu rst %llu challenge %llu dropped "
		      "%llu\n", (unsigned long long)rs.segs_in, (unsigned long long)rs.segs_out,
		      (unsigned long long)rs.rst_out, (unsigned long long)rs.challenge_acks,
		      (unsigned long long)rs.dropped);
	print_message("  divergences           0\n");
	print_message("  cycles simulated      %llu; wall time %.1f s (%.0f frames/s)\n",
		      (unsigned long long)st.cycles, wall_s() - w0,
		      (double)z->frames / (wall_s() - w0));
	/* the run did what it claims */
	if (nframes >= 1000) {
		for (i = 0; i < MU_COUNT; i++)
			if (!z->mut[i])
				fail_msg("no mutation of kind %s", mut_name[i]);
		for (i = 0; i < FZ_NSTATES; i++)
			if (!z->by_state[fz_states[i]])
				fail_msg("no frame fuzzed for a connection in %s",
					 toe_tcp_state_name(fz_states[i]));
		assert_true(z->by_state[TOE_ST_LISTEN] > 0 && z->by_state[TOE_ST_CLOSED] > 0);
		assert_true(z->over > 0 && z->len_hist[4] > 0 && z->len_hist[0] > 0);
		assert_true(z->parse_ok > 0);
	}
	td_free(z->t);
	free(z);
}
