/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz create NAME -t TEMPLATE [-B BACKEND] [-c KEY=VALUE]... [--password PW |
 *           --password-file FILE] [--refresh] [-- TEMPLATE-ARGS]
 */
#include <string.h>

#include "container.h"
#include "fs-util.h"
#include "strv.h"
#include "vz.h"

enum { OPT_PASSWORD = OPT_COMMON_LAST + 1, OPT_PASSWORD_FILE, OPT_REFRESH };

#define VZ_PASSWORD_MAX 4096

/* First line of FILE ("-": stdin), without its newline. */
static int read_password_file(struct vz_cmd *cmd, const char *file, char **ret)
{
	FILE *f = streq(file, "-") ? stdin : fopen(file, "re");
	if (!f) {
		vz_err err = { 0 };
		vz_fail(&err, errno, "--password-file '%s'", file);
		return cmd_error(cmd, NULL, &err);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (f != stdin)
		fclose(f);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = 0;
	if (n <= 0) {
		free(line);
		return cmd_usage_error(cmd, "--password-file '%s': no password in it (want one line)",
				       file);
	}
	*ret = line;
	return 0;
}

int verb_create(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "template", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{ "backend", required_argument, NULL, 'B' },
		{ "password", required_argument, NULL, OPT_PASSWORD },
		{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
		{ "refresh", no_argument, NULL, OPT_REFRESH },
		{},
	};
	struct vz_create_opts o = { 0 };
	_cleanup_strv_free_ char **settings = NULL;
	_cleanup_free_ char *password = NULL;
	const char *password_file = NULL;
	/* Everything after "--" belongs to the template: cut it off before
	 * getopt sees (and permutes) it. */
	int nopt = 1;
	while (nopt < argc && !streq(argv[nopt], "--"))
		nopt++;
	char **targs = nopt < argc ? argv + nopt + 1 : argv + argc;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, nopt, argv, COMMON_SHORT "t:c:B:", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == 't')
			o.template = optarg;
		else if (opt == 'B')
			o.backend = optarg;
		else if (opt == OPT_REFRESH)
			o.refresh = true;
		else if (opt == OPT_PASSWORD_FILE)
			password_file = optarg;
		else if (opt == OPT_PASSWORD) {
			free(password);
			password = strdup(optarg);
			if (!password)
				return 1;
		} else if (opt == 'c' && strv_push(&settings, optarg) < 0)
			return 1;
	}
	if (password && password_file)
		return cmd_usage_error(cmd, "--password and --password-file: give one of them");
	if (password && !*password)
		return cmd_usage_error(cmd, "--password: empty (leave it out and root's password "
					    "stays locked)");
	if (password && strchr(password, '\n'))
		return cmd_usage_error(cmd, "--password: a newline cannot be part of a password");
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
	if (password_file) {
		int rr = read_password_file(cmd, password_file, &password);
		if (rr)
			return rr;
	}
	/* chpasswd and the templates read one line; crypt() wants it short. */
	if (password && strlen(password) >= VZ_PASSWORD_MAX)
		return cmd_usage_error(cmd, "%s: the password is longer than %d bytes",
				       password_file ? "--password-file" : "--password",
				       VZ_PASSWORD_MAX - 1);
	o.password = password;

	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_create(cmd->g, name, &o, &err) < 0)
		return cmd_error(cmd, name, &err);
	return 0;
}
