# SPDX-License-Identifier: MIT
# The receive parser (rtl/toe_rx_parse.v) and the transmit frame builder
# (rtl/toe_tx_build.v): Verilator models with cmocka runners that compare
# them with the C codec (toe_parse_frame / toe_build_frame) on the same
# bytes: seed frames, every truncation, corruptions, random traffic with
# idle gaps and backpressure, and cycle counts (latency, throughput).

$(eval $(call VBLOCK,rxparse,toe_rx_parse,rtl/toe_rx_parse.v rtl/toe_skid.v,\
	tests/rtl/blocks/rxparse_model.cpp,tests/rtl/test_rtl_rx_parse.c))
$(eval $(call VBLOCK,txbuild,toe_tx_build,rtl/toe_tx_build.v rtl/toe_skid.v,\
	tests/rtl/blocks/txbuild_model.cpp,tests/rtl/test_rtl_tx_build.c))

$(BUILD)/obj/tests/rtl/test_rtl_rx_parse.o: tests/rtl/blocks/rxparse_model.h
$(BUILD)/obj/tests/rtl/test_rtl_tx_build.o: tests/rtl/blocks/txbuild_model.h
