# SPDX-License-Identifier: MIT
# libFuzzer harnesses, one per parser of untrusted input (tests/fuzz/,
# docs/fuzz.md): tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput.
#
#   make fuzz [FUZZ_TIME=60] [FUZZ_ONLY="wire ref"] [FUZZ_FLAGS=...]
#       installs what is missing (clang), builds each harness with
#       $(FUZZ_CC) -fsanitize=fuzzer,address,undefined into
#       $(BUILD)/fuzz/bin/fuzz_<name> (the code under test instrumented
#       too, objects in $(BUILD)/fuzz/obj) and runs it FUZZ_TIME seconds
#       on $(BUILD)/fuzz/<name>/corpus, seeded from tests/fuzz/corpus/<name>/
#       and tests/fuzz/regress/<name>/ (tests/scripts/fuzz-run.sh). Not part of
#       'make test'. Fails on a crash, naming the reproducer.
#   make fuzz-build     only the build
#
# 'make test' runs $(BUILD)/tests/test_fuzz_<name>: the same harness
# compiled with $(CC) and the project's flags (SAN=1: the sanitizers) and
# linked with tests/fuzz/replay_main.c, which runs every committed input of
# tests/fuzz/corpus/<name>/ and tests/fuzz/regress/<name>/ once.

FUZZ_NAMES := wire ref proto pkt parse config uri
FUZZ_ONLY  ?= $(FUZZ_NAMES)
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 60
FUZZ_FLAGS ?=

# ---- the replay runners (make test) ----
FUZZ_REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/test_fuzz_%)
TEST_BINS   += $(FUZZ_REPLAY_BINS)
ALL_TARGETS += $(FUZZ_REPLAY_BINS)

FUZZ_INC := -Itests/fuzz -Ihost/lib -Idriver -I$(PKT_DIR) -Isim/eut
$(BUILD)/obj/tests/fuzz/%.o: PROJ_CFLAGS += $(FUZZ_INC)

# replay_main.c once per harness: FUZZ_NAME names its corpus
$(BUILD)/obj/tests/fuzz/replay_%.o: tests/fuzz/replay_main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -DFUZZ_NAME='"$*"' -c $< -o $@

# What a harness links besides the libraries: toe-pkt's parser; for uri,
# the transports' name lookup and USB open replaced by the harness's
# checks (tests/fuzz/fuzz_uri.c), so opening a URI never leaves the process.
FUZZ_EXTRA_pkt = $(1)/host/tools/toe_pkt/pkt_parse.o
FUZZ_LDFLAGS_uri := -Wl,--wrap=getaddrinfo -Wl,--wrap=ftdi_new

$(FUZZ_REPLAY_BINS): $(BUILD)/tests/test_fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o \
		$(BUILD)/obj/tests/fuzz/replay_%.o $(BUILD)/obj/$(PKT_DIR)/pkt_parse.o \
		$(TOE_LIB) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) $(FUZZ_LDFLAGS_$*) -o $@ $(filter %.o,$(wordlist 1,2,$^)) \
		$(call FUZZ_EXTRA_$*,$(BUILD)/obj) $(TOE_LIB) $(REF_LIB) \
		$(TOE_DEP_LIBS) $(PKG_LIBS)

# ---- the libFuzzer build (make fuzz) ----
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_OBJ := $(FUZZ_DIR)/obj
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# the project's flags without gcc's sanitizers (SAN=1), with clang's and
# libFuzzer's coverage instrumentation
FUZZ_CFLAGS = -O1 -g $(filter-out $(SANFLAGS),$(PROJ_CFLAGS)) $(FUZZ_INC) \
	-Isim $(TOE_DEP_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link

FUZZ_REF_LIB := $(FUZZ_DIR)/libtoeref.a
FUZZ_TOE_LIB := $(FUZZ_DIR)/libtoe.a
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/bin/fuzz_%)

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_REF_LIB): $(REF_SRCS:%.c=$(FUZZ_OBJ)/%.o)
	rm -f $@ && ar rcs $@ $^
$(FUZZ_TOE_LIB): $(TOE_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_DIR)/bin/fuzz_%: $(FUZZ_OBJ)/tests/fuzz/fuzz_%.o \
		$(FUZZ_OBJ)/$(PKT_DIR)/pkt_parse.o $(FUZZ_TOE_LIB) $(FUZZ_REF_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_LDFLAGS_$*) -o $@ $< \
		$(call FUZZ_EXTRA_$*,$(FUZZ_OBJ)) $(FUZZ_TOE_LIB) $(FUZZ_REF_LIB) \
		$(TOE_DEP_LIBS) $(PKG_LIBS)

.PHONY: fuzz fuzz-run fuzz-build
fuzz:
	@sh mk/deps.sh clang libclang-rt-dev
	@$(MAKE) --no-print-directory fuzz-run

fuzz-build: $(FUZZ_ONLY:%=$(FUZZ_DIR)/bin/fuzz_%)

fuzz-run: fuzz-build
	@sh tests/scripts/fuzz-run.sh $(FUZZ_DIR) $(FUZZ_TIME) "$(FUZZ_FLAGS)" $(FUZZ_ONLY)
