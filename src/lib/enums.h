/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * enums.h: enums shared between processes and their string tables (each
 * round-trips; a unit test checks every value).
 */
#pragma once

enum vz_run_state {
	VZ_STATE_STOPPED,
	VZ_STATE_STARTING,
	VZ_STATE_RUNNING,
	VZ_STATE_STOPPING,
	VZ_STATE_FROZEN,
	_VZ_STATE_MAX,
};

/* "STOPPED", "STARTING", ... ; NULL if out of range. */
const char *vz_state_to_string(enum vz_run_state s);
/* Case-sensitive inverse; -EINVAL if unknown. */
int vz_state_from_string(const char *s);

/* The named steps of the start pipeline, in order. Each can be made to fail
 * on purpose with VZ_FAIL_STEP=<name> (tests use this to check that a failed
 * start leaves nothing behind). */
enum vz_start_step {
	VZ_STEP_RUNTIME,   /* run dir, lock, state file (monitor) */
	VZ_STEP_CONSOLE,   /* console pty and log (monitor) */
	VZ_STEP_CGROUP,    /* create cgroups, apply limits (monitor) */
	VZ_STEP_LXCFS,     /* the container's lxcfs mounted (monitor) */
	VZ_STEP_CLONE,     /* clone3 into new namespaces (monitor) */
	VZ_STEP_IDMAP,     /* uid/gid maps written (monitor) */
	VZ_STEP_CGROUP_ATTACH, /* child joins its v1 cgroups itself (child) */
	VZ_STEP_ROOTFS_IDMAP,  /* idmapped mount of the lower layer (monitor) */
	VZ_STEP_NET,       /* veth pairs, addresses, routes (monitor) */
	VZ_STEP_ROOTFS,    /* overlay root mounted (child) */
	VZ_STEP_MOUNTS,    /* proc, sys, masks (child) */
	VZ_STEP_DEV,       /* /dev (child) */
	VZ_STEP_PIVOT,     /* pivot_root (child) */
	VZ_STEP_IDENTITY,  /* hostname, loopback (child) */
	VZ_STEP_CAPS,      /* capability bounding set (child) */
	VZ_STEP_EXEC,      /* execve of init (child) */
	_VZ_STEP_MAX,
};

const char *vz_step_to_string(enum vz_start_step s);
int vz_step_from_string(const char *s);

/* start.wait: what `vz start` waits for before it reports the container
 * started (doc/man/vz.conf.5.scd). */
enum vz_start_wait {
	VZ_START_WAIT_AUTO,  /* "auto": READY when init is systemd, EXEC otherwise */
	VZ_START_WAIT_READY, /* "ready": init sends READY=1 to $NOTIFY_SOCKET */
	VZ_START_WAIT_EXEC,  /* "exec": init has been executed */
	_VZ_START_WAIT_MAX,
};

const char *vz_start_wait_to_string(enum vz_start_wait w);
int vz_start_wait_from_string(const char *s);
