/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dev.c: the container's /dev (see dev.h). Runs in the container child.
 */
#include <ctype.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "console.h"
#include "dev.h"
#include "fs-util.h"
#include "log.h"
#include "mount.h"
#include "parse-util.h"
#include "strv.h"

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
	if (mknod(dst, (st.st_mode & S_IFMT) | (st.st_mode & 07777), st.st_rdev) < 0)
		return vz_fail(err, errno, "mknod '%s'", dst);
	if (chmod(dst, st.st_mode & 07777) < 0)
		return vz_fail(err, errno, "chmod '%s'", dst);
	return 0;
}

/* The host's name for a device below /dev ("net/tun"), from
 * /sys/dev/{char,block}/MAJ:MIN/uevent; NULL if it has none, or one that
 * does not look like a relative path without "..". */
static char *host_devname(const struct vz_dev_rule *d)
{
	char sys[64];
	snprintf(sys, sizeof(sys), "/sys/dev/%s/%d:%d/uevent", d->type == 'c' ? "char" : "block",
		 (int)d->major, (int)d->minor);
	_cleanup_free_ char *uevent = NULL;
	if (read_file(sys, &uevent, NULL) < 0)
		return NULL;
	for (char *line = uevent; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (startswith(line, "DEVNAME=")) {
			const char *name = line + 8;
			bool ok = *name && *name != '/' && !strstr(name, "..");
			for (const char *c = name; ok && *c; c++)
				ok = isalnum((unsigned char)*c) || strchr("._-+:/", *c);
			return ok ? strdup(name) : NULL;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* A device that an extra rule (devices.allow) names exactly gets a node
 * at the host's path for it, e.g. /dev/net/tun: bound from the host, or
 * in a privileged container made with mknod if the rule allows 'm' (the
 * cgroup decides mknod there). Rules with '*', devices the host has no
 * node for, and names the container's /dev already has give none. */
static int extra_node(const char *dev, const struct vz_dev_rule *d, bool privileged, vz_err *err)
{
	if (d->type == 'a' || d->major < 0 || d->minor < 0)
		return 0;
	_cleanup_free_ char *name = host_devname(d);
	_cleanup_free_ char *src = name ? path_join("/dev", name) : NULL;
	_cleanup_free_ char *dst = name ? path_join(dev, name) : NULL;
	struct stat st;
	if (!src || !dst || stat(src, &st) < 0 ||
	    (st.st_mode & S_IFMT) != (d->type == 'c' ? S_IFCHR : S_IFBLK) ||
	    st.st_rdev != makedev((unsigned)d->major, (unsigned)d->minor)) {
		log_debug("dev: no node for %c %d:%d: the host has none", d->type, (int)d->major,
			  (int)d->minor);
		return 0;
	}
	bool taken = lstat(dst, &st) == 0;
	if (taken || (privileged && !(d->access & VZ_DEV_MKNOD))) {
		log_debug("dev: no node for %c %d:%d: %s", d->type, (int)d->major, (int)d->minor,
			  taken ? "the name is taken" : "'m' is not allowed");
		return 0;
	}
	char *slash = strrchr(dst, '/');
	*slash = 0;
	int r = mkdir_p(dst, 0755);
	*slash = '/';
	if (r < 0)
		return vz_fail(err, r, "create the directory of '%s'", dst);
	log_debug("dev: %s %s for %c %d:%d", privileged ? "mknod" : "bind", dst, d->type,
		  (int)d->major, (int)d->minor);
	return privileged ? make_node(src, dst, err) : bind_mount(src, dst, false, err);
}

static int extra_nodes(const char *dev, char *const *allow, bool privileged, vz_err *err)
{
	STRV_FOREACH (a, allow) {
		struct vz_dev_rule d;
		char why[160];
		if (parse_dev_rule(*a, &d, why, sizeof(why)) < 0)
			return vz_failx(err, EINVAL, "key 'devices.allow': entry '%s': %s", *a,
					why);
		int r = extra_node(dev, &d, privileged, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int dev_setup_in_child(const char *root, bool privileged, char *const *allow, unsigned ttys,
		       int *masters, char *tty_names, size_t names_size, vz_err *err)
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
		if (r < 0)
			break;
	}
	/* Last: a name the container's /dev has by now is not replaced. */
	if (r >= 0)
		r = extra_nodes(dev, allow, privileged, err);
	if (r < 0)
		for (unsigned k = 0; k <= ttys; k++)
			masters[k] = safe_close(masters[k]);
	return r;
}
