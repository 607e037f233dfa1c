// SPDX-License-Identifier: MIT
//
// toe_conn_table.v - the connection table: 4-tuple -> connection id, in
// block RAM, as a two-choice ("d-left") hash table of short fingerprints.
//
// Key: {local_port 16, remote_ip 32, remote_port 16} = 64 bits (the local
// IP is the one configured address; segments for any other are dropped
// before the lookup). Two sub-tables of NB buckets, each bucket one RAM
// word of WAYS entries:
//
//   entry  = { valid 1 | fp FP_W | id ID_W }   bucket = WAYS entries
//   (each entry padded to whole 9-bit bytes in the RAM word: one way is
//   written alone, with the block RAM's byte enables)
//   h0(key)  bucket index in sub-table 0       (keyed hash, IDX_W bits)
//   fp(key)  fingerprint                       (second keyed hash, FP_W bits)
//   h1(key) = h0(key) ^ fp(key)[IDX_W-1:0]     bucket index in sub-table 1
//
// so there are 2 * N_CONN slots for at most N_CONN connections (load <= 1/2).
// The table stores a fingerprint, not the key: the full 4-tuple lives in
// the TCB, and toe_tcb_core compares it after the TCB read that follows a
// lookup anyway. Why: comparing 2 * WAYS 64-bit keys in one cycle put 1296
// bits of block-RAM output onto 16 comparators, the largest single source
// of routing congestion in toe_top (docs/synthesis.md), and the keys took
// 36 DP16KD; 25-bit fingerprints need 16, one per way and sub-table.
//
// Exactness. (h0, fp) determines the bucket pair, because h1 follows from
// h0 and fp (and h0 from h1 and fp): two keys with the same fingerprint
// that share either bucket share both. An insert is refused while any
// entry in the key's two buckets carries the key's fingerprint, so each
// bucket pair holds each fingerprint at most once, and a lookup finds at
// most one candidate. If the key is in the table, that candidate is it; if
// it is not, the candidate (if any) is another key with the same
// fingerprint, which the core's tuple compare rejects (a miss). The price:
// a new key is refused ("table full", counted) when another live key in
// its bucket pair has its fingerprint: probability at most 2 * WAYS *
// 2^-FP_W per insert, about load / (NB 2^FP_W) on average (at the default
// FP_W 25 of N_CONN 1024: at most 4.8e-7, 2.4e-7 with the table full;
// `make bench-conn-table` simulates it). While the other key lives, a
// retry of the refused key is refused too. This is the partial-key trick of
// cuckoo filters (Fan et al., CoNEXT 2014), applied to a two-choice table.
//
// An insert goes to the bucket holding fewer entries (table 0 on a tie),
// lowest free way. It fails if both buckets are full (all 2 * WAYS slots
// of the key's two buckets hold other keys) or on a fingerprint collision
// as above. Under churn (connections closing at random while new ones
// come, no entry ever moved) the bucket loads drift away from the ideal
// two-choice distribution, so the way count matters more than the load:
// with 4-way buckets the table refused 3.3e-4 of the inserts at 950 live
// connections of N_CONN 1024 and 1.2e-3 at 1024 (toe_top hit it at ~930
// live in the differential run); with 8-way buckets (the default) none in
// 2e8 inserts at 1024 live and 2e6 at 65536 (ideal random hash; `make
// bench-conn-table` runs that simulation). The differential run
// (tests/rtl/test_rtl_top_diff.c) churns at 1000 of 1024 ids through this
// RTL with zero refusals. If an insert does fail the core treats it as
// "table full" and counts it. The hashes are keyed (hash_key, a constant:
// a parameter in toe_top): a 4-bit S-box layer over key ^ K, then a
// Toeplitz matrix from K, so without K an attacker can aim neither many
// tuples at one bucket pair nor fingerprint collisions.
//
// Timing (every operation has fixed latency, worst case = best case):
//   lk_en + lk_key in cycle 0 -> the buckets on the RAM outputs in cycle 1,
//   compared there and kept in registers: hit / hit_id / can_ins valid in
//   cycle 2 and after (straight from registers), until the next lookup
//   taken; ins_en / del_en in cycle 2 or later modify the entry of that
//   looked-up key (write-through: the buckets' valid and match bits and
//   the hit are kept in registers, so a following ins/del sees the change
//   at once). `hit` means "the one candidate with this fingerprint": the
//   caller confirms it against the key in the TCB. The hit is registered so
//   that the block RAM's clock-to-out and the fingerprint compares are not
//   in front of the caller's next address (the TCB RAM's, in toe_tcb_core:
//   the routed critical path while the hit was combinational).
//   A lookup with lk_void, or in a cycle with ins_en / del_en, is not
//   taken: the RAM is read (its result is thrown away), but the kept
//   registers, the key's hashes and the pending modification stay the
//   previous lookup's. The core issues its next segment's lookup
//   speculatively in the cycle its current job ends and voids it when that
//   cycle does not end the job or modifies the table.
// After rst the RAMs are cleared (NB cycles) before `ready` rises.

