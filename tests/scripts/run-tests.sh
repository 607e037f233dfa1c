#!/bin/sh
# Run every test binary/script given, each under a watchdog, print each
# runner's own summary, then one closing line. Exit 1 if any failed.
# TEST_TIMEOUT (seconds, default 600) bounds each runner.
set -u
to=${TEST_TIMEOUT:-600}
pass=0; fail=0; failed=""
for t in "$@"; do
	echo "=== $t"
	timeout --foreground -k 5 "$to" "$t"
	rc=$?
	if [ $rc -eq 0 ]; then pass=$((pass + 1)); else
		[ $rc -eq 124 ] && echo "*** $t: watchdog fired after ${to}s"
		fail=$((fail + 1)); failed="$failed $t"
	fi
done
echo
[ -n "$failed" ] && echo "failed runners:$failed"
echo "runners: $pass passed, $fail failed"
[ $fail -eq 0 ]
