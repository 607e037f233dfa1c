#!/bin/sh
# SPDX-License-Identifier: MIT
# The register map outputs: the committed files (toe_regs.h, toe_regs.vh,
# regmap.md) must equal a fresh generation from rtl/regmap/toe.toml; the
# header must compile as C and as C++ with every warning an error; the RTL
# include must pass verilator -Wall and yosys inside a module.
set -u
cd "$(dirname "$0")/../.." || exit 1
"${PYTHON3:-python3}" rtl/regmap/gen.py --check || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
printf '#include "toe/toe_regs.h"\n#include "toe/toe_tcp.h"\n#include "toe_ref.h"\nint toe_regs_check(void);\nint toe_regs_check(void) { return TOE_ST_COUNT + (int)TOE_REG_ID; }\n' >"$tmp/c.c"
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -Ihost/include -Ihost/ref -Ihost/pkt \
	-Ihost/common -fsyntax-only "$tmp/c.c" || { echo "regmap: toe_regs.h does not compile as C"; bad=1; }
"${CXX:-c++}" -x c++ -std=c++11 -Wall -Wextra -Werror -pedantic -Ihost/include \
	-Ihost/ref -Ihost/pkt -Ihost/common -fsyntax-only "$tmp/c.c" || { echo "regmap: toe_regs.h does not compile as C++"; bad=1; }
cat >"$tmp/toe_regs_check.v" <<'V'
`default_nettype none
module toe_regs_check (input wire clk, input wire [3:0] st, output reg q);
`include "toe_regs.vh"
always @(posedge clk) q <= (st == TOE_ST_ESTABLISHED);
endmodule
V
"${VERILATOR:-verilator}" --lint-only -Wall -Irtl "$tmp/toe_regs_check.v" ||
	{ echo "regmap: toe_regs.vh fails verilator lint"; bad=1; }
"${YOSYS:-yosys}" -q -p "read_verilog -sv -Irtl $tmp/toe_regs_check.v; synth -top toe_regs_check" >/dev/null ||
	{ echo "regmap: toe_regs.vh fails yosys"; bad=1; }
[ $bad -eq 0 ] && echo "regmap: header compiles as C and C++, RTL include lints and synthesises"
exit $bad
