// SPDX-License-Identifier: MIT
//
// toe_sim.cpp - the whole engine (rtl/toe_top.v) as a C object: the
// Verilated model behind the C ABI of sim/toe_sim.h.
//
// One call steps whole clock cycles. Each cycle: the harness drives the
// inputs from its queues (received frames, host bytes, the ready patterns),
// records every handshake that happens at the coming edge (frames out,
// payload out, bytes out), then makes the edge. No output of toe_top
// depends combinationally on an input (every output port comes from
// registers through logic of their own), so the outputs the previous edge
// left are the ones of this cycle: one eval a cycle, the edge's, makes the
// cycle (the input logic settles in it before the edge's logic runs).
// That is checked: with TOE_SIM_CHECK_COMB=1 in the environment each cycle
// also lets the logic settle before the edge, as a model that had such a
// path would need, and aborts if an output changed (the test runner does
// that for a run of its own). With a waveform open, each cycle is the
// three evals a waveform wants (settle, rise, fall). Register
// access goes through the real host bridge: requests encoded and responses
// decoded with the bridge codec (host/common/toe_proto_codec.h, a unit this
// library carries itself: it needs nothing of the host library).
//
// Tracing: an FST file when opts->fst_path is set, or with WAVES=1 in the
// environment ($WAVES_DIR/toe_top-<n>.fst). pcap: both MAC directions,
// nanosecond timestamps from the cycle count (a frame is stamped with the
// cycle of its last beat).

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <pcap/pcap.h>
#include <verilated.h>
#include <verilated_fst_c.h>

#include "toe/toe_regs.h"
#include "Vtoe_top.h"
#include "Vtoe_top___024root.h"
#include "toe_bytes.h"
#include "toe_proto_codec.h"
#include "toe_sim.h"

namespace {

struct rx_frame {
	std::vector<uint8_t> bytes;
	bool bad;
};

struct tx_frame {
	std::vector<uint8_t> bytes;
	uint64_t first, last;
	bool bad;
};

struct pay_pkt {
	std::vector<uint8_t> bytes;
	uint16_t conn;
};

// the response a register access waits for
struct csr_wait {
	uint8_t seq;
	bool done;
	struct toe_proto_frame f;
	uint64_t events;
};

const uint64_t CSR_TIMEOUT_CYCLES = 100000;
// toe_sim_skip_idle stops this many cycles short of a timer deadline
const uint64_t SKIP_MARGIN = 16;
const size_t MAX_FRAME = 16384;

} // namespace

struct toe_sim {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vtoe_top> m;
	std::unique_ptr<VerilatedFstC> trace;

	uint64_t cycle = 0;       // edges made so far
	uint64_t rst_end = 0;     // cycle of the first edge after rst (now = 0)
	uint64_t clock_hz = 156250000;

	// network receive
	std::deque<rx_frame> rxq;
	size_t rx_off = 0;        // bytes of rxq.front() already fed
	unsigned rx_gap = 0;
	unsigned rx_gap_left = 0;
	uint64_t rx_last = 0;

	// network transmit
	std::vector<uint8_t> tx_cur;
	uint64_t tx_first = 0;
	bool tx_in = false;
	std::deque<tx_frame> txq;
	unsigned stall_period = 0, stall_len = 0;

	// user payload
	std::vector<uint8_t> pay_cur;
	uint16_t pay_conn = 0;
	bool pay_in = false;
	std::deque<pay_pkt> payq;
	bool user_ready = true;

	// host byte streams
	std::deque<uint8_t> host_in, host_out;
	bool host_used = true;    // a session PING is due before the next csr call
	uint8_t seq = 0;
	struct toe_proto_dec dec;
	uint64_t events_dropped = 0;

	// one eval a cycle (see the top); check_comb: TOE_SIM_CHECK_COMB=1
	bool one_eval = false;
	bool check_comb = false;

	// pcap
	pcap_t *pd = nullptr;
	pcap_dumper_t *dumper = nullptr;

