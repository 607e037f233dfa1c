/* SPDX-License-Identifier: MIT */
/*
 * test_host_sim.c - the host library end to end against the real engine:
 * rtl/toe_top.v as a Verilator model in this process (sim:, sim/toe_sim.h).
 * Everything goes through libtoe's API, the bridge protocol and the host
 * bridge RTL; network frames are pushed into and popped from the model.
 *
 * Covered: open with the ID / VERSION check and the build registers;
 * configuration written and read back; listen + SYN in -> SYN-ACK out ->
 * ACK in -> ESTABLISHED, as an event by poll and by callback; connect ->
 * SYN out -> SYN-ACK in -> ACK out, close -> FIN exchange -> TIME-WAIT ->
 * CLOSED; abort -> RST; command errors; per-connection read-out; the ISN
 * policy: an engine-chosen ISN recomputed independently (libsodium) and
 * accepted, a key the library does not know makes the check fail, a
 * pinned ISN is used once; and a burst of register writes and commands
 * over a link that corrupts and drops bytes, every one executed exactly
 * once (the engine's own bridge counters against the host's count).
 * toectl's bad input (test_toectl_*): config values below their minimum,
 * enable=yes, a broadcast or multicast peer, connect while the engine is
 * disabled, an empty -d; each a usage error (exit 2) whose message names
 * the argument, or (disabled engine) exit 1 and nothing sent.
 *
 * Expected frames come from RFC 9293 and the configuration (ports,
 * addresses, SEQ/ACK arithmetic from the ISS the engine reports, MSS =
 * MTU - 40, the window), not from the engine's output. Simulated time only;
 * fixed keys and seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "frame_edit.h"
#include "sim_server.h"
#include "toe/toe.h"
#include "toe_hostsrv.h"
#include "toe_sim.h"
#include "toe_wire.h"

#ifndef TOECTL_BIN
#error "TOECTL_BIN (path of the built toectl) must be defined"
#endif

static const uint8_t OUR_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t PEER_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
#define OUR_IP 0x0A000001u  /* 10.0.0.1 */
#define PEER_IP 0x0A000002u /* 10.0.0.2 */
#define OUR_MTU 1500
#define OUR_MSS (OUR_MTU - 40)
#define OUR_WND 8760
static const uint8_t KEY[16] = { 0x3c, 0x5f, 0x11, 0x92, 0x07, 0xe4, 0x6a,
				 0xd8, 0x21, 0x9b, 0x40, 0x77, 0xc2, 0x0e,
				 0xf5, 0x18 };

struct fx {
	struct toe *t;
	struct toe_sim *s;
	struct toe_config cfg;
};

static void ok(struct fx *f, int r, const char *what)
{
	if (r < 0)
		fail_msg("%s: %s: %s", what, toe_strerror(r), toe_errmsg(f->t));
}

/* sim: engine, configured (our MAC/IP, MSL msl_ms), key KEY, enabled */
static struct fx *fx_new_uri(const char *uri, uint64_t msl_ms)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->t = toe_new();
	assert_non_null(f->t);
	ok(f, toe_open(f->t, uri), "open");
	f->s = toe_sim_of(f->t);
	assert_non_null(f->s);
	toe_config_default(&f->cfg);
	memcpy(f->cfg.mac, OUR_MAC, 6);
	f->cfg.ip = OUR_IP;
	f->cfg.mtu = OUR_MTU;
	f->cfg.rcv_wnd = OUR_WND;
	f->cfg.msl_ms = msl_ms;
	ok(f, toe_config_set(f->t, &f->cfg), "config");
	ok(f, toe_isn_set_key(f->t, KEY), "key");
	ok(f, toe_enable(f->t, true), "enable");
	return f;
}

static struct fx *fx_new(void)
{
	return fx_new_uri("sim:", 30000);
}

static void fx_free(struct fx *f)
{
	toe_free(f->t);
	free(f);
}

/* A segment from the peer to us. */
static void push(struct fx *f, uint16_t sport, uint16_t dport, uint8_t flags,
		 uint32_t seq, uint32_t ack, uint16_t mss)
{
	uint8_t buf[128];
	size_t n = fe_peer_segment(buf, sizeof(buf), OUR_MAC, PEER_MAC, PEER_IP,
				   OUR_IP, sport, dport, flags, seq, ack, 29200,
				   mss);

	assert_true(n > 0);
	assert_int_equal(toe_sim_push_frame(f->s, buf, n, false), 0);
}

/* The next frame the engine sends, parsed; steps up to max_cycles. */
static void pop(struct fx *f, struct toe_frame *fr, uint8_t *buf,
		uint64_t max_cycles)
{
	uint64_t c0 = toe_sim_cycle(f->s);
	size_t n;

	while ((n = toe_sim_pop_frame(f->s, buf, 1600, NULL, NULL, NULL)) == 0) {
		if (toe_sim_cycle(f->s) - c0 > max_cycles)
			fail_msg("no frame from the engine in %" PRIu64 " cycles",
				 max_cycles);
		toe_sim_step(f->s, 16);
	}
	assert_int_equal(toe_parse_frame(buf, n, fr), TOE_PARSE_OK);
	/* every frame: from us to the peer, IPv4 as configured */
	assert_memory_equal(fr->src_mac, OUR_MAC, 6);
	assert_memory_equal(fr->dst_mac, PEER_MAC, 6);
	assert_int_equal(fr->seg.src_ip, OUR_IP);
	assert_int_equal(fr->seg.dst_ip, PEER_IP);
	assert_int_equal(fr->ip.ttl, 64);
	assert_true(fr->ip.df);
}

