/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-storage: the storage backends' names (they appear in configs as
 * rootfs.backend and on the command line as vz create --backend) and which
 * of them keep reading the template cache.
 */
#include <errno.h>

#include "macro.h"
#include "storage.h"
#include "tap.h"

int main(void)
{
	static const char *const names[] = { "overlay", "dir" };
	is_int(_VZ_BACKEND_MAX, ELEMENTSOF(names), "%zu backends", ELEMENTSOF(names));
	for (int i = 0; i < _VZ_BACKEND_MAX; i++) {
		const char *want = i < (int)ELEMENTSOF(names) ? names[i] : "?";
		is_str(vz_backend_to_string(i), want, "backend %d is %s", i, want);
		is_int(vz_backend_from_string(vz_backend_to_string(i)), i, "backend %d round-trips",
		       i);
	}
	is_int(VZ_BACKEND_OVERLAY, 0, "overlay is the first (the default)");
	ok(vz_backend_to_string(_VZ_BACKEND_MAX) == NULL, "backend past the end has no name");
	ok(vz_backend_to_string((enum vz_backend) - 1) == NULL, "backend -1 has no name");
	static const char *const bad[] = { "", "Overlay", "overlayfs", "dir ", "btrfs" };
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		is_int(vz_backend_from_string(bad[i]), -EINVAL, "backend '%s' is -EINVAL", bad[i]);
	is_int(vz_backend_from_string(NULL), -EINVAL, "backend NULL is -EINVAL");
	ok(vz_backend_uses_cache(VZ_BACKEND_OVERLAY), "an overlay container reads the cache");
	ok(!vz_backend_uses_cache(VZ_BACKEND_DIR), "a dir container does not");
	return tap_done();
}
