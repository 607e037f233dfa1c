/* SPDX-License-Identifier: MIT */
/*
 * toe_hostsrv.h - serve a simulated engine's host bridge byte stream on a
 * TCP port, so the host library (tcp://127.0.0.1:PORT), toectl and other
 * programs can attach to a running simulation: the Verilated toe_top
 * (toe_sim_host_*), or any engine with a byte stream in the shape of
 * libtoe's sim: engine (struct toe_sim_engine's host_write / host_read: a
 * board model's UART pins, sim/board/versa_host.h).
 *
 * The server is a component for a simulation loop, not a thread: it never
 * steps the clock and never blocks longer than asked. The loop owns the
 * struct toe_sim and calls toe_hostsrv_poll() between clock steps:
 *
 *   struct toe_hostsrv *hs = toe_hostsrv_new(sim, 7000, err, sizeof(err));
 *   for (;;) {
 *           toe_hostsrv_poll(hs, 0);   // socket <-> toe_sim_host_*
 *           toe_sim_step(sim, 1000);   // the engine runs
 *           ...                        // network frames, pacing, ...
 *   }
 *   toe_hostsrv_free(hs);
 *
 * Behaviour:
 *  - Listens on 127.0.0.1 only (the bridge has no authentication).
 *  - One client at a time; while one is connected, others wait in the
 *    listen backlog and are accepted when it leaves.
 *  - Bytes from the client go to toe_sim_host_write() (or e->host_write);
 *    bytes the bridge sends (toe_sim_host_read(), e->host_read) go to the
 *    client. Output the socket cannot take yet is buffered (64 KiB);
 *    beyond that it stays in the model.
 *  - While no client is connected, bridge output is read and dropped, so a
 *    new client never sees an old client's responses or notifications.
 *  - A client that closes or resets is dropped; a frame it left half sent
 *    is ended by the bridge's own byte timeout.
 *  - Non-blocking sockets, close-on-exec, SIGPIPE never raised.
 */
#ifndef TOE_HOSTSRV_H
#define TOE_HOSTSRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct toe_sim;
struct toe_sim_engine;
struct toe_hostsrv;

/* Listen on 127.0.0.1:port (0: any free port, see toe_hostsrv_port) for
 * engine s (not owned). NULL on failure, with the reason in err. */
struct toe_hostsrv *toe_hostsrv_new(struct toe_sim *s, uint16_t port,
				    char *err, size_t errlen);
/* The same for the byte stream e->host_write / e->host_read of handle s
 * (e NULL: toe_sim_host_*, as toe_hostsrv_new). */
struct toe_hostsrv *toe_hostsrv_new_engine(const struct toe_sim_engine *e,
					   struct toe_sim *s, uint16_t port,
					   char *err, size_t errlen);
/* Close the client and the listening socket (NULL is fine). */
void toe_hostsrv_free(struct toe_hostsrv *h);

/* The port it listens on. */
uint16_t toe_hostsrv_port(const struct toe_hostsrv *h);

/*
 * Do what can be done now: accept a client if none is connected, move
 * bytes both ways. Waits up to timeout_ms (0: not at all) for socket
 * activity if there is nothing to move. Returns the number of bytes moved
 * (either way), or -1 on a failure of the listening socket (errno set;
 * client failures just drop the client).
 */
int toe_hostsrv_poll(struct toe_hostsrv *h, int timeout_ms);

/* Whether a client is connected. */
bool toe_hostsrv_connected(const struct toe_hostsrv *h);

struct toe_hostsrv_stats {
	uint64_t clients;      /* accepted so far */
	uint64_t to_engine;    /* bytes client -> bridge */
	uint64_t to_client;    /* bytes bridge -> client */
	uint64_t dropped;      /* bridge bytes dropped with no client */
};
void toe_hostsrv_get_stats(const struct toe_hostsrv *h,
			   struct toe_hostsrv_stats *st);

#ifdef __cplusplus
}
#endif

#endif
