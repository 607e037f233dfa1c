/* SPDX-License-Identifier: MIT */
/*
 * toe_proto_codec.h - the host bridge protocol's codec (docs/host-bridge.md),
 * the part that both ends of a host link need and nothing more: wire
 * constants, frame types, ERROR codes and the return codes, CRC-32C, the
 * frame encoder, the incremental decoder with resync, request payloads.
 * No transport, no clock, no allocation.
 *
 * A small shared unit (host/common/toe_proto_codec.c) that the host
 * library (libtoe: the transaction layer, host/lib/toe_proto.h) and the
 * simulation library (libtoesim: sim/toe_sim.cpp's register access through
 * the bridge RTL) each carry, so that neither library needs the other.
 *
 * Frame (every multi-byte field big-endian):
 *
 *   offset   size  field
 *   0        1     SYNC0 0xA5
 *   1        1     SYNC1 0x5A
 *   2        1     TYPE
 *   3        1     SEQ
 *   4        1     LEN: payload bytes (0..TOE_PROTO_MAX_PAYLOAD)
 *   5        LEN   payload
 *   5+LEN    4     CRC-32C of bytes 2 .. 4+LEN (TYPE, SEQ, LEN, payload)
 *
 * Error handling: functions return 0 (or a count) on success and one of
 * the negative TOE_PROTO_E* codes below on failure; toe_proto_strerror()
 * names a code.
 */
#ifndef TOE_PROTO_CODEC_H
#define TOE_PROTO_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- wire constants ---- */

#define TOE_PROTO_SYNC0 0xA5u
#define TOE_PROTO_SYNC1 0x5Au
/* protocol version, reported in PING_ACK */
#define TOE_PROTO_VERSION 1u
/* SYNC0 SYNC1 TYPE SEQ LEN */
#define TOE_PROTO_HDR_BYTES 5u
#define TOE_PROTO_CRC_BYTES 4u
/* the protocol's burst limit (an engine reports its own, at most this) */
#define TOE_PROTO_MAX_BURST 63u
/* largest payload: a write of TOE_PROTO_MAX_BURST words (2 + 4 * 63) */
#define TOE_PROTO_MAX_PAYLOAD 254u
#define TOE_PROTO_MAX_FRAME \
	(TOE_PROTO_HDR_BYTES + TOE_PROTO_MAX_PAYLOAD + TOE_PROTO_CRC_BYTES)
/* the register address field is 16 bits */
#define TOE_PROTO_ADDR_LIMIT 0x10000u

/* Frame types. Requests go host -> engine; a response has the request's
 * type | 0x80 and echoes its SEQ; ERROR answers any request; EVENT is sent
 * by the engine on its own (its SEQ counts notifications). */
enum toe_proto_type {
	TOE_PROTO_T_PING = 0x01,      /* payload: none */
	TOE_PROTO_T_READ = 0x02,      /* ADDR(2) COUNT(1) */
	TOE_PROTO_T_WRITE = 0x03,     /* ADDR(2) DATA(4 * count) */
	TOE_PROTO_T_ERROR = 0x80,     /* CODE(1) INDEX(1) */
	TOE_PROTO_T_PING_ACK = 0x81,  /* VERSION(1) MAX_BURST(1) */
	TOE_PROTO_T_READ_DATA = 0x82, /* DATA(4 * count) */
	TOE_PROTO_T_WRITE_ACK = 0x83, /* COUNT(1) */
	TOE_PROTO_T_EVENT = 0xC0,     /* EV_COUNT(2) */
};

/* CODE of an ERROR frame. */
enum toe_proto_err_code {
	TOE_PROTO_ERR_TYPE = 1,  /* unknown request type */
	TOE_PROTO_ERR_LEN = 2,   /* LEN or COUNT wrong for the type */
	TOE_PROTO_ERR_ALIGN = 3, /* address not a multiple of 4 */
	TOE_PROTO_ERR_ADDR = 4,  /* no register at word INDEX (or read-only) */
};

/* ---- return codes (negative) ---- */

enum toe_proto_status {
	TOE_PROTO_OK = 0,
	/* bad argument: NULL, count 0, address range beyond 16 bits, ... */
	TOE_PROTO_EINVAL = -1,
	/* out of memory */
	TOE_PROTO_ENOMEM = -2,
	/* the transport's read or write failed */
	TOE_PROTO_EIO = -3,
	/* no valid response after every retransmission. The request may or
	 * may not have been executed (words of earlier bursts of the same
	 * call were). */
	TOE_PROTO_ETIMEDOUT = -4,
	/* a response with our SEQ but the wrong type or length */
	TOE_PROTO_EPROTO = -5,
	/* the engine speaks another protocol version, or reports a max burst
	 * outside 1..TOE_PROTO_MAX_BURST (the message says which) */
	TOE_PROTO_EVERSION = -6,
	/* the engine answered ERROR: TOE_PROTO_ERR_TYPE */
	TOE_PROTO_ETYPE = -7,
	/* the engine answered ERROR: TOE_PROTO_ERR_LEN */
	TOE_PROTO_ELEN = -8,
	/* the engine answered ERROR: TOE_PROTO_ERR_ALIGN */
	TOE_PROTO_EALIGN = -9,
	/* the engine answered ERROR: TOE_PROTO_ERR_ADDR (words before the
	 * failing one were done: toe_proto_last_done()) */
	TOE_PROTO_EADDR = -10,
	/* called from inside an event callback where not allowed */
	TOE_PROTO_EBUSY = -11,
};

