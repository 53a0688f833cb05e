/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idmap.c: reading /etc/subuid and /etc/subgid and choosing a disjoint id
 * range for a new container (see idmap.h).
 */
#include <stdio.h>

#include "idmap.h"
#include "parse-util.h"

int vz_subid_read(const char *path, const char *user, long uid, struct vz_subid_range **ret,
		  size_t *n, vz_err *err)
{
	*ret = NULL;
	*n = 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : vz_fail(err, errno, "open '%s'", path);
	char uidbuf[24] = "";
	if (uid >= 0)
		snprintf(uidbuf, sizeof(uidbuf), "%ld", uid);
	char *line = NULL;
	size_t cap = 0;
	int r = 0;
	unsigned lineno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		char *c1 = strchr(p, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || strchr(c2 + 1, ':')) {
			r = vz_failx(err, EINVAL, "%s:%u: malformed line (expected name:start:count)",
				     path, lineno);
			break;
		}
		*c1 = *c2 = 0;
		uint32_t start, count;
		if (parse_u32(c1 + 1, &start) < 0 || parse_u32(c2 + 1, &count) < 0 ||
		    (uint64_t)start + count > UINT32_MAX) {
			r = vz_failx(err, EINVAL, "%s:%u: bad start or count", path, lineno);
			break;
		}
		if (!streq(p, user) && !(uidbuf[0] && streq(p, uidbuf)))
			continue;
		if (count == 0)
			continue;
		struct vz_subid_range *nr = realloc(*ret, (*n + 1) * sizeof(**ret));
		if (!nr) {
			r = -ENOMEM;
			break;
		}
		*ret = nr;
		nr[(*n)++] = (struct vz_subid_range){ start, count };
	}
	free(line);
	fclose(f);
	if (r < 0) {
		free(*ret);
		*ret = NULL;
		*n = 0;
	}
	return r;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Is [start, start+size) free of every used range (uid or gid side)? If not,
 * *next is the first candidate past the conflicting range. */
static bool block_free(uint64_t start, uint32_t size, const struct vz_idmap *used, size_t nused,
		       bool gid, uint64_t *next)
{
	for (size_t i = 0; i < nused; i++) {
		uint64_t b = gid ? used[i].gid : used[i].uid;
		if (overlaps(start, size, b, used[i].count)) {
			*next = b + used[i].count;
			return false;
		}
	}
	return true;
}

/* The first block boundary (counted from the range's start) at or after v. */
static uint64_t align_up(uint64_t v, uint64_t base, uint32_t a)
{
	if (v <= base)
		return base;
	return base + (v - base + a - 1) / a * a;
}

/* The lowest aligned free block at or after `from`, in any range; UINT64_MAX if none. */
static uint64_t find_block(const struct vz_subid_range *r, size_t nr, const struct vz_idmap *used,
			   size_t nused, uint32_t size, bool gid, uint64_t from)
{
	uint64_t best = UINT64_MAX;
	for (size_t i = 0; i < nr; i++) {
		uint64_t end = (uint64_t)r[i].start + r[i].count;
		uint64_t s = align_up(from, r[i].start, size);
		while (s + size <= end) {
			uint64_t next;
			if (block_free(s, size, used, nused, gid, &next)) {
				if (s < best)
					best = s;
				break;
			}
			s = align_up(MAX(next, s + 1), r[i].start, size);
		}
	}
	return best;
}

static bool fits(const struct vz_subid_range *r, size_t nr, uint64_t start, uint32_t size)
{
	for (size_t i = 0; i < nr; i++)
		if (start >= r[i].start && start + size <= (uint64_t)r[i].start + r[i].count)
			return true;
	return false;
}

int vz_idmap_allocate(const struct vz_subid_range *uids, size_t nuids,
		      const struct vz_subid_range *gids, size_t ngids, const struct vz_idmap *used,
		      size_t nused, uint32_t size, struct vz_idmap *ret, vz_err *err)
{
	if (size == 0)
		return vz_failx(err, EINVAL, "id range size must be at least 1");
	uint64_t u = find_block(uids, nuids, used, nused, size, false, 0);
	if (u == UINT64_MAX)
		return vz_failx(err, ENOSPC,
				"no subordinate ids left: no free block of %u uids (%zu containers "
				"use ranges already)",
				size, nused);
	uint64_t g = find_block(gids, ngids, used, nused, size, true, 0);
	if (g == UINT64_MAX)
		return vz_failx(err, ENOSPC,
				"no subordinate ids left: no free block of %u gids (%zu containers "
				"use ranges already)",
				size, nused);
	/* Same number on both sides when the other side has it free: easier
	 * to read in ls -n on the host. */
	if (u != g) {
		uint64_t next;
		uint64_t hi = MAX(u, g);
		if (fits(uids, nuids, hi, size) && fits(gids, ngids, hi, size) &&
		    block_free(hi, size, used, nused, false, &next) &&
		    block_free(hi, size, used, nused, true, &next))
			u = g = hi;
	}
	*ret = (struct vz_idmap){ .uid = (uint32_t)u, .gid = (uint32_t)g, .count = size };
	return 0;
}
