# SPDX-License-Identifier: MIT
# The host side around libtoe (mk/50-lib.mk): the simulation's TCP server
# component, toectl linked with the library, the host tests, install.
#
#   $(TOE_HOSTSRV_LIB)   sim/joint/toe_hostsrv.c (serves a toe_sim's host bridge
#                        on 127.0.0.1:PORT); link it before TOESIM_LINK
#   $(TOESIM_TR_OBJ)     sim/joint/toe_sim_transport.c: registers the engine of
#                        toe_sim.h as libtoe's sim: engine at program start;
#                        in neither library: a program that opens sim: links
#                        it with the model (or a stand-in) and libtoe
#   tests/host/test_*.c  cmocka runners; see the per-runner notes below
#   make install PREFIX=DIR [DESTDIR=...]
#                        headers (include/toe/), libtoe.a, libtoe.so*,
#                        libtoesim.a (the engine model, when built), toectl,
#                        lib/pkgconfig/toe.pc and toe-sim.pc
#   make uninstall PREFIX=DIR

TOE_HOSTSRV_LIB := $(BUILD)/libtoehostsrv.a
ALL_TARGETS += $(TOE_HOSTSRV_LIB)

$(BUILD)/obj/sim/joint/toe_hostsrv.o: PROJ_CFLAGS += -Isim -Idriver

$(TOE_HOSTSRV_LIB): $(BUILD)/obj/sim/joint/toe_hostsrv.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

TOESIM_TR_OBJ := $(BUILD)/obj/sim/joint/toe_sim_transport.o
$(TOESIM_TR_OBJ): PROJ_CFLAGS += -Isim -Idriver

# The engine model is there once mk/60-top.mk and sim/toe_sim.cpp are.
HAVE_TOESIM := $(if $(wildcard sim/toe_sim.cpp mk/60-top.mk),1,)
TOESIM_ARCHIVE := $(BUILD)/libtoesim.a

# ---- toectl: the decoder plus the library (and the engine model) ----
$(BUILD)/obj/host/tools/toectl.o: PROJ_CFLAGS += -Ihost/lib -Idriver -Isim
$(TOECTL): $(TOE_LIB)
ifeq ($(HAVE_TOESIM),1)
$(TOECTL): $(TOESIM_TR_OBJ) $(TOESIM_ARCHIVE) $(VL_RT_LIB)
$(TOECTL): private CC = $(CXX)
# (not TOESIM_LINK itself: it contains PKG_LIBS; $(TOESIM_TR_OBJ) is
# linked as a prerequisite)
$(TOECTL): private PKG_LIBS += $(TOESIM_ARCHIVE) \
	$(TOE_LIB) $(VL_RT_LIB) $(TOE_DEP_LIBS) $(VL_LDLIBS)
else
$(TOECTL): private PKG_LIBS += $(TOE_DEP_LIBS)
endif

# ---- tests/host ----
HOST_TEST_CFLAGS := -Ihost/lib -Idriver -Isim -Isim/joint -Itests/host/support \
	-Itests/unit/support -DTOE_VECTORS_DIR='"tests/vectors"'
$(BUILD)/obj/tests/host/%.o: PROJ_CFLAGS += $(HOST_TEST_CFLAGS)

HOST_FAKE_OBJS := $(BUILD)/obj/tests/host/support/fake_eng.o \
	$(BUILD)/obj/tests/host/support/fake_sim.o
# a simulated engine served over TCP by a thread (test_host_fake, test_host_sim)
HOST_SERVER_OBJ := $(BUILD)/obj/tests/host/support/sim_server.o

