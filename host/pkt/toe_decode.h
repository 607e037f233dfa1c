/* SPDX-License-Identifier: MIT */
/*
 * toe_decode.h - print Ethernet/IPv4/TCP frames the way Microsoft Network
 * Monitor does in KB 172983 (the seed article): a summary line, a short IP
 * decode, the field-by-field TCP decode and a hex dump. Used by
 * `toectl decode`, the seed replay and anything else that shows frames.
 *
 * Example (seed frame 2, the SYN-ACK):
 *
 *   2    2.0786 131.107.2.211 --> 131.107.2.214 TCP .A..S., len:    0, ...
 *   ...
 *      TCP: Source Port = NETBIOS Session Service
 *      TCP: Destination Port = 0x040D
 *      TCP: Sequence Number = 1109645 (0x10EE8D)
 *      ...
 *   00000:  02 60 8C 3B 85 C1 02 60 8C 9E 18 8B 08 00 45 00   .`.;...`......E.
 *
 * Differences from Network Monitor, on purpose:
 *  - "len:" in the summary lines is the TCP payload length. Network Monitor
 *    printed "len: 4" for the seed's SYN and SYN-ACK, counting the 4-byte MSS
 *    option as if it were data; the seed article then explains the MSS with
 *    that number. A SYN carrying only options has no data, so we print 0
 *    (and "seq: A-A"), which is what a reader learning TCP should see.
 *  - Hosts are shown as dotted quads (Network Monitor showed the names it
 *    had learnt, NTW3 and BDC3).
 */
#ifndef TOE_DECODE_H
#define TOE_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Flags for toe_decode_frame(); 0 prints everything. */
#define TOE_DECODE_SUMMARY 0x1u /* the summary line only */
#define TOE_DECODE_NO_IP   0x2u /* leave out the IP decode */
#define TOE_DECODE_NO_HEX  0x4u /* leave out the hex dump */

/*
 * Print one frame. frame_no is the number shown first on the summary line,
 * ts_usec the time shown (microseconds; printed as seconds with up to four
 * decimals, trailing zeros dropped, as Network Monitor does: "2.787").
 *
 * A frame toe_parse_frame() refuses is printed as one line,
 *   "<no>  <time> dropped: <reason>, <len> bytes"
 * with reason = toe_parse_result_name(). Returns the parse result.
 */
int toe_decode_frame(FILE *out, unsigned frame_no, uint64_t ts_usec,
		     const uint8_t *frame, size_t len, unsigned flags);

/* The hex dump alone, 16 bytes a line: "00000:  02 60 ... 00   .`....E." */
void toe_decode_hex(FILE *out, const uint8_t *buf, size_t len);

/* ".A..S." style: U A P R S F, a dot for each bit clear. buf holds 7
 * bytes. Returns buf. */
char *toe_decode_flag_str(uint8_t flags, char buf[7]);

/* Well-known TCP port names: long ("NETBIOS Session Service", for the
 * field decode) and short ("NBT Session", for summary lines). NULL for a
 * port not in the table. */
const char *toe_decode_port_name(uint16_t port);
const char *toe_decode_port_short(uint16_t port);

#endif
