/* SPDX-License-Identifier: MIT */
/*
 * pkt_parse.c - toe-pkt's parser for the packetdrill script subset of
 * docs/pkt.md: comments, options, times, packets, socket calls,
 * %{ assert ... }% blocks and backquoted commands. Anything it does not
 * understand is an error naming the line; nothing is skipped silently.
 */
#include "pkt.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe_tcp.h"
#include "toe_bytes.h"
#include "toe_wire.h"

/* ------------------------------------------------------------------ */
/* settings                                                            */
/* ------------------------------------------------------------------ */

void pkt_settings_default(struct pkt_settings *s)
{
	static const uint8_t lmac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t rmac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	/* RFC 6528 secret used by every run: fixed, so runs repeat */
	static const uint8_t key[16] = "toe-pkt ISN key!";
	struct toe_eut_cfg *b = &s->be;

	memset(s, 0, sizeof(*s));
	s->tolerance_us = 4000;
	s->local_ip = 0xC0A80001u;  /* 192.168.0.1 */
	s->remote_ip = 0xC0000201u; /* 192.0.2.1 */
	s->bind_port = 8080;
	s->remote_port = 40000;
	s->connect_port = 8080;
	s->ephemeral = 49152;
	s->default_win = 65535;
	memcpy(b->local_mac, lmac, 6);
	memcpy(b->remote_mac, rmac, 6);
	b->mtu = 1500;
	b->rcv_wnd = 8760;
	b->syn_wnd = 0;
	b->ttl = 64;
	b->df = true;
	b->tick_hz = 0; /* the back end's default */
	b->rto_init_us = 1000000;
	b->rto_max_us = 60000000;
	b->syn_giveup_us = 180000000;
	b->synack_giveup_us = 60000000;
	b->fin_giveup_us = 100000000;
	b->msl_us = 30000000;
	b->ca_limit = 5;
	b->ca_window_us = 1000000;
	memcpy(b->isn_key, key, 16);
	b->seed = 1;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_port(const char *s, uint16_t *p)
{
	uint64_t v;

	if (parse_u64(s, &v) || v == 0 || v > 65535)
		return -1;
	*p = (uint16_t)v;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int pkt_settings_option(struct pkt_settings *s, const char *opt, char *err,
			size_t errlen)
{
	char name[64];
	const char *eq = strchr(opt, '=');
	const char *val;
	uint64_t v;

	if (strncmp(opt, "--", 2) == 0)
		opt += 2;
	eq = strchr(opt, '=');
	if (!eq || (size_t)(eq - opt) >= sizeof(name)) {
		snprintf(err, errlen, "option '--%s': expected --name=value", opt);
		return -1;
	}
	memcpy(name, opt, (size_t)(eq - opt));
	name[eq - opt] = 0;
	val = eq + 1;
	if (!strcmp(name, "tolerance_usecs")) {
		if (parse_u64(val, &v) || v > 100000000)
			goto bad;
		s->tolerance_us = (int64_t)v;
		s->tolerance_given = true;
	} else if (!strcmp(name, "local_ip")) {
		if (toe_ip_parse(val, &s->local_ip))
			goto bad;
	} else if (!strcmp(name, "remote_ip")) {
		if (toe_ip_parse(val, &s->remote_ip))
			goto bad;
	} else if (!strcmp(name, "bind_port")) {
		if (parse_port(val, &s->bind_port))
			goto bad;
	} else if (!strcmp(name, "remote_port")) {
		if (parse_port(val, &s->remote_port))
			goto bad;
	} else if (!strcmp(name, "connect_port")) {
		if (parse_port(val, &s->connect_port))
			goto bad;
	} else if (!strcmp(name, "ephemeral_port")) {
		if (parse_port(val, &s->ephemeral))
			goto bad;
	} else if (!strcmp(name, "default_win")) {
		if (parse_u64(val, &v) || v > 65535)
			goto bad;
		s->default_win = (uint32_t)v;
	} else if (!strcmp(name, "mtu")) {
		if (parse_u64(val, &v) || v < 128 || v > 9216)
			goto bad;
		s->be.mtu = (uint16_t)v;
	} else if (!strcmp(name, "tick_hz")) {
		if (parse_u64(val, &v) || v == 0 || v % 250000 || v > 0xFFFFFFFFu)
			goto bad;
		s->be.tick_hz = v;
	} else if (!strcmp(name, "ip_version")) {
		if (strcmp(val, "ipv4"))
			goto bad;
	} else if (!strcmp(name, "isn_key")) {
		if (strlen(val) != 32)
			goto bad;
		for (int i = 0; i < 16; i++) {
			int h = hexval(val[2 * i]), l = hexval(val[2 * i + 1]);

			if (h < 0 || l < 0)
				goto bad;
			s->be.isn_key[i] = (uint8_t)(h << 4 | l);
		}
	} else if (!strcmp(name, "seed")) {
		if (parse_u64(val, &v) || v > 0xFFFFFFFFu)
			goto bad;
		s->be.seed = (uint32_t)v;
	} else {
		snprintf(err, errlen, "unknown option '--%s'", name);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "option '--%s': bad value '%s'", name, val);
	return -1;
}

/* ------------------------------------------------------------------ */
/* names                                                               */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int val;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "EWOULDBLOCK", EWOULDBLOCK },
	{ "ENOMEM", ENOMEM }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EINVAL", EINVAL }, { "EPIPE", EPIPE }, { "ENOTSOCK", ENOTSOCK },
	{ "ENOPROTOOPT", ENOPROTOOPT }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOTSUP", ENOTSUP }, { "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET },
	{ "ENOBUFS", ENOBUFS }, { "EISCONN", EISCONN },
	{ "ENOTCONN", ENOTCONN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "EALREADY", EALREADY }, { "EINPROGRESS", EINPROGRESS },
};

