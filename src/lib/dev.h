/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.h: the container's minimal /dev: a tmpfs with null, zero, full,
 * random, urandom and tty bound from the host (a user namespace cannot
 * mknod), a private devpts instance with /dev/ptmx, /dev/console bound to the
 * monitor's console pty, shm and mqueue. Runs in the container child before
 * pivot_root.
 */
#pragma once

#include "err.h"

int dev_setup_in_child(const char *root, const char *console_pty, vz_err *err);
