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
 * it and names none of its functions: the program that links it registers
 * them (struct toe_sim_engine, toe_transport_set_sim_engine(); the
 * simulation's sim/joint/toe_sim_transport.c does so when the program starts,
 * pkg-config toe-sim links it). A program without one gets TOE_ENODEV
 * from the open with a message saying so.
 *
 * URI: sim:[?pcap=FILE&fst=FILE&seed=N&clock_hz=N]
 */
#include "toe_transport_impl.h"

#include <inttypes.h>
#include <stdlib.h>

/* cycles stepped between looks at the bridge's output: a response starts
 * a few cycles after the request's last byte, so look often at first; a
 * wait that goes on (a timeout, an event that may come) takes longer
 * steps, overshooting the deadline by at most STEP_LONG cycles */
#define STEP_SHORT 8
#define STEP_LONG 256
#define SHORT_STEPS 256

/* the engine registered by the program (NULL: none linked) */
static const struct toe_sim_engine *engine;

void toe_transport_set_sim_engine(const struct toe_sim_engine *e)
{
	engine = e;
}

const struct toe_sim_engine *toe_transport_sim_engine(void)
{
	return engine;
}

struct sim_priv {
	const struct toe_sim_engine *e; /* the engine it was opened with */
	struct toe_sim *s;
};

static int sim_open(struct toe_transport *t, struct toe_tr_uri *u)
{
	const char *pcap_path, *fst_path;
	struct sim_priv *p;
	uint32_t seed;
	uint64_t v, clock_hz;
	int r;

	if (u->body[0])
		return toe_tr_err(t, TOE_EURI, "sim: takes no path ('%s'), "
				  "only ?options", u->body);
	pcap_path = toe_tr_opt(u, "pcap");
	fst_path = toe_tr_opt(u, "fst");
	r = toe_tr_opt_u64(t, u, "seed", 1, 0, UINT32_MAX, &v);
	if (r < 0)
		return r;
	seed = (uint32_t)v;
	r = toe_tr_opt_u64(t, u, "clock_hz", 0, 0, UINT32_MAX, &v);
	if (r < 0)
		return r;
	clock_hz = v;
	if (!engine)
		return toe_tr_err(t, TOE_ENODEV, "sim: the engine model is not "
				  "linked into this program (link libtoesim: "
				  "pkg-config toe-sim)");
	p = calloc(1, sizeof(*p));
	if (!p)
		return toe_tr_err(t, TOE_ENOMEM, "sim: out of memory");
	p->e = engine;
	p->s = p->e->create(pcap_path, fst_path, seed, clock_hz);
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

	p->e->host_write(p->s, buf, n);
	return 0;
}

static int sim_read(struct toe_transport *t, uint8_t *buf, size_t n,
		    int timeout_ms)
{
	struct sim_priv *p = t->priv;
	uint64_t end = p->e->time_ns(p->s) + (uint64_t)timeout_ms * 1000000u;
	unsigned steps = 0;

	for (;;) {
		size_t got = p->e->host_read(p->s, buf, n);

		if (got)
			return (int)(got > (size_t)INT32_MAX ? INT32_MAX : got);
		if (p->e->time_ns(p->s) >= end)
			return 0;
		p->e->step(p->s, steps++ < SHORT_STEPS ? STEP_SHORT : STEP_LONG);
	}
}

static uint64_t sim_now_ms(struct toe_transport *t)
{
	struct sim_priv *p = t->priv;

	return p->e->time_ns(p->s) / 1000000u;
}

static int sim_cycles(struct toe_transport *t, uint64_t *c)
{
	struct sim_priv *p = t->priv;

	*c = p->e->cycle(p->s);
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
	p->e->destroy(p->s);
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
