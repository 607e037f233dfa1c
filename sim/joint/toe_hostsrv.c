/* SPDX-License-Identifier: MIT */
/*
 * toe_hostsrv.c - a simulated engine's host bridge on a TCP port
 * (toe_hostsrv.h): one client at a time, non-blocking, driven from the
 * simulation loop.
 */
#define _GNU_SOURCE /* accept4 */
#include "toe_hostsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "toe_sim.h"
#include "toe_transport.h"

#define OUT_CAP 65536

struct toe_hostsrv {
	const struct toe_sim_engine *e; /* NULL: toe_sim_host_* */
	struct toe_sim *s;
	int lfd, cfd;
	uint16_t port;
	uint8_t out[OUT_CAP]; /* bridge bytes the socket did not take yet */
	size_t out_h, out_n;
	struct toe_hostsrv_stats st;
};

struct toe_hostsrv *toe_hostsrv_new(struct toe_sim *s, uint16_t port,
				    char *err, size_t errlen)
{
	return toe_hostsrv_new_engine(NULL, s, port, err, errlen);
}

struct toe_hostsrv *toe_hostsrv_new_engine(const struct toe_sim_engine *e,
					   struct toe_sim *s, uint16_t port,
					   char *err, size_t errlen)
{
	struct toe_hostsrv *h;
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1;

	if (!s) {
		snprintf(err, errlen, "hostsrv: no engine");
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "hostsrv: out of memory");
		return NULL;
	}
	h->e = e;
	h->s = s;
	h->cfd = -1;
	h->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->lfd < 0) {
		snprintf(err, errlen, "hostsrv: socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(h->lfd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		snprintf(err, errlen, "hostsrv: bind 127.0.0.1:%u: %s", port,
			 strerror(errno));
		goto fail_sock;
	}
	if (listen(h->lfd, 4) < 0 ||
	    getsockname(h->lfd, (struct sockaddr *)&a, &al) < 0) {
		snprintf(err, errlen, "hostsrv: listen: %s", strerror(errno));
		goto fail_sock;
	}
	h->port = ntohs(a.sin_port);
	return h;
fail_sock:
	close(h->lfd);
fail:
	free(h);
	return NULL;
}

void toe_hostsrv_free(struct toe_hostsrv *h)
{
	if (!h)
		return;
	if (h->cfd >= 0)
		close(h->cfd);
	close(h->lfd);
	free(h);
}

uint16_t toe_hostsrv_port(const struct toe_hostsrv *h)
{
	return h->port;
}

bool toe_hostsrv_connected(const struct toe_hostsrv *h)
{
	return h->cfd >= 0;
}

void toe_hostsrv_get_stats(const struct toe_hostsrv *h,
			   struct toe_hostsrv_stats *st)
{
	*st = h->st;
}

static size_t host_read(struct toe_hostsrv *h, uint8_t *buf, size_t n)
{
	return h->e ? h->e->host_read(h->s, buf, n) :
		      toe_sim_host_read(h->s, buf, n);
}

static void host_write(struct toe_hostsrv *h, const uint8_t *buf, size_t n)
{
	if (h->e)
		h->e->host_write(h->s, buf, n);
	else
		toe_sim_host_write(h->s, buf, n);
}

static void drop_client(struct toe_hostsrv *h)
{
	close(h->cfd);
	h->cfd = -1;
	h->out_h = h->out_n = 0;
}

/* Bridge -> buffer -> client. Bytes moved, or 0. */
static size_t pump_out(struct toe_hostsrv *h)
{
	size_t moved = 0;

	for (;;) {
		if (h->out_n == 0) {
			size_t n;

			h->out_h = 0;
			n = host_read(h, h->out, OUT_CAP);
			if (n == 0)
				break;
			if (h->cfd < 0) { /* nobody to tell */
				h->st.dropped += n;
				continue;
			}
			h->out_n = n;
		}
		if (h->cfd < 0) {
			h->out_n = 0;
			continue;
		}
		ssize_t w = send(h->cfd, h->out + h->out_h, h->out_n,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			drop_client(h);
			break;
		}
		h->out_h += (size_t)w;
		h->out_n -= (size_t)w;
		h->st.to_client += (uint64_t)w;
		moved += (size_t)w;
		if (h->out_n) /* socket full */
			break;
	}
	return moved;
}

/* Client -> bridge. Bytes moved, or 0. */
static size_t pump_in(struct toe_hostsrv *h)
{
	uint8_t buf[4096];
	size_t moved = 0;

	while (h->cfd >= 0) {
		ssize_t n = recv(h->cfd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			host_write(h, buf, (size_t)n);
			h->st.to_engine += (uint64_t)n;
			moved += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == EINTR))
			break;
		drop_client(h); /* closed, or reset */
	}
	return moved;
}

static int try_accept(struct toe_hostsrv *h)
{
	int fd, one = 1;

	fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNABORTED)
			return 0;
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	h->cfd = fd;
	h->out_h = h->out_n = 0;
	h->st.clients++;
	return 0;
}

int toe_hostsrv_poll(struct toe_hostsrv *h, int timeout_ms)
{
	size_t moved;

	if (h->cfd < 0 && try_accept(h) < 0)
		return -1;
	moved = pump_in(h) + pump_out(h);
	if (moved == 0 && timeout_ms > 0) {
		struct pollfd pfd;

		pfd.fd = h->cfd >= 0 ? h->cfd : h->lfd;
		pfd.events = POLLIN | (h->out_n ? POLLOUT : 0);
		if (poll(&pfd, 1, timeout_ms) > 0) {
			if (h->cfd < 0 && try_accept(h) < 0)
				return -1;
			moved = pump_in(h) + pump_out(h);
		}
	}
	return moved > (size_t)INT32_MAX ? INT32_MAX : (int)moved;
}
