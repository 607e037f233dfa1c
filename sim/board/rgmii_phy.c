/* SPDX-License-Identifier: MIT */
/*
 * rgmii_phy.c - a Gigabit PHY at its RGMII pins in simulated time
 * (rgmii_phy.h). The FCS is zlib's crc32(), the IEEE 802.3 CRC-32.
 */
#include "rgmii_phy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_WIRE (8 + 1518 + 4)
#define MAX_RXQ 64
#define MAX_TXQ 16
#define POLL_PS 100000ull /* looks at rst_n this often while in reset */
/* in-band status between frames: link up, 1000 Mb/s, full duplex */
#define INBAND 0xDu

struct wire_frame {
	uint8_t b[MAX_WIRE];
	size_t n;
};

struct got_frame {
	uint8_t *b;
	size_t n;
	uint64_t t0, t; /* its first byte after the SFD, its last nibble */
};

struct rgmii_phy {
	/* reset and clock */
	bool running;
	uint64_t start_at; /* RX_CLK starts then (UINT64_MAX: in reset) */
	uint64_t t0;       /* time of RX_CLK's first rising edge */
	uint64_t k;        /* next event: 2k = edge, 2k + 1 = middle */
	/* to the FPGA: frames queued, the one on the wire, the gap */
	struct wire_frame txq[MAX_TXQ];
	unsigned tx_head, tx_n;
	size_t tx_pos;     /* next byte of txq[tx_head] (0: not started) */
	unsigned tx_gap;   /* idle cycles sent since the last frame */
	bool tx_on;        /* the current cycle carries a byte */
	uint8_t tx_byte;
	uint64_t sent;
	uint64_t sent_t;   /* when the last frame sent had left */
	/* from the FPGA */
	bool have_lo;      /* the rising-edge half of the cycle was sampled */
	uint8_t lo, en;
	bool in_frame;
	bool tx_armed;     /* TX_EN seen low since the clock started */
	uint8_t rx[MAX_WIRE + 64];
	size_t rx_n;
	uint64_t rx_t[9];  /* when bytes 0..8 of the frame were sampled */
	bool rx_bad;       /* an error in this frame already reported */
	uint64_t idle;     /* idle cycles since the last frame */
	bool seen_frame;
	struct got_frame rxq[MAX_RXQ];
	unsigned rxq_head, rxq_n;
	uint64_t received;
	unsigned errors;
	char first_error[200];
};

static void error(struct rgmii_phy *p, uint64_t now, const char *what)
{
	if (p->errors++ == 0)
		snprintf(p->first_error, sizeof(p->first_error),
			 "at %llu ps: %s", (unsigned long long)now, what);
}

struct rgmii_phy *rgmii_phy_new(void)
{
	struct rgmii_phy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->start_at = UINT64_MAX;
	p->tx_gap = RGMII_PHY_IFG;
	return p;
}

void rgmii_phy_free(struct rgmii_phy *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->rxq_n; i++)
		free(p->rxq[(p->rxq_head + i) % MAX_RXQ].b);
	free(p);
}

int rgmii_phy_send(struct rgmii_phy *p, const uint8_t *frame, size_t len,
		   unsigned flags)
{
	struct wire_frame *w;
	uLong crc;

	if (len > 1518 || p->tx_n == MAX_TXQ)
		return -1;
	w = &p->txq[(p->tx_head + p->tx_n) % MAX_TXQ];
	memset(w->b, 0x55, 7);
	w->b[7] = 0xD5;
	memcpy(w->b + 8, frame, len);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, frame, (uInt)len);
	if (flags & RGMII_BAD_FCS)
		crc ^= 1u;
	for (int i = 0; i < 4; i++)
		w->b[8 + len + (size_t)i] = (uint8_t)(crc >> (8 * i));
	w->n = 8 + len + 4;
	p->tx_n++;
	return 0;
}

unsigned rgmii_phy_send_pending(const struct rgmii_phy *p)
{
	return p->tx_n;
}

uint64_t rgmii_phy_sent(const struct rgmii_phy *p)
{
	return p->sent;
}

uint64_t rgmii_phy_sent_ps(const struct rgmii_phy *p)
{
	return p->sent_t;
}

size_t rgmii_phy_recv(struct rgmii_phy *p, uint8_t *buf, size_t cap,
		      uint64_t *t_ps)
{
	return rgmii_phy_recv_span(p, buf, cap, NULL, t_ps);
}

