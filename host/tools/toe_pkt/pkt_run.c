/* SPDX-License-Identifier: MIT */
/*
 * pkt_run.c - toe-pkt's executor: runs one parsed script against a back end
 * on simulated time. It keeps the peer's view of each flow (the two ISNs,
 * learnt from the first SYNs, so scripts use relative numbers), advances
 * time, injects segments, and checks every segment the engine sends
 * against the script, in order, within the time tolerance; assertions and
 * shell commands run here too. Socket calls, and the sockets and
 * connections they act on, are emulated in pkt_calls.c (the state both
 * parts share is in pkt_run_priv.h). The first mismatch fails the script
 * with the line, what was expected, what the engine sent (decoded) and
 * the time.
 */
#include "pkt_run_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe_tcp.h"
#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_wire.h"

/* ------------------------------------------------------------------ */
/* messages                                                            */
/* ------------------------------------------------------------------ */

void pkt_fmt_time(char *b, size_t n, int64_t us)
{
	if (us < 0)
		snprintf(b, n, "-%lld.%06lld", (long long)(-us / 1000000),
			 (long long)(-us % 1000000));
	else
		snprintf(b, n, "%lld.%06lld", (long long)(us / 1000000),
			 (long long)(us % 1000000));
}

/* ---- the engine under test, in the runner's units ---- */

const char *pkt_kind_name(enum toe_eut_kind k)
{
	return k == TOE_EUT_RTL ? "engine" : k == TOE_EUT_LINUX ? "linux" : "model";
}

const char *pkt_be_name(const struct run *r)
{
	return pkt_kind_name(r->o->kind);
}

/* Ticks since the configuration -> microseconds. */
static uint64_t be_us(const struct run *r, uint64_t tick)
{
	return toe_eut_ticks_to_us(tick - toe_eut_t0(r->be),
				   toe_eut_tick_hz(r->be));
}

int64_t pkt_now(struct run *r)
{
	return r->be ? (int64_t)be_us(r, toe_eut_tick(r->be)) : r->t_prev;
}

/* How late a timer may fire after its deadline, by design (the engine
 * scans its timers: up to about two passes over the table); the runner
 * allows it on top of the tolerance, on the late side. */
uint64_t pkt_be_slack_us(const struct run *r)
{
	uint64_t t = toe_eut_timer_slack(r->be);

	return t ? toe_eut_ticks_to_us(t, toe_eut_tick_hz(r->be)) + 1 : 0;
}

/* Advance simulated time to `until` (us), earlier if a stop condition
 * holds; up to `quiet` the script expects nothing from the engine. */
static void be_run(struct run *r, uint64_t until, unsigned stop,
		   uint64_t quiet)
{
	uint64_t t0 = toe_eut_t0(r->be), hz = toe_eut_tick_hz(r->be);

	toe_eut_run(r->be, t0 + toe_eut_us_to_ticks_ceil(until, hz), stop,
		    t0 + toe_eut_us_to_ticks(quiet, hz));
}

/* Oldest frame the engine sent: 1 and *f filled, 0 if none. */
static int be_pop_frame(struct run *r, struct pkt_frame *f)
{
	uint64_t first = 0;
	bool bad = false;
	uint64_t last = 0;
	size_t n = toe_eut_pop_frame(r->be, f->buf, sizeof(f->buf), &first,
				     &last, &bad);

	if (n == 0)
		return 0;
	f->len = n < sizeof(f->buf) ? n : sizeof(f->buf);
	f->bad = bad;
	f->t_us = be_us(r, first);
	f->first_tick = first;
	f->last_tick = last;
	return 1;
}

/* Oldest event: 1 and *ev filled (RX_DATA with its payload), 0 if none. */
int pkt_be_pop_event(struct run *r, struct pkt_bev *ev)
{
	struct toe_eut_event te;

	if (toe_eut_pop_event(r->be, &te) != 1)
		return 0;
	ev->type = te.type;
	ev->conn = te.conn;
	ev->t_us = be_us(r, te.tick);
	ev->data = NULL;
	ev->len = 0;
	if (ev->type == TOE_EV_RX_DATA && te.arg) {
		uint16_t conn = 0;
		size_t n;

		/* the payload leaves on the user stream; wait for it */
		for (int i = 0; i < 1000 && !toe_eut_payload_pending(r->be); i++)
			toe_eut_step(r->be, 16);
		n = toe_eut_pop_payload(r->be, &conn, r->data, sizeof(r->data));
		if (n != te.arg || conn != ev->conn) {
			fprintf(stderr, "toe-pkt: %s: RX_DATA event of %u bytes "
				"for connection %d, user stream gave %zu bytes "
				"for connection %u\n", pkt_be_name(r), te.arg,
				ev->conn, n, conn);
			if (!r->be_err)
				r->be_err = -1000;
		}
		ev->data = r->data;
		ev->len = (uint16_t)(n < sizeof(r->data) ? n : sizeof(r->data));
	}
	return 1;
}

/* NULL, or what went wrong inside the back end: the run is then void. */
static const char *be_error(struct run *r)
{
	const char *m = toe_eut_error(r->be);

	if (m || !r->be_err)
		return m;
	snprintf(r->be_errbuf, sizeof(r->be_errbuf), "host bridge error %d "
		 "(register access failed)", r->be_err);
	return r->be_errbuf;
}

/* Start a failure at event e (NULL: the script as a whole). */
int pkt_fail(struct run *r, const struct pkt_event *e, const char *fmt, ...)
{
	va_list ap;
	char t[32];

	if (r->failed)
		return -1;
	r->failed = true;
	if (e)
		fprintf(r->msg, "  %s:%d: ", r->sc->path, e->line);
	else
		fprintf(r->msg, "  %s: ", r->sc->path);
	va_start(ap, fmt);
	vfprintf(r->msg, fmt, ap);
	va_end(ap);
	fputc('\n', r->msg);
	if (e && e->text)
		fprintf(r->msg, "    script: %s\n", e->text);
	pkt_fmt_time(t, sizeof(t), pkt_now(r));
	fprintf(r->msg, "    simulated time: %s s\n", t);
	return -1;
}

void pkt_note(struct run *r, const struct pkt_event *e, const char *fmt, ...)
{
	va_list ap;

	if (e)
		fprintf(r->notes, "  note: %s:%d: ", r->sc->path, e->line);
	else
		fprintf(r->notes, "  note: %s: ", r->sc->path);
	va_start(ap, fmt);
	vfprintf(r->notes, fmt, ap);
	va_end(ap);
	fputc('\n', r->notes);
}

