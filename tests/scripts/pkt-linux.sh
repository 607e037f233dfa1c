#!/bin/sh
# SPDX-License-Identifier: MIT
# The conformance scripts against the Linux kernel (toe-pkt --linux: each in
# a network namespace of its own with a TAP link, in real time; docs/pkt.md
# "Linux as the third stack"): every script but those tagged
# "// toe-pkt: linux-long" (over 10 s of real time each; `make pkt-linux`
# runs all), PKT_LINUX_JOBS at a time (default 32: they mostly sleep). Each
# must agree with Linux, or differ exactly as its "// linux:" annotation
# says. Then the annotations' negative tests (tests/pkt/linux-neg/*.pkt,
# through tests/scripts/pkt-neg.sh) and one skip.
#
# Linux runs in real time on a machine shared with other jobs: when at most
# PKT_LINUX_RETRY (default 3) scripts fail, they are run once more, one at
# a time, and that run decides (both runs are printed). Without root or
# /dev/net/tun every script fails with what is missing, like the interop
# tests.
# TOE_PKT is the runner (mk/70-pkt.mk exports it; default build/toe-pkt).
set -u
cd "$(dirname "$0")/../.." || exit 1
pkt=${TOE_PKT:-build/toe-pkt}
jobs=${PKT_LINUX_JOBS:-32}
retry=${PKT_LINUX_RETRY:-3}
[ -x "$pkt" ] || { echo "pkt-linux: $pkt not built"; exit 1; }
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

"$pkt" --linux -j "$jobs" $(grep -L '^// toe-pkt: linux-long' tests/pkt/*.pkt) \
	>"$out" 2>&1
rc=$?
cat "$out"
if [ $rc -eq 1 ]; then
	failed=$(sed -n 's/^FAIL \([^ ]*\) (linux)$/\1/p' "$out")
	n=$(echo "$failed" | wc -w)
	if [ "$n" -ge 1 ] && [ "$n" -le "$retry" ]; then
		echo "pkt-linux: $n script(s) failed; once more, one at a time" \
			"(real time on a shared machine):"
		"$pkt" --linux $failed
		rc=$?
	fi
fi
[ $rc -eq 0 ] || { echo "pkt-linux: FAILED"; exit 1; }

# the annotations can fail: a difference that no longer holds, one at
# another line, with another message or another segment, bad syntax
PKT_NEG_DIR=tests/pkt/linux-neg PKT_NEG_BACKENDS=--linux PKT_NEG_INVOCATIONS=0 \
	TOE_PKT="$pkt" sh tests/scripts/pkt-neg.sh || exit 1

# a skip is a skip: no namespace, exit 0, its reason printed
skip=$(mktemp) || exit 1
trap 'rm -f "$out" "$skip"' EXIT
printf '// linux: skip: the reason\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n' \
	>"$skip"
"$pkt" --linux "$skip" >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ] || ! grep -qF "SKIP $skip (linux): the reason" "$out" ||
	! grep -qF "0 agree, 0 differ as annotated, 1 skipped" "$out"; then
	echo "pkt-linux: a skipped script: exit $rc, output:"
	cat "$out"
	exit 1
fi
echo "pkt-linux: passed"
