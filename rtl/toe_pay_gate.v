// SPDX-License-Identifier: MIT
//
// toe_pay_gate.v - the receive payload gate: buffers the parser's payload
// packets, applies the connection core's payload decisions to them in
// order, and streams the delivered bytes to the user logic with their
// connection id.
//
//   parser m_axis ──► in buffer (block RAM) ──► gate ──► realign ──► out buffer ──┬─► m_pay
//   segment jobs (in header order) ──────────────┘ ▲   └──► packet queue ──────────┘
//   tcb_core m_pl (deliver [off, off+len) to conn, or drop) ┘   (conn, len)
//
// Jobs come from the segment front end, one per header, in header order:
//   fwd = 0, pkt = 1   the frame was dropped before the core: discard its
//                      payload packet
//   fwd = 1            the segment went to the core, which makes exactly one
//                      payload decision for it (in segment order); pkt says
//                      whether it has a payload packet in the in buffer
// The gate takes jobs in order. A packet's bytes [off, off + len) are
// delivered (shifted to lane 0 of the first beat: off need not be a
// multiple of 8), the rest of the packet is discarded.
//
// The out buffer holds the delivered bytes only (64 bits a beat: 2 DP16KD
// at 512 beats, where beats with tkeep, tlast and tdest took 89 bits and 3);
// each delivered packet's connection and length go to a packet queue of
// 2^PKT_LOG2 entries (LUT RAM) when the gate starts it, and m_pay's tdest,
// tkeep and tlast come from the queue's head and a count of the head
// packet's bytes already out.
//
// Flow control, so that the receive path never waits for the user:
//   - every forwarded segment with payload reserves ceil(len / 8) beats of
//     the out buffer and one packet-queue entry when it is handed to the
//     core, released when the gate is done with its packet;
//   - rx_ready (the core's "the user stream can take payload", sampled in
//     the core's decision cycle, 2 cycles after the hand-over) is
//     registered: m_pay_tready high, and the out buffer's entries plus all
//     reservations (this segment's included) fit in it, and so do the
//     packet queue's. So a delivered packet always fits; with the user not
//     ready, the core drops payload segments without acknowledging them
//     (toe_ref_set_rx_ready(false)).
//   Note for the user logic: m_pay_tready is read as "can take payload"
//   even while m_pay_tvalid is low. A sink that holds tready low while
//   idle gets every payload segment dropped (and retransmitted by the
//   peer).
//   - the in buffer is written at the parser's rate; it must hold a whole
//     packet (the decision comes after the packet's last beat), so
//     2^BUF_LOG2 beats must hold the largest payload (toe_top cuts frames
//     longer than 8 * 2^BUF_LOG2 bytes before the parser, so none is
//     larger).
//
// m_pay: 64-bit beats, byte 0 of the delivered range in lane 0 of the first
// beat, tkeep contiguous from lane 0 on the last beat, m_pay_tdest = the
// connection id on every beat of the packet. One packet per delivered
// segment.

`timescale 1ns / 1ps
`default_nettype none

// Payload buffer + in-order deliver/drop gate + realigner + user stream.
module toe_pay_gate #(
    // log2 of each buffer's depth in 8-byte beats
    parameter BUF_LOG2 = 11,
    // log2 of the job queue depth
    parameter JOB_LOG2 = 4,
    // log2 of the delivered-packet queue depth (packets in the out buffer
    // and reserved for it: a user that drains at the line rate never has
    // more than a few)
    parameter PKT_LOG2 = 5
) (
    input  wire        clk,
    input  wire        rst,

    // payload packets from the parser (tuser / tkeep are not needed: the
    // job says whether the packet is kept, the decision which bytes)
    input  wire [63:0] s_pay_tdata,
    input  wire        s_pay_tvalid,
    output wire        s_pay_tready,
    input  wire        s_pay_tlast,

    // jobs, in header order
    input  wire        s_job_valid,
    output wire        s_job_ready,
    input  wire        s_job_fwd,
    input  wire        s_job_pkt,
    input  wire [13:0] s_job_beats,

    // the core's payload decisions, in segment order
    input  wire        s_pl_valid,
    output wire        s_pl_ready,
    input  wire        s_pl_deliver,
    input  wire [15:0] s_pl_conn,
    input  wire [15:0] s_pl_off,
    input  wire [15:0] s_pl_len,

    // in-order payload to the user logic
    output wire [63:0] m_pay_tdata,
    output wire [7:0]  m_pay_tkeep,
    output wire        m_pay_tvalid,
    input  wire        m_pay_tready,
    output wire        m_pay_tlast,
    output wire [15:0] m_pay_tdest,

    // to the core
    output wire        rx_ready,
    // nothing queued or in progress (the out buffer may still hold data)
    output wire        idle
);

