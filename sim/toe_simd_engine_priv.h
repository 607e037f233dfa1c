/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_engine_priv.h - what the engine back ends (toe_simd_ref.c,
 * toe_simd_rtl.c) implement behind toe_simd_engine.h: a table of
 * operations, and a common head every back end's handle starts with.
 */
#ifndef TOE_SIMD_ENGINE_PRIV_H
#define TOE_SIMD_ENGINE_PRIV_H

#include "toe_simd_engine.h"

struct simd_engine_ops {
	void (*free)(struct simd_engine *e);
	struct toe_sim *(*sim)(struct simd_engine *e);
	uint64_t (*cycle)(const struct simd_engine *e);
	void (*step)(struct simd_engine *e, uint64_t n);
	bool (*busy)(const struct simd_engine *e);
	int (*push_frame)(struct simd_engine *e, const uint8_t *buf, size_t len);
	size_t (*rx_pending)(const struct simd_engine *e);
	uint64_t (*rx_last_cycle)(const struct simd_engine *e);
	size_t (*pop_frame)(struct simd_engine *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last);
	size_t (*pop_payload)(struct simd_engine *e, uint16_t *conn,
			      uint8_t *buf, size_t cap);
	/* op: TOE_CMD_* with its arguments */
	int (*command)(struct simd_engine *e, int op, uint16_t lport,
		       uint32_t rip, uint16_t rport, const uint8_t *rmac,
		       int conn);
	int (*pop_event)(struct simd_engine *e, struct simd_event *ev);
	int (*conn_info)(struct simd_engine *e, int conn,
			 struct toe_ref_conn_info *info);
	int (*conn_state)(struct simd_engine *e, int conn);
	int (*conn_count)(struct simd_engine *e);
	int (*stats)(struct simd_engine *e, struct toe_ref_stats *st);
	/* NULL: no registers (ref) */
	int (*csr_read)(struct simd_engine *e, uint32_t addr, uint32_t *v);
	int (*csr_write)(struct simd_engine *e, uint32_t addr, uint32_t v);
};

struct simd_engine {
	const struct simd_engine_ops *ops;
	enum simd_engine_kind kind;
	uint64_t tick_hz;
	unsigned max_conns;
	double model_rate;
};

/* The reference stack's configuration for cfg at tick_hz ticks per second:
 * the defaults with every duration rescaled from seconds to ticks. */
void simd_engine_ref_cfg(const struct simd_engine_cfg *cfg, uint64_t tick_hz,
			 struct toe_ref_cfg *rc);

#endif
