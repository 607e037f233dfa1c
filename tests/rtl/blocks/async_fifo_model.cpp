// SPDX-License-Identifier: MIT
//
// async_fifo_model.cpp - extern "C" wrapper around the Verilated
// fpga_async_fifo: two clocks, so its own small harness instead of
// vblock.h (which steps one clk). Waves with WAVES=1 as vblock.h.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <new>
#include <string>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "Vfpga_async_fifo.h"
#include "async_fifo_model.h"

struct fpga_async_fifo_model {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vfpga_async_fifo> v;
	std::unique_ptr<VerilatedFstC> trace;
	uint64_t next_w, next_r, wper, rper, now = 0;

	fpga_async_fifo_model(uint32_t seed, unsigned wp, unsigned wph, unsigned rp,
			      unsigned rph)
		: ctx(new VerilatedContext), next_w(wph), next_r(rph), wper(wp), rper(rp)
	{
		const char *argv[1] = { "fpga_async_fifo" };
		ctx->commandArgs(1, argv);
		ctx->randReset(2);
		ctx->randSeed(static_cast<int>(seed & 0x7fffffff));
		ctx->traceEverOn(true);
		v.reset(new Vfpga_async_fifo(ctx.get(), "fpga_async_fifo"));
		const char *w = std::getenv("WAVES");
		if (w && std::string(w) == "1") {
			static unsigned n_opened;
			const char *dir = std::getenv("WAVES_DIR");
			std::string d = dir && *dir ? dir : ".";
			std::error_code ec;
			std::filesystem::create_directories(d, ec);
			trace.reset(new VerilatedFstC);
			v->trace(trace.get(), 99);
			trace->open((d + "/fpga_async_fifo-" + std::to_string(n_opened++) +
				     ".fst").c_str());
		}
		v->wclk = 0;
		v->rclk = 0;
		v->wrst = 1;
		v->rrst = 1;
		v->eval();
	}

	~fpga_async_fifo_model()
	{
		v->final();
		if (trace)
			trace->close();
	}

	void dump()
	{
		if (trace)
			trace->dump(ctx->time());
	}

	void edge()
	{
		bool w = next_w <= next_r;
		now = w ? next_w : next_r;
		// time in ps; the falling edge 1 ps later (no logic uses it)
		ctx->time(now * 2);
		v->eval();
		if (w)
			v->wclk = 1;
		else
			v->rclk = 1;
		v->eval();
		dump();
		ctx->time(now * 2 + 1);
		v->wclk = 0;
		v->rclk = 0;
		v->eval();
		dump();
		if (w)
			next_w += wper;
		else
			next_r += rper;
	}
};

extern "C" struct fpga_async_fifo_model *
fpga_async_fifo_model_new(uint32_t seed, unsigned wper_ps, unsigned wphase_ps,
			  unsigned rper_ps, unsigned rphase_ps)
{
	if (wper_ps == 0 || rper_ps == 0)
		return nullptr;
	return new (std::nothrow)
		fpga_async_fifo_model(seed, wper_ps, wphase_ps, rper_ps, rphase_ps);
}

extern "C" void fpga_async_fifo_model_free(struct fpga_async_fifo_model *m)
{
	delete m;
}

extern "C" void fpga_async_fifo_model_reset(struct fpga_async_fifo_model *m, unsigned n)
{
	unsigned nw = 0, nr = 0;

	m->v->wrst = 1;
	m->v->rrst = 1;
	while (nw < n || nr < n) {
		if (m->next_w <= m->next_r)
			nw++;
		else
			nr++;
		m->edge();
	}
	m->v->wrst = 0;
	m->v->rrst = 0;
	m->v->eval();
}

extern "C" enum fifo_clk fpga_async_fifo_model_next(const struct fpga_async_fifo_model *m)
{
	return m->next_w <= m->next_r ? FIFO_WCLK : FIFO_RCLK;
}

extern "C" void fpga_async_fifo_model_drive(struct fpga_async_fifo_model *m,
					    struct fpga_async_fifo_io *io)
{
	Vfpga_async_fifo *v = m->v.get();
	v->s_valid = io->s_valid;
	v->s_data = io->s_data;
	v->s_last = io->s_last;
	v->m_ready = io->m_ready;
	v->eval();
	io->s_ready = v->s_ready;
	io->dropped = v->dropped;
	io->m_valid = v->m_valid;
	io->m_data = v->m_data;
	io->m_last = v->m_last;
}

extern "C" void fpga_async_fifo_model_edge(struct fpga_async_fifo_model *m)
{
	m->edge();
}

extern "C" uint64_t fpga_async_fifo_model_time(const struct fpga_async_fifo_model *m)
{
	return m->now;
}
