/* SPDX-License-Identifier: MIT */
/*
 * test_proto.c - the host bridge protocol in C (host/lib/toe_proto.c and
 * its codec host/common/toe_proto_codec.c):
 * CRC-32C against published vectors, frame layout and codec round trips,
 * every corruption case the decoder must survive (garbage, bad CRC,
 * truncation, a lost or duplicated byte at every position, oversize LEN),
 * and the transaction layer against an in-process C model of the engine
 * side (response cache, error replies, event notifications), ending with a
 * 10000-operation run through the fault-injecting transport in which every
 * write must be applied exactly once and every read must be right.
 *
 * The engine model follows docs/host-bridge.md and implements the same
 * test register map as the RTL test target (tests/rtl/toe_test_csr.v).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toe/toe_regs.h"
#include "toe_bytes.h"
#include "toe_proto.h"
#include "test_rng.h"

/* ---- small helpers ---- */

/* The seed of the running randomized test, printed when a check fails. */
static uint64_t g_seed;

#define CHECK(c)                                                                  \
	do {                                                                      \
		if (!(c)) {                                                       \
			print_error("check failed: %s (seed %llu)\n", #c,         \
				    (unsigned long long)g_seed);                  \
			fail();                                                   \
		}                                                                 \
	} while (0)

/* ---- frames collected from a decoder ---- */

#define MAX_COLLECT 2048

struct collect {
	unsigned n;
	struct toe_proto_frame f[MAX_COLLECT];
};

static void collect_fn(void *arg, const struct toe_proto_frame *f)
{
	struct collect *c = arg;

	assert_true(c->n < MAX_COLLECT);
	c->f[c->n++] = *f;
}

static struct collect *collect_new(void)
{
	struct collect *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

/* ---- test register map (same as tests/rtl/toe_test_csr.v) ---- */

#define T_RAM 0x300u  /* 63 read/write words, 0x300..0x3F8 */
#define T_RAM_WORDS 63u
#define T_ACC 0x3FCu  /* write adds the value; read gives the sum */
#define T_ADDR_W 10u
#define ENG_MAX_BURST 32u
#define EV_DEPTH 64u

/* ---- the C model of the engine side: bridge + test CSR target ---- */

struct applied {
	uint16_t addr;
	uint32_t data;
};

struct eng {
	struct toe_proto_dec dec;
	unsigned max_burst;

	/* response cache: the last request executed and its response */
	bool c_valid;
	uint8_t c_seq;
	uint32_t c_crc;
	uint8_t c_frame[TOE_PROTO_MAX_FRAME];
	int c_flen;

	/* registers */
	uint32_t scratch;
	uint32_t ram[T_RAM_WORDS];
	uint32_t acc;
	uint32_t ev_q[EV_DEPTH][2]; /* {type << 16 | conn, arg} */
	unsigned ev_head, ev_n;
	uint32_t ev_arg, ev_lost;

	/* event notification: armed while the FIFO was empty since the last */
	bool ev_armed;
	uint8_t ev_nseq;

	/* what the engine did */
	struct applied *wlog; /* writes applied, in order */
	size_t wlog_n, wlog_cap;
	uint64_t pops;        /* EV_POP reads executed */
	uint64_t executed;    /* requests executed */
	uint64_t replayed;    /* requests answered from the cache */
	uint64_t notifies;    /* EVENT frames sent */

	/* test hooks */
	unsigned drop_resp;   /* lose the next n responses (after executing) */
	unsigned drop_events; /* lose the next n EVENT frames */
	bool dead;            /* answer nothing */

