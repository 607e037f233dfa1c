/* SPDX-License-Identifier: MIT */
/*
 * ftdi_emu.c - an FT2232H behind umockdev's usbdevfs emulation (see
 * ftdi_emu.h). The URB handling follows the kernel's usbdevfs contract as
 * libusb's Linux back end uses it: SUBMITURB queues, REAPURBNDELAY hands
 * back a completed URB (EAGAIN when none), DISCARDURB cancels (the URB is
 * then reaped with -ENOENT). Transfers complete as soon as they are
 * submitted, so a reap always finds them. Several devices can sit on the
 * one bus (ftdi_emu_add): each has its own device node, sysfs directory,
 * strings, ioctl handler and state; one lock serves them all.
 */
#include "ftdi_emu.h"

#include <errno.h>
#include <glib.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

/* device k (0..FTDI_EMU_MAX_DEV-1) is bus 1, device number k + 2, on
 * root hub port k + 1 */
#define DEVNODE_FMT "/dev/bus/usb/001/%03u"
#define SYSPATH_FMT "/devices/pci0000:00/0000:00:14.0/usb1/1-%u"

/* FTDI vendor requests (the chip's command set, as libftdi sends it) */
enum {
	SIO_RESET = 0x00, SIO_MODEM_CTRL = 0x01, SIO_SET_FLOW_CTRL = 0x02,
	SIO_SET_BAUDRATE = 0x03, SIO_SET_DATA = 0x04,
	SIO_POLL_MODEM_STATUS = 0x05, SIO_SET_EVENT_CHAR = 0x06,
	SIO_SET_ERROR_CHAR = 0x07, SIO_SET_LATENCY_TIMER = 0x09,
	SIO_GET_LATENCY_TIMER = 0x0a, SIO_SET_BITMODE = 0x0b,
	SIO_READ_PINS = 0x0c, SIO_READ_EEPROM = 0x90,
};

/* modem status bytes the chip prefixes to every packet: CTS|DSR, and
 * THRE|TEMT (transmitter empty) */
#define MODEM_STATUS0 0x31
#define MODEM_STATUS1 0x60

struct urb_ref {
	UMockdevIoctlData *urb; /* the client's struct usbdevfs_urb */
	UMockdevIoctlData *buf; /* its buffer */
};

struct ftdi_emu;

/* one device on the bus */
struct emu_dev {
	struct ftdi_emu *emu; /* its bus (the lock) */
	char devnode[32];
	UMockdevIoctlBase *ioctl;
	struct fake_eng *eng; /* NULL: nothing behind the chip */
	struct ftdi_emu_cfg cfg;
	GQueue done; /* completed URBs (struct urb_ref *), reap order */
	bool gone;
	int unplug_after; /* -1: never */
	unsigned corrupt;
	unsigned latency;
	struct ftdi_emu_stats st;
};

struct ftdi_emu {
	UMockdevTestbed *tb;
	GMutex lock;
	unsigned n;
	struct emu_dev *dev[FTDI_EMU_MAX_DEV];
};

int ftdi_emu_reexec(char **argv, char *err, size_t errlen)
{
	const char *pre = getenv("LD_PRELOAD");
	char val[1024];

	if (pre && strstr(pre, "libumockdev-preload"))
		return 0;
	if (getenv("FTDI_EMU_REEXEC")) {
		snprintf(err, errlen, "re-ran with LD_PRELOAD=libumockdev-preload"
			 ".so.0 but it is not loaded (is umockdev installed?)");
		return -1;
	}
	snprintf(val, sizeof(val), "libumockdev-preload.so.0%s%s",
		 pre && *pre ? ":" : "", pre ? pre : "");
	setenv("LD_PRELOAD", val, 1);
	setenv("FTDI_EMU_REEXEC", "1", 1);
	/* under AddressSanitizer the preload comes before its runtime */
	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 0);
	execv("/proc/self/exe", argv);
	snprintf(err, errlen, "exec /proc/self/exe: %s", strerror(errno));
	return -1;
}

/* ---- descriptors ---- */

