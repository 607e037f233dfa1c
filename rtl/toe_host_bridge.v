// SPDX-License-Identifier: MIT
//
// toe_host_bridge.v - the host bridge: the framed byte-stream protocol of
// docs/host-bridge.md on one side, master of the engine's CSR bus on the
// other, plus event notifications. The same RTL serves simulation (bytes
// from a socket or in-process) and boards (bytes from an FT2232H FIFO or a
// UART); host/lib/toe_proto.c is the host side.
//
// Frame, both directions (multi-byte fields big-endian):
//
//   offset  size  field
//   0       1     SYNC0  0xA5
//   1       1     SYNC1  0x5A
//   2       1     TYPE
//   3       1     SEQ
//   4       1     LEN    payload bytes, at most MAX_LEN = 2 + 4 * MAX_BURST
//   5       LEN   payload
//   5+LEN   4     CRC-32C (Castagnoli, reflected, init/xorout 0xFFFFFFFF)
//                 of bytes 2 .. 4+LEN
//
//   TYPE  name       dir  payload
//   0x01  PING       h>e  -
//   0x02  READ       h>e  ADDR(2) COUNT(1)          COUNT 1..MAX_BURST
//   0x03  WRITE      h>e  ADDR(2) DATA(4*n)         n 1..MAX_BURST
//   0x81  PING_ACK   e>h  VERSION(1)=1 MAX_BURST(1)
//   0x82  READ_DATA  e>h  DATA(4*COUNT)
//   0x83  WRITE_ACK  e>h  n(1)
//   0x80  ERROR      e>h  CODE(1) INDEX(1)   1 TYPE, 2 LEN, 3 ALIGN, 4 ADDR
//   0xC0  EVENT      e>h  EV_COUNT(2)        SEQ counts notifications
//
// Receive: hunt for SYNC0 SYNC1; a LEN above MAX_LEN drops the frame at
// once; a bad CRC drops it after its last byte; TIMEOUT cycles without a
// byte inside a frame drop it. A dropped frame gets no answer, and the hunt
// goes on from the next byte. The payload is buffered: nothing executes
// before the CRC matched.
//
// Exactly once: the bridge keeps the last request it executed (SEQ and its
// CRC) and the response it sent. A good request with that SEQ and that CRC
// is a retransmission: the cached response is sent again and nothing is
// executed. Any other good request is executed (its words in order,
// stopping at the first bus error: ERROR ADDR with the word's INDEX, the
// words before it done) and its response (READ_DATA, WRITE_ACK, PING_ACK or
// ERROR) replaces the cache. So a write is applied once and a read (an
// EV_POP among them) pops once, however often the host retransmits.
//
// Events: while ev_pending is high and the bridge is armed, it sends one
// EVENT frame (between frames, never inside one) with ev_count, and
// disarms; it re-arms when it sees ev_pending low. ev_pending must be low
// in any cycle in which a pop would find the FIFO empty, so a host that
// pops until VALID = 0 always gets the next notification. A lost
// notification costs latency only: the host also polls.
//
// CSR bus (this module is the master, one access at a time):
//
//   csr_valid   out  an access is offered; held, with csr_we/addr/wdata
//                    stable, until csr_ready
//   csr_ready   in   the target takes the access in this cycle
//   csr_we      out  1 write, 0 read
//   csr_addr    out  byte address (ADDR_W bits, a multiple of 4)
//   csr_wdata   out  write data
//   csr_rvalid  in   one-cycle pulse, exactly one per access taken, in a
//                    later cycle than the one that took it: the access is
//                    done
//   csr_rdata   in   read data, with csr_rvalid (reads)
//   csr_err     in   with csr_rvalid: no register there (or a write to a
//                    read-only one); the access had no effect
//
//   clk        _/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_
//   csr_valid  __/‾‾‾‾‾‾‾‾‾‾‾\_______/‾‾‾‾
//   csr_ready  ________/‾‾‾‾‾\____________     taken in cycle 3
//   csr_rvalid ______________/‾‾‾\________     done in cycle 4 (or later)
//
// Streams: 8-bit AXI4-Stream bytes. s_axis has no tlast (a byte pipe; the
// framing is in the bytes); m_axis_tlast marks the last byte of each frame
// (a USB FIFO adapter can flush on it). m_axis_* are registered.
// s_axis_tready is low while a request executes and its response waits to
// be sent.
//
// Latency (no CSR wait states, output ready): the first response byte is
// valid 4 + 2 * n cycles after the cycle in which the request's last byte
// is taken, n the words executed (4 for PING, a replay, or an error found
// before the bus). Throughput: one byte per cycle each way.

