/* SPDX-License-Identifier: MIT */
/*
 * test_host_uri.c - opening engines that are not there: malformed URIs,
 * unknown schemes and options, tcp:// to a closed port, ftdi:// with no
 * device, and sim: in a program that does not link the engine model (this
 * runner links libtoe alone). Each failure must come back as its own
 * error code with a message that says what was wrong, and leave the
 * handle usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "toe/toe.h"
#include "toe_transport.h"

/* Open uri, expect code, and a message containing want (NULL: any). */
static void expect_open(const char *uri, int code, const char *want)
{
	struct toe *t = toe_new();
	int r;

	assert_non_null(t);
	r = toe_open(t, uri);
	if (r != code || (want && !strstr(toe_errmsg(t), want)))
		fail_msg("open '%s': got %d (%s) '%s', want %d (%s) with '%s'",
			 uri, r, toe_strerror(r), toe_errmsg(t), code,
			 toe_strerror(code), want ? want : "");
	assert_null(toe_get_transport(t));
	/* the handle is still usable: another failure is reported fresh */
	assert_int_equal(toe_open(t, "nope:"), TOE_ESCHEME);
	toe_free(t);
}

static void test_uri_not_a_uri_eurl(void **state)
{
	(void)state;
	expect_open("localhost", TOE_EURI, "not a URI");
	expect_open("", TOE_EURI, "not a URI");
	expect_open(":x", TOE_EURI, "not a URI");
}

static void test_uri_unknown_scheme_escheme(void **state)
{
	(void)state;
	expect_open("usb://0403:6010", TOE_ESCHEME, "'usb': unknown scheme");
	expect_open("http://127.0.0.1:80", TOE_ESCHEME, "known: sim, tcp, ftdi");
}

static void test_uri_bad_tcp_forms_eurl(void **state)
{
	(void)state;
	expect_open("tcp:127.0.0.1:7000", TOE_EURI, "want tcp://");
	expect_open("tcp://127.0.0.1", TOE_EURI, "HOST:PORT");
	expect_open("tcp://127.0.0.1:0", TOE_EURI, "1..65535");
	expect_open("tcp://127.0.0.1:70000", TOE_EURI, "1..65535");
	expect_open("tcp://127.0.0.1:12ab", TOE_EURI, "1..65535");
	/* atoi wrapped these around to 1 and 80 (tests/fuzz/fuzz_uri.c) */
	expect_open("tcp://127.0.0.1:4294967297", TOE_EURI, "1..65535");
	expect_open("tcp://127.0.0.1:000004294967376", TOE_EURI, "1..65535");
	expect_open("tcp://:7000", TOE_EURI, "HOST:PORT");
}

static void test_uri_bad_options_eurl(void **state)
{
	(void)state;
	expect_open("tcp://127.0.0.1:9?timeout=0", TOE_EURI, "timeout=0");
	expect_open("tcp://127.0.0.1:9?timeout=abc", TOE_EURI, "timeout=abc");
	expect_open("tcp://127.0.0.1:9?retries", TOE_EURI, "has no value");
	expect_open("tcp://127.0.0.1:9?colour=red", TOE_EURI,
		    "unknown option 'colour'");
	expect_open("ftdi://0403:6010?baud=7", TOE_EURI, "baud=7");
	expect_open("ftdi://0403:6010?mode=spi", TOE_EURI, "mode=spi");
	expect_open("ftdi://0403:6010/E", TOE_EURI, "A, B, C or D");
	expect_open("ftdi://xyz:6010", TOE_EURI, "hex VID:PID");
	expect_open("ftdi://nosuchboard", TOE_EURI, "arty-a7");
	expect_open("sim:foo", TOE_EURI, "takes no path");
}

