// SPDX-License-Identifier: MIT
//
// toe_top_isnclk.v - the engine's time: `now` (ticks = clock cycles since
// rst) and the RFC 6528 ISN clock M = floor(now / (TICK_HZ / 250000)), a
// 4 us counter, exactly as the reference stack computes it (toe_ref_isn in
// host/ref/tcp_ref.c: M = now / (tick_hz / 250000), truncated to 32 bits).
//
// M is kept as a quotient/remainder pair (q, r) = divmod(now, D) that steps
// with now: r + 1 == D ? (0, q + 1) : (r + 1, q). The pair needs a starting
// point whenever D changes (rst, a TICK_HZ write), found by a sequential
// restoring divider, one quotient bit per cycle:
//
//   DIV1  D = TICK_HZ / 250000            32 cycles (0 is taken as 1)
//   DIV2  (q, r) = divmod(now + K, D)     64 cycles, K = 65: the dividend is
//         loaded in cycle S and the result written at the end of cycle
//         S + 64, so in cycle S + 65 (when now has advanced by 65) the pair
//         is exact and from then on it steps with now.
//
// m_valid is low while the divider runs (about 100 cycles): the ISN users
// wait for it (SYNs, CONNECT). now never stops and never goes backwards.

`timescale 1ns / 1ps
`default_nettype none

// Tick counter and 4 us ISN clock with exact division by TICK_HZ / 250000.
module toe_top_isnclk (
    input  wire        clk,
    input  wire        rst,

    // TICK_HZ register and its write strobe (restarts the division)
    input  wire [31:0] tick_hz,
    input  wire        tick_hz_wr,

    // ticks since rst
    output wire [63:0] now,
    // M is valid (the divider is not running)
    output wire        m_valid,
    // the ISN clock M = now / (tick_hz / 250000), low 32 bits
    output wire [31:0] m
);

localparam [31:0] TICKS_4US = 32'd250000;
// cycles from loading the DIV2 dividend to the first exact cycle
localparam [63:0] DIV2_K = 64'd65;

localparam [1:0]
    ST_RUN  = 2'd0, // (q, r) steps with now
    ST_DIV1 = 2'd1, // D = tick_hz / 250000
    ST_DIV2 = 2'd2; // (q, r) = divmod(now + K, D)

reg [1:0] state_reg = ST_DIV1;
reg [63:0] now_reg = 64'd0;
reg [31:0] q_reg = 32'd0;
reg [31:0] r_reg = 32'd0;
reg [31:0] d_reg = 32'd1;

// divider
reg [63:0] dvd_reg = 64'd0;   // dividend, shifted out at the top
/* verilator lint_off UNUSEDSIGNAL */ // bit 31 is shifted out
reg [31:0] quo_reg = 32'd0;   // quotient bits (low 32), shifted in at the bottom
/* verilator lint_on UNUSEDSIGNAL */
reg [31:0] rem_reg = 32'd0;   // partial remainder (< divisor)
reg [31:0] dvs_reg = 32'd1;   // divisor
reg [6:0] cnt_reg = 7'd0;     // iterations left - 1

wire [32:0] rem_sh = {rem_reg, dvd_reg[63]};
wire rem_ge = rem_sh >= {1'b0, dvs_reg};
/* verilator lint_off UNUSEDSIGNAL */ // bit 32 is 0: the remainder is below the divisor
wire [32:0] rem_nx = rem_ge ? rem_sh - {1'b0, dvs_reg} : rem_sh;
/* verilator lint_on UNUSEDSIGNAL */
wire [31:0] quo_nx = {quo_reg[30:0], rem_ge};

// D from the DIV1 quotient (0 -> 1)
wire [31:0] d_new = (quo_nx == 32'd0) ? 32'd1 : quo_nx;

wire [31:0] r_inc = r_reg + 32'd1;

always @(posedge clk) begin
    now_reg <= now_reg + 64'd1;

    // the running pair
    if (r_inc == d_reg) begin
        r_reg <= 32'd0;
        q_reg <= q_reg + 32'd1;
    end else begin
        r_reg <= r_inc;
    end

    case (state_reg)
        ST_RUN: begin
        end
        ST_DIV1: begin
            dvd_reg <= {dvd_reg[62:0], 1'b0};
            rem_reg <= rem_nx[31:0];
            quo_reg <= quo_nx;
            cnt_reg <= cnt_reg - 7'd1;
            if (cnt_reg == 7'd0) begin
                d_reg <= d_new;
                dvs_reg <= d_new;
                dvd_reg <= now_reg + DIV2_K;
                rem_reg <= 32'd0;
                quo_reg <= 32'd0;
                cnt_reg <= 7'd63;
                state_reg <= ST_DIV2;
            end
        end
        ST_DIV2: begin
            dvd_reg <= {dvd_reg[62:0], 1'b0};
            rem_reg <= rem_nx[31:0];
            quo_reg <= quo_nx;
            cnt_reg <= cnt_reg - 7'd1;
            if (cnt_reg == 7'd0) begin
                // exact from the next cycle on
                q_reg <= quo_nx;
                r_reg <= rem_nx[31:0];
                state_reg <= ST_RUN;
            end
        end
        default: begin
            state_reg <= ST_DIV1;
        end
    endcase

    if (tick_hz_wr || rst) begin
        // TICK_HZ as the top 32 bits of the dividend: 32 iterations
        state_reg <= ST_DIV1;
        dvd_reg <= {tick_hz, 32'd0};
        dvs_reg <= TICKS_4US;
        rem_reg <= 32'd0;
        quo_reg <= 32'd0;
        cnt_reg <= 7'd31;
    end
    if (rst) begin
        now_reg <= 64'd0;
        q_reg <= 32'd0;
        r_reg <= 32'd0;
        d_reg <= 32'd1;
    end
end

assign now = now_reg;
assign m_valid = state_reg == ST_RUN;
assign m = q_reg;

endmodule

`resetall
