#!/bin/sh
# SPDX-License-Identifier: MIT
# Program a board with the bitstream 'make bitstream' built ('make prog'):
#   fpga/prog.sh <board> <bitstream>
#
# With openFPGALoader (Debian package openfpgaloader, installed here by
# mk/deps.sh when missing) over the board's own USB JTAG channel:
#   ecp5-versa   FT2232H channel A (MPSSE JTAG; channel B is the UART of
#                the host link): openFPGALoader's cable "ft2232"
#                (0403:6010, channel A; `openFPGALoader --list-cables`).
#                openFPGALoader 0.10.0 (Debian 12) has no board entry for
#                the Versa, so the cable is named, not the board.
#   ecpix5       FT2232H channel A (0403:6010): openFPGALoader's board
#                "ecpix5" (its cable "ecpix5-debug": channel A with the
#                board's own GPIO settings, openFPGALoader src/board.hpp
#                and src/cable.hpp; the board name is the one LambdaConcept's
#                ECPIX-5 documentation gives, "Debug" page).
#
# Environment:
#   PROG_FLASH=1     write the SPI flash (the board boots it at power-up)
#                    instead of the FPGA's SRAM (lost at power-off, the
#                    default)
#   FTDI_SERIAL=...  the FT2232H's USB serial string, when more than one
#                    board is plugged in (`lsusb -v -d 0403:6010` shows it)
#   PROG_DRY_RUN=1   print the command, do not run it (what 'make test'
#                    checks: no board is attached to the machines this
#                    project is built on)
#
# Nothing here has programmed a real board yet (fpga/README.md).
set -u
cd "$(dirname "$0")/.." || exit 1
board=${1:-}
bit=${2:-}
case $board in
ecp5-versa)
	set -- -c ft2232
	;;
ecpix5)
	set -- -b ecpix5
	;;
"")
	echo "prog: usage: fpga/prog.sh <board> <bitstream> (make prog BOARD=<board>)" >&2
	exit 2
	;;
*)
	echo "prog: unknown BOARD '$board' (known: ecp5-versa, ecpix5)" >&2
	exit 2
	;;
esac
if [ ! -f "$bit" ]; then
	echo "prog: no bitstream at $bit: run 'make bitstream BOARD=$board' first" >&2
	exit 1
fi
if [ -n "${FTDI_SERIAL:-}" ]; then
	set -- "$@" --ftdi-serial "$FTDI_SERIAL"
fi
if [ "${PROG_FLASH:-0}" = 1 ]; then
	set -- "$@" --write-flash --verify
fi
set -- "$@" "$bit"
if [ "${PROG_DRY_RUN:-0}" = 1 ]; then
	echo "openFPGALoader $*"
	exit 0
fi
if ! command -v openFPGALoader >/dev/null 2>&1; then
	sh mk/deps.sh openfpgaloader || exit 1
fi
echo "prog: openFPGALoader $*"
openFPGALoader "$@"
rc=$?
if [ $rc -ne 0 ]; then
	echo "prog: openFPGALoader failed ($rc). Is the board plugged in and powered," >&2
	echo "  and may this user open it (udev rule for 0403:6010)? See docs/bringup.md." >&2
fi
exit $rc
