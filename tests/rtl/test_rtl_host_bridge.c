/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_host_bridge.c - the host bridge RTL (rtl/toe_host_bridge.v) in
 * Verilator, with the test CSR target behind it, driven by the host
 * library's own transaction layer (host/lib/toe_proto.c) through a byte
 * transport that steps the model: the ID block and bursts, every error
 * reply, retransmissions answered from the response cache (writes applied
 * once, pops done once), resynchronisation after garbage, oversize LEN,
 * bad CRC, truncated and byte-lost frames, event notifications, idle and
 * backpressure on both byte streams and on the CSR bus, a 2000-operation
 * run through the fault-injecting transport, the response latency, and
 * throughput figures. Every test ends with both streams and the bus idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge_model.h"
#include "toe/toe_regs.h"
#include "toe_bytes.h"
#include "toe_proto.h"
#include "test_rng.h"

/* simulated cycles per host millisecond (the host's timeouts are in ms) */
#define CPM 1000u
#define TIMEOUT_CYC TOE_BRIDGE_MODEL_TIMEOUT

/* the test target's map (tests/rtl/toe_test_csr.v) */
#define T_RAM 0x300u
#define T_RAM_WORDS 63u
#define T_ACC 0x3FCu
#define T_N_CONN 4u
#define T_N_LISTEN 2u
#define T_EV_DEPTH_LOG2 4u
#define T_STREAM_BYTES 8u

static uint64_t g_seed;

#define CHECK(c)                                                                  \
	do {                                                                      \
		if (!(c)) {                                                       \
			print_error("check failed: %s (seed %llu)\n", #c,         \
				    (unsigned long long)g_seed);                  \
			fail();                                                   \
		}                                                                 \
	} while (0)

/* ---- the byte transport over the model ---- */

struct pattern {
	unsigned in_pct, out_pct, stall_pct, hold_pct;
};

static const struct pattern FULL = { 100, 100, 0, 0 };

struct rlink {
	struct toe_bridge_model *m;
	uint8_t *inq; /* host -> RTL bytes not yet taken */
	size_t ih, in, icap;
	uint64_t rng;
	struct pattern pat;
	bool in_valid; /* AXI: a byte shown is held until taken */
	uint8_t in_byte;
	unsigned ev_ppm; /* chance per cycle of an event push (FIFO below 8) */
	uint32_t ev_pushed;
	bool push_now;   /* push one event in the next cycle */
	unsigned drop_frames; /* lose the next n frames the RTL sends */
	bool dropping;
	uint64_t last_in_cycle;    /* cycle whose edge took the last input byte */
	uint64_t first_out_cycle;  /* first cycle with m_axis_tvalid after it */
	bool watch_latency;
};

static struct rlink *rlink_new(uint32_t seed, struct pattern pat)
{
	struct rlink *l = calloc(1, sizeof(*l));
	struct toe_bridge_in in = { 0 };

	assert_non_null(l);
	l->m = toe_bridge_model_new(seed);
	assert_non_null(l->m);
	l->icap = 1u << 16;
	l->inq = malloc(l->icap);
	assert_non_null(l->inq);
	l->rng = seed * 2654435761u + 1;
	l->pat = pat;
	toe_bridge_model_drive(l->m, &in);
	toe_bridge_model_reset(l->m, 4);
	return l;
}

static void rlink_free(struct rlink *l)
{
	toe_bridge_model_free(l->m);
	free(l->inq);
	free(l);
}

/* One clock cycle; an output byte taken goes to out[*on]. */
static void rlink_cycle(struct rlink *l, uint8_t *out, size_t *on, size_t cap,
			bool *last)
{
	struct toe_bridge_in in = { 0 };
	uint8_t b;
	bool lst, took_in = false;

	if (!l->in_valid && l->ih < l->in && rng_pct(&l->rng, l->pat.in_pct)) {
		l->in_valid = true;
		l->in_byte = l->inq[l->ih];
	}
	in.in_valid = l->in_valid;
	in.in_data = l->in_byte;
	in.out_ready = out && *on < cap && rng_pct(&l->rng, l->pat.out_pct);
	in.csr_stall = l->pat.stall_pct && rng_pct(&l->rng, l->pat.stall_pct);
	in.csr_hold = l->pat.hold_pct && rng_pct(&l->rng, l->pat.hold_pct);
	if (l->push_now || (l->ev_ppm && rng_next(&l->rng) % 1000000u < l->ev_ppm &&
			    toe_bridge_model_ev_count(l->m) < 8)) {
		in.ev_push = true;
		in.ev_conn = (uint16_t)l->ev_pushed;
		in.ev_type = (uint8_t)(1 + l->ev_pushed % 7);
		in.ev_arg = l->ev_pushed * 2654435761u;
		l->ev_pushed++;
		l->push_now = false;
	}
	toe_bridge_model_drive(l->m, &in);
	if (in.in_valid && toe_bridge_model_in_ready(l->m)) {
		l->ih++;
		l->in_valid = false;
		took_in = true;
	}
	if (in.out_ready && toe_bridge_model_out(l->m, &b, &lst)) {
		if (l->watch_latency && !l->first_out_cycle)
			l->first_out_cycle = toe_bridge_model_cycles(l->m);
		if (l->drop_frames) {
			if (lst)
				l->drop_frames--;
		} else {
			out[(*on)++] = b;
			*last = lst;
		}
	} else if (l->watch_latency && !l->first_out_cycle &&
		   toe_bridge_model_out(l->m, &b, &lst)) {
		l->first_out_cycle = toe_bridge_model_cycles(l->m);
	}
	if (took_in)
		l->last_in_cycle = toe_bridge_model_cycles(l->m);
	toe_bridge_model_tick(l->m);
}