int pkt_errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].val;
	return -1;
}

const char *pkt_errno_name(int value)
{
	if (value == 0)
		return "0";
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].val == value)
			return errnos[i].name;
	return "E?";
}

const char *pkt_flags_str(uint8_t flags, char buf[10])
{
	char *p = buf;

	if (flags & TOE_TCP_SYN)
		*p++ = 'S';
	if (flags & TOE_TCP_FIN)
		*p++ = 'F';
	if (flags & TOE_TCP_RST)
		*p++ = 'R';
	if (flags & TOE_TCP_PSH)
		*p++ = 'P';
	if (flags & TOE_TCP_ACK)
		*p++ = '.';
	if (flags & TOE_TCP_ECE)
		*p++ = 'E';
	if (flags & TOE_TCP_CWR)
		*p++ = 'W';
	if (flags & TOE_TCP_URG)
		*p++ = 'U';
	if (p == buf)
		*p++ = '-';
	*p = 0;
	return buf;
}

/* ------------------------------------------------------------------ */
/* scanning helpers                                                    */
/* ------------------------------------------------------------------ */

struct ctx {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

static int perr(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%d: ", c->path, c->line);

	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		fprintf(stderr, "toe-pkt: out of memory\n");
		exit(2);
	}
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static char *trim_dup(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* Unsigned number (decimal or 0x hex) up to 2^32-1. */
static const char *scan_u32(const char *p, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (!isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	x = strtoull(p, &end, 0);
	if (errno || x > 0xFFFFFFFFull)
		return NULL;
	*v = (uint32_t)x;
	return end;
}

/* Seconds with up to 6 decimals ("1", "0.25", ".1") -> microseconds. */
static const char *scan_secs(const char *p, int64_t *us)
{
	int64_t ip = 0, frac = 0, scale = 100000;
	bool any = false;

	while (isdigit((unsigned char)*p)) {
		ip = ip * 10 + (*p++ - '0');
		any = true;
		if (ip > 100000000)
			return NULL;
	}
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (scale == 0)
				return NULL; /* finer than a microsecond */
			frac += (*p++ - '0') * scale;
			scale /= 10;
			any = true;
		}
	} else if (*p == '.' && any && p[1] != '.') {
		p++; /* "1." */
	}
	if (!any)
		return NULL;
	*us = ip * 1000000 + frac;
	return p;
}

static const char *scan_point(const char *p, enum pkt_tkind *k, int64_t *us)
{
	*k = PKT_T_ABS;
	if (*p == '+') {
		*k = PKT_T_REL;
		p++;
	}
	return scan_secs(p, us);
}

/* TIME token: * | [+]N | [+]N~[+]N | [+]N...[+]N */
static int parse_time(struct ctx *c, const char *tok, struct pkt_time *t)
{
	const char *p = tok;

	memset(t, 0, sizeof(*t));
	if (!strcmp(tok, "*")) {
		t->kind = PKT_T_ANY;
		return 0;
	}
	p = scan_point(p, &t->kind, &t->us);
	if (!p)
		return perr(c, "bad time '%s'", tok);
	if (*p == '~') {
		t->range = true;
		p = scan_point(p + 1, &t->kind2, &t->us2);
		if (!p)
			return perr(c, "bad time range '%s'", tok);
	} else if (!strncmp(p, "...", 3)) {
		t->blocking = true;
		p = scan_point(p + 3, &t->end_kind, &t->end_us);
		if (!p)
			return perr(c, "bad blocking-call time '%s'", tok);
	}
	if (*p)
		return perr(c, "bad time '%s'", tok);
	return 0;
}

/* ------------------------------------------------------------------ */
/* packets                                                             */
/* ------------------------------------------------------------------ */

static int parse_flags(struct ctx *c, const char *tok, uint8_t *f)
{
	*f = 0;
	if (!strcmp(tok, "-"))
		return 0;
	for (const char *p = tok; *p; p++) {
		uint8_t b;

		switch (*p) {
		case 'S': b = TOE_TCP_SYN; break;
		case 'F': b = TOE_TCP_FIN; break;
		case 'R': b = TOE_TCP_RST; break;
		case 'P': b = TOE_TCP_PSH; break;
		case '.': b = TOE_TCP_ACK; break;
		case 'E': b = TOE_TCP_ECE; break;
		case 'W': b = TOE_TCP_CWR; break;
		case 'U': b = TOE_TCP_URG; break;
		default:
			return perr(c, "bad TCP flags '%s' (use S F R P . E W U, or -)",
				    tok);
		}
		if (*f & b)
			return perr(c, "flag '%c' given twice in '%s'", *p, tok);
		*f |= b;
	}
	return 0;
}

static int opt_put(struct ctx *c, struct pkt_seg_spec *s, const uint8_t *b,
		   size_t n)
{
	if (s->opt_len + n > 40)
		return perr(c, "TCP options longer than 40 bytes");
	memcpy(s->opt + s->opt_len, b, n);
	s->opt_len = (uint8_t)(s->opt_len + n);
	return 0;
}

/* One option of a <...> list; `item` trimmed, NUL-terminated. */
static int parse_option(struct ctx *c, struct pkt_seg_spec *s, char *item)
{
	uint8_t b[40];
	uint32_t v, w;
	const char *p;

	if (!strcmp(item, "nop")) {
		b[0] = TOE_TCPOPT_NOP;
		return opt_put(c, s, b, 1);
	}
	if (!strcmp(item, "eol")) {
		b[0] = TOE_TCPOPT_EOL;
		return opt_put(c, s, b, 1);
	}
	if (!strcmp(item, "sackOK")) {
		b[0] = TOE_TCPOPT_SACK_PERM;
		b[1] = 2;
		return opt_put(c, s, b, 2);
	}
	if (!strncmp(item, "mss ", 4)) {
		p = scan_u32(skip_ws(item + 4), &v);
		if (!p || *skip_ws(p) || v > 65535)
			return perr(c, "bad option '%s'", item);
		b[0] = TOE_TCPOPT_MSS;
		b[1] = 4;
		b[2] = (uint8_t)(v >> 8);
		b[3] = (uint8_t)v;
		return opt_put(c, s, b, 4);
	}
	if (!strncmp(item, "wscale ", 7)) {
		p = scan_u32(skip_ws(item + 7), &v);
		if (!p || *skip_ws(p) || v > 255)
			return perr(c, "bad option '%s'", item);
		b[0] = TOE_TCPOPT_WSCALE;
		b[1] = 3;
		b[2] = (uint8_t)v;
		return opt_put(c, s, b, 3);
	}
	if (!strncmp(item, "TS val ", 7)) {
		p = scan_u32(skip_ws(item + 7), &v);
		if (!p)
			return perr(c, "bad option '%s'", item);
		p = skip_ws(p);
		if (strncmp(p, "ecr ", 4))
			return perr(c, "bad option '%s' (TS val N ecr N)", item);
		p = scan_u32(skip_ws(p + 4), &w);
		if (!p || *skip_ws(p))
			return perr(c, "bad option '%s'", item);
		b[0] = TOE_TCPOPT_TS;
		b[1] = 10;
		toe_put_be32(b + 2, v);
		toe_put_be32(b + 6, w);
		return opt_put(c, s, b, 10);
	}
	if (!strncmp(item, "sack ", 5)) {
		uint8_t n = 2;

		p = skip_ws(item + 5);
		b[0] = TOE_TCPOPT_SACK;
		while (*p) {
			p = scan_u32(p, &v);
			if (!p || *p != ':')
				return perr(c, "bad sack block in '%s'", item);
			p = scan_u32(p + 1, &w);
			if (!p || n + 8 > 34 || s->n_sack_edge + 2 > 8)
				return perr(c, "bad sack block in '%s'", item);
			s->sack_edge[s->n_sack_edge++] = (uint8_t)(s->opt_len + n);
			s->sack_edge[s->n_sack_edge++] = (uint8_t)(s->opt_len + n + 4);
			toe_put_be32(b + n, v);
			toe_put_be32(b + n + 4, w);
			n = (uint8_t)(n + 8);
			p = skip_ws(p);
		}
		if (n == 2)
			return perr(c, "sack option without blocks");
		b[1] = n;
		return opt_put(c, s, b, n);
	}
	if (!strncmp(item, "raw ", 4)) {
		/* extension: option bytes in hex, e.g. "raw fe04abcd" */
		size_t n = 0;

		p = skip_ws(item + 4);
		while (*p) {
			int h = hexval(p[0]), l = p[1] ? hexval(p[1]) : -1;

			if (h < 0 || l < 0 || n >= sizeof(b))
				return perr(c, "bad raw option bytes '%s'", item);
			b[n++] = (uint8_t)(h << 4 | l);
			p = skip_ws(p + 2);
		}
		if (n == 0)
			return perr(c, "raw option without bytes");
		return opt_put(c, s, b, n);
	}
	return perr(c, "unknown TCP option '%s'", item);
}

static int parse_option_list(struct ctx *c, struct pkt_seg_spec *s,
			     const char **pp, char dir)
{
	const char *p = *pp + 1; /* past '<' */
	const char *close = strchr(p, '>');
	char *list, *item, *save = NULL;

	if (!close)
		return perr(c, "option list without closing '>'");
	list = trim_dup(p, close);
	*pp = close + 1;
	s->opt_given = true;
	if (!strcmp(list, "...")) {
		free(list);
		if (dir == '<')
			return perr(c, "'<...>' is for expected (>) segments only");
		s->opt_any = true;
		return 0;
	}
	if (!*list) {
		free(list);
		return 0;
	}
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *t = trim_dup(item, item + strlen(item));
		int rc = parse_option(c, s, t);

		free(t);
		if (rc) {
			free(list);
			return -1;
		}
	}
	free(list);
	return 0;
}

