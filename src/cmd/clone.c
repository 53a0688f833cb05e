/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz clone SRC DST
 */
#include "container.h"
#include "vz.h"

int verb_clone(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{},
	};
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1)
		if (opt == -2)
			return status;
	if (argc - optind != 2)
		return cmd_usage_error(cmd, argc - optind < 2 ? "want SRC and DST (vz clone SRC DST)"
							     : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_clone(cmd->g, argv[optind], argv[optind + 1], &err) < 0)
		return cmd_error(cmd, argv[optind + 1], &err);
	return 0;
}
