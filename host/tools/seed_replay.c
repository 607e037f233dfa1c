/* SPDX-License-Identifier: MIT */
/*
 * seed_replay.c - the four seed scenarios (seed_replay.h): the reference
 * stack plays each host of the KB 172983 capture in turn, and every frame
 * it sends is compared byte for byte with the capture.
 *
 * The configuration of each scenario is read off the capture:
 *  - ISNs: frame 1 (SYN, seq 8221822) and frame 2 (SYN-ACK, seq 1109645)
 *    are the two hosts' initial sequence numbers; the stack pins them.
 *  - Windows: NTW3's SYN offers 8192 and its later segments 8760 (cfg
 *    syn_wnd / rcv_wnd); BDC3 and 192.94.222.123 offer 8760; 192.94.222.87
 *    offers 28672.
 *  - MSS 1460 in both SYNs: an MTU of 1500.
 *  - TTL 128 with DF from the Windows NT hosts; TTL 63 without DF from
 *    192.94.222.87, a host one router away that starts at 64.
 *  - IP IDs. NT 4 keeps its IP ID counter in host (little-endian) order and
 *    writes it unswapped, so on the wire the ID grows by 0x0100 a datagram:
 *    NTW3's frame 1 has 0x0D01 and frame 3, its next datagram, 0x0E01.
 *    192.94.222.123 sent frame 4 with 0x9BF5 and frame 7 with 0xBAF5, 31
 *    datagrams later (it had other traffic in that second): a step of
 *    0x1F00 reproduces both with one connection. 192.94.222.87 counts in
 *    network order, 0xD282 to 0xD294: a step of 0x12.
 *  - Sequence numbers of the second connection (frames 4-7) are given to
 *    toe_ref_fixture(): both hosts start ESTABLISHED with nothing in flight.
 *
 * Times are the article's time column; they become stack ticks at the
 * stack's configured tick rate.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "seed_replay.h"
#include "toe_decode.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#define NTW3 IP4(131, 107, 2, 214)
#define BDC3 IP4(131, 107, 2, 211)
#define HOST_123 IP4(192, 94, 222, 123)
#define HOST_87 IP4(192, 94, 222, 87)

/* The article's time column, frames 1..7, in microseconds. */
static const uint64_t article_time[TOE_SEED_FRAMES + 1] = {
	0, 2078500, 2078600, 2787000, 16027900, 16028100, 17008500, 17008500,
};

uint64_t toe_seed_time(int n)
{
	if (n < 1 || n > TOE_SEED_FRAMES)
		return 0;
	return article_time[n];
}

enum step_op { OP_FEED, OP_CONNECT, OP_CLOSE };

struct step_def {
	int op;
	int frame;      /* OP_FEED: the frame fed; else the capture frame the
			 * call produces, whose time it is made at */
	int want_sent;  /* capture frame expected in reply, 0 = none */
	int want_state;
	int want_event;
};

struct scen_def {
	const char *name, *host, *setup;
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint16_t mtu, rcv_wnd, syn_wnd;
	uint8_t ttl;
	bool df;
	uint16_t ip_id_init, ip_id_step;
	bool listen;
	bool pin;
	uint32_t isn;
	/* toe_ref_fixture: ESTABLISHED with these numbers, nothing in flight */
	bool fixture;
	bool passive;
	uint32_t snd_nxt, rcv_nxt;
	uint16_t snd_wnd;
	/* A capture frame this host sent: its Ethernet addresses are the
	 * host's own and its next hop's (what ARP gave it). */
	int mac_from;
	unsigned n_steps;
	struct step_def steps[TOE_SEED_MAX_STEPS];
};

