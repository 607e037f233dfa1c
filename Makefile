# SPDX-License-Identifier: MIT
# TCP offload engine: the one entry point.
#
#   make          build libraries, tools and tests
#   make test     install what is missing, build, run every test
#   make demo     install what is missing, run the main job
#   make SAN=1 test   the same with AddressSanitizer + UBSan
#
# Per-area rules live in mk/*.mk and are included below.

BUILD   ?= build
SAN     ?= 0
PREFIX  ?= /usr/local
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
CXXFLAGS ?= -O2 -g

ifeq ($(SAN),1)
override BUILD := $(BUILD)-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# gcc's AddressSanitizer finds a read of a returned function's stack frame
# only with this run-time option (issue 17 item 1: toe-pkt --model read an
# RX_DATA payload from a frame buffer on a returned stack frame).
# verify_asan_link_order=0: test_host_ftdi re-executes itself with
# umockdev's preload library in LD_PRELOAD, ahead of the ASan run-time,
# which ASan otherwise refuses to start with
ASAN_OPTIONS := detect_stack_use_after_return=1:verify_asan_link_order=0$(if $(ASAN_OPTIONS),:$(ASAN_OPTIONS))
export ASAN_OPTIONS
endif

# Flags for the project's own C code.
PROJ_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
              -D_DEFAULT_SOURCE -MD -MP -Ihost/include -Ihost/ref -Ihost/pkt -Ihost/common \
              $(SANFLAGS)
PROJ_LDFLAGS = $(SANFLAGS)
# Libraries come from pkg-config, evaluated only when a recipe runs (after deps).
PKG_LIBS = $(shell pkg-config --libs libpcap libsodium 2>/dev/null || echo -lpcap -lsodium)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# Lists the area fragments append to.
ALL_TARGETS :=
TEST_BINS   :=
TEST_SCRIPTS :=

.PHONY: all deps test test-run demo clean install
all:

include $(sort $(wildcard mk/*.mk))

all: $(ALL_TARGETS)

deps:
	@sh mk/deps.sh

# 'test' and 'demo' first make sure the packages are there, then build in a
# second make so pkg-config sees them.
# The build of the runners goes TEST_JOBS wide (both cores of the CI
# machine; it is most of `make test`'s time); the runners then run one
# after another (tests/scripts/run-tests.sh), so their timing checks see
# one core each.
TEST_JOBS ?= 2
test: deps
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) test-run

demo: deps
	@$(MAKE) --no-print-directory demo-run

test-run: $(TEST_BINS)
	@sh tests/scripts/run-tests.sh $(TEST_BINS) $(TEST_SCRIPTS)

clean:
	rm -rf build build-san

# Dependency files. Make tries to remake every included file, and its
# built-in "link %.o into %" rule would then try to build a program out of
# a dependency file (replay_config.d from replay_config.d.o, by the
# replay_%.o rule of mk/85-fuzz.mk) whenever a source is newer: cancelled.
%: %.o
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
