#!/bin/sh
# SPDX-License-Identifier: MIT
# The conformance scripts (tests/pkt/*.pkt) against the engine (the
# Verilator model of rtl/toe_top.v through libtoesim), run PKT_JOBS at a
# time (default: the CPUs, at most 4). With "long" the scripts tagged
# "// toe-pkt: long" (minutes of simulated time), without it the others:
# tests/scripts/pkt-engine-long.sh is the first, this file alone the second, so each
# half has its own watchdog in 'make test'. If toe-pkt was built without the
# engine (no mk/60-top.mk / TOESIM_LINK), says so and passes. The second
# half also checks that skipping idle time changes nothing (see below).
# TOE_PKT is the runner (mk/70-pkt.mk exports it; default build/toe-pkt).
set -u
cd "$(dirname "$0")/../.." || exit 1
pkt=${TOE_PKT:-build/toe-pkt}
[ -x "$pkt" ] || { echo "pkt-engine: $pkt not built"; exit 1; }
if ! "$pkt" --engine --help >/dev/null 2>&1; then
	echo "pkt-engine: SKIPPED: toe-pkt was built without the engine (no libtoesim)"
	exit 0
fi
jobs=${PKT_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
if [ "${1:-}" = long ]; then
	exec "$pkt" --engine -j "$jobs" $(grep -l '^// toe-pkt: long' tests/pkt/*.pkt)
fi
"$pkt" --engine -j "$jobs" $(grep -L '^// toe-pkt: long' tests/pkt/*.pkt) || exit 1

# The idle skip is exact (docs/pkt.md, "Waiting"): scripts whose timers fire
# while the engine idles (FIN retransmissions with backoff, a TIME-WAIT
# expiry) give the same pcap, cycle for cycle, and the same -v output
# skipping idle time as stepping every cycle (--no-skip).
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in tests/pkt/CL-07_finwait1_fin_rto.pkt tests/pkt/TW-01_short_msl.pkt; do
	"$pkt" --engine -v --pcap="$tmp/skip.pcap" "$f" >"$tmp/skip.txt" 2>&1
	"$pkt" --engine -v --no-skip --pcap="$tmp/step.pcap" "$f" >"$tmp/step.txt" 2>&1
	if ! grep -q 'idle time skipped exactly' "$tmp/skip.txt"; then
		echo "pkt-engine: $f: idle time not skipped exactly (toe_sim_skip_idle" \
			"missing or -ENOSYS: the model hides its timers)"
		fail=1
		continue
	fi
	sed -i 's/idle time [a-z]* [a-z]* *(toe_sim_skip_idle)/idle time stepped/' "$tmp/skip.txt"
	if ! cmp -s "$tmp/skip.pcap" "$tmp/step.pcap" ||
	   ! cmp -s "$tmp/skip.txt" "$tmp/step.txt"; then
		echo "pkt-engine: $f: skipping idle time changed the run:"
		diff "$tmp/step.txt" "$tmp/skip.txt" | head -20
		cmp "$tmp/step.pcap" "$tmp/skip.pcap"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "pkt-engine: idle skip exact (pcap and -v output as stepping) on 2 scripts"
exit $fail
