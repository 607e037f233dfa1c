#!/bin/sh
# SPDX-License-Identifier: MIT
# The README examples against the installed library: `make install
# PREFIX=<build>/stage`, then compile examples/listen.c with pkg-config
# (toe-sim: the library and the simulated engine; toe: the library alone)
# and run both: the first must open the simulated engine and listen, the
# second must fail to open sim: with the message that says why; and
# examples/codec.c with toe-pkt (the frame codec: libtoepkt.a).
# Usage: tests/scripts/example-test.sh [BUILD_DIR]; from `make test` the build
# directory and the sanitizer choice come from the environment
# (TOE_EXAMPLE_BUILD, TOE_EXAMPLE_SAN, TOE_EXAMPLE_SANFLAGS, mk/55-host.mk).
set -u
base=${1:-${TOE_EXAMPLE_BUILD:-build}}
san=${TOE_EXAMPLE_SAN:-0}
sanflags=${TOE_EXAMPLE_SANFLAGS:-}
build=$base
[ "$san" = 1 ] && build=$base-san
mkdir -p "$build"
stage=$(cd "$build" && pwd)/stage
fail() { echo "example-test: FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$stage"
make --no-print-directory -s BUILD="$base" SAN="$san" install PREFIX="$stage" \
	>"$build/example-install.log" 2>&1 || fail "make install (see $build/example-install.log)"
for f in include/toe/toe.h include/toe/toe_regs.h lib/libtoe.a lib/libtoe.so \
	 lib/libtoe.so.0 bin/toectl lib/pkgconfig/toe.pc include/toe/toe_wire.h \
	 lib/libtoepkt.a lib/pkgconfig/toe-pkt.pc; do
	[ -e "$stage/$f" ] || fail "not installed: $f"
done
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
export LD_LIBRARY_PATH="$stage/lib"
[ "$(pkg-config --modversion toe)" = "0.1.0" ] || fail "pkg-config toe"
soname=$(readelf -d "$stage/lib/libtoe.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "libtoe.so.0" ] || fail "soname is '$soname'"
pass=0
# 1. with the library alone (shared): sim: is not there, and says so
cc $sanflags -o "$build/example-nosim" examples/listen.c $(pkg-config --cflags --libs toe) \
	|| fail "compile with pkg-config toe"
out=$("$build/example-nosim" 2>&1) && fail "example without the engine model succeeded: $out"
echo "$out" | grep -q "not linked" || fail "unexpected message: $out"
ldd "$build/example-nosim" | grep -q "$stage/lib/libtoe.so.0" || fail "not linked with the installed libtoe.so"
pass=$((pass + 1))
# 2. with the simulated engine (toe-sim): opens, configures, listens
if [ -e "$stage/lib/pkgconfig/toe-sim.pc" ]; then
	c++ $sanflags -o "$build/example-sim" -x c examples/listen.c -x none \
		$(pkg-config --cflags --libs toe-sim) || fail "compile with pkg-config toe-sim"
	out=$(timeout 120 "$build/example-sim" 2>&1) || fail "example-sim: $out"
	[ "$out" = "listening on 10.0.0.1:80" ] || fail "example-sim printed: $out"
	pass=$((pass + 1))
fi
# 3. the frame codec (toe-pkt): a SYN built and parsed back; the expected
# line is the segment examples/codec.c builds (its own constants), so a
# codec that drops the MSS option, swaps ports or mangles an address fails
cc $sanflags -o "$build/example-codec" examples/codec.c $(pkg-config --cflags --libs toe-pkt) \
	|| fail "compile with pkg-config toe-pkt"
out=$("$build/example-codec" 2>&1) || fail "example-codec: $out"
[ "$out" = "60 bytes: 10.0.0.2:40000 -> 10.0.0.1:80 flags 0x02 seq 1000 mss 1460" ] \
	|| fail "example-codec printed: $out"
pass=$((pass + 1))
echo "example-test: README examples compiled against the install in $stage and ran"
echo "$pass passed, 0 failed"