localparam DEPTH = 1 << BUF_LOG2;
localparam PKT_DEPTH = 1 << PKT_LOG2;

initial begin
    if (BUF_LOG2 < 4 || BUF_LOG2 > 13) begin
        $error("%m: BUF_LOG2 (%0d) must be 4..13", BUF_LOG2);
        $finish;
    end
end

// ---- in buffer ----
wire [63:0] in_data;
wire in_last, in_valid;
reg in_pop;
/* verilator lint_off UNUSEDSIGNAL */ wire [BUF_LOG2+1:0] in_count; /* verilator lint_on UNUSEDSIGNAL */

toe_top_bfifo #(.WIDTH(65), .DEPTH_LOG2(BUF_LOG2)) in_buf (
    .clk(clk), .rst(rst),
    .s_data({s_pay_tlast, s_pay_tdata}), .s_valid(s_pay_tvalid), .s_ready(s_pay_tready),
    .m_data({in_last, in_data}), .m_valid(in_valid), .m_ready(in_pop),
    .count(in_count)
);

// ---- job queue ----
wire job_valid, job_fwd, job_pkt;
wire [13:0] job_beats;
reg job_pop;
wire [JOB_LOG2:0] job_space;
/* verilator lint_off UNUSEDSIGNAL */ wire [JOB_LOG2:0] job_count; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_fifo #(.WIDTH(16), .DEPTH_LOG2(JOB_LOG2), .NPUSH(1)) job_queue (
    .clk(clk), .rst(rst),
    .push_valid(s_job_valid && s_job_ready),
    .push_data({s_job_fwd, s_job_pkt, s_job_beats}),
    .space(job_space),
    .m_valid(job_valid), .m_ready(job_pop), .m_data({job_fwd, job_pkt, job_beats}),
    .count(job_count)
);

