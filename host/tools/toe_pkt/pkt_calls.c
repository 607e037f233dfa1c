/* SPDX-License-Identifier: MIT */
/*
 * pkt_calls.c - toe-pkt's emulation of socket calls on top of the engine
 * under test: the sockets (fds) of a script mapped onto engine connections,
 * the engine's events turned into what the calls return (accept, read,
 * SO_ERROR, blocking connect), the calls themselves (socket, bind, listen,
 * accept, connect, close, shutdown, read, write, setsockopt, getsockopt,
 * fcntl) and the one call that may block at a time. The executor
 * (pkt_run.c) runs them; what both share is in pkt_run_priv.h.
 */
#include "pkt_run_priv.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* connections, sockets                                                */
/* ------------------------------------------------------------------ */

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
	c->t_change = (uint64_t)pkt_now(r);
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
		fl = pkt_flow_get(r, in.local_port, in.remote_port);
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

void pkt_drain_events(struct run *r)
{
	struct pkt_bev ev;

	if (!r->be)
		return;
	while (pkt_be_pop_event(r, &ev))
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
/* blocking calls                                                      */
/* ------------------------------------------------------------------ */

static int check_ret(struct run *r, const struct pkt_event *e, int64_t ret,
		     int err);
static int finish_accept(struct run *r, const struct pkt_event *e, int lfd,
			 int ci);
static int find_acceptable(struct run *r);

/* Has the pending call returned? 1 done (checked), 0 not yet, -1 failed. */
int pkt_pending_poll(struct run *r)
{
	struct pending *p = &r->pend;
	struct conn *c = NULL;
	int64_t ret = 0, when = 0;
	int64_t slack = (int64_t)pkt_be_slack_us(r);
	/* the simulated back ends give no early slack (docs/pkt.md) */
	int64_t early = r->o->kind == TOE_EUT_LINUX ? r->sc->set.tolerance_us : 0;
	int err = 0, ci;
	char t1[32], t2[32];

	if (p->kind == PEND_NONE)
		return 0;
	pkt_drain_events(r);
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
		if (toe_eut_has_recv(r->be) && !c->so_error && c->live) {
			/* linux: the kernel's read() */
			long n = toe_eut_recv(r->be, c->id, r->data,
					      p->read_max < sizeof(r->data)
						      ? (size_t)p->read_max
						      : sizeof(r->data));

			if (n == -EAGAIN)
				return 0;
			if (n < 0) {
				ret = -1;
				err = (int)-n;
			} else {
				ret = n;
			}
			when = pkt_now(r);
			break;
		}
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
		if (when < p->end - early ||
		    when > p->end + r->sc->set.tolerance_us + slack) {
			pkt_fmt_time(t1, sizeof(t1), when);
			pkt_fmt_time(t2, sizeof(t2), p->end);
			return pkt_fail(r, p->e, "accept() returned at %s s, expected "
				    "at %s s", t1, t2);
		}
		return finish_accept(r, p->e, p->fd, ci) ? -1 : 1;
	default:
		return 0;
	}
	if (when < p->issued)
		when = p->issued;
	p->kind = PEND_NONE;
	if (when < p->end - early ||
	    when > p->end + r->sc->set.tolerance_us + slack) {
		pkt_fmt_time(t1, sizeof(t1), when);
		pkt_fmt_time(t2, sizeof(t2), p->end);
		return pkt_fail(r, p->e, "%s() returned at %s s, expected at %s s",
			    p->e->u.call.name, t1, t2);
	}
	return check_ret(r, p->e, ret, err) ? -1 : 1;
}

