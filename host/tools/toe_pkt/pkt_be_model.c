/* SPDX-License-Identifier: MIT */
/*
 * pkt_be_model.c - toe-pkt back end "--model": the reference stack
 * (host/ref/toe_ref.h) on simulated time. Frames go in through
 * toe_ref_input_frame (so the codec's checks apply, CK-01); segments come
 * out as frames built with toe_build_frame between the configured MACs.
 * Time never needs stepping: timers are run up to the next deadline.
 */
#include "pkt_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model {
	struct toe_ref *r;
	struct pkt_be_cfg cfg;
	uint64_t now;      /* ticks */
	char desc[128];
	/* Events drained from the reference stack right after each injected
	 * frame, RX_DATA payload copied: the stack's RX_DATA points into the
	 * frame it was given, which is the caller's buffer and gone once
	 * m_inject returns. Served before the stack's own queue (they are
	 * older). */
	struct model_ev {
		struct toe_ref_event e;
		uint8_t *data;
	} *evq;
	size_t evq_head, evq_len, evq_cap;
	/* the payload of the event m_pop_event returned last */
	uint8_t *data;
};

static void *m_create(const struct pkt_be_cfg *c, char *err, size_t errlen)
{
	struct model *m = calloc(1, sizeof(*m));
	struct toe_ref_cfg rc;
	uint64_t hz = c->tick_hz;

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = *c;
	toe_ref_cfg_default(&rc);
	rc.local_ip = c->local_ip;
	rc.mtu = c->mtu;
	rc.rcv_wnd = c->rcv_wnd;
	rc.syn_wnd = c->syn_wnd;
	rc.ttl = c->ttl;
	rc.df = c->df;
	rc.tick_hz = hz;
	rc.rto_init = pkt_us_to_ticks(c->rto_init_us, hz);
	rc.rto_max = pkt_us_to_ticks(c->rto_max_us, hz);
	rc.syn_giveup = pkt_us_to_ticks(c->syn_giveup_us, hz);
	rc.synack_giveup = pkt_us_to_ticks(c->synack_giveup_us, hz);
	rc.fin_giveup = pkt_us_to_ticks(c->fin_giveup_us, hz);
	rc.msl = pkt_us_to_ticks(c->msl_us, hz);
	rc.challenge_ack_limit = c->ca_limit;
	rc.challenge_ack_window = pkt_us_to_ticks(c->ca_window_us, hz);
	memcpy(rc.isn_key, c->isn_key, 16);
	m->r = toe_ref_new(&rc);
	if (!m->r) {
		snprintf(err, errlen, "reference stack refused the configuration "
			 "(tick_hz %llu must be a multiple of 250000, mtu >= 41, "
			 "rto_init > 0, rto_max >= rto_init)",
			 (unsigned long long)hz);
		free(m);
		return NULL;
	}
	snprintf(m->desc, sizeof(m->desc),
		 "model (reference stack, %llu ticks/s)", (unsigned long long)hz);
	return m;
}

static void m_destroy(void *be)
{
	struct model *m = be;

	for (size_t i = 0; i < m->evq_len; i++)
		free(m->evq[m->evq_head + i].data);
	free(m->evq);
	free(m->data);
	toe_ref_free(m->r);
	free(m);
}

static const char *m_describe(void *be)
{
	return ((struct model *)be)->desc;
}

static const char *m_error(void *be)
{
	(void)be;
	return NULL;
}

static uint64_t m_now(void *be)
{
	struct model *m = be;

	return pkt_ticks_to_us(m->now, m->cfg.tick_hz);
}

/* Timers run up to `until`; with a stop condition, return after any timer
 * that fired (the caller looks at the queues and calls again). */
static void m_run(void *be, uint64_t until_us, unsigned stop, uint64_t quiet)
{
	struct model *m = be;
	uint64_t until = pkt_us_to_ticks_ceil(until_us, m->cfg.tick_hz);
	uint64_t next;

	(void)quiet; /* time costs nothing here */
	while ((next = toe_ref_next_timer(m->r)) <= until) {
		if (next < m->now)
			next = m->now;
		toe_ref_advance(m->r, next);
		m->now = next;
		if (stop)
			return;
	}
	if (until > m->now) {
		toe_ref_advance(m->r, until);
		m->now = until;
	}
}

