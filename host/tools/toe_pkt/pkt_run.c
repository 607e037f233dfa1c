/* SPDX-License-Identifier: MIT */
/*
 * pkt_run.c - toe-pkt's executor: runs one parsed script against a back end
 * on simulated time. It keeps the peer's view of each flow (the two ISNs,
 * learnt from the first SYNs, so scripts use relative numbers), the
 * sockets (fds) mapped onto engine connections, events turned into what
 * socket calls return (accept, read, SO_ERROR, blocking connect), and
 * checks every segment the engine sends against the script, in order,
 * within the time tolerance. The first mismatch fails the script with the
 * line, what was expected, what the engine sent (decoded) and the time.
 */
#include "pkt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe_tcp.h"
#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_wire.h"

#define MAX_FLOWS 256
#define MAX_FDS 256
#define ANY_WAIT_US (3600LL * 1000000) /* '*' waits at most an hour */
#define FD_FIRST 3

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
	struct pkt_frame *frame;
	bool have_frame;
	struct pending pend;
	const struct pkt_event *cur_ev;
};

/* ------------------------------------------------------------------ */
/* messages                                                            */
/* ------------------------------------------------------------------ */

static void fmt_time(char *b, size_t n, int64_t us)
{
	if (us < 0)
		snprintf(b, n, "-%lld.%06lld", (long long)(-us / 1000000),
			 (long long)(-us % 1000000));
	else
		snprintf(b, n, "%lld.%06lld", (long long)(us / 1000000),
			 (long long)(us % 1000000));
}

/* ---- the engine under test, in the runner's units ---- */

const char *pkt_kind_name(enum toe_eut_kind k)
{
	return k == TOE_EUT_RTL ? "engine" : "model";
}

static const char *be_name(const struct run *r)
{
	return pkt_kind_name(r->o->kind);
}

/* Ticks since the configuration -> microseconds. */
static uint64_t be_us(const struct run *r, uint64_t tick)
{
	return toe_eut_ticks_to_us(tick - toe_eut_t0(r->be),
				   toe_eut_tick_hz(r->be));
}

static int64_t now(struct run *r)
{
	return r->be ? (int64_t)be_us(r, toe_eut_tick(r->be)) : r->t_prev;
}

/* How late a timer may fire after its deadline, by design (the engine
 * scans its timers: up to about two passes over the table); the runner
 * allows it on top of the tolerance, on the late side. */
static uint64_t be_slack_us(const struct run *r)
{
	uint64_t t = toe_eut_timer_slack(r->be);

	return t ? toe_eut_ticks_to_us(t, toe_eut_tick_hz(r->be)) + 1 : 0;
}

/* Advance simulated time to `until` (us), earlier if a stop condition
 * holds; up to `quiet` the script expects nothing from the engine. */
static void be_run(struct run *r, uint64_t until, unsigned stop,
		   uint64_t quiet)
{
	uint64_t t0 = toe_eut_t0(r->be), hz = toe_eut_tick_hz(r->be);

	toe_eut_run(r->be, t0 + toe_eut_us_to_ticks_ceil(until, hz), stop,
		    t0 + toe_eut_us_to_ticks(quiet, hz));
}

/* Oldest frame the engine sent: 1 and *f filled, 0 if none. */
static int be_pop_frame(struct run *r, struct pkt_frame *f)
{
	uint64_t first = 0;
	bool bad = false;
	size_t n = toe_eut_pop_frame(r->be, f->buf, sizeof(f->buf), &first,
				     NULL, &bad);

	if (n == 0)
		return 0;
	f->len = n < sizeof(f->buf) ? n : sizeof(f->buf);
	f->bad = bad;
	f->t_us = be_us(r, first);
	return 1;
}

/* Oldest event: 1 and *ev filled (RX_DATA with its payload), 0 if none. */
static int be_pop_event(struct run *r, struct pkt_bev *ev)
{
	struct toe_eut_event te;

	if (toe_eut_pop_event(r->be, &te) != 1)
		return 0;
	ev->type = te.type;
	ev->conn = te.conn;
	ev->t_us = be_us(r, te.tick);
	ev->data = NULL;
	ev->len = 0;
	if (ev->type == TOE_EV_RX_DATA && te.arg) {
		uint16_t conn = 0;
		size_t n;

		/* the payload leaves on the user stream; wait for it */
		for (int i = 0; i < 1000 && !toe_eut_payload_pending(r->be); i++)
			toe_eut_step(r->be, 16);
		n = toe_eut_pop_payload(r->be, &conn, r->data, sizeof(r->data));
		if (n != te.arg || conn != ev->conn) {
			fprintf(stderr, "toe-pkt: %s: RX_DATA event of %u bytes "
				"for connection %d, user stream gave %zu bytes "
				"for connection %u\n", be_name(r), te.arg,
				ev->conn, n, conn);
			if (!r->be_err)
				r->be_err = -1000;
		}
		ev->data = r->data;
		ev->len = (uint16_t)(n < sizeof(r->data) ? n : sizeof(r->data));
	}
	return 1;
}

/* NULL, or what went wrong inside the back end: the run is then void. */
static const char *be_error(struct run *r)
{
	const char *m = toe_eut_error(r->be);

	if (m || !r->be_err)
		return m;
	snprintf(r->be_errbuf, sizeof(r->be_errbuf), "host bridge error %d "
		 "(register access failed)", r->be_err);
	return r->be_errbuf;
}

/* Start a failure at event e (NULL: the script as a whole). */
static int fail(struct run *r, const struct pkt_event *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct run *r, const struct pkt_event *e, const char *fmt, ...)
{
	va_list ap;
	char t[32];

	if (r->failed)
		return -1;
	r->failed = true;
	if (e)
		fprintf(r->msg, "  %s:%d: ", r->sc->path, e->line);
	else
		fprintf(r->msg, "  %s: ", r->sc->path);
	va_start(ap, fmt);
	vfprintf(r->msg, fmt, ap);
	va_end(ap);
	fputc('\n', r->msg);
	if (e && e->text)
		fprintf(r->msg, "    script: %s\n", e->text);
	fmt_time(t, sizeof(t), now(r));
	fprintf(r->msg, "    simulated time: %s s\n", t);
	return -1;
}

static void note(struct run *r, const struct pkt_event *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct run *r, const struct pkt_event *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->notes, "  note: %s:%d: ", r->sc->path, e->line);
	va_start(ap, fmt);
	vfprintf(r->notes, fmt, ap);
	va_end(ap);
	fputc('\n', r->notes);
}

/* Options in packetdrill notation: "<mss 1460,nop,wscale 7>". */
static void fmt_opts(FILE *f, const uint8_t *o, size_t n)
{
	size_t i = 0;
	bool first = true;

	fputc('<', f);
	while (i < n) {
		if (!first)
			fputc(',', f);
		first = false;
		switch (o[i]) {
		case TOE_TCPOPT_EOL:
			fputs("eol", f);
			i++;
			continue;
		case TOE_TCPOPT_NOP:
			fputs("nop", f);
			i++;
			continue;
		default:
			break;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n) {
			fputs("raw", f);
			while (i < n)
				fprintf(f, " %02x", o[i++]);
			break;
		}
		if (o[i] == TOE_TCPOPT_MSS && o[i + 1] == 4)
			fprintf(f, "mss %u", (unsigned)o[i + 2] << 8 | o[i + 3]);
		else if (o[i] == TOE_TCPOPT_WSCALE && o[i + 1] == 3)
			fprintf(f, "wscale %u", o[i + 2]);
		else if (o[i] == TOE_TCPOPT_SACK_PERM && o[i + 1] == 2)
			fputs("sackOK", f);
		else {
			fputs("raw ", f);
			for (unsigned k = 0; k < o[i + 1]; k++)
				fprintf(f, "%02x", o[i + k]);
		}
		i += o[i + 1];
	}
	fputc('>', f);
}

/* A segment the engine sent, in the script's relative numbers. */
static void fmt_seg(FILE *f, const struct flow *fl, const struct toe_seg *s)
{
	char fb[10];
	uint32_t seq = fl && fl->lisn_known ? s->seq - fl->lisn : s->seq;
	uint32_t seglen = s->len;

	fprintf(f, "%s %u:%u(%u)", pkt_flags_str(s->flags, fb), seq,
		seq + seglen, seglen);
	if (s->flags & TOE_TCP_ACK)
		fprintf(f, " ack %u",
			fl && fl->risn_known ? s->ack - fl->risn : s->ack);
	fprintf(f, " win %u", s->win);
	if (s->opt_raw_len) {
		fputc(' ', f);
		fmt_opts(f, s->opt_raw, s->opt_raw_len);
	}
}

