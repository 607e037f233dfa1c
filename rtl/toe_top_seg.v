// SPDX-License-Identifier: MIT
//
// toe_top_seg.v - the engine's segment front end, between the receive
// parser and the connection core: queues the parsed headers, gives each
// good TCP segment the RFC 6528 ISN of its 4-tuple, drops (and reports) the
// frames the parser rejected, and tells the payload gate, in header order,
// what to do with each payload packet. It also hashes the tuples of active
// opens (the core's isn_req/isn_rsp): one SipHash-2-4 pipeline serves all.
//
//   parser s_axis beats (tap) ─► early tuple ─► SipHash ─► early table ─┐
//   parser m_hdr ─► header queue ─► [ISN = M + hash] ───────────────────┴─► m_seg (core)
//                                  └─► drop (reason) / payload jobs (gate)
//   core isn_req ─► SipHash ─► isn_rsp (M at the command's take + hash)
//
// ISN = M + low 32 bits of SipHash-2-4(key, local_ip | local_port |
// remote_ip | remote_port), M the 4 us clock in the cycle the core takes
// the segment (the core latches `now` in the same cycle), so the ISN is the
// one toe_ref_isn gives for that `now`. Only SYNs without ACK (the only
// segments that can open a connection) wait for their hash;
// other segments pass at once (in order: the queue is a FIFO).
//
// Early hashing: the tuple is known at beat 4 of a frame (bytes 26..37 with
// a 20-byte IPv4 header; with IPv4 options the ports come later, at beat
// (17 + 4 * IHL) / 8), long before the parser's header (2 cycles after the
// last beat), so the hash is started right there, for every frame that
// gets to that beat, and its result waits in the early table beside the
// tuple and the frame's number. The header of frame k (headers come one
// per frame, in order) takes entry k if the tuples match. No entry (no
// credit in the table, or not IPv4), or a mismatch: the hash is computed
// then from the header's tuple (late path, a pipeline latency more). Entries of frames that did not need them are dropped as the
// header count passes them.
//
// SipHash inputs, by priority: early (tied to the beat), active open,
// late. The output is never stalled (early results have a reserved table
// slot, the other two one outstanding request each). With the pipelined
// unit (ITERATE 0) its s_ready stays high, so an early start could be lost
// only for want of a table slot, which EARLY_LOG2 > HDR_LOG2 rules out.
//
// With the iterative unit (ITERATE 1, HR_PER_STAGE 4: one hash per 5
// cycles, latency 6) an active-open or late hash starts only when no early
// start can fall within the next 4 cycles: between frames with no beat on
// the tap (the next ports beat is then at least 5 cycles away) or once the
// current frame's ports beat has passed or cannot come (IHL known, not
// IPv4). Two early starts are at least 6 beats apart (a frame's ports beat
// is >= 4, and a frame ends at least a beat after its ports), so an early
// start never finds the unit busy (checked in simulation). What that
// costs: an active open or a late hash waits at most for the rest of a
// frame's first ports beat; back-to-back minimum frames leave it a window
// in every frame.

`timescale 1ns / 1ps
`default_nettype none

