// SPDX-License-Identifier: MIT
//
// toe_rx_parse.v - receive parser: Ethernet II / IPv4 / TCP frames in (64-bit
// AXI4-Stream from the MAC), one parsed header per frame out (fields and a
// verdict), and the TCP payload as its own stream, realigned to byte 0.
//
// Verdicts are those of the C codec (host/pkt/wire.c, toe_parse_frame):
// the same reasons, checked in the same order, so the first failing check
// names the drop (reason codes from toe_regs.vh: TOE_PERR_ETH_TRUNC = 1 ..
// TOE_PERR_TCP_OPT = 13), plus one the codec cannot see:
//   14  mac_bad   tuser set on any beat of the frame (bad FCS etc.); it
//                 wins over every other reason.
// ARP (ethertype 0x0806) drops as "ethertype" and ICMP as "ip_proto", as in
// the codec; m_hdr_arp / m_hdr_icmp mark them so a later stage can steer
// them to the responders.
//
// Wire format (byte offsets in the frame; multi-byte fields big-endian;
// s_axis byte lane l of beat b is frame byte 8*b + l):
//
//   offset    len  field                     beat.lane
//   0         6    destination MAC           0.0-0.5
//   6         6    source MAC                0.6-1.3
//   12        2    ethertype (0x0800)        1.4-1.5
//   14        1    version 4 / IHL           1.6
//   15        1    TOS                       1.7
//   16        2    total length              2.0-2.1
//   18        2    identification            2.2-2.3
//   20        2    flags / fragment offset   2.4-2.5  (DF 0x4000, MF 0x2000)
//   22        1    TTL                       2.6
//   23        1    protocol (6)              2.7
//   24        2    header checksum           3.0-3.1
//   26        4    source address            3.2-3.5
//   30        4    destination address       3.6-4.1
//   34        4*(IHL-5) IPv4 options (skipped, checksummed)
//   T = 14+4*IHL   (T mod 8 is 2 or 6, so TCP bytes are captured from one
//                  of two lane patterns)
//   T+0       2    source port
//   T+2       2    destination port
//   T+4       4    sequence number
//   T+8       4    acknowledgment number
//   T+12      1    data offset (high nibble)
//   T+13      1    flags (CWR ECE URG ACK PSH RST SYN FIN)
//   T+14      2    window
//   T+16      2    checksum (pseudo-header + segment)
//   T+18      2    urgent pointer
//   T+20      4*DOFF-20 options: EOL(0), NOP(1), MSS(2, len 4),
//                  WS(3, len 3), SACK-permitted(4, len 2), TS(8, len 10),
//                  any other kind with a length >= 2 skipped
//   P = T+4*DOFF   payload, up to 14 + total length
//   14+total  ..   Ethernet padding (ignored)
//
// Checksums are summed on the fly, 4 words a beat: the IPv4 header over
// [14, T), the TCP checksum over [T, 14+total) plus the addresses (bytes
// 26..33) and a constant for protocol and TCP length (the pseudo-header).
// Every boundary but the end is even, so 16-bit words stay aligned.
//
// TCP options are walked by a small engine alongside the stream: as option
// bytes arrive, each position gets a registered summary (NOP / other
// option; for an option: illegal / MSS / where the next option starts /
// whether taking it ends the walk: EOL, illegal or the list's last); the
// walker then takes one option per cycle, skipping up to 3 NOPs before it
// (or 4 NOPs alone). It starts as soon as the first option is in, so for
// the usual option lists it finishes with the frame. It always ends: each
// step moves on by at least one byte. The verdict waits for it unless it
// can never finish (option bytes missing from the frame, seen one cycle
// after the walk gets stuck), and then an earlier check has failed anyway;
// a frame that failed an earlier check still lets its walk finish (so the
// s_axis_tready path stays free of the checksum logic), which only costs
// time on frames with long option lists. s_axis_tready depends on
// registers only (none of the walker's logic).
//
// Payload: streamed (cut-through), not stored: m_axis carries the payload
// bytes as they pass, aligned to byte 0, and its last beat is held back
// until the frame's verdict is known; that beat has tuser = 1 if the frame
// is dropped for any reason. A payload packet is emitted only for a frame
// that looks like a TCP segment with payload when the payload begins (every
// check up to tcp_doff passed, except that the frame is not yet known to be
// as long as its total length); m_hdr_pay_pkt says whether this frame's
// header has one. So the consumer pairs headers and packets in order: one
// packet per header with m_hdr_pay_pkt = 1, to be kept only if m_hdr_reason
// is 0 (then the packet has exactly m_hdr_len bytes). A packet's last beat
// is emitted in the same cycle its header is loaded: a consumer must take
// payload without waiting for the header (buffer it), else it can deadlock.
// Non-last payload beats always have all 8 bytes; bytes past tkeep are 0.
//
// Input assumptions: tkeep is all ones on every beat but the last, and
// contiguous from lane 0 on the last (the MAC's format); frames of any
// length (runts, jumbo) are handled (the beat counter saturates after
// 128 KiB, far beyond any IPv4 total length).
//
// Output fields are those parsing got to, as in the codec: Ethernet fields
// for any frame of 14 bytes or more, IPv4 fields once past the IHL check,
// TCP header fields once past tcp_trunc, payload length, MSS and options
// only for reason 0 (m_hdr_mss_valid is 0 otherwise). Fields the frame did
// not reach hold stale values.
//
// Timing (measured by tests/rtl/test_rtl_rx_parse.c):
//   - throughput: one beat per cycle. Stalls come only from output
//     backpressure, a header still waiting in the output register when the
//     next is ready, and a frame whose option walk is still running after
//     its last beat (see latency). Back-to-back 60-byte frames, random
//     4-tuples, with or without an MSS option or payload: one frame every
//     8 cycles, no idle cycle needed between frames.
//   - latency: m_hdr_valid rises 2 cycles after the handshake of a frame's
//     last beat (60-byte SYN with MSS included); 3 for a Linux- or
//     Windows-style SYN option list; worst case (20 two-byte unknown
//     options) 17, 40 NOPs 8. A frame cut short inside its option list
//     (dropped by an earlier check) whose walk gets stuck: one cycle after
//     it is stuck, so 3 or more.
//
//   clk          _/‾\_/‾\_/‾\_/‾\_/‾\_
//   s_axis_tlast ‾‾‾‾‾\_______________   last beat taken in cycle 0
//   (finalise)   _____/‾‾‾‾\__________   cycle 1: verdict, payload last beat
//   m_hdr_valid  __________/‾‾‾‾\_____   cycle 2

