/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz create NAME -t TEMPLATE [-c KEY=VALUE]... [-- TEMPLATE-ARGS]
 */
#include "container.h"
#include "strv.h"
#include "vz.h"

int verb_create(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "template", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{},
	};
	struct vz_create_opts o = { 0 };
	_cleanup_strv_free_ char **settings = NULL;
	/* Everything after "--" belongs to the template: cut it off before
	 * getopt sees (and permutes) it. */
	int nopt = 1;
	while (nopt < argc && !streq(argv[nopt], "--"))
		nopt++;
	char **targs = nopt < argc ? argv + nopt + 1 : argv + argc;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, nopt, argv, COMMON_SHORT "t:c:", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 't')
			o.template = optarg;
		else if (opt == 'c' && strv_push(&settings, optarg) < 0)
			return 1;
	}
	if (optind >= nopt)
		return cmd_usage_error(cmd, "missing container name");
	if (optind + 1 < nopt)
		return cmd_usage_error(cmd, "unexpected argument '%s' (template arguments go "
					    "after --)", argv[optind + 1]);
	const char *name = argv[optind];
	if (!o.template)
		return cmd_usage_error(cmd, "no template given (-t TEMPLATE, e.g. -t busybox)");
	o.template_args = targs;
	o.settings = settings;

	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_create(cmd->g, name, &o, &err) < 0)
		return cmd_error(cmd, name, &err);
	return 0;
}