/* Options in packetdrill notation: "<mss 1460,nop,wscale 7>". */
static void fmt_opts(FILE *f, const uint8_t *o, size_t n)
{
	size_t i = 0;
	bool first = true;

	fputc('<', f);
	while (i < n) {
		if (!first)
			fputc(',', f);
		first = false;
		switch (o[i]) {
		case TOE_TCPOPT_EOL:
			fputs("eol", f);
			i++;
			continue;
		case TOE_TCPOPT_NOP:
			fputs("nop", f);
			i++;
			continue;
		default:
			break;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n) {
			fputs("raw", f);
			while (i < n)
				fprintf(f, " %02x", o[i++]);
			break;
		}
		if (o[i] == TOE_TCPOPT_MSS && o[i + 1] == 4)
			fprintf(f, "mss %u", (unsigned)o[i + 2] << 8 | o[i + 3]);
		else if (o[i] == TOE_TCPOPT_WSCALE && o[i + 1] == 3)
			fprintf(f, "wscale %u", o[i + 2]);
		else if (o[i] == TOE_TCPOPT_SACK_PERM && o[i + 1] == 2)
			fputs("sackOK", f);
		else {
			fputs("raw ", f);
			for (unsigned k = 0; k < o[i + 1]; k++)
				fprintf(f, "%02x", o[i + k]);
		}
		i += o[i + 1];
	}
	fputc('>', f);
}

/* A segment the engine sent, in the script's relative numbers. */
static void fmt_seg(FILE *f, const struct flow *fl, const struct toe_seg *s)
{
	char fb[10];
	uint32_t seq = fl && fl->lisn_known ? s->seq - fl->lisn : s->seq;
	uint32_t seglen = s->len;

	fprintf(f, "%s %u:%u(%u)", pkt_flags_str(s->flags, fb), seq,
		seq + seglen, seglen);
	if (s->flags & TOE_TCP_ACK)
		fprintf(f, " ack %u",
			fl && fl->risn_known ? s->ack - fl->risn : s->ack);
	fprintf(f, " win %u", s->win);
	if (s->opt_raw_len) {
		fputc(' ', f);
		fmt_opts(f, s->opt_raw, s->opt_raw_len);
	}
}

/* The frame the engine sent, decoded, for a failure report. */
static void show_frame(struct run *r, const struct pkt_frame *fr,
		       const struct flow *fl)
{
	struct toe_frame pf;
	char t[32];

	pkt_fmt_time(t, sizeof(t), (int64_t)fr->t_us);
	if (toe_parse_frame(fr->buf, fr->len, &pf) == TOE_PARSE_OK) {
		fprintf(r->msg, "    %s sent at %s s: ", pkt_be_name(r), t);
		if (fl)
			fprintf(r->msg, "%u > %u ", pf.seg.src_port,
				pf.seg.dst_port);
		fmt_seg(r->msg, fl, &pf.seg);
		fputc('\n', r->msg);
	} else {
		fprintf(r->msg, "    %s sent at %s s:\n", pkt_be_name(r), t);
	}
	/* the decode, indented under the failure */
	{
		char *buf = NULL, *line, *save = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (!m)
			return;
		toe_decode_frame(m, 1, fr->t_us, fr->buf, fr->len,
				 TOE_DECODE_NO_HEX);
		fclose(m);
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			fprintf(r->msg, "      | %s\n", line);
		free(buf);
	}
}

/* ------------------------------------------------------------------ */
/* flows                                                               */
/* ------------------------------------------------------------------ */

int pkt_flow_get(struct run *r, uint16_t lport, uint16_t rport)
{
	for (int i = 0; i < r->nflow; i++)
		if (r->flows[i].lport == lport && r->flows[i].rport == rport)
			return i;
	if (r->nflow == MAX_FLOWS)
		return -1;
	memset(&r->flows[r->nflow], 0, sizeof(r->flows[0]));
	r->flows[r->nflow].lport = lport;
	r->flows[r->nflow].rport = rport;
	return r->nflow++;
}

/* The flow a packet line names: @port (peer port, listening port) or the
 * current one. */
static int flow_of(struct run *r, const struct pkt_seg_spec *s)
{
	if (s->port) {
		for (int i = 0; i < r->nflow; i++)
			if (r->flows[i].rport == s->port)
				return i;
		return pkt_flow_get(r, r->set->bind_port, (uint16_t)s->port);
	}
	return r->cur;
}

/* ------------------------------------------------------------------ */
/* back end                                                            */
/* ------------------------------------------------------------------ */

static int lx_sysctl_apply(struct run *r, const struct pkt_event *e,
			   const char *key, const char *val);

int pkt_ensure_backend(struct run *r, const struct pkt_event *e)
{
	char err[256];

	if (r->be)
		return 0;
	r->cfg.local_ip = r->set->local_ip;
	/* the engine: 250000, the lowest TICK_HZ the ISN clock allows (one
	 * cycle is 4 us); the model: microseconds */
	if (!r->cfg.tick_hz)
		r->cfg.tick_hz = r->o->kind == TOE_EUT_RTL ? 250000 : 1000000;
	r->cfg.kind = r->o->kind;
	/* linux: the peer's address (mapped onto the link's), how late its
	 * timers may fire (docs/pkt.md, "Linux as the third stack") */
	r->cfg.peer_ip = r->set->remote_ip;
	r->cfg.linux_slack_us = PKT_LINUX_SLACK_US;
	/* the bridge is ours, one register a request, synchronous */
	r->cfg.own_bridge = true;
	r->cfg.bridge_burst = 1;
	r->cfg.who = "toe-pkt: engine";
	r->be = toe_eut_new(&r->cfg, err, sizeof(err));
	if (!r->be)
		return pkt_fail(r, e, "cannot start the %s: %s", pkt_be_name(r), err);
	if (r->o->verbose)
		fprintf(r->o->out, "    started %s\n", toe_eut_describe(r->be));
	/* linux: the script's sysctls, in its namespace */
	for (int i = 0; i < r->n_lx_sysctl; i++)
		if (lx_sysctl_apply(r, r->lx_sysctl[i].e, r->lx_sysctl[i].key,
				    r->lx_sysctl[i].val))
			return -1;
	return 0;
}

static const struct pkt_frame *peek_frame(struct run *r)
{
	if (!r->be)
		return NULL;
	if (!r->have_frame)
		r->have_frame = be_pop_frame(r, r->frame) == 1;
	return r->have_frame ? r->frame : NULL;
}

/* The flow a frame from the engine belongs to, or NULL. */
static const struct flow *frame_flow(struct run *r, const struct pkt_frame *f)
{
	struct toe_frame pf;

	if (toe_parse_frame(f->buf, f->len, &pf) != TOE_PARSE_OK)
		return NULL;
	for (int i = 0; i < r->nflow; i++)
		if (r->flows[i].lport == pf.seg.src_port &&
		    r->flows[i].rport == pf.seg.dst_port)
			return &r->flows[i];
	return NULL;
}

static int fail_unexpected(struct run *r, const struct pkt_event *e)
{
	const struct pkt_frame *f = peek_frame(r);

	if (e)
		pkt_fail(r, e, "unexpected outbound segment (the script expects none "
		     "before this line)");
	else
		pkt_fail(r, NULL, "unexpected outbound segment after the last line");
	show_frame(r, f, frame_flow(r, f));
	return -1;
}