/* Next whitespace-delimited word; returns its end. */
static const char *word(const char *p, char *buf, size_t n)
{
	size_t i = 0;

	while (*p && !isspace((unsigned char)*p) && *p != '<') {
		if (i + 1 < n)
			buf[i++] = *p;
		p++;
	}
	buf[i] = 0;
	return p;
}

/*
 * IPv4 header fields: "(ITEM, ...)" or "[ITEM, ...]" at *pp, after the
 * direction (and @PORT). packetdrill's forms: "tos 0xNN" or "ttl N" (one
 * of them); toe-pkt's extensions: several items, "id N" (the IP
 * identification), "df" and "nodf" (the don't-fragment flag). Each item
 * at most once.
 */
static int parse_ip_info(struct ctx *c, struct pkt_seg_spec *s,
			 const char **pp)
{
	char close = **pp == '(' ? ')' : ']';
	const char *p = *pp + 1, *end = strchr(p, close);
	char *list, *item, *save = NULL;
	int rc = 0;

	if (!end)
		return perr(c, "IP field list without closing '%c'", close);
	list = trim_dup(p, end);
	*pp = end + 1;
	if (!*list) {
		free(list);
		return perr(c, "empty IP field list");
	}
	for (item = strtok_r(list, ",", &save); item && !rc;
	     item = strtok_r(NULL, ",", &save)) {
		char *t = trim_dup(item, item + strlen(item)), w[16];
		const char *q = word(t, w, sizeof(w));
		uint32_t v = 0;
		bool *seen = NULL;

		q = skip_ws(q);
		if (!strcmp(w, "tos") || !strcmp(w, "ttl") || !strcmp(w, "id")) {
			const char *z = scan_u32(q, &v);

			if (!z || *skip_ws(z) || v > (w[1] == 'd' ? 65535u : 255u))
				rc = perr(c, "bad IP field '%s'", t);
			seen = w[0] == 'i' ? &s->has_id : w[1] == 'o' ? &s->has_tos
								       : &s->has_ttl;
		} else if ((!strcmp(w, "df") || !strcmp(w, "nodf")) && !*q) {
			seen = &s->has_df;
		} else {
			rc = perr(c, "IP field '%s' is not supported (tos N, ttl N, "
				  "id N, df, nodf)", t);
		}
		if (!rc && *seen)
			rc = perr(c, "IP field '%s' given twice", w);
		if (!rc) {
			*seen = true;
			if (!strcmp(w, "tos"))
				s->tos = (uint8_t)v;
			else if (!strcmp(w, "ttl"))
				s->ttl = (uint8_t)v;
			else if (!strcmp(w, "id"))
				s->ip_id = (uint16_t)v;
			else
				s->df = w[0] == 'd';
		}
		free(t);
	}
	free(list);
	return rc;
}

