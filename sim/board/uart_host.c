/* SPDX-License-Identifier: MIT */
/*
 * uart_host.c - the FT2232H side of the board's UART, 8N1 in simulated
 * time (uart_host.h).
 */
#include "uart_host.h"
#include "test_rng.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PS_PER_S 1000000000000ull
#define QCAP 65536u /* bytes per direction; a bridge frame is < 300 */

/* line noise, one direction (uart_host.h) */
struct noise {
	uint32_t ppm;
	uint64_t rng; /* xorshift64* state, never 0 */
	uint64_t hits;
};

struct uart_host {
	uint32_t baud;
	struct noise noise_tx, noise_rx;
	uint64_t tx_count;
	/* transmit: a ring of bytes, the burst's bit clock */
	uint8_t txq[QCAP];
	size_t tx_head, tx_n;
	bool tx_busy;       /* a burst is on the line */
	uint64_t tx_origin; /* time of bit 0 of the burst */
	uint64_t tx_bit;    /* index of the next bit edge in the burst */
	uint64_t tx_next;   /* time of that edge, UINT64_MAX if idle */
	uint64_t tx_free;   /* the line is free (stop bit over) from then */
	uint16_t tx_frame;  /* the character on the line: start, data, stop */
	uint8_t tx_level;
	/* receive */
	uint8_t rxq[QCAP];
	size_t rx_head, rx_n;
	uint8_t rx_level;
	bool rx_busy;      /* inside a character */
	bool rx_wait_high; /* after a framing error */
	uint64_t rx_start; /* time of the start edge */
	unsigned rx_bitno; /* next bit to sample, 0..9 */
	uint64_t rx_next;  /* its sample time, UINT64_MAX if idle */
	uint16_t rx_shift;
	uint8_t rx_flip; /* data bits the noise inverts in this character */
	uint64_t rx_count;
	unsigned framing, glitches;
};

/* Time of bit edge k after origin (exact mean rate). */
static uint64_t bit_time(const struct uart_host *u, uint64_t origin,
			 uint64_t k)
{
	return origin + (k * PS_PER_S + u->baud / 2) / u->baud;
}

/* Middle of bit k after a start edge at origin. */
static uint64_t bit_middle(const struct uart_host *u, uint64_t origin,
			   uint64_t k)
{
	return origin + ((2 * k + 1) * PS_PER_S + u->baud) / (2 * (uint64_t)u->baud);
}

/* the tests' seeded generator (tests/unit/support/test_rng.h) */
static uint64_t noise_next(struct noise *n)
{
	return rng_next(&n->rng);
}

/* The data bits to invert in the next character: one bit with
 * probability ppm / 1e6, else none. */
static uint8_t noise_draw(struct noise *n)
{
	uint64_t r;

	if (!n->ppm)
		return 0;
	r = noise_next(n);
	if (r % 1000000u >= n->ppm)
		return 0;
	n->hits++;
	return (uint8_t)(1u << (noise_next(n) >> 61));
}

void uart_host_set_noise(struct uart_host *u, uint32_t ppm, uint64_t seed)
{
	if (ppm > 1000000u)
		ppm = 1000000u;
	seed = seed ? seed : 1;
	u->noise_tx.ppm = ppm;
	u->noise_rx.ppm = ppm;
	/* two streams from one seed: the receive one offset by a constant
	 * (the 64-bit golden ratio), so the directions are not in step */
	u->noise_tx.rng = seed;
	u->noise_rx.rng = seed ^ 0x9E3779B97F4A7C15ull;
	if (!u->noise_rx.rng)
		u->noise_rx.rng = 1;
	u->noise_tx.hits = 0;
	u->noise_rx.hits = 0;
}

uint64_t uart_host_noise_tx(const struct uart_host *u)
{
	return u->noise_tx.hits;
}

uint64_t uart_host_noise_rx(const struct uart_host *u)
{
	return u->noise_rx.hits;
}

uint64_t uart_host_tx_count(const struct uart_host *u)
{
	return u->tx_count;
}

struct uart_host *uart_host_new(uint32_t baud)
{
	struct uart_host *u = calloc(1, sizeof(*u));

	if (!u || baud == 0) {
		free(u);
		return NULL;
	}
	u->baud = baud;
	u->tx_level = 1;
	u->rx_level = 1;
	u->tx_next = UINT64_MAX;
	u->rx_next = UINT64_MAX;
	return u;
}

void uart_host_free(struct uart_host *u)
{
	free(u);
}

void uart_host_write(struct uart_host *u, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n && u->tx_n < QCAP; i++) {
		u->txq[(u->tx_head + u->tx_n) % QCAP] = buf[i];
		u->tx_n++;
	}
}

