/* SPDX-License-Identifier: MIT */
/*
 * ftdi_emu.h - an FT2232H on an emulated USB bus, for testing the ftdi://
 * transport with the real libftdi1 and libusb-1.0 code and no board.
 *
 * umockdev (libumockdev, 0.16 or later) provides the bus: a testbed with
 * one USB device in sysfs (0403:6010, bcdDevice 0x0700, two interfaces
 * with bulk endpoints 0x81/0x02 and 0x83/0x04) and its device node
 * /dev/bus/usb/001/002, whose usbdevfs ioctls (the URBs libusb submits and
 * reaps) are answered by this emulator in umockdev's worker thread; more
 * FT2232Hs can be added beside it (ftdi_emu_add: /dev/bus/usb/001/003,
 * ...), each with its own strings and engine:
 *  - control transfers: the FTDI vendor requests libftdi sends (reset,
 *    purge, baud rate, line properties, flow control, latency timer,
 *    bitmode, modem status) are recorded and acknowledged; string
 *    descriptors give the manufacturer, product and serial strings (a
 *    board's EEPROM sets them: libftdi matches a description against the
 *    product string, a serial against the serial string);
 *  - bulk OUT on the selected channel: the bytes go to a fake_eng (the
 *    bridge protocol and a register file, fake_eng.h);
 *  - bulk IN: like the chip, every packet starts with two modem status
 *    bytes; with nothing to send the transfer carries the status bytes
 *    alone; knobs cut responses into short transfers or corrupt them.
 * The program must run with libumockdev-preload.so.0 preloaded
 * (umockdev-wrapper, or ftdi_emu_reexec()).
 */
#ifndef FTDI_EMU_H
#define FTDI_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_eng.h"

struct ftdi_emu_cfg {
	uint16_t max_packet;   /* wMaxPacketSize of the bulk endpoints
				* (512: high speed FT2232H; 64 shows the status
				* bytes of several packets in one transfer) */
	unsigned chunk;        /* at most this many data bytes per IN
				* transfer (0: as many as fit): short reads */
	const char *serial;    /* iSerialNumber string (NULL: "FT0TOE01") */
	const char *manufacturer; /* iManufacturer (NULL: "FTDI", the chip's
				   * default without a board EEPROM) */
	const char *product;   /* iProduct (NULL: "Dual RS232-HS", likewise) */
};

#define FTDI_EMU_MAX_DEV 4

struct ftdi_emu_stats {
	unsigned resets, purge_rx, purge_tx;
	unsigned latency;      /* last SET_LATENCY_TIMER value */
	unsigned bitmode;      /* last SET_BITMODE wValue */
	unsigned baud_requests, line_requests, flow_requests;
	unsigned claimed;      /* interfaces claimed */
	uint64_t out_bytes, in_bytes, status_bytes;
	uint64_t in_transfers, empty_in_transfers;
};

struct ftdi_emu;

/*
 * Re-run this program with the umockdev preload library if it is not
 * loaded yet (never returns then). Returns 0 if the preload is in place,
 * -1 with a message in err if it cannot be (no libumockdev-preload).
 */
int ftdi_emu_reexec(char **argv, char *err, size_t errlen);

/* The testbed with the device, its ioctls served for eng (not owned). */
struct ftdi_emu *ftdi_emu_new(const struct ftdi_emu_cfg *cfg,
			      struct fake_eng *eng, char *err, size_t errlen);
void ftdi_emu_free(struct ftdi_emu *e);

/* Another FT2232H on the same bus (the next device number), with its own
 * strings (cfg) and engine (eng, not owned; NULL: nothing answers behind
 * the chip). Its index (1, 2, ...), or -1 with a message in err. The
 * knobs and stats below are device 0's; ftdi_emu_get_dev_stats any's. */
int ftdi_emu_add(struct ftdi_emu *e, const struct ftdi_emu_cfg *cfg,
		 struct fake_eng *eng, char *err, size_t errlen);

/* The device disappears after n more bulk OUT transfers with data: every
 * later ioctl fails with ENODEV, URBs in flight end with -ENODEV, and the
 * device leaves sysfs (as when the cable is pulled). 0: now. */
void ftdi_emu_unplug_after(struct ftdi_emu *e, unsigned n);
/* XOR a byte of the next n IN transfers that carry data (CRC errors). */
void ftdi_emu_corrupt_next(struct ftdi_emu *e, unsigned n);

void ftdi_emu_get_stats(struct ftdi_emu *e, struct ftdi_emu_stats *st);
void ftdi_emu_get_dev_stats(struct ftdi_emu *e, unsigned k,
			    struct ftdi_emu_stats *st);

#endif
