/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz top [-b] [-n N] [-d SECONDS] [-s KEY] [-f PATTERN]: every running
 * container, live. Each refresh is one vz_list() without the configs and
 * the init's /proc/PID/stat (state file, liveness lock and a few cgroup
 * counters per container), with the cgroup layout detected once; CPU % and
 * I/O rates are the counters' deltas between two refreshes.
 * Batch mode (-b) prints plain text here; top-screen.c draws with ncurses.
 * Runs in the command.
 */
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "parse-util.h"
#include "top.h"
#include "vz.h"

static const char *const sort_names[] = {
	[TOP_SORT_CPU] = "cpu", [TOP_SORT_MEMORY] = "memory", [TOP_SORT_NAME] = "name",
	[TOP_SORT_PIDS] = "pids", [TOP_SORT_IO] = "io",
};

const char *top_sort_name(enum top_sort k) { return sort_names[k]; }

static int top_sort_from_string(const char *s)
{
	for (size_t k = 0; k < ELEMENTSOF(sort_names); k++)
		if (streq(s, sort_names[k]) || (s[0] == sort_names[k][0] && s[1] == 0))
			return (int)k;
	return -EINVAL;
}

uint64_t top_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sample_free(struct top_sample *p)
{
	vz_info_free_array(p->a, p->n);
	*p = (struct top_sample){ 0 };
}

void top_state_done(struct top_state *s)
{
	sample_free(&s->prev);
	sample_free(&s->cur);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
	vz_cgroup_layout_free(s->layout);
	s->layout = NULL;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct vz_info *)elem)->name);
}

static bool matches(const char *filter, const char *name)
{
	if (!filter[0])
		return true;
	if (strpbrk(filter, "*?["))
		return fnmatch(filter, name, 0) == 0;
	return strstr(name, filter) != NULL;
}

static double rate(uint64_t now, uint64_t before, double secs)
{
	return now >= before ? (double)(now - before) / secs : 0;
}

static void compute(const struct top_state *s, struct top_row *r)
{
	const struct vz_info *i = r->info;
	r->cpu_pct = r->read_bps = r->write_bps = -1;
	if (!s->prev.a || !i->have_stats || s->cur.at_ns <= s->prev.at_ns)
		return;
	const struct vz_info *p = bsearch(i->name, s->prev.a, s->prev.n, sizeof(*p), cmp_name);
	if (!p || !p->have_stats || p->state == VZ_STATE_STOPPED)
		return;
	double secs = (double)(s->cur.at_ns - s->prev.at_ns) / 1e9;
	r->cpu_pct = rate(i->stats.cpu_usage_ns, p->stats.cpu_usage_ns, secs) / 1e7;
	if (i->stats.have_io && p->stats.have_io) {
		r->read_bps = rate(i->stats.io_read_bytes, p->stats.io_read_bytes, secs);
		r->write_bps = rate(i->stats.io_write_bytes, p->stats.io_write_bytes, secs);
	}
}

static enum top_sort sort_key; /* qsort has no user data; set just before */
static bool sort_reverse;

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }
static int cmp_dbl(double a, double b) { return a < b ? 1 : a > b ? -1 : 0; }

static int cmp_row(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;
	int c = 0;
	switch (sort_key) {
	case TOP_SORT_CPU: c = cmp_dbl(a->cpu_pct, b->cpu_pct); break;
	case TOP_SORT_MEMORY: c = cmp_u64(a->info->stats.memory_bytes, b->info->stats.memory_bytes); break;
	case TOP_SORT_PIDS: c = cmp_u64(a->info->stats.pids, b->info->stats.pids); break;
	case TOP_SORT_IO: c = cmp_dbl(a->read_bps + a->write_bps, b->read_bps + b->write_bps); break;
	case TOP_SORT_NAME: break;
	}
	if (!c)
		c = strcmp(a->info->name, b->info->name);
	return sort_reverse ? -c : c;
}

int top_rows(struct top_state *s)
{
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->running = 0;
	if (s->cur.n == 0)
		return 0;
	s->rows = calloc(s->cur.n, sizeof(*s->rows));
	if (!s->rows)
		return -ENOMEM;
	for (size_t k = 0; k < s->cur.n; k++) {
		const struct vz_info *i = &s->cur.a[k];
		if (i->state == VZ_STATE_STOPPED)
			continue;
		s->running++;
		if (!matches(s->o.filter, i->name))
			continue;
		struct top_row *r = &s->rows[s->nrows++];
		r->info = i;
		compute(s, r);
	}
	sort_key = s->o.sort;
	sort_reverse = s->o.reverse;
	qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_row);
	return 0;
}

int top_sample(struct top_state *s, vz_err *err)
{
	struct top_sample next = { 0 };
	if (!s->layout_tried) {
		s->layout_tried = true;
		(void)vz_cgroup_layout_detect(&s->layout, NULL);
	}
	int r = vz_list_with(s->g, s->layout,
			     VZ_LIST_STATS | VZ_LIST_IO | VZ_LIST_NO_CONFIG | VZ_LIST_NO_PID, &next.a,
			     &next.n, err);
	if (r < 0)
		return r;
	next.at_ns = top_now_ns();
	sample_free(&s->prev);
	s->prev = s->cur;
	s->cur = next;
	return top_rows(s);
}

