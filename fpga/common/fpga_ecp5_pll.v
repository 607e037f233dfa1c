// SPDX-License-Identifier: MIT
//
// fpga_ecp5_pll.v - the engine clock of an ECP5 board top: one EHXPLLL,
// CLKOP fed back (FEEDBK_PATH "CLKOP"), shared by every ECP5 board top.
//
//   CLKOP = CLKI / CLKI_DIV * CLKFB_DIV
//   VCO   = CLKOP * CLKOP_DIV          (400..800 MHz on the ECP5)
//
// The board top picks the dividers for its oscillator (FPGA-TN-02200,
// "ECP5 and ECP5-5G sysCLOCK PLL/DLL Design and User Guide"); nextpnr
// derives CLKOP's frequency constraint from the input's FREQUENCY in the
// board's .lpf and these dividers. CLKOP_CPHASE = CLKOP_DIV - 1 is the
// zero-phase setting of the output divider.
`timescale 1ns / 1ps
`default_nettype none

module fpga_ecp5_pll #(
    parameter CLKI_DIV = 5,
    parameter CLKFB_DIV = 3,
    parameter CLKOP_DIV = 10
) (
    input  wire clki,
    output wire clkop,
    output wire locked
);

EHXPLLL #(
    .PLLRST_ENA("DISABLED"),
    .INTFB_WAKE("DISABLED"),
    .STDBY_ENABLE("DISABLED"),
    .DPHASE_SOURCE("DISABLED"),
    .OUTDIVIDER_MUXA("DIVA"),
    .OUTDIVIDER_MUXB("DIVB"),
    .OUTDIVIDER_MUXC("DIVC"),
    .OUTDIVIDER_MUXD("DIVD"),
    .CLKI_DIV(CLKI_DIV),
    .CLKOP_ENABLE("ENABLED"),
    .CLKOP_DIV(CLKOP_DIV),
    .CLKOP_CPHASE(CLKOP_DIV - 1),
    .CLKOP_FPHASE(0),
    .FEEDBK_PATH("CLKOP"),
    .CLKFB_DIV(CLKFB_DIV)
) pll (
    .RST(1'b0),
    .STDBY(1'b0),
    .CLKI(clki),
    .CLKOP(clkop),
    .CLKFB(clkop),
    .PHASESEL0(1'b0),
    .PHASESEL1(1'b0),
    .PHASEDIR(1'b1),
    .PHASESTEP(1'b1),
    .PHASELOADREG(1'b1),
    .PLLWAKESYNC(1'b0),
    .ENCLKOP(1'b0),
    .ENCLKOS(1'b0),
    .ENCLKOS2(1'b0),
    .ENCLKOS3(1'b0),
    .LOCK(locked)
);

endmodule

`default_nettype wire
