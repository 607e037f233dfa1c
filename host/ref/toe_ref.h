/* SPDX-License-Identifier: MIT */
/*
 * toe_ref.h - the software reference TCP stack (RFC 9293, 5961, 6528).
 *
 * A pure model: segments and time in, segments and events out. No sockets,
 * no clock of its own, no allocation after toe_ref_new(). It makes exactly
 * the choices the RTL engine makes, so the two can be compared byte for
 * byte. Time is a tick count (the engine's clock cycles); every duration in
 * the configuration is in ticks.
 *
 * Choices where RFC 9293 leaves room (each one is also configuration or
 * documented in README.md, "Reference stack choices"):
 *  - No transmit data path yet: the stack sends SYN, SYN-ACK, ACK, FIN and
 *    RST only. toe_ref_send() reports TOE_REF_ENOTSUP (TOE_REF_EPIPE after
 *    a close or shutdown).
 *  - Receive: in-order payload is handed to the user stream at once (the
 *    RTL's m_axis) and ACKed at once (no delayed ACK). There is no receive
 *    buffer, so "unread data" (CL-10) is data arriving after close(): it
 *    gets a RST. Out-of-order payload is dropped and answered with a
 *    duplicate ACK. If the user stream is not ready (toe_ref_set_rx_ready),
 *    a payload segment is dropped without an ACK.
 *  - The advertised window is cfg.rcv_wnd on every segment except our own
 *    SYN, which carries cfg.syn_wnd. No window scaling.
 *  - TW-03: a RST in TIME-WAIT is ignored (RFC 1337).
 *  - TW-04: a SYN in TIME-WAIT whose SEQ is beyond the old RCV.NXT, on a port
 *    with a listener, ends the TIME-WAIT and is handled as a new passive
 *    open, with ISN max(new ISN, old SND.NXT + 2^16) (MAY-2); the old
 *    connection reports CLOSED first. Any other SYN
 *    in TIME-WAIT gets a challenge ACK.
 *  - CA-06: challenge ACKs (RA-02, CA-01, CA-03, TW-04) are limited per
 *    connection to cfg.challenge_ack_limit per cfg.challenge_ack_window.
 *  - MS-05: a peer MSS of 0 is ignored (536 used); 1..87 is raised to 88.
 */
#ifndef TOE_REF_H
#define TOE_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe/toe_tcp.h"
/* struct toe_ref_cfg, toe_ref_conn_info, toe_ref_stats (host/common: the
 * register driver shares them) */
#include "toe_ref_types.h"
#include "toe_wire.h"

/* Error codes: distinct negative values. */
enum toe_ref_err {
	TOE_REF_OK = 0,
	TOE_REF_EINVAL = -1,   /* bad argument or configuration */
	TOE_REF_ENOMEM = -2,   /* connection table full */
	TOE_REF_EADDRINUSE = -3, /* port already listening / tuple in use */
	TOE_REF_ENOTCONN = -4, /* no such connection id */
	TOE_REF_ESTATE = -5,   /* call not valid in the connection's state */
	TOE_REF_EPIPE = -6,    /* send after close/shutdown */
	TOE_REF_ENOTSUP = -7,  /* not implemented (send: no TX data path yet) */
};
const char *toe_ref_strerror(int err);

/* Defaults: 1500 MTU, window 8760, TTL 64, DF, IP ID 0 step 1,
 * tick_hz 156250000, RTO 1 s doubling to 60 s, SYN give-up 180 s, SYN-ACK
 * give-up 60 s, FIN give-up 100 s, MSL 30 s, 5 challenge ACKs per second,
 * zero key, 1024 connections, 64 listeners. */
void toe_ref_cfg_default(struct toe_ref_cfg *cfg);

/* Events, in the order they happened (enum toe_ref_event_type:
 * TOE_EV_ESTABLISHED = 1 ... TOE_EV_RX_DATA = 7, generated from
 * rtl/regmap/toe.toml, the engine's event codes). */
#include "toe/toe_regs.h"
const char *toe_ref_event_name(int type);

struct toe_ref_event {
	int type;          /* enum toe_ref_event_type */
	int conn;          /* connection id */
	uint64_t time;     /* tick it happened */
	const uint8_t *data; /* RX_DATA only: points into the segment given to
			      * the input call that delivered it: valid while
			      * the caller keeps that buffer, and until the
			      * next input call */
	uint16_t len;
};

/* A segment the stack sends, with the IPv4 fields it chose. */
struct toe_ref_out {
	struct toe_seg seg; /* opt.has_mss set on SYN and SYN-ACK only */
	struct toe_ip_meta ip;
	int conn;           /* connection id, or -1 (RST to no connection) */
	uint64_t time;
};

struct toe_ref;