static void expect_seg(struct fx *f, uint16_t sport, uint16_t dport,
		       uint8_t flags, uint32_t seq, uint32_t ack, int mss)
{
	struct toe_frame fr;
	uint8_t buf[1600];

	pop(f, &fr, buf, 20000);
	if (fr.seg.flags != flags || fr.seg.seq != seq ||
	    ((flags & TOE_TCP_ACK) && fr.seg.ack != ack))
		fail_msg("segment flags 0x%02x seq 0x%08x ack 0x%08x, want "
			 "0x%02x 0x%08x 0x%08x", fr.seg.flags, fr.seg.seq,
			 fr.seg.ack, flags, seq, ack);
	assert_int_equal(fr.seg.src_port, sport);
	assert_int_equal(fr.seg.dst_port, dport);
	assert_int_equal(fr.seg.len, 0);
	if (!(flags & TOE_TCP_RST))
		assert_int_equal(fr.seg.win, OUR_WND);
	/* MSS option on SYN and SYN-ACK only (RFC 9293 3.7.1), MTU - 40 */
	assert_int_equal(fr.seg.opt.has_mss, mss > 0);
	if (mss > 0)
		assert_int_equal(fr.seg.opt.mss, mss);
}

/* Nothing more on the wire (after cycles of quiet). */
static void expect_no_frame(struct fx *f, uint64_t cycles)
{
	uint8_t buf[1600];
	size_t n;

	toe_sim_step(f->s, cycles);
	n = toe_sim_pop_frame(f->s, buf, sizeof(buf), NULL, NULL, NULL);
	if (n)
		fail_msg("unexpected %zu-byte frame from the engine", n);
}

static void expect_event(struct fx *f, int type, int conn)
{
	struct toe_event ev;
	int r = toe_event_poll(f->t, &ev, 5);

	ok(f, r, "event poll");
	if (r == 0)
		fail_msg("no event, want %s", toe_event_name(type));
	if (ev.type != type || ev.conn != conn)
		fail_msg("event %s conn %d, want %s conn %d",
			 toe_event_name(ev.type), ev.conn, toe_event_name(type),
			 conn);
}

/* After quiet cycles, the event FIFO is empty (a poll that does not wait:
 * it reads the FIFO itself, notification or not). */
static void expect_no_event(struct fx *f)
{
	struct toe_event ev;
	int r;

	toe_sim_step(f->s, 20000);
	r = toe_event_poll(f->t, &ev, 0);

	ok(f, r, "event poll");
	if (r == 1)
		fail_msg("unexpected event %s conn %d", toe_event_name(ev.type),
			 ev.conn);
}

static struct toe_conn_info info(struct fx *f, int conn)
{
	struct toe_conn_info ci;

	ok(f, toe_conn_info(f->t, conn, &ci), "conn info");
	return ci;
}

/*
 * Passive open through the API: listen on lport, SYN in from the peer
 * (ISN irs, MSS 1460), SYN-ACK out (checked), ACK in. Returns the id;
 * *iss gets the engine's ISS (SYN-ACK seq = CONN_ISS).
 */
static int passive_open(struct fx *f, uint16_t lport, uint16_t rport,
			uint32_t irs, uint32_t *iss)
{
	struct toe_frame fr;
	uint8_t buf[1600];
	struct toe_conn_info ci;
	int id = -1;

	push(f, rport, lport, TOE_TCP_SYN, irs, 0, 1460);
	pop(f, &fr, buf, 20000);
	assert_int_equal(fr.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
	assert_int_equal(fr.seg.ack, irs + 1); /* ACKs the SYN */
	assert_int_equal(fr.seg.src_port, lport);
	assert_int_equal(fr.seg.dst_port, rport);
	assert_int_equal(fr.seg.opt.has_mss, true);
	assert_int_equal(fr.seg.opt.mss, OUR_MSS);
	assert_int_equal(fr.seg.win, OUR_WND);
	*iss = fr.seg.seq;
	for (int i = 0; i < 1024 && id < 0; i++) {
		ci = info(f, i);
		if (ci.state != TOE_ST_CLOSED && ci.local_port == lport &&
		    ci.remote_port == rport)
			id = i;
	}
	assert_true(id >= 0);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_SYN_RECEIVED);
	assert_int_equal(ci.iss, *iss);
	assert_int_equal(ci.irs, irs);
	push(f, rport, lport, TOE_TCP_ACK, irs + 1, *iss + 1, 0);
	return id;
}

static void test_sim_open_id_version_build(void **state)
{
	struct toe *t = toe_new();
	struct toe_info in;
	uint64_t now1, now2;

	(void)state;
	if (toe_open(t, "sim:") < 0)
		fail_msg("%s", toe_errmsg(t));
	assert_int_equal(toe_get_info(t, &in), 0);
	assert_int_equal(in.id, 0x544F4531);
	assert_int_equal(in.version_major, TOE_REGMAP_MAJOR);
	assert_true(in.n_conn >= 16);
	assert_true(in.n_listen >= 1);
	assert_int_equal(in.stream_bytes, 8); /* 64-bit MAC stream */
	assert_int_equal(in.proto_version, 1);
	assert_true(in.max_burst >= 7 && in.max_burst <= 63);
	/* the engine's clock moves with simulated time */
	assert_int_equal(toe_engine_cycles(t, &now1), 0);
	toe_sim_step(toe_sim_of(t), 1000);
	assert_int_equal(toe_engine_cycles(t, &now2), 0);
	assert_true(now2 >= now1 + 1000);
	toe_free(t);
}

