/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify.h: the container's notify socket, $NOTIFY_SOCKET of its init
 * (sd_notify(3); systemd's container interface): an AF_UNIX datagram
 * socket at /run/host/notify inside the container. The container child
 * makes it in the container's own /run tmpfs before pivot_root (so nothing
 * of the host is mounted in the container) and hands it to the monitor with
 * READY; the monitor reads it for the container's life. systemd as PID 1
 * sends "READY=1" when the boot is finished (with "STATUS=Startup finished
 * in ...") and "STOPPING=1" when it shuts down. Only messages whose
 * SCM_CREDENTIALS name the current init are taken: the kernel translates
 * the sender's pid into the monitor's pid namespace, where init is
 * run->init_pid.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Where init finds it, inside the container. */
#define VZ_NOTIFY_SOCKET "/run/host/notify"

/* What init said so far. */
struct vz_notify {
	bool ready;       /* READY=1 */
	bool stopping;    /* STOPPING=1 */
	char status[256]; /* the last STATUS=, control characters replaced */
};

/* In the container child: bind the socket at dir/notify (dir is the
 * container's /run/host as the child sees it before pivot_root), with
 * SO_PASSCRED. *ret_fd is close-on-exec and non-blocking. */
int vz_notify_create_in_child(const char *dir, int *ret_fd, vz_err *err);

/* Take one message's "KEY=VALUE" lines into n (unknown keys are ignored). */
void vz_notify_parse(struct vz_notify *n, const char *buf, size_t len);

/* Monitor: receive one datagram. 1 = it came from pid `from` and was taken
 * into n; 0 = it did not (another sender, no credentials, truncated) and
 * was dropped; -EAGAIN = nothing queued; other -errno on errors. */
int vz_notify_recv(int fd, pid_t from, struct vz_notify *n);
