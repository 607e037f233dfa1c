// SPDX-License-Identifier: MIT
//
// toe_csr.v - the engine's register block: every register of docs/regmap.md
// (generated from rtl/regmap/toe.toml) on the host bridge's CSR bus.
// Configuration out as plain wires, commands to the connection core's
// command port, per-connection read-out through its info port, the event
// FIFO (EV_POP / EV_ARG / EV_COUNT / EV_LOST and the bridge's ev_pending /
// ev_count), and the counters.
//
// CSR bus (slave side of rtl/toe_host_bridge.v): an access is taken in a
// cycle with csr_valid && csr_ready; csr_rvalid pulses in the next cycle
// with csr_rdata / csr_err. csr_ready is low only while a CONN_SEL snapshot
// is being read (3 cycles). No register there, a write to a read-only
// register (ro, rop): csr_err, nothing done. Write-only registers read 0.
//
// 64-bit registers (LO at an 8-aligned address, HI at +4):
//   read   reading LO latches HI (one latch shared by all 64-bit registers,
//          tagged with the address): LO then HI reads one consistent value;
//          a HI read without its LO just before gives the live value.
//   write  writing HI holds the word (one holding register, tagged); the
//          LO write then sets all 64 bits at once. A LO write without its
//          HI just before keeps the current HI.
//
// Commands: writing CMD with OP 1..6 latches the CMD_* arguments and offers
// the command to the core (after the ISN clock is set up, so the core's
// `now` has an M); BUSY until the core answers. OP 7..15: ERR = EINVAL at
// once (7 is the core's test-only fixture). CMD while BUSY: ignored, and
// the running command ends with ERR = EBUSY (its RESULT kept).
//
// CONN_SEL: a write asks the core for that connection's variables (info
// port, 2 cycles); the CONN_* registers read that snapshot. A free id (or
// one beyond the table) reads all 0 (STATE CLOSED); so does everything
// before the first snapshot, or while the core's tables are still being
// cleared after rst.
//
// Event FIFO: 2^EV_DEPTH_LOG2 entries in block RAM, written from the core's
// event stream (always ready; a full FIFO drops the event and counts it in
// EV_LOST), popped by EV_POP reads. ev_pending = count != 0, registered, so
// it is low in every cycle in which a pop would find the FIFO empty.

`timescale 1ns / 1ps
`default_nettype none

// Register map of the engine: config, commands, read-out, events, counters.
module toe_csr #(
    // connection table entries (reported in BUILD_CONN / BUILD_MISC)
    parameter N_CONN = 1024,
    // listener table entries (BUILD_CONN)
    parameter N_LISTEN = 64,
    // event FIFO depth, log2 (BUILD_MISC), 1..15
    parameter EV_DEPTH_LOG2 = 10,
    // network stream width in bytes (BUILD_MISC)
    parameter STREAM_BYTES = 8,
    // payload buffer depth, log2 beats (BUILD_MISC)
    parameter PAY_BUF_LOG2 = 11,
    // log2(N_CONN) (BUILD_MISC)
    parameter CONN_LOG2 = $clog2(N_CONN)
) (
    input  wire         clk,
    input  wire         rst,

    // ---- CSR bus ----
    input  wire         csr_valid,
    output wire         csr_ready,
    input  wire         csr_we,
    input  wire [9:0]   csr_addr,
    input  wire [31:0]  csr_wdata,
    output reg          csr_rvalid,
    output wire [31:0]  csr_rdata,
    output reg          csr_err,

    // ---- configuration ----
    output wire         cfg_enable,
    output wire         cfg_arp_en,
    output wire         cfg_ping_en,
    output wire [47:0]  cfg_local_mac,
    output wire [31:0]  cfg_local_ip,
    output wire [15:0]  cfg_mtu,
    output wire [15:0]  cfg_rcv_wnd,
    output wire [15:0]  cfg_syn_wnd,
    output wire [7:0]   cfg_ttl,
    output wire         cfg_df,
    output wire [15:0]  cfg_ip_id_init,
    output wire [15:0]  cfg_ip_id_step,
    // one cycle, when CTRL.ENABLE goes 0 -> 1: load the IP ID counters
    output reg          cfg_ip_id_load,
    output wire [31:0]  cfg_tick_hz,
    // one cycle, with the new TICK_HZ value
    output reg          cfg_tick_hz_wr,
    output wire [31:0]  cfg_ca_limit,
    output wire [63:0]  cfg_rto_init,
    output wire [63:0]  cfg_rto_max,
    output wire [63:0]  cfg_syn_giveup,
    output wire [63:0]  cfg_synack_giveup,
    output wire [63:0]  cfg_fin_giveup,
    output wire [63:0]  cfg_msl,
    output wire [63:0]  cfg_ca_window,
    output wire [31:0]  cfg_max_conns,
    output wire [31:0]  cfg_max_listeners,
    output wire [127:0] cfg_isn_key,
    output wire [31:0]  cfg_isn_pin,
    output wire         cfg_isn_pin_valid,
    input  wire         isn_pin_consume,

    // ---- commands to the core ----
    output wire         cmd_valid,
    input  wire         cmd_ready,
    output wire [3:0]   cmd_op,
    output wire [15:0]  cmd_conn,
    output wire [15:0]  cmd_local_port,
    output wire [31:0]  cmd_remote_ip,
    output wire [15:0]  cmd_remote_port,
    output wire [47:0]  cmd_remote_mac,
    input  wire         cmd_rsp_valid,
    input  wire [3:0]   cmd_rsp_err,
    input  wire [15:0]  cmd_rsp_conn,

    // ---- per-connection read-out (the core's info port) ----
    output wire         info_req,
    output wire [15:0]  info_id,
    input  wire         info_valid,
    input  wire [3:0]   info_state,
    input  wire         info_passive,
    input  wire         info_cbu,
    input  wire         info_wr_shut,
    input  wire [15:0]  info_local_port,
    input  wire [31:0]  info_remote_ip,
    input  wire [15:0]  info_remote_port,
    input  wire [47:0]  info_remote_mac,
    input  wire [31:0]  info_iss,
    input  wire [31:0]  info_irs,
    input  wire [31:0]  info_snd_una,
    input  wire [31:0]  info_snd_nxt,
    input  wire [15:0]  info_snd_wnd,
    input  wire [15:0]  info_max_snd_wnd,
    input  wire [31:0]  info_rcv_nxt,
    input  wire [15:0]  info_peer_mss,
    input  wire [15:0]  info_eff_mss,
    input  wire [31:0]  info_retransmits,

    // ---- events from the core (always taken) ----
    input  wire         s_ev_valid,
    input  wire [2:0]   s_ev_type,
    input  wire [15:0]  s_ev_conn,
    input  wire [15:0]  s_ev_arg,
    // to the host bridge
    output wire         ev_pending,
    output wire [15:0]  ev_count,

    // ---- counters ----
    input  wire [63:0]  stat_segs_in,
    input  wire [63:0]  stat_segs_out,
    input  wire [63:0]  stat_rst_out,
    input  wire [63:0]  stat_challenge_acks,
    input  wire [63:0]  stat_challenge_acks_suppressed,
    input  wire [63:0]  stat_dropped,
    input  wire [63:0]  stat_rx_bytes,
    input  wire [63:0]  stat_retransmits,
    input  wire [63:0]  stat_table_full,
    input  wire [63:0]  stat_timers_inline,
    input  wire [63:0]  stat_rx_too_long,
    // a frame the parser dropped, reason 1..14 (14 = MAC said bad)
    input  wire         parse_drop_valid,
    input  wire [3:0]   parse_drop_reason,
    input  wire [31:0]  stat_arp_replies,
    input  wire [31:0]  stat_arp_busy,
    input  wire [31:0]  stat_icmp_replies,
    input  wire [31:0]  stat_icmp_busy,
    input  wire [287:0] stat_l2_drop,     // 9 x 32, reason r at (r-1)*32
    // host bridge pulses
    input  wire         br_frame,
    input  wire         br_crc_err,
    input  wire         br_oversize,
    input  wire         br_timeout,
    input  wire         br_replay,

    // ---- status ----
    input  wire         st_ready,
    input  wire         st_idle,
    input  wire         st_tick_ok,
    input  wire [31:0]  st_conns_used,
    input  wire [63:0]  now,
    // a command is offered or running
    output wire         cmd_busy
);

