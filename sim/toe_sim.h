/* SPDX-License-Identifier: MIT */
/*
 * toe_sim.h - the whole engine (rtl/toe_top.v) as a C object: the
 * Verilator model behind an opaque handle, with a C ABI.
 *
 * One handle is one engine with its clock. Nothing moves unless the caller
 * steps the clock (toe_sim_step or a call documented as stepping). While
 * stepping, the harness
 *   - feeds queued network frames into the MAC receive stream (s_axis), one
 *     64-bit beat per cycle when the engine is ready, idle cycles between
 *     frames as set by toe_sim_set_rx_gap (default: back to back);
 *   - collects every frame the engine sends (m_axis) with the cycle of its
 *     first and last beat, honouring the tx backpressure pattern;
 *   - collects the in-order payload stream to user logic, one record per
 *     packet, with its connection id, honouring the user-ready pattern;
 *   - feeds queued host bytes into the host bridge and collects the bytes
 *     it sends back.
 * Time in the engine is the cycle count: timers are in ticks = cycles, and
 * TICK_HZ (register map) tells the engine how many there are per second.
 *
 * Not thread safe; one thread per handle. All functions that take a handle
 * require a valid one.
 */
#ifndef TOE_SIM_H
#define TOE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_sim;

struct toe_sim_opts {
	/* Seed for Verilator's random initial register values (the model is
	 * built with --x-initial unique, so a missing reset shows). 0: 1. */
	uint32_t seed;
	/* FST waveform file; NULL: none unless WAVES=1 in the environment,
	 * then $WAVES_DIR/toe_top-<n>.fst. */
	const char *fst_path;
	/* pcap of both MAC directions (LINKTYPE_ETHERNET, timestamps are
	 * simulated time from the cycle count and clock_hz); NULL: none. */
	const char *pcap_path;
	/* Clock frequency used for pcap timestamps and toe_sim_time_ns;
	 * 0: 156250000. (The engine's own idea is the TICK_HZ register.) */
	uint64_t clock_hz;
};

/* Create an engine, held in reset for 16 cycles and then released. Returns
 * NULL (message on stderr) if the trace or pcap cannot be opened. */
/* With TOE_SIM_CHECK_COMB=1 in the environment, every cycle also checks
 * that no output of the model moved with its inputs alone (the library
 * makes a cycle with one eval, which relies on that: sim/toe_sim.cpp);
 * a violation aborts. Read at create. */
struct toe_sim *toe_sim_create(const struct toe_sim_opts *opts);
void toe_sim_destroy(struct toe_sim *s);

/* Synchronous reset for `cycles` cycles (at least 1), then release. Queues
 * and collected output are emptied; the cycle counter keeps counting. */
void toe_sim_reset(struct toe_sim *s, unsigned cycles);

/* Step the clock n cycles. */
void toe_sim_step(struct toe_sim *s, uint64_t n);
/* Cycles since create. */
uint64_t toe_sim_cycle(const struct toe_sim *s);
/* The engine's own time in the current cycle: its `now` (register NOW),
 * ticks since the last reset was released. For a cycle number c reported
 * by this API (frame first/last beats), the engine's now then was
 * c - (toe_sim_cycle(s) - toe_sim_engine_now(s)). */
uint64_t toe_sim_engine_now(const struct toe_sim *s);
/* Simulated time in ns (cycle * 1e9 / clock_hz). */
uint64_t toe_sim_time_ns(const struct toe_sim *s);
/* True when no frame or host byte is waiting to go in, nothing is being
 * received or sent, and the engine reports idle (no segment or command in
 * flight), and, while the user is ready, no payload is on its way out.
 * Timers may still be pending. */
bool toe_sim_idle(const struct toe_sim *s);
/* Step until toe_sim_idle or max_cycles have passed; returns the cycles
 * stepped. */
uint64_t toe_sim_run_until_idle(struct toe_sim *s, uint64_t max_cycles);

/* Skip `ticks` cycles without clocking the model: the engine's time (NOW,
 * the ISN clock M) and toe_sim_cycle jump forward as if that many idle
 * cycles had passed. Only when toe_sim_idle() (else -EBUSY) and the ISN
 * clock is running (else -EAGAIN: a TICK_HZ write is being divided);
 * timers that came due fire on the following cycles, when the timer scan
 * reaches them. For conformance scripts that wait seconds of simulated
 * time; pcap timestamps jump too. 0 or -errno. */
int toe_sim_warp(struct toe_sim *s, uint64_t ticks);

