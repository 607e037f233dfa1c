/* SPDX-License-Identifier: MIT */
/*
 * toe_drv.c - the engine's register-level driver (toe_drv.h): commands,
 * connection read-out, events, configuration and statistics over caller-
 * supplied register callbacks. The host library, toe-simd, toe-pkt and the
 * engine tests all drive the engine through this file.
 */
#include "toe_drv.h"

#include <string.h>

#include "toe_bytes.h"

/* ---- helpers ---- */

uint32_t toe_drv_mac_hi(const uint8_t mac[6])
{
	return TOE_FIELD_PUT(TOE_REG_CMD_REMOTE_MAC_HI_MAC, toe_get_be16(mac));
}

uint32_t toe_drv_mac_lo(const uint8_t mac[6])
{
	return toe_get_be32(mac + 2);
}

void toe_drv_mac_get(uint32_t hi, uint32_t lo, uint8_t mac[6])
{
	hi = TOE_FIELD_GET(TOE_REG_CONN_REMOTE_MAC_HI_MAC, hi);
	toe_put_be16(mac, (uint16_t)hi);
	toe_put_be32(mac + 2, lo);
}

uint32_t toe_drv_isn_key_word(const uint8_t key[16], unsigned i)
{
	const uint8_t *k = key + 4 * i;

	return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
	       (uint32_t)k[3] << 24;
}

void toe_drv_init(struct toe_drv *d, const struct toe_drv_ops *ops, void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->ctx = ctx;
	d->burst = 1;
	d->cmd_polls = 1000;
	d->ev_words = 1;
}

const char *toe_drv_strerror(int err)
{
	switch (err) {
	case TOE_DRV_OK: return "success";
	case TOE_DRV_EBUS: return "register access failed";
	case TOE_DRV_ETIMEDOUT: return "command still busy";
	case TOE_DRV_EINVAL: return "invalid argument";
	default: return "unknown error";
	}
}

/* ---- register access ---- */

static unsigned burst_of(const struct toe_drv *d)
{
	return d->burst ? d->burst : 1;
}

int toe_drv_read(struct toe_drv *d, uint32_t addr, uint32_t *val, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < burst_of(d) ? n - done : burst_of(d);
		uint32_t a = addr + 4u * (uint32_t)done;
		int r = d->ops->read(d->ctx, a, val + done, k);

		if (r < 0) {
			d->bus_err = r;
			d->bus_addr = a;
			return TOE_DRV_EBUS;
		}
		done += k;
	}
	return 0;
}

int toe_drv_write(struct toe_drv *d, uint32_t addr, const uint32_t *val,
		  size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < burst_of(d) ? n - done : burst_of(d);
		uint32_t a = addr + 4u * (uint32_t)done;
		int r = d->ops->write(d->ctx, a, val + done, k);

		if (r < 0) {
			d->bus_err = r;
			d->bus_addr = a;
			return TOE_DRV_EBUS;
		}
		done += k;
	}
	return 0;
}

int toe_drv_read32(struct toe_drv *d, uint32_t addr, uint32_t *val)
{
	return toe_drv_read(d, addr, val, 1);
}

int toe_drv_write32(struct toe_drv *d, uint32_t addr, uint32_t val)
{
	return toe_drv_write(d, addr, &val, 1);
}

int toe_drv_read64(struct toe_drv *d, uint32_t addr, uint64_t *val)
{
	uint32_t w[2];
	int r = toe_drv_read(d, addr, w, 2); /* LO (latches HI), then HI */

	if (r == 0)
		*val = (uint64_t)w[1] << 32 | w[0];
	return r;
}

int toe_drv_write64(struct toe_drv *d, uint32_t addr, uint64_t val)
{
	/* HI, then LO: the LO write applies both */
	int r = toe_drv_write32(d, addr + 4, (uint32_t)(val >> 32));

	return r < 0 ? r : toe_drv_write32(d, addr, (uint32_t)val);
}

/*
 * Write the words of w[] whose bit is set in sel, w[i] going to
 * base + 4i: every run of adjacent selected words is one toe_drv_write
 * (split by burst), in ascending order.
 */
