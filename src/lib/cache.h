/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.h: the template cache as a whole: which entries <cache>/TEMPLATE/
 * RELEASE exist, which containers use each (an overlay container reads its
 * entry for as long as it exists), and removing an entry nobody uses. An
 * entry in use is never removed. Runs in commands.
 *
 * Locking: `vz create` and `vz clone` hold a shared flock on
 * <cache>/TEMPLATE/.use from the moment they pick an entry until they
 * return (by then the new container's config names it); removal holds it exclusively while it checks
 * the users and takes the entry away, so it never removes an entry a create
 * in flight is about to use.
 */
#pragma once

#include <stddef.h>

#include "err.h"
#include "paths.h"

struct vz_cache_entry {
	char *name;   /* "TEMPLATE/RELEASE" */
	char *path;   /* absolute */
	char **users; /* containers whose rootfs.lower is this entry, sorted */
};

void vz_cache_entries_free(struct vz_cache_entry *a, size_t n);

/* Every finished entry (builds in progress are not listed), sorted. */
int vz_cache_list(const struct vz_global *g, struct vz_cache_entry **ret, size_t *n,
		  vz_err *err);

/* Containers that use entry "TEMPLATE/RELEASE" (NULL-terminated, sorted). */
int vz_cache_users(const struct vz_global *g, const char *entry, char ***ret, vz_err *err);

/* Remove entry "TEMPLATE/RELEASE". -ENOENT if there is no such entry,
 * -EBUSY "... is used by N containers (a, b, ...)" if any container uses it. */
int vz_cache_remove(const struct vz_global *g, const char *entry, vz_err *err);

/* Shared lock on TEMPLATE's .use file (see above); *ret_fd holds it. */
int vz_cache_lock_use(const struct vz_global *g, const char *template, int *ret_fd, vz_err *err);
