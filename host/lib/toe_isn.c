/* SPDX-License-Identifier: MIT */
/*
 * toe_isn.c - the ISN policy (RFC 6528) on the host side: load the secret
 * key (from getrandom, or given), pin an ISN, and check an ISN the engine
 * chose by recomputing it with libsodium's SipHash-2-4, independently of
 * the engine's SipHash unit (rtl/toe_siphash.v) and of the reference stack.
 *
 * RFC 6528, section 3: "ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey)" where "M is the 4 microsecond timer" and "F() is
 * a pseudorandom function (PRF) of the connection-id". Here F is the low 32
 * bits (little-endian) of SipHash-2-4 over local_ip, local_port, remote_ip,
 * remote_port (12 bytes, big-endian), and M = ticks / (TICK_HZ / 250000).
 *
 * The engine's M at the moment it chose the ISN is not visible, so the
 * check is: m = ISS - F must lie in a window of M values known to contain
 * that moment. With the wrong key or tuple, m is a random 32-bit value
 * and lands in a window of w ticks with probability w / 2^32.
 */
#include "toe_lib.h"

#include <stdio.h>

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/random.h>

#include "toe_bytes.h"

bool toe_isn_verify(const uint8_t key[16], uint32_t local_ip,
		    uint16_t local_port, uint32_t remote_ip,
		    uint16_t remote_port, uint32_t iss, uint32_t m_lo,
		    uint32_t m_hi, struct toe_isn_check *out)
{
	uint8_t msg[12], h[crypto_shorthash_siphash24_BYTES];
	struct toe_isn_check c;

	toe_put_be32(msg, local_ip);
	toe_put_be16(msg + 4, local_port);
	toe_put_be32(msg + 6, remote_ip);
	toe_put_be16(msg + 10, remote_port);
	crypto_shorthash_siphash24(h, msg, sizeof(msg), key);
	c.iss = iss;
	c.f = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	      (uint32_t)h[3] << 24;
	c.m = iss - c.f;
	c.m_lo = m_lo;
	c.m_hi = m_hi;
	/* modulo 2^32: m - m_lo <= m_hi - m_lo */
	c.ok = (uint32_t)(c.m - m_lo) <= (uint32_t)(m_hi - m_lo) &&
	       (uint32_t)(m_hi - m_lo) < 0x80000000u;
	if (out)
		*out = c;
	return c.ok;
}

int toe_isn_set_key(struct toe *t, const uint8_t key[16])
{
	uint32_t w[4];
	uint64_t cyc;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!key)
		return toe_seterr(t, TOE_EINVAL, "key is NULL");
	/* ISN_KEY[i] = key bytes 4i..4i+3, byte 4i in bits 7:0 */
	for (unsigned i = 0; i < 4; i++)
		w[i] = toe_drv_isn_key_word(key, i);
	/* the engine clock before the write: every ISN made with this key
	 * comes later */
	t->key_cycles_known = toe_engine_cycles(t, &cyc) == 0;
	t->key_cycles = t->key_cycles_known ? cyc : 0;
	t->err[0] = 0;
	t->key_known = false;
	r = toe_proto_write(t->p, TOE_REG_ISN_KEY_BASE, w, 4);
	sodium_memzero(w, sizeof(w));
	if (r < 0)
		return toe_proto_err(t, r, "ISN key");
	memcpy(t->key, key, 16);
	t->key_known = true;
	return 0;
}

int toe_isn_random_key(struct toe *t)
{
	uint8_t key[16];
	size_t got = 0;
	int r;

	if (!t)
		return TOE_EINVAL;
	while (got < sizeof(key)) {
		ssize_t n = getrandom(key + got, sizeof(key) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return toe_seterr(t, TOE_EIO, "getrandom: %s",
					  strerror(errno));
		got += (size_t)n;
	}
	r = toe_isn_set_key(t, key);
	sodium_memzero(key, sizeof(key));
	return r;
}

int toe_isn_pin(struct toe *t, uint32_t isn)
{
	uint32_t w[2] = { isn, TOE_REG_ISN_PIN_CTRL_VALID_MASK };

	/* one burst: the pin value, then VALID */
	return toe_reg_write_n(t, TOE_REG_ISN_PIN, w, 2);
}

int toe_isn_check_window(struct toe *t, int conn, uint32_t m_lo,
			 uint32_t m_hi, struct toe_isn_check *out)
{
	struct toe_conn_info ci;
	struct toe_isn_check c;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!t->key_known)
		return toe_seterr(t, TOE_ENOKEY, "ISN check: this handle did "
				  "not load the engine's key (the key registers "
				  "are write-only)");
	r = toe_conn_info(t, conn, &ci);
	if (r < 0)
		return r;
	if (ci.state == TOE_ST_CLOSED)
		return toe_seterr(t, TOE_ENOTCONN, "ISN check: connection %d "
				  "is CLOSED", conn);
	toe_isn_verify(t->key, ci.local_ip, ci.local_port, ci.remote_ip,
		       ci.remote_port, ci.iss, m_lo, m_hi, &c);
	if (out)
		*out = c;
	if (!c.ok)
		return toe_seterr(t, TOE_EISN, "ISN check: connection %d ISS "
				  "0x%08x = F 0x%08x + M 0x%08x, M outside "
				  "[0x%08x, 0x%08x]", conn, c.iss, c.f, c.m,
				  m_lo, m_hi);
	return 0;
}

int toe_isn_check(struct toe *t, int conn, struct toe_isn_check *out)
{
	uint64_t now;
	uint32_t hz, div;
	int r = toe_check_open(t);

	if (r < 0)
		return r;
	if (!t->key_known)
		return toe_seterr(t, TOE_ENOKEY, "ISN check: this handle did "
				  "not load the engine's key (the key registers "
				  "are write-only)");
	if (!t->key_cycles_known)
		return toe_seterr(t, TOE_ENOTSUP, "ISN check: the engine clock "
				  "is not visible through %s; use "
				  "toe_isn_check_window", toe_transport_scheme(t->tr));
	r = toe_reg_read(t, TOE_REG_TICK_HZ, &hz);
	if (r < 0)
		return r;
	div = hz / 250000u;
	if (div == 0)
		return toe_seterr(t, TOE_ERANGE, "ISN check: TICK_HZ %u below "
				  "250000", hz);
	r = toe_engine_cycles(t, &now);
	if (r < 0)
		return r;
	/*
	 * Window: [M(key written), M(now)], M = ticks / (TICK_HZ / 250000).
	 * With the NOW register these are the engine's own ticks. With only
	 * the simulator's cycle count (older engines), the engine's tick
	 * counter starts at its reset release, a few cycles after cycle 0, so
	 * its M can lag ours by one, never lead: the window starts one lower.
	 * Assumes TICK_HZ unchanged since the key was loaded.
	 */
	return toe_isn_check_window(t, conn,
				    (uint32_t)(t->key_cycles / div) -
				    (t->info.version_minor >= 2 ? 0u : 1u),
				    (uint32_t)(now / div), out);
}
