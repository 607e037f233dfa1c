// SPDX-License-Identifier: MIT
//
// bridge_model.cpp - extern "C" wrapper around the Verilated
// toe_test_bridge_top (host bridge + test CSR target): drives the ports,
// logs the CSR accesses the target takes and counts the bridge's
// statistics pulses.

#include <new>
#include <vector>

#include "Vtoe_test_bridge_top.h"
#include "bridge_model.h"
#include "vblock.h"

struct toe_bridge_model {
	VBlock<Vtoe_test_bridge_top> vb;
	std::vector<toe_bridge_access> log;
	toe_bridge_stats st{};
	explicit toe_bridge_model(uint32_t seed) : vb("toe_host_bridge", seed) {}
};

extern "C" struct toe_bridge_model *toe_bridge_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_bridge_model(seed);
}

extern "C" void toe_bridge_model_free(struct toe_bridge_model *m)
{
	delete m;
}

extern "C" void toe_bridge_model_reset(struct toe_bridge_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void toe_bridge_model_drive(struct toe_bridge_model *m,
				       const struct toe_bridge_in *in)
{
	Vtoe_test_bridge_top *v = m->vb.m;

	v->s_axis_tvalid = in->in_valid;
	v->s_axis_tdata = in->in_data;
	v->m_axis_tready = in->out_ready;
	v->csr_stall = in->csr_stall;
	v->csr_hold = in->csr_hold;
	v->ev_push = in->ev_push;
	v->ev_type = in->ev_type & 0xF;
	v->ev_conn = in->ev_conn;
	v->ev_arg = in->ev_arg;
	m->vb.settle();
}

extern "C" bool toe_bridge_model_in_ready(const struct toe_bridge_model *m)
{
	return m->vb.m->s_axis_tready;
}

extern "C" bool toe_bridge_model_out(const struct toe_bridge_model *m,
				     uint8_t *byte, bool *last)
{
	const Vtoe_test_bridge_top *v = m->vb.m;

	if (!v->m_axis_tvalid)
		return false;
	*byte = v->m_axis_tdata;
	*last = v->m_axis_tlast;
	return true;
}

extern "C" bool toe_bridge_model_csr_busy(const struct toe_bridge_model *m)
{
	return m->vb.m->csr_busy;
}

extern "C" unsigned toe_bridge_model_ev_count(const struct toe_bridge_model *m)
{
	return m->vb.m->ev_count;
}

extern "C" void toe_bridge_model_tick(struct toe_bridge_model *m)
{
	Vtoe_test_bridge_top *v = m->vb.m;

	// the access offered and taken in this cycle (inputs settled)
	v->eval();
	if (v->obs_valid && !v->rst) {
		toe_bridge_access a;

		a.we = v->obs_we;
		a.err = v->obs_err;
		a.addr = v->obs_addr;
		a.data = v->obs_data;
		a.cycle = m->vb.cycles;
		m->log.push_back(a);
	}
	m->vb.tick();
	// registered pulses: one cycle each
	m->st.frames += v->stat_frame;
	m->st.crc_err += v->stat_crc_err;
	m->st.oversize += v->stat_oversize;
	m->st.timeout += v->stat_timeout;
	m->st.replay += v->stat_replay;
}

extern "C" uint64_t toe_bridge_model_cycles(const struct toe_bridge_model *m)
{
	return m->vb.cycles;
}

extern "C" size_t toe_bridge_model_log(const struct toe_bridge_model *m,
				       const struct toe_bridge_access **log)
{
	*log = m->log.data();
	return m->log.size();
}

extern "C" void toe_bridge_model_stats(const struct toe_bridge_model *m,
				       struct toe_bridge_stats *st)
{
	*st = m->st;
}
