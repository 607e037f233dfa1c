/* SPDX-License-Identifier: MIT */
/*
 * toe_tr_tcp.c - the tcp:// transport: the bridge byte stream over a TCP
 * connection to a running simulation (sim/joint/toe_hostsrv.h serves it).
 *
 * URI: tcp://HOST:PORT[?connect_timeout=MS]   (HOST a name, an IPv4
 * address or [IPv6]). Connect is non-blocking with a timeout; reads wait
 * with poll(); a closed connection is TOE_EDISCONNECTED, a refused one
 * TOE_ECONNREFUSED. Writes use MSG_NOSIGNAL (no SIGPIPE).
 */
#include "toe_transport_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp_priv {
	int fd;
};

/* Connect one address within timeout_ms: fd or a negative code. */
static int connect_one(struct toe_transport *t, const struct addrinfo *ai,
		       int timeout_ms, const char *what)
{
	int fd, r, soerr = 0, one = 1;
	socklen_t sl = sizeof(soerr);
	struct pollfd pfd;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return toe_tr_err(t, TOE_EIO, "tcp: socket: %s",
				  strerror(errno));
	r = connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (r < 0 && errno == EINPROGRESS) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do
			r = poll(&pfd, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			close(fd);
			return toe_tr_err(t, TOE_ETIMEDOUT, "tcp: connect to "
					  "%s: no answer in %d ms", what,
					  timeout_ms);
		}
		if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
					&sl) == 0 && soerr == 0)
			r = 0;
		else {
			errno = soerr ? soerr : errno;
			r = -1;
		}
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		return toe_tr_err(t, e == ECONNREFUSED ? TOE_ECONNREFUSED :
				  TOE_EIO, "tcp: connect to %s: %s", what,
				  strerror(e));
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int tcp_open(struct toe_transport *t, struct toe_tr_uri *u)
{
	char host[256], port[16];
	const char *b = u->body, *colon;
	struct addrinfo hints, *res = NULL, *ai;
	struct tcp_priv *p;
	uint64_t cto;
	size_t hl;
	int r, fd = TOE_EIO;

	r = toe_tr_opt_u64(t, u, "connect_timeout", 2000, 1, 600000, &cto);
	if (r < 0)
		return r;
	if (*b == '[') { /* [v6addr]:port */
		const char *rb = strchr(b, ']');

		if (!rb || rb[1] != ':')
			return toe_tr_err(t, TOE_EURI, "tcp://%s: want "
					  "tcp://[ADDR]:PORT", b);
		hl = (size_t)(rb - b - 1);
		b++;
		colon = rb + 1;
	} else {
		colon = strrchr(b, ':');
		if (!colon)
			return toe_tr_err(t, TOE_EURI, "tcp://%s: want "
					  "tcp://HOST:PORT", b);
		hl = (size_t)(colon - b);
	}
	/* the port: 1..15 decimal digits, so strtoul reads it exactly (atoi
	 * wrapped "4294967297" around to 1, and the lookup got the long
	 * string: found by tests/fuzz/fuzz_uri.c) */
	if (hl == 0 || hl >= sizeof(host) || strlen(colon + 1) == 0 ||
	    strlen(colon + 1) >= sizeof(port) ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strtoul(colon + 1, NULL, 10) < 1 ||
	    strtoul(colon + 1, NULL, 10) > 65535)
		return toe_tr_err(t, TOE_EURI, "tcp://%s: want tcp://HOST:PORT "
				  "with a port 1..65535", u->body);
	memcpy(host, b, hl);
	host[hl] = 0;
	snprintf(port, sizeof(port), "%s", colon + 1);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo(host, port, &hints, &res);
	if (r != 0)
		return toe_tr_err(t, TOE_ENODEV, "tcp: %s: %s", host,
				  gai_strerror(r));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = connect_one(t, ai, (int)cto, u->body);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fd;
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return toe_tr_err(t, TOE_ENOMEM, "tcp: out of memory");
	}
	p->fd = fd;
	t->priv = p;
	return 0;
}

static int tcp_write(struct toe_transport *t, const uint8_t *buf, size_t n)
{
	struct tcp_priv *p = t->priv;
	size_t done = 0;

	if (p->fd < 0)
		return toe_tr_err(t, TOE_EDISCONNECTED, "tcp: connection "
				  "closed");
	while (done < n) {
		ssize_t w = send(p->fd, buf + done, n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = p->fd, .events = POLLOUT };

			/* a full socket buffer for seconds: the peer is stuck */
			if (poll(&pfd, 1, 5000) == 0)
				return toe_tr_err(t, TOE_ETIMEDOUT, "tcp: send "
						  "blocked for 5 s");
			continue;
		}
		if (w < 0) {
			int e = errno;

			if (e == EPIPE || e == ECONNRESET) {
				close(p->fd);
				p->fd = -1;
				return toe_tr_err(t, TOE_EDISCONNECTED,
						  "tcp: server closed the "
						  "connection (%s)", strerror(e));
			}
			return toe_tr_err(t, TOE_EIO, "tcp: send: %s",
					  strerror(e));
		}
		done += (size_t)w;
	}
	return 0;
}

static int tcp_read(struct toe_transport *t, uint8_t *buf, size_t n,
		    int timeout_ms)
{
	struct tcp_priv *p = t->priv;
	uint64_t end = toe_tr_mono_ms() + (uint64_t)timeout_ms;

	if (p->fd < 0)
		return toe_tr_err(t, TOE_EDISCONNECTED, "tcp: connection "
				  "closed");
	for (;;) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		uint64_t now = toe_tr_mono_ms();
		int r = poll(&pfd, 1, now >= end ? 0 : (int)(end - now));
		ssize_t got;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return toe_tr_err(t, TOE_EIO, "tcp: poll: %s",
					  strerror(errno));
		if (r == 0)
			return 0;
		got = recv(p->fd, buf, n, 0);
		if (got > 0)
			return (int)got;
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got == 0 || errno == ECONNRESET) {
			close(p->fd);
			p->fd = -1;
			return toe_tr_err(t, TOE_EDISCONNECTED, "tcp: server "
					  "closed the connection");
		}
		return toe_tr_err(t, TOE_EIO, "tcp: recv: %s", strerror(errno));
	}
}

static void tcp_close(struct toe_transport *t)
{
	struct tcp_priv *p = t->priv;

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
	t->priv = NULL;
}

static const char *const options[] = { "connect_timeout", NULL };

const struct toe_transport_ops toe_tr_tcp_ops = {
	.scheme = "tcp",
	.slashes = true,
	/* wall-clock ms to a model running at maybe 1e6 cycles/s: the bridge's
	 * 250000-cycle byte timeout alone can take a quarter second */
	.defaults = { .timeout_ms = 1000, .retries = 5, .cmd_timeout_ms = 5000 },
	.options = options,
	.open = tcp_open,
	.write = tcp_write,
	.read = tcp_read,
	.close = tcp_close,
};