static const struct scen_def scenarios[TOE_SEED_SCENARIOS] = {
	[TOE_SEED_PASSIVE_OPEN] = {
		.name = "A passive open",
		.host = "BDC3 131.107.2.211:139",
		.setup = "listens on 139; ISN pinned 1109645, MSS 1460 (MTU "
			 "1500), window 8760, TTL 128, DF, IP ID 0x5B00",
		.local_ip = BDC3, .remote_ip = NTW3,
		.local_port = 139, .remote_port = 1037,
		.mtu = 1500, .rcv_wnd = 8760, .syn_wnd = 0,
		.ttl = 128, .df = true, .ip_id_init = 0x5B00, .ip_id_step = 1,
		.listen = true, .pin = true, .isn = 1109645,
		.mac_from = 2,
		.n_steps = 2,
		.steps = {
			{ OP_FEED, 1, 2, TOE_ST_SYN_RECEIVED, 0 },
			{ OP_FEED, 3, 0, TOE_ST_ESTABLISHED, TOE_EV_ESTABLISHED },
		},
	},
	[TOE_SEED_ACTIVE_OPEN] = {
		.name = "B active open",
		.host = "NTW3 131.107.2.214:1037",
		.setup = "connects to 131.107.2.211:139; ISN pinned 8221822, "
			 "SYN window 8192, window 8760, MSS 1460, TTL 128, DF, "
			 "IP ID 0x0D01 step 0x0100",
		.local_ip = NTW3, .remote_ip = BDC3,
		.local_port = 1037, .remote_port = 139,
		.mtu = 1500, .rcv_wnd = 8760, .syn_wnd = 8192,
		.ttl = 128, .df = true, .ip_id_init = 0x0D01,
		.ip_id_step = 0x0100,
		.pin = true, .isn = 8221822,
		.mac_from = 1,
		.n_steps = 2,
		.steps = {
			{ OP_CONNECT, 1, 1, TOE_ST_SYN_SENT, 0 },
			{ OP_FEED, 2, 3, TOE_ST_ESTABLISHED, TOE_EV_ESTABLISHED },
		},
	},
	[TOE_SEED_ACTIVE_CLOSE] = {
		.name = "C active close",
		.host = "192.94.222.123:2337",
		.setup = "ESTABLISHED, SND.NXT 186685100, RCV.NXT 3462835714; "
			 "window 8760, TTL 128, DF, IP ID 0x9BF5 step 0x1F00",
		.local_ip = HOST_123, .remote_ip = HOST_87,
		.local_port = 2337, .remote_port = 1352,
		.mtu = 1500, .rcv_wnd = 8760, .syn_wnd = 0,
		.ttl = 128, .df = true, .ip_id_init = 0x9BF5,
		.ip_id_step = 0x1F00,
		.fixture = true, .passive = false,
		.snd_nxt = 186685100u, .rcv_nxt = 3462835714u,
		.snd_wnd = 28672,
		.mac_from = 4,
		.n_steps = 3,
		.steps = {
			{ OP_CLOSE, 4, 4, TOE_ST_FIN_WAIT_1, 0 },
			{ OP_FEED, 5, 0, TOE_ST_FIN_WAIT_2, 0 },
			{ OP_FEED, 6, 7, TOE_ST_TIME_WAIT, TOE_EV_PEER_FIN },
		},
	},
	[TOE_SEED_PASSIVE_CLOSE] = {
		.name = "D passive close",
		.host = "192.94.222.87:1352",
		.setup = "ESTABLISHED, SND.NXT 3462835714, RCV.NXT 186685100; "
			 "window 28672, TTL 63, no DF, IP ID 0xD282 step 0x0012",
		.local_ip = HOST_87, .remote_ip = HOST_123,
		.local_port = 1352, .remote_port = 2337,
		.mtu = 1500, .rcv_wnd = 28672, .syn_wnd = 0,
		.ttl = 63, .df = false, .ip_id_init = 0xD282,
		.ip_id_step = 0x0012,
		.fixture = true, .passive = true,
		.snd_nxt = 3462835714u, .rcv_nxt = 186685100u,
		.snd_wnd = 8760,
		.mac_from = 5,
		.n_steps = 3,
		.steps = {
			{ OP_FEED, 4, 5, TOE_ST_CLOSE_WAIT, TOE_EV_PEER_FIN },
			{ OP_CLOSE, 6, 6, TOE_ST_LAST_ACK, 0 },
			{ OP_FEED, 7, 0, TOE_ST_CLOSED, TOE_EV_CLOSED },
		},
	},
};

/* ------------------------------------------------------------------ */
/* Comparison                                                         */
/* ------------------------------------------------------------------ */

