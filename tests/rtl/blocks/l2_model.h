/* SPDX-License-Identifier: MIT */
/*
 * l2_model.h - the toe_l2_resp RTL (ARP + ICMP echo responders, one merged
 * reply stream; CNT_W 32, default queue sizes) as a C object: set the
 * configuration, drive the receive tap and the reply stream's ready, look at
 * the reply beats, the IP ID handshake and the counters, step the clock.
 * See vblock.h for the timing convention.
 */
#ifndef TOE_SIM_L2_MODEL_H
#define TOE_SIM_L2_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "axis_beat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The block's counters (toe_l2_resp stat_* ports). drop[r - 1] counts
 * reason code r (toe_l2.h: TOE_L2_ARP_TRUNC = -1 is drop[0]). */
struct toe_l2_model_stats {
	uint32_t arp_replies, arp_busy;
	uint32_t icmp_replies, icmp_busy;
	uint32_t drop[9];
};

struct toe_l2_model;

/* A new model with registers randomised from seed, held in reset. NULL on
 * failure. */
struct toe_l2_model *toe_l2_model_new(uint32_t seed);
void toe_l2_model_free(struct toe_l2_model *m);
/* Hold rst for n cycles, then release it. */
void toe_l2_model_reset(struct toe_l2_model *m, unsigned n);

/* Configuration inputs (held until changed): our MAC in wire order, our IP
 * in host order (10.0.0.1 = 0x0a000001), reply TTL, the two enables. */
void toe_l2_model_config(struct toe_l2_model *m, const uint8_t mac[6],
			 uint32_t ip, uint8_t ttl, bool arp_en, bool ping_en);

/*
 * Drive the receive tap (beat may be NULL when s_valid is false), the reply
 * stream's tready and the IP ID input, and evaluate.
 */
void toe_l2_model_drive(struct toe_l2_model *m, bool s_valid,
			const struct toe_axis_beat *beat, bool m_ready,
			uint16_t ip_id);
/* s_axis_tready (always true: the tap never stalls). */
bool toe_l2_model_s_ready(const struct toe_l2_model *m);
/* m_axis_tvalid; when set, *beat gets the reply beat. */
bool toe_l2_model_m_valid(const struct toe_l2_model *m, struct toe_axis_beat *beat);
/* ip_id_take: the IP ID driven now is taken at the next edge. */
bool toe_l2_model_ip_id_take(const struct toe_l2_model *m);
void toe_l2_model_get_stats(const struct toe_l2_model *m, struct toe_l2_model_stats *st);
/* One rising clock edge. */
void toe_l2_model_tick(struct toe_l2_model *m);

#ifdef __cplusplus
}
#endif

#endif
