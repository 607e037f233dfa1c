// SPDX-License-Identifier: MIT
//
// versa_board.cpp - fpga_versa_top driven through its pins in simulated
// time (versa_board.h).

#include "versa_board.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "Vfpga_versa_top.h"
// the probed signals (versa_probe.vlt)
#include "Vfpga_versa_top___024root.h"

// a packet of the payload stream, as the user logic received it
struct versa_pay {
	uint16_t conn;
	std::vector<uint8_t> bytes;
};

struct versa_board {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vfpga_versa_top> top;
	std::unique_ptr<VerilatedFstC> trace;
	struct rgmii_phy *phy = nullptr;
	struct uart_host *uart = nullptr;
	uint64_t t_clk100 = 0, t_phy = 0;
	uint8_t uart_tx = 1;
	bool button = false; // pressed: rst_n low
	uint64_t evals = 0;
	bool started = false;
	uint64_t t_active = 0; // the last time a UART line or RX/TX_CTL moved
	// the payload probe
	std::deque<versa_pay> payq;
	versa_pay pay_cur;
	bool pay_in = false;
	uint64_t pay_beats = 0;

	~versa_board()
	{
		if (top)
			top->final();
		if (trace)
			trace->close();
		rgmii_phy_free(phy);
		uart_host_free(uart);
	}

	// A beat the user logic took at a rising edge of clk: m_pay as it
	// stood before the edge (m_pay_tready is 1 on the board).
	void pay_beat(uint64_t d, uint8_t keep, bool last, uint16_t dest)
	{
		pay_beats++;
		if (!pay_in) {
			pay_in = true;
			pay_cur.bytes.clear();
			pay_cur.conn = dest;
		}
		for (unsigned i = 0; i < 8; i++)
			if (keep & (1u << i))
				pay_cur.bytes.push_back((uint8_t)(d >> (8 * i)));
		if (last) {
			payq.push_back(std::move(pay_cur));
			pay_cur = versa_pay();
			pay_in = false;
		}
	}

	void eval(uint64_t t)
	{
		Vfpga_versa_top___024root *r = top->rootp;
		// m_pay changes only at clk's rising edges: as it is now, it is
		// what the sink samples at an edge in this evaluation
		uint8_t clk0 = r->fpga_versa_top__DOT__clk;
		bool pv = r->fpga_versa_top__DOT__core__DOT__m_pay_tvalid;
		uint64_t pd = r->fpga_versa_top__DOT__core__DOT__m_pay_tdata;
		uint8_t pk = r->fpga_versa_top__DOT__core__DOT__m_pay_tkeep;
		bool pl = r->fpga_versa_top__DOT__core__DOT__m_pay_tlast;
		uint16_t pdest = r->fpga_versa_top__DOT__core__DOT__m_pay_tdest;

		top->eval();
		evals++;
		if (trace)
			trace->dump(t);
		if (!clk0 && r->fpga_versa_top__DOT__clk && pv)
			pay_beat(pd, pk, pl, pdest);
		if (top->uart_tx != uart_tx) {
			uart_tx = top->uart_tx;
			uart_host_line(uart, t, uart_tx);
			t_active = t;
		}
		if (top->eth_tx_ctl || top->eth_rx_ctl || !top->uart_rx)
			t_active = t;
	}

