# SPDX-License-Identifier: MIT
# Link-layer responders (rtl/toe_l2_resp.v: ARP + ICMP echo): a Verilator
# model with a cmocka runner that drives it differentially against the C
# model in host/pkt/l2.c (tests/rtl/test_rtl_l2.c), and Yosys checks.

L2_RTL := rtl/toe_l2_resp.v rtl/toe_arp_resp.v rtl/toe_icmp_echo.v rtl/toe_skid.v

$(eval $(call VBLOCK,l2,toe_l2_resp,$(L2_RTL),tests/rtl/blocks/l2_model.cpp,tests/rtl/test_rtl_l2.c))

$(BUILD)/obj/tests/rtl/test_rtl_l2.o: tests/rtl/blocks/l2_model.h

# The generic 'make synth' maps memories to flip-flops (no block RAM
# library): for the ICMP frame buffer (1024 x 64 bits) that is slow and its
# cell count meaningless. So the generic flow gets the ARP responder alone,
# and tests/scripts/l2-synth-check.sh checks the whole block: elaborates, no latches,
# no multiple drivers, the frame buffer is one 1024 x 64 memory ('make test'
# runs this part), and with -vendor the Xilinx 7-series and ECP5 mappings
# with their LUT / FF / block RAM counts ('make synth').
RTL_SYNTH_TOPS := $(filter-out toe_l2_resp,$(RTL_SYNTH_TOPS)) toe_arp_resp
TEST_SCRIPTS += tests/scripts/l2-synth-check.sh

.PHONY: synth-l2
synth: synth-l2
synth-l2:
	@YOSYS=$(YOSYS) sh tests/scripts/l2-synth-check.sh -vendor $(BUILD)/synth