`timescale 1ns / 1ps
`default_nettype none

// Ethernet/IPv4/TCP receive parser: header fields + codec verdict per frame,
// TCP payload realigned to byte 0 on m_axis (last beat flagged if dropped).
module toe_rx_parse #(
    // tdata width in bits (the parser is written for 64)
    parameter DATA_W = 64,
    // tkeep width, one bit per tdata byte
    parameter KEEP_W = DATA_W / 8
) (
    input  wire              clk,
    input  wire              rst,

    // frames from the MAC (no preamble, no FCS); tuser = bad frame
    input  wire [DATA_W-1:0] s_axis_tdata,
    input  wire [KEEP_W-1:0] s_axis_tkeep,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,
    input  wire              s_axis_tlast,
    input  wire              s_axis_tuser,

    // one parsed header per frame
    output wire              m_hdr_valid,
    input  wire              m_hdr_ready,
    output wire [3:0]        m_hdr_reason,     // 0 good, 1..13 codec, 14 mac_bad
    output wire              m_hdr_arp,        // dropped as ethertype, is ARP
    output wire              m_hdr_icmp,       // dropped as ip_proto, is ICMP
    output wire [47:0]       m_hdr_dst_mac,    // byte 0 in 47:40
    output wire [47:0]       m_hdr_src_mac,
    output wire [15:0]       m_hdr_ethertype,
    output wire [3:0]        m_hdr_ip_ihl,
    output wire [7:0]        m_hdr_ip_tos,
    output wire [15:0]       m_hdr_ip_len,     // IPv4 total length
    output wire [15:0]       m_hdr_ip_id,
    output wire              m_hdr_ip_df,
    output wire [7:0]        m_hdr_ip_ttl,
    output wire [7:0]        m_hdr_ip_proto,
    output wire [15:0]       m_hdr_ip_csum,    // as carried
    output wire [31:0]       m_hdr_src_ip,
    output wire [31:0]       m_hdr_dst_ip,
    output wire [15:0]       m_hdr_src_port,
    output wire [15:0]       m_hdr_dst_port,
    output wire [31:0]       m_hdr_seq,
    output wire [31:0]       m_hdr_ack,
    output wire [3:0]        m_hdr_doff,
    output wire [7:0]        m_hdr_flags,
    output wire [15:0]       m_hdr_win,
    output wire [15:0]       m_hdr_tcp_csum,   // as carried
    output wire [15:0]       m_hdr_urg,
    output wire              m_hdr_mss_valid,  // MSS option present (reason 0)
    output wire [15:0]       m_hdr_mss,
    output wire [15:0]       m_hdr_len,        // TCP payload bytes
    output wire              m_hdr_pay_pkt,    // a payload packet went to m_axis

    // TCP payload, one packet per header with m_hdr_pay_pkt; tuser on the
    // last beat = frame dropped
    output wire [DATA_W-1:0] m_axis_tdata,
    output wire [KEEP_W-1:0] m_axis_tkeep,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire              m_axis_tuser
);

