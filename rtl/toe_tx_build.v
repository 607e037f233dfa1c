// SPDX-License-Identifier: MIT
//
// toe_tx_build.v - transmit frame builder: one header descriptor in (the
// fields of a payload-less TCP segment: SYN, ACK, FIN, RST and their
// combinations), one Ethernet II / IPv4 / TCP frame out on a 64-bit
// AXI4-Stream, with both checksums, an optional MSS option, and zero
// padding to the 60-byte Ethernet minimum. Byte for byte what the C codec's
// toe_build_frame gives for the same fields (IPv4 header without options,
// urgent pointer 0, no payload).
//
// Frame (byte offsets; multi-byte fields big-endian; m_axis byte lane l of
// beat b is frame byte 8*b + l). Every frame is 60 bytes, 8 beats, the last
// with tkeep 0x0f:
//
//   offset len  field                          value
//   0      6    destination MAC                s_hdr_dst_mac (47:40 first)
//   6      6    source MAC                     s_hdr_src_mac
//   12     2    ethertype                      0x0800
//   14     1    version / IHL                  0x45
//   15     1    TOS                            s_hdr_tos
//   16     2    total length                   40, or 44 with MSS
//   18     2    identification                 s_hdr_ip_id
//   20     2    flags / fragment offset        0x4000 if s_hdr_df, else 0
//   22     1    TTL                            s_hdr_ttl
//   23     1    protocol                       6
//   24     2    header checksum                computed   (beat 3)
//   26     4    source address                 s_hdr_src_ip
//   30     4    destination address            s_hdr_dst_ip
//   34     2    source port                    s_hdr_src_port
//   36     2    destination port               s_hdr_dst_port
//   38     4    sequence number                s_hdr_seq
//   42     4    acknowledgment number          s_hdr_ack
//   46     1    data offset                    0x50, or 0x60 with MSS
//   47     1    flags                          s_hdr_flags
//   48     2    window                         s_hdr_win
//   50     2    checksum                       computed   (beat 6)
//   52     2    urgent pointer                 0
//   54     4    MSS option (with MSS)          02 04 s_hdr_mss
//   54/58  ..   Ethernet padding to 60 bytes   0
//
// Checksums are computed from the registered descriptor in a two-stage
// pipeline that runs every cycle (partial sums, then fold): the IPv4
// checksum is ready 2 cycles after the descriptor register loads, the TCP
// checksum too, well before beats 3 and 6 that carry them.
//
// Timing: beat 0 comes straight from the s_hdr fields, so with the builder
// idle m_axis_tvalid rises the cycle after the descriptor handshake
// (latency 1). A descriptor can be taken while the previous frame's last
// beat is sent; its beat 0 follows in the next cycle, so back-to-back
// frames leave every 8 cycles with no gap. s_hdr_ready and the output
// advance depend on registers only (the output is the shared skid buffer).
//
//   clk          _/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_
//   s_hdr_valid  ‾‾‾‾‾\__________________    taken in cycle 0
//   m_axis_tvalid _____/‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾    beat 0 in cycle 1, 1 per cycle

`timescale 1ns / 1ps
`default_nettype none

// Ethernet/IPv4/TCP frame builder for payload-less segments (60 bytes).
module toe_tx_build #(
    // tdata width in bits (the builder is written for 64)
    parameter DATA_W = 64,
    // tkeep width, one bit per tdata byte
    parameter KEEP_W = DATA_W / 8
) (
    input  wire              clk,
    input  wire              rst,

    // segment descriptor
    input  wire              s_hdr_valid,
    output wire              s_hdr_ready,
    input  wire [47:0]       s_hdr_dst_mac,    // byte 0 in 47:40
    input  wire [47:0]       s_hdr_src_mac,
    input  wire [31:0]       s_hdr_src_ip,
    input  wire [31:0]       s_hdr_dst_ip,
    input  wire [15:0]       s_hdr_ip_id,
    input  wire [7:0]        s_hdr_ttl,
    input  wire              s_hdr_df,
    input  wire [7:0]        s_hdr_tos,
    input  wire [15:0]       s_hdr_src_port,
    input  wire [15:0]       s_hdr_dst_port,
    input  wire [31:0]       s_hdr_seq,
    input  wire [31:0]       s_hdr_ack,
    input  wire [7:0]        s_hdr_flags,
    input  wire [15:0]       s_hdr_win,
    input  wire              s_hdr_mss_valid,  // add the MSS option
    input  wire [15:0]       s_hdr_mss,

    // frames to the MAC
    output wire [DATA_W-1:0] m_axis_tdata,
    output wire [KEEP_W-1:0] m_axis_tkeep,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire              m_axis_tuser
);

