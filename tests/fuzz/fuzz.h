/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what the harnesses in tests/fuzz/ share (docs/fuzz.md): the
 * libFuzzer entry point and FUZZ_CHECK, an oracle that must hold. A
 * failed check prints what failed and aborts, so libFuzzer keeps the
 * input as a crash and the replay runner (replay_main.c) fails.
 */
#ifndef TOE_FUZZ_H
#define TOE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n",    \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

/* Bytes from the fuzz input, 0 once it is used up. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t hi = fuzz_u8(in);

	return (uint16_t)(hi << 8 | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t hi = fuzz_u16(in);

	return hi << 16 | fuzz_u16(in);
}

/* Up to want bytes (fewer at the end of the input): *got of them at the
 * returned pointer. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t want,
					size_t *got)
{
	const uint8_t *p = in->p;

	*got = want < in->n ? want : in->n;
	in->p += *got;
	in->n -= *got;
	return p;
}

/* A NUL-terminated copy of data[0..size) (the harness frees it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < size; i++)
		s[i] = (char)data[i];
	s[size] = 0;
	return s;
}

#endif
