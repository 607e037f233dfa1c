// SPDX-License-Identifier: MIT
/*
 * test_rtl_siphash_hr4 - the toe_siphash tests on the block built with
 * HR_PER_STAGE 4 (four half-rounds per pipeline stage, latency 5), the
 * configuration toe_top uses for the ISN.
 */
#define SIPHASH_HR 4
#include "test_rtl_siphash.c"
