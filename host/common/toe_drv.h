/* SPDX-License-Identifier: MIT */
/*
 * toe_drv.h - the engine's register-level driver, written once: run a
 * command (CMD_* arguments, CMD, CMD_STATUS polled with a bound), read a
 * connection out (CONN_SEL + CONN_*), pop an event (EV_POP), write and read
 * the configuration (block cfg) and read the statistics (STAT_*), all in
 * terms of the register map generated from rtl/regmap/toe.toml
 * (toe/toe_regs.h, docs/regmap.md).
 *
 * The driver never touches a bus itself: the caller gives it read and
 * write callbacks for n consecutive 32-bit registers (the host library:
 * bridge protocol bursts; the simulation and the tests: the Verilated
 * model's bridge, sim/toe_sim_drv.h) and an optional wait hook called
 * while a command is busy. Every access the driver makes is a call of
 * those callbacks with a size it chose from `burst`, so a caller that
 * counts cycles knows exactly what each function costs:
 *   - reads and writes are split into calls of at most `burst` words, in
 *     ascending address order; registers the function does not need are
 *     not accessed;
 *   - a 64-bit register is written HI, then LO, as two calls (the LO write
 *     applies the pair), and read LO, HI as one call of 2 words when
 *     burst >= 2.
 * The functions return 0 or a negative TOE_DRV_E* code; the callback's own
 * code of a failed access is kept in d->bus_err.
 */
#ifndef TOE_DRV_H
#define TOE_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe/toe_regs.h"
/* the reference stack's configuration, connection and statistics types */
#include "toe_ref_types.h"

/* ---- register fields: TOE_FIELD_GET / TOE_FIELD_PUT (toe/toe_regs.h) ---- */

/* A MAC address as the register pair *_MAC_HI (bytes 0-1) / *_MAC_LO. */
uint32_t toe_drv_mac_hi(const uint8_t mac[6]);
uint32_t toe_drv_mac_lo(const uint8_t mac[6]);
void toe_drv_mac_get(uint32_t hi, uint32_t lo, uint8_t mac[6]);
/* ISN_KEY[i]: key bytes 4i..4i+3, byte 4i in bits 7:0. */
uint32_t toe_drv_isn_key_word(const uint8_t key[16], unsigned i);

/* ---- the driver ---- */

enum toe_drv_err {
	TOE_DRV_OK = 0,
	TOE_DRV_EBUS = -1,      /* a read or write callback failed (d->bus_err) */
	TOE_DRV_ETIMEDOUT = -2, /* a command still BUSY at the end of the wait */
	TOE_DRV_EINVAL = -3,    /* bad argument (the bus was not touched) */
};

struct toe_drv_ops {
	/* n (>= 1, <= burst) registers from addr, addr + 4, ...: 0 or the
	 * caller's negative error code. */
	int (*read)(void *ctx, uint32_t addr, uint32_t *val, size_t n);
	int (*write)(void *ctx, uint32_t addr, const uint32_t *val, size_t n);
	/* Optional. Called once a command is written (polls = 0) and after
	 * every CMD_STATUS read that shows BUSY (polls = reads so far): a
	 * simulation may step its clock, a host checks its deadline. Non-zero
	 * ends the wait with TOE_DRV_ETIMEDOUT. */
	int (*wait)(void *ctx, unsigned polls);
};

struct toe_drv {
	const struct toe_drv_ops *ops;
	void *ctx;
	unsigned burst;     /* most words per callback (>= 1) */
	unsigned cmd_polls; /* CMD_STATUS reads before TOE_DRV_ETIMEDOUT; 0 = no
			     * bound but the wait hook's */
	unsigned ev_words;  /* words read at EV_POP in one call: 1 (POP), 2
			     * (+ EV_ARG) or 3 (+ EV_COUNT) */
	unsigned ev_arg;    /* ev_words 1: when toe_drv_event_pop reads EV_ARG
			     * (TOE_DRV_EV_ARG_*) */
	int bus_err;        /* the callback's code of the last failed access */
	uint32_t bus_addr;  /* ... and its address */
};

/* struct toe_drv.ev_arg */
#define TOE_DRV_EV_ARG_RX_DATA 0 /* after an RX_DATA (the only event with one) */
#define TOE_DRV_EV_ARG_ALWAYS  1 /* after every event */
#define TOE_DRV_EV_ARG_CALLER  2 /* never: the caller calls toe_drv_event_arg */

/* Defaults: burst 1, cmd_polls 1000, ev_words 1, EV_ARG after RX_DATA. */
void toe_drv_init(struct toe_drv *d, const struct toe_drv_ops *ops, void *ctx);
const char *toe_drv_strerror(int err);

/* Plain access through the callbacks, split by burst. */
int toe_drv_read(struct toe_drv *d, uint32_t addr, uint32_t *val, size_t n);
int toe_drv_write(struct toe_drv *d, uint32_t addr, const uint32_t *val,
		  size_t n);
