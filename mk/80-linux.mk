# SPDX-License-Identifier: MIT
# The engine against the real Linux TCP stack (docs/linux-interop.md):
#
#   $(BUILD)/toe-simd        the simulation daemon: the engine (RTL model, the
#                            reference stack with --engine=ref, or a board
#                            model with --board=NAME) on a TAP
#                            link in a network namespace it creates; `serve`
#                            exposes the host bridge on tcp://127.0.0.1:PORT,
#                            `demo` is what `make demo` runs
#   $(BUILD)/toe-linux-peer  the Linux side: plain sockets client/server/ping
#   $(BUILD)/tests/test_interop_linux
#                            cmocka interop tests (in `make test`)
#   $(BUILD)/tests/test_interop_serve
#                            `toe-simd serve` driven by toectl over tcp://
#                            (a shell script, in `make test`)
#   $(BUILD)/tests/test_simd_args
#                            toe-simd's option checking: bad values are
#                            usage errors (a shell script, in `make test`;
#                            no root needed)
#   make demo                (demo-run, at the end of this file)
#
# The RTL back end needs the engine model (libtoesim, mk/60-top.mk, which
# defines TOESIM_LINK); without it everything builds with the ref engine
# only and says so.

SIMD_COMMON := host/tools/toe_simd/toe_simd_net.c host/tools/toe_simd/toe_simd_wire.c host/tools/toe_simd/toe_simd_show.c \
               host/tools/toe_simd/toe_simd_session.c
# the engine under test (sim/eut/toe_eut.h, mk/65-eut.mk): rtl and ref back
# ends, or ref only without libtoesim
SIMD_LD      = $(EUT_LD)
SIMD_LDLIBS  = $(EUT_LIB) $(EUT_LINK)
SIMD_DEPLIBS = $(EUT_LIB) $(EUT_DEPS)
# The host bridge server (sim/joint/toe_hostsrv.c, $(TOE_HOSTSRV_LIB) from
# mk/55-host.mk) serves the model's bridge: only with the model.
ifdef TOESIM_LINK
ifdef TOE_HOSTSRV_LIB
SIMD_HOSTSRV := 1
SIMD_LDLIBS  = $(EUT_LIB) $(TOE_HOSTSRV_LIB) $(EUT_LINK)
SIMD_DEPLIBS = $(EUT_LIB) $(TOE_HOSTSRV_LIB) $(EUT_DEPS)
endif
endif

SIMD_OBJS := $(SIMD_COMMON:%.c=$(BUILD)/obj/%.o)
# the daemon itself: options, serve (toe_simd.c) and the demo
SIMD_MAIN_OBJS := $(BUILD)/obj/host/tools/toe_simd/toe_simd.o $(BUILD)/obj/host/tools/toe_simd/toe_simd_demo.o
SIMD_LIB  := $(BUILD)/libtoesimd.a
TOE_SIMD  := $(BUILD)/toe-simd
LINUX_PEER := $(BUILD)/toe-linux-peer
INTEROP_TEST := $(BUILD)/tests/test_interop_linux
ALL_TARGETS += $(TOE_SIMD) $(LINUX_PEER) $(INTEROP_TEST)
TEST_BINS += $(INTEROP_TEST)

$(SIMD_OBJS) $(SIMD_MAIN_OBJS): PROJ_CFLAGS += -Isim -Isim/joint -Isim/eut -Itests/interop -Idriver \
	$(if $(SIMD_HOSTSRV),-DTOE_SIMD_HOSTSRV=1)

# toe-pkt --linux uses the namespace and TAP code (mk/70-pkt.mk)
$(TOE_PKT): $(SIMD_LIB)

$(SIMD_LIB): $(SIMD_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The board models (--board=NAME): $(SIMD_BOARD_LINK) / _LIBS and the
# prerequisites come from mk/95-fpga.mk (the board back end of the engine
# under test, the Versa board model, libtoe).
$(TOE_SIMD): $(SIMD_MAIN_OBJS) $(SIMD_LIB) $(REF_LIB) $(SIMD_DEPLIBS) \
		| $(LINUX_PEER)
	@mkdir -p $(dir $@)
	$(SIMD_LD) $(PROJ_LDFLAGS) -o $@ $(SIMD_MAIN_OBJS) $(SIMD_BOARD_LINK) \
		$(SIMD_LIB) $(SIMD_LDLIBS) $(REF_LIB) $(PKG_LIBS) \
		$(SIMD_BOARD_LIBS) -pthread

$(LINUX_PEER): $(BUILD)/obj/tests/interop/linux_peer.o
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ -pthread

$(BUILD)/obj/tests/interop/%.o: PROJ_CFLAGS += -Isim -Isim/eut -Ihost/tools/toe_simd -Itests/interop \
	-Itests/unit/support -DTOE_VECTORS_DIR='"tests/vectors"' \
	-DINTEROP_DIR='"$(BUILD)/interop"'

# test_interop_serve: toe-simd serve driven by toectl over tcp://
# (tests/interop/serve_toectl.sh with the build directory filled in)
ifdef SIMD_HOSTSRV
INTEROP_SERVE_TEST := $(BUILD)/tests/test_interop_serve
TEST_BINS += $(INTEROP_SERVE_TEST)
ALL_TARGETS += $(INTEROP_SERVE_TEST)
$(INTEROP_SERVE_TEST): tests/interop/serve_toectl.sh $(TOE_SIMD) $(LINUX_PEER) \
		$(TOECTL)
	@mkdir -p $(dir $@)
	sed -e 's|@BUILD@|$(BUILD)|g' $< > $@ && chmod +x $@
endif

# test_simd_args: toe-simd's option checking
# (tests/interop/simd_args.sh with the build directory filled in)
SIMD_ARGS_TEST := $(BUILD)/tests/test_simd_args
TEST_BINS += $(SIMD_ARGS_TEST)
ALL_TARGETS += $(SIMD_ARGS_TEST)
$(SIMD_ARGS_TEST): tests/interop/simd_args.sh $(TOE_SIMD)
	@mkdir -p $(dir $@)
	sed -e 's|@BUILD@|$(BUILD)|g' $< > $@ && chmod +x $@

$(INTEROP_TEST): $(BUILD)/obj/tests/interop/test_interop_linux.o $(SIMD_LIB) \
		$(REF_LIB) $(SIMD_DEPLIBS) | $(LINUX_PEER)
	@mkdir -p $(dir $@)
	$(SIMD_LD) $(PROJ_LDFLAGS) -o $@ $< $(SIMD_LIB) $(SIMD_LDLIBS) \
		$(REF_LIB) $(CMOCKA_LIBS) $(PKG_LIBS) -pthread

# ---- make demo (the top Makefile's demo target runs demo-run) ----
# The engine listens, a Linux client connects, sends a line and closes;
# the engine connects to a Linux listener and closes; every frame printed
# as it crosses; exit 0 only if every step happened as expected. Needs
# root (network namespace, TAP). DEMO_FLAGS: e.g. -v (full decode),
# --engine=ref.
DEMO_FLAGS ?=
.PHONY: demo-run
demo-run: $(TOE_SIMD) $(LINUX_PEER)
	@mkdir -p $(BUILD)/demo
	@echo '### toe-simd demo   (the seed capture replay: make demo-seed)'
	@$(TOE_SIMD) --pcap=$(BUILD)/demo/linux-interop.pcap $(DEMO_FLAGS) demo
