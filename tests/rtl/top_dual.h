/* SPDX-License-Identifier: MIT */
/*
 * top_dual.h - engine-level differential harness: the whole engine
 * (rtl/toe_top.v through sim/toe_sim.h) and the reference stack
 * (host/ref/toe_ref.h) side by side, the same stimulus into both, every
 * output compared exactly.
 *
 * Stimulus: Ethernet frames from peers, the host commands (listen,
 * unlisten, connect, close, shutdown, abort), the user stream's ready, and
 * time. Compared:
 *  - every frame the engine sends, byte for byte (whole Ethernet frame),
 *    against the reference's segments encoded with toe_build_frame (TCP),
 *    and toe_ref_arp_reply / toe_ref_icmp_reply (ARP, ICMP echo); TCP
 *    frames in order, L2 replies in order (the two streams are merged by
 *    the engine's frame arbiter, so only their interleaving is free);
 *  - every event (EV_POP, EV_ARG) against toe_ref_pop_event, in order;
 *  - every payload packet on the user stream against the RX_DATA events'
 *    bytes and connection ids, in order;
 *  - command results (CMD_STATUS ERR / RESULT) against the reference's
 *    return values;
 *  - connections (CONN_SEL + CONN_*) against toe_ref_conn_info, and the
 *    statistics counters against toe_ref_stats (STAT_MAC_BAD and
 *    STAT_RX_TOO_LONG against the harness's own counts of the frames it
 *    flagged bad / that were too long for the engine), at checkpoints.
 * Nothing extra on either side: after td_sync() every queue is empty.
 *
 * Time, exactly. The reference's `now` for a stimulus is the engine's
 * `now` (ticks = cycles since reset) in the cycle its connection core
 * takes the segment or command; toe_tcb_core latches `now` there and
 * toe_top_seg adds the 4 us clock M of that cycle to the ISN. With the
 * pipeline idle (the harness spaces stimuli so that it is) that cycle is,
 * for a frame whose first beat is taken in cycle P (one beat per cycle):
 *   not a SYN without ACK:  P + fin + 2
 *   SYN without ACK:        max(P + fin + 2, P + 11 + b) + 1: it waits for
 *                           its SipHash, started at beat 4 + b, the beat
 *                           with its ports (TD_LAT_SYN; b = 0 at IHL 5, one
 *                           more for each beat IPv4 options move the
 *                           ports), and toe_top_seg registers "its hash is
 *                           there" before the core sees it (TD_LAT_SYN_HOLD)
 * fin = the cycle the receive parser finalises the frame: the one after
 * its last beat, later only while the parser's TCP option walker (one
 * option per cycle, four NOPs at once) is still busy; the next frame can
 * start in that cycle at the earliest. The harness models the walker
 * (td_parse_fin). For a command: the cycle toe_sim_csr_write(CMD) is
 * called + 17 (TD_LAT_CMD), the bridge being idle. The timing tests in
 * test_rtl_top_diff.c pin all of this down: at TICK_HZ 250000, M = now,
 * so every SYN-ACK's ISN shows its decision cycle, and a segment or
 * command decided on a timer's deadline instead of one cycle before it
 * changes the order of the outputs.
 *
 * Timers, exactly. The engine's timer scanner reads one TCB per cycle in
 * id order (a pass is N_CONN cycles; each CONN_SEL write holds it one
 * cycle); a timer fires when the scan finds it due, up to a pass after its
 * deadline, where the reference fires it at the deadline. Actions depend
 * on the deadline only, so the segments are the same, but the order of
 * different connections' outputs, and so IP IDs, could differ. The harness
 * makes the two orders identical by construction:
 *  - every duration (RTO_INIT, RTO_MAX, 2 * MSL) is a multiple of the pass;
 *  - every stimulus that concerns connection id p (the id it finds or
 *    creates) is decided at a cycle T = p + C (mod pass), so every deadline
 *    of connection p is = p + C too, and the scanner finds every timer the
 *    same number of cycles (the lag) after its deadline: engine order =
 *    deadline order = reference order. C is measured at start-up (one
 *    throw-away SYN retransmission) so that the lag is TD_LAG0 cycles,
 *    plus one per CONN_SEL written since (td_rephase, with no timer
 *    running, re-aims it);
 *  - a timer's window is [d, d + lag + TD_WIN]: from its deadline d (the
 *    reference runs it before anything decided from d on) to the end of
 *    its job and its frame in the engine (the scan finds it in S = d +
 *    lag, its job holds the core from S + 1, below). A stimulus decided in
 *    the window of ANOTHER connection's timer is moved (to the next slot
 *    after the window, a pass later in the id phase; counted as moved):
 *    the reference would run that timer first, the engine might not yet
 *    have, and the interleaving of the two connections' outputs (IP IDs)
 *    would differ. That reordering is the engine's design (toe_tcb_core:
 *    a timer fires when the scan reaches it) and is not compared;
 *  - a stimulus in the window of the timer of ITS OWN connection (the one
 *    it finds: its 4-tuple's connection, the command's id) is not moved,
 *    provided no other connection's window covers it: the engine's job
 *    runs that connection's due timer first ("+2 (PRE, STEP) per timer
 *    fired first", toe_tcb_core), as the reference runs all due timers
 *    first, so per connection the order is the same. In the id phase this
 *    happens at T = d exactly (counted as own_kept); a stimulus creating
 *    a connection finds none, so the window of the timer of an id it
 *    would reuse (an expired TIME-WAIT) is another connection's.
 * Aimed stimuli (td_frame_aim, td_cmd_aim; the random run makes them on
 * purpose) leave the id phase: one reaches the core at a chosen cycle A
 * next to its own connection's deadline d, from d - 1 to d + lag + TD_WIN,
 * decided at A, except inside the timer's job: reaching the core in S + 1
 * .. S + busy (TD_TMR_BUSY_*), it is decided in S + busy + 1. Refused if
 * another connection's window covers it, if the pipeline cannot take it
 * at A, or if the core may be busy when the job would start. A timer that
 * such a stimulus arms (a FIN from close, TIME-WAIT) lies off its
 * connection's phase, so the scan finds it after another lag: the caller
 * must not leave it running (the random run aborts the connection at
 * once; a deadline off its phase is counted, tmr_offphase, and the random
 * run asserts there were none).
 * The reference's timers are run at their deadlines, in order, when a
 * stimulus is planned after them, when time is let pass, or when the
 * engine's outputs show they fired (a frame or an event with nothing to
 * match it while a deadline lies far enough back). Whose a timer was is
 * told by the id phase (td_timer_owner) and checked against what it sent.
 *
 * Reply latency, checked for every frame the engine sends (bounds below,
 * TD_BOUND_*): a stimulus's frame from the last beat of the stimulus (or
 * the cycle of the CMD write) to its first beat, by kind (SYN-ACK, ACK to
 * a SYN-ACK / data or FIN / an unacceptable ACK, challenge ACK, RST with
 * no connection / to a bad segment, FIN from close or shutdown, RST from
 * abort, SYN from connect, ARP reply, ICMP echo reply), a bound for each
 * plus TD_LAT_OWN_TMR after a timer of its own connection; a timer's frame
 * from its deadline, within lag + TD_TMR_QWAIT + TD_LAT_TMR_OUT (a pass
 * instead of the lag for a deadline off its connection's phase). Over the
 * bound is a divergence; td_print_lat prints min / max per kind.
 *
 * Limits of the model (what the harness does not drive):
 *  - a SYN without ACK carrying IPv4 options takes the engine's late hash
 *    path (the early tuple is read at fixed offsets), which the model does
 *    not time: the random run gives IP options only to other segments;
 *  - peers have one MAC each (td_mac_of of the IP), so the engine's MAC
 *    choice (connection's MAC vs. the answered segment's) is not told
 *    apart;
 *  - frames are fed one beat per cycle, the MAC transmit side always
 *    ready, nothing else running (the engine's own tests cover
 *    backpressure); CTRL.ENABLE stays on;
 *  - the payload gate delivers or throws away a payload packet a beat per
 *    cycle after its decision, and once its queues are full the segments
 *    after it wait: after a packet of more than 200 beats (a delivered
 *    payload of over 1600 bytes, a frame cut at the engine's limit) the
 *    next stimulus is decided no earlier than its length later (top_dual.c,
 *    pay_beats), so the reply bounds below are those of an idle gate.
 *
 * Debugging: TOE_DIFF_TRACE_CONN=<id> prints what the reference sent and
 * reported for that connection id, every timer it ran and every engine
 * event as it is read.
 *
 * Divergence: the test fails at once, printing the seed, the step, the
 * cycle, the stimulus that led to it (decoded with toe_decode_frame) and
 * both outputs decoded.
 */
