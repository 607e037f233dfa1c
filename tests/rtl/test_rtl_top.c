/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_top.c - the whole engine (rtl/toe_top.v) through libtoesim
 * (sim/toe_sim.h): registers through the real host bridge, the seed
 * capture byte for byte, ARP / ICMP / malformed frames, commands and
 * events, payload delivery and user backpressure, the RFC 6528 ISN against
 * the reference stack and libsodium, and the latency and rate figures.
 *
 * Every test builds its own engine (fixed seed), talks to it only through
 * the C ABI, and ends with "exactly these frames, then nothing".
 *
 *   build-x/tests/test_rtl_top            the tests
 *   build-x/tests/test_rtl_top --bench    the figures only (make bench-top)
 *   build-x/tests/test_rtl_top_64k        the same tests on toe_top built
 *                                         with N_CONN 65536 (TOP_N_CONN)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "frame_edit.h"
#include "seed.h"
#include "toe/toe_regs.h"
#include "toe_bytes.h"
#include "toe_drv.h"
#include "toe_l2.h"
#include "toe_proto_codec.h"
#include "toe_ref.h"
#include "toe_sim.h"
#include "toe_sim_drv.h"
#include "toe_wire.h"
#include "test_rng.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* The engine's address in the tests that are not about the seed. */
static const uint8_t eng_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
#define ENG_IP IP4(10, 0, 0, 1)
#define PEER_IP IP4(10, 0, 0, 2)

/* N_CONN of the model this file is built against: 1024 (test_rtl_top) or
 * 65536 (test_rtl_top_64k: -DTOP_N_CONN=65536, mk/60-top.mk). */
#ifndef TOP_N_CONN
#define TOP_N_CONN 1024
#endif
#define TOP_N_CONN_LOG2 ((unsigned)__builtin_ctz(TOP_N_CONN))

/* Upper bound on cycles for "let everything settle" (a timer scan pass is
 * N_CONN cycles). */
#define SETTLE (20000 + 2 * TOP_N_CONN)

/* ------------------------------------------------------------------ */
/* harness                                                            */
/* ------------------------------------------------------------------ */

/* The engine configuration the tests start from (the register driver's
 * struct; the tests write its address, IP and CTRL groups). */
static void cfg_default(struct toe_drv_cfg *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, eng_mac, 6);
	c->local_ip = ENG_IP;
	c->mtu = 1500;
	c->rcv_wnd = 8760;
	c->syn_wnd = 0;
	c->ttl = 64;
	c->df = true;
	c->ip_id_init = 0;
	c->ip_id_step = 1;
}

static void wr(struct toe_sim *s, uint32_t addr, uint32_t val)
{
	int r = toe_sim_csr_write(s, addr, val);

	if (r != 0)
		fail_msg("write 0x%03x = 0x%08x: %s", addr, val, toe_proto_strerror(r));
}

static uint32_t rd(struct toe_sim *s, uint32_t addr)
{
	uint32_t v = 0;
	int r = toe_sim_csr_read(s, addr, &v);

	if (r != 0)
		fail_msg("read 0x%03x: %s", addr, toe_proto_strerror(r));
	return v;
}

static uint64_t rd64(struct toe_sim *s, uint32_t addr)
{
	uint64_t v = 0;
	int r = toe_sim_csr_read64(s, addr, &v);

	if (r != 0)
		fail_msg("read64 0x%03x: %s", addr, toe_proto_strerror(r));
	return v;
}

/* The register driver on s, as this file has always driven the engine:
 * one register a request, at most 100 CMD_STATUS polls, EV_ARG read after
 * every event. */
static struct toe_drv drv(struct toe_sim *s)
{
	struct toe_drv d;

	toe_sim_drv_init(&d, s, 1);
	d.cmd_polls = 100;
	d.ev_words = 1;
	d.ev_arg = TOE_DRV_EV_ARG_ALWAYS;
	return d;
}

/* A register driver call that must succeed. */
static void drv_ok(const struct toe_drv *d, int r)
{
	if (r == TOE_DRV_EBUS)
		fail_msg("register 0x%03x: %s", d->bus_addr, toe_proto_strerror(d->bus_err));
	if (r < 0)
		fail_msg("%s", toe_drv_strerror(r));
}

/* A new engine, out of reset, tables cleared, ISN clock running. */
static struct toe_sim *engine(uint32_t seed)
{
	struct toe_sim_opts o;
	struct toe_sim *s;
	uint32_t st = 0;
	int i;

	memset(&o, 0, sizeof(o));
	o.seed = seed;
	s = toe_sim_create(&o);
	assert_non_null(s);
	/* READY comes N_CONN cycles after reset (the tables are cleared) */
	for (i = 0; i < 100 + TOP_N_CONN / 100; i++) {
		st = rd(s, TOE_REG_STATUS);
		if ((st & TOE_REG_STATUS_READY_MASK) && (st & TOE_REG_STATUS_TICK_OK_MASK))
			break;
		toe_sim_step(s, 200);
	}
	assert_true(st & TOE_REG_STATUS_READY_MASK);
	assert_true(st & TOE_REG_STATUS_TICK_OK_MASK);
	return s;
}

/* Configure and enable. */
static void configure(struct toe_sim *s, const struct toe_drv_cfg *c)
{
	struct toe_drv d = drv(s);
	struct toe_drv_cfg dc = *c;

	dc.ctrl = TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_ARP_EN_MASK |
		  TOE_REG_CTRL_PING_EN_MASK;
	drv_ok(&d, toe_drv_cfg_write(&d, &dc, TOE_DRV_CFG_ADDR | TOE_DRV_CFG_IP |
				     TOE_DRV_CFG_CTRL));
}

static struct toe_sim *engine_cfg(uint32_t seed, const struct toe_drv_cfg *c)
{
	struct toe_sim *s = engine(seed);

	configure(s, c);
	return s;
}

/* Write c's argument registers and CMD.OP, wait for the end; returns
 * CMD_STATUS.ERR, *result gets RESULT. */
static int command_args(struct toe_sim *s, const struct toe_drv_cmd *c, uint32_t *result)
{
	struct toe_drv d = drv(s);
	struct toe_drv_status st;
	int r = toe_drv_command(&d, c, &st);

	if (r == TOE_DRV_ETIMEDOUT)
		fail_msg("command %s still busy (CMD_STATUS 0x%08x)", toe_drv_cmd_name(c->op),
			 st.raw);
	drv_ok(&d, r);
	if (result)
		*result = st.result;
	return (int)st.err;
}

/* Run a command with the argument registers as they are. */
static int command(struct toe_sim *s, int op, uint32_t *result)
{
	struct toe_drv_cmd c = { .op = (unsigned)op };

	return command_args(s, &c, result);
}

static void listen_on(struct toe_sim *s, uint16_t port)
{
	struct toe_drv_cmd c = {
		.op = TOE_CMD_LISTEN,
		.args = TOE_DRV_ARG_LOCAL_PORT,
		.local_port = port,
	};

	assert_int_equal(command_args(s, &c, NULL), TOE_CMD_OK);
}

static int connect_to(struct toe_sim *s, uint16_t lport, uint32_t rip, uint16_t rport,
		      const uint8_t rmac[6], uint32_t *id)
{
	struct toe_drv_cmd c = {
		.op = TOE_CMD_CONNECT,
		.args = toe_drv_cmd_args_of(TOE_CMD_CONNECT),
		.local_port = lport,
		.remote_ip = rip,
		.remote_port = rport,
	};

	memcpy(c.remote_mac, rmac, 6);
	return command_args(s, &c, id);
}

static int conn_cmd(struct toe_sim *s, int op, uint32_t id)
{
	struct toe_drv_cmd c = {
		.op = (unsigned)op,
		.args = TOE_DRV_ARG_CONN,
		.conn = (uint16_t)id,
	};

	return command_args(s, &c, NULL);
}

static void pin_isn(struct toe_sim *s, uint32_t isn)
{
	wr(s, TOE_REG_ISN_PIN, isn);
	wr(s, TOE_REG_ISN_PIN_CTRL, 1);
}

/* A connection's read-out: CONN_SEL, then CONN_STATE .. CONN_MAX_SND_WND. */
static void conn_read(struct toe_sim *s, uint32_t id, struct toe_drv_conn *c)
{
	struct toe_drv d = drv(s);

	drv_ok(&d, toe_drv_conn_info(&d, id, TOE_DRV_CONN_WORDS, c));
}

/* Pop one event: 1 and type/conn/arg, or 0 when the FIFO is empty. */
static int ev_pop(struct toe_sim *s, int *type, uint32_t *conn, uint32_t *arg)
{
	struct toe_drv d = drv(s);
	struct toe_drv_event ev;
	int r = toe_drv_event_pop(&d, &ev);

	drv_ok(&d, r);
	if (r == 0)
		return 0;
	*type = ev.type;
	*conn = (uint32_t)ev.conn;
	*arg = ev.arg;
	return 1;
}

/* Assert the next event is (type, conn). */
static void expect_event(struct toe_sim *s, int type, uint32_t conn)
{
	int t = 0;
	uint32_t c = 0, a = 0;

	if (!ev_pop(s, &t, &c, &a))
		fail_msg("expected event %s on conn %u, FIFO empty", toe_ref_event_name(type), conn);
	if (t != type || c != conn)
		fail_msg("expected event %s on conn %u, got %s on conn %u",
			 toe_ref_event_name(type), conn, toe_ref_event_name(t), c);
}

static void expect_no_event(struct toe_sim *s)
{
	int t = 0;
	uint32_t c = 0, a = 0;

	if (ev_pop(s, &t, &c, &a))
		fail_msg("unexpected event %s on conn %u", toe_ref_event_name(t), c);
}

/* Build a TCP frame from the peer. */
static size_t tcp_frame(uint8_t *buf, const uint8_t dmac[6], const uint8_t smac[6],
			uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport,
			uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
			uint16_t mss, const uint8_t *data, uint16_t len)
{
	struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true, .id = 0x1234 };
	struct toe_seg g;
	int n;

	memset(&g, 0, sizeof(g));
	g.src_ip = sip;
	g.dst_ip = dip;
	g.src_port = sport;
	g.dst_port = dport;
	g.seq = seq;
	g.ack = ack;
	g.flags = flags;
	g.win = win;
	g.opt.has_mss = mss != 0;
	g.opt.mss = mss;
	g.data = data;
	g.len = len;
	/* the caller's buffer holds the headers (at most 14 + 20 + 60 bytes)
	 * and the payload */
	n = toe_build_frame(buf, (size_t)94 + len, dmac, smac, &ip, &g);
	assert_true(n > 0);
	return (size_t)n;
}

/* The usual peer -> engine segment. */
static size_t peer_seg(uint8_t *buf, uint16_t sport, uint16_t dport, uint32_t seq,
		       uint32_t ack, uint8_t flags, uint16_t mss, const uint8_t *data,
		       uint16_t len)
{
	return tcp_frame(buf, eng_mac, peer_mac, PEER_IP, sport, ENG_IP, dport, seq, ack,
			 flags, 8192, mss, data, len);
}

static void push(struct toe_sim *s, const uint8_t *f, size_t n)
{
	assert_int_equal(toe_sim_push_frame(s, f, n, false), 0);
}

/* Let everything settle. */
static void settle(struct toe_sim *s)
{
	toe_sim_step(s, 2);
	assert_true(toe_sim_run_until_idle(s, SETTLE) < SETTLE);
}

/* Pop the next frame the engine sent and parse it as TCP. */
static size_t pop_tcp(struct toe_sim *s, uint8_t *buf, struct toe_frame *f)
{
	size_t n = toe_sim_pop_frame(s, buf, 2048, NULL, NULL, NULL);

	if (n == 0)
		fail_msg("expected a frame from the engine, none sent");
	assert_int_equal(toe_parse_frame(buf, n, f), TOE_PARSE_OK);
	return n;
}

/* Assert the next frame is a TCP segment with these numbers. */
static void expect_seg(struct toe_sim *s, uint16_t sport, uint16_t dport, uint8_t flags,
		       uint32_t seq, uint32_t ack)
{
	uint8_t buf[2048];
	struct toe_frame f;

	pop_tcp(s, buf, &f);
	if (f.seg.flags != flags || f.seg.seq != seq || f.seg.ack != ack ||
	    f.seg.src_port != sport || f.seg.dst_port != dport)
		fail_msg("expected %u>%u flags 0x%02x seq %u ack %u, got %u>%u flags 0x%02x "
			 "seq %u ack %u", sport, dport, flags, seq, ack, f.seg.src_port,
			 f.seg.dst_port, f.seg.flags, f.seg.seq, f.seg.ack);
}

