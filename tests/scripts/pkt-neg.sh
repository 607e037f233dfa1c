#!/bin/sh
# SPDX-License-Identifier: MIT
# Negative tests of toe-pkt: every tests/pkt/neg/*.pkt must FAIL (exit 1,
# a "FAIL <script>" line) with each message its "// EXPECT: text" lines
# name, against the reference stack and, when toe-pkt has it, the engine.
# TOE_PKT is the runner (mk/70-pkt.mk exports it; default build/toe-pkt).
# Each toe-pkt run has a wall-clock watchdog of PKT_NEG_TIMEOUT seconds
# (default 60; each script takes well under a second): a script that hangs
# (issue 17 item 4: a '*' line waiting for a segment that never comes used
# to step an hour of engine cycles) is a failure naming it, not a hang.
set -u
cd "$(dirname "$0")/../.." || exit 1
pkt=${TOE_PKT:-build/toe-pkt}
to=${PKT_NEG_TIMEOUT:-60}
[ -x "$pkt" ] || { echo "pkt-neg: $pkt not built"; exit 1; }
backends="--model"
"$pkt" --engine --help >/dev/null 2>&1 && backends="--model --engine"
backends=${PKT_NEG_BACKENDS:-$backends}
dir=${PKT_NEG_DIR:-tests/pkt/neg}
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
pass=0; fail=0
for be in $backends; do
	for f in "$dir"/*.pkt; do
		timeout -k 5 "$to" "$pkt" "$be" "$f" >"$tmp" 2>&1
		rc=$?
		ok=1
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			echo "pkt-neg: $f ($be): watchdog fired after ${to}s"; ok=0
		elif [ $rc -ne 1 ]; then
			echo "pkt-neg: $f ($be): exit status $rc, expected 1"; ok=0
		fi
		if ! grep -q "^FAIL $f " "$tmp"; then
			echo "pkt-neg: $f ($be): no FAIL line"; ok=0
		fi
		n=0
		while IFS= read -r want; do
			n=$((n + 1))
			if ! grep -qF -- "$want" "$tmp"; then
				echo "pkt-neg: $f ($be): message not found: $want"; ok=0
			fi
		done <<EOT
$(sed -n 's|^// EXPECT: ||p' "$f")
EOT
		[ "$n" -gt 0 ] || { echo "pkt-neg: $f: no EXPECT line"; ok=0; }
		if [ $ok -eq 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			sed 's/^/    | /' "$tmp"
		fi
	done
done

# Bad invocations and inputs that are not scripts (issue 17 item 5): each
# must be an error with its message, never a PASS or "0 scripts".
if [ "${PKT_NEG_INVOCATIONS:-1}" = 0 ]; then
	echo "pkt-neg ($backends, $dir): $pass passed, $fail failed"
	[ $fail -eq 0 ]
	exit
fi
empty=$(mktemp) || exit 1
trap 'rm -f "$tmp" "$empty"' EXIT
# expect <exit status> <message> <toe-pkt arguments...>
expect() {
	want_rc=$1 want_msg=$2
	shift 2
	timeout -k 5 "$to" "$pkt" "$@" >"$tmp" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq "$want_rc" ] && grep -qF -- "$want_msg" "$tmp"; then
		pass=$((pass + 1))
	else
		echo "pkt-neg: toe-pkt $*: exit $rc (want $want_rc), want message: $want_msg"
		sed 's/^/    | /' "$tmp"
		fail=$((fail + 1))
	fi
}
expect 1 "no events: the script would check nothing" --model "$empty"
expect 1 "NUL byte in script" --model /dev/zero
expect 1 "FAIL /dev/urandom" --model /dev/urandom
expect 2 "unknown option '-x'" --model -x
expect 2 "-j needs a number" --model tests/pkt/CL-01_close_fin.pkt -j
expect 2 "-j takes 1..64" --model -j 0 tests/pkt/CL-01_close_fin.pkt

echo "pkt-neg ($backends): $pass passed, $fail failed"
[ $fail -eq 0 ]