/* Up to when the back end may skip time: `before` minus room for a timer
 * that came due meanwhile to show (two timer-scan lags), and never into
 * the window where a blocking call should return. */
static uint64_t quiet_until(struct run *r, int64_t before)
{
	int64_t q = before - 2 * (int64_t)pkt_be_slack_us(r) -
		    r->sc->set.tolerance_us;

	if (r->pend.kind != PEND_NONE) {
		int64_t p = r->pend.end - 2 * r->sc->set.tolerance_us -
			    2 * (int64_t)pkt_be_slack_us(r);

		if (p < q)
			q = p;
	}
	return q > 0 ? (uint64_t)q : 0;
}

/* Run the back end to time T; any segment sent meanwhile is unexpected. */
static int advance_to(struct run *r, const struct pkt_event *e, int64_t T)
{
	for (;;) {
		if (pkt_pending_check(r))
			return -1;
		if (peek_frame(r))
			return fail_unexpected(r, e);
		if (pkt_now(r) >= T)
			return 0;
		be_run(r, (uint64_t)T,
			    TOE_EUT_STOP_FRAME |
				    (r->pend.kind != PEND_NONE ? TOE_EUT_STOP_EVENT : 0),
			    quiet_until(r, T));
	}
}

/* ------------------------------------------------------------------ */
/* segments                                                            */
/* ------------------------------------------------------------------ */

static int64_t sched(struct run *r, enum pkt_tkind k, int64_t us)
{
	return k == PKT_T_REL ? r->t_prev + us : us;
}

static int do_inject(struct run *r, const struct pkt_event *e)
{
	const struct pkt_seg_spec *sp = &e->u.seg;
	static const uint8_t zeros[9000];
	uint8_t buf[PKT_FRAME_MAX], opt[40];
	struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true };
	struct toe_seg s;
	int fl = flow_of(r, sp), n;
	struct flow *f;

	if (fl < 0)
		return pkt_fail(r, e, "too many flows");
	f = &r->flows[fl];
	r->cur = fl;
	/* the remote ISN: learnt from the first injected SYN */
	if ((sp->flags & TOE_TCP_SYN) && !f->risn_known) {
		f->risn_known = true;
		f->risn = 0x10000000u * (uint32_t)(fl % 15 + 1) + 0x0badf00du;
	}
	memset(&s, 0, sizeof(s));
	s.src_ip = r->set->remote_ip;
	s.dst_ip = r->set->local_ip;
	s.src_port = f->rport;
	s.dst_port = f->lport;
	s.flags = sp->flags;
	s.seq = f->risn_known ? f->risn + sp->start : sp->start;
	if (sp->has_ack)
		s.ack = f->lisn_known ? f->lisn + sp->ack : sp->ack;
	s.win = (uint16_t)(sp->has_win ? sp->win : r->set->default_win);
	memcpy(opt, sp->opt, sp->opt_len);
	for (int i = 0; i < sp->n_sack_edge; i++) {
		uint8_t *p = opt + sp->sack_edge[i];
		uint32_t v = toe_get_be32(p);

		if (f->lisn_known)
			v += f->lisn;
		toe_put_be32(p, v);
	}
	s.opt_raw = opt;
	s.opt_raw_len = sp->opt_len;
	s.data = zeros;
	s.len = (uint16_t)sp->len;
	ip.id = r->ip_id++;
	if (sp->has_id)
		ip.id = sp->ip_id;
	if (sp->has_tos)
		ip.tos = sp->tos;
	if (sp->has_ttl)
		ip.ttl = sp->ttl;
	if (sp->has_df)
		ip.df = sp->df;
	n = toe_build_frame(buf, sizeof(buf), r->cfg.local_mac, r->cfg.remote_mac,
			    &ip, &s);
	if (n < 0)
		return pkt_fail(r, e, "cannot build this segment");
	if (sp->bad_tcp_csum)
		buf[TOE_ETH_HLEN + TOE_IPV4_HLEN + 16] ^= 0x5a;
	if (sp->bad_ip_csum)
		buf[TOE_ETH_HLEN + 10] ^= 0x5a;
	if (r->o->verbose) {
		char t[32];

		pkt_fmt_time(t, sizeof(t), pkt_now(r));
		fprintf(r->o->out, "    [%s] < %u > %u seq %u ack %u\n", t,
			s.src_port, s.dst_port, s.seq, s.ack);
	}
	if (toe_eut_push_frame(r->be, buf, (size_t)n))
		return pkt_fail(r, e, "the %s refused the frame", pkt_be_name(r));
	/* the stimulus of the replies due now: its bound counts from its
	 * last beat in */
	r->in_t = r->in_upto = r->t_stim;
	r->in_line = e->line;
	r->in_frame = true;
	r->in_bound = toe_eut_reply_bound(r->be, 0, buf, (size_t)n);
	return 0;
}

/* The IPv4 header fields a '>' line gives (tos, ttl, id, df). Linux: the
 * IP ID is not compared (noted): the kernel gives 0 to a SYN-ACK or a
 * RST with DF, and a connection's segments IDs from a counter that starts
 * at a random value (inet_id). */
static int compare_ip(struct run *r, const struct pkt_event *e,
		      const struct toe_frame *pf, const struct pkt_frame *fr,
		      const struct flow *f)
{
	const struct pkt_seg_spec *sp = &e->u.seg;

	if (sp->has_tos && pf->ip.tos != sp->tos)
		pkt_fail(r, e, "tos: expected 0x%02x, got 0x%02x", sp->tos,
			 pf->ip.tos);
	else if (sp->has_ttl && pf->ip.ttl != sp->ttl)
		pkt_fail(r, e, "ttl: expected %u, got %u", sp->ttl, pf->ip.ttl);
	else if (sp->has_df && pf->ip.df != sp->df)
		pkt_fail(r, e, "DF: expected %s, got %s", sp->df ? "set" : "clear",
			 pf->ip.df ? "set" : "clear");
	else if (sp->has_id && r->o->kind == TOE_EUT_LINUX) {
		pkt_note(r, e, "IP id not checked on Linux (it sent %u): the "
			 "kernel's IDs are 0 or from a random start",
			 pf->ip.id);
		return 0;
	} else if (sp->has_id && pf->ip.id != sp->ip_id)
		pkt_fail(r, e, "IP id: expected %u, got %u", sp->ip_id, pf->ip.id);
	else
		return 0;
	show_frame(r, fr, f);
	return -1;
}

