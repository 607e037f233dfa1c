/* SPDX-License-Identifier: MIT */
/*
 * fake_sim.c - toe_sim.h over fake_eng (fake_sim.h): a clock that counts
 * steps at 156.25 MHz and the host byte stream; requests are answered as
 * soon as their last byte is written.
 */
#include "fake_sim.h"

#include <errno.h>
#include <stdlib.h>

void (*fake_sim_on_create)(struct fake_eng *e);

struct toe_sim {
	struct fake_eng *e;
	uint64_t cycle, hz;
};

struct toe_sim *toe_sim_create(const struct toe_sim_opts *opts)
{
	struct toe_sim *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->e = fake_eng_new();
	if (!s->e) {
		free(s);
		return NULL;
	}
	s->hz = opts && opts->clock_hz ? opts->clock_hz : 156250000u;
	s->cycle = 16; /* reset */
	if (fake_sim_on_create)
		fake_sim_on_create(s->e);
	return s;
}

void toe_sim_destroy(struct toe_sim *s)
{
	if (!s)
		return;
	fake_eng_free(s->e);
	free(s);
}

struct fake_eng *fake_sim_eng(struct toe_sim *s)
{
	return s->e;
}

void toe_sim_reset(struct toe_sim *s, unsigned cycles)
{
	s->cycle += cycles;
}

void toe_sim_step(struct toe_sim *s, uint64_t n)
{
	s->cycle += n;
}

uint64_t toe_sim_cycle(const struct toe_sim *s)
{
	return s->cycle;
}

uint64_t toe_sim_time_ns(const struct toe_sim *s)
{
	return (uint64_t)((double)s->cycle * 1e9 / (double)s->hz);
}

bool toe_sim_idle(const struct toe_sim *s)
{
	return fake_eng_tx_pending(s->e) == 0;
}

uint64_t toe_sim_run_until_idle(struct toe_sim *s, uint64_t max_cycles)
{
	(void)s;
	(void)max_cycles;
	return 0;
}

int toe_sim_push_frame(struct toe_sim *s, const uint8_t *buf, size_t len,
		       bool bad)
{
	(void)s;
	(void)buf;
	(void)bad;
	return len == 0 || len > 16384 ? -EINVAL : 0;
}

size_t toe_sim_rx_pending(const struct toe_sim *s)
{
	(void)s;
	return 0;
}

void toe_sim_set_rx_gap(struct toe_sim *s, unsigned cycles)
{
	(void)s;
	(void)cycles;
}

uint64_t toe_sim_rx_last_cycle(const struct toe_sim *s)
{
	(void)s;
	return 0;
}

size_t toe_sim_pop_frame(struct toe_sim *s, uint8_t *buf, size_t cap,
			 uint64_t *first, uint64_t *last, bool *bad)
{
	(void)s;
	(void)buf;
	(void)cap;
	(void)first;
	(void)last;
	(void)bad;
	return 0;
}

size_t toe_sim_tx_pending(const struct toe_sim *s)
{
	(void)s;
	return 0;
}

void toe_sim_set_tx_stall(struct toe_sim *s, unsigned period, unsigned stall)
{
	(void)s;
	(void)period;
	(void)stall;
}

size_t toe_sim_pop_payload(struct toe_sim *s, uint16_t *conn, uint8_t *buf,
			   size_t cap)
{
	(void)s;
	(void)conn;
	(void)buf;
	(void)cap;
	return 0;
}

void toe_sim_set_user_ready(struct toe_sim *s, bool ready)
{
	(void)s;
	(void)ready;
}

void toe_sim_host_write(struct toe_sim *s, const uint8_t *buf, size_t n)
{
	fake_eng_rx(s->e, buf, n);
}

size_t toe_sim_host_read(struct toe_sim *s, uint8_t *buf, size_t n)
{
	return fake_eng_tx(s->e, buf, n);
}

size_t toe_sim_host_pending(const struct toe_sim *s)
{
	(void)s;
	return 0;
}
