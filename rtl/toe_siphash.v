// SPDX-License-Identifier: MIT
//
// toe_siphash.v - SipHash-2-4 of a 12-byte message under a 128-bit key,
// fully pipelined: the ISN unit's hash (RFC 6528, ISN = M + F(4-tuple, key)).
//
// Input message, 12 bytes in wire order (byte 0 first), as the ISN unit
// builds it from the connection's 4-tuple, all fields big-endian:
//
//   byte  0..3   local IPv4 address        s_msg[95:64]
//   byte  4..5   local TCP port            s_msg[63:48]
//   byte  6..9   remote IPv4 address       s_msg[47:16]
//   byte 10..11  remote TCP port           s_msg[15:0]
//
// Key: 16 bytes K[0..15]; s_key[8*i +: 8] = K[i], so k0 = s_key[63:0] and
// k1 = s_key[127:64] are the little-endian words SipHash reads (the ISN_KEY
// registers, ISN_KEY[0] in s_key[31:0]).
//
// Output: the 64-bit SipHash result as a little-endian integer, what
// libsodium's crypto_shorthash_siphash24 writes as 8 bytes (m_hash[7:0] =
// out[0]). The ISN uses m_hash[31:0].
//
// SipHash-2-4 on 12 bytes: two message words (m0 = bytes 0..7, m1 = bytes
// 8..11 with the length 12 in the top byte), c = 2 rounds per word, d = 4
// finalisation rounds: 8 SipRounds = 16 half-rounds, each one 64-bit add
// deep on two lanes (v0/v1 and v2/v3):
//
//   init    v0 = k0^"somepseu" v1 = k1^"dorandom" v2 = k0^"lygenera"
//           v3 = k1^"tedbytes"^m0
//   hr 0-3  SipRound, SipRound                       then v0 ^= m0, v3 ^= m1
//   hr 4-7  SipRound, SipRound                       then v0 ^= m1, v2 ^= 0xff
//   hr 8-15 SipRound x4
//   out     v0 ^ v1 ^ v2 ^ v3
//
// Pipeline (ITERATE 0): 16 / HR_PER_STAGE stages, HR_PER_STAGE half-rounds
// each, then a toe_skid on the output (registered ready, so no
// combinational path from m_ready to s_ready).
//   Throughput: one hash per cycle (s_ready stays high while the output is
//   taken).
//   Latency: 16 / HR_PER_STAGE + 1 cycles from the clock edge that accepts
//   an input to the edge after which its m_valid is high (17 at the default
//   HR_PER_STAGE = 1).
// A stall at the output holds the whole pipeline (no bubble collapsing).
//
// Iterative (ITERATE 1): one stage's logic (HR_PER_STAGE half-rounds) used
// 16 / HR_PER_STAGE times over one state register, the same skid after it.
// The accepting edge only registers the initial state and the message (no
// half-round is computed in the accepting cycle, so the requester's valid
// and message multiplexer are not in front of the adders: that was the
// whole engine's critical path on the ECP5); the stages follow in the next
// 16 / HR_PER_STAGE cycles. Latency 16 / HR_PER_STAGE + 2 (one more than
// the pipeline); one hash at a time: s_ready is low from the edge after an
// accept until the edge that hands the result to the skid (which can accept
// the next input), so at most one accept per 16 / HR_PER_STAGE + 1 cycles.
// About 1 / (16 / HR_PER_STAGE) of the pipeline's adders and registers
// (toe_top uses it: one ISN per frame is all it needs).

`timescale 1ns / 1ps
`default_nettype none

// Fully pipelined SipHash-2-4 over a 12-byte message, valid/ready in and out.
module toe_siphash #(
    // half-rounds per pipeline stage: 1 (16 stages, one 64-bit add deep),
    // 2 (8 stages) or 4 (4 stages)
    parameter HR_PER_STAGE = 1,
    // 0: fully pipelined (one hash per cycle); 1: iterative (one hash per
    // 16 / HR_PER_STAGE + 1 cycles, latency one more, a fraction of the
    // logic)
    parameter ITERATE = 0,
    // width of s_user/m_user, a tag carried alongside each hash (at least 1)
    parameter USER_W = 1
) (
    input  wire              clk,
    input  wire              rst,

    input  wire [127:0]      s_key,
    input  wire [95:0]       s_msg,
    input  wire [USER_W-1:0] s_user,
    input  wire              s_valid,
    output wire              s_ready,

    output wire [63:0]       m_hash,
    output wire [USER_W-1:0] m_user,
    output wire              m_valid,
    input  wire              m_ready
);

// pipeline stages
localparam STAGES = 16 / HR_PER_STAGE;
// stage that applies the injection after hr 3 (needs m0 and m1)
localparam J4 = 4 / HR_PER_STAGE;
// stage that applies the injection after hr 7 (needs m1)
localparam J8 = 8 / HR_PER_STAGE;

