/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz info NAME [--limits] [--json]: a container's state, settings, usage
 * against each limit and how often each limit was hit. Runs in the command.
 */
#include <time.h>

#include "console.h"
#include "list.h"
#include "output.h"
#include "parse-util.h"
#include "vz.h"

enum { OPT_JSON = OPT_COMMON_LAST, OPT_LIMITS };

/* "12M of 32M" (or "12M" without a limit), then how often it was hit. */
static void print_limit(const char *label, uint64_t used, uint64_t limit, bool size,
			const char *hits)
{
	char a[24], b[24];
	if (size) {
		format_size(used, a);
		format_size(limit, b);
	} else {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)used);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)limit);
	}
	printf("%-13s %s%s%s%s\n", label, a, limit ? " of " : "", limit ? b : "", hits);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_memory(const struct vz_info *i)
{
	const struct vz_cgroup_hits *h = &i->hits;
	char hits[200] = "";
	if (i->have_hits && (i->stats.memory_limit || h->memory_max || h->oom_kill)) {
		int n = snprintf(hits, sizeof(hits), ", limit hit %llu %s, %llu OOM %s",
				 (unsigned long long)h->memory_max,
				 plural(h->memory_max, "time", "times"),
				 (unsigned long long)h->oom_kill, plural(h->oom_kill, "kill", "kills"));
		if (h->memory_high && n > 0 && (size_t)n < sizeof(hits))
			n += snprintf(hits + n, sizeof(hits) - (size_t)n,
				      ", over the soft limit %llu %s",
				      (unsigned long long)h->memory_high,
				      plural(h->memory_high, "time", "times"));
		if (h->swap_max && n > 0 && (size_t)n < sizeof(hits))
			snprintf(hits + n, sizeof(hits) - (size_t)n, ", swap limit hit %llu %s",
				 (unsigned long long)h->swap_max,
				 plural(h->swap_max, "time", "times"));
	}
	print_limit("Memory:", i->stats.memory_bytes, i->stats.memory_limit, true, hits);
}

/* The CFS quota as CPUs, and how many of its periods were throttled. */
static void print_cpu_limit(const struct vz_info *i)
{
	const struct vz_cgroup_hits *h = &i->hits;
	if (!i->have_hits || (!h->cpu_quota_us && !h->cpu_throttled))
		return;
	char lim[32] = "none";
	if (h->cpu_quota_us && h->cpu_period_us)
		snprintf(lim, sizeof(lim), "%.2f CPUs", (double)h->cpu_quota_us / h->cpu_period_us);
	printf("%-13s %s, throttled in %llu of %llu periods (%.2f s)\n", "CPU limit:", lim,
	       (unsigned long long)h->cpu_throttled, (unsigned long long)h->cpu_periods,
	       (double)h->cpu_throttled_ns / 1e9);
}

static void print_pids(const struct vz_info *i)
{
	char hits[64] = "";
	if (i->have_hits && (i->stats.pids_limit || i->hits.pids_max))
		snprintf(hits, sizeof(hits), ", %llu %s refused",
			 (unsigned long long)i->hits.pids_max,
			 plural(i->hits.pids_max, "fork", "forks"));
	print_limit("PIDs:", i->stats.pids, i->stats.pids_limit, false, hits);
}

/* limits.io's entries: "/dev/vda: read 50M/s, write 2000/s" */
static void print_io_limits(const struct vz_info *i)
{
	if (i->limits.io_weight && i->limits.io_weight != 100)
		printf("%-13s %u\n", "I/O weight:", i->limits.io_weight);
	for (size_t k = 0; k < i->limits.n_io; k++) {
		const struct vz_io_limit *e = &i->limits.io[k];
		char line[256] = "", b[24];
		size_t n = 0;
		if (e->read_bps && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, ", read %s/s",
					      format_size(e->read_bps, b));
		if (e->write_bps && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, ", write %s/s",
					      format_size(e->write_bps, b));
		if (e->read_iops && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, ", %llu reads/s",
					      (unsigned long long)e->read_iops);
		if (e->write_iops && n < sizeof(line))
			snprintf(line + n, sizeof(line) - n, ", %llu writes/s",
				 (unsigned long long)e->write_iops);
		printf("%-13s %s:%s\n", "I/O limit:", e->device, line + 1);
	}
}

/* Bytes and requests done, and the time stalled on I/O (no kernel counts
 * throttled requests; io.pressure where the kernel has it). */
