// SPDX-License-Identifier: MIT
//
// toe_tcb_ffs.v - find first set: the index of the lowest 1 bit of a
// vector, combinational, as a two-level tree (groups of GROUP bits: which
// group holds the lowest 1, then which bit inside it), so no priority
// chain is longer than max(GROUP, W / GROUP). The free-id allocator uses it
// to find the lowest free connection id.

`timescale 1ns / 1ps
`default_nettype none

// Lowest set bit of `vec`: found = |vec, idx = its position (0 if none).
module toe_tcb_ffs #(
    // vector width
    parameter W = 64,
    // bits per group of the first level
    parameter GROUP = 32,
    // index width
    parameter IDX_W = (W > 1) ? $clog2(W) : 1
) (
    input  wire [W-1:0]     vec,
    output wire             found,
    output wire [IDX_W-1:0] idx
);

// number of groups, and the vector padded to whole groups
localparam NG = (W + GROUP - 1) / GROUP;
localparam PAD_W = NG * GROUP;
localparam GI_W = (NG > 1) ? $clog2(NG) : 1;
localparam BI_W = (GROUP > 1) ? $clog2(GROUP) : 1;

initial begin
    if (W < 1 || GROUP < 2 || (GROUP & (GROUP - 1)) != 0) begin
        $error("%m: W (%0d) must be >= 1 and GROUP (%0d) a power of two >= 2", W, GROUP);
        $finish;
    end
end

wire [PAD_W-1:0] padded = {{(PAD_W - W){1'b0}}, vec};

// first level: which groups hold a 1
reg [NG-1:0] any;
integer g;
always @* begin
    for (g = 0; g < NG; g = g + 1) begin
        any[g] = |padded[g*GROUP +: GROUP];
    end
end

// lowest group with a 1 (a chain of NG)
reg [GI_W-1:0] grp;
integer i;
always @* begin
    grp = {GI_W{1'b0}};
    for (i = NG - 1; i >= 0; i = i - 1) begin
        if (any[i]) begin
            grp = i[GI_W-1:0];
        end
    end
end

// lowest bit inside that group (a chain of GROUP)
wire [GROUP-1:0] sel = padded[grp*GROUP +: GROUP];
reg [BI_W-1:0] bit_idx;
integer j;
always @* begin
    bit_idx = {BI_W{1'b0}};
    for (j = GROUP - 1; j >= 0; j = j - 1) begin
        if (sel[j]) begin
            bit_idx = j[BI_W-1:0];
        end
    end
end

assign found = |any;

// {grp, bit_idx} may be wider or narrower than IDX_W
wire [GI_W+BI_W-1:0] full_idx = {grp, bit_idx};
generate
    if (GI_W + BI_W >= IDX_W) begin : g_trunc
        assign idx = full_idx[IDX_W-1:0];
        if (GI_W + BI_W > IDX_W) begin : g_unused
            // the high bits are 0 whenever a bit is found in W < 2^IDX_W
            /* verilator lint_off UNUSEDSIGNAL */ wire unused_hi = |full_idx[GI_W+BI_W-1:IDX_W]; /* verilator lint_on UNUSEDSIGNAL */
        end
    end else begin : g_ext
        assign idx = {{(IDX_W - GI_W - BI_W){1'b0}}, full_idx};
    end
endgenerate

endmodule

`resetall
