/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_ref.c - the "ref" engine under test: the C reference stack
 * (toe_ref.h) and the ARP/ICMP reference (toe_l2.h) behind the frame
 * interface of toe_eut.h, standing in for the RTL model (toe-simd
 * --engine=ref, toe-pkt --model).
 *
 * A received frame is handled at once, at the current tick: ARP request
 * and ICMP echo request get their replies, every frame also goes to the
 * TCP stack (toe_ref_input_frame, so the codec's checks apply and non-TCP
 * frames count as parse drops, as the RTL's parser does). What the stack
 * produces (frames, events, payload) is moved into queues of our own right
 * after each call: an RX_DATA payload points into the frame it came in,
 * which is the caller's buffer. Frames sent are stamped with the tick the
 * stack made them. The stack knows no MAC addresses: a connection's peer
 * MAC is the one given to connect, or the source MAC of the frame that
 * created it. Time never needs stepping: toe_eut_run runs the timers up to
 * their deadlines.
 */
#include "toe_eut_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_l2.h"
#include "toe_wire.h"

#define TXQ 1024
#define EVQ 8192
#define PLQ 2048

struct txf {
	uint16_t len;
	uint64_t tick;
	uint8_t buf[TOE_ETH_MAX_FRAME];
};

struct plrec {
	uint16_t conn, len;
	uint8_t *buf;
};

struct ref_eut {
	struct toe_eut head;
	struct toe_ref *r;
	uint64_t now;
	uint64_t rx_last;
	uint16_t icmp_id;
	uint8_t last_src[6];     /* source MAC of the last received frame */
	uint8_t (*peer_mac)[6];  /* per connection id */
	bool *peer_mac_ok;
	struct txf *txq;
	unsigned tx_head, tx_n;
	struct toe_eut_event evq[EVQ];
	unsigned ev_head, ev_n;
	struct plrec *plq;
	unsigned pl_head, pl_n;
	uint64_t lost;
};

static struct ref_eut *R(const struct toe_eut *e)
{
	return (struct ref_eut *)(uintptr_t)e;
}

static void tx_push(struct ref_eut *re, const uint8_t *buf, size_t len,
		    uint64_t tick)
{
	struct txf *f;

	if (re->tx_n == TXQ) {
		re->lost++;
		return;
	}
	f = &re->txq[(re->tx_head + re->tx_n++) % TXQ];
	f->len = (uint16_t)len;
	f->tick = tick;
	memcpy(f->buf, buf, len);
}

/* Move what the stack produced into our queues: events, payload, frames. */
static void drain(struct ref_eut *re)
{
	struct toe_ref_out out;
	struct toe_ref_event ev;
	uint8_t frame[TOE_ETH_MAX_FRAME];

	while (toe_ref_pop_event(re->r, &ev)) {
		struct toe_eut_event *q;

		if (ev.type == TOE_EV_RX_DATA && ev.len) {
			struct plrec *p;
			uint8_t *b;

			if (re->pl_n == PLQ || !(b = malloc(ev.len))) {
				re->lost++;
				continue;
			}
			memcpy(b, ev.data, ev.len);
			p = &re->plq[(re->pl_head + re->pl_n++) % PLQ];
			p->conn = (uint16_t)ev.conn;
			p->len = ev.len;
			p->buf = b;
		}
		if (ev.type >= TOE_EV_CLOSED && ev.type <= TOE_EV_TIMEDOUT &&
		    ev.conn >= 0 && (unsigned)ev.conn < re->head.max_conns)
			re->peer_mac_ok[ev.conn] = false;
		if (re->ev_n == EVQ) {
			re->lost++;
			continue;
		}
		q = &re->evq[(re->ev_head + re->ev_n++) % EVQ];
		q->type = ev.type;
		q->conn = ev.conn;
		q->arg = ev.type == TOE_EV_RX_DATA ? ev.len : 0;
		q->tick = ev.time;
	}
	while (toe_ref_pop_out(re->r, &out)) {
		const uint8_t *dst = re->last_src;
		int n;

		if (out.conn >= 0 && (unsigned)out.conn < re->head.max_conns) {
			if (!re->peer_mac_ok[out.conn]) {
				memcpy(re->peer_mac[out.conn], re->last_src, 6);
				re->peer_mac_ok[out.conn] = true;
			}
			dst = re->peer_mac[out.conn];
		}
		n = toe_build_frame(frame, sizeof(frame), dst,
				    re->head.cfg.local_mac, &out.ip, &out.seg);
		if (n > 0)
			tx_push(re, frame, (size_t)n, out.time);
		else
			re->lost++;
	}
}

static void ref_free(struct toe_eut *e)
{
	struct ref_eut *re = R(e);

	if (re->r)
		toe_ref_free(re->r);
	for (unsigned i = 0; re->plq && i < re->pl_n; i++)
		free(re->plq[(re->pl_head + i) % PLQ].buf);
	free(re->peer_mac);
	free(re->peer_mac_ok);
	free(re->txq);
	free(re->plq);
	free(re);
}

static const char *ref_error(const struct toe_eut *e)
{
	(void)e;
	return NULL;
}

static struct toe_sim *ref_sim(struct toe_eut *e)
{
	(void)e;
	return NULL;
}

static uint64_t ref_tick(const struct toe_eut *e)
{
	return R(e)->now;
}

/* Timers run up to `until`, one deadline after the other; with a stop
 * condition, return after any timer that fired (the caller looks at the
 * queues and calls again). Time costs nothing: quiet does not matter. */
static void ref_run(struct toe_eut *e, uint64_t until, unsigned stop,
		    uint64_t quiet)
{
	struct ref_eut *re = R(e);
	uint64_t next;

	(void)quiet;
	while ((next = toe_ref_next_timer(re->r)) <= until) {
		if (next < re->now)
			next = re->now;
		toe_ref_advance(re->r, next);
		re->now = next;
		drain(re);
		if (stop)
			return;
	}
	if (until > re->now) {
		toe_ref_advance(re->r, until);
		re->now = until;
		drain(re);
	}
}

static void ref_step(struct toe_eut *e, uint64_t n)
{
	ref_run(e, R(e)->now + n, 0, 0);
}

static bool ref_busy(const struct toe_eut *e)
{
	(void)e;
	return false;
}

static int ref_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	struct ref_eut *re = R(e);
	const uint8_t *mac = re->head.cfg.local_mac;
	uint32_t ip = re->head.cfg.local_ip;
	uint8_t reply[TOE_ETH_MAX_FRAME];
	int n;

	if (len == 0 || len > 16384)
		return TOE_REF_EINVAL;
	re->rx_last = re->now;
	if (len >= 12)
		memcpy(re->last_src, buf + 6, 6);
	n = toe_ref_arp_reply(buf, len, mac, ip, reply, sizeof(reply));
	if (n == 0)
		n = toe_ref_icmp_reply(buf, len, mac, ip, reply, sizeof(reply),
				       64, re->icmp_id);
	if (n > 0) {
		if (buf[12] == 0x08 && buf[13] == 0x00)
			re->icmp_id++;
		tx_push(re, reply, (size_t)n, re->now);
	}
	toe_ref_input_frame(re->r, buf, len, re->now);
	drain(re);
	return 0;
}

