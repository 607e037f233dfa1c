/* SPDX-License-Identifier: MIT */
/*
 * toe_bytes.h - big-endian (network order) loads and stores of 16, 32 and
 * 64 bits at any byte address, written once for the whole project: the
 * packet codec, the reference stack, the bridge protocol, the simulation,
 * the tools and the tests all take them from here. Header only (static
 * inline), C and C++.
 */
#ifndef TOE_BYTES_H
#define TOE_BYTES_H

#include <stdint.h>

static inline uint16_t toe_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t toe_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t toe_get_be64(const uint8_t *p)
{
	return (uint64_t)toe_get_be32(p) << 32 | toe_get_be32(p + 4);
}

static inline void toe_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void toe_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void toe_put_be64(uint8_t *p, uint64_t v)
{
	toe_put_be32(p, (uint32_t)(v >> 32));
	toe_put_be32(p + 4, (uint32_t)v);
}

#endif
