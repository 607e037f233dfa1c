/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_tcb_core_64k.c - toe_tcb_core built with N_CONN 65536.
 *
 *  - the table fills to exactly 65536 connections with random 4-tuples
 *    (ids 0..65535 in order, then ENOMEM), every one is then found again
 *    by a segment, and ids freed anywhere are reused lowest first;
 *  - a long randomized differential run against the reference stack with
 *    about a thousand live connections (TOE_DIFF64_STEPS, default 100000,
 *    seed TOE_DIFF64_SEED).
 */
#include "tcb_core_dual.h"

static unsigned env_num(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 0) : dflt;
}

static void test_fill_65536_then_full_then_lookup_all(void **state)
{
	struct toe_ref_cfg c;
	struct tm_cfg tc;
	struct tcb_core_model *m;
	enum { N = 65536 };
	static uint32_t rip[N];
	static uint16_t lp[N], rp[N];
	uint64_t rs = 4242;
	struct tm_tx x;
	struct tm_pl p;

	(void)state;
	assert_int_equal(tm_n_conn(), N);
	kit_cfg(&c);
	c.max_conns = N;
	d_tm_cfg(&tc, &c);
	m = tm_new(3, &tc);
	assert_non_null(m);
	for (unsigned k = 0; k < N; k++) {
		struct tm_fixture f;

		memset(&f, 0, sizeof(f));
		f.state = TOE_ST_ESTABLISHED;
		/* random tuples; a repeat would be EADDRINUSE, so make the
		 * remote port unique per k in its low bits */
		lp[k] = (uint16_t)(1 + rng_below(&rs, 65535));
		rip[k] = (uint32_t)rng_next(&rs) | 1;
		rp[k] = (uint16_t)k;
		f.local_port = lp[k];
		f.remote_ip = rip[k];
		f.remote_port = rp[k];
		f.remote_mac = d_mac_of(rip[k]);
		f.iss = k;
		f.snd_una = k + 1;
		f.snd_nxt = k + 1;
		f.irs = 7 * k;
		f.rcv_nxt = 7 * k + 1;
		f.snd_wnd = 1000;
		int id = tm_make_fixture(m, &f);
		if (id != (int)k)
			fail_msg("fixture %u returned %d", k, id);
	}
	struct tm_fixture f;
	memset(&f, 0, sizeof(f));
	f.state = TOE_ST_ESTABLISHED;
	f.local_port = 1;
	f.remote_ip = 2;
	f.remote_port = 3;
	assert_int_equal(tm_make_fixture(m, &f), TOE_REF_ENOMEM);

	/* every tuple is found: an out-of-window ACK gets the connection's
	 * <SEQ=SND.NXT><ACK=RCV.NXT> with its id */
	for (unsigned n = 0; n < 4096; n++) {
		unsigned k = n < 2048 ? n * 32 + (n % 32) : rng_below(&rs, N);
		struct tm_seg s;

		memset(&s, 0, sizeof(s));
		s.src_mac = d_mac_of(rip[k]);
		s.src_ip = rip[k];
		s.dst_ip = KIT_LOCAL_IP;
		s.src_port = rp[k];
		s.dst_port = lp[k];
		s.seq = 7 * k + 1 + 100000;
		s.ack = k + 1;
		s.flags = TOE_TCP_ACK;
		s.win = 1000;
		tm_input(m, &s);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.conn, (int)k);
		assert_int_equal(x.seq, k + 1);
		assert_int_equal(x.ack, 7 * k + 1);
		assert_true(tm_pop_pl(m, &p));
	}
	/* free a few anywhere: reused lowest first */
	static const int freed[] = { 65535, 40000, 7, 30000 };
	for (unsigned k = 0; k < 4; k++) {
		assert_int_equal(tm_abort(m, freed[k]), 0);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.flags, TOE_TCP_RST);
	}
	static const int expect[] = { 7, 30000, 40000, 65535 };
	for (unsigned k = 0; k < 4; k++) {
		f.remote_port = (uint16_t)(10 + k);
		assert_int_equal(tm_make_fixture(m, &f), expect[k]);
	}
	assert_int_equal(tm_make_fixture(m, &f), TOE_REF_EADDRINUSE);
	f.remote_port = 99;
	assert_int_equal(tm_make_fixture(m, &f), TOE_REF_ENOMEM);
	struct tm_stats st;
	tm_get_stats(m, &st);
	/* only the two refusals above: no bucket ever overflowed */
	assert_int_equal(st.table_full, 2);
	assert_false(tm_pop_tx(m, &x));
	tm_free(m);
}

static void test_diff_random_1000_conns(void **state)
{
	struct dual d;
	struct toe_ref_cfg c;
	struct d_run_cfg rc = { .steps = env_num("TOE_DIFF64_STEPS", 120000),
				.peers = 2000, .check_every = 10000,
				.long_jump_pct = 0, .mid_jump_pct = 1,
				.ramp_steps = 2000, .calm = true,
				.target_live = 1000 };
	struct d_run_stats st;
	uint32_t seed = env_num("TOE_DIFF64_SEED", 777);

	(void)state;
	kit_cfg(&c);
	c.max_conns = 2048;
	c.max_listeners = 4;
	/* long timers so that about a thousand connections stay alive */
	c.rto_init = KIT_S(20);
	c.rto_max = KIT_S(60);
	c.synack_giveup = KIT_S(200);
	c.msl = KIT_S(60);
	d_init(&d, &c, seed);
	d_random_run(&d, &rc, seed, &st);
	print_message("      seed %u: %llu segments, %llu calls, %llu connections made, "
		      "%llu live at most (%llu on average), %llu segments and %llu "
		      "events compared, %llu timer steps, %llu cycles\n", seed,
		      (unsigned long long)st.segs, (unsigned long long)st.calls,
		      (unsigned long long)st.conns_made, (unsigned long long)st.max_live,
		      (unsigned long long)(st.live_n ? st.live_sum / st.live_n : 0),
		      (unsigned long long)d.n_tx, (unsigned long long)d.n_ev,
		      (unsigned long long)d.timer_steps,
		      (unsigned long long)tm_cycles(d.m));
	d_print_mix(&d);
	d_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_65536_then_full_then_lookup_all),
		cmocka_unit_test(test_diff_random_1000_conns),
	};

	return cmocka_run_group_tests_name("rtl_tcb_core_64k", tests, NULL, NULL);
}