static int parse_packet(struct ctx *c, const char *text, struct pkt_event *e)
{
	struct pkt_seg_spec *s = &e->u.seg;
	char dir = text[0], w[64];
	const char *p = skip_ws(text + 1);
	uint32_t v;

	memset(s, 0, sizeof(*s));
	e->kind = dir == '<' ? PKT_EV_IN : PKT_EV_OUT;
	if (*p == '@') {
		/* extension: the flow of this segment, by the peer's port */
		p = scan_u32(p + 1, &v);
		if (!p || v == 0 || v > 65535)
			return perr(c, "bad '@port'");
		s->port = (int)v;
		p = skip_ws(p);
	}
	if (*p == '(' || *p == '[') {
		if (parse_ip_info(c, s, &p))
			return -1;
		p = skip_ws(p);
	}
	p = word(p, w, sizeof(w));
	if (!*w)
		return perr(c, "packet without flags");
	if (parse_flags(c, w, &s->flags))
		return -1;
	p = skip_ws(p);
	/* start:end(len) */
	p = scan_u32(p, &s->start);
	if (!p || *p != ':')
		return perr(c, "expected sequence range start:end(len)");
	p = scan_u32(p + 1, &s->end);
	if (!p || *p != '(')
		return perr(c, "expected sequence range start:end(len)");
	p = scan_u32(p + 1, &s->len);
	if (!p || *p != ')')
		return perr(c, "expected sequence range start:end(len)");
	p++;
	if ((uint32_t)(s->end - s->start) != s->len)
		return perr(c, "sequence range %u:%u does not hold %u bytes",
			    s->start, s->end, s->len);
	if (s->len > 9000)
		return perr(c, "payload of %u bytes is too long", s->len);
	for (;;) {
		p = skip_ws(p);
		if (!*p)
			break;
		if (*p == '<') {
			if (s->opt_given)
				return perr(c, "two option lists");
			if (parse_option_list(c, s, &p, dir))
				return -1;
			continue;
		}
		p = word(p, w, sizeof(w));
		p = skip_ws(p);
		if (!strcmp(w, "ack")) {
			p = scan_u32(p, &s->ack);
			if (!p)
				return perr(c, "bad ack number");
			s->has_ack = true;
		} else if (!strcmp(w, "win")) {
			p = scan_u32(p, &s->win);
			if (!p || s->win > 65535)
				return perr(c, "bad window");
			s->has_win = true;
		} else if (!strcmp(w, "csum") || !strcmp(w, "ipcsum")) {
			bool tcp = w[0] == 'c';

			p = word(p, w, sizeof(w));
			if (strcmp(w, "bad") || dir != '<')
				return perr(c, "expected '%s bad' on an injected segment",
					    tcp ? "csum" : "ipcsum");
			if (tcp)
				s->bad_tcp_csum = true;
			else
				s->bad_ip_csum = true;
		} else {
			return perr(c, "unexpected '%s' in packet", w);
		}
	}
	if (s->has_ack && !(s->flags & TOE_TCP_ACK))
		return perr(c, "'ack %u' given but the ACK flag ('.') is not", s->ack);
	if (dir == '<' && (s->flags & TOE_TCP_ACK) && !s->has_ack)
		return perr(c, "injected segment with the ACK flag needs 'ack N'");
	return 0;
}

