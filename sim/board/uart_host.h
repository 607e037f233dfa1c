/* SPDX-License-Identifier: MIT */
/*
 * uart_host.h - the host side of the board's UART link (the FT2232H's
 * channel B in UART mode, as the ECP5 Versa wires it) at the pin level,
 * in simulated time: 8N1, LSB first, at a fixed baud rate (3 Mbaud for
 * fpga_versa_top).
 *
 * Transmit (the FT2232H's TXD, the FPGA's uart_rx): bytes written with
 * uart_host_write go out back to back, each a start bit (0), eight data
 * bits LSB first and a stop bit (1); bit k of the burst starts at
 * t0 + round(k * 1e12 / baud) ps, so the mean rate is exact. The line
 * idles high.
 *
 * Receive (the FPGA's uart_tx): a falling edge on the idle line starts a
 * character; it is sampled at the middle of each of its ten bits. A start
 * bit that is high again at its middle is a glitch (ignored); a low stop
 * bit is a framing error: the byte is discarded and counted, and the
 * receiver waits for the line to go high. Good bytes are queued for
 * uart_host_read.
 *
 * Pin interface (the board harness, sim/board/versa_board.cpp):
 *   uart_host_next()   the time of the model's next event (UINT64_MAX: none)
 *   uart_host_step()   at that time: the receive line as it is now in,
 *                      the transmit line out
 *   uart_host_line()   the receive line changed at now_ps (the harness
 *                      sees its changes after each evaluation)
 *
 * Line noise (uart_host_set_noise, off by default): each character, in
 * either direction, is hit with probability ppm / 1e6; a hit inverts one of
 * its eight data bits, chosen at random, on the line (transmit: the level
 * driven on uart_rx during that bit; receive: the level sampled from
 * uart_tx in the middle of that bit). Start and stop bits are left alone,
 * so the character keeps its framing and only its value changes: what a
 * CRC must catch. The choices come from a xorshift64* generator per
 * direction seeded from one seed, so a run is reproducible from it.
 */
#ifndef TOE_UART_HOST_H
#define TOE_UART_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uart_host;

struct uart_host *uart_host_new(uint32_t baud);
void uart_host_free(struct uart_host *u);

/* Queue bytes to send to the FPGA. */
void uart_host_write(struct uart_host *u, const uint8_t *buf, size_t n);
/* Bytes not yet completely on the line. */
size_t uart_host_tx_pending(const struct uart_host *u);
/* Take up to n received bytes; returns the count. */
size_t uart_host_read(struct uart_host *u, uint8_t *buf, size_t n);
/* Received bytes not yet read. */
size_t uart_host_rx_pending(const struct uart_host *u);
/* Bytes received so far (taken or not), framing errors, glitches. */
uint64_t uart_host_rx_count(const struct uart_host *u);
unsigned uart_host_framing_errors(const struct uart_host *u);
unsigned uart_host_glitches(const struct uart_host *u);

/* Line noise as above: ppm of the characters each way (0: off, at most
 * 1000000), seed (any value; 0 is taken as 1). Counters start again. */
void uart_host_set_noise(struct uart_host *u, uint32_t ppm, uint64_t seed);
/* Characters hit so far: sent to the FPGA, received from it. */
uint64_t uart_host_noise_tx(const struct uart_host *u);
uint64_t uart_host_noise_rx(const struct uart_host *u);
/* Characters sent to the FPGA so far (counted as their stop bit begins). */
uint64_t uart_host_tx_count(const struct uart_host *u);

/* Forget the bytes received and the receive errors so far (after a reset
 * of the FPGA: what it sent before came from its state at power-up). */
void uart_host_clear_received(struct uart_host *u);

uint64_t uart_host_next(const struct uart_host *u);
/* At now_ps == uart_host_next(): rx is the FPGA's uart_tx now; *tx is the
 * level to drive on the FPGA's uart_rx from now on. */
void uart_host_step(struct uart_host *u, uint64_t now_ps, uint8_t rx,
		    uint8_t *tx);
/* The FPGA's uart_tx changed to level at now_ps. */
void uart_host_line(struct uart_host *u, uint64_t now_ps, uint8_t level);

#ifdef __cplusplus
}
#endif

#endif
