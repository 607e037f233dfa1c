/* SPDX-License-Identifier: MIT */
/*
 * toe_simd.c - toe-simd, the simulation daemon: the engine (the Verilator
 * model of rtl/toe_top.v, or the reference stack with --engine=ref) with
 * its MAC on a TAP link inside a network namespace it creates, facing the
 * real Linux TCP/IP stack (docs/linux-interop.md).
 *
 *   toe-simd [OPTIONS] serve   run until SIGINT/SIGTERM (or --run-for):
 *                              the host bridge on tcp://127.0.0.1:PORT for
 *                              toectl and the host library
 *   toe-simd [OPTIONS] demo    what `make demo` runs: Linux connects to
 *                              the engine and closes; the engine connects
 *                              to Linux and closes; every frame printed as
 *                              it crosses; a summary; exit 0 only if every
 *                              step happened as expected
 *
 * Exit status: 0 success, 1 failure (a step went wrong, the namespace or
 * TAP could not be made), 2 usage error.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe_parse.h"
#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_simd_session.h"
#include "toe_simd_show.h"
#include "toe_wire.h"
#ifdef TOE_SIMD_HOSTSRV
#include "toe_hostsrv.h"
#endif

#define EXIT_USAGE 2

/* Option ranges (checked in main: a bad value is a usage error naming the
 * option and the value).
 * TICK_HZ: the engine's ISN clock M ticks every TICK_HZ / 250000 cycles
 * (4 us, RFC 6528; docs/regmap.md TICK_HZ), so TICK_HZ must be a whole
 * multiple of 250000: the divider cannot tick more often than once a
 * cycle, and simd_engine_new refuses anything else. 250000 is therefore
 * the least rate the engine can honour (the timers are durations in
 * ticks, fine at any rate from there); the most is the largest such
 * multiple that fits the 32-bit TICK_HZ register. */
#define TICK_HZ_STEP 250000u
#define TICK_HZ_MAX ((uint64_t)UINT32_MAX / TICK_HZ_STEP * TICK_HZ_STEP)
#define TICK_HZ_WANT "a multiple of 250000 (the 4 us ISN clock) in " \
	"250000..4294750000"
_Static_assert(TICK_HZ_MAX == 4294750000u, "TICK_HZ_WANT says 4294750000");
/* MSL: a day at most, far above RFC 9293's 2 minutes and small enough
 * that msl_ms * TICK_HZ (the MSL in ticks, before / 1000) and TIME-WAIT's
 * 2 MSL fit 64 bits at TICK_HZ_MAX. */
#define MSL_MS_MAX 86400000
#define STR_(x) #x
#define STR(x) STR_(x)
/* --run-for: seconds; its end in ns on the monotonic clock must fit 64
 * bits (1e9 s is about 31 years). */
#define RUN_FOR_MAX_S 1e9

/* demo ports */
#define DEMO_ENGINE_PORT 4000 /* the engine listens here */
#define DEMO_LINUX_PORT 5000  /* Linux listens here */
#define DEMO_ACTIVE_PORT 30000 /* the engine's port when it connects */
#define DEMO_LINE "hello, engine\n"
#define STEP_TIMEOUT_MS 30000

static volatile int got_signal;

struct options {
	enum simd_engine_kind kind;
	uint64_t tick_hz;
	uint64_t msl_ms;
	const char *pcap;
	const char *waves;
	enum simd_link link;
	const char *netns;
	uint32_t seed;
	unsigned port;
	int listen_port;
	double run_for;
	bool verbose, quiet;
};

