# SPDX-License-Identifier: MIT
# rtl/: register map generation, Verilator block models with cmocka tests,
# lint, synthesis.
#
# VBLOCK: Verilate one RTL block and link a cmocka test in C against it.
#
#   $(eval $(call VBLOCK,<name>,<top>,<rtl srcs>,<wrapper.cpp>,<test.c>[,<vflags>[,<link>]]))
#
#   <name>        short name; the model is built in $(BUILD)/vobj/<name>/
#   <top>         top module; the C++ class is V<top> (header V<top>.h)
#   <rtl srcs>    Verilog files (rtl/ is also on the search path, so
#                 submodules in rtl/<module>.v are found by name)
#   <wrapper.cpp> C++ wrapper exposing the model through an extern "C" header
#                 with an opaque handle (tests/rtl/blocks/<x>_model.{h,cpp}); it is
#                 compiled with $(CXX) against the Verilated headers and sees
#                 -I$(BUILD)/vobj/<name> -Itests/rtl/blocks
#   <test.c>      cmocka runner in C; becomes $(BUILD)/tests/<basename>,
#                 compiled like the unit tests (-Itests/rtl/blocks
#                 -Itests/unit/support, TOE_VECTORS_DIR) and linked with
#                 $(CXX) against the wrapper, the model, the Verilator runtime,
#                 tests/unit/support objects (as an archive), libtoeref.a,
#                 cmocka, libpcap, libsodium
#   <vflags>      optional extra Verilator flags (e.g. -GDATA_W=64)
#   <link>        optional extra objects/libraries for the link
#
# The runner is appended to TEST_BINS and ALL_TARGETS, the top to
# RTL_SYNTH_TOPS ('make synth'). Example:
#
#   $(eval $(call VBLOCK,siphash,toe_siphash,rtl/toe_siphash.v,\
#       tests/rtl/blocks/siphash_model.cpp,tests/rtl/test_rtl_siphash.c))
#
# Models are built with --trace-fst; waves are written only when asked:
# 'make WAVES=1 test-run' (or WAVES=1 in the environment) makes each model
# write <model>-<n>.fst into $(WAVES_DIR) (default $(BUILD)/waves).
# With SAN=1 the C test and the wrapper get the sanitizers; the Verilated
# model and runtime are built without them (they link either way).
#
# Other targets: 'make lint' (verilator --lint-only -Wall on every rtl/*.v,
# also run by 'make test' through tests/scripts/lint.sh), 'make synth' (yosys synth on
# each block top, cell counts, fails on latches), 'make regmap' (regenerate
# the register map outputs from rtl/regmap/toe.toml; also done whenever the
# .toml or the generator changes), and tests/scripts/regmap-check.sh in 'make test'
# (the committed outputs equal a fresh generation).

VERILATOR ?= verilator
YOSYS     ?= yosys
PYTHON3   ?= python3

# VERILATOR_ROOT, asked once and only when a recipe needs it (after deps).
VL_ROOT = $(eval VL_ROOT := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null))$(VL_ROOT)

# ---- register map: one source, three generated (and committed) outputs ----
REGMAP_SRC := rtl/regmap/toe.toml
REGMAP_GEN := rtl/regmap/gen.py
REGMAP_OUT := host/include/toe/toe_regs.h rtl/toe_regs.vh docs/regmap.md

.PHONY: regmap lint synth synth-blocks
regmap: $(REGMAP_OUT)

$(REGMAP_OUT) &: $(REGMAP_SRC) $(REGMAP_GEN)
	$(PYTHON3) $(REGMAP_GEN)

TEST_SCRIPTS += tests/scripts/regmap-check.sh

# ---- Verilator flags, one per line ----
# C++ model without a main(): the C test is the main program
VFLAGS := --cc
# every lint warning on (warnings are fatal by default)
VFLAGS += -Wall
# module search path and `include path: a submodule is rtl/<module>.v
VFLAGS += -Irtl
# immediate assertions in the RTL are checked
VFLAGS += --assert
# X assignments become random values, not a convenient constant
VFLAGS += --x-assign unique
# uninitialised registers start random (the wrapper seeds it): reset must work
VFLAGS += --x-initial unique
# tracing compiled in; a wrapper opens an FST file only when asked (WAVES=1)
VFLAGS += --trace-fst
# trace into submodules and through struct/array signals fully
VFLAGS += --trace-structs

