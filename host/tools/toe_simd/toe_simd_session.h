/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_session.h - one interop session: the namespace and its link
 * (toe_simd_net.h), the engine (sim/eut/toe_eut.h) and the wire between
 * them (toe_simd_wire.h), opened and closed together; plus Linux peer
 * programs (toe-linux-peer) run inside the namespace while the wire runs.
 * Used by toe-simd (serve, demo) and the interop tests.
 */
#ifndef TOE_SIMD_SESSION_H
#define TOE_SIMD_SESSION_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "toe_eut.h"
#include "toe_simd_net.h"
#include "toe_simd_wire.h"

struct simd_session_opts {
	enum toe_eut_kind kind;
	const char *board;    /* kind board: its name (toe_eut_boards()) */
	unsigned max_conns;   /* MAX_CONNS; 0: the engine's whole table */
	uint64_t tick_hz;     /* 0: rtl and board measured (see
			       * sim/eut/toe_eut_regs.c), ref 156.25 MHz */
	uint64_t msl_ms;      /* engine MSL; 0: 500 ms (TIME-WAIT 1 s) */
	uint32_t seed;
	const uint8_t *isn_key; /* NULL: zero key */
	const char *pcap_path;
	const char *fst_path;
	enum simd_link link;
	const char *ns_name;
	simd_frame_fn on_frame;
	void *arg;
	simd_filter_fn filter;
	void *filter_arg;
	bool one_frame;       /* see struct simd_wire_opts */
	unsigned slice_us;    /* see struct simd_wire_opts */
};

struct simd_session {
	struct simd_net net;
	struct toe_eut *eng;
	struct simd_wire *wire;
	char peer_bin[PATH_MAX]; /* toe-linux-peer */
	double model_rate;       /* rtl, board: cycles per wall second measured */
};

/* Open everything; -1 with the reason in err (nothing left behind). */
int simd_session_open(struct simd_session *s, const struct simd_session_opts *o,
		      char *err, size_t errlen);
void simd_session_close(struct simd_session *s);

/* A toe-linux-peer process in the namespace, its stdout collected. */
struct simd_peer {
	pid_t pid;
	int fd;
	bool done;
	int status;      /* exit status when done (-1 killed) */
	size_t n;
	char out[65536]; /* its stdout (truncated when longer) */
	size_t shown;    /* bytes of out already printed by the caller */
};

/* args: the peer's arguments after the program name, NULL-terminated. */
int simd_peer_start(struct simd_session *s, struct simd_peer *p,
		    const char *const args[]);
/* Collect output, notice the exit. True once it has exited. */
bool simd_peer_pump(struct simd_session *s, struct simd_peer *p);
/* Run the wire until the peer exited (or timeout_ms): its exit status,
 * -1 on timeout (then it is killed). */
int simd_peer_wait(struct simd_session *s, struct simd_peer *p, int timeout_ms);
/* Run the wire until the peer printed a line starting with prefix:
 * 0, or -1 (exited or timeout). */
int simd_peer_wait_line(struct simd_session *s, struct simd_peer *p,
			const char *prefix, int timeout_ms);
void simd_peer_kill(struct simd_session *s, struct simd_peer *p);

#endif
