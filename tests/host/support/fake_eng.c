/* SPDX-License-Identifier: MIT */
/*
 * fake_eng.c - the host side of an engine in C (fake_eng.h): bridge
 * protocol with response cache over a register file built from
 * TOE_REGS_FOREACH. For transport and error-path tests only; the real
 * engine is the RTL through sim/toe_sim.h.
 */
#include "fake_eng.h"

#include <stdlib.h>
#include <string.h>

#include "toe/toe_regs.h"
#include "toe_bytes.h"
#include "toe_proto.h"

#define MAX_BURST 32u
#define NWORDS 256 /* 10-bit byte address space */
#define OUTCAP 65536

struct fake_eng {
	struct toe_proto_dec dec;
	uint32_t reg[NWORDS];
	uint8_t acc[NWORDS]; /* 0 unmapped, 'r' rw, 'o' ro, 'w' wo, 'p' rop */
	uint64_t wcount[NWORDS];
	uint32_t id, version;
	uint8_t ping_version, ping_burst; /* what PING_ACK says */
	bool silent;
	unsigned corrupt;
	/* response cache */
	bool cached;
	uint8_t c_seq;
	uint32_t c_crc;
	uint8_t c_resp[TOE_PROTO_MAX_FRAME];
	size_t c_len;
	uint64_t executed;
	/* event FIFO */
	uint32_t evq[64], evarg[64];
	unsigned evh, evn;
	uint8_t ev_seq;
	uint16_t next_id;
	uint8_t out[OUTCAP];
	size_t oh, on;
};

static void emit(struct fake_eng *e, const uint8_t *p, size_t n)
{
	if (e->on + n > OUTCAP)
		return;
	for (size_t i = 0; i < n; i++)
		e->out[(e->oh + e->on + i) % OUTCAP] = p[i];
	e->on += n;
}

struct fake_eng *fake_eng_new(void)
{
	struct fake_eng *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	toe_proto_dec_init(&e->dec, 2 + 4 * MAX_BURST);
#define REG(name, addr, access, reset, mask)                                 \
	do {                                                                  \
		e->reg[(addr) / 4] = (reset);                                 \
		e->acc[(addr) / 4] = strcmp(access, "rw") == 0 ? 'r' :       \
				     strcmp(access, "ro") == 0 ? 'o' :       \
				     strcmp(access, "wo") == 0 ? 'w' : 'p';  \
	} while (0);
	TOE_REGS_FOREACH(REG)
#undef REG
	e->id = TOE_REG_ID_RESET;
	e->version = TOE_REG_VERSION_RESET;
	e->ping_version = TOE_PROTO_VERSION;
	e->ping_burst = MAX_BURST;
	/* build registers: 1024 connections, 64 listeners, 8 bytes, 256 events */
	e->reg[TOE_REG_BUILD_CONN / 4] = 64u << 16 | 1024u;
	e->reg[TOE_REG_BUILD_MISC / 4] = 8u << 8 | 8u;
	return e;
}

void fake_eng_free(struct fake_eng *e)
{
	free(e);
}

void fake_eng_set_id(struct fake_eng *e, uint32_t id)
{
	e->id = id;
}

void fake_eng_set_build_misc(struct fake_eng *e, uint32_t v)
{
	e->reg[TOE_REG_BUILD_MISC / 4] = v;
}

void fake_eng_set_version(struct fake_eng *e, uint32_t version)
{
	e->version = version;
}

void fake_eng_set_ping_ack(struct fake_eng *e, uint8_t version,
			   uint8_t max_burst)
{
	e->ping_version = version;
	e->ping_burst = max_burst;
}

void fake_eng_set_silent(struct fake_eng *e, bool silent)
{
	e->silent = silent;
}

void fake_eng_corrupt_next(struct fake_eng *e, unsigned n)
{
	e->corrupt = n;
}

uint64_t fake_eng_executed(const struct fake_eng *e)
{
	return e->executed;
}

uint64_t fake_eng_writes_to(const struct fake_eng *e, uint32_t addr)
{
	return addr / 4 < NWORDS ? e->wcount[addr / 4] : 0;
}

static void notify(struct fake_eng *e)
{
	uint8_t pl[2] = { (uint8_t)(e->evn >> 8), (uint8_t)e->evn }, f[16];
	int n = toe_proto_encode(f, sizeof(f), TOE_PROTO_T_EVENT, e->ev_seq++,
				 pl, 2);

	if (n > 0 && !e->silent)
		emit(e, f, (size_t)n);
}

void fake_eng_event(struct fake_eng *e, uint16_t conn, unsigned type,
		    uint32_t arg)
{
	if (e->evn == 64)
		return;
	e->evq[(e->evh + e->evn) % 64] = TOE_REG_EV_POP_VALID_MASK |
					 (uint32_t)type << TOE_REG_EV_POP_TYPE_SHIFT |
					 conn;
	e->evarg[(e->evh + e->evn) % 64] = arg;
	e->evn++;
	if (e->evn == 1)
		notify(e);
}

uint32_t fake_eng_reg(const struct fake_eng *e, uint32_t addr)
{
	if (addr == TOE_REG_ID)
		return e->id;
	if (addr == TOE_REG_VERSION)
		return e->version;
	if (addr == TOE_REG_EV_COUNT)
		return e->evn;
	return addr / 4 < NWORDS ? e->reg[addr / 4] : 0;
}