/* Compare the engine's frame with a '>' line. */
static int compare_out(struct run *r, const struct pkt_event *e,
		       const struct pkt_frame *fr)
{
	const struct pkt_seg_spec *sp = &e->u.seg;
	struct toe_frame pf;
	int rc = toe_parse_frame(fr->buf, fr->len, &pf), fl;
	struct flow *f;
	char a[10], b[10];
	uint32_t exp;

	if (rc != TOE_PARSE_OK) {
		pkt_fail(r, e, "the %s sent a malformed frame (%s)", pkt_be_name(r),
		     toe_parse_result_name(rc));
		show_frame(r, fr, NULL);
		return -1;
	}
	if (fr->bad) {
		pkt_fail(r, e, "the %s marked its frame bad (tuser)", pkt_be_name(r));
		show_frame(r, fr, NULL);
		return -1;
	}
	if (memcmp(pf.dst_mac, r->cfg.remote_mac, 6) ||
	    memcmp(pf.src_mac, r->cfg.local_mac, 6)) {
		pkt_fail(r, e, "wrong Ethernet addresses");
		show_frame(r, fr, NULL);
		return -1;
	}
	if (pf.seg.src_ip != r->set->local_ip ||
	    pf.seg.dst_ip != r->set->remote_ip) {
		char s1[16], s2[16];

		pkt_fail(r, e, "wrong IP addresses %s > %s",
		     toe_ip_str(pf.seg.src_ip, s1), toe_ip_str(pf.seg.dst_ip, s2));
		show_frame(r, fr, NULL);
		return -1;
	}
	fl = flow_of(r, sp);
	if (fl < 0)
		return pkt_fail(r, e, "too many flows");
	f = &r->flows[fl];
	if (pf.seg.src_port != f->lport || pf.seg.dst_port != f->rport) {
		pkt_fail(r, e, "segment of another connection: ports %u > %u, "
		     "expected %u > %u", pf.seg.src_port, pf.seg.dst_port,
		     f->lport, f->rport);
		show_frame(r, fr, frame_flow(r, fr));
		return -1;
	}
	r->cur = fl;
	if (compare_ip(r, e, &pf, fr, f))
		return -1;
	if (pf.seg.flags != sp->flags) {
		pkt_fail(r, e, "flags: expected %s, got %s", pkt_flags_str(sp->flags, a),
		     pkt_flags_str(pf.seg.flags, b));
		show_frame(r, fr, f);
		return -1;
	}
	/* the engine's ISN: learnt from its first SYN or SYN-ACK */
	if ((sp->flags & TOE_TCP_SYN) && !f->lisn_known) {
		f->lisn_known = true;
		f->lisn = pf.seg.seq - sp->start;
	}
	exp = f->lisn_known ? f->lisn + sp->start : sp->start;
	if (pf.seg.seq != exp) {
		pkt_fail(r, e, "seq: expected %u, got %u", sp->start,
		     f->lisn_known ? pf.seg.seq - f->lisn : pf.seg.seq);
		show_frame(r, fr, f);
		return -1;
	}
	if (pf.seg.len != sp->len) {
		pkt_fail(r, e, "payload: expected %u bytes, got %u", sp->len,
		     pf.seg.len);
		show_frame(r, fr, f);
		return -1;
	}
	if (sp->has_ack) {
		exp = f->risn_known ? f->risn + sp->ack : sp->ack;
		if (pf.seg.ack != exp) {
			pkt_fail(r, e, "ack: expected %u, got %u", sp->ack,
			     f->risn_known ? pf.seg.ack - f->risn : pf.seg.ack);
			show_frame(r, fr, f);
			return -1;
		}
	}
	if (sp->has_win && pf.seg.win != sp->win) {
		pkt_fail(r, e, "win: expected %u, got %u", sp->win, pf.seg.win);
		show_frame(r, fr, f);
		return -1;
	}
	if (!sp->opt_any) {
		uint8_t want[40] = { 0 };
		size_t wl = ((size_t)sp->opt_len + 3) & ~(size_t)3;

		memcpy(want, sp->opt, sp->opt_len);
		if (pf.seg.opt_raw_len != wl ||
		    memcmp(pf.seg.opt_raw, want, wl)) {
			pkt_fail(r, e, "TCP options differ");
			fputs("    expected options: ", r->msg);
			fmt_opts(r->msg, sp->opt, sp->opt_len);
			fputs("\n    options sent:     ", r->msg);
			fmt_opts(r->msg, pf.seg.opt_raw, pf.seg.opt_raw_len);
			fputc('\n', r->msg);
			show_frame(r, fr, f);
			return -1;
		}
	}
	return 0;
}

/* Script time us (>= 0) as a tick of the back end, rounded up. */
static uint64_t us_tick(const struct run *r, int64_t us)
{
	return toe_eut_t0(r->be) +
	       toe_eut_us_to_ticks_ceil(us > 0 ? (uint64_t)us : 0,
					toe_eut_tick_hz(r->be));
}

/*
 * The simulated back ends' late side for a '>' line due from lo to hi
 * (docs/pkt.md "Timing"): the last tick its first beat may come in. A
 * reply due when the last input that reached the engine (a frame or a
 * command) went in - lo not after it - is that stimulus's: within the
 * back end's stated reply latency of it (toe_eut_reply_bound: from the
 * frame's last beat, from the command's CMD write; *stim set). Any other
 * is a timer's: within the timer scan's bound (toe_eut_timer_slack) after
 * hi. Either may wait for a frame the engine sent before it (the queue
 * bound after that frame's last beat). 0: not known yet (the stimulus
 * frame is still going in: a reply now is to an earlier input).
 */
static uint64_t sim_deadline(struct run *r, int64_t lo, int64_t hi,
			     bool *stim)
{
	int64_t q = toe_eut_reply_bound(r->be, -1, NULL, 0);
	uint64_t d;

	*stim = r->in_t >= 0 && lo <= r->in_upto;
	if (*stim && r->in_bound < 0) {
		/* a back end that states no latency: the tolerance */
		d = us_tick(r, hi + r->sc->set.tolerance_us);
	} else if (*stim) {
		if (r->in_frame && toe_eut_rx_pending(r->be))
			return 0;
		d = (r->in_frame ? toe_eut_rx_last_tick(r->be) : r->in_cmd_tick) +
		    (uint64_t)r->in_bound;
		if (us_tick(r, hi) > d)
			d = us_tick(r, hi); /* a window a~b */
	} else {
		d = us_tick(r, hi) + toe_eut_timer_slack(r->be);
	}
	if (r->have_out && q >= 0 && r->out_tick + (uint64_t)q > d)
		d = r->out_tick + (uint64_t)q;
	return d;
}

/* The tick the last input's reply latency counts from (sim_deadline). */
static uint64_t in_tick(struct run *r)
{
	return r->in_frame ? toe_eut_rx_last_tick(r->be) : r->in_cmd_tick;
}

/* Simulated back ends: the frame fr against the window of a '>' line due
 * from lo to hi: 0, or -1 (failed). *is_stim: it was due as a stimulus's
 * reply. */
