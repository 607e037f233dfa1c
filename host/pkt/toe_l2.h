/* SPDX-License-Identifier: MIT */
/*
 * toe_l2.h - the ARP and ICMP echo responders' golden model: one received
 * Ethernet frame (no FCS) in, the reply frame the engine sends out (or the
 * reason it sends none). The RTL responders (rtl/toe_arp_resp.v,
 * rtl/toe_icmp_echo.v) make the same decisions, check in the same order
 * and count the same reasons, so the two compare byte for byte.
 *
 * Return value of both functions:
 *   > 0  the reply frame was written to out; the value is its length
 *        (at least 60: short replies are zero-padded to the Ethernet minimum)
 *   0    the frame needs no reply and is not counted: not an ARP / IPv4 ICMP
 *        frame, not addressed to us, not a request (ARP reply, gratuitous
 *        ARP, ICMP other than echo request)
 *   < 0  an enum toe_l2_result reason: the frame was meant for the
 *        responder but is malformed or unsupported; it is dropped and the
 *        engine counts it (counter index -result - 1 in the RTL's
 *        stat_drop vector; the RTL codes are the positive values)
 *   TOE_L2_ENOSPC (not a frame reason): cap is smaller than the reply.
 *
 * ARP (RFC 826, Ethernet/IPv4 only), checked in this order:
 *   Ethernet type != 0x0806, or Ethernet destination neither broadcast nor
 *   our MAC, or frame < 14 bytes                                 -> 0
 *   frame < 42 bytes (14 + 28)                 -> TOE_L2_ARP_TRUNC
 *   htype != 1, ptype != 0x0800, hlen != 6 or plen != 4
 *                                              -> TOE_L2_ARP_FORMAT
 *   oper != 1 (request)                                          -> 0
 *   target IP != ours                                            -> 0
 *   sender IP == target IP (gratuitous ARP announcing our address:
 *   an address conflict, not a question)                         -> 0
 *   otherwise: reply (oper 2, sender = us, target = the requester's
 *   sender fields, Ethernet destination = the requester's sender MAC,
 *   60 bytes). An ARP probe (RFC 5227: sender IP 0.0.0.0) is answered
 *   like any request, as RFC 826 says, to the prober's MAC.
 *
 * ICMP echo (RFC 792, RFC 1122 3.2.2.6), checked in this order:
 *   frame < 34 bytes, Ethernet destination != our MAC (broadcast and
 *   multicast frames are not answered), Ethernet type != 0x0800, IP
 *   protocol != 1, or IP destination != our IP (so no reply to broadcast
 *   or multicast pings, which RFC 1122 allows: "An ICMP Echo Request
 *   destined to an IP broadcast or IP multicast address MAY be silently
 *   discarded.")                                                 -> 0
 *   frame > 1514 bytes (does not fit the RTL's frame buffer)
 *                                              -> TOE_L2_TOO_BIG
 *   version != 4, IHL < 5, total length < IHL * 4, or 14 + total length
 *   past the end of the frame                  -> TOE_L2_IP_HDR
 *   IP header checksum wrong                   -> TOE_L2_IP_CSUM
 *   a fragment (MF set or offset != 0)         -> TOE_L2_IP_FRAG
 *   source not a single host: 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4,
 *   240.0.0.0/4 (255.255.255.255 included)     -> TOE_L2_IP_SRC
 *   ICMP message < 8 bytes                     -> TOE_L2_ICMP_TRUNC
 *   type != 8 (echo request) or code != 0                        -> 0
 *   ICMP checksum wrong                        -> TOE_L2_ICMP_CSUM
 *   otherwise: echo reply.
 *
 * The echo reply (bytes after the IP total length, the request's Ethernet
 * padding, are not part of the request):
 *   Ethernet   dst = request's source MAC, src = our MAC, type 0x0800
 *   IPv4       version 4, IHL 5: the request's IP options are not copied
 *              (RFC 1122 asks for Record Route / Timestamp to be updated
 *              and a Source Route to be reversed; this engine does not
 *              process options, and echoes the data only);
 *              TOS = the request's TOS, all 8 bits (RFC 1349 5.1; Linux
 *              does the same); total length = 20 + ICMP length;
 *              ID = the ip_id argument; flags 0 (DF cleared, as Linux's
 *              replies have it; MF 0, offset 0); TTL = the ttl argument;
 *              protocol 1; header checksum; src = our IP; dst = the
 *              request's source IP
 *   ICMP       type 0, code 0, checksum recomputed over the reply (RFC
 *              1071), identifier, sequence number and data unchanged
 *   padding    zero bytes up to 60 when shorter
 */
#ifndef TOE_L2_H
#define TOE_L2_H

#include <stddef.h>
#include <stdint.h>

/* Reasons a frame meant for a responder is dropped (and counted). The RTL
 * uses the positive codes (TOE_L2_IP_CSUM = -5 is RTL code 5, counter
 * stat_drop[4]). Append, do not renumber. */
enum toe_l2_result {
	TOE_L2_NO_REPLY = 0,
	TOE_L2_ARP_TRUNC = -1,  /* ARP frame shorter than 42 bytes */
	TOE_L2_ARP_FORMAT = -2, /* not Ethernet/IPv4 ARP (htype/ptype/hlen/plen) */
	TOE_L2_TOO_BIG = -3,    /* ICMP frame longer than 1514 bytes */
	TOE_L2_IP_HDR = -4,     /* IPv4 version/IHL/total length inconsistent */
	TOE_L2_IP_CSUM = -5,    /* IPv4 header checksum wrong */
	TOE_L2_IP_FRAG = -6,    /* a fragment */
	TOE_L2_IP_SRC = -7,     /* source address not a single host */
	TOE_L2_ICMP_TRUNC = -8, /* ICMP message shorter than 8 bytes */
	TOE_L2_ICMP_CSUM = -9,  /* ICMP checksum wrong */
	TOE_L2_N_REASONS = 9,   /* number of drop reasons (RTL counters) */
	TOE_L2_ENOSPC = -64,    /* not a frame reason: cap too small */
};

#define TOE_L2_ARP_LEN 42        /* Ethernet + ARP for IPv4, unpadded */
#define TOE_L2_ICMP_MIN_LEN 34   /* Ethernet + IPv4 header, no options */
#define TOE_L2_MAX_FRAME 1514    /* largest frame answered (1500-byte IP) */

/* A short stable name for a result ("ip_csum", "no_reply"), "?" if unknown. */
const char *toe_l2_result_name(int result);

/*
 * ARP responder: if frame[0..len) is an ARP request for our_ip (see the
 * top of this file), write the reply (60 bytes) to out[0..cap) and return
 * 60. our_mac is in wire order; our_ip in host order (10.0.0.1 =
 * 0x0A000001). Reads only frame[0..len).
 */
int toe_ref_arp_reply(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
		      uint32_t our_ip, uint8_t *out, size_t cap);

/*
 * ICMP echo responder: if frame[0..len) is an echo request to our_ip (see
 * the top of this file), write the echo reply to out[0..cap) and return its
 * length (max(60, 34 + ICMP length)). The reply carries IP TTL ttl and IP
 * identification ip_id. Reads only frame[0..len).
 */
int toe_ref_icmp_reply(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
		       uint32_t our_ip, uint8_t *out, size_t cap, uint8_t ttl,
		       uint16_t ip_id);

#endif
