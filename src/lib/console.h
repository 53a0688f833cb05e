/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console.h: the container's /dev/console. The pty lives in the container's
 * own devpts instance (the child creates it and hands the master over on
 * the sync socket), so no file system of the host is ever mounted in the
 * container: a privileged container that remounts everything read-only on
 * shutdown cannot reach the host's /dev/pts, and CRIU sees an ordinary
 * container pty. The monitor owns the master from then on and drains it into
 * log/NAME/console.log (size-limited, rotated), so the container never blocks
 * on its console whether or not anyone is watching. The monitor also keeps a
 * slave fd (TIOCGPTPEER) so the master never reports a hangup while init
 * runs. Each boot (a reboot inside included) brings a new pty; the log
 * continues. Runs in the monitor.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct vz_console {
	int master;
	int slave;               /* the monitor's own reference (see above) */
	int log_fd;
	char *log_path;
	uint64_t log_size;       /* rotate when a write would pass this; 0 = no log */
	uint64_t log_written;
	uint32_t log_files;      /* rotated files kept: console.log.1 .. .N */
	int echo_fd;             /* vz start -F: output is also copied here */
};

#define VZ_CONSOLE_INIT { .master = -EBADF, .slave = -EBADF, .log_fd = -EBADF, .echo_fd = -EBADF }

/* Open the log (before the first boot). */
int vz_console_open_log(struct vz_console *c, const char *log_path, uint64_t log_size,
			uint32_t log_files, vz_err *err);
/* Take the master of a new boot's console pty (ownership passes to c). What
 * the previous pty still held is drained first and it is closed. */
int vz_console_set_master(struct vz_console *c, int master, vz_err *err);
/* In the container child, after its devpts is mounted at pts_dir: create
 * the console pty there. *master gets the master (O_CLOEXEC, non-blocking)
 * and slave_path the slave's path, to be bound on /dev/console. */
int vz_console_create_in_child(const char *pts_dir, int *master, char *slave_path, size_t len,
			       vz_err *err);
/* Move whatever output is pending to the log (and echo fd). Returns the
 * number of bytes moved, 0 if none was pending. */
ssize_t vz_console_drain(struct vz_console *c);
/* Input to the console (vz start -F). */
int vz_console_input(struct vz_console *c, const void *buf, size_t n);
void vz_console_close(struct vz_console *c);
