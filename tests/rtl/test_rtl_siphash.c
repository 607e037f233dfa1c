/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_siphash.c - the toe_siphash RTL in Verilator against SipHash-2-4:
 * the published test vector for a 12-byte message, 10000 random keys and
 * messages against libsodium's crypto_shorthash_siphash24 with idle gaps on
 * the input and random backpressure on the output (order, tags, nothing left
 * in flight), full rate with its measured latency, and the ISN the reference
 * stack computes for a 4-tuple.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "siphash_model.h"
#include "toe_bytes.h"
#include "toe_ref.h"
#include "test_rng.h"

/* Half-rounds per stage of the model under test, and whether it is the
 * iterative unit: this file is built with the block's defaults (1, the
 * pipeline); test_rtl_siphash_it4.c builds it again for the toe_siphash
 * built with HR_PER_STAGE 4 and ITERATE 1, as toe_top uses it. */
#ifndef SIPHASH_HR
#define SIPHASH_HR 1
#endif
#ifndef SIPHASH_ITER
#define SIPHASH_ITER 0
#endif
/* Latency: 16 / HR_PER_STAGE stages + the output skid register, as the
 * header of rtl/toe_siphash.v states, plus the iterative unit's loading
 * cycle (its accept only registers the initial state). */
#define EXPECT_LATENCY (16 / SIPHASH_HR + 1 + SIPHASH_ITER)
/* Cycles between two accepts at full rate: 1 for the pipeline, the loading
 * cycle and one pass through the 16 / HR_PER_STAGE stages for the
 * iterative unit. */
#define EXPECT_INTERVAL (SIPHASH_ITER ? 16 / SIPHASH_HR + 1 : 1)

static void rng_bytes(uint64_t *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rng_next(s) >> 56);
}

/* libsodium's SipHash-2-4, as the little-endian integer of its 8 bytes. */
static uint64_t sodium_siphash(const uint8_t key[16], const uint8_t msg[12])
{
	uint8_t out[crypto_shorthash_siphash24_BYTES];
	uint64_t h = 0;

	crypto_shorthash_siphash24(out, msg, 12, key);
	for (int i = 7; i >= 0; i--)
		h = h << 8 | out[i];
	return h;
}

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static struct toe_siphash_model *new_model(uint32_t seed)
{
	struct toe_siphash_model *m = toe_siphash_model_new(seed);

	assert_non_null(m);
	toe_siphash_model_drive(m, false, NULL, NULL, 0, false);
	toe_siphash_model_reset(m, 3);
	/* the output skid's registered ready rises one cycle after reset */
	toe_siphash_model_tick(m);
	return m;
}

/*
 * Hash one (key, msg) with nothing else in flight; returns the hash and the
 * cycles from the accepting edge to the edge after which m_valid is high.
 */
static uint64_t hash_one(struct toe_siphash_model *m, const uint8_t key[16],
			 const uint8_t msg[12], unsigned *latency)
{
	uint64_t h;
	uint16_t tag;
	unsigned n = 0;

	for (;;) {
		toe_siphash_model_drive(m, true, key, msg, 0x5a5a, true);
		bool rdy = toe_siphash_model_in_ready(m);

		toe_siphash_model_tick(m);
		if (rdy)
			break;
		assert_true(++n < 100);
	}
	for (n = 1;; n++) {
		toe_siphash_model_drive(m, false, NULL, NULL, 0, true);
		if (toe_siphash_model_out(m, &h, &tag))
			break;
		toe_siphash_model_tick(m);
		assert_true(n < 1000);
	}
	assert_int_equal(tag, 0x5a5a);
	toe_siphash_model_tick(m); /* take it */
	*latency = n;
	return h;
}

/* Nothing in flight: with ready held high and no input, no output for
 * longer than the pipeline is deep. */
static void assert_drained(struct toe_siphash_model *m)
{
	uint64_t h;
	uint16_t tag;

	for (int i = 0; i < 3 * EXPECT_LATENCY; i++) {
		toe_siphash_model_drive(m, false, NULL, NULL, 0, true);
		assert_false(toe_siphash_model_out(m, &h, &tag));
		toe_siphash_model_tick(m);
	}
}

