/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-io.c: block I/O in both cgroup versions (doc/cgroups.md, I/O):
 * the weight (v1 blkio.weight or blkio.bfq.weight, v2 io.weight or
 * io.bfq.weight), per-disk bandwidth and IOPS limits (v1
 * blkio.throttle.*_device, v2 io.max), the bytes and requests done, and
 * the time stalled on I/O (v2 io.pressure). Called through the ops tables
 * of cgroup-v1.c and cgroup-v2.c, in the monitor (start), in vz set and in
 * vz info/top.
 */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "log.h"
#include "parse-util.h"

/* The four limits of an entry, in the order of the files below. */
static uint64_t io_value(const struct vz_io_limit *e, int f)
{
	const uint64_t v[4] = { e->read_bps, e->write_bps, e->read_iops, e->write_iops };
	return v[f];
}

static bool has_file(const char *leaf, const char *file)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", leaf, file);
	return access(path, F_OK) == 0;
}

/* Every entry must have been through vz_io_resolve(). */
static int check_resolved(const struct vz_limits *lim, vz_err *err)
{
	for (size_t i = 0; i < lim->n_io; i++)
		if (lim->io[i].n_devno == 0)
			return vz_failx(err, EINVAL, "limits.io[%zu]: '%s' was not resolved to a disk",
					i, lim->io[i].device);
	return 0;
}

/* Whether devno has a non-zero value for limit f (f < 0: any) in lim. */
static bool listed(const struct vz_limits *lim, const char *devno, int f)
{
	for (size_t i = 0; i < lim->n_io; i++)
		for (unsigned d = 0; d < lim->io[i].n_devno; d++)
			if (streq(lim->io[i].devno[d], devno) && (f < 0 || io_value(&lim->io[i], f)))
				return true;
	return false;
}

/* The weight: the file of the scheduler the kernel has. w is the v2 scale
 * (1..10000, default 100), which v2's io.weight (iocost) takes as it is;
 * CFQ's v1 blkio.weight is 10..1000 with default 500 (so w * 5), BFQ's
 * weight 1..1000 with default 100 (so w, at most 1000: ratios below 1000
 * hold). Unset (100) writes the default. */
static int set_weight(const char *leaf, uint32_t w, const char *cfq_file, const char *bfq_file,
		      const char *ctrl, bool optional, vz_err *err)
{
	if (w == 0)
		w = 100;
	char v[32];
	if (has_file(leaf, cfq_file)) {
		/* v2's io.weight (iocost) is on the v2 scale, "default N" */
		uint32_t c = w * 5 < 10 ? 10 : w * 5 > 1000 ? 1000 : w * 5;
		if (streq(ctrl, "io"))
			snprintf(v, sizeof(v), "default %" PRIu32, w);
		else
			snprintf(v, sizeof(v), "%" PRIu32, c);
		return vz_cg_write(leaf, cfq_file, v, err);
	}
	if (has_file(leaf, bfq_file)) {
		uint32_t b = w > 1000 ? 1000 : w;
		snprintf(v, sizeof(v), "%" PRIu32, b);
		return vz_cg_write(leaf, bfq_file, v, err);
	}
	if (w == 100) {
		log_debug("cgroup: no %s or %s in %s: io weight unset, skipped", cfq_file, bfq_file,
			  leaf);
		return 0;
	}
	const char *sched = streq(ctrl, "io") ? "iocost or BFQ" : "CFQ or BFQ";
	if (optional) {
		log_warn("limits.io_weight is not enforced: neither %s nor %s exists in %s (the "
			 "kernel has no %s I/O scheduler); it is listed in limits.optional",
			 cfq_file, bfq_file, leaf, sched);
		return 0;
	}
	return vz_failx(err, EOPNOTSUPP,
			"limits.io_weight = %" PRIu32 ": the %s controller has no weight here: "
			"neither %s nor %s exists in %s (the kernel has no %s I/O scheduler); "
			"list io_weight in limits.optional to start without it",
			w, ctrl, cfq_file, bfq_file, leaf, sched);
}

/* ------------------------------------------------------------ cgroup v1 */

static const char *const v1_throttle[4] = {
	"blkio.throttle.read_bps_device",
	"blkio.throttle.write_bps_device",
	"blkio.throttle.read_iops_device",
	"blkio.throttle.write_iops_device",
};

/* One blkio.throttle file: "MAJ:MIN VALUE" per limited disk; writing 0
 * removes a disk's limit. Disks limited now but not in lim are reset. */
