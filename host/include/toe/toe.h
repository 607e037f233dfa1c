/* SPDX-License-Identifier: MIT */
/*
 * toe.h - the host library (libtoe): open an engine by URI, configure it,
 * open and close connections, receive its events, read its state.
 *
 *   struct toe *t = toe_new();
 *   if (toe_open(t, "sim:") < 0)          // or tcp://127.0.0.1:7000,
 *           die(toe_errmsg(t));            // ftdi://0403:6010/B
 *   toe_config_get(t, &cfg);               // change, then toe_config_set
 *   toe_isn_random_key(t);                 // RFC 6528 key from getrandom()
 *   toe_enable(t, true);
 *   toe_listen(t, 80);
 *   while (toe_event_poll(t, &ev, 1000) > 0) ...
 *   toe_free(t);
 *
 * Layers (docs/host-api.md): this API -> the bridge protocol
 * (host/lib/toe_proto.h: framing, CRC, retries, exactly-once) -> a byte
 * transport chosen by the URI's scheme (driver/toe_transport.h: sim, tcp,
 * ftdi) -> the engine's host bridge -> its registers (toe_regs.h,
 * docs/regmap.md).
 *
 * Conventions:
 *  - Every function that can fail returns 0 (or a count / an id >= 0) on
 *    success and one of the negative TOE_E* codes below on failure. Codes
 *    are distinct; toe_strerror() names one, toe_errmsg() gives the detail
 *    of the handle's last failure ("ftdi: device gone (unplugged?)").
 *  - IPv4 addresses are host-order uint32_t (10.0.0.1 = 0x0A000001), MAC
 *    addresses 6 bytes in wire order, ports host order.
 *  - Durations are in milliseconds and converted to engine ticks with the
 *    engine's clock frequency (TICK_HZ): ticks = ms * clock_hz / 1000.
 *  - One handle per thread; the library keeps no global state.
 */
#ifndef TOE_TOE_H
#define TOE_TOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe/toe_regs.h"
#include "toe/toe_tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library version (also in toe.pc); the soname is libtoe.so.TOE_SOVERSION. */
#define TOE_LIB_VERSION "0.1.0"
#define TOE_SOVERSION 0
/* Register map major version this library speaks (VERSION.MAJOR). */
#define TOE_REGMAP_MAJOR 0u

/* ---- error codes ---- */

enum toe_err {
	TOE_OK = 0,
	TOE_EINVAL = -1,       /* bad argument (NULL, out of range, ...) */
	TOE_ENOMEM = -2,       /* out of memory */
	TOE_EURI = -3,         /* malformed URI or URI option */
	TOE_ESCHEME = -4,      /* unknown URI scheme */
	TOE_ENODEV = -5,       /* no such device (no FTDI chip matches, sim
				* engine not linked in, ...) */
	TOE_ECONNREFUSED = -6, /* tcp://: nothing listens there */
	TOE_EIO = -7,          /* the transport failed (USB or socket error) */
	TOE_EDISCONNECTED = -8, /* the link went away: device unplugged, server
				 * closed the connection */
	TOE_ETIMEDOUT = -9,    /* the engine did not answer (after every retry
				* of the bridge protocol), or a command did not
				* finish in time */
	TOE_EPROTO = -10,      /* the engine's answer made no sense (wrong
				* frame type or length, bridge version) */
	TOE_ENOTTOE = -11,     /* the ID register is not "TOE1" */
	TOE_EVERSION = -12,    /* register map major version not supported */
	TOE_EREG = -13,        /* the engine refused a register access
				* (unmapped address, write to read-only) */
	TOE_ENOTOPEN = -14,    /* the handle has no open engine */
	TOE_EBUSY = -15,       /* engine busy: configuration while enabled,
				* or a command while one is running */
	/* command results (CMD_STATUS.ERR): */
	TOE_ECMD_INVAL = -16,  /* engine: bad argument or configuration */
	TOE_ENOSPACE = -17,    /* engine: connection or listener table full */
	TOE_EADDRINUSE = -18,  /* engine: port already listening / 4-tuple in
				* use */
	TOE_ENOTCONN = -19,    /* engine: no such connection (or port not
				* listening) */
	TOE_ESTATE = -20,      /* engine: command not valid in the
				* connection's state */
	TOE_EPIPE = -21,       /* engine: send after close/shutdown */
	TOE_ENOTSUP = -22,     /* not supported (engine or transport) */
	/* ISN check: */
	TOE_ENOKEY = -23,      /* the ISN key is not known to this handle */
	TOE_EISN = -24,        /* the engine's ISN does not match the
				* independent recomputation */
	TOE_ERANGE = -25,      /* a value does not fit its register */
};
#define TOE_ERR_COUNT 26

