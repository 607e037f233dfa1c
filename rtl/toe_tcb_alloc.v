// SPDX-License-Identifier: MIT
//
// toe_tcb_alloc.v - connection id allocator: always offers the LOWEST free
// id, the same order as the reference stack ("lowest free id first").
//
// Storage: a bitmap of N bits (1 = in use) in block RAM, WORD bits per
// word, plus one flip-flop per word saying "this word is full". The lowest
// free id is found by toe_tcb_ffs over the not-full flags (which word),
// then one RAM read and toe_tcb_ffs over that word (which bit). The answer
// is kept ready in registers, so taking an id costs nothing; after a take or
// a free the search runs again in the background:
//
//   take:  READY -> SEARCH -> LOAD -> READY        (3 cycles without `ready`)
//   free:  READY -> FREE -> SEARCH -> LOAD -> READY (4 cycles)
//
// After rst the bitmap is cleared (N / WORD cycles) before `ready` rises.
// `limit` caps the ids handed out (cfg.max_conns): the lowest free id is
// offered only if it is below the limit.
//
// `used` counts the ids in use: +1 on a take, -1 one cycle after a FREE
// that found its bit set (freeing a free id changes nothing), so it equals
// the number of 1 bits in the bitmap from the cycle after the search that
// follows (it is never read for a decision, only reported: the
// CONNS_USED register and the boards' live-connections LED).

`timescale 1ns / 1ps
`default_nettype none

// Lowest-free-id allocator for N connection ids.
module toe_tcb_alloc #(
    // number of ids (a power of two, >= 4)
    parameter N = 1024,
    // id width
    parameter ID_W = $clog2(N)
) (
    input  wire            clk,
    input  wire            rst,

    // ids >= limit are never offered
    input  wire [ID_W:0]   limit,

    // take/free are accepted only while ready
    output wire            ready,
    // a free id below limit exists; id is the lowest one
    output wire            avail,
    output wire [ID_W-1:0] id,
    // mark `id` used (needs ready && avail)
    input  wire            take,
    // mark free_id free (needs ready; not together with take)
    input  wire            free,
    input  wire [ID_W-1:0] free_id,
    // ids in use (0..N)
    output wire [ID_W:0]   used
);

// bits per bitmap word, and words
localparam WORD = (N >= 128) ? 64 : N / 2;
localparam NW = N / WORD;
localparam WB_W = $clog2(WORD);
localparam WI_W = $clog2(NW);

initial begin
    if (N < 4 || (N & (N - 1)) != 0 || ID_W != $clog2(N)) begin
        $error("%m: N (%0d) must be a power of two >= 4, ID_W = log2(N)", N);
        $finish;
    end
end

localparam [2:0]
    ST_CLEAR  = 3'd0, // writing zeros over the bitmap after rst
    ST_SEARCH = 3'd1, // pick the lowest not-full word, read it
    ST_LOAD   = 3'd2, // the word is read: find its lowest free bit
    ST_READY  = 3'd3, // id/avail valid, take or free accepted
    ST_FREE   = 3'd4; // the freed id's word is read: clear its bit

reg [2:0] state_reg = ST_CLEAR, state_next;

