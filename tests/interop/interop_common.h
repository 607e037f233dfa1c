/* SPDX-License-Identifier: MIT */
/*
 * interop_common.h - what the Linux peer program (linux_peer.c) and the
 * engine side (toe-simd, the interop tests) must agree on: how a
 * connection's close behaviour is chosen from its port, and the seeded
 * byte pattern sent as data.
 *
 * Close modes, one letter each, seen from the whole exchange:
 *   L  Linux closes first (FIN); the engine closes on PEER_FIN
 *   E  the engine closes first (FIN); Linux closes when it reads EOF
 *   R  Linux resets: SO_LINGER {1, 0} then close() sends RST
 *   A  the engine aborts (RST); Linux reads ECONNRESET
 * A run gives a mode string ("LERA"); the mode of a connection is
 * modes[port % strlen(modes)], port being the Linux client's port when
 * Linux connects, the engine's port when the engine connects (each side
 * knows both ports).
 */
#ifndef INTEROP_COMMON_H
#define INTEROP_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline char interop_mode(const char *modes, uint16_t port)
{
	size_t n = strlen(modes);

	return n ? modes[port % n] : 'L';
}

/* SplitMix64 (Steele, Lea, Flood 2014): the pattern generator. */
static inline uint64_t interop_mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* Byte i of the pattern with this seed: any position can be checked on
 * its own, so the receiver needs no state but the offset. */
static inline uint8_t interop_pattern(uint64_t seed, uint64_t i)
{
	return (uint8_t)(interop_mix64(seed ^ (i >> 3) * 0xD1B54A32D192ED03ull)
			 >> ((i & 7) * 8));
}

static inline void interop_pattern_fill(uint64_t seed, uint64_t off,
					uint8_t *buf, size_t n)
{
	for (size_t k = 0; k < n; k++)
		buf[k] = interop_pattern(seed, off + k);
}

#endif