# Flags for the C++ wrappers: the project's warnings, Verilator headers as
# system headers (their own warnings are not ours), the same VM_* switches
# the model and the runtime are compiled with.
VL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wshadow -MD -MP \
              -isystem $(VL_ROOT)/include -isystem $(VL_ROOT)/include/vltstd \
              -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=1 -DVM_TRACE_FST=1 \
              -DVM_TRACE_VCD=0 -faligned-new -Ihost/include -Itests/rtl/blocks
# Libraries the Verilator runtime needs (threads, FST's zlib).
VL_LDLIBS := -pthread -latomic -lz

# ---- the Verilator runtime, built once, shared by every block model ----
VL_RT_DIR  := $(BUILD)/vobj/runtime
VL_RT_SRCS := verilated verilated_threads verilated_fst_c
VL_RT_LIB  := $(VL_RT_DIR)/libverilated.a

$(VL_RT_DIR)/%.o:
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -Os -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd \
		-DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=1 -DVM_TRACE_FST=1 \
		-DVM_TRACE_VCD=0 -faligned-new -w -c -o $@ $(VL_ROOT)/include/$*.cpp

$(VL_RT_LIB): $(VL_RT_SRCS:%=$(VL_RT_DIR)/%.o)
	rm -f $@ && ar rcs $@ $^

# ---- C tests under tests/rtl: like the unit tests, plus tests/rtl/blocks ----
$(BUILD)/obj/tests/rtl/%.o: PROJ_CFLAGS += -Itests/rtl/blocks -Itests/unit/support \
	-DTOE_VECTORS_DIR='"tests/vectors"'

