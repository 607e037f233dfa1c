/* SPDX-License-Identifier: MIT */
/* frame_edit.c - see frame_edit.h. */
#include <string.h>

#include "frame_edit.h"
#include "toe_wire.h"

size_t fe_add_ip_options(uint8_t *f, size_t n)
{
	size_t tl;
	uint16_t cs;

	if (n < 34 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45)
		return 0;
	tl = (size_t)(f[16] << 8 | f[17]) + 4;
	memmove(f + 38, f + 34, n - 34);
	f[34] = 1;
	f[35] = 1;
	f[36] = 1;
	f[37] = 0;
	f[14] = 0x46;
	f[16] = (uint8_t)(tl >> 8);
	f[17] = (uint8_t)tl;
	f[24] = f[25] = 0;
	cs = toe_ipv4_csum(f + 14, 24);
	f[24] = (uint8_t)(cs >> 8);
	f[25] = (uint8_t)cs;
	return n + 4;
}
