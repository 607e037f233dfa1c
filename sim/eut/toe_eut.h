/* SPDX-License-Identifier: MIT */
/*
 * toe_eut.h - the engine under test: one interface to "a TCP engine with a
 * MAC", used by the interop daemon toe-simd (host/tools/toe_simd/toe_simd*.c) and the
 * conformance runner toe-pkt (host/tools/toe_pkt/). Back ends:
 *
 *   rtl  the Verilator model of rtl/toe_top.v (sim/toe_sim.h, libtoesim):
 *        frames into the MAC receive stream and out of the transmit
 *        stream; commands, events, connection read-out and statistics
 *        through the register driver (host/common/toe_drv.h) on the real
 *        host bridge RTL, which steps the clock while the bytes cross;
 *        payload from the model's user stream (toe_eut_rtl.c). Built only
 *        with libtoesim (else toe_eut_nortl.c says it is missing).
 *   ref  the C reference stack (toe_ref.h) with the ARP/ICMP reference
 *        (toe_l2.h) behind the same frame interface; its ticks advance
 *        only when stepped or run, like the model's cycles (toe_eut_ref.c).
 *   board
 *        a whole FPGA board top in Verilator, driven at its pins
 *        (cfg.board names it; toe_eut_boards() lists those linked in):
 *        frames go through the board's PHY model, its MAC and clock
 *        crossings; commands, events and read-out go through the host
 *        library (libtoe) and the register driver over the board's UART
 *        pins; payload comes from a probe on toe_top's user stream
 *        (toe_eut_board.c, sim/board/). Linked only into the programs that
 *        carry the board models (toe-simd, the board interop test).
 *
 *   linux
 *        the Linux kernel's TCP itself, in a network namespace with a TAP
 *        link (toe_eut_linux.c, on host/tools/toe_simd/toe_simd_net.c),
 *        in real time: commands are real socket calls, accept and read
 *        happen at the caller's toe_eut_accept / toe_eut_recv, state comes
 *        from sock_diag. Linked only into toe-pkt (--linux).
 *
 * The rtl and board back ends share their register half (toe_eut_regs.c):
 * every command, event pop, read-out and configuration is the same driver
 * code whichever bus carries it.
 * Time is the engine's clock in ticks (rtl: cycles), TICK_HZ per second.
 * Nothing happens unless the caller steps (toe_eut_step: every cycle) or
 * runs (toe_eut_run: may skip idle time, may stop early); the rtl back
 * end also steps while it talks to the bridge. The configuration is
 * applied at creation and the engine enabled; toe_eut_t0 is the tick when
 * that was done.
 *
 * Commands return 0 (connect: the connection id) or a negative TOE_REF_E*
 * code; the rtl back end maps CMD_STATUS.ERR back, and a bridge failure
 * gives TOE_REF_EINVAL, a message on stderr and toe_eut_error.
 */
#ifndef TOE_EUT_H
#define TOE_EUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_ref.h"

struct toe_sim;
struct toe_sim_engine;

enum toe_eut_kind {
	TOE_EUT_RTL = 0,
	TOE_EUT_REF = 1,
	TOE_EUT_BOARD = 2,
	TOE_EUT_LINUX = 3,
};

/* The engine's configuration, as the register map and struct toe_ref_cfg
 * hold it, durations in microseconds (converted to ticks with tick_hz,
 * rounding down). toe_eut_cfg_default fills in the register map's
 * defaults. */
