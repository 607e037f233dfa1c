// SPDX-License-Identifier: MIT
//
// skid_model.cpp - extern "C" wrapper around the Verilated toe_skid.

#include <new>

#include "Vtoe_skid.h"
#include "skid_model.h"
#include "vblock.h"

struct toe_skid_model {
	VBlock<Vtoe_skid> vb;
	explicit toe_skid_model(uint32_t seed) : vb("toe_skid", seed) {}
};

extern "C" struct toe_skid_model *toe_skid_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_skid_model(seed);
}

extern "C" void toe_skid_model_free(struct toe_skid_model *m)
{
	delete m;
}

extern "C" void toe_skid_model_reset(struct toe_skid_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void toe_skid_model_drive(struct toe_skid_model *m, bool s_valid,
				     const struct toe_axis_beat *beat, bool m_ready)
{
	Vtoe_skid *v = m->vb.m;
	axis_drive(v, s_valid, beat);
	v->m_axis_tready = m_ready;
	m->vb.settle();
}

extern "C" bool toe_skid_model_s_ready(const struct toe_skid_model *m)
{
	return m->vb.m->s_axis_tready;
}

extern "C" bool toe_skid_model_m_valid(const struct toe_skid_model *m,
				       struct toe_axis_beat *beat)
{
	const Vtoe_skid *v = m->vb.m;
	return axis_peek(v, beat);
}

extern "C" void toe_skid_model_tick(struct toe_skid_model *m)
{
	m->vb.tick();
}
