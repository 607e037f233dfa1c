/* SPDX-License-Identifier: MIT */
/*
 * toe.c - the host library API (toe/toe.h): open and check an engine,
 * register access, commands, connection read-out, events, statistics.
 * Configuration is in toe_config.c, the ISN policy in toe_isn.c.
 *
 * Everything goes through the bridge protocol (toe_proto.h), so every
 * register write and every command is executed exactly once on the
 * engine, whatever the link loses or corrupts.
 */
#include "toe_lib.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the largest table size, as log2, that an engine may report: the sizes
 * are unsigned */
#define TOE_MAX_SIZE_LOG2 31u

/* ---- errors ---- */

const char *toe_strerror(int err)
{
	switch (err) {
	case TOE_OK: return "success";
	case TOE_EINVAL: return "invalid argument";
	case TOE_ENOMEM: return "out of memory";
	case TOE_EURI: return "malformed URI";
	case TOE_ESCHEME: return "unknown URI scheme";
	case TOE_ENODEV: return "no such device";
	case TOE_ECONNREFUSED: return "connection refused";
	case TOE_EIO: return "transport I/O error";
	case TOE_EDISCONNECTED: return "link lost";
	case TOE_ETIMEDOUT: return "engine did not answer";
	case TOE_EPROTO: return "protocol error";
	case TOE_ENOTTOE: return "not a TOE engine";
	case TOE_EVERSION: return "unsupported register map version";
	case TOE_EREG: return "register access refused";
	case TOE_ENOTOPEN: return "no engine open";
	case TOE_EBUSY: return "engine busy";
	case TOE_ECMD_INVAL: return "engine: bad argument or configuration";
	case TOE_ENOSPACE: return "engine: table full";
	case TOE_EADDRINUSE: return "engine: address in use";
	case TOE_ENOTCONN: return "engine: no such connection";
	case TOE_ESTATE: return "engine: not valid in this state";
	case TOE_EPIPE: return "engine: connection shut down";
	case TOE_ENOTSUP: return "not supported";
	case TOE_ENOKEY: return "ISN key unknown";
	case TOE_EISN: return "ISN check failed";
	case TOE_ERANGE: return "value out of range";
	default: return "unknown error";
	}
}

int toe_seterr(struct toe *t, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return code;
}

const char *toe_errmsg(const struct toe *t)
{
	return t ? t->err : "no handle";
}

/* A toe_proto code as a library code, with the message. */
int toe_proto_err(struct toe *t, int r, const char *what)
{
	const char *pm = t->p ? toe_proto_errmsg(t->p) : "";

	if (r >= 0)
		return r;
	switch (r) {
	case TOE_PROTO_EIO: {
		int tc = toe_transport_errcode(t->tr);

		return toe_seterr(t, tc < 0 ? tc : TOE_EIO, "%s: %s", what,
				  toe_transport_error(t->tr));
	}
	case TOE_PROTO_ETIMEDOUT:
		return toe_seterr(t, TOE_ETIMEDOUT, "%s: %s (%s)", what, pm,
				  toe_transport_uri(t->tr));
	case TOE_PROTO_EADDR:
		return toe_seterr(t, TOE_EREG, "%s: %s", what, pm);
	case TOE_PROTO_EINVAL:
	case TOE_PROTO_EALIGN:
		return toe_seterr(t, TOE_EINVAL, "%s: %s", what, pm);
	case TOE_PROTO_ENOMEM:
		return toe_seterr(t, TOE_ENOMEM, "%s: out of memory", what);
	case TOE_PROTO_EBUSY:
		return toe_seterr(t, TOE_EBUSY, "%s: %s", what, pm);
	default: /* EPROTO, EVERSION, ETYPE, ELEN */
		return toe_seterr(t, TOE_EPROTO, "%s: %s", what, pm);
	}
}

/* ---- the register driver's bus: the bridge protocol ---- */

static int bus_read(void *ctx, uint32_t addr, uint32_t *val, size_t n)
{
	return toe_proto_read(((struct toe *)ctx)->p, addr, val, n);
}

static int bus_write(void *ctx, uint32_t addr, const uint32_t *val, size_t n)
{
	return toe_proto_write(((struct toe *)ctx)->p, addr, val, n);
}

/* A command is busy for at most the tuning's cmd_timeout_ms, counted
 * from when it was written. */
static int bus_wait(void *ctx, unsigned polls)
{
	struct toe *t = ctx;

	if (polls == 0) {
		t->cmd_deadline = toe_transport_now_ms(t->tr) +
				  (uint64_t)t->tun.cmd_timeout_ms;
		return 0;
	}
	return toe_transport_now_ms(t->tr) > t->cmd_deadline;
}

