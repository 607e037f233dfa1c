/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_linux.c - the Linux kernel as the engine under test (toe-pkt
 * --linux, docs/pkt.md "Linux as the third stack"). The kernel's TCP runs
 * in a network namespace this back end creates with a TAP link
 * (host/tools/toe_simd/toe_simd_net.h: 192.0.2.1 Linux, 192.0.2.2 the
 * peer), in real time:
 *
 *   - frames pushed are written to the TAP, frames the kernel sends are
 *     read from it (TCP over IPv4 only; anything else is dropped). The
 *     script's addresses are mapped both ways: the script's local address
 *     (cfg.local_ip, the stack under test) is Linux's 192.0.2.1, its peer
 *     (cfg.peer_ip) is 192.0.2.2; the IPv4 and TCP checksums are adjusted
 *     for the change (RFC 1624), so a deliberately bad checksum stays bad.
 *     The MACs are mapped the same way (Linux's TAP MAC <-> cfg.local_mac;
 *     the peer's MAC, cfg.remote_mac, is a permanent neighbour entry: no
 *     ARP on the wire).
 *   - commands are real socket calls inside the namespace: LISTEN is
 *     socket/bind/listen, CONNECT a nonblocking connect() from the given
 *     port, CLOSE close(), SHUTDOWN shutdown(SHUT_WR), ABORT SO_LINGER 0
 *     then close().
 *   - events are what the sockets say: ESTABLISHED when a connection is
 *     seen established in a listener's accept queue (sock_diag, while the
 *     listener is readable) or a connect() completes; the script's
 *     accept() is the kernel's (toe_eut_accept: the oldest of the queue),
 *     and so is its read() (toe_eut_recv: no RX_DATA events); PEER_FIN
 *     when the FIN is in (POLLRDHUP); RESET / REFUSED / TIMEDOUT
 *     from the socket's error; CLOSED when a socket the script holds
 *     reaches TCP_CLOSE.
 *   - connection read-out (state, MSS, retransmits) comes from the kernel's
 *     sock_diag (what `ss` uses), by 4-tuple, so connections no fd knows
 *     (SYN-RECEIVED, orphans after close(), TIME-WAIT) have a state too.
 *
 * Time is CLOCK_MONOTONIC in microseconds (tick_hz 1 MHz) since creation;
 * toe_eut_run sleeps in poll() on the TAP and the sockets, waking at least
 * every millisecond to look at the sockets.
 */
#define _GNU_SOURCE
#include "toe_eut_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/inet_diag.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "toe_bytes.h"
#include "toe_simd_net.h"
#include "toe_wire.h"

#define LX_MAX_LISTEN 8
#define LX_POLL_MS 1
#define LX_FRAME_MAX 16384
#define LX_DIAG_MAX 256

struct lx_conn {
	uint16_t lport, rport;
	int fd;                /* -1: none (closed by the script, or never had) */
	bool connecting;       /* connect() not finished */
	bool queued;           /* established, in the listener's accept queue */
	uint64_t cookie;       /* the kernel socket's SO_COOKIE, 0 unknown */
	bool fin_seen, dead;   /* EOF reported; no more events */
};

struct lx_frame {
	uint8_t *buf;
	size_t len;
	uint64_t tick;
};

struct lx_event {
	struct toe_eut_event ev;
	uint8_t *data;
};

struct lx {
	struct toe_eut head;
	struct simd_net net;
	int diag;              /* NETLINK_SOCK_DIAG socket in the namespace */
	int pkt;               /* AF_PACKET on the link: Linux's frames, stamped */
	int64_t real_minus_mono; /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	uint64_t start_ns;
	uint32_t lx_ip, peer_ns_ip;     /* on the link */
	uint32_t script_local, script_peer;
	int lfd[LX_MAX_LISTEN];
	uint16_t lport[LX_MAX_LISTEN];
	struct lx_conn *c;
	int nc;
	size_t capc;
	struct lx_frame *fq;
	size_t fq_n, fq_cap;
	struct lx_event *eq;
	size_t eq_n, eq_cap;
	uint8_t *payload;      /* RX_DATA of the last popped event */
	size_t payload_len;
	uint16_t payload_conn;
	uint64_t last_rx;
	/* the tuples (our port, the peer's) the peer has sent to */
	uint16_t cand[LX_DIAG_MAX][2];
	int ncand;
	int backlog;           /* of the next listen() */
	char err[160];
};

static struct lx *LX(const struct toe_eut *e)
{
	return (struct lx *)(uintptr_t)e;
}

