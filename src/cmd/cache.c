/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz cache ls [--json]
 * vz cache rm TEMPLATE/RELEASE...
 */
#include <string.h>

#include "cache.h"
#include "output.h"
#include "strv.h"
#include "vz.h"

enum { OPT_JSON = OPT_COMMON_LAST };

static int cache_ls(struct vz_cmd *cmd)
{
	struct vz_cache_entry *a;
	size_t n;
	vz_err err = { 0 };
	if (vz_cache_list(cmd->g, &a, &n, &err) < 0)
		return cmd_error(cmd, NULL, &err);
	if (cmd->json) {
		struct json j;
		json_begin(&j, stdout);
		json_array_open(&j, NULL);
		for (size_t i = 0; i < n; i++) {
			json_object_open(&j, NULL);
			json_str(&j, "name", a[i].name);
			json_str(&j, "path", a[i].path);
			json_array_open(&j, "users");
			STRV_FOREACH (u, a[i].users)
				json_str(&j, NULL, *u);
			json_array_close(&j);
			json_object_close(&j);
		}
		json_array_close(&j);
		json_end(&j);
	} else {
		size_t w = strlen("ENTRY");
		for (size_t i = 0; i < n; i++)
			if (strlen(a[i].name) > w)
				w = strlen(a[i].name);
		printf("%-*s USERS\n", (int)w, "ENTRY");
		for (size_t i = 0; i < n; i++) {
			_cleanup_free_ char *users = strv_join(a[i].users, ",");
			printf("%-*s %zu%s%s\n", (int)w, a[i].name, strv_length(a[i].users),
			       users && *users ? " " : "", users ? users : "");
		}
	}
	vz_cache_entries_free(a, n);
	return 0;
}

int verb_cache(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{},
	};
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == OPT_JSON)
			cmd->json = true;
	}
	if (optind >= argc)
		return cmd_usage_error(cmd, "missing subcommand (ls or rm)");
	const char *sub = argv[optind++];
	if (streq(sub, "ls")) {
		if (optind < argc)
			return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
		int r = cmd_load_global(cmd);
		return r ? r : cache_ls(cmd);
	}
	if (!streq(sub, "rm"))
		return cmd_usage_error(cmd, "unknown subcommand '%s' (want ls or rm)", sub);
	if (optind >= argc)
		return cmd_usage_error(cmd, "missing cache entry (TEMPLATE/RELEASE, as vz cache ls "
					    "shows)");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	int rc = 0;
	for (int i = optind; i < argc; i++) {
		vz_err err = { 0 };
		if (vz_cache_remove(cmd->g, argv[i], &err) < 0)
			rc = cmd_error(cmd, NULL, &err);
	}
	return rc;
}
