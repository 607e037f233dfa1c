/* SPDX-License-Identifier: MIT */
/*
 * top_dual.c - the engine-level differential harness (top_dual.h): the
 * Verilated engine and the reference stack driven with the same stimulus
 * at the same ticks, every output compared exactly. The timing rules that
 * make "the same ticks" and "the same order" hold are at the top of
 * top_dual.h.
 */
#include "top_dual.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toe/toe_regs.h"
#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_drv.h"
#include "toe_l2.h"
#include "toe_proto_codec.h"
#include "toe_sim.h"
#include "toe_sim_drv.h"

/* timers the reference ran lately (their windows, by connection) */
#define FIRED_MAX 64
/* stimuli remembered for the reply latencies (by step) */
#define STIM_MAX 1024
/* cycles the core is busy after taking a job */
#define BUSY_SEG 5
#define BUSY_CONNECT 40
#define BUSY_CMD 5
/* RTO of the start-up calibration, in passes */
#define CAL_RTO_PASSES 2
#define HIST 64
#define SEEN_MAX 4096

/* ------------------------------------------------------------------ */
/* queues                                                              */
/* ------------------------------------------------------------------ */

/* A frame one side is expected to send. */
struct xframe {
	uint8_t b[TOE_L2_MAX_FRAME + 64];
	size_t n;
	int conn;
	uint64_t time;
	unsigned step;
	bool timer;
};

struct xevent {
	struct toe_ref_event ev;
	unsigned step;
	bool timer;
};

struct xpay {
	int conn;
	uint16_t len;
	uint8_t *data;
	unsigned step;
};

/* A growing ring of fixed-size items. */
struct ring {
	void *buf;
	size_t item, cap, head, n;
};

static void ring_init(struct ring *q, size_t item)
{
	memset(q, 0, sizeof(*q));
	q->item = item;
}

static void *ring_push(struct ring *q)
{
	if (q->n == q->cap) {
		size_t nc = q->cap ? 2 * q->cap : 16;
		uint8_t *nb = malloc(nc * q->item);
		size_t i;

		assert_non_null(nb);
		for (i = 0; i < q->n; i++)
			memcpy(nb + i * q->item,
			       (uint8_t *)q->buf + ((q->head + i) % q->cap) * q->item, q->item);
		free(q->buf);
		q->buf = nb;
		q->cap = nc;
		q->head = 0;
	}
	q->n++;
	return (uint8_t *)q->buf + ((q->head + q->n - 1) % q->cap) * q->item;
}

static void *ring_front(struct ring *q)
{
	return q->n ? (uint8_t *)q->buf + q->head * q->item : NULL;
}

/* The i-th item from the front. */
static void *ring_at(struct ring *q, size_t i)
{
	return (uint8_t *)q->buf + ((q->head + i) % q->cap) * q->item;
}

static void ring_pop(struct ring *q)
{
	q->head = (q->head + 1) % q->cap;
	q->n--;
}

static void ring_free(struct ring *q)
{
	free(q->buf);
	q->buf = NULL;
	q->n = q->cap = 0;
}

/* ------------------------------------------------------------------ */
/* the harness                                                         */
/* ------------------------------------------------------------------ */

enum hist_kind { H_FRAME, H_BAD, H_CMD, H_WAIT };

struct hist {
	unsigned step;
	int kind;
	uint64_t T;
	size_t n;
	uint8_t f[2048];
	char desc[96];
};

/* A timer the reference ran, as the engine will: its connection, the scan
 * cycle that finds it (S), the end of its window, the first cycle its job
 * leaves the core to a waiting stimulus. */
struct fired {
	uint64_t d, S, end, free_at;
	int owner;
	bool del;           /* the timer deleted the connection */
};

/* A stimulus, for the latency of its replies. */
struct stim {
	unsigned step;
	bool cmd;           /* a command (else a frame) */
	int op;             /* the command */
	bool tcp;           /* a frame the codec parses as TCP */
	uint8_t flags;      /* its TCP flags */
	uint16_t len;       /* its payload */
	bool own_tmr;       /* its connection's timer ran first (or was running) */
	uint64_t in;        /* engine now of its last beat / of the CMD write */
	uint64_t T;         /* its decision */
};

struct td {
	struct td_cfg cfg;
	struct toe_sim *s;
	/* the register driver on s: two words a read request (a 64-bit
	 * register, two CONN_* words, EV_POP with EV_ARG) */
	struct toe_drv d;
	struct toe_ref *r;
	uint64_t off;          /* cycle - engine now */
	unsigned pass;         /* N_CONN: scanner pass, cycles */
	unsigned n_listen;
	uint32_t phi;          /* scan check phase: id p checked at now = p + phi */
	uint32_t C;            /* decisions for id p at now = p + C */
	uint32_t drift;        /* CONN_SEL writes since C was set */
	uint64_t last_T;       /* last decision */
	uint64_t core_free;    /* the core is free again from here */
	uint64_t wire_free;    /* the receive stream is free from here */
	uint64_t out_end;      /* the cycle after the last beat of the last
				* frame the engine sent */
	uint64_t floor;        /* the reference's now (never earlier) */
	uint64_t fired_max;    /* latest deadline fired in the reference */
	struct fired fired[FIRED_MAX]; /* the latest timers it ran */
	unsigned nfired;
	struct stim stim[STIM_MAX]; /* by step % STIM_MAX */
	struct td_lat lat;
	unsigned step;
	const char *label;
	bool listening[65536];
	bool user_ready;
	uint32_t icmp_n;       /* echo replies so far (their IP ID counter) */
	uint64_t mac_bad;
	uint64_t too_long;     /* frames over rx_max fed (cut by the engine) */
	size_t rx_max;         /* the engine's longest frame: 8 * 2^PAY_BUF_LOG2 */
	int dump_id;           /* a connection to show with a divergence */
	/* last values written to the CMD argument registers */
	uint32_t w_lport, w_rip, w_rport, w_conn;

	struct ring xtcp, xl2, xev, xpay;
	struct ring seen_seg, seen_ev;
	struct hist hist[HIST];
	unsigned nhist;
	uint64_t base[TOE_PERR_COUNT + 16];
	struct td_stats st;
};

static void diverge(struct td *t, unsigned step, const char *what,
		    const uint8_t *ref, size_t rn, const uint8_t *eng, size_t en)
	__attribute__((noreturn));
static void dump_conn(struct td *t, int id);
static void dump_stats(struct td *t);

static uint64_t enow(const struct td *t)
{
	return toe_sim_cycle(t->s) - t->off;
}

/* The scanner's lag behind a deadline: TD_LAG0 plus one cycle for every
 * CONN_SEL write made before it reaches the timer; at most this: */
static uint32_t lag(const struct td *t)
{
	return TD_LAG0 + t->drift;
}

/* ---- register access ---- */

static void wr(struct td *t, uint32_t addr, uint32_t v)
{
	int r = toe_sim_csr_write(t->s, addr, v);

	if (r)
		fail_msg("write 0x%03x = 0x%08x: %s", addr, v, toe_proto_strerror(r));
}

static uint32_t rd(struct td *t, uint32_t addr)
{
	uint32_t v = 0;
	int r = toe_sim_csr_read(t->s, addr, &v);

	if (r)
		fail_msg("read 0x%03x: %s", addr, toe_proto_strerror(r));
	return v;
}

static uint64_t rd64(struct td *t, uint32_t addr)
{
	uint64_t v = 0;
	int r = toe_sim_csr_read64(t->s, addr, &v);

	if (r)
		fail_msg("read64 0x%03x: %s", addr, toe_proto_strerror(r));
	return v;
}

static void wr64(struct td *t, uint32_t addr, uint64_t v)
{
	int r = toe_sim_csr_write64(t->s, addr, v);

	if (r)
		fail_msg("write64 0x%03x: %s", addr, toe_proto_strerror(r));
}

/* A register driver call that must succeed. */
static void drv_ok(struct td *t, int r, const char *what)
{
	if (r == TOE_DRV_EBUS)
		fail_msg("%s: register 0x%03x: %s", what, t->d.bus_addr,
			 toe_proto_strerror(t->d.bus_err));
	if (r < 0)
		fail_msg("%s: %s", what, toe_drv_strerror(r));
}

void td_mac_of(uint32_t ip, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	toe_put_be32(mac + 2, ip);
}

/* ---- configuration ---- */

void td_cfg_default(struct td_cfg *c)
{
	const uint64_t pass = 1024;
	int i;

	memset(c, 0, sizeof(*c));
	toe_ref_cfg_default(&c->ref);
	c->ref.local_ip = 0x0A000001; /* 10.0.0.1 */
	c->ref.mtu = 1500;
	c->ref.rcv_wnd = 8760;
	c->ref.syn_wnd = 0;
	c->ref.ttl = 64;
	c->ref.df = true;
	c->ref.ip_id_init = 0x100;
	c->ref.ip_id_step = 1;
	c->ref.tick_hz = 250000;
	c->max_conns = (unsigned)pass;
	c->ref.rto_init = 16 * pass;
	c->ref.rto_max = 64 * pass;
	c->ref.syn_giveup = 7 * 16 * pass;
	c->ref.synack_giveup = 3 * 16 * pass;
	c->ref.fin_giveup = 7 * 16 * pass;
	c->ref.msl = 8 * pass;
	c->ref.challenge_ack_limit = 5;
	c->ref.challenge_ack_window = 8192;
	for (i = 0; i < 16; i++)
		c->ref.isn_key[i] = (uint8_t)(0xa5 ^ (i * 29));
	c->mac[0] = 0x02;
	c->mac[5] = 0x01;
	c->seed = 1;
	c->gap = 12;
}

static void hist_add(struct td *t, int kind, uint64_t T, const uint8_t *f, size_t n,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void hist_add(struct td *t, int kind, uint64_t T, const uint8_t *f, size_t n,
		     const char *fmt, ...)
{
	struct hist *h = &t->hist[t->nhist++ % HIST];
	va_list ap;

	h->step = t->step;
	h->kind = kind;
	h->T = T;
	h->n = 0;
	if (f) {
		h->n = n < sizeof(h->f) ? n : sizeof(h->f);
		memcpy(h->f, f, h->n);
	}
	va_start(ap, fmt);
	vsnprintf(h->desc, sizeof(h->desc), fmt, ap);
	va_end(ap);
}

static const struct hist *hist_find(const struct td *t, unsigned step)
{
	unsigned i;

	for (i = 0; i < HIST && i < t->nhist; i++) {
		const struct hist *h = &t->hist[(t->nhist - 1 - i) % HIST];

		if (h->step == step)
			return h;
	}
	return NULL;
}

static void hist_print(const struct hist *h, bool full)
{
	printf("  step %u, decided at now %llu: %s\n", h->step, (unsigned long long)h->T,
	       h->desc);
	if (full && h->n)
		toe_decode_frame(stdout, h->step, 0, h->f, h->n, 0);
}

static void diverge(struct td *t, unsigned step, const char *what,
		    const uint8_t *ref, size_t rn, const uint8_t *eng, size_t en)
{
	const struct hist *h = hist_find(t, step);
	unsigned i, k;

	fflush(stdout);
	printf("\n==== DIVERGENCE%s%s: %s\n", t->label ? " in " : "", t->label ? t->label : "",
	       what);
	printf("  seed %u, step %u (last %u), cycle %llu, engine now %llu, reference now %llu\n",
	       t->cfg.seed, step, t->step, (unsigned long long)toe_sim_cycle(t->s),
	       (unsigned long long)enow(t), (unsigned long long)t->floor);
	if (h) {
		const struct hist *hp = step > 0 ? hist_find(t, step - 1) : NULL;

		printf("  the stimulus:\n");
		hist_print(h, true);
		if (hp && hp->n) {
			printf("  the one before it:\n");
			hist_print(hp, true);
		}
	} else if (step == 0) {
		printf("  (a timer, no stimulus)\n");
	}
	printf("  reference output:%s\n", ref ? "" : " nothing");
	if (ref)
		toe_decode_frame(stdout, 1, 0, ref, rn, 0);
	printf("  engine output:%s\n", eng ? "" : " nothing");
	if (eng) {
		struct toe_frame ef;

		toe_decode_frame(stdout, 2, 0, eng, en, 0);
		/* the connection the engine's segment belongs to */
		if (toe_parse_frame(eng, en, &ef) == TOE_PARSE_OK) {
			int id = toe_ref_find(t->r, ef.seg.src_ip, ef.seg.src_port, ef.seg.dst_ip,
					      ef.seg.dst_port);

			if (id >= 0 && id != t->dump_id)
				dump_conn(t, id);
		}
	}
	if (t->dump_id >= 0) {
		int id = t->dump_id;

		t->dump_id = -1;
		dump_conn(t, id);
	}
	dump_stats(t);
	printf("  recent stimuli:\n");
	k = t->nhist < 24 ? t->nhist : 24;
	for (i = k; i > 0; i--)
		hist_print(&t->hist[(t->nhist - i) % HIST], false);
	fflush(stdout);
	fail_msg("divergence: %s (seed %u step %u)", what, t->cfg.seed, step);
	abort(); /* not reached */
}

#define DIVERGE(t, step, ...) do { \
	char m_[256]; \
	snprintf(m_, sizeof(m_), __VA_ARGS__); \
	diverge((t), (step), m_, NULL, 0, NULL, 0); \
} while (0)