`timescale 1ns / 1ps
`default_nettype none

// Host bridge: framed byte stream <-> CSR bus master, with response cache
// (exactly-once) and event notifications.
module toe_host_bridge #(
    // CSR byte address width (the register map's addr_w), 3..16
    parameter ADDR_W = 10,
    // most words in one READ or WRITE request, 1..63
    parameter MAX_BURST = 32,
    // byte timeout: cycles without an input byte that abandon a partial
    // frame, at least 2 (default 1.6 ms at 156.25 MHz: longer than a USB
    // gap inside a frame, much shorter than the host's retry timeout)
    parameter TIMEOUT = 250000,
    // width of ev_count, 1..16
    parameter EV_COUNT_W = 16
) (
    input  wire                  clk,
    input  wire                  rst,

    // bytes from the host
    input  wire [7:0]            s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,

    // bytes to the host
    output wire [7:0]            m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,

    // CSR bus master
    output wire                  csr_valid,
    input  wire                  csr_ready,
    output wire                  csr_we,
    output wire [ADDR_W-1:0]     csr_addr,
    output wire [31:0]           csr_wdata,
    input  wire                  csr_rvalid,
    input  wire [31:0]           csr_rdata,
    input  wire                  csr_err,

    // event FIFO state
    input  wire                  ev_pending,
    input  wire [EV_COUNT_W-1:0] ev_count,

    // one-cycle pulses, for counters
    output wire                  stat_frame,    // good request received
    output wire                  stat_crc_err,  // request dropped: CRC
    output wire                  stat_oversize, // request dropped: LEN > MAX_LEN
    output wire                  stat_timeout,  // request dropped: byte timeout
    output wire                  stat_replay    // answered from the cache
);

localparam [7:0] SYNC0 = 8'hA5;
localparam [7:0] SYNC1 = 8'h5A;
localparam [7:0] VERSION = 8'd1;

localparam [7:0] T_PING      = 8'h01;
localparam [7:0] T_READ      = 8'h02;
localparam [7:0] T_WRITE     = 8'h03;
localparam [7:0] T_ERROR     = 8'h80;
localparam [7:0] T_PING_ACK  = 8'h81;
localparam [7:0] T_READ_DATA = 8'h82;
localparam [7:0] T_WRITE_ACK = 8'h83;
localparam [7:0] T_EVENT     = 8'hC0;

localparam [7:0] E_TYPE  = 8'd1;
localparam [7:0] E_LEN   = 8'd2;
localparam [7:0] E_ALIGN = 8'd3;
localparam [7:0] E_ADDR  = 8'd4;

// largest payload accepted: a WRITE of MAX_BURST words
localparam integer MAX_LEN = 2 + 4 * MAX_BURST;
// word buffer index width, and the buffers' depth (a power of two)
localparam integer BUF_AW = MAX_BURST > 1 ? $clog2(MAX_BURST) : 1;
localparam integer BUF_N = 1 << BUF_AW;
// byte timer width
localparam integer TIMER_W = $clog2(TIMEOUT + 1);

initial begin
    if (ADDR_W < 3 || ADDR_W > 16) begin
        $error("%m: ADDR_W (%0d) must be 3..16", ADDR_W);
        $finish;
    end
    if (MAX_BURST < 1 || MAX_BURST > 63) begin
        $error("%m: MAX_BURST (%0d) must be 1..63", MAX_BURST);
        $finish;
    end
    if (TIMEOUT < 2) begin
        $error("%m: TIMEOUT (%0d) must be at least 2", TIMEOUT);
        $finish;
    end
    if (EV_COUNT_W < 1 || EV_COUNT_W > 16) begin
        $error("%m: EV_COUNT_W (%0d) must be 1..16", EV_COUNT_W);
        $finish;
    end
end