static uint64_t now_us(const struct lx *x)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec -
		x->start_ns) / 1000u;
}

static void set_err(struct lx *x, const char *fmt, const char *what, int e)
{
	if (!x->err[0])
		snprintf(x->err, sizeof(x->err), fmt, what, strerror(e));
}

/* ---- queues ---- */

static void *grow(void *p, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, *cap * sz);
	if (!p) {
		fprintf(stderr, "toe-pkt: linux: out of memory\n");
		exit(2);
	}
	return p;
}

static void push_event(struct lx *x, int type, int conn, const uint8_t *d,
		       size_t len)
{
	struct lx_event *v;

	x->eq = grow(x->eq, &x->eq_cap, x->eq_n, sizeof(*x->eq));
	v = &x->eq[x->eq_n++];
	memset(v, 0, sizeof(*v));
	v->ev.type = type;
	v->ev.conn = conn;
	v->ev.arg = (uint32_t)len;
	v->ev.tick = now_us(x);
	if (len) {
		v->data = malloc(len);
		if (!v->data)
			exit(2);
		memcpy(v->data, d, len);
	}
}

/* ---- addresses ---- */

/* RFC 1624 eqn. 3: the checksum at p after a 32-bit word changed from o to
 * n. */
static void csum_fix32(uint8_t *p, uint32_t o, uint32_t n)
{
	uint32_t s = (uint16_t)~toe_get_be16(p);

	s += (uint16_t)~(o >> 16);
	s += (uint16_t)~(o & 0xFFFF);
	s += n >> 16;
	s += n & 0xFFFF;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	toe_put_be16(p, (uint16_t)~s);
}

/* Rewrite an IPv4 frame's addresses (from -> to for source and
 * destination), fixing both checksums. 0, or -1 if not IPv4/TCP. */
