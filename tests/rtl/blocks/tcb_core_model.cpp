// SPDX-License-Identifier: MIT
//
// tcb_core_model.cpp - extern "C" wrapper around the Verilated toe_tcb_core
// (see tcb_core_model.h). One call = some whole clock cycles; each cycle
// drives the queued inputs, lets the logic settle, records every handshake
// that happens on that edge, then ticks.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>

#include "Vtoe_tcb_core.h"
#include "tcb_core_model.h"
#include "vblock.h"
#include "test_rng.h"

#ifndef TM_N_CONN
#define TM_N_CONN 1024 // the N_CONN default of toe_tcb_core
#endif

struct tm_pending_cmd {
	int op;
	int conn;
	uint16_t lport, rport;
	uint32_t rip;
	uint64_t rmac;
	struct tm_fixture fx;
};


struct tcb_core_model {
	VBlock<Vtoe_tcb_core> vb;
	std::deque<struct tm_seg> segq;
	// the front of segq was announced on s_pf_* (as toe_top_seg announces
	// a segment a cycle before it offers it, when it can): offered from
	// the next cycle on
	bool head_announced = false;
	std::deque<tm_tx> txq;
	std::deque<tm_ev> evq;
	std::deque<tm_pl> plq;

	uint64_t now = 0;
	bool rx_ready = true;
	bool pin_valid = false;
	uint32_t pin = 0;
	tm_isn_fn isn_fn = nullptr;
	void *isn_ctx = nullptr;
	bool isn_rsp = false;
	uint32_t isn_val = 0;

	bool cmd_offer = false; // offered, not taken yet
	bool cmd_wait = false;  // taken, result not seen yet
	tm_pending_cmd cmd{};
	bool cmd_have = false;
	int cmd_err = 0, cmd_conn = 0;

	bool info_req = false;
	int info_id = 0;
	bool info_have = false;
	struct tm_info info{};

	unsigned bp_pct = 100;
	uint64_t bp_rng = 1;
	bool scan_restart = false;
	uint64_t last_seg_cycle = 0;

	explicit tcb_core_model(uint32_t seed) : vb("toe_tcb_core", seed) {}

	bool rnd_ready()
	{
		return bp_pct >= 100 || rng_next(&bp_rng) % 100 < bp_pct;
	}

	void drive_cfg(const tm_cfg *c)
	{
		Vtoe_tcb_core *v = vb.m;
		v->cfg_local_ip = c->local_ip;
		v->cfg_local_mac = c->local_mac;
		v->cfg_mtu = c->mtu;
		v->cfg_rcv_wnd = c->rcv_wnd;
		v->cfg_syn_wnd = c->syn_wnd;
		v->cfg_ttl = c->ttl;
		v->cfg_df = c->df;
		v->cfg_ip_id_init = c->ip_id_init;
		v->cfg_ip_id_step = c->ip_id_step;
		v->cfg_ip_id_load = 0;
		v->cfg_rto_init = c->rto_init;
		v->cfg_rto_max = c->rto_max;
		v->cfg_syn_giveup = c->syn_giveup;
		v->cfg_synack_giveup = c->synack_giveup;
		v->cfg_fin_giveup = c->fin_giveup;
		v->cfg_msl = c->msl;
		v->cfg_ca_limit = c->ca_limit;
		v->cfg_ca_window = c->ca_window;
		v->cfg_max_conns = c->max_conns;
		v->cfg_max_listeners = c->max_listeners;
		for (int w = 0; w < 4; w++) {
			uint32_t x = 0;
			for (int b = 0; b < 4; b++)
				x |= (uint32_t)c->hash_key[w * 4 + b] << (8 * b);
			v->cfg_hash_key[w] = x;
		}
	}