	~toe_sim()
	{
		// Verilator looks some things up through the thread's "current
		// context" (a model's scopes unregister from it when the model
		// is deleted): make it ours, and forget it once it is gone, so
		// that another engine in this process never sees a dangling one
		if (ctx)
			Verilated::threadContextp(ctx.get());
		if (m)
			m->final();
		if (trace)
			trace->close();
		trace.reset();
		m.reset();
		if (ctx) {
			ctx.reset();
			Verilated::threadContextp(nullptr);
		}
		if (dumper)
			pcap_dump_close(dumper);
		if (pd)
			pcap_close(pd);
	}
};

static void dump(struct toe_sim *s)
{
	if (s->trace)
		s->trace->dump(s->ctx->time());
}

static void pcap_write(struct toe_sim *s, const std::vector<uint8_t> &b, uint64_t cyc)
{
	struct pcap_pkthdr h;
	uint64_t ns;

	if (!s->dumper)
		return;
	ns = (uint64_t)((unsigned __int128)cyc * 1000000000u / s->clock_hz);
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ns % 1000000000u); // nanoseconds (precision nano)
	h.caplen = (bpf_u_int32)b.size();
	h.len = (bpf_u_int32)b.size();
	pcap_dump((u_char *)s->dumper, &h, b.data());
}

namespace {

// The model remembers the clock's value at its last eval to find the
// rising edge (Verilator 5's __Vtrigrprev__TOP__clk): telling it the clock
// was low lets the edge be made by one eval, without an eval at clk = 0
// that would only settle the input logic again. A model without that member
// (another Verilator) gets the eval at clk = 0 instead.
template <typename R, typename = void>
struct probe_clk_prev : std::false_type {
	static void set_low(R &) {}
};
template <typename R>
struct probe_clk_prev<R, std::void_t<decltype(std::declval<R &>().__Vtrigrprev__TOP__clk)>>
	: std::true_type {
	static void set_low(R &r) { r.__Vtrigrprev__TOP__clk = 0; }
};

// The output ports, to compare before and after a settle (check_comb).
struct outs {
	uint64_t m_axis_tdata, m_pay_tdata;
	uint16_t m_pay_tdest, conns_used;
	uint8_t b[14];

	explicit outs(const Vtoe_top *v)
		: m_axis_tdata(v->m_axis_tdata), m_pay_tdata(v->m_pay_tdata),
		  m_pay_tdest(v->m_pay_tdest), conns_used(v->conns_used),
		  b{ v->s_axis_tready, v->m_axis_tkeep, v->m_axis_tvalid, v->m_axis_tlast,
		     v->m_axis_tuser, v->m_pay_tkeep, v->m_pay_tvalid, v->m_pay_tlast,
		     v->s_host_tready, v->m_host_tdata, v->m_host_tvalid, v->m_host_tlast,
		     v->idle, 0 }
	{
	}
	bool operator==(const outs &o) const
	{
		return m_axis_tdata == o.m_axis_tdata && m_pay_tdata == o.m_pay_tdata &&
		       m_pay_tdest == o.m_pay_tdest && conns_used == o.conns_used &&
		       memcmp(b, o.b, sizeof(b)) == 0;
	}
};

} // namespace

// Drive every input for this cycle from the queues.
static void drive(struct toe_sim *s)
{
	Vtoe_top *v = s->m.get();

	v->s_axis_tvalid = 0;
	v->s_axis_tlast = 0;
	v->s_axis_tuser = 0;
	v->s_axis_tkeep = 0;
	v->s_axis_tdata = 0;
	if (!s->rxq.empty() && s->rx_gap_left == 0) {
		const rx_frame &f = s->rxq.front();
		size_t n = f.bytes.size() - s->rx_off;
		uint64_t d = 0;
		unsigned k = n < 8 ? (unsigned)n : 8;

		for (unsigned i = 0; i < k; i++)
			d |= (uint64_t)f.bytes[s->rx_off + i] << (8 * i);
		v->s_axis_tdata = d;
		v->s_axis_tkeep = (uint8_t)((1u << k) - 1);
		v->s_axis_tvalid = 1;
		v->s_axis_tlast = n <= 8;
		v->s_axis_tuser = (n <= 8) && f.bad;
	}
	v->m_axis_tready = !(s->stall_period && (s->cycle % s->stall_period) < s->stall_len);
	v->m_pay_tready = s->user_ready;
	v->s_host_tvalid = !s->host_in.empty();
	v->s_host_tdata = s->host_in.empty() ? 0 : s->host_in.front();
	v->m_host_tready = 1;
}

