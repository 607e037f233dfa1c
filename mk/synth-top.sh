#!/bin/sh
# SPDX-License-Identifier: MIT
# Generic Yosys synthesis (Debian's yosys, no vendor library) of the engine
# top, flattened:
#   mk/synth-top.sh <out dir> [N_CONN]
#
# The top is toe_top if rtl/toe_top.v exists, else toe_tcb_core
# (SYNTH_TOP=... overrides); N_CONN (default 1024) is set on it if it has
# that parameter. The flow is Yosys' 'synth' with its memory_map step left
# out: memories stay $mem_v2 cells (a vendor flow maps them to block RAM;
# as flip-flops the 1024 x 647-bit TCB RAM alone would be 730k of them).
# Fails on a Yosys error, a latch, a 'check -assert' problem (multiple
# drivers, undriven or combinational-loop wires), if the TCB RAM is not one
# N_CONN x TOE_TCB_RAM_W memory, or on any Yosys warning not listed in
# docs/synthesis.md ("Yosys warnings"). Prints the cell counts and the
# memories. Files: <out dir>/<top>.log, <top>.stat, <top>.mem.
set -u
cd "$(dirname "$0")/.." || exit 1
YOSYS=${YOSYS:-yosys}
out=$1
nconn=${2:-1024}
top=${SYNTH_TOP:-}
if [ -z "$top" ]; then
	if [ -e rtl/toe_top.v ]; then top=toe_top; else top=toe_tcb_core; fi
fi
chparam=""
if grep -qE "parameter +N_CONN\b" "rtl/$top.v" 2>/dev/null; then
	chparam="-chparam N_CONN $nconn"
fi
w=$(sed -n 's/^`define TOE_TCB_RAM_W \([0-9]*\)/\1/p' rtl/toe_tcb_width.vh)
mkdir -p "$out"
log="$out/$top.log"
echo "synth-top: $top${chparam:+ ($chparam)}: generic synthesis ($("$YOSYS" -V | head -1))"
if ! "$YOSYS" -q -l "$log" -p "read_verilog -sv -defer -Irtl rtl/*.v; \
	hierarchy -check -top $top $chparam; \
	synth -flatten -top $top -run coarse:fine; \
	opt -fast -full; techmap; opt -fast; abc -fast; opt -fast; \
	hierarchy -check; check -assert; \
	select -assert-none t:\$_DLATCH* t:\$dlatch* t:\$_SR_* t:\$sr; \
	select -assert-min 1 t:\$mem_v2 r:SIZE=$nconn %i r:WIDTH=$w %i; \
	tee -q -o $out/$top.stat stat; \
	tee -q -o $out/$top.mem dump t:\$mem_v2" >/dev/null 2>&1; then
	echo "synth-top: $top: FAILED (see $log)"
	grep -E 'ERROR|Assertion|[Ll]atch' "$log" | head -5
	exit 1
fi
awk '/Number of cells/ { on = 1 } on && NF == 0 { exit } on { print "   " $0 }' "$out/$top.stat"
echo "   memories (cells \$mem_v2: words x bits, read/write ports):"
awk '/^  cell \$mem_v2/ { name = $3 }
     /parameter .SIZE / { size = $3 } /parameter .WIDTH / { width = $3 }
     /parameter .RD_PORTS / { rd = $3 } /parameter .WR_PORTS / { wr = $3 }
     /^  end/ && name != "" { n[size " x " width " r" rd " w" wr]++; name = "" }
     END { for (k in n) print "     " n[k] " x  " k }' "$out/$top.mem" | sort -k3 -n -r
# every warning must be one docs/synthesis.md explains (by its text)
bad=0
grep -E '^Warning' "$log" | sort -u > "$out/$top.warnings"
while IFS= read -r wl; do
	key=$(printf '%s' "$wl" | sed 's/^Warning: //' | cut -c1-60)
	if ! grep -qF -- "$key" docs/synthesis.md; then
		echo "synth-top: unexplained Yosys warning: $wl"
		bad=1
	fi
done < "$out/$top.warnings"
n=$(wc -l < "$out/$top.warnings")
echo "synth-top: $top: no latches, no multiple drivers; $n distinct Yosys warning(s), all explained in docs/synthesis.md"
[ $bad -eq 0 ]
