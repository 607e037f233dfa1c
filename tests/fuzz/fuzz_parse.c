/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse.c - the strict value parsers every tool shares:
 * toe_parse_u64 / toe_parse_double / toe_parse_bool, the dotted-quad
 * parser toe_ip_parse and the MAC parser toe_parse_mac (host/common/
 * toe_parse.c, toe/toe_parse.h). Input: one byte choosing the range, then the string
 * (cut at a NUL byte). Each parser gets the same string.
 *
 * Oracles, against small models of what the headers promise:
 *  - toe_parse_u64 accepts exactly the strings that are a whole unsigned
 *    number in C's base-0 syntax (decimal, 0x hex, 0 octal; a digit first,
 *    so no blanks or sign), with no overflow and within the range, and
 *    gives its value; on refusal *out is left alone;
 *  - toe_parse_double's accepted value is finite and in range, from a
 *    string starting with a digit; on refusal *out is left alone;
 *  - toe_parse_bool accepts exactly 1 on yes 0 off no;
 *  - toe_ip_parse accepts exactly the canonical dotted quads (what
 *    toe_ip_str prints), so an accepted string prints back as itself;
 *  - toe_parse_mac accepts exactly six groups of 1-2 hex digits joined by
 *    colons (a small model of that grammar), with their values; on
 *    refusal the output is left alone.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "toe/toe_parse.h"
#include "toe_wire.h"

/* The model: base-0 unsigned syntax, whole string. -1: not a number or
 * overflow. */
static int model_u64(const char *s, uint64_t *v)
{
	unsigned base = 10;
	uint64_t x = 0;
	int digits = 0;

	if (!(*s >= '0' && *s <= '9'))
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
		digits++;
	}
	if (digits == 0)
		return -1;
	*v = x;
	return 0;
}

static void check_u64(const char *s, uint64_t min, uint64_t max)
{
	uint64_t out = 0xDEADBEEFu, want;
	int r = toe_parse_u64(s, min, max, &out);
	int m = model_u64(s, &want) == 0 && want >= min && want <= max ? 0 : -1;

	FUZZ_CHECK(r == m);
	FUZZ_CHECK(r == 0 ? out == want : out == 0xDEADBEEFu);
}

static void check_double(const char *s, double min, double max)
{
	double out = -7.0;
	int r = toe_parse_double(s, min, max, &out);

	FUZZ_CHECK(r == 0 || r == -1);
	if (r == 0)
		FUZZ_CHECK(s[0] >= '0' && s[0] <= '9' && isfinite(out) &&
			   out >= min && out <= max);
	else
		FUZZ_CHECK(out == -7.0);
}

static void check_bool(const char *s)
{
	static const char *const yes[] = { "1", "on", "yes" }, *const no[] = { "0", "off", "no" };
	bool out = false;
	int want = -1, r;

	for (int i = 0; i < 3; i++) {
		if (!strcmp(s, yes[i]))
			want = 1;
		if (!strcmp(s, no[i]))
			want = 0;
	}
	r = toe_parse_bool(s, &out);
	FUZZ_CHECK(r == (want < 0 ? -1 : 0));
	FUZZ_CHECK(want < 0 || out == (want == 1));
}

static void check_ip(const char *s)
{
	uint32_t ip = 0x01020304u;
	char buf[16];
	int r = toe_ip_parse(s, &ip);

	if (r == 0) {
		FUZZ_CHECK(strcmp(toe_ip_str(ip, buf), s) == 0);
	} else {
		/* refused: not canonical, or not an address at all */
		FUZZ_CHECK(r == -1 && ip == 0x01020304u);
		for (const char *p = s; *p; p++)
			if (!(*p >= '0' && *p <= '9') && *p != '.')
				return;
		if (strlen(s) >= 16)
			return;
		{
			unsigned a, b, c, d;
			char tail;

			/* digits and dots in four parts of 0..255: canonical
			 * unless some part has a leading zero */
			if (sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4 &&
			    a < 256 && b < 256 && c < 256 && d < 256) {
				snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a, b, c, d);
				FUZZ_CHECK(strcmp(buf, s) != 0);
			}
		}
	}
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void check_mac(const char *s)
{
	static const uint8_t fill[6] = { 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5 };
	uint8_t mac[6], want[6];
	const char *p = s;
	int ok = 1;

	/* the model: group (1-2 hex digits), then ':' or the end */
	for (int i = 0; i < 6 && ok; i++) {
		int d0 = hexval(p[0]), d1 = d0 < 0 ? -1 : hexval(p[1]);

		if (d0 < 0) {
			ok = 0;
			break;
		}
		want[i] = (uint8_t)(d1 < 0 ? d0 : d0 * 16 + d1);
		p += d1 < 0 ? 1 : 2;
		if (*p != (i < 5 ? ':' : '\0'))
			ok = 0;
		else if (i < 5)
			p++;
	}
	memcpy(mac, fill, 6);
	if (toe_parse_mac(s, mac) == 0) {
		FUZZ_CHECK(ok && memcmp(mac, want, 6) == 0);
	} else {
		FUZZ_CHECK(!ok && memcmp(mac, fill, 6) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t lims[8][2] = {
		{ 0, UINT64_MAX }, { 0, 65535 }, { 1, 65535 }, { 0, 255 },
		{ 0, UINT32_MAX }, { 1, 600000 }, { 28, 65495 }, { 5, 5 },
	};
	uint8_t sel;
	char *s;

	if (size == 0)
		return 0;
	sel = data[0];
	s = fuzz_str(data + 1, size - 1);
	check_u64(s, lims[sel & 7][0], lims[sel & 7][1]);
	check_double(s, (double)(sel >> 4 & 3), sel & 0x40 ? 1e9 : 86400.0);
	check_bool(s);
	check_ip(s);
	check_mac(s);
	free(s);
	return 0;
}