/* ------------------------------------------------------------------ */
/* calls                                                               */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int min, max;
} calls[] = {
	{ "socket", 3, 3 }, { "bind", 3, 3 }, { "listen", 2, 2 },
	{ "accept", 3, 3 }, { "connect", 3, 3 }, { "close", 1, 1 },
	{ "shutdown", 2, 2 }, { "read", 3, 3 }, { "write", 3, 3 },
	{ "setsockopt", 5, 5 }, { "getsockopt", 5, 5 }, { "fcntl", 2, 3 },
};

static int parse_call(struct ctx *c, const char *text, struct pkt_event *e)
{
	struct pkt_call *k = &e->u.call;
	const char *p = text, *a;
	size_t n = 0;
	int depth = 0, ci = -1;
	char w[32];

	memset(k, 0, sizeof(*k));
	e->kind = PKT_EV_CALL;
	while (isalnum((unsigned char)*p) || *p == '_') {
		if (n + 1 < sizeof(k->name))
			k->name[n++] = *p;
		p++;
	}
	k->name[n] = 0;
	if (*p != '(')
		return perr(c, "cannot parse '%s'", text);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(calls[i].name, k->name))
			ci = (int)i;
	if (ci < 0)
		return perr(c, "unsupported call '%s'", k->name);
	/* arguments, split at top-level commas */
	a = ++p;
	for (;; p++) {
		if (!*p)
			return perr(c, "missing ')' in call");
		if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0) {
			depth--;
		} else if ((*p == ',' && depth == 0) || (*p == ')' && depth == 0)) {
			char *arg = trim_dup(a, p);

			if (*arg || *p == ',' || k->nargs > 0) {
				if (k->nargs == PKT_MAX_ARGS) {
					free(arg);
					return perr(c, "too many arguments");
				}
				k->args[k->nargs++] = arg;
			} else {
				free(arg);
			}
			a = p + 1;
			if (*p == ')')
				break;
		}
	}
	p = skip_ws(p + 1);
	if (k->nargs < calls[ci].min || k->nargs > calls[ci].max)
		return perr(c, "%s() takes %d argument%s, %d given", k->name,
			    calls[ci].min, calls[ci].min == 1 ? "" : "s", k->nargs);
	for (int i = 0; i < k->nargs; i++)
		if (!*k->args[i])
			return perr(c, "empty argument %d in %s()", i + 1, k->name);
	if (*p != '=')
		return perr(c, "expected '= RETURN' after %s()", k->name);
	p = skip_ws(p + 1);
	{
		char *end;
		long long r;

		errno = 0;
		r = strtoll(p, &end, 10);
		if (end == p || errno)
			return perr(c, "bad return value");
		k->ret = r;
		p = skip_ws(end);
	}
	if (*p == 'E') {
		p = word(p, w, sizeof(w));
		if (pkt_errno_value(w) < 0)
			return perr(c, "unknown errno '%s'", w);
		snprintf(k->err, sizeof(k->err), "%s", w);
		p = skip_ws(p);
		if (k->ret != -1)
			return perr(c, "an errno goes with a return value of -1");
	}
	if (*p == '(') { /* "(Operation now in progress)" */
		const char *q = strchr(p, ')');

		if (!q)
			return perr(c, "missing ')' after errno text");
		p = skip_ws(q + 1);
	}
	if (*p)
		return perr(c, "unexpected '%s' after the call", p);
	if (k->ret == -1 && !k->err[0])
		return perr(c, "a return value of -1 needs an errno name");
	return 0;
}