`timescale 1ns / 1ps
`default_nettype none

// 4-tuple -> id hash table, two sub-tables of WAYS-way buckets.
module toe_conn_table #(
    // connection ids 0..N_CONN-1 (a power of two, >= 16)
    parameter N_CONN = 1024,
    // id width
    parameter ID_W = $clog2(N_CONN),
    // entries per bucket
    parameter WAYS = 8,
    // key width: local port, remote IP, remote port
    parameter KEY_W = 64,
    // fingerprint width; 0: what fills the entry's whole 9-bit bytes with
    // at least 24 bits (25 at N_CONN 1024: an entry is then exactly one
    // 36-bit block-RAM word, so each way's comparator reads one DP16KD);
    // tests set it small to make collisions happen
    parameter FP_W_SET = 0
) (
    input  wire             clk,
    input  wire             rst,

    // hash key: held constant (the table's contents follow from it);
    // toe_top ties it to a parameter, so synthesis folds it into the hash
    input  wire [127:0]     hash_key,
    // cleared after rst: operations may start
    output wire             ready,

    // lookup: result from the next cycle on. The key is lk_key_seg when
    // lk_seg, else lk_key: both are hashed, and lk_seg picks among the
    // hashes (the caller's late "which job" decision then sits after the
    // hash, in front of the RAM address only, not in front of the hash)
    input  wire             lk_en,
    // the lookup is not taken (see Timing)
    input  wire             lk_void,
    input  wire             lk_seg,
    input  wire [KEY_W-1:0] lk_key_seg,
    input  wire [KEY_W-1:0] lk_key,
    // from registers, cycle 2 after a lookup on
    output wire             hit,
    output wire [ID_W-1:0]  hit_id,
    // an insert of the looked-up key would succeed (a free way, and no
    // entry with its fingerprint in its buckets)
    output wire             can_ins,

    // insert the looked-up key with this id (key not present, can_ins)
    input  wire             ins_en,
    input  wire [ID_W-1:0]  ins_id,
    // delete the looked-up key (hit)
    input  wire             del_en
);

localparam NB = N_CONN / WAYS;
localparam IDX_W = $clog2(NB);
localparam FP_W = (FP_W_SET > 0) ? FP_W_SET : ((1 + ID_W + 24 + 8) / 9) * 9 - 1 - ID_W;
localparam ENT_W = 1 + FP_W + ID_W;
localparam WAY_W = (WAYS > 1) ? $clog2(WAYS) : 1;

initial begin
    if (N_CONN < 16 || (N_CONN & (N_CONN - 1)) != 0 || ID_W != $clog2(N_CONN)) begin
        $error("%m: N_CONN (%0d) must be a power of two >= 16, ID_W = log2", N_CONN);
        $finish;
    end
    if (WAYS < 2 || (WAYS & (WAYS - 1)) != 0 || KEY_W != 64 || IDX_W > 32) begin
        $error("%m: WAYS (%0d) must be a power of two >= 2, KEY_W 64", WAYS);
        $finish;
    end
    if (FP_W < IDX_W || FP_W > 64) begin
        $error("%m: FP_W (%0d) must be at least the bucket index width (%0d), at most 64",
               FP_W, IDX_W);
        $finish;
    end
end

// ---- keyed hash: S-box layer, then Toeplitz ----

// a fixed constant mixed into the key so that a zero key still spreads
localparam [127:0] HASH_C = 128'h243F6A8885A308D313198A2E03707344;

wire [127:0] kx = hash_key ^ HASH_C;
wire [255:0] kext = {kx, kx};