#ifndef TOP_DUAL_H
#define TOP_DUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_ref.h"
#include "toe_top_latency.h"
#include "toe_wire.h"

/* Decision latencies (cycles), see the top; the numbers are the engine's,
 * shared with toe-pkt (sim/toe_top_latency.h). */
#define TD_LAT_SEG TOE_LAT_SEG
#define TD_LAT_SYN TOE_LAT_SYN
#define TD_LAT_SYN_HOLD TOE_LAT_SYN_HOLD
#define TD_LAT_CMD TOE_LAT_CMD
/* Scanner lag aimed for: deadline -> the scan cycle that finds it due.
 * The frame a timer sends starts TD_LAT_TMR_OUT cycles after that. */
#define TD_LAG0 16
#define TD_LAT_TMR_OUT 5
/* A stimulus decided within [d, d + lag + TD_WIN] of another connection's
 * deadline d would meet its timer's job (TD_TMR_BUSY_* cycles from lag +
 * 1) or its frame (TD_LAT_TMR_OUT + 8 beats): moved. */
#define TD_WIN 24
/* A timer's job holds the core from the cycle after the scan found it due
 * (S + 1): a segment or command reaching the core in S + 1 .. S + busy is
 * taken (decided) in S + busy + 1 (in S itself it is taken first and runs
 * the timer itself). busy = TD_TMR_BUSY_RTX when the connection stays (a
 * retransmission), TD_TMR_BUSY_DEL when the timer deletes it (TIME-WAIT
 * expiry, give-up: the next job waits for the id allocator's search after
 * the free). Both measured with a SYN whose ISN (M = now) shows its
 * decision cycle; test_diff_time_timer_job_holds_core pins the deleting
 * job (a SYN reopening the expiring TIME-WAIT, its own connection). */
