/* SPDX-License-Identifier: MIT */
/*
 * refkit.h - THE SHARED KIT for the reference-stack unit tests
 * (tests/unit/test_ref_*.c). Every runner that drives toe_ref uses it; add
 * to it, do not fork it.
 *
 * What it gives:
 *  - one known test configuration (kit_cfg), fixed addresses and ports;
 *  - segment templates from the remote peer (kit_seg) with per-test
 *    overrides done on the returned struct;
 *  - fixtures that put a connection straight into a state with a known
 *    ISS / IRS (kit_conn, kit_info + kit_fixture), no handshake replayed;
 *  - expectation helpers that fail the cmocka test with a readable message:
 *    kit_expect_seg / kit_expect_no_seg / kit_expect_event /
 *    kit_expect_no_event / kit_expect_nothing / kit_expect_state /
 *    kit_expect_gone.
 *
 * Test configuration (kit_cfg), all durations in ticks of 1 us:
 *   tick_hz 1000000 (so the RFC 6528 ISN clock M = now / 4)
 *   local_ip 192.168.0.1, mtu 1500 (MSS 1460), rcv_wnd 8760, syn_wnd 0
 *   (our SYN also carries 8760), ttl 64, df, IP ID starts 0x1000 step 1
 *   rto_init 1 s, rto_max 60 s, syn_giveup 180 s, synack_giveup 60 s,
 *   fin_giveup 100 s, msl 1 s (TIME-WAIT 2 s),
 *   challenge ACKs: 5 per 1 s window,
 *   isn_key = 00 01 02 ... 0f, max_conns 16, max_listeners 4.
 * The peer: 192.0.2.1 port 40000 talking to our port 80 (KIT_*).
 *
 * Fixture sequence numbers: our ISS is KIT_ISS, the peer's IRS is KIT_IRS;
 * kit_info() derives SND.UNA / SND.NXT / RCV.NXT from the state as a
 * textbook exchange with no data would leave them (see refkit.c table).
 */
#ifndef REFKIT_H
#define REFKIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "toe_ref.h"

#define KIT_HZ 1000000ULL            /* ticks per second in kit_cfg */
#define KIT_S(x) ((uint64_t)(x) * KIT_HZ)      /* seconds -> ticks */
#define KIT_MS(x) ((uint64_t)(x) * (KIT_HZ / 1000)) /* ms -> ticks */

#define KIT_LOCAL_IP 0xC0A80001u     /* 192.168.0.1, ours */
#define KIT_REMOTE_IP 0xC0000201u    /* 192.0.2.1, the peer */
#define KIT_LPORT 80                 /* our port (listener / server side) */
#define KIT_RPORT 40000              /* the peer's port */
#define KIT_MTU 1500
#define KIT_MSS (KIT_MTU - 40)       /* MSS we advertise (MS-01) */
#define KIT_RCV_WND 8760
#define KIT_TTL 64
#define KIT_IP_ID_INIT 0x1000
#define KIT_PEER_WIN 65535           /* window in kit_seg segments */
#define KIT_PEER_MSS 1460            /* peer MSS in fixtures */

/* Fixture sequence numbers (arbitrary, distinct, far apart). */
#define KIT_ISS 0x11111000u
#define KIT_IRS 0x22222000u

/* The test configuration described at the top. */
void kit_cfg(struct toe_ref_cfg *cfg);
/* toe_ref_new(kit_cfg) (or with *cfg if not NULL); asserts success and
 * remembers cfg for kit_expect_seg's window/MSS checks. */
struct toe_ref *kit_new(const struct toe_ref_cfg *cfg);
/* kit_new(NULL) and a listener on KIT_LPORT. */
struct toe_ref *kit_new_listen(void);

/* cmocka fixtures: *state = kit_new(NULL) (kit_setup) or kit_new_listen()
 * (kit_setup_listen); kit_teardown frees it. Use with
 * cmocka_unit_test_setup_teardown(test, kit_setup_listen, kit_teardown). */
int kit_setup(void **state);
int kit_setup_listen(void **state);
int kit_teardown(void **state);
/* Inside a test: free *state, make a new stack with *cfg (no listener),
 * store it in *state and return it. */
struct toe_ref *kit_renew(void **state, const struct toe_ref_cfg *cfg);

