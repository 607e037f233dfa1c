#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Group nextpnr router2 congestion (--router2-heatmap PREFIX) by module.

nextpnr-ecp5 ... --router router2 --router2-heatmap DIR/hm writes, per
router iteration N, DIR/hm_congestion_by_net_N.csv: one line per net,
"net name,overuse count". Net names start with the instance path
(dut.core.conn_table....), so summing by the first DEPTH path components
says which block the overused wires belong to.

    mk/heatmap-by-module.py DIR/hm_congestion_by_net_6.csv [DEPTH] [TOP]

DEPTH: path components kept after the wrapper's "dut." (default 2);
TOP: lines printed (default 25).
"""
import csv
import sys
from collections import Counter


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: heatmap-by-module.py CSV [DEPTH] [TOP]")
    path = sys.argv[1]
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    by = Counter()
    total = 0
    try:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                if len(row) < 2:
                    continue
                try:
                    n = int(row[-1])
                except ValueError:
                    continue
                name = ",".join(row[:-1])
                parts = name.split(".")
                if parts and parts[0] == "dut":
                    parts = parts[1:]
                # the last component is the net itself: keep modules only
                mods = parts[:-1][:depth] if len(parts) > 1 else ["(top)"]
                by[".".join(mods) or "(top)"] += n
                total += n
    except OSError as e:
        sys.exit(f"heatmap-by-module: cannot read {path}: {e.strerror}")
    if total == 0:
        sys.exit(f"heatmap-by-module: no overuse counts in {path}")
    print(f"{path}: {total} overuse counts")
    for mod, n in by.most_common(top):
        print(f"{100.0 * n / total:6.1f} %  {n:8d}  {mod}")


if __name__ == "__main__":
    main()
