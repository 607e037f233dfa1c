/* SPDX-License-Identifier: MIT */
/*
 * wire.c - the packet codec: Ethernet II / IPv4 / TCP parse and build,
 * Internet checksums (RFC 1071), TCP options, dotted-quad helpers.
 *
 * The parser checks in the order toe_wire.h documents (the RTL parser drops
 * for the same reasons in the same order) and reads only buf[0..len): every
 * field is read after the length that covers it has been checked.
 */
#include <stdio.h>
#include <string.h>

#include "toe_bytes.h"
#include "toe_wire.h"

const char *toe_parse_result_name(int result)
{
	/* Indexed by -result. */
	static const char *const names[TOE_PERR_COUNT] = {
		"ok", "eth_trunc", "ethertype", "ip_trunc", "ip_version",
		"ip_ihl", "ip_len", "ip_csum", "ip_frag", "ip_proto",
		"tcp_trunc", "tcp_doff", "tcp_csum", "tcp_opt",
	};
	if (result > 0 || result <= -TOE_PERR_COUNT)
		return "?";
	return names[-result];
}

/* ------------------------------------------------------------------ */
/* Checksums                                                          */
/* ------------------------------------------------------------------ */

/*
 * RFC 1071: the sum of 16-bit big-endian words in ones' complement
 * arithmetic. An odd final byte counts as the high byte of a word padded
 * with zero, so only the last buffer of a chain may have an odd length.
 */
uint32_t toe_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (i < len)
		acc += (uint32_t)p[i] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t toe_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t toe_ipv4_csum(const uint8_t *hdr, size_t len)
{
	return toe_csum_fold(toe_csum_add(0, hdr, len));
}

/* RFC 9293 3.1: "The checksum also covers a pseudo-header (Figure 2)
 * conceptually prefixed to the TCP header": source address, destination
 * address, a zero byte, the protocol (6) and the TCP length ("the TCP header
 * length plus the data length in octets"). */
uint16_t toe_tcp_csum(uint32_t src_ip, uint32_t dst_ip, const uint8_t *tcp,
		      size_t len)
{
	uint8_t ph[12];

	toe_put_be32(ph, src_ip);
	toe_put_be32(ph + 4, dst_ip);
	ph[8] = 0;
	ph[9] = TOE_IPPROTO_TCP;
	toe_put_be16(ph + 10, (uint16_t)len);
	return toe_csum_fold(toe_csum_add(toe_csum_add(0, ph, sizeof(ph)),
					  tcp, len));
}

/* ------------------------------------------------------------------ */
/* TCP options                                                        */
/* ------------------------------------------------------------------ */

/*
 * RFC 9293 3.1: "An option may begin on any octet boundary."
 * "All TCP Options except End of Option List Option (EOL) and No-Operation
 * (NOP) MUST have length fields, including all future options (MUST-68)."
 * "A TCP implementation MUST (MUST-6) ignore without error any TCP Option
 * it does not implement, assuming that the option has a length field."
 * "TCP implementations MUST be prepared to handle an illegal option length
 * (e.g., zero)" (MUST-7): here a length of 0 or 1, one running past the
 * header, or a known option with the wrong length gives TOE_PERR_TCP_OPT
 * and the segment is dropped. Options after EOL are not looked at.
 */
int toe_parse_tcp_options(const uint8_t *p, size_t len, struct toe_tcp_opts *o)
{
	size_t i = 0;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		uint8_t kind = p[i];
		uint8_t olen;

		if (kind == TOE_TCPOPT_EOL)
			break; /* "End of Option List": the rest is padding */
		if (kind == TOE_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return TOE_PERR_TCP_OPT; /* kind with no length byte */
		olen = p[i + 1];
		if (olen < 2 || olen > len - i)
			return TOE_PERR_TCP_OPT;
		switch (kind) {
		case TOE_TCPOPT_MSS:
			if (olen != 4)
				return TOE_PERR_TCP_OPT;
			o->has_mss = true;
			o->mss = toe_get_be16(p + i + 2);
			break;
		case TOE_TCPOPT_WSCALE:
			if (olen != 3)
				return TOE_PERR_TCP_OPT;
			o->has_wscale = true;
			o->wscale = p[i + 2];
			break;
		case TOE_TCPOPT_SACK_PERM:
			if (olen != 2)
				return TOE_PERR_TCP_OPT;
			o->sack_perm = true;
			break;
		case TOE_TCPOPT_TS:
			if (olen != 10)
				return TOE_PERR_TCP_OPT;
			o->has_ts = true;
			o->ts_val = toe_get_be32(p + i + 2);
			o->ts_ecr = toe_get_be32(p + i + 6);
			break;
		default:
			/* SACK blocks and unknown kinds: skipped. */
			if (o->n_unknown < UINT8_MAX)
				o->n_unknown++;
			break;
		}
		i += olen;
	}
	return TOE_PARSE_OK;
}

