/* SPDX-License-Identifier: MIT */
/*
 * test_interop_linux.c - the engine against the real Linux TCP stack.
 *
 * One session for the whole run (host/tools/toe_simd/toe_simd_session.h): a network
 * namespace with a TAP link, the engine on its far end, every frame
 * written to a pcap in $(BUILD)/interop/. The Linux side is
 * toe-linux-peer (tests/interop/linux_peer.c) started inside the
 * namespace; the engine side is this program, acting as the engine's host
 * through the engine's registers (commands, events, CONN_* read-out,
 * statistics) and its payload stream.
 *
 * The engine is a back end of sim/eut/toe_eut.h, the same tests for each:
 * INTEROP_ENGINE (a build define; TOE_INTEROP_ENGINE in the environment
 * overrides it) is "rtl" (the RTL model; the reference stack when the
 * build has none), "ref" (the reference stack) or "board=NAME" (a whole
 * board model driven at its pins: frames through its PHY model and MAC,
 * the registers over its UART; test_interop_board, mk/95-fpga.mk). A
 * board's host link is slow (about 83 us and 5000 engine cycles per
 * register access at 3 Mbaud, tens of ms of wall time in the model), so
 * a board run does fewer connections (INTEROP_BULK_N), less data, limits
 * the table to BOARD_MAX_CONNS ids (each costs two register accesses when
 * the test scans the table) and allows more wall time.
 *
 * After each test that ran connections the engine's own error report
 * (toe_eut_error: a failed register access; for a board also an RGMII
 * error the PHY model saw or a UART framing error) must be empty.
 *
 * Every frame that crosses is checked as it goes (frame_check): the
 * engine's frames parse with good checksums, its SYN and SYN-ACK carry the
 * MSS option and nothing else, and Linux's segments after its SYN carry
 * no options at all (no timestamps: Linux fell back because the engine
 * ignored them). The last test runs tshark over the whole pcap.
 *
 * If the namespace or the TAP device cannot be made, every test fails
 * with the reason (nothing passes silently).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "interop_common.h"
#include "toe_simd_session.h"
#include "toe_wire.h"

#ifndef INTEROP_DIR
#define INTEROP_DIR "build/interop"
#endif
#ifndef INTEROP_ENGINE
#define INTEROP_ENGINE "rtl"
#endif
/* connections per bulk test (a multiple of 4) */
#ifndef INTEROP_BULK_N
#define INTEROP_BULK_N 1000
#endif

#define TEST_MSL_MS 200      /* TIME-WAIT 400 ms */
/* connections per bulk test; TOE_INTEROP_BULK_N overrides it for
 * experiments */
#define BULK_N bulk_n
static unsigned bulk_n = INTEROP_BULK_N;
#define BULK_THREADS "16"
#define BULK_TIMEOUT_MS 240000
#define DATA_BYTES data_bytes
static unsigned data_bytes = 300000;
#define DATA_SEED 0x5EED1234ull
/* a board: the connection table limited to this many ids (MAX_CONNS), the
 * data test's bytes, wall-time limits multiplied */
#define BOARD_MAX_CONNS 64
#define BOARD_DATA_BYTES 30000
#define BOARD_SLOW 4
static unsigned slow = 1;
static char pcap_path[512];
#define PCAP_PATH pcap_path
#define LINE_FMT "hello from Linux port %u\n"

/* ports, one set per test so the connections never mix */
#define PORT_OPTS 6001
#define PORT_DATA 6002
#define PORT_BULK_PASSIVE 7000
#define PORT_BULK_ACTIVE 8000
/* Linux client ports: outside Linux's ephemeral range (32768..60999), so
 * no connection of an earlier test (in TIME-WAIT for 60 s) holds one */
#define BULK_CLIENT_FIRST 61000
#define BULK_ENGINE_FIRST 20000 /* engine ports when it connects */
#define PORT_SYNRETX 6003
#define PORT_ENGRETX 6004
#define ENGRETX_LPORT 31000
/* cycles between the CONNECT that arms the SYN's timer and the SYN
 * leaving, at most (its ISN's SipHash first; README: the engine's replies
 * leave within 25 cycles) */
#define SYN_BUILD_SLACK 32

/* ------------------------------------------------------------------ */
/* the session and the checks made on every frame                     */
/* ------------------------------------------------------------------ */

struct frame_checks {
	uint64_t tcp_to_engine, tcp_to_linux;
	uint64_t bad_from_engine;      /* engine frames that do not parse */
	uint64_t engine_syn_opts_bad;  /* SYN / SYN-ACK not exactly MSS */
	uint64_t linux_syn, linux_syn_full; /* Linux SYNs; with TS+SACK+WS */
	uint64_t linux_opts_after_syn; /* Linux non-SYN segments with options */
	char first_problem[256];
};

#define LOG_MAX 64
struct logged {
	enum simd_dir dir;
	uint64_t first, last, wall_ns;
	struct toe_frame f;
	uint16_t opt_len;
};

/* what the filter does to frames of one test */
struct filter_cfg {
	bool on;
	enum simd_dir dir;
	uint16_t src_port;    /* TCP source port of the frames concerned */
	uint8_t flags;        /* exact TCP flags of the frame concerned */
	int64_t action;       /* < 0 drop, > 0 hold ticks */
	unsigned times;       /* how many frames to treat (then pass) */
	uint64_t hit_cycle, hit_wall_ns; /* when the last one was treated */
	uint32_t hit_seq;
};

static struct {
	bool open;
	char err[512];
	struct simd_session s;
	struct frame_checks fc;
	/* frames of one test (those with TCP port watch_port) */
	uint16_t watch_port;
	struct logged log[LOG_MAX];
	unsigned n_log;
	struct filter_cfg filt;
} G;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
	va_list ap;

	if (G.fc.first_problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(G.fc.first_problem, sizeof(G.fc.first_problem), fmt, ap);
	va_end(ap);
}

