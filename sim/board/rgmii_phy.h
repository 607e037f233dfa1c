/* SPDX-License-Identifier: MIT */
/*
 * rgmii_phy.h - a Gigabit Ethernet PHY at its RGMII pins (the 88E1512 of
 * the ECP5 Versa, as the FPGA sees it), in simulated time, for the
 * board-level simulation (sim/board/versa_board.cpp drives the pins).
 *
 * Facts from the RGMII specification (HP, "Reduced Gigabit Media
 * Independent Interface (RGMII)", version 2.0) and IEEE 802.3 clause 3/4:
 *  - 1000 Mb/s: RX_CLK / TX_CLK at 125 MHz; four data bits on each edge:
 *    bits 3:0 of a byte on the rising edge, bits 7:4 on the falling edge;
 *  - RX_CTL carries RX_DV on the rising edge and RX_DV xor RX_ER on the
 *    falling edge (TX_CTL: TX_EN, TX_EN xor TX_ER);
 *  - between frames (RX_DV = RX_ER = 0) the PHY puts its in-band status
 *    on RXD: bit 0 link up, bits 2:1 speed (10 = 1000 Mb/s), bit 3 full
 *    duplex;
 *  - a frame on the wire is a preamble of 7 x 0x55, the SFD 0xD5, the
 *    frame, and the FCS: the Ethernet CRC-32 of the frame, sent least
 *    significant byte first (computed with zlib's crc32(), which is that
 *    CRC); at least 96 bit times (12 cycles at 125 MHz) between frames.
 *
 * Clocking, as a PHY with the RGMII-ID internal delays the Versa design
 * relies on (fpga/ecp5-versa/liteeth.yml: no delay in the FPGA): the PHY
 * changes RXD / RX_CTL half-way between RX_CLK edges (2 ns before the
 * edge that samples them), and samples TXD / TX_CTL 2 ns after each
 * TX_CLK edge. RX_CLK runs while the PHY is out of reset (rst_n high,
 * from RGMII_PHY_START_PS after it rose); the model is the clock source,
 * and the FPGA's TX_CLK is its RX_CLK forwarded (LiteEth's ECP5 PHY).
 * TX_EN already high when the clock starts (the FPGA's DDR output
 * registers keep their last value while the clock is stopped) is not a
 * frame: the PHY takes frames from the first TX_EN low on.
 *
 * Receive checks (FPGA -> PHY), each counted as an error with a message:
 * TX_ER during a frame or TX_EN low with TX_ER high (the falling-edge
 * TX_CTL differs from the rising-edge one), preamble or SFD wrong, frame
 * shorter than 64 bytes with its FCS, FCS wrong, fewer than 12 idle
 * cycles since the last frame. The frames (without preamble, SFD and FCS)
 * are queued with the time their last nibble was sampled.
 */
#ifndef TOE_RGMII_PHY_H
#define TOE_RGMII_PHY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RX_CLK starts this long after the PHY's reset pin went high */
#define RGMII_PHY_START_PS 1000000ull
/* half a 125 MHz period */
#define RGMII_PHY_HALF_PS 4000ull
/* minimum gap between frames, in 125 MHz cycles (96 bit times) */
#define RGMII_PHY_IFG 12u

/* The pins: the PHY drives rx_*, the FPGA drives rst_n and tx_*. */
struct rgmii_pins {
	uint8_t rx_clk, rx_ctl, rxd;
	uint8_t rst_n, tx_clk, tx_ctl, txd;
};

/* rgmii_phy_send flags */
#define RGMII_BAD_FCS 1u /* send the FCS with its bit 0 inverted */

struct rgmii_phy;

struct rgmii_phy *rgmii_phy_new(void);
void rgmii_phy_free(struct rgmii_phy *p);

/* Queue a frame (Ethernet header to the end of the data or padding, no
 * FCS) to send to the FPGA; the PHY adds preamble, SFD and FCS. 0, or -1
 * if it does not fit (at most 1518 bytes, 16 frames queued). */
int rgmii_phy_send(struct rgmii_phy *p, const uint8_t *frame, size_t len,
		   unsigned flags);
/* Frames queued or being sent to the FPGA. */
unsigned rgmii_phy_send_pending(const struct rgmii_phy *p);
/* Frames fully sent to the FPGA so far, and when the last of them had
 * left the pins. */
uint64_t rgmii_phy_sent(const struct rgmii_phy *p);
uint64_t rgmii_phy_sent_ps(const struct rgmii_phy *p);

/* The next frame received from the FPGA (no preamble, SFD or FCS) into
 * buf: its length (0: none; the frame is cut at cap), *t_ps its time. */
size_t rgmii_phy_recv(struct rgmii_phy *p, uint8_t *buf, size_t cap,
		      uint64_t *t_ps);
/* The same, with *first_ps the time its first byte (after the SFD) was
 * sampled; either pointer may be NULL. */
size_t rgmii_phy_recv_span(struct rgmii_phy *p, uint8_t *buf, size_t cap,
			   uint64_t *first_ps, uint64_t *t_ps);
/* Frames received from the FPGA and not taken yet. */
unsigned rgmii_phy_recv_pending(const struct rgmii_phy *p);
/* Frames received from the FPGA so far (taken or not). */
uint64_t rgmii_phy_received(const struct rgmii_phy *p);
/* Protocol errors seen on the FPGA's transmit pins, and the first one. */
unsigned rgmii_phy_errors(const struct rgmii_phy *p);
const char *rgmii_phy_first_error(const struct rgmii_phy *p);

/* Forget the frames received from the FPGA and the errors seen so far
 * (after a reset of the FPGA: what it sent before came from its state at
 * power-up). */
void rgmii_phy_clear_received(struct rgmii_phy *p);

/* The pins at now_ps, the time the last call returned (the first call at
 * 0): the FPGA's outputs in *pins are read as they are now, the PHY's
 * written for from now on. Returns the time of the next call. */
uint64_t rgmii_phy_step(struct rgmii_phy *p, uint64_t now_ps,
			struct rgmii_pins *pins);

#ifdef __cplusplus
}
#endif

#endif