struct toe_eut_cfg {
	enum toe_eut_kind kind;
	uint32_t local_ip;
	uint8_t local_mac[6];
	uint8_t remote_mac[6];   /* next hop of connect() without a MAC */
	uint16_t mtu;
	uint16_t rcv_wnd, syn_wnd;
	uint8_t ttl;
	bool df;
	/* TICK_HZ, a multiple of 250000; 0: rtl measures the model's speed
	 * and takes half of it (rounded down to 250 kHz, at least 250 kHz),
	 * ref takes 156.25 MHz (it costs nothing to step) */
	uint64_t tick_hz;
	uint64_t rto_init_us, rto_max_us;
	uint64_t syn_giveup_us, synack_giveup_us, fin_giveup_us;
	uint64_t msl_us;
	uint32_t ca_limit;
	uint64_t ca_window_us;
	uint8_t isn_key[16];
	/* MAX_CONNS: connection ids stay below it (toe_eut_max_conns); 0:
	 * the whole table. A smaller table makes a full scan
	 * (toe_eut_conn_count) cheaper over a slow host link. */
	unsigned max_conns;
	/* ---- board only ---- */
	const char *board;       /* the board's name (toe_eut_boards()) */
	/* ---- rtl and board ---- */
	uint32_t seed;           /* Verilator's random initialisation; 0: 1 */
	const char *pcap_path;   /* pcap of both MAC directions, or NULL */
	const char *fst_path;    /* waveform file, or NULL */
	bool no_skip;            /* toe_eut_run steps every cycle, never skips */
	bool measure_rate;       /* measure the model's speed before configuring
				  * (toe_eut_model_rate; always when tick_hz
				  * is 0): 0.25 s of wall time */
	unsigned bridge_burst;   /* registers a bridge request at most: 1 (one
				  * register a request), 2 (64-bit registers
				  * and read-outs two words a request); 0: 1 */
	unsigned cmd_polls;      /* CMD_STATUS polls before a command is stuck;
				  * 0: 1000 */
	/* The caller is the bridge's only user and wants a synchronous view
	 * (toe-pkt): every command, event pop and read-out first lets the
	 * engine finish what it is doing (steps until idle), the EVENT
	 * notifications the bridge pushes are read and dropped, and the event
	 * FIFO is read only after one came. false (toe-simd, whose `serve`
	 * lets toectl share the bridge): host bytes are left alone, every
	 * pop reads EV_POP. */
	bool own_bridge;
	/* ---- linux only (toe_eut_linux.c, linked into toe-pkt) ---- */
	uint32_t peer_ip;        /* the script's peer address (192.0.2.2 on
				  * the link) */
	uint64_t linux_slack_us; /* how late a kernel timer may fire */
	const char *who;         /* prefix of messages on stderr; NULL: "eut" */
};

struct toe_eut_event {
	int type;      /* enum toe_ref_event_type (TOE_EV_*) */
	int conn;
	uint32_t arg;  /* RX_DATA: bytes (the payload: toe_eut_pop_payload) */
	uint64_t tick; /* ref: when it happened; rtl: when it was popped */
};

/* toe_eut_run: stop as soon as a frame / an event is waiting. */
#define TOE_EUT_STOP_FRAME 1u
#define TOE_EUT_STOP_EVENT 2u

struct toe_eut;

/* The register map's defaults (toe_ref_cfg_default) in cfg's units, kind
 * ref, tick_hz 0, no addresses. */
void toe_eut_cfg_default(struct toe_eut_cfg *cfg);
/* The reference stack's configuration for cfg at hz ticks per second. */
void toe_eut_ref_cfg(const struct toe_eut_cfg *cfg, uint64_t hz,
		     struct toe_ref_cfg *rc);

/* Create, configure and enable. NULL with a message in err. */
struct toe_eut *toe_eut_new(const struct toe_eut_cfg *cfg, char *err,
			    size_t errlen);
void toe_eut_free(struct toe_eut *e);
/* The Linux kernel as the engine (toe-pkt --linux): in a network
 * namespace with a TAP link it creates, real time (toe_eut_linux.c; in the
 * programs that link it, else toe_eut_new says it is missing). */
bool toe_eut_have_linux(void);
/* linux: the backlog of the next listen (default 128). */
void toe_eut_linux_backlog(struct toe_eut *e, int backlog);
/* linux: write a sysctl of its namespace; 0 or -1 with errno. */
int toe_eut_linux_sysctl(struct toe_eut *e, const char *key, const char *val);
/* Whether this build has the rtl back end. */
bool toe_eut_have_rtl(void);
/* The boards this program can run (the board back end linked in): their
 * names separated by ", ", or "" (none). */
const char *toe_eut_boards(void);
/* Whether name is one of them. */
bool toe_eut_have_board(const char *name);
const char *toe_eut_kind_name(enum toe_eut_kind k); /* "rtl", "ref", "board" */
enum toe_eut_kind toe_eut_kind(const struct toe_eut *e);
/* One line saying what runs (clock, seed, how idle time passes). */
const char *toe_eut_describe(const struct toe_eut *e);
/* NULL, or the first thing that went wrong inside the back end (a bridge
 * error...): what it answered since may be wrong. */
