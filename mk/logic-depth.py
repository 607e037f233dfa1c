#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# logic-depth.py - rank the register-to-register paths of an ECP5 netlist
# (the JSON `mk/synth-ecp5.sh` writes, after synth_ecp5) by an estimated
# delay, without placing or routing it.
#
#   python3 mk/logic-depth.py <out>/toe_top.json [N] [--by-module DEPTH]
#       [--path SUBSTR]... [--cut REGEX]... [--from REGEX]...
#
# Each endpoint (a flip-flop's data / enable / reset input, a block RAM's
# or LUT RAM's write-side input) gets the longest estimated arrival over
# the LUT4 / PFUMX / L6MUX21 / CCU2C / LUT-RAM-read cone in front of it.
# The estimate is a proxy, not a timing analysis: a fixed cost per cell and
# per net hop between slices (the routed toe_top of 2026-12-07 averaged
# about 1.1 ns of routing per hop on its critical path; placement decides
# the real figure). What it is good for: finding the deep cones before a
# 30-minute place and route, and checking that a pipelining change removed
# the levels it was meant to remove. It prints the N worst endpoints with
# their estimate and LUT levels and the chain of nets of the worst few,
# and with --by-module the worst endpoint per module prefix. --path prints
# the chain of the worst endpoint whose name contains SUBSTR; --cut treats
# every net with a name matching REGEX as a register output (what would be
# left if that signal were registered); --from counts only paths that start
# at a register, RAM or input with a name matching REGEX.
import json
import re
import sys
from collections import defaultdict

HOP = 0.9         # ns, routing between two slices (estimate)
LUT = 0.20        # LUT4 A..D -> Z
MUX = 0.15        # PFUMX / L6MUX21 (in the same slice as their inputs)
CARRY = 0.06      # CCU2C CIN -> COUT (two bits)
CCU_IN = 0.45     # CCU2C A/B -> S / COUT
CLKQ = 0.45       # TRELLIS_FF clock -> Q
RAM_CLKQ = 5.8    # DP16KD without output register (CLK -> DO)
DPR_READ = 0.6    # TRELLIS_DPR16X4 RAD -> DO
SETUP = 0.1


