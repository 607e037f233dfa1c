// SPDX-License-Identifier: MIT
//
// l2_model.cpp - extern "C" wrapper around the Verilated toe_l2_resp.

#include <new>

#include "Vtoe_l2_resp.h"
#include "l2_model.h"
#include "vblock.h"

struct toe_l2_model {
	VBlock<Vtoe_l2_resp> vb;
	explicit toe_l2_model(uint32_t seed) : vb("toe_l2_resp", seed) {}
};

extern "C" struct toe_l2_model *toe_l2_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_l2_model(seed);
}

extern "C" void toe_l2_model_free(struct toe_l2_model *m)
{
	delete m;
}

extern "C" void toe_l2_model_reset(struct toe_l2_model *m, unsigned n)
{
	m->vb.reset(n);
}

extern "C" void toe_l2_model_config(struct toe_l2_model *m, const uint8_t mac[6],
				    uint32_t ip, uint8_t ttl, bool arp_en, bool ping_en)
{
	Vtoe_l2_resp *v = m->vb.m;
	uint64_t mac48 = 0;

	// cfg_mac[47:40] = byte 0 (first on the wire)
	for (int i = 0; i < 6; i++)
		mac48 = mac48 << 8 | mac[i];
	v->cfg_mac = mac48;
	v->cfg_ip = ip;
	v->cfg_ttl = ttl;
	v->cfg_arp_en = arp_en;
	v->cfg_ping_en = ping_en;
	m->vb.settle();
}

extern "C" void toe_l2_model_drive(struct toe_l2_model *m, bool s_valid,
				   const struct toe_axis_beat *beat, bool m_ready,
				   uint16_t ip_id)
{
	Vtoe_l2_resp *v = m->vb.m;

	axis_drive(v, s_valid, beat);
	v->m_axis_tready = m_ready;
	v->cfg_ip_id = ip_id;
	m->vb.settle();
}

extern "C" bool toe_l2_model_s_ready(const struct toe_l2_model *m)
{
	return m->vb.m->s_axis_tready;
}

extern "C" bool toe_l2_model_m_valid(const struct toe_l2_model *m,
				     struct toe_axis_beat *beat)
{
	const Vtoe_l2_resp *v = m->vb.m;

	return axis_peek(v, beat);
}

extern "C" bool toe_l2_model_ip_id_take(const struct toe_l2_model *m)
{
	return m->vb.m->ip_id_take;
}

extern "C" void toe_l2_model_get_stats(const struct toe_l2_model *m,
				   struct toe_l2_model_stats *st)
{
	const Vtoe_l2_resp *v = m->vb.m;

	st->arp_replies = v->stat_arp_replies;
	st->arp_busy = v->stat_arp_busy;
	st->icmp_replies = v->stat_icmp_replies;
	st->icmp_busy = v->stat_icmp_busy;
	// stat_drop is 9 x 32 bits, reason code r in word r - 1
	for (int i = 0; i < 9; i++)
		st->drop[i] = v->stat_drop[i];
}

extern "C" void toe_l2_model_tick(struct toe_l2_model *m)
{
	m->vb.tick();
}
