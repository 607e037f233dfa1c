/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_show.c - frames on the interop wire printed in the seed
 * article's style (toe_simd_show.h).
 */
#include "toe_simd_show.h"

#include <inttypes.h>
#include <string.h>

#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_wire.h"

void simd_show_time(uint64_t usec, char *buf, size_t cap)
{
	uint64_t t = (usec + 50) / 100;
	size_t n;

	snprintf(buf, cap, "%" PRIu64 ".%04u", t / 10000,
		 (unsigned)(t % 10000));
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = 0;
}

/* ARP and ICMP in the columns of toe_decode's summary line. */
static bool show_l2(FILE *out, const struct simd_xframe *x, const char *t)
{
	const uint8_t *f = x->buf;
	char a[16], b[16];

	if (x->len >= 42 && toe_get_be16(f + 12) == TOE_ETHERTYPE_ARP) {
		uint16_t op = toe_get_be16(f + 20);

		toe_ip_str(toe_get_be32(f + 28), a);
		toe_ip_str(toe_get_be32(f + 38), b);
		if (op == 1)
			fprintf(out, "%-4u %s %s --> %s ARP: Request, Target IP: %s\n",
				x->no, t, a,
				memcmp(f, "\xff\xff\xff\xff\xff\xff", 6) ?
				b : "BROADCAST", b);
		else
			fprintf(out, "%-4u %s %s --> %s ARP: Reply, %s is at "
				"%02x:%02x:%02x:%02x:%02x:%02x\n", x->no, t, a,
				b, a, f[22], f[23], f[24], f[25], f[26], f[27]);
		return true;
	}
	if (x->len >= 42 && toe_get_be16(f + 12) == TOE_ETHERTYPE_IPV4 &&
	    f[23] == TOE_IPPROTO_ICMP) {
		size_t ihl = (size_t)(f[14] & 0x0F) * 4;
		const uint8_t *ic = f + 14 + ihl;

		if (14 + ihl + 8 > x->len)
			return false;
		toe_ip_str(toe_get_be32(f + 26), a);
		toe_ip_str(toe_get_be32(f + 30), b);
		fprintf(out, "%-4u %s %s --> %s ICMP: Echo%s, id 0x%04X, seq %u\n",
			x->no, t, a, b,
			ic[0] == 8 ? " Request" : ic[0] == 0 ? " Reply" : "?",
			toe_get_be16(ic + 4), toe_get_be16(ic + 6));
		return true;
	}
	return false;
}

void simd_show_frame(FILE *out, const struct simd_xframe *x,
		     uint64_t t0_usec, unsigned flags)
{
	uint64_t us = x->ts_usec >= t0_usec ? x->ts_usec - t0_usec : 0;
	char t[32];

	simd_show_time(us, t, sizeof(t));
	if (!show_l2(out, x, t)) {
		if (flags & SIMD_SHOW_FULL) {
			fputc('\n', out);
			toe_decode_frame(out, x->no, us, x->buf, x->len,
					 TOE_DECODE_NO_HEX);
		} else {
			toe_decode_frame(out, x->no, us, x->buf, x->len,
					 TOE_DECODE_SUMMARY);
		}
	}
	if (flags & SIMD_SHOW_CYCLES) {
		if (x->dir == SIMD_TO_ENGINE)
			fprintf(out, "          Linux -> engine: in at cycles "
				"%" PRIu64 "..%" PRIu64 "\n", x->first, x->last);
		else
			fprintf(out, "          engine -> Linux: out at cycles "
				"%" PRIu64 "..%" PRIu64 "\n", x->first, x->last);
	}
}
