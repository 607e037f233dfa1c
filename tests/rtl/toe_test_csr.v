// SPDX-License-Identifier: MIT
//
// toe_test_csr.v - test-only CSR target behind the host bridge in the
// bridge's Verilator test (not part of the engine). It answers the CSR bus of
// rtl/toe_host_bridge.v with part of the real register map and some test
// registers, with wait states and response delays the test controls:
//
//   0x000 ID          ro   TOE_REG_ID_RESET ("TOE1")
//   0x004 VERSION     ro   TOE_REG_VERSION_RESET
//   0x008 BUILD_CONN  ro   N_LISTEN << 16 | N_CONN
//   0x00C BUILD_MISC  ro   STREAM_BYTES << 8 | EV_DEPTH_LOG2
//   0x010 SCRATCH     rw
//   0x180 EV_POP      rop  {VALID, 11'b0, TYPE(4), CONN(16)}; pops
//   0x184 EV_ARG      ro   argument of the event EV_POP last returned
//   0x188 EV_COUNT    ro   events in the FIFO
//   0x18C EV_LOST     ro   events pushed while the FIFO was full
//   0x300 + 4i        rw   RAM, i < 63 (test only)
//   0x3FC ACC         rw   test only: a write adds its value, a read
//                          gives the sum (applying a write twice shows)
//
// Anything else, and a write to a read-only register, answers csr_err.
// Events are pushed by the test (ev_push); ev_pending / ev_count go to the
// bridge. obs_* show each access as it is taken (for the test's log).
//
// Bus timing: csr_ready = !stall and no response outstanding; the access
// takes effect at the edge that takes it; csr_rvalid rises the cycle after
// and stays up while hold is set (one response per access).

`timescale 1ns / 1ps
`default_nettype none

// Test CSR target: ID block, scratch, RAM, accumulator, event FIFO.
module toe_test_csr #(
    // event FIFO depth, log2
    parameter EV_DEPTH_LOG2 = 4,
    // reported in BUILD_CONN
    parameter N_CONN = 4,
    // reported in BUILD_CONN
    parameter N_LISTEN = 2,
    // reported in BUILD_MISC
    parameter STREAM_BYTES = 8
) (
    input  wire        clk,
    input  wire        rst,

    input  wire        csr_valid,
    output wire        csr_ready,
    input  wire        csr_we,
    input  wire [9:0]  csr_addr,
    input  wire [31:0] csr_wdata,
    output wire        csr_rvalid,
    output wire [31:0] csr_rdata,
    output wire        csr_err,

    // test controls
    input  wire        stall,
    input  wire        hold,
    input  wire        ev_push,
    input  wire [3:0]  ev_type,
    input  wire [15:0] ev_conn,
    input  wire [31:0] ev_arg,

    output wire        ev_pending,
    output wire [15:0] ev_count,

    // the access taken this cycle, and whether it fails
    output wire        obs_valid,
    output wire        obs_we,
    output wire [9:0]  obs_addr,
    output wire [31:0] obs_data,
    output wire        obs_err
);

