/* SPDX-License-Identifier: MIT */
/*
 * seed_replay.h - the seed capture (KB 172983, seven frames) replayed
 * through the reference stack, one scenario per host the capture shows:
 *
 *   A  passive open   131.107.2.211:139 (BDC3) listens; fed frame 1, it
 *                     must send frame 2; fed frame 3, ESTABLISHED.
 *   B  active open    131.107.2.214:1037 (NTW3) connects: frame 1; fed
 *                     frame 2, it must send frame 3.
 *   C  active close   192.94.222.123:2337, ESTABLISHED: close() sends
 *                     frame 4; fed 5 (FIN-WAIT-2) and 6, it sends 7 and
 *                     ends in TIME-WAIT.
 *   D  passive close  192.94.222.87:1352, ESTABLISHED: fed 4, it sends 5
 *                     (CLOSE-WAIT); close() sends 6; fed 7, CLOSED.
 *
 * Each scenario configures the stack the way the capture's host behaved
 * (pinned ISN, window, MSS, TTL, DF, IP ID counter) and records every frame
 * fed and sent, the events and the state after each step. Every frame the
 * stack sends is compared with the capture frame it stands for: the IPv4
 * and TCP bytes (from the IPv4 header to the end of the TCP segment) must
 * be identical. Ethernet addressing is not the stack's business: a sent
 * frame carries the addresses the host used in the capture (its own MAC and
 * its next hop's, as ARP would have given them; 192.94.222.87 is behind a
 * router, TTL 63) and is padded with zeros to 60 bytes, where the capture
 * has whatever the sender's buffer held, or no padding at all in frames 4
 * and 7 (captured on the sending host before the adapter padded them).
 *
 * Used by the toe-seed-replay program (make demo) and the golden-frame
 * unit test, which asserts on the records itself.
 */
#ifndef TOE_SEED_REPLAY_H
#define TOE_SEED_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "toe_ref.h"
#include "toe_wire.h"

#define TOE_SEED_FRAMES 7   /* frames in the capture, numbered 1..7 */
#define TOE_SEED_MAX_STEPS 4
#define TOE_SEED_MAX_IO 16  /* frames recorded per scenario */
#define TOE_SEED_MAX_EV 8   /* events recorded per scenario */

/* The capture as the caller loaded it: frame[n] / len[n] is frame n
 * (1..7); index 0 is unused. Times are not taken from here: the scenarios
 * run on the article's time column (toe_seed_time). */
struct toe_seed_capture {
	const uint8_t *frame[TOE_SEED_FRAMES + 1];
	size_t len[TOE_SEED_FRAMES + 1];
};

enum toe_seed_scenario {
	TOE_SEED_PASSIVE_OPEN = 0, /* A */
	TOE_SEED_ACTIVE_OPEN = 1,  /* B */
	TOE_SEED_ACTIVE_CLOSE = 2, /* C */
	TOE_SEED_PASSIVE_CLOSE = 3, /* D */
	TOE_SEED_SCENARIOS = 4
};

/* How close a sent frame is to the capture frame it stands for. */
enum toe_seed_match {
	TOE_SEED_DIFFERENT = 0, /* TCP header or payload differ */
	TOE_SEED_SAME_TCP = 1,  /* TCP segment identical, IPv4 header not */
	TOE_SEED_SAME_BYTES = 2 /* IPv4 header and TCP segment identical */
};

/* One frame fed to the stack or sent by it. */
struct toe_seed_io {
	bool sent;          /* false: fed to the stack */
	unsigned step;      /* index into toe_seed_result.step */
	int capture_no;     /* fed: the capture frame; sent: the one it should
			     * equal, 0 if the scenario expected no frame */
	uint64_t ts_usec;
	uint8_t frame[TOE_ETH_MAX_FRAME];
	size_t len;
	int match;          /* sent: enum toe_seed_match (DIFFERENT if 0) */
	char verdict[160];  /* sent: "matches capture frame 2: ..." */
};

/* One step: a frame fed or a call made, and what it should lead to. */
struct toe_seed_step {
	char action[48];    /* "fed capture frame 1", "close()" ... */
	bool fed;           /* a frame was fed (rc is a parse result) */
	int want_sent;      /* capture frame expected in reply, 0 = none */
	int want_state;     /* state expected after (CLOSED = no TCB) */
	int want_event;     /* event expected (one or none), 0 = none */
	int rc;             /* the call's / parse's result (< 0: failed) */
	int state;          /* state seen after (CLOSED when no TCB) */
	unsigned n_sent;    /* frames the stack sent in this step */
	unsigned n_events;  /* events it reported in this step */
	bool ok;            /* everything above as expected */
	char why[160];      /* when !ok: what went wrong */
};

struct toe_seed_result {
	int scenario;
	const char *name;   /* "A passive open" */
	const char *host;   /* "BDC3 131.107.2.211:139" */
	const char *setup;  /* one line: what the stack is configured with */
	int conn;           /* connection id, -1 if none was created */
	struct toe_seed_step step[TOE_SEED_MAX_STEPS];
	unsigned n_steps;
	struct toe_seed_io io[TOE_SEED_MAX_IO];
	unsigned n_io;
	unsigned io_lost;   /* frames that did not fit in io[] */
	struct toe_ref_event ev[TOE_SEED_MAX_EV];
	unsigned ev_step[TOE_SEED_MAX_EV];
	unsigned n_ev;
	bool ok;            /* every step ok */
	char err[160];      /* setup failure (stack refused the configuration) */
};

/* The article's time column for capture frame n (1..7), microseconds. */
uint64_t toe_seed_time(int n);

/* Run one scenario on a fresh stack. Returns 0 if it passed, -1 if not
 * (details in *res, which is always filled). */
int toe_seed_run(int scenario, const struct toe_seed_capture *cap,
		 struct toe_seed_result *res);

/*
 * Compare a frame with the capture frame it should equal: the IPv4 header
 * and TCP segment (IPv4 total length bytes from offset 14). Writes a
 * one-line explanation ("IPv4+TCP bytes identical", "TCP segment identical;
 * IPv4 differs: id 0x0E01, capture 0x0D01", ...) to why.
 */
int toe_seed_compare(const uint8_t *got, size_t got_len, const uint8_t *want,
		     size_t want_len, char *why, size_t why_len);

/* Print a scenario's record: each step, the frames decoded with
 * toe_decode_frame() (sent frames in full, fed frames as their summary line
 * unless full_fed), the verdicts, events and states. */
void toe_seed_print(FILE *out, const struct toe_seed_result *res,
		    bool full_fed);

#endif
