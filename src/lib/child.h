/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * child.h: the container child, from clone3 to execve(init). It runs in the
 * new namespaces, as a copy of the monitor, and reports each failure as a
 * vz_err over the sync socket (sync.h) before exiting.
 */
#pragma once

#include "start.h"

_noreturn_ void vz_child_main(const struct vz_run *run, int sync_fd);