void td_set_label(struct td *t, const char *label)
{
	t->label = label;
}

/* ---- stepping ---- */

static void pump(struct td *t);

static void step_to(struct td *t, uint64_t now)
{
	uint64_t e = enow(t);

	if (now < e)
		fail_msg("harness: step back to %llu from %llu", (unsigned long long)now,
			 (unsigned long long)e);
	while (e < now) {
		uint64_t n = now - e > 4096 ? 4096 : now - e;

		toe_sim_step(t->s, n);
		e += n;
		pump(t);
	}
}

/* ---- the reference's outputs ---- */

static void seen_seg_add(struct td *t, const struct xframe *x, uint64_t first)
{
	struct toe_frame f;
	struct td_seen_seg *s;

	if (t->seen_seg.n >= SEEN_MAX)
		ring_pop(&t->seen_seg);
	s = ring_push(&t->seen_seg);
	memset(s, 0, sizeof(*s));
	if (toe_parse_frame(x->b, x->n, &f) == TOE_PARSE_OK) {
		s->seg = f.seg;
		s->ip = f.ip;
	}
	s->seg.data = NULL;
	s->seg.opt_raw = NULL;
	s->conn = x->conn;
	s->time = x->time;
	s->timer = x->timer;
	s->eng_first = first;
}

/* TOE_DIFF_TRACE_CONN=<id>: the connection to trace, -1 for none. */
static int trace_id(void)
{
	static int id = -2;

	if (id == -2) {
		const char *v = getenv("TOE_DIFF_TRACE_CONN");

		id = v && *v ? atoi(v) : -1;
	}
	return id;
}

/* Take everything the reference produced: frames, events, payload. */
static void collect(struct td *t, unsigned step, bool timer)
{
	struct toe_ref_out o;
	struct toe_ref_event e;
	const int trace_conn = trace_id();

	while (toe_ref_pop_out(t->r, &o)) {
		struct xframe *x = ring_push(&t->xtcp);
		uint8_t dmac[6];
		int n;
		char fl[8];

		if (trace_conn >= 0 && o.conn == trace_conn)
			printf("TRACE step %u t %llu ref out conn %d %s seq %u ack %u timer %d\n", step,
			       (unsigned long long)o.time, o.conn, toe_decode_flag_str(o.seg.flags, fl),
			       o.seg.seq, o.seg.ack, timer);
		td_mac_of(o.seg.dst_ip, dmac);
		n = toe_build_frame(x->b, sizeof(x->b), dmac, t->cfg.mac, &o.ip, &o.seg);
		assert_true(n > 0);
		x->n = (size_t)n;
		x->conn = o.conn;
		x->time = o.time;
		x->step = step;
		x->timer = timer;
	}
	while (toe_ref_pop_event(t->r, &e)) {
		struct xevent *x = ring_push(&t->xev);

		if (trace_conn >= 0 && e.conn == trace_conn)
			printf("TRACE step %u t %llu ref event %s conn %d\n", step,
			       (unsigned long long)e.time, toe_ref_event_name(e.type), e.conn);
		x->ev = e;
		x->ev.data = NULL;
		x->step = step;
		x->timer = timer;
		if (e.type == TOE_EV_RX_DATA) {
			struct xpay *p = ring_push(&t->xpay);

			p->conn = e.conn;
			p->len = e.len;
			p->data = malloc(e.len ? e.len : 1);
			assert_non_null(p->data);
			memcpy(p->data, e.data, e.len);
			p->step = step;
		}
	}
	if (toe_ref_conn_count(t->r) > t->st.max_conns)
		t->st.max_conns = toe_ref_conn_count(t->r);
	assert_int_equal(toe_ref_lost(t->r), 0);
}

/* The connection a deadline belongs to, by the id phase (top_dual.h:
 * every deadline of connection p is = p + C mod pass, unless a stimulus
 * was decided off its phase on purpose). */
static int tmr_owner(const struct td *t, uint64_t d)
{
	return (int)((d + t->pass - t->C % t->pass) % t->pass);
}

int td_timer_owner(const struct td *t, uint64_t d)
{
	return tmr_owner(t, d);
}

unsigned td_lag(const struct td *t)
{
	return lag(t);
}

/* Run the reference's timers with the earliest deadline d (and any other
 * at d), and note what the engine will do with it. */
static void fire_ref(struct td *t, uint64_t d)
{
	struct toe_ref_conn_info ci;
	size_t n0 = t->xtcp.n, e0 = t->xev.n, i;
	struct fired *f;
	int owner = tmr_owner(t, d);
	uint64_t ph;

	if (trace_id() >= 0)
		printf("TRACE fire_ref %llu at engine now %llu\n", (unsigned long long)d,
		       (unsigned long long)enow(t));
	toe_ref_advance(t->r, d);
	if (d > t->floor)
		t->floor = d;
	if (d > t->fired_max)
		t->fired_max = d;
	t->st.timers++;
	collect(t, 0, true);
	/* whose timer it was: what it sent or reported says (a deadline off
	 * its connection's phase is counted: it breaks the lag model) */
	for (i = n0; i < t->xtcp.n; i++) {
		const struct xframe *x = ring_at(&t->xtcp, i);

		if (x->conn >= 0)
			owner = x->conn;
	}
	for (i = e0; i < t->xev.n; i++) {
		const struct xevent *x = ring_at(&t->xev, i);

		if (x->ev.conn >= 0)
			owner = x->ev.conn;
	}
	if (owner != tmr_owner(t, d))
		t->st.tmr_offphase++;
	/* the reference ran it before anything decided from now on: so must
	 * the engine (the scan finds it when it next reads the owner's TCB,
	 * lag cycles after an on-phase deadline; its job takes a few) */
	f = &t->fired[t->nfired++ % FIRED_MAX];
	ph = ((uint64_t)owner + t->C + lag(t)) % t->pass;
	f->d = d;
	f->S = d + (ph + t->pass - d % t->pass) % t->pass;
	f->end = f->S + TD_WIN;
	f->owner = owner;
	f->del = toe_ref_conn_info(t->r, owner, &ci) != TOE_REF_OK;
	f->free_at = f->S + 1 + (f->del ? TD_TMR_BUSY_DEL : TD_TMR_BUSY_RTX);
}

/* The end + 1 of the latest window that covers T of a timer the reference
 * ran for a connection other than own (and other than also), 0 if none. */
static uint64_t other_window(const struct td *t, uint64_t T, int own, int also)
{
	uint64_t e = 0;
	unsigned i;

	for (i = 0; i < FIRED_MAX && i < t->nfired; i++) {
		const struct fired *f = &t->fired[(t->nfired - 1 - i) % FIRED_MAX];

		if (f->owner == own || f->owner == also)
			continue;
		if (f->d <= T && T <= f->end && f->end + 1 > e)
			e = f->end + 1;
	}
	return e;
}

/* The latest timer the reference ran for connection id whose window covers
 * T, or NULL. */
static const struct fired *own_window(const struct td *t, uint64_t T, int id)
{
	unsigned i;

	for (i = 0; i < FIRED_MAX && i < t->nfired; i++) {
		const struct fired *f = &t->fired[(t->nfired - 1 - i) % FIRED_MAX];

		if (f->owner == id && f->d <= T && T <= f->end)
			return f;
	}
	return NULL;
}

/* ---- comparing the engine's outputs ---- */

static bool is_l2(const uint8_t *b, size_t n)
{
	if (n < 14)
		return false;
	if (b[12] == 0x08 && b[13] == 0x06)
		return true;
	return n >= 24 && b[12] == 0x08 && b[13] == 0x00 && b[23] == TOE_IPPROTO_ICMP;
}

/* ---- reply latencies ---- */

static struct td_lat lat_total;

static const char *const rk_name[TD_RK_COUNT] = {
	"SYN-ACK to a SYN", "ACK to a SYN-ACK", "ACK to data / FIN", "ACK to an unacceptable ACK",
	"challenge ACK (to RST / SYN)", "RST, no connection", "RST to a bad segment",
	"FIN from close / shutdown", "RST from abort", "SYN from connect", "ARP reply",
	"ICMP echo reply", "other", "timer's frame (from deadline)",
};

unsigned td_lat_bound(int kind, bool own)
{
	unsigned b;

	switch (kind) {
	case TD_RK_SYNACK:
		b = TD_BOUND_SYN;
		break;
	case TD_RK_FIN_CMD:
	case TD_RK_RST_ABORT:
		b = TD_BOUND_CMD;
		break;
	case TD_RK_SYN_CONNECT:
		b = TD_BOUND_CONNECT;
		break;
	case TD_RK_ARP:
		return TD_LAT_ARP;
	case TD_RK_ICMP:
		return TD_LAT_ICMP;
	case TD_RK_TIMER:
		return TD_LAT_TMR_OUT + TD_TMR_QWAIT;
	default:
		b = TD_BOUND_SEG;
		break;
	}
	return b + (own ? TD_LAT_OWN_TMR : 0);
}

static int reply_kind(const struct stim *r, const uint8_t *b, size_t n, int conn)
{
	uint8_t fl;

	if (n >= 14 && b[12] == 0x08 && b[13] == 0x06)
		return TD_RK_ARP;
	if (is_l2(b, n))
		return TD_RK_ICMP;
	fl = n > 47 ? b[47] : 0;
	if (r->cmd) {
		if (fl & TOE_TCP_RST)
			return TD_RK_RST_ABORT;
		if (fl & TOE_TCP_SYN)
			return TD_RK_SYN_CONNECT;
		if (fl & TOE_TCP_FIN)
			return TD_RK_FIN_CMD;
		return TD_RK_OTHER;
	}
	if (!r->tcp)
		return TD_RK_OTHER;
	if ((fl & (TOE_TCP_SYN | TOE_TCP_ACK)) == (TOE_TCP_SYN | TOE_TCP_ACK))
		return TD_RK_SYNACK;
	if (fl & TOE_TCP_RST)
		return conn < 0 ? TD_RK_RST_NOCONN : TD_RK_RST_BAD;
	if (fl == TOE_TCP_ACK) {
		if ((r->flags & (TOE_TCP_SYN | TOE_TCP_ACK)) == (TOE_TCP_SYN | TOE_TCP_ACK))
			return TD_RK_ACK_SYNACK;
		if (r->flags & (TOE_TCP_SYN | TOE_TCP_RST))
			return TD_RK_CHALLENGE;
		if (r->len || (r->flags & TOE_TCP_FIN))
			return TD_RK_ACK_DATA;
		return TD_RK_ACK_OTHER;
	}
	return TD_RK_OTHER;
}

