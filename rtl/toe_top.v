// SPDX-License-Identifier: MIT
//
// toe_top.v - the TCP offload engine: MAC receive and transmit streams,
// the in-order payload stream to the user logic, and the host bridge byte
// streams; everything else inside.
//
//  s_axis ─► [ENABLE gate] ─┬─► toe_rx_parse ─► m_hdr ─► toe_top_seg ─► s_seg ─► toe_tcb_core ─► m_tx ─► toe_tx_build ─┐
//  (MAC rx)                 │        │                   │ ISN: SipHash   ▲  │ │       │                              ├─► [frame arbiter] ─► m_axis
//                           │        │ payload           │ (early tap) ◄──┘  │ │       └─► m_pl ─┐                    │   (round robin,     (MAC tx)
//                           │        └──────────────────────────────► toe_pay_gate ◄────────────┘                    │    ENABLE gate)
//                           │                                              └──► m_pay (user logic, tdest = conn id)  │
//                           └─► toe_l2_resp (tap: ARP, ICMP echo) ───────────────────────────────────────────────────┘
//  s_host/m_host ◄─► toe_host_bridge ◄─► CSR bus ◄─► toe_csr ─► config, commands, read-out, events, counters
//  toe_top_isnclk: now (ticks since rst), M = now / (TICK_HZ / 250000)
//
// Receive: a frame goes to the parser and, as a tap that never stalls, to
// the ARP/ICMP responders (toe_l2_resp answers or drops and counts; a frame
// one of them rejects is fine). The parser stalls the input only if its
// outputs do (header queue full, payload buffer full): with 16 headers and
// 4 KiB of payload buffer (PAY_BUF_LOG2 9), not at line rate; a frame
// longer than that buffer is cut and dropped (STAT_RX_TOO_LONG). While CTRL.ENABLE is 0 every
// frame (decided at its first beat) is taken and dropped uncounted, and
// every frame to send (decided at its first beat) is dropped.
//
// Segments: toe_top_seg gives each good TCP segment the RFC 6528 ISN of
// its 4-tuple (SipHash started at beat 4 of the frame), drops what the
// parser rejected (counted by reason in STAT_PARSE_DROP, reason 14 in
// STAT_MAC_BAD), and queues payload jobs; toe_tcb_core makes the reference
// stack's decisions; toe_pay_gate applies its payload decisions, in order,
// to the buffered payload and streams delivered bytes to m_pay with the
// connection id on m_pay_tdest. rx_ready (the user can take payload) =
// m_pay_tready and room for the segment in the payload buffer: a segment
// the user cannot take is dropped unacknowledged (toe_ref_set_rx_ready).
//
// Transmit: descriptors from the core become 60-byte frames in
// toe_tx_build; they and the responders' replies share m_axis, whole frames
// at a time, round robin between the two at frame boundaries.
//
// IP IDs: TCP segments carry the core's counter (IP_ID.INIT at ENABLE
// 0 -> 1, + STEP per segment, as the reference stack's ip_id_init/step);
// ICMP echo replies carry a second counter with the same INIT and STEP (the
// n-th reply since enable: INIT + n * STEP), so a ping never shifts the TCP
// sequence and the engine stays comparable with the reference stack
// segment for segment. ARP replies have no IP header.
//
// Peer MACs: a passive connection sends to the source MAC of the SYN that
// created it; an active one to CMD_REMOTE_MAC_* given with CONNECT (the
// host resolves it). The engine answers ARP requests but never sends any:
// it does not resolve addresses itself. Segments without a connection (RST
// replies) go back to the source MAC of the segment they answer. Received
// frames are not filtered by destination MAC (the MAC's job); a segment is
// only for us if its IPv4 destination is LOCAL_IP (the core checks it).
//
// Time: `now` counts cycles from rst; the core's timers (RTO_*, MSL, ...
// in ticks) and the ISN clock use it; NOW in the register map reads it.
//
// User stream: m_pay_tready is also the "user can take payload" flag the
// core decides with (sampled 2 cycles after a segment is handed to it, so
// it must be high even while m_pay_tvalid is low): with it low, payload
// segments are dropped unacknowledged and the peer retransmits them, as
// the reference stack does after toe_ref_set_rx_ready(false).
//
// Receive stalls: s_axis_tready drops only if the parser's outputs stall:
// the header queue (16) behind the core, which waits only for its output
// FIFOs, i.e. for m_axis (MAC transmit backpressure) or, never at line
// rate, a run of back-to-back SYNs longer than the ISN pipeline can hide;
// or the payload buffer, which the gate drains at one beat a cycle.
// Timers never stall it (the core's scanner only reads). Before
// STATUS.READY (N_CONN cycles after rst) the core takes no segment: enable
// after READY.
//
// Figures (tests/rtl/test_rtl_top.c, 'make bench-top'), cycles from the
// last beat of a frame in to the first beat of its answer out, nothing
// else in flight (ns at the routed clock: docs/synthesis.md, README):
//   FIN -> ACK, SYN-ACK -> ACK (active open)        9   (parser 2, front
//                                                        end, core 5: IDLE,
//                                                        LK, LKRD, PRE, STEP;
//                                                        descriptor, builder)
//   SYN -> SYN-ACK, ISN_HR_PER_STAGE 4 (default)   11   (iterative SipHash:
//                                                        latency 6, a hash
//                                                        per 5 cycles, started
//                                                        from the tuple's
//                                                        beat; the core takes
//                                                        the SYN the cycle
//                                                        after its hash)
//   SYN with Linux's 20 option bytes -> SYN-ACK     11
//   SYN with IPv4 options (IHL 6) -> SYN-ACK       12   (its ports, and the
//                                                        hash, a beat later)
//   SYN -> SYN-ACK, ISN_HR_PER_STAGE 2             14   (ISN_ITERATE 0: the
//   SYN -> SYN-ACK, ISN_HR_PER_STAGE 1             22    pipelined unit, 9
//                                                        or 17 cycles;
//                                                        Linux's SYN 12 / 20,
//                                                        IHL 6 15 / 23)
// Back-to-back 60-byte SYNs with random tuples: one taken every 8 cycles
// (the frame length), every one answered.

