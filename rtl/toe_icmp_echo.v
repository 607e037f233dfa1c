// SPDX-License-Identifier: MIT
//
// toe_icmp_echo.v - ICMP echo responder ("ping"): watches every received
// frame, stores it, checks the IPv4 header and the ICMP checksum, and
// answers a good echo request to our IPv4 address with an echo reply
// (RFC 792, RFC 1122 3.2.2.6). The golden model is toe_ref_icmp_reply() in
// host/pkt/l2.c; this block makes the same decisions in the same order and
// builds the same bytes (host/pkt/toe_l2.h).
//
// Receive side: a tap on the MAC's receive stream, in parallel with the TCP
// parser. s_axis_tready is always 1: the responder never stalls the receive
// path (feed it tvalid & tready of the real path). Frames are Ethernet
// without preamble/FCS, byte 0 in tdata[7:0], tkeep contiguous from bit 0,
// all beats but the last full. A frame with tuser set on any beat is ignored.
//
// Every frame is written into a ring buffer (one block RAM of 2^BUF_LOG2
// beats of 64 bits, 8 KB by default) behind the requests already queued,
// while its checksums are summed on the fly; a frame is never read before
// it has been checked. A good echo request is committed (the ring's write
// point moves past it, its reply joins a queue of up to 2^QUEUE_LOG2
// replies); any other frame is rolled back (the next frame overwrites it).
// A good request that did not fit the free space of the ring, or finds the
// reply queue full, is dropped and counted in stat_busy. A corrupted
// request (either checksum wrong) gets no reply.
//
// Reply side: m_axis, with backpressure. The reply is the request's ICMP
// message behind a fresh 20-byte IPv4 header (request options dropped, so
// the message moves up by 4*(IHL-5) bytes) and a swapped Ethernet header,
// zero-padded to 60 bytes. Replies follow each other with one idle beat
// between them (two when the request carried 4, 12, ... bytes of options).
//
// Counters (CNT_W bits, from 0 after rst, wrapping):
//   stat_replies   echo replies sent (last beat handed to the output)
//   stat_busy      good requests dropped: no room in the ring or the queue
//   stat_drop      requests to us dropped by reason, CNT_W bits each:
//                  [0] TOO_BIG (code 3)   [1] IP_HDR (4)   [2] IP_CSUM (5)
//                  [3] IP_FRAG (6)        [4] IP_SRC (7)   [5] ICMP_TRUNC (8)
//                  [6] ICMP_CSUM (9)
//
// IP ID: cfg_ip_id is sampled in the cycle ip_id_take is high (when a reply
// is started); the engine's IP ID sequence advances on that pulse. cfg_ttl
// is sampled then too. cfg_mac / cfg_ip are read at the check and while a
// reply is sent: change them only while cfg_enable is 0 and nothing is
// queued.
//
// Wire format (frame offsets; fields big-endian; O = 4 * (IHL - 5)):
//
//   request offset  len  field          request check          reply (offset)
//   0               6    Ethernet dst   our MAC                request's src MAC
//   6               6    Ethernet src   -                      our MAC
//   12              2    ethertype      0x0800                 0x0800
//   14              1    version/IHL    4 / >= 5  (IP_HDR)     0x45
//   15              1    TOS            -                      request's TOS
//   16              2    total length   >= IHL*4, 14 + it <=   20 + ICMP length
//                                       frame     (IP_HDR)
//   18              2    identification -                      cfg_ip_id
//   20              2    flags/offset   MF 0, offset 0         0 (DF cleared)
//                                       (IP_FRAG)
//   22              1    TTL            -                      cfg_ttl
//   23              1    protocol       1                      1
//   24              2    header csum    right     (IP_CSUM)    computed
//   26              4    source         single host (IP_SRC)   our IP
//   30              4    destination    our IP                 request's source
//   34              O    options        in the header csum     (dropped)
//   34+O            1    ICMP type      8 (else ignored)       0        (34)
//   35+O            1    ICMP code      0 (else ignored)       0        (35)
//   36+O            2    ICMP checksum  right     (ICMP_CSUM)  computed (36)
//   38+O            2    identifier     -                      copied   (38)
//   40+O            2    sequence       -                      copied   (40)
//   42+O            ...  data           ICMP length >= 8       copied   (42)
//                                       (ICMP_TRUNC)
//   14+total        ...  Ethernet padding, ignored             zeros to 60
//
// Decision order (a frame with several faults counts the first):
//   < 34 bytes, dst MAC not ours, not 0x0800, protocol not 1, destination
//   not our IP, or disabled: ignore; > 1514 bytes: TOO_BIG; IP_HDR; IP_CSUM;
//   IP_FRAG; IP_SRC; ICMP_TRUNC; type/code not 8/0: ignore; ICMP_CSUM;
//   else reply.
//
// Checksums (RFC 1071), summed on the fly over 16-bit words at even frame
// offsets: the IP header words, the first two ICMP words (type/code and
// checksum) and the rest of the ICMP message (y, the odd last byte padded
// with zero). The request is good when fold(head + y) = 0xffff; the reply's
// type/code word is 0, so its checksum is ~fold(y).