static size_t ref_rx_pending(const struct toe_eut *e)
{
	(void)e;
	return 0;
}

static uint64_t ref_rx_last_tick(const struct toe_eut *e)
{
	return R(e)->rx_last;
}

static size_t ref_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last, bool *bad)
{
	struct ref_eut *re = R(e);
	struct txf *f;

	if (!re->tx_n)
		return 0;
	f = &re->txq[re->tx_head];
	re->tx_head = (re->tx_head + 1) % TXQ;
	re->tx_n--;
	memcpy(buf, f->buf, f->len < cap ? f->len : cap);
	if (first)
		*first = f->tick;
	if (last)
		*last = f->tick;
	if (bad)
		*bad = false;
	return f->len;
}

static size_t ref_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			      size_t cap)
{
	struct ref_eut *re = R(e);
	struct plrec *p;
	size_t n;

	if (!re->pl_n)
		return 0;
	p = &re->plq[re->pl_head];
	re->pl_head = (re->pl_head + 1) % PLQ;
	re->pl_n--;
	if (conn)
		*conn = p->conn;
	memcpy(buf, p->buf, p->len < cap ? p->len : cap);
	n = p->len;
	free(p->buf);
	p->buf = NULL;
	return n;
}

static size_t ref_payload_pending(const struct toe_eut *e)
{
	return R(e)->pl_n;
}

static int ref_command(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		       uint16_t rport, const uint8_t *rmac, int conn)
{
	struct ref_eut *re = R(e);
	int rc;

	switch (op) {
	case TOE_CMD_LISTEN:
		rc = toe_ref_listen(re->r, lport);
		break;
	case TOE_CMD_UNLISTEN:
		rc = toe_ref_unlisten(re->r, lport);
		break;
	case TOE_CMD_CONNECT:
		rc = toe_ref_connect(re->r, lport, rip, rport, re->now);
		if (rc >= 0 && (unsigned)rc < re->head.max_conns) {
			memcpy(re->peer_mac[rc], rmac, 6);
			re->peer_mac_ok[rc] = true;
		}
		break;
	case TOE_CMD_CLOSE:
		rc = toe_ref_close(re->r, conn, re->now);
		break;
	case TOE_CMD_SHUTDOWN:
		rc = toe_ref_shutdown_wr(re->r, conn, re->now);
		break;
	case TOE_CMD_ABORT:
		rc = toe_ref_abort(re->r, conn, re->now);
		break;
	default:
		rc = TOE_REF_EINVAL;
	}
	drain(re);
	return rc;
}

