/* SPDX-License-Identifier: MIT */
/*
 * toe_transport.c - the transport interface: URI parsing, dispatch to the
 * back end named by the scheme, the common options (timeout, retries,
 * cmd_timeout). The bridge protocol reaches a transport through the
 * adapter in host/lib/toe.c; nothing here knows the protocol.
 */
#include "toe_transport_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe/toe_parse.h"

static const struct toe_transport_ops *const backends[] = {
	&toe_tr_sim_ops,
	&toe_tr_tcp_ops,
	&toe_tr_ftdi_ops,
};
#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

int toe_tr_err(struct toe_transport *t, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	t->errcode = code;
	return code;
}

uint64_t toe_tr_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *toe_tr_opt(struct toe_tr_uri *u, const char *key)
{
	for (unsigned i = 0; i < u->nopt; i++)
		if (strcmp(u->opt[i].key, key) == 0) {
			u->opt[i].used = true;
			return u->opt[i].val;
		}
	return NULL;
}

int toe_tr_opt_u64(struct toe_transport *t, struct toe_tr_uri *u,
		   const char *key, uint64_t def, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	const char *v = toe_tr_opt(u, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (toe_parse_u64(v, min, max, out) < 0)
		return toe_tr_err(t, TOE_EURI,
				  "%s: option %s=%s: want a number in %" PRIu64
				  "..%" PRIu64, u->scheme, key, v, min, max);
	return 0;
}

/* Split uri into scheme, body and options. */
static int parse_uri(struct toe_transport *t, const char *uri,
		     struct toe_tr_uri *u, const struct toe_transport_ops **ops)
{
	const char *colon = strchr(uri, ':'), *body, *q;
	size_t sl, bl;

	memset(u, 0, sizeof(*u));
	*ops = NULL;
	if (!colon || colon == uri)
		return toe_tr_err(t, TOE_EURI,
				  "'%s': not a URI (want sim:, tcp://HOST:PORT "
				  "or ftdi://...)", uri);
	sl = (size_t)(colon - uri);
	if (sl >= sizeof(u->scheme))
		return toe_tr_err(t, TOE_ESCHEME, "'%.*s': unknown scheme "
				  "(known: sim, tcp, ftdi)", (int)sl, uri);
	memcpy(u->scheme, uri, sl);
	for (size_t i = 0; i < N_BACKENDS; i++)
		if (strcmp(backends[i]->scheme, u->scheme) == 0)
			*ops = backends[i];
	if (!*ops)
		return toe_tr_err(t, TOE_ESCHEME, "'%s': unknown scheme "
				  "(known: sim, tcp, ftdi)", u->scheme);
	body = colon + 1;
	if ((*ops)->slashes) {
		if (strncmp(body, "//", 2) != 0)
			return toe_tr_err(t, TOE_EURI, "'%s': want %s://...",
					  uri, u->scheme);
		body += 2;
	}
	q = strchr(body, '?');
	bl = q ? (size_t)(q - body) : strlen(body);
	if (bl >= sizeof(u->body))
		return toe_tr_err(t, TOE_EURI, "'%s': too long", uri);
	memcpy(u->body, body, bl);
	while (q && *q) {
		const char *k = q + 1, *amp = strchr(k, '&'), *eq;
		size_t kl, vl, len = amp ? (size_t)(amp - k) : strlen(k);

		q = amp;
		if (len == 0)
			continue;
		eq = memchr(k, '=', len);
		if (!eq)
			return toe_tr_err(t, TOE_EURI, "'%s': option '%.*s' "
					  "has no value (want KEY=VALUE)", uri,
					  (int)len, k);
		kl = (size_t)(eq - k);
		vl = len - kl - 1;
		if (u->nopt == TOE_TR_MAX_OPTS || kl == 0 ||
		    kl >= sizeof(u->opt[0].key) || vl >= sizeof(u->opt[0].val))
			return toe_tr_err(t, TOE_EURI, "'%s': bad or too many "
					  "options", uri);
		memcpy(u->opt[u->nopt].key, k, kl);
		memcpy(u->opt[u->nopt].val, eq + 1, vl);
		u->nopt++;
	}
	return 0;
}

int toe_transport_open(const char *uri, struct toe_transport **out,
		       char *err, size_t errlen)
{
	struct toe_transport *t;
	const struct toe_transport_ops *ops;
	struct toe_tr_uri *u;
	uint64_t v;
	int r;

	if (out)
		*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (!uri || !out) {
		if (err && errlen)
			snprintf(err, errlen, "no URI");
		return TOE_EINVAL;
	}
	t = calloc(1, sizeof(*t));
	u = calloc(1, sizeof(*u));
	if (!t || !u) {
		free(t);
		free(u);
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return TOE_ENOMEM;
	}
	snprintf(t->uri, sizeof(t->uri), "%s", uri);
	r = parse_uri(t, uri, u, &ops);
	if (r < 0)
		goto fail;
	t->ops = ops;
	t->tuning = ops->defaults;
	/* the common options */
	r = toe_tr_opt_u64(t, u, "timeout", (uint64_t)t->tuning.timeout_ms, 1,
			   600000, &v);
	if (r < 0)
		goto fail;
	t->tuning.timeout_ms = (int)v;
	r = toe_tr_opt_u64(t, u, "retries", (uint64_t)t->tuning.retries, 0,
			   100, &v);
	if (r < 0)
		goto fail;
	t->tuning.retries = (int)v;
	r = toe_tr_opt_u64(t, u, "cmd_timeout",
			   (uint64_t)t->tuning.cmd_timeout_ms, 1, 600000, &v);
	if (r < 0)
		goto fail;
	t->tuning.cmd_timeout_ms = (int)v;
	r = toe_tr_opt_u64(t, u, "fault_seed", 1, 0, UINT64_MAX,
			   &t->tuning.fault_seed);
	if (r < 0)
		goto fail;
	{
		static const char *const fk[4] = { "fault_corrupt", "fault_drop",
						   "fault_dup", "fault_garbage" };
		unsigned *fv[4] = { &t->tuning.fault_corrupt,
				    &t->tuning.fault_drop, &t->tuning.fault_dup,
				    &t->tuning.fault_garbage };

		for (int i = 0; i < 4; i++) {
			r = toe_tr_opt_u64(t, u, fk[i], 0, 0, 1000000, &v);
			if (r < 0)
				goto fail;
			*fv[i] = (unsigned)v;
		}
	}
	/* every option must be known before anything is opened */
	for (unsigned i = 0; i < u->nopt; i++) {
		bool known = u->opt[i].used;

		for (const char *const *o = ops->options; o && *o && !known; o++)
			known = strcmp(*o, u->opt[i].key) == 0;
		if (!known) {
			r = toe_tr_err(t, TOE_EURI, "%s: unknown option '%s'",
				       u->scheme, u->opt[i].key);
			goto fail;
		}
	}
	r = ops->open(t, u);
	if (r < 0)
		goto fail;
	free(u);
	*out = t;
	return 0;
fail:
	if (err && errlen)
		snprintf(err, errlen, "%s", t->err);
	free(u);
	free(t);
	return r;
}

void toe_transport_close(struct toe_transport *t)
{
	if (!t)
		return;
	t->ops->close(t);
	free(t);
}

int toe_transport_write(struct toe_transport *t, const uint8_t *buf, size_t n)
{
	if (!t || (!buf && n))
		return TOE_EINVAL;
	return t->ops->write(t, buf, n);
}

int toe_transport_read(struct toe_transport *t, uint8_t *buf, size_t n,
		       int timeout_ms)
{
	if (!t || !buf || n == 0)
		return TOE_EINVAL;
	if (timeout_ms < 0)
		timeout_ms = 0;
	return t->ops->read(t, buf, n, timeout_ms);
}

uint64_t toe_transport_now_ms(struct toe_transport *t)
{
	return t->ops->now_ms ? t->ops->now_ms(t) : toe_tr_mono_ms();
}

int toe_transport_engine_cycles(struct toe_transport *t, uint64_t *cycles)
{
	if (!t || !cycles)
		return TOE_EINVAL;
	if (!t->ops->engine_cycles)
		return toe_tr_err(t, TOE_ENOTSUP, "%s: the engine's clock is "
				  "not visible through this transport",
				  t->ops->scheme);
	return t->ops->engine_cycles(t, cycles);
}

const char *toe_transport_error(const struct toe_transport *t)
{
	return t ? t->err : "no transport";
}

int toe_transport_errcode(const struct toe_transport *t)
{
	return t ? t->errcode : TOE_EINVAL;
}

const char *toe_transport_scheme(const struct toe_transport *t)
{
	return t ? t->ops->scheme : "";
}

const char *toe_transport_uri(const struct toe_transport *t)
{
	return t ? t->uri : "";
}

void toe_transport_tuning(const struct toe_transport *t,
			  struct toe_transport_tuning *out)
{
	*out = t->tuning;
}

struct toe_sim *toe_transport_sim(struct toe_transport *t)
{
	return t && t->ops->sim ? t->ops->sim(t) : NULL;
}
