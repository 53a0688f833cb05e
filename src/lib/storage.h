/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage.h: where a container's root filesystem lives on disk, behind a
 * small backend interface (doc/storage.md). Every backend starts from a
 * template cache entry <cache>/TEMPLATE/RELEASE (owned by uid 0 on disk):
 *
 *   overlay  (default) the cache is the shared read-only lower layer, seen
 *            through an idmapped mount; lib/NAME/delta is the container's
 *            upper layer, owned by its own host ids. Creation copies nothing.
 *   dir      lib/NAME/root is a full copy of the cache, shifted into the
 *            container's id range; the cache is not used after creation.
 *
 * Later backends (loop image, btrfs subvolume, project quota) add a value to
 * enum vz_backend and their cases here. Runs in commands (create, clone) and,
 * for the mount, in the container child (rootfs.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "paths.h"

enum vz_backend {
	VZ_BACKEND_OVERLAY,
	VZ_BACKEND_DIR,
	_VZ_BACKEND_MAX,
};

/* "overlay", "dir"; NULL if out of range. */
const char *vz_backend_to_string(enum vz_backend b);
/* -EINVAL if unknown. */
int vz_backend_from_string(const char *s);
/* True if containers of this backend read the cache entry for as long as they
 * exist (it must not be removed under them). */
bool vz_backend_uses_cache(enum vz_backend b);

/* The container's on-disk layer and the id range its files belong to. */
struct vz_storage {
	enum vz_backend backend;
	char *lower; /* absolute cache entry */
	char *delta; /* overlay: lib/NAME/delta */
	char *work;  /* overlay: lib/NAME/work */
	char *root;  /* dir: lib/NAME/root */
	char *mnt;   /* lib/NAME/rootfs: mount point */
	uint32_t uid, gid, count; /* host ids of the container's 0..count-1 */
	bool privileged;          /* ids are the host's own: nothing is shifted */
};

struct vz_spec;
int vz_storage_init(struct vz_storage *st, const struct vz_global *g, const struct vz_spec *spec);
void vz_storage_done(struct vz_storage *st);

/* vz create: make the container's layer (lib/NAME exists): overlay makes
 * delta and work owned by the container's root; dir copies the cache. */
int vz_storage_create(const struct vz_storage *st, vz_err *err);

/* The directory the template's --configure step works on, and what must be
 * mounted there first (overlay: the overlay, in the step's own private mount
 * namespace; dir: nothing). *ret_opts is NULL when nothing is mounted. */
int vz_storage_configure_view(const struct vz_storage *st, char **ret_dir, char **ret_opts,
			      vz_err *err);

/* After the --configure step ran as host root: files it made (owned by host
 * ids below count) move into the container's range; the overlay's workdir is
 * made afresh for the container's root. */
int vz_storage_adopt_new_files(const struct vz_storage *st, vz_err *err);

/* vz clone: copy src's layer into dst's (same backend; dst's directory
 * exists, its layer does not), moving the ids from src's range to dst's. */
int vz_storage_copy(const struct vz_storage *src, const struct vz_storage *dst, vz_err *err);

/* vz clone: in the copy's tree, as seen by the container (never following
 * a symlink out of it: the tree is a tenant's): /etc/hostname = new_host,
 * old_host replaced in /etc/hosts, a new /etc/machine-id (if it had one),
 * /etc/ssh/ssh_host_* removed (made again at first boot). Run in a child
 * with its own mount namespace; the files belong to the copy's root. */
int vz_storage_reset_identity(const struct vz_storage *st, const char *old_host,
			      const char *new_host, vz_err *err);

/* chown every inode under dir (not crossing mounts, not following symlinks)
 * whose uid is in [from_uid, from_uid + count) to to_uid + (uid - from_uid),
 * and the same for gids; setuid/setgid bits and file capabilities are kept
 * (the rootid of namespaced v3 capabilities moves too), and the ids named
 * in POSIX ACLs move with the range.
 * Returns the number of inodes changed. */
int64_t vz_shift_tree(const char *dir, uint32_t from_uid, uint32_t from_gid, uint32_t to_uid,
		      uint32_t to_gid, uint32_t count, vz_err *err);
