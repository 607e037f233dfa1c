// SPDX-License-Identifier: MIT
//
// alloc_fv.v - formal properties of the connection id allocator
// (rtl/toe_tcb_alloc.v), checked by tests/scripts/formal.sh (make formal)
// with Yosys' SMT back end and yosys-smtbmc, bounded from reset.
//
// The harness keeps its own bitmap of the ids in use (`shadow`), updated
// from the allocator's interface alone: a take marks the offered id, an
// accepted free clears free_id. Against it:
//   A1  an offered id is free, and every lower id is in use: the lowest
//       free id, the order the reference stack uses ("lowest free id
//       first", host/ref/tcp_ref.c)
//   A2  an offered id is below `limit` (cfg.max_conns)
//   A3  completeness: while ready, if some id below `limit` is free, one
//       is offered
//   A4  `used` equals the number of ids in use whenever ready (the
//       CONNS_USED register)
//   A5  ready comes back at most 4 cycles after a take or a free, and at
//       most N/WORD + 3 cycles after rst
// The environment may take only while ready && avail, free only while
// ready and not taking; it may free an id that is not in use (that must
// change nothing) and change `limit` at any time.
`timescale 1ns / 1ps
`default_nettype none

module alloc_fv #(
    parameter N = 8
) (
    input wire clk
);

localparam ID_W = $clog2(N);
localparam WORD = (N >= 128) ? 64 : N / 2;
localparam NW = N / WORD;

// free inputs of the environment
(* anyseq *) wire rst_any;
(* anyseq *) wire take_any, free_any;
(* anyseq *) wire [ID_W-1:0] free_id;
(* anyseq *) wire [ID_W:0] limit;

reg init = 1'b1;
always @(posedge clk) init <= 1'b0;
wire rst = init | rst_any;

wire ready, avail;
wire [ID_W-1:0] id;
wire [ID_W:0] used;
wire take = take_any && ready && avail;
wire free = free_any && ready && !take;

toe_tcb_alloc #(.N(N), .ID_W(ID_W)) dut (
    .clk(clk), .rst(rst), .limit(limit),
    .ready(ready), .avail(avail), .id(id),
    .take(take), .free(free), .free_id(free_id), .used(used)
);

reg [N-1:0] shadow = {N{1'b0}};
always @(posedge clk) begin
    if (rst) begin
        shadow <= {N{1'b0}};
    end else if (take) begin
        shadow[id] <= 1'b1;
    end else if (free) begin
        shadow[free_id] <= 1'b0;
    end
end

// population count, lowest free id below limit
integer k;
reg [ID_W:0] pop;
reg any_free;
always @* begin
    pop = {(ID_W+1){1'b0}};
    any_free = 1'b0;
    for (k = 0; k < N; k = k + 1) begin
        pop = pop + {{ID_W{1'b0}}, shadow[k]};
        if (!shadow[k] && k < limit)
            any_free = 1'b1;
    end
end

// cycles without ready since rst / the last take or free
reg [3:0] wait_cnt = 4'd0;
reg after_rst = 1'b1;
always @(posedge clk) begin
    if (rst) begin
        wait_cnt <= 4'd0;
        after_rst <= 1'b1;
    end else if (ready) begin
        wait_cnt <= 4'd0;
        if (take || free)
            after_rst <= 1'b0;
    end else begin
        wait_cnt <= wait_cnt + ((wait_cnt == 4'hf) ? 4'd0 : 4'd1);
    end
end

always @* begin
    if (!rst) begin
        if (avail) begin
            assert (!shadow[id]);                       // A1
            for (k = 0; k < N; k = k + 1)
                if (k < id)
                    assert (shadow[k]);                 // A1
            assert ({1'b0, id} < limit);                // A2
        end
        if (ready)
            assert (avail == any_free);                 // A3
        if (ready)
            assert (used == pop);                       // A4
        if (after_rst)
            assert (wait_cnt <= NW + 3);                // A5
        else
            assert (wait_cnt <= 4);                     // A5
    end
end

endmodule

`resetall
