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

/* One element of "limits.io": bandwidth and IOPS caps on one whole disk
 * (io-limit.h). 0 = that direction is not limited. */
struct vz_io_limit {
	char *device;        /* "device": a block device node ("/dev/vda"), or "rootfs" */
	uint64_t read_bps, write_bps;   /* bytes per second */
	uint64_t read_iops, write_iops; /* requests per second */
	/* Filled by vz_io_resolve() at start and vz set, not from the file:
	 * the whole disks, "MAJ:MIN" (rootfs may span two: overlay layers). */
	char devno[2][24];
	unsigned n_devno;
};

/* An address with its prefix length ("198.18.0.10/24"); family 0 = unset. */
struct vz_net_addr {
	uint8_t family; /* AF_INET, AF_INET6 or 0 */
	uint8_t prefix;
	uint8_t a[16];
};

/* One element of "network" (net-config.c, doc/network.md). */
struct vz_netif {
	int type;            /* "type": enum vz_net_type (net.h), default veth */
	char name[16];       /* "name": inside the container, default "ethN" */
	char bridge[16];     /* "bridge": "" = the default bridge (vzbr0) */
	char parent[16];     /* "parent": the host interface of a macvlan */
	struct vz_net_addr ipv4, gateway, ipv6, gateway6; /* "ipv4", "gateway", ... */
	bool dhcp4;          /* ipv4 = "dhcp": no IPv4 from vz; the container's client asks */
	bool hwaddr_set;     /* "hwaddr": false = "auto" (net.h: vz_net_auto_hwaddr) */
	uint8_t hwaddr[6];
	uint32_t mtu;        /* "mtu": 68..65535, 0 = the kernel's default */
	uint64_t rate_in, rate_out; /* "rate_in"/"rate_out": bits per second, 0 = none */
};

/* The limits.* keys, by name in "limits.optional" (bit 1 << key there). */
enum vz_limit_key {
	VZ_LIM_MEMORY,
	VZ_LIM_MEMORY_HIGH,
	VZ_LIM_SWAP,
	VZ_LIM_PIDS,
	VZ_LIM_CPUS,
	VZ_LIM_CPU_WEIGHT,
	VZ_LIM_CPUSET,
	VZ_LIM_CPUSET_MEMS,
	VZ_LIM_IO_WEIGHT,
	VZ_LIM_IO,
	_VZ_LIM_MAX,
};

struct vz_limits {
	uint64_t memory;     /* "limits.memory", bytes; 0 = unlimited */
	uint64_t memory_high; /* "limits.memory_high": soft limit, bytes; 0 = none */
	uint64_t swap;       /* "limits.swap", bytes of swap on top of memory; UINT64_MAX = unset */
	uint64_t pids;       /* "limits.pids"; 0 = unlimited */
	double cpus;         /* "limits.cpus", e.g. 1.5 CPUs of time; 0 = unlimited */
	uint32_t cpu_weight; /* "limits.cpu_weight", 1..10000 (cgroup v2 scale), default 100 */
	char *cpuset;        /* "limits.cpuset": CPUs, "0-1,3"; NULL = the host's */
	char *cpuset_mems;   /* "limits.cpuset_mems": memory nodes; NULL = the host's */
	uint32_t io_weight;  /* "limits.io_weight", 1..10000 (cgroup v2 scale), default 100 */
	struct vz_io_limit *io; /* "limits.io": a list of per-disk limits */
	size_t n_io;
	uint32_t optional;   /* "limits.optional": bit 1 << enum vz_limit_key: a limit the
			      * host cannot enforce is a warning, not an error */
};

/* "memory_high" for VZ_LIM_MEMORY_HIGH; NULL if out of range. */
const char *vz_limit_key_name(enum vz_limit_key k);
/* The key for a name as "limits.optional" lists it, or -EINVAL. */
int vz_limit_key_from_name(const char *name);
/* Whether the key has a value other than "no limit" in lim. */
bool vz_limit_is_set(const struct vz_limits *lim, enum vz_limit_key k);

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
	char **devices_allow; /* "devices.allow": device rules beyond the default set,
			       * validated, in canonical form ("c 10:200 rwm") */

	struct vz_netif *net; /* "network": the interfaces besides lo (none: only lo) */
	size_t n_net;
	char **nameservers;   /* "nameservers": /etc/resolv.conf inside, when given */

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
