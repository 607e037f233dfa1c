/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_mac_adapt.c - the MAC width adapter (fpga/common/fpga_mac_adapt.v)
 * in Verilator, against the two stream specifications it joins:
 *
 * receive (8-bit MAC stream -> 64-bit AXI4-Stream): random frames of 1..200
 * bytes, some with a byte flagged error, random valid/ready patterns:
 * every frame comes out once, in order, byte i of a beat in tdata bits
 * 8i+7..8i; tkeep contiguous from bit 0, 0xff on every beat but the last;
 * lanes beyond tkeep are 0; tlast only on the last beat; tuser = the frame
 * had an error, on the last beat only; a beat held (valid, not ready) does
 * not change.
 *
 * transmit (64-bit AXI4-Stream -> 8-bit MAC stream): random frames as beats
 * (contiguous tkeep, at least one byte per beat), random tuser per frame,
 * random tready: the bytes come out in order, last on the frame's final
 * byte only, error = the beat's tuser, a byte held (valid, not ready) does
 * not change; with beats always offered and the MAC always ready, a frame
 * leaves without a gap, one byte per cycle.
 *
 * Seeded (test_rng.h), with a cycle watchdog on every run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mac_adapt_model.h"
#include "test_rng.h"

#define MAXLEN 200

struct frame {
	uint8_t b[MAXLEN];
	unsigned len;
	bool err;          /* rx: a byte flagged; tx: tuser */
	unsigned err_at;   /* rx: which byte carries the flag */
};

static void make_frames(uint64_t *s, struct frame *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		/* lengths 1..MAXLEN, with multiples of 8 and short ones often */
		unsigned k = rng_below(s, 4);
		f[i].len = k == 0 ? 8 * (1 + rng_below(s, MAXLEN / 8))
			 : k == 1 ? 1 + rng_below(s, 9)
				  : 1 + rng_below(s, MAXLEN);
		for (unsigned j = 0; j < f[i].len; j++)
			f[i].b[j] = (uint8_t)rng_next(s);
		f[i].err = rng_pct(s, 30);
		f[i].err_at = rng_below(s, f[i].len);
	}
}

static struct fpga_mac_adapt_model *new_model(uint32_t seed)
{
	struct fpga_mac_adapt_model *m = fpga_mac_adapt_model_new(seed);
	struct fpga_mac_adapt_io io = { 0 };

	assert_non_null(m);
	fpga_mac_adapt_model_drive(m, &io);
	fpga_mac_adapt_model_reset(m, 3);
	return m;
}

/* ---------------------------------------------------------------- receive */

static void rx_run(uint64_t seed, unsigned nf, unsigned in_pct, unsigned out_pct)
{
	struct fpga_mac_adapt_model *m = new_model((uint32_t)seed);
	uint64_t s = seed | 1;
	struct frame *f = calloc(nf, sizeof(*f));
	unsigned in_f = 0, in_b = 0;    /* next byte to offer */
	unsigned out_f = 0, out_b = 0;  /* next byte expected */
	bool offering = false, held = false;
	struct toe_axis_beat held_beat = { 0 };
	struct fpga_mac_adapt_io io = { 0 };
	unsigned long cycles = 0, guard = 0;

	assert_non_null(f);
	make_frames(&s, f, nf);
	for (unsigned i = 0; i < nf; i++)
		guard += f[i].len;
	guard = guard * 100 + 1000;
	while (out_f < nf) {
		if (!offering)
			offering = in_f < nf && rng_pct(&s, in_pct);
		io.rx_valid = offering;
		if (offering) {
			io.rx.data = f[in_f].b[in_b];
			io.rx.last = in_b + 1 == f[in_f].len;
			io.rx.error = f[in_f].err && in_b == f[in_f].err_at;
		}
		io.m_tready = rng_pct(&s, out_pct);
		fpga_mac_adapt_model_drive(m, &io);
		if (held) {
			assert_true(io.m_tvalid);
			assert_memory_equal(&io.m, &held_beat, sizeof(held_beat));
		}
		held = false;
		if (io.m_tvalid) {
			const struct frame *w = &f[out_f];
			unsigned left = w->len - out_b, n = left < 8 ? left : 8;
			uint8_t keep = (uint8_t)((1u << n) - 1);

			if (io.m.keep != keep || io.m.last != (left <= 8) ||
			    io.m.user != (left <= 8 && w->err)) {
				print_error("seed %llu frame %u byte %u: keep %02x last %d user %d\n",
					    (unsigned long long)seed, out_f, out_b,
					    io.m.keep, io.m.last, io.m.user);
				fail();
			}
			for (unsigned i = 0; i < 8; i++) {
				uint8_t got = (uint8_t)(io.m.data >> (8 * i));
				uint8_t want = i < n ? w->b[out_b + i] : 0;

				if (got != want) {
					print_error("seed %llu frame %u byte %u lane %u: %02x, want %02x\n",
						    (unsigned long long)seed, out_f,
						    out_b, i, got, want);
					fail();
				}
			}
			if (io.m_tready) {
				out_b += n;
				if (out_b == w->len) {
					out_f++;
					out_b = 0;
				}
			} else {
				held = true;
				held_beat = io.m;
			}
		}
		if (offering && io.rx_ready) {
			offering = false;
			if (++in_b == f[in_f].len) {
				in_f++;
				in_b = 0;
			}
		}
		fpga_mac_adapt_model_tick(m);
		if (++cycles > guard) {
			print_error("seed %llu: stuck at frame %u of %u\n",
				    (unsigned long long)seed, out_f, nf);
			fail();
		}
	}
	/* nothing more comes out */
	io.rx_valid = false;
	io.m_tready = true;
	for (int i = 0; i < 4; i++) {
		fpga_mac_adapt_model_drive(m, &io);
		assert_false(io.m_tvalid);
		fpga_mac_adapt_model_tick(m);
	}
	free(f);
	fpga_mac_adapt_model_free(m);
}

