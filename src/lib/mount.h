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

/* proc, sysfs (read-only), and masks over /proc entries that reveal or
 * control the host. stage is the child's private staging tmpfs (rootfs.c),
 * where the masks' empty file is kept until pivot drops it. */
int mount_api_fs_in_child(const char *root, const char *stage, bool privileged, vz_err *err);
