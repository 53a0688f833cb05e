/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console.h: the container's /dev/console. The monitor owns the pty master
 * for the container's whole life (across reboots) and drains it into
 * log/NAME/console.log (size-limited, rotated), so the container never blocks
 * on its console whether or not anyone is watching. The monitor also keeps a
 * slave fd open so the master never reports a hangup between boots.
 * Runs in the monitor.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct vz_console {
	int master;
	int slave;               /* the monitor's own reference (see above) */
	char slave_path[64];     /* host path, bound on the container's /dev/console */
	int log_fd;
	char *log_path;
	uint64_t log_size;       /* rotate when a write would pass this; 0 = no log */
	uint64_t log_written;
	uint32_t log_files;      /* rotated files kept: console.log.1 .. .N */
	int echo_fd;             /* vz start -F: output is also copied here */
};

#define VZ_CONSOLE_INIT { .master = -EBADF, .slave = -EBADF, .log_fd = -EBADF, .echo_fd = -EBADF }

/* Create the pty (slave owned by uid:gid, mode 0620) and open the log. */
int vz_console_open(struct vz_console *c, uid_t uid, gid_t gid, const char *log_path,
		    uint64_t log_size, uint32_t log_files, vz_err *err);
/* Move whatever output is pending to the log (and echo fd). Returns the
 * number of bytes moved, 0 if none was pending. */
ssize_t vz_console_drain(struct vz_console *c);
/* Input to the console (vz start -F). */
int vz_console_input(struct vz_console *c, const void *buf, size_t n);
void vz_console_close(struct vz_console *c);
