/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz stop NAME [-t SECONDS] [-k]; also the option parsing vz restart shares.
 */
#include "container.h"
#include "parse-util.h"
#include "vz.h"

int stop_parse(struct vz_cmd *cmd, int argc, char **argv, struct vz_stop_opts *o,
	       const char **name, int *status);

int stop_parse(struct vz_cmd *cmd, int argc, char **argv, struct vz_stop_opts *o,
	       const char **name, int *status)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "timeout", required_argument, NULL, 't' },
		{ "kill", no_argument, NULL, 'k' },
		{},
	};
	*o = (struct vz_stop_opts){ .timeout_ms = -1 };
	int opt;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "t:k", opts, status)) != -1) {
		if (opt == -2)
			return -1;
		if (opt == 'k')
			o->kill = true;
		else if (opt == 't') {
			uint64_t ms;
			if (parse_duration_ms(optarg, &ms) < 0) {
				*status = cmd_usage_error(cmd, "invalid timeout '%s' (seconds, or "
							       "e.g. 500ms, 2m)", optarg);
				return -1;
			}
			o->timeout_ms = (int64_t)ms;
		}
	}
	if (optind + 1 != argc) {
		*status = cmd_usage_error(cmd, optind >= argc ? "missing container name"
							      : "too many arguments");
		return -1;
	}
	*name = argv[optind];
	*status = cmd_load_global(cmd);
	return *status ? -1 : 0;
}

int verb_stop(struct vz_cmd *cmd, int argc, char **argv)
{
	struct vz_stop_opts o;
	const char *name;
	int status = 0;
	if (stop_parse(cmd, argc, argv, &o, &name, &status) < 0)
		return status;
	vz_err err = { 0 };
	int r = vz_container_stop(cmd->g, name, &o, &err);
	if (r < 0)
		return cmd_error(cmd, name, &err);
	if (r == 1)
		fprintf(stderr, "vz stop: %s was not running: its monitor had died; cleaned up what "
				"it left\n", name);
	return 0;
}
