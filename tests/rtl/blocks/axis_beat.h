/* SPDX-License-Identifier: MIT */
/*
 * axis_beat.h - one beat of the engine's 64-bit AXI4-Stream frame buses, as
 * the block-model wrappers of tests/rtl/blocks hand it to the C tests, and
 * (in C++) the two adapters between it and a Verilated block's s_axis_* /
 * m_axis_* ports. Written once for every block with a frame stream.
 */
#ifndef TOE_SIM_AXIS_BEAT_H
#define TOE_SIM_AXIS_BEAT_H

#include <stdbool.h>
#include <stdint.h>

/* One AXI4-Stream beat: frame byte 8*n + i in bits 8i+7..8i of data;
 * user = bad frame. */
struct toe_axis_beat {
	uint64_t data;
	uint8_t keep;
	bool last;
	bool user;
};

#ifdef __cplusplus
/* Drive a block's s_axis input: valid, and the beat when there is one
 * (the data ports keep their last value otherwise). */
template <class V>
static inline void axis_drive(V *v, bool valid, const struct toe_axis_beat *beat)
{
	v->s_axis_tvalid = valid;
	if (beat) {
		v->s_axis_tdata = beat->data;
		v->s_axis_tkeep = beat->keep;
		v->s_axis_tlast = beat->last;
		v->s_axis_tuser = beat->user;
	}
}

/* A block's m_axis output: false when it offers nothing, else the beat. */
template <class V>
static inline bool axis_peek(const V *v, struct toe_axis_beat *beat)
{
	if (!v->m_axis_tvalid)
		return false;
	beat->data = v->m_axis_tdata;
	beat->keep = v->m_axis_tkeep;
	beat->last = v->m_axis_tlast;
	beat->user = v->m_axis_tuser;
	return true;
}
#endif

#endif
