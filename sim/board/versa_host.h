/* SPDX-License-Identifier: MIT */
/*
 * versa_host.h - the ECP5 Versa board model (versa_board.h) brought up and
 * given to the host library: what the board-level test
 * (tests/board/test_board_versa.c) and the board back end of the engine
 * under test (sim/eut/toe_eut_board.c: toe-simd --board=ecp5-versa, the
 * board interop test) share, written once.
 *
 *  - Bring-up: power-up (the PLL model locks, the PHY reset counter makes
 *    its first pass from the random initial state), then the push button,
 *    which resets the whole FPGA from a known state (versa_board.h says
 *    why a press is needed); what the FPGA sent before the press is
 *    forgotten by the PHY and UART models.
 *  - The host link: libtoe's sim: engine (struct toe_sim_engine,
 *    driver/toe_transport.h) whose host bridge bytes are 8N1 characters on
 *    the UART pins (uart_host.h) and whose clock is the board's simulated
 *    time; libtoe runs over it exactly as over ftdi:// on a board.
 *  - Engine cycles: the top's PLL makes 60 MHz (VERSA_CLK_HZ) from the
 *    100 MHz oscillator; cycle c begins at ceil(c * 1e12 / 60e6) ps.
 */
#ifndef TOE_VERSA_HOST_H
#define TOE_VERSA_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "versa_board.h"

struct toe_sim_engine;

#define VERSA_US(x) ((uint64_t)(x) * 1000000ull)

/* LEDs (low = lit), fpga/ecp5-versa/fpga_versa_top.v */
#define VERSA_LED_LINK 0x01
#define VERSA_LED_RX 0x02
#define VERSA_LED_TX 0x04
#define VERSA_LED_PLL 0x40
#define VERSA_LED_LOST 0x80

/* Engine cycles at time ps (rounded down), and the time cycle c begins. */
uint64_t versa_cycles_of_ps(uint64_t ps);
uint64_t versa_ps_of_cycles(uint64_t c);

/*
 * Power-up from time 0: run to 1 us (the PLL model locks after 32 cycles
 * of clk100), *led_1us (may be NULL) the LEDs then; run until the PHY's
 * reset pin rises (the reset counter's first pass, from its random
 * initial value), at most max_ps after time 0; then 5 us (the PHY's
 * clock runs). 0, or -1 if the pin did not rise.
 */
int versa_power_up(struct versa_board *b, uint64_t max_ps, uint8_t *led_1us);

/*
 * The push button for 1 us, released; the models forget what the FPGA
 * sent before; the PHY's reset pin must rise 2^PHY_RST_LOG2 engine cycles
 * after the engine's reset (the caller checks the time), at most max_ps
 * after the release; then RGMII_PHY_START_PS + 5 us (the PHY's clock runs,
 * LiteEth's PHY side leaves its reset). 0, or -1: the pin was high while
 * the button was pressed (*rst_ps = 0) or did not rise (*rst_ps =
 * UINT64_MAX). *rst_ps: from the release to the pin's rise, in ps, with
 * 10 ns resolution.
 */
int versa_press_button(struct versa_board *b, uint64_t max_ps,
		       uint64_t *rst_ps);

/*
 * Power-up and the button as above (each bounded by the board's own
 * PHY reset time, 2^phy_rst_log2 engine cycles, with margin), then the
 * LEDs a user sees on a healthy board: PLL locked, link up (the RGMII
 * in-band status), nothing lost, no frame. 0, or -1 with the reason in
 * err.
 */
int versa_bring_up(struct versa_board *b, unsigned phy_rst_log2, char *err,
		   size_t errlen);

/* ---- libtoe's sim: engine on the board's UART pins ---- */

struct versa_host {
	struct versa_board *b;
	/* a step that would pass this simulated time calls on_limit first
	 * (a watchdog: a test fails there); 0: none */
	uint64_t limit_ps;
	void (*on_limit)(void *arg, uint64_t now_ps);
	void *arg;
	/* called after each step libtoe makes while it waits for the bridge
	 * (NULL: none): the rest of the board's world (its Ethernet link)
	 * goes on meanwhile; it must not use libtoe itself */
	void (*on_step)(void *arg);
	void *step_arg;
};

/*
 * The engine to register with toe_transport_set_sim_engine() before
 * toe_open(t, "sim:"): that open gets h's board (which it does not own:
 * closing the handle leaves the board alone). One board at a time: the
 * next call hands out the next one. Every register access is then 8N1
 * characters on uart_rx / uart_tx at 3 Mbaud, in simulated time.
 */
const struct toe_sim_engine *versa_host_engine(struct versa_host *h);

#endif
