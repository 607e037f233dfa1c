#!/bin/sh
# SPDX-License-Identifier: MIT
# test_simd_args: toe-simd's option checking (host/tools/toe_simd/toe_simd.c main). Every
# bad value is a usage error: exit status 2 and one line on stderr that
# names the option and the value ("toe-simd: bad --port 'abc': want
# 0..65535 ..."), before anything is created. One test per value toe-simd
# once accepted:
#   --port=abc (became 0, any port), --port=4294967376 (became 80),
#   --listen=70000, --run-for=-1, --tick-hz=1, --msl-ms=-1, --seed=abc,
#   --netns= (empty), --netns=../../x (a bind mount outside /run/netns);
# a --board that is not known (the message lists the boards), --board with
# --engine; and the valid values still pass the checks.
# Needs no root: nothing here gets as far as a namespace. Should a check
# regress, the `serve` cases run the ref engine for at most a second
# (--run-for=1; the --run-for case itself is stopped by a 5 s timeout),
# then the exit status is not 2 and the test fails; the --netns cases use
# a command that does not exist instead of `serve`, so that a regression
# can never bind-mount anything outside /run/netns.
# The build directory is filled in by mk/80-linux.mk (@BUILD@).
set -u
B=@BUILD@
SIMD=$B/toe-simd
# a bounded run should a check regress (a valid option, checked below)
RUN="--engine=ref --run-for=1"
pass=0
fail=0

ok() {
	echo "[       OK ] $1"
	pass=$((pass + 1))
}

bad() {
	echo "[  FAILED  ] $1: $2"
	fail=$((fail + 1))
}

# expect_usage TEST WANT ARGS...: toe-simd ARGS exits 2 and says exactly one
# line on stderr, which contains WANT
expect_usage() {
	t=$1
	want=$2
	shift 2
	err=$(timeout 5 "$SIMD" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | wc -l)
	head=$(printf '%s\n' "$err" | head -3)
	if [ "$rc" != 2 ]; then
		bad "$t" "toe-simd $* exited $rc, want 2 (stderr: $head)"
		return 1
	fi
	if [ "$lines" != 1 ] || ! printf '%s\n' "$err" | grep -qF -- "$want"; then
		bad "$t" "toe-simd $*: stderr is not the one line '$want...': $head"
		return 1
	fi
	return 0
}

test_simd_port_not_a_number_rejected() {
	t=test_simd_port_not_a_number_rejected
	expect_usage "$t" "toe-simd: bad --port 'abc': want 0..65535" \
		$RUN --port=abc serve || return
	expect_usage "$t" "toe-simd: bad --port '-1': want 0..65535" \
		$RUN --port=-1 serve || return
	expect_usage "$t" "toe-simd: bad --port '80x': want 0..65535" \
		$RUN --port=80x serve || return
	ok "$t"
}

test_simd_port_wrapping_to_80_rejected() {
	t=test_simd_port_wrapping_to_80_rejected
	# 2^32 + 80: strtoul then a cast to unsigned made it 80
	expect_usage "$t" "toe-simd: bad --port '4294967376': want 0..65535" \
		$RUN --port=4294967376 serve || return
	expect_usage "$t" "toe-simd: bad --port '65536': want 0..65535" \
		$RUN --port=65536 serve || return
	ok "$t"
}

test_simd_listen_out_of_range_rejected() {
	t=test_simd_listen_out_of_range_rejected
	expect_usage "$t" "toe-simd: bad --listen '70000': want 1..65535" \
		$RUN --listen=70000 serve || return
	expect_usage "$t" "toe-simd: bad --listen '0': want 1..65535" \
		$RUN --listen=0 serve || return
	ok "$t"
}

test_simd_run_for_negative_rejected() {
	t=test_simd_run_for_negative_rejected
	expect_usage "$t" "toe-simd: bad --run-for '-1': want a number of seconds > 0" \
		--engine=ref --run-for=-1 serve || return
	expect_usage "$t" "toe-simd: bad --run-for '1s': want a number of seconds > 0" \
		--engine=ref --run-for=1s serve || return
	ok "$t"
}

test_simd_tick_hz_below_minimum_rejected() {
	t=test_simd_tick_hz_below_minimum_rejected
	# the 4 us ISN clock needs TICK_HZ / 250000 whole cycles
	expect_usage "$t" "toe-simd: bad --tick-hz '1': want a multiple of 250000" \
		$RUN --tick-hz=1 serve || return
	expect_usage "$t" "toe-simd: bad --tick-hz '250001': want a multiple of 250000" \
		$RUN --tick-hz=250001 serve || return
	# above the 32-bit TICK_HZ register
	expect_usage "$t" "toe-simd: bad --tick-hz '4295000000': want a multiple of 250000" \
		$RUN --tick-hz=4295000000 serve || return
	ok "$t"
}

