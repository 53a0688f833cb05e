/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.h: one container's cgroup in every mounted hierarchy, behind a
 * narrow interface; cgroup-v1.c and cgroup-v2.c implement the version
 * specific parts. Used by the monitor (create, limits, kill, destroy), by
 * vz attach (join) and by vz ls/info (stats).
 *
 * Safety: this host's hierarchies also hold the machine's own supervisor.
 * Every path this module writes to, kills in or removes is
 *   <hierarchy mount>/<parent>/<name>[/...]
 * where parent's first component starts with "vz" and name is a valid
 * container name; anything else is refused with -EPERM before any write.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "spec.h"

enum vz_cgroup_mode {
	VZ_CGROUP_LEGACY,  /* only v1 hierarchies */
	VZ_CGROUP_HYBRID,  /* v1 controllers, plus a controller-less cgroup2 (e.g. /sys/fs/cgroup/unified) */
	VZ_CGROUP_UNIFIED, /* cgroup2 only */
};

struct vz_cgroup_layout; /* the mounted hierarchies, read from /proc/self/mountinfo once */
struct vz_cgroup;        /* one container's cgroup in all of them */

/* On a host run by systemd with only cgroup v2 (mode UNIFIED), the layout's
 * cgroup2 top is the delegated unit vz.service (cgroup-systemd.c) instead of
 * the mount; the unit must exist before cgroups are created there
 * (vz_cgroup_monitor_open does that). */
int vz_cgroup_layout_detect(struct vz_cgroup_layout **ret, vz_err *err);
enum vz_cgroup_mode vz_cgroup_layout_mode(const struct vz_cgroup_layout *l);
void vz_cgroup_layout_free(struct vz_cgroup_layout *l);
static inline void vz_cgroup_layout_freep(struct vz_cgroup_layout **l) { vz_cgroup_layout_free(*l); }

/* Whether systemd runs this host (/run/systemd/system exists). */
bool vz_cgroup_systemd_host(void);
/* Where vz start puts a monitor. On a systemd layout: creates the delegated
 * unit vz.service with systemd-run if it does not exist (its process is
 * `KEEPER --keep-unit`), refuses a vz.service that is not delegated, and
 * returns <unit>/monitors as an O_PATH fd for clone3(CLONE_INTO_CGROUP).
 * Elsewhere *ret_fd is -EBADF: the monitor stays where vz start runs. */
int vz_cgroup_monitor_open(const struct vz_cgroup_layout *l, const char *keeper, int *ret_fd,
			   vz_err *err);
/* The body of `vz-monitor --keep-unit`: leave the unit's own cgroup for
 * <unit>/monitors, then wait for SIGTERM. */
int vz_cgroup_systemd_keep(vz_err *err);

/* No filesystem access; validates parent and name (-EPERM / -EINVAL). */
int vz_cgroup_new(const struct vz_cgroup_layout *l, const char *parent, const char *name,
		  struct vz_cgroup **ret, vz_err *err);
void vz_cgroup_free(struct vz_cgroup *cg);
static inline void vz_cgroup_freep(struct vz_cgroup **cg) { vz_cgroup_free(*cg); }

/* Create parent (once; initialised: cpuset.cpus/mems copied on v1,
 * controllers enabled in cgroup.subtree_control on v2) and the container's
 * leaf in every hierarchy. -EEXIST if the leaf already exists. On failure
 * nothing this call created is left. */
int vz_cgroup_create(struct vz_cgroup *cg, vz_err *err);
/* Delegate the leaf to the container's root (host uid/gid): on cgroup v2
 * the leaf directory and its cgroup.procs, cgroup.threads and
 * cgroup.subtree_control; on v1 the leaf directory, tasks and cgroup.procs
 * in the name=systemd hierarchy. The container's init (systemd) may then
 * make and manage its own sub-cgroups there (systemd.io/CGROUP_DELEGATION);
 * limits, set on the leaf itself, stay out of its reach. */
