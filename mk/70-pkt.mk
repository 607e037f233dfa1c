# SPDX-License-Identifier: MIT
# toe-pkt: the packetdrill-language conformance runner
# (host/tools/toe_pkt/, docs/pkt.md) and its scripts (tests/pkt/*.pkt).
#
#   $(BUILD)/toe-pkt [--model] tests/pkt/*.pkt
#
# It runs them against the engine under test (sim/eut/toe_eut.h, mk/65-eut.mk):
# with the engine's simulation library (TOESIM_LINK from mk/60-top.mk) the
# default is the Verilator engine and toe-pkt is linked with $(CXX);
# without it only --model (the reference stack) exists.
#
# 'make test' runs: every script against the reference stack
# (tests/scripts/pkt-model.sh), against the engine (tests/scripts/pkt-engine.sh, and
# tests/scripts/pkt-engine-long.sh for the scripts tagged "// toe-pkt: long"), and the
# runner's negative tests (tests/scripts/pkt-neg.sh: tests/pkt/neg/*.pkt must fail
# with the message each one names), and against the Linux kernel in real
# time (tests/scripts/pkt-linux.sh: every script not tagged
# "// toe-pkt: linux-long", about 6 s; root and /dev/net/tun, like the
# interop tests). `make pkt-linux` runs them all (about 65 s).

TOE_PKT      := $(BUILD)/toe-pkt
PKT_DIR      := host/tools/toe_pkt
PKT_SRCS     := $(PKT_DIR)/pkt_main.c $(PKT_DIR)/pkt_parse.c $(PKT_DIR)/pkt_run.c \
                $(PKT_DIR)/pkt_calls.c
PKT_OBJS     := $(PKT_SRCS:%.c=$(BUILD)/obj/%.o)
ALL_TARGETS  += $(TOE_PKT)

# the engine under test (mk/65-eut.mk): rtl back end only with libtoesim;
# the Linux back end (--linux: sim/eut/toe_eut_linux.c on the namespace and
# TAP code of toe-simd, $(SIMD_LIB) from mk/80-linux.mk) always
PKT_LINUX_OBJ := $(BUILD)/obj/sim/eut/toe_eut_linux.o
$(TOE_PKT): $(PKT_OBJS) $(PKT_LINUX_OBJ) $(EUT_LIB) $(REF_LIB) $(EUT_DEPS)
	@mkdir -p $(dir $@)
	$(EUT_LD) $(PROJ_LDFLAGS) -o $@ $(PKT_OBJS) $(PKT_LINUX_OBJ) \
		$(SIMD_LIB) $(EUT_LIB) $(EUT_LINK) $(REF_LIB) $(PKG_LIBS)

$(PKT_LINUX_OBJ): PROJ_CFLAGS += -Isim/eut -Isim -Ihost/tools/toe_simd

$(PKT_OBJS): PROJ_CFLAGS += -I$(PKT_DIR) -Isim/eut

# The test scripts find the runner through TOE_PKT.
TEST_SCRIPTS += tests/scripts/pkt-model.sh tests/scripts/pkt-neg.sh tests/scripts/pkt-engine.sh tests/scripts/pkt-engine-long.sh \
                tests/scripts/pkt-linux.sh
test-run: $(TOE_PKT)
test-run: export TOE_PKT := $(TOE_PKT)

.PHONY: pkt pkt-model pkt-linux
pkt: $(TOE_PKT)
	$(TOE_PKT) tests/pkt/*.pkt
pkt-model: $(TOE_PKT)
	$(TOE_PKT) --model tests/pkt/*.pkt
# Every script against the Linux kernel, in real time (root, /dev/net/tun;
# docs/pkt.md "Linux as the third stack")
pkt-linux: $(TOE_PKT)
	$(TOE_PKT) --linux -j $(PKT_LINUX_JOBS) tests/pkt/*.pkt
PKT_LINUX_JOBS ?= 16