static int sim_timing(struct run *r, const struct pkt_event *e, int64_t lo,
		      int64_t hi, const struct pkt_frame *fr, bool *is_stim)
{
	char t1[32], t2[32], t3[32];
	bool stim, bounded;
	uint64_t d = sim_deadline(r, lo, hi, &stim);
	/* what the late side counts from: the stimulus, or the time due */
	uint64_t from = stim ? in_tick(r) : us_tick(r, hi);

	*is_stim = stim;
	bounded = !stim || r->in_bound >= 0;
	pkt_fmt_time(t1, sizeof(t1), lo);
	pkt_fmt_time(t2, sizeof(t2), (int64_t)fr->t_us);
	pkt_fmt_time(t3, sizeof(t3), hi);
	if ((int64_t)fr->t_us < lo) {
		if (e->t.range)
			pkt_fail(r, e, "timing: expected between %s and %s s, sent "
				 "at %s s: early (no early slack on a simulated "
				 "back end)", t1, t3, t2);
		else
			pkt_fail(r, e, "timing: expected at %s s, sent at %s s: "
				 "early (no early slack on a simulated back end)",
				 t1, t2);
	} else if (d && fr->first_tick > d) {
		if (!bounded)
			pkt_fail(r, e, "timing: expected at %s s (tolerance %lld "
				 "us), sent at %s s", t1,
				 (long long)r->sc->set.tolerance_us, t2);
		else if (stim)
			pkt_fail(r, e, "timing: expected at %s s, sent at %s s: "
				 "%llu ticks after its stimulus (line %d, %s), "
				 "over the %s's reply bound of %lld", t1, t2,
				 (unsigned long long)(fr->first_tick - from),
				 r->in_line, r->in_frame ? "its last beat in" :
				 "its command written", pkt_be_name(r),
				 (long long)r->in_bound);
		else
			pkt_fail(r, e, "timing: expected at %s s%s%s, sent at %s "
				 "s: %llu ticks after it, over the timer scan's "
				 "bound of %llu", t1, e->t.range ? " to " : "",
				 e->t.range ? t3 : "", t2,
				 (unsigned long long)(fr->first_tick - from),
				 (unsigned long long)toe_eut_timer_slack(r->be));
	} else {
		if (r->o->verbose && d && bounded)
			fprintf(r->o->out, "    [%s] line %d: %lld ticks after %s, "
				"at most %llu\n", t2, e->line,
				(long long)fr->first_tick - (long long)from,
				stim ? "its stimulus" : "its time",
				(unsigned long long)(d - from));
		return 0;
	}
	show_frame(r, fr, frame_flow(r, fr));
	return -1;
}

static int do_expect(struct run *r, const struct pkt_event *e)
{
	const struct pkt_time *t = &e->t;
	int64_t tol = r->sc->set.tolerance_us, lo, hi, limit;
	int64_t slack = (int64_t)pkt_be_slack_us(r);
	bool lx = r->o->kind == TOE_EUT_LINUX, stim = false;
	const struct pkt_frame *fr;
	char t1[32], t2[32], t3[32];

	if (t->kind == PKT_T_ANY) {
		lo = INT64_MIN / 2;
		hi = r->t_prev + ANY_WAIT_US;
		limit = hi;
	} else {
		lo = sched(r, t->kind, t->us);
		hi = t->range ? sched(r, t->kind2, t->us2) : lo;
		/* A reply due at the time of the last segment or call is that
		 * stimulus's: it comes within a few cycles, and gets no timer
		 * slack. Only replies due later (a timer's) may be late by
		 * the timer scan's bound. */
		if (r->t_stim >= 0 && lo <= r->t_stim) {
			/* Linux runs in real time beside other programs:
			 * its replies get the fixed slack (scheduling) */
			if (!lx)
				slack = 0;
		}
		/* Linux: a kernel timer fires late by up to 1/8 of its
		 * timeout (the timer wheel's granularity), counted here from
		 * the previous event; at least the fixed slack */
		else if (lx && (lo - r->t_prev) / 8 > slack)
			slack = (lo - r->t_prev) / 8;
		/* the simulated back ends' bounds are checked below, once
		 * the frame is there (sim_timing); waiting up to the
		 * tolerance and the timer slack past them only lets a late
		 * frame be reported as late, not as missing */
		if (!lx && slack < (int64_t)pkt_be_slack_us(r))
			slack = (int64_t)pkt_be_slack_us(r);
		limit = hi + tol + slack;
	}
	for (;;) {
		if (pkt_pending_check(r))
			return -1;
		fr = peek_frame(r);
		if (fr)
			break;
		if (t->kind != PKT_T_ANY && !lx) {
			/* never stop waiting before the back end's own bound
			 * (a tolerance set below it), nor while the stimulus
			 * frame is still going in */
			bool st;
			uint64_t d = sim_deadline(r, lo, hi, &st);
			int64_t dl = d ? (int64_t)be_us(r, d) + 1 : pkt_now(r) + 1;

			if (dl > limit)
				limit = dl;
		}
		if (pkt_now(r) >= limit) {
			pkt_fmt_time(t1, sizeof(t1), lo);
			pkt_fmt_time(t2, sizeof(t2), hi);
			if (t->kind == PKT_T_ANY)
				return pkt_fail(r, e, "missing outbound segment: "
					    "nothing was sent within %lld s (the "
					    "longest a '*' line waits)",
					    (long long)(ANY_WAIT_US / 1000000));
			if (t->range)
				return pkt_fail(r, e, "missing outbound segment: "
					    "expected between %s and %s s", t1, t2);
			if (!lx) {
				pkt_fmt_time(t3, sizeof(t3), limit);
				return pkt_fail(r, e, "missing outbound segment: "
					    "expected at %s s, nothing was sent "
					    "by %s s", t1, t3);
			}
			pkt_fmt_time(t3, sizeof(t3), tol);
			return pkt_fail(r, e, "missing outbound segment: expected at "
				    "%s s (tolerance %s s%s), nothing was sent",
				    t1, t3, slack ? ", late timers more" : "");
		}
		be_run(r, (uint64_t)limit,
			    TOE_EUT_STOP_FRAME |
				    (r->pend.kind != PEND_NONE ? TOE_EUT_STOP_EVENT : 0),
			    t->kind == PKT_T_ANY ? 0 : quiet_until(r, lo - tol));
	}
	if (t->kind != PKT_T_ANY && !lx) {
		if (sim_timing(r, e, lo, hi, fr, &stim))
			return -1;
	} else if ((int64_t)fr->t_us < lo - tol ||
		   (int64_t)fr->t_us > hi + tol + slack) {
		pkt_fmt_time(t1, sizeof(t1), lo);
		pkt_fmt_time(t2, sizeof(t2), (int64_t)fr->t_us);
		pkt_fmt_time(t3, sizeof(t3), tol);
		if (t->range) {
			pkt_fmt_time(t3, sizeof(t3), hi);
			pkt_fail(r, e, "timing: expected between %s and %s s, sent "
			     "at %s s", t1, t3, t2);
		} else {
			pkt_fail(r, e, "timing: expected at %s s (tolerance %s s), sent "
			     "at %s s", t1, t3, t2);
		}
		show_frame(r, fr, frame_flow(r, fr));
		return -1;
	}
	if (compare_out(r, e, fr))
		return -1;
	if (r->o->verbose) {
		char ts[32];

		pkt_fmt_time(ts, sizeof(ts), (int64_t)fr->t_us);
		fprintf(r->o->out, "    [%s] line %d: sent as expected: %s\n", ts,
			e->line, e->text);
	}
	r->have_frame = false;
	r->have_out = true;
	r->out_tick = fr->last_tick;
	/* '+0' after a stimulus's reply: another reply to it */
	if (stim && (int64_t)fr->t_us > r->in_upto)
		r->in_upto = (int64_t)fr->t_us;
	/* packetdrill: what follows '+' counts from when it was sent */
	r->t_prev = (int64_t)fr->t_us;
	return 0;
}

