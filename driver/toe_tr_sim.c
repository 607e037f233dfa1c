/* SPDX-License-Identifier: MIT */
/*
 * toe_tr_sim.c - the sim: transport: the whole engine in this process
 * (sim/toe_sim.h). Writes queue bytes for the host bridge; a read steps the
 * simulated clock until the bridge has sent something or the timeout has
 * passed in simulated time. The clock is simulated time, so the bridge
 * protocol's timeouts are too: a run is deterministic and as fast as the
 * model.
 *
 * The engine model is C++ (Verilator) and large, so libtoe does not carry
 * it: the toe_sim_* functions are weak references here. A program linked
 * with the model (pkg-config toe-sim, or TOESIM_LINK in the tree) gets a
 * working sim:; any other gets TOE_ENODEV from the open with a message
 * saying so.
 *
 * URI: sim:[?pcap=FILE&fst=FILE&seed=N&clock_hz=N]
 */
#include "toe_transport_impl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "toe_sim.h"

#pragma weak toe_sim_create
#pragma weak toe_sim_destroy
#pragma weak toe_sim_step
#pragma weak toe_sim_cycle
#pragma weak toe_sim_time_ns
#pragma weak toe_sim_host_write
#pragma weak toe_sim_host_read

/* cycles stepped between looks at the bridge's output: a response starts
 * a few cycles after the request's last byte, so look often at first; a
 * wait that goes on (a timeout, an event that may come) takes longer
 * steps, overshooting the deadline by at most STEP_LONG cycles */
#define STEP_SHORT 8
#define STEP_LONG 256
#define SHORT_STEPS 256

struct sim_priv {
	struct toe_sim *s;
};

static int sim_open(struct toe_transport *t, struct toe_tr_uri *u)
{
	struct toe_sim_opts o;
	struct sim_priv *p;
	uint64_t v;
	int r;

	if (u->body[0])
		return toe_tr_err(t, TOE_EURI, "sim: takes no path ('%s'), "
				  "only ?options", u->body);
	memset(&o, 0, sizeof(o));
	o.pcap_path = toe_tr_opt(u, "pcap");
	o.fst_path = toe_tr_opt(u, "fst");
	r = toe_tr_opt_u64(t, u, "seed", 1, 0, UINT32_MAX, &v);
	if (r < 0)
		return r;
	o.seed = (uint32_t)v;
	r = toe_tr_opt_u64(t, u, "clock_hz", 0, 0, UINT32_MAX, &v);
	if (r < 0)
		return r;
	o.clock_hz = v;
	if (!toe_sim_create)
		return toe_tr_err(t, TOE_ENODEV, "sim: the engine model is not "
				  "linked into this program (link libtoesim: "
				  "pkg-config toe-sim)");
	p = calloc(1, sizeof(*p));
	if (!p)
		return toe_tr_err(t, TOE_ENOMEM, "sim: out of memory");
	p->s = toe_sim_create(&o);
	if (!p->s) {
		free(p);
		return toe_tr_err(t, TOE_EIO, "sim: the engine model could not "
				  "start (pcap or trace file?)");
	}
	t->priv = p;
	return 0;
}

static int sim_write(struct toe_transport *t, const uint8_t *buf, size_t n)
{
	struct sim_priv *p = t->priv;

	toe_sim_host_write(p->s, buf, n);
	return 0;
}

static int sim_read(struct toe_transport *t, uint8_t *buf, size_t n,
		    int timeout_ms)
{
	struct sim_priv *p = t->priv;
	uint64_t end = toe_sim_time_ns(p->s) + (uint64_t)timeout_ms * 1000000u;
	unsigned steps = 0;

	for (;;) {
		size_t got = toe_sim_host_read(p->s, buf, n);

		if (got)
			return (int)(got > (size_t)INT32_MAX ? INT32_MAX : got);
		if (toe_sim_time_ns(p->s) >= end)
			return 0;
		toe_sim_step(p->s, steps++ < SHORT_STEPS ? STEP_SHORT : STEP_LONG);
	}
}

static uint64_t sim_now_ms(struct toe_transport *t)
{
	struct sim_priv *p = t->priv;

	return toe_sim_time_ns(p->s) / 1000000u;
}

static int sim_cycles(struct toe_transport *t, uint64_t *c)
{
	struct sim_priv *p = t->priv;

	*c = toe_sim_cycle(p->s);
	return 0;
}

static struct toe_sim *sim_sim(struct toe_transport *t)
{
	struct sim_priv *p = t->priv;

	return p->s;
}

static void sim_close(struct toe_transport *t)
{
	struct sim_priv *p = t->priv;

	if (!p)
		return;
	toe_sim_destroy(p->s);
	free(p);
	t->priv = NULL;
}

static const char *const options[] = { "pcap", "fst", "seed", "clock_hz",
					NULL };

const struct toe_transport_ops toe_tr_sim_ops = {
	.scheme = "sim",
	.slashes = false,
	/* simulated ms: above the bridge's 1.6 ms byte timeout plus the
	 * longest response; a timeout costs 2 ms of model time, not 100 */
	.defaults = { .timeout_ms = 2, .retries = 5, .cmd_timeout_ms = 20 },
	.options = options,
	.open = sim_open,
	.write = sim_write,
	.read = sim_read,
	.now_ms = sim_now_ms,
	.engine_cycles = sim_cycles,
	.sim = sim_sim,
	.close = sim_close,
};