static void test_sim_config_written_read_back(void **state)
{
	struct fx *f = fx_new();
	struct toe_config c = f->cfg, back;
	uint32_t v;

	(void)state;
	ok(f, toe_enable(f->t, false), "disable");
	c.mtu = 1400;
	c.rcv_wnd = 4000;
	c.syn_wnd = 2000;
	c.ttl = 100;
	c.df = false;
	c.ip_id_init = 0x5B00;
	c.ip_id_step = 3;
	c.arp = false;
	c.challenge_ack_limit = 9;
	c.rto_init_ms = 250;
	c.rto_max_ms = 8000;
	c.syn_giveup_ms = 190000;
	c.msl_ms = 1500;
	ok(f, toe_config_set(f->t, &c), "config");
	ok(f, toe_config_get(f->t, &back), "config get");
	assert_memory_equal(&c, &back, sizeof(c));
	/* the raw registers say the same: 250 ms at 156.25 MHz */
	ok(f, toe_reg_read(f->t, TOE_REG_RTO_INIT, &v), "RTO_INIT");
	assert_int_equal(v, 39062500);
	ok(f, toe_reg_read(f->t, TOE_REG_WND, &v), "WND");
	assert_int_equal(v, 2000u << 16 | 4000u);
	/* enabled: configuration refused, nothing written */
	ok(f, toe_enable(f->t, true), "enable");
	c.mtu = 576;
	assert_int_equal(toe_config_set(f->t, &c), TOE_EBUSY);
	ok(f, toe_reg_read(f->t, TOE_REG_MTU, &v), "MTU");
	assert_int_equal(v, 1400);
	fx_free(f);
}

static void test_sim_listen_syn_synack_ack_established_by_poll(void **state)
{
	struct fx *f = fx_new();
	struct toe_conn_info ci;
	struct toe_stats st;
	uint32_t iss;
	int id;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	id = passive_open(f, 80, 40000, 0x01000000u, &iss);
	expect_event(f, TOE_EV_ESTABLISHED, id);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_ESTABLISHED);
	assert_true(ci.passive);
	assert_int_equal(ci.local_ip, OUR_IP);
	assert_int_equal(ci.remote_ip, PEER_IP);
	assert_int_equal(ci.snd_una, iss + 1);
	assert_int_equal(ci.snd_nxt, iss + 1);
	assert_int_equal(ci.rcv_nxt, 0x01000001u);
	assert_int_equal(ci.snd_wnd, 29200);
	assert_int_equal(ci.peer_mss, 1460);
	assert_int_equal(ci.eff_mss, 1460); /* min(peer, ours) */
	ok(f, toe_get_stats(f->t, &st), "stats");
	assert_int_equal(st.segs_in, 2);
	assert_int_equal(st.segs_out, 1);
	assert_int_equal(st.rst_out, 0);
	/* exactly these segments, then nothing */
	expect_no_frame(f, 20000);
	expect_no_event(f);
	fx_free(f);
}

struct cb_seen {
	int n;
	struct toe_event ev[4];
};

static void on_event(void *arg, const struct toe_event *ev)
{
	struct cb_seen *s = arg;

	if (s->n < 4)
		s->ev[s->n] = *ev;
	s->n++;
}

static void test_sim_established_event_by_callback(void **state)
{
	struct fx *f = fx_new();
	struct cb_seen seen = { 0 };
	uint32_t iss;
	int id;

	(void)state;
	toe_set_event_fn(f->t, on_event, &seen);
	ok(f, toe_listen(f->t, 443), "listen");
	id = passive_open(f, 443, 50000, 0x7FFFFFF0u, &iss);
	assert_int_equal(toe_dispatch(f->t, 5), 1);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.ev[0].type, TOE_EV_ESTABLISHED);
	assert_int_equal(seen.ev[0].conn, id);
	assert_int_equal(toe_dispatch(f->t, 1), 0);
	expect_no_frame(f, 20000);
	fx_free(f);
}

