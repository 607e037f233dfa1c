/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_ref.c - the "ref" engine of the interop bridge: the C reference
 * stack (toe_ref.h) and the ARP/ICMP reference (toe_l2.h) behind the frame
 * interface of toe_simd_engine.h, standing in for the RTL model (and kept
 * as --engine=ref: the same interop runs against the golden model).
 *
 * A received frame is handled at once, at the current tick: ARP request
 * and ICMP echo request get their replies, every frame also goes to the
 * TCP stack (which counts the non-TCP ones as parse drops, as the RTL's
 * parser does). Frames sent are stamped with the tick they were made.
 * The stack knows no MAC addresses: a connection's peer MAC is the one
 * given to connect, or the source MAC of the frame that created it.
 */
#include "toe_simd_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_l2.h"
#include "toe_wire.h"

#define TXQ 1024
#define EVQ 8192
#define PLQ 2048
#define PL_MAX 2048

struct txf {
	uint16_t len;
	uint64_t cycle;
	uint8_t buf[TOE_ETH_MAX_FRAME];
};

struct plrec {
	uint16_t conn, len;
	uint8_t buf[PL_MAX];
};

struct ref_engine {
	struct simd_engine head;
	struct toe_ref *r;
	uint8_t mac[6];
	uint32_t ip;
	uint64_t now;
	uint64_t rx_last;
	uint16_t icmp_id;
	uint8_t last_src[6];     /* source MAC of the last received frame */
	uint8_t (*peer_mac)[6];  /* per connection id */
	bool *peer_mac_ok;
	struct txf *txq;
	unsigned tx_head, tx_n;
	struct simd_event evq[EVQ];
	unsigned ev_head, ev_n;
	struct plrec *plq;
	unsigned pl_head, pl_n;
	uint64_t lost;
};

static struct ref_engine *R(const struct simd_engine *e)
{
	return (struct ref_engine *)(uintptr_t)e;
}

static void tx_push(struct ref_engine *re, const uint8_t *buf, size_t len)
{
	struct txf *f;

	if (re->tx_n == TXQ) {
		re->lost++;
		return;
	}
	f = &re->txq[(re->tx_head + re->tx_n++) % TXQ];
	f->len = (uint16_t)len;
	f->cycle = re->now;
	memcpy(f->buf, buf, len);
}

