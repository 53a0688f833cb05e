/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.c: loading vz.conf into struct vz_global and a container's config
 * into struct vz_spec (see config.h). Order for a container: built-in
 * defaults, vz.conf's "defaults" group, the container's file; then the
 * cross-field checks. Every error names file:line and the key.
 */
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "bridge.h"
#include "config-internal.h"
#include "config.h"
#include "fs-util.h"

/* Read path into cfg. -ENOENT (err untouched) if it does not exist. */
static int read_config(config_t *cfg, const char *path, vz_err *err)
{
	errno = 0; /* libconfig does not always set it */
	if (config_read_file(cfg, path))
		return 0;
	if (config_error_type(cfg) == CONFIG_ERR_FILE_IO) {
		int e = errno;
		if (!path_exists(path))
			return -ENOENT;
		if (dir_exists(path))
			e = EISDIR;
		return vz_fail(err, e ? e : EIO, "cannot read '%s'", path);
	}
	const char *f = config_error_file(cfg);
	return vz_failx(err, EINVAL, "%s:%d: %s", f ? f : path, config_error_line(cfg),
			config_error_text(cfg));
}

static int set_default(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
	return *field ? 0 : -ENOMEM;
}

static char *absolute(const char *p)
{
	if (p[0] == '/')
		return strdup(p);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	return path_join(cwd, p);
}

int vz_global_load(const char *vzpath, struct vz_global **ret, vz_err *err)
{
	struct vz_global *g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	_cleanup_(vz_global_freep) struct vz_global *gp = g;
	g->idmap_size = 65536;
	g->inotify_per_container = VZ_INOTIFY_PER_CONTAINER;
	if (set_default(&g->lib_dir, VZ_LIBDIR) < 0 || set_default(&g->cache_dir, VZ_CACHEDIR) < 0 ||
	    set_default(&g->run_dir, VZ_RUNDIR) < 0 || set_default(&g->log_dir, VZ_LOGDIR) < 0 ||
	    set_default(&g->templates_dir, VZ_TEMPLATESDIR) < 0 ||
	    set_default(&g->monitor_path, VZ_MONITOR_PATH) < 0 ||
	    set_default(&g->lxcfs_path, "/usr/bin/lxcfs") < 0 ||
	    set_default(&g->subuid_file, "/etc/subuid") < 0 ||
	    set_default(&g->subgid_file, "/etc/subgid") < 0 ||
	    set_default(&g->subid_user, "root") < 0 || set_default(&g->cgroup_parent, "vz") < 0 ||
	    set_default(&g->net_bridge, VZ_NET_BRIDGE) < 0 || set_default(&g->net_ipv4, VZ_NET_IPV4) < 0 ||
	    set_default(&g->net_ipv6, "") < 0 || set_default(&g->net_dhcp_range, "") < 0 ||
	    set_default(&g->nft_path, "/usr/sbin/nft") < 0 ||
	    set_default(&g->dnsmasq_path, "/usr/sbin/dnsmasq") < 0)
		return -ENOMEM;
	g->net_mtu = VZ_NET_MTU;

	_cleanup_free_ char *conf = NULL;
	if (vzpath && *vzpath) {
		g->vzpath = absolute(vzpath);
		if (!g->vzpath)
			return vz_fail(err, errno ? errno : ENOMEM, "-P '%s'", vzpath);
		conf = path_join(g->vzpath, "vz.conf");
	} else {
		const char *e = getenv("VZ_CONFIG");
		conf = strdup(e && *e ? e : VZ_SYSCONFDIR "/vz/vz.conf");
	}
	if (!conf)
		return -ENOMEM;

	g->cfg = calloc(1, sizeof(config_t));
	if (!g->cfg)
		return -ENOMEM;
	config_init(g->cfg);
	int r = read_config(g->cfg, conf, err);
	if (r == -ENOENT) {
		r = 0;
	} else if (r < 0) {
		return r;
	} else {
		g->conf_path = TAKE_PTR(conf);
		config_setting_t *root = config_root_setting(g->cfg);
		int n = config_setting_length(root);
		for (int i = 0; i < n && r >= 0; i++) {
			config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
			const char *name = config_setting_name(s);
			unsigned line = config_setting_source_line(s);
			if (streq(name, "defaults")) {
				/* container keys: checked now so a mistake is reported
				 * against vz.conf whatever command runs */
				if (!config_setting_is_group(s))
					return vz_failx(err, EINVAL,
							"%s:%u: key 'defaults': expected a group",
							g->conf_path, line);
				struct vz_spec scratch;
				if (vz_spec_init(&scratch, "defaults") < 0)
					return -ENOMEM;
				r = vz_config_apply_group(vz_container_keys, s, &scratch, g->conf_path,
							  "defaults.", VZ_KEY_PER_CONTAINER, err);
				vz_spec_done(&scratch);
			} else if (config_setting_is_group(s) &&
				   !vz_key_find(vz_global_keys, name)) {
				if (!vz_key_is_group(vz_global_keys, name))
					return vz_failx(err, EINVAL, "%s:%u: key '%s': unknown key",
							g->conf_path, line, name);
				r = vz_config_apply_group(vz_global_keys, s, g, g->conf_path, "", 0,
							  err);
			} else {
				const struct vz_key *k = vz_key_find(vz_global_keys, name);
				if (!k)
					return vz_failx(err, EINVAL, "%s:%u: key '%s': %s",
							g->conf_path, line, name,
							vz_key_is_group(vz_global_keys, name)
							    ? "expected a group"
							    : "unknown key");
				char why[512] = "";
				r = vz_key_apply(k, s, g, why, sizeof(why));
				if (r < 0 && r != -ENOMEM)
					r = vz_failx(err, -r, "%s:%u: key '%s': %s", g->conf_path,
						     line, name, why);
			}
		}
		if (r < 0)
			return r;
	}

	if (g->vzpath) {
		static const struct {
			size_t off;
			const char *sub;
		} forced[] = {
			{ offsetof(struct vz_global, lib_dir), "lib" },
			{ offsetof(struct vz_global, cache_dir), "cache" },
			{ offsetof(struct vz_global, run_dir), "run" },
			{ offsetof(struct vz_global, log_dir), "log" },
		};
		for (size_t i = 0; i < ELEMENTSOF(forced); i++) {
			char **f = (char **)((char *)g + forced[i].off);
			free(*f);
			*f = path_join(g->vzpath, forced[i].sub);
			if (!*f)
				return -ENOMEM;
		}
	}
	*ret = TAKE_PTR(gp);
	return 0;
}

