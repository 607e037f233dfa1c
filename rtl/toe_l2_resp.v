// SPDX-License-Identifier: MIT
//
// toe_l2_resp.v - the engine's link-layer responders in one block: the ARP
// responder (toe_arp_resp) and the ICMP echo responder (toe_icmp_echo) on
// the same receive tap, their replies merged into one frame stream.
//
//   s_axis (tap) ──┬─► toe_arp_resp ──┐
//                  └─► toe_icmp_echo ─┴─► frame arbiter ─► [skid] ─► m_axis
//
// The tap never stalls (s_axis_tready is always 1; feed it tvalid & tready
// of the real receive path). The arbiter switches between the two only at
// frame boundaries, round robin, with no idle cycle when it switches.
//
// Measured (tests/rtl/test_rtl_l2.c), from a request's last input beat to
// its reply's first output beat with nothing else in flight: ARP 6 cycles,
// ICMP echo 7 (8 when the request's options shift the message by 4 bytes).
// At 10GbE line rate (2.5 idle beats of gap and preamble per frame) every
// request is answered while the output is free, minimum-size and 1514-byte
// frames alike.
//
// Counters (CNT_W bits each; see the two responders):
//   stat_arp_replies / stat_arp_busy / stat_icmp_replies / stat_icmp_busy
//   stat_drop[(r-1)*CNT_W +: CNT_W]  frames dropped for reason code r
//                                    (toe_l2.h: TOE_L2_ARP_TRUNC = -1 is
//                                    r = 1 ... TOE_L2_ICMP_CSUM = -9 is r = 9)
//
// Wire formats: see toe_arp_resp.v and toe_icmp_echo.v.

`timescale 1ns / 1ps
`default_nettype none

// ARP + ICMP echo responders with one merged reply stream.
module toe_l2_resp #(
    // ARP reply queue: 2^ARP_QUEUE_LOG2 replies
    parameter ARP_QUEUE_LOG2 = 2,
    // ICMP ring buffer: 2^ICMP_BUF_LOG2 beats of 8 bytes
    parameter ICMP_BUF_LOG2 = 10,
    // ICMP reply queue: 2^ICMP_QUEUE_LOG2 requests
    parameter ICMP_QUEUE_LOG2 = 4,
    // counter width in bits
    parameter CNT_W = 32
) (
    input  wire             clk,
    input  wire             rst,

    // receive tap
    input  wire [63:0]      s_axis_tdata,
    input  wire [7:0]       s_axis_tkeep,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    input  wire             s_axis_tlast,
    input  wire             s_axis_tuser,

    // replies (ARP and ICMP echo)
    output wire [63:0]      m_axis_tdata,
    output wire [7:0]       m_axis_tkeep,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             m_axis_tlast,
    output wire             m_axis_tuser,

    // configuration
    input  wire             cfg_arp_en,   // CTRL.ARP_EN
    input  wire             cfg_ping_en,  // CTRL.PING_EN
    input  wire [47:0]      cfg_mac,      // our MAC, byte 0 in 47:40
    input  wire [31:0]      cfg_ip,       // our IPv4 address
    input  wire [7:0]       cfg_ttl,      // TTL of echo replies
    input  wire [15:0]      cfg_ip_id,    // IP ID of the next echo reply
    output wire             ip_id_take,   // cfg_ip_id sampled this cycle

    // counters
    output wire [CNT_W-1:0]   stat_arp_replies,
    output wire [CNT_W-1:0]   stat_arp_busy,
    output wire [CNT_W-1:0]   stat_icmp_replies,
    output wire [CNT_W-1:0]   stat_icmp_busy,
    output wire [9*CNT_W-1:0] stat_drop
);

initial begin
    if (CNT_W < 1 || CNT_W > 64) begin
        $error("%m: CNT_W (%0d) must be 1..64", CNT_W);
        $finish;
    end
end

assign s_axis_tready = 1'b1;

// ---- the two responders ----
wire [63:0] a_tdata, i_tdata;
wire [7:0]  a_tkeep, i_tkeep;
wire        a_tvalid, i_tvalid;
wire        a_tready, i_tready;
wire        a_tlast, i_tlast;
/* verilator lint_off UNUSEDSIGNAL */ wire a_tuser, i_tuser, a_s_ready, i_s_ready; /* verilator lint_on UNUSEDSIGNAL */

toe_arp_resp #(
    .QUEUE_LOG2(ARP_QUEUE_LOG2),
    .CNT_W(CNT_W)
) arp (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(a_s_ready),
    .s_axis_tlast(s_axis_tlast),
    .s_axis_tuser(s_axis_tuser),
    .m_axis_tdata(a_tdata),
    .m_axis_tkeep(a_tkeep),
    .m_axis_tvalid(a_tvalid),
    .m_axis_tready(a_tready),
    .m_axis_tlast(a_tlast),
    .m_axis_tuser(a_tuser),
    .cfg_enable(cfg_arp_en),
    .cfg_mac(cfg_mac),
    .cfg_ip(cfg_ip),
    .stat_replies(stat_arp_replies),
    .stat_busy(stat_arp_busy),
    .stat_drop(stat_drop[0 +: 2*CNT_W])
);

toe_icmp_echo #(
    .BUF_LOG2(ICMP_BUF_LOG2),
    .QUEUE_LOG2(ICMP_QUEUE_LOG2),
    .CNT_W(CNT_W)
) icmp (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(i_s_ready),
    .s_axis_tlast(s_axis_tlast),
    .s_axis_tuser(s_axis_tuser),
    .m_axis_tdata(i_tdata),
    .m_axis_tkeep(i_tkeep),
    .m_axis_tvalid(i_tvalid),
    .m_axis_tready(i_tready),
    .m_axis_tlast(i_tlast),
    .m_axis_tuser(i_tuser),
    .cfg_enable(cfg_ping_en),
    .cfg_mac(cfg_mac),
    .cfg_ip(cfg_ip),
    .cfg_ttl(cfg_ttl),
    .cfg_ip_id(cfg_ip_id),
    .ip_id_take(ip_id_take),
    .stat_replies(stat_icmp_replies),
    .stat_busy(stat_icmp_busy),
    .stat_drop(stat_drop[2*CNT_W +: 7*CNT_W])
);

// ---- frame arbiter: round robin, switches only between frames ----
reg lock_reg = 1'b0;   // inside a frame: keep sel_reg
reg sel_reg = 1'b0;    // 0 ARP, 1 ICMP: the source of the frame in progress
reg pri_reg = 1'b0;    // who goes first at the next frame boundary
reg sel;

wire o_ready;

always @* begin
    if (lock_reg)
        sel = sel_reg;
    else if (pri_reg)
        sel = i_tvalid || !a_tvalid;
    else
        sel = !a_tvalid && i_tvalid;
end

wire        o_valid = sel ? i_tvalid : a_tvalid;
wire        o_last = sel ? i_tlast : a_tlast;
assign a_tready = !sel && o_ready;
assign i_tready = sel && o_ready;

always @(posedge clk) begin
    if (o_valid && o_ready) begin
        lock_reg <= !o_last;
        sel_reg <= sel;
        if (o_last)
            pri_reg <= !sel;
    end
    if (rst) begin
        lock_reg <= 1'b0;
        sel_reg <= 1'b0;
        pri_reg <= 1'b0;
    end
end

toe_skid #(
    .DATA_W(64),
    .USER_W(1)
) out_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(sel ? i_tdata : a_tdata),
    .s_axis_tkeep(sel ? i_tkeep : a_tkeep),
    .s_axis_tvalid(o_valid),
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