`timescale 1ns / 1ps
`default_nettype none

// The TCP offload engine: MAC streams, user payload stream, host bridge.
module toe_top #(
    // connection table entries, a power of two, 16..65536
    parameter N_CONN = 1024,
    // listener table entries
    parameter N_LISTEN = 64,
    // host event FIFO depth, log2 (EV_POP): one event per connection at
    // N_CONN 1024 before any is lost
    parameter EV_DEPTH_LOG2 = 10,
    // payload buffers (in and out of the gate), log2 of 8-byte beats each;
    // frames longer than 8 * 2^PAY_BUF_LOG2 bytes are cut and dropped
    // (STAT_RX_TOO_LONG), so the largest MTU is that minus 14: 9 (the
    // default, 4 KiB: 2 + 3 DP16KD) takes the standard 1500-byte MTU with
    // room for 2.8 full segments; 11 (16 KiB, 8 + 10 DP16KD) takes 9000-byte
    // jumbo frames
    parameter PAY_BUF_LOG2 = 9,
    // ICMP echo ring, log2 of 8-byte beats (9: 4 KiB, two 1514-byte
    // requests; a request that does not fit its free space is dropped and
    // counted in L2_ICMP_BUSY)
    parameter ICMP_BUF_LOG2 = 9,
    // SipHash half-rounds per stage (1, 2, 4): ISN latency 17, 9, 5 cycles
    // pipelined, 6 iterative; 4 hides most of the hash behind a minimum-size
    // SYN; 1 and 2 need ISN_ITERATE 0
    parameter ISN_HR_PER_STAGE = 4,
    // 1: one iterative SipHash unit (latency 6, a hash per 5 cycles, a
    // quarter of the adders: one ISN per frame is all a frame needs);
    // 0: the fully pipelined one (needed for ISN_HR_PER_STAGE 1 or 2)
    parameter ISN_ITERATE = 1,
    // connection-table hash key (spreads tuples over the table's buckets;
    // a board build should set a random one)
    parameter [127:0] TABLE_HASH_KEY = 128'h0f1e2d3c4b5a69788796a5b4c3d2e1f0,
    // host bridge: words per request, byte timeout in cycles
    parameter BRIDGE_MAX_BURST = 32,
    parameter BRIDGE_TIMEOUT = 250000
) (
    input  wire        clk,
    input  wire        rst,

    // MAC receive: Ethernet frames without preamble / FCS; tuser = bad frame
    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire        s_axis_tuser,

    // MAC transmit
    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire        m_axis_tuser,

    // in-order received payload to the user logic, one packet per delivered
    // segment; m_pay_tdest = connection id, the same on every beat
    output wire [63:0] m_pay_tdata,
    output wire [7:0]  m_pay_tkeep,
    output wire        m_pay_tvalid,
    input  wire        m_pay_tready,
    output wire        m_pay_tlast,
    output wire [15:0] m_pay_tdest,

    // host bridge byte streams (docs/host-bridge.md)
    input  wire [7:0]  s_host_tdata,
    input  wire        s_host_tvalid,
    output wire        s_host_tready,
    output wire [7:0]  m_host_tdata,
    output wire        m_host_tvalid,
    input  wire        m_host_tready,
    output wire        m_host_tlast,

    // nothing in flight (no frame being parsed or sent, no segment, command
    // or timer job running, no host request or response, no event
    // notification about to go out); timers may be pending
    output wire        idle,
    // connection ids in use, any state (the CONNS_USED register; a board's
    // live-connections LED)
    output wire [$clog2(N_CONN):0] conns_used
);

localparam CONN_LOG2 = $clog2(N_CONN);

initial begin
    if (N_CONN < 16 || N_CONN > 65536 || (N_CONN & (N_CONN - 1)) != 0) begin
        $error("%m: N_CONN (%0d) must be a power of two, 16..65536", N_CONN);
        $finish;
    end
end

// ------------------------------------------------------------------------
// configuration and status (toe_csr)
// ------------------------------------------------------------------------

wire cfg_enable, cfg_arp_en, cfg_ping_en, cfg_df, cfg_ip_id_load;
wire cfg_tick_hz_wr, cfg_isn_pin_valid;
wire [47:0] cfg_local_mac;
wire [31:0] cfg_local_ip, cfg_tick_hz, cfg_ca_limit, cfg_isn_pin;
wire [15:0] cfg_mtu, cfg_rcv_wnd, cfg_syn_wnd, cfg_ip_id_init, cfg_ip_id_step;
wire [7:0] cfg_ttl;
wire [63:0] cfg_rto_init, cfg_rto_max, cfg_syn_giveup, cfg_synack_giveup;
wire [63:0] cfg_fin_giveup, cfg_msl, cfg_ca_window;
wire [127:0] cfg_isn_key;
wire [31:0] cfg_max_conns, cfg_max_listeners;

wire [63:0] now;
wire m_valid;
wire [31:0] m_cur;

toe_top_isnclk isnclk (
    .clk(clk), .rst(rst),
    .tick_hz(cfg_tick_hz), .tick_hz_wr(cfg_tick_hz_wr),
    .now(now), .m_valid(m_valid), .m(m_cur)
);

