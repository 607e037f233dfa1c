/* SPDX-License-Identifier: MIT */
/*
 * linux_peer.c - toe-linux-peer: the Linux side of the interop runs, a
 * plain sockets program started inside the bridge's network namespace
 * (toe-simd and the interop tests start it there; by hand:
 * `ip netns exec toe-sim-PID toe-linux-peer ...`).
 *
 *   toe-linux-peer client IP:PORT [-n N] [-j THREADS] [-p FIRST_PORT]
 *                  [-m MODES] [-b BYTES] [-S SEED] [-l LINE] [-t SECS] [-v]
 *       N connections to IP:PORT (THREADS at a time, each thread its share
 *       in turn). With -p, connection i binds local port FIRST_PORT + i.
 *       Each sends LINE (default "hello from Linux port P\n") or, with -b,
 *       BYTES of the seeded pattern (interop_common.h), then ends the way
 *       its mode says (interop_common.h; MODES default "L").
 *   toe-linux-peer server PORT [-n N] [-j THREADS] [-m MODES] [-t SECS] [-v]
 *       listen on PORT, print "ready", handle N accepted connections
 *       (THREADS at a time), each by its mode (chosen by the engine's port).
 *   toe-linux-peer ping IP [-c COUNT] [-t SECS]
 *       COUNT ICMP echo requests (raw socket), each sent when the one
 *       before was answered; fails unless every one is answered with the
 *       same data.
 *
 * Prints one summary line ("client: 1000 connections, 1000 ok (L 250 E
 * 250 R 250 A 250), 0 failed"), with -v a line per connection; errors go
 * to stderr (the first 20). Exit status: 0 every connection went as its
 * mode says, 1 otherwise, 2 usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "interop_common.h"

#define MAX_ERRORS_SHOWN 20

struct run {
	/* arguments */
	struct sockaddr_in to;
	uint16_t listen_port;
	unsigned n, threads;
	uint16_t first_port;
	const char *modes;
	long bytes;          /* -1: send the line */
	uint64_t seed;
	const char *line;
	int timeout_s;
	bool verbose;
	int lfd;             /* server: the listening socket */
	/* shared state */
	pthread_mutex_t lock;
	unsigned next;       /* next connection index */
	unsigned ok, failed;
	unsigned by_mode[4]; /* L E R A */
	unsigned errors_shown;
};

static int mode_index(char m)
{
	switch (m) {
	case 'L': return 0;
	case 'E': return 1;
	case 'R': return 2;
	default: return 3;
	}
}