# test_host_uri: libtoe alone (no engine model: sim: must say so)
$(BUILD)/tests/test_host_uri: $(BUILD)/obj/tests/host/test_host_uri.o $(TOE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(TOE_DEP_LIBS)

# test_host_fake: libtoe over the C stand-in engine (fake_sim, handed to
# sim: by the same $(TOESIM_TR_OBJ) as the model), the server component in
# a thread
$(BUILD)/tests/test_host_fake: $(BUILD)/obj/tests/host/test_host_fake.o \
		$(HOST_FAKE_OBJS) $(TOESIM_TR_OBJ) $(HOST_SERVER_OBJ) $(TOE_HOSTSRV_LIB) \
		$(TOE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(TOE_DEP_LIBS) -pthread

# test_host_ftdi: libtoe's ftdi:// (real libftdi1 + libusb) against an
# FT2232H emulated on umockdev's USB bus; re-executes itself with the
# umockdev preload library
UMOCKDEV_CFLAGS = $(shell pkg-config --cflags umockdev-1.0 glib-2.0 gobject-2.0 2>/dev/null)
UMOCKDEV_LIBS = $(shell pkg-config --libs umockdev-1.0 glib-2.0 gobject-2.0 2>/dev/null || echo -lumockdev -lgobject-2.0 -lglib-2.0)
$(BUILD)/obj/tests/host/support/ftdi_emu.o $(BUILD)/obj/tests/host/test_host_ftdi.o: \
	PROJ_CFLAGS += $(UMOCKDEV_CFLAGS)
$(BUILD)/tests/test_host_ftdi: $(BUILD)/obj/tests/host/test_host_ftdi.o \
		$(BUILD)/obj/tests/host/support/ftdi_emu.o \
		$(BUILD)/obj/tests/host/support/fake_eng.o $(TOE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(TOE_DEP_LIBS) $(UMOCKDEV_LIBS)

HOST_TESTS := $(BUILD)/tests/test_host_uri $(BUILD)/tests/test_host_fake \
	$(BUILD)/tests/test_host_ftdi

# test_host_sim: the API end to end against the real engine (sim:)
ifeq ($(HAVE_TOESIM),1)
# (it runs toectl against a server thread: TOECTL_BIN)
$(BUILD)/obj/tests/host/test_host_sim.o: PROJ_CFLAGS += -DTOECTL_BIN='"$(TOECTL)"'
$(BUILD)/tests/test_host_sim: $(BUILD)/obj/tests/host/test_host_sim.o $(TOE_LIB) \
		$(TOESIM_TR_OBJ) $(HOST_SERVER_OBJ) $(TOE_HOSTSRV_LIB) $(TOESIM_ARCHIVE) \
		$(VL_RT_LIB) $(REF_LIB) $(BUILD)/obj/tests/unit/support/frame_edit.o \
		| $(TOECTL)
	@mkdir -p $(dir $@)
	$(CXX) $(PROJ_LDFLAGS) -o $@ $(BUILD)/obj/tests/host/test_host_sim.o \
		$(BUILD)/obj/tests/unit/support/frame_edit.o \
		$(TOESIM_TR_OBJ) $(HOST_SERVER_OBJ) $(TOE_HOSTSRV_LIB) $(TOE_LIB) \
		$(TOESIM_LINK) $(REF_LIB) $(CMOCKA_LIBS) $(TOE_DEP_LIBS)
HOST_TESTS += $(BUILD)/tests/test_host_sim
endif
TEST_BINS += $(HOST_TESTS)
ALL_TARGETS += $(HOST_TESTS)

# ---- the README example (examples/listen.c) against the installed
# library: tests/scripts/example-test.sh runs `make install PREFIX=$(BUILD)/stage` and
# compiles the example with pkg-config ----
TEST_SCRIPTS += tests/scripts/example-test.sh
export TOE_EXAMPLE_BUILD = $(if $(filter 1,$(SAN)),$(patsubst %-san,%,$(BUILD)),$(BUILD))
export TOE_EXAMPLE_SAN = $(SAN)
export TOE_EXAMPLE_SANFLAGS = $(SANFLAGS)

# ---- install ----
INSTALL ?= install
DESTDIR ?=
TOE_INC_DIR := $(DESTDIR)$(PREFIX)/include/toe
TOE_LIB_DIR := $(DESTDIR)$(PREFIX)/lib
TOE_PC_DIR  := $(TOE_LIB_DIR)/pkgconfig
TOE_BIN_DIR := $(DESTDIR)$(PREFIX)/bin
TOE_PUB_HDRS := host/include/toe/toe.h host/include/toe/toe_regs.h \
	host/include/toe/toe_tcp.h driver/toe_transport.h host/lib/toe_proto.h \
	host/common/toe_proto_codec.h sim/toe_sim.h sim/joint/toe_hostsrv.h
# the frame codec the tests use (host/pkt: Ethernet/IPv4/TCP parse and
# build, ARP/ICMP, the seed decoder, pcap), as libtoepkt.a and toe-pkt.pc
TOE_PKT_HDRS := host/pkt/toe_wire.h host/pkt/toe_decode.h host/pkt/toe_l2.h \
	host/include/toe/toe_parse.h

# toe.pc / toe-sim.pc from toe.pc.in: one template, two packages
define TOE_PC
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(TOE_VERSION)|g' \
	    -e 's|@NAME@|$(1)|g' -e 's|@DESC@|$(2)|g' -e 's|@REQUIRES@|$(3)|g' \
	    -e 's|@LIBS@|$(4)|g' -e 's|@LIBS_PRIVATE@|$(5)|g' toe.pc.in > $(6)
endef

.PHONY: uninstall
install: $(TOE_LIB) $(TOE_SO) $(TOECTL) $(TOE_HOSTSRV_LIB) $(PKT_ARCHIVE) toe.pc.in \
		$(if $(HAVE_TOESIM),$(TOESIM_ARCHIVE) $(TOESIM_TR_OBJ))
	$(INSTALL) -d $(TOE_INC_DIR) $(TOE_LIB_DIR) $(TOE_PC_DIR) $(TOE_BIN_DIR)
	$(INSTALL) -m 644 $(TOE_PUB_HDRS) $(TOE_INC_DIR)/
	$(INSTALL) -m 644 $(TOE_LIB) $(TOE_LIB_DIR)/libtoe.a
	$(INSTALL) -m 755 $(TOE_SO) $(TOE_LIB_DIR)/
	ln -sf libtoe.so.$(TOE_VERSION) $(TOE_LIB_DIR)/libtoe.so.$(TOE_SOVERSION)
	ln -sf libtoe.so.$(TOE_VERSION) $(TOE_LIB_DIR)/libtoe.so
	$(INSTALL) -m 755 $(TOECTL) $(TOE_BIN_DIR)/toectl
	$(call TOE_PC,toe,TCP offload engine host library,,-L$${libdir} -ltoe,$(TOE_DEP_LIBS),$(TOE_PC_DIR)/toe.pc)
	$(INSTALL) -m 644 $(TOE_PKT_HDRS) $(TOE_INC_DIR)/
	$(INSTALL) -m 644 $(PKT_ARCHIVE) $(TOE_LIB_DIR)/libtoepkt.a
	$(call TOE_PC,toe-pkt,the frame codec of the TCP offload engine project (frames, ARP/ICMP, pcap),libpcap,-L$${libdir} -ltoepkt,,$(TOE_PC_DIR)/toe-pkt.pc)
ifeq ($(HAVE_TOESIM),1)
	@# the engine model, its hostsrv, the Verilator runtime and the unit
	@# that registers the model as libtoe's sim: engine, as one archive
	@# (toe-sim.pc forces that unit in: it is what makes sim: work)
	rm -rf $(BUILD)/toesim-merge && mkdir -p $(BUILD)/toesim-merge/toesimtr
	cd $(BUILD)/toesim-merge && for a in $(abspath $(filter %.a,$(TOESIM_LINK)) $(TOE_HOSTSRV_LIB)); do \
		d=$$(basename $$a .a); mkdir $$d && (cd $$d && ar x $$a); done
	cp $(TOESIM_TR_OBJ) $(BUILD)/toesim-merge/toesimtr/
	rm -f $(TOE_LIB_DIR)/libtoesim.a
	ar rcs $(TOE_LIB_DIR)/libtoesim.a $$(find $(BUILD)/toesim-merge -name '*.o' | sort)
	$(call TOE_PC,toe-sim,libtoe with the simulated engine (sim: transport),toe,-L$${libdir} -Wl$(comma)--undefined=toe_sim_model_engine -ltoesim -ltoe $(filter-out %.a,$(TOESIM_LINK)) -lstdc++,,$(TOE_PC_DIR)/toe-sim.pc)
endif

uninstall:
	rm -f $(addprefix $(TOE_INC_DIR)/,$(notdir $(TOE_PUB_HDRS) $(TOE_PKT_HDRS)))
	-rmdir $(TOE_INC_DIR) 2>/dev/null
	rm -f $(TOE_LIB_DIR)/libtoe.a $(TOE_LIB_DIR)/libtoe.so* $(TOE_LIB_DIR)/libtoesim.a
	rm -f $(TOE_LIB_DIR)/libtoepkt.a
	rm -f $(TOE_PC_DIR)/toe.pc $(TOE_PC_DIR)/toe-sim.pc $(TOE_PC_DIR)/toe-pkt.pc $(TOE_BIN_DIR)/toectl

comma := ,
