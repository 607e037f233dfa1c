/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_priv.h - what the back ends of the engine under test
 * (toe_eut_rtl.c, toe_eut_ref.c) implement behind toe_eut.h: a table of
 * operations, and the common head every back end's handle starts with.
 */
#ifndef TOE_EUT_PRIV_H
#define TOE_EUT_PRIV_H

#include "toe_eut.h"

struct toe_eut_ops {
	void (*free)(struct toe_eut *e);
	const char *(*error)(const struct toe_eut *e);
	struct toe_sim *(*sim)(struct toe_eut *e);
	uint64_t (*tick)(const struct toe_eut *e);
	void (*step)(struct toe_eut *e, uint64_t n);
	void (*run)(struct toe_eut *e, uint64_t until, unsigned stop,
		    uint64_t quiet);
	bool (*busy)(const struct toe_eut *e);
	int (*push_frame)(struct toe_eut *e, const uint8_t *buf, size_t len);
	size_t (*rx_pending)(const struct toe_eut *e);
	uint64_t (*rx_last_tick)(const struct toe_eut *e);
	size_t (*pop_frame)(struct toe_eut *e, uint8_t *buf, size_t cap,
			    uint64_t *first, uint64_t *last, bool *bad);
	size_t (*pop_payload)(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			      size_t cap);
	size_t (*payload_pending)(const struct toe_eut *e);
	/* op: TOE_CMD_* with its arguments; rmac never NULL for CONNECT */
	int (*command)(struct toe_eut *e, int op, uint16_t lport, uint32_t rip,
		       uint16_t rport, const uint8_t *rmac, int conn);
	int (*pop_event)(struct toe_eut *e, struct toe_eut_event *ev);
	int (*conn_info)(struct toe_eut *e, int conn,
			 struct toe_ref_conn_info *info, bool full);
	int (*conn_state)(struct toe_eut *e, int conn);
	int (*find)(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport);
	int (*conn_count)(struct toe_eut *e);
	int (*stats)(struct toe_eut *e, struct toe_ref_stats *st);
	/* NULL: no registers (ref) */
	int (*csr_read)(struct toe_eut *e, uint32_t addr, uint32_t *v);
	int (*csr_write)(struct toe_eut *e, uint32_t addr, uint32_t v);
};

struct toe_eut {
	const struct toe_eut_ops *ops;
	struct toe_eut_cfg cfg;  /* as given (tick_hz: as given) */
	uint64_t tick_hz;        /* in use */
	uint64_t t0;
	unsigned max_conns;
	double model_rate;
	uint64_t skips;          /* inexact skips of toe_eut_run */
	uint64_t timer_slack;
	char desc[192];
};

/* The back ends' constructors (toe_eut_new checks the common part). */
struct toe_eut *toe_eut_ref_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen);
struct toe_eut *toe_eut_rtl_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen);

#endif
