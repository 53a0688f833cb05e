/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime.h: run/NAME, the monitor's directory. The monitor holds an
 * exclusive flock on it for its whole life, so anyone can tell without
 * talking to it whether it is alive: a run dir whose lock is free belongs to
 * a monitor that died (SIGKILL, OOM) and is "stale". Used by the monitor
 * (acquire) and by commands (status, cleanup of stale leftovers).
 */
#pragma once

#include "enums.h"
#include "err.h"
#include "paths.h"
#include "state.h"

struct vz_status {
	enum vz_run_state state; /* STOPPED when no monitor is alive */
	bool stale;              /* a dead monitor left run/NAME (and maybe cgroups) behind */
	bool have_state;         /* st is valid (monitor alive and state file read) */
	struct vz_state st;
};

/* Monitor side: create run/NAME (0700) and lock it; -EBUSY "already running"
 * when another monitor holds it. *ret_fd keeps the lock (O_CLOEXEC). */
int vz_runtime_acquire(const struct vz_global *g, const char *name, int *ret_fd, vz_err *err);
/* Monitor side: remove run/NAME and its files (the lock fd stays valid). */
void vz_runtime_release(const struct vz_global *g, const char *name);

/* Commands: what state is the container in, without talking to the monitor. */
int vz_runtime_status(const struct vz_global *g, const char *name, struct vz_status *ret);

/* How many containers have a live monitor (run dirs whose lock is held);
 * a monitor counts its own. */
int vz_runtime_count_running(const struct vz_global *g);

/* Commands, under the container lock: remove what a dead monitor left (its
 * run dir, and the container's cgroups after killing anything still in them). */
int vz_runtime_cleanup_stale(const struct vz_global *g, const char *name, vz_err *err);
