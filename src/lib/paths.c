/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * paths.c: where each on-disk object of a container lives (see paths.h), and
 * freeing struct vz_global. Used by commands and the monitor.
 */
#include <libconfig.h>

#include "fs-util.h"
#include "paths.h"

void vz_global_free(struct vz_global *g)
{
	if (!g)
		return;
	free(g->conf_path);
	free(g->vzpath);
	free(g->lib_dir);
	free(g->cache_dir);
	free(g->run_dir);
	free(g->log_dir);
	free(g->templates_dir);
	free(g->monitor_path);
	free(g->lxcfs_path);
	free(g->subuid_file);
	free(g->subgid_file);
	free(g->subid_user);
	free(g->cgroup_parent);
	free(g->net_bridge);
	free(g->net_ipv4);
	free(g->net_ipv6);
	free(g->net_dhcp_range);
	free(g->nft_path);
	free(g->dnsmasq_path);
	if (g->cfg) {
		config_destroy(g->cfg);
		free(g->cfg);
	}
	free(g);
}

char *vz_path(const struct vz_global *g, const char *name, enum vz_path_kind kind)
{
	switch (kind) {
	case VZ_PATH_DIR:
		return path_join(g->lib_dir, name);
	case VZ_PATH_CONFIG:
		return strdup_printf("%s/%s/config", g->lib_dir, name);
	case VZ_PATH_DELTA:
		return strdup_printf("%s/%s/delta", g->lib_dir, name);
	case VZ_PATH_WORK:
		return strdup_printf("%s/%s/work", g->lib_dir, name);
	case VZ_PATH_ROOTFS:
		return strdup_printf("%s/%s/rootfs", g->lib_dir, name);
	case VZ_PATH_ROOTDIR:
		return strdup_printf("%s/%s/root", g->lib_dir, name);
	case VZ_PATH_RUN:
		return path_join(g->run_dir, name);
	case VZ_PATH_CONTROL:
		return strdup_printf("%s/%s/control", g->run_dir, name);
	case VZ_PATH_STATE:
		return strdup_printf("%s/%s/state", g->run_dir, name);
	case VZ_PATH_LOGDIR:
		return path_join(g->log_dir, name);
	case VZ_PATH_CONSOLE_LOG:
		return strdup_printf("%s/%s/console.log", g->log_dir, name);
	case VZ_PATH_MONITOR_LOG:
		return strdup_printf("%s/%s/monitor.log", g->log_dir, name);
	case VZ_PATH_LXCFS:
		return strdup_printf("%s/%s/lxcfs", g->run_dir, name);
	case VZ_PATH_LXCFS_PID:
		return strdup_printf("%s/%s/lxcfs.pid", g->run_dir, name);
	case VZ_PATH_LXCFS_LOG:
		return strdup_printf("%s/%s/lxcfs.log", g->log_dir, name);
	}
	return NULL;
}