static size_t device_descriptors(uint8_t *d, uint16_t mps)
{
	const uint8_t lo = (uint8_t)mps, hi = (uint8_t)(mps >> 8);
	const uint8_t desc[] = {
		/* device: USB 2.0, EP0 64, 0403:6010, bcdDevice 7.00 (FT2232H),
		 * strings 1 2 3, one configuration */
		18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x03, 0x04, 0x10, 0x60, 0x00,
		0x07, 1, 2, 3, 1,
		/* configuration 1: two interfaces, bus powered, 500 mA */
		9, 2, 55, 0, 2, 1, 0, 0x80, 0xfa,
		/* interface 0 (A): vendor class, bulk 0x81 in, 0x02 out */
		9, 4, 0, 0, 2, 0xff, 0xff, 0xff, 2,
		7, 5, 0x81, 2, lo, hi, 0,
		7, 5, 0x02, 2, lo, hi, 0,
		/* interface 1 (B): bulk 0x83 in, 0x04 out */
		9, 4, 1, 0, 2, 0xff, 0xff, 0xff, 2,
		7, 5, 0x83, 2, lo, hi, 0,
		7, 5, 0x04, 2, lo, hi, 0,
	};
	memcpy(d, desc, sizeof(desc));
	return sizeof(desc);
}

/* String descriptor index idx into out (cap bytes): its length. */
static size_t string_descriptor(struct emu_dev *e, unsigned idx, uint8_t *out,
				size_t cap)
{
	const char *s = idx == 1 ? e->cfg.manufacturer :
			idx == 2 ? e->cfg.product :
			idx == 3 ? e->cfg.serial : NULL;
	size_t n = 0;

	if (idx == 0) { /* language ids: en-US */
		const uint8_t l[] = { 4, 3, 0x09, 0x04 };

		n = cap < sizeof(l) ? cap : sizeof(l);
		memcpy(out, l, n);
		return n;
	}
	if (!s || cap < 2)
		return 0;
	out[0] = (uint8_t)(2 + 2 * strlen(s));
	out[1] = 3;
	n = 2;
	for (size_t i = 0; s[i] && n + 2 <= cap; i++) {
		out[n++] = (uint8_t)s[i];
		out[n++] = 0;
	}
	return n;
}

/* ---- URBs ---- */

static void set_int(UMockdevIoctlData *d, size_t off, int v)
{
	umockdev_ioctl_data_update(d, off, (guint8 *)&v, sizeof(v));
}

/* Complete urb: status, actual length, and the data (IN) at data_off. */
static void finish(struct emu_dev *e, struct urb_ref *u, int status,
		   const uint8_t *data, size_t n, size_t data_off)
{
	if (n)
		umockdev_ioctl_data_update(u->buf, data_off, (guint8 *)data,
					   (gint)n);
	set_int(u->urb, offsetof(struct usbdevfs_urb, status), status);
	set_int(u->urb, offsetof(struct usbdevfs_urb, actual_length), (int)n);
	g_queue_push_tail(&e->done, u);
}

static void control(struct emu_dev *e, struct urb_ref *u, int len)
{
	const uint8_t *s = u->buf->data; /* setup packet, then data */
	unsigned type = s[0], req = s[1];
	unsigned val = (unsigned)s[2] | (unsigned)s[3] << 8;
	unsigned wlen = (unsigned)s[6] | (unsigned)s[7] << 8;
	uint8_t in[256];
	size_t n = 0;

	if (len < 8 || wlen + 8 > (unsigned)len) {
		finish(e, u, -EINVAL, NULL, 0, 8);
		return;
	}
	if (type == 0x80 && req == 6) { /* GET_DESCRIPTOR */
		if ((val >> 8) == 3)
			n = string_descriptor(e, val & 0xff, in, wlen < sizeof(in) ?
					      wlen : sizeof(in));
		else if ((val >> 8) == 1)
			n = device_descriptors(in, e->cfg.max_packet) < wlen ?
			    18 : wlen;
		if (n == 0) {
			finish(e, u, -EPIPE, NULL, 0, 8); /* stall */
			return;
		}
		finish(e, u, 0, in, n, 8);
		return;
	}
	if (type == 0x40) { /* vendor, host to device */
		switch (req) {
		case SIO_RESET:
			if (val == 0)
				e->st.resets++;
			else if (val == 1)
				e->st.purge_rx++;
			else if (val == 2)
				e->st.purge_tx++;
			if ((val == 1 || val == 0) && e->eng) {
				/* the chip's RX FIFO */
				uint8_t junk[512];

				while (fake_eng_tx(e->eng, junk, sizeof(junk)))
					;
			}
			break;
		case SIO_SET_LATENCY_TIMER:
			e->latency = val & 0xff;
			e->st.latency = e->latency;
			break;
		case SIO_SET_BITMODE:
			e->st.bitmode = val;
			break;
		case SIO_SET_BAUDRATE:
			e->st.baud_requests++;
			break;
		case SIO_SET_DATA:
			e->st.line_requests++;
			break;
		case SIO_SET_FLOW_CTRL:
			e->st.flow_requests++;
			break;
		default:
			break;
		}
		finish(e, u, 0, NULL, 0, 8);
		return;
	}
	if (type == 0xc0) { /* vendor, device to host */
		switch (req) {
		case SIO_GET_LATENCY_TIMER:
			in[0] = (uint8_t)e->latency;
			n = 1;
			break;
		case SIO_POLL_MODEM_STATUS:
			in[0] = MODEM_STATUS0;
			in[1] = MODEM_STATUS1;
			n = 2;
			break;
		case SIO_READ_PINS:
			in[0] = 0;
			n = 1;
			break;
		case SIO_READ_EEPROM:
			in[0] = in[1] = 0xff;
			n = 2;
			break;
		default:
			break;
		}
		if (n > wlen)
			n = wlen;
		finish(e, u, 0, in, n, 8);
		return;
	}
	finish(e, u, 0, NULL, 0, 8);
}