/* The frame the engine sent, decoded, for a failure report. */
static void show_frame(struct run *r, const struct pkt_frame *fr,
		       const struct flow *fl)
{
	struct toe_frame pf;
	char t[32];

	fmt_time(t, sizeof(t), (int64_t)fr->t_us);
	if (toe_parse_frame(fr->buf, fr->len, &pf) == TOE_PARSE_OK) {
		fprintf(r->msg, "    %s sent at %s s: ", be_name(r), t);
		if (fl)
			fprintf(r->msg, "%u > %u ", pf.seg.src_port,
				pf.seg.dst_port);
		fmt_seg(r->msg, fl, &pf.seg);
		fputc('\n', r->msg);
	} else {
		fprintf(r->msg, "    %s sent at %s s:\n", be_name(r), t);
	}
	/* the decode, indented under the failure */
	{
		char *buf = NULL, *line, *save = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (!m)
			return;
		toe_decode_frame(m, 1, fr->t_us, fr->buf, fr->len,
				 TOE_DECODE_NO_HEX);
		fclose(m);
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			fprintf(r->msg, "      | %s\n", line);
		free(buf);
	}
}

/* ------------------------------------------------------------------ */
/* flows, connections, sockets                                         */
/* ------------------------------------------------------------------ */

static int flow_get(struct run *r, uint16_t lport, uint16_t rport)
{
	for (int i = 0; i < r->nflow; i++)
		if (r->flows[i].lport == lport && r->flows[i].rport == rport)
			return i;
	if (r->nflow == MAX_FLOWS)
		return -1;
	memset(&r->flows[r->nflow], 0, sizeof(r->flows[0]));
	r->flows[r->nflow].lport = lport;
	r->flows[r->nflow].rport = rport;
	return r->nflow++;
}

/* The flow a packet line names: @port (peer port, listening port) or the
 * current one. */
static int flow_of(struct run *r, const struct pkt_seg_spec *s)
{
	if (s->port) {
		for (int i = 0; i < r->nflow; i++)
			if (r->flows[i].rport == s->port)
				return i;
		return flow_get(r, r->set->bind_port, (uint16_t)s->port);
	}
	return r->cur;
}

static int conn_new(struct run *r, int id, int flow, bool passive)
{
	struct conn *c;

	if (r->nconn == r->capconn) {
		int cap = r->capconn ? 2 * r->capconn : 16;
		struct conn *n = realloc(r->conns, (size_t)cap * sizeof(*n));

		if (!n) {
			fprintf(stderr, "toe-pkt: out of memory\n");
			exit(2);
		}
		r->conns = n;
		r->capconn = cap;
	}
	if (id >= r->nid) {
		int nid = r->nid ? r->nid : 64;
		int *m;

		while (nid <= id)
			nid *= 2;
		m = realloc(r->by_id, (size_t)nid * sizeof(*m));
		if (!m) {
			fprintf(stderr, "toe-pkt: out of memory\n");
			exit(2);
		}
		for (int i = r->nid; i < nid; i++)
			m[i] = -1;
		r->by_id = m;
		r->nid = nid;
	}
	c = &r->conns[r->nconn];
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->flow = flow;
	c->live = true;
	c->passive = passive;
	c->t_change = (uint64_t)now(r);
	r->by_id[id] = r->nconn;
	return r->nconn++;
}

static int conn_by_id(struct run *r, int id)
{
	if (id < 0 || id >= r->nid)
		return -1;
	return r->by_id[id];
}

static void conn_unlink(struct run *r, int ci)
{
	struct conn *c = &r->conns[ci];

	if (c->live && conn_by_id(r, c->id) == ci)
		r->by_id[c->id] = -1;
	c->live = false;
}

/* After a user call: does the back end still have this connection? */
static void conn_check_alive(struct run *r, int ci)
{
	struct conn *c = &r->conns[ci];
	struct toe_ref_conn_info in;
	const struct flow *f = &r->flows[c->flow];

	if (!c->live)
		return;
	if (toe_eut_conn_info(r->be, c->id, &in, false) != 0 ||
	    in.state == TOE_ST_CLOSED ||
	    in.local_port != f->lport || in.remote_port != f->rport)
		conn_unlink(r, ci);
}

static void rx_append(struct conn *c, const uint8_t *d, size_t n)
{
	if (c->rx_len + n > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : 4096;
		uint8_t *b;

		while (cap < c->rx_len + n)
			cap *= 2;
		b = realloc(c->rx, cap);
		if (!b) {
			fprintf(stderr, "toe-pkt: out of memory\n");
			exit(2);
		}
		c->rx = b;
		c->rx_cap = cap;
	}
	if (d)
		memcpy(c->rx + c->rx_len, d, n);
	else
		memset(c->rx + c->rx_len, 0, n);
	c->rx_len += n;
}

static void handle_event(struct run *r, const struct pkt_bev *ev)
{
	int ci = conn_by_id(r, ev->conn);
	struct conn *c;

	if (r->o->verbose)
		fprintf(r->o->out, "    [%llu us] event %s conn %d\n",
			(unsigned long long)ev->t_us,
			toe_ref_event_name(ev->type), ev->conn);
	if (ev->type == TOE_EV_ESTABLISHED && ci < 0) {
		struct toe_ref_conn_info in;
		int fl;

		/* a passive open completed: queue it for accept() */
		if (toe_eut_conn_info(r->be, ev->conn, &in, false) != 0)
			return;
		fl = flow_get(r, in.local_port, in.remote_port);
		if (fl < 0)
			return;
		ci = conn_new(r, ev->conn, fl, true);
	}
	if (ci < 0)
		return; /* e.g. a SYN-RECEIVED that timed out: nobody to tell */
	c = &r->conns[ci];
	c->t_change = ev->t_us;
	switch (ev->type) {
	case TOE_EV_ESTABLISHED:
		c->established = true;
		break;
	case TOE_EV_PEER_FIN:
		c->peer_fin = true;
		break;
	case TOE_EV_CLOSED:
		conn_unlink(r, ci);
		break;
	case TOE_EV_RESET:
		c->so_error = ECONNRESET;
		conn_unlink(r, ci);
		break;
	case TOE_EV_REFUSED:
		c->so_error = ECONNREFUSED;
		conn_unlink(r, ci);
		break;
	case TOE_EV_TIMEDOUT:
		c->so_error = ETIMEDOUT;
		conn_unlink(r, ci);
		break;
	case TOE_EV_RX_DATA:
		rx_append(c, ev->data, ev->len);
		break;
	default:
		break;
	}
}

static void drain_events(struct run *r)
{
	struct pkt_bev ev;

	if (!r->be)
		return;
	while (be_pop_event(r, &ev))
		handle_event(r, &ev);
}

static int fd_alloc(struct run *r, enum fd_kind kind)
{
	for (int fd = FD_FIRST; fd < MAX_FDS; fd++)
		if (!r->fds[fd].kind) {
			memset(&r->fds[fd], 0, sizeof(r->fds[fd]));
			r->fds[fd].kind = kind;
			r->fds[fd].conn = -1;
			return fd;
		}
	return -1;
}

/* ------------------------------------------------------------------ */
/* back end                                                            */
/* ------------------------------------------------------------------ */

static int ensure_backend(struct run *r, const struct pkt_event *e)
{
	char err[256];

	if (r->be)
		return 0;
	r->cfg.local_ip = r->set->local_ip;
	/* the engine: 250000, the lowest TICK_HZ the ISN clock allows (one
	 * cycle is 4 us); the model: microseconds */
	if (!r->cfg.tick_hz)
		r->cfg.tick_hz = r->o->kind == TOE_EUT_RTL ? 250000 : 1000000;
	r->cfg.kind = r->o->kind;
	/* the bridge is ours, one register a request, synchronous */
	r->cfg.own_bridge = true;
	r->cfg.bridge_burst = 1;
	r->cfg.who = "toe-pkt: engine";
	r->be = toe_eut_new(&r->cfg, err, sizeof(err));
	if (!r->be)
		return fail(r, e, "cannot start the %s: %s", be_name(r), err);
	if (r->o->verbose)
		fprintf(r->o->out, "    started %s\n", toe_eut_describe(r->be));
	return 0;
}

static const struct pkt_frame *peek_frame(struct run *r)
{
	if (!r->be)
		return NULL;
	if (!r->have_frame)
		r->have_frame = be_pop_frame(r, r->frame) == 1;
	return r->have_frame ? r->frame : NULL;
}