int vz_spec_load_file(const struct vz_global *g, const char *path, const char *name,
		      struct vz_spec **ret, vz_err *err)
{
	_cleanup_(vz_spec_freep) struct vz_spec *spec = calloc(1, sizeof(*spec));
	if (!spec || vz_spec_init(spec, name) < 0)
		return -ENOMEM;
	spec->config_path = strdup(path);
	if (!spec->config_path)
		return -ENOMEM;

	int r;
	if (g->cfg) {
		const config_setting_t *d = config_lookup(g->cfg, "defaults");
		if (d) {
			r = vz_config_apply_group(vz_container_keys, d, spec, g->conf_path,
						  "defaults.", VZ_KEY_PER_CONTAINER, err);
			if (r < 0)
				return r;
		}
	}

	config_t cfg;
	config_init(&cfg);
	r = read_config(&cfg, path, err);
	if (r == -ENOENT)
		r = vz_failx(err, ENOENT, "config file '%s' does not exist", path);
	if (r >= 0)
		r = vz_config_apply_group(vz_container_keys, config_root_setting(&cfg), spec, path,
					  "", 0, err);
	config_destroy(&cfg);
	if (r < 0)
		return r;
	r = vz_spec_validate(spec, err);
	if (r < 0) {
		vz_err_prefix(err, "%s", path);
		return r;
	}
	*ret = TAKE_PTR(spec);
	return 0;
}

int vz_spec_load(const struct vz_global *g, const char *name, struct vz_spec **ret, vz_err *err)
{
	if (!vz_name_is_valid(name))
		return vz_failx(err, EINVAL, "invalid container name '%s'", name);
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	_cleanup_free_ char *path = vz_path(g, name, VZ_PATH_CONFIG);
	if (!dir || !path)
		return -ENOMEM;
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return vz_failx(err, ENOENT, "container '%s' does not exist", name);
	if (!path_exists(path))
		return vz_failx(err, ENOENT, "container '%s' has no config file '%s'", name, path);
	return vz_spec_load_file(g, path, name, ret, err);
}
