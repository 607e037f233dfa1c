/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_async_fifo.c - the frame FIFO between two clocks
 * (fpga/common/fpga_async_fifo.v) in Verilator, W 32, AW 4 (16 words in
 * the memory, one more in the output register), two unrelated clocks
 * (periods and phases in ps that share no edges), against its header:
 *
 * FRAME 1, DROP 0 (the transmit path; this file):
 *  - every word comes out once, in order, with its last flag, for random
 *    valid/ready patterns and clock ratios from 1:2.3 to 2.1:1;
 *  - full: with the reader stopped, exactly 16 + 1 words are taken, then
 *    s_ready stays low; after one read, s_ready rises exactly when the
 *    read pointer has passed the writer's 2-FF synchronizer and the
 *    register of its binary value (the third write-clock edge after the
 *    read);
 *  - empty: a word written alone shows on m_valid exactly at the third
 *    read-clock edge after the write side's pointer register (one
 *    write-clock edge after the word): two synchronizer stages and the
 *    output register;
 *  - a frame shows nothing until its last word is in, then comes out
 *    back to back; a memory full of whole frames plus the start of another
 *    keeps that one back; a frame longer than the memory goes through
 *    whole (cut-through, no lock-up);
 *  - reset empties it.
 *
 * FRAME 1, DROP 1 (the receive path; test_rtl_async_fifo_drop.c, this file
 * with FIFO_DROP 1): s_ready is always 1; what comes out is whole input
 * frames, in order, some skipped; one dropped pulse per skipped frame; a
 * frame longer than the memory is always dropped and the next one passes;
 * with a reader twice as fast and always ready, nothing is dropped.
 *
 * Seeded (test_rng.h), with an edge-count watchdog on every run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "async_fifo_model.h"
#include "test_rng.h"

#ifndef FIFO_DROP
#define FIFO_DROP 0
#endif
#define DEPTH 16

typedef struct fpga_async_fifo_model model_t;
typedef struct fpga_async_fifo_io io_t;

/* word idx of frame f */
static uint32_t word(unsigned f, unsigned idx)
{
	return (uint32_t)f << 8 | idx;
}

static model_t *new_model(uint32_t seed, unsigned wper, unsigned wph, unsigned rper,
			  unsigned rph)
{
	model_t *m = fpga_async_fifo_model_new(seed, wper, wph, rper, rph);
	io_t io = { 0 };

	assert_non_null(m);
	fpga_async_fifo_model_drive(m, &io);
	fpga_async_fifo_model_reset(m, 4);
	return m;
}

/* Make one edge with the inputs of *io (drive first). */
static enum fifo_clk step(model_t *m, io_t *io)
{
	enum fifo_clk c = fpga_async_fifo_model_next(m);

	fpga_async_fifo_model_drive(m, io);
	fpga_async_fifo_model_edge(m);
	return c;
}

/*
 * Random frames (1..maxlen words) through the FIFO with write valid
 * probability in_pct and read ready probability out_pct. DROP 0: every
 * word out in order. DROP 1: whole frames out in order, skipped ones
 * counted by dropped pulses. Returns the number of frames dropped.
 */
struct clocks {
	unsigned wper, wph, rper, rph;
};

