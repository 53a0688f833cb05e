/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lxcfs.h: what the tenant sees in /proc and /sys (doc/tenant-view.md).
 * Each container has its own lxcfs, a child of its monitor (so in the
 * monitor's cgroup, never the container's), mounted at run/NAME/lxcfs in
 * the host's mount namespace before the container child is cloned. The
 * child binds its files over /proc/meminfo, /proc/cpuinfo, ... and
 * /sys/devices/system/cpu/online. When lxcfs dies, the monitor starts it
 * again and replaces the binds inside the running container; after too
 * many crashes it gives up and leaves the host's view. Runs in the monitor,
 * except vz_lxcfs_bind_in_child (container child).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "paths.h"
#include "spec.h"

/* Restarts allowed within VZ_LXCFS_CRASH_WINDOW_MS before the monitor gives
 * up on lxcfs for the rest of the container's life. */
#define VZ_LXCFS_MAX_RESTARTS 5
#define VZ_LXCFS_CRASH_WINDOW_MS 60000u
/* How long a starting lxcfs may take to mount (it takes ~30 ms). */
#define VZ_LXCFS_MOUNT_TIMEOUT_MS 5000u
/* The files bound into the container (lxcfs.c). */
#define VZ_LXCFS_NFILES 8

struct vz_lxcfs {
	char *bin;       /* helpers.lxcfs */
	char *mnt;       /* run/NAME/lxcfs */
	char *pidfile;   /* run/NAME/lxcfs.pid */
	char *log;       /* log/NAME/lxcfs.log */
	char *v2_root;   /* pure cgroup v2: the cgroup2 mount, where lxcfs is born (lxcfs.c) */
	char *v2_procs;  /* ... and the monitor's cgroup.procs, where it goes before exec */
	pid_t pid;       /* the running lxcfs, 0 when there is none */
	bool mounted;    /* mnt may hold a FUSE mount of ours (live or dead) */
	bool given_up;   /* too many crashes: the container keeps the host view */
	unsigned restarts;       /* restarts in the current window */
	uint64_t window_start_ms; /* CLOCK_MONOTONIC */
};

#define VZ_LXCFS_INIT { .pid = 0 }

/* Paths; nothing is started. */
int vz_lxcfs_init(struct vz_lxcfs *l, const struct vz_global *g, const char *name);
void vz_lxcfs_done(struct vz_lxcfs *l);

/* Start lxcfs for spec if its "lxcfs" key asks for it and the host can:
 * returns 1 once the FUSE mount is up, 0 when the container goes without
 * (lxcfs = false, or auto and lxcfs or /dev/fuse missing; logged), or
 * -errno with err (lxcfs = true and missing, lxcfs failed to mount).
 * unified: the host has cgroup v2 only (see lxcfs.c, spawn). */
int vz_lxcfs_start(struct vz_lxcfs *l, const struct vz_spec *spec, bool unified, vz_err *err);
/* Kill and reap lxcfs, detach its mount, remove its files. Idempotent. */
void vz_lxcfs_stop(struct vz_lxcfs *l);

/* Is pid our lxcfs (just reaped by the monitor with status)? If so, start
 * it again and put its files back into the container whose init is
 * init_pid (0: none running now), or give up after too many crashes,
 * leaving the host's view there. Never fails the container. */
bool vz_lxcfs_reaped(struct vz_lxcfs *l, pid_t pid, int status, pid_t init_pid);

/* Container child, before it drops host root's rights to the run dir
 * (become_root): O_PATH fds of the files of the lxcfs mounted at mnt, -1
 * for those it does not offer. Then, once /proc and /sys are mounted under
 * root: bind each over its /proc or /sys counterpart (closing the fds).
 * A file that fails is an error when required (lxcfs = true), otherwise
 * logged and left to the kernel's. */
int vz_lxcfs_open_in_child(const char *mnt, bool required, int fds[VZ_LXCFS_NFILES],
			   vz_err *err);
int vz_lxcfs_bind_in_child(int fds[VZ_LXCFS_NFILES], bool required, const char *root,
			   vz_err *err);

/* Remove what a monitor that died left of its lxcfs at run/NAME/lxcfs
 * (the mount). Used before the run dir is removed. */
void vz_lxcfs_detach_leftover(const struct vz_global *g, const char *name);
