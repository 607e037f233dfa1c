/* SPDX-License-Identifier: MIT */
/*
 * toe_tr_ftdi.c - the ftdi:// transport: the bridge byte stream through an
 * FTDI FT2232H / FT232H, with libftdi1 over libusb-1.0.
 *
 * URI: ftdi://[VID:PID[:SERIAL] | BOARD[:SERIAL]][/IFACE][?baud=N&
 *      latency=MS&mode=uart|fifo&index=N&flow=none|rtscts]
 *   VID:PID   hex, default 0403:6010 (FT2232H): any chip with these IDs
 *   BOARD     a name from the board table below (arty-a7, ecp5-versa,
 *             ...): the board's VID:PID and, for a board, the USB
 *             product string its FT2232H's EEPROM gives it (libftdi's
 *             "description"), so that another FTDI chip on the same
 *             host is not taken for the board
 *   SERIAL    matches the USB serial string exactly (lsusb -v: iSerial):
 *             tells two boards of one kind apart
 *   index=N   takes the N-th match (default 0)
 *   IFACE     A..D (default: the board's; B for an FT2232H, the UART
 *             channel of the Arty A7 and the ECP5 Versa, whose channel A is
 *             JTAG; A for an FT232H)
 *   baud      UART mode bit rate (default 3000000)
 *   latency   the chip's latency timer, 1..255 ms (default 1): how long it
 *             holds a partly filled packet before sending it to the host
 *   mode      uart (default) or fifo (FT245 synchronous FIFO, channel A of
 *             an FT2232H / FT232H only; the EEPROM must select it)
 * Nothing found: TOE_ENODEV, with a message naming what was looked for
 * (IDs, product string, serial, index).
 *
 * What libftdi does for us, and what we rely on: every USB packet the chip
 * sends starts with two modem status bytes, also when it has no data (it
 * then sends a 2-byte packet every latency period). ftdi_read_data() strips
 * them per max-packet-size chunk of a transfer and returns 0 for a
 * status-only transfer; we never see them. It returns libusb's error code
 * on failure: LIBUSB_ERROR_TIMEOUT means nothing came (we keep waiting
 * until our own deadline), LIBUSB_ERROR_NO_DEVICE (or libftdi's -666, no
 * device handle) means the device is gone: TOE_EDISCONNECTED, and every
 * later call fails the same way at once, without touching USB again.
 * Writes are bulk transfers made with libusb directly on the endpoint
 * libftdi chose (ftdi_write_data returns -1 for every libusb error, which
 * would hide an unplugged device). Each USB call is bounded: reads by
 * usb_read_timeout, set from what is left of the caller's timeout, writes
 * by WRITE_TIMEOUT_MS; nothing blocks longer than that.
 */
#include "toe_transport_impl.h"

#include <ftdi.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Boards (as data): the FTDI channel that carries the host bridge, and the
 * USB product string (iProduct, which libftdi matches as "description")
 * the board's FT2232H EEPROM sets; NULL: any chip with the IDs. The
 * strings are facts taken from public material, not from a board of ours
 * (we have none):
 *  - ECP5-5G Versa: product "Lattice ECP5_5G VERSA Board" (manufacturer
 *    "FTDI"). Sources: YosysHQ/prjtrellis misc/openocd/ecp5-versa5g.cfg
 *    and amaranth-lang/amaranth-boards amaranth_boards/versa_ecp5.py
 *    (openocd's ftdi_device_desc, which must equal iProduct; the latter
 *    notes that the non-5G and 5G Versa boards give the same string);
 *    prjtrellis pull request #82 (a non-5G Versa reporting the 5G
 *    string); and the udev serial-by-id name usb-FTDI_Lattice_ECP5_5G_
 *    VERSA_Board_<serial>-if01-port0 in ECP5-PCIe/ECP5-PCIe's scripts
 *    (udev names are usb-<manufacturer>_<product>_<serial>, spaces as _).
 *    prjtrellis's maintainer also reports that the non-5G boards' EEPROM
 *    contents are inconsistent (same pull request): a board whose product
 *    string differs is reached as ftdi://0403:6010[:SERIAL]/B.
 *    Lattice's user guide (EB98 / FPGA-EB-02021) was not read.
 *  - Arty A7: product "Digilent USB Device", manufacturer "Digilent":
 *    the udev names usb-Digilent_Digilent_USB_Device_<serial>-if01-port0
 *    of Arty A7 boards in several public projects' scripts and notes, and
 *    a public openocd configuration for an Arty A7-100T (ftdi device_desc
 *    "Digilent USB Device"). Digilent's own documentation was not read.
 */
