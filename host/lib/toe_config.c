/* SPDX-License-Identifier: MIT */
/*
 * toe_config.c - the engine's configuration (register block cfg,
 * docs/regmap.md) as struct toe_config: read, write with read-back,
 * defaults, and the KEY=VALUE form `toectl config` uses. Durations are
 * milliseconds here and ticks in the engine (TICK_HZ per second).
 */
#include "toe_lib.h"
#include "toe/toe_parse.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The seven durations of the 64-bit registers RTO_INIT ..
 * CHALLENGE_ACK_WINDOW, in address order. */
#define N_DUR 7

static uint64_t *dur_field(struct toe_config *c, size_t i)
{
	uint64_t *f[N_DUR] = {
		&c->rto_init_ms, &c->rto_max_ms, &c->syn_giveup_ms,
		&c->synack_giveup_ms, &c->fin_giveup_ms, &c->msl_ms,
		&c->challenge_ack_window_ms,
	};
	return f[i];
}

/* The same durations in the driver's struct (ticks). */
static uint64_t *drv_dur_field(struct toe_drv_cfg *c, size_t i)
{
	uint64_t *f[N_DUR] = {
		&c->rto_init, &c->rto_max, &c->syn_giveup, &c->synack_giveup,
		&c->fin_giveup, &c->msl, &c->challenge_ack_window,
	};

	return f[i];
}

static uint64_t ticks_to_ms(uint64_t ticks, uint32_t hz)
{
	if (hz == 0)
		return 0;
	return ticks / hz * 1000u + (ticks % hz) * 1000u / hz;
}

/* ms * hz / 1000 without overflow; false if it does not fit 64 bits */
static bool ms_to_ticks(uint64_t ms, uint32_t hz, uint64_t *ticks)
{
	uint64_t whole = ms / 1000u, part = (ms % 1000u) * hz / 1000u;

	if (hz && whole > (UINT64_MAX - part) / hz)
		return false;
	*ticks = whole * hz + part;
	return true;
}

void toe_config_default(struct toe_config *c)
{
	memset(c, 0, sizeof(*c));
	/* the register map's reset values */
	c->mtu = TOE_FIELD_GET(TOE_REG_MTU_MTU, TOE_REG_MTU_RESET);
	c->rcv_wnd = TOE_FIELD_GET(TOE_REG_WND_RCV_WND, TOE_REG_WND_RESET);
	c->syn_wnd = TOE_FIELD_GET(TOE_REG_WND_SYN_WND, TOE_REG_WND_RESET);
	c->ttl = TOE_FIELD_GET(TOE_REG_IP_CFG_TTL, TOE_REG_IP_CFG_RESET);
	c->df = TOE_FIELD_GET(TOE_REG_IP_CFG_DF, TOE_REG_IP_CFG_RESET);
	c->ip_id_init = TOE_FIELD_GET(TOE_REG_IP_ID_INIT, TOE_REG_IP_ID_RESET);
	c->ip_id_step = TOE_FIELD_GET(TOE_REG_IP_ID_STEP, TOE_REG_IP_ID_RESET);
	c->arp = TOE_FIELD_GET(TOE_REG_CTRL_ARP_EN, TOE_REG_CTRL_RESET);
	c->ping = TOE_FIELD_GET(TOE_REG_CTRL_PING_EN, TOE_REG_CTRL_RESET);
	c->clock_hz = TOE_REG_TICK_HZ_RESET;
	c->challenge_ack_limit = TOE_REG_CHALLENGE_ACK_LIMIT_RESET;
	c->rto_init_ms = ticks_to_ms(TOE_REG_RTO_INIT_RESET, c->clock_hz);
	c->rto_max_ms = ticks_to_ms(TOE_REG_RTO_MAX_RESET, c->clock_hz);
	c->syn_giveup_ms = ticks_to_ms(TOE_REG_SYN_GIVEUP_RESET, c->clock_hz);
	c->synack_giveup_ms = ticks_to_ms(TOE_REG_SYNACK_GIVEUP_RESET,
					  c->clock_hz);
	c->fin_giveup_ms = ticks_to_ms(TOE_REG_FIN_GIVEUP_RESET, c->clock_hz);
	c->msl_ms = ticks_to_ms(TOE_REG_MSL_RESET, c->clock_hz);
	c->challenge_ack_window_ms =
		ticks_to_ms(TOE_REG_CHALLENGE_ACK_WINDOW_RESET, c->clock_hz);
}

