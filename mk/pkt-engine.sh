#!/bin/sh
# SPDX-License-Identifier: MIT
# The conformance scripts (tests/pkt/*.pkt) against the engine (the
# Verilator model of rtl/toe_top.v through libtoesim), run PKT_JOBS at a
# time (default: the CPUs, at most 4). With "long" the scripts tagged
# "// toe-pkt: long" (minutes of simulated time), without it the others:
# mk/pkt-engine-long.sh is the first, this file alone the second, so each
# half has its own watchdog in 'make test'. If toe-pkt was built without the
# engine (no mk/60-top.mk / TOESIM_LINK), says so and passes.
# TOE_PKT is the runner (mk/70-pkt.mk exports it; default build/toe-pkt).
set -u
cd "$(dirname "$0")/.." || exit 1
pkt=${TOE_PKT:-build/toe-pkt}
[ -x "$pkt" ] || { echo "pkt-engine: $pkt not built"; exit 1; }
if ! "$pkt" --engine --help >/dev/null 2>&1; then
	echo "pkt-engine: SKIPPED: toe-pkt was built without the engine (no libtoesim)"
	exit 0
fi
jobs=${PKT_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
if [ "${1:-}" = long ]; then
	set -- $(grep -l '^// toe-pkt: long' tests/pkt/*.pkt)
else
	set -- $(grep -L '^// toe-pkt: long' tests/pkt/*.pkt)
fi
exec "$pkt" --engine -j "$jobs" "$@"
