/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_show.h - print frames as they cross the interop wire, in the
 * seed article's style (toe_decode.h): a TCP frame is Network Monitor's
 * summary line (or its full decode), ARP and ICMP get a line in the same
 * columns, and each line can be followed by the engine cycle stamps.
 */
#ifndef TOE_SIMD_SHOW_H
#define TOE_SIMD_SHOW_H

#include <stdio.h>

#include "toe_simd_wire.h"

#define SIMD_SHOW_FULL   0x1u /* TCP: the full field-by-field decode */
#define SIMD_SHOW_CYCLES 0x2u /* a line with the engine cycle stamps */

/* Print x; t0_usec is subtracted from its time (the run's start). */
void simd_show_frame(FILE *out, const struct simd_xframe *x,
		     uint64_t t0_usec, unsigned flags);
/* Seed-style time: seconds with up to four decimals ("2.0785"). */
void simd_show_time(uint64_t usec, char *buf, size_t cap);

#endif
