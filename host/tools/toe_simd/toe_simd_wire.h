/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_wire.h - the wire between Linux and the simulated engine: moves
 * frames between the namespace's link (toe_simd_net.h) and the engine's
 * MAC streams (sim/eut/toe_eut.h), steps the engine's clock paced to wall
 * time, writes a pcap of every frame that crosses, and lets a test hold
 * back or drop chosen frames.
 *
 * Time. The kernel's TCP timers run on the wall clock; the engine's run on
 * its cycle count, TICK_HZ cycles per engine second. The wire keeps the
 * two together: engine time = cycles / TICK_HZ is stepped to follow wall
 * time since the wire was created, with TICK_HZ chosen below what the
 * model can actually do (toe-simd measures it: see docs/linux-interop.md).
 *  - While the engine is ahead of the wall clock (it stepped extra cycles
 *    to process a frame or a bridge request), the wire sleeps in poll() on
 *    the link until the wall clock catches up or a frame arrives.
 *  - While it is behind, it steps in slices of 1 ms of engine time,
 *    looking at the link between slices.
 *  - A received frame is fed at once (stepping until its last beat is in)
 *    and the engine stepped until it is idle again, so replies leave with
 *    the latency the RTL has, not the pacing slice's.
 *  - If the model falls behind by more than max_lag (the machine is
 *    loaded), the wire does not try to catch up in one burst: it slips,
 *    restarting the pacing from the current cycle, and counts the slip.
 *    Engine timers then fire late in wall time by the slipped amount
 *    (never early), which TCP tolerates (a late retransmission).
 * The ref engine costs nothing to step, so it follows the wall clock
 * exactly.
 *
 * A board's register accesses take thousands of engine cycles (its UART):
 * the wire is the engine's pump (toe_eut_set_pump) and moves frames both
 * ways while one runs, as the board's Ethernet would meanwhile. on_frame
 * and filter may therefore be called from inside the engine's register
 * functions: they must not use them (commands, events, read-out).
 */
#ifndef TOE_SIMD_WIRE_H
#define TOE_SIMD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_eut.h"
#include "toe_simd_net.h"

enum simd_dir {
	SIMD_TO_ENGINE = 0, /* Linux -> engine */
	SIMD_TO_LINUX = 1,  /* engine -> Linux */
};

/* A frame that crossed: no is its frame number in the pcap (from 1);
 * cycles are the engine's (to the engine: first = when it was queued,
 * last = its last beat in; to Linux: its first and last beat out). */
struct simd_xframe {
	unsigned no;
	enum simd_dir dir;
	const uint8_t *buf;
	size_t len;
	uint64_t first, last;
	uint64_t ts_usec; /* pcap time: engine time of `first` */
};

typedef void (*simd_frame_fn)(void *arg, const struct simd_xframe *f);
/* Before a frame crosses: 0 let it pass, < 0 drop it, > 0 hold it back
 * that many engine ticks (frames held keep their order). cycle: the
 * engine cycle of its first beat (to Linux) or of its arrival. */
typedef int64_t (*simd_filter_fn)(void *arg, enum simd_dir dir,
				  const uint8_t *buf, size_t len,
				  uint64_t cycle);

struct simd_wire_opts {
	struct toe_eut *eng;
	struct simd_net *net;
	const char *pcap_path;   /* NULL: no pcap */
	simd_frame_fn on_frame;  /* may be NULL */
	void *arg;
	simd_filter_fn filter;   /* may be NULL */
	void *filter_arg;
	uint64_t max_lag;        /* ticks; 0: TICK_HZ / 5 (200 ms) */
	/* take at most one frame from Linux per round (the caller looks at
	 * the engine after each frame); the wire is then not the engine's
	 * pump (frames cross only in simd_wire_poll) */
	bool one_frame;
	/* engine time stepped per round while behind the wall clock, in
	 * engine microseconds; 0: 1000. Smaller keeps a host bridge client
	 * (toe-simd serve) waiting less between rounds. */
	unsigned slice_us;
};

struct simd_wire_stats {
	uint64_t to_engine, to_linux;   /* frames delivered */
	uint64_t dropped, held;         /* by the filter */
	uint64_t link_errors;           /* writes to Linux that failed */
	uint64_t cycles;                /* engine cycles since the wire began */
	double wall_s;                  /* wall time since the wire began */
	uint64_t slips, slipped_ticks;  /* pacing gave up catching up */
	uint64_t max_lag;               /* largest lag before a slip, ticks */
};

struct simd_wire;

struct simd_wire *simd_wire_new(const struct simd_wire_opts *o, char *err,
				size_t errlen);
/* Closes the pcap. */
void simd_wire_free(struct simd_wire *w);
/* One round: Linux's frames in, engine stepped to the wall clock, the
 * engine's frames out. Sleeps at most wait_ms when there is nothing to do.
 * Returns the frames moved, or -1 if the link failed. */
int simd_wire_poll(struct simd_wire *w, int wait_ms);
/* Poll until done(arg) is true (checked between rounds): 0; or -1 after
 * timeout_ms of wall time or a link failure. */
int simd_wire_run(struct simd_wire *w, bool (*done)(void *arg), void *arg,
		  int timeout_ms);
/* Step while the engine is busy (a frame or host bridge bytes in
 * flight), delivering what it sends. */
void simd_wire_settle(struct simd_wire *w);
/* How far engine time is ahead of the wall clock, ns (< 0: behind). */
int64_t simd_wire_lead_ns(const struct simd_wire *w);
/* Step the engine (idle) for ms of wall time. */
void simd_wire_idle(struct simd_wire *w, int ms);
void simd_wire_stats(const struct simd_wire *w, struct simd_wire_stats *st);
/* Frames written to the pcap so far. */
unsigned simd_wire_frames(const struct simd_wire *w);
/* Flush the pcap file (so tshark can read it while the wire lives). */
void simd_wire_flush(struct simd_wire *w);
/* Monotonic wall clock, ns. */
uint64_t simd_mono_ns(void);

#endif
