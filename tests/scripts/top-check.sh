#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks of the whole engine (rtl/toe_top.v) beyond the default model:
#   1. verilator --lint-only -Wall of toe_top at the default N_CONN and at
#      N_CONN 65536 (every rtl/*.v on the command line, as 'make lint' would
#      give a reviewer);
#   2. Yosys elaborates toe_top at N_CONN 65536: no latches, no multiple
#      drivers ('check -assert'), and the big buffers are memories, not
#      flip-flops: the TCB RAM (65536 words), the two payload buffers
#      (2048 beats each) and the host event FIFO.
#   tests/scripts/top-check.sh [log dir]     (default: a temporary directory, removed
#                                  when the checks pass)
set -u
cd "$(dirname "$0")/../.." || exit 1
VERILATOR=${VERILATOR:-verilator}
YOSYS=${YOSYS:-yosys}
if [ $# -ge 1 ]; then
	logdir=$1
	keep=1
else
	logdir=$(mktemp -d) || exit 1
	keep=0
fi
mkdir -p "$logdir"
bad=0
for g in "" "-GN_CONN=65536"; do
	out=$("$VERILATOR" --lint-only -Wall -Irtl $g --top-module toe_top rtl/*.v 2>&1)
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		printf '%s\n' "$out" | head -20
		echo "top-check: lint toe_top $g: FAILED"
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "top-check: toe_top lints clean (N_CONN 1024 and 65536)"

log="$logdir/toe_top_64k.log"
w=$(sed -n 's/^`define TOE_TCB_RAM_W \([0-9]*\)/\1/p' rtl/toe_tcb_width.vh)
if ! "$YOSYS" -q -l "$log" -p "read_verilog -sv -defer -Irtl rtl/*.v; \
	hierarchy -check -top toe_top -chparam N_CONN 65536; \
	proc; flatten; opt -fast; memory -nomap; opt_clean; check -assert; \
	select -assert-none t:\$dlatch t:\$_DLATCH* t:\$sr t:\$_SR_*; \
	select -assert-count 1 t:\$mem_v2 r:SIZE=65536 %i r:WIDTH=$w %i; \
	select -assert-count 1 t:\$mem_v2 r:SIZE=512 %i r:WIDTH=65 %i; \
	select -assert-count 2 t:\$mem_v2 r:SIZE=512 %i r:WIDTH=64 %i; \
	select -assert-count 1 t:\$mem_v2 r:SIZE=1024 %i r:WIDTH=35 %i; \
	tee -q -o $logdir/toe_top_64k.stat stat" >/dev/null 2>&1; then
	echo "top-check: yosys toe_top N_CONN=65536: FAILED (see $log)"
	grep -E 'ERROR|Assertion|[Ll]atch' "$log" | head -5
	bad=1
	keep=1
else
	echo "top-check: toe_top N_CONN=65536 elaborates in Yosys; TCB RAM, payload"
	echo "  buffers (in: 512 x 65, out: 512 x 64, beside the ICMP ring's 512 x 64)"
	echo "  and event FIFO are memories; no latches, no multiple drivers"
	awk '/Number of cells/ || /\$mem_v2/ { print "   " $0 }' "$logdir/toe_top_64k.stat"
fi
[ $keep -eq 1 ] || rm -rf "$logdir"
exit $bad
