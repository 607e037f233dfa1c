/* SPDX-License-Identifier: MIT */
/*
 * toe_wire.h - the packet codec: Ethernet II / IPv4 / TCP parse and build,
 * checksums, TCP options, and pcap files (through libpcap).
 *
 * Wire format handled (all multi-byte fields big-endian on the wire; every
 * struct field here is in host byte order):
 *
 *   Ethernet II   dst MAC 6 | src MAC 6 | ethertype 2          (no FCS)
 *   IPv4          ver/ihl 1 | tos 1 | total len 2 | id 2 | flags/frag 2 |
 *                 ttl 1 | proto 1 | hdr csum 2 | src 4 | dst 4 | options
 *   TCP           sport 2 | dport 2 | seq 4 | ack 4 | doff/rsvd 1 |
 *                 flags 1 | win 2 | csum 2 | urg 2 | options | payload
 *
 * Frames may carry Ethernet padding after the IPv4 total length (the seed
 * capture does); it is ignored.
 */
#ifndef TOE_WIRE_H
#define TOE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe/toe_parse.h"
#include "toe/toe_tcp.h"

#define TOE_ETH_HLEN 14
#define TOE_ETH_MIN_FRAME 60 /* without FCS */
#define TOE_ETH_MAX_FRAME 1514 /* without FCS, 1500-byte MTU */
#define TOE_ETHERTYPE_IPV4 0x0800
#define TOE_ETHERTYPE_ARP 0x0806
#define TOE_IPPROTO_ICMP 1
#define TOE_IPPROTO_TCP 6
#define TOE_IPV4_HLEN 20
#define TOE_TCP_HLEN 20
#define TOE_TCP_MAX_OPT 40

/* TCP option kinds */
#define TOE_TCPOPT_EOL 0
#define TOE_TCPOPT_NOP 1
#define TOE_TCPOPT_MSS 2
#define TOE_TCPOPT_WSCALE 3
#define TOE_TCPOPT_SACK_PERM 4
#define TOE_TCPOPT_SACK 5
#define TOE_TCPOPT_TS 8

/*
 * Parse results (enum toe_parse_result: TOE_PARSE_OK = 0, TOE_PERR_ETH_TRUNC =
 * -1 ... TOE_PERR_TCP_OPT = -13, TOE_PERR_COUNT = 14). 0 is a good TCP frame;
 * every negative value is a reason to drop the frame, and is what the
 * engine's drop counters count (the RTL uses the same reasons, in the same
 * order of checking, as positive codes). Generated from rtl/regmap/toe.toml.
 */
#include "toe/toe_regs.h"

/* A short stable name for a parse result ("ip_csum"), for counters and logs. */
const char *toe_parse_result_name(int result);

/* TCP options as parsed. Only MSS matters to the engine; the others are
 * recorded so tools can show them, and are otherwise ignored. */
struct toe_tcp_opts {
	bool has_mss;
	uint16_t mss;
	bool has_wscale;
	uint8_t wscale;
	bool sack_perm;
	bool has_ts;
	uint32_t ts_val, ts_ecr;
	uint8_t n_unknown; /* options of unknown kind that were skipped */
};

/*
 * One TCP segment as a stack sees it. Addresses are the segment's own
 * (src = sender). `data` points into the caller's buffer.
 *
 * Building: if `opt_raw_len` > 0 those bytes are emitted as the option list
 * (padded with EOL to a multiple of 4); otherwise an MSS option is emitted
 * iff `opt.has_mss`, and nothing else.
 */
struct toe_seg {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags; /* TOE_TCP_* */
	uint16_t win;
	uint16_t urg;
	struct toe_tcp_opts opt;
	const uint8_t *opt_raw; /* raw option bytes (parse: into the frame) */
	uint8_t opt_raw_len;
	const uint8_t *data;
	uint16_t len; /* payload bytes */
};

/* IPv4 header fields a sender chooses. */
struct toe_ip_meta {
	uint8_t tos;
	uint8_t ttl;
	bool df;
	uint16_t id;
};

/* A parsed Ethernet/IPv4/TCP frame. */
struct toe_frame {
	uint8_t dst_mac[6], src_mac[6];
	uint16_t ethertype;
	struct toe_ip_meta ip;
	uint8_t ip_ihl;        /* in 32-bit words */
	uint16_t ip_total_len;
	uint16_t ip_csum;
	uint8_t tcp_doff;      /* in 32-bit words */
	uint16_t tcp_csum;
	struct toe_seg seg;
};

/*
 * Parse one frame (no FCS). Checks, in this order: Ethernet length,
 * ethertype, IPv4 header (version, IHL, total length, checksum, fragment,
 * protocol), TCP header (length, data offset, checksum, options).
 * Fills *f as far as parsing got; returns TOE_PARSE_OK or a TOE_PERR_*.
 * Never reads outside buf[0..len).
 */
int toe_parse_frame(const uint8_t *buf, size_t len, struct toe_frame *f);

/* Parse a TCP option list. Returns TOE_PARSE_OK or TOE_PERR_TCP_OPT. */
int toe_parse_tcp_options(const uint8_t *p, size_t len, struct toe_tcp_opts *o);

/*
 * Build an Ethernet/IPv4/TCP frame: IPv4 header of 20 bytes (no options),
 * TCP header with options as described at struct toe_seg, the payload, both
 * checksums; padded with zero bytes to 60 bytes. Returns the frame length,
 * or -1 if `cap` is too small or the options are longer than 40 bytes.
 */
int toe_build_frame(uint8_t *buf, size_t cap, const uint8_t dst_mac[6],
		    const uint8_t src_mac[6], const struct toe_ip_meta *ip,
		    const struct toe_seg *seg);

/* The 16-bit ones'-complement sum of buf, folded, not inverted, added to
 * `sum` (so calls can be chained). */
uint32_t toe_csum_add(uint32_t sum, const void *buf, size_t len);
/* Fold a 32-bit running sum and invert it: the value to put in a header. */
uint16_t toe_csum_fold(uint32_t sum);
/* IPv4 header checksum over hdr[0..len). A header that carries a correct
 * checksum gives 0. */
uint16_t toe_ipv4_csum(const uint8_t *hdr, size_t len);
/* TCP checksum with the IPv4 pseudo-header; tcp[0..len) is header+payload.
 * A segment that carries a correct checksum gives 0. */
uint16_t toe_tcp_csum(uint32_t src_ip, uint32_t dst_ip, const uint8_t *tcp,
		      size_t len);

/* "131.107.2.214" style; buf must hold 16 bytes. Returns buf. */
char *toe_ip_str(uint32_t ip, char buf[16]);
/* toe_ip_parse (dotted quad, strict): toe/toe_parse.h */

/* pcap files, read and written through libpcap (link type Ethernet). */
struct toe_pcap;
/* Open for reading. On failure returns NULL with a message in err. */
struct toe_pcap *toe_pcap_open_read(const char *path, char *err, size_t errlen);
/* Next frame: 1 and *data, *len, *ts_usec set (valid until the next call),
 * 0 at end of file, -1 on a read error (message in err). */
int toe_pcap_next(struct toe_pcap *p, const uint8_t **data, size_t *len,
		  uint64_t *ts_usec, char *err, size_t errlen);
/* Create/truncate for writing (microsecond timestamps). */
struct toe_pcap *toe_pcap_open_write(const char *path, char *err, size_t errlen);
int toe_pcap_write(struct toe_pcap *p, const uint8_t *data, size_t len,
		   uint64_t ts_usec);
void toe_pcap_close(struct toe_pcap *p);

#endif
