// SPDX-License-Identifier: MIT
//
// EHXPLLL.v - behavioural simulation model of the ECP5 PLL, for the
// board-level simulation only (Verilator --timing; tests/board/). Written
// for this project from the behaviour Lattice documents in FPGA-TN-02200,
// "ECP5 and ECP5-5G sysCLOCK PLL/DLL Design and Usage Guide": the
// reference CLKI divided by CLKI_DIV is compared with the feedback clock
// divided by CLKFB_DIV; with the feedback taken from CLKOP (FEEDBK_PATH
// "CLKOP", or "INT_OP", its internal twin) the loop settles at
//
//     f(CLKOP) = f(CLKI) * CLKFB_DIV / CLKI_DIV,  f(VCO) = f(CLKOP) * CLKOP_DIV
//
// with CLKOP's rising edges in phase with CLKI's when CLKOP_CPHASE is
// CLKOP_DIV - 1 and CLKOP_FPHASE 0 (no phase shift). The VCO must lie in
// 400..800 MHz (ECP5 family data sheet, FPGA-DS-02012, sysCLOCK PLL
// timing).
//
// What the model does: it measures CLKI's period from its rising edges
// ($realtime); after SIM_LOCK_CYCLES rising edges with the same period
// (within 0.1 %) it raises LOCK and starts CLKOP at that edge, each later
// edge placed at t_lock + n * period / 2 on the real time axis (rounded to
// the 1 ps precision per edge, so the mean frequency is exact). A CLKI
// period that changes, or RST, drops LOCK and stops CLKOP (low). The real
// PLL takes far longer to lock (the data sheet's t_LOCK, milliseconds);
// SIM_LOCK_CYCLES (a parameter of this model only) keeps the simulation
// short. Only what fpga_versa_top uses is modelled: the CLKOP output,
// feedback from CLKOP, no phase shift, no dynamic phase, no standby; any
// other setting stops the simulation with an error. The ports and
// parameters are exactly those the top connects and sets (Verilator
// refuses an unknown one). CLKFB is not used: with FEEDBK_PATH "CLKOP" the
// user wires CLKOP to it, as the top does.
//
// Not for synthesis (Yosys and nextpnr know the real primitive; fpga/build.sh
// and mk/synth.sh never read fpga/*/sim/), not linted with the board top
// (tests/scripts/lint.sh uses the stand-ins of ../lint/).
`timescale 1ns / 1ps
`default_nettype none

// OUTDIVIDER_MUX*, INTFB_WAKE: accepted as the top sets them, not modelled
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
    parameter CLKFB_DIV = 1,
    // model only: CLKI rising edges of a steady period before LOCK
    parameter SIM_LOCK_CYCLES = 32
) (
    input  wire RST, STDBY, CLKI, CLKFB,
    input  wire PHASESEL0, PHASESEL1, PHASEDIR, PHASESTEP, PHASELOADREG,
    input  wire PLLWAKESYNC, ENCLKOP, ENCLKOS, ENCLKOS2, ENCLKOS3,
    output reg  CLKOP,
    output reg  LOCK
);

// string parameters compared with literals of other lengths (zero-extended)
/* verilator lint_off WIDTH */
initial begin
    if (!(FEEDBK_PATH == "CLKOP" || FEEDBK_PATH == "INT_OP") ||
        CLKOP_ENABLE != "ENABLED" || STDBY_ENABLE != "DISABLED" ||
        DPHASE_SOURCE != "DISABLED" || PLLRST_ENA != "DISABLED" ||
        CLKOP_CPHASE != CLKOP_DIV - 1 || CLKOP_FPHASE != 0 ||
        CLKI_DIV < 1 || CLKFB_DIV < 1 || CLKOP_DIV < 1) begin
        $error("%m: EHXPLLL model: setting not modelled (feedback %s, CLKOP %s, CPHASE %0d of DIV %0d, FPHASE %0d)",
               FEEDBK_PATH, CLKOP_ENABLE, CLKOP_CPHASE, CLKOP_DIV, CLKOP_FPHASE);
        $finish;
    end
end
/* verilator lint_on WIDTH */

// ---- input period measurement and lock (behavioural: blocking
// assignments to model variables inside clocked processes are intended)
/* verilator lint_off BLKSEQ */
real t_last, period_in, half_out, t0;
integer steady;
reg run;
initial begin
    CLKOP = 1'b0;
    LOCK = 1'b0;
    run = 1'b0;
    t_last = -1.0;
    period_in = 0.0;
    half_out = 0.0;
    steady = 0;
end

real p, vco;
always @(posedge CLKI or posedge RST) begin
    if (RST) begin
        steady = 0;
        t_last = -1.0;
        run = 1'b0;
        LOCK = 1'b0;
    end else begin
        if (t_last >= 0.0) begin
            p = $realtime - t_last;
            if (p > period_in * 0.999 && p < period_in * 1.001) begin
                if (steady < SIM_LOCK_CYCLES)
                    steady = steady + 1;
            end else begin
                // a new or changed period: out of lock
                period_in = p;
                steady = 0;
                run = 1'b0;
                LOCK = 1'b0;
            end
            if (steady == SIM_LOCK_CYCLES && !run) begin
                half_out = period_in * CLKI_DIV / CLKFB_DIV / 2.0;
                vco = 1000.0 / (2.0 * half_out) * CLKOP_DIV;
                if (vco < 400.0 || vco > 800.0) begin
                    $error("%m: EHXPLLL model: VCO %f MHz outside 400..800 MHz", vco);
                    $finish;
                end
                t0 = $realtime;
                run = 1'b1;
                LOCK = 1'b1;
            end
        end
        t_last = $realtime;
    end
end

// ---- CLKOP: edge n at t0 + n * half_out
integer n;
always begin
    wait (run);
    n = 0;
    while (run) begin
        n = n + 1;
        #(t0 + n * half_out - $realtime);
        CLKOP = run ? !CLKOP : 1'b0;
    end
    CLKOP = 1'b0;
end
/* verilator lint_on BLKSEQ */

wire unused = &{1'b0, STDBY, CLKFB, PHASESEL0, PHASESEL1, PHASEDIR,
                PHASESTEP, PHASELOADREG, PLLWAKESYNC, ENCLKOP, ENCLKOS,
                ENCLKOS2, ENCLKOS3};

endmodule
/* verilator lint_on UNUSEDPARAM */

`default_nettype wire