	void run_until(uint64_t t_end)
	{
		if (!started) {
			started = true;
			top->clk100 = 0;
			top->rst_n = 1;
			top->uart_rx = 1;
			top->eth_rx_clk = 0;
			top->eth_rx_ctl = 0;
			top->eth_rxd = 0;
			eval(0);
		}
		for (;;) {
			uint64_t now = ctx->time(), t = t_end, u;

			if (t_clk100 < t)
				t = t_clk100;
			if (t_phy < t)
				t = t_phy;
			u = uart_host_next(uart);
			if (u < t)
				t = u;
			if (top->eventsPending() && top->nextTimeSlot() < t)
				t = top->nextTimeSlot();
			if (t < now)
				t = now;
			if (t > now)
				ctx->time(t);
			if (t == t_end && t_end == now)
				break;
			// the models read the FPGA's outputs as they stand, then
			// drive their inputs for from now on
			if (t_clk100 <= t) {
				top->clk100 = !top->clk100;
				t_clk100 += VERSA_CLK100_HALF_PS;
			}
			top->rst_n = !button;
			if (t_phy <= t) {
				struct rgmii_pins p;

				p.rx_clk = top->eth_rx_clk;
				p.rx_ctl = top->eth_rx_ctl;
				p.rxd = top->eth_rxd;
				p.rst_n = top->eth_rst_n;
				p.tx_clk = top->eth_tx_clk;
				p.tx_ctl = top->eth_tx_ctl;
				p.txd = top->eth_txd;
				t_phy = rgmii_phy_step(phy, t, &p);
				top->eth_rx_clk = p.rx_clk;
				top->eth_rx_ctl = p.rx_ctl;
				top->eth_rxd = p.rxd;
			}
			if (uart_host_next(uart) <= t) {
				uint8_t line;

				uart_host_step(uart, t, top->uart_tx, &line);
				top->uart_rx = line;
			}
			eval(t);
			if (t >= t_end)
				break;
		}
	}
};

extern "C" struct versa_board *versa_board_new(uint32_t seed)
{
	std::unique_ptr<versa_board> b(new (std::nothrow) versa_board);

	if (!b)
		return nullptr;
	b->ctx.reset(new VerilatedContext);
	const char *argv[2] = { "versa", "+trace" };
	const char *w = std::getenv("WAVES");
	bool waves = w && std::string(w) == "1";
	b->ctx->commandArgs(waves ? 2 : 1, argv);
	b->ctx->randReset(2);
	b->ctx->randSeed(static_cast<int>(seed & 0x7fffffff));
	b->ctx->traceEverOn(waves);
	b->top.reset(new Vfpga_versa_top(b->ctx.get(), "versa"));
	if (waves) {
		static unsigned n_opened;
		const char *dir = std::getenv("WAVES_DIR");
		std::string d = dir && *dir ? dir : ".";
		std::error_code ec;
		std::filesystem::create_directories(d, ec);
		std::string path = d + "/versa-" + std::to_string(n_opened++) + ".fst";
		b->trace.reset(new VerilatedFstC);
		b->top->trace(b->trace.get(), 99);
		b->trace->open(path.c_str());
	}
	b->phy = rgmii_phy_new();
	b->uart = uart_host_new(VERSA_BAUD);
	if (!b->phy || !b->uart)
		return nullptr;
	b->run_until(0);
	return b.release();
}

extern "C" void versa_board_free(struct versa_board *b)
{
	delete b;
}

extern "C" uint64_t versa_board_time_ps(const struct versa_board *b)
{
	return b->ctx->time();
}

extern "C" void versa_board_run_until(struct versa_board *b, uint64_t t_ps)
{
	if (t_ps >= b->ctx->time())
		b->run_until(t_ps);
}

extern "C" uint64_t versa_board_evals(const struct versa_board *b)
{
	return b->evals;
}

extern "C" struct rgmii_phy *versa_board_phy(struct versa_board *b)
{
	return b->phy;
}

extern "C" struct uart_host *versa_board_uart(struct versa_board *b)
{
	return b->uart;
}

extern "C" void versa_board_button(struct versa_board *b, bool pressed)
{
	b->button = pressed;
}

extern "C" uint8_t versa_board_led(const struct versa_board *b)
{
	return b->top->led;
}

extern "C" bool versa_board_eth_rst_n(const struct versa_board *b)
{
	return b->top->eth_rst_n;
}

extern "C" uint64_t versa_board_last_activity_ps(const struct versa_board *b)
{
	return b->t_active;
}

extern "C" size_t versa_board_pop_payload(struct versa_board *b, uint16_t *conn,
					  uint8_t *buf, size_t cap)
{
	size_t n;

	if (b->payq.empty())
		return 0;
	versa_pay &p = b->payq.front();
	n = p.bytes.size();
	if (conn)
		*conn = p.conn;
	if (n)
		std::memcpy(buf, p.bytes.data(), n < cap ? n : cap);
	b->payq.pop_front();
	return n;
}

extern "C" size_t versa_board_payload_pending(const struct versa_board *b)
{
	return b->payq.size();
}

extern "C" uint64_t versa_board_payload_beats(const struct versa_board *b)
{
	return b->pay_beats;
}
