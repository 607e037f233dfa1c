/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_engine.c - the engine interface of the interop bridge
 * (toe_simd_engine.h): dispatch to the rtl or ref back end, and the
 * configuration both derive from the same numbers.
 */
#include "toe_simd_engine_priv.h"

#include <stdio.h>
#include <string.h>

void simd_engine_ref_cfg(const struct simd_engine_cfg *cfg, uint64_t hz,
			 struct toe_ref_cfg *rc)
{
	toe_ref_cfg_default(rc);
	rc->local_ip = cfg->ip;
	rc->tick_hz = hz;
	/* the defaults, in seconds (toe_ref_cfg_default, docs/regmap.md) */
	rc->rto_init = cfg->rto_ms ? cfg->rto_ms * hz / 1000 : hz;
	rc->rto_max = 60 * hz;
	rc->syn_giveup = 180 * hz;
	rc->synack_giveup = 60 * hz;
	rc->fin_giveup = 100 * hz;
	rc->msl = cfg->msl_ms ? cfg->msl_ms * hz / 1000 : 30 * hz;
	rc->challenge_ack_window = hz;
	if (cfg->isn_key)
		memcpy(rc->isn_key, cfg->isn_key, 16);
	rc->max_conns = 1024;
}

const char *simd_engine_kind_name(enum simd_engine_kind k)
{
	return k == SIMD_ENGINE_RTL ? "rtl" : "ref";
}

struct simd_engine *simd_engine_new(const struct simd_engine_cfg *cfg,
				    char *err, size_t errlen)
{
	if (cfg->tick_hz % 250000 != 0) {
		snprintf(err, errlen, "tick rate %llu Hz is not a multiple of "
			 "250000", (unsigned long long)cfg->tick_hz);
		return NULL;
	}
	if (cfg->kind == SIMD_ENGINE_RTL)
		return simd_engine_rtl_new(cfg, err, errlen);
	return simd_engine_ref_new(cfg, err, errlen);
}

void simd_engine_free(struct simd_engine *e)
{
	if (e)
		e->ops->free(e);
}

enum simd_engine_kind simd_engine_kind(const struct simd_engine *e)
{
	return e->kind;
}

struct toe_sim *simd_engine_sim(struct simd_engine *e)
{
	return e->ops->sim(e);
}

uint64_t simd_engine_cycle(const struct simd_engine *e)
{
	return e->ops->cycle(e);
}

uint64_t simd_engine_tick_hz(const struct simd_engine *e)
{
	return e->tick_hz;
}

double simd_engine_model_rate(const struct simd_engine *e)
{
	return e->model_rate;
}

void simd_engine_step(struct simd_engine *e, uint64_t n)
{
	if (n)
		e->ops->step(e, n);
}

bool simd_engine_busy(const struct simd_engine *e)
{
	return e->ops->busy(e);
}

int simd_engine_push_frame(struct simd_engine *e, const uint8_t *buf,
			   size_t len)
{
	return e->ops->push_frame(e, buf, len);
}

size_t simd_engine_rx_pending(const struct simd_engine *e)
{
	return e->ops->rx_pending(e);
}

uint64_t simd_engine_rx_last_cycle(const struct simd_engine *e)
{
	return e->ops->rx_last_cycle(e);
}

size_t simd_engine_pop_frame(struct simd_engine *e, uint8_t *buf, size_t cap,
			     uint64_t *first, uint64_t *last)
{
	return e->ops->pop_frame(e, buf, cap, first, last);
}

size_t simd_engine_pop_payload(struct simd_engine *e, uint16_t *conn,
			       uint8_t *buf, size_t cap)
{
	return e->ops->pop_payload(e, conn, buf, cap);
}

int simd_engine_listen(struct simd_engine *e, uint16_t port)
{
	return e->ops->command(e, TOE_CMD_LISTEN, port, 0, 0, NULL, 0);
}

int simd_engine_unlisten(struct simd_engine *e, uint16_t port)
{
	return e->ops->command(e, TOE_CMD_UNLISTEN, port, 0, 0, NULL, 0);
}

int simd_engine_connect(struct simd_engine *e, uint16_t lport, uint32_t rip,
			uint16_t rport, const uint8_t rmac[6])
{
	return e->ops->command(e, TOE_CMD_CONNECT, lport, rip, rport, rmac, 0);
}

int simd_engine_close(struct simd_engine *e, int conn)
{
	return e->ops->command(e, TOE_CMD_CLOSE, 0, 0, 0, NULL, conn);
}

int simd_engine_shutdown(struct simd_engine *e, int conn)
{
	return e->ops->command(e, TOE_CMD_SHUTDOWN, 0, 0, 0, NULL, conn);
}

int simd_engine_abort(struct simd_engine *e, int conn)
{
	return e->ops->command(e, TOE_CMD_ABORT, 0, 0, 0, NULL, conn);
}

int simd_engine_pop_event(struct simd_engine *e, struct simd_event *ev)
{
	return e->ops->pop_event(e, ev);
}

int simd_engine_conn_info(struct simd_engine *e, int conn,
			  struct toe_ref_conn_info *info)
{
	return e->ops->conn_info(e, conn, info);
}

unsigned simd_engine_max_conns(const struct simd_engine *e)
{
	return e->max_conns;
}

int simd_engine_conn_state(struct simd_engine *e, int conn)
{
	return e->ops->conn_state(e, conn);
}

int simd_engine_conn_count(struct simd_engine *e)
{
	return e->ops->conn_count(e);
}

int simd_engine_stats(struct simd_engine *e, struct toe_ref_stats *st)
{
	return e->ops->stats(e, st);
}

int simd_engine_csr_read(struct simd_engine *e, uint32_t addr, uint32_t *v)
{
	return e->ops->csr_read ? e->ops->csr_read(e, addr, v) : -1;
}

int simd_engine_csr_write(struct simd_engine *e, uint32_t addr, uint32_t v)
{
	return e->ops->csr_write ? e->ops->csr_write(e, addr, v) : -1;
}
