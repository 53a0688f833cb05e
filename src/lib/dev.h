/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.h: the container's minimal /dev: a tmpfs with null, zero, full,
 * random, urandom and tty (bound from the host in a user namespace, which
 * cannot mknod; created with mknod in a privileged container, so that nothing
 * of the host's devtmpfs is mounted there for it to remount), a private
 * devpts instance with /dev/ptmx, /dev/console and /dev/tty1..ttys bound to
 * ptys made in that instance (masters[0..ttys] return their masters for the
 * monitor), shm and mqueue. tty_names gets the devpts names of tty1..ttys,
 * "pts/1 pts/2 ...", for init's $container_ttys (systemd's getty generator
 * starts a getty on each). Each rule of allow ("devices.allow") that names
 * one device the host has a node for adds that node at the host's path
 * (/dev/net/tun): a bind, or in a privileged container a mknod if the rule
 * allows 'm'.
 * Runs in the container child before pivot_root.
 */
#pragma once

#include "err.h"

#include <stdbool.h>

int dev_setup_in_child(const char *root, bool privileged, char *const *allow, unsigned ttys,
		       int *masters, char *tty_names, size_t names_size, vz_err *err);
