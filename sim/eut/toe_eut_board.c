/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_board.c - the "board" engine under test: a whole FPGA board top
 * in Verilator, driven at its pins (sim/board/), behind toe_eut.h. One
 * board today: "ecp5-versa", fpga/ecp5-versa/fpga_versa_top.v with the
 * generated LiteEth RGMII PHY + MAC, the clock crossings, toe_top and the
 * 3 Mbaud UART (sim/board/versa_board.h).
 *
 *  - Frames: a received frame goes to the RGMII PHY model (padded to 60
 *    bytes, as the sending NIC's MAC would; the PHY adds preamble, SFD and
 *    FCS) and through LiteEth, the width adapter and the clock-crossing
 *    FIFO into the engine; a frame the FPGA sends is what the PHY model
 *    sampled on TX_CLK / TX_CTL / TXD, its FCS checked there. Their ticks
 *    are those of its first and last byte on the pins.
 *  - Registers: libtoe (the host library) opened on "sim:" with the
 *    board's UART as its engine (sim/board/versa_host.h): every command,
 *    event pop, read-out and configuration is bridge protocol frames of
 *    8N1 characters on uart_rx / uart_tx at 3 Mbaud, the register driver
 *    on top (toe_eut_regs.c, shared with the rtl back end). About 25
 *    bytes, 83 us or 5000 engine cycles, per register access; meanwhile
 *    the link pump (toe_eut_set_pump) keeps frames crossing, as the
 *    board's Ethernet would while its host waits for the UART.
 *  - Payload: the probe on toe_top's user stream (versa_board.h).
 *  - Time: one tick is one cycle of the engine clock the board's PLL
 *    makes (60 MHz, VERSA_CLK_HZ) counted from power-up; TICK_HZ is what
 *    the engine is told a second is (as for rtl: half the model's measured
 *    speed, at least 250 kHz). The board runs every clock all the time
 *    (oscillator, PLL, RGMII at 125 MHz): idle time cannot be skipped.
 *
 * Bring-up (versa_bring_up): power-up, the button, the LEDs checked; two
 * periods of the PHY's reset (2^20 engine cycles each, 35 ms of simulated
 * time): a few seconds of wall time.
 */
#include "toe_eut_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe.h"
#include "toe_transport.h"
#include "versa_host.h"

#ifndef VERSA_PHY_RST_LOG2
#error "VERSA_PHY_RST_LOG2 (the top's parameter the model is built with) must be defined"
#endif

/* Cycles stepped at once while watching for a frame or an event. */
#define STEP_CHUNK 64
/* After a frame or a character on the pins, the board counts as busy this
 * long: the engine's answer (through LiteEth and both clock crossings, a
 * few us) or the bridge's (a few cycles after the request's last byte)
 * starts within it. */
#define BUSY_TAIL_PS VERSA_US(10)
/* Ethernet minimum frame without FCS */
#define MIN_FRAME 60

struct board_eut {
	struct toe_eut_regs r; /* the register driver over libtoe (r.d): first */
	struct versa_board *b;
	struct versa_host h;
	struct toe *t;         /* libtoe on sim:, the board's UART */
	uint64_t pumped;       /* tick of the last pump */
	bool in_pump;
	char errbuf[320];
};

static struct board_eut *B(const struct toe_eut *e)
{
	return (struct board_eut *)(uintptr_t)e;
}

static uint64_t board_tick(const struct toe_eut *e);

/* libtoe stepped the board while it waits for the bridge: let the link
 * pump run (toe_eut_set_pump) every TOE_EUT_PUMP_TICKS */
static void on_step(void *arg)
{
	struct board_eut *be = arg;
	struct toe_eut *e = &be->r.head;
	uint64_t now = board_tick(e);

	if (!e->pump || be->in_pump || now - be->pumped < TOE_EUT_PUMP_TICKS)
		return;
	be->pumped = now;
	be->in_pump = true;
	e->pump(e->pump_arg);
	be->in_pump = false;
}

/* ---- the register driver's bus: libtoe's register access ---- */

static int bus_read(void *ctx, uint32_t addr, uint32_t *val, size_t n)
{
	return toe_reg_read_n(ctx, addr, val, n);
}

static int bus_write(void *ctx, uint32_t addr, const uint32_t *val, size_t n)
{
	return toe_reg_write_n(ctx, addr, val, n);
}