/* Called while time passes: fails a pending call that is overdue. */
int pkt_pending_check(struct run *r)
{
	struct pending *p = &r->pend;
	char t[32];

	if (p->kind == PEND_NONE)
		return 0;
	if (pkt_pending_poll(r) < 0)
		return -1;
	if (p->kind != PEND_NONE &&
	    pkt_now(r) > p->end + r->sc->set.tolerance_us +
			      (int64_t)pkt_be_slack_us(r)) {
		pkt_fmt_time(t, sizeof(t), p->end);
		p->kind = PEND_NONE;
		return pkt_fail(r, p->e, "%s() did not return by %s s (blocking call "
			    "still waiting)", p->e->u.call.name, t);
	}
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
		return pkt_fail(r, e, "%s() returned -1 %s, expected %lld%s%s", k->name,
			    pkt_errno_name(err), (long long)k->ret,
			    k->err[0] ? " " : "", k->err);
	return pkt_fail(r, e, "%s() returned %lld, expected %lld%s%s", k->name,
		    (long long)ret, (long long)k->ret, k->err[0] ? " " : "",
		    k->err);
}

static int arg_fd(struct run *r, const struct pkt_event *e, int i, int *fd)
{
	const char *a = e->u.call.args[i];
	char *end;
	long v = strtol(a, &end, 10);

	if (*end || end == a || v < 0 || v >= MAX_FDS)
		return pkt_fail(r, e, "bad file descriptor argument '%s'", a);
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
		return pkt_fail(r, e, "expected [value], got '%s'", a);
	memcpy(in, a + 1, n - 2);
	in[n - 2] = 0;
	if (in[0] == 'E') {
		int ev = pkt_errno_value(in);

		if (ev < 0)
			return pkt_fail(r, e, "unknown errno '%s'", in);
		*v = ev;
		return 0;
	}
	*v = strtol(in, &end, 0);
	if (*end)
		return pkt_fail(r, e, "bad value '%s'", a);
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
	int fd = fd_alloc(r, FD_CONN), id;

	(void)lfd;
	if (fd < 0)
		return pkt_fail(r, e, "out of file descriptors");
	/* linux: the kernel's accept() gives the oldest of its queue */
	id = toe_eut_accept(r->be, r->conns[ci].id);
	if (id < 0) {
		r->fds[fd].kind = 0;
		return pkt_fail(r, e, "the %s could not accept connection %d",
				pkt_be_name(r), r->conns[ci].id);
	}
	if (id != r->conns[ci].id && conn_by_id(r, id) >= 0)
		ci = conn_by_id(r, id);
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
		return pkt_fail(r, e, "only socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) "
			    "is supported");
	fd = fd_alloc(r, FD_SOCK);
	if (fd < 0)
		return pkt_fail(r, e, "out of file descriptors");
	return check_ret(r, e, fd, 0);
}

static int call_listen(struct run *r, const struct pkt_event *e, int fd)
{
	int rc;

	if (r->fds[fd].kind != FD_SOCK)
		return check_ret(r, e, -1, r->fds[fd].kind ? EINVAL : EBADF);
	if (pkt_ensure_backend(r, e))
		return -1;
	if (toe_eut_kind(r->be) == TOE_EUT_LINUX) {
		/* the kernel's listen() takes the script's backlog */
		const char *a = e->u.call.nargs > 1 ? e->u.call.args[1] : "...";
		char *end;
		long n = strtol(a, &end, 10);

		if (strcmp(a, "...") && (*end || end == a || n < 0 || n > 65535))
			return pkt_fail(r, e, "bad listen backlog '%s'", a);
		toe_eut_linux_backlog(r->be, strcmp(a, "...") ? (int)n : 128);
	}
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
	if (pkt_ensure_backend(r, e))
		return -1;
	pkt_drain_events(r);
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
	if (pkt_ensure_backend(r, e))
		return -1;
	lport = so->bound ? r->set->bind_port : r->next_eph++;
	id = toe_eut_connect(r->be, lport, r->set->remote_ip,
			     r->set->connect_port, NULL);
	if (id < 0)
		return check_ret(r, e, -1, map_err(id));
	fl = pkt_flow_get(r, lport, r->set->connect_port);
	if (fl < 0)
		return pkt_fail(r, e, "too many flows");
	ci = conn_new(r, id, fl, false);
	so->kind = FD_CONN;
	so->conn = ci;
	r->cur = fl;
	if (so->nonblock)
		return check_ret(r, e, -1, EINPROGRESS);
	start_pending(r, e, PEND_CONNECT, fd, T);
	return pkt_pending_poll(r) < 0 ? -1 : 0;
}

