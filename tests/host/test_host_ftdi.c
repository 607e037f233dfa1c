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
 * Boards by their USB strings: ftdi://ecp5-versa finds an FT2232H with
 * the Versa's real manufacturer and product strings ("FTDI", "Lattice
 * ECP5_5G VERSA Board"; sources in driver/toe_tr_ftdi.c) and not a plain
 * FT2232H beside it; two Versas are told apart by serial
 * (ftdi://ecp5-versa:SERIAL); ftdi://arty-a7 finds the Arty's strings
 * ("Digilent", "Digilent USB Device"); a missing board gives TOE_ENODEV
 * with a message naming the IDs, product string and serial looked for.
 * The serial numbers here are made up (any string works).
 *
 * The runner re-executes itself with libumockdev-preload.so.0 in
 * LD_PRELOAD; without umockdev it fails, saying so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
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

/* the boards' USB strings (driver/toe_tr_ftdi.c says where they come
 * from): manufacturer, product */
#define VERSA_MFR "FTDI"
#define VERSA_PRODUCT "Lattice ECP5_5G VERSA Board"
#define ARTY_MFR "Digilent"
#define ARTY_PRODUCT "Digilent USB Device"

/* A fixture whose first device has these strings (NULL: the chip's
 * defaults) and an engine. */
static struct fx *fx_new_strings(const char *mfr, const char *product,
				 const char *serial)
{
	struct ftdi_emu_cfg cfg = { .max_packet = 512, .serial = serial,
				    .manufacturer = mfr, .product = product };
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

/* Another device beside f's first one; its index. */
static int fx_add(struct fx *f, const char *mfr, const char *product,
		  const char *serial, struct fake_eng *eng)
{
	struct ftdi_emu_cfg cfg = { .max_packet = 512, .serial = serial,
				    .manufacturer = mfr, .product = product };
	char err[256];
	int k = ftdi_emu_add(f->emu, &cfg, eng, err, sizeof(err));

	if (k < 0)
		fail_msg("%s", err);
	return k;
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
	fx_open(f, "ftdi://ft2232h"); /* any 0403:6010, channel B */
	toe_close(f->t);
	/* a board name needs the board's product string: a plain FT2232H
	 * is not an Arty */
	assert_int_equal(toe_open(t2, "ftdi://arty-a7"), TOE_ENODEV);
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


/* The Versa's FT2232H (its real strings) is found by ftdi://ecp5-versa,
 * on channel B; the Arty's by ftdi://arty-a7; neither by the other's
 * name. */
static void test_ftdi_boards_found_by_their_usb_strings(void **state)
{
	struct fx *f = fx_new_strings(VERSA_MFR, VERSA_PRODUCT, "FT4VERSA1");
	struct fx *a = NULL;
	struct toe *t2 = toe_new();
	struct toe_info in;
	uint32_t v;

	(void)state;
	fx_open(f, "ftdi://ecp5-versa");
	assert_int_equal(toe_get_info(f->t, &in), 0);
	assert_int_equal(in.id, 0x544F4531);
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 0x5EA5), 0);
	assert_int_equal(toe_reg_read(f->t, TOE_REG_SCRATCH, &v), 0);
	assert_int_equal(v, 0x5EA5);
	toe_close(f->t);
	fx_open(f, "ftdi://ecp5-versa:FT4VERSA1");
	toe_close(f->t);
	assert_int_equal(toe_open(t2, "ftdi://arty-a7"), TOE_ENODEV);
	fx_free(f);

	a = fx_new_strings(ARTY_MFR, ARTY_PRODUCT, "210319ABCDEF");
	fx_open(a, "ftdi://arty-a7");
	assert_int_equal(toe_reg_read(a->t, TOE_REG_ID, &v), 0);
	assert_int_equal(v, 0x544F4531);
	toe_close(a->t);
	assert_int_equal(toe_open(t2, "ftdi://ecp5-versa"), TOE_ENODEV);
	toe_free(t2);
	fx_free(a);
}

/* A plain FT2232H (FTDI's default strings, nothing behind its UART)
 * beside the Versa, added to the bus before it (versa_first false) or
 * after it: ftdi://ecp5-versa goes to the Versa and sends the plain chip
 * nothing. Both orders, because the bus lists its devices in an order of
 * its own: with the product string ignored, one of the two would take
 * the plain chip. By VID:PID alone, index 0 and 1 reach one each (both
 * are on the bus: the product string is what chose). */
static void beside(bool versa_first)
{
	struct fx *f = versa_first ?
		       fx_new_strings(VERSA_MFR, VERSA_PRODUCT, "FT4VERSA1") :
		       fx_new_strings(NULL, NULL, "FT0PLAIN");
	struct fake_eng *veng = versa_first ? f->eng : fake_eng_new();
	struct ftdi_emu_stats plain, versa;
	struct toe *t2 = toe_new();
	unsigned kv, kp;
	int r0, r1;

	if (versa_first) {
		kv = 0;
		kp = (unsigned)fx_add(f, NULL, NULL, "FT0PLAIN", NULL);
	} else {
		kp = 0;
		/* the fixture's engine sits behind the plain chip: silence
		 * it, a chip with nothing behind its UART */
		fake_eng_set_silent(f->eng, true);
		kv = (unsigned)fx_add(f, VERSA_MFR, VERSA_PRODUCT, "FT4VERSA1",
				      veng);
	}
	fx_open(f, "ftdi://ecp5-versa?timeout=20&retries=1");
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 77), 0);
	toe_close(f->t);
	assert_int_equal(fake_eng_writes_to(veng, TOE_REG_SCRATCH), 1);
	ftdi_emu_get_dev_stats(f->emu, kp, &plain);
	ftdi_emu_get_dev_stats(f->emu, kv, &versa);
	if (plain.out_bytes != 0 || versa.out_bytes == 0)
		fail_msg("versa_first %d: %llu bytes to the plain chip, %llu to "
			 "the Versa", versa_first,
			 (unsigned long long)plain.out_bytes,
			 (unsigned long long)versa.out_bytes);
	/* by IDs only: one of the two index values is the silent chip */
	r0 = toe_open(t2, "ftdi://0403:6010/B?index=0&timeout=10&retries=0");
	toe_close(t2);
	r1 = toe_open(t2, "ftdi://0403:6010/B?index=1&timeout=10&retries=0");
	toe_close(t2);
	if (!((r0 == 0) ^ (r1 == 0)))
		fail_msg("by VID:PID, index 0 gave %d and index 1 gave %d: want "
			 "one open (the Versa) and one failure (the silent "
			 "chip)", r0, r1);
	toe_free(t2);
	fx_free(f);
	if (!versa_first)
		fake_eng_free(veng);
}