/* ------------------------------------------------------------------ */
/* Frame parse                                                        */
/* ------------------------------------------------------------------ */

int toe_parse_frame(const uint8_t *buf, size_t len, struct toe_frame *f)
{
	const uint8_t *ip, *tcp;
	size_t ip_avail, ihl_bytes, tcp_len, doff_bytes;
	uint16_t frag;

	memset(f, 0, sizeof(*f));

	/* Ethernet II */
	if (len < TOE_ETH_HLEN)
		return TOE_PERR_ETH_TRUNC;
	memcpy(f->dst_mac, buf, 6);
	memcpy(f->src_mac, buf + 6, 6);
	f->ethertype = toe_get_be16(buf + 12);
	if (f->ethertype != TOE_ETHERTYPE_IPV4)
		return TOE_PERR_ETHERTYPE;

	/* IPv4: everything after the Ethernet header is "the frame" here;
	 * bytes beyond the total length are Ethernet padding. */
	ip = buf + TOE_ETH_HLEN;
	ip_avail = len - TOE_ETH_HLEN;
	if (ip_avail < TOE_IPV4_HLEN)
		return TOE_PERR_IP_TRUNC;
	if ((ip[0] >> 4) != 4)
		return TOE_PERR_IP_VERSION;
	f->ip_ihl = ip[0] & 0x0f;
	ihl_bytes = (size_t)f->ip_ihl * 4;
	if (f->ip_ihl < 5 || ihl_bytes > ip_avail)
		return TOE_PERR_IP_IHL;
	f->ip.tos = ip[1];
	f->ip_total_len = toe_get_be16(ip + 2);
	f->ip.id = toe_get_be16(ip + 4);
	frag = toe_get_be16(ip + 6);
	f->ip.df = (frag & 0x4000) != 0;
	f->ip.ttl = ip[8];
	f->ip_csum = toe_get_be16(ip + 10);
	f->seg.src_ip = toe_get_be32(ip + 12);
	f->seg.dst_ip = toe_get_be32(ip + 16);
	if (f->ip_total_len < ihl_bytes || f->ip_total_len > ip_avail)
		return TOE_PERR_IP_LEN;
	if (toe_ipv4_csum(ip, ihl_bytes) != 0)
		return TOE_PERR_IP_CSUM;
	if (frag & 0x3fff) /* MF or a fragment offset; DF is allowed */
		return TOE_PERR_IP_FRAG;
	if (ip[9] != TOE_IPPROTO_TCP)
		return TOE_PERR_IP_PROTO;

	/* TCP */
	tcp = ip + ihl_bytes;
	tcp_len = f->ip_total_len - ihl_bytes;
	if (tcp_len < TOE_TCP_HLEN)
		return TOE_PERR_TCP_TRUNC;
	f->seg.src_port = toe_get_be16(tcp);
	f->seg.dst_port = toe_get_be16(tcp + 2);
	f->seg.seq = toe_get_be32(tcp + 4);
	f->seg.ack = toe_get_be32(tcp + 8);
	f->tcp_doff = tcp[12] >> 4;
	f->seg.flags = tcp[13];
	f->seg.win = toe_get_be16(tcp + 14);
	f->tcp_csum = toe_get_be16(tcp + 16);
	f->seg.urg = toe_get_be16(tcp + 18);
	doff_bytes = (size_t)f->tcp_doff * 4;
	if (f->tcp_doff < 5 || doff_bytes > tcp_len)
		return TOE_PERR_TCP_DOFF;
	if (toe_tcp_csum(f->seg.src_ip, f->seg.dst_ip, tcp, tcp_len) != 0)
		return TOE_PERR_TCP_CSUM;
	f->seg.opt_raw = tcp + TOE_TCP_HLEN;
	f->seg.opt_raw_len = (uint8_t)(doff_bytes - TOE_TCP_HLEN);
	f->seg.data = tcp + doff_bytes;
	f->seg.len = (uint16_t)(tcp_len - doff_bytes);
	return toe_parse_tcp_options(f->seg.opt_raw, f->seg.opt_raw_len,
				     &f->seg.opt);
}