/* A port on 127.0.0.1 nobody listens on: bind one, then close it. */
static uint16_t closed_port(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_tcp_closed_port_econnrefused(void **state)
{
	char uri[64];

	(void)state;
	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%u", closed_port());
	expect_open(uri, TOE_ECONNREFUSED, "Connection refused");
}

static void test_tcp_unknown_host_enodev(void **state)
{
	(void)state;
	/* .invalid never resolves (RFC 6761); no query leaves the machine
	 * for it with a sane resolver, and the answer is NXDOMAIN either way */
	expect_open("tcp://no-such-host.invalid:7000", TOE_ENODEV,
		    "no-such-host.invalid");
}

static void test_ftdi_no_device_enodev(void **state)
{
	(void)state;
	/* no USB device 0403:6010 on a test machine (the umockdev test
	 * provides one: tests/host/test_host_ftdi.c) */
	expect_open("ftdi://0403:6010:NOSUCHSERIAL/B", TOE_ENODEV,
		    "no such device");
}

static void test_sim_without_model_enodev(void **state)
{
	(void)state;
	expect_open("sim:", TOE_ENODEV, "not linked");
}

static void test_api_calls_without_open_enotopen(void **state)
{
	struct toe *t = toe_new();
	uint32_t v;
	struct toe_event ev;

	(void)state;
	assert_int_equal(toe_reg_read(t, TOE_REG_ID, &v), TOE_ENOTOPEN);
	assert_int_equal(toe_listen(t, 80), TOE_ENOTOPEN);
	assert_int_equal(toe_event_poll(t, &ev, 0), TOE_ENOTOPEN);
	assert_string_equal(toe_errmsg(t), "no engine open");
	assert_int_equal(toe_reg_read(NULL, TOE_REG_ID, &v), TOE_EINVAL);
	toe_free(t);
	toe_free(NULL);
}

static void test_strerror_every_code_distinct(void **state)
{
	(void)state;
	for (int a = 0; a > -TOE_ERR_COUNT; a--) {
		assert_string_not_equal(toe_strerror(a), "unknown error");
		for (int b = a - 1; b > -TOE_ERR_COUNT; b--)
			assert_string_not_equal(toe_strerror(a), toe_strerror(b));
	}
	assert_string_equal(toe_strerror(-TOE_ERR_COUNT), "unknown error");
}

static void test_config_parse_keys_and_errors(void **state)
{
	struct toe_config c;
	char err[256];

	(void)state;
	toe_config_default(&c);
	/* defaults are the register map's reset values */
	assert_int_equal(c.mtu, 1500);
	assert_int_equal(c.rcv_wnd, 8760);
	assert_int_equal(c.ttl, 64);
	assert_true(c.df);
	assert_int_equal(c.clock_hz, 156250000);
	assert_int_equal(c.rto_init_ms, 1000);
	assert_int_equal(c.rto_max_ms, 60000);
	assert_int_equal(c.syn_giveup_ms, 180000);
	assert_int_equal(c.msl_ms, 30000);
	assert_int_equal(toe_config_parse(&c, "mac=02:00:5e:10:20:ff", err,
					  sizeof(err)), 0);
	assert_memory_equal(c.mac, ((uint8_t[]){ 2, 0, 0x5e, 0x10, 0x20, 0xff }), 6);
	assert_int_equal(toe_config_parse(&c, "ip=10.0.0.1", err, sizeof(err)), 0);
	assert_int_equal(c.ip, 0x0A000001);
	assert_int_equal(toe_config_parse(&c, "mss=1460", err, sizeof(err)), 0);
	assert_int_equal(c.mtu, 1500);
	assert_int_equal(toe_config_parse(&c, "msl=2s", err, sizeof(err)), 0);
	assert_int_equal(c.msl_ms, 2000);
	assert_int_equal(toe_config_parse(&c, "rto_init=250ms", err, sizeof(err)), 0);
	assert_int_equal(c.rto_init_ms, 250);
	assert_int_equal(toe_config_parse(&c, "df=0", err, sizeof(err)), 0);
	assert_false(c.df);
	assert_int_equal(toe_config_parse(&c, "ttl=256", err, sizeof(err)),
			 TOE_EINVAL);
	assert_non_null(strstr(err, "ttl=256"));
	assert_int_equal(toe_config_parse(&c, "ip=10.0.0.256", err, sizeof(err)),
			 TOE_EINVAL);
	assert_int_equal(toe_config_parse(&c, "bogus=1", err, sizeof(err)),
			 TOE_EINVAL);
	assert_non_null(strstr(err, "unknown key 'bogus'"));
	assert_int_equal(toe_config_parse(&c, "mtu", err, sizeof(err)), TOE_EINVAL);
	assert_int_equal(toe_config_parse(&c, "msl=3h", err, sizeof(err)),
			 TOE_EINVAL);
	/* a MAC or address is the value written, nothing looser: blanks,
	 * signs and numbers that wrap around are refused
	 * (tests/fuzz/fuzz_config.c) */
	{
		static const char *const bad[] = {
			"ip=4294967297.0.0.1", "ip=10.0.\t0.1", "ip= 10.0.0.1",
			"ip=+10.0.0.1", "ip=10.0.0.1 ", "ip=1000.0.0.1",
			"mac=-1:00:00:00:00:01", "mac=02: 0:00:00:00:01",
			"mac=+2:00:00:00:00:01", "mac=0x:00:00:00:00:01",
			"mac=002:00:00:00:00:01",
		};
		struct toe_config before = c;

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(toe_config_parse(&c, bad[i], err,
							  sizeof(err)), TOE_EINVAL);
			assert_non_null(strstr(err, "bad value"));
		}
		assert_memory_equal(&c, &before, sizeof(c));
		assert_int_equal(toe_config_parse(&c, "mac=2:0:a:B:c:D", err,
						  sizeof(err)), 0);
		assert_memory_equal(c.mac, ((uint8_t[]){ 2, 0, 10, 11, 12, 13 }), 6);
		/* one IPv4 parser everywhere (toe_ip_parse): a leading zero,
		 * octal to inet_aton, is refused */
		assert_int_equal(toe_config_parse(&c, "ip=010.0.0.1", err,
						  sizeof(err)), TOE_EINVAL);
		assert_int_equal(toe_config_parse(&c, "ip=10.0.0.1", err,
						  sizeof(err)), 0);
		assert_int_equal(c.ip, 0x0A000001);
	}
	/* a duration toe_config_print prints in ms parses back, however
	 * long (it was given in s) */
	assert_int_equal(toe_config_parse(&c, "msl=18446744073709551s", err,
					  sizeof(err)), 0);
	assert_int_equal(toe_config_parse(&c, "msl=18446744073709551000ms", err,
					  sizeof(err)), 0);
	assert_true(c.msl_ms == 18446744073709551000u);
	assert_int_equal(toe_config_parse(&c, "msl=18446744073709552s", err,
					  sizeof(err)), TOE_EINVAL);
	assert_int_equal(toe_config_parse(&c, "msl=18446744073709551616ms", err,
					  sizeof(err)), TOE_EINVAL);
}

