// SPDX-License-Identifier: MIT
//
// txbuild_model.cpp - extern "C" wrapper around the Verilated toe_tx_build.

#include <new>

#include "Vtoe_tx_build.h"
#include "txbuild_model.h"
#include "vblock.h"

struct toe_txbuild_model {
	VBlock<Vtoe_tx_build> vb;
	explicit toe_txbuild_model(uint32_t seed) : vb("toe_tx_build", seed) {}
};

// MAC bytes to the 48-bit port value (byte 0 in bits 47:40)
static uint64_t mac_word(const uint8_t b[6])
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | b[i];
	return v;
}

extern "C" struct toe_txbuild_model *toe_txbuild_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_txbuild_model(seed);
}

extern "C" void toe_txbuild_model_free(struct toe_txbuild_model *m)
{
	delete m;
}

extern "C" void toe_txbuild_model_reset(struct toe_txbuild_model *m, unsigned n)
{
	m->vb.m->s_hdr_valid = 0;
	m->vb.reset(n);
}

extern "C" void toe_txbuild_model_drive(struct toe_txbuild_model *m, bool valid,
					const struct toe_txbuild_desc *d, bool m_ready)
{
	Vtoe_tx_build *v = m->vb.m;
	v->s_hdr_valid = valid;
	if (d) {
		v->s_hdr_dst_mac = mac_word(d->dst_mac);
		v->s_hdr_src_mac = mac_word(d->src_mac);
		v->s_hdr_src_ip = d->src_ip;
		v->s_hdr_dst_ip = d->dst_ip;
		v->s_hdr_ip_id = d->ip_id;
		v->s_hdr_ttl = d->ttl;
		v->s_hdr_df = d->df;
		v->s_hdr_tos = d->tos;
		v->s_hdr_src_port = d->src_port;
		v->s_hdr_dst_port = d->dst_port;
		v->s_hdr_seq = d->seq;
		v->s_hdr_ack = d->ack;
		v->s_hdr_flags = d->flags;
		v->s_hdr_win = d->win;
		v->s_hdr_mss_valid = d->mss_valid;
		v->s_hdr_mss = d->mss;
	}
	v->m_axis_tready = m_ready;
	m->vb.settle();
}

extern "C" bool toe_txbuild_model_s_ready(const struct toe_txbuild_model *m)
{
	return m->vb.m->s_hdr_ready;
}

extern "C" bool toe_txbuild_model_m_valid(const struct toe_txbuild_model *m,
					  struct toe_axis_beat *beat)
{
	const Vtoe_tx_build *v = m->vb.m;
	return axis_peek(v, beat);
}

extern "C" void toe_txbuild_model_tick(struct toe_txbuild_model *m)
{
	m->vb.tick();
}

extern "C" uint64_t toe_txbuild_model_cycles(const struct toe_txbuild_model *m)
{
	return m->vb.cycles;
}