/* Name of an error code ("engine did not answer"); never NULL. */
const char *toe_strerror(int err);

/* ---- handle, open ---- */

struct toe;
struct toe_transport; /* driver/toe_transport.h */
struct toe_sim;       /* sim/toe_sim.h (only with the sim: transport) */

/* A new handle with nothing open. NULL when out of memory. */
struct toe *toe_new(void);
/* Close what is open and free the handle (NULL is fine). */
void toe_free(struct toe *t);

/*
 * Open the engine at uri and check it: the bridge answers a PING with
 * protocol version 1, ID reads 0x544F4531 ("TOE1"), VERSION.MAJOR equals
 * TOE_REGMAP_MAJOR. URIs (docs/host-api.md has the details):
 *
 *   sim:[?opt=val&...]          in-process simulated engine (sim/toe_sim.h;
 *                               the program must link the engine model,
 *                               pkg-config toe-sim); options pcap=FILE,
 *                               fst=FILE, seed=N, clock_hz=N
 *   tcp://HOST:PORT[?...]       a simulation serving its bridge on a TCP
 *                               port (sim/joint/toe_hostsrv.h)
 *   ftdi://[VID:PID[:SERIAL]][/IFACE][?...]
 *                               FT2232H/FT232H (default 0403:6010, interface
 *                               B); options baud=N, latency=MS, mode=uart|
 *                               fifo, index=N
 *
 * Options every scheme takes: timeout=MS (bridge protocol per attempt; the
 * scheme's default otherwise), retries=N, cmd_timeout=MS (how long a
 * command may stay BUSY).
 * Returns 0, or a code (TOE_EURI, TOE_ESCHEME, TOE_ENODEV,
 * TOE_ECONNREFUSED, TOE_ETIMEDOUT, TOE_ENOTTOE, TOE_EVERSION, ...) with
 * the detail in toe_errmsg(). A handle opens one engine at a time
 * (TOE_EBUSY if already open).
 */
int toe_open(struct toe *t, const char *uri);
/* Close the engine (the handle can open another). */
void toe_close(struct toe *t);

/* Detail of the last failure on this handle ("" if none); never NULL. */
const char *toe_errmsg(const struct toe *t);

/* The transport under the handle (NULL if not open), for its clock, its
 * name and, with sim:, the engine model (toe_sim_of). */
struct toe_transport *toe_get_transport(struct toe *t);
/* The simulated engine behind a sim: handle, to push and pop network
 * frames and step its clock (sim/toe_sim.h); NULL for other schemes. */
struct toe_sim *toe_sim_of(struct toe *t);

/* ---- identification ---- */

struct toe_info {
	uint32_t id;            /* ID register: 0x544F4531 */
	unsigned version_major, version_minor; /* register map */
	unsigned n_conn;        /* connection table entries */
	unsigned n_listen;      /* listener table entries */
	unsigned stream_bytes;  /* network stream width, bytes */
	unsigned ev_depth;      /* event FIFO entries */
	unsigned max_frame;     /* longest frame taken whole, bytes: 8 x the
				 * payload buffer's beats (0: not reported,
				 * register map before 0.2); MTU <= this - 14 */
	unsigned proto_version; /* host bridge protocol */
	unsigned max_burst;     /* words per bridge request */
	char uri[256];          /* as opened */
};
int toe_get_info(struct toe *t, struct toe_info *info);

/* ---- raw register access (toe_regs.h names) ---- */

int toe_reg_read(struct toe *t, uint32_t addr, uint32_t *val);
int toe_reg_write(struct toe *t, uint32_t addr, uint32_t val);
/* count consecutive words, in bursts (each exactly once) */
int toe_reg_read_n(struct toe *t, uint32_t addr, uint32_t *val, size_t count);
int toe_reg_write_n(struct toe *t, uint32_t addr, const uint32_t *val,
		    size_t count);
/* 64-bit registers: read LO then HI (LO latches HI); write HI then LO. */
int toe_reg_read64(struct toe *t, uint32_t addr, uint64_t *val);
int toe_reg_write64(struct toe *t, uint32_t addr, uint64_t val);