static const struct toe_drv_ops bus_ops = {
	.read = bus_read,
	.write = bus_write,
	.wait = bus_wait,
};

int toe_bus_err(struct toe *t, int r, const char *what)
{
	if (r == TOE_DRV_EBUS)
		return toe_proto_err(t, t->drv.bus_err, what);
	if (r == TOE_DRV_ETIMEDOUT)
		return toe_seterr(t, TOE_ETIMEDOUT, "%s: engine still busy "
				  "after %d ms", what, t->tun.cmd_timeout_ms);
	if (r < 0)
		return toe_seterr(t, TOE_EINVAL, "%s: %s", what,
				  toe_drv_strerror(r));
	return r;
}

/* ---- handle ---- */

struct toe *toe_new(void)
{
	if (sodium_init() < 0) /* the ISN check's SipHash */
		return NULL;
	return calloc(1, sizeof(struct toe));
}

void toe_close(struct toe *t)
{
	if (!t)
		return;
	toe_proto_free(t->p);
	t->p = NULL;
	free(t->fault);
	t->fault = NULL;
	toe_transport_close(t->tr);
	t->tr = NULL;
	t->qh = t->qn = 0;
	free(t->tup);
	t->tup = NULL;
	t->key_known = false;
	memset(t->key, 0, sizeof(t->key));
	memset(&t->info, 0, sizeof(t->info));
}

void toe_free(struct toe *t)
{
	if (!t)
		return;
	toe_close(t);
	free(t);
}

static void on_notify(void *arg, unsigned ev_count, uint8_t seq)
{
	struct toe *t = arg;

	(void)ev_count;
	(void)seq;
	t->notified++;
}

/* The bridge protocol's view of a transport (host/lib/toe_proto.h): the
 * transport layer (driver/) knows nothing of the protocol above it. */
static int pt_write(void *ctx, const uint8_t *buf, size_t n)
{
	return toe_transport_write(ctx, buf, n);
}

static int pt_read(void *ctx, uint8_t *buf, size_t n, int timeout_ms)
{
	return toe_transport_read(ctx, buf, n, timeout_ms);
}

static uint64_t pt_now(void *ctx)
{
	return toe_transport_now_ms(ctx);
}