`timescale 1ns / 1ps
`default_nettype none

// ICMP echo responder: stores each frame, answers good echo requests to cfg_ip.
module toe_icmp_echo #(
    // the ring buffer holds 2^BUF_LOG2 beats of 8 bytes (at least 512: two
    // 1514-byte frames are 380 beats)
    parameter BUF_LOG2 = 10,
    // the reply queue holds 2^QUEUE_LOG2 requests
    parameter QUEUE_LOG2 = 4,
    // counter width in bits
    parameter CNT_W = 32
) (
    input  wire             clk,
    input  wire             rst,

    // receive tap (every frame the MAC delivers)
    input  wire [63:0]      s_axis_tdata,
    input  wire [7:0]       s_axis_tkeep,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    input  wire             s_axis_tlast,
    input  wire             s_axis_tuser,

    // echo replies
    output wire [63:0]      m_axis_tdata,
    output wire [7:0]       m_axis_tkeep,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             m_axis_tlast,
    output wire             m_axis_tuser,

    // configuration
    input  wire             cfg_enable,   // answer requests (CTRL.PING_EN)
    input  wire [47:0]      cfg_mac,      // our MAC, byte 0 (first on the wire) in 47:40
    input  wire [31:0]      cfg_ip,       // our IPv4 address
    input  wire [7:0]       cfg_ttl,      // TTL of replies
    input  wire [15:0]      cfg_ip_id,    // IP ID of the next reply
    output wire             ip_id_take,   // cfg_ip_id sampled this cycle

    // counters
    output wire [CNT_W-1:0]   stat_replies,
    output wire [CNT_W-1:0]   stat_busy,
    output wire [7*CNT_W-1:0] stat_drop
);

// ring size in beats, as a pointer-difference value
localparam [BUF_LOG2:0] RING = 1 << BUF_LOG2;
// reply queue depth, as a count-register value
localparam [QUEUE_LOG2:0] QDEPTH = 1 << QUEUE_LOG2;

initial begin
    if (BUF_LOG2 < 9 || BUF_LOG2 > 16) begin
        $error("%m: BUF_LOG2 (%0d) must be 9..16", BUF_LOG2);
        $finish;
    end
    if (QUEUE_LOG2 < 1 || QUEUE_LOG2 > 8) begin
        $error("%m: QUEUE_LOG2 (%0d) must be 1..8", QUEUE_LOG2);
        $finish;
    end
    if (CNT_W < 1 || CNT_W > 64) begin
        $error("%m: CNT_W (%0d) must be 1..64", CNT_W);
        $finish;
    end
end

