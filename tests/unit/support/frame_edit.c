/* SPDX-License-Identifier: MIT */
/* frame_edit.c - see frame_edit.h. */
#include <string.h>

#include "frame_edit.h"
#include "toe_bytes.h"
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

size_t fe_arp_request(uint8_t *f, const uint8_t src_mac[6], uint32_t src_ip,
		      uint32_t target_ip)
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[15] = 1;       /* htype Ethernet */
	f[16] = 0x08;    /* ptype IPv4 */
	f[18] = 6;
	f[19] = 4;
	f[21] = 1;       /* request */
	memcpy(f + 22, src_mac, 6);
	toe_put_be32(f + 28, src_ip);
	toe_put_be32(f + 38, target_ip);
	return 60;
}

size_t fe_echo_request(uint8_t *f, const uint8_t dst_mac[6],
		       const uint8_t src_mac[6], uint32_t src_ip, uint32_t dst_ip,
		       uint16_t ident, uint16_t seq, size_t len)
{
	size_t ip_len = 20 + 8 + len, i;
	uint8_t *ip = f + 14, *ic = f + 34;
	uint16_t cs;

	memset(f, 0, 14 + ip_len < 60 ? 60 : 14 + ip_len);
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[4] = 0xab;
	ip[5] = 0xcd;
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 1;
	toe_put_be32(ip + 12, src_ip);
	toe_put_be32(ip + 16, dst_ip);
	cs = toe_ipv4_csum(ip, 20);
	ip[10] = (uint8_t)(cs >> 8);
	ip[11] = (uint8_t)cs;
	ic[0] = 8;
	ic[4] = (uint8_t)(ident >> 8);
	ic[5] = (uint8_t)ident;
	ic[6] = (uint8_t)(seq >> 8);
	ic[7] = (uint8_t)seq;
	for (i = 0; i < len; i++)
		ic[8 + i] = (uint8_t)(i * 7 + 3);
	cs = toe_csum_fold(toe_csum_add(0, ic, 8 + len));
	ic[2] = (uint8_t)(cs >> 8);
	ic[3] = (uint8_t)cs;
	return 14 + ip_len < 60 ? 60 : 14 + ip_len;
}

size_t fe_peer_segment(uint8_t *f, size_t cap, const uint8_t dst_mac[6],
		       const uint8_t src_mac[6], uint32_t src_ip,
		       uint32_t dst_ip, uint16_t sport, uint16_t dport,
		       uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		       uint16_t mss)
{
	struct toe_seg sg;
	struct toe_ip_meta ip = { .ttl = 64, .df = true, .id = 0x1234 };
	int n;

	memset(&sg, 0, sizeof(sg));
	sg.src_ip = src_ip;
	sg.dst_ip = dst_ip;
	sg.src_port = sport;
	sg.dst_port = dport;
	sg.seq = seq;
	sg.ack = ack;
	sg.flags = flags;
	sg.win = win;
	if (mss) {
		sg.opt.has_mss = true;
		sg.opt.mss = mss;
	}
	n = toe_build_frame(f, cap, dst_mac, src_mac, &ip, &sg);
	return n > 0 ? (size_t)n : 0;
}

unsigned fe_fix_checksums(uint8_t *f, size_t n)
{
	size_t ihl, tl;
	unsigned done = 0;
	uint16_t cs;

	if (n < 34 || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	ihl = (size_t)(f[14] & 15u) * 4;
	if (ihl < 20 || 14 + ihl > n)
		return 0;
	f[24] = f[25] = 0;
	cs = toe_ipv4_csum(f + 14, ihl);
	f[24] = (uint8_t)(cs >> 8);
	f[25] = (uint8_t)cs;
	done |= 1;
	tl = (size_t)(f[16] << 8 | f[17]);
	if (f[23] != TOE_IPPROTO_TCP || tl < ihl + 18 || 14 + tl > n)
		return done;
	f[14 + ihl + 16] = f[14 + ihl + 17] = 0;
	cs = toe_tcp_csum(toe_get_be32(f + 26), toe_get_be32(f + 30), f + 14 + ihl, tl - ihl);
	f[14 + ihl + 16] = (uint8_t)(cs >> 8);
	f[14 + ihl + 17] = (uint8_t)cs;
	return done | 2;
}
