/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rootfs.h: the container's root filesystem: an overlay whose lower layer is
 * the template cache (shared, read-only, owned by uid 0 on disk and never
 * chowned) and whose upper layer is lib/NAME/delta. For an unprivileged
 * container the monitor makes a detached idmapped mount of the cache for
 * the child's user namespace (mount_setattr MOUNT_ATTR_IDMAP needs host
 * privilege) and passes its fd; the child attaches it on a private tmpfs and
 * mounts the overlay from inside its user namespace, so files it creates land
 * in the delta with the container's own host uids. Nothing is mounted in the
 * host's mount namespace.
 */
#pragma once

#include <sys/types.h>

#include "err.h"

struct vz_rootfs {
	const char *dir;   /* storage backend "dir": the whole tree (lower, delta, work unused) */
	const char *lower; /* absolute template cache directory */
	const char *delta; /* overlay upper */
	const char *work;  /* overlay workdir */
	const char *mnt;   /* lib/NAME/rootfs: where the child stages its mounts */
};

/* Monitor: detached idmapped clone of rf->lower for the user namespace of
 * pid. */
int rootfs_idmap_lower(const struct vz_rootfs *rf, pid_t pid, int *ret_fd, vz_err *err);
/* Child: mount the overlay (or bind the "dir" tree); lower_fd is the idmapped lower (-EBADF for a
 * privileged container, which uses rf->lower directly). *ret_root is the
 * overlay's mount point. */
int rootfs_mount_in_child(const struct vz_rootfs *rf, int lower_fd, char **ret_root,
			  vz_err *err);
/* Child: make root the new "/" and drop the old root. */
int rootfs_pivot_in_child(const char *root, vz_err *err);