	void cycle()
	{
		Vtoe_tcb_core *v = vb.m;

		v->now = now;
		v->rx_ready = rx_ready;
		v->cfg_isn_pin_valid = pin_valid;
		v->cfg_isn_pin = pin;
		v->scan_restart = scan_restart;

		// Offer the front once it has been announced; announce (s_pf_*)
		// the segment the core would be offered next cycle: the front if
		// it is not taken now, else the one after it. s_seg_ready is the
		// sequencer's IDLE, a register: its value from the last edge.
		const bool offer = !segq.empty() && head_announced;
		const bool take_now = offer && v->s_seg_ready;
		const struct tm_seg *nx = take_now ? (segq.size() > 1 ? &segq[1] : nullptr)
						   : (segq.empty() ? nullptr : &segq.front());
		v->s_pf_valid = nx != nullptr;
		v->s_pf_key = nx ? ((uint64_t)nx->src_port << 48 | (uint64_t)nx->src_ip << 16 |
				    nx->dst_port)
				 : 0;
		if (offer) {
			const struct tm_seg &s = segq.front();
			v->s_seg_valid = 1;
			v->s_seg_src_mac = s.src_mac;
			v->s_seg_src_ip = s.src_ip;
			v->s_seg_dst_ip = s.dst_ip;
			v->s_seg_src_port = s.src_port;
			v->s_seg_dst_port = s.dst_port;
			v->s_seg_seq = s.seq;
			v->s_seg_ack = s.ack;
			v->s_seg_flags = s.flags;
			v->s_seg_win = s.win;
			v->s_seg_mss_valid = s.mss_valid;
			v->s_seg_mss = s.mss;
			v->s_seg_len = s.len;
			v->s_seg_isn = s.isn;
		} else {
			v->s_seg_valid = 0;
		}

		v->cmd_valid = cmd_offer;
		if (cmd_offer) {
			v->cmd_op = cmd.op;
			v->cmd_conn = (uint16_t)cmd.conn;
			v->cmd_local_port = cmd.lport;
			v->cmd_remote_ip = cmd.rip;
			v->cmd_remote_port = cmd.rport;
			v->cmd_remote_mac = cmd.rmac;
			v->cmd_fx_state = cmd.fx.state;
			v->cmd_fx_iss = cmd.fx.iss;
			v->cmd_fx_irs = cmd.fx.irs;
			v->cmd_fx_snd_una = cmd.fx.snd_una;
			v->cmd_fx_snd_nxt = cmd.fx.snd_nxt;
			v->cmd_fx_snd_wnd = cmd.fx.snd_wnd;
			v->cmd_fx_rcv_nxt = cmd.fx.rcv_nxt;
			v->cmd_fx_peer_mss = cmd.fx.peer_mss;
			v->cmd_fx_passive = cmd.fx.passive;
			v->cmd_fx_cbu = cmd.fx.closed_by_user;
			v->cmd_fx_wr_shut = cmd.fx.wr_shut;
		}

		v->isn_req_ready = 1;
		v->isn_rsp_valid = isn_rsp;
		v->isn_rsp_isn = isn_val;

		v->info_req = info_req;
		v->info_id = (uint16_t)info_id;

		v->m_tx_ready = rnd_ready();
		v->m_ev_ready = rnd_ready();
		v->m_pl_ready = rnd_ready();

		vb.settle();

		uint64_t cyc = vb.cycles;
		bool seg_fire = v->s_seg_valid && v->s_seg_ready;
		if (seg_fire != take_now) {
			fprintf(stderr, "tcb_core_model: s_seg_ready changed within a cycle\n");
			abort();
		}
		bool cmd_fire = v->cmd_valid && v->cmd_ready;
		if (v->m_tx_valid && v->m_tx_ready) {
			tm_tx t{};
			t.dst_mac = v->m_tx_dst_mac;
			t.src_mac = v->m_tx_src_mac;
			t.src_ip = v->m_tx_src_ip;
			t.dst_ip = v->m_tx_dst_ip;
			t.src_port = v->m_tx_src_port;
			t.dst_port = v->m_tx_dst_port;
			t.seq = v->m_tx_seq;
			t.ack = v->m_tx_ack;
			t.flags = v->m_tx_flags;
			t.win = v->m_tx_win;
			t.mss_valid = v->m_tx_mss_valid;
			t.mss = v->m_tx_mss;
			t.ip_id = v->m_tx_ip_id;
			t.ttl = v->m_tx_ttl;
			t.df = v->m_tx_df;
			t.conn = v->m_tx_conn_valid ? (int)v->m_tx_conn : -1;
			t.cycle = cyc;
			txq.push_back(t);
		}
		if (v->m_ev_valid && v->m_ev_ready) {
			tm_ev e{};
			e.type = v->m_ev_type;
			e.conn = v->m_ev_conn;
			e.arg = v->m_ev_arg;
			e.cycle = cyc;
			evq.push_back(e);
		}
		if (v->m_pl_valid && v->m_pl_ready) {
			tm_pl p{};
			p.deliver = v->m_pl_deliver;
			p.conn = v->m_pl_conn;
			p.off = v->m_pl_off;
			p.len = v->m_pl_len;
			p.cycle = cyc;
			plq.push_back(p);
		}
		if (v->cmd_rsp_valid && cmd_wait) {
			cmd_wait = false;
			cmd_have = true;
			cmd_err = v->cmd_rsp_err;
			cmd_conn = v->cmd_rsp_conn;
		}
		if (v->info_valid) {
			info_have = true;
			info.state = v->info_state;
			info.passive = v->info_passive;
			info.closed_by_user = v->info_cbu;
			info.wr_shut = v->info_wr_shut;
			info.local_port = v->info_local_port;
			info.remote_ip = v->info_remote_ip;
			info.remote_port = v->info_remote_port;
			info.remote_mac = v->info_remote_mac;
			info.iss = v->info_iss;
			info.irs = v->info_irs;
			info.snd_una = v->info_snd_una;
			info.snd_nxt = v->info_snd_nxt;
			info.snd_wnd = v->info_snd_wnd;
			info.max_snd_wnd = v->info_max_snd_wnd;
			info.rcv_nxt = v->info_rcv_nxt;
			info.peer_mss = v->info_peer_mss;
			info.eff_mss = v->info_eff_mss;
			info.retransmits = v->info_retransmits;
		}
		bool isn_next = false;
		if (v->isn_req_valid && v->isn_req_ready) {
			isn_next = true;
			isn_val = isn_fn ? isn_fn(isn_ctx, v->isn_req_local_port,
						  v->isn_req_remote_ip,
						  v->isn_req_remote_port)
					 : 0;
		}
		bool consume = v->isn_pin_consume;

		vb.tick();

		if (seg_fire) {
			segq.pop_front();
			last_seg_cycle = cyc;
		}
		// what was announced this cycle is offered from the next on
		head_announced = nx != nullptr;
		if (cmd_fire) {
			cmd_offer = false;
			cmd_wait = true;
		}
		if (consume)
			pin_valid = false;
		isn_rsp = isn_next;
		info_req = false;
		scan_restart = false;
	}

