/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-internal.h: what cgroup.c shares with cgroup-v1.c and cgroup-v2.c:
 * the detected layout (one struct vz_cg_hier per mounted hierarchy), the
 * per-version ops table that cgroup.c dispatches through hierarchy by
 * hierarchy (a hybrid host uses both), and small file helpers. Not a public
 * interface; tests/root/test-cgroup.c includes it to inspect the layout.
 */
#pragma once

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cgroup.h"
#include "err.h"
#include "parse-util.h"
#include "spec.h"

/* The controllers vz writes to or reads from. A controller lives in exactly
 * one hierarchy: a v1 mount that lists it, or the cgroup2 mount. */
enum vz_cg_ctrl {
	VZ_CG_MEMORY,
	VZ_CG_CPU,
	VZ_CG_CPUACCT, /* v2: cpu.stat, present in every cgroup2 directory */
	VZ_CG_PIDS,
	VZ_CG_CPUSET,
	VZ_CG_DEVICES, /* v2: a BPF program attached to the leaf (cgroup-devices.c) */
	VZ_CG_FREEZER, /* v2: cgroup.freeze, present in every non-root cgroup2 directory */
	VZ_CG_IO,      /* v1 "blkio", v2 "io" */
	VZ_CG_PSI,     /* v2 only: *.pressure, core files when the kernel has PSI on */
	_VZ_CG_CTRL_MAX,
};

struct vz_cg_ctrl_name {
	const char *v1; /* option in a v1 mount's super options */
	const char *v2; /* name in cgroup.controllers; "" = core files, NULL = not on v2 */
};
extern const struct vz_cg_ctrl_name vz_cg_ctrl_names[_VZ_CG_CTRL_MAX];


struct vz_cg_hier;

typedef int vz_cg_limit_fn(const char *leaf, const struct vz_limits *lim, vz_err *err);
typedef void vz_cg_stat_fn(int leaf_fd, struct vz_cgroup_stats *st);
typedef void vz_cg_hits_fn(int leaf_fd, struct vz_cgroup_hits *h);

struct vz_cg_ops {
	const char *version; /* "v1" or "v2", for the debug log */
	/* Before a sub-directory is made in dir (dir may be the mount point).
	 * v2 enables controllers in dir's cgroup.subtree_control. May be NULL. */
	int (*prepare)(const struct vz_cg_hier *h, const char *dir, vz_err *err);
	/* After each component below the mount exists (created by this call or
	 * not): v1 fills an empty cpuset. */
	int (*init)(const struct vz_cg_hier *h, const char *parent, const char *dir, bool leaf,
		    vz_err *err);
	/* Limits and statistics, indexed by controller; NULL = not handled. */
	vz_cg_limit_fn *set[_VZ_CG_CTRL_MAX];
	vz_cg_stat_fn *stat[_VZ_CG_CTRL_MAX];
	vz_cg_hits_fn *hits[_VZ_CG_CTRL_MAX];
	/* The device policy, written once to a new leaf before any process
	 * runs there: rules are the defaults then devices.allow. v1 writes
	 * devices.deny and devices.allow, v2 attaches a BPF program. */
	int (*devices)(const char *leaf, const struct vz_dev_rule *rules, size_t n, vz_err *err);
	/* 1 if a process is in leaf or below, 0 if not, -errno. */
	int (*populated)(const char *leaf);
	/* Kill the whole subtree at once if the kernel can (v2 cgroup.kill):
	 * 1 = done, 0 = not available, -errno. May be NULL. */
	int (*kill_all)(const char *leaf);
	/* Let frozen processes run (and die); best effort. May be NULL. */
	void (*thaw)(const char *leaf);
	/* Start freezing leaf and below (vz freeze); frozen(): 1 once every
	 * process there is frozen, 0 while freezing, -errno. May be NULL. */
	int (*freeze)(const char *leaf);
	int (*frozen)(const char *leaf);
};

extern const struct vz_cg_ops vz_cg_v1_ops;
extern const struct vz_cg_ops vz_cg_v2_ops;