// CRC-32C of one more byte (reflected: LSB first), on the un-inverted state
function [31:0] crc32c_byte(input [31:0] crc, input [7:0] d);
    integer i;
    reg [31:0] c;
    begin
        c = crc ^ {24'd0, d};
        for (i = 0; i < 8; i = i + 1) begin
            c = (c >> 1) ^ (32'h82F63B78 & {32{c[0]}});
        end
        crc32c_byte = c;
    end
endfunction

// byte i of a word, big-endian (i = 0: bits 31:24)
function [7:0] be_byte(input [31:0] w, input [1:0] i);
    begin
        case (i)
            2'd0: be_byte = w[31:24];
            2'd1: be_byte = w[23:16];
            2'd2: be_byte = w[15:8];
            default: be_byte = w[7:0];
        endcase
    end
endfunction

// ---- receive / execute state machine ----
localparam [3:0]
    S_HUNT0    = 4'd0,  // hunting: waiting for SYNC0
    S_HUNT1    = 4'd1,  // SYNC0 seen: SYNC1 starts a frame
    S_TYPE     = 4'd2,  // header byte TYPE
    S_SEQ      = 4'd3,  // header byte SEQ
    S_LEN      = 4'd4,  // header byte LEN (checked against MAX_LEN)
    S_PAYLOAD  = 4'd5,  // LEN payload bytes into addr/count/word buffer
    S_CRC      = 4'd6,  // 4 CRC bytes, compared with the computed CRC
    S_CHECK    = 4'd7,  // good frame: replay, reject, or start the bus
    S_BUS_REQ  = 4'd8,  // offer word idx on the CSR bus
    S_BUS_WAIT = 4'd9;  // wait for its csr_rvalid

reg [3:0] state_reg = S_HUNT0, state_next;

reg [TIMER_W-1:0] timer_reg = {TIMER_W{1'b0}}, timer_next;

// the request being received (data path)
reg [7:0]  rx_type_reg = 8'd0, rx_type_next;
reg [7:0]  rx_seq_reg = 8'd0, rx_seq_next;
reg [7:0]  rx_len_reg = 8'd0, rx_len_next;
reg [7:0]  rx_cnt_reg = 8'd0, rx_cnt_next;    // payload bytes so far
reg [7:0]  rx_left_reg = 8'd0, rx_left_next;  // payload bytes to come
reg [15:0] rx_addr_reg = 16'd0, rx_addr_next;
reg [7:0]  rx_count_reg = 8'd0, rx_count_next; // READ COUNT
reg [23:0] rx_acc_reg = 24'd0, rx_acc_next;   // word being assembled
reg [1:0]  rx_bpos_reg = 2'd0, rx_bpos_next;   // its byte position
reg [BUF_AW-1:0] rx_widx_reg = {BUF_AW{1'b0}}, rx_widx_next;
reg [31:0] rx_crc_reg = 32'd0, rx_crc_next;   // running CRC (un-inverted)
reg [1:0]  rx_cidx_reg = 2'd0, rx_cidx_next;   // CRC byte position
reg        rx_cok_reg = 1'b0, rx_cok_next;     // CRC bytes matched so far
reg        rx_buf_we;

// execution (data path)
reg        ex_we_reg = 1'b0, ex_we_next;
reg [16:0] ex_addr_reg = 17'd0, ex_addr_next;  // one bit more: overflow
reg [BUF_AW-1:0] ex_idx_reg = {BUF_AW{1'b0}}, ex_idx_next;
reg [6:0]  ex_n_reg = 7'd0, ex_n_next;         // words in the request
reg        resp_buf_we;

// response cache
reg        c_valid_reg = 1'b0, c_valid_next;
reg [7:0]  c_seq_reg = 8'd0, c_seq_next;
reg [31:0] c_crc_reg = 32'd0, c_crc_next;
reg [7:0]  c_type_reg = 8'd0, c_type_next;
reg [7:0]  c_len_reg = 8'd0, c_len_next;
reg [7:0]  c_p0_reg = 8'd0, c_p0_next;
reg [7:0]  c_p1_reg = 8'd0, c_p1_next;
reg        resp_pending_reg = 1'b0, resp_pending_next;

// word buffers: request data in, read data out (the cached READ_DATA);
// one write and one registered read port each, so they map to RAM
reg [31:0] rx_buf [0:BUF_N-1];
reg [31:0] resp_buf [0:BUF_N-1];
reg [31:0] rx_rd_reg = 32'd0;   // rx_buf[ex_idx_reg] (read a cycle ahead)
reg [31:0] tx_word_reg = 32'd0; // resp_buf word of payload byte tx_pidx_reg

// statistics pulses (registered)
reg stat_frame_reg = 1'b0, stat_frame_next;
reg stat_crc_err_reg = 1'b0, stat_crc_err_next;
reg stat_oversize_reg = 1'b0, stat_oversize_next;
reg stat_timeout_reg = 1'b0, stat_timeout_next;
reg stat_replay_reg = 1'b0, stat_replay_next;

// ---- transmit state machine ----
localparam [1:0]
    TX_IDLE = 2'd0,  // between frames: start a response or an event
    TX_HDR  = 2'd1,  // header bytes SYNC0 SYNC1 TYPE SEQ LEN
    TX_PAY  = 2'd2,  // payload bytes
    TX_CRC  = 2'd3;  // CRC bytes

reg [1:0]  tx_state_reg = TX_IDLE, tx_state_next;
reg [2:0]  tx_hidx_reg = 3'd0, tx_hidx_next;   // header byte
reg [7:0]  tx_pidx_reg = 8'd0, tx_pidx_next;   // payload byte
reg [7:0]  tx_pleft_reg = 8'd0, tx_pleft_next; // payload bytes left
reg [1:0]  tx_cidx_reg = 2'd0, tx_cidx_next;   // CRC byte
reg        tx_event_reg = 1'b0, tx_event_next; // sending an EVENT
reg        tx_data_reg = 1'b0, tx_data_next;   // payload from resp_buf
reg [7:0]  tx_type_reg = 8'd0, tx_type_next;
reg [7:0]  tx_seq_reg = 8'd0, tx_seq_next;
reg [7:0]  tx_len_reg = 8'd0, tx_len_next;
reg [7:0]  tx_p0_reg = 8'd0, tx_p0_next;
reg [7:0]  tx_p1_reg = 8'd0, tx_p1_next;
reg [31:0] tx_crc_reg = 32'd0, tx_crc_next;
reg        ev_armed_reg = 1'b1, ev_armed_next;
reg [7:0]  ev_nseq_reg = 8'd0, ev_nseq_next;

// output register
reg [7:0] out_data_reg = 8'd0, out_data_next;
reg       out_valid_reg = 1'b0, out_valid_next;
reg       out_last_reg = 1'b0, out_last_next;

wire s_fire = s_axis_tvalid && s_axis_tready;
wire [7:0] s_byte = s_axis_tdata;
wire [31:0] rx_crc_fin = ~rx_crc_reg;
// the computed CRC's byte that CRC byte rx_cidx must equal (big-endian)
wire [7:0] rx_crc_want = be_byte(rx_crc_fin, rx_cidx_reg);

// a response is waiting for, or going out on, the transmitter: the cache
// must not change
wire tx_resp_busy = resp_pending_reg || (tx_state_reg != TX_IDLE && !tx_event_reg);
// the transmitter takes the pending response
wire tx_take_resp = tx_state_reg == TX_IDLE && resp_pending_reg;
// the word's address is beyond the bus
wire ex_addr_bad = ex_addr_reg[16:ADDR_W] != 0;
// the last word of the request
wire ex_last = {{(7 - BUF_AW){1'b0}}, ex_idx_reg} + 7'd1 == ex_n_reg;

wire [15:0] ev_count16;
generate
    if (EV_COUNT_W < 16) begin : g_ev_ext
        assign ev_count16 = {{(16 - EV_COUNT_W){1'b0}}, ev_count};
    end else begin : g_ev_full
        assign ev_count16 = ev_count;
    end
endgenerate

assign s_axis_tready = state_reg <= S_CRC;
assign csr_valid = state_reg == S_BUS_REQ && !ex_addr_bad;
assign csr_we = ex_we_reg;
assign csr_addr = ex_addr_reg[ADDR_W-1:0];
assign csr_wdata = rx_rd_reg;

assign m_axis_tdata = out_data_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;

assign stat_frame = stat_frame_reg;
assign stat_crc_err = stat_crc_err_reg;
assign stat_oversize = stat_oversize_reg;
assign stat_timeout = stat_timeout_reg;
assign stat_replay = stat_replay_reg;

// commit: the response to a new request, into the cache
reg       commit;
reg [7:0] commit_type, commit_len, commit_p0, commit_p1;

always @* begin
    state_next = state_reg;
    timer_next = timer_reg;

    rx_type_next = rx_type_reg;
    rx_seq_next = rx_seq_reg;
    rx_len_next = rx_len_reg;
    rx_cnt_next = rx_cnt_reg;
    rx_left_next = rx_left_reg;
    rx_addr_next = rx_addr_reg;
    rx_count_next = rx_count_reg;
    rx_acc_next = rx_acc_reg;
    rx_bpos_next = rx_bpos_reg;
    rx_widx_next = rx_widx_reg;
    rx_crc_next = rx_crc_reg;
    rx_cidx_next = rx_cidx_reg;
    rx_cok_next = rx_cok_reg;
    rx_buf_we = 1'b0;

    ex_we_next = ex_we_reg;
    ex_addr_next = ex_addr_reg;
    ex_idx_next = ex_idx_reg;
    ex_n_next = ex_n_reg;
    resp_buf_we = 1'b0;

    c_valid_next = c_valid_reg;
    c_seq_next = c_seq_reg;
    c_crc_next = c_crc_reg;
    c_type_next = c_type_reg;
    c_len_next = c_len_reg;
    c_p0_next = c_p0_reg;
    c_p1_next = c_p1_reg;
    resp_pending_next = resp_pending_reg && !tx_take_resp;

    stat_frame_next = 1'b0;
    stat_crc_err_next = 1'b0;
    stat_oversize_next = 1'b0;
    stat_timeout_next = 1'b0;
    stat_replay_next = 1'b0;

    commit = 1'b0;
    commit_type = T_ERROR;
    commit_len = 8'd2;
    commit_p0 = 8'd0;
    commit_p1 = 8'd0;

    // byte timer: runs inside a frame, restarts with every byte
    if (state_reg >= S_HUNT1 && state_reg <= S_CRC) begin
        if (s_fire) begin
            timer_next = {TIMER_W{1'b0}};
        end else begin
            timer_next = timer_reg + 1'b1;
        end
    end else begin
        timer_next = {TIMER_W{1'b0}};
    end

    case (state_reg)
        S_HUNT0: begin
            if (s_fire && s_byte == SYNC0) begin
                state_next = S_HUNT1;
            end
        end
        S_HUNT1: begin
            if (s_fire) begin
                if (s_byte == SYNC1) begin
                    state_next = S_TYPE;
                    rx_crc_next = 32'hFFFFFFFF;
                end else if (s_byte != SYNC0) begin
                    state_next = S_HUNT0;
                end
            end
        end
        S_TYPE: begin
            if (s_fire) begin
                rx_type_next = s_byte;
                rx_crc_next = crc32c_byte(rx_crc_reg, s_byte);
                state_next = S_SEQ;
            end
        end
        S_SEQ: begin
            if (s_fire) begin
                rx_seq_next = s_byte;
                rx_crc_next = crc32c_byte(rx_crc_reg, s_byte);
                state_next = S_LEN;
            end
        end
        S_LEN: begin
            if (s_fire) begin
                rx_len_next = s_byte;
                rx_crc_next = crc32c_byte(rx_crc_reg, s_byte);
                rx_cnt_next = 8'd0;
                rx_left_next = s_byte;
                rx_bpos_next = 2'd0;
                rx_widx_next = {BUF_AW{1'b0}};
                rx_cidx_next = 2'd0;
                rx_cok_next = 1'b1;
                if ({1'b0, s_byte} > MAX_LEN[8:0]) begin
                    // cannot be a frame: hunt again at once
                    stat_oversize_next = 1'b1;
                    state_next = S_HUNT0;
                end else if (s_byte == 8'd0) begin
                    state_next = S_CRC;
                end else begin
                    state_next = S_PAYLOAD;
                end
            end
        end
        S_PAYLOAD: begin
            if (s_fire) begin
                rx_crc_next = crc32c_byte(rx_crc_reg, s_byte);
                rx_cnt_next = rx_cnt_reg + 8'd1;
                rx_left_next = rx_left_reg - 8'd1;
                if (rx_cnt_reg == 8'd0) begin
                    rx_addr_next[15:8] = s_byte;
                end else if (rx_cnt_reg == 8'd1) begin
                    rx_addr_next[7:0] = s_byte;
                end else begin
                    if (rx_cnt_reg == 8'd2) begin
                        rx_count_next = s_byte;
                    end
                    // payload bytes 2.. are data words, big-endian
                    rx_acc_next = {rx_acc_reg[15:0], s_byte};
                    rx_bpos_next = rx_bpos_reg + 2'd1;
                    if (rx_bpos_reg == 2'd3) begin
                        rx_buf_we = 1'b1;
                        rx_widx_next = rx_widx_reg + 1'b1;
                    end
                end
                if (rx_left_reg == 8'd1) begin
                    state_next = S_CRC;
                end
            end
        end
        S_CRC: begin
            if (s_fire) begin
                rx_cok_next = rx_cok_reg && s_byte == rx_crc_want;
                rx_cidx_next = rx_cidx_reg + 2'd1;
                if (rx_cidx_reg == 2'd3) begin
                    if (rx_cok_reg && s_byte == rx_crc_want) begin
                        stat_frame_next = 1'b1;
                        state_next = S_CHECK;
                    end else begin
                        stat_crc_err_next = 1'b1;
                        state_next = S_HUNT0;
                    end
                end
            end
        end
        S_CHECK: begin
            ex_addr_next = {1'b0, rx_addr_reg};
            ex_idx_next = {BUF_AW{1'b0}};
            if (!tx_resp_busy) begin
                if (c_valid_reg && rx_seq_reg == c_seq_reg && rx_crc_fin == c_crc_reg) begin
                    // a retransmission: answer from the cache only
                    stat_replay_next = 1'b1;
                    resp_pending_next = 1'b1;
                    state_next = S_HUNT0;
                end else begin
                    case (rx_type_reg)
                        T_PING: begin
                            commit = 1'b1;
                            if (rx_len_reg != 8'd0) begin
                                commit_p0 = E_LEN;
                            end else begin
                                commit_type = T_PING_ACK;
                                commit_p0 = VERSION;
                                commit_p1 = MAX_BURST[7:0];
                            end
                        end
                        T_READ: begin
                            if (rx_len_reg != 8'd3 || rx_count_reg == 8'd0 ||
                                rx_count_reg > MAX_BURST[7:0]) begin
                                commit = 1'b1;
                                commit_p0 = E_LEN;
                            end else if (rx_addr_reg[1:0] != 2'd0) begin
                                commit = 1'b1;
                                commit_p0 = E_ALIGN;
                            end else begin
                                ex_we_next = 1'b0;
                                ex_n_next = rx_count_reg[6:0];
                                state_next = S_BUS_REQ;
                            end
                        end
                        T_WRITE: begin
                            // LEN = 2 + 4n, n >= 1 (n <= MAX_BURST: LEN <= MAX_LEN)
                            if (rx_len_reg < 8'd6 || rx_len_reg[1:0] != 2'd2) begin
                                commit = 1'b1;
                                commit_p0 = E_LEN;
                            end else if (rx_addr_reg[1:0] != 2'd0) begin
                                commit = 1'b1;
                                commit_p0 = E_ALIGN;
                            end else begin
                                ex_we_next = 1'b1;
                                ex_n_next = {1'b0, rx_len_reg[7:2]};
                                state_next = S_BUS_REQ;
                            end
                        end
                        default: begin
                            commit = 1'b1;
                            commit_p0 = E_TYPE;
                        end
                    endcase
                end
            end
        end
        S_BUS_REQ: begin
            if (ex_addr_bad) begin
                // beyond the bus: no access
                commit = 1'b1;
                commit_p0 = E_ADDR;
                commit_p1 = {{(8 - BUF_AW){1'b0}}, ex_idx_reg};
            end else if (csr_ready) begin
                state_next = S_BUS_WAIT;
            end
        end
        S_BUS_WAIT: begin
            if (csr_rvalid) begin
                if (csr_err) begin
                    commit = 1'b1;
                    commit_p0 = E_ADDR;
                    commit_p1 = {{(8 - BUF_AW){1'b0}}, ex_idx_reg};
                end else begin
                    resp_buf_we = !ex_we_reg;
                    if (ex_last) begin
                        commit = 1'b1;
                        if (ex_we_reg) begin
                            commit_type = T_WRITE_ACK;
                            commit_len = 8'd1;
                            commit_p0 = {1'b0, ex_n_reg};
                        end else begin
                            commit_type = T_READ_DATA;
                            commit_len = {ex_n_reg[5:0], 2'b00};
                        end
                    end else begin
                        ex_idx_next = ex_idx_reg + 1'b1;
                        ex_addr_next = ex_addr_reg + 17'd4;
                        state_next = S_BUS_REQ;
                    end
                end
            end
        end
        default: begin
            state_next = S_HUNT0;
        end
    endcase

    if (commit) begin
        c_valid_next = 1'b1;
        c_seq_next = rx_seq_reg;
        c_crc_next = rx_crc_fin;
        c_type_next = commit_type;
        c_len_next = commit_len;
        c_p0_next = commit_p0;
        c_p1_next = commit_p1;
        resp_pending_next = 1'b1;
        state_next = S_HUNT0;
    end

    // a frame left unfinished for TIMEOUT cycles is dropped
    if (state_reg >= S_HUNT1 && state_reg <= S_CRC && !s_fire &&
        timer_reg == TIMEOUT[TIMER_W-1:0] - 1'b1) begin
        state_next = S_HUNT0;
        stat_timeout_next = state_reg != S_HUNT1;
    end
end

// ---- transmit ----
reg [7:0]  tx_byte;
reg        tx_byte_crc; // the byte is under the CRC
reg        tx_byte_last;
reg        tx_load;     // the byte goes into the output register
reg [31:0] tx_crc_fin;

always @* begin
    tx_state_next = tx_state_reg;
    tx_hidx_next = tx_hidx_reg;
    tx_pidx_next = tx_pidx_reg;
    tx_pleft_next = tx_pleft_reg;
    tx_cidx_next = tx_cidx_reg;
    tx_event_next = tx_event_reg;
    tx_data_next = tx_data_reg;
    tx_type_next = tx_type_reg;
    tx_seq_next = tx_seq_reg;
    tx_len_next = tx_len_reg;
    tx_p0_next = tx_p0_reg;
    tx_p1_next = tx_p1_reg;
    tx_crc_next = tx_crc_reg;
    ev_armed_next = ev_armed_reg;
    ev_nseq_next = ev_nseq_reg;

    out_data_next = out_data_reg;
    out_valid_next = out_valid_reg && !m_axis_tready;
    out_last_next = out_last_reg;

    tx_load = tx_state_reg != TX_IDLE && (!out_valid_reg || m_axis_tready);
    tx_crc_fin = ~tx_crc_reg;

    // the byte to send in this state
    tx_byte = be_byte(tx_crc_fin, tx_cidx_reg);
    tx_byte_crc = 1'b0;
    tx_byte_last = 1'b0;
    case (tx_state_reg)
        TX_HDR: begin
            case (tx_hidx_reg)
                3'd0: tx_byte = SYNC0;
                3'd1: tx_byte = SYNC1;
                3'd2: tx_byte = tx_type_reg;
                3'd3: tx_byte = tx_seq_reg;
                default: tx_byte = tx_len_reg;
            endcase
            tx_byte_crc = tx_hidx_reg >= 3'd2;
        end
        TX_PAY: begin
            if (tx_data_reg) begin
                tx_byte = be_byte(tx_word_reg, tx_pidx_reg[1:0]);
            end else if (tx_pidx_reg[0]) begin
                tx_byte = tx_p1_reg;
            end else begin
                tx_byte = tx_p0_reg;
            end
            tx_byte_crc = 1'b1;
        end
        TX_CRC: begin
            tx_byte_last = tx_cidx_reg == 2'd3;
        end
        default: begin
        end
    endcase

    // re-arm once the FIFO was seen empty
    if (!ev_pending) begin
        ev_armed_next = 1'b1;
    end

    if (tx_load) begin
        out_data_next = tx_byte;
        out_valid_next = 1'b1;
        out_last_next = tx_byte_last;
        if (tx_byte_crc) begin
            tx_crc_next = crc32c_byte(tx_crc_reg, tx_byte);
        end
    end

    case (tx_state_reg)
        TX_IDLE: begin
            tx_hidx_next = 3'd0;
            tx_pidx_next = 8'd0;
            tx_cidx_next = 2'd0;
            tx_crc_next = 32'hFFFFFFFF;
            if (resp_pending_reg) begin
                tx_event_next = 1'b0;
                tx_data_next = c_type_reg == T_READ_DATA;
                tx_type_next = c_type_reg;
                tx_seq_next = c_seq_reg;
                tx_len_next = c_len_reg;
                tx_p0_next = c_p0_reg;
                tx_p1_next = c_p1_reg;
                tx_state_next = TX_HDR;
            end else if (ev_pending && ev_armed_reg) begin
                tx_event_next = 1'b1;
                tx_data_next = 1'b0;
                tx_type_next = T_EVENT;
                tx_seq_next = ev_nseq_reg;
                tx_len_next = 8'd2;
                tx_p0_next = ev_count16[15:8];
                tx_p1_next = ev_count16[7:0];
                ev_armed_next = 1'b0;
                ev_nseq_next = ev_nseq_reg + 8'd1;
                tx_state_next = TX_HDR;
            end
        end
        TX_HDR: begin
            if (tx_load) begin
                tx_hidx_next = tx_hidx_reg + 3'd1;
                tx_pleft_next = tx_len_reg;
                if (tx_hidx_reg == 3'd4) begin
                    tx_state_next = tx_len_reg == 8'd0 ? TX_CRC : TX_PAY;
                end
            end
        end
        TX_PAY: begin
            if (tx_load) begin
                tx_pidx_next = tx_pidx_reg + 8'd1;
                tx_pleft_next = tx_pleft_reg - 8'd1;
                if (tx_pleft_reg == 8'd1) begin
                    tx_state_next = TX_CRC;
                end
            end
        end
        TX_CRC: begin
            if (tx_load) begin
                tx_cidx_next = tx_cidx_reg + 2'd1;
                if (tx_cidx_reg == 2'd3) begin
                    tx_state_next = TX_IDLE;
                end
            end
        end
        default: begin
            tx_state_next = TX_IDLE;
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    timer_reg <= timer_next;

    rx_type_reg <= rx_type_next;
    rx_seq_reg <= rx_seq_next;
    rx_len_reg <= rx_len_next;
    rx_cnt_reg <= rx_cnt_next;
    rx_left_reg <= rx_left_next;
    rx_addr_reg <= rx_addr_next;
    rx_count_reg <= rx_count_next;
    rx_acc_reg <= rx_acc_next;
    rx_bpos_reg <= rx_bpos_next;
    rx_widx_reg <= rx_widx_next;
    rx_crc_reg <= rx_crc_next;
    rx_cidx_reg <= rx_cidx_next;
    rx_cok_reg <= rx_cok_next;

    ex_we_reg <= ex_we_next;
    ex_addr_reg <= ex_addr_next;
    ex_idx_reg <= ex_idx_next;
    ex_n_reg <= ex_n_next;

    c_valid_reg <= c_valid_next;
    c_seq_reg <= c_seq_next;
    c_crc_reg <= c_crc_next;
    c_type_reg <= c_type_next;
    c_len_reg <= c_len_next;
    c_p0_reg <= c_p0_next;
    c_p1_reg <= c_p1_next;
    resp_pending_reg <= resp_pending_next;

    stat_frame_reg <= stat_frame_next;
    stat_crc_err_reg <= stat_crc_err_next;
    stat_oversize_reg <= stat_oversize_next;
    stat_timeout_reg <= stat_timeout_next;
    stat_replay_reg <= stat_replay_next;

    tx_state_reg <= tx_state_next;
    tx_hidx_reg <= tx_hidx_next;
    tx_pidx_reg <= tx_pidx_next;
    tx_pleft_reg <= tx_pleft_next;
    tx_cidx_reg <= tx_cidx_next;
    tx_event_reg <= tx_event_next;
    tx_data_reg <= tx_data_next;
    tx_type_reg <= tx_type_next;
    tx_seq_reg <= tx_seq_next;
    tx_len_reg <= tx_len_next;
    tx_p0_reg <= tx_p0_next;
    tx_p1_reg <= tx_p1_next;
    tx_crc_reg <= tx_crc_next;
    ev_armed_reg <= ev_armed_next;
    ev_nseq_reg <= ev_nseq_next;

    out_data_reg <= out_data_next;
    out_valid_reg <= out_valid_next;
    out_last_reg <= out_last_next;

    if (rx_buf_we) begin
        rx_buf[rx_widx_reg] <= {rx_acc_reg, s_byte};
    end
    rx_rd_reg <= rx_buf[ex_idx_next];
    if (resp_buf_we) begin
        resp_buf[ex_idx_reg] <= csr_rdata;
    end
    tx_word_reg <= resp_buf[tx_pidx_next[BUF_AW+1:2]];

    if (rst) begin
        state_reg <= S_HUNT0;
        timer_reg <= {TIMER_W{1'b0}};
        c_valid_reg <= 1'b0;
        resp_pending_reg <= 1'b0;
        stat_frame_reg <= 1'b0;
        stat_crc_err_reg <= 1'b0;
        stat_oversize_reg <= 1'b0;
        stat_timeout_reg <= 1'b0;
        stat_replay_reg <= 1'b0;
        tx_state_reg <= TX_IDLE;
        ev_armed_reg <= 1'b1;
        ev_nseq_reg <= 8'd0;
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
