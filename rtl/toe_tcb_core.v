// SPDX-License-Identifier: MIT
//
// toe_tcb_core.v - the connection-processing core of the engine: parsed
// segments, user commands and time in; transmit descriptors, events and
// payload decisions out, making the reference stack's choices
// (host/ref/tcp_ref.c) segment for segment.
//
//   s_seg ──► conn table (hash, BRAM) ─► TCB RAM ─► toe_tcp_fsm ─► m_tx (descriptors)
//   cmd  ───► listeners / alloc  ──────┘    ▲  │        │      └─► m_ev (events)
//   isn req/rsp (connect)                    │  │        └────────► m_pl (payload decisions)
//   timer scanner (timer shadow RAM) ─► timer-job queue ─┘
//
// One sequencer owns every write: it runs one job at a time (a segment, a
// command, or a timer the scanner found due), reads the TCB, lets
// toe_tcp_fsm decide, and writes everything back in the job's last cycle.
// Nothing else writes a TCB, so there is no read-modify-write race: the
// scanner only reads (port B) and hands out hints; the timer job re-reads
// the TCB and re-checks the deadline, so a stale or duplicate hint does
// nothing. A job that touches a TCB whose timer is due fires that timer
// first (as the reference runs all timers before a segment or call), so
// per connection the hardware makes the same choices whether or not the
// scanner got there first. Timer actions use the deadline, never the time
// they run at (give-up test, next deadline), so scanner lag changes when a
// retransmission leaves, not what it is.
//
// Order against the reference: per connection, always the same segments
// and events in the same order. Across connections, a timer fires when the
// scan reaches it (up to one pass late, scan order), where the reference
// fires all due timers in deadline order, ties by id, stamped with the
// deadline; so the interleaving of different connections' outputs, the IP
// IDs that follow from it, and which id a new connection gets while an
// expired connection still waits for the scan, can differ. Stepping `now`
// through each deadline with a scan pass from id 0 (scan_restart) makes
// them identical, which is how the differential tests compare exactly.
//
// Cycles (each job runs from IDLE; a cycle = one clk):
//   segment   IDLE (accept, listener lookup issued; the table's buckets,
//                   read last cycle by the prefetch, compared)
//             LK   (hit, from the table's registers? TCB read issued)
//             LKRD (the TCB read registered; its tuple checked)
//             PRE  (toe_tcp_fsm's stage P: compares and sums registered)
//             STEP (decide; the results registered: stage W)
//             WB   (all writes; outputs pushed)   -> 6 cycles a segment;
//             the descriptor is on m_tx in WB (the descriptor and
//             payload-decision FIFOs pass an entry written into an empty
//             FIFO straight through), so a reply leaves as early as when
//             STEP pushed it (5 cycles after acceptance); events and
//             command responses show a cycle later than then
//             Without a prefetch: IDLE issues the table lookup and LKW
//             (buckets compared, hit registered) comes before LK: 7.
//   +3 (PRE, STEP, WB) per timer fired first, +3 for a TIME-WAIT reopen
//   close/shutdown/abort/timer: IDLE, IDRD (TCB read, table lookup), PRE,
//   STEP, WB
//   connect: IDLE, ISN (request, lookup), ISNW (response), LK, LKRD, PRE,
//   STEP, WB
//   listen/unlisten: IDLE, LST, LSTW (the bitmap word registered first:
//   its block RAM's output is not in front of the bitmap's write)
//
// Why WB: the decision (toe_tcp_fsm's stage D, ~10 LUT levels) used to
// drive the TCB RAM's write data and enables, the table's insert/delete,
// the allocator, three FIFOs' writes and ten 64-bit counters in the same
// cycle: every one of those wide, spread-out endpoints was a critical
// path. Now it ends at the W registers, one cycle per job more (6 cycles
// a segment, still under the 8 of a minimum frame at 64 bits).
//
// Lookup prefetch. The table's hit is registered (toe_conn_table): its
// block-RAM output and fingerprint compares were the routed critical path
// into the TCB RAM's address while LK used them directly. To save the
// LKW cycle, the segment front end announces (s_pf_valid, s_pf_key) the key
// of the segment it offers in the next cycle, and the sequencer looks it
// up a cycle before the take: in IDLE when it takes no segment, and in
// the WB that ends a job. The WB's lookup counts only if the job ends
// there without inserting or deleting a table entry (else the table voids
// it: lk_void, or its own insert / delete; its registers stay the job's);
// the take then skips LKW. A SYN that creates a connection therefore makes
// the segment right behind it take the 7-cycle path; one that follows an
// idle cycle never does. The prefetch changes no decision: the table
// returns the same result a cycle earlier (nothing modifies it between
// the prefetch and the take), and a simulation check compares the
// prefetched key with the taken segment's.
// STEP waits while an output FIFO lacks room for the step's worst case or
// the id allocator is searching (3-4 cycles after a take or free; only a
// job right after a delete ever waits, 1 cycle). Lookups have no probing:
// every table access is one read, whatever the load.
//
//   clk        _/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_/‾\_
//   s_seg_valid ‾‾‾‾‾‾‾‾\_____________________________
//   s_seg_ready ‾‾‾‾‾‾‾‾\___________________________/‾‾‾‾‾‾‾   (high in IDLE only)
//   sequencer  | IDLE | LK  | LKRD| PRE | STEP| WB  | IDLE|
//   m_tx_valid _________________________________/‾‾‾‾‾‾‾‾‾‾‾   5 cycles after acceptance
//
// Timer scan: the timer shadow RAM (state, timer kind and deadline of every
// TCB, written with it) is read one id per cycle, ids 0 .. min(max_conns,
// N_CONN)-1 in a loop; a due timer's id goes to a 4-deep job queue (the scan
// pauses while it is full). A timer fires at most one pass (max_conns
// cycles) plus the queue's wait after its deadline. A read-out request
// (info_req) reads the TCB RAM's port B and pauses the scan for that cycle. Timer jobs take the sequencer
// only when no segment or command waits; at one segment per 10 cycles
// there are 5 free cycles in every 10.

`timescale 1ns / 1ps
`default_nettype none

