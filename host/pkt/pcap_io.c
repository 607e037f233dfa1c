/* SPDX-License-Identifier: MIT */
/*
 * pcap_io.c - classic pcap files (link type Ethernet, microsecond
 * timestamps) read and written through libpcap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "toe_wire.h"

#define TOE_PCAP_SNAPLEN 65535

struct toe_pcap {
	pcap_t *pc;
	pcap_dumper_t *dump; /* NULL when reading */
};

static void set_err(char *err, size_t errlen, const char *path,
		    const char *what)
{
	if (!err || errlen == 0)
		return;
	/* libpcap's messages usually name the file already. */
	if (strstr(what, path))
		snprintf(err, errlen, "%s", what);
	else
		snprintf(err, errlen, "%s: %s", path, what);
}

struct toe_pcap *toe_pcap_open_read(const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct toe_pcap *p;
	pcap_t *pc;

	/* Ask for microseconds so nanosecond files are converted too. */
	pc = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!pc) {
		set_err(err, errlen, path, ebuf);
		return NULL;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		snprintf(ebuf, sizeof(ebuf), "link type %d is not Ethernet",
			 pcap_datalink(pc));
		set_err(err, errlen, path, ebuf);
		goto fail_pc;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		set_err(err, errlen, path, "out of memory");
		goto fail_pc;
	}
	p->pc = pc;
	return p;

fail_pc:
	pcap_close(pc);
	return NULL;
}

int toe_pcap_next(struct toe_pcap *p, const uint8_t **data, size_t *len,
		  uint64_t *ts_usec, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;

	if (p->dump) {
		if (err && errlen)
			snprintf(err, errlen, "pcap handle is open for writing");
		return -1;
	}
	rc = pcap_next_ex(p->pc, &h, &d);
	if (rc == 1) {
		*data = d;
		*len = h->caplen;
		*ts_usec = (uint64_t)h->ts.tv_sec * 1000000u +
			   (uint64_t)h->ts.tv_usec;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0; /* end of file */
	if (err && errlen)
		snprintf(err, errlen, "%s", pcap_geterr(p->pc));
	return -1;
}

struct toe_pcap *toe_pcap_open_write(const char *path, char *err, size_t errlen)
{
	struct toe_pcap *p;
	pcap_t *pc;
	pcap_dumper_t *dump;

	pc = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, TOE_PCAP_SNAPLEN,
			PCAP_TSTAMP_PRECISION_MICRO);
	if (!pc) {
		set_err(err, errlen, path, "pcap_open_dead failed");
		return NULL;
	}
	dump = pcap_dump_open(pc, path);
	if (!dump) {
		set_err(err, errlen, path, pcap_geterr(pc));
		goto fail_pc;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		set_err(err, errlen, path, "out of memory");
		goto fail_dump;
	}
	p->pc = pc;
	p->dump = dump;
	return p;

fail_dump:
	pcap_dump_close(dump);
fail_pc:
	pcap_close(pc);
	return NULL;
}

/* Returns 0, or -1 if the handle is not open for writing, the frame is
 * longer than the snap length, or the write failed. */
int toe_pcap_write(struct toe_pcap *p, const uint8_t *data, size_t len,
		   uint64_t ts_usec)
{
	struct pcap_pkthdr h;

	if (!p->dump || len > TOE_PCAP_SNAPLEN)
		return -1;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_usec / 1000000u);
	h.ts.tv_usec = (suseconds_t)(ts_usec % 1000000u);
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)p->dump, &h, data);
	return ferror(pcap_dump_file(p->dump)) ? -1 : 0;
}

void toe_pcap_close(struct toe_pcap *p)
{
	if (!p)
		return;
	if (p->dump)
		pcap_dump_close(p->dump);
	pcap_close(p->pc);
	free(p);
}