static void lat_add(struct td_lat *l, int kind, int own, uint64_t v)
{
	if (!l->n[kind][own] || v < l->min[kind][own])
		l->min[kind][own] = v;
	if (v > l->max[kind][own])
		l->max[kind][own] = v;
	l->n[kind][own]++;
}

/* The latency of a frame the engine sent (compared, expected x), against
 * its bound. */
static void lat_check(struct td *t, const struct xframe *x, const uint8_t *b, size_t n,
		      uint64_t first)
{
	const struct stim *r = &t->stim[x->step % STIM_MAX];
	uint64_t v, bound;
	int kind, own;

	if (x->timer) {
		/* deadline -> first beat: the lag model (one pass at most for a
		 * deadline off its connection's phase) */
		own = x->conn >= 0 && tmr_owner(t, x->time) != x->conn;
		kind = TD_RK_TIMER;
		v = first - x->time;
		bound = (own ? t->pass : lag(t)) + td_lat_bound(kind, false);
	} else {
		if (!x->step || r->step != x->step)
			return;
		own = r->own_tmr;
		kind = reply_kind(r, b, n, x->conn);
		v = first - r->in;
		bound = td_lat_bound(kind, own);
		/* an ARP / ICMP reply ready while another frame is on the
		 * wire goes right after it (whole-frame arbiter, toe_top) */
		if ((kind == TD_RK_ARP || kind == TD_RK_ICMP) && t->out_end > r->in + bound)
			bound = t->out_end - r->in;
	}
	lat_add(&t->lat, kind, own, v);
	if (v > bound) {
		char m[200];

		snprintf(m, sizeof(m), "reply latency: %s %llu cycles (%s%s), bound %llu",
			 rk_name[kind], (unsigned long long)v, x->timer ? "from the deadline" :
			 "from the stimulus's last beat / CMD write",
			 own ? (x->timer ? ", off-phase" : ", after its own timer") : "",
			 (unsigned long long)bound);
		diverge(t, x->step, m, x->b, x->n, b, n);
	}
}

void td_get_lat(const struct td *t, struct td_lat *l)
{
	*l = t->lat;
}

static void lat_sum(struct td_lat *s, const struct td_lat *l)
{
	int k, o;

	for (k = 0; k < TD_RK_COUNT; k++)
		for (o = 0; o < 2; o++) {
			if (!l->n[k][o])
				continue;
			if (!s->n[k][o] || l->min[k][o] < s->min[k][o])
				s->min[k][o] = l->min[k][o];
			if (l->max[k][o] > s->max[k][o])
				s->max[k][o] = l->max[k][o];
			s->n[k][o] += l->n[k][o];
		}
	if (l->walk_max > s->walk_max)
		s->walk_max = l->walk_max;
}

void td_lat_total(struct td_lat *l)
{
	*l = lat_total;
}

void td_print_lat(const struct td_lat *l, const char *title)
{
	int k, o;

	printf("%s: reply latency, cycles (last beat in / CMD write -> first beat out; "
	       "timer frames: deadline -> first beat, bound without the lag)\n", title);
	printf("    %-36s %-6s %8s %5s %5s %6s\n", "kind", "", "count", "min", "max", "bound");
	for (k = 0; k < TD_RK_COUNT; k++)
		for (o = 0; o < 2; o++) {
			if (!l->n[k][o])
				continue;
			printf("    %-36s %-6s %8llu %5llu %5llu %6u\n", rk_name[k],
			       o ? (k == TD_RK_TIMER ? "offph" : "+own") : "",
			       (unsigned long long)l->n[k][o], (unsigned long long)l->min[k][o],
			       (unsigned long long)l->max[k][o],
			       k == TD_RK_TIMER && o ? 0u : td_lat_bound(k, o));
		}
	printf("    largest option-walk overrun fed: %llu (TD_WALK_MAX %d)\n",
	       (unsigned long long)l->walk_max, TD_WALK_MAX);
	fflush(stdout);
}

static void cmp_frame(struct td *t, const uint8_t *b, size_t n, uint64_t first)
{
	struct ring *q = is_l2(b, n) ? &t->xl2 : &t->xtcp;
	struct xframe *x;

	if (q == &t->xtcp) {
		/* a timer the engine fired that the reference has not run
		 * yet: run it (deadline order) if it can have fired by now */
		while (!q->n) {
			uint64_t d = toe_ref_next_timer(t->r);

			if (d == UINT64_MAX || d + TD_LAG0 + TD_LAT_TMR_OUT > first)
				break;
			fire_ref(t, d);
		}
	}
	x = ring_front(q);
	if (!x)
		diverge(t, t->step, q == &t->xl2 ? "the engine sent an ARP/ICMP frame the "
			"reference did not" : "the engine sent a segment the reference did not",
			NULL, 0, b, n);
	if (x->n != n || memcmp(x->b, b, n) != 0) {
		t->dump_id = x->conn;
		diverge(t, x->step, "frames differ", x->b, x->n, b, n);
	}
	lat_check(t, x, b, n, first);
	t->out_end = first + (n + 7) / 8;
	if (q == &t->xtcp) {
		static const uint8_t kinds[] = {
			TOE_TCP_SYN, TOE_TCP_SYN | TOE_TCP_ACK, TOE_TCP_ACK, TOE_TCP_FIN | TOE_TCP_ACK,
			TOE_TCP_RST, TOE_TCP_RST | TOE_TCP_ACK,
		};
		unsigned k;

		seen_seg_add(t, x, first);
		t->st.frames_cmp++;
		for (k = 0; k < 6 && b[47] != kinds[k]; k++)
			;
		t->st.seg_kind[k]++;
		if (x->timer) {
			uint64_t l = first - x->time;

			if (!t->st.lag_min || l < t->st.lag_min)
				t->st.lag_min = l;
			if (l > t->st.lag_max)
				t->st.lag_max = l;
		}
	} else {
		t->st.l2_cmp++;
	}
	ring_pop(q);
}

static void cmp_payload(struct td *t, uint16_t conn, const uint8_t *b, size_t n)
{
	struct xpay *p = ring_front(&t->xpay);
	char m[160];

	if (!p) {
		snprintf(m, sizeof(m), "the engine delivered %zu payload bytes on conn %u, the "
			 "reference nothing", n, conn);
		diverge(t, t->step, m, NULL, 0, NULL, 0);
	}
	if (p->conn != conn || p->len != n || memcmp(p->data, b, n) != 0) {
		size_t i = 0;

		while (i < n && i < p->len && p->data[i] == b[i])
			i++;
		snprintf(m, sizeof(m), "payload differs: reference %u bytes on conn %d, engine "
			 "%zu bytes on conn %u (first difference at byte %zu)", p->len, p->conn,
			 n, conn, i);
		diverge(t, p->step, m, NULL, 0, NULL, 0);
	}
	t->st.payload_cmp++;
	t->st.payload_bytes += n;
	free(p->data);
	ring_pop(&t->xpay);
}

static void pump(struct td *t)
{
	static uint8_t b[16384];
	uint64_t first = 0;
	uint16_t conn = 0;
	size_t n;

	while ((n = toe_sim_pop_frame(t->s, b, sizeof(b), &first, NULL, NULL)) > 0)
		cmp_frame(t, b, n, first - t->off);
	while ((n = toe_sim_pop_payload(t->s, &conn, b, sizeof(b))) > 0)
		cmp_payload(t, conn, b, n);
}

static void seen_ev_add(struct td *t, const struct toe_ref_event *e)
{
	struct toe_ref_event *s;

	if (t->seen_ev.n >= SEEN_MAX)
		ring_pop(&t->seen_ev);
	s = ring_push(&t->seen_ev);
	*s = *e;
}

/* Pop the engine's events and compare them. */
static void pump_events(struct td *t)
{
	for (;;) {
		struct toe_drv_event de;
		int r = toe_drv_event_pop(&t->d, &de); /* EV_POP and EV_ARG */
		uint64_t at = enow(t); /* popped by now */
		uint32_t arg = de.arg;
		int type = de.type, conn = de.conn;
		struct xevent *x;
		char m[200];

		drv_ok(t, r, "event pop");
		if (r == 0)
			break;
		if (trace_id() >= 0)
			printf("TRACE engine event %s conn %d at %llu\n", toe_ref_event_name(type), conn,
			       (unsigned long long)at);
		while (!t->xev.n) {
			uint64_t d = toe_ref_next_timer(t->r);

			if (d == UINT64_MAX || d + TD_LAG0 + 4 > at)
				break;
			fire_ref(t, d);
		}
		x = ring_front(&t->xev);
		if (!x) {
			snprintf(m, sizeof(m), "the engine reported event %s on conn %d (arg %u), "
				 "the reference none", toe_ref_event_name(type), conn, arg);
			diverge(t, t->step, m, NULL, 0, NULL, 0);
		}
		if (x->ev.type != type || x->ev.conn != conn ||
		    (type == TOE_EV_RX_DATA && x->ev.len != arg)) {
			t->dump_id = x->ev.conn;
			snprintf(m, sizeof(m), "events differ: reference %s on conn %d (len %u), "
				 "engine %s on conn %d (arg %u)", toe_ref_event_name(x->ev.type),
				 x->ev.conn, x->ev.len, toe_ref_event_name(type), conn, arg);
			diverge(t, x->step, m, NULL, 0, NULL, 0);
		}
		seen_ev_add(t, &x->ev);
		t->st.events_cmp++;
		t->st.ev_type[type & 7]++;
		ring_pop(&t->xev);
	}
	if (rd(t, TOE_REG_EV_LOST) != 0)
		DIVERGE(t, t->step, "the engine's event FIFO overflowed (EV_LOST)");
}

/* ---- creation and calibration ---- */

static void wait_ready(struct td *t)
{
	uint32_t st = 0;
	int i;

	/* READY comes N_CONN cycles after reset (65536 at most) */
	for (i = 0; i < 1000; i++) {
		st = rd(t, TOE_REG_STATUS);
		if ((st & TOE_REG_STATUS_READY_MASK) && (st & TOE_REG_STATUS_TICK_OK_MASK))
			return;
		toe_sim_step(t->s, 100);
	}
	fail_msg("engine not ready (STATUS 0x%x)", st);
}

/* The reference's configuration, RTO_INIT aside, with CTRL untouched. */
static void write_cfg(struct td *t, uint64_t rto_init)
{
	struct toe_drv_cfg dc;

	toe_drv_cfg_from_ref(&dc, &t->cfg.ref, t->cfg.mac, 0);
	dc.rto_init = rto_init;
	drv_ok(t, toe_drv_cfg_write(&t->d, &dc, TOE_DRV_CFG_ADDR | TOE_DRV_CFG_IP |
				    TOE_DRV_CFG_CA_LIMIT | TOE_DRV_CFG_TIMERS |
				    TOE_DRV_CFG_ISN_KEY), "configuration");
}

/* v[]: SEGS_IN .. RETRANSMITS, MAC_BAD, RX_TOO_LONG, then PARSE_DROP(i)
 * at N_STAT_REGS + i (i >= 1) */
