// SPDX-License-Identifier: MIT
//
// rxparse_model.cpp - extern "C" wrapper around the Verilated toe_rx_parse.

#include <new>

#include "Vtoe_rx_parse.h"
#include "rxparse_model.h"
#include "vblock.h"

struct toe_rxparse_model {
	VBlock<Vtoe_rx_parse> vb;
	explicit toe_rxparse_model(uint32_t seed) : vb("toe_rx_parse", seed) {}
};

// 48-bit MAC, byte 0 in bits 47:40, to bytes
static void mac_bytes(uint64_t v, uint8_t out[6])
{
	for (int i = 0; i < 6; i++)
		out[i] = static_cast<uint8_t>(v >> (40 - 8 * i));
}

extern "C" struct toe_rxparse_model *toe_rxparse_model_new(uint32_t seed)
{
	return new (std::nothrow) toe_rxparse_model(seed);
}

extern "C" void toe_rxparse_model_free(struct toe_rxparse_model *m)
{
	delete m;
}

extern "C" void toe_rxparse_model_reset(struct toe_rxparse_model *m, unsigned n)
{
	m->vb.m->s_axis_tvalid = 0;
	m->vb.reset(n);
}

extern "C" void toe_rxparse_model_drive(struct toe_rxparse_model *m, bool s_valid,
					const struct toe_axis_beat *beat,
					bool hdr_ready, bool pay_ready)
{
	Vtoe_rx_parse *v = m->vb.m;
	axis_drive(v, s_valid, beat);
	v->m_hdr_ready = hdr_ready;
	v->m_axis_tready = pay_ready;
	m->vb.settle();
}

extern "C" bool toe_rxparse_model_s_ready(const struct toe_rxparse_model *m)
{
	return m->vb.m->s_axis_tready;
}

extern "C" bool toe_rxparse_model_hdr(const struct toe_rxparse_model *m,
				      struct toe_rxparse_hdr *h)
{
	const Vtoe_rx_parse *v = m->vb.m;
	if (!v->m_hdr_valid)
		return false;
	h->reason = v->m_hdr_reason;
	h->arp = v->m_hdr_arp;
	h->icmp = v->m_hdr_icmp;
	mac_bytes(v->m_hdr_dst_mac, h->dst_mac);
	mac_bytes(v->m_hdr_src_mac, h->src_mac);
	h->ethertype = v->m_hdr_ethertype;
	h->ip_ihl = v->m_hdr_ip_ihl;
	h->ip_tos = v->m_hdr_ip_tos;
	h->ip_ttl = v->m_hdr_ip_ttl;
	h->ip_proto = v->m_hdr_ip_proto;
	h->ip_len = v->m_hdr_ip_len;
	h->ip_id = v->m_hdr_ip_id;
	h->ip_csum = v->m_hdr_ip_csum;
	h->ip_df = v->m_hdr_ip_df;
	h->src_ip = v->m_hdr_src_ip;
	h->dst_ip = v->m_hdr_dst_ip;
	h->src_port = v->m_hdr_src_port;
	h->dst_port = v->m_hdr_dst_port;
	h->seq = v->m_hdr_seq;
	h->ack = v->m_hdr_ack;
	h->doff = v->m_hdr_doff;
	h->flags = v->m_hdr_flags;
	h->win = v->m_hdr_win;
	h->tcp_csum = v->m_hdr_tcp_csum;
	h->urg = v->m_hdr_urg;
	h->mss_valid = v->m_hdr_mss_valid;
	h->mss = v->m_hdr_mss;
	h->len = v->m_hdr_len;
	h->pay_pkt = v->m_hdr_pay_pkt;
	return true;
}

extern "C" bool toe_rxparse_model_pay(const struct toe_rxparse_model *m,
				      struct toe_axis_beat *beat)
{
	const Vtoe_rx_parse *v = m->vb.m;
	return axis_peek(v, beat);
}

extern "C" void toe_rxparse_model_tick(struct toe_rxparse_model *m)
{
	m->vb.tick();
}

extern "C" uint64_t toe_rxparse_model_cycles(const struct toe_rxparse_model *m)
{
	return m->vb.cycles;
}