static void test_sim_connect_syn_then_close_fin_exchange_time_wait(void **state)
{
	/* MSL 1 ms: TIME-WAIT (2 MSL) ends within the test */
	struct fx *f = fx_new_uri("sim:", 1);
	struct toe_conn_info ci;
	struct toe_isn_check chk;
	const uint32_t y = 0xFFFFFF00u; /* peer ISN: SEQ wraps past 2^32 */
	uint32_t iss;
	int id;

	(void)state;
	id = toe_connect(f->t, 5000, PEER_IP, 80, PEER_MAC);
	ok(f, id, "connect");
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_SYN_SENT);
	assert_false(ci.passive);
	assert_memory_equal(ci.remote_mac, PEER_MAC, 6);
	iss = ci.iss;
	/* <SEQ=ISS><CTL=SYN> with our MSS */
	expect_seg(f, 5000, 80, TOE_TCP_SYN, iss, 0, OUR_MSS);
	ok(f, toe_isn_check(f->t, id, &chk), "ISN check (active open)");
	/* SYN-ACK with MSS 1400 -> ACK, ESTABLISHED, effective MSS 1400 */
	push(f, 80, 5000, TOE_TCP_SYN | TOE_TCP_ACK, y, iss + 1, 1400);
	expect_seg(f, 5000, 80, TOE_TCP_ACK, iss + 1, y + 1, 0);
	expect_event(f, TOE_EV_ESTABLISHED, id);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_ESTABLISHED);
	assert_int_equal(ci.irs, y);
	assert_int_equal(ci.peer_mss, 1400);
	assert_int_equal(ci.eff_mss, 1400);
	/* close(): FIN, FIN-WAIT-1 */
	ok(f, toe_conn_close(f->t, id), "close");
	expect_seg(f, 5000, 80, TOE_TCP_FIN | TOE_TCP_ACK, iss + 1, y + 1, 0);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_FIN_WAIT_1);
	assert_true(ci.closed_by_user);
	/* a second close is a no-op */
	ok(f, toe_conn_close(f->t, id), "close again");
	/* our FIN ACKed: FIN-WAIT-2, nothing sent */
	push(f, 80, 5000, TOE_TCP_ACK, y + 1, iss + 2, 0);
	expect_no_frame(f, 2000);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_FIN_WAIT_2);
	/* the peer's FIN: ACK it, TIME-WAIT */
	push(f, 80, 5000, TOE_TCP_FIN | TOE_TCP_ACK, y + 1, iss + 2, 0);
	expect_seg(f, 5000, 80, TOE_TCP_ACK, iss + 2, y + 2, 0);
	expect_event(f, TOE_EV_PEER_FIN, id);
	ci = info(f, id);
	assert_int_equal(ci.state, TOE_ST_TIME_WAIT);
	/* 2 MSL later the TCB is deleted */
	expect_event(f, TOE_EV_CLOSED, id);
	assert_int_equal(info(f, id).state, TOE_ST_CLOSED);
	expect_no_frame(f, 20000);
	expect_no_event(f);
	fx_free(f);
}

static void test_sim_abort_established_rst_no_event(void **state)
{
	struct fx *f = fx_new();
	uint32_t iss;
	int id;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	id = passive_open(f, 80, 40001, 1000, &iss);
	expect_event(f, TOE_EV_ESTABLISHED, id);
	ok(f, toe_conn_abort(f->t, id), "abort");
	/* RFC 9293 3.10.5 ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST> */
	expect_seg(f, 80, 40001, TOE_TCP_RST, iss + 1, 0, 0);
	assert_int_equal(info(f, id).state, TOE_ST_CLOSED);
	expect_no_frame(f, 20000);
	expect_no_event(f);
	fx_free(f);
}

/* The next event, whatever it is (fails if none comes). */
static struct toe_event next_event(struct fx *f)
{
	struct toe_event ev;
	int r = toe_event_poll(f->t, &ev, 5);

	ok(f, r, "event poll");
	if (r == 0)
		fail_msg("no event");
	return ev;
}

static void assert_tuple(const struct toe_event *ev, uint16_t lport,
			 uint16_t rport)
{
	if (!ev->has_tuple)
		fail_msg("%s conn %d: no tuple, want %u <- %u",
			 toe_event_name(ev->type), ev->conn, lport, rport);
	assert_int_equal(ev->remote_ip, PEER_IP);
	assert_int_equal(ev->remote_port, rport);
	assert_int_equal(ev->local_port, lport);
}

/* Events carry the connection's 4-tuple (issue 14): the tuple is the one
 * of the frames this test sent (passive open: the SYN's ports; active: the
 * connect call's), on the ESTABLISHED and on every later event of the
 * connection, and on an active open's REFUSED. */
static void test_sim_event_tuple_passive_active_refused(void **state)
{
	struct fx *f = fx_new();
	struct toe_event ev;
	struct toe_frame fr;
	uint8_t buf[1600];
	uint32_t iss;
	int id, a;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	id = passive_open(f, 80, 40010, 5000, &iss);
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_ESTABLISHED);
	assert_int_equal(ev.conn, id);
	assert_tuple(&ev, 80, 40010);
	/* the peer's FIN: PEER_FIN with the same tuple */
	push(f, 40010, 80, TOE_TCP_FIN | TOE_TCP_ACK, 5001, iss + 1, 0);
	expect_seg(f, 80, 40010, TOE_TCP_ACK, iss + 1, 5002, 0);
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_PEER_FIN);
	assert_tuple(&ev, 80, 40010);
	/* an active open refused by a RST: REFUSED with connect's tuple */
	a = toe_connect(f->t, 6000, PEER_IP, 8080, PEER_MAC);
	ok(f, a, "connect");
	pop(f, &fr, buf, 20000);
	assert_int_equal(fr.seg.flags, TOE_TCP_SYN);
	push(f, 8080, 6000, TOE_TCP_RST | TOE_TCP_ACK, 0, fr.seg.seq + 1, 0);
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_REFUSED);
	assert_int_equal(ev.conn, a);
	assert_tuple(&ev, 6000, 8080);
	expect_no_event(f);
	fx_free(f);
}

/* An id reused before the library read the connection: the first
 * connection's ESTABLISHED and RESET must not get the second one's tuple
 * (a plain read of CONN_* at the ESTABLISHED would give them 40021); the
 * second one's ESTABLISHED gets its own. */