	bool quiet()
	{
		Vtoe_tcb_core *v = vb.m;
		return segq.empty() && !cmd_offer && !cmd_wait && v->idle &&
		       !v->m_tx_valid && !v->m_ev_valid && !v->m_pl_valid;
	}
};

extern "C" unsigned tm_n_conn(void)
{
	return TM_N_CONN;
}

extern "C" struct tcb_core_model *tm_new(uint32_t seed, const struct tm_cfg *cfg)
{
	tcb_core_model *m = new (std::nothrow) tcb_core_model(seed);
	if (!m)
		return nullptr;
	m->drive_cfg(cfg);
	m->vb.reset(4);
	// the tables clear themselves: N_CONN cycles and a little
	for (unsigned i = 0; i < TM_N_CONN + 2048 && !m->vb.m->s_seg_ready; i++)
		m->cycle();
	if (!m->vb.m->s_seg_ready) {
		delete m;
		return nullptr;
	}
	return m;
}

extern "C" void tm_free(struct tcb_core_model *m)
{
	delete m;
}

extern "C" void tm_set_now(struct tcb_core_model *m, uint64_t now)
{
	m->now = now;
}

extern "C" uint64_t tm_now(const struct tcb_core_model *m)
{
	return m->now;
}

extern "C" void tm_set_rx_ready(struct tcb_core_model *m, bool ready)
{
	m->rx_ready = ready;
}