`include "toe_tcb_width.vh"

// Connection-processing core: lookup, TCBs, TCP state machine, timers.
module toe_tcb_core #(
    // connection table entries (ids 0..N_CONN-1), a power of two >= 16
    parameter N_CONN = 1024,
    // listener limit
    parameter N_LISTEN = 64,
    // connection id width
    parameter ID_W = $clog2(N_CONN),
    // log2 depth of the descriptor, event and payload-decision FIFOs
    parameter TX_FIFO_LOG2 = 3,
    parameter EV_FIFO_LOG2 = 4,
    parameter PL_FIFO_LOG2 = 3,
    // connection-table fingerprint width (0: the table's default, see
    // toe_conn_table); tests set it small so that fingerprint collisions
    // happen
    parameter CT_FP_W = 0
) (
    input  wire         clk,
    input  wire         rst,

    // time, in ticks (core clock cycles); never goes backwards
    input  wire [63:0]  now,

    // ---- configuration (toe_ref_cfg), plain wires from the CSR block ----
    input  wire [31:0]  cfg_local_ip,
    input  wire [47:0]  cfg_local_mac,
    input  wire [15:0]  cfg_mtu,
    input  wire [15:0]  cfg_rcv_wnd,
    input  wire [15:0]  cfg_syn_wnd,
    input  wire [7:0]   cfg_ttl,
    input  wire         cfg_df,
    input  wire [15:0]  cfg_ip_id_init,
    input  wire [15:0]  cfg_ip_id_step,
    // load the IP ID counter from cfg_ip_id_init (also done at rst)
    input  wire         cfg_ip_id_load,
    input  wire [63:0]  cfg_rto_init,
    input  wire [63:0]  cfg_rto_max,
    input  wire [63:0]  cfg_syn_giveup,
    input  wire [63:0]  cfg_synack_giveup,
    input  wire [63:0]  cfg_fin_giveup,
    input  wire [63:0]  cfg_msl,
    input  wire [31:0]  cfg_ca_limit,
    input  wire [63:0]  cfg_ca_window,
    // ids handed out stay below this (values above N_CONN act as N_CONN)
    input  wire [31:0]  cfg_max_conns,
    input  wire [31:0]  cfg_max_listeners,
    // connection-table hash key, held constant (toe_top: a parameter)
    input  wire [127:0] cfg_hash_key,
    // pinned ISN for the next connection created; consumed when used
    input  wire [31:0]  cfg_isn_pin,
    input  wire         cfg_isn_pin_valid,
    output wire         isn_pin_consume,

    // the user stream can take payload (toe_ref_set_rx_ready)
    input  wire         rx_ready,

    // ---- parsed segments (good TCP only) with the RFC 6528 ISN of their
    //      4-tuple (local ip/port, remote ip/port) ----
    input  wire         s_seg_valid,
    output wire         s_seg_ready,
    input  wire [47:0]  s_seg_src_mac,
    input  wire [31:0]  s_seg_src_ip,
    input  wire [31:0]  s_seg_dst_ip,
    input  wire [15:0]  s_seg_src_port,
    input  wire [15:0]  s_seg_dst_port,
    input  wire [31:0]  s_seg_seq,
    input  wire [31:0]  s_seg_ack,
    input  wire [7:0]   s_seg_flags,
    input  wire [15:0]  s_seg_win,
    input  wire         s_seg_mss_valid,
    input  wire [15:0]  s_seg_mss,
    input  wire [15:0]  s_seg_len,
    input  wire [31:0]  s_seg_isn,
    // lookup prefetch: when s_pf_valid, a segment offered in the next cycle
    // has the key s_pf_key ({src port, src ip, dst port}); toe_top_seg's
    // m_pf_*. Tie s_pf_valid to 0 to do without (each segment a cycle more)
    input  wire         s_pf_valid,
    input  wire [63:0]  s_pf_key,

    // ---- ISN for an active open: request the tuple's RFC 6528 ISN ----
    output wire         isn_req_valid,
    input  wire         isn_req_ready,
    output wire [15:0]  isn_req_local_port,
    output wire [31:0]  isn_req_remote_ip,
    output wire [15:0]  isn_req_remote_port,
    input  wire         isn_rsp_valid,
    input  wire [31:0]  isn_rsp_isn,

    // ---- commands (TOE_CMD_* ops; 7 = fixture, tests only) ----
    input  wire         cmd_valid,
    output wire         cmd_ready,
    input  wire [3:0]   cmd_op,
    input  wire [15:0]  cmd_conn,
    input  wire [15:0]  cmd_local_port,
    input  wire [31:0]  cmd_remote_ip,
    input  wire [15:0]  cmd_remote_port,
    input  wire [47:0]  cmd_remote_mac,
    // fixture: the toe_ref_conn_info fields toe_ref_fixture uses
    input  wire [3:0]   cmd_fx_state,
    input  wire [31:0]  cmd_fx_iss,
    input  wire [31:0]  cmd_fx_irs,
    input  wire [31:0]  cmd_fx_snd_una,
    input  wire [31:0]  cmd_fx_snd_nxt,
    input  wire [15:0]  cmd_fx_snd_wnd,
    input  wire [31:0]  cmd_fx_rcv_nxt,
    input  wire [15:0]  cmd_fx_peer_mss,
    input  wire         cmd_fx_passive,
    input  wire         cmd_fx_cbu,
    input  wire         cmd_fx_wr_shut,
    // result, one cycle: err (TOE_CMD_OK ...) and the connection id
    output reg          cmd_rsp_valid,
    output reg  [3:0]   cmd_rsp_err,
    output reg  [15:0]  cmd_rsp_conn,

    // ---- transmit descriptors, in emission order ----
    output wire         m_tx_valid,
    input  wire         m_tx_ready,
    output wire [47:0]  m_tx_dst_mac,
    output wire [47:0]  m_tx_src_mac,
    output wire [31:0]  m_tx_src_ip,
    output wire [31:0]  m_tx_dst_ip,
    output wire [15:0]  m_tx_src_port,
    output wire [15:0]  m_tx_dst_port,
    output wire [31:0]  m_tx_seq,
    output wire [31:0]  m_tx_ack,
    output wire [7:0]   m_tx_flags,
    output wire [15:0]  m_tx_win,
    output wire         m_tx_mss_valid,
    output wire [15:0]  m_tx_mss,
    output wire [15:0]  m_tx_ip_id,
    output wire [7:0]   m_tx_ttl,
    output wire         m_tx_df,
    output wire         m_tx_conn_valid,
    output wire [15:0]  m_tx_conn,

    // ---- events (TOE_EV_*), in order; arg = bytes for RX_DATA ----
    output wire         m_ev_valid,
    input  wire         m_ev_ready,
    output wire [2:0]   m_ev_type,
    output wire [15:0]  m_ev_conn,
    output wire [15:0]  m_ev_arg,

    // ---- payload decision, one per segment, in segment order: deliver
    //      bytes [off, off+len) of the payload to connection conn, or drop
    //      the payload ----
    output wire         m_pl_valid,
    input  wire         m_pl_ready,
    output wire         m_pl_deliver,
    output wire [15:0]  m_pl_conn,
    output wire [15:0]  m_pl_off,
    output wire [15:0]  m_pl_len,

    // ---- per-connection read-out (toe_ref_conn_info), 2 cycles ----
    input  wire         info_req,
    input  wire [15:0]  info_id,
    output reg          info_valid,
    output reg  [3:0]   info_state,
    output reg          info_passive,
    output reg          info_cbu,
    output reg          info_wr_shut,
    output reg  [15:0]  info_local_port,
    output reg  [31:0]  info_remote_ip,
    output reg  [15:0]  info_remote_port,
    output reg  [47:0]  info_remote_mac,
    output reg  [31:0]  info_iss,
    output reg  [31:0]  info_irs,
    output reg  [31:0]  info_snd_una,
    output reg  [31:0]  info_snd_nxt,
    output reg  [15:0]  info_snd_wnd,
    output reg  [15:0]  info_max_snd_wnd,
    output reg  [31:0]  info_rcv_nxt,
    output reg  [15:0]  info_peer_mss,
    output reg  [15:0]  info_eff_mss,
    output reg  [31:0]  info_retransmits,

    // ---- counters (toe_ref_stats) ----
    output reg  [63:0]  stat_segs_in,
    output reg  [63:0]  stat_segs_out,
    output reg  [63:0]  stat_rst_out,
    output reg  [63:0]  stat_challenge_acks,
    output reg  [63:0]  stat_challenge_acks_suppressed,
    output reg  [63:0]  stat_dropped,
    output reg  [63:0]  stat_rx_bytes,
    output reg  [63:0]  stat_retransmits,
    // SYNs / connects / fixtures refused for want of a free id or slot
    output reg  [63:0]  stat_table_full,
    // timer expiries handled by the segment / command job that found them
    // due before the scan did
    output reg  [63:0]  stat_timers_inline,

    // ---- status ----
    // nothing in progress: no job running or queued
    output wire         idle,
    // connection ids in use (any state, half-open and TIME-WAIT included)
    output wire [$clog2(N_CONN):0] conns_used,
    // restart the timer scan at id 0 (tests; tie to 0)
    input  wire         scan_restart,
    // completed scan passes
    output reg  [31:0]  scan_passes
);

`include "toe_regs.vh"
`include "toe_tcb_layout.vh"

// the fixture command (not in the register map: tests drive it)
localparam [3:0] CMD_FIXTURE = 4'd7;

localparam [3:0]
    SQ_INIT = 4'd0, // clearing the TCB RAM after rst; tables clear themselves
    SQ_IDLE = 4'd1, // pick a job: segment, then command, then timer
    SQ_LK   = 4'd2, // tuple looked up: read the TCB if it hit
    SQ_IDRD = 4'd3, // TCB read by id: look its tuple up (for a delete)
    SQ_ISN  = 4'd4, // connect: ask for the tuple's ISN
    SQ_ISNW = 4'd5, // connect: wait for it, then look the tuple up
    SQ_LST  = 4'd6, // listen / unlisten: the port's bit is read
    SQ_STEP = 4'd7, // toe_tcp_fsm decides (its stage D); its results registered
    SQ_LKRD = 4'd8, // the TCB read after a hit is on the RAM output: registered
    SQ_PRE  = 4'd9, // toe_tcp_fsm's stage P: its compares and sums registered
    SQ_LKW  = 4'd10, // the table's buckets compared (no prefetch): hit registered
    SQ_FXLK = 4'd11, // fixture: look its tuple up
    SQ_WB   = 4'd12, // the registered results acted on: writes and outputs
    SQ_LSTW = 4'd13; // listen / unlisten: the bit, registered, decides

localparam TCB_W_ = `TOE_TCB_W;
localparam [31:0] N_CONN_32 = N_CONN;

