#!/bin/sh
# SPDX-License-Identifier: MIT
# Every conformance script (tests/pkt/*.pkt) against the reference stack.
# TOE_PKT is the runner (mk/70-pkt.mk exports it; default build/toe-pkt).
set -u
cd "$(dirname "$0")/../.." || exit 1
pkt=${TOE_PKT:-build/toe-pkt}
[ -x "$pkt" ] || { echo "pkt-model: $pkt not built"; exit 1; }
exec "$pkt" --model tests/pkt/*.pkt
