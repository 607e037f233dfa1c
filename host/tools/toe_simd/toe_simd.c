/* SPDX-License-Identifier: MIT */
/*
 * toe_simd.c - toe-simd, the simulation daemon: the engine (the Verilator
 * model of rtl/toe_top.v, the reference stack with --engine=ref, or with
 * --board=NAME a whole board top driven at its pins: its PHY model on the
 * link, its UART under the host bridge) with its MAC on a TAP link inside
 * a network namespace it creates, facing the real Linux TCP/IP stack
 * (docs/linux-interop.md).
 *
 *   toe-simd [OPTIONS] serve   run until SIGINT/SIGTERM (or --run-for):
 *                              the host bridge on tcp://127.0.0.1:PORT for
 *                              toectl and the host library
 *   toe-simd [OPTIONS] demo    what `make demo` runs (toe_simd_demo.c):
 *                              Linux connects to the engine and closes;
 *                              the engine connects to Linux and closes;
 *                              every frame printed as it crosses; a
 *                              summary; exit 0 only if every step happened
 *                              as expected
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
#include "toe_decode.h"
#include "toe_drv.h"
#include "toe_simd.h"
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
 * cycle, and toe_eut_new refuses anything else. 250000 is therefore
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
	      "  --board=NAME     a board top in simulation, driven at its pins:\n"
	      "                   frames through its PHY model and MAC, the host\n"
	      "                   bridge over its UART (boards: see below)\n"
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
	fprintf(out, "Boards: %s\n", *toe_eut_boards() ? toe_eut_boards() :
		"none in this build");
}

volatile int got_signal;

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* serve                                                              */
/* ------------------------------------------------------------------ */

struct serve {
	struct simd_session s;
	const struct options *o;
	uint64_t t0_usec;
};

void simd_session_opts_from(const struct options *o,
			    struct simd_session_opts *so)
{
	memset(so, 0, sizeof(*so));
	so->kind = o->kind;
	so->board = o->board;
	so->tick_hz = o->tick_hz;
	so->msl_ms = o->msl_ms;
	so->seed = o->seed;
	so->pcap_path = o->pcap;
	so->fst_path = o->waves;
	so->link = o->link;
	so->ns_name = o->netns;
}

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
	struct toe_eut_event ev;
	uint8_t buf[2048];
	uint16_t c;

	while (toe_eut_pop_payload(sv->s.eng, &c, buf, sizeof(buf)) > 0)
		;
	while (toe_eut_pop_event(sv->s.eng, &ev) == 1) {
		if (!sv->o->quiet)
			say("          engine: event %s, connection %d\n",
			    toe_ref_event_name(ev.type), ev.conn);
		if (ev.type == TOE_EV_PEER_FIN)
			toe_eut_close(sv->s.eng, ev.conn);
	}
}

