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
