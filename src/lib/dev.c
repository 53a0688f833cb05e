/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.c: the container's /dev (see dev.h). Runs in the container child.
 */
#include <sys/mount.h>
#include <sys/stat.h>

#include "dev.h"
#include "fs-util.h"
#include "mount.h"

static const char *const host_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

static const struct {
	const char *target;
	const char *link;
} dev_links[] = {
	{ "ptmx", "pts/ptmx" },
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

static const struct {
	const char *dir;
	const char *type;
	unsigned long flags;
	const char *data;
} dev_mounts[] = {
	/* gid 5 is "tty" in every distribution vz knows. */
	{ "pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
};

int dev_setup_in_child(const char *root, const char *console_pty, vz_err *err)
{
	_cleanup_free_ char *dev = NULL;
	int r = child_dir_in_root(root, "dev", &dev, err);
	if (r < 0)
		return r;
	r = mount_fs("vz-dev", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=1m", err);
	if (r < 0)
		return r;

	for (size_t i = 0; i < ELEMENTSOF(host_nodes); i++) {
		_cleanup_free_ char *src = path_join("/dev", host_nodes[i]);
		_cleanup_free_ char *dst = path_join(dev, host_nodes[i]);
		if (!src || !dst)
			return -ENOMEM;
		r = bind_mount(src, dst, false, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ELEMENTSOF(dev_mounts); i++) {
		_cleanup_free_ char *p = path_join(dev, dev_mounts[i].dir);
		if (!p)
			return -ENOMEM;
		if (mkdir(p, 0755) < 0)
			return vz_fail(err, errno, "create '%s'", p);
		r = mount_fs(dev_mounts[i].type, p, dev_mounts[i].type, dev_mounts[i].flags,
			     dev_mounts[i].data, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ELEMENTSOF(dev_links); i++) {
		_cleanup_free_ char *p = path_join(dev, dev_links[i].target);
		if (!p)
			return -ENOMEM;
		if (symlink(dev_links[i].link, p) < 0)
			return vz_fail(err, errno, "create symlink '%s'", p);
	}
	if (console_pty) {
		_cleanup_free_ char *p = path_join(dev, "console");
		if (!p)
			return -ENOMEM;
		r = bind_mount(console_pty, p, false, err);
		if (r < 0)
			return r;
	}
	return 0;
}
