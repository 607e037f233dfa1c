/* SPDX-License-Identifier: MIT */
/*
 * versa_board.h - the ECP5 Versa board top (fpga/ecp5-versa/fpga_versa_top.v)
 * as a Verilator model driven through its pins only, in simulated time:
 * the 100 MHz oscillator, the push button, the RGMII PHY
 * (rgmii_phy.h) and the FT2232H's UART (uart_host.h). The ECP5 primitives
 * are the behavioural models of fpga/common/sim/, the PHY + MAC the
 * LiteEth netlist generated at build time (mk/95-fpga.mk).
 *
 * Time is in picoseconds. The harness keeps one event schedule: the
 * oscillator's edges (every 5 ns), the PHY's and the UART's events, and
 * the model's own timed events (the PLL model's CLKOP edges, Verilator
 * --timing); at each event time the models read the FPGA's outputs as
 * they stand, drive their inputs (the button's level too), and the model
 * is evaluated once.
 *
 * Power-up: the board starts with the button released and every register
 * random (the seed). Verilator's asynchronous presets are edge-triggered,
 * as in every simulator, and a 2-state simulator has no X -> 1 edge at
 * time 0: a reset level that is high from the start is not seen, where the
 * silicon's presets are level-sensitive (and the ECP5 zeroes its
 * registers at configuration). A test that needs a reset from a known
 * state presses the button once the board is up (test_board_versa.c).
 *
 * Probe: one thing is read inside the FPGA rather than at a pin, the
 * payload stream toe_top delivers to the user logic (m_pay, which the
 * board's counting sink takes; no pin carries it): the harness collects
 * each beat the sink takes at a rising edge of the engine clock, as a
 * logic analyser on that interface would (sim/board/versa_probe.vlt keeps
 * those signals readable). It never drives anything.
 *
 * Waves: WAVES=1 in the environment writes $WAVES_DIR/versa-<n>.fst
 * (large: every evaluation is dumped).
 */
#ifndef TOE_VERSA_BOARD_H
#define TOE_VERSA_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rgmii_phy.h"
#include "uart_host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VERSA_CLK100_HALF_PS 5000ull
#define VERSA_BAUD 3000000u
/* the engine clock the top's PLL makes: 100 MHz * 3 / 5 */
#define VERSA_CLK_HZ 60000000u

struct versa_board;

/* A board at time 0, powered up; seed sets the model's uninitialised
 * registers (Verilator --x-initial unique). NULL if it cannot start. */
struct versa_board *versa_board_new(uint32_t seed);
void versa_board_free(struct versa_board *b);

uint64_t versa_board_time_ps(const struct versa_board *b);
/* Run until time t_ps (nothing if it has passed). */
void versa_board_run_until(struct versa_board *b, uint64_t t_ps);
/* Model evaluations so far (a cost figure). */
uint64_t versa_board_evals(const struct versa_board *b);

struct rgmii_phy *versa_board_phy(struct versa_board *b);
struct uart_host *versa_board_uart(struct versa_board *b);

/* The push button (rst_n low while pressed), from the next event on. */
void versa_board_button(struct versa_board *b, bool pressed);

/* The pins the test reads: led[7:0] (low = lit), the PHY's reset. */
uint8_t versa_board_led(const struct versa_board *b);
bool versa_board_eth_rst_n(const struct versa_board *b);

/* The last time a UART line was low or changed, or RX_CTL / TX_CTL was
 * high (a frame or a character on its way), in ps. */
uint64_t versa_board_last_activity_ps(const struct versa_board *b);

/* The payload probe: the oldest packet the user logic received (one
 * m_pay packet, tlast ending it): its length (copying at most cap bytes),
 * 0 if none; *conn its connection id (tdest). */
size_t versa_board_pop_payload(struct versa_board *b, uint16_t *conn,
			       uint8_t *buf, size_t cap);
size_t versa_board_payload_pending(const struct versa_board *b);
/* Beats taken so far. */
uint64_t versa_board_payload_beats(const struct versa_board *b);

#ifdef __cplusplus
}
#endif

#endif
