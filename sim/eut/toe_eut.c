/* SPDX-License-Identifier: MIT */
/*
 * toe_eut.c - the engine under test (toe_eut.h): the configuration every
 * back end derives from the same numbers, and the dispatch to the rtl,
 * ref or board back end.
 */
#include "toe_eut_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* the board back end, when the program links it (toe_eut_board.c) */
extern struct toe_eut *toe_eut_board_new(const struct toe_eut_cfg *cfg,
					 char *err, size_t errlen)
	__attribute__((weak));
extern const char *toe_eut_board_list(void) __attribute__((weak));
/* the Linux kernel, when the program links it (toe_eut_linux.c) */
extern struct toe_eut *toe_eut_linux_new(const struct toe_eut_cfg *cfg,
					 char *err, size_t errlen)
	__attribute__((weak));

bool toe_eut_have_linux(void)
{
	return toe_eut_linux_new != NULL;
}

void toe_eut_cfg_default(struct toe_eut_cfg *cfg)
{
	struct toe_ref_cfg rc;

	toe_ref_cfg_default(&rc);
	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = TOE_EUT_REF;
	cfg->mtu = rc.mtu;
	cfg->rcv_wnd = rc.rcv_wnd;
	cfg->syn_wnd = rc.syn_wnd;
	cfg->ttl = rc.ttl;
	cfg->df = rc.df;
	/* the defaults, in seconds (toe_ref_cfg_default, docs/regmap.md) */
	cfg->rto_init_us = toe_eut_ticks_to_us(rc.rto_init, rc.tick_hz);
	cfg->rto_max_us = toe_eut_ticks_to_us(rc.rto_max, rc.tick_hz);
	cfg->syn_giveup_us = toe_eut_ticks_to_us(rc.syn_giveup, rc.tick_hz);
	cfg->synack_giveup_us = toe_eut_ticks_to_us(rc.synack_giveup, rc.tick_hz);
	cfg->fin_giveup_us = toe_eut_ticks_to_us(rc.fin_giveup, rc.tick_hz);
	cfg->msl_us = toe_eut_ticks_to_us(rc.msl, rc.tick_hz);
	cfg->ca_limit = rc.challenge_ack_limit;
	cfg->ca_window_us = toe_eut_ticks_to_us(rc.challenge_ack_window, rc.tick_hz);
}

void toe_eut_ref_cfg(const struct toe_eut_cfg *c, uint64_t hz,
		     struct toe_ref_cfg *rc)
{
	toe_ref_cfg_default(rc);
	rc->local_ip = c->local_ip;
	rc->mtu = c->mtu;
	rc->rcv_wnd = c->rcv_wnd;
	rc->syn_wnd = c->syn_wnd;
	rc->ttl = c->ttl;
	rc->df = c->df;
	rc->tick_hz = hz;
	rc->rto_init = toe_eut_us_to_ticks(c->rto_init_us, hz);
	rc->rto_max = toe_eut_us_to_ticks(c->rto_max_us, hz);
	rc->syn_giveup = toe_eut_us_to_ticks(c->syn_giveup_us, hz);
	rc->synack_giveup = toe_eut_us_to_ticks(c->synack_giveup_us, hz);
	rc->fin_giveup = toe_eut_us_to_ticks(c->fin_giveup_us, hz);
	rc->msl = toe_eut_us_to_ticks(c->msl_us, hz);
	rc->challenge_ack_limit = c->ca_limit;
	rc->challenge_ack_window = toe_eut_us_to_ticks(c->ca_window_us, hz);
	memcpy(rc->isn_key, c->isn_key, 16);
	if (c->max_conns && c->max_conns < rc->max_conns)
		rc->max_conns = c->max_conns;
}

const char *toe_eut_kind_name(enum toe_eut_kind k)
{
	return k == TOE_EUT_RTL ? "rtl" : k == TOE_EUT_BOARD ? "board" :
	       k == TOE_EUT_LINUX ? "linux" : "ref";
}

const char *toe_eut_boards(void)
{
	return toe_eut_board_list ? toe_eut_board_list() : "";
}