/* The flow a frame from the engine belongs to, or NULL. */
static const struct flow *frame_flow(struct run *r, const struct pkt_frame *f)
{
	struct toe_frame pf;

	if (toe_parse_frame(f->buf, f->len, &pf) != TOE_PARSE_OK)
		return NULL;
	for (int i = 0; i < r->nflow; i++)
		if (r->flows[i].lport == pf.seg.src_port &&
		    r->flows[i].rport == pf.seg.dst_port)
			return &r->flows[i];
	return NULL;
}

static int fail_unexpected(struct run *r, const struct pkt_event *e)
{
	const struct pkt_frame *f = peek_frame(r);

	if (e)
		fail(r, e, "unexpected outbound segment (the script expects none "
		     "before this line)");
	else
		fail(r, NULL, "unexpected outbound segment after the last line");
	show_frame(r, f, frame_flow(r, f));
	return -1;
}

/* ------------------------------------------------------------------ */
/* blocking calls                                                      */
/* ------------------------------------------------------------------ */

static int check_ret(struct run *r, const struct pkt_event *e, int64_t ret,
		     int err);
static int finish_accept(struct run *r, const struct pkt_event *e, int lfd,
			 int ci);
static int find_acceptable(struct run *r);

/* Has the pending call returned? 1 done (checked), 0 not yet, -1 failed. */
static int pending_poll(struct run *r)
{
	struct pending *p = &r->pend;
	struct conn *c = NULL;
	int64_t ret = 0, when = 0;
	int64_t slack = (int64_t)be_slack_us(r);
	int err = 0, ci;
	char t1[32], t2[32];

	if (p->kind == PEND_NONE)
		return 0;
	drain_events(r);
	if (p->kind != PEND_ACCEPT)
		c = &r->conns[r->fds[p->fd].conn];
	switch (p->kind) {
	case PEND_CONNECT:
		if (c->established) {
			ret = 0;
		} else if (!c->live) {
			ret = -1;
			err = c->so_error ? c->so_error : ECONNREFUSED;
			c->so_error = 0;
		} else {
			return 0;
		}
		when = (int64_t)c->t_change;
		break;
	case PEND_READ:
		if (c->rx_len) {
			ret = (int64_t)(c->rx_len < p->read_max ? c->rx_len
								 : p->read_max);
			memmove(c->rx, c->rx + ret, c->rx_len - (size_t)ret);
			c->rx_len -= (size_t)ret;
		} else if (c->so_error) {
			ret = -1;
			err = c->so_error;
			c->so_error = 0;
		} else if (c->peer_fin || !c->live) {
			ret = 0;
		} else {
			return 0;
		}
		when = (int64_t)c->t_change;
		break;
	case PEND_ACCEPT:
		ci = find_acceptable(r);
		if (ci < 0)
			return 0;
		when = (int64_t)r->conns[ci].t_change;
		if (when < p->issued)
			when = p->issued;
		p->kind = PEND_NONE;
		if (when < p->end - r->sc->set.tolerance_us ||
		    when > p->end + r->sc->set.tolerance_us + slack) {
			fmt_time(t1, sizeof(t1), when);
			fmt_time(t2, sizeof(t2), p->end);
			return fail(r, p->e, "accept() returned at %s s, expected "
				    "at %s s", t1, t2);
		}
		return finish_accept(r, p->e, p->fd, ci) ? -1 : 1;
	default:
		return 0;
	}
	if (when < p->issued)
		when = p->issued;
	p->kind = PEND_NONE;
	if (when < p->end - r->sc->set.tolerance_us ||
	    when > p->end + r->sc->set.tolerance_us + slack) {
		fmt_time(t1, sizeof(t1), when);
		fmt_time(t2, sizeof(t2), p->end);
		return fail(r, p->e, "%s() returned at %s s, expected at %s s",
			    p->e->u.call.name, t1, t2);
	}
	return check_ret(r, p->e, ret, err) ? -1 : 1;
}

/* Called while time passes: fails a pending call that is overdue. */
static int pending_check(struct run *r)
{
	struct pending *p = &r->pend;
	char t[32];

	if (p->kind == PEND_NONE)
		return 0;
	if (pending_poll(r) < 0)
		return -1;
	if (p->kind != PEND_NONE &&
	    now(r) > p->end + r->sc->set.tolerance_us +
			      (int64_t)be_slack_us(r)) {
		fmt_time(t, sizeof(t), p->end);
		p->kind = PEND_NONE;
		return fail(r, p->e, "%s() did not return by %s s (blocking call "
			    "still waiting)", p->e->u.call.name, t);
	}
	return 0;
}

/* Up to when the back end may skip time: `before` minus room for a timer
 * that came due meanwhile to show (two timer-scan lags), and never into
 * the window where a blocking call should return. */
static uint64_t quiet_until(struct run *r, int64_t before)
{
	int64_t q = before - 2 * (int64_t)be_slack_us(r) -
		    r->sc->set.tolerance_us;

	if (r->pend.kind != PEND_NONE) {
		int64_t p = r->pend.end - 2 * r->sc->set.tolerance_us -
			    2 * (int64_t)be_slack_us(r);

		if (p < q)
			q = p;
	}
	return q > 0 ? (uint64_t)q : 0;
}

/* Run the back end to time T; any segment sent meanwhile is unexpected. */
static int advance_to(struct run *r, const struct pkt_event *e, int64_t T)
{
	for (;;) {
		if (pending_check(r))
			return -1;
		if (peek_frame(r))
			return fail_unexpected(r, e);
		if (now(r) >= T)
			return 0;
		be_run(r, (uint64_t)T,
			    TOE_EUT_STOP_FRAME |
				    (r->pend.kind != PEND_NONE ? TOE_EUT_STOP_EVENT : 0),
			    quiet_until(r, T));
	}
}

/* ------------------------------------------------------------------ */
/* segments                                                            */
/* ------------------------------------------------------------------ */

static int64_t sched(struct run *r, enum pkt_tkind k, int64_t us)
{
	return k == PKT_T_REL ? r->t_prev + us : us;
}

static int do_inject(struct run *r, const struct pkt_event *e)
{
	const struct pkt_seg_spec *sp = &e->u.seg;
	static const uint8_t zeros[9000];
	uint8_t buf[PKT_FRAME_MAX], opt[40];
	struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true };
	struct toe_seg s;
	int fl = flow_of(r, sp), n;
	struct flow *f;

	if (fl < 0)
		return fail(r, e, "too many flows");
	f = &r->flows[fl];
	r->cur = fl;
	/* the remote ISN: learnt from the first injected SYN */
	if ((sp->flags & TOE_TCP_SYN) && !f->risn_known) {
		f->risn_known = true;
		f->risn = 0x10000000u * (uint32_t)(fl % 15 + 1) + 0x0badf00du;
	}
	memset(&s, 0, sizeof(s));
	s.src_ip = r->set->remote_ip;
	s.dst_ip = r->set->local_ip;
	s.src_port = f->rport;
	s.dst_port = f->lport;
	s.flags = sp->flags;
	s.seq = f->risn_known ? f->risn + sp->start : sp->start;
	if (sp->has_ack)
		s.ack = f->lisn_known ? f->lisn + sp->ack : sp->ack;
	s.win = (uint16_t)(sp->has_win ? sp->win : r->set->default_win);
	memcpy(opt, sp->opt, sp->opt_len);
	for (int i = 0; i < sp->n_sack_edge; i++) {
		uint8_t *p = opt + sp->sack_edge[i];
		uint32_t v = toe_get_be32(p);

		if (f->lisn_known)
			v += f->lisn;
		toe_put_be32(p, v);
	}
	s.opt_raw = opt;
	s.opt_raw_len = sp->opt_len;
	s.data = zeros;
	s.len = (uint16_t)sp->len;
	ip.id = r->ip_id++;
	n = toe_build_frame(buf, sizeof(buf), r->cfg.local_mac, r->cfg.remote_mac,
			    &ip, &s);
	if (n < 0)
		return fail(r, e, "cannot build this segment");
	if (sp->bad_tcp_csum)
		buf[TOE_ETH_HLEN + TOE_IPV4_HLEN + 16] ^= 0x5a;
	if (sp->bad_ip_csum)
		buf[TOE_ETH_HLEN + 10] ^= 0x5a;
	if (r->o->verbose) {
		char t[32];

		fmt_time(t, sizeof(t), now(r));
		fprintf(r->o->out, "    [%s] < %u > %u seq %u ack %u\n", t,
			s.src_port, s.dst_port, s.seq, s.ack);
	}
	if (toe_eut_push_frame(r->be, buf, (size_t)n))
		return fail(r, e, "the %s refused the frame", be_name(r));
	return 0;
}