static int call_close(struct run *r, const struct pkt_event *e, int fd)
{
	struct sock *so = &r->fds[fd];
	int rc = 0;

	switch (so->kind) {
	case FD_SOCK:
		break;
	case FD_LISTEN:
		if (pkt_ensure_backend(r, e))
			return -1;
		rc = toe_eut_unlisten(r->be, r->set->bind_port);
		r->listening = false;
		break;
	case FD_CONN: {
		struct conn *c;

		if (pkt_ensure_backend(r, e))
			return -1;
		pkt_drain_events(r); /* may grow r->conns: take pointers after */
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
		return pkt_fail(r, e, "the %s refused the close: %s", pkt_be_name(r),
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
		return pkt_fail(r, e, "shutdown: unknown 'how' '%s'", how);
	if (!c)
		return check_ret(r, e, -1, r->fds[fd].kind ? ENOTCONN : EBADF);
	if (pkt_ensure_backend(r, e))
		return -1;
	pkt_drain_events(r);
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
			return pkt_fail(r, e, "bad read length '%s'", e->u.call.args[2]);
	}
	if (pkt_ensure_backend(r, e))
		return -1;
	pkt_drain_events(r);
	c = fd_conn(r, fd);
	r->cur = c->flow;
	if (toe_eut_has_recv(r->be)) {
		/* linux: try the kernel's read(); nonblocking: EAGAIN if it
		 * has nothing */
		start_pending(r, e, PEND_READ, fd, T);
		r->pend.read_max = max;
		if (pkt_pending_poll(r) < 0)
			return -1;
		if (r->pend.kind != PEND_NONE && r->fds[fd].nonblock) {
			r->pend.kind = PEND_NONE;
			return check_ret(r, e, -1, EAGAIN);
		}
		return 0;
	}
	if (!c->rx_len && !c->so_error && !c->peer_fin && c->live &&
	    r->fds[fd].nonblock)
		return check_ret(r, e, -1, EAGAIN);
	start_pending(r, e, PEND_READ, fd, T);
	r->pend.read_max = max;
	return pkt_pending_poll(r) < 0 ? -1 : 0;
}

static int call_write(struct run *r, const struct pkt_event *e, int fd)
{
	struct conn *c = fd_conn(r, fd);

	if (!c)
		return check_ret(r, e, -1, r->fds[fd].kind ? ENOTCONN : EBADF);
	if (pkt_ensure_backend(r, e))
		return -1;
	pkt_drain_events(r);
	c = fd_conn(r, fd);
	r->cur = c->flow;
	if (r->fds[fd].wr_shut || !c->live)
		return check_ret(r, e, -1, EPIPE); /* CL-09 */
	{
		struct toe_ref_conn_info in;

		if (toe_eut_conn_info(r->be, c->id, &in, false) == 0 && in.wr_shut)
			return check_ret(r, e, -1, EPIPE);
	}
	return pkt_fail(r, e, "write(): unsupported: the engine has no transmit "
		    "data path yet");
}

/* The linger struct of SO_LINGER: packetdrill's "{onoff=1, linger=0}" or the
 * struct linger member names "{l_onoff=1, l_linger=0}". Fields are told
 * apart by their whole names (a name is [A-Za-z0-9_]+, so "l_onoff" is not
 * "onoff"), each given once, both required, values decimal integers. */
static const char *linger_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int parse_linger(const char *a, int *onoff, int *linger)
{
	bool have_on = false, have_lin = false;
	const char *s = linger_skip_ws(a);

	if (*s++ != '{')
		return -1;
	for (;;) {
		const char *name;
		size_t n = 0;
		long v;
		char *end;
		int *dst;
		bool *have;

		s = linger_skip_ws(s);
		name = s;
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
		if ((n == 5 && !strncmp(name, "onoff", n)) ||
		    (n == 7 && !strncmp(name, "l_onoff", n))) {
			dst = onoff;
			have = &have_on;
		} else if ((n == 6 && !strncmp(name, "linger", n)) ||
			   (n == 8 && !strncmp(name, "l_linger", n))) {
			dst = linger;
			have = &have_lin;
		} else {
			return -1;
		}
		if (*have)
			return -1;
		s = linger_skip_ws(s + n);
		if (*s++ != '=')
			return -1;
		s = linger_skip_ws(s);
		if (!isdigit((unsigned char)*s) && !(*s == '-' &&
		    isdigit((unsigned char)s[1])))
			return -1;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || v < INT_MIN || v > INT_MAX)
			return -1;
		*dst = (int)v;
		*have = true;
		s = linger_skip_ws(end);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s++ != '}')
			return -1;
		break;
	}
	return have_on && have_lin && *linger_skip_ws(s) == '\0' ? 0 : -1;
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
			return pkt_fail(r, e, "SO_LINGER: expected {onoff=N, "
				    "linger=N} or {l_onoff=N, l_linger=N}, "
				    "got '%s'", k->args[3]);
		/* SO_LINGER 0 makes close() an abort (RST) */
		r->fds[fd].linger0 = on && lin == 0;
		if (on && lin != 0)
			pkt_note(r, e, "SO_LINGER with a non-zero time: close() stays "
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
				return pkt_fail(r, e, "TCP_MAXSEG after the engine "
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
	return pkt_fail(r, e, "setsockopt: unsupported option %s %s", lvl, name);
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
	if (pkt_ensure_backend(r, e))
		return -1;
	pkt_drain_events(r);
	c = fd_conn(r, fd);
	if (!strcmp(lvl, "SOL_SOCKET") && !strcmp(name, "SO_ERROR")) {
		got = 0;
		if (c) {
			got = c->so_error;
			c->so_error = 0; /* reading SO_ERROR clears it */
			r->cur = c->flow;
		}
		if (got != want) {
			return pkt_fail(r, e, "SO_ERROR is %s, expected %s",
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
			return pkt_fail(r, e, "TCP_MAXSEG is %ld, expected %ld", got,
				    want);
		return check_ret(r, e, 0, 0);
	}
	return pkt_fail(r, e, "getsockopt: unsupported option %s %s", lvl, name);
}

static int call_fcntl(struct run *r, const struct pkt_event *e, int fd)
{
	const struct pkt_call *k = &e->u.call;

	if (fd < FD_FIRST || !r->fds[fd].kind)
		return check_ret(r, e, -1, EBADF);
	if (!strcmp(k->args[1], "F_SETFL")) {
		if (k->nargs != 3)
			return pkt_fail(r, e, "fcntl(F_SETFL) needs the flags");
		r->fds[fd].nonblock = strstr(k->args[2], "O_NONBLOCK") != NULL;
		return check_ret(r, e, 0, 0);
	}
	if (!strcmp(k->args[1], "F_GETFL"))
		return check_ret(r, e, 02 | (r->fds[fd].nonblock ? 04000 : 0), 0);
	return pkt_fail(r, e, "fcntl: unsupported command '%s'", k->args[1]);
}

int pkt_do_call(struct run *r, const struct pkt_event *e, int64_t T)
{
	const struct pkt_call *k = &e->u.call;
	int fd = -1;

	if (r->pend.kind != PEND_NONE)
		return pkt_fail(r, e, "a call while %s() (line %d) still blocks: "
			    "unsupported", r->pend.e->u.call.name, r->pend.e->line);
	if (!strcmp(k->name, "socket"))
		return call_socket(r, e);
	if (arg_fd(r, e, 0, &fd))
		return -1;
	if (e->t.blocking && strcmp(k->name, "connect") &&
	    strcmp(k->name, "accept") && strcmp(k->name, "read"))
		return pkt_fail(r, e, "only connect, accept and read can block");
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
	return pkt_fail(r, e, "unsupported call '%s'", k->name);
}

void pkt_calls_free(struct run *r)
{
	for (int i = 0; i < r->nconn; i++)
		free(r->conns[i].rx);
	free(r->conns);
	free(r->by_id);
}