static int rl_write(void *ctx, const uint8_t *buf, size_t n)
{
	struct rlink *l = ctx;

	if (l->in + n > l->icap) {
		memmove(l->inq, l->inq + l->ih, l->in - l->ih);
		l->in -= l->ih;
		l->ih = 0;
	}
	assert_true(l->in + n <= l->icap);
	memcpy(l->inq + l->in, buf, n);
	l->in += n;
	return 0;
}

/* Step the model until a frame's last byte (or n bytes) came out, or the
 * timeout passed. */
static int rl_read(void *ctx, uint8_t *buf, size_t n, int timeout_ms)
{
	struct rlink *l = ctx;
	uint64_t limit = toe_bridge_model_cycles(l->m) + (uint64_t)timeout_ms * CPM;
	size_t on = 0;
	bool last = false;

	while (toe_bridge_model_cycles(l->m) < limit) {
		rlink_cycle(l, buf, &on, n, &last);
		if (on && (last || on == n))
			break;
	}
	return (int)on;
}

static uint64_t rl_now(void *ctx)
{
	struct rlink *l = ctx;

	return toe_bridge_model_cycles(l->m) / CPM;
}

static struct toe_proto_transport rl_transport(struct rlink *l)
{
	struct toe_proto_transport t = { l, rl_write, rl_read, rl_now };

	return t;
}

/* Run n cycles with no output wanted to be dropped: bytes seen go to a
 * decoder into fr (may be NULL: then none may appear). */
struct frames {
	unsigned n;
	struct toe_proto_frame f[64];
};

static void frames_fn(void *arg, const struct toe_proto_frame *f)
{
	struct frames *fr = arg;

	assert_true(fr->n < 64);
	fr->f[fr->n++] = *f;
}

static void run_cycles(struct rlink *l, uint64_t n, struct frames *fr)
{
	struct toe_proto_dec d;
	uint8_t buf[4096];

	toe_proto_dec_init(&d, 255);
	for (uint64_t i = 0; i < n; i++) {
		size_t on = 0;
		bool last = false;

		rlink_cycle(l, buf, &on, sizeof(buf), &last);
		if (on) {
			assert_non_null(fr);
			toe_proto_dec_feed(&d, buf, on, frames_fn, fr);
		}
	}
	assert_true(toe_proto_dec_idle(&d));
}

/* Both streams and the bus idle: every input byte taken, nothing comes out
 * for three byte timeouts, no CSR access offered, the bridge hunting. */
static void assert_drained(struct rlink *l)
{
	struct toe_bridge_in in = { 0 };
	struct pattern p = l->pat;

	l->pat = FULL;
	l->ev_ppm = 0;
	run_cycles(l, 3 * TIMEOUT_CYC, NULL);
	assert_int_equal(l->ih, l->in);
	assert_false(l->in_valid);
	in.out_ready = true;
	toe_bridge_model_drive(l->m, &in);
	assert_false(toe_bridge_model_csr_busy(l->m));
	assert_true(toe_bridge_model_in_ready(l->m));
	l->pat = p;
}

/* Send raw bytes, then collect every frame for the given cycles. */
static void raw(struct rlink *l, const uint8_t *bytes, size_t n, uint64_t cycles,
		struct frames *fr)
{
	fr->n = 0;
	rl_write(l, bytes, n);
	run_cycles(l, cycles, fr);
}

static size_t enc(uint8_t *out, uint8_t type, uint8_t seq, const uint8_t *pl,
		  size_t len)
{
	int n = toe_proto_encode(out, TOE_PROTO_MAX_FRAME, type, seq, pl, len);

	assert_true(n > 0);
	return (size_t)n;
}

/* One raw request; its one response. */
static struct toe_proto_frame raw_req(struct rlink *l, uint8_t type, uint8_t seq,
				      const uint8_t *pl, size_t len)
{
	uint8_t f[TOE_PROTO_MAX_FRAME];
	struct frames fr;

	raw(l, f, enc(f, type, seq, pl, len), 800, &fr);
	assert_int_equal(fr.n, 1);
	assert_int_equal(fr.f[0].seq, seq);
	return fr.f[0];
}

static size_t log_len(struct rlink *l)
{
	const struct toe_bridge_access *a;

	return toe_bridge_model_log(l->m, &a);
}

static const struct toe_bridge_access *log_at(struct rlink *l, size_t i)
{
	const struct toe_bridge_access *a;
	size_t n = toe_bridge_model_log(l->m, &a);

	assert_true(i < n);
	return &a[i];
}

static struct toe_proto *proto_new(struct rlink *l, int timeout_ms, unsigned retries)
{
	struct toe_proto_transport t = rl_transport(l);
	struct toe_proto_cfg c;
	struct toe_proto *p;

	toe_proto_cfg_default(&c);
	c.timeout_ms = timeout_ms;
	c.retries = retries;
	p = toe_proto_new(&t, &c);
	assert_non_null(p);
	return p;
}

static struct toe_bridge_stats rtl_stats(struct rlink *l)
{
	struct toe_bridge_stats st;

	toe_bridge_model_stats(l->m, &st);
	return st;
}

/* ===================================================================== */

