// SPDX-License-Identifier: MIT
//
// fpga_mac_adapt.v - width adapter between a MAC's 8-bit frame stream
// (LiteEth's: valid/ready/data/last/error) and the engine's 64-bit
// AXI4-Stream framing (frame byte i in tdata[8i+7:8i] of its beat, tkeep
// contiguous from bit 0, tlast, tuser = bad frame), both directions, on the
// MAC's clock.
//
// Receive (MAC -> engine): bytes are packed into beats of 8; a beat leaves
// after its 8th byte or the frame's last byte (tkeep = the bytes it has,
// unused lanes 0). tuser is set on the last beat of a frame when any of
// its bytes came with error (LiteEth marks a bad FCS), 0 on other beats.
// rx_ready is low only while a full beat waits for m_axis_tready.
//
// Transmit (engine -> MAC): a beat's bytes (tkeep, contiguous from bit 0,
// at least one) go out one per cycle; tx_last with the last byte of a
// tlast beat; tx_error = the beat's tuser. The next beat is taken in the
// cycle its predecessor's last byte is, so a frame whose beats are there
// in time goes out without a gap (the MAC cannot pause inside a frame).
`timescale 1ns / 1ps
`default_nettype none

module fpga_mac_adapt (
    input  wire        clk,
    input  wire        rst,

    // receive: 8-bit MAC stream in, 64-bit beats out
    input  wire        rx_valid,
    output wire        rx_ready,
    input  wire [7:0]  rx_data,
    input  wire        rx_last,
    input  wire        rx_error,
    output reg  [63:0] m_axis_tdata,
    output reg  [7:0]  m_axis_tkeep,
    output reg         m_axis_tvalid,
    input  wire        m_axis_tready,
    output reg         m_axis_tlast,
    output reg         m_axis_tuser,

    // transmit: 64-bit beats in, 8-bit MAC stream out
    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire        s_axis_tuser,
    output wire        tx_valid,
    input  wire        tx_ready,
    output wire [7:0]  tx_data,
    output wire        tx_last,
    output wire        tx_error
);

// ---------------- receive ----------------
reg [55:0] rx_acc;   // bytes 0..6 of the beat being packed
reg [2:0] rx_cnt;    // bytes in rx_acc
reg rx_err_acc;      // error seen on an earlier byte of this frame
wire rx_take = rx_valid && rx_ready;
wire rx_emit = rx_take && (rx_cnt == 3'd7 || rx_last);

assign rx_ready = !m_axis_tvalid || m_axis_tready;

// the beat with the new byte in lane rx_cnt, lanes above it 0
reg [63:0] rx_beat;
reg [7:0] rx_keep;
integer i;
always @(*) begin
    rx_beat = {8'd0, rx_acc};
    rx_beat[8 * rx_cnt +: 8] = rx_data;
    for (i = 0; i < 8; i = i + 1)
        rx_keep[i] = i <= rx_cnt;
end

always @(posedge clk) begin
    if (rx_emit) begin
        m_axis_tdata <= rx_beat;
        m_axis_tkeep <= rx_keep;
        m_axis_tlast <= rx_last;
        m_axis_tuser <= rx_last && (rx_err_acc || rx_error);
        m_axis_tvalid <= 1'b1;
    end else if (m_axis_tready) begin
        m_axis_tvalid <= 1'b0;
    end
    if (rx_take) begin
        if (rx_emit) begin
            rx_acc <= 56'd0;
            rx_cnt <= 3'd0;
        end else begin
            rx_acc <= rx_beat[55:0];
            rx_cnt <= rx_cnt + 3'd1;
        end
        rx_err_acc <= !rx_last && (rx_err_acc || rx_error);
    end
    if (rst) begin
        m_axis_tvalid <= 1'b0;
        m_axis_tdata <= 64'd0;
        m_axis_tkeep <= 8'd0;
        m_axis_tlast <= 1'b0;
        m_axis_tuser <= 1'b0;
        rx_acc <= 56'd0;
        rx_cnt <= 3'd0;
        rx_err_acc <= 1'b0;
    end
end

// ---------------- transmit ----------------
reg [63:0] tx_word;
reg [2:0] tx_idx;    // byte of tx_word on tx_data
reg [2:0] tx_end;    // its last byte
reg tx_word_last, tx_word_user, tx_busy;

// index of the highest set tkeep bit (tkeep contiguous from bit 0)
reg [2:0] s_end;
always @(*) begin
    s_end = 3'd0;
    for (i = 1; i < 8; i = i + 1)
        if (s_axis_tkeep[i])
            s_end = i[2:0];
end

wire tx_word_done = tx_busy && tx_ready && tx_idx == tx_end;
assign s_axis_tready = !tx_busy || tx_word_done;
assign tx_valid = tx_busy;
assign tx_data = tx_word[8 * tx_idx +: 8];
assign tx_last = tx_word_last && tx_idx == tx_end;
assign tx_error = tx_word_user;

always @(posedge clk) begin
    if (s_axis_tvalid && s_axis_tready) begin
        tx_word <= s_axis_tdata;
        tx_end <= s_end;
        tx_idx <= 3'd0;
        tx_word_last <= s_axis_tlast;
        tx_word_user <= s_axis_tuser;
        tx_busy <= 1'b1;
    end else if (tx_word_done) begin
        tx_busy <= 1'b0;
    end else if (tx_busy && tx_ready) begin
        tx_idx <= tx_idx + 3'd1;
    end
    if (rst) begin
        tx_busy <= 1'b0;
        tx_word <= 64'd0;
        tx_idx <= 3'd0;
        tx_end <= 3'd0;
        tx_word_last <= 1'b0;
        tx_word_user <= 1'b0;
    end
end

endmodule

`default_nettype wire