# tests/unit/support objects as an archive: a block test pulls in only what
# it uses (a support file may need parts of libtoeref the test does not).
RTL_SUPPORT_LIB := $(BUILD)/librtltestsupport.a
$(RTL_SUPPORT_LIB): $(TEST_SUPPORT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Include files the RTL may use (the generated register map among them).
RTL_INCS := $(wildcard rtl/*.vh)

RTL_SYNTH_TOPS :=

define VBLOCK
# Verilate, then build the model archive with the Makefile Verilator wrote.
$(BUILD)/vobj/$(1)/V$(2)__ALL.a: $(3) $(RTL_INCS) mk/40-rtl.mk
	@mkdir -p $$(dir $$@)
	$$(VERILATOR) $$(VFLAGS) $(6) --top-module $(2) --prefix V$(2) \
		--Mdir $(BUILD)/vobj/$(1) $(3)
	$$(MAKE) --no-print-directory -s -C $(BUILD)/vobj/$(1) -f V$(2).mk V$(2)__ALL.a

$(BUILD)/obj/$(basename $(4)).o: $(4) $(BUILD)/vobj/$(1)/V$(2)__ALL.a
	@mkdir -p $$(dir $$@)
	$$(CXX) $$(CXXFLAGS) $$(VL_CXXFLAGS) $$(SANFLAGS) -I$(BUILD)/vobj/$(1) \
		-Itests/unit/support -c $(4) -o $$@

$(BUILD)/tests/$(basename $(notdir $(5))): $(BUILD)/obj/$(basename $(5)).o \
		$(BUILD)/obj/$(basename $(4)).o $(BUILD)/vobj/$(1)/V$(2)__ALL.a \
		$$(VL_RT_LIB) $$(RTL_SUPPORT_LIB) $$(REF_LIB) $(7)
	@mkdir -p $$(dir $$@)
	$$(CXX) $$(PROJ_LDFLAGS) -o $$@ $(BUILD)/obj/$(basename $(5)).o \
		$(BUILD)/obj/$(basename $(4)).o $(7) \
		$(BUILD)/vobj/$(1)/V$(2)__ALL.a $$(RTL_SUPPORT_LIB) $$(REF_LIB) \
		$$(VL_RT_LIB) \
		$$(CMOCKA_LIBS) $$(PKG_LIBS) $$(VL_LDLIBS)

TEST_BINS += $(BUILD)/tests/$(basename $(notdir $(5)))
ALL_TARGETS += $(BUILD)/tests/$(basename $(notdir $(5)))
RTL_SYNTH_TOPS += $(2)
endef

# ---- blocks ----
$(eval $(call VBLOCK,skid,toe_skid,rtl/toe_skid.v,tests/rtl/blocks/skid_model.cpp,tests/rtl/test_rtl_skid.c))
# SipHash-2-4 for the ISN, with a 16-bit tag to check the output order
$(eval $(call VBLOCK,siphash,toe_siphash,rtl/toe_siphash.v rtl/toe_skid.v,\
	tests/rtl/blocks/siphash_model.cpp,tests/rtl/test_rtl_siphash.c,-GUSER_W=16))
# the same tests on the configuration toe_top uses (the iterative unit,
# 4 half-rounds per cycle)
$(eval $(call VBLOCK,siphash_it4,toe_siphash,rtl/toe_siphash.v rtl/toe_skid.v,\
	tests/rtl/blocks/siphash_it4_model.cpp,tests/rtl/test_rtl_siphash_it4.c,-GUSER_W=16 -GHR_PER_STAGE=4 -GITERATE=1))
$(BUILD)/obj/tests/rtl/blocks/siphash_it4_model.o: tests/rtl/blocks/siphash_model.cpp
$(BUILD)/obj/tests/rtl/test_rtl_siphash_it4.o: tests/rtl/test_rtl_siphash.c
# the board blocks of fpga/common (mk/95-fpga.mk): host-link UART, MAC width
# adapter, frame FIFO across two clocks (transmit: FRAME 1 DROP 0; receive:
# DROP 1)
$(eval $(call VBLOCK,uart,fpga_uart,fpga/common/fpga_uart.v fpga/common/fpga_uart_rx.v fpga/common/fpga_uart_tx.v,\
	tests/rtl/blocks/uart_model.cpp,tests/rtl/test_rtl_uart.c))
$(eval $(call VBLOCK,mac_adapt,fpga_mac_adapt,fpga/common/fpga_mac_adapt.v,\
	tests/rtl/blocks/mac_adapt_model.cpp,tests/rtl/test_rtl_mac_adapt.c))
$(eval $(call VBLOCK,async_fifo,fpga_async_fifo,fpga/common/fpga_async_fifo.v,\
	tests/rtl/blocks/async_fifo_model.cpp,tests/rtl/test_rtl_async_fifo.c,-GW=32 -GAW=4 -GFRAME=1 -GDROP=0))
$(eval $(call VBLOCK,async_fifo_drop,fpga_async_fifo,fpga/common/fpga_async_fifo.v,\
	tests/rtl/blocks/async_fifo_drop_model.cpp,tests/rtl/test_rtl_async_fifo_drop.c,-GW=32 -GAW=4 -GFRAME=1 -GDROP=1))
$(BUILD)/obj/tests/rtl/blocks/async_fifo_drop_model.o: tests/rtl/blocks/async_fifo_model.cpp
$(BUILD)/obj/tests/rtl/test_rtl_async_fifo_drop.o: tests/rtl/test_rtl_async_fifo.c

# ---- tests/rtl runners without a model (C only, like the unit tests) ----
RTL_C_TESTS := $(BUILD)/tests/test_regmap
TEST_BINS += $(RTL_C_TESTS)
ALL_TARGETS += $(RTL_C_TESTS)

$(RTL_C_TESTS): $(BUILD)/tests/%: $(BUILD)/obj/tests/rtl/%.o $(RTL_SUPPORT_LIB) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS)

# ---- lint (also a test script) and synthesis ----
TEST_SCRIPTS += tests/scripts/lint.sh

lint:
	@VERILATOR=$(VERILATOR) sh tests/scripts/lint.sh

synth: synth-blocks
synth-blocks:
	@YOSYS=$(YOSYS) sh mk/synth.sh $(BUILD)/synth $(RTL_SYNTH_TOPS)

# Waves on request: exported so the runners see them.
ifeq ($(WAVES),1)
WAVES_DIR ?= $(BUILD)/waves
export WAVES WAVES_DIR
endif