/* "then nothing": settle and assert no frame, no payload is waiting. */
static void expect_nothing(struct toe_sim *s)
{
	uint8_t buf[2048];
	size_t n;

	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	if (n) {
		struct toe_frame f;

		if (toe_parse_frame(buf, n, &f) == TOE_PARSE_OK)
			fail_msg("unexpected frame: %u>%u flags 0x%02x seq %u ack %u",
				 f.seg.src_port, f.seg.dst_port, f.seg.flags, f.seg.seq,
				 f.seg.ack);
		fail_msg("unexpected frame of %zu bytes", n);
	}
	assert_int_equal(toe_sim_payload_pending(s), 0);
}

/* ------------------------------------------------------------------ */
/* registers                                                          */
/* ------------------------------------------------------------------ */

static void test_csr_id_version_read_through_bridge(void **state)
{
	struct toe_sim *s;
	uint32_t v;

	(void)state;
	s = engine(1);
	/* "TOE1", as the register map's ID block says */
	assert_int_equal(rd(s, TOE_REG_ID), 0x544F4531);
	v = rd(s, TOE_REG_VERSION);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_VERSION_MAJOR, v), 0);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_VERSION_MINOR, v), 4);
	v = rd(s, TOE_REG_BUILD_CONN);
	/* 65536 reads as 0 */
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_CONN_N_CONN, v), TOP_N_CONN & 0xffff);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_CONN_N_LISTEN, v), 64);
	v = rd(s, TOE_REG_BUILD_MISC);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_MISC_EV_DEPTH_LOG2, v), 10);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_MISC_STREAM_BYTES, v), 8);
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_MISC_CONN_LOG2, v), TOP_N_CONN_LOG2);
	/* toe_top's default (9: 4 KiB payload buffers, the standard MTU) */
	assert_int_equal(TOE_FIELD_GET(TOE_REG_BUILD_MISC_PAY_BUF_LOG2, v), 9);
	toe_sim_destroy(s);
}

/* Every rw configuration register reads back its reset value, then what
 * was written (masked to its fields). */
static void test_csr_config_resets_and_round_trip(void **state)
{
	static const struct { uint32_t addr, reset, wr, back; } r[] = {
		{ TOE_REG_SCRATCH, 0, 0xdeadbeef, 0xdeadbeef },
		{ TOE_REG_CTRL, 0x6, 0xfffffff9, 0x1 },
		{ TOE_REG_LOCAL_MAC_HI, 0, 0xffff1234, 0x1234 },
		{ TOE_REG_LOCAL_MAC_LO, 0, 0x56789abc, 0x56789abc },
		{ TOE_REG_LOCAL_IP, 0, 0x0a000001, 0x0a000001 },
		{ TOE_REG_MTU, 1500, 0x12342328, 0x2328 },
		{ TOE_REG_WND, 8760, 0x20001000, 0x20001000 },
		{ TOE_REG_IP_CFG, 0x140, 0xffff0080, 0x80 },
		{ TOE_REG_IP_ID, 0x10000, 0x00125b00, 0x00125b00 },
		{ TOE_REG_TICK_HZ, 156250000, 100000000, 100000000 },
		{ TOE_REG_CHALLENGE_ACK_LIMIT, 5, 7, 7 },
		{ TOE_REG_ISN_PIN, 0, 1109645, 1109645 },
		{ TOE_REG_ISN_PIN_CTRL, 0, 0xffffffff, 1 },
		{ TOE_REG_MAX_CONNS, TOP_N_CONN, 100, 100 },
		{ TOE_REG_MAX_LISTENERS, 64, 3, 3 },
		{ TOE_REG_CMD_LOCAL_PORT, 0, 0xabcd0139, 0x0139 },
		{ TOE_REG_CMD_REMOTE_IP, 0, 0xc05ede57, 0xc05ede57 },
		{ TOE_REG_CMD_REMOTE_PORT, 0, 0x10921, 0x0921 },
		{ TOE_REG_CMD_REMOTE_MAC_HI, 0, 0x10020, 0x0020 },
		{ TOE_REG_CMD_REMOTE_MAC_LO, 0, 0xaf479358, 0xaf479358 },
		{ TOE_REG_CMD_CONN, 0, 0x70003, 0x0003 },
		{ TOE_REG_CONN_SEL, 0, 0x12345, 0x2345 },
	};
	struct toe_sim *s;
	size_t i;

	(void)state;
	s = engine(2);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		print_message("register 0x%03x\n", r[i].addr);
		assert_int_equal(rd(s, r[i].addr), r[i].reset);
	}
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		wr(s, r[i].addr, r[i].wr);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		print_message("register 0x%03x\n", r[i].addr);
		assert_int_equal(rd(s, r[i].addr), r[i].back);
	}
	/* write-only registers read 0 */
	wr(s, TOE_REG_ISN_KEY(0), 0x11223344);
	assert_int_equal(rd(s, TOE_REG_ISN_KEY(0)), 0);
	assert_int_equal(rd(s, TOE_REG_CMD), 0);
	toe_sim_destroy(s);
}

/* 64-bit registers: reset values from the map (toe_ref_cfg_default), HI
 * then LO writes take effect together, LO reads latch HI. */
static void test_csr_64bit_hi_lo_latching(void **state)
{
	struct toe_sim *s;
	uint64_t now1, now2;
	uint32_t lo, hi;

	(void)state;
	s = engine(3);
	assert_int_equal(rd64(s, TOE_REG_RTO_INIT), 156250000ull);
	assert_int_equal(rd64(s, TOE_REG_RTO_MAX), 9375000000ull);
	assert_int_equal(rd64(s, TOE_REG_SYN_GIVEUP), 28125000000ull);
	assert_int_equal(rd64(s, TOE_REG_SYNACK_GIVEUP), 9375000000ull);
	assert_int_equal(rd64(s, TOE_REG_FIN_GIVEUP), 15625000000ull);
	assert_int_equal(rd64(s, TOE_REG_MSL), 4687500000ull);
	assert_int_equal(rd64(s, TOE_REG_CHALLENGE_ACK_WINDOW), 156250000ull);

	/* HI alone changes nothing yet */
	wr(s, TOE_REG_MSL_HI, 0x12);
	assert_int_equal(rd64(s, TOE_REG_MSL), 4687500000ull);
	/* ... until the LO write */
	wr(s, TOE_REG_MSL_HI, 0x12);
	wr(s, TOE_REG_MSL_LO, 0x345678);
	assert_int_equal(rd64(s, TOE_REG_MSL), 0x1200345678ull);
	/* LO alone keeps HI */
	wr(s, TOE_REG_MSL_LO, 0x9);
	assert_int_equal(rd64(s, TOE_REG_MSL), 0x1200000009ull);
	/* HI of another register in between does not leak into this one */
	wr(s, TOE_REG_RTO_MAX_HI, 0x77);
	wr(s, TOE_REG_MSL_LO, 0xa);
	assert_int_equal(rd64(s, TOE_REG_MSL), 0x120000000aull);
	assert_int_equal(rd64(s, TOE_REG_RTO_MAX), 9375000000ull);

	/* NOW counts cycles; LO then HI (two separate reads, many cycles
	 * apart) is one consistent 64-bit value: HI latched at the LO read */
	lo = rd(s, TOE_REG_NOW_LO);
	toe_sim_step(s, 1000);
	hi = rd(s, TOE_REG_NOW_HI);
	now1 = (uint64_t)hi << 32 | lo;
	now2 = rd64(s, TOE_REG_NOW);
	assert_true(now2 > now1 + 1000);
	assert_true(now1 <= toe_sim_engine_now(s));
	assert_true(now2 <= toe_sim_engine_now(s));
	assert_true(toe_sim_engine_now(s) - now2 < 200);
	toe_sim_destroy(s);
}

/* No register there / read-only register written: ERROR ADDR from the
 * bridge, nothing done. */
static void test_csr_bad_address_error(void **state)
{
	struct toe_sim *s;
	uint32_t v;

	(void)state;
	s = engine(4);
	assert_int_equal(toe_sim_csr_read(s, 0x014, &v), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_read(s, 0x3fc, &v), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_read(s, 0x400, &v), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_write(s, TOE_REG_ID, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_write(s, TOE_REG_STAT_SEGS_IN_LO, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_write(s, TOE_REG_EV_POP, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_write(s, TOE_REG_CMD_STATUS, 1), TOE_PROTO_EADDR);
	assert_int_equal(toe_sim_csr_read(s, 0x002, &v), TOE_PROTO_EALIGN);
	/* still alive, ID unchanged */
	assert_int_equal(rd(s, TOE_REG_ID), 0x544F4531);
	/* element 0 of the by-reason arrays reads 0, the last exists */
	assert_int_equal(rd64(s, TOE_REG_STAT_PARSE_DROP(0)), 0);
	assert_int_equal(rd64(s, TOE_REG_STAT_PARSE_DROP(13)), 0);
	assert_int_equal(rd(s, TOE_REG_L2_DROP(0)), 0);
	assert_int_equal(rd(s, TOE_REG_L2_DROP(9)), 0);
	assert_int_equal(toe_sim_csr_read(s, TOE_REG_L2_DROP(9) + 4, &v), TOE_PROTO_EADDR);
	toe_sim_destroy(s);
}

/* ------------------------------------------------------------------ */
/* the seed capture                                                   */
/* ------------------------------------------------------------------ */

/* Assert `got` (a frame the engine sent) is capture frame n: the Ethernet
 * header, IPv4 header and TCP segment byte for byte, then zero padding to
 * 60 bytes. The capture's own padding bytes (0x20 0x20 after frame 2, the
 * sender's buffer leftovers) are not something an engine reproduces. */
static void assert_is_capture(const uint8_t *got, size_t n, int k)
{
	size_t cl;
	const uint8_t *c = seed_frame(k, &cl);
	size_t ip_len, i;

	assert_non_null(c);
	ip_len = (size_t)(c[16] << 8 | c[17]);
	print_message("engine frame vs capture frame %d (%zu bytes of headers)\n", k,
		      TOE_ETH_HLEN + ip_len);
	assert_int_equal(n, TOE_ETH_MIN_FRAME);
	assert_memory_equal(got, c, TOE_ETH_HLEN + ip_len);
	for (i = TOE_ETH_HLEN + ip_len; i < n; i++)
		assert_int_equal(got[i], 0);
}

static void seed_cfg(struct toe_drv_cfg *c, const uint8_t *mac, uint32_t ip)
{
	cfg_default(c);
	memcpy(c->mac, mac, 6);
	c->local_ip = ip;
}

/* Frame 1 in, frame 2 out: BDC3 (131.107.2.211, MAC of frame 1's
 * destination) listening on 139, ISN pinned 1109645, window 8760, MSS 1460
 * (MTU 1500), TTL 128, DF, IP ID 0x5B00. Then frame 3 in: ESTABLISHED,
 * nothing sent. */
static void test_seed_frame1_in_frame2_out_byte_exact(void **state)
{
	size_t n1, n3, n;
	const uint8_t *f1 = seed_frame(1, &n1);
	const uint8_t *f3 = seed_frame(3, &n3);
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;

	(void)state;
	assert_non_null(f1);
	seed_cfg(&c, f1, IP4(131, 107, 2, 211));
	c.ttl = 128;
	c.ip_id_init = 0x5B00;
	s = engine_cfg(5, &c);
	listen_on(s, 139);
	pin_isn(s, 1109645);
	push(s, f1, n1);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 2);
	/* the pin is used once */
	assert_int_equal(rd(s, TOE_REG_ISN_PIN_CTRL), 0);
	expect_nothing(s);
	expect_no_event(s);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_SYN_RECEIVED);
	assert_true(cn.passive);

	/* frame 3: the handshake completes, nothing is sent */
	push(s, f3, n3);
	expect_nothing(s);
	expect_event(s, TOE_EV_ESTABLISHED, 0);
	expect_no_event(s);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_ESTABLISHED);
	assert_int_equal(cn.local_ip, IP4(131, 107, 2, 211));
	assert_int_equal(cn.remote_ip, IP4(131, 107, 2, 214));
	assert_int_equal(cn.local_port, 139);
	assert_int_equal(cn.remote_port, 1037);
	assert_int_equal(cn.iss, 1109645u);
	assert_int_equal(cn.irs, 8221822u);
	assert_int_equal(cn.snd_una, 1109646u);
	assert_int_equal(cn.snd_nxt, 1109646u);
	assert_int_equal(cn.rcv_nxt, 8221823u);
	assert_int_equal(cn.snd_wnd, 8760);
	assert_int_equal(cn.peer_mss, 1460);
	assert_int_equal(cn.eff_mss, 1460);
	assert_memory_equal(cn.remote_mac, f1 + 6, 6);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), 2);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_OUT), 1);
	toe_sim_destroy(s);
}

