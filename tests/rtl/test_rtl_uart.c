/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_uart.c - the host-link UART (fpga/common/fpga_uart*.v) in
 * Verilator, at the board's figures: 60 MHz clock, 3 Mbaud, 8N1, so one
 * bit is 60e6 / 3e6 = 20 clock cycles (the bit timer is a phase
 * accumulator, not a divider: + 3277 / 65536 per cycle, so its edges
 * wander by up to a cycle against the ideal ones, which the checks allow).
 *
 *  - transmit: every byte is a start bit (0), eight data bits LSB first
 *    and a stop bit (1); every bit edge lies within one clock cycle of its
 *    ideal time (start edge + k bit periods), the line is steady inside each
 *    bit, the stop bit lasts at least a bit period, the line idles high;
 *  - receive: an ideal 8N1 waveform with a random phase and a baud error
 *    of -2.5 %..+2.5 % gives back every byte, in order, once;
 *  - a frame whose stop bit is 0 gives a framing error and no byte, and
 *    the receiver takes the next good byte once the line is high again;
 *  - a low pulse shorter than half a bit on the idle line is no byte;
 *  - a byte completing while the previous one is not taken is an overrun
 *    and the held byte is unchanged;
 *  - loopback (txd into rxd): every byte back, in order.
 * Every run is seeded (test_rng.h) and bounded in cycles (a watchdog).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_rng.h"
#include "uart_model.h"

#define CLK_HZ 60000000.0
#define BAUD 3000000.0
/* one bit in clock cycles */
#define BIT (CLK_HZ / BAUD)

static struct fpga_uart_model *new_model(uint32_t seed)
{
	struct fpga_uart_model *m = fpga_uart_model_new(seed);
	struct fpga_uart_io io = { .rxd = true, .m_ready = true };

	assert_non_null(m);
	fpga_uart_model_drive(m, &io);
	fpga_uart_model_reset(m, 4);
	return m;
}

/* ---------------------------------------------------------------- transmit */

/*
 * Send n random bytes back to back and record txd every cycle; then decode
 * the record against the 8N1 timing rules.
 */
static void tx_run(uint64_t seed, unsigned n)
{
	struct fpga_uart_model *m = new_model((uint32_t)seed);
	uint64_t s = seed | 1;
	uint8_t *bytes = malloc(n);
	size_t max = (size_t)(n * 10 * (BIT + 2)) + 200, len = 0;
	uint8_t *line = malloc(max);
	unsigned sent = 0;
	struct fpga_uart_io io = { .rxd = true, .m_ready = true };

	assert_non_null(bytes);
	assert_non_null(line);
	for (unsigned i = 0; i < n; i++)
		bytes[i] = (uint8_t)rng_next(&s);
	/* watchdog: max cycles */
	while (len < max) {
		io.s_valid = sent < n;
		io.s_data = sent < n ? bytes[sent] : 0;
		fpga_uart_model_drive(m, &io);
		line[len++] = io.txd;
		if (io.s_valid && io.s_ready)
			sent++;
		fpga_uart_model_tick(m);
	}
	assert_int_equal(sent, n);

	/* decode */
	size_t t = 0;
	unsigned got = 0;
	bool prev = true;
	while (got < n) {
		/* the start edge: first low after high */
		while (t < len && !(prev && !line[t])) {
			prev = line[t];
			t++;
		}
		if (t >= len) {
			print_error("seed %llu: byte %u: no start bit\n",
				    (unsigned long long)seed, got);
			fail();
		}
		double t0 = (double)t;
		uint16_t frame = (uint16_t)(bytes[got] << 1 | 1u << 9); /* start 0, stop 1 */
		for (int k = 0; k < 10; k++) {
			bool want = frame >> k & 1;
			/* the line is steady inside the bit, one cycle clear of
			 * its ideal edges */
			for (size_t c = (size_t)ceil(t0 + k * BIT + 1.0);
			     c <= (size_t)floor(t0 + (k + 1) * BIT - 1.0); c++) {
				if (c >= len || line[c] != want) {
					print_error("seed %llu: byte %u (0x%02x) bit %d wrong at cycle %zu (start %zu)\n",
						    (unsigned long long)seed, got,
						    bytes[got], k, c, t);
					fail();
				}
			}
			/* an edge, where there is one, within a cycle of ideal */
			if (k > 0 && want != (frame >> (k - 1) & 1)) {
				double ideal = t0 + k * BIT;
				size_t e = (size_t)floor(ideal - 1.5);
				while (e < len && line[e] != want)
					e++;
				assert_true(fabs((double)e - ideal) <= 1.0);
			}
		}
		got++;
		/* the stop bit lasts at least one bit period (checked above
		 * up to one cycle before its ideal end): continue from there */
		t = (size_t)floor(t0 + 10 * BIT - 1.0);
		prev = true;
	}
	/* idle high after the last stop bit */
	for (size_t c = t; c < len; c++)
		assert_true(line[c]);
	free(line);
	free(bytes);
	fpga_uart_model_free(m);
}