/* Compare the engine's frame with a '>' line. */
static int compare_out(struct run *r, const struct pkt_event *e,
		       const struct pkt_frame *fr)
{
	const struct pkt_seg_spec *sp = &e->u.seg;
	struct toe_frame pf;
	int rc = toe_parse_frame(fr->buf, fr->len, &pf), fl;
	struct flow *f;
	char a[10], b[10];
	uint32_t exp;

	if (rc != TOE_PARSE_OK) {
		fail(r, e, "the %s sent a malformed frame (%s)", be_name(r),
		     toe_parse_result_name(rc));
		show_frame(r, fr, NULL);
		return -1;
	}
	if (fr->bad) {
		fail(r, e, "the %s marked its frame bad (tuser)", be_name(r));
		show_frame(r, fr, NULL);
		return -1;
	}
	if (memcmp(pf.dst_mac, r->cfg.remote_mac, 6) ||
	    memcmp(pf.src_mac, r->cfg.local_mac, 6)) {
		fail(r, e, "wrong Ethernet addresses");
		show_frame(r, fr, NULL);
		return -1;
	}
	if (pf.seg.src_ip != r->set->local_ip ||
	    pf.seg.dst_ip != r->set->remote_ip) {
		char s1[16], s2[16];

		fail(r, e, "wrong IP addresses %s > %s",
		     toe_ip_str(pf.seg.src_ip, s1), toe_ip_str(pf.seg.dst_ip, s2));
		show_frame(r, fr, NULL);
		return -1;
	}
	fl = flow_of(r, sp);
	if (fl < 0)
		return fail(r, e, "too many flows");
	f = &r->flows[fl];
	if (pf.seg.src_port != f->lport || pf.seg.dst_port != f->rport) {
		fail(r, e, "segment of another connection: ports %u > %u, "
		     "expected %u > %u", pf.seg.src_port, pf.seg.dst_port,
		     f->lport, f->rport);
		show_frame(r, fr, frame_flow(r, fr));
		return -1;
	}
	r->cur = fl;
	if (pf.seg.flags != sp->flags) {
		fail(r, e, "flags: expected %s, got %s", pkt_flags_str(sp->flags, a),
		     pkt_flags_str(pf.seg.flags, b));
		show_frame(r, fr, f);
		return -1;
	}
	/* the engine's ISN: learnt from its first SYN or SYN-ACK */
	if ((sp->flags & TOE_TCP_SYN) && !f->lisn_known) {
		f->lisn_known = true;
		f->lisn = pf.seg.seq - sp->start;
	}
	exp = f->lisn_known ? f->lisn + sp->start : sp->start;
	if (pf.seg.seq != exp) {
		fail(r, e, "seq: expected %u, got %u", sp->start,
		     f->lisn_known ? pf.seg.seq - f->lisn : pf.seg.seq);
		show_frame(r, fr, f);
		return -1;
	}
	if (pf.seg.len != sp->len) {
		fail(r, e, "payload: expected %u bytes, got %u", sp->len,
		     pf.seg.len);
		show_frame(r, fr, f);
		return -1;
	}
	if (sp->has_ack) {
		exp = f->risn_known ? f->risn + sp->ack : sp->ack;
		if (pf.seg.ack != exp) {
			fail(r, e, "ack: expected %u, got %u", sp->ack,
			     f->risn_known ? pf.seg.ack - f->risn : pf.seg.ack);
			show_frame(r, fr, f);
			return -1;
		}
	}
	if (sp->has_win && pf.seg.win != sp->win) {
		fail(r, e, "win: expected %u, got %u", sp->win, pf.seg.win);
		show_frame(r, fr, f);
		return -1;
	}
	if (!sp->opt_any) {
		uint8_t want[40] = { 0 };
		size_t wl = ((size_t)sp->opt_len + 3) & ~(size_t)3;

		memcpy(want, sp->opt, sp->opt_len);
		if (pf.seg.opt_raw_len != wl ||
		    memcmp(pf.seg.opt_raw, want, wl)) {
			fail(r, e, "TCP options differ");
			fputs("    expected options: ", r->msg);
			fmt_opts(r->msg, sp->opt, sp->opt_len);
			fputs("\n    options sent:     ", r->msg);
			fmt_opts(r->msg, pf.seg.opt_raw, pf.seg.opt_raw_len);
			fputc('\n', r->msg);
			show_frame(r, fr, f);
			return -1;
		}
	}
	return 0;
}

static int do_expect(struct run *r, const struct pkt_event *e)
{
	const struct pkt_time *t = &e->t;
	int64_t tol = r->sc->set.tolerance_us, lo, hi, limit;
	int64_t slack = (int64_t)be_slack_us(r);
	const struct pkt_frame *fr;
	char t1[32], t2[32], t3[32];

	if (t->kind == PKT_T_ANY) {
		lo = INT64_MIN / 2;
		hi = r->t_prev + ANY_WAIT_US;
		limit = hi;
	} else {
		lo = sched(r, t->kind, t->us);
		hi = t->range ? sched(r, t->kind2, t->us2) : lo;
		limit = hi + tol + slack;
	}
	for (;;) {
		if (pending_check(r))
			return -1;
		fr = peek_frame(r);
		if (fr)
			break;
		if (now(r) >= limit) {
			fmt_time(t1, sizeof(t1), lo);
			fmt_time(t2, sizeof(t2), hi);
			if (t->kind == PKT_T_ANY)
				return fail(r, e, "missing outbound segment: "
					    "nothing was sent within %lld s (the "
					    "longest a '*' line waits)",
					    (long long)(ANY_WAIT_US / 1000000));
			if (t->range)
				return fail(r, e, "missing outbound segment: "
					    "expected between %s and %s s", t1, t2);
			fmt_time(t3, sizeof(t3), tol);
			return fail(r, e, "missing outbound segment: expected at "
				    "%s s (tolerance %s s%s), nothing was sent",
				    t1, t3, slack ? ", late timers more" : "");
		}
		be_run(r, (uint64_t)limit,
			    TOE_EUT_STOP_FRAME |
				    (r->pend.kind != PEND_NONE ? TOE_EUT_STOP_EVENT : 0),
			    t->kind == PKT_T_ANY ? 0 : quiet_until(r, lo - tol));
	}
	if ((int64_t)fr->t_us < lo - tol ||
	    (int64_t)fr->t_us > hi + tol + slack) {
		fmt_time(t1, sizeof(t1), lo);
		fmt_time(t2, sizeof(t2), (int64_t)fr->t_us);
		fmt_time(t3, sizeof(t3), tol);
		if (t->range) {
			fmt_time(t3, sizeof(t3), hi);
			fail(r, e, "timing: expected between %s and %s s, sent "
			     "at %s s", t1, t3, t2);
		} else {
			fail(r, e, "timing: expected at %s s (tolerance %s s), sent "
			     "at %s s", t1, t3, t2);
		}
		show_frame(r, fr, frame_flow(r, fr));
		return -1;
	}
	if (compare_out(r, e, fr))
		return -1;
	r->have_frame = false;
	/* packetdrill: what follows '+' counts from when it was sent */
	r->t_prev = (int64_t)fr->t_us;
	return 0;
}

/* ------------------------------------------------------------------ */
/* calls                                                               */
/* ------------------------------------------------------------------ */

static int check_ret(struct run *r, const struct pkt_event *e, int64_t ret,
		     int err)
{
	const struct pkt_call *k = &e->u.call;
	int want = k->err[0] ? pkt_errno_value(k->err) : 0;

	if (ret == k->ret && (ret != -1 || err == want))
		return 0;
	if (ret == -1)
		return fail(r, e, "%s() returned -1 %s, expected %lld%s%s", k->name,
			    pkt_errno_name(err), (long long)k->ret,
			    k->err[0] ? " " : "", k->err);
	return fail(r, e, "%s() returned %lld, expected %lld%s%s", k->name,
		    (long long)ret, (long long)k->ret, k->err[0] ? " " : "",
		    k->err);
}

static int arg_fd(struct run *r, const struct pkt_event *e, int i, int *fd)
{
	const char *a = e->u.call.args[i];
	char *end;
	long v = strtol(a, &end, 10);

	if (*end || end == a || v < 0 || v >= MAX_FDS)
		return fail(r, e, "bad file descriptor argument '%s'", a);
	*fd = (int)v;
	return 0;
}

