/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz restart NAME [-t SECONDS] [-k]: stop (if running), then start.
 */
#include <stdio.h>

#include "container.h"
#include "vz.h"

int stop_parse(struct vz_cmd *cmd, int argc, char **argv, struct vz_stop_opts *o,
	       const char **name, int *status);

int verb_restart(struct vz_cmd *cmd, int argc, char **argv)
{
	struct vz_stop_opts o;
	const char *name;
	int status = 0;
	if (stop_parse(cmd, argc, argv, &o, &name, &status) < 0)
		return status;
	vz_err err = { 0 };
	int r = vz_container_stop(cmd->g, name, &o, &err);
	if (r < 0 && r != -ENOTCONN)
		return cmd_error(cmd, name, &err);
	if (r == 1)
		fprintf(stderr, "vz restart: %s was not running: its monitor had died; cleaned up "
				"what it left\n", name);
	vz_err_clear(&err);
	struct vz_start_opts so = { .log_level = cmd->log_level };
	pid_t pid;
	if (vz_container_start(cmd->g, name, &so, &pid, &err) < 0)
		return cmd_error(cmd, name, &err);
	return 0;
}
