/* SPDX-License-Identifier: MIT */
/*
 * toe_sim_transport.c - the joint between the simulation and the host
 * library: hands the engine of sim/toe_sim.h to libtoe's sim: transport
 * (struct toe_sim_engine, driver/toe_transport.h) when the program starts.
 *
 * It sits above both libraries and is part of neither: libtoesim does not
 * know libtoe, libtoe names no toe_sim_* function. A program that wants
 * sim: links this unit with the model and libtoe: pkg-config toe-sim (the
 * installed libtoesim.a carries it; its Libs force it in with
 * -Wl,--undefined=toe_sim_model_engine), in the tree toectl and
 * test_host_sim ($(TOESIM_TR_OBJ), mk/55-host.mk), and test_host_fake over
 * the C stand-in engine (tests/host/support/fake_sim.c), which implements
 * the same toe_sim.h functions.
 */
#include <stddef.h>

#include "toe_sim.h"
#include "toe_transport.h"

static struct toe_sim *engine_create(const char *pcap_path,
				     const char *fst_path, uint32_t seed,
				     uint64_t clock_hz)
{
	struct toe_sim_opts o = { 0 };

	o.pcap_path = pcap_path;
	o.fst_path = fst_path;
	o.seed = seed;
	o.clock_hz = clock_hz;
	return toe_sim_create(&o);
}

const struct toe_sim_engine toe_sim_model_engine = {
	.create = engine_create,
	.destroy = toe_sim_destroy,
	.step = toe_sim_step,
	.cycle = toe_sim_cycle,
	.time_ns = toe_sim_time_ns,
	.host_write = toe_sim_host_write,
	.host_read = toe_sim_host_read,
};

__attribute__((constructor)) static void engine_register(void)
{
	toe_transport_set_sim_engine(&toe_sim_model_engine);
}
