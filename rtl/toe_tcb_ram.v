// SPDX-License-Identifier: MIT
//
// toe_tcb_ram.v - block RAM with one read/write port (A) and one read-only
// port (B), both synchronous on clk. The connection core keeps every large
// table in one of these (TCBs, hash buckets, the free-id bitmap, the
// listener bitmap), so each one is inferred as block RAM, never as
// flip-flops.
//
//   port A: a_en, a_we, a_addr, a_wdata -> a_rdata one cycle later
//           (read-first: a write returns the word's old value)
//   port B: b_en, b_addr -> b_rdata one cycle later; a read of a word that
//           port A writes in the same cycle returns the old value
//
// Read data holds while the port's enable is low. No reset: the owner
// clears the contents it relies on (every user sweeps its RAM after rst).

`timescale 1ns / 1ps
`default_nettype none

// Simple dual-port block RAM: port A read/write, port B read, 1-cycle reads.
module toe_tcb_ram #(
    // number of words
    parameter DEPTH = 1024,
    // word width in bits
    parameter WIDTH = 32,
    // address width
    parameter ADDR_W = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire              clk,

    input  wire              a_en,
    input  wire              a_we,
    input  wire [ADDR_W-1:0] a_addr,
    input  wire [WIDTH-1:0]  a_wdata,
    output reg  [WIDTH-1:0]  a_rdata,

    input  wire              b_en,
    input  wire [ADDR_W-1:0] b_addr,
    output reg  [WIDTH-1:0]  b_rdata
);

initial begin
    if (DEPTH < 2 || (1 << ADDR_W) < DEPTH) begin
        $error("%m: DEPTH (%0d) must be >= 2 and fit ADDR_W (%0d)", DEPTH, ADDR_W);
        $finish;
    end
end

reg [WIDTH-1:0] mem [0:DEPTH-1];

always @(posedge clk) begin
    if (a_en) begin
        a_rdata <= mem[a_addr];
        if (a_we) begin
            mem[a_addr] <= a_wdata;
        end
    end
end

always @(posedge clk) begin
    if (b_en) begin
        b_rdata <= mem[b_addr];
    end
end

endmodule

`resetall
