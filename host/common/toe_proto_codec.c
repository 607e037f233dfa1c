/* SPDX-License-Identifier: MIT */
/*
 * toe_proto_codec.c - the host bridge protocol's codec (toe_proto_codec.h,
 * docs/host-bridge.md): return code names, CRC-32C, the frame encoder, the
 * incremental decoder with resync, request payloads and ERROR codes. Pure
 * functions on caller memory; carried by both the host library and the
 * simulation library (each links its own copy of this unit), so that
 * neither needs the other.
 */
#include "toe_proto_codec.h"

#include <string.h>

#include "toe_bytes.h"

#define HDR TOE_PROTO_HDR_BYTES
#define CRCB TOE_PROTO_CRC_BYTES

const char *toe_proto_strerror(int err)
{
	switch (err) {
	case TOE_PROTO_OK:
		return "ok";
	case TOE_PROTO_EINVAL:
		return "invalid argument";
	case TOE_PROTO_ENOMEM:
		return "out of memory";
	case TOE_PROTO_EIO:
		return "transport error";
	case TOE_PROTO_ETIMEDOUT:
		return "no response (timed out after retries)";
	case TOE_PROTO_EPROTO:
		return "malformed response";
	case TOE_PROTO_EVERSION:
		return "engine speaks another protocol version";
	case TOE_PROTO_ETYPE:
		return "engine: unknown request type";
	case TOE_PROTO_ELEN:
		return "engine: bad length or count";
	case TOE_PROTO_EALIGN:
		return "engine: address not 4-byte aligned";
	case TOE_PROTO_EADDR:
		return "engine: no register at address";
	case TOE_PROTO_EBUSY:
		return "not allowed from an event callback";
	default:
		return "unknown error";
	}
}

/* ---- codec ---- */

uint32_t toe_proto_crc32c(uint32_t crc, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
	}
	return ~crc;
}

int toe_proto_encode(uint8_t *out, size_t cap, uint8_t type, uint8_t seq,
		     const uint8_t *payload, size_t len)
{
	size_t total = HDR + len + CRCB;

	if (!out || len > 255 || cap < total || (len && !payload))
		return TOE_PROTO_EINVAL;
	out[0] = TOE_PROTO_SYNC0;
	out[1] = TOE_PROTO_SYNC1;
	out[2] = type;
	out[3] = seq;
	out[4] = (uint8_t)len;
	if (len)
		memmove(out + HDR, payload, len);
	toe_put_be32(out + HDR + len, toe_proto_crc32c(0, out + 2, 3 + len));
	return (int)total;
}

void toe_proto_dec_init(struct toe_proto_dec *d, unsigned max_len)
{
	memset(d, 0, sizeof(*d));
	d->max_len = max_len > 255 ? 255 : max_len;
}

bool toe_proto_dec_idle(const struct toe_proto_dec *d)
{
	return d->n == 0;
}

/* Examine one byte: 1 when it completed a good frame (delivered), -1 when
 * the candidate frame failed (the caller re-examines its bytes after
 * SYNC0), 0 otherwise. */
static int dec_step(struct toe_proto_dec *d, uint8_t b, toe_proto_frame_fn fn,
		    void *arg)
{
	struct toe_proto_frame f;
	unsigned len;

	if (d->n == 0) {
		if (b != TOE_PROTO_SYNC0) {
			d->st.garbage_bytes++;
			return 0;
		}
		d->buf[d->n++] = b;
		return 0;
	}
	d->buf[d->n++] = b;
	if (d->n == 2)
		return b == TOE_PROTO_SYNC1 ? 0 : -1;
	if (d->n < HDR)
		return 0;
	len = d->buf[4];
	if (d->n == HDR && len > d->max_len) {
		d->st.oversize++;
		return -1;
	}
	if (d->n < HDR + len + CRCB)
		return 0;
	f.crc = toe_get_be32(d->buf + HDR + len);
	if (toe_proto_crc32c(0, d->buf + 2, 3 + len) != f.crc) {
		d->st.crc_errors++;
		return -1;
	}
	f.type = d->buf[2];
	f.seq = d->buf[3];
	f.len = (uint8_t)len;
	memcpy(f.payload, d->buf + HDR, len);
	d->n = 0;
	d->st.frames++;
	if (fn)
		fn(arg, &f);
	return 1;
}

unsigned toe_proto_dec_feed(struct toe_proto_dec *d, const uint8_t *p,
			    size_t n, toe_proto_frame_fn fn, void *arg)
{
	unsigned frames = 0;

	for (size_t i = 0; i < n; i++) {
		d->qh = 0;
		d->qn = 0;
		d->q[d->qn++] = p[i];
		while (d->qh < d->qn) {
			int r = dec_step(d, d->q[d->qh++], fn, arg);

			if (r > 0) {
				frames++;
			} else if (r < 0) {
				/* The candidate's SYNC0 was garbage; its other
				 * bytes are examined again, before the rest of
				 * the queue. Bytes held (buf + queue) never
				 * exceed one frame plus the new byte. */
				size_t keep = d->n - 1, rest = d->qn - d->qh;

				memmove(d->q + keep, d->q + d->qh, rest);
				memcpy(d->q, d->buf + 1, keep);
				d->qh = 0;
				d->qn = keep + rest;
				d->n = 0;
				d->st.garbage_bytes++;
			}
		}
	}
	return frames;
}

unsigned toe_proto_dec_timeout(struct toe_proto_dec *d, toe_proto_frame_fn fn,
			       void *arg)
{
	uint8_t tmp[sizeof(d->buf)];
	unsigned frames = 0;

	while (d->n) {
		size_t keep = d->n - 1;

		d->st.truncated++;
		d->st.garbage_bytes++; /* its SYNC0 */
		memcpy(tmp, d->buf + 1, keep);
		d->n = 0;
		frames += toe_proto_dec_feed(d, tmp, keep, fn, arg);
	}
	return frames;
}

/* ---- request payloads and ERROR codes ---- */

size_t toe_proto_read_req(uint8_t *pl, uint32_t addr, unsigned count)
{
	pl[0] = (uint8_t)(addr >> 8);
	pl[1] = (uint8_t)addr;
	pl[2] = (uint8_t)count;
	return 3;
}

size_t toe_proto_write_req(uint8_t *pl, uint32_t addr, const uint32_t *data,
			   size_t count)
{
	pl[0] = (uint8_t)(addr >> 8);
	pl[1] = (uint8_t)addr;
	for (size_t i = 0; i < count; i++)
		toe_put_be32(pl + 2 + 4 * i, data[i]);
	return 2 + 4 * count;
}

int toe_proto_err_status(unsigned code)
{
	switch (code) {
	case TOE_PROTO_ERR_TYPE:
		return TOE_PROTO_ETYPE;
	case TOE_PROTO_ERR_LEN:
		return TOE_PROTO_ELEN;
	case TOE_PROTO_ERR_ALIGN:
		return TOE_PROTO_EALIGN;
	case TOE_PROTO_ERR_ADDR:
		return TOE_PROTO_EADDR;
	default:
		return TOE_PROTO_EPROTO;
	}
}