static int write_sel(struct toe_drv *d, uint32_t base, const uint32_t *w,
		     uint32_t sel, unsigned n)
{
	unsigned i = 0;

	while (i < n) {
		unsigned j;
		int r;

		if (!(sel >> i & 1)) {
			i++;
			continue;
		}
		for (j = i; j < n && (sel >> j & 1); j++)
			;
		r = toe_drv_write(d, base + 4u * i, w + i, j - i);
		if (r < 0)
			return r;
		i = j;
	}
	return 0;
}

/* ---- commands ---- */

/* CMD_LOCAL_PORT .. CMD: word i is register CMD_LOCAL_PORT + 4i */
#define CMD_WORD(reg) (((reg) - TOE_REG_CMD_LOCAL_PORT) / 4)
#define CMD_WORDS (CMD_WORD(TOE_REG_CMD) + 1)

unsigned toe_drv_cmd_args_of(unsigned op)
{
	switch (op) {
	case TOE_CMD_LISTEN:
	case TOE_CMD_UNLISTEN:
		return TOE_DRV_ARG_LOCAL_PORT;
	case TOE_CMD_CONNECT:
		return TOE_DRV_ARG_LOCAL_PORT | TOE_DRV_ARG_REMOTE_IP |
		       TOE_DRV_ARG_REMOTE_PORT | TOE_DRV_ARG_REMOTE_MAC;
	case TOE_CMD_CLOSE:
	case TOE_CMD_SHUTDOWN:
	case TOE_CMD_ABORT:
		return TOE_DRV_ARG_CONN;
	default:
		return 0;
	}
}

const char *toe_drv_cmd_name(unsigned op)
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