#define TD_TMR_BUSY_RTX 6
#define TD_TMR_BUSY_DEL 10
/* (5 and 8 until 2026-12-08, when the core's step results got their own
 * register stage, WB: one cycle more per job) */

/*
 * Reply latency bounds (top of file), last beat in / CMD write -> first
 * beat out, from the decision-cycle model above plus the transmit path:
 *  - the transmit path, decision -> first beat with the transmit side idle
 *    (the harness spaces stimuli so that it is). Measured once, a
 *    regression pin for that part (test_rtl_top.c --bench: SYN -> SYN-ACK
 *    11 = 5 + 6, ACK 9 = 3 + 6):
 */
#define TD_TX_SEG TOE_TX_SEG         /* descriptor on m_tx 5 cycles after the
                                     * take, the frame's first beat the
                                     * cycle after */
#define TD_TX_CMD TOE_TX_CMD         /* close / shutdown / abort: 4, + 1 */
#define TD_TX_CONNECT TOE_TX_CONNECT /* connect: waits for its ISN's SipHash */
/*  - the option walker can finalise a frame up to this many cycles after
 *    the cycle after its last beat (td_parse_fin: one non-NOP option a
 *    cycle, at most 20 of them in 40 bytes; the worst layout, 20 two-byte
 *    options and no payload, gives 15, test_diff_time_option_walk_*): */