bool toe_eut_have_board(const char *name)
{
	const char *l = toe_eut_boards();
	size_t n = name ? strlen(name) : 0;

	while (n && *l) {
		size_t k = strcspn(l, ",");

		if (k == n && !strncmp(l, name, n))
			return true;
		l += k;
		l += strspn(l, ", ");
	}
	return false;
}

struct toe_eut *toe_eut_new(const struct toe_eut_cfg *cfg, char *err,
			    size_t errlen)
{
	if (cfg->tick_hz % 250000 != 0) {
		snprintf(err, errlen, "tick rate %llu Hz is not a multiple of "
			 "250000", (unsigned long long)cfg->tick_hz);
		return NULL;
	}
	if (cfg->kind == TOE_EUT_RTL)
		return toe_eut_rtl_new(cfg, err, errlen);
	if (cfg->kind == TOE_EUT_LINUX) {
		if (!toe_eut_have_linux()) {
			snprintf(err, errlen, "no Linux back end in this program");
			return NULL;
		}
		return toe_eut_linux_new(cfg, err, errlen);
	}
	if (cfg->kind == TOE_EUT_BOARD) {
		if (!toe_eut_have_board(cfg->board)) {
			snprintf(err, errlen, "no board model '%s' in this "
				 "program (boards: %s)",
				 cfg->board ? cfg->board : "",
				 *toe_eut_boards() ? toe_eut_boards() : "none");
			return NULL;
		}
		return toe_eut_board_new(cfg, err, errlen);
	}
	return toe_eut_ref_new(cfg, err, errlen);
}

void toe_eut_free(struct toe_eut *e)
{
	if (e)
		e->ops->free(e);
}

enum toe_eut_kind toe_eut_kind(const struct toe_eut *e)
{
	return e->cfg.kind;
}

const char *toe_eut_describe(const struct toe_eut *e)
{
	return e->desc;
}

const char *toe_eut_error(const struct toe_eut *e)
{
	return e->ops->error(e);
}

struct toe_sim *toe_eut_sim(struct toe_eut *e)
{
	return e->ops->sim(e);
}

int toe_eut_bridge(struct toe_eut *e, const struct toe_sim_engine **eng,
		   struct toe_sim **s)
{
	return e->ops->bridge ? e->ops->bridge(e, eng, s) : -1;
}

uint64_t toe_eut_tick(const struct toe_eut *e)
{
	return e->ops->tick(e);
}

uint64_t toe_eut_t0(const struct toe_eut *e)
{
	return e->t0;
}

uint64_t toe_eut_tick_hz(const struct toe_eut *e)
{
	return e->tick_hz;
}

double toe_eut_model_rate(const struct toe_eut *e)
{
	return e->model_rate;
}

void toe_eut_step(struct toe_eut *e, uint64_t n)
{
	if (n)
		e->ops->step(e, n);
}

void toe_eut_run(struct toe_eut *e, uint64_t until, unsigned stop,
		 uint64_t quiet)
{
	e->ops->run(e, until, stop, quiet);
}

void toe_eut_set_pump(struct toe_eut *e, void (*fn)(void *arg), void *arg)
{
	e->pump = fn;
	e->pump_arg = arg;
}

uint64_t toe_eut_skips(const struct toe_eut *e)
{
	return e->skips;
}

uint64_t toe_eut_timer_slack(const struct toe_eut *e)
{
	return e->timer_slack;
}

bool toe_eut_busy(const struct toe_eut *e)
{
	return e->ops->busy(e);
}

uint64_t toe_eut_cmd_count(const struct toe_eut *e)
{
	return e->cmd_count;
}

uint64_t toe_eut_cmd_tick(const struct toe_eut *e)
{
	return e->cmd_tick;
}

int toe_eut_cmd_op(const struct toe_eut *e)
{
	return e->cmd_op;
}

int64_t toe_eut_reply_bound(const struct toe_eut *e, int op,
			    const uint8_t *frame, size_t len)
{
	return e->ops->reply_bound ? e->ops->reply_bound(e, op, frame, len) : -1;
}

