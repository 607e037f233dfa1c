/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_async_fifo_drop.c - the frame FIFO's receive configuration
 * (DROP 1): test_rtl_async_fifo.c with FIFO_DROP 1 (see its header).
 */
#define FIFO_DROP 1
#include "test_rtl_async_fifo.c"
