/* SPDX-License-Identifier: MIT */
/*
 * fuzz_proto.c - the host-bridge protocol (host/lib/toe_proto.c and its
 * codec host/common/toe_proto_codec.c, docs/host-bridge.md) on bytes from
 * a hostile or broken engine. The first input byte chooses what is fuzzed:
 *
 * even: the frame decoder alone (toe_proto_dec_*). Byte 1 is max_len, the
 *   rest the byte stream. Oracles: the stream fed at once, byte by byte and
 *   in chunks of byte 1's size gives the same frames; every frame has a
 *   LEN within max_len and re-encodes (toe_proto_encode) into bytes that
 *   decode to itself; after dec_timeout the decoder is idle; the counters
 *   add up.
 *
 * odd: the transaction layer against a scripted engine. Byte 1 gives the
 *   number of calls (up to 8), then 4 bytes a call: KIND (ping, read,
 *   write, poll, by KIND % 4), ADDR (2, big-endian, bytes), COUNT; the rest
 *   is the engine's side, records of
 *     CTL LEN BYTES...   CTL bit 7 clear: BYTES[0] is TYPE and BYTES[1..]
 *                        the payload of one frame the fake engine sends
 *                        (CRC right), with SEQ = the last request's SEQ
 *                        plus (CTL & 3) (so 0 answers it); CTL bit 7 set:
 *                        LEN raw bytes. CTL bit 6: a silence (the read
 *                        times out) before this record.
 *   Reads are served from the records in order; once they run out the
 *   engine is silent. The clock is simulated (a silent read advances it).
 *   Oracles: return codes are TOE_PROTO_E* values with a message; what
 *   the library writes is whole, well-formed request frames (PING, READ,
 *   WRITE with the lengths the spec gives; no READ or WRITE before the
 *   engine offered a valid PING_ACK, and none longer than the burst it
 *   offered); last_done never exceeds the words asked and is all of them
 *   on success; a successful ping reports version 1 and a burst in 1..63;
 *   no more event callbacks than EVENT frames sent.
 */
#include "fuzz.h"

#include <string.h>

#include "toe_proto.h"

/* ---- decoder ---- */

struct frames {
	unsigned n;
	struct toe_proto_frame f[64];
	uint64_t crc_sum; /* of every frame, for more than 64 */
};

static void on_frame(void *arg, const struct toe_proto_frame *f)
{
	struct frames *fr = arg;

	if (fr->n < 64)
		fr->f[fr->n] = *f;
	fr->n++;
	fr->crc_sum += f->crc ^ (uint64_t)f->type << 32 ^ (uint64_t)f->len << 40;
}

static bool same_frame(const struct toe_proto_frame *a,
		       const struct toe_proto_frame *b)
{
	return a->type == b->type && a->seq == b->seq && a->len == b->len &&
	       a->crc == b->crc && memcmp(a->payload, b->payload, a->len) == 0;
}

static void check_frame_roundtrip(const struct toe_proto_frame *f, unsigned max_len)
{
	uint8_t buf[TOE_PROTO_HDR_BYTES + 255 + TOE_PROTO_CRC_BYTES];
	struct toe_proto_dec d;
	struct frames again;
	int n;

	FUZZ_CHECK(f->len <= max_len);
	n = toe_proto_encode(buf, sizeof(buf), f->type, f->seq, f->payload, f->len);
	FUZZ_CHECK(n == (int)(TOE_PROTO_HDR_BYTES + f->len + TOE_PROTO_CRC_BYTES));
	memset(&again, 0, sizeof(again));
	toe_proto_dec_init(&d, 255);
	FUZZ_CHECK(toe_proto_dec_feed(&d, buf, (size_t)n, on_frame, &again) == 1);
	FUZZ_CHECK(again.n == 1 && same_frame(&again.f[0], f));
	FUZZ_CHECK(toe_proto_dec_idle(&d));
}

