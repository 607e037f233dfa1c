# SPDX-License-Identifier: MIT
# The connection-processing core (rtl/toe_tcb_core.v and its submodules):
# Verilator models at N_CONN 1024 and 65536, each with a cmocka runner that
# drives it through tests/rtl/blocks/tcb_core_model.{h,cpp}, directed and
# differential against the reference stack.

FSM_RTL := rtl/toe_tcb_core.v rtl/toe_tcp_fsm.v rtl/toe_conn_table.v \
           rtl/toe_listen_table.v rtl/toe_tcb_alloc.v rtl/toe_tcb_ffs.v \
           rtl/toe_tcb_fifo.v rtl/toe_tcb_ram.v

$(eval $(call VBLOCK,tcb_core,toe_tcb_core,$(FSM_RTL),tests/rtl/blocks/tcb_core_model.cpp,tests/rtl/test_rtl_tcb_core.c))
$(eval $(call VBLOCK,tcb_core_64k,toe_tcb_core,$(FSM_RTL),tests/rtl/blocks/tcb_core_model_64k.cpp,tests/rtl/test_rtl_tcb_core_64k.c,-GN_CONN=65536))
# 7-bit connection-table fingerprints: the collision path, exercised
$(eval $(call VBLOCK,tcb_core_fp7,toe_tcb_core,$(FSM_RTL),tests/rtl/blocks/tcb_core_model_fp7.cpp,tests/rtl/test_rtl_tcb_core_fp7.c,-GCT_FP_W=7))

# the runners include the shared differential harness
$(BUILD)/obj/tests/rtl/test_rtl_tcb_core.o $(BUILD)/obj/tests/rtl/test_rtl_tcb_core_64k.o \
$(BUILD)/obj/tests/rtl/test_rtl_tcb_core_fp7.o: \
	tests/rtl/tcb_core_dual.h tests/rtl/blocks/tcb_core_model.h

# Yosys: N_CONN 65536 elaborates, memories inferred (not flip-flops), no
# latches or multiple drivers; also run by 'make test'. The generic
# 'make synth' maps memories to flip-flops (no block RAM library), which
# for a 1024 x 713-bit TCB RAM is slow and meaningless, so the core is left
# out of RTL_SYNTH_TOPS.
TEST_SCRIPTS += tests/scripts/fsm-synth-check.sh
RTL_SYNTH_TOPS := $(filter-out toe_tcb_core,$(RTL_SYNTH_TOPS))

.PHONY: synth-fsm
synth-fsm:
	@YOSYS=$(YOSYS) sh tests/scripts/fsm-synth-check.sh $(BUILD)/synth

# Formal checks (tests/scripts/formal.sh, harnesses in tests/formal/):
# bounded model checking from reset with Yosys' SMT back end, yosys-smtbmc
# and z3, then every mutant (a deliberate break of the RTL) must fail.
# Minutes, not in 'make test'; README "Figures" has the depths and times.
.PHONY: formal
formal: deps
	@sh tests/scripts/formal.sh $(BUILD)/formal
