/* SPDX-License-Identifier: MIT */
/*
 * toe_top_latency.h - the whole engine's (rtl/toe_top.v) reply latencies
 * in clock cycles, with the engine otherwise idle: the figures the
 * engine-level differential harness checks every reply of its random runs
 * against (tests/rtl/top_dual.h, which explains the model: when the
 * connection core takes a segment or a command, "decides" it) and that
 * toe-pkt's timing checks use (sim/eut/toe_eut_rtl.c, docs/pkt.md
 * "Timing"). Frames are fed one 64-bit beat per cycle.
 *
 * A segment that is not a SYN without ACK is decided TOE_LAT_SEG cycles
 * after its last beat, later only while the receive parser's TCP option
 * walker is still busy (one option a cycle, up to four NOPs at once; at
 * most TOE_LAT_WALK_MAX cycles over, the worst layout: 20 two-byte
 * options). A SYN without ACK waits for its ISN's SipHash as well:
 * TOE_LAT_SYN after its first beat (a cycle more for each beat IPv4
 * options move its ports), then TOE_LAT_SYN_HOLD. A command is decided
 * TOE_LAT_CMD after its CMD register write starts (the bridge idle). The
 * reply's first beat leaves TOE_TX_SEG (a segment), TOE_TX_CMD (close,
 * shutdown, abort) or TOE_TX_CONNECT (connect: its SYN waits for the
 * ISN's SipHash) after the decision.
 */
#ifndef TOE_TOP_LATENCY_H
#define TOE_TOP_LATENCY_H

#define TOE_LAT_SEG 3      /* last beat -> core take, no option walk left */
#define TOE_LAT_SYN 11     /* first beat -> core take, SYN without ACK
                            * (SipHash started at beat 4; toe_top's
                            * iterative unit at ISN_HR_PER_STAGE 4: a
                            * loading cycle, 4 stages, the output skid =
                            * 6 cycles; then the take) */
#define TOE_LAT_SYN_HOLD 1 /* SYN without ACK: the registered "hash is
                            * there" flag (toe_top_seg) */
#define TOE_LAT_CMD 17     /* CMD register write started -> core take */
#define TOE_LAT_WALK_MAX 15 /* option walk, cycles after the cycle after
                             * the last beat, worst layout (measured:
                             * test_diff_time_option_walk_*) */
/* decision -> first beat out, the transmit side idle (measured, pinned by
 * test_rtl_top.c --bench: SYN -> SYN-ACK 11 = 5 + 6, ACK 9 = 3 + 6) */
#define TOE_TX_SEG 6       /* a segment's job: its descriptor on m_tx 5
                            * cycles after the take (in WB, the 6th cycle
                            * of the job, through the descriptor FIFO's
                            * bypass), the frame's first beat the cycle
                            * after */
#define TOE_TX_CMD 5       /* close / shutdown / abort: descriptor 4
                            * cycles after the take (WB), + 1 */
#define TOE_TX_CONNECT 15  /* connect: its job waits for its ISN's SipHash */
/* a frame that waits for another to go out: its first beat at most this
 * many cycles after the other's last */
#define TOE_TX_QUEUE 1
/*
 * A job may take longer than the idle figures above (rtl/toe_tcb_core.v,
 * "Cycles"; rtl/toe_tcb_alloc.v): +1 without the lookup prefetch (a
 * segment taken right after a job that inserted or deleted a table
 * entry), +3 (PRE, STEP, WB) when a timer of its own connection fires
 * first, +3 for a TIME-WAIT reopen (a SYN without ACK), and PRE waits for
 * the id allocator: up to 4 cycles after a free (a reopen's own; a job
 * right after another's delete waits 1). Summed per kind, whether or not
 * they can coincide (+2 where 3 stands until the core's WB stage of
 * 2026-12-08):
 */
#define TOE_LAT_SEG_EXTRA (1 + 3 + 1)         /* any segment */
#define TOE_LAT_SYN_EXTRA (1 + 3 + 3 + 4)     /* a SYN without ACK */
#define TOE_LAT_CMD_EXTRA 3                   /* a command (own timer) */
/* Not in them: a timer job of ANOTHER connection holding the core when the
 * stimulus arrives (up to 10 cycles, tests/rtl/top_dual.h TD_TMR_BUSY_DEL;
 * the differential harness keeps its stimuli out of those windows). */

#endif
