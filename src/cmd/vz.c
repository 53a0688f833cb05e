/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz.c: the multi-call entry point. `vz VERB ...` and `vz-VERB ...` (a link
 * to vz) are the same command; this file holds the verb table, the common
 * options and the single place where errors are printed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "vz.h"

static const struct vz_verb verbs[] = {
	{ "create", verb_create,
	  "NAME -t TEMPLATE [-B overlay|dir] [-c KEY=VALUE]... [--password PW|--password-file F] [--refresh] [-- TEMPLATE-ARGS]",
	  "create a container from a template" },
	{ "clone", verb_clone, "SRC DST", "copy a stopped container (new ids, hostname, machine id)" },
	{ "destroy", verb_destroy, "NAME [-f]", "remove a container and all its files" },
	{ "start", verb_start, "NAME [-F|--console] [--no-wait]", "start a container" },
	{ "stop", verb_stop, "NAME [-t SECONDS] [-k]", "stop a container" },
	{ "restart", verb_restart, "NAME [-t SECONDS] [-k]", "stop and start a container" },
	{ "set", verb_set, "NAME KEY=VALUE... [--save] [--ram S] [--swap S] [--cpus N] [--cpulimit PCT] [--cpuunits U] [--numproc N]",
	  "change a container's limits, live and/or in its config" },
	{ "freeze", verb_freeze, "NAME", "freeze every process of a running container" },
	{ "unfreeze", verb_unfreeze, "NAME", "let a frozen container run again" },
	{ "attach", verb_attach, "NAME [--uid N] [--gid N] [--keep-env] [--set-env K=V] [-- CMD...]",
	  "run a command (default: a login shell) in a running container" },
	{ "console", verb_console, "NAME [-t N] [--ro] [-e KEY] [--log|--list]",
	  "attach to a running container's console, or show its history" },
	{ "ls", verb_ls, "[--json] [-1] [--running|--stopped]", "list containers" },
	{ "info", verb_info, "NAME [--limits] [--json]", "show a container's state, ids, usage and limit hits" },
	{ "top", verb_top, "[-b] [-n N] [-d SECONDS] [-s cpu|memory|name|pids|io] [-f PATTERN]",
	  "every running container's CPU, memory, pids and I/O, live (ncurses) or in batch" },
	{ "cache", verb_cache, "ls [--json] | rm TEMPLATE/RELEASE...",
	  "list the template cache and its users, remove unused entries" },
	{ "net", verb_net, "up | down [-f] | status [--json]",
	  "the host bridge of vz.conf: create, remove, show (with NAT and DHCP)" },
	{ "checkconfig", verb_checkconfig, "NAME|FILE", "check a container configuration" },
};

