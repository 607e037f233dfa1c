/* SPDX-License-Identifier: MIT */
/*
 * pkt_be_none.c - linked into toe-pkt instead of pkt_be_engine.c when the
 * engine's simulation library (libtoesim, mk/60-top.mk) is not built:
 * there is no engine back end, only --model.
 */
#include "pkt_backend.h"

const struct pkt_backend_ops *const pkt_be_engine = NULL;
