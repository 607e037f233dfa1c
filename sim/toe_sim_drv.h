/* SPDX-License-Identifier: MIT */
/*
 * toe_sim_drv.h - the Verilated engine's registers (toe_sim_csr_*, through
 * the real host bridge RTL) as the bus of the register driver
 * (host/common/toe_drv.h). Used by toe-simd, toe-pkt and the engine tests.
 */
#ifndef TOE_SIM_DRV_H
#define TOE_SIM_DRV_H

#include "toe_drv.h"
#include "toe_sim.h"

/*
 * ctx is the struct toe_sim. A read of 1 word is one toe_sim_csr_read, of
 * 2 words one toe_sim_csr_read64 (one READ request of 2 words), longer
 * reads pairs of words; a write of n words is n toe_sim_csr_write (one
 * request each). The callbacks return the TOE_PROTO code of a failure.
 */
extern const struct toe_drv_ops toe_sim_drv_ops;

/* toe_drv_init(d, &toe_sim_drv_ops, s), with d->burst = burst. */
void toe_sim_drv_init(struct toe_drv *d, struct toe_sim *s, unsigned burst);

#endif
