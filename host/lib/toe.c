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
	toe_transport_proto(t->tr, &pt);
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
	t->info.version_major = (w[1] & TOE_REG_VERSION_MAJOR_MASK) >>
				TOE_REG_VERSION_MAJOR_SHIFT;
	t->info.version_minor = (w[1] & TOE_REG_VERSION_MINOR_MASK) >>
				TOE_REG_VERSION_MINOR_SHIFT;
	if (t->info.version_major != TOE_REGMAP_MAJOR) {
		r = toe_seterr(t, TOE_EVERSION, "%s: register map version "
			       "%u.%u, this library speaks %u.x", uri,
			       t->info.version_major, t->info.version_minor,
			       TOE_REGMAP_MAJOR);
		goto fail;
	}
	t->info.n_conn = (w[2] & TOE_REG_BUILD_CONN_N_CONN_MASK) >>
			 TOE_REG_BUILD_CONN_N_CONN_SHIFT;
	/* sizes given as log2: one the library cannot hold in an unsigned
	 * (2^32 or more) is an engine it cannot drive, not a shift */
	ev_log2 = (w[3] & TOE_REG_BUILD_MISC_EV_DEPTH_LOG2_MASK) >>
		  TOE_REG_BUILD_MISC_EV_DEPTH_LOG2_SHIFT;
	if (ev_log2 > TOE_MAX_SIZE_LOG2) {
		r = toe_seterr(t, TOE_EPROTO, "%s: BUILD_MISC reports an event "
			       "FIFO of 2^%u entries; this library handles up to "
			       "2^%u", uri, ev_log2, TOE_MAX_SIZE_LOG2);
		goto fail;
	}
#ifdef TOE_REG_BUILD_MISC_CONN_LOG2_MASK
	/* N_CONN = 65536 does not fit its 16-bit field; CONN_LOG2 always does
	 * (register map 0.2) */
	unsigned conn_log2 = (w[3] & TOE_REG_BUILD_MISC_CONN_LOG2_MASK) >>
			     TOE_REG_BUILD_MISC_CONN_LOG2_SHIFT;

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
	t->info.n_listen = (w[2] & TOE_REG_BUILD_CONN_N_LISTEN_MASK) >>
			   TOE_REG_BUILD_CONN_N_LISTEN_SHIFT;
	t->info.stream_bytes = (w[3] & TOE_REG_BUILD_MISC_STREAM_BYTES_MASK) >>
			       TOE_REG_BUILD_MISC_STREAM_BYTES_SHIFT;
	t->info.ev_depth = 1u << ev_log2;
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

int toe_reg_read64(struct toe *t, uint32_t addr, uint64_t *val)
{
	uint32_t w[2];
	int r;

	if (!val)
		return t ? toe_seterr(t, TOE_EINVAL, "val is NULL") : TOE_EINVAL;
	r = toe_reg_read_n(t, addr, w, 2); /* LO (latches HI), then HI */
	if (r == 0)
		*val = (uint64_t)w[1] << 32 | w[0];
	return r;
}

int toe_reg_write64(struct toe *t, uint32_t addr, uint64_t val)
{
	/* two requests: HI, then LO (the LO write applies both) */
	int r = toe_reg_write(t, addr + 4, (uint32_t)(val >> 32));

	return r < 0 ? r : toe_reg_write(t, addr, (uint32_t)val);
}

/* ---- commands ---- */

static const char *cmd_name(unsigned op)
{
	switch (op) {
	case TOE_CMD_LISTEN: return "LISTEN";
	case TOE_CMD_UNLISTEN: return "UNLISTEN";
	case TOE_CMD_CONNECT: return "CONNECT";
	case TOE_CMD_CLOSE: return "CLOSE";
	case TOE_CMD_SHUTDOWN: return "SHUTDOWN";
	case TOE_CMD_ABORT: return "ABORT";
	default: return "?";
	}
}

/* CMD_STATUS.ERR in words (the register map's descriptions) */
static const char *cmd_err_text(unsigned err)
{
	switch (err) {
	case TOE_CMD_EINVAL: return "bad argument or configuration";
	case TOE_CMD_ENOMEM: return "connection or listener table full";
	case TOE_CMD_EADDRINUSE: return "port already listening or 4-tuple "
					"in use";
	case TOE_CMD_ENOTCONN: return "no such connection (or port not "
				      "listening)";
	case TOE_CMD_ESTATE: return "not valid in the connection's state";
	case TOE_CMD_EPIPE: return "connection already shut down";
	case TOE_CMD_ENOTSUP: return "not implemented";
	case TOE_CMD_EBUSY: return "another command was running";
	default: return "unknown result code";
	}
}

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
 * Write the arguments and CMD.OP in one burst (ascending addresses: OP is
 * written last, so the arguments are in place when the command starts),
 * then read CMD_STATUS until BUSY is 0. The burst is one request executed
 * exactly once, so a command is never started twice by a retransmission.
 */