// PRESENT cipher S-box
`ifdef VERILATOR
// The Verilated model evaluates the four hashes on every cycle: there the
// S-box is a shift of a constant table (nibble x of SBOX_T is sbox(x),
// 0 -> C ... F -> 2), not the four-deep branch tree the case becomes.
// Synthesis reads the case, unchanged (the same 4-input functions, but a
// different netlist to map).
localparam [63:0] SBOX_T = 64'h2174_8FE3_DA09_B65C;
function [3:0] sbox(input [3:0] x);
    sbox = SBOX_T[4*x +: 4];
endfunction
`else
function [3:0] sbox(input [3:0] x);
    case (x)
        4'h0: sbox = 4'hC; 4'h1: sbox = 4'h5; 4'h2: sbox = 4'h6; 4'h3: sbox = 4'hB;
        4'h4: sbox = 4'h9; 4'h5: sbox = 4'h0; 4'h6: sbox = 4'hA; 4'h7: sbox = 4'hD;
        4'h8: sbox = 4'h3; 4'h9: sbox = 4'hE; 4'hA: sbox = 4'hF; 4'hB: sbox = 4'h8;
        4'hC: sbox = 4'h4; 4'hD: sbox = 4'h7; 4'hE: sbox = 4'h1; default: sbox = 4'h2;
    endcase
endfunction
`endif

function [63:0] sbox_layer(input [63:0] x);
    integer n;
    begin
        for (n = 0; n < 16; n = n + 1) begin
            sbox_layer[n*4 +: 4] = sbox(x[n*4 +: 4]);
        end
    end
endfunction

// Toeplitz hash: bit n is the parity of y AND the 64-bit window of k at
// base + n. The caller keeps the low nbits (<= 64) output bits: synthesis
// drops the logic of the others; the Verilated model, which would compute
// all 64 parities on every cycle, computes those bits only (the rest 0).
/* verilator lint_off UNUSEDSIGNAL */
// nbits: read by the Verilated model only
function [63:0] toeplitz(input [63:0] y, input [255:0] k, input integer base,
                         input integer nbits);
/* verilator lint_on UNUSEDSIGNAL */
    integer n;
    begin
        for (n = 0; n < 64; n = n + 1) begin
`ifdef VERILATOR
            toeplitz[n] = n < nbits ? ^(y & k[base + n +: 64]) : 1'b0;
`else
            toeplitz[n] = ^(y & k[base + n +: 64]);
`endif
        end
    end
endfunction

/* verilator lint_off UNUSEDSIGNAL */
// only the low IDX_W / FP_W bits are computed and used
wire [63:0] lk_h0_g = toeplitz(sbox_layer(lk_key ^ kx[63:0]), kext, 64, IDX_W);
wire [63:0] lk_hf_g = toeplitz(sbox_layer(lk_key ^ kx[127:64]), kext, 128, FP_W);
wire [63:0] lk_h0_s = toeplitz(sbox_layer(lk_key_seg ^ kx[63:0]), kext, 64, IDX_W);
wire [63:0] lk_hf_s = toeplitz(sbox_layer(lk_key_seg ^ kx[127:64]), kext, 128, FP_W);
/* verilator lint_on UNUSEDSIGNAL */
wire [FP_W-1:0] lk_fp = lk_seg ? lk_hf_s[FP_W-1:0] : lk_hf_g[FP_W-1:0];
wire [IDX_W-1:0] lk_idx0 = lk_seg ? lk_h0_s[IDX_W-1:0] : lk_h0_g[IDX_W-1:0];
wire [IDX_W-1:0] lk_idx1 = lk_seg ? lk_h0_s[IDX_W-1:0] ^ lk_hf_s[IDX_W-1:0]
                                  : lk_h0_g[IDX_W-1:0] ^ lk_hf_g[IDX_W-1:0];

// ---- storage ----
// Each entry is ENT_P bits in the RAM word, whole 9-bit bytes of the ECP5
// block RAM (36 bits at N_CONN 1024: 288-bit buckets, 8 DP16KD a
// sub-table), so an insert or delete writes its one way with the RAM's
// byte enables: no read-modify-write of the bucket, no bucket-wide
// multiplexer or register. What a later insert / delete of the same
// looked-up key must see (valid and match bits, the hit) is kept in
// registers of a few bits per way.
localparam ENT_P = ((ENT_W + 8) / 9) * 9;
localparam RAM_W = WAYS * ENT_P;

