/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * caps.c: the container's capability bounding set (see caps.h).
 */
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "parse-util.h"

static int last_cap(void)
{
	/* cap_max_bits() asks the kernel (CAP_LAST_CAP may be newer or older
	 * than libcap's headers). */
	int n = (int)cap_max_bits();
	return n > 0 ? MIN(n, 64) - 1 : 40;
}

uint64_t caps_kept_mask(uint64_t drop)
{
	int last = last_cap();
	uint64_t all = last >= 63 ? UINT64_MAX : ((UINT64_C(1) << (last + 1)) - 1);
	return all & ~drop;
}

int caps_limit_bounding(uint64_t keep, vz_err *err)
{
	int last = last_cap();
	for (int c = 0; c <= last; c++) {
		if (keep & (UINT64_C(1) << c))
			continue;
		if (cap_drop_bound((cap_value_t)c) < 0) {
			const char *name = cap_to_string(c);
			if (name)
				return vz_fail(err, errno, "drop capability %s", name);
			return vz_fail(err, errno, "drop capability %d", c);
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return vz_fail(err, errno, "clear ambient capabilities");
	return 0;
}