static void test_isn_verify_rfc6528_known_vector(void **state)
{
	/* SipHash-2-4 test vectors (Aumasson & Bernstein; the reference
	 * implementation's vectors.h): key 00..0f, message 00 01 .. 0b (12
	 * bytes) -> output bytes fb e5 0e 86 bc 8f 1e 75. The tuple
	 * 0.1.2.3:0x0405 -> 6.7.8.9:0x0a0b is exactly that message, so
	 * F = 0x860ee5fb (the low 32 bits, little-endian). */
	static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					 11, 12, 13, 14, 15 };
	struct toe_isn_check c;

	(void)state;
	assert_true(toe_isn_verify(key, 0x00010203, 0x0405, 0x06070809, 0x0a0b,
				   0x860ee5fbu + 1000u, 990, 1010, &c));
	assert_int_equal(c.f, 0x860ee5fbu);
	assert_int_equal(c.m, 1000);
	/* M outside the window */
	assert_false(toe_isn_verify(key, 0x00010203, 0x0405, 0x06070809,
				    0x0a0b, 0x860ee5fbu + 1011u, 990, 1010, &c));
	/* window across 2^32 */
	assert_true(toe_isn_verify(key, 0x00010203, 0x0405, 0x06070809, 0x0a0b,
				   0x860ee5fbu + 3u, 0xfffffff0u, 10, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_not_a_uri_eurl),
		cmocka_unit_test(test_uri_unknown_scheme_escheme),
		cmocka_unit_test(test_uri_bad_tcp_forms_eurl),
		cmocka_unit_test(test_uri_bad_options_eurl),
		cmocka_unit_test(test_tcp_closed_port_econnrefused),
		cmocka_unit_test(test_tcp_unknown_host_enodev),
		cmocka_unit_test(test_ftdi_no_device_enodev),
		cmocka_unit_test(test_sim_without_model_enodev),
		cmocka_unit_test(test_api_calls_without_open_enotopen),
		cmocka_unit_test(test_strerror_every_code_distinct),
		cmocka_unit_test(test_config_parse_keys_and_errors),
		cmocka_unit_test(test_isn_verify_rfc6528_known_vector),
	};

	return cmocka_run_group_tests_name("host_uri", tests, NULL, NULL);
}
