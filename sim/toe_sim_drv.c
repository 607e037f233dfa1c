/* SPDX-License-Identifier: MIT */
/*
 * toe_sim_drv.c - the register driver's bus on the Verilated engine
 * (toe_sim_drv.h): each call is one or more bridge transactions, the
 * clock stepped while the bytes cross (toe_sim_csr_*).
 */
#include "toe_sim_drv.h"

static int sim_read(void *ctx, uint32_t addr, uint32_t *val, size_t n)
{
	struct toe_sim *s = ctx;
	size_t i = 0;

	while (i < n) {
		int r;

		if (n - i >= 2) {
			uint64_t v = 0;

			r = toe_sim_csr_read64(s, addr + 4u * (uint32_t)i, &v);
			if (r < 0)
				return r;
			val[i] = (uint32_t)v;
			val[i + 1] = (uint32_t)(v >> 32);
			i += 2;
		} else {
			r = toe_sim_csr_read(s, addr + 4u * (uint32_t)i, &val[i]);
			if (r < 0)
				return r;
			i++;
		}
	}
	return 0;
}

static int sim_write(void *ctx, uint32_t addr, const uint32_t *val, size_t n)
{
	struct toe_sim *s = ctx;

	for (size_t i = 0; i < n; i++) {
		int r = toe_sim_csr_write(s, addr + 4u * (uint32_t)i, val[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

const struct toe_drv_ops toe_sim_drv_ops = {
	.read = sim_read,
	.write = sim_write,
	.wait = NULL,
};

void toe_sim_drv_init(struct toe_drv *d, struct toe_sim *s, unsigned burst)
{
	toe_drv_init(d, &toe_sim_drv_ops, s);
	d->burst = burst ? burst : 1;
}