#define TD_WALK_MAX TOE_LAT_WALK_MAX
/*  - after a timer of the stimulus's own connection: when its job runs the
 *    timer first, 3 more cycles (PRE, STEP, WB) and the timer's frame (8
 *    beats: every frame the core sends fits 64 bytes) goes out first; when the timer's
 *    job holds the core, at most TD_TMR_BUSY_DEL cycles later, the timer's
 *    frame already on its way: */
#define TD_LAT_OWN_TMR (3 + 8)
/*  - ARP and ICMP echo replies (toe_l2_resp, not through the core: from
 *    the request's last beat); measured, a pin. A reply that is ready
 *    while another frame is on the wire (a SYN-ACK decided late, up to
 *    TD_BOUND_SYN after its SYN, spaced only td_cfg.gap before the
 *    request) starts right after that frame's last beat (toe_top's
 *    arbiter takes whole frames): its bound is then that frame's end. */
#define TD_LAT_ARP 6
#define TD_LAT_ICMP 8    /* 7 until the responder's check stage (2026-12-08) */
/* Per kind:
 *  - a segment that is not a SYN (any ACK, challenge ACK, RST): decided
 *    TD_LAT_SEG after its last beat, later only by the walk; + TD_TX_SEG;
 *  - a SYN (SYN-ACK): the same or its hash, TD_LAT_SYN after its first
 *    beat (+1 with IPv4 options) = 4 (5) after the last of its at least 8
 *    beats, whichever is later (so TD_LAT_SEG + TD_WALK_MAX), then
 *    TD_LAT_SYN_HOLD; + TD_TX_SEG;
 *  - a command: TD_LAT_CMD, + TD_TX_CMD (connect: TD_TX_CONNECT). */
#define TD_BOUND_SEG (TD_LAT_SEG + TD_WALK_MAX + TD_TX_SEG)
#define TD_BOUND_SYN (TD_LAT_SEG + TD_WALK_MAX + TD_LAT_SYN_HOLD + TD_TX_SEG)
#define TD_BOUND_CMD (TD_LAT_CMD + TD_TX_CMD)
#define TD_BOUND_CONNECT (TD_LAT_CMD + TD_TX_CONNECT)
/* A timer's frame, from its deadline: the lag (a pass at most for a
 * deadline off its connection's phase), then its job may wait for one
 * stimulus's job (the harness spaces stimuli td_cfg.gap = 12 cycles apart,
 * a job takes at most 6 + 3 + 3 = 12) and its frame for that stimulus's
 * reply (8 beats): TD_TMR_QWAIT; then TD_LAT_TMR_OUT. */
#define TD_TMR_QWAIT (12 + 8)

enum td_reply_kind {
	TD_RK_SYNACK,        /* SYN-ACK to a SYN */
	TD_RK_ACK_SYNACK,    /* ACK to a SYN-ACK (handshake or challenge) */
	TD_RK_ACK_DATA,      /* ACK to data or a FIN (in order or not) */
	TD_RK_ACK_OTHER,     /* ACK to an unacceptable ACK (old, beyond SND.NXT) */
	TD_RK_CHALLENGE,     /* ACK to a RST or a SYN (challenge ACK, RFC 5961) */
	TD_RK_RST_NOCONN,    /* RST, no connection (closed port, listener) */
	TD_RK_RST_BAD,       /* RST from a connection to a bad segment */
	TD_RK_FIN_CMD,       /* FIN from close / shutdown */
	TD_RK_RST_ABORT,     /* RST from abort */
	TD_RK_SYN_CONNECT,   /* SYN from connect */
	TD_RK_ARP,           /* ARP reply */
	TD_RK_ICMP,          /* ICMP echo reply */
	TD_RK_OTHER,
	TD_RK_TIMER,         /* a timer's frame: deadline -> first beat */
	TD_RK_COUNT
};

/* Latencies seen, by kind; [1]: after a timer of the stimulus's own
 * connection (or for TD_RK_TIMER: off its connection's phase). */