static void test_sim_event_tuple_not_claimed_when_id_reused(void **state)
{
	struct fx *f = fx_new();
	struct toe_event ev;
	uint32_t iss;
	int a, b;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	a = passive_open(f, 80, 40020, 7000, &iss);
	toe_sim_step(f->s, 2000);
	/* RST at RCV.NXT: RESET, the id is free again */
	push(f, 40020, 80, TOE_TCP_RST, 7001, 0, 0);
	toe_sim_step(f->s, 2000);
	b = passive_open(f, 80, 40021, 9000, &iss);
	toe_sim_step(f->s, 2000);
	assert_int_equal(a, b); /* the lowest free id, again */
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_ESTABLISHED);
	assert_int_equal(ev.conn, a);
	assert_false(ev.has_tuple);
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_RESET);
	assert_false(ev.has_tuple);
	ev = next_event(f);
	assert_int_equal(ev.type, TOE_EV_ESTABLISHED);
	assert_int_equal(ev.conn, b);
	assert_tuple(&ev, 80, 40021);
	expect_no_event(f);
	fx_free(f);
}

static void test_sim_command_errors_mapped(void **state)
{
	struct fx *f = fx_new();

	(void)state;
	ok(f, toe_listen(f->t, 8080), "listen");
	assert_int_equal(toe_listen(f->t, 8080), TOE_EADDRINUSE);
	assert_non_null(strstr(toe_errmsg(f->t), "LISTEN"));
	ok(f, toe_unlisten(f->t, 8080), "unlisten");
	assert_int_equal(toe_unlisten(f->t, 8080), TOE_ENOTCONN);
	assert_int_equal(toe_conn_close(f->t, 17), TOE_ENOTCONN);
	assert_int_equal(toe_conn_abort(f->t, 17), TOE_ENOTCONN);
	assert_int_equal(toe_connect(f->t, 1, PEER_IP, 80, NULL), TOE_EINVAL);
	/* no listener any more: a SYN to 8080 gets <SEQ=0><ACK=SEG.SEQ+
	 * SEG.LEN><CTL=RST,ACK> (RFC 9293 3.10.7.1) */
	push(f, 40002, 8080, TOE_TCP_SYN, 5000, 0, 1460);
	expect_seg(f, 8080, 40002, TOE_TCP_RST | TOE_TCP_ACK, 0, 5001, 0);
	expect_no_frame(f, 20000);
	fx_free(f);
}

static void test_sim_isn_engine_choice_verified_independently(void **state)
{
	struct fx *f = fx_new();
	struct toe_isn_check chk;
	uint32_t iss;
	int id;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	toe_sim_step(f->s, 123457); /* M is not 0 */
	id = passive_open(f, 80, 40003, 77, &iss);
	ok(f, toe_isn_check(f->t, id, &chk), "ISN check");
	assert_true(chk.ok);
	assert_int_equal(chk.iss, iss);
	assert_int_equal(chk.f + chk.m, iss);
	assert_true(chk.m > 0);
	/* the window was tight: key write .. now, in 4 us ticks */
	assert_true(chk.m_hi - chk.m_lo < 2000);
	/* a fresh random key (getrandom) works the same */
	ok(f, toe_isn_random_key(f->t), "random key");
	id = passive_open(f, 80, 40004, 99, &iss);
	ok(f, toe_isn_check(f->t, id, &chk), "ISN check, random key");
	fx_free(f);
}

static void test_sim_isn_wrong_key_check_fails(void **state)
{
	struct fx *f = fx_new();
	struct toe_isn_check chk;
	uint32_t w[4] = { 0x01010101, 0x02020202, 0x03030303, 0x04040404 };
	uint32_t iss;
	int id;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	/* the engine gets a key behind the library's back */
	ok(f, toe_reg_write_n(f->t, TOE_REG_ISN_KEY_BASE, w, 4), "key regs");
	id = passive_open(f, 80, 40005, 1234, &iss);
	assert_int_equal(toe_isn_check(f->t, id, &chk), TOE_EISN);
	assert_false(chk.ok);
	assert_int_equal(chk.iss, iss);
	assert_non_null(strstr(toe_errmsg(f->t), "outside"));
	fx_free(f);
	/* a handle that never loaded a key cannot check (one engine model
	 * at a time in a process: see the report on toe_sim_destroy) */
	{
		struct toe *t2 = toe_new();

		assert_int_equal(toe_open(t2, "sim:"), 0);
		assert_int_equal(toe_isn_check(t2, 0, &chk), TOE_ENOKEY);
		toe_free(t2);
	}
}

static void test_sim_isn_pinned_used_once(void **state)
{
	struct fx *f = fx_new();
	struct toe_isn_check chk;
	uint32_t iss, v;
	int id;

	(void)state;
	ok(f, toe_listen(f->t, 80), "listen");
	ok(f, toe_isn_pin(f->t, 1109645), "pin"); /* the seed capture's */
	id = passive_open(f, 80, 40006, 5, &iss);
	assert_int_equal(iss, 1109645);
	ok(f, toe_reg_read(f->t, TOE_REG_ISN_PIN_CTRL, &v), "pin ctrl");
	assert_int_equal(v & TOE_REG_ISN_PIN_CTRL_VALID_MASK, 0);
	/* a pinned ISN is not M + F */
	assert_int_equal(toe_isn_check(f->t, id, &chk), TOE_EISN);
	/* the next one is chosen by the engine again */
	id = passive_open(f, 80, 40007, 6, &iss);
	assert_int_not_equal(iss, 1109645);
	ok(f, toe_isn_check(f->t, id, &chk), "ISN check after the pin");
	fx_free(f);
}

/* ---- tcp:// and toectl attached to a running simulation ---- */

