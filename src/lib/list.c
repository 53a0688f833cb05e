/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list.c: vz ls / vz info data (see list.h). Runs in commands.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "bridge.h"
#include "client.h"
#include "config.h"
#include "fs-util.h"
#include "io-limit.h"
#include "list.h"
#include "runtime.h"
#include "start.h"
#include "tc.h"

static void fill_spec(const struct vz_global *g, unsigned flags, struct vz_info *i)
{
	_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
	vz_err err = { 0 };
	if (vz_spec_load(g, i->name, &spec, &err) < 0) {
		i->config_error = strdup(err.msg);
		return;
	}
	i->have_spec = true;
	i->privileged = spec->privileged;
	i->idmap = spec->idmap;
	i->limits = spec->limits;
	/* The strings are the spec's, freed with it; not listed. */
	i->limits.cpuset = i->limits.cpuset_mems = NULL;
	/* limits.io is the info's, freed by vz_info_done(). */
	spec->limits.io = NULL;
	spec->limits.n_io = 0;
	i->template = spec->template ? strdup(spec->template) : NULL;
	(void)vz_net_recs_from_spec(spec, &i->net, &i->n_net);
	if ((flags & VZ_LIST_RATES) && i->n_net && (i->rates = calloc(i->n_net, sizeof(*i->rates))))
		for (size_t k = 0; k < i->n_net; k++)
			i->rates[k] = (struct vz_info_rate){ true, spec->net[k].rate_in,
							     spec->net[k].rate_out };
}

/* What one listing of many containers shares: the cgroup layout and the
 * containers' parent cgroup directories, open (parents: NULL for one); the
 * DHCP leases of each bridge, read once when a container needs them. */
struct lease_file {
	char bridge[16];
	struct vz_lease *l;
	size_t n;
};
struct list_ctx {
	const struct vz_cgroup_layout *layout;
	const struct vz_cgroup_parents *parents;
	struct lease_file *leases;
	size_t n_leases;
};

static void list_ctx_done(struct list_ctx *ctx)
{
	for (size_t k = 0; k < ctx->n_leases; k++)
		free(ctx->leases[k].l);
	free(ctx->leases);
}

static const struct lease_file *leases_of(const struct vz_global *g, struct list_ctx *ctx,
					  const char *bridge)
{
	for (size_t k = 0; k < ctx->n_leases; k++)
		if (streq(ctx->leases[k].bridge, bridge))
			return &ctx->leases[k];
	struct lease_file *a = realloc(ctx->leases, (ctx->n_leases + 1) * sizeof(*a));
	if (!a)
		return NULL;
	ctx->leases = a;
	struct lease_file *f = &a[ctx->n_leases++];
	*f = (struct lease_file){ 0 };
	snprintf(f->bridge, sizeof(f->bridge), "%s", bridge);
	(void)vz_net_leases_of(g, bridge, &f->l, &f->n);
	return f;
}

/* An ipv4=dhcp interface's address: the unexpired lease for its MAC that
 * vz's dnsmasq on its bridge gave last. */
static void fill_lease(const struct vz_global *g, struct list_ctx *ctx, struct vz_net_rec *rec)
{
	if (!*rec->bridge)
		return; /* a macvlan: no dnsmasq of vz's on its segment */
	const struct lease_file *f = leases_of(g, ctx, rec->bridge);
	int64_t best = -1, now = (int64_t)time(NULL);
	for (size_t k = 0; f && k < f->n; k++) {
		const struct vz_lease *l = &f->l[k];
		int64_t exp = l->expires ? l->expires : INT64_MAX;
		if (strcasecmp(l->mac, rec->hwaddr) || exp < now || exp <= best)
			continue;
		best = exp;
		snprintf(rec->lease, sizeof(rec->lease), "%s", l->ip);
	}
}

