/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * start.h: the start pipeline, monitor side. struct vz_run is what the
 * monitor knows about the running container; vz_run_prepare() sets up what
 * lives as long as the monitor (console, cgroups, limits), vz_run_boot()
 * clones the container child and drives it through the sync steps (sync.h)
 * to the execve of init, and is called again after a reboot inside. Every
 * step checks VZ_FAIL_STEP (enums.h) so tests can fail each one on purpose.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "console.h"
#include "enums.h"
#include "err.h"
#include "lxcfs.h"
#include "paths.h"
#include "rootfs.h"
#include "spec.h"

struct vz_run {
	const struct vz_global *g;
	const struct vz_spec *spec;

	char *lower;  /* absolute template cache directory */
	char *delta;
	char *work;
	char *mnt;
	char *rootdir; /* storage backend "dir": lib/NAME/root, else NULL */
	struct vz_rootfs rootfs;

	struct vz_cgroup_layout *layout;
	struct vz_cgroup *cg;
	bool cgroup_created;
	struct vz_cgroup_join join; /* open while a boot clones; the child joins */
	struct vz_console console;
	struct vz_lxcfs lxcfs; /* the container's lxcfs, pid 0 when it has none */

	int fail_step; /* enum vz_start_step to fail on purpose, or -1 */

	/* the current init */
	pid_t init_pid;
	int init_pidfd;
	uint64_t init_start; /* /proc/PID/stat starttime */
	int halt_signal;     /* halt_signal, or picked from the init that runs */
	bool wait_ready;     /* this init is started once it sends READY=1 (start.wait) */
	int notify_fd;       /* its notify socket (notify.h), -EBADF before the first boot */
	int netns_fd;        /* its network namespace while it has macvlans (net.h), or -EBADF */
};

int vz_run_init(struct vz_run *run, const struct vz_global *g, const struct vz_spec *spec,
		vz_err *err);
/* Console, cgroups and limits, lxcfs. */
int vz_run_prepare(struct vz_run *run, vz_err *err);
/* Clone and set up the container, exec init. On failure nothing of this
 * boot is left (the child is killed and reaped). */
int vz_run_boot(struct vz_run *run, vz_err *err);
/* Undo vz_run_prepare: kill anything left in the cgroups and remove them,
 * stop lxcfs, close the console. */
int vz_run_teardown(struct vz_run *run, vz_err *err);
void vz_run_done(struct vz_run *run);

/* The failure injection check used by every step (monitor and child). */
int vz_run_step(const struct vz_run *run, enum vz_start_step step, vz_err *err);

/* The starttime of pid (field 22 of /proc/PID/stat), 0 if unknown. */
uint64_t vz_proc_starttime(pid_t pid);