assign s_job_ready = job_space != {(JOB_LOG2+1){1'b0}};

// keep mask for k (1..8) bytes
function [7:0] keep_of;
    input [3:0] k;
    begin
        keep_of = (k >= 4'd8) ? 8'hff : ((8'd1 << k) - 8'd1);
    end
endfunction

// ---- out buffer (bytes) and packet queue (conn, length) ----
reg out_push;
reg [63:0] out_data;
wire out_ready;
wire [BUF_LOG2+1:0] out_count;
wire out_valid;
wire out_pop;

toe_top_bfifo #(.WIDTH(64), .DEPTH_LOG2(BUF_LOG2)) out_buf (
    .clk(clk), .rst(rst),
    .s_data(out_data), .s_valid(out_push),
    .s_ready(out_ready),
    .m_data(m_pay_tdata),
    .m_valid(out_valid), .m_ready(out_pop),
    .count(out_count)
);

reg pk_push;
wire pk_valid;
wire [15:0] pk_conn, pk_len;
wire [PKT_LOG2:0] pk_count;
/* verilator lint_off UNUSEDSIGNAL */ wire [PKT_LOG2:0] pk_space; /* verilator lint_on UNUSEDSIGNAL */
// bytes of the head packet already out
reg [15:0] pk_sent_reg = 16'd0;
wire [15:0] pk_left = pk_len - pk_sent_reg;
wire pk_end = pk_left <= 16'd8;

toe_tcb_fifo #(.WIDTH(32), .DEPTH_LOG2(PKT_LOG2), .NPUSH(1)) pkt_queue (
    .clk(clk), .rst(rst),
    .push_valid(pk_push), .push_data({s_pl_conn, s_pl_len}),
    .space(pk_space),
    .m_valid(pk_valid), .m_ready(out_pop && pk_end), .m_data({pk_conn, pk_len}),
    .count(pk_count)
);

// a packet's entry is queued before its first beat, so out_valid implies
// pk_valid (asserted below)
assign m_pay_tvalid = out_valid && pk_valid;
assign out_pop = m_pay_tvalid && m_pay_tready;
assign m_pay_tdest = pk_conn;
assign m_pay_tlast = pk_end;
assign m_pay_tkeep = keep_of(pk_end ? pk_left[3:0] : 4'd8);

always @(posedge clk) begin
    if (out_pop) begin
        pk_sent_reg <= pk_end ? 16'd0 : pk_sent_reg + 16'd8;
    end
    if (rst) begin
        pk_sent_reg <= 16'd0;
    end
end

// ---- reservations and rx_ready ----
reg [15:0] resv_reg = 16'd0;
reg resv_rel;
reg [13:0] rel_beats_reg = 14'd0;
// packets reserved: one per forwarded segment with payload, as the beats
// (jobs hold at most 2^JOB_LOG2, the core's queues a few more)
reg [7:0] resv_pk_reg = 8'd0;
reg rx_ready_reg = 1'b0;

wire resv_add = s_job_valid && s_job_ready && s_job_fwd && s_job_pkt;
wire [15:0] resv_next = resv_reg + (resv_add ? {2'd0, s_job_beats} : 16'd0) -
                        (resv_rel ? {2'd0, rel_beats_reg} : 16'd0);
wire [16:0] need = {1'b0, resv_reg} + {{(15 - BUF_LOG2){1'b0}}, out_count};
wire [8:0] pk_need = {1'b0, resv_pk_reg} + {{(8 - PKT_LOG2){1'b0}}, pk_count};

always @(posedge clk) begin
    resv_reg <= resv_next;
    resv_pk_reg <= resv_pk_reg + {7'd0, resv_add} - {7'd0, resv_rel};
    rx_ready_reg <= m_pay_tready && need <= DEPTH[16:0] && pk_need <= PKT_DEPTH[8:0];
    if (rst) begin
        resv_reg <= 16'd0;
        resv_pk_reg <= 8'd0;
        rx_ready_reg <= 1'b0;
    end
end

assign rx_ready = rx_ready_reg;

// ---- the gate ----
localparam [1:0]
    G_IDLE = 2'd0, // take the next job (and its decision)
    G_DISC = 2'd1, // discard packet beats up to tlast
    G_DLV  = 2'd2; // deliver [off, off+len), discard the rest

reg [1:0] g_reg = G_IDLE, g_next;
reg [12:0] first_reg = 13'd0, first_next;  // beat holding byte off
reg [2:0] sh_reg = 3'd0, sh_next;          // off mod 8
reg [12:0] bi_reg = 13'd0, bi_next;        // beat index in the packet
reg [15:0] rem_reg = 16'd0, rem_next;      // bytes still to emit
reg [119:0] acc_reg = 120'd0, acc_next;    // bytes gathered, byte 0 in 7:0
reg [3:0] n_reg = 4'd0, n_next;            // bytes in acc (< 8 between cycles)
reg done_reg = 1'b0, done_next;            // all of [off, off+len) emitted
reg ended_reg = 1'b0, ended_next;          // the packet's last beat was read
reg [13:0] rel_beats_next;

// the beat being read, shifted for the first delivered beat
wire first_beat = bi_reg == first_reg;
wire [63:0] x = first_beat ? (in_data >> {sh_reg, 3'b000}) : in_data;
wire [3:0] v = first_beat ? 4'd8 - {1'b0, sh_reg} : 4'd8;
wire [119:0] comb = acc_reg | ({56'd0, x} << {n_reg, 3'b000});
wire [4:0] ncomb = {1'b0, n_reg} + {1'b0, v};

reg s_pl_pop;
assign s_pl_ready = s_pl_pop;

always @* begin
    g_next = g_reg;
    first_next = first_reg;
    sh_next = sh_reg;
    bi_next = bi_reg;
    rem_next = rem_reg;
    acc_next = acc_reg;
    n_next = n_reg;
    done_next = done_reg;
    ended_next = ended_reg;
    rel_beats_next = rel_beats_reg;

    in_pop = 1'b0;
    job_pop = 1'b0;
    s_pl_pop = 1'b0;
    resv_rel = 1'b0;
    out_push = 1'b0;
    pk_push = 1'b0;
    out_data = comb[63:0];

    case (g_reg)
        G_IDLE: begin
            if (job_valid && !job_fwd) begin
                // dropped before the core: no reservation
                job_pop = 1'b1;
                rel_beats_next = 14'd0;
                g_next = G_DISC;
            end else if (job_valid && s_pl_valid) begin
                job_pop = 1'b1;
                s_pl_pop = 1'b1;
                rel_beats_next = job_beats;
                if (!job_pkt) begin
                    // nothing to move
                end else if (s_pl_deliver && s_pl_len != 16'd0) begin
                    // its queue entry, before its first beat
                    pk_push = 1'b1;
                    first_next = s_pl_off[15:3];
                    sh_next = s_pl_off[2:0];
                    bi_next = 13'd0;
                    rem_next = s_pl_len;
                    acc_next = 120'd0;
                    n_next = 4'd0;
                    done_next = 1'b0;
                    ended_next = 1'b0;
                    g_next = G_DLV;
                end else begin
                    g_next = G_DISC;
                end
            end
        end
        G_DISC: begin
            // the reservation of a dropped segment goes at once
            resv_rel = rel_beats_reg != 14'd0;
            if (in_valid) begin
                in_pop = 1'b1;
                if (in_last) begin
                    g_next = G_IDLE;
                end
            end
        end
        G_DLV: begin
            if (done_reg) begin
                // past the delivered range: discard to the end
                if (in_valid) begin
                    in_pop = 1'b1;
                    if (in_last) begin
                        g_next = G_IDLE;
                    end
                end
            end else if ({12'd0, n_reg} >= rem_reg) begin
                // the last bytes are already gathered: emit, no read
                if (out_ready) begin
                    out_push = 1'b1;
                    out_data = acc_reg[63:0];
                    done_next = 1'b1;
                    resv_rel = 1'b1;
                    if (ended_reg) begin
                        g_next = G_IDLE;
                    end
                end
            end else if (ended_reg) begin
                // the packet ended short of the range (cannot happen: the
                // core delivers within the segment): give up on the rest
                resv_rel = 1'b1;
                g_next = G_IDLE;
            end else if (in_valid && (bi_reg < first_reg || out_ready)) begin
                in_pop = 1'b1;
                bi_next = bi_reg + 13'd1;
                if (bi_reg >= first_reg) begin
                    if ({11'd0, ncomb} >= rem_reg) begin
                        // the range's last bytes are in
                        out_push = 1'b1;
                        out_data = comb[63:0];
                        if (rem_reg <= 16'd8) begin
                            done_next = 1'b1;
                            resv_rel = 1'b1;
                        end else begin
                            // 8 now, the rest in an emit-only cycle
                            rem_next = rem_reg - 16'd8;
                            acc_next = comb >> 64;
                            n_next = ncomb[3:0] - 4'd8;
                        end
                    end else if (ncomb >= 5'd8) begin
                        out_push = 1'b1;
                        rem_next = rem_reg - 16'd8;
                        acc_next = comb >> 64;
                        n_next = ncomb[3:0] - 4'd8;
                    end else begin
                        acc_next = comb;
                        n_next = ncomb[3:0];
                    end
                end
                if (in_last) begin
                    if (done_next) begin
                        g_next = G_IDLE;
                    end else begin
                        ended_next = 1'b1;
                    end
                end
            end
        end
        default: begin
            g_next = G_IDLE;
        end
    endcase
    if (resv_rel) begin
        rel_beats_next = 14'd0;
    end
end

always @(posedge clk) begin
    g_reg <= g_next;
    first_reg <= first_next;
    sh_reg <= sh_next;
    bi_reg <= bi_next;
    rem_reg <= rem_next;
    acc_reg <= acc_next;
    n_reg <= n_next;
    done_reg <= done_next;
    ended_reg <= ended_next;
    rel_beats_reg <= rel_beats_next;
    if (rst) begin
        g_reg <= G_IDLE;
        rel_beats_reg <= 14'd0;
    end
end

assign idle = g_reg == G_IDLE && !job_valid && !in_valid;

`ifndef SYNTHESIS
always @(posedge clk) begin
    if (!rst && g_reg == G_DLV && !done_reg && ended_reg && {12'd0, n_reg} < rem_reg) begin
        $error("%m: payload packet shorter than the delivered range");
    end
    if (!rst && out_valid && !pk_valid) begin
        $error("%m: a delivered beat without its packet's queue entry");
    end
    if (!rst && pk_push && pk_space == {(PKT_LOG2+1){1'b0}}) begin
        $error("%m: packet queue overflow (the reservation should rule it out)");
    end
end
`endif

endmodule

`resetall
