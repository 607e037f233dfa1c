/* SPDX-License-Identifier: MIT */
/*
 * pkt.h - toe-pkt, the packetdrill-language conformance runner: the parsed
 * form of a script (events with their times, packets, socket calls,
 * assertions, shell commands) and the entry points of the parser and the
 * executor. The language subset is described in docs/pkt.md.
 */
#ifndef TOE_PKT_H
#define TOE_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "toe_eut.h"

#define PKT_MAX_ARGS 8
/* the largest script file read, bytes */
#define PKT_MAX_SCRIPT_BYTES (8u << 20)
/* every time a script gives is at most 1e8 s, and so is their sum (us) */
#define PKT_MAX_SCRIPT_US 100000000000000LL
#define PKT_MAX_ASSERTS 8

/* Runner settings: command line options, then the script's own options. */
struct pkt_settings {
	int64_t tolerance_us;   /* --tolerance_usecs (default 4000) */
	bool tolerance_given;   /* set by an option (not the default) */
	uint32_t local_ip;      /* --local_ip: the engine (192.168.0.1) */
	uint32_t remote_ip;     /* --remote_ip: the peer (192.0.2.1) */
	uint16_t bind_port;     /* --bind_port: listening port (8080) */
	uint16_t remote_port;   /* --remote_port: peer port, passive opens (40000) */
	uint16_t connect_port;  /* --connect_port: peer port, active opens (8080) */
	uint16_t ephemeral;     /* --ephemeral_port: first local port of connect() */
	uint32_t default_win;   /* --default_win: window of injected segments */
	struct toe_eut_cfg be;  /* engine configuration (MTU, timers, ...) */
};

void pkt_settings_default(struct pkt_settings *s);
/* Apply one "--name=value" option (without the leading "--" stripped).
 * Returns 0, or -1 with a message in err. */
int pkt_settings_option(struct pkt_settings *s, const char *opt, char *err,
			size_t errlen);

/* ---- times ---- */
enum pkt_tkind {
	PKT_T_NONE = 0, /* no time given (%{ }% or `...` attached to the last event) */
	PKT_T_ABS,      /* 1.5 */
	PKT_T_REL,      /* +0.1 */
	PKT_T_ANY,      /* * (outbound packets only) */
};

struct pkt_time {
	enum pkt_tkind kind;
	int64_t us;
	bool range;          /* a~b: a window */
	enum pkt_tkind kind2;
	int64_t us2;
	bool blocking;       /* a...b: a call that blocks until b */
	enum pkt_tkind end_kind;
	int64_t end_us;
};

/* ---- events ---- */
enum pkt_ev_kind {
	PKT_EV_IN,    /* < injected segment */
	PKT_EV_OUT,   /* > expected segment */
	PKT_EV_CALL,  /* socket call */
	PKT_EV_CODE,  /* %{ assert ... }% */
	PKT_EV_SHELL, /* `command` */
};

struct pkt_seg_spec {
	int port;           /* @PORT: the peer port of the flow; 0 = current */
	uint8_t flags;      /* TOE_TCP_* */
	uint32_t start, end, len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	bool opt_given;     /* an option list was written */
	bool opt_any;       /* <...> */
	uint8_t opt[40];
	uint8_t opt_len;
	/* sack blocks are relative to the other side's ISN: offsets of the
	 * 32-bit edges inside opt[] (injected segments only) */
	uint8_t sack_edge[8];
	uint8_t n_sack_edge;
	/* IPv4 header fields, "(ttl 64)" before the flags (packetdrill: one
	 * of tos, ttl; toe-pkt extensions: a list, id, df, nodf); injected:
	 * set, expected: checked, when given */
	bool has_tos, has_ttl, has_id, has_df;
	uint8_t tos, ttl;
	uint16_t ip_id;
	bool df;
	bool bad_tcp_csum;  /* extension: "csum bad" */
	bool bad_ip_csum;   /* extension: "ipcsum bad" */
};

struct pkt_call {
	char name[16];
	int nargs;
	char *args[PKT_MAX_ARGS]; /* trimmed argument texts */
	int64_t ret;
	char err[32];       /* errno name after the return value, "" if none */
};

struct pkt_assert {
	char lhs[40], rhs[40];
	char op[3];          /* == != < <= > >= */
};

struct pkt_code {
	int n;
	struct pkt_assert a[PKT_MAX_ASSERTS];
};

struct pkt_event {
	int line;
	struct pkt_time t;
	enum pkt_ev_kind kind;
	char *text;          /* the action as written (for messages) */
	union {
		struct pkt_seg_spec seg;
		struct pkt_call call;
		struct pkt_code code;
	} u;
	char *shell;         /* PKT_EV_SHELL: the command text */
};

struct pkt_script {
	const char *path;
	struct pkt_settings set;
	struct pkt_event *ev;
	int nev, cap;
};

/*
 * Parse a script file. settings: the command line's settings, copied into
 * sc->set before the script's options are applied. Returns 0, or -1 with
 * "path:line: message" in err.
 */
int pkt_parse_file(const char *path, const struct pkt_settings *settings,
		   struct pkt_script *sc, char *err, size_t errlen);
/* The same from a string (tests, and pkt_parse_file itself). */
int pkt_parse_string(const char *path, const char *text,
		     const struct pkt_settings *settings, struct pkt_script *sc,
		     char *err, size_t errlen);
void pkt_script_free(struct pkt_script *sc);

/* Flag letters "S." style for a flags byte (packetdrill order: S F R P then
 * '.', then E W U); buf of 10. "-" for none. */
const char *pkt_flags_str(uint8_t flags, char buf[10]);
/* Parse an errno name ("ECONNREFUSED") -> positive value, -1 if unknown. */
int pkt_errno_value(const char *name);
const char *pkt_errno_name(int value);
/* "TCPI_SYN_RECEIVED" / "TCP_SYN_RECV" -> enum toe_tcp_state, -1 if not a
 * state name. */
int pkt_state_const(const char *name);

/* ---- running ---- */

/* The engine under test (sim/eut/toe_eut.h) as the runner sees it: times in
 * microseconds since it was configured. */
#define PKT_FRAME_MAX 16384

struct pkt_frame {
	uint8_t buf[PKT_FRAME_MAX];
	size_t len;
	bool bad;                /* sent with tuser (bad frame) set */
	uint64_t t_us;           /* when its first byte left the engine */
	uint64_t first_tick, last_tick; /* its first and last beat (ticks) */
};

/* An event (TOE_EV_*), with the payload of RX_DATA. */
struct pkt_bev {
	int type;
	int conn;
	uint64_t t_us;           /* when the runner saw it */
	const uint8_t *data;     /* RX_DATA: valid until the next event */
	uint16_t len;
};

/* "engine" (rtl) or "model" (ref): the runner's words for the kinds */
const char *pkt_kind_name(enum toe_eut_kind k);

struct pkt_run_opts {
	enum toe_eut_kind kind;  /* TOE_EUT_RTL: the engine; REF: --model */
	bool verbose;        /* print every event as it runs */
	FILE *out;           /* result line and failure details */
};

/* Run one parsed script. Returns 0 pass, 1 fail, 2 fail on a run that
 * skipped idle time (times in the report may be the skip's end: run again
 * with be.no_skip for exact ones). Prints the PASS/FAIL line and, on
 * failure, the details. */
int pkt_run(const struct pkt_script *sc, const struct pkt_run_opts *o);

#endif