/* A running container's interfaces as its monitor made them. */
static void fill_net(const struct vz_global *g, struct list_ctx *ctx, unsigned flags,
		     struct vz_info *i)
{
	struct vz_net_rec *recs = NULL;
	size_t n = 0;
	int r = vz_net_recs_read(g, i->name, &recs, &n);
	if (r < 0 && r != -ENOENT)
		return;
	free(i->net);
	i->net = recs;
	i->n_net = n;
	i->net_live = true;
	for (size_t k = 0; k < n; k++)
		if (streq(recs[k].ipv4, VZ_NET_DHCP))
			fill_lease(g, ctx, &recs[k]);
	free(i->rates);
	i->rates = NULL;
	/* the rates in place, which vz set may have changed since the start */
	if (!(flags & VZ_LIST_RATES) || !n || !(i->rates = calloc(n, sizeof(*i->rates))))
		return;
	for (size_t k = 0; k < n; k++)
		i->rates[k].have = recs[k].type == VZ_NET_VETH && *recs[k].host &&
				   vz_tc_get_rates(recs[k].host, &i->rates[k].in, &i->rates[k].out,
						   NULL) >= 0;
}

/* A state that cannot be read is an error, never a silent STOPPED (a user
 * without access to the run directory would otherwise be told so). */
static int fill_runtime(const struct vz_global *g, unsigned flags, struct vz_info *i)
{
	struct vz_status st;
	int r = vz_runtime_status(g, i->name, &st);
	if (r < 0)
		return r;
	i->state = st.state;
	i->stale = st.stale;
	if (!st.have_state)
		return 0;
	/* The pid is only reported if it is still the init that was started
	 * (one read of /proc/PID/stat, which vz top spares itself). */
	if (!(flags & VZ_LIST_NO_PID) && st.st.init_pid > 0 && (st.st.init_start == 0 ||
				   vz_proc_starttime(st.st.init_pid) == st.st.init_start))
		i->init_pid = st.st.init_pid;
	i->monitor_pid = st.st.monitor_pid;
	i->started_at = st.st.started_at;
	i->restarts = st.st.restarts;
	return 0;
}

static void fill_stats(const struct vz_global *g, const struct list_ctx *ctx, unsigned flags,
		       struct vz_info *i)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = NULL;
	if (!ctx->layout || vz_cgroup_new(ctx->layout, g->cgroup_parent, i->name, &cg, NULL) < 0)
		return;
	vz_cgroup_use_parents(cg, ctx->parents);
	i->have_stats = vz_cgroup_stats(cg, &i->stats) >= 0;
	if (i->have_stats && (flags & VZ_LIST_HITS))
		i->have_hits = vz_cgroup_hits(cg, &i->hits) >= 0;
	if (i->have_stats && (flags & VZ_LIST_IO))
		(void)vz_cgroup_io_stats(cg, &i->stats);
}

/* Best effort: a monitor that does not answer within 2 s leaves the list
 * out (vz info stays quick when a monitor is stuck). */
static void fill_consoles(const struct vz_global *g, struct vz_info *i)
{
	_cleanup_close_ int fd = -EBADF;
	struct vz_msg req, reply;
	if (vz_client_connect(g, i->name, &fd, NULL) < 0)
		return;
	vz_msg_init(&req, VZ_MSG_CONSOLE_LIST);
	if (vz_client_call(fd, &req, 2000, &reply, NULL, NULL, NULL) < 0)
		return;
	const char *text = vz_msg_get_str(&reply, VZ_F_TEXT);
	i->consoles = strdup(text ? text : "");
}

static int fill(const struct vz_global *g, struct list_ctx *ctx, const char *name,
		unsigned flags, struct vz_info *i, vz_err *err)
{
	*i = (struct vz_info){ .state = VZ_STATE_STOPPED };
	i->name = strdup(name);
	i->config_path = vz_path(g, name, VZ_PATH_CONFIG);
	if (!i->name || !i->config_path)
		return -ENOMEM;
	if (!(flags & VZ_LIST_NO_CONFIG))
		fill_spec(g, flags, i);
	int r = fill_runtime(g, flags, i);
	if (r < 0) {
		_cleanup_free_ char *run = vz_path(g, name, VZ_PATH_RUN);
		return vz_failx(err, -r, "cannot tell whether '%s' runs: '%s': %s%s", name,
				run ? run : "?", strerror(-r),
				r == -EACCES ? " (vz ls and vz info need root)" : "");
	}
	if (!(flags & VZ_LIST_NO_CONFIG) && i->state != VZ_STATE_STOPPED)
		fill_net(g, ctx, flags, i);
	if ((flags & VZ_LIST_STATS) && i->state != VZ_STATE_STOPPED)
		fill_stats(g, ctx, flags, i);
	if ((flags & VZ_LIST_CONSOLES) && i->state == VZ_STATE_RUNNING)
		fill_consoles(g, i);
	return 0;
}