/* ------------------------------------------------------------------ */
/* %{ assert ... }%                                                    */
/* ------------------------------------------------------------------ */

/* Identifiers the runner knows in assertions (see docs/pkt.md). */
static const char *const code_idents[] = {
	"tcpi_state", "tcpi_snd_mss", "tcpi_retransmits",
	"isn_flows", "isn_close_pairs",
};

/* TCP state names -> enum toe_tcp_state. Both the RFC spelling
 * (TCPI_SYN_RECEIVED) and Linux's (TCP_SYN_RECV) are accepted. */
static const struct {
	const char *name;
	int state;
} state_names[] = {
	{ "CLOSED", TOE_ST_CLOSED }, { "CLOSE", TOE_ST_CLOSED },
	{ "LISTEN", TOE_ST_LISTEN }, { "SYN_SENT", TOE_ST_SYN_SENT },
	{ "SYN_RECEIVED", TOE_ST_SYN_RECEIVED }, { "SYN_RECV", TOE_ST_SYN_RECEIVED },
	{ "ESTABLISHED", TOE_ST_ESTABLISHED },
	{ "FIN_WAIT_1", TOE_ST_FIN_WAIT_1 }, { "FIN_WAIT1", TOE_ST_FIN_WAIT_1 },
	{ "FIN_WAIT_2", TOE_ST_FIN_WAIT_2 }, { "FIN_WAIT2", TOE_ST_FIN_WAIT_2 },
	{ "CLOSE_WAIT", TOE_ST_CLOSE_WAIT }, { "CLOSING", TOE_ST_CLOSING },
	{ "LAST_ACK", TOE_ST_LAST_ACK }, { "TIME_WAIT", TOE_ST_TIME_WAIT },
};

int pkt_state_const(const char *name)
{
	if (!strncmp(name, "TCPI_", 5))
		name += 5;
	else if (!strncmp(name, "TCP_", 4))
		name += 4;
	else
		return -1;
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (!strcmp(state_names[i].name, name))
			return state_names[i].state;
	return -1;
}

static int check_operand(struct ctx *c, const char *o)
{
	uint32_t v;
	const char *p;

	if (isdigit((unsigned char)o[0])) {
		p = scan_u32(o, &v);
		if (!p || *p)
			return perr(c, "bad number '%s' in assertion", o);
		return 0;
	}
	for (size_t i = 0; i < sizeof(code_idents) / sizeof(code_idents[0]); i++)
		if (!strcmp(code_idents[i], o))
			return 0;
	if (pkt_state_const(o) >= 0)
		return 0;
	return perr(c, "unknown name '%s' in assertion", o);
}

static int parse_assert(struct ctx *c, struct pkt_code *k, const char *st)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	struct pkt_assert *a;
	const char *p = st + 6, *o = NULL;
	char *expr, *comma;
	size_t oi = 0;

	if (k->n == PKT_MAX_ASSERTS)
		return perr(c, "too many assertions in one block");
	a = &k->a[k->n];
	expr = trim_dup(p, p + strlen(p));
	comma = strchr(expr, ','); /* "assert x == y, message" */
	if (comma)
		*comma = 0;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]) && !o; i++) {
		o = strstr(expr, ops[i]);
		oi = i;
	}
	if (!o) {
		free(expr);
		return perr(c, "assertion without a comparison: '%s'", st);
	}
	{
		char *l = trim_dup(expr, o);
		char *r = trim_dup(o + strlen(ops[oi]), expr + strlen(expr));
		int bad = !*l || !*r || strlen(l) >= sizeof(a->lhs) ||
			  strlen(r) >= sizeof(a->rhs);

		if (!bad) {
			snprintf(a->lhs, sizeof(a->lhs), "%s", l);
			snprintf(a->rhs, sizeof(a->rhs), "%s", r);
			snprintf(a->op, sizeof(a->op), "%s", ops[oi]);
		}
		free(l);
		free(r);
		free(expr);
		if (bad)
			return perr(c, "cannot parse assertion '%s'", st);
	}
	if (check_operand(c, a->lhs) || check_operand(c, a->rhs))
		return -1;
	k->n++;
	return 0;
}