/* Registers 0x040 .. 0x09C (CTRL .. CHALLENGE_ACK_WINDOW_HI), one burst
 * (toe_drv_cfg_read); the register fields are the driver's (toe_drv.h). */
int toe_config_get(struct toe *t, struct toe_config *c)
{
	struct toe_drv_cfg dc;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!c)
		return toe_seterr(t, TOE_EINVAL, "config is NULL");
	r = toe_drv_cfg_read(&t->drv, &dc);
	if (r < 0)
		return toe_bus_err(t, r, "config read");
	memset(c, 0, sizeof(*c));
	c->arp = dc.ctrl & TOE_REG_CTRL_ARP_EN_MASK;
	c->ping = dc.ctrl & TOE_REG_CTRL_PING_EN_MASK;
	memcpy(c->mac, dc.mac, 6);
	c->ip = dc.local_ip;
	c->mtu = dc.mtu;
	c->rcv_wnd = dc.rcv_wnd;
	c->syn_wnd = dc.syn_wnd;
	c->ttl = dc.ttl;
	c->df = dc.df;
	c->ip_id_init = dc.ip_id_init;
	c->ip_id_step = dc.ip_id_step;
	c->clock_hz = dc.tick_hz;
	c->challenge_ack_limit = dc.challenge_ack_limit;
	for (size_t i = 0; i < N_DUR; i++)
		*dur_field(c, i) = ticks_to_ms(*drv_dur_field(&dc, i),
					       c->clock_hz);
	return 0;
}

