/* SPDX-License-Identifier: MIT */
/*
 * pkt_backend.h - what toe-pkt needs from a TCP implementation under test:
 * frames in and out on simulated time, the socket-level commands, events
 * and the per-connection read-out. Two back ends: the reference stack
 * (pkt_be_model.c, --model) and the Verilator engine (pkt_be_engine.c,
 * the default).
 *
 * Time is in microseconds since the back end was created. A back end
 * converts it to its own ticks (cfg.tick_hz per second).
 */
#ifndef TOE_PKT_BACKEND_H
#define TOE_PKT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_ref.h"

/* Engine configuration, as the register map / struct toe_ref_cfg hold it,
 * with durations in microseconds (converted with tick_hz). */
struct pkt_be_cfg {
	uint32_t local_ip;
	uint8_t local_mac[6];
	uint8_t remote_mac[6];   /* next hop for connect() */
	uint16_t mtu;
	uint16_t rcv_wnd, syn_wnd;
	uint8_t ttl;
	bool df;
	uint64_t tick_hz;        /* multiple of 250000 */
	uint64_t rto_init_us, rto_max_us;
	uint64_t syn_giveup_us, synack_giveup_us, fin_giveup_us;
	uint64_t msl_us;
	uint32_t ca_limit;
	uint64_t ca_window_us;
	uint8_t isn_key[16];
	uint32_t seed;           /* engine: Verilator random-initialisation seed */
	bool no_skip;            /* engine: step every cycle, never skip time
				  * (--no-skip) */
	const char *pcap_path;   /* engine: pcap of both directions, or NULL */
};

#define PKT_FRAME_MAX 16384

struct pkt_frame {
	uint8_t buf[PKT_FRAME_MAX];
	size_t len;
	bool bad;                /* sent with tuser (bad frame) set */
	uint64_t t_us;           /* when its first byte left the engine */
};

/* An event (TOE_EV_*), with the payload of RX_DATA. */
struct pkt_bev {
	int type;
	int conn;
	uint64_t t_us;           /* when the runner saw it */
	const uint8_t *data;     /* RX_DATA: valid until the next back-end call */
	uint16_t len;
};

/* run(): stop as soon as a frame is waiting / an event is waiting. */
#define PKT_STOP_FRAME 1u
#define PKT_STOP_EVENT 2u

struct pkt_backend_ops {
	const char *name;
	uint64_t default_tick_hz; /* when the run does not set --tick_hz */
	/* NULL with a message in err on failure. */
	void *(*create)(const struct pkt_be_cfg *cfg, char *err, size_t errlen);
	void (*destroy)(void *be);
	/* One line saying what runs (clock, seed), for failure reports. */
	const char *(*describe)(void *be);
	/* NULL, or what went wrong inside the back end (a bus error...):
	 * the run is then void. */
	const char *(*error)(void *be);
	uint64_t (*now)(void *be);
	/* Advance simulated time to `until` (never backwards), earlier if a
	 * stop condition in `stop` holds. Up to `quiet` the script expects
	 * nothing from the engine (anything sent before is a failure anyway,
	 * and the runner leaves room after `quiet` for late timers to show):
	 * a back end may skip that stretch without clocking if it can. */
	void (*run)(void *be, uint64_t until, unsigned stop, uint64_t quiet);
	/* Feed one Ethernet frame now. 0 or a negative TOE_REF_* code. */
	int (*inject)(void *be, const uint8_t *frame, size_t len);
	/* Oldest frame the engine sent: 1 and *f filled, 0 if none. */
	int (*pop_frame)(void *be, struct pkt_frame *f);
	/* Oldest event: 1 and *ev filled, 0 if none. */
	int (*pop_event)(void *be, struct pkt_bev *ev);
	/* Commands: 0 (connect: the connection id) or a negative TOE_REF_*. */
	int (*listen)(void *be, uint16_t port);
	int (*unlisten)(void *be, uint16_t port);
	int (*connect)(void *be, uint16_t lport, uint32_t rip, uint16_t rport);
	int (*close)(void *be, int conn);
	int (*shutdown)(void *be, int conn);
	int (*abort)(void *be, int conn);
	/* Per-connection read-out; TOE_REF_ENOTCONN for a free id. With
	 * full false only state, flags, addresses and ports are read (the
	 * engine reads fewer registers). */
	int (*info)(void *be, int conn, struct toe_ref_conn_info *info,
		    bool full);
	/* How late a timer may fire after its deadline, by design (the
	 * engine scans its timers: up to about two passes over the table);
	 * the runner allows it on top of the tolerance, on the late side. */
	uint64_t (*timer_slack_us)(void *be);
	/* How many times run() skipped time without clocking in a way that
	 * may change what happened when (a timer firing late): a failure is
	 * then run again stepping every cycle. Exact skips (the engine's
	 * toe_sim_skip_idle) do not count. */
	uint64_t (*skips)(void *be);
	/* Connection id of (local port, remote ip, remote port), or -1. */
	int (*find)(void *be, uint16_t lport, uint32_t rip, uint16_t rport);
};

extern const struct pkt_backend_ops pkt_be_model;
/* NULL when toe-pkt was built without the engine (no libtoesim). */
extern const struct pkt_backend_ops *const pkt_be_engine;

/* Durations: microseconds -> ticks and back (rounding down). */
static inline uint64_t pkt_us_to_ticks(uint64_t us, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)us * hz / 1000000u);
}

static inline uint64_t pkt_us_to_ticks_ceil(uint64_t us, uint64_t hz)
{
	return (uint64_t)(((unsigned __int128)us * hz + 999999u) / 1000000u);
}

static inline uint64_t pkt_ticks_to_us(uint64_t ticks, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ticks * 1000000u / hz);
}

#endif