struct vz_cg_hier {
	char *mount;       /* mount point, e.g. /sys/fs/cgroup/memory */
	char *root;        /* the cgroup mounted there, as mountinfo shows it ("/" usually) */
	char *controllers; /* v1: "cpu,cpuacct", "name=systemd"; v2: cgroup.controllers */
	bool v2;
	const struct vz_cg_ops *ops;
};

struct vz_cgroup_layout {
	enum vz_cgroup_mode mode;
	struct vz_cg_hier *hier;
	size_t n;
	int by_ctrl[_VZ_CG_CTRL_MAX]; /* index into hier, -1 = not mounted */
	int unified;                  /* index of the cgroup2 hierarchy, -1 = none */
	bool systemd;                 /* systemd host: the cgroup2 "mount" is VZ_SYSTEMD_CGROUP below it */
};

/* Where vz works on a host run by systemd with only cgroup v2: the cgroup of
 * the delegated unit VZ_SYSTEMD_UNIT (cgroup-systemd.c), relative to the
 * cgroup2 mount, and the cgroup for the monitors below it. */
#define VZ_SYSTEMD_UNIT "vz.service"
#define VZ_SYSTEMD_CGROUP "system.slice/" VZ_SYSTEMD_UNIT
#define VZ_SYSTEMD_MONITORS "monitors"

/* vz_cgroup_layout_detect() from another mountinfo file (for tests). */
int vz_cg_layout_read(const char *mountinfo, struct vz_cgroup_layout **ret, vz_err *err);

/* Index of the hierarchy whose controller list holds the token (e.g. "cpuacct",
 * "name=systemd"), or -1. */
int vz_cg_layout_find(const struct vz_cgroup_layout *l, const char *token);

/* Write value to dir/file: 0 or -errno, no message. */
int vz_cg_write_raw(const char *dir, const char *file, const char *value);
/* Write value to dir/file; err names both and the reason. */
int vz_cg_write(const char *dir, const char *file, const char *value, vz_err *err);

/* For the limit key of lim: a missing file is skipped when the key is unset,
 * a warning when it is listed in limits.optional, and otherwise an error
 * (EOPNOTSUPP) naming the key, the file and the controller. */
int vz_cg_write_key(const char *dir, const char *file, const char *value,
		    const struct vz_limits *lim, enum vz_limit_key key, vz_err *err);
/* That warning or error, for a set key whose dir/file is missing. */
int vz_cg_not_enforced(const struct vz_limits *lim, enum vz_limit_key key, const char *dir,
		       const char *file, vz_err *err);

/* Whether a comma- or space-separated list holds the token. */
static inline bool vz_cg_list_has(const char *list, const char *token)
{
	size_t len = strlen(token);
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ", \n");
		if (n == len && strncmp(p, token, len) == 0)
			return true;
		p += n;
		p += strspn(p, ", \n");
	}
	return false;
}

/* Read a small file below dfd (a leaf's fd) into buf, NUL-terminated; the
 * length or -errno. No allocation: vz ls reads a few of these per container. */
static inline int vz_cg_read_at(int dfd, const char *file, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* One read: a cgroup file is a seq_file, whose read fills the buffer
	 * to the file's end; a second one would only see EOF (vz top reads
	 * about ten files per container and refresh). */
	ssize_t k;
	do
		k = read(fd, buf, size - 1);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return -errno;
	buf[k] = 0;
	return (int)k;
}

static inline int vz_cg_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return vz_cg_read_at(AT_FDCWD, path, buf, size);
}

