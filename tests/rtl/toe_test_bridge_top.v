// SPDX-License-Identifier: MIT
//
// toe_test_bridge_top.v - test-only top for the host bridge's Verilator
// test: rtl/toe_host_bridge.v master of tests/rtl/toe_test_csr.v. The byte
// streams, the target's test controls, its access log (obs_*) and the
// bridge's statistics pulses are the ports tests/rtl/blocks/bridge_model.cpp
// drives and watches.

`timescale 1ns / 1ps
`default_nettype none

// Host bridge + test CSR target.
module toe_test_bridge_top #(
    // bridge: most words per request
    parameter MAX_BURST = 32,
    // bridge: byte timeout in cycles (short, so tests run fast)
    parameter TIMEOUT = 1000,
    // target: event FIFO depth, log2
    parameter EV_DEPTH_LOG2 = 4
) (
    input  wire        clk,
    input  wire        rst,

    input  wire [7:0]  s_axis_tdata,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,

    output wire [7:0]  m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,

    input  wire        csr_stall,
    input  wire        csr_hold,
    input  wire        ev_push,
    input  wire [3:0]  ev_type,
    input  wire [15:0] ev_conn,
    input  wire [31:0] ev_arg,
    output wire [15:0] ev_count,

    output wire        csr_busy,
    output wire        obs_valid,
    output wire        obs_we,
    output wire [9:0]  obs_addr,
    output wire [31:0] obs_data,
    output wire        obs_err,

    output wire        stat_frame,
    output wire        stat_crc_err,
    output wire        stat_oversize,
    output wire        stat_timeout,
    output wire        stat_replay
);

wire        csr_valid;
wire        csr_ready;
wire        csr_we;
wire [9:0]  csr_addr;
wire [31:0] csr_wdata;
wire        csr_rvalid;
wire [31:0] csr_rdata;
wire        csr_err;
wire        ev_pending;

assign csr_busy = csr_valid;

toe_host_bridge #(
    .ADDR_W(10),
    .MAX_BURST(MAX_BURST),
    .TIMEOUT(TIMEOUT),
    .EV_COUNT_W(16)
) bridge (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .csr_valid(csr_valid),
    .csr_ready(csr_ready),
    .csr_we(csr_we),
    .csr_addr(csr_addr),
    .csr_wdata(csr_wdata),
    .csr_rvalid(csr_rvalid),
    .csr_rdata(csr_rdata),
    .csr_err(csr_err),
    .ev_pending(ev_pending),
    .ev_count(ev_count),
    .stat_frame(stat_frame),
    .stat_crc_err(stat_crc_err),
    .stat_oversize(stat_oversize),
    .stat_timeout(stat_timeout),
    .stat_replay(stat_replay)
);

toe_test_csr #(
    .EV_DEPTH_LOG2(EV_DEPTH_LOG2)
) target (
    .clk(clk),
    .rst(rst),
    .csr_valid(csr_valid),
    .csr_ready(csr_ready),
    .csr_we(csr_we),
    .csr_addr(csr_addr),
    .csr_wdata(csr_wdata),
    .csr_rvalid(csr_rvalid),
    .csr_rdata(csr_rdata),
    .csr_err(csr_err),
    .stall(csr_stall),
    .hold(csr_hold),
    .ev_push(ev_push),
    .ev_type(ev_type),
    .ev_conn(ev_conn),
    .ev_arg(ev_arg),
    .ev_pending(ev_pending),
    .ev_count(ev_count),
    .obs_valid(obs_valid),
    .obs_we(obs_we),
    .obs_addr(obs_addr),
    .obs_data(obs_data),
    .obs_err(obs_err)
);

endmodule

`resetall
