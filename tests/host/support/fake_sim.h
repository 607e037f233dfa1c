/* SPDX-License-Identifier: MIT */
/*
 * fake_sim.h - sim/toe_sim.h implemented over fake_eng (C, no RTL), so the
 * sim: transport, toe_hostsrv and the library's error paths can be tested
 * without the Verilated engine. Link fake_sim.o instead of libtoesim.
 * Only the host byte stream and the clock are real; network frames are
 * accepted and dropped, none are ever sent.
 */
#ifndef FAKE_SIM_H
#define FAKE_SIM_H

#include "fake_eng.h"
#include "toe_sim.h"

/* Called with each new engine, before anyone talks to it (set the ID,
 * silence, ...). NULL: none. */
extern void (*fake_sim_on_create)(struct fake_eng *e);

struct fake_eng *fake_sim_eng(struct toe_sim *s);

#endif