/* Skip idle time exactly: toe_sim_warp, but only as far as stepping would
 * have changed nothing but the time - at most max_ticks cycles, stopping
 * short of the earliest armed timer deadline, and by whole timer-scan
 * passes (MAX_CONNS cycles) so the scan is where stepping would have left
 * it; also by whole `unit`s (0 or 1: any), for a caller that steps in
 * chunks and wants to keep their phase. Everything observable afterwards
 * (frames and their cycles, events, registers) is then what stepping
 * those cycles would have given. Returns the cycles skipped: 0 when not
 * idle, the ISN clock is dividing, a deadline is less than a pass away or
 * max_ticks is below one; or -ENOSYS when this model does not expose its
 * timers to the library (the caller steps instead). */
int64_t toe_sim_skip_idle(struct toe_sim *s, uint64_t max_ticks, uint64_t unit);
/* The earliest armed timer deadline (retransmission or TIME-WAIT) among the
 * ids the timer scan covers, as a toe_sim_cycle() value (the current cycle
 * if it has passed and the timer waits for the scan): 1 and *cycle; 0 when
 * no timer is armed; -ENOSYS as above. */
int toe_sim_next_timer(const struct toe_sim *s, uint64_t *cycle);

/* ---- network side ---- */

/* Queue an Ethernet frame (no preamble, no FCS) for the MAC receive
 * stream; bad = assert tuser on its last beat (MAC says bad FCS). 0, or
 * -EINVAL if len is 0 or above 16384. */
int toe_sim_push_frame(struct toe_sim *s, const uint8_t *buf, size_t len,
		       bool bad);
/* Frames queued and not yet fully fed in. */
size_t toe_sim_rx_pending(const struct toe_sim *s);
/* Idle cycles inserted between received frames (default 0). */
void toe_sim_set_rx_gap(struct toe_sim *s, unsigned cycles);
/* Cycle of the last beat of the most recently fed frame. */
uint64_t toe_sim_rx_last_cycle(const struct toe_sim *s);

/* Take the oldest frame the engine sent. Returns its length (copying at
 * most cap bytes), 0 if none is waiting. first/last (may be NULL) get the
 * cycles of its first and last beat; bad gets tuser. */
size_t toe_sim_pop_frame(struct toe_sim *s, uint8_t *buf, size_t cap,
			 uint64_t *first, uint64_t *last, bool *bad);
size_t toe_sim_tx_pending(const struct toe_sim *s);
/* MAC transmit backpressure: tready is low on cycles where
 * (cycle % period) < stall (period 0 = always ready; the default). */
void toe_sim_set_tx_stall(struct toe_sim *s, unsigned period, unsigned stall);

/* ---- user logic side: in-order received payload ---- */

/* Take the oldest payload packet. Returns its length (copying at most cap
 * bytes), 0 if none; conn gets the connection id. */
size_t toe_sim_pop_payload(struct toe_sim *s, uint16_t *conn, uint8_t *buf,
			   size_t cap);
/* Payload packets waiting to be popped. */
size_t toe_sim_payload_pending(const struct toe_sim *s);
/* The user stream's tready: held low when ready is false (the engine must
 * then not acknowledge segments whose payload it cannot deliver). */
void toe_sim_set_user_ready(struct toe_sim *s, bool ready);

/* ---- host side: the host bridge byte stream (docs/host-bridge.md) ---- */

/* Queue bytes for the bridge; fed one per cycle while stepping. */
void toe_sim_host_write(struct toe_sim *s, const uint8_t *buf, size_t n);
/* Take up to n bytes the bridge has sent; returns the count. */
size_t toe_sim_host_read(struct toe_sim *s, uint8_t *buf, size_t n);
size_t toe_sim_host_pending(const struct toe_sim *s);

/* Register access for tests and tools, through the real bridge RTL: each
 * call encodes a request (the bridge codec, toe_proto_codec.h), steps the
 * clock until the response arrives (at most 100000 cycles) and decodes it.
 * Must not be mixed with toe_sim_host_write/read traffic that is in flight.
 * EVENT frames the bridge pushes meanwhile are counted and dropped.
 * 0, or a negative TOE_PROTO_E* code of toe_proto_codec.h (the bridge's
 * ERROR reply, or a timeout). */
int toe_sim_csr_read(struct toe_sim *s, uint32_t addr, uint32_t *val);
int toe_sim_csr_write(struct toe_sim *s, uint32_t addr, uint32_t val);
/* 64-bit registers: LO then HI, as the register map requires. */
int toe_sim_csr_read64(struct toe_sim *s, uint32_t addr, uint64_t *val);
int toe_sim_csr_write64(struct toe_sim *s, uint32_t addr, uint64_t val);
/* EVENT frames the csr_* calls dropped so far (see above). */
uint64_t toe_sim_events_dropped(const struct toe_sim *s);

#ifdef __cplusplus
}
#endif

#endif
