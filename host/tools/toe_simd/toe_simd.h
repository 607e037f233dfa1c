/* SPDX-License-Identifier: MIT */
/*
 * toe_simd.h - what the parts of toe-simd share: the command line options
 * (parsed in toe_simd.c), the signal flag and the console output; the
 * demo (toe_simd_demo.c) is run from toe_simd.c's main.
 */
#ifndef TOE_SIMD_H
#define TOE_SIMD_H

#include <stdbool.h>
#include <stdint.h>

#include "toe_eut.h"
#include "toe_simd_net.h"

/* the signal that ends the run, 0 while none came */
extern volatile int got_signal;

struct options {
	enum toe_eut_kind kind;
	const char *board;       /* kind board: --board=NAME */
	uint64_t tick_hz;
	uint64_t msl_ms;
	const char *pcap;
	const char *waves;
	enum simd_link link;
	const char *netns;
	uint32_t seed;
	unsigned port;
	int listen_port;
	double run_for;
	bool verbose, quiet;
};

/* printf to stdout, flushed */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct simd_session_opts;
/* The session options both commands take from the command line (engine
 * kind, clock, MSL, seed, pcap and waveform files, link, namespace); *so
 * is zeroed first, the caller adds its frame callback and the rest. */
void simd_session_opts_from(const struct options *o,
			    struct simd_session_opts *so);

/* toe-simd demo (what `make demo` runs): exit status 0 or 1. */
int simd_run_demo(const struct options *o);

#endif