static void usage(FILE *out)
{
	fputs("usage: toe-simd [OPTIONS] serve|demo\n"
	      "\n"
	      "Run the TCP offload engine against the Linux kernel: the engine's\n"
	      "MAC is a TAP link in a network namespace this program creates\n"
	      "(toe-sim-PID) and removes; Linux is 192.0.2.1 on toe0 there, the\n"
	      "engine 192.0.2.2. No static ARP: Linux finds the engine by ARP.\n"
	      "\n"
	      "  serve            run until Ctrl-C; the host bridge is served on\n"
	      "                   tcp://127.0.0.1:PORT (rtl engine)\n"
	      "  demo             Linux connects to the engine and closes, the\n"
	      "                   engine connects to Linux and closes\n"
	      "\n"
	      "Options:\n"
	      "  --engine=rtl|ref the RTL model (default when built) or the C\n"
	      "                   reference stack standing in for it\n"
	      "  --port=N         host bridge port 0..65535 (serve; default 5555,\n"
	      "                   0: any)\n"
	      "  --listen=PORT    serve: the engine listens on PORT (1..65535)\n"
	      "                   at start\n"
	      "  --run-for=SECS   serve: stop after SECS seconds (> 0, e.g. 2.5)\n"
	      "  --pcap=FILE      write every frame on the wire to FILE\n"
	      "  --waves=FILE     rtl: write an FST waveform\n"
	      "  --tick-hz=N      engine ticks per second (TICK_HZ), a multiple\n"
	      "                   of 250000 up to 4294750000; default: the rtl\n"
	      "                   model's measured speed / 2, ref 156250000\n"
	      "  --msl-ms=N       engine MSL, 1..86400000 (default 500:\n"
	      "                   TIME-WAIT 1 s)\n"
	      "  --link=tap|veth  link type (default: TAP, else veth)\n"
	      "  --netns=NAME     namespace name (default toe-sim-PID): a plain\n"
	      "                   name, 1..63 of [A-Za-z0-9_.-]\n"
	      "  --seed=N         rtl: Verilator random-init seed, 32 bits\n"
	      "                   (default 1)\n"
	      "  -v, --verbose    decode frames in full\n"
	      "  -q, --quiet      serve: do not print frames\n"
	      "\n"
	      "Exit status: 0 success, 1 failure, 2 usage error.\n", out);
}

/* ------------------------------------------------------------------ */
/* demo                                                               */
/* ------------------------------------------------------------------ */

#define MAX_STATES 16

struct track {
	int conn;
	bool passive;
	int states[MAX_STATES];
	int n;
	bool closed_event;
	bool established, peer_fin;
	bool retired;         /* its step is over (the id may be reused) */
	char rx[256];
	size_t rx_n;
};

struct demo {
	struct simd_session s;
	const struct options *o;
	unsigned show;
	uint64_t t0_usec;
	bool activity;        /* a frame crossed since the last look */
	int step;             /* 1: passive, 2: active */
	/* the SYN of step 1, to find its connection */
	bool syn_seen;
	uint16_t syn_port;
	/* cycle measurements */
	uint64_t syn_last, synack_last, fin_last;
	bool want_synack, want_ack, want_finack;
	uint32_t fin_ack_expected;
	int64_t syn_synack, synack_ack, fin_ack;
	struct track t[3];    /* [1] passive, [2] active */
	bool failed;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void demo_frame(void *arg, const struct simd_xframe *x)
{
	struct demo *d = arg;
	struct toe_frame f;

	simd_show_frame(stdout, x, d->t0_usec, d->show);
	fflush(stdout);
	d->activity = true;
	if (toe_parse_frame(x->buf, x->len, &f) != TOE_PARSE_OK)
		return;
	if (x->dir == SIMD_TO_ENGINE) {
		uint8_t fl = f.seg.flags;

		if ((fl & (TOE_TCP_SYN | TOE_TCP_ACK)) == TOE_TCP_SYN) {
			d->syn_last = x->last;
			d->want_synack = d->syn_synack < 0;
			if (d->step == 1 && !d->syn_seen) {
				d->syn_seen = true;
				d->syn_port = f.seg.src_port;
			}
		} else if ((fl & (TOE_TCP_SYN | TOE_TCP_ACK)) ==
			   (TOE_TCP_SYN | TOE_TCP_ACK)) {
			d->synack_last = x->last;
			d->want_ack = d->synack_ack < 0;
		}
		if (fl & TOE_TCP_FIN) {
			d->fin_last = x->last;
			d->want_finack = d->fin_ack < 0;
			d->fin_ack_expected = f.seg.seq + f.seg.len + 1;
		}
		return;
	}
	/* engine -> Linux: the reply to what came in last */
	if (d->want_synack && (f.seg.flags & TOE_TCP_SYN) &&
	    (f.seg.flags & TOE_TCP_ACK)) {
		d->syn_synack = (int64_t)(x->first - d->syn_last);
		d->want_synack = false;
	} else if (d->want_ack && f.seg.flags == TOE_TCP_ACK) {
		d->synack_ack = (int64_t)(x->first - d->synack_last);
		d->want_ack = false;
	}
	if (d->want_finack && (f.seg.flags & TOE_TCP_ACK) &&
	    f.seg.ack == d->fin_ack_expected) {
		d->fin_ack = (int64_t)(x->first - d->fin_last);
		d->want_finack = false;
	}
}

static void track_state(struct demo *d, struct track *t)
{
	int st;

	if (t->conn < 0)
		return;
	st = simd_engine_conn_state(d->s.eng, t->conn);
	if (st < 0)
		return;
	if (t->n && t->states[t->n - 1] == st)
		return;
	if (t->n < MAX_STATES)
		t->states[t->n++] = st;
	say("          engine: connection %d is now %s\n", t->conn,
	    toe_tcp_state_name(st));
}

/* The connection the step-1 SYN created: scan the table for its port. */
static void find_passive(struct demo *d)
{
	struct track *t = &d->t[1];
	unsigned max = simd_engine_max_conns(d->s.eng);

	if (t->conn >= 0 || !d->syn_seen)
		return;
	for (unsigned i = 0; i < max; i++) {
		struct toe_ref_conn_info ci;
		int st = simd_engine_conn_state(d->s.eng, (int)i);

		if (st <= TOE_ST_CLOSED)
			continue;
		if (simd_engine_conn_info(d->s.eng, (int)i, &ci) == 0 &&
		    ci.remote_port == d->syn_port) {
			t->conn = (int)i;
			return;
		}
	}
}

static const char *printable(const char *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf[o++] = (char)c;
		} else {
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
		}
	}
	buf[o] = 0;
	return buf;
}