static void test_rtl_bridge_ping_reads_id_block(void **state)
{
	struct rlink *l = rlink_new(1, FULL);
	struct toe_proto *p = proto_new(l, 5, 0);
	struct toe_proto_info info;
	uint32_t id[4], v;

	(void)state;
	assert_int_equal(toe_proto_ping(p, &info), 0);
	assert_int_equal(info.version, 1);
	assert_int_equal(info.max_burst, TOE_BRIDGE_MODEL_MAX_BURST);
	assert_int_equal(log_len(l), 0); /* PING touches no register */
	assert_int_equal(toe_proto_read(p, TOE_REG_ID, id, 4), 0);
	assert_int_equal(id[0], TOE_REG_ID_RESET); /* "TOE1" */
	assert_int_equal(id[1], TOE_REG_VERSION_RESET);
	assert_int_equal(id[2], T_N_LISTEN << 16 | T_N_CONN);
	assert_int_equal(id[3], T_STREAM_BYTES << 8 | T_EV_DEPTH_LOG2);
	assert_int_equal(toe_proto_write32(p, TOE_REG_SCRATCH, 0xC0FFEE11), 0);
	assert_int_equal(toe_proto_read32(p, TOE_REG_SCRATCH, &v), 0);
	assert_int_equal(v, 0xC0FFEE11);
	/* exactly these accesses */
	assert_int_equal(log_len(l), 6);
	for (unsigned i = 0; i < 4; i++) {
		assert_false(log_at(l, i)->we);
		assert_int_equal(log_at(l, i)->addr, 4 * i);
	}
	assert_true(log_at(l, 4)->we);
	assert_int_equal(log_at(l, 4)->addr, TOE_REG_SCRATCH);
	assert_int_equal(log_at(l, 4)->data, 0xC0FFEE11);
	assert_false(log_at(l, 5)->we);
	assert_int_equal(rtl_stats(l).frames, 4);
	assert_int_equal(rtl_stats(l).replay, 0);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

/* Run cycles, collecting the raw output bytes. */
static size_t raw_bytes(struct rlink *l, const uint8_t *in, size_t n, uint64_t cycles,
			uint8_t *out, size_t cap)
{
	size_t on = 0;
	bool last = false;

	rl_write(l, in, n);
	for (uint64_t i = 0; i < cycles; i++)
		rlink_cycle(l, out, &on, cap, &last);
	return on;
}

static void test_rtl_bridge_golden_frames_byte_exact(void **state)
{
	/* the example frames of docs/host-bridge.md (CRC bytes from an
	 * independent CRC-32C): the RTL's answers must be these bytes */
	static const uint8_t ping[] = { 0xA5, 0x5A, 0x01, 0x00, 0x00, 0xC5, 0x25, 0x31, 0x04 };
	static const uint8_t ping_ack[] = { 0xA5, 0x5A, 0x81, 0x00, 0x02, 0x01, 0x20,
					    0x6F, 0xB1, 0x88, 0x61 };
	static const uint8_t read_id[] = { 0xA5, 0x5A, 0x02, 0x01, 0x03, 0x00, 0x00, 0x01,
					   0x24, 0xFE, 0xB9, 0xDF };
	static const uint8_t read_data[] = { 0xA5, 0x5A, 0x82, 0x01, 0x04, 0x54, 0x4F, 0x45,
					     0x31, 0x43, 0xB0, 0x18, 0xE1 };
	static const uint8_t write_scratch[] = { 0xA5, 0x5A, 0x03, 0x07, 0x06, 0x00, 0x10, 0x12,
						 0x34, 0x56, 0x78, 0xA9, 0xB0, 0x46, 0x51 };
	static const uint8_t write_ack[] = { 0xA5, 0x5A, 0x83, 0x07, 0x01, 0x01, 0xED, 0xDC,
					     0x74, 0xDC };
	static const uint8_t err_addr[] = { 0xA5, 0x5A, 0x80, 0x02, 0x02, 0x04, 0x00, 0x95,
					    0x52, 0xB3, 0x39 };
	struct rlink *l = rlink_new(12, FULL);
	uint8_t out[64];
	size_t n;

	(void)state;
	n = raw_bytes(l, ping, sizeof(ping), 100, out, sizeof(out));
	assert_int_equal(n, sizeof(ping_ack));
	assert_memory_equal(out, ping_ack, n);
	n = raw_bytes(l, read_id, sizeof(read_id), 100, out, sizeof(out));
	assert_int_equal(n, sizeof(read_data));
	assert_memory_equal(out, read_data, n);
	n = raw_bytes(l, write_scratch, sizeof(write_scratch), 100, out, sizeof(out));
	assert_int_equal(n, sizeof(write_ack));
	assert_memory_equal(out, write_ack, n);
	assert_int_equal(log_at(l, 1)->data, 0x12345678);
	/* READ 0x020 (unmapped), SEQ 2: ERROR ADDR at word 0 */
	{
		uint8_t f[TOE_PROTO_MAX_FRAME];
		const uint8_t pl[3] = { 0x00, 0x20, 1 };
		size_t fl = enc(f, TOE_PROTO_T_READ, 2, pl, 3);

		n = raw_bytes(l, f, fl, 100, out, sizeof(out));
		assert_int_equal(n, sizeof(err_addr));
		assert_memory_equal(out, err_addr, n);
	}
	assert_drained(l);
	rlink_free(l);
}

static void test_rtl_bridge_burst_63_words_split_in_order(void **state)
{
	struct rlink *l = rlink_new(2, FULL);
	struct toe_proto *p = proto_new(l, 5, 0);
	uint32_t w[T_RAM_WORDS], r[T_RAM_WORDS];

	(void)state;
	for (unsigned i = 0; i < T_RAM_WORDS; i++)
		w[i] = 0x01010101u * i ^ 0xA5A55A5Au;
	assert_int_equal(toe_proto_write(p, T_RAM, w, T_RAM_WORDS), 0);
	assert_int_equal(toe_proto_read(p, T_RAM, r, T_RAM_WORDS), 0);
	assert_memory_equal(w, r, sizeof(w));
	assert_int_equal(log_len(l), 2 * T_RAM_WORDS);
	for (unsigned i = 0; i < T_RAM_WORDS; i++) {
		assert_true(log_at(l, i)->we);
		assert_int_equal(log_at(l, i)->addr, T_RAM + 4 * i);
		assert_int_equal(log_at(l, i)->data, w[i]);
		assert_false(log_at(l, T_RAM_WORDS + i)->we);
		assert_int_equal(log_at(l, T_RAM_WORDS + i)->addr, T_RAM + 4 * i);
	}
	/* PING, 32 + 31 words written, 32 + 31 read */
	assert_int_equal(rtl_stats(l).frames, 5);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

static void test_rtl_bridge_bad_requests_get_error_codes(void **state)
{
	struct rlink *l = rlink_new(3, FULL);
	struct toe_proto_frame r;
	uint8_t pl[200] = { 0x03, 0x00, 1 };
	const struct {
		uint8_t type;
		size_t len;
		uint8_t count;
		uint8_t code;
	} bad[] = {
		{ 0x55, 0, 0, TOE_PROTO_ERR_TYPE },
		{ TOE_PROTO_T_WRITE_ACK, 1, 0, TOE_PROTO_ERR_TYPE },
		{ TOE_PROTO_T_PING, 1, 0, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_READ, 2, 1, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_READ, 4, 1, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_READ, 3, 0, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_READ, 3, 33, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_WRITE, 2, 0, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_WRITE, 5, 0, TOE_PROTO_ERR_LEN },
		{ TOE_PROTO_T_WRITE, 7, 0, TOE_PROTO_ERR_LEN },
	};
	uint8_t seq = 10;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pl[2] = bad[i].count;
		r = raw_req(l, bad[i].type, seq++, pl, bad[i].len);
		assert_int_equal(r.type, TOE_PROTO_T_ERROR);
		assert_int_equal(r.len, 2);
		assert_int_equal(r.payload[0], bad[i].code);
		assert_int_equal(r.payload[1], 0);
	}
	/* misaligned: read 0x302, write 0x301 */
	{
		const uint8_t rd[3] = { 0x03, 0x02, 1 }, wr[6] = { 0x03, 0x01, 1, 2, 3, 4 };

		assert_int_equal(raw_req(l, TOE_PROTO_T_READ, seq++, rd, 3).payload[0],
				 TOE_PROTO_ERR_ALIGN);
		assert_int_equal(raw_req(l, TOE_PROTO_T_WRITE, seq++, wr, 6).payload[0],
				 TOE_PROTO_ERR_ALIGN);
	}
	assert_int_equal(log_len(l), 0); /* none of these touched the bus */
	/* 3 words from 0x3F8: RAM[62], ACC, then 0x400, beyond the 10-bit bus:
	 * ERROR ADDR index 2 with the first two applied, no third access */
	{
		uint8_t wr[14] = { 0x03, 0xF8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };

		r = raw_req(l, TOE_PROTO_T_WRITE, seq++, wr, 14);
		assert_int_equal(r.payload[0], TOE_PROTO_ERR_ADDR);
		assert_int_equal(r.payload[1], 2);
		assert_int_equal(log_len(l), 2);
		assert_int_equal(log_at(l, 0)->addr, 0x3F8);
		assert_int_equal(log_at(l, 1)->addr, T_ACC);
	}
	/* SCRATCH, then 0x014: unmapped (the target's error), index 1 */
	{
		const uint8_t rd[3] = { 0x00, 0x10, 2 };

		r = raw_req(l, TOE_PROTO_T_READ, seq++, rd, 3);
		assert_int_equal(r.payload[0], TOE_PROTO_ERR_ADDR);
		assert_int_equal(r.payload[1], 1);
		assert_int_equal(log_len(l), 2 + 2);
		assert_false(log_at(l, 2)->err);
		assert_true(log_at(l, 3)->err);
		assert_int_equal(log_at(l, 3)->addr, 0x014);
	}
	assert_drained(l);
	rlink_free(l);
}

static void test_rtl_bridge_library_errors_map_to_codes(void **state)
{
	struct rlink *l = rlink_new(4, FULL);
	struct toe_proto *p = proto_new(l, 5, 0);
	uint32_t w[36] = { 0 }, r;

	(void)state;
	/* burst 1: 32 RAM words from RAM[30]; burst 2 fails at 0x400 */
	assert_int_equal(toe_proto_write(p, T_RAM + 4 * 30, w, 36), TOE_PROTO_EADDR);
	assert_int_equal(toe_proto_last_done(p), 34);
	assert_int_equal(log_len(l), 34);
	assert_int_equal(toe_proto_read(p, 0x302, &r, 1), TOE_PROTO_EALIGN);
	assert_int_equal(toe_proto_read(p, 0x020, &r, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_proto_write32(p, TOE_REG_ID, 1), TOE_PROTO_EADDR);
	assert_true(log_at(l, log_len(l) - 1)->err);
	assert_int_equal(toe_proto_read32(p, TOE_REG_ID, &r), 0);
	assert_int_equal(r, TOE_REG_ID_RESET);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

static void test_rtl_bridge_retransmission_answered_from_cache(void **state)
{
	struct rlink *l = rlink_new(5, FULL);
	const uint8_t acc5[6] = { 0x03, 0xFC, 0, 0, 0, 5 };
	const uint8_t pop[3] = { 0x01, 0x80, 2 }; /* EV_POP, EV_ARG */
	struct toe_proto_frame r1, r2;

	(void)state;
	r1 = raw_req(l, TOE_PROTO_T_WRITE, 9, acc5, 6);
	r2 = raw_req(l, TOE_PROTO_T_WRITE, 9, acc5, 6);
	assert_int_equal(r1.type, TOE_PROTO_T_WRITE_ACK);
	assert_int_equal(r1.len, 1);
	assert_int_equal(r1.payload[0], 1);
	assert_int_equal(r2.type, r1.type);
	assert_int_equal(r2.crc, r1.crc);
	assert_int_equal(log_len(l), 1);
	assert_int_equal(rtl_stats(l).replay, 1);
	/* the same SEQ with other bytes is a new request */
	{
		const uint8_t acc6[6] = { 0x03, 0xFC, 0, 0, 0, 6 };

		raw_req(l, TOE_PROTO_T_WRITE, 9, acc6, 6);
		assert_int_equal(log_len(l), 2);
	}
	/* a pop answered twice pops once: two events pushed (one EVENT
	 * notification comes), then EV_POP + EV_ARG sent twice */
	{
		struct frames fr = { 0 };

		l->push_now = true;
		run_cycles(l, 1, &fr);
		l->push_now = true;
		run_cycles(l, 100, &fr);
		assert_int_equal(fr.n, 1);
		assert_int_equal(fr.f[0].type, TOE_PROTO_T_EVENT);
		assert_int_equal(fr.f[0].len, 2);
	}
	r1 = raw_req(l, TOE_PROTO_T_READ, 20, pop, 3);
	r2 = raw_req(l, TOE_PROTO_T_READ, 20, pop, 3);
	assert_int_equal(r1.type, TOE_PROTO_T_READ_DATA);
	assert_int_equal(r1.len, 8);
	assert_int_equal(toe_get_be32(r1.payload), 0x80000000u | 1u << 16 | 0);
	assert_int_equal(toe_get_be32(r1.payload + 4), 0);
	assert_memory_equal(r1.payload, r2.payload, 8);
	assert_int_equal(log_len(l), 4); /* EV_POP and EV_ARG once */
	assert_int_equal(toe_bridge_model_ev_count(l->m), 1);
	assert_int_equal(rtl_stats(l).replay, 2);
	/* through the library: the response to a write is lost, the retry is
	 * answered from the cache, the write happened once */
	{
		struct toe_proto *p = proto_new(l, 5, 3);
		struct toe_proto_stats st;
		uint32_t v;

		assert_int_equal(toe_proto_ping(p, NULL), 0);
		l->drop_frames = 1;
		assert_int_equal(toe_proto_write32(p, T_ACC, 100), 0);
		toe_proto_get_stats(p, &st);
		assert_int_equal(st.retries, 1);
		assert_int_equal(rtl_stats(l).replay, 3);
		assert_int_equal(toe_proto_read32(p, T_ACC, &v), 0);
		assert_int_equal(v, 5 + 6 + 100);
		toe_proto_free(p);
	}
	assert_drained(l);
	rlink_free(l);
}

static void test_rtl_bridge_garbage_before_request_resyncs(void **state)
{
	struct rlink *l = rlink_new(6, FULL);
	struct toe_proto *p = proto_new(l, 5, 3);
	struct toe_proto_stats st;
	uint64_t s = 66;
	uint8_t g[300];
	uint32_t v;

	(void)state;
	g_seed = s;
	assert_int_equal(toe_proto_ping(p, NULL), 0);

	/* random garbage without SYNC0, then a request: answered at once */
	for (unsigned i = 0; i < 200; i++) {
		do
			g[i] = (uint8_t)rng_next(&s);
		while (g[i] == TOE_PROTO_SYNC0);
	}
	rl_write(l, g, 200);
	assert_int_equal(toe_proto_read32(p, TOE_REG_ID, &v), 0);
	assert_int_equal(v, TOE_REG_ID_RESET);

	/* lone SYNC0s and SYNC0 SYNC0 SYNC1 with a bad header: the same */
	{
		const uint8_t h[] = { 0xA5, 0x00, 0xA5, 0xA5, 0x11, 0xA5, 0x5A, 0x03, 0x00, 0xFF };

		rl_write(l, h, sizeof(h));
		assert_int_equal(toe_proto_read32(p, TOE_REG_ID, &v), 0);
		assert_int_equal(rtl_stats(l).oversize, 1);
	}
	toe_proto_get_stats(p, &st);
	assert_int_equal(st.retries, 0);
	assert_int_equal(rtl_stats(l).crc_err, 0);

	/* a frame cut short, then silence: the byte timeout drops it and the
	 * next request is answered at once */
	{
		const uint8_t h[] = { 0xA5, 0x5A, 0x03, 0x00, 0x0A, 1, 2, 3 };
		struct frames fr;

		raw(l, h, sizeof(h), 2 * TIMEOUT_CYC, &fr);
		assert_int_equal(fr.n, 0);
		assert_int_equal(rtl_stats(l).timeout, 1);
		assert_int_equal(toe_proto_read32(p, TOE_REG_ID, &v), 0);
		toe_proto_get_stats(p, &st);
		assert_int_equal(st.retries, 0);
	}

	/* a header with a small LEN right before a request swallows it: CRC
	 * error, no answer, the retry (after silence) gets through */
	{
		const uint8_t h[] = { 0xA5, 0x5A, 0x03, 0x00, 0x06 };
		size_t before = log_len(l);

		rl_write(l, h, sizeof(h));
		assert_int_equal(toe_proto_write32(p, T_ACC, 7), 0);
		toe_proto_get_stats(p, &st);
		assert_int_equal(st.retries, 1);
		assert_int_equal(rtl_stats(l).crc_err, 1);
		assert_int_equal(log_len(l), before + 1);
	}

	/* a good frame with one CRC bit flipped: dropped, no access */
	{
		uint8_t f[TOE_PROTO_MAX_FRAME];
		const uint8_t acc9[6] = { 0x03, 0xFC, 0, 0, 0, 9 };
		size_t n = enc(f, TOE_PROTO_T_WRITE, 200, acc9, 6), before = log_len(l);
		struct frames fr;

		f[n - 1] ^= 0x10;
		raw(l, f, n, 500, &fr);
		assert_int_equal(fr.n, 0);
		assert_int_equal(rtl_stats(l).crc_err, 2);
		assert_int_equal(log_len(l), before);
	}

	/* a request with one byte lost in the middle: the RTL waits, its
	 * byte timeout drops it, nothing is executed */
	{
		uint8_t f[TOE_PROTO_MAX_FRAME];
		const uint8_t acc1[6] = { 0x03, 0xFC, 0, 0, 0, 1 };
		size_t n = enc(f, TOE_PROTO_T_WRITE, 201, acc1, 6), before = log_len(l);
		struct frames fr;

		memmove(f + 7, f + 8, n - 8);
		raw(l, f, n - 1, 2 * TIMEOUT_CYC, &fr);
		assert_int_equal(fr.n, 0);
		assert_int_equal(rtl_stats(l).timeout, 2);
		assert_int_equal(log_len(l), before);
	}
	assert_int_equal(toe_proto_read32(p, T_ACC, &v), 0);
	assert_int_equal(v, 7);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

struct evseen {
	unsigned calls, last_count;
	uint8_t last_seq;
};

static void on_event(void *arg, unsigned count, uint8_t nseq)
{
	struct evseen *e = arg;

	e->calls++;
	e->last_count = count;
	e->last_seq = nseq;
}

static void test_rtl_bridge_event_push_notifies_once_until_drained(void **state)
{
	struct rlink *l = rlink_new(7, FULL);
	struct toe_proto *p = proto_new(l, 5, 3);
	struct evseen ev = { 0, 0, 0 };
	uint32_t v[2];

	(void)state;
	toe_proto_set_event_fn(p, on_event, &ev);
	assert_int_equal(toe_proto_ping(p, NULL), 0);
	assert_int_equal(toe_proto_poll(p, 2), 0);

	l->push_now = true; /* event 0 */
	assert_int_equal(toe_proto_poll(p, 2), 1);
	assert_int_equal(ev.calls, 1);
	assert_int_equal(ev.last_count, 1);
	assert_int_equal(ev.last_seq, 0);

	/* two more while the FIFO never emptied: no new notification */
	l->push_now = true;
	run_cycles(l, 1, NULL);
	l->push_now = true;
	assert_int_equal(toe_proto_poll(p, 2), 0);
	assert_int_equal(ev.calls, 1);
	assert_int_equal(toe_bridge_model_ev_count(l->m), 3);

	/* pop all three, in order, with their arguments */
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(toe_proto_read(p, TOE_REG_EV_POP, v, 2), 0);
		assert_int_equal(v[0], 0x80000000u | (1 + i % 7) << 16 | i);
		assert_int_equal(v[1], i * 2654435761u);
	}
	assert_int_equal(toe_proto_read(p, TOE_REG_EV_POP, v, 1), 0);
	assert_int_equal(v[0], 0);

	/* emptied: the next event is notified again, next notification SEQ */
	l->push_now = true;
	assert_int_equal(toe_proto_poll(p, 2), 1);
	assert_int_equal(ev.calls, 2);
	assert_int_equal(ev.last_seq, 1);
	assert_int_equal(toe_proto_read(p, TOE_REG_EV_POP, v, 1), 0);
	assert_int_equal(v[0] & 0xFFFF, 3);

	/* a lost notification: poll times out, EV_COUNT tells */
	l->drop_frames = 1;
	l->push_now = true;
	assert_int_equal(toe_proto_poll(p, 2), 0);
	assert_int_equal(ev.calls, 2);
	assert_int_equal(toe_proto_read32(p, TOE_REG_EV_COUNT, v), 0);
	assert_int_equal(v[0], 1);

	/* a notification that comes while a request executes is delivered
	 * when the call returns */
	assert_int_equal(toe_proto_read(p, TOE_REG_EV_POP, v, 1), 0);
	l->push_now = true;
	assert_int_equal(toe_proto_read32(p, TOE_REG_SCRATCH, v), 0);
	assert_int_equal(ev.calls, 3);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

/* ---- randomized runs ---- */

struct run {
	uint64_t ops, words_w, words_r, cycles, retries;
};

/*
 * ops random operations (RAM bursts, ACC adds and reads, event pops) with
 * pattern pat, events pushed at random when ev_ppm, faults both ways when
 * fc. Checks: no call fails, every read right, every write applied exactly
 * once in order (the target's access log), every pop done once, events
 * popped in push order and all of them.
 */
static void random_run(uint64_t seed, unsigned ops, struct pattern pat,
		       unsigned ev_ppm, const struct toe_proto_fault_cfg *fc,
		       int timeout_ms, struct run *res)
{
	struct rlink *l = rlink_new((uint32_t)seed, pat);
	struct toe_proto_transport t = rl_transport(l);
	struct toe_proto_fault fault;
	struct toe_proto_cfg pc;
	struct toe_proto *p;
	uint64_t s = seed;
	uint32_t shadow[T_RAM_WORDS] = { 0 }, acc = 0;
	struct toe_bridge_access *want;
	size_t want_n = 0, want_cap = (size_t)ops * T_RAM_WORDS + 16;
	uint32_t ev_next = 0;
	uint64_t host_pops = 0, pops = 0, c0;
	struct toe_proto_stats st;
	const struct toe_bridge_access *log;
	size_t nlog;

	g_seed = seed;
	want = malloc(want_cap * sizeof(*want));
	assert_non_null(want);
	if (fc) {
		struct toe_proto_transport ft;

		toe_proto_fault_init(&fault, &t, fc, &ft);
		t = ft;
	}
	toe_proto_cfg_default(&pc);
	pc.timeout_ms = timeout_ms;
	pc.retries = fc ? 40 : 0;
	p = toe_proto_new(&t, &pc);
	assert_non_null(p);
	/* the target's RAM has no reset: start from zeros */
	CHECK(toe_proto_write(p, T_RAM, shadow, T_RAM_WORDS) == 0);
	for (unsigned i = 0; i < T_RAM_WORDS; i++) {
		want[want_n].addr = (uint16_t)(T_RAM + 4 * i);
		want[want_n++].data = 0;
	}
	l->ev_ppm = ev_ppm;
	c0 = toe_bridge_model_cycles(l->m);

	for (unsigned op = 0; op < ops; op++) {
		unsigned k = rng_below(&s, 100);
		uint32_t buf[T_RAM_WORDS];
		int r;

		if (k < 40) {
			unsigned at = rng_below(&s, T_RAM_WORDS);
			unsigned n = 1 + rng_below(&s, T_RAM_WORDS - at);

			for (unsigned i = 0; i < n; i++)
				buf[i] = (uint32_t)rng_next(&s);
			r = toe_proto_write(p, T_RAM + 4 * at, buf, n);
			CHECK(r == 0);
			for (unsigned i = 0; i < n; i++) {
				shadow[at + i] = buf[i];
				want[want_n].addr = (uint16_t)(T_RAM + 4 * (at + i));
				want[want_n++].data = buf[i];
			}
			res->words_w += n;
		} else if (k < 55) {
			uint32_t v = (uint32_t)rng_next(&s);

			r = toe_proto_write32(p, T_ACC, v);
			CHECK(r == 0);
			acc += v;
			want[want_n].addr = T_ACC;
			want[want_n++].data = v;
			res->words_w++;
		} else if (k < 80) {
			unsigned at = rng_below(&s, T_RAM_WORDS);
			unsigned n = 1 + rng_below(&s, T_RAM_WORDS - at);

			r = toe_proto_read(p, T_RAM + 4 * at, buf, n);
			CHECK(r == 0);
			CHECK(memcmp(buf, shadow + at, 4 * n) == 0);
			res->words_r += n;
		} else if (k < 88) {
			r = toe_proto_read32(p, T_ACC, buf);
			CHECK(r == 0);
			CHECK(buf[0] == acc);
			res->words_r++;
		} else {
			r = toe_proto_read(p, TOE_REG_EV_POP, buf, 2);
			CHECK(r == 0);
			host_pops++;
			if (TOE_FIELD_GET(TOE_REG_EV_POP_VALID, buf[0])) {
				CHECK(TOE_FIELD_GET(TOE_REG_EV_POP_CONN, buf[0]) ==
				      (ev_next & 0xFFFF));
				CHECK(TOE_FIELD_GET(TOE_REG_EV_POP_TYPE, buf[0]) ==
				      1 + ev_next % 7);
				CHECK(buf[1] == ev_next * 2654435761u);
				ev_next++;
			}
			res->words_r += 2;
		}
		res->ops++;
	}
	/* the rest of the events, with no more coming */
	l->ev_ppm = 0;
	for (;;) {
		uint32_t buf[2];

		CHECK(toe_proto_read(p, TOE_REG_EV_POP, buf, 2) == 0);
		host_pops++;
		if (!(buf[0] & 0x80000000u))
			break;
		CHECK((buf[0] & 0xFFFF) == (ev_next & 0xFFFF));
		ev_next++;
	}
	CHECK(ev_next == l->ev_pushed);
	res->cycles = toe_bridge_model_cycles(l->m) - c0;

	/* the target's log: the writes exactly as issued, once each */
	nlog = toe_bridge_model_log(l->m, &log);
	{
		size_t w = 0;

		for (size_t i = 0; i < nlog; i++) {
			CHECK(!log[i].err);
			if (log[i].we) {
				CHECK(w < want_n);
				CHECK(log[i].addr == want[w].addr);
				CHECK(log[i].data == want[w].data);
				w++;
			} else if (log[i].addr == TOE_REG_EV_POP) {
				pops++;
			}
		}
		CHECK(w == want_n);
		CHECK(pops == host_pops);
	}
	toe_proto_get_stats(p, &st);
	res->retries = st.retries;
	if (fc) {
		struct toe_bridge_stats rs = rtl_stats(l);

		CHECK(fault.st.corrupted > 20 && fault.st.dropped > 20 &&
		      fault.st.duplicated > 20 && fault.st.garbage > 20);
		print_message("fault run seed %llu: %llu ops (%llu words written, %llu read) "
			      "in %llu cycles; host: %llu frames sent, %llu retries, %llu "
			      "CRC errors, %llu truncated; RTL: %llu good requests, %llu "
			      "answered from the cache, %llu CRC errors, %llu oversize, "
			      "%llu byte timeouts; faults: %llu corrupted, %llu dropped, "
			      "%llu duplicated, %llu garbage bytes; %u events\n",
			      (unsigned long long)seed, (unsigned long long)res->ops,
			      (unsigned long long)res->words_w, (unsigned long long)res->words_r,
			      (unsigned long long)res->cycles, (unsigned long long)st.tx_frames,
			      (unsigned long long)st.retries,
			      (unsigned long long)st.dec.crc_errors,
			      (unsigned long long)st.dec.truncated,
			      (unsigned long long)rs.frames, (unsigned long long)rs.replay,
			      (unsigned long long)rs.crc_err, (unsigned long long)rs.oversize,
			      (unsigned long long)rs.timeout,
			      (unsigned long long)fault.st.corrupted,
			      (unsigned long long)fault.st.dropped,
			      (unsigned long long)fault.st.duplicated,
			      (unsigned long long)fault.st.garbage, l->ev_pushed);
		CHECK(rs.replay > 0);
	} else {
		CHECK(st.retries == 0);
	}
	assert_drained(l);
	free(want);
	toe_proto_free(p);
	rlink_free(l);
}

static void test_rtl_bridge_idle_backpressure_all_correct(void **state)
{
	/* input valid %, output ready %, CSR wait-state %, response hold % */
	const struct pattern pats[] = {
		{ 100, 100, 0, 0 }, { 20, 100, 0, 0 }, { 100, 20, 0, 0 },
		{ 50, 50, 30, 30 }, { 10, 10, 60, 60 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		struct run res = { 0 };

		random_run(100 + i, 150, pats[i], 300, NULL, 50, &res);
		print_message("pattern in %u%% out %u%% stall %u%% hold %u%%: %llu ops, "
			      "%.1f cycles per op\n", pats[i].in_pct, pats[i].out_pct,
			      pats[i].stall_pct, pats[i].hold_pct,
			      (unsigned long long)res.ops, (double)res.cycles / (double)res.ops);
	}
}

static void test_rtl_bridge_fault_run_2000_exactly_once(void **state)
{
	struct toe_proto_fault_cfg fc = {
		.seed = 4242,
		.corrupt_ppm = 2000,
		.drop_ppm = 1000,
		.dup_ppm = 1000,
		.garbage_ppm = 700,
		.garbage_max = 10,
		.to_engine = true,
		.to_host = true,
	};
	struct pattern pat = { 70, 70, 10, 10 };
	struct run res = { 0 };

	(void)state;
	random_run(2024, 2000, pat, 500, &fc, 5, &res);
	assert_int_equal(res.ops, 2000);
	assert_true(res.retries > 0);
}

static void test_rtl_bridge_full_rate_latency_matches_spec(void **state)
{
	struct rlink *l = rlink_new(9, FULL);
	struct toe_proto *p = proto_new(l, 5, 0);
	struct toe_proto_stats a, b;
	uint32_t w[32] = { 0 }, r[32];
	uint64_t c0, c1, c2, c3;

	(void)state;
	assert_int_equal(toe_proto_ping(p, NULL), 0);
	/* latency, from the cycle in which the last request byte is taken to
	 * the first cycle with the first response byte valid: 4 + 2 * words
	 * (header of rtl/toe_host_bridge.v) */
	for (unsigned n = 0; n <= 32; n += 8) {
		uint8_t f[TOE_PROTO_MAX_FRAME], pl[3] = { 0x03, 0x00, (uint8_t)n };
		struct frames fr;
		size_t len = n ? enc(f, TOE_PROTO_T_READ, (uint8_t)(50 + n), pl, 3)
			       : enc(f, TOE_PROTO_T_PING, 50, NULL, 0);

		l->watch_latency = true;
		l->first_out_cycle = 0;
		raw(l, f, len, 400, &fr);
		l->watch_latency = false;
		assert_int_equal(fr.n, 1);
		assert_int_equal(l->first_out_cycle - l->last_in_cycle, 4 + 2 * n);
	}

	toe_proto_get_stats(p, &a);
	c0 = toe_bridge_model_cycles(l->m);
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(toe_proto_write32(p, T_RAM, i), 0);
	c1 = toe_bridge_model_cycles(l->m);
	toe_proto_get_stats(p, &b);
	assert_int_equal(b.tx_bytes - a.tx_bytes, 1000 * 15);
	assert_int_equal(b.rx_bytes - a.rx_bytes, 1000 * 10);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(toe_proto_write(p, T_RAM, w, 32), 0);
	c2 = toe_bridge_model_cycles(l->m);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(toe_proto_read(p, T_RAM, r, 32), 0);
	c3 = toe_bridge_model_cycles(l->m);
	/* one byte per cycle each way: a single write is 15 bytes in, 5
	 * cycles, 10 bytes out (+1 for the transport's turn-around) */
	assert_true((c1 - c0) / 1000 <= 15 + 5 + 10 + 1);
	print_message("full rate: single register write %llu cycles (25 bytes on the "
		      "wire); 32-word write burst %llu cycles (%.2f cycles, %.2f bytes per "
		      "word); 32-word read burst %llu cycles (%.2f cycles per word)\n",
		      (unsigned long long)((c1 - c0) / 1000),
		      (unsigned long long)((c2 - c1) / 100), (double)(c2 - c1) / 100 / 32,
		      (5 + 2 + 128 + 4 + 10) / 32.0,
		      (unsigned long long)((c3 - c2) / 100), (double)(c3 - c2) / 100 / 32);
	assert_drained(l);
	toe_proto_free(p);
	rlink_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtl_bridge_ping_reads_id_block),
		cmocka_unit_test(test_rtl_bridge_golden_frames_byte_exact),
		cmocka_unit_test(test_rtl_bridge_burst_63_words_split_in_order),
		cmocka_unit_test(test_rtl_bridge_bad_requests_get_error_codes),
		cmocka_unit_test(test_rtl_bridge_library_errors_map_to_codes),
		cmocka_unit_test(test_rtl_bridge_retransmission_answered_from_cache),
		cmocka_unit_test(test_rtl_bridge_garbage_before_request_resyncs),
		cmocka_unit_test(test_rtl_bridge_event_push_notifies_once_until_drained),
		cmocka_unit_test(test_rtl_bridge_idle_backpressure_all_correct),
		cmocka_unit_test(test_rtl_bridge_fault_run_2000_exactly_once),
		cmocka_unit_test(test_rtl_bridge_full_rate_latency_matches_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
