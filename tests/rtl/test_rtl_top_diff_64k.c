/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_top_diff_64k - every differential test of test_rtl_top_diff.c
 * (58 behaviour scenarios, the timing tests, the engine frame fuzzer, the
 * 100k-segment random run)
 * on toe_top built with N_CONN 65536: its connection table (8192-bucket
 * sub-tables), TCB RAM and id allocator at full size. The harness sets
 * MAX_CONNS to 1024 (td_cfg_default), so ids and the timer scan pass are
 * those of the 1024 build and the same stimulus and timing apply.
 */
/* the frame fuzzer's short run: fewer frames than at 1024 (make test's
 * time; the receive path is the same RTL) */
#define DIFF_FUZZ_FRAMES 500
#include "test_rtl_top_diff.c"
