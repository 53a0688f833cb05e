/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-v2.c: the cgroup v2 side of one container's cgroup (kernel
 * Documentation/admin-guide/cgroup-v2.rst): controllers passed down through
 * cgroup.subtree_control, memory.max/memory.swap.max, cpu.max/cpu.weight,
 * pids, statistics, cgroup.events, cgroup.kill and cgroup.freeze. Device
 * control on v2 is a BPF program attached to the leaf (cgroup-devices.c,
 * vz_cg_v2_devices; v2 has no devices controller files). Called through
 * vz_cg_v2_ops by cgroup.c, in the monitor and in vz ls/info.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cgroup-internal.h"
#include "log.h"
#include "parse-util.h"

/* A controller's files appear in a cgroup only when its parent lists it in
 * cgroup.subtree_control. Enable the ones vz uses that dir offers and does
 * not pass down yet; nothing is written when all are on (a systemd host's
 * root already has them). A cgroup other than the root that holds processes
 * itself cannot pass controllers down ("no internal processes"). */
static int v2_prepare(const struct vz_cg_hier *h, const char *dir, vz_err *err)
{
	char avail[512], on[512], add[128] = "";
	int r = vz_cg_read(dir, "cgroup.controllers", avail, sizeof(avail));
	if (r < 0)
		return vz_fail(err, r, "read %s/cgroup.controllers", dir);
	r = vz_cg_read(dir, "cgroup.subtree_control", on, sizeof(on));
	if (r < 0)
		return vz_fail(err, r, "read %s/cgroup.subtree_control", dir);
	for (int c = 0; c < _VZ_CG_CTRL_MAX; c++) {
		const char *name = vz_cg_ctrl_names[c].v2;
		if (name && *name && vz_cg_list_has(avail, name) && !vz_cg_list_has(on, name))
			snprintf(add + strlen(add), sizeof(add) - strlen(add), "%s+%s",
				 add[0] ? " " : "", name);
	}
	if (!add[0])
		return 0;
	r = vz_cg_write(dir, "cgroup.subtree_control", add, err);
	if (r == -EBUSY)
		return vz_failx(err, EBUSY,
				"enable controllers '%s' in %s/cgroup.subtree_control: that "
				"cgroup holds processes itself, and cgroup v2 passes controllers "
				"down only through cgroups without processes",
				add, dir);
	return r;
}

static void fmt_max(char *buf, size_t size, uint64_t v, bool unlimited)
{
	if (unlimited)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%" PRIu64, v);
}

/* memory.swap.max is swap alone (v1's memsw is memory + swap). Without swap
 * accounting the file is missing and swap is not limited. */
static int v2_set_memory(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	char m[32], s[32], h[32];
	fmt_max(m, sizeof(m), lim->memory, lim->memory == 0);
	fmt_max(s, sizeof(s), lim->swap, lim->swap == UINT64_MAX);
	fmt_max(h, sizeof(h), lim->memory_high, lim->memory_high == 0);
	/* memory.high may not stay above a lowered memory.max for long, but
	 * the kernel accepts either order; max first keeps the hard limit
	 * in force while high moves. */
	int r = vz_cg_write_key(leaf, "memory.max", m, lim, VZ_LIM_MEMORY, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "memory.high", h, lim, VZ_LIM_MEMORY_HIGH, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "memory.swap.max", s, lim, VZ_LIM_SWAP, err);
	return r;
}

/* cpu.max is "$MAX $PERIOD"; cpu.weight is 1..10000, default 100. */
static int v2_set_cpu(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	char max[64], weight[32];
	uint64_t q = vz_cg_cpu_quota_us(lim->cpus);
	fmt_max(max, sizeof(max), q, q == 0);
	snprintf(max + strlen(max), sizeof(max) - strlen(max), " %d", VZ_CG_CPU_PERIOD_US);
	uint32_t w = lim->cpu_weight ? lim->cpu_weight : 100;
	snprintf(weight, sizeof(weight), "%" PRIu32, w);

	int r = vz_cg_write_key(leaf, "cpu.max", max, lim, VZ_LIM_CPUS, err);
	if (r >= 0)
		r = vz_cg_write_key(leaf, "cpu.weight", weight, lim, VZ_LIM_CPU_WEIGHT, err);
	return r;
}

static void v2_stat_memory(int fd, struct vz_cgroup_stats *st)
{
	uint64_t v = 0;
	if (vz_cg_read_u64_at(fd, "memory.current", &v))
		st->memory_bytes = v;
	if (vz_cg_read_u64_at(fd, "memory.max", &v))
		st->memory_limit = v == UINT64_MAX ? 0 : v;
	if (vz_cg_read_u64_at(fd, "memory.swap.current", &v)) {
		st->swap_bytes = v;
		st->have_swap = true;
	}
}

