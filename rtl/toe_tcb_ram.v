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
//
// RW_OLD says what the owner needs when a word is read in the cycle it is
// written (by port A, or by port B while port A writes it):
//   1  the old value, as above. Block RAM does not promise that (an ECP5
//      DP16KD returns undefined data on such a collision), so synthesis
//      emulates it: on ECP5 Yosys doubles the block RAMs of a RAM with a
//      read/write port A and a read port B (1024 x 713: 80 DP16KD instead
//      of 40), or buffers the write in flip-flops. Cheap for narrow RAMs.
//   0  never relied on: the owner does not use a_rdata after a write cycle
//      and never uses b_rdata of a read that collided with a port-A write
//      (it retries, or never issues one). The memory is marked
//      no_rw_check, so Yosys maps it onto the block RAM as it is. The
//      simulation model still returns the old value; the owner's own
//      checks make sure no result of a collision is used.

`timescale 1ns / 1ps
`default_nettype none

// Simple dual-port block RAM: port A read/write, port B read, 1-cycle reads.
module toe_tcb_ram #(
    // number of words
    parameter DEPTH = 1024,
    // word width in bits
    parameter WIDTH = 32,
    // address width
    parameter ADDR_W = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    // 1: a read of a word written in the same cycle returns the old value
    // (emulated in synthesis); 0: the owner never relies on it (see above)
    parameter RW_OLD = 1,
    // 1: port A reads and writes; 0: port A only writes (a_rdata is 0), so
    // the RAM is one write and one read port, which ECP5 maps onto its
    // 36-bit-wide simple dual-port mode (PDPW16KD): a 128 x 600 RAM takes
    // 17 DP16KD instead of the 34 of the 18-bit true dual-port mode
    parameter A_READ = 1,
    // write lanes of port A (A_READ 0 only): a_we[l] writes bits
    // l * WIDTH / WE_W and up; WIDTH / WE_W a multiple of 9 maps each lane
    // onto whole byte enables of the ECP5 block RAM (9-bit bytes)
    parameter WE_W = 1
) (
    input  wire              clk,

    input  wire              a_en,
    input  wire [WE_W-1:0]   a_we,
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
    if (WE_W < 1 || WIDTH % WE_W != 0 || (WE_W > 1 && (RW_OLD != 0 || A_READ != 0))) begin
        $error("%m: WE_W (%0d) must divide WIDTH (%0d); lanes need RW_OLD 0, A_READ 0",
               WE_W, WIDTH);
        $finish;
    end
end

generate
if (RW_OLD != 0) begin : g_old

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

end else if (A_READ != 0) begin : g_nc

// the same memory as g_old but for the no_rw_check attribute, which a
// parameter cannot switch (attribute values are constants)

(* no_rw_check *)
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

end else begin : g_nc_w

(* no_rw_check *)
reg [WIDTH-1:0] mem [0:DEPTH-1];

localparam LANE = WIDTH / WE_W;

always @* a_rdata = {WIDTH{1'b0}};

integer l;
always @(posedge clk) begin
    for (l = 0; l < WE_W; l = l + 1) begin
        if (a_en && a_we[l]) begin
            mem[a_addr][l*LANE +: LANE] <= a_wdata[l*LANE +: LANE];
        end
    end
end

always @(posedge clk) begin
    if (b_en) begin
        b_rdata <= mem[b_addr];
    end
end

end
endgenerate

endmodule

`resetall
