#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen.py - generate the register map outputs from rtl/regmap/toe.toml.

    python3 rtl/regmap/gen.py            write the three outputs
    python3 rtl/regmap/gen.py --check    exit 1 if a committed output differs
                                         from a fresh generation

Outputs (paths relative to the repository root):
    host/include/toe/toe_regs.h   C/C++ header
    rtl/toe_regs.vh               Verilog localparams
    docs/regmap.md                documentation

The .toml format is described at its top. Everything is checked before
anything is written: names unique (across every generated identifier),
addresses aligned, inside their block and not overlapping, fields inside the
register and not overlapping, resets fitting their field, enum references
existing, enum values unique and fitting the fields that use them, flag bits
unique and inside their width.
Python standard library only.
"""

import argparse
import os
import sys
import tomllib

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SRC = "rtl/regmap/toe.toml"
OUT_H = "host/include/toe/toe_regs.h"
OUT_VH = "rtl/toe_regs.vh"
OUT_MD = "docs/regmap.md"

ACCESS = {
    "rw": "read/write",
    "ro": "read only",
    "wo": "write only (reads 0)",
    "rop": "read only; the read pops",
}


class MapError(Exception):
    pass


def fail(msg):
    raise MapError(msg)


def clog2(n):
    """bits to hold values 0..n-1 (at least 1)"""
    b = 1
    while (1 << b) < n:
        b += 1
    return b


def one_line(s):
    return " ".join(str(s).split())


# ---------------------------------------------------------------------------
# model


class Enum:
    def __init__(self, d):
        self.name = d["name"]
        self.c_type = d["c_type"]
        self.prefix = d["prefix"]
        self.c_sign = d.get("c_sign", 1)
        if self.c_sign not in (1, -1):
            fail(f"enum {self.name}: c_sign must be 1 or -1")
        self.doc = one_line(d.get("doc", ""))
        self.count_name = d.get("count")
        self.entries = []
        seen = set()
        for e in d["entries"]:
            v = e["value"]
            if not isinstance(v, int) or v < 0:
                fail(f"enum {self.name}.{e['name']}: value must be a non-negative integer")
            if v in seen:
                fail(f"enum {self.name}: value {v} used twice")
            seen.add(v)
            c_name = e.get("c_name", self.prefix + e["name"])
            self.entries.append({
                "name": e["name"],
                "c_name": c_name,
                "code": v,
                "c_value": self.c_sign * v,
                "doc": one_line(e.get("doc", "")),
            })
        self.max_code = max(e["code"] for e in self.entries)
        self.width = clog2(self.max_code + 1)
        self.width_name = f"{self.prefix.split('_')[0]}_{self.name.upper()}_WIDTH"
        if self.count_name:
            if sorted(seen) != list(range(len(seen))):
                fail(f"enum {self.name}: a count needs values 0..n-1")
            self.count_c_name = self.prefix + self.count_name


class Flags:
    """a flag set: named bits, several of which may be set at once"""

    def __init__(self, d):
        self.name = d["name"]
        self.c_type = d["c_type"]
        self.prefix = d["prefix"]
        self.width = d["width"]
        if self.width not in (8, 16, 32):
            fail(f"flags {self.name}: width must be 8, 16 or 32")
        self.doc = one_line(d.get("doc", ""))
        self.width_name = f"{self.prefix.split('_')[0]}_{self.name.upper()}_WIDTH"
        self.entries = []
        seen = set()
        for e in d["entries"]:
            b = e["bit"]
            if not isinstance(b, int) or not 0 <= b < self.width:
                fail(f"flags {self.name}.{e['name']}: bit must be 0..{self.width - 1}")
            if b in seen:
                fail(f"flags {self.name}: bit {b} used twice")
            seen.add(b)
            self.entries.append({
                "name": e["name"],
                "c_name": self.prefix + e["name"],
                "bit": b,
                "mask": 1 << b,
                "doc": one_line(e.get("doc", "")),
            })


class Field:
    def __init__(self, reg, d, enums):
        self.name = d["name"]
        self.lsb = d["lsb"]
        self.width = d["width"]
        self.doc = one_line(d.get("doc", ""))
        self.param = d.get("param")
        self.enum = None
        if "enum" in d:
            if d["enum"] not in enums:
                fail(f"{reg.name}.{self.name}: unknown enum {d['enum']}")
            self.enum = enums[d["enum"]]
            if self.enum.width > self.width:
                fail(f"{reg.name}.{self.name}: enum {self.enum.name} needs {self.enum.width} bits")
        if self.param is None:
            if "reset" not in d:
                fail(f"{reg.name}.{self.name}: needs reset or param")
            self.reset = d["reset"]
        else:
            if "reset" in d:
                fail(f"{reg.name}.{self.name}: reset and param are exclusive")
            self.reset = None
        if self.width < 1 or self.lsb < 0 or self.lsb + self.width > reg.width:
            fail(f"{reg.name}.{self.name}: bits {self.lsb}+{self.width} outside the register")
        if self.reset is not None and not 0 <= self.reset < (1 << self.width):
            fail(f"{reg.name}.{self.name}: reset {self.reset} does not fit {self.width} bits")
        self.mask = ((1 << self.width) - 1) << self.lsb

    def bits(self):
        if self.width == 1:
            return f"{self.lsb}"
        return f"{self.lsb + self.width - 1}:{self.lsb}"


class Reg:
    def __init__(self, block, d, enums):
        self.block = block
        self.name = d["name"]
        self.addr = d["addr"]
        self.width = d.get("width", 32)
        self.access = d["access"]
        self.doc = one_line(d.get("doc", ""))
        self.count = d.get("count", 1)
        self.stride = d.get("stride", self.width // 8)
        self.index_enum = None
        if "index_enum" in d:
            if d["index_enum"] not in enums:
                fail(f"{self.name}: unknown index_enum {d['index_enum']}")
            self.index_enum = enums[d["index_enum"]]
        if self.width not in (32, 64):
            fail(f"{self.name}: width must be 32 or 64")
        if self.access not in ACCESS:
            fail(f"{self.name}: access {self.access!r} not one of {sorted(ACCESS)}")
        if self.addr % 4:
            fail(f"{self.name}: address 0x{self.addr:x} not 4-byte aligned")
        if self.width == 64 and self.addr % 8:
            fail(f"{self.name}: 64-bit register not 8-byte aligned")
        if self.count < 1 or self.stride < self.width // 8 or self.stride % 4:
            fail(f"{self.name}: bad count/stride")
        self.fields = [Field(self, f, enums) for f in d.get("fields", [])]
        if self.fields:
            if "reset" in d:
                fail(f"{self.name}: reset comes from the fields")
            used = 0
            names = set()
            for f in self.fields:
                if used & f.mask:
                    fail(f"{self.name}.{f.name}: overlaps another field")
                if f.name in names:
                    fail(f"{self.name}.{f.name}: field name used twice")
                used |= f.mask
                names.add(f.name)
            self.reset = sum((f.reset or 0) << f.lsb for f in self.fields)
            self.reset_mask = sum(f.mask for f in self.fields if f.reset is not None)
        else:
            if "reset" not in d:
                fail(f"{self.name}: needs reset (or fields)")
            self.reset = d["reset"]
            if not 0 <= self.reset < (1 << self.width):
                fail(f"{self.name}: reset does not fit")
            self.reset_mask = (1 << self.width) - 1
        self.size = (self.count - 1) * self.stride + self.width // 8

    def words(self):
        """(name, addr, reset, reset_mask) for every 32-bit word"""
        out = []
        for i in range(self.count):
            base = self.addr + i * self.stride
            n = self.name + (str(i) if self.count > 1 else "")
            if self.width == 32:
                out.append((n, base, self.reset, self.reset_mask))
            else:
                m = 0xFFFFFFFF
                out.append((n + "_LO", base, self.reset & m, self.reset_mask & m))
                out.append((n + "_HI", base + 4, self.reset >> 32, self.reset_mask >> 32))
        return out


class Map:
    def __init__(self, d):
        meta = d["meta"]
        self.reg_prefix = meta["reg_prefix"]
        self.data_w = meta["data_w"]
        self.addr_w = meta["addr_w"]
        if self.data_w != 32:
            fail("only 32-bit data is supported")
        self.enums = {}
        for e in d.get("enum", []):
            en = Enum(e)
            if en.name in self.enums:
                fail(f"enum {en.name} defined twice")
            self.enums[en.name] = en
        self.flags = {}
        for f in d.get("flags", []):
            fl = Flags(f)
            if fl.name in self.flags or fl.name in self.enums:
                fail(f"flags {fl.name} defined twice")
            self.flags[fl.name] = fl
        self.blocks = []
        self.regs = []
        for b in d["block"]:
            blk = {"name": b["name"], "base": b["base"], "size": b["size"],
                   "doc": one_line(b.get("doc", "")), "regs": []}
            if blk["base"] + blk["size"] > (1 << self.addr_w):
                fail(f"block {blk['name']} beyond the {self.addr_w}-bit address space")
            for r in b["reg"]:
                reg = Reg(blk, r, self.enums)
                if not (blk["base"] <= reg.addr and reg.addr + reg.size <= blk["base"] + blk["size"]):
                    fail(f"{reg.name}: outside block {blk['name']}")
                blk["regs"].append(reg)
                self.regs.append(reg)
            self.blocks.append(blk)
        # no two words at one address, blocks do not overlap
        words = {}
        for r in self.regs:
            for n, a, _, _ in r.words():
                if a in words:
                    fail(f"{n} and {words[a]} both at 0x{a:03x}")
                words[a] = n
        spans = sorted((b["base"], b["base"] + b["size"], b["name"]) for b in self.blocks)
        for (_, e0, n0), (s1, _, n1) in zip(spans, spans[1:]):
            if s1 < e0:
                fail(f"blocks {n0} and {n1} overlap")
        if "ID" not in [r.name for r in self.regs] or self.regs[0].name != "ID" or self.regs[0].addr != 0:
            fail("the ID register must come first, at address 0")


# ---------------------------------------------------------------------------
# C header


def c_hex(v, width):
    if width > 32:
        return f"0x{v:0{(width + 3) // 4}X}ULL"
    return f"0x{v:0{(width + 3) // 4}X}u"


def flag_hex(v, width):
    return f"0x{v:0{(width + 3) // 4}X}"


def c_comment(text, indent=""):
    """a /* */ block, wrapped at 78 columns"""
    words = text.split()
    lines, cur = [], ""
    for w in words:
        if cur and len(indent) + 3 + len(cur) + 1 + len(w) > 78:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    if len(lines) == 1 and len(indent) + 6 + len(lines[0]) <= 78:
        return f"{indent}/* {lines[0]} */\n"
    out = f"{indent}/*\n"
    for ln in lines:
        out += f"{indent} * {ln}\n"
    return out + f"{indent} */\n"


class Names:
    """every generated identifier, to catch clashes"""

    def __init__(self):
        self.seen = {}

    def add(self, name, where):
        if name in self.seen:
            fail(f"generated name {name} clashes ({where} / {self.seen[name]})")
        self.seen[name] = where
        return name


def gen_c(m):
    names = Names()
    P = m.reg_prefix
    o = []
    o.append("/* SPDX-License-Identifier: MIT */\n")
    o.append("/*\n")
    o.append(" * toe_regs.h - the engine's register map and the enumerations and flag\n")
    o.append(" * sets the RTL and the C code share (TCP states, parse results, events,\n")
    o.append(" * commands; TCP header flags).\n")
    o.append(" *\n")
    o.append(f" * GENERATED by rtl/regmap/gen.py from {SRC}: do not edit; change\n")
    o.append(" * the .toml (make regenerates this file). Documentation: docs/regmap.md.\n")
    o.append(" *\n")
    o.append(" * Registers are 32-bit words at byte addresses. For each register R:\n")
    o.append(f" *   {P}R              address (64-bit registers: of the LO word; also\n")
    o.append(f" *                           {P}R_LO / {P}R_HI)\n")
    o.append(f" *   {P}R_RESET        value after reset\n")
    o.append(f" *   {P}R_F_SHIFT / _WIDTH / _MASK / _RESET   for each field F\n")
    o.append(f" *   {P}R(i), R_BASE, R_COUNT, R_STRIDE        for register arrays\n")
    o.append(" * and TOE_FIELD_GET / TOE_FIELD_PUT to take a field out of a register\n")
    o.append(" * word or put one in. Includable from C and C++; macros and enums only.\n")
    o.append(" */\n")
    o.append("#ifndef TOE_REGS_H\n#define TOE_REGS_H\n\n")
    o.append("#include <stdint.h>\n\n")

    # enums
    o.append("/* ---- Enumerations ---- */\n\n")
    for en in m.enums.values():
        o.append(c_comment(en.doc))
        o.append(f"enum {en.c_type} {{\n")
        rows = []
        for e in en.entries:
            names.add(e["c_name"], f"enum {en.name}")
            rows.append((f"{e['c_name']} = {e['c_value']}", e["doc"]))
        if en.count_name:
            names.add(en.count_c_name, f"enum {en.name}")
            rows.append((f"{en.count_c_name} = {len(en.entries)}", "number of values"))
        for i, (decl, doc) in enumerate(rows):
            comma = "," if i + 1 < len(rows) else ""
            o.append(f"\t{decl}{comma} /* {doc} */\n")
        o.append("};\n")
        wn = names.add(en.width_name, f"enum {en.name}")
        o.append(f"#define {wn} {en.width} /* bits of the RTL code */\n")
        xn = names.add(f"TOE_{en.name.upper()}_FOREACH", f"enum {en.name}")
        o.append(f"/* X(c_name, \"NAME\", c_value) for every value */\n")
        o.append(f"#define {xn}(X) \\\n")
        for e in en.entries:
            o.append(f"\tX({e['c_name']}, \"{e['name']}\", {e['c_value']}) \\\n")
        o.append("\t/* end */\n\n")

    # flag sets
    o.append("/* ---- Flag sets ---- */\n\n")
    for fl in m.flags.values():
        o.append(c_comment(fl.doc))
        o.append(f"enum {fl.c_type} {{\n")
        for i, e in enumerate(fl.entries):
            names.add(e["c_name"], f"flags {fl.name}")
            comma = "," if i + 1 < len(fl.entries) else ""
            o.append(f"\t{e['c_name']} = {flag_hex(e['mask'], fl.width)}{comma} /* {e['doc']} */\n")
        o.append("};\n")
        for e in fl.entries:
            o.append(f"#define {names.add(e['c_name'] + '_BIT', f'flags {fl.name}')} {e['bit']}\n")
        wn = names.add(fl.width_name, f"flags {fl.name}")
        o.append(f"#define {wn} {fl.width} /* bits of the field that holds them */\n\n")

    # registers
    o.append("/* ---- Registers ---- */\n\n")
    o.append(f"#define {names.add(P + 'ADDR_W', 'meta')} {m.addr_w} /* CSR address bits (byte address) */\n")
    o.append(f"#define {names.add(P + 'DATA_W', 'meta')} {m.data_w} /* CSR data bits */\n\n")
    o.append("/* The value of field F (" + P + "<REG>_<FIELD>, of a 32-bit register) in\n")
    o.append(" * register word v; field F set to x, the other bits 0. */\n")
    o.append(f"#define {names.add('TOE_FIELD_GET', 'macro')}(F, v) (((uint32_t)(v) & F##_MASK) >> F##_SHIFT)\n")
    o.append(f"#define {names.add('TOE_FIELD_PUT', 'macro')}(F, x) (((uint32_t)(x) << F##_SHIFT) & F##_MASK)\n\n")
    for blk in m.blocks:
        o.append(f"/* == block {blk['name']} (0x{blk['base']:03X}..0x{blk['base'] + blk['size'] - 1:03X}) == */\n")
        o.append(c_comment(blk["doc"]))
        o.append("\n")
        for r in blk["regs"]:
            R = P + r.name
            kind = f"{r.width}-bit, {r.access}"
            if r.count > 1:
                kind += f", {r.count} x stride {r.stride}"
            o.append(c_comment(f"{r.name} (0x{r.addr:03X}, {kind}): {r.doc}"))
            if r.count > 1:
                o.append(f"#define {names.add(R + '_BASE', r.name)} 0x{r.addr:03X}u\n")
                o.append(f"#define {names.add(R + '_COUNT', r.name)} {r.count}\n")
                o.append(f"#define {names.add(R + '_STRIDE', r.name)} {r.stride}\n")
                names.add(R, r.name)
                o.append(f"#define {R}(i) ({R}_BASE + (unsigned)(i) * {R}_STRIDE)\n")
                if r.width == 64:
                    names.add(R + "_LO", r.name)
                    names.add(R + "_HI", r.name)
                    o.append(f"#define {R}_LO(i) ({R}(i))\n")
                    o.append(f"#define {R}_HI(i) ({R}(i) + 4u)\n")
            else:
                o.append(f"#define {names.add(R, r.name)} 0x{r.addr:03X}u\n")
                if r.width == 64:
                    o.append(f"#define {names.add(R + '_LO', r.name)} 0x{r.addr:03X}u\n")
                    o.append(f"#define {names.add(R + '_HI', r.name)} 0x{r.addr + 4:03X}u\n")
            if r.reset_mask:
                o.append(f"#define {names.add(R + '_RESET', r.name)} {c_hex(r.reset, r.width)}\n")
            for f in r.fields:
                F = f"{R}_{f.name}"
                o.append(f"#define {names.add(F + '_SHIFT', r.name)} {f.lsb}\n")
                o.append(f"#define {names.add(F + '_WIDTH', r.name)} {f.width}\n")
                o.append(f"#define {names.add(F + '_MASK', r.name)} {c_hex(f.mask, r.width)}\n")
                if f.reset is not None:
                    o.append(f"#define {names.add(F + '_RESET', r.name)} {c_hex(f.reset, 32)}\n")
                else:
                    o.append(f"/* {F}: no fixed reset, reports build parameter {f.param} */\n")
                if f.enum:
                    o.append(f"/* {F}: values are enum {f.enum.c_type} */\n")
            o.append("\n")

    # word list
    xn = names.add("TOE_REGS_FOREACH", "list")
    o.append("/*\n")
    o.append(" * Every register word, in address order:\n")
    o.append(" *   X(\"NAME\", addr, access, reset, reset_mask)\n")
    o.append(" * access is \"rw\", \"ro\", \"wo\" or \"rop\" (read pops); reset_mask has the\n")
    o.append(" * bits whose reset value is fixed (build-option fields are not).\n")
    o.append(" */\n")
    o.append(f"#define {xn}(X) \\\n")
    allw = []
    for r in m.regs:
        for n, a, rv, rm in r.words():
            allw.append((a, n, r.access, rv, rm))
    for a, n, acc, rv, rm in sorted(allw):
        o.append(f"\tX(\"{n}\", 0x{a:03X}u, \"{acc}\", 0x{rv:08X}u, 0x{rm:08X}u) \\\n")
    o.append("\t/* end */\n")
    o.append(f"#define {names.add('TOE_REGS_N_WORDS', 'list')} {len(allw)}\n\n")
    o.append("#endif\n")
    return "".join(o)


# ---------------------------------------------------------------------------
# Verilog include


def v_const(v, width):
    return f"{width}'h{v:0{(width + 3) // 4}X}"


def v_comment(text):
    """// lines, wrapped at 78 columns"""
    out, cur = "", ""
    for w in text.split():
        if cur and 3 + len(cur) + 1 + len(w) > 78:
            out += f"// {cur}\n"
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return out + (f"// {cur}\n" if cur else "")