`include "toe_regs.vh"

localparam ED = 1 << EV_DEPTH_LOG2;
localparam [15:0] N_CONN_16 = N_CONN[15:0];
localparam [15:0] N_LISTEN_16 = N_LISTEN[15:0];
localparam [31:0] N_CONN_32 = N_CONN;
localparam [31:0] N_LISTEN_32 = N_LISTEN;
localparam [7:0] EV_LOG2_8 = EV_DEPTH_LOG2[7:0];
localparam [7:0] STREAM_8 = STREAM_BYTES[7:0];
localparam [7:0] CONN_LOG2_8 = CONN_LOG2[7:0];
localparam [7:0] PAY_LOG2_8 = PAY_BUF_LOG2[7:0];

initial begin
    if (EV_DEPTH_LOG2 < 1 || EV_DEPTH_LOG2 > 15) begin
        $error("%m: EV_DEPTH_LOG2 (%0d) must be 1..15", EV_DEPTH_LOG2);
        $finish;
    end
end

// ------------------------------------------------------------------------
// registers
// ------------------------------------------------------------------------

reg [31:0] scratch_reg = 32'd0;
reg enable_reg = 1'b0, arp_en_reg = 1'b1, ping_en_reg = 1'b1;
reg [15:0] mac_hi_reg = 16'd0;
reg [31:0] mac_lo_reg = 32'd0;
reg [31:0] local_ip_reg = 32'd0;
reg [15:0] mtu_reg = TOE_REG_MTU_MTU_RESET;
reg [15:0] rcv_wnd_reg = TOE_REG_WND_RCV_WND_RESET;
reg [15:0] syn_wnd_reg = TOE_REG_WND_SYN_WND_RESET;
reg [7:0] ttl_reg = TOE_REG_IP_CFG_TTL_RESET;
reg df_reg = TOE_REG_IP_CFG_DF_RESET;
reg [15:0] ip_id_init_reg = TOE_REG_IP_ID_INIT_RESET;
reg [15:0] ip_id_step_reg = TOE_REG_IP_ID_STEP_RESET;
reg [31:0] tick_hz_reg = TOE_REG_TICK_HZ_RESET;
reg [31:0] ca_limit_reg = TOE_REG_CHALLENGE_ACK_LIMIT_RESET;
reg [63:0] rto_init_reg = TOE_REG_RTO_INIT_RESET;
reg [63:0] rto_max_reg = TOE_REG_RTO_MAX_RESET;
reg [63:0] syn_giveup_reg = TOE_REG_SYN_GIVEUP_RESET;
reg [63:0] synack_giveup_reg = TOE_REG_SYNACK_GIVEUP_RESET;
reg [63:0] fin_giveup_reg = TOE_REG_FIN_GIVEUP_RESET;
reg [63:0] msl_reg = TOE_REG_MSL_RESET;
reg [63:0] ca_window_reg = TOE_REG_CHALLENGE_ACK_WINDOW_RESET;
reg [31:0] max_conns_reg = N_CONN_32;
reg [31:0] max_listeners_reg = N_LISTEN_32;
reg [127:0] isn_key_reg = 128'd0;
reg [31:0] isn_pin_reg = 32'd0;
reg isn_pin_valid_reg = 1'b0;

// command arguments and the command offered / running
reg [15:0] a_lport_reg = 16'd0, a_rport_reg = 16'd0, a_conn_reg = 16'd0;
reg [31:0] a_rip_reg = 32'd0;
reg [15:0] a_rmac_hi_reg = 16'd0;
reg [31:0] a_rmac_lo_reg = 32'd0;
reg [3:0] c_op_reg = 4'd0;
reg [15:0] c_lport_reg = 16'd0, c_rport_reg = 16'd0, c_conn_reg = 16'd0;
reg [31:0] c_rip_reg = 32'd0;
reg [47:0] c_rmac_reg = 48'd0;
reg c_pend_reg = 1'b0;    // offered to the core
reg c_busy_reg = 1'b0;    // BUSY
reg c_ebusy_reg = 1'b0;   // a CMD came while busy
reg [15:0] c_result_reg = 16'd0;
reg [7:0] c_err_reg = 8'd0;

// read-out
reg [15:0] sel_reg = 16'd0;
reg snap_valid_reg = 1'b0;
reg [1:0] snap_st_reg = 2'd0; // 0 idle, 1 request issued, 2 waiting
reg info_req_reg = 1'b0;

// 64-bit latches
reg [31:0] rd_hi_reg = 32'd0;
reg [9:0] rd_hi_tag_reg = 10'd0;
reg rd_hi_ok_reg = 1'b0;
reg [31:0] wr_hi_reg = 32'd0;
reg [9:0] wr_hi_tag_reg = 10'd0;
reg wr_hi_ok_reg = 1'b0;

// counters
// The parse-drop counters (reasons 1..14, 64 bits each) live in LUT RAM,
// not flip-flops: at most one frame is dropped per cycle, so one shared
// incrementer does (read-modify-write in the drop's cycle). Two copies,
// written together, give the increment and the host read a read port
// each; pd_live_reg says which counters were written since rst (the
// others read 0), so rst clears them at once.
reg [63:0] pd_inc_mem [0:15];
reg [63:0] pd_rd_mem [0:15];
reg [15:0] pd_live_reg = 16'd0;
wire pd_inc = parse_drop_valid && parse_drop_reason != 4'd0 && parse_drop_reason != 4'd15;
wire [63:0] pd_next = (pd_live_reg[parse_drop_reason] ? pd_inc_mem[parse_drop_reason] : 64'd0) +
                      64'd1;
reg [31:0] br_frames_reg = 32'd0, br_crc_reg = 32'd0, br_over_reg = 32'd0;
reg [31:0] br_tmo_reg = 32'd0, br_replay_reg = 32'd0;

// event FIFO
reg [34:0] ev_mem [0:ED-1];
reg [34:0] ev_rd_reg;
reg [EV_DEPTH_LOG2-1:0] ev_wr_reg = {EV_DEPTH_LOG2{1'b0}};
reg [EV_DEPTH_LOG2-1:0] ev_rdp_reg = {EV_DEPTH_LOG2{1'b0}};
reg [EV_DEPTH_LOG2:0] ev_cnt_reg = {(EV_DEPTH_LOG2+1){1'b0}};
reg [31:0] ev_lost_reg = 32'd0;
reg [15:0] ev_arg_reg = 16'd0;
reg evpop_resp_reg = 1'b0;    // this response is an EV_POP
reg evpop_hit_reg = 1'b0;     // ... that popped an event

// ------------------------------------------------------------------------
// outputs
// ------------------------------------------------------------------------

assign cfg_enable = enable_reg;
assign cfg_arp_en = arp_en_reg;
assign cfg_ping_en = ping_en_reg;
assign cfg_local_mac = {mac_hi_reg, mac_lo_reg};
assign cfg_local_ip = local_ip_reg;
assign cfg_mtu = mtu_reg;
assign cfg_rcv_wnd = rcv_wnd_reg;
assign cfg_syn_wnd = syn_wnd_reg;
assign cfg_ttl = ttl_reg;
assign cfg_df = df_reg;
assign cfg_ip_id_init = ip_id_init_reg;
assign cfg_ip_id_step = ip_id_step_reg;
assign cfg_tick_hz = tick_hz_reg;
assign cfg_ca_limit = ca_limit_reg;
assign cfg_rto_init = rto_init_reg;
assign cfg_rto_max = rto_max_reg;
assign cfg_syn_giveup = syn_giveup_reg;
assign cfg_synack_giveup = synack_giveup_reg;
assign cfg_fin_giveup = fin_giveup_reg;
assign cfg_msl = msl_reg;
assign cfg_ca_window = ca_window_reg;
assign cfg_max_conns = max_conns_reg;
assign cfg_max_listeners = max_listeners_reg;
assign cfg_isn_key = isn_key_reg;
assign cfg_isn_pin = isn_pin_reg;
assign cfg_isn_pin_valid = isn_pin_valid_reg;

assign cmd_valid = c_pend_reg && st_tick_ok;
assign cmd_op = c_op_reg;
assign cmd_conn = c_conn_reg;
assign cmd_local_port = c_lport_reg;
assign cmd_remote_ip = c_rip_reg;
assign cmd_remote_port = c_rport_reg;
assign cmd_remote_mac = c_rmac_reg;
assign cmd_busy = c_busy_reg;

assign info_req = info_req_reg;
assign info_id = sel_reg;

assign ev_pending = ev_cnt_reg != {(EV_DEPTH_LOG2+1){1'b0}};
assign ev_count = {{(15 - EV_DEPTH_LOG2){1'b0}}, ev_cnt_reg};

assign csr_ready = snap_st_reg == 2'd0;

// ------------------------------------------------------------------------
// read mux
// ------------------------------------------------------------------------

wire take = csr_valid && csr_ready;
wire [9:0] a64 = {csr_addr[9:3], 3'b000};
wire hi_half = csr_addr[2];
wire snap_live = snap_valid_reg && info_state != TOE_ST_CLOSED;
// array element indexes (only meaningful inside the array's range)
/* verilator lint_off UNUSEDSIGNAL */ wire [9:0] pd_off = a64 - TOE_REG_STAT_PARSE_DROP_BASE; /* verilator lint_on UNUSEDSIGNAL */
wire [3:0] pd_idx = pd_off[6:3];
/* verilator lint_off UNUSEDSIGNAL */ wire [9:0] l2_off = csr_addr - TOE_REG_L2_DROP_BASE; /* verilator lint_on UNUSEDSIGNAL */
wire [3:0] l2_idx = l2_off[5:2];
wire [8:0] l2_bit = {l2_idx - 4'd1, 5'd0};

// a parse-drop counter as the host reads it (0 until counted since rst;
// index 0 is never written)
function [63:0] pd_read(input [3:0] idx);
    pd_read = pd_live_reg[idx] ? pd_rd_mem[idx] : 64'd0;
endfunction

// the 64-bit register at a64 (is64), and whether it is writable
reg is64, rw64;
reg [63:0] v64;
always @* begin
    is64 = 1'b1;
    rw64 = 1'b0;
    v64 = 64'd0;
    case (a64)
        TOE_REG_RTO_INIT: begin rw64 = 1'b1; v64 = rto_init_reg; end
        TOE_REG_RTO_MAX: begin rw64 = 1'b1; v64 = rto_max_reg; end
        TOE_REG_SYN_GIVEUP: begin rw64 = 1'b1; v64 = syn_giveup_reg; end
        TOE_REG_SYNACK_GIVEUP: begin rw64 = 1'b1; v64 = synack_giveup_reg; end
        TOE_REG_FIN_GIVEUP: begin rw64 = 1'b1; v64 = fin_giveup_reg; end
        TOE_REG_MSL: begin rw64 = 1'b1; v64 = msl_reg; end
        TOE_REG_CHALLENGE_ACK_WINDOW: begin rw64 = 1'b1; v64 = ca_window_reg; end
        TOE_REG_NOW: v64 = now;
        TOE_REG_STAT_SEGS_IN: v64 = stat_segs_in;
        TOE_REG_STAT_SEGS_OUT: v64 = stat_segs_out;
        TOE_REG_STAT_RST_OUT: v64 = stat_rst_out;
        TOE_REG_STAT_CHALLENGE_ACKS: v64 = stat_challenge_acks;
        TOE_REG_STAT_CHALLENGE_ACKS_SUPPRESSED: v64 = stat_challenge_acks_suppressed;
        TOE_REG_STAT_DROPPED: v64 = stat_dropped;
        TOE_REG_STAT_RX_BYTES: v64 = stat_rx_bytes;
        TOE_REG_STAT_RETRANSMITS: v64 = stat_retransmits;
        TOE_REG_STAT_MAC_BAD: v64 = pd_read(4'd14);
        TOE_REG_STAT_TABLE_FULL: v64 = stat_table_full;
        TOE_REG_STAT_TIMERS_INLINE: v64 = stat_timers_inline;
        TOE_REG_STAT_RX_TOO_LONG: v64 = stat_rx_too_long;
        default: begin
            // STAT_PARSE_DROP[0..13]: 0x240 + 8 i; element 0 reads 0
            if (a64 >= TOE_REG_STAT_PARSE_DROP_BASE &&
                a64 < TOE_REG_STAT_PARSE_DROP_BASE + 10'd112) begin
                v64 = pd_read(pd_idx);
            end else begin
                is64 = 1'b0;
            end
        end
    endcase
end


// 32-bit registers: value, exists, writable
reg r_ok, r_rw;
reg [31:0] r_val;
always @* begin
    r_ok = 1'b1;
    r_rw = 1'b0;
    r_val = 32'd0;
    if (is64) begin
        r_rw = rw64;
        if (!hi_half) begin
            r_val = v64[31:0];
        end else if (rd_hi_ok_reg && rd_hi_tag_reg == csr_addr) begin
            r_val = rd_hi_reg;
        end else begin
            r_val = v64[63:32];
        end
    end else begin
        case (csr_addr)
            TOE_REG_ID: r_val = TOE_REG_ID_RESET;
            TOE_REG_VERSION: r_val = TOE_REG_VERSION_RESET;
            TOE_REG_BUILD_CONN: r_val = {N_LISTEN_16, N_CONN_16};
            TOE_REG_BUILD_MISC: r_val = {PAY_LOG2_8, CONN_LOG2_8, STREAM_8, EV_LOG2_8};
            TOE_REG_SCRATCH: begin r_rw = 1'b1; r_val = scratch_reg; end
            TOE_REG_CTRL: begin r_rw = 1'b1; r_val = {29'd0, ping_en_reg, arp_en_reg, enable_reg}; end
            TOE_REG_LOCAL_MAC_HI: begin r_rw = 1'b1; r_val = {16'd0, mac_hi_reg}; end
            TOE_REG_LOCAL_MAC_LO: begin r_rw = 1'b1; r_val = mac_lo_reg; end
            TOE_REG_LOCAL_IP: begin r_rw = 1'b1; r_val = local_ip_reg; end
            TOE_REG_MTU: begin r_rw = 1'b1; r_val = {16'd0, mtu_reg}; end
            TOE_REG_WND: begin r_rw = 1'b1; r_val = {syn_wnd_reg, rcv_wnd_reg}; end
            TOE_REG_IP_CFG: begin r_rw = 1'b1; r_val = {23'd0, df_reg, ttl_reg}; end
            TOE_REG_IP_ID: begin r_rw = 1'b1; r_val = {ip_id_step_reg, ip_id_init_reg}; end
            TOE_REG_TICK_HZ: begin r_rw = 1'b1; r_val = tick_hz_reg; end
            TOE_REG_CHALLENGE_ACK_LIMIT: begin r_rw = 1'b1; r_val = ca_limit_reg; end
            TOE_REG_ISN_KEY_BASE, TOE_REG_ISN_KEY_BASE + 10'd4,
            TOE_REG_ISN_KEY_BASE + 10'd8, TOE_REG_ISN_KEY_BASE + 10'd12: r_rw = 1'b1;
            TOE_REG_ISN_PIN: begin r_rw = 1'b1; r_val = isn_pin_reg; end
            TOE_REG_MAX_CONNS: begin r_rw = 1'b1; r_val = max_conns_reg; end
            TOE_REG_MAX_LISTENERS: begin r_rw = 1'b1; r_val = max_listeners_reg; end
            TOE_REG_ISN_PIN_CTRL: begin r_rw = 1'b1; r_val = {31'd0, isn_pin_valid_reg}; end
            TOE_REG_CMD_LOCAL_PORT: begin r_rw = 1'b1; r_val = {16'd0, a_lport_reg}; end
            TOE_REG_CMD_REMOTE_IP: begin r_rw = 1'b1; r_val = a_rip_reg; end
            TOE_REG_CMD_REMOTE_PORT: begin r_rw = 1'b1; r_val = {16'd0, a_rport_reg}; end
            TOE_REG_CMD_REMOTE_MAC_HI: begin r_rw = 1'b1; r_val = {16'd0, a_rmac_hi_reg}; end
            TOE_REG_CMD_REMOTE_MAC_LO: begin r_rw = 1'b1; r_val = a_rmac_lo_reg; end
            TOE_REG_CMD_CONN: begin r_rw = 1'b1; r_val = {16'd0, a_conn_reg}; end
            TOE_REG_CMD: r_rw = 1'b1;
            TOE_REG_CMD_STATUS: r_val = {c_busy_reg, 7'd0, c_err_reg, c_result_reg};
            TOE_REG_CONN_SEL: begin r_rw = 1'b1; r_val = {16'd0, sel_reg}; end
            TOE_REG_CONN_STATE:
                // a free id reads 0 (its TCB word keeps stale fields
                // beside the CLOSED state)
                if (snap_live) begin
                    r_val = {16'd0,
                             (info_retransmits > 32'd255) ? 8'd255 : info_retransmits[7:0],
                             1'b0, info_wr_shut, info_cbu, info_passive, info_state};
                end
            TOE_REG_CONN_LOCAL_IP: if (snap_live) r_val = local_ip_reg;
            TOE_REG_CONN_REMOTE_IP: if (snap_live) r_val = info_remote_ip;
            TOE_REG_CONN_PORTS: if (snap_live) r_val = {info_remote_port, info_local_port};
            TOE_REG_CONN_ISS: if (snap_live) r_val = info_iss;
            TOE_REG_CONN_IRS: if (snap_live) r_val = info_irs;
            TOE_REG_CONN_SND_UNA: if (snap_live) r_val = info_snd_una;
            TOE_REG_CONN_SND_NXT: if (snap_live) r_val = info_snd_nxt;
            TOE_REG_CONN_SND_WND: if (snap_live) r_val = {16'd0, info_snd_wnd};
            TOE_REG_CONN_RCV_NXT: if (snap_live) r_val = info_rcv_nxt;
            TOE_REG_CONN_MSS: if (snap_live) r_val = {info_eff_mss, info_peer_mss};
            TOE_REG_CONN_RETRANSMITS: if (snap_live) r_val = info_retransmits;
            TOE_REG_CONN_REMOTE_MAC_HI: if (snap_live) r_val = {16'd0, info_remote_mac[47:32]};
            TOE_REG_CONN_REMOTE_MAC_LO: if (snap_live) r_val = info_remote_mac[31:0];
            TOE_REG_CONN_MAX_SND_WND: if (snap_live) r_val = {16'd0, info_max_snd_wnd};
            TOE_REG_EV_POP: r_val = 32'd0; // from the FIFO, see below
            TOE_REG_EV_ARG: r_val = {16'd0, ev_arg_reg};
            TOE_REG_EV_COUNT: r_val = {16'd0, ev_count};
            TOE_REG_EV_LOST: r_val = ev_lost_reg;
            TOE_REG_STATUS: r_val = {29'd0, st_tick_ok, st_idle, st_ready};
            TOE_REG_CONNS_USED: r_val = st_conns_used;
            TOE_REG_L2_ARP_REPLIES: r_val = stat_arp_replies;
            TOE_REG_L2_ARP_BUSY: r_val = stat_arp_busy;
            TOE_REG_L2_ICMP_REPLIES: r_val = stat_icmp_replies;
            TOE_REG_L2_ICMP_BUSY: r_val = stat_icmp_busy;
            TOE_REG_BRIDGE_FRAMES: r_val = br_frames_reg;
            TOE_REG_BRIDGE_CRC_ERR: r_val = br_crc_reg;
            TOE_REG_BRIDGE_OVERSIZE: r_val = br_over_reg;
            TOE_REG_BRIDGE_TIMEOUT: r_val = br_tmo_reg;
            TOE_REG_BRIDGE_REPLAY: r_val = br_replay_reg;
            default: begin
                // L2_DROP[0..9]: 0x310 + 4 i; element 0 reads 0
                if (csr_addr >= TOE_REG_L2_DROP_BASE &&
                    csr_addr < TOE_REG_L2_DROP_BASE + 10'd40) begin
                    r_val = (l2_idx == 4'd0) ? 32'd0 :
                            stat_l2_drop[l2_bit +: 32];
                end else begin
                    r_ok = 1'b0;
                end
            end
        endcase
    end
end

// write-only registers read 0
wire r_wo = csr_addr == TOE_REG_CMD ||
            (csr_addr >= TOE_REG_ISN_KEY_BASE && csr_addr < TOE_REG_ISN_KEY_BASE + 10'd16);

// ------------------------------------------------------------------------
// accesses
// ------------------------------------------------------------------------

reg [31:0] rdata_reg = 32'd0;

wire wr = take && csr_we && r_ok && r_rw;
wire rd = take && !csr_we && r_ok;
wire ev_pop = rd && csr_addr == TOE_REG_EV_POP && ev_cnt_reg != {(EV_DEPTH_LOG2+1){1'b0}};
wire ev_full = ev_cnt_reg == ED[EV_DEPTH_LOG2:0];
wire ev_push = s_ev_valid && !ev_full;

// 64-bit write value: HI from the holding register if it was just written
wire [31:0] w_hi = (wr_hi_ok_reg && wr_hi_tag_reg == a64 + 10'd4) ? wr_hi_reg : v64[63:32];
wire [63:0] w64 = {w_hi, csr_wdata};
wire w_lo64 = wr && is64 && !hi_half;

assign csr_rdata = evpop_resp_reg ?
                   (evpop_hit_reg ? {1'b1, 11'd0, 1'b0, ev_rd_reg[34:32], ev_rd_reg[31:16]} : 32'd0) :
                   rdata_reg;

// the event memory: one write port, one registered read port (block RAM)
always @(posedge clk) begin
    if (ev_push) begin
        ev_mem[ev_wr_reg] <= {s_ev_type, s_ev_conn, s_ev_arg};
    end
    if (ev_pop) begin
        ev_rd_reg <= ev_mem[ev_rdp_reg];
    end
end

always @(posedge clk) begin
    csr_rvalid <= take;
    csr_err <= take && !(csr_we ? (r_ok && r_rw) : r_ok);
    rdata_reg <= (r_ok && !r_wo) ? r_val : 32'd0;
    evpop_resp_reg <= rd && csr_addr == TOE_REG_EV_POP;
    evpop_hit_reg <= ev_pop;
    cfg_ip_id_load <= 1'b0;
    cfg_tick_hz_wr <= 1'b0;
    info_req_reg <= 1'b0;

    // ---- 64-bit latches ----
    if (rd && is64 && !hi_half) begin
        rd_hi_reg <= v64[63:32];
        rd_hi_tag_reg <= csr_addr + 10'd4;
        rd_hi_ok_reg <= 1'b1;
    end
    if (wr && is64) begin
        wr_hi_ok_reg <= hi_half;
        wr_hi_reg <= csr_wdata;
        wr_hi_tag_reg <= csr_addr;
    end

    // ---- register writes ----
    if (wr) begin
        case (csr_addr)
            TOE_REG_SCRATCH: scratch_reg <= csr_wdata;
            TOE_REG_CTRL: begin
                enable_reg <= csr_wdata[0];
                arp_en_reg <= csr_wdata[1];
                ping_en_reg <= csr_wdata[2];
                cfg_ip_id_load <= csr_wdata[0] && !enable_reg;
            end
            TOE_REG_LOCAL_MAC_HI: mac_hi_reg <= csr_wdata[15:0];
            TOE_REG_LOCAL_MAC_LO: mac_lo_reg <= csr_wdata;
            TOE_REG_LOCAL_IP: local_ip_reg <= csr_wdata;
            TOE_REG_MTU: mtu_reg <= csr_wdata[15:0];
            TOE_REG_WND: begin
                rcv_wnd_reg <= csr_wdata[15:0];
                syn_wnd_reg <= csr_wdata[31:16];
            end
            TOE_REG_IP_CFG: begin
                ttl_reg <= csr_wdata[7:0];
                df_reg <= csr_wdata[8];
            end
            TOE_REG_IP_ID: begin
                ip_id_init_reg <= csr_wdata[15:0];
                ip_id_step_reg <= csr_wdata[31:16];
            end
            TOE_REG_TICK_HZ: begin
                tick_hz_reg <= csr_wdata;
                cfg_tick_hz_wr <= 1'b1;
            end
            TOE_REG_CHALLENGE_ACK_LIMIT: ca_limit_reg <= csr_wdata;
            TOE_REG_ISN_KEY_BASE: isn_key_reg[31:0] <= csr_wdata;
            TOE_REG_ISN_KEY_BASE + 10'd4: isn_key_reg[63:32] <= csr_wdata;
            TOE_REG_ISN_KEY_BASE + 10'd8: isn_key_reg[95:64] <= csr_wdata;
            TOE_REG_ISN_KEY_BASE + 10'd12: isn_key_reg[127:96] <= csr_wdata;
            TOE_REG_ISN_PIN: isn_pin_reg <= csr_wdata;
            TOE_REG_MAX_CONNS: max_conns_reg <= csr_wdata;
            TOE_REG_MAX_LISTENERS: max_listeners_reg <= csr_wdata;
            TOE_REG_CMD_LOCAL_PORT: a_lport_reg <= csr_wdata[15:0];
            TOE_REG_CMD_REMOTE_IP: a_rip_reg <= csr_wdata;
            TOE_REG_CMD_REMOTE_PORT: a_rport_reg <= csr_wdata[15:0];
            TOE_REG_CMD_REMOTE_MAC_HI: a_rmac_hi_reg <= csr_wdata[15:0];
            TOE_REG_CMD_REMOTE_MAC_LO: a_rmac_lo_reg <= csr_wdata;
            TOE_REG_CMD_CONN: a_conn_reg <= csr_wdata[15:0];
            default: begin
            end
        endcase
        if (w_lo64) begin
            case (a64)
                TOE_REG_RTO_INIT: rto_init_reg <= w64;
                TOE_REG_RTO_MAX: rto_max_reg <= w64;
                TOE_REG_SYN_GIVEUP: syn_giveup_reg <= w64;
                TOE_REG_SYNACK_GIVEUP: synack_giveup_reg <= w64;
                TOE_REG_FIN_GIVEUP: fin_giveup_reg <= w64;
                TOE_REG_MSL: msl_reg <= w64;
                TOE_REG_CHALLENGE_ACK_WINDOW: ca_window_reg <= w64;
                default: begin
                end
            endcase
        end
    end

    // ---- ISN pin: the engine clears VALID when it uses the pin; a host
    //      write in the same cycle wins ----
    if (isn_pin_consume) begin
        isn_pin_valid_reg <= 1'b0;
    end
    if (wr && csr_addr == TOE_REG_ISN_PIN_CTRL) begin
        isn_pin_valid_reg <= csr_wdata[0];
    end

    // ---- commands ----
    if (cmd_valid && cmd_ready) begin
        c_pend_reg <= 1'b0;
    end
    if (cmd_rsp_valid && c_busy_reg) begin
        c_busy_reg <= 1'b0;
        c_result_reg <= cmd_rsp_conn;
        c_err_reg <= c_ebusy_reg ? {4'd0, TOE_CMD_EBUSY} : {4'd0, cmd_rsp_err};
        c_ebusy_reg <= 1'b0;
    end
    if (wr && csr_addr == TOE_REG_CMD && csr_wdata[3:0] != 4'd0) begin
        if (c_busy_reg) begin
            c_ebusy_reg <= 1'b1;
        end else if (csr_wdata[3:0] > {1'b0, TOE_CMD_ABORT}) begin
            c_err_reg <= {4'd0, TOE_CMD_EINVAL};
            c_result_reg <= 16'd0;
        end else begin
            c_op_reg <= csr_wdata[3:0];
            c_lport_reg <= a_lport_reg;
            c_rip_reg <= a_rip_reg;
            c_rport_reg <= a_rport_reg;
            c_rmac_reg <= {a_rmac_hi_reg, a_rmac_lo_reg};
            c_conn_reg <= a_conn_reg;
            c_pend_reg <= 1'b1;
            c_busy_reg <= 1'b1;
        end
    end

    // ---- CONN_SEL snapshot ----
    case (snap_st_reg)
        2'd1: snap_st_reg <= 2'd2;
        2'd2: if (info_valid) begin
            snap_st_reg <= 2'd0;
            snap_valid_reg <= 1'b1;
        end
        default: begin
        end
    endcase
    if (wr && csr_addr == TOE_REG_CONN_SEL) begin
        sel_reg <= csr_wdata[15:0];
        snap_valid_reg <= 1'b0;
        if (st_ready) begin
            info_req_reg <= 1'b1;
            snap_st_reg <= 2'd1;
        end
    end

    // ---- event FIFO ----
    if (ev_push) begin
        ev_wr_reg <= ev_wr_reg + 1'b1;
    end
    if (s_ev_valid && ev_full) begin
        ev_lost_reg <= ev_lost_reg + 32'd1;
    end
    if (ev_pop) begin
        ev_rdp_reg <= ev_rdp_reg + 1'b1;
    end
    ev_cnt_reg <= ev_cnt_reg + {{EV_DEPTH_LOG2{1'b0}}, ev_push} -
                  {{EV_DEPTH_LOG2{1'b0}}, ev_pop};
    if (evpop_resp_reg) begin
        ev_arg_reg <= evpop_hit_reg ? ev_rd_reg[15:0] : 16'd0;
    end

    // ---- counters ----
    if (pd_inc) begin
        pd_live_reg[parse_drop_reason] <= 1'b1;
    end
    if (br_frame) br_frames_reg <= br_frames_reg + 32'd1;
    if (br_crc_err) br_crc_reg <= br_crc_reg + 32'd1;
    if (br_oversize) br_over_reg <= br_over_reg + 32'd1;
    if (br_timeout) br_tmo_reg <= br_tmo_reg + 32'd1;
    if (br_replay) br_replay_reg <= br_replay_reg + 32'd1;

    if (rst) begin
        csr_rvalid <= 1'b0;
        csr_err <= 1'b0;
        evpop_resp_reg <= 1'b0;
        evpop_hit_reg <= 1'b0;
        cfg_ip_id_load <= 1'b0;
        cfg_tick_hz_wr <= 1'b0;
        info_req_reg <= 1'b0;
        scratch_reg <= TOE_REG_SCRATCH_RESET;
        enable_reg <= TOE_REG_CTRL_ENABLE_RESET;
        arp_en_reg <= TOE_REG_CTRL_ARP_EN_RESET;
        ping_en_reg <= TOE_REG_CTRL_PING_EN_RESET;
        mac_hi_reg <= TOE_REG_LOCAL_MAC_HI_MAC_RESET;
        mac_lo_reg <= TOE_REG_LOCAL_MAC_LO_RESET;
        local_ip_reg <= TOE_REG_LOCAL_IP_RESET;
        mtu_reg <= TOE_REG_MTU_MTU_RESET;
        rcv_wnd_reg <= TOE_REG_WND_RCV_WND_RESET;
        syn_wnd_reg <= TOE_REG_WND_SYN_WND_RESET;
        ttl_reg <= TOE_REG_IP_CFG_TTL_RESET;
        df_reg <= TOE_REG_IP_CFG_DF_RESET;
        ip_id_init_reg <= TOE_REG_IP_ID_INIT_RESET;
        ip_id_step_reg <= TOE_REG_IP_ID_STEP_RESET;
        tick_hz_reg <= TOE_REG_TICK_HZ_RESET;
        ca_limit_reg <= TOE_REG_CHALLENGE_ACK_LIMIT_RESET;
        rto_init_reg <= TOE_REG_RTO_INIT_RESET;
        rto_max_reg <= TOE_REG_RTO_MAX_RESET;
        syn_giveup_reg <= TOE_REG_SYN_GIVEUP_RESET;
        synack_giveup_reg <= TOE_REG_SYNACK_GIVEUP_RESET;
        fin_giveup_reg <= TOE_REG_FIN_GIVEUP_RESET;
        msl_reg <= TOE_REG_MSL_RESET;
        ca_window_reg <= TOE_REG_CHALLENGE_ACK_WINDOW_RESET;
        isn_key_reg <= {4{TOE_REG_ISN_KEY_RESET}};
        isn_pin_reg <= TOE_REG_ISN_PIN_RESET;
        max_conns_reg <= N_CONN_32;
        max_listeners_reg <= N_LISTEN_32;
        isn_pin_valid_reg <= TOE_REG_ISN_PIN_CTRL_VALID_RESET;
        a_lport_reg <= TOE_REG_CMD_LOCAL_PORT_PORT_RESET;
        a_rip_reg <= TOE_REG_CMD_REMOTE_IP_RESET;
        a_rport_reg <= TOE_REG_CMD_REMOTE_PORT_PORT_RESET;
        a_rmac_hi_reg <= TOE_REG_CMD_REMOTE_MAC_HI_MAC_RESET;
        a_rmac_lo_reg <= TOE_REG_CMD_REMOTE_MAC_LO_RESET;
        a_conn_reg <= TOE_REG_CMD_CONN_ID_RESET;
        c_pend_reg <= 1'b0;
        c_busy_reg <= 1'b0;
        c_ebusy_reg <= 1'b0;
        c_result_reg <= TOE_REG_CMD_STATUS_RESULT_RESET;
        c_err_reg <= TOE_REG_CMD_STATUS_ERR_RESET;
        sel_reg <= TOE_REG_CONN_SEL_ID_RESET;
        snap_valid_reg <= 1'b0;
        snap_st_reg <= 2'd0;
        rd_hi_ok_reg <= 1'b0;
        wr_hi_ok_reg <= 1'b0;
        ev_wr_reg <= {EV_DEPTH_LOG2{1'b0}};
        ev_rdp_reg <= {EV_DEPTH_LOG2{1'b0}};
        ev_cnt_reg <= {(EV_DEPTH_LOG2+1){1'b0}};
        ev_lost_reg <= TOE_REG_EV_LOST_RESET;
        ev_arg_reg <= 16'd0;
        pd_live_reg <= 16'd0;
        br_frames_reg <= 32'd0;
        br_crc_reg <= 32'd0;
        br_over_reg <= 32'd0;
        br_tmo_reg <= 32'd0;
        br_replay_reg <= 32'd0;
    end
end

// parse-drop counter memories (no reset: pd_live_reg masks them)
always @(posedge clk) begin
    if (pd_inc) begin
        pd_inc_mem[parse_drop_reason] <= pd_next;
        pd_rd_mem[parse_drop_reason] <= pd_next;
    end
end

endmodule

`resetall