static int parse_code(struct ctx *c, const char *body, struct pkt_event *e)
{
	struct pkt_code *k = &e->u.code;
	char *copy = xstrndup(body, strlen(body)), *st, *save = NULL;
	int rc = 0;

	memset(k, 0, sizeof(*k));
	e->kind = PKT_EV_CODE;
	for (st = strtok_r(copy, ";\n", &save); st && !rc;
	     st = strtok_r(NULL, ";\n", &save)) {
		char *t = trim_dup(st, st + strlen(st));

		if (!*t || !strcmp(t, "pass"))
			;
		else if (!strncmp(t, "assert ", 7))
			rc = parse_assert(c, k, t);
		else
			rc = perr(c, "unsupported statement '%s' in %%{ }%% "
				  "(only 'assert NAME OP VALUE')", t);
		free(t);
	}
	free(copy);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the file                                                            */
/* ------------------------------------------------------------------ */

/* Replace comments by spaces, keeping newlines (line numbers stay). */
static char *strip_comments(const char *text, int *bad_line)
{
	size_t n = strlen(text);
	char *b = xstrndup(text, n);
	bool bq = false;
	int line = 1;

	*bad_line = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n')
			line++;
		if (b[i] == '`') {
			bq = !bq;
			continue;
		}
		if (bq)
			continue;
		if (b[i] == '/' && b[i + 1] == '/') {
			while (i < n && b[i] != '\n')
				b[i++] = ' ';
			i--;
		} else if (b[i] == '/' && b[i + 1] == '*') {
			int start = line;
			size_t j = i;

			while (j < n && !(b[j] == '*' && b[j + 1] == '/')) {
				if (b[j] == '\n')
					line++;
				else
					b[j] = ' ';
				j++;
			}
			if (j >= n) {
				*bad_line = start;
				return b;
			}
			b[j] = b[j + 1] = ' ';
			i = j + 1;
		}
	}
	return b;
}

static struct pkt_event *new_event(struct pkt_script *sc)
{
	if (sc->nev == sc->cap) {
		int cap = sc->cap ? 2 * sc->cap : 64;
		struct pkt_event *ev = realloc(sc->ev, (size_t)cap * sizeof(*ev));

		if (!ev) {
			fprintf(stderr, "toe-pkt: out of memory\n");
			exit(2);
		}
		sc->ev = ev;
		sc->cap = cap;
	}
	memset(&sc->ev[sc->nev], 0, sizeof(sc->ev[0]));
	return &sc->ev[sc->nev++];
}

/* Text from p up to the closing delimiter `close` (may span lines); the
 * line counter follows. Returns the position after the delimiter. */
static const char *collect(struct ctx *c, const char *p, const char *close,
			   char **out)
{
	const char *q = strstr(p, close);

	if (!q)
		return NULL;
	*out = xstrndup(p, (size_t)(q - p));
	for (const char *x = p; x < q; x++)
		if (*x == '\n')
			c->line++;
	return q + strlen(close);
}

