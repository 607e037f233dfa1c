/* SPDX-License-Identifier: MIT */
/*
 * tcp_ref.c - the software reference TCP stack (toe_ref.h): connection
 * table, timers, output/event queues and the segment-arrival state machine
 * of RFC 9293 section 3.10.7 with the RFC 5961 mitigations.
 *
 * Layout, so it can be read side by side with the RTL:
 *   1. configuration, names, queues, IP ID
 *   2. connection table (4-tuple hash, lowest-free-id bitmap), listeners
 *   3. timers (one per TCB, a min-heap on (deadline, id))
 *   4. segment arrives: checks for every segment first (address, lookup),
 *      then one arm per state in RFC order: CLOSED (no TCB), LISTEN,
 *      SYN-SENT, the synchronized states (common checks A..D, then per
 *      state ACK / text / FIN arms), TIME-WAIT
 *   5. user calls (connect, close, shutdown, abort, ...)
 *
 * Choices made here where both RFC 9293 and the project's stack spec are
 * silent (each is also marked "CHOICE" at the code):
 *  - Payload and FIN on a SYN-ACK received in SYN-SENT are dropped (not
 *    acknowledged), like payload on a SYN received in LISTEN; the peer
 *    retransmits them.
 *  - Simultaneous open: in SYN-RECEIVED reached from SYN-SENT, a SYN,ACK
 *    with SEG.SEQ = IRS, no payload, no FIN and SEG.ACK = SND.NXT is the
 *    peer's SYN-ACK of Fig. 7; its SYN is an old duplicate lying before the
 *    window, so it is trimmed ("trimming off any portions that lie outside
 *    the window (including SYN and FIN)") and the rest is an ACK that moves
 *    us to ESTABLISHED (SO-01). Linux does the same.
 *  - close() in SYN-RECEIVED sends the FIN at once (RFC 9293 3.10.4: "If
 *    no SENDs have been issued and there is no pending data to send, then
 *    form a FIN segment and send it, and enter FIN-WAIT-1 state"); the
 *    timer restarts as a FIN timer.
 *  - SYN-RECEIVED -> SYN-ACK sent after a simultaneous open: the timer
 *    restarts (a SYN-ACK is "first sent" then) with synack_giveup.
 *  - shutdown_wr() in SYN-SENT returns TOE_REF_ESTATE (no FIN can be sent
 *    before the handshake; close() is the call that drops a SYN-SENT).
 *  - In CLOSE-WAIT, CLOSING and LAST-ACK a FIN at RCV.NXT is only ACKed
 *    (RCV.NXT does not move: the peer's FIN was already received).
 *  - An out-of-order FIN without payload (SEG.SEQ > RCV.NXT, in window) is
 *    answered with a duplicate ACK, like out-of-order payload (MAY-13).
 *  - TIME-WAIT: only a SYN without ACK reopens (TW-04); a SYN,ACK gets a
 *    challenge ACK. A retransmitted FIN (FIN set, SEG.SEQ + payload + 1 =
 *    RCV.NXT) is ACKed and restarts 2MSL; any other unacceptable segment is
 *    ACKed without restart; acceptable ones are ignored. When a SYN ends
 *    the TIME-WAIT the old id gets a CLOSED event before the new passive
 *    open (the id may be reused at once). The MAY-2 floor on the new ISN
 *    (old SND.NXT + 2^16) also applies to a pinned ISN.
 *  - No FIN-WAIT-2 timeout (RFC 9293 has none).
 *  - Challenge-ACK window of a TCB starts at its creation, count 0.
 *  - toe_ref_unlisten keeps the connections the listener created.
 *  - A pinned ISN is used by the next connect() or passive open only;
 *    toe_ref_fixture takes its ISS from the info and leaves the pin.
 *  - toe_ref_fixture sets SND.WL1 = IRS, SND.WL2 = SND.UNA and
 *    MAX.SND.WND = SND.WND; the PEER_FIN event is never repeated since a
 *    FIN only advances RCV.NXT in ESTABLISHED / FIN-WAIT-1 / FIN-WAIT-2.
 *  - stats.dropped counts a segment that was discarded without any reply
 *    and without changing anything (wrong address, RST dropped, no flags,
 *    table full, suppressed challenge ACK, rx not ready, ...).
 */
#include "toe_ref.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "toe_bytes.h"

#define QUEUE_LEN 1024
/* RFC 9293 3.7.1: "If an MSS Option is not received at connection setup,
 * TCP implementations MUST assume a default send MSS of 536" */
#define MSS_DEFAULT 536
#define MSS_MIN 88      /* MS-05: tiny peer MSS raised to this */
#define TW_ISN_GAP 0x10000u /* TW-04 (MAY-2): new ISN >= old SND.NXT + 2^16 */

enum timer_kind { TMR_NONE = 0, TMR_RTX, TMR_2MSL };

/* Transmission control block. */
struct tcb {
	bool used;
	uint8_t state;
	bool passive;        /* created by a listener (SYN-RECEIVED -> LISTEN) */
	bool closed_by_user; /* close() called */
	bool wr_shut;        /* our FIN is queued/sent */
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
	uint32_t rcv_nxt;
	uint16_t peer_mss, eff_mss;
	/* the one timer: retransmission (SYN, SYN-ACK, FIN) or 2MSL */
	uint8_t tmr;
	uint64_t deadline, rto, first_sent;
	unsigned retransmits;
	/* RFC 5961 section 7 challenge ACK throttling, per connection */
	uint64_t ca_start;
	uint32_t ca_count;
	int32_t hnext; /* hash chain */
};

struct listener {
	bool used;
	uint16_t port;
};

struct toe_ref {
	struct toe_ref_cfg cfg;
	uint64_t now;   /* latest time seen (never goes backwards) */
	uint64_t t_cur; /* time stamped on what is emitted now */
	uint16_t ip_id;
	bool pin_valid;
	uint32_t pin_isn;
	bool rx_ready;

	struct tcb *tcb;   /* max_conns */
	unsigned nconn;
	int32_t *bucket;   /* hash heads, nbucket = power of two */
	uint32_t nbucket;
	uint64_t *freemap; /* bit set = id free */
	uint64_t *freesum; /* bit w set = freemap[w] != 0 */
	uint32_t nwords, nsum;
	int32_t *heap;     /* timer min-heap of ids, on (deadline, id) */
	int32_t *hpos;     /* position of id in heap, -1 if none */
	uint32_t nheap;
	struct listener *lst;

	struct toe_ref_out outq[QUEUE_LEN];
	unsigned out_head, out_n;
	struct toe_ref_event evq[QUEUE_LEN];
	unsigned ev_head, ev_n;
	uint64_t lost;
	struct toe_ref_stats st;
};

/* ------------------------------------------------------------------ */
/* 1. configuration, names, queues                                     */
/* ------------------------------------------------------------------ */

const char *toe_ref_strerror(int err)
{
	switch (err) {
	case TOE_REF_OK: return "ok";
	case TOE_REF_EINVAL: return "invalid argument";
	case TOE_REF_ENOMEM: return "connection table full";
	case TOE_REF_EADDRINUSE: return "address in use";
	case TOE_REF_ENOTCONN: return "no such connection";
	case TOE_REF_ESTATE: return "not valid in this state";
	case TOE_REF_EPIPE: return "broken pipe (send after close/shutdown)";
	case TOE_REF_ENOTSUP: return "not supported";
	default: return "unknown error";
	}
}

const char *toe_ref_event_name(int type)
{
	switch (type) {
	case TOE_EV_ESTABLISHED: return "ESTABLISHED";
	case TOE_EV_PEER_FIN: return "PEER_FIN";
	case TOE_EV_CLOSED: return "CLOSED";
	case TOE_EV_RESET: return "RESET";
	case TOE_EV_REFUSED: return "REFUSED";
	case TOE_EV_TIMEDOUT: return "TIMEDOUT";
	case TOE_EV_RX_DATA: return "RX_DATA";
	default: return "?";
	}
}

