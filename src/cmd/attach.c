/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz attach NAME [--uid N] [--gid N] [--keep-env] [--set-env K=V]... [-- CMD ARGS...]
 * The exit status is the command's (128+N when it died of signal N).
 */
#include <stdlib.h>

#include "attach.h"
#include "parse-util.h"
#include "strv.h"
#include "vz.h"

enum { OPT_UID = OPT_COMMON_LAST, OPT_GID, OPT_KEEP_ENV, OPT_SET_ENV };

static int parse_id(struct vz_cmd *cmd, const char *what, const char *arg, uint32_t *ret, int *st)
{
	if (parse_u32(arg, ret) < 0) {
		*st = cmd_usage_error(cmd, "invalid %s '%s' (a number)", what, arg);
		return -1;
	}
	return 0;
}

int verb_attach(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "keep-env", no_argument, NULL, OPT_KEEP_ENV },
		{ "set-env", required_argument, NULL, OPT_SET_ENV },
		{},
	};
	struct vz_attach_opts o = { 0 };
	_cleanup_strv_free_ char **env = NULL;
	bool gid_set = false;
	int nopt = 1;
	while (nopt < argc && !streq(argv[nopt], "--"))
		nopt++;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, nopt, argv, COMMON_SHORT, opts, &status)) != -1) {
		uint32_t v;
		switch (opt) {
		case -2:
			return status;
		case OPT_UID:
			if (parse_id(cmd, "uid", optarg, &v, &status) < 0)
				return status;
			o.uid = v;
			break;
		case OPT_GID:
			if (parse_id(cmd, "gid", optarg, &v, &status) < 0)
				return status;
			o.gid = v;
			gid_set = true;
			break;
		case OPT_KEEP_ENV:
			o.keep_env = true;
			break;
		case OPT_SET_ENV:
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cmd_usage_error(cmd, "--set-env needs KEY=VALUE, got '%s'",
						       optarg);
			if (strv_push(&env, optarg) < 0)
				return 1;
			break;
		}
	}
	if (optind >= nopt)
		return cmd_usage_error(cmd, "missing container name");
	const char *name = argv[optind];
	/* The command: after "--", or the words after the name. */
	char **command = nopt < argc ? argv + nopt + 1 : argv + optind + 1;
	if (nopt < argc && optind + 1 < nopt)
		return cmd_usage_error(cmd, "unexpected argument '%s' before --", argv[optind + 1]);
	o.argv = command[0] ? command : NULL;
	if (!gid_set)
		o.gid = o.uid;
	o.set_env = env;
	o.pty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_attach(cmd->g, name, &o, &status, &err) < 0) {
		cmd_error(cmd, name, &err);
		return status != 255 ? status : 1;
	}
	return status;
}