initial begin
    if (HR_PER_STAGE != 1 && HR_PER_STAGE != 2 && HR_PER_STAGE != 4) begin
        $error("%m: HR_PER_STAGE (%0d) must be 1, 2 or 4", HR_PER_STAGE);
        $finish;
    end
    if (ITERATE != 0 && ITERATE != 1) begin
        $error("%m: ITERATE (%0d) must be 0 or 1", ITERATE);
        $finish;
    end
    if (USER_W < 1) begin
        $error("%m: USER_W (%0d) must be at least 1", USER_W);
        $finish;
    end
end

// "somepseudorandomlygeneratedbytes"
localparam [63:0] C0 = 64'h736f6d6570736575;
localparam [63:0] C1 = 64'h646f72616e646f6d;
localparam [63:0] C2 = 64'h6c7967656e657261;
localparam [63:0] C3 = 64'h7465646279746573;

function [63:0] rotl(input [63:0] x, input integer n);
    rotl = (x << n) | (x >> (64 - n));
endfunction

// One half-round (hr even: first half of a SipRound, odd: second half),
// preceded by the message/finalisation injection due before it. The state
// is {v3, v2, v1, v0}.
// inj4 / inj8: the injection before hr 4 / hr 8 (constant 0 or 1 in the
// pipeline, a run-time flag in the iterative unit)
function [255:0] half_round(input [255:0] v, input [63:0] m0, input [63:0] m1,
                            input integer hr, input inj4, input inj8);
    reg [63:0] v0, v1, v2, v3;
    begin
        {v3, v2, v1, v0} = v;
        v0 = v0 ^ ({64{inj4}} & m0) ^ ({64{inj8}} & m1);
        v3 = v3 ^ ({64{inj4}} & m1);
        v2 = v2 ^ {56'd0, {8{inj8}}};
        if (hr % 2 == 0) begin
            v0 = v0 + v1;
            v2 = v2 + v3;
            v1 = rotl(v1, 13) ^ v0;
            v3 = rotl(v3, 16) ^ v2;
            v0 = rotl(v0, 32);
        end else begin
            v2 = v2 + v1;
            v0 = v0 + v3;
            v1 = rotl(v1, 17) ^ v2;
            v3 = rotl(v3, 21) ^ v0;
            v2 = rotl(v2, 32);
        end
        half_round = {v3, v2, v1, v0};
    end
endfunction

// HR_PER_STAGE half-rounds from half-round hr0 on: one pipeline stage
function [255:0] stage_rounds(input [255:0] v, input [63:0] m0, input [63:0] m1,
                              input integer hr0);
    integer h;
    reg [255:0] t;
    begin
        t = v;
        for (h = 0; h < HR_PER_STAGE; h = h + 1) begin
            t = half_round(t, m0, m1, hr0 + h, hr0 + h == 4, hr0 + h == 8);
        end
        stage_rounds = t;
    end
endfunction

// The same with the stage number known only at run time (iterative unit):
// half-round hr = st * HR_PER_STAGE + h; its parity is h's (HR_PER_STAGE is
// even) except at HR_PER_STAGE 1, where st gives it.
function [255:0] stage_rounds_var(input [255:0] v, input [63:0] m0, input [63:0] m1,
                                  input [3:0] st);
    integer h;
    reg [255:0] t;
    reg [4:0] hr;
    begin
        t = v;
        for (h = 0; h < HR_PER_STAGE; h = h + 1) begin
            hr = {1'b0, st} * HR_PER_STAGE[4:0] + h[4:0];
            if (hr[0]) begin
                t = half_round(t, m0, m1, 1, hr == 5'd4, hr == 5'd8);
            end else begin
                t = half_round(t, m0, m1, 0, hr == 5'd4, hr == 5'd8);
            end
        end
        stage_rounds_var = t;
    end
endfunction

// bswap64: byte-reverse a 64-bit word (wire order -> little-endian word)
`include "toe_bytes.vh"

wire [63:0] k0 = s_key[63:0];
wire [63:0] k1 = s_key[127:64];
wire [63:0] in_m0 = bswap64(s_msg[95:32]);
wire [63:0] in_m1 = {8'd12, 24'd0, s_msg[7:0], s_msg[15:8], s_msg[23:16], s_msg[31:24]};

// the output skid buffer can take a beat
wire en;
// the final state, its valid and user tag, into the skid
wire [255:0]      v_out;
wire              out_valid;
wire [USER_W-1:0] out_user;

wire [255:0] v_init = {k1 ^ C3 ^ in_m0, k0 ^ C2, k1 ^ C1, k0 ^ C0};

generate
if (ITERATE == 0) begin : g_pipe
    // pipeline advances when the output skid buffer can take a beat
    assign s_ready = en;

    // stage j reads index j of these and drives index j + 1
    wire [255:0]      v_p [0:STAGES];
    wire              valid_p [0:STAGES];
    wire [USER_W-1:0] user_p [0:STAGES];
    wire [63:0]       m0_p [0:J4];
    wire [63:0]       m1_p [0:J8];

    assign v_p[0] = v_init;
    assign valid_p[0] = s_valid;
    assign user_p[0] = s_user;
    assign m0_p[0] = in_m0;
    assign m1_p[0] = in_m1;

    genvar j;
    for (j = 0; j < STAGES; j = j + 1) begin : g_stage
        // first half-round this stage computes
        localparam HR0 = j * HR_PER_STAGE;

        // control state
        reg valid_reg = 1'b0;
        // data path
        reg [255:0] v_reg = 256'd0;
        reg [USER_W-1:0] user_reg = {USER_W{1'b0}};

        // message words this stage sees (zero once no longer needed)
        wire [63:0] m0;
        wire [63:0] m1;
        if (j <= J4) begin : g_m0_in
            assign m0 = m0_p[j];
        end else begin : g_m0_none
            assign m0 = 64'd0;
        end
        if (j <= J8) begin : g_m1_in
            assign m1 = m1_p[j];
        end else begin : g_m1_none
            assign m1 = 64'd0;
        end

        // the stage's half-rounds, chained
        wire [255:0] v_next = stage_rounds(v_p[j], m0, m1, HR0);

        always @(posedge clk) begin
            if (en) begin
                valid_reg <= valid_p[j];
                v_reg <= v_next;
                user_reg <= user_p[j];
            end
            if (rst) begin
                valid_reg <= 1'b0;
            end
        end

        assign v_p[j + 1] = v_reg;
        assign valid_p[j + 1] = valid_reg;
        assign user_p[j + 1] = user_reg;

        // carry the message words to the stages that still need them
        if (j + 1 <= J4) begin : g_m0
            reg [63:0] m0_reg = 64'd0;
            always @(posedge clk) begin
                if (en) begin
                    m0_reg <= m0;
                end
            end
            assign m0_p[j + 1] = m0_reg;
        end
        if (j + 1 <= J8) begin : g_m1
            reg [63:0] m1_reg = 64'd0;
            always @(posedge clk) begin
                if (en) begin
                    m1_reg <= m1;
                end
            end
            assign m1_p[j + 1] = m1_reg;
        end
    end

    assign v_out = v_p[STAGES];
    assign out_valid = valid_p[STAGES];
    assign out_user = user_p[STAGES];
end else begin : g_iter
    // busy_reg: a hash is in the state register; st_reg: stages done on it
    // (STAGES = final, waiting for the skid)
    reg busy_reg = 1'b0;
    reg [4:0] st_reg = 5'd0;
    reg [255:0] v_reg = 256'd0;
    reg [63:0] m0_reg = 64'd0, m1_reg = 64'd0;
    reg [USER_W-1:0] user_reg = {USER_W{1'b0}};

    wire done = busy_reg && st_reg == STAGES[4:0];
    // the result leaves for the skid in this cycle, so a new input fits
    assign s_ready = en && (!busy_reg || done);
    wire take = s_valid && s_ready;

    // one stage's logic, on the state only (the accept just loads it)
    wire [255:0] it_next = stage_rounds_var(v_reg, m0_reg, m1_reg, st_reg[3:0]);

    always @(posedge clk) begin
        if (take) begin
            busy_reg <= 1'b1;
            st_reg <= 5'd0;
            v_reg <= v_init;
            m0_reg <= in_m0;
            m1_reg <= in_m1;
            user_reg <= s_user;
        end else if (done) begin
            if (en) begin
                busy_reg <= 1'b0;
            end
        end else if (busy_reg) begin
            st_reg <= st_reg + 5'd1;
            v_reg <= it_next;
        end
        if (rst) begin
            busy_reg <= 1'b0;
        end
    end

    assign v_out = v_reg;
    assign out_valid = done;
    assign out_user = user_reg;
end
endgenerate

wire [63:0] hash = v_out[63:0] ^ v_out[127:64] ^ v_out[191:128] ^ v_out[255:192];

// tkeep/tlast of the shared skid buffer carry nothing here (waived:)
/* verilator lint_off UNUSEDSIGNAL */
wire [8:0] skid_unused;
/* verilator lint_on UNUSEDSIGNAL */

toe_skid #(
    .DATA_W(64),
    .USER_W(USER_W)
) out_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(hash),
    .s_axis_tkeep(8'hff),
    .s_axis_tvalid(out_valid),
    .s_axis_tready(en),
    .s_axis_tlast(1'b1),
    .s_axis_tuser(out_user),
    .m_axis_tdata(m_hash),
    .m_axis_tkeep(skid_unused[7:0]),
    .m_axis_tvalid(m_valid),
    .m_axis_tready(m_ready),
    .m_axis_tlast(skid_unused[8]),
    .m_axis_tuser(m_user)
);

endmodule

`resetall
