/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.c: create, destroy, start and stop (see container.h). Runs in
 * commands.
 */
#include <dirent.h>
#include <fcntl.h>
#include <libconfig.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cache.h"
#include "cgroup.h"
#include "client.h"
#include "config.h"
#include "container.h"
#include "fd-util.h"
#include "fs-util.h"
#include "idmap.h"
#include "io-limit.h"
#include "lock.h"
#include "log.h"
#include "net-rate.h"
#include "parse-util.h"
#include "proto.h"
#include "runtime.h"
#include "storage.h"
#include "strv.h"
#include "template.h"

/* ------------------------------------------------------------------ create */

/* The id range recorded in a container's config, read directly so that a
 * container whose config has some other mistake still keeps its range. */
static int read_idmap(const char *path, struct vz_idmap *ret, vz_err *err)
{
	config_t cfg;
	config_init(&cfg);
	int r = 0;
	if (!config_read_file(&cfg, path)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			r = -ENOENT;
		else
			r = vz_failx(err, EINVAL, "%s:%d: %s (cannot tell which ids it uses)",
				     path, config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		return r;
	}
	long long uid = 0, gid = 0, count = 0;
	if (config_lookup_int64(&cfg, "idmap.uid", &uid) && config_lookup_int64(&cfg, "idmap.gid", &gid)) {
		if (!config_lookup_int64(&cfg, "idmap.count", &count))
			count = 65536;
		*ret = (struct vz_idmap){ (uint32_t)uid, (uint32_t)gid, (uint32_t)count };
	} else {
		r = -ENOENT;
	}
	config_destroy(&cfg);
	return r;
}

static int used_ranges(const struct vz_global *g, struct vz_idmap **ret, size_t *n, vz_err *err)
{
	*ret = NULL;
	*n = 0;
	DIR *d = opendir(g->lib_dir);
	if (!d)
		return errno == ENOENT ? 0 : vz_fail(err, errno, "open '%s'", g->lib_dir);
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d)) && r >= 0) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *p = vz_path(g, de->d_name, VZ_PATH_CONFIG);
		struct vz_idmap m;
		if (!p)
			r = -ENOMEM;
		else if ((r = read_idmap(p, &m, err)) == -ENOENT)
			r = 0;
		else if (r >= 0) {
			struct vz_idmap *nr = realloc(*ret, (*n + 1) * sizeof(**ret));
			if (!nr)
				r = -ENOMEM;
			else
				(*ret = nr)[(*n)++] = m;
		}
	}
	closedir(d);
	if (r < 0) {
		free(*ret);
		*ret = NULL;
	}
	return r;
}

/* The uid of user in the host's /etc/passwd, or -1: /etc/subuid lines may
 * name the user or its uid. The subid user is a local account (root by
 * default); a number is taken as the uid. */
static long local_uid(const char *user)
{
	uint32_t u;
	if (parse_u32(user, &u) >= 0)
		return (long)u;
	_cleanup_free_ char *s = NULL;
	char *f[7];
	if (read_file("/etc/passwd", &s, NULL) < 0 || passwd_find(s, user, 0, f) < 0 ||
	    parse_u32(f[2], &u) < 0)
		return -1;
	return (long)u;
}

/* A free range of count ids (vz.conf's idmap_size for a new container, the
 * source's size for a clone). */
static int allocate_ids(const struct vz_global *g, uint32_t count, struct vz_idmap *ret,
			vz_err *err)
{
	long uid = local_uid(g->subid_user);
	_cleanup_free_ struct vz_subid_range *su = NULL, *sg = NULL;
	_cleanup_free_ struct vz_idmap *used = NULL;
	size_t nsu = 0, nsg = 0, nused = 0;
	int r = vz_subid_read(g->subuid_file, g->subid_user, uid, &su, &nsu, err);
	if (r >= 0)
		r = vz_subid_read(g->subgid_file, g->subid_user, uid, &sg, &nsg, err);
	if (r < 0)
		return r;
	if (nsu == 0 || nsg == 0)
		return vz_failx(err, ENOENT,
				"no subordinate %s for '%s' in %s (add a line such as "
				"'%s:1048576:1073741824')",
				nsu == 0 ? "uids" : "gids", g->subid_user,
				nsu == 0 ? g->subuid_file : g->subgid_file, g->subid_user);
	r = used_ranges(g, &used, &nused, err);
	if (r < 0)
		return r;
	r = vz_idmap_allocate(su, nsu, sg, nsg, used, nused, count, ret, err);
	if (r < 0)
		vz_err_prefix(err, "%s, %s", g->subuid_file, g->subgid_file);
	return r;
}