// Header queue, ISN (early/late SipHash), drops and payload jobs.
module toe_top_seg #(
    // SipHash half-rounds per pipeline stage (1, 2, 4): latency 17, 9, 5
    // (pipelined)
    parameter HR_PER_STAGE = 1,
    // 0: pipelined SipHash (one hash per cycle); 1: iterative (latency 6,
    // one hash per 5 cycles, a quarter of the adders; needs HR_PER_STAGE 4)
    parameter ITERATE = 0,
    // log2 of the header queue depth
    parameter HDR_LOG2 = 4,
    // log2 of the early hash table depth: more entries than frames can be
    // between the tap and the head of the header queue (2^HDR_LOG2 + the
    // parser's 2 + the one arriving), so an early start never lacks a slot
    // and a SYN's ISN timing does not depend on the traffic before it
    parameter EARLY_LOG2 = 5
) (
    input  wire         clk,
    input  wire         rst,

    // tap: every beat the parser takes
    input  wire         tap_valid,
    input  wire [63:0]  tap_data,
    input  wire         tap_last,

    // parsed headers
    input  wire         s_hdr_valid,
    output wire         s_hdr_ready,
    input  wire [3:0]   s_hdr_reason,
    input  wire [47:0]  s_hdr_src_mac,
    input  wire [31:0]  s_hdr_src_ip,
    input  wire [31:0]  s_hdr_dst_ip,
    input  wire [15:0]  s_hdr_src_port,
    input  wire [15:0]  s_hdr_dst_port,
    input  wire [31:0]  s_hdr_seq,
    input  wire [31:0]  s_hdr_ack,
    input  wire [7:0]   s_hdr_flags,
    input  wire [15:0]  s_hdr_win,
    input  wire         s_hdr_mss_valid,
    input  wire [15:0]  s_hdr_mss,
    input  wire [15:0]  s_hdr_len,
    input  wire         s_hdr_pay_pkt,

    // ISN inputs: the key (ISN_KEY registers) and the 4 us clock
    input  wire [127:0] isn_key,
    input  wire         m_valid,
    input  wire [31:0]  m_cur,
    input  wire [31:0]  local_ip,

    // active opens: the core's ISN request; cmd_take marks the cycle the
    // core took the command (its `now`)
    input  wire         cmd_take,
    input  wire         act_req_valid,
    output wire         act_req_ready,
    input  wire [15:0]  act_lport,
    input  wire [31:0]  act_rip,
    input  wire [15:0]  act_rport,
    output reg          act_rsp_valid,
    output reg  [31:0]  act_rsp_isn,

    // good TCP segments to the core
    output wire         m_seg_valid,
    input  wire         m_seg_ready,
    output wire [47:0]  m_seg_src_mac,
    output wire [31:0]  m_seg_src_ip,
    output wire [31:0]  m_seg_dst_ip,
    output wire [15:0]  m_seg_src_port,
    output wire [15:0]  m_seg_dst_port,
    output wire [31:0]  m_seg_seq,
    output wire [31:0]  m_seg_ack,
    output wire [7:0]   m_seg_flags,
    output wire [15:0]  m_seg_win,
    output wire         m_seg_mss_valid,
    output wire [15:0]  m_seg_mss,
    output wire [15:0]  m_seg_len,
    output wire [31:0]  m_seg_isn,
    // the segment m_seg offers in the next cycle, if any: when m_pf_valid,
    // a segment the core takes in the next cycle has the key m_pf_key
    // ({src port, src ip, dst port}, the core's lookup key), so the core
    // can look it up a cycle early (toe_tcb_core, "lookup prefetch")
    output wire         m_pf_valid,
    output wire [63:0]  m_pf_key,

    // a frame dropped by the parser, with its reason (1..14)
    output wire         drop_valid,
    output wire [3:0]   drop_reason,

    // payload jobs for toe_pay_gate, in header order
    output wire         m_job_valid,
    input  wire         m_job_ready,
    output wire         m_job_fwd,
    output wire         m_job_pkt,
    output wire [13:0]  m_job_beats,

    // no header queued, no hash outstanding for one
    output wire         idle
);

localparam ED = 1 << EARLY_LOG2;
localparam [1:0] K_EARLY = 2'd0, K_LATE = 2'd1, K_ACT = 2'd2;

initial begin
    if (ITERATE != 0 && (ITERATE != 1 || HR_PER_STAGE != 4)) begin
        $error("%m: ITERATE (%0d) must be 0, or 1 with HR_PER_STAGE 4 (%0d)",
               ITERATE, HR_PER_STAGE);
        $finish;
    end
    if (HDR_LOG2 < 1 || EARLY_LOG2 < 1 || EARLY_LOG2 > 6 || EARLY_LOG2 <= HDR_LOG2) begin
        $error("%m: HDR_LOG2 (%0d) must be >= 1, EARLY_LOG2 (%0d) above it, <= 6",
               HDR_LOG2, EARLY_LOG2);
        $finish;
    end
end

// ------------------------------------------------------------------------
// header queue
// ------------------------------------------------------------------------