static int remap(uint8_t *b, size_t len, uint32_t src, uint32_t dst)
{
	uint8_t *ip = b + TOE_ETH_HLEN, *tcp;
	size_t ihl;
	uint32_t os, od;

	if (len < TOE_ETH_HLEN + TOE_IPV4_HLEN ||
	    toe_get_be16(b + 12) != TOE_ETHERTYPE_IPV4 || (ip[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ip[9] != TOE_IPPROTO_TCP || len < TOE_ETH_HLEN + ihl + TOE_TCP_HLEN)
		return -1;
	os = toe_get_be32(ip + 12);
	od = toe_get_be32(ip + 16);
	toe_put_be32(ip + 12, src);
	toe_put_be32(ip + 16, dst);
	csum_fix32(ip + 10, os, src);
	csum_fix32(ip + 10, od, dst);
	/* not for a later fragment: its TCP header is elsewhere */
	if ((toe_get_be16(ip + 6) & 0x1FFF) == 0) {
		tcp = ip + ihl;
		csum_fix32(tcp + 16, os, src);
		csum_fix32(tcp + 16, od, dst);
	}
	return 0;
}

/* ---- connections ---- */

static int conn_add(struct lx *x, uint16_t lport, uint16_t rport, int fd)
{
	struct lx_conn *c;

	x->c = grow(x->c, &x->capc, (size_t)x->nc, sizeof(*x->c));
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->lport = lport;
	c->rport = rport;
	c->fd = fd;
	return x->nc++;
}

/* One TCP socket of the namespace, as sock_diag reports it. */
struct lx_diag {
	uint16_t sport, dport;
	int state;          /* Linux's TCP_* number */
	unsigned retrans;   /* request sockets too: SYN-ACK retransmissions */
	uint64_t cookie;    /* SO_COOKIE */
	bool have_ti;
	uint32_t snd_mss;
};



/* The kernel's socket of (lport, rport) with the peer: 0 and *d, or -1
 * (none). An exact lookup (a dump walks the host's whole connection hash:
 * milliseconds); a listener the lookup falls back to is "none". */
static int diag_lookup(struct lx *x, uint16_t lport, uint16_t rport,
		       struct lx_diag *d)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	static uint8_t buf[8192];
	struct nlmsghdr *h;
	struct inet_diag_msg *m;
	struct rtattr *a;
	ssize_t n;
	int alen;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = AF_INET;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0u;
	req.r.idiag_ext = 1u << (INET_DIAG_INFO - 1);
	req.r.id.idiag_sport = htons(lport);
	req.r.id.idiag_dport = htons(rport);
	req.r.id.idiag_src[0] = htonl(x->lx_ip);
	req.r.id.idiag_dst[0] = htonl(x->peer_ns_ip);
	req.r.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (send(x->diag, &req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		set_err(x, "sock_diag %s: %s", "send", errno);
		return -1;
	}
	do
		n = recv(x->diag, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_err(x, "sock_diag %s: %s", "recv", errno);
		return -1;
	}
	h = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return -1; /* NLMSG_ERROR: ENOENT */
	m = NLMSG_DATA(h);
	if (m->id.idiag_dport == 0)
		return -1; /* the listener */
	memset(d, 0, sizeof(*d));
	d->sport = ntohs(m->id.idiag_sport);
	d->dport = ntohs(m->id.idiag_dport);
	d->state = m->idiag_state;
	d->retrans = m->idiag_retrans;
	d->cookie = (uint64_t)m->id.idiag_cookie[0] |
		    (uint64_t)m->id.idiag_cookie[1] << 32;
	alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
		if (a->rta_type == INET_DIAG_INFO) {
			struct tcp_info ti;
			size_t l = RTA_PAYLOAD(a);

			memset(&ti, 0, sizeof(ti));
			memcpy(&ti, RTA_DATA(a), l < sizeof(ti) ? l : sizeof(ti));
			d->have_ti = true;
			d->snd_mss = ti.tcpi_snd_mss;
		}
	return 0;
}

/* Linux's TCP_* state -> enum toe_tcp_state */
static int map_state(int s)
{
	switch (s) {
	case 1: return TOE_ST_ESTABLISHED;
	case 2: return TOE_ST_SYN_SENT;
	case 3: case 12: return TOE_ST_SYN_RECEIVED; /* SYN_RECV, NEW_SYN_RECV */
	case 4: return TOE_ST_FIN_WAIT_1;
	case 5: return TOE_ST_FIN_WAIT_2;
	case 6: return TOE_ST_TIME_WAIT;
	case 8: return TOE_ST_CLOSE_WAIT;
	case 9: return TOE_ST_LAST_ACK;
	case 10: return TOE_ST_LISTEN;
	case 11: return TOE_ST_CLOSING;
	default: return TOE_ST_CLOSED;
	}
}

/* ---- the kernel's side: frames and socket events ---- */

/* Frames the kernel sent: read with their kernel timestamps from a packet
 * socket on the link (outgoing only), so a late runner does not make
 * Linux look late; the TAP's copies are drained. */
static void take_frames(struct lx *x)
{
	uint8_t b[LX_FRAME_MAX];
	ssize_t n;

	while (simd_net_read(&x->net, b, sizeof(b)) > 0)
		;
	for (;;) {
		struct lx_frame *f;
		struct sockaddr_ll sll;
		char cbuf[CMSG_SPACE(sizeof(struct timespec))];
		struct iovec iov = { .iov_base = b, .iov_len = sizeof(b) };
		struct msghdr mh = {
			.msg_name = &sll, .msg_namelen = sizeof(sll),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm;
		uint64_t t = now_us(x);

		n = recvmsg(x->pkt, &mh, MSG_DONTWAIT);
		if (n <= 0)
			break;
		if (sll.sll_pkttype != PACKET_OUTGOING)
			continue; /* ours, written to the TAP */
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				int64_t rt;

				memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
				rt = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec -
				     x->real_minus_mono - (int64_t)x->start_ns;
				if (rt >= 0 && (uint64_t)rt / 1000u <= t)
					t = (uint64_t)rt / 1000u;
			}
		if (remap(b, (size_t)n, x->script_local, x->script_peer))
			continue; /* not TCP over IPv4 (nothing else is asked) */
		memcpy(b, x->head.cfg.remote_mac, 6);
		memcpy(b + 6, x->head.cfg.local_mac, 6);
		x->fq = grow(x->fq, &x->fq_cap, x->fq_n, sizeof(*x->fq));
		f = &x->fq[x->fq_n++];
		f->buf = malloc((size_t)n);
		if (!f->buf)
			exit(2);
		memcpy(f->buf, b, (size_t)n);
		f->len = (size_t)n;
		f->tick = t;
	}
}

static uint64_t fd_cookie(int fd)
{
	uint64_t c = 0;
	socklen_t l = sizeof(c);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &l) < 0)
		return 0;
	return c;
}

/* Connections established in a listener's accept queue, which the script
 * has not accepted yet: each gets an id (or the one find() gave its tuple)
 * and an ESTABLISHED event when it is first seen. Looked at while a
 * listener is readable (something is queued). */