#define N_STAT_REGS 10

static void read_stats(struct td *t, uint64_t *v)
{
	struct toe_ref_stats rs;
	size_t i;

	drv_ok(t, toe_drv_stats_read(&t->d, &rs), "statistics");
	v[0] = rs.segs_in;
	v[1] = rs.segs_out;
	v[2] = rs.rst_out;
	v[3] = rs.challenge_acks;
	v[4] = rs.challenge_acks_suppressed;
	v[5] = rs.dropped;
	v[6] = rs.rx_bytes;
	v[7] = rs.retransmits;
	v[8] = rd64(t, TOE_REG_STAT_MAC_BAD);
	v[9] = rd64(t, TOE_REG_STAT_RX_TOO_LONG);
	for (i = 1; i < TOE_PERR_COUNT; i++)
		v[N_STAT_REGS + i] = rs.parse_drops[i];
}

/* CMD_STATUS once the command is done. */
static uint32_t cmd_wait(struct td *t)
{
	struct toe_drv_status st;
	int r = toe_drv_cmd_wait(&t->d, &st); /* at most 1000 reads */

	if (r == TOE_DRV_ETIMEDOUT)
		fail_msg("command still busy (CMD_STATUS 0x%08x)", st.raw);
	drv_ok(t, r, "command");
	return st.raw;
}

/*
 * Find the scanner's phase: one connection (id 0) with a SYN whose
 * retransmission the scanner fires; its first beat is TD_LAT_TMR_OUT
 * cycles after the scan cycle that found it due, which is = 0 + phi.
 * Then the connection is aborted (nothing is sent in SYN-SENT), the engine
 * disabled and enabled again (IP IDs restart), and the counters noted.
 */
