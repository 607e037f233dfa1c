// SPDX-License-Identifier: MIT
//
// toe_arp_resp.v - ARP responder: watches every received frame and answers
// ARP requests for our IPv4 address (RFC 826), so that the engine can be
// found on a LAN. The golden model is toe_ref_arp_reply() in host/pkt/l2.c;
// this block makes the same decisions in the same order (host/pkt/toe_l2.h).
//
// Receive side: a tap on the MAC's receive stream, in parallel with the TCP
// parser. s_axis_tready is always 1: the responder never stalls the receive
// path (feed it tvalid & tready of the real path). Frames are Ethernet
// without preamble/FCS, byte 0 in tdata[7:0], tkeep contiguous from bit 0,
// all beats but the last full. A frame with tuser set on any beat (bad
// frame, the MAC counts it) is ignored.
//
// Reply side: m_axis, 60-byte frames (8 beats, the last with tkeep 0x0f),
// with backpressure. Requests wait in a queue of 2^QUEUE_LOG2 replies; a
// request that finds it full is dropped and counted in stat_busy.
//
// Counters (CNT_W bits, from 0 after rst, wrapping):
//   stat_replies   replies sent (last beat handed to the output)
//   stat_busy      requests dropped because the queue was full
//   stat_drop      malformed ARP frames by reason, CNT_W bits each:
//                  [0] ARP_TRUNC (code 1), [1] ARP_FORMAT (code 2)
//
// Wire format (frame offsets; fields big-endian):
//
//   offset  len  field            request check            reply
//   0       6    Ethernet dst     broadcast or our MAC     requester's sha
//   6       6    Ethernet src     -                        our MAC
//   12      2    ethertype        0x0806                   0x0806
//   14      2    htype            1          (ARP_FORMAT)  1
//   16      2    ptype            0x0800     (ARP_FORMAT)  0x0800
//   18      1    hlen             6          (ARP_FORMAT)  6
//   19      1    plen             4          (ARP_FORMAT)  4
//   20      2    oper             1 (request)              2 (reply)
//   22      6    sha              -                        our MAC
//   28      4    spa              != tpa (not gratuitous)  our IP
//   32      6    tha              -                        requester's sha
//   38      4    tpa              our IP                   requester's spa
//   42      18   padding          (frame >= 42 bytes, else ARP_TRUNC)  zero
//
// Decision order (a frame with several faults counts the first):
//   not 0x0806, dst not broadcast/ours, or < 14 bytes, or disabled: ignore;
//   < 42 bytes: ARP_TRUNC; bad htype/ptype/hlen/plen: ARP_FORMAT;
//   oper != 1, tpa != our IP, spa == tpa: ignore; else reply.
//
// Timing: input register, frame check one cycle after the last beat, reply
// queued the cycle after; back-to-back replies leave with no idle beat
// between them. Configuration (cfg_*) is read at the check and while a reply
// is sent: change it only while cfg_enable is 0 and no reply is queued.

`timescale 1ns / 1ps
`default_nettype none

// ARP responder for IPv4 over Ethernet: answers requests for cfg_ip.
module toe_arp_resp #(
    // the reply queue holds 2^QUEUE_LOG2 replies
    parameter QUEUE_LOG2 = 2,
    // counter width in bits
    parameter CNT_W = 32
) (
    input  wire             clk,
    input  wire             rst,

    // receive tap (every frame the MAC delivers)
    input  wire [63:0]      s_axis_tdata,
    input  wire [7:0]       s_axis_tkeep,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    input  wire             s_axis_tlast,
    input  wire             s_axis_tuser,

    // ARP replies
    output wire [63:0]      m_axis_tdata,
    output wire [7:0]       m_axis_tkeep,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             m_axis_tlast,
    output wire             m_axis_tuser,

    // configuration
    input  wire             cfg_enable,   // answer requests (CTRL.ARP_EN)
    input  wire [47:0]      cfg_mac,      // our MAC, byte 0 (first on the wire) in 47:40
    input  wire [31:0]      cfg_ip,       // our IPv4 address

    // counters
    output wire [CNT_W-1:0]   stat_replies,
    output wire [CNT_W-1:0]   stat_busy,
    output wire [2*CNT_W-1:0] stat_drop
);

// queue depth, as a count-register value
localparam [QUEUE_LOG2:0] DEPTH = 1 << QUEUE_LOG2;