static void frame_check(void *arg, const struct simd_xframe *x)
{
	struct toe_frame f;
	int rc = toe_parse_frame(x->buf, x->len, &f);
	uint16_t et = x->len >= 14 ? (uint16_t)(x->buf[12] << 8 | x->buf[13]) : 0;
	bool is_tcp = x->len >= 24 && et == TOE_ETHERTYPE_IPV4 &&
		      x->buf[23] == TOE_IPPROTO_TCP;

	(void)arg;
	if (x->dir == SIMD_TO_LINUX && is_tcp && rc != TOE_PARSE_OK) {
		G.fc.bad_from_engine++;
		problem("engine frame %u does not parse: %s", x->no,
			toe_parse_result_name(rc));
	}
	if (rc != TOE_PARSE_OK)
		return;
	if (x->dir == SIMD_TO_LINUX) {
		G.fc.tcp_to_linux++;
		if ((f.seg.flags & TOE_TCP_SYN) &&
		    !(f.seg.opt_raw_len == 4 && f.seg.opt.has_mss)) {
			G.fc.engine_syn_opts_bad++;
			problem("engine SYN in frame %u carries %u option bytes",
				x->no, f.seg.opt_raw_len);
		}
	} else {
		G.fc.tcp_to_engine++;
		if (f.seg.flags & TOE_TCP_SYN) {
			G.fc.linux_syn++;
			if (f.seg.opt.has_ts && f.seg.opt.sack_perm &&
			    f.seg.opt.has_wscale)
				G.fc.linux_syn_full++;
		} else if (f.seg.opt_raw_len) {
			G.fc.linux_opts_after_syn++;
			problem("Linux segment in frame %u carries %u option "
				"bytes", x->no, f.seg.opt_raw_len);
		}
	}
	if (G.watch_port && G.n_log < LOG_MAX &&
	    (f.seg.src_port == G.watch_port || f.seg.dst_port == G.watch_port)) {
		struct logged *l = &G.log[G.n_log++];

		l->dir = x->dir;
		l->first = x->first;
		l->last = x->last;
		l->wall_ns = simd_mono_ns();
		l->f = f;
		l->f.seg.opt_raw = NULL;
		l->f.seg.data = NULL;
		l->opt_len = f.seg.opt_raw_len;
	}
}

static int64_t filter(void *arg, enum simd_dir dir, const uint8_t *buf,
		      size_t len, uint64_t cycle)
{
	struct toe_frame f;

	(void)arg;
	if (!G.filt.on || !G.filt.times || dir != G.filt.dir)
		return 0;
	if (toe_parse_frame(buf, len, &f) != TOE_PARSE_OK)
		return 0;
	if (f.seg.src_port != G.filt.src_port || f.seg.flags != G.filt.flags)
		return 0;
	G.filt.times--;
	G.filt.hit_cycle = cycle;
	G.filt.hit_seq = f.seg.seq;
	G.filt.hit_wall_ns = simd_mono_ns();
	return G.filt.action;
}

static int group_setup(void **state)
{
	struct simd_session_opts so;
	const char *eng = getenv("TOE_INTEROP_ENGINE");

	(void)state;
	simd_net_install_signals(NULL);
	mkdir(INTEROP_DIR, 0755);
	memset(&so, 0, sizeof(so));
	if (!eng || !*eng)
		eng = INTEROP_ENGINE;
	so.kind = toe_eut_have_rtl() ? TOE_EUT_RTL : TOE_EUT_REF;
	snprintf(pcap_path, sizeof(pcap_path), "%s/linux-interop.pcap",
		 INTEROP_DIR);
	if (!strcmp(eng, "ref")) {
		so.kind = TOE_EUT_REF;
	} else if (!strncmp(eng, "board=", 6)) {
		so.kind = TOE_EUT_BOARD;
		so.board = eng + 6;
		so.max_conns = BOARD_MAX_CONNS;
		data_bytes = BOARD_DATA_BYTES;
		slow = BOARD_SLOW;
		snprintf(pcap_path, sizeof(pcap_path),
			 "%s/linux-interop-%s.pcap", INTEROP_DIR, so.board);
	} else if (strcmp(eng, "rtl")) {
		snprintf(G.err, sizeof(G.err), "TOE_INTEROP_ENGINE '%s': want "
			 "rtl, ref or board=NAME", eng);
		fprintf(stderr, "interop: %s\n", G.err);
		return 0; /* every test then fails with G.err */
	}
	so.msl_ms = TEST_MSL_MS;
	so.seed = 1;
	so.pcap_path = PCAP_PATH;
	so.on_frame = frame_check;
	so.filter = filter;
	if (simd_session_open(&G.s, &so, G.err, sizeof(G.err)) < 0) {
		fprintf(stderr, "interop: cannot set up the Linux side: %s\n",
			G.err);
		return 0; /* every test then fails with G.err */
	}
	G.open = true;
	printf("interop: %s engine, TICK_HZ %" PRIu64,
	       so.kind == TOE_EUT_BOARD ? so.board : toe_eut_kind_name(so.kind),
	       toe_eut_tick_hz(G.s.eng));
	if (G.s.model_rate > 0)
		printf(" (model measured at %.2f M cycles/s)", G.s.model_rate / 1e6);
	printf(", namespace %s, %s link, pcap %s\n", G.s.net.ns_name,
	       G.s.net.link == SIMD_LINK_TAP ? "TAP" : "veth", PCAP_PATH);
	if (so.kind == TOE_EUT_BOARD)
		printf("interop: %s; %u connections per bulk test, %u ids, "
		       "%u data bytes\n", toe_eut_describe(G.s.eng), BULK_N,
		       toe_eut_max_conns(G.s.eng), DATA_BYTES);
	else if (!toe_eut_have_rtl())
		printf("interop: NOTE this build has no RTL model "
		       "(libtoesim): the reference stack stands in\n");
	return 0;
}

static int group_teardown(void **state)
{
	struct simd_wire_stats ws;

	(void)state;
	if (!G.open)
		return 0;
	simd_wire_stats(G.s.wire, &ws);
	printf("interop: %" PRIu64 " frames to the engine, %" PRIu64 " to Linux, "
	       "%" PRIu64 " engine cycles in %.1f s (%.2f M cycles/s), max lag "
	       "%.1f ms, %" PRIu64 " pacing slips\n", ws.to_engine, ws.to_linux,
	       ws.cycles, ws.wall_s, (double)ws.cycles / ws.wall_s / 1e6,
	       (double)ws.max_lag * 1e3 / (double)toe_eut_tick_hz(G.s.eng),
	       ws.slips);
	simd_session_close(&G.s);
	G.open = false;
	return 0;
}

static void need_session(void)
{
	if (!G.open)
		fail_msg("no interop session: %s", G.err);
	G.watch_port = 0;
	G.n_log = 0;
	memset(&G.filt, 0, sizeof(G.filt));
}

/* ------------------------------------------------------------------ */
/* the engine's host: commands and events for many connections        */
/* ------------------------------------------------------------------ */

struct cst {
	bool used;
	char mode;
	uint16_t lport, rport;
	uint64_t rx;         /* payload bytes */
	char line[64];
	bool acted;          /* our close/abort issued */
	bool app_done;       /* the connection's exchange is over for us */
	bool final;
};

