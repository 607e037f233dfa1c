/* SPDX-License-Identifier: MIT */
/*
 * toe_proto.h - the host bridge protocol: the framed byte stream between the
 * host library and the engine's CSR bus (docs/host-bridge.md is the
 * specification; rtl/toe_host_bridge.v is the engine side).
 *
 * Three layers, usable separately:
 *   1. codec: CRC-32C, frame encoder, incremental decoder with resync;
 *   2. transaction layer over an abstract byte transport: register read and
 *      write bursts with sequence numbers, timeout and retransmission
 *      (exactly-once through the engine's response cache), event
 *      notifications to a callback;
 *   3. a fault-injecting transport wrapper (corrupts, drops, duplicates
 *      bytes and inserts garbage, deterministically from a seed) for tests
 *      and for exercising the retry path on real links.
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
 * names a code, toe_proto_errmsg() gives the detail of a handle's last
 * failure.
 */
#ifndef TOE_PROTO_H
#define TOE_PROTO_H

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

/* ---- byte transport (implemented in driver/: sim, tcp, ftdi) ---- */

struct toe_proto_transport {
	void *ctx;
	/* Write all n bytes. 0, or a negative error. */
	int (*write)(void *ctx, const uint8_t *buf, size_t n);
	/* Read up to n bytes, waiting at most timeout_ms for the first one.
	 * Returns the count (> 0), 0 when nothing came in time, or a negative
	 * error. */
	int (*read)(void *ctx, uint8_t *buf, size_t n, int timeout_ms);
	/* Optional: the transport's clock in ms (simulated transports give
	 * simulated time). NULL: CLOCK_MONOTONIC. */
	uint64_t (*now_ms)(void *ctx);
};

/* ---- transaction layer ---- */

struct toe_proto_cfg {
	int timeout_ms;     /* per attempt, from the request's send to its
			     * response; must exceed the engine's byte timeout
			     * plus its longest response time */
	unsigned retries;   /* retransmissions after the first send */
	unsigned max_burst; /* words per frame; 0: what the engine reports */
	uint8_t first_seq;  /* SEQ of the first request (the session PING) */
};

/* timeout_ms 100, retries 5, max_burst 0, first_seq 0 */
void toe_proto_cfg_default(struct toe_proto_cfg *cfg);

struct toe_proto_info {
	unsigned version;   /* protocol version (TOE_PROTO_VERSION) */
	unsigned max_burst; /* the engine's words per request (1..63) */
};

struct toe_proto_stats {
	uint64_t transactions; /* requests completed with a response */
	uint64_t tx_frames;    /* request frames sent, retransmissions too */
	uint64_t tx_bytes;
	uint64_t rx_bytes;     /* bytes read from the transport */
	uint64_t rx_frames;    /* good frames decoded */
	uint64_t retries;      /* retransmissions */
	uint64_t timeouts;     /* attempts that timed out */
	uint64_t stale;        /* good frames ignored (old SEQ, unknown type) */
	uint64_t events;       /* EVENT frames received */
	struct toe_proto_dec_stats dec; /* the response decoder's */
};

/* Event notification: the engine's event FIFO holds ev_count events (when
 * it sent the frame); notify_seq counts notifications (mod 256). A hint
 * only: pop events with register reads. */
typedef void (*toe_proto_event_fn)(void *arg, unsigned ev_count,
				   uint8_t notify_seq);

struct toe_proto;

/* A handle over transport t (copied). cfg NULL: defaults. No I/O yet: the
 * first read/write (or toe_proto_ping) opens the session with a PING.
 * NULL when out of memory or the arguments are bad. */
struct toe_proto *toe_proto_new(const struct toe_proto_transport *t,
				const struct toe_proto_cfg *cfg);
void toe_proto_free(struct toe_proto *p);

/* PING: checks the protocol version, learns the engine's max burst, and
 * starts the session (a later request can never be answered from a
 * previous session's response cache). info may be NULL. */
int toe_proto_ping(struct toe_proto *p, struct toe_proto_info *info);

/*
 * Read / write count consecutive 32-bit registers from byte address addr
 * (addr + 4 * count <= 0x10000), in bursts of at most max_burst words,
 * each executed exactly once on the engine. 0 on success, else a negative
 * code; toe_proto_last_done() then tells how many words were done.
 */
int toe_proto_read(struct toe_proto *p, uint32_t addr, uint32_t *data,
		   size_t count);
int toe_proto_write(struct toe_proto *p, uint32_t addr, const uint32_t *data,
		    size_t count);
int toe_proto_read32(struct toe_proto *p, uint32_t addr, uint32_t *val);
int toe_proto_write32(struct toe_proto *p, uint32_t addr, uint32_t val);

/* Words the last call completed: toe_proto_read, words stored into data;
 * toe_proto_write, words applied (on ERR_ADDR, those before the failing
 * word too). All of them on success. */
size_t toe_proto_last_done(const struct toe_proto *p);

/*
 * Event notifications go to fn (NULL: dropped). Notifications that arrive
 * during a read/write are delivered when that call returns; fn may call
 * toe_proto_read/write (not toe_proto_poll).
 */
void toe_proto_set_event_fn(struct toe_proto *p, toe_proto_event_fn fn,
			    void *arg);
/*
 * Wait up to timeout_ms for an event notification and deliver it. Returns
 * the number delivered (0 on timeout: the caller should then poll the
 * engine's EV_COUNT itself, since a notification can be lost), or a
 * negative code.
 */
int toe_proto_poll(struct toe_proto *p, int timeout_ms);

/* A snapshot of the counters. */
void toe_proto_get_stats(const struct toe_proto *p, struct toe_proto_stats *out);
/* Detail of the last failure ("engine: ERR_ADDR at word 3 (0x30c)"). */
const char *toe_proto_errmsg(const struct toe_proto *p);
/* SEQ the next request will carry. */
uint8_t toe_proto_next_seq(const struct toe_proto *p);

/* ---- fault-injecting transport ---- */

struct toe_proto_fault_cfg {
	uint64_t seed;
	/* per byte, in parts per million, each direction */
	unsigned corrupt_ppm;   /* XOR with a random non-zero value */
	unsigned drop_ppm;      /* byte lost */
	unsigned dup_ppm;       /* byte sent twice */
	unsigned garbage_ppm;   /* 1..garbage_max random bytes inserted */
	unsigned garbage_max;
	bool to_engine;         /* apply to writes (host -> engine) */
	bool to_host;           /* apply to reads (engine -> host) */
};

struct toe_proto_fault_stats {
	uint64_t corrupted, dropped, duplicated, garbage;
};

struct toe_proto_fault {
	struct toe_proto_transport inner;
	struct toe_proto_fault_cfg cfg;
	uint64_t rng;
	uint8_t q[8192]; /* faulted read bytes not yet returned */
	size_t qh, qn;
	struct toe_proto_fault_stats st;
};

/* Wrap inner; *out is a transport applying the faults, whose ctx is f. */
void toe_proto_fault_init(struct toe_proto_fault *f,
			  const struct toe_proto_transport *inner,
			  const struct toe_proto_fault_cfg *cfg,
			  struct toe_proto_transport *out);

#ifdef __cplusplus
}
#endif

#endif
