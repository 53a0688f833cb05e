/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * paths.h: struct vz_global (the settings of /etc/vz/vz.conf) and where
 * every on-disk object of a container lives. With -P DIR / VZ_PATH, the
 * global config is DIR/vz.conf (optional) and the lib, cache, run and log
 * directories are DIR/lib, DIR/cache, DIR/run and DIR/log whatever vz.conf
 * says, so a test or a second "node" never touches the real ones.
 */
#pragma once

#include <stdint.h>

#include "err.h"
#include "macro.h"

struct config_t;

/* The default of host.inotify_instances_per_container: what one booted
 * Debian 12 container holds, with margin (doc/host-limits.md). */
#define VZ_INOTIFY_PER_CONTAINER 16

struct vz_global {
	char *conf_path;      /* the vz.conf read, or NULL when none existed */
	char *vzpath;         /* -P DIR, or NULL */

	char *lib_dir;        /* "paths.lib": lib/NAME/{config,delta,work,rootfs} */
	char *cache_dir;      /* "paths.cache": template caches */
	char *run_dir;        /* "paths.run": run/NAME/{control,state} */
	char *log_dir;        /* "paths.log": log/NAME/{console.log,monitor.log} */
	char *templates_dir;  /* "paths.templates": vz-template-* scripts */
	char *monitor_path;   /* "monitor": the vz-monitor binary */
	char *lxcfs_path;     /* "helpers.lxcfs": the lxcfs binary, default /usr/bin/lxcfs */

	char *subuid_file;    /* "idmap.subuid", default /etc/subuid */
	char *subgid_file;    /* "idmap.subgid", default /etc/subgid */
	char *subid_user;     /* "idmap.user": whose ranges vz allocates from, default root */
	uint32_t idmap_size;  /* "idmap.size": ids per container, default 65536 */

	char *cgroup_parent;  /* "cgroup.parent": below each hierarchy root, default "vz" */

	/* "host.inotify_instances_per_container": inotify instances one booted
	 * systemd container holds (all of them charge host root's
	 * fs.inotify.max_user_instances); 0 turns the check off (start.c) */
	uint32_t inotify_per_container;

	/* "net.*": the bridge of vz net up (bridge.h, doc/network-bridge.md) */
	char *net_bridge;     /* "net.bridge", default vzbr0 */
	char *net_ipv4;       /* "net.ipv4": "10.87.0.1/24", "" none */
	char *net_ipv6;       /* "net.ipv6": "fd42::1/64", "" none (default) */
	uint32_t net_mtu;     /* "net.mtu", default 1500 */
	bool net_nat;         /* "net.nat": masquerade the IPv4 subnet (nftables) */
	bool net_dhcp;        /* "net.dhcp": dnsmasq on the bridge */
	char *net_dhcp_range; /* "net.dhcp_range": "FIRST,LAST", "" derived from net.ipv4 */
	char *nft_path;       /* "helpers.nft", default /usr/sbin/nft */
	char *dnsmasq_path;   /* "helpers.dnsmasq", default /usr/sbin/dnsmasq */

	struct config_t *cfg; /* the parsed vz.conf (its "defaults" group applies to every container) */
};

void vz_global_free(struct vz_global *g);
static inline void vz_global_freep(struct vz_global **g) { vz_global_free(*g); }

enum vz_path_kind {
	VZ_PATH_DIR,      /* lib/NAME */
	VZ_PATH_CONFIG,   /* lib/NAME/config */
	VZ_PATH_DELTA,    /* lib/NAME/delta: overlay upper, owned by the container's root */
	VZ_PATH_WORK,     /* lib/NAME/work: overlay workdir */
	VZ_PATH_ROOTFS,   /* lib/NAME/rootfs: mount point, used only inside the container's mount ns */
	VZ_PATH_ROOTDIR,  /* lib/NAME/root: the whole tree (storage backend "dir") */
	VZ_PATH_RUN,      /* run/NAME */
	VZ_PATH_CONTROL,  /* run/NAME/control: the monitor's socket */
	VZ_PATH_STATE,    /* run/NAME/state */
	VZ_PATH_LOGDIR,   /* log/NAME */
	VZ_PATH_CONSOLE_LOG, /* log/NAME/console.log */
	VZ_PATH_MONITOR_LOG, /* log/NAME/monitor.log */
	VZ_PATH_LXCFS,    /* run/NAME/lxcfs: the container's lxcfs mount (lxcfs.h) */
	VZ_PATH_LXCFS_PID, /* run/NAME/lxcfs.pid */
	VZ_PATH_LXCFS_LOG, /* log/NAME/lxcfs.log: what lxcfs writes to stderr */
};

/* malloc'ed path of kind for container name; NULL on ENOMEM. */
char *vz_path(const struct vz_global *g, const char *name, enum vz_path_kind kind);