`include "toe_regs.vh"

// reason code for a frame the MAC flagged bad (tuser)
localparam [3:0] RSN_MAC_BAD = 4'd14;
// option bytes at most (TCP data offset 15)
localparam OPT_MAX = 40;
// TCP header + option bytes captured
localparam TCPB_N = 20 + OPT_MAX;

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

// clamp(d, 0, 8) as a thermometer mask of lanes: d is two's complement
function [7:0] therm;
    input [17:0] d;
    begin
        if (d[17])
            therm = 8'h00;
        else if (d[16:3] != 14'd0)
            therm = 8'hff;
        else
            therm = (8'h01 << d[2:0]) - 8'h01;
    end
endfunction

// fold a ones'-complement running sum to 16 bits (end-around carry)
function [15:0] fold;
    input [27:0] s;
    reg [16:0] t;
    begin
        t = {1'b0, s[15:0]} + {5'b0, s[27:16]};
        fold = t[15:0] + {15'b0, t[16]};
    end
endfunction

// Summary of the option starting at position pos (0-based in the option
// list of olen bytes), from its kind and length bytes; `last` when pos is
// the list's last byte (no length byte). Same rules as
// toe_parse_tcp_options: a length < 2, one running past the list, or a
// known kind with the wrong length is illegal.
// Returns {mss, bad, done, nop, next[5:0]} as the walker uses them when it
// takes this option: done when it is an EOL, illegal, or the last option
// (the next would start at or past the list's end); mss for a legal MSS
// option; next where the following option starts (used only if not done).
// The walker reads done and next of options only (never of a NOP). For an
// option that is not illegal, 2 <= len <= avail, so next = pos + len does
// not wrap and "next >= olen" is "len == avail": an equality on the input
// byte, not an add and a compare in a row (the parser's longest path).
function [9:0] opt_info;
    input [7:0] kind;
    input [7:0] len;
    input [5:0] pos;
    input [5:0] olen;
    input       last;
    reg nop, eol, known_bad, bad;
    reg [5:0] avail, nxt;
    begin
        nop = kind == 8'd1;
        eol = kind == 8'd0;
        avail = olen - pos;
        known_bad = (kind == 8'd2 && len != 8'd4) ||
                    (kind == 8'd3 && len != 8'd3) ||
                    (kind == 8'd4 && len != 8'd2) ||
                    (kind == 8'd8 && len != 8'd10);
        bad = !nop && !eol &&
              (last || len < 8'd2 || len > {2'b00, avail} || known_bad);
        nxt = pos + len[5:0];
        opt_info = {kind == 8'd2 && !bad, bad, eol || bad || len == {2'b00, avail}, nop, nxt};
    end
endfunction

// ---------------------------------------------------------------------------
// Per-frame state of the frame on s_axis (the "current frame")
// ---------------------------------------------------------------------------

// control
reg [13:0] bcnt_reg = 14'd0;      // beat index in the frame (saturates)
reg        fin_pend_reg = 1'b0;   // last beat taken, header not yet out
reg        opt_act_reg = 1'b0;    // data offset captured: walker may run
reg        pdone_reg = 1'b0;      // payload's last beat produced (in hold)
reg        pay_pkt_reg = 1'b0;    // a payload packet was started
reg        hold_valid_reg = 1'b0; // payload's last beat waits in hold
reg [OPT_MAX-1:0] inv_reg = {OPT_MAX{1'b0}};  // summary in, a NOP
reg [OPT_MAX-1:0] iov_reg = {OPT_MAX{1'b0}};  // summary in, other option
reg [5:0]  wp_reg = 6'd0;         // walker: next option position
reg        wdone_reg = 1'b0;      // walker finished
reg        werr_reg = 1'b0;       // walker found an illegal option
reg        wmss_reg = 1'b0;       // walker saw an MSS option
reg        wblk_reg = 1'b0;       // walker blocked for good (frame complete)
reg        h_valid_reg = 1'b0;    // header output register full

// data path (not reset)
reg [47:0] prev_reg = 48'd0;      // bytes 2..7 of the previous beat
reg        mac_bad_reg = 1'b0;
reg [16:0] flen_reg = 17'd0;      // frame length, at the last beat
reg [47:0] dst_mac_reg = 48'd0, src_mac_reg = 48'd0;
reg [15:0] etype_reg = 16'd0;
reg [3:0]  ver_reg = 4'd0, ihl_reg = 4'd0;
reg [7:0]  tos_reg = 8'd0, ttl_reg = 8'd0, proto_reg = 8'd0;
reg [15:0] tot_reg = 16'd0, id_reg = 16'd0, ipcs_reg = 16'd0;
reg [14:0] frag_reg = 15'd0;      // DF, MF, offset (bit 15 is ignored)
reg [31:0] sip_reg = 32'd0, dip_reg = 32'd0;
reg [8*TCPB_N-1:0] tcpb_reg = {8*TCPB_N{1'b0}}; // TCP bytes 0..59
reg [23:0] ip_acc_reg = 24'd0;    // IPv4 header sum
reg [27:0] tcp_acc_reg = 28'd0;   // TCP sum with pseudo-header
reg [17:0] rem_reg = 18'd0;       // E - this beat's offset (from beat 3 on)
reg        ipok_reg = 1'b0;       // ip_acc folds to 0xffff (1 cycle late)
reg [OPT_MAX-1:0] idone_reg = {OPT_MAX{1'b0}}, ibad_reg = {OPT_MAX{1'b0}};
reg [OPT_MAX-1:0] imss_reg = {OPT_MAX{1'b0}};
reg [6*OPT_MAX-1:0] inext_reg = {6*OPT_MAX{1'b0}};
reg [5:0]  optlen_reg = 6'd0;     // option bytes (with opt_act_reg)
reg [5:0]  wmss_pos_reg = 6'd0;
reg [63:0] hold_data_reg = 64'd0;
reg [7:0]  hold_keep_reg = 8'd0;

wire s_fire = s_axis_tvalid && s_axis_tready;

// number of valid bytes in this beat
reg [3:0] nkeep;
always @* begin
    if (!s_axis_tlast)
        nkeep = 4'd8;
    else casez (s_axis_tkeep)
        8'b1???????: nkeep = 4'd8;
        8'b01??????: nkeep = 4'd7;
        8'b001?????: nkeep = 4'd6;
        8'b0001????: nkeep = 4'd5;
        8'b00001???: nkeep = 4'd4;
        8'b000001??: nkeep = 4'd3;
        8'b0000001?: nkeep = 4'd2;
        8'b00000001: nkeep = 4'd1;
        default:     nkeep = 4'd0;
    endcase
end

wire [16:0] base = {bcnt_reg, 3'b000};             // frame offset of lane 0
wire [7:0]  in_frame = therm({14'd0, nkeep});        // lanes inside the frame

// derived from the fields captured so far
wire [3:0]  ihl_eff = (ihl_reg < 4'd5) ? 4'd5 : ihl_reg;
wire [6:0]  tcp_off = 7'd14 + {1'b0, ihl_eff, 2'b00};    // T
wire [3:0]  tcp_beat = tcp_off[6:3];
wire        tcp_s6 = tcp_off[2];                        // T mod 8 is 6 (else 2)
wire [16:0] ip_end = 17'd14 + {1'b0, tot_reg};           // E
wire [5:0]  ihl4 = {ihl_reg, 2'b00};
wire [15:0] tcp_len = tot_reg - {10'd0, ihl4};
wire [3:0]  doff = tcpb_reg[8*12+4 +: 4];
wire [5:0]  doff4 = {doff, 2'b00};
// The option list's length, registered from the data offset byte as it
// arrives (the same beat and lane tcpb_reg takes it from, and the beat that
// sets opt_act_reg): the summaries and the walker then start from a
// register instead of tcpb_reg -> doff -> subtract. In time: option
// position i is first summarised in the beat of TCP byte 21+i (its length
// byte) or 20+i >= 23 (the last byte of a list of 4 or more), at least one
// beat after TCP byte 12 for either lane pattern ((2+12)/8 = 1 < (2+21)/8
// = 2, (6+12)/8 = 2 < (6+21)/8 = 3), and the walker only runs with
// opt_act_reg, which is set in the same cycle as optlen_reg.
wire [3:0]  doff_in = tcp_s6 ? s_axis_tdata[8*((6 + 12) % 8) + 4 +: 4]
                             : s_axis_tdata[8*((2 + 12) % 8) + 4 +: 4];
wire [5:0]  optlen_in = (doff_in >= 4'd5) ? {doff_in, 2'b00} - 6'd20 : 6'd0;
wire [5:0]  optlen = optlen_reg;
// P = 4*pay_off4 + 2 (T and P are 2 mod 4)
wire [5:0]  pay_off4 = {1'b0, tcp_off[6:2]} + {2'b00, doff};
wire [4:0]  pay_beat = pay_off4[5:1];
wire        pay_s6 = pay_off4[0];                      // P mod 8 is 6 (else 2)
wire [15:0] pay_len = tcp_len - {10'd0, doff4};

// relk[k]: this beat is the k-th from the one holding TCP byte 0
wire [8:0] relk;
genvar gk;
generate
    for (gk = 0; gk < 9; gk = gk + 1) begin : g_relk
        localparam [13:0] K = gk;
        assign relk[gk] = bcnt_reg == {10'd0, tcp_beat} + K;
    end
endgenerate

// ---------------------------------------------------------------------------
// Capture: Ethernet and IPv4 fields at fixed beats, TCP bytes by lane pattern
// ---------------------------------------------------------------------------

always @(posedge clk) begin
    if (s_fire) begin
        case (bcnt_reg)
            14'd0: begin
                dst_mac_reg <= {s_axis_tdata[7:0], s_axis_tdata[15:8],
                                s_axis_tdata[23:16], s_axis_tdata[31:24],
                                s_axis_tdata[39:32], s_axis_tdata[47:40]};
                src_mac_reg[47:32] <= {s_axis_tdata[55:48], s_axis_tdata[63:56]};
            end
            14'd1: begin
                src_mac_reg[31:0] <= {s_axis_tdata[7:0], s_axis_tdata[15:8],
                                      s_axis_tdata[23:16], s_axis_tdata[31:24]};
                etype_reg <= {s_axis_tdata[39:32], s_axis_tdata[47:40]};
                ver_reg <= s_axis_tdata[55:52];
                ihl_reg <= s_axis_tdata[51:48];
                tos_reg <= s_axis_tdata[63:56];
            end
            14'd2: begin
                tot_reg <= {s_axis_tdata[7:0], s_axis_tdata[15:8]};
                id_reg <= {s_axis_tdata[23:16], s_axis_tdata[31:24]};
                frag_reg <= {s_axis_tdata[38:32], s_axis_tdata[47:40]};
                ttl_reg <= s_axis_tdata[55:48];
                proto_reg <= s_axis_tdata[63:56];
            end
            14'd3: begin
                ipcs_reg <= {s_axis_tdata[7:0], s_axis_tdata[15:8]};
                sip_reg <= {s_axis_tdata[23:16], s_axis_tdata[31:24],
                            s_axis_tdata[39:32], s_axis_tdata[47:40]};
                dip_reg[31:16] <= {s_axis_tdata[55:48], s_axis_tdata[63:56]};
            end
            14'd4: begin
                dip_reg[15:0] <= {s_axis_tdata[7:0], s_axis_tdata[15:8]};
            end
            default: ;
        endcase
        // E = 14 + total length; at beat 3 that is total - 10 bytes ahead
        if (bcnt_reg == 14'd2)
            rem_reg <= {2'b00, s_axis_tdata[7:0], s_axis_tdata[15:8]} - 18'd10;
        else
            rem_reg <= rem_reg - 18'd8;
        prev_reg <= s_axis_tdata[63:16];
        mac_bad_reg <= (bcnt_reg == 14'd0 ? 1'b0 : mac_bad_reg) | s_axis_tuser;
        if (s_axis_tlast)
            flen_reg <= base + {13'd0, nkeep};
    end
end

// TCP byte m is frame byte T+m: beat tcp_beat + (s+m)/8, lane (s+m)%8,
// s = T mod 8 (2 or 6)
genvar gm;
generate
    for (gm = 0; gm < TCPB_N; gm = gm + 1) begin : g_tcpb
        localparam integer C2 = (2 + gm) / 8;
        localparam integer L2 = (2 + gm) % 8;
        localparam integer C6 = (6 + gm) / 8;
        localparam integer L6 = (6 + gm) % 8;
        wire en = s_fire && (tcp_s6 ? relk[C6] : relk[C2]);
        always @(posedge clk) begin
            if (en)
                tcpb_reg[8*gm +: 8] <= tcp_s6 ? s_axis_tdata[8*L6 +: 8]
                                              : s_axis_tdata[8*L2 +: 8];
        end
    end
endgenerate

// ---------------------------------------------------------------------------
// Option summaries: position i (TCP byte 20+i) is summarised in the beat
// that brings its length byte (event A), or its kind byte when it is the
// list's last byte (event B, no length byte).
// ---------------------------------------------------------------------------

wire [OPT_MAX-1:0] iwr;          // summary written this cycle
wire [10*OPT_MAX-1:0] iwr_info;  // the summaries

genvar gi;
generate
    for (gi = 0; gi < OPT_MAX; gi = gi + 1) begin : g_opt
        localparam integer M = 20 + gi;
        localparam [5:0] POS = gi;
        // event A for s = 2 and s = 6: beat and lane of the length byte
        localparam integer A2C = (2 + M + 1) / 8;
        localparam integer A2L = (2 + M + 1) % 8;
        localparam integer A6C = (6 + M + 1) / 8;
        localparam integer A6L = (6 + M + 1) % 8;
        // event B: beat and lane of the kind byte
        localparam integer B2C = (2 + M) / 8;
        localparam integer B2L = (2 + M) % 8;
        localparam integer B6C = (6 + M) / 8;
        localparam integer B6L = (6 + M) % 8;

        // kind byte in event A: lane before the length byte, or captured
        // in the previous beat (length byte in lane 0)
        wire [7:0] kind_a2, kind_a6;
        if (A2L == 0) begin : g_k2p
            assign kind_a2 = tcpb_reg[8*M +: 8];
        end else begin : g_k2c
            assign kind_a2 = s_axis_tdata[8*(A2L-1) +: 8];
        end
        if (A6L == 0) begin : g_k6p
            assign kind_a6 = tcpb_reg[8*M +: 8];
        end else begin : g_k6c
            assign kind_a6 = s_axis_tdata[8*(A6L-1) +: 8];
        end

        wire is_last = POS + 6'd1 == optlen;
        wire more = POS + 6'd1 < optlen;
        wire ev_a = more && (tcp_s6 ? relk[A6C] : relk[A2C]);
        wire ev_b = is_last && (tcp_s6 ? relk[B6C] : relk[B2C]);
        wire [7:0] kind = ev_a ? (tcp_s6 ? kind_a6 : kind_a2)
                               : (tcp_s6 ? s_axis_tdata[8*B6L +: 8]
                                         : s_axis_tdata[8*B2L +: 8]);
        wire [7:0] len = tcp_s6 ? s_axis_tdata[8*A6L +: 8]
                                : s_axis_tdata[8*A2L +: 8];

        assign iwr[gi] = s_fire && opt_act_reg && (ev_a || ev_b);
        assign iwr_info[10*gi +: 10] = opt_info(kind, len, POS, optlen, !ev_a);
    end
endgenerate

// ---------------------------------------------------------------------------
// Option walker: one option per cycle (after up to 3 NOPs)
// ---------------------------------------------------------------------------

// Summaries as vectors shifted down by the walker's position, so that bit
// k is position wp+k: the barrel shifts run in parallel, and the step is a
// short pick over 4 positions. The loop wp_reg -> shift -> step -> wp_reg
// is the walker's critical path, so the step is kept shallow: each
// position is a NOP, another option, not arrived yet, or past the end, as
// one register bit each (no summary-valid bit to combine), what taking an
// option does was worked out when it was summarised, and the choice is a
// sum of products, not a priority chain.
// The end of the list is a compare with the registered optlen, not a
// shifted vector: while the walk runs, its position never passes the
// list's end (4 NOPs move it to at most optlen; an option that is not the
// walk's last ends at or before the list's end, as checked when it was
// summarised), so wp + k <= 44 and 7 bits hold it. A position with a
// summary is before the end (summaries are only written for positions
// < optlen), so the four cases exclude each other.
wire [4:0] past_s;               // position wp+k >= optlen (end of list)
genvar gp;
generate
    for (gp = 0; gp < 5; gp = gp + 1) begin : g_past
        localparam [6:0] K = gp;
        assign past_s[gp] = {1'b0, wp_reg} + K >= {1'b0, optlen};
    end
endgenerate

// positions wp..wp+3 of a per-position vector (0 past its end)
function [3:0] win4;
    input [OPT_MAX-1:0] v;
    input [5:0]         sh;
    /* verilator lint_off UNUSEDSIGNAL */
    reg   [63:0]        t;              // only the low 4 bits are used
    /* verilator lint_on UNUSEDSIGNAL */
    begin
        t = {{(64-OPT_MAX){1'b0}}, v} >> sh;
        win4 = t[3:0];
    end
endfunction

wire [3:0] nop_s = win4(inv_reg, wp_reg);
wire [3:0] opt_s = win4(iov_reg, wp_reg);
wire [3:0] idone_s = win4(idone_reg, wp_reg);
wire [3:0] ibad_s = win4(ibad_reg, wp_reg);
wire [3:0] imss_s = win4(imss_reg, wp_reg);
// inext as 6 bit planes, each shifted by wp like the flags (a shift of the
// packed vector by 6 * wp would put a multiplier in the path)
wire [6*4-1:0] inext_s;
genvar gb, gq;
generate
    for (gb = 0; gb < 6; gb = gb + 1) begin : g_inext_b
        wire [OPT_MAX-1:0] plane;
        wire [3:0] plane_s = win4(plane, wp_reg);
        for (gq = 0; gq < OPT_MAX; gq = gq + 1) begin : g_q
            assign plane[gq] = inext_reg[6*gq + gb];
        end
        for (gq = 0; gq < 4; gq = gq + 1) begin : g_s
            assign inext_s[6*gq + gb] = plane_s[gq];
        end
    end
endgenerate

// The step: the first position of the window that is not a NOP decides.
// w_pre[k]: positions 0..k-1 of the window are NOPs; w_none: all four are
// (move on by 4).
wire [4:0] w_pre = {&nop_s[3:0], &nop_s[2:0], &nop_s[1:0], nop_s[0], 1'b1};
wire       w_none = w_pre[4];
wire [3:0] w_opt = w_pre[3:0] & opt_s[3:0];                 // take option k
wire [3:0] w_end = w_pre[3:0] & past_s[3:0];                // end of list
wire [3:0] w_wait = w_pre[3:0] & ~(past_s[3:0] | nop_s[3:0] | opt_s[3:0]);
wire       w_blocked = |w_wait;                             // not arrived yet
wire       w_run = opt_act_reg && !wdone_reg;

// next position: after the option taken, or past the four NOPs (when the
// step ends the walk, the position is not used again)
reg [5:0] w_pos_cand;
reg       w_done_cand, w_err, w_mss;
reg [5:0] w_mss_pos;
integer   wk;
always @* begin
    w_pos_cand = w_none ? wp_reg + 6'd4 : 6'd0;
    w_done_cand = (w_none && past_s[4]) || |w_end;
    w_err = 1'b0;
    w_mss = 1'b0;
    w_mss_pos = 6'd0;
    for (wk = 0; wk < 4; wk = wk + 1) begin
        w_pos_cand = w_pos_cand | (inext_s[6*wk +: 6] & {6{w_opt[wk]}});
        w_done_cand = w_done_cand || (w_opt[wk] && idone_s[wk]);
        w_err = w_err || (w_opt[wk] && ibad_s[wk]);
        w_mss = w_mss || (w_opt[wk] && imss_s[wk]);
        w_mss_pos = w_mss_pos | ((wp_reg + wk[5:0]) & {6{w_opt[wk]}});
    end
end

// A blocked step changes nothing (no case is chosen, so only the position
// needs holding); the last MSS option counts.
wire [5:0] wp_next = (w_run && !w_blocked) ? w_pos_cand : wp_reg;
wire       wdone_next = wdone_reg || (w_run && w_done_cand);
wire       werr_next = werr_reg || (w_run && w_err);
wire       wmss_next = wmss_reg || (w_run && w_mss);
wire [5:0] wmss_pos_next = (w_run && w_mss) ? w_mss_pos : wmss_pos_reg;

// ---------------------------------------------------------------------------
// Checksums: masked words of each beat
// ---------------------------------------------------------------------------

// offsets relative to this beat's lane 0, kept narrow (the IPv4 header
// and the start of TCP lie in beats 1..9)
wire [8:0] base_s = {2'b00, bcnt_reg[3:0], 3'b000};
wire       early_b = bcnt_reg < 14'd10;
wire [6:0] ip_hdr_end = 7'd14 + {1'b0, ihl_eff, 2'b00};
wire [8:0] ip_hdr_rem = {2'b00, ip_hdr_end} - base_s;
wire [8:0] tcp_off_rem = {2'b00, tcp_off} - base_s;
wire [7:0] ip_mask = (bcnt_reg == 14'd0 ? 8'h00 : bcnt_reg == 14'd1 ? 8'hc0 : 8'hff) &
                     (early_b ? therm({{9{ip_hdr_rem[8]}}, ip_hdr_rem}) : 8'h00) &
                     in_frame;
wire [7:0] ps_mask = bcnt_reg == 14'd3 ? 8'hfc : bcnt_reg == 14'd4 ? 8'h03 : 8'h00;
wire [7:0] seg_start = early_b ? ~therm({{9{tcp_off_rem[8]}}, tcp_off_rem}) : 8'hff;
wire [7:0] seg_mask = (bcnt_reg >= 14'd4) ? seg_start & therm(rem_reg) : 8'h00;
wire [7:0] tcp_mask = (ps_mask | seg_mask) & in_frame;

reg [17:0] ip_bsum, tcp_bsum;
integer wj;
always @* begin
    ip_bsum = 18'd0;
    tcp_bsum = 18'd0;
    for (wj = 0; wj < 4; wj = wj + 1) begin
        ip_bsum = ip_bsum + {2'b00,
            (s_axis_tdata[16*wj +: 8] & {8{ip_mask[2*wj]}}),
            (s_axis_tdata[16*wj+8 +: 8] & {8{ip_mask[2*wj+1]}})};
        tcp_bsum = tcp_bsum + {2'b00,
            (s_axis_tdata[16*wj +: 8] & {8{tcp_mask[2*wj]}}),
            (s_axis_tdata[16*wj+8 +: 8] & {8{tcp_mask[2*wj+1]}})};
    end
end

// pseudo-header constant: protocol 6 and the TCP length, registered (the
// total length is in from beat 3) and added at beat 4
reg [16:0] ps_const_reg = 17'd0;
wire [16:0] ps_const = (bcnt_reg == 14'd4) ? ps_const_reg : 17'd0;

always @(posedge clk) begin
    if (s_fire) begin
        ip_acc_reg <= (bcnt_reg == 14'd0 ? 24'd0 : ip_acc_reg) + {6'd0, ip_bsum};
        tcp_acc_reg <= (bcnt_reg == 14'd0 ? 28'd0 : tcp_acc_reg) +
                       {10'd0, tcp_bsum} + {11'd0, ps_const};
    end
    ipok_reg <= fold({4'd0, ip_acc_reg}) == 16'hffff;
    ps_const_reg <= {1'b0, tcp_len} + 17'd6;
end

// ---------------------------------------------------------------------------
// Payload: windows [8(b-1)+s, 8b+s) of the frame, s = P mod 8, from the
// previous and this beat; at the last beat also the tail [8b+s, 8b+8).
// ---------------------------------------------------------------------------

wire early_ok = etype_reg == 16'h0800 && ver_reg == 4'd4 && ihl_reg >= 4'd5 &&
                tot_reg >= {10'd0, ihl4} && ipok_reg && frag_reg[13:0] == 14'd0 &&
                proto_reg == 8'd6 && tcp_len >= 16'd20 && opt_act_reg &&
                doff >= 4'd5 && {10'd0, doff4} <= tcp_len && pay_len != 16'd0;
wire pay_run = early_ok && !pdone_reg;

// end of payload relative to this beat's lane 0: E, or the frame's end if
// that comes first
wire [17:0] d_end = (s_axis_tlast && !rem_reg[17] && rem_reg > {14'd0, nkeep}) ?
                    {14'd0, nkeep} : rem_reg;
wire [17:0] s_p = pay_s6 ? 18'd6 : 18'd2;
wire [7:0]  keep_w = therm(d_end + 18'd8 - s_p);
wire [7:0]  keep_t = therm(d_end - s_p) & (pay_s6 ? 8'h03 : 8'h3f);
wire        pw_v = pay_run && bcnt_reg >= {9'd0, pay_beat} + 14'd1 && keep_w[0];
wire        pt_v = pay_run && s_axis_tlast && bcnt_reg >= {9'd0, pay_beat} && keep_t[0];
// d_end <= s_p: nothing of the payload beyond this window
wire        pw_final = pw_v && (d_end[17] || d_end <= s_p);
wire [63:0] pw_data = pay_s6 ? {s_axis_tdata[47:0], prev_reg[47:32]}
                             : {s_axis_tdata[15:0], prev_reg[47:0]};
wire [63:0] pt_data = pay_s6 ? {48'd0, s_axis_tdata[63:48]}
                             : {16'd0, s_axis_tdata[63:16]};

// zero the bytes of a beat that tkeep does not keep
function [63:0] keep_mask;
    input [63:0] d;
    input [7:0] k;
    integer b;
    begin
        for (b = 0; b < 8; b = b + 1)
            keep_mask[8*b +: 8] = d[8*b +: 8] & {8{k[b]}};
    end
endfunction

// ---------------------------------------------------------------------------
// Finalise: verdict in codec order, header register, payload's last beat
// ---------------------------------------------------------------------------

wire pay_s_ready;

wire [15:0] tcp_len_l = tcp_len;
wire c_eth_trunc = flen_reg < 17'd14;
wire c_ethertype = etype_reg != 16'h0800;
wire c_ip_trunc  = flen_reg < 17'd34;
wire c_ip_ver    = ver_reg != 4'd4;
wire c_ip_ihl    = ihl_reg < 4'd5 || 17'd14 + {11'd0, ihl4} > flen_reg;
wire c_ip_len    = tot_reg < {10'd0, ihl4} || ip_end > flen_reg;
wire c_ip_csum   = fold({4'd0, ip_acc_reg}) != 16'hffff;
wire c_ip_frag   = frag_reg[13:0] != 14'd0;
wire c_ip_proto  = proto_reg != 8'd6;
wire c_tcp_trunc = tcp_len_l < 16'd20;
wire c_tcp_doff  = doff < 4'd5 || {10'd0, doff4} > tcp_len_l;
wire c_tcp_csum  = fold(tcp_acc_reg) != 16'hffff;

reg [3:0] reason;
always @* begin
    if (mac_bad_reg)       reason = RSN_MAC_BAD;
    else if (c_eth_trunc)  reason = TOE_PERR_ETH_TRUNC;
    else if (c_ethertype)  reason = TOE_PERR_ETHERTYPE;
    else if (c_ip_trunc)   reason = TOE_PERR_IP_TRUNC;
    else if (c_ip_ver)     reason = TOE_PERR_IP_VERSION;
    else if (c_ip_ihl)     reason = TOE_PERR_IP_IHL;
    else if (c_ip_len)     reason = TOE_PERR_IP_LEN;
    else if (c_ip_csum)    reason = TOE_PERR_IP_CSUM;
    else if (c_ip_frag)    reason = TOE_PERR_IP_FRAG;
    else if (c_ip_proto)   reason = TOE_PERR_IP_PROTO;
    else if (c_tcp_trunc)  reason = TOE_PERR_TCP_TRUNC;
    else if (c_tcp_doff)   reason = TOE_PERR_TCP_DOFF;
    else if (c_tcp_csum)   reason = TOE_PERR_TCP_CSUM;
    else if (werr_reg)     reason = TOE_PERR_TCP_OPT;
    else                   reason = TOE_PARSE_OK;
end

// The verdict is known once the option walk is over, or can never end:
// no data offset in this frame, or (the frame being complete) option bytes
// missing. In both cases an earlier check has failed. (Deciding from the
// walk alone keeps the checksums out of the s_axis_tready path.) "Can never
// end" is wblk_reg, the walker's w_blocked registered: s_axis_tready then
// depends on registers only (pay_s_ready is the skid's ready register), not
// on the walker's shifts. It costs such a frame one cycle: its header
// leaves the cycle after the walker is seen blocked, not in that cycle.
wire verdict_ready = wdone_reg || !opt_act_reg || wblk_reg;
wire fin_now = fin_pend_reg && verdict_ready && !h_valid_reg &&
               (!hold_valid_reg || pay_s_ready);

// Take a beat unless the payload output is full or the previous frame is
// still being finalised (then only in the cycle it leaves).
assign s_axis_tready = pay_s_ready && (!fin_pend_reg || fin_now);

// header output register
reg [3:0]  h_reason_reg = 4'd0;
reg        h_arp_reg = 1'b0, h_icmp_reg = 1'b0;
reg [47:0] h_dst_mac_reg = 48'd0, h_src_mac_reg = 48'd0;
reg [15:0] h_etype_reg = 16'd0;
reg [3:0]  h_ihl_reg = 4'd0;
reg [7:0]  h_tos_reg = 8'd0, h_ttl_reg = 8'd0, h_proto_reg = 8'd0;
reg [15:0] h_tot_reg = 16'd0, h_id_reg = 16'd0, h_ipcs_reg = 16'd0;
reg        h_df_reg = 1'b0;
reg [31:0] h_sip_reg = 32'd0, h_dip_reg = 32'd0;
reg [95:0] h_tcp_a_reg = 96'd0;   // TCP header bytes 0..11
reg [3:0]  h_doff_reg = 4'd0;
reg [55:0] h_tcp_b_reg = 56'd0;   // TCP header bytes 13..19
reg        h_mss_valid_reg = 1'b0;
reg [15:0] h_mss_reg = 16'd0, h_len_reg = 16'd0;
reg        h_pay_pkt_reg = 1'b0;

// TCP header byte m of the captured header
`define TOE_RXP_TA(m) h_tcp_a_reg[8*(m) +: 8]
`define TOE_RXP_TB(m) h_tcp_b_reg[8*((m)-13) +: 8]

assign m_hdr_valid = h_valid_reg;
assign m_hdr_reason = h_reason_reg;
assign m_hdr_arp = h_arp_reg;
assign m_hdr_icmp = h_icmp_reg;
assign m_hdr_dst_mac = h_dst_mac_reg;
assign m_hdr_src_mac = h_src_mac_reg;
assign m_hdr_ethertype = h_etype_reg;
assign m_hdr_ip_ihl = h_ihl_reg;
assign m_hdr_ip_tos = h_tos_reg;
assign m_hdr_ip_len = h_tot_reg;
assign m_hdr_ip_id = h_id_reg;
assign m_hdr_ip_df = h_df_reg;
assign m_hdr_ip_ttl = h_ttl_reg;
assign m_hdr_ip_proto = h_proto_reg;
assign m_hdr_ip_csum = h_ipcs_reg;
assign m_hdr_src_ip = h_sip_reg;
assign m_hdr_dst_ip = h_dip_reg;
assign m_hdr_src_port = {`TOE_RXP_TA(0), `TOE_RXP_TA(1)};
assign m_hdr_dst_port = {`TOE_RXP_TA(2), `TOE_RXP_TA(3)};
assign m_hdr_seq = {`TOE_RXP_TA(4), `TOE_RXP_TA(5), `TOE_RXP_TA(6), `TOE_RXP_TA(7)};
assign m_hdr_ack = {`TOE_RXP_TA(8), `TOE_RXP_TA(9), `TOE_RXP_TA(10), `TOE_RXP_TA(11)};
assign m_hdr_doff = h_doff_reg;
assign m_hdr_flags = `TOE_RXP_TB(13);
assign m_hdr_win = {`TOE_RXP_TB(14), `TOE_RXP_TB(15)};
assign m_hdr_tcp_csum = {`TOE_RXP_TB(16), `TOE_RXP_TB(17)};
assign m_hdr_urg = {`TOE_RXP_TB(18), `TOE_RXP_TB(19)};
assign m_hdr_mss_valid = h_mss_valid_reg;
assign m_hdr_mss = h_mss_reg;
assign m_hdr_len = h_len_reg;
assign m_hdr_pay_pkt = h_pay_pkt_reg;