/* "[N]" or "[NAME]" -> value (errno names and numbers). */
static int arg_bracket(struct run *r, const struct pkt_event *e, int i,
		       long *v)
{
	const char *a = e->u.call.args[i];
	size_t n = strlen(a);
	char in[40], *end;

	if (n < 3 || a[0] != '[' || a[n - 1] != ']' || n - 2 >= sizeof(in))
		return fail(r, e, "expected [value], got '%s'", a);
	memcpy(in, a + 1, n - 2);
	in[n - 2] = 0;
	if (in[0] == 'E') {
		int ev = pkt_errno_value(in);

		if (ev < 0)
			return fail(r, e, "unknown errno '%s'", in);
		*v = ev;
		return 0;
	}
	*v = strtol(in, &end, 0);
	if (*end)
		return fail(r, e, "bad value '%s'", a);
	return 0;
}

static bool arg_is(const char *a, const char *const *names)
{
	if (!strcmp(a, "..."))
		return true;
	for (; *names; names++)
		if (!strcmp(a, *names))
			return true;
	return false;
}

/* A connection fd: its conn index, or fail (EBADF style). */
static struct conn *fd_conn(struct run *r, int fd)
{
	if (fd < FD_FIRST || fd >= MAX_FDS || r->fds[fd].kind != FD_CONN)
		return NULL;
	return &r->conns[r->fds[fd].conn];
}

/* The connection accept() would return: the oldest established passive
 * connection on our listening port not accepted yet. */
static int find_acceptable(struct run *r)
{
	for (int i = 0; i < r->nconn; i++) {
		struct conn *c = &r->conns[i];

		if (c->passive && c->established && !c->accepted &&
		    r->flows[c->flow].lport == r->set->bind_port)
			return i;
	}
	return -1;
}

static int finish_accept(struct run *r, const struct pkt_event *e, int lfd,
			 int ci)
{
	int fd = fd_alloc(r, FD_CONN);

	(void)lfd;
	if (fd < 0)
		return fail(r, e, "out of file descriptors");
	r->fds[fd].conn = ci;
	r->conns[ci].accepted = true;
	r->cur = r->conns[ci].flow;
	return check_ret(r, e, fd, 0);
}

static int64_t call_end(const struct pkt_event *e, int64_t T)
{
	if (!e->t.blocking)
		return T;
	return e->t.end_kind == PKT_T_REL ? T + e->t.end_us : e->t.end_us;
}

static void start_pending(struct run *r, const struct pkt_event *e,
			  enum pend_kind k, int fd, int64_t T)
{
	r->pend.kind = k;
	r->pend.e = e;
	r->pend.fd = fd;
	r->pend.issued = T;
	r->pend.end = call_end(e, T);
}

static int map_err(int rc)
{
	switch (rc) {
	case TOE_REF_EADDRINUSE: return EADDRINUSE;
	case TOE_REF_ENOMEM: return ENOBUFS;
	case TOE_REF_ENOTCONN: return ENOTCONN;
	case TOE_REF_ESTATE: return ENOTCONN;
	case TOE_REF_EPIPE: return EPIPE;
	case TOE_REF_ENOTSUP: return EOPNOTSUPP;
	default: return EINVAL;
	}
}

static int call_socket(struct run *r, const struct pkt_event *e)
{
	static const char *const fam[] = { "AF_INET", "PF_INET", NULL };
	static const char *const typ[] = { "SOCK_STREAM", NULL };
	static const char *const pro[] = { "IPPROTO_TCP", "0", NULL };
	const struct pkt_call *k = &e->u.call;
	int fd;

	if (!arg_is(k->args[0], fam) || !arg_is(k->args[1], typ) ||
	    !arg_is(k->args[2], pro))
		return fail(r, e, "only socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) "
			    "is supported");
	fd = fd_alloc(r, FD_SOCK);
	if (fd < 0)
		return fail(r, e, "out of file descriptors");
	return check_ret(r, e, fd, 0);
}

static int call_listen(struct run *r, const struct pkt_event *e, int fd)
{
	int rc;

	if (r->fds[fd].kind != FD_SOCK)
		return check_ret(r, e, -1, r->fds[fd].kind ? EINVAL : EBADF);
	if (ensure_backend(r, e))
		return -1;
	rc = toe_eut_listen(r->be, r->set->bind_port);
	if (rc)
		return check_ret(r, e, -1, map_err(rc));
	r->fds[fd].kind = FD_LISTEN;
	r->listening = true;
	return check_ret(r, e, 0, 0);
}

static int call_accept(struct run *r, const struct pkt_event *e, int fd,
		       int64_t T)
{
	int ci;

	if (r->fds[fd].kind != FD_LISTEN)
		return check_ret(r, e, -1, r->fds[fd].kind ? EINVAL : EBADF);
	if (ensure_backend(r, e))
		return -1;
	drain_events(r);
	ci = find_acceptable(r);
	if (ci >= 0)
		return finish_accept(r, e, fd, ci);
	if (r->fds[fd].nonblock)
		return check_ret(r, e, -1, EAGAIN);
	start_pending(r, e, PEND_ACCEPT, fd, T);
	return 0;
}

static int call_connect(struct run *r, const struct pkt_event *e, int fd,
			int64_t T)
{
	struct sock *so = &r->fds[fd];
	uint16_t lport;
	int id, fl, ci;

	if (so->kind == FD_CONN)
		return check_ret(r, e, -1, EISCONN);
	if (so->kind != FD_SOCK)
		return check_ret(r, e, -1, so->kind ? EINVAL : EBADF);
	if (ensure_backend(r, e))
		return -1;
	lport = so->bound ? r->set->bind_port : r->next_eph++;
	id = toe_eut_connect(r->be, lport, r->set->remote_ip,
			     r->set->connect_port, NULL);
	if (id < 0)
		return check_ret(r, e, -1, map_err(id));
	fl = flow_get(r, lport, r->set->connect_port);
	if (fl < 0)
		return fail(r, e, "too many flows");
	ci = conn_new(r, id, fl, false);
	so->kind = FD_CONN;
	so->conn = ci;
	r->cur = fl;
	if (so->nonblock)
		return check_ret(r, e, -1, EINPROGRESS);
	start_pending(r, e, PEND_CONNECT, fd, T);
	return pending_poll(r) < 0 ? -1 : 0;
}

static int call_close(struct run *r, const struct pkt_event *e, int fd)
{
	struct sock *so = &r->fds[fd];
	int rc = 0;

	switch (so->kind) {
	case FD_SOCK:
		break;
	case FD_LISTEN:
		if (ensure_backend(r, e))
			return -1;
		rc = toe_eut_unlisten(r->be, r->set->bind_port);
		r->listening = false;
		break;
	case FD_CONN: {
		struct conn *c;

		if (ensure_backend(r, e))
			return -1;
		drain_events(r); /* may grow r->conns: take pointers after */
		c = &r->conns[so->conn];
		r->cur = c->flow;
		if (c->live) {
			rc = so->linger0 ? toe_eut_abort(r->be, c->id)
					 : toe_eut_close(r->be, c->id);
			if (rc == TOE_REF_ENOTCONN)
				rc = 0; /* it went away meanwhile */
			conn_check_alive(r, so->conn);
		}
		break;
	}
	default:
		return check_ret(r, e, -1, EBADF);
	}
	so->kind = 0;
	if (rc)
		return fail(r, e, "the %s refused the close: %s", be_name(r),
			    toe_ref_strerror(rc));
	return check_ret(r, e, 0, 0);
}

static int call_shutdown(struct run *r, const struct pkt_event *e, int fd)
{
	const char *how = e->u.call.args[1];
	struct conn *c = fd_conn(r, fd);
	int rc;

	if (strcmp(how, "SHUT_WR") && strcmp(how, "SHUT_RD") &&
	    strcmp(how, "SHUT_RDWR"))
		return fail(r, e, "shutdown: unknown 'how' '%s'", how);
	if (!c)
		return check_ret(r, e, -1, r->fds[fd].kind ? ENOTCONN : EBADF);
	if (ensure_backend(r, e))
		return -1;
	drain_events(r);
	c = fd_conn(r, fd);
	r->cur = c->flow;
	if (!strcmp(how, "SHUT_RD"))
		return check_ret(r, e, 0, 0); /* nothing to tell the engine */
	if (!c->live)
		return check_ret(r, e, -1, ENOTCONN);
	rc = toe_eut_shutdown(r->be, c->id);
	if (rc)
		return check_ret(r, e, -1, map_err(rc));
	r->fds[fd].wr_shut = true;
	conn_check_alive(r, r->fds[fd].conn);
	return check_ret(r, e, 0, 0);
}

