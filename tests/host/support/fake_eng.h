/* SPDX-License-Identifier: MIT */
/*
 * fake_eng.h - a C stand-in for the engine's host side, for tests of the
 * transports and error paths that need no RTL: the bridge protocol
 * (docs/host-bridge.md: PING, READ, WRITE, ERROR codes, the one-entry
 * response cache) in front of a register file laid out as toe_regs.h says
 * (reset values, ro / wo / rw, ERR_ADDR for unmapped words and writes to
 * read-only ones). Commands complete at once with OK. No TCP.
 *
 * Knobs for error tests: the ID it reports, what its PING_ACK says,
 * silence (never answers), and corruption of its next response's CRC.
 */
#ifndef FAKE_ENG_H
#define FAKE_ENG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fake_eng;

struct fake_eng *fake_eng_new(void);
void fake_eng_free(struct fake_eng *e);

/* Bytes from the host. Requests are executed as their frames complete. */
void fake_eng_rx(struct fake_eng *e, const uint8_t *p, size_t n);
/* Take up to cap bytes of responses. */
size_t fake_eng_tx(struct fake_eng *e, uint8_t *buf, size_t cap);
size_t fake_eng_tx_pending(const struct fake_eng *e);

void fake_eng_set_id(struct fake_eng *e, uint32_t id);
void fake_eng_set_version(struct fake_eng *e, uint32_t version);
void fake_eng_set_silent(struct fake_eng *e, bool silent);
/* What PING_ACK reports: protocol version and max burst (default 1 and
 * 32; requests are still served up to 32 words). */
void fake_eng_set_ping_ack(struct fake_eng *e, uint8_t version,
			   uint8_t max_burst);
/* The BUILD_MISC capability word (sizes as log2; see docs/regmap.md). */
void fake_eng_set_build_misc(struct fake_eng *e, uint32_t v);
/* Flip a bit in the CRC of the next n responses. */
void fake_eng_corrupt_next(struct fake_eng *e, unsigned n);
/* Queue an event in the FIFO (EV_POP) and push an EVENT notification. */
void fake_eng_event(struct fake_eng *e, uint16_t conn, unsigned type,
		    uint32_t arg);

/* Register value (what a read would return, without side effects). */
uint32_t fake_eng_reg(const struct fake_eng *e, uint32_t addr);
/* Requests executed (not replayed from the cache), writes of one word
 * counted per address. */
uint64_t fake_eng_executed(const struct fake_eng *e);
uint64_t fake_eng_writes_to(const struct fake_eng *e, uint32_t addr);

#endif