static unsigned stream_run(uint64_t seed, struct clocks ck, unsigned nf, unsigned maxlen,
			   unsigned in_pct, unsigned out_pct)
{
	model_t *m = new_model((uint32_t)seed, ck.wper, ck.wph, ck.rper, ck.rph);
	uint64_t s = seed | 1;
	unsigned *len = calloc(nf, sizeof(*len));
	unsigned in_f = 0, in_w = 0, out_f = 0, out_w = 0;
	unsigned dropped = 0, skipped = 0, quiet = 0;
	bool offering = false, held = false;
	uint32_t held_data = 0;
	io_t io = { 0 };
	unsigned long edges = 0, guard = 0;

	assert_non_null(len);
	for (unsigned i = 0; i < nf; i++) {
		len[i] = 1 + rng_below(&s, maxlen);
		guard += len[i];
	}
	guard = guard * 200 + 2000;
	/* until everything is written and the reader has been idle a while */
	while (in_f < nf || quiet < 64) {
		if (fpga_async_fifo_model_next(m) == FIFO_WCLK) {
			if (!offering)
				offering = in_f < nf && rng_pct(&s, in_pct);
			io.s_valid = offering;
			io.s_data = word(in_f, in_w);
			io.s_last = in_f < nf && in_w + 1 == len[in_f];
			fpga_async_fifo_model_drive(m, &io);
			if (FIFO_DROP)
				assert_true(io.s_ready);
			dropped += io.dropped;
			if (offering && io.s_ready) {
				offering = false;
				if (++in_w == len[in_f]) {
					in_f++;
					in_w = 0;
				}
			}
		} else {
			io.m_ready = rng_pct(&s, out_pct);
			fpga_async_fifo_model_drive(m, &io);
			if (held && !(io.m_valid && io.m_data == held_data)) {
				print_error("seed %llu: held word changed\n",
					    (unsigned long long)seed);
				fail();
			}
			held = false;
			quiet = io.m_valid || in_f < nf ? 0 : quiet + 1;
			if (io.m_valid && io.m_ready) {
				unsigned f = io.m_data >> 8, w = io.m_data & 0xff;

				if (FIFO_DROP && out_w == 0 && f > out_f && f < nf) {
					/* frames out_f..f-1 were dropped */
					skipped += f - out_f;
					out_f = f;
				}
				if (f != out_f || w != out_w || out_f >= nf ||
				    io.m_last != (w + 1 == len[out_f])) {
					print_error("seed %llu: got frame %u word %u last %d, want frame %u word %u\n",
						    (unsigned long long)seed, f, w,
						    io.m_last, out_f, out_w);
					fail();
				}
				if (++out_w == len[out_f]) {
					out_f++;
					out_w = 0;
				}
			} else if (io.m_valid) {
				held = true;
				held_data = io.m_data;
			}
		}
		fpga_async_fifo_model_edge(m);
		if (++edges > guard) {
			print_error("seed %llu: stuck: in %u/%u out %u\n",
				    (unsigned long long)seed, in_f, nf, out_f);
			fail();
		}
	}
	/* the last dropped pulse may come with the last write */
	for (int i = 0; i < 8; i++) {
		io.s_valid = false;
		if (step(m, &io) == FIFO_WCLK)
			dropped += io.dropped;
	}
	if (FIFO_DROP) {
		skipped += nf - out_f; /* frames dropped at the end */
		assert_int_equal(out_w, 0);
		assert_int_equal(dropped, skipped);
	} else {
		assert_int_equal(out_f, nf);
		assert_int_equal(dropped, 0);
	}
	free(len);
	fpga_async_fifo_model_free(m);
	return dropped;
}

static const struct clocks clock_sets[] = {
	{ 8000, 0, 18400, 1234 },   /* writer 2.3x faster */
	{ 16800, 500, 8000, 0 },    /* reader 2.1x faster */
	{ 10000, 0, 10070, 4999 },  /* nearly equal, drifting */
	{ 6400, 3100, 8000, 0 },    /* the board's 156.25 / 125 MHz ratio */
	{ 8000, 0, 16000, 3001 },   /* the board's 125 MHz -> 62.5 MHz */
};

static void test_fifo_random_streams(void **state)
{
	static const unsigned pct[][2] = {
		{ 100, 100 }, { 50, 50 }, { 100, 20 }, { 20, 100 }, { 90, 90 },
	};

	unsigned dropped = 0;

	(void)state;
	for (unsigned c = 0; c < sizeof(clock_sets) / sizeof(clock_sets[0]); c++)
		for (unsigned i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
			for (uint64_t seed = 1; seed <= 2; seed++)
				dropped += stream_run(seed * 1009 + c * 17 + i, clock_sets[c],
						      120, FIFO_DROP ? 12 : 6, pct[i][0],
						      pct[i][1]);
	/* DROP: the slow readers make the writer drop frames (the test of
	 * the drop path must have exercised it) */
	if (FIFO_DROP)
		assert_true(dropped > 0);
	print_message("frames dropped: %u\n", dropped);
}

#if !FIFO_DROP

static void test_fifo_full_timing(void **state)
{
	model_t *m = new_model(11, 10000, 0, 13001, 3333);
	io_t io = { .s_valid = true, .s_last = true, .m_ready = false };
	unsigned taken = 0, n = 0;

	(void)state;
	/* reader stopped: 16 in the memory + 1 in the output register */
	for (int i = 0; i < 400; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		io.s_data = word(0, n);
		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_WCLK && io.s_ready) {
			taken++;
			n++;
		}
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(taken, DEPTH + 1);
	/* one read; s_ready is back exactly after three write-clock edges */
	while (fpga_async_fifo_model_next(m) != FIFO_RCLK)
		step(m, &io);
	io.m_ready = true;
	fpga_async_fifo_model_drive(m, &io);
	assert_true(io.m_valid);
	assert_int_equal(io.m_data, word(0, 0));
	fpga_async_fifo_model_edge(m);
	io.m_ready = false;
	io.s_valid = false;
	unsigned wedges = 0;
	while (wedges < 4) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_WCLK) {
			if (io.s_ready != (wedges >= 3)) {
				print_error("s_ready %d after %u write edges\n",
					    io.s_ready, wedges);
				fail();
			}
			wedges++;
		}
		fpga_async_fifo_model_edge(m);
	}
	fpga_async_fifo_model_free(m);
}

