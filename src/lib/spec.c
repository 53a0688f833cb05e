/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spec.c: struct vz_spec defaults, cross-field validation and freeing (see
 * spec.h). The per-key parsing lives in config-keys.c.
 */
#include <ctype.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>

#include "enums.h"
#include "io-limit.h"
#include "spec.h"
#include "storage.h"
#include "strv.h"

bool vz_name_is_valid(const char *name)
{
	if (!name)
		return false;
	size_t n = strlen(name);
	if (n < 1 || n > VZ_NAME_MAX)
		return false;
	if (!isalnum((unsigned char)name[0]) || !isalnum((unsigned char)name[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!(isalnum(c) || c == '-' || c == '.'))
			return false;
		if (c == '.' && name[i + 1] == '.')
			return false;
	}
	return true;
}

int vz_spec_init(struct vz_spec *spec, const char *name)
{
	*spec = (struct vz_spec){
		.halt_signal = 0, /* picked from the init (start.c) */
		.stop_timeout_ms = 30 * 1000,
		.start_wait = VZ_START_WAIT_AUTO,
		.start_timeout_ms = 60 * 1000,
		.idmap = { .count = 65536 },
		.limits = { .swap = UINT64_MAX, .cpu_weight = 100, .io_weight = 100 },
		.caps_drop = (UINT64_C(1) << CAP_SYS_MODULE) | (UINT64_C(1) << CAP_SYS_RAWIO) |
			     (UINT64_C(1) << CAP_SYS_TIME) | (UINT64_C(1) << CAP_MAC_ADMIN) |
			     (UINT64_C(1) << CAP_MAC_OVERRIDE),
		.console_log_size = 1024 * 1024,
		.console_log_files = 1,
		.console_ttys = 4,
		.console_buffer = 128 * 1024,
	};
	spec->name = strdup(name);
	spec->hostname = strdup(name);
	if (!spec->name || !spec->hostname || strv_push(&spec->init, "/sbin/init") < 0) {
		vz_spec_done(spec);
		return -ENOMEM;
	}
	return 0;
}

int vz_spec_validate(const struct vz_spec *spec, vz_err *err)
{
	if (!spec->template || !*spec->template)
		return vz_failx(err, EINVAL, "key 'template': not set (the container was not made "
					     "by vz create)");
	if (!spec->rootfs_lower || !*spec->rootfs_lower)
		return vz_failx(err, EINVAL, "key 'rootfs.lower': not set");
	if (spec->rootfs_backend && vz_backend_from_string(spec->rootfs_backend) < 0)
		return vz_failx(err, EINVAL,
				"key 'rootfs.backend': unknown storage backend '%s' (known: overlay, "
				"dir)",
				spec->rootfs_backend);
	if (!spec->privileged) {
		if (spec->idmap.uid == 0 || spec->idmap.gid == 0)
			return vz_failx(err, EINVAL,
					"key 'idmap.%s': an unprivileged container needs its own id "
					"range (not starting at 0); set 'privileged = true' to run "
					"without one",
					spec->idmap.uid == 0 ? "uid" : "gid");
		if ((uint64_t)spec->idmap.uid + spec->idmap.count > UINT32_MAX ||
		    (uint64_t)spec->idmap.gid + spec->idmap.count > UINT32_MAX)
			return vz_failx(err, ERANGE, "key 'idmap.count': range goes past id 4294967294");
	}
	if (!spec->init || !spec->init[0] || spec->init[0][0] != '/')
		return vz_failx(err, EINVAL, "key 'init': must start with an absolute path");
	if (spec->limits.swap != UINT64_MAX && spec->limits.memory == 0)
		return vz_failx(err, EINVAL, "key 'limits.swap': needs 'limits.memory' to be set");
	if (spec->limits.memory_high && spec->limits.memory &&
	    spec->limits.memory_high > spec->limits.memory)
		return vz_failx(err, ERANGE,
				"key 'limits.memory_high': above 'limits.memory' (the soft limit "
				"must not exceed the hard one)");
	return 0;
}

static const char *const limit_names[_VZ_LIM_MAX] = {
	[VZ_LIM_MEMORY] = "memory",	      [VZ_LIM_MEMORY_HIGH] = "memory_high",
	[VZ_LIM_SWAP] = "swap",		      [VZ_LIM_PIDS] = "pids",
	[VZ_LIM_CPUS] = "cpus",		      [VZ_LIM_CPU_WEIGHT] = "cpu_weight",
	[VZ_LIM_CPUSET] = "cpuset",	      [VZ_LIM_CPUSET_MEMS] = "cpuset_mems",
	[VZ_LIM_IO_WEIGHT] = "io_weight",     [VZ_LIM_IO] = "io",
};

const char *vz_limit_key_name(enum vz_limit_key k)
{
	return (unsigned)k < _VZ_LIM_MAX ? limit_names[k] : NULL;
}

int vz_limit_key_from_name(const char *name)
{
	for (int k = 0; k < _VZ_LIM_MAX; k++)
		if (streq(name, limit_names[k]))
			return k;
	return -EINVAL;
}

bool vz_limit_is_set(const struct vz_limits *lim, enum vz_limit_key k)
{
	switch (k) {
	case VZ_LIM_MEMORY:
		return lim->memory != 0;
	case VZ_LIM_MEMORY_HIGH:
		return lim->memory_high != 0;
	case VZ_LIM_SWAP:
		return lim->swap != UINT64_MAX;
	case VZ_LIM_PIDS:
		return lim->pids != 0;
	case VZ_LIM_CPUS:
		return lim->cpus > 0;
	case VZ_LIM_CPU_WEIGHT:
		return lim->cpu_weight && lim->cpu_weight != 100;
	case VZ_LIM_CPUSET:
		return lim->cpuset != NULL;
	case VZ_LIM_CPUSET_MEMS:
		return lim->cpuset_mems != NULL;
	case VZ_LIM_IO_WEIGHT:
		return lim->io_weight && lim->io_weight != 100;
	case VZ_LIM_IO:
		return lim->n_io != 0;
	case _VZ_LIM_MAX:
		break;
	}
	return false;
}

void vz_spec_done(struct vz_spec *spec)
{
	if (!spec)
		return;
	free(spec->name);
	free(spec->config_path);
	free(spec->template);
	free(spec->rootfs_lower);
	free(spec->rootfs_backend);
	free(spec->limits.cpuset);
	free(spec->limits.cpuset_mems);
	vz_io_list_free(&spec->limits);
	free(spec->net);
	strv_free(spec->nameservers);
	free(spec->console_rw_users);
	free(spec->console_ro_users);
	strv_free(spec->init);
	free(spec->hostname);
	strv_free(spec->env);
	strv_free(spec->devices_allow);
	*spec = (struct vz_spec){ 0 };
}

void vz_spec_free(struct vz_spec *spec)
{
	if (!spec)
		return;
	vz_spec_done(spec);
	free(spec);
}