/* Move what the stack produced into our queues: frames, events, payload. */
static void drain(struct ref_engine *re)
{
	struct toe_ref_out out;
	struct toe_ref_event ev;
	uint8_t frame[TOE_ETH_MAX_FRAME];

	while (toe_ref_pop_event(re->r, &ev)) {
		struct simd_event *q;

		if (ev.type == TOE_EV_RX_DATA) {
			struct plrec *p;

			if (re->pl_n == PLQ || ev.len > PL_MAX) {
				re->lost++;
				continue;
			}
			p = &re->plq[(re->pl_head + re->pl_n++) % PLQ];
			p->conn = (uint16_t)ev.conn;
			p->len = ev.len;
			memcpy(p->buf, ev.data, ev.len);
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
		n = toe_build_frame(frame, sizeof(frame), dst, re->mac, &out.ip,
				    &out.seg);
		if (n > 0)
			tx_push(re, frame, (size_t)n);
	}
}

static void ref_free(struct simd_engine *e)
{
	struct ref_engine *re = R(e);

	if (re->r)
		toe_ref_free(re->r);
	free(re->peer_mac);
	free(re->peer_mac_ok);
	free(re->txq);
	free(re->plq);
	free(re);
}

static struct toe_sim *ref_sim(struct simd_engine *e)
{
	(void)e;
	return NULL;
}

static uint64_t ref_cycle(const struct simd_engine *e)
{
	return R(e)->now;
}

static void ref_step(struct simd_engine *e, uint64_t n)
{
	struct ref_engine *re = R(e);

	re->now += n;
	toe_ref_advance(re->r, re->now);
	drain(re);
}

static bool ref_busy(const struct simd_engine *e)
{
	(void)e;
	return false;
}

static int ref_push_frame(struct simd_engine *e, const uint8_t *buf, size_t len)
{
	struct ref_engine *re = R(e);
	uint8_t reply[TOE_ETH_MAX_FRAME];
	int n;

	if (len == 0 || len > 16384)
		return -1;
	re->rx_last = re->now;
	if (len >= 12)
		memcpy(re->last_src, buf + 6, 6);
	n = toe_ref_arp_reply(buf, len, re->mac, re->ip, reply, sizeof(reply));
	if (n == 0)
		n = toe_ref_icmp_reply(buf, len, re->mac, re->ip, reply,
				       sizeof(reply), 64, re->icmp_id);
	if (n > 0) {
		if (buf[12] == 0x08 && buf[13] == 0x00)
			re->icmp_id++;
		tx_push(re, reply, (size_t)n);
	}
	toe_ref_input_frame(re->r, buf, len, re->now);
	drain(re);
	return 0;
}

static size_t ref_rx_pending(const struct simd_engine *e)
{
	(void)e;
	return 0;
}

static uint64_t ref_rx_last_cycle(const struct simd_engine *e)
{
	return R(e)->rx_last;
}

static size_t ref_pop_frame(struct simd_engine *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last)
{
	struct ref_engine *re = R(e);
	struct txf *f;

	if (!re->tx_n)
		return 0;
	f = &re->txq[re->tx_head];
	re->tx_head = (re->tx_head + 1) % TXQ;
	re->tx_n--;
	memcpy(buf, f->buf, f->len < cap ? f->len : cap);
	if (first)
		*first = f->cycle;
	if (last)
		*last = f->cycle;
	return f->len;
}

static size_t ref_pop_payload(struct simd_engine *e, uint16_t *conn,
			      uint8_t *buf, size_t cap)
{
	struct ref_engine *re = R(e);
	struct plrec *p;

	if (!re->pl_n)
		return 0;
	p = &re->plq[re->pl_head];
	re->pl_head = (re->pl_head + 1) % PLQ;
	re->pl_n--;
	if (conn)
		*conn = p->conn;
	memcpy(buf, p->buf, p->len < cap ? p->len : cap);
	return p->len;
}

static int ref_command(struct simd_engine *e, int op, uint16_t lport,
		       uint32_t rip, uint16_t rport, const uint8_t *rmac,
		       int conn)
{
	struct ref_engine *re = R(e);
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

static int ref_pop_event(struct simd_engine *e, struct simd_event *ev)
{
	struct ref_engine *re = R(e);

	if (!re->ev_n)
		return 0;
	*ev = re->evq[re->ev_head];
	re->ev_head = (re->ev_head + 1) % EVQ;
	re->ev_n--;
	return 1;
}

static int ref_conn_info(struct simd_engine *e, int conn,
			 struct toe_ref_conn_info *info)
{
	int rc = toe_ref_conn_info(R(e)->r, conn, info);

	if (rc == TOE_REF_ENOTCONN) {
		memset(info, 0, sizeof(*info));
		info->state = TOE_ST_CLOSED;
		return 0;
	}
	return rc;
}

static int ref_conn_state(struct simd_engine *e, int conn)
{
	struct toe_ref_conn_info info;

	if (toe_ref_conn_info(R(e)->r, conn, &info) < 0)
		return TOE_ST_CLOSED;
	return info.state;
}

static int ref_conn_count(struct simd_engine *e)
{
	return (int)toe_ref_conn_count(R(e)->r);
}

static int ref_stats(struct simd_engine *e, struct toe_ref_stats *st)
{
	toe_ref_stats(R(e)->r, st);
	return 0;
}

static const struct simd_engine_ops ref_ops = {
	.free = ref_free,
	.sim = ref_sim,
	.cycle = ref_cycle,
	.step = ref_step,
	.busy = ref_busy,
	.push_frame = ref_push_frame,
	.rx_pending = ref_rx_pending,
	.rx_last_cycle = ref_rx_last_cycle,
	.pop_frame = ref_pop_frame,
	.pop_payload = ref_pop_payload,
	.command = ref_command,
	.pop_event = ref_pop_event,
	.conn_info = ref_conn_info,
	.conn_state = ref_conn_state,
	.conn_count = ref_conn_count,
	.stats = ref_stats,
};

struct simd_engine *simd_engine_ref_new(const struct simd_engine_cfg *cfg,
					char *err, size_t errlen)
{
	struct ref_engine *re = calloc(1, sizeof(*re));
	struct toe_ref_cfg rc;

	if (!re) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	re->head.ops = &ref_ops;
	re->head.kind = SIMD_ENGINE_REF;
	re->head.tick_hz = cfg->tick_hz ? cfg->tick_hz : 156250000;
	simd_engine_ref_cfg(cfg, re->head.tick_hz, &rc);
	re->head.max_conns = rc.max_conns;
	memcpy(re->mac, cfg->mac, 6);
	re->ip = cfg->ip;
	re->r = toe_ref_new(&rc);
	re->peer_mac = calloc(rc.max_conns, sizeof(*re->peer_mac));
	re->peer_mac_ok = calloc(rc.max_conns, sizeof(*re->peer_mac_ok));
	re->txq = calloc(TXQ, sizeof(*re->txq));
	re->plq = calloc(PLQ, sizeof(*re->plq));
	if (!re->r || !re->peer_mac || !re->peer_mac_ok || !re->txq ||
	    !re->plq) {
		snprintf(err, errlen, "cannot create the reference stack");
		ref_free(&re->head);
		return NULL;
	}
	return &re->head;
}