static int ref_pop_event(struct toe_eut *e, struct toe_eut_event *ev)
{
	struct ref_eut *re = R(e);

	if (!re->ev_n)
		return 0;
	*ev = re->evq[re->ev_head];
	re->ev_head = (re->ev_head + 1) % EVQ;
	re->ev_n--;
	return 1;
}

static int ref_conn_info(struct toe_eut *e, int conn,
			 struct toe_ref_conn_info *info, bool full)
{
	int rc = toe_ref_conn_info(R(e)->r, conn, info);

	(void)full; /* everything costs the same here */
	if (rc < 0) {
		memset(info, 0, sizeof(*info));
		info->state = TOE_ST_CLOSED;
		return TOE_REF_ENOTCONN;
	}
	return rc;
}

static int ref_conn_state(struct toe_eut *e, int conn)
{
	struct toe_ref_conn_info info;

	if (toe_ref_conn_info(R(e)->r, conn, &info) < 0)
		return TOE_ST_CLOSED;
	return info.state;
}

static int ref_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport)
{
	return toe_ref_find(R(e)->r, e->cfg.local_ip, lport, rip, rport);
}

static int ref_conn_count(struct toe_eut *e)
{
	return (int)toe_ref_conn_count(R(e)->r);
}

static int ref_stats(struct toe_eut *e, struct toe_ref_stats *st)
{
	toe_ref_stats(R(e)->r, st);
	return 0;
}

/* The reference stack answers in the tick of its stimulus, and every
 * frame leaves whole in one tick: no latency, no queue (toe_eut.h). */
static int64_t ref_reply_bound(const struct toe_eut *e, int op,
			       const uint8_t *frame, size_t len)
{
	(void)e;
	(void)op;
	(void)frame;
	(void)len;
	return 0;
}

static const struct toe_eut_ops ref_ops = {
	.free = ref_free,
	.error = ref_error,
	.sim = ref_sim,
	.tick = ref_tick,
	.step = ref_step,
	.run = ref_run,
	.busy = ref_busy,
	.push_frame = ref_push_frame,
	.rx_pending = ref_rx_pending,
	.rx_last_tick = ref_rx_last_tick,
	.pop_frame = ref_pop_frame,
	.pop_payload = ref_pop_payload,
	.payload_pending = ref_payload_pending,
	.command = ref_command,
	.pop_event = ref_pop_event,
	.conn_info = ref_conn_info,
	.conn_state = ref_conn_state,
	.find = ref_find,
	.conn_count = ref_conn_count,
	.stats = ref_stats,
	.reply_bound = ref_reply_bound,
};

struct toe_eut *toe_eut_ref_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen)
{
	struct ref_eut *re = calloc(1, sizeof(*re));
	struct toe_ref_cfg rc;
	uint64_t hz = cfg->tick_hz ? cfg->tick_hz : 156250000;

	if (!re) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	re->head.ops = &ref_ops;
	re->head.cfg = *cfg;
	re->head.tick_hz = hz;
	toe_eut_ref_cfg(cfg, hz, &rc);
	re->head.max_conns = rc.max_conns;
	re->r = toe_ref_new(&rc);
	if (!re->r) {
		snprintf(err, errlen, "reference stack refused the configuration "
			 "(tick_hz %llu must be a multiple of 250000, mtu >= 41, "
			 "rto_init > 0, rto_max >= rto_init)",
			 (unsigned long long)hz);
		ref_free(&re->head);
		return NULL;
	}
	re->peer_mac = calloc(rc.max_conns, sizeof(*re->peer_mac));
	re->peer_mac_ok = calloc(rc.max_conns, sizeof(*re->peer_mac_ok));
	re->txq = calloc(TXQ, sizeof(*re->txq));
	re->plq = calloc(PLQ, sizeof(*re->plq));
	if (!re->peer_mac || !re->peer_mac_ok || !re->txq || !re->plq) {
		snprintf(err, errlen, "out of memory");
		ref_free(&re->head);
		return NULL;
	}
	snprintf(re->head.desc, sizeof(re->head.desc),
		 "model (reference stack, %llu ticks/s)", (unsigned long long)hz);
	return &re->head;
}