size_t uart_host_tx_pending(const struct uart_host *u)
{
	return u->tx_n + (u->tx_busy ? 1 : 0);
}

size_t uart_host_read(struct uart_host *u, uint8_t *buf, size_t n)
{
	size_t k = 0;

	while (k < n && u->rx_n) {
		buf[k++] = u->rxq[u->rx_head];
		u->rx_head = (u->rx_head + 1) % QCAP;
		u->rx_n--;
	}
	return k;
}

size_t uart_host_rx_pending(const struct uart_host *u)
{
	return u->rx_n;
}

uint64_t uart_host_rx_count(const struct uart_host *u)
{
	return u->rx_count;
}

unsigned uart_host_framing_errors(const struct uart_host *u)
{
	return u->framing;
}

unsigned uart_host_glitches(const struct uart_host *u)
{
	return u->glitches;
}

void uart_host_clear_received(struct uart_host *u)
{
	u->rx_head = 0;
	u->rx_n = 0;
	u->rx_count = 0;
	u->framing = 0;
	u->glitches = 0;
}

/* A queued byte and no burst: the burst starts (at once, or when the
 * last stop bit ends). Called with the current time. */
static void tx_kick(struct uart_host *u, uint64_t now_ps)
{
	if (u->tx_busy || u->tx_n == 0)
		return;
	u->tx_busy = true;
	u->tx_origin = now_ps > u->tx_free ? now_ps : u->tx_free;
	u->tx_bit = 0;
	u->tx_next = u->tx_origin;
}

uint64_t uart_host_next(const struct uart_host *u)
{
	uint64_t t = u->rx_next;

	if (u->tx_busy && u->tx_next < t)
		t = u->tx_next;
	/* bytes written since the last event start at the next event the
	 * harness asks for: the line is free, so "now" (the harness calls
	 * uart_host_next right after every step, write or line change) */
	if (!u->tx_busy && u->tx_n)
		t = 0;
	return t;
}

void uart_host_step(struct uart_host *u, uint64_t now_ps, uint8_t rx,
		    uint8_t *tx)
{
	if (!u->tx_busy && u->tx_n)
		tx_kick(u, now_ps);
	/* transmit: every edge due at now */
	while (u->tx_busy && u->tx_next <= now_ps) {
		unsigned k = (unsigned)(u->tx_bit % 10);

		if (k == 0) {
			/* a new character: start 0, data LSB first, stop 1;
			 * the noise inverts a data bit of some */
			uint8_t c = u->txq[u->tx_head] ^ noise_draw(&u->noise_tx);

			u->tx_frame = (uint16_t)(c << 1 | 1u << 9);
			u->tx_head = (u->tx_head + 1) % QCAP;
			u->tx_n--;
		}
		u->tx_level = (uint8_t)(u->tx_frame >> k & 1);
		u->tx_bit++;
		u->tx_next = bit_time(u, u->tx_origin, u->tx_bit);
		if (k == 9) {
			u->tx_free = u->tx_next; /* end of the stop bit */
			u->tx_count++;
			if (u->tx_n == 0) {
				u->tx_busy = false;
				u->tx_next = UINT64_MAX;
			}
		}
	}
	*tx = u->tx_level;
	/* receive: the sample due now */
	u->rx_level = rx;
	if (u->rx_busy && u->rx_next <= now_ps) {
		unsigned k = u->rx_bitno;

		if (k == 0 && rx) {
			u->glitches++;
			u->rx_busy = false;
		} else if (k >= 1 && k <= 8) {
			unsigned bit = (rx ^ (u->rx_flip >> (k - 1))) & 1u;

			u->rx_shift |= (uint16_t)(bit << (k - 1));
		} else if (k == 9) {
			u->rx_busy = false;
			if (!rx) {
				u->framing++;
				u->rx_wait_high = true;
			} else if (u->rx_n < QCAP) {
				u->rxq[(u->rx_head + u->rx_n) % QCAP] = (uint8_t)u->rx_shift;
				u->rx_n++;
				u->rx_count++;
			}
		}
		u->rx_bitno++;
		u->rx_next = u->rx_busy ? bit_middle(u, u->rx_start, u->rx_bitno)
					: UINT64_MAX;
	}
}

void uart_host_line(struct uart_host *u, uint64_t now_ps, uint8_t level)
{
	uint8_t prev = u->rx_level;

	u->rx_level = level;
	if (level) {
		u->rx_wait_high = false;
		return;
	}
	if (!prev || u->rx_busy || u->rx_wait_high)
		return;
	/* a start edge */
	u->rx_busy = true;
	u->rx_start = now_ps;
	u->rx_bitno = 0;
	u->rx_shift = 0;
	u->rx_flip = noise_draw(&u->noise_rx);
	u->rx_next = bit_middle(u, now_ps, 0);
}