// bswap64, keep_bytes
`include "toe_bytes.vh"

// ones'-complement fold of a sum of 16-bit words (end-around carry); 0 only
// for a zero sum, as host/ref's toe_csum_add
function [15:0] fold32(input [31:0] x);
    reg [16:0] a;
    begin
        a = {1'b0, x[15:0]} + {1'b0, x[31:16]};
        fold32 = a[15:0] + {15'd0, a[16]};
    end
endfunction

assign s_axis_tready = 1'b1;

// ---- input register ----
reg        r_valid_reg = 1'b0;
reg [63:0] r_data_reg = 64'd0;
reg [7:0]  r_keep_reg = 8'd0;
reg        r_last_reg = 1'b0;
reg        r_user_reg = 1'b0;

// r_data as big-endian: frame byte 8*beat + i in bits 63-8i:56-8i
wire [63:0] r_be = bswap64(r_data_reg);

// ---- frame position and captured fields ----
reg [7:0]  beat_reg = 8'd0;   // beat index in the frame, saturates at 255
reg        bad_reg = 1'b0;    // tuser seen on an earlier beat of this frame

reg [47:0] dst_mac_reg = 48'd0;
reg [47:0] src_mac_reg = 48'd0;
reg [15:0] etype_reg = 16'd0;
reg [7:0]  ver_ihl_reg = 8'd0;
reg [7:0]  tos_reg = 8'd0;
reg [15:0] total_reg = 16'd0;
reg [13:0] frag_reg = 14'd0;      // fragment offset and MF (DF left out)
reg [7:0]  proto_reg = 8'd0;
reg [31:0] src_ip_reg = 32'd0;
reg [31:0] dst_ip_reg = 32'd0;
reg [7:0]  type_reg = 8'd0;
reg [7:0]  code_reg = 8'd0;
reg [6:0]  icmp_start_reg = 7'd0;  // frame offset of the ICMP message, 14 + IHL*4
reg [7:0]  icmp_head_end_reg = 8'd0; // icmp_start + 4
reg [16:0] ip_end_reg = 17'd0;     // 14 + IP total length

// checksum accumulators (plain sums of 16-bit words, folded at the check)
reg [20:0] ip_acc_reg = 21'd0;     // IP header words (at most 30)
reg [16:0] head_acc_reg = 17'd0;   // ICMP type/code and checksum words
reg [26:0] y_acc_reg = 27'd0;      // ICMP words from offset 4 on

// ---- per-beat sums: the beat's four 16-bit words at even offsets ----
reg [17:0] beat_ip_sum;
reg [16:0] beat_head_sum;
reg [17:0] beat_y_sum;
reg        beat_type_hit;
reg [15:0] beat_type_code;

always @* begin : beat_sums
    integer i;
    reg [10:0] off;
    reg [2:0] lane;
    reg [15:0] word, masked;
    reg in_ip, in_icmp, in_head;

    beat_ip_sum = 18'd0;
    beat_head_sum = 17'd0;
    beat_y_sum = 18'd0;
    beat_type_hit = 1'b0;
    beat_type_code = 16'd0;
    for (i = 0; i < 4; i = i + 1) begin
        lane = 3'd2 * i[2:0];
        off = {beat_reg, lane};
        word = r_be[63 - 16*i -: 16];
        // bytes past the IP total length (Ethernet padding) count as zero
        masked[15:8] = ({6'd0, off} < ip_end_reg) ? word[15:8] : 8'd0;
        masked[7:0] = ({6'd0, off} + 17'd1 < ip_end_reg) ? word[7:0] : 8'd0;
        // offset 14 (version/IHL/TOS) is in every IP header; from beat 2
        // on the captured IHL decides
        in_ip = (beat_reg == 8'd1 && i == 3) ||
                (beat_reg >= 8'd2 && off < {4'd0, icmp_start_reg});
        in_icmp = beat_reg >= 8'd2 && off >= {4'd0, icmp_start_reg};
        in_head = in_icmp && off < {3'd0, icmp_head_end_reg};
        if (in_ip)
            beat_ip_sum = beat_ip_sum + {2'd0, word};
        if (in_head)
            beat_head_sum = beat_head_sum + {1'b0, masked};
        if (in_icmp && !in_head)
            beat_y_sum = beat_y_sum + {2'd0, masked};
        if (beat_reg >= 8'd2 && off == {4'd0, icmp_start_reg}) begin
            beat_type_hit = 1'b1;
            beat_type_code = word;
        end
    end
end

// ---- check stages and write stage ----
// done (the cycle after the last beat): the verdict and the reply's
// metadata are worked out and registered; chk (the cycle after): the
// request is committed or rolled back. The write stage runs two cycles
// behind the input register, so that a frame's last beat is written in
// its chk cycle and the next frame's first beat goes where the commit
// left the ring's write point.
reg        done_reg = 1'b0;
reg [11:0] flen_reg = 12'd0;  // frame length (>= 2040 when saturated)
reg        fbad_reg = 1'b0;

reg        d_valid_reg = 1'b0;  // one cycle behind the input register
reg [63:0] d_data_reg = 64'd0;
reg [7:0]  d_beat_reg = 8'd0;
reg        w_valid_reg = 1'b0;  // the beat to write into the frame buffer
reg [63:0] w_data_reg = 64'd0;
reg [7:0]  w_beat_reg = 8'd0;

always @(posedge clk) begin
    r_valid_reg <= s_axis_tvalid;
    if (s_axis_tvalid) begin
        r_data_reg <= s_axis_tdata;
        r_keep_reg <= s_axis_tkeep;
        r_last_reg <= s_axis_tlast;
        r_user_reg <= s_axis_tuser;
    end

    // two cycles after the input register, so that a frame's last beat is
    // written in the cycle the frame is committed or not (chk)
    d_valid_reg <= r_valid_reg;
    d_data_reg <= r_data_reg;
    d_beat_reg <= beat_reg;
    w_valid_reg <= d_valid_reg;
    w_data_reg <= d_data_reg;
    w_beat_reg <= d_beat_reg;

    done_reg <= 1'b0;
    if (r_valid_reg) begin
        case (beat_reg)
            8'd0: begin
                dst_mac_reg <= r_be[63:16];
                src_mac_reg[47:32] <= r_be[15:0];
            end
            8'd1: begin
                src_mac_reg[31:0] <= r_be[63:32];
                etype_reg <= r_be[31:16];
                ver_ihl_reg <= r_be[15:8];
                tos_reg <= r_be[7:0];
                icmp_start_reg <= 7'd14 + {1'b0, r_be[11:8], 2'b00};
                icmp_head_end_reg <= 8'd18 + {2'b0, r_be[11:8], 2'b00};
            end
            8'd2: begin
                total_reg <= r_be[63:48];
                ip_end_reg <= 17'd14 + {1'b0, r_be[63:48]};
                frag_reg <= r_be[29:16];
                proto_reg <= r_be[7:0];
            end
            8'd3: begin
                src_ip_reg <= r_be[47:16];
                dst_ip_reg[31:16] <= r_be[15:0];
            end
            8'd4: dst_ip_reg[15:0] <= r_be[63:48];
            default: ;
        endcase
        if (beat_type_hit)
            {type_reg, code_reg} <= beat_type_code;

        if (beat_reg == 8'd0) begin
            // nothing of the IP header is in beat 0: start the sums afresh
            ip_acc_reg <= 21'd0;
            head_acc_reg <= 17'd0;
            y_acc_reg <= 27'd0;
        end else begin
            ip_acc_reg <= ip_acc_reg + {3'd0, beat_ip_sum};
            head_acc_reg <= head_acc_reg + beat_head_sum;
            y_acc_reg <= y_acc_reg + {9'd0, beat_y_sum};
        end

        if (r_last_reg) begin
            done_reg <= 1'b1;
            flen_reg <= {1'b0, beat_reg, 3'b000} + {8'd0, keep_bytes(r_keep_reg)};
            fbad_reg <= bad_reg | r_user_reg;
            beat_reg <= 8'd0;
            bad_reg <= 1'b0;
        end else begin
            if (beat_reg != 8'd255)
                beat_reg <= beat_reg + 8'd1;
            bad_reg <= bad_reg | r_user_reg;
        end
    end

    if (rst) begin
        r_valid_reg <= 1'b0;
        d_valid_reg <= 1'b0;
        w_valid_reg <= 1'b0;
        beat_reg <= 8'd0;
        bad_reg <= 1'b0;
        done_reg <= 1'b0;
    end
end

// ---- the decision, in toe_l2.h's order ----
// What follows from the IP header's version/IHL (beat 1) and total length
// (beat 2) alone is worked out in registers behind them: a request to us
// has at least 5 beats, so its done cycle comes at least 3 cycles after
// beat 2's, when icmp_len_reg (1 cycle) and the values derived from it (2
// cycles) hold; the next frame's beat 2 comes after done.
wire [5:0]  ihl_bytes = {ver_ihl_reg[3:0], 2'b00};
reg  [15:0] icmp_len = 16'd0;       // total length - IHL * 4
reg         hdr_bad_reg = 1'b0;     // version / IHL / total length wrong
reg         trunc_reg = 1'b0;       // icmp_len < 8
reg  [10:0] r_end = 11'd0;          // 34 + ICMP length: the reply's bytes before padding
always @(posedge clk) begin
    icmp_len <= total_reg - {10'd0, ihl_bytes};
    hdr_bad_reg <= ver_ihl_reg[7:4] != 4'd4 || ver_ihl_reg[3:0] < 4'd5 ||
                   total_reg < {10'd0, ihl_bytes};
    trunc_reg <= icmp_len < 16'd8;
    r_end <= 11'd34 + icmp_len[10:0];
end
wire [15:0] y_fold = fold32({5'd0, y_acc_reg});

wire v_for_us = cfg_enable && !fbad_reg && flen_reg >= 12'd34 && dst_mac_reg == cfg_mac &&
                etype_reg == 16'h0800 && proto_reg == 8'd1 && dst_ip_reg == cfg_ip;
wire v_too_big = flen_reg > 12'd1514;
wire v_ip_hdr = hdr_bad_reg || ip_end_reg > {5'd0, flen_reg};
wire v_ip_csum = fold32({11'd0, ip_acc_reg}) != 16'hffff;
wire v_ip_frag = frag_reg != 14'd0;
wire v_ip_src = src_ip_reg[31:24] == 8'd0 || src_ip_reg[31:24] == 8'd127 ||
                src_ip_reg[31:29] == 3'b111;
wire v_icmp_trunc = trunc_reg;
wire v_not_echo = type_reg != 8'd8 || code_reg != 8'd0;
wire [27:0] hy_sum = {11'd0, head_acc_reg} + {1'b0, y_acc_reg};
wire v_icmp_csum = fold32({4'd0, hy_sum}) != 16'hffff;

// one-hot drop reason (stat_drop order) and the echo verdict
reg [6:0] drop;
reg       echo;

always @* begin
    drop = 7'd0;
    echo = 1'b0;
    if (done_reg && v_for_us) begin
        if (v_too_big)
            drop[0] = 1'b1;
        else if (v_ip_hdr)
            drop[1] = 1'b1;
        else if (v_ip_csum)
            drop[2] = 1'b1;
        else if (v_ip_frag)
            drop[3] = 1'b1;
        else if (v_ip_src)
            drop[4] = 1'b1;
        else if (v_icmp_trunc)
            drop[5] = 1'b1;
        else if (v_not_echo)
            ;
        else if (v_icmp_csum)
            drop[6] = 1'b1;
        else
            echo = 1'b1;
    end
end

// ---- ring buffer: [free_ptr, fs_ptr) holds the queued requests, the
// frame being received is written from fs_ptr on ----
// Pointers carry one bit more than the address, so full and empty differ.
reg [BUF_LOG2:0] fs_ptr_reg = {(BUF_LOG2+1){1'b0}};   // start of the frame being received
reg [BUF_LOG2:0] free_ptr_reg = {(BUF_LOG2+1){1'b0}}; // start of the oldest queued request
reg              ovf_reg = 1'b0;  // a beat of this frame did not fit

// room left behind the queued requests; a beat that does not fit is not
// written (the frame, if a good request, is then dropped as busy)
wire [BUF_LOG2:0] ring_room = RING - (fs_ptr_reg - free_ptr_reg);
wire              w_fits = {{(BUF_LOG2-7){1'b0}}, w_beat_reg} < ring_room;
wire              w_write = w_valid_reg && w_fits;
// the frame committed now (its last beat is in the write stage) overflowed
wire              frame_ovf = ovf_reg || (w_valid_reg && !w_fits);
// beats the frame occupies (an echo request is at most 1514 bytes)
wire [7:0]        frame_beats = flen_reg[10:3] + {7'd0, flen_reg[2:0] != 3'd0};

// ---- chk: the verdict and the reply's metadata, registered at done ----
wire [10:0] r_flen = r_end < 11'd60 ? 11'd60 : r_end;  // with padding
wire [3:0]  r_opt = ver_ihl_reg[3:0] - 4'd5;

reg        chk_reg = 1'b0;
reg        c_echo_reg = 1'b0;
reg [6:0]  c_drop_reg = 7'd0;
reg [7:0]  c_beats_reg = 8'd0;
reg [47:0] c_mac_reg = 48'd0;
reg [31:0] c_ip_reg = 32'd0;
reg [7:0]  c_tos_reg = 8'd0;
reg [10:0] c_len_reg = 11'd0;
reg [15:0] c_csum_reg = 16'd0;
reg [3:0]  c_opt_reg = 4'd0;
reg [10:0] c_end_reg = 11'd0;
reg [7:0]  c_last_k_reg = 8'd0;
reg [7:0]  c_last_keep_reg = 8'd0;
reg [7:0]  c_reads_reg = 8'd0;

always @(posedge clk) begin
    chk_reg <= done_reg;
    c_echo_reg <= echo;
    c_drop_reg <= drop;
    c_beats_reg <= frame_beats;
    c_mac_reg <= src_mac_reg;
    c_ip_reg <= src_ip_reg;
    c_tos_reg <= tos_reg;
    c_len_reg <= icmp_len[10:0];
    c_csum_reg <= ~y_fold;
    c_opt_reg <= r_opt;
    c_end_reg <= r_end;
    c_last_k_reg <= r_flen[10:3] - {7'd0, r_flen[2:0] == 3'd0};
    c_last_keep_reg <= r_flen[2:0] == 3'd0 ? 8'hff : ~(8'hff << r_flen[2:0]);
    c_reads_reg <= r_flen[10:3] + {7'd0, r_flen[2:0] != 3'd0} + {7'd0, r_opt[0]};
    if (rst) begin
        chk_reg <= 1'b0;
        c_echo_reg <= 1'b0;
        c_drop_reg <= 7'd0;
    end
end

always @(posedge clk) begin
    if (chk_reg)
        ovf_reg <= 1'b0;
    else if (w_valid_reg && !w_fits)
        ovf_reg <= 1'b1;
    if (rst)
        ovf_reg <= 1'b0;
end

// ---- reply queue: what a reply needs besides the request's bytes ----
reg [QUEUE_LOG2-1:0] q_wr_reg = {QUEUE_LOG2{1'b0}};
reg [QUEUE_LOG2-1:0] q_rd_reg = {QUEUE_LOG2{1'b0}};
reg [QUEUE_LOG2:0]   q_count_reg = {(QUEUE_LOG2+1){1'b0}};  // queued + in transmission

wire push = c_echo_reg && !frame_ovf && q_count_reg != QDEPTH;
wire busy = c_echo_reg && (frame_ovf || q_count_reg == QDEPTH);

reg [BUF_LOG2-1:0] meta_start [0:(1 << QUEUE_LOG2)-1];  // first beat in the ring
reg [7:0]  meta_beats [0:(1 << QUEUE_LOG2)-1];  // beats it occupies
reg [47:0] meta_mac [0:(1 << QUEUE_LOG2)-1];    // request's source MAC
reg [31:0] meta_ip [0:(1 << QUEUE_LOG2)-1];     // request's source IP
reg [7:0]  meta_tos [0:(1 << QUEUE_LOG2)-1];
reg [10:0] meta_len [0:(1 << QUEUE_LOG2)-1];    // ICMP length (8..1480)
reg [15:0] meta_csum [0:(1 << QUEUE_LOG2)-1];   // the reply's ICMP checksum
reg [3:0]  meta_opt [0:(1 << QUEUE_LOG2)-1];    // IHL - 5: option words to skip
// the reply's shape, worked out here so that starting a reply is a copy
reg [10:0] meta_end [0:(1 << QUEUE_LOG2)-1];    // 34 + ICMP length: bytes before the padding
reg [7:0]  meta_last_k [0:(1 << QUEUE_LOG2)-1]; // index of the last beat
reg [7:0]  meta_last_keep [0:(1 << QUEUE_LOG2)-1];
reg [7:0]  meta_reads [0:(1 << QUEUE_LOG2)-1];  // ring reads: beats + shift

always @(posedge clk) begin
    if (push) begin
        meta_start[q_wr_reg] <= fs_ptr_reg[BUF_LOG2-1:0];
        meta_beats[q_wr_reg] <= c_beats_reg;
        meta_mac[q_wr_reg] <= c_mac_reg;
        meta_ip[q_wr_reg] <= c_ip_reg;
        meta_tos[q_wr_reg] <= c_tos_reg;
        meta_len[q_wr_reg] <= c_len_reg;
        meta_csum[q_wr_reg] <= c_csum_reg;
        meta_opt[q_wr_reg] <= c_opt_reg;
        meta_end[q_wr_reg] <= c_end_reg;
        meta_last_k[q_wr_reg] <= c_last_k_reg;
        meta_last_keep[q_wr_reg] <= c_last_keep_reg;
        meta_reads[q_wr_reg] <= c_reads_reg;
    end
end

// ---- frame buffer ----
reg [63:0] mem [0:(1 << BUF_LOG2)-1];
reg [63:0] ram_q = 64'd0;
wire                 rd_en;
wire [BUF_LOG2-1:0]  rd_addr;

always @(posedge clk) begin
    if (w_write)
        mem[fs_ptr_reg[BUF_LOG2-1:0] + {{(BUF_LOG2-8){1'b0}}, w_beat_reg}] <= w_data_reg;
end

always @(posedge clk) begin
    if (rd_en)
        ram_q <= mem[rd_addr];
end

// ---- reply generator ----
// Reads the request from its beat B = (O / 8) on; with O / 4 odd (shift) each
// output beat joins the top half of one read beat and the bottom half of the
// next. Bytes 0..37 come from the header registers, bytes past the reply's
// IP end are zero.
reg                  tx_run_reg = 1'b0;   // a reply is being sent
reg [BUF_LOG2-1:0]   tx_start_reg = {BUF_LOG2{1'b0}};  // the request's first beat
reg [7:0]  tx_beats_reg = 8'd0;    // beats the request occupies
reg [47:0] tx_mac_reg = 48'd0;
reg [31:0] tx_ip_reg = 32'd0;
reg [7:0]  tx_tos_reg = 8'd0;
reg [10:0] tx_len_reg = 11'd0;     // ICMP length
reg [15:0] tx_icsum_reg = 16'd0;
reg [2:0]  tx_b_reg = 3'd0;        // first request beat read, from tx_start
reg        tx_sh_reg = 1'b0;       // 4-byte shift
reg [15:0] tx_id_reg = 16'd0;
reg [7:0]  tx_ttl_reg = 8'd0;
reg [10:0] tx_end_reg = 11'd0;     // 34 + ICMP length: bytes before the padding
reg [7:0]  tx_last_k_reg = 8'd0;   // index of the last output beat
reg [7:0]  tx_last_keep_reg = 8'd0;
reg [7:0]  tx_reads_reg = 8'd0;    // reads needed: beats + shift
reg [18:0] ip_sum_reg = 19'd0;     // IP header sum (free-running from tx_*)
reg [15:0] ip_csum_reg = 16'd0;

reg [7:0]  rd_j_reg = 8'd0;        // reads issued
reg        q_valid_reg = 1'b0;     // ram_q holds read q_j, not yet used
reg [7:0]  q_j_reg = 8'd0;
reg [31:0] prev_reg = 32'd0;       // top half of the read before ram_q (shift)

wire       o_ready;                // the output skid takes a beat
wire       o_valid = tx_run_reg && q_valid_reg && (q_j_reg != 8'd0 || !tx_sh_reg);
wire [7:0] o_k = q_j_reg - {7'd0, tx_sh_reg};
wire       o_last = o_k == tx_last_k_reg;
wire       adv = !o_valid || o_ready;
wire       finishing = o_valid && o_last && o_ready;
// start the next reply when idle, or in the cycle the last beat leaves
wire       pick = (!tx_run_reg && q_count_reg != 0) ||
                  (finishing && q_count_reg > {{QUEUE_LOG2{1'b0}}, 1'b1});
wire [QUEUE_LOG2-1:0] pick_q = tx_run_reg ? q_rd_reg + 1'b1 : q_rd_reg;

assign rd_en = tx_run_reg && adv && !finishing && rd_j_reg != tx_reads_reg;
assign rd_addr = tx_start_reg + {{(BUF_LOG2-8){1'b0}}, {5'd0, tx_b_reg} + rd_j_reg};
assign ip_id_take = pick;

wire [3:0]  pick_opt = meta_opt[pick_q];

always @(posedge clk) begin
    if (pick) begin
        tx_run_reg <= 1'b1;
        tx_start_reg <= meta_start[pick_q];
        tx_beats_reg <= meta_beats[pick_q];
        tx_mac_reg <= meta_mac[pick_q];
        tx_ip_reg <= meta_ip[pick_q];
        tx_tos_reg <= meta_tos[pick_q];
        tx_len_reg <= meta_len[pick_q];
        tx_icsum_reg <= meta_csum[pick_q];
        tx_b_reg <= pick_opt[3:1];
        tx_sh_reg <= pick_opt[0];
        tx_id_reg <= cfg_ip_id;
        tx_ttl_reg <= cfg_ttl;
        tx_end_reg <= meta_end[pick_q];
        tx_last_k_reg <= meta_last_k[pick_q];
        tx_last_keep_reg <= meta_last_keep[pick_q];
        tx_reads_reg <= meta_reads[pick_q];
        rd_j_reg <= 8'd0;
        q_valid_reg <= 1'b0;
    end else if (finishing) begin
        tx_run_reg <= 1'b0;
        q_valid_reg <= 1'b0;
    end else if (tx_run_reg && adv) begin
        if (q_valid_reg)
            prev_reg <= ram_q[63:32];
        q_valid_reg <= rd_en;
        if (rd_en) begin
            q_j_reg <= rd_j_reg;
            rd_j_reg <= rd_j_reg + 8'd1;
        end
    end

    // the IP header checksum, two cycles after pick (the header's
    // checksum is in beat 3, at least three cycles after pick)
    ip_sum_reg <= {3'd0, 8'h45, tx_tos_reg} + {8'd0, 11'd20 + tx_len_reg} +
                  {3'd0, tx_id_reg} + {3'd0, tx_ttl_reg, 8'h01} +
                  {3'd0, cfg_ip[31:16]} + {3'd0, cfg_ip[15:0]} +
                  {3'd0, tx_ip_reg[31:16]} + {3'd0, tx_ip_reg[15:0]};
    ip_csum_reg <= ~fold32({13'd0, ip_sum_reg});

    // a request leaves the ring when its reply is sent, enters it when
    // committed
    if (finishing) begin
        q_rd_reg <= q_rd_reg + 1'b1;
        free_ptr_reg <= free_ptr_reg + {{(BUF_LOG2-7){1'b0}}, tx_beats_reg};
    end
    if (push) begin
        q_wr_reg <= q_wr_reg + 1'b1;
        fs_ptr_reg <= fs_ptr_reg + {{(BUF_LOG2-7){1'b0}}, c_beats_reg};
    end
    q_count_reg <= q_count_reg + {{QUEUE_LOG2{1'b0}}, push} - {{QUEUE_LOG2{1'b0}}, finishing};

    if (rst) begin
        tx_run_reg <= 1'b0;
        q_valid_reg <= 1'b0;
        rd_j_reg <= 8'd0;
        q_wr_reg <= {QUEUE_LOG2{1'b0}};
        q_rd_reg <= {QUEUE_LOG2{1'b0}};
        q_count_reg <= {(QUEUE_LOG2+1){1'b0}};
        fs_ptr_reg <= {(BUF_LOG2+1){1'b0}};
        free_ptr_reg <= {(BUF_LOG2+1){1'b0}};
    end
end

// the reply's first 38 bytes, byte 0 in the top bits, two bytes of fill
wire [319:0] hdr = {tx_mac_reg, cfg_mac, 16'h0800, 8'h45, tx_tos_reg,
                    5'd0, 11'd20 + tx_len_reg, tx_id_reg, 16'h0000, tx_ttl_reg, 8'h01,
                    ip_csum_reg, cfg_ip, tx_ip_reg, 16'h0000, tx_icsum_reg, 16'h0000};

reg [63:0] o_data;

always @* begin : assemble
    integer i;
    reg [63:0] req_be, hdr_be;
    reg [10:0] off;
    reg [2:0] lane;

    // request bytes for this output beat, big-endian
    req_be = tx_sh_reg ? bswap64({ram_q[31:0], prev_reg}) : bswap64(ram_q);
    hdr_be = o_k < 8'd5 ? hdr[319 - 64*o_k[2:0] -: 64] : 64'd0;
    o_data = 64'd0;
    for (i = 0; i < 8; i = i + 1) begin
        lane = i[2:0];
        off = {o_k, lane};
        if (off < 11'd38)
            o_data[8*i +: 8] = hdr_be[63 - 8*i -: 8];
        else if (off < tx_end_reg)
            o_data[8*i +: 8] = req_be[63 - 8*i -: 8];
    end
end

wire [7:0] o_keep = o_last ? tx_last_keep_reg : 8'hff;

// ---- counters ----
reg [CNT_W-1:0] replies_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] busy_reg = {CNT_W{1'b0}};
reg [7*CNT_W-1:0] drop_reg = {(7*CNT_W){1'b0}};

integer c;

always @(posedge clk) begin
    if (finishing)
        replies_reg <= replies_reg + 1'b1;
    if (busy)
        busy_reg <= busy_reg + 1'b1;
    for (c = 0; c < 7; c = c + 1) begin
        if (c_drop_reg[c])
            drop_reg[c*CNT_W +: CNT_W] <= drop_reg[c*CNT_W +: CNT_W] + 1'b1;
    end
    if (rst) begin
        replies_reg <= {CNT_W{1'b0}};
        busy_reg <= {CNT_W{1'b0}};
        drop_reg <= {(7*CNT_W){1'b0}};
    end
end

assign stat_replies = replies_reg;
assign stat_busy = busy_reg;
assign stat_drop = drop_reg;

// ---- output register slice ----
toe_skid #(
    .DATA_W(64),
    .USER_W(1)
) out_skid (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(o_data),
    .s_axis_tkeep(o_keep),
    .s_axis_tvalid(o_valid),
    .s_axis_tready(o_ready),
    .s_axis_tlast(o_last),
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