// ------------------------------------------------------------------------
// receive: ENABLE gate, parser, responder tap
// ------------------------------------------------------------------------

reg rx_in_frame_reg = 1'b0;   // a frame's first beat was taken
reg rx_pass_reg = 1'b0;       // ... and it goes in (ENABLE was 1 then)
wire rx_pass = rx_in_frame_reg ? rx_pass_reg : cfg_enable;

// Frames longer than the payload buffer (8 * 2^PAY_BUF_LOG2 bytes) are cut,
// as a MAC cuts a frame longer than its maximum: the beat that reaches the
// limit goes on as the frame's last, flagged bad (tuser, so the parser
// drops it as reason 14 and the responders ignore it), the rest of the
// frame is taken and thrown away, and STAT_RX_TOO_LONG counts it. Without
// the cut, a payload longer than the gate's in buffer would stall the
// parser before the frame's end, and the gate waits for that end (the
// segment's decision) before it empties the buffer: a deadlock.
localparam [14:0] RX_MAX_BEATS = 15'd1 << PAY_BUF_LOG2;
reg [14:0] rx_bcnt_reg = 15'd0; // beats of this frame passed on so far
reg rx_cut_reg = 1'b0;          // this frame was cut: drop beats to tlast
reg [63:0] st_rx_too_long = 64'd0;

wire p_s_ready;
assign s_axis_tready = (rx_pass && !rx_cut_reg) ? p_s_ready : 1'b1;
wire rx_beat = s_axis_tvalid && s_axis_tready;
wire rx_beat_in = rx_beat && rx_pass && !rx_cut_reg;
// the beat that reaches the limit, with more to come
wire rx_cut_now = rx_bcnt_reg == RX_MAX_BEATS - 15'd1 && !s_axis_tlast;
wire rx_tlast = s_axis_tlast || rx_cut_now;
wire rx_tuser = s_axis_tuser || rx_cut_now;

always @(posedge clk) begin
    if (rx_beat) begin
        rx_in_frame_reg <= !s_axis_tlast;
        rx_pass_reg <= rx_pass;
        if (s_axis_tlast) begin
            rx_cut_reg <= 1'b0;
        end
    end
    if (rx_beat_in) begin
        rx_bcnt_reg <= s_axis_tlast ? 15'd0 : rx_bcnt_reg + 15'd1;
        if (rx_cut_now) begin
            rx_cut_reg <= 1'b1;
            rx_bcnt_reg <= 15'd0;
            st_rx_too_long <= st_rx_too_long + 64'd1;
        end
    end
    if (rst) begin
        rx_in_frame_reg <= 1'b0;
        rx_pass_reg <= 1'b0;
        rx_bcnt_reg <= 15'd0;
        rx_cut_reg <= 1'b0;
        st_rx_too_long <= 64'd0;
    end
end

wire hdr_valid, hdr_ready;
wire [3:0] hdr_reason;
wire [47:0] hdr_src_mac;
wire [31:0] hdr_src_ip, hdr_dst_ip, hdr_seq, hdr_ack;
wire [15:0] hdr_src_port, hdr_dst_port, hdr_win, hdr_mss, hdr_len;
wire [7:0] hdr_flags;
wire hdr_mss_valid, hdr_pay_pkt;
/* verilator lint_off UNUSEDSIGNAL */
wire hdr_arp, hdr_icmp, hdr_ip_df;
wire [47:0] hdr_dst_mac;
wire [15:0] hdr_ethertype, hdr_ip_len, hdr_ip_id, hdr_ip_csum, hdr_tcp_csum, hdr_urg;
wire [3:0] hdr_ip_ihl, hdr_doff;
wire [7:0] hdr_ip_tos, hdr_ip_ttl, hdr_ip_proto;
wire [7:0] p_pay_tkeep;
wire p_pay_tuser;
/* verilator lint_on UNUSEDSIGNAL */
wire [63:0] p_pay_tdata;
wire p_pay_tvalid, p_pay_tready, p_pay_tlast;

toe_rx_parse parser (
    .clk(clk), .rst(rst),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid && rx_pass && !rx_cut_reg), .s_axis_tready(p_s_ready),
    .s_axis_tlast(rx_tlast), .s_axis_tuser(rx_tuser),
    .m_hdr_valid(hdr_valid), .m_hdr_ready(hdr_ready),
    .m_hdr_reason(hdr_reason), .m_hdr_arp(hdr_arp), .m_hdr_icmp(hdr_icmp),
    .m_hdr_dst_mac(hdr_dst_mac), .m_hdr_src_mac(hdr_src_mac),
    .m_hdr_ethertype(hdr_ethertype), .m_hdr_ip_ihl(hdr_ip_ihl),
    .m_hdr_ip_tos(hdr_ip_tos), .m_hdr_ip_len(hdr_ip_len), .m_hdr_ip_id(hdr_ip_id),
    .m_hdr_ip_df(hdr_ip_df), .m_hdr_ip_ttl(hdr_ip_ttl), .m_hdr_ip_proto(hdr_ip_proto),
    .m_hdr_ip_csum(hdr_ip_csum), .m_hdr_src_ip(hdr_src_ip), .m_hdr_dst_ip(hdr_dst_ip),
    .m_hdr_src_port(hdr_src_port), .m_hdr_dst_port(hdr_dst_port),
    .m_hdr_seq(hdr_seq), .m_hdr_ack(hdr_ack), .m_hdr_doff(hdr_doff),
    .m_hdr_flags(hdr_flags), .m_hdr_win(hdr_win), .m_hdr_tcp_csum(hdr_tcp_csum),
    .m_hdr_urg(hdr_urg), .m_hdr_mss_valid(hdr_mss_valid), .m_hdr_mss(hdr_mss),
    .m_hdr_len(hdr_len), .m_hdr_pay_pkt(hdr_pay_pkt),
    .m_axis_tdata(p_pay_tdata), .m_axis_tkeep(p_pay_tkeep),
    .m_axis_tvalid(p_pay_tvalid), .m_axis_tready(p_pay_tready),
    .m_axis_tlast(p_pay_tlast), .m_axis_tuser(p_pay_tuser)
);

