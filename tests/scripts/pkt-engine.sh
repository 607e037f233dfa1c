#!/bin/sh
# SPDX-License-Identifier: MIT
# The conformance scripts (tests/pkt/*.pkt) against the engine (the
# Verilator model of rtl/toe_top.v through libtoesim), run PKT_JOBS at a
# time (default: the CPUs, at most 4). With "long" the scripts tagged
# "// toe-pkt: long" (minutes of simulated time), without it the others:
# tests/scripts/pkt-engine-long.sh is the first, this file alone the second, so each
# half has its own watchdog in 'make test'. If toe-pkt was built without the
# engine (no mk/60-top.mk / TOESIM_LINK), says so and passes. Each half
# also checks that skipping idle time changes nothing (see below).
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

# The idle skip is exact (docs/pkt.md, "Waiting"): scripts whose timers fire
# while the engine idles give the same pcap, cycle for cycle, and the same
# -v output (every segment's time and its latency in cycles) skipping idle
# time as stepping every cycle (--no-skip). Stepping costs about 2 us of
# CPU a cycle, half a second per second of script time (docs/pkt.md "Waiting" has
# the figures), so each half compares a sample that fits make test's
# budget:
#  - the others: CL-07_finwait1_fin_rto (FIN retransmissions with backoff),
#    TW-01_short_msl (a TIME-WAIT expiry), AO-09_syn_retries_sysctl (SYN
#    retransmissions with backoff and the give-up of an active open);
#  - the long ones: HS-09_synack_giveup (63 s of script time: five SYN-ACK
#    retransmissions with backoff from 1 to 16 s, the give-up, a RST
#    after it; about 34 s stepped). Not stepped: TW-01_timewait_2msl (one
#    60-s TIME-WAIT: TW-01_short_msl's path, 34 s stepped) and
#    AO-09_syn_backoff_giveup (AO-09_syn_retries_sysctl's paths, plus the
#    backoff reaching RTO_MAX; about 100 s stepped).
compare() {
	tmp=$(mktemp -d) || exit 1
	fail=0
	for f in "$@"; do
		"$pkt" --engine -v --pcap="$tmp/skip.pcap" "$f" >"$tmp/skip.txt" 2>&1
		"$pkt" --engine -v --no-skip --pcap="$tmp/step.pcap" "$f" >"$tmp/step.txt" 2>&1
		if ! grep -q 'idle time skipped exactly' "$tmp/skip.txt"; then
			echo "pkt-engine: $f: idle time not skipped exactly (toe_sim_skip_idle" \
				"missing or -ENOSYS: the model hides its timers)"
			fail=1
			continue
		fi
		if ! grep -q '^PASS ' "$tmp/step.txt"; then
			echo "pkt-engine: $f: failed stepping every cycle:"
			sed 's/^/    | /' "$tmp/step.txt" | head -40
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
	rm -rf "$tmp"
	[ $fail -eq 0 ] && echo "pkt-engine: idle skip exact (pcap and -v output as stepping) on $# scripts: $*"
	return $fail
}

if [ "${1:-}" = long ]; then
	"$pkt" --engine -j "$jobs" $(grep -l '^// toe-pkt: long' tests/pkt/*.pkt) || exit 1
	compare tests/pkt/HS-09_synack_giveup.pkt
	exit
fi
"$pkt" --engine -j "$jobs" $(grep -L '^// toe-pkt: long' tests/pkt/*.pkt) || exit 1
compare tests/pkt/CL-07_finwait1_fin_rto.pkt tests/pkt/TW-01_short_msl.pkt \
	tests/pkt/AO-09_syn_retries_sysctl.pkt
