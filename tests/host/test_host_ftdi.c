/* SPDX-License-Identifier: MIT */
/*
 * test_host_ftdi.c - the ftdi:// transport without a board: the real
 * libftdi1 and libusb-1.0 code talks to an FT2232H emulated on umockdev's
 * USB bus (tests/host/support/ftdi_emu.c), whose channel B runs the bridge
 * protocol in front of a register file (fake_eng.c). Checked: discovery by
 * VID:PID and serial, the chip set-up libftdi does for us (claim, reset,
 * latency timer, bitmode, baud rate, purge), the two modem status bytes
 * of every USB packet never reaching the protocol (one packet per
 * transfer, several packets per transfer, status-only transfers), short
 * reads, CRC errors on the way back (retried, the write still done once),
 * and the device unplugged in the middle of a request (a clean
 * TOE_EDISCONNECTED within the timeout, no hang, and at once after that).
 *
 * The runner re-executes itself with libumockdev-preload.so.0 in
 * LD_PRELOAD; without umockdev it fails, saying so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_eng.h"
#include "ftdi_emu.h"
#include "toe/toe.h"

struct fx {
	struct fake_eng *eng;
	struct ftdi_emu *emu;
	struct toe *t;
};

static struct fx *fx_new(uint16_t max_packet, unsigned chunk)
{
	struct ftdi_emu_cfg cfg = { .max_packet = max_packet, .chunk = chunk,
				    .serial = "FT0TOE01" };
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	f->eng = fake_eng_new();
	assert_non_null(f->eng);
	f->emu = ftdi_emu_new(&cfg, f->eng, err, sizeof(err));
	if (!f->emu)
		fail_msg("%s", err);
	f->t = toe_new();
	assert_non_null(f->t);
	return f;
}

static void fx_open(struct fx *f, const char *uri)
{
	int r = toe_open(f->t, uri);

	if (r != 0)
		fail_msg("open %s: %s: %s", uri, toe_strerror(r),
			 toe_errmsg(f->t));
}

static void fx_free(struct fx *f)
{
	toe_free(f->t);
	ftdi_emu_free(f->emu);
	fake_eng_free(f->eng);
	free(f);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_ftdi_open_by_vid_pid_chip_set_up(void **state)
{
	struct fx *f = fx_new(512, 0);
	struct ftdi_emu_stats st;
	struct toe_info in;

	(void)state;
	fx_open(f, "ftdi://0403:6010/B?latency=2&baud=3000000");
	assert_int_equal(toe_get_info(f->t, &in), 0);
	assert_int_equal(in.id, 0x544F4531);
	assert_int_equal(in.max_burst, 32);
	ftdi_emu_get_stats(f->emu, &st);
	assert_true(st.claimed >= 1);
	assert_true(st.resets >= 1);        /* ftdi_usb_reset at open */
	assert_int_equal(st.latency, 2);    /* our latency option */
	assert_int_equal(st.bitmode, 0);    /* BITMODE_RESET: UART */
	assert_true(st.baud_requests >= 1);
	assert_true(st.line_requests >= 1); /* 8N1 */
	assert_true(st.flow_requests >= 1);
	assert_true(st.purge_rx >= 1 && st.purge_tx >= 1);
	/* every IN packet started with status bytes, none reached us */
	assert_true(st.status_bytes >= 2 * st.in_transfers);
	assert_true(st.in_bytes > 0);
	fx_free(f);
}

static void test_ftdi_board_name_and_serial_match(void **state)
{
	struct fx *f = fx_new(512, 0);
	struct toe *t2 = toe_new();

	(void)state;
	fx_open(f, "ftdi://0403:6010:FT0TOE01/B");
	toe_close(f->t);
	fx_open(f, "ftdi://arty-a7"); /* 0403:6010, channel B */
	toe_close(f->t);
	assert_int_equal(toe_open(t2, "ftdi://0403:6010:OTHER/B"), TOE_ENODEV);
	assert_non_null(strstr(toe_errmsg(t2), "no such device"));
	assert_int_equal(toe_open(t2, "ftdi://0403:6014"), TOE_ENODEV);
	toe_free(t2);
	fx_free(f);
}

static void test_ftdi_several_packets_per_transfer_status_stripped(void **state)
{
	struct fx *f = fx_new(64, 0);
	struct ftdi_emu_stats st;
	uint32_t w[32], back[32];

	(void)state;
	fx_open(f, "ftdi://0403:6010/B");
	/* 32 words: a 137-byte READ_DATA frame, in 64-byte packets of 62
	 * data bytes each, 3 packets in one transfer */
	for (int i = 0; i < 32; i++)
		w[i] = 0x10000000u * (uint32_t)(i % 16) + (uint32_t)i * 0x01010101u;
	assert_int_equal(toe_reg_write_n(f->t, TOE_REG_CMD_LOCAL_PORT, w, 6), 0);
	assert_int_equal(toe_reg_read_n(f->t, TOE_REG_CTRL, back, 24), 0);
	assert_int_equal(toe_reg_read_n(f->t, TOE_REG_CMD_LOCAL_PORT, back, 6), 0);
	assert_int_equal(back[1], w[1]);
	assert_int_equal(back[4], w[4]);
	assert_int_equal(back[0], w[0] & 0xFFFF); /* the register's width */
	{
		uint32_t big[32];

		/* a full burst read back: register file values, byte exact */
		assert_int_equal(toe_reg_read_n(f->t, TOE_REG_ID, big, 4), 0);
		assert_int_equal(big[0], 0x544F4531);
		assert_int_equal(toe_reg_read_n(f->t, TOE_REG_CTRL, big, 24), 0);
		assert_int_equal(big[(TOE_REG_MTU - TOE_REG_CTRL) / 4], 1500);
		assert_int_equal(big[(TOE_REG_TICK_HZ - TOE_REG_CTRL) / 4],
				 156250000);
	}
	ftdi_emu_get_stats(f->emu, &st);
	/* more status bytes than transfers: multi-packet transfers happened */
	assert_true(st.status_bytes > 2 * st.in_transfers);
	fx_free(f);
}