initial begin
    // tr_a_wdata clears the low 6 bits: state then timer kind
    if (TCB_STATE != 0 || TCB_TMR != 4) begin
        $error("%m: the TCB layout must start with state [3:0], timer kind [5:4]");
        $finish;
    end
end

initial begin
    if (N_CONN < 16 || N_CONN > 65536 || (N_CONN & (N_CONN - 1)) != 0 ||
        ID_W != $clog2(N_CONN)) begin
        $error("%m: N_CONN (%0d) must be a power of two, 16..65536", N_CONN);
        $finish;
    end
end

// ------------------------------------------------------------------------
// sequencer state
// ------------------------------------------------------------------------

reg [3:0] sq_reg = SQ_INIT, sq_next;
reg [ID_W-1:0] clr_reg = {ID_W{1'b0}}, clr_next;

reg [2:0] job_reg = JOB_SEG, job_next;
reg [63:0] now_reg = 64'd0, now_next;

// the segment of the running job
reg [47:0] seg_src_mac_reg = 48'd0;
reg [31:0] seg_src_ip_reg = 32'd0, seg_dst_ip_reg = 32'd0;
reg [15:0] seg_src_port_reg = 16'd0, seg_dst_port_reg = 16'd0;
reg [31:0] seg_seq_reg = 32'd0, seg_ack_reg = 32'd0;
reg [7:0] seg_flags_reg = 8'd0;
reg [15:0] seg_win_reg = 16'd0;
reg seg_mss_valid_reg = 1'b0;
reg [15:0] seg_mss_reg = 16'd0, seg_len_reg = 16'd0;
reg [31:0] seg_isn_reg = 32'd0;

// the command of the running job
reg [3:0] cmd_op_reg = 4'd0;
reg [15:0] cmd_lport_reg = 16'd0, cmd_rport_reg = 16'd0;
reg [31:0] cmd_rip_reg = 32'd0;
reg [47:0] cmd_rmac_reg = 48'd0;
reg [31:0] cmd_isn_reg = 32'd0;
reg [3:0] fx_state_reg = 4'd0;
reg [31:0] fx_iss_reg = 32'd0, fx_irs_reg = 32'd0, fx_una_reg = 32'd0;
reg [31:0] fx_nxt_reg = 32'd0, fx_rcv_nxt_reg = 32'd0;
reg [15:0] fx_wnd_reg = 16'd0, fx_mss_reg = 16'd0;
reg fx_passive_reg = 1'b0, fx_cbu_reg = 1'b0, fx_wr_shut_reg = 1'b0;

// the TCB of the running job
reg [TCB_W_-1:0] tcb_reg = {TCB_W_{1'b0}};
reg tcb_valid_reg = 1'b0;
reg [ID_W-1:0] tcb_id_reg = {ID_W{1'b0}};
// the lookup of the running job hit (its TCB is being read)
reg lk_hit_reg = 1'b0;
reg id_ok_reg = 1'b0;
reg floor_valid_reg = 1'b0;
reg [31:0] floor_reg = 32'd0;

reg [15:0] ip_id_reg = 16'd0;

// Stage W: the step's results, registered at the end of STEP and acted on
// in WB (the TCB written back, the table and the allocator changed, the
// FIFOs pushed, the counters counted), so the decision ends at flip-flops
// and none of those wide, far-spread consumers hangs behind it. The TCB
// and the outputs below; the pushed FIFO words with the FIFOs.
reg w_again = 1'b0, w_out_valid = 1'b0;
reg w_we = 1'b0, w_live = 1'b0, w_create = 1'b0, w_delete = 1'b0;
reg [ID_W-1:0] w_addr = {ID_W{1'b0}};
reg [TCB_W_-1:0] w_tcb = {TCB_W_{1'b0}};
reg w_floor_valid = 1'b0;
reg [31:0] w_floor = 32'd0;
reg w_pin_consume = 1'b0;
reg w_tx_valid = 1'b0, w_tx_rst = 1'b0;
reg [2:0] w_ev_valid = 3'b000;
reg w_pl_valid = 1'b0;
reg w_st_dropped = 1'b0, w_st_chack = 1'b0, w_st_chack_supp = 1'b0;
reg w_st_retrans = 1'b0, w_st_table_full = 1'b0, w_st_tmr_inline = 1'b0;
reg w_cmd_done = 1'b0;
reg [3:0] w_cmd_err = 4'd0;
reg [ID_W-1:0] w_cmd_conn = {ID_W{1'b0}};

// ------------------------------------------------------------------------
// tables
// ------------------------------------------------------------------------

wire [ID_W:0] conn_limit = (cfg_max_conns >= N_CONN_32) ? N_CONN_32[ID_W:0] :
                           cfg_max_conns[ID_W:0];

// connection table
reg ct_lk_en;
// the lookup key: the segment's (ct_lk_seg) or ct_lk_key; the table hashes
// both and ct_lk_seg picks after the hash, so the segment take decision is
// not in front of the hash
reg ct_lk_seg;
reg ct_lk_void;
reg [63:0] ct_lk_key;
wire [63:0] seg_key_in = {s_seg_src_port, s_seg_src_ip, s_seg_dst_port};
wire ct_ready, ct_hit, ct_can_ins;
wire [ID_W-1:0] ct_hit_id;
reg ct_ins_en, ct_del_en;

// the table stores fingerprints: a hit names the one candidate id, and
// LKRD confirms it against the tuple in the TCB
// the key of the last lookup
reg [63:0] lk_key_reg = 64'd0;
// lookup prefetch: the next segment's lookup issued in a cycle that ends
// the sequencer's work (IDLE taking no segment, or a WB that completes
// the job and leaves the table as it was); the take in the next cycle
// then skips LKW. pf_issue: such a lookup counts; pf_ok_reg: one did last
// cycle (so the table's registers hold its result from this cycle's
// compare on)
reg pf_issue;
reg pf_ok_reg = 1'b0;

toe_conn_table #(.N_CONN(N_CONN), .ID_W(ID_W), .FP_W_SET(CT_FP_W)) conn_table (
    .clk(clk), .rst(rst),
    .hash_key(cfg_hash_key), .ready(ct_ready),
    .lk_en(ct_lk_en), .lk_void(ct_lk_void), .lk_seg(ct_lk_seg),
    .lk_key_seg(seg_key_in), .lk_key(ct_lk_key),
    .hit(ct_hit), .hit_id(ct_hit_id), .can_ins(ct_can_ins),
    .ins_en(ct_ins_en), .ins_id(al_id), .del_en(ct_del_en)
);

// listeners
reg lt_lk_en;
reg [15:0] lt_lk_port;
wire lt_ready, lt_hit, lt_can_add;
reg lt_add_en, lt_del_en;
/* verilator lint_off UNUSEDSIGNAL */ wire [$clog2(N_LISTEN+1)-1:0] lt_count; /* verilator lint_on UNUSEDSIGNAL */

toe_listen_table #(.N_LISTEN(N_LISTEN)) listen_table (
    .clk(clk), .rst(rst), .ready(lt_ready), .limit(cfg_max_listeners),
    .lk_en(lt_lk_en), .lk_port(lt_lk_port), .hit(lt_hit), .can_add(lt_can_add),
    .add_en(lt_add_en), .del_en(lt_del_en), .count(lt_count)
);

// id allocator
wire al_ready, al_avail;
wire [ID_W-1:0] al_id;
reg al_take, al_free;

toe_tcb_alloc #(.N(N_CONN), .ID_W(ID_W)) alloc (
    .clk(clk), .rst(rst), .limit(conn_limit),
    .ready(al_ready), .avail(al_avail), .id(al_id),
    .take(al_take), .free(al_free), .free_id(tcb_id_reg), .used(conns_used)
);

// TCB RAM: port A the sequencer (a read, or a write, never both at once,
// and a_rdata is not used after a write), port B the read-out (info_req;
// a read that collides with a port-A write of the same id is retried, see
// below), so it needs no old-value emulation (RW_OLD 0): 36 DP16KD at
// N_CONN 1024 on ECP5 instead of 72. It stores the TCB without its timer
// kind and deadline (`TOE_TCB_RAM_W bits, toe_tcb_layout.vh): those live
// only in the timer shadow below, which port A reads and writes alongside.
// tr_a_wdata / tr_a_rdata / tr_b_rdata are whole TCBs.
reg tr_a_en, tr_a_we;
reg [ID_W-1:0] tr_a_addr;
// Write data of the TCB RAM: the step's new TCB. A delete (and the clear
// sweep after rst) writes only the state and timer kind as 0 (CLOSED, no
// timer), the rest as it stands: every reader looks at the state first
// (the step's tcb_valid, the timer scan, the CONN_* read-out), so the
// TCB needs no clear multiplexer.
reg tr_wd_live;
wire [TCB_W_-1:0] tr_a_wdata;
wire [TCB_W_-1:0] tr_a_rdata;
reg tr_b_en;
reg [ID_W-1:0] tr_b_addr;
wire [TCB_W_-1:0] tr_b_rdata;
localparam TR_W = `TOE_TCB_RAM_W;
wire [TR_W-1:0] tr_a_rword, tr_b_rword;

toe_tcb_ram #(.DEPTH(N_CONN), .WIDTH(TR_W), .ADDR_W(ID_W), .RW_OLD(0)) tcb_ram (
    .clk(clk),
    .a_en(tr_a_en), .a_we(tr_a_we), .a_addr(tr_a_addr),
    .a_wdata(tcb_ram_word(tr_a_wdata)),
    .a_rdata(tr_a_rword),
    .b_en(tr_b_en), .b_addr(tr_b_addr), .b_rdata(tr_b_rword)
);

// ------------------------------------------------------------------------
// timer scanner and its job queue
// ------------------------------------------------------------------------

reg [ID_W-1:0] scan_addr_reg = {ID_W{1'b0}};
reg [ID_W-1:0] scan_id_d_reg = {ID_W{1'b0}};
reg scan_vld_d_reg = 1'b0;
reg info_d_reg = 1'b0;
reg [15:0] info_id_d_reg = 16'd0;

// Timer shadow: the fields the scanner reads (state, timer kind, deadline).
// Port A is the TCB RAM's port A (the same reads and writes, same address:
// the timer kind and deadline are stored here only), port B the scanner.
// The scanner sees the old value of a word port A writes in the cycle it
// reads it, as it always has; the block RAM does not promise that (RW_OLD
// 0: with RW_OLD 1 and two read ports Yosys doubles the RAM, 8 DP16KD
// instead of 4), so the core supplies it: sh_cur_* remember the shadow word
// of the id port A last read or wrote, which is the old value of every
// write but a create, and a create's id is free (state CLOSED, no timer:
// deletes and the clear sweep write those). Checked against the RAM model's
// own old value in simulation (below).
localparam SH_W = 4 + 2 + TCB_TIME_W;
/* verilator lint_off UNUSEDSIGNAL */
// the state is also in the TCB RAM word, which the step reads
wire [SH_W-1:0] sh_a_rdata;
/* verilator lint_on UNUSEDSIGNAL */
wire [SH_W-1:0] sh_b_rdata;
reg sh_b_en;
wire [SH_W-1:0] sh_a_wdata = {tr_a_wdata[TCB_DEADLINE +: TCB_TIME_W], tr_a_wdata[TCB_TMR +: 2],
                              tr_a_wdata[TCB_STATE +: 4]};

// The old value of a word port A writes while the scanner reads it.
// sh_cur_* hold the shadow word of the id port A last read (LKRD after a
// hit, IDRD) or wrote (the clear sweep, a step's write), i.e. that id's
// current word; set by sequencer state and the registered write of WB. A
// collision is a write in WB (w_we, at w_addr: registers, not the step's
// decision) at the id the scanner reads. An id port A has not touched
// since it was last written is either sh_cur_id or free (state CLOSED, no
// timer: what deletes and the sweep write; a create writes a free id), and
// the scanner looks at nothing else of a free id.
reg [ID_W-1:0] sh_cur_id = {ID_W{1'b0}};
reg [SH_W-1:0] sh_cur_val = {SH_W{1'b0}};
reg sc_coll_reg = 1'b0;
reg [SH_W-1:0] sc_old_reg = {SH_W{1'b0}};
wire sc_coll = sh_b_en && sq_reg == SQ_WB && w_we && w_addr == scan_addr_reg;

// (sh_cur_* and sc_*_reg are set below, after the step's signals)

toe_tcb_ram #(.DEPTH(N_CONN), .WIDTH(SH_W), .ADDR_W(ID_W), .RW_OLD(0)) tmr_shadow (
    .clk(clk),
    .a_en(tr_a_en), .a_we(tr_a_we), .a_addr(tr_a_addr),
    .a_wdata(sh_a_wdata),
    .a_rdata(sh_a_rdata),
    .b_en(sh_b_en), .b_addr(scan_addr_reg), .b_rdata(sh_b_rdata)
);

assign tr_a_rdata = tcb_join(tr_a_rword, sh_a_rdata[5:4], sh_a_rdata[6 +: TCB_TIME_W]);
// the read-out has no timer fields (the CONN_* registers show neither)
assign tr_b_rdata = tcb_join(tr_b_rword, TMR_NONE, {TCB_TIME_W{1'b0}});

wire [SH_W-1:0] sc_word = sc_coll_reg ? sc_old_reg : sh_b_rdata;
wire [3:0] sc_state = sc_word[3:0];
wire [1:0] sc_tmr = sc_word[5:4];
wire [TCB_TIME_W-1:0] sc_deadline = sc_word[6 +: TCB_TIME_W];
// deadline <= now on the modular stamps, as toe_tcp_fsm's c_tmr_due
wire [TCB_TIME_W-1:0] sc_late = now[TCB_TIME_W-1:0] - sc_deadline;
wire sc_due = scan_vld_d_reg && !scan_restart && sc_state != TOE_ST_CLOSED &&
              sc_tmr != TMR_NONE && !sc_late[TCB_TIME_W-1];

wire tq_push;
wire [2:0] tq_space;
wire tq_valid;
reg tq_pop;
wire [ID_W-1:0] tq_id;
/* verilator lint_off UNUSEDSIGNAL */ wire [2:0] tq_count; /* verilator lint_on UNUSEDSIGNAL */

assign tq_push = sc_due && tq_space != 3'd0;

toe_tcb_fifo #(.WIDTH(ID_W), .DEPTH_LOG2(2), .NPUSH(1)) timer_queue (
    .clk(clk), .rst(rst),
    .push_valid(tq_push), .push_data(scan_id_d_reg), .space(tq_space),
    .m_valid(tq_valid), .m_ready(tq_pop), .m_data(tq_id), .count(tq_count)
);

wire [ID_W:0] scan_next = {1'b0, scan_addr_reg} + 1'b1;
wire scan_wrap = scan_next >= conn_limit;

// The read-out reads port B of the TCB RAM. A read that may collide with a
// port-A write of the same id (undefined data on block RAM) is issued again
// in the next cycle (info_retry_reg), so the snapshot is the word after
// that write; the CSR block waits for info_valid. "May": port A writes only
// in INIT (the clear sweep, at clr_reg) and in WB (at w_addr, the step's
// registered write address, when w_we), so the check reads registers only,
// never the step's decision. The scanner still pauses in the cycle
// of an info_req, as when the two shared the port (the differential
// harness's timer phase counts those cycles).
reg info_retry_reg = 1'b0;
reg [15:0] info_retry_id_reg = 16'd0;
wire info_rd = info_req || info_retry_reg;
wire [15:0] info_rd_id = info_req ? info_id : info_retry_id_reg;
wire info_coll = info_rd &&
    ((sq_reg == SQ_INIT && clr_reg == info_rd_id[ID_W-1:0]) ||
     (sq_reg == SQ_WB && w_we && w_addr == info_rd_id[ID_W-1:0]));

always @* begin
    tr_b_en = info_rd;
    tr_b_addr = info_rd_id[ID_W-1:0];
    sh_b_en = sq_reg != SQ_INIT && !info_req && !scan_rewind && !scan_restart;
end

// the scanner re-reads an id whose timer is due while the queue is full
wire scan_rewind = sc_due && tq_space == 3'd0;

always @(posedge clk) begin
    scan_vld_d_reg <= 1'b0;
    info_d_reg <= info_rd && !info_coll;
    info_retry_reg <= info_coll;
    if (info_rd) begin
        info_id_d_reg <= info_rd_id;
        info_retry_id_reg <= info_rd_id;
    end
    if (scan_restart) begin
        scan_addr_reg <= {ID_W{1'b0}};
    end else if (scan_rewind) begin
        // drop the read under way, read the due one again
        scan_addr_reg <= scan_id_d_reg;
    end else if (!info_req && sq_reg != SQ_INIT) begin
        // a read of scan_addr is under way
        scan_vld_d_reg <= 1'b1;
        scan_id_d_reg <= scan_addr_reg;
        if (scan_wrap) begin
            scan_addr_reg <= {ID_W{1'b0}};
            scan_passes <= scan_passes + 1'b1;
        end else begin
            scan_addr_reg <= scan_next[ID_W-1:0];
        end
    end

    if (rst) begin
        scan_addr_reg <= {ID_W{1'b0}};
        scan_vld_d_reg <= 1'b0;
        info_d_reg <= 1'b0;
        info_retry_reg <= 1'b0;
        scan_passes <= 32'd0;
    end
end

// read-out: the word read by port B for info_id
wire [15:0] b_peer_mss = tr_b_rdata[TCB_PEER_MSS +: 16];
wire [15:0] mss_local = cfg_mtu - 16'd40;
always @(posedge clk) begin
    info_valid <= info_d_reg;
    if (info_d_reg) begin
        info_state <= ({16'd0, info_id_d_reg} < N_CONN_32) ? tr_b_rdata[TCB_STATE +: 4] :
                      TOE_ST_CLOSED;
        info_passive <= tr_b_rdata[TCB_PASSIVE];
        info_cbu <= tr_b_rdata[TCB_CBU];
        info_wr_shut <= tr_b_rdata[TCB_WR_SHUT];
        info_local_port <= tr_b_rdata[TCB_LPORT +: 16];
        info_remote_ip <= tr_b_rdata[TCB_RIP +: 32];
        info_remote_port <= tr_b_rdata[TCB_RPORT +: 16];
        info_remote_mac <= tr_b_rdata[TCB_RMAC +: 48];
        info_iss <= tr_b_rdata[TCB_ISS +: 32];
        info_irs <= tr_b_rdata[TCB_IRS +: 32];
        info_snd_una <= tr_b_rdata[TCB_SND_UNA +: 32];
        info_snd_nxt <= tr_b_rdata[TCB_SND_NXT +: 32];
        info_snd_wnd <= tr_b_rdata[TCB_SND_WND +: 16];
        info_max_snd_wnd <= tr_b_rdata[TCB_MAX_WND +: 16];
        info_rcv_nxt <= tr_b_rdata[TCB_RCV_NXT +: 32];
        info_peer_mss <= b_peer_mss;
        info_eff_mss <= (b_peer_mss < mss_local) ? b_peer_mss : mss_local;
        info_retransmits <= tr_b_rdata[TCB_RETRANS +: 32];
    end
    if (rst) begin
        info_valid <= 1'b0;
    end
end

// ------------------------------------------------------------------------
// the decision
// ------------------------------------------------------------------------

// The step works on the TCB register only: every TCB read (after a lookup
// hit in LKRD, by id in IDRD) is registered before the step, so the block
// RAM's clock-to-out is not on the step's path and no 713-bit multiplexer
// chooses between the RAM output and the register.
wire [TCB_W_-1:0] step_tcb = tcb_reg;
wire step_tcb_valid = tcb_valid_reg;

wire f_again, f_out_valid, f_do_write, f_do_delete, f_do_create, f_pin_consume;
wire f_floor_valid;
wire [31:0] f_floor;
wire [TCB_W_-1:0] f_tcb;
// state [3:0] and timer kind [5:4] are the word's low 6 bits (layout)
assign tr_a_wdata = {w_tcb[TCB_W_-1:TCB_TMR + 2],
                     tr_wd_live ? w_tcb[TCB_TMR + 1:0] : 6'd0};
wire f_tx_valid, f_tx_to_seg, f_tx_conn_valid;
wire [7:0] f_tx_flags;
wire [31:0] f_tx_seq, f_tx_ack;
wire [ID_W-1:0] f_tx_conn;
wire [2:0] f_ev_valid, f_ev_type0, f_ev_type1, f_ev_type2;
wire [ID_W-1:0] f_ev_conn;
wire [15:0] f_ev_arg1;
wire f_pl_valid, f_pl_deliver;
wire [15:0] f_pl_off, f_pl_len;
wire f_st_dropped, f_st_chack, f_st_chack_supp, f_st_retrans, f_st_table_full;
wire f_st_tmr_inline;
wire f_cmd_done;
wire [3:0] f_cmd_err;
wire [ID_W-1:0] f_cmd_conn;

toe_tcp_fsm #(.ID_W(ID_W)) fsm (
    .clk(clk), .pre_en(sq_reg == SQ_PRE),
    .job(job_reg), .now(now_reg),
    .tcb_valid(step_tcb_valid), .tcb_id(tcb_id_reg), .tcb(step_tcb),
    .seg_src_mac(seg_src_mac_reg), .seg_src_ip(seg_src_ip_reg),
    .seg_dst_ip(seg_dst_ip_reg), .seg_src_port(seg_src_port_reg),
    .seg_dst_port(seg_dst_port_reg), .seg_seq(seg_seq_reg), .seg_ack(seg_ack_reg),
    .seg_flags(seg_flags_reg), .seg_win(seg_win_reg),
    .seg_mss_valid(seg_mss_valid_reg), .seg_mss(seg_mss_reg), .seg_len(seg_len_reg),
    .seg_isn(seg_isn_reg), .listen_hit(lt_hit),
    .cmd_lport(cmd_lport_reg), .cmd_rip(cmd_rip_reg), .cmd_rport(cmd_rport_reg),
    .cmd_rmac(cmd_rmac_reg), .cmd_isn(cmd_isn_reg),
    .fx_state(fx_state_reg), .fx_iss(fx_iss_reg), .fx_irs(fx_irs_reg),
    .fx_snd_una(fx_una_reg), .fx_snd_nxt(fx_nxt_reg), .fx_snd_wnd(fx_wnd_reg),
    .fx_rcv_nxt(fx_rcv_nxt_reg), .fx_peer_mss(fx_mss_reg),
    .fx_passive(fx_passive_reg), .fx_cbu(fx_cbu_reg), .fx_wr_shut(fx_wr_shut_reg),
    .new_ok(al_avail && ct_can_ins), .new_id(al_id),
    .floor_valid(floor_valid_reg), .floor(floor_reg),
    .pin_valid(cfg_isn_pin_valid), .pin_isn(cfg_isn_pin),
    .rx_ready(rx_ready),
    .cfg_local_ip(cfg_local_ip), .cfg_rcv_wnd(cfg_rcv_wnd),
    .cfg_rto_init(cfg_rto_init), .cfg_rto_max(cfg_rto_max),
    .cfg_syn_giveup(cfg_syn_giveup), .cfg_synack_giveup(cfg_synack_giveup),
    .cfg_fin_giveup(cfg_fin_giveup), .cfg_msl(cfg_msl),
    .cfg_ca_limit(cfg_ca_limit), .cfg_ca_window(cfg_ca_window),
    .again(f_again), .out_valid(f_out_valid), .tcb_out(f_tcb),
    .do_write(f_do_write), .do_delete(f_do_delete), .do_create(f_do_create),
    .pin_consume(f_pin_consume),
    .floor_out_valid(f_floor_valid), .floor_out(f_floor),
    .tx_valid(f_tx_valid), .tx_flags(f_tx_flags), .tx_seq(f_tx_seq), .tx_ack(f_tx_ack),
    .tx_to_seg(f_tx_to_seg), .tx_conn_valid(f_tx_conn_valid), .tx_conn(f_tx_conn),
    .ev_valid(f_ev_valid), .ev_type0(f_ev_type0), .ev_type1(f_ev_type1),
    .ev_type2(f_ev_type2), .ev_conn(f_ev_conn), .ev_arg1(f_ev_arg1),
    .pl_valid(f_pl_valid), .pl_deliver(f_pl_deliver), .pl_off(f_pl_off),
    .pl_len(f_pl_len),
    .st_dropped(f_st_dropped), .st_chack(f_st_chack), .st_chack_supp(f_st_chack_supp),
    .st_retrans(f_st_retrans), .st_table_full(f_st_table_full),
    .st_tmr_inline(f_st_tmr_inline),
    .cmd_done(f_cmd_done), .cmd_err(f_cmd_err), .cmd_conn(f_cmd_conn)
);

// ------------------------------------------------------------------------
// output FIFOs
// ------------------------------------------------------------------------

// transmit descriptor, as the reference's toe_ref_out plus the MACs
localparam TXD_W = 1 + 16 + 48 + 48 + 32 + 32 + 16 + 16 + 32 + 32 + 8 + 16 + 1 + 16 + 16 + 8 + 1;
wire [15:0] f_tx_win = f_tx_flags[2] ? 16'd0 :
                       (f_tx_flags[1] && !f_tx_flags[4] && cfg_syn_wnd != 16'd0) ? cfg_syn_wnd :
                       cfg_rcv_wnd;
wire [TXD_W-1:0] txd_in = {
    f_tx_conn_valid, {{(16 - ID_W){1'b0}}, f_tx_conn},
    f_tx_to_seg ? seg_src_mac_reg : f_tcb[TCB_RMAC +: 48],
    cfg_local_mac,
    f_tx_to_seg ? seg_dst_ip_reg : cfg_local_ip,
    f_tx_to_seg ? seg_src_ip_reg : f_tcb[TCB_RIP +: 32],
    f_tx_to_seg ? seg_dst_port_reg : f_tcb[TCB_LPORT +: 16],
    f_tx_to_seg ? seg_src_port_reg : f_tcb[TCB_RPORT +: 16],
    f_tx_seq, f_tx_ack, f_tx_flags, f_tx_win,
    f_tx_flags[1], mss_local,
    ip_id_reg, cfg_ttl, cfg_df
};
reg [TXD_W-1:0] w_txd = {TXD_W{1'b0}};
wire [TXD_W-1:0] txd_out;
reg txq_push;
wire [TX_FIFO_LOG2:0] txq_space;
/* verilator lint_off UNUSEDSIGNAL */ wire [TX_FIFO_LOG2:0] txq_count; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_fifo #(.WIDTH(TXD_W), .DEPTH_LOG2(TX_FIFO_LOG2), .NPUSH(1), .BYPASS(1)) tx_queue (
    .clk(clk), .rst(rst),
    .push_valid(txq_push), .push_data(w_txd), .space(txq_space),
    .m_valid(m_tx_valid), .m_ready(m_tx_ready), .m_data(txd_out), .count(txq_count)
);

assign {m_tx_conn_valid, m_tx_conn, m_tx_dst_mac, m_tx_src_mac, m_tx_src_ip,
        m_tx_dst_ip, m_tx_src_port, m_tx_dst_port, m_tx_seq, m_tx_ack, m_tx_flags,
        m_tx_win, m_tx_mss_valid, m_tx_mss, m_tx_ip_id, m_tx_ttl, m_tx_df} = txd_out;

// events: {type, conn, arg}
localparam EVD_W = 3 + 16 + 16;
wire [15:0] f_ev_conn16 = {{(16 - ID_W){1'b0}}, f_ev_conn};
reg [2:0] evq_push;
wire [3*EVD_W-1:0] evd_in = {{f_ev_type2, f_ev_conn16, 16'd0},
                             {f_ev_type1, f_ev_conn16, f_ev_arg1},
                             {f_ev_type0, f_ev_conn16, 16'd0}};
reg [3*EVD_W-1:0] w_evd = {(3*EVD_W){1'b0}};
wire [EVD_W-1:0] evd_out;
wire [EV_FIFO_LOG2:0] evq_space;
/* verilator lint_off UNUSEDSIGNAL */ wire [EV_FIFO_LOG2:0] evq_count; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_fifo #(.WIDTH(EVD_W), .DEPTH_LOG2(EV_FIFO_LOG2), .NPUSH(3)) ev_queue (
    .clk(clk), .rst(rst),
    .push_valid(evq_push), .push_data(w_evd), .space(evq_space),
    .m_valid(m_ev_valid), .m_ready(m_ev_ready), .m_data(evd_out), .count(evq_count)
);

assign {m_ev_type, m_ev_conn, m_ev_arg} = evd_out;

// payload decisions: {deliver, conn, off, len}
localparam PLD_W = 1 + 16 + 16 + 16;
reg plq_push;
reg [PLD_W-1:0] w_pld = {PLD_W{1'b0}};
wire [PLD_W-1:0] pld_out;
wire [PL_FIFO_LOG2:0] plq_space;
/* verilator lint_off UNUSEDSIGNAL */ wire [PL_FIFO_LOG2:0] plq_count; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_fifo #(.WIDTH(PLD_W), .DEPTH_LOG2(PL_FIFO_LOG2), .NPUSH(1), .BYPASS(1)) pl_queue (
    .clk(clk), .rst(rst),
    .push_valid(plq_push),
    .push_data(w_pld),
    .space(plq_space),
    .m_valid(m_pl_valid), .m_ready(m_pl_ready), .m_data(pld_out), .count(plq_count)
);

assign {m_pl_deliver, m_pl_conn, m_pl_off, m_pl_len} = pld_out;

// ------------------------------------------------------------------------
// sequencer
// ------------------------------------------------------------------------

// a step may push one descriptor, three events and one decision; it also
// needs the allocator settled (its offer is part of the decision)
wire step_room = txq_space != {(TX_FIFO_LOG2+1){1'b0}} &&
                 evq_space >= 3 &&
                 plq_space != {(PL_FIFO_LOG2+1){1'b0}} &&
                 al_ready;
wire step_go = sq_reg == SQ_STEP && step_room;

// the timer shadow's old-value bookkeeping (see the shadow above)
always @(posedge clk) begin
    if ((sq_reg == SQ_LKRD && lk_hit_reg) || sq_reg == SQ_IDRD) begin
        sh_cur_id <= tcb_id_reg;
        sh_cur_val <= sh_a_rdata;
    end
    // port A's writes, with their addresses named by state (not through
    // tr_a_addr, whose LK arm is the table's fresh hit id)
    if (sq_reg == SQ_INIT) begin
        sh_cur_id <= clr_reg;
        sh_cur_val <= sh_a_wdata;
    end
    if (sq_reg == SQ_WB && w_we) begin
        sh_cur_id <= w_addr;
        sh_cur_val <= sh_a_wdata;
    end
    sc_coll_reg <= sc_coll;
    sc_old_reg <= (sh_cur_id == scan_addr_reg) ? sh_cur_val : {SH_W{1'b0}};
end

wire seg_take = sq_reg == SQ_IDLE && s_seg_valid;
wire cmd_take = sq_reg == SQ_IDLE && !s_seg_valid && cmd_valid;
wire tmr_take = sq_reg == SQ_IDLE && !s_seg_valid && !cmd_valid && tq_valid;

assign s_seg_ready = sq_reg == SQ_IDLE;
assign cmd_ready = sq_reg == SQ_IDLE && !s_seg_valid;
assign idle = sq_reg == SQ_IDLE && !tq_valid;
assign isn_pin_consume = sq_reg == SQ_WB && w_pin_consume;

assign isn_req_valid = sq_reg == SQ_ISN;
assign isn_req_local_port = cmd_lport_reg;
assign isn_req_remote_ip = cmd_rip_reg;
assign isn_req_remote_port = cmd_rport_reg;

wire [63:0] cmd_key_reg = {cmd_rport_reg, cmd_rip_reg, cmd_lport_reg};

always @* begin
    sq_next = sq_reg;
    clr_next = clr_reg;
    job_next = job_reg;
    now_next = now_reg;

    ct_lk_en = 1'b0;
    ct_lk_seg = 1'b0;
    ct_lk_void = 1'b0;
    // the prefetch key unless a state names another (IDLE's segment take
    // uses the segment's, chosen by ct_lk_seg after the hash)
    ct_lk_key = s_pf_key;
    pf_issue = 1'b0;
    ct_ins_en = 1'b0;
    ct_del_en = 1'b0;
    lt_lk_en = 1'b0;
    lt_lk_port = s_seg_dst_port;
    lt_add_en = 1'b0;
    lt_del_en = 1'b0;
    al_take = 1'b0;
    al_free = 1'b0;
    tr_a_en = 1'b0;
    tr_a_we = 1'b0;
    tr_a_addr = {ID_W{1'b0}};
    tr_wd_live = 1'b0;
    tq_pop = 1'b0;
    txq_push = 1'b0;
    evq_push = 3'b000;
    plq_push = 1'b0;

    case (sq_reg)
        SQ_INIT: begin
            // zero every TCB (state CLOSED), one per cycle
            tr_a_en = 1'b1;
            tr_a_we = 1'b1;
            tr_a_addr = clr_reg;
            clr_next = clr_reg + 1'b1;
            if (clr_reg == {ID_W{1'b1}}) begin
                clr_next = clr_reg;
            end
            if (clr_reg == {ID_W{1'b1}} && ct_ready && lt_ready && al_ready) begin
                sq_next = SQ_IDLE;
            end
        end
        SQ_IDLE: begin
            now_next = now;
            if (seg_take) begin
                job_next = JOB_SEG;
                lt_lk_en = 1'b1;
                if (pf_ok_reg) begin
                    // looked up last cycle (prefetch): compared now, the
                    // hit is registered for LK
                    sq_next = SQ_LK;
                end else begin
                    ct_lk_en = 1'b1;
                    ct_lk_seg = 1'b1;
                    sq_next = SQ_LKW;
                end
            end else if (cmd_take) begin
                lt_lk_port = cmd_local_port;
                case (cmd_op)
                    {1'b0, TOE_CMD_LISTEN}, {1'b0, TOE_CMD_UNLISTEN}: begin
                        lt_lk_en = 1'b1;
                        sq_next = SQ_LST;
                    end
                    {1'b0, TOE_CMD_CONNECT}: begin
                        job_next = JOB_CONNECT;
                        sq_next = SQ_ISN;
                    end
                    CMD_FIXTURE: begin
                        job_next = JOB_FIXTURE;
                        sq_next = SQ_FXLK;
                    end
                    {1'b0, TOE_CMD_CLOSE}, {1'b0, TOE_CMD_SHUTDOWN}, {1'b0, TOE_CMD_ABORT}: begin
                        job_next = (cmd_op == {1'b0, TOE_CMD_CLOSE}) ? JOB_CLOSE :
                                   (cmd_op == {1'b0, TOE_CMD_SHUTDOWN}) ? JOB_SHUT :
                                   JOB_ABORT;
                        tr_a_en = 1'b1;
                        tr_a_addr = cmd_conn[ID_W-1:0];
                        sq_next = SQ_IDRD;
                    end
                    default: begin
                        // unknown op: answered at once (EINVAL)
                    end
                endcase
            end else if (tmr_take) begin
                job_next = JOB_TMR;
                tq_pop = 1'b1;
                tr_a_en = 1'b1;
                tr_a_addr = tq_id;
                sq_next = SQ_IDRD;
            end
            if (!seg_take) begin
                // no segment taken: look the next one up (prefetch),
                // whatever else is taken now
                ct_lk_en = s_pf_valid;
                pf_issue = s_pf_valid;
            end
        end
        SQ_FXLK: begin
            ct_lk_en = 1'b1;
            ct_lk_key = cmd_key_reg;
            sq_next = SQ_LKW;
        end
        SQ_LKW: begin
            sq_next = SQ_LK;
        end
        SQ_LK: begin
            // the table's hit comes from its registers (2 cycles after the
            // lookup): no block-RAM output or compare in front of this
            // address
            if (ct_hit) begin
                tr_a_en = 1'b1;
                tr_a_addr = ct_hit_id;
            end
            sq_next = SQ_LKRD;
        end
        SQ_LKRD: begin
            sq_next = SQ_PRE;
        end
        SQ_IDRD: begin
            ct_lk_en = 1'b1;
            ct_lk_key = tr_a_rdata[TCB_KEY +: 64];
            sq_next = SQ_PRE;
        end
        SQ_PRE: begin
            // the allocator's offer is part of what P samples (new_ok)
            if (al_ready) begin
                sq_next = SQ_STEP;
            end
        end
        SQ_ISN: begin
            // the tuple is looked up while its ISN is computed (the
            // table's registers hold the result from two cycles on; the
            // response takes at least one, and nothing else uses the
            // table meanwhile)
            ct_lk_en = 1'b1;
            ct_lk_key = cmd_key_reg;
            if (isn_req_ready) begin
                sq_next = SQ_ISNW;
            end
        end
        SQ_ISNW: begin
            if (isn_rsp_valid) begin
                sq_next = SQ_LK;
            end
        end
        SQ_LST: begin
            // the bitmap's word is on the block RAM's output: the listen
            // table registers it, its hit is valid in LSTW
            sq_next = SQ_LSTW;
        end
        SQ_LSTW: begin
            if (cmd_op_reg == {1'b0, TOE_CMD_LISTEN}) begin
                if (cmd_lport_reg != 16'd0 && !lt_hit && lt_can_add) begin
                    lt_add_en = 1'b1;
                end
            end else if (lt_hit) begin
                lt_del_en = 1'b1;
            end
            sq_next = SQ_IDLE;
        end
        SQ_STEP: begin
            // the decision is registered (stage W, below); room for its
            // outputs is checked here, nothing else pushes meanwhile
            if (step_room) begin
                sq_next = SQ_WB;
            end
        end
        SQ_WB: begin
            // write the TCB back / delete it / create one
            tr_a_addr = w_addr;
            if (w_we) begin
                tr_a_en = 1'b1;
                tr_a_we = 1'b1;
                tr_wd_live = w_live;
            end
            ct_ins_en = w_create;
            ct_del_en = w_delete;
            al_take = w_create;
            al_free = w_delete;
            txq_push = w_tx_valid;
            evq_push = w_ev_valid;
            plq_push = w_pl_valid;
            sq_next = w_again ? SQ_PRE : SQ_IDLE;
            // prefetch: read the table for the next segment now; the
            // table does not take it (its registers stay this job's)
            // unless this cycle ends the job without touching the table
            ct_lk_en = s_pf_valid;
            ct_lk_void = w_again;
            pf_issue = s_pf_valid && !w_again && !w_create && !w_delete;
        end
        default: begin
            sq_next = SQ_IDLE;
        end
    endcase
end

always @(posedge clk) begin
    sq_reg <= sq_next;
    clr_reg <= clr_next;
    pf_ok_reg <= pf_issue;
    if (ct_lk_en) begin
        // (a voided prefetch leaves it: LKRD of the current job is past,
        // and the next job's lookup sets it again)
        if (!ct_lk_void) begin
            lk_key_reg <= ct_lk_seg ? seg_key_in : ct_lk_key;
        end
    end
    job_reg <= job_next;
    now_reg <= now_next;

    cmd_rsp_valid <= 1'b0;

    if (seg_take) begin
        seg_src_mac_reg <= s_seg_src_mac;
        seg_src_ip_reg <= s_seg_src_ip;
        seg_dst_ip_reg <= s_seg_dst_ip;
        seg_src_port_reg <= s_seg_src_port;
        seg_dst_port_reg <= s_seg_dst_port;
        seg_seq_reg <= s_seg_seq;
        seg_ack_reg <= s_seg_ack;
        seg_flags_reg <= s_seg_flags;
        seg_win_reg <= s_seg_win;
        seg_mss_valid_reg <= s_seg_mss_valid;
        seg_mss_reg <= s_seg_mss;
        seg_len_reg <= s_seg_len;
        seg_isn_reg <= s_seg_isn;
        floor_valid_reg <= 1'b0;
        stat_segs_in <= stat_segs_in + 1'b1;
    end
    if (cmd_take) begin
        cmd_op_reg <= cmd_op;
        cmd_lport_reg <= cmd_local_port;
        cmd_rport_reg <= cmd_remote_port;
        cmd_rip_reg <= cmd_remote_ip;
        cmd_rmac_reg <= cmd_remote_mac;
        fx_state_reg <= cmd_fx_state;
        fx_iss_reg <= cmd_fx_iss;
        fx_irs_reg <= cmd_fx_irs;
        fx_una_reg <= cmd_fx_snd_una;
        fx_nxt_reg <= cmd_fx_snd_nxt;
        fx_wnd_reg <= cmd_fx_snd_wnd;
        fx_rcv_nxt_reg <= cmd_fx_rcv_nxt;
        fx_mss_reg <= cmd_fx_peer_mss;
        fx_passive_reg <= cmd_fx_passive;
        fx_cbu_reg <= cmd_fx_cbu;
        fx_wr_shut_reg <= cmd_fx_wr_shut;
        floor_valid_reg <= 1'b0;
        tcb_id_reg <= cmd_conn[ID_W-1:0];
        id_ok_reg <= {16'd0, cmd_conn} < {{(31 - ID_W){1'b0}}, conn_limit};
        if (cmd_op == 4'd0 || cmd_op > CMD_FIXTURE) begin
            cmd_rsp_valid <= 1'b1;
            cmd_rsp_err <= TOE_CMD_EINVAL;
            cmd_rsp_conn <= 16'd0;
        end
    end
    if (tmr_take) begin
        tcb_id_reg <= tq_id;
        id_ok_reg <= 1'b1;
        floor_valid_reg <= 1'b0;
    end

    case (sq_reg)
        SQ_LK: begin
            lk_hit_reg <= ct_hit;
            tcb_valid_reg <= 1'b0;
            if (ct_hit) begin
                tcb_id_reg <= ct_hit_id;
            end
        end
        SQ_LKRD: begin
            // the TCB after a table hit is the job's connection only if
            // its tuple is the looked-up one (the table compares
            // fingerprints, see toe_conn_table); if not, the job sees no
            // connection and the table refuses an insert
            tcb_reg <= tr_a_rdata;
            tcb_valid_reg <= lk_hit_reg && tr_a_rdata[TCB_STATE +: 4] != TOE_ST_CLOSED &&
                             tr_a_rdata[TCB_KEY +: 64] == lk_key_reg;
        end
        SQ_IDRD: begin
            tcb_reg <= tr_a_rdata;
            tcb_valid_reg <= id_ok_reg && tr_a_rdata[TCB_STATE +: 4] != TOE_ST_CLOSED;
        end
        SQ_ISNW: begin
            if (isn_rsp_valid) begin
                cmd_isn_reg <= isn_rsp_isn;
            end
        end
        SQ_LSTW: begin
            cmd_rsp_valid <= 1'b1;
            cmd_rsp_conn <= 16'd0;
            if (cmd_op_reg == {1'b0, TOE_CMD_LISTEN}) begin
                cmd_rsp_err <= (cmd_lport_reg == 16'd0) ? TOE_CMD_EINVAL :
                               lt_hit ? TOE_CMD_EADDRINUSE :
                               !lt_can_add ? TOE_CMD_ENOMEM : TOE_CMD_OK;
            end else begin
                cmd_rsp_err <= lt_hit ? TOE_CMD_OK : TOE_CMD_ENOTCONN;
            end
        end
        SQ_STEP: begin
            if (step_room) begin
                // stage W: the decision registered
                w_again <= f_again;
                w_out_valid <= f_out_valid;
                w_we <= f_do_write || f_do_delete || f_do_create;
                w_live <= !f_do_delete;
                w_create <= f_do_create;
                w_delete <= f_do_delete;
                // a step creates only when it has no TCB, and writes or
                // deletes only the one it has (asserted below)
                w_addr <= step_tcb_valid ? tcb_id_reg : al_id;
                w_tcb <= f_tcb;
                w_floor_valid <= f_floor_valid;
                w_floor <= f_floor;
                w_pin_consume <= f_pin_consume;
                w_tx_valid <= f_tx_valid;
                w_tx_rst <= f_tx_flags[2];
                w_txd <= txd_in;
                w_ev_valid <= f_ev_valid;
                w_evd <= evd_in;
                w_pl_valid <= f_pl_valid;
                w_pld <= {f_pl_deliver, f_ev_conn16, f_pl_off, f_pl_len};
                w_st_dropped <= f_st_dropped;
                w_st_chack <= f_st_chack;
                w_st_chack_supp <= f_st_chack_supp;
                w_st_retrans <= f_st_retrans;
                w_st_table_full <= f_st_table_full;
                w_st_tmr_inline <= f_st_tmr_inline;
                w_cmd_done <= f_cmd_done;
                w_cmd_err <= f_cmd_err;
                w_cmd_conn <= f_cmd_conn;
            end
        end
        SQ_WB: begin
            if (w_again) begin
                tcb_reg <= w_tcb;
                tcb_valid_reg <= w_out_valid;
                if (w_floor_valid) begin
                    floor_valid_reg <= 1'b1;
                    floor_reg <= w_floor;
                end
            end
            if (w_cmd_done) begin
                cmd_rsp_valid <= 1'b1;
                cmd_rsp_err <= w_cmd_err;
                cmd_rsp_conn <= (w_cmd_err == TOE_CMD_OK) ?
                                {{(16 - ID_W){1'b0}}, w_cmd_conn} : 16'd0;
            end
            if (w_tx_valid) begin
                ip_id_reg <= ip_id_reg + cfg_ip_id_step;
                stat_segs_out <= stat_segs_out + 1'b1;
                if (w_tx_rst) begin
                    stat_rst_out <= stat_rst_out + 1'b1;
                end
            end
            if (w_st_dropped) begin
                stat_dropped <= stat_dropped + 1'b1;
            end
            if (w_st_chack) begin
                stat_challenge_acks <= stat_challenge_acks + 1'b1;
            end
            if (w_st_chack_supp) begin
                stat_challenge_acks_suppressed <= stat_challenge_acks_suppressed + 1'b1;
            end
            if (w_st_retrans) begin
                stat_retransmits <= stat_retransmits + 1'b1;
            end
            if (w_st_table_full) begin
                stat_table_full <= stat_table_full + 1'b1;
            end
            if (w_st_tmr_inline) begin
                stat_timers_inline <= stat_timers_inline + 1'b1;
            end
            // w_pld = {deliver, conn, off, len}
            if (w_pl_valid && w_pld[PLD_W-1]) begin
                stat_rx_bytes <= stat_rx_bytes + {48'd0, w_pld[15:0]};
            end
        end
        default: begin
        end
    endcase

    if (cfg_ip_id_load) begin
        ip_id_reg <= cfg_ip_id_init;
    end

    if (rst) begin
        sq_reg <= SQ_INIT;
        pf_ok_reg <= 1'b0;
        clr_reg <= {ID_W{1'b0}};
        lk_hit_reg <= 1'b0;
        cmd_rsp_valid <= 1'b0;
        ip_id_reg <= cfg_ip_id_init;
        stat_segs_in <= 64'd0;
        stat_segs_out <= 64'd0;
        stat_rst_out <= 64'd0;
        stat_challenge_acks <= 64'd0;
        stat_challenge_acks_suppressed <= 64'd0;
        stat_dropped <= 64'd0;
        stat_rx_bytes <= 64'd0;
        stat_retransmits <= 64'd0;
        stat_table_full <= 64'd0;
        stat_timers_inline <= 64'd0;
    end
end

`ifndef SYNTHESIS
// a prefetched lookup is the taken segment's (toe_top_seg's m_pf_* promise)
reg [63:0] pf_key_reg = 64'd0;
always @(posedge clk) begin
    if (pf_issue) begin
        pf_key_reg <= s_pf_key;
    end
    if (!rst && seg_take && pf_ok_reg && pf_key_reg != seg_key_in) begin
        $error("%m: prefetched key %h, taken segment's %h", pf_key_reg, seg_key_in);
    end
end

// the step's TCB RAM address (w_addr, registered in STEP) is the TCB's id
// or the allocator's offer: a step creates only without a TCB
always @(posedge clk) begin
    if (!rst && step_go && ((f_do_create && step_tcb_valid) ||
                            ((f_do_write || f_do_delete) && !step_tcb_valid))) begin
        $error("%m: step creates with a TCB, or writes / deletes without one");
    end
end

// the scanner's substitute for a collided read is the word's old value (the
// RAM model returns it): the same state and timer kind, and the same
// deadline wherever the scanner looks at it
always @(posedge clk) begin
    if (!rst && sc_coll_reg &&
        (sc_old_reg[5:0] != sh_b_rdata[5:0] ||
         (sh_b_rdata[3:0] != TOE_ST_CLOSED && sh_b_rdata[5:4] != TMR_NONE &&
          sc_old_reg[6 +: TCB_TIME_W] != sh_b_rdata[6 +: TCB_TIME_W]))) begin
        $error("%m: timer shadow: the scanner's old value %h is not the RAM's %h",
               sc_old_reg, sh_b_rdata);
    end
end
`endif

endmodule

`resetall