static const struct toe_drv_ops bus_ops = {
	.read = bus_read,
	.write = bus_write,
	.wait = NULL,
};

/* ---- operations ---- */

static void board_free(struct toe_eut *e)
{
	struct board_eut *be = B(e);

	toe_free(be->t);
	versa_board_free(be->b);
	free(be);
}

/* The first bridge error, else the first RGMII or UART error the pin
 * models saw. */
static const char *board_error(const struct toe_eut *e)
{
	struct board_eut *be = B(e);
	const char *r = toe_eut_regs_error(e);
	struct rgmii_phy *p = versa_board_phy(be->b);
	struct uart_host *u = versa_board_uart(be->b);

	if (r) {
		snprintf(be->errbuf, sizeof(be->errbuf), "%s%s%s", r,
			 be->t ? ": " : "", be->t ? toe_errmsg(be->t) : "");
		return be->errbuf;
	}
	if (rgmii_phy_errors(p)) {
		snprintf(be->errbuf, sizeof(be->errbuf), "RGMII PHY model: %u "
			 "errors, the first %s", rgmii_phy_errors(p),
			 rgmii_phy_first_error(p));
		return be->errbuf;
	}
	if (uart_host_framing_errors(u)) {
		snprintf(be->errbuf, sizeof(be->errbuf), "UART model: %u framing "
			 "errors", uart_host_framing_errors(u));
		return be->errbuf;
	}
	return NULL;
}

static struct toe_sim *board_sim(struct toe_eut *e)
{
	(void)e;
	return NULL; /* no toe_sim: the board */
}

/* the host bridge bytes: the UART, as libtoe's sim: engine has them */
static int board_bridge(struct toe_eut *e, const struct toe_sim_engine **eng,
			struct toe_sim **s)
{
	struct board_eut *be = B(e);

	*eng = versa_host_engine(&be->h);
	*s = (struct toe_sim *)(void *)&be->h;
	return 0;
}

static uint64_t board_tick(const struct toe_eut *e)
{
	return versa_cycles_of_ps(versa_board_time_ps(B(e)->b));
}

static void board_step(struct toe_eut *e, uint64_t n)
{
	struct board_eut *be = B(e);

	versa_board_run_until(be->b, versa_ps_of_cycles(board_tick(e) + n));
}

static void board_run(struct toe_eut *e, uint64_t target, unsigned stop,
		      uint64_t quiet)
{
	struct board_eut *be = B(e);

	(void)quiet; /* every clock runs: nothing to skip */
	while (board_tick(e) < target) {
		uint64_t n = target - board_tick(e);

		if (stop && n > STEP_CHUNK)
			n = STEP_CHUNK;
		board_step(e, n);
		if ((stop & TOE_EUT_STOP_FRAME) &&
		    rgmii_phy_recv_pending(versa_board_phy(be->b)))
			return;
		if ((stop & TOE_EUT_STOP_EVENT) &&
		    uart_host_rx_pending(versa_board_uart(be->b)))
			return;
	}
}

/* Stepping makes progress: a frame or character is on its way, or one
 * was a moment ago (its answer is being made). */
static bool board_busy(const struct toe_eut *e)
{
	struct board_eut *be = B(e);
	uint64_t now = versa_board_time_ps(be->b);

	return rgmii_phy_send_pending(versa_board_phy(be->b)) ||
	       uart_host_tx_pending(versa_board_uart(be->b)) ||
	       now < versa_board_last_activity_ps(be->b) + BUSY_TAIL_PS;
}

static int board_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	uint8_t f[MIN_FRAME];

	if (len < MIN_FRAME) {
		/* the sending MAC pads a short frame (IEEE 802.3 4.2.3.3) */
		memset(f, 0, sizeof(f));
		memcpy(f, buf, len);
		buf = f;
		len = MIN_FRAME;
	}
	return rgmii_phy_send(versa_board_phy(B(e)->b), buf, len, 0) < 0 ?
	       TOE_REF_EINVAL : 0;
}

static size_t board_rx_pending(const struct toe_eut *e)
{
	return rgmii_phy_send_pending(versa_board_phy(B(e)->b));
}

static uint64_t board_rx_last_tick(const struct toe_eut *e)
{
	return versa_cycles_of_ps(rgmii_phy_sent_ps(versa_board_phy(B(e)->b)));
}