static int call_read(struct run *r, const struct pkt_event *e, int fd,
		     int64_t T)
{
	struct conn *c = fd_conn(r, fd);
	uint64_t max;

	if (!c)
		return check_ret(r, e, -1, r->fds[fd].kind ? ENOTCONN : EBADF);
	if (!strcmp(e->u.call.args[2], "...")) {
		max = UINT64_MAX;
	} else {
		char *end;

		max = strtoull(e->u.call.args[2], &end, 0);
		if (*end)
			return fail(r, e, "bad read length '%s'", e->u.call.args[2]);
	}
	if (ensure_backend(r, e))
		return -1;
	drain_events(r);
	c = fd_conn(r, fd);
	r->cur = c->flow;
	if (!c->rx_len && !c->so_error && !c->peer_fin && c->live &&
	    r->fds[fd].nonblock)
		return check_ret(r, e, -1, EAGAIN);
	start_pending(r, e, PEND_READ, fd, T);
	r->pend.read_max = max;
	return pending_poll(r) < 0 ? -1 : 0;
}

static int call_write(struct run *r, const struct pkt_event *e, int fd)
{
	struct conn *c = fd_conn(r, fd);

	if (!c)
		return check_ret(r, e, -1, r->fds[fd].kind ? ENOTCONN : EBADF);
	if (ensure_backend(r, e))
		return -1;
	drain_events(r);
	c = fd_conn(r, fd);
	r->cur = c->flow;
	if (r->fds[fd].wr_shut || !c->live)
		return check_ret(r, e, -1, EPIPE); /* CL-09 */
	{
		struct toe_ref_conn_info in;

		if (toe_eut_conn_info(r->be, c->id, &in, false) == 0 && in.wr_shut)
			return check_ret(r, e, -1, EPIPE);
	}
	return fail(r, e, "write(): unsupported: the engine has no transmit "
		    "data path yet");
}

/* {l_onoff=1, l_linger=0} */
static int parse_linger(const char *a, int *onoff, int *linger)
{
	const char *p = strstr(a, "l_onoff"), *q = strstr(a, "l_linger");

	if (!p || !q || a[0] != '{')
		return -1;
	p = strchr(p, '=');
	q = strchr(q, '=');
	if (!p || !q)
		return -1;
	*onoff = atoi(p + 1);
	*linger = atoi(q + 1);
	return 0;
}

static bool is_tcp_level(const char *a)
{
	return !strcmp(a, "SOL_TCP") || !strcmp(a, "IPPROTO_TCP");
}

static int call_setsockopt(struct run *r, const struct pkt_event *e, int fd)
{
	static const char *const ignored[] = {
		"SO_REUSEADDR", "SO_REUSEPORT", "SO_RCVBUF", "SO_SNDBUF",
		"SO_KEEPALIVE", "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_RCVTIMEO",
		"SO_SNDTIMEO", "SO_OOBINLINE", "SO_PRIORITY", "TCP_NODELAY",
		"TCP_QUICKACK", "TCP_CORK", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
		"TCP_KEEPCNT", "TCP_USER_TIMEOUT", "TCP_SYNCNT",
		"TCP_DEFER_ACCEPT", "TCP_WINDOW_CLAMP", NULL
	};
	const struct pkt_call *k = &e->u.call;
	const char *lvl = k->args[1], *name = k->args[2];

	if (fd < FD_FIRST || !r->fds[fd].kind)
		return check_ret(r, e, -1, EBADF);
	if (!strcmp(lvl, "SOL_SOCKET") && !strcmp(name, "SO_LINGER")) {
		int on, lin;

		if (parse_linger(k->args[3], &on, &lin))
			return fail(r, e, "SO_LINGER: expected {l_onoff=N, "
				    "l_linger=N}, got '%s'", k->args[3]);
		/* SO_LINGER 0 makes close() an abort (RST) */
		r->fds[fd].linger0 = on && lin == 0;
		if (on && lin != 0)
			note(r, e, "SO_LINGER with a non-zero time: close() stays "
			     "an orderly close");
		return check_ret(r, e, 0, 0);
	}
	if (is_tcp_level(lvl) && !strcmp(name, "TCP_MAXSEG")) {
		long v;

		if (arg_bracket(r, e, 3, &v))
			return -1;
		if (v < 88 || v > 9176)
			return check_ret(r, e, -1, EINVAL);
		if (r->be) {
			if (r->cfg.mtu != v + 40)
				return fail(r, e, "TCP_MAXSEG after the engine "
					    "started: unsupported (the MSS to "
					    "advertise is the engine's MTU - 40, "
					    "set before the first connection)");
			return check_ret(r, e, 0, 0);
		}
		r->cfg.mtu = (uint16_t)(v + 40);
		return check_ret(r, e, 0, 0);
	}
	for (const char *const *p = ignored; *p; p++)
		if (!strcmp(name, *p))
			return check_ret(r, e, 0, 0); /* accepted, ignored */
	return fail(r, e, "setsockopt: unsupported option %s %s", lvl, name);
}

static int call_getsockopt(struct run *r, const struct pkt_event *e, int fd)
{
	const struct pkt_call *k = &e->u.call;
	const char *lvl = k->args[1], *name = k->args[2];
	struct conn *c = fd_conn(r, fd);
	long want, got;

	if (fd < FD_FIRST || !r->fds[fd].kind)
		return check_ret(r, e, -1, EBADF);
	if (arg_bracket(r, e, 3, &want))
		return -1;
	if (ensure_backend(r, e))
		return -1;
	drain_events(r);
	c = fd_conn(r, fd);
	if (!strcmp(lvl, "SOL_SOCKET") && !strcmp(name, "SO_ERROR")) {
		got = 0;
		if (c) {
			got = c->so_error;
			c->so_error = 0; /* reading SO_ERROR clears it */
			r->cur = c->flow;
		}
		if (got != want) {
			return fail(r, e, "SO_ERROR is %s, expected %s",
				    pkt_errno_name((int)got),
				    pkt_errno_name((int)want));
		}
		return check_ret(r, e, 0, 0);
	}
	if (is_tcp_level(lvl) && !strcmp(name, "TCP_MAXSEG")) {
		struct toe_ref_conn_info in;

		got = r->cfg.mtu - 40;
		if (c) {
			r->cur = c->flow;
			if (c->live && toe_eut_conn_info(r->be, c->id, &in, true) == 0)
				got = in.eff_mss;
		}
		if (got != want)
			return fail(r, e, "TCP_MAXSEG is %ld, expected %ld", got,
				    want);
		return check_ret(r, e, 0, 0);
	}
	return fail(r, e, "getsockopt: unsupported option %s %s", lvl, name);
}

static int call_fcntl(struct run *r, const struct pkt_event *e, int fd)
{
	const struct pkt_call *k = &e->u.call;

	if (fd < FD_FIRST || !r->fds[fd].kind)
		return check_ret(r, e, -1, EBADF);
	if (!strcmp(k->args[1], "F_SETFL")) {
		if (k->nargs != 3)
			return fail(r, e, "fcntl(F_SETFL) needs the flags");
		r->fds[fd].nonblock = strstr(k->args[2], "O_NONBLOCK") != NULL;
		return check_ret(r, e, 0, 0);
	}
	if (!strcmp(k->args[1], "F_GETFL"))
		return check_ret(r, e, 02 | (r->fds[fd].nonblock ? 04000 : 0), 0);
	return fail(r, e, "fcntl: unsupported command '%s'", k->args[1]);
}