// responders on the tap
wire [63:0] l2_tdata;
wire [7:0] l2_tkeep;
wire l2_tvalid, l2_tready, l2_tlast;
/* verilator lint_off UNUSEDSIGNAL */ wire l2_tuser, l2_s_ready; /* verilator lint_on UNUSEDSIGNAL */
wire l2_ip_id_take;
wire [31:0] st_arp_replies, st_arp_busy, st_icmp_replies, st_icmp_busy;
wire [287:0] st_l2_drop;
reg [15:0] icmp_ip_id_reg = 16'd0;

toe_l2_resp #(.ICMP_BUF_LOG2(ICMP_BUF_LOG2)) l2 (
    .clk(clk), .rst(rst),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(rx_beat_in), .s_axis_tready(l2_s_ready),
    .s_axis_tlast(rx_tlast), .s_axis_tuser(rx_tuser),
    .m_axis_tdata(l2_tdata), .m_axis_tkeep(l2_tkeep), .m_axis_tvalid(l2_tvalid),
    .m_axis_tready(l2_tready), .m_axis_tlast(l2_tlast), .m_axis_tuser(l2_tuser),
    .cfg_arp_en(cfg_arp_en), .cfg_ping_en(cfg_ping_en),
    .cfg_mac(cfg_local_mac), .cfg_ip(cfg_local_ip), .cfg_ttl(cfg_ttl),
    .cfg_ip_id(icmp_ip_id_reg), .ip_id_take(l2_ip_id_take),
    .stat_arp_replies(st_arp_replies), .stat_arp_busy(st_arp_busy),
    .stat_icmp_replies(st_icmp_replies), .stat_icmp_busy(st_icmp_busy),
    .stat_drop(st_l2_drop)
);

always @(posedge clk) begin
    if (l2_ip_id_take) begin
        icmp_ip_id_reg <= icmp_ip_id_reg + cfg_ip_id_step;
    end
    if (cfg_ip_id_load || rst) begin
        icmp_ip_id_reg <= cfg_ip_id_init;
    end
end

// ------------------------------------------------------------------------
// segment front end: header queue, ISN, drops, payload jobs
// ------------------------------------------------------------------------

wire seg_valid, seg_ready;
wire [47:0] seg_src_mac;
wire [31:0] seg_src_ip, seg_dst_ip, seg_seq, seg_ack, seg_isn;
wire [15:0] seg_src_port, seg_dst_port, seg_win, seg_mss, seg_len;
wire [7:0] seg_flags;
wire seg_mss_valid;
wire pf_valid;
wire [63:0] pf_key;
wire drop_valid;
wire [3:0] drop_reason;
wire job_valid, job_ready, job_fwd, job_pkt;
wire [13:0] job_beats;
wire seg_idle;

wire isn_req_valid, isn_req_ready, isn_rsp_valid;
wire [15:0] isn_req_local_port, isn_req_remote_port;
wire [31:0] isn_req_remote_ip, isn_rsp_isn;

wire cmd_valid, cmd_ready;

toe_top_seg #(.HR_PER_STAGE(ISN_HR_PER_STAGE), .ITERATE(ISN_ITERATE)) seg (
    .clk(clk), .rst(rst),
    .tap_valid(rx_beat_in), .tap_data(s_axis_tdata), .tap_last(rx_tlast),
    .s_hdr_valid(hdr_valid), .s_hdr_ready(hdr_ready), .s_hdr_reason(hdr_reason),
    .s_hdr_src_mac(hdr_src_mac), .s_hdr_src_ip(hdr_src_ip), .s_hdr_dst_ip(hdr_dst_ip),
    .s_hdr_src_port(hdr_src_port), .s_hdr_dst_port(hdr_dst_port),
    .s_hdr_seq(hdr_seq), .s_hdr_ack(hdr_ack), .s_hdr_flags(hdr_flags),
    .s_hdr_win(hdr_win), .s_hdr_mss_valid(hdr_mss_valid), .s_hdr_mss(hdr_mss),
    .s_hdr_len(hdr_len), .s_hdr_pay_pkt(hdr_pay_pkt),
    .isn_key(cfg_isn_key), .m_valid(m_valid), .m_cur(m_cur), .local_ip(cfg_local_ip),
    .cmd_take(cmd_valid && cmd_ready),
    .act_req_valid(isn_req_valid), .act_req_ready(isn_req_ready),
    .act_lport(isn_req_local_port), .act_rip(isn_req_remote_ip),
    .act_rport(isn_req_remote_port),
    .act_rsp_valid(isn_rsp_valid), .act_rsp_isn(isn_rsp_isn),
    .m_seg_valid(seg_valid), .m_seg_ready(seg_ready),
    .m_seg_src_mac(seg_src_mac), .m_seg_src_ip(seg_src_ip), .m_seg_dst_ip(seg_dst_ip),
    .m_seg_src_port(seg_src_port), .m_seg_dst_port(seg_dst_port),
    .m_seg_seq(seg_seq), .m_seg_ack(seg_ack), .m_seg_flags(seg_flags),
    .m_seg_win(seg_win), .m_seg_mss_valid(seg_mss_valid), .m_seg_mss(seg_mss),
    .m_seg_len(seg_len), .m_seg_isn(seg_isn),
    .m_pf_valid(pf_valid), .m_pf_key(pf_key),
    .drop_valid(drop_valid), .drop_reason(drop_reason),
    .m_job_valid(job_valid), .m_job_ready(job_ready), .m_job_fwd(job_fwd),
    .m_job_pkt(job_pkt), .m_job_beats(job_beats),
    .idle(seg_idle)
);

