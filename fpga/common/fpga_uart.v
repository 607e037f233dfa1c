// SPDX-License-Identifier: MIT
//
// fpga_uart.v - the host link UART: fpga_uart_rx and fpga_uart_tx on one
// clock, 8N1 at BAUD, as byte streams for toe_top's s_host / m_host.
// rx_frame_err and rx_overrun pulse one cycle per lost byte (see
// fpga_uart_rx.v).
`timescale 1ns / 1ps
`default_nettype none

module fpga_uart #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rxd,
    output wire       txd,
    // received bytes
    output wire [7:0] m_data,
    output wire       m_valid,
    input  wire       m_ready,
    // bytes to send
    input  wire [7:0] s_data,
    input  wire       s_valid,
    output wire       s_ready,
    output wire       rx_frame_err,
    output wire       rx_overrun
);

fpga_uart_rx #(.CLK_HZ(CLK_HZ), .BAUD(BAUD)) rx (
    .clk(clk), .rst(rst), .rxd(rxd),
    .m_data(m_data), .m_valid(m_valid), .m_ready(m_ready),
    .frame_err(rx_frame_err), .overrun(rx_overrun)
);

fpga_uart_tx #(.CLK_HZ(CLK_HZ), .BAUD(BAUD)) tx (
    .clk(clk), .rst(rst),
    .s_data(s_data), .s_valid(s_valid), .s_ready(s_ready), .txd(txd)
);

endmodule

`default_nettype wire