/* Active open as NTW3 (131.107.2.214:1037, MAC of frame 1's source):
 * connect to 131.107.2.211:139 with ISN pinned 8221822, SYN window 8192,
 * TTL 128, IP IDs 0x0D01 then 0x0E01 (NT's byte-swapped counter: step
 * 0x0100): the SYN is frame 1; frame 2 in, frame 3 out. */
static void test_seed_connect_sends_frame1_frame2_in_frame3_out(void **state)
{
	size_t n1, n2, n;
	const uint8_t *f1 = seed_frame(1, &n1);
	const uint8_t *f2 = seed_frame(2, &n2);
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id = 99;

	(void)state;
	seed_cfg(&c, f1 + 6, IP4(131, 107, 2, 214));
	c.ttl = 128;
	c.syn_wnd = 8192;
	c.ip_id_init = 0x0D01;
	c.ip_id_step = 0x0100;
	s = engine_cfg(6, &c);
	pin_isn(s, 8221822);
	assert_int_equal(connect_to(s, 1037, IP4(131, 107, 2, 211), 139, f1, &id), TOE_CMD_OK);
	assert_int_equal(id, 0);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 1);
	expect_nothing(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_SYN_SENT);
	assert_false(cn.passive);
	assert_int_equal(cn.iss, 8221822u);
	assert_int_equal(cn.snd_una, 8221822u);
	assert_int_equal(cn.snd_nxt, 8221823u);
	assert_memory_equal(cn.remote_mac, f1, 6);

	push(s, f2, n2);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 3);
	expect_nothing(s);
	expect_event(s, TOE_EV_ESTABLISHED, id);
	expect_no_event(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_ESTABLISHED);
	assert_int_equal(cn.irs, 1109645u);
	assert_int_equal(cn.rcv_nxt, 1109646u);
	assert_int_equal(cn.snd_una, 8221823u);
	assert_int_equal(cn.snd_wnd, 8760);
	toe_sim_destroy(s);
}

/* The second connection of the capture (frames 4-7) as 192.94.222.123:2337,
 * the active closer. The engine is brought to ESTABLISHED by playing a
 * handshake with pinned ISNs chosen so that the numbers then are the
 * capture's: connect with ISN 186685099 (SYN), a SYN-ACK from
 * 192.94.222.87:1352 with ISN 3462835713, our ACK. IP IDs step 0x1F00 (NT's
 * byte-swapped counter), starting so that the FIN gets 0x9BF5. Then close:
 * frame 4 out; frame 5 in (FIN-WAIT-2, nothing sent); frame 6 in, frame 7
 * out; TIME-WAIT. */
static void test_seed_active_close_frames_4_to_7(void **state)
{
	size_t n4, n5, n6, n;
	const uint8_t *f4 = seed_frame(4, &n4);
	const uint8_t *f5 = seed_frame(5, &n5);
	const uint8_t *f6 = seed_frame(6, &n6);
	const uint32_t me = IP4(192, 94, 222, 123), peer = IP4(192, 94, 222, 87);
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id = 99;

	(void)state;
	/* frame 4 is ours: source MAC ours, destination the next hop */
	seed_cfg(&c, f4 + 6, me);
	c.ttl = 128;
	c.ip_id_init = 0x9BF5 - 2 * 0x1F00;
	c.ip_id_step = 0x1F00;
	s = engine_cfg(7, &c);
	pin_isn(s, 186685099u);
	assert_int_equal(connect_to(s, 2337, peer, 1352, f4, &id), TOE_CMD_OK);
	settle(s);
	expect_seg(s, 2337, 1352, TOE_TCP_SYN, 186685099u, 0);
	expect_nothing(s);
	/* the peer's SYN-ACK, as 192.94.222.87 sends (frame 5's MACs) */
	n = tcp_frame(buf, f5, f5 + 6, peer, 1352, me, 2337, 3462835713u, 186685100u,
		      TOE_TCP_SYN | TOE_TCP_ACK, 28672, 1460, NULL, 0);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 2337, 1352, TOE_TCP_ACK, 186685100u, 3462835714u);
	expect_nothing(s);
	expect_event(s, TOE_EV_ESTABLISHED, id);

	/* close: frame 4 */
	assert_int_equal(conn_cmd(s, TOE_CMD_CLOSE, id), TOE_CMD_OK);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 4);
	expect_nothing(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_FIN_WAIT_1);
	assert_true(cn.closed_by_user);
	assert_true(cn.wr_shut);

	/* frame 5: our FIN is acknowledged, nothing sent */
	push(s, f5, n5);
	expect_nothing(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_FIN_WAIT_2);

	/* frame 6: the peer's FIN, frame 7 out */
	push(s, f6, n6);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 7);
	expect_nothing(s);
	expect_event(s, TOE_EV_PEER_FIN, id);
	expect_no_event(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_TIME_WAIT);
	assert_int_equal(cn.rcv_nxt, 3462835715u);
	assert_int_equal(cn.snd_una, 186685101u);
	toe_sim_destroy(s);
}

/* The same connection as 192.94.222.87:1352, the passive closer (TTL 63,
 * no DF, window 28672, IP IDs step 0x12 so that frame 5 gets 0xD282):
 * listen with ISN pinned 3462835713, SYN from 192.94.222.123:2337 with ISN
 * 186685099, our SYN-ACK, its ACK: ESTABLISHED. Frame 4 in, frame 5 out
 * (CLOSE-WAIT); close: frame 6 out (LAST-ACK); frame 7 in: CLOSED,
 * nothing sent. Frames addressed to the next hop's MAC are taken: the
 * engine leaves destination-MAC filtering to the MAC. */
static void test_seed_passive_close_frames_4_to_7(void **state)
{
	size_t n4, n5, n7, n;
	const uint8_t *f4 = seed_frame(4, &n4);
	const uint8_t *f5 = seed_frame(5, &n5);
	const uint8_t *f7 = seed_frame(7, &n7);
	const uint32_t me = IP4(192, 94, 222, 87), peer = IP4(192, 94, 222, 123);
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;

	(void)state;
	/* frame 5 is ours */
	seed_cfg(&c, f5 + 6, me);
	c.ttl = 63;
	c.df = false;
	c.rcv_wnd = 28672;
	c.ip_id_init = 0xD282 - 0x12;
	c.ip_id_step = 0x12;
	s = engine_cfg(8, &c);
	listen_on(s, 1352);
	pin_isn(s, 3462835713u);
	/* the SYN as 192.94.222.123 would send it to us (frame 5's MACs
	 * swapped) */
	n = tcp_frame(buf, f5 + 6, f5, peer, 2337, me, 1352, 186685099u, 0, TOE_TCP_SYN,
		      8192, 1460, NULL, 0);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 1352, 2337, TOE_TCP_SYN | TOE_TCP_ACK, 3462835713u, 186685100u);
	expect_nothing(s);
	n = tcp_frame(buf, f5 + 6, f5, peer, 2337, me, 1352, 186685100u, 3462835714u,
		      TOE_TCP_ACK, 8760, 0, NULL, 0);
	push(s, buf, n);
	expect_nothing(s);
	expect_event(s, TOE_EV_ESTABLISHED, 0);

	/* frame 4 in, frame 5 out */
	push(s, f4, n4);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 5);
	expect_nothing(s);
	expect_event(s, TOE_EV_PEER_FIN, 0);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSE_WAIT);

	/* close: frame 6 */
	assert_int_equal(conn_cmd(s, TOE_CMD_CLOSE, 0), TOE_CMD_OK);
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	assert_is_capture(buf, n, 6);
	expect_nothing(s);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_LAST_ACK);

	/* frame 7: CLOSED, nothing sent */
	push(s, f7, n7);
	expect_nothing(s);
	expect_event(s, TOE_EV_CLOSED, 0);
	expect_no_event(s);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSED);
	assert_int_equal(cn.local_ip, 0);
	toe_sim_destroy(s);
}

/* ------------------------------------------------------------------ */
/* link layer: ARP, ICMP echo, malformed frames                       */
/* ------------------------------------------------------------------ */

/* An ARP request (RFC 826) from the peer for `target`. */
static size_t arp_request(uint8_t *f, uint32_t target)
{
	return fe_arp_request(f, peer_mac, PEER_IP, target);
}

static void test_arp_request_for_us_gets_reply(void **state)
{
	uint8_t req[60], exp[64], buf[2048];
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n;
	int e;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(9, &c);
	push(s, req, arp_request(req, ENG_IP));
	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
	/* the reply as the C model builds it ... */
	e = toe_ref_arp_reply(req, 60, eng_mac, ENG_IP, exp, sizeof(exp));
	assert_int_equal(e, 60);
	assert_int_equal(n, 60);
	assert_memory_equal(buf, exp, 60);
	/* ... and as RFC 826 says: to the requester, oper 2, we are the
	 * sender, the requester the target */
	assert_memory_equal(buf, peer_mac, 6);
	assert_memory_equal(buf + 6, eng_mac, 6);
	assert_int_equal(buf[21], 2);
	assert_memory_equal(buf + 22, eng_mac, 6);
	assert_memory_equal(buf + 28, req + 38, 4);
	assert_memory_equal(buf + 32, peer_mac, 6);
	assert_memory_equal(buf + 38, req + 28, 4);
	/* someone else's address: no reply */
	push(s, req, arp_request(req, ENG_IP + 1));
	expect_nothing(s);
	assert_int_equal(rd(s, TOE_REG_L2_ARP_REPLIES), 1);
	/* ARP is not IPv4: the parser counts it as an ethertype drop */
	assert_int_equal(rd64(s, TOE_REG_STAT_PARSE_DROP(-TOE_PERR_ETHERTYPE)), 2);
	toe_sim_destroy(s);
}

/* An ICMP echo request from the peer: `len` data bytes. */
static size_t echo_request(uint8_t *f, uint16_t ident, uint16_t seq, size_t len)
{
	return fe_echo_request(f, eng_mac, peer_mac, PEER_IP, ENG_IP, ident, seq,
			       len);
}

/* Pings get echo replies with IP IDs from their own counter (INIT, then
 * INIT + STEP, ...), and a TCP segment afterwards still starts the TCP
 * sequence at INIT: pings do not shift it. */
