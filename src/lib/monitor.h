/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * monitor.h: the per-container monitor (vz-monitor NAME). It is the parent of
 * the container's init for the container's whole life: it holds the runtime
 * lock, the console pty, the cgroups and the control socket, reaps init,
 * restarts the container after a reboot inside it, and on stop cleans up
 * everything before it answers and exits.
 */
#pragma once

#include "err.h"
#include "paths.h"
#include "spec.h"

struct vz_monitor_opts {
	int status_fd;   /* to `vz start`: READY or ERROR (proto.h); -EBADF if none */
	bool foreground; /* vz start -F: console on stdout, stdin to the console */
	bool no_wait;    /* vz start --no-wait: READY once init runs, readiness or not */
};

/* Returns the process exit status for the monitor: 0 after a clean stop, 1
 * when the start failed (err filled; already sent on status_fd). */
int vz_monitor_run(const struct vz_global *g, const struct vz_spec *spec,
		   const struct vz_monitor_opts *opts, vz_err *err);
