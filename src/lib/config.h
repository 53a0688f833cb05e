/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.h: reading vz.conf and container config files (libconfig) into
 * struct vz_global and struct vz_spec through one key table, and editing
 * container config files (vz create -c key=value, later vz set).
 *
 * Every error names the place and the key, in one line:
 *   "/var/lib/vz/web1/config:7: key 'limits.memroy': unknown key"
 *   "/var/lib/vz/web1/config:3: key 'limits.memory': invalid size 'lots'"
 *   "/etc/vz/vz.conf:12: syntax error"
 *   "-c limits.pids=x: key 'limits.pids': invalid integer 'x'"
 */
#pragma once

#include <libconfig.h>

#include "err.h"
#include "paths.h"
#include "spec.h"

/* Load the global settings. vzpath is -P DIR / VZ_PATH (NULL for none):
 * then the file is vzpath/vz.conf if it exists, and lib/cache/run/log are
 * forced below vzpath. Without vzpath the file is SYSCONFDIR/vz/vz.conf
 * (compiled in), or $VZ_CONFIG if set. A missing file means built-in
 * defaults; a present but bad one is an error. */
int vz_global_load(const char *vzpath, struct vz_global **ret, vz_err *err);

/* Load container `name` from vz_path(g, name, VZ_PATH_CONFIG): built-in
 * defaults, then g's "defaults" group, then the file; then validated.
 * -ENOENT with "container 'x' does not exist" if there is no such container. */
int vz_spec_load(const struct vz_global *g, const char *name, struct vz_spec **ret, vz_err *err);
/* The same from an explicit file (vz checkconfig FILE). */
int vz_spec_load_file(const struct vz_global *g, const char *path, const char *name,
		      struct vz_spec **ret, vz_err *err);

/* Set one container key on a libconfig tree from its string form, creating
 * groups as needed and using the type the key table says (a size stays a
 * string such as "256M", an integer becomes an int, a list is split at
 * commas). The value is checked with the same parser used when loading.
 * Unknown key or bad value: -EINVAL, err "key 'x': ...". */
int vz_config_set(config_t *cfg, const char *key, const char *value, vz_err *err);
/* "key=value" form, for -c. err is prefixed "-c key=value". */
int vz_config_set_kv(config_t *cfg, const char *kv, vz_err *err);
/* Write atomically (temp file + rename), mode 0644, with a header comment
 * pointing at vz.conf(5). */
int vz_config_write_file(config_t *cfg, const char *path, vz_err *err);

/* Documentation helper for `vz checkconfig --keys`: NULL-terminated list of
 * every container key ("limits.memory", ...), static storage. */
const char *const *vz_config_keys(void);