	/* bytes to the host */
	uint8_t *out;
	size_t oh, on, ocap;
};

static void eng_emit(struct eng *e, const uint8_t *p, size_t n)
{
	if (e->on + n > e->ocap) {
		memmove(e->out, e->out + e->oh, e->on - e->oh);
		e->on -= e->oh;
		e->oh = 0;
	}
	assert_true(e->on + n <= e->ocap);
	memcpy(e->out + e->on, p, n);
	e->on += n;
}

static void eng_ev_check(struct eng *e)
{
	uint8_t f[TOE_PROTO_MAX_FRAME], pl[2];
	int n;

	if (e->ev_n == 0) {
		e->ev_armed = true;
		return;
	}
	if (!e->ev_armed)
		return;
	e->ev_armed = false;
	pl[0] = (uint8_t)(e->ev_n >> 8);
	pl[1] = (uint8_t)e->ev_n;
	n = toe_proto_encode(f, sizeof(f), TOE_PROTO_T_EVENT, e->ev_nseq++, pl, 2);
	assert_true(n > 0);
	e->notifies++;
	if (e->drop_events) {
		e->drop_events--;
		return;
	}
	eng_emit(e, f, (size_t)n);
}

static void eng_ev_push(struct eng *e, uint16_t conn, uint8_t type, uint32_t arg)
{
	if (e->ev_n == EV_DEPTH) {
		e->ev_lost++;
	} else {
		unsigned i = (e->ev_head + e->ev_n) % EV_DEPTH;

		e->ev_q[i][0] = (uint32_t)type << 16 | conn;
		e->ev_q[i][1] = arg;
		e->ev_n++;
	}
	eng_ev_check(e);
}

/* One CSR access of the test target. false: no such register. */
static bool eng_csr(struct eng *e, bool we, uint32_t addr, uint32_t *data)
{
	if (addr >= T_RAM && addr < T_RAM + 4 * T_RAM_WORDS) {
		if (we)
			e->ram[(addr - T_RAM) / 4] = *data;
		else
			*data = e->ram[(addr - T_RAM) / 4];
	} else if (addr == T_ACC) {
		if (we)
			e->acc += *data;
		else
			*data = e->acc;
	} else if (addr == TOE_REG_SCRATCH) {
		if (we)
			e->scratch = *data;
		else
			*data = e->scratch;
	} else if (we) {
		return false; /* the rest is read-only or unmapped */
	} else if (addr == TOE_REG_ID) {
		*data = TOE_REG_ID_RESET;
	} else if (addr == TOE_REG_VERSION) {
		*data = TOE_REG_VERSION_RESET;
	} else if (addr == TOE_REG_EV_POP) {
		e->pops++;
		if (e->ev_n) {
			*data = 0x80000000u | e->ev_q[e->ev_head][0];
			e->ev_arg = e->ev_q[e->ev_head][1];
			e->ev_head = (e->ev_head + 1) % EV_DEPTH;
			e->ev_n--;
		} else {
			*data = 0;
		}
	} else if (addr == TOE_REG_EV_ARG) {
		*data = e->ev_arg;
	} else if (addr == TOE_REG_EV_COUNT) {
		*data = e->ev_n;
	} else if (addr == TOE_REG_EV_LOST) {
		*data = e->ev_lost;
	} else {
		return false;
	}
	if (we) {
		if (e->wlog_n == e->wlog_cap) {
			e->wlog_cap = e->wlog_cap ? 2 * e->wlog_cap : 1024;
			e->wlog = realloc(e->wlog, e->wlog_cap * sizeof(*e->wlog));
			assert_non_null(e->wlog);
		}
		e->wlog[e->wlog_n].addr = (uint16_t)addr;
		e->wlog[e->wlog_n].data = *data;
		e->wlog_n++;
	}
	return true;
}

/* Execute a request whose CRC matched; returns the response type and fills
 * pl/len. Same checks, same order as rtl/toe_host_bridge.v. */
static uint8_t eng_exec(struct eng *e, const struct toe_proto_frame *f,
			uint8_t *pl, size_t *len)
{
	uint32_t addr = (uint32_t)f->payload[0] << 8 | f->payload[1];
	unsigned count;
	bool we;

	*len = 2;
	switch (f->type) {
	case TOE_PROTO_T_PING:
		if (f->len != 0)
			goto bad_len;
		pl[0] = TOE_PROTO_VERSION;
		pl[1] = (uint8_t)e->max_burst;
		return TOE_PROTO_T_PING_ACK;
	case TOE_PROTO_T_READ:
		if (f->len != 3)
			goto bad_len;
		count = f->payload[2];
		if (count == 0 || count > e->max_burst)
			goto bad_len;
		we = false;
		break;
	case TOE_PROTO_T_WRITE:
		if (f->len < 6 || (f->len - 2) % 4)
			goto bad_len;
		count = (f->len - 2u) / 4u;
		we = true;
		break;
	default:
		pl[0] = TOE_PROTO_ERR_TYPE;
		pl[1] = 0;
		return TOE_PROTO_T_ERROR;
	}
	if (addr & 3) {
		pl[0] = TOE_PROTO_ERR_ALIGN;
		pl[1] = 0;
		return TOE_PROTO_T_ERROR;
	}
	for (unsigned i = 0; i < count; i++) {
		uint32_t a = addr + 4 * i, d = 0;

		if (we)
			d = toe_get_be32(f->payload + 2 + 4 * i);
		if (a >= (1u << T_ADDR_W) || !eng_csr(e, we, a, &d)) {
			pl[0] = TOE_PROTO_ERR_ADDR;
			pl[1] = (uint8_t)i;
			*len = 2;
			return TOE_PROTO_T_ERROR;
		}
		if (!we)
			toe_put_be32(pl + 4 * i, d);
	}
	if (we) {
		pl[0] = (uint8_t)count;
		*len = 1;
		return TOE_PROTO_T_WRITE_ACK;
	}
	*len = 4 * count;
	return TOE_PROTO_T_READ_DATA;
bad_len:
	pl[0] = TOE_PROTO_ERR_LEN;
	pl[1] = 0;
	return TOE_PROTO_T_ERROR;
}

static void eng_on_frame(void *arg, const struct toe_proto_frame *f)
{
	struct eng *e = arg;
	uint8_t pl[255];
	size_t len;
	uint8_t type;

	if (e->c_valid && f->seq == e->c_seq && f->crc == e->c_crc) {
		/* a retransmission: the cached response, nothing executed */
		e->replayed++;
	} else {
		type = eng_exec(e, f, pl, &len);
		e->c_flen = toe_proto_encode(e->c_frame, sizeof(e->c_frame), type,
					     f->seq, pl, len);
		assert_true(e->c_flen > 0);
		e->c_valid = true;
		e->c_seq = f->seq;
		e->c_crc = f->crc;
		e->executed++;
	}
	if (e->drop_resp)
		e->drop_resp--;
	else if (!e->dead)
		eng_emit(e, e->c_frame, (size_t)e->c_flen);
	eng_ev_check(e);
}

static struct eng *eng_new(void)
{
	struct eng *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->max_burst = ENG_MAX_BURST;
	toe_proto_dec_init(&e->dec, 2 + 4 * e->max_burst);
	e->ev_armed = true;
	e->ocap = 1u << 16;
	e->out = malloc(e->ocap);
	assert_non_null(e->out);
	return e;
}

static void eng_free(struct eng *e)
{
	free(e->wlog);
	free(e->out);
	free(e);
}

static void eng_rx(struct eng *e, const uint8_t *p, size_t n)
{
	toe_proto_dec_feed(&e->dec, p, n, eng_on_frame, e);
}

/* Send one raw request frame to the engine; return the first response
 * (non-EVENT) frame it sent, or fail. */
static struct toe_proto_frame eng_raw(struct eng *e, uint8_t type, uint8_t seq,
				      const uint8_t *pl, size_t len)
{
	uint8_t f[TOE_PROTO_MAX_FRAME];
	struct toe_proto_dec d;
	struct collect *c = collect_new();
	struct toe_proto_frame r;
	int n = toe_proto_encode(f, sizeof(f), type, seq, pl, len);

	assert_true(n > 0);
	e->oh = e->on = 0;
	eng_rx(e, f, (size_t)n);
	toe_proto_dec_init(&d, 255);
	toe_proto_dec_feed(&d, e->out + e->oh, e->on - e->oh, collect_fn, c);
	e->oh = e->on = 0;
	for (unsigned i = 0; i < c->n; i++) {
		if (c->f[i].type != TOE_PROTO_T_EVENT) {
			r = c->f[i];
			free(c);
			return r;
		}
	}
	free(c);
	fail_msg("no response from the engine model");
	return r;
}

/* ---- the in-process transport: host <-> engine model, simulated ms ---- */

struct link {
	struct eng *e;
	uint64_t now;      /* simulated ms */
	uint64_t ev_seed;  /* random event pushes on writes, when ev_pct */
	unsigned ev_pct;
	uint32_t ev_pushed;
};

static int link_write(void *ctx, const uint8_t *buf, size_t n)
{
	struct link *l = ctx;

	if (l->ev_pct && rng_below(&l->ev_seed, 100) < l->ev_pct) {
		eng_ev_push(l->e, (uint16_t)l->ev_pushed, (uint8_t)(1 + l->ev_pushed % 7),
			    l->ev_pushed * 2654435761u);
		l->ev_pushed++;
	}
	eng_rx(l->e, buf, n);
	return 0;
}

static int link_read(void *ctx, uint8_t *buf, size_t n, int timeout_ms)
{
	struct link *l = ctx;
	struct eng *e = l->e;
	size_t c = e->on - e->oh;

	if (c == 0) {
		/* nothing comes: the time passes; the engine sees silence */
		l->now += (uint64_t)timeout_ms;
		if (timeout_ms > 0)
			toe_proto_dec_timeout(&e->dec, eng_on_frame, e);
		return 0;
	}
	if (c > n)
		c = n;
	memcpy(buf, e->out + e->oh, c);
	e->oh += c;
	l->now++; /* reading takes simulated time, so a stream never stalls time */
	return (int)c;
}

static uint64_t link_now(void *ctx)
{
	return ((struct link *)ctx)->now;
}

static struct toe_proto_transport link_transport(struct link *l)
{
	struct toe_proto_transport t = { l, link_write, link_read, link_now };

	return t;
}

struct fixture {
	struct eng *e;
	struct link l;
	struct toe_proto_fault fault;
	struct toe_proto *p;
	/* events the callback saw */
	unsigned ev_calls;
	unsigned ev_last_count;
};

static struct fixture *fixture_new(const struct toe_proto_fault_cfg *fc,
				   const struct toe_proto_cfg *pc)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct toe_proto_transport t;

	assert_non_null(fx);
	fx->e = eng_new();
	fx->l.e = fx->e;
	t = link_transport(&fx->l);
	if (fc) {
		struct toe_proto_transport ft;

		toe_proto_fault_init(&fx->fault, &t, fc, &ft);
		t = ft;
	}
	fx->p = toe_proto_new(&t, pc);
	assert_non_null(fx->p);
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	toe_proto_free(fx->p);
	eng_free(fx->e);
	free(fx);
}

static void on_event(void *arg, unsigned count, uint8_t nseq)
{
	struct fixture *fx = arg;

	(void)nseq;
	fx->ev_calls++;
	fx->ev_last_count = count;
}

/* ===================================================================== */
/* CRC and layout                                                        */

static void test_crc32c_spec_vectors_match(void **state)
{
	/* The CRC catalogue's check value for CRC-32/ISCSI (CRC-32C), and the
	 * RFC 3720 B.4 test vectors (32 bytes of 0x00, 0xFF, 0..31, 31..0;
	 * the RFC lists the CRC bytes in transmission order, least
	 * significant first). */
	uint8_t zero[32], ones[32], inc[32], dec[32];

	(void)state;
	assert_int_equal(toe_proto_crc32c(0, "123456789", 9), 0xE3069283u);
	for (int i = 0; i < 32; i++) {
		zero[i] = 0;
		ones[i] = 0xFF;
		inc[i] = (uint8_t)i;
		dec[i] = (uint8_t)(31 - i);
	}
	assert_int_equal(toe_proto_crc32c(0, zero, 32), 0x8A9136AAu);
	assert_int_equal(toe_proto_crc32c(0, ones, 32), 0x62A8AB43u);
	assert_int_equal(toe_proto_crc32c(0, inc, 32), 0x46DD794Eu);
	assert_int_equal(toe_proto_crc32c(0, dec, 32), 0x113FDB5Cu);
}