static void test_icmp_echo_gets_reply_ip_ids_own_counter(void **state)
{
	uint8_t req[1600], exp[1600], buf[2048];
	struct toe_frame f;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n, rn;
	int e, k;

	(void)state;
	cfg_default(&c);
	c.ttl = 77;
	c.ip_id_init = 0x0100;
	c.ip_id_step = 3;
	s = engine_cfg(10, &c);
	listen_on(s, 80);
	for (k = 0; k < 3; k++) {
		size_t dl = k == 0 ? 32 : k == 1 ? 1 : 1472;

		rn = echo_request(req, 0x4242, (uint16_t)k, dl);
		push(s, req, rn);
		settle(s);
		n = toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL);
		e = toe_ref_icmp_reply(req, rn, eng_mac, ENG_IP, exp, sizeof(exp), 77,
				       (uint16_t)(0x0100 + 3 * k));
		print_message("echo request of %zu data bytes\n", dl);
		assert_true(e > 0);
		assert_int_equal(n, (size_t)e);
		assert_memory_equal(buf, exp, n);
		/* by hand: echo reply type 0, our ID, TTL 77 */
		assert_int_equal(buf[34], 0);
		assert_int_equal(buf[14 + 4] << 8 | buf[14 + 5], 0x0100 + 3 * k);
		assert_int_equal(buf[14 + 8], 77);
	}
	assert_int_equal(rd(s, TOE_REG_L2_ICMP_REPLIES), 3);

	/* a SYN now: the SYN-ACK has IP ID INIT */
	n = peer_seg(buf, 5000, 80, 1000, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, buf, n);
	settle(s);
	pop_tcp(s, buf, &f);
	assert_int_equal(f.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
	assert_int_equal(f.ip.id, 0x0100);
	assert_int_equal(f.ip.ttl, 77);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* Recompute the IPv4 header checksum of a frame (after an edit). */
static void fix_ip_csum(uint8_t *f)
{
	uint16_t cs;

	f[24] = f[25] = 0;
	cs = toe_ipv4_csum(f + 14, 20);
	f[24] = (uint8_t)(cs >> 8);
	f[25] = (uint8_t)cs;
}

/* Malformed frames are dropped silently and counted by the parser's
 * reason (the codec's, toe_parse_frame, is the expected one); a frame the
 * MAC flags bad (tuser) is counted as mac_bad only. Nothing is sent for any
 * of them, and the engine still answers a good SYN afterwards. */
static void test_malformed_frames_counted_by_reason(void **state)
{
	uint8_t good[128], bad[16][128], buf[2048];
	size_t len[16], gn;
	uint64_t want[TOE_PERR_COUNT];
	int nb = 0, i, r;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	struct toe_frame f;

	(void)state;
	memset(want, 0, sizeof(want));
	cfg_default(&c);
	s = engine_cfg(11, &c);
	listen_on(s, 80);
	gn = peer_seg(good, 5000, 80, 1000, 0, TOE_TCP_SYN, 1460, NULL, 0);

	/* Ethernet header cut short */
	memcpy(bad[nb], good, gn); len[nb++] = 10;
	/* IPv6 ethertype */
	memcpy(bad[nb], good, gn); bad[nb][12] = 0x86; bad[nb][13] = 0xdd; len[nb++] = gn;
	/* IPv4 header cut short */
	memcpy(bad[nb], good, gn); len[nb++] = 14 + 12;
	/* version 6 in an IPv4 frame */
	memcpy(bad[nb], good, gn); bad[nb][14] = 0x65; len[nb++] = gn;
	/* IPv4 checksum wrong */
	memcpy(bad[nb], good, gn); bad[nb][24] ^= 0x10; len[nb++] = gn;
	/* a fragment (MF) */
	memcpy(bad[nb], good, gn); bad[nb][20] |= 0x20; fix_ip_csum(bad[nb]); len[nb++] = gn;
	/* UDP */
	memcpy(bad[nb], good, gn); bad[nb][23] = 17; fix_ip_csum(bad[nb]); len[nb++] = gn;
	/* TCP data offset 3 */
	memcpy(bad[nb], good, gn); bad[nb][46] = 0x30; len[nb++] = gn;
	/* TCP checksum wrong (one bit of the sequence number) */
	memcpy(bad[nb], good, gn); bad[nb][41] ^= 0x01; len[nb++] = gn;
	/* total length beyond the frame */
	memcpy(bad[nb], good, gn); bad[nb][17] += 40; fix_ip_csum(bad[nb]); len[nb++] = gn;

	for (i = 0; i < nb; i++) {
		r = toe_parse_frame(bad[i], len[i], &f);
		assert_true(r < 0);
		want[-r]++;
		push(s, bad[i], len[i]);
	}
	/* the same good SYN, flagged bad by the MAC */
	assert_int_equal(toe_sim_push_frame(s, good, gn, true), 0);
	expect_nothing(s);
	for (r = 1; r < TOE_PERR_COUNT; r++) {
		print_message("reason %d (%s)\n", r, toe_parse_result_name(-r));
		assert_int_equal(rd64(s, TOE_REG_STAT_PARSE_DROP(r)), want[r]);
	}
	/* each of the reasons above is a different one */
	for (r = 1, i = 0; r < TOE_PERR_COUNT; r++)
		i += want[r] == 1;
	assert_int_equal(i, nb);
	assert_int_equal(rd64(s, TOE_REG_STAT_MAC_BAD), 1);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), 0);

	/* and the good SYN is answered */
	push(s, good, gn);
	settle(s);
	pop_tcp(s, buf, &f);
	assert_int_equal(f.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
	assert_int_equal(f.seg.ack, 1001);
	expect_nothing(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), 1);
	toe_sim_destroy(s);
}

/* CTRL.ENABLE = 0: every frame is dropped uncounted, nothing is sent (no
 * SYN-ACK, no ARP reply); enabling again brings it back. */
static void test_disabled_engine_drops_frames_uncounted(void **state)
{
	uint8_t f[128], buf[2048];
	struct toe_frame fr;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(12, &c);
	listen_on(s, 80);
	wr(s, TOE_REG_CTRL, 0);
	n = peer_seg(f, 5000, 80, 1000, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, f, n);
	push(s, f, arp_request(f, ENG_IP));
	expect_nothing(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), 0);
	assert_int_equal(rd64(s, TOE_REG_STAT_PARSE_DROP(-TOE_PERR_ETHERTYPE)), 0);
	assert_int_equal(rd(s, TOE_REG_L2_ARP_REPLIES), 0);

	wr(s, TOE_REG_CTRL, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_ARP_EN_MASK);
	n = peer_seg(f, 5000, 80, 1000, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, f, n);
	settle(s);
	pop_tcp(s, buf, &fr);
	assert_int_equal(fr.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* ------------------------------------------------------------------ */
/* commands, events, read-out                                         */
/* ------------------------------------------------------------------ */

static void test_cmd_listen_unlisten_errors(void **state)
{
	struct toe_sim *s;
	uint32_t res = 1;

	(void)state;
	s = engine(13);
	wr(s, TOE_REG_CMD_LOCAL_PORT, 0);
	assert_int_equal(command(s, TOE_CMD_LISTEN, NULL), TOE_CMD_EINVAL);
	listen_on(s, 80);
	assert_int_equal(command(s, TOE_CMD_LISTEN, NULL), TOE_CMD_EADDRINUSE);
	wr(s, TOE_REG_CMD_LOCAL_PORT, 81);
	assert_int_equal(command(s, TOE_CMD_UNLISTEN, NULL), TOE_CMD_ENOTCONN);
	wr(s, TOE_REG_CMD_LOCAL_PORT, 80);
	assert_int_equal(command(s, TOE_CMD_UNLISTEN, NULL), TOE_CMD_OK);
	assert_int_equal(command(s, TOE_CMD_UNLISTEN, NULL), TOE_CMD_ENOTCONN);
	/* the fixture op and anything above ABORT: EINVAL at once */
	assert_int_equal(command(s, 7, &res), TOE_CMD_EINVAL);
	assert_int_equal(res, 0);
	assert_int_equal(command(s, 15, NULL), TOE_CMD_EINVAL);
	/* connection commands on a free id / beyond the table */
	assert_int_equal(conn_cmd(s, TOE_CMD_CLOSE, 5), TOE_CMD_ENOTCONN);
	/* (N_CONN 65536 has no id beyond the table: its last id, free) */
	assert_int_equal(conn_cmd(s, TOE_CMD_ABORT, TOP_N_CONN < 65536 ? TOP_N_CONN : TOP_N_CONN - 1),
			 TOE_CMD_ENOTCONN);
	assert_int_equal(conn_cmd(s, TOE_CMD_SHUTDOWN, 0xffff), TOE_CMD_ENOTCONN);
	expect_no_event(s);
	toe_sim_destroy(s);
}

/* A CMD written while one is still running is ignored and the running one
 * ends with EBUSY. A command waits for the ISN clock after a TICK_HZ
 * write (about 100 cycles): two CMD writes in that window. */
static void test_cmd_while_busy_ends_ebusy(void **state)
{
	struct toe_sim *s;
	uint32_t st;

	(void)state;
	s = engine(14);
	wr(s, TOE_REG_CMD_LOCAL_PORT, 80);
	wr(s, TOE_REG_TICK_HZ, 156250000);
	wr(s, TOE_REG_CMD, TOE_CMD_LISTEN);
	st = rd(s, TOE_REG_CMD_STATUS);
	assert_true(st & TOE_REG_CMD_STATUS_BUSY_MASK);
	wr(s, TOE_REG_CMD, TOE_CMD_UNLISTEN);
	toe_sim_step(s, 300);
	st = rd(s, TOE_REG_CMD_STATUS);
	assert_false(st & TOE_REG_CMD_STATUS_BUSY_MASK);
	assert_int_equal((st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT,
			 TOE_CMD_EBUSY);
	/* the LISTEN ran, the UNLISTEN did not */
	assert_int_equal(command(s, TOE_CMD_LISTEN, NULL), TOE_CMD_EADDRINUSE);
	toe_sim_destroy(s);
}

/* connect -> SYN <SEQ=ISS><CTL=SYN> with MSS (AO-01), SYN-SENT read-out;
 * close in SYN-SENT deletes the TCB and sends nothing (AO-08); a late
 * SYN-ACK then gets <SEQ=SEG.ACK><CTL=RST> (RG-01). */
static void test_cmd_connect_then_close_in_syn_sent_sends_nothing(void **state)
{
	uint8_t buf[2048];
	struct toe_frame f;
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id = 99;
	size_t n;

	(void)state;
	cfg_default(&c);
	c.mtu = 9000;
	s = engine_cfg(15, &c);
	pin_isn(s, 5000);
	assert_int_equal(connect_to(s, 4000, PEER_IP, 80, peer_mac, &id), TOE_CMD_OK);
	settle(s);
	pop_tcp(s, buf, &f);
	assert_int_equal(f.seg.flags, TOE_TCP_SYN);
	assert_int_equal(f.seg.seq, 5000);
	assert_true(f.seg.opt.has_mss);
	assert_int_equal(f.seg.opt.mss, 8960); /* MS-01: MTU 9000 - 40 */
	assert_memory_equal(buf, peer_mac, 6);
	expect_nothing(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_SYN_SENT);
	assert_int_equal(cn.local_ip, ENG_IP);
	assert_int_equal(cn.remote_ip, PEER_IP);
	assert_int_equal(cn.local_port, 4000);
	assert_int_equal(cn.remote_port, 80);
	assert_int_equal(cn.iss, 5000);
	assert_int_equal(cn.snd_una, 5000);
	assert_int_equal(cn.snd_nxt, 5001);
	/* the same tuple again: in use */
	assert_int_equal(connect_to(s, 4000, PEER_IP, 80, peer_mac, NULL), TOE_CMD_EADDRINUSE);

	assert_int_equal(conn_cmd(s, TOE_CMD_CLOSE, id), TOE_CMD_OK);
	expect_nothing(s);
	expect_no_event(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSED);

	n = peer_seg(buf, 80, 4000, 7000, 5001, TOE_TCP_SYN | TOE_TCP_ACK, 1460, NULL, 0);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 4000, 80, TOE_TCP_RST, 5001, 0);
	expect_nothing(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_RST_OUT), 1);
	toe_sim_destroy(s);
}

/* MAX_CONNS limits the ids handed out (cfg.max_conns): with 2, a third
 * SYN is dropped silently and counted in STAT_TABLE_FULL, a CONNECT gets
 * ENOMEM. */
static void test_cfg_max_conns_third_syn_dropped_table_full(void **state)
{
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n;
	int k;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(27, &c);
	wr(s, TOE_REG_MAX_CONNS, 2);
	listen_on(s, 80);
	assert_int_equal(rd(s, TOE_REG_CONNS_USED), 0);
	for (k = 0; k < 3; k++) {
		n = peer_seg(buf, (uint16_t)(3000 + k), 80, 100, 0, TOE_TCP_SYN, 1460, NULL, 0);
		push(s, buf, n);
	}
	settle(s);
	for (k = 0; k < 2; k++) {
		struct toe_frame f;

		pop_tcp(s, buf, &f);
		assert_int_equal(f.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
		assert_int_equal(f.seg.dst_port, 3000 + k);
	}
	expect_nothing(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_TABLE_FULL), 1);
	/* both half-open connections count; the refused SYN does not */
	assert_int_equal(rd(s, TOE_REG_CONNS_USED), 2);
	assert_int_equal(connect_to(s, 4000, PEER_IP, 80, peer_mac, NULL), TOE_CMD_ENOMEM);
	assert_int_equal(rd64(s, TOE_REG_STAT_TABLE_FULL), 2);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* Passive open to ESTABLISHED with a pinned ISN; returns the id. */
static uint32_t establish(struct toe_sim *s, uint16_t lport, uint16_t rport, uint32_t iss,
			  uint32_t irs, uint16_t peer_mss)
{
	uint8_t buf[2048];
	size_t n;
	int t = 0;
	uint32_t id = 0, a = 0;

	pin_isn(s, iss);
	n = peer_seg(buf, rport, lport, irs, 0, TOE_TCP_SYN, peer_mss, NULL, 0);
	push(s, buf, n);
	settle(s);
	expect_seg(s, lport, rport, TOE_TCP_SYN | TOE_TCP_ACK, iss, irs + 1);
	n = peer_seg(buf, rport, lport, irs + 1, iss + 1, TOE_TCP_ACK, 0, NULL, 0);
	push(s, buf, n);
	expect_nothing(s);
	assert_int_equal(ev_pop(s, &t, &id, &a), 1);
	assert_int_equal(t, TOE_EV_ESTABLISHED);
	return id;
}

/* Read-out after a passive open (CONNS_USED 1, 0 after the abort): the peer's MSS (1000 < 1460: effective
 * 1000), SND.WND (8192), MAX.SND.WND; abort in ESTABLISHED sends
 * <SEQ=SND.NXT><CTL=RST> (RG-04) and frees the id. */
static void test_cmd_abort_established_sends_rst(void **state)
{
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(16, &c);
	listen_on(s, 80);
	id = establish(s, 80, 6000, 100000, 7777, 1000);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_ESTABLISHED);
	assert_true(cn.passive);
	assert_int_equal(cn.peer_mss, 1000);
	assert_int_equal(cn.eff_mss, 1000);
	assert_int_equal(cn.snd_wnd, 8192);
	assert_int_equal(cn.max_snd_wnd, 8192);
	assert_int_equal(cn.retransmits8, 0);
	assert_int_equal(cn.retransmits, 0);
	assert_memory_equal(cn.remote_mac, peer_mac, 6);
	assert_int_equal(rd(s, TOE_REG_CONNS_USED), 1);

	assert_int_equal(conn_cmd(s, TOE_CMD_ABORT, id), TOE_CMD_OK);
	settle(s);
	expect_seg(s, 80, 6000, TOE_TCP_RST, 100001, 0);
	expect_nothing(s);
	expect_no_event(s);
	assert_int_equal(rd(s, TOE_REG_CONNS_USED), 0);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSED);
	assert_int_equal(cn.remote_ip, 0);
	assert_int_equal(cn.iss, 0);
	assert_int_equal(cn.peer_mss, 0);
	/* an id beyond the table reads like a free one */
	conn_read(s, 5000, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSED);
	assert_int_equal(cn.remote_ip, 0);
	assert_int_equal(cn.local_port, 0);
	assert_int_equal(cn.rcv_nxt, 0);
	toe_sim_destroy(s);
}

