/* SPDX-License-Identifier: MIT */
/*
 * test_drv.c - the register driver (host/common/toe_drv.c) against a fake
 * register file written here: commands (arguments, success, every error
 * code, the poll bound and the wait hook, bus errors), the connection
 * read-out decoded field by field, events (empty, RX_DATA with its
 * argument, EV_COUNT), the configuration's words and write order, the
 * statistics in both read modes, and the exact accesses each makes.
 *
 * The fake's register words are written from the layout of
 * docs/regmap.md (bit positions spelled out below), not with the
 * driver's macros, so a wrong field in either shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toe/toe_regs.h"
#include "toe_drv.h"

/* ---- the fake engine ---- */

#define NREG 256 /* 1 KiB of byte addresses */
#define LOG_MAX 256

struct access {
	bool write;
	uint32_t addr;
	size_t n;
	uint32_t first; /* the first word written */
};

struct fake {
	uint32_t reg[NREG];
	/* CMD: BUSY for this many CMD_STATUS reads, then ERR / RESULT */
	unsigned busy_reads, busy_left;
	unsigned cmd_err;
	uint32_t cmd_result;
	unsigned cmd_op; /* last OP written */
	/* CONN_SEL copies conn[id] into CONN_STATE .. */
	uint32_t conn[4][TOE_DRV_CONN_WORDS];
	/* event FIFO: EV_POP words and their EV_ARG */
	uint32_t ev_pop[8], ev_arg[8];
	unsigned ev_n, ev_head;
	/* fail the access number fail_at (1-based), 0 = never */
	unsigned fail_at, accesses;
	/* wait hook */
	unsigned waits, wait_stop;
	unsigned wait_polls[64];
	struct access log[LOG_MAX];
	unsigned nlog;
};

static void logit(struct fake *f, bool w, uint32_t addr, size_t n, uint32_t first)
{
	if (f->nlog < LOG_MAX)
		f->log[f->nlog++] = (struct access){ w, addr, n, first };
}

static uint32_t fake_read1(struct fake *f, uint32_t addr)
{
	if (addr == TOE_REG_CMD_STATUS && f->busy_left) {
		f->busy_left--;
		return 0x80000000u; /* BUSY, bit 31 */
	}
	if (addr == TOE_REG_EV_POP) {
		uint32_t v = 0;

		if (f->ev_n) {
			v = f->ev_pop[f->ev_head];
			f->reg[TOE_REG_EV_ARG / 4] = f->ev_arg[f->ev_head];
			f->ev_head++;
			f->ev_n--;
		}
		f->reg[TOE_REG_EV_COUNT / 4] = f->ev_n;
		return v;
	}
	return f->reg[addr / 4];
}

static void fake_write1(struct fake *f, uint32_t addr, uint32_t v)
{
	f->reg[addr / 4] = v;
	if (addr == TOE_REG_CMD) {
		f->cmd_op = v & 0xF;
		f->busy_left = f->busy_reads;
		/* ERR in 23:16, RESULT in 15:0, BUSY 0 once done */
		f->reg[TOE_REG_CMD_STATUS / 4] = f->cmd_err << 16 | f->cmd_result;
	}
	if (addr == TOE_REG_CONN_SEL && v < 4)
		memcpy(&f->reg[TOE_REG_CONN_STATE / 4], f->conn[v], sizeof(f->conn[v]));
}

static int fake_read(void *ctx, uint32_t addr, uint32_t *val, size_t n)
{
	struct fake *f = ctx;

	logit(f, false, addr, n, 0);
	if (++f->accesses == f->fail_at)
		return -77;
	assert_true(n >= 1);
	assert_true(addr % 4 == 0 && addr / 4 + n <= NREG);
	for (size_t i = 0; i < n; i++)
		val[i] = fake_read1(f, addr + 4 * (uint32_t)i);
	return 0;
}