static bool channel_ep(unsigned ep)
{
	return ep == 0x81 || ep == 0x02 || ep == 0x83 || ep == 0x04;
}

static void bulk(struct emu_dev *e, struct urb_ref *u, unsigned ep, int len)
{
	if (!channel_ep(ep)) {
		finish(e, u, -EPIPE, NULL, 0, 0);
		return;
	}
	if (!(ep & 0x80)) { /* OUT: to the engine */
		if (len > 0) {
			if (e->eng)
				fake_eng_rx(e->eng, u->buf->data, (size_t)len);
			e->st.out_bytes += (uint64_t)len;
			if (e->unplug_after > 0 && --e->unplug_after == 0)
				e->gone = true;
		}
		set_int(u->urb, offsetof(struct usbdevfs_urb, actual_length), len);
		set_int(u->urb, offsetof(struct usbdevfs_urb, status), 0);
		g_queue_push_tail(&e->done, u);
		return;
	} else {
		/* IN: packets of max_packet bytes, each starting with the two
		 * modem status bytes; status alone when there is no data */
		uint8_t *out = g_malloc((size_t)len);
		size_t mp = e->cfg.max_packet, n = 0, data = 0;
		size_t limit = e->cfg.chunk ? e->cfg.chunk : (size_t)-1;

		while (n + 2 <= (size_t)len) {
			size_t room = (size_t)len - n - 2, got;

			if (room > mp - 2)
				room = mp - 2;
			if (room > limit - data)
				room = limit - data;
			out[n] = MODEM_STATUS0;
			out[n + 1] = MODEM_STATUS1;
			e->st.status_bytes += 2;
			got = room && e->eng ? fake_eng_tx(e->eng, out + n + 2,
							   room) : 0;
			n += 2 + got;
			data += got;
			/* a short packet ends the transfer */
			if (got < mp - 2)
				break;
		}
		if (data && e->corrupt) {
			e->corrupt--;
			out[n - 1] ^= 0x40; /* a data byte (the last) */
		}
		e->st.in_bytes += data;
		e->st.in_transfers++;
		if (!data)
			e->st.empty_in_transfers++;
		finish(e, u, 0, out, n, 0);
		g_free(out);
	}
}

