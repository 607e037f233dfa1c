#!/bin/sh
# SPDX-License-Identifier: MIT
# Formal checks of RTL blocks ('make formal'): each harness in tests/formal/
# (properties as immediate assertions, the environment as free inputs) is
# read by Yosys with -formal, written as SMT-LIB 2 and checked by
# yosys-smtbmc with z3, bounded model checking from reset to DEPTH cycles
# (every assertion at every step up to DEPTH). Then each mutant below (a
# deliberate break of the RTL, applied to a copy) must FAIL: a check that
# cannot fail is not a check.
#
#   tests/scripts/formal.sh <work dir> [harness...]
#   FORMAL_DEPTH=<n>  overrides every harness's depth (e.g. 8 for a quick run)
#
# Harnesses: name | top | parameters | depth | RTL files.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=${1:?usage: formal.sh <work dir> [harness...]}
shift
mkdir -p "$out"
for t in yosys yosys-smtbmc z3; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "formal: $t not found (Debian packages yosys and z3: make deps)"
		exit 1
	fi
done

# name|top|chparam args|depth|rtl files (relative to the project)
# N 4: two words of two ids, so a word fills (and is freed) within the depth
HARNESSES='alloc4|alloc_fv|-set N 4|20|rtl/toe_tcb_alloc.v rtl/toe_tcb_ram.v rtl/toe_tcb_ffs.v
alloc8|alloc_fv|-set N 8|20|rtl/toe_tcb_alloc.v rtl/toe_tcb_ram.v rtl/toe_tcb_ffs.v'
# harness|file|sed expression|what it breaks
MUTANTS='alloc4|rtl/toe_tcb_alloc.v|s/end else if (dec_reg) begin/end else if (1'"'"'b0) begin/|used is never counted down
alloc4|rtl/toe_tcb_alloc.v|s/wfull_next\[fid_reg_w\] = 1'"'"'b0;/wfull_next[fid_reg_w] = wfull_reg[fid_reg_w];/|a freed id in a full word is never offered again'

run() { # name top chparam depth files dir -> 0 pass, 1 fail, 2 error
	# (shell functions share variables: r_ names only)
	r_n=$1; r_top=$2; r_cp=$3; r_depth=${FORMAL_DEPTH:-$4}; r_files=$5; r_dir=$6
	mkdir -p "$r_dir"
	if ! yosys -q -l "$r_dir/yosys.log" -p "read_verilog -formal -Irtl $r_files \
		tests/formal/$r_top.v; chparam $r_cp $r_top; prep -top $r_top; async2sync; \
		dffunmap; write_smt2 -wires $r_dir/$r_n.smt2" >/dev/null 2>&1; then
		echo "formal: $r_n: yosys FAILED (see $r_dir/yosys.log)"
		return 2
	fi
	yosys-smtbmc -s z3 -t "$r_depth" --dump-vcd "$r_dir/cex.vcd" "$r_dir/$r_n.smt2" \
		> "$r_dir/smtbmc.log" 2>&1
	if grep -q "Status: PASSED" "$r_dir/smtbmc.log"; then
		return 0
	fi
	if grep -q "Status: FAILED" "$r_dir/smtbmc.log"; then
		return 1
	fi
	echo "formal: $r_n: yosys-smtbmc error (see $r_dir/smtbmc.log)"
	return 2
}

fails=0
echo "$HARNESSES" | while IFS='|' read -r n top cp depth files; do
	[ $# -gt 0 ] && ! echo " $* " | grep -q " $n " && continue
	t0=$(date +%s)
	run "$n" "$top" "$cp" "$depth" "$files" "$out/$n"
	rc=$?
	t1=$(date +%s)
	d=${FORMAL_DEPTH:-$depth}
	case $rc in
	0) echo "formal: $n ($top $cp): PASSED, all assertions hold to depth $d ($((t1 - t0)) s)" ;;
	1) echo "formal: $n ($top $cp): FAILED within depth $d: counterexample $out/$n/cex.vcd"
	   grep -E "Assert failed|failed" "$out/$n/smtbmc.log" | head -5
	   exit 1 ;;
	*) exit 1 ;;
	esac
done || fails=1

m=0
echo "$MUTANTS" | while IFS='|' read -r n file expr what; do
	[ $# -gt 0 ] && ! echo " $* " | grep -q " $n " && continue
	m=$((m + 1))
	line=$(echo "$HARNESSES" | grep "^$n|")
	top=$(echo "$line" | cut -d'|' -f2)
	cp=$(echo "$line" | cut -d'|' -f3)
	depth=$(echo "$line" | cut -d'|' -f4)
	files=$(echo "$line" | cut -d'|' -f5)
	dir="$out/$n-mutant$m"
	mkdir -p "$dir/rtl"
	sed -e "$expr" "$file" > "$dir/rtl/$(basename "$file")"
	if cmp -s "$file" "$dir/rtl/$(basename "$file")"; then
		echo "formal: mutant $m of $n ($what): the edit matched nothing in $file: fix the mutant"
		exit 1
	fi
	mfiles=$(echo "$files" | sed "s|$file|$dir/rtl/$(basename "$file")|")
	run "$n-mutant$m" "$top" "$cp" "$depth" "$mfiles" "$dir"
	rc=$?
	case $rc in
	1) echo "formal: mutant $m of $n ($what): caught, as it must be" ;;
	0) echo "formal: mutant $m of $n ($what): NOT caught: the properties miss it"
	   exit 1 ;;
	*) exit 1 ;;
	esac
done || fails=1

[ "$fails" = 0 ] || { echo "formal: FAILED"; exit 1; }
echo "formal: all harnesses passed, all mutants caught"
