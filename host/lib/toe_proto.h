/* SPDX-License-Identifier: MIT */
/*
 * toe_proto.h - the host bridge protocol: the framed byte stream between the
 * host library and the engine's CSR bus (docs/host-bridge.md is the
 * specification; rtl/toe_host_bridge.v is the engine side).
 *
 * Three layers, usable separately:
 *   1. codec: CRC-32C, frame encoder, incremental decoder with resync, the
 *      wire constants and return codes (host/common/toe_proto_codec.h, a
 *      unit of its own that the simulation library uses too; included
 *      here);
 *   2. transaction layer over an abstract byte transport: register read and
 *      write bursts with sequence numbers, timeout and retransmission
 *      (exactly-once through the engine's response cache), event
 *      notifications to a callback;
 *   3. a fault-injecting transport wrapper (corrupts, drops, duplicates
 *      bytes and inserts garbage, deterministically from a seed) for tests
 *      and for exercising the retry path on real links.
 *
 * The frame format is in toe_proto_codec.h.
 *
 * Error handling: functions return 0 (or a count) on success and one of
 * the negative TOE_PROTO_E* codes (toe_proto_codec.h) on failure;
 * toe_proto_strerror() names a code, toe_proto_errmsg() gives the detail
 * of a handle's last failure.
 */
#ifndef TOE_PROTO_H
#define TOE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_proto_codec.h"

#ifdef __cplusplus
extern "C" {
#endif

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