localparam HW = 4 + 48 + 32 + 32 + 16 + 16 + 32 + 32 + 8 + 16 + 1 + 16 + 16 + 1;

wire [HDR_LOG2:0] hq_space;
/* verilator lint_off UNUSEDSIGNAL */ wire [HDR_LOG2:0] hq_count; /* verilator lint_on UNUSEDSIGNAL */
wire hq_valid;
wire hq_pop;
wire [3:0] hq_reason;
wire [47:0] hq_src_mac;
wire [31:0] hq_src_ip, hq_dst_ip, hq_seq, hq_ack;
wire [15:0] hq_src_port, hq_dst_port, hq_win, hq_mss, hq_len;
wire [7:0] hq_flags;
wire hq_mss_valid, hq_pay_pkt;

assign s_hdr_ready = hq_space != {(HDR_LOG2+1){1'b0}};

toe_tcb_fifo #(.WIDTH(HW), .DEPTH_LOG2(HDR_LOG2), .NPUSH(1)) hdr_queue (
    .clk(clk), .rst(rst),
    .push_valid(s_hdr_valid && s_hdr_ready),
    .push_data({s_hdr_reason, s_hdr_src_mac, s_hdr_src_ip, s_hdr_dst_ip,
                s_hdr_src_port, s_hdr_dst_port, s_hdr_seq, s_hdr_ack,
                s_hdr_flags, s_hdr_win, s_hdr_mss_valid, s_hdr_mss, s_hdr_len,
                s_hdr_pay_pkt}),
    .space(hq_space),
    .m_valid(hq_valid), .m_ready(hq_pop),
    .m_data({hq_reason, hq_src_mac, hq_src_ip, hq_dst_ip, hq_src_port,
             hq_dst_port, hq_seq, hq_ack, hq_flags, hq_win, hq_mss_valid,
             hq_mss, hq_len, hq_pay_pkt}),
    .count(hq_count)
);

// ------------------------------------------------------------------------
// early tuple from the beats
// ------------------------------------------------------------------------

reg [3:0] bcnt_reg = 4'd0;     // index of the beat being taken (15 = later)
reg [7:0] fcnt_reg = 8'd0;     // frame number (mod 256) of the frame in progress
reg [3:0] ihl_reg = 4'd0;      // IPv4 IHL (beat 1, low nibble of frame byte 14)
reg [47:0] b3_reg = 48'd0;     // beat 3, lanes 2..7 (frame bytes 26..31)
reg [15:0] b4_reg = 16'd0;     // beat 4, lanes 0..1 (frame bytes 32..33)
reg [15:0] prev_hi_reg = 16'd0; // lanes 6..7 of the beat before

always @(posedge clk) begin
    if (tap_valid) begin
        prev_hi_reg <= tap_data[63:48];
        if (bcnt_reg == 4'd1) begin
            ihl_reg <= tap_data[51:48];
        end
        if (bcnt_reg == 4'd3) begin
            b3_reg <= tap_data[63:16];
        end
        if (bcnt_reg == 4'd4) begin
            b4_reg <= tap_data[15:0];
        end
        if (tap_last) begin
            bcnt_reg <= 4'd0;
            fcnt_reg <= fcnt_reg + 8'd1;
        end else if (bcnt_reg != 4'd15) begin
            bcnt_reg <= bcnt_reg + 4'd1;
        end
    end
    if (rst) begin
        bcnt_reg <= 4'd0;
        fcnt_reg <= 8'd0;
    end
end

// The TCP ports are frame bytes 14 + 4 * IHL .. +3: in the beat
// (17 + 4 * IHL) / 8 (beat 4 at IHL 5, 5 at IHL 6 and 7, ..., 9 at 15),
// lanes 2..5 for an odd IHL, lanes 6..7 of the beat before and 0..1 of
// this one for an even IHL. The addresses sit at fixed bytes 26..33.
/* verilator lint_off UNUSEDSIGNAL */ // the lane (low 3 bits) follows from IHL's parity
wire [6:0] port_end = 7'd17 + {1'b0, ihl_reg, 2'b00};
/* verilator lint_on UNUSEDSIGNAL */
wire ihl_ok = ihl_reg >= 4'd5;
wire at_ports = bcnt_reg == port_end[6:3];
wire [31:0] port_bytes = ihl_reg[0] ? tap_data[47:16] : {tap_data[15:0], prev_hi_reg};
// beat 4 is still on the tap at IHL 5
wire [15:0] b4_lo = bcnt_reg == 4'd4 ? tap_data[15:0] : b4_reg;

// lane l of a beat is data[8l +: 8], frame byte 8 * beat + l
wire [31:0] ey_src_ip = {b3_reg[7:0], b3_reg[15:8], b3_reg[23:16], b3_reg[31:24]};
wire [31:0] ey_dst_ip = {b3_reg[39:32], b3_reg[47:40], b4_lo[7:0], b4_lo[15:8]};
wire [15:0] ey_src_port = {port_bytes[7:0], port_bytes[15:8]};
wire [15:0] ey_dst_port = {port_bytes[23:16], port_bytes[31:24]};
// SipHash message: local (= destination) first
wire [95:0] ey_msg = {ey_dst_ip, ey_dst_port, ey_src_ip, ey_src_port};

// ------------------------------------------------------------------------
// early table: entry allocated at the start (tuple, frame), filled when the
// hash comes out, taken or dropped by the header side
// ------------------------------------------------------------------------

reg [7:0] e_idx [0:ED-1];
reg [95:0] e_msg [0:ED-1];
reg [31:0] e_hash [0:ED-1];
reg [EARLY_LOG2:0] e_wr_reg = {(EARLY_LOG2+1){1'b0}};
reg [EARLY_LOG2:0] e_fill_reg = {(EARLY_LOG2+1){1'b0}};
reg [EARLY_LOG2:0] e_rd_reg = {(EARLY_LOG2+1){1'b0}};

wire [EARLY_LOG2:0] e_used = e_wr_reg - e_rd_reg;
wire e_credit = e_used != ED[EARLY_LOG2:0];
wire e_any = e_wr_reg != e_rd_reg;
wire e_filled = e_fill_reg != e_rd_reg;
wire [EARLY_LOG2-1:0] e_rd_a = e_rd_reg[EARLY_LOG2-1:0];

// ------------------------------------------------------------------------
// SipHash and its three requesters
// ------------------------------------------------------------------------

reg act_pend_reg = 1'b0, act_wait_reg = 1'b0;
reg [95:0] act_msg_reg = 96'd0;
reg [31:0] act_m_reg = 32'd0;

reg late_pend_reg = 1'b0, late_wait_reg = 1'b0, late_done_reg = 1'b0;
reg [95:0] late_msg_reg = 96'd0;
reg [31:0] late_hash_reg = 32'd0;

wire h_s_ready;
wire early_want = tap_valid && ihl_ok && at_ports && e_credit;
wire early_go = early_want && h_s_ready;
// no early start within the next 4 cycles (iterative unit, see the top):
// between frames with no beat now (a frame's beat 0 in this cycle would
// have its ports beat 4 cycles on), or IHL known (beat 1 taken) and the
// ports beat passed or not to come
wire early_clear = (bcnt_reg == 4'd0 && !tap_valid) ||
                   (bcnt_reg >= 4'd2 && (!ihl_ok || bcnt_reg > port_end[6:3]));
wire other_ok = (ITERATE == 0) || early_clear;
wire act_go = !early_want && other_ok && act_pend_reg && h_s_ready;
wire late_go = !early_want && other_ok && !act_pend_reg && late_pend_reg && h_s_ready;

wire [95:0] h_msg = early_want ? ey_msg : act_pend_reg ? act_msg_reg : late_msg_reg;
wire [1:0] h_kind = early_want ? K_EARLY : act_pend_reg ? K_ACT : K_LATE;

/* verilator lint_off UNUSEDSIGNAL */ wire [63:0] h_hash; /* verilator lint_on UNUSEDSIGNAL */
wire [1:0] h_user;
wire h_m_valid;

toe_siphash #(.HR_PER_STAGE(HR_PER_STAGE), .ITERATE(ITERATE), .USER_W(2)) siphash (
    .clk(clk), .rst(rst),
    .s_key(isn_key), .s_msg(h_msg), .s_user(h_kind),
    .s_valid(early_want || ((act_pend_reg || late_pend_reg) && other_ok)),
    .s_ready(h_s_ready),
    .m_hash(h_hash), .m_user(h_user), .m_valid(h_m_valid), .m_ready(1'b1)
);

assign act_req_ready = !act_pend_reg && !act_wait_reg;

// ------------------------------------------------------------------------
// the head header
// ------------------------------------------------------------------------

reg [7:0] hcnt_reg = 8'd0;   // frame number of the head header

wire [95:0] hq_msg = {hq_dst_ip, hq_dst_port, hq_src_ip, hq_src_port};
wire hq_good = hq_reason == 4'd0;
// only a SYN without ACK can open a connection (LISTEN, or a TIME-WAIT
// reopen); a SYN-ACK's ISN is never used
wire need_isn = hq_good && hq_flags[1] && !hq_flags[4];

wire [7:0] e_diff = e_idx[e_rd_a] - hcnt_reg;
wire e_old = e_diff[7];
wire e_mine = e_diff == 8'd0;
wire e_match = e_msg[e_rd_a] == hq_msg;
wire late_busy = late_pend_reg || late_wait_reg;

// where the head's hash comes from
reg have_hash;
reg use_early;
reg late_start;
reg [31:0] hash_sel;

always @* begin
    have_hash = 1'b0;
    use_early = 1'b0;
    late_start = 1'b0;
    hash_sel = late_hash_reg;
    if (hq_valid && need_isn) begin
        if (late_done_reg) begin
            have_hash = 1'b1;
        end else if (late_busy) begin
            // waiting for the late hash
        end else if (e_any && e_mine) begin
            // the tuple was stored at the start: a mismatch (IPv4 options
            // moved it) goes late at once, a match waits for the hash
            if (!e_match) begin
                late_start = 1'b1;
            end else if (e_filled) begin
                have_hash = 1'b1;
                use_early = 1'b1;
                hash_sel = e_hash[e_rd_a];
            end
        end else if (e_any && e_old) begin
            // older entries first leave the table
        end else begin
            late_start = 1'b1;
        end
    end
end

// "The head's hash is there" and the hash are registered before they reach
// the core: the early table's reads and compares above are not in front of
// the core's take (its lookup, its ~250 register enables). A SYN without
// ACK therefore goes a cycle after its hash is there; other segments do
// not wait for a hash and go at once.
reg have_hash_reg = 1'b0;
reg use_early_reg = 1'b0;
reg [31:0] hash_sel_reg = 32'd0;

wire fwd_ok = hq_valid && hq_good && m_job_ready &&
              (!need_isn || (have_hash_reg && m_valid));
wire seg_take = fwd_ok && m_seg_ready;
wire drop_take = hq_valid && !hq_good && (!hq_pay_pkt || m_job_ready);
assign hq_pop = seg_take || drop_take;

// table entries: stale ones (an older frame's) leave, the head's leaves
// with it when it used it
wire e_pop = (e_filled && e_old) || (seg_take && use_early_reg);

always @(posedge clk) begin
    // the head does not change while it waits, nor do its hash's sources
    // (the late result, its early entry): a popped head's flag goes
    have_hash_reg <= have_hash && !hq_pop;
    use_early_reg <= use_early;
    hash_sel_reg <= hash_sel;
    if (rst) begin
        have_hash_reg <= 1'b0;
    end
end

always @(posedge clk) begin
    if (hq_pop) begin
        hcnt_reg <= hcnt_reg + 8'd1;
    end
    if (rst) begin
        hcnt_reg <= 8'd0;
    end
end

assign m_seg_valid = fwd_ok;
assign m_seg_src_mac = hq_src_mac;
assign m_seg_src_ip = hq_src_ip;
assign m_seg_dst_ip = hq_dst_ip;
assign m_seg_src_port = hq_src_port;
assign m_seg_dst_port = hq_dst_port;
assign m_seg_seq = hq_seq;
assign m_seg_ack = hq_ack;
assign m_seg_flags = hq_flags;
assign m_seg_win = hq_win;
assign m_seg_mss_valid = hq_mss_valid;
assign m_seg_mss = hq_mss;
assign m_seg_len = hq_len;
assign m_seg_isn = m_cur + hash_sel_reg;

// next cycle's head: this head if it stays (not popped now), else the
// header pushed now into the empty queue
assign m_pf_valid = hq_valid ? !hq_pop : (s_hdr_valid && s_hdr_ready);
assign m_pf_key = hq_valid ? {hq_src_port, hq_src_ip, hq_dst_port}
                           : {s_hdr_src_port, s_hdr_src_ip, s_hdr_dst_port};

assign drop_valid = drop_take;
assign drop_reason = hq_reason;

assign m_job_valid = seg_take || (drop_take && hq_pay_pkt);
assign m_job_fwd = hq_good;
assign m_job_pkt = hq_pay_pkt;
// ceil(len / 8) beats for a kept packet
assign m_job_beats = (hq_good && hq_pay_pkt) ?
                     {1'b0, hq_len[15:3]} + {13'd0, hq_len[2:0] != 3'd0} : 14'd0;

// ------------------------------------------------------------------------
// requests and results
// ------------------------------------------------------------------------

always @(posedge clk) begin
    act_rsp_valid <= 1'b0;

    if (cmd_take) begin
        act_m_reg <= m_cur;
    end
    if (act_req_valid && act_req_ready) begin
        act_pend_reg <= 1'b1;
        act_msg_reg <= {local_ip, act_lport, act_rip, act_rport};
    end
    if (act_go) begin
        act_pend_reg <= 1'b0;
        act_wait_reg <= 1'b1;
    end
    if (late_go) begin
        late_pend_reg <= 1'b0;
        late_wait_reg <= 1'b1;
    end
    if (early_go) begin
        e_idx[e_wr_reg[EARLY_LOG2-1:0]] <= fcnt_reg;
        e_msg[e_wr_reg[EARLY_LOG2-1:0]] <= ey_msg;
        e_wr_reg <= e_wr_reg + 1'b1;
    end

    if (h_m_valid) begin
        case (h_user)
            K_EARLY: begin
                e_hash[e_fill_reg[EARLY_LOG2-1:0]] <= h_hash[31:0];
                e_fill_reg <= e_fill_reg + 1'b1;
            end
            K_ACT: begin
                act_wait_reg <= 1'b0;
                act_rsp_valid <= 1'b1;
                act_rsp_isn <= act_m_reg + h_hash[31:0];
            end
            default: begin
                late_wait_reg <= 1'b0;
                late_done_reg <= 1'b1;
                late_hash_reg <= h_hash[31:0];
            end
        endcase
    end

    if (late_start) begin
        late_pend_reg <= 1'b1;
        late_msg_reg <= hq_msg;
    end
    if (seg_take) begin
        late_done_reg <= 1'b0;
    end
    if (e_pop) begin
        e_rd_reg <= e_rd_reg + 1'b1;
    end

    if (rst) begin
        act_rsp_valid <= 1'b0;
        act_pend_reg <= 1'b0;
        act_wait_reg <= 1'b0;
        late_pend_reg <= 1'b0;
        late_wait_reg <= 1'b0;
        late_done_reg <= 1'b0;
        e_wr_reg <= {(EARLY_LOG2+1){1'b0}};
        e_fill_reg <= {(EARLY_LOG2+1){1'b0}};
        e_rd_reg <= {(EARLY_LOG2+1){1'b0}};
    end
end

`ifndef SYNTHESIS
// an early start is never refused (see the top): its frame would take the
// late path, a pipeline latency later than the timing the tests pin
always @(posedge clk) begin
    if (!rst && early_want && !h_s_ready) begin
        $error("%m: early SipHash start refused (unit busy)");
    end
end
`endif

assign idle = !hq_valid && !late_busy && !late_done_reg && !act_pend_reg &&
              !act_wait_reg;

endmodule

`resetall
