/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.c: the container's /dev (see dev.h). Runs in the container child.
 */
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "console.h"
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

/* A privileged container gets its own device nodes (same numbers as the
 * host's) instead of binds of the host's devtmpfs. */
static int make_node(const char *src, const char *dst, vz_err *err)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return vz_fail(err, errno, "stat '%s'", src);
	if (mknod(dst, S_IFCHR | (st.st_mode & 07777), st.st_rdev) < 0)
		return vz_fail(err, errno, "mknod '%s'", dst);
	if (chmod(dst, st.st_mode & 07777) < 0)
		return vz_fail(err, errno, "chmod '%s'", dst);
	return 0;
}

int dev_setup_in_child(const char *root, bool privileged, unsigned ttys, int *masters,
		       char *tty_names, size_t names_size, vz_err *err)
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
		r = privileged ? make_node(src, dst, err) : bind_mount(src, dst, false, err);
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
	/* /dev/console, then /dev/tty1..N: ptys of the container's devpts,
	 * their slaves bound where a getty expects the real thing. */
	_cleanup_free_ char *pts = path_join(dev, "pts");
	if (!pts || names_size == 0)
		return -ENOMEM;
	tty_names[0] = 0;
	for (unsigned i = 0; i <= ttys; i++) {
		_cleanup_free_ char *node = i == 0 ? path_join(dev, "console")
						   : strdup_printf("%s/tty%u", dev, i);
		if (!node)
			return -ENOMEM;
		char slave[256];
		r = vz_console_create_in_child(pts, &masters[i], slave, sizeof(slave), err);
		if (r >= 0)
			r = bind_mount(slave, node, false, err);
		if (r >= 0 && i > 0) {
			/* "pts/N": the slave's name below the container's /dev */
			size_t used = strlen(tty_names);
			int n = snprintf(tty_names + used, names_size - used, "%s%s", used ? " " : "",
					 slave + strlen(dev) + 1);
			if (n < 0 || (size_t)n >= names_size - used)
				r = vz_failx(err, ENAMETOOLONG, "the names of the ttys are too long");
		}
		if (r < 0) {
			for (unsigned k = 0; k <= i; k++)
				masters[k] = safe_close(masters[k]);
			return r;
		}
	}
	return 0;
}