static void print_io(const struct vz_info *i)
{
	if (i->stats.have_io) {
		char r[24], w[24];
		printf("%-13s read %s (%llu requests), written %s (%llu requests)\n", "Block I/O:",
		       format_size(i->stats.io_read_bytes, r),
		       (unsigned long long)i->stats.io_read_ios,
		       format_size(i->stats.io_write_bytes, w),
		       (unsigned long long)i->stats.io_write_ios);
	}
	if (i->have_hits && i->hits.have_io_pressure)
		printf("%-13s %.2f s with some tasks waiting, %.2f s with all (io.pressure)\n",
		       "I/O stalls:", (double)i->hits.io_some_us / 1e6,
		       (double)i->hits.io_full_us / 1e6);
}

/* vz info --limits: only the limits hit or within 10% of their value. */
static void print_limits_only(const struct vz_info *i)
{
	printf("%-13s %s\n", "Name:", i->name);
	if (!i->have_stats || !i->have_hits) {
		printf("%-13s %s\n", "Limits:", "no statistics (not running)");
		return;
	}
	unsigned f = info_limits_flagged(i);
	if (!f)
		printf("%-13s %s\n", "Limits:", "none hit or near");
	if (f & INFO_LIMIT_MEMORY)
		print_memory(i);
	if (f & INFO_LIMIT_CPU)
		print_cpu_limit(i);
	if (f & INFO_LIMIT_PIDS)
		print_pids(i);
}

/* ", rate_in 10mbit, rate_out none" when either is set, else "". */
static const char *rates_text(const struct vz_info *i, size_t k, char *buf, size_t len)
{
	const struct vz_info_rate *r = i->rates ? &i->rates[k] : NULL;
	char a[24] = "none", b[24] = "none";
	*buf = 0;
	if (r && r->have && (r->in || r->out))
		snprintf(buf, len, ", rate_in %s, rate_out %s", r->in ? format_rate(r->in, a) : a,
			 r->out ? format_rate(r->out, b) : b);
	return buf;
}

/* "Network:" and one line per interface: inside name, host side (when
 * running), MAC, addresses, rates (the kernel's when running). */
static void print_net(const struct vz_info *i)
{
	if (!i->n_net) {
		if (i->have_spec)
			printf("%-13s %s\n", "Network:", "none (only lo)");
		return;
	}
	printf("Network:\n");
	for (size_t k = 0; k < i->n_net; k++) {
		const struct vz_net_rec *n = &i->net[k];
		bool mv = n->type == VZ_NET_MACVLAN;
		bool dhcp = streq(n->ipv4, VZ_NET_DHCP);
		char rates[80];
		printf("  %-8s %s%s on %s, %s%s%s%s%s%s%s\n", n->name, i->net_live && !mv ? "host " : "",
		       mv ? "macvlan" : i->net_live ? n->host : "veth", vz_net_rec_segment(n),
		       n->hwaddr, *n->ipv4 ? ", " : "", info_ipv4(n),
		       !dhcp || !i->net_live ? "" : *n->lease ? " (DHCP)" : " (no lease seen yet)",
		       *n->ipv6 ? ", " : "", n->ipv6, rates_text(i, k, rates, sizeof(rates)));
	}
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
		print_memory(i);
		printf("%-13s %.2f s\n", "CPU time:", (double)i->stats.cpu_usage_ns / 1e9);
		print_cpu_limit(i);
		print_pids(i);
		print_io(i);
	}
	print_io_limits(i);
	print_net(i);
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
		{ "limits", no_argument, NULL, OPT_LIMITS },
		{},
	};
	bool limits_only = false;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == OPT_JSON)
			cmd->json = true;
		if (opt == OPT_LIMITS)
			limits_only = true;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	struct vz_info i;
	vz_err err = { 0 };
	unsigned flags = VZ_LIST_STATS | VZ_LIST_HITS | VZ_LIST_IO | VZ_LIST_CONSOLES |
			 (limits_only ? 0 : VZ_LIST_RATES);
	if (vz_info_get(cmd->g, argv[optind], flags, &i, &err) < 0)
		return cmd_error(cmd, argv[optind], &err);
	if (cmd->json) {
		struct json j;
		json_begin(&j, stdout);
		info_to_json(&j, &i);
		json_end(&j);
	} else if (limits_only) {
		print_limits_only(&i);
	} else {
		print_info(&i);
	}
	vz_info_done(&i);
	return 0;
}
