// SPDX-License-Identifier: MIT
//
// vblock.h - the C++ harness every block-model wrapper in tests/rtl/blocks uses:
// owns the VerilatedContext (smart pointer, commandArgs before the model),
// the model and an optional FST trace, and steps the clock.
//
// Timing convention, for cycle-based C tests:
//   1. the test sets the inputs (clk is low);
//   2. settle() evaluates the combinational logic, so outputs that depend on
//      inputs (a ready, say) can be read and a handshake decided;
//   3. tick() makes one rising edge, then brings clk low again; registered
//      outputs now show the state after the edge.
//
// Waves are opt-in: with WAVES=1 in the environment (make WAVES=1 ...), or
// +trace among the arguments, each model writes
// $WAVES_DIR/<name>-<n>.fst (WAVES_DIR defaults to "."), <n> counting the
// models opened by this process. final() is called and the trace closed when
// the harness is destroyed.
//
// The model must have ports `clk` and `rst` (active high, synchronous).

#ifndef TOE_SIM_VBLOCK_H
#define TOE_SIM_VBLOCK_H

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <verilated.h>
#include <verilated_fst_c.h>

template <class Model> class VBlock {
public:
	// name: used for the trace file; seed: initial random register values
	// (--x-initial unique), so a missing reset shows up.
	VBlock(const char *name, uint32_t seed)
		: ctx(new VerilatedContext)
	{
		const char *argv[2] = { name, "+trace" };
		const char *w = std::getenv("WAVES");
		bool waves = w && std::string(w) == "1";
		ctx->commandArgs(waves ? 2 : 1, argv);
		ctx->randReset(2);
		ctx->randSeed(static_cast<int>(seed & 0x7fffffff));
		ctx->traceEverOn(true);
		model.reset(new Model(ctx.get(), name));
		m = model.get();
		if (std::string(ctx->commandArgsPlusMatch("trace")) == "+trace")
			open_trace(name);
		m->clk = 0;
		m->rst = 1;
		m->eval();
		dump();
	}

	~VBlock()
	{
		m->final();
		if (trace)
			trace->close();
	}

	VBlock(const VBlock &) = delete;
	VBlock &operator=(const VBlock &) = delete;

	// Evaluate combinational logic after the inputs changed (clk low).
	void settle() { m->eval(); }

	// One clock cycle: rising edge, then falling edge.
	void tick()
	{
		m->eval();
		ctx->timeInc(1);
		m->clk = 1;
		m->eval();
		dump();
		ctx->timeInc(1);
		m->clk = 0;
		m->eval();
		dump();
		cycles++;
	}

	// Hold rst for n cycles, then release it (inputs are the caller's).
	void reset(unsigned n)
	{
		m->rst = 1;
		for (unsigned i = 0; i < n; i++)
			tick();
		m->rst = 0;
		m->eval();
	}

	Model *m = nullptr;  // the model's ports
	uint64_t cycles = 0; // rising edges so far

private:
	void open_trace(const char *name)
	{
		static unsigned n_opened;
		const char *dir = std::getenv("WAVES_DIR");
		std::string d = dir && *dir ? dir : ".";
		std::error_code ec;
		std::filesystem::create_directories(d, ec);
		std::string path = d + "/" + name + "-" + std::to_string(n_opened++) + ".fst";
		trace.reset(new VerilatedFstC);
		m->trace(trace.get(), 99);
		trace->open(path.c_str());
	}

	void dump()
	{
		if (trace)
			trace->dump(ctx->time());
	}

	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Model> model;
	std::unique_ptr<VerilatedFstC> trace;
};

#endif