/* A decimal u64 with an optional trailing newline; "max" is UINT64_MAX. */
static inline int vz_cg_parse_u64(const char *s, uint64_t *ret)
{
	if (strncmp(s, "max", 3) == 0 && (s[3] == 0 || s[3] == '\n')) {
		*ret = UINT64_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -errno;
	if (*end != 0 && *end != '\n')
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Read dfd/file as a u64; false (and *ret untouched) if unreadable. */
static inline bool vz_cg_read_u64_at(int dfd, const char *file, uint64_t *ret)
{
	char buf[64];
	return vz_cg_read_at(dfd, file, buf, sizeof(buf)) >= 0 && vz_cg_parse_u64(buf, ret) >= 0;
}

/* CFS bandwidth in both versions: run time per 100 ms period for "cpus"
 * CPUs; 0 = unlimited. The kernel's minimum quota is 1 ms. */
#define VZ_CG_CPU_PERIOD_US 100000
static inline uint64_t vz_cg_cpu_quota_us(double cpus)
{
	if (!(cpus > 0))
		return 0;
	double q = cpus * VZ_CG_CPU_PERIOD_US + 0.5;
	return q < 1000 ? 1000 : q > 1e15 ? (uint64_t)1e15 : (uint64_t)q;
}

/* The devices every container may use (cgroup-devices.c), and the v2
 * writer: a BPF_PROG_TYPE_CGROUP_DEVICE program made of rules. */
extern const struct vz_dev_rule vz_cg_devices_default[];
extern const size_t vz_cg_devices_default_n;
int vz_cg_v2_devices(const char *leaf, const struct vz_dev_rule *rules, size_t n, vz_err *err);

/* pids.max and pids.current read the same in both versions (cgroup-v1.c). */
int vz_cg_set_pids(const char *leaf, const struct vz_limits *lim, vz_err *err);
int vz_cg_set_cpuset(const char *leaf, const struct vz_limits *lim, vz_err *err);
void vz_cg_stat_pids(int leaf_fd, struct vz_cgroup_stats *st);
/* pids.events "max N" in both versions. */
void vz_cg_hits_pids(int leaf_fd, struct vz_cgroup_hits *h);
/* cpu.stat's nr_periods, nr_throttled and the throttled time (v1
 * "throttled_time" in ns, v2 "throttled_usec": ns_per_unit 1000). */
void vz_cg_hits_cpu_stat(int leaf_fd, struct vz_cgroup_hits *h, const char *throttled_key,
			 uint64_t ns_per_unit);
/* The value of key in the "key value" file dfd/file; false if either is missing. */
bool vz_cg_read_key_at(int dfd, const char *file, const char *key, uint64_t *ret);

/* Block I/O (cgroup-io.c): weight and per-disk limits (lim->io resolved
 * by vz_io_resolve()), bytes and requests, io.pressure. */
int vz_cg_v1_set_io(const char *leaf, const struct vz_limits *lim, vz_err *err);
int vz_cg_v2_set_io(const char *leaf, const struct vz_limits *lim, vz_err *err);
void vz_cg_v1_stat_io(int leaf_fd, struct vz_cgroup_stats *st);
void vz_cg_v2_stat_io(int leaf_fd, struct vz_cgroup_stats *st);
void vz_cg_v2_hits_psi(int leaf_fd, struct vz_cgroup_hits *h);

/* Call fn with an fd of dir and of every directory below it, parents first.
 * fn returns < 0 to fail, > 0 to stop early; the first non-zero value is
 * returned. A missing dir is 0. */
int vz_cg_walk(const char *dir, int (*fn)(int dfd, void *userdata), void *userdata);
/* Call fn for each pid in the cgroup.procs of dir and of every directory
 * below it. fn returns < 0 to fail, > 0 to stop early; the first non-zero
 * value is returned. A missing dir is 0. */
int vz_cg_for_each_pid(const char *dir, int (*fn)(pid_t pid, void *userdata), void *userdata);

struct vz_cgroup {
	const struct vz_cgroup_layout *layout;
	char *parent; /* checked by vz_cgroup_new() and again before every use */
	char *name;
	const int *parent_fds; /* vz_cgroup_use_parents(): per hierarchy, or NULL */
};

struct vz_cgroup_parents {
	const struct vz_cgroup_layout *layout;
	char *parent;
	int fd[]; /* per hierarchy, -1 if it could not be opened */
};

/* <mount>/<parent>/<name> of cg in hierarchy h, after checking parent and
 * name again (-EPERM if either is unsafe, -ENAMETOOLONG). */
int vz_cg_leaf_path(const struct vz_cgroup *cg, const struct vz_cg_hier *h, char *buf,
		    size_t size);
/* The error for a vz_cg_leaf_path() failure, naming the cgroup. */
int vz_cg_unsafe(const struct vz_cgroup *cg, int r, vz_err *err);
uint64_t vz_cg_now_ms(void);
