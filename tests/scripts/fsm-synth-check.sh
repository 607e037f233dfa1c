#!/bin/sh
# SPDX-License-Identifier: MIT
# Yosys checks of the connection core (toe_tcb_core) at N_CONN 65536:
# elaborates, no latches, no multiple drivers ('check -assert'), and every
# table is a memory (the TCB RAM is one 65536 x TOE_TCB_RAM_W block, the hash
# sub-tables 65536 / WAYS words each), not flip-flops. Memories are left unmapped
# ('memory -nomap'): which block RAM they become is the vendor flow's job.
#   tests/scripts/fsm-synth-check.sh [log dir]     (default: a temporary directory,
#                                        removed when the check passes)
set -u
cd "$(dirname "$0")/../.." || exit 1
YOSYS=${YOSYS:-yosys}
if [ $# -ge 1 ]; then
	logdir=$1
	keep=1
else
	logdir=$(mktemp -d) || exit 1
	keep=0
fi
mkdir -p "$logdir"
log="$logdir/toe_tcb_core_64k.log"
w=$(sed -n 's/^`define TOE_TCB_RAM_W \([0-9]*\)/\1/p' rtl/toe_tcb_width.vh)
ways=$(sed -n 's/^ *parameter WAYS = \([0-9]*\),.*/\1/p' rtl/toe_conn_table.v)
if [ -z "$w" ] || [ -z "$ways" ]; then
	echo "fsm-synth-check: cannot read TOE_TCB_RAM_W or toe_conn_table's WAYS"
	exit 1
fi
srcs="rtl/toe_tcb_core.v rtl/toe_tcp_fsm.v rtl/toe_conn_table.v rtl/toe_listen_table.v"
srcs="$srcs rtl/toe_tcb_alloc.v rtl/toe_tcb_ffs.v rtl/toe_tcb_fifo.v rtl/toe_tcb_ram.v"
if ! "$YOSYS" -q -l "$log" -p "read_verilog -sv -defer -Irtl $srcs; \
	hierarchy -check -top toe_tcb_core -chparam N_CONN 65536; \
	proc; flatten; opt -fast; memory -nomap; opt_clean; check -assert; \
	select -assert-none t:\$dlatch t:\$_DLATCH* t:\$sr t:\$_SR_*; \
	select -assert-count 1 t:\$mem_v2 r:SIZE=65536 %i r:WIDTH=$w %i; \
	select -assert-count 2 t:\$mem_v2 r:SIZE=$((65536 / ways)) %i; \
	tee -q -o $logdir/toe_tcb_core_64k.stat stat" >/dev/null 2>&1; then
	echo "fsm-synth-check: FAILED (see $log)"
	grep -E 'ERROR|Assertion|[Ll]atch' "$log" | head -5
	exit 1
fi
echo "fsm-synth-check: toe_tcb_core N_CONN=65536 elaborates; TCB RAM 65536 x $w and"
echo "  hash tables 2 x $((65536 / ways)) inferred as memories; no latches, no multiple drivers"
awk '/Number of cells/ || /\$mem_v2/ || /\$dff/ || /\$sdff/ { print "   " $0 }' \
	"$logdir/toe_tcb_core_64k.stat"
[ $keep -eq 1 ] || rm -rf "$logdir"