static void step1(struct toe_sim *s)
{
	Vtoe_top *v = s->m.get();
	bool rx_hs, tx_hs, pay_hs, hin_hs, hout_hs;
	uint64_t txd = 0, payd = 0;
	unsigned txk = 0, payk = 0;
	bool tx_last = false, tx_bad = false, pay_last = false;
	uint16_t pay_dest = 0;
	uint8_t hout = 0;

	// several engines may live in one thread: this one's context is the
	// current one while it runs
	Verilated::threadContextp(s->ctx.get());
	drive(s);
	if (!s->one_eval) {
		v->clk = 0;
		v->eval();
	} else if (s->check_comb) {
		const outs before(v);

		v->clk = 0;
		v->eval();
		if (!(outs(v) == before)) {
			fprintf(stderr, "toe_sim: cycle %llu: an output of toe_top changed with "
				"its inputs (a combinational path from an input to an output): "
				"this library's one eval a cycle needs none\n",
				(unsigned long long)s->cycle);
			abort();
		}
	}

	// the handshakes of this edge
	rx_hs = v->s_axis_tvalid && v->s_axis_tready;
	tx_hs = v->m_axis_tvalid && v->m_axis_tready;
	pay_hs = v->m_pay_tvalid && v->m_pay_tready;
	hin_hs = v->s_host_tvalid && v->s_host_tready;
	hout_hs = v->m_host_tvalid && v->m_host_tready;
	if (tx_hs) {
		txd = v->m_axis_tdata;
		txk = v->m_axis_tkeep;
		tx_last = v->m_axis_tlast;
		tx_bad = v->m_axis_tuser;
	}
	if (pay_hs) {
		payd = v->m_pay_tdata;
		payk = v->m_pay_tkeep;
		pay_last = v->m_pay_tlast;
		pay_dest = v->m_pay_tdest;
	}
	if (hout_hs)
		hout = v->m_host_tdata;

	// the edge
	s->ctx->timeInc(1);
	if (s->one_eval)
		probe_clk_prev<Vtoe_top___024root>::set_low(*v->rootp);
	v->clk = 1;
	v->eval();
	dump(s);
	if (s->trace) {
		s->ctx->timeInc(1);
		v->clk = 0;
		v->eval();
		dump(s);
	}

	// bookkeeping
	if (rx_hs) {
		rx_frame &f = s->rxq.front();
		size_t n = f.bytes.size() - s->rx_off;

		if (n <= 8) {
			s->rx_last = s->cycle;
			pcap_write(s, f.bytes, s->cycle);
			s->rxq.pop_front();
			s->rx_off = 0;
			s->rx_gap_left = s->rx_gap;
		} else {
			s->rx_off += 8;
		}
	} else if (s->rx_gap_left) {
		s->rx_gap_left--;
	}
	if (tx_hs) {
		if (!s->tx_in) {
			s->tx_in = true;
			s->tx_first = s->cycle;
			s->tx_cur.clear();
		}
		for (unsigned i = 0; i < 8; i++)
			if (txk & (1u << i))
				s->tx_cur.push_back((uint8_t)(txd >> (8 * i)));
		if (tx_last) {
			tx_frame f;

			f.bytes.swap(s->tx_cur);
			f.first = s->tx_first;
			f.last = s->cycle;
			f.bad = tx_bad;
			pcap_write(s, f.bytes, s->cycle);
			s->txq.push_back(std::move(f));
			s->tx_in = false;
		}
	}
	if (pay_hs) {
		if (!s->pay_in) {
			s->pay_in = true;
			s->pay_cur.clear();
			s->pay_conn = pay_dest;
		}
		for (unsigned i = 0; i < 8; i++)
			if (payk & (1u << i))
				s->pay_cur.push_back((uint8_t)(payd >> (8 * i)));
		if (pay_last) {
			pay_pkt p;

			p.bytes.swap(s->pay_cur);
			p.conn = s->pay_conn;
			s->payq.push_back(std::move(p));
			s->pay_in = false;
		}
	}
	if (hin_hs)
		s->host_in.pop_front();
	if (hout_hs)
		s->host_out.push_back(hout);
	s->cycle++;
}