static void test_ftdi_short_reads_reassembled(void **state)
{
	struct fx *f = fx_new(512, 5);
	struct ftdi_emu_stats st;
	uint32_t v;

	(void)state;
	fx_open(f, "ftdi://0403:6010/B");
	for (uint32_t i = 0; i < 20; i++) {
		assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, i * 77u), 0);
		assert_int_equal(toe_reg_read(f->t, TOE_REG_SCRATCH, &v), 0);
		assert_int_equal(v, i * 77u);
	}
	ftdi_emu_get_stats(f->emu, &st);
	/* a 13-byte response takes at least 3 transfers of <= 5 bytes */
	assert_true(st.in_transfers >= 3 * 40);
	assert_int_equal(fake_eng_writes_to(f->eng, TOE_REG_SCRATCH), 20);
	fx_free(f);
}

static void test_ftdi_crc_errors_retried_write_once(void **state)
{
	struct fx *f = fx_new(512, 0);
	struct toe_stats st;
	uint32_t v;

	(void)state;
	fx_open(f, "ftdi://0403:6010/B?timeout=20");
	ftdi_emu_corrupt_next(f->emu, 2);
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 0xC0FFEE), 0);
	assert_int_equal(toe_reg_read(f->t, TOE_REG_SCRATCH, &v), 0);
	assert_int_equal(v, 0xC0FFEE);
	assert_int_equal(fake_eng_writes_to(f->eng, TOE_REG_SCRATCH), 1);
	assert_int_equal(toe_get_stats(f->t, &st), 0);
	assert_int_equal(st.link_crc_errors, 2);
	assert_int_equal(st.link_retries, 2);
	fx_free(f);
}

static void test_ftdi_unplug_mid_request_edisconnected(void **state)
{
	struct fx *f = fx_new(512, 0);
	uint64_t t0, dt;
	uint32_t v;
	int r;

	(void)state;
	fx_open(f, "ftdi://0403:6010/B?timeout=50&retries=3");
	/* the next request reaches the engine, then the cable is pulled
	 * before its answer is read */
	ftdi_emu_unplug_after(f->emu, 1);
	t0 = mono_ms();
	r = toe_reg_write(f->t, TOE_REG_SCRATCH, 5);
	dt = mono_ms() - t0;
	if (r != TOE_EDISCONNECTED)
		fail_msg("got %d (%s): %s", r, toe_strerror(r), toe_errmsg(f->t));
	assert_non_null(strstr(toe_errmsg(f->t), "unplugged"));
	assert_true(dt < 1000);
	/* the write did reach the engine once */
	assert_int_equal(fake_eng_writes_to(f->eng, TOE_REG_SCRATCH), 1);
	/* later calls fail at once, without touching USB */
	t0 = mono_ms();
	assert_int_equal(toe_reg_read(f->t, TOE_REG_SCRATCH, &v),
			 TOE_EDISCONNECTED);
	assert_true(mono_ms() - t0 < 50);
	toe_close(f->t); /* closing a gone device is fine */
	fx_free(f);
}

static void test_ftdi_gone_before_request_edisconnected(void **state)
{
	struct fx *f = fx_new(512, 0);
	uint32_t v;

	(void)state;
	fx_open(f, "ftdi://0403:6010/B?timeout=50&retries=3");
	ftdi_emu_unplug_after(f->emu, 0);
	assert_int_equal(toe_reg_read(f->t, TOE_REG_ID, &v), TOE_EDISCONNECTED);
	assert_int_equal(fake_eng_executed(f->eng), 2); /* PING, ID block */
	fx_free(f);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi_open_by_vid_pid_chip_set_up),
		cmocka_unit_test(test_ftdi_board_name_and_serial_match),
		cmocka_unit_test(test_ftdi_several_packets_per_transfer_status_stripped),
		cmocka_unit_test(test_ftdi_short_reads_reassembled),
		cmocka_unit_test(test_ftdi_crc_errors_retried_write_once),
		cmocka_unit_test(test_ftdi_unplug_mid_request_edisconnected),
		cmocka_unit_test(test_ftdi_gone_before_request_edisconnected),
	};
	char err[256];

	(void)argc;
	if (ftdi_emu_reexec(argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "test_host_ftdi: cannot emulate USB: %s\n", err);
		return 1;
	}
	return cmocka_run_group_tests_name("host_ftdi", tests, NULL, NULL);
}
