/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot.c: the monitor's look at an init before it runs (see boot.h).
 * Runs in the monitor.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "boot.h"
#include "fd-util.h"
#include "fs-util.h"
#include "parse-util.h"
#include "runtime.h"

#define INOTIFY_LIMIT "/proc/sys/fs/inotify/max_user_instances"

bool vz_boot_init_is_systemd(pid_t pid, const char *path)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/root", (int)pid);
	_cleanup_close_ int root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return false;
	/* As the container will see it: absolute symlinks (Debian's
	 * /sbin/init -> /lib/systemd/systemd) stay inside its root. */
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	_cleanup_close_ int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd < 0)
		return false;
	char target[PATH_MAX];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(p, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = 0;
	const char *base = strrchr(target, '/');
	return streq(base ? base + 1 : target, "systemd");
}

int vz_boot_check_inotify(const struct vz_global *g, vz_err *err)
{
	uint64_t per = g->inotify_per_container;
	if (per == 0)
		return 0;
	_cleanup_free_ char *s = NULL;
	uint64_t limit;
	if (read_line_file(INOTIFY_LIMIT, &s) < 0 || parse_u64(s, &limit) < 0)
		return 0; /* no inotify in this kernel, or nothing to compare with */
	int n = vz_runtime_count_running(g);
	if (n < 1)
		n = 1; /* this one, whatever the count said */
	uint64_t need = (uint64_t)n * per;
	if (limit >= need)
		return 0;
	return vz_failx(err, EMFILE,
			"fs.inotify.max_user_instances is %llu, too low for %d container%s "
			"(%llu inotify instances each, host.inotify_instances_per_container in "
			"vz.conf): raise it to at least %llu (sysctl -w "
			"fs.inotify.max_user_instances=%llu; at boot: %s/60-vz.conf)",
			(unsigned long long)limit, n, n == 1 ? "" : "s", (unsigned long long)per,
			(unsigned long long)need, (unsigned long long)need, VZ_SYSCTLDIR);
}
