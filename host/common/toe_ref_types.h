/* SPDX-License-Identifier: MIT */
/*
 * toe_ref_types.h - the plain data types of the reference stack that the
 * register driver (toe_drv.h) shares with it: the configuration, a
 * connection's variables and the statistics. They sit here, one floor below
 * both, so host/common includes nothing of host/ref; toe_ref.h includes
 * this header, so its users see no change. Types only: no function of
 * libtoeref is declared here.
 */
#ifndef TOE_REF_TYPES_H
#define TOE_REF_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* TOE_PERR_COUNT (enum toe_parse_result), enum toe_tcp_state */
#include "toe/toe_regs.h"

struct toe_ref_cfg {
	uint32_t local_ip;      /* our IPv4 address */
	uint16_t mtu;           /* MSS we advertise = mtu - 40 (MS-01) */
	uint16_t rcv_wnd;       /* window advertised (may be 0) */
	uint16_t syn_wnd;       /* window in our own SYN; 0 = rcv_wnd */
	uint8_t ttl;
	bool df;
	uint16_t ip_id_init;    /* IP ID of the first frame we send */
	uint16_t ip_id_step;    /* added per frame sent */
	uint64_t tick_hz;       /* ticks per second; multiple of 250000 */
	uint64_t rto_init;      /* first retransmission timeout, ticks */
	uint64_t rto_max;       /* backoff cap, ticks */
	uint64_t syn_giveup;    /* SYN-SENT: give up after this long (>= 3 min) */
	uint64_t synack_giveup; /* SYN-RECEIVED: give up after this long */
	uint64_t fin_giveup;    /* FIN states: give up after this long (>= 100 s) */
	uint64_t msl;           /* TIME-WAIT lasts 2 * msl */
	uint32_t challenge_ack_limit;  /* per connection per window */
	uint64_t challenge_ack_window; /* ticks */
	uint8_t isn_key[16];    /* RFC 6528 secret */
	uint32_t max_conns;     /* connection table size (listeners excluded) */
	uint32_t max_listeners;
};

/* A connection's variables, as the engine reports them per connection. */
struct toe_ref_conn_info {
	int state;          /* enum toe_tcp_state */
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, max_snd_wnd;
	uint32_t rcv_nxt, rcv_wnd;
	uint16_t peer_mss;  /* from the peer's SYN; 536 if absent */
	uint16_t eff_mss;   /* effective send MSS (MS-04) */
	bool passive;       /* created by a listener */
	bool closed_by_user; /* close() called */
	bool wr_shut;        /* shutdown(SHUT_WR) or close() called */
	unsigned retransmits; /* of the current SYN / SYN-ACK / FIN */
};

struct toe_ref_stats {
	uint64_t segs_in, segs_out, rst_out, challenge_acks, challenge_acks_suppressed;
	uint64_t dropped; /* segments dropped without reply (any reason) */
	uint64_t rx_bytes; /* payload bytes delivered in order */
	uint64_t retransmits;
	uint64_t parse_drops[TOE_PERR_COUNT]; /* toe_ref_input_frame, by -result */
};

#endif