static int make_owned_dir(const char *path, mode_t mode, uid_t uid, gid_t gid, vz_err *err)
{
	if (mkdir(path, mode) < 0)
		return vz_fail(err, errno, "create '%s'", path);
	if (chown(path, uid, gid) < 0)
		return vz_fail(err, errno, "chown '%s'", path);
	return 0;
}

/* lib/NAME with config and the rootfs mount point (the storage backend
 * adds the container's layer). lib/NAME is 0711: the container's root must
 * traverse it. */
static int make_container_dir(const struct vz_global *g, const char *name, config_t *cfg,
			      vz_err *err)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	_cleanup_free_ char *conf = vz_path(g, name, VZ_PATH_CONFIG);
	_cleanup_free_ char *rootfs = vz_path(g, name, VZ_PATH_ROOTFS);
	if (!dir || !conf || !rootfs)
		return -ENOMEM;
	if (mkdir(dir, 0711) < 0)
		return errno == EEXIST ? vz_failx(err, EEXIST, "container '%s' already exists", name)
				       : vz_fail(err, errno, "create '%s'", dir);
	if (chmod(dir, 0711) < 0)
		return vz_fail(err, errno, "chmod '%s'", dir);
	int r = vz_config_write_file(cfg, conf, err);
	if (r >= 0)
		r = make_owned_dir(rootfs, 0755, 0, 0, err);
	return r;
}

static int set_idmap(config_t *cfg, const struct vz_idmap *ids, vz_err *err)
{
	char v[3][16];
	snprintf(v[0], sizeof(v[0]), "%u", ids->uid);
	snprintf(v[1], sizeof(v[1]), "%u", ids->gid);
	snprintf(v[2], sizeof(v[2]), "%u", ids->count);
	int r = vz_config_set(cfg, "idmap.uid", v[0], err);
	if (r >= 0)
		r = vz_config_set(cfg, "idmap.gid", v[1], err);
	if (r >= 0)
		r = vz_config_set(cfg, "idmap.count", v[2], err);
	return r;
}