def main():
    args = [a for a in sys.argv[1:]]
    by_mod = None
    paths = []
    cuts = []
    while "--cut" in args:
        i = args.index("--cut")
        cuts.append(re.compile(args[i + 1]))
        del args[i:i + 2]
    froms = []
    while "--from" in args:
        i = args.index("--from")
        froms.append(re.compile(args[i + 1]))
        del args[i:i + 2]
    while "--path" in args:
        i = args.index("--path")
        paths.append(args[i + 1])
        del args[i:i + 2]
    if "--by-module" in args:
        i = args.index("--by-module")
        by_mod = int(args[i + 1])
        del args[i:i + 2]
    if not args:
        sys.exit("usage: logic-depth.py <netlist.json> [N] [--by-module DEPTH]")
    path = args[0]
    n_show = int(args[1]) if len(args) > 1 else 25
    d = json.load(open(path))
    top = None
    for name, m in d["modules"].items():
        if m.get("attributes", {}).get("top"):
            top = m
    if top is None:
        sys.exit("logic-depth.py: no top module in %s" % path)
    netname = {}
    allnames = defaultdict(list)
    for name, n in top["netnames"].items():
        for b in n["bits"]:
            if isinstance(b, int):
                allnames[b].append(name)
                # prefer a name without '$' (a source name)
                old = netname.get(b)
                if old is None or (old.startswith("$") and not name.startswith("$")) or \
                   (old.startswith("$") == name.startswith("$") and len(name) < len(old)):
                    netname[b] = name

    # driver of each bit: (cell, kind)
    regname = {}       # flip-flop cell -> its Q bit (named after the register)
    comb_out = {}      # bit -> (cell name, delay from inputs, input pins list)
    start_bits = {}    # bit -> launch time
    endpoints = []     # (bit, cell name, pin)
    cells = top["cells"]
    for cname, c in cells.items():
        t = c["type"].split("\\")[-1]
        conns = c["connections"]
        dirs = c.get("port_directions", {})

        def bits(p):
            return [b for b in conns.get(p, []) if isinstance(b, int)]
        if t == "LUT4":
            for b in bits("Z"):
                comb_out[b] = (cname, [(x, LUT + HOP) for p in "ABCD" for x in bits(p)])
        elif t == "PFUMX":
            ins = [(x, MUX) for p in ("ALUT", "BLUT") for x in bits(p)] + \
                  [(x, MUX + HOP) for x in bits("C0")]
            for b in bits("Z"):
                comb_out[b] = (cname, ins)
        elif t == "L6MUX21":
            ins = [(x, MUX) for p in ("D0", "D1") for x in bits(p)] + \
                  [(x, MUX + HOP) for x in bits("SD")]
            for b in bits("Z"):
                comb_out[b] = (cname, ins)
        elif t == "CCU2C":
            data = [(x, CCU_IN + HOP) for p in ("A0", "B0", "C0", "D0", "A1", "B1", "C1", "D1")
                    for x in bits(p)]
            cin = [(x, CARRY) for x in bits("CIN")]
            for p in ("S0", "S1", "COUT"):
                for b in bits(p):
                    comb_out[b] = (cname, data + cin)
        elif t == "TRELLIS_FF":
            for b in bits("Q"):
                start_bits[b] = CLKQ
                regname[cname] = b
            for p in ("DI", "CE", "LSR", "M"):
                for b in bits(p):
                    endpoints.append((b, cname, p))
        elif t == "DP16KD":
            for p, dd in dirs.items():
                if dd == "output":
                    for b in bits(p):
                        start_bits[b] = RAM_CLKQ
                elif not p.startswith("CLK"):
                    for b in bits(p):
                        endpoints.append((b, cname, p))
        elif t == "TRELLIS_DPR16X4":
            rd = [(x, DPR_READ + HOP) for x in bits("RAD")]
            for b in bits("DO"):
                # async read from the RAM contents (launched by the write clock)
                comb_out[b] = (cname, rd)
                start_bits.setdefault(b, CLKQ + DPR_READ)
            for p in ("WAD", "DI", "WRE"):
                for b in bits(p):
                    endpoints.append((b, cname, p))
        elif t == "MULT18X18D":
            for p, dd in dirs.items():
                if dd == "output":
                    for b in bits(p):
                        start_bits[b] = 3.0
                elif not p.startswith("CLK"):
                    for b in bits(p):
                        endpoints.append((b, cname, p))
    # top-level inputs launch at 0
    for pname, p in top["ports"].items():
        if p["direction"] == "input":
            for b in p["bits"]:
                if isinstance(b, int):
                    start_bits[b] = 0.0

    # what-if: bits with a name matching a --cut pattern start a path
    # (as if registered); how deep the rest is then
    if cuts:
        ncut = 0
        for b, names in allnames.items():
            if b in comb_out and any(c.search(nm) for c in cuts for nm in names):
                del comb_out[b]
                start_bits[b] = CLKQ
                ncut += 1
        print("cut %d nets (treated as register outputs)" % ncut)
    # only paths from starts with a name matching a --from pattern
    if froms:
        for b in list(start_bits):
            if not any(c.search(nm) for c in froms for nm in allnames.get(b, [])):
                start_bits[b] = -1000.0
    sys.setrecursionlimit(100000)
    arr = {}
    levels = {}
    via = {}

    def arrival(b):
        if b in arr:
            return arr[b]
        st = [(b, False)]
        while st:
            x, done = st.pop()
            if x in arr:
                continue
            if x in comb_out:
                cname, ins = comb_out[x]
                if not done:
                    st.append((x, True))
                    for y, _ in ins:
                        if y not in arr:
                            st.append((y, False))
                    continue
                best, bl, bv = start_bits.get(x, -1000.0 if froms else 0.0), 0, None
                for y, dl in ins:
                    a = arr.get(y, 0.0) + dl
                    if a > best:
                        best, bl, bv = a, levels.get(y, 0) + (1 if dl >= HOP else 0), y
                arr[x], levels[x], via[x] = best, bl, bv
            else:
                arr[x], levels[x], via[x] = start_bits.get(x, -1000.0 if froms else 0.0), 0, None
        return arr[b]

    res = []
    for b, cname, pin in endpoints:
        a = arrival(b) + HOP + SETUP
        res.append((a, levels.get(b, 0), b, cname, pin))
    res.sort(reverse=True)

    def ename(b, cname):
        if cname in regname:
            nm = netname.get(regname[cname], cname)
        else:
            nm = netname.get(b, cname)
        # yosys / nextpnr names a derived net after a register it feeds:
        # keep the source part
        return re.split(r"_(TRELLIS_|LUT4_|CCU2C_|PFUMX_|L6MUX21_|DP16KD_)", nm)[0]

    print("%d endpoints; estimate = %.2f ns/hop, %.2f ns/LUT (not a timing analysis)" %
          (len(res), HOP, LUT))
    print("%8s %6s  %s" % ("est ns", "levels", "endpoint (net at the pin)"))
    seen = set()
    shown = 0
    for a, lv, b, cname, pin in res:
        key = ename(b, cname)
        if key in seen:
            continue
        seen.add(key)
        print("%8.2f %6d  %s [%s.%s]" % (a, lv, key[:110], c_short(cname), pin))
        shown += 1
        if shown >= n_show:
            break
    # chain of the worst endpoint, and of the worst one matching each --path
    picks = res[:1]
    for sub in paths:
        picks += [next((r for r in res if sub in ename(r[2], r[3])), None)]
    for pick in picks:
        if pick is None:
            continue
        a, lv, b, cname, pin = pick
        print("\npath to %s (%.2f ns, %d levels; endpoint first):" % (ename(b, cname), a, lv))
        x = b
        while x is not None:
            print("  %7.2f  %s" % (arr.get(x, 0.0), netname.get(x, "?")[:140]))
            x = via.get(x)
    if by_mod is not None:
        worst = {}
        for a, lv, b, cname, pin in res:
            nm = ename(b, cname)
            parts = nm.split(".")
            mod = ".".join(parts[:by_mod]) if len(parts) > by_mod else ".".join(parts[:-1]) or nm
            cnt = worst.setdefault(mod, [a, lv, nm, 0])
            cnt[3] += 1
        print("\nworst endpoint per module (depth %d):" % by_mod)
        for mod, (a, lv, nm, cnt) in sorted(worst.items(), key=lambda kv: -kv[1][0]):
            print("%8.2f %6d  %-40s %6d endpoints  %s" % (a, lv, mod[:40], cnt, nm[:70]))


def c_short(c):
    return c if len(c) < 30 else c[:12] + "..." + c[-12:]


if __name__ == "__main__":
    main()
