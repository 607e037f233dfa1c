/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_rtl.c - the "rtl" engine under test: the Verilator model of
 * rtl/toe_top.v (sim/toe_sim.h) behind toe_eut.h.
 *
 * Frames go into the MAC receive stream and come out of the transmit
 * stream with the cycles of their first and last beat; payload comes from
 * the user stream. Every command, event, connection read-out and statistic
 * goes through the register driver on the engine's real host bridge
 * (toe_sim_csr_*, which steps the clock while the request and response
 * bytes cross, sim/toe_sim_drv.h): the register half shared with the board
 * back end, toe_eut_regs.c. Everything done through the bridge takes real
 * cycles - tens of cycles per register access - so it shows as a small
 * delay on the engine's clock, as it would on hardware.
 *
 * One tick is one clock cycle. toe-pkt sets TICK_HZ (250000 by default,
 * the lowest the ISN clock allows: one cycle is 4 us); toe-simd measures
 * the model's speed and paces engine seconds to wall seconds.
 */
#include "toe_eut_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_sim.h"
#include "toe_sim_drv.h"
#include "toe_top_latency.h"

/*
 * Optional in libtoesim: skip `ticks` cycles without clocking the model,
 * the engine's time (NOW, the ISN clock, toe_sim_cycle) jumping forward as
 * if that many idle cycles had passed; only when toe_sim_idle(); timers
 * that came due fire on the following cycles, as when the timer scan lags.
 * 0, or a negative errno. Used when the library has it (weak reference).
 */
extern int toe_sim_warp(struct toe_sim *s, uint64_t ticks) __attribute__((weak));
/*
 * Optional in libtoesim too: skip idle time exactly - only as far as
 * stepping would have changed nothing but the time (short of the next
 * timer deadline, whole timer-scan passes). Preferred: a run that skips
 * this way sees the same frames, cycles and events as one stepping every
 * cycle, so nothing needs a second run; -ENOSYS when the model does not
 * expose its timers (then the inexact warp above, or stepping).
 */
extern int64_t toe_sim_skip_idle(struct toe_sim *s, uint64_t max_ticks,
				 uint64_t unit) __attribute__((weak));
extern int toe_sim_next_timer(const struct toe_sim *s, uint64_t *cycle)
	__attribute__((weak));

/* Cycles stepped at once while watching for a frame or an event. */
#define STEP_CHUNK 8
/* Skips shorter than this are stepped (toe_sim_warp). */
#define WARP_MIN 4096
/* After an exact skip found no room (a timer due within a scan pass),
 * cycles stepped before it is tried again. */
#define SKIP_RETRY 1024
/* Cycles to let a frame or a command work through the engine. */
#define SETTLE_MAX 100000

struct rtl_eut {
	struct toe_eut_regs r; /* the register driver on s (r.d): first */
	struct toe_sim *s;
	uint64_t ev_dropped;
	bool exact;         /* idle time skipped with toe_sim_skip_idle */
	uint64_t skipped;   /* cycles skipped exactly */
	uint64_t skip_retry; /* no exact skip tried before this cycle */
};

static struct rtl_eut *T(const struct toe_eut *e)
{
	return (struct rtl_eut *)(uintptr_t)e;
}

/* own_bridge: discard the EVENT notifications the bridge pushed; remember
 * that the FIFO has something. */
static void eat_notifications(struct toe_eut *e)
{
	struct rtl_eut *te = T(e);
	uint8_t b[256];
	uint64_t d = toe_sim_events_dropped(te->s);

	while (toe_sim_host_pending(te->s))
		if (toe_sim_host_read(te->s, b, sizeof(b)))
			te->r.maybe_events = true;
	if (d != te->ev_dropped) {
		te->ev_dropped = d;
		te->r.maybe_events = true;
	}
}

/* own_bridge: let injected frames and running commands work through the
 * engine. */
static void settle(struct toe_eut *e)
{
	toe_sim_run_until_idle(T(e)->s, SETTLE_MAX);
	eat_notifications(e);
}

static void rtl_free(struct toe_eut *e)
{
	struct rtl_eut *te = T(e);

	if (te->s)
		toe_sim_destroy(te->s);
	free(te);
}

static struct toe_sim *rtl_sim(struct toe_eut *e)
{
	return T(e)->s;
}

/* the host bridge bytes: the model's own (toe_sim_host_*) */
static int rtl_bridge(struct toe_eut *e, const struct toe_sim_engine **eng,
		      struct toe_sim **s)
{
	*eng = NULL;
	*s = T(e)->s;
	return 0;
}

static uint64_t rtl_tick(const struct toe_eut *e)
{
	return toe_sim_cycle(T(e)->s);
}

static void rtl_step(struct toe_eut *e, uint64_t n)
{
	toe_sim_step(T(e)->s, n);
}