static void calibrate(struct td *t)
{
	struct toe_drv_cmd c = { .op = TOE_CMD_CONNECT };
	uint8_t rmac[6], b[256];
	const uint32_t rip = 0x0AFFFFFE;
	uint64_t first = 0, T, d, deadline;
	uint32_t st;
	size_t n;
	int k = 0;

	td_mac_of(rip, rmac);
	wr(t, TOE_REG_CTRL, TOE_REG_CTRL_ENABLE_MASK);
	c.local_port = 1;
	c.remote_ip = rip;
	c.remote_port = 1;
	memcpy(c.remote_mac, rmac, 6);
	c.args = toe_drv_cmd_args_of(TOE_CMD_CONNECT);
	drv_ok(t, toe_drv_cmd_write_args(&t->d, &c), "calibration connect");
	T = enow(t) + TD_LAT_CMD;
	drv_ok(t, toe_drv_cmd_start(&t->d, TOE_CMD_CONNECT), "calibration connect");
	st = cmd_wait(t);
	assert_int_equal((st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT,
			 TOE_CMD_OK);
	assert_int_equal(st & TOE_REG_CMD_STATUS_RESULT_MASK, 0);
	deadline = T + (uint64_t)CAL_RTO_PASSES * t->pass;
	/* the SYN, then its retransmission */
	while (k < 2) {
		toe_sim_step(t->s, 16);
		while ((n = toe_sim_pop_frame(t->s, b, sizeof(b), &first, NULL, NULL)) > 0)
			k++;
		if (enow(t) > deadline + 3 * t->pass)
			fail_msg("calibration: no SYN retransmission");
	}
	d = first - t->off - TD_LAT_TMR_OUT;
	if (d < deadline || d >= deadline + t->pass)
		fail_msg("calibration: the SYN's retransmission at %llu, deadline %llu (the "
			 "connect decided at %llu?)", (unsigned long long)d,
			 (unsigned long long)deadline, (unsigned long long)T);
	t->phi = (uint32_t)(d % t->pass);
	/* what the argument registers hold now */
	t->w_lport = 1;
	t->w_rip = rip;
	t->w_rport = 1;
	t->w_conn = 0;
	t->C = (t->phi + t->pass - TD_LAG0) % t->pass;
	t->drift = 0;
	c.conn = 0;
	c.args = TOE_DRV_ARG_CONN;
	drv_ok(t, toe_drv_cmd_write_args(&t->d, &c), "calibration abort");
	drv_ok(t, toe_drv_cmd_start(&t->d, TOE_CMD_ABORT), "calibration abort");
	st = cmd_wait(t);
	assert_int_equal((st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT,
			 TOE_CMD_OK);
	wr(t, TOE_REG_CTRL, 0);
	wr64(t, TOE_REG_RTO_INIT, t->cfg.ref.rto_init);
	wr(t, TOE_REG_CTRL, TOE_REG_CTRL_ENABLE_MASK | TOE_REG_CTRL_ARP_EN_MASK |
				TOE_REG_CTRL_PING_EN_MASK);
	toe_sim_step(t->s, 64);
	if (toe_sim_pop_frame(t->s, b, sizeof(b), NULL, NULL, NULL))
		fail_msg("calibration: a frame after the abort");
	for (k = 0; k < 16 && (rd(t, TOE_REG_EV_POP) & TOE_REG_EV_POP_VALID_MASK); k++)
		;
	assert_true(k < 16);
}

struct td *td_new(const struct td_cfg *c)
{
	struct toe_sim_opts o;
	struct td *t = calloc(1, sizeof(*t));
	uint32_t v;

	assert_non_null(t);
	t->cfg = *c;
	if (!t->cfg.gap)
		t->cfg.gap = 12;
	memset(&o, 0, sizeof(o));
	o.seed = c->seed;
	t->s = toe_sim_create(&o);
	assert_non_null(t->s);
	toe_sim_drv_init(&t->d, t->s, 2);
	t->d.cmd_polls = 1000;
	t->d.ev_words = 2;
	t->off = toe_sim_cycle(t->s) - toe_sim_engine_now(t->s);
	ring_init(&t->xtcp, sizeof(struct xframe));
	ring_init(&t->xl2, sizeof(struct xframe));
	ring_init(&t->xev, sizeof(struct xevent));
	ring_init(&t->xpay, sizeof(struct xpay));
	ring_init(&t->seen_seg, sizeof(struct td_seen_seg));
	ring_init(&t->seen_ev, sizeof(struct toe_ref_event));
	wait_ready(t);
	v = rd(t, TOE_REG_BUILD_MISC);
	t->pass = 1u << TOE_FIELD_GET(TOE_REG_BUILD_MISC_CONN_LOG2, v);
	t->rx_max = (size_t)8 << TOE_FIELD_GET(TOE_REG_BUILD_MISC_PAY_BUF_LOG2, v);
	if (c->max_conns) {
		/* fewer ids than the build has: the scan pass shrinks with them */
		assert_true(c->max_conns <= t->pass && (c->max_conns & (c->max_conns - 1)) == 0);
		wr(t, TOE_REG_MAX_CONNS, c->max_conns);
		t->pass = c->max_conns;
	}
	v = rd(t, TOE_REG_BUILD_CONN);
	t->n_listen = TOE_FIELD_GET(TOE_REG_BUILD_CONN_N_LISTEN, v);
	t->cfg.ref.max_conns = t->pass;
	t->cfg.ref.max_listeners = t->n_listen;
	/* the rules at the top of top_dual.h */
	assert_int_equal(t->cfg.ref.rto_init % t->pass, 0);
	assert_int_equal(t->cfg.ref.rto_max % t->pass, 0);
	assert_int_equal((2 * t->cfg.ref.msl) % t->pass, 0);
	wr(t, TOE_REG_TICK_HZ, (uint32_t)t->cfg.ref.tick_hz);
	wait_ready(t);
	write_cfg(t, (uint64_t)CAL_RTO_PASSES * t->pass);
	calibrate(t);
	read_stats(t, t->base);
	t->r = toe_ref_new(&t->cfg.ref);
	assert_non_null(t->r);
	t->user_ready = true;
	t->dump_id = -1;
	t->floor = 0;
	t->last_T = enow(t);
	t->core_free = enow(t);
	t->wire_free = enow(t);
	return t;
}

void td_free(struct td *t)
{
	if (!t)
		return;
	td_sync(t);
	lat_sum(&lat_total, &t->lat);
	toe_sim_destroy(t->s);
	toe_ref_free(t->r);
	while (t->xpay.n) {
		free(((struct xpay *)ring_front(&t->xpay))->data);
		ring_pop(&t->xpay);
	}
	ring_free(&t->xtcp);
	ring_free(&t->xl2);
	ring_free(&t->xev);
	ring_free(&t->xpay);
	ring_free(&t->seen_seg);
	ring_free(&t->seen_ev);
	free(t);
}

struct toe_ref *td_ref(struct td *t)
{
	return t->r;
}

struct toe_sim *td_sim(struct td *t)
{
	return t->s;
}

const struct td_cfg *td_config(const struct td *t)
{
	return &t->cfg;
}

uint64_t td_now(const struct td *t)
{
	return t->floor;
}

uint64_t td_engine_now(const struct td *t)
{
	return enow(t);
}

uint64_t td_last_decision(const struct td *t)
{
	return t->last_T;
}

bool td_last_own_timer(const struct td *t)
{
	const struct stim *r = &t->stim[t->step % STIM_MAX];

	return r->step == t->step && r->own_tmr;
}

unsigned td_pass(const struct td *t)
{
	return t->pass;
}

void td_get_stats(const struct td *t, struct td_stats *s)
{
	*s = t->st;
	s->cycles = toe_sim_cycle(t->s);
}

/* ---- planning ---- */

int td_lowest_free(const struct td *t, int also_free)
{
	struct toe_ref_conn_info ci;
	unsigned i;

	for (i = 0; i < t->pass; i++)
		if ((int)i == also_free || toe_ref_conn_info(t->r, (int)i, &ci) != TOE_REF_OK)
			return (int)i;
	return -1;
}

/* Which connection id a good segment concerns (finds or creates), -1 for
 * none: the reference's lookup and LISTEN / TIME-WAIT rules. */
static int bind_seg(const struct td *t, const struct toe_seg *s)
{
	struct toe_ref_conn_info ci;
	int id;

	if (s->dst_ip != t->cfg.ref.local_ip)
		return -1;
	id = toe_ref_find(t->r, s->dst_ip, s->dst_port, s->src_ip, s->src_port);
	if (id >= 0) {
		assert_int_equal(toe_ref_conn_info(t->r, id, &ci), TOE_REF_OK);
		/* TW-04: a SYN that reopens from TIME-WAIT gets a new id */
		if (ci.state == TOE_ST_TIME_WAIT && !(s->flags & (TOE_TCP_RST | TOE_TCP_ACK)) &&
		    (s->flags & TOE_TCP_SYN) && TOE_SEQ_GT(s->seq, ci.rcv_nxt) &&
		    t->listening[s->dst_port])
			return td_lowest_free(t, id);
		return id;
	}
	if (t->listening[s->dst_port] && !(s->flags & (TOE_TCP_RST | TOE_TCP_ACK)) &&
	    (s->flags & TOE_TCP_SYN))
		return td_lowest_free(t, -1);
	return -1;
}

enum bind_kind { B_NONE, B_SEG, B_ID, B_NEW };

struct binder {
	int kind;
	const struct toe_seg *seg;
	int id;
};

static int bind_eval(const struct td *t, const struct binder *b)
{
	switch (b->kind) {
	case B_SEG:
		return bind_seg(t, b->seg);
	case B_ID: {
		struct toe_ref_conn_info ci;

		return toe_ref_conn_info(t->r, b->id, &ci) == TOE_REF_OK ? b->id : -1;
	}
	case B_NEW:
		return td_lowest_free(t, -1);
	default:
		return -1;
	}
}

/* The connection whose TCB the engine's job for this stimulus reads (the
 * one it finds, or the command's id), -1 for none: the one whose due timer
 * the job runs first. */
static int bind_found(const struct td *t, const struct binder *b)
{
	struct toe_ref_conn_info ci;
	const struct toe_seg *s = b->seg;

	switch (b->kind) {
	case B_SEG:
		if (s->dst_ip != t->cfg.ref.local_ip)
			return -1;
		return toe_ref_find(t->r, s->dst_ip, s->dst_port, s->src_ip, s->src_port);
	case B_ID:
		return toe_ref_conn_info(t->r, b->id, &ci) == TOE_REF_OK ? b->id : -1;
	default:
		return -1;
	}
}

static uint64_t at_res(const struct td *t, uint64_t T0, int id)
{
	uint64_t res = ((uint64_t)id + t->C) % t->pass;

	return T0 + (res + t->pass - T0 % t->pass) % t->pass;
}

uint64_t td_next_slot(const struct td *t, int id, unsigned lat)
{
	uint64_t T0 = enow(t) + lat + 1, T, d = toe_ref_next_timer(t->r);

	if (T0 < t->last_T + t->cfg.gap)
		T0 = t->last_T + t->cfg.gap;
	if (T0 < t->core_free)
		T0 = t->core_free;
	if (T0 < t->wire_free + lat)
		T0 = t->wire_free + lat;
	if (T0 < t->floor + 1)
		T0 = t->floor + 1;
	for (;;) {
		uint64_t e = other_window(t, T0, id, -1);

		if (!e)
			break;
		T0 = e;
	}
	T = id >= 0 ? at_res(t, T0, id) : T0;
	/* the next timer's window (later timers are not known yet), unless it
	 * is id's own */
	if (d <= T && d + lag(t) + TD_WIN >= T && (id < 0 || tmr_owner(t, d) != id))
		T = id >= 0 ? at_res(t, d + lag(t) + TD_WIN + 1, id) : d + lag(t) + TD_WIN + 1;
	return T;
}

int td_bind_seg(const struct td *t, const struct toe_seg *s)
{
	return bind_seg(t, s);
}

/* Earliest decision time >= T0 obeying the id phase and the timer windows
 * of other connections (a timer of the connection the stimulus finds stays:
 * the engine's job runs it first, as the reference does); runs the
 * reference's timers that fall before it. exact: T0 itself. *own_tmr: a
 * timer of the stimulus's connection ran within its window. */
static uint64_t plan(struct td *t, uint64_t T0, const struct binder *b, bool exact,
		     bool *own_tmr)
{
	int kept = -1; /* the connection whose own timer was kept */

	if (own_tmr)
		*own_tmr = false;
	if (T0 < t->floor + 1)
		T0 = t->floor + 1;
	for (;;) {
		int id = exact ? -1 : bind_eval(t, b);
		int own = bind_found(t, b);
		uint64_t T = id >= 0 ? at_res(t, T0, id) : T0;
		uint64_t d = toe_ref_next_timer(t->r), e;

		/* a window of another connection's timer the reference ran */
		if (!exact && (e = other_window(t, T, own, kept)) != 0) {
			T0 = e;
			t->st.moved++;
			continue;
		}
		if (d <= T) {
			if (!exact && d + lag(t) + TD_WIN >= T) {
				/* (after the scan found it, the job holds the
				 * core: only aimed stimuli model that) */
				if (own < 0 || tmr_owner(t, d) != own || T > d + lag(t)) {
					T0 = d + lag(t) + TD_WIN + 1;
					t->st.moved++;
					continue;
				}
				/* its own: decided where it falls */
				kept = own;
				t->st.own_kept++;
			}
			fire_ref(t, d);
			/* never before a timer the reference ran (a new
			 * binding, the timer may free an id, could bring the
			 * decision back: then other_window decides) */
			if (T0 < d)
				T0 = d;
			continue;
		}
		if (exact && T != T0)
			fail_msg("harness: exact time %llu not possible", (unsigned long long)T0);
		if (own_tmr) {
			if (kept >= 0)
				*own_tmr = true;
			else if (own >= 0 && own_window(t, T, own))
				*own_tmr = true;
		}
		return T;
	}
}

static uint64_t earliest(const struct td *t, uint64_t lead)
{
	uint64_t T0 = enow(t) + lead;

	if (T0 < t->last_T + t->cfg.gap)
		T0 = t->last_T + t->cfg.gap;
	if (T0 < t->core_free)
		T0 = t->core_free;
	if (T0 < t->floor + 1)
		T0 = t->floor + 1;
	return T0;
}

/*
 * An aimed stimulus (td_frame_aim, td_cmd_aim): it reaches the core at A,
 * next to a timer of the connection it finds (own). Runs the reference's
 * timers up to A; refuses (false) if A is too early or lies in the window
 * of another connection's timer, or if the own timer's job could not be
 * timed (the core busy when it would start). The decision: A, or the first
 * cycle the own timer's job leaves the core if A falls inside it.
 */
static bool aim_plan(struct td *t, uint64_t A, uint64_t lead, int own, uint64_t *Tp,
		     bool *own_tmr)
{
	const struct fired *f;
	uint64_t T = A, d;
	int pass;

	*own_tmr = false;
	if (A < earliest(t, lead) || own < 0)
		return false;
	for (pass = 0; pass < 2; pass++) {
		while ((d = toe_ref_next_timer(t->r)) <= T) {
			if (tmr_owner(t, d) != own && d + lag(t) + TD_WIN >= T)
				return false;
			fire_ref(t, d);
		}
		if (other_window(t, T, own, -1))
			return false;
		f = own_window(t, T, own);
		if (!f)
			break;
		*own_tmr = true;
		if (pass == 0 && A > f->S && A < f->free_at) {
			/* the job took the core in S + 1 (if it was free) */
			if (t->core_free > f->S + 1)
				return false;
			T = f->free_at;
		}
	}
	*Tp = T;
	return true;
}

/* ---- frames ---- */

size_t td_build(const struct td *t, uint8_t *buf, size_t cap, const struct toe_seg *s)
{
	struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true, .id = 0x4242 };
	uint8_t smac[6];
	int n;

	td_mac_of(s->src_ip, smac);
	n = toe_build_frame(buf, cap, t->cfg.mac, smac, &ip, s);
	assert_true(n > 0);
	return (size_t)n;
}

static void expect_l2(struct td *t, const uint8_t *f, size_t n, unsigned step)
{
	struct xframe *x;
	uint8_t out[TOE_L2_MAX_FRAME + 64];
	int r;

	r = toe_ref_arp_reply(f, n, t->cfg.mac, t->cfg.ref.local_ip, out, sizeof(out));
	if (r <= 0) {
		r = toe_ref_icmp_reply(f, n, t->cfg.mac, t->cfg.ref.local_ip, out, sizeof(out),
				       t->cfg.ref.ttl,
				       (uint16_t)(t->cfg.ref.ip_id_init +
						  t->icmp_n * t->cfg.ref.ip_id_step));
		if (r > 0)
			t->icmp_n++;
	}
	if (r <= 0)
		return;
	x = ring_push(&t->xl2);
	memcpy(x->b, out, (size_t)r);
	x->n = (size_t)r;
	x->conn = -1;
	x->time = 0;
	x->step = step;
	x->timer = false;
}

/*
 * When the receive parser finalises a frame (its fin_now cycle), counted
 * from the frame's first beat (beat k taken in cycle k, no stalls): the
 * cycle after the last beat, unless its TCP option walker (one option per
 * cycle, up to 4 NOPs at once, rtl/toe_rx_parse.v) is still running. The
 * header reaches the core 2 cycles later; the next frame's first beat can
 * be taken in that cycle at the earliest. A model of the walker's timing:
 * the option bytes' summaries become valid in the cycle after the beat
 * that brings an option's length byte (its kind byte for the list's last
 * byte); bytes past the frame in its last beat read as 0. A walk that waits
 * for a position the frame does not have (option bytes missing: an earlier
 * check fails) is seen blocked one cycle later, and the frame is finalised
 * then (rtl/toe_rx_parse.v, wblk_reg: "It costs such a frame one cycle").
 */
static unsigned parse_fin_rel(const uint8_t *f, size_t n)
{
	enum { NEVER = 1u << 30 };
	uint8_t b[2048 + 16];
	unsigned nb = (unsigned)((n + 7) / 8), L = nb - 1;
	unsigned ihl, T, tb, s, b12, doff, optlen, pos, c, wp = 0;
	unsigned vfrom[64], nxt[64];
	bool nop[64], eol[64], bad[64], lastopt[64], wdone = false;

	memset(b, 0, sizeof(b));
	/* the headers lie in the first 14 + 60 + 60 bytes */
	memcpy(b, f, n < 2048 ? n : 2048);
	ihl = b[14] & 15u;
	if (ihl < 5)
		ihl = 5;
	T = 14 + 4 * ihl;
	tb = T / 8;
	s = T % 8;
	b12 = tb + (s + 12) / 8;
	if (nb < 2 || b12 > L)
		return L + 1; /* no data offset: no walk */
	doff = b[T + 12] >> 4;
	optlen = doff >= 5 ? 4 * doff - 20 : 0;
	for (pos = 0; pos < 64; pos++) {
		unsigned ev;
		uint8_t kind = b[T + 20 + pos], len;
		bool last = pos + 1 == optlen;

		vfrom[pos] = NEVER;
		if (pos >= optlen)
			continue;
		ev = last ? tb + (s + 20 + pos) / 8 : tb + (s + 20 + pos + 1) / 8;
		if (ev <= L)
			vfrom[pos] = ev + 1;
		len = b[T + 20 + pos + 1];
		nop[pos] = kind == 1;
		eol[pos] = kind == 0;
		bad[pos] = !nop[pos] && !eol[pos] &&
			   (last || len < 2 || len > optlen - pos ||
			    (kind == 2 && len != 4) || (kind == 3 && len != 3) ||
			    (kind == 4 && len != 2) || (kind == 8 && len != 10));
		nxt[pos] = (pos + (len & 63u)) & 63u;
		lastopt[pos] = nxt[pos] >= optlen;
	}
	for (c = b12 + 1;; c++) {
		bool found = false, blocked = false, end = false;
		unsigned k, kk = 0;

		for (k = 0; k < 4 && !found && !blocked; k++) {
			unsigned p = wp + k;

			if (p >= optlen) {
				found = true;
				end = true;
			} else if (c < vfrom[p]) {
				blocked = true;
			} else if (!nop[p]) {
				found = true;
				kk = k;
			}
		}
		/* a walk blocked for good (option bytes missing from the
		 * frame) is seen the cycle after (the parser's wblk_reg) */
		if (c >= L + 1 && wdone)
			return c;
		if (c >= L + 1 && blocked)
			return c + 1;
		if (wdone || blocked)
			continue;
		if (!found) {
			wp += 4;
			wdone = wp >= optlen;
		} else if (end || eol[wp + kk]) {
			wdone = true;
		} else if (bad[wp + kk]) {
			wdone = true;
		} else {
			unsigned p = wp + kk;

			wp = nxt[p];
			wdone = lastopt[p];
		}
		assert_true(c < L + 200);
	}
}

unsigned td_parse_fin(const uint8_t *f, size_t n)
{
	return parse_fin_rel(f, n);
}

/* First beat -> core take for a SYN's hash: TD_LAT_SYN when its ports
 * are in beat 4 (IHL 5), a cycle more for each beat IPv4 options move them
 * (toe_top_seg starts the hash at beat (17 + 4 * IHL) / 8). */
static unsigned syn_hash_lat(const uint8_t *f)
{
	unsigned pb = (17u + 4u * (f[14] & 15u)) / 8u;

	return TD_LAT_SYN + (pb > 4 ? pb - 4 : 0);
}

/* First beat -> core take (see top_dual.h); syn: a good SYN without ACK. */
static unsigned decision_lat(const uint8_t *f, size_t n, bool syn)
{
	unsigned lat = parse_fin_rel(f, n) + 2;

	if (syn) {
		if (lat < syn_hash_lat(f))
			lat = syn_hash_lat(f);
		lat += TD_LAT_SYN_HOLD;
	}
	return lat;
}

unsigned td_decision_latency(const uint8_t *f, size_t n)
{
	struct toe_frame pf;

	return decision_lat(f, n, toe_parse_frame(f, n, &pf) == TOE_PARSE_OK &&
				  (pf.seg.flags & TOE_TCP_SYN) && !(pf.seg.flags & TOE_TCP_ACK));
}

/* A stimulus's record for the reply latencies. */
static void stim_note(struct td *t, bool cmd, int op, const struct toe_frame *pf, bool tcp,
		      uint64_t in, uint64_t T, bool own_tmr)
{
	struct stim *r = &t->stim[t->step % STIM_MAX];

	memset(r, 0, sizeof(*r));
	r->step = t->step;
	r->cmd = cmd;
	r->op = op;
	r->tcp = tcp;
	if (tcp) {
		r->flags = pf->seg.flags;
		r->len = pf->seg.len;
	}
	r->in = in;
	r->T = T;
	r->own_tmr = own_tmr;
}

enum { M_PLAN, M_EXACT, M_AIM };

/*
 * The payload packet the parser makes of a frame that looks like a TCP
 * segment where its payload begins (rtl/toe_rx_parse.v), in beats, from the
 * bytes the engine takes (a frame over td_rx_max is cut there): 0 if none.
 * The payload gate (rtl/toe_pay_gate.v) delivers or throws a packet away a
 * beat per cycle from its decision on, and the core's payload decisions
 * wait for it; the harness spaces stimuli after a packet longer than
 * GATE_LONG beats by its length (shorter ones the gate's queues absorb, as
 * the random run's 1460-byte payloads show). Found with frames over the
 * engine's limit: a cut frame's ~505 beats, thrown away, delayed the ACKs
 * of the data segments after it past their bound.
 */
#define GATE_LONG 200
static unsigned pay_beats(const uint8_t *f, size_t n)
{
	size_t ihl, doff;

	if (n < 34 || f[12] != 0x08 || f[13] != 0x00 || f[23] != TOE_IPPROTO_TCP)
		return 0;
	ihl = (size_t)(f[14] & 15u) * 4;
	if (ihl < 20 || 14 + ihl + 13 > n)
		return 0;
	doff = (size_t)(f[14 + ihl + 12] >> 4) * 4;
	if (doff < 20 || 14 + ihl + doff >= n)
		return 0;
	return (unsigned)((n - 14 - ihl - doff + 7) / 8);
}

static uint64_t do_frame(struct td *t, const uint8_t *f, size_t n, bool bad, uint64_t not_before,
			 int mode)
{
	const bool exact = mode == M_EXACT;
	bool own_tmr = false;
	struct toe_frame pf;
	struct binder b = { .kind = B_NONE };
	int pr = toe_parse_frame(f, n, &pf);
	/* longer than the engine's payload buffer: cut by the engine like a
	 * MAC's over-long frame (flagged bad, the rest taken and thrown
	 * away, STAT_RX_TOO_LONG and STAT_MAC_BAD), so the reference, which
	 * has no frame length limit, never sees it (top_dual.h) */
	const bool cut = n > t->rx_max;
	bool good = pr == TOE_PARSE_OK && !bad && !cut;
	bool syn = good && (pf.seg.flags & TOE_TCP_SYN) && !(pf.seg.flags & TOE_TCP_ACK);
	uint64_t lat, T, P, fin, A;
	char fl[8];

	assert_true(n > 0 && n <= TD_FRAME_MAX);
	if (cut)
		bad = true;
	fin = parse_fin_rel(f, n);
	if (cut)
		fin = (n + 7) / 8; /* the cut frame's walk ends long before */
	lat = decision_lat(f, n, syn);
	if (cut)
		lat = fin + 2;
	if (fin > (n + 7) / 8 && fin - (n + 7) / 8 > t->lat.walk_max)
		t->lat.walk_max = fin - (n + 7) / 8;
	if (good) {
		b.kind = B_SEG;
		b.seg = &pf.seg;
	}
	if (mode == M_AIM) {
		/* reaches the core at not_before; decided there or when the
		 * own timer's job lets it in */
		if (!good || not_before < t->wire_free + lat ||
		    !aim_plan(t, not_before, lat, bind_found(t, &b), &T, &own_tmr))
			return 0;
		A = not_before;
	} else {
		T = earliest(t, lat);
		if (T < t->wire_free + lat)
			T = t->wire_free + lat;
		if (exact) {
			if (not_before < T)
				fail_msg("harness: frame at %llu too early (earliest %llu)",
					 (unsigned long long)not_before, (unsigned long long)T);
			T = not_before;
		} else if (T < not_before) {
			T = not_before;
		}
		T = plan(t, T, &b, exact, &own_tmr);
		A = T;
	}
	P = A - lat;
	t->step++;
	if (pr == TOE_PARSE_OK)
		hist_add(t, bad ? H_BAD : H_FRAME, T, f, n, "%sframe %zu bytes %u>%u %s seq %u ack %u "
			 "len %u", cut ? "too long " : bad ? "MAC-bad " : "", n, pf.seg.src_port, pf.seg.dst_port,
			 toe_decode_flag_str(pf.seg.flags, fl), pf.seg.seq, pf.seg.ack, pf.seg.len);
	else
		hist_add(t, bad ? H_BAD : H_FRAME, T, f, n, "%sframe %zu bytes, not TCP (%s)",
			 cut ? "too long " : bad ? "MAC-bad " : "", n, toe_parse_result_name(pr));
	step_to(t, P);
	if (toe_sim_rx_pending(t->s))
		DIVERGE(t, t->step, "the engine did not take the previous frame at one beat per "
			"cycle (receive queue still busy at %llu, user ready %d)",
			(unsigned long long)P, t->user_ready);
	assert_int_equal(toe_sim_push_frame(t->s, f, n, bad), 0);
	stim_note(t, false, 0, &pf, pr == TOE_PARSE_OK, P + (n + 7) / 8 - 1, T, own_tmr);
	t->wire_free = P + fin;
	t->last_T = T;
	/* (+2 cycles per timer the job runs first, +2 for a reopen) */
	if (t->core_free < T + BUSY_SEG + (own_tmr ? 4 : 0))
		t->core_free = T + BUSY_SEG + (own_tmr ? 4 : 0);
	/* a long payload packet holds the payload gate (it is delivered or
	 * thrown away from its decision on, a beat per cycle), and the core's
	 * next payload decisions wait for the gate: keep the pipeline idle */
	{
		unsigned pb = pay_beats(f, n < t->rx_max ? n : t->rx_max);

		if (pb > GATE_LONG && t->core_free < T + pb)
			t->core_free = T + pb;
	}
	t->st.steps++;
	t->st.frames_in++;
	if (bad) {
		t->mac_bad++;
		t->too_long += cut;
	} else {
		if (pr == TOE_PARSE_OK)
			t->st.tcp_frames_in++;
		toe_ref_input_frame(t->r, f, n, T);
		if (T > t->floor)
			t->floor = T;
		collect(t, t->step, false);
		expect_l2(t, f, n, t->step);
		if (t->xl2.n) {
			/* an L2 reply holds the transmit side for its length:
			 * keep the core's outputs from piling up behind it */
			struct xframe *x = (struct xframe *)t->xl2.buf +
					   ((t->xl2.head + t->xl2.n - 1) % t->xl2.cap);
			uint64_t busy = T + 64 + x->n / 8;

			if (x->step == t->step && t->core_free < busy)
				t->core_free = busy;
		}
	}
	return T;
}

uint64_t td_frame_at(struct td *t, const uint8_t *f, size_t n, uint64_t not_before)
{
	return do_frame(t, f, n, false, not_before, M_PLAN);
}

uint64_t td_frame(struct td *t, const uint8_t *f, size_t n)
{
	return do_frame(t, f, n, false, 0, M_PLAN);
}

uint64_t td_frame_bad(struct td *t, const uint8_t *f, size_t n)
{
	return do_frame(t, f, n, true, 0, M_PLAN);
}

uint64_t td_frame_exact(struct td *t, const uint8_t *f, size_t n, uint64_t T)
{
	return do_frame(t, f, n, false, T, M_EXACT);
}

uint64_t td_frame_aim(struct td *t, const uint8_t *f, size_t n, uint64_t A)
{
	return do_frame(t, f, n, false, A, M_AIM);
}

size_t td_rx_max(const struct td *t)
{
	return t->rx_max;
}

uint64_t td_seg(struct td *t, const struct toe_seg *s)
{
	uint8_t b[TD_FRAME_MAX];
	size_t n = td_build(t, b, sizeof(b), s);

	return td_frame(t, b, n);
}

/* ---- commands ---- */

static int cmd_err_of(int ref)
{
	return ref >= 0 ? TOE_CMD_OK : -ref;
}

/* Write CMD = op reaching the core at A, decided at T (planned), then the
 * reference call; returns CMD_STATUS. */
static uint32_t run_cmd(struct td *t, int op, uint64_t A, uint64_t T, uint64_t busy, bool own_tmr)
{
	step_to(t, A - TD_LAT_CMD);
	stim_note(t, true, op, NULL, false, A - TD_LAT_CMD, T, own_tmr);
	drv_ok(t, toe_drv_cmd_start(&t->d, (unsigned)op), "command");
	t->last_T = T;
	if (t->core_free < T + busy)
		t->core_free = T + busy;
	if (T > t->floor)
		t->floor = T;
	return cmd_wait(t);
}

/* Both sides' view of a connection id, for a divergence report. */
static void dump_conn(struct td *t, int id)
{
	static const uint32_t regs[] = {
		TOE_REG_CONN_STATE, TOE_REG_CONN_PORTS, TOE_REG_CONN_REMOTE_IP,
		TOE_REG_CONN_ISS, TOE_REG_CONN_IRS, TOE_REG_CONN_RCV_NXT,
	};
	struct toe_ref_conn_info ci;
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	size_t i;

	if (toe_ref_conn_info(t->r, id, &ci) == TOE_REF_OK)
		printf("  conn %d in the reference: %s %u -> %u.%u.%u.%u:%u iss %u irs %u una %u "
		       "nxt %u rcv %u\n", id, toe_tcp_state_name(ci.state), ci.local_port,
		       ci.remote_ip >> 24, (ci.remote_ip >> 16) & 255, (ci.remote_ip >> 8) & 255,
		       ci.remote_ip & 255, ci.remote_port, ci.iss, ci.irs, ci.snd_una, ci.snd_nxt,
		       ci.rcv_nxt);
	else
		printf("  conn %d in the reference: free\n", id);
	drv_ok(t, toe_drv_conn_select(&t->d, (uint32_t)id), "read-out");
	t->drift++;
	memset(w, 0, sizeof(w));
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		drv_ok(t, toe_drv_conn_read(&t->d, TOE_DRV_CONN_WORD(regs[i]), 1, w),
		       "read-out");
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	printf("  conn %d in the engine: %s, ports 0x%08x, remote %08x, iss %u irs %u rcv %u\n",
	       id, toe_tcp_state_name(c.state), w[TOE_DRV_CONN_WORD(TOE_REG_CONN_PORTS)],
	       c.remote_ip, c.iss, c.irs, c.rcv_nxt);
}

static void cmd_check(struct td *t, const char *name, uint32_t st, int ref, bool result)
{
	int err = (int)((st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT);
	char m[160];

	if (err != cmd_err_of(ref) ||
	    (result && ref >= 0 && (int)(st & TOE_REG_CMD_STATUS_RESULT_MASK) != ref)) {
		snprintf(m, sizeof(m), "%s: reference %d (%s), engine ERR %d RESULT %u", name, ref,
			 ref < 0 ? toe_ref_strerror(ref) : "ok", err,
			 st & TOE_REG_CMD_STATUS_RESULT_MASK);
		if (result && ref >= 0) {
			dump_conn(t, ref);
			dump_conn(t, (int)(st & TOE_REG_CMD_STATUS_RESULT_MASK));
		}
		diverge(t, t->step, m, NULL, 0, NULL, 0);
	}
}

static int do_listen(struct td *t, uint16_t port, bool on)
{
	uint64_t T;
	uint32_t st;
	int ref;

	if (t->w_lport != port) {
		struct toe_drv_cmd c = {
			.args = TOE_DRV_ARG_LOCAL_PORT,
			.local_port = port,
		};

		drv_ok(t, toe_drv_cmd_write_args(&t->d, &c), "listen");
		t->w_lport = port;
	}
	T = plan(t, earliest(t, TD_LAT_CMD + 1), &(struct binder){ .kind = B_NONE }, false, NULL);
	t->step++;
	t->st.steps++;
	t->st.cmds++;
	hist_add(t, H_CMD, T, NULL, 0, "%s port %u", on ? "listen" : "unlisten", port);
	st = run_cmd(t, on ? TOE_CMD_LISTEN : TOE_CMD_UNLISTEN, T, T, BUSY_CMD, false);
	ref = on ? toe_ref_listen(t->r, port) : toe_ref_unlisten(t->r, port);
	if (ref == TOE_REF_OK)
		t->listening[port] = on;
	collect(t, t->step, false);
	cmd_check(t, on ? "listen" : "unlisten", st, ref, false);
	return ref;
}

int td_listen(struct td *t, uint16_t port)
{
	return do_listen(t, port, true);
}

int td_unlisten(struct td *t, uint16_t port)
{
	return do_listen(t, port, false);
}

int td_connect(struct td *t, uint16_t lport, uint32_t rip, uint16_t rport)
{
	struct toe_drv_cmd c = { .op = TOE_CMD_CONNECT };
	uint8_t m[6];
	uint64_t T;
	uint32_t st;
	int ref;

	td_mac_of(rip, m);
	/* only the argument registers that change */
	c.local_port = lport;
	c.remote_ip = rip;
	c.remote_port = rport;
	memcpy(c.remote_mac, m, 6);
	if (t->w_lport != lport)
		c.args |= TOE_DRV_ARG_LOCAL_PORT;
	if (t->w_rip != rip)
		c.args |= TOE_DRV_ARG_REMOTE_IP | TOE_DRV_ARG_REMOTE_MAC;
	if (t->w_rport != rport)
		c.args |= TOE_DRV_ARG_REMOTE_PORT;
	drv_ok(t, toe_drv_cmd_write_args(&t->d, &c), "connect");
	t->w_lport = lport;
	t->w_rip = rip;
	t->w_rport = rport;
	T = plan(t, earliest(t, TD_LAT_CMD + 1), &(struct binder){ .kind = B_NEW }, false, NULL);
	t->step++;
	t->st.steps++;
	t->st.cmds++;
	hist_add(t, H_CMD, T, NULL, 0, "connect %u -> %u.%u.%u.%u:%u", lport, rip >> 24,
		 (rip >> 16) & 255, (rip >> 8) & 255, rip & 255, rport);
	st = run_cmd(t, TOE_CMD_CONNECT, T, T, BUSY_CONNECT, false);
	ref = toe_ref_connect(t->r, lport, rip, rport, T);
	collect(t, t->step, false);
	cmd_check(t, "connect", st, ref, true);
	return ref;
}

static int do_conn_cmd(struct td *t, int op, int id, int mode, uint64_t Tx)
{
	static const char *const names[] = { "?", "?", "?", "?", "close", "shutdown", "abort" };
	const bool exact = mode == M_EXACT;
	struct binder b = { .kind = B_ID, .id = id };
	bool own_tmr = false;
	uint64_t T, A;
	uint32_t st;
	int ref;

	if (t->w_conn != (uint32_t)id) {
		struct toe_drv_cmd c = { .args = TOE_DRV_ARG_CONN, .conn = (uint16_t)id };

		drv_ok(t, toe_drv_cmd_write_args(&t->d, &c), names[op]);
		t->w_conn = (uint32_t)id;
	}
	if (mode == M_AIM) {
		if (!aim_plan(t, Tx, TD_LAT_CMD + 1, bind_found(t, &b), &T, &own_tmr))
			return TD_AIM_REFUSED;
		A = Tx;
	} else {
		T = earliest(t, TD_LAT_CMD + 1);
		if (exact) {
			if (Tx < T)
				fail_msg("harness: command at %llu too early (earliest %llu)",
					 (unsigned long long)Tx, (unsigned long long)T);
			T = Tx;
		}
		T = plan(t, T, &b, exact, &own_tmr);
		A = T;
	}
	t->step++;
	t->st.steps++;
	t->st.cmds++;
	hist_add(t, H_CMD, T, NULL, 0, "%s conn %d", names[op], id);
	st = run_cmd(t, op, A, T, BUSY_CMD + (own_tmr ? 4 : 0), own_tmr);
	switch (op) {
	case TOE_CMD_CLOSE:
		ref = toe_ref_close(t->r, id, T);
		break;
	case TOE_CMD_SHUTDOWN:
		ref = toe_ref_shutdown_wr(t->r, id, T);
		break;
	default:
		ref = toe_ref_abort(t->r, id, T);
		break;
	}
	collect(t, t->step, false);
	cmd_check(t, names[op], st, ref, false);
	return ref;
}

int td_close(struct td *t, int id)
{
	return do_conn_cmd(t, TOE_CMD_CLOSE, id, M_PLAN, 0);
}

int td_close_exact(struct td *t, int id, uint64_t T)
{
	return do_conn_cmd(t, TOE_CMD_CLOSE, id, M_EXACT, T);
}

int td_shutdown(struct td *t, int id)
{
	return do_conn_cmd(t, TOE_CMD_SHUTDOWN, id, M_PLAN, 0);
}

int td_abort(struct td *t, int id)
{
	return do_conn_cmd(t, TOE_CMD_ABORT, id, M_PLAN, 0);
}

int td_cmd_aim(struct td *t, int op, int id, uint64_t A)
{
	assert_true(op == TOE_CMD_CLOSE || op == TOE_CMD_SHUTDOWN || op == TOE_CMD_ABORT);
	return do_conn_cmd(t, op, id, M_AIM, A);
}

void td_pin_isn(struct td *t, uint32_t isn)
{
	wr(t, TOE_REG_ISN_PIN, isn);
	wr(t, TOE_REG_ISN_PIN_CTRL, TOE_REG_ISN_PIN_CTRL_VALID_MASK);
	toe_ref_pin_isn(t->r, isn);
}

void td_user_ready(struct td *t, bool ready)
{
	td_sync(t);
	toe_sim_set_user_ready(t->s, ready);
	toe_ref_set_rx_ready(t->r, ready);
	t->user_ready = ready;
}

/* ---- time ---- */

void td_wait_until(struct td *t, uint64_t until)
{
	uint64_t d;

	t->step++;
	hist_add(t, H_WAIT, until, NULL, 0, "wait until now %llu", (unsigned long long)until);
	while ((d = toe_ref_next_timer(t->r)) <= until)
		fire_ref(t, d);
	if (until > t->floor) {
		toe_ref_advance(t->r, until);
		t->floor = until;
		collect(t, t->step, true);
	}
	if (enow(t) < until)
		step_to(t, until);
	pump(t);
}

void td_wait(struct td *t, uint64_t ticks)
{
	td_wait_until(t, t->floor + ticks);
}

void td_sync(struct td *t)
{
	uint64_t target, d, idle_at;

	/* until the engine is past every timer the reference has run (the
	 * engine's outputs can make the reference run more on the way) */
	for (;;) {
		target = t->last_T + 16;
		if (t->fired_max && target < t->fired_max + lag(t) + TD_WIN + 16)
			target = t->fired_max + lag(t) + TD_WIN + 16;
		if (target < t->wire_free + 16)
			target = t->wire_free + 16;
		if (enow(t) < target)
			step_to(t, target);
		toe_sim_run_until_idle(t->s, 1000000);
		/* everything the engine did up to here is read below */
		idle_at = enow(t);
		pump(t);
		pump_events(t);
		pump(t);
		if (!t->fired_max || t->fired_max + lag(t) + TD_WIN + 16 <= idle_at)
			break;
	}
	/* timers the engine must have fired by then */
	while ((d = toe_ref_next_timer(t->r)) != UINT64_MAX &&
	       d + lag(t) + TD_WIN + 8 <= idle_at) {
		fire_ref(t, d);
		if (t->xtcp.n || t->xev.n) {
			struct xframe *x = ring_front(&t->xtcp);
			struct xevent *e = ring_front(&t->xev);
			char m[160];

			t->dump_id = x ? x->conn : e->ev.conn;
			snprintf(m, sizeof(m), "the reference's timer at %llu fired, the engine's "
				 "did not", (unsigned long long)d);
			diverge(t, 0, m, x ? x->b : NULL, x ? x->n : 0, NULL, 0);
		}
	}
	if (t->xtcp.n) {
		struct xframe *x = ring_front(&t->xtcp);

		t->dump_id = x->conn;
		diverge(t, x->step, "the reference sent a segment, the engine did not", x->b,
			x->n, NULL, 0);
	}
	if (t->xl2.n) {
		struct xframe *x = ring_front(&t->xl2);

		diverge(t, x->step, "the reference sent an ARP/ICMP reply, the engine did not",
			x->b, x->n, NULL, 0);
	}
	if (t->xev.n) {
		struct xevent *x = ring_front(&t->xev);

		t->dump_id = x->ev.conn;
		DIVERGE(t, x->step, "the reference reported event %s on conn %d, the engine "
			"did not", toe_ref_event_name(x->ev.type), x->ev.conn);
	}
	if (t->xpay.n) {
		struct xpay *p = ring_front(&t->xpay);

		DIVERGE(t, p->step, "the reference delivered %u payload bytes on conn %d, the "
			"engine did not", p->len, p->conn);
	}
}

void td_rephase(struct td *t)
{
	td_sync(t);
	assert_true(toe_ref_next_timer(t->r) == UINT64_MAX);
	t->C = (t->C + t->drift) % t->pass;
	t->drift = 0;
}

/* ---- read-out ---- */

static void cmp_u(struct td *t, int id, const char *what, uint64_t ref, uint64_t eng)
{
	if (ref != eng)
		DIVERGE(t, t->step, "conn %d %s: reference %llu (0x%llx), engine %llu (0x%llx)", id,
			what, (unsigned long long)ref, (unsigned long long)ref,
			(unsigned long long)eng, (unsigned long long)eng);
}

static void check_conn(struct td *t, int id)
{
	struct toe_ref_conn_info ci;
	uint32_t w[TOE_DRV_CONN_WORDS];
	struct toe_drv_conn c;
	uint8_t m[6];
	int rc;

	drv_ok(t, toe_drv_conn_select(&t->d, (uint32_t)id), "read-out");
	/* the scanner waited a cycle: every timer is found a cycle later */
	t->drift++;
	if (toe_ref_next_timer(t->r) != UINT64_MAX && lag(t) + TD_WIN + 64 >= t->pass)
		fail_msg("harness: %u read-outs with timers running; td_rephase() when none "
			 "are", t->drift);
	t->st.conn_checks++;
	rc = toe_ref_conn_info(t->r, id, &ci);
	/* CONN_STATE alone; for a live connection the other 14 words, two a
	 * request (LOCAL_IP + REMOTE_IP .. REMOTE_MAC_LO + MAX_SND_WND) */
	drv_ok(t, toe_drv_conn_read(&t->d, 0, 1, w), "read-out");
	toe_drv_conn_decode(w, 1, &c);
	if (rc != TOE_REF_OK) {
		cmp_u(t, id, "state (free id)", TOE_ST_CLOSED, (uint64_t)c.state);
		return;
	}
	drv_ok(t, toe_drv_conn_read(&t->d, 1, TOE_DRV_CONN_WORDS - 1, w), "read-out");
	toe_drv_conn_decode(w, TOE_DRV_CONN_WORDS, &c);
	cmp_u(t, id, "state", (uint64_t)ci.state, (uint64_t)c.state);
	cmp_u(t, id, "passive", ci.passive, c.passive);
	cmp_u(t, id, "closed_by_user", ci.closed_by_user, c.closed_by_user);
	cmp_u(t, id, "wr_shut", ci.wr_shut, c.wr_shut);
	cmp_u(t, id, "retransmits (8 bits)", ci.retransmits > 255 ? 255 : ci.retransmits,
	      c.retransmits8);
	cmp_u(t, id, "local ip", ci.local_ip, c.local_ip);
	cmp_u(t, id, "remote ip", ci.remote_ip, c.remote_ip);
	cmp_u(t, id, "local port", ci.local_port, c.local_port);
	cmp_u(t, id, "remote port", ci.remote_port, c.remote_port);
	cmp_u(t, id, "ISS", ci.iss, c.iss);
	cmp_u(t, id, "IRS", ci.irs, c.irs);
	cmp_u(t, id, "SND.UNA", ci.snd_una, c.snd_una);
	cmp_u(t, id, "SND.NXT", ci.snd_nxt, c.snd_nxt);
	cmp_u(t, id, "SND.WND", ci.snd_wnd, c.snd_wnd);
	cmp_u(t, id, "RCV.NXT", ci.rcv_nxt, c.rcv_nxt);
	cmp_u(t, id, "peer MSS", ci.peer_mss, c.peer_mss);
	cmp_u(t, id, "effective MSS", ci.eff_mss, c.eff_mss);
	cmp_u(t, id, "retransmits", ci.retransmits, c.retransmits);
	td_mac_of(ci.remote_ip, m);
	cmp_u(t, id, "remote MAC (hi)", toe_drv_mac_hi(m),
	      w[TOE_DRV_CONN_WORD(TOE_REG_CONN_REMOTE_MAC_HI)]);
	cmp_u(t, id, "remote MAC (lo)", toe_drv_mac_lo(m),
	      w[TOE_DRV_CONN_WORD(TOE_REG_CONN_REMOTE_MAC_LO)]);
	cmp_u(t, id, "MAX.SND.WND", ci.max_snd_wnd, c.max_snd_wnd);
}

void td_check_conn(struct td *t, int id)
{
	td_sync(t);
	check_conn(t, id);
}

/* The id allocator's count (CONNS_USED) against the reference's table. */
static void check_conns_used(struct td *t)
{
	uint32_t used = rd(t, TOE_REG_CONNS_USED);

	if (used != toe_ref_conn_count(t->r))
		DIVERGE(t, t->step, "CONNS_USED: reference %u connections, engine %u",
			toe_ref_conn_count(t->r), used);
}

void td_check_all_conns(struct td *t)
{
	unsigned i;

	td_sync(t);
	for (i = 0; i < t->pass; i++)
		check_conn(t, (int)i);
	check_conns_used(t);
	td_sync(t);
}

/* The counters that differ between the two sides (a divergence report). */
static void dump_stats(struct td *t)
{
	static const char *const names[] = {
		"SEGS_IN", "SEGS_OUT", "RST_OUT", "CHALLENGE_ACKS", "CHALLENGE_ACKS_SUPPRESSED",
		"DROPPED", "RX_BYTES", "RETRANSMITS", "MAC_BAD", "RX_TOO_LONG",
	};
	struct toe_ref_stats rs;
	uint64_t v[TOE_PERR_COUNT + 16], ref[N_STAT_REGS];
	size_t i;

	toe_ref_stats(t->r, &rs);
	read_stats(t, v);
	ref[0] = rs.segs_in;
	ref[1] = rs.segs_out;
	ref[2] = rs.rst_out;
	ref[3] = rs.challenge_acks;
	ref[4] = rs.challenge_acks_suppressed;
	ref[5] = rs.dropped;
	ref[6] = rs.rx_bytes;
	ref[7] = rs.retransmits;
	ref[8] = t->mac_bad;
	ref[9] = t->too_long;
	printf("  counters (reference / engine, since start; the engine's may be a "
	       "little ahead or behind in time):\n");
	for (i = 0; i < N_STAT_REGS; i++)
		printf("    %-26s %llu / %llu%s\n", names[i], (unsigned long long)ref[i],
		       (unsigned long long)(v[i] - t->base[i]),
		       ref[i] != v[i] - t->base[i] ? "   <--" : "");
	for (i = 1; i < TOE_PERR_COUNT; i++)
		if (rs.parse_drops[i] != v[N_STAT_REGS + i] - t->base[N_STAT_REGS + i])
			printf("    PARSE_DROP %-15s %llu / %llu   <--\n",
			       toe_parse_result_name(-(int)i), (unsigned long long)rs.parse_drops[i],
			       (unsigned long long)(v[N_STAT_REGS + i] - t->base[N_STAT_REGS + i]));
	printf("    TABLE_FULL (engine)        %llu\n",
	       (unsigned long long)rd64(t, TOE_REG_STAT_TABLE_FULL));
}

void td_check_stats(struct td *t)
{
	struct toe_ref_stats rs;
	uint64_t v[TOE_PERR_COUNT + 16];
	size_t i;
	static const char *const names[] = {
		"SEGS_IN", "SEGS_OUT", "RST_OUT", "CHALLENGE_ACKS",
		"CHALLENGE_ACKS_SUPPRESSED", "DROPPED", "RX_BYTES", "RETRANSMITS", "MAC_BAD",
		"RX_TOO_LONG",
	};
	uint64_t ref[N_STAT_REGS];

	td_sync(t);
	toe_ref_stats(t->r, &rs);
	read_stats(t, v);
	ref[0] = rs.segs_in;
	ref[1] = rs.segs_out;
	ref[2] = rs.rst_out;
	ref[3] = rs.challenge_acks;
	ref[4] = rs.challenge_acks_suppressed;
	ref[5] = rs.dropped;
	ref[6] = rs.rx_bytes;
	ref[7] = rs.retransmits;
	ref[8] = t->mac_bad;
	ref[9] = t->too_long;
	for (i = 0; i < N_STAT_REGS; i++)
		if (v[i] - t->base[i] != ref[i])
			DIVERGE(t, t->step, "STAT_%s: reference %llu, engine %llu", names[i],
				(unsigned long long)ref[i], (unsigned long long)(v[i] - t->base[i]));
	for (i = 1; i < TOE_PERR_COUNT; i++)
		if (v[N_STAT_REGS + i] - t->base[N_STAT_REGS + i] != rs.parse_drops[i])
			DIVERGE(t, t->step, "STAT_PARSE_DROP(%zu) (%s): reference %llu, engine %llu",
				i, toe_parse_result_name(-(int)i),
				(unsigned long long)rs.parse_drops[i],
				(unsigned long long)(v[N_STAT_REGS + i] - t->base[N_STAT_REGS + i]));
	check_conns_used(t);
}

/* ---- seen logs and scenario assertions ---- */

int td_seen_seg(struct td *t, struct td_seen_seg *s)
{
	struct td_seen_seg *f = ring_front(&t->seen_seg);

	if (!f)
		return 0;
	*s = *f;
	ring_pop(&t->seen_seg);
	return 1;
}

int td_seen_event(struct td *t, struct toe_ref_event *e)
{
	struct toe_ref_event *f = ring_front(&t->seen_ev);

	if (!f)
		return 0;
	*e = *f;
	ring_pop(&t->seen_ev);
	return 1;
}

void td_seen_clear(struct td *t)
{
	t->seen_seg.n = 0;
	t->seen_ev.n = 0;
}

struct td_seen_seg td_expect_seg(struct td *t, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct td_seen_seg s;
	char a[8], b[8];

	td_sync(t);
	if (!td_seen_seg(t, &s))
		fail_msg("%s: expected %s seq %u ack %u, nothing was sent", t->label ? t->label : "",
			 toe_decode_flag_str(flags, a), seq, ack);
	if (s.seg.flags != flags || s.seg.seq != seq || s.seg.ack != ack)
		fail_msg("%s: expected %s seq %u ack %u, sent %s seq %u ack %u",
			 t->label ? t->label : "", toe_decode_flag_str(flags, a), seq, ack,
			 toe_decode_flag_str(s.seg.flags, b), s.seg.seq, s.seg.ack);
	return s;
}

void td_expect_event(struct td *t, int type, int conn)
{
	struct toe_ref_event e;

	td_sync(t);
	if (!td_seen_event(t, &e))
		fail_msg("%s: expected event %s on conn %d, none", t->label ? t->label : "",
			 toe_ref_event_name(type), conn);
	if (e.type != type || e.conn != conn)
		fail_msg("%s: expected event %s on conn %d, got %s on conn %d",
			 t->label ? t->label : "", toe_ref_event_name(type), conn,
			 toe_ref_event_name(e.type), e.conn);
}

void td_expect_nothing(struct td *t)
{
	struct td_seen_seg s;
	struct toe_ref_event e;
	char a[8];

	td_sync(t);
	if (td_seen_seg(t, &s))
		fail_msg("%s: expected nothing, sent %s seq %u ack %u", t->label ? t->label : "",
			 toe_decode_flag_str(s.seg.flags, a), s.seg.seq, s.seg.ack);
	if (td_seen_event(t, &e))
		fail_msg("%s: expected no event, got %s on conn %d", t->label ? t->label : "",
			 toe_ref_event_name(e.type), e.conn);
}

int td_state(struct td *t, int id)
{
	struct toe_ref_conn_info ci;

	td_check_conn(t, id);
	if (toe_ref_conn_info(t->r, id, &ci) != TOE_REF_OK)
		return TOE_ST_CLOSED;
	return ci.state;
}

struct toe_ref_conn_info td_info(struct td *t, int id)
{
	struct toe_ref_conn_info ci;

	td_check_conn(t, id);
	memset(&ci, 0, sizeof(ci));
	if (toe_ref_conn_info(t->r, id, &ci) != TOE_REF_OK)
		ci.state = TOE_ST_CLOSED;
	return ci;
}

struct toe_seg td_conn_seg(const struct toe_ref_conn_info *ci, uint32_t seq,
			   uint32_t ack, uint8_t flags, uint16_t win)
{
	struct toe_seg s;

	memset(&s, 0, sizeof(s));
	s.src_ip = ci->remote_ip;
	s.dst_ip = ci->local_ip;
	s.src_port = ci->remote_port;
	s.dst_port = ci->local_port;
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.win = win;
	return s;
}
