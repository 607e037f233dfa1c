#!/bin/sh
# SPDX-License-Identifier: MIT
# test_interop_serve: `toe-simd serve` (the RTL engine on a TAP link in its
# own network namespace, the host bridge on tcp://127.0.0.1:PORT) driven
# from outside by toectl over tcp://, with Linux programs run by
# `ip netns exec` - the way a user attaches to the simulation by hand
# (docs/linux-interop.md):
#   1. toectl info over tcp:// reads the ID block ("TOE1");
#   2. toectl listen; a Linux client connects and waits for the engine's
#      FIN; toectl status shows it ESTABLISHED; toectl close; the client
#      sees EOF and exits 0;
#   3. toectl connect (Linux's MAC from the daemon's banner) to a Linux
#      listener; toectl close; the listener sees EOF and exits 0;
#   4. the engine's table empties (TIME-WAIT 2 x 200 ms), `ss -tan` in the
#      namespace shows nothing but LISTEN / TIME-WAIT;
#   5. SIGTERM: the daemon exits 0 and removes its namespace;
#   6. tshark finds no bad checksum and no malformed frame in its pcap
#      (Linux's checksum 0xffff for a ones' complement zero excepted: RFC
#      1624, see test_interop_linux.c).
# The build directory is filled in by mk/80-linux.mk (@BUILD@).
set -u
B=@BUILD@
D=$B/interop
LOG=$D/serve.log
PID=
mkdir -p "$D"

fail() {
	echo "test_interop_serve: FAIL: $*"
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID"
	echo "--- toe-simd said:"
	tail -30 "$LOG"
	exit 1
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds (wall time)
wait_for() {
	end=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
	return 0
}

"$B/toe-simd" --port=0 --msl-ms=200 --pcap="$D/serve.pcap" -q serve \
	>"$LOG" 2>&1 &
PID=$!
# the whole banner is out (namespace, Linux's MAC, then the bridge), or
# the daemon is gone (then its log says why)
up() {
	{ grep -q " in namespace " "$LOG" && grep -q "Linux  192.0.2.1  MAC " "$LOG" &&
		grep -q "host bridge: tcp://" "$LOG"; } || ! kill -0 "$PID" 2>/dev/null
}
wait_for 120 up || fail "toe-simd did not come up"
kill -0 "$PID" 2>/dev/null || { PID=; fail "toe-simd exited"; }
URI=$(sed -n 's|.*host bridge: \(tcp://[0-9.:]*\).*|\1|p' "$LOG")
NS=$(sed -n 's|.* in namespace \([^ ]*\)$|\1|p' "$LOG")
MAC=$(sed -n 's|.*Linux  192.0.2.1  MAC \([0-9a-f:]*\).*|\1|p' "$LOG")
[ -n "$URI" ] && [ -n "$NS" ] && [ -n "$MAC" ] ||
	fail "cannot read the banner (URI '$URI', namespace '$NS', MAC '$MAC'; log $(wc -c <"$LOG") bytes)"
echo "toe-simd up: $URI, namespace $NS, Linux MAC $MAC"
T="$B/toectl -d $URI"
PEER="$B/toe-linux-peer"

# 1. the ID block over tcp://
$T info | grep -q '"TOE1"' || fail "toectl info does not show TOE1"

# 2. passive open, the engine closes
$T listen 4000 || fail "toectl listen"
ip netns exec "$NS" "$PEER" client 192.0.2.2:4000 -m E -t 30 \
	>"$D/serve-client.log" 2>&1 &
CP=$!
est() { $T status | grep ESTABLISHED | grep -q ':4000 '; }
wait_for 30 est || fail "no ESTABLISHED connection on port 4000"
ID=$($T status | grep ESTABLISHED | grep ':4000 ' | awk '{print $1}')
$T close "$ID" || fail "toectl close $ID"
wait "$CP" || fail "the Linux client failed: $(cat "$D/serve-client.log")"
echo "passive open + engine close: ok (connection $ID)"

# 3. active open to a Linux listener, the engine closes
ip netns exec "$NS" "$PEER" server 5000 -n 1 -m E -t 30 \
	>"$D/serve-server.log" 2>&1 &
SP=$!
wait_for 10 grep -q ready "$D/serve-server.log" || fail "no Linux listener"
OUT=$($T connect -m "$MAC" -l 30000 192.0.2.1:5000) || fail "toectl connect"
ID=$(echo "$OUT" | sed -n 's/^connection \([0-9]*\):.*/\1/p')
[ -n "$ID" ] || fail "toectl connect said: $OUT"
est2() { $T status | grep ESTABLISHED | grep -q ':30000 '; }
wait_for 30 est2 || fail "the engine's connection did not reach ESTABLISHED"
$T close "$ID" || fail "toectl close $ID"
wait "$SP" || fail "the Linux listener failed: $(cat "$D/serve-server.log")"
echo "active open + engine close: ok (connection $ID)"

# 4. nothing left behind
STATES='SYN-|ESTABLISHED|FIN-WAIT|CLOSE-WAIT|CLOSING|LAST-ACK|TIME-WAIT'
empty() {
	out=$($T status) || return 1
	[ "$(echo "$out" | grep -c -E "$STATES")" = 0 ]
}
wait_for 30 empty || fail "the engine's table is not empty: $($T status)"
SS=$(ip netns exec "$NS" ss -tanH | awk '$1 != "LISTEN" && $1 != "TIME-WAIT"')
[ -z "$SS" ] || fail "ss -tan in the namespace: $SS"
echo "engine table empty, ss -tan clean"

# 5. SIGTERM removes the namespace
kill -TERM "$PID"
wait "$PID"
RC=$?
PID=
[ $RC = 0 ] || fail "toe-simd exited $RC on SIGTERM"
[ ! -e "/run/netns/$NS" ] || fail "namespace $NS left behind"
echo "SIGTERM: exit 0, namespace removed"

# 6. the wire
BAD=$(tshark -n -r "$D/serve.pcap" -o ip.check_checksum:TRUE \
	-o tcp.check_checksum:TRUE \
	-Y 'ip.checksum.status == 0 || _ws.malformed || (tcp.checksum.status == 0 && !(tcp.checksum == 0xffff && ip.src == 192.0.2.1))' \
	2>/dev/null | wc -l)
FRAMES=$(tshark -n -r "$D/serve.pcap" 2>/dev/null | wc -l)
[ "$FRAMES" -gt 10 ] || fail "the pcap has $FRAMES frames"
[ "$BAD" = 0 ] || fail "tshark: $BAD frames with a bad checksum or malformed"
echo "pcap: $FRAMES frames, checksums good"
echo "test_interop_serve: 6 checks passed"
