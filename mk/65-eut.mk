# SPDX-License-Identifier: MIT
# The engine under test (sim/eut/toe_eut.h): one interface to "a TCP engine
# with a MAC" for toe-simd (mk/80-linux.mk) and toe-pkt (mk/70-pkt.mk),
# with an rtl back end (the Verilator model through libtoesim, mk/60-top.mk)
# and a ref back end (the reference stack, libtoeref); the board back end
# (sim/eut/toe_eut_board.c, a board model driven at its pins) is built in
# mk/95-fpga.mk and linked only into toe-simd and test_interop_board.
#
#   $(BUILD)/libtoeeut.a   sim/eut/toe_eut.c, toe_eut_ref.c, toe_eut_regs.c
#                          (the register half of rtl and board), and
#                          toe_eut_rtl.c when libtoesim is built
#                          (TOESIM_LINK), else toe_eut_nortl.c (no rtl back
#                          end)
#
# A program using it links $(EUT_LIB) $(EUT_LINK) $(REF_LIB) with $(EUT_LD)
# ($(CXX) when the rtl back end is in, the model being C++) and compiles
# with -Isim/eut.

EUT_SRCS := sim/eut/toe_eut.c sim/eut/toe_eut_ref.c sim/eut/toe_eut_regs.c
ifdef TOESIM_LINK
EUT_SRCS += sim/eut/toe_eut_rtl.c
EUT_LD    = $(CXX)
EUT_LINK  = $(TOESIM_LINK)
EUT_DEPS  = $(TOESIM_DEPS)
else
EUT_SRCS += sim/eut/toe_eut_nortl.c
EUT_LD    = $(CC)
EUT_LINK  =
EUT_DEPS  =
endif
EUT_OBJS := $(EUT_SRCS:%.c=$(BUILD)/obj/%.o)
EUT_LIB  := $(BUILD)/libtoeeut.a
ALL_TARGETS += $(EUT_LIB)

$(EUT_OBJS): PROJ_CFLAGS += -Isim/eut -Isim

$(EUT_LIB): $(EUT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
