/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_nortl.c - linked instead of toe_simd_rtl.c when this build has
 * no engine model (libtoesim): the rtl back end reports that it is missing.
 */
#include "toe_simd_engine.h"

#include <stdio.h>

bool simd_engine_have_rtl(void)
{
	return false;
}

struct simd_engine *simd_engine_rtl_new(const struct simd_engine_cfg *cfg,
					char *err, size_t errlen)
{
	(void)cfg;
	snprintf(err, errlen, "this build has no RTL engine model "
		 "(libtoesim, mk/60-top.mk); use --engine=ref");
	return NULL;
}