static void test_siphash_spec_vector_matches(void **state)
{
	/* SipHash paper (Aumasson, Bernstein), appendix test vectors: key
	 * 00..0f, message 00 01 .. 0b (12 bytes), SipHash-2-4 output bytes
	 * fb e5 0e 86 bc 8f 1e 75, i.e. 0x751e8fbc860ee5fb little-endian. */
	const uint64_t want = 0x751e8fbc860ee5fbULL;
	uint8_t key[16], msg[12];
	unsigned lat;
	struct toe_siphash_model *m = new_model(1);

	(void)state;
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 12; i++)
		msg[i] = (uint8_t)i;
	assert_int_equal(sodium_siphash(key, msg), want); /* the oracle agrees */
	assert_int_equal(hash_one(m, key, msg, &lat), want);
	assert_int_equal(lat, EXPECT_LATENCY);
	assert_drained(m);
	toe_siphash_model_free(m);
}

#define N_RANDOM 10000
#define QCAP 64

static void test_siphash_random_gaps_backpressure_match_libsodium(void **state)
{
	const uint64_t seed = 0x5EED0001ULL;
	uint64_t s = seed;
	struct toe_siphash_model *m = new_model((uint32_t)seed);
	/* expected results, in input order */
	uint64_t q_hash[QCAP];
	uint16_t q_tag[QCAP];
	unsigned q_head = 0, q_len = 0;
	unsigned sent = 0, got = 0;
	uint8_t key[16], msg[12];
	bool have = false;
	uint64_t cycles = 0, stalls = 0, gaps = 0;
	/* the input/output probabilities change every 1000 inputs */
	unsigned in_pct = 100, out_pct = 100;

	(void)state;
	while (got < N_RANDOM) {
		uint64_t h;
		uint16_t tag;
		bool out_ready, in_ready, out_valid;

		if (sent % 1000 == 0 && !have) {
			in_pct = 20 + (unsigned)(rng_next(&s) % 81);
			out_pct = 20 + (unsigned)(rng_next(&s) % 81);
		}
		/* A new input, held until taken (an AXI source may not
		 * withdraw it); idle cycles when the dice say so. */
		if (!have && sent < N_RANDOM && rng_pct(&s, in_pct)) {
			rng_bytes(&s, key, sizeof(key));
			rng_bytes(&s, msg, sizeof(msg));
			have = true;
		} else if (!have) {
			gaps++;
		}
		out_ready = rng_pct(&s, out_pct);
		toe_siphash_model_drive(m, have, key, msg, (uint16_t)sent, out_ready);
		in_ready = toe_siphash_model_in_ready(m);
		out_valid = toe_siphash_model_out(m, &h, &tag);

		if (out_valid && out_ready) {
			if (q_len == 0) {
				print_error("seed 0x%llx: output %u with nothing in flight\n",
					    (unsigned long long)seed, got);
				fail();
			}
			if (h != q_hash[q_head] || tag != q_tag[q_head]) {
				print_error("seed 0x%llx: output %u: hash %016llx tag %u, "
					    "want %016llx tag %u\n",
					    (unsigned long long)seed, got,
					    (unsigned long long)h, tag,
					    (unsigned long long)q_hash[q_head],
					    q_tag[q_head]);
				fail();
			}
			q_head = (q_head + 1) % QCAP;
			q_len--;
			got++;
		} else if (out_valid) {
			stalls++;
		}
		if (have && in_ready) {
			unsigned tail = (q_head + q_len) % QCAP;

			if (q_len == QCAP) {
				print_error("seed 0x%llx: more than %d in flight\n",
					    (unsigned long long)seed, QCAP);
				fail();
			}
			q_hash[tail] = sodium_siphash(key, msg);
			q_tag[tail] = (uint16_t)sent;
			q_len++;
			sent++;
			have = false;
		}
		toe_siphash_model_tick(m);
		if (++cycles > 100ULL * N_RANDOM) {
			print_error("seed 0x%llx: stuck after %u of %u results\n",
				    (unsigned long long)seed, got, N_RANDOM);
			fail();
		}
	}
	assert_int_equal(sent, N_RANDOM);
	assert_int_equal(q_len, 0);
	assert_drained(m);
	printf("siphash: %u random hashes in %llu cycles (%llu idle input cycles, "
	       "%llu output stalls)\n", got, (unsigned long long)cycles,
	       (unsigned long long)gaps, (unsigned long long)stalls);
	toe_siphash_model_free(m);
}