// ------------------------------------------------------------------------
// connection core
// ------------------------------------------------------------------------

wire isn_pin_consume, rx_ready;
wire [3:0] cmd_op;
wire [15:0] cmd_conn, cmd_local_port, cmd_remote_port;
wire [31:0] cmd_remote_ip;
wire [47:0] cmd_remote_mac;
wire cmd_rsp_valid;
wire [3:0] cmd_rsp_err;
wire [15:0] cmd_rsp_conn;

wire tx_valid, tx_ready, tx_mss_valid, tx_df;
/* verilator lint_off UNUSEDSIGNAL */ wire tx_conn_valid; wire [15:0] tx_conn; /* verilator lint_on UNUSEDSIGNAL */
wire [47:0] tx_dst_mac, tx_src_mac;
wire [31:0] tx_src_ip, tx_dst_ip, tx_seq, tx_ack;
wire [15:0] tx_src_port, tx_dst_port, tx_win, tx_mss, tx_ip_id;
wire [7:0] tx_flags, tx_ttl;

wire ev_valid;
wire [2:0] ev_type;
wire [15:0] ev_conn, ev_arg;

wire pl_valid, pl_ready, pl_deliver;
wire [15:0] pl_conn, pl_off, pl_len;

wire info_req, info_valid, info_passive, info_cbu, info_wr_shut;
wire [15:0] info_id, info_local_port, info_remote_port, info_snd_wnd, info_max_snd_wnd;
wire [15:0] info_peer_mss, info_eff_mss;
wire [3:0] info_state;
wire [31:0] info_remote_ip, info_iss, info_irs, info_snd_una, info_snd_nxt;
wire [31:0] info_rcv_nxt, info_retransmits;
wire [47:0] info_remote_mac;

wire [63:0] st_segs_in, st_segs_out, st_rst_out, st_chack, st_chack_supp;
wire [63:0] st_dropped, st_rx_bytes, st_retrans, st_table_full, st_tmr_inline;
wire core_idle;
/* verilator lint_off UNUSEDSIGNAL */ wire [31:0] scan_passes; /* verilator lint_on UNUSEDSIGNAL */

