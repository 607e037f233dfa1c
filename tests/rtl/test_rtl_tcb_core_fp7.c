/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_tcb_core_fp7.c - toe_tcb_core with a 7-bit connection-table
 * fingerprint (CT_FP_W = 7; the default is 34 bits), so that the rare case
 * of the default, two tuples with the same bucket pair and fingerprint,
 * happens about 30 times in 1000 inserts.
 *
 * The table stores a fingerprint per entry and the core confirms a hit
 * against the tuple in the TCB (rtl/toe_conn_table.v). What must hold:
 *  - an insert whose fingerprint is already in its bucket pair is refused
 *    (ENOMEM for a fixture, a dropped SYN for a listener, counted as
 *    table_full), never stored beside the other;
 *  - a segment of a refused tuple finds no connection although its lookup
 *    hits the other tuple's entry: it is answered as in CLOSED (RFC 9293
 *    3.10.7.1: ACK set -> <SEQ=SEG.ACK><CTL=RST>), and the other
 *    connection is untouched;
 *  - every stored tuple is still found under its own id;
 *  - a refused tuple is accepted once the table no longer holds a tuple
 *    with its fingerprint in its bucket pair.
 *
 * Expected refusal count (a derivation, not a measurement): inserting the
 * n-th tuple collides with each of the ~n/128 entries of its bucket pair
 * with probability 2^-7, so 1000 inserts refuse about sum n/16384 = 30
 * (Poisson, sd 5.5); the test accepts 8..52 (4 sd).
 */
#include "tcb_core_dual.h"

enum { N_TRY = 1000 };

static void seg_ack(struct tm_seg *s, uint16_t lp, uint32_t rip, uint16_t rp,
		    uint32_t seq, uint32_t ack)
{
	memset(s, 0, sizeof(*s));
	s->src_mac = d_mac_of(rip);
	s->src_ip = rip;
	s->dst_ip = KIT_LOCAL_IP;
	s->src_port = rp;
	s->dst_port = lp;
	s->seq = seq;
	s->ack = ack;
	s->flags = TOE_TCP_ACK;
	s->win = 1000;
}

static void fixture_of(struct tm_fixture *f, uint16_t lp, uint32_t rip, uint16_t rp,
		       unsigned k)
{
	memset(f, 0, sizeof(*f));
	f->state = TOE_ST_ESTABLISHED;
	f->local_port = lp;
	f->remote_ip = rip;
	f->remote_port = rp;
	f->remote_mac = d_mac_of(rip);
	f->iss = k;
	f->snd_una = k + 1;
	f->snd_nxt = k + 1;
	f->irs = 7 * k;
	f->rcv_nxt = 7 * k + 1;
	f->snd_wnd = 1000;
}

static void test_fingerprint_collisions(void **state)
{
	struct toe_ref_cfg c;
	struct tm_cfg tc;
	struct tcb_core_model *m;
	static uint32_t rip[N_TRY];
	static uint16_t rp[N_TRY];
	static int id[N_TRY];
	uint64_t rs = 2026;
	unsigned refused = 0, stored = 0;
	struct tm_tx x;
	struct tm_ev e;
	struct tm_pl p;
	struct tm_stats st;

	(void)state;
	kit_cfg(&c);
	c.max_conns = 1024;
	d_tm_cfg(&tc, &c);
	m = tm_new(5, &tc);
	assert_non_null(m);
	assert_int_equal(tm_listen(m, KIT_LPORT), 0);

	/* 1000 distinct tuples (remote port = index), as fixtures */
	for (unsigned k = 0; k < N_TRY; k++) {
		struct tm_fixture f;

		rip[k] = (uint32_t)rng_next(&rs) | 1;
		rp[k] = (uint16_t)(1000 + k);
		fixture_of(&f, KIT_LPORT, rip[k], rp[k], k);
		id[k] = tm_make_fixture(m, &f);
		if (id[k] == TOE_REF_ENOMEM) {
			refused++;
		} else {
			/* ids are handed out lowest first */
			if (id[k] != (int)stored)
				fail_msg("tuple %u: id %d, expected %u", k, id[k], stored);
			stored++;
		}
	}
	printf("      7-bit fingerprints: %u of %u inserts refused (expected about 30)\n",
	       refused, N_TRY);
	assert_in_range(refused, 8, 52);
	tm_get_stats(m, &st);
	assert_int_equal(st.table_full, refused);

	/* a refused tuple's ACK: no connection, RST <SEQ=SEG.ACK>; a SYN of it
	 * to the listener: refused again (no reply, counted) */
	for (unsigned k = 0; k < N_TRY; k++) {
		struct tm_seg s;

		if (id[k] != TOE_REF_ENOMEM)
			continue;
		seg_ack(&s, KIT_LPORT, rip[k], rp[k], 5000 + k, 0x40000000u + k);
		tm_input(m, &s);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.flags, TOE_TCP_RST);
		assert_int_equal(x.seq, 0x40000000u + k);
		assert_int_equal(x.conn, -1);
		assert_int_equal(x.dst_ip, rip[k]);
		assert_int_equal(x.dst_port, rp[k]);
		assert_false(tm_pop_tx(m, &x));
		assert_false(tm_pop_ev(m, &e));
		while (tm_pop_pl(m, &p))
			;
		s.flags = TOE_TCP_SYN;
		s.ack = 0;
		s.mss_valid = true;
		s.mss = 1460;
		s.isn = 77;
		tm_input(m, &s);
		assert_true(tm_settle(m, 1000));
		assert_false(tm_pop_tx(m, &x));
		assert_false(tm_pop_ev(m, &e));
		while (tm_pop_pl(m, &p))
			;
	}
	tm_get_stats(m, &st);
	assert_int_equal(st.table_full, 2 * refused);

	/* every stored tuple is found under its own id: an out-of-window ACK
	 * gets <SEQ=SND.NXT><ACK=RCV.NXT> (RFC 9293 3.10.7.4) from that id */
	for (unsigned k = 0; k < N_TRY; k++) {
		struct tm_seg s;

		if (id[k] == TOE_REF_ENOMEM)
			continue;
		seg_ack(&s, KIT_LPORT, rip[k], rp[k], 7 * k + 1 + 100000, k + 1);
		tm_input(m, &s);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.conn, id[k]);
		assert_int_equal(x.flags, TOE_TCP_ACK);
		assert_int_equal(x.seq, k + 1);
		assert_int_equal(x.ack, 7 * k + 1);
		while (tm_pop_pl(m, &p))
			;
	}

	/* empty the table; then each refused tuple alone is accepted */
	for (int k = 0; k < (int)stored; k++) {
		assert_int_equal(tm_abort(m, k), 0);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.flags, TOE_TCP_RST);
	}
	while (tm_pop_ev(m, &e))
		;
	for (unsigned k = 0; k < N_TRY; k++) {
		struct tm_fixture f;

		if (id[k] != TOE_REF_ENOMEM)
			continue;
		fixture_of(&f, KIT_LPORT, rip[k], rp[k], k);
		assert_int_equal(tm_make_fixture(m, &f), 0);
		assert_int_equal(tm_abort(m, 0), 0);
		assert_true(tm_settle(m, 1000));
		assert_true(tm_pop_tx(m, &x));
		assert_int_equal(x.flags, TOE_TCP_RST);
		assert_int_equal(x.dst_port, rp[k]);
	}
	tm_get_stats(m, &st);
	assert_int_equal(st.table_full, 2 * refused);
	tm_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_collisions),
	};

	return cmocka_run_group_tests_name("rtl_tcb_core_fp7", tests, NULL, NULL);
}