static void test_uart_tx_8n1_bit_timing(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		tx_run(seed * 7919, 64);
}

/* ---------------------------------------------------------------- receive */

/* A waveform of the serial line, one level per clock cycle. */
struct wave {
	uint8_t *lvl;
	size_t len, cap;
};

static void wave_until(struct wave *w, double t_end, bool level)
{
	while ((double)w->len < t_end) {
		assert_true(w->len < w->cap);
		w->lvl[w->len++] = level;
	}
}

/* One frame from cycle *t on: start, 8 data bits, stop = stop_level,
 * each bit bit_cycles long. */
static void wave_frame(struct wave *w, double *t, double bit_cycles, uint8_t byte,
		       bool stop_level)
{
	uint16_t frame = (uint16_t)(byte << 1 | (unsigned)stop_level << 9);

	for (int k = 0; k < 10; k++) {
		*t += bit_cycles;
		wave_until(w, *t, frame >> k & 1);
	}
}

/* Drive the waveform into rxd (m_ready high unless ready_pct < 100, then
 * random) and collect the received bytes and error pulses. */
struct rx_result {
	uint8_t bytes[512];
	unsigned n, frame_errs, overruns;
};

static void rx_drive(struct fpga_uart_model *m, const struct wave *w, uint64_t *s,
		     unsigned ready_pct, struct rx_result *r)
{
	struct fpga_uart_io io = { .rxd = true };

	for (size_t c = 0; c < w->len; c++) {
		io.rxd = w->lvl[c];
		io.m_ready = ready_pct >= 100 || rng_pct(s, ready_pct);
		fpga_uart_model_drive(m, &io);
		if (io.m_valid && io.m_ready) {
			assert_true(r->n < sizeof(r->bytes));
			r->bytes[r->n++] = io.m_data;
		}
		r->frame_errs += io.frame_err;
		r->overruns += io.overrun;
		fpga_uart_model_tick(m);
	}
}

static struct wave wave_new(size_t cap)
{
	struct wave w = { malloc(cap), 0, cap };

	assert_non_null(w.lvl);
	return w;
}

static void rx_run(uint64_t seed, unsigned n, double err)
{
	struct fpga_uart_model *m = new_model((uint32_t)seed);
	uint64_t s = seed | 1;
	double bit = BIT * (1.0 + err);
	struct wave w = wave_new((size_t)(n * 13 * bit) + 1000);
	uint8_t want[256];
	/* random phase against the clock */
	double t = 20.0 + (double)rng_below(&s, 1000) / 1000.0;
	struct rx_result r = { .n = 0 };

	assert_true(n <= sizeof(want));
	wave_until(&w, t, true);
	for (unsigned i = 0; i < n; i++) {
		want[i] = (uint8_t)rng_next(&s);
		wave_frame(&w, &t, bit, want[i], true);
		/* idle 0..2 bits between frames (0: back to back) */
		t += bit * (double)rng_below(&s, 3) * 0.5 * rng_below(&s, 2);
		wave_until(&w, t, true);
	}
	t += 3 * bit;
	wave_until(&w, t, true);
	rx_drive(m, &w, &s, 100, &r);
	if (r.n != n || memcmp(r.bytes, want, n) != 0)
		print_error("seed %llu err %+.3f: %u of %u bytes, or wrong\n",
			    (unsigned long long)seed, err, r.n, n);
	assert_int_equal(r.n, n);
	assert_memory_equal(r.bytes, want, n);
	assert_int_equal(r.frame_errs, 0);
	assert_int_equal(r.overruns, 0);
	free(w.lvl);
	fpga_uart_model_free(m);
}

static void test_uart_rx_every_byte_within_baud_tolerance(void **state)
{
	static const double errs[] = { 0.0, -0.025, 0.025, -0.01, 0.01 };

	(void)state;
	for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		for (uint64_t seed = 1; seed <= 3; seed++)
			rx_run(seed * 104729 + i, 100, errs[i]);
}

