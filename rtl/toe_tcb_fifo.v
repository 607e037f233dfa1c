// SPDX-License-Identifier: MIT
//
// toe_tcb_fifo.v - small synchronous FIFO in registers for the connection
// core's outputs (transmit descriptors, events, payload decisions) and its
// timer-job queue. Up to NPUSH entries can be written in one cycle (a TCP
// step may raise three events at once): the valid ones among push_valid
// are stored in slot order, packed. The read side is a valid/ready stream
// whose data comes straight from the head register (first-word
// fall-through: an entry written in cycle t is visible in cycle t+1).
// `space` says how many entries can still be written.
//
// BYPASS = 1 (NPUSH 1 only): an entry written into an empty FIFO is on the
// read side in the same cycle (from push_data, which must then come from
// flip-flops: it is in front of the reader's logic), and is not stored if
// the reader takes it at once. The connection core's descriptor queue uses
// it so that registering the step's results (toe_tcb_core, stage W) costs
// the replies no cycle.
//
// With NPUSH > 1 the storage is 2^ceil(log2 NPUSH) banks, entry i in bank
// i mod banks: the up to NPUSH entries of one cycle go to consecutive
// slots, so to different banks, and each bank has a single write port (LUT
// RAM on an FPGA; three write ports into one array made Yosys build it from
// flip-flops and multiplexers, ~2000 LUT4 for 16 x 35 bits).

`timescale 1ns / 1ps
`default_nettype none

// Register FIFO, 2^DEPTH_LOG2 entries of WIDTH bits, NPUSH writes per cycle.
module toe_tcb_fifo #(
    // entry width
    parameter WIDTH = 32,
    // log2 of the number of entries
    parameter DEPTH_LOG2 = 3,
    // writes per cycle
    parameter NPUSH = 1,
    // first-word bypass of an empty FIFO (see above)
    parameter BYPASS = 0
) (
    input  wire                   clk,
    input  wire                   rst,

    // writes: the caller checks `space` first
    input  wire [NPUSH-1:0]       push_valid,
    input  wire [NPUSH*WIDTH-1:0] push_data,
    output wire [DEPTH_LOG2:0]    space,

    output wire                   m_valid,
    input  wire                   m_ready,
    output wire [WIDTH-1:0]       m_data,

    output wire [DEPTH_LOG2:0]    count
);

localparam DEPTH = 1 << DEPTH_LOG2;
// banks of the storage (1 when NPUSH is 1), log2
localparam NB_LOG2 = (NPUSH > 1) ? $clog2(NPUSH) : 0;

initial begin
    if (BYPASS != 0 && NPUSH != 1) begin
        $error("%m: BYPASS needs NPUSH 1");
        $finish;
    end
    if (NPUSH < 1 || NPUSH > DEPTH || DEPTH_LOG2 < 1) begin
        $error("%m: NPUSH (%0d) must be 1..2^DEPTH_LOG2 (%0d), DEPTH_LOG2 >= 1",
               NPUSH, DEPTH);
        $finish;
    end
    if (NPUSH > 1 && DEPTH_LOG2 <= NB_LOG2) begin
        $error("%m: with NPUSH %0d, DEPTH_LOG2 must be > %0d", NPUSH, NB_LOG2);
        $finish;
    end
end

reg [DEPTH_LOG2-1:0] rd_ptr_reg = {DEPTH_LOG2{1'b0}};
reg [DEPTH_LOG2-1:0] wr_ptr_reg = {DEPTH_LOG2{1'b0}};
reg [DEPTH_LOG2:0] count_reg = {(DEPTH_LOG2+1){1'b0}};

wire pop = m_valid && m_ready;

wire empty = count_reg == {(DEPTH_LOG2+1){1'b0}};
assign m_valid = !empty || (BYPASS != 0 && push_valid[0]);
assign count = count_reg;
assign space = DEPTH[DEPTH_LOG2:0] - count_reg;

// how many are written this cycle
reg [DEPTH_LOG2:0] n_push;
integer i;
always @* begin
    n_push = {(DEPTH_LOG2+1){1'b0}};
    for (i = 0; i < NPUSH; i = i + 1) begin
        n_push = n_push + {{DEPTH_LOG2{1'b0}}, push_valid[i]};
    end
end

// each valid entry goes to wr_ptr + (valid entries before it)
reg [NPUSH*DEPTH_LOG2-1:0] slot;
integer j;
always @* begin
    slot[DEPTH_LOG2-1:0] = wr_ptr_reg;
    for (j = 1; j < NPUSH; j = j + 1) begin
        slot[j*DEPTH_LOG2 +: DEPTH_LOG2] = slot[(j-1)*DEPTH_LOG2 +: DEPTH_LOG2] +
                                           {{(DEPTH_LOG2-1){1'b0}}, push_valid[j-1]};
    end
end

genvar gb;
generate
if (NPUSH == 1) begin : g_one

reg [WIDTH-1:0] mem [0:DEPTH-1];

always @(posedge clk) begin
    if (push_valid[0]) begin
        mem[wr_ptr_reg] <= push_data[WIDTH-1:0];
    end
end

assign m_data = (BYPASS != 0 && empty) ? push_data[WIDTH-1:0] : mem[rd_ptr_reg];

end else begin : g_banked

localparam NB = 1 << NB_LOG2;
localparam BD_LOG2 = DEPTH_LOG2 - NB_LOG2;
wire [NB*WIDTH-1:0] bank_q;

for (gb = 0; gb < NB; gb = gb + 1) begin : g_bank
    localparam [NB_LOG2-1:0] BI = gb;
    reg [WIDTH-1:0] bmem [0:(1 << BD_LOG2)-1];
    reg we;
    reg [BD_LOG2-1:0] wa;
    reg [WIDTH-1:0] wd;
    integer k;
    always @* begin
        we = 1'b0;
        wa = {BD_LOG2{1'b0}};
        wd = {WIDTH{1'b0}};
        for (k = 0; k < NPUSH; k = k + 1) begin
            if (push_valid[k] && slot[k*DEPTH_LOG2 +: NB_LOG2] == BI) begin
                we = 1'b1;
                wa = slot[k*DEPTH_LOG2 + NB_LOG2 +: BD_LOG2];
                wd = push_data[k*WIDTH +: WIDTH];
            end
        end
    end
    always @(posedge clk) begin
        if (we) begin
            bmem[wa] <= wd;
        end
    end
    assign bank_q[gb*WIDTH +: WIDTH] = bmem[rd_ptr_reg[DEPTH_LOG2-1:NB_LOG2]];
end

assign m_data = bank_q[rd_ptr_reg[NB_LOG2-1:0]*WIDTH +: WIDTH];

end
endgenerate

always @(posedge clk) begin
    wr_ptr_reg <= wr_ptr_reg + n_push[DEPTH_LOG2-1:0];
    if (pop) begin
        rd_ptr_reg <= rd_ptr_reg + 1'b1;
    end
    count_reg <= count_reg + n_push - {{DEPTH_LOG2{1'b0}}, pop};

    if (rst) begin
        rd_ptr_reg <= {DEPTH_LOG2{1'b0}};
        wr_ptr_reg <= {DEPTH_LOG2{1'b0}};
        count_reg <= {(DEPTH_LOG2+1){1'b0}};
    end
end

`ifndef SYNTHESIS
always @(posedge clk) begin
    if (!rst && n_push > space) begin
        $error("%m: overflow");
    end
end
`endif

endmodule

`resetall
