// SPDX-License-Identifier: MIT
//
// EHXPLLL.v - lint-only stand-in for the ECP5 PLL primitive (Yosys and
// nextpnr know the real one): the ports and parameters fpga_ecp5_pll
// uses, CLKOP = CLKI, LOCK = 1. Not for synthesis, not a timing model.
`timescale 1ns / 1ps
`default_nettype none

/* verilator lint_off UNUSEDPARAM */
module EHXPLLL #(
    parameter PLLRST_ENA = "DISABLED",
    parameter INTFB_WAKE = "DISABLED",
    parameter STDBY_ENABLE = "DISABLED",
    parameter DPHASE_SOURCE = "DISABLED",
    parameter OUTDIVIDER_MUXA = "DIVA",
    parameter OUTDIVIDER_MUXB = "DIVB",
    parameter OUTDIVIDER_MUXC = "DIVC",
    parameter OUTDIVIDER_MUXD = "DIVD",
    parameter CLKI_DIV = 1,
    parameter CLKOP_ENABLE = "ENABLED",
    parameter CLKOP_DIV = 8,
    parameter CLKOP_CPHASE = 0,
    parameter CLKOP_FPHASE = 0,
    parameter FEEDBK_PATH = "CLKOP",
    parameter CLKFB_DIV = 1
) (
    input  wire RST, STDBY, CLKI, CLKFB,
    input  wire PHASESEL0, PHASESEL1, PHASEDIR, PHASESTEP, PHASELOADREG,
    input  wire PLLWAKESYNC, ENCLKOP, ENCLKOS, ENCLKOS2, ENCLKOS3,
    output wire CLKOP, LOCK
);
assign CLKOP = CLKI;
assign LOCK = 1'b1;
wire unused = &{1'b0, RST, STDBY, CLKFB, PHASESEL0, PHASESEL1, PHASEDIR,
                PHASESTEP, PHASELOADREG, PLLWAKESYNC, ENCLKOP, ENCLKOS,
                ENCLKOS2, ENCLKOS3};
endmodule
/* verilator lint_on UNUSEDPARAM */

`default_nettype wire
