/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * top.h: what vz top's sampling (top.c) and its ncurses screen
 * (top-screen.c) share: options, one row per running container and the
 * two samples a rate needs. Runs in the command.
 */
#pragma once

#include <stdint.h>

#include "list.h"

enum top_sort { TOP_SORT_CPU, TOP_SORT_MEMORY, TOP_SORT_NAME, TOP_SORT_PIDS, TOP_SORT_IO };

struct top_opts {
	double delay;      /* -d: seconds between refreshes */
	bool delay_set;
	bool batch;        /* -b */
	long iterations;   /* -n: snapshots, 0 = until quit */
	enum top_sort sort;
	bool reverse;      /* r: the other way round */
	char filter[128];  /* -f, /: a glob, or a substring when it has no * ? [ */
};

struct top_row {
	const struct vz_info *info;
	double cpu_pct;          /* of one core; < 0 = not known yet (one sample) */
	double read_bps, write_bps; /* < 0 = not known */
};

struct top_sample {
	struct vz_info *a; /* every container, sorted by name */
	size_t n;
	uint64_t at_ns;    /* CLOCK_MONOTONIC */
};

struct top_state {
	const struct vz_global *g;
	struct top_opts o;
	struct top_sample prev, cur;
	struct top_row *rows; /* the running ones of cur that match the filter, sorted */
	size_t nrows;
	size_t running;       /* running containers, filter or not */
	struct vz_cgroup_layout *layout; /* detected at the first refresh, then kept */
	bool layout_tried;
};

/* Take a new sample (cur becomes prev) and rebuild the rows. */
int top_sample(struct top_state *s, vz_err *err);
/* Rebuild the rows of the current sample (after a sort or filter change). */
int top_rows(struct top_state *s);
void top_state_done(struct top_state *s);

const char *top_sort_name(enum top_sort k);
int top_name_width(const struct top_state *s);
/* The column header and one row, without a newline, name column w wide. */
void top_format_header(char *buf, size_t size, int w);
void top_format_row(const struct top_row *r, char *buf, size_t size, int w);
uint64_t top_now_ns(void);

/* The interactive screen; returns the exit status. */
int top_screen_run(struct top_state *s);