static int run_cmd(struct toe *t, unsigned op, uint16_t lport, uint32_t rip,
		   uint16_t rport, const uint8_t mac[6], uint16_t conn,
		   uint32_t *result, const char *what)
{
	uint32_t w[7], st = 0;
	uint64_t deadline;
	unsigned err;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	w[0] = lport;
	w[1] = rip;
	w[2] = rport;
	w[3] = mac ? (uint32_t)mac[0] << 8 | mac[1] : 0;
	w[4] = mac ? (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 |
		     (uint32_t)mac[4] << 8 | mac[5] : 0;
	w[5] = conn;
	w[6] = op;
	r = toe_proto_write(t->p, TOE_REG_CMD_LOCAL_PORT, w, 7);
	if (r < 0)
		return toe_proto_err(t, r, what);
	deadline = toe_transport_now_ms(t->tr) + (uint64_t)t->tun.cmd_timeout_ms;
	for (;;) {
		r = toe_proto_read32(t->p, TOE_REG_CMD_STATUS, &st);
		if (r < 0)
			return toe_proto_err(t, r, what);
		if (!(st & TOE_REG_CMD_STATUS_BUSY_MASK))
			break;
		if (toe_transport_now_ms(t->tr) > deadline)
			return toe_seterr(t, TOE_ETIMEDOUT, "%s: command %s "
					  "still busy after %d ms", what,
					  cmd_name(op), t->tun.cmd_timeout_ms);
	}
	err = (st & TOE_REG_CMD_STATUS_ERR_MASK) >> TOE_REG_CMD_STATUS_ERR_SHIFT;
	if (result)
		*result = (st & TOE_REG_CMD_STATUS_RESULT_MASK) >>
			  TOE_REG_CMD_STATUS_RESULT_SHIFT;
	r = cmd_err(err);
	if (r < 0)
		return toe_seterr(t, r, "%s: the engine refused %s: %s", what,
				  cmd_name(op), cmd_err_text(err));
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
	return r < 0 ? r : (int)id;
}

static int conn_cmd(struct toe *t, unsigned op, int conn, const char *what)
{
	if (t && (conn < 0 || conn > 0xFFFF))
		return toe_seterr(t, TOE_EINVAL, "%s: connection id %d", what,
				  conn);
	return run_cmd(t, op, 0, 0, 0, NULL, (uint16_t)conn, NULL, what);
}

int toe_conn_close(struct toe *t, int conn)
{
	return conn_cmd(t, TOE_CMD_CLOSE, conn, "close");
}

int toe_conn_shutdown(struct toe *t, int conn)
{
	return conn_cmd(t, TOE_CMD_SHUTDOWN, conn, "shutdown");
}

int toe_conn_abort(struct toe *t, int conn)
{
	return conn_cmd(t, TOE_CMD_ABORT, conn, "abort");
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

/* CONN_STATE .. CONN_MSS, and with register map 0.2 up to
 * CONN_MAX_SND_WND */
#ifdef TOE_REG_CONN_MAX_SND_WND
#define CONN_WORDS ((TOE_REG_CONN_MAX_SND_WND - TOE_REG_CONN_STATE) / 4 + 1)
#else
#define CONN_WORDS 11
#endif

int toe_conn_info(struct toe *t, int conn, struct toe_conn_info *ci)
{
	uint32_t w[CONN_WORDS];
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!ci || conn < 0 || conn > 0xFFFF)
		return toe_seterr(t, TOE_EINVAL, "conn_info: connection id %d",
				  conn);
	/* CONN_SEL takes the snapshot the CONN_* registers then show */
	r = toe_proto_write32(t->p, TOE_REG_CONN_SEL, (uint32_t)conn);
	if (r < 0)
		return toe_proto_err(t, r, "conn_info");
	r = toe_proto_read(t->p, TOE_REG_CONN_STATE, w,
			   t->info.version_minor >= 2 ? CONN_WORDS : 11);
	if (r < 0)
		return toe_proto_err(t, r, "conn_info");
	memset(ci, 0, sizeof(*ci));
	ci->id = conn;
	ci->state = (int)((w[0] & TOE_REG_CONN_STATE_STATE_MASK) >>
			  TOE_REG_CONN_STATE_STATE_SHIFT);
	ci->passive = w[0] & TOE_REG_CONN_STATE_PASSIVE_MASK;
	ci->closed_by_user = w[0] & TOE_REG_CONN_STATE_CLOSED_BY_USER_MASK;
	ci->wr_shut = w[0] & TOE_REG_CONN_STATE_WR_SHUT_MASK;
	ci->retransmits = (w[0] & TOE_REG_CONN_STATE_RETRANSMITS_MASK) >>
			  TOE_REG_CONN_STATE_RETRANSMITS_SHIFT;
	ci->local_ip = w[1];
	ci->remote_ip = w[2];
	ci->local_port = (uint16_t)((w[3] & TOE_REG_CONN_PORTS_LOCAL_MASK) >>
				    TOE_REG_CONN_PORTS_LOCAL_SHIFT);
	ci->remote_port = (uint16_t)((w[3] & TOE_REG_CONN_PORTS_REMOTE_MASK) >>
				     TOE_REG_CONN_PORTS_REMOTE_SHIFT);
	ci->iss = w[4];
	ci->irs = w[5];
	ci->snd_una = w[6];
	ci->snd_nxt = w[7];
	ci->snd_wnd = w[8];
	ci->rcv_nxt = w[9];
	ci->peer_mss = (uint16_t)((w[10] & TOE_REG_CONN_MSS_PEER_MASK) >>
				  TOE_REG_CONN_MSS_PEER_SHIFT);
	ci->eff_mss = (uint16_t)((w[10] & TOE_REG_CONN_MSS_EFF_MASK) >>
				 TOE_REG_CONN_MSS_EFF_SHIFT);
#ifdef TOE_REG_CONN_MAX_SND_WND
	if (t->info.version_minor >= 2) {
		ci->retransmits = w[11];
		ci->remote_mac[0] = (uint8_t)(w[12] >> 8);
		ci->remote_mac[1] = (uint8_t)w[12];
		ci->remote_mac[2] = (uint8_t)(w[13] >> 24);
		ci->remote_mac[3] = (uint8_t)(w[13] >> 16);
		ci->remote_mac[4] = (uint8_t)(w[13] >> 8);
		ci->remote_mac[5] = (uint8_t)w[13];
		ci->max_snd_wnd = w[14];
	}
#endif
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
 * Pop the engine's event FIFO into the handle's queue: EV_POP, EV_ARG and
 * EV_COUNT in one burst (the argument of the event just popped, and how
 * many are left), until the FIFO is empty or the queue is full. Leaving
 * the FIFO empty re-arms the bridge's notification.
 */
static int drain(struct toe *t)
{
	while (t->qn < TOE_EVQ_LEN) {
		uint32_t w[3];
		struct toe_event *e;
		int r = toe_proto_read(t->p, TOE_REG_EV_POP, w, 3);

		if (r < 0)
			return toe_proto_err(t, r, "event pop");
		if (!(w[0] & TOE_REG_EV_POP_VALID_MASK))
			break;
		e = &t->q[(t->qh + t->qn) % TOE_EVQ_LEN];
		e->type = (int)((w[0] & TOE_REG_EV_POP_TYPE_MASK) >>
				TOE_REG_EV_POP_TYPE_SHIFT);
		e->conn = (int)((w[0] & TOE_REG_EV_POP_CONN_MASK) >>
				TOE_REG_EV_POP_CONN_SHIFT);
		e->arg = w[1];
		t->qn++;
		if ((w[2] & TOE_REG_EV_COUNT_COUNT_MASK) == 0)
			break;
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
	uint32_t w[(TOE_REG_STAT_PARSE_DROP_HI(TOE_REG_STAT_PARSE_DROP_COUNT - 1)
		    - TOE_REG_STAT_SEGS_IN) / 4 + 1];
	struct toe_proto_stats ps;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!st)
		return toe_seterr(t, TOE_EINVAL, "st is NULL");
	/* one read, in bursts: every LO is read right before its HI */
	r = toe_proto_read(t->p, TOE_REG_STAT_SEGS_IN, w,
			   sizeof(w) / sizeof(w[0]));
	if (r < 0)
		return toe_proto_err(t, r, "stats");
	memset(st, 0, sizeof(*st));
#define W64(addr) ((uint64_t)w[((addr) - TOE_REG_STAT_SEGS_IN) / 4 + 1] << 32 | \
		   w[((addr) - TOE_REG_STAT_SEGS_IN) / 4])
	st->segs_in = W64(TOE_REG_STAT_SEGS_IN);
	st->segs_out = W64(TOE_REG_STAT_SEGS_OUT);
	st->rst_out = W64(TOE_REG_STAT_RST_OUT);
	st->challenge_acks = W64(TOE_REG_STAT_CHALLENGE_ACKS);
	st->challenge_acks_suppressed = W64(TOE_REG_STAT_CHALLENGE_ACKS_SUPPRESSED);
	st->dropped = W64(TOE_REG_STAT_DROPPED);
	st->rx_bytes = W64(TOE_REG_STAT_RX_BYTES);
	st->retransmits = W64(TOE_REG_STAT_RETRANSMITS);
	for (unsigned i = 0; i < TOE_REG_STAT_PARSE_DROP_COUNT && i < TOE_PERR_COUNT; i++)
		st->parse_drops[i] = W64(TOE_REG_STAT_PARSE_DROP(i));
#undef W64
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