/* Name of a return code ("timed out", ...); never NULL. */
const char *toe_proto_strerror(int err);

/* ---- codec ---- */

/*
 * CRC-32C (Castagnoli): poly 0x1EDC6F41, reflected in and out, init and
 * xorout 0xFFFFFFFF; check value ("123456789") 0xE3069283. Chainable like
 * zlib's crc32(): start with crc = 0; crc32c(crc32c(0, a), b) equals the
 * CRC of a then b.
 */
uint32_t toe_proto_crc32c(uint32_t crc, const void *buf, size_t n);

/*
 * Encode one frame into out (cap bytes). Returns the frame length
 * (TOE_PROTO_HDR_BYTES + len + TOE_PROTO_CRC_BYTES), or TOE_PROTO_EINVAL
 * when len > 255 or cap is too small. (Any LEN up to 255 encodes, so tests
 * can build oversize frames; a decoder bounds what it accepts.)
 */
int toe_proto_encode(uint8_t *out, size_t cap, uint8_t type, uint8_t seq,
		     const uint8_t *payload, size_t len);

/* A decoded frame. */
struct toe_proto_frame {
	uint8_t type;
	uint8_t seq;
	uint8_t len;
	uint32_t crc; /* the frame's CRC field (it matched) */
	uint8_t payload[255];
};

struct toe_proto_dec_stats {
	uint64_t frames;        /* good frames delivered */
	uint64_t crc_errors;    /* candidate frames whose CRC did not match */
	uint64_t oversize;      /* candidate headers with LEN > max_len */
	uint64_t truncated;     /* partial frames abandoned by dec_timeout */
	uint64_t garbage_bytes; /* bytes skipped while hunting for SYNC */
};

/*
 * Incremental decoder. Hunts for SYNC0 SYNC1, reads the header, rejects a
 * LEN above max_len at once, collects payload and CRC, and delivers the
 * frame if the CRC matches. When a candidate fails (bad SYNC1, oversize
 * LEN, bad CRC), the hunt restarts at the byte after its SYNC0, so a good
 * frame that began inside the bad one's bytes is still found.
 * Plain data: embed it, initialise with toe_proto_dec_init().
 */
struct toe_proto_dec {
	unsigned max_len;
	size_t n;                             /* candidate bytes in buf */
	uint8_t buf[TOE_PROTO_HDR_BYTES + 255 + TOE_PROTO_CRC_BYTES];
	size_t qh, qn;                        /* bytes to (re)examine */
	uint8_t q[TOE_PROTO_HDR_BYTES + 255 + TOE_PROTO_CRC_BYTES + 1];
	struct toe_proto_dec_stats st;
};

typedef void (*toe_proto_frame_fn)(void *arg, const struct toe_proto_frame *f);

/* max_len: largest payload accepted (at most 255). */
void toe_proto_dec_init(struct toe_proto_dec *d, unsigned max_len);
/* Feed n bytes (n = 1 for byte at a time); fn is called for every good
 * frame completed, in stream order. Returns the number of frames. */
unsigned toe_proto_dec_feed(struct toe_proto_dec *d, const uint8_t *p,
			    size_t n, toe_proto_frame_fn fn, void *arg);
/*
 * The line was silent for longer than a frame takes: a partial frame is
 * dead (counted as truncated). Its bytes after SYNC0 are examined again (a
 * whole frame that arrived inside the dead one's span is delivered to fn);
 * whatever is still partial after that is dropped too. Returns the number
 * of frames delivered.
 */
unsigned toe_proto_dec_timeout(struct toe_proto_dec *d, toe_proto_frame_fn fn,
			       void *arg);
/* True when no partial frame is held. */
bool toe_proto_dec_idle(const struct toe_proto_dec *d);

/* ---- request payloads and ERROR codes (both ends of a host link) ---- */

/* The payload of a READ of count words from addr: ADDR(2) COUNT(1), 3
 * bytes (the value returned). */
size_t toe_proto_read_req(uint8_t *pl, uint32_t addr, unsigned count);
/* The payload of a WRITE of count words from data to addr: ADDR(2)
 * DATA(4 * count); returns its length, 2 + 4 * count. */
size_t toe_proto_write_req(uint8_t *pl, uint32_t addr, const uint32_t *data,
			   size_t count);
/* An ERROR frame's CODE as a return code: TOE_PROTO_ETYPE, _ELEN, _EALIGN,
 * _EADDR, or TOE_PROTO_EPROTO for a code the protocol does not define. */
int toe_proto_err_status(unsigned code);

#ifdef __cplusplus
}
#endif

#endif