static struct track *track_of(struct demo *d, int conn)
{
	for (int i = 1; i <= 2; i++)
		if (d->t[i].conn == conn && !d->t[i].retired)
			return &d->t[i];
	return NULL;
}

static void demo_events(struct demo *d)
{
	struct simd_event ev;
	uint8_t buf[2048];
	uint16_t pc;
	size_t n;
	char pr[600], when[32];

	while ((n = simd_engine_pop_payload(d->s.eng, &pc, buf, sizeof(buf))) > 0) {
		struct track *t = track_of(d, pc);

		say("          engine: %zu bytes of payload on connection %u: "
		    "\"%s\"\n", n, pc, printable((char *)buf, n, pr, sizeof(pr)));
		if (t && t->rx_n + n <= sizeof(t->rx)) {
			memcpy(t->rx + t->rx_n, buf, n);
			t->rx_n += n;
		}
	}
	while (simd_engine_pop_event(d->s.eng, &ev) == 1) {
		struct track *t;

		if (ev.type == TOE_EV_ESTABLISHED && d->step == 1 &&
		    d->t[1].conn < 0)
			d->t[1].conn = ev.conn;
		t = track_of(d, ev.conn);
		simd_show_time(simd_engine_cycle(d->s.eng) * 1000000u /
			       simd_engine_tick_hz(d->s.eng) - d->t0_usec, when,
			       sizeof(when));
		if (ev.type == TOE_EV_RX_DATA)
			say("          engine: event RX_DATA, connection %d, %u "
			    "bytes (at %s)\n", ev.conn, ev.arg, when);
		else
			say("          engine: event %s, connection %d (at %s)\n",
			    toe_ref_event_name(ev.type), ev.conn, when);
		if (!t)
			continue;
		track_state(d, t);
		switch (ev.type) {
		case TOE_EV_ESTABLISHED:
			t->established = true;
			if (!t->passive) {
				say("          engine: close(connection %d): "
				    "the engine closes first\n", t->conn);
				if (simd_engine_close(d->s.eng, t->conn) < 0)
					d->failed = true;
				track_state(d, t);
			}
			break;
		case TOE_EV_PEER_FIN:
			t->peer_fin = true;
			if (t->passive) {
				say("          engine: close(connection %d): "
				    "Linux closed, the engine closes too\n",
				    t->conn);
				if (simd_engine_close(d->s.eng, t->conn) < 0)
					d->failed = true;
				track_state(d, t);
			}
			break;
		case TOE_EV_CLOSED:
			t->closed_event = true;
			break;
		default:
			break;
		}
	}
}

static void demo_peer_output(struct simd_peer *p)
{
	while (p->shown < p->n) {
		char *nl = memchr(p->out + p->shown, '\n', p->n - p->shown);
		size_t len;

		if (!nl && !p->done)
			return;
		len = nl ? (size_t)(nl - (p->out + p->shown)) : p->n - p->shown;
		say("          Linux: %.*s\n", (int)len, p->out + p->shown);
		p->shown += len + (nl ? 1 : 0);
	}
}

/* Run the wire, handle events and watch the step's connections until
 * the peer exited and the connection reported CLOSED. */
