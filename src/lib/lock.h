/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lock.h: command locks. Two commands on the same container never run at
 * once: each takes an flock on the container's directory lib/NAME (released
 * when the command exits, or when its fd is closed). Creating and destroying
 * containers also takes the global lock lib/.lock, which serialises name
 * creation and id-range allocation. Runs in commands only; fds are O_CLOEXEC
 * so a spawned monitor never inherits a command's lock.
 */
#pragma once

#include "err.h"
#include "paths.h"

#define VZ_LOCK_TIMEOUT_MS (120 * 1000)

/* Wait up to timeout_ms; -EBUSY "another vz command is working on ..." after
 * that. *ret_fd holds the lock. */
int vz_lock_global(const struct vz_global *g, unsigned timeout_ms, int *ret_fd, vz_err *err);
/* -ENOENT "container 'x' does not exist" if it does not (or was removed while
 * we waited). */
int vz_lock_container(const struct vz_global *g, const char *name, unsigned timeout_ms,
		      int *ret_fd, vz_err *err);
