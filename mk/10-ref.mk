# The two bottom C floors above host/common:
#   host/pkt  the packet codec (frames, ARP/ICMP, the seed decoder, pcap)
#             -> $(BUILD)/libtoepkt.a
#   host/ref  the reference stack, built on the codec -> $(BUILD)/libtoeref.a
# $(REF_LIB) names both, in link order (the stack before the codec it uses);
# $(REF_SRCS) all their sources (the fuzz build archives them as one).
PKT_SRCS := $(wildcard host/pkt/*.c) host/common/toe_tcp.c host/common/toe_parse.c
STACK_SRCS := $(wildcard host/ref/*.c)
REF_SRCS := $(STACK_SRCS) $(PKT_SRCS)
PKT_ARCHIVE := $(BUILD)/libtoepkt.a
STACK_ARCHIVE := $(BUILD)/libtoeref.a
REF_LIB := $(STACK_ARCHIVE) $(PKT_ARCHIVE)
ALL_TARGETS += $(REF_LIB)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -c $< -o $@

$(PKT_ARCHIVE): $(PKT_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(STACK_ARCHIVE): $(STACK_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
