# host/tools: the toectl command-line tool, the seed replay program, and
# `make demo-seed` (the seed capture replayed; `make demo` itself is in
# mk/80-linux.mk).
TOECTL      := $(BUILD)/toectl
SEED_REPLAY := $(BUILD)/toe-seed-replay
SEED_REPLAY_OBJ := $(BUILD)/obj/host/tools/seed_replay.o
ALL_TARGETS += $(TOECTL) $(SEED_REPLAY)

$(TOECTL): $(BUILD)/obj/host/tools/toectl.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(SEED_REPLAY): $(BUILD)/obj/host/tools/seed_replay_main.o $(SEED_REPLAY_OBJ) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# tests/unit/test_seed_golden.c calls the seed scenarios.
$(BUILD)/tests/test_seed_golden: $(SEED_REPLAY_OBJ)
$(BUILD)/obj/tests/unit/test_seed_golden.o: PROJ_CFLAGS += -Ihost/tools

# tests/unit/test_decode.c runs the built toectl (exit codes, output).
$(BUILD)/tests/test_decode: | $(TOECTL)
$(BUILD)/obj/tests/unit/test_decode.o: PROJ_CFLAGS += -DTOECTL_BIN='"$(TOECTL)"'

# `make demo` is the engine against the Linux kernel: demo-run is in
# mk/80-linux.mk. The seed capture's replay through the reference stack
# (what `make demo` showed before) is `make demo-seed`.
.PHONY: demo-seed
demo-seed: $(TOECTL) $(SEED_REPLAY)
	@mkdir -p $(BUILD)/demo
	@echo '### toectl decode tests/vectors/seed_frames.pcap'
	@echo
	@$(TOECTL) decode tests/vectors/seed_frames.pcap
	@echo '### toe-seed-replay -o $(BUILD)/demo/seed-replay.pcap'
	@echo
	@$(SEED_REPLAY) -o $(BUILD)/demo/seed-replay.pcap