static int run_serve(const struct options *o)
{
	static struct serve sv;
	struct simd_session_opts so;
	struct simd_wire_stats ws;
	char err[512], lmac[18], emac[18];
	const uint8_t engine_mac[6] = SIMD_ENGINE_MAC;
	const struct toe_sim_engine *bridge_eng = NULL;
	struct toe_sim *bridge = NULL;
	bool has_bridge;
	uint64_t end = 0;
	struct toe_hostsrv *hs = NULL; /* stays NULL without the server */

	memset(&sv, 0, sizeof(sv));
	sv.o = o;
	simd_session_opts_from(o, &so);
	so.on_frame = serve_frame;
	so.arg = &sv;
	/* short rounds: a host bridge request waits at most one round */
	so.slice_us = 100;
	if (simd_session_open(&sv.s, &so, err, sizeof(err)) < 0) {
		fprintf(stderr, "toe-simd: %s\n", err);
		return 1;
	}
	sv.t0_usec = toe_eut_tick(sv.s.eng) * 1000000u /
		     toe_eut_tick_hz(sv.s.eng);
	/* the host bridge's bytes: the model's, or a board's UART */
	has_bridge = toe_eut_bridge(sv.s.eng, &bridge_eng, &bridge) == 0;
	if (o->listen_port > 0 &&
	    toe_eut_listen(sv.s.eng, (uint16_t)o->listen_port) < 0) {
		fprintf(stderr, "toe-simd: the engine cannot listen on %d\n",
			o->listen_port);
		simd_session_close(&sv.s);
		return 1;
	}
	if (has_bridge) {
		/* The peer MAC for CONNECT: Linux's, preloaded (a host that
		 * connects to 192.0.2.1 can leave CMD_REMOTE_MAC alone). */
		const uint8_t *m = sv.s.net.linux_mac;

		toe_eut_csr_write(sv.s.eng, TOE_REG_CMD_REMOTE_MAC_HI,
				      toe_drv_mac_hi(m));
		toe_eut_csr_write(sv.s.eng, TOE_REG_CMD_REMOTE_MAC_LO,
				      toe_drv_mac_lo(m));
	}
	say("toe-simd: %s engine on %s in namespace %s\n",
	    o->kind == TOE_EUT_BOARD ? o->board : toe_eut_kind_name(o->kind),
	    sv.s.net.ifname, sv.s.net.ns_name);
	if (o->kind == TOE_EUT_BOARD)
		say("  %s\n", toe_eut_describe(sv.s.eng));
	say("  Linux  192.0.2.1  MAC %s (toe0)\n",
	    simd_mac_str(sv.s.net.linux_mac, lmac));
	say("  engine 192.0.2.2  MAC %s\n", simd_mac_str(engine_mac, emac));
	say("  TICK_HZ %" PRIu64 "", toe_eut_tick_hz(sv.s.eng));
	if (sv.s.model_rate > 0)
		say(" (model measured at %.2f M cycles/s)", sv.s.model_rate / 1e6);
	say("\n");
	if (o->listen_port > 0)
		say("  the engine listens on port %d\n", o->listen_port);
	if (o->pcap)
		say("  pcap: %s\n", o->pcap);
#ifdef TOE_SIMD_HOSTSRV
	if (has_bridge) {
		hs = toe_hostsrv_new_engine(bridge_eng, bridge, (uint16_t)o->port,
					    err, sizeof(err));
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
	(void)bridge_eng;
	(void)bridge;
	if (has_bridge)
		say("  host bridge: not served (this build has no "
		    "sim/joint/toe_hostsrv.c)\n");
#endif
	if (!has_bridge)
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
		if (!has_bridge)
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
		{ "board", required_argument, NULL, 'B' },
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
	const char *engine = NULL;
	uint64_t v;
	int opt, rc;

	memset(&o, 0, sizeof(o));
	o.kind = toe_eut_have_rtl() ? TOE_EUT_RTL : TOE_EUT_REF;
	o.port = 5555;
	o.seed = 1;
	while ((opt = getopt_long(argc, argv, "vqh", lopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			engine = optarg;
			if (!strcmp(optarg, "rtl"))
				o.kind = TOE_EUT_RTL;
			else if (!strcmp(optarg, "ref"))
				o.kind = TOE_EUT_REF;
			else
				return bad_arg("engine", optarg, "rtl|ref");
			break;
		case 'B':
			if (!toe_eut_have_board(optarg)) {
				char want[160];

				snprintf(want, sizeof(want), "a known board: %s",
					 *toe_eut_boards() ? toe_eut_boards() :
					 "none in this build");
				return bad_arg("board", optarg, want);
			}
			o.board = optarg;
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
	if (o.board) {
		/* the board carries its own engine */
		if (engine)
			return bad_arg("engine", engine, "no --engine with "
				       "--board (the board's engine is its "
				       "toe_top)");
		o.kind = TOE_EUT_BOARD;
	}
	if (optind != argc - 1)
		goto bad;
	if (o.kind == TOE_EUT_RTL && !toe_eut_have_rtl()) {
		fprintf(stderr, "toe-simd: this build has no RTL engine model; "
			"use --engine=ref\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	simd_net_install_signals(&got_signal);
	if (!strcmp(argv[optind], "serve"))
		rc = run_serve(&o);
	else if (!strcmp(argv[optind], "demo"))
		rc = simd_run_demo(&o);
	else
		goto bad;
	return rc;
bad:
	usage(stderr);
	return EXIT_USAGE;
}
