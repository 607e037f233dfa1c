/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_demo.c - `toe-simd demo`, what `make demo` runs: the engine
 * listens and a Linux client connects, sends a line and closes; then the
 * engine connects to a Linux listener and closes first. Every frame is
 * printed as it crosses, with the engine cycles of its first and last
 * beat; a summary at the end; exit 0 only if every step happened as
 * expected (docs/linux-interop.md).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe_parse.h"
#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_simd.h"
#include "toe_simd_session.h"
#include "toe_simd_show.h"
#include "toe_wire.h"

/* demo ports */
#define DEMO_ENGINE_PORT 4000 /* the engine listens here */
#define DEMO_LINUX_PORT 5000  /* Linux listens here */
#define DEMO_ACTIVE_PORT 30000 /* the engine's port when it connects */
#define DEMO_LINE "hello, engine\n"
#define STEP_TIMEOUT_MS 30000

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
	st = toe_eut_conn_state(d->s.eng, t->conn);
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
	unsigned max = toe_eut_max_conns(d->s.eng);

	if (t->conn >= 0 || !d->syn_seen)
		return;
	for (unsigned i = 0; i < max; i++) {
		struct toe_ref_conn_info ci;
		int st = toe_eut_conn_state(d->s.eng, (int)i);

		if (st <= TOE_ST_CLOSED)
			continue;
		if (toe_eut_conn_info(d->s.eng, (int)i, &ci, true) == 0 &&
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
	struct toe_eut_event ev;
	uint8_t buf[2048];
	uint16_t pc;
	size_t n;
	char pr[600], when[32];

	while ((n = toe_eut_pop_payload(d->s.eng, &pc, buf, sizeof(buf))) > 0) {
		struct track *t = track_of(d, pc);

		say("          engine: %zu bytes of payload on connection %u: "
		    "\"%s\"\n", n, pc, printable((char *)buf, n, pr, sizeof(pr)));
		if (t && t->rx_n + n <= sizeof(t->rx)) {
			memcpy(t->rx + t->rx_n, buf, n);
			t->rx_n += n;
		}
	}
	while (toe_eut_pop_event(d->s.eng, &ev) == 1) {
		struct track *t;

		if (ev.type == TOE_EV_ESTABLISHED && d->step == 1 &&
		    d->t[1].conn < 0)
			d->t[1].conn = ev.conn;
		t = track_of(d, ev.conn);
		simd_show_time(toe_eut_tick(d->s.eng) * 1000000u /
			       toe_eut_tick_hz(d->s.eng) - d->t0_usec, when,
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
				if (toe_eut_close(d->s.eng, t->conn) < 0)
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
				if (toe_eut_close(d->s.eng, t->conn) < 0)
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

int simd_run_demo(const struct options *o)
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

	simd_session_opts_from(o, &so);
	so.on_frame = demo_frame;
	so.arg = &d;
	so.one_frame = true;
	if (o->kind == TOE_EUT_RTL)
		say("building the engine model and measuring its speed...\n");
	else if (o->kind == TOE_EUT_BOARD)
		say("powering up the %s board model (the PHY's reset twice), "
		    "opening it over its UART, measuring its speed...\n",
		    o->board);
	if (simd_session_open(&d.s, &so, err, sizeof(err)) < 0) {
		fprintf(stderr, "toe-simd: %s\n", err);
		return 1;
	}
	d.t0_usec = toe_eut_tick(d.s.eng) * 1000000u /
		    toe_eut_tick_hz(d.s.eng);

	say("\n### The engine against the Linux kernel\n\n");
	say("namespace %s\n", d.s.net.ns_name);
	say("  Linux   192.0.2.1 on %s, MAC %s (read from the link)\n",
	    d.s.net.ifname, simd_mac_str(d.s.net.linux_mac, lmac));
	say("  engine  192.0.2.2, MAC %s: %s\n", simd_mac_str(engine_mac, emac),
	    o->kind == TOE_EUT_RTL ?
	    "the RTL (Verilator model of rtl/toe_top.v)" :
	    o->kind == TOE_EUT_BOARD ? toe_eut_describe(d.s.eng) :
	    "the reference stack (--engine=ref)");
	say("  time    TICK_HZ %" PRIu64 ", engine time = cycles / TICK_HZ, "
	    "paced to the wall clock", toe_eut_tick_hz(d.s.eng));
	if (d.s.model_rate > 0) {
		double ratio = d.s.model_rate /
			       (double)toe_eut_tick_hz(d.s.eng);

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
		if (toe_eut_listen(d.s.eng, DEMO_ENGINE_PORT) < 0) {
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
		c = toe_eut_connect(d.s.eng, DEMO_ACTIVE_PORT, SIMD_LINUX_IP,
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
	n_in_use = toe_eut_conn_count(d.s.eng);
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
	if (o->kind == TOE_EUT_BOARD)
		say("  engine cycles (60 MHz), last byte in -> first byte out of "
		    "the reply at the\n  board's RGMII pins (through LiteEth "
		    "and both clock crossings):\n");
	else
		say("  engine cycles, last beat in -> first beat out of the "
		    "reply:\n");
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

