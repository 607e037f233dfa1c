// SPDX-License-Identifier: MIT
//
// toe_tcp_fsm.v - one step of TCP processing (RFC 9293 3.10.7 with the
// RFC 5961 mitigations): a job (segment, due timer or user command) and the
// connection's TCB in, the new TCB, the segment to send, the events and the
// payload decision out. toe_tcb_core runs it once per job, or again when a
// step says so (`again`).
//
// Two stages, for the clock. P (the cycle with pre_en): every comparison
// and sum the decision needs (sequence-space tests, acceptability, the
// timer's deadline against `now`, the ISS, the new deadlines) is computed
// from the inputs and registered. D (the next cycle on, until the next
// pre_en): the decision reads those registers and picks the outputs; it is
// combinational. Every input must hold its value from P through D, except
// rx_ready, which D reads as it is. new_ok and listen_hit (a block RAM's
// output in the listener table) are sampled in P.
//
// It is written to be read side by side with the reference stack
// (host/ref/tcp_ref.c), in the same order:
//
//   0. the TCB's own timer is due: fire it first (the reference runs every
//      timer up to `now` before it looks at a segment or a command), using
//      the deadline, never `now`, for the arithmetic
//   1. segment: wrong local IP -> drop; no TCB -> LISTEN (3.10.7.2) if the
//      port listens, else CLOSED (3.10.7.1); SYN-SENT (3.10.7.3);
//      TIME-WAIT; the synchronized states (3.10.7.4): checks for every
//      state first (A sequence, B RST, C SYN, D ACK bit), then the per
//      state arms (E ACK, F text, G FIN, H one ACK)
//   2. timer job: nothing left to do when the timer is not due (any more)
//   3. commands: connect, close / shutdown, abort, fixture
//
// Every output segment is <SEQ><ACK><CTL> plus where it goes (the TCB's
// peer, or the segment's sender for a RST answering it); the window, MSS
// option and IP fields follow from the flags in toe_tcb_core.

`timescale 1ns / 1ps
`default_nettype none

