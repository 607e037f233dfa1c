/* SPDX-License-Identifier: MIT */
/*
 * siphash_model.h - the toe_siphash RTL (SipHash-2-4 of a 12-byte message)
 * as a C object: drive an input (key, message, tag) and the output ready,
 * look at the handshakes, step the clock. See vblock.h for the timing
 * convention. The model is built with a 16-bit tag (USER_W = 16).
 */
#ifndef TOE_SIM_SIPHASH_MODEL_H
#define TOE_SIM_SIPHASH_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_siphash_model;

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_siphash_model *toe_siphash_model_new(uint32_t seed);
void toe_siphash_model_free(struct toe_siphash_model *m);
/* Hold rst for n cycles, then release it. */
void toe_siphash_model_reset(struct toe_siphash_model *m, unsigned n);

/*
 * Drive the input side (key: the 16 SipHash key bytes; msg: the 12 message
 * bytes in wire order; both may be NULL when in_valid is false) and the
 * output ready, and evaluate.
 */
void toe_siphash_model_drive(struct toe_siphash_model *m, bool in_valid,
			     const uint8_t key[16], const uint8_t msg[12],
			     uint16_t tag, bool out_ready);
/* s_ready, after toe_siphash_model_drive. */
bool toe_siphash_model_in_ready(const struct toe_siphash_model *m);
/* m_valid; when set, *hash gets the result (the little-endian integer
 * libsodium's 8 output bytes make) and *tag its tag. */
bool toe_siphash_model_out(const struct toe_siphash_model *m, uint64_t *hash,
			   uint16_t *tag);
/* One rising clock edge. */
void toe_siphash_model_tick(struct toe_siphash_model *m);

#ifdef __cplusplus
}
#endif

#endif
