/* SPDX-License-Identifier: MIT */
/*
 * toe_tcp.h - TCP constants shared by every C part of the project:
 * the connection state numbering (RFC 9293 order, the same numbers the RTL
 * uses), header flag bits, and serial-number comparisons (RFC 1982 style,
 * written once here).
 */
#ifndef TOE_TCP_H
#define TOE_TCP_H

#include <stdint.h>

/* Connection states (enum toe_tcp_state, TOE_ST_CLOSED = 0 ... TOE_ST_TIME_WAIT
 * = 10, TOE_ST_COUNT = 11), in the order RFC 9293 section 3.3.2 lists them,
 * with the engine's CSR encoding, and the TCP header flag bits (byte 13 of
 * the header: enum toe_tcp_flag, TOE_TCP_FIN = 0x01 ... TOE_TCP_CWR = 0x80;
 * TOE_TCP_FIN_BIT = 0 ...): generated from rtl/regmap/toe.toml, like the
 * RTL's localparams of the same names (rtl/toe_regs.vh). */
#include "toe/toe_regs.h"

/* "SYN-RECEIVED" style names, as RFC 9293 writes them. */
const char *toe_tcp_state_name(int state);

/* Sequence-space comparisons modulo 2^32. */
#define TOE_SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define TOE_SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define TOE_SEQ_GT(a, b) TOE_SEQ_LT(b, a)
#define TOE_SEQ_GEQ(a, b) TOE_SEQ_LEQ(b, a)
/* lo <= x <= hi, in sequence space */
#define TOE_SEQ_BETWEEN(lo, x, hi) \
	((uint32_t)((uint32_t)(x) - (uint32_t)(lo)) <= (uint32_t)((uint32_t)(hi) - (uint32_t)(lo)))

#endif