def gen_vh(m):
    names = Names()
    P = m.reg_prefix
    aw = m.addr_w
    o = []
    o.append("// SPDX-License-Identifier: MIT\n")
    o.append("//\n")
    o.append("// toe_regs.vh - the engine's register map and shared enumerations and\n")
    o.append("// flag sets as Verilog localparams: the same names and numbers as\n")
    o.append("// toe_regs.h (parse results as positive reason codes: TOE_PERR_IP_CSUM =\n")
    o.append("// 7; TCP flags as masks, TOE_TCP_SYN = 8'h02, and bit numbers,\n")
    o.append("// TOE_TCP_SYN_BIT = 1).\n")
    o.append("//\n")
    o.append(f"// GENERATED by rtl/regmap/gen.py from {SRC}: do not edit.\n")
    o.append("//\n")
    o.append("// Include it inside a module body (`include \"toe_regs.vh\"); it declares\n")
    o.append("// localparams, so it has no include guard. Per register R: R (address),\n")
    o.append("// R_RESET, and R_F_SHIFT / _WIDTH / _MASK / _RESET per field F.\n")
    o.append("\n")
    o.append("// Not every module uses every constant:\n")
    o.append("/* verilator lint_off UNUSEDPARAM */\n\n")
    o.append(f"localparam integer {names.add(P + 'ADDR_W', 'meta')} = {aw};\n")
    o.append(f"localparam integer {names.add(P + 'DATA_W', 'meta')} = {m.data_w};\n\n")
    for en in m.enums.values():
        o.append(v_comment(f"enum {en.name}: {en.doc}"))
        w = en.width
        o.append(f"localparam integer {names.add(en.width_name, en.name)} = {w};\n")
        for e in en.entries:
            o.append(f"localparam [{w - 1}:0] {names.add(e['c_name'], en.name)} = {w}'d{e['code']}; // {e['doc']}\n")
        if en.count_name:
            o.append(f"localparam integer {names.add(en.count_c_name, en.name)} = {len(en.entries)};\n")
        o.append("\n")
    for fl in m.flags.values():
        o.append(v_comment(f"flags {fl.name}: {fl.doc}"))
        w = fl.width
        o.append(f"localparam integer {names.add(fl.width_name, fl.name)} = {w};\n")
        for e in fl.entries:
            o.append(f"localparam [{w - 1}:0] {names.add(e['c_name'], fl.name)} = {v_const(e['mask'], w)}; // {e['doc']}\n")
        for e in fl.entries:
            o.append(f"localparam integer {names.add(e['c_name'] + '_BIT', fl.name)} = {e['bit']};\n")
        o.append("\n")
    for blk in m.blocks:
        o.append(f"// == block {blk['name']} (0x{blk['base']:03X}..0x{blk['base'] + blk['size'] - 1:03X})\n")
        for r in blk["regs"]:
            R = P + r.name
            o.append(v_comment(f"{r.name}: {r.doc}"))
            if r.count > 1:
                o.append(f"localparam [{aw - 1}:0] {names.add(R + '_BASE', r.name)} = {v_const(r.addr, aw)};\n")
                o.append(f"localparam integer {names.add(R + '_COUNT', r.name)} = {r.count};\n")
                o.append(f"localparam integer {names.add(R + '_STRIDE', r.name)} = {r.stride};\n")
            else:
                o.append(f"localparam [{aw - 1}:0] {names.add(R, r.name)} = {v_const(r.addr, aw)};\n")
                if r.width == 64:
                    o.append(f"localparam [{aw - 1}:0] {names.add(R + '_LO', r.name)} = {v_const(r.addr, aw)};\n")
                    o.append(f"localparam [{aw - 1}:0] {names.add(R + '_HI', r.name)} = {v_const(r.addr + 4, aw)};\n")
            if r.reset_mask:
                o.append(f"localparam [{r.width - 1}:0] {names.add(R + '_RESET', r.name)} = {v_const(r.reset, r.width)};\n")
            for f in r.fields:
                F = f"{R}_{f.name}"
                o.append(f"localparam integer {names.add(F + '_SHIFT', r.name)} = {f.lsb};\n")
                o.append(f"localparam integer {names.add(F + '_WIDTH', r.name)} = {f.width};\n")
                o.append(f"localparam [{r.width - 1}:0] {names.add(F + '_MASK', r.name)} = {v_const(f.mask, r.width)};\n")
                if f.reset is not None:
                    o.append(f"localparam [{f.width - 1}:0] {names.add(F + '_RESET', r.name)} = {v_const(f.reset, f.width)};\n")
        o.append("\n")
    o.append("/* verilator lint_on UNUSEDPARAM */\n")
    return "".join(o)


