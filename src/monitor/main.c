/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz-monitor NAME: one per running container, started by `vz start` (see
 * monitor.h). Its argv is exactly "vz-monitor NAME" so ps shows which
 * container it serves; everything else comes from the environment set by
 * `vz start`: VZ_PATH (-P), VZ_STATUS_FD (where to report READY/ERROR),
 * VZ_LOG_LEVEL, VZ_FOREGROUND=1 (vz start -F), VZ_NO_WAIT=1 (vz start
 * --no-wait), VZ_FAIL_STEP (tests).
 * `vz-monitor --keep-unit` is something else: the process that keeps the
 * delegated systemd unit vz.service alive (cgroup-systemd.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cgroup.h"
#include "config.h"
#include "log.h"
#include "monitor.h"
#include "parse-util.h"
#include "proto.h"

static void report(int status_fd, const vz_err *err)
{
	if (status_fd >= 0) {
		struct vz_msg msg;
		vz_msg_from_err(&msg, err);
		vz_msg_send(status_fd, &msg, NULL, 0);
	}
	fprintf(stderr, "vz-monitor: %s\n", err->msg);
}

int main(int argc, char **argv)
{
	if (argc == 2 && streq(argv[1], "--keep-unit")) {
		/* The one process of vz.service on a systemd host (cgroup.h). */
		vz_err err = { 0 };
		if (vz_cgroup_systemd_keep(&err) < 0) {
			fprintf(stderr, "vz-monitor --keep-unit: %s\n", err.msg);
			return 1;
		}
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: vz-monitor NAME (started by vz start)\n");
		return 2;
	}
	const char *name = argv[1];
	struct vz_monitor_opts opts = { .status_fd = -EBADF };
	const char *s = getenv("VZ_STATUS_FD");
	if (s && parse_int(s, &opts.status_fd) < 0)
		opts.status_fd = -EBADF;
	opts.foreground = getenv("VZ_FOREGROUND") != NULL;
	opts.no_wait = getenv("VZ_NO_WAIT") != NULL;

	int level = VZ_LOG_INFO;
	s = getenv("VZ_LOG_LEVEL");
	if (s && vz_log_level_from_string(s) >= 0)
		level = vz_log_level_from_string(s);
	vz_log_setup(STDERR_FILENO, (enum vz_log_level)level, name);

	if (chdir("/") < 0)
		return 1;

	vz_err err = { 0 };
	_cleanup_(vz_global_freep) struct vz_global *g = NULL;
	_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
	int r = vz_global_load(getenv("VZ_PATH"), &g, &err);
	if (r >= 0)
		r = vz_spec_load(g, name, &spec, &err);
	if (r < 0) {
		report(opts.status_fd, &err);
		return 1;
	}
	return vz_monitor_run(g, spec, &opts, &err);
}
