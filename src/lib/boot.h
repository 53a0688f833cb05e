/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot.h: what the monitor decides about an init before it executes it:
 * whether it is systemd (which picks the halt signal and, with start.wait
 * "auto", whether `vz start` waits for READY=1), and whether the host can
 * take one more systemd: its fs.inotify.max_user_instances, which every
 * container's instances charge to host root (doc/host-limits.md). Runs in
 * the monitor, between the READY and EXEC steps of the start.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "paths.h"

/* Is the executable that `path` names in the container of `pid` (resolved
 * in its root, symlinks followed there) systemd? False when it cannot be
 * resolved: the execve that follows then says why. */
bool vz_boot_init_is_systemd(pid_t pid, const char *path);

/* Fail, naming the limit, its value, the need and the fix, when
 * fs.inotify.max_user_instances is below (running containers, this one
 * included) x host.inotify_instances_per_container. */
int vz_boot_check_inotify(const struct vz_global *g, vz_err *err);