/* Full of whole frames plus the start of another: the started frame is
 * not published (only a frame that alone fills the memory is). */
static void test_fifo_full_with_whole_frames_keeps_frame_back(void **state)
{
	model_t *m = new_model(16, 10000, 0, 13001, 3333);
	io_t io = { .m_ready = false };
	unsigned taken = 0, got = 0;

	(void)state;
	/* reader stopped: frames 0-2 of 5 words, then frame 3 without end */
	for (int i = 0; i < 400; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		io.s_valid = true;
		io.s_data = word(taken / 5, taken % 5);
		io.s_last = taken < 15 && taken % 5 == 4;
		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_WCLK && io.s_ready)
			taken++;
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(taken, DEPTH + 1);
	/* writer stops; the reader gets the three whole frames only */
	io.s_valid = false;
	io.m_ready = true;
	for (int i = 0; i < 400; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_RCLK && io.m_valid) {
			assert_int_equal(io.m_data, word(got / 5, got % 5));
			got++;
		}
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(got, 15);
	fpga_async_fifo_model_free(m);
}

static void test_fifo_empty_timing(void **state)
{
	model_t *m = new_model(12, 10000, 0, 13001, 3333);
	io_t io = { .m_ready = true };

	(void)state;
	/* write one word */
	while (fpga_async_fifo_model_next(m) != FIFO_WCLK)
		step(m, &io);
	io.s_valid = true;
	io.s_last = true;
	io.s_data = 0xabcd;
	fpga_async_fifo_model_drive(m, &io);
	assert_true(io.s_ready);
	fpga_async_fifo_model_edge(m);
	io.s_valid = false;
	/* the write side's pointer register: the next write edge */
	while (fpga_async_fifo_model_next(m) != FIFO_WCLK) {
		step(m, &io);
		assert_false(io.m_valid);
	}
	step(m, &io);
	unsigned redges = 0;
	for (;;) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		fpga_async_fifo_model_drive(m, &io);
		if (io.m_valid != (redges >= 3)) {
			print_error("m_valid %d after %u read edges\n", io.m_valid, redges);
			fail();
		}
		if (io.m_valid)
			break;
		if (c == FIFO_RCLK)
			redges++;
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(io.m_data, 0xabcd);
	assert_true(io.m_last);
	fpga_async_fifo_model_free(m);
}