static void scan_queued(struct lx *x)
{
	static struct lx_diag all[LX_DIAG_MAX];
	struct pollfd p[LX_MAX_LISTEN];
	int np = 0, n;

	bool more = false;

	/* a listener's TCP_INFO has its accept queue's length (unacked) */
	for (int i = 0; i < LX_MAX_LISTEN; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		unsigned known = 0;

		if (x->lfd[i] < 0)
			continue;
		p[np].fd = x->lfd[i];
		p[np].events = POLLIN;
		p[np++].revents = 0;
		if (getsockopt(x->lfd[i], IPPROTO_TCP, TCP_INFO, &ti, &tl) < 0)
			continue;
		for (int k = 0; k < x->nc; k++)
			if (x->c[k].queued && x->c[k].lport == x->lport[i])
				known++;
		if (ti.tcpi_unacked > known)
			more = true;
	}
	if (np == 0 || !more || poll(p, (nfds_t)np, 0) <= 0)
		return;
	/* which: the tuples the peer has sent to, looked up one by one (a
	 * dump would walk the host's whole connection hash) */
	n = 0;
	for (int k = 0; k < x->ncand; k++)
		if (!diag_lookup(x, x->cand[k][0], x->cand[k][1], &all[n]))
			n++;
	for (int k = 0; k < n; k++) {
		struct lx_diag *d = &all[k];
		bool listening = false, known = false;
		int id = -1;

		/* a full socket past the handshake that no fd holds */
		if (d->dport == 0 || d->state == 2 || d->state == 3 ||
		    d->state == 6 || d->state == 7 || d->state >= 10)
			continue;
		for (int i = 0; i < LX_MAX_LISTEN; i++)
			if (x->lfd[i] >= 0 && x->lport[i] == d->sport)
				listening = true;
		if (!listening)
			continue;
		for (int i = 0; i < x->nc && !known; i++)
			known = x->c[i].cookie == d->cookie;
		if (known)
			continue;
		for (int i = 0; i < x->nc; i++)
			if (x->c[i].lport == d->sport &&
			    x->c[i].rport == d->dport && x->c[i].fd < 0 &&
			    !x->c[i].dead && !x->c[i].queued &&
			    !x->c[i].cookie)
				id = i; /* known from find() */
		if (id < 0)
			id = conn_add(x, d->sport, d->dport, -1);
		x->c[id].queued = true;
		x->c[id].cookie = d->cookie;
		push_event(x, TOE_EV_ESTABLISHED, id, NULL, 0);
	}
}

/* The script's accept(): the kernel's, on the listener of conn's port. */
static int lx_accept(struct toe_eut *e, int conn)
{
	struct lx *x = LX(e);
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	uint64_t ck;
	int fd, lfd = -1, id = -1;

	if (conn < 0 || conn >= x->nc)
		return -1;
	for (int i = 0; i < LX_MAX_LISTEN; i++)
		if (x->lfd[i] >= 0 && x->lport[i] == x->c[conn].lport)
			lfd = x->lfd[i];
	if (lfd < 0)
		return -1;
	fd = accept4(lfd, (struct sockaddr *)&a, &al,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	ck = fd_cookie(fd);
	for (int i = 0; i < x->nc; i++)
		if (x->c[i].queued && x->c[i].cookie == ck)
			id = i;
	if (id < 0) /* not seen queued yet (accepted within a millisecond) */
		for (int i = 0; i < x->nc; i++)
			if (x->c[i].queued && x->c[i].lport == x->c[conn].lport &&
			    x->c[i].rport == ntohs(a.sin_port))
				id = i;
	if (id < 0) {
		id = conn_add(x, x->c[conn].lport, ntohs(a.sin_port), -1);
		push_event(x, TOE_EV_ESTABLISHED, id, NULL, 0);
	}
	x->c[id].fd = fd;
	x->c[id].cookie = ck;
	x->c[id].queued = false;
	return id;
}

static void end_conn(struct lx *x, int id, int type)
{
	push_event(x, type, id, NULL, 0);
	x->c[id].dead = true;
}

static void check_conn(struct lx *x, int id)
{
	struct lx_conn *c = &x->c[id];
	int err = 0;
	socklen_t el = sizeof(err);
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	if (c->fd < 0 || c->dead)
		return;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err) {
		if (c->connecting)
			end_conn(x, id, err == ETIMEDOUT ? TOE_EV_TIMEDOUT :
					err == ECONNRESET ? TOE_EV_RESET :
					TOE_EV_REFUSED);
		else
			end_conn(x, id, err == ETIMEDOUT ? TOE_EV_TIMEDOUT :
					TOE_EV_RESET);
		return;
	}
	if (c->connecting) {
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLOUT)) {
			c->connecting = false;
			push_event(x, TOE_EV_ESTABLISHED, id, NULL, 0);
		}
		return;
	}
	/* the data stays in the socket until the script's read()
	 * (toe_eut_recv), as an application's would: the peer's FIN is
	 * noticed by POLLRDHUP */
	if (!c->fin_seen) {
		struct pollfd p = { .fd = c->fd, .events = POLLRDHUP };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLRDHUP)) {
			c->fin_seen = true;
			push_event(x, TOE_EV_PEER_FIN, id, NULL, 0);
		}
	}
	if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
	    ti.tcpi_state == 7 /* TCP_CLOSE */)
		end_conn(x, id, TOE_EV_CLOSED);
}

