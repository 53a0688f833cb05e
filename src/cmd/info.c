/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz info NAME [--json]
 */
#include <time.h>

#include "console.h"
#include "list.h"
#include "output.h"
#include "parse-util.h"
#include "vz.h"

enum { OPT_JSON = OPT_COMMON_LAST };

static void print_limit(const char *label, uint64_t used, uint64_t limit, bool size)
{
	char a[24], b[24];
	if (size) {
		format_size(used, a);
		format_size(limit, b);
	} else {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)used);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)limit);
	}
	if (limit)
		printf("%-13s %s of %s\n", label, a, b);
	else
		printf("%-13s %s\n", label, a);
}

static void print_info(const struct vz_info *i)
{
	printf("%-13s %s\n", "Name:", i->name);
	printf("%-13s %s\n", "State:", info_state_label(i));
	if (i->init_pid > 0)
		printf("%-13s %d\n", "PID:", (int)i->init_pid);
	if (i->monitor_pid > 0 && i->state != VZ_STATE_STOPPED)
		printf("%-13s %d\n", "Monitor PID:", (int)i->monitor_pid);
	if (i->state != VZ_STATE_STOPPED && i->started_at) {
		char t[64];
		time_t at = (time_t)i->started_at;
		strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", localtime(&at));
		printf("%-13s %s (restarts: %u)\n", "Started:", t, i->restarts);
	}
	if (i->have_spec) {
		printf("%-13s %s\n", "Unprivileged:", i->privileged ? "no" : "yes");
		printf("%-13s %s\n", "Template:", i->template ? i->template : "-");
		printf("%-13s %u-%u\n", "UID range:", i->idmap.uid, i->idmap.uid + i->idmap.count - 1);
		printf("%-13s %u-%u\n", "GID range:", i->idmap.gid, i->idmap.gid + i->idmap.count - 1);
	}
	if (i->have_stats) {
		char cpu[24];
		print_limit("Memory:", i->stats.memory_bytes, i->stats.memory_limit, true);
		snprintf(cpu, sizeof(cpu), "%.2f s", (double)i->stats.cpu_usage_ns / 1e9);
		printf("%-13s %s\n", "CPU time:", cpu);
		print_limit("PIDs:", i->stats.pids, i->stats.pids_limit, false);
	}
	if (i->consoles) {
		/* Who is attached to which console (vz console --list). */
		const char *p = i->consoles;
		if (*p)
			printf("Consoles:\n");
		else
			printf("%-13s %s\n", "Consoles:", "nobody attached");
		while (*p) {
			struct vz_console_client_info ci;
			char tty[16] = "console", t[32] = "-";
			size_t n = strcspn(p, "\n");
			if (vz_console_list_parse(p, &ci) >= 0) {
				if (ci.tty)
					snprintf(tty, sizeof(tty), "tty%u", ci.tty);
				time_t at = (time_t)ci.since;
				struct tm tm;
				if (localtime_r(&at, &tm))
					strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
				printf("  %-8s uid %u, pid %d, %s, since %s\n", tty, (unsigned)ci.uid,
				       (int)ci.pid, ci.ro ? "read-only" : "read-write", t);
			}
			p += n;
			p += *p == '\n';
		}
	}
	printf("%-13s %s\n", "Config:", i->config_path);
	if (i->config_error)
		printf("%-13s %s\n", "Config error:", i->config_error);
}

int verb_info(struct vz_cmd *cmd, int argc, char **argv)
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
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	struct vz_info i;
	vz_err err = { 0 };
	if (vz_info_get(cmd->g, argv[optind], VZ_LIST_STATS | VZ_LIST_CONSOLES, &i, &err) < 0)
		return cmd_error(cmd, argv[optind], &err);
	if (cmd->json) {
		struct json j;
		json_begin(&j, stdout);
		info_to_json(&j, &i);
		json_end(&j);
	} else {
		print_info(&i);
	}
	vz_info_done(&i);
	return 0;
}