static int fake_write(void *ctx, uint32_t addr, const uint32_t *val, size_t n)
{
	struct fake *f = ctx;

	logit(f, true, addr, n, val[0]);
	if (++f->accesses == f->fail_at)
		return -77;
	assert_true(n >= 1);
	assert_true(addr % 4 == 0 && addr / 4 + n <= NREG);
	for (size_t i = 0; i < n; i++)
		fake_write1(f, addr + 4 * (uint32_t)i, val[i]);
	return 0;
}

static int fake_wait(void *ctx, unsigned polls)
{
	struct fake *f = ctx;

	if (f->waits < 64)
		f->wait_polls[f->waits] = polls;
	f->waits++;
	return f->wait_stop && polls >= f->wait_stop;
}

static const struct toe_drv_ops fake_ops = { fake_read, fake_write, NULL };
static const struct toe_drv_ops fake_ops_wait = { fake_read, fake_write, fake_wait };

static struct fake F;

static void setup(struct toe_drv *d, unsigned burst)
{
	memset(&F, 0, sizeof(F));
	toe_drv_init(d, &fake_ops, &F);
	d->burst = burst;
}

static void assert_access(unsigned i, bool write, uint32_t addr, size_t n)
{
	assert_true(i < F.nlog);
	assert_int_equal(F.log[i].write, write);
	assert_int_equal(F.log[i].addr, addr);
	assert_int_equal(F.log[i].n, n);
}

static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/* ---- commands ---- */

static void test_connect_success_writes_args_then_cmd(void **state)
{
	struct toe_drv d;
	struct toe_drv_status st;
	struct toe_drv_cmd c = {
		.op = TOE_CMD_CONNECT,
		.args = toe_drv_cmd_args_of(TOE_CMD_CONNECT),
		.local_port = 4000,
		.remote_ip = 0x0A000002,
		.remote_port = 80,
	};

	(void)state;
	memcpy(c.remote_mac, mac, 6);
	setup(&d, 1);
	F.busy_reads = 2;
	F.cmd_result = 17;
	assert_int_equal(toe_drv_command(&d, &c, &st), 0);
	assert_false(st.busy);
	assert_int_equal(st.err, TOE_CMD_OK);
	assert_int_equal(st.result, 17);
	/* one register a call, ascending, CMD last; CMD_CONN not written */
	assert_access(0, true, 0x100, 1);
	assert_access(1, true, 0x104, 1);
	assert_access(2, true, 0x108, 1);
	assert_access(3, true, 0x10C, 1);
	assert_access(4, true, 0x110, 1);
	assert_access(5, true, 0x118, 1);
	/* two BUSY reads, then the result */
	assert_access(6, false, 0x11C, 1);
	assert_access(8, false, 0x11C, 1);
	assert_int_equal(F.nlog, 9);
	assert_int_equal(F.reg[0x100 / 4], 4000);
	assert_int_equal(F.reg[0x104 / 4], 0x0A000002);
	assert_int_equal(F.reg[0x108 / 4], 80);
	assert_int_equal(F.reg[0x10C / 4], 0x0211);     /* bytes 0, 1 */
	assert_int_equal(F.reg[0x110 / 4], 0x22334455); /* bytes 2 .. 5 */
	assert_int_equal(F.cmd_op, TOE_CMD_CONNECT);
}

static void test_command_one_burst_when_burst_allows(void **state)
{
	struct toe_drv d;
	struct toe_drv_status st;
	struct toe_drv_cmd c = {
		.op = TOE_CMD_CLOSE,
		.args = TOE_DRV_ARG_ALL,
		.conn = 9,
	};

	(void)state;
	setup(&d, 64);
	assert_int_equal(toe_drv_command(&d, &c, &st), 0);
	/* CMD_LOCAL_PORT .. CMD: seven words in one call, OP the last */
	assert_access(0, true, 0x100, 7);
	assert_int_equal(F.reg[0x114 / 4], 9);
	assert_int_equal(F.reg[0x118 / 4], TOE_CMD_CLOSE);
	/* CLOSE alone: CMD_CONN and CMD are adjacent: one call */
	setup(&d, 64);
	c.args = toe_drv_cmd_args_of(TOE_CMD_CLOSE);
	assert_int_equal(toe_drv_command(&d, &c, &st), 0);
	assert_access(0, true, 0x114, 2);
	assert_access(1, false, 0x11C, 1);
	assert_int_equal(F.nlog, 2);
}

