/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_wire.c - frames between the namespace's link and the engine,
 * the engine's clock paced to wall time, the pcap (toe_simd_wire.h).
 *
 * The pcap is written with libpcap at nanosecond resolution, so an engine
 * cycle stays visible (at TICK_HZ 2 MHz a cycle is 500 ns); it is flushed
 * after every frame and can be read while the wire runs.
 */
#include "toe_simd_wire.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FRAME_MAX 16384
#define HOLDQ 256
/* steps while a frame is fed or the engine is busy */
#define FEED_STEP 4
#define BUSY_STEP 16
/* a busy engine that does not settle within this many cycles is left to
 * the pacing (it may be a long host-bridge exchange) */
#define BUSY_MAX 200000

struct held {
	enum simd_dir dir;
	uint64_t release; /* engine cycle */
	size_t len;
	uint8_t buf[TOE_ETH_MAX_FRAME + 4];
};

struct simd_wire {
	struct simd_wire_opts o;
	pcap_t *pd;
	pcap_dumper_t *dump;
	uint64_t hz;
	uint64_t wall0, cyc0;   /* pacing origin */
	uint64_t wall_start, cyc_start;
	unsigned frames;
	struct held *hq;        /* ring of held frames */
	unsigned hq_head, hq_n;
	unsigned hq_dir[2];     /* held frames per direction */
	struct simd_wire_stats st;
	bool link_failed;       /* found by the pump, said by the next poll */
	uint8_t buf[FRAME_MAX];
};

uint64_t simd_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t ticks_to_ns(const struct simd_wire *w, uint64_t t)
{
	return (uint64_t)((unsigned __int128)t * 1000000000u / w->hz);
}

static void pump(void *arg);

struct simd_wire *simd_wire_new(const struct simd_wire_opts *o, char *err,
				size_t errlen)
{
	struct simd_wire *w = calloc(1, sizeof(*w));

	if (!w || !(w->hq = calloc(HOLDQ, sizeof(*w->hq)))) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->o = *o;
	w->hz = toe_eut_tick_hz(o->eng);
	if (!w->o.max_lag)
		w->o.max_lag = w->hz / 5;
	if (!w->o.slice_us)
		w->o.slice_us = 1000;
	if (o->pcap_path) {
		w->pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
				PCAP_TSTAMP_PRECISION_NANO);
		w->dump = w->pd ? pcap_dump_open(w->pd, o->pcap_path) : NULL;
		if (!w->dump) {
			snprintf(err, errlen, "cannot write %s: %s",
				 o->pcap_path, w->pd ? pcap_geterr(w->pd) :
				 "pcap_open_dead failed");
			if (w->pd)
				pcap_close(w->pd);
			free(w->hq);
			free(w);
			return NULL;
		}
	}
	w->wall0 = w->wall_start = simd_mono_ns();
	w->cyc0 = w->cyc_start = toe_eut_tick(o->eng);
	/* one_frame: the caller looks at the engine between frames, so
	 * none may cross while it does */
	if (!o->one_frame)
		toe_eut_set_pump(o->eng, pump, w);
	return w;
}

void simd_wire_free(struct simd_wire *w)
{
	if (!w)
		return;
	toe_eut_set_pump(w->o.eng, NULL, NULL);
	if (w->dump)
		pcap_dump_close(w->dump);
	if (w->pd)
		pcap_close(w->pd);
	free(w->hq);
	free(w);
}

unsigned simd_wire_frames(const struct simd_wire *w)
{
	return w->frames;
}

void simd_wire_flush(struct simd_wire *w)
{
	if (w->dump)
		pcap_dump_flush(w->dump);
}

/* A frame crossed: number it, write it to the pcap, tell the caller. */
static void crossed(struct simd_wire *w, enum simd_dir dir, const uint8_t *buf,
		    size_t len, uint64_t first, uint64_t last)
{
	struct simd_xframe x;
	uint64_t ns = ticks_to_ns(w, first);

	x.no = ++w->frames;
	x.dir = dir;
	x.buf = buf;
	x.len = len;
	x.first = first;
	x.last = last;
	x.ts_usec = ns / 1000;
	if (dir == SIMD_TO_ENGINE)
		w->st.to_engine++;
	else
		w->st.to_linux++;
	if (w->dump) {
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)(ns / 1000000000u);
		/* nanosecond pcap: tv_usec carries nanoseconds */
		h.ts.tv_usec = (suseconds_t)(ns % 1000000000u);
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)w->dump, &h, buf);
		pcap_dump_flush(w->dump);
	}
	if (w->o.on_frame)
		w->o.on_frame(w->o.arg, &x);
}

