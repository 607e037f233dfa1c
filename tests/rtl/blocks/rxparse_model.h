/* SPDX-License-Identifier: MIT */
/*
 * rxparse_model.h - the toe_rx_parse RTL (Ethernet/IPv4/TCP receive
 * parser) as a C object: drive the frame stream and the two ready inputs,
 * read the parsed header and the payload stream, step the clock. See
 * vblock.h for the timing convention (drive, read, tick).
 */
#ifndef TOE_SIM_RXPARSE_MODEL_H
#define TOE_SIM_RXPARSE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "axis_beat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reason code the parser gives a frame with tuser set (codec reasons are
 * 1..13, the negated TOE_PERR_* values). */
#define TOE_RXPARSE_MAC_BAD 14

/* The parsed header (m_hdr_*), numbers in host order. */
struct toe_rxparse_hdr {
	uint8_t reason; /* 0 good, 1..13 = -TOE_PERR_*, 14 mac_bad */
	bool arp, icmp;
	uint8_t dst_mac[6], src_mac[6];
	uint16_t ethertype;
	uint8_t ip_ihl, ip_tos, ip_ttl, ip_proto;
	uint16_t ip_len, ip_id, ip_csum;
	bool ip_df;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t doff, flags;
	uint16_t win, tcp_csum, urg;
	bool mss_valid;
	uint16_t mss;
	uint16_t len;   /* TCP payload bytes */
	bool pay_pkt;   /* a payload packet went to the payload stream */
};

struct toe_rxparse_model;

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_rxparse_model *toe_rxparse_model_new(uint32_t seed);
void toe_rxparse_model_free(struct toe_rxparse_model *m);
/* Hold rst for n cycles, then release it. */
void toe_rxparse_model_reset(struct toe_rxparse_model *m, unsigned n);

/* Drive s_axis (beat may be NULL when s_valid is false), m_hdr_ready and
 * m_axis_tready, and evaluate. */
void toe_rxparse_model_drive(struct toe_rxparse_model *m, bool s_valid,
			     const struct toe_axis_beat *beat,
			     bool hdr_ready, bool pay_ready);
/* s_axis_tready, after toe_rxparse_model_drive. */
bool toe_rxparse_model_s_ready(const struct toe_rxparse_model *m);
/* m_hdr_valid; when set, *h gets the fields. */
bool toe_rxparse_model_hdr(const struct toe_rxparse_model *m,
			   struct toe_rxparse_hdr *h);
/* m_axis_tvalid (payload); when set, *beat gets the beat. */
bool toe_rxparse_model_pay(const struct toe_rxparse_model *m,
			   struct toe_axis_beat *beat);
/* One rising clock edge. */
void toe_rxparse_model_tick(struct toe_rxparse_model *m);
/* Rising edges since the model was made. */
uint64_t toe_rxparse_model_cycles(const struct toe_rxparse_model *m);

#ifdef __cplusplus
}
#endif

#endif
