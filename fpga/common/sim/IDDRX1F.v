// SPDX-License-Identifier: MIT
//
// IDDRX1F.v - behavioural simulation model of the ECP5 generic x1 DDR
// input register, for the board-level simulation only (tests/board/).
// Written for this project from the behaviour Lattice documents in
// FPGA-TN-02035, "ECP5 and ECP5-5G High-Speed I/O Interface" (generic DDR,
// IDDRX1F): D is sampled on both edges of SCLK and the two samples are
// handed to the fabric together, in SCLK's domain: Q0 is the bit sampled
// on the rising edge, Q1 the one sampled on the falling edge that follows
// it. Both outputs change on a rising edge of SCLK, one cycle after the
// rising-edge sample was taken:
//
//   SCLK   _/^\_/^\_/^\_
//   D       a b c d e f        (a, c, e on rising edges; b, d, f on falling)
//   Q0/Q1       . a/b c/d      (a/b from the second rising edge on)
//
// RST (active high) clears the registers at once. The real primitive's
// input delay and its GSR are not modelled. Not for synthesis (Yosys and
// nextpnr know the real one; fpga/build.sh and mk/synth.sh never read
// fpga/*/sim/).
`timescale 1ns / 1ps
`default_nettype none

module IDDRX1F (
    input  wire D,
    input  wire SCLK,
    input  tri0 RST,   // low when left unconnected, as LiteEth leaves it
    output reg  Q0,
    output reg  Q1
);

reg d_rise, d_fall;
initial begin
    d_rise = 1'b0;
    d_fall = 1'b0;
    Q0 = 1'b0;
    Q1 = 1'b0;
end

always @(posedge SCLK or posedge RST)
    if (RST) begin
        d_rise <= 1'b0;
        Q0 <= 1'b0;
        Q1 <= 1'b0;
    end else begin
        d_rise <= D;
        Q0 <= d_rise;
        Q1 <= d_fall;
    end

always @(negedge SCLK or posedge RST)
    if (RST)
        d_fall <= 1'b0;
    else
        d_fall <= D;

endmodule

`default_nettype wire
