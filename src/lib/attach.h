/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attach.h: run a command inside a running container: in its cgroup and all
 * its namespaces (entered through init's pidfd, which the monitor hands
 * over), with the container's capability bounding set and a clean
 * environment. With a terminal on stdin the command gets a pty from the
 * container's own devpts and this process relays it. Runs in vz attach.
 */
#pragma once

#include <sys/types.h>

#include "err.h"
#include "paths.h"

struct vz_attach_opts {
	uid_t uid;
	gid_t gid;
	bool keep_env;    /* keep the caller's environment (plus container=vz) */
	char **set_env;   /* KEY=VALUE added last */
	char **argv;      /* NULL: the user's login shell from the container's /etc/passwd */
	bool pty;         /* allocate a pty (normally: stdin is a terminal) */
};

/* Runs the command and returns its wait status in *ret_status (exit code, or
 * 128+signal). A command that cannot be executed is an error (err says why)
 * with *ret_status 127 (not found) or 126. */
int vz_attach(const struct vz_global *g, const char *name, const struct vz_attach_opts *o,
	      int *ret_status, vz_err *err);