static void fuzz_decoder(const uint8_t *p, size_t n, unsigned max_len,
			 unsigned chunk)
{
	static struct toe_proto_dec d1, d2, d3;
	static struct frames a, b, c;
	unsigned got;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	toe_proto_dec_init(&d1, max_len);
	toe_proto_dec_init(&d2, max_len);
	toe_proto_dec_init(&d3, max_len);

	got = toe_proto_dec_feed(&d1, p, n, on_frame, &a);
	FUZZ_CHECK(got == a.n);
	for (size_t i = 0; i < n; i++)
		toe_proto_dec_feed(&d2, p + i, 1, on_frame, &b);
	for (size_t i = 0; i < n; i += chunk)
		toe_proto_dec_feed(&d3, p + i, n - i < chunk ? n - i : chunk,
				   on_frame, &c);
	FUZZ_CHECK(a.n == b.n && a.n == c.n);
	FUZZ_CHECK(a.crc_sum == b.crc_sum && a.crc_sum == c.crc_sum);
	FUZZ_CHECK(memcmp(&d1.st, &d2.st, sizeof(d1.st)) == 0);
	FUZZ_CHECK(memcmp(&d1.st, &d3.st, sizeof(d1.st)) == 0);
	FUZZ_CHECK(d1.st.frames == a.n);
	for (unsigned i = 0; i < a.n && i < 64; i++) {
		FUZZ_CHECK(same_frame(&a.f[i], &b.f[i]) && same_frame(&a.f[i], &c.f[i]));
		check_frame_roundtrip(&a.f[i], d1.max_len);
	}
	/* the line goes silent: whatever is held is looked at again */
	got = toe_proto_dec_timeout(&d1, on_frame, &a);
	FUZZ_CHECK(toe_proto_dec_idle(&d1));
	FUZZ_CHECK(d1.st.frames == a.n);
	for (unsigned i = a.n - got; i < a.n && i < 64; i++)
		check_frame_roundtrip(&a.f[i], d1.max_len);
	/* every byte fed is a frame's, skipped, or in a dead candidate */
	FUZZ_CHECK(d1.st.garbage_bytes <= n);
}

/* ---- transaction layer against a scripted engine ---- */

struct engine {
	struct fuzz_in script;
	uint64_t now;
	uint8_t last_seq;
	bool have_req;
	unsigned max_offered; /* largest valid PING_ACK burst sent, 0: none */
	bool raw_used;        /* raw bytes sent: frames we cannot account for */
	uint8_t rec_ctl, rec[256]; /* the record to send next */
	size_t rec_n;
	bool rec_ready;
	bool silence;              /* a silence before it */
	uint8_t pending[TOE_PROTO_MAX_FRAME + 256]; /* its bytes, being sent */
	size_t pend_n, pend_h;
	unsigned events_seen;
};

/* The most words a READ or WRITE may ask for: the largest burst a valid
 * PING_ACK answering a request offered (none: no session, so no READ or
 * WRITE at all); with raw bytes in the stream, only the protocol's limit. */
static unsigned burst_bound(const struct engine *e)
{
	return e->raw_used ? TOE_PROTO_MAX_BURST : e->max_offered;
}

static int eng_write(void *ctx, const uint8_t *buf, size_t n)
{
	struct engine *e = ctx;
	struct toe_proto_dec d;
	struct frames fr;

	/* exactly one good request frame */
	memset(&fr, 0, sizeof(fr));
	toe_proto_dec_init(&d, TOE_PROTO_MAX_PAYLOAD);
	FUZZ_CHECK(toe_proto_dec_feed(&d, buf, n, on_frame, &fr) == 1);
	FUZZ_CHECK(toe_proto_dec_idle(&d) && d.st.garbage_bytes == 0);
	switch (fr.f[0].type) {
	case TOE_PROTO_T_PING:
		FUZZ_CHECK(fr.f[0].len == 0);
		break;
	case TOE_PROTO_T_READ: {
		unsigned count = fr.f[0].payload[2];

		FUZZ_CHECK(fr.f[0].len == 3 && count >= 1);
		FUZZ_CHECK(count <= burst_bound(e));
		break;
	}
	case TOE_PROTO_T_WRITE: {
		unsigned count = (fr.f[0].len - 2u) / 4;

		FUZZ_CHECK(fr.f[0].len >= 6 && (fr.f[0].len - 2) % 4 == 0);
		FUZZ_CHECK(count <= burst_bound(e));
		break;
	}
	default:
		FUZZ_CHECK(!"unknown request type");
	}
	e->last_seq = fr.f[0].seq;
	e->have_req = true;
	return 0;
}

/* The next record of the script: a silence first if it asks for one. */
static void next_record(struct engine *e)
{
	uint8_t len;
	const uint8_t *b;
	size_t got;

	e->rec_ctl = fuzz_u8(&e->script);
	len = fuzz_u8(&e->script);
	b = fuzz_bytes(&e->script, len, &got);
	memcpy(e->rec, b, got);
	e->rec_n = got;
	e->rec_ready = true;
	e->silence = e->rec_ctl & 0x40;
	e->pend_n = e->pend_h = 0;
}

/* The record's bytes, made when they are sent: a frame's SEQ is relative
 * to the request the library is waiting for then. */
