// SPDX-License-Identifier: MIT
//
// bridge_fv.v - formal properties of the host bridge (rtl/toe_host_bridge.v),
// checked by tests/scripts/formal.sh (make formal) with Yosys' SMT back end
// and yosys-smtbmc, bounded from reset.
//
// The harness is the host and the CSR target. Its host side sends a byte
// every cycle the bridge takes one: between frames, garbage bytes (any but
// SYNC0), then frames whose TYPE, SEQ, LEN (up to MAX_LEN) and payload are
// free, each with the right CRC-32C (the bridge's own, see bridge_crc below)
// or with one CRC byte corrupted (a free choice). So the solver may send
// any frame any number of times: a host retransmitting a request sends
// the same bytes, the same SEQ and CRC. docs/host-bridge.md's rule: a good
// frame whose SEQ and CRC equal the last executed request's is a
// retransmission and must not execute again; any other good frame is a new
// request. The harness counts, from the bus alone, the accesses since the
// last good frame that was new by that rule, and checks them against that
// frame:
//   B1  at most as many CSR writes as the WRITE's words (0 for any other
//       type): a write is applied at most once however often it is sent
//   B2  each write goes to ADDR + 4 i with data word i of that request
//   B3  at most COUNT reads for a READ (0 for any other type): an EV_POP
//       pops at most once; each read is at ADDR + 4 i
//   B4  no access at all before the first good frame (garbage and frames
//       with a bad CRC execute nothing)
//   B5  the bus protocol: an offered access stays offered, unchanged,
//       until the target takes it; none is offered while one is in flight
// The CSR target takes an access whenever it likes (csr_ready free) and
// completes it (csr_rvalid, with a free csr_err and read data) any number
// of cycles later; the host side takes response bytes whenever it likes.
`timescale 1ns / 1ps
`default_nettype none

module bridge_fv #(
    parameter MAX_BURST = 1,
    parameter ADDR_W = 4
) (
    input wire clk
);

localparam integer MAX_LEN = 2 + 4 * MAX_BURST;

// ---- free inputs of the environment ----
(* anyseq *) wire [7:0] any_byte;     // payload / header / garbage values
(* anyseq *) wire start_any;          // start a frame now (between frames)
(* anyseq *) wire corrupt_any;        // this frame's CRC is wrong
(* anyseq *) wire [7:0] corrupt_mask; // how (non-zero), and in which byte
(* anyseq *) wire [1:0] corrupt_at;
(* anyseq *) wire csr_ready_any, csr_done_any, csr_err_any;
(* anyseq *) wire [31:0] csr_rdata_any;
(* anyseq *) wire m_ready_any, ev_pending_any;

reg init = 1'b1;
always @(posedge clk) init <= 1'b0;

// ---- the host: frames and garbage ----
localparam [3:0] G_GAP = 4'd0, G_S1 = 4'd1, G_TYPE = 4'd2, G_SEQ = 4'd3,
                 G_LEN = 4'd4, G_PAY = 4'd5, G_CRC = 4'd6;

reg [3:0] g_state = G_GAP;
reg [7:0] g_type = 8'd0, g_seq = 8'd0, g_len = 8'd0, g_cnt = 8'd0;
reg [1:0] g_cidx = 2'd0;
reg g_bad = 1'b0;               // the frame's CRC is being corrupted
reg [1:0] g_bad_at = 2'd0;
reg [7:0] g_bad_mask = 8'd0;
reg [15:0] g_addr = 16'd0;
reg [7:0] g_count = 8'd0;
reg [31:0] g_word [0:MAX_BURST-1];
reg [31:0] g_acc = 32'd0;