reg clearing_reg = 1'b1;
reg [IDX_W-1:0] clr_reg = {IDX_W{1'b0}};
reg [FP_W-1:0] fp_reg = {FP_W{1'b0}};
reg [IDX_W-1:0] idx0_reg = {IDX_W{1'b0}}, idx1_reg = {IDX_W{1'b0}};
// the RAM outputs hold the buckets just read (cycle after a lookup)
reg fresh_reg = 1'b0;
wire [RAM_W-1:0] ram0_rdata, ram1_rdata;
/* verilator lint_off UNUSEDSIGNAL */
// a_rdata is 0 (write-only port A); the pad bits are never read
wire [RAM_W-1:0] ram0_a_unused, ram1_a_unused;
/* verilator lint_on UNUSEDSIGNAL */

// what the buckets of the looked-up key say, after the modifications so
// far: valid and match bits per way, and the hit
reg [WAYS-1:0] v0_reg = {WAYS{1'b0}}, v1_reg = {WAYS{1'b0}};
reg [WAYS-1:0] m0_reg = {WAYS{1'b0}}, m1_reg = {WAYS{1'b0}};
reg [ID_W-1:0] hid_reg = {ID_W{1'b0}};
reg [WAY_W-1:0] hway_reg = {WAY_W{1'b0}};
reg htab_reg = 1'b0;

// ---- compare, choose ----
reg [WAYS-1:0] m0, m1, v0, v1;
reg [ID_W-1:0] hid;
reg [WAY_W-1:0] hway;
reg htab;
integer w;
always @* begin
    hid = {ID_W{1'b0}};
    hway = {WAY_W{1'b0}};
    htab = 1'b0;
    for (w = 0; w < WAYS; w = w + 1) begin
        v0[w] = ram0_rdata[w*ENT_P + ENT_W - 1];
        v1[w] = ram1_rdata[w*ENT_P + ENT_W - 1];
        m0[w] = v0[w] && ram0_rdata[w*ENT_P + ID_W +: FP_W] == fp_reg;
        m1[w] = v1[w] && ram1_rdata[w*ENT_P + ID_W +: FP_W] == fp_reg;
    end
    // a fingerprint is in at most one slot of a bucket pair, so the hit's
    // id, way and table are an OR over the matching slots (two levels of
    // LUTs, not a 16-deep priority chain)
    for (w = 0; w < WAYS; w = w + 1) begin
        hid = hid | ({ID_W{m0[w]}} & ram0_rdata[w*ENT_P +: ID_W]) |
                    ({ID_W{m1[w]}} & ram1_rdata[w*ENT_P +: ID_W]);
        hway = hway | ({WAY_W{m0[w] | m1[w]}} & w[WAY_W-1:0]);
    end
    htab = |m1;
    // after the lookup's cycle: what the registers kept
    if (!fresh_reg) begin
        v0 = v0_reg;
        v1 = v1_reg;
        m0 = m0_reg;
        m1 = m1_reg;
        hid = hid_reg;
        hway = hway_reg;
        htab = htab_reg;
    end
end

function [WAY_W:0] popcount(input [WAYS-1:0] v);
    integer n;
    begin
        popcount = {(WAY_W+1){1'b0}};
        for (n = 0; n < WAYS; n = n + 1) begin
            popcount = popcount + {{WAY_W{1'b0}}, v[n]};
        end
    end
endfunction

// Insert and delete come at least two cycles after their lookup (the core
// reads and registers the TCB in between), so where they go and whether an
// insert can succeed are worked out from the kept registers only: the
// block RAM's clock-to-out and the fingerprint compares are not in front
// of the popcounts, can_ins, or the write enables.
wire [WAY_W:0] cnt0 = popcount(v0_reg);
wire [WAY_W:0] cnt1 = popcount(v1_reg);
// insert into the less loaded bucket, table 0 on a tie
wire itab = cnt1 < cnt0;
wire [WAYS-1:0] ifree = itab ? ~v1_reg : ~v0_reg;
reg [WAY_W-1:0] iway;
always @* begin
    iway = {WAY_W{1'b0}};
    for (w = WAYS - 1; w >= 0; w = w - 1) begin
        if (ifree[w]) begin
            iway = w[WAY_W-1:0];
        end
    end
end

assign ready = !clearing_reg;
assign hit = |{m0_reg, m1_reg};
assign hit_id = hid_reg;
// no second entry with the same fingerprint in a bucket pair (see top);
// valid from the second cycle after the lookup on
assign can_ins = |ifree && !(|{m0_reg, m1_reg});

// ---- modify: the way written, and the kept bits after it ----
reg [WAYS-1:0] we0, we1;
reg [WAYS-1:0] v0n, v1n, m0n, m1n;
reg [ID_W-1:0] hidn;
reg [WAY_W-1:0] hwayn;
reg htabn;
always @* begin
    we0 = {WAYS{1'b0}};
    we1 = {WAYS{1'b0}};
    v0n = v0;
    v1n = v1;
    m0n = m0;
    m1n = m1;
    hidn = hid;
    hwayn = hway;
    htabn = htab;
    if (ins_en) begin
        // the new entry: found from now on
        if (itab) begin
            we1[iway] = 1'b1;
            v1n[iway] = 1'b1;
            m1n[iway] = 1'b1;
        end else begin
            we0[iway] = 1'b1;
            v0n[iway] = 1'b1;
            m0n[iway] = 1'b1;
        end
        hidn = ins_id;
        hwayn = iway;
        htabn = itab;
    end else if (del_en) begin
        // its valid bit cleared: no hit (id, way, table read 0 then)
        if (htab_reg) begin
            we1[hway_reg] = 1'b1;
            v1n[hway_reg] = 1'b0;
            m1n[hway_reg] = 1'b0;
        end else begin
            we0[hway_reg] = 1'b1;
            v0n[hway_reg] = 1'b0;
            m0n[hway_reg] = 1'b0;
        end
        hidn = {ID_W{1'b0}};
        hwayn = {WAY_W{1'b0}};
        htabn = 1'b0;
    end
end

// a lookup that counts (see Timing)
wire lk_take = lk_en && !lk_void && !ins_en && !del_en;

// port A writes (the clear sweep: every way invalid; inserts, deletes: one
// way), port B reads (lookups). Every way gets the same data; the lane
// enables pick the way. An invalid entry's key and id are never read.
wire [ENT_P-1:0] went = {{(ENT_P - ENT_W){1'b0}}, ins_en && !clearing_reg, fp_reg, ins_id};
wire [RAM_W-1:0] ram_wdata = {WAYS{went}};
wire [WAYS-1:0] ram0_we = clearing_reg ? {WAYS{1'b1}} : we0;
wire [WAYS-1:0] ram1_we = clearing_reg ? {WAYS{1'b1}} : we1;
wire [IDX_W-1:0] ram0_waddr = clearing_reg ? clr_reg : idx0_reg;
wire [IDX_W-1:0] ram1_waddr = clearing_reg ? clr_reg : idx1_reg;

// a lookup never shares a cycle with an insert or delete (asserted below),
// and the read data is used only in the cycle after a lookup: RW_OLD 0,
// and port A writes only (the 36-bit simple dual-port mode on ECP5), with
// one write lane per way
toe_tcb_ram #(.DEPTH(NB), .WIDTH(RAM_W), .ADDR_W(IDX_W), .RW_OLD(0), .A_READ(0),
              .WE_W(WAYS)) tab0 (
    .clk(clk),
    .a_en(|ram0_we), .a_we(ram0_we), .a_addr(ram0_waddr), .a_wdata(ram_wdata),
    .a_rdata(ram0_a_unused),
    .b_en(lk_en), .b_addr(lk_idx0), .b_rdata(ram0_rdata)
);

toe_tcb_ram #(.DEPTH(NB), .WIDTH(RAM_W), .ADDR_W(IDX_W), .RW_OLD(0), .A_READ(0),
              .WE_W(WAYS)) tab1 (
    .clk(clk),
    .a_en(|ram1_we), .a_we(ram1_we), .a_addr(ram1_waddr), .a_wdata(ram_wdata),
    .a_rdata(ram1_a_unused),
    .b_en(lk_en), .b_addr(lk_idx1), .b_rdata(ram1_rdata)
);

always @(posedge clk) begin
    v0_reg <= v0n;
    v1_reg <= v1n;
    m0_reg <= m0n;
    m1_reg <= m1n;
    hid_reg <= hidn;
    hway_reg <= hwayn;
    htab_reg <= htabn;
    fresh_reg <= 1'b0;
    if (lk_take) begin
        fp_reg <= lk_fp;
        idx0_reg <= lk_idx0;
        idx1_reg <= lk_idx1;
        fresh_reg <= 1'b1;
    end
    if (clearing_reg) begin
        clr_reg <= clr_reg + 1'b1;
        if (clr_reg == {IDX_W{1'b1}}) begin
            clearing_reg <= 1'b0;
        end
    end
    if (rst) begin
        clearing_reg <= 1'b1;
        clr_reg <= {IDX_W{1'b0}};
        fresh_reg <= 1'b0;
    end
end

`ifndef SYNTHESIS
// a modification is never in the cycle right after its lookup (it works on
// the kept registers); a lookup in the same cycle as a modification is not
// taken (lk_take)
always @(posedge clk) begin
    if (!rst && fresh_reg && (ins_en || del_en)) begin
        $error("%m: insert/delete in the cycle after its lookup");
    end
    // the OR-ed hit select relies on it (the insert rule, see the top)
    if (!rst && !clearing_reg && fresh_reg && $countones({m0, m1}) > 1) begin
        $error("%m: a fingerprint in two slots of a bucket pair");
    end
end
`endif

endmodule

`resetall
