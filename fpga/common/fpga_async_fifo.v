// SPDX-License-Identifier: MIT
//
// fpga_async_fifo.v - frame FIFO between two unrelated clocks, pointers
// crossing in Gray code.
//
// Each side keeps a binary pointer (AW+1 bits: address plus wrap bit); the
// writer publishes its committed pointer, and the reader its read pointer,
// as Gray code from a register, and the other side takes it through a
// 2-FF synchronizer and converts it back (the writer into a register). Only one bit of a Gray pointer
// changes per step, so a pointer caught mid-change is either the old or
// the new value: the writer may think the FIFO fuller, the reader emptier,
// than it is, never the opposite. Depth 2^AW words in the memory plus one
// in the read side's output register (m_data is a register; the memory is
// read with a registered port, so it maps to block RAM).
//
// FRAME = 0: every word is published as soon as it is written.
// FRAME = 1: the writer publishes its pointer only after the word with
//   s_last (a whole frame at a time), so the reader never starts a frame
//   whose end has not arrived (no underrun inside a frame on a transmit
//   path). If the memory fills with nothing but an unfinished frame (a
//   frame longer than 2^AW words) and DROP = 0, what has been written is
//   published anyway, so nothing locks up: such a frame is passed on
//   cut-through (and may underrun if its writer then pauses). A full
//   memory that still holds whole frames waits for the reader instead.
// DROP = 1 (needs FRAME = 1): s_ready is always 1 (for a source that
//   cannot wait, such as a MAC's receive path); a frame that does not fit
//   is discarded whole (the write pointer goes back to the last committed
//   one and the rest of the frame is skipped up to s_last), and dropped
//   pulses one wclk cycle when its last word goes by.
//
// Resets: wrst (wclk domain) and rrst (rclk domain) must be asserted
// together, long enough for both clocks to see them.
`timescale 1ns / 1ps
`default_nettype none

module fpga_async_fifo #(
    parameter W = 74,
    parameter AW = 9,
    parameter FRAME = 1,
    parameter DROP = 0
) (
    input  wire         wclk,
    input  wire         wrst,
    input  wire [W-1:0] s_data,
    input  wire         s_last,
    input  wire         s_valid,
    output wire         s_ready,
    output reg          dropped,

    input  wire         rclk,
    input  wire         rrst,
    output reg  [W-1:0] m_data,
    output reg          m_last,
    output reg          m_valid,
    input  wire         m_ready
);

localparam DEPTH = 1 << AW;

initial begin
    if (DROP != 0 && FRAME == 0) begin
        $error("%m: DROP needs FRAME");
        $finish;
    end
end

function [AW:0] bin2gray(input [AW:0] b);
    bin2gray = b ^ (b >> 1);
endfunction

function [AW:0] gray2bin(input [AW:0] g);
    integer i;
    begin
        gray2bin[AW] = g[AW];
        for (i = AW - 1; i >= 0; i = i - 1)
            gray2bin[i] = gray2bin[i + 1] ^ g[i];
    end
endfunction

reg [W:0] mem [0:DEPTH-1];  // {last, data}

reg [AW:0] rptr, rgray_ptr;  // read side (rclk)

// ---- write side (wclk) ----
reg [AW:0] wptr, cptr, cptr_gray;
reg [AW:0] rgray_meta, rgray_sync;
// the read pointer in binary, registered: the Gray-to-binary chain is not
// in front of the fill compare and the write address (at 125 MHz on the
// RGMII side it made the path 8.16 ns); the writer sees reads one cycle
// later, so it may think the FIFO fuller, never emptier
reg [AW:0] rptr_w;
reg skipping;  // DROP: discarding the rest of a frame that did not fit
wire [AW:0] used_w = wptr - rptr_w;
wire full = used_w[AW];  // used == DEPTH (it never exceeds DEPTH)

assign s_ready = DROP != 0 ? 1'b1 : !full;

always @(posedge wclk) begin
    rgray_meta <= rgray_ptr;
    rgray_sync <= rgray_meta;
    rptr_w <= gray2bin(rgray_sync);
    dropped <= 1'b0;
    if (s_valid && s_ready) begin
        if (DROP != 0 && (skipping || full)) begin
            // the frame does not fit: forget what was written of it
            wptr <= cptr;
            skipping <= !s_last;
            if (s_last)
                dropped <= 1'b1;
        end else begin
            mem[wptr[AW-1:0]] <= {s_last, s_data};
            wptr <= wptr + 1'b1;
            if (FRAME == 0 || s_last)
                cptr <= wptr + 1'b1;
        end
    end else if (FRAME != 0 && DROP == 0 && full && cptr == rptr_w) begin
        cptr <= wptr;  // a frame longer than the memory: cut-through
    end
    cptr_gray <= bin2gray(cptr);
    if (wrst) begin
        wptr <= {(AW + 1){1'b0}};
        cptr <= {(AW + 1){1'b0}};
        cptr_gray <= {(AW + 1){1'b0}};
        rgray_meta <= {(AW + 1){1'b0}};
        rgray_sync <= {(AW + 1){1'b0}};
        rptr_w <= {(AW + 1){1'b0}};
        skipping <= 1'b0;
        dropped <= 1'b0;
    end
end

// ---- read side (rclk) ----
reg [AW:0] wgray_meta, wgray_sync;
wire [AW:0] cptr_r = gray2bin(wgray_sync);
wire empty = rptr == cptr_r;
wire load = !empty && (!m_valid || m_ready);

always @(posedge rclk) begin
    wgray_meta <= cptr_gray;
    wgray_sync <= wgray_meta;
    if (load) begin
        {m_last, m_data} <= mem[rptr[AW-1:0]];
        m_valid <= 1'b1;
        rptr <= rptr + 1'b1;
    end else if (m_ready) begin
        m_valid <= 1'b0;
    end
    rgray_ptr <= bin2gray(load ? rptr + 1'b1 : rptr);
    if (rrst) begin
        rptr <= {(AW + 1){1'b0}};
        rgray_ptr <= {(AW + 1){1'b0}};
        wgray_meta <= {(AW + 1){1'b0}};
        wgray_sync <= {(AW + 1){1'b0}};
        m_valid <= 1'b0;
    end
end

endmodule

`default_nettype wire