/* Create a stack; NULL if cfg is invalid, including outside the engine's
 * limits (enum toe_cfg_limit): RTO_MAX, the give-ups and 2 x MSL below
 * 2^(TOE_CFG_TIME_BITS - 1) ticks, challenge_ack_limit at most
 * TOE_CFG_CA_LIMIT_MAX. */
struct toe_ref *toe_ref_new(const struct toe_ref_cfg *cfg);
void toe_ref_free(struct toe_ref *r);

/* Replace the RFC 6528 key (takes effect for the next ISN). */
void toe_ref_set_isn_key(struct toe_ref *r, const uint8_t key[16]);
/* Pin the ISN of the next connection created (active or passive); used once. */
void toe_ref_pin_isn(struct toe_ref *r, uint32_t isn);
/* The ISN the stack would choose now for this 4-tuple (RFC 6528:
 * M + low 32 bits of SipHash-2-4(key, local_ip|local_port|remote_ip|
 * remote_port), all big-endian, 12 bytes; M = now / (tick_hz / 250000)). */
uint32_t toe_ref_isn(const struct toe_ref *r, uint32_t local_ip,
		     uint16_t local_port, uint32_t remote_ip,
		     uint16_t remote_port, uint64_t now);

/* Listen on a local port. */
int toe_ref_listen(struct toe_ref *r, uint16_t port);
int toe_ref_unlisten(struct toe_ref *r, uint16_t port);
/* Active open at time now: sends a SYN. Returns the connection id (>= 0). */
int toe_ref_connect(struct toe_ref *r, uint16_t local_port, uint32_t remote_ip,
		    uint16_t remote_port, uint64_t now);
/* close(): FIN (or nothing in SYN-SENT, AO-08). A second close is a no-op. */
int toe_ref_close(struct toe_ref *r, int conn, uint64_t now);
/* shutdown(SHUT_WR): FIN, receive path keeps working (CL-09). */
int toe_ref_shutdown_wr(struct toe_ref *r, int conn, uint64_t now);
/* Abort (SO_LINGER 0): RST where RG-04 says so; the TCB is deleted. */
int toe_ref_abort(struct toe_ref *r, int conn, uint64_t now);
/* Transmit data: no TX data path yet (see top of file). */
int toe_ref_send(struct toe_ref *r, int conn, const void *buf, size_t len);
/* Whether the user stream can take payload now (default true). */
void toe_ref_set_rx_ready(struct toe_ref *r, bool ready);

/* Feed one received segment at time now (timers up to now run first). */
void toe_ref_input(struct toe_ref *r, const struct toe_seg *seg, uint64_t now);
/* Feed one Ethernet frame: parsed with toe_parse_frame; a malformed frame
 * (bad checksum included, CK-01) is dropped silently and counted in
 * stats.parse_drops[-result]; a good one goes to toe_ref_input. Returns the
 * parse result. */
int toe_ref_input_frame(struct toe_ref *r, const uint8_t *frame, size_t len,
			uint64_t now);
/* Run timers up to now. */
void toe_ref_advance(struct toe_ref *r, uint64_t now);
/* The earliest tick at which a timer will fire, or UINT64_MAX if none. */
uint64_t toe_ref_next_timer(const struct toe_ref *r);

/* Take the next sent segment / event. 1 if one was returned, 0 if none.
 * Queues hold up to 1024 entries each; older entries are overwritten and
 * counted (toe_ref_lost) if the caller never drains them. */
int toe_ref_pop_out(struct toe_ref *r, struct toe_ref_out *out);
int toe_ref_pop_event(struct toe_ref *r, struct toe_ref_event *ev);
uint64_t toe_ref_lost(const struct toe_ref *r);

/* Per-connection read-out; TOE_REF_ENOTCONN for a free id. */
int toe_ref_conn_info(const struct toe_ref *r, int conn,
		      struct toe_ref_conn_info *info);
/* Connection id of a 4-tuple (local first), or -1. */
int toe_ref_find(const struct toe_ref *r, uint32_t local_ip, uint16_t local_port,
		 uint32_t remote_ip, uint16_t remote_port);
/* Connections in use (TIME-WAIT included, listeners excluded). */
unsigned toe_ref_conn_count(const struct toe_ref *r);
void toe_ref_stats(const struct toe_ref *r, struct toe_ref_stats *st);

/*
 * Test fixture: create a connection directly in a state, without replaying
 * a handshake. Fields of info used: state (any synchronized state, or
 * SYN-SENT / SYN-RECEIVED), addresses and ports, iss, irs, snd_una, snd_nxt,
 * snd_wnd, rcv_nxt, peer_mss, passive, closed_by_user/wr_shut. Timers start
 * at `now` as if the state had just been entered. Returns the id.
 */
int toe_ref_fixture(struct toe_ref *r, const struct toe_ref_conn_info *info,
		    uint64_t now);

#endif