static void test_fifo_frame_waits_for_last_word(void **state)
{
	model_t *m = new_model(13, 10000, 0, 7003, 1111);
	io_t io = { .m_ready = true };
	unsigned w = 0, got = 0;
	uint64_t s = 13;

	(void)state;
	/* words 0..3 of a 5-word frame, with gaps; nothing may show */
	for (int i = 0; i < 200; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		io.s_valid = w < 4 && rng_pct(&s, 40);
		io.s_data = word(0, w);
		io.s_last = false;
		fpga_async_fifo_model_drive(m, &io);
		assert_false(io.m_valid);
		if (c == FIFO_WCLK && io.s_valid && io.s_ready)
			w++;
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(w, 4);
	/* the last word: then the whole frame, back to back */
	while (fpga_async_fifo_model_next(m) != FIFO_WCLK)
		step(m, &io);
	io.s_valid = true;
	io.s_data = word(0, 4);
	io.s_last = true;
	step(m, &io);
	io.s_valid = false;
	bool started = false;
	for (int i = 0; i < 100 && got < 5; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_RCLK) {
			if (started && !io.m_valid) {
				print_error("gap in the frame after word %u\n", got);
				fail();
			}
			if (io.m_valid) {
				started = true;
				assert_int_equal(io.m_data, word(0, got));
				assert_int_equal(io.m_last, got == 4);
				got++;
			}
		}
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(got, 5);
	fpga_async_fifo_model_free(m);
}

static void test_fifo_frame_longer_than_memory_cut_through(void **state)
{
	model_t *m = new_model(14, 8000, 0, 11003, 2222);
	io_t io = { .m_ready = true };
	unsigned w = 0, got = 0;
	enum { LEN = 40 };

	(void)state;
	for (int i = 0; i < 2000 && got < LEN; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		io.s_valid = w < LEN;
		io.s_data = word(1, w);
		io.s_last = w + 1 == LEN;
		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_WCLK && io.s_valid && io.s_ready)
			w++;
		if (c == FIFO_RCLK && io.m_valid) {
			assert_int_equal(io.m_data, word(1, got));
			assert_int_equal(io.m_last, got + 1 == LEN);
			got++;
		}
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(got, LEN);
	fpga_async_fifo_model_free(m);
}

static void test_fifo_reset_empties(void **state)
{
	model_t *m = new_model(15, 10000, 0, 13001, 3333);
	io_t io = { .s_valid = true, .s_last = true };

	(void)state;
	for (int i = 0; i < 40; i++)
		step(m, &io);
	fpga_async_fifo_model_drive(m, &io);
	assert_true(io.m_valid);
	io.s_valid = false;
	fpga_async_fifo_model_drive(m, &io);
	fpga_async_fifo_model_reset(m, 3);
	for (int i = 0; i < 40; i++) {
		fpga_async_fifo_model_drive(m, &io);
		assert_false(io.m_valid);
		assert_true(io.s_ready);
		fpga_async_fifo_model_edge(m);
	}
	fpga_async_fifo_model_free(m);
}

#else /* FIFO_DROP */

static void test_fifo_drop_oversize_frame_dropped_next_passes(void **state)
{
	model_t *m = new_model(21, 8000, 0, 11003, 2222);
	io_t io = { .m_ready = true };
	/* a 20-word frame (more than the 16 words), then a 3-word frame */
	unsigned lens[2] = { 20, 3 }, f = 0, w = 0, got = 0, dropped = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		enum fifo_clk c = fpga_async_fifo_model_next(m);

		io.s_valid = f < 2;
		io.s_data = word(f, w);
		io.s_last = f < 2 && w + 1 == lens[f];
		fpga_async_fifo_model_drive(m, &io);
		if (c == FIFO_WCLK) {
			assert_true(io.s_ready);
			dropped += io.dropped;
			if (io.s_valid && ++w == lens[f]) {
				f++;
				w = 0;
			}
		} else if (io.m_valid) {
			assert_int_equal(io.m_data, word(1, got));
			assert_int_equal(io.m_last, got == 2);
			got++;
		}
		fpga_async_fifo_model_edge(m);
	}
	assert_int_equal(dropped, 1);
	assert_int_equal(got, 3);
	fpga_async_fifo_model_free(m);
}

static void test_fifo_drop_none_with_fast_reader(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct clocks ck = { 16000, 0, 8000, 1000 + 977 * (unsigned)seed };

		assert_int_equal(stream_run(seed * 7, ck, 200, 8, 100, 100), 0);
	}
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_random_streams),
#if !FIFO_DROP
		cmocka_unit_test(test_fifo_full_timing),
		cmocka_unit_test(test_fifo_full_with_whole_frames_keeps_frame_back),
		cmocka_unit_test(test_fifo_empty_timing),
		cmocka_unit_test(test_fifo_frame_waits_for_last_word),
		cmocka_unit_test(test_fifo_frame_longer_than_memory_cut_through),
		cmocka_unit_test(test_fifo_reset_empties),
#else
		cmocka_unit_test(test_fifo_drop_oversize_frame_dropped_next_passes),
		cmocka_unit_test(test_fifo_drop_none_with_fast_reader),
#endif
	};
	return cmocka_run_group_tests_name(FIFO_DROP ? "rtl_async_fifo_drop" : "rtl_async_fifo",
					   tests, NULL, NULL);
}