static void test_command_error_codes(void **state)
{
	static const unsigned errs[] = {
		TOE_CMD_EINVAL, TOE_CMD_ENOMEM, TOE_CMD_EADDRINUSE, TOE_CMD_ENOTCONN,
		TOE_CMD_ESTATE, TOE_CMD_EPIPE, TOE_CMD_ENOTSUP, TOE_CMD_EBUSY,
	};
	struct toe_drv d;
	struct toe_drv_status st;
	struct toe_drv_cmd c = { .op = TOE_CMD_LISTEN, .args = TOE_DRV_ARG_LOCAL_PORT };

	(void)state;
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		setup(&d, 1);
		F.cmd_err = errs[i];
		assert_int_equal(toe_drv_command(&d, &c, &st), 0);
		assert_int_equal(st.err, errs[i]);
		assert_string_not_equal(toe_drv_cmd_err_text(errs[i]), "unknown result code");
	}
	assert_string_equal(toe_drv_cmd_err_text(200), "unknown result code");
	/* NOP starts nothing: refused before the bus */
	setup(&d, 1);
	c.op = TOE_CMD_NOP;
	assert_int_equal(toe_drv_command(&d, &c, &st), TOE_DRV_EINVAL);
	assert_int_equal(toe_drv_cmd_start(&d, TOE_CMD_NOP), TOE_DRV_EINVAL);
	assert_int_equal(F.nlog, 0);
}

static void test_command_timeout_after_poll_bound(void **state)
{
	struct toe_drv d;
	struct toe_drv_status st;

	(void)state;
	setup(&d, 1);
	d.cmd_polls = 5;
	F.busy_reads = 1000;
	assert_int_equal(toe_drv_cmd_start(&d, TOE_CMD_ABORT), 0);
	assert_int_equal(toe_drv_cmd_wait(&d, &st), TOE_DRV_ETIMEDOUT);
	assert_true(st.busy);
	assert_int_equal(st.raw, 0x80000000u);
	/* the CMD write, then exactly cmd_polls status reads */
	assert_int_equal(F.nlog, 1 + 5);
	assert_string_equal(toe_drv_strerror(TOE_DRV_ETIMEDOUT), "command still busy");
}

static void test_command_wait_hook_ends_wait(void **state)
{
	struct toe_drv d;
	struct toe_drv_status st;
	struct toe_drv_cmd c = { .op = TOE_CMD_SHUTDOWN, .args = TOE_DRV_ARG_CONN };

	(void)state;
	setup(&d, 1);
	d.ops = &fake_ops_wait;
	d.cmd_polls = 0; /* no poll bound: the hook decides */
	F.busy_reads = 1000;
	F.wait_stop = 3;
	assert_int_equal(toe_drv_command(&d, &c, &st), TOE_DRV_ETIMEDOUT);
	/* called once the command is written (0), then after each BUSY read */
	assert_int_equal(F.waits, 4);
	assert_int_equal(F.wait_polls[0], 0);
	assert_int_equal(F.wait_polls[1], 1);
	assert_int_equal(F.wait_polls[3], 3);
	assert_int_equal(F.nlog, 2 + 3);
	/* a command that ends in time */
	setup(&d, 1);
	d.ops = &fake_ops_wait;
	d.cmd_polls = 0;
	F.busy_reads = 2;
	F.wait_stop = 3;
	assert_int_equal(toe_drv_command(&d, &c, &st), 0);
	assert_int_equal(F.waits, 3);
}