/* One word: false if there is no such register (ERR_ADDR). */
static bool csr(struct fake_eng *e, bool we, uint32_t addr, uint32_t *d)
{
	unsigned i = addr / 4;

	if (i >= NWORDS || !e->acc[i])
		return false;
	if (we) {
		if (e->acc[i] == 'o' || e->acc[i] == 'p')
			return false;
		e->reg[i] = *d;
		e->wcount[i]++;
		if (addr == TOE_REG_CMD && (*d & TOE_REG_CMD_OP_MASK)) {
			e->reg[TOE_REG_CMD_STATUS / 4] =
				(*d & TOE_REG_CMD_OP_MASK) == TOE_CMD_CONNECT ?
				e->next_id++ : 0;
		}
		if (addr == TOE_REG_CONN_SEL)
			memset(&e->reg[TOE_REG_CONN_STATE / 4], 0, 11 * 4);
		return true;
	}
	if (e->acc[i] == 'w') {
		*d = 0;
	} else if (addr == TOE_REG_EV_POP) {
		*d = 0;
		if (e->evn) {
			*d = e->evq[e->evh];
			e->reg[TOE_REG_EV_ARG / 4] = e->evarg[e->evh];
			e->evh = (e->evh + 1) % 64;
			e->evn--;
		}
	} else {
		*d = fake_eng_reg(e, addr);
	}
	return true;
}

static void respond(struct fake_eng *e, uint8_t type, uint8_t seq,
		    const uint8_t *pl, size_t len)
{
	e->c_len = (size_t)toe_proto_encode(e->c_resp, sizeof(e->c_resp), type,
					    seq, pl, len);
}

static void on_frame(void *arg, const struct toe_proto_frame *f)
{
	struct fake_eng *e = arg;
	uint8_t pl[4 * MAX_BURST + 2];
	uint32_t addr, d;
	unsigned n;

	if (e->silent)
		return;
	if (!(e->cached && f->seq == e->c_seq && f->crc == e->c_crc)) {
		e->executed++;
		switch (f->type) {
		case TOE_PROTO_T_PING:
			if (f->len != 0)
				goto err_len;
			pl[0] = e->ping_version;
			pl[1] = e->ping_burst;
			respond(e, TOE_PROTO_T_PING_ACK, f->seq, pl, 2);
			break;
		case TOE_PROTO_T_READ:
			if (f->len != 3 || f->payload[2] == 0 ||
			    f->payload[2] > MAX_BURST)
				goto err_len;
			addr = (uint32_t)f->payload[0] << 8 | f->payload[1];
			if (addr & 3)
				goto err_align;
			n = f->payload[2];
			for (unsigned i = 0; i < n; i++) {
				if (!csr(e, false, addr + 4 * i, &d)) {
					pl[0] = TOE_PROTO_ERR_ADDR;
					pl[1] = (uint8_t)i;
					respond(e, TOE_PROTO_T_ERROR, f->seq, pl, 2);
					goto cache;
				}
				toe_put_be32(pl + 4 * i, d);
			}
			respond(e, TOE_PROTO_T_READ_DATA, f->seq, pl, 4 * n);
			break;
		case TOE_PROTO_T_WRITE:
			if (f->len < 6 || (f->len - 2) % 4 ||
			    (unsigned)(f->len - 2) / 4 > MAX_BURST)
				goto err_len;
			addr = (uint32_t)f->payload[0] << 8 | f->payload[1];
			if (addr & 3)
				goto err_align;
			n = (f->len - 2u) / 4u;
			for (unsigned i = 0; i < n; i++) {
				const uint8_t *q = f->payload + 2 + 4 * i;

				d = toe_get_be32(q);
				if (!csr(e, true, addr + 4 * i, &d)) {
					pl[0] = TOE_PROTO_ERR_ADDR;
					pl[1] = (uint8_t)i;
					respond(e, TOE_PROTO_T_ERROR, f->seq, pl, 2);
					goto cache;
				}
			}
			pl[0] = (uint8_t)n;
			respond(e, TOE_PROTO_T_WRITE_ACK, f->seq, pl, 1);
			break;
		default:
			pl[0] = TOE_PROTO_ERR_TYPE;
			pl[1] = 0;
			respond(e, TOE_PROTO_T_ERROR, f->seq, pl, 2);
			break;
		}
		goto cache;
err_len:
		pl[0] = TOE_PROTO_ERR_LEN;
		pl[1] = 0;
		respond(e, TOE_PROTO_T_ERROR, f->seq, pl, 2);
		goto cache;
err_align:
		pl[0] = TOE_PROTO_ERR_ALIGN;
		pl[1] = 0;
		respond(e, TOE_PROTO_T_ERROR, f->seq, pl, 2);
cache:
		e->cached = true;
		e->c_seq = f->seq;
		e->c_crc = f->crc;
	}
	if (e->corrupt) {
		uint8_t bad[TOE_PROTO_MAX_FRAME];

		e->corrupt--;
		memcpy(bad, e->c_resp, e->c_len);
		bad[e->c_len - 1] ^= 0x01;
		emit(e, bad, e->c_len);
	} else {
		emit(e, e->c_resp, e->c_len);
	}
}

void fake_eng_rx(struct fake_eng *e, const uint8_t *p, size_t n)
{
	toe_proto_dec_feed(&e->dec, p, n, on_frame, e);
}

size_t fake_eng_tx(struct fake_eng *e, uint8_t *buf, size_t cap)
{
	size_t n = e->on < cap ? e->on : cap;

	for (size_t i = 0; i < n; i++)
		buf[i] = e->out[(e->oh + i) % OUTCAP];
	e->oh = (e->oh + n) % OUTCAP;
	e->on -= n;
	return n;
}

size_t fake_eng_tx_pending(const struct fake_eng *e)
{
	return e->on;
}