static void hold_reset(struct toe_sim *s, unsigned cycles)
{
	Vtoe_top *v = s->m.get();

	if (cycles < 1)
		cycles = 1;
	v->rst = 1;
	for (unsigned i = 0; i < cycles; i++)
		step1(s);
	v->rst = 0;
	s->rst_end = s->cycle;
}

static void clear_queues(struct toe_sim *s)
{
	s->rxq.clear();
	s->rx_off = 0;
	s->rx_gap_left = 0;
	s->tx_cur.clear();
	s->tx_in = false;
	s->txq.clear();
	s->pay_cur.clear();
	s->pay_in = false;
	s->payq.clear();
	s->host_in.clear();
	s->host_out.clear();
	toe_proto_dec_init(&s->dec, 255);
	s->host_used = true;
}

extern "C" struct toe_sim *toe_sim_create(const struct toe_sim_opts *opts)
{
	static unsigned n_opened;
	struct toe_sim_opts o;
	std::unique_ptr<toe_sim> s(new (std::nothrow) toe_sim);
	const char *w = std::getenv("WAVES");
	std::string fst;

	if (!s)
		return nullptr;
	memset(&o, 0, sizeof(o));
	if (opts)
		o = *opts;
	if (o.clock_hz)
		s->clock_hz = o.clock_hz;
	if (o.fst_path && *o.fst_path) {
		fst = o.fst_path;
	} else if (w && std::string(w) == "1") {
		const char *dir = std::getenv("WAVES_DIR");
		std::string d = dir && *dir ? dir : ".";
		std::error_code ec;

		std::filesystem::create_directories(d, ec);
		fst = d + "/toe_top-" + std::to_string(n_opened++) + ".fst";
	}

	s->ctx.reset(new VerilatedContext);
	s->ctx->randReset(2);
	s->ctx->randSeed((int)((o.seed ? o.seed : 1) & 0x7fffffff));
	s->ctx->traceEverOn(true);
	s->m.reset(new Vtoe_top(s->ctx.get(), "toe_top"));
	if (!fst.empty()) {
		s->trace.reset(new VerilatedFstC);
		s->m->trace(s->trace.get(), 99);
		s->trace->open(fst.c_str());
		if (!s->trace->isOpen()) {
			fprintf(stderr, "toe_sim: cannot open FST file %s\n", fst.c_str());
			return nullptr;
		}
	}
	if (o.pcap_path) {
		s->pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							     PCAP_TSTAMP_PRECISION_NANO);
		if (!s->pd) {
			fprintf(stderr, "toe_sim: pcap_open_dead failed\n");
			return nullptr;
		}
		s->dumper = pcap_dump_open(s->pd, o.pcap_path);
		if (!s->dumper) {
			fprintf(stderr, "toe_sim: %s: %s\n", o.pcap_path, pcap_geterr(s->pd));
			return nullptr;
		}
	}
	toe_proto_dec_init(&s->dec, 255);
	{
		const char *c = std::getenv("TOE_SIM_CHECK_COMB");

		s->one_eval = !s->trace && probe_clk_prev<Vtoe_top___024root>::value;
		s->check_comb = c && std::string(c) == "1";
	}
	s->m->clk = 0;
	s->m->rst = 1;
	s->m->eval();
	dump(s.get());
	hold_reset(s.get(), 16);
	return s.release();
}

extern "C" void toe_sim_destroy(struct toe_sim *s)
{
	delete s;
}

extern "C" void toe_sim_reset(struct toe_sim *s, unsigned cycles)
{
	clear_queues(s);
	hold_reset(s, cycles);
	clear_queues(s);
}

extern "C" void toe_sim_step(struct toe_sim *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		step1(s);
}

extern "C" uint64_t toe_sim_cycle(const struct toe_sim *s)
{
	return s->cycle;
}

extern "C" uint64_t toe_sim_time_ns(const struct toe_sim *s)
{
	return (uint64_t)((unsigned __int128)s->cycle * 1000000000u / s->clock_hz);
}

extern "C" uint64_t toe_sim_engine_now(const struct toe_sim *s)
{
	return s->cycle - s->rst_end;
}