static void test_crc32c_chained_equals_whole(void **state)
{
	const char *s = "123456789";

	(void)state;
	for (size_t k = 0; k <= 9; k++)
		assert_int_equal(toe_proto_crc32c(toe_proto_crc32c(0, s, k), s + k, 9 - k),
				 0xE3069283u);
}

/*
 * The example frames of docs/host-bridge.md, whose CRC bytes were computed
 * with an independent (Python, bitwise) CRC-32C, not with this library.
 */
struct golden {
	uint8_t type, seq, len;
	uint8_t payload[8];
	uint8_t bytes[20];
	size_t n;
};

static const struct golden GOLDEN[] = {
	/* WRITE SCRATCH (0x010) = 0x12345678, SEQ 7 */
	{ 0x03, 7, 6, { 0x00, 0x10, 0x12, 0x34, 0x56, 0x78 },
	  { 0xA5, 0x5A, 0x03, 0x07, 0x06, 0x00, 0x10, 0x12, 0x34, 0x56, 0x78,
	    0xA9, 0xB0, 0x46, 0x51 }, 15 },
	/* its WRITE_ACK, 1 word */
	{ 0x83, 7, 1, { 0x01 }, { 0xA5, 0x5A, 0x83, 0x07, 0x01, 0x01, 0xED, 0xDC, 0x74, 0xDC }, 10 },
	/* PING, SEQ 0 */
	{ 0x01, 0, 0, { 0 }, { 0xA5, 0x5A, 0x01, 0x00, 0x00, 0xC5, 0x25, 0x31, 0x04 }, 9 },
	/* PING_ACK: version 1, max burst 32 */
	{ 0x81, 0, 2, { 0x01, 0x20 },
	  { 0xA5, 0x5A, 0x81, 0x00, 0x02, 0x01, 0x20, 0x6F, 0xB1, 0x88, 0x61 }, 11 },
	/* READ ID (0x000), 1 word, SEQ 1 */
	{ 0x02, 1, 3, { 0x00, 0x00, 0x01 },
	  { 0xA5, 0x5A, 0x02, 0x01, 0x03, 0x00, 0x00, 0x01, 0x24, 0xFE, 0xB9, 0xDF }, 12 },
	/* READ_DATA "TOE1" */
	{ 0x82, 1, 4, { 0x54, 0x4F, 0x45, 0x31 },
	  { 0xA5, 0x5A, 0x82, 0x01, 0x04, 0x54, 0x4F, 0x45, 0x31, 0x43, 0xB0, 0x18, 0xE1 }, 13 },
	/* ERROR ADDR at word 0, SEQ 2 */
	{ 0x80, 2, 2, { 0x04, 0x00 },
	  { 0xA5, 0x5A, 0x80, 0x02, 0x02, 0x04, 0x00, 0x95, 0x52, 0xB3, 0x39 }, 11 },
	/* EVENT: 1 event waiting, notification 0 */
	{ 0xC0, 0, 2, { 0x00, 0x01 },
	  { 0xA5, 0x5A, 0xC0, 0x00, 0x02, 0x00, 0x01, 0xA1, 0x85, 0x18, 0xC9 }, 11 },
};

static void test_encode_golden_frames_match_doc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(GOLDEN) / sizeof(GOLDEN[0]); i++) {
		const struct golden *g = &GOLDEN[i];
		uint8_t f[32];
		struct collect *c = collect_new();
		struct toe_proto_dec d;

		assert_int_equal(toe_proto_encode(f, sizeof(f), g->type, g->seq,
						  g->payload, g->len), (int)g->n);
		assert_memory_equal(f, g->bytes, g->n);
		toe_proto_dec_init(&d, 255);
		assert_int_equal(toe_proto_dec_feed(&d, g->bytes, g->n, collect_fn, c), 1);
		assert_int_equal(c->f[0].type, g->type);
		assert_int_equal(c->f[0].seq, g->seq);
		assert_int_equal(c->f[0].len, g->len);
		assert_memory_equal(c->f[0].payload, g->payload, g->len);
		assert_int_equal(c->f[0].crc, toe_get_be32(g->bytes + g->n - 4));
		free(c);
	}
}

static void test_encode_bad_arguments_rejected(void **state)
{
	uint8_t f[300], pl[256] = { 0 };

	(void)state;
	/* a cap one byte short, a payload above 255, a NULL payload */
	assert_int_equal(toe_proto_encode(f, 14, TOE_PROTO_T_WRITE, 7, pl, 6),
			 TOE_PROTO_EINVAL);
	assert_int_equal(toe_proto_encode(f, sizeof(f), 1, 0, pl, 256), TOE_PROTO_EINVAL);
	assert_int_equal(toe_proto_encode(f, sizeof(f), 1, 0, NULL, 1), TOE_PROTO_EINVAL);
	assert_int_equal(toe_proto_encode(f, sizeof(f), 1, 0, pl, 255), 5 + 255 + 4);
}

/* ===================================================================== */
/* decoder                                                               */

/* A stream of n random frames (type, seq, len 0..maxlen); offsets and
 * lengths of each frame in *off / *flen. Returns the stream length. */
static size_t make_stream(uint64_t *s, uint8_t *out, size_t cap, unsigned n,
			  unsigned maxlen, size_t *off, size_t *flen,
			  struct toe_proto_frame *want)
{
	size_t pos = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t pl[255];
		unsigned len = rng_below(s, maxlen + 1);
		int k;

		for (unsigned j = 0; j < len; j++)
			pl[j] = (uint8_t)rng_next(s);
		/* some payloads full of sync bytes */
		if (i % 5 == 1)
			for (unsigned j = 0; j < len; j++)
				pl[j] = j % 2 ? TOE_PROTO_SYNC1 : TOE_PROTO_SYNC0;
		want[i].type = (uint8_t)rng_next(s);
		want[i].seq = (uint8_t)rng_next(s);
		want[i].len = (uint8_t)len;
		memcpy(want[i].payload, pl, len);
		k = toe_proto_encode(out + pos, cap - pos, want[i].type, want[i].seq, pl, len);
		assert_true(k > 0);
		off[i] = pos;
		flen[i] = (size_t)k;
		pos += (size_t)k;
	}
	return pos;
}

static void assert_frame_eq(const struct toe_proto_frame *a, const struct toe_proto_frame *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->payload, b->payload, a->len);
}

static void test_dec_roundtrip_all_lengths_delivers_each(void **state)
{
	static uint8_t buf[300 * 256];
	static size_t off[256], flen[256];
	static struct toe_proto_frame want[256];
	struct collect *c1 = collect_new(), *c2 = collect_new();
	struct toe_proto_dec d1, d2;
	size_t pos = 0;

	(void)state;
	/* every payload length 0..255, each frame once */
	for (unsigned len = 0; len <= 255; len++) {
		uint8_t pl[255];

		for (unsigned j = 0; j < len; j++)
			pl[j] = (uint8_t)(len * 7 + j);
		want[len].type = (uint8_t)len;
		want[len].seq = (uint8_t)(255 - len);
		want[len].len = (uint8_t)len;
		memcpy(want[len].payload, pl, len);
		off[len] = pos;
		int k = toe_proto_encode(buf + pos, sizeof(buf) - pos, want[len].type,
					 want[len].seq, pl, len);
		assert_int_equal(k, 5 + (int)len + 4);
		flen[len] = (size_t)k;
		pos += (size_t)k;
	}
	toe_proto_dec_init(&d1, 255);
	toe_proto_dec_init(&d2, 255);
	for (size_t i = 0; i < pos; i++) /* byte at a time */
		toe_proto_dec_feed(&d1, buf + i, 1, collect_fn, c1);
	assert_int_equal(toe_proto_dec_feed(&d2, buf, pos, collect_fn, c2), 256);
	assert_int_equal(c1->n, 256);
	assert_int_equal(c2->n, 256);
	for (unsigned i = 0; i < 256; i++) {
		assert_frame_eq(&c1->f[i], &want[i]);
		assert_frame_eq(&c2->f[i], &want[i]);
		assert_int_equal(c1->f[i].crc, toe_get_be32(buf + off[i] + flen[i] - 4));
	}
	assert_int_equal(d1.st.frames, 256);
	assert_int_equal(d1.st.garbage_bytes, 0);
	assert_int_equal(d1.st.crc_errors, 0);
	assert_true(toe_proto_dec_idle(&d1));
	free(c1);
	free(c2);
}

