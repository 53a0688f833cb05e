/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz start NAME [-F | --console] [--no-wait]
 */
#include "container.h"
#include "vz.h"

enum { OPT_CONSOLE = OPT_COMMON_LAST, OPT_NO_WAIT };

int verb_start(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "foreground", no_argument, NULL, 'F' },
		{ "console", no_argument, NULL, OPT_CONSOLE },
		{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
		{},
	};
	struct vz_start_opts o = { 0 };
	bool console = false;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "F", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 'F')
			o.foreground = true;
		else if (opt == OPT_CONSOLE)
			console = true;
		else if (opt == OPT_NO_WAIT)
			o.no_wait = true;
	}
	/* -F already puts the console on the terminal, in the monitor itself. */
	if (o.foreground && console)
		return cmd_usage_error(cmd, "--console and -F cannot be used together");
	/* --console: the boot is watched live, not waited for in silence
	 * (its READY=1 or failure shows on the console). */
	if (console)
		o.no_wait = true;
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
	if (console) {
		/* As `vz console NAME`: the scrollback shows the boot so far,
		 * then live output. */
		struct console_opts co;
		console_opts_init(&co);
		return console_attach(cmd, argv[optind], &co);
	}
	return 0;
}
