/* SPDX-License-Identifier: MIT */
/*
 * top_random.h - the randomized differential run (top_random.c): the whole
 * engine against the reference stack through the harness of top_dual.h,
 * random segments, commands, malformed frames and time jumps over up to
 * 1000 live connections, with five full read-outs on the way. Used by
 * test_rtl_top_diff.c and test_rtl_top_diff_64k.c.
 */
#ifndef TOP_RANDOM_H
#define TOP_RANDOM_H

#include <stdint.h>

/* Defaults of the run (TOE_DIFF_SEED, TOE_DIFF_SEGS, TOE_DIFF_LIVE). */
#define TOP_RANDOM_SEED 20251126
#define TOP_RANDOM_SEGS 100000 /* TCP segments fed */
/* After filling the table to 1000 connections, the run keeps this many
 * alive while they come and go: 1000 of the 1024 ids, so the engine's
 * connection table (toe_conn_table, two-choice hashing) is churned near
 * full load, where with 4-way buckets it refused inserts the reference
 * accepts (the 8-way default refuses none; `make bench-conn-table`). */
#define TOP_RANDOM_LIVE 1000
/* A progress line every this many segments (TOE_DIFF_PROGRESS; 0: none),
 * so that a long run (make diff-long) is visibly alive. */
#define TOP_RANDOM_PROGRESS 1000000

/*
 * One run: `seed` (printed, so that TOE_DIFF_SEED replays it), `nsegs` TCP
 * segments, `live` connections kept alive, a progress line (segments,
 * divergences, frames compared, rate) every `progress` segments (0: none). Prints the run's figures,
 * stimuli by kind, the stimuli aimed at their own connection's timer (by
 * kind and offset from the deadline) and the reply latencies by kind; fails
 * the calling cmocka test on the first divergence (the harness; a reply
 * over its latency bound is one) or when the run did not do what it claims
 * (1000 connections at once; from 20000 segments on, every kind of
 * stimulus, a suppressed challenge ACK, at least nsegs / 1000 aimed
 * stimuli at every offset and nsegs / 2500 of every kind, some decided
 * late by a timer's job; no deadline left off its connection's phase).
 */
void top_random_run(uint64_t seed, uint64_t nsegs, unsigned live, uint64_t progress);

#endif