int toe_config_set(struct toe *t, const struct toe_config *c)
{
	uint32_t w[TOE_DRV_CFG_WORDS], back[TOE_DRV_CFG_WORDS], ctrl;
	struct toe_drv_cfg dc;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!c)
		return toe_seterr(t, TOE_EINVAL, "config is NULL");
	if (c->clock_hz == 0 || c->clock_hz % 250000 != 0)
		return toe_seterr(t, TOE_ERANGE, "config: clock_hz %" PRIu32
				  " is not a positive multiple of 250000 (the "
				  "ISN clock ticks every 4 us)", c->clock_hz);
	if (c->mtu < 68)
		return toe_seterr(t, TOE_ERANGE, "config: mtu %u below 68 "
				  "(IPv4 minimum)", c->mtu);
	if (c->rto_init_ms == 0 || c->rto_max_ms < c->rto_init_ms)
		return toe_seterr(t, TOE_ERANGE, "config: want 0 < rto_init <= "
				  "rto_max");
	r = toe_drv_read32(&t->drv, TOE_REG_CTRL, &ctrl);
	if (r < 0)
		return toe_bus_err(t, r, "config");
	if (ctrl & TOE_REG_CTRL_ENABLE_MASK)
		return toe_seterr(t, TOE_EBUSY, "config: the engine is enabled; "
				  "the register map allows changes only while "
				  "no connection exists (disable it first)");
	memset(&dc, 0, sizeof(dc));
	dc.ctrl = (c->arp ? TOE_REG_CTRL_ARP_EN_MASK : 0) |
		  (c->ping ? TOE_REG_CTRL_PING_EN_MASK : 0);
	memcpy(dc.mac, c->mac, 6);
	dc.local_ip = c->ip;
	dc.mtu = c->mtu;
	dc.rcv_wnd = c->rcv_wnd;
	dc.syn_wnd = c->syn_wnd;
	dc.ttl = c->ttl;
	dc.df = c->df;
	dc.ip_id_init = c->ip_id_init;
	dc.ip_id_step = c->ip_id_step;
	dc.tick_hz = c->clock_hz;
	dc.challenge_ack_limit = c->challenge_ack_limit;
	for (size_t i = 0; i < N_DUR; i++)
		if (!ms_to_ticks(*dur_field((struct toe_config *)c, i),
				 c->clock_hz, drv_dur_field(&dc, i)))
			return toe_seterr(t, TOE_ERANGE, "config: duration %zu "
					  "too long for 64-bit ticks", i);
	/* the engine's limits (rtl/regmap/toe.toml, enum cfg_limit; the
	 * reference stack's toe_ref_new refuses the same): 40-bit timer
	 * stamps, a 16-bit challenge-ACK count */
	{
		const uint64_t lim = 1ull << (TOE_CFG_TIME_BITS - 1);
		const struct { const char *name; uint64_t ticks, max; } d[] = {
			{ "rto_max", dc.rto_max, lim },
			{ "syn_giveup", dc.syn_giveup, lim },
			{ "synack_giveup", dc.synack_giveup, lim },
			{ "fin_giveup", dc.fin_giveup, lim },
			{ "msl", dc.msl, lim / 2 },
		};

		for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
			if (d[i].ticks >= d[i].max)
				return toe_seterr(t, TOE_ERANGE, "config: %s is "
						  "%" PRIu64 " ticks; the engine "
						  "keeps timers in %d bits: at "
						  "most %" PRIu64 " ticks (%"
						  PRIu64 " ms at %" PRIu32
						  " Hz)%s", d[i].name,
						  d[i].ticks,
						  (int)TOE_CFG_TIME_BITS,
						  d[i].max - 1,
						  ticks_to_ms(d[i].max - 1,
							      c->clock_hz),
						  c->clock_hz,
						  d[i].max < lim ?
						  " (2 x msl is a timer)" : "");
		/* a peer sends frames of up to MTU + 14 bytes; the engine
		 * cuts longer ones (STAT_RX_TOO_LONG) */
		if (t->info.max_frame && (uint32_t)c->mtu + 14 > t->info.max_frame)
			return toe_seterr(t, TOE_ERANGE, "config: mtu %u: this "
					  "engine build takes frames of at most "
					  "%u bytes (its payload buffer, "
					  "BUILD_MISC.PAY_BUF_LOG2): mtu at most %u",
					  (unsigned)c->mtu, t->info.max_frame,
					  t->info.max_frame - 14);
		if (c->challenge_ack_limit > TOE_CFG_CA_LIMIT_MAX)
			return toe_seterr(t, TOE_ERANGE, "config: "
					  "challenge_ack_limit %" PRIu32 " above "
					  "the engine's %d", c->challenge_ack_limit,
					  (int)TOE_CFG_CA_LIMIT_MAX);
	}
	/* the 32-bit registers in one burst (CTRL .. CHALLENGE_ACK_LIMIT),
	 * then the 64-bit ones HI, then LO (the LO write applies the pair) */
	r = toe_drv_cfg_write(&t->drv, &dc, TOE_DRV_CFG_CTRL | TOE_DRV_CFG_ADDR |
			      TOE_DRV_CFG_IP | TOE_DRV_CFG_TICK |
			      TOE_DRV_CFG_CA_LIMIT | TOE_DRV_CFG_TIMERS);
	if (r < 0)
		return toe_bus_err(t, r, "config write");
	toe_drv_cfg_encode(&dc, w);
	r = toe_drv_read(&t->drv, TOE_REG_CTRL, back, TOE_DRV_CFG_WORDS);
	if (r < 0)
		return toe_bus_err(t, r, "config read-back");
	for (size_t i = 0; i < TOE_DRV_CFG_WORDS; i++)
		if (back[i] != w[i])
			return toe_seterr(t, TOE_EPROTO, "config read-back: "
					  "register 0x%03zx reads 0x%08x, "
					  "wrote 0x%08x", TOE_REG_CTRL + 4 * i,
					  back[i], w[i]);
	return 0;
}

/* ---- KEY=VALUE ---- */

enum kind { K_U8, K_U16, K_U32, K_BOOL, K_MS, K_MAC, K_IP, K_MSS };