/* The engine is served on tcp://127.0.0.1:PORT by a thread
 * (tests/host/support/sim_server.c): 64 cycles a loop, polling without
 * waiting (the RTL model is slow to step); sim_server_stop leaves the
 * engine for a look at its frames. */
#define SERVER_POLL_MS 0
#define SERVER_STEP 64

/* The engine sent exactly one frame, a SYN from local port lport. */
static void expect_one_syn(struct sim_server *sv, uint16_t lport)
{
	uint8_t buf[1600];
	struct toe_frame fr;
	size_t n;

	n = toe_sim_pop_frame(sv->s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_true(n > 0);
	assert_int_equal(toe_parse_frame(buf, n, &fr), TOE_PARSE_OK);
	assert_int_equal(fr.seg.flags, TOE_TCP_SYN);
	assert_int_equal(fr.seg.src_port, lport);
	assert_int_equal(toe_sim_pop_frame(sv->s, buf, sizeof(buf), NULL, NULL,
					   NULL), 0);
}

/* Run `toectl ARGS` (shell words); its stdout and stderr in out, exit
 * status returned. */
static int toectl_run(const char *args, char *out, size_t cap)
{
	char cmd[512];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", TOECTL_BIN, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < cap && fgets(out + n, (int)(cap - n), p))
		n += strlen(out + n);
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run toectl with args against the server; its output in out, exit
 * status returned. */
static int toectl(const struct sim_server *sv, const char *args, char *out,
		  size_t cap)
{
	char a[448];

	snprintf(a, sizeof(a), "-d tcp://127.0.0.1:%u %s",
		 toe_hostsrv_port(sv->h), args);
	return toectl_run(a, out, cap);
}

static void test_sim_tcp_hostsrv_toectl_attach_same_engine(void **state)
{
	struct sim_server sv;
	struct toe *t = toe_new();
	struct toe_config c;
	char uri[64], out[8192];

	(void)state;
	sim_server_start(&sv, SERVER_POLL_MS, SERVER_STEP);
	/* the API over tcp:// to the model run by the loop */
	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%u",
		 toe_hostsrv_port(sv.h));
	if (toe_open(t, uri) < 0)
		fail_msg("%s", toe_errmsg(t));
	assert_null(toe_sim_of(t));
	toe_config_default(&c);
	memcpy(c.mac, OUR_MAC, 6);
	c.ip = OUR_IP;
	assert_int_equal(toe_config_set(t, &c), 0);
	assert_int_equal(toe_enable(t, true), 0);
	assert_int_equal(toe_listen(t, 80), 0);
	toe_free(t);
	/* toectl attaches to the same engine, one run after the other */
	assert_int_equal(toectl(&sv, "info", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"TOE1\""));
	assert_int_equal(toectl(&sv, "listen 80", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "port already listening"));
	assert_int_equal(toectl(&sv, "connect 10.0.0.2:80", out, sizeof(out)), 2);
	assert_int_equal(toectl(&sv, "connect -m 02:00:00:00:00:02 -l 5000 "
				"10.0.0.2:80", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "connection 0: SYN sent from port 5000"));
	assert_int_equal(toectl(&sv, "status -a", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "SYN-SENT"));
	assert_non_null(strstr(out, "10.0.0.1:5000"));
	assert_non_null(strstr(out, "10.0.0.2:80"));
	assert_non_null(strstr(out, "active"));
	assert_non_null(strstr(out, "1 connection\n"));
	assert_int_equal(toectl(&sv, "config", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ip=10.0.0.1\n"));
	assert_non_null(strstr(out, "enable=1\n"));
	assert_int_equal(toectl(&sv, "close 9", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "no such connection"));
	assert_int_equal(toectl(&sv, "abort 0", out, sizeof(out)), 0);
	assert_int_equal(toectl(&sv, "stats", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "segs_out                     1\n"));
	sim_server_stop(&sv);
	/* on the wire: the one SYN of the connect (abort in SYN-SENT sends
	 * nothing: RFC 9293 3.10.5) */
	expect_one_syn(&sv, 5000);
	sim_server_free(&sv);
}

/* ---- toectl's bad input ---- */

/* `toectl ARGS` is a usage error (exit 2) whose output has want (the
 * argument and its value). */
static void expect_usage(const char *args, const char *want)
{
	char out[8192];
	int rc = toectl_run(args, out, sizeof(out));

	if (rc != 2 || !strstr(out, want))
		fail_msg("toectl %s: exit %d (want 2), output lacks '%s':\n%s",
			 args, rc, want, out);
}

/* config KEY=VALUE with a value accepted: exit 0, printed back as want */
static void expect_config(const char *args, const char *want)
{
	char out[8192];
	int rc = toectl_run(args, out, sizeof(out));

	if (rc != 0 || !strstr(out, want))
		fail_msg("toectl %s: exit %d (want 0), output lacks '%s':\n%s",
			 args, rc, want, out);
}

static void test_toectl_config_ttl_zero_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: config ttl=0",
		     "toectl config: ttl=0: below the minimum 1 ");
	expect_config("-d sim: config ttl=1", "\nttl=1\n");
}

static void test_toectl_config_msl_zero_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: config msl=0",
		     "toectl config: msl=0: below the minimum 1 ms");
	expect_usage("-d sim: config msl=0s",
		     "toectl config: msl=0s: below the minimum 1 ms");
	expect_config("-d sim: config msl=1", "\nmsl=1ms\n");
}