int toe_open(struct toe *t, const char *uri)
{
	struct toe_proto_transport pt;
	struct toe_proto_cfg cfg;
	struct toe_proto_info pi;
	uint32_t w[4];
	unsigned ev_log2;
	int r;

	if (!t)
		return TOE_EINVAL;
	if (!uri)
		return toe_seterr(t, TOE_EINVAL, "no URI");
	if (t->tr)
		return toe_seterr(t, TOE_EBUSY, "handle already has %s open",
				  toe_transport_uri(t->tr));
	t->err[0] = 0;
	r = toe_transport_open(uri, &t->tr, t->err, sizeof(t->err));
	if (r < 0)
		return r;
	toe_transport_tuning(t->tr, &t->tun);
	toe_proto_cfg_default(&cfg);
	cfg.timeout_ms = t->tun.timeout_ms;
	cfg.retries = (unsigned)t->tun.retries;
	memset(&pt, 0, sizeof(pt));
	pt.ctx = t->tr;
	pt.write = pt_write;
	pt.read = pt_read;
	pt.now_ms = pt_now;
	if (t->tun.fault_corrupt || t->tun.fault_drop || t->tun.fault_dup ||
	    t->tun.fault_garbage) {
		struct toe_proto_fault_cfg fc = {
			.seed = t->tun.fault_seed,
			.corrupt_ppm = t->tun.fault_corrupt,
			.drop_ppm = t->tun.fault_drop,
			.dup_ppm = t->tun.fault_dup,
			.garbage_ppm = t->tun.fault_garbage,
			.garbage_max = 8,
			.to_engine = true,
			.to_host = true,
		};
		struct toe_proto_transport inner = pt;

		t->fault = calloc(1, sizeof(*t->fault));
		if (!t->fault) {
			r = toe_seterr(t, TOE_ENOMEM, "out of memory");
			goto fail;
		}
		toe_proto_fault_init(t->fault, &inner, &fc, &pt);
	}
	t->p = toe_proto_new(&pt, &cfg);
	if (!t->p) {
		r = toe_seterr(t, TOE_ENOMEM, "out of memory");
		goto fail;
	}
	toe_proto_set_event_fn(t->p, on_notify, t);
	/* bursts of any length (toe_proto splits them at MAX_BURST); a
	 * command is bounded by time (bus_wait), not by polls; EV_POP, EV_ARG
	 * and EV_COUNT in one read */
	toe_drv_init(&t->drv, &bus_ops, t);
	t->drv.burst = ~0u;
	t->drv.cmd_polls = 0;
	t->drv.ev_words = 3;
	r = toe_proto_ping(t->p, &pi);
	if (r == TOE_PROTO_EVERSION) {
		r = toe_seterr(t, TOE_EPROTO, "%s: host bridge: %s", uri,
			       toe_proto_errmsg(t->p));
		goto fail;
	}
	if (r < 0) {
		r = toe_proto_err(t, r, "open: PING");
		goto fail;
	}
	r = toe_proto_read(t->p, TOE_REG_ID, w, 4);
	if (r < 0) {
		r = toe_proto_err(t, r, "open: reading ID");
		goto fail;
	}
	if (w[0] != TOE_REG_ID_RESET) {
		r = toe_seterr(t, TOE_ENOTTOE, "%s: ID register reads 0x%08x, "
			       "not 0x%08x (\"TOE1\"): not a TOE engine", uri,
			       w[0], TOE_REG_ID_RESET);
		goto fail;
	}
	t->info.id = w[0];
	t->info.version_major = TOE_FIELD_GET(TOE_REG_VERSION_MAJOR, w[1]);
	t->info.version_minor = TOE_FIELD_GET(TOE_REG_VERSION_MINOR, w[1]);
	if (t->info.version_major != TOE_REGMAP_MAJOR) {
		r = toe_seterr(t, TOE_EVERSION, "%s: register map version "
			       "%u.%u, this library speaks %u.x", uri,
			       t->info.version_major, t->info.version_minor,
			       TOE_REGMAP_MAJOR);
		goto fail;
	}
	t->info.n_conn = TOE_FIELD_GET(TOE_REG_BUILD_CONN_N_CONN, w[2]);
	/* sizes given as log2: one the library cannot hold in an unsigned
	 * (2^32 or more) is an engine it cannot drive, not a shift */
	ev_log2 = TOE_FIELD_GET(TOE_REG_BUILD_MISC_EV_DEPTH_LOG2, w[3]);
	if (ev_log2 > TOE_MAX_SIZE_LOG2) {
		r = toe_seterr(t, TOE_EPROTO, "%s: BUILD_MISC reports an event "
			       "FIFO of 2^%u entries; this library handles up to "
			       "2^%u", uri, ev_log2, TOE_MAX_SIZE_LOG2);
		goto fail;
	}
#ifdef TOE_REG_BUILD_MISC_CONN_LOG2_MASK
	/* N_CONN = 65536 does not fit its 16-bit field; CONN_LOG2 always does
	 * (register map 0.2) */
	unsigned conn_log2 = TOE_FIELD_GET(TOE_REG_BUILD_MISC_CONN_LOG2, w[3]);

	if (conn_log2 && t->info.version_minor >= 2) {
		if (conn_log2 > TOE_MAX_SIZE_LOG2) {
			r = toe_seterr(t, TOE_EPROTO, "%s: BUILD_MISC reports "
				       "2^%u connections; this library handles "
				       "up to 2^%u", uri, conn_log2,
				       TOE_MAX_SIZE_LOG2);
			goto fail;
		}
		t->info.n_conn = 1u << conn_log2;
	}
#endif
#ifdef TOE_REG_BUILD_MISC_PAY_BUF_LOG2_MASK
	{
		unsigned pay_log2 = TOE_FIELD_GET(TOE_REG_BUILD_MISC_PAY_BUF_LOG2, w[3]);

		/* toe_top cuts frames longer than its payload buffer
		 * (STAT_RX_TOO_LONG) */
		if (t->info.version_minor >= 2 && pay_log2 >= 4 && pay_log2 <= 16)
			t->info.max_frame = 8u << pay_log2;
	}
#endif
	t->info.n_listen = TOE_FIELD_GET(TOE_REG_BUILD_CONN_N_LISTEN, w[2]);
	t->info.stream_bytes = TOE_FIELD_GET(TOE_REG_BUILD_MISC_STREAM_BYTES, w[3]);
	t->info.ev_depth = 1u << ev_log2;
	t->tup = calloc(t->info.n_conn ? t->info.n_conn : 1, sizeof(*t->tup));
	if (!t->tup) {
		r = toe_seterr(t, TOE_ENOMEM, "out of memory");
		goto fail;
	}
	t->info.proto_version = pi.version;
	t->info.max_burst = pi.max_burst;
	snprintf(t->info.uri, sizeof(t->info.uri), "%s", uri);
	return 0;
fail:
	toe_close(t);
	return r;
}

