// SPDX-License-Identifier: MIT
//
// fpga_board_core.v - the board-independent part of an RGMII board top
// (fpga/<board>/fpga_*_top.v): the TCP offload engine (toe_top, default
// parameters, N_CONN 1024) behind Gigabit Ethernet (LiteEth PHY + MAC on
// RGMII, generated per board from fpga/<board>/liteeth.yml under one
// module name) and a UART host link. The board top adds what differs from
// board to board: the engine clock (PLL from its oscillator), the reset
// button, the pins and which LED shows what.
//
//  clk (engine, UART, LEDs: from the board's PLL)
//
//  RGMII rx ─► fpga_liteeth_rgmii ─► fpga_mac_adapt ─► fpga_async_fifo ─► toe_top s_axis
//  RGMII tx ◄─ (LiteEth MAC, 8 bit) ◄─ (8 <-> 64 bit) ◄─ fpga_async_fifo ◄─ toe_top m_axis
//              └────────── eth_clk: the PHY's 125 MHz RX_CLK ──────────┘    └─ clk ─┘
//
//  uart_rx/uart_tx ◄─► fpga_uart (BAUD 8N1) ◄─► toe_top s_host / m_host
//  toe_top m_pay ─► byte counter (always ready) ─► st_payload
//
// Clocks: the MAC runs on the PHY's receive clock, which LiteEth's ECP5
// RGMII PHY also uses for transmit (as 1000BASE-T allows); LiteEth's own
// "sys" domain is tied to it, so its internal clock-crossing FIFOs cross
// nothing, and the two fpga_async_fifo instances do the crossing, whole
// frames at a time: receive frames that do not fit are dropped whole
// (never truncated); transmit frames start only once their last beat is
// in (no underrun on the wire).
//
// Resets: rst_n low (the board's button, or 1 where it has none) or the
// PLL out of lock resets everything; clk's reset is released two cycles
// after both are fine. The PHY's reset pin (phy_rst_n) is held low for
// 2^PHY_RST_LOG2 cycles of clk (2^20: 17.5 ms at 60 MHz; the PHYs of the
// boards want at least 10 ms), and the eth_clk domain stays in reset until
// then (its reset is asserted asynchronously and released by eth_clk,
// which runs only once the PHY is out of reset). MDC/MDIO are not driven:
// the PHY runs on its power-up strapping (autonegotiation on).
//
// Status outputs (high = on; the board top maps them to its LEDs):
//   st_link       link up (the PHY's RGMII in-band status)
//   st_rx_act     frame received (stretched to ~34 ms)
//   st_tx_act     frame sent (stretched)
//   st_busy       engine busy (toe_top idle low, stretched to ~140 ms)
//   st_payload    payload bytes delivered on m_pay: bit 16 of the count
//                 (toggles every 64 KiB), XOR the parity of all delivered
//                 payload
//   st_heartbeat  clk alive (bit 25 of a counter: ~0.9 Hz at 60 MHz)
//   st_conns      live connections: at least one connection id in use
//                 (toe_top conns_used, any state; the count itself is the
//                 CONNS_USED register, toectl info)
//   st_lost       sticky: a host-link byte lost (UART framing error or
//                 overrun) or a received frame dropped for lack of room
`timescale 1ns / 1ps
`default_nettype none

module fpga_board_core #(
    parameter CLK_HZ = 60000000,
    parameter BAUD = 3000000,
    // PHY reset time, log2 of clk cycles
    parameter PHY_RST_LOG2 = 20
) (
    input  wire       clk,        // engine clock (the board's PLL)
    input  wire       pll_locked,
    input  wire       rst_n,      // low = reset (the board's button)

    input  wire       uart_rx,    // from the FT2232H (its TXD)
    output wire       uart_tx,    // to the FT2232H (its RXD)

    output wire       eth_rst_n,
    output wire       eth_tx_clk,
    output wire       eth_tx_ctl,
    output wire [3:0] eth_txd,
    input  wire       eth_rx_clk,
    input  wire       eth_rx_ctl,
    input  wire [3:0] eth_rxd,

    output wire       st_link,
    output wire       st_rx_act,
    output wire       st_tx_act,
    output wire       st_busy,
    output wire       st_payload,
    output wire       st_heartbeat,
    output wire       st_conns,
    output wire       st_lost
);

