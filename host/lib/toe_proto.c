/* SPDX-License-Identifier: MIT */
/*
 * toe_proto.c - the host bridge protocol (docs/host-bridge.md) above its
 * codec (host/common/toe_proto_codec.c): the transaction layer (bursts,
 * sequence numbers, timeout and retransmission, event notifications) and
 * the fault-injecting transport.
 */
#include "toe_proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_bytes.h"

/* ---- transaction layer ---- */

struct toe_proto {
	struct toe_proto_transport t;
	struct toe_proto_cfg cfg;
	struct toe_proto_dec dec;
	struct toe_proto_stats st;
	uint8_t seq;            /* SEQ of the next request */
	bool session;           /* a PING succeeded */
	unsigned max_burst;     /* words per request in use */

	/* the request in flight */
	bool waiting;
	bool got;
	uint8_t wait_seq;
	struct toe_proto_frame resp;

	/* event notifications */
	toe_proto_event_fn ev_fn;
	void *ev_arg;
	bool ev_pending;
	unsigned ev_count;
	uint8_t ev_seq;
	bool in_cb;

	size_t last_done;
	char errmsg[160];
};

void toe_proto_cfg_default(struct toe_proto_cfg *cfg)
{
	cfg->timeout_ms = 100;
	cfg->retries = 5;
	cfg->max_burst = 0;
	cfg->first_seq = 0;
}

static void seterr(struct toe_proto *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->errmsg, sizeof(p->errmsg), fmt, ap);
	va_end(ap);
}