static void test_toectl_config_synack_giveup_zero_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: config synack_giveup=0",
		     "toectl config: synack_giveup=0: below the minimum 1 ms");
	expect_config("-d sim: config synack_giveup=1ms",
		      "\nsynack_giveup=1ms\n");
}

/* docs/regmap.md SYN_GIVEUP: at least 3 min */
static void test_toectl_config_syn_giveup_1ms_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: config syn_giveup=1ms",
		     "toectl config: syn_giveup=1ms: below the minimum 180000 ms");
	expect_usage("-d sim: config syn_giveup=179999",
		     "toectl config: syn_giveup=179999: below the minimum "
		     "180000 ms");
	expect_config("-d sim: config syn_giveup=180s",
		      "\nsyn_giveup=180000ms\n");
}

/* docs/regmap.md FIN_GIVEUP: at least 100 s */
static void test_toectl_config_fin_giveup_1ms_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: config fin_giveup=1ms",
		     "toectl config: fin_giveup=1ms: below the minimum 100000 ms");
	expect_usage("-d sim: config fin_giveup=99s",
		     "toectl config: fin_giveup=99s: below the minimum 100000 ms");
	expect_config("-d sim: config fin_giveup=100s",
		      "\nfin_giveup=100000ms\n");
}

/* enable is a documented key (toectl config --help): the same switch
 * words as df, arp and ping */
static void test_toectl_config_enable_yes_accepted(void **state)
{
	(void)state;
	expect_config("-d sim: config enable=yes", "\nenable=1\n");
	expect_config("-d sim: config enable=on", "\nenable=1\n");
	expect_config("-d sim: config enable=1", "\nenable=1\n");
	expect_config("-d sim: config enable=no", "\nenable=0\n");
	expect_usage("-d sim: config enable=maybe",
		     "toectl config: enable=maybe: bad value");
}

/* RFC 1122 4.2.3.10: no OPEN to a broadcast or multicast address */
static void test_toectl_connect_broadcast_ip_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: connect -m 02:00:00:00:00:02 255.255.255.255:80",
		     "toectl connect: bad IP:PORT '255.255.255.255:80'");
	expect_usage("-d sim: connect -m 02:00:00:00:00:02 224.0.0.1:80",
		     "toectl connect: bad IP:PORT '224.0.0.1:80'");
	expect_usage("-d sim: connect -m 02:00:00:00:00:02 0.0.0.0:80",
		     "toectl connect: bad IP:PORT '0.0.0.0:80'");
}

/* the first octet's low bit: a group (broadcast/multicast) MAC */
static void test_toectl_connect_multicast_mac_rejected(void **state)
{
	(void)state;
	expect_usage("-d sim: connect -m ff:ff:ff:ff:ff:ff 10.0.0.2:80",
		     "toectl connect: bad -m 'ff:ff:ff:ff:ff:ff'");
	expect_usage("-d sim: connect -m 01:00:5e:00:00:01 10.0.0.2:80",
		     "toectl connect: bad -m '01:00:5e:00:00:01'");
	expect_usage("-d sim: connect -m 03:00:00:00:00:02 10.0.0.2:80",
		     "toectl connect: bad -m '03:00:00:00:00:02'");
}

/* A disabled engine sends nothing: connect says so and fails, makes no
 * connection, and no SYN leaves; once enabled the same connect sends it. */
static void test_toectl_connect_disabled_engine_no_syn_claim(void **state)
{
	struct sim_server sv;
	char out[8192];

	(void)state;
	/* the reset state: CTRL.ENABLE 0 */
	sim_server_start(&sv, SERVER_POLL_MS, SERVER_STEP);
	assert_int_equal(toectl(&sv, "config ip=10.0.0.1 "
				"mac=02:00:00:00:00:01", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "enable=0\n"));
	assert_int_equal(toectl(&sv, "connect -m 02:00:00:00:00:02 -l 5000 "
				"10.0.0.2:80", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "toectl connect: the engine is disabled"));
	assert_null(strstr(out, "SYN sent from")); /* the success line */
	assert_int_equal(toectl(&sv, "status -a", out, sizeof(out)), 0);
	assert_null(strstr(out, "SYN-SENT"));
	/* switched on, the same command sends the SYN it reports */
	assert_int_equal(toectl(&sv, "config enable=yes", out, sizeof(out)), 0);
	assert_int_equal(toectl(&sv, "connect -m 02:00:00:00:00:02 -l 5000 "
				"10.0.0.2:80", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "SYN sent from port 5000"));
	sim_server_stop(&sv);
	expect_one_syn(&sv, 5000);
	sim_server_free(&sv);
}

/* -d '' is a mistake (an unset variable), not the default sim: */
static void test_toectl_empty_device_rejected(void **state)
{
	(void)state;
	expect_usage("-d '' info", "toectl: bad -d '': an empty URI");
	expect_usage("--device= info", "toectl: bad --device '': an empty URI");
}

/* ---- fault injection on the host link ---- */

#define FAULT_SEED 20261126u

