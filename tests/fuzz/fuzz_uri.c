/* SPDX-License-Identifier: MIT */
/*
 * fuzz_uri.c - the device-URI parser: toe_transport_open (driver/
 * toe_transport.c: scheme, body, ?KEY=VALUE options, the common options)
 * and the transports' own parsing of what follows the scheme (sim:,
 * tcp://HOST:PORT, ftdi://VID:PID[:SERIAL]|BOARD[:SERIAL][/IFACE]). The input is
 * the URI (cut at a NUL byte).
 *
 * Nothing is opened: this program is linked with -Wl,--wrap=getaddrinfo
 * -Wl,--wrap=ftdi_new (mk/85-fuzz.mk), so the tcp transport's name lookup
 * and the ftdi transport's USB context come here, after their URI is
 * parsed, and fail; sim: fails for want of the engine model, which is not
 * linked. So every open fails, and the oracles are:
 *  - the result is a TOE_E* code with a message;
 *  - what reaches the name lookup is a host of 1..255 characters and a
 *    port of decimal digits whose value is 1..65535 (the port the URI
 *    asked for, not one it wrapped around to);
 *  - an open never succeeds (if it did, it is closed again).
 */
#include "fuzz.h"

#include <netdb.h>
#include <string.h>

#include "toe/toe.h"
#include "toe_transport.h"

/* getaddrinfo() as the tcp transport calls it: check, then fail. */
int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);
void *__wrap_ftdi_new(void);

int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res)
{
	unsigned long port = 0;
	size_t n;

	(void)hints;
	FUZZ_CHECK(node && service && res);
	n = strlen(node);
	FUZZ_CHECK(n >= 1 && n <= 255);
	n = strlen(service);
	FUZZ_CHECK(n >= 1 && n <= 15);
	for (const char *p = service; *p; p++) {
		FUZZ_CHECK(*p >= '0' && *p <= '9');
		port = port * 10 + (unsigned long)(*p - '0');
	}
	FUZZ_CHECK(port >= 1 && port <= 65535);
	return EAI_NONAME;
}

/* ftdi_new() as the ftdi transport calls it once its URI is parsed. */
void *__wrap_ftdi_new(void)
{
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toe_transport *t = (struct toe_transport *)&t;
	char err[256];
	char *uri = fuzz_str(data, size);
	int r;

	memset(err, 'x', sizeof(err));
	r = toe_transport_open(uri, &t, err, sizeof(err));
	if (r == 0) {
		toe_transport_close(t);
		FUZZ_CHECK(!"an open succeeded without a device");
	}
	FUZZ_CHECK(r < 0 && t == NULL);
	FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL && err[0] != 0);
	FUZZ_CHECK(strcmp(toe_strerror(r), "") != 0);
	free(uri);
	return 0;
}