static void rtl_run(struct toe_eut *e, uint64_t target, unsigned stop,
		    uint64_t qc)
{
	struct rtl_eut *te = T(e);
	struct toe_sim *s = te->s;

	/* Without the exact skip: skip the quiet stretch at once when the
	 * simulation can (it ends at least 2 timer-scan passes before
	 * anything is expected, so a timer that came due inside it still
	 * shows - late, and as a failure - before the expected window). */
	if (!te->exact && toe_sim_warp && !e->cfg.no_skip &&
	    qc > toe_sim_cycle(s) + WARP_MIN && qc <= target &&
	    !toe_sim_tx_pending(s) && toe_sim_idle(s) &&
	    toe_sim_warp(s, qc - toe_sim_cycle(s)) == 0)
		e->skips += 1;
	while (toe_sim_cycle(s) < target) {
		uint64_t n = target - toe_sim_cycle(s);

		/* Idle with nothing waiting for the caller: skip what stepping
		 * would only have counted (by whole chunks, so the steps below
		 * keep their phase and the caller sees everything at the
		 * cycle it would have stepping). A wait for a segment that
		 * never comes costs a skip per armed timer, not an hour of
		 * cycles. */
		if (te->exact && toe_sim_cycle(s) >= te->skip_retry &&
		    !((stop & TOE_EUT_STOP_FRAME) && toe_sim_tx_pending(s)) &&
		    !((stop & TOE_EUT_STOP_EVENT) && toe_sim_host_pending(s)) &&
		    toe_sim_idle(s)) {
			int64_t k = toe_sim_skip_idle(s, n, STEP_CHUNK);

			if (k > 0) {
				te->skipped += (uint64_t)k;
				continue;
			}
			if (k < 0)
				te->exact = false; /* stepping from now on */
			else
				te->skip_retry = toe_sim_cycle(s) + SKIP_RETRY;
		}
		if (stop && n > STEP_CHUNK)
			n = STEP_CHUNK;
		toe_sim_step(s, n);
		if ((stop & TOE_EUT_STOP_FRAME) && toe_sim_tx_pending(s))
			return;
		if ((stop & TOE_EUT_STOP_EVENT) && toe_sim_host_pending(s)) {
			if (e->cfg.own_bridge)
				eat_notifications(e);
			return;
		}
	}
}

static bool rtl_busy(const struct toe_eut *e)
{
	return !toe_sim_idle(T(e)->s);
}

static int rtl_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	return toe_sim_push_frame(T(e)->s, buf, len, false) ? TOE_REF_EINVAL : 0;
}

static size_t rtl_rx_pending(const struct toe_eut *e)
{
	return toe_sim_rx_pending(T(e)->s);
}

static uint64_t rtl_rx_last_tick(const struct toe_eut *e)
{
	return toe_sim_rx_last_cycle(T(e)->s);
}

static size_t rtl_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last, bool *bad)
{
	return toe_sim_pop_frame(T(e)->s, buf, cap, first, last, bad);
}

static size_t rtl_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			      size_t cap)
{
	return toe_sim_pop_payload(T(e)->s, conn, buf, cap);
}

static size_t rtl_payload_pending(const struct toe_eut *e)
{
	return toe_sim_payload_pending(T(e)->s);
}

/*
 * Reply latency bounds (toe_eut.h, toe_eut_reply_bound), from the
 * engine's latencies (sim/toe_top_latency.h).
 *
 * The receive parser's option walker finalises a frame in the cycle after
 * its last beat, or later while it is still walking: it takes one option
 * other than NOP a cycle (with up to three NOPs before it), or four NOPs,
 * and a walk ends with its last option, an EOL, a malformed option or the
 * end of the option bytes. From the cycle after the last beat it never
 * waits for bytes, so it runs past it by at most one step per option
 * (EOL and the first malformed one included), one per four NOPs and one
 * to find the end: an upper bound, capped by the worst layout measured
 * (TOE_LAT_WALK_MAX).
 */