const char *toe_drv_cmd_err_text(unsigned err)
{
	switch (err) {
	case TOE_CMD_OK: return "done";
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

void toe_drv_status_decode(uint32_t raw, struct toe_drv_status *s)
{
	s->raw = raw;
	s->busy = TOE_FIELD_GET(TOE_REG_CMD_STATUS_BUSY, raw);
	s->err = TOE_FIELD_GET(TOE_REG_CMD_STATUS_ERR, raw);
	s->result = TOE_FIELD_GET(TOE_REG_CMD_STATUS_RESULT, raw);
}

/* The argument words of c and the mask of those to write (CMD not set). */
static uint32_t cmd_words(const struct toe_drv_cmd *c, uint32_t w[CMD_WORDS])
{
	uint32_t sel = 0;

	memset(w, 0, CMD_WORDS * sizeof(w[0]));
	w[CMD_WORD(TOE_REG_CMD_LOCAL_PORT)] =
		TOE_FIELD_PUT(TOE_REG_CMD_LOCAL_PORT_PORT, c->local_port);
	w[CMD_WORD(TOE_REG_CMD_REMOTE_IP)] = c->remote_ip;
	w[CMD_WORD(TOE_REG_CMD_REMOTE_PORT)] =
		TOE_FIELD_PUT(TOE_REG_CMD_REMOTE_PORT_PORT, c->remote_port);
	w[CMD_WORD(TOE_REG_CMD_REMOTE_MAC_HI)] = toe_drv_mac_hi(c->remote_mac);
	w[CMD_WORD(TOE_REG_CMD_REMOTE_MAC_LO)] = toe_drv_mac_lo(c->remote_mac);
	w[CMD_WORD(TOE_REG_CMD_CONN)] = TOE_FIELD_PUT(TOE_REG_CMD_CONN_ID, c->conn);
	w[CMD_WORD(TOE_REG_CMD)] = TOE_FIELD_PUT(TOE_REG_CMD_OP, c->op);
	if (c->args & TOE_DRV_ARG_LOCAL_PORT)
		sel |= 1u << CMD_WORD(TOE_REG_CMD_LOCAL_PORT);
	if (c->args & TOE_DRV_ARG_REMOTE_IP)
		sel |= 1u << CMD_WORD(TOE_REG_CMD_REMOTE_IP);
	if (c->args & TOE_DRV_ARG_REMOTE_PORT)
		sel |= 1u << CMD_WORD(TOE_REG_CMD_REMOTE_PORT);
	if (c->args & TOE_DRV_ARG_REMOTE_MAC)
		sel |= 1u << CMD_WORD(TOE_REG_CMD_REMOTE_MAC_HI) |
		       1u << CMD_WORD(TOE_REG_CMD_REMOTE_MAC_LO);
	if (c->args & TOE_DRV_ARG_CONN)
		sel |= 1u << CMD_WORD(TOE_REG_CMD_CONN);
	return sel;
}

int toe_drv_cmd_write_args(struct toe_drv *d, const struct toe_drv_cmd *c)
{
	uint32_t w[CMD_WORDS];
	uint32_t sel = cmd_words(c, w);

	return write_sel(d, TOE_REG_CMD_LOCAL_PORT, w, sel, CMD_WORDS);
}

int toe_drv_cmd_start(struct toe_drv *d, unsigned op)
{
	if (op == TOE_CMD_NOP || op > TOE_FIELD_GET(TOE_REG_CMD_OP, ~0u))
		return TOE_DRV_EINVAL;
	return toe_drv_write32(d, TOE_REG_CMD, TOE_FIELD_PUT(TOE_REG_CMD_OP, op));
}

int toe_drv_cmd_wait(struct toe_drv *d, struct toe_drv_status *s)
{
	uint32_t st = 0;
	unsigned polls = 0;
	int r;

	toe_drv_status_decode(0, s);
	if (d->ops->wait && d->ops->wait(d->ctx, 0))
		return TOE_DRV_ETIMEDOUT;
	for (;;) {
		r = toe_drv_read32(d, TOE_REG_CMD_STATUS, &st);
		if (r < 0)
			return r;
		polls++;
		toe_drv_status_decode(st, s);
		if (!s->busy)
			return 0;
		if (d->cmd_polls && polls >= d->cmd_polls)
			return TOE_DRV_ETIMEDOUT;
		if (d->ops->wait && d->ops->wait(d->ctx, polls))
			return TOE_DRV_ETIMEDOUT;
	}
}

int toe_drv_command(struct toe_drv *d, const struct toe_drv_cmd *c,
		    struct toe_drv_status *s)
{
	uint32_t w[CMD_WORDS];
	uint32_t sel = cmd_words(c, w);
	int r;

	toe_drv_status_decode(0, s);
	if (c->op == TOE_CMD_NOP || c->op > TOE_FIELD_GET(TOE_REG_CMD_OP, ~0u))
		return TOE_DRV_EINVAL;
	/* CMD is the highest address: written last, the arguments in place
	 * when the command starts */
	sel |= 1u << CMD_WORD(TOE_REG_CMD);
	r = write_sel(d, TOE_REG_CMD_LOCAL_PORT, w, sel, CMD_WORDS);
	if (r < 0)
		return r;
	return toe_drv_cmd_wait(d, s);
}

/* ---- connection read-out ---- */

int toe_drv_conn_select(struct toe_drv *d, uint32_t id)
{
	if (id > TOE_FIELD_GET(TOE_REG_CONN_SEL_ID, ~0u))
		return TOE_DRV_EINVAL;
	return toe_drv_write32(d, TOE_REG_CONN_SEL,
			       TOE_FIELD_PUT(TOE_REG_CONN_SEL_ID, id));
}

int toe_drv_conn_read(struct toe_drv *d, unsigned first, unsigned n,
		      uint32_t w[TOE_DRV_CONN_WORDS])
{
	if (first > TOE_DRV_CONN_WORDS || n > TOE_DRV_CONN_WORDS - first)
		return TOE_DRV_EINVAL;
	return toe_drv_read(d, TOE_REG_CONN_STATE + 4u * first, w + first, n);
}

#define CW(reg) w[TOE_DRV_CONN_WORD(reg)]

void toe_drv_conn_decode(const uint32_t w[TOE_DRV_CONN_WORDS], unsigned n,
			 struct toe_drv_conn *c)
{
	uint32_t x[TOE_DRV_CONN_WORDS];

	/* words not read decode as 0 */
	memset(x, 0, sizeof(x));
	memcpy(x, w, (n < TOE_DRV_CONN_WORDS ? n : TOE_DRV_CONN_WORDS) *
			     sizeof(x[0]));
	w = x;
	memset(c, 0, sizeof(*c));
	c->state = (int)TOE_FIELD_GET(TOE_REG_CONN_STATE_STATE, CW(TOE_REG_CONN_STATE));
	c->passive = TOE_FIELD_GET(TOE_REG_CONN_STATE_PASSIVE, CW(TOE_REG_CONN_STATE));
	c->closed_by_user = TOE_FIELD_GET(TOE_REG_CONN_STATE_CLOSED_BY_USER,
					  CW(TOE_REG_CONN_STATE));
	c->wr_shut = TOE_FIELD_GET(TOE_REG_CONN_STATE_WR_SHUT, CW(TOE_REG_CONN_STATE));
	c->retransmits8 = TOE_FIELD_GET(TOE_REG_CONN_STATE_RETRANSMITS,
					CW(TOE_REG_CONN_STATE));
	c->local_ip = CW(TOE_REG_CONN_LOCAL_IP);
	c->remote_ip = CW(TOE_REG_CONN_REMOTE_IP);
	c->local_port = (uint16_t)TOE_FIELD_GET(TOE_REG_CONN_PORTS_LOCAL,
						CW(TOE_REG_CONN_PORTS));
	c->remote_port = (uint16_t)TOE_FIELD_GET(TOE_REG_CONN_PORTS_REMOTE,
						 CW(TOE_REG_CONN_PORTS));
	c->iss = CW(TOE_REG_CONN_ISS);
	c->irs = CW(TOE_REG_CONN_IRS);
	c->snd_una = CW(TOE_REG_CONN_SND_UNA);
	c->snd_nxt = CW(TOE_REG_CONN_SND_NXT);
	c->snd_wnd = CW(TOE_REG_CONN_SND_WND);
	c->rcv_nxt = CW(TOE_REG_CONN_RCV_NXT);
	c->peer_mss = (uint16_t)TOE_FIELD_GET(TOE_REG_CONN_MSS_PEER,
					      CW(TOE_REG_CONN_MSS));
	c->eff_mss = (uint16_t)TOE_FIELD_GET(TOE_REG_CONN_MSS_EFF,
					     CW(TOE_REG_CONN_MSS));
	c->retransmits = CW(TOE_REG_CONN_RETRANSMITS);
	toe_drv_mac_get(CW(TOE_REG_CONN_REMOTE_MAC_HI), CW(TOE_REG_CONN_REMOTE_MAC_LO),
			c->remote_mac);
	c->max_snd_wnd = CW(TOE_REG_CONN_MAX_SND_WND);
}

#undef CW

int toe_drv_conn_info(struct toe_drv *d, uint32_t id, unsigned n,
		      struct toe_drv_conn *c)
{
	uint32_t w[TOE_DRV_CONN_WORDS];
	int r;

	if (n == 0 || n > TOE_DRV_CONN_WORDS)
		return TOE_DRV_EINVAL;
	r = toe_drv_conn_select(d, id);
	if (r == 0)
		r = toe_drv_conn_read(d, 0, n, w);
	if (r < 0)
		return r;
	toe_drv_conn_decode(w, n, c);
	return 0;
}

void toe_drv_conn_to_ref(const struct toe_drv_conn *c,
			 struct toe_ref_conn_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->state = c->state;
	ri->local_ip = c->local_ip;
	ri->remote_ip = c->remote_ip;
	ri->local_port = c->local_port;
	ri->remote_port = c->remote_port;
	ri->iss = c->iss;
	ri->irs = c->irs;
	ri->snd_una = c->snd_una;
	ri->snd_nxt = c->snd_nxt;
	ri->snd_wnd = c->snd_wnd;
	ri->max_snd_wnd = c->max_snd_wnd;
	ri->rcv_nxt = c->rcv_nxt;
	ri->peer_mss = c->peer_mss;
	ri->eff_mss = c->eff_mss;
	ri->passive = c->passive;
	ri->closed_by_user = c->closed_by_user;
	ri->wr_shut = c->wr_shut;
	ri->retransmits = c->retransmits;
}

/* ---- events ---- */

int toe_drv_event_decode(uint32_t pop, struct toe_drv_event *ev)
{
	ev->arg = 0;
	ev->count = -1;
	if (!TOE_FIELD_GET(TOE_REG_EV_POP_VALID, pop)) {
		ev->type = 0;
		ev->conn = 0;
		return 0;
	}
	ev->type = (int)TOE_FIELD_GET(TOE_REG_EV_POP_TYPE, pop);
	ev->conn = (int)TOE_FIELD_GET(TOE_REG_EV_POP_CONN, pop);
	return 1;
}

int toe_drv_event_arg(struct toe_drv *d, struct toe_drv_event *ev)
{
	return toe_drv_read32(d, TOE_REG_EV_ARG, &ev->arg);
}

int toe_drv_event_pop(struct toe_drv *d, struct toe_drv_event *ev)
{
	uint32_t w[3] = { 0, 0, 0 };
	unsigned n = d->ev_words < 1 ? 1 : d->ev_words > 3 ? 3 : d->ev_words;
	int r = toe_drv_read(d, TOE_REG_EV_POP, w, n);

	if (r < 0)
		return r;
	if (!toe_drv_event_decode(w[0], ev))
		return 0;
	if (n >= 2)
		ev->arg = w[1];
	else if (d->ev_arg == TOE_DRV_EV_ARG_ALWAYS ||
		 (d->ev_arg == TOE_DRV_EV_ARG_RX_DATA && ev->type == TOE_EV_RX_DATA)) {
		r = toe_drv_event_arg(d, ev);
		if (r < 0)
			return r;
	}
	if (n >= 3)
		ev->count = (int)TOE_FIELD_GET(TOE_REG_EV_COUNT_COUNT, w[2]);
	return 1;
}

/* ---- configuration ---- */

/* The seven 64-bit durations, in address order. */
static const uint32_t dur_regs[] = {
	TOE_REG_RTO_INIT, TOE_REG_RTO_MAX, TOE_REG_SYN_GIVEUP,
	TOE_REG_SYNACK_GIVEUP, TOE_REG_FIN_GIVEUP, TOE_REG_MSL,
	TOE_REG_CHALLENGE_ACK_WINDOW,
};
#define N_DUR (sizeof(dur_regs) / sizeof(dur_regs[0]))

static uint64_t *dur_field(struct toe_drv_cfg *c, size_t i)
{
	uint64_t *f[N_DUR] = {
		&c->rto_init, &c->rto_max, &c->syn_giveup, &c->synack_giveup,
		&c->fin_giveup, &c->msl, &c->challenge_ack_window,
	};

	return f[i];
}

void toe_drv_cfg_from_ref(struct toe_drv_cfg *c, const struct toe_ref_cfg *rc,
			  const uint8_t mac[6], uint32_t ctrl)
{
	memset(c, 0, sizeof(*c));
	c->ctrl = ctrl;
	memcpy(c->mac, mac, 6);
	c->local_ip = rc->local_ip;
	c->mtu = rc->mtu;
	c->rcv_wnd = rc->rcv_wnd;
	c->syn_wnd = rc->syn_wnd;
	c->ttl = rc->ttl;
	c->df = rc->df;
	c->ip_id_init = rc->ip_id_init;
	c->ip_id_step = rc->ip_id_step;
	c->tick_hz = (uint32_t)rc->tick_hz;
	c->challenge_ack_limit = rc->challenge_ack_limit;
	c->rto_init = rc->rto_init;
	c->rto_max = rc->rto_max;
	c->syn_giveup = rc->syn_giveup;
	c->synack_giveup = rc->synack_giveup;
	c->fin_giveup = rc->fin_giveup;
	c->msl = rc->msl;
	c->challenge_ack_window = rc->challenge_ack_window;
	memcpy(c->isn_key, rc->isn_key, 16);
}

#define GW(reg) w[TOE_DRV_CFG_WORD(reg)]

void toe_drv_cfg_encode(const struct toe_drv_cfg *c,
			uint32_t w[TOE_DRV_CFG_WORDS])
{
	const uint64_t dur[N_DUR] = {
		c->rto_init, c->rto_max, c->syn_giveup, c->synack_giveup,
		c->fin_giveup, c->msl, c->challenge_ack_window,
	};

	memset(w, 0, TOE_DRV_CFG_WORDS * sizeof(w[0]));
	GW(TOE_REG_CTRL) = c->ctrl;
	GW(TOE_REG_LOCAL_MAC_HI) = TOE_FIELD_PUT(TOE_REG_LOCAL_MAC_HI_MAC,
						 (uint32_t)c->mac[0] << 8 | c->mac[1]);
	GW(TOE_REG_LOCAL_MAC_LO) = toe_drv_mac_lo(c->mac);
	GW(TOE_REG_LOCAL_IP) = c->local_ip;
	GW(TOE_REG_MTU) = TOE_FIELD_PUT(TOE_REG_MTU_MTU, c->mtu);
	GW(TOE_REG_WND) = TOE_FIELD_PUT(TOE_REG_WND_SYN_WND, c->syn_wnd) |
			  TOE_FIELD_PUT(TOE_REG_WND_RCV_WND, c->rcv_wnd);
	GW(TOE_REG_IP_CFG) = TOE_FIELD_PUT(TOE_REG_IP_CFG_DF, c->df) |
			     TOE_FIELD_PUT(TOE_REG_IP_CFG_TTL, c->ttl);
	GW(TOE_REG_IP_ID) = TOE_FIELD_PUT(TOE_REG_IP_ID_STEP, c->ip_id_step) |
			    TOE_FIELD_PUT(TOE_REG_IP_ID_INIT, c->ip_id_init);
	GW(TOE_REG_TICK_HZ) = c->tick_hz;
	GW(TOE_REG_CHALLENGE_ACK_LIMIT) = c->challenge_ack_limit;
	for (size_t i = 0; i < N_DUR; i++) {
		GW(dur_regs[i]) = (uint32_t)dur[i];
		GW(dur_regs[i] + 4) = (uint32_t)(dur[i] >> 32);
	}
}

void toe_drv_cfg_decode(const uint32_t w[TOE_DRV_CFG_WORDS],
			struct toe_drv_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->ctrl = GW(TOE_REG_CTRL);
	toe_drv_mac_get(GW(TOE_REG_LOCAL_MAC_HI), GW(TOE_REG_LOCAL_MAC_LO), c->mac);
	c->local_ip = GW(TOE_REG_LOCAL_IP);
	c->mtu = (uint16_t)TOE_FIELD_GET(TOE_REG_MTU_MTU, GW(TOE_REG_MTU));
	c->rcv_wnd = (uint16_t)TOE_FIELD_GET(TOE_REG_WND_RCV_WND, GW(TOE_REG_WND));
	c->syn_wnd = (uint16_t)TOE_FIELD_GET(TOE_REG_WND_SYN_WND, GW(TOE_REG_WND));
	c->ttl = (uint8_t)TOE_FIELD_GET(TOE_REG_IP_CFG_TTL, GW(TOE_REG_IP_CFG));
	c->df = TOE_FIELD_GET(TOE_REG_IP_CFG_DF, GW(TOE_REG_IP_CFG));
	c->ip_id_init = (uint16_t)TOE_FIELD_GET(TOE_REG_IP_ID_INIT, GW(TOE_REG_IP_ID));
	c->ip_id_step = (uint16_t)TOE_FIELD_GET(TOE_REG_IP_ID_STEP, GW(TOE_REG_IP_ID));
	c->tick_hz = GW(TOE_REG_TICK_HZ);
	c->challenge_ack_limit = GW(TOE_REG_CHALLENGE_ACK_LIMIT);
	for (size_t i = 0; i < N_DUR; i++)
		*dur_field(c, i) = (uint64_t)GW(dur_regs[i] + 4) << 32 |
				   GW(dur_regs[i]);
}

int toe_drv_cfg_write(struct toe_drv *d, const struct toe_drv_cfg *c,
		      unsigned groups)
{
	uint32_t w[TOE_DRV_CFG_WORDS], sel = 0;
	bool enable_last = (groups & TOE_DRV_CFG_CTRL) &&
			   (c->ctrl & TOE_REG_CTRL_ENABLE_MASK);
	int r;

	toe_drv_cfg_encode(c, w);
	if ((groups & TOE_DRV_CFG_CTRL) && !enable_last)
		sel |= 1u << TOE_DRV_CFG_WORD(TOE_REG_CTRL);
	if (groups & TOE_DRV_CFG_ADDR)
		sel |= 1u << TOE_DRV_CFG_WORD(TOE_REG_LOCAL_MAC_HI) |
		       1u << TOE_DRV_CFG_WORD(TOE_REG_LOCAL_MAC_LO) |
		       1u << TOE_DRV_CFG_WORD(TOE_REG_LOCAL_IP);
	if (groups & TOE_DRV_CFG_IP)
		sel |= 1u << TOE_DRV_CFG_WORD(TOE_REG_MTU) |
		       1u << TOE_DRV_CFG_WORD(TOE_REG_WND) |
		       1u << TOE_DRV_CFG_WORD(TOE_REG_IP_CFG) |
		       1u << TOE_DRV_CFG_WORD(TOE_REG_IP_ID);
	if (groups & TOE_DRV_CFG_TICK)
		sel |= 1u << TOE_DRV_CFG_WORD(TOE_REG_TICK_HZ);
	if (groups & TOE_DRV_CFG_CA_LIMIT)
		sel |= 1u << TOE_DRV_CFG_WORD(TOE_REG_CHALLENGE_ACK_LIMIT);
	r = write_sel(d, TOE_REG_CTRL, w, sel,
		      TOE_DRV_CFG_WORD(TOE_REG_CHALLENGE_ACK_LIMIT) + 1);
	if (r < 0)
		return r;
	if (groups & TOE_DRV_CFG_TIMERS)
		for (size_t i = 0; i < N_DUR; i++) {
			r = toe_drv_write64(d, dur_regs[i],
					    (uint64_t)GW(dur_regs[i] + 4) << 32 |
					    GW(dur_regs[i]));
			if (r < 0)
				return r;
		}
	if (groups & TOE_DRV_CFG_ISN_KEY) {
		uint32_t k[TOE_REG_ISN_KEY_COUNT];

		for (unsigned i = 0; i < TOE_REG_ISN_KEY_COUNT; i++)
			k[i] = toe_drv_isn_key_word(c->isn_key, i);
		r = toe_drv_write(d, TOE_REG_ISN_KEY_BASE, k, TOE_REG_ISN_KEY_COUNT);
		if (r < 0)
			return r;
	}
	if (enable_last)
		return toe_drv_write32(d, TOE_REG_CTRL, c->ctrl);
	return 0;
}

int toe_drv_cfg_read(struct toe_drv *d, struct toe_drv_cfg *c)
{
	uint32_t w[TOE_DRV_CFG_WORDS];
	int r = toe_drv_read(d, TOE_REG_CTRL, w, TOE_DRV_CFG_WORDS);

	if (r == 0)
		toe_drv_cfg_decode(w, c);
	return r;
}

#undef GW

/* ---- statistics ---- */

int toe_drv_stats_read(struct toe_drv *d, struct toe_ref_stats *st)
{
	static const uint32_t regs[] = {
		TOE_REG_STAT_SEGS_IN, TOE_REG_STAT_SEGS_OUT, TOE_REG_STAT_RST_OUT,
		TOE_REG_STAT_CHALLENGE_ACKS, TOE_REG_STAT_CHALLENGE_ACKS_SUPPRESSED,
		TOE_REG_STAT_DROPPED, TOE_REG_STAT_RX_BYTES, TOE_REG_STAT_RETRANSMITS,
	};
	uint64_t *f[] = {
		&st->segs_in, &st->segs_out, &st->rst_out, &st->challenge_acks,
		&st->challenge_acks_suppressed, &st->dropped, &st->rx_bytes,
		&st->retransmits,
	};
	int r;

	memset(st, 0, sizeof(*st));
	if (burst_of(d) >= TOE_DRV_STAT_WORDS) {
		uint32_t w[TOE_DRV_STAT_WORDS];

		r = toe_drv_read(d, TOE_REG_STAT_SEGS_IN, w, TOE_DRV_STAT_WORDS);
		if (r < 0)
			return r;
#define W64(a) ((uint64_t)w[((a) - TOE_REG_STAT_SEGS_IN) / 4 + 1] << 32 | \
		w[((a) - TOE_REG_STAT_SEGS_IN) / 4])
		for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
			*f[i] = W64(regs[i]);
		for (unsigned i = 0; i < TOE_REG_STAT_PARSE_DROP_COUNT &&
				     i < TOE_PERR_COUNT; i++)
			st->parse_drops[i] = W64(TOE_REG_STAT_PARSE_DROP(i));
#undef W64
		return 0;
	}
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		r = toe_drv_read64(d, regs[i], f[i]);
		if (r < 0)
			return r;
	}
	/* element 0 (OK) reads 0 */
	for (unsigned i = 1; i < TOE_REG_STAT_PARSE_DROP_COUNT &&
			     i < TOE_PERR_COUNT; i++) {
		r = toe_drv_read64(d, TOE_REG_STAT_PARSE_DROP(i),
				   &st->parse_drops[i]);
		if (r < 0)
			return r;
	}
	return 0;
}