/* ---- configuration ---- */

struct toe_config {
	uint8_t mac[6];          /* our MAC address */
	uint32_t ip;             /* our IPv4 address */
	uint16_t mtu;            /* the MSS we advertise is mtu - 40 */
	uint16_t rcv_wnd;        /* window on every segment but our SYN */
	uint16_t syn_wnd;        /* window in our SYN; 0 = rcv_wnd */
	uint8_t ttl;             /* >= 1 */
	bool df;                 /* IPv4 Don't Fragment */
	uint16_t ip_id_init;     /* IP ID of the first frame sent */
	uint16_t ip_id_step;     /* added per frame */
	bool arp;                /* answer ARP requests for ip */
	bool ping;               /* answer ICMP echo requests to ip */
	uint32_t clock_hz;       /* engine clock = TICK_HZ, a multiple of
				  * 250000 */
	uint32_t challenge_ack_limit; /* per connection per window */
	/* durations, ms (ticks = ms * clock_hz / 1000) */
	uint64_t rto_init_ms;    /* first retransmission timeout */
	uint64_t rto_max_ms;     /* backoff cap */
	/* R2 (RFC 9293 3.8.3), per state: no retransmission is sent this
	 * long or longer after the first transmission; the connection ends
	 * at the first retransmission timeout at or after it, i.e. at the
	 * expiry that would have sent the next copy (defaults: SYN 180 s ->
	 * ends at 183 s, SYN-ACK 60 s -> 63 s as Linux's 5 SYN-ACK retries,
	 * FIN 100 s -> 123 s). A listener's half-open connection ends
	 * silently, any other with TOE_EV_TIMEDOUT. */
	uint64_t syn_giveup_ms;  /* SYN-SENT gives up (>= 180000) */
	uint64_t synack_giveup_ms; /* SYN-RECEIVED gives up (> 0) */
	uint64_t fin_giveup_ms;  /* FIN states give up (>= 100000) */
	uint64_t msl_ms;         /* TIME-WAIT lasts 2 * msl (> 0) */
	uint64_t challenge_ack_window_ms;
};

/* The engine's reset values (MAC and IP zero, MTU 1500, window 8760, TTL
 * 64, DF, 156.25 MHz, RTO 1 s .. 60 s, MSL 30 s, ...). */
void toe_config_default(struct toe_config *c);
/* Read the configuration registers (durations converted with TICK_HZ,
 * rounded down to whole ms). */
int toe_config_get(struct toe *t, struct toe_config *c);
/*
 * Write every configuration register (TICK_HZ first, then the durations
 * converted with c->clock_hz), then read them back and compare.
 * TOE_EBUSY while the engine is enabled (the register map allows changes
 * only while no connection exists: toe_enable(t, false) first);
 * TOE_ERANGE if a value does not fit (clock_hz not a multiple of 250000,
 * mtu below 68, ...); TOE_EIO-class codes from the link; TOE_EPROTO if the
 * read-back differs.
 */
int toe_config_set(struct toe *t, const struct toe_config *c);
/*
 * Set one field from "KEY=VALUE" (what `toectl config` takes): mac=
 * 02:00:00:00:00:01, ip=10.0.0.1, mtu, mss (sets mtu = mss + 40), rcv_wnd,
 * syn_wnd, ttl, df=0|1, ip_id_init, ip_id_step, arp, ping, clock_hz,
 * challenge_ack_limit, rto_init, rto_max, syn_giveup, synack_giveup,
 * fin_giveup, msl, challenge_ack_window (durations: a number with unit
 * ms or s, default ms). 0, or TOE_EINVAL with a message in err (which
 * names the key and value): also for a value below the minimum the
 * comments of struct toe_config give (ttl 0, syn_giveup under 180 s,
 * fin_giveup under 100 s, synack_giveup or msl 0).
 */
int toe_config_parse(struct toe_config *c, const char *kv, char *err,
		     size_t errlen);
/* Print the configuration as KEY=VALUE lines (the keys above). */
void toe_config_print(const struct toe_config *c, void *stdio_file);

/* CTRL.ENABLE: process frames (true) or drop everything (false). */
int toe_enable(struct toe *t, bool on);

/* ---- ISN policy (RFC 6528) ---- */

/*
 * Load a fresh 16-byte key from the OS random source (getrandom) into
 * ISN_KEY. The handle remembers the key (the registers are write-only) so
 * toe_isn_check can recompute the engine's ISNs.
 */
