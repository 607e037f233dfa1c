#!/bin/sh
# Install the Debian packages the project needs, only those that are missing.
# Runs apt-get update once, installs non-interactively. Needs root (or sudo).
#   mk/deps.sh [extra packages]   (make fuzz adds clang and libclang-rt-dev,
#                                  its sanitizer and libFuzzer run-times)
set -eu
# zlib1g-dev: zlib's crc32(), the Ethernet FCS of the board simulation's
# RGMII PHY model (sim/board/rgmii_phy.c); z3: the SMT solver of 'make
# formal' (yosys-smtbmc, which Debian's yosys brings); python3-venv: the venv of
# pinned LiteEth packages the board simulation generates its MAC with
# (mk/synth-venv.sh, mk/95-fpga.mk)
PKGS="build-essential pkg-config python3 python3-venv verilator libcmocka-dev
libpcap-dev libsodium-dev libusb-1.0-0-dev libftdi1-dev zlib1g-dev yosys
nextpnr-ice40 fpga-icestorm iproute2 tshark umockdev libumockdev-dev z3 $*"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: not root and no sudo; install these by hand:$missing" >&2
		exit 1
	fi
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
