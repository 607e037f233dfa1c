/* SPDX-License-Identifier: MIT */
/* toe_parse.c - strict number and switch parsing (toe/toe_parse.h). */
#include "toe/toe_parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool starts_with_digit(const char *s)
{
	return s && *s >= '0' && *s <= '9';
}

int toe_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull skips blanks and accepts a sign ("-1" is ULLONG_MAX):
	 * insist on a digit first */
	if (!starts_with_digit(s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int toe_parse_double(const char *s, double min, double max, double *out)
{
	double v;
	char *end;

	if (!starts_with_digit(s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int toe_parse_bool(const char *s, bool *out)
{
	if (!s)
		return -1;
	if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "no")) {
		*out = false;
		return 0;
	}
	return -1;
}

/*
 * Strict: exactly four decimal parts 0..255 separated by dots, nothing
 * else. A part with a leading zero ("010") is refused, since inet_aton()
 * would read it as octal.
 */
int toe_ip_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned n = 0;
		int digits = 0;

		if (part > 0) {
			if (*s != '.')
				return -1;
			s++;
		}
		while (*s >= '0' && *s <= '9') {
			if (digits == 3)
				return -1;
			if (digits == 1 && n == 0)
				return -1; /* leading zero */
			n = n * 10 + (unsigned)(*s - '0');
			digits++;
			s++;
		}
		if (digits == 0 || n > 255)
			return -1;
		v = (v << 8) | n;
	}
	if (*s != '\0')
		return -1;
	*ip = v;
	return 0;
}

/*
 * Strict: six groups of one or two hex digits separated by colons, nothing
 * else (no blanks, no sign, no group that wraps: sscanf("%2x") took " 1"
 * and "-1"; found by tests/fuzz/fuzz_config.c).
 */
int toe_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		int digits = 0;

		if (i > 0) {
			if (*s != ':')
				return -1;
			s++;
		}
		for (;; s++) {
			char ch = *s;
			unsigned d;

			if (ch >= '0' && ch <= '9')
				d = (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				d = (unsigned)(ch - 'a' + 10);
			else if (ch >= 'A' && ch <= 'F')
				d = (unsigned)(ch - 'A' + 10);
			else
				break;
			if (digits == 2)
				return -1;
			v = v * 16 + d;
			digits++;
		}
		if (digits == 0)
			return -1;
		m[i] = (uint8_t)v;
	}
	if (*s != '\0')
		return -1;
	memcpy(mac, m, 6);
	return 0;
}