`undef TOE_RXP_TA
`undef TOE_RXP_TB

// the MSS option's value: option bytes pos+2, pos+3 (TCP bytes 22+pos, 23+pos)
wire [15:0] mss_val = {tcpb_reg[8*(22 + {26'd0, wmss_pos_reg}) +: 8],
                       tcpb_reg[8*(23 + {26'd0, wmss_pos_reg}) +: 8]};

always @(posedge clk) begin
    if (fin_now) begin
        h_reason_reg <= reason;
        h_arp_reg <= reason == TOE_PERR_ETHERTYPE && etype_reg == 16'h0806;
        h_icmp_reg <= reason == TOE_PERR_IP_PROTO && proto_reg == 8'd1;
        h_dst_mac_reg <= dst_mac_reg;
        h_src_mac_reg <= src_mac_reg;
        h_etype_reg <= etype_reg;
        h_ihl_reg <= ihl_reg;
        h_tos_reg <= tos_reg;
        h_tot_reg <= tot_reg;
        h_id_reg <= id_reg;
        h_df_reg <= frag_reg[14];
        h_ttl_reg <= ttl_reg;
        h_proto_reg <= proto_reg;
        h_ipcs_reg <= ipcs_reg;
        h_sip_reg <= sip_reg;
        h_dip_reg <= dip_reg;
        h_tcp_a_reg <= tcpb_reg[95:0];
        h_doff_reg <= doff;
        h_tcp_b_reg <= tcpb_reg[159:104];
        h_mss_valid_reg <= reason == TOE_PARSE_OK && wmss_reg;
        h_mss_reg <= mss_val;
        h_len_reg <= pay_len;
        h_pay_pkt_reg <= pay_pkt_reg;
    end
end

// ---------------------------------------------------------------------------
// Payload output: through the shared skid buffer (registered ready)
// ---------------------------------------------------------------------------

wire pay_push_w = s_fire && pw_v && !pw_final;   // a full middle beat
wire pay_push_h = fin_now && hold_valid_reg;     // the held last beat

toe_skid #(
    .DATA_W(64),
    .USER_W(1)
) pay_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(pay_push_h ? hold_data_reg : pw_data),
    .s_axis_tkeep(pay_push_h ? hold_keep_reg : 8'hff),
    .s_axis_tvalid(pay_push_w || pay_push_h),
    .s_axis_tready(pay_s_ready),
    .s_axis_tlast(pay_push_h),
    .s_axis_tuser(pay_push_h && reason != TOE_PARSE_OK),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser)
);

always @(posedge clk) begin
    if (s_fire && pw_final) begin
        hold_data_reg <= keep_mask(pw_data, keep_w);
        hold_keep_reg <= keep_w;
    end else if (s_fire && pt_v) begin
        hold_data_reg <= keep_mask(pt_data, keep_t);
        hold_keep_reg <= keep_t;
    end
end

// ---------------------------------------------------------------------------
// Option summaries and walker registers (data), control registers
// ---------------------------------------------------------------------------

integer ri, ci;
always @(posedge clk) begin
    for (ri = 0; ri < OPT_MAX; ri = ri + 1) begin
        if (iwr[ri]) begin
            inext_reg[6*ri +: 6] <= iwr_info[10*ri +: 6];
            idone_reg[ri] <= iwr_info[10*ri + 7];
            ibad_reg[ri] <= iwr_info[10*ri + 8];
            imss_reg[ri] <= iwr_info[10*ri + 9];
        end
    end
    wmss_pos_reg <= wmss_pos_next;
end

always @(posedge clk) begin
    // beat counter
    if (s_fire) begin
        if (s_axis_tlast)
            bcnt_reg <= 14'd0;
        else if (bcnt_reg != 14'h3fff)
            bcnt_reg <= bcnt_reg + 14'd1;
    end

    // walker (runs every cycle)
    wp_reg <= wp_next;
    wdone_reg <= wdone_next;
    werr_reg <= werr_next;
    wmss_reg <= wmss_next;
    for (ci = 0; ci < OPT_MAX; ci = ci + 1) begin
        if (iwr[ci]) begin
            inv_reg[ci] <= iwr_info[10*ci + 6];
            iov_reg[ci] <= !iwr_info[10*ci + 6];
        end
    end

    // data offset captured (TCP byte 12): options can be summarised
    if (s_fire && (tcp_s6 ? relk[(6 + 12) / 8] : relk[(2 + 12) / 8])) begin
        opt_act_reg <= 1'b1;
        optlen_reg <= optlen_in;
    end

    // Walker blocked for good: the frame's last beat is taken (with
    // fin_pend_reg set, the summaries of that beat are in inv_reg / iov_reg
    // too, and no beat is taken until the header leaves, so no position
    // can still arrive), and the walk waits for a position.
    // Option bytes are missing, so an earlier check fails (the frame is
    // shorter than 14 + total length, or 4 * data offset exceeds the TCP
    // length); the walk's result is not used. Cleared when the header
    // leaves (the next frame cannot be blocked before its own last beat).
    wblk_reg <= fin_pend_reg && opt_act_reg && !wdone_reg && w_blocked &&
                !fin_now;

    // payload
    if (s_fire && (pw_v || pt_v))
        pay_pkt_reg <= 1'b1;
    if (s_fire && (pw_final || pt_v)) begin
        pdone_reg <= 1'b1;
        hold_valid_reg <= 1'b1;
    end

    // header output
    if (h_valid_reg && m_hdr_ready)
        h_valid_reg <= 1'b0;

    // last beat: finalise next; finalising: clear the per-frame state
    if (fin_now) begin
        fin_pend_reg <= 1'b0;
        h_valid_reg <= 1'b1;
        opt_act_reg <= 1'b0;
        inv_reg <= {OPT_MAX{1'b0}};
        iov_reg <= {OPT_MAX{1'b0}};
        wp_reg <= 6'd0;
        wdone_reg <= 1'b0;
        werr_reg <= 1'b0;
        wmss_reg <= 1'b0;
        pdone_reg <= 1'b0;
        pay_pkt_reg <= 1'b0;
        hold_valid_reg <= 1'b0;
    end
    if (s_fire && s_axis_tlast)
        fin_pend_reg <= 1'b1;

    if (rst) begin
        bcnt_reg <= 14'd0;
        fin_pend_reg <= 1'b0;
        opt_act_reg <= 1'b0;
        pdone_reg <= 1'b0;
        pay_pkt_reg <= 1'b0;
        hold_valid_reg <= 1'b0;
        inv_reg <= {OPT_MAX{1'b0}};
        iov_reg <= {OPT_MAX{1'b0}};
        wp_reg <= 6'd0;
        wdone_reg <= 1'b0;
        werr_reg <= 1'b0;
        wmss_reg <= 1'b0;
        wblk_reg <= 1'b0;
        h_valid_reg <= 1'b0;
    end
end

`ifndef SYNTHESIS
// the held last beat and a middle beat never meet (a frame's payload
// starts at byte 54 or later, its header leaves before the next frame's
// beat 1)
always @(posedge clk) begin
    if (!rst && pay_push_w && pay_push_h)
        $error("%m: payload beat collision");
end

// what the walker's end-of-list compare relies on: summaries only before
// the list's end, and a running walk's position within the list
integer ai;
always @(posedge clk) begin
    if (!rst && opt_act_reg && !wdone_reg && wp_reg > optlen_reg)
        $error("%m: option walker past the list's end");
    for (ai = 0; ai < OPT_MAX; ai = ai + 1) begin
        if (!rst && (inv_reg[ai] || iov_reg[ai]) && ai >= {26'd0, optlen_reg})
            $error("%m: option summary past the list's end");
    end
end
`endif

endmodule

`resetall
