/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_skid.c - the toe_skid register slice in Verilator: random
 * valid/ready patterns (every beat comes out exactly once, in order, and a
 * stalled output beat stays put), full rate when nothing stalls, reset
 * empties it, and every test ends with the slice drained and empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "skid_model.h"
#include "test_rng.h"

/* true with probability pct/100 */
static struct toe_axis_beat beat_for(uint64_t seq)
{
	struct toe_axis_beat b;

	b.data = seq * 0x9E3779B97F4A7C15ULL ^ seq;
	b.keep = (uint8_t)(seq * 37 + 1);
	b.last = (seq % 5) == 4;
	b.user = (seq % 7) == 3;
	return b;
}

static bool beat_eq(const struct toe_axis_beat *a, const struct toe_axis_beat *b)
{
	return a->data == b->data && a->keep == b->keep && a->last == b->last &&
	       a->user == b->user;
}

struct run_result {
	uint64_t sent, received, cycles;
	bool ok;
};

/*
 * Offer n beats with input valid probability in_pct and output ready
 * probability out_pct. Checks each output beat against the next expected,
 * and that a beat shown but not taken is shown again unchanged. After the
 * last beat, drains with ready held high and checks the slice is empty.
 */
static struct run_result run(uint64_t seed, unsigned n, unsigned in_pct,
			     unsigned out_pct)
{
	struct run_result r = { 0, 0, 0, true };
	struct toe_skid_model *m = toe_skid_model_new((uint32_t)seed);
	uint64_t s = seed | 1;
	bool in_valid = false, held = false;
	struct toe_axis_beat held_beat = { 0 };
	uint64_t guard = 0;

	assert_non_null(m);
	toe_skid_model_drive(m, false, NULL, false);
	toe_skid_model_reset(m, 3);

	while (r.received < n) {
		struct toe_axis_beat in = beat_for(r.sent), out;
		bool ready_out, s_ready, m_valid;

		/* AXI: once valid, the source holds the beat until taken. */
		if (!in_valid)
			in_valid = r.sent < n && rng_pct(&s, in_pct);
		ready_out = r.sent >= n ? true : rng_pct(&s, out_pct);
		toe_skid_model_drive(m, in_valid, &in, ready_out);
		s_ready = toe_skid_model_s_ready(m);
		m_valid = toe_skid_model_m_valid(m, &out);

		if (held && !(m_valid && beat_eq(&out, &held_beat))) {
			print_error("seed %llu: stalled beat changed at cycle %llu\n",
				    (unsigned long long)seed,
				    (unsigned long long)r.cycles);
			r.ok = false;
			break;
		}
		held = false;
		if (m_valid) {
			struct toe_axis_beat want = beat_for(r.received);

			if (!beat_eq(&out, &want)) {
				print_error("seed %llu: beat %llu wrong at cycle %llu\n",
					    (unsigned long long)seed,
					    (unsigned long long)r.received,
					    (unsigned long long)r.cycles);
				r.ok = false;
				break;
			}
			if (ready_out)
				r.received++;
			else {
				held = true;
				held_beat = out;
			}
		}
		if (in_valid && s_ready) {
			r.sent++;
			in_valid = false;
		}
		toe_skid_model_tick(m);
		r.cycles++;
		if (++guard > 100ULL * n + 1000) {
			print_error("seed %llu: stuck, %llu sent %llu received\n",
				    (unsigned long long)seed,
				    (unsigned long long)r.sent,
				    (unsigned long long)r.received);
			r.ok = false;
			break;
		}
	}
	/* Nothing left in flight: a few more cycles with ready high and no
	 * input must show no beat. */
	for (int i = 0; r.ok && i < 4; i++) {
		struct toe_axis_beat out;

		toe_skid_model_drive(m, false, NULL, true);
		if (toe_skid_model_m_valid(m, &out)) {
			print_error("seed %llu: extra beat after the last one\n",
				    (unsigned long long)seed);
			r.ok = false;
		}
		toe_skid_model_tick(m);
	}
	toe_skid_model_free(m);
	return r;
}

static void test_skid_random_patterns_every_beat_once_in_order(void **state)
{
	static const unsigned pct[][2] = {
		{ 100, 100 }, { 50, 50 }, { 90, 30 }, { 30, 90 },
		{ 100, 10 }, { 10, 100 }, { 75, 75 }, { 95, 95 },
	};
	(void)state;
	for (unsigned i = 0; i < sizeof(pct) / sizeof(pct[0]); i++) {
		for (uint64_t seed = 1; seed <= 4; seed++) {
			struct run_result r = run(seed * 1000 + i, 2000, pct[i][0],
						  pct[i][1]);

			if (!r.ok)
				print_error("in %u%% out %u%%\n", pct[i][0], pct[i][1]);
			assert_true(r.ok);
			assert_int_equal(r.sent, 2000);
			assert_int_equal(r.received, 2000);
		}
	}
}

static void test_skid_no_stall_full_rate(void **state)
{
	/* Valid and ready always high: n beats take n cycles, plus one for
	 * the slice's latency, plus one after reset before the registered
	 * tready first rises. */
	struct run_result r = run(7, 1000, 100, 100);

	(void)state;
	assert_true(r.ok);
	assert_int_equal(r.received, 1000);
	assert_int_equal(r.cycles, 1000 + 1 + 1);
}

static void test_skid_full_then_reset_empty(void **state)
{
	struct toe_skid_model *m = toe_skid_model_new(99);
	struct toe_axis_beat b = beat_for(1), out;
	int taken = 0;

	(void)state;
	assert_non_null(m);
	toe_skid_model_drive(m, false, NULL, false);
	toe_skid_model_reset(m, 2);
	/* Output stalled: exactly two beats fit (output + skid register),
	 * then tready is low. */
	for (int i = 0; i < 5; i++) {
		toe_skid_model_drive(m, true, &b, false);
		if (toe_skid_model_s_ready(m))
			taken++;
		toe_skid_model_tick(m);
	}
	assert_int_equal(taken, 2);
	toe_skid_model_drive(m, false, NULL, false);
	assert_false(toe_skid_model_s_ready(m));
	assert_true(toe_skid_model_m_valid(m, &out));
	/* Reset drops both beats. */
	toe_skid_model_reset(m, 1);
	toe_skid_model_drive(m, false, NULL, true);
	toe_skid_model_tick(m);
	toe_skid_model_drive(m, false, NULL, true);
	assert_false(toe_skid_model_m_valid(m, &out));
	assert_true(toe_skid_model_s_ready(m));
	toe_skid_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skid_random_patterns_every_beat_once_in_order),
		cmocka_unit_test(test_skid_no_stall_full_rate),
		cmocka_unit_test(test_skid_full_then_reset_empty),
	};
	return cmocka_run_group_tests_name("rtl_skid", tests, NULL, NULL);
}