`include "toe_regs.vh"

localparam integer EV_DEPTH = 1 << EV_DEPTH_LOG2;

initial begin
    if (EV_DEPTH_LOG2 < 1 || EV_DEPTH_LOG2 > 8) begin
        $error("%m: EV_DEPTH_LOG2 (%0d) must be 1..8", EV_DEPTH_LOG2);
        $finish;
    end
end

reg        rsp_valid_reg = 1'b0;
reg [31:0] rsp_data_reg = 32'd0;
reg        rsp_err_reg = 1'b0;

reg [31:0] scratch_reg = 32'd0;
reg [31:0] acc_reg = 32'd0;
reg [31:0] ram [0:63];

reg [51:0] ev_mem [0:EV_DEPTH-1]; // {type, conn, arg}
reg [EV_DEPTH_LOG2-1:0] ev_rd_reg = {EV_DEPTH_LOG2{1'b0}};
reg [EV_DEPTH_LOG2-1:0] ev_wr_reg = {EV_DEPTH_LOG2{1'b0}};
reg [EV_DEPTH_LOG2:0]   ev_cnt_reg = {(EV_DEPTH_LOG2 + 1){1'b0}};
reg [31:0] ev_arg_reg = 32'd0;
reg [31:0] ev_lost_reg = 32'd0;

wire take = csr_valid && csr_ready;
wire is_ram = csr_addr[9:8] == 2'b11 && csr_addr[7:2] != 6'd63;
wire is_acc = csr_addr == 10'h3FC;
wire is_pop = csr_addr == TOE_REG_EV_POP;
wire ev_full = ev_cnt_reg[EV_DEPTH_LOG2];
wire ev_empty = ev_cnt_reg == 0;
wire [51:0] ev_head = ev_mem[ev_rd_reg];
wire do_pop = take && !csr_we && is_pop && !ev_empty;
wire do_push = ev_push && !ev_full;

// decode: read data and error of the access offered
reg [31:0] rd;
reg        err;

always @* begin
    rd = 32'd0;
    err = 1'b0;
    if (is_ram) begin
        rd = ram[csr_addr[7:2]];
    end else if (is_acc) begin
        rd = acc_reg;
    end else if (csr_addr == TOE_REG_SCRATCH) begin
        rd = scratch_reg;
    end else if (csr_we) begin
        err = 1'b1; // read-only or unmapped
    end else begin
        case (csr_addr)
            TOE_REG_ID: rd = TOE_REG_ID_RESET;
            TOE_REG_VERSION: rd = TOE_REG_VERSION_RESET;
            TOE_REG_BUILD_CONN: rd = {N_LISTEN[15:0], N_CONN[15:0]};
            TOE_REG_BUILD_MISC: rd = {16'd0, STREAM_BYTES[7:0], EV_DEPTH_LOG2[7:0]};
            TOE_REG_EV_POP: rd = ev_empty ? 32'd0 : {1'b1, 11'd0, ev_head[51:32]};
            TOE_REG_EV_ARG: rd = ev_arg_reg;
            TOE_REG_EV_COUNT: rd = {{(31 - EV_DEPTH_LOG2){1'b0}}, ev_cnt_reg};
            TOE_REG_EV_LOST: rd = ev_lost_reg;
            default: err = 1'b1;
        endcase
    end
end

assign csr_ready = !stall && !rsp_valid_reg;
assign csr_rvalid = rsp_valid_reg && !hold;
assign csr_rdata = rsp_data_reg;
assign csr_err = rsp_err_reg;

assign ev_pending = !ev_empty;
assign ev_count = {{(15 - EV_DEPTH_LOG2){1'b0}}, ev_cnt_reg};

assign obs_valid = take;
assign obs_we = csr_we;
assign obs_addr = csr_addr;
assign obs_data = csr_we ? csr_wdata : rd;
assign obs_err = err;

always @(posedge clk) begin
    if (csr_rvalid) begin
        rsp_valid_reg <= 1'b0;
    end
    if (take) begin
        rsp_valid_reg <= 1'b1;
        rsp_data_reg <= rd;
        rsp_err_reg <= err;
        if (csr_we && !err) begin
            if (is_ram) begin
                ram[csr_addr[7:2]] <= csr_wdata;
            end else if (is_acc) begin
                acc_reg <= acc_reg + csr_wdata;
            end else begin
                scratch_reg <= csr_wdata;
            end
        end
    end

    if (do_pop) begin
        ev_arg_reg <= ev_head[31:0];
        ev_rd_reg <= ev_rd_reg + 1'b1;
    end
    if (do_push) begin
        ev_mem[ev_wr_reg] <= {ev_type, ev_conn, ev_arg};
        ev_wr_reg <= ev_wr_reg + 1'b1;
    end else if (ev_push) begin
        ev_lost_reg <= ev_lost_reg + 32'd1;
    end
    ev_cnt_reg <= ev_cnt_reg + {{EV_DEPTH_LOG2{1'b0}}, do_push} -
                  {{EV_DEPTH_LOG2{1'b0}}, do_pop};

    if (rst) begin
        rsp_valid_reg <= 1'b0;
        scratch_reg <= 32'd0;
        acc_reg <= 32'd0;
        ev_rd_reg <= {EV_DEPTH_LOG2{1'b0}};
        ev_wr_reg <= {EV_DEPTH_LOG2{1'b0}};
        ev_cnt_reg <= {(EV_DEPTH_LOG2 + 1){1'b0}};
        ev_arg_reg <= 32'd0;
        ev_lost_reg <= 32'd0;
    end
end

endmodule

`resetall