static void urb_free(struct urb_ref *u)
{
	g_object_unref(u->urb);
	if (u->buf)
		g_object_unref(u->buf);
	g_free(u);
}

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *c,
			 gpointer arg)
{
	struct emu_dev *e = arg;
	gulong req = umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *a = umockdev_ioctl_client_get_arg(c);
	GError *err = NULL;

	(void)base;
	g_mutex_lock(&e->emu->lock);
	if (e->gone && req != USBDEVFS_REAPURBNDELAY &&
	    req != USBDEVFS_REAPURB && req != USBDEVFS_DISCARDURB) {
		g_mutex_unlock(&e->emu->lock);
		umockdev_ioctl_client_complete(c, -1, ENODEV);
		return TRUE;
	}
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(a, 0, 4, &err);
		uint32_t caps = USBDEVFS_CAP_BULK_CONTINUATION |
				USBDEVFS_CAP_NO_PACKET_SIZE_LIM;

		if (d)
			umockdev_ioctl_data_update(d, 0, (guint8 *)&caps, 4);
		umockdev_ioctl_client_complete(c, d ? 0 : -1, d ? 0 : EFAULT);
		break;
	}
	case USBDEVFS_GETDRIVER:
	case USBDEVFS_IOCTL: /* no kernel driver bound to detach */
		umockdev_ioctl_client_complete(c, -1, ENODATA);
		break;
	case USBDEVFS_CLAIMINTERFACE:
		e->st.claimed++;
		/* fall through */
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
	case USBDEVFS_CLEAR_HALT:
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	case USBDEVFS_SUBMITURB: {
		struct urb_ref *u = g_new0(struct urb_ref, 1);
		const struct usbdevfs_urb *urb;

		u->urb = umockdev_ioctl_data_resolve(a, 0,
						     sizeof(struct usbdevfs_urb),
						     &err);
		if (!u->urb) {
			g_free(u);
			umockdev_ioctl_client_complete(c, -1, EFAULT);
			break;
		}
		g_object_ref(u->urb);
		urb = (const void *)u->urb->data;
		if (urb->buffer_length > 0) {
			u->buf = umockdev_ioctl_data_resolve(
				u->urb, offsetof(struct usbdevfs_urb, buffer),
				(gsize)urb->buffer_length, &err);
			if (u->buf)
				g_object_ref(u->buf);
		}
		if (urb->type == USBDEVFS_URB_TYPE_CONTROL && u->buf)
			control(e, u, urb->buffer_length);
		else if (urb->type == USBDEVFS_URB_TYPE_BULK && u->buf)
			bulk(e, u, urb->endpoint, urb->buffer_length);
		else {
			urb_free(u);
			umockdev_ioctl_client_complete(c, -1, EINVAL);
			break;
		}
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	}
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		struct urb_ref *u = g_queue_pop_head(&e->done);
		UMockdevIoctlData *d;

		if (!u) {
			umockdev_ioctl_client_complete(c, -1, e->gone ? ENODEV :
						       EAGAIN);
			break;
		}
		if (e->gone) /* in flight when the device went away */
			set_int(u->urb, offsetof(struct usbdevfs_urb, status),
				-ENODEV);
		d = umockdev_ioctl_data_resolve(a, 0, sizeof(void *), &err);
		if (!d || !umockdev_ioctl_data_set_ptr(d, 0, u->urb)) {
			umockdev_ioctl_client_complete(c, -1, EFAULT);
			break;
		}
		umockdev_ioctl_client_complete(c, 0, 0);
		/* the client's memory was written by complete(); our copies
		 * can go once it has been flushed: keep them until then */
		g_object_unref(u->urb);
		if (u->buf)
			g_object_unref(u->buf);
		g_free(u);
		break;
	}
	case USBDEVFS_DISCARDURB: {
		gulong addr = *(gulong *)a->data;
		GList *l;

		for (l = e->done.head; l; l = l->next) {
			struct urb_ref *u = l->data;

			if (u->urb->client_addr == addr) {
				/* already complete: the kernel says EINVAL
				 * and it is reaped as completed */
				break;
			}
		}
		umockdev_ioctl_client_complete(c, -1, EINVAL);
		break;
	}
	default:
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
		break;
	}
	g_mutex_unlock(&e->emu->lock);
	if (err)
		g_error_free(err);
	return TRUE;
}

/* ---- testbed ---- */

static void dev_free(struct ftdi_emu *e, struct emu_dev *d)
{
	struct urb_ref *u;

	if (e->tb && d->ioctl)
		umockdev_testbed_detach_ioctl(e->tb, d->devnode, NULL);
	if (d->ioctl)
		g_object_unref(d->ioctl);
	while ((u = g_queue_pop_head(&d->done)))
		urb_free(u);
	g_free(d);
}

int ftdi_emu_add(struct ftdi_emu *e, const struct ftdi_emu_cfg *cfg,
		 struct fake_eng *eng, char *errbuf, size_t errlen)
{
	struct emu_dev *d;
	uint8_t desc[128];
	size_t dl;
	GString *hex, *dump;
	GError *err = NULL;
	unsigned k = e->n;
	char syspath[96];