/* ------------------------------------------------------------------ */
/* %{ assert }%                                                        */
/* ------------------------------------------------------------------ */

static bool is_state_operand(const char *s)
{
	return !strcmp(s, "tcpi_state") || pkt_state_const(s) >= 0;
}

static int operand(struct run *r, const struct pkt_event *e, const char *s,
		   int64_t *v)
{
	const struct flow *f = &r->flows[r->cur];
	struct toe_ref_conn_info in;
	int id, st;

	if (s[0] >= '0' && s[0] <= '9') {
		*v = (int64_t)strtoull(s, NULL, 0);
		return 0;
	}
	st = pkt_state_const(s);
	if (st >= 0) {
		*v = st;
		return 0;
	}
	if (!strncmp(s, "tcpi_", 5)) {
		if (pkt_ensure_backend(r, e))
			return -1;
		pkt_drain_events(r);
		id = toe_eut_find(r->be, f->lport, r->set->remote_ip, f->rport);
		if (id < 0 || toe_eut_conn_info(r->be, id, &in,
					   strcmp(s, "tcpi_state") != 0) != 0) {
			if (!strcmp(s, "tcpi_state")) {
				/* No TCB. A connection that a socket knew has
				 * ended: CLOSED. One no socket ever saw (a
				 * SYN-RECEIVED that went away): the listener's
				 * LISTEN, if there is one. */
				bool known = false;

				for (int i = 0; i < r->nconn; i++)
					if (r->conns[i].flow == r->cur)
						known = true;
				*v = !known && r->listening &&
						     f->lport == r->set->bind_port
					     ? TOE_ST_LISTEN
					     : TOE_ST_CLOSED;
				return 0;
			}
			return pkt_fail(r, e, "%s: no connection %u > %u", s, f->lport,
				    f->rport);
		}
		if (!strcmp(s, "tcpi_state"))
			*v = in.state;
		else if (!strcmp(s, "tcpi_snd_mss"))
			*v = in.eff_mss;
		else if (!strcmp(s, "tcpi_retransmits"))
			*v = in.retransmits;
		else
			return pkt_fail(r, e, "unknown name '%s'", s);
		return 0;
	}
	if (!strcmp(s, "isn_flows") || !strcmp(s, "isn_close_pairs")) {
		/* IS-02: the engine's ISNs of all flows; "close" = within
		 * 2^32/200 of each other (circular distance) */
		const uint32_t d = (uint32_t)(4294967296.0 / 200);
		int64_t n = 0, close = 0;

		for (int i = 0; i < r->nflow; i++) {
			if (!r->flows[i].lisn_known)
				continue;
			n++;
			for (int j = i + 1; j < r->nflow; j++) {
				uint32_t x;

				if (!r->flows[j].lisn_known)
					continue;
				x = r->flows[i].lisn - r->flows[j].lisn;
				if (x > 0x80000000u)
					x = 0u - x;
				if (x < d)
					close++;
			}
		}
		*v = s[4] == 'f' ? n : close;
		return 0;
	}
	return pkt_fail(r, e, "unknown name '%s'", s);
}

