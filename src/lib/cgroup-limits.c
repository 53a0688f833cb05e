/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-limits.c: writing a container's limits (struct vz_limits) to its
 * cgroups, controller by controller through the per-version setters of
 * cgroup-v1.c, cgroup-v2.c and cgroup-io.c, and what happens when the host
 * cannot enforce a limit that is set: an error naming the key, the file and
 * the controller, or a warning for a key listed in limits.optional.
 */
#include <limits.h>
#include <stdio.h>

#include "cgroup-internal.h"
#include "log.h"

/* The controller each limit key needs, for messages. */
static const char *const key_ctrl[_VZ_LIM_MAX] = {
	[VZ_LIM_MEMORY] = "memory", [VZ_LIM_MEMORY_HIGH] = "memory", [VZ_LIM_SWAP] = "memory",
	[VZ_LIM_PIDS] = "pids",	    [VZ_LIM_CPUS] = "cpu",	     [VZ_LIM_CPU_WEIGHT] = "cpu",
	[VZ_LIM_CPUSET] = "cpuset", [VZ_LIM_CPUSET_MEMS] = "cpuset", [VZ_LIM_IO_WEIGHT] = "io",
	[VZ_LIM_IO] = "io",
};

int vz_cg_not_enforced(const struct vz_limits *lim, enum vz_limit_key key, const char *dir,
		       const char *file, vz_err *err)
{
	const char *name = vz_limit_key_name(key), *ctrl = key_ctrl[key];
	if (lim->optional & (UINT32_C(1) << key)) {
		log_warn("limits.%s is not enforced: the host has no %s/%s (the %s controller "
			 "or feature is missing); it is listed in limits.optional",
			 name, dir, file, ctrl);
		return 0;
	}
	return vz_failx(err, EOPNOTSUPP,
			"limits.%s: the host cannot enforce it: %s/%s does not exist (the %s "
			"controller or feature is missing); list it in limits.optional to start "
			"without it",
			name, dir, file, ctrl);
}

int vz_cg_write_key(const char *dir, const char *file, const char *value,
		    const struct vz_limits *lim, enum vz_limit_key key, vz_err *err)
{
	int r = vz_cg_write_raw(dir, file, value);
	if (r == -ENOENT && !vz_limit_is_set(lim, key)) {
		log_debug("cgroup: %s/%s does not exist: skipped (limits.%s unset)", dir, file,
			  vz_limit_key_name(key));
		return 0;
	}
	if (r == -ENOENT)
		return vz_cg_not_enforced(lim, key, dir, file, err);
	if (r < 0)
		return vz_fail(err, r, "write '%s' to %s/%s", value, dir, file);
	return 0;
}

#define LIM(k) (UINT32_C(1) << (k))

/* The limit keys each controller enforces. */
static const struct {
	enum vz_cg_ctrl ctrl;
	uint32_t keys;
} limit_table[] = {
	{ VZ_CG_MEMORY, LIM(VZ_LIM_MEMORY) | LIM(VZ_LIM_MEMORY_HIGH) | LIM(VZ_LIM_SWAP) },
	{ VZ_CG_CPU, LIM(VZ_LIM_CPUS) | LIM(VZ_LIM_CPU_WEIGHT) },
	{ VZ_CG_PIDS, LIM(VZ_LIM_PIDS) },
	{ VZ_CG_CPUSET, LIM(VZ_LIM_CPUSET) | LIM(VZ_LIM_CPUSET_MEMS) },
	{ VZ_CG_IO, LIM(VZ_LIM_IO_WEIGHT) | LIM(VZ_LIM_IO) },
};

/* The keys of mask that lim sets. */
static uint32_t keys_set(const struct vz_limits *lim, uint32_t mask)
{
	uint32_t set = 0;
	for (int k = 0; k < _VZ_LIM_MAX; k++)
		if ((mask & LIM(k)) && vz_limit_is_set(lim, k))
			set |= LIM(k);
	return set;
}

int vz_cgroup_apply_limits(struct vz_cgroup *cg, const struct vz_limits *lim, vz_err *err)
{
	for (size_t i = 0; i < ELEMENTSOF(limit_table); i++) {
		enum vz_cg_ctrl c = limit_table[i].ctrl;
		uint32_t set = keys_set(lim, limit_table[i].keys);
		int k = cg->layout->by_ctrl[c];
		vz_cg_limit_fn *fn = k >= 0 ? cg->layout->hier[k].ops->set[c] : NULL;
		if (!fn && set) {
			/* the first key set, for the message */
			int key = __builtin_ctz(set & ~lim->optional ? set & ~lim->optional : set);
			const char *name = vz_limit_key_name(key);
			if (!(set & ~lim->optional)) {
				log_warn("limits.%s is not enforced: no cgroup hierarchy has the %s "
					 "controller; it is listed in limits.optional",
					 name, vz_cg_ctrl_names[c].v1);
				continue;
			}
			return vz_failx(err, EOPNOTSUPP,
					"limits.%s: the host cannot enforce it: no cgroup "
					"hierarchy has the %s controller; list it in "
					"limits.optional to start without it",
					name, vz_cg_ctrl_names[c].v1);
		}
		if (!fn) {
			log_debug("cgroup: no %s controller; the limit is unset, skipped",
				  vz_cg_ctrl_names[c].v1);
			continue;
		}
		char leaf[PATH_MAX];
		int r = vz_cg_leaf_path(cg, &cg->layout->hier[k], leaf, sizeof(leaf));
		if (r < 0)
			return vz_cg_unsafe(cg, r, err);
		r = fn(leaf, lim, err);
		if (r < 0)
			return r;
	}
	return 0;
}

