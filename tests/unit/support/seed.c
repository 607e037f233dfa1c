/* SPDX-License-Identifier: MIT */
/* seed.c - load tests/vectors/seed_frames.hex into byte arrays (seed.h). */
#include <stdio.h>
#include <string.h>

#include "seed.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One line "N hexbytes" -> frame N. Returns 0 or -1. */
static int parse_line(const char *line, int want, uint8_t *out, size_t *len)
{
	const char *s;
	int n = 0;
	size_t k = 0;

	for (s = line; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	if (s == line || n != want || *s != ' ')
		return -1;
	s++;
	while (*s && *s != '\n' && *s != '\r') {
		int hi = hexval((unsigned char)s[0]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);

		if (lo < 0 || k == SEED_MAX)
			return -1;
		out[k++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*len = k;
	return k > 0 ? 0 : -1;
}

int seed_load(uint8_t frames[SEED_N][SEED_MAX], size_t lens[SEED_N])
{
	char line[2 * SEED_MAX + 32];
	FILE *fp;
	int i, rc = 0;

	fp = fopen(SEED_HEX_PATH, "r");
	if (!fp) {
		perror(SEED_HEX_PATH);
		return -1;
	}
	for (i = 0; i < SEED_N; i++) {
		if (!fgets(line, sizeof(line), fp) ||
		    parse_line(line, i + 1, frames[i], &lens[i]) < 0) {
			fprintf(stderr, "%s: line %d: expected \"%d hexbytes\"\n",
				SEED_HEX_PATH, i + 1, i + 1);
			rc = -1;
			break;
		}
	}
	fclose(fp);
	return rc;
}

const uint8_t *seed_frame(int n, size_t *len)
{
	static uint8_t frames[SEED_N][SEED_MAX];
	static size_t lens[SEED_N];
	static int loaded;

	if (n < 1 || n > SEED_N) {
		fprintf(stderr, "seed_frame: no frame %d\n", n);
		return NULL;
	}
	if (!loaded) {
		if (seed_load(frames, lens) < 0)
			return NULL;
		loaded = 1;
	}
	*len = lens[n - 1];
	return frames[n - 1];
}
