// SPDX-License-Identifier: MIT
//
// fpga_uart_rx.v - UART receiver, 8N1, LSB first, for the host link.
//
// The line is brought into clk's domain by a 2-FF synchronizer. Bit timing
// comes from a phase accumulator (ACC_W bits, incremented by
// round(BAUD * 2^ACC_W / CLK_HZ) per cycle): its carry marks the centre of
// each bit, so the average bit period is exact to the accumulator's
// resolution (0.01 % at 3 Mbaud from 60 MHz) and every bit is sampled
// CLK_HZ / BAUD times over (20x at 3 Mbaud / 60 MHz; CLK_HZ must be at
// least 16 * BAUD). A falling edge while idle starts a character; the
// accumulator starts at half, so its first carry falls half a bit later,
// in the middle of the start bit. Each bit is the majority of the last
// three synchronized samples at that carry.
//
//  - start bit sampled high: a glitch, ignored (back to idle);
//  - stop bit sampled low: framing error (frame_err pulses one cycle), the
//    byte is discarded, and the receiver waits for the line to go high
//    (a break) before it looks for a new start bit;
//  - a good byte is held in m_data with m_valid until m_ready; a byte that
//    completes while the previous one is still held is lost and overrun
//    pulses one cycle.
`timescale 1ns / 1ps
`default_nettype none

module fpga_uart_rx #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000,
    parameter ACC_W = 16
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rxd,
    output reg  [7:0] m_data,
    output reg        m_valid,
    input  wire       m_ready,
    output reg        frame_err,
    output reg        overrun
);

localparam [63:0] ONE = 64'd1 << ACC_W;
localparam [63:0] INC64 = (ONE * BAUD + CLK_HZ / 2) / CLK_HZ;
localparam [ACC_W-1:0] INC = INC64[ACC_W-1:0];
localparam [ACC_W-1:0] HALF = ONE[ACC_W:1];

initial begin
    if (CLK_HZ < 16 * BAUD) begin
        $error("%m: CLK_HZ (%0d) must be at least 16 * BAUD (%0d)", CLK_HZ, BAUD);
        $finish;
    end
end

localparam [1:0] S_IDLE = 2'd0, S_BUSY = 2'd1, S_WAIT_HIGH = 2'd2;

// 2-FF synchronizer, then a 3-sample history for the majority vote
reg rxd_meta, rxd_sync;
reg [2:0] hist;
always @(posedge clk) begin
    rxd_meta <= rxd;
    rxd_sync <= rxd_meta;
    hist <= {hist[1:0], rxd_sync};
    if (rst) begin
        rxd_meta <= 1'b1;
        rxd_sync <= 1'b1;
        hist <= 3'b111;
    end
end
wire vote = (hist[0] & hist[1]) | (hist[1] & hist[2]) | (hist[0] & hist[2]);

reg [1:0] state;
reg [ACC_W-1:0] acc;
reg [3:0] bitn;
reg [7:0] shift;
wire [ACC_W:0] acc_next = {1'b0, acc} + {1'b0, INC};
wire tick = acc_next[ACC_W];

always @(posedge clk) begin
    frame_err <= 1'b0;
    overrun <= 1'b0;
    if (m_valid && m_ready)
        m_valid <= 1'b0;
    case (state)
    S_IDLE: begin
        // falling edge: hist[1] high, hist[0] low
        if (hist[1] && !hist[0]) begin
            state <= S_BUSY;
            acc <= HALF;
            bitn <= 4'd0;
        end
    end
    S_BUSY: begin
        acc <= acc_next[ACC_W-1:0];
        if (tick) begin
            bitn <= bitn + 4'd1;
            if (bitn == 4'd0) begin
                if (vote)
                    state <= S_IDLE;  // glitch, not a start bit
            end else if (bitn <= 4'd8) begin
                shift <= {vote, shift[7:1]};
            end else begin
                if (vote) begin
                    state <= S_IDLE;
                    if (m_valid && !m_ready)
                        overrun <= 1'b1;
                    else begin
                        m_valid <= 1'b1;
                        m_data <= shift;
                    end
                end else begin
                    state <= S_WAIT_HIGH;
                    frame_err <= 1'b1;
                end
            end
        end
    end
    default: begin
        if (hist[0])
            state <= S_IDLE;
    end
    endcase
    if (rst) begin
        state <= S_IDLE;
        m_valid <= 1'b0;
        frame_err <= 1'b0;
        overrun <= 1'b0;
        acc <= {ACC_W{1'b0}};
        bitn <= 4'd0;
        shift <= 8'd0;
        m_data <= 8'd0;
    end
end

endmodule

`default_nettype wire