static const struct vz_verb *find_verb(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
		if (streq(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vz [-P DIR] [--log-level LEVEL] VERB [ARGS]\n\n");
	for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
		fprintf(f, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\n`vz VERB --help` and vz-VERB(1) describe each verb; vz.conf(5) the "
		   "configuration.\n");
}

void cmd_print_help(const struct vz_cmd *cmd, FILE *f)
{
	const struct vz_verb *v = find_verb(cmd->verb);
	fprintf(f, "usage: vz %s %s\n  %s\n\ncommon options: -P DIR (or VZ_PATH), --log-level "
		   "LEVEL, -h\nsee vz-%s(1)\n",
		v->name, v->args, v->summary, v->name);
}

/* The argv being parsed, for messages about long options. */
static char **parsing_argv;
static int parsing_argc;

static const char *argv_word(int i)
{
	return parsing_argv && i >= 0 && i < parsing_argc ? parsing_argv[i] : "?";
}

int cmd_common_option(struct vz_cmd *cmd, int opt, const char *arg, int *exit_status)
{
	switch (opt) {
	case 'P':
		cmd->vzpath = arg;
		return 1;
	case OPT_LOG_LEVEL:
		if (vz_log_level_from_string(arg) < 0) {
			*exit_status = cmd_usage_error(cmd, "unknown log level '%s' (error, warn, "
							    "info, debug)", arg);
			return -1;
		}
		cmd->log_level = arg;
		return 1;
	case 'h':
		cmd_print_help(cmd, stdout);
		*exit_status = 0;
		return -1;
	case '?':
	case ':': {
		/* For long options optopt is 0 and optind is past the word. */
		const char *word = argv_word(optind - 1);
		if (opt == ':')
			*exit_status = optopt ? cmd_usage_error(cmd, "option -%c needs a value", optopt)
					      : cmd_usage_error(cmd, "option %s needs a value", word);
		else
			*exit_status = optopt ? cmd_usage_error(cmd, "unknown option -%c", optopt)
					      : cmd_usage_error(cmd, "unknown option %s", word);
		return -1;
	}
	}
	return 0;
}

int cmd_getopt(struct vz_cmd *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *exit_status)
{
	parsing_argv = argv;
	parsing_argc = argc;
	opterr = 0;
	for (;;) {
		int opt = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (opt == -1)
			return -1;
		int c = cmd_common_option(cmd, opt, optarg, exit_status);
		if (c < 0)
			return -2;
		if (c == 0)
			return opt;
	}
}

int cmd_load_global(struct vz_cmd *cmd)
{
	if (cmd->log_level)
		vz_log_setup(STDERR_FILENO, (enum vz_log_level)vz_log_level_from_string(cmd->log_level),
			     "vz");
	if (!cmd->vzpath) {
		const char *e = getenv("VZ_PATH");
		cmd->vzpath = e && *e ? e : NULL;
	}
	vz_err err = { 0 };
	if (vz_global_load(cmd->vzpath, &cmd->g, &err) < 0)
		return cmd_error(cmd, NULL, &err);
	return 0;
}

int cmd_error(const struct vz_cmd *cmd, const char *name, const vz_err *err)
{
	const char *msg = vz_err_set(err) ? err->msg : "unknown error";
	char quoted[80];
	snprintf(quoted, sizeof(quoted), "'%s'", name ? name : "");
	if (name && !strstr(msg, quoted))
		fprintf(stderr, "vz %s: %s: %s\n", cmd->verb, name, msg);
	else
		fprintf(stderr, "vz %s: %s\n", cmd->verb, msg);
	return 1;
}

int cmd_usage_error(const struct vz_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	if (streq(cmd->verb, "vz"))
		fprintf(stderr, "vz: ");
	else
		fprintf(stderr, "vz %s: ", cmd->verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s%s --help)\n", streq(cmd->verb, "vz") ? "" : "vz ", cmd->verb);
	return 2;
}

/* Options before the verb: `vz -P DIR --log-level debug start x`. */
static int global_options(struct vz_cmd *cmd, int argc, char **argv, int *exit_status)
{
	static const struct option opts[] = {
		{ "vzpath", required_argument, NULL, 'P' },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{},
	};
	int opt;
	parsing_argv = argv;
	parsing_argc = argc;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:P:hV", opts, NULL)) != -1) {
		if (opt == 'h' || opt == 'V') {
			if (opt == 'h')
				usage(stdout);
			else
				printf("vz %s\n", PACKAGE_VERSION);
			*exit_status = 0;
			return -1;
		}
		if (cmd_common_option(cmd, opt, optarg, exit_status) < 0)
			return -1;
	}
	return optind;
}

int main(int argc, char **argv)
{
	struct vz_cmd cmd = { .verb = "vz" };
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct vz_verb *v = NULL;
	int status = 0;

	if (startswith(base, "vz-")) {
		v = find_verb(base + 3);
		if (!v) {
			fprintf(stderr, "vz: unknown command '%s'\n", base);
			return 2;
		}
	} else {
		int next = global_options(&cmd, argc, argv, &status);
		if (next < 0)
			return status;
		if (next >= argc) {
			usage(stderr);
			return 2;
		}
		v = find_verb(argv[next]);
		if (!v) {
			fprintf(stderr, "vz: unknown verb '%s'\n\n", argv[next]);
			usage(stderr);
			return 2;
		}
		argc -= next;
		argv += next;
		optind = 0; /* re-initialise getopt for the verb's own options */
	}
	cmd.verb = v->name;
	status = v->run(&cmd, argc, argv);
	vz_global_free(cmd.g);
	return status;
}
