/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spec.h: struct vz_spec, the complete, validated description of one
 * container, built from built-in defaults, the "defaults" group of vz.conf and
 * the container's own config file (in that order; later wins). Everything a
 * start needs is decided here, before any host state changes.
 */
#pragma once

#include <stdint.h>

#include "err.h"
#include "macro.h"

#define VZ_NAME_MAX 63

struct vz_limits {
	uint64_t memory;     /* "limits.memory", bytes; 0 = unlimited */
	uint64_t swap;       /* "limits.swap", bytes of swap on top of memory; UINT64_MAX = unset */
	uint64_t pids;       /* "limits.pids"; 0 = unlimited */
	double cpus;         /* "limits.cpus", e.g. 1.5 CPUs of time; 0 = unlimited */
	uint32_t cpu_weight; /* "limits.cpu_weight", 1..10000 (cgroup v2 scale), default 100 */
	char *cpuset;        /* "limits.cpuset": CPUs, "0-1,3"; NULL = the host's */
	char *cpuset_mems;   /* "limits.cpuset_mems": memory nodes; NULL = the host's */
};

/* "lxcfs": the tenant's view of /proc and /sys through a per-container
 * lxcfs (lxcfs.h, doc/tenant-view.md). */
enum vz_lxcfs_mode {
	VZ_LXCFS_AUTO, /* unset or "auto": used when lxcfs and /dev/fuse are there */
	VZ_LXCFS_ON,   /* true: required; a start without it fails */
	VZ_LXCFS_OFF,  /* false: the host's /proc as the kernel shows it */
};

struct vz_idmap {
	uint32_t uid;   /* "idmap.uid": first host uid; container uid 0 maps here */
	uint32_t gid;   /* "idmap.gid" */
	uint32_t count; /* "idmap.count": number of ids, default 65536 */
};

struct vz_spec {
	char *name;           /* the container's name (its directory), not a key */
	char *config_path;    /* file it was read from, not a key */

	char *template;       /* "template": the template it was created from */
	char *rootfs_backend; /* "rootfs.backend": "overlay" (NULL = default) or "dir" */
	char *rootfs_lower;   /* "rootfs.lower": template cache dir; relative to paths.cache */
	bool privileged;      /* "privileged": no user namespace */
	struct vz_idmap idmap;

	char **init;          /* "init": argv of init, default ["/sbin/init"] */
	char *hostname;       /* "hostname", default the name */
	char **env;           /* "env": extra "KEY=VALUE" for init */
	int halt_signal;      /* "halt_signal"; 0 (default): picked from the init that runs */
	uint64_t stop_timeout_ms; /* "stop_timeout", default 30 s */
	int start_wait;       /* "start.wait": enum vz_start_wait, default auto */
	uint64_t start_timeout_ms; /* "start.timeout", default 60 s; 0 = no limit */

	struct vz_limits limits;
	int lxcfs;            /* "lxcfs": enum vz_lxcfs_mode, default auto */
	uint64_t caps_drop;   /* "caps.drop": bit n set = drop capability n */

	uint64_t console_log_size;  /* "console.log_size", default 1M; 0 = no log */
	uint32_t console_log_files; /* "console.log_files": rotated files kept, default 1 */
	uint32_t console_ttys;      /* "console.ttys": /dev/tty1..N, default 4 */
	uint64_t console_buffer;    /* "console.buffer": scrollback per tty, default 128K */
	char *console_rw_users;     /* "console.rw_users": uids that may attach read-write */
	char *console_ro_users;     /* "console.ro_users": uids that may watch */
};

/* A valid name: 1-63 characters of [A-Za-z0-9.-], starting and ending with a
 * letter or digit (it is also the default hostname and the cgroup name). */
bool vz_name_is_valid(const char *name);

/* Fill spec with the built-in defaults (name and hostname set to name). */
int vz_spec_init(struct vz_spec *spec, const char *name);
/* Cross-field checks run after all sources are applied. err names the key,
 * e.g. "idmap.uid: unprivileged container needs an id range". */
int vz_spec_validate(const struct vz_spec *spec, vz_err *err);
void vz_spec_done(struct vz_spec *spec);
void vz_spec_free(struct vz_spec *spec);
static inline void vz_spec_freep(struct vz_spec **s) { vz_spec_free(*s); }