struct host {
	bool passive;
	const char *modes;
	unsigned n;          /* connections expected */
	uint16_t port;       /* engine listens (passive) / Linux listens */
	uint16_t first_lport; /* active: engine local ports */
	unsigned max_in_flight;
	uint64_t pattern_seed; /* != 0: payload is the pattern, checked */
	bool inspect;          /* read CONN_* when the data part is over */
	struct toe_ref_conn_info info;
	int info_conn;
	unsigned issued, in_flight;
	unsigned established, finals, by_mode[4];
	int top_id;          /* the highest connection id seen */
	unsigned closed_ev, reset_ev, aborted;
	uint64_t rx_bytes;
	unsigned errors;
	char first_error[256];
	struct cst *c;
	unsigned nc;
};

static void host_error(struct host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void host_error(struct host *h, const char *fmt, ...)
{
	va_list ap;

	h->errors++;
	if (h->first_error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(h->first_error, sizeof(h->first_error), fmt, ap);
	va_end(ap);
}

static int mode_idx(char m)
{
	return m == 'L' ? 0 : m == 'E' ? 1 : m == 'R' ? 2 : 3;
}

static void host_init(struct host *h)
{
	h->nc = toe_eut_max_conns(G.s.eng);
	h->c = calloc(h->nc, sizeof(*h->c));
	assert_non_null(h->c);
}

static void host_final(struct host *h, struct cst *c)
{
	if (c->final)
		return;
	c->final = true;
	c->used = false;
	h->finals++;
	h->by_mode[mode_idx(c->mode)]++;
	if (!c->app_done) {
		c->app_done = true;
		if (h->in_flight)
			h->in_flight--;
	}
}

static void app_done(struct host *h, struct cst *c)
{
	if (c->app_done)
		return;
	c->app_done = true;
	if (h->in_flight)
		h->in_flight--;
}

static void act_close(struct host *h, int id, struct cst *c)
{
	int rc = toe_eut_close(G.s.eng, id);

	c->acted = true;
	if (rc < 0)
		host_error(h, "close(%d) failed: %d", id, rc);
}

static void act_abort(struct host *h, int id, struct cst *c)
{
	int rc = toe_eut_abort(G.s.eng, id);

	c->acted = true;
	if (rc < 0)
		host_error(h, "abort(%d) failed: %d", id, rc);
	h->aborted++;
	host_final(h, c);
}

/* The data part of a connection is over: E closes, A aborts. */
static void data_done(struct host *h, int id, struct cst *c)
{
	if (c->acted)
		return;
	if (h->inspect && toe_eut_conn_info(G.s.eng, id, &h->info, true) == 0)
		h->info_conn = id;
	if (c->mode == 'E')
		act_close(h, id, c);
	else if (c->mode == 'A')
		act_abort(h, id, c);
}

/* The bytes of one RX_DATA event, in order. */
static void host_payload(struct host *h, int id, const uint8_t *p, size_t n)
{
	struct cst *c;

	if (id < 0 || (unsigned)id >= h->nc || !h->c[id].used) {
		host_error(h, "%zu payload bytes for connection %d, which is "
			   "not open", n, id);
		return;
	}
	c = &h->c[id];
	h->rx_bytes += n;
	if (h->pattern_seed) {
		for (size_t k = 0; k < n; k++)
			if (p[k] != interop_pattern(h->pattern_seed, c->rx + k)) {
				host_error(h, "payload byte %" PRIu64 " of "
					   "connection %d is 0x%02x, the pattern "
					   "(seed 0x%" PRIx64 ") has 0x%02x",
					   c->rx + k, id, p[k], h->pattern_seed,
					   interop_pattern(h->pattern_seed,
							   c->rx + k));
				break;
			}
		c->rx += n;
		return;
	}
	for (size_t k = 0; k < n; k++) {
		char want[64];
		unsigned port;

		if (c->rx + 1 >= sizeof(c->line)) {
			host_error(h, "connection %d: line too long", id);
			return;
		}
		c->line[c->rx++] = (char)p[k];
		if (p[k] != '\n')
			continue;
		c->line[c->rx] = 0;
		/* a passive connection learns its peer's port (and so its
		 * mode) from the line: the CONN_* read-out at ESTABLISHED
		 * time could already show a later connection on the id */
		if (h->passive && sscanf(c->line, LINE_FMT, &port) == 1) {
			c->rport = (uint16_t)port;
			c->mode = interop_mode(h->modes, c->rport);
		}
		snprintf(want, sizeof(want), LINE_FMT, c->rport);
		if (strcmp(c->line, want))
			host_error(h, "connection %d got \"%s\"", id, c->line);
		data_done(h, id, c);
	}
}

static void host_event(struct host *h, const struct toe_eut_event *ev)
{
	struct cst *c;
	int id = ev->conn;

	if (id < 0 || (unsigned)id >= h->nc) {
		host_error(h, "event %d for connection %d", ev->type, id);
		return;
	}
	c = &h->c[id];
	switch (ev->type) {
	case TOE_EV_ESTABLISHED:
		h->established++;
		if (id > h->top_id)
			h->top_id = id;
		if (h->passive) {
			if (c->used)
				host_error(h, "ESTABLISHED for connection %d, "
				   "which is open", id);
			memset(c, 0, sizeof(*c));
			c->used = true;
			c->lport = h->port;
			/* mode from the line (host_payload); a single-mode
			 * run knows it now */
			c->mode = strlen(h->modes) == 1 ? h->modes[0] : '?';
			h->in_flight++;
			return;
		}
		if (!c->used) {
			host_error(h, "ESTABLISHED for connection %d, which we "
				   "did not open", id);
			return;
		}
		if (c->mode == 'E' || c->mode == 'A')
			data_done(h, id, c);
		return;
	case TOE_EV_PEER_FIN:
		if (!c->used)
			break;
		if (c->mode == '?')
			host_error(h, "connection %d: PEER_FIN before its line",
				   id);
		if (c->mode == 'L' && !c->acted)
			act_close(h, id, c);
		else if (c->mode != 'E' && !h->pattern_seed)
			host_error(h, "connection %d (mode %c): PEER_FIN", id,
				   c->mode);
		app_done(h, c);
		return;
	case TOE_EV_CLOSED:
		if (!c->used)
			break;
		if (c->mode != 'L' && c->mode != 'E')
			host_error(h, "connection %d (mode %c): CLOSED", id,
				   c->mode);
		h->closed_ev++;
		host_final(h, c);
		return;
	case TOE_EV_RESET:
		if (!c->used)
			break;
		if (c->mode != 'R')
			host_error(h, "connection %d (mode %c): RESET", id,
				   c->mode);
		h->reset_ev++;
		host_final(h, c);
		return;
	case TOE_EV_RX_DATA:
		return; /* the bytes come from the payload stream */
	default:
		break;
	}
	host_error(h, "event %s for connection %d%s", toe_ref_event_name(ev->type),
		   id, c->used ? "" : " (not open)");
}

static void host_events(struct host *h, int until_free);

/* Active opens: keep max_in_flight connections going. */
static void host_connect_more(struct host *h)
{
	while (!h->passive && h->issued < h->n &&
	       h->in_flight < h->max_in_flight) {
		uint16_t lport = (uint16_t)(h->first_lport + h->issued);
		int id = toe_eut_connect(G.s.eng, lport, G.s.net.linux_ip,
					     h->port, G.s.net.linux_mac);

		h->issued++;
		if (id < 0 || (unsigned)id >= h->nc) {
			host_error(h, "connect from port %u failed: %d", lport,
				   id);
			continue;
		}
		/* The engine reuses an id once its TCB is gone; the CLOSED
		 * event saying so may still be waiting in the FIFO (TIME-WAIT
		 * ran out while the earlier commands stepped the clock), and
		 * behind it already the new connection's (the link kept
		 * running during the command): take events up to the old
		 * one's last. */
		if (h->c[id].used)
			host_events(h, id);
		if (h->c[id].used)
			host_error(h, "connect from port %u gave connection %d, "
				   "which is open (port %u mode %c acted %d "
				   "done %d)", lport, id, h->c[id].lport,
				   h->c[id].mode, h->c[id].acted,
				   h->c[id].app_done);
		memset(&h->c[id], 0, sizeof(h->c[id]));
		h->c[id].used = true;
		h->c[id].lport = lport;
		h->c[id].rport = h->port;
		h->c[id].mode = interop_mode(h->modes, lport);
		h->in_flight++;
	}
}

/* Payload taken from the engine's stream, not yet matched with its
 * RX_DATA event, per connection id (in stream order). */
struct pending {
	uint8_t *buf;
	size_t n, cap;
};

static struct pending *pend;
static unsigned n_pend;

static void pend_add(unsigned id, const uint8_t *p, size_t n)
{
	struct pending *q;

	if (id >= n_pend)
		return;
	q = &pend[id];
	if (q->n + n > q->cap) {
		q->cap = (q->n + n) * 2;
		q->buf = realloc(q->buf, q->cap);
		assert_non_null(q->buf);
	}
	memcpy(q->buf + q->n, p, n);
	q->n += n;
}

/*
 * One round of the wire (which steps the engine until it is idle after
 * every frame), then the engine's events in order. The payload stream is
 * drained first: by the time an RX_DATA event is read its bytes are in
 * it, and each RX_DATA event takes its EV_ARG bytes of its connection.
 * With until_free >= 0, it stops once that connection id is no longer
 * ours (its old occupant's last event taken): the events after it are
 * for the id's new connection.
 */
static void host_events(struct host *h, int until_free)
{
	struct toe_eut_event ev;
	uint8_t buf[4096];
	uint16_t pc;
	size_t n;
	int rc;

	if (!pend) {
		n_pend = toe_eut_max_conns(G.s.eng);
		pend = calloc(n_pend, sizeof(*pend));
		assert_non_null(pend);
	}
	while ((n = toe_eut_pop_payload(G.s.eng, &pc, buf, sizeof(buf))) > 0)
		pend_add(pc, buf, n < sizeof(buf) ? n : sizeof(buf));
	while ((rc = toe_eut_pop_event(G.s.eng, &ev)) == 1) {
		if (ev.type == TOE_EV_RX_DATA && ev.conn >= 0 &&
		    (unsigned)ev.conn < n_pend) {
			struct pending *q = &pend[ev.conn];

			while (q->n < ev.arg &&
			       (n = toe_eut_pop_payload(G.s.eng, &pc, buf,
							    sizeof(buf))) > 0)
				pend_add(pc, buf, n < sizeof(buf) ? n : sizeof(buf));
			if (q->n < ev.arg) {
				host_error(h, "RX_DATA of %u bytes on connection "
					   "%d, the payload stream has %zu",
					   ev.arg, ev.conn, q->n);
				q->n = 0;
				continue;
			}
			host_payload(h, ev.conn, q->buf, ev.arg);
			memmove(q->buf, q->buf + ev.arg, q->n - ev.arg);
			q->n -= ev.arg;
			continue;
		}
		host_event(h, &ev);
		if (until_free >= 0 && !h->c[until_free].used)
			return;
	}
	if (rc < 0)
		host_error(h, "reading events failed");
}

static void host_round(struct host *h)
{
	if (simd_wire_poll(G.s.wire, 2) < 0)
		fail_msg("the link to Linux failed");
	if (!h)
		return;
	host_events(h, -1);
	host_connect_more(h);
}

/* Run until the peer exited and every connection ended (or timeout). */
static void host_run(struct host *h, struct simd_peer *p, int timeout_ms)
{
	uint64_t end = simd_mono_ns() + (uint64_t)timeout_ms * 1000000u;
	uint64_t peer_end = 0;

	for (;;) {
		host_round(h);
		simd_peer_pump(&G.s, p);
		if (p->done && h->finals >= h->n)
			return;
		/* the peer is gone: what is still open ends within TIME-WAIT
		 * and a few retransmissions, or never */
		if (p->done && !peer_end)
			peer_end = simd_mono_ns() + slow * 10000000000ull;
		if (simd_mono_ns() > end ||
		    (peer_end && simd_mono_ns() > peer_end)) {
			char open_list[1024] = "";
			size_t o = 0;

			simd_peer_kill(&G.s, p);
			for (unsigned i = 0; i < h->nc && o < 900; i++) {
				const struct cst *c = &h->c[i];

				if (!c->used || c->final)
					continue;
				o += (size_t)snprintf(open_list + o,
					sizeof(open_list) - o,
					" [id %u port %u mode %c acted %d done %d "
					"state %s]", i, c->lport, c->mode,
					c->acted, c->app_done, toe_tcp_state_name(
					toe_eut_conn_state(G.s.eng, (int)i)));
			}
			fail_msg("gave up after %d s: %u of %u connections "
				 "ended on the engine (%u established, %u "
				 "errors: %s), still open:%s; peer %s; peer "
				 "said:\n%s", (int)((simd_mono_ns() + (uint64_t)
				 timeout_ms * 1000000u - end) / 1000000000u), h->finals,
				 h->n, h->established, h->errors,
				 h->first_error, open_list,
				 p->done ? "exited" : "still running", p->out);
		}
	}
}

/* Let TIME-WAIT (2 MSL of engine time) run out, then the engine's table
 * must be empty. */
static void wait_table_empty(struct host *h, int timeout_ms)
{
	uint64_t end = simd_mono_ns() + (uint64_t)timeout_ms * 1000000u;
	uint64_t hz = toe_eut_tick_hz(G.s.eng);
	int n = -1;

	while (simd_mono_ns() < end) {
		uint64_t pause = toe_eut_tick(G.s.eng) +
				 2 * TEST_MSL_MS * hz / 1000 +
				 toe_eut_timer_slack(G.s.eng);

		while (toe_eut_tick(G.s.eng) < pause && simd_mono_ns() < end)
			host_round(h);
		n = toe_eut_conn_count(G.s.eng);
		if (n == 0)
			return;
	}
	fail_msg("the engine still has %d connections in use %d s after the "
		 "last one ended", n, timeout_ms / 1000);
}

/* `ss -tan` inside the namespace: every connection is LISTEN or in
 * TIME-WAIT (the state Linux's own active closes end in, for 60 s);
 * *time_wait counts those on port. */
static void check_ss(uint16_t port, unsigned *time_wait)
{
	char pat[16];
	char *const argv[] = { "ss", "-tanH", NULL };
	static char out[1 << 20];
	char *line, *save;
	int rc = simd_net_run(&G.s.net, argv, out, sizeof(out), 10000);
	unsigned tw = 0;

	snprintf(pat, sizeof(pat), ":%u", port);
	assert_int_equal(rc, 0);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char st[32] = "";

		sscanf(line, "%31s", st);
		if (!strcmp(st, "TIME-WAIT")) {
			/* a column (local or peer address) ends in :port */
			char tmp[512], *tok, *sv;

			snprintf(tmp, sizeof(tmp), "%s", line);
			for (tok = strtok_r(tmp, " \t", &sv); tok;
			     tok = strtok_r(NULL, " \t", &sv)) {
				size_t tl = strlen(tok), pl = strlen(pat);

				if (tl >= pl && !strcmp(tok + tl - pl, pat)) {
					tw++;
					break;
				}
			}
		}
		else if (strcmp(st, "LISTEN"))
			fail_msg("ss -tan in the namespace: a connection is "
				 "still %s: %s", st, line);
	}
	if (time_wait)
		*time_wait = tw;
}

static void host_report(const struct host *h, const char *what)
{
	printf("  %s: %u connections, %u ended (L %u E %u R %u A %u): %u "
	       "CLOSED, %u RESET, %u aborted; %" PRIu64 " payload bytes; "
	       "ids 0..%d of %u used\n",
	       what, h->n, h->finals, h->by_mode[0], h->by_mode[1],
	       h->by_mode[2], h->by_mode[3], h->closed_ev, h->reset_ev,
	       h->aborted, h->rx_bytes, h->top_id, h->nc);
}

static void expect_no_frame_problems(void)
{
	const char *e = toe_eut_error(G.s.eng);

	if (G.fc.bad_from_engine || G.fc.engine_syn_opts_bad ||
	    G.fc.linux_opts_after_syn)
		fail_msg("frame check: %s", G.fc.first_problem);
	if (e)
		fail_msg("the engine reports: %s", e);
}

/* ------------------------------------------------------------------ */
/* tests                                                              */
/* ------------------------------------------------------------------ */

/* Linux finds the engine by ARP (no static entry) and pings it. */
static void test_ping_from_linux_every_echo_answered(void **state)
{
	const char *const args[] = { "ping", "192.0.2.2", "-c", "3", "-t", "5",
				     NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	int rc;

	(void)state;
	need_session();
	assert_non_null(p);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	rc = simd_peer_wait(&G.s, p, 30000);
	if (rc != 0)
		fail_msg("ping exited %d:\n%s", rc, p->out);
	assert_non_null(strstr(p->out, "ping: 3 sent, 3 answered"));
	free(p);
}

/* Linux's SYN offers timestamps, SACK and window scaling; the engine's
 * SYN-ACK carries only its MSS, so Linux uses none of them. The engine's
 * CONN_* read-out agrees with the wire. */
static void test_linux_syn_options_engine_ignores_linux_falls_back(void **state)
{
	const char *const args[] = { "client", "192.0.2.2:6001", "-n", "1",
				     "-m", "E", NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = true, .modes = "E", .n = 1,
			  .port = PORT_OPTS, .inspect = true, .info_conn = -1 };
	const struct toe_seg *syn = NULL, *synack = NULL, *data = NULL;
	unsigned later = 0;

	(void)state;
	need_session();
	assert_non_null(p);
	host_init(&h);
	G.watch_port = PORT_OPTS;
	assert_int_equal(toe_eut_listen(G.s.eng, PORT_OPTS), 0);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	host_run(&h, p, 30000);
	if (h.errors)
		fail_msg("%s", h.first_error);
	if (p->status != 0)
		fail_msg("toe-linux-peer exited %d:\n%s", p->status, p->out);
	for (unsigned i = 0; i < G.n_log; i++) {
		const struct toe_seg *s = &G.log[i].f.seg;

		if (G.log[i].dir == SIMD_TO_ENGINE &&
		    (s->flags & TOE_TCP_SYN)) {
			assert_null(syn);
			syn = s;
			/* the precondition: Linux offered all three */
			assert_true(s->opt.has_ts);
			assert_true(s->opt.sack_perm);
			assert_true(s->opt.has_wscale);
			assert_true(s->opt.has_mss);
		} else if (G.log[i].dir == SIMD_TO_LINUX &&
			   (s->flags & TOE_TCP_SYN)) {
			assert_null(synack);
			synack = s;
			assert_int_equal(G.log[i].opt_len, 4);
			assert_true(s->opt.has_mss);
			assert_int_equal(s->opt.mss, 1460);
			assert_false(s->opt.has_ts);
			assert_false(s->opt.sack_perm);
			assert_false(s->opt.has_wscale);
		} else if (G.log[i].dir == SIMD_TO_ENGINE) {
			later++;
			/* no timestamps, no options at all */
			assert_int_equal(G.log[i].opt_len, 0);
			assert_int_equal(G.log[i].f.tcp_doff, 5);
			if (s->len && !data)
				data = s;
		}
	}
	assert_non_null(syn);
	assert_non_null(synack);
	assert_non_null(data);
	assert_true(later >= 3); /* ACK, data, FIN */
	/* CONN_* as read when the line had arrived, against the wire */
	assert_true(h.info_conn >= 0);
	assert_int_equal(h.info.state, TOE_ST_ESTABLISHED);
	assert_true(h.info.passive);
	assert_int_equal(h.info.local_ip, SIMD_ENGINE_IP);
	assert_int_equal(h.info.remote_ip, SIMD_LINUX_IP);
	assert_int_equal(h.info.local_port, PORT_OPTS);
	assert_int_equal(h.info.remote_port, syn->src_port);
	assert_int_equal(h.info.irs, syn->seq);
	assert_int_equal(h.info.iss, synack->seq);
	assert_int_equal(h.info.snd_una, synack->seq + 1);
	assert_int_equal(h.info.snd_nxt, synack->seq + 1);
	assert_int_equal(h.info.rcv_nxt, data->seq + data->len);
	assert_int_equal(h.info.snd_wnd, data->win);
	assert_int_equal(h.info.peer_mss, 1460);
	assert_int_equal(h.info.eff_mss, 1460);
	expect_no_frame_problems();
	assert_int_equal(toe_eut_unlisten(G.s.eng, PORT_OPTS), 0);
	free(h.c);
	free(p);
}

/* DATA_BYTES of a seeded pattern from Linux reach the engine's payload
 * stream in order, byte for byte. */
static void test_linux_data_arrives_in_order_byte_exact(void **state)
{
	char bytes[32], seed[32];
	const char *const args[] = { "client", "192.0.2.2:6002", "-n", "1",
				     "-m", "L", "-b", bytes, "-S", seed, NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = true, .modes = "L", .n = 1,
			  .port = PORT_DATA, .pattern_seed = DATA_SEED };
	struct toe_ref_stats st0, st1;
	uint64_t t0 = simd_mono_ns();
	double secs;

	(void)state;
	need_session();
	assert_non_null(p);
	snprintf(bytes, sizeof(bytes), "%u", DATA_BYTES);
	snprintf(seed, sizeof(seed), "0x%llx", (unsigned long long)DATA_SEED);
	host_init(&h);
	assert_int_equal(toe_eut_stats(G.s.eng, &st0), 0);
	assert_int_equal(toe_eut_listen(G.s.eng, PORT_DATA), 0);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	host_run(&h, p, 120000);
	secs = (double)(simd_mono_ns() - t0) / 1e9;
	if (h.errors)
		fail_msg("%s (pattern seed 0x%llx)", h.first_error,
			 (unsigned long long)DATA_SEED);
	assert_int_equal(p->status, 0);
	assert_int_equal(h.rx_bytes, DATA_BYTES);
	assert_int_equal(toe_eut_stats(G.s.eng, &st1), 0);
	assert_int_equal(st1.rx_bytes - st0.rx_bytes, DATA_BYTES);
	assert_int_equal(st1.parse_drops[-TOE_PERR_TCP_CSUM],
			 st0.parse_drops[-TOE_PERR_TCP_CSUM]);
	printf("  %u bytes (seed 0x%llx) in %.2f s: %.0f kB/s\n", DATA_BYTES,
	       (unsigned long long)DATA_SEED, secs, DATA_BYTES / secs / 1e3);
	expect_no_frame_problems();
	assert_int_equal(toe_eut_unlisten(G.s.eng, PORT_DATA), 0);
	free(h.c);
	free(p);
}

/* BULK_N connections from Linux, a quarter per close mode. */
static void test_linux_client_bulk_all_modes_all_complete(void **state)
{
	char n[16], first[16];
	const char *const args[] = { "client", "192.0.2.2:7000", "-n", n,
				     "-j", BULK_THREADS, "-p", first, "-m",
				     "LERA", "-t", "60", NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = true, .modes = "LERA", .n = BULK_N,
			  .port = PORT_BULK_PASSIVE };
	uint64_t t0 = simd_mono_ns();
	unsigned tw;

	(void)state;
	need_session();
	assert_non_null(p);
	snprintf(n, sizeof(n), "%u", BULK_N);
	snprintf(first, sizeof(first), "%d", BULK_CLIENT_FIRST);
	host_init(&h);
	assert_int_equal(toe_eut_listen(G.s.eng, PORT_BULK_PASSIVE), 0);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	host_run(&h, p, (int)slow * BULK_TIMEOUT_MS);
	host_report(&h, "Linux client");
	printf("  took %.1f s\n", (double)(simd_mono_ns() - t0) / 1e9);
	if (h.errors)
		fail_msg("%u errors, the first: %s", h.errors, h.first_error);
	if (p->status != 0)
		fail_msg("toe-linux-peer exited %d:\n%s", p->status, p->out);
	assert_int_equal(h.finals, BULK_N);
	for (int m = 0; m < 4; m++)
		assert_int_equal(h.by_mode[m], BULK_N / 4);
	assert_int_equal(h.reset_ev, BULK_N / 4);
	assert_int_equal(h.aborted, BULK_N / 4);
	assert_int_equal(h.closed_ev, BULK_N / 2);
	assert_int_equal(toe_eut_unlisten(G.s.eng, PORT_BULK_PASSIVE), 0);
	wait_table_empty(&h, (int)slow * 10000);
	check_ss(PORT_BULK_PASSIVE, &tw);
	printf("  engine table empty; ss -tan: %u TIME-WAIT on port %d (Linux "
	       "closed first), nothing else\n", tw, PORT_BULK_PASSIVE);
	/* mode L connections, unless Linux's 60 s ran out for some */
	assert_true(tw <= BULK_N / 4);
	expect_no_frame_problems();
	free(h.c);
	free(p);
}

/* BULK_N connections from the engine to a Linux listener. */
static void test_engine_client_bulk_all_modes_all_complete(void **state)
{
	char n[16];
	const char *const args[] = { "server", "8000", "-n", n, "-j",
				     BULK_THREADS, "-m", "LERA", "-t", "60",
				     NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = false, .modes = "LERA", .n = BULK_N,
			  .port = PORT_BULK_ACTIVE,
			  .first_lport = BULK_ENGINE_FIRST,
			  .max_in_flight = 16 };
	uint64_t t0 = simd_mono_ns();
	unsigned tw;

	(void)state;
	need_session();
	assert_non_null(p);
	snprintf(n, sizeof(n), "%u", BULK_N);
	host_init(&h);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	if (simd_peer_wait_line(&G.s, p, "ready", 10000) < 0)
		fail_msg("the Linux listener did not start:\n%s", p->out);
	host_run(&h, p, (int)slow * BULK_TIMEOUT_MS);
	host_report(&h, "engine client");
	printf("  took %.1f s\n", (double)(simd_mono_ns() - t0) / 1e9);
	if (h.errors)
		fail_msg("%u errors, the first: %s", h.errors, h.first_error);
	if (p->status != 0)
		fail_msg("toe-linux-peer exited %d:\n%s", p->status, p->out);
	assert_int_equal(h.issued, BULK_N);
	assert_int_equal(h.finals, BULK_N);
	for (int m = 0; m < 4; m++)
		assert_int_equal(h.by_mode[m], BULK_N / 4);
	assert_int_equal(h.reset_ev, BULK_N / 4);
	assert_int_equal(h.aborted, BULK_N / 4);
	assert_int_equal(h.closed_ev, BULK_N / 2);
	wait_table_empty(&h, (int)slow * 10000);
	check_ss(PORT_BULK_ACTIVE, &tw);
	printf("  engine table empty; ss -tan: %u TIME-WAIT on port %d (Linux "
	       "closed first), nothing else\n", tw, PORT_BULK_ACTIVE);
	assert_true(tw <= BULK_N / 4);
	expect_no_frame_problems();
	free(h.c);
	free(p);
}

/* The engine's SYN-ACK is held back 1.5 s: Linux retransmits its SYN
 * (1 s RTO) while the engine is in SYN-RECEIVED; the connection must
 * still complete, and the data arrive once. */
static void test_linux_syn_retransmitted_in_synrcvd_connection_completes(void **state)
{
	const char *const args[] = { "client", "192.0.2.2:6003", "-n", "1",
				     "-m", "L", NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = true, .modes = "L", .n = 1,
			  .port = PORT_SYNRETX };
	unsigned syns = 0;
	uint32_t syn_seq = 0;

	(void)state;
	need_session();
	assert_non_null(p);
	host_init(&h);
	G.watch_port = PORT_SYNRETX;
	G.filt = (struct filter_cfg){ .on = true, .dir = SIMD_TO_LINUX,
		.src_port = PORT_SYNRETX, .flags = TOE_TCP_SYN | TOE_TCP_ACK,
		.action = (int64_t)(toe_eut_tick_hz(G.s.eng) * 3 / 2),
		.times = 1 };
	assert_int_equal(toe_eut_listen(G.s.eng, PORT_SYNRETX), 0);
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	host_run(&h, p, 30000);
	if (h.errors)
		fail_msg("%s", h.first_error);
	assert_int_equal(p->status, 0);
	assert_int_equal(h.rx_bytes, strlen("hello from Linux port 12345\n"));
	for (unsigned i = 0; i < G.n_log; i++) {
		const struct toe_seg *s = &G.log[i].f.seg;

		if (G.log[i].dir != SIMD_TO_ENGINE || s->flags != TOE_TCP_SYN)
			continue;
		if (syns++ == 0)
			syn_seq = s->seq;
		else
			assert_int_equal(s->seq, syn_seq); /* a retransmission */
	}
	/* the precondition: Linux did retransmit */
	assert_true(syns >= 2);
	printf("  Linux sent its SYN %u times; the connection completed\n",
	       syns);
	assert_int_equal(toe_eut_unlisten(G.s.eng, PORT_SYNRETX), 0);
	free(h.c);
	free(p);
}

/* The engine's first SYN is lost: its retransmission timer (RTO 1 s of
 * engine time) resends it; paced engine time must match wall time. */
static void test_engine_syn_lost_retransmitted_after_rto(void **state)
{
	const char *const args[] = { "server", "6004", "-n", "1", "-m", "E",
				     NULL };
	struct simd_peer *p = calloc(1, sizeof(*p));
	struct host h = { .passive = false, .modes = "E", .n = 1,
			  .port = PORT_ENGRETX, .first_lport = ENGRETX_LPORT,
			  .max_in_flight = 1 };
	const struct logged *s1 = NULL, *s2 = NULL;
	uint64_t hz, rto;
	struct simd_wire_stats ws;
	double wall, lag_s;

	(void)state;
	need_session();
	hz = toe_eut_tick_hz(G.s.eng);
	assert_non_null(p);
	host_init(&h);
	G.watch_port = PORT_ENGRETX;
	G.filt = (struct filter_cfg){ .on = true, .dir = SIMD_TO_LINUX,
		.src_port = ENGRETX_LPORT, .flags = TOE_TCP_SYN, .action = -1,
		.times = 1 };
	assert_int_equal(simd_peer_start(&G.s, p, args), 0);
	if (simd_peer_wait_line(&G.s, p, "ready", 10000) < 0)
		fail_msg("the Linux listener did not start:\n%s", p->out);
	host_run(&h, p, 30000);
	if (h.errors)
		fail_msg("%s", h.first_error);
	assert_int_equal(p->status, 0);
	assert_int_equal(h.finals, 1);
	/* the wire log holds the SYN that got through; the dropped one is
	 * not on the wire: the first SYN seen is the retransmission */
	for (unsigned i = 0; i < G.n_log; i++)
		if (G.log[i].dir == SIMD_TO_LINUX &&
		    G.log[i].f.seg.flags == TOE_TCP_SYN) {
			if (!s1)
				s1 = &G.log[i];
			else if (!s2)
				s2 = &G.log[i];
		}
	assert_non_null(s1);
	assert_null(s2); /* only one SYN reached Linux */
	assert_int_equal(G.filt.times, 0); /* and one was dropped */
	assert_int_equal(s1->f.seg.seq, G.filt.hit_seq);
	/* RTO: 1 s of engine time is hz cycles (a timer may be late by its
	 * scan, never early). Measured between the two SYNs, so the first
	 * one's own latency after the command armed the timer (its ISN's
	 * SipHash: the retransmission reuses the ISN) shows as up to
	 * SYN_BUILD_SLACK cycles less when the scan is quick (a small
	 * MAX_CONNS), and so, through a board, does the phase of the clock
	 * crossings on the way to the pins. */
	rto = s1->first - G.filt.hit_cycle;
	wall = (double)(s1->wall_ns - G.filt.hit_wall_ns) / 1e9;
	printf("  SYN retransmitted %" PRIu64 " cycles (%.4f engine s) after "
	       "the first; %.3f s of wall time\n", rto, (double)rto / (double)hz,
	       wall);
	if (rto + SYN_BUILD_SLACK < hz || rto > hz + hz / 100)
		fail_msg("SYN retransmitted %" PRIu64 " cycles after the first, "
			 "want %" PRIu64 "..%" PRIu64, rto, hz - SYN_BUILD_SLACK,
			 hz + hz / 100);
	/* pacing (toe_simd_wire.c): engine time never runs ahead of the wall
	 * clock by more than a slice (1 ms), but it may lag by up to the
	 * wire's max_lag and then catch up, so between two moments engine
	 * time can gain on wall time by the lag it had at the first plus a
	 * slice: the wall interval is at least the engine interval less the
	 * largest lag seen in the run (stats) and a slice. A loaded machine
	 * only makes it later. */
	simd_wire_stats(G.s.wire, &ws);
	lag_s = (double)ws.max_lag / (double)hz;
	if (wall < (double)rto / (double)hz - lag_s - 0.001)
		fail_msg("%.3f s of wall time for %.4f s of engine time: engine "
			 "ahead by more than the largest lag (%.3f s) + a slice",
			 wall, (double)rto / (double)hz, lag_s);
	assert_true(wall <= 10.0);
	free(h.c);
	free(p);
}

/*
 * The whole capture through tshark with checksum validation on
 * (-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE) and its expert
 * analysis: no bad checksum, no malformed frame, and no warning or error
 * other than these, each named and explained:
 *   "Connection reset (RST)": only on connections whose close mode is R
 *      (Linux's SO_LINGER 0 close) or A (the engine's abort) in the two
 *      bulk tests. Linux's RST after data may be followed by a second one,
 *      its answer to the engine's ACK of that data which crossed it.
 *   "TCP window specified by the receiver is now completely full": only
 *      Linux's segments of the data test: the engine advertises a fixed
 *      8760-byte window (no scaling, no receive buffer: payload goes to
 *      the user stream at once), which Linux fills with 6 x 1460 bytes.
 *   "TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)": only in
 *      frames from Linux. Both are the ones' complement zero and a
 *      receiver's sum over the segment is 0xFFFF either way (RFC 1624
 *      section 3); Linux's incremental update sometimes writes 0xFFFF.
 *      The engine must accept it (frame_check saw nothing dropped, and
 *      the connection completed).
 */
static int bulk_mode(uint16_t sport, uint16_t dport)
{
	if (dport == PORT_BULK_PASSIVE || sport == PORT_BULK_PASSIVE)
		return interop_mode("LERA", dport == PORT_BULK_PASSIVE ?
				    sport : dport);
	if (dport == PORT_BULK_ACTIVE || sport == PORT_BULK_ACTIVE)
		return interop_mode("LERA", dport == PORT_BULK_ACTIVE ?
				    sport : dport);
	return 0;
}

static void test_pcap_tshark_no_bad_checksum_no_unexplained_warning(void **state)
{
	char cmd[1024], line[4096];
	FILE *f;
	unsigned frames = 0, rst = 0, full = 0, ffff = 0, notes = 0;
	int rc;

	(void)state;
	need_session();
	simd_wire_flush(G.s.wire);
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s -o ip.check_checksum:TRUE "
		 "-o tcp.check_checksum:TRUE -T fields -E separator=/t "
		 "-E aggregator='|' -e frame.number -e ip.src -e tcp.srcport "
		 "-e tcp.dstport -e _ws.expert.severity -e _ws.expert.message "
		 "-e _ws.malformed 2>&1", PCAP_PATH);
	f = popen(cmd, "r");
	if (!f)
		fail_msg("cannot run tshark");
	while (fgets(line, sizeof(line), f)) {
		char *fld[7] = { 0 }, *p = line, *sev, *msg, *s1, *s2;
		int nf = 0;
		uint16_t sport, dport;
		bool from_linux;

		if (!strncmp(line, "Running as user", 15))
			continue;
		line[strcspn(line, "\n")] = 0;
		while (nf < 7) {
			fld[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = 0;
		}
		if (nf < 6 || !fld[0][0] || fld[0][0] < '0' || fld[0][0] > '9')
			fail_msg("tshark: %s", line);
		frames++;
		if (nf >= 7 && fld[6][0])
			fail_msg("tshark: frame %s is malformed", fld[0]);
		if (!fld[4][0])
			continue;
		from_linux = !strcmp(fld[1], "192.0.2.1");
		sport = (uint16_t)atoi(fld[2]);
		dport = (uint16_t)atoi(fld[3]);
		for (sev = strtok_r(fld[4], "|", &s1),
		     msg = strtok_r(fld[5], "|", &s2); sev && msg;
		     sev = strtok_r(NULL, "|", &s1),
		     msg = strtok_r(NULL, "|", &s2)) {
			unsigned long sv = strtoul(sev, NULL, 0);
			int m;

			if (sv < 0x600000) { /* chat, note */
				notes += sv >= 0x400000;
				continue;
			}
			if (!strcmp(msg, "Connection reset (RST)")) {
				m = bulk_mode(sport, dport);
				if (m != 'R' && m != 'A')
					fail_msg("frame %s: RST on %u -> %u, a "
						 "connection not closed by RST",
						 fld[0], sport, dport);
				rst++;
			} else if (!strcmp(msg, "TCP window specified by the "
					   "receiver is now completely full")) {
				if (!from_linux || dport != PORT_DATA)
					fail_msg("frame %s: window full on %u "
						 "-> %u", fld[0], sport, dport);
				full++;
			} else if (!strcmp(msg, "TCP Checksum 0xffff instead "
					   "of 0x0000 (see RFC 1624)")) {
				if (!from_linux)
					fail_msg("frame %s: the engine sent "
						 "checksum 0xffff", fld[0]);
				ffff++;
			} else {
				fail_msg("tshark: frame %s (%s %u -> %u): %s "
					 "(severity 0x%lx)", fld[0], fld[1],
					 sport, dport, msg, sv);
			}
		}
	}
	rc = pclose(f);
	if (rc != 0)
		fail_msg("tshark exited with status %d (is it installed? "
			 "make deps)", rc);
	printf("  tshark: %u frames; warnings: %u RST (modes R/A), %u window "
	       "full (data test), %u checksum 0xffff (from Linux); %u notes\n",
	       frames, rst, full, ffff, notes);
	assert_int_equal(frames, simd_wire_frames(G.s.wire));
	/* the RSTs the bulk tests make: at least one per R/A connection */
	assert_true(rst >= BULK_N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_from_linux_every_echo_answered),
		cmocka_unit_test(test_linux_syn_options_engine_ignores_linux_falls_back),
		cmocka_unit_test(test_linux_data_arrives_in_order_byte_exact),
		cmocka_unit_test(test_linux_syn_retransmitted_in_synrcvd_connection_completes),
		cmocka_unit_test(test_engine_syn_lost_retransmitted_after_rto),
		cmocka_unit_test(test_linux_client_bulk_all_modes_all_complete),
		cmocka_unit_test(test_engine_client_bulk_all_modes_all_complete),
		cmocka_unit_test(test_pcap_tshark_no_bad_checksum_no_unexplained_warning),
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* TOE_INTEROP_FILTER=test_engine_client*: run only the matching */
	if (getenv("TOE_INTEROP_BULK_N"))
		bulk_n = (unsigned)atoi(getenv("TOE_INTEROP_BULK_N")) / 4 * 4;
	if (getenv("TOE_INTEROP_FILTER"))
		cmocka_set_test_filter(getenv("TOE_INTEROP_FILTER"));
	return cmocka_run_group_tests_name("interop_linux", tests, group_setup,
					   group_teardown);
}
