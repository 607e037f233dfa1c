// SPDX-License-Identifier: MIT
//
// ODDRX1F.v - behavioural simulation model of the ECP5 generic x1 DDR
// output register, for the board-level simulation only (tests/board/).
// Written for this project from the behaviour Lattice documents in
// FPGA-TN-02035, "ECP5 and ECP5-5G High-Speed I/O Interface" (generic DDR,
// ODDRX1F): D0 and D1 are taken from the fabric on a rising edge of SCLK
// and sent out in that order, D0 while SCLK is high, D1 while it is low:
//
//   SCLK   _/^^\__/^^\__/^^\_
//   D0/D1   a/b   c/d   e/f      (presented before each rising edge)
//   Q           a  b  c  d  e    (a from that rising edge on)
//
// so D0 = 1, D1 = 0 forwards SCLK itself (LiteEth's RGMII TX_CLK). D1 is
// held from the rising edge by a falling-edge register, as in the real
// primitive, so a change of D1 before the next rising edge does not reach
// Q. RST (active high) clears the registers at once. The real
// primitive's output delay and GSR are not modelled (Q changes with the
// SCLK edge, with no skew). Not for synthesis (fpga/build.sh and
// mk/synth.sh never read fpga/*/sim/).
`timescale 1ns / 1ps
`default_nettype none

module ODDRX1F (
    input  wire D0,
    input  wire D1,
    input  wire SCLK,
    input  tri0 RST,   // low when left unconnected, as LiteEth leaves it
    output wire Q
);

reg q_rise, d1_rise, q_fall;
initial begin
    q_rise = 1'b0;
    d1_rise = 1'b0;
    q_fall = 1'b0;
end

always @(posedge SCLK or posedge RST)
    if (RST) begin
        q_rise <= 1'b0;
        d1_rise <= 1'b0;
    end else begin
        q_rise <= D0;
        d1_rise <= D1;
    end

always @(negedge SCLK or posedge RST)
    if (RST)
        q_fall <= 1'b0;
    else
        q_fall <= d1_rise;

assign Q = SCLK ? q_rise : q_fall;

endmodule

`default_nettype wire
