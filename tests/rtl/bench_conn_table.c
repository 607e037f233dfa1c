// SPDX-License-Identifier: MIT
/*
 * bench_conn_table - how often toe_conn_table's insert policy refuses a new
 * connection under churn, for a bucket geometry, simulated at the algorithm
 * level (not the RTL): two sub-tables of N_CONN / WAYS buckets of WAYS
 * entries, each key with one bucket in each sub-table drawn uniformly (an
 * ideal hash), inserted into the less loaded of its two buckets (sub-table
 * 0 on a tie), never moved. The table is filled to LIVE connections, then
 * churned: a random live connection closes, a new one is inserted, INSERTS
 * times. A refused insert (both buckets full) is counted and the
 * connection is not made, as toe_tcb_core does (STAT_TABLE_FULL).
 *
 * With FP_W > 0 the table stores FP_W-bit fingerprints as the RTL does:
 * each key has a uniform fingerprint, its sub-table-1 bucket is its
 * sub-table-0 bucket XOR the fingerprint's low bits, and an insert is also
 * refused while an entry of either bucket carries its fingerprint
 * (counted apart: "fingerprint").
 *
 *   bench_conn_table                       the default set of geometries
 *   bench_conn_table N_CONN WAYS LIVE INSERTS [SEED [FP_W]]
 *
 * `make bench-conn-table` runs the default set. Output: one line per
 * geometry with the refused inserts and the fullest bucket seen.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_rng.h"

/* the high bits: [0, n) */
static uint32_t rng_below_hi(uint64_t *s, uint32_t n)
{
	return (uint32_t)((rng_next(s) >> 32) % n);
}

struct geo {
	uint32_t n_conn, ways, live;
	uint64_t inserts, seed;
	uint32_t fp_w; /* fingerprint bits (0: the full key is stored) */
};

static int run(const struct geo *g)
{
	uint32_t nb = g->n_conn / g->ways;
	size_t nslot = 2 * (size_t)nb * g->ways;
	uint32_t *cnt = calloc(2 * (size_t)nb, sizeof(*cnt));
	uint64_t *fp = calloc(nslot, sizeof(*fp));     /* slot -> fingerprint */
	bool *used = calloc(nslot, sizeof(*used));
	uint32_t *where = calloc(g->live, sizeof(*where)); /* live key -> slot */
	uint64_t fp_mask = g->fp_w >= 64 ? ~0ULL : (1ULL << g->fp_w) - 1;
	uint64_t s = g->seed, refused = 0, fp_refused = 0, fill_refused = 0,
		 fill_fp_refused = 0, churn = 0;
	uint32_t n = 0, maxb = 0;
	bool filled = false;

	if (!cnt || !fp || !used || !where) {
		fprintf(stderr, "bench_conn_table: out of memory\n");
		free(cnt);
		free(fp);
		free(used);
		free(where);
		return 1;
	}
	while (churn < g->inserts) {
		bool fill = !filled;

		if (n == g->live) { /* close one at random */
			uint32_t v = rng_below_hi(&s, n);

			used[where[v]] = false;
			cnt[where[v] / g->ways]--;
			where[v] = where[--n];
		}
		/* an ideal hash: h0 uniform; with a fingerprint, h1 = h0 ^ fp
		 * (as toe_conn_table), else uniform on its own */
		uint32_t h0 = rng_below_hi(&s, nb), h1;
		uint64_t f = rng_next(&s) & fp_mask;

		h1 = g->fp_w ? (h0 ^ (uint32_t)(f & (nb - 1))) : rng_below_hi(&s, nb);
		uint32_t b0 = h0, b1 = nb + h1;
		bool clash = false;

		for (uint32_t w = 0; g->fp_w && w < g->ways; w++) {
			size_t i0 = (size_t)b0 * g->ways + w, i1 = (size_t)b1 * g->ways + w;

			clash |= (used[i0] && fp[i0] == f) || (used[i1] && fp[i1] == f);
		}
		if (clash) {
			if (fill)
				fill_fp_refused++;
			else
				fp_refused++;
		} else if (cnt[b0] == g->ways && cnt[b1] == g->ways) {
			if (fill)
				fill_refused++;
			else
				refused++;
		} else {
			uint32_t b = cnt[b1] < cnt[b0] ? b1 : b0;
			size_t i = (size_t)b * g->ways;

			while (used[i])
				i++;
			used[i] = true;
			fp[i] = f;
			if (++cnt[b] > maxb)
				maxb = cnt[b];
			where[n++] = (uint32_t)i;
			if (n == g->live)
				filled = true;
		}
		if (!fill)
			churn++;
	}
	printf("N_CONN %6u  WAYS %u  FP_W %2u  live %6u  churn inserts %9llu  refused: "
	       "buckets full %7llu (%.2e), fingerprint %5llu (%.2e);  while filling: %llu, %llu"
	       "  fullest bucket %u  seed %llu\n",
	       g->n_conn, g->ways, g->fp_w, g->live, (unsigned long long)churn,
	       (unsigned long long)refused, (double)refused / (double)churn,
	       (unsigned long long)fp_refused, (double)fp_refused / (double)churn,
	       (unsigned long long)fill_refused, (unsigned long long)fill_fp_refused,
	       maxb, (unsigned long long)g->seed);
	free(cnt);
	free(fp);
	free(used);
	free(where);
	return 0;
}

int main(int argc, char **argv)
{
	/* full keys (FP_W 0) for the way count; then the RTL's geometry
	 * with its fingerprints (25 bits at N_CONN 1024, 28 at 65536), and
	 * 7-bit fingerprints at 1000 live, the setting of
	 * test_rtl_tcb_core_fp7 */
	static const struct geo dflt[] = {
		{ 1024, 4, 700, 10000000, 1, 0 },   { 1024, 4, 950, 10000000, 1, 0 },
		{ 1024, 4, 1024, 10000000, 1, 0 },  { 1024, 8, 1000, 20000000, 1, 0 },
		{ 1024, 8, 1024, 200000000, 1, 0 }, { 65536, 4, 65536, 2000000, 1, 0 },
		{ 65536, 8, 65536, 2000000, 1, 0 },
		{ 1024, 8, 1024, 200000000, 1, 25 }, { 65536, 8, 65536, 2000000, 1, 28 },
		{ 1024, 8, 1000, 1000000, 1, 7 },
	};
	struct geo g;

	if (argc == 1) {
		for (size_t i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++)
			if (run(&dflt[i]))
				return 1;
		return 0;
	}
	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: %s [N_CONN WAYS LIVE INSERTS [SEED [FP_W]]]\n", argv[0]);
		return 2;
	}
	g.n_conn = (uint32_t)strtoul(argv[1], NULL, 0);
	g.ways = (uint32_t)strtoul(argv[2], NULL, 0);
	g.live = (uint32_t)strtoul(argv[3], NULL, 0);
	g.inserts = strtoull(argv[4], NULL, 0);
	g.seed = argc > 5 ? strtoull(argv[5], NULL, 0) : 1;
	g.fp_w = argc > 6 ? (uint32_t)strtoul(argv[6], NULL, 0) : 0;
	if (g.ways == 0 || g.n_conn % g.ways || g.live == 0 || g.live > g.n_conn || g.seed == 0 ||
	    g.fp_w > 64 || (g.fp_w && (1ULL << g.fp_w) < g.n_conn / g.ways)) {
		fprintf(stderr, "bench_conn_table: need WAYS dividing N_CONN, 0 < LIVE <= N_CONN, SEED != 0,"
			" FP_W 0 or log2(N_CONN / WAYS)..64\n");
		return 2;
	}
	return run(&g);
}
