/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state.c: run/NAME/state, the runtime state file (see state.h). Written by
 * the monitor, read by commands (vz ls, info, start, stop).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fs-util.h"
#include "parse-util.h"
#include "state.h"

int vz_state_format(const struct vz_state *s, char *buf, size_t size)
{
	const char *name = vz_state_to_string(s->state);
	int n = snprintf(buf, size,
			 "state=%s\nmonitor_pid=%d\ninit_pid=%d\ninit_start=%" PRIu64
			 "\nstarted_at=%" PRIu64 "\nrestarts=%u\n",
			 name ? name : "STOPPED", (int)s->monitor_pid, (int)s->init_pid,
			 s->init_start, s->started_at, s->restarts);
	if (n < 0 || (size_t)n >= size)
		return -ENOBUFS;
	return n;
}

enum { F_STATE, F_MONITOR, F_INIT, F_INIT_START, F_STARTED, F_RESTARTS };

static const struct {
	const char *key;
	int field;
	bool required;
} keys[] = {
	{ "state", F_STATE, true },	       { "monitor_pid", F_MONITOR, true },
	{ "init_pid", F_INIT, false },     { "init_start", F_INIT_START, false },
	{ "started_at", F_STARTED, false }, { "restarts", F_RESTARTS, false },
};

static int set_field(struct vz_state *s, int field, const char *v)
{
	uint64_t u;
	if (field == F_STATE) {
		int st = vz_state_from_string(v);
		if (st < 0)
			return -EINVAL;
		s->state = (enum vz_run_state)st;
		return 0;
	}
	if (parse_u64(v, &u) < 0)
		return -EINVAL;
	switch (field) {
	case F_MONITOR:
	case F_INIT:
		if (u > INT32_MAX)
			return -ERANGE;
		*(field == F_MONITOR ? &s->monitor_pid : &s->init_pid) = (pid_t)u;
		return 0;
	case F_INIT_START:
		s->init_start = u;
		return 0;
	case F_STARTED:
		s->started_at = u;
		return 0;
	case F_RESTARTS:
		if (u > UINT32_MAX)
			return -ERANGE;
		s->restarts = (uint32_t)u;
		return 0;
	}
	return -EINVAL;
}

int vz_state_parse(const char *text, struct vz_state *s, vz_err *err)
{
	*s = (struct vz_state){ .state = VZ_STATE_STOPPED };
	bool seen[ELEMENTSOF(keys)] = { false };
	unsigned lineno = 0;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char line[256];
		lineno++;
		if (len >= sizeof(line))
			return vz_failx(err, EINVAL, "state file line %u is too long", lineno);
		memcpy(line, p, len);
		line[len] = 0;
		p += len + (end ? 1 : 0);
		char *eq = strchr(line, '=');
		if (!eq)
			continue; /* blank or foreign line */
		*eq = 0;
		for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
			if (!streq(line, keys[i].key))
				continue;
			if (set_field(s, keys[i].field, eq + 1) < 0)
				return vz_failx(err, EINVAL, "state file line %u: bad value for '%s'",
						lineno, line);
			seen[i] = true;
		}
	}
	for (size_t i = 0; i < ELEMENTSOF(keys); i++)
		if (keys[i].required && !seen[i])
			return vz_failx(err, EINVAL, "state file: '%s' is missing", keys[i].key);
	return 0;
}

int vz_state_write(const char *path, const struct vz_state *s, vz_err *err)
{
	char buf[512];
	int n = vz_state_format(s, buf, sizeof(buf));
	if (n < 0)
		return vz_fail(err, n, "format state");
	int r = write_file_replace(path, buf, (size_t)n, 0644);
	if (r < 0)
		return vz_fail(err, r, "write state file '%s'", path);
	return 0;
}

int vz_state_read(const char *path, struct vz_state *s, vz_err *err)
{
	_cleanup_free_ char *text = NULL;
	int r = read_file(path, &text, NULL);
	if (r == -ENOENT)
		return r;
	if (r < 0)
		return vz_fail(err, r, "read state file '%s'", path);
	r = vz_state_parse(text, s, err);
	if (r < 0)
		vz_err_prefix(err, "%s", path);
	return r;
}