/* Append to a bounded message. */
static void addf(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static void diff_u(char *why, size_t cap, const char *what, uint32_t got,
		   uint32_t want, bool hex)
{
	if (got == want)
		return;
	if (hex)
		addf(why, cap, "%s 0x%04" PRIX32 " (capture 0x%04" PRIX32 "), ",
		     what, got, want);
	else
		addf(why, cap, "%s %" PRIu32 " (capture %" PRIu32 "), ", what,
		     got, want);
}

static void trim_sep(char *why)
{
	size_t n = strlen(why);

	if (n >= 2 && why[n - 2] == ',' && why[n - 1] == ' ')
		why[n - 2] = '\0';
}

int toe_seed_compare(const uint8_t *got, size_t got_len, const uint8_t *want,
		     size_t want_len, char *why, size_t why_len)
{
	struct toe_frame g, w;
	const uint8_t *gip, *wip;
	size_t gihl, wihl;
	int rc;

	why[0] = '\0';
	rc = toe_parse_frame(got, got_len, &g);
	if (rc != TOE_PARSE_OK) {
		addf(why, why_len, "frame does not parse: %s",
		     toe_parse_result_name(rc));
		return TOE_SEED_DIFFERENT;
	}
	rc = toe_parse_frame(want, want_len, &w);
	if (rc != TOE_PARSE_OK) {
		addf(why, why_len, "capture frame does not parse: %s",
		     toe_parse_result_name(rc));
		return TOE_SEED_DIFFERENT;
	}
	gip = got + TOE_ETH_HLEN;
	wip = want + TOE_ETH_HLEN;
	if (g.ip_total_len == w.ip_total_len &&
	    memcmp(gip, wip, g.ip_total_len) == 0) {
		addf(why, why_len, "IPv4+TCP bytes identical");
		return TOE_SEED_SAME_BYTES;
	}
	gihl = (size_t)g.ip_ihl * 4;
	wihl = (size_t)w.ip_ihl * 4;
	if (g.ip_total_len - gihl == w.ip_total_len - wihl &&
	    memcmp(gip + gihl, wip + wihl, g.ip_total_len - gihl) == 0) {
		addf(why, why_len, "TCP segment identical; IPv4 differs: ");
		rc = TOE_SEED_SAME_TCP;
	} else {
		const struct toe_seg *a = &g.seg, *b = &w.seg;

		diff_u(why, why_len, "src port", a->src_port, b->src_port, false);
		diff_u(why, why_len, "dst port", a->dst_port, b->dst_port, false);
		diff_u(why, why_len, "seq", a->seq, b->seq, false);
		diff_u(why, why_len, "ack", a->ack, b->ack, false);
		diff_u(why, why_len, "flags", a->flags, b->flags, true);
		diff_u(why, why_len, "window", a->win, b->win, false);
		diff_u(why, why_len, "urgent", a->urg, b->urg, false);
		diff_u(why, why_len, "data offset", g.tcp_doff * 4u,
		       w.tcp_doff * 4u, false);
		if (a->opt_raw_len == b->opt_raw_len &&
		    memcmp(a->opt_raw, b->opt_raw, a->opt_raw_len) != 0)
			addf(why, why_len, "option bytes, ");
		diff_u(why, why_len, "payload length", a->len, b->len, false);
		if (a->len == b->len && a->len &&
		    memcmp(a->data, b->data, a->len) != 0)
			addf(why, why_len, "payload bytes, ");
		diff_u(why, why_len, "TCP checksum", g.tcp_csum, w.tcp_csum, true);
		rc = TOE_SEED_DIFFERENT;
	}
	diff_u(why, why_len, "IP header length", gihl, wihl, false);
	diff_u(why, why_len, "IP total length", g.ip_total_len, w.ip_total_len,
	       false);
	diff_u(why, why_len, "TOS", g.ip.tos, w.ip.tos, true);
	diff_u(why, why_len, "id", g.ip.id, w.ip.id, true);
	diff_u(why, why_len, "DF", g.ip.df, w.ip.df, false);
	diff_u(why, why_len, "TTL", g.ip.ttl, w.ip.ttl, false);
	diff_u(why, why_len, "src", g.seg.src_ip, w.seg.src_ip, true);
	diff_u(why, why_len, "dst", g.seg.dst_ip, w.seg.dst_ip, true);
	diff_u(why, why_len, "IP checksum", g.ip_csum, w.ip_csum, true);
	trim_sep(why);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Running a scenario                                                 */
/* ------------------------------------------------------------------ */

static uint64_t usec_to_ticks(uint64_t usec, uint64_t hz)
{
	return usec * (hz / 1000) / 1000 + usec * (hz % 1000) / 1000000;
}

static uint64_t ticks_to_usec(uint64_t ticks, uint64_t hz)
{
	return hz ? ticks / hz * 1000000 + ticks % hz * 1000000 / hz : 0;
}

static int conn_state(const struct toe_ref *r, int conn)
{
	struct toe_ref_conn_info info;

	if (conn < 0 || toe_ref_conn_info(r, conn, &info) != TOE_REF_OK)
		return TOE_ST_CLOSED;
	return info.state;
}

static struct toe_seed_io *new_io(struct toe_seed_result *res)
{
	struct toe_seed_io *io;

	if (res->n_io == TOE_SEED_MAX_IO) {
		res->io_lost++;
		return NULL;
	}
	io = &res->io[res->n_io++];
	memset(io, 0, sizeof(*io));
	return io;
}

/* Take everything the stack queued during a step: frames and events. */
static void drain(struct toe_ref *r, const struct scen_def *d,
		  const struct toe_seed_capture *cap, uint64_t hz,
		  struct toe_seed_result *res, unsigned step)
{
	struct toe_seed_step *st = &res->step[step];
	const uint8_t *mac = cap->frame[d->mac_from];
	struct toe_ref_out out;
	struct toe_ref_event ev;

	while (toe_ref_pop_out(r, &out) == 1) {
		struct toe_seed_io *io = new_io(res);
		int want;
		int len;
		char why[128];

		st->n_sent++;
		if (!io)
			continue;
		io->sent = true;
		io->step = step;
		io->ts_usec = ticks_to_usec(out.time, hz);
		len = toe_build_frame(io->frame, sizeof(io->frame), mac, mac + 6,
				      &out.ip, &out.seg);
		io->len = len > 0 ? (size_t)len : 0;
		want = st->n_sent == 1 ? st->want_sent : 0;
		io->capture_no = want;
		if (len <= 0) {
			snprintf(io->verdict, sizeof(io->verdict),
				 "the stack's segment could not be built");
		} else if (!want) {
			snprintf(io->verdict, sizeof(io->verdict),
				 "UNEXPECTED: the capture has no frame here");
		} else {
			io->match = toe_seed_compare(io->frame, io->len,
						     cap->frame[want],
						     cap->len[want], why,
						     sizeof(why));
			snprintf(io->verdict, sizeof(io->verdict), "%s capture "
				 "frame %d: %s",
				 io->match == TOE_SEED_SAME_BYTES ? "matches" :
				 "DIFFERS from", want, why);
		}
	}
	while (toe_ref_pop_event(r, &ev) == 1) {
		st->n_events++;
		if (res->n_ev < TOE_SEED_MAX_EV) {
			res->ev[res->n_ev] = ev;
			res->ev_step[res->n_ev] = step;
			res->n_ev++;
		}
	}
}

/* Decide whether a step went as the capture says. */
static void judge(struct toe_seed_result *res, unsigned step)
{
	struct toe_seed_step *st = &res->step[step];
	unsigned want_n = st->want_sent ? 1 : 0;
	unsigned i;

	st->ok = true;
	st->why[0] = '\0';
	if (st->rc < 0) {
		st->ok = false;
		if (st->fed)
			addf(st->why, sizeof(st->why), "frame dropped: %s, ",
			     toe_parse_result_name(st->rc));
		else
			addf(st->why, sizeof(st->why), "%s failed: %s, ",
			     st->action, toe_ref_strerror(st->rc));
	}
	if (st->n_sent != want_n) {
		st->ok = false;
		if (st->want_sent)
			addf(st->why, sizeof(st->why), "sent %u frames, expected "
			     "1 (capture frame %d), ", st->n_sent, st->want_sent);
		else
			addf(st->why, sizeof(st->why), "sent %u frames, expected "
			     "none, ", st->n_sent);
	}
	for (i = 0; i < res->n_io; i++) {
		const struct toe_seed_io *io = &res->io[i];

		if (io->sent && io->step == step && io->capture_no &&
		    io->match != TOE_SEED_SAME_BYTES) {
			st->ok = false;
			addf(st->why, sizeof(st->why), "frame differs from "
			     "capture frame %d, ", io->capture_no);
		}
	}
	if (st->state != st->want_state) {
		st->ok = false;
		addf(st->why, sizeof(st->why), "state %s, expected %s, ",
		     toe_tcp_state_name(st->state),
		     toe_tcp_state_name(st->want_state));
	}
	if (st->n_events != (st->want_event ? 1u : 0u)) {
		st->ok = false;
		addf(st->why, sizeof(st->why), "%u events, expected %s, ",
		     st->n_events, st->want_event ?
		     toe_ref_event_name(st->want_event) : "none");
	} else if (st->want_event) {
		for (i = 0; i < res->n_ev; i++)
			if (res->ev_step[i] == step &&
			    res->ev[i].type != st->want_event) {
				st->ok = false;
				addf(st->why, sizeof(st->why), "event %s, "
				     "expected %s, ",
				     toe_ref_event_name(res->ev[i].type),
				     toe_ref_event_name(st->want_event));
			}
	}
	trim_sep(st->why);
}

int toe_seed_run(int scenario, const struct toe_seed_capture *cap,
		 struct toe_seed_result *res)
{
	const struct scen_def *d;
	struct toe_ref_cfg cfg;
	struct toe_ref *r;
	uint64_t hz;
	unsigned i;
	int n;

	memset(res, 0, sizeof(*res));
	res->scenario = scenario;
	res->conn = -1;
	if (scenario < 0 || scenario >= TOE_SEED_SCENARIOS) {
		snprintf(res->err, sizeof(res->err), "no scenario %d", scenario);
		return -1;
	}
	d = &scenarios[scenario];
	res->name = d->name;
	res->host = d->host;
	res->setup = d->setup;
	for (n = 1; n <= TOE_SEED_FRAMES; n++) {
		if (!cap->frame[n] || cap->len[n] < TOE_ETH_HLEN) {
			snprintf(res->err, sizeof(res->err),
				 "capture frame %d missing", n);
			return -1;
		}
	}

	toe_ref_cfg_default(&cfg);
	cfg.local_ip = d->local_ip;
	cfg.mtu = d->mtu;
	cfg.rcv_wnd = d->rcv_wnd;
	cfg.syn_wnd = d->syn_wnd;
	cfg.ttl = d->ttl;
	cfg.df = d->df;
	cfg.ip_id_init = d->ip_id_init;
	cfg.ip_id_step = d->ip_id_step;
	hz = cfg.tick_hz;
	r = toe_ref_new(&cfg);
	if (!r) {
		snprintf(res->err, sizeof(res->err),
			 "toe_ref_new refused the configuration");
		return -1;
	}
	if (d->pin)
		toe_ref_pin_isn(r, d->isn);
	if (d->listen) {
		int rc = toe_ref_listen(r, d->local_port);

		if (rc < 0) {
			snprintf(res->err, sizeof(res->err), "listen(%u): %s",
				 d->local_port, toe_ref_strerror(rc));
			goto out;
		}
	}
	if (d->fixture) {
		struct toe_ref_conn_info info;

		memset(&info, 0, sizeof(info));
		info.state = TOE_ST_ESTABLISHED;
		info.local_ip = d->local_ip;
		info.remote_ip = d->remote_ip;
		info.local_port = d->local_port;
		info.remote_port = d->remote_port;
		/* The ISNs of that connection are not in the capture; any
		 * values before the numbers in use will do. */
		info.iss = d->snd_nxt - 1;
		info.irs = d->rcv_nxt - 1;
		info.snd_una = d->snd_nxt;
		info.snd_nxt = d->snd_nxt;
		info.snd_wnd = d->snd_wnd;
		info.max_snd_wnd = d->snd_wnd;
		info.rcv_nxt = d->rcv_nxt;
		info.rcv_wnd = d->rcv_wnd;
		info.peer_mss = 1460;
		info.eff_mss = 1460;
		info.passive = d->passive;
		res->conn = toe_ref_fixture(r, &info,
			usec_to_ticks(toe_seed_time(d->steps[0].frame), hz));
		if (res->conn < 0) {
			snprintf(res->err, sizeof(res->err), "fixture: %s",
				 toe_ref_strerror(res->conn));
			goto out;
		}
	}

	for (i = 0; i < d->n_steps; i++) {
		const struct step_def *sd = &d->steps[i];
		struct toe_seed_step *st = &res->step[i];
		uint64_t now = usec_to_ticks(toe_seed_time(sd->frame), hz);
		struct toe_seed_io *io;

		st->want_sent = sd->want_sent;
		st->want_state = sd->want_state;
		st->want_event = sd->want_event;
		switch (sd->op) {
		case OP_FEED:
			st->fed = true;
			snprintf(st->action, sizeof(st->action),
				 "fed capture frame %d", sd->frame);
			io = new_io(res);
			if (io) {
				io->step = i;
				io->capture_no = sd->frame;
				io->ts_usec = toe_seed_time(sd->frame);
				io->len = cap->len[sd->frame] < sizeof(io->frame) ?
					  cap->len[sd->frame] : sizeof(io->frame);
				memcpy(io->frame, cap->frame[sd->frame], io->len);
			}
			st->rc = toe_ref_input_frame(r, cap->frame[sd->frame],
						     cap->len[sd->frame], now);
			if (res->conn < 0)
				res->conn = toe_ref_find(r, d->local_ip,
							 d->local_port,
							 d->remote_ip,
							 d->remote_port);
			break;
		case OP_CONNECT:
			snprintf(st->action, sizeof(st->action),
				 "connect() from port %u", d->local_port);
			st->rc = toe_ref_connect(r, d->local_port, d->remote_ip,
						 d->remote_port, now);
			if (st->rc >= 0) {
				res->conn = st->rc;
				st->rc = TOE_REF_OK;
			}
			break;
		case OP_CLOSE:
			snprintf(st->action, sizeof(st->action), "close()");
			st->rc = toe_ref_close(r, res->conn, now);
			break;
		}
		res->n_steps = i + 1;
		drain(r, d, cap, hz, res, i);
		st->state = conn_state(r, res->conn);
		judge(res, i);
	}

out:
	if (toe_ref_lost(r))
		snprintf(res->err, sizeof(res->err),
			 "the stack's queues overflowed (%" PRIu64 " lost)",
			 toe_ref_lost(r));
	else if (res->io_lost)
		snprintf(res->err, sizeof(res->err),
			 "%u frames did not fit in the record", res->io_lost);
	toe_ref_free(r);
	res->ok = res->err[0] == '\0' && res->n_steps == d->n_steps;
	for (i = 0; i < res->n_steps; i++)
		res->ok = res->ok && res->step[i].ok;
	return res->ok ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Printing                                                           */
/* ------------------------------------------------------------------ */

void toe_seed_print(FILE *out, const struct toe_seed_result *res, bool full_fed)
{
	unsigned s, i;

	fprintf(out, "=== %s: %s\n", res->name ? res->name : "?",
		res->host ? res->host : "?");
	if (res->setup)
		fprintf(out, "    %s\n", res->setup);
	if (res->err[0])
		fprintf(out, "    SETUP FAILED: %s\n", res->err);
	for (s = 0; s < res->n_steps; s++) {
		const struct toe_seed_step *st = &res->step[s];
		bool any_ev = false;

		fprintf(out, "\n--- step %u: %s\n\n", s + 1, st->action);
		for (i = 0; i < res->n_io; i++) {
			const struct toe_seed_io *io = &res->io[i];

			if (io->step != s)
				continue;
			if (!io->sent) {
				fputs("<-- fed to the stack:\n", out);
				toe_decode_frame(out, (unsigned)io->capture_no,
						 io->ts_usec, io->frame, io->len,
						 full_fed ? 0 : TOE_DECODE_SUMMARY);
				if (!full_fed)
					fputc('\n', out);
				continue;
			}
			fputs("--> sent by the stack:\n", out);
			toe_decode_frame(out, (unsigned)io->capture_no,
					 io->ts_usec, io->frame, io->len, 0);
			fprintf(out, "    verdict: %s\n\n", io->verdict);
		}
		if (st->n_sent == 0)
			fputs("    sent nothing\n", out);
		for (i = 0; i < res->n_ev; i++) {
			if (res->ev_step[i] != s)
				continue;
			fprintf(out, "    event: %s\n",
				toe_ref_event_name(res->ev[i].type));
			any_ev = true;
		}
		if (!any_ev)
			fputs("    event: none\n", out);
		fprintf(out, "    state: %s%s\n",
			res->conn < 0 && st->state == TOE_ST_CLOSED ?
			"no connection" : toe_tcp_state_name(st->state),
			st->state == TOE_ST_CLOSED && res->conn >= 0 ?
			" (TCB deleted)" : "");
		if (st->ok)
			fputs("    step ok\n", out);
		else
			fprintf(out, "    STEP FAILED: %s\n", st->why);
	}
	fprintf(out, "\n=== %s: %s\n\n", res->name ? res->name : "?",
		res->ok ? "PASS" : "FAIL");
}