static void service(struct lx *x)
{
	take_frames(x);
	scan_queued(x);
	for (int i = 0; i < x->nc; i++)
		check_conn(x, i);
}

/* ---- operations ---- */

static void lx_free(struct toe_eut *e)
{
	struct lx *x = LX(e);

	for (int i = 0; i < LX_MAX_LISTEN; i++)
		if (x->lfd[i] >= 0)
			close(x->lfd[i]);
	for (int i = 0; i < x->nc; i++)
		if (x->c[i].fd >= 0)
			close(x->c[i].fd);
	if (x->diag >= 0)
		close(x->diag);
	if (x->pkt >= 0)
		close(x->pkt);
	simd_net_close(&x->net);
	for (size_t i = 0; i < x->fq_n; i++)
		free(x->fq[i].buf);
	for (size_t i = 0; i < x->eq_n; i++)
		free(x->eq[i].data);
	free(x->fq);
	free(x->eq);
	free(x->c);
	free(x->payload);
	free(x);
}

static const char *lx_error(const struct toe_eut *e)
{
	return LX(e)->err[0] ? LX(e)->err : NULL;
}

static struct toe_sim *lx_sim(struct toe_eut *e)
{
	(void)e;
	return NULL;
}

static uint64_t lx_tick(const struct toe_eut *e)
{
	return now_us(LX(e));
}

static void lx_run(struct toe_eut *e, uint64_t until, unsigned stop,
		   uint64_t quiet)
{
	struct lx *x = LX(e);

	(void)quiet;
	for (;;) {
		struct pollfd p[1 + LX_MAX_LISTEN];
		int np = 0;
		uint64_t t;
		int ms;

		service(x);
		if ((stop & TOE_EUT_STOP_FRAME) && x->fq_n)
			return;
		if ((stop & TOE_EUT_STOP_EVENT) && x->eq_n)
			return;
		t = now_us(x);
		if (t >= until)
			return;
		p[np].fd = x->pkt;
		p[np++].events = POLLIN;
		for (int i = 0; i < LX_MAX_LISTEN; i++)
			if (x->lfd[i] >= 0) {
				p[np].fd = x->lfd[i];
				p[np++].events = POLLIN;
			}
		/* the sockets are looked at every millisecond; the TAP and
		 * the listeners wake the poll at once */
		ms = until - t >= LX_POLL_MS * 1000u ? LX_POLL_MS
						     : (int)((until - t + 999) / 1000);
		if (poll(p, (nfds_t)np, ms) < 0 && errno != EINTR)
			set_err(x, "%s: %s", "poll", errno);
	}
}

static void lx_step(struct toe_eut *e, uint64_t n)
{
	lx_run(e, now_us(LX(e)) + n, 0, 0);
}

static bool lx_busy(const struct toe_eut *e)
{
	(void)e;
	return false;
}