static void test_mac_adapt_rx_frames_packed_in_order(void **state)
{
	static const unsigned pct[][2] = {
		{ 100, 100 }, { 50, 50 }, { 100, 20 }, { 20, 100 }, { 90, 90 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		for (uint64_t seed = 1; seed <= 3; seed++)
			rx_run(seed * 31 + i, 150, pct[i][0], pct[i][1]);
}

/* ---------------------------------------------------------------- transmit */

/* Beats of frame f: full beats, the last one partial; with pct_partial,
 * a non-last beat may also carry fewer than 8 bytes. Returns the count. */
static unsigned tx_beats(uint64_t *s, const struct frame *f, unsigned pct_partial,
			 struct toe_axis_beat *beats)
{
	unsigned n = 0, at = 0;

	while (at < f->len) {
		unsigned left = f->len - at;
		unsigned k = left < 8 ? left : 8;

		if (k > 1 && left > k && rng_pct(s, pct_partial))
			k = 1 + rng_below(s, k - 1);
		beats[n].data = 0;
		for (unsigned i = 0; i < k; i++)
			beats[n].data |= (uint64_t)f->b[at + i] << (8 * i);
		beats[n].keep = (uint8_t)((1u << k) - 1);
		at += k;
		beats[n].last = at == f->len;
		beats[n].user = f->err;
		n++;
	}
	return n;
}

static void tx_run(uint64_t seed, unsigned nf, unsigned in_pct, unsigned out_pct,
		   unsigned pct_partial, bool check_no_gap)
{
	struct fpga_mac_adapt_model *m = new_model((uint32_t)seed);
	uint64_t s = seed | 1;
	struct frame *f = calloc(nf, sizeof(*f));
	struct toe_axis_beat beats[MAXLEN];
	unsigned nb = 0, bi = 0, in_f = 0;
	unsigned out_f = 0, out_b = 0;
	bool offering = false, held = false, in_frame = false;
	struct mac_byte held_byte = { 0 };
	struct fpga_mac_adapt_io io = { 0 };
	unsigned long cycles = 0, guard = 0;

	assert_non_null(f);
	make_frames(&s, f, nf);
	for (unsigned i = 0; i < nf; i++)
		guard += f[i].len;
	guard = guard * 100 + 1000;
	while (out_f < nf) {
		if (bi == nb && in_f < nf) {
			nb = tx_beats(&s, &f[in_f++], pct_partial, beats);
			bi = 0;
		}
		if (!offering)
			offering = bi < nb && rng_pct(&s, in_pct);
		io.s_tvalid = offering;
		if (offering)
			io.s = beats[bi];
		io.tx_ready = rng_pct(&s, out_pct);
		fpga_mac_adapt_model_drive(m, &io);
		if (held) {
			assert_true(io.tx_valid);
			assert_memory_equal(&io.tx, &held_byte, sizeof(held_byte));
		}
		held = false;
		if (check_no_gap && in_frame && !io.tx_valid) {
			print_error("seed %llu: gap inside frame %u at byte %u\n",
				    (unsigned long long)seed, out_f, out_b);
			fail();
		}
		if (io.tx_valid) {
			const struct frame *w = &f[out_f];
			bool last = out_b + 1 == w->len;

			if (io.tx.data != w->b[out_b] || io.tx.last != last ||
			    io.tx.error != w->err) {
				print_error("seed %llu frame %u byte %u: %02x last %d error %d, want %02x %d %d\n",
					    (unsigned long long)seed, out_f, out_b,
					    io.tx.data, io.tx.last, io.tx.error,
					    w->b[out_b], last, w->err);
				fail();
			}
			if (io.tx_ready) {
				in_frame = !last;
				if (last) {
					out_f++;
					out_b = 0;
				} else {
					out_b++;
				}
			} else {
				held = true;
				held_byte = io.tx;
			}
		}
		if (offering && io.s_tready) {
			offering = false;
			bi++;
		}
		fpga_mac_adapt_model_tick(m);
		if (++cycles > guard) {
			print_error("seed %llu: stuck at frame %u of %u\n",
				    (unsigned long long)seed, out_f, nf);
			fail();
		}
	}
	io.s_tvalid = false;
	io.tx_ready = true;
	for (int i = 0; i < 4; i++) {
		fpga_mac_adapt_model_drive(m, &io);
		assert_false(io.tx_valid);
		fpga_mac_adapt_model_tick(m);
	}
	free(f);
	fpga_mac_adapt_model_free(m);
}

static void test_mac_adapt_tx_bytes_in_order(void **state)
{
	static const unsigned pct[][3] = {
		{ 100, 100, 0 }, { 50, 50, 10 }, { 100, 20, 10 }, { 20, 100, 0 },
		{ 90, 90, 30 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		for (uint64_t seed = 1; seed <= 3; seed++)
			tx_run(seed * 37 + i, 150, pct[i][0], pct[i][1], pct[i][2], false);
}

static void test_mac_adapt_tx_no_gap_inside_a_frame(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		tx_run(seed * 41, 100, 100, 100, 0, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_adapt_rx_frames_packed_in_order),
		cmocka_unit_test(test_mac_adapt_tx_bytes_in_order),
		cmocka_unit_test(test_mac_adapt_tx_no_gap_inside_a_frame),
	};
	return cmocka_run_group_tests_name("rtl_mac_adapt", tests, NULL, NULL);
}