/* shutdown(SHUT_WR): FIN, FIN-WAIT-1, the receive path stays open (CL-09);
 * the peer ACKs and sends data: delivered. */
static void test_cmd_shutdown_fin_then_receive_still_works(void **state)
{
	uint8_t buf[2048], data[5] = { 'h', 'e', 'l', 'l', 'o' }, got[64];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id;
	uint16_t conn = 99;
	size_t n;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(17, &c);
	listen_on(s, 80);
	id = establish(s, 80, 6001, 200, 300, 1460);
	assert_int_equal(conn_cmd(s, TOE_CMD_SHUTDOWN, id), TOE_CMD_OK);
	settle(s);
	expect_seg(s, 80, 6001, TOE_TCP_FIN | TOE_TCP_ACK, 201, 301);
	expect_nothing(s);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_FIN_WAIT_1);
	assert_true(cn.wr_shut);
	assert_false(cn.closed_by_user);
	n = peer_seg(buf, 6001, 80, 301, 202, TOE_TCP_ACK, 0, data, 5);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 80, 6001, TOE_TCP_ACK, 202, 306);
	assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), 5);
	assert_int_equal(conn, id);
	assert_memory_equal(got, data, 5);
	expect_nothing(s);
	expect_event(s, TOE_EV_RX_DATA, id);
	conn_read(s, id, &cn);
	assert_int_equal(cn.state, TOE_ST_FIN_WAIT_2);
	toe_sim_destroy(s);
}

/* The event FIFO holds 1024 events (BUILD_MISC.EV_DEPTH_LOG2 = 10): more
 * without popping are counted in EV_LOST and dropped, the oldest kept;
 * popping until VALID = 0 drains it. */
static void test_events_fifo_overflow_counted_lost(void **state)
{
	uint8_t buf[2048], d = 'x';
	struct toe_drv_cfg c;
	struct toe_sim *s;
	uint32_t id, conn = 0, arg = 0;
	int i, t = 0;
	size_t n;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(23, &c);
	listen_on(s, 80);
	id = establish(s, 80, 6100, 10, 20, 1460);
	for (i = 0; i < 1028; i++) {
		n = peer_seg(buf, 6100, 80, 21 + (uint32_t)i, 11, TOE_TCP_ACK, 0, &d, 1);
		push(s, buf, n);
		if (i % 64 == 63) {
			settle(s);
			while (toe_sim_pop_payload(s, NULL, buf, sizeof(buf)) == 1)
				;
		}
	}
	settle(s);
	while (toe_sim_pop_payload(s, NULL, buf, sizeof(buf)) == 1)
		;
	for (i = 0; i < 1028; i++)
		expect_seg(s, 80, 6100, TOE_TCP_ACK, 11, 22 + (uint32_t)i);
	expect_nothing(s);
	assert_int_equal(rd(s, TOE_REG_EV_COUNT), 1024);
	assert_int_equal(rd(s, TOE_REG_EV_LOST), 4);
	assert_int_equal(rd64(s, TOE_REG_STAT_RX_BYTES), 1028);
	/* EV_POP and EV_ARG in one burst (the bridge reads in ascending
	 * order): the ARG word is the popped event's */
	{
		uint64_t v = rd64(s, TOE_REG_EV_POP);

		assert_true((uint32_t)v & TOE_REG_EV_POP_VALID_MASK);
		assert_int_equal(((uint32_t)v & TOE_REG_EV_POP_TYPE_MASK) >>
				 TOE_REG_EV_POP_TYPE_SHIFT, TOE_EV_RX_DATA);
		assert_int_equal(v >> 32, 1);
	}
	for (i = 1; i < 1024; i++) {
		assert_int_equal(ev_pop(s, &t, &conn, &arg), 1);
		assert_int_equal(t, TOE_EV_RX_DATA);
		assert_int_equal(conn, id);
		assert_int_equal(arg, 1);
	}
	expect_no_event(s);
	assert_int_equal(rd(s, TOE_REG_EV_COUNT), 0);
	assert_int_equal(rd(s, TOE_REG_EV_ARG), 0);
	/* the bridge announced events with EVENT frames meanwhile; the
	 * register calls dropped them */
	assert_true(toe_sim_events_dropped(s) > 0);
	toe_sim_destroy(s);
}

/* The raw host byte stream: a PING gets the PING_ACK of
 * docs/host-bridge.md byte for byte; an event makes the bridge send an
 * EVENT frame on its own. Register calls afterwards still work (they open
 * their own session). */
static void test_host_stream_ping_and_event_frames(void **state)
{
	static const uint8_t ping[] = { 0xA5, 0x5A, 0x01, 0x00, 0x00, 0xC5, 0x25, 0x31, 0x04 };
	static const uint8_t ping_ack[] = { 0xA5, 0x5A, 0x81, 0x00, 0x02, 0x01, 0x20,
					    0x6F, 0xB1, 0x88, 0x61 };
	static const uint8_t event1[] = { 0xA5, 0x5A, 0xC0, 0x00, 0x02, 0x00, 0x01,
					  0xA1, 0x85, 0x18, 0xC9 };
	uint8_t got[64], buf[2048];
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(24, &c);
	listen_on(s, 80);
	/* leftovers of the register calls */
	toe_sim_host_read(s, got, sizeof(got));
	toe_sim_host_write(s, ping, sizeof(ping));
	settle(s);
	assert_int_equal(toe_sim_host_pending(s), sizeof(ping_ack));
	assert_int_equal(toe_sim_host_read(s, got, sizeof(got)), sizeof(ping_ack));
	assert_memory_equal(got, ping_ack, sizeof(ping_ack));

	/* a connection completes: one event, one EVENT frame (count 1) */
	pin_isn(s, 1);
	toe_sim_host_read(s, got, sizeof(got));
	n = peer_seg(buf, 9000, 80, 100, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 80, 9000, TOE_TCP_SYN | TOE_TCP_ACK, 1, 101);
	n = peer_seg(buf, 9000, 80, 101, 2, TOE_TCP_ACK, 0, NULL, 0);
	push(s, buf, n);
	settle(s);
	assert_int_equal(toe_sim_host_read(s, got, sizeof(got)), sizeof(event1));
	assert_memory_equal(got, event1, sizeof(event1));
	expect_event(s, TOE_EV_ESTABLISHED, 0);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* toe_sim_reset: registers back to their reset values, connections gone,
 * queues emptied, the engine's time restarts. */
static void test_sim_reset_clears_engine(void **state)
{
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t st = 0;
	size_t n;
	int i;

	(void)state;
	cfg_default(&c);
	s = engine_cfg(25, &c);
	listen_on(s, 80);
	(void)establish(s, 80, 6200, 1, 2, 1460);
	n = peer_seg(buf, 6201, 80, 5, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, buf, n);
	toe_sim_reset(s, 4);
	assert_int_equal(toe_sim_rx_pending(s), 0);
	assert_int_equal(toe_sim_tx_pending(s), 0);
	assert_true(toe_sim_engine_now(s) == 0);
	for (i = 0; i < 100 + TOP_N_CONN / 100; i++) {
		st = rd(s, TOE_REG_STATUS);
		if (st & TOE_REG_STATUS_READY_MASK)
			break;
		toe_sim_step(s, 200);
	}
	assert_true(st & TOE_REG_STATUS_READY_MASK);
	assert_int_equal(rd(s, TOE_REG_LOCAL_IP), 0);
	assert_int_equal(rd(s, TOE_REG_CTRL), 0x6);
	assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), 0);
	conn_read(s, 0, &cn);
	assert_int_equal(cn.state, TOE_ST_CLOSED);
	expect_no_event(s);
	toe_sim_destroy(s);
}

/* pcap (both directions, nanosecond simulated timestamps) and FST files
 * when asked. */
static void test_sim_pcap_and_fst_written(void **state)
{
	char pcap_path[] = "/tmp/toe_top_test_XXXXXX";
	char fst_path[64];
	struct toe_sim_opts o;
	struct toe_sim *s;
	struct toe_pcap *pc;
	const uint8_t *d;
	uint8_t req[60];
	size_t len;
	uint64_t ts[2] = { 0, 0 };
	char err[256];
	int fd, k = 0, r;
	FILE *f;

	(void)state;
	fd = mkstemp(pcap_path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(fst_path, sizeof(fst_path), "%s.fst", pcap_path);
	memset(&o, 0, sizeof(o));
	o.seed = 26;
	o.pcap_path = pcap_path;
	o.fst_path = fst_path;
	s = toe_sim_create(&o);
	assert_non_null(s);
	toe_sim_step(s, 1200);
	wr(s, TOE_REG_LOCAL_MAC_HI, toe_drv_mac_hi(eng_mac));
	wr(s, TOE_REG_LOCAL_MAC_LO, toe_drv_mac_lo(eng_mac));
	wr(s, TOE_REG_LOCAL_IP, ENG_IP);
	wr(s, TOE_REG_CTRL, 0x7);
	push(s, req, arp_request(req, ENG_IP));
	settle(s);
	assert_int_equal(toe_sim_tx_pending(s), 1);
	toe_sim_destroy(s);

	pc = toe_pcap_open_read(pcap_path, err, sizeof(err));
	assert_non_null(pc);
	while ((r = toe_pcap_next(pc, &d, &len, &ts[k < 2 ? k : 1], err, sizeof(err))) == 1) {
		assert_int_equal(len, 60);
		assert_int_equal(d[12], 0x08);
		assert_int_equal(d[13], 0x06);
		k++;
	}
	assert_int_equal(r, 0);
	toe_pcap_close(pc);
	assert_int_equal(k, 2);
	assert_true(ts[1] >= ts[0]);
	f = fopen(fst_path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true(ftell(f) > 1000);
	fclose(f);
	remove(pcap_path);
	remove(fst_path);
}

/* ------------------------------------------------------------------ */
/* payload                                                            */
/* ------------------------------------------------------------------ */

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* Two connections, data segments of many sizes interleaved: every byte
 * arrives on m_pay in order, one packet per segment with its connection
 * id, each segment is ACKed at once with RCV.NXT, RX_DATA events carry the
 * byte counts; STAT_RX_BYTES adds up. Then a retransmission overlapping
 * old data (starting 3 bytes before RCV.NXT): only the new bytes are
 * delivered, shifted to lane 0. */
static void test_payload_in_order_with_conn_id(void **state)
{
	static const uint16_t sizes[] = { 1, 7, 8, 9, 100, 1460, 15, 64, 1000, 3 };
	uint8_t data[2][16384], buf[2048], got[2048];
	uint32_t rcv[2] = { 5001, 9001 }, id[2], total = 0, arg = 0, cid = 0;
	uint16_t port[2] = { 7000, 7001 }, conn = 0;
	size_t off[2] = { 0, 0 }, n;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	unsigned i;
	int k, t = 0;

	(void)state;
	fill(data[0], sizeof(data[0]), 1);
	fill(data[1], sizeof(data[1]), 2);
	cfg_default(&c);
	s = engine_cfg(18, &c);
	listen_on(s, 80);
	id[0] = establish(s, 80, port[0], 1000, 5000, 1460);
	id[1] = establish(s, 80, port[1], 2000, 9000, 1460);
	assert_int_not_equal(id[0], id[1]);
	for (i = 0; i < 2 * sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint16_t l = sizes[i / 2];

		k = (int)(i & 1);
		n = peer_seg(buf, port[k], 80, rcv[k], 1000 * (k + 1) + 1, TOE_TCP_ACK, 0,
			     data[k] + off[k], l);
		push(s, buf, n);
		settle(s);
		expect_seg(s, 80, port[k], TOE_TCP_ACK, 1000 * (k + 1) + 1, rcv[k] + l);
		n = toe_sim_pop_payload(s, &conn, got, sizeof(got));
		print_message("segment %u: %u bytes on conn %u\n", i, l, id[k]);
		assert_int_equal(n, l);
		assert_int_equal(conn, id[k]);
		assert_memory_equal(got, data[k] + off[k], l);
		assert_int_equal(ev_pop(s, &t, &cid, &arg), 1);
		assert_int_equal(t, TOE_EV_RX_DATA);
		assert_int_equal(cid, id[k]);
		assert_int_equal(arg, l);
		rcv[k] += l;
		off[k] += l;
		total += l;
		expect_nothing(s);
	}
	assert_int_equal(rd64(s, TOE_REG_STAT_RX_BYTES), total);

	/* overlap: 3 old bytes, 20 new ones */
	n = peer_seg(buf, port[0], 80, rcv[0] - 3, 1001, TOE_TCP_ACK, 0, data[0] + off[0] - 3,
		     23);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 80, port[0], TOE_TCP_ACK, 1001, rcv[0] + 20);
	assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), 20);
	assert_int_equal(conn, id[0]);
	assert_memory_equal(got, data[0] + off[0], 20);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* Many data segments back to back at full rate with the MAC transmit
 * side stalling: every byte arrives in order and every segment is ACKed
 * (the buffers absorb it). Then the user stops taking payload: a whole
 * burst is dropped, none of it ACKed; when the user is back, the peer's
 * retransmission of the burst is delivered and ACKed. */