static const struct board {
	const char *name;
	uint16_t vid, pid;
	char iface;
	const char *product; /* iProduct; NULL: any */
	const char *what;
} boards[] = {
	{ "arty-a7", 0x0403, 0x6010, 'B', "Digilent USB Device",
	  "Digilent Arty A7: FT2232H, A = JTAG, B = UART" },
	{ "ecp5-versa", 0x0403, 0x6010, 'B', "Lattice ECP5_5G VERSA Board",
	  "Lattice ECP5(-5G) Versa: FT2232H, A = JTAG, B = UART" },
	{ "ft2232h", 0x0403, 0x6010, 'B', NULL, "any FT2232H, UART on B" },
	{ "ft232h", 0x0403, 0x6014, 'A', NULL, "any FT232H (one channel)" },
};
#define N_BOARDS (sizeof(boards) / sizeof(boards[0]))

#define WRITE_TIMEOUT_MS 1000

struct ftdi_priv {
	struct ftdi_context *f;
	bool gone; /* the device went away: fail fast from now on */
	char desc[160];
};

static int gone(struct toe_transport *t, struct ftdi_priv *p, int code,
		const char *op)
{
	p->gone = true;
	return toe_tr_err(t, TOE_EDISCONNECTED, "ftdi %s: device gone during "
			  "%s (unplugged?): %s (%d)", p->desc, op,
			  code == -666 ? "no USB device handle" :
			  libusb_strerror(code), code);
}

