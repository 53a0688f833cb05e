/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz.h: what every verb file shares: the command context, common options
 * (-P/--vzpath, --log-level, -h/--help) and the one place errors are
 * printed. Runs in commands.
 */
#pragma once

#include <getopt.h>
#include <stdio.h>

#include "err.h"
#include "paths.h"

struct vz_cmd {
	const char *verb;      /* "create" */
	const char *vzpath;    /* -P / VZ_PATH */
	const char *log_level; /* --log-level */
	bool json;             /* --json, for verbs that report */
	struct vz_global *g;   /* loaded by cmd_load_global() */
};

struct vz_verb {
	const char *name;
	int (*run)(struct vz_cmd *cmd, int argc, char **argv);
	const char *args;    /* one-line synopsis after the verb */
	const char *summary; /* one line */
};

enum { OPT_LOG_LEVEL = 0x1000, OPT_COMMON_LAST };

#define COMMON_OPTIONS                                                                             \
	{ "vzpath", required_argument, NULL, 'P' },                                                \
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },                           \
		{ "help", no_argument, NULL, 'h' }
/* Leading ':': getopt reports a missing argument as ':' and prints nothing
 * itself, so every message has the "vz VERB: " form. */
#define COMMON_SHORT ":P:h"

/* Handle a common option: 1 = handled, 0 = not common, -1 = exit with
 * the returned status (help printed or bad value). */
int cmd_common_option(struct vz_cmd *cmd, int opt, const char *arg, int *exit_status);
/* Load vz.conf (honouring -P/VZ_PATH) and set up logging; prints on error. */
int cmd_load_global(struct vz_cmd *cmd);
/* "vz VERB: [NAME: ]message" on stderr; returns 1 (the exit status). */
int cmd_error(const struct vz_cmd *cmd, const char *name, const vz_err *err);
/* "vz VERB: message" on stderr for usage mistakes; returns 2. */
int cmd_usage_error(const struct vz_cmd *cmd, const char *fmt, ...) _printf_(2, 3);
void cmd_print_help(const struct vz_cmd *cmd, FILE *f);

int verb_create(struct vz_cmd *cmd, int argc, char **argv);
int verb_destroy(struct vz_cmd *cmd, int argc, char **argv);
int verb_start(struct vz_cmd *cmd, int argc, char **argv);
int verb_stop(struct vz_cmd *cmd, int argc, char **argv);
int verb_restart(struct vz_cmd *cmd, int argc, char **argv);
int verb_attach(struct vz_cmd *cmd, int argc, char **argv);
int verb_ls(struct vz_cmd *cmd, int argc, char **argv);
int verb_info(struct vz_cmd *cmd, int argc, char **argv);
int verb_checkconfig(struct vz_cmd *cmd, int argc, char **argv);
int verb_console(struct vz_cmd *cmd, int argc, char **argv);
int verb_clone(struct vz_cmd *cmd, int argc, char **argv);
int verb_cache(struct vz_cmd *cmd, int argc, char **argv);
int verb_freeze(struct vz_cmd *cmd, int argc, char **argv);
int verb_set(struct vz_cmd *cmd, int argc, char **argv);
int verb_unfreeze(struct vz_cmd *cmd, int argc, char **argv);
int verb_top(struct vz_cmd *cmd, int argc, char **argv);
int verb_net(struct vz_cmd *cmd, int argc, char **argv);

/* vz console's options (console.c); vz start --console uses the defaults. */
struct console_opts {
	unsigned tty; /* 0 = /dev/console, N = /dev/ttyN */
	bool tty_set; /* -t given: --list shows only that tty */
	bool ro;      /* --ro: watch only */
	int escape;   /* the escape key's byte (-e); Ctrl-a = 1 by default */
	bool log;     /* --log: print the history and exit */
	bool list;    /* --list: who is attached */
};
#define CONSOLE_ESCAPE_DEFAULT 0x01

void console_opts_init(struct console_opts *o);
/* Attach to (or, with log/list, report on) the console of the existing
 * container name, printing every message itself. Returns the exit status:
 * 0 detached or the container stopped, 1 error, 128+N ended by signal N. */
int console_attach(const struct vz_cmd *cmd, const char *name, const struct console_opts *o);

/* Option loop helper used by verbs: getopt_long with the verb's options;
 * common ones are handled here. Returns the next verb option, -1 at the
 * end, or -2 meaning "exit with *exit_status". */
int cmd_getopt(struct vz_cmd *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *exit_status);