# ---------------------------------------------------------------------------
# Markdown


def md_esc(s):
    return str(s).replace("|", "\\|")


def gen_md(m):
    P = m.reg_prefix
    o = []
    o.append("<!-- SPDX-License-Identifier: MIT -->\n")
    o.append(f"<!-- GENERATED by rtl/regmap/gen.py from {SRC}: do not edit. -->\n\n")
    o.append("# Register map\n\n")
    o.append("The engine's control and status registers, reached through the host\n")
    o.append(f"bridge. One source, `{SRC}`, generates this page, the C header\n")
    o.append("`host/include/toe/toe_regs.h` and the RTL include `rtl/toe_regs.vh`.\n\n")
    o.append(f"- {m.data_w}-bit registers at byte addresses ({m.addr_w}-bit address space).\n")
    o.append("- 64-bit registers take two words: LO at the address, HI at +4. Reading LO\n")
    o.append("  latches HI (read LO then HI); writing HI then LO takes effect on the LO write.\n")
    o.append("- Access: " + "; ".join(f"`{k}` {v}" for k, v in ACCESS.items()) + ".\n")
    o.append(f"- C names: `{P}<REG>` (address), `{P}<REG>_<FIELD>_SHIFT/_WIDTH/_MASK/_RESET`;\n")
    o.append("  the RTL include uses the same names. In C, `TOE_FIELD_GET(F, v)` is field\n")
    o.append(f"  `F` (`{P}<REG>_<FIELD>`) of register word `v`, `TOE_FIELD_PUT(F, x)` the\n")
    o.append("  word with field `F` set to `x` and the other bits 0.\n\n")
    o.append("## Summary\n\n")
    o.append("| Address | Register | Width | Access | Reset | Description |\n")
    o.append("|---|---|---|---|---|---|\n")
    for r in m.regs:
        addr = f"0x{r.addr:03X}"
        if r.count > 1:
            addr += f" + i*{r.stride} (i < {r.count})"
        has_param = any(f.param for f in r.fields)
        reset = f"0x{r.reset:X}" if r.reset_mask else "build"
        if r.reset_mask and has_param:
            reset += " (+build)"
        o.append(f"| {addr} | [{r.name}](#{r.name.lower()}) | {r.width} | {r.access} | {reset} | {md_esc(r.doc.split('. ')[0].rstrip('.'))} |\n")
    o.append("\n")
    for blk in m.blocks:
        o.append(f"## Block `{blk['name']}` (0x{blk['base']:03X}..0x{blk['base'] + blk['size'] - 1:03X})\n\n")
        o.append(blk["doc"] + "\n\n")
        for r in blk["regs"]:
            o.append(f"### {r.name}\n\n")
            where = f"0x{r.addr:03X}"
            if r.count > 1:
                where += f" + i * {r.stride}, i = 0..{r.count - 1}"
                if r.index_enum:
                    where += f" (index: [{r.index_enum.name}](#enum-{r.index_enum.name.replace('_', '-')}) code)"
            if r.width == 64:
                where += " (LO), HI at +4"
            o.append(f"Address {where}; {r.width} bits; {ACCESS[r.access]}; ")
            o.append("reset: see fields.\n\n" if any(f.param for f in r.fields)
                     else f"reset 0x{r.reset:X}.\n\n")
            o.append(md_esc(r.doc) + "\n\n")
            if r.fields:
                o.append("| Bits | Field | Reset | Description |\n|---|---|---|---|\n")
                for f in sorted(r.fields, key=lambda x: -x.lsb):
                    rs = f"{f.reset}" if f.reset is not None else f"`{f.param}`"
                    d = f.doc
                    if f.enum:
                        d += f" ([{f.enum.name}](#enum-{f.enum.name.replace('_', '-')}))"
                    o.append(f"| {f.bits()} | {f.name} | {rs} | {md_esc(d)} |\n")
                o.append("\n")
    o.append("## Enumerations\n\n")
    o.append("Shared by the RTL (`rtl/toe_regs.vh`, as the RTL code) and C\n")
    o.append("(`toe_regs.h`, as the C value).\n\n")
    for en in m.enums.values():
        o.append(f"### enum {en.name}\n\n")
        o.append(f"C: `enum {en.c_type}`; RTL: {en.width}-bit codes. {md_esc(en.doc)}\n\n")
        o.append("| Name | C value | RTL code | Meaning |\n|---|---|---|---|\n")
        for e in en.entries:
            o.append(f"| {e['c_name']} | {e['c_value']} | {e['code']} | {md_esc(e['doc'])} |\n")
        if en.count_name:
            o.append(f"| {en.count_c_name} | {len(en.entries)} | | number of values |\n")
        o.append("\n")
    o.append("## Flag sets\n\n")
    o.append("Named bits, several of which may be set at once: the same masks in\n")
    o.append("the RTL and in C (`<NAME>`), and the bit numbers (`<NAME>_BIT`).\n\n")
    for fl in m.flags.values():
        o.append(f"### flags {fl.name}\n\n")
        o.append(f"C: `enum {fl.c_type}`; RTL: {fl.width}-bit masks. {md_esc(fl.doc)}\n\n")
        o.append("| Name | Mask | Bit | Meaning |\n|---|---|---|---|\n")
        for e in fl.entries:
            o.append(f"| {e['c_name']} | {flag_hex(e['mask'], fl.width)} | {e['bit']} | {md_esc(e['doc'])} |\n")
        o.append("\n")
    return "".join(o)


# ---------------------------------------------------------------------------


def generate():
    with open(os.path.join(ROOT, SRC), "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as e:
            fail(f"{SRC}: {e}")
    try:
        m = Map(data)
    except KeyError as e:
        fail(f"{SRC}: missing key {e}")
    return {OUT_H: gen_c(m), OUT_VH: gen_vh(m), OUT_MD: gen_md(m)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare the committed outputs with a fresh generation")
    args = ap.parse_args()
    try:
        outs = generate()
    except MapError as e:
        print(f"gen.py: {e}", file=sys.stderr)
        return 2
    if args.check:
        bad = 0
        for path, text in outs.items():
            full = os.path.join(ROOT, path)
            try:
                with open(full, encoding="utf-8") as fh:
                    old = fh.read()
            except OSError:
                old = None
            if old != text:
                print(f"regmap: {path} differs from a fresh generation of {SRC} "
                      f"(run: python3 rtl/regmap/gen.py)")
                bad += 1
        print(f"regmap: {len(outs) - bad} of {len(outs)} generated files up to date")
        return 1 if bad else 0
    for path, text in outs.items():
        full = os.path.join(ROOT, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        tmp = full + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