struct toe_transport *toe_get_transport(struct toe *t)
{
	return t ? t->tr : NULL;
}

struct toe_sim *toe_sim_of(struct toe *t)
{
	return t ? toe_transport_sim(t->tr) : NULL;
}

int toe_check_open(struct toe *t)
{
	if (!t)
		return TOE_EINVAL;
	if (!t->tr)
		return toe_seterr(t, TOE_ENOTOPEN, "no engine open");
	return 0;
}

int toe_get_info(struct toe *t, struct toe_info *info)
{
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!info)
		return toe_seterr(t, TOE_EINVAL, "info is NULL");
	*info = t->info;
	return 0;
}

int toe_engine_cycles(struct toe *t, uint64_t *cycles)
{
	int r = toe_check_open(t);

	if (r < 0)
		return r;
#ifdef TOE_REG_NOW
	/* the engine's own clock (register map 0.2), through any transport */
	if (t->info.version_minor >= 2)
		return toe_reg_read64(t, TOE_REG_NOW, cycles);
#endif
	r = toe_transport_engine_cycles(t->tr, cycles);
	if (r < 0)
		return toe_seterr(t, r, "%s", toe_transport_error(t->tr));
	return 0;
}

int toe_conns_used(struct toe *t, unsigned *n)
{
	uint32_t v;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!n)
		return toe_seterr(t, TOE_EINVAL, "n is NULL");
	if (t->info.version_minor < 4)
		return toe_seterr(t, TOE_ENOTSUP, "CONNS_USED needs register "
				  "map 0.4 (the engine has %u.%u)",
				  t->info.version_major, t->info.version_minor);
	if ((r = toe_reg_read(t, TOE_REG_CONNS_USED, &v)) < 0)
		return r;
	*n = (unsigned)v;
	return 0;
}

/* ---- registers ---- */

int toe_reg_read_n(struct toe *t, uint32_t addr, uint32_t *val, size_t count)
{
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	r = toe_proto_read(t->p, addr, val, count);
	return r < 0 ? toe_proto_err(t, r, "register read") : 0;
}

int toe_reg_write_n(struct toe *t, uint32_t addr, const uint32_t *val,
		    size_t count)
{
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	r = toe_proto_write(t->p, addr, val, count);
	return r < 0 ? toe_proto_err(t, r, "register write") : 0;
}

int toe_reg_read(struct toe *t, uint32_t addr, uint32_t *val)
{
	return toe_reg_read_n(t, addr, val, 1);
}

int toe_reg_write(struct toe *t, uint32_t addr, uint32_t val)
{
	return toe_reg_write_n(t, addr, &val, 1);
}

/* 64-bit registers: the register driver's pair access (LO latches HI on
 * a read; HI then LO on a write, the LO write applies both). */
int toe_reg_read64(struct toe *t, uint32_t addr, uint64_t *val)
{
	int r;

	if (!val)
		return t ? toe_seterr(t, TOE_EINVAL, "val is NULL") : TOE_EINVAL;
	r = toe_check_open(t);
	if (r < 0)
		return r;
	r = toe_drv_read64(&t->drv, addr, val);
	return r < 0 ? toe_bus_err(t, r, "register read") : 0;
}

int toe_reg_write64(struct toe *t, uint32_t addr, uint64_t val)
{
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	r = toe_drv_write64(&t->drv, addr, val);
	return r < 0 ? toe_bus_err(t, r, "register write") : 0;
}

/* ---- commands ---- */

static int cmd_err(unsigned err)
{
	switch (err) {
	case TOE_CMD_OK: return 0;
	case TOE_CMD_EINVAL: return TOE_ECMD_INVAL;
	case TOE_CMD_ENOMEM: return TOE_ENOSPACE;
	case TOE_CMD_EADDRINUSE: return TOE_EADDRINUSE;
	case TOE_CMD_ENOTCONN: return TOE_ENOTCONN;
	case TOE_CMD_ESTATE: return TOE_ESTATE;
	case TOE_CMD_EPIPE: return TOE_EPIPE;
	case TOE_CMD_ENOTSUP: return TOE_ENOTSUP;
	case TOE_CMD_EBUSY: return TOE_EBUSY;
	default: return TOE_EPROTO;
	}
}

