#!/bin/sh
# SPDX-License-Identifier: MIT
# Lint every RTL module: verilator --lint-only -Wall on each rtl/*.v as its
# own top (submodules are found in rtl/ by name). Any warning fails; a waiver
# is a one-line lint_off comment at the line it waives, never a -Wno-* here.
set -u
cd "$(dirname "$0")/../.." || exit 1
VERILATOR=${VERILATOR:-verilator}
n=0; bad=0
for f in rtl/*.v; do
	[ -e "$f" ] || continue
	top=$(basename "$f" .v)
	out=$("$VERILATOR" --lint-only -Wall -Irtl --top-module "$top" "$f" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		printf '%s\n' "$out"
		echo "lint: $f: FAILED"
		bad=$((bad + 1))
	fi
done
echo "lint: $n RTL files, $((n - bad)) clean, $bad failed"
[ $bad -eq 0 ]