static int do_call(struct run *r, const struct pkt_event *e, int64_t T)
{
	const struct pkt_call *k = &e->u.call;
	int fd = -1;

	if (r->pend.kind != PEND_NONE)
		return fail(r, e, "a call while %s() (line %d) still blocks: "
			    "unsupported", r->pend.e->u.call.name, r->pend.e->line);
	if (!strcmp(k->name, "socket"))
		return call_socket(r, e);
	if (arg_fd(r, e, 0, &fd))
		return -1;
	if (e->t.blocking && strcmp(k->name, "connect") &&
	    strcmp(k->name, "accept") && strcmp(k->name, "read"))
		return fail(r, e, "only connect, accept and read can block");
	if (!strcmp(k->name, "bind")) {
		if (r->fds[fd].kind != FD_SOCK)
			return check_ret(r, e, -1, r->fds[fd].kind ? EINVAL : EBADF);
		r->fds[fd].bound = true;
		return check_ret(r, e, 0, 0);
	}
	if (!strcmp(k->name, "listen"))
		return call_listen(r, e, fd);
	if (!strcmp(k->name, "accept"))
		return call_accept(r, e, fd, T);
	if (!strcmp(k->name, "connect"))
		return call_connect(r, e, fd, T);
	if (!strcmp(k->name, "close"))
		return call_close(r, e, fd);
	if (!strcmp(k->name, "shutdown"))
		return call_shutdown(r, e, fd);
	if (!strcmp(k->name, "read"))
		return call_read(r, e, fd, T);
	if (!strcmp(k->name, "write"))
		return call_write(r, e, fd);
	if (!strcmp(k->name, "setsockopt"))
		return call_setsockopt(r, e, fd);
	if (!strcmp(k->name, "getsockopt"))
		return call_getsockopt(r, e, fd);
	if (!strcmp(k->name, "fcntl"))
		return call_fcntl(r, e, fd);
	return fail(r, e, "unsupported call '%s'", k->name);
}

/* ------------------------------------------------------------------ */
/* %{ assert }%                                                        */
/* ------------------------------------------------------------------ */

static bool is_state_operand(const char *s)
{
	return !strcmp(s, "tcpi_state") || pkt_state_const(s) >= 0;
}

static int operand(struct run *r, const struct pkt_event *e, const char *s,
		   int64_t *v)
{
	const struct flow *f = &r->flows[r->cur];
	struct toe_ref_conn_info in;
	int id, st;

	if (s[0] >= '0' && s[0] <= '9') {
		*v = (int64_t)strtoull(s, NULL, 0);
		return 0;
	}
	st = pkt_state_const(s);
	if (st >= 0) {
		*v = st;
		return 0;
	}
	if (!strncmp(s, "tcpi_", 5)) {
		if (ensure_backend(r, e))
			return -1;
		drain_events(r);
		id = toe_eut_find(r->be, f->lport, r->set->remote_ip, f->rport);
		if (id < 0 || toe_eut_conn_info(r->be, id, &in,
					   strcmp(s, "tcpi_state") != 0) != 0) {
			if (!strcmp(s, "tcpi_state")) {
				/* No TCB. A connection that a socket knew has
				 * ended: CLOSED. One no socket ever saw (a
				 * SYN-RECEIVED that went away): the listener's
				 * LISTEN, if there is one. */
				bool known = false;

				for (int i = 0; i < r->nconn; i++)
					if (r->conns[i].flow == r->cur)
						known = true;
				*v = !known && r->listening &&
						     f->lport == r->set->bind_port
					     ? TOE_ST_LISTEN
					     : TOE_ST_CLOSED;
				return 0;
			}
			return fail(r, e, "%s: no connection %u > %u", s, f->lport,
				    f->rport);
		}
		if (!strcmp(s, "tcpi_state"))
			*v = in.state;
		else if (!strcmp(s, "tcpi_snd_mss"))
			*v = in.eff_mss;
		else if (!strcmp(s, "tcpi_retransmits"))
			*v = in.retransmits;
		else
			return fail(r, e, "unknown name '%s'", s);
		return 0;
	}
	if (!strcmp(s, "isn_flows") || !strcmp(s, "isn_close_pairs")) {
		/* IS-02: the engine's ISNs of all flows; "close" = within
		 * 2^32/200 of each other (circular distance) */
		const uint32_t d = (uint32_t)(4294967296.0 / 200);
		int64_t n = 0, close = 0;

		for (int i = 0; i < r->nflow; i++) {
			if (!r->flows[i].lisn_known)
				continue;
			n++;
			for (int j = i + 1; j < r->nflow; j++) {
				uint32_t x;

				if (!r->flows[j].lisn_known)
					continue;
				x = r->flows[i].lisn - r->flows[j].lisn;
				if (x > 0x80000000u)
					x = 0u - x;
				if (x < d)
					close++;
			}
		}
		*v = s[4] == 'f' ? n : close;
		return 0;
	}
	return fail(r, e, "unknown name '%s'", s);
}