static void out_frames(struct simd_wire *w);

/* Hold a frame back (the filter said so). */
static void hold(struct simd_wire *w, enum simd_dir dir, const uint8_t *buf,
		 size_t len, uint64_t ticks)
{
	struct held *h;

	if (w->hq_n == HOLDQ || len > sizeof(h->buf)) {
		w->st.dropped++;
		return;
	}
	h = &w->hq[(w->hq_head + w->hq_n++) % HOLDQ];
	h->dir = dir;
	h->release = toe_eut_tick(w->o.eng) + ticks;
	h->len = len;
	memcpy(h->buf, buf, len);
	w->hq_dir[dir]++;
	w->st.held++;
}

/* Feed one frame to the engine and step until its last beat is in. */
static void feed(struct simd_wire *w, const uint8_t *buf, size_t len)
{
	struct toe_eut *e = w->o.eng;
	uint64_t first = toe_eut_tick(e);

	if (toe_eut_push_frame(e, buf, len) < 0) {
		w->st.dropped++;
		return;
	}
	while (toe_eut_rx_pending(e)) {
		toe_eut_step(e, FEED_STEP);
		out_frames(w);
	}
	crossed(w, SIMD_TO_ENGINE, buf, len, first,
		toe_eut_rx_last_tick(e));
	out_frames(w); /* replies made while it was fed (ref: at once) */
}

static void to_linux(struct simd_wire *w, const uint8_t *buf, size_t len,
		     uint64_t first, uint64_t last)
{
	if (simd_net_write(w->o.net, buf, len) < 0)
		w->st.link_errors++;
	crossed(w, SIMD_TO_LINUX, buf, len, first, last);
}

/* Everything the engine sent so far goes to Linux (or the hold queue). */
static void out_frames(struct simd_wire *w)
{
	uint8_t buf[TOE_ETH_MAX_FRAME + 4];
	uint64_t first, last;
	size_t len;

	while ((len = toe_eut_pop_frame(w->o.eng, buf, sizeof(buf), &first,
					    &last, NULL)) > 0) {
		int64_t v = 0;

		if (len > sizeof(buf)) {
			w->st.dropped++;
			continue;
		}
		if (w->o.filter)
			v = w->o.filter(w->o.filter_arg, SIMD_TO_LINUX, buf, len,
					first);
		if (v < 0) {
			w->st.dropped++;
			continue;
		}
		/* keep the order behind frames held earlier */
		if (v > 0 || w->hq_dir[SIMD_TO_LINUX]) {
			hold(w, SIMD_TO_LINUX, buf, len, (uint64_t)v);
			continue;
		}
		to_linux(w, buf, len, first, last);
	}
}

/* Release held frames whose time has come, in order. */
static int release_held(struct simd_wire *w)
{
	int n = 0;

	while (w->hq_n) {
		struct held *h = &w->hq[w->hq_head];
		uint64_t now = toe_eut_tick(w->o.eng);

		if (h->release > now)
			break;
		w->hq_head = (w->hq_head + 1) % HOLDQ;
		w->hq_n--;
		w->hq_dir[h->dir]--;
		if (h->dir == SIMD_TO_ENGINE)
			feed(w, h->buf, h->len);
		else
			to_linux(w, h->buf, h->len, now, now);
		n++;
	}
	return n;
}

/* Frames from Linux. */
static int in_frames(struct simd_wire *w)
{
	int n = 0;
	ssize_t len;

	while ((len = simd_net_read(w->o.net, w->buf, sizeof(w->buf))) > 0) {
		int64_t v = 0;

		if (w->o.filter)
			v = w->o.filter(w->o.filter_arg, SIMD_TO_ENGINE, w->buf,
					(size_t)len, toe_eut_tick(w->o.eng));
		if (v < 0) {
			w->st.dropped++;
			continue;
		}
		if (v > 0 || w->hq_dir[SIMD_TO_ENGINE]) {
			hold(w, SIMD_TO_ENGINE, w->buf, (size_t)len, (uint64_t)v);
			continue;
		}
		feed(w, w->buf, (size_t)len);
		n++;
		if (w->o.one_frame)
			break;
	}
	return len < 0 ? -1 : n;
}

/* The engine's pump (toe_eut_set_pump): called inside a long register
 * access, it moves frames both ways as a poll does, and keeps the pacing's
 * promise: when the access has run engine time more than a slice ahead of
 * the wall clock (a model faster than real time: the board model at
 * TICK_HZ 250000 sent a 1 s RTO in 0.92 s of wall time), it sleeps until
 * the wall clock is back within the slice. */