static void test_bus_error_reported_with_code_and_address(void **state)
{
	struct toe_drv d;
	struct toe_drv_status st;
	struct toe_drv_cmd c = { .op = TOE_CMD_LISTEN, .args = TOE_DRV_ARG_LOCAL_PORT };

	(void)state;
	setup(&d, 1);
	F.fail_at = 2; /* the CMD write */
	assert_int_equal(toe_drv_command(&d, &c, &st), TOE_DRV_EBUS);
	assert_int_equal(d.bus_err, -77);
	assert_int_equal(d.bus_addr, 0x118);
	setup(&d, 1);
	F.fail_at = 3; /* the first status read */
	assert_int_equal(toe_drv_command(&d, &c, &st), TOE_DRV_EBUS);
	assert_int_equal(d.bus_addr, 0x11C);
}

/* ---- connection read-out ---- */

static void fill_conn(uint32_t w[TOE_DRV_CONN_WORDS])
{
	/* docs/regmap.md: CONN_STATE STATE 3:0, PASSIVE 4, CLOSED_BY_USER 5,
	 * WR_SHUT 6, RETRANSMITS 15:8 */
	w[0] = 9u | 1u << 4 | 0u << 5 | 1u << 6 | 200u << 8;
	w[1] = 0x0A000001;              /* LOCAL_IP */
	w[2] = 0xC0000202;              /* REMOTE_IP */
	w[3] = 51000u << 16 | 4000u;    /* PORTS: LOCAL 15:0, REMOTE 31:16 */
	w[4] = 0x11111111;              /* ISS */
	w[5] = 0x22222222;              /* IRS */
	w[6] = 0x33333333;              /* SND_UNA */
	w[7] = 0x44444444;              /* SND_NXT */
	w[8] = 29200;                   /* SND_WND */
	w[9] = 0x55555555;              /* RCV_NXT */
	w[10] = 1400u << 16 | 1460u;    /* MSS: PEER 15:0, EFF 31:16 */
	w[11] = 300;                    /* RETRANSMITS */
	w[12] = 0x0211;                 /* REMOTE_MAC_HI: bytes 0, 1 */
	w[13] = 0x22334455;             /* REMOTE_MAC_LO: bytes 2 .. 5 */
	w[14] = 65535;                  /* MAX_SND_WND */
}

static void test_conn_info_fields_decoded(void **state)
{
	struct toe_drv d;
	struct toe_drv_conn c;
	struct toe_ref_conn_info ri;

	(void)state;
	setup(&d, 1);
	fill_conn(F.conn[2]);
	assert_int_equal(toe_drv_conn_info(&d, 2, TOE_DRV_CONN_WORDS, &c), 0);
	assert_int_equal(c.state, TOE_ST_LAST_ACK);
	assert_true(c.passive);
	assert_false(c.closed_by_user);
	assert_true(c.wr_shut);
	assert_int_equal(c.retransmits8, 200);
	assert_int_equal(c.local_ip, 0x0A000001);
	assert_int_equal(c.remote_ip, 0xC0000202);
	assert_int_equal(c.local_port, 4000);
	assert_int_equal(c.remote_port, 51000);
	assert_int_equal(c.iss, 0x11111111);
	assert_int_equal(c.irs, 0x22222222);
	assert_int_equal(c.snd_una, 0x33333333);
	assert_int_equal(c.snd_nxt, 0x44444444);
	assert_int_equal(c.snd_wnd, 29200);
	assert_int_equal(c.rcv_nxt, 0x55555555);
	assert_int_equal(c.peer_mss, 1460);
	assert_int_equal(c.eff_mss, 1400);
	assert_int_equal(c.retransmits, 300);
	assert_memory_equal(c.remote_mac, mac, 6);
	assert_int_equal(c.max_snd_wnd, 65535);
	/* CONN_SEL, then the fifteen words one by one */
	assert_access(0, true, 0x140, 1);
	assert_int_equal(F.log[0].first, 2);
	assert_access(1, false, 0x144, 1);
	assert_access(15, false, 0x17C, 1);
	assert_int_equal(F.nlog, 16);
	/* the reference stack's view: the 32-bit retransmission count */
	toe_drv_conn_to_ref(&c, &ri);
	assert_int_equal(ri.retransmits, 300);
	assert_int_equal(ri.local_port, 4000);
	assert_int_equal(ri.remote_port, 51000);
	assert_int_equal(ri.max_snd_wnd, 65535);
}

