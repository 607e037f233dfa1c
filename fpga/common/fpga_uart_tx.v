// SPDX-License-Identifier: MIT
//
// fpga_uart_tx.v - UART transmitter, 8N1, LSB first, for the host link.
//
// A byte taken from s_data (s_valid && s_ready; s_ready is high only while
// nothing is being sent) goes out as a start bit (0), eight data bits LSB
// first and one stop bit (1); the line idles high. Bit boundaries are the
// carries of a phase accumulator (ACC_W bits, + round(BAUD * 2^ACC_W /
// CLK_HZ) per cycle), so the average bit period is exact to the
// accumulator's resolution and each edge is within one clock cycle of its
// ideal time. The next byte may follow right after the stop bit. txd is
// a register output.
`timescale 1ns / 1ps
`default_nettype none

module fpga_uart_tx #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000,
    parameter ACC_W = 16
) (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] s_data,
    input  wire       s_valid,
    output wire       s_ready,
    output reg        txd
);

localparam [63:0] ONE = 64'd1 << ACC_W;
localparam [63:0] INC64 = (ONE * BAUD + CLK_HZ / 2) / CLK_HZ;
localparam [ACC_W-1:0] INC = INC64[ACC_W-1:0];

reg busy;
reg [ACC_W-1:0] acc;
reg [3:0] bitn;
reg [8:0] shift;  // data bits then the stop bit, LSB first
wire [ACC_W:0] acc_next = {1'b0, acc} + {1'b0, INC};

assign s_ready = !busy;

always @(posedge clk) begin
    if (!busy) begin
        if (s_valid) begin
            busy <= 1'b1;
            txd <= 1'b0;  // start bit
            shift <= {1'b1, s_data};
            bitn <= 4'd0;
            acc <= {ACC_W{1'b0}};
        end
    end else begin
        acc <= acc_next[ACC_W-1:0];
        if (acc_next[ACC_W]) begin
            bitn <= bitn + 4'd1;
            if (bitn == 4'd9) begin
                busy <= 1'b0;  // end of the stop bit
            end else begin
                txd <= shift[0];
                shift <= {1'b1, shift[8:1]};
            end
        end
    end
    if (rst) begin
        busy <= 1'b0;
        txd <= 1'b1;
        acc <= {ACC_W{1'b0}};
        bitn <= 4'd0;
        shift <= 9'h1ff;
    end
end

endmodule

`default_nettype wire