static void test_siphash_back_to_back_full_rate(void **state)
{
	/* Input always valid, output always ready: one accept every
	 * EXPECT_INTERVAL cycles, so n hashes take
	 * (n - 1) * EXPECT_INTERVAL + latency cycles from the first accepting
	 * edge. */
	const unsigned n = 200;
	uint64_t s = 0x5EED0002ULL;
	struct toe_siphash_model *m = new_model(2);
	uint8_t key[16], msg[12];
	uint64_t want[200];
	unsigned sent = 0, got = 0, cyc = 0, first_out = 0;

	(void)state;
	while (got < n) {
		uint64_t h;
		uint16_t tag;

		if (sent < n) {
			rng_bytes(&s, key, sizeof(key));
			rng_bytes(&s, msg, sizeof(msg));
		}
		toe_siphash_model_drive(m, sent < n, key, msg, (uint16_t)sent, true);
		if (toe_siphash_model_out(m, &h, &tag)) {
			if (got == 0)
				first_out = cyc;
			assert_int_equal(tag, got);
			assert_int_equal(h, want[got]);
			got++;
		}
		if (sent < n) {
			/* full rate: taken exactly every EXPECT_INTERVAL cycles */
			bool rdy = toe_siphash_model_in_ready(m);

			if (rdy != (cyc % EXPECT_INTERVAL == 0))
				fail_msg("cycle %u: in_ready %d, want %d (interval %d)",
					 cyc, rdy, !rdy, EXPECT_INTERVAL);
			if (rdy)
				want[sent++] = sodium_siphash(key, msg);
		}
		toe_siphash_model_tick(m);
		cyc++;
		assert_true(cyc < 20 * n * EXPECT_INTERVAL);
	}
	printf("siphash: latency %u cycles, %u hashes in %u cycles (1 per %d)\n",
	       first_out, n, cyc, EXPECT_INTERVAL);
	assert_int_equal(first_out, EXPECT_LATENCY);
	assert_int_equal(cyc, (n - 1) * EXPECT_INTERVAL + EXPECT_LATENCY + 1);
	assert_drained(m);
	toe_siphash_model_free(m);
}

static void test_siphash_isn_tuple_matches_ref_stack(void **state)
{
	/* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
	 * secretkey). At time 0 (M = 0) the reference stack's ISN is the low
	 * 32 bits of the hash the RTL computes for the same 4-tuple. */
	struct toe_ref_cfg cfg;
	struct toe_ref *r;
	uint8_t key[16], msg[12];
	const uint32_t lip = 0x0A000001, rip = 0x836B02D6; /* 10.0.0.1, 131.107.2.214 */
	const uint16_t lport = 21, rport = 1029;
	uint64_t s = 0x5EED0003ULL;
	unsigned lat;
	struct toe_siphash_model *m = new_model(3);

	(void)state;
	rng_bytes(&s, key, sizeof(key));
	toe_ref_cfg_default(&cfg);
	memcpy(cfg.isn_key, key, sizeof(key));
	r = toe_ref_new(&cfg);
	assert_non_null(r);
	/* local_ip | local_port | remote_ip | remote_port, big-endian */
	toe_put_be32(msg, lip);
	toe_put_be16(msg + 4, lport);
	toe_put_be32(msg + 6, rip);
	toe_put_be16(msg + 10, rport);
	assert_int_equal((uint32_t)hash_one(m, key, msg, &lat),
			 toe_ref_isn(r, lip, lport, rip, rport, 0));
	assert_drained(m);
	toe_ref_free(r);
	toe_siphash_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_spec_vector_matches),
		cmocka_unit_test(test_siphash_random_gaps_backpressure_match_libsodium),
		cmocka_unit_test(test_siphash_back_to_back_full_rate),
		cmocka_unit_test(test_siphash_isn_tuple_matches_ref_stack),
	};
	return cmocka_run_group_tests_name("rtl_siphash", tests, setup, NULL);
}