static void test_conn_read_bursts_and_old_map(void **state)
{
	struct toe_drv d;
	struct toe_drv_conn c;
	uint32_t w[TOE_DRV_CONN_WORDS];

	(void)state;
	/* two words a call: STATE alone, then seven pairs from LOCAL_IP */
	setup(&d, 2);
	fill_conn(F.conn[1]);
	assert_int_equal(toe_drv_conn_select(&d, 1), 0);
	assert_int_equal(toe_drv_conn_read(&d, 0, 1, w), 0);
	assert_int_equal(toe_drv_conn_read(&d, 1, TOE_DRV_CONN_WORDS - 1, w), 0);
	assert_access(1, false, 0x144, 1);
	assert_access(2, false, 0x148, 2);
	assert_access(8, false, 0x178, 2);
	assert_int_equal(F.nlog, 9);
	/* register map 0.1: CONN_STATE .. CONN_MSS; the rest reads as 0 */
	setup(&d, 64);
	fill_conn(F.conn[1]);
	assert_int_equal(toe_drv_conn_info(&d, 1, TOE_DRV_CONN_WORDS_V1, &c), 0);
	assert_access(1, false, 0x144, 11);
	assert_int_equal(c.eff_mss, 1400);
	assert_int_equal(c.retransmits, 0);
	assert_int_equal(c.max_snd_wnd, 0);
	/* out of range */
	assert_int_equal(toe_drv_conn_select(&d, 0x10000), TOE_DRV_EINVAL);
	assert_int_equal(toe_drv_conn_read(&d, 14, 2, w), TOE_DRV_EINVAL);
}

/* ---- events ---- */

static void push_ev(unsigned type, unsigned conn, uint32_t arg)
{
	/* EV_POP: CONN 15:0, TYPE 19:16, VALID 31 */
	F.ev_pop[F.ev_head + F.ev_n] = 1u << 31 | type << 16 | conn;
	F.ev_arg[F.ev_head + F.ev_n] = arg;
	F.ev_n++;
}

static void test_event_pop_empty(void **state)
{
	struct toe_drv d;
	struct toe_drv_event ev;

	(void)state;
	setup(&d, 1);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 0);
	/* EV_POP only: nothing to take an argument from */
	assert_int_equal(F.nlog, 1);
	assert_access(0, false, 0x180, 1);
	d.ev_arg = TOE_DRV_EV_ARG_ALWAYS;
	assert_int_equal(toe_drv_event_pop(&d, &ev), 0);
	assert_int_equal(F.nlog, 2);
}

