// SPDX-License-Identifier: MIT
//
// toe_skid.v - AXI4-Stream register slice (skid buffer), the one shared by
// every block of the engine.
//
// Full throughput (one beat per cycle in steady state), and every output is
// a register: m_axis_* come from the output register, s_axis_tready from a
// register, so the slice cuts every combinational path between the two
// sides. When the sink stalls while a beat is arriving, that beat lands in a
// second ("skid") register; tready drops one cycle later.
//
//   s_axis ──► [skid reg] ──┐
//        └──────────────────┴─► [output reg] ──► m_axis
//
// Latency: 1 cycle. Storage: 2 beats.

`timescale 1ns / 1ps
`default_nettype none

// AXI4-Stream register slice with a skid register: full rate, registered
// tready/tvalid/tdata, 1-cycle latency.
module toe_skid #(
    // tdata width in bits, a multiple of 8
    parameter DATA_W = 64,
    // tkeep width, one bit per tdata byte
    parameter KEEP_W = DATA_W / 8,
    // tuser width in bits (at least 1)
    parameter USER_W = 1
) (
    input  wire              clk,
    input  wire              rst,

    input  wire [DATA_W-1:0] s_axis_tdata,
    input  wire [KEEP_W-1:0] s_axis_tkeep,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,
    input  wire              s_axis_tlast,
    input  wire [USER_W-1:0] s_axis_tuser,

    output wire [DATA_W-1:0] m_axis_tdata,
    output wire [KEEP_W-1:0] m_axis_tkeep,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire [USER_W-1:0] m_axis_tuser
);

// one beat, packed: {tuser, tlast, tkeep, tdata}
localparam BEAT_W = USER_W + 1 + KEEP_W + DATA_W;

initial begin
    if (DATA_W < 8 || DATA_W % 8 != 0) begin
        $error("%m: DATA_W (%0d) must be a positive multiple of 8", DATA_W);
        $finish;
    end
    if (KEEP_W * 8 != DATA_W) begin
        $error("%m: KEEP_W (%0d) must be DATA_W/8", KEEP_W);
        $finish;
    end
    if (USER_W < 1) begin
        $error("%m: USER_W (%0d) must be at least 1", USER_W);
        $finish;
    end
end

wire [BEAT_W-1:0] s_beat = {s_axis_tuser, s_axis_tlast, s_axis_tkeep, s_axis_tdata};

// control state
reg s_ready_reg = 1'b0, s_ready_next;
reg m_valid_reg = 1'b0, m_valid_next;
reg skid_valid_reg = 1'b0, skid_valid_next;

// data path (not reset)
reg [BEAT_W-1:0] m_beat_reg = {BEAT_W{1'b0}};
reg [BEAT_W-1:0] skid_beat_reg = {BEAT_W{1'b0}};

reg load_out_from_in;
reg load_out_from_skid;
reg load_skid_from_in;

assign s_axis_tready = s_ready_reg;
assign m_axis_tvalid = m_valid_reg;
assign {m_axis_tuser, m_axis_tlast, m_axis_tkeep, m_axis_tdata} = m_beat_reg;

always @* begin
    s_ready_next = s_ready_reg;
    m_valid_next = m_valid_reg;
    skid_valid_next = skid_valid_reg;

    load_out_from_in = 1'b0;
    load_out_from_skid = 1'b0;
    load_skid_from_in = 1'b0;

    // Ready next cycle if the sink takes the output now, or if the skid
    // register is empty and will stay so (output free, or nothing coming).
    s_ready_next = m_axis_tready || (!skid_valid_reg && (!m_valid_reg || !s_axis_tvalid));

    if (s_ready_reg) begin
        // accepting: the beat goes straight to the output if it is free
        // this cycle, else into the skid register
        if (m_axis_tready || !m_valid_reg) begin
            m_valid_next = s_axis_tvalid;
            load_out_from_in = 1'b1;
        end else begin
            skid_valid_next = s_axis_tvalid;
            load_skid_from_in = 1'b1;
        end
    end else if (m_axis_tready) begin
        // not accepting: drain the skid register into the output
        m_valid_next = skid_valid_reg;
        skid_valid_next = 1'b0;
        load_out_from_skid = 1'b1;
    end
end

always @(posedge clk) begin
    s_ready_reg <= s_ready_next;
    m_valid_reg <= m_valid_next;
    skid_valid_reg <= skid_valid_next;

    if (load_out_from_in) begin
        m_beat_reg <= s_beat;
    end else if (load_out_from_skid) begin
        m_beat_reg <= skid_beat_reg;
    end
    if (load_skid_from_in) begin
        skid_beat_reg <= s_beat;
    end

    if (rst) begin
        s_ready_reg <= 1'b0;
        m_valid_reg <= 1'b0;
        skid_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