static void test_uart_rx_missing_stop_bit_is_framing_error(void **state)
{
	struct fpga_uart_model *m = new_model(5);
	uint64_t s = 5;
	struct wave w = wave_new(2000);
	double t = 10.5;
	struct rx_result r = { .n = 0 };

	(void)state;
	wave_until(&w, t, true);
	wave_frame(&w, &t, BIT, 0xA5, false); /* stop bit 0 */
	t += 2 * BIT;                          /* and the line stays low */
	wave_until(&w, t, false);
	t += 2 * BIT;
	wave_until(&w, t, true);
	wave_frame(&w, &t, BIT, 0x3C, true);
	t += 2 * BIT;
	wave_until(&w, t, true);
	rx_drive(m, &w, &s, 100, &r);
	assert_int_equal(r.frame_errs, 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.bytes[0], 0x3C);
	free(w.lvl);
	fpga_uart_model_free(m);
}

static void test_uart_rx_short_glitch_is_no_byte(void **state)
{
	struct fpga_uart_model *m = new_model(6);
	uint64_t s = 6;
	struct wave w = wave_new(2000);
	double t = 10.0;
	struct rx_result r = { .n = 0 };

	(void)state;
	wave_until(&w, t, true);
	t += floor(BIT / 2) - 2; /* low for less than half a bit */
	wave_until(&w, t, false);
	t += 3 * BIT;
	wave_until(&w, t, true);
	wave_frame(&w, &t, BIT, 0x81, true);
	t += 2 * BIT;
	wave_until(&w, t, true);
	rx_drive(m, &w, &s, 100, &r);
	assert_int_equal(r.frame_errs, 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.bytes[0], 0x81);
	free(w.lvl);
	fpga_uart_model_free(m);
}

static void test_uart_rx_overrun_keeps_held_byte(void **state)
{
	struct fpga_uart_model *m = new_model(7);
	struct wave w = wave_new(2000);
	double t = 10.25;
	struct fpga_uart_io io = { .rxd = true, .m_ready = false };
	unsigned overruns = 0;

	(void)state;
	wave_until(&w, t, true);
	wave_frame(&w, &t, BIT, 0x11, true);
	wave_frame(&w, &t, BIT, 0x22, true);
	t += 2 * BIT;
	wave_until(&w, t, true);
	for (size_t c = 0; c < w.len; c++) {
		io.rxd = w.lvl[c];
		fpga_uart_model_drive(m, &io);
		overruns += io.overrun;
		fpga_uart_model_tick(m);
	}
	fpga_uart_model_drive(m, &io);
	assert_int_equal(overruns, 1);
	assert_true(io.m_valid);
	assert_int_equal(io.m_data, 0x11);
	io.m_ready = true;
	fpga_uart_model_drive(m, &io);
	fpga_uart_model_tick(m);
	fpga_uart_model_drive(m, &io);
	assert_false(io.m_valid);
	free(w.lvl);
	fpga_uart_model_free(m);
}

static void test_uart_loopback_every_byte_in_order(void **state)
{
	struct fpga_uart_model *m = new_model(8);
	uint64_t s = 8;
	enum { N = 200 };
	uint8_t want[N], got[N];
	unsigned sent = 0, n = 0;
	struct fpga_uart_io io = { .rxd = true, .m_ready = true };
	bool txd = true;

	(void)state;
	for (unsigned i = 0; i < N; i++)
		want[i] = (uint8_t)rng_next(&s);
	/* watchdog: twice the time N bytes need */
	for (unsigned long c = 0; n < N && c < (unsigned long)(2 * N * 10 * BIT); c++) {
		io.rxd = txd;
		io.s_valid = sent < N && rng_pct(&s, 70);
		io.s_data = sent < N ? want[sent] : 0;
		fpga_uart_model_drive(m, &io);
		txd = io.txd;
		if (io.s_valid && io.s_ready)
			sent++;
		if (io.m_valid && io.m_ready)
			got[n++] = io.m_data;
		assert_false(io.frame_err);
		assert_false(io.overrun);
		fpga_uart_model_tick(m);
	}
	assert_int_equal(n, N);
	assert_memory_equal(got, want, N);
	fpga_uart_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uart_tx_8n1_bit_timing),
		cmocka_unit_test(test_uart_rx_every_byte_within_baud_tolerance),
		cmocka_unit_test(test_uart_rx_missing_stop_bit_is_framing_error),
		cmocka_unit_test(test_uart_rx_short_glitch_is_no_byte),
		cmocka_unit_test(test_uart_rx_overrun_keeps_held_byte),
		cmocka_unit_test(test_uart_loopback_every_byte_in_order),
	};
	return cmocka_run_group_tests_name("rtl_uart", tests, NULL, NULL);
}
