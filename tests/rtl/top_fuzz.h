/* SPDX-License-Identifier: MIT */
/*
 * top_fuzz.h - the engine frame fuzzer (top_fuzz.c): mutated frames fed to
 * the whole engine and to the reference stack through the differential
 * harness of top_dual.h (every reply, event, payload byte, connection and
 * counter compared as everywhere else), on live connections kept in every
 * state the harness can reach. Used by test_rtl_top_diff.c
 * (test_diff_fuzz_frames, `--fuzz`, `make fuzz-engine`); docs/fuzz.md,
 * "The engine".
 */
#ifndef TOP_FUZZ_H
#define TOP_FUZZ_H

#include <stdint.h>

/* Defaults (TOE_FUZZ_SEED, TOE_FUZZ_FRAMES): the short run of make test. */
#define TOP_FUZZ_SEED 20261208
#define TOP_FUZZ_FRAMES 2000

/*
 * One run: `seed` (printed at the start and with any divergence, so that
 * TOE_FUZZ_SEED replays it), `nframes` mutated frames, a progress line
 * every `progress` frames (0: none). Fails the calling cmocka test on the
 * first divergence (the harness), on an RTL assertion (the model stops),
 * or when the run did not do what it claims (from 1000 frames on: every
 * mutation kind, every connection state fuzzed, frames over the engine's
 * length limit, frames that pass every check after a mutation).
 */
void top_fuzz_run(uint64_t seed, uint64_t nframes, uint64_t progress);

#endif
