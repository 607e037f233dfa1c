/* SPDX-License-Identifier: MIT */
/*
 * pkt_run_priv.h - what the two parts of toe-pkt's runner share: the state
 * of one run (flows, connections, sockets, the blocking call) and the
 * helpers each part gives the other. pkt_run.c is the executor (time,
 * segments, assertions, commands), pkt_calls.c the socket-call emulation.
 * Private to host/tools/toe_pkt/.
 */
#ifndef TOE_PKT_RUN_PRIV_H
#define TOE_PKT_RUN_PRIV_H

#include "pkt.h"

#define MAX_FLOWS 256
#define MAX_FDS 256
#define ANY_WAIT_US (3600LL * 1000000) /* '*' waits at most an hour */
#define FD_FIRST 3
#define PKT_LX_MAX_SYSCTL 16
/* linux: how late any segment or blocking call may be, on top of the
 * tolerance (real time on a shared machine: scheduling); a segment due
 * later than its stimulus (a kernel timer's) gets 1/8 of the time since
 * the previous event if that is more (docs/pkt.md) */
#define PKT_LINUX_SLACK_US 20000

enum fd_kind { FD_SOCK = 1, FD_LISTEN, FD_CONN };

struct flow {
	uint16_t lport, rport;
	bool risn_known, lisn_known;
	uint32_t risn, lisn;
};

/* A connection the runner knows (from connect() or an ESTABLISHED event). */
struct conn {
	int id;             /* back-end connection id */
	int flow;
	bool live;          /* the id still names this connection */
	bool passive, established, accepted, peer_fin;
	int so_error;       /* pending, for SO_ERROR / connect / read */
	uint64_t t_change;  /* when it last changed (for blocking calls) */
	uint8_t *rx;        /* received, not yet read */
	size_t rx_len, rx_cap;
};

struct sock {
	enum fd_kind kind;  /* 0 = free */
	bool bound, nonblock, linger0, wr_shut;
	int conn;           /* index into run.conns (FD_CONN) */
};

enum pend_kind { PEND_NONE, PEND_CONNECT, PEND_ACCEPT, PEND_READ };

struct pending {
	enum pend_kind kind;
	const struct pkt_event *e;
	int fd;
	int64_t issued, end;   /* end: when it must return */
	uint64_t read_max;
};

struct run {
	const struct pkt_script *sc;
	const struct pkt_settings *set;
	const struct pkt_run_opts *o;
	struct toe_eut *be;
	struct toe_eut_cfg cfg;
	int be_err;         /* the runner's view went wrong (RX_DATA), 0 if not */
	char be_errbuf[96];
	uint8_t data[PKT_FRAME_MAX]; /* the payload of the last RX_DATA */
	bool failed;
	FILE *msg;          /* failure details */
	char *msgbuf;
	size_t msglen;
	FILE *notes;
	char *notebuf;
	size_t notelen;

	struct flow flows[MAX_FLOWS];
	int nflow, cur;
	struct conn *conns;
	int nconn, capconn;
	int *by_id;         /* back-end id -> conns index or -1 */
	int nid;
	struct sock fds[MAX_FDS];
	bool listening;
	uint16_t next_eph;
	uint16_t ip_id;

	int64_t t_prev;     /* what '+' is relative to */
	/* when the last segment or call reached the back end (us); -1: none.
	 * A reply expected then is that stimulus's, not a timer's. */
	int64_t t_stim;
	/* Simulated back ends (docs/pkt.md "Timing"): the last input that
	 * reached the back end, a frame or a command - its script time (-1:
	 * none) and line (a '>' line due by in_upto is its reply: due then,
	 * or with '+0' after another of its replies), its reply bound in
	 * ticks (toe_eut_reply_bound; -1:
	 * none stated) and, for a command, its tick; the last beat of the
	 * last frame the engine sent (out_tick valid with have_out). */
	int64_t in_t;
	int64_t in_upto;    /* in_t, or when the last of its replies was sent */
	int in_line;
	bool in_frame;
	int64_t in_bound;
	uint64_t in_cmd_tick;
	uint64_t out_tick;
	bool have_out;
	struct pkt_frame *frame;
	bool have_frame;
	struct pending pend;
	const struct pkt_event *cur_ev;
	/* linux: the script's sysctls until the namespace exists */
	struct {
		char key[64], val[32];
		const struct pkt_event *e;
	} lx_sysctl[PKT_LX_MAX_SYSCTL];
	int n_lx_sysctl;
};

/* ---- pkt_run.c: messages, the back end, flows ---- */

/* Seconds with six decimals ("-" when negative). */
void pkt_fmt_time(char *b, size_t n, int64_t us);
/* "engine" or "model" */
const char *pkt_be_name(const struct run *r);
/* Simulated time, us since the configuration (the last event's time
 * before the back end starts). */
int64_t pkt_now(struct run *r);
/* How late a timer may fire after its deadline, by design (us). */
uint64_t pkt_be_slack_us(const struct run *r);
/* Oldest event: 1 and *ev filled (RX_DATA with its payload), 0 if none. */
int pkt_be_pop_event(struct run *r, struct pkt_bev *ev);
/* Start a failure at event e (NULL: the script as a whole); returns -1.
 * Only the first failure of a run is reported. */
int pkt_fail(struct run *r, const struct pkt_event *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note printed after the result line. */
void pkt_note(struct run *r, const struct pkt_event *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The flow of these ports (created if new), -1 if there are too many. */
int pkt_flow_get(struct run *r, uint16_t lport, uint16_t rport);
/* Start the back end if it is not running: 0, or -1 (failed). */
int pkt_ensure_backend(struct run *r, const struct pkt_event *e);

/* ---- pkt_calls.c: sockets, connections, socket calls ---- */

/* Take every pending event of the back end into the connections. */
void pkt_drain_events(struct run *r);
/* Has the pending (blocking) call returned? 1 done (checked), 0 not yet,
 * -1 failed. */
int pkt_pending_poll(struct run *r);
/* Called while time passes: fails a pending call that is overdue. */
int pkt_pending_check(struct run *r);
/* Run the socket call of event e at time T: 0, or -1 (failed). */
int pkt_do_call(struct run *r, const struct pkt_event *e, int64_t T);
/* Free the connections (at the end of a run). */
void pkt_calls_free(struct run *r);

#endif