static int do_code(struct run *r, const struct pkt_event *e)
{
	const struct pkt_code *k = &e->u.code;

	for (int i = 0; i < k->n; i++) {
		const struct pkt_assert *a = &k->a[i];
		int64_t l, rv;
		bool ok;

		if (operand(r, e, a->lhs, &l) || operand(r, e, a->rhs, &rv))
			return -1;
		if (!strcmp(a->op, "=="))
			ok = l == rv;
		else if (!strcmp(a->op, "!="))
			ok = l != rv;
		else if (!strcmp(a->op, "<"))
			ok = l < rv;
		else if (!strcmp(a->op, "<="))
			ok = l <= rv;
		else if (!strcmp(a->op, ">"))
			ok = l > rv;
		else
			ok = l >= rv;
		if (!ok) {
			if (is_state_operand(a->lhs) && is_state_operand(a->rhs))
				return fail(r, e, "assertion failed: %s %s %s "
					    "(state is %s)", a->lhs, a->op, a->rhs,
					    toe_tcp_state_name((int)l));
			return fail(r, e, "assertion failed: %s %s %s (%s is %lld)",
				    a->lhs, a->op, a->rhs, a->lhs, (long long)l);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* `commands`                                                          */
/* ------------------------------------------------------------------ */

/* Time of the (n+1)-th retransmission timeout since the first send:
 * sum of min(rto_init * 2^i, rto_max), i = 0..n (Linux's *_retries). */
static uint64_t retries_to_giveup(const struct toe_eut_cfg *c, uint64_t n)
{
	uint64_t t = 0, rto = c->rto_init_us;

	for (uint64_t i = 0; i <= n && i < 64; i++) {
		t += rto;
		rto = rto * 2 > c->rto_max_us ? c->rto_max_us : rto * 2;
	}
	return t;
}

/* One sysctl. 1 applied, 0 ignored (reason in why), -1 bad value. */
static int apply_sysctl(struct run *r, const char *key, const char *val,
			const char **why)
{
	static const char *const no_engine_part[] = {
		"net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack",
		"net.ipv4.tcp_window_scaling", "net.ipv4.tcp_ecn",
		"net.ipv4.tcp_dsack", "net.ipv4.tcp_fack",
		"net.ipv4.tcp_fastopen", NULL
	};
	struct toe_eut_cfg *c = &r->cfg;
	char *end;
	unsigned long long v = strtoull(val, &end, 10);

	*why = NULL;
	if (*end || !*val) {
		for (const char *const *p = no_engine_part; *p; p++)
			if (!strcmp(key, *p))
				goto opt;
		*why = "not a number, no engine equivalent";
		return 0;
	}
	if (!strcmp(key, "net.ipv4.tcp_syn_retries"))
		c->syn_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_synack_retries"))
		c->synack_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_retries2"))
		c->fin_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_challenge_ack_limit") ||
		 !strcmp(key, "net.toe.challenge_ack_limit"))
		c->ca_limit = (uint32_t)(v > 0xFFFFFFFFu ? 0xFFFFFFFFu : v);
	else if (!strcmp(key, "net.toe.challenge_ack_window_ms"))
		c->ca_window_us = v * 1000;
	else if (!strcmp(key, "net.toe.msl_ms"))
		c->msl_us = v * 1000;
	else if (!strcmp(key, "net.toe.rto_init_ms") && v)
		c->rto_init_us = v * 1000;
	else if (!strcmp(key, "net.toe.rto_max_ms") && v)
		c->rto_max_us = v * 1000;
	else if (!strcmp(key, "net.toe.syn_giveup_ms"))
		c->syn_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.synack_giveup_ms"))
		c->synack_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.fin_giveup_ms"))
		c->fin_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.rcv_wnd") && v <= 65535)
		c->rcv_wnd = (uint16_t)v;
	else if (!strcmp(key, "net.toe.syn_wnd") && v <= 65535)
		c->syn_wnd = (uint16_t)v;
	else if (!strcmp(key, "net.toe.mtu") && v >= 128 && v <= 9216)
		c->mtu = (uint16_t)v;
	else if (!strcmp(key, "net.ipv4.ip_default_ttl") && v >= 1 && v <= 255)
		c->ttl = (uint8_t)v;
	else if (!strncmp(key, "net.toe.", 8))
		return -1;
	else
		goto opt;
	return 1;
opt:
	for (const char *const *p = no_engine_part; *p; p++)
		if (!strcmp(key, *p)) {
			*why = "the engine sends MSS only and ignores other "
			       "options it receives";
			return 0;
		}
	if (!strcmp(key, "net.ipv4.tcp_syncookies"))
		*why = "no SYN cookies (SC-01 not implemented)";
	else if (!strcmp(key, "net.ipv4.tcp_rfc1337"))
		*why = "TW-03 is fixed: RST in TIME-WAIT is ignored (RFC 1337)";
	else if (!strcmp(key, "net.ipv4.tcp_fin_timeout"))
		*why = "no FIN-WAIT-2 timeout (RFC 9293 has none)";
	else
		*why = "no engine equivalent";
	return 0;
}

static bool changes_config(const struct toe_eut_cfg *a,
			   const struct toe_eut_cfg *b)
{
	return memcmp(a, b, sizeof(*a)) != 0;
}

static int do_shell(struct run *r, const struct pkt_event *e)
{
	char *text = strdup(e->shell), *cmd, *save = NULL;
	struct toe_eut_cfg before = r->cfg;
	int rc = 0;

	if (!text)
		return fail(r, e, "out of memory");
	for (cmd = strtok_r(text, ";\n", &save); cmd && !rc;
	     cmd = strtok_r(NULL, ";\n", &save)) {
		char *w[16], *s2 = NULL, *tok;
		int n = 0;

		for (tok = strtok_r(cmd, " \t", &s2); tok && n < 16;
		     tok = strtok_r(NULL, " \t", &s2))
			w[n++] = tok;
		if (n == 0)
			continue;
		if (!strcmp(w[0], "sysctl")) {
			bool any = false;

			for (int i = 1; i < n; i++) {
				char *eq;
				const char *why;
				int a;

				if (w[i][0] == '-')
					continue; /* -q -w -e */
				eq = strchr(w[i], '=');
				if (!eq) {
					note(r, e, "ignored `sysctl %s`: reads "
					     "nothing on the engine", w[i]);
					continue;
				}
				*eq = 0;
				any = true;
				a = apply_sysctl(r, w[i], eq + 1, &why);
				if (a < 0) {
					rc = fail(r, e, "bad value for %s: '%s'",
						  w[i], eq + 1);
					break;
				}
				if (a == 0)
					note(r, e, "ignored sysctl %s=%s: %s", w[i],
					     eq + 1, why);
			}
			(void)any;
			continue;
		}
		/* ip link set [dev X] mtu N / ifconfig X mtu N */
		if ((!strcmp(w[0], "ip") || !strcmp(w[0], "ifconfig"))) {
			int mi = -1;

			for (int i = 1; i + 1 < n; i++)
				if (!strcmp(w[i], "mtu"))
					mi = i;
			if (mi > 0) {
				long v = strtol(w[mi + 1], NULL, 10);

				if (v < 128 || v > 9216) {
					rc = fail(r, e, "bad MTU '%s'", w[mi + 1]);
					break;
				}
				r->cfg.mtu = (uint16_t)v;
				continue;
			}
		}
		{
			/* rebuild the command text for the note */
			char line[256] = "";
			size_t len = 0;

			for (int i = 0; i < n && len < sizeof(line) - 2; i++)
				len += (size_t)snprintf(line + len,
							sizeof(line) - len, "%s%s",
							i ? " " : "", w[i]);
			note(r, e, "ignored command `%s`: no engine equivalent",
			     line);
		}
	}
	free(text);
	if (rc)
		return rc;
	if (r->be && changes_config(&before, &r->cfg))
		return fail(r, e, "configuration change after the engine "
			    "started: put commands before the first packet or "
			    "call that reaches the engine");
	return 0;
}

/* ------------------------------------------------------------------ */
/* the script                                                          */
/* ------------------------------------------------------------------ */

static int do_event(struct run *r, const struct pkt_event *e)
{
	int64_t T;

	r->cur_ev = e;
	if (e->kind == PKT_EV_SHELL && e->t.kind == PKT_T_NONE)
		return do_shell(r, e);
	if (e->kind == PKT_EV_CODE && e->t.kind == PKT_T_NONE) {
		/* attached to the previous event: runs right after it */
		return do_code(r, e);
	}
	if (e->kind == PKT_EV_CALL) {
		const char *n = e->u.call.name;

		/* these calls do not reach the engine */
		if (!strcmp(n, "socket") || !strcmp(n, "bind") ||
		    !strcmp(n, "fcntl") ||
		    (!strcmp(n, "setsockopt") && !r->be)) {
			T = sched(r, e->t.kind, e->t.us);
			if (T < r->t_prev)
				T = r->t_prev;
			if (r->be && advance_to(r, e, T))
				return -1;
			r->t_prev = T;
			return do_call(r, e, T);
		}
	}
	if (e->kind == PKT_EV_SHELL) {
		T = sched(r, e->t.kind, e->t.us);
		if (r->be && advance_to(r, e, T))
			return -1;
		r->t_prev = T > r->t_prev ? T : r->t_prev;
		return do_shell(r, e);
	}
	if (ensure_backend(r, e))
		return -1;
	if (e->kind == PKT_EV_OUT)
		return do_expect(r, e);
	T = sched(r, e->t.kind, e->t.us);
	if (advance_to(r, e, T))
		return -1;
	r->t_prev = T;
	if (r->o->verbose) {
		char t[32];

		fmt_time(t, sizeof(t), now(r));
		fprintf(r->o->out, "    [%s] line %d: %s\n", t, e->line, e->text);
	}
	switch (e->kind) {
	case PKT_EV_IN:
		return do_inject(r, e);
	case PKT_EV_CALL:
		return do_call(r, e, T);
	case PKT_EV_CODE:
		return do_code(r, e);
	default:
		return 0;
	}
}

int pkt_run(const struct pkt_script *sc, const struct pkt_run_opts *o)
{
	struct run *r = calloc(1, sizeof(*r));
	int rc = 0;

	if (!r) {
		fprintf(stderr, "toe-pkt: out of memory\n");
		exit(2);
	}
	r->sc = sc;
	r->set = &sc->set;
	r->o = o;
	r->cfg = sc->set.be;
	r->next_eph = sc->set.ephemeral;
	r->ip_id = 1;
	r->frame = malloc(sizeof(*r->frame));
	r->msg = open_memstream(&r->msgbuf, &r->msglen);
	r->notes = open_memstream(&r->notebuf, &r->notelen);
	if (!r->frame || !r->msg || !r->notes) {
		fprintf(stderr, "toe-pkt: out of memory\n");
		exit(2);
	}
	r->cur = flow_get(r, sc->set.bind_port, sc->set.remote_port);
	for (int i = 0; i < sc->nev && !r->failed; i++) {
		do_event(r, &sc->ev[i]);
		if (r->be && be_error(r))
			fail(r, &sc->ev[i], "%s", be_error(r));
	}
	if (!r->failed && r->be) {
		/* then nothing: no segment up to the tolerance after the last
		 * event, and no call still blocking */
		int64_t T = r->t_prev + sc->set.tolerance_us;

		if (r->pend.kind != PEND_NONE &&
		    r->pend.end + sc->set.tolerance_us +
				    (int64_t)be_slack_us(r) > T)
			T = r->pend.end + sc->set.tolerance_us +
			    (int64_t)be_slack_us(r);
		if (advance_to(r, NULL, T) == 0 && r->pend.kind != PEND_NONE) {
			pending_poll(r);
			if (r->pend.kind != PEND_NONE && !r->failed) {
				char t[32];

				fmt_time(t, sizeof(t), r->pend.end);
				fail(r, r->pend.e, "%s() did not return by %s s "
				     "(blocking call still waiting)",
				     r->pend.e->u.call.name, t);
			}
		}
	}
	fflush(r->msg);
	fflush(r->notes);
	if (r->failed) {
		fprintf(o->out, "FAIL %s (%s)\n", sc->path, be_name(r));
		if (r->be)
			fprintf(r->msg, "    back end: %s\n", toe_eut_describe(r->be));
		fputs(r->msgbuf, o->out);
		rc = r->be && toe_eut_skips(r->be) ? 2 : 1;
	} else {
		fprintf(o->out, "PASS %s (%s)\n", sc->path, be_name(r));
	}
	fputs(r->notebuf, o->out);
	fclose(r->msg);
	fclose(r->notes);
	free(r->msgbuf);
	free(r->notebuf);
	if (r->be)
		toe_eut_free(r->be);
	for (int i = 0; i < r->nconn; i++)
		free(r->conns[i].rx);
	free(r->conns);
	free(r->by_id);
	free(r->frame);
	free(r);
	return rc;
}