static int apply_settings(config_t *cfg, char **settings, vz_err *err)
{
	STRV_FOREACH (kv, settings) {
		if (startswith(*kv, "idmap.") || startswith(*kv, "rootfs.") ||
		    startswith(*kv, "template="))
			return vz_failx(err, EINVAL, "-c %s: this key is set by vz create itself%s",
					*kv,
					startswith(*kv, "rootfs.backend=") ? " (use --backend)" : "");
		int r = vz_config_set_kv(cfg, *kv, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool container_exists(const struct vz_global *g, const char *name)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	return dir && path_exists(dir);
}

/* A name vz create or vz clone may give a new container. */
static int check_new_name(const struct vz_global *g, const char *name, vz_err *err)
{
	if (!vz_name_is_valid(name))
		return vz_failx(err, EINVAL,
				"invalid container name '%s': use 1-%d letters, digits, '-' and "
				"'.', starting and ending with a letter or digit",
				name, VZ_NAME_MAX);
	if (container_exists(g, name))
		return vz_failx(err, EEXIST, "container '%s' already exists", name);
	return 0;
}

/* The lock order of every command: the global lock, then the container's. */
static int lock_global_then(const struct vz_global *g, const char *name, int *glock, int *lock,
			    vz_err *err)
{
	int r = vz_lock_global(g, VZ_LOCK_TIMEOUT_MS, glock, err);
	return r < 0 ? r : vz_lock_container(g, name, VZ_LOCK_TIMEOUT_MS, lock, err);
}

/* Everything under the global lock: ids, directory, config, final check;
 * then the new container's own lock, held while its storage is made. */
static int create_locked(const struct vz_global *g, const char *name, config_t *cfg,
			 uint32_t count, struct vz_spec **ret_spec, int *ret_lock, vz_err *err)
{
	if (container_exists(g, name))
		return vz_failx(err, EEXIST, "container '%s' already exists", name);
	struct vz_idmap ids;
	int r = allocate_ids(g, count, &ids, err);
	if (r >= 0)
		r = set_idmap(cfg, &ids, err);
	if (r < 0)
		return r;
	r = make_container_dir(g, name, cfg, err);
	if (r >= 0)
		/* The file as written must load, with vz.conf's defaults applied. */
		r = vz_spec_load(g, name, ret_spec, err);
	if (r >= 0)
		r = vz_lock_container(g, name, 0, ret_lock, err);
	if (r < 0 && r != -EEXIST) {
		_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
		if (dir)
			rm_rf(dir);
	}
	return r;
}

/* A new container's layer, then the template's per-container step on it;
 * for a clone, a copy of the source's layer whose host name, machine id and
 * ssh host keys vz itself resets (the template never runs as host root on
 * files a tenant wrote). */
static int make_storage(const struct vz_global *g, const struct vz_spec *spec,
			const struct vz_storage *src, const char *src_host, char *const *args,
			const char *password, vz_err *err)
{
	struct vz_storage st;
	int r = vz_storage_init(&st, g, spec);
	if (r < 0)
		return vz_fail(err, r, "storage of '%s'", spec->name);
	if (src) {
		r = vz_storage_copy(src, &st, err);
		if (r >= 0)
			r = vz_storage_reset_identity(&st, src_host, spec->hostname, err);
	} else {
		r = vz_storage_create(&st, err);
		_cleanup_free_ char *dir = NULL, *opts = NULL;
		if (r >= 0)
			r = vz_storage_configure_view(&st, &dir, &opts, err);
		if (r >= 0) {
			struct vz_configure c = {
				.template = spec->template,
				.args = args,
				.container = spec->name,
				.hostname = spec->hostname,
				.dir = dir,
				.mount_opts = opts,
				.password = password,
			};
			r = vz_template_configure(g, &c, err);
		}
	}
	if (r >= 0)
		r = vz_storage_adopt_new_files(&st, err);
	vz_storage_done(&st);
	return r;
}

/* Make container name from cfg (template, rootfs.* and settings set): its
 * directory, config and storage (copied from src for a clone). *glock is
 * the global lock if the caller holds it already (it is released here once
 * the container exists), else it is taken here. Leaves nothing when it
 * fails. */
static int create_from_config(const struct vz_global *g, const char *name, config_t *cfg,
			      int *glock, const struct vz_storage *src, const char *src_host,
			      char *const *args, const char *password, vz_err *err)
{
	_cleanup_close_ int lock = -EBADF;
	_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
	int r = *glock >= 0 ? 0 : vz_lock_global(g, VZ_LOCK_TIMEOUT_MS, glock, err);
	uint32_t count = src && !src->privileged ? src->count : g->idmap_size;
	if (r >= 0)
		r = create_locked(g, name, cfg, count, &spec, &lock, err);
	/* Other containers may be made while this one's storage is. */
	*glock = safe_close(*glock);
	if (r < 0)
		return r;
	r = make_storage(g, spec, src, src_host, args, password, err);
	if (r < 0) {
		_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
		int k = dir ? rm_rf(dir) : -ENOMEM;
		if (k < 0)
			log_warn("cannot remove '%s' after a failed create: %s", dir ? dir : name,
				 strerror(-k));
	}
	return r;
}

/* The cache entry a new container will use must still be there once its
 * users can see it (vz cache rm holds .use exclusively). clone_of: the
 * source container of a clone, whose entry must exist. */
static int hold_cache_entry(const struct vz_global *g, const char *template, const char *lower,
			    const char *clone_of, int *ret_lock, vz_err *err)
{
	int r = vz_cache_lock_use(g, template, ret_lock, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *abs = lower[0] == '/' ? strdup(lower) : path_join(g->cache_dir, lower);
	if (!abs)
		return -ENOMEM;
	if (!dir_exists(abs))
		return clone_of ? vz_failx(err, ENOENT,
					   "the template cache '%s' that '%s' is made on is missing",
					   lower, clone_of)
				: vz_failx(err, ENOENT,
					   "template cache '%s' was removed meanwhile; try again",
					   lower);
	return 0;
}

int vz_container_create(const struct vz_global *g, const char *name,
			const struct vz_create_opts *o, vz_err *err)
{
	int r = check_new_name(g, name, err);
	if (r < 0)
		return r;
	if (!o->template)
		return vz_failx(err, EINVAL, "no template given (-t TEMPLATE)");
	if (o->backend && vz_backend_from_string(o->backend) < 0)
		return vz_failx(err, EINVAL, "unknown storage backend '%s' (known: overlay, dir)",
				o->backend);

	config_t cfg;
	config_init(&cfg);
	r = vz_config_set(&cfg, "template", o->template, err);
	if (r >= 0 && o->backend && !streq(o->backend, "overlay"))
		r = vz_config_set(&cfg, "rootfs.backend", o->backend, err);
	if (r >= 0)
		r = apply_settings(&cfg, o->settings, err);
	_cleanup_free_ char *lower = NULL;
	if (r >= 0)
		r = vz_template_prepare(g, o->template, o->template_args, name, o->refresh, &lower,
					err);
	_cleanup_close_ int use = -EBADF, glock = -EBADF;
	if (r >= 0)
		r = hold_cache_entry(g, o->template, lower, NULL, &use, err);
	if (r >= 0)
		r = vz_config_set(&cfg, "rootfs.lower", lower, err);
	if (r >= 0)
		r = create_from_config(g, name, &cfg, &glock, NULL, NULL, o->template_args,
				       o->password, err);
	config_destroy(&cfg);
	return r;
}

/* ------------------------------------------------------------------ clone */

int vz_container_clone(const struct vz_global *g, const char *src, const char *dst,
		       vz_err *err)
{
	int r = check_new_name(g, dst, err);
	if (r < 0)
		return r;
	_cleanup_close_ int glock = -EBADF, slock = -EBADF;
	r = lock_global_then(g, src, &glock, &slock, err);
	if (r < 0)
		return r;
	struct vz_status status;
	r = vz_runtime_status(g, src, &status);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", src);
	if (status.state != VZ_STATE_STOPPED)
		return vz_failx(err, EBUSY,
				"container '%s' is %s: stop it first (vz clone copies a stopped "
				"container)",
				src, vz_state_to_string(status.state));
	_cleanup_(vz_spec_freep) struct vz_spec *sspec = NULL;
	r = vz_spec_load(g, src, &sspec, err);
	if (r < 0)
		return r;
	struct vz_storage sst;
	r = vz_storage_init(&sst, g, sspec);
	if (r < 0)
		return vz_fail(err, r, "storage of '%s'", src);
	_cleanup_close_ int use = -EBADF;
	if (vz_backend_uses_cache(sst.backend))
		r = hold_cache_entry(g, sspec->template, sspec->rootfs_lower, src, &use, err);

	/* The source's own config, as its admin wrote it, minus what belongs
	 * to the source alone: ids (allocated anew) and hostname (the new
	 * name's). */
	_cleanup_free_ char *conf = vz_path(g, src, VZ_PATH_CONFIG);
	config_t cfg;
	config_init(&cfg);
	if (r >= 0 && !conf)
		r = -ENOMEM;
	if (r >= 0 && config_read_file(&cfg, conf) != CONFIG_TRUE)
		r = vz_failx(err, EINVAL, "%s:%d: %s", conf, config_error_line(&cfg),
			     config_error_text(&cfg) ?: "cannot read");
	if (r >= 0 && config_lookup(&cfg, "hostname"))
		config_setting_remove(config_root_setting(&cfg), "hostname");
	if (r >= 0)
		r = create_from_config(g, dst, &cfg, &glock, &sst, sspec->hostname, NULL, NULL,
				       err);
	config_destroy(&cfg);
	vz_storage_done(&sst);
	return r;
}

/* ------------------------------------------------------------------ stop */

/* A control connection to the monitor of running container name, whose
 * state st the caller read under the container's lock. */
static int connect_running(const struct vz_global *g, const char *name,
			   const struct vz_status *st, int *ret_fd, vz_err *err)
{
	if (st->state == VZ_STATE_STOPPED || st->stale)
		return vz_failx(err, ENOTCONN, "container '%s' is not running", name);
	return vz_client_connect(g, name, ret_fd, err);
}

static int stop_locked(const struct vz_global *g, const char *name, const struct vz_stop_opts *o,
		       vz_err *err)
{
	struct vz_status st;
	int r = vz_runtime_status(g, name, &st);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", name);
	if (st.stale) {
		r = vz_runtime_cleanup_stale(g, name, err);
		return r < 0 ? r : 1;
	}
	_cleanup_close_ int fd = -EBADF;
	r = connect_running(g, name, &st, &fd, err);
	if (r < 0)
		return r;
	struct vz_msg req, reply;
	vz_msg_init(&req, VZ_MSG_STOP);
	if (o->timeout_ms >= 0)
		vz_msg_put_int(&req, VZ_F_TIMEOUT_MS, (uint64_t)o->timeout_ms);
	vz_msg_put_int(&req, VZ_F_FLAGS, o->kill ? VZ_STOP_KILL : 0);
	/* The monitor answers when the container is down: after the halt
	 * timeout, the kill and the cgroup removal (up to 10 s). */
	uint64_t wait_ms = (uint64_t)o->timeout_ms;
	if (o->timeout_ms < 0) {
		_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
		wait_ms = vz_spec_load(g, name, &spec, NULL) >= 0 ? spec->stop_timeout_ms
								  : 24ULL * 3600 * 1000;
	}
	r = vz_client_call(fd, &req, wait_ms + 30000, &reply, NULL, NULL, err);
	if (r == -ETIMEDOUT)
		vz_err_prefix(err, "stop '%s'", name);
	if (r == -ECONNRESET) {
		/* The monitor died while stopping; clean up what it left. */
		vz_err_clear(err);
		if (vz_runtime_status(g, name, &st) >= 0 && st.stale)
			return vz_runtime_cleanup_stale(g, name, err);
		return vz_failx(err, ECONNRESET, "the monitor of '%s' went away while stopping",
				name);
	}
	return r;
}

int vz_container_stop(const struct vz_global *g, const char *name, const struct vz_stop_opts *o,
		      vz_err *err)
{
	_cleanup_close_ int lock = -EBADF;
	int r = vz_lock_container(g, name, VZ_LOCK_TIMEOUT_MS, &lock, err);
	if (r < 0)
		return r;
	return stop_locked(g, name, o, err);
}

/* ------------------------------------------------------------------ set */

/* Apply spec's limits to a running container's cgroup; on failure put back
 * old's (the writes are not one transaction, the rollback makes them one). */
static int set_live(const struct vz_global *g, const char *name, const struct vz_spec *spec,
		    const struct vz_spec *old, vz_err *err)
{
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *layout = NULL;
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = NULL;
	_cleanup_free_ struct vz_io_limit *io = NULL, *old_io = NULL;
	struct vz_limits lim = spec->limits, old_lim = old->limits;
	/* limits.io's devices, on this host; an old one may be gone */
	int r = vz_io_resolve_spec(g, spec, &io, err);
	if (r >= 0 && vz_io_resolve_spec(g, old, &old_io, NULL) < 0)
		old_lim.n_io = 0;
	lim.io = io;
	old_lim.io = old_io;
	if (r >= 0)
		r = vz_cgroup_layout_detect(&layout, err);
	if (r >= 0)
		r = vz_cgroup_new(layout, g->cgroup_parent, name, &cg, err);
	if (r < 0)
		return r;
	r = vz_cgroup_apply_limits(cg, &lim, err);
	if (r < 0) {
		vz_err e = { 0 };
		if (vz_cgroup_apply_limits(cg, &old_lim, &e) < 0)
			log_warn("putting the previous limits of '%s' back: %s", name, e.msg);
		vz_err_prefix(err, "nothing changed");
	}
	return r;
}

int vz_container_set(const struct vz_global *g, const char *name, char **settings, bool save,
		     vz_err *err)
{
	_cleanup_close_ int lock = -EBADF;
	int r = vz_lock_container(g, name, VZ_LOCK_TIMEOUT_MS, &lock, err);
	if (r < 0)
		return r;
	_cleanup_(vz_spec_freep) struct vz_spec *old = NULL, *new = NULL;
	r = vz_spec_load(g, name, &old, err);
	if (r < 0)
		return r;
	struct vz_status st;
	r = vz_runtime_status(g, name, &st);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", name);
	bool running = st.state != VZ_STATE_STOPPED && !st.stale;
	if (!running && !save)
		return vz_failx(err, ENOTCONN,
				"container '%s' is not running: use --save to change its config",
				name);
	/* netN.rate_in/rate_out (net-rate.h) apart, checked before anything */
	struct vz_net_rates rates = { 0 };
	bool limits = false;
	STRV_FOREACH (kv, settings) {
		r = vz_net_rates_add(&rates, *kv, err);
		if (r < 0)
			return r;
		if (r == 0 && !startswith(*kv, "limits."))
			return vz_failx(err, EINVAL,
					"%s: vz set changes limits.* keys and netN.rate_in/rate_out "
					"only (edit the config for others)",
					*kv);
		limits |= r == 0;
	}
	r = 0;

	/* The config as it would be, checked as a whole (with vz.conf's
	 * defaults) before anything changes. */
	_cleanup_free_ char *conf = vz_path(g, name, VZ_PATH_CONFIG);
	_cleanup_free_ char *tmp = conf ? strdup_printf("%s.set", conf) : NULL;
	if (!tmp)
		return -ENOMEM;
	config_t cfg;
	config_init(&cfg);
	if (config_read_file(&cfg, conf) != CONFIG_TRUE)
		r = vz_failx(err, EINVAL, "%s:%d: %s", conf, config_error_line(&cfg),
			     config_error_text(&cfg) ?: "cannot read");
	STRV_FOREACH (kv, settings) {
		if (!startswith(*kv, "limits."))
			continue;
		const char *eq = strchr(*kv, '=');
		_cleanup_free_ char *key = eq ? strndup(*kv, (size_t)(eq - *kv)) : NULL;
		if (r >= 0 && !key)
			r = vz_failx(err, EINVAL, "%s: expected KEY=VALUE", *kv);
		if (r >= 0 && (r = vz_config_set(&cfg, key, eq + 1, err)) < 0)
			vz_err_prefix(err, "%s", *kv);
	}
	if (r >= 0)
		r = vz_net_rates_config(&cfg, g->cfg ? config_lookup(g->cfg, "defaults.network") : NULL,
					&rates, err);
	if (r >= 0)
		r = vz_config_write_file(&cfg, tmp, err);
	config_destroy(&cfg);
	if (r >= 0 && (r = vz_spec_load_file(g, tmp, name, &new, err)) < 0 &&
	    startswith(err->msg, tmp) && startswith(err->msg + strlen(tmp), ": ")) {
		/* The file is a scratch copy: the key is what the admin typed. */
		size_t skip = strlen(tmp) + 2;
		memmove(err->msg, err->msg + skip, strlen(err->msg + skip) + 1);
	}
	if (r >= 0 && running) {
		/* the rates first: their undo is exact, set_live() has its own */
		r = vz_net_rates_prepare(g, name, new, &rates, err);
		if (r >= 0)
			r = vz_net_rates_apply(&rates, err);
		if (r >= 0 && limits && (r = set_live(g, name, new, old, err)) < 0)
			vz_net_rates_undo(&rates);
	} else if (r >= 0) {
		/* limits.io's devices are checked as a start would */
		_cleanup_free_ struct vz_io_limit *io = NULL;
		r = vz_io_resolve_spec(g, new, &io, err);
	}
	if (r >= 0 && save && rename(tmp, conf) < 0)
		r = vz_fail(err, errno, "rename '%s' to '%s'", tmp, conf);
	unlink(tmp);
	return r;
}

/* ------------------------------------------------------------------ freeze */

int vz_container_freeze(const struct vz_global *g, const char *name, bool freeze, vz_err *err)
{
	_cleanup_close_ int lock = -EBADF;
	int r = vz_lock_container(g, name, VZ_LOCK_TIMEOUT_MS, &lock, err);
	if (r < 0)
		return r;
	struct vz_status st;
	r = vz_runtime_status(g, name, &st);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", name);
	_cleanup_close_ int fd = -EBADF;
	r = connect_running(g, name, &st, &fd, err);
	if (r < 0)
		return r;
	struct vz_msg req, reply;
	vz_msg_init(&req, freeze ? VZ_MSG_FREEZE : VZ_MSG_THAW);
	/* The monitor gives the processes 10 s to freeze. */
	return vz_client_call(fd, &req, VZ_CLIENT_TIMEOUT_MS + 10000, &reply, NULL, NULL, err);
}

/* ------------------------------------------------------------------ destroy */

int vz_container_destroy(const struct vz_global *g, const char *name, bool force, vz_err *err)
{
	_cleanup_close_ int glock = -EBADF, lock = -EBADF;
	int r = lock_global_then(g, name, &glock, &lock, err);
	if (r < 0)
		return r;

	struct vz_status st;
	r = vz_runtime_status(g, name, &st);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", name);
	if (st.state != VZ_STATE_STOPPED) {
		if (!force)
			return vz_failx(err, EBUSY,
					"container '%s' is running (stop it first, or use -f)", name);
		struct vz_stop_opts so = { .timeout_ms = 0, .kill = true };
		r = stop_locked(g, name, &so, err);
		if (r < 0)
			return r;
	} else if (st.stale) {
		r = vz_runtime_cleanup_stale(g, name, err);
		if (r < 0)
			return r;
	}

	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	_cleanup_free_ char *logdir = vz_path(g, name, VZ_PATH_LOGDIR);
	if (!dir || !logdir)
		return -ENOMEM;
	r = rm_rf(dir);
	if (r < 0)
		return vz_fail(err, r, "remove '%s'", dir);
	rm_rf(logdir);
	return 0;
}

/* ------------------------------------------------------------------ start */

static _noreturn_ void exec_monitor(const struct vz_global *g, const char *name,
				    const struct vz_start_opts *o, int status_fd)
{
	char **env = NULL;
	char fdbuf[32];
	const char *fail = getenv("VZ_FAIL_STEP");
	strv_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (g->vzpath)
		strv_consume(&env, strdup_printf("VZ_PATH=%s", g->vzpath));
	else if (g->conf_path)
		/* the monitor must read the same vz.conf as the command */
		strv_consume(&env, strdup_printf("VZ_CONFIG=%s", g->conf_path));
	if (o->log_level)
		strv_consume(&env, strdup_printf("VZ_LOG_LEVEL=%s", o->log_level));
	if (fail)
		strv_consume(&env, strdup_printf("VZ_FAIL_STEP=%s", fail));
	if (o->foreground)
		strv_push(&env, "VZ_FOREGROUND=1");
	if (o->no_wait)
		strv_push(&env, "VZ_NO_WAIT=1");
	if (status_fd >= 0) {
		snprintf(fdbuf, sizeof(fdbuf), "VZ_STATUS_FD=%d", status_fd);
		strv_push(&env, fdbuf);
	}
	char *argv[] = { "vz-monitor", (char *)name, NULL };
	execve(g->monitor_path, argv, env);

	vz_err err = { 0 };
	vz_fail(&err, errno, "cannot execute the monitor '%s'", g->monitor_path);
	if (status_fd >= 0) {
		struct vz_msg msg;
		vz_msg_from_err(&msg, &err);
		vz_msg_send(status_fd, &msg, NULL, 0);
	} else {
		dprintf(STDERR_FILENO, "vz start: %s: %s\n", name, err.msg);
	}
	_exit(127);
}

/* The monitor's stdio: nothing in, its log out. */
static int open_monitor_log(const struct vz_global *g, const char *name, vz_err *err)
{
	_cleanup_free_ char *logdir = vz_path(g, name, VZ_PATH_LOGDIR);
	_cleanup_free_ char *log = vz_path(g, name, VZ_PATH_MONITOR_LOG);
	if (!logdir || !log)
		return -ENOMEM;
	int r = mkdir_p(logdir, 0750);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", logdir);
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return vz_fail(err, errno, "open '%s'", log);
	return fd;
}

static _noreturn_ void monitor_child(const struct vz_global *g, const char *name,
				     const struct vz_start_opts *o, int status_fd, int log_fd)
{
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(log_fd, 2) < 0 ||
	    fd_move_to(status_fd, 3) < 0)
		_exit(127);
	close_range(4, ~0U, 0);
	exec_monitor(g, name, o, 3);
}

/* READY (possibly first a pending one: init runs, readiness follows; the
 * container's lock is dropped then, so that vz stop can end a boot that
 * hangs) or ERROR. */
static int wait_for_monitor(pid_t pid, int fd, int *lock, const char *log, pid_t *ret_pid,
			    vz_err *err)
{
	struct vz_msg msg;
	int r;
	for (;;) {
		r = vz_msg_recv(fd, &msg, NULL, NULL, err);
		if (r == -ECONNRESET)
			r = vz_failx(err, EIO, "the monitor exited during the start (see %s)", log);
		else if (r >= 0 && msg.type == VZ_MSG_ERROR)
			r = vz_msg_to_err(&msg, err);
		else if (r >= 0 && msg.type == VZ_MSG_READY) {
			uint64_t v = 0, flags = 0;
			vz_msg_get_int(&msg, VZ_F_PID, &v);
			*ret_pid = (pid_t)v;
			vz_msg_get_int(&msg, VZ_F_FLAGS, &flags);
			if (!(flags & VZ_READY_PENDING))
				return 0;
			*lock = safe_close(*lock);
			continue;
		} else if (r >= 0)
			r = vz_failx(err, EPROTO, "unexpected message %u from the monitor", msg.type);
		break;
	}
	/* A failed monitor has cleaned up and is exiting: reap it so that
	 * nothing of this start is left when we return. */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r;
}

/* Where the monitor will run: on a systemd host, vz.service's monitors/
 * (made on first use), so that the session or unit that ran vz start does
 * not take the container with it when it ends; elsewhere (-EBADF) where vz
 * start runs. Costs nothing on a host without systemd. */
static int monitor_cgroup(const struct vz_global *g, int *ret_fd, vz_err *err)
{
	*ret_fd = -EBADF;
	if (!vz_cgroup_systemd_host())
		return 0;
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *l = NULL;
	int r = vz_cgroup_layout_detect(&l, err);
	if (r < 0)
		return r;
	return vz_cgroup_monitor_open(l, g->monitor_path, ret_fd, err);
}

int vz_container_start(const struct vz_global *g, const char *name,
		       const struct vz_start_opts *o, pid_t *ret_pid, vz_err *err)
{
	_cleanup_close_ int lock = -EBADF;
	int r = vz_lock_container(g, name, VZ_LOCK_TIMEOUT_MS, &lock, err);
	if (r < 0)
		return r;
	struct vz_status st;
	r = vz_runtime_status(g, name, &st);
	if (r < 0)
		return vz_fail(err, r, "read the state of '%s'", name);
	if (st.state != VZ_STATE_STOPPED)
		return vz_failx(err, EBUSY, "container '%s' is already running", name);
	if (st.stale && (r = vz_runtime_cleanup_stale(g, name, err)) < 0)
		return r;

	/* Config errors are reported here, with file:line, before anything
	 * is spawned. */
	_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
	r = vz_spec_load(g, name, &spec, err);
	if (r < 0)
		return r;
	_cleanup_close_ int cg_fd = -EBADF;
	r = monitor_cgroup(g, &cg_fd, err);
	if (r < 0)
		return r;
	if (o->foreground)
		exec_monitor(g, name, o, -EBADF);

	_cleanup_close_ int log_fd = open_monitor_log(g, name, err);
	if (log_fd < 0)
		return log_fd;
	_cleanup_free_ char *log = vz_path(g, name, VZ_PATH_MONITOR_LOG);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return vz_fail(err, errno, "socketpair");
	struct clone_args args = { .exit_signal = SIGCHLD };
	if (cg_fd >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cg_fd;
	}
	pid_t pid = sys_clone3(&args, sizeof(args));
	if (pid < 0) {
		r = vz_fail(err, pid, "start the monitor");
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0)
		monitor_child(g, name, o, sv[1], log_fd);
	close(sv[1]);
	r = wait_for_monitor(pid, sv[0], &lock, log ? log : "the monitor log", ret_pid, err);
	close(sv[0]);
	return r;
}