static void test_dec_garbage_between_frames_all_delivered(void **state)
{
	static uint8_t frames[64 * 300], stream[64 * 400];
	static size_t off[64], flen[64];
	static struct toe_proto_frame want[64];
	struct collect *c = collect_new();
	struct toe_proto_dec d;
	size_t pos = 0, garbage = 0;
	uint64_t s = 11;

	(void)state;
	g_seed = s;
	make_stream(&s, frames, sizeof(frames), 64, 40, off, flen, want);
	for (unsigned i = 0; i < 64; i++) {
		/* garbage before every frame: random bytes, lone and paired
		 * sync bytes, a plausible header with a small LEN */
		unsigned g = rng_below(&s, 24);

		for (unsigned j = 0; j < g; j++) {
			unsigned k = rng_below(&s, 4);

			stream[pos++] = k == 0 ? TOE_PROTO_SYNC0 : k == 1 ? TOE_PROTO_SYNC1
							 : (uint8_t)rng_next(&s);
		}
		if (i % 3 == 0) {
			const uint8_t fake[5] = { 0xA5, 0x5A, 0x02, 0x00, 0x03 };

			memcpy(stream + pos, fake, 5);
			pos += 5;
			g += 5;
		}
		garbage += g;
		memcpy(stream + pos, frames + off[i], flen[i]);
		pos += flen[i];
	}
	toe_proto_dec_init(&d, 255);
	for (size_t i = 0; i < pos; i++)
		toe_proto_dec_feed(&d, stream + i, 1, collect_fn, c);
	toe_proto_dec_timeout(&d, collect_fn, c); /* the line goes quiet */
	CHECK(c->n == 64);
	for (unsigned i = 0; i < 64; i++)
		assert_frame_eq(&c->f[i], &want[i]);
	/* every byte is accounted for: in a frame or skipped */
	CHECK(d.st.garbage_bytes == garbage);
	CHECK(d.st.crc_errors > 0); /* the fake headers failed */
	free(c);
}

static void test_dec_bad_crc_frame_dropped_next_delivered(void **state)
{
	static uint8_t buf[8 * 300];
	static size_t off[8], flen[8];
	static struct toe_proto_frame want[8];
	uint64_t s = 5;
	size_t n = make_stream(&s, buf, sizeof(buf), 8, 60, off, flen, want);

	(void)state;
	/* flip one bit in every byte position of frame 3 in turn (CRC-32C
	 * detects every single-bit error); SYNC bytes excepted, a broken
	 * SYNC is a different case */
	for (size_t k = 2; k < flen[3]; k++) {
		for (unsigned bit = 0; bit < 8; bit += 3) {
			struct collect *c = collect_new();
			struct toe_proto_dec d;

			buf[off[3] + k] ^= (uint8_t)(1u << bit);
			toe_proto_dec_init(&d, 255);
			toe_proto_dec_feed(&d, buf, n, collect_fn, c);
			toe_proto_dec_timeout(&d, collect_fn, c);
			buf[off[3] + k] ^= (uint8_t)(1u << bit);
			/* a LEN made bigger may swallow the next frames, but
			 * the rescan finds them */
			assert_int_equal(c->n, 7);
			for (unsigned i = 0, j = 0; i < 8; i++)
				if (i != 3)
					assert_frame_eq(&c->f[j++], &want[i]);
			assert_true(d.st.crc_errors + d.st.oversize >= 1);
			free(c);
		}
	}
}

static void test_dec_truncated_then_next_sync_delivered(void **state)
{
	uint8_t a[300], b[300], s[600];
	uint8_t pl[100];
	int na, nb;

	(void)state;
	for (unsigned i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)i;
	na = toe_proto_encode(a, sizeof(a), TOE_PROTO_T_READ_DATA, 1, pl, 100);
	nb = toe_proto_encode(b, sizeof(b), TOE_PROTO_T_WRITE_ACK, 2, pl, 1);
	/* frame a cut after k bytes, then frame b whole */
	for (int k = 1; k < na; k++) {
		struct collect *c = collect_new();
		struct toe_proto_dec d;

		memcpy(s, a, (size_t)k);
		memcpy(s + k, b, (size_t)nb);
		toe_proto_dec_init(&d, 255);
		toe_proto_dec_feed(&d, s, (size_t)(k + nb), collect_fn, c);
		/* b is found whatever the cut: at once when a's header
		 * was not whole, else when silence ends a's wait */
		toe_proto_dec_timeout(&d, collect_fn, c);
		assert_int_equal(c->n, 1);
		assert_int_equal(c->f[0].type, TOE_PROTO_T_WRITE_ACK);
		assert_int_equal(c->f[0].seq, 2);
		assert_true(toe_proto_dec_idle(&d));
		free(c);
	}
}

static void test_dec_truncated_then_timeout_abandoned(void **state)
{
	uint8_t a[64];
	struct collect *c = collect_new();
	struct toe_proto_dec d;
	const uint8_t pl[3] = { 1, 2, 3 };
	int na = toe_proto_encode(a, sizeof(a), TOE_PROTO_T_READ, 9, pl, 3);

	(void)state;
	toe_proto_dec_init(&d, 255);
	toe_proto_dec_feed(&d, a, (size_t)na - 1, collect_fn, c);
	assert_false(toe_proto_dec_idle(&d));
	assert_int_equal(toe_proto_dec_timeout(&d, collect_fn, c), 0);
	assert_true(toe_proto_dec_idle(&d));
	assert_true(d.st.truncated >= 1);
	assert_int_equal(d.st.garbage_bytes, (uint64_t)na - 1);
	/* the last byte, late, is garbage; then the same frame whole is good */
	toe_proto_dec_feed(&d, a + na - 1, 1, collect_fn, c);
	toe_proto_dec_feed(&d, a, (size_t)na, collect_fn, c);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->f[0].seq, 9);
	free(c);
}

/* Frame 2 of 5 with one byte removed (lost) or repeated (duplicated) at
 * position k: only frame 2 is lost, the others arrive. */
static void lose_or_dup(bool dup)
{
	static uint8_t buf[5 * 300], s[5 * 300 + 1];
	static size_t off[5], flen[5];
	static struct toe_proto_frame want[5];
	uint64_t seed = dup ? 77 : 78;
	size_t n = make_stream(&seed, buf, sizeof(buf), 5, 50, off, flen, want);

	for (size_t k = 0; k < flen[2]; k++) {
		struct collect *c = collect_new();
		struct toe_proto_dec d;
		size_t at = off[2] + k, m;

		memcpy(s, buf, at);
		if (dup) {
			s[at] = buf[at];
			memcpy(s + at + 1, buf + at, n - at);
			m = n + 1;
		} else {
			memcpy(s + at, buf + at + 1, n - at - 1);
			m = n - 1;
		}
		toe_proto_dec_init(&d, 255);
		for (size_t i = 0; i < m; i++)
			toe_proto_dec_feed(&d, s + i, 1, collect_fn, c);
		toe_proto_dec_timeout(&d, collect_fn, c);
		/* a duplicated SYNC0 leaves the frame intact (SYNC0 SYNC0
		 * SYNC1: the hunt restarts at the second SYNC0), and so does
		 * a duplicated last CRC byte (one garbage byte after it) */
		if (dup && (k == 0 || k == flen[2] - 1)) {
			assert_int_equal(c->n, 5);
		} else {
			assert_int_equal(c->n, 4);
			for (unsigned i = 0, j = 0; i < 5; i++)
				if (i != 2)
					assert_frame_eq(&c->f[j++], &want[i]);
		}
		free(c);
	}
}

static void test_dec_lost_byte_any_position_only_that_frame_lost(void **state)
{
	(void)state;
	lose_or_dup(false);
}

static void test_dec_dup_byte_any_position_only_that_frame_lost(void **state)
{
	(void)state;
	lose_or_dup(true);
}