/*
 * Write the arguments and CMD.OP in one burst (every argument register,
 * ascending: OP is written last, so the arguments are in place when the
 * command starts), then read CMD_STATUS until BUSY is 0. The burst is one
 * request executed exactly once, so a command is never started twice by a
 * retransmission.
 */
static int run_cmd(struct toe *t, unsigned op, uint16_t lport, uint32_t rip,
		   uint16_t rport, const uint8_t mac[6], uint16_t conn,
		   uint32_t *result, const char *what)
{
	struct toe_drv_cmd c = {
		.op = op,
		.args = TOE_DRV_ARG_ALL,
		.local_port = lport,
		.remote_ip = rip,
		.remote_port = rport,
		.conn = conn,
	};
	struct toe_drv_status st;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (mac)
		memcpy(c.remote_mac, mac, 6);
	r = toe_drv_command(&t->drv, &c, &st);
	if (r == TOE_DRV_ETIMEDOUT)
		return toe_seterr(t, TOE_ETIMEDOUT, "%s: command %s still busy "
				  "after %d ms", what, toe_drv_cmd_name(op),
				  t->tun.cmd_timeout_ms);
	if (r < 0)
		return toe_bus_err(t, r, what);
	if (result)
		*result = st.result;
	r = cmd_err(st.err);
	if (r < 0)
		return toe_seterr(t, r, "%s: the engine refused %s: %s", what,
				  toe_drv_cmd_name(op),
				  toe_drv_cmd_err_text(st.err));
	return 0;
}

int toe_listen(struct toe *t, uint16_t port)
{
	return run_cmd(t, TOE_CMD_LISTEN, port, 0, 0, NULL, 0, NULL, "listen");
}

int toe_unlisten(struct toe *t, uint16_t port)
{
	return run_cmd(t, TOE_CMD_UNLISTEN, port, 0, 0, NULL, 0, NULL,
		       "unlisten");
}

int toe_connect(struct toe *t, uint16_t local_port, uint32_t remote_ip,
		uint16_t remote_port, const uint8_t remote_mac[6])
{
	uint32_t id = 0;
	int r;

	if (t && !remote_mac)
		return toe_seterr(t, TOE_EINVAL, "connect: the engine does not "
				  "ARP: give the peer's (next hop's) MAC");
	r = run_cmd(t, TOE_CMD_CONNECT, local_port, remote_ip, remote_port,
		    remote_mac, 0, &id, "connect");
	if (r < 0)
		return r;
	/* a SYN-SENT's REFUSED / TIMEDOUT come before any ESTABLISHED */
	if (id < t->info.n_conn)
		t->tup[id] = (struct toe_tuple){ .valid = true,
			.local_port = local_port, .remote_port = remote_port,
			.remote_ip = remote_ip };
	return (int)id;
}

static int conn_cmd(struct toe *t, unsigned op, int conn, const char *what)
{
	if (t && (conn < 0 || conn > 0xFFFF))
		return toe_seterr(t, TOE_EINVAL, "%s: connection id %d", what,
				  conn);
	return run_cmd(t, op, 0, 0, 0, NULL, (uint16_t)conn, NULL, what);
}

/* A close of a SYN-SENT and every abort delete the connection without an
 * event: forget its tuple (an id this handle saw ESTABLISHED keeps it for
 * the events a close leads to). */
static void tuple_forget(struct toe *t, int conn, bool unless_established)
{
	if (t && t->tup && (unsigned)conn < t->info.n_conn &&
	    !(unless_established && t->tup[conn].established))
		t->tup[conn].valid = false;
}

int toe_conn_close(struct toe *t, int conn)
{
	int r = conn_cmd(t, TOE_CMD_CLOSE, conn, "close");

	if (r == 0)
		tuple_forget(t, conn, true);
	return r;
}

int toe_conn_shutdown(struct toe *t, int conn)
{
	return conn_cmd(t, TOE_CMD_SHUTDOWN, conn, "shutdown");
}

int toe_conn_abort(struct toe *t, int conn)
{
	int r = conn_cmd(t, TOE_CMD_ABORT, conn, "abort");

	if (r == 0)
		tuple_forget(t, conn, false);
	return r;
}

int toe_enable(struct toe *t, bool on)
{
	uint32_t ctrl;
	int r = toe_reg_read(t, TOE_REG_CTRL, &ctrl);

	if (r < 0)
		return r;
	ctrl = on ? ctrl | TOE_REG_CTRL_ENABLE_MASK :
		    ctrl & ~TOE_REG_CTRL_ENABLE_MASK;
	return toe_reg_write(t, TOE_REG_CTRL, ctrl);
}

