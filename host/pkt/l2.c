/* SPDX-License-Identifier: MIT */
/*
 * l2.c - the ARP and ICMP echo responders' golden model (toe_l2.h): decide
 * whether a received frame gets a reply, build it, or name the reason it is
 * dropped. The checks run in the order toe_l2.h lists, which is the order
 * of priority the RTL uses when a frame has several faults.
 */
#include <string.h>

#include "toe_bytes.h"
#include "toe_l2.h"
#include "toe_wire.h"

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const char *toe_l2_result_name(int result)
{
	/* Indexed by -result. */
	static const char *const names[TOE_L2_N_REASONS + 1] = {
		"no_reply", "arp_trunc", "arp_format", "too_big", "ip_hdr",
		"ip_csum", "ip_frag", "ip_src", "icmp_trunc", "icmp_csum",
	};
	if (result == TOE_L2_ENOSPC)
		return "enospc";
	if (result > 0)
		return "reply";
	if (result < -TOE_L2_N_REASONS)
		return "?";
	return names[-result];
}

/* ------------------------------------------------------------------ */
/* ARP                                                                */
/* ------------------------------------------------------------------ */

/*
 * ARP for IPv4 over Ethernet (RFC 826), after the 14-byte Ethernet header:
 *
 *   offset  len  field
 *   14      2    htype (hardware type, 1 = Ethernet)
 *   16      2    ptype (protocol type, 0x0800 = IPv4)
 *   18      1    hlen  (6)
 *   19      1    plen  (4)
 *   20      2    oper  (1 request, 2 reply)
 *   22      6    sha   sender hardware address
 *   28      4    spa   sender protocol address
 *   32      6    tha   target hardware address
 *   38      4    tpa   target protocol address
 */
int toe_ref_arp_reply(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
		      uint32_t our_ip, uint8_t *out, size_t cap)
{
	const uint8_t *a = frame + TOE_ETH_HLEN;
	uint32_t spa, tpa;

	if (len < TOE_ETH_HLEN || toe_get_be16(frame + 12) != TOE_ETHERTYPE_ARP)
		return TOE_L2_NO_REPLY;
	if (memcmp(frame, bcast_mac, 6) != 0 && memcmp(frame, our_mac, 6) != 0)
		return TOE_L2_NO_REPLY;
	if (len < TOE_L2_ARP_LEN)
		return TOE_L2_ARP_TRUNC;
	/* RFC 826, packet reception: "?Do I have the hardware type in
	 * ar$hrd? Yes: (almost definitely) [optionally check the hardware
	 * length ar$hln] ?Do I speak the protocol in ar$pro? Yes: [optionally
	 * check the protocol length ar$pln]". All four are checked; anything
	 * but Ethernet/IPv4 is counted and dropped. */
	if (toe_get_be16(a) != 1 || toe_get_be16(a + 2) != TOE_ETHERTYPE_IPV4 || a[4] != 6 ||
	    a[5] != 4)
		return TOE_L2_ARP_FORMAT;
	/* "?Am I the target protocol address? Yes: ... ?Is the opcode
	 * ares_op$REQUEST? (NOW look at the opcode!!)" - the order does not
	 * matter here: this responder keeps no translation table. */
	if (toe_get_be16(a + 6) != 1)
		return TOE_L2_NO_REPLY;
	spa = toe_get_be32(a + 14);
	tpa = toe_get_be32(a + 24);
	if (tpa != our_ip)
		return TOE_L2_NO_REPLY;
	/* A gratuitous ARP (sender IP == target IP) announces an address; one
	 * announcing ours is a conflict, not a question: no reply. */
	if (spa == tpa)
		return TOE_L2_NO_REPLY;
	if (!out || cap < TOE_ETH_MIN_FRAME)
		return TOE_L2_ENOSPC;

	/* "Swap hardware and protocol fields, putting the local hardware and
	 * protocol addresses in the sender fields. Set the ar$op field to
	 * ares_op$REPLY. Send the packet to the (new) target hardware address
	 * on the same hardware on which the request was received." */
	memset(out, 0, TOE_ETH_MIN_FRAME);
	memcpy(out, a + 8, 6);           /* Ethernet dst = requester's sha */
	memcpy(out + 6, our_mac, 6);
	toe_put_be16(out + 12, TOE_ETHERTYPE_ARP);
	toe_put_be16(out + 14, 1);
	toe_put_be16(out + 16, TOE_ETHERTYPE_IPV4);
	out[18] = 6;
	out[19] = 4;
	toe_put_be16(out + 20, 2);
	memcpy(out + 22, our_mac, 6);    /* sha = us */
	toe_put_be32(out + 28, our_ip);         /* spa = us */
	memcpy(out + 32, a + 8, 6);      /* tha = requester's sha */
	toe_put_be32(out + 38, spa);            /* tpa = requester's spa */
	return TOE_ETH_MIN_FRAME;
}

/* ------------------------------------------------------------------ */
/* ICMP echo                                                          */
/* ------------------------------------------------------------------ */

/*
 * RFC 1122 3.2.1.3: "A host MUST silently discard an incoming datagram
 * containing an IP source address that is invalid by the rules of this
 * section." Those rules forbid { 0, <Host-number> } except during
 * initialization, { -1, -1 } ("It MUST NOT be used as a source address")
 * and { 127, <any> } ("Addresses of this form MUST NOT appear outside a
 * host"); RFC 1112 4: "A host group address must never be placed in the
 * source address field"; 240.0.0.0/4 is reserved. This responder drops
 * 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0/3 (multicast, reserved and limited
 * broadcast), so it never sends a reply to them.
 */
