/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * monitor-internal.h: the monitor's state, shared by monitor.c (its life,
 * event loop, control socket) and monitor-boot.c (readiness: start.wait,
 * the notify socket, start.timeout, what vz start is told). Runs in
 * vz-monitor.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "monitor.h"
#include "notify.h"
#include "start.h"
#include "state.h"

struct client {
	int fd;
	uid_t uid; /* SO_PEERCRED: only root may do more than attach to a console */
	pid_t pid;
	bool waits_stop;
	struct client *next;
};

struct monitor {
	const struct vz_global *g;
	const struct vz_spec *spec;
	const struct vz_monitor_opts *opts;
	struct vz_run run;
	int epfd, sigfd, ctlfd, timerfd, runtime_fd;
	struct vz_state st;
	char *state_path, *control_path;
	struct client *clients;
	bool quit;
	int init_status; /* wait status of the last init */

	/* readiness (start.wait, doc/ARCHITECTURE.md "Readiness") */
	int boot_timerfd;        /* start.timeout of the current boot */
	bool boot_timer_armed;
	uint64_t boot_begin_ms;  /* CLOCK_MONOTONIC ms at this boot's exec */
	struct vz_notify notify; /* what the current init said on $NOTIFY_SOCKET */
	bool status_open;        /* vz start waits on status_fd for READY or ERROR */
	vz_err start_err;        /* why the start it waits for failed */
};

/* monitor.c */
int vz_monitor_write_state(struct monitor *m, enum vz_run_state s);
int vz_monitor_epoll_add(struct monitor *m, int fd);
/* The halt signal, then SIGKILL after timeout_ms (at once with kill_now). */
void vz_monitor_begin_stop(struct monitor *m, uint64_t timeout_ms, bool kill_now);
/* To vz start, once (if it still waits): READY (err NULL) or ERROR. */
void vz_monitor_send_status(struct monitor *m, const vz_err *err);

/* monitor-boot.c */
/* After each execve of init: RUNNING at once, or STARTING until it reports
 * ready, with start.timeout armed. */
int vz_monitor_boot_started(struct monitor *m);
/* vz start learns that init runs and readiness follows. */
void vz_monitor_boot_send_pending(struct monitor *m);
/* Events: the notify socket, the start.timeout timer, vz start hanging up. */
void vz_monitor_boot_on_notify(struct monitor *m);
void vz_monitor_boot_on_timeout(struct monitor *m);
void vz_monitor_boot_on_hangup(struct monitor *m);
/* init ended (`what`: "exited with status 3") and no reboot follows: a
 * start that vz start waits for has failed, say why. */
void vz_monitor_boot_init_exited(struct monitor *m, const char *what);
