// SPDX-License-Identifier: MIT
//
// siphash_model.cpp - extern "C" wrapper around the Verilated toe_siphash:
// packs key and message bytes into the model's wide ports.

#include <new>

#include "Vtoe_siphash.h"
#include "siphash_model.h"
#include "vblock.h"

struct toe_siphash_model {
	VBlock<Vtoe_siphash> vb;
	explicit toe_siphash_model(uint32_t seed) : vb("toe_siphash", seed) {}
};

extern "C" struct toe_siphash_model *toe_siphash_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_siphash_model(seed);
}

extern "C" void toe_siphash_model_free(struct toe_siphash_model *m)
{
	delete m;
}

extern "C" void toe_siphash_model_reset(struct toe_siphash_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void toe_siphash_model_drive(struct toe_siphash_model *m, bool in_valid,
					const uint8_t key[16], const uint8_t msg[12],
					uint16_t tag, bool out_ready)
{
	Vtoe_siphash *v = m->vb.m;

	v->s_valid = in_valid;
	if (key) {
		// s_key[8*i +: 8] = key[i]
		for (int w = 0; w < 4; w++)
			v->s_key[w] = (uint32_t)key[4 * w] | (uint32_t)key[4 * w + 1] << 8 |
				      (uint32_t)key[4 * w + 2] << 16 |
				      (uint32_t)key[4 * w + 3] << 24;
	}
	if (msg) {
		// s_msg[95:88] = msg[0] ... s_msg[7:0] = msg[11]
		for (int w = 0; w < 3; w++) {
			const uint8_t *b = msg + 8 - 4 * w;
			v->s_msg[w] = (uint32_t)b[3] | (uint32_t)b[2] << 8 |
				      (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
		}
	}
	v->s_user = tag;
	v->m_ready = out_ready;
	m->vb.settle();
}

extern "C" bool toe_siphash_model_in_ready(const struct toe_siphash_model *m)
{
	return m->vb.m->s_ready;
}

extern "C" bool toe_siphash_model_out(const struct toe_siphash_model *m,
				      uint64_t *hash, uint16_t *tag)
{
	const Vtoe_siphash *v = m->vb.m;

	if (!v->m_valid)
		return false;
	*hash = v->m_hash;
	*tag = (uint16_t)v->m_user;
	return true;
}

extern "C" void toe_siphash_model_tick(struct toe_siphash_model *m)
{
	m->vb.tick();
}
