# tests/unit/test_*.c: one cmocka runner each, linked with the reference lib.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_BINS += $(UNIT_BINS)
ALL_TARGETS += $(UNIT_BINS)

# tests/unit/support/*.c: helpers shared by the runners (segment templates...)
TEST_SUPPORT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/unit/support/*.c))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_SUPPORT_OBJS) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROJ_LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(CMOCKA_LIBS) $(PKG_LIBS)

$(BUILD)/obj/tests/unit/%.o: PROJ_CFLAGS += -Itests/unit/support -DTOE_VECTORS_DIR='"tests/vectors"'

# tests/unit/test_drv.c: the register driver against a fake register file
$(BUILD)/tests/test_drv: $(BUILD)/obj/host/common/toe_drv.o

# Keep test objects between runs (they would be intermediate files).
.SECONDARY:

# docs/tcp-behaviours.md: an entry for every behaviour ID the tests name, every
# tests/pkt script listed, nothing listed that does not exist.
TEST_SCRIPTS += tests/scripts/behaviour-ids.sh