static int m_inject(void *be, const uint8_t *frame, size_t len)
{
	struct model *m = be;
	struct toe_ref_event e;

	toe_ref_input_frame(m->r, frame, len, m->now);
	while (toe_ref_pop_event(m->r, &e)) {
		struct model_ev *q;

		if (m->evq_head + m->evq_len == m->evq_cap) {
			if (m->evq_head) {
				memmove(m->evq, m->evq + m->evq_head,
					m->evq_len * sizeof(*m->evq));
				m->evq_head = 0;
			} else {
				size_t cap = m->evq_cap ? 2 * m->evq_cap : 16;
				struct model_ev *nq = realloc(m->evq, cap * sizeof(*nq));

				if (!nq)
					return -1;
				m->evq = nq;
				m->evq_cap = cap;
			}
		}
		q = &m->evq[m->evq_head + m->evq_len];
		q->e = e;
		q->data = NULL;
		if (e.type == TOE_EV_RX_DATA && e.len) {
			q->data = malloc(e.len);
			if (!q->data)
				return -1;
			memcpy(q->data, e.data, e.len);
		}
		q->e.data = NULL;
		m->evq_len++;
	}
	return 0;
}

static int m_pop_frame(void *be, struct pkt_frame *f)
{
	struct model *m = be;
	struct toe_ref_out o;
	int n;

	if (!toe_ref_pop_out(m->r, &o))
		return 0;
	n = toe_build_frame(f->buf, sizeof(f->buf), m->cfg.remote_mac,
			    m->cfg.local_mac, &o.ip, &o.seg);
	if (n < 0) {
		f->len = 0;
	} else {
		f->len = (size_t)n;
	}
	f->bad = false;
	f->t_us = pkt_ticks_to_us(o.time, m->cfg.tick_hz);
	return 1;
}

static int m_pop_event(void *be, struct pkt_bev *ev)
{
	struct model *m = be;
	struct toe_ref_event e;

	free(m->data);
	m->data = NULL;
	if (m->evq_len) {
		e = m->evq[m->evq_head].e;
		m->data = m->evq[m->evq_head].data;
		m->evq_head++;
		m->evq_len--;
		if (!m->evq_len)
			m->evq_head = 0;
	} else if (!toe_ref_pop_event(m->r, &e)) {
		return 0;
	} else if (e.type == TOE_EV_RX_DATA && e.len) {
		/* not from a frame (none carries data otherwise): copy anyway */
		m->data = malloc(e.len);
		if (!m->data)
			return 0;
		memcpy(m->data, e.data, e.len);
	}
	ev->type = e.type;
	ev->conn = e.conn;
	ev->t_us = pkt_ticks_to_us(e.time, m->cfg.tick_hz);
	ev->len = e.len;
	ev->data = e.type == TOE_EV_RX_DATA && e.len ? m->data : NULL;
	return 1;
}

static int m_listen(void *be, uint16_t port)
{
	return toe_ref_listen(((struct model *)be)->r, port);
}

static int m_unlisten(void *be, uint16_t port)
{
	return toe_ref_unlisten(((struct model *)be)->r, port);
}

static int m_connect(void *be, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct model *m = be;

	return toe_ref_connect(m->r, lport, rip, rport, m->now);
}

static int m_close(void *be, int conn)
{
	struct model *m = be;

	return toe_ref_close(m->r, conn, m->now);
}

static int m_shutdown(void *be, int conn)
{
	struct model *m = be;

	return toe_ref_shutdown_wr(m->r, conn, m->now);
}

static int m_abort(void *be, int conn)
{
	struct model *m = be;

	return toe_ref_abort(m->r, conn, m->now);
}

static int m_info(void *be, int conn, struct toe_ref_conn_info *info, bool full)
{
	(void)full;
	return toe_ref_conn_info(((struct model *)be)->r, conn, info);
}

/* Time costs nothing here: never skipped. */
static uint64_t m_skips(void *be)
{
	(void)be;
	return 0;
}

/* The reference stack fires every timer at its deadline. */
static uint64_t m_timer_slack(void *be)
{
	(void)be;
	return 0;
}

static int m_find(void *be, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct model *m = be;

	return toe_ref_find(m->r, m->cfg.local_ip, lport, rip, rport);
}

const struct pkt_backend_ops pkt_be_model = {
	.name = "model",
	.default_tick_hz = 1000000,
	.create = m_create,
	.destroy = m_destroy,
	.describe = m_describe,
	.error = m_error,
	.now = m_now,
	.run = m_run,
	.inject = m_inject,
	.pop_frame = m_pop_frame,
	.pop_event = m_pop_event,
	.listen = m_listen,
	.unlisten = m_unlisten,
	.connect = m_connect,
	.close = m_close,
	.shutdown = m_shutdown,
	.abort = m_abort,
	.info = m_info,
	.timer_slack_us = m_timer_slack,
	.skips = m_skips,
	.find = m_find,
};