/* ---- connection read-out ---- */

int toe_conn_info(struct toe *t, int conn, struct toe_conn_info *ci)
{
	struct toe_drv_conn c;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!ci || conn < 0 || conn > 0xFFFF)
		return toe_seterr(t, TOE_EINVAL, "conn_info: connection id %d",
				  conn);
	/* CONN_SEL takes the snapshot the CONN_* registers then show: one
	 * write, then CONN_STATE .. CONN_MSS (register map 0.1) or
	 * .. CONN_MAX_SND_WND (0.2) in one read */
	r = toe_drv_conn_info(&t->drv, (uint32_t)conn,
			      t->info.version_minor >= 2 ? TOE_DRV_CONN_WORDS :
			      TOE_DRV_CONN_WORDS_V1, &c);
	if (r < 0)
		return toe_bus_err(t, r, "conn_info");
	memset(ci, 0, sizeof(*ci));
	ci->id = conn;
	ci->state = c.state;
	ci->passive = c.passive;
	ci->closed_by_user = c.closed_by_user;
	ci->wr_shut = c.wr_shut;
	ci->retransmits = c.retransmits8;
	ci->local_ip = c.local_ip;
	ci->remote_ip = c.remote_ip;
	ci->local_port = c.local_port;
	ci->remote_port = c.remote_port;
	ci->iss = c.iss;
	ci->irs = c.irs;
	ci->snd_una = c.snd_una;
	ci->snd_nxt = c.snd_nxt;
	ci->snd_wnd = c.snd_wnd;
	ci->rcv_nxt = c.rcv_nxt;
	ci->peer_mss = c.peer_mss;
	ci->eff_mss = c.eff_mss;
	if (t->info.version_minor >= 2) {
		ci->retransmits = c.retransmits;
		memcpy(ci->remote_mac, c.remote_mac, 6);
		ci->max_snd_wnd = c.max_snd_wnd;
	}
	return 0;
}

/* ---- events ---- */

const char *toe_event_name(int type)
{
#define EV_NAME(c, name, v) case c: return name;
	switch (type) {
	TOE_EVENT_TYPE_FOREACH(EV_NAME)
	default: return "?";
	}
#undef EV_NAME
}

/*
 * Tuples. The engine's events name only the connection id; an id is
 * reused as soon as its connection is gone, and a listener's connection
 * raises no event before its ESTABLISHED. So for an ESTABLISHED the
 * library reads the connection (CONN_SEL: a snapshot) after popping the
 * event, then pops on until the FIFO is empty. The engine pushes an event
 * that ends a connection (CLOSED, RESET, REFUSED, TIMEDOUT) in the same
 * cycle it deletes it, so if the snapshot were of a later connection on
 * that id, the end of the first one would be among the events popped
 * after the ESTABLISHED and before the FIFO was seen empty: then nothing
 * is claimed. Otherwise the snapshot's tuple is the connection's, and its
 * queued events and later ones get it, until the event that ends it.
 */

/* events after which the id is free */
static bool ev_ends(int type)
{
	return type == TOE_EV_CLOSED || type == TOE_EV_RESET ||
	       type == TOE_EV_REFUSED || type == TOE_EV_TIMEDOUT;
}

/* ESTABLISHED events awaiting their snapshot's proof, per drain */
#define TOE_TUPLE_PENDING 32

struct tuple_pending {
	int conn;
	unsigned pos;   /* queue position, counted from t->qh */
	bool read, failed;
	bool seen_empty; /* the FIFO was seen empty after the snapshot */
	struct toe_tuple tup;
};

struct tuple_run {
	struct tuple_pending p[TOE_TUPLE_PENDING];
	unsigned n;
};

/* Pop events into the queue until the FIFO is empty (1) or the queue is
 * full (0), or an error; each popped event is matched against tr. */