extern "C" bool toe_sim_idle(const struct toe_sim *s)
{
	const Vtoe_top *v = s->m.get();

	// payload counts as in flight only while the user takes it
	return s->rxq.empty() && !s->tx_in && s->host_in.empty() &&
	       !v->m_host_tvalid && v->idle && !v->rst &&
	       !(s->user_ready && (v->m_pay_tvalid || s->pay_in));
}

extern "C" int toe_sim_warp(struct toe_sim *s, uint64_t ticks)
{
	Vtoe_top *v = s->m.get();
	Vtoe_top___024root *r = v->rootp;

	if (!toe_sim_idle(s))
		return -EBUSY;
	// the ISN clock must be running (not dividing after a TICK_HZ write)
	if (r->toe_top__DOT__isnclk__DOT__state_reg != 0)
		return -EAGAIN;
	if (ticks == 0)
		return 0;
	// The engine's time is isnclk's now_reg; the ISN clock keeps
	// (q, r) = divmod(now_reg, D) incrementally. Jump all three as if
	// `ticks` idle cycles had passed. Nothing else in the RTL measures time
	// by counting its own cycles while idle (the timer scan compares
	// deadlines with now; a timer that came due fires when the scan
	// reaches it, as it would after a scan lag).
	uint64_t now = r->toe_top__DOT__isnclk__DOT__now_reg + ticks;
	uint32_t d = r->toe_top__DOT__isnclk__DOT__d_reg;
	if (d == 0)
		return -EINVAL;
	r->toe_top__DOT__isnclk__DOT__now_reg = now;
	r->toe_top__DOT__isnclk__DOT__q_reg = (uint32_t)(now / d);
	r->toe_top__DOT__isnclk__DOT__r_reg = (uint32_t)(now % d);
	v->eval();
	s->cycle += ticks;
	// the harness's own idle-cycle count (the gap after a received frame)
	s->rx_gap_left = ticks < s->rx_gap_left ? s->rx_gap_left - (unsigned)ticks : 0;
	return 0;
}

// ---- exact idle skip (toe_sim_next_timer, toe_sim_skip_idle) ----
//
// They read the connection core's timer shadow RAM (rtl/toe_tcb_core.v:
// per id {deadline, timer kind[5:4], state[3:0]}, the deadline in bits
// 6 and up, TOE_CFG_TIME_BITS wide, ticks modulo 2^TOE_CFG_TIME_BITS: the
// fields its timer scan reads) and its scan length conn_limit = min(MAX_CONNS, N_CONN)
// through Verilator's root class. The members are probed at compile time:
// a model without them (the RTL renamed or reshaped them) gets -ENOSYS, and
// its callers fall back (stepping every cycle is always exact, only slower;
// tests/scripts/pkt-engine.sh fails when toe-pkt no longer skips exactly).

