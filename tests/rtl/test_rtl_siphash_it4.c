// SPDX-License-Identifier: MIT
/*
 * test_rtl_siphash_it4 - the toe_siphash tests on the block built with
 * HR_PER_STAGE 4 and ITERATE 1 (a loading cycle, then one four-half-round
 * stage used four times: latency 6, one hash per 5 cycles), the
 * configuration toe_top uses for
 * the ISN.
 */
#define SIPHASH_HR 4
#define SIPHASH_ITER 1
#include "test_rtl_siphash.c"
