/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rootfs.c: the overlay root filesystem (see rootfs.h). rootfs_idmap_lower
 * runs in the monitor, the rest in the container child.
 */
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "mount.h"
#include "rootfs.h"

int rootfs_idmap_lower(const struct vz_rootfs *rf, pid_t pid, int *ret_fd, vz_err *err)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	_cleanup_close_ int userns = open(p, O_RDONLY | O_CLOEXEC);
	if (userns < 0)
		return vz_fail(err, errno, "open '%s'", p);
	_cleanup_close_ int fd = sys_open_tree(AT_FDCWD, rf->lower, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd < 0)
		return vz_fail(err, fd, "clone mount of template cache '%s'", rf->lower);
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NODEV,
		.userns_fd = (uint64_t)userns,
	};
	int r = sys_mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr));
	if (r < 0)
		return vz_fail(err, r,
			       "idmapped mount of '%s' (the filesystem holding the template cache "
			       "must support idmapped mounts)",
			       rf->lower);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static bool overlay_safe_path(const char *p)
{
	/* overlay's option parser splits at ',' and ':' (and takes '\' as escape). */
	return !strpbrk(p, ",:\\");
}

/* Backend "dir": the container's own tree, bound where the overlay would be. */
static int bind_dir_in_child(const struct vz_rootfs *rf, char **ret_root, vz_err *err)
{
	int r = mount_fs("vz-stage", rf->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k", err);
	if (r < 0)
		return r;
	_cleanup_free_ char *root = path_join(rf->mnt, "root");
	if (!root)
		return -ENOMEM;
	if (mkdir(root, 0755) < 0)
		return vz_fail(err, errno, "create staging directories in '%s'", rf->mnt);
	if (mount(rf->dir, root, NULL, MS_BIND, NULL) < 0)
		return vz_fail(err, errno, "bind the root filesystem '%s'", rf->dir);
	*ret_root = TAKE_PTR(root);
	return 0;
}

int rootfs_mount_in_child(const struct vz_rootfs *rf, int lower_fd, char **ret_root, vz_err *err)
{
	if (rf->dir)
		return bind_dir_in_child(rf, ret_root, err);
	const char *paths[] = { rf->lower, rf->delta, rf->work, rf->mnt };
	for (size_t i = 0; i < ELEMENTSOF(paths); i++)
		if (!overlay_safe_path(paths[i]))
			return vz_failx(err, EINVAL, "path '%s' contains ',', ':' or '\\'", paths[i]);

	/* A private tmpfs to stage the lower layer and the overlay on. */
	int r = mount_fs("vz-stage", rf->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k", err);
	if (r < 0)
		return r;
	_cleanup_free_ char *lower = path_join(rf->mnt, "lower");
	_cleanup_free_ char *root = path_join(rf->mnt, "root");
	if (!lower || !root)
		return -ENOMEM;
	if (mkdir(lower, 0755) < 0 || mkdir(root, 0755) < 0)
		return vz_fail(err, errno, "create staging directories in '%s'", rf->mnt);

	const char *lowerdir = rf->lower;
	if (lower_fd >= 0) {
		r = sys_move_mount(lower_fd, "", AT_FDCWD, lower, MOVE_MOUNT_F_EMPTY_PATH);
		if (r < 0)
			return vz_fail(err, r, "attach the idmapped template cache on '%s'", lower);
		lowerdir = lower;
	}

	/* userxattr: overlay keeps its metadata in user.overlay.* xattrs, the
	 * only ones a user namespace may write; used for privileged containers
	 * too so a delta stays valid if the container's mode changes. */
	_cleanup_free_ char *opts = strdup_printf("lowerdir=%s,upperdir=%s,workdir=%s,userxattr",
						  lowerdir, rf->delta, rf->work);
	if (!opts)
		return -ENOMEM;
	log_debug("overlay %s", opts);
	if (mount("overlay", root, "overlay", 0, opts) < 0) {
		int e = errno;
		if (e == EACCES || e == EPERM)
			return vz_fail(err, e,
				       "mount overlay (upper '%s'; every directory above it must be "
				       "searchable by the container's root)",
				       rf->delta);
		return vz_fail(err, e, "mount overlay (lower '%s', upper '%s')", rf->lower,
			       rf->delta);
	}
	*ret_root = TAKE_PTR(root);
	return 0;
}

int rootfs_pivot_in_child(const char *root, vz_err *err)
{
	if (chdir(root) < 0)
		return vz_fail(err, errno, "chdir '%s'", root);
	/* pivot_root(".", ".") stacks the old root on top of the new one;
	 * detaching "." then leaves only the new root (pivot_root(2), NOTES). */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return vz_fail(err, errno, "pivot_root into '%s'", root);
	if (umount2(".", MNT_DETACH) < 0)
		return vz_fail(err, errno, "detach the old root");
	if (chdir("/") < 0)
		return vz_fail(err, errno, "chdir /");
	return 0;
}