static size_t board_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			      uint64_t *first, uint64_t *last, bool *bad)
{
	uint64_t t0 = 0, t1 = 0;
	size_t n = rgmii_phy_recv_span(versa_board_phy(B(e)->b), buf, cap, &t0,
				       &t1);

	if (!n)
		return 0;
	if (first)
		*first = versa_cycles_of_ps(t0);
	if (last)
		*last = versa_cycles_of_ps(t1);
	if (bad)
		*bad = false; /* the PHY model queues good frames only */
	return n;
}

static size_t board_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
				size_t cap)
{
	return versa_board_pop_payload(B(e)->b, conn, buf, cap);
}

static size_t board_payload_pending(const struct toe_eut *e)
{
	return versa_board_payload_pending(B(e)->b);
}

static const struct toe_eut_ops board_ops = {
	.free = board_free,
	.error = board_error,
	.sim = board_sim,
	.bridge = board_bridge,
	.tick = board_tick,
	.step = board_step,
	.run = board_run,
	.busy = board_busy,
	.push_frame = board_push_frame,
	.rx_pending = board_rx_pending,
	.rx_last_tick = board_rx_last_tick,
	.pop_frame = board_pop_frame,
	.pop_payload = board_pop_payload,
	.payload_pending = board_payload_pending,
	.command = toe_eut_regs_command,
	.pop_event = toe_eut_regs_pop_event,
	.conn_info = toe_eut_regs_conn_info,
	.conn_state = toe_eut_regs_conn_state,
	.find = toe_eut_regs_find,
	.conn_count = toe_eut_regs_conn_count,
	.stats = toe_eut_regs_stats,
	.csr_read = toe_eut_regs_csr_read,
	.csr_write = toe_eut_regs_csr_write,
};

/* ---- the boards ---- */

const char *toe_eut_board_list(void)
{
	return "ecp5-versa";
}

struct toe_eut *toe_eut_board_new(const struct toe_eut_cfg *cfg, char *err,
				  size_t errlen)
{
	struct board_eut *be;
	struct toe_eut *e;
	int r;

	if (!cfg->board || strcmp(cfg->board, "ecp5-versa")) {
		snprintf(err, errlen, "unknown board '%s' (boards: %s)",
			 cfg->board ? cfg->board : "", toe_eut_board_list());
		return NULL;
	}
	be = calloc(1, sizeof(*be));
	if (!be) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e = &be->r.head;
	e->ops = &board_ops;
	e->cfg = *cfg;
	be->b = versa_board_new(cfg->seed ? cfg->seed : 1);
	if (!be->b) {
		snprintf(err, errlen, "cannot create the board model");
		free(be);
		return NULL;
	}
	if (versa_bring_up(be->b, VERSA_PHY_RST_LOG2, err, errlen) < 0)
		goto fail;

	/* the host library over the UART pins; the link pumped while it
	 * waits */
	be->h.b = be->b;
	be->h.on_step = on_step;
	be->h.step_arg = be;
	be->t = toe_new();
	if (!be->t) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	toe_transport_set_sim_engine(versa_host_engine(&be->h));
	r = toe_open(be->t, "sim:");
	if (r < 0) {
		snprintf(err, errlen, "opening the board over its UART: %s",
			 toe_errmsg(be->t));
		goto fail;
	}
	/* bursts of any length (libtoe splits them at MAX_BURST); EV_POP,
	 * EV_ARG and EV_COUNT in one read (no read of an empty FIFO to end a
	 * batch of events); a command's arguments with CMD: each request
	 * costs tens of us on the wire */
	toe_drv_init(&be->r.d, &bus_ops, be->t);
	be->r.d.burst = ~0u;
	be->r.d.ev_words = 3;
	be->r.cmd_burst = true;
	if (toe_eut_regs_start(e, err, errlen) < 0)
		goto fail;
	e->t0 = board_tick(e);
	snprintf(e->desc, sizeof(e->desc),
		 "ECP5 Versa board model (fpga_versa_top at its pins: LiteEth "
		 "RGMII PHY + MAC, toe_top at %u MHz, %u connections, 3 Mbaud "
		 "UART; TICK_HZ %llu, seed %u, every clock stepped)",
		 VERSA_CLK_HZ / 1000000, e->max_conns,
		 (unsigned long long)e->tick_hz, cfg->seed ? cfg->seed : 1);
	return e;
fail:
	toe_free(be->t);
	versa_board_free(be->b);
	free(be);
	return NULL;
}
