/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz start NAME [-F]
 */
#include "container.h"
#include "vz.h"

int verb_start(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "foreground", no_argument, NULL, 'F' },
		{},
	};
	struct vz_start_opts o = { 0 };
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "F", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 'F')
			o.foreground = true;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	o.log_level = cmd->log_level;
	vz_err err = { 0 };
	pid_t pid;
	if (vz_container_start(cmd->g, argv[optind], &o, &pid, &err) < 0)
		return cmd_error(cmd, argv[optind], &err);
	return 0;
}