int pkt_parse_string(const char *path, const char *text,
		     const struct pkt_settings *settings, struct pkt_script *sc,
		     char *err, size_t errlen)
{
	struct ctx c = { .path = path, .line = 1, .err = err, .errlen = errlen };
	int bad_line;
	char *buf = strip_comments(text, &bad_line);
	const char *p = buf;
	bool seen_event = false;
	int64_t time_sum = 0;

	memset(sc, 0, sizeof(*sc));
	sc->path = path;
	sc->set = *settings;
	if (bad_line) {
		c.line = bad_line;
		perr(&c, "unterminated /* comment");
		goto fail;
	}
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *lend = eol ? eol : p + strlen(p);
		char *line = trim_dup(p, lend);
		const char *q = line, *after;
		struct pkt_time t;
		struct pkt_event *e;
		char tok[64];
		int start_line = c.line;

		if (!*line) {
			free(line);
			goto next_line;
		}
		if (!strncmp(line, "--", 2)) {
			char msg[256];

			if (seen_event) {
				perr(&c, "option '%s' after the first event "
				     "(options come first)", line);
				free(line);
				goto fail;
			}
			if (pkt_settings_option(&sc->set, line, msg, sizeof(msg))) {
				perr(&c, "%s", msg);
				free(line);
				goto fail;
			}
			free(line);
			goto next_line;
		}
		seen_event = true;
		memset(&t, 0, sizeof(t));
		if (*q != '`' && strncmp(q, "%{", 2)) {
			q = word(q, tok, sizeof(tok));
			if (parse_time(&c, tok, &t)) {
				free(line);
				goto fail;
			}
			q = skip_ws(q);
		}
		/* multi-line constructs work on the original buffer */
		after = p;
		while (*after == ' ' || *after == '\t' || *after == '\r')
			after++;
		after += q - line;
		if (*q == '`' || !strncmp(q, "%{", 2)) {
			bool shell = *q == '`';
			char *body = NULL;
			const char *end;

			e = new_event(sc);
			e->line = start_line;
			e->t = t;
			end = collect(&c, after + (shell ? 1 : 2),
				      shell ? "`" : "}%", &body);
			free(line);
			if (!end) {
				c.line = start_line;
				perr(&c, shell ? "unterminated `command`"
					       : "unterminated %%{ block");
				goto fail;
			}
			if (shell) {
				e->kind = PKT_EV_SHELL;
				e->shell = body;
				e->text = trim_dup(body, body + strlen(body));
				if (t.range || t.blocking || t.kind == PKT_T_ANY) {
					perr(&c, "a command takes a plain time");
					goto fail;
				}
			} else {
				e->text = trim_dup(body, body + strlen(body));
				if (parse_code(&c, body, e)) {
					free(body);
					goto fail;
				}
				free(body);
				if (t.range || t.blocking || t.kind == PKT_T_ANY) {
					perr(&c, "an assertion block takes a plain time");
					goto fail;
				}
			}
			/* nothing may follow on the closing line */
			eol = strchr(end, '\n');
			lend = eol ? eol : end + strlen(end);
			for (const char *x = end; x < lend; x++)
				if (!isspace((unsigned char)*x)) {
					perr(&c, "unexpected text after the closing %s",
					     shell ? "`" : "}%");
					goto fail;
				}
			if (!eol)
				break;
			p = eol + 1;
			c.line++;
			continue;
		}
		if (t.kind == PKT_T_NONE) {
			perr(&c, "an event needs a time");
			free(line);
			goto fail;
		}
		e = new_event(sc);
		e->line = start_line;
		e->t = t;
		e->text = xstrndup(q, strlen(q));
		if (*q == '<' || *q == '>') {
			if (parse_packet(&c, q, e)) {
				free(line);
				goto fail;
			}
			if (t.blocking) {
				perr(&c, "'...' (blocking) is for calls only");
				free(line);
				goto fail;
			}
			if (t.kind == PKT_T_ANY && e->kind == PKT_EV_IN) {
				perr(&c, "'*' time is for outbound (>) packets only");
				free(line);
				goto fail;
			}
		} else if (isalpha((unsigned char)*q)) {
			if (parse_call(&c, q, e)) {
				free(line);
				goto fail;
			}
			if (t.kind == PKT_T_ANY || t.range) {
				perr(&c, "a call takes a plain or blocking time");
				free(line);
				goto fail;
			}
		} else {
			perr(&c, "cannot parse '%s'", q);
			free(line);
			goto fail;
		}
		/* every time a script gives is at most 1e8 s; their sum must be
		 * too, so that the runner's schedule (each '+' time after the
		 * one before) cannot overflow */
		time_sum += t.us + t.us2 + t.end_us;
		if (time_sum > PKT_MAX_SCRIPT_US) {
			perr(&c, "the script's times add up to more than %lld s",
			     (long long)(PKT_MAX_SCRIPT_US / 1000000));
			free(line);
			goto fail;
		}
		free(line);
next_line:
		if (!eol)
			break;
		p = eol + 1;
		c.line++;
	}
	if (sc->nev == 0) {
		perr(&c, "no events: the script would check nothing");
		goto fail;
	}
	free(buf);
	return 0;
fail:
	free(buf);
	pkt_script_free(sc);
	return -1;
}

int pkt_parse_file(const char *path, const struct pkt_settings *settings,
		   struct pkt_script *sc, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* read to the end (not by the size ftell reports: a device or a pipe
	 * has none), at most PKT_MAX_SCRIPT_BYTES, no NUL byte */
	for (;;) {
		size_t got;

		if (cap - n < 4096 + 1) {
			char *t;

			if (cap >= PKT_MAX_SCRIPT_BYTES) {
				snprintf(err, errlen, "%s: larger than %u bytes: not a "
					 "script", path, (unsigned)PKT_MAX_SCRIPT_BYTES);
				free(text);
				fclose(f);
				return -1;
			}
			cap = cap ? 2 * cap : 65536;
			t = realloc(text, cap + 1);
			if (!t) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(text);
				fclose(f);
				return -1;
			}
			text = t;
		}
		got = fread(text + n, 1, cap - n, f);
		if (got && memchr(text + n, 0, got)) {
			snprintf(err, errlen, "%s: NUL byte in script", path);
			free(text);
			fclose(f);
			return -1;
		}
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	text[n] = 0;
	rc = pkt_parse_string(path, text, settings, sc, err, errlen);
	free(text);
	return rc;
}

void pkt_script_free(struct pkt_script *sc)
{
	for (int i = 0; i < sc->nev; i++) {
		struct pkt_event *e = &sc->ev[i];

		free(e->text);
		free(e->shell);
		if (e->kind == PKT_EV_CALL)
			for (int j = 0; j < e->u.call.nargs; j++)
				free(e->u.call.args[j]);
	}
	free(sc->ev);
	sc->ev = NULL;
	sc->nev = sc->cap = 0;
}