static unsigned walk_bound(const uint8_t *f, size_t n)
{
	size_t t, end, i;
	unsigned steps = 1, nops = 0;

	if (n < 14 + 20 || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	t = 14 + (size_t)(f[14] & 15u) * 4;
	if (t + 20 > n)
		return 0;
	end = t + (size_t)(f[t + 12] >> 4) * 4;
	if (end > n)
		end = n;
	for (i = t + 20; i < end;) {
		if (f[i] == 1) { /* NOP */
			nops++;
			i++;
			continue;
		}
		steps++;
		if (f[i] == 0 || i + 1 >= end || f[i + 1] < 2)
			break;
		i += f[i + 1];
	}
	steps += (nops + 3) / 4;
	return steps < TOE_LAT_WALK_MAX ? steps : TOE_LAT_WALK_MAX;
}

/*
 * op 0, a frame, from its last beat: decided TOE_LAT_SEG after it, later
 * by the walk; a SYN without ACK no earlier than its SipHash (TOE_LAT_SYN
 * after the first beat, a cycle more for each beat IPv4 options move its
 * ports) and TOE_LAT_SYN_HOLD; its job up to TOE_LAT_SEG_EXTRA (a SYN
 * without ACK: TOE_LAT_SYN_EXTRA) longer; then TOE_TX_SEG to the reply's
 * first beat. A command, from its CMD write: TOE_LAT_CMD, up to
 * TOE_LAT_CMD_EXTRA more, then TOE_TX_CMD (connect: TOE_TX_CONNECT).
 * op -1: a frame that waits for another to go out starts TOE_TX_QUEUE
 * after that one's last beat.
 */
static int64_t rtl_reply_bound(const struct toe_eut *e, int op,
			       const uint8_t *f, size_t n)
{
	int64_t dec, extra = TOE_LAT_SEG_EXTRA;

	(void)e;
	if (op < 0)
		return TOE_TX_QUEUE;
	if (op > 0)
		return TOE_LAT_CMD + TOE_LAT_CMD_EXTRA +
		       (op == TOE_CMD_CONNECT ? TOE_TX_CONNECT : TOE_TX_CMD);
	dec = TOE_LAT_SEG + (int64_t)walk_bound(f, n);
	if (n >= 14 + 20 + 14 && f[12] == 0x08 && f[13] == 0x00) {
		size_t t = 14 + (size_t)(f[14] & 15u) * 4;
		int64_t last = (int64_t)((n + 7) / 8) - 1;
		int64_t pb = (17 + 4 * (int64_t)(f[14] & 15u)) / 8;

		if (t + 14 <= n && (f[t + 13] & 0x12) == 0x02) {
			/* SYN without ACK: its hash, from the first beat */
			int64_t h = TOE_LAT_SYN + (pb > 4 ? pb - 4 : 0) - last;

			if (h > dec)
				dec = h;
			dec += TOE_LAT_SYN_HOLD;
			extra = TOE_LAT_SYN_EXTRA;
		}
	}
	return dec + extra + TOE_TX_SEG;
}

static const struct toe_eut_ops rtl_ops = {
	.free = rtl_free,
	.error = toe_eut_regs_error,
	.sim = rtl_sim,
	.bridge = rtl_bridge,
	.tick = rtl_tick,
	.step = rtl_step,
	.run = rtl_run,
	.busy = rtl_busy,
	.push_frame = rtl_push_frame,
	.rx_pending = rtl_rx_pending,
	.rx_last_tick = rtl_rx_last_tick,
	.pop_frame = rtl_pop_frame,
	.pop_payload = rtl_pop_payload,
	.payload_pending = rtl_payload_pending,
	.command = toe_eut_regs_command,
	.pop_event = toe_eut_regs_pop_event,
	.conn_info = toe_eut_regs_conn_info,
	.conn_state = toe_eut_regs_conn_state,
	.find = toe_eut_regs_find,
	.conn_count = toe_eut_regs_conn_count,
	.stats = toe_eut_regs_stats,
	.csr_read = toe_eut_regs_csr_read,
	.csr_write = toe_eut_regs_csr_write,
	.reply_bound = rtl_reply_bound,
};

bool toe_eut_have_rtl(void)
{
	return true;
}

struct toe_eut *toe_eut_rtl_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen)
{
	struct rtl_eut *te = calloc(1, sizeof(*te));
	struct toe_eut *e;
	struct toe_sim_opts o;

	if (!te) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e = &te->r.head;
	e->ops = &rtl_ops;
	e->cfg = *cfg;
	memset(&o, 0, sizeof(o));
	o.seed = cfg->seed;
	o.pcap_path = cfg->pcap_path;
	o.fst_path = cfg->fst_path;
	o.clock_hz = cfg->tick_hz;
	te->s = toe_sim_create(&o);
	if (!te->s) {
		snprintf(err, errlen, "cannot create the engine model "
			 "(toe_sim_create)");
		free(te);
		return NULL;
	}
	toe_sim_drv_init(&te->r.d, te->s, cfg->bridge_burst ? cfg->bridge_burst : 1);
	te->r.d.ev_arg = TOE_DRV_EV_ARG_CALLER;
	te->r.settle = settle;
	te->r.eat = eat_notifications;
	if (toe_eut_regs_start(e, err, errlen) < 0)
		goto fail;
	if (cfg->own_bridge)
		settle(e);
	te->r.maybe_events = true;
	e->t0 = toe_sim_cycle(te->s);
	te->exact = !cfg->no_skip && toe_sim_skip_idle && toe_sim_next_timer &&
		    toe_sim_next_timer(te->s, NULL) >= 0;
	snprintf(e->desc, sizeof(e->desc),
		 "engine (Verilator toe_top, %u connections, TICK_HZ %llu: "
		 "1 cycle = %.3g us, seed %u, idle time %s)", e->max_conns,
		 (unsigned long long)e->tick_hz, 1e6 / (double)e->tick_hz,
		 cfg->seed ? cfg->seed : 1,
		 te->exact ? "skipped exactly (toe_sim_skip_idle)" :
		 toe_sim_warp && !cfg->no_skip ? "skipped (toe_sim_warp)" :
		 "stepped");
	return e;
fail:
	toe_sim_destroy(te->s);
	free(te);
	return NULL;
}