static void test_dec_oversize_len_resyncs_at_once(void **state)
{
	/* max_len 130 (an engine with 32-word bursts): LEN 131 is refused at
	 * the header, so a good frame right behind it is found with no CRC
	 * failure and no waiting for 131 bytes */
	uint8_t s[64];
	struct collect *c = collect_new();
	struct toe_proto_dec d;
	const uint8_t bad[5] = { 0xA5, 0x5A, 0x03, 0x01, 131 };
	int n;

	(void)state;
	memcpy(s, bad, 5);
	n = toe_proto_encode(s + 5, sizeof(s) - 5, TOE_PROTO_T_PING, 2, NULL, 0);
	toe_proto_dec_init(&d, 130);
	toe_proto_dec_feed(&d, s, 5, collect_fn, c);
	assert_int_equal(d.st.oversize, 1);
	assert_true(toe_proto_dec_idle(&d));
	toe_proto_dec_feed(&d, s + 5, (size_t)n, collect_fn, c);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->f[0].seq, 2);
	assert_int_equal(d.st.crc_errors, 0);
	assert_int_equal(d.st.garbage_bytes, 5);
	/* LEN 130 is accepted */
	{
		uint8_t big[200], pl[130] = { 0 };
		int k = toe_proto_encode(big, sizeof(big), TOE_PROTO_T_WRITE, 3, pl, 130);

		toe_proto_dec_feed(&d, big, (size_t)k, collect_fn, c);
		assert_int_equal(c->n, 2);
	}
	free(c);
}

/* ===================================================================== */
/* engine model: error replies and the response cache                    */

static void test_engine_unknown_type_err_type(void **state)
{
	struct eng *e = eng_new();
	struct toe_proto_frame r;

	(void)state;
	r = eng_raw(e, 0x7F, 4, NULL, 0);
	assert_int_equal(r.type, TOE_PROTO_T_ERROR);
	assert_int_equal(r.seq, 4);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.payload[0], TOE_PROTO_ERR_TYPE);
	/* a response type sent as a request is unknown too */
	r = eng_raw(e, TOE_PROTO_T_READ_DATA, 5, NULL, 0);
	assert_int_equal(r.payload[0], TOE_PROTO_ERR_TYPE);
	eng_free(e);
}

static void test_engine_bad_len_err_len(void **state)
{
	struct eng *e = eng_new();
	uint8_t pl[200] = { 0x03, 0x00, 1 }; /* RAM */
	struct {
		uint8_t type;
		size_t len;
		uint8_t count;
	} cases[] = {
		{ TOE_PROTO_T_PING, 1, 0 },  { TOE_PROTO_T_READ, 2, 1 },
		{ TOE_PROTO_T_READ, 4, 1 },  { TOE_PROTO_T_READ, 3, 0 },
		{ TOE_PROTO_T_READ, 3, 33 }, { TOE_PROTO_T_WRITE, 2, 0 },
		{ TOE_PROTO_T_WRITE, 5, 0 }, { TOE_PROTO_T_WRITE, 7, 0 },
	};
	uint8_t seq = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct toe_proto_frame r;

		pl[2] = cases[i].count;
		r = eng_raw(e, cases[i].type, seq++, pl, cases[i].len);
		assert_int_equal(r.type, TOE_PROTO_T_ERROR);
		assert_int_equal(r.payload[0], TOE_PROTO_ERR_LEN);
	}
	assert_int_equal(e->wlog_n, 0);
	/* the largest legal burst is fine, and a LEN above it is not even a
	 * frame (silence) */
	pl[2] = ENG_MAX_BURST;
	assert_int_equal(eng_raw(e, TOE_PROTO_T_READ, seq++, pl, 3).type,
			 TOE_PROTO_T_READ_DATA);
	assert_int_equal(eng_raw(e, TOE_PROTO_T_WRITE, seq++, pl, 2 + 4 * ENG_MAX_BURST).type,
			 TOE_PROTO_T_WRITE_ACK);
	{
		uint8_t f[300];
		int n = toe_proto_encode(f, sizeof(f), TOE_PROTO_T_WRITE, seq++, pl,
					 2 + 4 * (ENG_MAX_BURST + 1));

		e->oh = e->on = 0;
		eng_rx(e, f, (size_t)n);
		assert_int_equal(e->on, 0);
		assert_int_equal(e->dec.st.oversize, 1);
	}
	eng_free(e);
}

static void test_engine_misaligned_err_align(void **state)
{
	struct eng *e = eng_new();
	const uint8_t rd[3] = { 0x03, 0x02, 1 };
	const uint8_t wr[6] = { 0x03, 0x01, 1, 2, 3, 4 };
	struct toe_proto_frame r;

	(void)state;
	r = eng_raw(e, TOE_PROTO_T_READ, 1, rd, 3);
	assert_int_equal(r.type, TOE_PROTO_T_ERROR);
	assert_int_equal(r.payload[0], TOE_PROTO_ERR_ALIGN);
	r = eng_raw(e, TOE_PROTO_T_WRITE, 2, wr, 6);
	assert_int_equal(r.payload[0], TOE_PROTO_ERR_ALIGN);
	assert_int_equal(e->wlog_n, 0);
	eng_free(e);
}

static void test_engine_unmapped_err_addr_index(void **state)
{
	/* burst of 3 from 0x3F8: RAM[62], ACC, then 0x400 beyond the 10-bit
	 * space: ERR_ADDR index 2, the first two applied */
	struct eng *e = eng_new();
	uint8_t pl[14] = { 0x03, 0xF8 };
	struct toe_proto_frame r;

	(void)state;
	for (int i = 0; i < 12; i++)
		pl[2 + i] = (uint8_t)(i + 1);
	r = eng_raw(e, TOE_PROTO_T_WRITE, 1, pl, 14);
	assert_int_equal(r.type, TOE_PROTO_T_ERROR);
	assert_int_equal(r.payload[0], TOE_PROTO_ERR_ADDR);
	assert_int_equal(r.payload[1], 2);
	assert_int_equal(e->wlog_n, 2);
	assert_int_equal(e->ram[62], 0x01020304u);
	assert_int_equal(e->acc, 0x05060708u);
	/* read of an unmapped word inside the map: 0x020, index 0 */
	{
		const uint8_t rd[3] = { 0x00, 0x1C, 2 }; /* 0x01C, 0x020 */

		r = eng_raw(e, TOE_PROTO_T_READ, 2, rd, 3);
		assert_int_equal(r.payload[0], TOE_PROTO_ERR_ADDR);
		assert_int_equal(r.payload[1], 0);
	}
	/* write to a read-only register */
	{
		const uint8_t wr[6] = { 0x00, 0x00, 0, 0, 0, 1 };

		r = eng_raw(e, TOE_PROTO_T_WRITE, 3, wr, 6);
		assert_int_equal(r.payload[0], TOE_PROTO_ERR_ADDR);
		assert_int_equal(r.payload[1], 0);
	}
	eng_free(e);
}

static void test_engine_same_seq_same_crc_replayed_not_executed(void **state)
{
	struct eng *e = eng_new();
	const uint8_t wr[6] = { 0x03, 0xFC, 0, 0, 0, 5 }; /* ACC += 5 */
	const uint8_t rd[3] = { 0x03, 0xFC, 1 };
	struct toe_proto_frame r1, r2;

	(void)state;
	r1 = eng_raw(e, TOE_PROTO_T_WRITE, 9, wr, 6);
	r2 = eng_raw(e, TOE_PROTO_T_WRITE, 9, wr, 6);
	assert_frame_eq(&r1, &r2);
	assert_int_equal(r1.type, TOE_PROTO_T_WRITE_ACK);
	assert_int_equal(e->acc, 5);
	assert_int_equal(e->executed, 1);
	assert_int_equal(e->replayed, 1);
	/* the next SEQ executes; the same content with it executes again */
	eng_raw(e, TOE_PROTO_T_WRITE, 10, wr, 6);
	assert_int_equal(e->acc, 10);
	/* an error reply is cached too; the cache holds one request only */
	r1 = eng_raw(e, TOE_PROTO_T_READ, 11, rd, 3);
	assert_int_equal(toe_get_be32(r1.payload), 10);
	eng_raw(e, TOE_PROTO_T_WRITE, 11, wr, 6); /* same SEQ, other request */
	assert_int_equal(e->acc, 15);
	eng_raw(e, TOE_PROTO_T_WRITE, 10, wr, 6); /* old SEQ: executes */
	assert_int_equal(e->acc, 20);
	assert_int_equal(e->replayed, 1);
	eng_free(e);
}