int toe_drv_read32(struct toe_drv *d, uint32_t addr, uint32_t *val);
int toe_drv_write32(struct toe_drv *d, uint32_t addr, uint32_t val);
/* 64-bit registers: read LO then HI (one call when burst >= 2); write HI,
 * then LO (two calls). */
int toe_drv_read64(struct toe_drv *d, uint32_t addr, uint64_t *val);
int toe_drv_write64(struct toe_drv *d, uint32_t addr, uint64_t val);

/* ---- commands ---- */

/* Argument registers (struct toe_drv_cmd.args) */
#define TOE_DRV_ARG_LOCAL_PORT  (1u << 0) /* CMD_LOCAL_PORT */
#define TOE_DRV_ARG_REMOTE_IP   (1u << 1) /* CMD_REMOTE_IP */
#define TOE_DRV_ARG_REMOTE_PORT (1u << 2) /* CMD_REMOTE_PORT */
#define TOE_DRV_ARG_REMOTE_MAC  (1u << 3) /* CMD_REMOTE_MAC_HI and _LO */
#define TOE_DRV_ARG_CONN        (1u << 4) /* CMD_CONN */
#define TOE_DRV_ARG_ALL         0x1Fu

struct toe_drv_cmd {
	unsigned op;       /* enum toe_cmd_op */
	unsigned args;     /* TOE_DRV_ARG_*: the registers to write */
	uint16_t local_port;
	uint32_t remote_ip;
	uint16_t remote_port;
	uint8_t remote_mac[6];
	uint16_t conn;
};

/* CMD_STATUS decoded */
struct toe_drv_status {
	uint32_t raw;
	bool busy;
	unsigned err;     /* enum toe_cmd_err */
	uint32_t result;  /* CONNECT: the connection id */
};

/* The argument registers op reads (TOE_DRV_ARG_*). */
unsigned toe_drv_cmd_args_of(unsigned op);
const char *toe_drv_cmd_name(unsigned op);
/* CMD_STATUS.ERR in words (the register map's descriptions). */
const char *toe_drv_cmd_err_text(unsigned err);
void toe_drv_status_decode(uint32_t raw, struct toe_drv_status *s);

/* The three steps of a command, for callers that time them: write the
 * selected argument registers; write CMD.OP (the command starts); read
 * CMD_STATUS until BUSY is 0 (at most cmd_polls reads, the wait hook
 * between them). A timeout leaves the last status in *s. */
int toe_drv_cmd_write_args(struct toe_drv *d, const struct toe_drv_cmd *c);
int toe_drv_cmd_start(struct toe_drv *d, unsigned op);
int toe_drv_cmd_wait(struct toe_drv *d, struct toe_drv_status *s);
/* All three, the arguments and CMD in one burst where they are adjacent
 * and burst allows. 0 when the command ended: s->err says how. */
int toe_drv_command(struct toe_drv *d, const struct toe_drv_cmd *c,
		    struct toe_drv_status *s);

/* ---- connection read-out ---- */

/* CONN_STATE .. CONN_MAX_SND_WND: word i is register CONN_STATE + 4i */
#define TOE_DRV_CONN_WORDS \
	((TOE_REG_CONN_MAX_SND_WND - TOE_REG_CONN_STATE) / 4 + 1)
#define TOE_DRV_CONN_WORD(reg) (((reg) - TOE_REG_CONN_STATE) / 4)
/* Register map 0.1 had CONN_STATE .. CONN_MSS only. */
#define TOE_DRV_CONN_WORDS_V1 (TOE_DRV_CONN_WORD(TOE_REG_CONN_MSS) + 1)

struct toe_drv_conn {
	int state;            /* enum toe_tcp_state */
	bool passive, closed_by_user, wr_shut;
	unsigned retransmits8; /* CONN_STATE.RETRANSMITS (saturates at 255) */
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint32_t iss, irs, snd_una, snd_nxt, snd_wnd, rcv_nxt;
	uint16_t peer_mss, eff_mss;
	uint32_t retransmits; /* CONN_RETRANSMITS */
	uint8_t remote_mac[6];
	uint32_t max_snd_wnd;
};

/* CONN_SEL = id: the engine takes the snapshot CONN_* then show. */
int toe_drv_conn_select(struct toe_drv *d, uint32_t id);
/* Words first .. first + n - 1 of the selected connection into w[first..]. */
int toe_drv_conn_read(struct toe_drv *d, unsigned first, unsigned n,
		      uint32_t w[TOE_DRV_CONN_WORDS]);
/* Decode words 0 .. n - 1 (the others leave their fields 0). */
void toe_drv_conn_decode(const uint32_t w[TOE_DRV_CONN_WORDS], unsigned n,
			 struct toe_drv_conn *c);
/* Select, read words 0 .. n - 1 (TOE_DRV_CONN_WORDS or _V1), decode. */
int toe_drv_conn_info(struct toe_drv *d, uint32_t id, unsigned n,
		      struct toe_drv_conn *c);