static void fail(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->lock);
	r->failed++;
	if (r->errors_shown++ < MAX_ERRORS_SHOWN) {
		va_start(ap, fmt);
		fputs("toe-linux-peer: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	pthread_mutex_unlock(&r->lock);
}

static void done_ok(struct run *r, char mode, const char *what)
{
	pthread_mutex_lock(&r->lock);
	r->ok++;
	r->by_mode[mode_index(mode)]++;
	if (r->verbose) {
		printf("%s\n", what);
		fflush(stdout);
	}
	pthread_mutex_unlock(&r->lock);
}

static void set_timeouts(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs, .tv_usec = 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read until EOF (0) or an error (-errno); data is not expected, count it. */
static int read_until_end(int fd, size_t *got)
{
	uint8_t buf[4096];

	*got = 0;
	for (;;) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		*got += (size_t)r;
	}
}

static void linger_zero(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/*
 * End a connection the way its mode says; fd is closed. Returns NULL when
 * it went as expected, else what went wrong.
 */
static const char *finish(int fd, char mode)
{
	size_t got;
	int rc;

	switch (mode) {
	case 'L':
		close(fd);
		return NULL;
	case 'R':
		linger_zero(fd);
		close(fd);
		return NULL;
	case 'E':
		rc = read_until_end(fd, &got);
		close(fd);
		if (rc == -EAGAIN || rc == -EWOULDBLOCK)
			return "timed out waiting for the engine's FIN";
		if (rc < 0)
			return "error instead of the engine's FIN";
		return got ? "data from the engine (it sends none)" : NULL;
	default: /* A */
		rc = read_until_end(fd, &got);
		close(fd);
		if (rc == -ECONNRESET)
			return NULL;
		if (rc == -EAGAIN || rc == -EWOULDBLOCK)
			return "timed out waiting for the engine's RST";
		return rc == 0 ? "EOF instead of the engine's RST" :
				 "unexpected error instead of the engine's RST";
	}
}

/* ---- client ---- */

static void client_one(struct run *r, unsigned i)
{
	char line[128], what[160];
	uint16_t lport = 0;
	struct sockaddr_in me;
	socklen_t ml = sizeof(me);
	const char *why;
	char mode;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		fail(r, "conn %u: socket: %s", i, strerror(errno));
		return;
	}
	set_timeouts(fd, r->timeout_s);
	if (r->first_port) {
		memset(&me, 0, sizeof(me));
		me.sin_family = AF_INET;
		me.sin_port = htons((uint16_t)(r->first_port + i));
		if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
			fail(r, "conn %u: bind port %u: %s", i,
			     r->first_port + i, strerror(errno));
			close(fd);
			return;
		}
	}
	if (connect(fd, (struct sockaddr *)&r->to, sizeof(r->to)) < 0) {
		fail(r, "conn %u: connect: %s", i, strerror(errno));
		close(fd);
		return;
	}
	if (getsockname(fd, (struct sockaddr *)&me, &ml) == 0)
		lport = ntohs(me.sin_port);
	mode = interop_mode(r->modes, lport);
	if (r->bytes >= 0) {
		uint8_t buf[16384];
		uint64_t off = 0;

		while (off < (uint64_t)r->bytes) {
			size_t n = sizeof(buf);

			if ((uint64_t)r->bytes - off < n)
				n = (size_t)((uint64_t)r->bytes - off);
			interop_pattern_fill(r->seed, off, buf, n);
			if (send_all(fd, buf, n) < 0) {
				fail(r, "conn %u (port %u): send at byte %llu: "
				     "%s", i, lport, (unsigned long long)off,
				     strerror(errno));
				close(fd);
				return;
			}
			off += n;
		}
	} else {
		if (r->line)
			snprintf(line, sizeof(line), "%s", r->line);
		else
			snprintf(line, sizeof(line),
				 "hello from Linux port %u\n", lport);
		if (send_all(fd, (const uint8_t *)line, strlen(line)) < 0) {
			fail(r, "conn %u (port %u): send: %s", i, lport,
			     strerror(errno));
			close(fd);
			return;
		}
	}
	why = finish(fd, mode);
	if (why) {
		fail(r, "conn %u (port %u, mode %c): %s", i, lport, mode, why);
		return;
	}
	snprintf(what, sizeof(what), "client: port %u mode %c: ok", lport, mode);
	done_ok(r, mode, what);
}

static void *client_thread(void *arg)
{
	struct run *r = arg;

	for (;;) {
		unsigned i;

		pthread_mutex_lock(&r->lock);
		i = r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->n)
			return NULL;
		client_one(r, i);
	}
}

/* ---- server ---- */

static void server_one(struct run *r, int fd, const struct sockaddr_in *peer)
{
	uint16_t pport = ntohs(peer->sin_port);
	char mode = interop_mode(r->modes, pport);
	char what[160];
	const char *why;

	set_timeouts(fd, r->timeout_s);
	why = finish(fd, mode);
	if (why) {
		fail(r, "accepted from port %u (mode %c): %s", pport, mode, why);
		return;
	}
	snprintf(what, sizeof(what), "server: peer port %u mode %c: ok", pport,
		 mode);
	done_ok(r, mode, what);
}

static void *server_thread(void *arg)
{
	struct run *r = arg;

	for (;;) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		struct pollfd p = { .fd = r->lfd, .events = POLLIN };
		unsigned i;
		int fd;

		pthread_mutex_lock(&r->lock);
		i = r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->n)
			return NULL;
		if (poll(&p, 1, r->timeout_s * 1000) <= 0) {
			fail(r, "connection %u never came (%d s)", i,
			     r->timeout_s);
			continue;
		}
		fd = accept4(r->lfd, (struct sockaddr *)&peer, &pl,
			     SOCK_CLOEXEC);
		if (fd < 0) {
			fail(r, "accept: %s", strerror(errno));
			continue;
		}
		server_one(r, fd, &peer);
	}
}