namespace {

#define TOE_SIM_PROBE(probe, member)                                          \
	template <typename R, typename = void>                                \
	struct probe : std::false_type {                                      \
	};                                                                    \
	template <typename R>                                                 \
	struct probe<R, std::void_t<decltype(std::declval<R &>().member)>>    \
		: std::true_type {                                            \
		static const auto &get(const R &r) { return r.member; }       \
	};

// toe_tcb_ram's memory is in one of three generate blocks (RW_OLD, A_READ)
TOE_SIM_PROBE(probe_sh_old, toe_top__DOT__core__DOT__tmr_shadow__DOT__g_old__DOT__mem)
TOE_SIM_PROBE(probe_sh_nc, toe_top__DOT__core__DOT__tmr_shadow__DOT__g_nc__DOT__mem)
TOE_SIM_PROBE(probe_sh_nc_w, toe_top__DOT__core__DOT__tmr_shadow__DOT__g_nc_w__DOT__mem)
TOE_SIM_PROBE(probe_conn_limit, toe_top__DOT__core__DOT__conn_limit)
#undef TOE_SIM_PROBE

// Any other memory type: not the layout below.
template <typename M>
int shadow_min(const M &, uint32_t, uint64_t, uint64_t *)
{
	return -ENOSYS;
}

// The shadow word (6 + TOE_CFG_TIME_BITS bits, at most 64: one QData):
// state [3:0] (0 = CLOSED, id free), timer kind [5:4] (0 = none), the
// deadline above, modulo 2^TOE_CFG_TIME_BITS. An armed deadline is within
// 2^(TOE_CFG_TIME_BITS - 1) ticks of now either way (the engine's limits,
// rtl/toe_tcb_layout.vh), so its full value is now plus the signed
// difference of the two stamps.
static_assert(6 + TOE_CFG_TIME_BITS <= 64, "shadow word in one QData");
template <std::size_t D>
int shadow_min(const VlUnpacked<QData, D> &mem, uint32_t limit, uint64_t now,
	       uint64_t *dl)
{
	const unsigned tb = TOE_CFG_TIME_BITS;
	const uint64_t mask = (1ull << tb) - 1;
	uint64_t best = UINT64_MAX;
	bool any = false;

	for (uint32_t i = 0; i < limit && i < D; i++) {
		uint64_t w = mem[i], diff, d;

		if ((w & 0xFu) == 0 || (w >> 4 & 3u) == 0)
			continue;
		diff = ((w >> 6) - now) & mask; /* deadline - now, mod 2^tb */
		if (diff >> (tb - 1)) /* behind now */
			d = now - ((0 - diff) & mask);
		else
			d = now + diff;
		if (d < best)
			best = d;
		any = true;
	}
	*dl = best;
	return any ? 1 : 0;
}

// 1 and *dl (engine now ticks): the earliest deadline of an armed timer
// among the scanned ids; 0: none armed; -ENOSYS. *limit: the scan length.
template <typename R>
int timer_state(const R &r, uint64_t *dl, uint32_t *limit)
{
	const uint64_t now = r.toe_top__DOT__isnclk__DOT__now_reg;

	(void)now;

	if constexpr (!probe_conn_limit<R>::value) {
		return -ENOSYS;
	} else {
		*limit = (uint32_t)probe_conn_limit<R>::get(r);
		if (*limit == 0)
			return -ENOSYS;
		if constexpr (probe_sh_old<R>::value)
			return shadow_min(probe_sh_old<R>::get(r), *limit, now, dl);
		else if constexpr (probe_sh_nc<R>::value)
			return shadow_min(probe_sh_nc<R>::get(r), *limit, now, dl);
		else if constexpr (probe_sh_nc_w<R>::value)
			return shadow_min(probe_sh_nc_w<R>::get(r), *limit, now, dl);
		else
			return -ENOSYS;
	}
}

} // namespace

extern "C" int toe_sim_next_timer(const struct toe_sim *s, uint64_t *cycle)
{
	const Vtoe_top___024root *r = s->m->rootp;
	uint64_t dl = 0;
	uint32_t limit = 0;
	int rc = timer_state(*r, &dl, &limit);

	if (rc == 1 && cycle) {
		uint64_t now = r->toe_top__DOT__isnclk__DOT__now_reg;

		// as a toe_sim_cycle() value (a deadline already passed: now)
		*cycle = s->cycle + (dl > now ? dl - now : 0);
	}
	return rc;
}

extern "C" int64_t toe_sim_skip_idle(struct toe_sim *s, uint64_t max_ticks,
				     uint64_t unit)
{
	const Vtoe_top___024root *r = s->m->rootp;
	uint64_t dl = 0, now, room, k, pass, a, b;
	uint32_t limit = 0;
	int rc;

	if (!toe_sim_idle(s) || r->toe_top__DOT__isnclk__DOT__state_reg != 0)
		return 0;
	rc = timer_state(*r, &dl, &limit);
	if (rc < 0)
		return rc;
	now = r->toe_top__DOT__isnclk__DOT__now_reg;
	room = max_ticks;
	if (rc == 1) {
		// stepping would compare the deadline with now at every cycle
		// of the skip and the cycle after it: stop SKIP_MARGIN short
		if (dl <= now + SKIP_MARGIN)
			return 0;
		if (dl - now - SKIP_MARGIN < room)
			room = dl - now - SKIP_MARGIN;
	}
	// whole scan passes (the scan is where stepping would have left it),
	// and whole units of the caller's
	pass = limit;
	if (unit > 1) {
		for (a = limit, b = unit; b;) {
			uint64_t t = a % b;

			a = b;
			b = t;
		}
		if (unit / a > UINT64_MAX / limit)
			return 0;
		pass = limit / a * unit;
	}
	k = room - room % pass;
	if (k == 0)
		return 0;
	rc = toe_sim_warp(s, k);
	return rc < 0 ? rc : (int64_t)k;
}

