/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount.h: mount helpers with error messages that name both ends, and the
 * container's standard filesystems (/proc, read-only /sys, masked entries).
 * The *_in_child functions run in the container child, in its own mount
 * namespace, before pivot_root, with `root` the future root directory.
 */
#pragma once

#include "err.h"

int mount_fs(const char *src, const char *target, const char *type, unsigned long flags,
	     const char *data, vz_err *err);
/* Bind src on target (created as an empty file or dir to match src if
 * missing); read-only if asked. */
int bind_mount(const char *src, const char *target, bool readonly, vz_err *err);

/* root/NAME must be a real directory (not a symlink planted in the rootfs);
 * created (0755) if missing. Returns the malloc'ed full path in *ret. */
int child_dir_in_root(const char *root, const char *name, char **ret, vz_err *err);

/* proc, sysfs (read-only), masks over /proc entries that reveal or control
 * the host, /proc/sys read-only but for /proc/sys/net. stage is the child's
 * private staging tmpfs (rootfs.c), where the masks' empty file is kept
 * until pivot drops it. */
int mount_api_fs_in_child(const char *root, const char *stage, vz_err *err);

/* The options of the container's /run tmpfs: a ceiling of 10% of the
 * host's RAM (its pages are charged to the container's memory cgroup, so
 * limits.memory bounds it further) and 100k inodes (a booted Debian keeps
 * about a hundred files there). doc/ARCHITECTURE.md, "systemd's container
 * interface". */
#define VZ_RUN_TMPFS_OPTS "mode=0755,size=10%,nr_inodes=100k"

/* A tmpfs on /run (systemd leaves a /run that is already a mount point
 * alone; busybox's rcS only mkdirs it), with /run/systemd/container and
 * /run/host/container-manager saying "vz". *ret_host_dir gets the path of
 * /run/host as the child sees it now, where the notify socket goes. */
int mount_run_in_child(const char *root, char **ret_host_dir, vz_err *err);