static int demo_run(struct demo *d, struct simd_peer *p, struct track *t)
{
	uint64_t end = simd_mono_ns() + (uint64_t)STEP_TIMEOUT_MS * 1000000u;

	for (;;) {
		if (got_signal) {
			say("interrupted by signal %d\n", got_signal);
			return -1;
		}
		if (simd_wire_poll(d->s.wire, 2) < 0) {
			say("the link to Linux failed\n");
			return -1;
		}
		if (d->step == 1)
			find_passive(d);
		demo_events(d);
		if (d->activity) {
			d->activity = false;
			track_state(d, t);
		}
		simd_peer_pump(&d->s, p);
		demo_peer_output(p);
		if (p->done && t->closed_event) {
			track_state(d, t);
			if (t->n && t->states[t->n - 1] == TOE_ST_CLOSED)
				return 0;
		}
		if (simd_mono_ns() > end) {
			say("step %d timed out after %d s\n", d->step,
			    STEP_TIMEOUT_MS / 1000);
			simd_peer_kill(&d->s, p);
			return -1;
		}
	}
}

static void print_cmd(const struct demo *d, const char *const args[])
{
	say("$ ip netns exec %s %s", d->s.net.ns_name, d->s.peer_bin);
	for (int i = 0; args[i]; i++) {
		char pr[128];

		if (strchr(args[i], ' ') || strchr(args[i], '\n'))
			say(" $'%s'", printable(args[i], strlen(args[i]), pr,
						sizeof(pr)));
		else
			say(" %s", args[i]);
	}
	say("\n");
}

static bool states_are(const struct track *t, const int *want, int n)
{
	if (t->n != n)
		return false;
	for (int i = 0; i < n; i++)
		if (t->states[i] != want[i])
			return false;
	return true;
}

static void states_str(const struct track *t, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < t->n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " -> " : "",
				      toe_tcp_state_name(t->states[i]));
}

