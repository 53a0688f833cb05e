/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list.h: what vz ls and vz info show, read without talking to any monitor:
 * the lib dir's entries, each container's config, its run/NAME/state and
 * the monitor's liveness lock (runtime.h), and its cgroup counters. Stays a
 * handful of small reads per container so hundreds list fast. Runs in
 * commands.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "enums.h"
#include "err.h"
#include "net.h"
#include "paths.h"
#include "spec.h"

/* An interface's limits (VZ_LIST_RATES). */
struct vz_info_rate {
	bool have;        /* false: not read (its host link is gone, or no veth) */
	uint64_t in, out; /* bits/s, 0 = none: the kernel's while running, else the config's */
};

struct vz_info {
	char *name;
	char *config_path;
	char *config_error;  /* the config does not load: why (other fields partial) */
	enum vz_run_state state;
	bool stale;          /* its monitor died; leftovers are cleaned at the next start/stop */
	pid_t init_pid;
	pid_t monitor_pid;
	uint64_t started_at;
	uint32_t restarts;
	bool have_spec;
	bool privileged;
	struct vz_idmap idmap;
	char *template;
	struct vz_limits limits;
	bool have_stats;
	struct vz_cgroup_stats stats;
	bool have_hits;
	struct vz_cgroup_hits hits; /* VZ_LIST_HITS */
	char *consoles;      /* VZ_LIST_CONSOLES: the monitor's console client list */
	struct vz_net_rec *net; /* interfaces: run/NAME/net when running (net_live), else
				 * what the config would make */
	size_t n_net;
	bool net_live;
	struct vz_info_rate *rates; /* VZ_LIST_RATES: one per net[] entry */
};

enum {
	VZ_LIST_STATS = 1 << 0,    /* read cgroup counters of running containers */
	VZ_LIST_CONSOLES = 1 << 1, /* ask running monitors who is attached (vz info) */
	VZ_LIST_HITS = 1 << 2,     /* with VZ_LIST_STATS: limit hit counters too (vz info) */
	VZ_LIST_IO = 1 << 3,       /* with STATS: block I/O counters too (vz top) */
	VZ_LIST_NO_CONFIG = 1 << 4, /* leave the configs unread (vz top, every refresh) */
	VZ_LIST_NO_PID = 1 << 5,   /* leave init_pid 0: no /proc/PID/stat read (vz top) */
	VZ_LIST_RATES = 1 << 6,    /* interface rates: a tc query per veth while running (vz info) */
};

/* All containers, sorted by name. */
int vz_list(const struct vz_global *g, unsigned flags, struct vz_info **ret, size_t *n,
	    vz_err *err);
/* One container; -ENOENT "container 'x' does not exist". */
/* vz_list() with a cgroup layout the caller keeps (vz top detects it once,
 * not at every refresh); NULL: detect it. */
int vz_list_with(const struct vz_global *g, const struct vz_cgroup_layout *layout, unsigned flags,
		 struct vz_info **ret, size_t *n, vz_err *err);
int vz_info_get(const struct vz_global *g, const char *name, unsigned flags, struct vz_info *ret,
		vz_err *err);
void vz_info_done(struct vz_info *i);
void vz_info_free_array(struct vz_info *a, size_t n);