static int bad_source(uint32_t ip)
{
	uint8_t a = (uint8_t)(ip >> 24);

	return a == 0 || a == 127 || a >= 224;
}

/*
 * IPv4 + ICMP echo, after the 14-byte Ethernet header:
 *
 *   offset       len  field
 *   14           1    version (4) / IHL (header length in 32-bit words)
 *   15           1    TOS
 *   16           2    total length (IP header + ICMP message)
 *   18           2    identification
 *   20           2    flags (DF 0x4000, MF 0x2000) / fragment offset
 *   22           1    TTL
 *   23           1    protocol (1 = ICMP)
 *   24           2    header checksum
 *   26           4    source address
 *   30           4    destination address
 *   34           ...  options, (IHL - 5) * 4 bytes
 *   14+IHL*4     1    ICMP type (8 echo request, 0 echo reply)
 *   +1           1    code (0)
 *   +2           2    checksum (RFC 1071, over the whole ICMP message)
 *   +4           2    identifier
 *   +6           2    sequence number
 *   +8           ...  data
 */
int toe_ref_icmp_reply(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
		       uint32_t our_ip, uint8_t *out, size_t cap, uint8_t ttl,
		       uint16_t ip_id)
{
	const uint8_t *ip = frame + TOE_ETH_HLEN, *icmp;
	unsigned ihl_bytes, total, icmp_len, reply_len, frame_len;
	uint8_t *oip, *oicmp;

	if (len < TOE_L2_ICMP_MIN_LEN || memcmp(frame, our_mac, 6) != 0 ||
	    toe_get_be16(frame + 12) != TOE_ETHERTYPE_IPV4 ||
	    ip[9] != TOE_IPPROTO_ICMP || toe_get_be32(ip + 16) != our_ip)
		return TOE_L2_NO_REPLY;
	if (len > TOE_L2_MAX_FRAME)
		return TOE_L2_TOO_BIG;
	ihl_bytes = (ip[0] & 0x0fu) * 4;
	total = toe_get_be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl_bytes < TOE_IPV4_HLEN || total < ihl_bytes ||
	    TOE_ETH_HLEN + total > len)
		return TOE_L2_IP_HDR;
	if (toe_ipv4_csum(ip, ihl_bytes) != 0)
		return TOE_L2_IP_CSUM;
	if (toe_get_be16(ip + 6) & 0x3fff) /* MF or an offset; DF is fine */
		return TOE_L2_IP_FRAG;
	if (bad_source(toe_get_be32(ip + 12)))
		return TOE_L2_IP_SRC;
	icmp = ip + ihl_bytes;
	icmp_len = total - ihl_bytes;
	if (icmp_len < 8)
		return TOE_L2_ICMP_TRUNC;
	if (icmp[0] != 8 || icmp[1] != 0)
		return TOE_L2_NO_REPLY;
	/* RFC 792: "The checksum is the 16-bit ones's complement of the one's
	 * complement sum of the ICMP message starting with the ICMP Type." A
	 * message carrying a right checksum sums to 0xffff. */
	if (toe_csum_fold(toe_csum_add(0, icmp, icmp_len)) != 0)
		return TOE_L2_ICMP_CSUM;

	frame_len = TOE_ETH_HLEN + TOE_IPV4_HLEN + icmp_len;
	reply_len = frame_len < TOE_ETH_MIN_FRAME ? TOE_ETH_MIN_FRAME : frame_len;
	if (!out || cap < reply_len)
		return TOE_L2_ENOSPC;

	/* RFC 792: "To form an echo reply message, the source and destination
	 * addresses are simply reversed, the type code changed to 0, and the
	 * checksum recomputed." RFC 1122 3.2.2.6: "Data received in an ICMP
	 * Echo Request MUST be entirely included in the resulting Echo
	 * Reply." and "The IP source address in an ICMP Echo Reply MUST be
	 * the same as the specific-destination address ... of the
	 * corresponding ICMP Echo Request message." */
	memset(out, 0, reply_len);
	memcpy(out, frame + 6, 6);
	memcpy(out + 6, our_mac, 6);
	toe_put_be16(out + 12, TOE_ETHERTYPE_IPV4);

	oip = out + TOE_ETH_HLEN;
	oip[0] = 0x45;
	/* RFC 1349 5.1: "An ICMP Echo Reply message SHOULD be sent with the
	 * same value in the TOS field as was used in the corresponding ICMP
	 * Echo Request message." */
	oip[1] = ip[1];
	toe_put_be16(oip + 2, (uint16_t)(TOE_IPV4_HLEN + icmp_len));
	toe_put_be16(oip + 4, ip_id);
	toe_put_be16(oip + 6, 0);            /* DF cleared, not a fragment */
	oip[8] = ttl;
	oip[9] = TOE_IPPROTO_ICMP;
	toe_put_be32(oip + 12, our_ip);
	memcpy(oip + 16, ip + 12, 4); /* dst = the request's source */
	toe_put_be16(oip + 10, toe_ipv4_csum(oip, TOE_IPV4_HLEN));

	oicmp = oip + TOE_IPV4_HLEN;
	memcpy(oicmp, icmp, icmp_len);
	oicmp[0] = 0;                 /* echo reply */
	oicmp[1] = 0;
	oicmp[2] = 0;
	oicmp[3] = 0;
	toe_put_be16(oicmp + 2, toe_csum_fold(toe_csum_add(0, oicmp, icmp_len)));
	return (int)reply_len;
}
