/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - the KEY=VALUE configuration parser `toectl config` uses
 * (toe_config_parse, host/lib/toe_config.c). The input is lines of
 * KEY=VALUE (cut at a NUL byte), applied in order to the default
 * configuration.
 *
 * Oracles:
 *  - a refused line leaves the configuration as it was and has a message
 *    naming the key or the line;
 *  - an accepted mac= value is six groups of one or two hex digits, an
 *    accepted ip= value four decimal numbers of one to three digits, each
 *    0..255, and the value stored is the one written (no sign, blank or
 *    wrap-around: "4294967297.0.0.1" is not 1.0.0.1);
 *  - no accepted value is below the minimum toe.h gives (ttl >= 1,
 *    syn_giveup >= 180000 ms, fin_giveup >= 100000 ms, synack_giveup and
 *    msl > 0);
 *  - what toe_config_print prints parses back, line by line, to the same
 *    configuration (for an MTU of 68 or more: toe_config_set refuses less,
 *    so no engine ever reports it).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "toe/toe.h"

static bool hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* mac: N[N]:N[N]:... six groups, values written to m */
static bool strict_mac(const char *v, uint8_t m[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned x = 0;
		int n = 0;

		while (hexdig(*v) && n < 3) {
			x = x * 16 + (unsigned)(*v <= '9' ? *v - '0' : (*v | 0x20) - 'a' + 10);
			v++;
			n++;
		}
		if (n < 1 || n > 2)
			return false;
		m[i] = (uint8_t)x;
		if (i < 5 && *v++ != ':')
			return false;
	}
	return *v == 0;
}

static bool strict_ip(const char *v, uint32_t *ip)
{
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		unsigned x = 0;
		int n = 0;

		while (*v >= '0' && *v <= '9' && n < 4) {
			x = x * 10 + (unsigned)(*v - '0');
			v++;
			n++;
		}
		if (n < 1 || n > 3 || x > 255)
			return false;
		a = a << 8 | x;
		if (i < 3 && *v++ != '.')
			return false;
	}
	*ip = a;
	return *v == 0;
}

static void check_line(struct toe_config *c, const char *line)
{
	struct toe_config before;
	char err[320];
	int r;

	memcpy(&before, c, sizeof(before));
	err[0] = 0;
	r = toe_config_parse(c, line, err, sizeof(err));
	if (r < 0) {
		FUZZ_CHECK(r == TOE_EINVAL);
		FUZZ_CHECK(memcmp(&before, c, sizeof(before)) == 0);
		FUZZ_CHECK(err[0] != 0);
		return;
	}
	FUZZ_CHECK(r == 0);
	if (!strncmp(line, "mac=", 4)) {
		uint8_t m[6];

		FUZZ_CHECK(strict_mac(line + 4, m));
		FUZZ_CHECK(memcmp(m, c->mac, 6) == 0);
	} else if (!strncmp(line, "ip=", 3)) {
		uint32_t ip;

		FUZZ_CHECK(strict_ip(line + 3, &ip));
		FUZZ_CHECK(ip == c->ip);
	}
	FUZZ_CHECK(c->ttl >= 1);
	FUZZ_CHECK(c->syn_giveup_ms >= 180000 && c->fin_giveup_ms >= 100000);
	FUZZ_CHECK(c->synack_giveup_ms > 0 && c->msl_ms > 0);
}

static void check_print_parse(const struct toe_config *c)
{
	struct toe_config back;
	char *text = NULL, *line, *save = NULL, err[320];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f);
	toe_config_print(c, f);
	FUZZ_CHECK(fclose(f) == 0);
	toe_config_default(&back);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (toe_config_parse(&back, line, err, sizeof(err)) != 0) {
			fprintf(stderr, "printed line '%s' does not parse: %s\n",
				line, err);
			FUZZ_CHECK(!"a printed line parses");
		}
	}
	free(text);
	FUZZ_CHECK(memcmp(&back, c, sizeof(back)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toe_config c;
	char *text = fuzz_str(data, size), *line, *save = NULL;

	/* (struct toe_config has padding: compare whole copies made by
	 * memcpy, and start from zeroed memory) */
	memset(&c, 0, sizeof(c));
	toe_config_default(&c);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		check_line(&c, line);
	if (c.mtu >= 68)
		check_print_parse(&c);
	free(text);
	return 0;
}