static const struct key {
	const char *name;
	enum kind kind;
	size_t off;
	const char *help;
} keys[] = {
#define OFF(f) offsetof(struct toe_config, f)
	{ "mac", K_MAC, OFF(mac), "our MAC address (02:00:00:00:00:01)" },
	{ "ip", K_IP, OFF(ip), "our IPv4 address" },
	{ "mtu", K_U16, OFF(mtu), "MTU; MSS advertised = mtu - 40" },
	{ "mss", K_MSS, OFF(mtu), "MSS to advertise (sets mtu = mss + 40)" },
	{ "rcv_wnd", K_U16, OFF(rcv_wnd), "window advertised" },
	{ "syn_wnd", K_U16, OFF(syn_wnd), "window in our SYN (0: rcv_wnd)" },
	{ "ttl", K_U8, OFF(ttl), "IPv4 TTL" },
	{ "df", K_BOOL, OFF(df), "IPv4 Don't Fragment" },
	{ "ip_id_init", K_U16, OFF(ip_id_init), "first IPv4 ID" },
	{ "ip_id_step", K_U16, OFF(ip_id_step), "IPv4 ID increment" },
	{ "arp", K_BOOL, OFF(arp), "answer ARP" },
	{ "ping", K_BOOL, OFF(ping), "answer ICMP echo" },
	{ "clock_hz", K_U32, OFF(clock_hz), "engine clock, Hz" },
	{ "challenge_ack_limit", K_U32, OFF(challenge_ack_limit),
	  "challenge ACKs per window" },
	{ "rto_init", K_MS, OFF(rto_init_ms), "first RTO" },
	{ "rto_max", K_MS, OFF(rto_max_ms), "RTO cap" },
	{ "syn_giveup", K_MS, OFF(syn_giveup_ms), "SYN-SENT give-up" },
	{ "synack_giveup", K_MS, OFF(synack_giveup_ms), "SYN-RECEIVED give-up" },
	{ "fin_giveup", K_MS, OFF(fin_giveup_ms), "FIN states give-up" },
	{ "msl", K_MS, OFF(msl_ms), "MSL (TIME-WAIT = 2 MSL)" },
	{ "challenge_ack_window", K_MS, OFF(challenge_ack_window_ms),
	  "challenge ACK window" },
#undef OFF
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/*
 * The least value a key may be given (the number; durations in ms), and
 * why. The register map (docs/regmap.md, generated from
 * rtl/regmap/toe.toml) gives SYN_GIVEUP "at least 3 min" and FIN_GIVEUP
 * "at least 100 s" (RFC 1122 4.2.3.5's R2) in its text only, with no
 * machine-readable minimum, so they are stated here, once (toe.h's struct
 * toe_config comments say the same). TTL, SYN-RECEIVED give-up and MSL
 * have no documented minimum, but 0 is wrong for each.
 */
static const struct key_min {
	const char *name;
	uint64_t min;
	const char *why;
} key_mins[] = {
	{ "ttl", 1, "RFC 1122 3.2.1.7: a host must not send a datagram "
	  "with TTL 0" },
	{ "syn_giveup", 180000, "docs/regmap.md SYN_GIVEUP: at least 3 min" },
	{ "synack_giveup", 1, "0 would give up at once" },
	{ "fin_giveup", 100000, "docs/regmap.md FIN_GIVEUP: at least 100 s" },
	{ "msl", 1, "0 would make TIME-WAIT (2 MSL) last no time, RFC 9293 "
	  "3.6.1" },
};

static const struct key_min *key_min(const struct key *k)
{
	for (size_t i = 0; i < sizeof(key_mins) / sizeof(key_mins[0]); i++)
		if (strcmp(key_mins[i].name, k->name) == 0)
			return &key_mins[i];
	return NULL;
}

int toe_config_parse(struct toe_config *c, const char *kv, char *err,
		     size_t errlen)
{
	const char *eq = kv ? strchr(kv, '=') : NULL;
	const char *v;
	const struct key *k = NULL;
	const struct key_min *km = NULL;
	uint8_t *base = (uint8_t *)c;
	uint64_t x;

	if (!c || !kv)
		return TOE_EINVAL;
	if (!eq || eq == kv) {
		snprintf(err, errlen, "'%s': want KEY=VALUE", kv);
		return TOE_EINVAL;
	}
	for (size_t i = 0; i < N_KEYS; i++)
		if (strlen(keys[i].name) == (size_t)(eq - kv) &&
		    strncmp(keys[i].name, kv, (size_t)(eq - kv)) == 0)
			k = &keys[i];
	if (!k) {
		snprintf(err, errlen, "unknown key '%.*s' (keys: mac ip mtu mss "
			 "rcv_wnd syn_wnd ttl df ip_id_init ip_id_step arp ping "
			 "clock_hz challenge_ack_limit rto_init rto_max "
			 "syn_giveup synack_giveup fin_giveup msl "
			 "challenge_ack_window)", (int)(eq - kv), kv);
		return TOE_EINVAL;
	}
	v = eq + 1;
	switch (k->kind) {
	case K_MAC:
		if (toe_parse_mac(v, base + k->off) < 0)
			goto bad;
		return 0;
	case K_IP:
		if (toe_ip_parse(v, (uint32_t *)(base + k->off)) < 0)
			goto bad;
		return 0;
	case K_BOOL:
		if (toe_parse_bool(v, (bool *)(base + k->off)) < 0)
			goto bad;
		return 0;
	case K_U8:
		if (toe_parse_u64(v, 0, 255, &x) < 0)
			goto bad;
		if ((km = key_min(k)) && x < km->min)
			goto below;
		*(uint8_t *)(base + k->off) = (uint8_t)x;
		return 0;
	case K_U16:
		if (toe_parse_u64(v, 0, 65535, &x) < 0)
			goto bad;
		if ((km = key_min(k)) && x < km->min)
			goto below;
		*(uint16_t *)(base + k->off) = (uint16_t)x;
		return 0;
	case K_MSS:
		if (toe_parse_u64(v, 0, 65535 - 40, &x) < 0 || x < 28)
			goto bad;
		*(uint16_t *)(base + k->off) = (uint16_t)(x + 40);
		return 0;
	case K_U32:
		if (toe_parse_u64(v, 0, UINT32_MAX, &x) < 0)
			goto bad;
		if ((km = key_min(k)) && x < km->min)
			goto below;
		*(uint32_t *)(base + k->off) = (uint32_t)x;
		return 0;
	case K_MS: {
		char num[32];
		size_t n = strspn(v, "0123456789");
		uint64_t mul = 1;

		if (n == 0 || n >= sizeof(num))
			goto bad;
		if (strcmp(v + n, "s") == 0)
			mul = 1000;
		else if (v[n] && strcmp(v + n, "ms") != 0)
			goto bad;
		memcpy(num, v, n);
		num[n] = 0;
		/* any 64-bit number of ms, in either unit. (The bound was
		 * UINT64_MAX / 1000 of either unit, so msl=N s with N above
		 * UINT64_MAX / 10^6 parsed, but the msl=...ms line
		 * toe_config_print gives for it did not: found by
		 * tests/fuzz/fuzz_config.c.) toe_config_set refuses what does
		 * not fit 64-bit ticks. */
		if (toe_parse_u64(num, 0, UINT64_MAX / mul, &x) < 0)
			goto bad;
		if ((km = key_min(k)) && x * mul < km->min)
			goto below;
		*(uint64_t *)(base + k->off) = x * mul;
		return 0;
	}
	}
bad:
	snprintf(err, errlen, "%s=%s: bad value (%s)", k->name, v, k->help);
	return TOE_EINVAL;
below:
	snprintf(err, errlen, "%s=%s: below the minimum %" PRIu64 "%s (%s: %s)",
		 k->name, v, km->min, k->kind == K_MS ? " ms" : "", k->help,
		 km->why);
	return TOE_EINVAL;
}

void toe_config_print(const struct toe_config *c, void *stdio_file)
{
	FILE *f = stdio_file;

	fprintf(f, "mac=%02x:%02x:%02x:%02x:%02x:%02x\n", c->mac[0], c->mac[1],
		c->mac[2], c->mac[3], c->mac[4], c->mac[5]);
	fprintf(f, "ip=%u.%u.%u.%u\n", c->ip >> 24, (c->ip >> 16) & 255,
		(c->ip >> 8) & 255, c->ip & 255);
	fprintf(f, "mtu=%u\n", c->mtu);
	fprintf(f, "mss=%u\n", c->mtu >= 40 ? c->mtu - 40 : 0);
	fprintf(f, "rcv_wnd=%u\n", c->rcv_wnd);
	fprintf(f, "syn_wnd=%u\n", c->syn_wnd);
	fprintf(f, "ttl=%u\n", c->ttl);
	fprintf(f, "df=%d\n", c->df);
	fprintf(f, "ip_id_init=%u\n", c->ip_id_init);
	fprintf(f, "ip_id_step=%u\n", c->ip_id_step);
	fprintf(f, "arp=%d\n", c->arp);
	fprintf(f, "ping=%d\n", c->ping);
	fprintf(f, "clock_hz=%" PRIu32 "\n", c->clock_hz);
	fprintf(f, "challenge_ack_limit=%" PRIu32 "\n", c->challenge_ack_limit);
	fprintf(f, "rto_init=%" PRIu64 "ms\n", c->rto_init_ms);
	fprintf(f, "rto_max=%" PRIu64 "ms\n", c->rto_max_ms);
	fprintf(f, "syn_giveup=%" PRIu64 "ms\n", c->syn_giveup_ms);
	fprintf(f, "synack_giveup=%" PRIu64 "ms\n", c->synack_giveup_ms);
	fprintf(f, "fin_giveup=%" PRIu64 "ms\n", c->fin_giveup_ms);
	fprintf(f, "msl=%" PRIu64 "ms\n", c->msl_ms);
	fprintf(f, "challenge_ack_window=%" PRIu64 "ms\n",
		c->challenge_ack_window_ms);
}