static void test_engine_pop_replayed_not_popped_again(void **state)
{
	struct eng *e = eng_new();
	const uint8_t rd[3] = { 0x01, 0x80, 2 }; /* EV_POP, EV_ARG */
	struct toe_proto_frame r1, r2;

	(void)state;
	eng_ev_push(e, 7, TOE_EV_ESTABLISHED, 1234);
	eng_ev_push(e, 8, TOE_EV_CLOSED, 99);
	r1 = eng_raw(e, TOE_PROTO_T_READ, 1, rd, 3);
	r2 = eng_raw(e, TOE_PROTO_T_READ, 1, rd, 3);
	assert_int_equal(toe_get_be32(r1.payload), 0x80000000u | TOE_EV_ESTABLISHED << 16 | 7);
	assert_int_equal(toe_get_be32(r1.payload + 4), 1234);
	assert_frame_eq(&r1, &r2);
	assert_int_equal(e->pops, 1);
	assert_int_equal(e->ev_n, 1);
	eng_free(e);
}

/* ===================================================================== */
/* transaction layer                                                     */

static void test_txn_write_read_roundtrip(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	struct toe_proto_info info;
	uint32_t v = 0, id[2];

	(void)state;
	assert_int_equal(toe_proto_ping(fx->p, &info), 0);
	assert_int_equal(info.version, TOE_PROTO_VERSION);
	assert_int_equal(info.max_burst, ENG_MAX_BURST);
	assert_int_equal(toe_proto_read(fx->p, TOE_REG_ID, id, 2), 0);
	assert_int_equal(id[0], TOE_REG_ID_RESET);
	assert_int_equal(id[1], TOE_REG_VERSION_RESET);
	assert_int_equal(toe_proto_write32(fx->p, TOE_REG_SCRATCH, 0xDEADBEEF), 0);
	assert_int_equal(toe_proto_read32(fx->p, TOE_REG_SCRATCH, &v), 0);
	assert_int_equal(v, 0xDEADBEEF);
	assert_int_equal(fx->e->scratch, 0xDEADBEEF);
	/* exactly these writes applied */
	assert_int_equal(fx->e->wlog_n, 1);
	assert_int_equal(fx->e->executed, 4);
	assert_int_equal(fx->e->replayed, 0);
	fixture_free(fx);
}

static void test_txn_long_burst_split_at_max_burst(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	uint32_t w[T_RAM_WORDS], r[T_RAM_WORDS];
	struct toe_proto_stats st;

	(void)state;
	for (unsigned i = 0; i < T_RAM_WORDS; i++)
		w[i] = 0x1000u * i + 7;
	assert_int_equal(toe_proto_write(fx->p, T_RAM, w, T_RAM_WORDS), 0);
	assert_int_equal(toe_proto_last_done(fx->p), T_RAM_WORDS);
	assert_int_equal(toe_proto_read(fx->p, T_RAM, r, T_RAM_WORDS), 0);
	assert_memory_equal(w, r, sizeof(w));
	/* PING + 2 write bursts (32 + 31) + 2 read bursts */
	toe_proto_get_stats(fx->p, &st);
	assert_int_equal(st.tx_frames, 5);
	assert_int_equal(fx->e->wlog_n, T_RAM_WORDS);
	for (unsigned i = 0; i < T_RAM_WORDS; i++) {
		assert_int_equal(fx->e->wlog[i].addr, T_RAM + 4 * i);
		assert_int_equal(fx->e->wlog[i].data, w[i]);
	}
	/* a cfg max_burst below the engine's is used */
	{
		struct toe_proto_cfg c;
		struct fixture *f2;

		toe_proto_cfg_default(&c);
		c.max_burst = 4;
		f2 = fixture_new(NULL, &c);
		assert_int_equal(toe_proto_read(f2->p, T_RAM, r, 10), 0);
		toe_proto_get_stats(f2->p, &st);
		assert_int_equal(st.tx_frames, 1 + 3);
		fixture_free(f2);
	}
	fixture_free(fx);
}

static void test_txn_lost_ack_write_applied_once(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	struct toe_proto_stats st;
	uint32_t v;

	(void)state;
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	fx->e->drop_resp = 2; /* the ack and the first replay are lost */
	assert_int_equal(toe_proto_write32(fx->p, T_ACC, 41), 0);
	assert_int_equal(fx->e->acc, 41);
	assert_int_equal(fx->e->replayed, 2);
	toe_proto_get_stats(fx->p, &st);
	assert_int_equal(st.retries, 2);
	assert_int_equal(st.timeouts, 2);
	assert_int_equal(toe_proto_read32(fx->p, T_ACC, &v), 0);
	assert_int_equal(v, 41);
	fixture_free(fx);
}

static void test_txn_lost_read_response_pop_once(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	uint32_t v[2];

	(void)state;
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	eng_ev_push(fx->e, 3, TOE_EV_RESET, 0);
	eng_ev_push(fx->e, 4, TOE_EV_CLOSED, 0);
	fx->e->drop_resp = 1;
	assert_int_equal(toe_proto_read(fx->p, TOE_REG_EV_POP, v, 1), 0);
	assert_int_equal(v[0], 0x80000000u | TOE_EV_RESET << 16 | 3);
	assert_int_equal(fx->e->pops, 1);
	assert_int_equal(toe_proto_read(fx->p, TOE_REG_EV_POP, v, 1), 0);
	assert_int_equal(v[0], 0x80000000u | TOE_EV_CLOSED << 16 | 4);
	assert_int_equal(toe_proto_read(fx->p, TOE_REG_EV_POP, v, 1), 0);
	assert_int_equal(v[0], 0);
	assert_int_equal(fx->e->pops, 3);
	fixture_free(fx);
}

static void test_txn_engine_silent_timeout_after_retries(void **state)
{
	struct toe_proto_cfg c;
	struct fixture *fx;
	struct toe_proto_stats st;

	(void)state;
	toe_proto_cfg_default(&c);
	c.retries = 3;
	c.timeout_ms = 50;
	fx = fixture_new(NULL, &c);
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	fx->e->dead = true;
	uint64_t t0 = fx->l.now;
	assert_int_equal(toe_proto_write32(fx->p, T_ACC, 1), TOE_PROTO_ETIMEDOUT);
	assert_int_equal(toe_proto_last_done(fx->p), 0);
	toe_proto_get_stats(fx->p, &st);
	assert_int_equal(st.tx_frames, 1 + 4);
	assert_int_equal(st.timeouts, 4);
	assert_int_equal(fx->l.now - t0, 4 * 50);
	/* executed once, whatever the host saw */
	assert_int_equal(fx->e->acc, 1);
	assert_int_equal(fx->e->executed, 2);
	assert_non_null(strstr(toe_proto_errmsg(fx->p), "after 4 attempts"));
	/* the engine comes back: the next request (next SEQ) executes */
	fx->e->dead = false;
	assert_int_equal(toe_proto_write32(fx->p, T_ACC, 1), 0);
	assert_int_equal(fx->e->acc, 2);
	fixture_free(fx);
}