initial begin
    if (DATA_W != 64) begin
        $error("%m: DATA_W (%0d) must be 64", DATA_W);
        $finish;
    end
    if (KEEP_W * 8 != DATA_W) begin
        $error("%m: KEEP_W (%0d) must be DATA_W/8", KEEP_W);
        $finish;
    end
end

// fold a ones'-complement sum (end-around carry) and invert it
function [15:0] csum_fin;
    input [19:0] s;
    reg [16:0] t;
    reg [15:0] f;
    begin
        t = {1'b0, s[15:0]} + {13'd0, s[19:16]};
        f = t[15:0] + {15'd0, t[16]};
        csum_fin = ~f;
    end
endfunction

// eight bytes, frame order (byte 0 first), as a little-endian-lane beat
function [63:0] lanes;
    input [63:0] be;   // byte 0 in 63:56
    integer i;
    begin
        for (i = 0; i < 8; i = i + 1)
            lanes[8*i +: 8] = be[63-8*i -: 8];
    end
endfunction

// control
reg       busy_reg = 1'b0, busy_next;
reg [2:0] beat_reg = 3'd0, beat_next;   // next beat to send

// descriptor register (data, not reset)
reg [47:0] dst_mac_reg = 48'd0, src_mac_reg = 48'd0;
reg [31:0] src_ip_reg = 32'd0, dst_ip_reg = 32'd0;
reg [15:0] ip_id_reg = 16'd0;
reg [7:0]  ttl_reg = 8'd0, tos_reg = 8'd0, flags_reg = 8'd0;
reg        df_reg = 1'b0, mss_valid_reg = 1'b0;
reg [15:0] src_port_reg = 16'd0, dst_port_reg = 16'd0, win_reg = 16'd0;
reg [15:0] mss_reg = 16'd0;
reg [31:0] seq_reg = 32'd0, ack_reg = 32'd0;

// checksum pipeline
reg [18:0] ip_s1a_reg = 19'd0, ip_s1b_reg = 19'd0;
reg [18:0] tcp_s1a_reg = 19'd0, tcp_s1b_reg = 19'd0, tcp_s1c_reg = 19'd0;
reg [15:0] ip_csum_reg = 16'd0, tcp_csum_reg = 16'd0;

wire out_ready;   // skid buffer can take a beat (registered)

assign s_hdr_ready = out_ready && (!busy_reg || beat_reg == 3'd7);

wire take = s_hdr_valid && s_hdr_ready;
// beat 0 straight from the descriptor when idle
wire send0 = take && !busy_reg;
// a beat from the descriptor register
wire sendr = busy_reg && out_ready;

wire [15:0] ip_tot = mss_valid_reg ? 16'd44 : 16'd40;
wire [7:0]  doff_byte = mss_valid_reg ? 8'h60 : 8'h50;

// the beat to send
reg [63:0] beat_be;    // bytes in frame order
always @* begin
    case (beat_reg)
        3'd0: beat_be = {dst_mac_reg, src_mac_reg[47:32]};
        3'd1: beat_be = {src_mac_reg[31:0], 16'h0800, 8'h45, tos_reg};
        3'd2: beat_be = {ip_tot, ip_id_reg, 1'b0, df_reg, 14'd0, ttl_reg, 8'd6};
        3'd3: beat_be = {ip_csum_reg, src_ip_reg, dst_ip_reg[31:16]};
        3'd4: beat_be = {dst_ip_reg[15:0], src_port_reg, dst_port_reg, seq_reg[31:16]};
        3'd5: beat_be = {seq_reg[15:0], ack_reg, doff_byte, flags_reg};
        3'd6: beat_be = {win_reg, tcp_csum_reg, 16'd0,
                         mss_valid_reg ? 16'h0204 : 16'h0000};
        default: beat_be = {mss_valid_reg ? mss_reg : 16'h0000, 48'd0};
    endcase
    if (send0)
        beat_be = {s_hdr_dst_mac, s_hdr_src_mac[47:32]};
