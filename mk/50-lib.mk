# SPDX-License-Identifier: MIT
# host/lib + driver: the host library -> $(BUILD)/libtoe.a and the shared
# $(BUILD)/libtoe.so (soname libtoe.so.$(TOE_SOVERSION)). Every
# host/lib/*.c and driver/*.c is part of it (the API, the bridge protocol's
# transaction layer, the transports), plus these shared units of
# host/common: toe_proto_codec.c (the bridge codec: CRC, framing, request
# payloads; the simulation library carries it too), toe_tcp.c (state
# names), toe_parse.c (strict number parsing, toe/toe_parse.h, which
# toectl and toe-simd use too) and toe_drv.c (the register driver,
# toe_drv.h, which toe-simd, toe-pkt and the engine tests use too). Its
# sources see host/lib and driver on the include path; it includes no
# header of the simulation and names none of its functions.
#
# Programs that use it link $(TOE_LIB) (or -ltoe) and $(TOE_DEP_LIBS)
# (libftdi1, libusb-1.0, libsodium). The sim: transport runs the engine a
# program registers (struct toe_sim_engine, driver/toe_transport.h): link
# $(TOESIM_TR_OBJ) (mk/55-host.mk) with the model (TOESIM_LINK,
# mk/60-top.mk) to make it work; without it sim: fails cleanly with
# TOE_ENODEV.
# Tests that only use the protocol (test_proto, the bridge RTL test) add
# $(TOE_LIB) to their prerequisites and -Ihost/lib to their flags; the
# archive gives them toe_proto.o and toe_proto_codec.o alone.
TOE_LIB_SRCS := $(wildcard host/lib/*.c) $(wildcard driver/*.c) host/common/toe_tcp.c \
	host/common/toe_parse.c host/common/toe_drv.c host/common/toe_proto_codec.c
TOE_LIB_OBJS := $(TOE_LIB_SRCS:%.c=$(BUILD)/obj/%.o)
TOE_LIB      := $(BUILD)/libtoe.a
ALL_TARGETS  += $(TOE_LIB)

TOE_VERSION   := 0.1.0
TOE_SOVERSION := 0
TOE_SO        := $(BUILD)/libtoe.so.$(TOE_VERSION)
ALL_TARGETS   += $(TOE_SO)

# libftdi1's and libusb's headers, evaluated when a recipe runs (after deps)
TOE_DEP_CFLAGS = $(shell pkg-config --cflags libftdi1 libusb-1.0 2>/dev/null || echo -I/usr/include/libftdi1 -I/usr/include/libusb-1.0)
TOE_DEP_LIBS = $(shell pkg-config --libs libftdi1 libusb-1.0 libsodium 2>/dev/null || echo -lftdi1 -lusb-1.0 -lsodium)

$(TOE_LIB_OBJS): PROJ_CFLAGS += -Ihost/lib -Idriver $(TOE_DEP_CFLAGS)

$(TOE_LIB): $(TOE_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The shared library: the same sources compiled position-independent.
TOE_PIC_OBJS := $(TOE_LIB_SRCS:%.c=$(BUILD)/pic/%.o)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -Ihost/lib -Idriver $(TOE_DEP_CFLAGS) \
		-fPIC -c $< -o $@

$(TOE_SO): $(TOE_PIC_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -shared -Wl,-soname,libtoe.so.$(TOE_SOVERSION) \
		$(if $(filter 1,$(SAN)),,-Wl,--no-undefined) -o $@ $^ $(TOE_DEP_LIBS)
	ln -sf libtoe.so.$(TOE_VERSION) $(BUILD)/libtoe.so.$(TOE_SOVERSION)
	ln -sf libtoe.so.$(TOE_VERSION) $(BUILD)/libtoe.so

# tests/unit/test_proto.c: the protocol's unit tests
$(BUILD)/tests/test_proto: $(TOE_LIB)
$(BUILD)/obj/tests/unit/test_proto.o: PROJ_CFLAGS += -Ihost/lib