static void test_sim_faulty_link_every_request_exactly_once(void **state)
{
	char uri[256];
	struct fx *f;
	struct toe_stats s0, s1;
	uint32_t last[5] = { 0 }, v;
	uint64_t rng = FAULT_SEED, n_sent;
	/* registers no command or read-out writes (the commands write the
	 * CMD_* block themselves), with their widths */
	const uint32_t regs[5] = {
		TOE_REG_SCRATCH, TOE_REG_ISN_PIN, TOE_REG_CONN_SEL,
		TOE_REG_CHALLENGE_ACK_LIMIT, TOE_REG_IP_ID,
	};
	const uint32_t width[5] = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFF,
				    0xFFFFFFFF, 0xFFFFFFFF };
	int ids[8], nconn = 0;

	(void)state;
	/* 0.2 % of bytes corrupted, 0.2 % lost, 0.05 % duplicated, both
	 * ways; a timeout is 2 ms of model time (the bridge's byte timeout is
	 * 1.6 ms); up to 30 retransmissions */
	snprintf(uri, sizeof(uri), "sim:?timeout=2&retries=30&fault_seed=%u&"
		 "fault_corrupt=2000&fault_drop=2000&fault_dup=500", FAULT_SEED);
	f = fx_new_uri(uri, 30000);
	ok(f, toe_get_stats(f->t, &s0), "stats");
	for (int i = 0; i < 150; i++) {
		unsigned k;

		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (unsigned)(rng >> 33) % 8;
		if (k < 5) {
			/* a register write */
			last[k] = (uint32_t)(rng >> 13) & width[k];
			ok(f, toe_reg_write(f->t, regs[k], last[k]), "write");
		} else if (k == 5) {
			/* LISTEN on a new port: a second execution would
			 * answer EADDRINUSE */
			ok(f, toe_listen(f->t, (uint16_t)(1000 + i)), "listen");
		} else if (nconn < 8) {
			/* CONNECT: a second execution would be EADDRINUSE too */
			ids[nconn] = toe_connect(f->t, (uint16_t)(2000 + i),
						 PEER_IP, 80, PEER_MAC);
			ok(f, ids[nconn], "connect");
			nconn++;
		}
	}
	ok(f, toe_get_stats(f->t, &s1), "stats");
	/* the link did misbehave */
	assert_true(s1.link_faults > 10);
	assert_true(s1.link_retries > 0);
	/* every request the host made was executed once by the bridge:
	 * good frames received minus cache replays, between the two stats
	 * reads (each sampled during its own execution) */
	n_sent = s1.link_transactions - s0.link_transactions;
	assert_int_equal((uint64_t)(s1.bridge_frames - s0.bridge_frames) -
			 (uint64_t)(s1.bridge_replays - s0.bridge_replays),
			 n_sent);
	printf("fault run: %" PRIu64 " requests, %" PRIu64 " faulted bytes, "
	       "%" PRIu64 " retries, %" PRIu32 " replays from the cache, "
	       "%" PRIu64 " CRC errors seen by the host (seed %u)\n", n_sent,
	       s1.link_faults, s1.link_retries - s0.link_retries,
	       s1.bridge_replays - s0.bridge_replays,
	       s1.link_crc_errors - s0.link_crc_errors, FAULT_SEED);
	/* and the registers hold the last value written */
	for (int k = 0; k < 5; k++) {
		ok(f, toe_reg_read(f->t, regs[k], &v), "read back");
		assert_int_equal(v, last[k]);
	}
	/* every CONNECT made exactly one SYN-SENT connection and one SYN */
	for (int c = 0; c < nconn; c++)
		assert_int_equal(info(f, ids[c]).state, TOE_ST_SYN_SENT);
	for (int c = 0; c < nconn; c++) {
		struct toe_frame fr;
		uint8_t buf[1600];

		pop(f, &fr, buf, 20000);
		assert_int_equal(fr.seg.flags, TOE_TCP_SYN);
	}
	expect_no_frame(f, 20000);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_open_id_version_build),
		cmocka_unit_test(test_sim_config_written_read_back),
		cmocka_unit_test(test_sim_listen_syn_synack_ack_established_by_poll),
		cmocka_unit_test(test_sim_established_event_by_callback),
		cmocka_unit_test(test_sim_connect_syn_then_close_fin_exchange_time_wait),
		cmocka_unit_test(test_sim_abort_established_rst_no_event),
		cmocka_unit_test(test_sim_event_tuple_passive_active_refused),
		cmocka_unit_test(test_sim_event_tuple_not_claimed_when_id_reused),
		cmocka_unit_test(test_sim_command_errors_mapped),
		cmocka_unit_test(test_sim_isn_engine_choice_verified_independently),
		cmocka_unit_test(test_sim_isn_wrong_key_check_fails),
		cmocka_unit_test(test_sim_isn_pinned_used_once),
		cmocka_unit_test(test_sim_tcp_hostsrv_toectl_attach_same_engine),
		cmocka_unit_test(test_sim_faulty_link_every_request_exactly_once),
		cmocka_unit_test(test_toectl_config_ttl_zero_rejected),
		cmocka_unit_test(test_toectl_config_msl_zero_rejected),
		cmocka_unit_test(test_toectl_config_synack_giveup_zero_rejected),
		cmocka_unit_test(test_toectl_config_syn_giveup_1ms_rejected),
		cmocka_unit_test(test_toectl_config_fin_giveup_1ms_rejected),
		cmocka_unit_test(test_toectl_config_enable_yes_accepted),
		cmocka_unit_test(test_toectl_connect_broadcast_ip_rejected),
		cmocka_unit_test(test_toectl_connect_multicast_mac_rejected),
		cmocka_unit_test(test_toectl_connect_disabled_engine_no_syn_claim),
		cmocka_unit_test(test_toectl_empty_device_rejected),
	};

	return cmocka_run_group_tests_name("host_sim", tests, NULL, NULL);
}
