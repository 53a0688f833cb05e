/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz destroy NAME [-f]
 */
#include "container.h"
#include "vz.h"

int verb_destroy(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "force", no_argument, NULL, 'f' },
		{},
	};
	bool force = false;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "f", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 'f')
			force = true;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_destroy(cmd->g, argv[optind], force, &err) < 0)
		return cmd_error(cmd, argv[optind], &err);
	return 0;
}
