/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz checkconfig NAME|FILE: load and validate a container configuration as
 * vz start would (vz.conf defaults applied), and the devices of limits.io
 * on this host; print "ok" or the error.
 * vz checkconfig --keys: list every container key.
 */
#include <stdio.h>

#include "config.h"
#include "io-limit.h"
#include "vz.h"

int verb_checkconfig(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { COMMON_OPTIONS, { "keys", no_argument, NULL, 'K' },
					      {} };
	int opt, status = 0;
	bool keys = false;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 'K')
			keys = true;
	}
	if (keys) {
		if (optind != argc)
			return cmd_usage_error(cmd, "--keys takes no argument");
		for (const char *const *k = vz_config_keys(); *k; k++)
			puts(*k);
		return 0;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name or file"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	const char *arg = argv[optind];
	vz_err err = { 0 };
	_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
	if (strchr(arg, '/'))
		r = vz_spec_load_file(cmd->g, arg, "checkconfig", &spec, &err);
	else
		r = vz_spec_load(cmd->g, arg, &spec, &err);
	/* What start checks on this host too: limits.io's devices ("rootfs"
	 * only for a container, not for a bare file). */
	_cleanup_free_ struct vz_io_limit *io = NULL;
	if (r >= 0)
		r = strchr(arg, '/') ? vz_io_resolve(&spec->limits, NULL, &io, &err)
				     : vz_io_resolve_spec(cmd->g, spec, &io, &err);
	if (r < 0)
		return cmd_error(cmd, NULL, &err);
	printf("%s: ok\n", spec->config_path ? spec->config_path : arg);
	return 0;
}