static void test_event_pop_nonempty(void **state)
{
	struct toe_drv d;
	struct toe_drv_event ev;

	(void)state;
	setup(&d, 1);
	push_ev(TOE_EV_ESTABLISHED, 3, 0);
	push_ev(TOE_EV_RX_DATA, 1023, 512);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_int_equal(ev.type, TOE_EV_ESTABLISHED);
	assert_int_equal(ev.conn, 3);
	assert_int_equal(ev.count, -1);
	assert_int_equal(F.nlog, 1); /* no EV_ARG for ESTABLISHED */
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_int_equal(ev.type, TOE_EV_RX_DATA);
	assert_int_equal(ev.conn, 1023);
	assert_int_equal(ev.arg, 512);
	assert_access(2, false, 0x184, 1); /* EV_ARG after RX_DATA */
	assert_int_equal(toe_drv_event_pop(&d, &ev), 0);

	/* EV_ARG after every event; or never, the caller reading it */
	setup(&d, 1);
	d.ev_arg = TOE_DRV_EV_ARG_ALWAYS;
	push_ev(TOE_EV_CLOSED, 4, 0);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_access(1, false, 0x184, 1);
	setup(&d, 1);
	d.ev_arg = TOE_DRV_EV_ARG_CALLER;
	push_ev(TOE_EV_RX_DATA, 5, 99);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_int_equal(F.nlog, 1);
	assert_int_equal(ev.arg, 0);
	assert_int_equal(toe_drv_event_arg(&d, &ev), 0);
	assert_int_equal(ev.arg, 99);

	/* EV_POP, EV_ARG and EV_COUNT in one read */
	setup(&d, 64);
	d.ev_words = 3;
	push_ev(TOE_EV_PEER_FIN, 7, 0);
	push_ev(TOE_EV_CLOSED, 7, 0);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_access(0, false, 0x180, 3);
	assert_int_equal(ev.type, TOE_EV_PEER_FIN);
	assert_int_equal(ev.count, 1);
	assert_int_equal(toe_drv_event_pop(&d, &ev), 1);
	assert_int_equal(ev.type, TOE_EV_CLOSED);
	assert_int_equal(ev.count, 0);
	assert_int_equal(F.nlog, 2);
}

/* ---- configuration ---- */

static void test_cfg_words_and_order(void **state)
{
	struct toe_drv d;
	struct toe_drv_cfg c, back;
	uint32_t w[TOE_DRV_CFG_WORDS];
	unsigned i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.ctrl = 0x6; /* ARP_EN, PING_EN; ENABLE 0 */
	memcpy(c.mac, mac, 6);
	c.local_ip = 0x0A000001;
	c.mtu = 9000;
	c.rcv_wnd = 8760;
	c.syn_wnd = 1000;
	c.ttl = 64;
	c.df = true;
	c.ip_id_init = 0x1234;
	c.ip_id_step = 3;
	c.tick_hz = 250000;
	c.challenge_ack_limit = 5;
	c.rto_init = 0x100000002ull;
	c.challenge_ack_window = 7;
	for (i = 0; i < 16; i++)
		c.isn_key[i] = (uint8_t)(i + 1);
	toe_drv_cfg_encode(&c, w);
	assert_int_equal(w[(0x044 - 0x040) / 4], 0x0211);
	assert_int_equal(w[(0x048 - 0x040) / 4], 0x22334455);
	assert_int_equal(w[(0x050 - 0x040) / 4], 9000);
	assert_int_equal(w[(0x054 - 0x040) / 4], 1000u << 16 | 8760); /* SYN_WND 31:16 */
	assert_int_equal(w[(0x058 - 0x040) / 4], 1u << 8 | 64);       /* DF 8, TTL 7:0 */
	assert_int_equal(w[(0x05C - 0x040) / 4], 3u << 16 | 0x1234);  /* STEP 31:16 */
	assert_int_equal(w[(0x068 - 0x040) / 4], 2);                  /* RTO_INIT_LO */
	assert_int_equal(w[(0x06C - 0x040) / 4], 1);                  /* RTO_INIT_HI */
	toe_drv_cfg_decode(w, &back);
	assert_memory_equal(back.mac, mac, 6);
	assert_int_equal(back.syn_wnd, 1000);
	assert_int_equal(back.ip_id_step, 3);
	assert_true(back.df);
	assert_int_equal(back.rto_init, 0x100000002ull);

	/* disabled: CTRL first with the other 32-bit words, one burst */
	setup(&d, 64);
	assert_int_equal(toe_drv_cfg_write(&d, &c, TOE_DRV_CFG_ALL), 0);
	assert_access(0, true, 0x040, 10);
	assert_int_equal(F.log[0].first, 0x6);
	assert_access(1, true, 0x06C, 1); /* RTO_INIT_HI, then _LO */
	assert_access(2, true, 0x068, 1);
	assert_access(14, true, 0x098, 1); /* CHALLENGE_ACK_WINDOW_LO */
	assert_access(15, true, 0x0A0, 4); /* the key, byte 4i in bits 7:0 */
	assert_int_equal(F.log[15].first, 0x04030201);
	assert_int_equal(F.nlog, 16);
	assert_int_equal(toe_drv_cfg_read(&d, &back), 0);
	assert_int_equal(back.tick_hz, 250000);
	assert_int_equal(back.challenge_ack_window, 7);

	/* enabling: every other register first, CTRL last */
	setup(&d, 1);
	c.ctrl = 0x7;
	assert_int_equal(toe_drv_cfg_write(&d, &c, TOE_DRV_CFG_ADDR | TOE_DRV_CFG_CTRL), 0);
	assert_access(0, true, 0x044, 1);
	assert_access(2, true, 0x04C, 1);
	assert_access(3, true, 0x040, 1);
	assert_int_equal(F.log[3].first, 0x7);
	assert_int_equal(F.nlog, 4);
}

