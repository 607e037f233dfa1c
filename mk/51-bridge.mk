# SPDX-License-Identifier: MIT
# The host bridge (rtl/toe_host_bridge.v, docs/host-bridge.md): a Verilator
# model of the bridge with the test-only CSR target behind it
# (tests/rtl/toe_test_bridge_top.v, tests/rtl/toe_test_csr.v), driven by
# tests/rtl/test_rtl_host_bridge.c through the host library's transaction
# layer (libtoe.a) over tests/rtl/blocks/bridge_model.{h,cpp}.

BRIDGE_TEST_RTL := tests/rtl/toe_test_bridge_top.v tests/rtl/toe_test_csr.v \
                   rtl/toe_host_bridge.v

$(eval $(call VBLOCK,bridge,toe_test_bridge_top,$(BRIDGE_TEST_RTL),\
	tests/rtl/blocks/bridge_model.cpp,tests/rtl/test_rtl_host_bridge.c,,$(TOE_LIB)))

# The model's top is test-only (not in rtl/, so not for 'make synth'):
# synthesise the bridge itself.
RTL_SYNTH_TOPS := $(filter-out toe_test_bridge_top,$(RTL_SYNTH_TOPS)) toe_host_bridge

$(BUILD)/obj/tests/rtl/test_rtl_host_bridge.o: PROJ_CFLAGS += -Ihost/lib

# 'make lint' also lints the test-only RTL (tests/scripts/lint.sh covers rtl/*.v; the
# model build lints it too, with -Wall).
.PHONY: lint-bridge-test
lint: lint-bridge-test
lint-bridge-test:
	@$(VERILATOR) --lint-only -Wall -Irtl --top-module toe_test_csr \
		tests/rtl/toe_test_csr.v && \
	$(VERILATOR) --lint-only -Wall -Irtl --top-module toe_test_bridge_top \
		$(BRIDGE_TEST_RTL) && \
	echo "lint: test-only bridge RTL clean"