static void test_txn_err_codes_and_last_done(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	uint32_t w[40] = { 0 }, r[4];

	(void)state;
	/* 40 words from RAM[30]: burst 1 (32 words) reaches 0x3FC (ACC) and
	 * 0x400 at word 34 of the call = index 2 of burst 2 */
	assert_int_equal(toe_proto_write(fx->p, 0x300 + 4 * 30, w, 36), TOE_PROTO_EADDR);
	assert_int_equal(toe_proto_last_done(fx->p), 34);
	assert_non_null(strstr(toe_proto_errmsg(fx->p), "0x400"));
	assert_int_equal(toe_proto_read(fx->p, 0x302, r, 1), TOE_PROTO_EALIGN);
	assert_int_equal(toe_proto_read(fx->p, 0x0020, r, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_proto_write32(fx->p, TOE_REG_ID, 1), TOE_PROTO_EADDR);
	/* local argument checks, no I/O */
	assert_int_equal(toe_proto_read(fx->p, 0, r, 0), TOE_PROTO_EINVAL);
	assert_int_equal(toe_proto_read(fx->p, 0xFFFC, r, 2), TOE_PROTO_EINVAL);
	assert_int_equal(toe_proto_read(fx->p, 0x10000, r, 1), TOE_PROTO_EINVAL);
	assert_string_equal(toe_proto_strerror(TOE_PROTO_EADDR),
			    "engine: no register at address");
	fixture_free(fx);
}

static void test_txn_new_session_ping_prevents_stale_replay(void **state)
{
	/* Session A ends with SEQ 1 = write ACC += 3. Session B starts at
	 * first_seq 1 and writes the same: without the opening PING, SEQ 1
	 * with the same bytes would be answered from the cache and not
	 * applied. */
	struct toe_proto_cfg c;
	struct fixture *fx = fixture_new(NULL, NULL);
	struct toe_proto_transport t = link_transport(&fx->l);
	struct toe_proto *b;

	(void)state;
	assert_int_equal(toe_proto_write32(fx->p, T_ACC, 3), 0); /* PING 0, WRITE 1 */
	assert_int_equal(fx->e->c_seq, 1);
	toe_proto_cfg_default(&c);
	c.first_seq = 1;
	b = toe_proto_new(&t, &c);
	assert_non_null(b);
	assert_int_equal(toe_proto_write32(b, T_ACC, 3), 0); /* PING 1, WRITE 2 */
	assert_int_equal(fx->e->acc, 6);
	assert_int_equal(fx->e->replayed, 0);
	toe_proto_free(b);
	fixture_free(fx);
}

static void test_txn_event_notification_delivered(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);

	(void)state;
	toe_proto_set_event_fn(fx->p, on_event, fx);
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	assert_int_equal(toe_proto_poll(fx->p, 10), 0);
	eng_ev_push(fx->e, 1, TOE_EV_ESTABLISHED, 0);
	eng_ev_push(fx->e, 2, TOE_EV_ESTABLISHED, 0); /* no second notice */
	assert_int_equal(fx->e->notifies, 1);
	assert_int_equal(toe_proto_poll(fx->p, 10), 1);
	assert_int_equal(fx->ev_calls, 1);
	assert_int_equal(fx->ev_last_count, 1);
	assert_int_equal(toe_proto_poll(fx->p, 10), 0);
	/* pop both: the FIFO empties, the next event is notified again */
	{
		uint32_t v[2];

		assert_int_equal(toe_proto_read(fx->p, TOE_REG_EV_POP, v, 1), 0);
		assert_int_equal(toe_proto_read(fx->p, TOE_REG_EV_POP, v + 1, 1), 0);
		assert_int_equal(v[1] & 0xFFFF, 2);
	}
	eng_ev_push(fx->e, 3, TOE_EV_PEER_FIN, 0);
	assert_int_equal(toe_proto_poll(fx->p, 10), 1);
	assert_int_equal(fx->ev_calls, 2);
	assert_int_equal(fx->e->notifies, 2);
	fixture_free(fx);
}

/* The callback pops every event with register reads, as a host would. */
struct drain {
	struct fixture *fx;
	unsigned popped;
	unsigned calls;
};

static void drain_events(void *arg, unsigned count, uint8_t nseq)
{
	struct drain *d = arg;
	uint32_t v;

	(void)count;
	(void)nseq;
	d->calls++;
	d->fx->l.ev_pct = 0; /* else every pop would push one more */
	for (;;) {
		assert_int_equal(toe_proto_read32(d->fx->p, TOE_REG_EV_POP, &v), 0);
		if (!(v & 0x80000000u))
			break;
		d->popped++;
	}
	assert_int_equal(toe_proto_poll(d->fx->p, 0), TOE_PROTO_EBUSY);
}

static void test_txn_event_during_transaction_delivered_after(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	struct drain d = { fx, 0, 0 };
	uint32_t v;

	(void)state;
	toe_proto_set_event_fn(fx->p, drain_events, &d);
	fx->l.ev_pct = 100; /* an event pushed with the next request sent */
	fx->l.ev_seed = 3;
	assert_int_equal(toe_proto_read32(fx->p, TOE_REG_SCRATCH, &v), 0);
	/* the notification came during the session PING and was delivered
	 * after it, before the read went out; the callback drained it */
	assert_int_equal(d.calls, 1);
	assert_int_equal(fx->l.ev_pushed, 1);
	assert_int_equal(d.popped, fx->l.ev_pushed);
	assert_int_equal(fx->e->ev_n, 0);
	fixture_free(fx);
}

static void test_txn_lost_notification_poll_timeout_then_ev_count(void **state)
{
	struct fixture *fx = fixture_new(NULL, NULL);
	uint32_t n;

	(void)state;
	toe_proto_set_event_fn(fx->p, on_event, fx);
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	fx->e->drop_events = 1;
	eng_ev_push(fx->e, 5, TOE_EV_RESET, 0);
	/* no notice: poll times out, the host asks EV_COUNT itself */
	assert_int_equal(toe_proto_poll(fx->p, 20), 0);
	assert_int_equal(fx->ev_calls, 0);
	assert_int_equal(toe_proto_read32(fx->p, TOE_REG_EV_COUNT, &n), 0);
	assert_int_equal(n, 1);
	fixture_free(fx);
}

/* ===================================================================== */
/* the fault run                                                         */

struct run_figures {
	uint64_t ops, words_w, words_r, retries;
};