int toe_isn_random_key(struct toe *t);
/* Load a given key (key[0] is byte 0 of the SipHash key). */
int toe_isn_set_key(struct toe *t, const uint8_t key[16]);
/* Pin the ISN of the next connection created (active or passive); the
 * engine uses it once (ISN_PIN_CTRL.VALID clears). */
int toe_isn_pin(struct toe *t, uint32_t isn);

/* What an ISN check found. */
struct toe_isn_check {
	uint32_t iss;        /* the engine's ISN (CONN_ISS) */
	uint32_t f;          /* F = low 32 bits of SipHash-2-4(key, tuple) */
	uint32_t m;          /* iss - f: the engine's 4 us clock M when it
			      * chose the ISN */
	uint32_t m_lo, m_hi; /* the window M had to be in */
	bool ok;             /* m_lo <= m <= m_hi (mod 2^32) */
};

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), F = SipHash-2-4 over the 12 bytes local_ip, local_port,
 * remote_ip, remote_port (big-endian), low 32 bits of the little-endian
 * output; M = ticks / (clock_hz / 250000), the 4 us counter.
 * Recomputes F with libsodium (independently of the engine's SipHash unit)
 * and checks M = iss - F lies in [m_lo, m_hi] (mod 2^32, window below
 * 2^31). Pure function, no engine needed. Returns true when it does.
 */
bool toe_isn_verify(const uint8_t key[16], uint32_t local_ip,
		    uint16_t local_port, uint32_t remote_ip,
		    uint16_t remote_port, uint32_t iss, uint32_t m_lo,
		    uint32_t m_hi, struct toe_isn_check *out);

/*
 * Check connection conn's ISS with toe_isn_verify, using the key this
 * handle loaded and the tuple read from the engine (CONN_*). The window
 * for M: from the engine clock when the key was loaded to the engine clock
 * now (the NOW register, any transport; for an engine without it, the
 * simulator's cycle count with one tick of slack, sim: only, else
 * TOE_ENOTSUP). toe_isn_check_window takes a window from the caller.
 * Assumes TICK_HZ unchanged since the key was loaded.
 * Returns 0 if the ISN matches, TOE_EISN if not (out filled either way),
 * TOE_ENOKEY if this handle did not load the key, TOE_ENOTCONN if conn is
 * CLOSED, or a link error. A pinned ISN does not match (it is not M + F).
 */
int toe_isn_check(struct toe *t, int conn, struct toe_isn_check *out);
int toe_isn_check_window(struct toe *t, int conn, uint32_t m_lo,
			 uint32_t m_hi, struct toe_isn_check *out);

/* The engine's clock in ticks (= cycles): the NOW register (register map
 * 0.2 and later, any transport), else the transport's view of it (sim:);
 * TOE_ENOTSUP when neither exists. */
int toe_engine_cycles(struct toe *t, uint64_t *cycles);

/* Connection ids in use, in any state (half-open and TIME-WAIT included):
 * the CONNS_USED register, one read (register map 0.4 and later;
 * TOE_ENOTSUP before). */
int toe_conns_used(struct toe *t, unsigned *n);

/* ---- connections ---- */

/* Listen on a local port / stop (existing connections stay). */
int toe_listen(struct toe *t, uint16_t port);
int toe_unlisten(struct toe *t, uint16_t port);
/*
 * Active open from local_port to remote_ip:remote_port. The engine does
 * not send ARP requests: remote_mac is the next hop's MAC (the peer's on
 * the same LAN). Returns the connection id (>= 0): a SYN is on its way;
 * TOE_EV_ESTABLISHED (or REFUSED / TIMEDOUT) follows as an event.
 */
int toe_connect(struct toe *t, uint16_t local_port, uint32_t remote_ip,
		uint16_t remote_port, const uint8_t remote_mac[6]);
/* close(): FIN (nothing in SYN-SENT); a second close is a no-op. */
int toe_conn_close(struct toe *t, int conn);
/* shutdown(SHUT_WR): FIN, the receive path stays open. */
int toe_conn_shutdown(struct toe *t, int conn);
/* abort (SO_LINGER 0): RST where due, the connection is deleted. */
int toe_conn_abort(struct toe *t, int conn);

/* A connection's variables (CONN_* registers, one consistent snapshot). */
struct toe_conn_info {
	int id;
	int state;            /* enum toe_tcp_state; CLOSED = free id */
	bool passive;         /* created by a listener */
	bool closed_by_user;
	bool wr_shut;
	unsigned retransmits; /* of the current SYN / SYN-ACK / FIN */
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd;
	uint32_t rcv_nxt;
	uint16_t peer_mss;    /* the peer's MSS option (536 when absent) */
	uint16_t eff_mss;     /* effective send MSS */
	/* register map 0.2 and later (zero before): */
	uint8_t remote_mac[6]; /* the next hop it sends to */
	uint32_t max_snd_wnd;  /* MAX.SND.WND (RFC 5961) */
};
int toe_conn_info(struct toe *t, int conn, struct toe_conn_info *info);

/* ---- events ---- */

struct toe_event {
	int type;     /* enum toe_ref_event_type: TOE_EV_ESTABLISHED ... */
	int conn;     /* connection id */
	uint32_t arg; /* TOE_EV_RX_DATA: payload bytes */
	/*
	 * The connection's peer and local port (the local address is the
	 * engine's), when has_tuple. The engine's events carry only the id;
	 * the library adds the rest: for an ESTABLISHED it reads the
	 * connection (CONN_SEL) and keeps the result only if no event that
	 * ends that id (CLOSED, RESET, REFUSED, TIMEDOUT) follows it in the
	 * engine's FIFO up to when the FIFO is next seen empty, so the tuple
	 * is never another connection's that reused the id; later events of
	 * the connection, and the REFUSED / TIMEDOUT of a toe_connect() of
	 * this handle, get it from there. has_tuple is false when that could
	 * not be proven (the connection ended within the read, events were
	 * lost, the handle's queue was full, or the id was opened by another
	 * handle before this one saw its ESTABLISHED).
	 */
	bool has_tuple;
	uint16_t local_port, remote_port;
	uint32_t remote_ip;
};
/* "ESTABLISHED", "PEER_FIN", ... ("?" for an unknown type) */
const char *toe_event_name(int type);

/*
 * Take the next event: from the handle's queue, else from the engine's
 * event FIFO (EV_POP), else wait up to timeout_ms (transport time) for the
 * bridge's EVENT notification and look again (also after the wait, since a
 * notification can be lost). Returns 1 with *ev filled, 0 if none came in
 * time, or a negative code.
 */
int toe_event_poll(struct toe *t, struct toe_event *ev, int timeout_ms);

typedef void (*toe_event_fn)(void *arg, const struct toe_event *ev);
/* Events go to fn when toe_dispatch runs (never from inside another
 * call); fn may call any toe_* function except toe_dispatch. */
void toe_set_event_fn(struct toe *t, toe_event_fn fn, void *arg);
/* Wait up to timeout_ms for events and deliver every one that is there to
 * the callback. Returns the number delivered (0 on timeout) or a code. */
int toe_dispatch(struct toe *t, int timeout_ms);
/* Events the engine dropped because its FIFO was full (EV_LOST, wraps). */
int toe_events_lost(struct toe *t, uint32_t *lost);

/* ---- statistics ---- */

struct toe_stats {
	/* engine (STAT_*) */
	uint64_t segs_in, segs_out, rst_out;
	uint64_t challenge_acks, challenge_acks_suppressed;
	uint64_t dropped, rx_bytes, retransmits;
	uint64_t parse_drops[TOE_PERR_COUNT]; /* by -toe_parse_result */
	uint32_t ev_lost;
	/* register map 0.2 and later (zero before): */
	uint64_t mac_bad;      /* frames the MAC flagged bad */
	uint64_t table_full;   /* SYNs / CONNECTs refused: table full */
	/* register map 0.3 and later (zero before): frames longer than the
	 * build's payload buffer, cut and dropped (also in mac_bad) */
	uint64_t rx_too_long;
	uint32_t arp_replies, arp_busy, icmp_replies, icmp_busy;
	/* the engine's side of the host link (its bridge) */
	uint32_t bridge_frames, bridge_crc_errors, bridge_oversize;
	uint32_t bridge_timeouts, bridge_replays;
	/* the host link (bridge protocol, this handle) */
	uint64_t link_transactions, link_retries, link_timeouts;
	uint64_t link_crc_errors, link_tx_bytes, link_rx_bytes;
	uint64_t link_events;
	uint64_t link_faults;  /* bytes faulted by URI fault_* options */
};
int toe_get_stats(struct toe *t, struct toe_stats *st);

#ifdef __cplusplus
}
#endif

#endif