static int do_code(struct run *r, const struct pkt_event *e)
{
	const struct pkt_code *k = &e->u.code;

	for (int i = 0; i < k->n; i++) {
		const struct pkt_assert *a = &k->a[i];
		int64_t l, rv;
		bool ok;

		if (operand(r, e, a->lhs, &l) || operand(r, e, a->rhs, &rv))
			return -1;
		if (!strcmp(a->op, "=="))
			ok = l == rv;
		else if (!strcmp(a->op, "!="))
			ok = l != rv;
		else if (!strcmp(a->op, "<"))
			ok = l < rv;
		else if (!strcmp(a->op, "<="))
			ok = l <= rv;
		else if (!strcmp(a->op, ">"))
			ok = l > rv;
		else
			ok = l >= rv;
		if (!ok) {
			if (is_state_operand(a->lhs) && is_state_operand(a->rhs))
				return pkt_fail(r, e, "assertion failed: %s %s %s "
					    "(state is %s)", a->lhs, a->op, a->rhs,
					    toe_tcp_state_name((int)l));
			return pkt_fail(r, e, "assertion failed: %s %s %s (%s is %lld)",
				    a->lhs, a->op, a->rhs, a->lhs, (long long)l);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* `commands`                                                          */
/* ------------------------------------------------------------------ */

/* Time of the (n+1)-th retransmission timeout since the first send:
 * sum of min(rto_init * 2^i, rto_max), i = 0..n (Linux's *_retries). */
static uint64_t retries_to_giveup(const struct toe_eut_cfg *c, uint64_t n)
{
	uint64_t t = 0, rto = c->rto_init_us;

	for (uint64_t i = 0; i <= n && i < 64; i++) {
		t += rto;
		rto = rto * 2 > c->rto_max_us ? c->rto_max_us : rto * 2;
	}
	return t;
}

/* One sysctl. 1 applied, 0 ignored (reason in why), -1 bad value. */
static int apply_sysctl(struct run *r, const char *key, const char *val,
			const char **why)
{
	static const char *const no_engine_part[] = {
		"net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack",
		"net.ipv4.tcp_window_scaling", "net.ipv4.tcp_ecn",
		"net.ipv4.tcp_dsack", "net.ipv4.tcp_fack",
		"net.ipv4.tcp_fastopen", NULL
	};
	struct toe_eut_cfg *c = &r->cfg;
	char *end;
	unsigned long long v = strtoull(val, &end, 10);

	*why = NULL;
	if (*end || !*val) {
		for (const char *const *p = no_engine_part; *p; p++)
			if (!strcmp(key, *p))
				goto opt;
		*why = "not a number, no engine equivalent";
		return 0;
	}
	if (!strcmp(key, "net.ipv4.tcp_syn_retries"))
		c->syn_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_synack_retries"))
		c->synack_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_retries2"))
		c->fin_giveup_us = retries_to_giveup(c, v);
	else if (!strcmp(key, "net.ipv4.tcp_challenge_ack_limit") ||
		 !strcmp(key, "net.toe.challenge_ack_limit"))
		c->ca_limit = (uint32_t)(v > 0xFFFFFFFFu ? 0xFFFFFFFFu : v);
	else if (!strcmp(key, "net.toe.challenge_ack_window_ms"))
		c->ca_window_us = v * 1000;
	else if (!strcmp(key, "net.toe.msl_ms"))
		c->msl_us = v * 1000;
	else if (!strcmp(key, "net.toe.rto_init_ms") && v)
		c->rto_init_us = v * 1000;
	else if (!strcmp(key, "net.toe.rto_max_ms") && v)
		c->rto_max_us = v * 1000;
	else if (!strcmp(key, "net.toe.syn_giveup_ms"))
		c->syn_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.synack_giveup_ms"))
		c->synack_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.fin_giveup_ms"))
		c->fin_giveup_us = v * 1000;
	else if (!strcmp(key, "net.toe.rcv_wnd") && v <= 65535)
		c->rcv_wnd = (uint16_t)v;
	else if (!strcmp(key, "net.toe.syn_wnd") && v <= 65535)
		c->syn_wnd = (uint16_t)v;
	else if (!strcmp(key, "net.toe.mtu") && v >= 128 && v <= 9216)
		c->mtu = (uint16_t)v;
	else if (!strcmp(key, "net.ipv4.ip_default_ttl") && v >= 1 && v <= 255)
		c->ttl = (uint8_t)v;
	else if (!strncmp(key, "net.toe.", 8))
		return -1;
	else
		goto opt;
	return 1;
opt:
	for (const char *const *p = no_engine_part; *p; p++)
		if (!strcmp(key, *p)) {
			*why = "the engine sends MSS only and ignores other "
			       "options it receives";
			return 0;
		}
	if (!strcmp(key, "net.ipv4.tcp_syncookies"))
		*why = "no SYN cookies (SC-01 not implemented)";
	else if (!strcmp(key, "net.ipv4.tcp_rfc1337"))
		*why = "TW-03 is fixed: RST in TIME-WAIT is ignored (RFC 1337)";
	else if (!strcmp(key, "net.ipv4.tcp_fin_timeout"))
		*why = "no FIN-WAIT-2 timeout (RFC 9293 has none)";
	else
		*why = "no engine equivalent";
	return 0;
}

/* ---- linux: sysctls in the namespace ---- */

static int lx_sysctl_apply(struct run *r, const struct pkt_event *e,
			   const char *key, const char *val)
{
	if (toe_eut_linux_sysctl(r->be, key, val) == 0)
		return 0;
	if (errno == ENOENT) {
		pkt_note(r, e, "ignored sysctl %s=%s: not in this kernel's "
			 "network namespace", key, val);
		return 0;
	}
	return pkt_fail(r, e, "sysctl %s=%s in the namespace: %s", key, val,
			strerror(errno));
}

/* One sysctl of a script run on Linux: a Linux name is written in the
 * namespace (now, or when it is made); a net.toe.* name is mapped onto
 * its Linux equivalent where there is one, else noted as unsupported. */
static int lx_sysctl(struct run *r, const struct pkt_event *e, const char *key,
		     const char *val)
{
	const char *why;

	if (!strncmp(key, "net.toe.", 8)) {
		struct toe_eut_cfg keep = r->cfg;

		/* the same checks of the value as on the engine */
		if (apply_sysctl(r, key, val, &why) < 0)
			return pkt_fail(r, e, "bad value for %s: '%s'", key, val);
		if (!strcmp(key, "net.toe.mtu"))
			return 0; /* the link's MTU: kept in r->cfg */
		r->cfg = keep;
		if (!strcmp(key, "net.toe.challenge_ack_limit"))
			key = "net.ipv4.tcp_challenge_ack_limit";
		else {
			pkt_note(r, e, "ignored sysctl %s=%s: no Linux "
				 "equivalent", key, val);
			return 0;
		}
	}
	if (strncmp(key, "net.", 4)) {
		pkt_note(r, e, "ignored sysctl %s=%s: only net.* is set in "
			 "the namespace", key, val);
		return 0;
	}
	if (r->be)
		return lx_sysctl_apply(r, e, key, val);
	if (r->n_lx_sysctl == PKT_LX_MAX_SYSCTL)
		return pkt_fail(r, e, "more than %d sysctls", PKT_LX_MAX_SYSCTL);
	snprintf(r->lx_sysctl[r->n_lx_sysctl].key,
		 sizeof(r->lx_sysctl[0].key), "%s", key);
	snprintf(r->lx_sysctl[r->n_lx_sysctl].val,
		 sizeof(r->lx_sysctl[0].val), "%s", val);
	r->lx_sysctl[r->n_lx_sysctl++].e = e;
	return 0;
}

static bool changes_config(const struct toe_eut_cfg *a,
			   const struct toe_eut_cfg *b)
{
	return memcmp(a, b, sizeof(*a)) != 0;
}

static int do_shell(struct run *r, const struct pkt_event *e)
{
	char *text = strdup(e->shell), *cmd, *save = NULL;
	struct toe_eut_cfg before = r->cfg;
	int rc = 0;

	if (!text)
		return pkt_fail(r, e, "out of memory");
	for (cmd = strtok_r(text, ";\n", &save); cmd && !rc;
	     cmd = strtok_r(NULL, ";\n", &save)) {
		char *w[16], *s2 = NULL, *tok;
		int n = 0;

		for (tok = strtok_r(cmd, " \t", &s2); tok && n < 16;
		     tok = strtok_r(NULL, " \t", &s2))
			w[n++] = tok;
		if (n == 0)
			continue;
		if (!strcmp(w[0], "sysctl")) {
			bool any = false;

			for (int i = 1; i < n; i++) {
				char *eq;
				const char *why;
				int a;

				if (w[i][0] == '-')
					continue; /* -q -w -e */
				eq = strchr(w[i], '=');
				if (!eq) {
					pkt_note(r, e, "ignored `sysctl %s`: reads "
					     "nothing on the engine", w[i]);
					continue;
				}
				*eq = 0;
				any = true;
				if (r->o->kind == TOE_EUT_LINUX) {
					if (lx_sysctl(r, e, w[i], eq + 1)) {
						rc = -1;
						break;
					}
					continue;
				}
				a = apply_sysctl(r, w[i], eq + 1, &why);
				if (a < 0) {
					rc = pkt_fail(r, e, "bad value for %s: '%s'",
						  w[i], eq + 1);
					break;
				}
				if (a == 0)
					pkt_note(r, e, "ignored sysctl %s=%s: %s", w[i],
					     eq + 1, why);
			}
			(void)any;
			continue;
		}
		/* ip link set [dev X] mtu N / ifconfig X mtu N */
		if ((!strcmp(w[0], "ip") || !strcmp(w[0], "ifconfig"))) {
			int mi = -1;

			for (int i = 1; i + 1 < n; i++)
				if (!strcmp(w[i], "mtu"))
					mi = i;
			if (mi > 0) {
				long v = strtol(w[mi + 1], NULL, 10);

				if (v < 128 || v > 9216) {
					rc = pkt_fail(r, e, "bad MTU '%s'", w[mi + 1]);
					break;
				}
				r->cfg.mtu = (uint16_t)v;
				continue;
			}
		}
		{
			/* rebuild the command text for the note */
			char line[256] = "";
			size_t len = 0;

			for (int i = 0; i < n && len < sizeof(line) - 2; i++)
				len += (size_t)snprintf(line + len,
							sizeof(line) - len, "%s%s",
							i ? " " : "", w[i]);
			pkt_note(r, e, "ignored command `%s`: no engine equivalent",
			     line);
		}
	}
	free(text);
	if (rc)
		return rc;
	if (r->be && changes_config(&before, &r->cfg))
		return pkt_fail(r, e, "configuration change after the engine "
			    "started: put commands before the first packet or "
			    "call that reaches the engine");
	return 0;
}

/* ------------------------------------------------------------------ */
/* the script                                                          */
/* ------------------------------------------------------------------ */

static int do_event(struct run *r, const struct pkt_event *e)
{
	int64_t T;

	r->cur_ev = e;
	if (e->kind == PKT_EV_SHELL && e->t.kind == PKT_T_NONE)
		return do_shell(r, e);
	if (e->kind == PKT_EV_CODE && e->t.kind == PKT_T_NONE) {
		/* attached to the previous event: runs right after it */
		return do_code(r, e);
	}
	if (e->kind == PKT_EV_CALL) {
		const char *n = e->u.call.name;

		/* these calls do not reach the engine */
		if (!strcmp(n, "socket") || !strcmp(n, "bind") ||
		    !strcmp(n, "fcntl") ||
		    (!strcmp(n, "setsockopt") && !r->be)) {
			T = sched(r, e->t.kind, e->t.us);
			if (T < r->t_prev)
				T = r->t_prev;
			if (r->be && advance_to(r, e, T))
				return -1;
			r->t_prev = T;
			return pkt_do_call(r, e, T);
		}
	}
	if (e->kind == PKT_EV_SHELL) {
		T = sched(r, e->t.kind, e->t.us);
		if (r->be && advance_to(r, e, T))
			return -1;
		r->t_prev = T > r->t_prev ? T : r->t_prev;
		return do_shell(r, e);
	}
	if (pkt_ensure_backend(r, e))
		return -1;
	if (e->kind == PKT_EV_OUT)
		return do_expect(r, e);
	T = sched(r, e->t.kind, e->t.us);
	if (advance_to(r, e, T))
		return -1;
	r->t_prev = T;
	if (r->o->verbose) {
		char t[32];

		pkt_fmt_time(t, sizeof(t), pkt_now(r));
		fprintf(r->o->out, "    [%s] line %d: %s\n", t, e->line, e->text);
	}
	switch (e->kind) {
	case PKT_EV_IN:
		r->t_stim = T;
		return do_inject(r, e);
	case PKT_EV_CALL: {
		uint64_t nc = toe_eut_cmd_count(r->be);
		int rc;

		r->t_stim = T;
		rc = pkt_do_call(r, e, T);
		if (toe_eut_cmd_count(r->be) != nc) {
			/* it gave the engine a command: the stimulus of the
			 * replies due now, its bound from the CMD write */
			r->in_t = r->in_upto = T;
			r->in_line = e->line;
			r->in_frame = false;
			r->in_cmd_tick = toe_eut_cmd_tick(r->be);
			r->in_bound = toe_eut_reply_bound(
				r->be, toe_eut_cmd_op(r->be), NULL, 0);
		}
		return rc;
	}
	case PKT_EV_CODE:
		return do_code(r, e);
	default:
		return 0;
	}
}

int pkt_run(const struct pkt_script *sc, const struct pkt_run_opts *o)
{
	struct run *r = calloc(1, sizeof(*r));
	int rc = 0;

	if (!r) {
		fprintf(stderr, "toe-pkt: out of memory\n");
		exit(2);
	}
	r->sc = sc;
	r->set = &sc->set;
	r->o = o;
	r->cfg = sc->set.be;
	r->next_eph = sc->set.ephemeral;
	r->ip_id = 1;
	r->t_stim = -1;
	r->in_t = -1;
	r->frame = malloc(sizeof(*r->frame));
	r->msg = open_memstream(&r->msgbuf, &r->msglen);
	r->notes = open_memstream(&r->notebuf, &r->notelen);
	if (!r->frame || !r->msg || !r->notes) {
		fprintf(stderr, "toe-pkt: out of memory\n");
		exit(2);
	}
	r->cur = pkt_flow_get(r, sc->set.bind_port, sc->set.remote_port);
	if (sc->set.tolerance_given && o->kind != TOE_EUT_LINUX)
		pkt_note(r, NULL, "--tolerance_usecs=%lld: the %s's segments "
			 "are timed by its own bounds; the tolerance applies "
			 "to blocking calls returning late and the wait after "
			 "the last line (docs/pkt.md, \"Timing\")",
			 (long long)sc->set.tolerance_us, pkt_be_name(r));
	for (int i = 0; i < sc->nev && !r->failed; i++) {
		do_event(r, &sc->ev[i]);
		if (r->be && be_error(r))
			pkt_fail(r, &sc->ev[i], "%s", be_error(r));
	}
	if (!r->failed && r->be) {
		/* then nothing: no segment up to the tolerance after the last
		 * event, and no call still blocking */
		int64_t T = r->t_prev + sc->set.tolerance_us;

		if (r->pend.kind != PEND_NONE &&
		    r->pend.end + sc->set.tolerance_us +
				    (int64_t)pkt_be_slack_us(r) > T)
			T = r->pend.end + sc->set.tolerance_us +
			    (int64_t)pkt_be_slack_us(r);
		if (advance_to(r, NULL, T) == 0 && r->pend.kind != PEND_NONE) {
			pkt_pending_poll(r);
			if (r->pend.kind != PEND_NONE && !r->failed) {
				char t[32];

				pkt_fmt_time(t, sizeof(t), r->pend.end);
				pkt_fail(r, r->pend.e, "%s() did not return by %s s "
				     "(blocking call still waiting)",
				     r->pend.e->u.call.name, t);
			}
		}
	}
	fflush(r->msg);
	fflush(r->notes);
	if (r->failed) {
		fprintf(o->out, "FAIL %s (%s)\n", sc->path, pkt_be_name(r));
		if (r->be)
			fprintf(r->msg, "    back end: %s\n", toe_eut_describe(r->be));
		fputs(r->msgbuf, o->out);
		rc = r->be && toe_eut_skips(r->be) ? 2 : 1;
	} else {
		fprintf(o->out, "PASS %s (%s)\n", sc->path, pkt_be_name(r));
	}
	fputs(r->notebuf, o->out);
	fclose(r->msg);
	fclose(r->notes);
	free(r->msgbuf);
	free(r->notebuf);
	if (r->be)
		toe_eut_free(r->be);
	pkt_calls_free(r);
	free(r->frame);
	free(r);
	return rc;
}
