/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state.h: run/NAME/state, the container's runtime state readable without
 * the monitor (vz ls reads it for hundreds of containers). Written only by
 * the monitor, atomically (temp + rename). Text, one "key=value" per line:
 *
 *   state=RUNNING
 *   monitor_pid=1234
 *   init_pid=1235
 *   init_start=987654   (starttime of init, /proc/PID/stat field 22: guards pid reuse)
 *   started_at=1763850000
 *   restarts=0
 *
 * Unknown keys are ignored (forward compatible); a missing required key
 * (state, monitor_pid) or a bad value is an error naming the line.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "enums.h"
#include "err.h"

struct vz_state {
	enum vz_run_state state;
	pid_t monitor_pid;
	pid_t init_pid;           /* 0 when not running */
	uint64_t init_start;      /* 0 when unknown */
	uint64_t started_at;      /* CLOCK_REALTIME seconds */
	uint32_t restarts;
};

/* Returns the length written (< size) or -ENOBUFS. */
int vz_state_format(const struct vz_state *s, char *buf, size_t size);
int vz_state_parse(const char *text, struct vz_state *s, vz_err *err);
int vz_state_write(const char *path, const struct vz_state *s, vz_err *err);
/* -ENOENT (err not filled) when there is no state file. */
int vz_state_read(const char *path, struct vz_state *s, vz_err *err);
