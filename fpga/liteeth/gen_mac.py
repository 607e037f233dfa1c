#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# gen_mac.py - Verilog for an Ethernet PHY + MAC with a plain frame stream,
# from LiteEth's Python library (pip: liteeth, litex, migen; versions pinned
# in mk/synth-venv.sh):
#
#   gen_mac.py <config.yml> <out.v>
#
# liteeth_gen (LiteEth's own generator) only emits a MAC behind a
# Wishbone/AXI-Lite buffer memory (for a CPU) or a UDP/IP stack; neither is
# a frame stream a TCP engine can take. This script builds LiteEth's RGMII
# PHY and its MAC core (LiteEthMACCore: preamble/SFD, FCS generated and
# checked, padding to 60 bytes, inter-frame gap) and exposes the MAC's
# streams as ports:
#
#   clk             in   LiteEth's "sys" domain; the board connects it to
#                        eth_clk (LiteEth's sys<->eth FIFOs then cross nothing)
#   rst             in   active high, synchronous to clk
#   eth_clk         out  the 125 MHz RGMII receive clock (PHY RX_CLK), which
#                        also clocks the transmit side
#   eth_rst         out  reset of the eth domains (none: always 0)
#   link_up         out  in-band link status (eth_clk domain), if enabled
#   sink_*          in   frames to send: valid ready data[7:0] last
#                        last_be[0] error[0]  (clk domain)
#   source_*        out  frames received: valid ready data[7:0] last
#                        last_be[0] error[0]: error = bad FCS (clk domain)
#   rgmii_*         pads: tx_clk tx_ctl txd[3:0] rx_clk rx_ctl rxd[3:0]
#
# The PHY's reset pin and MDIO are left to the board top.
import re
import sys

import yaml
from migen import ClockDomain, ClockSignal, Module, ResetSignal, Signal
from migen.fhdl import verilog
from litex.build.lattice.common import lattice_ecp5_trellis_special_overrides

from liteeth.mac.core import LiteEthMACCore
from liteeth.phy.ecp5rgmii import LiteEthPHYRGMII


class _Pads:
    pass


class Core(Module):
    def __init__(self, cfg):
        if cfg["phy"] != "LiteEthPHYRGMII":
            raise ValueError("only LiteEthPHYRGMII (ECP5) is supported")
        self.clock_domains.cd_sys = ClockDomain("sys")
        clock_pads = _Pads()
        clock_pads.tx = Signal(name="rgmii_tx_clk")
        clock_pads.rx = Signal(name="rgmii_rx_clk")
        pads = _Pads()
        pads.tx_ctl = Signal(name="rgmii_tx_ctl")
        pads.tx_data = Signal(4, name="rgmii_txd")
        pads.rx_ctl = Signal(name="rgmii_rx_ctl")
        pads.rx_data = Signal(4, name="rgmii_rxd")
        inband = bool(cfg.get("with_inband_status", True))
        # with_hw_init_reset: LiteEth's own reset of its eth_rx / eth_tx
        # domains for 256 cycles after its sys reset (LiteEthPHYHWReset);
        # without it those domains are reset at power-up only, and a reset
        # of the sys side alone leaves the clock-domain FIFOs between the
        # two out of step (see liteeth.yml)
        self.submodules.phy = phy = LiteEthPHYRGMII(
            clock_pads, pads,
            with_hw_init_reset=bool(cfg.get("with_hw_init_reset", False)),
            tx_delay=float(cfg["tx_delay"]),
            rx_delay=float(cfg["rx_delay"]),
            with_inband_status=inband)
        dw = int(cfg.get("dw", 8))
        self.submodules.mac = mac = LiteEthMACCore(
            phy, dw,
            tx_cdc_depth=int(cfg.get("tx_cdc_depth", 32)),
            rx_cdc_depth=int(cfg.get("rx_cdc_depth", 32)))
        # The 8-bit RGMII PHY drives only `last` on received bytes; the
        # FCS checker computes its error only on a byte with `last_be` set
        # (crc.be), and LiteEthMACCore inserts the module that derives
        # last_be from last (LiteEthMACRXLastBE) only for cores wider than
        # 8 bits. At dw 8, a frame with a bad FCS would go out with
        # error = 0. Do here what LiteEthMACRXLastBE does for 8-bit PHYs
        # (found by the board-level simulation, fpga/README.md).
        if dw == 8:
            self.comb += phy.source.last_be.eq(phy.source.last)
        self.eth_clk = Signal(name="eth_clk")
        self.eth_rst = Signal(name="eth_rst")
        self.link_up = Signal(name="link_up")
        self.comb += [self.eth_clk.eq(ClockSignal("eth_rx")),
                      self.eth_rst.eq(ResetSignal("eth_rx"))]
        if inband:
            self.comb += self.link_up.eq(phy.rx.inband_status.fields.link_status)
        self.ios = {clock_pads.tx, clock_pads.rx, pads.tx_ctl, pads.tx_data,
                    pads.rx_ctl, pads.rx_data, self.eth_clk, self.eth_rst,
                    self.link_up, self.cd_sys.clk, self.cd_sys.rst}
        for name, ep in (("sink", mac.sink), ("source", mac.source)):
            for f in ("valid", "ready", "last", "data", "last_be", "error"):
                s = getattr(ep, f)
                port = Signal(len(s), name=name + "_" + f)
                if (name == "sink") != (f == "ready"):
                    self.comb += s.eq(port)
                else:
                    self.comb += port.eq(s)
                self.ios.add(port)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_mac.py <config.yml> <out.v>")
    with open(sys.argv[1]) as f:
        cfg = yaml.safe_load(f)
    core = Core(cfg)
    out = verilog.convert(core, ios=core.ios, name=cfg.get("name", "fpga_liteeth_rgmii"),
                          special_overrides=lattice_ecp5_trellis_special_overrides)
    text = str(out)
    # the clock and reset of LiteEth's sys domain as the header names them
    text = re.sub(r"\bsys_clk\b", "clk", text)
    text = re.sub(r"\bsys_rst\b", "rst", text)
    with open(sys.argv[2], "w") as f:
        f.write("// generated by fpga/liteeth/gen_mac.py from %s: do not edit\n" % sys.argv[1])
        f.write(text)


if __name__ == "__main__":
    main()
