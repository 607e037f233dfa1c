# host/ref: packet codec + reference stack -> $(BUILD)/libtoeref.a
REF_SRCS := $(wildcard host/ref/*.c) host/common/toe_tcp.c host/common/toe_parse.c
REF_OBJS := $(REF_SRCS:%.c=$(BUILD)/obj/%.o)
REF_LIB  := $(BUILD)/libtoeref.a
ALL_TARGETS += $(REF_LIB)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -c $< -o $@

$(REF_LIB): $(REF_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