static int parse_hex16(const char *s, size_t n, uint16_t *out)
{
	unsigned v = 0;

	if (n == 0 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

static int ftdi_tr_open(struct toe_transport *t, struct toe_tr_uri *u)
{
	char dev[256] = "", serial[128] = "";
	uint16_t vid = 0x0403, pid = 0x6010;
	const char *product = NULL, *board = NULL;
	char iface = 0;
	const char *slash, *mode, *flow;
	uint64_t baud, latency, index;
	struct ftdi_priv *p;
	enum ftdi_interface fi;
	int r;

	/* options */
	r = toe_tr_opt_u64(t, u, "baud", 3000000, 300, 12000000, &baud);
	if (r < 0)
		return r;
	r = toe_tr_opt_u64(t, u, "latency", 1, 1, 255, &latency);
	if (r < 0)
		return r;
	r = toe_tr_opt_u64(t, u, "index", 0, 0, 255, &index);
	if (r < 0)
		return r;
	mode = toe_tr_opt(u, "mode");
	if (!mode)
		mode = "uart";
	if (strcmp(mode, "uart") != 0 && strcmp(mode, "fifo") != 0)
		return toe_tr_err(t, TOE_EURI, "ftdi: mode=%s: want uart or "
				  "fifo", mode);
	flow = toe_tr_opt(u, "flow");
	if (!flow)
		flow = "none";
	if (strcmp(flow, "none") != 0 && strcmp(flow, "rtscts") != 0)
		return toe_tr_err(t, TOE_EURI, "ftdi: flow=%s: want none or "
				  "rtscts", flow);

	/* body: [VID:PID[:SERIAL] | BOARD[:SERIAL]][/IFACE] */
	slash = strchr(u->body, '/');
	snprintf(dev, sizeof(dev), "%.*s", slash ? (int)(slash - u->body) :
		 (int)strlen(u->body), u->body);
	if (slash) {
		const char *i = slash + 1;

		if (strlen(i) != 1 || !strchr("ABCDabcd", i[0]))
			return toe_tr_err(t, TOE_EURI, "ftdi: interface '%s': "
					  "want A, B, C or D", i);
		iface = (char)(i[0] & ~0x20);
	}
	if (dev[0]) {
		const char *c1 = strchr(dev, ':');
		size_t nl = c1 ? (size_t)(c1 - dev) : strlen(dev), b;

		for (b = 0; b < N_BOARDS; b++)
			if (strlen(boards[b].name) == nl &&
			    strncmp(dev, boards[b].name, nl) == 0)
				break;
		if (b < N_BOARDS && c1 && !c1[1])
			return toe_tr_err(t, TOE_EURI, "ftdi://%s: empty serial",
					  dev);
		if (b < N_BOARDS && c1)
			snprintf(serial, sizeof(serial), "%s", c1 + 1);
		if (b < N_BOARDS) {
			vid = boards[b].vid;
			pid = boards[b].pid;
			product = boards[b].product;
			board = boards[b].name;
			if (!iface)
				iface = boards[b].iface;
		} else if (!c1) {
			char names[160] = "";

			for (b = 0; b < N_BOARDS; b++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 b ? ", " : "", boards[b].name);
			return toe_tr_err(t, TOE_EURI, "ftdi://%s: want "
					  "VID:PID[:SERIAL] or a board (%s)"
					  "[:SERIAL]", dev, names);
		} else {
			const char *c2 = strchr(c1 + 1, ':');
			size_t pl = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);

			if (parse_hex16(dev, (size_t)(c1 - dev), &vid) < 0 ||
			    parse_hex16(c1 + 1, pl, &pid) < 0)
				return toe_tr_err(t, TOE_EURI, "ftdi://%s: want "
						  "hex VID:PID, e.g. 0403:6010",
						  dev);
			if (c2) {
				if (!c2[1])
					return toe_tr_err(t, TOE_EURI,
							  "ftdi://%s: empty "
							  "serial", dev);
				snprintf(serial, sizeof(serial), "%s", c2 + 1);
			}
		}
	}
	if (!iface) {
		iface = 'B';
		for (size_t b = 0; b < N_BOARDS; b++)
			if (boards[b].vid == vid && boards[b].pid == pid) {
				iface = boards[b].iface;
				break;
			}
	}
	fi = iface == 'A' ? INTERFACE_A : iface == 'B' ? INTERFACE_B :
	     iface == 'C' ? INTERFACE_C : INTERFACE_D;

	p = calloc(1, sizeof(*p));
	if (!p)
		return toe_tr_err(t, TOE_ENOMEM, "ftdi: out of memory");
	snprintf(p->desc, sizeof(p->desc), "%s%s%04x:%04x%s%s/%c", board ?
		 board : "", board ? " " : "", vid, pid, serial[0] ? ":" : "",
		 serial, iface);
	p->f = ftdi_new();
	if (!p->f) {
		r = toe_tr_err(t, TOE_ENOMEM, "ftdi: ftdi_new failed");
		goto fail_free;
	}
	if (ftdi_set_interface(p->f, fi) < 0) {
		r = toe_tr_err(t, TOE_EINVAL, "ftdi %s: interface: %s", p->desc,
			       ftdi_get_error_string(p->f));
		goto fail_ctx;
	}
	r = ftdi_usb_open_desc_index(p->f, vid, pid, product,
				     serial[0] ? serial : NULL,
				     (unsigned)index);
	if (r == -3) {
		/* say what was looked for, all of it */
		char want[320], hint[64] = "";

		snprintf(want, sizeof(want), "USB %04x:%04x%s%s%s%s%s%s", vid,
			 pid, product ? " with product \"" : "",
			 product ? product : "", product ? "\"" : "",
			 serial[0] ? ", serial \"" : "", serial,
			 serial[0] ? "\"" : "");
		if (product)
			snprintf(hint, sizeof(hint), " (another product string: "
				 "ftdi://%04x:%04x[:SERIAL]/%c)", vid, pid,
				 iface);
		r = toe_tr_err(t, TOE_ENODEV, "ftdi %s: no such device: no %s, "
			       "match %u. Plugged in? May this user open it "
			       "(udev rule)?%s", p->desc, want,
			       (unsigned)index, hint);
		goto fail_ctx;
	}
	if (r < 0) {
		r = toe_tr_err(t, TOE_EIO, "ftdi %s: open: %s (%d)", p->desc,
			       ftdi_get_error_string(p->f), r);
		goto fail_ctx;
	}
	p->f->usb_write_timeout = WRITE_TIMEOUT_MS;
	p->f->usb_read_timeout = WRITE_TIMEOUT_MS;
	if ((r = ftdi_set_latency_timer(p->f, (unsigned char)latency)) < 0)
		goto fail_setup;
	if (strcmp(mode, "fifo") == 0) {
		if ((r = ftdi_set_bitmode(p->f, 0xff, BITMODE_RESET)) < 0 ||
		    (r = ftdi_set_bitmode(p->f, 0xff, BITMODE_SYNCFF)) < 0)
			goto fail_setup;
	} else {
		if ((r = ftdi_set_bitmode(p->f, 0, BITMODE_RESET)) < 0 ||
		    (r = ftdi_set_baudrate(p->f, (int)baud)) < 0 ||
		    (r = ftdi_set_line_property(p->f, BITS_8, STOP_BIT_1,
						NONE)) < 0 ||
		    (r = ftdi_setflowctrl(p->f, strcmp(flow, "rtscts") == 0 ?
					  SIO_RTS_CTS_HS :
					  SIO_DISABLE_FLOW_CTRL)) < 0)
			goto fail_setup;
	}
	/* purge: stale bytes from before us must not look like answers */
	if ((r = ftdi_tcioflush(p->f)) < 0)
		goto fail_setup;
	t->priv = p;
	return 0;

fail_setup:
	r = toe_tr_err(t, TOE_EIO, "ftdi %s: setup: %s (%d)", p->desc,
		       ftdi_get_error_string(p->f), r);
	ftdi_usb_close(p->f);
fail_ctx:
	ftdi_free(p->f);
fail_free:
	free(p);
	return r;
}

/*
 * Writes go to libusb directly (the same bulk transfers ftdi_write_data
 * makes, on the endpoint libftdi chose): ftdi_write_data turns every libusb
 * error into -1, and we need to tell an unplugged device (NO_DEVICE) from
 * other failures.
 */
static int ftdi_tr_write(struct toe_transport *t, const uint8_t *buf, size_t n)
{
	struct ftdi_priv *p = t->priv;
	size_t done = 0;

	if (p->gone)
		return toe_tr_err(t, TOE_EDISCONNECTED, "ftdi %s: device gone",
				  p->desc);
	while (done < n) {
		int chunk = n - done > 4096 ? 4096 : (int)(n - done), got = 0;
		int r = libusb_bulk_transfer(p->f->usb_dev, (unsigned char)p->f->in_ep,
					     (unsigned char *)buf + done, chunk,
					     &got, WRITE_TIMEOUT_MS);

		if (r == LIBUSB_ERROR_NO_DEVICE)
			return gone(t, p, r, "write");
		if (r < 0 && !(r == LIBUSB_ERROR_TIMEOUT && got > 0))
			return toe_tr_err(t, TOE_EIO, "ftdi %s: write: %s (%d)",
					  p->desc, libusb_strerror(r), r);
		done += (size_t)got;
	}
	return 0;
}

static int ftdi_tr_read(struct toe_transport *t, uint8_t *buf, size_t n,
			int timeout_ms)
{
	struct ftdi_priv *p = t->priv;
	uint64_t end = toe_tr_mono_ms() + (uint64_t)timeout_ms;

	if (p->gone)
		return toe_tr_err(t, TOE_EDISCONNECTED, "ftdi %s: device gone",
				  p->desc);
	if (n > 65536)
		n = 65536;
	for (;;) {
		uint64_t now = toe_tr_mono_ms();
		uint64_t left = now >= end ? 0 : end - now;
		int r;

		/* one USB transfer never outlasts our deadline (at least 1 ms:
		 * libusb's 0 means forever) */
		p->f->usb_read_timeout = left < 1 ? 1 : (int)left;
		r = ftdi_read_data(p->f, buf, (int)n);
		if (r > 0)
			return r;
		if (r == LIBUSB_ERROR_NO_DEVICE || r == -666)
			return gone(t, p, r, "read");
		if (r < 0 && r != LIBUSB_ERROR_TIMEOUT)
			return toe_tr_err(t, TOE_EIO, "ftdi %s: read: %s (%d)",
					  p->desc, ftdi_get_error_string(p->f),
					  r);
		if (toe_tr_mono_ms() >= end)
			return 0;
	}
}

static void ftdi_tr_close(struct toe_transport *t)
{
	struct ftdi_priv *p = t->priv;

	if (!p)
		return;
	ftdi_usb_close(p->f); /* errors (device gone) do not matter here */
	ftdi_free(p->f);
	free(p);
	t->priv = NULL;
}

static const char *const options[] = { "baud", "latency", "mode", "index",
					"flow", NULL };

const struct toe_transport_ops toe_tr_ftdi_ops = {
	.scheme = "ftdi",
	.slashes = true,
	.defaults = { .timeout_ms = 100, .retries = 5, .cmd_timeout_ms = 1000 },
	.options = options,
	.open = ftdi_tr_open,
	.write = ftdi_tr_write,
	.read = ftdi_tr_read,
	.close = ftdi_tr_close,
};