struct td_lat {
	uint64_t n[TD_RK_COUNT][2];
	uint64_t min[TD_RK_COUNT][2], max[TD_RK_COUNT][2];
	uint64_t walk_max;   /* largest option-walk overrun fed */
};

struct td;

struct td_cfg {
	/* the reference configuration; the engine gets the same values
	 * (max_conns / max_listeners are the engine's build sizes) */
	struct toe_ref_cfg ref;
	uint8_t mac[6];      /* the engine's MAC */
	uint32_t seed;       /* Verilator's random init; printed on failure */
	/* stimuli decided at least this many cycles apart */
	unsigned gap;
	/* MAX_CONNS written to the engine (a power of two <= its N_CONN):
	 * connection ids and the timer scan pass; 0 = the build's N_CONN */
	unsigned max_conns;
};

/* Defaults for the differential runs: local 10.0.0.1, MAC
 * 02:00:00:00:00:01, MTU 1500, window 8760, TTL 64, DF, IP ID 0x100 step 1,
 * TICK_HZ 250000 (the ISN clock M = now: every ISN pins the decision cycle),
 * RTO 16 passes doubling to 64 passes, SYN give-up 7 RTO, SYN-ACK give-up
 * 3 RTO, FIN give-up 7 RTO, MSL 8 passes (2 MSL = 1 RTO), 5 challenge ACKs
 * per 8192 ticks, a fixed non-zero key; passes of 1024 cycles (max_conns
 * 1024, so a build with a larger N_CONN runs the same scenarios). */
void td_cfg_default(struct td_cfg *c);

/* Engine + reference, configured identically, calibrated. */
struct td *td_new(const struct td_cfg *c);
/* td_sync(), then free both. */
void td_free(struct td *t);

struct toe_ref *td_ref(struct td *t);
struct toe_sim *td_sim(struct td *t);
const struct td_cfg *td_config(const struct td *t);
/* The reference's time (= the engine's `now` of the last decision). */
uint64_t td_now(const struct td *t);
/* The engine's `now` in the current cycle. */
uint64_t td_engine_now(const struct td *t);
/* Cycles in one scanner pass (N_CONN). */
unsigned td_pass(const struct td *t);

/* A peer's MAC: 02:00 followed by its IPv4 address. */
void td_mac_of(uint32_t ip, uint8_t mac[6]);

/* The harness's timing model for a frame fed at one beat per cycle:
 * cycles from its first beat to the cycle the parser finalises it (the
 * next frame may start then; the cycle after its last beat unless the
 * parser's option walker is still busy), and to the core's decision. */
unsigned td_parse_fin(const uint8_t *f, size_t n);
unsigned td_decision_latency(const uint8_t *f, size_t n);

/* Build a frame from a peer to the engine (Ethernet from td_mac_of(src)
 * to the engine's MAC, IPv4 TTL 64, DF, ID 0x4242). Returns the length. */
size_t td_build(const struct td *t, uint8_t *buf, size_t cap, const struct toe_seg *s);

/* ---- stimuli ---- */

/* Frames of 1 to TD_FRAME_MAX bytes may be fed (jumbo frames up to 9000
 * and a little more). A frame longer than the engine's payload buffer
 * (td_rx_max: 8 * 2^BUILD_MISC.PAY_BUF_LOG2 bytes, 4096 in the default
 * build) is cut by the engine as a MAC cuts an over-long frame: flagged
 * bad at the limit, the rest taken and thrown away, counted in
 * STAT_RX_TOO_LONG and STAT_MAC_BAD (docs/regmap.md). The reference has no
 * such limit, so the harness does not give it such a frame, as for a
 * MAC-bad frame, and counts it on the engine's side (both counters are
 * compared by td_check_stats): a documented difference, not compared. */
#define TD_FRAME_MAX 9216
size_t td_rx_max(const struct td *t);

/* A frame from the network, decided as early as the rules allow but not
 * before `not_before` (engine now). Returns the decision time. */