extern "C" uint64_t toe_sim_run_until_idle(struct toe_sim *s, uint64_t max_cycles)
{
	uint64_t n = 0;

	while (n < max_cycles && !toe_sim_idle(s)) {
		step1(s);
		n++;
	}
	return n;
}

// ---- network side ----

extern "C" int toe_sim_push_frame(struct toe_sim *s, const uint8_t *buf, size_t len,
				  bool bad)
{
	rx_frame f;

	if (len == 0 || len > MAX_FRAME || !buf)
		return -EINVAL;
	f.bytes.assign(buf, buf + len);
	f.bad = bad;
	s->rxq.push_back(std::move(f));
	return 0;
}

extern "C" size_t toe_sim_rx_pending(const struct toe_sim *s)
{
	return s->rxq.size();
}

extern "C" void toe_sim_set_rx_gap(struct toe_sim *s, unsigned cycles)
{
	s->rx_gap = cycles;
}

extern "C" uint64_t toe_sim_rx_last_cycle(const struct toe_sim *s)
{
	return s->rx_last;
}

extern "C" size_t toe_sim_pop_frame(struct toe_sim *s, uint8_t *buf, size_t cap,
				    uint64_t *first, uint64_t *last, bool *bad)
{
	size_t n;

	if (s->txq.empty())
		return 0;
	const tx_frame &f = s->txq.front();
	n = f.bytes.size();
	if (buf)
		memcpy(buf, f.bytes.data(), n < cap ? n : cap);
	if (first)
		*first = f.first;
	if (last)
		*last = f.last;
	if (bad)
		*bad = f.bad;
	s->txq.pop_front();
	return n;
}

extern "C" size_t toe_sim_tx_pending(const struct toe_sim *s)
{
	return s->txq.size();
}

extern "C" void toe_sim_set_tx_stall(struct toe_sim *s, unsigned period, unsigned stall)
{
	s->stall_period = period;
	s->stall_len = stall;
}

// ---- user payload ----

extern "C" size_t toe_sim_pop_payload(struct toe_sim *s, uint16_t *conn, uint8_t *buf,
				      size_t cap)
{
	size_t n;

	if (s->payq.empty())
		return 0;
	const pay_pkt &p = s->payq.front();
	n = p.bytes.size();
	if (buf)
		memcpy(buf, p.bytes.data(), n < cap ? n : cap);
	if (conn)
		*conn = p.conn;
	s->payq.pop_front();
	return n;
}

extern "C" size_t toe_sim_payload_pending(const struct toe_sim *s)
{
	return s->payq.size();
}

extern "C" void toe_sim_set_user_ready(struct toe_sim *s, bool ready)
{
	s->user_ready = ready;
}

// ---- host byte stream ----

extern "C" void toe_sim_host_write(struct toe_sim *s, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s->host_in.push_back(buf[i]);
	if (n)
		s->host_used = true;
}

extern "C" size_t toe_sim_host_read(struct toe_sim *s, uint8_t *buf, size_t n)
{
	size_t k = 0;

	while (k < n && !s->host_out.empty()) {
		buf[k++] = s->host_out.front();
		s->host_out.pop_front();
	}
	return k;
}

extern "C" size_t toe_sim_host_pending(const struct toe_sim *s)
{
	return s->host_out.size();
}

// ---- register access through the bridge ----

static void on_frame(void *arg, const struct toe_proto_frame *f)
{
	csr_wait *w = static_cast<csr_wait *>(arg);

	if (f->type == TOE_PROTO_T_EVENT) {
		w->events++;
		return;
	}
	if (!w->done && f->seq == w->seq && (f->type & 0x80)) {
		w->f = *f;
		w->done = true;
	}
}

// Feed what the bridge sent so far to the decoder.
static void pump(struct toe_sim *s, csr_wait *w)
{
	uint8_t b[256];
	size_t n;

	while ((n = toe_sim_host_read(s, b, sizeof(b))) > 0)
		toe_proto_dec_feed(&s->dec, b, n, on_frame, w);
}

