#!/bin/sh
# SPDX-License-Identifier: MIT
# fpga/prog.sh ('make prog') without a board: its usage errors and the
# openFPGALoader command it would run (PROG_DRY_RUN=1). The expected
# commands follow openFPGALoader 0.10.0's documented options
# (`openFPGALoader --help`: -c CABLE, --ftdi-serial, --write-flash,
# --verify; `--list-cables`: "ft2232" is FT2232 channel A at 0403:6010;
# -b BOARD, and "ecpix5" the ECPIX-5's board name in openFPGALoader's
# board list and in LambdaConcept's ECPIX-5 documentation), not
# fpga/prog.sh's own output.
set -u
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
check() { # name, expected exit status, expected output substring, command...
	name=$1 want_rc=$2 want_out=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	case $out in
	*"$want_out"*) ok=1 ;;
	*) ok=0 ;;
	esac
	if [ $rc -ne "$want_rc" ] || [ $ok -ne 1 ]; then
		echo "prog-check: $name: exit $rc (want $want_rc), output:"
		printf '%s\n' "$out" | sed 's/^/    /'
		echo "  wanted: $want_out"
		bad=1
	fi
}
bit=$tmp/toe_versa.bit
: > "$bit"
check "no board" 2 "usage: fpga/prog.sh <board> <bitstream>" sh fpga/prog.sh
check "unknown board" 2 "unknown BOARD 'arty-a7'" sh fpga/prog.sh arty-a7 "$bit"
check "no bitstream" 1 "no bitstream at $tmp/none.bit: run 'make bitstream BOARD=ecp5-versa' first" \
	sh fpga/prog.sh ecp5-versa "$tmp/none.bit"
check "SRAM" 0 "openFPGALoader -c ft2232 $bit" \
	env PROG_DRY_RUN=1 sh fpga/prog.sh ecp5-versa "$bit"
check "flash" 0 "openFPGALoader -c ft2232 --write-flash --verify $bit" \
	env PROG_DRY_RUN=1 PROG_FLASH=1 sh fpga/prog.sh ecp5-versa "$bit"
check "serial" 0 "openFPGALoader -c ft2232 --ftdi-serial FT0TOE01 $bit" \
	env PROG_DRY_RUN=1 FTDI_SERIAL=FT0TOE01 sh fpga/prog.sh ecp5-versa "$bit"
check "make prog" 0 "openFPGALoader -c ft2232 $tmp/fpga/ecp5-versa/toe_versa.bit" \
	sh -c "mkdir -p $tmp/fpga/ecp5-versa && : > $tmp/fpga/ecp5-versa/toe_versa.bit && \
	PROG_DRY_RUN=1 make --no-print-directory -s BUILD=$tmp prog BOARD=ecp5-versa"
check "ecpix5 SRAM" 0 "openFPGALoader -b ecpix5 $bit" \
	env PROG_DRY_RUN=1 sh fpga/prog.sh ecpix5 "$bit"
check "ecpix5 flash, serial" 0 "openFPGALoader -b ecpix5 --ftdi-serial FT0TOE01 --write-flash --verify $bit" \
	env PROG_DRY_RUN=1 PROG_FLASH=1 FTDI_SERIAL=FT0TOE01 sh fpga/prog.sh ecpix5 "$bit"
check "make prog ecpix5" 0 "openFPGALoader -b ecpix5 $tmp/fpga/ecpix5/toe_ecpix5.bit" \
	sh -c "mkdir -p $tmp/fpga/ecpix5 && : > $tmp/fpga/ecpix5/toe_ecpix5.bit && \
	PROG_DRY_RUN=1 make --no-print-directory -s BUILD=$tmp prog BOARD=ecpix5"
[ $bad -eq 0 ] && echo "prog-check: usage errors and the openFPGALoader commands of fpga/prog.sh as expected (10 checks)"
exit $bad