/* cpu.stat is a core file: it exists without the cpu controller. */
static void v2_stat_cpu(int fd, struct vz_cgroup_stats *st)
{
	uint64_t v = 0;
	if (vz_cg_read_key_at(fd, "cpu.stat", "usage_usec", &v))
		st->cpu_usage_ns = v * 1000;
}

/* memory.events counts for the subtree (memory.events.local would be the
 * leaf alone); "max" also counts charges that reclaim then satisfied. */
static void v2_hits_memory(int fd, struct vz_cgroup_hits *h)
{
	char buf[512];
	uint64_t v = 0;
	if (vz_cg_read_at(fd, "memory.events", buf, sizeof(buf)) >= 0) {
		if (parse_keyed_u64(buf, "max", &v) >= 0)
			h->memory_max = v;
		if (parse_keyed_u64(buf, "high", &v) >= 0)
			h->memory_high = v;
		if (parse_keyed_u64(buf, "oom", &v) >= 0)
			h->oom = v;
		if (parse_keyed_u64(buf, "oom_kill", &v) >= 0)
			h->oom_kill = v;
	}
	if (vz_cg_read_key_at(fd, "memory.swap.events", "max", &v))
		h->swap_max = v;
}

/* The nr_* and throttled_usec lines of cpu.stat exist only with the cpu
 * controller enabled; cpu.max is "max 100000" when unlimited. */
static void v2_hits_cpu(int fd, struct vz_cgroup_hits *h)
{
	vz_cg_hits_cpu_stat(fd, h, "throttled_usec", 1000);
	char buf[64];
	unsigned long long q, p;
	if (vz_cg_read_at(fd, "cpu.max", buf, sizeof(buf)) >= 0 &&
	    sscanf(buf, "%llu %llu", &q, &p) == 2) {
		h->cpu_quota_us = q;
		h->cpu_period_us = p;
	}
}

/* A 0/1 line of the leaf's cgroup.events: "populated 1" while any process
 * is in the subtree, "frozen 1" once all of it is frozen. */
static int events_flag(const char *leaf, const char *key)
{
	char buf[256];
	int r = vz_cg_read(leaf, "cgroup.events", buf, sizeof(buf));
	if (r < 0)
		return r;
	uint64_t v = 0;
	return parse_keyed_u64(buf, key, &v) >= 0 && v == 1;
}

static int v2_populated(const char *leaf)
{
	int r = events_flag(leaf, "populated");
	return r == -ENOENT ? 0 : r;
}

/* cgroup.kill (Linux 5.14) SIGKILLs the whole subtree, forks included. */
static int v2_kill_all(const char *leaf)
{
	int r = vz_cg_write(leaf, "cgroup.kill", "1", NULL);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : 1;
}

static void v2_thaw(const char *leaf)
{
	/* best effort: no cgroup.freeze (before Linux 5.2) is nothing to thaw */
	(void)vz_cg_write_raw(leaf, "cgroup.freeze", "0");
}

/* cgroup.freeze freezes the subtree (see events_flag for the wait). */
static int v2_freeze(const char *leaf)
{
	return vz_cg_write(leaf, "cgroup.freeze", "1", NULL);
}

static int v2_frozen(const char *leaf)
{
	return events_flag(leaf, "frozen");
}

const struct vz_cg_ops vz_cg_v2_ops = {
	.version = "v2",
	.prepare = v2_prepare,
	.set = {
		[VZ_CG_MEMORY] = v2_set_memory,
		[VZ_CG_CPU] = v2_set_cpu,
		[VZ_CG_PIDS] = vz_cg_set_pids,
		[VZ_CG_CPUSET] = vz_cg_set_cpuset,
		[VZ_CG_IO] = vz_cg_v2_set_io,
	},
	.stat = {
		[VZ_CG_MEMORY] = v2_stat_memory,
		[VZ_CG_CPUACCT] = v2_stat_cpu,
		[VZ_CG_PIDS] = vz_cg_stat_pids,
		[VZ_CG_IO] = vz_cg_v2_stat_io,
	},
	.hits = {
		[VZ_CG_MEMORY] = v2_hits_memory,
		[VZ_CG_CPU] = v2_hits_cpu,
		[VZ_CG_PIDS] = vz_cg_hits_pids,
		[VZ_CG_PSI] = vz_cg_v2_hits_psi,
	},
	.devices = vz_cg_v2_devices,
	.populated = v2_populated,
	.kill_all = v2_kill_all,
	.thaw = v2_thaw,
	.freeze = v2_freeze,
	.frozen = v2_frozen,
};