static void make_pending(struct engine *e)
{
	const uint8_t *b = e->rec;
	size_t got = e->rec_n;

	e->rec_ready = false;
	if (e->rec_ctl & 0x80) {
		memcpy(e->pending, b, got);
		e->pend_n = got;
		e->raw_used = e->raw_used || got;
	} else if (got) {
		uint8_t type = b[0], ctl = e->rec_ctl;
		int n = toe_proto_encode(e->pending, sizeof(e->pending), type,
					 (uint8_t)(e->last_seq + (ctl & 3)),
					 b + 1, got - 1);

		FUZZ_CHECK(n > 0);
		e->pend_n = (size_t)n;
		if (type == TOE_PROTO_T_PING_ACK && got == 3 && (ctl & 3) == 0 &&
		    e->have_req && b[1] == TOE_PROTO_VERSION && b[2] >= 1 &&
		    b[2] <= TOE_PROTO_MAX_BURST && b[2] > e->max_offered)
			e->max_offered = b[2];
		if (type == TOE_PROTO_T_EVENT)
			e->events_seen++;
	}
}

static int eng_read(void *ctx, uint8_t *buf, size_t n, int timeout_ms)
{
	struct engine *e = ctx;
	size_t k;

	FUZZ_CHECK(n > 0 && timeout_ms >= 0);
	if (e->pend_h == e->pend_n && !e->rec_ready && e->script.n)
		next_record(e);
	if (!e->silence && e->rec_ready)
		make_pending(e);
	if (e->silence || e->pend_h == e->pend_n) {
		e->silence = false;
		e->now += (uint64_t)timeout_ms;
		return 0;
	}
	k = e->pend_n - e->pend_h;
	if (k > n)
		k = n;
	memcpy(buf, e->pending + e->pend_h, k);
	e->pend_h += k;
	e->now++;
	return (int)k;
}

static uint64_t eng_now(void *ctx)
{
	return ((struct engine *)ctx)->now;
}

static unsigned events_delivered;

static void on_event(void *arg, unsigned ev_count, uint8_t seq)
{
	(void)arg;
	(void)seq;
	FUZZ_CHECK(ev_count <= 0xFFFF);
	events_delivered++;
}

static void check_rc(struct toe_proto *p, int r)
{
	FUZZ_CHECK(r <= 0 && r >= TOE_PROTO_EBUSY);
	FUZZ_CHECK(strcmp(toe_proto_strerror(r), "") != 0);
	if (r < 0)
		FUZZ_CHECK(toe_proto_errmsg(p) != NULL);
}

static void fuzz_transactions(struct fuzz_in *in)
{
	static struct engine e;
	struct toe_proto_transport t = { &e, eng_write, eng_read, eng_now };
	struct toe_proto_cfg cfg;
	struct toe_proto *p;
	uint8_t calls[8][4];
	unsigned ncalls = fuzz_u8(in) % 9;
	uint32_t data[80];

	for (unsigned i = 0; i < ncalls; i++)
		for (int j = 0; j < 4; j++)
			calls[i][j] = fuzz_u8(in);
	memset(&e, 0, sizeof(e));
	e.script = *in;
	events_delivered = 0;
	toe_proto_cfg_default(&cfg);
	cfg.retries = 2;
	p = toe_proto_new(&t, &cfg);
	FUZZ_CHECK(p);
	toe_proto_set_event_fn(p, on_event, NULL);
	for (unsigned i = 0; i < ncalls; i++) {
		uint32_t addr = (uint32_t)calls[i][1] << 8 | calls[i][2];
		size_t count = calls[i][3] % 80 + 1;
		struct toe_proto_info info;
		int r = 0;

		switch (calls[i][0] % 4) {
		case 0:
			r = toe_proto_ping(p, &info);
			if (r == 0)
				FUZZ_CHECK(info.version == TOE_PROTO_VERSION &&
					   info.max_burst >= 1 &&
					   info.max_burst <= TOE_PROTO_MAX_BURST);
			break;
		case 1:
			r = toe_proto_read(p, addr, data, count);
			break;
		case 2:
			for (size_t k = 0; k < count; k++)
				data[k] = (uint32_t)(k * 0x01010101u);
			r = toe_proto_write(p, addr, data, count);
			break;
		case 3:
			r = toe_proto_poll(p, calls[i][3]);
			FUZZ_CHECK(r == 0 || r == 1 || r < 0);
			if (r > 0)
				r = 0;
			break;
		}
		check_rc(p, r);
		FUZZ_CHECK(toe_proto_last_done(p) <= 80);
		if (calls[i][0] % 4 == 1 || calls[i][0] % 4 == 2) {
			FUZZ_CHECK(toe_proto_last_done(p) <= count);
			FUZZ_CHECK(r < 0 || toe_proto_last_done(p) == count);
		}
	}
	FUZZ_CHECK(e.raw_used || events_delivered <= e.events_seen);
	toe_proto_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t mode = fuzz_u8(&in);

	if (mode & 1) {
		fuzz_transactions(&in);
	} else {
		unsigned max_len = fuzz_u8(&in);

		fuzz_decoder(in.p, in.n, max_len, (mode >> 1) + 1u);
	}
	return 0;
}