static int v1_throttle_file(const char *leaf, const struct vz_limits *lim, int f, vz_err *err)
{
	char cur[4096], v[64];
	int r = vz_cg_read(leaf, v1_throttle[f], cur, sizeof(cur));
	if (r == -ENOENT)
		return vz_cg_write_key(leaf, v1_throttle[f], "", lim, VZ_LIM_IO, err);
	if (r < 0)
		return vz_fail(err, r, "read %s/%s", leaf, v1_throttle[f]);
	for (char *p = cur; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned maj, min;
		if (sscanf(p, "%u:%u", &maj, &min) != 2)
			continue;
		snprintf(v, sizeof(v), "%u:%u", maj, min);
		if (listed(lim, v, f))
			continue;
		snprintf(v + strlen(v), sizeof(v) - strlen(v), " 0");
		r = vz_cg_write(leaf, v1_throttle[f], v, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < lim->n_io; i++) {
		uint64_t val = io_value(&lim->io[i], f);
		for (unsigned d = 0; val && d < lim->io[i].n_devno; d++) {
			snprintf(v, sizeof(v), "%s %" PRIu64, lim->io[i].devno[d], val);
			r = vz_cg_write(leaf, v1_throttle[f], v, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int vz_cg_v1_set_io(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	int r = check_resolved(lim, err);
	if (r >= 0)
		r = set_weight(leaf, lim->io_weight, "blkio.weight", "blkio.bfq.weight", "blkio",
			       lim->optional & (1U << VZ_LIM_IO_WEIGHT), err);
	for (int f = 0; f < 4 && r >= 0; f++)
		r = v1_throttle_file(leaf, lim, f, err);
	return r;
}

/* "MAJ:MIN Read N" / "MAJ:MIN Write N" per device, then "Total N". The
 * _recursive files count sub-cgroups (an init's own) too. */
static void v1_sum(int fd, const char *file, uint64_t *rd, uint64_t *wr)
{
	char buf[8192], name[64];
	snprintf(name, sizeof(name), "%s_recursive", file);
	if (vz_cg_read_at(fd, name, buf, sizeof(buf)) < 0 &&
	    vz_cg_read_at(fd, file, buf, sizeof(buf)) < 0)
		return;
	for (char *p = buf; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		char op[16];
		unsigned long long v;
		if (sscanf(p, "%*u:%*u %15s %llu", op, &v) != 2)
			continue;
		if (streq(op, "Read"))
			*rd += v;
		else if (streq(op, "Write"))
			*wr += v;
	}
}

void vz_cg_v1_stat_io(int fd, struct vz_cgroup_stats *st)
{
	v1_sum(fd, "blkio.throttle.io_service_bytes", &st->io_read_bytes, &st->io_write_bytes);
	v1_sum(fd, "blkio.throttle.io_serviced", &st->io_read_ios, &st->io_write_ios);
	st->have_io = true;
}

/* ------------------------------------------------------------ cgroup v2 */

static void fmt_max(char *buf, size_t size, uint64_t v)
{
	if (v)
		snprintf(buf, size, "%" PRIu64, v);
	else
		snprintf(buf, size, "max");
}

/* io.max: "MAJ:MIN rbps=N wbps=N riops=N wiops=N", "max" = none; it lists
 * the disks that have a limit. Disks limited now but not in lim are reset. */
int vz_cg_v2_set_io(const char *leaf, const struct vz_limits *lim, vz_err *err)
{
	int r = check_resolved(lim, err);
	if (r >= 0)
		r = set_weight(leaf, lim->io_weight, "io.weight", "io.bfq.weight", "io",
			       lim->optional & (1U << VZ_LIM_IO_WEIGHT), err);
	if (r < 0)
		return r;
	char cur[4096], v[256];
	r = vz_cg_read(leaf, "io.max", cur, sizeof(cur));
	if (r == -ENOENT)
		return vz_cg_write_key(leaf, "io.max", "", lim, VZ_LIM_IO, err);
	if (r < 0)
		return vz_fail(err, r, "read %s/io.max", leaf);
	for (char *p = cur; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		unsigned maj, min;
		if (sscanf(p, "%u:%u", &maj, &min) != 2)
			continue;
		snprintf(v, sizeof(v), "%u:%u", maj, min);
		if (listed(lim, v, -1))
			continue;
		snprintf(v + strlen(v), sizeof(v) - strlen(v), " rbps=max wbps=max riops=max wiops=max");
		r = vz_cg_write(leaf, "io.max", v, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < lim->n_io; i++) {
		const struct vz_io_limit *e = &lim->io[i];
		char a[4][24];
		for (int f = 0; f < 4; f++)
			fmt_max(a[f], sizeof(a[f]), io_value(e, f));
		for (unsigned d = 0; d < e->n_devno; d++) {
			snprintf(v, sizeof(v), "%s rbps=%s wbps=%s riops=%s wiops=%s", e->devno[d],
				 a[0], a[1], a[2], a[3]);
			r = vz_cg_write(leaf, "io.max", v, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N ..."
 * per device; it covers the subtree. */
void vz_cg_v2_stat_io(int fd, struct vz_cgroup_stats *st)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "rbytes=", offsetof(struct vz_cgroup_stats, io_read_bytes) },
		{ "wbytes=", offsetof(struct vz_cgroup_stats, io_write_bytes) },
		{ "rios=", offsetof(struct vz_cgroup_stats, io_read_ios) },
		{ "wios=", offsetof(struct vz_cgroup_stats, io_write_ios) },
	};
	char buf[8192];
	if (vz_cg_read_at(fd, "io.stat", buf, sizeof(buf)) < 0)
		return;
	char *save = NULL;
	for (char *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		for (size_t k = 0; k < ELEMENTSOF(keys); k++)
			if (startswith(tok, keys[k].key)) {
				uint64_t v;
				if (parse_u64(tok + strlen(keys[k].key), &v) >= 0)
					*(uint64_t *)((char *)st + keys[k].off) += v;
			}
	st->have_io = true;
}

/* io.pressure (PSI, a core file of every cgroup2 directory when the kernel
 * has PSI on): "some ... total=US" (time at least one task waited for I/O)
 * and "full ... total=US" (time all of them did). The kernel counts no
 * throttled I/O as such, in either version; this is the nearest measure. */
void vz_cg_v2_hits_psi(int fd, struct vz_cgroup_hits *h)
{
	char buf[512];
	if (vz_cg_read_at(fd, "io.pressure", buf, sizeof(buf)) < 0)
		return;
	for (char *p = buf; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		const char *t = strstr(p, "total=");
		unsigned long long us;
		if (!t || (size_t)(t - p) > strcspn(p, "\n") || sscanf(t, "total=%llu", &us) != 1)
			continue;
		if (startswith(p, "some "))
			h->io_some_us = us;
		else if (startswith(p, "full "))
			h->io_full_us = us;
	}
	h->have_io_pressure = true;
}