static int run_threads(struct run *r, void *(*fn)(void *))
{
	pthread_t th[256];
	unsigned k, n = r->threads;

	if (n < 1)
		n = 1;
	if (n > 256)
		n = 256;
	if (n > r->n && r->n > 0)
		n = r->n;
	for (k = 0; k < n; k++)
		if (pthread_create(&th[k], NULL, fn, r) != 0) {
			fprintf(stderr, "toe-linux-peer: pthread_create failed\n");
			return -1;
		}
	for (k = 0; k < n; k++)
		pthread_join(th[k], NULL);
	return 0;
}

static void summary(const struct run *r, const char *who)
{
	printf("%s: %u connections, %u ok (L %u E %u R %u A %u), %u failed\n",
	       who, r->n, r->ok, r->by_mode[0], r->by_mode[1], r->by_mode[2],
	       r->by_mode[3], r->failed);
	fflush(stdout);
}

/* ---- ping ---- */

static uint16_t icmp_csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int do_ping(const struct sockaddr_in *to, unsigned count, int timeout_s)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	uint16_t id = (uint16_t)getpid();
	unsigned ok = 0;

	if (fd < 0) {
		fprintf(stderr, "toe-linux-peer: raw ICMP socket: %s\n",
			strerror(errno));
		return 1;
	}
	for (unsigned seq = 1; seq <= count; seq++) {
		uint8_t pkt[64], in[1500];
		struct icmphdr *h = (struct icmphdr *)pkt;
		double t0 = now_ms(), deadline = t0 + timeout_s * 1000.0;
		bool got = false;

		memset(pkt, 0, sizeof(pkt));
		h->type = ICMP_ECHO;
		h->un.echo.id = htons(id);
		h->un.echo.sequence = htons((uint16_t)seq);
		interop_pattern_fill(seq, 0, pkt + 8, sizeof(pkt) - 8);
		h->checksum = htons(icmp_csum(pkt, sizeof(pkt)));
		if (sendto(fd, pkt, sizeof(pkt), 0, (const struct sockaddr *)to,
			   sizeof(*to)) < 0) {
			fprintf(stderr, "toe-linux-peer: sendto: %s\n",
				strerror(errno));
			break;
		}
		while (!got && now_ms() < deadline) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			ssize_t n;
			size_t ihl;
			const struct icmphdr *r;

			if (poll(&p, 1, (int)(deadline - now_ms()) + 1) <= 0)
				continue;
			n = recv(fd, in, sizeof(in), 0);
			if (n < 20)
				continue;
			ihl = (size_t)(in[0] & 0x0F) * 4;
			if ((size_t)n < ihl + sizeof(pkt))
				continue;
			r = (const struct icmphdr *)(in + ihl);
			if (r->type != ICMP_ECHOREPLY || ntohs(r->un.echo.id) != id ||
			    ntohs(r->un.echo.sequence) != seq)
				continue;
			if (memcmp(in + ihl + 8, pkt + 8, sizeof(pkt) - 8) ||
			    icmp_csum(in + ihl, (size_t)n - ihl) != 0) {
				fprintf(stderr, "toe-linux-peer: echo reply %u "
					"differs from the request\n", seq);
				continue;
			}
			printf("%zd bytes from %s: icmp_seq=%u ttl=%u time=%.2f ms\n",
			       n - (ssize_t)ihl, inet_ntoa(to->sin_addr), seq,
			       in[8], now_ms() - t0);
			fflush(stdout);
			got = true;
			ok++;
		}
		if (!got)
			fprintf(stderr, "toe-linux-peer: no reply to icmp_seq=%u\n",
				seq);
	}
	close(fd);
	printf("ping: %u sent, %u answered\n", count, ok);
	return ok == count ? 0 : 1;
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fputs("usage: toe-linux-peer client IP:PORT [-n N] [-j THREADS] "
	      "[-p FIRST_PORT]\n"
	      "                       [-m MODES] [-b BYTES] [-S SEED] "
	      "[-l LINE] [-t SECS] [-v]\n"
	      "       toe-linux-peer server PORT [-n N] [-j THREADS] [-m MODES] "
	      "[-t SECS] [-v]\n"
	      "       toe-linux-peer ping IP [-c COUNT] [-t SECS]\n"
	      "\n"
	      "The Linux side of the engine's interop runs (see\n"
	      "docs/linux-interop.md). MODES letters, picked by port % "
	      "length:\n"
	      "  L Linux closes first   E engine closes first\n"
	      "  R Linux resets (SO_LINGER 0)   A engine aborts (Linux reads "
	      "ECONNRESET)\n"
	      "Exit status: 0 all went as expected, 1 not, 2 usage error.\n",
	      out);
}