static int pop_into_queue(struct toe *t, struct tuple_run *tr)
{
	for (;;) {
		struct toe_drv_event de;
		struct toe_event *e;
		int r;

		if (t->qn >= TOE_EVQ_LEN)
			return 0;
		r = toe_drv_event_pop(&t->drv, &de); /* ev_words 3 */
		if (r < 0)
			return toe_bus_err(t, r, "event pop");
		if (r == 0)
			return 1;
		e = &t->q[(t->qh + t->qn) % TOE_EVQ_LEN];
		memset(e, 0, sizeof(*e));
		e->type = de.type;
		e->conn = de.conn;
		e->arg = de.arg;
		for (unsigned i = 0; i < tr->n; i++)
			if (tr->p[i].conn == e->conn && ev_ends(e->type))
				tr->p[i].failed = true;
		if ((unsigned)e->conn < t->info.n_conn) {
			struct toe_tuple *c = &t->tup[e->conn];

			if (e->type == TOE_EV_ESTABLISHED) {
				/* proven below, or not at all */
				c->valid = false;
				if (tr->n < TOE_TUPLE_PENDING)
					tr->p[tr->n++] = (struct tuple_pending){
						.conn = e->conn, .pos = t->qn };
			} else if (c->valid) {
				e->has_tuple = true;
				e->local_port = c->local_port;
				e->remote_port = c->remote_port;
				e->remote_ip = c->remote_ip;
			}
			if (ev_ends(e->type))
				c->valid = false;
		}
		t->qn++;
		if (de.count == 0)
			return 1;
	}
}

/*
 * Pop the engine's event FIFO into the handle's queue: EV_POP, EV_ARG and
 * EV_COUNT in one burst (the argument of the event just popped, and how
 * many are left), until the FIFO is empty or the queue is full. Leaving
 * the FIFO empty re-arms the bridge's notification. Then prove the tuples
 * of the ESTABLISHED events popped (above).
 */
static int drain(struct toe *t)
{
	struct tuple_run tr = { .n = 0 };
	int empty = pop_into_queue(t, &tr);

	if (empty < 0)
		return empty;
	/* each round reads the snapshots of the ESTABLISHEDs not yet read,
	 * then pops until the FIFO is empty; an ESTABLISHED popped in that
	 * round waits for the next (bounded: at most TOE_TUPLE_PENDING) */
	while (empty == 1) {
		bool any = false;

		for (unsigned i = 0; i < tr.n; i++) {
			struct tuple_pending *p = &tr.p[i];
			struct toe_conn_info ci;
			int r;

			if (p->read || p->failed)
				continue;
			r = toe_conn_info(t, p->conn, &ci);
			if (r < 0)
				return r;
			p->read = true;
			any = true;
			if (ci.state == TOE_ST_CLOSED || ci.state == TOE_ST_LISTEN) {
				p->failed = true;
				continue;
			}
			p->tup = (struct toe_tuple){ .valid = true,
				.local_port = ci.local_port,
				.remote_port = ci.remote_port,
				.remote_ip = ci.remote_ip };
		}
		if (!any)
			break;
		empty = pop_into_queue(t, &tr);
		if (empty < 0)
			return empty;
		for (unsigned i = 0; i < tr.n; i++)
			if (tr.p[i].read && empty == 1)
				tr.p[i].seen_empty = true;
	}
	/* proven: the ESTABLISHED and the events after it, up to its end */
	for (unsigned i = 0; i < tr.n; i++) {
		struct tuple_pending *p = &tr.p[i];

		/* the queue filled before the FIFO was seen empty after this
		 * snapshot: no proof */
		if (!p->read || p->failed || !p->seen_empty)
			continue;
		for (unsigned k = p->pos; k < t->qn; k++) {
			struct toe_event *e = &t->q[(t->qh + k) % TOE_EVQ_LEN];

			if (e->conn != p->conn)
				continue;
			e->has_tuple = true;
			e->local_port = p->tup.local_port;
			e->remote_port = p->tup.remote_port;
			e->remote_ip = p->tup.remote_ip;
		}
		/* later events; a later ESTABLISHED on the id overrides */
		t->tup[p->conn] = p->tup;
		t->tup[p->conn].established = true;
	}
	return 0;
}

static int take(struct toe *t, struct toe_event *ev)
{
	if (!t->qn)
		return 0;
	*ev = t->q[t->qh];
	t->qh = (t->qh + 1) % TOE_EVQ_LEN;
	t->qn--;
	return 1;
}

int toe_event_poll(struct toe *t, struct toe_event *ev, int timeout_ms)
{
	uint64_t deadline;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!ev)
		return toe_seterr(t, TOE_EINVAL, "ev is NULL");
	if (take(t, ev))
		return 1;
	r = drain(t);
	if (r < 0)
		return r;
	if (take(t, ev))
		return 1;
	deadline = toe_transport_now_ms(t->tr) +
		   (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		uint64_t now = toe_transport_now_ms(t->tr);
		int n;

		if (now >= deadline)
			return 0;
		n = toe_proto_poll(t->p, (int)(deadline - now));
		if (n < 0)
			return toe_proto_err(t, n, "event wait");
		/* also after a timeout: a notification can be lost */
		r = drain(t);
		if (r < 0)
			return r;
		if (take(t, ev))
			return 1;
		if (n == 0)
			return 0;
	}
}