/* ops random operations with faults both ways; every check exact. */
static void fault_run(uint64_t seed, unsigned ops, bool faults, struct run_figures *fig)
{
	struct toe_proto_fault_cfg fc = {
		.seed = seed * 31 + 1,
		.corrupt_ppm = 3000,
		.drop_ppm = 2000,
		.dup_ppm = 2000,
		.garbage_ppm = 1000,
		.garbage_max = 12,
		.to_engine = true,
		.to_host = true,
	};
	struct toe_proto_cfg pc;
	struct fixture *fx;
	uint64_t s = seed;
	uint32_t shadow[T_RAM_WORDS] = { 0 }, acc = 0;
	struct applied *want = NULL;
	size_t want_n = 0, want_cap = 0;
	uint32_t ev_next = 0; /* next event expected from a pop */
	uint64_t host_pops = 0;
	struct toe_proto_stats st;

	g_seed = seed;
	toe_proto_cfg_default(&pc);
	pc.timeout_ms = 20;
	pc.retries = 30;
	fx = fixture_new(faults ? &fc : NULL, &pc);
	fx->l.ev_pct = 2; /* fewer pushes than pops: the FIFO never fills */
	fx->l.ev_seed = seed ^ 0x55;

	for (unsigned op = 0; op < ops; op++) {
		unsigned k = rng_below(&s, 100);
		uint32_t buf[T_RAM_WORDS];
		int r;

		if (k < 40) {
			/* RAM burst write */
			unsigned at = rng_below(&s, T_RAM_WORDS);
			unsigned n = 1 + rng_below(&s, T_RAM_WORDS - at);

			for (unsigned i = 0; i < n; i++)
				buf[i] = (uint32_t)rng_next(&s);
			r = toe_proto_write(fx->p, T_RAM + 4 * at, buf, n);
			CHECK(r == 0);
			if (want_n + n > want_cap) {
				want_cap = 2 * (want_cap + n);
				want = realloc(want, want_cap * sizeof(*want));
				assert_non_null(want);
			}
			for (unsigned i = 0; i < n; i++) {
				shadow[at + i] = buf[i];
				want[want_n].addr = (uint16_t)(T_RAM + 4 * (at + i));
				want[want_n++].data = buf[i];
			}
			fig->words_w += n;
		} else if (k < 55) {
			/* ACC += v: applying twice would show */
			uint32_t v = (uint32_t)rng_next(&s);

			r = toe_proto_write32(fx->p, T_ACC, v);
			CHECK(r == 0);
			acc += v;
			if (want_n + 1 > want_cap) {
				want_cap = 2 * (want_cap + 1);
				want = realloc(want, want_cap * sizeof(*want));
				assert_non_null(want);
			}
			want[want_n].addr = T_ACC;
			want[want_n++].data = v;
			fig->words_w++;
		} else if (k < 85) {
			/* RAM burst read */
			unsigned at = rng_below(&s, T_RAM_WORDS);
			unsigned n = 1 + rng_below(&s, T_RAM_WORDS - at);

			r = toe_proto_read(fx->p, T_RAM + 4 * at, buf, n);
			CHECK(r == 0);
			CHECK(memcmp(buf, shadow + at, 4 * n) == 0);
			fig->words_r += n;
		} else if (k < 88) {
			r = toe_proto_read32(fx->p, T_ACC, buf);
			CHECK(r == 0);
			CHECK(buf[0] == acc);
			fig->words_r++;
		} else {
			/* pop one event with its argument (one burst) */
			r = toe_proto_read(fx->p, TOE_REG_EV_POP, buf, 2);
			CHECK(r == 0);
			host_pops++;
			if (buf[0] & 0x80000000u) {
				if ((buf[0] & 0xFFFF) != (ev_next & 0xFFFF))
					print_message("op %u: popped %08x %08x, want event %u (pushed %u, pops %llu/%llu)\n",
						      op, buf[0], buf[1], ev_next, fx->l.ev_pushed,
						      (unsigned long long)fx->e->pops,
						      (unsigned long long)host_pops);
				CHECK((buf[0] & 0xFFFF) == (ev_next & 0xFFFF));
				CHECK(((buf[0] >> 16) & 0xF) == 1 + ev_next % 7);
				CHECK(buf[1] == ev_next * 2654435761u);
				ev_next++;
			} else {
				CHECK(ev_next == fx->l.ev_pushed);
			}
			fig->words_r += 2;
		}
		fig->ops++;
	}
	/* every write applied exactly once, in order; every pop once */
	CHECK(fx->e->wlog_n == want_n);
	for (size_t i = 0; i < want_n; i++) {
		CHECK(fx->e->wlog[i].addr == want[i].addr);
		CHECK(fx->e->wlog[i].data == want[i].data);
	}
	CHECK(fx->e->acc == acc);
	CHECK(memcmp(fx->e->ram, shadow, sizeof(shadow)) == 0);
	CHECK(fx->e->pops == host_pops);
	CHECK(fx->e->ev_lost == 0);
	toe_proto_get_stats(fx->p, &st);
	fig->retries = st.retries;
	if (faults) {
		/* the faults did happen, and were survived */
		CHECK(fx->fault.st.corrupted > 100);
		CHECK(fx->fault.st.dropped > 100);
		CHECK(fx->fault.st.duplicated > 100);
		CHECK(fx->fault.st.garbage > 100);
		CHECK(fx->e->replayed > 0);
		print_message("fault run seed %llu: %llu ops (%llu words written, %llu read), "
			      "%llu frames sent, %llu retries, %llu answered from the cache; "
			      "faults: %llu corrupted, %llu dropped, %llu duplicated, "
			      "%llu garbage bytes; host decoder: %llu CRC errors, %llu "
			      "oversize, %llu truncated; %llu events notified\n",
			      (unsigned long long)seed, (unsigned long long)fig->ops,
			      (unsigned long long)fig->words_w, (unsigned long long)fig->words_r,
			      (unsigned long long)st.tx_frames, (unsigned long long)st.retries,
			      (unsigned long long)fx->e->replayed,
			      (unsigned long long)fx->fault.st.corrupted,
			      (unsigned long long)fx->fault.st.dropped,
			      (unsigned long long)fx->fault.st.duplicated,
			      (unsigned long long)fx->fault.st.garbage,
			      (unsigned long long)st.dec.crc_errors,
			      (unsigned long long)st.dec.oversize,
			      (unsigned long long)st.dec.truncated,
			      (unsigned long long)st.events);
	} else {
		CHECK(st.retries == 0);
	}
	free(want);
	fixture_free(fx);
}

static void test_txn_fault_run_10000_exactly_once(void **state)
{
	struct run_figures fig = { 0 };

	(void)state;
	fault_run(20240601, 10000, true, &fig);
	assert_int_equal(fig.ops, 10000);
	assert_true(fig.retries > 0);
}

static void test_txn_clean_run_no_retries(void **state)
{
	struct run_figures fig = { 0 };

	(void)state;
	fault_run(7, 2000, false, &fig);
	assert_int_equal(fig.retries, 0);
}

static void test_txn_bytes_per_write_figures(void **state)
{
	/* From the layout: a one-word WRITE is 5 + 2 + 4 + 4 = 15 bytes, its
	 * WRITE_ACK 5 + 1 + 4 = 10; a 32-word WRITE 5 + 2 + 128 + 4 = 139. */
	struct fixture *fx = fixture_new(NULL, NULL);
	struct toe_proto_stats a, b;
	uint32_t w[32] = { 0 };

	(void)state;
	assert_int_equal(toe_proto_ping(fx->p, NULL), 0);
	toe_proto_get_stats(fx->p, &a);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(toe_proto_write32(fx->p, T_RAM, (uint32_t)i), 0);
	toe_proto_get_stats(fx->p, &b);
	assert_int_equal(b.tx_bytes - a.tx_bytes, 1000 * 15);
	assert_int_equal(b.rx_bytes - a.rx_bytes, 1000 * 10);
	a = b;
	assert_int_equal(toe_proto_write(fx->p, T_RAM, w, 32), 0);
	toe_proto_get_stats(fx->p, &b);
	assert_int_equal(b.tx_bytes - a.tx_bytes, 139);
	assert_int_equal(b.rx_bytes - a.rx_bytes, 10);
	print_message("bytes per register write: single %.1f to the engine + %.1f back; "
		      "32-word burst %.2f per word (139 + 10 bytes)\n",
		      15.0, 10.0, 149.0 / 32);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_spec_vectors_match),
		cmocka_unit_test(test_crc32c_chained_equals_whole),
		cmocka_unit_test(test_encode_golden_frames_match_doc),
		cmocka_unit_test(test_encode_bad_arguments_rejected),
		cmocka_unit_test(test_dec_roundtrip_all_lengths_delivers_each),
		cmocka_unit_test(test_dec_garbage_between_frames_all_delivered),
		cmocka_unit_test(test_dec_bad_crc_frame_dropped_next_delivered),
		cmocka_unit_test(test_dec_truncated_then_next_sync_delivered),
		cmocka_unit_test(test_dec_truncated_then_timeout_abandoned),
		cmocka_unit_test(test_dec_lost_byte_any_position_only_that_frame_lost),
		cmocka_unit_test(test_dec_dup_byte_any_position_only_that_frame_lost),
		cmocka_unit_test(test_dec_oversize_len_resyncs_at_once),
		cmocka_unit_test(test_engine_unknown_type_err_type),
		cmocka_unit_test(test_engine_bad_len_err_len),
		cmocka_unit_test(test_engine_misaligned_err_align),
		cmocka_unit_test(test_engine_unmapped_err_addr_index),
		cmocka_unit_test(test_engine_same_seq_same_crc_replayed_not_executed),
		cmocka_unit_test(test_engine_pop_replayed_not_popped_again),
		cmocka_unit_test(test_txn_write_read_roundtrip),
		cmocka_unit_test(test_txn_long_burst_split_at_max_burst),
		cmocka_unit_test(test_txn_lost_ack_write_applied_once),
		cmocka_unit_test(test_txn_lost_read_response_pop_once),
		cmocka_unit_test(test_txn_engine_silent_timeout_after_retries),
		cmocka_unit_test(test_txn_err_codes_and_last_done),
		cmocka_unit_test(test_txn_new_session_ping_prevents_stale_replay),
		cmocka_unit_test(test_txn_event_notification_delivered),
		cmocka_unit_test(test_txn_event_during_transaction_delivered_after),
		cmocka_unit_test(test_txn_lost_notification_poll_timeout_then_ev_count),
		cmocka_unit_test(test_txn_fault_run_10000_exactly_once),
		cmocka_unit_test(test_txn_clean_run_no_retries),
		cmocka_unit_test(test_txn_bytes_per_write_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
