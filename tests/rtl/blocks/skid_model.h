/* SPDX-License-Identifier: MIT */
/*
 * skid_model.h - the toe_skid RTL (DATA_W 64, USER_W 1) as a C object:
 * set the sink-side beat and the source-side ready, look at the handshakes,
 * step the clock. See vblock.h for the timing convention.
 */
#ifndef TOE_SIM_SKID_MODEL_H
#define TOE_SIM_SKID_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "axis_beat.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_skid_model;

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_skid_model *toe_skid_model_new(uint32_t seed);
void toe_skid_model_free(struct toe_skid_model *m);
/* Hold rst for n cycles, then release it. */
void toe_skid_model_reset(struct toe_skid_model *m, unsigned n);

/* Drive s_axis (beat may be NULL when valid is false) and m_axis_tready,
 * and evaluate. */
void toe_skid_model_drive(struct toe_skid_model *m, bool s_valid,
			  const struct toe_axis_beat *beat, bool m_ready);
/* s_axis_tready, after toe_skid_model_drive. */
bool toe_skid_model_s_ready(const struct toe_skid_model *m);
/* m_axis_tvalid; when set, *beat gets the output beat. */
bool toe_skid_model_m_valid(const struct toe_skid_model *m,
			    struct toe_axis_beat *beat);
/* One rising clock edge. */
void toe_skid_model_tick(struct toe_skid_model *m);

#ifdef __cplusplus
}
#endif

#endif
