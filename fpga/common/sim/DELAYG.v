// SPDX-License-Identifier: MIT
//
// DELAYG.v - behavioural simulation model of the ECP5 fixed input/output
// delay element, for the board-level simulation only (tests/board/).
// Written for this project from the behaviour Lattice documents in
// FPGA-TN-02035, "ECP5 and ECP5-5G High-Speed I/O Interface" (DELAYG:
// a delay line set at configuration time by DEL_VALUE, in taps): Z is A
// delayed by DEL_VALUE taps. The tap length is taken as 25 ps, the value
// LiteEth's ECP5 RGMII PHY converts its tx_delay / rx_delay with
// (liteeth/phy/ecp5rgmii.py); DEL_MODE's intrinsic alignment delays are not
// modelled. fpga/ecp5-versa/liteeth.yml sets 0 taps: Z follows A at once.
// Not for synthesis (fpga/build.sh and mk/synth.sh never read fpga/*/sim/).
`timescale 1ns / 1ps
`default_nettype none

module DELAYG #(
    parameter DEL_MODE = "USER_DEFINED",
    parameter DEL_VALUE = 0
) (
    input  wire A,
    output wire Z
);

generate
    if (DEL_VALUE == 0) begin : g_none
        assign Z = A;
    end else begin : g_delay
        reg z_r;
        initial z_r = 1'b0;
        always @(A) z_r <= #(DEL_VALUE * 0.025) A;
        assign Z = z_r;
    end
endgenerate

wire unused = &{1'b0, DEL_MODE == "USER_DEFINED"};

endmodule

`default_nettype wire
