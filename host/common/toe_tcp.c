/* SPDX-License-Identifier: MIT */
/* toe_tcp.c - names for the shared TCP constants. */
#include "toe/toe_tcp.h"

const char *toe_tcp_state_name(int state)
{
	static const char *const names[TOE_ST_COUNT] = {
		"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
		"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
		"TIME-WAIT",
	};
	if (state < 0 || state >= TOE_ST_COUNT)
		return "?";
	return names[state];
}
