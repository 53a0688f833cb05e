/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz ls [--json] [-1] [--running|--stopped]
 */
#include "list.h"
#include "output.h"
#include "parse-util.h"
#include "vz.h"

enum { OPT_JSON = OPT_COMMON_LAST, OPT_RUNNING, OPT_STOPPED };

static bool selected(const struct vz_info *i, int filter)
{
	if (filter == OPT_RUNNING)
		return i->state != VZ_STATE_STOPPED;
	if (filter == OPT_STOPPED)
		return i->state == VZ_STATE_STOPPED;
	return true;
}

static void print_table(const struct vz_info *a, size_t n, int filter)
{
	size_t w = 4;
	for (size_t k = 0; k < n; k++)
		if (selected(&a[k], filter))
			w = MAX(w, strlen(a[k].name));
	size_t w6 = 4;
	for (size_t k = 0; k < n; k++)
		if (selected(&a[k], filter) && info_first_addr(&a[k], true))
			w6 = MAX(w6, strlen(info_first_addr(&a[k], true)));
	printf("%-*s  %-8s  %-8s  %-15s  %-*s  %-8s  %s\n", (int)w, "NAME", "STATE", "PID", "IPV4",
	       (int)w6, "IPV6", "MEMORY", "UNPRIVILEGED");
	for (size_t k = 0; k < n; k++) {
		const struct vz_info *i = &a[k];
		if (!selected(i, filter))
			continue;
		char pid[16] = "-", mem[16] = "-";
		if (i->init_pid > 0)
			snprintf(pid, sizeof(pid), "%d", (int)i->init_pid);
		if (i->have_stats)
			format_size(i->stats.memory_bytes, mem);
		char v4[64];
		snprintf(v4, sizeof(v4), "%s", info_first_addr(i, false) ?: "-");
		const char *v6 = info_first_addr(i, true);
		printf("%-*s  %-8s  %-8s  %-15s  %-*s  %-8s  %s\n", (int)w, i->name,
		       i->stale ? "STOPPED*" : vz_state_to_string(i->state), pid, v4, (int)w6,
		       v6 ? v6 : "-", mem, !i->have_spec ? "?" : i->privileged ? "no" : "yes");
	}
}

int verb_ls(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "running", no_argument, NULL, OPT_RUNNING },
		{ "stopped", no_argument, NULL, OPT_STOPPED },
		{},
	};
	bool names_only = false;
	int filter = 0, opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "1", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == OPT_JSON)
			cmd->json = true;
		else if (opt == '1')
			names_only = true;
		else if (opt == OPT_RUNNING || opt == OPT_STOPPED)
			filter = opt;
	}
	if (optind < argc)
		return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	int r = cmd_load_global(cmd);
	if (r)
		return r;

	struct vz_info *a;
	size_t n;
	vz_err err = { 0 };
	/* -1 prints names only: neither configs nor counters are read. */
	if (vz_list(cmd->g, names_only ? VZ_LIST_NO_CONFIG | VZ_LIST_NO_PID : VZ_LIST_STATS, &a, &n,
		    &err) < 0)
		return cmd_error(cmd, NULL, &err);
	if (cmd->json) {
		struct json j;
		json_begin(&j, stdout);
		json_array_open(&j, NULL);
		for (size_t k = 0; k < n; k++)
			if (selected(&a[k], filter))
				info_to_json(&j, &a[k]);
		json_array_close(&j);
		json_end(&j);
	} else if (names_only) {
		for (size_t k = 0; k < n; k++)
			if (selected(&a[k], filter))
				printf("%s\n", a[k].name);
	} else {
		print_table(a, n, filter);
	}
	vz_info_free_array(a, n);
	return 0;
}