void toe_ref_cfg_default(struct toe_ref_cfg *cfg)
{
	const uint64_t hz = 156250000;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mtu = 1500;
	cfg->rcv_wnd = 8760;
	cfg->syn_wnd = 0;
	cfg->ttl = 64;
	cfg->df = true;
	cfg->ip_id_init = 0;
	cfg->ip_id_step = 1;
	cfg->tick_hz = hz;
	cfg->rto_init = hz;
	cfg->rto_max = 60 * hz;
	cfg->syn_giveup = 180 * hz;
	cfg->synack_giveup = 60 * hz;
	cfg->fin_giveup = 100 * hz;
	cfg->msl = 30 * hz;
	cfg->challenge_ack_limit = 5;
	cfg->challenge_ack_window = hz;
	cfg->max_conns = 1024;
	cfg->max_listeners = 64;
}

static void push_event(struct toe_ref *r, int type, int conn,
		       const uint8_t *data, uint16_t len)
{
	unsigned slot;

	if (r->ev_n == QUEUE_LEN) { /* overwrite the oldest */
		r->ev_head = (r->ev_head + 1) % QUEUE_LEN;
		r->ev_n--;
		r->lost++;
	}
	slot = (r->ev_head + r->ev_n) % QUEUE_LEN;
	r->evq[slot] = (struct toe_ref_event){ .type = type, .conn = conn,
		.time = r->t_cur, .data = data, .len = len };
	r->ev_n++;
}

/* Emit one segment: IP fields, window and MSS option per the spec. */
static void emit(struct toe_ref *r, int conn, uint32_t lip, uint16_t lport,
		 uint32_t rip, uint16_t rport, uint8_t flags, uint32_t seq,
		 uint32_t ack)
{
	struct toe_ref_out *o;
	unsigned slot;

	if (r->out_n == QUEUE_LEN) {
		r->out_head = (r->out_head + 1) % QUEUE_LEN;
		r->out_n--;
		r->lost++;
	}
	slot = (r->out_head + r->out_n) % QUEUE_LEN;
	o = &r->outq[slot];
	memset(o, 0, sizeof(*o));
	o->seg.src_ip = lip;
	o->seg.dst_ip = rip;
	o->seg.src_port = lport;
	o->seg.dst_port = rport;
	o->seg.seq = seq;
	o->seg.ack = ack;
	o->seg.flags = flags;
	if (flags & TOE_TCP_RST)
		o->seg.win = 0; /* as Linux and the BSDs do */
	else if ((flags & (TOE_TCP_SYN | TOE_TCP_ACK)) == TOE_TCP_SYN)
		o->seg.win = r->cfg.syn_wnd ? r->cfg.syn_wnd : r->cfg.rcv_wnd;
	else
		o->seg.win = r->cfg.rcv_wnd;
	if (flags & TOE_TCP_SYN) {
		/* MS-01: "The MSS value to be sent in an MSS Option must be
		 * less than or equal to: MMS_R - 20" (MMS_R = MTU - 20) */
		o->seg.opt.has_mss = true;
		o->seg.opt.mss = (uint16_t)(r->cfg.mtu - 40);
	}
	o->ip.tos = 0;
	o->ip.ttl = r->cfg.ttl;
	o->ip.df = r->cfg.df;
	o->ip.id = r->ip_id;
	r->ip_id = (uint16_t)(r->ip_id + r->cfg.ip_id_step);
	o->conn = conn;
	o->time = r->t_cur;
	r->out_n++;
	r->st.segs_out++;
	if (flags & TOE_TCP_RST)
		r->st.rst_out++;
}

