# SPDX-License-Identifier: MIT
# toe-pkt: the packetdrill-language conformance runner
# (host/tools/toe_pkt/, docs/pkt.md) and its scripts (tests/pkt/*.pkt).
#
#   $(BUILD)/toe-pkt [--model] tests/pkt/*.pkt
#
# With the engine's simulation library (TOESIM_LINK from mk/60-top.mk) the
# default back end is the Verilator engine and toe-pkt is linked with
# $(CXX); without it only --model exists (pkt_be_none.c).
#
# 'make test' runs: every script against the reference stack
# (mk/pkt-model.sh), against the engine (mk/pkt-engine.sh, and
# mk/pkt-engine-long.sh for the scripts tagged "// toe-pkt: long"), and the
# runner's negative tests (mk/pkt-neg.sh: tests/pkt/neg/*.pkt must fail
# with the message each one names).

TOE_PKT      := $(BUILD)/toe-pkt
PKT_DIR      := host/tools/toe_pkt
PKT_SRCS     := $(PKT_DIR)/pkt_main.c $(PKT_DIR)/pkt_parse.c $(PKT_DIR)/pkt_run.c \
                $(PKT_DIR)/pkt_be_model.c
ALL_TARGETS  += $(TOE_PKT)

ifdef TOESIM_LINK
PKT_SRCS     += $(PKT_DIR)/pkt_be_engine.c
PKT_OBJS     := $(PKT_SRCS:%.c=$(BUILD)/obj/%.o)
$(BUILD)/obj/$(PKT_DIR)/pkt_be_engine.o: PROJ_CFLAGS += -Isim -Ihost/lib
$(TOE_PKT): $(PKT_OBJS) $(REF_LIB) $(TOESIM_DEPS)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(PKT_OBJS) $(TOESIM_LINK) $(REF_LIB) \
		$(PKG_LIBS)
else
PKT_SRCS     += $(PKT_DIR)/pkt_be_none.c
PKT_OBJS     := $(PKT_SRCS:%.c=$(BUILD)/obj/%.o)
$(TOE_PKT): $(PKT_OBJS) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $(PKT_OBJS) $(REF_LIB) $(PKG_LIBS)
endif

$(PKT_OBJS): PROJ_CFLAGS += -I$(PKT_DIR)

# The test scripts find the runner through TOE_PKT.
TEST_SCRIPTS += mk/pkt-model.sh mk/pkt-neg.sh mk/pkt-engine.sh mk/pkt-engine-long.sh
test-run: $(TOE_PKT)
test-run: export TOE_PKT := $(TOE_PKT)

.PHONY: pkt pkt-model
pkt: $(TOE_PKT)
	$(TOE_PKT) tests/pkt/*.pkt
pkt-model: $(TOE_PKT)
	$(TOE_PKT) --model tests/pkt/*.pkt
