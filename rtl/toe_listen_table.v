// SPDX-License-Identifier: MIT
//
// toe_listen_table.v - the listeners: which local ports accept SYNs.
//
// A bitmap of all 65536 ports in block RAM (1024 words of 64 bits, one bit
// per port), so a lookup costs one RAM read whatever the number of
// listeners, plus a count that caps them at `limit` (cfg.max_listeners,
// at most N_LISTEN) the way the reference stack's listener array does.
//
// Timing, as toe_conn_table: lk_en + lk_port in cycle 0 -> the word on the
// block RAM's output in cycle 1, registered: hit valid from cycle 2 until
// the next lookup, straight from that register (the RAM's clock-to-out is
// not in front of hit, nor of the add / delete it decides); add_en /
// del_en from cycle 2 on change the bit of that port (write-through). After rst the bitmap is cleared (1024 cycles)
// before `ready` rises.

`timescale 1ns / 1ps
`default_nettype none

// Listening-port set: 64K-bit bitmap in block RAM, with a count limit.
module toe_listen_table #(
    // most listeners at once
    parameter N_LISTEN = 64,
    // count width
    parameter CNT_W = $clog2(N_LISTEN + 1)
) (
    input  wire             clk,
    input  wire             rst,
    output wire             ready,

    // listeners allowed (values above N_LISTEN act as N_LISTEN)
    input  wire [31:0]      limit,

    input  wire             lk_en,
    input  wire [15:0]      lk_port,
    output wire             hit,
    // another listener may be added
    output wire             can_add,

    // add / remove the looked-up port (one at a time, not with lk_en)
    input  wire             add_en,
    input  wire             del_en,

    output wire [CNT_W-1:0] count
);

initial begin
    if (N_LISTEN < 1 || N_LISTEN > 65535) begin
        $error("%m: N_LISTEN (%0d) must be 1..65535", N_LISTEN);
        $finish;
    end
end

reg clearing_reg = 1'b1;
reg [9:0] clr_reg = 10'd0;
reg [CNT_W-1:0] count_reg = {CNT_W{1'b0}};
reg [15:0] port_reg = 16'd0;
reg fresh_reg = 1'b0;
reg [63:0] word_reg = 64'd0;

wire [63:0] ram_rdata;
/* verilator lint_off UNUSEDSIGNAL */ wire [63:0] ram_b_unused; /* verilator lint_on UNUSEDSIGNAL */
wire [63:0] word = fresh_reg ? ram_rdata : word_reg;
wire [63:0] mask = 64'd1 << port_reg[5:0];

wire [31:0] n_listen = N_LISTEN;
wire [31:0] eff_limit = (limit < n_listen) ? limit : n_listen;

assign ready = !clearing_reg;
assign hit = |(word_reg & mask);
assign count = count_reg;
assign can_add = {{(32 - CNT_W){1'b0}}, count_reg} < eff_limit;

wire [63:0] new_word = add_en ? (word | mask) : del_en ? (word & ~mask) : word;
wire wr = add_en || del_en;

// the RAM output is used only in the cycle after a lookup, and a lookup
// never shares a cycle with an add or delete: RW_OLD 0
toe_tcb_ram #(.DEPTH(1024), .WIDTH(64), .ADDR_W(10), .RW_OLD(0)) bitmap (
    .clk(clk),
    .a_en(clearing_reg || lk_en || wr),
    .a_we(clearing_reg || wr),
    .a_addr(clearing_reg ? clr_reg : lk_en ? lk_port[15:6] : port_reg[15:6]),
    .a_wdata(clearing_reg ? 64'd0 : new_word),
    .a_rdata(ram_rdata),
    .b_en(1'b0), .b_addr(10'd0), .b_rdata(ram_b_unused)
);

always @(posedge clk) begin
    word_reg <= new_word;
    fresh_reg <= 1'b0;
    if (lk_en) begin
        port_reg <= lk_port;
        fresh_reg <= 1'b1;
    end
    if (add_en && !hit) begin
        count_reg <= count_reg + 1'b1;
    end else if (del_en && hit) begin
        count_reg <= count_reg - 1'b1;
    end
    if (clearing_reg) begin
        clr_reg <= clr_reg + 1'b1;
        if (clr_reg == 10'h3FF) begin
            clearing_reg <= 1'b0;
        end
    end

    if (rst) begin
        clearing_reg <= 1'b1;
        clr_reg <= 10'd0;
        count_reg <= {CNT_W{1'b0}};
        fresh_reg <= 1'b0;
    end
end

`ifndef SYNTHESIS
// the RAM is RW_OLD 0: a lookup and a modification never share a cycle
always @(posedge clk) begin
    if (!rst && lk_en && wr) begin
        $error("%m: lookup and add/delete in the same cycle");
    end
end
`endif

endmodule

`resetall
