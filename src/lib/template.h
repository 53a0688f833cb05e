/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * template.h: running templates and owning the template cache. Runs in
 * `vz create`.
 *
 * A template is an executable TEMPLATES_DIR/vz-template-NAME with three modes
 * (doc/templates.md is the full contract):
 *   vz-template-NAME --release [ARGS...]        print the cache key (one line,
 *                                               [A-Za-z0-9._-]+) for these ARGS
 *   vz-template-NAME --rootfs DIR [ARGS...]     build a root filesystem in DIR
 *   vz-template-NAME --configure DIR [ARGS...]  set up one container's tree
 * with environment VZ_TEMPLATE=NAME, VZ_CACHE_DIR=<cache>/NAME (scratch space the
 * template may keep), VZ_CONTAINER=<container name>. The built tree lands in
 * <cache>/NAME/<release>, built under a temporary name and renamed when
 * complete, under a per-template lock, so an interrupted build never leaves a
 * half cache and two creates never build it twice.
 */
#pragma once

#include <stdbool.h>

#include "err.h"
#include "paths.h"

/* Make sure the cache for (template, args) exists, building it if needed.
 * *ret_lower is "NAME/RELEASE" (relative to g->cache_dir).
 * Unknown template: -ENOENT "unknown template 'x' (no vz-template-x in DIR)". */
int vz_template_prepare(const struct vz_global *g, const char *template, char *const *args,
			const char *container, bool refresh, char **ret_lower, vz_err *err);

/* The per-container step: `vz-template-NAME --configure DIR [ARGS...]`, run
 * as host root with VZ_HOSTNAME and VZ_ROOT_PASSWORD (set: the password is
 * on stdin; or locked) in its environment. With mount_opts, an overlay
 * is mounted on dir first, in the step's own private mount namespace. */
struct vz_configure {
	const char *template;
	char *const *args;
	const char *container;
	const char *hostname;
	const char *dir;
	const char *mount_opts;
	const char *password; /* NULL: locked */
};
int vz_template_configure(const struct vz_global *g, const struct vz_configure *c, vz_err *err);

/* Names of the installed templates (sorted), for messages and docs. */
int vz_template_list(const struct vz_global *g, char ***ret);
