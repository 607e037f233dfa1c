// SPDX-License-Identifier: MIT
//
// tcb_core_model_fp7.cpp - the same wrapper (tcb_core_model.cpp) around the
// toe_tcb_core model built with a 7-bit connection-table fingerprint
// (CT_FP_W = 7, N_CONN 1024), so that fingerprint collisions happen.

#include "tcb_core_model.cpp"
