/* SPDX-License-Identifier: MIT */
/*
 * toe_eut_nortl.c - linked instead of toe_eut_rtl.c when this build has no
 * engine model (libtoesim): the rtl back end reports that it is missing.
 */
#include "toe_eut_priv.h"

#include <stdio.h>

bool toe_eut_have_rtl(void)
{
	return false;
}

struct toe_eut *toe_eut_rtl_new(const struct toe_eut_cfg *cfg, char *err,
				size_t errlen)
{
	(void)cfg;
	snprintf(err, errlen, "this build has no RTL engine model "
		 "(libtoesim, mk/60-top.mk)");
	return NULL;
}