/*
 * A segment from the peer (KIT_REMOTE_IP:KIT_RPORT -> KIT_LOCAL_IP:KIT_LPORT)
 * with these flags/seq/ack, window KIT_PEER_WIN, no options, no payload.
 * Override fields on the result (e.g. s.src_port, s.data/s.len,
 * s.opt.has_mss/s.opt.mss).
 */
struct toe_seg kit_seg(uint8_t flags, uint32_t seq, uint32_t ack);
/* toe_ref_input(r, kit_seg(flags, seq, ack), now). */
void kit_in(struct toe_ref *r, uint8_t flags, uint32_t seq, uint32_t ack,
	    uint64_t now);
/* The same with a payload of len bytes (pattern 'a'+i, static storage). */
void kit_in_data(struct toe_ref *r, uint8_t flags, uint32_t seq, uint32_t ack,
		 uint16_t len, uint64_t now);
/* Static payload bytes used by kit_in_data ('a' + i % 26), up to 1500. */
const uint8_t *kit_payload(void);

/*
 * Fill *info for a connection in `state` on the kit tuple with the
 * fixture numbers:
 *   state          SND.UNA   SND.NXT   RCV.NXT   flags
 *   SYN-SENT       ISS       ISS+1     0         active (irs 0)
 *   SYN-RECEIVED   ISS       ISS+1     IRS+1     passive
 *   ESTABLISHED    ISS+1     ISS+1     IRS+1     passive
 *   FIN-WAIT-1     ISS+1     ISS+2     IRS+1     passive, wr_shut
 *   FIN-WAIT-2     ISS+2     ISS+2     IRS+1     passive, wr_shut
 *   CLOSE-WAIT     ISS+1     ISS+1     IRS+2     passive
 *   CLOSING        ISS+1     ISS+2     IRS+2     passive, wr_shut
 *   LAST-ACK       ISS+1     ISS+2     IRS+2     passive, wr_shut
 *   TIME-WAIT      ISS+2     ISS+2     IRS+2     passive, wr_shut
 * The FIN states are entered "as if by shutdown_wr": closed_by_user is
 * false; set info->closed_by_user for close() semantics (CL-10).
 * snd_wnd = max_snd_wnd = KIT_PEER_WIN, peer_mss = KIT_PEER_MSS.
 */
void kit_info(int state, struct toe_ref_conn_info *info);
/* toe_ref_fixture(r, info, now); asserts it returned an id >= 0. */
int kit_fixture(struct toe_ref *r, const struct toe_ref_conn_info *info,
		uint64_t now);
/* kit_info(state) + kit_fixture at now; returns the id. */
int kit_conn(struct toe_ref *r, int state, uint64_t now);

/*
 * Pop the next sent segment and assert its flags, seq and ack (ack is
 * compared always; pass 0 where the ACK flag is off). Also asserts the
 * rules every segment obeys with the kit_new config: src = KIT_LOCAL_IP,
 * ttl/df from cfg, window 0 on RST, cfg syn window on a SYN without ACK,
 * cfg rcv_wnd otherwise; MSS option (mtu - 40) present iff SYN is set.
 * Returns the segment for further checks (ports, ip.id, time, conn).
 */
struct toe_ref_out kit_expect_seg(struct toe_ref *r, uint8_t flags,
				  uint32_t seq, uint32_t ack);
/* Assert no segment is queued. */
void kit_expect_no_seg(struct toe_ref *r);
/* Pop the next event and assert its type and connection id. */
struct toe_ref_event kit_expect_event(struct toe_ref *r, int type, int conn);
/* Assert no event is queued. */
void kit_expect_no_event(struct toe_ref *r);
/* kit_expect_no_seg + kit_expect_no_event. */
void kit_expect_nothing(struct toe_ref *r);
/* Assert connection `conn` exists and is in `state`. */
void kit_expect_state(struct toe_ref *r, int conn, int state);
/* Assert connection `conn` no longer exists (toe_ref_conn_info ENOTCONN). */
void kit_expect_gone(struct toe_ref *r, int conn);

/* "SA" style flag string for messages; buf of 9 bytes. */
const char *kit_flags_str(uint8_t flags, char buf[9]);

#endif