size_t rgmii_phy_recv_span(struct rgmii_phy *p, uint8_t *buf, size_t cap,
			   uint64_t *first_ps, uint64_t *t_ps)
{
	struct got_frame *g;
	size_t n;

	if (p->rxq_n == 0)
		return 0;
	g = &p->rxq[p->rxq_head];
	n = g->n < cap ? g->n : cap;
	memcpy(buf, g->b, n);
	if (first_ps)
		*first_ps = g->t0;
	if (t_ps)
		*t_ps = g->t;
	free(g->b);
	p->rxq_head = (p->rxq_head + 1) % MAX_RXQ;
	p->rxq_n--;
	return n;
}

unsigned rgmii_phy_recv_pending(const struct rgmii_phy *p)
{
	return p->rxq_n;
}

uint64_t rgmii_phy_received(const struct rgmii_phy *p)
{
	return p->received;
}

void rgmii_phy_clear_received(struct rgmii_phy *p)
{
	while (p->rxq_n) {
		free(p->rxq[p->rxq_head].b);
		p->rxq_head = (p->rxq_head + 1) % MAX_RXQ;
		p->rxq_n--;
	}
	p->received = 0;
	p->errors = 0;
	p->first_error[0] = 0;
}

unsigned rgmii_phy_errors(const struct rgmii_phy *p)
{
	return p->errors;
}

const char *rgmii_phy_first_error(const struct rgmii_phy *p)
{
	return p->errors ? p->first_error : "";
}

/* The symbol of the next RX_CLK cycle: a byte of the frame on the wire,
 * or idle (after a frame, RGMII_PHY_IFG idle cycles at least). */
static void next_symbol(struct rgmii_phy *p, uint64_t now)
{
	if (p->tx_pos == 0 && (p->tx_n == 0 || p->tx_gap < RGMII_PHY_IFG)) {
		p->tx_on = false;
		if (p->tx_gap < RGMII_PHY_IFG)
			p->tx_gap++;
		return;
	}
	{
		struct wire_frame *w = &p->txq[p->tx_head];

		p->tx_on = true;
		p->tx_byte = w->b[p->tx_pos++];
		if (p->tx_pos == w->n) {
			p->tx_pos = 0;
			p->tx_head = (p->tx_head + 1) % MAX_TXQ;
			p->tx_n--;
			p->tx_gap = 0;
			p->sent++;
			/* its last byte is on the pins for one cycle from
			 * now (a quarter period before its rising edge) */
			p->sent_t = now + 2 * RGMII_PHY_HALF_PS;
		}
	}
}

/* The end of a frame from the FPGA (TX_EN fell): check and queue it. */
static void frame_end(struct rgmii_phy *p, uint64_t now)
{
	char msg[160];
	size_t n = p->rx_n;
	struct got_frame *g;
	uint32_t fcs, want;

	p->in_frame = false;
	p->seen_frame = true;
	p->idle = 0;
	if (n < 8) {
		snprintf(msg, sizeof(msg), "frame of %zu bytes: no preamble", n);
		error(p, now, msg);
		return;
	}
	for (size_t i = 0; i < 7; i++)
		if (p->rx[i] != 0x55) {
			snprintf(msg, sizeof(msg), "preamble byte %zu is 0x%02x",
				 i, p->rx[i]);
			error(p, now, msg);
			return;
		}
	if (p->rx[7] != 0xD5) {
		snprintf(msg, sizeof(msg), "SFD is 0x%02x", p->rx[7]);
		error(p, now, msg);
		return;
	}
	n -= 8;
	if (n < 64) {
		snprintf(msg, sizeof(msg), "frame of %zu bytes with FCS (< 64)", n);
		error(p, now, msg);
	}
	if (n < 4)
		return;
	want = (uint32_t)crc32(crc32(0L, Z_NULL, 0), p->rx + 8, (uInt)(n - 4));
	fcs = (uint32_t)p->rx[8 + n - 4] | (uint32_t)p->rx[8 + n - 3] << 8 |
	      (uint32_t)p->rx[8 + n - 2] << 16 | (uint32_t)p->rx[8 + n - 1] << 24;
	if (fcs != want) {
		snprintf(msg, sizeof(msg), "FCS 0x%08x, want 0x%08x (frame of %zu bytes)",
			 fcs, want, n);
		error(p, now, msg);
		return;
	}
	p->received++;
	if (p->rxq_n == MAX_RXQ) {
		error(p, now, "receive queue full (frames not taken)");
		return;
	}
	g = &p->rxq[(p->rxq_head + p->rxq_n) % MAX_RXQ];
	g->b = malloc(n - 4);
	if (!g->b) {
		error(p, now, "out of memory");
		return;
	}
	memcpy(g->b, p->rx + 8, n - 4);
	g->n = n - 4;
	g->t0 = p->rx_t[8];
	g->t = now;
	p->rxq_n++;
}

