#!/bin/sh
# SPDX-License-Identifier: MIT
# Yosys checks of the link-layer responders (toe_l2_resp):
#   tests/scripts/l2-synth-check.sh [-vendor] [log dir]
# Always: elaborates, no latches, no multiple drivers ('check -assert'), the
# ICMP frame buffer is one memory of 1024 x 64 bits (not flip-flops);
# memories are left unmapped. With -vendor also synth_xilinx and synth_ecp5,
# printing their LUT / FF / block RAM counts (no timing: that needs P&R).
# Logs in the log dir (default: a temporary directory, removed on success).
set -u
cd "$(dirname "$0")/../.." || exit 1
YOSYS=${YOSYS:-yosys}
vendor=0
if [ "${1:-}" = "-vendor" ]; then vendor=1; shift; fi
if [ $# -ge 1 ]; then logdir=$1; keep=1; else logdir=$(mktemp -d) || exit 1; keep=0; fi
mkdir -p "$logdir"
srcs="rtl/toe_l2_resp.v rtl/toe_arp_resp.v rtl/toe_icmp_echo.v rtl/toe_skid.v"
log="$logdir/toe_l2_resp.log"
if ! "$YOSYS" -q -l "$log" -p "read_verilog -sv -defer -Irtl $srcs; \
	hierarchy -check -top toe_l2_resp; proc; flatten; opt -fast; memory -nomap; \
	opt_clean; check -assert; \
	select -assert-none t:\$dlatch t:\$_DLATCH* t:\$sr t:\$_SR_*; \
	select -assert-count 1 t:\$mem_v2 r:SIZE=1024 %i r:WIDTH=64 %i" >/dev/null 2>&1; then
	echo "l2-synth-check: FAILED (see $log)"
	grep -E 'ERROR|Assertion|[Ll]atch' "$log" | head -5
	exit 1
fi
echo "l2-synth-check: toe_l2_resp elaborates; frame buffer 1024 x 64 inferred as a"
echo "  memory; no latches, no multiple drivers"
bad=0
if [ $vendor -eq 1 ]; then
	for flow in xilinx ecp5; do
		vlog="$logdir/toe_l2_resp_$flow.log"
		if ! "$YOSYS" -q -l "$vlog" -p "read_verilog -sv -defer -Irtl $srcs; \
			synth_$flow -flatten -top toe_l2_resp; \
			tee -q -o $logdir/toe_l2_resp_$flow.stat stat" >/dev/null 2>&1; then
			echo "l2-synth-check: synth_$flow FAILED (see $vlog)"
			bad=1
			continue
		fi
		echo "synth_$flow: toe_l2_resp"
		awk '/Number of cells/ { on = 1 } on && NF == 0 { exit }
		     on && /cells|LUT|FD|RAMB|RAM32|CARRY|DP16|TRELLIS|CCU2|PFUMX/ { print "   " $0 }' \
			"$logdir/toe_l2_resp_$flow.stat"
	done
fi
[ $keep -eq 1 ] || [ $bad -ne 0 ] || rm -rf "$logdir"
[ $bad -eq 0 ]
