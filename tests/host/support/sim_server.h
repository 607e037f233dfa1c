/* SPDX-License-Identifier: MIT */
/*
 * sim_server.h - a simulated engine served on tcp://127.0.0.1:PORT by a
 * thread, for the host tests of the tcp:// transport and of toectl attached
 * to a running simulation. The engine is whatever toe_sim.h the test links:
 * the Verilated RTL (test_host_sim) or the C stand-in fake_sim
 * (test_host_fake). Uses cmocka assertions (call from a test).
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "toe_hostsrv.h"
#include "toe_sim.h"

struct sim_server {
	struct toe_sim *s;
	struct toe_hostsrv *h;
	pthread_t th;
	int poll_ms;        /* toe_hostsrv_poll timeout per loop */
	uint64_t step;      /* cycles stepped per loop */
	atomic_bool stop;
	atomic_bool pause;  /* stop serving (a hung simulation) */
	atomic_bool paused; /* the thread saw pause */
};

/* A fresh engine (reset state: disabled) served by a thread that loops:
 * serve the bridge (toe_hostsrv_poll with poll_ms), step `step` cycles. */
void sim_server_start(struct sim_server *sv, int poll_ms, uint64_t step);
/* Stop and join the thread; the engine and the server stay (for a look at
 * the engine's frames, or the server's statistics). */
void sim_server_stop(struct sim_server *sv);
/* Free the server (closing its client socket) and the engine. */
void sim_server_free(struct sim_server *sv);

#endif