static void test_payload_back_to_back_all_delivered_then_user_stall_drops(void **state)
{
	static uint8_t data[65536], got[65536];
	static uint8_t frames[64][1600];
	size_t flen[64], off = 0, gl = 0, n;
	uint32_t id, seq = 100001, rng = 12345, last_ack = 0;
	uint16_t conn = 0;
	struct toe_frame f;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	uint8_t buf[2048];
	int i, k, acks = 0, nseg = 0;

	(void)state;
	fill(data, sizeof(data), 3);
	cfg_default(&c);
	c.rcv_wnd = 65535;
	s = engine_cfg(19, &c);
	listen_on(s, 80);
	id = establish(s, 80, 7100, 1, 100000, 1460);
	toe_sim_set_tx_stall(s, 7, 3);
	for (i = 0; i < 40; i++) {
		uint16_t l;

		rng = rng * 1103515245u + 12345u;
		l = (uint16_t)(1 + (rng >> 8) % 1460);
		n = peer_seg(buf, 7100, 80, seq, 2, TOE_TCP_ACK | TOE_TCP_PSH, 0, data + off, l);
		push(s, buf, n);
		seq += l;
		off += l;
		nseg++;
	}
	settle(s);
	while ((n = toe_sim_pop_payload(s, &conn, got + gl, sizeof(got) - gl)) > 0) {
		assert_int_equal(conn, id);
		gl += n;
	}
	while (toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL) > 0) {
		assert_int_equal(toe_parse_frame(buf, 60, &f), TOE_PARSE_OK);
		assert_int_equal(f.seg.flags, TOE_TCP_ACK);
		last_ack = f.seg.ack;
		acks++;
	}
	print_message("%zu of %zu bytes delivered, %d ACKs for %d segments\n", gl, off, acks,
		      nseg);
	assert_int_equal(gl, off);
	assert_memory_equal(got, data, gl);
	assert_int_equal(acks, nseg);
	assert_int_equal(last_ack, seq);
	assert_int_equal(rd64(s, TOE_REG_STAT_RX_BYTES), off);

	/* the user stops: a burst of 8 segments. The first is dropped
	 * unacknowledged; the 7 after it are then out of order, dropped
	 * with a duplicate ACK of the old RCV.NXT (the reference stack's
	 * choice, toe_ref.h: "Out-of-order payload is dropped and answered
	 * with a duplicate ACK"). Nothing is delivered. */
	toe_sim_set_user_ready(s, false);
	for (k = 0; k < 8; k++) {
		uint16_t l = (uint16_t)(100 + 37 * k);

		flen[k] = peer_seg(frames[k], 7100, 80, seq, 2, TOE_TCP_ACK, 0, data + off, l);
		push(s, frames[k], flen[k]);
		seq += l;
		off += l;
	}
	settle(s);
	for (k = 1; k < 8; k++)
		expect_seg(s, 80, 7100, TOE_TCP_ACK, 2, last_ack);
	expect_nothing(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_DROPPED), 1);
	/* back: the retransmitted burst is taken, one ACK each */
	toe_sim_set_user_ready(s, true);
	toe_sim_step(s, 4);
	for (k = 0; k < 8; k++)
		push(s, frames[k], flen[k]);
	settle(s);
	for (k = 0; k < 8; k++) {
		n = toe_sim_pop_payload(s, &conn, got + gl, sizeof(got) - gl);
		assert_int_equal(n, 100 + 37 * k);
		gl += n;
		assert_int_equal(toe_sim_pop_frame(s, buf, sizeof(buf), NULL, NULL, NULL), 60);
		assert_int_equal(toe_parse_frame(buf, 60, &f), TOE_PARSE_OK);
		last_ack = f.seg.ack;
	}
	assert_int_equal(last_ack, seq);
	assert_int_equal(gl, off);
	assert_memory_equal(got, data, gl);
	expect_nothing(s);
	toe_sim_destroy(s);
}

/* Frames longer than the payload buffer (8 * 2^BUILD_MISC.PAY_BUF_LOG2
 * bytes: the register map's STAT_RX_TOO_LONG) are cut and dropped like a
 * MAC's over-long frames, counted in STAT_RX_TOO_LONG and STAT_MAC_BAD, and
 * answered by nothing; a frame of exactly that length is a normal segment,
 * delivered and ACKed; and the engine goes on (a too-long payload must not
 * wedge the payload buffer: the segment after it is delivered). Expected
 * values: the limit from BUILD_MISC, SEQ/ACK by RFC 9293 (RCV.NXT advances
 * by the delivered length only). */
static void test_payload_frame_longer_than_buffer_cut_dropped_counted(void **state)
{
	static uint8_t data[20000], got[20000], big[20000];
	uint8_t buf[2048];
	uint32_t id, seq = 300001, limit;
	uint64_t segs_in;
	uint16_t conn = 0, l;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	size_t n;
	int k;

	(void)state;
	fill(data, sizeof(data), 7);
	cfg_default(&c);
	c.rcv_wnd = 65535;
	s = engine_cfg(21, &c);
	limit = 8u << TOE_FIELD_GET(TOE_REG_BUILD_MISC_PAY_BUF_LOG2, rd(s, TOE_REG_BUILD_MISC));
	assert_true(limit >= 128 && limit + 64 <= sizeof(big));
	listen_on(s, 80);
	id = establish(s, 80, 7300, 1, 300000, 1460);
	segs_in = rd64(s, TOE_REG_STAT_SEGS_IN);
	for (k = 0; k < 3; k++) {
		/* one byte over the limit, then far over it, then at it */
		uint32_t flen = k == 0 ? limit + 1 : k == 1 ? limit + 4000 : limit;

		if (flen + 64 > sizeof(big))
			flen = (uint32_t)sizeof(big) - 64;
		l = (uint16_t)(flen - 54);
		n = peer_seg(big, 7300, 80, seq, 2, TOE_TCP_ACK | TOE_TCP_PSH, 0, data, l);
		assert_int_equal(n, flen);
		push(s, big, n);
		settle(s);
		if (k < 2) {
			expect_nothing(s);
			assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), 0);
			assert_int_equal(rd64(s, TOE_REG_STAT_RX_TOO_LONG), (uint64_t)k + 1);
			assert_int_equal(rd64(s, TOE_REG_STAT_MAC_BAD), (uint64_t)k + 1);
			assert_int_equal(rd64(s, TOE_REG_STAT_SEGS_IN), segs_in);
		} else {
			expect_seg(s, 80, 7300, TOE_TCP_ACK, 2, seq + l);
			assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), l);
			assert_int_equal(conn, id);
			assert_memory_equal(got, data, l);
			seq += l;
		}
	}
	assert_int_equal(rd64(s, TOE_REG_STAT_RX_TOO_LONG), 2);
	/* and a normal segment after it all */
	n = peer_seg(buf, 7300, 80, seq, 2, TOE_TCP_ACK, 0, data + 100, 1000);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 80, 7300, TOE_TCP_ACK, 2, seq + 1000);
	assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), 1000);
	assert_memory_equal(got, data + 100, 1000);
	toe_sim_destroy(s);
}

/* The user logic not ready: a data segment is not acknowledged and not
 * delivered (counted as dropped); after ready returns, the peer's
 * retransmission is delivered and acknowledged. */
static void test_payload_user_not_ready_not_acked_then_acked_on_retransmit(void **state)
{
	uint8_t buf[2048], got[64], data[40];
	struct toe_drv_cfg c;
	struct toe_drv_conn cn;
	struct toe_sim *s;
	uint32_t id;
	uint16_t conn = 0;
	size_t n;

	(void)state;
	fill(data, sizeof(data), 4);
	cfg_default(&c);
	s = engine_cfg(20, &c);
	listen_on(s, 80);
	id = establish(s, 80, 7200, 50, 60, 1460);
	toe_sim_set_user_ready(s, false);
	n = peer_seg(buf, 7200, 80, 61, 51, TOE_TCP_ACK | TOE_TCP_PSH, 0, data, 40);
	push(s, buf, n);
	expect_nothing(s);
	expect_no_event(s);
	assert_int_equal(rd64(s, TOE_REG_STAT_DROPPED), 1);
	conn_read(s, id, &cn);
	assert_int_equal(cn.rcv_nxt, 61);

	toe_sim_set_user_ready(s, true);
	toe_sim_step(s, 10);
	push(s, buf, n);
	settle(s);
	expect_seg(s, 80, 7200, TOE_TCP_ACK, 51, 101);
	assert_int_equal(toe_sim_pop_payload(s, &conn, got, sizeof(got)), 40);
	assert_int_equal(conn, id);
	assert_memory_equal(got, data, 40);
	expect_nothing(s);
	expect_event(s, TOE_EV_RX_DATA, id);
	toe_sim_destroy(s);
}

/* ------------------------------------------------------------------ */
/* ISN                                                                */
/* ------------------------------------------------------------------ */

/* RFC 6528 with libsodium directly: M + low 32 bits of SipHash-2-4 of
 * local_ip | local_port | remote_ip | remote_port (big-endian). */
