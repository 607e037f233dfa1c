/* SPDX-License-Identifier: MIT */
/*
 * frame_edit.h - edits of built frames, and frames, that the codec does not
 * make itself (tests only).
 */
#ifndef FRAME_EDIT_H
#define FRAME_EDIT_H

#include <stddef.h>
#include <stdint.h>

/* Insert 4 bytes of IPv4 options (NOP NOP NOP EOL) into an Ethernet/IPv4
 * frame with a 20-byte IP header: IHL 6, total length + 4, header checksum
 * redone; the transport segment (and its checksum, which does not cover
 * IP options) is unchanged, 4 bytes later. f must have room for 4 more
 * bytes. Returns the new length, or 0 if f is not such a frame. */
size_t fe_add_ip_options(uint8_t *f, size_t n);

/* An ARP request (RFC 826, Ethernet/IPv4), broadcast, from src_mac /
 * src_ip for target_ip, zero-padded to 60 bytes in f (room for 60).
 * Returns 60. IPs in host order (10.0.0.1 = 0x0A000001). */
size_t fe_arp_request(uint8_t *f, const uint8_t src_mac[6], uint32_t src_ip,
		      uint32_t target_ip);

/* An ICMP echo request (RFC 792) from src to dst: IPv4 header of 20 bytes
 * (ID 0xABCD, DF, TTL 64), identifier ident, sequence seq, len data bytes
 * (byte i = i * 7 + 3), both checksums; zero-padded to 60 bytes. f needs
 * room for max(60, 42 + len). Returns the frame length. */
size_t fe_echo_request(uint8_t *f, const uint8_t dst_mac[6],
		       const uint8_t src_mac[6], uint32_t src_ip, uint32_t dst_ip,
		       uint16_t ident, uint16_t seq, size_t len);

#endif
