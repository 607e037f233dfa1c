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
 *   bench_conn_table                       the default set of geometries
 *   bench_conn_table N_CONN WAYS LIVE INSERTS [SEED]
 *
 * `make bench-conn-table` runs the default set. Output: one line per
 * geometry with the refused inserts and the fullest bucket seen.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* xorshift64*: fixed, seedable, the same on every platform */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)((rng_next(s) >> 32) % n);
}

struct geo {
	uint32_t n_conn, ways, live;
	uint64_t inserts, seed;
};

static int run(const struct geo *g)
{
	uint32_t nb = g->n_conn / g->ways;
	uint32_t *cnt = calloc(2 * (size_t)nb, sizeof(*cnt));
	uint32_t *where = calloc(g->live, sizeof(*where)); /* live key -> bucket */
	uint64_t s = g->seed, refused = 0, fill_refused = 0, churn = 0;
	uint32_t n = 0, maxb = 0;
	bool filled = false;

	if (!cnt || !where) {
		fprintf(stderr, "bench_conn_table: out of memory\n");
		free(cnt);
		free(where);
		return 1;
	}
	while (churn < g->inserts) {
		bool fill = !filled;

		if (n == g->live) { /* close one at random */
			uint32_t v = rng_below(&s, n);

			cnt[where[v]]--;
			where[v] = where[--n];
		}
		uint32_t b0 = rng_below(&s, nb), b1 = nb + rng_below(&s, nb);

		if (cnt[b0] == g->ways && cnt[b1] == g->ways) {
			if (fill)
				fill_refused++;
			else
				refused++;
		} else {
			uint32_t b = cnt[b1] < cnt[b0] ? b1 : b0;

			if (++cnt[b] > maxb)
				maxb = cnt[b];
			where[n++] = b;
			if (n == g->live)
				filled = true;
		}
		if (!fill)
			churn++;
	}
	printf("N_CONN %6u  WAYS %u  live %6u  churn inserts %9llu  refused %7llu (%.2e)"
	       "  refused while filling %llu  fullest bucket %u  seed %llu\n",
	       g->n_conn, g->ways, g->live, (unsigned long long)churn,
	       (unsigned long long)refused, (double)refused / (double)churn,
	       (unsigned long long)fill_refused, maxb, (unsigned long long)g->seed);
	free(cnt);
	free(where);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct geo dflt[] = {
		{ 1024, 4, 700, 10000000, 1 },   { 1024, 4, 950, 10000000, 1 },
		{ 1024, 4, 1024, 10000000, 1 },  { 1024, 8, 1000, 20000000, 1 },
		{ 1024, 8, 1024, 200000000, 1 },  { 65536, 4, 65536, 2000000, 1 },
		{ 65536, 8, 65536, 2000000, 1 },
	};
	struct geo g;

	if (argc == 1) {
		for (size_t i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++)
			if (run(&dflt[i]))
				return 1;
		return 0;
	}
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s [N_CONN WAYS LIVE INSERTS [SEED]]\n", argv[0]);
		return 2;
	}
	g.n_conn = (uint32_t)strtoul(argv[1], NULL, 0);
	g.ways = (uint32_t)strtoul(argv[2], NULL, 0);
	g.live = (uint32_t)strtoul(argv[3], NULL, 0);
	g.inserts = strtoull(argv[4], NULL, 0);
	g.seed = argc > 5 ? strtoull(argv[5], NULL, 0) : 1;
	if (g.ways == 0 || g.n_conn % g.ways || g.live == 0 || g.live > g.n_conn || g.seed == 0) {
		fprintf(stderr, "bench_conn_table: need WAYS dividing N_CONN, 0 < LIVE <= N_CONN, SEED != 0\n");
		return 2;
	}
	return run(&g);
}