test_simd_msl_ms_negative_rejected() {
	t=test_simd_msl_ms_negative_rejected
	expect_usage "$t" "toe-simd: bad --msl-ms '-1': want 1..86400000" \
		$RUN --msl-ms=-1 serve || return
	expect_usage "$t" "toe-simd: bad --msl-ms '0': want 1..86400000" \
		$RUN --msl-ms=0 serve || return
	ok "$t"
}

test_simd_seed_not_a_number_rejected() {
	t=test_simd_seed_not_a_number_rejected
	expect_usage "$t" "toe-simd: bad --seed 'abc': want 0..4294967295" \
		$RUN --seed=abc serve || return
	expect_usage "$t" "toe-simd: bad --seed '4294967296': want 0..4294967295" \
		$RUN --seed=4294967296 serve || return
	ok "$t"
}

test_simd_netns_empty_rejected() {
	t=test_simd_netns_empty_rejected
	expect_usage "$t" "toe-simd: bad --netns '': want 1..63 characters" \
		--netns= no-such-command || return
	ok "$t"
}

test_simd_netns_path_rejected() {
	t=test_simd_netns_path_rejected
	expect_usage "$t" "toe-simd: bad --netns '../../x': want 1..63 characters" \
		--netns=../../x no-such-command || return
	expect_usage "$t" "toe-simd: bad --netns 'a/b': want 1..63 characters" \
		--netns=a/b no-such-command || return
	expect_usage "$t" "toe-simd: bad --netns '..': want 1..63 characters" \
		--netns=.. no-such-command || return
	expect_usage "$t" "toe-simd: bad --netns '-x': want 1..63 characters" \
		--netns=-x no-such-command || return
	long=$(printf '%064d' 0)
	expect_usage "$t" "toe-simd: bad --netns '$long': want 1..63 characters" \
		--netns="$long" no-such-command || return
	ok "$t"
}

test_simd_board_unknown_rejected() {
	t=test_simd_board_unknown_rejected
	# the message names the option and the value and lists the boards
	expect_usage "$t" "toe-simd: bad --board 'nonesuch': want a known board: ecp5-versa" \
		--board=nonesuch no-such-command || return
	expect_usage "$t" "toe-simd: bad --board '': want a known board: ecp5-versa" \
		--board= no-such-command || return
	expect_usage "$t" "toe-simd: bad --board 'ECP5-VERSA': want a known board: ecp5-versa" \
		--board=ECP5-VERSA no-such-command || return
	# the board brings its own engine
	expect_usage "$t" "toe-simd: bad --engine 'ref': want no --engine with --board" \
		--engine=ref --board=ecp5-versa no-such-command || return
	ok "$t"
}

# Valid values of every checked option pass the checks: with a command that
# does not exist the answer is the usage text (exit 2), not a "bad --" line.
test_simd_valid_options_accepted() {
	t=test_simd_valid_options_accepted
	err=$(timeout 5 "$SIMD" --engine=ref --port=0 --listen=65535 \
		--run-for=0.5 --tick-hz=250000 --msl-ms=200 --seed=0x10 \
		--netns=toe-sim_args.1 no-such-command 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != 2 ] || printf '%s\n' "$err" | grep -q "bad --" ||
	   ! printf '%s\n' "$err" | grep -q "^usage: toe-simd"; then
		bad "$t" "exit $rc, stderr: $(printf '%s\n' "$err" | head -3)"
		return
	fi
	err=$(timeout 5 "$SIMD" --port=65535 --tick-hz=4294750000 \
		--msl-ms=86400000 --seed=4294967295 --run-for=1e9 \
		--board=ecp5-versa \
		--netns=$(printf '%063d' 0) no-such-command 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != 2 ] || printf '%s\n' "$err" | grep -q "bad --"; then
		bad "$t" "largest values: exit $rc, stderr: $(printf '%s\n' "$err" | head -3)"
		return
	fi
	ok "$t"
}

[ -x "$SIMD" ] || { echo "test_simd_args: FAIL: no $SIMD"; exit 1; }
test_simd_port_not_a_number_rejected
test_simd_port_wrapping_to_80_rejected
test_simd_listen_out_of_range_rejected
test_simd_run_for_negative_rejected
test_simd_tick_hz_below_minimum_rejected
test_simd_msl_ms_negative_rejected
test_simd_seed_not_a_number_rejected
test_simd_netns_empty_rejected
test_simd_netns_path_rejected
test_simd_board_unknown_rejected
test_simd_valid_options_accepted
echo "test_simd_args: $pass passed, $fail failed"
[ "$fail" = 0 ]