int vz_cgroup_delegate(struct vz_cgroup *cg, uid_t uid, gid_t gid, vz_err *err);
/* Write memory, swap, pids, cpu quota and weight, io weight and limits
 * (lim->io resolved by vz_io_resolve()). Unset limits are written as
 * "unlimited" so a changed config takes effect. err names the file. */
int vz_cgroup_apply_limits(struct vz_cgroup *cg, const struct vz_limits *lim, vz_err *err);

/* The device policy (doc/cgroups.md): every device is denied but the
 * default set (null, zero, full, random, urandom, tty, console, ptmx and
 * the ptys, 136:*) and the rules of allow ("devices.allow", validated by
 * parse_dev_rule). Called once on a new leaf before any process is in it:
 * v1 writes devices.deny/devices.allow, v2 attaches a BPF device program.
 * Not for a running container (on v2 a second program would only narrow). */
int vz_cgroup_apply_devices(struct vz_cgroup *cg, char *const *allow, vz_err *err);

/* Joining without a migration. Moving another process (writing its pid to
 * cgroup.procs) takes the kernel's global cgroup_threadgroup_rwsem for
 * writing, which first waits for an RCU grace period: 5-30 ms on a quiet
 * host, the largest part of a cold `vz start` or `vz attach`. Two ways in
 * skip it: a process born by clone3(CLONE_INTO_CGROUP) into a v2 cgroup,
 * and a single thread moving itself on v1 (writing "0" to a hierarchy's
 * `tasks` file). So whoever may open the files (host root) opens them, and
 * the new process, single-threaded, joins by itself: vz_cgroup_join_self()
 * for the v1 hierarchies, `unified` as clone3's cgroup for v2. The file's
 * opener is what v1 checks, so the joiner may already be in a user
 * namespace. */
struct vz_cgroup_join {
	int *tasks;          /* each v1 hierarchy's <leaf>/tasks, open for writing */
	const char **where;  /* their mount points, for messages */
	size_t n;
	int unified;         /* the v2 leaf (O_PATH directory), or -EBADF if none */
};
int vz_cgroup_join_open(struct vz_cgroup *cg, struct vz_cgroup_join *j, vz_err *err);
/* When the container's v2 cgroup is no longer a leaf (an init such as
 * systemd made its own cgroups below it and enabled controllers there, so
 * the kernel refuses new processes in it: EBUSY), join where pid (the
 * container's init) is instead: j->unified becomes that cgroup, which must
 * be below the container's. */
int vz_cgroup_join_use_pid(struct vz_cgroup *cg, struct vz_cgroup_join *j, pid_t pid,
			   vz_err *err);
/* Move the calling thread, which must be its process's only one, into every
 * v1 leaf; err names the hierarchy that refused. */
int vz_cgroup_join_self(const struct vz_cgroup_join *j, vz_err *err);
void vz_cgroup_join_close(struct vz_cgroup_join *j);

/* Signal every process in the leaf and below, in every hierarchy. Returns
 * the number signalled. */
int vz_cgroup_kill(struct vz_cgroup *cg, int sig);
/* 1 if any process is in the leaf or below, 0 if none (or it does not exist). */
int vz_cgroup_populated(struct vz_cgroup *cg);

/* vz freeze: freeze every process of the container (v1 freezer.state,
 * v2 cgroup.freeze) and wait up to timeout_ms until all are; if they are
 * not by then (a task stuck in the kernel), thaw again and fail. -ENOTSUP
 * if the host has no freezer. vz unfreeze: thaw, at once. */
int vz_cgroup_freeze(struct vz_cgroup *cg, unsigned timeout_ms, vz_err *err);
int vz_cgroup_thaw(struct vz_cgroup *cg, vz_err *err);
/* SIGKILL whatever is left, wait up to timeout_ms for it to go, then remove
 * the leaf and any sub-cgroups in every hierarchy. Missing is fine. The
 * parent is kept. -EBUSY (err says which) if something could not go. */
int vz_cgroup_destroy(struct vz_cgroup *cg, unsigned timeout_ms, vz_err *err);
/* Whether the leaf exists in the first hierarchy (stale after a crash). */
bool vz_cgroup_exists(struct vz_cgroup *cg);

