/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.h: the container's minimal /dev: a tmpfs with null, zero, full,
 * random, urandom and tty (bound from the host in a user namespace, which
 * cannot mknod; created with mknod in a privileged container, so that nothing
 * of the host's devtmpfs is mounted there for it to remount), a private
 * devpts instance with /dev/ptmx, /dev/console bound to the console pty made
 * in that instance (its master is returned for the monitor), shm and mqueue.
 * Runs in the container child before pivot_root.
 */
#pragma once

#include "err.h"

#include <stdbool.h>

int dev_setup_in_child(const char *root, bool privileged, int *console_master, vz_err *err);
