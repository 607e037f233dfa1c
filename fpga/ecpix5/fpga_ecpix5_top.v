// SPDX-License-Identifier: MIT
//
// fpga_ecpix5_top.v - board top for the LambdaConcept ECPIX-5, 85F variant
// (LFE5UM5G-85F-8BG554): the engine clock from the board's 100 MHz
// oscillator, the pins and the RGB LEDs around fpga_board_core
// (fpga/common: toe_top behind the LiteEth RGMII PHY + MAC and a UART
// host link on the FT2232H's second channel).
//
//  clk100 ─► fpga_ecp5_pll ─► clk (60 MHz: the whole core but the MAC)
//  PHY RX_CLK (125 MHz) ─► eth_clk inside the core (MAC, clock crossing)
//
// The engine clock is the Versa top's, 60 MHz (100 MHz * 3 / 5), so that
// the host link, TICK_HZ and the docs are the same on both boards; the
// 85F is the same speed grade (8) as the Versa's 45F.
//
// No reset button: the two open board descriptions this top's pins come
// from disagree on its pin (ecpix5.lpf), so the core resets on PLL lock
// only (and on reprogramming).
//
// LEDs: four RGB LEDs LD5..LD8, each colour low = lit (ecpix5.lpf):
//   LD5  green: Ethernet link up        red: PLL not locked
//   LD6  green: frame received          blue: frame sent
//   LD7  blue: engine busy              green: payload (bit 16 of the
//                                       byte count ^ parity)
//   LD8  green: heartbeat               red: sticky, something lost
//        blue: live connections (at least one connection id in use)
// fpga_board_core says what each status means; the other colours stay dark.
`timescale 1ns / 1ps
`default_nettype none

module fpga_ecpix5_top #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000,
    // PHY reset time, log2 of clk cycles (17.5 ms)
    parameter PHY_RST_LOG2 = 20
) (
    input  wire       clk100,     // 100 MHz oscillator
    output wire [3:0] led_r,      // LD5..LD8, low = lit
    output wire [3:0] led_g,
    output wire [3:0] led_b,

    input  wire       uart_rx,    // from the FT2232H (its TXD)
    output wire       uart_tx,    // to the FT2232H (its RXD)

    output wire       eth_rst_n,
    output wire       eth_tx_clk,
    output wire       eth_tx_ctl,
    output wire [3:0] eth_txd,
    input  wire       eth_rx_clk,
    input  wire       eth_rx_ctl,
    input  wire [3:0] eth_rxd
);

// 100 MHz / CLKI_DIV 5 = 20 MHz at the phase detector; CLKOP = 20 MHz *
// CLKFB_DIV 3 = 60 MHz; VCO = 60 MHz * CLKOP_DIV 10 = 600 MHz
wire clk, pll_locked;
fpga_ecp5_pll #(.CLKI_DIV(5), .CLKFB_DIV(3), .CLKOP_DIV(10)) pll (
    .clki(clk100), .clkop(clk), .locked(pll_locked)
);

wire st_link, st_rx_act, st_tx_act, st_busy, st_payload, st_heartbeat, st_conns, st_lost;

fpga_board_core #(.CLK_HZ(CLK_HZ), .BAUD(BAUD), .PHY_RST_LOG2(PHY_RST_LOG2)) core (
    .clk(clk), .pll_locked(pll_locked), .rst_n(1'b1),
    .uart_rx(uart_rx), .uart_tx(uart_tx),
    .eth_rst_n(eth_rst_n), .eth_tx_clk(eth_tx_clk), .eth_tx_ctl(eth_tx_ctl),
    .eth_txd(eth_txd), .eth_rx_clk(eth_rx_clk), .eth_rx_ctl(eth_rx_ctl),
    .eth_rxd(eth_rxd),
    .st_link(st_link), .st_rx_act(st_rx_act), .st_tx_act(st_tx_act),
    .st_busy(st_busy), .st_payload(st_payload), .st_heartbeat(st_heartbeat),
    .st_conns(st_conns), .st_lost(st_lost)
);

//                        LD8           LD7         LD6        LD5
wire [3:0] r_on = {st_lost,      1'b0,       1'b0,      !pll_locked};
wire [3:0] g_on = {st_heartbeat, st_payload, st_rx_act, st_link};
wire [3:0] b_on = {st_conns,     st_busy,    st_tx_act, 1'b0};
assign led_r = ~r_on;
assign led_g = ~g_on;
assign led_b = ~b_on;

endmodule

`default_nettype wire