`include "toe_tcb_width.vh"

// Per-step TCP decision logic (combinational).
module toe_tcp_fsm #(
    // connection id width
    parameter ID_W = 10
) (
    input  wire              clk,
    // stage P: register what the decision needs from the inputs below
    input  wire              pre_en,

    // ---- the job ----
    input  wire [2:0]        job,
    input  wire [63:0]       now,

    // the connection this step works on (tcb_valid = 0: none)
    input  wire              tcb_valid,
    input  wire [ID_W-1:0]   tcb_id,
    input  wire [`TOE_TCB_W-1:0] tcb,

    // segment (JOB_SEG); isn = RFC 6528 ISN for its 4-tuple
    input  wire [47:0]       seg_src_mac,
    input  wire [31:0]       seg_src_ip,
    input  wire [31:0]       seg_dst_ip,
    input  wire [15:0]       seg_src_port,
    input  wire [15:0]       seg_dst_port,
    input  wire [31:0]       seg_seq,
    input  wire [31:0]       seg_ack,
    input  wire [7:0]        seg_flags,
    input  wire [15:0]       seg_win,
    input  wire              seg_mss_valid,
    input  wire [15:0]       seg_mss,
    input  wire [15:0]       seg_len,
    input  wire [31:0]       seg_isn,
    // the segment's destination port has a listener
    input  wire              listen_hit,

    // command arguments (connect / fixture); cmd_isn for connect
    input  wire [15:0]       cmd_lport,
    input  wire [31:0]       cmd_rip,
    input  wire [15:0]       cmd_rport,
    input  wire [47:0]       cmd_rmac,
    input  wire [31:0]       cmd_isn,
    input  wire [3:0]        fx_state,
    input  wire [31:0]       fx_iss,
    input  wire [31:0]       fx_irs,
    input  wire [31:0]       fx_snd_una,
    input  wire [31:0]       fx_snd_nxt,
    input  wire [15:0]       fx_snd_wnd,
    input  wire [31:0]       fx_rcv_nxt,
    input  wire [15:0]       fx_peer_mss,
    input  wire              fx_passive,
    input  wire              fx_cbu,
    input  wire              fx_wr_shut,

    // a new TCB can be created, with this id
    input  wire              new_ok,
    input  wire [ID_W-1:0]   new_id,
    // TW-04: the ISN floor of the new passive open that ends a TIME-WAIT
    input  wire              floor_valid,
    input  wire [31:0]       floor,
    // pinned ISN for the next connection created
    input  wire              pin_valid,
    input  wire [31:0]       pin_isn,
    // the user stream takes payload
    input  wire              rx_ready,

    // ---- configuration ----
    input  wire [31:0]       cfg_local_ip,
    input  wire [15:0]       cfg_rcv_wnd,
    /* verilator lint_off UNUSEDSIGNAL */
    // below 2^(TCB_TIME_W-1) by the configuration limit: the low bits only
    input  wire [63:0]       cfg_rto_init,
    input  wire [63:0]       cfg_rto_max,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [63:0]       cfg_syn_giveup,
    input  wire [63:0]       cfg_synack_giveup,
    input  wire [63:0]       cfg_fin_giveup,
    input  wire [63:0]       cfg_msl,
    input  wire [31:0]       cfg_ca_limit,
    input  wire [63:0]       cfg_ca_window,

    // ---- results ----
    // run another step for this job, with tcb_out (if out_valid)
    output reg               again,
    output reg               out_valid,
    output wire [`TOE_TCB_W-1:0] tcb_out,
    // write tcb_out back at tcb_id / delete tcb_id / create new_id
    output reg               do_write,
    output reg               do_delete,
    output reg               do_create,
    output reg               pin_consume,
    output reg               floor_out_valid,
    output reg  [31:0]       floor_out,

    // segment to send
    output reg               tx_valid,
    output reg  [7:0]        tx_flags,
    output reg  [31:0]       tx_seq,
    output reg  [31:0]       tx_ack,
    // addressed to the segment's sender (else the TCB's peer)
    output reg               tx_to_seg,
    // connection id of the segment (-1 in the reference when !tx_conn_valid)
    output reg               tx_conn_valid,
    output reg  [ID_W-1:0]   tx_conn,

    // up to three events, in slot order: E (ESTABLISHED / timer / close),
    // F (RX_DATA / RESET), G (PEER_FIN)
    output reg  [2:0]        ev_valid,
    output reg  [2:0]        ev_type0,
    output reg  [2:0]        ev_type1,
    output reg  [2:0]        ev_type2,
    output reg  [ID_W-1:0]   ev_conn,
    output reg  [15:0]       ev_arg1,

    // payload decision: the segment is done (one per segment)
    output reg               pl_valid,
    output reg               pl_deliver,
    output reg  [15:0]       pl_off,
    output reg  [15:0]       pl_len,

    // counters to bump
    output reg               st_dropped,
    output reg               st_chack,
    output reg               st_chack_supp,
    output reg               st_retrans,
    output reg               st_table_full,
    // a timer fired inside a segment / command job (before the scanner)
    output reg               st_tmr_inline,

    // command result
    output reg               cmd_done,
    output reg  [3:0]        cmd_err,
    output reg  [ID_W-1:0]   cmd_conn
);

`include "toe_regs.vh"
`include "toe_tcb_layout.vh"

// ---- serial-number comparisons (RFC 1982 style), written once ----
function seq_lt(input [31:0] a, input [31:0] b);
    seq_lt = $signed(a - b) < 0;
endfunction

function seq_leq(input [31:0] a, input [31:0] b);
    seq_leq = (a == b) || seq_lt(a, b);
endfunction

function seq_gt(input [31:0] a, input [31:0] b);
    seq_gt = seq_lt(b, a);
endfunction

// Table 6, "Segment Acceptability Tests"
function acceptable(input [31:0] seq, input [31:0] len, input [31:0] rnxt,
                    input [31:0] wnd);
    begin
        if (len == 32'd0 && wnd == 32'd0) begin
            acceptable = seq == rnxt;
        end else if (len == 32'd0) begin
            acceptable = seq_leq(rnxt, seq) && seq_lt(seq, rnxt + wnd);
        end else if (wnd == 32'd0) begin
            acceptable = 1'b0;
        end else begin
            acceptable = (seq_leq(rnxt, seq) && seq_lt(seq, rnxt + wnd)) ||
                         (seq_leq(rnxt, seq + len - 32'd1) &&
                          seq_lt(seq + len - 32'd1, rnxt + wnd));
        end
    end
endfunction

// ---- the TCB's fields ----
wire [3:0]  t_state    = tcb[TCB_STATE +: 4];
wire [1:0]  t_tmr      = tcb[TCB_TMR +: 2];
wire        t_passive  = tcb[TCB_PASSIVE];
wire        t_cbu      = tcb[TCB_CBU];
wire        t_wr_shut  = tcb[TCB_WR_SHUT];
wire [15:0] t_lport    = tcb[TCB_LPORT +: 16];
wire [31:0] t_rip      = tcb[TCB_RIP +: 32];
wire [15:0] t_rport    = tcb[TCB_RPORT +: 16];
wire [47:0] t_rmac     = tcb[TCB_RMAC +: 48];
wire [31:0] t_iss      = tcb[TCB_ISS +: 32];
wire [31:0] t_irs      = tcb[TCB_IRS +: 32];
wire [31:0] t_una      = tcb[TCB_SND_UNA +: 32];
wire [31:0] t_nxt      = tcb[TCB_SND_NXT +: 32];
wire [15:0] t_wnd      = tcb[TCB_SND_WND +: 16];
wire [15:0] t_max_wnd  = tcb[TCB_MAX_WND +: 16];
wire [31:0] t_wl1      = tcb[TCB_WL1 +: 32];
wire [31:0] t_wl2      = tcb[TCB_WL2 +: 32];
wire [31:0] t_rcv_nxt  = tcb[TCB_RCV_NXT +: 32];
wire [15:0] t_peer_mss = tcb[TCB_PEER_MSS +: 16];
wire [TCB_TIME_W-1:0] t_deadline = tcb[TCB_DEADLINE +: TCB_TIME_W];
wire [TCB_TIME_W-1:0] t_rto = tcb[TCB_RTO +: TCB_TIME_W];
wire [TCB_TIME_W-1:0] t_first = tcb[TCB_FIRST +: TCB_TIME_W];
wire [31:0] t_retrans  = tcb[TCB_RETRANS +: 32];
wire [63:0] t_ca_start = tcb[TCB_CA_START +: 64];
wire [15:0] t_ca_count = tcb[TCB_CA_COUNT +: 16];

// the next values
reg [3:0]  n_state;
reg [1:0]  n_tmr;
reg        n_passive, n_cbu, n_wr_shut;
reg [15:0] n_lport, n_rport;
reg [31:0] n_rip;
reg [47:0] n_rmac;
reg [31:0] n_iss, n_irs, n_una, n_nxt, n_wl1, n_wl2, n_rcv_nxt;
reg [15:0] n_wnd, n_max_wnd, n_peer_mss;
reg [TCB_TIME_W-1:0] n_deadline, n_first;
reg [TCB_TIME_W-1:0] n_rto;
reg [63:0] n_ca_start;
reg [31:0] n_retrans;
reg [15:0] n_ca_count;

// The decision (the always block below) does not build the wide fields of
// the new TCB and of the segment to send: it picks, for each, which of its
// few possible values it gets (a select code), and the values are
// multiplexed once, after it. A field assigned in many arms of one long
// if/else chain otherwise becomes as many 32- or 64-bit 2:1 multiplexers in
// a row (the step was ~21k multiplexer bits, most of toe_tcp_fsm's LUT4).
localparam [1:0] KEY_KEEP = 2'd0, KEY_SEG = 2'd1, KEY_CMD = 2'd2;
localparam [1:0] ISS_KEEP = 2'd0, ISS_ACT = 2'd1, ISS_PASS = 2'd2, ISS_FX = 2'd3;
localparam [1:0] IRS_KEEP = 2'd0, IRS_SEQ = 2'd1, IRS_FX = 2'd2, IRS_ZERO = 2'd3;
localparam [2:0] UNA_KEEP = 3'd0, UNA_ACK = 3'd1, UNA_ISS_ACT = 3'd2,
                 UNA_ISS_PASS = 3'd3, UNA_FX = 3'd4;
localparam [2:0] NXT_KEEP = 3'd0, NXT_INC = 3'd1, NXT_ISS_ACT1 = 3'd2,
                 NXT_ISS_PASS1 = 3'd3, NXT_FX = 3'd4;
localparam [1:0] WND_KEEP = 2'd0, WND_WIN = 2'd1, WND_FX = 2'd2, WND_ZERO = 2'd3;
localparam [2:0] WL1_KEEP = 3'd0, WL1_YSEQ = 3'd1, WL1_SEQ = 3'd2, WL1_FX = 3'd3,
                 WL1_ZERO = 3'd4;
localparam [1:0] WL2_KEEP = 2'd0, WL2_ACK = 2'd1, WL2_FX = 2'd2, WL2_ZERO = 2'd3;
localparam [2:0] RCV_KEEP = 3'd0, RCV_SEQ1 = 3'd1, RCV_TEXT = 3'd2, RCV_FX = 3'd3,
                 RCV_ZERO = 3'd4;
localparam [1:0] MSS_KEEP = 2'd0, MSS_SEG = 2'd1, MSS_536 = 2'd2, MSS_FX = 2'd3;
localparam [2:0] DL_KEEP = 3'd0, DL_NOW_RTO = 3'd1, DL_NOW_MSL2 = 3'd2,
                 DL_BACKOFF = 3'd3, DL_ZERO = 3'd4;
localparam [1:0] RTO_KEEP = 2'd0, RTO_INIT = 2'd1, RTO_NEXT = 2'd2, RTO_ZERO = 2'd3;
localparam [1:0] FIRST_KEEP = 2'd0, FIRST_NOW = 2'd1, FIRST_ZERO = 2'd2;
localparam [1:0] RTX_KEEP = 2'd0, RTX_INC = 2'd1, RTX_ZERO = 2'd2;
localparam [1:0] CAS_KEEP = 2'd0, CAS_NOW = 2'd1, CAS_C = 2'd2;
localparam [1:0] CAC_KEEP = 2'd0, CAC_INC = 2'd1, CAC_ZERO = 2'd2;
localparam [2:0] TXS_ZERO = 3'd0, TXS_NXT = 3'd1, TXS_NXT_M1 = 3'd2, TXS_ACK = 3'd3,
                 TXS_ISS = 3'd4, TXS_ISS_ACT = 3'd5, TXS_ISS_PASS = 3'd6;
localparam [2:0] TXA_ZERO = 3'd0, TXA_RCV = 3'd1, TXA_SEQ1 = 3'd2,
                 TXA_SEQLEN = 3'd3, TXA_NRCV = 3'd4;

reg [1:0] key_sel, iss_sel, irs_sel, wnd_sel, mwnd_sel, wl2_sel, mss_sel;
reg [1:0] rto_sel, first_sel, rtx_sel, cas_sel, cac_sel;
reg [2:0] una_sel, nxt_sel, wl1_sel, rcv_sel, dl_sel, txs_sel, txa_sel;
// G adds the FIN's 1 to RCV.NXT after F may have moved it
reg rcv_inc;

assign tcb_out = {n_ca_count, n_ca_start, n_retrans, n_first, n_rto,
                  n_deadline, n_peer_mss, n_rcv_nxt, n_wl2, n_wl1, n_max_wnd,
                  n_wnd, n_nxt, n_una, n_irs, n_iss, n_rmac, n_rport, n_rip,
                  n_lport, n_wr_shut, n_cbu, n_passive, n_tmr, n_state};

// ---- stage P: the values several arms use, computed and registered ----

wire s_fin = seg_flags[TOE_TCP_FIN_BIT];
wire s_syn = seg_flags[TOE_TCP_SYN_BIT];
wire s_rst = seg_flags[TOE_TCP_RST_BIT];
wire s_ack = seg_flags[TOE_TCP_ACK_BIT];
wire [31:0] s_len = {16'd0, seg_len};
// SEG.LEN: payload plus one for SYN and one for FIN
wire [31:0] s_seglen = s_len + {31'd0, s_syn} + {31'd0, s_fin};
wire [31:0] wnd = {16'd0, cfg_rcv_wnd};
// TIME-WAIT lasts 2 * MSL
/* verilator lint_off UNUSEDSIGNAL */
// (the deadline keeps its low TCB_TIME_W bits: 2 x MSL < 2^(TCB_TIME_W - 1))
wire [63:0] msl2 = cfg_msl + cfg_msl;
/* verilator lint_on UNUSEDSIGNAL */

// MS-03/MS-05: peer MSS from the option (absent or 0 -> 536; 1..87 -> 88)
wire [15:0] c_mss_peer = (!seg_mss_valid || seg_mss == 16'd0) ? 16'd536 :
                         (seg_mss < 16'd88) ? 16'd88 : seg_mss;

// the timer stamps are `now` modulo 2^TCB_TIME_W (toe_tcb_layout.vh)
wire [TCB_TIME_W-1:0] now_t = now[TCB_TIME_W-1:0];
// this TCB's timer has expired: deadline <= now, as the modular difference
// now - deadline is below 2^(TCB_TIME_W - 1) (the deadline is never more
// than that ahead nor that far behind)
wire [TCB_TIME_W-1:0] dl_late = now_t - t_deadline;
wire c_tmr_due = tcb_valid && t_tmr != TMR_NONE && !dl_late[TCB_TIME_W-1];

// CA-06: the challenge-ACK rate limit, per connection
wire ca_reset = (now - t_ca_start) >= cfg_ca_window;
wire [63:0] c_ca_start_c = ca_reset ? now : t_ca_start;
wire [15:0] ca_count_c = ca_reset ? 16'd0 : t_ca_count;
wire c_ca_send = {16'd0, ca_count_c} < cfg_ca_limit;
// (no wrap: the limit is at most TOE_CFG_CA_LIMIT_MAX = 2^16 - 1)
wire [15:0] c_ca_count_n = ca_count_c + {15'd0, c_ca_send};

// retransmission give-up by state, and the next backed-off RTO
wire [63:0] giveup = (t_state == TOE_ST_SYN_SENT) ? cfg_syn_giveup :
                     (t_state == TOE_ST_SYN_RECEIVED) ? cfg_synack_giveup :
                     cfg_fin_giveup;
// deadline - first: the retransmission time so far, below 2^TCB_TIME_W
wire [TCB_TIME_W-1:0] rtx_time = t_deadline - t_first;
wire c_giveup_hit = {{(64 - TCB_TIME_W){1'b0}}, rtx_time} >= giveup;
// RTO <= RTO_MAX < 2^(TCB_TIME_W-1) (the configuration limit), so its
// double fits TCB_TIME_W bits and the compare is exact in them
wire [TCB_TIME_W-1:0] rto_x2 = {t_rto[TCB_TIME_W-2:0], 1'b0};
wire [TCB_TIME_W-1:0] c_rto_next = (rto_x2 > cfg_rto_max[TCB_TIME_W-1:0]) ?
                                   cfg_rto_max[TCB_TIME_W-1:0] : rto_x2;

// SO-01 (reference CHOICE): in SYN-RECEIVED reached from SYN-SENT, the
// peer's SYN-ACK is our own SYN's ACK plus its old SYN: trim the SYN
wire so_trim = t_state == TOE_ST_SYN_RECEIVED && !t_passive &&
               (seg_flags & (TOE_TCP_FIN | TOE_TCP_SYN | TOE_TCP_RST | TOE_TCP_ACK))
                   == (TOE_TCP_SYN | TOE_TCP_ACK) && seg_len == 16'd0 &&
               seg_seq + 32'd1 == t_rcv_nxt && seg_ack == t_nxt;
wire c_y_syn = s_syn && !so_trim;
// Under so_trim the segment is a bare SYN-ACK (SEG.LEN 0, no FIN) whose
// SEQ + 1 is RCV.NXT: the trimmed segment is empty and sits at RCV.NXT,
// so everything F and G derive from it is a constant or RCV.NXT (see the
// registers below). The chains are therefore built from SEG.SEQ alone, in
// parallel with so_trim's compare, and so_trim only picks at the end:
// that keeps its 32-bit compare out of the series of carry chains.
wire [31:0] c_y_seq = so_trim ? t_rcv_nxt : seg_seq;
// TIME-WAIT acceptability (no trimming, no allowance)
wire c_tw_ok = acceptable(seg_seq, s_seglen, t_rcv_nxt, wnd);
// A. with the CL-11 allowance (a bare FIN at RCV.NXT with RCV.WND = 0);
// under so_trim, acceptable(RCV.NXT, 0, RCV.NXT, wnd) holds for any wnd
wire c_y_ok = so_trim ||
              c_tw_ok || (wnd == 32'd0 && s_fin && seg_len == 16'd0 && seg_seq == t_rcv_nxt);

// F: the text, with what lies before RCV.NXT trimmed off (untrimmed y =
// SEG.SEQ; the so_trim case is picked at the registers). With
//   d = RCV.NXT - SEQ, fin_seq = SEQ + LEN, e = fin_seq - RCV.NXT = LEN - d:
//   p_off = before ? d : 0          p_len = LEN - p_off = before ? e : LEN
//   p_lt = p_len < wnd              p_n = p_lt ? p_len : wnd
//   RCV.NXT + p_n = p_lt ? (before ? fin_seq : RCV.NXT + LEN) : RCV.NXT + wnd
// so every sum below is one or two carry chains from registers, and the
// window compare picks among them (was: SEQ -> before -> p_off -> p_len
// -> p_n -> RCV.NXT + p_n -> the FIN compares, six chains in series).
wire p_before = seq_lt(seg_seq, t_rcv_nxt);
// (only p_off's low 16 bits are used: the offset into a <= 64 KiB text)
wire [15:0] p_d16 = t_rcv_nxt[15:0] - seg_seq[15:0];
wire [31:0] fin_seq = seg_seq + s_len;
wire [31:0] p_e = fin_seq - t_rcv_nxt;
wire [31:0] p_len = p_before ? p_e : s_len;
wire p_lt = p_before ? (p_e < wnd) : (s_len < wnd);
wire [31:0] rcv_len = t_rcv_nxt + s_len;
wire [31:0] rcv_wnd = t_rcv_nxt + wnd;
wire seq_ne_rcv = seg_seq != t_rcv_nxt;
// RCV.NXT after F (the text): where G reads it (nothing else moves it
// before G on that path)
wire [31:0] c_rcv_text = p_lt ? (p_before ? fin_seq : rcv_len) : rcv_wnd;
wire [31:0] c_rcv_text1 = p_lt ? (p_before ? fin_seq + 32'd1 : rcv_len + 32'd1)
                               : rcv_wnd + 32'd1;
// G: where the FIN sits, against RCV.NXT after F: fin_seq - (RCV.NXT +
// LEN) = SEQ - RCV.NXT when the whole text is taken from SEQ on
wire c_fin_ne_text = p_lt ? (!p_before && seq_ne_rcv) : fin_seq != rcv_wnd;
wire c_fin_gt_text = p_lt ? (!p_before && seq_gt(seg_seq, t_rcv_nxt))
                          : seq_gt(fin_seq, rcv_wnd);

// the ISS of a passive open: pinned or RFC 6528, raised to the TW-04 floor
wire [31:0] iss_c = pin_valid ? pin_isn : seg_isn;
wire [31:0] c_iss_passive = (floor_valid && seq_lt(iss_c, floor)) ? floor : iss_c;

// the ISS of an active open: pinned or RFC 6528
wire [31:0] c_iss_act = pin_valid ? pin_isn : cmd_isn;

// the registered values (stage D reads these, never the c_ wires)
reg tmr_due = 1'b0, giveup_hit = 1'b0, ca_send = 1'b0;
reg [63:0] ca_start_c = 64'd0;
reg [15:0] ca_count_n = 16'd0;
reg [TCB_TIME_W-1:0] rto_next = {TCB_TIME_W{1'b0}};
reg [TCB_TIME_W-1:0] dl_rto = {TCB_TIME_W{1'b0}}, dl_msl2 = {TCB_TIME_W{1'b0}};
reg [TCB_TIME_W-1:0] dl_backoff = {TCB_TIME_W{1'b0}};
reg [15:0] mss_peer = 16'd0;
reg y_syn = 1'b0, y_ok = 1'b0, tw_ok = 1'b0;
reg [31:0] y_seq = 32'd0;
reg dst_other = 1'b0;
reg ack_le_iss = 1'b0, ack_gt_nxt = 1'b0, ack_le_nxt = 1'b0, una_lt_ack = 1'b0;
reg ack_old = 1'b0, wnd_upd = 1'b0, win_gt_max = 1'b0;
reg ack_eq_nxt = 1'b0, una_eq_nxt = 1'b0;
reg seq_gt_rcv = 1'b0, tw_fin_rexmit = 1'b0, yseq_ne_rcv = 1'b0;
reg p_nz = 1'b0, p_ooo = 1'b0;
reg [15:0] p_off16 = 16'd0, p_n16 = 16'd0;
reg [31:0] rcv_text = 32'd0, rcv_text1 = 32'd0, rcv1 = 32'd0;
reg fin_ne_text = 1'b0, fin_ne_rcv = 1'b0, fin_gt_text = 1'b0, fin_gt_rcv = 1'b0;
reg [31:0] iss_passive = 32'd0, iss_passive1 = 32'd0, iss_act = 32'd0, iss_act1 = 32'd0;
reg pin_p = 1'b0;
reg [31:0] seq1 = 32'd0, seqlen = 32'd0;
reg [31:0] nxt1 = 32'd0, nxt_m1 = 32'd0, retrans1 = 32'd0, tw_floor = 32'd0;
reg new_ok_p = 1'b0, listen_hit_p = 1'b0;

always @(posedge clk) begin
    if (pre_en) begin
        tmr_due <= c_tmr_due;
        giveup_hit <= c_giveup_hit;
        ca_send <= c_ca_send;
        ca_start_c <= c_ca_start_c;
        ca_count_n <= c_ca_count_n;
        rto_next <= c_rto_next;
        dl_rto <= now_t + cfg_rto_init[TCB_TIME_W-1:0];
        dl_msl2 <= now_t + msl2[TCB_TIME_W-1:0];
        dl_backoff <= t_deadline + c_rto_next;
        mss_peer <= c_mss_peer;
        y_syn <= c_y_syn;
        y_ok <= c_y_ok;
        tw_ok <= c_tw_ok;
        y_seq <= c_y_seq;
        dst_other <= seg_dst_ip != cfg_local_ip;
        ack_le_iss <= seq_leq(seg_ack, t_iss);
        ack_gt_nxt <= seq_gt(seg_ack, t_nxt);
        ack_le_nxt <= seq_leq(seg_ack, t_nxt);
        una_lt_ack <= seq_lt(t_una, seg_ack);
        ack_old <= seq_lt(seg_ack, t_una - {16'd0, t_max_wnd});
        // the SND.WL1 / SND.WL2 rule of the window update
        wnd_upd <= seq_leq(t_una, seg_ack) &&
                   (seq_lt(t_wl1, c_y_seq) ||
                    (t_wl1 == c_y_seq && seq_leq(t_wl2, seg_ack)));
        win_gt_max <= seg_win > t_max_wnd;
        ack_eq_nxt <= seg_ack == t_nxt;
        una_eq_nxt <= t_una == t_nxt;
        seq_gt_rcv <= seq_gt(seg_seq, t_rcv_nxt);
        tw_fin_rexmit <= seg_seq + s_len + 32'd1 == t_rcv_nxt;
        yseq_ne_rcv <= !so_trim && seq_ne_rcv;
        p_nz <= !so_trim && p_len != 32'd0;
        p_ooo <= !so_trim && !p_before && seq_ne_rcv;
        p_off16 <= (!so_trim && p_before) ? p_d16 : 16'd0;
        p_n16 <= so_trim ? 16'd0 : p_lt ? p_len[15:0] : wnd[15:0];
        rcv_text <= so_trim ? t_rcv_nxt : c_rcv_text;
        rcv_text1 <= so_trim ? t_rcv_nxt + 32'd1 : c_rcv_text1;
        rcv1 <= t_rcv_nxt + 32'd1;
        fin_ne_text <= !so_trim && c_fin_ne_text;
        fin_ne_rcv <= !so_trim && fin_seq != t_rcv_nxt;
        fin_gt_text <= !so_trim && c_fin_gt_text;
        fin_gt_rcv <= !so_trim && seq_gt(fin_seq, t_rcv_nxt);
        iss_passive <= c_iss_passive;
        iss_passive1 <= c_iss_passive + 32'd1;
        iss_act <= c_iss_act;
        iss_act1 <= c_iss_act + 32'd1;
        pin_p <= pin_valid;
        seq1 <= seg_seq + 32'd1;
        seqlen <= seg_seq + s_seglen;
        nxt1 <= t_nxt + 32'd1;
        nxt_m1 <= t_nxt - 32'd1;
        retrans1 <= t_retrans + 32'd1;
        tw_floor <= t_nxt + 32'h0001_0000;
        new_ok_p <= new_ok;
        listen_hit_p <= listen_hit;
    end
end

// the arms below set these; what they mean is done once, at the end
reg chack;     // send a challenge ACK, rate-limited (CA-06)
reg need_ack;  // F/G want one <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (H)
reg done;      // "drop the segment and return": skip the later arms

always @* begin
    // ---- defaults: nothing changes ----
    n_state = t_state;       n_tmr = t_tmr;
    n_passive = t_passive;   n_cbu = t_cbu;          n_wr_shut = t_wr_shut;
    key_sel = KEY_KEEP;
    iss_sel = ISS_KEEP;      irs_sel = IRS_KEEP;
    una_sel = UNA_KEEP;      nxt_sel = NXT_KEEP;
    wnd_sel = WND_KEEP;      mwnd_sel = WND_KEEP;
    wl1_sel = WL1_KEEP;      wl2_sel = WL2_KEEP;
    rcv_sel = RCV_KEEP;      rcv_inc = 1'b0;     mss_sel = MSS_KEEP;
    dl_sel = DL_KEEP;        rto_sel = RTO_KEEP; first_sel = FIRST_KEEP;
    rtx_sel = RTX_KEEP;
    cas_sel = CAS_KEEP;      cac_sel = CAC_KEEP;

    again = 1'b0;
    out_valid = tcb_valid;
    do_write = 1'b0;
    do_delete = 1'b0;
    do_create = 1'b0;
    pin_consume = 1'b0;
    floor_out_valid = 1'b0;
    floor_out = 32'd0;

    tx_valid = 1'b0;
    tx_flags = 8'd0;
    txs_sel = TXS_ZERO;
    txa_sel = TXA_ZERO;
    tx_to_seg = 1'b0;
    tx_conn_valid = 1'b1;
    tx_conn = tcb_id;

    ev_valid = 3'b000;
    ev_type0 = TOE_EV_CLOSED;
    ev_type1 = TOE_EV_RX_DATA;
    ev_type2 = TOE_EV_PEER_FIN;
    ev_conn = tcb_id;
    ev_arg1 = 16'd0;

    pl_valid = 1'b0;
    pl_deliver = 1'b0;
    pl_off = 16'd0;
    pl_len = 16'd0;

    st_dropped = 1'b0;
    st_chack = 1'b0;
    st_chack_supp = 1'b0;
    st_retrans = 1'b0;
    st_table_full = 1'b0;
    st_tmr_inline = 1'b0;

    cmd_done = 1'b0;
    cmd_err = TOE_CMD_OK;
    cmd_conn = tcb_id;

    chack = 1'b0;
    need_ack = 1'b0;
    done = 1'b0;

    if (tmr_due) begin
        // ==== 0. this TCB's timer first (reference: timer_fire) ====
        again = 1'b1;
        st_tmr_inline = job != JOB_TMR;
        if (t_tmr == TMR_2MSL) begin
            // "If the time-wait timeout expires on a connection, delete
            // the TCB, enter the CLOSED state, and return."
            do_delete = 1'b1;
            out_valid = 1'b0;
            ev_valid[0] = 1'b1;
            ev_type0 = TOE_EV_CLOSED;
        end else if (giveup_hit) begin
            // R2 has passed (MUST-23, SHLD-11): give up; silently for a
            // listener's half-open connection the user never saw (HS-09,
            // as HS-08's RST)
            do_delete = 1'b1;
            out_valid = 1'b0;
            ev_valid[0] = !(t_state == TOE_ST_SYN_RECEIVED && t_passive);
            ev_type0 = TOE_EV_TIMEDOUT;
        end else begin
            // resend the SYN / SYN-ACK / FIN, back off (RFC 6298 5.5)
            tx_valid = 1'b1;
            if (t_state == TOE_ST_SYN_SENT) begin
                tx_flags = TOE_TCP_SYN;
                txs_sel = TXS_ISS;
            end else if (t_state == TOE_ST_SYN_RECEIVED) begin
                tx_flags = TOE_TCP_SYN | TOE_TCP_ACK;
                txs_sel = TXS_ISS;
                txa_sel = TXA_RCV;
            end else begin
                tx_flags = TOE_TCP_FIN | TOE_TCP_ACK;
                txs_sel = TXS_NXT_M1;
                txa_sel = TXA_RCV;
            end
            do_write = 1'b1;
            rtx_sel = RTX_INC;
            st_retrans = 1'b1;
            rto_sel = RTO_NEXT;
            dl_sel = DL_BACKOFF;
        end
    end else begin
        case (job)
        JOB_SEG: begin
            // ==== 1. a segment arrives ====
            pl_valid = 1'b1;
            if (dst_other) begin
                // not addressed to us at all
                st_dropped = 1'b1;
            end else if (!tcb_valid && listen_hit_p) begin
                // ---- 3.10.7.2 LISTEN ----
                tx_to_seg = 1'b1;
                tx_conn_valid = 1'b0;
                if (s_rst) begin
                    // "An incoming RST should be ignored." (HS-02)
                    st_dropped = 1'b1;
                end else if (s_ack) begin
                    // "<SEQ=SEG.ACK><CTL=RST>" (HS-03, HS-04)
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_RST;
                    txs_sel = TXS_ACK;
                end else if (!s_syn) begin
                    // "Fourth, other data or control ... drop" (HS-05)
                    st_dropped = 1'b1;
                end else if (!new_ok_p) begin
                    // table full: the SYN is dropped silently
                    st_dropped = 1'b1;
                    st_table_full = 1'b1;
                end else begin
                    // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ",
                    // "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>" (HS-01)
                    do_create = 1'b1;
                    out_valid = 1'b1;
                    pin_consume = pin_p;
                    n_state = TOE_ST_SYN_RECEIVED;
                    n_passive = 1'b1;     n_cbu = 1'b0;       n_wr_shut = 1'b0;
                    key_sel = KEY_SEG;
                    irs_sel = IRS_SEQ;
                    rcv_sel = RCV_SEQ1;
                    iss_sel = ISS_PASS;
                    una_sel = UNA_ISS_PASS;
                    nxt_sel = NXT_ISS_PASS1;
                    wnd_sel = WND_WIN;
                    mwnd_sel = WND_WIN;
                    wl1_sel = WL1_SEQ;
                    wl2_sel = WL2_ZERO;
                    mss_sel = MSS_SEG;
                    // rtx_start
                    n_tmr = TMR_RTX;
                    rto_sel = RTO_INIT;
                    first_sel = FIRST_NOW;
                    rtx_sel = RTX_ZERO;
                    dl_sel = DL_NOW_RTO;
                    cas_sel = CAS_NOW;
                    cac_sel = CAC_ZERO;
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_SYN | TOE_TCP_ACK;
                    txs_sel = TXS_ISS_PASS;
                    txa_sel = TXA_SEQ1;
                    tx_to_seg = 1'b0;
                    tx_conn_valid = 1'b1;
                    tx_conn = new_id;
                end
            end else if (!tcb_valid) begin
                // ---- 3.10.7.1 CLOSED (no TCB) ----
                tx_to_seg = 1'b1;
                tx_conn_valid = 1'b0;
                if (s_rst) begin
                    // "An incoming segment containing a RST is discarded."
                    st_dropped = 1'b1;
                end else if (s_ack) begin
                    // "<SEQ=SEG.ACK><CTL=RST>" (RG-01)
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_RST;
                    txs_sel = TXS_ACK;
                end else begin
                    // "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" (RG-02)
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_RST | TOE_TCP_ACK;
                    txa_sel = TXA_SEQLEN;
                end
            end else if (t_state == TOE_ST_SYN_SENT) begin
                // ---- 3.10.7.3 SYN-SENT ----
                if (s_ack && (ack_le_iss || ack_gt_nxt)) begin
                    // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
                    // (unless the RST bit is set, if so drop the segment)"
                    if (s_rst) begin
                        st_dropped = 1'b1; // AO-06
                    end else begin
                        tx_valid = 1'b1;   // AO-03
                        tx_flags = TOE_TCP_RST;
                        txs_sel = TXS_ACK;
                        tx_to_seg = 1'b1;
                    end
                end else if (s_rst) begin
                    // "If the ACK was acceptable then signal ... reset";
                    // "Otherwise (no ACK), drop the segment"
                    if (s_ack) begin
                        do_delete = 1'b1; // AO-04
                        out_valid = 1'b0;
                        ev_valid[0] = 1'b1;
                        ev_type0 = TOE_EV_REFUSED;
                    end else begin
                        st_dropped = 1'b1; // AO-05
                    end
                end else if (!s_syn) begin
                    // "if neither of the SYN or RST bits is set, drop" (AO-07)
                    st_dropped = 1'b1;
                end else begin
                    // "RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ"
                    do_write = 1'b1;
                    irs_sel = IRS_SEQ;
                    rcv_sel = RCV_SEQ1;
                    mss_sel = MSS_SEG;
                    wnd_sel = WND_WIN;
                    mwnd_sel = WND_WIN;
                    wl1_sel = WL1_SEQ;
                    wl2_sel = WL2_ACK;
                    tx_valid = 1'b1;
                    if (s_ack) begin
                        // "change the connection state to ESTABLISHED,
                        // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" (AO-02)
                        una_sel = UNA_ACK;
                        n_state = TOE_ST_ESTABLISHED;
                        n_tmr = TMR_NONE;
                        tx_flags = TOE_TCP_ACK;
                        txs_sel = TXS_NXT;
                        txa_sel = TXA_SEQ1;
                        ev_valid[0] = 1'b1;
                        ev_type0 = TOE_EV_ESTABLISHED;
                    end else begin
                        // "enter SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT>
                        // <CTL=SYN,ACK>" (SO-01); the timer restarts
                        n_state = TOE_ST_SYN_RECEIVED;
                        n_passive = 1'b0;
                        wl2_sel = WL2_ZERO;
                        n_tmr = TMR_RTX;
                        rto_sel = RTO_INIT;
                        first_sel = FIRST_NOW;
                        rtx_sel = RTX_ZERO;
                        dl_sel = DL_NOW_RTO;
                        tx_flags = TOE_TCP_SYN | TOE_TCP_ACK;
                        txs_sel = TXS_ISS;
                        txa_sel = TXA_SEQ1;
                    end
                end
            end else if (t_state == TOE_ST_TIME_WAIT) begin
                // ---- TIME-WAIT (RFC 1337, RFC 5961) ----
                if (s_rst) begin
                    // TW-03: "ignore RST segments in TIME-WAIT state"
                    st_dropped = 1'b1;
                end else if (s_syn) begin
                    if (!s_ack && seq_gt_rcv && listen_hit_p) begin
                        // TW-04 (MAY-2): reopen; the old id ends with
                        // CLOSED, then a passive open with the ISN floor
                        do_delete = 1'b1;
                        out_valid = 1'b0;
                        ev_valid[0] = 1'b1;
                        ev_type0 = TOE_EV_CLOSED;
                        floor_out_valid = 1'b1;
                        floor_out = tw_floor;
                        again = 1'b1;
                        pl_valid = 1'b0;
                    end else begin
                        // challenge ACK (rate-limited)
                        chack = 1'b1;
                    end
                end else if (!tw_ok) begin
                    // "an acknowledgment should be sent in reply"; a
                    // retransmitted FIN also restarts 2MSL (TW-02)
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_ACK;
                    txs_sel = TXS_NXT;
                    txa_sel = TXA_RCV;
                    if (s_fin && tw_fin_rexmit) begin
                        do_write = 1'b1;
                        rtx_sel = RTX_ZERO;
                        n_tmr = TMR_2MSL;
                        dl_sel = DL_NOW_MSL2;
                    end
                end else begin
                    // acceptable: nothing new can arrive after the FIN
                    st_dropped = 1'b1;
                end
            end else begin
                // ---- 3.10.7.4 synchronized states, SYN-RECEIVED .. LAST-ACK ----
                if (!y_ok) begin
                    // A. not acceptable
                    if (s_rst) begin
                        st_dropped = 1'b1; // RA-03
                    end else if (y_syn) begin
                        // CA-01: challenge ACK (rate-limited)
                        chack = 1'b1;
                    end else begin
                        // CA-04: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
                        tx_valid = 1'b1;
                        tx_flags = TOE_TCP_ACK;
                        txs_sel = TXS_NXT;
                        txa_sel = TXA_RCV;
                    end
                end else if (s_rst) begin
                    // B. RST (RFC 5961 3.2)
                    if (yseq_ne_rcv) begin
                        // RA-02: in window, not exact: challenge ACK
                        chack = 1'b1;
                    end else begin
                        // exact: reset the connection, by state
                        do_delete = 1'b1;
                        out_valid = 1'b0;
                        case (t_state)
                            TOE_ST_SYN_RECEIVED: begin
                                // HS-08 (passive: silently) / SO-02 (REFUSED)
                                ev_valid[0] = !t_passive;
                                ev_type0 = TOE_EV_REFUSED;
                            end
                            TOE_ST_ESTABLISHED, TOE_ST_FIN_WAIT_1,
                            TOE_ST_FIN_WAIT_2, TOE_ST_CLOSE_WAIT: begin
                                ev_valid[0] = 1'b1; // RA-01
                                ev_type0 = TOE_EV_RESET;
                            end
                            default: begin
                                // CLOSING, LAST-ACK: "enter the CLOSED state"
                                ev_valid[0] = 1'b1;
                                ev_type0 = TOE_EV_CLOSED;
                            end
                        endcase
                    end
                end else if (y_syn) begin
                    if (t_state == TOE_ST_SYN_RECEIVED && t_passive) begin
                        // HS-10: RFC 9293 3.10.7.4, fourth check: "If the
                        // connection was initiated with a passive OPEN, then
                        // return this connection to the LISTEN state and
                        // return": the half-open connection goes, nothing is
                        // sent, the user is not told (as HS-08's RST)
                        do_delete = 1'b1;
                        out_valid = 1'b0;
                    end else begin
                        // C. SYN in a synchronized state (or SYN-RECEIVED of
                        // an active open): challenge ACK (rate-limited),
                        // drop (CA-01)
                        chack = 1'b1;
                    end
                end else if (!s_ack) begin
                    // D. "if the ACK bit is off, drop the segment" (CA-05)
                    st_dropped = 1'b1;
                end else begin
                    // E. ACK processing, one arm per state
                    do_write = 1'b1;
                    if (t_state == TOE_ST_SYN_RECEIVED) begin
                        if (!(una_lt_ack && ack_le_nxt)) begin
                            // HS-07: <SEQ=SEG.ACK><CTL=RST>
                            tx_valid = 1'b1;
                            tx_flags = TOE_TCP_RST;
                            txs_sel = TXS_ACK;
                            tx_to_seg = 1'b1;
                            done = 1'b1;
                        end else begin
                            // HS-06: "enter ESTABLISHED state and continue"
                            n_state = TOE_ST_ESTABLISHED;
                            una_sel = UNA_ACK;
                            wnd_sel = WND_WIN;
                            if (win_gt_max) begin
                                mwnd_sel = WND_WIN;
                            end
                            wl1_sel = WL1_YSEQ;
                            wl2_sel = WL2_ACK;
                            n_tmr = TMR_NONE;
                            ev_valid[0] = 1'b1;
                            ev_type0 = TOE_EV_ESTABLISHED;
                        end
                    end else if (ack_gt_nxt) begin
                        // CA-02: acks something not yet sent: ACK, drop
                        tx_valid = 1'b1;
                        tx_flags = TOE_TCP_ACK;
                        txs_sel = TXS_NXT;
                        txa_sel = TXA_RCV;
                        done = 1'b1;
                    end else if (ack_old) begin
                        // CA-03: older than SND.UNA - MAX.SND.WND: challenge
                        chack = 1'b1;
                        done = 1'b1;
                    end else begin
                        // window update (SND.WL1 / SND.WL2 rule)
                        if (wnd_upd) begin
                            wnd_sel = WND_WIN;
                            if (win_gt_max) begin
                                mwnd_sel = WND_WIN;
                            end
                            wl1_sel = WL1_YSEQ;
                            wl2_sel = WL2_ACK;
                        end
                        // "If SND.UNA < SEG.ACK =< SND.NXT, set SND.UNA <-
                        // SEG.ACK"; duplicates ignored (CL-08)
                        if (una_lt_ack) begin
                            una_sel = UNA_ACK;
                        end
                        case (t_state)
                            TOE_ST_FIN_WAIT_1: begin
                                // our FIN acked -> FIN-WAIT-2 (CL-02)
                                if ((una_lt_ack ? ack_eq_nxt : una_eq_nxt)) begin
                                    n_state = TOE_ST_FIN_WAIT_2;
                                    n_tmr = TMR_NONE;
                                end
                            end
                            TOE_ST_CLOSING: begin
                                // FIN acked -> TIME-WAIT; else ignore (CL-03)
                                if ((una_lt_ack ? ack_eq_nxt : una_eq_nxt)) begin
                                    n_state = TOE_ST_TIME_WAIT;
                                    rtx_sel = RTX_ZERO;
                                    n_tmr = TMR_2MSL;
                                    dl_sel = DL_NOW_MSL2;
                                end
                                done = 1'b1;
                            end
                            TOE_ST_LAST_ACK: begin
                                // FIN acked -> delete, CLOSED (CL-06)
                                if ((una_lt_ack ? ack_eq_nxt : una_eq_nxt)) begin
                                    do_write = 1'b0;
                                    do_delete = 1'b1;
                                    out_valid = 1'b0;
                                    ev_valid[0] = 1'b1;
                                    ev_type0 = TOE_EV_CLOSED;
                                    done = 1'b1;
                                end
                            end
                            default: begin
                            end
                        endcase
                    end

                    // F. the segment text (ESTABLISHED, FIN-WAIT-1/2 only)
                    if (!done && seg_len != 16'd0 &&
                        (n_state == TOE_ST_ESTABLISHED ||
                         n_state == TOE_ST_FIN_WAIT_1 ||
                         n_state == TOE_ST_FIN_WAIT_2)) begin
                        if (p_nz && p_ooo) begin
                            // out of order: no buffer, duplicate ACK (MAY-13)
                            tx_valid = 1'b1;
                            tx_flags = TOE_TCP_ACK;
                            txs_sel = TXS_NXT;
                            txa_sel = TXA_RCV;
                            done = 1'b1;
                        end else if (p_nz && t_cbu) begin
                            // CL-10: data after close(): <SEQ=SND.NXT><CTL=RST>
                            tx_valid = 1'b1;
                            tx_flags = TOE_TCP_RST;
                            txs_sel = TXS_NXT;
                            do_write = 1'b0;
                            do_delete = 1'b1;
                            out_valid = 1'b0;
                            ev_valid[1] = 1'b1;
                            ev_type1 = TOE_EV_RESET;
                            done = 1'b1;
                        end else if (p_nz && !rx_ready) begin
                            // user stream full: drop, no ACK
                            st_dropped = 1'b1;
                            done = 1'b1;
                        end else if (p_nz) begin
                            // deliver what fits in RCV.WND, advance RCV.NXT
                            pl_deliver = 1'b1;
                            pl_off = p_off16;
                            pl_len = p_n16;
                            ev_valid[1] = 1'b1;
                            ev_type1 = TOE_EV_RX_DATA;
                            ev_arg1 = p_n16;
                            rcv_sel = RCV_TEXT;
                            need_ack = 1'b1;
                        end
                    end

                    // G. the FIN, once everything before it was accepted
                    if (!done && s_fin) begin
                        if (rcv_sel == RCV_TEXT ? fin_ne_text : fin_ne_rcv) begin
                            // out-of-order FIN: duplicate ACK
                            if (rcv_sel == RCV_TEXT ? fin_gt_text : fin_gt_rcv) begin
                                need_ack = 1'b1;
                            end
                        end else begin
                            case (n_state)
                                TOE_ST_SYN_RECEIVED, TOE_ST_ESTABLISHED: begin
                                    n_state = TOE_ST_CLOSE_WAIT; // CL-05
                                    rcv_inc = 1'b1;
                                    ev_valid[2] = 1'b1;
                                end
                                TOE_ST_FIN_WAIT_1: begin
                                    n_state = TOE_ST_CLOSING; // CL-03
                                    rcv_inc = 1'b1;
                                    ev_valid[2] = 1'b1;
                                end
                                TOE_ST_FIN_WAIT_2: begin
                                    n_state = TOE_ST_TIME_WAIT; // CL-02
                                    rtx_sel = RTX_ZERO;
                                    n_tmr = TMR_2MSL;
                                    dl_sel = DL_NOW_MSL2;
                                    rcv_inc = 1'b1;
                                    ev_valid[2] = 1'b1;
                                end
                                default: begin
                                    // CLOSE-WAIT, CLOSING, LAST-ACK: just ACK
                                end
                            endcase
                            need_ack = 1'b1;
                        end
                    end

                    // H. one <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> per segment
                    if (!done && need_ack) begin
                        tx_valid = 1'b1;
                        tx_flags = TOE_TCP_ACK;
                        txs_sel = TXS_NXT;
                        txa_sel = TXA_NRCV;
                    end
                end
            end
        end

        JOB_TMR: begin
            // ==== 2. the scanner's hint was stale: nothing due ====
        end

        JOB_CONNECT: begin
            // ==== 3. OPEN: "<SEQ=ISS><CTL=SYN>", SND.UNA=ISS, SND.NXT=ISS+1 ====
            cmd_done = 1'b1;
            if (cmd_lport == 16'd0 || cmd_rport == 16'd0 || cmd_rip == 32'd0) begin
                cmd_err = TOE_CMD_EINVAL;
            end else if (tcb_valid) begin
                cmd_err = TOE_CMD_EADDRINUSE;
            end else if (!new_ok_p) begin
                cmd_err = TOE_CMD_ENOMEM;
                st_table_full = 1'b1;
            end else begin
                do_create = 1'b1;
                out_valid = 1'b1;
                cmd_conn = new_id;
                pin_consume = pin_p;
                n_state = TOE_ST_SYN_SENT;
                n_passive = 1'b0;     n_cbu = 1'b0;       n_wr_shut = 1'b0;
                key_sel = KEY_CMD;
                iss_sel = ISS_ACT;
                irs_sel = IRS_ZERO;
                una_sel = UNA_ISS_ACT;
                nxt_sel = NXT_ISS_ACT1;
                wnd_sel = WND_ZERO;
                mwnd_sel = WND_ZERO;
                wl1_sel = WL1_ZERO;
                wl2_sel = WL2_ZERO;
                rcv_sel = RCV_ZERO;
                mss_sel = MSS_536;
                n_tmr = TMR_RTX;
                rto_sel = RTO_INIT;
                first_sel = FIRST_NOW;
                rtx_sel = RTX_ZERO;
                dl_sel = DL_NOW_RTO;
                cas_sel = CAS_NOW;
                cac_sel = CAC_ZERO;
                tx_valid = 1'b1;
                tx_flags = TOE_TCP_SYN;
                txs_sel = TXS_ISS_ACT;
                tx_conn = new_id;
            end
        end

        JOB_CLOSE, JOB_SHUT: begin
            // ==== close() / shutdown(SHUT_WR): the same FIN transitions ====
            cmd_done = 1'b1;
            if (!tcb_valid) begin
                cmd_err = TOE_CMD_ENOTCONN;
            end else begin
                do_write = 1'b1;
                if (job == JOB_CLOSE) begin
                    n_cbu = 1'b1;
                end
                if (t_wr_shut) begin
                    // CL-01: never a second FIN
                end else if (t_state == TOE_ST_SYN_SENT) begin
                    if (job == JOB_SHUT) begin
                        cmd_err = TOE_CMD_ESTATE;
                    end else begin
                        // AO-08: delete, nothing sent
                        do_write = 1'b0;
                        do_delete = 1'b1;
                        out_valid = 1'b0;
                    end
                end else if (t_state == TOE_ST_SYN_RECEIVED ||
                             t_state == TOE_ST_ESTABLISHED ||
                             t_state == TOE_ST_CLOSE_WAIT) begin
                    // "form a FIN segment and send it": FIN-WAIT-1, or
                    // LAST-ACK from CLOSE-WAIT; <SEQ=SND.NXT><CTL=FIN,ACK>
                    n_state = (t_state == TOE_ST_CLOSE_WAIT) ?
                              TOE_ST_LAST_ACK : TOE_ST_FIN_WAIT_1;
                    n_wr_shut = 1'b1;
                    nxt_sel = NXT_INC;
                    n_tmr = TMR_RTX;
                    rto_sel = RTO_INIT;
                    first_sel = FIRST_NOW;
                    rtx_sel = RTX_ZERO;
                    dl_sel = DL_NOW_RTO;
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_FIN | TOE_TCP_ACK;
                    txs_sel = TXS_NXT;
                    txa_sel = TXA_RCV;
                end
            end
        end

        JOB_ABORT: begin
            // ==== ABORT (RG-04) ====
            cmd_done = 1'b1;
            if (!tcb_valid) begin
                cmd_err = TOE_CMD_ENOTCONN;
            end else begin
                do_delete = 1'b1;
                out_valid = 1'b0;
                if (t_state >= TOE_ST_SYN_RECEIVED && t_state <= TOE_ST_CLOSE_WAIT) begin
                    // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
                    tx_valid = 1'b1;
                    tx_flags = TOE_TCP_RST;
                    txs_sel = TXS_NXT;
                end
            end
        end

        JOB_FIXTURE: begin
            // ==== test fixture: a TCB straight into a state ====
            cmd_done = 1'b1;
            if (fx_state < TOE_ST_SYN_SENT || fx_state > TOE_ST_TIME_WAIT) begin
                cmd_err = TOE_CMD_EINVAL;
            end else if (tcb_valid) begin
                cmd_err = TOE_CMD_EADDRINUSE;
            end else if (!new_ok_p) begin
                cmd_err = TOE_CMD_ENOMEM;
                st_table_full = 1'b1;
            end else begin
                do_create = 1'b1;
                out_valid = 1'b1;
                cmd_conn = new_id;
                n_state = fx_state;
                n_passive = fx_passive;
                n_cbu = fx_cbu;
                n_wr_shut = fx_wr_shut || fx_cbu ||
                            fx_state == TOE_ST_FIN_WAIT_1 ||
                            fx_state == TOE_ST_FIN_WAIT_2 ||
                            fx_state == TOE_ST_CLOSING ||
                            fx_state == TOE_ST_LAST_ACK ||
                            fx_state == TOE_ST_TIME_WAIT;
                key_sel = KEY_CMD;
                iss_sel = ISS_FX;
                irs_sel = IRS_FX;
                una_sel = UNA_FX;
                nxt_sel = NXT_FX;
                wnd_sel = WND_FX;
                mwnd_sel = WND_FX;
                wl1_sel = WL1_FX;
                wl2_sel = WL2_FX;
                rcv_sel = RCV_FX;
                mss_sel = MSS_FX;
                rto_sel = RTO_ZERO;
                first_sel = FIRST_ZERO;
                dl_sel = DL_ZERO;
                rtx_sel = RTX_ZERO;
                cas_sel = CAS_NOW;
                cac_sel = CAC_ZERO;
                n_tmr = TMR_NONE;
                if (fx_state == TOE_ST_SYN_SENT || fx_state == TOE_ST_SYN_RECEIVED ||
                    fx_state == TOE_ST_FIN_WAIT_1 || fx_state == TOE_ST_CLOSING ||
                    fx_state == TOE_ST_LAST_ACK) begin
                    n_tmr = TMR_RTX;
                    rto_sel = RTO_INIT;
                    first_sel = FIRST_NOW;
                    dl_sel = DL_NOW_RTO;
                end else if (fx_state == TOE_ST_TIME_WAIT) begin
                    n_tmr = TMR_2MSL;
                    dl_sel = DL_NOW_MSL2;
                end
            end
        end

        default: begin
        end
        endcase
    end

    // CA-06: "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" unless this connection
    // already sent cfg_ca_limit of them in the current window
    if (chack) begin
        do_write = 1'b1;
        cas_sel = CAS_C;
        cac_sel = CAC_INC;
        if (ca_send) begin
            tx_valid = 1'b1;
            tx_flags = TOE_TCP_ACK;
            txs_sel = TXS_NXT;
            txa_sel = TXA_RCV;
            st_chack = 1'b1;
        end else begin
            st_chack_supp = 1'b1;
            st_dropped = 1'b1;
        end
    end
end

// ---- the values the select codes pick ----
always @* begin
    case (key_sel)
        KEY_SEG: begin
            n_lport = seg_dst_port; n_rip = seg_src_ip;
            n_rport = seg_src_port; n_rmac = seg_src_mac;
        end
        KEY_CMD: begin
            n_lport = cmd_lport; n_rip = cmd_rip;
            n_rport = cmd_rport; n_rmac = cmd_rmac;
        end
        default: begin
            n_lport = t_lport; n_rip = t_rip;
            n_rport = t_rport; n_rmac = t_rmac;
        end
    endcase
    case (iss_sel)
        ISS_ACT:  n_iss = iss_act;
        ISS_PASS: n_iss = iss_passive;
        ISS_FX:   n_iss = fx_iss;
        default:  n_iss = t_iss;
    endcase
    case (irs_sel)
        IRS_SEQ:  n_irs = seg_seq;
        IRS_FX:   n_irs = fx_irs;
        IRS_ZERO: n_irs = 32'd0;
        default:  n_irs = t_irs;
    endcase
    case (una_sel)
        UNA_ACK:      n_una = seg_ack;
        UNA_ISS_ACT:  n_una = iss_act;
        UNA_ISS_PASS: n_una = iss_passive;
        UNA_FX:       n_una = fx_snd_una;
        default:      n_una = t_una;
    endcase
    case (nxt_sel)
        NXT_INC:       n_nxt = nxt1;
        NXT_ISS_ACT1:  n_nxt = iss_act1;
        NXT_ISS_PASS1: n_nxt = iss_passive1;
        NXT_FX:        n_nxt = fx_snd_nxt;
        default:       n_nxt = t_nxt;
    endcase
    case (wnd_sel)
        WND_WIN:  n_wnd = seg_win;
        WND_FX:   n_wnd = fx_snd_wnd;
        WND_ZERO: n_wnd = 16'd0;
        default:  n_wnd = t_wnd;
    endcase
    case (mwnd_sel)
        WND_WIN:  n_max_wnd = seg_win;
        WND_FX:   n_max_wnd = fx_snd_wnd;
        WND_ZERO: n_max_wnd = 16'd0;
        default:  n_max_wnd = t_max_wnd;
    endcase
    case (wl1_sel)
        WL1_YSEQ: n_wl1 = y_seq;
        WL1_SEQ:  n_wl1 = seg_seq;
        WL1_FX:   n_wl1 = fx_irs;
        WL1_ZERO: n_wl1 = 32'd0;
        default:  n_wl1 = t_wl1;
    endcase
    case (wl2_sel)
        WL2_ACK:  n_wl2 = seg_ack;
        WL2_FX:   n_wl2 = fx_snd_una;
        WL2_ZERO: n_wl2 = 32'd0;
        default:  n_wl2 = t_wl2;
    endcase
    // G's +1 for the FIN comes only after F (RCV_TEXT) or none (KEEP)
    case (rcv_sel)
        RCV_SEQ1: n_rcv_nxt = seq1;
        RCV_TEXT: n_rcv_nxt = rcv_inc ? rcv_text1 : rcv_text;
        RCV_FX:   n_rcv_nxt = fx_rcv_nxt;
        RCV_ZERO: n_rcv_nxt = 32'd0;
        default:  n_rcv_nxt = rcv_inc ? rcv1 : t_rcv_nxt;
    endcase
    case (mss_sel)
        MSS_SEG: n_peer_mss = mss_peer;
        MSS_536: n_peer_mss = 16'd536;
        MSS_FX:  n_peer_mss = (fx_peer_mss == 16'd0) ? 16'd536 : fx_peer_mss;
        default: n_peer_mss = t_peer_mss;
    endcase
    case (dl_sel)
        DL_NOW_RTO:  n_deadline = dl_rto;
        DL_NOW_MSL2: n_deadline = dl_msl2;
        DL_BACKOFF:  n_deadline = dl_backoff;
        DL_ZERO:     n_deadline = {TCB_TIME_W{1'b0}};
        default:     n_deadline = t_deadline;
    endcase
    case (rto_sel)
        RTO_INIT: n_rto = cfg_rto_init[TCB_TIME_W-1:0];
        RTO_NEXT: n_rto = rto_next;
        RTO_ZERO: n_rto = {TCB_TIME_W{1'b0}};
        default:  n_rto = t_rto;
    endcase
    case (first_sel)
        FIRST_NOW:  n_first = now_t;
        FIRST_ZERO: n_first = {TCB_TIME_W{1'b0}};
        default:    n_first = t_first;
    endcase
    case (rtx_sel)
        RTX_INC:  n_retrans = retrans1;
        RTX_ZERO: n_retrans = 32'd0;
        default:  n_retrans = t_retrans;
    endcase
    case (cas_sel)
        CAS_NOW: n_ca_start = now;
        CAS_C:   n_ca_start = ca_start_c;
        default: n_ca_start = t_ca_start;
    endcase
    case (cac_sel)
        CAC_INC:  n_ca_count = ca_count_n;
        CAC_ZERO: n_ca_count = 16'd0;
        default:  n_ca_count = t_ca_count;
    endcase
    case (txs_sel)
        TXS_NXT:      tx_seq = t_nxt;
        TXS_NXT_M1:   tx_seq = nxt_m1;
        TXS_ACK:      tx_seq = seg_ack;
        TXS_ISS:      tx_seq = t_iss;
        TXS_ISS_ACT:  tx_seq = iss_act;
        TXS_ISS_PASS: tx_seq = iss_passive;
        default:      tx_seq = 32'd0;
    endcase
    case (txa_sel)
        TXA_RCV:    tx_ack = t_rcv_nxt;
        TXA_SEQ1:   tx_ack = seq1;
        TXA_SEQLEN: tx_ack = seqlen;
        TXA_NRCV:   tx_ack = n_rcv_nxt;
        default:    tx_ack = 32'd0;
    endcase
end

endmodule

`resetall