static uint64_t now_ms(struct toe_proto *p)
{
	struct timespec ts;

	if (p->t.now_ms)
		return p->t.now_ms(p->t.ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct toe_proto *toe_proto_new(const struct toe_proto_transport *t,
				const struct toe_proto_cfg *cfg)
{
	struct toe_proto *p;

	if (!t || !t->write || !t->read)
		return NULL;
	if (cfg && (cfg->timeout_ms <= 0 || cfg->max_burst > TOE_PROTO_MAX_BURST))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->t = *t;
	if (cfg)
		p->cfg = *cfg;
	else
		toe_proto_cfg_default(&p->cfg);
	toe_proto_dec_init(&p->dec, 255);
	p->seq = p->cfg.first_seq;
	p->max_burst = 1;
	return p;
}

void toe_proto_free(struct toe_proto *p)
{
	free(p);
}

void toe_proto_get_stats(const struct toe_proto *p, struct toe_proto_stats *out)
{
	*out = p->st;
	out->dec = p->dec.st; /* the decoder keeps its own */
}

const char *toe_proto_errmsg(const struct toe_proto *p)
{
	return p->errmsg;
}

uint8_t toe_proto_next_seq(const struct toe_proto *p)
{
	return p->seq;
}

size_t toe_proto_last_done(const struct toe_proto *p)
{
	return p->last_done;
}

void toe_proto_set_event_fn(struct toe_proto *p, toe_proto_event_fn fn,
			    void *arg)
{
	p->ev_fn = fn;
	p->ev_arg = arg;
}

/* Every good frame from the engine. */
static void on_frame(void *arg, const struct toe_proto_frame *f)
{
	struct toe_proto *p = arg;

	p->st.rx_frames++;
	if (f->type == TOE_PROTO_T_EVENT) {
		if (f->len != 2) {
			p->st.stale++;
			return;
		}
		p->st.events++;
		p->ev_pending = true;
		p->ev_count = toe_get_be16(f->payload);
		p->ev_seq = f->seq;
		return;
	}
	if (p->waiting && !p->got && f->seq == p->wait_seq &&
	    (f->type == TOE_PROTO_T_ERROR || f->type == TOE_PROTO_T_PING_ACK ||
	     f->type == TOE_PROTO_T_READ_DATA || f->type == TOE_PROTO_T_WRITE_ACK)) {
		p->resp = *f;
		p->got = true;
		return;
	}
	/* a late duplicate of an earlier response, or nothing we know */
	p->st.stale++;
}

/* Read what the transport has (waiting until deadline at most) into the
 * decoder. 0: something read or time is up; negative: transport error. */
static int pump(struct toe_proto *p, uint64_t deadline)
{
	uint8_t buf[512];
	uint64_t t = now_ms(p);
	int n;

	n = p->t.read(p->t.ctx, buf, sizeof(buf),
		      t >= deadline ? 0 : (int)(deadline - t));
	if (n < 0) {
		seterr(p, "transport read failed (%d)", n);
		return TOE_PROTO_EIO;
	}
	if (n > 0) {
		p->st.rx_bytes += (uint64_t)n;
		toe_proto_dec_feed(&p->dec, buf, (size_t)n, on_frame, p);
	}
	return 0;
}

/*
 * One request: send, wait for the response with its SEQ, retransmit the
 * same bytes (same SEQ) after each timeout. The engine executes a SEQ once
 * and answers a retransmission from its cache.
 */
static int transact(struct toe_proto *p, uint8_t type, const uint8_t *pl,
		    size_t len, struct toe_proto_frame *resp)
{
	uint8_t frame[TOE_PROTO_MAX_FRAME];
	uint8_t seq = p->seq++;
	int flen = toe_proto_encode(frame, sizeof(frame), type, seq, pl, len);

	if (flen < 0)
		return flen;
	p->waiting = true;
	p->got = false;
	p->wait_seq = seq;
	for (unsigned attempt = 0; attempt <= p->cfg.retries; attempt++) {
		uint64_t deadline;

		if (attempt)
			p->st.retries++;
		if (p->t.write(p->t.ctx, frame, (size_t)flen) < 0) {
			p->waiting = false;
			seterr(p, "transport write failed (SEQ %u)", seq);
			return TOE_PROTO_EIO;
		}
		p->st.tx_frames++;
		p->st.tx_bytes += (uint64_t)flen;
		deadline = now_ms(p) + (uint64_t)p->cfg.timeout_ms;
		while (!p->got && now_ms(p) < deadline) {
			int r = pump(p, deadline);

			if (r < 0) {
				p->waiting = false;
				return r;
			}
		}
		if (p->got) {
			p->waiting = false;
			p->st.transactions++;
			*resp = p->resp;
			return 0;
		}
		/* silence for a whole timeout: a partial frame is dead (and
		 * what it swallowed is looked at again) */
		p->st.timeouts++;
		toe_proto_dec_timeout(&p->dec, on_frame, p);
		if (p->got) {
			p->waiting = false;
			p->st.transactions++;
			*resp = p->resp;
			return 0;
		}
	}
	p->waiting = false;
	seterr(p, "no response to SEQ %u (type 0x%02x) after %u attempts", seq,
	       type, p->cfg.retries + 1);
	return TOE_PROTO_ETIMEDOUT;
}

/* An ERROR frame as a return code. */
static int engine_error(struct toe_proto *p, const struct toe_proto_frame *f,
			uint32_t addr)
{
	unsigned code, idx;
	int r;

	if (f->len != 2) {
		seterr(p, "ERROR frame with %u payload bytes", f->len);
		return TOE_PROTO_EPROTO;
	}
	code = f->payload[0];
	idx = f->payload[1];
	r = toe_proto_err_status(code);
	switch (r) {
	case TOE_PROTO_ETYPE:
		seterr(p, "engine: ERR_TYPE (SEQ %u)", f->seq);
		break;
	case TOE_PROTO_ELEN:
		seterr(p, "engine: ERR_LEN (SEQ %u)", f->seq);
		break;
	case TOE_PROTO_EALIGN:
		seterr(p, "engine: ERR_ALIGN at 0x%x", addr);
		break;
	case TOE_PROTO_EADDR:
		seterr(p, "engine: ERR_ADDR at word %u (0x%x)", idx,
		       addr + 4u * idx);
		break;
	default:
		seterr(p, "engine: unknown error code %u", code);
		break;
	}
	return r;
}

static void deliver_events(struct toe_proto *p)
{
	while (!p->in_cb && p->ev_pending) {
		p->ev_pending = false;
		if (p->ev_fn) {
			p->in_cb = true;
			p->ev_fn(p->ev_arg, p->ev_count, p->ev_seq);
			p->in_cb = false;
		}
	}
}

int toe_proto_ping(struct toe_proto *p, struct toe_proto_info *info)
{
	struct toe_proto_frame f;
	unsigned mb;
	int r;

	if (!p)
		return TOE_PROTO_EINVAL;
	r = transact(p, TOE_PROTO_T_PING, NULL, 0, &f);
	if (r < 0)
		goto out;
	if (f.type == TOE_PROTO_T_ERROR) {
		r = engine_error(p, &f, 0);
		goto out;
	}
	if (f.type != TOE_PROTO_T_PING_ACK || f.len != 2) {
		seterr(p, "PING answered by type 0x%02x, %u bytes", f.type, f.len);
		r = TOE_PROTO_EPROTO;
		goto out;
	}
	mb = f.payload[1];
	/* each message names the field that is wrong (issue 17 item 8) */
	if (f.payload[0] != TOE_PROTO_VERSION) {
		seterr(p, "engine protocol version %u (want version %u)",
		       f.payload[0], TOE_PROTO_VERSION);
		r = TOE_PROTO_EVERSION;
		goto out;
	}
	if (mb == 0 || mb > TOE_PROTO_MAX_BURST) {
		seterr(p, "engine reports a maximum burst of %u words (want 1..%u)",
		       mb, TOE_PROTO_MAX_BURST);
		r = TOE_PROTO_EVERSION;
		goto out;
	}
	p->max_burst = p->cfg.max_burst && p->cfg.max_burst < mb ? p->cfg.max_burst : mb;
	p->session = true;
	if (info) {
		info->version = f.payload[0];
		info->max_burst = mb;
	}
out:
	deliver_events(p);
	return r;
}

/* Arguments of a read/write; opens the session if needed. */
static int begin(struct toe_proto *p, uint32_t addr, const void *data,
		 size_t count)
{
	if (!p)
		return TOE_PROTO_EINVAL;
	p->last_done = 0;
	if (!data || count == 0 || addr >= TOE_PROTO_ADDR_LIMIT ||
	    count > (TOE_PROTO_ADDR_LIMIT - addr) / 4) {
		seterr(p, "bad range: 0x%x, %zu words", addr, count);
		return TOE_PROTO_EINVAL;
	}
	if (!p->session)
		return toe_proto_ping(p, NULL);
	return 0;
}

int toe_proto_read(struct toe_proto *p, uint32_t addr, uint32_t *data,
		   size_t count)
{
	struct toe_proto_frame f;
	size_t done = 0;
	int r = begin(p, addr, data, count);

	while (r == 0 && done < count) {
		size_t n = count - done < p->max_burst ? count - done : p->max_burst;
		uint32_t a = addr + 4u * (uint32_t)done;
		uint8_t pl[3];

		r = transact(p, TOE_PROTO_T_READ, pl,
			     toe_proto_read_req(pl, a, (unsigned)n), &f);
		if (r < 0)
			break;
		if (f.type == TOE_PROTO_T_ERROR) {
			r = engine_error(p, &f, a);
			break;
		}
		if (f.type != TOE_PROTO_T_READ_DATA || f.len != 4 * n) {
			seterr(p, "READ of %zu words answered by type 0x%02x, %u bytes",
			       n, f.type, f.len);
			r = TOE_PROTO_EPROTO;
			break;
		}
		for (size_t i = 0; i < n; i++)
			data[done + i] = toe_get_be32(f.payload + 4 * i);
		done += n;
	}
	if (p) {
		p->last_done = done;
		deliver_events(p);
	}
	return r;
}

int toe_proto_write(struct toe_proto *p, uint32_t addr, const uint32_t *data,
		    size_t count)
{
	struct toe_proto_frame f;
	size_t done = 0;
	int r = begin(p, addr, data, count);

	while (r == 0 && done < count) {
		size_t n = count - done < p->max_burst ? count - done : p->max_burst;
		uint32_t a = addr + 4u * (uint32_t)done;
		uint8_t pl[2 + 4 * TOE_PROTO_MAX_BURST];

		r = transact(p, TOE_PROTO_T_WRITE, pl,
			     toe_proto_write_req(pl, a, data + done, n), &f);
		if (r < 0)
			break;
		if (f.type == TOE_PROTO_T_ERROR) {
			r = engine_error(p, &f, a);
			/* words before the failing one were applied */
			if (r == TOE_PROTO_EADDR && f.payload[1] < n)
				done += f.payload[1];
			break;
		}
		if (f.type != TOE_PROTO_T_WRITE_ACK || f.len != 1 || f.payload[0] != n) {
			seterr(p, "WRITE of %zu words answered by type 0x%02x, %u bytes",
			       n, f.type, f.len);
			r = TOE_PROTO_EPROTO;
			break;
		}
		done += n;
	}
	if (p) {
		p->last_done = done;
		deliver_events(p);
	}
	return r;
}

int toe_proto_read32(struct toe_proto *p, uint32_t addr, uint32_t *val)
{
	return toe_proto_read(p, addr, val, 1);
}

int toe_proto_write32(struct toe_proto *p, uint32_t addr, uint32_t val)
{
	return toe_proto_write(p, addr, &val, 1);
}

int toe_proto_poll(struct toe_proto *p, int timeout_ms)
{
	uint64_t deadline;
	bool any;

	if (!p || timeout_ms < 0)
		return TOE_PROTO_EINVAL;
	if (p->in_cb)
		return TOE_PROTO_EBUSY;
	deadline = now_ms(p) + (uint64_t)timeout_ms;
	while (!p->ev_pending) {
		int r = pump(p, deadline);

		if (r < 0)
			return r;
		if (!p->ev_pending && now_ms(p) >= deadline) {
			if (timeout_ms > 0)
				toe_proto_dec_timeout(&p->dec, on_frame, p);
			break;
		}
	}
	any = p->ev_pending;
	deliver_events(p);
	return any ? 1 : 0;
}

/* ---- fault-injecting transport ---- */

#define FAULT_GARBAGE_MAX 64u
#define FAULT_CHUNK 64u

static uint64_t fault_rng(struct toe_proto_fault *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545F4914F6CDD1DULL;
}

static bool fault_hit(struct toe_proto_fault *f, unsigned ppm)
{
	return ppm && fault_rng(f) % 1000000u < ppm;
}

/* Apply the faults to n bytes; out has room for n * (2 + garbage_max). */
static size_t fault_bytes(struct toe_proto_fault *f, const uint8_t *in,
			  size_t n, uint8_t *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = in[i];

		if (fault_hit(f, f->cfg.garbage_ppm)) {
			unsigned k = 1 + (unsigned)(fault_rng(f) % f->cfg.garbage_max);

			for (unsigned j = 0; j < k; j++)
				out[m++] = (uint8_t)(fault_rng(f) >> 56);
			f->st.garbage += k;
		}
		if (fault_hit(f, f->cfg.drop_ppm)) {
			f->st.dropped++;
			continue;
		}
		if (fault_hit(f, f->cfg.corrupt_ppm)) {
			b ^= (uint8_t)(1 + fault_rng(f) % 255);
			f->st.corrupted++;
		}
		out[m++] = b;
		if (fault_hit(f, f->cfg.dup_ppm)) {
			out[m++] = b;
			f->st.duplicated++;
		}
	}
	return m;
}

static int fault_write(void *ctx, const uint8_t *buf, size_t n)
{
	struct toe_proto_fault *f = ctx;
	uint8_t tmp[FAULT_CHUNK * (2 + FAULT_GARBAGE_MAX)];

	if (!f->cfg.to_engine)
		return f->inner.write(f->inner.ctx, buf, n);
	while (n) {
		size_t c = n < FAULT_CHUNK ? n : FAULT_CHUNK;
		size_t m = fault_bytes(f, buf, c, tmp);

		if (m) {
			int r = f->inner.write(f->inner.ctx, tmp, m);

			if (r < 0)
				return r;
		}
		buf += c;
		n -= c;
	}
	return 0;
}

static int fault_read(void *ctx, uint8_t *buf, size_t n, int timeout_ms)
{
	struct toe_proto_fault *f = ctx;
	size_t c;

	if (!f->cfg.to_host)
		return f->inner.read(f->inner.ctx, buf, n, timeout_ms);
	if (f->qh == f->qn) {
		uint8_t tmp[FAULT_CHUNK];
		int r;

		f->qh = 0;
		f->qn = 0;
		r = f->inner.read(f->inner.ctx, tmp, sizeof(tmp), timeout_ms);
		if (r <= 0)
			return r;
		f->qn = fault_bytes(f, tmp, (size_t)r, f->q);
		if (f->qn == 0)
			return 0; /* all of it lost */
	}
	c = f->qn - f->qh < n ? f->qn - f->qh : n;
	memcpy(buf, f->q + f->qh, c);
	f->qh += c;
	return (int)c;
}

static uint64_t fault_now(void *ctx)
{
	struct toe_proto_fault *f = ctx;

	return f->inner.now_ms(f->inner.ctx);
}

void toe_proto_fault_init(struct toe_proto_fault *f,
			  const struct toe_proto_transport *inner,
			  const struct toe_proto_fault_cfg *cfg,
			  struct toe_proto_transport *out)
{
	_Static_assert(sizeof(((struct toe_proto_fault *)0)->q) >=
			       FAULT_CHUNK * (2 + FAULT_GARBAGE_MAX),
		       "fault queue holds one faulted chunk");
	memset(f, 0, sizeof(*f));
	f->inner = *inner;
	f->cfg = *cfg;
	if (f->cfg.garbage_max == 0)
		f->cfg.garbage_max = 1;
	if (f->cfg.garbage_max > FAULT_GARBAGE_MAX)
		f->cfg.garbage_max = FAULT_GARBAGE_MAX;
	f->rng = cfg->seed ? cfg->seed : 0x9E3779B97F4A7C15ULL;
	out->ctx = f;
	out->write = fault_write;
	out->read = fault_read;
	out->now_ms = inner->now_ms ? fault_now : NULL;
}