toe_tcb_core #(.N_CONN(N_CONN), .N_LISTEN(N_LISTEN)) core (
    .clk(clk), .rst(rst), .now(now),
    .cfg_local_ip(cfg_local_ip), .cfg_local_mac(cfg_local_mac), .cfg_mtu(cfg_mtu),
    .cfg_rcv_wnd(cfg_rcv_wnd), .cfg_syn_wnd(cfg_syn_wnd), .cfg_ttl(cfg_ttl),
    .cfg_df(cfg_df), .cfg_ip_id_init(cfg_ip_id_init), .cfg_ip_id_step(cfg_ip_id_step),
    .cfg_ip_id_load(cfg_ip_id_load), .cfg_rto_init(cfg_rto_init),
    .cfg_rto_max(cfg_rto_max), .cfg_syn_giveup(cfg_syn_giveup),
    .cfg_synack_giveup(cfg_synack_giveup), .cfg_fin_giveup(cfg_fin_giveup),
    .cfg_msl(cfg_msl), .cfg_ca_limit(cfg_ca_limit), .cfg_ca_window(cfg_ca_window),
    .cfg_max_conns(cfg_max_conns), .cfg_max_listeners(cfg_max_listeners),
    .cfg_hash_key(TABLE_HASH_KEY),
    .cfg_isn_pin(cfg_isn_pin), .cfg_isn_pin_valid(cfg_isn_pin_valid),
    .isn_pin_consume(isn_pin_consume),
    .rx_ready(rx_ready),
    .s_seg_valid(seg_valid), .s_seg_ready(seg_ready), .s_seg_src_mac(seg_src_mac),
    .s_seg_src_ip(seg_src_ip), .s_seg_dst_ip(seg_dst_ip),
    .s_seg_src_port(seg_src_port), .s_seg_dst_port(seg_dst_port),
    .s_seg_seq(seg_seq), .s_seg_ack(seg_ack), .s_seg_flags(seg_flags),
    .s_seg_win(seg_win), .s_seg_mss_valid(seg_mss_valid), .s_seg_mss(seg_mss),
    .s_seg_len(seg_len), .s_seg_isn(seg_isn),
    .s_pf_valid(pf_valid), .s_pf_key(pf_key),
    .isn_req_valid(isn_req_valid), .isn_req_ready(isn_req_ready),
    .isn_req_local_port(isn_req_local_port), .isn_req_remote_ip(isn_req_remote_ip),
    .isn_req_remote_port(isn_req_remote_port),
    .isn_rsp_valid(isn_rsp_valid), .isn_rsp_isn(isn_rsp_isn),
    .cmd_valid(cmd_valid), .cmd_ready(cmd_ready), .cmd_op(cmd_op), .cmd_conn(cmd_conn),
    .cmd_local_port(cmd_local_port), .cmd_remote_ip(cmd_remote_ip),
    .cmd_remote_port(cmd_remote_port), .cmd_remote_mac(cmd_remote_mac),
    .cmd_fx_state(4'd0), .cmd_fx_iss(32'd0), .cmd_fx_irs(32'd0),
    .cmd_fx_snd_una(32'd0), .cmd_fx_snd_nxt(32'd0), .cmd_fx_snd_wnd(16'd0),
    .cmd_fx_rcv_nxt(32'd0), .cmd_fx_peer_mss(16'd0), .cmd_fx_passive(1'b0),
    .cmd_fx_cbu(1'b0), .cmd_fx_wr_shut(1'b0),
    .cmd_rsp_valid(cmd_rsp_valid), .cmd_rsp_err(cmd_rsp_err), .cmd_rsp_conn(cmd_rsp_conn),
    .m_tx_valid(tx_valid), .m_tx_ready(tx_ready), .m_tx_dst_mac(tx_dst_mac),
    .m_tx_src_mac(tx_src_mac), .m_tx_src_ip(tx_src_ip), .m_tx_dst_ip(tx_dst_ip),
    .m_tx_src_port(tx_src_port), .m_tx_dst_port(tx_dst_port), .m_tx_seq(tx_seq),
    .m_tx_ack(tx_ack), .m_tx_flags(tx_flags), .m_tx_win(tx_win),
    .m_tx_mss_valid(tx_mss_valid), .m_tx_mss(tx_mss), .m_tx_ip_id(tx_ip_id),
    .m_tx_ttl(tx_ttl), .m_tx_df(tx_df), .m_tx_conn_valid(tx_conn_valid),
    .m_tx_conn(tx_conn),
    .m_ev_valid(ev_valid), .m_ev_ready(1'b1), .m_ev_type(ev_type),
    .m_ev_conn(ev_conn), .m_ev_arg(ev_arg),
    .m_pl_valid(pl_valid), .m_pl_ready(pl_ready), .m_pl_deliver(pl_deliver),
    .m_pl_conn(pl_conn), .m_pl_off(pl_off), .m_pl_len(pl_len),
    .info_req(info_req), .info_id(info_id), .info_valid(info_valid),
    .info_state(info_state), .info_passive(info_passive), .info_cbu(info_cbu),
    .info_wr_shut(info_wr_shut), .info_local_port(info_local_port),
    .info_remote_ip(info_remote_ip), .info_remote_port(info_remote_port),
    .info_remote_mac(info_remote_mac), .info_iss(info_iss), .info_irs(info_irs),
    .info_snd_una(info_snd_una), .info_snd_nxt(info_snd_nxt),
    .info_snd_wnd(info_snd_wnd), .info_max_snd_wnd(info_max_snd_wnd),
    .info_rcv_nxt(info_rcv_nxt), .info_peer_mss(info_peer_mss),
    .info_eff_mss(info_eff_mss), .info_retransmits(info_retransmits),
    .stat_segs_in(st_segs_in), .stat_segs_out(st_segs_out), .stat_rst_out(st_rst_out),
    .stat_challenge_acks(st_chack), .stat_challenge_acks_suppressed(st_chack_supp),
    .stat_dropped(st_dropped), .stat_rx_bytes(st_rx_bytes),
    .stat_retransmits(st_retrans), .stat_table_full(st_table_full),
    .stat_timers_inline(st_tmr_inline),
    .idle(core_idle), .conns_used(conns_used), .scan_restart(1'b0),
    .scan_passes(scan_passes)
);

// the core is ready once it left its table clearing after rst (its first
// idle cycle)
reg core_ready_reg = 1'b0;
always @(posedge clk) begin
    if (core_idle) begin
        core_ready_reg <= 1'b1;
    end
    if (rst) begin
        core_ready_reg <= 1'b0;
    end
end

// ------------------------------------------------------------------------
// payload gate
// ------------------------------------------------------------------------

wire gate_idle;

toe_pay_gate #(.BUF_LOG2(PAY_BUF_LOG2)) gate (
    .clk(clk), .rst(rst),
    .s_pay_tdata(p_pay_tdata), .s_pay_tvalid(p_pay_tvalid),
    .s_pay_tready(p_pay_tready), .s_pay_tlast(p_pay_tlast),
    .s_job_valid(job_valid), .s_job_ready(job_ready), .s_job_fwd(job_fwd),
    .s_job_pkt(job_pkt), .s_job_beats(job_beats),
    .s_pl_valid(pl_valid), .s_pl_ready(pl_ready), .s_pl_deliver(pl_deliver),
    .s_pl_conn(pl_conn), .s_pl_off(pl_off), .s_pl_len(pl_len),
    .m_pay_tdata(m_pay_tdata), .m_pay_tkeep(m_pay_tkeep), .m_pay_tvalid(m_pay_tvalid),
    .m_pay_tready(m_pay_tready), .m_pay_tlast(m_pay_tlast), .m_pay_tdest(m_pay_tdest),
    .rx_ready(rx_ready), .idle(gate_idle)
);

// ------------------------------------------------------------------------
// transmit: frame builder and the frame arbiter
// ------------------------------------------------------------------------

wire [63:0] b_tdata;
wire [7:0] b_tkeep;
wire b_tvalid, b_tready, b_tlast;
/* verilator lint_off UNUSEDSIGNAL */ wire b_tuser; /* verilator lint_on UNUSEDSIGNAL */

toe_tx_build txb (
    .clk(clk), .rst(rst),
    .s_hdr_valid(tx_valid), .s_hdr_ready(tx_ready),
    .s_hdr_dst_mac(tx_dst_mac), .s_hdr_src_mac(tx_src_mac),
    .s_hdr_src_ip(tx_src_ip), .s_hdr_dst_ip(tx_dst_ip), .s_hdr_ip_id(tx_ip_id),
    .s_hdr_ttl(tx_ttl), .s_hdr_df(tx_df), .s_hdr_tos(8'd0),
    .s_hdr_src_port(tx_src_port), .s_hdr_dst_port(tx_dst_port),
    .s_hdr_seq(tx_seq), .s_hdr_ack(tx_ack), .s_hdr_flags(tx_flags),
    .s_hdr_win(tx_win), .s_hdr_mss_valid(tx_mss_valid), .s_hdr_mss(tx_mss),
    .m_axis_tdata(b_tdata), .m_axis_tkeep(b_tkeep), .m_axis_tvalid(b_tvalid),
    .m_axis_tready(b_tready), .m_axis_tlast(b_tlast), .m_axis_tuser(b_tuser)
);

// round robin between TCP (0) and the responders (1), whole frames; a
// frame that starts while ENABLE is 0 is taken and dropped
reg tx_lock_reg = 1'b0;  // inside a frame
reg tx_sel_reg = 1'b0;   // its source
reg tx_drop_reg = 1'b0;  // it is being dropped
reg tx_pri_reg = 1'b0;   // first choice at the next boundary
reg tx_sel;

always @* begin
    if (tx_lock_reg) begin
        tx_sel = tx_sel_reg;
    end else if (tx_pri_reg) begin
        tx_sel = l2_tvalid || !b_tvalid;
    end else begin
        tx_sel = !b_tvalid && l2_tvalid;
    end
end

wire tx_o_valid = tx_sel ? l2_tvalid : b_tvalid;
wire tx_o_last = tx_sel ? l2_tlast : b_tlast;
wire tx_dropping = tx_lock_reg ? tx_drop_reg : !cfg_enable;
wire tx_o_ready = tx_dropping || m_axis_tready;
assign b_tready = !tx_sel && tx_o_ready;
assign l2_tready = tx_sel && tx_o_ready;

assign m_axis_tdata = tx_sel ? l2_tdata : b_tdata;
assign m_axis_tkeep = tx_sel ? l2_tkeep : b_tkeep;
assign m_axis_tvalid = tx_o_valid && !tx_dropping;
assign m_axis_tlast = tx_o_last;
assign m_axis_tuser = 1'b0;

always @(posedge clk) begin
    if (tx_o_valid && tx_o_ready) begin
        tx_lock_reg <= !tx_o_last;
        tx_sel_reg <= tx_sel;
        tx_drop_reg <= tx_dropping;
        if (tx_o_last) begin
            tx_pri_reg <= !tx_sel;
        end
    end
    if (rst) begin
        tx_lock_reg <= 1'b0;
        tx_sel_reg <= 1'b0;
        tx_drop_reg <= 1'b0;
        tx_pri_reg <= 1'b0;
    end
end

// ------------------------------------------------------------------------
// host bridge and registers
// ------------------------------------------------------------------------

wire csr_valid, csr_ready, csr_we, csr_rvalid, csr_err;
wire [9:0] csr_addr;
wire [31:0] csr_wdata, csr_rdata;
wire ev_pending;
wire [15:0] ev_count;
wire br_frame, br_crc_err, br_oversize, br_timeout, br_replay;
wire cmd_busy;

toe_host_bridge #(
    .ADDR_W(10), .MAX_BURST(BRIDGE_MAX_BURST), .TIMEOUT(BRIDGE_TIMEOUT),
    .EV_COUNT_W(16)
) bridge (
    .clk(clk), .rst(rst),
    .s_axis_tdata(s_host_tdata), .s_axis_tvalid(s_host_tvalid),
    .s_axis_tready(s_host_tready),
    .m_axis_tdata(m_host_tdata), .m_axis_tvalid(m_host_tvalid),
    .m_axis_tready(m_host_tready), .m_axis_tlast(m_host_tlast),
    .csr_valid(csr_valid), .csr_ready(csr_ready), .csr_we(csr_we),
    .csr_addr(csr_addr), .csr_wdata(csr_wdata), .csr_rvalid(csr_rvalid),
    .csr_rdata(csr_rdata), .csr_err(csr_err),
    .ev_pending(ev_pending), .ev_count(ev_count),
    .stat_frame(br_frame), .stat_crc_err(br_crc_err), .stat_oversize(br_oversize),
    .stat_timeout(br_timeout), .stat_replay(br_replay)
);

toe_csr #(
    .N_CONN(N_CONN), .N_LISTEN(N_LISTEN), .EV_DEPTH_LOG2(EV_DEPTH_LOG2),
    .STREAM_BYTES(8), .PAY_BUF_LOG2(PAY_BUF_LOG2), .CONN_LOG2(CONN_LOG2)
) csr (
    .clk(clk), .rst(rst),
    .csr_valid(csr_valid), .csr_ready(csr_ready), .csr_we(csr_we),
    .csr_addr(csr_addr), .csr_wdata(csr_wdata), .csr_rvalid(csr_rvalid),
    .csr_rdata(csr_rdata), .csr_err(csr_err),
    .cfg_enable(cfg_enable), .cfg_arp_en(cfg_arp_en), .cfg_ping_en(cfg_ping_en),
    .cfg_local_mac(cfg_local_mac), .cfg_local_ip(cfg_local_ip), .cfg_mtu(cfg_mtu),
    .cfg_rcv_wnd(cfg_rcv_wnd), .cfg_syn_wnd(cfg_syn_wnd), .cfg_ttl(cfg_ttl),
    .cfg_df(cfg_df), .cfg_ip_id_init(cfg_ip_id_init), .cfg_ip_id_step(cfg_ip_id_step),
    .cfg_ip_id_load(cfg_ip_id_load), .cfg_tick_hz(cfg_tick_hz),
    .cfg_tick_hz_wr(cfg_tick_hz_wr), .cfg_ca_limit(cfg_ca_limit),
    .cfg_rto_init(cfg_rto_init), .cfg_rto_max(cfg_rto_max),
    .cfg_syn_giveup(cfg_syn_giveup), .cfg_synack_giveup(cfg_synack_giveup),
    .cfg_fin_giveup(cfg_fin_giveup), .cfg_msl(cfg_msl), .cfg_ca_window(cfg_ca_window),
    .cfg_max_conns(cfg_max_conns), .cfg_max_listeners(cfg_max_listeners),
    .cfg_isn_key(cfg_isn_key), .cfg_isn_pin(cfg_isn_pin),
    .cfg_isn_pin_valid(cfg_isn_pin_valid), .isn_pin_consume(isn_pin_consume),
    .cmd_valid(cmd_valid), .cmd_ready(cmd_ready), .cmd_op(cmd_op), .cmd_conn(cmd_conn),
    .cmd_local_port(cmd_local_port), .cmd_remote_ip(cmd_remote_ip),
    .cmd_remote_port(cmd_remote_port), .cmd_remote_mac(cmd_remote_mac),
    .cmd_rsp_valid(cmd_rsp_valid), .cmd_rsp_err(cmd_rsp_err), .cmd_rsp_conn(cmd_rsp_conn),
    .info_req(info_req), .info_id(info_id), .info_valid(info_valid),
    .info_state(info_state), .info_passive(info_passive), .info_cbu(info_cbu),
    .info_wr_shut(info_wr_shut), .info_local_port(info_local_port),
    .info_remote_ip(info_remote_ip), .info_remote_port(info_remote_port),
    .info_remote_mac(info_remote_mac), .info_iss(info_iss), .info_irs(info_irs),
    .info_snd_una(info_snd_una), .info_snd_nxt(info_snd_nxt),
    .info_snd_wnd(info_snd_wnd), .info_max_snd_wnd(info_max_snd_wnd),
    .info_rcv_nxt(info_rcv_nxt), .info_peer_mss(info_peer_mss),
    .info_eff_mss(info_eff_mss), .info_retransmits(info_retransmits),
    .s_ev_valid(ev_valid), .s_ev_type(ev_type), .s_ev_conn(ev_conn), .s_ev_arg(ev_arg),
    .ev_pending(ev_pending), .ev_count(ev_count),
    .stat_segs_in(st_segs_in), .stat_segs_out(st_segs_out), .stat_rst_out(st_rst_out),
    .stat_challenge_acks(st_chack), .stat_challenge_acks_suppressed(st_chack_supp),
    .stat_dropped(st_dropped), .stat_rx_bytes(st_rx_bytes),
    .stat_retransmits(st_retrans), .stat_table_full(st_table_full),
    .stat_timers_inline(st_tmr_inline), .stat_rx_too_long(st_rx_too_long),
    .parse_drop_valid(drop_valid), .parse_drop_reason(drop_reason),
    .stat_arp_replies(st_arp_replies), .stat_arp_busy(st_arp_busy),
    .stat_icmp_replies(st_icmp_replies), .stat_icmp_busy(st_icmp_busy),
    .stat_l2_drop(st_l2_drop),
    .br_frame(br_frame), .br_crc_err(br_crc_err), .br_oversize(br_oversize),
    .br_timeout(br_timeout), .br_replay(br_replay),
    .st_ready(core_ready_reg), .st_idle(idle), .st_tick_ok(m_valid), .now(now),
    .st_conns_used({{(31 - CONN_LOG2){1'b0}}, conns_used}),
    .cmd_busy(cmd_busy)
);

// ------------------------------------------------------------------------
// idle
// ------------------------------------------------------------------------

// cycles since the last received beat (the parser's and the responders'
// pipelines are at most ~20 cycles deep)
reg [5:0] rx_quiet_reg = 6'd0;
// a descriptor was taken last cycle (its frame's first beat is not out yet)
reg tx_took_reg = 1'b0;
// cycles since the core raised an event (the bridge's EVENT notification
// starts within a few cycles)
reg [4:0] ev_quiet_reg = 5'd0;
// cycles since the bridge took a host byte (a complete request makes it
// drop s_host_tready within a few cycles, until its response is out)
reg [3:0] host_quiet_reg = 4'd0;

always @(posedge clk) begin
    if (rx_beat) begin
        rx_quiet_reg <= 6'd0;
    end else if (rx_quiet_reg != 6'd63) begin
        rx_quiet_reg <= rx_quiet_reg + 6'd1;
    end
    tx_took_reg <= tx_valid && tx_ready;
    if (s_host_tvalid && s_host_tready) begin
        host_quiet_reg <= 4'd0;
    end else if (host_quiet_reg != 4'd15) begin
        host_quiet_reg <= host_quiet_reg + 4'd1;
    end
    if (ev_valid) begin
        ev_quiet_reg <= 5'd0;
    end else if (ev_quiet_reg != 5'd31) begin
        ev_quiet_reg <= ev_quiet_reg + 5'd1;
    end
    if (rst) begin
        rx_quiet_reg <= 6'd0;
        tx_took_reg <= 1'b0;
        ev_quiet_reg <= 5'd0;
        host_quiet_reg <= 4'd0;
    end
end

assign idle = rx_quiet_reg >= 6'd40 && ev_quiet_reg >= 5'd16 && !rx_in_frame_reg &&
              host_quiet_reg >= 4'd8 && s_host_tready && !m_host_tvalid &&
              seg_idle && gate_idle &&
              core_idle && !tx_valid && !tx_took_reg && !b_tvalid && !l2_tvalid &&
              !tx_lock_reg && !cmd_busy && !cmd_valid;

endmodule

`resetall
