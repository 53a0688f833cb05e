/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-v1.c: the cgroup v1 side of one container's cgroup, hierarchy by
 * hierarchy (kernel Documentation/admin-guide/cgroup-v1/): an initialised
 * cpuset at creation, the device allow-list (devices.deny/allow), memory/memsw, CFS bandwidth and
 * shares, pids, statistics, and "populated" by reading cgroup.procs. Called
 * through vz_cg_v1_ops by cgroup.c, in the monitor and in vz ls/info.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cgroup-internal.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"

/* The page counter's "unlimited" reads back as 9223372036854771712 (LONG_MAX
 * rounded down to a page); anything this large is no limit. */
#define V1_UNLIMITED_MIN (UINT64_C(1) << 62)

/* A new cpuset cgroup has empty cpuset.cpus and cpuset.mems, and no process
 * can join it until they are filled: copy them from the parent. Pre-existing
 * components are fixed too if they were left empty (e.g. by a crash). */
static int v1_fill_cpuset(const char *parent, const char *dir, vz_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		char cur[4096], val[4096];
		int r = vz_cg_read(dir, files[i], cur, sizeof(cur));
		if (r < 0)
			return vz_fail(err, r, "read %s/%s", dir, files[i]);
		if (cur[strspn(cur, " \n")])
			continue;
		r = vz_cg_read(parent, files[i], val, sizeof(val));
		if (r < 0)
			return vz_fail(err, r, "read %s/%s", parent, files[i]);
		val[strcspn(val, "\n")] = 0;
		if (!val[0])
			return vz_failx(err, ENOSPC, "%s/%s is empty: nothing to copy to %s",
					parent, files[i], dir);
		r = vz_cg_write(dir, files[i], val, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Everything is denied, then each rule allowed, one line per write. */
static int v1_devices(const char *leaf, const struct vz_dev_rule *rules, size_t n, vz_err *err)
{
	int r = vz_cg_write(leaf, "devices.deny", "a", err);
	for (size_t i = 0; i < n && r >= 0; i++) {
		char buf[32];
		r = vz_cg_write(leaf, "devices.allow", format_dev_rule(&rules[i], buf), err);
	}
	return r;
}

static int v1_init(const struct vz_cg_hier *h, const char *parent, const char *dir, bool leaf,
		   vz_err *err)
{
	if (vz_cg_list_has(h->controllers, "cpuset"))
		return v1_fill_cpuset(parent, dir, err);
	return 0;
}

static void fmt_limit(char *buf, size_t size, uint64_t v)
{
	if (v == UINT64_MAX)
		snprintf(buf, size, "-1");
	else
		snprintf(buf, size, "%" PRIu64, v);
}

/* memory.limit_in_bytes must never exceed memory.memsw.limit_in_bytes, at
 * any moment: when the new memory limit is above the current memsw limit
 * (raising), memsw goes first; otherwise memory goes first. */
static int v1_set_memory(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	uint64_t mem = lim->memory ? lim->memory : UINT64_MAX, memsw = UINT64_MAX, cur = 0;
	bool swap_set = lim->swap != UINT64_MAX;
	if (lim->memory && swap_set && lim->swap <= UINT64_MAX - lim->memory)
		memsw = lim->memory + lim->swap;
	char m[32], s[32], buf[64];
	fmt_limit(m, sizeof(m), mem);
	fmt_limit(s, sizeof(s), memsw);

	/* v1's soft limit: reclaimed down to it first when the host is short
	 * of memory (v2's memory.high also throttles; see doc/cgroups.md). */
	char h[32];
	fmt_limit(h, sizeof(h), lim->memory_high ? lim->memory_high : UINT64_MAX);
	int r = vz_cg_write_key(leaf, "memory.soft_limit_in_bytes", h, lim, VZ_LIM_MEMORY_HIGH,
				err);
	if (r < 0)
		return r;

	r = vz_cg_read(leaf, "memory.memsw.limit_in_bytes", buf, sizeof(buf));
	if (r == -ENOENT) {
		/* no swap accounting (swapaccount=0 or CONFIG_MEMCG_SWAP off) */
		if (swap_set) {
			r = vz_cg_not_enforced(lim, VZ_LIM_SWAP, leaf,
					       "memory.memsw.limit_in_bytes", err);
			if (r < 0)
				return r;
		}
		return vz_cg_write_key(leaf, "memory.limit_in_bytes", m, lim, VZ_LIM_MEMORY, err);
	}
	if (r < 0 || vz_cg_parse_u64(buf, &cur) < 0)
		cur = UINT64_MAX; /* unknown: memory first, as when lowering */
	bool memsw_first = mem > cur;
	if (memsw_first)
		r = vz_cg_write(leaf, "memory.memsw.limit_in_bytes", s, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "memory.limit_in_bytes", m, lim, VZ_LIM_MEMORY, err);
	if (r >= 0 && !memsw_first)
		r = vz_cg_write(leaf, "memory.memsw.limit_in_bytes", s, err);
	return r;
}

/* CFS bandwidth: cpus * period of run time per period; shares are the v2
 * weight (1..10000, default 100) on v1's scale (default 1024, minimum 2). */
static int v1_set_cpu(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	char quota[32] = "-1", period[32], shares[32];
	uint64_t q = vz_cg_cpu_quota_us(lim->cpus);
	if (q)
		snprintf(quota, sizeof(quota), "%" PRIu64, q);
	snprintf(period, sizeof(period), "%d", VZ_CG_CPU_PERIOD_US);
	uint64_t weight = lim->cpu_weight ? lim->cpu_weight : 100;
	snprintf(shares, sizeof(shares), "%" PRIu64, MAX(weight * 1024 / 100, (uint64_t)2));

	int r = vz_cg_write_key(leaf, "cpu.cfs_period_us", period, lim, VZ_LIM_CPUS, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "cpu.cfs_quota_us", quota, lim, VZ_LIM_CPUS, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "cpu.shares", shares, lim, VZ_LIM_CPU_WEIGHT, err);
	return r;
}

int vz_cg_set_pids(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	char v[32] = "max";
	if (lim->pids)
		snprintf(v, sizeof(v), "%" PRIu64, lim->pids);
	return vz_cg_write_key(leaf, "pids.max", v, lim, VZ_LIM_PIDS, err);
}

/* cpuset.cpus and cpuset.mems, the same files on v1 and v2. Unset: the
 * parent's (v1: copied in at creation; v2: empty means inherited). A CPU
 * the host does not give vz is refused by the kernel (EINVAL, or ERANGE
 * beyond the last possible CPU): named with what the host has. */
int vz_cg_set_cpuset(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	static const struct {
		const char *file, *key;
		size_t off;
		enum vz_limit_key lk;
	} f[] = {
		{ "cpuset.cpus", "limits.cpuset", offsetof(struct vz_limits, cpuset), VZ_LIM_CPUSET },
		{ "cpuset.mems", "limits.cpuset_mems", offsetof(struct vz_limits, cpuset_mems),
		  VZ_LIM_CPUSET_MEMS },
	};
	for (size_t i = 0; i < ELEMENTSOF(f); i++) {
		const char *v = *(char *const *)((const char *)lim + f[i].off);
		if (!v)
			continue;
		int r = vz_cg_write_key(leaf, f[i].file, v, lim, f[i].lk, err);
		if (r == -EINVAL || r == -ERANGE) {
			char have[256] = "?";
			char parent[PATH_MAX];
			snprintf(parent, sizeof(parent), "%s/..", leaf);
			if (vz_cg_read(parent, "cpuset.cpus.effective", have, sizeof(have)) < 0)
				(void)vz_cg_read(parent, f[i].file, have, sizeof(have));
			have[strcspn(have, "\n")] = 0;
			if (i == 1 && vz_cg_read(parent, "cpuset.mems.effective", have, sizeof(have)) >= 0)
				have[strcspn(have, "\n")] = 0;
			return vz_failx(err, EINVAL, "%s = \"%s\": not available on this host (%s: %s)",
					f[i].key, v, i == 0 ? "CPUs" : "memory nodes", have);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static void v1_stat_memory(int fd, struct vz_cgroup_stats *st)
{
	uint64_t v = 0;
	if (vz_cg_read_u64_at(fd, "memory.usage_in_bytes", &v))
		st->memory_bytes = v;
	if (vz_cg_read_u64_at(fd, "memory.limit_in_bytes", &v))
		st->memory_limit = v >= V1_UNLIMITED_MIN ? 0 : v;
	/* memsw exists only with swap accounting (swapaccount=1). */
	if (vz_cg_read_u64_at(fd, "memory.memsw.usage_in_bytes", &v)) {
		st->swap_bytes = v > st->memory_bytes ? v - st->memory_bytes : 0;
		st->have_swap = true;
	}
}

static void v1_stat_cpuacct(int fd, struct vz_cgroup_stats *st)
{
	uint64_t v = 0;
	if (vz_cg_read_u64_at(fd, "cpuacct.usage", &v))
		st->cpu_usage_ns = v;
}

void vz_cg_stat_pids(int fd, struct vz_cgroup_stats *st)
{
	uint64_t v = 0;
	if (vz_cg_read_u64_at(fd, "pids.current", &v))
		st->pids = v;
	if (vz_cg_read_u64_at(fd, "pids.max", &v))
		st->pids_limit = v == UINT64_MAX ? 0 : v;
}

/* memory.failcnt counts every charge that met the limit, including those
 * that reclaim then satisfied: a busy cache at its limit counts too. */
static void v1_hits_memory(int fd, struct vz_cgroup_hits *h)
{
	uint64_t v = 0;
	if (vz_cg_read_u64_at(fd, "memory.failcnt", &v))
		h->memory_max = v;
	if (vz_cg_read_u64_at(fd, "memory.memsw.failcnt", &v))
		h->swap_max = v;
	if (vz_cg_read_key_at(fd, "memory.oom_control", "oom_kill", &v))
		h->oom_kill = v;
}

static void v1_hits_cpu(int fd, struct vz_cgroup_hits *h)
{
	uint64_t v = 0;
	vz_cg_hits_cpu_stat(fd, h, "throttled_time", 1);
	/* cpu.cfs_quota_us is -1 when unlimited: not a u64, left 0. */
	if (vz_cg_read_u64_at(fd, "cpu.cfs_quota_us", &v))
		h->cpu_quota_us = v;
	if (vz_cg_read_u64_at(fd, "cpu.cfs_period_us", &v))
		h->cpu_period_us = v;
}

void vz_cg_hits_cpu_stat(int fd, struct vz_cgroup_hits *h, const char *throttled_key,
			 uint64_t ns_per_unit)
{
	char buf[1024];
	uint64_t v = 0;
	if (vz_cg_read_at(fd, "cpu.stat", buf, sizeof(buf)) < 0)
		return;
	if (parse_keyed_u64(buf, "nr_periods", &v) >= 0)
		h->cpu_periods = v;
	if (parse_keyed_u64(buf, "nr_throttled", &v) >= 0)
		h->cpu_throttled = v;
	if (parse_keyed_u64(buf, throttled_key, &v) >= 0)
		h->cpu_throttled_ns = v * ns_per_unit;
}

void vz_cg_hits_pids(int fd, struct vz_cgroup_hits *h)
{
	uint64_t v = 0;
	if (vz_cg_read_key_at(fd, "pids.events", "max", &v))
		h->pids_max = v;
}

bool vz_cg_read_key_at(int dfd, const char *file, const char *key, uint64_t *ret)
{
	char buf[512];
	return vz_cg_read_at(dfd, file, buf, sizeof(buf)) >= 0 &&
	       parse_keyed_u64(buf, key, ret) >= 0;
}

static int stop_at_first(pid_t pid, void *userdata) { return 1; }

/* v1 has no "populated" file: any pid in the leaf or below. */
static int v1_populated(const char *leaf)
{
	return vz_cg_for_each_pid(leaf, stop_at_first, NULL);
}

static int thaw_one(int dfd, void *userdata)
{
	_cleanup_close_ int fd = openat(dfd, "freezer.state", O_WRONLY | O_CLOEXEC);
	if (fd >= 0)
		(void)loop_write(fd, "THAWED", 6);
	return 0;
}

/* Thawing a cgroup does not thaw a sub-cgroup frozen by itself: all of them. */
static void v1_thaw(const char *leaf)
{
	log_debug("cgroup: write 'THAWED' to freezer.state of %s and below", leaf);
	(void)vz_cg_walk(leaf, thaw_one, NULL);
}

/* The v1 freezer is hierarchical: FROZEN on the leaf freezes the subtree;
 * the leaf reads FREEZING until every task below is frozen. */
static int v1_freeze(const char *leaf)
{
	return vz_cg_write(leaf, "freezer.state", "FROZEN", NULL);
}

static int v1_frozen(const char *leaf)
{
	char buf[64];
	int r = vz_cg_read(leaf, "freezer.state", buf, sizeof(buf));
	if (r < 0)
		return r;
	return startswith(buf, "FROZEN");
}

const struct vz_cg_ops vz_cg_v1_ops = {
	.version = "v1",
	.init = v1_init,
	.set = {
		[VZ_CG_MEMORY] = v1_set_memory,
		[VZ_CG_CPU] = v1_set_cpu,
		[VZ_CG_PIDS] = vz_cg_set_pids,
		[VZ_CG_CPUSET] = vz_cg_set_cpuset,
		[VZ_CG_IO] = vz_cg_v1_set_io,
	},
	.stat = {
		[VZ_CG_MEMORY] = v1_stat_memory,
		[VZ_CG_CPUACCT] = v1_stat_cpuacct,
		[VZ_CG_PIDS] = vz_cg_stat_pids,
		[VZ_CG_IO] = vz_cg_v1_stat_io,
	},
	.hits = {
		[VZ_CG_MEMORY] = v1_hits_memory,
		[VZ_CG_CPU] = v1_hits_cpu,
		[VZ_CG_PIDS] = vz_cg_hits_pids,
	},
	.devices = v1_devices,
	.populated = v1_populated,
	.thaw = v1_thaw,
	.freeze = v1_freeze,
	.frozen = v1_frozen,
};
