/* SPDX-License-Identifier: MIT */
/*
 * toe_transport.h - the byte transports under the host library: one small
 * interface (open by URI, write, read with a timeout, a clock, close, an
 * error string), three back ends chosen by the URI's scheme:
 *
 *   sim:[?pcap=FILE&fst=FILE&seed=N&clock_hz=N]
 *        the whole engine in this process (sim/toe_sim.h). A read steps
 *        the simulated clock until bytes arrive or the timeout has passed
 *        in simulated time; the clock (now_ms) is simulated time. libtoe
 *        does not carry the model: the program must link it and hand it
 *        over (struct toe_sim_engine below; pkg-config toe-sim does both);
 *        without it the open fails with TOE_ENODEV.
 *        driver/toe_tr_sim.c
 *   tcp://HOST:PORT
 *        a byte stream over TCP to a simulation serving its bridge
 *        (sim/joint/toe_hostsrv.h). Non-blocking connect with a timeout.
 *        driver/toe_tr_tcp.c
 *   ftdi://[VID:PID[:SERIAL]][/IFACE][?baud=N&latency=MS&mode=uart|fifo&
 *        index=N]
 *        an FT2232H / FT232H over libftdi1 (libusb-1.0); default 0403:6010,
 *        interface B (the UART channel on the Arty A7 and the ECP5 Versa).
 *        driver/toe_tr_ftdi.c
 *
 * Options common to every scheme (they tune the protocol above, the
 * transport only parses and reports them): timeout=MS, retries=N,
 * cmd_timeout=MS, and fault injection for testing the link's recovery:
 * fault_seed=N, fault_corrupt=PPM, fault_drop=PPM, fault_dup=PPM,
 * fault_garbage=PPM (per byte, both directions; see toe_proto_fault).
 *
 * Return codes are the library's (enum toe_err in toe/toe.h); the detail
 * of the last failure is toe_transport_error().
 */
#ifndef TOE_TRANSPORT_H
#define TOE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe/toe.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toe_transport;

/* Protocol tuning a URI carries (0 = the scheme's default). */
struct toe_transport_tuning {
	int timeout_ms;     /* bridge protocol, per attempt */
	int retries;        /* -1: default */
	int cmd_timeout_ms; /* a command's BUSY time */
	/* fault injection on the link (toe_proto_fault), parts per million
	 * per byte, both directions; all 0: none */
	uint64_t fault_seed;
	unsigned fault_corrupt, fault_drop, fault_dup, fault_garbage;
};

/*
 * Open uri. On success *out is the transport and 0 is returned; on
 * failure *out is NULL, a negative code is returned and err (errlen
 * bytes, may be NULL) gets the reason.
 */
int toe_transport_open(const char *uri, struct toe_transport **out,
		       char *err, size_t errlen);
/* Close and free (NULL is fine). */
void toe_transport_close(struct toe_transport *t);

/* Write all n bytes: 0 or a negative code. */
int toe_transport_write(struct toe_transport *t, const uint8_t *buf, size_t n);
/* Read up to n bytes, waiting at most timeout_ms (transport time) for the
 * first: the count (> 0), 0 when nothing came, or a negative code
 * (TOE_EDISCONNECTED when the link went away). */
int toe_transport_read(struct toe_transport *t, uint8_t *buf, size_t n,
		       int timeout_ms);
/* The transport's clock, ms: simulated time for sim:, CLOCK_MONOTONIC
 * otherwise. */
uint64_t toe_transport_now_ms(struct toe_transport *t);
/* The engine's cycle counter if the transport can see it (sim:): 0 and
 * *cycles, else TOE_ENOTSUP. */
int toe_transport_engine_cycles(struct toe_transport *t, uint64_t *cycles);

/* Detail of the last failure ("" if none); never NULL. */
const char *toe_transport_error(const struct toe_transport *t);
/* Code of the last failure (0 if none). */
int toe_transport_errcode(const struct toe_transport *t);
/* "sim", "tcp" or "ftdi". */
const char *toe_transport_scheme(const struct toe_transport *t);
/* The URI as opened. */
const char *toe_transport_uri(const struct toe_transport *t);
/* The scheme's protocol defaults merged with the URI's options. */
void toe_transport_tuning(const struct toe_transport *t,
			  struct toe_transport_tuning *out);


/* The engine model behind a sim: transport (sim/toe_sim.h), for pushing
 * and popping network frames; NULL for other schemes. */
struct toe_sim *toe_transport_sim(struct toe_transport *t);

/*
 * The engine behind sim:, handed to the library by whoever links one: the
 * functions of sim/toe_sim.h that the transport uses, by pointer (libtoe
 * names no toe_sim_* symbol). sim/joint/toe_sim_transport.c fills it with the
 * Verilated engine and registers it when the program starts; pkg-config
 * toe-sim links it (in libtoesim.a, forced in with
 * -Wl,--undefined=toe_sim_model_engine), and so do the project's programs
 * that open sim: (toectl, the host tests). A test may register a stand-in.
 */
struct toe_sim_engine {
	/* A fresh engine (toe_sim_create with these options; NULL paths:
	 * none), or NULL when it could not start. */
	struct toe_sim *(*create)(const char *pcap_path, const char *fst_path,
				  uint32_t seed, uint64_t clock_hz);
	void (*destroy)(struct toe_sim *s);
	void (*step)(struct toe_sim *s, uint64_t cycles);
	uint64_t (*cycle)(const struct toe_sim *s);
	uint64_t (*time_ns)(const struct toe_sim *s);
	/* the host bridge byte stream */
	void (*host_write)(struct toe_sim *s, const uint8_t *buf, size_t n);
	size_t (*host_read)(struct toe_sim *s, uint8_t *buf, size_t n);
};

/* The engine sim: opens from now on (NULL: none, sim: fails with
 * TOE_ENODEV). Not thread-safe: call it before opening. */
void toe_transport_set_sim_engine(const struct toe_sim_engine *e);
/* The engine registered, or NULL. */
const struct toe_sim_engine *toe_transport_sim_engine(void);

#ifdef __cplusplus
}
#endif

#endif
