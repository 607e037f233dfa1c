// SPDX-License-Identifier: MIT
//
// fpga_liteeth_rgmii.v - lint-only stand-in with the ports of the LiteEth
// PHY + MAC that fpga/liteeth/gen_mac.py generates (the real netlist is
// built into $(BUILD)/fpga/ and not linted: it is LiteEth's). Loops the
// transmit stream back to the receive stream; not for synthesis.
`timescale 1ns / 1ps
`default_nettype none

module fpga_liteeth_rgmii (
    input  wire       clk,
    input  wire       rst,
    output wire       rgmii_tx_clk,
    input  wire       rgmii_rx_clk,
    output wire       rgmii_tx_ctl,
    output wire [3:0] rgmii_txd,
    input  wire       rgmii_rx_ctl,
    input  wire [3:0] rgmii_rxd,
    output wire       eth_clk,
    output wire       eth_rst,
    output wire       link_up,
    input  wire       sink_valid,
    output wire       sink_ready,
    input  wire       sink_last,
    input  wire [7:0] sink_data,
    input  wire       sink_last_be,
    input  wire       sink_error,
    output wire       source_valid,
    input  wire       source_ready,
    output wire       source_last,
    output wire [7:0] source_data,
    output wire       source_last_be,
    output wire       source_error
);
assign rgmii_tx_clk = rgmii_rx_clk;
assign rgmii_tx_ctl = rgmii_rx_ctl;
assign rgmii_txd = rgmii_rxd;
assign eth_clk = rgmii_rx_clk;
assign eth_rst = 1'b0;
assign link_up = 1'b1;
assign sink_ready = source_ready;
assign source_valid = sink_valid;
assign source_last = sink_last;
assign source_data = sink_data;
assign source_last_be = sink_last_be;
assign source_error = sink_error;
wire unused = &{1'b0, clk, rst};
endmodule

`default_nettype wire