/* ---- statistics ---- */

static void test_stats_block_and_per_counter(void **state)
{
	struct toe_drv d;
	struct toe_ref_stats a, b;
	unsigned i;

	(void)state;
	setup(&d, 1);
	for (i = 0; i < TOE_DRV_STAT_WORDS; i++)
		F.reg[0x200 / 4 + i] = 0;
	F.reg[0x200 / 4] = 5;          /* SEGS_IN LO */
	F.reg[0x204 / 4] = 1;          /* SEGS_IN HI */
	F.reg[0x238 / 4] = 9;          /* RETRANSMITS LO */
	F.reg[(0x240 + 8 * 7) / 4] = 3; /* PARSE_DROP(7) = IP_CSUM */
	F.reg[(0x240 + 8 * 13) / 4 + 1] = 2; /* PARSE_DROP(13) HI */
	d.burst = 2;
	assert_int_equal(toe_drv_stats_read(&d, &a), 0);
	/* 8 counters and PARSE_DROP(1..13), a 2-word read each */
	assert_int_equal(F.nlog, 8 + 13);
	for (i = 0; i < F.nlog; i++) {
		assert_int_equal(F.log[i].n, 2);
		assert_int_not_equal(F.log[i].addr, 0x240);
	}
	F.nlog = 0;
	d.burst = 64;
	assert_int_equal(toe_drv_stats_read(&d, &b), 0);
	assert_access(0, false, 0x200, 44);
	assert_int_equal(F.nlog, 1);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.segs_in, 0x100000005ull);
	assert_int_equal(a.retransmits, 9);
	assert_int_equal(a.parse_drops[-TOE_PERR_IP_CSUM], 3);
	assert_int_equal(a.parse_drops[13], 2ull << 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_success_writes_args_then_cmd),
		cmocka_unit_test(test_command_one_burst_when_burst_allows),
		cmocka_unit_test(test_command_error_codes),
		cmocka_unit_test(test_command_timeout_after_poll_bound),
		cmocka_unit_test(test_command_wait_hook_ends_wait),
		cmocka_unit_test(test_bus_error_reported_with_code_and_address),
		cmocka_unit_test(test_conn_info_fields_decoded),
		cmocka_unit_test(test_conn_read_bursts_and_old_map),
		cmocka_unit_test(test_event_pop_empty),
		cmocka_unit_test(test_event_pop_nonempty),
		cmocka_unit_test(test_cfg_words_and_order),
		cmocka_unit_test(test_stats_block_and_per_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