void toe_set_event_fn(struct toe *t, toe_event_fn fn, void *arg)
{
	if (!t)
		return;
	t->fn = fn;
	t->fn_arg = arg;
}

int toe_dispatch(struct toe *t, int timeout_ms)
{
	struct toe_event ev;
	int n = 0, r;

	if (!t)
		return TOE_EINVAL;
	if (t->in_dispatch)
		return toe_seterr(t, TOE_EBUSY, "toe_dispatch called from its "
				  "own callback");
	t->in_dispatch = true;
	r = toe_event_poll(t, &ev, timeout_ms);
	while (r == 1) {
		if (t->fn)
			t->fn(t->fn_arg, &ev);
		n++;
		r = toe_event_poll(t, &ev, 0);
	}
	t->in_dispatch = false;
	return r < 0 ? r : n;
}

int toe_events_lost(struct toe *t, uint32_t *lost)
{
	if (!lost)
		return t ? toe_seterr(t, TOE_EINVAL, "lost is NULL") : TOE_EINVAL;
	return toe_reg_read(t, TOE_REG_EV_LOST, lost);
}

/* ---- statistics ---- */

int toe_get_stats(struct toe *t, struct toe_stats *st)
{
	struct toe_ref_stats rs;
	struct toe_proto_stats ps;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!st)
		return toe_seterr(t, TOE_EINVAL, "st is NULL");
	/* one read, in bursts: every LO is read right before its HI */
	r = toe_drv_stats_read(&t->drv, &rs);
	if (r < 0)
		return toe_bus_err(t, r, "stats");
	memset(st, 0, sizeof(*st));
	st->segs_in = rs.segs_in;
	st->segs_out = rs.segs_out;
	st->rst_out = rs.rst_out;
	st->challenge_acks = rs.challenge_acks;
	st->challenge_acks_suppressed = rs.challenge_acks_suppressed;
	st->dropped = rs.dropped;
	st->rx_bytes = rs.rx_bytes;
	st->retransmits = rs.retransmits;
	for (unsigned i = 0; i < TOE_PERR_COUNT; i++)
		st->parse_drops[i] = rs.parse_drops[i];
	r = toe_proto_read32(t->p, TOE_REG_EV_LOST, &st->ev_lost);
	if (r < 0)
		return toe_proto_err(t, r, "stats");
#if defined(TOE_REG_STAT_TABLE_FULL) && defined(TOE_REG_BRIDGE_REPLAY)
	if (t->info.version_minor >= 2) {
		uint32_t x[4], l2[4], br[5];

		if ((r = toe_proto_read(t->p, TOE_REG_STAT_MAC_BAD, x, 4)) < 0 ||
		    (r = toe_proto_read(t->p, TOE_REG_L2_ARP_REPLIES, l2, 4)) < 0 ||
		    (r = toe_proto_read(t->p, TOE_REG_BRIDGE_FRAMES, br, 5)) < 0)
			return toe_proto_err(t, r, "stats");
		st->mac_bad = (uint64_t)x[1] << 32 | x[0];
		st->table_full = (uint64_t)x[3] << 32 | x[2];
		st->arp_replies = l2[0];
		st->arp_busy = l2[1];
		st->icmp_replies = l2[2];
		st->icmp_busy = l2[3];
		st->bridge_frames = br[0];
		st->bridge_crc_errors = br[1];
		st->bridge_oversize = br[2];
		st->bridge_timeouts = br[3];
		st->bridge_replays = br[4];
	}
#endif
#if defined(TOE_REG_STAT_RX_TOO_LONG)
	if (t->info.version_minor >= 3) {
		uint32_t x[2];

		if ((r = toe_proto_read(t->p, TOE_REG_STAT_RX_TOO_LONG, x, 2)) < 0)
			return toe_proto_err(t, r, "stats");
		st->rx_too_long = (uint64_t)x[1] << 32 | x[0];
	}
#endif
	toe_proto_get_stats(t->p, &ps);
	st->link_transactions = ps.transactions;
	st->link_retries = ps.retries;
	st->link_timeouts = ps.timeouts;
	st->link_crc_errors = ps.dec.crc_errors;
	st->link_tx_bytes = ps.tx_bytes;
	st->link_rx_bytes = ps.rx_bytes;
	st->link_events = ps.events;
	if (t->fault)
		st->link_faults = t->fault->st.corrupted + t->fault->st.dropped +
				  t->fault->st.duplicated + t->fault->st.garbage;
	return 0;
}