/* One TX_CLK cycle sampled: en and lo from its high half, ctl_f and hi
 * from its low half. */
static void tx_cycle(struct rgmii_phy *p, uint64_t now, uint8_t en,
		     uint8_t lo, uint8_t ctl_f, uint8_t hi)
{
	uint8_t er = (uint8_t)(en ^ ctl_f);

	if (en && !p->tx_armed)
		return; /* TX_EN high from before the clock started: no frame */
	if (en) {
		if (!p->in_frame) {
			if (p->seen_frame && p->idle < RGMII_PHY_IFG) {
				char msg[80];

				snprintf(msg, sizeof(msg), "inter-frame gap of %llu cycles (< %u)",
					 (unsigned long long)p->idle, RGMII_PHY_IFG);
				error(p, now, msg);
			}
			p->in_frame = true;
			p->rx_n = 0;
			p->rx_bad = false;
		}
		if (er && !p->rx_bad) {
			p->rx_bad = true;
			error(p, now, "TX_ER during a frame");
		}
		if (p->rx_n < sizeof(p->rx)) {
			if (p->rx_n < 9)
				p->rx_t[p->rx_n] = now;
			p->rx[p->rx_n++] = (uint8_t)(lo | hi << 4);
		}
		return;
	}
	p->tx_armed = true;
	if (p->in_frame)
		frame_end(p, now);
	if (er)
		error(p, now, "TX_ER with TX_EN low (carrier extension)");
	p->idle++;
}

uint64_t rgmii_phy_step(struct rgmii_phy *p, uint64_t now_ps,
			struct rgmii_pins *pins)
{
	if (!pins->rst_n) {
		/* in reset: no clock, outputs low, forget any frame */
		p->running = false;
		p->start_at = UINT64_MAX;
		pins->rx_clk = pins->rx_ctl = pins->rxd = 0;
		p->have_lo = false;
		p->in_frame = false;
		p->seen_frame = false; /* no gap to check after a reset */
		p->tx_armed = false;
		return now_ps + POLL_PS;
	}
	if (!p->running) {
		if (p->start_at == UINT64_MAX)
			p->start_at = now_ps + RGMII_PHY_START_PS;
		if (now_ps < p->start_at) {
			uint64_t t = now_ps + POLL_PS;

			return t < p->start_at ? t : p->start_at;
		}
		/* first event: the middle before the first rising edge */
		p->running = true;
		p->t0 = now_ps + RGMII_PHY_HALF_PS / 2;
		p->k = 0;
		p->idle = 0;
		pins->rx_clk = 0;
		next_symbol(p, now_ps);
		pins->rx_ctl = p->tx_on;
		pins->rxd = p->tx_on ? (uint8_t)(p->tx_byte & 0xF) : INBAND;
		return p->t0;
	}
	if ((p->k & 1) == 0) {
		/* an RX_CLK edge: edge k/2, rising when k/2 is even */
		pins->rx_clk = (uint8_t)((p->k / 2 & 1) == 0);
	} else {
		/* the middle after edge (k - 1) / 2 */
		bool after_rise = ((p->k - 1) / 2 & 1) == 0;

		/* sample the FPGA's transmit pins (TX_CLK follows RX_CLK) */
		if (pins->tx_clk) {
			p->en = pins->tx_ctl & 1;
			p->lo = pins->txd & 0xF;
			p->have_lo = true;
		} else if (p->have_lo) {
			p->have_lo = false;
			tx_cycle(p, now_ps, p->en, p->lo, pins->tx_ctl & 1,
				 pins->txd & 0xF);
		}
		/* drive the half starting at the next edge */
		if (after_rise) {
			/* next edge falls: high nibble, RX_DV xor RX_ER */
			pins->rx_ctl = p->tx_on; /* RX_ER = 0 */
			pins->rxd = p->tx_on ? (uint8_t)(p->tx_byte >> 4) : INBAND;
		} else {
			/* next edge rises: a new cycle, low nibble, RX_DV */
			next_symbol(p, now_ps);
			pins->rx_ctl = p->tx_on;
			pins->rxd = p->tx_on ? (uint8_t)(p->tx_byte & 0xF) : INBAND;
		}
	}
	/* event k at t0 + k * 2 ns: edges (k even) and middles (k odd) */
	p->k++;
	return p->t0 + p->k * (RGMII_PHY_HALF_PS / 2);
}
