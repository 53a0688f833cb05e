/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idmap.h: subordinate id ranges (/etc/subuid, /etc/subgid) and allocation of
 * a disjoint range per container. Runs in `vz create` under the global lock;
 * the allocation itself is a pure function so it is unit-tested without root.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "spec.h"

struct vz_subid_range {
	uint32_t start;
	uint32_t count;
};

/* Read the ranges of `user` (matched by name, or by its numeric uid given as
 * uid >= 0) from a subuid/subgid file. Lines are "name:start:count"; comments
 * (#) and blank lines are skipped; a malformed line is an error naming
 * file:line. No ranges for the user: 0 ranges, not an error. */
int vz_subid_read(const char *path, const char *user, long uid, struct vz_subid_range **ret,
		  size_t *n, vz_err *err);

/* Choose a range of `size` ids for uids and for gids, each inside one of
 * the given subordinate ranges and disjoint from every range in `used`
 * (used[i].uid/gid .. +count). Prefers the lowest free block of `size` ids
 * (blocks are counted from the start of each subordinate range) and the
 * same number for uid and gid when possible.
 * -ENOSPC with "no subordinate ids left: ..." when nothing fits. */
int vz_idmap_allocate(const struct vz_subid_range *uids, size_t nuids,
		      const struct vz_subid_range *gids, size_t ngids, const struct vz_idmap *used,
		      size_t nused, uint32_t size, struct vz_idmap *ret, vz_err *err);