extern "C" void tm_pin_isn(struct tcb_core_model *m, uint32_t isn)
{
	m->pin_valid = true;
	m->pin = isn;
}

extern "C" void tm_set_isn_fn(struct tcb_core_model *m, tm_isn_fn fn, void *ctx)
{
	m->isn_fn = fn;
	m->isn_ctx = ctx;
}

extern "C" void tm_set_backpressure(struct tcb_core_model *m, unsigned pct,
				    uint32_t seed)
{
	m->bp_pct = pct;
	m->bp_rng = ((uint64_t)seed << 1) | 1;
}

extern "C" void tm_run(struct tcb_core_model *m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		m->cycle();
}

extern "C" uint64_t tm_input(struct tcb_core_model *m, const struct tm_seg *s)
{
	m->segq.push_back(*s);
	while (!m->segq.empty())
		m->cycle();
	return m->last_seg_cycle;
}

extern "C" bool tm_settle(struct tcb_core_model *m, unsigned max_cycles)
{
	for (unsigned i = 0; i < max_cycles; i++) {
		if (m->quiet())
			return true;
		m->cycle();
	}
	return m->quiet();
}

extern "C" void tm_scan_pass(struct tcb_core_model *m)
{
	// no settling first: with the new `now` the scanner would already
	// fire timers from wherever it stands (out of id order)
	m->scan_restart = true;
	m->cycle();
	uint32_t p0 = m->vb.m->scan_passes;
	while (m->vb.m->scan_passes == p0)
		m->cycle();
	// the last id's read is evaluated, and queued if due, two cycles on
	m->cycle();
	m->cycle();
	tm_settle(m, 1000000);
}

extern "C" int tm_cmd(struct tcb_core_model *m, int op, int conn,
		      uint16_t local_port, uint32_t remote_ip,
		      uint16_t remote_port, uint64_t remote_mac)
{
	std::memset(&m->cmd, 0, sizeof(m->cmd));
	m->cmd.op = op;
	m->cmd.conn = conn;
	m->cmd.lport = local_port;
	m->cmd.rip = remote_ip;
	m->cmd.rport = remote_port;
	m->cmd.rmac = remote_mac;
	m->cmd_offer = true;
	m->cmd_have = false;
	for (unsigned i = 0; i < 1000000 && !m->cmd_have; i++)
		m->cycle();
	if (!m->cmd_have)
		return -100;
	if (m->cmd_err)
		return -m->cmd_err;
	return op == TM_CMD_CONNECT ? m->cmd_conn : 0;
}

extern "C" int tm_listen(struct tcb_core_model *m, uint16_t port)
{
	return tm_cmd(m, TM_CMD_LISTEN, 0, port, 0, 0, 0);
}

extern "C" int tm_unlisten(struct tcb_core_model *m, uint16_t port)
{
	return tm_cmd(m, TM_CMD_UNLISTEN, 0, port, 0, 0, 0);
}

extern "C" int tm_connect(struct tcb_core_model *m, uint16_t local_port,
			  uint32_t remote_ip, uint16_t remote_port,
			  uint64_t remote_mac)
{
	return tm_cmd(m, TM_CMD_CONNECT, 0, local_port, remote_ip, remote_port,
		      remote_mac);
}

