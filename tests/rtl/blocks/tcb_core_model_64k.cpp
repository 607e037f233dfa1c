// SPDX-License-Identifier: MIT
//
// tcb_core_model_64k.cpp - the same wrapper (tcb_core_model.cpp) around the
// toe_tcb_core model built with N_CONN = 65536.

#define TM_N_CONN 65536
#include "tcb_core_model.cpp"