struct vz_cgroup_stats {
	uint64_t memory_bytes;  /* v1 memory.usage_in_bytes, v2 memory.current */
	uint64_t memory_limit;  /* 0 = unlimited */
	uint64_t cpu_usage_ns;  /* v1 cpuacct.usage, v2 cpu.stat usage_usec * 1000 */
	uint64_t pids;          /* pids.current */
	uint64_t pids_limit;    /* 0 = unlimited */
	uint64_t swap_bytes;    /* v1 memory.memsw.usage_in_bytes - usage, v2 memory.swap.current */
	bool have_swap;         /* swap accounting is on */
	/* vz_cgroup_io_stats() only: bytes read and written, all devices,
	 * v1 blkio.throttle.io_service_bytes_recursive, v2 io.stat */
	uint64_t io_read_bytes;
	uint64_t io_write_bytes;
	uint64_t io_read_ios;   /* requests: v1 blkio.throttle.io_serviced_recursive, v2 io.stat */
	uint64_t io_write_ios;
	bool have_io;
};
/* Fields that cannot be read are left 0; -ENOENT if the leaf does not exist. */
int vz_cgroup_stats(struct vz_cgroup *cg, struct vz_cgroup_stats *st);

/* How often the container ran into its limits, since its cgroup was made
 * (vz info). Kept apart from vz_cgroup_stats so that vz ls, which reads
 * stats for every container, does not pay for these reads. Counters cover
 * the leaf and below, except where noted. */
struct vz_cgroup_hits {
	uint64_t memory_max;       /* usage reached the memory limit: v1 memory.failcnt (the
				    * leaf's own counter), v2 memory.events max */
	uint64_t memory_high;      /* usage went over the soft limit and was throttled: v2
				    * memory.events high; 0 on v1 (no counter) */
	uint64_t swap_max;         /* v1 memory.memsw.failcnt, v2 memory.swap.events max */
	uint64_t oom;              /* v2 memory.events oom (the OOM killer was invoked); 0 on v1 */
	uint64_t oom_kill;         /* processes the OOM killer ended: v1 memory.oom_control
				    * oom_kill (Linux 4.13+, the leaf's own), v2 memory.events */
	uint64_t pids_max;         /* forks refused at pids.max: pids.events max */
	uint64_t cpu_periods;      /* CFS bandwidth periods with runnable tasks: cpu.stat nr_periods */
	uint64_t cpu_throttled;    /* ... of which throttled: nr_throttled */
	uint64_t cpu_throttled_ns; /* time throttled: v1 throttled_time, v2 throttled_usec * 1000 */
	uint64_t cpu_quota_us;     /* the CPU limit, run time per period; 0 = unlimited */
	uint64_t cpu_period_us;
	/* Time stalled on I/O (v2 io.pressure "some"/"full" total; also on a
	 * hybrid host's cgroup2 mount). No kernel counts throttled I/O. */
	uint64_t io_some_us;
	uint64_t io_full_us;
	bool have_io_pressure;
};
/* Fields that cannot be read are left 0; -ENOENT if the leaf does not exist. */
int vz_cgroup_hits(struct vz_cgroup *cg, struct vz_cgroup_hits *h);
/* Add the block I/O counters to st (one more read: vz top asks, vz ls not). */
int vz_cgroup_io_stats(struct vz_cgroup *cg, struct vz_cgroup_stats *st);

/* For reading the counters of many containers (vz ls, vz top): the parent
 * directory in each hierarchy, opened once, so that opening a leaf walks
 * one path component instead of six. A leaf not found below it (the parent
 * was made again since, or could not be opened) is looked up by its path. */
struct vz_cgroup_parents;
int vz_cgroup_parents_open(const struct vz_cgroup_layout *l, const char *parent,
			   struct vz_cgroup_parents **ret);
void vz_cgroup_parents_free(struct vz_cgroup_parents *p);
/* Let cg's counter reads use p (which must outlive that use) if p is of
 * cg's layout and parent; NULL: not. */
void vz_cgroup_use_parents(struct vz_cgroup *cg, const struct vz_cgroup_parents *p);
