# SPDX-License-Identifier: MIT
# The whole engine (rtl/toe_top.v) as a simulation library:
#
#   $(BUILD)/libtoesim.a   sim/toe_sim.cpp (the C ABI of sim/toe_sim.h) and
#                          the Verilated toe_top (N_CONN 1024)
#
# For other fragments: TOESIM_LINK is what a program using toe_sim links
# with $(CXX), in link order (libtoesim, libtoe for the bridge codec, the
# Verilator runtime, libpcap/libsodium, threads/zlib); TOESIM_DEPS are the
# archives to list as prerequisites. A program that also uses libtoe for
# itself puts $(TOE_LIB) before $(TOESIM_LINK). Example:
#
#   $(BUILD)/foo: $(BUILD)/obj/foo.o $(TOESIM_DEPS)
#   	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/foo.o $(TOESIM_LINK)
#   $(BUILD)/obj/foo.o: PROJ_CFLAGS += -Isim
#
# The test runner tests/rtl/test_rtl_top.c drives it (seed capture, CSR,
# commands, payload, ISN, figures); 'make bench-top' prints the figures
# alone. TOP_VFLAGS adds Verilator flags to the model (use another BUILD),
# e.g. the SYN-ACK latency with a 4-stage SipHash:
#
#   make BUILD=build-hr4 TOP_VFLAGS=-GISN_HR_PER_STAGE=4 bench-top
#
# mk/top-check.sh (run by 'make test') lints toe_top at N_CONN 65536 and
# lets Yosys elaborate it there.

TOP_RTL  := $(sort $(wildcard rtl/*.v))
TOP_VFLAGS ?=
TOP_VDIR := $(BUILD)/vobj/top
TOP_MODEL := $(TOP_VDIR)/Vtoe_top__ALL.a
TOESIM_OBJ := $(BUILD)/obj/sim/toe_sim.o
TOESIM_LIB := $(BUILD)/libtoesim.a
TOESIM_DEPS := $(TOESIM_LIB) $(TOE_LIB) $(VL_RT_LIB)
TOESIM_LINK = $(TOESIM_LIB) $(TOE_LIB) $(VL_RT_LIB) $(PKG_LIBS) $(VL_LDLIBS)
ALL_TARGETS += $(TOESIM_LIB)

$(TOP_MODEL): $(TOP_RTL) $(RTL_INCS) mk/40-rtl.mk mk/60-top.mk
	@mkdir -p $(dir $@)
	$(VERILATOR) $(VFLAGS) $(TOP_VFLAGS) --top-module toe_top --prefix Vtoe_top \
		--Mdir $(TOP_VDIR) $(TOP_RTL)
	$(MAKE) --no-print-directory -s -C $(TOP_VDIR) -f Vtoe_top.mk Vtoe_top__ALL.a

$(TOESIM_OBJ): sim/toe_sim.cpp sim/toe_sim.h $(TOP_MODEL)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(VL_CXXFLAGS) $(SANFLAGS) -I$(TOP_VDIR) -Isim -Ihost/lib \
		-c $< -o $@

# the model's archive plus the wrapper, one library
$(TOESIM_LIB): $(TOESIM_OBJ) $(TOP_MODEL)
	rm -f $@ && cp $(TOP_MODEL) $@ && ar rs $@ $(TOESIM_OBJ)

# ---- the test runner ----
TOP_TEST := $(BUILD)/tests/test_rtl_top
TEST_BINS += $(TOP_TEST)
ALL_TARGETS += $(TOP_TEST)

$(BUILD)/obj/tests/rtl/test_rtl_top.o: PROJ_CFLAGS += -Isim -Ihost/lib
$(BUILD)/obj/tests/rtl/test_rtl_top.o: sim/toe_sim.h

$(TOP_TEST): $(BUILD)/obj/tests/rtl/test_rtl_top.o $(RTL_SUPPORT_LIB) $(REF_LIB) $(TOESIM_DEPS)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/tests/rtl/test_rtl_top.o \
		$(RTL_SUPPORT_LIB) $(REF_LIB) $(TOESIM_LINK) $(CMOCKA_LIBS)

.PHONY: bench-top
bench-top: $(TOP_TEST)
	@$(TOP_TEST) --bench $(TOP_VFLAGS)

TEST_SCRIPTS += mk/top-check.sh