initial begin
    if (QUEUE_LOG2 < 1 || QUEUE_LOG2 > 8) begin
        $error("%m: QUEUE_LOG2 (%0d) must be 1..8", QUEUE_LOG2);
        $finish;
    end
    if (CNT_W < 1 || CNT_W > 64) begin
        $error("%m: CNT_W (%0d) must be 1..64", CNT_W);
        $finish;
    end
end

// bswap64, keep_bytes
`include "toe_bytes.vh"

assign s_axis_tready = 1'b1;

// ---- input register ----
reg        r_valid_reg = 1'b0;
reg [63:0] r_data_reg = 64'd0;
reg [7:0]  r_keep_reg = 8'd0;
reg        r_last_reg = 1'b0;
reg        r_user_reg = 1'b0;

// r_data as big-endian: frame byte 8*beat + i in bits 63-8i:56-8i
wire [63:0] r_be = bswap64(r_data_reg);

// ---- frame position and captured fields ----
reg [2:0]  beat_reg = 3'd0;   // beat index in the frame, saturates at 7
reg        bad_reg = 1'b0;    // tuser seen on an earlier beat of this frame

reg [47:0] dst_reg = 48'd0;
reg [15:0] etype_reg = 16'd0;
reg [15:0] htype_reg = 16'd0;
reg [15:0] ptype_reg = 16'd0;
reg [7:0]  hlen_reg = 8'd0;
reg [7:0]  plen_reg = 8'd0;
reg [15:0] oper_reg = 16'd0;
reg [47:0] sha_reg = 48'd0;
reg [31:0] spa_reg = 32'd0;
reg [31:0] tpa_reg = 32'd0;

// ---- check stage (the cycle after the last beat) ----
reg        done_reg = 1'b0;
reg [6:0]  flen_reg = 7'd0;   // frame length, saturated (>= 56 means long)
reg        fbad_reg = 1'b0;

always @(posedge clk) begin
    r_valid_reg <= s_axis_tvalid;
    if (s_axis_tvalid) begin
        r_data_reg <= s_axis_tdata;
        r_keep_reg <= s_axis_tkeep;
        r_last_reg <= s_axis_tlast;
        r_user_reg <= s_axis_tuser;
    end

    done_reg <= 1'b0;
    if (r_valid_reg) begin
        case (beat_reg)
            3'd0: dst_reg <= r_be[63:16];
            3'd1: begin
                etype_reg <= r_be[31:16];
                htype_reg <= r_be[15:0];
            end
            3'd2: begin
                ptype_reg <= r_be[63:48];
                hlen_reg <= r_be[47:40];
                plen_reg <= r_be[39:32];
                oper_reg <= r_be[31:16];
                sha_reg[47:32] <= r_be[15:0];
            end
            3'd3: begin
                sha_reg[31:0] <= r_be[63:32];
                spa_reg <= r_be[31:0];
            end
            3'd4: tpa_reg[31:16] <= r_be[15:0];
            3'd5: tpa_reg[15:0] <= r_be[63:48];
            default: ;
        endcase

        if (r_last_reg) begin
            done_reg <= 1'b1;
            flen_reg <= {1'b0, beat_reg, 3'b000} + {3'd0, keep_bytes(r_keep_reg)};
            fbad_reg <= bad_reg | r_user_reg;
            beat_reg <= 3'd0;
            bad_reg <= 1'b0;
        end else begin
            if (beat_reg != 3'd7)
                beat_reg <= beat_reg + 3'd1;
            bad_reg <= bad_reg | r_user_reg;
        end
    end

    if (rst) begin
        r_valid_reg <= 1'b0;
        beat_reg <= 3'd0;
        bad_reg <= 1'b0;
        done_reg <= 1'b0;
    end
end

// ---- the decision, in toe_l2.h's order ----
wire v_arp = cfg_enable && !fbad_reg && flen_reg >= 7'd14 && etype_reg == 16'h0806 &&
             (dst_reg == 48'hffff_ffff_ffff || dst_reg == cfg_mac);
wire v_trunc = flen_reg < 7'd42;
wire v_format = htype_reg != 16'd1 || ptype_reg != 16'h0800 || hlen_reg != 8'd6 ||
                plen_reg != 8'd4;
wire v_request = oper_reg == 16'd1 && tpa_reg == cfg_ip && spa_reg != tpa_reg;

wire chk_trunc = done_reg && v_arp && v_trunc;
wire chk_format = done_reg && v_arp && !v_trunc && v_format;
wire chk_reply = done_reg && v_arp && !v_trunc && !v_format && v_request;

// ---- reply queue: {sha, spa} of each requester ----
reg [79:0] q_mem [0:DEPTH-1];
reg [QUEUE_LOG2-1:0] q_wr_reg = {QUEUE_LOG2{1'b0}};
reg [QUEUE_LOG2-1:0] q_rd_reg = {QUEUE_LOG2{1'b0}};
reg [QUEUE_LOG2:0]   q_count_reg = {(QUEUE_LOG2+1){1'b0}};

wire push = chk_reply && q_count_reg != DEPTH;
wire busy = chk_reply && q_count_reg == DEPTH;

// ---- reply generator ----
reg        tx_run_reg = 1'b0;  // a reply is being sent
reg [2:0]  tx_k_reg = 3'd0;    // its beat index
reg [47:0] tx_sha_reg = 48'd0;
reg [31:0] tx_spa_reg = 32'd0;

wire       o_ready;            // the output skid takes a beat
wire       finishing = tx_run_reg && tx_k_reg == 3'd7 && o_ready;
// take the next reply when idle, or in the cycle the last beat leaves
wire       pick = (!tx_run_reg || finishing) && q_count_reg != 0;

// the reply, 60 bytes + 4 bytes of fill, byte 0 in the top bits
wire [511:0] reply = {tx_sha_reg, cfg_mac, 16'h0806, 16'h0001, 16'h0800, 8'h06, 8'h04,
                      16'h0002, cfg_mac, cfg_ip, tx_sha_reg, tx_spa_reg, 176'd0};
wire [63:0] o_data = bswap64(reply[511 - 64*tx_k_reg -: 64]);
wire        o_last = tx_k_reg == 3'd7;
wire [7:0]  o_keep = o_last ? 8'h0f : 8'hff;

always @(posedge clk) begin
    if (push) begin
        q_mem[q_wr_reg] <= {sha_reg, spa_reg};
        q_wr_reg <= q_wr_reg + 1'b1;
    end
    if (pick) begin
        {tx_sha_reg, tx_spa_reg} <= q_mem[q_rd_reg];
        q_rd_reg <= q_rd_reg + 1'b1;
    end
    q_count_reg <= q_count_reg + {{QUEUE_LOG2{1'b0}}, push} - {{QUEUE_LOG2{1'b0}}, pick};

    if (pick) begin
        tx_run_reg <= 1'b1;
        tx_k_reg <= 3'd0;
    end else if (finishing) begin
        tx_run_reg <= 1'b0;
    end else if (tx_run_reg && o_ready) begin
        tx_k_reg <= tx_k_reg + 3'd1;
    end

    if (rst) begin
        q_wr_reg <= {QUEUE_LOG2{1'b0}};
        q_rd_reg <= {QUEUE_LOG2{1'b0}};
        q_count_reg <= {(QUEUE_LOG2+1){1'b0}};
        tx_run_reg <= 1'b0;
        tx_k_reg <= 3'd0;
    end
end

// ---- counters ----
reg [CNT_W-1:0] replies_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] busy_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] trunc_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] format_reg = {CNT_W{1'b0}};

always @(posedge clk) begin
    if (finishing)
        replies_reg <= replies_reg + 1'b1;
    if (busy)
        busy_reg <= busy_reg + 1'b1;
    if (chk_trunc)
        trunc_reg <= trunc_reg + 1'b1;
    if (chk_format)
        format_reg <= format_reg + 1'b1;
    if (rst) begin
        replies_reg <= {CNT_W{1'b0}};
        busy_reg <= {CNT_W{1'b0}};
        trunc_reg <= {CNT_W{1'b0}};
        format_reg <= {CNT_W{1'b0}};
    end
end

assign stat_replies = replies_reg;
assign stat_busy = busy_reg;
assign stat_drop = {format_reg, trunc_reg};

// ---- output register slice ----
toe_skid #(
    .DATA_W(64),
    .USER_W(1)
) out_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(o_data),
    .s_axis_tkeep(o_keep),
    .s_axis_tvalid(tx_run_reg),
    .s_axis_tready(o_ready),
    .s_axis_tlast(o_last),
    .s_axis_tuser(1'b0),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser)
);

endmodule

`resetall
