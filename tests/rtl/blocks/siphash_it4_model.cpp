// SPDX-License-Identifier: MIT
//
// siphash_it4_model.cpp - the toe_siphash wrapper compiled against the model
// Verilated with HR_PER_STAGE 4, ITERATE 1 (its own object, its own Vtoe_siphash.h).
#include "siphash_model.cpp"