uint64_t td_frame_at(struct td *t, const uint8_t *f, size_t n, uint64_t not_before);
uint64_t td_frame(struct td *t, const uint8_t *f, size_t n);
/* The same with the MAC's bad-frame flag (tuser): the reference never sees
 * it; the engine must drop it. */
uint64_t td_frame_bad(struct td *t, const uint8_t *f, size_t n);
/* A frame decided at exactly `T`, bypassing the id-phase rule (for tests
 * of exact timing; the caller keeps it clear of timers). Fails the test if
 * T is already too close. */
uint64_t td_frame_exact(struct td *t, const uint8_t *f, size_t n, uint64_t T);
/* td_build + td_frame. */
uint64_t td_seg(struct td *t, const struct toe_seg *s);

/* Commands. Each returns the reference's result (toe_ref_* return value)
 * after asserting the engine's CMD_STATUS agrees. */
int td_listen(struct td *t, uint16_t port);
int td_unlisten(struct td *t, uint16_t port);
int td_connect(struct td *t, uint16_t lport, uint32_t rip, uint16_t rport);
int td_close(struct td *t, int id);
int td_shutdown(struct td *t, int id);
int td_abort(struct td *t, int id);
/* The same, decided at exactly T (see td_frame_exact). */
int td_close_exact(struct td *t, int id, uint64_t T);

/* Aimed stimuli (top of file, "Timers"): a frame that reaches the core at
 * exactly A (its first beat td_decision_latency earlier), or a command
 * (close, shutdown, abort) written TD_LAT_CMD before A, next to a timer of
 * the connection it finds. Decided at A, or when that timer's job leaves
 * the core if A falls inside it. Refused (nothing done, though timers up to
 * A may have run in the reference) if A is too early for the pipeline, if
 * another connection's timer window covers it, or if the frame is not a
 * good segment for a connection: td_frame_aim returns 0, td_cmd_aim
 * TD_AIM_REFUSED; else the decision time / the reference's result. */
#define TD_AIM_REFUSED (-1000)
uint64_t td_frame_aim(struct td *t, const uint8_t *f, size_t n, uint64_t A);
int td_cmd_aim(struct td *t, int op, int id, uint64_t A);
/* The connection whose timer has deadline d (by the id phase), and the
 * scanner's lag now (deadline -> the scan cycle that finds it). */
int td_timer_owner(const struct td *t, uint64_t d);
unsigned td_lag(const struct td *t);
/* Where the last stimulus was decided (reference time), and whether a
 * timer of its own connection ran first (or was running) within its
 * window. */
uint64_t td_last_decision(const struct td *t);
bool td_last_own_timer(const struct td *t);
/* The user stream's ready (engine m_pay_tready, toe_ref_set_rx_ready). */
void td_user_ready(struct td *t, bool ready);
/* Pin the ISN of the next connection (both sides). */
void td_pin_isn(struct td *t, uint32_t isn);

/* Let time pass until the reference's now is at least `until`: timers
 * that fall due fire on both sides and are compared. */
void td_wait_until(struct td *t, uint64_t until);
void td_wait(struct td *t, uint64_t ticks);

/* Settle the engine and compare everything so far; afterwards nothing is
 * pending on either side (frames, events, payload). */
void td_sync(struct td *t);
/* Connection read-out: CONN_SEL + CONN_* against toe_ref_conn_info (a
 * free id: the engine reads CLOSED and zeros). Syncs first. */
void td_check_conn(struct td *t, int id);
void td_check_all_conns(struct td *t);
/* STAT_* against toe_ref_stats (counted from td_new). Syncs first. */
void td_check_stats(struct td *t);
/* Re-aim the id phase at TD_LAG0: only allowed while no timer is pending
 * in the reference (toe_ref_next_timer == UINT64_MAX). */
void td_rephase(struct td *t);

/* Lowest free connection id in the reference (counting also_free as
 * free), or -1. */