static uint32_t isn_sodium(const uint8_t key[16], uint32_t lip, uint16_t lport, uint32_t rip,
			   uint16_t rport, uint64_t now, uint64_t tick_hz)
{
	uint8_t m[12], out[8];

	toe_put_be32(m, lip);
	toe_put_be16(m + 4, lport);
	toe_put_be32(m + 6, rip);
	toe_put_be16(m + 10, rport);
	crypto_shorthash_siphash24(out, m, sizeof(m), key);
	return (uint32_t)(now / (tick_hz / 250000)) +
	       ((uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 |
		(uint32_t)out[3] << 24);
}

/* The ISN the engine chose for a segment (or command) that was taken at
 * some engine time in [t0, t1]: the reference must give it for one of
 * those times. Returns how many distinct candidates there were. */
static int isn_in_window(struct toe_ref *r, const uint8_t key[16], uint64_t tick_hz,
			 uint32_t isn, uint32_t lip, uint16_t lport, uint32_t rip,
			 uint16_t rport, uint64_t t0, uint64_t t1)
{
	uint32_t a = toe_ref_isn(r, lip, lport, rip, rport, t0);
	uint32_t b = toe_ref_isn(r, lip, lport, rip, rport, t1);

	/* libsodium agrees with the reference stack */
	assert_int_equal(a, isn_sodium(key, lip, lport, rip, rport, t0, tick_hz));
	assert_int_equal(b, isn_sodium(key, lip, lport, rip, rport, t1, tick_hz));
	/* the window is far shorter than one 4 us step: at most one step */
	assert_true(b - a <= 1);
	if (isn != a && isn != b)
		fail_msg("ISN %u is neither %u (now %llu) nor %u (now %llu)", isn, a,
			 (unsigned long long)t0, b, (unsigned long long)t1);
	return a == b ? 1 : 2;
}

/* Random keys and tuples (fixed seed, printed): the SYN-ACK's ISN is the
 * reference stack's toe_ref_isn (and libsodium's SipHash) for the same
 * key, tuple and engine time; also for an active open, and with another
 * TICK_HZ (the ISN clock's divider is redone). */
static void test_isn_equals_reference_siphash(void **state)
{
	const uint64_t seed = 0x5eed15a1ull;
	uint64_t x = seed, off, t0, t1, first, tick_hz;
	uint8_t key[16], buf[2048];
	struct toe_ref_cfg rc;
	struct toe_ref *r;
	struct toe_frame f;
	struct toe_drv_cfg c;
	struct toe_sim *s;
	int round, i, exact = 0, total = 0;
	size_t n;

	(void)state;
	print_message("ISN test seed 0x%llx\n", (unsigned long long)seed);
	for (round = 0; round < 2; round++) {
		tick_hz = round == 0 ? 156250000 : 100000000;
		for (i = 0; i < 16; i++)
			key[i] = (uint8_t)rng_next(&x);
		cfg_default(&c);
		s = engine_cfg((uint32_t)(21 + round), &c);
		for (i = 0; i < 4; i++)
			wr(s, TOE_REG_ISN_KEY(i), (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 |
						   (uint32_t)key[4 * i + 2] << 16 |
						   (uint32_t)key[4 * i + 3] << 24);
		if (round == 1)
			wr(s, TOE_REG_TICK_HZ, (uint32_t)tick_hz);
		listen_on(s, 443);
		toe_ref_cfg_default(&rc);
		rc.local_ip = ENG_IP;
		rc.tick_hz = tick_hz;
		memcpy(rc.isn_key, key, 16);
		r = toe_ref_new(&rc);
		assert_non_null(r);
		for (i = 0; i < 12; i++) {
			uint16_t rport = (uint16_t)(1024 + rng_next(&x) % 60000);

			/* let some time pass, a random amount */
			toe_sim_step(s, rng_next(&x) % 3000);
			n = peer_seg(buf, rport, 443, (uint32_t)rng_next(&x), 0, TOE_TCP_SYN, 1460,
				     NULL, 0);
			push(s, buf, n);
			settle(s);
			n = toe_sim_pop_frame(s, buf, sizeof(buf), &first, NULL, NULL);
			assert_int_equal(toe_parse_frame(buf, n, &f), TOE_PARSE_OK);
			assert_int_equal(f.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
			off = toe_sim_cycle(s) - toe_sim_engine_now(s);
			t0 = toe_sim_rx_last_cycle(s) - off;
			t1 = first - off;
			exact += isn_in_window(r, key, tick_hz, f.seg.seq, ENG_IP, 443, PEER_IP,
					       rport, t0, t1) == 1;
			total++;
		}
		/* a back-to-back burst, every third SYN with IPv4 options (its
		 * ports, and so its early hash, a beat later): each ISN is the
		 * reference's for a time in [burst start, its SYN-ACK] */
		{
			uint16_t ports[16];
			uint8_t fr[16][128];
			size_t fl[16];
			int j, got;

			t0 = toe_sim_engine_now(s);
			for (j = 0; j < 16; j++) {
				ports[j] = (uint16_t)(20000 + j * 7 + (int)(rng_next(&x) % 5));
				fl[j] = peer_seg(fr[j], ports[j], 443, (uint32_t)rng_next(&x), 0,
						 TOE_TCP_SYN, 1460, NULL, 0);
				if (j % 3 == 1)
					fl[j] = fe_add_ip_options(fr[j], fl[j]);
				assert_int_equal(toe_parse_frame(fr[j], fl[j], &f), TOE_PARSE_OK);
				push(s, fr[j], fl[j]);
			}
			settle(s);
			off = toe_sim_cycle(s) - toe_sim_engine_now(s);
			for (got = 0; got < 16; got++) {
				n = toe_sim_pop_frame(s, buf, sizeof(buf), &first, NULL, NULL);
				assert_int_equal(toe_parse_frame(buf, n, &f), TOE_PARSE_OK);
				assert_int_equal(f.seg.flags, TOE_TCP_SYN | TOE_TCP_ACK);
				/* in order */
				assert_int_equal(f.seg.dst_port, ports[got]);
				isn_in_window(r, key, tick_hz, f.seg.seq, ENG_IP, 443, PEER_IP,
					      ports[got], t0, first - off);
			}
			expect_nothing(s);
		}
		/* an active open: taken between the CMD write and the SYN */
		t0 = toe_sim_engine_now(s);
		assert_int_equal(connect_to(s, 5555, PEER_IP, 9, peer_mac, NULL), TOE_CMD_OK);
		settle(s);
		n = toe_sim_pop_frame(s, buf, sizeof(buf), &first, NULL, NULL);
		assert_int_equal(toe_parse_frame(buf, n, &f), TOE_PARSE_OK);
		assert_int_equal(f.seg.flags, TOE_TCP_SYN);
		off = toe_sim_cycle(s) - toe_sim_engine_now(s);
		/* the CMD write is the last of connect_to's five register
		 * writes before the status polls */
		isn_in_window(r, key, tick_hz, f.seg.seq, ENG_IP, 5555, PEER_IP, 9, t0,
			      first - off);
		expect_nothing(s);
		toe_ref_free(r);
		toe_sim_destroy(s);
	}
	print_message("%d of %d SYN-ACK ISNs had one candidate (no 4 us step in the window)\n",
		      exact, total);
	assert_true(exact > total / 2);
}

/* ------------------------------------------------------------------ */
/* figures: latency, rate, simulation speed                           */
/* ------------------------------------------------------------------ */

struct figures {
	uint64_t syn_synack;     /* last beat of a SYN -> first beat of the SYN-ACK */
	uint64_t syn_linux;      /* the same for a SYN with Linux's 20 option bytes */
	uint64_t syn_ipopt;      /* the same for a SYN with 4 bytes of IPv4 options */
	uint64_t synack_ack;     /* active open: SYN-ACK -> ACK */
	uint64_t fin_ack;        /* ESTABLISHED: FIN -> ACK */
	unsigned n_syn;          /* back-to-back SYNs sent ... */
	unsigned n_synack;       /* ... and answered */
	double in_cycles_per_syn;  /* input: cycles per SYN taken */
	double out_cycles_per_synack;
	unsigned n_syn_gap;      /* the same at 10GbE spacing (gap 2: 10 cycles) */
	unsigned n_synack_gap;
	double in_cycles_per_syn_gap;
	uint64_t sim_cycles;
	double sim_seconds;
	/* model speed over long windows: SYN bursts (every 10 cycles, random
	 * tuples, past the table's capacity), then the engine idle with its
	 * timer scan running */
	uint64_t busy_cycles, idle_cycles;
	double busy_seconds, idle_seconds;  /* wall clock */
	double busy_cpu, idle_cpu;          /* the process's CPU time (user + sys) */
};

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The process's own CPU time (user + system): the model speed on a loaded
 * machine (other jobs take wall time, not this) */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Answer latency: cycles from the last beat of the frame in to the first
 * beat of the engine's answer. */
static uint64_t answer_latency(struct toe_sim *s, uint8_t flags)
{
	uint8_t buf[2048];
	struct toe_frame f;
	uint64_t first = 0;
	size_t n;

	settle(s);
	n = toe_sim_pop_frame(s, buf, sizeof(buf), &first, NULL, NULL);
	assert_true(n > 0);
	assert_int_equal(toe_parse_frame(buf, n, &f), TOE_PARSE_OK);
	assert_int_equal(f.seg.flags, flags);
	return first - toe_sim_rx_last_cycle(s);
}

/* n SYNs with random tuples to port 80, back to back with `gap` idle
 * cycles between frames; returns the input cycles per SYN, counts the
 * SYN-ACKs. */
static double syn_burst(struct toe_sim *s, unsigned n, unsigned gap, uint64_t *x,
			unsigned *answered, double *out_per)
{
	static uint8_t frames[1024][64];
	uint8_t buf[2048];
	struct toe_frame f;
	uint64_t start, first = 0, last = 0, f0 = 0;
	unsigned i;
	size_t len = 0;

	assert_true(n <= 1024);
	for (i = 0; i < n; i++) {
		uint32_t rip = IP4(10, 1, 0, 0) | (uint32_t)(rng_next(x) & 0xffff);

		len = tcp_frame(frames[i], eng_mac, peer_mac, rip,
				(uint16_t)(1024 + rng_next(x) % 60000), ENG_IP, 80,
				(uint32_t)rng_next(x), 0, TOE_TCP_SYN, 8192, 1460, NULL, 0);
		assert_int_equal(len, 60);
	}
	toe_sim_set_rx_gap(s, gap);
	start = toe_sim_cycle(s);
	for (i = 0; i < n; i++)
		push(s, frames[i], len);
	while (toe_sim_rx_pending(s))
		toe_sim_step(s, 64);
	settle(s);
	*answered = 0;
	for (i = 0; toe_sim_pop_frame(s, buf, sizeof(buf), &first, &last, NULL) > 0; i++) {
		assert_int_equal(toe_parse_frame(buf, 60, &f), TOE_PARSE_OK);
		if (f.seg.flags == (TOE_TCP_SYN | TOE_TCP_ACK))
			(*answered)++;
		if (i == 0)
			f0 = first;
	}
	*out_per = n ? (double)(last + 1 - f0) / n : 0;
	toe_sim_set_rx_gap(s, 0);
	return (double)(toe_sim_rx_last_cycle(s) + 1 - start) / n;
}

/* speed: also the model speed over long windows (make bench-top; the
 * test leaves them out to keep make test short) */
static void measure(struct figures *fg, bool speed)
{
	uint64_t x = 0xf16e5ull;
	uint8_t buf[2048];
	struct toe_drv_cfg c;
	struct toe_sim *s;
	uint32_t id;
	size_t n;
	double t0;

	memset(fg, 0, sizeof(*fg));
	cfg_default(&c);
	t0 = wall();
	s = engine_cfg(30, &c);
	listen_on(s, 80);

	/* SYN -> SYN-ACK (the ISN is hashed from the tuple) */
	n = peer_seg(buf, 1234, 80, 1000, 0, TOE_TCP_SYN, 1460, NULL, 0);
	push(s, buf, n);
	fg->syn_synack = answer_latency(s, TOE_TCP_SYN | TOE_TCP_ACK);

	/* a SYN as Linux sends it: MSS, SACK-permitted, timestamps, NOP,
	 * window scale (20 option bytes, a 74-byte frame, 10 beats) */
	{
		static const uint8_t lopt[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 1, 2, 3,
						  0, 0, 0, 0, 1, 3, 3, 7 };
		struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true, .id = 0x4321 };
		struct toe_seg g;
		int ln;

		memset(&g, 0, sizeof(g));
		g.src_ip = PEER_IP;
		g.dst_ip = ENG_IP;
		g.src_port = 1236;
		g.dst_port = 80;
		g.seq = 3000;
		g.flags = TOE_TCP_SYN;
		g.win = 64240;
		g.opt_raw = lopt;
		g.opt_raw_len = sizeof(lopt);
		ln = toe_build_frame(buf, sizeof(buf), eng_mac, peer_mac, &ip, &g);
		assert_int_equal(ln, 74);
		push(s, buf, (size_t)ln);
		fg->syn_linux = answer_latency(s, TOE_TCP_SYN | TOE_TCP_ACK);
	}

	/* a SYN with IPv4 options (IHL 6): its ports come a beat later, and
	 * so does the start of its ISN hash */
	n = peer_seg(buf, 1237, 80, 4000, 0, TOE_TCP_SYN, 1460, NULL, 0);
	n = fe_add_ip_options(buf, n);
	assert_true(n > 0);
	push(s, buf, n);
	fg->syn_ipopt = answer_latency(s, TOE_TCP_SYN | TOE_TCP_ACK);

	/* ESTABLISHED: FIN -> ACK */
	id = establish(s, 80, 1235, 500, 600, 1460);
	n = peer_seg(buf, 1235, 80, 601, 501, TOE_TCP_FIN | TOE_TCP_ACK, 0, NULL, 0);
	push(s, buf, n);
	fg->fin_ack = answer_latency(s, TOE_TCP_ACK);
	expect_event(s, TOE_EV_PEER_FIN, id);

	/* active open: SYN-ACK -> ACK */
	pin_isn(s, 7000);
	assert_int_equal(connect_to(s, 4321, PEER_IP, 80, peer_mac, &id), TOE_CMD_OK);
	settle(s);
	expect_seg(s, 4321, 80, TOE_TCP_SYN, 7000, 0);
	n = peer_seg(buf, 80, 4321, 99, 7001, TOE_TCP_SYN | TOE_TCP_ACK, 1460, NULL, 0);
	push(s, buf, n);
	fg->synack_ack = answer_latency(s, TOE_TCP_ACK);
	expect_nothing(s);

	/* rate: back-to-back minimum-size SYNs, random tuples */
	fg->n_syn = 400;
	fg->in_cycles_per_syn = syn_burst(s, fg->n_syn, 0, &x, &fg->n_synack,
					  &fg->out_cycles_per_synack);
	fg->n_syn_gap = 400;
	{
		double dummy;

		fg->in_cycles_per_syn_gap = syn_burst(s, fg->n_syn_gap, 2, &x, &fg->n_synack_gap,
						      &dummy);
	}
	fg->sim_cycles = toe_sim_cycle(s);
	fg->sim_seconds = wall() - t0;

	/* model speed, long windows (the figures above are 10^4 cycles) */
	if (speed) {
		uint64_t c0 = toe_sim_cycle(s);
		double w0 = wall(), p0 = cpu(), dummy;
		unsigned answered;

		for (int k = 0; k < 25; k++)
			(void)syn_burst(s, 1000, 2, &x, &answered, &dummy);
		fg->busy_cycles = toe_sim_cycle(s) - c0;
		fg->busy_seconds = wall() - w0;
		fg->busy_cpu = cpu() - p0;
		c0 = toe_sim_cycle(s);
		w0 = wall();
		p0 = cpu();
		toe_sim_step(s, 2000000);
		fg->idle_cycles = toe_sim_cycle(s) - c0;
		fg->idle_seconds = wall() - w0;
		fg->idle_cpu = cpu() - p0;
	}
	toe_sim_destroy(s);
}

/* The routed clock of the last 'make synth-ecp5' (its summary.txt, path in
 * TOE_SYNTH_SUMMARY): the lowest Fmax over the placer seeds it ran.
 * Returns 0 if there is no summary, or it is of another N_CONN or was not
 * routed; *why says which. */
static double routed_fmax(char *desc, size_t desc_len, const char **why)
{
	const char *path = getenv("TOE_SYNTH_SUMMARY");
	char line[256], key[64], val[48];
	char device[48] = "?", commit[48] = "?", seeds[48] = "?";
	double fmin = 0.0;
	unsigned long nconn = 0;
	int routed = 0, is_top = 0;
	FILE *f;

	if (path == NULL || path[0] == '\0') {
		*why = "TOE_SYNTH_SUMMARY not set";
		return 0.0;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		*why = "no synthesis report (run make synth-ecp5)";
		return 0.0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || sscanf(line, "%63s %47[^\n]", key, val) != 2)
			continue;
		if (strcmp(key, "top") == 0)
			is_top = strcmp(val, "toe_top") == 0;
		else if (strcmp(key, "fmax_min_mhz") == 0)
			fmin = strtod(val, NULL);
		else if (strcmp(key, "routed") == 0)
			routed = atoi(val);
		else if (strcmp(key, "n_conn") == 0)
			nconn = strtoul(val, NULL, 10);
		else if (strcmp(key, "device") == 0)
			snprintf(device, sizeof(device), "%s", val);
		else if (strcmp(key, "commit") == 0)
			snprintf(commit, sizeof(commit), "%s", val);
		else if (strcmp(key, "seeds") == 0)
			snprintf(seeds, sizeof(seeds), "%s", val);
	}
	fclose(f);
	if (!is_top) {
		*why = "the synthesis report is not of toe_top";
		return 0.0;
	}
	if (nconn != TOP_N_CONN) {
		*why = "the synthesis report is of another N_CONN";
		return 0.0;
	}
	if (!routed || fmin <= 0.0) {
		*why = "the last synthesis did not route";
		return 0.0;
	}
	snprintf(desc, desc_len, "%.2f MHz routed on %s (lowest of seeds %s, commit %s)",
		 fmin, device, seeds, commit);
	return fmin;
}

static void print_figures(const struct figures *fg)
{
	char desc[256] = "";
	const char *why = "";
	double mhz = routed_fmax(desc, sizeof(desc), &why);
	const struct {
		const char *name;
		unsigned long long cycles;
	} lat[] = {
		{ "SYN -> SYN-ACK", fg->syn_synack },
		{ "  Linux SYN", fg->syn_linux },
		{ "  IP options SYN", fg->syn_ipopt },
		{ "SYN-ACK -> ACK", fg->synack_ack },
		{ "FIN -> ACK", fg->fin_ack },
	};
	size_t i;

	printf("toe_top figures (64-bit stream, N_CONN %u)\n", (unsigned)TOP_N_CONN);
	if (mhz > 0.0)
		printf("clock: %s\n", desc);
	else
		printf("clock: none (%s): latency in cycles only\n", why);
	for (i = 0; i < sizeof(lat) / sizeof(lat[0]); i++) {
		if (mhz > 0.0)
			printf("  %-18s %3llu cycles = %6.1f ns, last beat in to first beat out\n",
			       lat[i].name, lat[i].cycles, 1000.0 * (double)lat[i].cycles / mhz);
		else
			printf("  %-18s %3llu cycles, last beat in to first beat out\n",
			       lat[i].name, lat[i].cycles);
	}
	printf("  (Linux SYN: 74 bytes with MSS, SACK-permitted, timestamps, NOP, window scale;"
	       " IP options SYN: IHL 6)\n");
	printf("  back-to-back SYNs   %u sent, %u SYN-ACKs; %.2f cycles per SYN taken "
	       "(a 60-byte frame is 8 beats), %.2f cycles per SYN-ACK out\n",
	       fg->n_syn, fg->n_synack, fg->in_cycles_per_syn, fg->out_cycles_per_synack);
	if (mhz > 0.0)
		printf("                      = %.2f M SYNs/s at the routed clock\n",
		       mhz / fg->in_cycles_per_syn);
	printf("  SYNs at 10 cycles   %u sent, %u SYN-ACKs; %.2f cycles per SYN taken\n",
	       fg->n_syn_gap, fg->n_synack_gap, fg->in_cycles_per_syn_gap);
	printf("  simulation speed    %.0f cycles/s (%llu cycles in %.2f s wall clock, "
	       "not asserted)\n", fg->sim_cycles / fg->sim_seconds,
	       (unsigned long long)fg->sim_cycles, fg->sim_seconds);
	/* CPU: cycles per second of the process's own CPU time (user + sys),
	 * what the model-speed target (2 M cycles/s at N_CONN 1024) is
	 * measured in, so that a loaded machine does not change it; wall: the
	 * same cycles per second of wall-clock time */
	if (fg->idle_seconds > 0.0) {
		printf("  model speed         %.3f M cycles/s CPU, %.3f M wall with a SYN every "
		       "10 cycles (%llu cycles in %.2f s CPU, %.2f s wall)\n",
		       fg->busy_cycles / fg->busy_cpu / 1e6,
		       fg->busy_cycles / fg->busy_seconds / 1e6,
		       (unsigned long long)fg->busy_cycles, fg->busy_cpu, fg->busy_seconds);
		printf("                      %.3f M cycles/s CPU, %.3f M wall idle, timer scan "
		       "running (%llu cycles in %.2f s CPU, %.2f s wall); CPU = the process's "
		       "user + sys time, not asserted\n",
		       fg->idle_cycles / fg->idle_cpu / 1e6,
		       fg->idle_cycles / fg->idle_seconds / 1e6,
		       (unsigned long long)fg->idle_cycles, fg->idle_cpu, fg->idle_seconds);
	}
}

/* sim/toe_sim.cpp makes a cycle with one eval, the edge's: it reads the
 * output ports the previous edge left, which is right only while no output
 * of toe_top depends combinationally on an input. TOE_SIM_CHECK_COMB=1
 * makes it also settle the logic before each edge and abort if an output
 * moved: scenarios that move every input (frames in, with tuser; transmit
 * backpressure; the user's tready; host bytes) run again with it. */
static void test_sim_one_eval_outputs_not_combinational_on_inputs(void **state)
{
	assert_int_equal(setenv("TOE_SIM_CHECK_COMB", "1", 1), 0);
	test_seed_connect_sends_frame1_frame2_in_frame3_out(state);
	test_malformed_frames_counted_by_reason(state);
	test_payload_back_to_back_all_delivered_then_user_stall_drops(state);
	test_payload_user_not_ready_not_acked_then_acked_on_retransmit(state);
	test_host_stream_ping_and_event_frames(state);
	assert_int_equal(unsetenv("TOE_SIM_CHECK_COMB"), 0);
}

/* The engine issue's targets, asserted on exact cycle counts: every reply
 * (SYN-ACK, ACK) within 100 ns of the last beat in at the lowest
 * acceptable clock, 125 MHz: 12 cycles (96 ns); a new minimum-size segment
 * every <= 10 cycles with nothing lost. (Until 2026-12-07 this asserted 8
 * cycles, the first engine issue's one-cycle-decision target, which the
 * engine-on-FPGA issue replaced by ns at the routed clock: the TCB read is
 * now registered before the TCP step, one cycle more for a clock the part
 * can route.) The SYN-ACK waits for the SipHash unit, started at beat 4
 * of the SYN: its 5 cycles end before the SYN's last beat. */
#define TOP_LAT_MAX_CYCLES 12

static void test_figures_latency_and_rate_targets(void **state)
{
	struct figures fg;

	(void)state;
	measure(&fg, false);
	print_figures(&fg);
	assert_true(fg.fin_ack <= TOP_LAT_MAX_CYCLES);
	assert_true(fg.synack_ack <= TOP_LAT_MAX_CYCLES);
	assert_true(fg.syn_synack <= TOP_LAT_MAX_CYCLES);
	assert_true(fg.syn_linux <= TOP_LAT_MAX_CYCLES);
	assert_true(fg.syn_ipopt <= TOP_LAT_MAX_CYCLES);
	assert_int_equal(fg.n_synack, fg.n_syn);
	assert_int_equal(fg.n_synack_gap, fg.n_syn_gap);
	assert_true(fg.in_cycles_per_syn <= 10.0);
	assert_true(fg.in_cycles_per_syn_gap <= 10.0 + 0.01);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csr_id_version_read_through_bridge),
		cmocka_unit_test(test_csr_config_resets_and_round_trip),
		cmocka_unit_test(test_csr_64bit_hi_lo_latching),
		cmocka_unit_test(test_csr_bad_address_error),
		cmocka_unit_test(test_seed_frame1_in_frame2_out_byte_exact),
		cmocka_unit_test(test_seed_connect_sends_frame1_frame2_in_frame3_out),
		cmocka_unit_test(test_seed_active_close_frames_4_to_7),
		cmocka_unit_test(test_seed_passive_close_frames_4_to_7),
		cmocka_unit_test(test_arp_request_for_us_gets_reply),
		cmocka_unit_test(test_icmp_echo_gets_reply_ip_ids_own_counter),
		cmocka_unit_test(test_malformed_frames_counted_by_reason),
		cmocka_unit_test(test_disabled_engine_drops_frames_uncounted),
		cmocka_unit_test(test_cmd_listen_unlisten_errors),
		cmocka_unit_test(test_cmd_while_busy_ends_ebusy),
		cmocka_unit_test(test_cmd_connect_then_close_in_syn_sent_sends_nothing),
		cmocka_unit_test(test_cmd_abort_established_sends_rst),
		cmocka_unit_test(test_cfg_max_conns_third_syn_dropped_table_full),
		cmocka_unit_test(test_cmd_shutdown_fin_then_receive_still_works),
		cmocka_unit_test(test_events_fifo_overflow_counted_lost),
		cmocka_unit_test(test_host_stream_ping_and_event_frames),
		cmocka_unit_test(test_sim_reset_clears_engine),
		cmocka_unit_test(test_sim_pcap_and_fst_written),
		cmocka_unit_test(test_payload_in_order_with_conn_id),
		cmocka_unit_test(test_payload_back_to_back_all_delivered_then_user_stall_drops),
		cmocka_unit_test(test_payload_user_not_ready_not_acked_then_acked_on_retransmit),
		cmocka_unit_test(test_payload_frame_longer_than_buffer_cut_dropped_counted),
		cmocka_unit_test(test_isn_equals_reference_siphash),
		cmocka_unit_test(test_figures_latency_and_rate_targets),
		cmocka_unit_test(test_sim_one_eval_outputs_not_combinational_on_inputs),
	};

	if (sodium_init() < 0)
		return 1;
	if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
		struct figures fg;

		measure(&fg, true);
		printf("model: toe_top with %s\n", argc > 2 ? argv[2] : "default parameters "
		       "(ISN_HR_PER_STAGE 4)");
		print_figures(&fg);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
