# SPDX-License-Identifier: MIT
# host/lib: the host library (bridge protocol, and what later joins it) ->
# $(BUILD)/libtoe.a. Every host/lib/*.c is part of it; its sources see
# host/lib on the include path. Tests and tools that use it add $(TOE_LIB)
# to their prerequisites (the unit-test link picks up every .a prerequisite)
# and -Ihost/lib to their flags.
TOE_LIB_SRCS := $(wildcard host/lib/*.c)
TOE_LIB_OBJS := $(TOE_LIB_SRCS:%.c=$(BUILD)/obj/%.o)
TOE_LIB      := $(BUILD)/libtoe.a
ALL_TARGETS  += $(TOE_LIB)

$(TOE_LIB_OBJS): PROJ_CFLAGS += -Ihost/lib

$(TOE_LIB): $(TOE_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# tests/unit/test_proto.c: the protocol's unit tests
$(BUILD)/tests/test_proto: $(TOE_LIB)
$(BUILD)/obj/tests/unit/test_proto.o: PROJ_CFLAGS += -Ihost/lib
