/* SPDX-License-Identifier: MIT */
/*
 * test_rtl_top_64k - every test of test_rtl_top.c on toe_top built with
 * N_CONN 65536 (its own Verilated model, mk/60-top.mk): the large table
 * the issue asks for, simulated, not only linted and elaborated.
 */
#define TOP_N_CONN 65536
#include "test_rtl_top.c"