extern "C" int tm_close(struct tcb_core_model *m, int conn)
{
	return tm_cmd(m, TM_CMD_CLOSE, conn, 0, 0, 0, 0);
}

extern "C" int tm_shutdown(struct tcb_core_model *m, int conn)
{
	return tm_cmd(m, TM_CMD_SHUTDOWN, conn, 0, 0, 0, 0);
}

extern "C" int tm_abort(struct tcb_core_model *m, int conn)
{
	return tm_cmd(m, TM_CMD_ABORT, conn, 0, 0, 0, 0);
}

extern "C" int tm_make_fixture(struct tcb_core_model *m, const struct tm_fixture *f)
{
	std::memset(&m->cmd, 0, sizeof(m->cmd));
	m->cmd.op = TM_CMD_FIXTURE;
	m->cmd.lport = f->local_port;
	m->cmd.rip = f->remote_ip;
	m->cmd.rport = f->remote_port;
	m->cmd.rmac = f->remote_mac;
	m->cmd.fx = *f;
	m->cmd_offer = true;
	m->cmd_have = false;
	for (unsigned i = 0; i < 1000000 && !m->cmd_have; i++)
		m->cycle();
	if (!m->cmd_have)
		return -100;
	return m->cmd_err ? -m->cmd_err : m->cmd_conn;
}

extern "C" int tm_pop_tx(struct tcb_core_model *m, struct tm_tx *tx)
{
	if (m->txq.empty())
		return 0;
	*tx = m->txq.front();
	m->txq.pop_front();
	return 1;
}

extern "C" int tm_pop_ev(struct tcb_core_model *m, struct tm_ev *ev)
{
	if (m->evq.empty())
		return 0;
	*ev = m->evq.front();
	m->evq.pop_front();
	return 1;
}

extern "C" int tm_pop_pl(struct tcb_core_model *m, struct tm_pl *pl)
{
	if (m->plq.empty())
		return 0;
	*pl = m->plq.front();
	m->plq.pop_front();
	return 1;
}

extern "C" unsigned tm_tx_pending(const struct tcb_core_model *m)
{
	return (unsigned)m->txq.size();
}

extern "C" unsigned tm_ev_pending(const struct tcb_core_model *m)
{
	return (unsigned)m->evq.size();
}

extern "C" int tm_get_info(struct tcb_core_model *m, int conn, struct tm_info *info)
{
	if (conn < 0 || (unsigned)conn >= TM_N_CONN) {
		std::memset(info, 0, sizeof(*info));
		return -4;
	}
	m->info_req = true;
	m->info_id = conn;
	m->info_have = false;
	for (unsigned i = 0; i < 8 && !m->info_have; i++)
		m->cycle();
	*info = m->info;
	return m->info_have && m->info.state != 0 ? 0 : -4;
}

extern "C" void tm_get_stats(struct tcb_core_model *m, struct tm_stats *st)
{
	Vtoe_tcb_core *v = m->vb.m;
	m->vb.settle();
	st->segs_in = v->stat_segs_in;
	st->segs_out = v->stat_segs_out;
	st->rst_out = v->stat_rst_out;
	st->challenge_acks = v->stat_challenge_acks;
	st->challenge_acks_suppressed = v->stat_challenge_acks_suppressed;
	st->dropped = v->stat_dropped;
	st->rx_bytes = v->stat_rx_bytes;
	st->retransmits = v->stat_retransmits;
	st->table_full = v->stat_table_full;
	st->timers_inline = v->stat_timers_inline;
}

extern "C" uint64_t tm_cycles(const struct tcb_core_model *m)
{
	return m->vb.cycles;
}

extern "C" uint32_t tm_scan_passes(const struct tcb_core_model *m)
{
	return m->vb.m->scan_passes;
}

extern "C" uint64_t tm_last_seg_cycle(const struct tcb_core_model *m)
{
	return m->last_seg_cycle;
}