static int lx_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	struct lx *x = LX(e);
	uint8_t b[LX_FRAME_MAX];

	if (len > sizeof(b) || len < TOE_ETH_HLEN)
		return TOE_REF_EINVAL;
	memcpy(b, buf, len);
	if (remap(b, len, x->peer_ns_ip, x->lx_ip) == 0) {
		const uint8_t *tcp = b + TOE_ETH_HLEN + (b[TOE_ETH_HLEN] & 15) * 4;
		uint16_t sp = toe_get_be16(tcp), dp = toe_get_be16(tcp + 2);
		bool have = false;

		memcpy(b, x->net.linux_mac, 6);
		memcpy(b + 6, x->head.cfg.remote_mac, 6);
		for (int k = 0; k < x->ncand && !have; k++)
			have = x->cand[k][0] == dp && x->cand[k][1] == sp;
		if (!have && x->ncand < LX_DIAG_MAX) {
			x->cand[x->ncand][0] = dp;
			x->cand[x->ncand++][1] = sp;
		}
	}
	if (simd_net_write(&x->net, b, len) < 0) {
		set_err(x, "%s to the TAP: %s", "write", errno);
		return TOE_REF_EINVAL;
	}
	x->last_rx = now_us(x);
	service(x);
	return 0;
}

static size_t lx_rx_pending(const struct toe_eut *e)
{
	(void)e;
	return 0;
}

static uint64_t lx_rx_last_tick(const struct toe_eut *e)
{
	return LX(e)->last_rx;
}

static size_t lx_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			   uint64_t *first, uint64_t *last, bool *bad)
{
	struct lx *x = LX(e);
	struct lx_frame f;
	size_t n;

	service(x);
	if (!x->fq_n)
		return 0;
	f = x->fq[0];
	memmove(x->fq, x->fq + 1, (x->fq_n - 1) * sizeof(*x->fq));
	x->fq_n--;
	n = f.len < cap ? f.len : cap;
	memcpy(buf, f.buf, n);
	free(f.buf);
	if (first)
		*first = f.tick;
	if (last)
		*last = f.tick;
	if (bad)
		*bad = false;
	return f.len;
}

static size_t lx_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			     size_t cap)
{
	struct lx *x = LX(e);
	size_t n = x->payload_len < cap ? x->payload_len : cap;

	if (!x->payload_len)
		return 0;
	memcpy(buf, x->payload, n);
	*conn = x->payload_conn;
	x->payload_len = 0;
	return n;
}

static size_t lx_payload_pending(const struct toe_eut *e)
{
	return LX(e)->payload_len;
}

/* A nonblocking TCP socket in the namespace, bound to Linux's address
 * and lport: the fd, or TOE_REF_ENOMEM / TOE_REF_EADDRINUSE. */
static int lx_bound_socket(struct lx *x, uint16_t lport)
{
	struct sockaddr_in a;
	int fd, one = 1;

	fd = simd_net_socket(&x->net, AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
			     SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return TOE_REF_ENOMEM;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(x->lx_ip);
	a.sin_port = htons(lport);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return TOE_REF_EADDRINUSE;
	}
	return fd;
}

static int lx_command(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		      uint16_t rport, const uint8_t *rmac, int conn)
{
	struct lx *x = LX(e);
	struct sockaddr_in a;
	int fd;

	(void)rip;
	(void)rmac;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	switch (op) {
	case TOE_CMD_LISTEN: {
		int slot = -1;

		for (int i = 0; i < LX_MAX_LISTEN; i++) {
			if (x->lfd[i] >= 0 && x->lport[i] == lport)
				return TOE_REF_EADDRINUSE;
			if (x->lfd[i] < 0 && slot < 0)
				slot = i;
		}
		if (slot < 0)
			return TOE_REF_ENOMEM;
		fd = lx_bound_socket(x, lport);
		if (fd < 0)
			return fd;
		if (listen(fd, x->backlog) < 0) {
			close(fd);
			return TOE_REF_EADDRINUSE;
		}
		x->lfd[slot] = fd;
		x->lport[slot] = lport;
		return 0;
	}
	case TOE_CMD_UNLISTEN:
		for (int i = 0; i < LX_MAX_LISTEN; i++)
			if (x->lfd[i] >= 0 && x->lport[i] == lport) {
				close(x->lfd[i]);
				x->lfd[i] = -1;
				return 0;
			}
		return TOE_REF_ENOTCONN;
	case TOE_CMD_CONNECT: {
		int id;

		fd = lx_bound_socket(x, lport);
		if (fd < 0)
			return fd;
		a.sin_addr.s_addr = htonl(x->peer_ns_ip);
		a.sin_port = htons(rport);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 &&
		    errno != EINPROGRESS) {
			close(fd);
			return TOE_REF_EINVAL;
		}
		id = conn_add(x, lport, rport, fd);
		x->c[id].connecting = true;
		x->c[id].cookie = fd_cookie(fd);
		service(x);
		return id;
	}
	case TOE_CMD_CLOSE:
	case TOE_CMD_SHUTDOWN:
	case TOE_CMD_ABORT: {
		struct lx_conn *c;

		if (conn < 0 || conn >= x->nc || x->c[conn].fd < 0)
			return TOE_REF_ENOTCONN;
		c = &x->c[conn];
		if (op == TOE_CMD_SHUTDOWN) {
			if (shutdown(c->fd, SHUT_WR) < 0)
				return TOE_REF_ENOTCONN;
			service(x);
			return 0;
		}
		if (op == TOE_CMD_ABORT) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		}
		close(c->fd);
		c->fd = -1;
		c->dead = true; /* the script has no fd for it: no events */
		service(x);
		return 0;
	}
	default:
		return TOE_REF_ENOTSUP;
	}
}