static int cmp_info(const void *a, const void *b)
{
	return strcmp(((const struct vz_info *)a)->name, ((const struct vz_info *)b)->name);
}

static int list_dir(const struct vz_global *g, struct list_ctx *ctx, unsigned flags,
		    struct vz_info **ret, size_t *n, vz_err *err)
{
	DIR *d = opendir(g->lib_dir);
	if (!d)
		return errno == ENOENT ? 0 : vz_fail(err, errno, "open '%s'", g->lib_dir);

	struct vz_info *a = NULL;
	size_t cnt = 0, cap = 0;
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !vz_name_is_valid(de->d_name))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			struct vz_info *na = realloc(a, cap * sizeof(*a));
			if (!na) {
				r = -ENOMEM;
				break;
			}
			a = na;
		}
		r = fill(g, ctx, de->d_name, flags, &a[cnt], err);
		cnt++;
		if (r < 0)
			break;
	}
	closedir(d);
	if (r < 0) {
		vz_info_free_array(a, cnt);
		return vz_err_ensure(err, r);
	}
	qsort(a, cnt, sizeof(*a), cmp_info);
	*ret = a;
	*n = cnt;
	return 0;
}

int vz_list_with(const struct vz_global *g, const struct vz_cgroup_layout *layout, unsigned flags,
		 struct vz_info **ret, size_t *n, vz_err *err)
{
	*ret = NULL;
	*n = 0;
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *own = NULL;
	if ((flags & VZ_LIST_STATS) && !layout && vz_cgroup_layout_detect(&own, NULL) >= 0)
		layout = own;
	struct list_ctx ctx = { .layout = (flags & VZ_LIST_STATS) ? layout : NULL };
	struct vz_cgroup_parents *parents = NULL;
	if (ctx.layout)
		(void)vz_cgroup_parents_open(ctx.layout, g->cgroup_parent, &parents);
	ctx.parents = parents;
	int r = list_dir(g, &ctx, flags, ret, n, err);
	vz_cgroup_parents_free(parents);
	list_ctx_done(&ctx);
	return r;
}

int vz_list(const struct vz_global *g, unsigned flags, struct vz_info **ret, size_t *n,
	    vz_err *err)
{
	return vz_list_with(g, NULL, flags, ret, n, err);
}

int vz_info_get(const struct vz_global *g, const char *name, unsigned flags, struct vz_info *ret,
		vz_err *err)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	if (!dir)
		return -ENOMEM;
	if (!vz_name_is_valid(name) || !dir_exists(dir))
		return vz_failx(err, ENOENT, "container '%s' does not exist", name);
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *layout = NULL;
	if (flags & VZ_LIST_STATS)
		vz_cgroup_layout_detect(&layout, NULL);
	struct list_ctx ctx = { .layout = layout };
	int r = fill(g, &ctx, name, flags, ret, err);
	list_ctx_done(&ctx);
	if (r < 0) {
		vz_info_done(ret);
		return vz_err_ensure(err, r);
	}
	return 0;
}

void vz_info_done(struct vz_info *i)
{
	free(i->name);
	free(i->config_path);
	free(i->config_error);
	free(i->template);
	free(i->consoles);
	free(i->net);
	free(i->rates);
	vz_io_list_free(&i->limits);
}

void vz_info_free_array(struct vz_info *a, size_t n)
{
	for (size_t k = 0; k < n; k++)
		vz_info_done(&a[k]);
	free(a);
}