int top_name_width(const struct top_state *s)
{
	size_t w = 4;
	for (size_t k = 0; k < s->nrows; k++)
		w = MAX(w, strlen(s->rows[k].info->name));
	return (int)MIN(w, (size_t)64);
}

#define ROW_FMT "%-*.*s  %-8s %6s %8s %8s %8s %6s %6s %8s %8s %8s %8s"

void top_format_header(char *buf, size_t size, int w)
{
	snprintf(buf, size, ROW_FMT, w, w, "NAME", "STATE", "CPU%", "MEMORY", "MEMLIMIT", "SWAP",
		 "PIDS", "PIDMAX", "READ/s", "WRITE/s", "RX/s", "TX/s");
}

static const char *size_or_dash(bool have, uint64_t v, char buf[static 16])
{
	return have ? format_size(v, buf) : "-";
}

void top_format_row(const struct top_row *r, char *buf, size_t size, int w)
{
	const struct vz_info *i = r->info;
	const struct vz_cgroup_stats *st = &i->stats;
	bool h = i->have_stats;
	char cpu[16] = "-", mem[16], lim[16], swap[16], pids[24] = "-", pmax[24] = "-", rd[16],
	     wr[16];
	if (r->cpu_pct >= 0)
		snprintf(cpu, sizeof(cpu), "%.1f", r->cpu_pct);
	if (h)
		snprintf(pids, sizeof(pids), "%" PRIu64, st->pids);
	if (h && st->pids_limit)
		snprintf(pmax, sizeof(pmax), "%" PRIu64, st->pids_limit);
	snprintf(buf, size, ROW_FMT, w, w, i->name,
		 i->stale ? "STOPPED*" : vz_state_to_string(i->state), cpu,
		 size_or_dash(h, st->memory_bytes, mem),
		 size_or_dash(h && st->memory_limit, st->memory_limit, lim),
		 size_or_dash(h && st->have_swap, st->swap_bytes, swap), pids, pmax,
		 size_or_dash(r->read_bps >= 0, (uint64_t)llround(r->read_bps), rd),
		 size_or_dash(r->write_bps >= 0, (uint64_t)llround(r->write_bps), wr), "-", "-");
}

static void sleep_s(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - floor(secs)) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The first snapshot needs two samples: -d apart, or 0.5 s by default. */
static int run_batch(struct vz_cmd *cmd, struct top_state *s)
{
	vz_err err = { 0 };
	if (top_sample(s, &err) < 0)
		return cmd_error(cmd, NULL, &err);
	sleep_s(s->o.delay_set ? s->o.delay : 0.5);
	for (long k = 0; s->o.iterations == 0 || k < s->o.iterations; k++) {
		if (k > 0)
			sleep_s(s->o.delay);
		if (top_sample(s, &err) < 0)
			return cmd_error(cmd, NULL, &err);
		int w = top_name_width(s);
		char line[512];
		if (k > 0)
			putchar('\n');
		top_format_header(line, sizeof(line), w);
		printf("%s\n", line);
		for (size_t j = 0; j < s->nrows; j++) {
			top_format_row(&s->rows[j], line, sizeof(line), w);
			printf("%s\n", line);
		}
		if (fflush(stdout) != 0)
			return 1;
	}
	return 0;
}

int verb_top(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' },
		{},
	};
	struct top_state s = { .o = { .delay = 1.0, .sort = TOP_SORT_CPU } };
	int opt, status = 0;
	char *end;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "bn:d:s:f:", opts, &status)) != -1) {
		switch (opt) {
		case -2:
			return status;
		case 'b':
			s.o.batch = true;
			break;
		case 'n':
			errno = 0;
			s.o.iterations = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || s.o.iterations < 1)
				return cmd_usage_error(cmd, "-n wants a count of 1 or more, not '%s'", optarg);
			break;
		case 'd':
			errno = 0;
			s.o.delay = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(s.o.delay >= 0.1 && s.o.delay <= 3600))
				return cmd_usage_error(cmd, "-d wants seconds from 0.1 to 3600, not '%s'", optarg);
			s.o.delay_set = true;
			break;
		case 's': {
			int k = top_sort_from_string(optarg);
			if (k < 0)
				return cmd_usage_error(cmd, "unknown sort key '%s' (cpu, memory, name, pids, io)", optarg);
			s.o.sort = (enum top_sort)k;
			break;
		}
		case 'f':
			if (strlen(optarg) >= sizeof(s.o.filter))
				return cmd_usage_error(cmd, "filter too long");
			strcpy(s.o.filter, optarg);
			break;
		}
	}
	if (optind < argc)
		return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	s.g = cmd->g;
	/* Without a terminal on stdin, curses' getch() returns at once: a
	 * busy loop. */
	if (!s.o.batch && !s.o.iterations && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "vz top: stdin and stdout must be a terminal (-b prints plain text)\n");
		return 1;
	}
	if (s.o.batch || s.o.iterations)
		r = run_batch(cmd, &s);
	else
		r = top_screen_run(&s);
	if (r < 0) {
		vz_err err = { 0 };
		vz_fail(&err, -r, "refresh");
		r = cmd_error(cmd, NULL, &err);
	}
	top_state_done(&s);
	return r;
}