static long lx_recv(struct toe_eut *e, int conn, uint8_t *buf, size_t cap)
{
	struct lx *x = LX(e);
	ssize_t n;

	if (conn < 0 || conn >= x->nc || x->c[conn].fd < 0)
		return -ENOTCONN;
	n = recv(x->c[conn].fd, buf, cap, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static int lx_pop_event(struct toe_eut *e, struct toe_eut_event *ev)
{
	struct lx *x = LX(e);
	struct lx_event v;

	service(x);
	if (!x->eq_n)
		return 0;
	v = x->eq[0];
	memmove(x->eq, x->eq + 1, (x->eq_n - 1) * sizeof(*x->eq));
	x->eq_n--;
	*ev = v.ev;
	free(x->payload);
	x->payload = v.data;
	x->payload_len = v.data ? v.ev.arg : 0;
	x->payload_conn = (uint16_t)v.ev.conn;
	return 1;
}

static int lx_conn_info(struct toe_eut *e, int conn,
			struct toe_ref_conn_info *in, bool full)
{
	struct lx *x = LX(e);
	struct lx_diag d;

	(void)full;
	memset(in, 0, sizeof(*in));
	if (conn < 0 || conn >= x->nc)
		return TOE_REF_ENOTCONN;
	if (diag_lookup(x, x->c[conn].lport, x->c[conn].rport, &d))
		return TOE_REF_ENOTCONN;
	in->state = map_state(d.state);
	if (in->state == TOE_ST_CLOSED)
		return TOE_REF_ENOTCONN;
	in->local_ip = x->script_local;
	in->remote_ip = x->script_peer;
	in->local_port = x->c[conn].lport;
	in->remote_port = x->c[conn].rport;
	in->retransmits = d.retrans;
	if (d.have_ti)
		in->eff_mss = (uint16_t)d.snd_mss;
	return 0;
}

static int lx_conn_state(struct toe_eut *e, int conn)
{
	struct toe_ref_conn_info in;

	return lx_conn_info(e, conn, &in, false) ? TOE_ST_CLOSED : in.state;
}

static int lx_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		   uint16_t rport)
{
	struct lx *x = LX(e);
	struct lx_diag d;

	(void)rip;
	/* the newest entry of the tuple that the kernel still has */
	if (diag_lookup(x, lport, rport, &d) ||
	    map_state(d.state) == TOE_ST_CLOSED)
		return -1;
	for (int i = x->nc - 1; i >= 0; i--)
		if (x->c[i].lport == lport && x->c[i].rport == rport)
			return i;
	return conn_add(x, lport, rport, -1);
}

static int lx_conn_count(struct toe_eut *e)
{
	(void)e;
	return 0;
}

static int lx_stats(struct toe_eut *e, struct toe_ref_stats *st)
{
	(void)e;
	memset(st, 0, sizeof(*st));
	return 0;
}

static const struct toe_eut_ops lx_ops = {
	.free = lx_free,
	.error = lx_error,
	.sim = lx_sim,
	.tick = lx_tick,
	.step = lx_step,
	.run = lx_run,
	.busy = lx_busy,
	.push_frame = lx_push_frame,
	.rx_pending = lx_rx_pending,
	.rx_last_tick = lx_rx_last_tick,
	.pop_frame = lx_pop_frame,
	.pop_payload = lx_pop_payload,
	.payload_pending = lx_payload_pending,
	.command = lx_command,
	.pop_event = lx_pop_event,
	.accept = lx_accept,
	.recv = lx_recv,
	.conn_info = lx_conn_info,
	.conn_state = lx_conn_state,
	.find = lx_find,
	.conn_count = lx_conn_count,
	.stats = lx_stats,
};

/* What every script starts from: the engine's option choice (MSS only on
 * SYN and SYN-ACK, RFC 9293 leaves the others optional), so that Linux's
 * segments are comparable option for option. */
static const char *const lx_base_sysctls[][2] = {
	{ "net.ipv4.tcp_timestamps", "0" },
	{ "net.ipv4.tcp_sack", "0" },
	{ "net.ipv4.tcp_window_scaling", "0" },
	{ "net.ipv4.tcp_ecn", "0" },
};

void toe_eut_linux_backlog(struct toe_eut *e, int backlog)
{
	LX(e)->backlog = backlog;
}

int toe_eut_linux_sysctl(struct toe_eut *e, const char *key, const char *val)
{
	return simd_net_sysctl(&LX(e)->net, key, val);
}

struct toe_eut *toe_eut_linux_new(const struct toe_eut_cfg *cfg, char *err,
				  size_t errlen)
{
	struct lx *x = calloc(1, sizeof(*x));
	struct simd_net_opts o = { .link = SIMD_LINK_TAP };
	struct timespec ts;
	struct utsname u;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->head.ops = &lx_ops;
	x->head.cfg = *cfg;
	x->head.tick_hz = 1000000;
	x->diag = -1;
	x->pkt = -1;
	x->backlog = 128;
	for (int i = 0; i < LX_MAX_LISTEN; i++)
		x->lfd[i] = -1;
	x->script_local = cfg->local_ip;
	x->script_peer = cfg->peer_ip;
	o.mtu = cfg->mtu;
	/* a signal removes the namespace (else the next run sweeps it) */
	{
		static bool signals;

		if (!signals)
			simd_net_install_signals(NULL);
		signals = true;
	}
	if (simd_net_open(&x->net, &o, err, errlen)) {
		free(x);
		return NULL;
	}
	x->lx_ip = x->net.linux_ip;
	x->peer_ns_ip = x->net.engine_ip;
	if (simd_net_add_neigh(&x->net, x->peer_ns_ip, cfg->remote_mac)) {
		snprintf(err, errlen, "cannot add the peer's neighbour entry "
			 "in the namespace: %s", strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < sizeof(lx_base_sysctls) / sizeof(lx_base_sysctls[0]);
	     i++)
		if (simd_net_sysctl(&x->net, lx_base_sysctls[i][0],
				    lx_base_sysctls[i][1])) {
			snprintf(err, errlen, "cannot set %s in the namespace: %s",
				 lx_base_sysctls[i][0], strerror(errno));
			goto fail;
		}
	x->diag = simd_net_socket(&x->net, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
				  NETLINK_SOCK_DIAG);
	if (x->diag < 0 || bind(x->diag, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "cannot open sock_diag in the namespace: %s",
			 strerror(errno));
		goto fail;
	}
	{
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
					   .sll_protocol = htons(ETH_P_ALL) };
		struct ifreq ifr;
		int one = 1;

		x->pkt = simd_net_socket(&x->net, AF_PACKET, SOCK_RAW |
					 SOCK_CLOEXEC, htons(ETH_P_ALL));
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s",
			 x->net.ifname);
		if (x->pkt < 0 || ioctl(x->pkt, SIOCGIFINDEX, &ifr) < 0 ||
		    (sll.sll_ifindex = ifr.ifr_ifindex,
		     bind(x->pkt, (struct sockaddr *)&sll, sizeof(sll)) < 0) ||
		    setsockopt(x->pkt, SOL_SOCKET, SO_TIMESTAMPNS, &one,
			       sizeof(one)) < 0) {
			snprintf(err, errlen, "cannot open a packet socket on "
				 "%s in the namespace: %s", x->net.ifname,
				 strerror(errno));
			goto fail;
		}
	}
	{
		struct timespec rt, m1;

		clock_gettime(CLOCK_MONOTONIC, &m1);
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		x->real_minus_mono = ((int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec) -
			(((int64_t)m1.tv_sec + ts.tv_sec) * 1000000000 +
			 m1.tv_nsec + ts.tv_nsec) / 2;
	}
	x->start_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	x->head.t0 = 0;
	x->head.max_conns = 0;
	x->head.timer_slack = cfg->linux_slack_us;
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	snprintf(x->head.desc, sizeof(x->head.desc),
		 "linux %.40s (namespace %s, TAP %s, real time, timers may be "
		 "%llu us late)", u.release, x->net.ns_name, x->net.ifname,
		 (unsigned long long)cfg->linux_slack_us);
	return &x->head;
fail:
	lx_free(&x->head);
	return NULL;
}
