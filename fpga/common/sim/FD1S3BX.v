// SPDX-License-Identifier: MIT
//
// FD1S3BX.v - behavioural simulation model of the Lattice D flip-flop with
// positive-edge clock and asynchronous preset, for the board-level
// simulation only (tests/board/). Written for this project from its
// description in Lattice's "FPGA Libraries Reference Guide" (FD1S3BX:
// Q = D on a rising edge of CK; PD high sets Q to 1 at once). LiteEth uses
// a pair of them as its reset synchronizer. It starts at 1 (the global
// set/reset puts a preset flip-flop in its preset state at configuration).
// Not for synthesis (fpga/build.sh and mk/synth.sh never read fpga/*/sim/).
`timescale 1ns / 1ps
`default_nettype none

module FD1S3BX (
    input  wire D,
    input  wire CK,
    input  wire PD,
    output reg  Q
);

initial Q = 1'b1;

always @(posedge CK or posedge PD)
    if (PD)
        Q <= 1'b1;
    else
        Q <= D;

endmodule

`default_nettype wire