/* ------------------------------------------------------------------ */
/* Frame build                                                        */
/* ------------------------------------------------------------------ */

int toe_build_frame(uint8_t *buf, size_t cap, const uint8_t dst_mac[6],
		    const uint8_t src_mac[6], const struct toe_ip_meta *ipm,
		    const struct toe_seg *seg)
{
	uint8_t *ip, *tcp;
	size_t opt_len, tcp_len, ip_len, frame_len, out_len;

	/* Option list length, padded to a multiple of 4. */
	if (seg->opt_raw_len > 0) {
		if (!seg->opt_raw)
			return -1;
		opt_len = ((size_t)seg->opt_raw_len + 3) & ~(size_t)3;
	} else {
		opt_len = seg->opt.has_mss ? 4 : 0;
	}
	if (opt_len > TOE_TCP_MAX_OPT)
		return -1;
	if (seg->len > 0 && !seg->data)
		return -1;
	tcp_len = TOE_TCP_HLEN + opt_len + seg->len;
	ip_len = TOE_IPV4_HLEN + tcp_len;
	if (ip_len > UINT16_MAX)
		return -1;
	frame_len = TOE_ETH_HLEN + ip_len;
	out_len = frame_len < TOE_ETH_MIN_FRAME ? TOE_ETH_MIN_FRAME : frame_len;
	if (cap < out_len)
		return -1;

	/* Ethernet II */
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	toe_put_be16(buf + 12, TOE_ETHERTYPE_IPV4);

	/* IPv4, 20 bytes, no options */
	ip = buf + TOE_ETH_HLEN;
	ip[0] = 0x45;
	ip[1] = ipm->tos;
	toe_put_be16(ip + 2, (uint16_t)ip_len);
	toe_put_be16(ip + 4, ipm->id);
	toe_put_be16(ip + 6, ipm->df ? 0x4000 : 0);
	ip[8] = ipm->ttl;
	ip[9] = TOE_IPPROTO_TCP;
	toe_put_be16(ip + 10, 0);
	toe_put_be32(ip + 12, seg->src_ip);
	toe_put_be32(ip + 16, seg->dst_ip);
	toe_put_be16(ip + 10, toe_ipv4_csum(ip, TOE_IPV4_HLEN));

	/* TCP */
	tcp = ip + TOE_IPV4_HLEN;
	toe_put_be16(tcp, seg->src_port);
	toe_put_be16(tcp + 2, seg->dst_port);
	toe_put_be32(tcp + 4, seg->seq);
	toe_put_be32(tcp + 8, seg->ack);
	tcp[12] = (uint8_t)(((TOE_TCP_HLEN + opt_len) / 4) << 4);
	tcp[13] = seg->flags;
	toe_put_be16(tcp + 14, seg->win);
	toe_put_be16(tcp + 16, 0);
	toe_put_be16(tcp + 18, seg->urg);
	if (seg->opt_raw_len > 0) {
		memcpy(tcp + TOE_TCP_HLEN, seg->opt_raw, seg->opt_raw_len);
		memset(tcp + TOE_TCP_HLEN + seg->opt_raw_len, TOE_TCPOPT_EOL,
		       opt_len - seg->opt_raw_len);
	} else if (opt_len) {
		tcp[TOE_TCP_HLEN] = TOE_TCPOPT_MSS;
		tcp[TOE_TCP_HLEN + 1] = 4;
		toe_put_be16(tcp + TOE_TCP_HLEN + 2, seg->opt.mss);
	}
	if (seg->len)
		memcpy(tcp + TOE_TCP_HLEN + opt_len, seg->data, seg->len);
	toe_put_be16(tcp + 16, toe_tcp_csum(seg->src_ip, seg->dst_ip, tcp, tcp_len));

	/* Ethernet padding */
	memset(buf + frame_len, 0, out_len - frame_len);
	return (int)out_len;
}

/* ------------------------------------------------------------------ */
/* Dotted quads                                                       */
/* ------------------------------------------------------------------ */

char *toe_ip_str(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(ip >> 24),
		 (unsigned)(ip >> 16) & 0xff, (unsigned)(ip >> 8) & 0xff,
		 (unsigned)ip & 0xff);
	return buf;
}