end

always @* begin
    busy_next = busy_reg;
    beat_next = beat_reg;

    if (send0) begin
        // idle: beat 0 goes now
        busy_next = 1'b1;
        beat_next = 3'd1;
    end else if (sendr) begin
        beat_next = beat_reg + 3'd1;
        if (beat_reg == 3'd7) begin
            // last beat: carry on with the next descriptor, if taken now
            busy_next = take;
            beat_next = 3'd0;
        end
    end
end

always @(posedge clk) begin
    if (take) begin
        dst_mac_reg <= s_hdr_dst_mac;
        src_mac_reg <= s_hdr_src_mac;
        src_ip_reg <= s_hdr_src_ip;
        dst_ip_reg <= s_hdr_dst_ip;
        ip_id_reg <= s_hdr_ip_id;
        ttl_reg <= s_hdr_ttl;
        df_reg <= s_hdr_df;
        tos_reg <= s_hdr_tos;
        src_port_reg <= s_hdr_src_port;
        dst_port_reg <= s_hdr_dst_port;
        seq_reg <= s_hdr_seq;
        ack_reg <= s_hdr_ack;
        flags_reg <= s_hdr_flags;
        win_reg <= s_hdr_win;
        mss_valid_reg <= s_hdr_mss_valid;
        mss_reg <= s_hdr_mss;
    end

    // stage 1: partial sums of the 16-bit words
    ip_s1a_reg <= {3'd0, 8'h45, tos_reg} + {3'd0, ip_tot} + {3'd0, ip_id_reg} +
                  {4'd0, df_reg, 14'd0} + {3'd0, ttl_reg, 8'd6};
    ip_s1b_reg <= {3'd0, src_ip_reg[31:16]} + {3'd0, src_ip_reg[15:0]} +
                  {3'd0, dst_ip_reg[31:16]} + {3'd0, dst_ip_reg[15:0]};
    // pseudo-header: addresses, protocol, TCP length (= IP length - 20)
    tcp_s1a_reg <= {3'd0, src_ip_reg[31:16]} + {3'd0, src_ip_reg[15:0]} +
                   {3'd0, dst_ip_reg[31:16]} + {3'd0, dst_ip_reg[15:0]} +
                   19'd6 + {3'd0, ip_tot - 16'd20};
    tcp_s1b_reg <= {3'd0, src_port_reg} + {3'd0, dst_port_reg} +
                   {3'd0, seq_reg[31:16]} + {3'd0, seq_reg[15:0]} +
                   {3'd0, ack_reg[31:16]} + {3'd0, ack_reg[15:0]};
    tcp_s1c_reg <= {3'd0, doff_byte, flags_reg} + {3'd0, win_reg} +
                   (mss_valid_reg ? 19'h0204 + {3'd0, mss_reg} : 19'd0);
    // stage 2: fold and invert
    ip_csum_reg <= csum_fin({1'b0, ip_s1a_reg} + {1'b0, ip_s1b_reg});
    tcp_csum_reg <= csum_fin({1'b0, tcp_s1a_reg} + {1'b0, tcp_s1b_reg} +
                             {1'b0, tcp_s1c_reg});

    busy_reg <= busy_next;
    beat_reg <= beat_next;

    if (rst) begin
        busy_reg <= 1'b0;
        beat_reg <= 3'd0;
    end
end

toe_skid #(
    .DATA_W(64),
    .USER_W(1)
) out_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(lanes(beat_be)),
    .s_axis_tkeep((sendr && beat_reg == 3'd7) ? 8'h0f : 8'hff),
    .s_axis_tvalid(send0 || sendr),
    .s_axis_tready(out_ready),
    .s_axis_tlast(sendr && beat_reg == 3'd7),
    .s_axis_tuser(1'b0),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser)
);

endmodule

`resetall