static int parse_addr(const char *s, struct sockaddr_in *sa, bool want_port)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (hl >= sizeof(host) || (want_port && !colon))
		return -1;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	if (want_port) {
		char *end;
		long p = strtol(colon + 1, &end, 10);

		if (*end || p <= 0 || p > 65535)
			return -1;
		sa->sin_port = htons((uint16_t)p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct run r;
	const char *cmd;
	unsigned count = 3;
	int opt;

	memset(&r, 0, sizeof(r));
	pthread_mutex_init(&r.lock, NULL);
	r.n = 1;
	r.threads = 1;
	r.modes = "L";
	r.bytes = -1;
	r.seed = 1;
	r.timeout_s = 30;
	if (argc < 3 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "client") || !strcmp(cmd, "ping")) {
		if (parse_addr(argv[2], &r.to, cmd[0] == 'c') < 0) {
			fprintf(stderr, "toe-linux-peer: bad address %s\n",
				argv[2]);
			return 2;
		}
	} else if (!strcmp(cmd, "server")) {
		long p = strtol(argv[2], NULL, 10);

		if (p <= 0 || p > 65535) {
			fprintf(stderr, "toe-linux-peer: bad port %s\n", argv[2]);
			return 2;
		}
		r.listen_port = (uint16_t)p;
	} else {
		usage(stderr);
		return 2;
	}
	optind = 3;
	while ((opt = getopt(argc, argv, "n:j:p:m:b:S:l:t:c:vh")) != -1) {
		switch (opt) {
		case 'n': r.n = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'j': r.threads = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'p': r.first_port = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 'm': r.modes = optarg; break;
		case 'b': r.bytes = strtol(optarg, NULL, 0); break;
		case 'S': r.seed = strtoull(optarg, NULL, 0); break;
		case 'l': r.line = optarg; break;
		case 't': r.timeout_s = atoi(optarg); break;
		case 'c': count = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'v': r.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || r.timeout_s <= 0 ||
	    strspn(r.modes, "LERA") != strlen(r.modes)) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!strcmp(cmd, "ping"))
		return do_ping(&r.to, count, r.timeout_s);

	if (!strcmp(cmd, "client")) {
		if (run_threads(&r, client_thread) < 0)
			return 1;
		summary(&r, "client");
		return r.failed == 0 && r.ok == r.n ? 0 : 1;
	}

	/* server */
	{
		struct sockaddr_in me;
		int one = 1;

		r.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		memset(&me, 0, sizeof(me));
		me.sin_family = AF_INET;
		me.sin_port = htons(r.listen_port);
		setsockopt(r.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (r.lfd < 0 ||
		    bind(r.lfd, (struct sockaddr *)&me, sizeof(me)) < 0 ||
		    listen(r.lfd, 4096) < 0) {
			fprintf(stderr, "toe-linux-peer: listen on port %u: %s\n",
				r.listen_port, strerror(errno));
			return 1;
		}
		printf("ready: listening on port %u\n", r.listen_port);
		fflush(stdout);
		if (run_threads(&r, server_thread) < 0)
			return 1;
		close(r.lfd);
		summary(&r, "server");
		return r.failed == 0 && r.ok == r.n ? 0 : 1;
	}
}
