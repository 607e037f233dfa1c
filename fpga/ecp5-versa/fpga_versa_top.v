// SPDX-License-Identifier: MIT
//
// fpga_versa_top.v - board top for the Lattice ECP5-5G Versa board
// (LFE5UM5G-45F-8BG381): the engine clock from the board's 100 MHz
// oscillator, the push button, the pins and the LEDs around
// fpga_board_core (fpga/common: toe_top behind the LiteEth RGMII PHY + MAC
// of the board's first 88E1512 and a UART host link on FT2232H channel B).
//
//  clk100 ─► fpga_ecp5_pll ─► clk (60 MHz: the whole core but the MAC)
//  PHY RX_CLK (125 MHz) ─► eth_clk inside the core (MAC, clock crossing)
//
// Clocks: the engine runs at 60 MHz (100 MHz * 3 / 5), near the lowest
// routed Fmax of toe_top alone (docs/synthesis.md); the routed figures of
// this top are in fpga/README.md.
//
// LEDs (led[i] low = lit, as the board wires them; fpga_board_core says
// what each status means):
//   0  link up            4  payload (bit 16 of the byte count ^ parity)
//   1  frame received     5  live connections: lit while one is in use;
//   2  frame sent            while none is, the heartbeat (blinks ~0.9 Hz)
//   3  engine busy        6  PLL locked
//                         7  sticky: something lost
`timescale 1ns / 1ps
`default_nettype none

module fpga_versa_top #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000,
    // PHY reset time, log2 of clk cycles (the 88E1512 wants >= 10 ms)
    parameter PHY_RST_LOG2 = 20
) (
    input  wire       clk100,     // 100 MHz oscillator (LVDS)
    input  wire       rst_n,      // push button, low = reset
    output wire [7:0] led,        // low = lit

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
    .clk(clk), .pll_locked(pll_locked), .rst_n(rst_n),
    .uart_rx(uart_rx), .uart_tx(uart_tx),
    .eth_rst_n(eth_rst_n), .eth_tx_clk(eth_tx_clk), .eth_tx_ctl(eth_tx_ctl),
    .eth_txd(eth_txd), .eth_rx_clk(eth_rx_clk), .eth_rx_ctl(eth_rx_ctl),
    .eth_rxd(eth_rxd),
    .st_link(st_link), .st_rx_act(st_rx_act), .st_tx_act(st_tx_act),
    .st_busy(st_busy), .st_payload(st_payload), .st_heartbeat(st_heartbeat),
    .st_conns(st_conns), .st_lost(st_lost)
);

wire [7:0] led_on = {
    st_lost,
    pll_locked,
    st_conns || st_heartbeat,
    st_payload,
    st_busy,
    st_tx_act,
    st_rx_act,
    st_link
};
assign led = ~led_on;

endmodule

`default_nettype wire
