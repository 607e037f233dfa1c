/* SPDX-License-Identifier: MIT */
/*
 * test_rng.h - the tests' random generator: xorshift64* (Marsaglia 2003,
 * Vigna 2016), fixed and seedable, the same on every platform, so a seed
 * printed by a failing test reproduces its run. Written once for every
 * test and benchmark.
 */
#ifndef TOE_TEST_RNG_H
#define TOE_TEST_RNG_H

#include <stdbool.h>
#include <stdint.h>

/* The next 64 bits of the sequence in *s (s must not be 0). */
static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Uniform enough in [0, n) for test stimuli; 0 when n is 0. */
static inline unsigned rng_below(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(rng_next(s) % n) : 0;
}

/* True with probability pct / 100. */
static inline bool rng_pct(uint64_t *s, unsigned pct)
{
	return rng_next(s) % 100 < pct;
}

#endif
