#!/bin/sh
# SPDX-License-Identifier: MIT
# Lint every RTL module: verilator --lint-only -Wall on each rtl/*.v as its
# own top (submodules are found in rtl/ by name), on each board block of
# fpga/common, and on each board top fpga/<board>/fpga_*_top.v. For fpga/
# the ECP5 primitives (EHXPLLL) are the behavioural models the board-level
# simulation runs (fpga/common/sim/, with --timing for their delays: linted
# too), and the generated MAC is the lint-only stand-in of
# fpga/common/lint/ (its ports). Any warning fails; a waiver is a one-line
# lint_off comment at the line it waives, never a -Wno-* here.
set -u
cd "$(dirname "$0")/../.." || exit 1
VERILATOR=${VERILATOR:-verilator}
n=0; bad=0
for f in rtl/*.v fpga/common/*.v fpga/*/fpga_*_top.v; do
	[ -e "$f" ] || continue
	top=$(basename "$f" .v)
	set --
	case "$f" in
	fpga/*) set -- --timing -Ifpga/common/sim ;;
	esac
	out=$("$VERILATOR" --lint-only -Wall -Irtl -Ifpga/common -Ifpga/common/lint \
		"$@" --top-module "$top" "$f" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		printf '%s\n' "$out"
		echo "lint: $f: FAILED"
		bad=$((bad + 1))
	fi
done
echo "lint: $n RTL files (rtl/, fpga/), $((n - bad)) clean, $bad failed"
[ $bad -eq 0 ]