/* As the reference stack's struct (no rcv_wnd: the caller's config). */
void toe_drv_conn_to_ref(const struct toe_drv_conn *c,
			 struct toe_ref_conn_info *ri);

/* ---- events ---- */

struct toe_drv_event {
	int type;       /* enum toe_ref_event_type */
	int conn;
	uint32_t arg;   /* RX_DATA: bytes (0 when not read) */
	int count;      /* EV_COUNT after the pop, -1 when not read */
};

/* Pop one event: 1 and *ev, 0 if the FIFO was empty, or an error. */
int toe_drv_event_pop(struct toe_drv *d, struct toe_drv_event *ev);
/* EV_ARG (of the event popped last) into ev->arg. */
int toe_drv_event_arg(struct toe_drv *d, struct toe_drv_event *ev);
/* EV_POP decoded: 1 if VALID (type and conn set), else 0. */
int toe_drv_event_decode(uint32_t pop, struct toe_drv_event *ev);

/* ---- configuration (block cfg) ---- */

/* Register groups (toe_drv_cfg_write) */
#define TOE_DRV_CFG_CTRL     (1u << 0) /* CTRL: first if ENABLE is 0, else last */
#define TOE_DRV_CFG_ADDR     (1u << 1) /* LOCAL_MAC_HI/LO, LOCAL_IP */
#define TOE_DRV_CFG_IP       (1u << 2) /* MTU, WND, IP_CFG, IP_ID */
#define TOE_DRV_CFG_TICK     (1u << 3) /* TICK_HZ */
#define TOE_DRV_CFG_CA_LIMIT (1u << 4) /* CHALLENGE_ACK_LIMIT */
#define TOE_DRV_CFG_TIMERS   (1u << 5) /* the seven 64-bit durations */
#define TOE_DRV_CFG_ISN_KEY  (1u << 6) /* ISN_KEY[0..3] (write-only) */
#define TOE_DRV_CFG_ALL      0x7Fu

/* CTRL .. CHALLENGE_ACK_WINDOW_HI: word i is register CTRL + 4i */
#define TOE_DRV_CFG_WORDS \
	((TOE_REG_CHALLENGE_ACK_WINDOW_HI - TOE_REG_CTRL) / 4 + 1)
#define TOE_DRV_CFG_WORD(reg) (((reg) - TOE_REG_CTRL) / 4)

/* Durations in ticks (TICK_HZ per second). */
struct toe_drv_cfg {
	uint32_t ctrl;     /* TOE_REG_CTRL_*_MASK bits */
	uint8_t mac[6];
	uint32_t local_ip;
	uint16_t mtu, rcv_wnd, syn_wnd;
	uint8_t ttl;
	bool df;
	uint16_t ip_id_init, ip_id_step;
	uint32_t tick_hz;
	uint32_t challenge_ack_limit;
	uint64_t rto_init, rto_max, syn_giveup, synack_giveup, fin_giveup, msl,
		 challenge_ack_window;
	uint8_t isn_key[16];
};

/* The reference stack's configuration (its key too) with this MAC and
 * CTRL. */
void toe_drv_cfg_from_ref(struct toe_drv_cfg *c, const struct toe_ref_cfg *rc,
			  const uint8_t mac[6], uint32_t ctrl);
/* The register words CTRL .. CHALLENGE_ACK_WINDOW_HI of c, and back. */
void toe_drv_cfg_encode(const struct toe_drv_cfg *c,
			uint32_t w[TOE_DRV_CFG_WORDS]);
void toe_drv_cfg_decode(const uint32_t w[TOE_DRV_CFG_WORDS],
			struct toe_drv_cfg *c);
/* Write the groups: the 32-bit registers in address order (CTRL first
 * unless it sets ENABLE), the durations HI then LO, the ISN key, and CTRL
 * last when it sets ENABLE. */
int toe_drv_cfg_write(struct toe_drv *d, const struct toe_drv_cfg *c,
		      unsigned groups);
/* Read CTRL .. CHALLENGE_ACK_WINDOW_HI and decode (not the key). */
int toe_drv_cfg_read(struct toe_drv *d, struct toe_drv_cfg *c);

/* ---- statistics ---- */

/* STAT_SEGS_IN .. STAT_PARSE_DROP(13) */
#define TOE_DRV_STAT_WORDS \
	((TOE_REG_STAT_PARSE_DROP_HI(TOE_REG_STAT_PARSE_DROP_COUNT - 1) - \
	  TOE_REG_STAT_SEGS_IN) / 4 + 1)

/* The counters the reference stack keeps too. With burst >= the block's
 * TOE_DRV_STAT_WORDS one read, else one 64-bit read per counter
 * (STAT_PARSE_DROP(0) reads 0 and is not read). */
int toe_drv_stats_read(struct toe_drv *d, struct toe_ref_stats *st);

#endif