int td_lowest_free(const struct td *t, int also_free);
/* The earliest decision time a stimulus for connection id (-1: none)
 * could get now, lat cycles after it starts (td_decision_latency for a
 * frame, TD_LAT_CMD for a command); only the next timer is considered.
 * For choosing among candidate stimuli. */
uint64_t td_next_slot(const struct td *t, int id, unsigned lat);
/* The connection id a good segment would concern (finds or creates), -1
 * for none. */
int td_bind_seg(const struct td *t, const struct toe_seg *s);

/* ---- what was compared (both sides agreed on it) ---- */

struct td_seen_seg {
	struct toe_seg seg;  /* data/opt_raw pointers cleared */
	struct toe_ip_meta ip;
	int conn;            /* the reference's connection id, -1 for none */
	uint64_t time;       /* reference time (decision or deadline) */
	bool timer;          /* sent by a timer */
	uint64_t eng_first;  /* the engine's now at its first beat */
};

/* Pop the oldest compared TCP segment / event not yet looked at by the
 * test. 0 if none. td_sync() first to be sure everything was compared. */
int td_seen_seg(struct td *t, struct td_seen_seg *s);
int td_seen_event(struct td *t, struct toe_ref_event *e);
/* Drop what was seen so far. */
void td_seen_clear(struct td *t);

/* Scenario assertions on the seen logs (they call td_sync first):
 * the next seen segment has these flags, SEQ and ACK (and is returned). */
struct td_seen_seg td_expect_seg(struct td *t, uint8_t flags, uint32_t seq, uint32_t ack);
void td_expect_event(struct td *t, int type, int conn);
/* Nothing more seen: no segment, no event. */
void td_expect_nothing(struct td *t);
/* The connection's state in the reference (after td_check_conn against
 * the engine); TOE_ST_CLOSED for a free id. */
int td_state(struct td *t, int id);
struct toe_ref_conn_info td_info(struct td *t, int id);

/* ---- figures ---- */

struct td_stats {
	uint64_t steps;          /* stimuli */
	uint64_t frames_in;      /* frames fed to the engine */
	uint64_t tcp_frames_in;  /* of which parse as TCP (codec) */
	uint64_t frames_cmp;     /* engine frames compared, TCP */
	uint64_t l2_cmp;         /* ARP / ICMP replies compared */
	uint64_t events_cmp;
	uint64_t ev_type[8];     /* compared events by type */
	uint64_t seg_kind[8];    /* compared segments: S, SA, A, FA, R, RA, other */
	uint64_t payload_cmp, payload_bytes;
	uint64_t cmds;
	uint64_t conn_checks;
	uint64_t timers;         /* reference timer firings (all compared) */
	uint64_t moved;          /* stimuli moved a pass for another
				  * connection's timer */
	uint64_t own_kept;       /* decided on their own connection's
				  * deadline (not moved) */
	uint64_t tmr_offphase;   /* timers whose deadline was off their
				  * connection's id phase */
	uint64_t max_conns;      /* most connections in use at once */
	uint64_t lag_min, lag_max; /* observed deadline -> first beat of a
				    * timer's frame */
	uint64_t cycles;         /* simulated */
};
void td_get_stats(const struct td *t, struct td_stats *s);

/* Reply latencies of this harness; and summed over every harness freed so
 * far. */
void td_get_lat(const struct td *t, struct td_lat *l);
void td_lat_total(struct td_lat *l);
/* The bound for a kind (own: after its own connection's timer), the
 * timer kind's for lag 0 (add the lag). */
unsigned td_lat_bound(int kind, bool own);
/* Print the table, with the bounds. */
void td_print_lat(const struct td_lat *l, const char *title);

/* A label printed with a divergence (the scenario's or run's name). */
void td_set_label(struct td *t, const char *label);

/* A segment from a connection's peer (its 4-tuple reversed), no options,
 * no payload: the random run's and the fuzzer's stimuli start from it. */
struct toe_seg td_conn_seg(const struct toe_ref_conn_info *ci, uint32_t seq,
			   uint32_t ack, uint8_t flags, uint16_t win);

#endif