	if (k >= FTDI_EMU_MAX_DEV) {
		snprintf(errbuf, errlen, "ftdi_emu: %u devices at most",
			 FTDI_EMU_MAX_DEV);
		return -1;
	}
	d = g_new0(struct emu_dev, 1);
	d->emu = e;
	d->cfg = *cfg;
	if (!d->cfg.serial)
		d->cfg.serial = "FT0TOE01";
	/* an FT2232H as FTDI ships it (no board EEPROM) */
	if (!d->cfg.manufacturer)
		d->cfg.manufacturer = "FTDI";
	if (!d->cfg.product)
		d->cfg.product = "Dual RS232-HS";
	if (d->cfg.max_packet < 8)
		d->cfg.max_packet = 512;
	d->eng = eng;
	d->unplug_after = -1;
	d->latency = 16;
	g_queue_init(&d->done);
	snprintf(d->devnode, sizeof(d->devnode), DEVNODE_FMT, k + 2);
	snprintf(syspath, sizeof(syspath), SYSPATH_FMT, k + 1);
	dl = device_descriptors(desc, d->cfg.max_packet);
	hex = g_string_new(NULL);
	for (size_t i = 0; i < dl; i++)
		g_string_append_printf(hex, "%02X", desc[i]);
	/* umockdump format: N: creates the device node */
	dump = g_string_new(NULL);
	g_string_append_printf(dump,
		"P: %s\n"
		"N: bus/usb/001/%03u\n"
		"E: DEVNAME=%s\n"
		"E: DEVTYPE=usb_device\n"
		"E: SUBSYSTEM=usb\n"
		"E: BUSNUM=001\nE: DEVNUM=%03u\n"
		"E: PRODUCT=403/6010/700\n"
		"A: busnum=1\nA: devnum=%u\nA: dev=189:%u\n"
		"A: idVendor=0403\nA: idProduct=6010\nA: bcdDevice=0700\n"
		"A: speed=480\nA: bConfigurationValue=1\n"
		"A: bNumConfigurations=1\nA: bNumInterfaces= 2\n"
		"A: manufacturer=%s\nA: product=%s\n"
		"A: serial=%s\n"
		"H: descriptors=%s\n", syspath, k + 2, d->devnode, k + 2, k + 2,
		k + 1, d->cfg.manufacturer, d->cfg.product, d->cfg.serial,
		hex->str);
	g_string_free(hex, TRUE);
	if (!umockdev_testbed_add_from_string(e->tb, dump->str, &err)) {
		snprintf(errbuf, errlen, "umockdev: add device %u: %s", k,
			 err ? err->message : "?");
		goto fail;
	}
	d->ioctl = umockdev_ioctl_base_new();
	g_signal_connect(d->ioctl, "handle-ioctl", G_CALLBACK(on_ioctl), d);
	if (!umockdev_testbed_attach_ioctl(e->tb, d->devnode, d->ioctl, &err)) {
		snprintf(errbuf, errlen, "umockdev: attach ioctl handler: %s",
			 err ? err->message : "?");
		goto fail;
	}
	g_string_free(dump, TRUE);
	g_mutex_lock(&e->lock);
	e->dev[k] = d;
	e->n++;
	g_mutex_unlock(&e->lock);
	return (int)k;
fail:
	if (err)
		g_error_free(err);
	g_string_free(dump, TRUE);
	if (d->ioctl) {
		g_object_unref(d->ioctl);
		d->ioctl = NULL;
	}
	dev_free(e, d);
	return -1;
}

struct ftdi_emu *ftdi_emu_new(const struct ftdi_emu_cfg *cfg,
			      struct fake_eng *eng, char *errbuf, size_t errlen)
{
	struct ftdi_emu *e = g_new0(struct ftdi_emu, 1);

	g_mutex_init(&e->lock);
	e->tb = umockdev_testbed_new();
	if (ftdi_emu_add(e, cfg, eng, errbuf, errlen) < 0) {
		ftdi_emu_free(e);
		return NULL;
	}
	return e;
}

void ftdi_emu_free(struct ftdi_emu *e)
{
	if (!e)
		return;
	for (unsigned k = 0; k < e->n; k++)
		dev_free(e, e->dev[k]);
	if (e->tb)
		g_object_unref(e->tb);
	g_mutex_clear(&e->lock);
	g_free(e);
}

void ftdi_emu_unplug_after(struct ftdi_emu *e, unsigned n)
{
	g_mutex_lock(&e->lock);
	if (n == 0)
		e->dev[0]->gone = true;
	else
		e->dev[0]->unplug_after = (int)n;
	g_mutex_unlock(&e->lock);
}

void ftdi_emu_corrupt_next(struct ftdi_emu *e, unsigned n)
{
	g_mutex_lock(&e->lock);
	e->dev[0]->corrupt = n;
	g_mutex_unlock(&e->lock);
}

void ftdi_emu_get_stats(struct ftdi_emu *e, struct ftdi_emu_stats *st)
{
	ftdi_emu_get_dev_stats(e, 0, st);
}

void ftdi_emu_get_dev_stats(struct ftdi_emu *e, unsigned k,
			    struct ftdi_emu_stats *st)
{
	g_mutex_lock(&e->lock);
	if (k < e->n)
		*st = e->dev[k]->st;
	else
		memset(st, 0, sizeof(*st));
	g_mutex_unlock(&e->lock);
}
