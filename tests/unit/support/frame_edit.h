/* SPDX-License-Identifier: MIT */
/*
 * frame_edit.h - edits of built frames, and frames, that the codec does not
 * make itself, or makes from a test's template (tests only).
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

/* A TCP segment from a test's peer as an Ethernet frame, from one
 * template: IPv4 TTL 64, DF, ID 0x1234, no payload; the 4-tuple (IPs in
 * host order), SEQ, ACK, flags and window as given, and an MSS option of
 * mss when mss != 0 (no other option). The codec (toe_build_frame) builds it
 * into f (room for cap bytes). Returns the length (> 0), or 0 if it does
 * not fit. */
size_t fe_peer_segment(uint8_t *f, size_t cap, const uint8_t dst_mac[6],
		       const uint8_t src_mac[6], uint32_t src_ip,
		       uint32_t dst_ip, uint16_t sport, uint16_t dport,
		       uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		       uint16_t mss);

/* Redo the checksums of an Ethernet/IPv4 frame whatever else is wrong
 * with it, with the codec's sums: the IPv4 header checksum (over IHL * 4
 * bytes) when IHL >= 5 and that header lies in the frame, and the TCP
 * checksum (pseudo-header and the IPv4 total length less the header) when
 * the protocol is 6 and that segment, 18 bytes at least, lies in the
 * frame. Returns 1 if the IPv4 checksum was redone, + 2 for TCP's. */
unsigned fe_fix_checksums(uint8_t *f, size_t n);

#endif