// ---------------------------------------------------------------- resets
wire rst_async = !pll_locked || !rst_n;
reg [1:0] rst_sync;
always @(posedge clk or posedge rst_async)
    if (rst_async)
        rst_sync <= 2'b11;
    else
        rst_sync <= {rst_sync[0], 1'b0};
wire rst = rst_sync[1];

reg [PHY_RST_LOG2:0] phy_cnt;
always @(posedge clk)
    if (rst)
        phy_cnt <= {(PHY_RST_LOG2 + 1){1'b0}};
    else if (!phy_cnt[PHY_RST_LOG2])
        phy_cnt <= phy_cnt + 1'b1;
wire phy_up = phy_cnt[PHY_RST_LOG2];
assign eth_rst_n = phy_up;

// eth_rst lasts 8 cycles of eth_clk once it runs: LiteEth resets its PHY
// side (eth_rx, eth_tx) from its sys reset (with_hw_init_reset,
// liteeth.yml), a cycle or two later, and its clock-domain FIFOs carry
// their pointers through 2-FF synchronizers without reset: the sys side
// (the reader of the receive FIFO) must stay in reset until the PHY
// side's reset pointers have gone through them, or it reads stale entries
// (found by the board-level simulation: after a button press during
// operation, LiteEth delivered its whole old receive FIFO, then nothing).
wire eth_clk;
wire eth_rst_async = rst || !phy_up;
reg [7:0] eth_rst_sync;
always @(posedge eth_clk or posedge eth_rst_async)
    if (eth_rst_async)
        eth_rst_sync <= 8'hff;
    else
        eth_rst_sync <= {eth_rst_sync[6:0], 1'b0};
wire eth_rst = eth_rst_sync[7];

// ---------------------------------------------------------------- MAC + PHY
wire mac_rx_valid, mac_rx_ready, mac_rx_last, mac_rx_last_be, mac_rx_error;
wire [7:0] mac_rx_data;
wire mac_tx_valid, mac_tx_ready, mac_tx_last, mac_tx_error;
wire [7:0] mac_tx_data;
wire link_up, mac_eth_rst;

fpga_liteeth_rgmii mac (
    .clk(eth_clk),
    .rst(eth_rst),
    .rgmii_tx_clk(eth_tx_clk),
    .rgmii_rx_clk(eth_rx_clk),
    .rgmii_tx_ctl(eth_tx_ctl),
    .rgmii_txd(eth_txd),
    .rgmii_rx_ctl(eth_rx_ctl),
    .rgmii_rxd(eth_rxd),
    .eth_clk(eth_clk),
    .eth_rst(mac_eth_rst),
    .link_up(link_up),
    .sink_valid(mac_tx_valid),
    .sink_ready(mac_tx_ready),
    .sink_last(mac_tx_last),
    .sink_data(mac_tx_data),
    .sink_last_be(mac_tx_last),
    .sink_error(mac_tx_error),
    .source_valid(mac_rx_valid),
    .source_ready(mac_rx_ready),
    .source_last(mac_rx_last),
    .source_data(mac_rx_data),
    .source_last_be(mac_rx_last_be),
    .source_error(mac_rx_error)
);

// ---------------------------------------------------------------- 8 <-> 64 bit
wire [63:0] erx_tdata, etx_tdata;
wire [7:0] erx_tkeep, etx_tkeep;
wire erx_tvalid, erx_tready, erx_tlast, erx_tuser;
wire etx_tvalid, etx_tready, etx_tlast, etx_tuser;

fpga_mac_adapt adapt (
    .clk(eth_clk), .rst(eth_rst),
    .rx_valid(mac_rx_valid), .rx_ready(mac_rx_ready), .rx_data(mac_rx_data),
    .rx_last(mac_rx_last), .rx_error(mac_rx_error),
    .m_axis_tdata(erx_tdata), .m_axis_tkeep(erx_tkeep), .m_axis_tvalid(erx_tvalid),
    .m_axis_tready(erx_tready), .m_axis_tlast(erx_tlast), .m_axis_tuser(erx_tuser),
    .s_axis_tdata(etx_tdata), .s_axis_tkeep(etx_tkeep), .s_axis_tvalid(etx_tvalid),
    .s_axis_tready(etx_tready), .s_axis_tlast(etx_tlast), .s_axis_tuser(etx_tuser),
    .tx_valid(mac_tx_valid), .tx_ready(mac_tx_ready), .tx_data(mac_tx_data),
    .tx_last(mac_tx_last), .tx_error(mac_tx_error)
);

// ---------------------------------------------------------------- clock crossing
wire [63:0] s_axis_tdata, m_axis_tdata;
wire [7:0] s_axis_tkeep, m_axis_tkeep;
wire s_axis_tvalid, s_axis_tready, s_axis_tlast, s_axis_tuser;
wire m_axis_tvalid, m_axis_tready, m_axis_tlast, m_axis_tuser;
wire rx_dropped;

// receive: eth_clk -> clk, frames that do not fit are dropped whole
fpga_async_fifo #(.W(73), .AW(9), .FRAME(1), .DROP(1)) rx_fifo (
    .wclk(eth_clk), .wrst(eth_rst),
    .s_data({erx_tuser, erx_tkeep, erx_tdata}), .s_last(erx_tlast),
    .s_valid(erx_tvalid), .s_ready(erx_tready), .dropped(rx_dropped),
    .rclk(clk), .rrst(rst),
    .m_data({s_axis_tuser, s_axis_tkeep, s_axis_tdata}), .m_last(s_axis_tlast),
    .m_valid(s_axis_tvalid), .m_ready(s_axis_tready)
);

// transmit: clk -> eth_clk, a frame leaves once its last beat is in
wire tx_dropped_unused;
fpga_async_fifo #(.W(73), .AW(9), .FRAME(1), .DROP(0)) tx_fifo (
    .wclk(clk), .wrst(rst),
    .s_data({m_axis_tuser, m_axis_tkeep, m_axis_tdata}), .s_last(m_axis_tlast),
    .s_valid(m_axis_tvalid), .s_ready(m_axis_tready), .dropped(tx_dropped_unused),
    .rclk(eth_clk), .rrst(eth_rst),
    .m_data({etx_tuser, etx_tkeep, etx_tdata}), .m_last(etx_tlast),
    .m_valid(etx_tvalid), .m_ready(etx_tready)
);

// ---------------------------------------------------------------- host link
wire [7:0] s_host_tdata, m_host_tdata;
wire s_host_tvalid, s_host_tready, m_host_tvalid, m_host_tready, m_host_tlast;
wire uart_frame_err, uart_overrun;

fpga_uart #(.CLK_HZ(CLK_HZ), .BAUD(BAUD)) uart (
    .clk(clk), .rst(rst), .rxd(uart_rx), .txd(uart_tx),
    .m_data(s_host_tdata), .m_valid(s_host_tvalid), .m_ready(s_host_tready),
    .s_data(m_host_tdata), .s_valid(m_host_tvalid), .s_ready(m_host_tready),
    .rx_frame_err(uart_frame_err), .rx_overrun(uart_overrun)
);

// ---------------------------------------------------------------- the engine
wire [63:0] m_pay_tdata;
wire [7:0] m_pay_tkeep;
wire m_pay_tvalid, m_pay_tlast;
wire [15:0] m_pay_tdest;
wire idle;
wire [10:0] conns_used;

toe_top engine (
    .clk(clk), .rst(rst),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
    .s_axis_tlast(s_axis_tlast), .s_axis_tuser(s_axis_tuser),
    .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser),
    .m_pay_tdata(m_pay_tdata), .m_pay_tkeep(m_pay_tkeep),
    .m_pay_tvalid(m_pay_tvalid), .m_pay_tready(1'b1),
    .m_pay_tlast(m_pay_tlast), .m_pay_tdest(m_pay_tdest),
    .s_host_tdata(s_host_tdata), .s_host_tvalid(s_host_tvalid),
    .s_host_tready(s_host_tready),
    .m_host_tdata(m_host_tdata), .m_host_tvalid(m_host_tvalid),
    .m_host_tready(m_host_tready), .m_host_tlast(m_host_tlast),
    .idle(idle), .conns_used(conns_used)
);

// ---------------------------------------------------------------- user logic: counting sink
// m_pay is always ready; the count of delivered bytes (tkeep is
// contiguous from bit 0: its popcount) shows on st_payload, XORed with the
// parity of everything delivered (data and connection ids), so that the
// engine's payload path stays whole in synthesis (with tdata unused, Yosys
// would remove the payload buffers' data bits)
reg [31:0] pay_bytes;
reg [63:0] pay_fold;
reg [3:0] pay_n;
integer i;
always @(*) begin
    pay_n = 4'd0;
    for (i = 0; i < 8; i = i + 1)
        pay_n = pay_n + {3'd0, m_pay_tkeep[i]};
end
always @(posedge clk)
    if (rst) begin
        pay_bytes <= 32'd0;
        pay_fold <= 64'd0;
    end else if (m_pay_tvalid) begin
        pay_bytes <= pay_bytes + {28'd0, pay_n};
        pay_fold <= pay_fold ^ m_pay_tdata ^ {47'd0, m_pay_tlast, m_pay_tdest};
    end

// ---------------------------------------------------------------- status
reg [25:0] heartbeat;
reg [22:0] busy_str;
reg lost_sticky;
reg [1:0] rx_drop_sync;
reg rx_drop_sticky;  // eth_clk domain, below
always @(posedge clk) begin
    heartbeat <= heartbeat + 26'd1;
    if (!idle)
        busy_str <= {23{1'b1}};
    else if (busy_str != 23'd0)
        busy_str <= busy_str - 23'd1;
    rx_drop_sync <= {rx_drop_sync[0], rx_drop_sticky};
    if (uart_frame_err || uart_overrun || rx_drop_sync[1])
        lost_sticky <= 1'b1;
    if (rst) begin
        heartbeat <= 26'd0;
        busy_str <= 23'd0;
        lost_sticky <= 1'b0;
        rx_drop_sync <= 2'b00;
    end
end

// eth_clk side: activity stretchers and the sticky drop flag. The end of
// a frame is registered once before it loads a stretcher: the stretchers
// sit near the LED pins, and on the ECPIX-5's 85F the unregistered path
// from LiteEth's transmit ready to them was the RGMII clock's critical
// path (117.72 MHz at 125, docs/synthesis.md)
reg [21:0] rx_act, tx_act;
reg rx_done, tx_done;
always @(posedge eth_clk) begin
    rx_done <= erx_tvalid && erx_tready && erx_tlast;
    tx_done <= mac_tx_valid && mac_tx_ready && mac_tx_last;
    if (rx_done)
        rx_act <= {22{1'b1}};
    else if (rx_act != 22'd0)
        rx_act <= rx_act - 22'd1;
    if (tx_done)
        tx_act <= {22{1'b1}};
    else if (tx_act != 22'd0)
        tx_act <= tx_act - 22'd1;
    if (rx_dropped)
        rx_drop_sticky <= 1'b1;
    if (eth_rst) begin
        rx_done <= 1'b0;
        tx_done <= 1'b0;
        rx_act <= 22'd0;
        tx_act <= 22'd0;
        rx_drop_sticky <= 1'b0;
    end
end

assign st_link = link_up;
assign st_rx_act = rx_act != 22'd0;
assign st_tx_act = tx_act != 22'd0;
assign st_busy = busy_str != 23'd0;
assign st_payload = pay_bytes[16] ^ (^pay_fold);
assign st_heartbeat = heartbeat[25];
assign st_conns = conns_used != 11'd0;
assign st_lost = lost_sticky;

// not used: m_host_tlast (the UART carries bytes; the bridge protocol
// frames itself), LiteEth's receive last_be (1 on every last byte at 8
// bits), its eth_rst (never asserted), the transmit FIFO's dropped (DROP
// 0: never)
wire unused = &{1'b0, m_host_tlast, mac_rx_last_be, mac_eth_rst, tx_dropped_unused};

endmodule

`default_nettype wire
