/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config-internal.h: the key tables shared by config.c (loading) and
 * config-write.c (vz create -c). One table entry per key: its name, the
 * value syntax, where it lands and its bounds. Adding a key is adding a
 * line to config-keys.c (and to vz.conf.5).
 */
#pragma once

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

#include "paths.h"
#include "spec.h"

enum vz_key_type {
	VZ_KT_STRING,   /* "text" */
	VZ_KT_PATH,     /* "/absolute/path" */
	VZ_KT_HOSTNAME, /* "name" (same rules as a container name) */
	VZ_KT_BOOL,     /* true / false */
	VZ_KT_U32,      /* integer within [min, max] */
	VZ_KT_COUNT,    /* integer within [min, max], 64 bits */
	VZ_KT_SIZE,     /* integer bytes or "256M" */
	VZ_KT_DURATION, /* integer seconds or "30s", "500ms" */
	VZ_KT_SIGNAL,   /* "SIGUSR1" or a number */
	VZ_KT_DOUBLE,   /* number within [dmin, dmax] */
	VZ_KT_ARGV,     /* "/sbin/init" (split at blanks) or ["/bin/sh", "-c", "x"] */
	VZ_KT_ENV,      /* ["KEY=VALUE", ...] */
	VZ_KT_CAPS,     /* ["sys_module", ...] or "sys_module,sys_time" */
	VZ_KT_CGPARENT, /* "vz" or "vz/something" */
	VZ_KT_UIDS,     /* "1000 1001" or "1000,1001": numeric uids (may be empty) */
	VZ_KT_ENUM,     /* one of the names `enum_from_string` knows, stored as an int */
	VZ_KT_CPULIST,  /* "0-3,6": a cpuset list of CPU or memory node numbers */
	VZ_KT_LIMITNAMES, /* ["swap", "io_weight"] or "swap,io_weight": limits.* key names */
	VZ_KT_DEVICES,  /* ["c 10:200 rwm", ...]: device rules (parse_dev_rule) */
	VZ_KT_IOLIST,   /* ( { device = "/dev/vda"; read_bps = "50M"; } ): struct vz_limits (io-limit.h) */
	VZ_KT_AUTOBOOL, /* true, false or "auto", stored as enum vz_lxcfs_mode */
	VZ_KT_NETLIST,  /* ( { type = "veth"; ipv4 = "198.18.0.10/24"; } ): the spec's net (net.h) */
	VZ_KT_ADDRLIST, /* [ "198.18.0.1", "fd42::1" ]: IP addresses, stored canonical */
};

/* Keys that only vz create writes: refused in vz.conf's defaults group. */
#define VZ_KEY_PER_CONTAINER 0x1

struct vz_key {
	const char *name;
	enum vz_key_type type;
	size_t offset; /* into struct vz_spec (container keys) or struct vz_global */
	uint64_t min, max;
	double dmin, dmax;
	unsigned flags;
	int (*enum_from_string)(const char *); /* VZ_KT_ENUM */
	const char *enum_names;                /* VZ_KT_ENUM, for messages: "auto, ready or exec" */
	/* VZ_KT_STRING: checks the value (which may then be empty): 0 or
	 * -EINVAL with the reason in why */
	int (*check)(const char *v, char *why, size_t len);
};

extern const struct vz_key vz_container_keys[];
extern const struct vz_key vz_global_keys[];

const struct vz_key *vz_key_find(const struct vz_key *table, const char *name);
/* Is `prefix` ("limits") the group part of some key in table? */
bool vz_key_is_group(const struct vz_key *table, const char *prefix);

/* Convert setting s to the key's type and store it in obj (a struct vz_spec
 * or struct vz_global). On error returns -EINVAL/-ERANGE with the reason
 * alone in why ("invalid size 'lots'"). */
int vz_key_apply(const struct vz_key *k, const config_setting_t *s, void *obj, char *why,
		 size_t whylen);

/* A why that names a list element ("[0].read_bps: reason") belongs in the
 * key: the length of that "[0].read_bps" part, else 0. */
static inline size_t vz_key_why_sub(const char *why)
{
	return why[0] == '[' && strstr(why, ": ") ? (size_t)(strstr(why, ": ") - why) : 0;
}

/* Walk the group `grp` (the root, or vz.conf's defaults) and apply every
 * setting to obj. `path` is the file for messages; `prefix` is prepended to
 * key names ("defaults."), `flags_refused` keys are errors. */
int vz_config_apply_group(const struct vz_key *table, const config_setting_t *grp, void *obj,
			  const char *path, const char *prefix, unsigned flags_refused,
			  vz_err *err);