static int run_demo(const struct options *o)
{
	static struct demo d; /* large (peer output buffers) */
	struct simd_session_opts so;
	struct simd_peer peer;
	struct simd_wire_stats ws;
	char err[512], lmac[18], emac[18], st[256];
	const uint8_t engine_mac[6] = SIMD_ENGINE_MAC;
	int rc, ok = 1, n_in_use;
	unsigned frames;

	memset(&d, 0, sizeof(d));
	d.o = o;
	d.show = o->verbose ? SIMD_SHOW_FULL | SIMD_SHOW_CYCLES :
			      SIMD_SHOW_CYCLES;
	d.syn_synack = d.synack_ack = d.fin_ack = -1;
	for (int i = 0; i < 3; i++)
		d.t[i].conn = -1;
	d.t[1].passive = true;

	memset(&so, 0, sizeof(so));
	so.kind = o->kind;
	so.tick_hz = o->tick_hz;
	so.msl_ms = o->msl_ms;
	so.seed = o->seed;
	so.pcap_path = o->pcap;
	so.fst_path = o->waves;
	so.link = o->link;
	so.ns_name = o->netns;
	so.on_frame = demo_frame;
	so.arg = &d;
	so.one_frame = true;
	if (o->kind == SIMD_ENGINE_RTL)
		say("building the engine model and measuring its speed...\n");
	if (simd_session_open(&d.s, &so, err, sizeof(err)) < 0) {
		fprintf(stderr, "toe-simd: %s\n", err);
		return 1;
	}
	d.t0_usec = simd_engine_cycle(d.s.eng) * 1000000u /
		    simd_engine_tick_hz(d.s.eng);

	say("\n### The engine against the Linux kernel\n\n");
	say("namespace %s\n", d.s.net.ns_name);
	say("  Linux   192.0.2.1 on %s, MAC %s (read from the link)\n",
	    d.s.net.ifname, simd_mac_str(d.s.net.linux_mac, lmac));
	say("  engine  192.0.2.2, MAC %s: %s\n", simd_mac_str(engine_mac, emac),
	    o->kind == SIMD_ENGINE_RTL ?
	    "the RTL (Verilator model of rtl/toe_top.v)" :
	    "the reference stack (--engine=ref)");
	say("  time    TICK_HZ %" PRIu64 ", engine time = cycles / TICK_HZ, "
	    "paced to the wall clock", simd_engine_tick_hz(d.s.eng));
	if (d.s.model_rate > 0) {
		double ratio = d.s.model_rate /
			       (double)simd_engine_tick_hz(d.s.eng);

		say(";\n          the model does %.2f M cycles/s",
		    d.s.model_rate / 1e6);
		if (ratio < 1.0)
			say(", so engine time runs at about %.2fx\n          "
			    "wall time (its timers fire late, never early)",
			    ratio);
	}
	say("; MSL %" PRIu64 " ms\n", o->msl_ms ? o->msl_ms : 500);
	say("Frames as they cross (engine time in seconds; below each, the "
	    "engine cycles\nof its first and last beat):\n");

	/* ---- step 1: Linux connects, sends a line, closes ---- */
	{
		const char *const args[] = { "client", "192.0.2.2:4000", "-l",
					     DEMO_LINE, "-v", NULL };

		d.step = 1;
		say("\n--- 1. The engine listens on port %d; Linux connects, sends "
		    "a line and closes\n", DEMO_ENGINE_PORT);
		if (simd_engine_listen(d.s.eng, DEMO_ENGINE_PORT) < 0) {
			say("engine: listen failed\n");
			ok = 0;
			goto out;
		}
		print_cmd(&d, args);
		if (simd_peer_start(&d.s, &peer, args) < 0) {
			say("cannot start %s\n", d.s.peer_bin);
			ok = 0;
			goto out;
		}
		rc = demo_run(&d, &peer, &d.t[1]);
		d.t[1].retired = true;
		demo_peer_output(&peer);
		if (rc < 0 || peer.status != 0)
			ok = 0;
	}

	/* ---- step 2: the engine connects to Linux and closes ---- */
	if (ok) {
		const char *const args[] = { "server", "5000", "-n", "1", "-m",
					     "E", "-v", NULL };
		int c;

		d.step = 2;
		say("\n--- 2. Linux listens on port %d; the engine connects from "
		    "port %d and closes first\n", DEMO_LINUX_PORT,
		    DEMO_ACTIVE_PORT);
		print_cmd(&d, args);
		if (simd_peer_start(&d.s, &peer, args) < 0 ||
		    simd_peer_wait_line(&d.s, &peer, "ready", 10000) < 0) {
			say("the Linux listener did not start\n");
			ok = 0;
			goto out;
		}
		demo_peer_output(&peer);
		say("          engine: connect(192.0.2.1:%d) from port %d, to "
		    "MAC %s\n", DEMO_LINUX_PORT, DEMO_ACTIVE_PORT, lmac);
		c = simd_engine_connect(d.s.eng, DEMO_ACTIVE_PORT, SIMD_LINUX_IP,
					DEMO_LINUX_PORT, d.s.net.linux_mac);
		if (c < 0) {
			say("engine: connect failed (%d)\n", c);
			ok = 0;
			goto out;
		}
		d.t[2].conn = c;
		track_state(&d, &d.t[2]);
		rc = demo_run(&d, &peer, &d.t[2]);
		d.t[2].retired = true;
		demo_peer_output(&peer);
		if (rc < 0 || peer.status != 0)
			ok = 0;
	}

out:
	/* ---- summary ---- */
	n_in_use = simd_engine_conn_count(d.s.eng);
	simd_wire_stats(d.s.wire, &ws);
	frames = simd_wire_frames(d.s.wire);
	say("\n=== Summary\n");
	{
		static const int want1[] = { TOE_ST_SYN_RECEIVED,
			TOE_ST_ESTABLISHED, TOE_ST_CLOSE_WAIT, TOE_ST_LAST_ACK,
			TOE_ST_CLOSED };
		static const int want2a[] = { TOE_ST_SYN_SENT,
			TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
			TOE_ST_FIN_WAIT_2, TOE_ST_TIME_WAIT, TOE_ST_CLOSED };
		/* Linux may ACK our FIN and send its own in one segment */
		static const int want2b[] = { TOE_ST_SYN_SENT,
			TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
			TOE_ST_TIME_WAIT, TOE_ST_CLOSED };
		bool ok1 = states_are(&d.t[1], want1, 5);
		bool ok2 = states_are(&d.t[2], want2a, 6) ||
			   states_are(&d.t[2], want2b, 5);
		bool rx_ok = d.t[1].rx_n == strlen(DEMO_LINE) &&
			     !memcmp(d.t[1].rx, DEMO_LINE, d.t[1].rx_n);
		char pr[600];

		states_str(&d.t[1], st, sizeof(st));
		say("  connection 1, Linux -> engine port %d (passive open, "
		    "Linux closed first):\n    %s  %s\n", DEMO_ENGINE_PORT,
		    d.t[1].n ? st : "(never seen)", ok1 ? "ok" : "UNEXPECTED");
		say("    payload received: \"%s\"  %s\n",
		    printable(d.t[1].rx, d.t[1].rx_n, pr, sizeof(pr)),
		    rx_ok ? "ok" : "UNEXPECTED");
		states_str(&d.t[2], st, sizeof(st));
		say("  connection 2, engine port %d -> Linux port %d (active "
		    "open, engine closed first):\n    %s  %s\n",
		    DEMO_ACTIVE_PORT, DEMO_LINUX_PORT,
		    d.t[2].n ? st : "(never seen)", ok2 ? "ok" : "UNEXPECTED");
		if (!ok1 || !ok2 || !rx_ok)
			ok = 0;
	}
	say("  engine cycles, last beat in -> first beat out of the reply:\n");
	if (d.syn_synack >= 0)
		say("    SYN -> SYN-ACK   %" PRId64 " cycles\n", d.syn_synack);
	if (d.synack_ack >= 0)
		say("    SYN-ACK -> ACK   %" PRId64 " cycles\n", d.synack_ack);
	if (d.fin_ack >= 0)
		say("    FIN -> ACK       %" PRId64 " cycles\n", d.fin_ack);
	if (d.syn_synack < 0 || d.synack_ack < 0 || d.fin_ack < 0) {
		say("    (a handshake reply was not seen)\n");
		ok = 0;
	}
	say("  connections in use at the end: %d  %s\n", n_in_use,
	    n_in_use == 0 ? "ok" : "UNEXPECTED");
	if (n_in_use != 0)
		ok = 0;
	say("  %u frames on the wire, %" PRIu64 " engine cycles in %.2f s "
	    "(%.2f M cycles/s)", frames, ws.cycles, ws.wall_s,
	    ws.wall_s > 0 ? (double)ws.cycles / ws.wall_s / 1e6 : 0.0);
	if (ws.slips)
		say(", pacing slips: %" PRIu64, ws.slips);
	say("\n");
	if (o->pcap)
		say("  pcap: %s\n", o->pcap);
	if (d.failed)
		ok = 0;
	say("  result: %s\n", ok ? "every step happened as expected" :
		"FAILED (see above)");
	simd_session_close(&d.s);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* serve                                                              */
/* ------------------------------------------------------------------ */

struct serve {
	struct simd_session s;
	const struct options *o;
	uint64_t t0_usec;
};

static void serve_frame(void *arg, const struct simd_xframe *x)
{
	struct serve *sv = arg;

	if (sv->o->quiet)
		return;
	simd_show_frame(stdout, x, sv->t0_usec,
			sv->o->verbose ? SIMD_SHOW_FULL | SIMD_SHOW_CYCLES : 0);
	fflush(stdout);
}

/* ref engine (no host bridge): the daemon plays the host itself. */
static void serve_ref_events(struct serve *sv)
{
	struct simd_event ev;
	uint8_t buf[2048];
	uint16_t c;

	while (simd_engine_pop_payload(sv->s.eng, &c, buf, sizeof(buf)) > 0)
		;
	while (simd_engine_pop_event(sv->s.eng, &ev) == 1) {
		if (!sv->o->quiet)
			say("          engine: event %s, connection %d\n",
			    toe_ref_event_name(ev.type), ev.conn);
		if (ev.type == TOE_EV_PEER_FIN)
			simd_engine_close(sv->s.eng, ev.conn);
	}
}

static int run_serve(const struct options *o)
{
	static struct serve sv;
	struct simd_session_opts so;
	struct simd_wire_stats ws;
	char err[512], lmac[18], emac[18];
	const uint8_t engine_mac[6] = SIMD_ENGINE_MAC;
	struct toe_sim *sim;
	uint64_t end = 0;
	struct toe_hostsrv *hs = NULL; /* stays NULL without the server */

	memset(&sv, 0, sizeof(sv));
	sv.o = o;
	memset(&so, 0, sizeof(so));
	so.kind = o->kind;
	so.tick_hz = o->tick_hz;
	so.msl_ms = o->msl_ms;
	so.seed = o->seed;
	so.pcap_path = o->pcap;
	so.fst_path = o->waves;
	so.link = o->link;
	so.ns_name = o->netns;
	so.on_frame = serve_frame;
	so.arg = &sv;
	/* short rounds: a host bridge request waits at most one round */
	so.slice_us = 100;
	if (simd_session_open(&sv.s, &so, err, sizeof(err)) < 0) {
		fprintf(stderr, "toe-simd: %s\n", err);
		return 1;
	}
	sv.t0_usec = simd_engine_cycle(sv.s.eng) * 1000000u /
		     simd_engine_tick_hz(sv.s.eng);
	sim = simd_engine_sim(sv.s.eng);
	if (o->listen_port > 0 &&
	    simd_engine_listen(sv.s.eng, (uint16_t)o->listen_port) < 0) {
		fprintf(stderr, "toe-simd: the engine cannot listen on %d\n",
			o->listen_port);
		simd_session_close(&sv.s);
		return 1;
	}
	if (sim) {
		/* The peer MAC for CONNECT: Linux's, preloaded (a host that
		 * connects to 192.0.2.1 can leave CMD_REMOTE_MAC alone). */
		const uint8_t *m = sv.s.net.linux_mac;

		simd_engine_csr_write(sv.s.eng, TOE_REG_CMD_REMOTE_MAC_HI,
				      toe_get_be16(m));
		simd_engine_csr_write(sv.s.eng, TOE_REG_CMD_REMOTE_MAC_LO,
				      toe_get_be32(m + 2));
	}
	say("toe-simd: %s engine on %s in namespace %s\n",
	    simd_engine_kind_name(o->kind), sv.s.net.ifname, sv.s.net.ns_name);
	say("  Linux  192.0.2.1  MAC %s (toe0)\n",
	    simd_mac_str(sv.s.net.linux_mac, lmac));
	say("  engine 192.0.2.2  MAC %s\n", simd_mac_str(engine_mac, emac));
	say("  TICK_HZ %" PRIu64 "", simd_engine_tick_hz(sv.s.eng));
	if (sv.s.model_rate > 0)
		say(" (model measured at %.2f M cycles/s)", sv.s.model_rate / 1e6);
	say("\n");
	if (o->listen_port > 0)
		say("  the engine listens on port %d\n", o->listen_port);
	if (o->pcap)
		say("  pcap: %s\n", o->pcap);
#ifdef TOE_SIMD_HOSTSRV
	if (sim) {
		hs = toe_hostsrv_new(sim, (uint16_t)o->port, err, sizeof(err));
		if (!hs) {
			fprintf(stderr, "toe-simd: host bridge server: %s\n", err);
			simd_session_close(&sv.s);
			return 1;
		}
		say("  host bridge: tcp://127.0.0.1:%u   e.g. toectl -d "
		    "tcp://127.0.0.1:%u info\n", toe_hostsrv_port(hs),
		    toe_hostsrv_port(hs));
	}
#else
	if (sim)
		say("  host bridge: not served (this build has no "
		    "sim/toe_hostsrv.c)\n");
#endif
	if (!sim)
		say("  the ref engine has no host bridge: this daemon plays the "
		    "host (closes when the peer closes)\n");
	say("  Linux side: ip netns exec %s <command>\n", sv.s.net.ns_name);
	say("  Ctrl-C stops and removes the namespace.\n");

	if (o->run_for > 0)
		end = simd_mono_ns() + (uint64_t)(o->run_for * 1e9);
	while (!got_signal && (!end || simd_mono_ns() < end)) {
		int64_t lead;

		if (simd_wire_poll(sv.s.wire, hs ? 0 : 1) < 0) {
			fprintf(stderr, "toe-simd: the link failed\n");
			break;
		}
#ifdef TOE_SIMD_HOSTSRV
		/* Host bridge bytes in, the engine stepped until it has
		 * answered, the answer out at once; when the engine is ahead
		 * of the wall clock, wait here (up to 1 ms) for the client
		 * rather than on the link. */
		lead = simd_wire_lead_ns(sv.s.wire);
		if (hs) {
			int n = toe_hostsrv_poll(hs, lead > 1000000 ? 1 : 0);

			if (n < 0) {
				perror("toe-simd: host bridge server");
				break;
			}
			if (n > 0) {
				simd_wire_settle(sv.s.wire);
				toe_hostsrv_poll(hs, 0);
			}
		}
#else
		(void)lead;
#endif
		if (!sim)
			serve_ref_events(&sv);
	}
	simd_wire_stats(sv.s.wire, &ws);
	say("toe-simd: %" PRIu64 " frames to the engine, %" PRIu64 " to Linux; "
	    "%" PRIu64 " cycles in %.1f s (%.2f M cycles/s), %" PRIu64
	    " pacing slips\n", ws.to_engine, ws.to_linux, ws.cycles, ws.wall_s,
	    ws.wall_s > 0 ? (double)ws.cycles / ws.wall_s / 1e6 : 0.0,
	    ws.slips);
#ifdef TOE_SIMD_HOSTSRV
	toe_hostsrv_free(hs);
#endif
	simd_session_close(&sv.s);
	return 0;
}

/* ------------------------------------------------------------------ */

/* A usage error in one line: the option, its value, what it wants. */
static int bad_arg(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "toe-simd: bad --%s '%s': want %s\n", opt, val, want);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "port", required_argument, NULL, 'P' },
		{ "listen", required_argument, NULL, 'L' },
		{ "run-for", required_argument, NULL, 'R' },
		{ "pcap", required_argument, NULL, 'w' },
		{ "waves", required_argument, NULL, 'W' },
		{ "tick-hz", required_argument, NULL, 'T' },
		{ "msl-ms", required_argument, NULL, 'M' },
		{ "link", required_argument, NULL, 'k' },
		{ "netns", required_argument, NULL, 'N' },
		{ "seed", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o;
	uint64_t v;
	int opt, rc;

	memset(&o, 0, sizeof(o));
	o.kind = simd_engine_have_rtl() ? SIMD_ENGINE_RTL : SIMD_ENGINE_REF;
	o.port = 5555;
	o.seed = 1;
	while ((opt = getopt_long(argc, argv, "vqh", lopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			if (!strcmp(optarg, "rtl"))
				o.kind = SIMD_ENGINE_RTL;
			else if (!strcmp(optarg, "ref"))
				o.kind = SIMD_ENGINE_REF;
			else
				return bad_arg("engine", optarg, "rtl|ref");
			break;
		case 'P':
			if (toe_parse_u64(optarg, 0, 65535, &v) < 0)
				return bad_arg("port", optarg,
					       "0..65535 (0: any free port)");
			o.port = (unsigned)v;
			break;
		case 'L':
			if (toe_parse_u64(optarg, 1, 65535, &v) < 0)
				return bad_arg("listen", optarg, "1..65535");
			o.listen_port = (int)v;
			break;
		case 'R':
			if (toe_parse_double(optarg, 0, RUN_FOR_MAX_S,
					     &o.run_for) < 0 || o.run_for <= 0)
				return bad_arg("run-for", optarg, "a number of "
					       "seconds > 0 and <= 1e9");
			break;
		case 'w': o.pcap = optarg; break;
		case 'W': o.waves = optarg; break;
		case 'T':
			if (toe_parse_u64(optarg, TICK_HZ_STEP, TICK_HZ_MAX,
					  &o.tick_hz) < 0 ||
			    o.tick_hz % TICK_HZ_STEP != 0)
				return bad_arg("tick-hz", optarg, TICK_HZ_WANT);
			break;
		case 'M':
			if (toe_parse_u64(optarg, 1, MSL_MS_MAX, &o.msl_ms) < 0)
				return bad_arg("msl-ms", optarg,
					       "1.." STR(MSL_MS_MAX) " (ms)");
			break;
		case 'k':
			if (!strcmp(optarg, "tap"))
				o.link = SIMD_LINK_TAP;
			else if (!strcmp(optarg, "veth"))
				o.link = SIMD_LINK_VETH;
			else
				return bad_arg("link", optarg, "tap|veth");
			break;
		case 'N':
			if (!simd_net_ns_name_ok(optarg))
				return bad_arg("netns", optarg,
					       SIMD_NS_NAME_WANT);
			o.netns = optarg;
			break;
		case 's':
			if (toe_parse_u64(optarg, 0, UINT32_MAX, &v) < 0)
				return bad_arg("seed", optarg, "0..4294967295 "
					       "(32 bits)");
			o.seed = (uint32_t)v;
			break;
		case 'v': o.verbose = true; break;
		case 'q': o.quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc - 1)
		goto bad;
	if (o.kind == SIMD_ENGINE_RTL && !simd_engine_have_rtl()) {
		fprintf(stderr, "toe-simd: this build has no RTL engine model; "
			"use --engine=ref\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	simd_net_install_signals(&got_signal);
	if (!strcmp(argv[optind], "serve"))
		rc = run_serve(&o);
	else if (!strcmp(argv[optind], "demo"))
		rc = run_demo(&o);
	else
		goto bad;
	return rc;
bad:
	usage(stderr);
	return EXIT_USAGE;
}
