#!/bin/sh
# Run libFuzzer harnesses (make fuzz, mk/85-fuzz.mk, docs/fuzz.md):
#
#   tests/scripts/fuzz-run.sh FUZZ_DIR SECONDS "EXTRA FLAGS" NAME...
#
# Each FUZZ_DIR/bin/fuzz_NAME runs SECONDS seconds, one process, on
# FUZZ_DIR/NAME/corpus (new inputs are kept there), seeded from
# tests/fuzz/corpus/NAME/ and tests/fuzz/regress/NAME/, with
# tests/fuzz/NAME.dict when there is one. Its output goes to
# FUZZ_DIR/NAME/fuzz.log; a crash, leak or timeout leaves its input in
# FUZZ_DIR/NAME/ (crash-*, leak-*, timeout-*, oom-*). Prints one line per
# harness (executions, corpus size) and exits 1 if any harness failed.
set -u
dir=$1; secs=$2; extra=$3; shift 3
# gcc's and clang's AddressSanitizer find a use of a returned function's
# stack frame only with this option (issue 17 item 1)
ASAN_OPTIONS=detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
UBSAN_OPTIONS=print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
export ASAN_OPTIONS UBSAN_OPTIONS
fail=0; failed=""
for name in "$@"; do
	bin=$dir/bin/fuzz_$name
	out=$dir/$name
	mkdir -p "$out/corpus"
	seeds="tests/fuzz/corpus/$name"
	[ -d "tests/fuzz/regress/$name" ] && seeds="$seeds tests/fuzz/regress/$name"
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/" $dict $extra \
		"$out/corpus" $seeds >"$out/fuzz.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$out/fuzz.log" | tail -n 1)
	files=$(find "$out/corpus" -type f | wc -l)
	repro=$(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null | head -n 1)
	if [ $rc -eq 0 ] && [ -z "$repro" ]; then
		echo "fuzz $name: ${execs:-?} executions in ${secs} s, corpus $files inputs, no crash"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "*** fuzz $name: FAILED (exit $rc) after ${execs:-?} executions"
		grep -m 3 -E 'ERROR: |runtime error|fuzz check failed|SUMMARY' "$out/fuzz.log" | sed 's/^/    /'
		if [ -n "$repro" ]; then
			echo "    reproducer: $repro"
			echo "    replay it:  $bin $repro   (or $(dirname "$dir")/tests/test_fuzz_$name $repro)"
		fi
		echo "    log: $out/fuzz.log"
	fi
done
[ $fail -eq 0 ] || { echo "fuzz: failed:$failed"; exit 1; }
