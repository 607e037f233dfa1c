// SPDX-License-Identifier: MIT
//
// toe_top_bfifo.v - stream FIFO in block RAM with a first-word-fall-through
// output, for the payload buffers of the engine (toe_pay_gate). The memory
// has one write port and one registered read port (inferred as block RAM);
// a 2-entry output register in front of the sink hides the read latency, so
// the FIFO moves one entry per cycle in and out at the same time.
//
//   s_* ──► mem[2^DEPTH_LOG2] ──(read, 1 cycle)──► out regs (2) ──► m_*
//
// Latency: an entry written in cycle t is on m_data in cycle t + 2 (empty
// FIFO). s_ready is low only when the memory is full. `count` counts every
// entry held (memory, the read under way, the output registers); it can
// reach 2^DEPTH_LOG2 + 2.

`timescale 1ns / 1ps
`default_nettype none

// Block-RAM FIFO, FWFT output, one entry per cycle each way.
module toe_top_bfifo #(
    // entry width
    parameter WIDTH = 64,
    // log2 of the memory depth
    parameter DEPTH_LOG2 = 9
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire [WIDTH-1:0]      s_data,
    input  wire                  s_valid,
    output wire                  s_ready,

    output wire [WIDTH-1:0]      m_data,
    output wire                  m_valid,
    input  wire                  m_ready,

    output wire [DEPTH_LOG2+1:0] count
);

localparam DEPTH = 1 << DEPTH_LOG2;

initial begin
    if (DEPTH_LOG2 < 2 || WIDTH < 1) begin
        $error("%m: DEPTH_LOG2 (%0d) must be >= 2, WIDTH >= 1", DEPTH_LOG2);
        $finish;
    end
end

reg [WIDTH-1:0] mem [0:DEPTH-1];
reg [WIDTH-1:0] rd_data_reg;
reg [DEPTH_LOG2-1:0] wr_ptr_reg = {DEPTH_LOG2{1'b0}};
reg [DEPTH_LOG2-1:0] rd_ptr_reg = {DEPTH_LOG2{1'b0}};
reg [DEPTH_LOG2:0] mem_cnt_reg = {(DEPTH_LOG2+1){1'b0}};
// a memory read was issued last cycle: rd_data_reg is valid now
reg rd_vld_reg = 1'b0;
// output registers: o0 is the head
reg [WIDTH-1:0] o0_reg, o1_reg;
reg o0_vld_reg = 1'b0, o1_vld_reg = 1'b0;

wire push = s_valid && s_ready;
wire pop = m_valid && m_ready;
wire [1:0] o_cnt = {1'b0, o0_vld_reg} + {1'b0, o1_vld_reg};
// read when the output stage will have room for it: at most 2 entries
// held or under way after this cycle's pop
wire [2:0] o_after = {1'b0, o_cnt} + {2'b0, rd_vld_reg} - {2'b0, pop};
wire rd_en = mem_cnt_reg != {(DEPTH_LOG2+1){1'b0}} && o_after < 3'd2;

assign s_ready = mem_cnt_reg != DEPTH[DEPTH_LOG2:0];
assign m_valid = o0_vld_reg;
assign m_data = o0_reg;
assign count = {1'b0, mem_cnt_reg} + {{(DEPTH_LOG2+1){1'b0}}, rd_vld_reg} +
               {{DEPTH_LOG2{1'b0}}, o_cnt};

always @(posedge clk) begin
    if (push) begin
        mem[wr_ptr_reg] <= s_data;
    end
    if (rd_en) begin
        rd_data_reg <= mem[rd_ptr_reg];
    end
end

always @(posedge clk) begin
    if (push) begin
        wr_ptr_reg <= wr_ptr_reg + 1'b1;
    end
    if (rd_en) begin
        rd_ptr_reg <= rd_ptr_reg + 1'b1;
    end
    mem_cnt_reg <= mem_cnt_reg + {{DEPTH_LOG2{1'b0}}, push} -
                   {{DEPTH_LOG2{1'b0}}, rd_en};
    rd_vld_reg <= rd_en;

    // output stage: pop the head, then append the arriving read
    if (pop) begin
        o0_reg <= o1_reg;
        o0_vld_reg <= o1_vld_reg;
        o1_vld_reg <= 1'b0;
        if (rd_vld_reg) begin
            if (o1_vld_reg) begin
                o1_reg <= rd_data_reg;
                o1_vld_reg <= 1'b1;
            end else begin
                o0_reg <= rd_data_reg;
                o0_vld_reg <= 1'b1;
            end
        end
    end else if (rd_vld_reg) begin
        if (o0_vld_reg) begin
            o1_reg <= rd_data_reg;
            o1_vld_reg <= 1'b1;
        end else begin
            o0_reg <= rd_data_reg;
            o0_vld_reg <= 1'b1;
        end
    end

    if (rst) begin
        wr_ptr_reg <= {DEPTH_LOG2{1'b0}};
        rd_ptr_reg <= {DEPTH_LOG2{1'b0}};
        mem_cnt_reg <= {(DEPTH_LOG2+1){1'b0}};
        rd_vld_reg <= 1'b0;
        o0_vld_reg <= 1'b0;
        o1_vld_reg <= 1'b0;
    end
end

endmodule

`resetall
