/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz freeze NAME, vz unfreeze NAME
 */
#include "container.h"
#include "vz.h"

static int freeze_verb(struct vz_cmd *cmd, int argc, char **argv, bool freeze)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{},
	};
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1)
		if (opt == -2)
			return status;
	if (argc - optind != 1)
		return cmd_usage_error(cmd, argc - optind < 1 ? "missing container name"
							     : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_freeze(cmd->g, argv[optind], freeze, &err) < 0)
		return cmd_error(cmd, argv[optind], &err);
	return 0;
}

int verb_freeze(struct vz_cmd *cmd, int argc, char **argv)
{
	return freeze_verb(cmd, argc, argv, true);
}

int verb_unfreeze(struct vz_cmd *cmd, int argc, char **argv)
{
	return freeze_verb(cmd, argc, argv, false);
}