const char *toe_eut_error(const struct toe_eut *e);
/* The Verilated toe_top (NULL for ref and board). */
struct toe_sim *toe_eut_sim(struct toe_eut *e);
/* The host bridge's byte stream, for a server that lets another host in
 * (sim/joint/toe_hostsrv.h): 0 with *s the handle and *eng the byte
 * functions of it (host_write, host_read; NULL: the model's own
 * toe_sim_host_*), or -1 when the engine has no host bridge (ref). */
int toe_eut_bridge(struct toe_eut *e, const struct toe_sim_engine **eng,
		   struct toe_sim **s);

/* ---- clock ---- */
uint64_t toe_eut_tick(const struct toe_eut *e);
/* The tick when the configuration was done (ref: 0). */
uint64_t toe_eut_t0(const struct toe_eut *e);
uint64_t toe_eut_tick_hz(const struct toe_eut *e);
/* rtl with measure_rate: the model's speed, cycles per wall second (idle
 * engine); else 0. */
double toe_eut_model_rate(const struct toe_eut *e);
/* Clock n ticks (rtl: every cycle). */
void toe_eut_step(struct toe_eut *e, uint64_t n);
/* Advance to tick `until` (never backwards), earlier once a condition of
 * `stop` (TOE_EUT_STOP_*) holds (ref: after each timer that fired). Up to
 * tick `quiet` the caller expects nothing from the engine: the rtl back end
 * may skip that stretch without clocking where it cannot do so exactly
 * (see toe_eut_skips). Idle time is skipped exactly where the model allows
 * it (toe_sim_skip_idle) unless cfg.no_skip. */
void toe_eut_run(struct toe_eut *e, uint64_t until, unsigned stop,
		 uint64_t quiet);
/* How many times toe_eut_run skipped time in a way that may change when
 * something happened (a timer firing late); exact skips do not count. */
uint64_t toe_eut_skips(const struct toe_eut *e);
/* How late a timer may fire after its deadline by design, in ticks (rtl:
 * the timer scan, two passes over the table; ref: 0). */
uint64_t toe_eut_timer_slack(const struct toe_eut *e);
/* Frames or host bytes in flight inside the engine (stepping would make
 * progress without new input). */
bool toe_eut_busy(const struct toe_eut *e);

/*
 * Reply latency (toe-pkt's timing checks, docs/pkt.md "Timing"). The
 * commands given so far (listen ... abort): their number, and the op
 * (TOE_CMD_*) and tick of the last one - the tick its CMD register write
 * began (rtl, board; the engine settled before it), or the tick it ran at
 * (ref, linux).
 */
uint64_t toe_eut_cmd_count(const struct toe_eut *e);
uint64_t toe_eut_cmd_tick(const struct toe_eut *e);
int toe_eut_cmd_op(const struct toe_eut *e);
/*
 * The most ticks from a stimulus to the first beat of the engine's reply
 * to it, by the engine's design, with nothing else in its way: for a
 * frame (op 0; frame/len the frame as pushed) from its last beat in
 * (toe_eut_rx_last_tick), for a command (op TOE_CMD_*, frame NULL) from
 * toe_eut_cmd_tick. A reply that waits for another frame the engine sends
 * first may start later: op -1 gives the most ticks from that frame's
 * last beat to the waiting frame's first. ref: 0 (it answers in the tick
 * of the stimulus); rtl: the latencies of sim/toe_top_latency.h; -1 when
 * the back end states none (board, linux).
 */
int64_t toe_eut_reply_bound(const struct toe_eut *e, int op,
			    const uint8_t *frame, size_t len);

/*
 * The link's pump: a back end whose register accesses take long in engine
 * time (board: thousands of cycles over its UART) calls fn(arg) while it
 * steps the clock inside one, at most every TOE_EUT_PUMP_TICKS ticks, so
 * that frames keep crossing as they would on hardware while the host
 * talks to the engine. fn may push and pop frames and step the clock; it
 * must not use the engine's registers (commands, events, read-out). NULL:
 * none. The rtl and ref back ends never call it.
 */
#define TOE_EUT_PUMP_TICKS 1000
void toe_eut_set_pump(struct toe_eut *e, void (*fn)(void *arg), void *arg);

/* ---- frames and payload ---- */
/* Queue a received frame (rtl: fed while stepping; ref: handled at once).
 * 0 or TOE_REF_EINVAL. */
