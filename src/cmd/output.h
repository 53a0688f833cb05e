/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * output.h: a small JSON writer (escaping, commas, nesting) for --json, and
 * shared formatting of what ls and info print. Runs in commands.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "list.h"

struct json {
	FILE *f;
	int depth;
	bool need_comma[16];
};

void json_begin(struct json *j, FILE *f);
void json_object_open(struct json *j, const char *key); /* key NULL inside arrays / at top */
void json_object_close(struct json *j);
void json_array_open(struct json *j, const char *key);
void json_array_close(struct json *j);
void json_str(struct json *j, const char *key, const char *v); /* NULL -> null */
void json_int(struct json *j, const char *key, int64_t v);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
void json_end(struct json *j); /* final newline */

/* The first IPv4 (or IPv6) address of a running container, without its
 * prefix, or NULL; a static buffer. */
const char *info_first_addr(const struct vz_info *i, bool v6);
/* An interface's IPv4 address as shown: for ipv4 = "dhcp" the leased one
 * when vz's dnsmasq has it, else "dhcp". */
const char *info_ipv4(const struct vz_net_rec *n);
/* One container as a JSON object (ls --json and info --json share it). */
void info_to_json(struct json *j, const struct vz_info *i);
/* "STOPPED", or "STOPPED (monitor died)" when stale */
const char *info_state_label(const struct vz_info *i);

/* The limits a container hit (a counter above 0) or whose usage is within
 * 10% of them: what vz info --limits shows and "limits_hit" in --json.
 * Needs VZ_LIST_HITS; 0 without statistics. */
enum {
	INFO_LIMIT_MEMORY = 1 << 0, /* memory or swap limit hit, OOM kill, usage >= 90% */
	INFO_LIMIT_CPU = 1 << 1,    /* throttled at least once */
	INFO_LIMIT_PIDS = 1 << 2,   /* a fork refused, or pids >= 90% of pids.max */
};
unsigned info_limits_flagged(const struct vz_info *i);
