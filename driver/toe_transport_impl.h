/* SPDX-License-Identifier: MIT */
/*
 * toe_transport_impl.h - what a transport back end implements (private to
 * driver/): the operations table, the parsed URI with its options, and
 * helpers for errors and options. The public side is toe_transport.h.
 */
#ifndef TOE_TRANSPORT_IMPL_H
#define TOE_TRANSPORT_IMPL_H

#include "toe_transport.h"

#define TOE_TR_MAX_OPTS 16

/* "scheme:body?k=v&k=v" split up; body keeps a leading "//" removed. */
struct toe_tr_uri {
	char scheme[16];
	char body[512];
	unsigned nopt;
	struct {
		char key[32];
		char val[256];
		bool used;
	} opt[TOE_TR_MAX_OPTS];
};

struct toe_transport_ops {
	const char *scheme;
	bool slashes; /* URI is "scheme://..." (tcp, ftdi) or "scheme:..." */
	struct toe_transport_tuning defaults;
	const char *const *options; /* the options it takes, NULL-ended */
	/* Parse u (take options with toe_tr_opt*), set t->priv, open. 0 or a
	 * code with toe_tr_err(). */
	int (*open)(struct toe_transport *t, struct toe_tr_uri *u);
	int (*write)(struct toe_transport *t, const uint8_t *buf, size_t n);
	int (*read)(struct toe_transport *t, uint8_t *buf, size_t n,
		    int timeout_ms);
	uint64_t (*now_ms)(struct toe_transport *t); /* NULL: monotonic */
	int (*engine_cycles)(struct toe_transport *t, uint64_t *c); /* opt. */
	struct toe_sim *(*sim)(struct toe_transport *t);            /* opt. */
	void (*close)(struct toe_transport *t);
};

struct toe_transport {
	const struct toe_transport_ops *ops;
	void *priv;
	char uri[512];
	char err[256];
	int errcode;
	struct toe_transport_tuning tuning;
};

extern const struct toe_transport_ops toe_tr_sim_ops;
extern const struct toe_transport_ops toe_tr_tcp_ops;
extern const struct toe_transport_ops toe_tr_ftdi_ops;

/* Set t->err from fmt and return code. */
int toe_tr_err(struct toe_transport *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Option value (marks it used), NULL if absent. */
const char *toe_tr_opt(struct toe_tr_uri *u, const char *key);
/* Unsigned option in [min, max]: 0 (*out = def when absent) or TOE_EURI. */
int toe_tr_opt_u64(struct toe_transport *t, struct toe_tr_uri *u,
		   const char *key, uint64_t def, uint64_t min, uint64_t max,
		   uint64_t *out);
/* CLOCK_MONOTONIC in ms. */
uint64_t toe_tr_mono_ms(void);

#endif
