/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* enums.c: string tables of enums.h. */
#include "enums.h"
#include "macro.h"

static const char *const state_names[_VZ_STATE_MAX] = {
	[VZ_STATE_STOPPED] = "STOPPED",	  [VZ_STATE_STARTING] = "STARTING",
	[VZ_STATE_RUNNING] = "RUNNING",	  [VZ_STATE_STOPPING] = "STOPPING",
	[VZ_STATE_FROZEN] = "FROZEN",
};

static const char *const step_names[_VZ_STEP_MAX] = {
	[VZ_STEP_RUNTIME] = "runtime",
	[VZ_STEP_CONSOLE] = "console",
	[VZ_STEP_CGROUP] = "cgroup",
	[VZ_STEP_LXCFS] = "lxcfs",
	[VZ_STEP_CLONE] = "clone",
	[VZ_STEP_IDMAP] = "idmap",
	[VZ_STEP_CGROUP_ATTACH] = "cgroup-attach",
	[VZ_STEP_ROOTFS_IDMAP] = "rootfs-idmap",
	[VZ_STEP_NET] = "net",
	[VZ_STEP_ROOTFS] = "rootfs",
	[VZ_STEP_MOUNTS] = "mounts",
	[VZ_STEP_DEV] = "dev",
	[VZ_STEP_PIVOT] = "pivot",
	[VZ_STEP_IDENTITY] = "identity",
	[VZ_STEP_CAPS] = "caps",
	[VZ_STEP_EXEC] = "exec",
};

static const char *const start_wait_names[_VZ_START_WAIT_MAX] = {
	[VZ_START_WAIT_AUTO] = "auto",
	[VZ_START_WAIT_READY] = "ready",
	[VZ_START_WAIT_EXEC] = "exec",
};

static int lookup(const char *const *table, int n, const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (table[i] && streq(table[i], s))
			return i;
	return -EINVAL;
}

const char *vz_state_to_string(enum vz_run_state s)
{
	return (unsigned)s < _VZ_STATE_MAX ? state_names[s] : NULL;
}
int vz_state_from_string(const char *s) { return lookup(state_names, _VZ_STATE_MAX, s); }

const char *vz_step_to_string(enum vz_start_step s)
{
	return (unsigned)s < _VZ_STEP_MAX ? step_names[s] : NULL;
}
int vz_step_from_string(const char *s) { return lookup(step_names, _VZ_STEP_MAX, s); }

const char *vz_start_wait_to_string(enum vz_start_wait w)
{
	return (unsigned)w < _VZ_START_WAIT_MAX ? start_wait_names[w] : NULL;
}
int vz_start_wait_from_string(const char *s)
{
	return lookup(start_wait_names, _VZ_START_WAIT_MAX, s);
}
