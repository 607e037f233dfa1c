# SPDX-License-Identifier: MIT
# The whole engine (rtl/toe_top.v) as a simulation library:
#
#   $(BUILD)/libtoesim.a   sim/toe_sim.cpp (the C ABI of sim/toe_sim.h),
#                          sim/toe_sim_drv.c (its registers as the register
#                          driver's bus), the Verilated toe_top (N_CONN 1024)
#                          and the shared units it needs from host/common:
#                          toe_proto_codec.c (the bridge codec) and
#                          toe_drv.c (the register driver); nothing of
#                          libtoe
#
# For other fragments: TOESIM_LINK is what a program using toe_sim links
# with $(CXX), in link order (libtoesim, the Verilator runtime,
# libpcap/libsodium, threads/zlib); TOESIM_DEPS are the archives to list
# as prerequisites. A program that also uses libtoe for itself lists
# $(TOE_LIB) too (the shared units are in both archives: whichever comes
# first gives them). Example:
#
#   $(BUILD)/foo: $(BUILD)/obj/foo.o $(TOESIM_DEPS)
#   	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/foo.o $(TOESIM_LINK)
#   $(BUILD)/obj/foo.o: PROJ_CFLAGS += -Isim
#
# The test runner tests/rtl/test_rtl_top.c drives it (seed capture, CSR,
# commands, payload, ISN, figures); 'make bench-top' prints the figures
# alone. TOP_VFLAGS adds Verilator flags to the model (use another BUILD),
# e.g. the SYN-ACK latency with the 17-stage SipHash (1 half-round a stage):
#
#   make BUILD=build-hr1 TOP_VFLAGS="-GISN_HR_PER_STAGE=1 -GISN_ITERATE=0" bench-top
#
# tests/scripts/top-check.sh (run by 'make test') lints toe_top at N_CONN 65536 and
# lets Yosys elaborate it there.

TOP_RTL  := $(sort $(wildcard rtl/*.v))
TOP_VFLAGS ?=
TOP_VDIR := $(BUILD)/vobj/top
TOESIM_OBJ := $(BUILD)/obj/sim/toe_sim.o
# sim/toe_sim_drv.c: the model's registers as the bus of the register
# driver (host/common/toe_drv.h), and the shared units of host/common the
# library needs (compiled once, as libtoe's), in both archives
TOESIM_C_OBJS := $(BUILD)/obj/sim/toe_sim_drv.o $(BUILD)/obj/host/common/toe_drv.o \
	$(BUILD)/obj/host/common/toe_proto_codec.o
TOESIM_LIB := $(BUILD)/libtoesim.a
TOESIM_DEPS := $(TOESIM_LIB) $(VL_RT_LIB)
TOESIM_LINK = $(TOESIM_LIB) $(VL_RT_LIB) $(PKG_LIBS) $(VL_LDLIBS)
ALL_TARGETS += $(TOESIM_LIB)

# TOESIM_BUILD: one Verilated toe_top and its C-ABI library.
#   $(1) model directory   $(2) wrapper object   $(3) library
#   $(4) extra Verilator flags (parameters)
define TOESIM_BUILD
$(1)/Vtoe_top__ALL.a: $$(TOP_RTL) $$(RTL_INCS) mk/40-rtl.mk mk/60-top.mk
	@mkdir -p $$(dir $$@)
	$$(VERILATOR) $$(VFLAGS) $$(TOP_VFLAGS) $(4) --top-module toe_top --prefix Vtoe_top \
		--Mdir $(1) $$(TOP_RTL)
	$$(MAKE) --no-print-directory -s -C $(1) -f Vtoe_top.mk OPT_FAST=-O2 Vtoe_top__ALL.a

$(2): sim/toe_sim.cpp sim/toe_sim.h $(1)/Vtoe_top__ALL.a
	@mkdir -p $$(dir $$@)
	$$(CXX) $$(CXXFLAGS) $$(VL_CXXFLAGS) $$(SANFLAGS) -I$(1) -Isim -Ihost/common \
		-c $$< -o $$@

# the model's archive plus the wrapper, one library
$(3): $(2) $(1)/Vtoe_top__ALL.a $$(TOESIM_C_OBJS)
	rm -f $$@ && cp $(1)/Vtoe_top__ALL.a $$@ && ar rs $$@ $(2) $$(TOESIM_C_OBJS)
endef

$(eval $(call TOESIM_BUILD,$(TOP_VDIR),$(TOESIM_OBJ),$(TOESIM_LIB)))

# ---- the test runner ----
TOP_TEST := $(BUILD)/tests/test_rtl_top
TEST_BINS += $(TOP_TEST)
ALL_TARGETS += $(TOP_TEST)

$(BUILD)/obj/tests/rtl/test_rtl_top.o: PROJ_CFLAGS += -Isim
$(BUILD)/obj/tests/rtl/test_rtl_top.o: sim/toe_sim.h

$(TOP_TEST): $(BUILD)/obj/tests/rtl/test_rtl_top.o $(RTL_SUPPORT_LIB) $(REF_LIB) $(TOESIM_DEPS)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/tests/rtl/test_rtl_top.o \
		$(RTL_SUPPORT_LIB) $(REF_LIB) $(TOESIM_LINK) $(CMOCKA_LIBS)

# ---- the same engine at N_CONN 65536 ----
# Its own model and library (libtoesim64k.a), and test_rtl_top_64k: the
# tests of test_rtl_top.c against it (tests/rtl/test_rtl_top_64k.c).
TOP64_VDIR := $(BUILD)/vobj/top64k
TOESIM64_OBJ := $(BUILD)/obj/sim/toe_sim_64k.o
TOESIM64_LIB := $(BUILD)/libtoesim64k.a
TOP64_TEST := $(BUILD)/tests/test_rtl_top_64k
TEST_BINS += $(TOP64_TEST)
ALL_TARGETS += $(TOP64_TEST)

$(eval $(call TOESIM_BUILD,$(TOP64_VDIR),$(TOESIM64_OBJ),$(TOESIM64_LIB),-GN_CONN=65536))

$(BUILD)/obj/tests/rtl/test_rtl_top_64k.o: PROJ_CFLAGS += -Isim
$(BUILD)/obj/tests/rtl/test_rtl_top_64k.o: sim/toe_sim.h tests/rtl/test_rtl_top.c

$(TOP64_TEST): $(BUILD)/obj/tests/rtl/test_rtl_top_64k.o $(RTL_SUPPORT_LIB) $(REF_LIB) \
		$(TOESIM64_LIB) $(VL_RT_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/tests/rtl/test_rtl_top_64k.o \
		$(RTL_SUPPORT_LIB) $(REF_LIB) $(TOESIM64_LIB) $(VL_RT_LIB) \
		$(PKG_LIBS) $(VL_LDLIBS) $(CMOCKA_LIBS)

.PHONY: bench-top
bench-top: $(TOP_TEST)
	@TOE_SYNTH_SUMMARY=$(BUILD)/synth-ecp5/summary.txt $(TOP_TEST) --bench $(TOP_VFLAGS)

TEST_SCRIPTS += tests/scripts/top-check.sh

# The connection table's insert policy under churn, simulated at the
# algorithm level for several bucket geometries (see rtl/toe_conn_table.v).
BENCH_CONN_TABLE := $(BUILD)/bench_conn_table
ALL_TARGETS += $(BENCH_CONN_TABLE)

$(BENCH_CONN_TABLE): $(BUILD)/obj/tests/rtl/bench_conn_table.o
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^

.PHONY: bench-conn-table
bench-conn-table: $(BENCH_CONN_TABLE)
	@$(BENCH_CONN_TABLE)