static void test_ftdi_other_ft2232h_beside_versa_not_picked(void **state)
{
	(void)state;
	beside(false);
	beside(true);
}

/* Two Versas: the serial in the URI picks one, and only that one's
 * registers change. */
static void test_ftdi_two_versas_told_apart_by_serial(void **state)
{
	struct fx *f = fx_new_strings(VERSA_MFR, VERSA_PRODUCT, "FT4VERSA1");
	struct fake_eng *e2 = fake_eng_new();
	struct toe *t2 = toe_new();

	(void)state;
	fx_add(f, VERSA_MFR, VERSA_PRODUCT, "FT4VERSA2", e2);
	fx_open(f, "ftdi://ecp5-versa:FT4VERSA2");
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 2), 0);
	toe_close(f->t);
	fx_open(f, "ftdi://ecp5-versa:FT4VERSA1");
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 1), 0);
	assert_int_equal(toe_reg_write(f->t, TOE_REG_SCRATCH, 11), 0);
	toe_close(f->t);
	assert_int_equal(fake_eng_writes_to(e2, TOE_REG_SCRATCH), 1);
	assert_int_equal(fake_eng_reg(e2, TOE_REG_SCRATCH), 2);
	assert_int_equal(fake_eng_writes_to(f->eng, TOE_REG_SCRATCH), 2);
	assert_int_equal(fake_eng_reg(f->eng, TOE_REG_SCRATCH), 11);
	/* a third serial: no such device, and the message names it */
	assert_int_equal(toe_open(t2, "ftdi://ecp5-versa:FT4VERSA3"),
			 TOE_ENODEV);
	assert_non_null(strstr(toe_errmsg(t2), "\"FT4VERSA3\""));
	toe_free(t2);
	fx_free(f);
	fake_eng_free(e2);
}

/* No board of that kind on the bus (a plain FT2232H only): TOE_ENODEV,
 * and the message says what was looked for: the IDs, the product string,
 * the serial when one was given, the match index. */
static void test_ftdi_missing_board_message_names_what(void **state)
{
	struct fx *f = fx_new_strings(NULL, NULL, "FT0PLAIN");
	const char *m;

	(void)state;
	assert_int_equal(toe_open(f->t, "ftdi://ecp5-versa"), TOE_ENODEV);
	m = toe_errmsg(f->t);
	print_message("%s\n", m);
	assert_non_null(strstr(m, "no such device"));
	assert_non_null(strstr(m, "0403:6010"));
	assert_non_null(strstr(m, "\"" VERSA_PRODUCT "\""));
	assert_null(strstr(m, "serial \""));
	assert_non_null(strstr(m, "match 0"));
	assert_int_equal(toe_open(f->t, "ftdi://arty-a7:210319XYZ"),
			 TOE_ENODEV);
	m = toe_errmsg(f->t);
	print_message("%s\n", m);
	assert_non_null(strstr(m, "\"" ARTY_PRODUCT "\""));
	assert_non_null(strstr(m, "serial \"210319XYZ\""));
	assert_non_null(strstr(m, "udev rule"));
	assert_int_equal(toe_open(f->t, "ftdi://ecp5-versa:"), TOE_EURI);
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
		cmocka_unit_test(test_ftdi_boards_found_by_their_usb_strings),
		cmocka_unit_test(test_ftdi_other_ft2232h_beside_versa_not_picked),
		cmocka_unit_test(test_ftdi_two_versas_told_apart_by_serial),
		cmocka_unit_test(test_ftdi_missing_board_message_names_what),
	};
	char err[256];

	(void)argc;
	if (ftdi_emu_reexec(argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "test_host_ftdi: cannot emulate USB: %s\n", err);
		return 1;
	}
	return cmocka_run_group_tests_name("host_ftdi", tests, NULL, NULL);
}
