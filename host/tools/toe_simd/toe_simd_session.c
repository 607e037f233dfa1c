/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_session.c - namespace + engine + wire opened together, and the
 * Linux peer processes of a session (toe_simd_session.h).
 */
#define _GNU_SOURCE
#include "toe_simd_session.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "toe/toe_regs.h"

/* toe-linux-peer: next to this program, or one directory up (the test
 * runners live in $(BUILD)/tests/). */
static void find_peer(char *out, size_t cap)
{
	char self[PATH_MAX], dir[PATH_MAX - 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("TOE_LINUX_PEER");

	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return;
	}
	snprintf(out, cap, "toe-linux-peer");
	if (n <= 0)
		return;
	self[n] = 0;
	if (strlen(dirname(self)) >= sizeof(dir))
		return;
	strcpy(dir, self);
	snprintf(out, cap, "%s/toe-linux-peer", dir);
	if (access(out, X_OK) == 0)
		return;
	snprintf(out, cap, "%s/../toe-linux-peer", dir);
}

int simd_session_open(struct simd_session *s, const struct simd_session_opts *o,
		      char *err, size_t errlen)
{
	struct simd_net_opts no = { 0 };
	struct toe_eut_cfg ec;
	struct simd_wire_opts wo;
	const uint8_t mac[6] = SIMD_ENGINE_MAC;

	memset(s, 0, sizeof(*s));
	find_peer(s->peer_bin, sizeof(s->peer_bin));
	no.link = o->link;
	no.ns_name = o->ns_name;
	if (simd_net_open(&s->net, &no, err, errlen) < 0)
		return -1;

	/* the register map's defaults, TIME-WAIT short, through the bridge
	 * two words a request, the bridge shared with toectl (serve) */
	toe_eut_cfg_default(&ec);
	ec.kind = o->kind;
	ec.board = o->board;
	ec.max_conns = o->max_conns;
	memcpy(ec.local_mac, mac, 6);
	ec.local_ip = s->net.engine_ip;
	ec.tick_hz = o->tick_hz;
	ec.seed = o->seed;
	if (o->isn_key)
		memcpy(ec.isn_key, o->isn_key, 16);
	ec.fst_path = o->fst_path;
	ec.msl_us = (o->msl_ms ? o->msl_ms : 500) * 1000;
	ec.measure_rate = true;
	ec.bridge_burst = 2;
	ec.cmd_polls = 10000;
	ec.own_bridge = false;
	ec.who = "toe-simd";
	s->eng = toe_eut_new(&ec, err, errlen);
	if (!s->eng)
		goto fail_net;
	/* the engine this daemon was built for */
	if (o->kind != TOE_EUT_REF) {
		uint32_t id = 0;

		if (toe_eut_csr_read(s->eng, TOE_REG_ID, &id) < 0 ||
		    id != TOE_REG_ID_RESET) {
			snprintf(err, errlen, "engine ID reads 0x%08x, expected "
				 "0x%08x", id, TOE_REG_ID_RESET);
			goto fail_eng;
		}
	}
	s->model_rate = toe_eut_model_rate(s->eng);

	memset(&wo, 0, sizeof(wo));
	wo.eng = s->eng;
	wo.net = &s->net;
	wo.pcap_path = o->pcap_path;
	wo.on_frame = o->on_frame;
	wo.arg = o->arg;
	wo.filter = o->filter;
	wo.filter_arg = o->filter_arg;
	wo.one_frame = o->one_frame;
	wo.slice_us = o->slice_us;
	s->wire = simd_wire_new(&wo, err, errlen);
	if (!s->wire)
		goto fail_eng;
	return 0;

fail_eng:
	toe_eut_free(s->eng);
	s->eng = NULL;
fail_net:
	simd_net_close(&s->net);
	return -1;
}

void simd_session_close(struct simd_session *s)
{
	simd_wire_free(s->wire);
	s->wire = NULL;
	toe_eut_free(s->eng);
	s->eng = NULL;
	simd_net_close(&s->net);
}

int simd_peer_start(struct simd_session *s, struct simd_peer *p,
		    const char *const args[])
{
	char *argv[64];
	size_t i = 0;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	argv[i++] = s->peer_bin;
	while (args[i - 1] && i < 63) {
		argv[i] = (char *)(uintptr_t)args[i - 1];
		i++;
	}
	argv[i] = NULL;
	p->pid = simd_net_spawn(&s->net, argv, &p->fd);
	if (p->pid < 0)
		return -1;
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void drain_out(struct simd_peer *p)
{
	char sink[4096];

	for (;;) {
		ssize_t r;

		if (p->n + 1 < sizeof(p->out))
			r = read(p->fd, p->out + p->n, sizeof(p->out) - 1 - p->n);
		else
			r = read(p->fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (p->n + 1 < sizeof(p->out)) {
			p->n += (size_t)r;
			p->out[p->n] = 0;
		}
	}
}

bool simd_peer_pump(struct simd_session *s, struct simd_peer *p)
{
	int st;

	if (p->done)
		return true;
	if (p->fd >= 0)
		drain_out(p);
	if (simd_net_reap(&s->net, p->pid, &st, false) == 1) {
		if (p->fd >= 0) {
			drain_out(p);
			close(p->fd);
			p->fd = -1;
		}
		p->done = true;
		p->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
	return p->done;
}

void simd_peer_kill(struct simd_session *s, struct simd_peer *p)
{
	if (p->done || p->pid <= 0)
		return;
	kill(p->pid, SIGKILL);
	simd_net_reap(&s->net, p->pid, NULL, true);
	if (p->fd >= 0) {
		drain_out(p);
		close(p->fd);
	}
	p->fd = -1;
	p->done = true;
	p->status = -1;
}

struct peer_wait {
	struct simd_session *s;
	struct simd_peer *p;
	const char *prefix;
};

static bool peer_exited(void *arg)
{
	struct peer_wait *w = arg;

	return simd_peer_pump(w->s, w->p);
}

int simd_peer_wait(struct simd_session *s, struct simd_peer *p, int timeout_ms)
{
	struct peer_wait w = { s, p, NULL };

	if (simd_wire_run(s->wire, peer_exited, &w, timeout_ms) < 0) {
		simd_peer_kill(s, p);
		return -1;
	}
	return p->status;
}

static bool has_line(const struct simd_peer *p, const char *prefix)
{
	const char *l = p->out;
	size_t pl = strlen(prefix);

	while (l && *l) {
		if (strncmp(l, prefix, pl) == 0)
			return true;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return false;
}

static bool peer_line(void *arg)
{
	struct peer_wait *w = arg;

	simd_peer_pump(w->s, w->p);
	return w->p->done || has_line(w->p, w->prefix);
}

int simd_peer_wait_line(struct simd_session *s, struct simd_peer *p,
			const char *prefix, int timeout_ms)
{
	struct peer_wait w = { s, p, prefix };

	if (simd_wire_run(s->wire, peer_line, &w, timeout_ms) < 0)
		return -1;
	return has_line(p, prefix) ? 0 : -1;
}