/* Every command goes through here: its number, op and (until the back end
 * says better) tick. */
static int command(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		   uint16_t rport, const uint8_t *rmac, int conn)
{
	e->cmd_count++;
	e->cmd_op = op;
	e->cmd_tick = e->ops->tick(e);
	return e->ops->command(e, op, lport, rip, rport, rmac, conn);
}

int toe_eut_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len)
{
	return e->ops->push_frame(e, buf, len);
}

size_t toe_eut_rx_pending(const struct toe_eut *e)
{
	return e->ops->rx_pending(e);
}

uint64_t toe_eut_rx_last_tick(const struct toe_eut *e)
{
	return e->ops->rx_last_tick(e);
}

size_t toe_eut_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			 uint64_t *first, uint64_t *last, bool *bad)
{
	return e->ops->pop_frame(e, buf, cap, first, last, bad);
}

size_t toe_eut_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			   size_t cap)
{
	return e->ops->pop_payload(e, conn, buf, cap);
}

size_t toe_eut_payload_pending(const struct toe_eut *e)
{
	return e->ops->payload_pending(e);
}

int toe_eut_listen(struct toe_eut *e, uint16_t port)
{
	return command(e, TOE_CMD_LISTEN, port, 0, 0, NULL, 0);
}

int toe_eut_unlisten(struct toe_eut *e, uint16_t port)
{
	return command(e, TOE_CMD_UNLISTEN, port, 0, 0, NULL, 0);
}

int toe_eut_connect(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport, const uint8_t rmac[6])
{
	return command(e, TOE_CMD_CONNECT, lport, rip, rport,
		       rmac ? rmac : e->cfg.remote_mac, 0);
}

int toe_eut_close(struct toe_eut *e, int conn)
{
	return command(e, TOE_CMD_CLOSE, 0, 0, 0, NULL, conn);
}

int toe_eut_shutdown(struct toe_eut *e, int conn)
{
	return command(e, TOE_CMD_SHUTDOWN, 0, 0, 0, NULL, conn);
}

int toe_eut_abort(struct toe_eut *e, int conn)
{
	return command(e, TOE_CMD_ABORT, 0, 0, 0, NULL, conn);
}

int toe_eut_accept(struct toe_eut *e, int conn)
{
	return e->ops->accept ? e->ops->accept(e, conn) : conn;
}

long toe_eut_recv(struct toe_eut *e, int conn, uint8_t *buf, size_t cap)
{
	return e->ops->recv ? e->ops->recv(e, conn, buf, cap) : -ENOSYS;
}

bool toe_eut_has_recv(const struct toe_eut *e)
{
	return e->ops->recv != NULL;
}

int toe_eut_pop_event(struct toe_eut *e, struct toe_eut_event *ev)
{
	return e->ops->pop_event(e, ev);
}

int toe_eut_conn_info(struct toe_eut *e, int conn,
		      struct toe_ref_conn_info *info, bool full)
{
	return e->ops->conn_info(e, conn, info, full);
}

int toe_eut_conn_state(struct toe_eut *e, int conn)
{
	return e->ops->conn_state(e, conn);
}

int toe_eut_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		 uint16_t rport)
{
	return e->ops->find(e, lport, rip, rport);
}

unsigned toe_eut_max_conns(const struct toe_eut *e)
{
	return e->max_conns;
}

int toe_eut_conn_count(struct toe_eut *e)
{
	return e->ops->conn_count(e);
}

int toe_eut_stats(struct toe_eut *e, struct toe_ref_stats *st)
{
	return e->ops->stats(e, st);
}

int toe_eut_csr_read(struct toe_eut *e, uint32_t addr, uint32_t *v)
{
	return e->ops->csr_read ? e->ops->csr_read(e, addr, v) : -1;
}

int toe_eut_csr_write(struct toe_eut *e, uint32_t addr, uint32_t v)
{
	return e->ops->csr_write ? e->ops->csr_write(e, addr, v) : -1;
}