// The CRC the bridge computed over the frame so far: tests/scripts/formal.sh
// connects this undriven wire to the flattened dut.rx_crc_reg (Yosys
// `connect -set`), so the frame's CRC bytes are right by construction and
// the solver need not prove two CRC-32C networks equal (what made z3 and
// MiniSAT give up). That the bridge's CRC is CRC-32C is checked in
// simulation, against the host's codec (tests/rtl/test_rtl_host_bridge.c).
wire [31:0] bridge_crc;
wire [31:0] g_crc_fin = ~bridge_crc;
wire [7:0] g_crc_byte = g_cidx == 2'd0 ? g_crc_fin[31:24] :
                        g_cidx == 2'd1 ? g_crc_fin[23:16] :
                        g_cidx == 2'd2 ? g_crc_fin[15:8] : g_crc_fin[7:0];

reg [7:0] s_byte;
always @* begin
    case (g_state)
        G_GAP:  s_byte = start_any ? 8'hA5 : (any_byte == 8'hA5 ? 8'h00 : any_byte);
        G_S1:   s_byte = 8'h5A;
        G_LEN:  s_byte = any_byte > MAX_LEN[7:0] ? MAX_LEN[7:0] : any_byte;
        G_CRC:  s_byte = g_crc_byte ^ ((g_bad && g_cidx == g_bad_at) ? g_bad_mask : 8'd0);
        default: s_byte = any_byte;
    endcase
end

wire s_ready;
// a byte is always offered; one taken in reset is lost to the bridge, so
// the host starts after it
wire s_valid = !init;
wire s_fire = s_ready && s_valid;
wire frame_end = s_fire && g_state == G_CRC && g_cidx == 2'd3;
wire frame_good = frame_end && !g_bad;

always @(posedge clk) begin
    if (s_fire) begin
        case (g_state)
            G_GAP: if (start_any) g_state <= G_S1;
            G_S1: g_state <= G_TYPE;
            G_TYPE: begin
                g_type <= s_byte;
                g_state <= G_SEQ;
            end
            G_SEQ: begin
                g_seq <= s_byte;
                g_state <= G_LEN;
            end
            G_LEN: begin
                g_len <= s_byte;
                g_cnt <= 8'd0;
                g_cidx <= 2'd0;
                g_bad <= corrupt_any && corrupt_mask != 8'd0;
                g_bad_at <= corrupt_at;
                g_bad_mask <= corrupt_mask;
                g_state <= s_byte == 8'd0 ? G_CRC : G_PAY;
            end
            G_PAY: begin
                g_cnt <= g_cnt + 8'd1;
                if (g_cnt == 8'd0) g_addr[15:8] <= s_byte;
                if (g_cnt == 8'd1) g_addr[7:0] <= s_byte;
                if (g_cnt == 8'd2) g_count <= s_byte;
                if (g_cnt >= 8'd2) begin
                    g_acc <= {g_acc[23:0], s_byte};
                    if (g_cnt[1:0] == 2'd1)  // bytes 2..5 of word 0, 6..9 of 1, ...
                        g_word[(g_cnt - 8'd5) >> 2] <= {g_acc[23:0], s_byte};
                end
                if (g_cnt + 8'd1 == g_len) g_state <= G_CRC;
            end
            G_CRC: begin
                g_cidx <= g_cidx + 2'd1;
                if (g_cidx == 2'd3) g_state <= G_GAP;
            end
            default: g_state <= G_GAP;
        endcase
    end
end

// ---- the CSR target ----
reg inflight = 1'b0;
wire csr_valid, csr_we;
wire [ADDR_W-1:0] csr_addr;
wire [31:0] csr_wdata;
wire csr_ready = csr_ready_any && !inflight;
wire csr_take = csr_valid && csr_ready;
wire csr_rvalid = inflight && csr_done_any;
always @(posedge clk) begin
    if (csr_take) inflight <= 1'b1;
    else if (csr_rvalid) inflight <= 1'b0;
end

/* verilator lint_off UNUSEDSIGNAL */
wire [7:0] m_data;
wire m_valid, m_last;
wire [4:0] stats;
/* verilator lint_on UNUSEDSIGNAL */

toe_host_bridge #(
    .ADDR_W(ADDR_W), .MAX_BURST(MAX_BURST), .TIMEOUT(2), .EV_COUNT_W(1)
) dut (
    .clk(clk), .rst(init),
    .s_axis_tdata(s_byte), .s_axis_tvalid(s_valid), .s_axis_tready(s_ready),
    .m_axis_tdata(m_data), .m_axis_tvalid(m_valid), .m_axis_tready(m_ready_any),
    .m_axis_tlast(m_last),
    .csr_valid(csr_valid), .csr_ready(csr_ready), .csr_we(csr_we),
    .csr_addr(csr_addr), .csr_wdata(csr_wdata),
    .csr_rvalid(csr_rvalid), .csr_rdata(csr_rdata_any), .csr_err(csr_err_any),
    .ev_pending(ev_pending_any), .ev_count(1'b0),
    .stat_frame(stats[0]), .stat_crc_err(stats[1]), .stat_oversize(stats[2]),
    .stat_timeout(stats[3]), .stat_replay(stats[4])
);

// ---- the last new request, by the protocol's rule ----
reg have = 1'b0;                // a good frame was seen
reg [7:0] r_seq = 8'd0;
reg [31:0] r_crc = 32'd0;
reg [7:0] r_type = 8'd0, r_len = 8'd0, r_count = 8'd0;
reg [15:0] r_addr = 16'd0;
reg [31:0] r_word [0:MAX_BURST-1];
reg [7:0] n_wr = 8'd0, n_rd = 8'd0; // accesses since it

wire is_new = frame_good && !(have && g_seq == r_seq && g_crc_fin == r_crc);
integer i;
always @(posedge clk) begin
    if (is_new) begin
        have <= 1'b1;
        r_seq <= g_seq;
        r_crc <= g_crc_fin;
        r_type <= g_type;
        r_len <= g_len;
        r_count <= g_count;
        r_addr <= g_addr;
        for (i = 0; i < MAX_BURST; i = i + 1)
            r_word[i] <= g_word[i];
        n_wr <= 8'd0;
        n_rd <= 8'd0;
    end else if (csr_take) begin
        if (csr_we) n_wr <= n_wr + 8'd1;
        else n_rd <= n_rd + 8'd1;
    end
end

// words a request may write / read
wire [7:0] max_wr = (r_type == 8'h03 && r_len >= 8'd6 && r_len[1:0] == 2'd2) ?
                    {2'b00, r_len[7:2]} : 8'd0;
wire [7:0] max_rd = (r_type == 8'h02 && r_len == 8'd3) ? r_count : 8'd0;
wire [15:0] want_addr = r_addr + {6'd0, (csr_we ? n_wr : n_rd), 2'b00};

// B5 bookkeeping
reg p_valid = 1'b0, p_we = 1'b0;
reg [ADDR_W-1:0] p_addr = {ADDR_W{1'b0}};
reg [31:0] p_wdata = 32'd0;
always @(posedge clk) begin
    p_valid <= csr_valid && !csr_ready;
    p_we <= csr_we;
    p_addr <= csr_addr;
    p_wdata <= csr_wdata;
end

always @* begin
    if (!init) begin
        // B1, B3
        assert(n_wr <= max_wr);
        assert(n_rd <= max_rd);
        // B4
        if (!have) assert(!csr_valid);
        if (csr_take) begin
            // B2, B3: the request's addresses and data, in order
            assert(csr_addr == want_addr[ADDR_W-1:0]);
            assert(want_addr[15:ADDR_W] == 0);
            if (csr_we) begin
                assert(n_wr < max_wr);
                assert(csr_wdata == r_word[n_wr[$clog2(MAX_BURST+1)-1:0]]);
            end else begin
                assert(n_rd < max_rd);
            end
        end
        // B5
        if (p_valid) begin
            assert(csr_valid);
            assert(csr_we == p_we && csr_addr == p_addr);
            if (p_we) assert(csr_wdata == p_wdata);
        end
        if (inflight) assert(!csr_valid);
    end
end

endmodule