int toe_eut_push_frame(struct toe_eut *e, const uint8_t *buf, size_t len);
/* Received frames not yet fully fed in. */
size_t toe_eut_rx_pending(const struct toe_eut *e);
/* Tick of the last beat of the most recently fed frame. */
uint64_t toe_eut_rx_last_tick(const struct toe_eut *e);
/* The oldest frame the engine sent: its length (0: none), the ticks of its
 * first and last beat, whether it was marked bad (tuser); any pointer may
 * be NULL. */
size_t toe_eut_pop_frame(struct toe_eut *e, uint8_t *buf, size_t cap,
			 uint64_t *first, uint64_t *last, bool *bad);
/* In-order payload: length (0: none), connection id. */
size_t toe_eut_pop_payload(struct toe_eut *e, uint16_t *conn, uint8_t *buf,
			   size_t cap);
size_t toe_eut_payload_pending(const struct toe_eut *e);

/* ---- socket-like commands ---- */
int toe_eut_listen(struct toe_eut *e, uint16_t port);
int toe_eut_unlisten(struct toe_eut *e, uint16_t port);
/* rmac: the peer's (next hop's) MAC; NULL: cfg.remote_mac. */
int toe_eut_connect(struct toe_eut *e, uint16_t lport, uint32_t rip,
		    uint16_t rport, const uint8_t rmac[6]);
int toe_eut_close(struct toe_eut *e, int conn);
int toe_eut_shutdown(struct toe_eut *e, int conn);
int toe_eut_abort(struct toe_eut *e, int conn);

/* The user accepts passive connection conn (it had its ESTABLISHED event):
 * the id of the connection actually accepted (linux: the kernel's accept()
 * gives the oldest in its queue; the others: conn), or < 0. */
int toe_eut_accept(struct toe_eut *e, int conn);

/* The user reads connection conn (linux: the kernel's recv(), nonblocking;
 * its payload never comes as RX_DATA events): bytes (> 0), 0 at the
 * peer's FIN, -EAGAIN nothing yet, -errno; -ENOSYS: the back end delivers
 * payload as RX_DATA events (rtl, ref, board). */
long toe_eut_recv(struct toe_eut *e, int conn, uint8_t *buf, size_t cap);
/* Whether toe_eut_recv is how payload is read. */
bool toe_eut_has_recv(const struct toe_eut *e);

/* ---- events, connections, statistics ---- */
/* 1 and *ev if an event was waiting, 0 if none, < 0 bridge failure. */
int toe_eut_pop_event(struct toe_eut *e, struct toe_eut_event *ev);
/* Connection read-out: 0, or TOE_REF_ENOTCONN for a free id (info zero,
 * state CLOSED) or a failed read. full false: state, flags, addresses and
 * ports only (the rtl back end reads fewer registers); true: every field
 * (rcv_wnd is the configured one). */
int toe_eut_conn_info(struct toe_eut *e, int conn,
		      struct toe_ref_conn_info *info, bool full);
/* Just the state (cheaper): enum toe_tcp_state, CLOSED for a free id;
 * < 0 bridge failure. */
int toe_eut_conn_state(struct toe_eut *e, int conn);
/* Connection id of (local port, remote ip, remote port), or -1. */
int toe_eut_find(struct toe_eut *e, uint16_t lport, uint32_t rip,
		 uint16_t rport);
/* Connection table size (ids 0 .. n-1). */
unsigned toe_eut_max_conns(const struct toe_eut *e);
/* Connections in use: scans the table (rtl: one CONN_SEL per id). */
int toe_eut_conn_count(struct toe_eut *e);
int toe_eut_stats(struct toe_eut *e, struct toe_ref_stats *st);
/* Raw register access through the host bridge (rtl only; ref: -1). */
int toe_eut_csr_read(struct toe_eut *e, uint32_t addr, uint32_t *v);
int toe_eut_csr_write(struct toe_eut *e, uint32_t addr, uint32_t v);

/* Durations: microseconds -> ticks (rounding down, or up) and back. */
static inline uint64_t toe_eut_us_to_ticks(uint64_t us, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)us * hz / 1000000u);
}

static inline uint64_t toe_eut_us_to_ticks_ceil(uint64_t us, uint64_t hz)
{
	return (uint64_t)(((unsigned __int128)us * hz + 999999u) / 1000000u);
}

static inline uint64_t toe_eut_ticks_to_us(uint64_t ticks, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ticks * 1000000u / hz);
}

#endif