static void pump(void *arg)
{
	struct simd_wire *w = arg;
	int64_t slice_ns = (int64_t)w->o.slice_us * 1000;
	int64_t lead;

	if (in_frames(w) < 0)
		w->link_failed = true;
	out_frames(w);
	release_held(w);
	lead = simd_wire_lead_ns(w);
	if (lead > slice_ns) {
		int64_t ns = lead - slice_ns;
		struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000),
				       .tv_nsec = (long)(ns % 1000000000) };

		nanosleep(&ts, NULL);
	}
}

/* Step while the engine is working on something, but never more than a
 * slice ahead of the wall clock (the pacing's promise, which Linux's
 * timers and the interop tests' wall-time checks rely on): a model faster
 * than real time would otherwise run ahead by up to BUSY_MAX cycles per
 * round while the host bridge's bytes keep it busy (seen with the board
 * model at TICK_HZ 250000: a 1 s RTO in 0.905 s of wall time). What is
 * left is stepped by simd_wire_poll as the wall clock advances. */
void simd_wire_settle(struct simd_wire *w)
{
	struct toe_eut *e = w->o.eng;
	uint64_t c0 = toe_eut_tick(e);
	int64_t slice_ns = (int64_t)w->o.slice_us * 1000;

	while (toe_eut_busy(e) && toe_eut_tick(e) - c0 < BUSY_MAX &&
	       simd_wire_lead_ns(w) <= slice_ns) {
		toe_eut_step(e, BUSY_STEP);
		out_frames(w);
	}
	out_frames(w);
}

int simd_wire_poll(struct simd_wire *w, int wait_ms)
{
	struct toe_eut *e = w->o.eng;
	uint64_t now, target, cyc, slice = w->hz * w->o.slice_us / 1000000;
	int moved;

	if (!slice)
		slice = 1;
	moved = in_frames(w);
	if (moved < 0 || w->link_failed)
		return -1;
	simd_wire_settle(w);
	moved += release_held(w);

	now = simd_mono_ns();
	target = w->cyc0 + (uint64_t)((unsigned __int128)(now - w->wall0) *
				      w->hz / 1000000000u);
	cyc = toe_eut_tick(e);
	if (cyc < target) {
		uint64_t lag = target - cyc;

		if (lag > w->st.max_lag)
			w->st.max_lag = lag;
		if (lag > w->o.max_lag) {
			/* slip: restart pacing from here */
			w->st.slips++;
			w->st.slipped_ticks += lag;
			w->wall0 = now;
			w->cyc0 = cyc;
		} else {
			toe_eut_step(e, lag < slice ? lag : slice);
			out_frames(w);
			moved += release_held(w);
		}
		return moved;
	}
	if (!moved && wait_ms > 0) {
		/* ahead of the wall clock: sleep until it catches up by one
		 * slice, or a frame arrives */
		uint64_t ahead_ns = ticks_to_ns(w, cyc - target + slice);
		int ms = (int)(ahead_ns / 1000000u);
		struct pollfd p = { .fd = w->o.net->fd, .events = POLLIN };

		if (ms < 1)
			ms = 1;
		if (ms > wait_ms)
			ms = wait_ms;
		poll(&p, 1, ms);
	}
	return moved;
}

int simd_wire_run(struct simd_wire *w, bool (*done)(void *arg), void *arg,
		  int timeout_ms)
{
	uint64_t end = simd_mono_ns() + (uint64_t)timeout_ms * 1000000u;

	while (!done(arg)) {
		if (simd_wire_poll(w, 2) < 0)
			return -1;
		if (simd_mono_ns() > end)
			return done(arg) ? 0 : -1;
	}
	return 0;
}

int64_t simd_wire_lead_ns(const struct simd_wire *w)
{
	uint64_t now = simd_mono_ns();
	uint64_t cyc = toe_eut_tick(w->o.eng) - w->cyc0;
	int64_t engine_ns = (int64_t)ticks_to_ns(w, cyc);

	return engine_ns - (int64_t)(now - w->wall0);
}

void simd_wire_idle(struct simd_wire *w, int ms)
{
	uint64_t end = simd_mono_ns() + (uint64_t)ms * 1000000u;

	while (simd_mono_ns() < end)
		if (simd_wire_poll(w, 2) < 0)
			return;
}

void simd_wire_stats(const struct simd_wire *w, struct simd_wire_stats *st)
{
	*st = w->st;
	st->cycles = toe_eut_tick(w->o.eng) - w->cyc_start;
	st->wall_s = (double)(simd_mono_ns() - w->wall_start) / 1e9;
}
