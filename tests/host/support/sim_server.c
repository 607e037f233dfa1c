/* SPDX-License-Identifier: MIT */
/*
 * sim_server.c - a simulated engine served over TCP by a thread
 * (sim_server.h).
 */
#include "sim_server.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

/* the simulation loop: the engine runs, its bridge is served */
static void *serve(void *arg)
{
	struct sim_server *sv = arg;

	while (!atomic_load(&sv->stop)) {
		if (atomic_load(&sv->pause)) {
			struct timespec ts = { 0, 1000000 };

			atomic_store(&sv->paused, true);
			nanosleep(&ts, NULL);
			continue;
		}
		if (toe_hostsrv_poll(sv->h, sv->poll_ms) < 0)
			break;
		toe_sim_step(sv->s, sv->step);
	}
	return NULL;
}

void sim_server_start(struct sim_server *sv, int poll_ms, uint64_t step)
{
	char err[128];

	memset(sv, 0, sizeof(*sv));
	sv->poll_ms = poll_ms;
	sv->step = step;
	sv->s = toe_sim_create(NULL);
	assert_non_null(sv->s);
	sv->h = toe_hostsrv_new(sv->s, 0, err, sizeof(err));
	if (!sv->h)
		fail_msg("%s", err);
	assert_true(toe_hostsrv_port(sv->h) > 0);
	assert_int_equal(pthread_create(&sv->th, NULL, serve, sv), 0);
}

void sim_server_stop(struct sim_server *sv)
{
	atomic_store(&sv->stop, true);
	pthread_join(sv->th, NULL);
}

void sim_server_free(struct sim_server *sv)
{
	toe_hostsrv_free(sv->h);
	toe_sim_destroy(sv->s);
}
