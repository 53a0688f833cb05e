/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.h: the lifecycle operations behind the commands: create,
 * destroy, start (spawn the monitor and wait for it to report), stop.
 * Each takes the locks it needs (lock.h) and leaves every container and file
 * as it was when it fails. Runs in commands.
 */
#pragma once

#include <sys/types.h>

#include "err.h"
#include "paths.h"

struct vz_create_opts {
	const char *template;
	char **template_args;
	char **settings;      /* "key=value" (-c) */
	const char *backend;  /* storage backend, NULL for the default (overlay) */
	const char *password; /* root's password, NULL: locked */
	bool refresh;         /* rebuild the template cache first */
};

/* Cache (built if needed), directory, config, storage and the template's
 * per-container step; nothing is left when it fails. */
int vz_container_create(const struct vz_global *g, const char *name,
			const struct vz_create_opts *o, vz_err *err);

/* Copy stopped container src to a new container dst: its config (new id
 * range, hostname dst's), its own storage layer (moved into the new range)
 * and the template's per-container step (new machine id, ssh host keys made
 * at first boot; passwords kept). */
int vz_container_clone(const struct vz_global *g, const char *src, const char *dst,
		       vz_err *err);

/* force: stop a running container first (killing it). */
/* vz set: change limits.* keys (settings "KEY=VALUE"): of the running
 * container's cgroup (all or none), and with save in its config too;
 * a stopped container only with save. The whole config is checked first. */
int vz_container_set(const struct vz_global *g, const char *name, char **settings, bool save,
		     vz_err *err);

/* vz freeze / vz unfreeze: RUNNING -> FROZEN (every process of the
 * container frozen by its cgroup's freezer) and back, through the monitor. */
int vz_container_freeze(const struct vz_global *g, const char *name, bool freeze, vz_err *err);

int vz_container_destroy(const struct vz_global *g, const char *name, bool force, vz_err *err);

struct vz_start_opts {
	bool foreground;       /* exec the monitor in this process (never returns on success) */
	bool no_wait;          /* return once init runs, even when start.wait says "ready" */
	const char *log_level; /* passed to the monitor, may be NULL */
};

/* Returns when the container is started: init has been executed and, when
 * start.wait asks for it, has reported ready (unless no_wait); *ret_pid is
 * init's host pid. A start that fails, or whose init exits or does not
 * report ready within start.timeout, has been undone when this returns. */
int vz_container_start(const struct vz_global *g, const char *name,
		       const struct vz_start_opts *o, pid_t *ret_pid, vz_err *err);

struct vz_stop_opts {
	int64_t timeout_ms; /* < 0: the container's stop_timeout */
	bool kill;
};

/* 0 = stopped; 1 = it was not running but a dead monitor's leftovers were
 * cleaned up; -ENOTCONN = not running. */
int vz_container_stop(const struct vz_global *g, const char *name, const struct vz_stop_opts *o,
		      vz_err *err);