reg [WI_W-1:0] clr_reg = {WI_W{1'b0}}, clr_next;
reg [NW-1:0] wfull_reg = {NW{1'b0}}, wfull_next;
reg found_reg = 1'b0, found_next;
reg [WI_W-1:0] w_reg = {WI_W{1'b0}}, w_next;
reg [WB_W-1:0] b_reg = {WB_W{1'b0}}, b_next;
reg [WORD-1:0] word_reg = {WORD{1'b0}}, word_next;
reg [ID_W-1:0] fid_reg = {ID_W{1'b0}}, fid_next;
reg [ID_W:0] used_reg = {(ID_W+1){1'b0}};
// FREE found the freed bit set: count it down next cycle (keeps the RAM's
// read data off the counter's adder)
reg dec_reg = 1'b0, dec_next;

// bitmap RAM, port A only
reg ram_en, ram_we;
reg [WI_W-1:0] ram_addr;
reg [WORD-1:0] ram_wdata;
wire [WORD-1:0] ram_rdata;
/* verilator lint_off UNUSEDSIGNAL */ wire [WORD-1:0] ram_b_unused; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_ram #(.DEPTH(NW), .WIDTH(WORD), .ADDR_W(WI_W)) bitmap (
    .clk(clk),
    .a_en(ram_en), .a_we(ram_we), .a_addr(ram_addr), .a_wdata(ram_wdata),
    .a_rdata(ram_rdata),
    .b_en(1'b0), .b_addr({WI_W{1'b0}}), .b_rdata(ram_b_unused)
);

// which word: lowest one not full
wire w_found;
wire [WI_W-1:0] w_idx;
toe_tcb_ffs #(.W(NW), .IDX_W(WI_W)) ffs_word (
    .vec(~wfull_reg), .found(w_found), .idx(w_idx)
);

// which bit of the word just read: lowest zero
/* verilator lint_off UNUSEDSIGNAL */ wire b_found; /* verilator lint_on UNUSEDSIGNAL */
wire [WB_W-1:0] b_idx;
toe_tcb_ffs #(.W(WORD), .IDX_W(WB_W)) ffs_bit (
    .vec(~ram_rdata), .found(b_found), .idx(b_idx)
);

wire [ID_W-1:0] cur_id = {w_reg, b_reg};
wire [WI_W-1:0] fid_w = free_id[ID_W-1:WB_W];
wire [WB_W-1:0] fid_b = fid_reg[WB_W-1:0];
wire [WI_W-1:0] fid_reg_w = fid_reg[ID_W-1:WB_W];

assign ready = state_reg == ST_READY;
assign avail = ready && found_reg && ({1'b0, cur_id} < limit);
assign id = cur_id;
assign used = used_reg;

always @* begin
    state_next = state_reg;
    clr_next = clr_reg;
    wfull_next = wfull_reg;
    found_next = found_reg;
    w_next = w_reg;
    b_next = b_reg;
    word_next = word_reg;
    fid_next = fid_reg;
    dec_next = 1'b0;

    ram_en = 1'b0;
    ram_we = 1'b0;
    ram_addr = {WI_W{1'b0}};
    ram_wdata = {WORD{1'b0}};

    case (state_reg)
        ST_CLEAR: begin
            // one word of zeros per cycle
            ram_en = 1'b1;
            ram_we = 1'b1;
            ram_addr = clr_reg;
            clr_next = clr_reg + 1'b1;
            wfull_next = {NW{1'b0}};
            if (clr_reg == {WI_W{1'b1}}) begin
                state_next = ST_SEARCH;
            end
        end
        ST_SEARCH: begin
            found_next = w_found;
            w_next = w_idx;
            ram_en = 1'b1;
            ram_addr = w_idx;
            state_next = w_found ? ST_LOAD : ST_READY;
        end
        ST_LOAD: begin
            word_next = ram_rdata;
            b_next = b_idx;
            state_next = ST_READY;
        end
        ST_READY: begin
            if (take && found_reg) begin
                word_next = word_reg | ({{(WORD-1){1'b0}}, 1'b1} << b_reg);
                ram_en = 1'b1;
                ram_we = 1'b1;
                ram_addr = w_reg;
                ram_wdata = word_next;
                wfull_next[w_reg] = &word_next;
                state_next = ST_SEARCH;
            end else if (free) begin
                fid_next = free_id;
                ram_en = 1'b1;
                ram_addr = fid_w;
                state_next = ST_FREE;
            end
        end
        ST_FREE: begin
            ram_en = 1'b1;
            ram_we = 1'b1;
            ram_addr = fid_reg_w;
            ram_wdata = ram_rdata & ~({{(WORD-1){1'b0}}, 1'b1} << fid_b);
            wfull_next[fid_reg_w] = 1'b0;
            dec_next = ram_rdata[fid_b];
            state_next = ST_SEARCH;
        end
        default: begin
            state_next = ST_CLEAR;
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    clr_reg <= clr_next;
    wfull_reg <= wfull_next;
    found_reg <= found_next;
    w_reg <= w_next;
    b_reg <= b_next;
    word_reg <= word_next;
    fid_reg <= fid_next;
    dec_reg <= dec_next;
    if (state_reg == ST_READY && take && found_reg) begin
        used_reg <= used_reg + 1'b1;
    end else if (dec_reg) begin
        used_reg <= used_reg - 1'b1;
    end

    if (rst) begin
        state_reg <= ST_CLEAR;
        clr_reg <= {WI_W{1'b0}};
        found_reg <= 1'b0;
        dec_reg <= 1'b0;
        used_reg <= {(ID_W+1){1'b0}};
    end
end

endmodule

`resetall
