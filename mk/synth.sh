#!/bin/sh
# SPDX-License-Identifier: MIT
# Generic Yosys synthesis (flattened) of each top given, with rtl/*.v as the library:
#   mk/synth.sh <log dir> <top>...
# Prints each top's cell counts (from 'stat'); fails if Yosys fails, if the
# design has a latch, or if 'check' finds a problem. Logs: <log dir>/<top>.log
set -u
cd "$(dirname "$0")/.." || exit 1
YOSYS=${YOSYS:-yosys}
logdir=$1; shift
mkdir -p "$logdir"
bad=0
for top in "$@"; do
	log="$logdir/$top.log"
	if ! "$YOSYS" -l "$log" -q -p "read_verilog -sv -defer -Irtl rtl/*.v; \
		synth -flatten -top $top; check -assert; \
		select -assert-none t:\$_DLATCH* t:\$dlatch* t:\$_SR_* t:\$sr; \
		tee -q -o $logdir/$top.stat stat" >/dev/null 2>&1; then
		echo "synth: $top: FAILED (see $log)"
		grep -E 'ERROR|[Ll]atch' "$log" | head -5
		bad=$((bad + 1))
		continue
	fi
	echo "synth: $top"
	awk '/Number of cells/ { on = 1 } on && NF == 0 { exit }
	     on { print "   " $0 }' "$logdir/$top.stat"
	grep -i 'warning' "$log" | sort -u | sed 's/^/   /'
done
[ $bad -eq 0 ]