/* A segment of connection t. */
static void emit_tcb(struct toe_ref *r, const struct tcb *t, uint8_t flags,
		     uint32_t seq, uint32_t ack)
{
	emit(r, (int)(t - r->tcb), t->local_ip, t->local_port, t->remote_ip,
	     t->remote_port, flags, seq, ack);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
static void send_ack(struct toe_ref *r, const struct tcb *t)
{
	emit_tcb(r, t, TOE_TCP_ACK, t->snd_nxt, t->rcv_nxt);
}

/* A RST answering segment s (no TCB, LISTEN, or a TCB that stays). */
static void send_rst_for(struct toe_ref *r, int conn, const struct toe_seg *s,
			 uint8_t flags, uint32_t seq, uint32_t ack)
{
	emit(r, conn, s->dst_ip, s->dst_port, s->src_ip, s->src_port, flags,
	     seq, ack);
}

/* ------------------------------------------------------------------ */
/* ISN (RFC 6528)                                                      */
/* ------------------------------------------------------------------ */

uint32_t toe_ref_isn(const struct toe_ref *r, uint32_t local_ip,
		     uint16_t local_port, uint32_t remote_ip,
		     uint16_t remote_port, uint64_t now)
{
	/* RFC 6528: "ISN = M + F(localip, localport, remoteip, remoteport,
	 * secretkey)" where "M is the 4 microsecond timer". */
	uint8_t msg[12], h[crypto_shorthash_siphash24_BYTES];
	uint32_t f, m;

	toe_put_be32(msg, local_ip);
	toe_put_be16(msg + 4, local_port);
	toe_put_be32(msg + 6, remote_ip);
	toe_put_be16(msg + 10, remote_port);
	crypto_shorthash_siphash24(h, msg, sizeof(msg), r->cfg.isn_key);
	f = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 24;
	m = (uint32_t)(now / (r->cfg.tick_hz / 250000));
	return m + f;
}

void toe_ref_set_isn_key(struct toe_ref *r, const uint8_t key[16])
{
	memcpy(r->cfg.isn_key, key, 16);
}

void toe_ref_pin_isn(struct toe_ref *r, uint32_t isn)
{
	r->pin_valid = true;
	r->pin_isn = isn;
}

/* ISS for a new connection: the pinned value once, else RFC 6528. */
static uint32_t choose_iss(struct toe_ref *r, uint32_t lip, uint16_t lport,
			   uint32_t rip, uint16_t rport)
{
	if (r->pin_valid) {
		r->pin_valid = false;
		return r->pin_isn;
	}
	return toe_ref_isn(r, lip, lport, rip, rport, r->t_cur);
}

/* ------------------------------------------------------------------ */
/* 2. connection table and listeners                                   */
/* ------------------------------------------------------------------ */

static uint32_t tuple_hash(uint32_t lip, uint16_t lport, uint32_t rip,
			   uint16_t rport)
{
	uint32_t h = rip * 0x9E3779B1u;

	h ^= (((uint32_t)lport << 16) | rport) * 0x85EBCA77u;
	h ^= lip * 0xC2B2AE3Du;
	h ^= h >> 15;
	h *= 0x27D4EB2Fu;
	h ^= h >> 13;
	return h;
}

static int lookup(const struct toe_ref *r, uint32_t lip, uint16_t lport,
		  uint32_t rip, uint16_t rport)
{
	int32_t id = r->bucket[tuple_hash(lip, lport, rip, rport) &
			       (r->nbucket - 1)];

	while (id >= 0) {
		const struct tcb *t = &r->tcb[id];

		if (t->remote_ip == rip && t->remote_port == rport &&
		    t->local_port == lport && t->local_ip == lip)
			return id;
		id = t->hnext;
	}
	return -1;
}

static struct listener *find_listener(struct toe_ref *r, uint16_t port)
{
	for (uint32_t i = 0; i < r->cfg.max_listeners; i++)
		if (r->lst[i].used && r->lst[i].port == port)
			return &r->lst[i];
	return NULL;
}

/* Lowest free id, or -1 if the table is full. */
static int lowest_free(const struct toe_ref *r)
{
	for (uint32_t s = 0; s < r->nsum; s++) {
		if (!r->freesum[s])
			continue;
		uint32_t w = s * 64 + (uint32_t)__builtin_ctzll(r->freesum[s]);
		return (int)(w * 64 + (uint32_t)__builtin_ctzll(r->freemap[w]));
	}
	return -1;
}

static void map_set(struct toe_ref *r, int id, bool is_free)
{
	uint32_t w = (uint32_t)id / 64, b = (uint32_t)id % 64;

	if (is_free) {
		r->freemap[w] |= 1ull << b;
		r->freesum[w / 64] |= 1ull << (w % 64);
	} else {
		r->freemap[w] &= ~(1ull << b);
		if (!r->freemap[w])
			r->freesum[w / 64] &= ~(1ull << (w % 64));
	}
}

/* Allocate a TCB for the tuple (caller checked it is not in use). */
static struct tcb *tcb_new(struct toe_ref *r, uint32_t lip, uint16_t lport,
			   uint32_t rip, uint16_t rport)
{
	int id = lowest_free(r);
	struct tcb *t;
	uint32_t b;

	if (id < 0)
		return NULL;
	map_set(r, id, false);
	t = &r->tcb[id];
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->local_ip = lip;
	t->local_port = lport;
	t->remote_ip = rip;
	t->remote_port = rport;
	t->peer_mss = MSS_DEFAULT;
	t->eff_mss = MSS_DEFAULT;
	t->ca_start = r->t_cur;
	b = tuple_hash(lip, lport, rip, rport) & (r->nbucket - 1);
	t->hnext = r->bucket[b];
	r->bucket[b] = id;
	r->nconn++;
	return t;
}

static void timer_stop(struct toe_ref *r, struct tcb *t);

static void tcb_delete(struct toe_ref *r, struct tcb *t)
{
	int id = (int)(t - r->tcb);
	uint32_t b = tuple_hash(t->local_ip, t->local_port, t->remote_ip,
				t->remote_port) & (r->nbucket - 1);
	int32_t *pp = &r->bucket[b];

	timer_stop(r, t);
	while (*pp != id)
		pp = &r->tcb[*pp].hnext;
	*pp = t->hnext;
	t->used = false;
	t->state = TOE_ST_CLOSED;
	map_set(r, id, true);
	r->nconn--;
}

static int tcb_id(const struct toe_ref *r, const struct tcb *t)
{
	return (int)(t - r->tcb);
}

/* Delete with an event (CLOSED, RESET, REFUSED, TIMEDOUT) or none (0). */
static void tcb_end(struct toe_ref *r, struct tcb *t, int event)
{
	int id = tcb_id(r, t);

	tcb_delete(r, t);
	if (event)
		push_event(r, event, id, NULL, 0);
}

/* Peer MSS from a SYN's options (MS-03/MS-05), effective MSS (MS-04). */
static void set_peer_mss(const struct toe_ref *r, struct tcb *t,
			 const struct toe_seg *s)
{
	uint16_t m = MSS_DEFAULT, local = (uint16_t)(r->cfg.mtu - 40);

	if (s->opt.has_mss && s->opt.mss != 0)
		m = s->opt.mss < MSS_MIN ? MSS_MIN : s->opt.mss;
	t->peer_mss = m;
	/* MUST-16: "the "effective send MSS", MUST be the smaller of the
	 * send MSS ... and the largest transmission size permitted by the IP
	 * layer"; we send no options after the SYN, so nothing more is
	 * subtracted. */
	t->eff_mss = m < local ? m : local;
}

/* ------------------------------------------------------------------ */
/* 3. timers                                                           */
/* ------------------------------------------------------------------ */

static bool heap_less(const struct toe_ref *r, int32_t a, int32_t b)
{
	uint64_t da = r->tcb[a].deadline, db = r->tcb[b].deadline;

	return da < db || (da == db && a < b); /* ties by connection id */
}

static void heap_swap(struct toe_ref *r, uint32_t i, uint32_t j)
{
	int32_t a = r->heap[i], b = r->heap[j];

	r->heap[i] = b;
	r->heap[j] = a;
	r->hpos[b] = (int32_t)i;
	r->hpos[a] = (int32_t)j;
}

static void heap_fix(struct toe_ref *r, uint32_t i)
{
	while (i > 0 && heap_less(r, r->heap[i], r->heap[(i - 1) / 2])) {
		heap_swap(r, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		uint32_t l = 2 * i + 1, m = i;

		if (l < r->nheap && heap_less(r, r->heap[l], r->heap[m]))
			m = l;
		if (l + 1 < r->nheap && heap_less(r, r->heap[l + 1], r->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		heap_swap(r, i, m);
		i = m;
	}
}

static void timer_set(struct toe_ref *r, struct tcb *t, int kind,
		      uint64_t deadline)
{
	int32_t id = tcb_id(r, t);

	t->tmr = (uint8_t)kind;
	t->deadline = deadline;
	if (r->hpos[id] < 0) {
		r->heap[r->nheap] = id;
		r->hpos[id] = (int32_t)r->nheap;
		r->nheap++;
	}
	heap_fix(r, (uint32_t)r->hpos[id]);
}

static void timer_stop(struct toe_ref *r, struct tcb *t)
{
	int32_t id = tcb_id(r, t);
	uint32_t i;

	t->tmr = TMR_NONE;
	if (r->hpos[id] < 0)
		return;
	i = (uint32_t)r->hpos[id];
	r->nheap--;
	if (i != r->nheap) {
		heap_swap(r, i, r->nheap);
		heap_fix(r, i);
	}
	r->hpos[id] = -1;
}

/* A SYN, SYN-ACK or FIN has just been sent for the first time. */
static void rtx_start(struct toe_ref *r, struct tcb *t)
{
	t->rto = r->cfg.rto_init;
	t->first_sent = r->t_cur;
	t->retransmits = 0;
	timer_set(r, t, TMR_RTX, r->t_cur + t->rto);
}

/* TIME-WAIT entered or restarted: "start the time-wait timer, turn off the
 * other timers" (3.10.7.4, eighth). */
static void tw_start(struct toe_ref *r, struct tcb *t)
{
	t->retransmits = 0;
	timer_set(r, t, TMR_2MSL, r->t_cur + 2 * r->cfg.msl);
}

/* Send the SYN / SYN-ACK / FIN of this state. */
static void send_syn(struct toe_ref *r, struct tcb *t)
{
	emit_tcb(r, t, TOE_TCP_SYN, t->iss, 0);
}

static void send_synack(struct toe_ref *r, struct tcb *t)
{
	emit_tcb(r, t, TOE_TCP_SYN | TOE_TCP_ACK, t->iss, t->rcv_nxt);
}

/* The FIN sits at SND.NXT - 1 once sent. */
static void send_fin(struct toe_ref *r, struct tcb *t)
{
	emit_tcb(r, t, TOE_TCP_FIN | TOE_TCP_ACK, t->snd_nxt - 1, t->rcv_nxt);
}

static void timer_fire(struct toe_ref *r, struct tcb *t)
{
	uint64_t giveup;

	r->t_cur = t->deadline;
	if (t->tmr == TMR_2MSL) {
		/* "If the time-wait timeout expires on a connection, delete
		 * the TCB, enter the CLOSED state, and return." */
		tcb_end(r, t, TOE_EV_CLOSED);
		return;
	}
	switch (t->state) {
	case TOE_ST_SYN_SENT:
		giveup = r->cfg.syn_giveup;
		break;
	case TOE_ST_SYN_RECEIVED:
		giveup = r->cfg.synack_giveup;
		break;
	default: /* FIN-WAIT-1, CLOSING, LAST-ACK */
		giveup = r->cfg.fin_giveup;
		break;
	}
	/* "R2 for a SYN segment MUST be set large enough to provide
	 * retransmission of the segment for at least 3 minutes (MUST-23)";
	 * "The value of R2 SHOULD correspond to at least 100 seconds
	 * (SHLD-11)." Give up (TIMEDOUT) once R2 has passed. */
	if (t->deadline - t->first_sent >= giveup) {
		/* A half-open connection of a listener the user never saw
		 * (no ESTABLISHED event yet) goes silently, as Linux drops a
		 * request that times out and as HS-08 drops one reset by its
		 * peer: a SYN flood's give-ups raise no events (HS-09). */
		tcb_end(r, t, (t->state == TOE_ST_SYN_RECEIVED && t->passive) ?
			      0 : TOE_EV_TIMEDOUT);
		return;
	}
	/* "send the segment at the front of the retransmission queue again,
	 * reinitialize the retransmission timer" with RFC 6298 5.5 backoff:
	 * "set RTO <- RTO * 2". */
	switch (t->state) {
	case TOE_ST_SYN_SENT:
		send_syn(r, t);
		break;
	case TOE_ST_SYN_RECEIVED:
		send_synack(r, t);
		break;
	default:
		send_fin(r, t);
		break;
	}
	t->retransmits++;
	r->st.retransmits++;
	t->rto = t->rto * 2 > r->cfg.rto_max ? r->cfg.rto_max : t->rto * 2;
	timer_set(r, t, TMR_RTX, t->deadline + t->rto);
}

static void run_timers(struct toe_ref *r, uint64_t now)
{
	if (now < r->now)
		now = r->now; /* time never goes backwards */
	r->now = now;
	while (r->nheap > 0 && r->tcb[r->heap[0]].deadline <= now)
		timer_fire(r, &r->tcb[r->heap[0]]);
	r->t_cur = now;
}

uint64_t toe_ref_next_timer(const struct toe_ref *r)
{
	return r->nheap ? r->tcb[r->heap[0]].deadline : UINT64_MAX;
}

void toe_ref_advance(struct toe_ref *r, uint64_t now)
{
	run_timers(r, now);
}

/* ------------------------------------------------------------------ */
/* 4. segment arrives                                                  */
/* ------------------------------------------------------------------ */

/* RFC 5961 section 7 throttling (CA-06): per connection, at most
 * challenge_ack_limit per challenge_ack_window. */
static void challenge_ack(struct toe_ref *r, struct tcb *t)
{
	if (r->t_cur - t->ca_start >= r->cfg.challenge_ack_window) {
		t->ca_start = r->t_cur;
		t->ca_count = 0;
	}
	if (t->ca_count < r->cfg.challenge_ack_limit) {
		/* "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" */
		send_ack(r, t);
		t->ca_count++;
		r->st.challenge_acks++;
	} else {
		r->st.challenge_acks_suppressed++;
		r->st.dropped++;
	}
}

/* SEG.LEN: payload plus one for SYN and one for FIN. */
static uint32_t seg_len(const struct toe_seg *s)
{
	return s->len + !!(s->flags & TOE_TCP_SYN) + !!(s->flags & TOE_TCP_FIN);
}

/* Table 6, "Segment Acceptability Tests". */
static bool seq_acceptable(uint32_t seq, uint32_t len, uint32_t rcv_nxt,
			   uint32_t wnd)
{
	if (len == 0 && wnd == 0)
		return seq == rcv_nxt;
	if (len == 0)
		return TOE_SEQ_LEQ(rcv_nxt, seq) && TOE_SEQ_LT(seq, rcv_nxt + wnd);
	if (wnd == 0)
		return false;
	return (TOE_SEQ_LEQ(rcv_nxt, seq) && TOE_SEQ_LT(seq, rcv_nxt + wnd)) ||
	       (TOE_SEQ_LEQ(rcv_nxt, seq + len - 1) &&
		TOE_SEQ_LT(seq + len - 1, rcv_nxt + wnd));
}

/* 3.10.7.1 CLOSED (no TCB). */
static void st_closed(struct toe_ref *r, const struct toe_seg *s)
{
	/* "An incoming segment containing a RST is discarded." */
	if (s->flags & TOE_TCP_RST) {
		r->st.dropped++;
		return;
	}
	/* "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>" */
	if (s->flags & TOE_TCP_ACK)
		send_rst_for(r, -1, s, TOE_TCP_RST, s->ack, 0);
	/* "If the ACK bit is off, sequence number zero is used,
	 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" */
	else
		send_rst_for(r, -1, s, TOE_TCP_RST | TOE_TCP_ACK, 0,
			     s->seq + seg_len(s));
}

/* 3.10.7.2 LISTEN. iss_floor_valid: TW-04 reopen (MAY-2 floor). */
static void st_listen(struct toe_ref *r, const struct toe_seg *s,
		      bool iss_floor_valid, uint32_t iss_floor)
{
	struct tcb *t;

	/* "First, check for a RST: ... An incoming RST should be ignored." */
	if (s->flags & TOE_TCP_RST) {
		r->st.dropped++;
		return;
	}
	/* "Second, check for an ACK: ... An acceptable reset segment should
	 * be formed for any arriving ACK-bearing segment ...
	 * <SEQ=SEG.ACK><CTL=RST>" */
	if (s->flags & TOE_TCP_ACK) {
		send_rst_for(r, -1, s, TOE_TCP_RST, s->ack, 0);
		return;
	}
	/* "Fourth, other data or control: ... Drop the segment and return." */
	if (!(s->flags & TOE_TCP_SYN)) {
		r->st.dropped++;
		return;
	}
	/* "Third, check for a SYN" */
	t = tcb_new(r, s->dst_ip, s->dst_port, s->src_ip, s->src_port);
	if (!t) { /* table full: SYN dropped silently */
		r->st.dropped++;
		return;
	}
	/* "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ... ISS should be
	 * selected" (CHOICE: any text on the SYN is dropped, not queued) */
	t->state = TOE_ST_SYN_RECEIVED;
	t->passive = true;
	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	t->iss = choose_iss(r, t->local_ip, t->local_port, t->remote_ip,
			    t->remote_port);
	/* TW-04, MAY-2: "assigns its initial sequence number for the new
	 * connection to be larger than the largest sequence number it used
	 * on the previous connection incarnation" */
	if (iss_floor_valid && TOE_SEQ_LT(t->iss, iss_floor))
		t->iss = iss_floor;
	/* "SND.NXT is set to ISS+1 and SND.UNA to ISS." */
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	t->snd_wnd = s->win;
	t->max_snd_wnd = s->win;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = 0;
	set_peer_mss(r, t, s);
	/* "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>" */
	send_synack(r, t);
	rtx_start(r, t);
}

/* 3.10.7.3 SYN-SENT. */
static void st_syn_sent(struct toe_ref *r, struct tcb *t,
			const struct toe_seg *s)
{
	bool ack = s->flags & TOE_TCP_ACK;

	/* "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
	 * send a reset (unless the RST bit is set, if so drop the segment
	 * and return) <SEQ=SEG.ACK><CTL=RST> and discard the segment." */
	if (ack && (TOE_SEQ_LEQ(s->ack, t->iss) ||
		    TOE_SEQ_GT(s->ack, t->snd_nxt))) {
		if (s->flags & TOE_TCP_RST)
			r->st.dropped++;
		else
			send_rst_for(r, tcb_id(r, t), s, TOE_TCP_RST, s->ack, 0);
		return;
	}
	/* "Second, check the RST bit: If the ACK was acceptable, then signal
	 * to the user "error: connection reset", drop the segment, enter
	 * CLOSED state, delete TCB, and return. Otherwise (no ACK), drop the
	 * segment and return." (the user is told ECONNREFUSED) */
	if (s->flags & TOE_TCP_RST) {
		if (ack)
			tcb_end(r, t, TOE_EV_REFUSED);
		else
			r->st.dropped++;
		return;
	}
	/* "Fifth, if neither of the SYN or RST bits is set, then drop the
	 * segment and return." */
	if (!(s->flags & TOE_TCP_SYN)) {
		r->st.dropped++;
		return;
	}
	/* "Fourth, check the SYN bit: ... RCV.NXT is set to SEG.SEQ+1, IRS is
	 * set to SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK (if
	 * there is an ACK)" (CHOICE: text/FIN on the SYN is dropped) */
	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	set_peer_mss(r, t, s);
	t->snd_wnd = s->win;
	t->max_snd_wnd = s->win;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	if (ack) {
		t->snd_una = s->ack;
		/* "If SND.UNA > ISS (our SYN has been ACKed), change the
		 * connection state to ESTABLISHED, form an ACK segment
		 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it." */
		t->state = TOE_ST_ESTABLISHED;
		timer_stop(r, t);
		send_ack(r, t);
		push_event(r, TOE_EV_ESTABLISHED, tcb_id(r, t), NULL, 0);
		return;
	}
	/* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
	 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." (SO-01) */
	t->state = TOE_ST_SYN_RECEIVED;
	t->passive = false;
	t->snd_wl2 = 0;
	send_synack(r, t);
	rtx_start(r, t);
}

/* TIME-WAIT (RFC 9293 3.10.7.4 with RFC 1337 and RFC 5961). */
static void st_time_wait(struct toe_ref *r, struct tcb *t,
			 const struct toe_seg *s)
{
	uint32_t floor;

	/* TW-03, RFC 1337 "fix TWA hazards": "ignore RST segments in
	 * TIME-WAIT state". */
	if (s->flags & TOE_TCP_RST) {
		r->st.dropped++;
		return;
	}
	if (s->flags & TOE_TCP_SYN) {
		/* TW-04: "it MAY accept a new SYN from the remote TCP
		 * endpoint to reopen the connection directly from TIME-WAIT
		 * state (MAY-2)": a SYN beyond the old RCV.NXT on a listening
		 * port reopens (as Linux does without timestamps). */
		if (!(s->flags & TOE_TCP_ACK) && TOE_SEQ_GT(s->seq, t->rcv_nxt) &&
		    find_listener(r, s->dst_port)) {
			floor = t->snd_nxt + TW_ISN_GAP;
			tcb_end(r, t, TOE_EV_CLOSED);
			st_listen(r, s, true, floor);
			return;
		}
		/* "if the SYN bit is set, irrespective of the sequence
		 * number, TCP endpoints MUST send a "challenge ACK"" */
		challenge_ack(r, t);
		return;
	}
	/* "If an incoming segment is not acceptable, an acknowledgment
	 * should be sent in reply" */
	if (!seq_acceptable(s->seq, seg_len(s), t->rcv_nxt, r->cfg.rcv_wnd)) {
		send_ack(r, t);
		/* TW-02: "The only thing that can arrive in this state is a
		 * retransmission of the remote FIN. Acknowledge it, and
		 * restart the 2 MSL timeout." */
		if ((s->flags & TOE_TCP_FIN) && s->seq + s->len + 1 == t->rcv_nxt)
			tw_start(r, t);
		return;
	}
	/* acceptable: nothing new can arrive after the peer's FIN */
	r->st.dropped++;
}

/* 3.10.7.4 Other States (SYN-RECEIVED .. LAST-ACK; TIME-WAIT above). */
static void st_synchronized(struct toe_ref *r, struct tcb *t,
			    const struct toe_seg *seg)
{
	struct toe_seg s = *seg;
	const uint32_t wnd = r->cfg.rcv_wnd;
	int id = tcb_id(r, t);
	bool need_ack = false;
	uint32_t fin_seq;

	/* CHOICE (SO-01): the peer's SYN-ACK in a simultaneous open. Its SYN
	 * is the one we already have, before the window: "trimming off any
	 * portions that lie outside the window (including SYN and FIN)". */
	if (t->state == TOE_ST_SYN_RECEIVED && !t->passive &&
	    (s.flags & (TOE_TCP_SYN | TOE_TCP_ACK | TOE_TCP_RST | TOE_TCP_FIN)) ==
		    (TOE_TCP_SYN | TOE_TCP_ACK) &&
	    s.len == 0 && s.seq + 1 == t->rcv_nxt && s.ack == t->snd_nxt) {
		s.flags &= (uint8_t)~TOE_TCP_SYN;
		s.seq++;
	}

	/* A. "First, check sequence number" (Table 6) */
	bool ok = seq_acceptable(s.seq, seg_len(&s), t->rcv_nxt, wnd);
	/* CL-11: "If the RCV.WND is zero, no segments will be acceptable,
	 * but special allowance should be made to accept valid ACKs, URGs,
	 * and RSTs." We also allow a bare FIN at RCV.NXT. */
	if (!ok && wnd == 0 && (s.flags & TOE_TCP_FIN) && s.len == 0 &&
	    s.seq == t->rcv_nxt)
		ok = true;
	if (!ok) {
		/* "(unless the RST bit is set, if so drop the segment and
		 * return)" - RFC 5961 3.2: "If the RST bit is set and the
		 * sequence number is outside the current receive window,
		 * silently drop the segment." */
		if (s.flags & TOE_TCP_RST)
			r->st.dropped++;
		/* RFC 5961 4.2: a SYN gets a (throttled) challenge ACK */
		else if (s.flags & TOE_TCP_SYN)
			challenge_ack(r, t);
		/* "an acknowledgment should be sent in reply
		 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" */
		else
			send_ack(r, t);
		return;
	}

	/* B. "Second, check the RST bit" */
	if (s.flags & TOE_TCP_RST) {
		/* "If the RST bit is set and the sequence number does not
		 * exactly match the next expected sequence value, yet is
		 * within the current receive window, TCP endpoints MUST send
		 * an acknowledgment (challenge ACK)" */
		if (s.seq != t->rcv_nxt) {
			challenge_ack(r, t);
			return;
		}
		/* "If the RST bit is set and the sequence number exactly
		 * matches the next expected sequence number (RCV.NXT), then
		 * TCP endpoints MUST reset the connection in the manner
		 * prescribed below according to the connection state." */
		switch (t->state) {
		case TOE_ST_SYN_RECEIVED:
			/* "If this connection was initiated with a passive
			 * OPEN (i.e., came from the LISTEN state), then return
			 * this connection to LISTEN state and return. The user
			 * need not be informed. If this connection was
			 * initiated with an active OPEN ... signal the user
			 * "connection refused"." */
			tcb_end(r, t, t->passive ? 0 : TOE_EV_REFUSED);
			break;
		case TOE_ST_ESTABLISHED:
		case TOE_ST_FIN_WAIT_1:
		case TOE_ST_FIN_WAIT_2:
		case TOE_ST_CLOSE_WAIT:
			/* "Users should also receive an unsolicited general
			 * "connection reset" signal. Enter the CLOSED state,
			 * delete the TCB, and return." */
			tcb_end(r, t, TOE_EV_RESET);
			break;
		default: /* CLOSING, LAST-ACK */
			/* "If the RST bit is set, then enter the CLOSED
			 * state, delete the TCB, and return." */
			tcb_end(r, t, TOE_EV_CLOSED);
			break;
		}
		return;
	}

	/* C. "Fourth, check the SYN bit": HS-10, SYN-RECEIVED of a passive
	 * open (RFC 9293 3.10.7.4): "If the connection was initiated with a
	 * passive OPEN, then return this connection to the LISTEN state and
	 * return" - the half-open connection goes, nothing is sent, the user
	 * is not told (as for its RST, HS-08). CA-01, the synchronized states
	 * (and SYN-RECEIVED of an active open, "handle per the directions for
	 * synchronized states"): "if the SYN bit is set, irrespective of the
	 * sequence number, TCP endpoints MUST send a "challenge ACK" ...
	 * After sending the acknowledgment, TCP implementations MUST drop the
	 * unacceptable segment" */
	if (s.flags & TOE_TCP_SYN) {
		if (t->state == TOE_ST_SYN_RECEIVED && t->passive) {
			tcb_end(r, t, 0);
			return;
		}
		challenge_ack(r, t);
		return;
	}

	/* D. "Fifth, check the ACK field: if the ACK bit is off, drop the
	 * segment and return" */
	if (!(s.flags & TOE_TCP_ACK)) {
		r->st.dropped++;
		return;
	}

	/* E. ACK processing, one arm per state */
	if (t->state == TOE_ST_SYN_RECEIVED) {
		/* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED
		 * state and continue processing with the variables below set
		 * to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <-
		 * SEG.ACK" */
		if (!(TOE_SEQ_LT(t->snd_una, s.ack) &&
		      TOE_SEQ_LEQ(s.ack, t->snd_nxt))) {
			/* "If the segment acknowledgment is not acceptable,
			 * form a reset segment <SEQ=SEG.ACK><CTL=RST>" */
			send_rst_for(r, id, &s, TOE_TCP_RST, s.ack, 0);
			return;
		}
		t->state = TOE_ST_ESTABLISHED;
		t->snd_una = s.ack;
		t->snd_wnd = s.win;
		if (s.win > t->max_snd_wnd)
			t->max_snd_wnd = s.win;
		t->snd_wl1 = s.seq;
		t->snd_wl2 = s.ack;
		timer_stop(r, t);
		push_event(r, TOE_EV_ESTABLISHED, id, NULL, 0);
	} else {
		/* "If the ACK acks something not yet sent (SEG.ACK >
		 * SND.NXT), then send an ACK, drop the segment, and return." */
		if (TOE_SEQ_GT(s.ack, t->snd_nxt)) {
			send_ack(r, t);
			return;
		}
		/* RFC 5961 5.2: "the ACK value is acceptable only if it is in
		 * the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =<
		 * SND.NXT). All incoming segments whose ACK value doesn't
		 * satisfy the above condition MUST be discarded and an ACK
		 * sent back." (a throttled challenge ACK) */
		if (TOE_SEQ_LT(s.ack, t->snd_una - t->max_snd_wnd)) {
			challenge_ack(r, t);
			return;
		}
		/* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be
		 * updated. If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and
		 * SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set SND.WL1
		 * <- SEG.SEQ, and set SND.WL2 <- SEG.ACK." */
		if (TOE_SEQ_LEQ(t->snd_una, s.ack) &&
		    (TOE_SEQ_LT(t->snd_wl1, s.seq) ||
		     (t->snd_wl1 == s.seq && TOE_SEQ_LEQ(t->snd_wl2, s.ack)))) {
			t->snd_wnd = s.win;
			if (s.win > t->max_snd_wnd)
				t->max_snd_wnd = s.win;
			t->snd_wl1 = s.seq;
			t->snd_wl2 = s.ack;
		}
		/* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <-
		 * SEG.ACK ... If the ACK is a duplicate (SEG.ACK =< SND.UNA),
		 * it can be ignored." (CL-08: processing continues) */
		if (TOE_SEQ_LT(t->snd_una, s.ack))
			t->snd_una = s.ack;

		switch (t->state) {
		case TOE_ST_ESTABLISHED:
			break;
		case TOE_ST_FIN_WAIT_1:
			/* "if the FIN segment is now acknowledged, then enter
			 * FIN-WAIT-2 and continue processing in that state." */
			if (t->snd_una == t->snd_nxt) {
				t->state = TOE_ST_FIN_WAIT_2;
				timer_stop(r, t);
			}
			break;
		case TOE_ST_FIN_WAIT_2:
		case TOE_ST_CLOSE_WAIT:
			break;
		case TOE_ST_CLOSING:
			/* "if the ACK acknowledges our FIN, then enter the
			 * TIME-WAIT state; otherwise, ignore the segment." */
			if (t->snd_una == t->snd_nxt) {
				t->state = TOE_ST_TIME_WAIT;
				tw_start(r, t);
			}
			return;
		case TOE_ST_LAST_ACK:
			/* "If our FIN is now acknowledged, delete the TCB,
			 * enter the CLOSED state, and return." */
			if (t->snd_una == t->snd_nxt) {
				tcb_end(r, t, TOE_EV_CLOSED);
				return;
			}
			break;
		default:
			break;
		}
	}

	/* F. "Seventh, process the segment text" (ESTABLISHED, FIN-WAIT-1,
	 * FIN-WAIT-2; "This should not occur since a FIN has been received
	 * from the remote side. Ignore the segment text." elsewhere) */
	fin_seq = s.seq + s.len;
	if (s.len > 0 && (t->state == TOE_ST_ESTABLISHED ||
			  t->state == TOE_ST_FIN_WAIT_1 ||
			  t->state == TOE_ST_FIN_WAIT_2)) {
		/* "If a segment's contents straddle the boundary between old
		 * and new, only the new parts are processed." */
		const uint8_t *data = s.data;
		uint32_t len = s.len, seq = s.seq;

		if (TOE_SEQ_LT(seq, t->rcv_nxt)) {
			uint32_t off = t->rcv_nxt - seq;

			if (data)
				data += off;
			len -= off;
			seq = t->rcv_nxt;
		}
		if (len > 0 && seq != t->rcv_nxt) {
			/* out of order: "Segments with higher beginning
			 * sequence numbers SHOULD be held for later
			 * processing" - we have no buffer: drop payload and
			 * FIN, and send a duplicate ACK (MAY-13). */
			send_ack(r, t);
			return;
		}
		if (len > 0 && t->closed_by_user) {
			/* CL-10: "if new data is received after CLOSE is
			 * called, its TCP implementation SHOULD send a RST to
			 * show that data was lost (SHLD-3)." As ABORT does:
			 * <SEQ=SND.NXT><CTL=RST> */
			emit_tcb(r, t, TOE_TCP_RST, t->snd_nxt, 0);
			tcb_end(r, t, TOE_EV_RESET);
			return;
		}
		if (len > 0 && !r->rx_ready) {
			/* user stream full: drop, no ACK; the peer resends */
			r->st.dropped++;
			return;
		}
		if (len > 0) {
			/* "Data from segments can be moved into buffers until
			 * either the buffer is full or the segment is empty."
			 * Deliver what fits in RCV.WND. */
			uint32_t n = len < wnd ? len : wnd;

			push_event(r, TOE_EV_RX_DATA, id, data, (uint16_t)n);
			r->st.rx_bytes += n;
			/* "it advances RCV.NXT over the data accepted" */
			t->rcv_nxt += n;
			/* "When the TCP endpoint takes responsibility for
			 * delivering the data to the user, it must also
			 * acknowledge the receipt of the data." */
			need_ack = true;
		}
	}

	/* G. "Eighth, check the FIN bit" - only once everything before it
	 * was accepted (FIN at RCV.NXT). */
	if (s.flags & TOE_TCP_FIN) {
		if (fin_seq != t->rcv_nxt) {
			/* CHOICE: an out-of-order FIN gets a duplicate ACK */
			if (TOE_SEQ_GT(fin_seq, t->rcv_nxt))
				need_ack = true;
		} else {
			switch (t->state) {
			case TOE_ST_SYN_RECEIVED: /* left by E above */
			case TOE_ST_ESTABLISHED:
				/* "Enter the CLOSE-WAIT state." */
				t->state = TOE_ST_CLOSE_WAIT;
				break;
			case TOE_ST_FIN_WAIT_1:
				/* "If our FIN has been ACKed (perhaps in this
				 * segment), then enter TIME-WAIT, start the
				 * time-wait timer, turn off the other timers;
				 * otherwise, enter the CLOSING state." (E moved
				 * an acked FIN-WAIT-1 to FIN-WAIT-2 already) */
				t->state = TOE_ST_CLOSING;
				break;
			case TOE_ST_FIN_WAIT_2:
				/* "Enter the TIME-WAIT state. Start the
				 * time-wait timer, turn off the other timers." */
				t->state = TOE_ST_TIME_WAIT;
				tw_start(r, t);
				break;
			default: /* CLOSE-WAIT, CLOSING, LAST-ACK */
				/* "Remain in the ... state." CHOICE: the peer's
				 * FIN is already in; just ACK. */
				need_ack = true;
				goto ack;
			}
			/* "If the FIN bit is set, signal the user "connection
			 * closing" ..., advance RCV.NXT over the FIN, and send
			 * an acknowledgment for the FIN." */
			t->rcv_nxt++;
			need_ack = true;
			push_event(r, TOE_EV_PEER_FIN, id, NULL, 0);
		}
	}
ack:
	/* H. one "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" per segment */
	if (need_ack)
		send_ack(r, t);
}

void toe_ref_input(struct toe_ref *r, const struct toe_seg *seg, uint64_t now)
{
	int id;

	run_timers(r, now);
	r->st.segs_in++;
	/* checks for every segment: addressed to us at all? */
	if (seg->dst_ip != r->cfg.local_ip) {
		r->st.dropped++;
		return;
	}
	id = lookup(r, seg->dst_ip, seg->dst_port, seg->src_ip, seg->src_port);
	if (id < 0) {
		if (find_listener(r, seg->dst_port))
			st_listen(r, seg, false, 0);
		else
			st_closed(r, seg);
		return;
	}
	switch (r->tcb[id].state) {
	case TOE_ST_SYN_SENT:
		st_syn_sent(r, &r->tcb[id], seg);
		break;
	case TOE_ST_TIME_WAIT:
		st_time_wait(r, &r->tcb[id], seg);
		break;
	default: /* SYN-RECEIVED .. LAST-ACK */
		st_synchronized(r, &r->tcb[id], seg);
		break;
	}
}

int toe_ref_input_frame(struct toe_ref *r, const uint8_t *frame, size_t len,
			uint64_t now)
{
	struct toe_frame f;
	int rc = toe_parse_frame(frame, len, &f);

	if (rc != TOE_PARSE_OK) {
		/* CK-01 (MUST-2/3): a bad segment is dropped silently */
		if (rc < 0 && -rc < TOE_PERR_COUNT)
			r->st.parse_drops[-rc]++;
		run_timers(r, now);
		return rc;
	}
	toe_ref_input(r, &f.seg, now);
	return rc;
}

/* ------------------------------------------------------------------ */
/* 5. creation and user calls                                          */
/* ------------------------------------------------------------------ */

/* The engine's limits (rtl/regmap/toe.toml, enum cfg_limit): it keeps a
 * TCB's timer stamps modulo 2^TOE_CFG_TIME_BITS ticks, which gives the same
 * results as these 64-bit times only while every duration is below half of
 * that; its challenge-ACK count is 16 bits. A configuration outside them is
 * refused here as the host library refuses it, so the two never disagree. */
static bool ref_cfg_engine_ok(const struct toe_ref_cfg *cfg)
{
	const uint64_t lim = 1ull << (TOE_CFG_TIME_BITS - 1);

	return cfg->rto_max < lim && cfg->syn_giveup < lim &&
	       cfg->synack_giveup < lim && cfg->fin_giveup < lim &&
	       cfg->msl < lim / 2 &&
	       cfg->challenge_ack_limit <= TOE_CFG_CA_LIMIT_MAX;
}

struct toe_ref *toe_ref_new(const struct toe_ref_cfg *cfg)
{
	struct toe_ref *r;

	if (!cfg || cfg->tick_hz == 0 || cfg->tick_hz % 250000 != 0 ||
	    cfg->mtu < 41 || cfg->max_conns == 0 || cfg->max_conns > (1u << 24) ||
	    cfg->max_listeners == 0 || cfg->rto_init == 0 ||
	    cfg->rto_max < cfg->rto_init || !ref_cfg_engine_ok(cfg))
		return NULL;
	if (sodium_init() < 0)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->ip_id = cfg->ip_id_init;
	r->rx_ready = true;
	r->nbucket = 16;
	while (r->nbucket < 2 * cfg->max_conns)
		r->nbucket *= 2;
	r->nwords = (cfg->max_conns + 63) / 64;
	r->nsum = (r->nwords + 63) / 64;
	r->tcb = calloc(cfg->max_conns, sizeof(*r->tcb));
	r->bucket = malloc(r->nbucket * sizeof(*r->bucket));
	r->freemap = calloc(r->nwords, sizeof(*r->freemap));
	r->freesum = calloc(r->nsum, sizeof(*r->freesum));
	r->heap = calloc(cfg->max_conns, sizeof(*r->heap));
	r->hpos = malloc(cfg->max_conns * sizeof(*r->hpos));
	r->lst = calloc(cfg->max_listeners, sizeof(*r->lst));
	if (!r->tcb || !r->bucket || !r->freemap || !r->freesum || !r->heap ||
	    !r->hpos || !r->lst) {
		toe_ref_free(r);
		return NULL;
	}
	for (uint32_t i = 0; i < r->nbucket; i++)
		r->bucket[i] = -1;
	for (uint32_t i = 0; i < cfg->max_conns; i++) {
		r->hpos[i] = -1;
		map_set(r, (int)i, true);
	}
	return r;
}

void toe_ref_free(struct toe_ref *r)
{
	if (!r)
		return;
	free(r->tcb);
	free(r->bucket);
	free(r->freemap);
	free(r->freesum);
	free(r->heap);
	free(r->hpos);
	free(r->lst);
	free(r);
}

void toe_ref_set_rx_ready(struct toe_ref *r, bool ready)
{
	r->rx_ready = ready;
}

int toe_ref_listen(struct toe_ref *r, uint16_t port)
{
	if (port == 0)
		return TOE_REF_EINVAL;
	if (find_listener(r, port))
		return TOE_REF_EADDRINUSE;
	for (uint32_t i = 0; i < r->cfg.max_listeners; i++) {
		if (!r->lst[i].used) {
			r->lst[i].used = true;
			r->lst[i].port = port;
			return TOE_REF_OK;
		}
	}
	return TOE_REF_ENOMEM;
}

int toe_ref_unlisten(struct toe_ref *r, uint16_t port)
{
	struct listener *l = find_listener(r, port);

	if (!l)
		return TOE_REF_ENOTCONN;
	l->used = false;
	return TOE_REF_OK;
}

int toe_ref_connect(struct toe_ref *r, uint16_t local_port, uint32_t remote_ip,
		    uint16_t remote_port, uint64_t now)
{
	struct tcb *t;

	run_timers(r, now);
	if (local_port == 0 || remote_port == 0 || remote_ip == 0)
		return TOE_REF_EINVAL;
	if (lookup(r, r->cfg.local_ip, local_port, remote_ip, remote_port) >= 0)
		return TOE_REF_EADDRINUSE;
	t = tcb_new(r, r->cfg.local_ip, local_port, remote_ip, remote_port);
	if (!t)
		return TOE_REF_ENOMEM;
	/* 3.10.1 OPEN: "A SYN segment of the form <SEQ=ISS><CTL=SYN> is
	 * sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state" */
	t->state = TOE_ST_SYN_SENT;
	t->iss = choose_iss(r, t->local_ip, local_port, remote_ip, remote_port);
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	send_syn(r, t);
	rtx_start(r, t);
	return tcb_id(r, t);
}

static struct tcb *get_tcb(struct toe_ref *r, int conn)
{
	if (conn < 0 || (uint32_t)conn >= r->cfg.max_conns || !r->tcb[conn].used)
		return NULL;
	return &r->tcb[conn];
}

/* Our FIN: "<SEQ=SND.NXT><CTL=FIN,ACK>", SND.NXT += 1, timer as FIN. */
static void fin_now(struct toe_ref *r, struct tcb *t, int next_state)
{
	t->wr_shut = true;
	t->snd_nxt++;
	t->state = (uint8_t)next_state;
	send_fin(r, t);
	rtx_start(r, t);
}

/* close() and shutdown(SHUT_WR): the same FIN transitions. */
static int do_close(struct toe_ref *r, int conn, uint64_t now, bool full)
{
	struct tcb *t;

	run_timers(r, now);
	t = get_tcb(r, conn);
	if (!t)
		return TOE_REF_ENOTCONN;
	if (full)
		t->closed_by_user = true;
	if (t->wr_shut)
		/* CL-01: "as long as a second FIN is not emitted" */
		return TOE_REF_OK;
	switch (t->state) {
	case TOE_ST_SYN_SENT:
		if (!full)
			return TOE_REF_ESTATE; /* CHOICE, see top */
		/* "Delete the TCB and return "error: closing" responses to
		 * any queued SENDs, or RECEIVEs." (AO-08: nothing sent) */
		tcb_end(r, t, 0);
		return TOE_REF_OK;
	case TOE_ST_SYN_RECEIVED:
		/* "If no SENDs have been issued and there is no pending data
		 * to send, then form a FIN segment and send it, and enter
		 * FIN-WAIT-1 state" */
	case TOE_ST_ESTABLISHED:
		/* "form a FIN segment and send it. In any case, enter
		 * FIN-WAIT-1 state." */
		fin_now(r, t, TOE_ST_FIN_WAIT_1);
		return TOE_REF_OK;
	case TOE_ST_CLOSE_WAIT:
		/* "send a FIN segment, enter LAST-ACK state." */
		fin_now(r, t, TOE_ST_LAST_ACK);
		return TOE_REF_OK;
	default: /* FIN states always have wr_shut */
		return TOE_REF_OK;
	}
}

int toe_ref_close(struct toe_ref *r, int conn, uint64_t now)
{
	return do_close(r, conn, now, true);
}

int toe_ref_shutdown_wr(struct toe_ref *r, int conn, uint64_t now)
{
	return do_close(r, conn, now, false);
}

int toe_ref_abort(struct toe_ref *r, int conn, uint64_t now)
{
	struct tcb *t;

	run_timers(r, now);
	t = get_tcb(r, conn);
	if (!t)
		return TOE_REF_ENOTCONN;
	switch (t->state) {
	case TOE_ST_SYN_RECEIVED:
	case TOE_ST_ESTABLISHED:
	case TOE_ST_FIN_WAIT_1:
	case TOE_ST_FIN_WAIT_2:
	case TOE_ST_CLOSE_WAIT:
		/* 3.10.5: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" */
		emit_tcb(r, t, TOE_TCP_RST, t->snd_nxt, 0);
		break;
	default:
		/* SYN-SENT: "Delete the TCB, enter CLOSED state"; CLOSING,
		 * LAST-ACK, TIME-WAIT: "Respond with "ok" and delete the
		 * TCB" - nothing sent */
		break;
	}
	tcb_end(r, t, 0);
	return TOE_REF_OK;
}

int toe_ref_send(struct toe_ref *r, int conn, const void *buf, size_t len)
{
	struct tcb *t = get_tcb(r, conn);

	(void)buf;
	(void)len;
	if (!t)
		return TOE_REF_ENOTCONN;
	if (t->wr_shut)
		return TOE_REF_EPIPE;
	return TOE_REF_ENOTSUP;
}

int toe_ref_pop_out(struct toe_ref *r, struct toe_ref_out *out)
{
	if (r->out_n == 0)
		return 0;
	*out = r->outq[r->out_head];
	r->out_head = (r->out_head + 1) % QUEUE_LEN;
	r->out_n--;
	return 1;
}

int toe_ref_pop_event(struct toe_ref *r, struct toe_ref_event *ev)
{
	if (r->ev_n == 0)
		return 0;
	*ev = r->evq[r->ev_head];
	r->ev_head = (r->ev_head + 1) % QUEUE_LEN;
	r->ev_n--;
	return 1;
}

uint64_t toe_ref_lost(const struct toe_ref *r)
{
	return r->lost;
}

int toe_ref_conn_info(const struct toe_ref *r, int conn,
		      struct toe_ref_conn_info *info)
{
	const struct tcb *t;

	if (conn < 0 || (uint32_t)conn >= r->cfg.max_conns || !r->tcb[conn].used)
		return TOE_REF_ENOTCONN;
	t = &r->tcb[conn];
	memset(info, 0, sizeof(*info));
	info->state = t->state;
	info->local_ip = t->local_ip;
	info->remote_ip = t->remote_ip;
	info->local_port = t->local_port;
	info->remote_port = t->remote_port;
	info->iss = t->iss;
	info->irs = t->irs;
	info->snd_una = t->snd_una;
	info->snd_nxt = t->snd_nxt;
	info->snd_wnd = t->snd_wnd;
	info->max_snd_wnd = t->max_snd_wnd;
	info->rcv_nxt = t->rcv_nxt;
	info->rcv_wnd = r->cfg.rcv_wnd;
	info->peer_mss = t->peer_mss;
	info->eff_mss = t->eff_mss;
	info->passive = t->passive;
	info->closed_by_user = t->closed_by_user;
	info->wr_shut = t->wr_shut;
	info->retransmits = t->retransmits;
	return TOE_REF_OK;
}

int toe_ref_find(const struct toe_ref *r, uint32_t local_ip, uint16_t local_port,
		 uint32_t remote_ip, uint16_t remote_port)
{
	return lookup(r, local_ip, local_port, remote_ip, remote_port);
}

unsigned toe_ref_conn_count(const struct toe_ref *r)
{
	return r->nconn;
}

void toe_ref_stats(const struct toe_ref *r, struct toe_ref_stats *st)
{
	*st = r->st;
}

int toe_ref_fixture(struct toe_ref *r, const struct toe_ref_conn_info *info,
		    uint64_t now)
{
	struct tcb *t;
	uint16_t local = (uint16_t)(r->cfg.mtu - 40);

	run_timers(r, now);
	if (info->state < TOE_ST_SYN_SENT || info->state >= TOE_ST_COUNT ||
	    info->local_ip != r->cfg.local_ip)
		return TOE_REF_EINVAL;
	if (lookup(r, info->local_ip, info->local_port, info->remote_ip,
		   info->remote_port) >= 0)
		return TOE_REF_EADDRINUSE;
	t = tcb_new(r, info->local_ip, info->local_port, info->remote_ip,
		    info->remote_port);
	if (!t)
		return TOE_REF_ENOMEM;
	t->state = (uint8_t)info->state;
	t->iss = info->iss;
	t->irs = info->irs;
	t->snd_una = info->snd_una;
	t->snd_nxt = info->snd_nxt;
	t->snd_wnd = info->snd_wnd;
	t->max_snd_wnd = info->snd_wnd;
	t->snd_wl1 = info->irs;
	t->snd_wl2 = info->snd_una;
	t->rcv_nxt = info->rcv_nxt;
	t->peer_mss = info->peer_mss ? info->peer_mss : MSS_DEFAULT;
	t->eff_mss = t->peer_mss < local ? t->peer_mss : local;
	t->passive = info->passive;
	t->closed_by_user = info->closed_by_user;
	t->wr_shut = info->wr_shut || info->closed_by_user;
	switch (t->state) {
	case TOE_ST_FIN_WAIT_1:
	case TOE_ST_FIN_WAIT_2:
	case TOE_ST_CLOSING:
	case TOE_ST_LAST_ACK:
	case TOE_ST_TIME_WAIT:
		t->wr_shut = true; /* our FIN is out */
		break;
	default:
		break;
	}
	switch (t->state) {
	case TOE_ST_SYN_SENT:
	case TOE_ST_SYN_RECEIVED:
	case TOE_ST_FIN_WAIT_1:
	case TOE_ST_CLOSING:
	case TOE_ST_LAST_ACK:
		rtx_start(r, t);
		break;
	case TOE_ST_TIME_WAIT:
		tw_start(r, t);
		break;
	default:
		break;
	}
	return tcb_id(r, t);
}