// One request, its response in *rsp. 0 or a TOE_PROTO_E* code.
static int transact(struct toe_sim *s, uint8_t type, const uint8_t *payload,
		    size_t len, struct toe_proto_frame *rsp)
{
	uint8_t frame[TOE_PROTO_MAX_FRAME];
	csr_wait w;
	int n;

	memset(&w, 0, sizeof(w));
	// whatever is still in the pipe (events, stale answers) goes first
	w.seq = (uint8_t)(s->seq - 1);
	w.done = true;
	pump(s, &w);
	if (!toe_proto_dec_idle(&s->dec))
		toe_proto_dec_timeout(&s->dec, on_frame, &w);
	s->events_dropped += w.events;

	memset(&w, 0, sizeof(w));
	w.seq = s->seq++;
	n = toe_proto_encode(frame, sizeof(frame), type, w.seq, payload, len);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		s->host_in.push_back(frame[i]);
	for (uint64_t c = 0; c < CSR_TIMEOUT_CYCLES && !w.done; c++) {
		step1(s);
		if (!s->host_out.empty())
			pump(s, &w);
	}
	s->events_dropped += w.events;
	if (!w.done)
		return TOE_PROTO_ETIMEDOUT;
	*rsp = w.f;
	if (w.f.type == TOE_PROTO_T_ERROR)
		return w.f.len >= 1 ? toe_proto_err_status(w.f.payload[0]) : TOE_PROTO_EPROTO;
	if (w.f.type != (type | 0x80))
		return TOE_PROTO_EPROTO;
	return 0;
}

// A session PING when the byte stream was used by someone else.
static int session(struct toe_sim *s)
{
	struct toe_proto_frame f;
	int r;

	if (!s->host_used)
		return 0;
	r = transact(s, TOE_PROTO_T_PING, nullptr, 0, &f);
	if (r == 0)
		s->host_used = false;
	return r;
}

static int csr_read_n(struct toe_sim *s, uint32_t addr, uint32_t *val, unsigned count)
{
	struct toe_proto_frame f;
	uint8_t p[3];
	int r;

	if (addr >= TOE_PROTO_ADDR_LIMIT || count == 0 || count > 2)
		return TOE_PROTO_EINVAL;
	r = session(s);
	if (r < 0)
		return r;
	r = transact(s, TOE_PROTO_T_READ, p, toe_proto_read_req(p, addr, count), &f);
	if (r < 0)
		return r;
	if (f.len != 4 * count)
		return TOE_PROTO_EPROTO;
	for (unsigned i = 0; i < count; i++)
		val[i] = toe_get_be32(f.payload + 4 * i);
	return 0;
}

extern "C" int toe_sim_csr_read(struct toe_sim *s, uint32_t addr, uint32_t *val)
{
	return csr_read_n(s, addr, val, 1);
}

extern "C" int toe_sim_csr_write(struct toe_sim *s, uint32_t addr, uint32_t val)
{
	struct toe_proto_frame f;
	uint8_t p[6];
	int r;

	if (addr >= TOE_PROTO_ADDR_LIMIT)
		return TOE_PROTO_EINVAL;
	r = session(s);
	if (r < 0)
		return r;
	r = transact(s, TOE_PROTO_T_WRITE, p, toe_proto_write_req(p, addr, &val, 1), &f);
	if (r < 0)
		return r;
	if (f.len != 1 || f.payload[0] != 1)
		return TOE_PROTO_EPROTO;
	return 0;
}

extern "C" int toe_sim_csr_read64(struct toe_sim *s, uint32_t addr, uint64_t *val)
{
	uint32_t w[2];
	int r;

	// one burst: LO (latches HI) then HI, in ascending order
	r = csr_read_n(s, addr, w, 2);
	if (r < 0)
		return r;
	*val = (uint64_t)w[1] << 32 | w[0];
	return 0;
}

extern "C" int toe_sim_csr_write64(struct toe_sim *s, uint32_t addr, uint64_t val)
{
	int r;

	// HI then LO, two requests (the LO write sets all 64 bits)
	r = toe_sim_csr_write(s, addr + 4, (uint32_t)(val >> 32));
	if (r < 0)
		return r;
	return toe_sim_csr_write(s, addr, (uint32_t)val);
}

extern "C" uint64_t toe_sim_events_dropped(const struct toe_sim *s)
{
	return s->events_dropped;
}
