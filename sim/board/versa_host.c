/* SPDX-License-Identifier: MIT */
/*
 * versa_host.c - the Versa board model brought up and given to libtoe's
 * sim: transport (versa_host.h).
 */
#include "versa_host.h"

#include <stddef.h>
#include <stdio.h>

#include "toe_transport.h"

uint64_t versa_cycles_of_ps(uint64_t ps)
{
	return (uint64_t)((unsigned __int128)ps * VERSA_CLK_HZ / 1000000000000ull);
}

uint64_t versa_ps_of_cycles(uint64_t c)
{
	return (uint64_t)(((unsigned __int128)c * 1000000000000ull +
			   VERSA_CLK_HZ - 1) / VERSA_CLK_HZ);
}

static void run_for(struct versa_board *b, uint64_t ps)
{
	versa_board_run_until(b, versa_board_time_ps(b) + ps);
}

int versa_power_up(struct versa_board *b, uint64_t max_ps, uint8_t *led_1us)
{
	versa_board_run_until(b, VERSA_US(1));
	if (led_1us)
		*led_1us = versa_board_led(b);
	while (!versa_board_eth_rst_n(b)) {
		if (versa_board_time_ps(b) > max_ps)
			return -1;
		run_for(b, VERSA_US(1));
	}
	run_for(b, VERSA_US(5));
	return 0;
}

int versa_press_button(struct versa_board *b, uint64_t max_ps,
		       uint64_t *rst_ps)
{
	uint64_t t_up;

	versa_board_button(b, true);
	run_for(b, VERSA_US(1));
	if (versa_board_eth_rst_n(b)) {
		*rst_ps = 0;
		versa_board_button(b, false);
		return -1;
	}
	versa_board_button(b, false);
	run_for(b, 1); /* the release is applied at the next event */
	t_up = versa_board_time_ps(b);
	rgmii_phy_clear_received(versa_board_phy(b));
	uart_host_clear_received(versa_board_uart(b));
	while (!versa_board_eth_rst_n(b)) {
		if (versa_board_time_ps(b) > t_up + max_ps) {
			*rst_ps = UINT64_MAX;
			return -1;
		}
		run_for(b, 10000); /* 10 ns steps: the time of the edge */
	}
	*rst_ps = versa_board_time_ps(b) - t_up;
	run_for(b, RGMII_PHY_START_PS + VERSA_US(5));
	return 0;
}

int versa_bring_up(struct versa_board *b, unsigned phy_rst_log2, char *err,
		   size_t errlen)
{
	/* the PHY's reset period, with room for the clocks to start */
	uint64_t per = versa_ps_of_cycles(1ull << phy_rst_log2) + VERSA_US(5);
	uint64_t rst_ps;
	uint8_t led;

	if (versa_power_up(b, per + VERSA_US(5), &led) < 0) {
		snprintf(err, errlen, "board model: the PHY's reset pin did not "
			 "rise after power-up (%llu ps)",
			 (unsigned long long)versa_board_time_ps(b));
		return -1;
	}
	if (led & VERSA_LED_PLL) {
		snprintf(err, errlen, "board model: PLL not locked (LEDs 0x%02x)",
			 led);
		return -1;
	}
	if (versa_press_button(b, per, &rst_ps) < 0) {
		snprintf(err, errlen, "board model: the PHY's reset pin %s",
			 rst_ps ? "did not rise after the button" :
			 "was high while the button was pressed");
		return -1;
	}
	led = versa_board_led(b);
	if (led & (VERSA_LED_PLL | VERSA_LED_LINK) ||
	    !(led & VERSA_LED_LOST) || !(led & VERSA_LED_RX) ||
	    !(led & VERSA_LED_TX)) {
		snprintf(err, errlen, "board model: LEDs 0x%02x after the reset "
			 "(low = lit; want PLL locked and link up lit, frame "
			 "activity and 'something lost' dark)", led);
		return -1;
	}
	return 0;
}

/* ---- libtoe's sim: engine ---- */

/* the host the next open gets */
static struct versa_host *next_host;

static struct versa_host *H(struct toe_sim *s)
{
	return (struct versa_host *)(void *)s;
}

static const struct versa_host *CH(const struct toe_sim *s)
{
	return (const struct versa_host *)(const void *)s;
}

static struct toe_sim *eng_create(const char *pcap_path, const char *fst_path,
				  uint32_t seed, uint64_t clock_hz)
{
	struct versa_host *h = next_host;

	/* the board's own: its frames are on its pins, its clock is its
	 * PLL's, its seed was given when it was made */
	(void)pcap_path;
	(void)fst_path;
	(void)seed;
	(void)clock_hz;
	next_host = NULL;
	return (struct toe_sim *)(void *)h;
}

static void eng_destroy(struct toe_sim *s)
{
	(void)s; /* the caller owns the board */
}

static void eng_step(struct toe_sim *s, uint64_t cycles)
{
	struct versa_host *h = H(s);
	uint64_t now = versa_board_time_ps(h->b);
	uint64_t c = versa_cycles_of_ps(now) + cycles;
	uint64_t end = versa_ps_of_cycles(c);

	if (h->limit_ps && end > h->limit_ps && h->on_limit)
		h->on_limit(h->arg, now);
	versa_board_run_until(h->b, end);
	if (h->on_step)
		h->on_step(h->step_arg);
}

static uint64_t eng_cycle(const struct toe_sim *s)
{
	return versa_cycles_of_ps(versa_board_time_ps(CH(s)->b));
}

static uint64_t eng_time_ns(const struct toe_sim *s)
{
	return versa_board_time_ps(CH(s)->b) / 1000;
}

static void eng_host_write(struct toe_sim *s, const uint8_t *buf, size_t n)
{
	uart_host_write(versa_board_uart(H(s)->b), buf, n);
}

static size_t eng_host_read(struct toe_sim *s, uint8_t *buf, size_t n)
{
	return uart_host_read(versa_board_uart(H(s)->b), buf, n);
}

static const struct toe_sim_engine versa_engine = {
	.create = eng_create,
	.destroy = eng_destroy,
	.step = eng_step,
	.cycle = eng_cycle,
	.time_ns = eng_time_ns,
	.host_write = eng_host_write,
	.host_read = eng_host_read,
};

const struct toe_sim_engine *versa_host_engine(struct versa_host *h)
{
	next_host = h;
	return &versa_engine;
}
