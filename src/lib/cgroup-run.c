/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-run.c: what acts on the cgroup of a running container (see
 * cgroup.h): joining it without a migration (vz attach), freezing and
 * thawing it (vz freeze), and reading its counters (vz ls, info, top).
 * cgroup.c owns the layout, the path rule, creation, limits and removal.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>

#include "cgroup-internal.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"

/* ------------------------------------------------------------ join */

void vz_cgroup_join_close(struct vz_cgroup_join *j)
{
	for (size_t i = 0; i < j->n; i++)
		safe_close(j->tasks[i]);
	free(j->tasks);
	free(j->where);
	safe_close(j->unified);
	*j = (struct vz_cgroup_join){ .unified = -EBADF };
}

int vz_cgroup_join_open(struct vz_cgroup *cg, struct vz_cgroup_join *j, vz_err *err)
{
	const struct vz_cgroup_layout *l = cg->layout;
	*j = (struct vz_cgroup_join){ .unified = -EBADF };
	j->tasks = calloc(l->n + 1, sizeof(*j->tasks));
	j->where = calloc(l->n + 1, sizeof(*j->where));
	if (!j->tasks || !j->where) {
		vz_cgroup_join_close(j);
		return vz_failx(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct vz_cg_hier *h = &l->hier[i];
		char leaf[PATH_MAX], path[PATH_MAX + 8];
		int r = vz_cg_leaf_path(cg, h, leaf, sizeof(leaf));
		if (r < 0) {
			vz_cgroup_join_close(j);
			return vz_cg_unsafe(cg, r, err);
		}
		bool v2 = (int)i == l->unified;
		snprintf(path, sizeof(path), "%s%s", leaf, v2 ? "" : "/tasks");
		int fd = open(path, v2 ? O_PATH | O_DIRECTORY | O_CLOEXEC : O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			r = vz_fail(err, errno, "open %s", path);
			vz_cgroup_join_close(j);
			return r;
		}
		if (v2) {
			j->unified = fd;
		} else {
			j->where[j->n] = h->mount;
			j->tasks[j->n++] = fd;
		}
	}
	return 0;
}

int vz_cgroup_join_use_pid(struct vz_cgroup *cg, struct vz_cgroup_join *j, pid_t pid,
			   vz_err *err)
{
	const struct vz_cgroup_layout *l = cg->layout;
	if (l->unified < 0)
		return vz_failx(err, EINVAL, "no cgroup v2 hierarchy");
	char file[64], leaf[PATH_MAX], own[PATH_MAX + 8];
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *s = NULL;
	int r = read_file(file, &s, NULL);
	if (r < 0)
		return vz_fail(err, r, "read %s", file);
	const char *p = startswith(s, "0::") ? s + 3 : strstr(s, "\n0::");
	if (!p)
		return vz_failx(err, ENOENT, "%s has no cgroup v2 line", file);
	if (p != s + 3)
		p += 4;
	size_t len = strcspn(p, "\n");
	/* p is absolute in the host's hierarchy; its part below
	 * "/PARENT/NAME" is the container's own (cgroup names are never "."
	 * or "..", and there are no links in a cgroup filesystem). */
	snprintf(own, sizeof(own), "/%s/%s", cg->parent, cg->name);
	size_t olen = strlen(own);
	const char *at = NULL;
	for (const char *q = p; (q = strstr(q, own)) && q + olen <= p + len; q++)
		if (q[olen] == '/' || q + olen == p + len) {
			at = q;
			break;
		}
	if (!at)
		return vz_failx(err, EBUSY, "the container's init is not in its cgroup");
	r = vz_cg_leaf_path(cg, &l->hier[l->unified], leaf, sizeof(leaf));
	if (r < 0)
		return vz_cg_unsafe(cg, r, err);
	size_t tail = (size_t)(p + len - (at + olen));
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s%.*s", leaf, (int)tail, at + olen);
	if (n < 0 || (size_t)n >= sizeof(path))
		return vz_failx(err, ENAMETOOLONG, "the cgroup of the container's init");
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return vz_fail(err, errno, "open %s", path);
	log_debug("cgroup: joining %s, the cgroup of the container's init", path);
	safe_close(j->unified);
	j->unified = fd;
	return 0;
}

int vz_cgroup_join_self(const struct vz_cgroup_join *j, vz_err *err)
{
	for (size_t i = 0; i < j->n; i++)
		if (write(j->tasks[i], "0", 1) != 1)
			return vz_fail(err, errno, "join the container's cgroup under %s", j->where[i]);
	return 0;
}

/* ------------------------------------------------------------ freeze */

static int freezer_leaf(struct vz_cgroup *cg, const struct vz_cg_hier **ret_h, char *leaf,
			size_t size, vz_err *err)
{
	int f = cg->layout->by_ctrl[VZ_CG_FREEZER];
	if (f < 0 || !cg->layout->hier[f].ops->freeze)
		return vz_failx(err, ENOTSUP,
				"this host has no freezer cgroup controller (v1 freezer or "
				"cgroup v2's cgroup.freeze)");
	*ret_h = &cg->layout->hier[f];
	int r = vz_cg_leaf_path(cg, *ret_h, leaf, size);
	return r < 0 ? vz_cg_unsafe(cg, r, err) : 0;
}

int vz_cgroup_freeze(struct vz_cgroup *cg, unsigned timeout_ms, vz_err *err)
{
	const struct vz_cg_hier *h;
	char leaf[PATH_MAX];
	int r = freezer_leaf(cg, &h, leaf, sizeof(leaf), err);
	if (r < 0)
		return r;
	r = h->ops->freeze(leaf);
	if (r < 0)
		return vz_fail(err, r, "freeze %s", leaf);
	uint64_t deadline = vz_cg_now_ms() + timeout_ms;
	unsigned delay_ms = 1;
	while ((r = h->ops->frozen(leaf)) == 0 && vz_cg_now_ms() < deadline) {
		struct timespec ts = { 0, (long)delay_ms * 1000000 };
		nanosleep(&ts, NULL);
		delay_ms = MIN(delay_ms * 2, 20u);
	}
	if (r > 0)
		return 0;
	h->ops->thaw(leaf);
	if (r < 0)
		return vz_fail(err, r, "freeze %s", leaf);
	return vz_failx(err, EBUSY,
			"not every process froze within %u ms (one is stuck in the kernel?): "
			"thawed again",
			timeout_ms);
}

int vz_cgroup_thaw(struct vz_cgroup *cg, vz_err *err)
{
	const struct vz_cg_hier *h;
	char leaf[PATH_MAX];
	int r = freezer_leaf(cg, &h, leaf, sizeof(leaf), err);
	if (r < 0)
		return r;
	h->ops->thaw(leaf);
	uint64_t deadline = vz_cg_now_ms() + 1000;
	while ((r = h->ops->frozen(leaf)) > 0 && vz_cg_now_ms() < deadline) {
		struct timespec ts = { 0, 2 * 1000000 };
		nanosleep(&ts, NULL);
	}
	if (r > 0)
		return vz_failx(err, EIO, "%s is still frozen after thawing it", leaf);
	return 0;
}

/* ------------------------------------------------------------ statistics */

static const enum vz_cg_ctrl stat_ctrls[] = { VZ_CG_MEMORY, VZ_CG_CPUACCT, VZ_CG_PIDS };
static const enum vz_cg_ctrl hits_ctrls[] = { VZ_CG_MEMORY, VZ_CG_CPU, VZ_CG_PIDS, VZ_CG_PSI };

/* The leaf's directory in hierarchy k (its path checked by the caller):
 * below its open parent if the caller gave one (vz_cgroup_use_parents),
 * else by its path. */
static int leaf_open(const struct vz_cgroup *cg, int k, const char *leaf)
{
	/* O_PATH: the readers only open files below it (a lighter open). */
	int fd = -1;
	if (cg->parent_fds && cg->parent_fds[k] >= 0)
		fd = openat(cg->parent_fds[k], cg->name,
			    O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fd = open(leaf, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

/* Each controller's reader (ops->stat, or ops->hits if hits) with the leaf
 * of its hierarchy open; consecutive controllers of one hierarchy (all of
 * them on cgroup v2) share one open. A hierarchy that cannot be read is
 * skipped; -ENOENT if the leaf is gone. */
static int read_counters(struct vz_cgroup *cg, const enum vz_cg_ctrl *ctrls, size_t n, bool hits,
			 void *out)
{
	_cleanup_close_ int fd = -EBADF;
	int open_k = -1;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		enum vz_cg_ctrl c = ctrls[i];
		int k = cg->layout->by_ctrl[c];
		const struct vz_cg_ops *ops = k >= 0 ? cg->layout->hier[k].ops : NULL;
		if (!ops || (hits ? !ops->hits[c] : !ops->stat[c]))
			continue;
		if (k != open_k) {
			fd = safe_close(fd);
			open_k = k;
			char leaf[PATH_MAX];
			int r = vz_cg_leaf_path(cg, &cg->layout->hier[k], leaf, sizeof(leaf));
			if (r < 0)
				return r;
			fd = leaf_open(cg, k, leaf);
			if (fd < 0 && errno == ENOENT)
				return -ENOENT;
		}
		if (fd < 0)
			continue;
		if (hits)
			ops->hits[c](fd, out);
		else
			ops->stat[c](fd, out);
		any = true;
	}
	if (!any && !vz_cgroup_exists(cg))
		return -ENOENT;
	return 0;
}

/* A few small reads per container: vz ls calls this for every one. */
int vz_cgroup_stats(struct vz_cgroup *cg, struct vz_cgroup_stats *st)
{
	*st = (struct vz_cgroup_stats){ 0 };
	return read_counters(cg, stat_ctrls, ELEMENTSOF(stat_ctrls), false, st);
}

int vz_cgroup_hits(struct vz_cgroup *cg, struct vz_cgroup_hits *h)
{
	*h = (struct vz_cgroup_hits){ 0 };
	return read_counters(cg, hits_ctrls, ELEMENTSOF(hits_ctrls), true, h);
}

int vz_cgroup_io_stats(struct vz_cgroup *cg, struct vz_cgroup_stats *st)
{
	static const enum vz_cg_ctrl io[] = { VZ_CG_IO };
	st->io_read_bytes = st->io_write_bytes = st->io_read_ios = st->io_write_ios = 0;
	st->have_io = false;
	return read_counters(cg, io, ELEMENTSOF(io), false, st);
}
