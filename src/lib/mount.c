/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount.c: mount helpers and the container's /proc and /sys (see mount.h).
 * Runs in the container child before pivot_root.
 */
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fd-util.h"

#include "fs-util.h"
#include "log.h"
#include "mount.h"

int mount_fs(const char *src, const char *target, const char *type, unsigned long flags,
	     const char *data, vz_err *err)
{
	log_debug("mount %s on %s type %s flags 0x%lx %s", src ?: "-", target, type ?: "-", flags,
		  data ?: "");
	if (mount(src, target, type, flags, data) < 0)
		return vz_fail(err, errno, "mount %s on '%s'", type ? type : src, target);
	return 0;
}

static int make_target_like(const char *src, const char *target)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(target, 0755) < 0 && errno != EEXIST)
			return -errno;
		return 0;
	}
	int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

int bind_mount(const char *src, const char *target, bool readonly, vz_err *err)
{
	int r = make_target_like(src, target);
	if (r < 0)
		return vz_fail(err, r, "create mount point '%s'", target);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0)
		return vz_fail(err, errno, "bind '%s' on '%s'", src, target);
	/* A bind mount takes MS_RDONLY only on a remount; the lock flags the
	 * source already had (nosuid, nodev, noexec) must be repeated or the
	 * kernel refuses the remount in a user namespace. */
	if (readonly && mount(NULL, target, NULL,
			      MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			      NULL) < 0)
		return vz_fail(err, errno, "make '%s' read-only", target);
	return 0;
}

int child_dir_in_root(const char *root, const char *name, char **ret, vz_err *err)
{
	_cleanup_free_ char *p = path_join(root, name);
	if (!p)
		return -ENOMEM;
	struct stat st;
	if (lstat(p, &st) < 0) {
		if (errno != ENOENT)
			return vz_fail(err, errno, "stat '/%s' in the rootfs", name);
		if (mkdir(p, 0755) < 0)
			return vz_fail(err, errno, "create '/%s' in the rootfs", name);
	} else if (!S_ISDIR(st.st_mode)) {
		return vz_failx(err, ENOTDIR,
				"'/%s' in the rootfs is not a directory (a symlink or file there "
				"would redirect a mount); refusing to start",
				name);
	}
	*ret = TAKE_PTR(p);
	return 0;
}

/* Entries of /proc that reveal host state or control the host: an empty
 * read-only file of a private tmpfs is bound over files (not the host's
 * /dev/null: nothing of the host's devtmpfs should be mounted where a
 * privileged container could remount it), an empty read-only tmpfs over
 * directories. */
static const char *const proc_masks[] = {
	"kcore", "sysrq-trigger", "timer_list", "keys", "latency_stats", "sched_debug",
	"acpi", "scsi", "asound",
};

/* One empty file on a fresh tiny read-only tmpfs, attached at dir (on the
 * child's private staging tmpfs, gone with the old root at pivot); each
 * file mask is a bind of it. Binds are taken from the attached
 * path: Linux before about 6.15 refuses open_tree(OPEN_TREE_CLONE) of a
 * detached mount with EINVAL (Debian 12's 6.1 does; found by the VM lane). */
static int empty_file_mount(const char *dir, vz_err *err)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return vz_fail(err, errno, "fsopen tmpfs for the /proc masks");
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", "vz-mask", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return vz_fail(err, errno, "create a tmpfs for the /proc masks");
	_cleanup_close_ int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
					       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
						       MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return vz_fail(err, errno, "mount a tmpfs for the /proc masks");
	int f = openat(mnt, "empty", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
	if (f < 0)
		return vz_fail(err, errno, "create the /proc mask file");
	close(f);
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int r = sys_mount_setattr(mnt, "", AT_EMPTY_PATH, &attr, sizeof(attr));
	if (r < 0)
		return vz_fail(err, r, "make the /proc mask file read-only");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create '%s'", dir);
	r = sys_move_mount(mnt, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH);
	if (r < 0)
		return vz_fail(err, r, "attach the /proc mask tmpfs at '%s'", dir);
	return 0;
}

static int mask_entry(const char *proc, const char *name, const char *empty, vz_err *err)
{
	_cleanup_free_ char *p = path_join(proc, name);
	if (!p)
		return -ENOMEM;
	struct stat st;
	if (lstat(p, &st) < 0)
		return 0; /* not on this kernel */
	if (S_ISDIR(st.st_mode))
		return mount_fs("vz-mask", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				"size=0,mode=0555", err);
	_cleanup_close_ int copy = sys_open_tree(AT_FDCWD, empty, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (copy < 0)
		return vz_fail(err, copy, "mask '/proc/%s'", name);
	int r = sys_move_mount(copy, "", AT_FDCWD, p, MOVE_MOUNT_F_EMPTY_PATH);
	if (r < 0)
		return vz_fail(err, r, "mask '/proc/%s'", name);
	return 0;
}

static int proc_sys_read_only(const char *proc, vz_err *err);

int mount_api_fs_in_child(const char *root, const char *stage, vz_err *err)
{
	_cleanup_free_ char *proc = NULL, *sys = NULL;
	int r = child_dir_in_root(root, "proc", &proc, err);
	if (r >= 0)
		r = child_dir_in_root(root, "sys", &sys, err);
	if (r < 0)
		return r;

	const unsigned long safe = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	r = mount_fs("proc", proc, "proc", safe, NULL, err);
	if (r < 0)
		return r;
	r = mount_fs("sysfs", sys, "sysfs", safe | MS_RDONLY, NULL, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *dir = path_join(stage, "mask");
	_cleanup_free_ char *empty = path_join(dir, "empty");
	if (!dir || !empty)
		return -ENOMEM;
	r = empty_file_mount(dir, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ELEMENTSOF(proc_masks); i++) {
		r = mask_entry(proc, proc_masks[i], empty, err);
		if (r < 0)
			return r;
	}
	_cleanup_free_ char *firmware = path_join(sys, "firmware");
	if (firmware && dir_exists(firmware)) {
		r = mount_fs("vz-mask", firmware, "tmpfs", safe | MS_RDONLY, "size=0,mode=0555", err);
		if (r < 0)
			return r;
	}
	return proc_sys_read_only(proc, err);
}

/* /proc/sys read-only, /proc/sys/net writable (the container has its own
 * network namespace), as systemd's container interface asks and
 * systemd-nspawn does, for unprivileged containers too: a user namespace
 * already keeps the host's sysctls out of reach, but the namespaced ones
 * (kernel.shm*, kernel.msg*, user.*, fs.mqueue.*) would otherwise be
 * writable, and systemd keys its own behaviour on a read-only /proc/sys
 * (systemd-sysctl.service, ConditionPathIsReadWrite=/proc/sys/, is then
 * skipped instead of failing on host-only keys). A bind of net taken from
 * the read-only /proc/sys starts read-only too, hence its own remount. */
static int proc_sys_read_only(const char *proc, vz_err *err)
{
	/* The flags proc was mounted with must be repeated (see bind_mount). */
	const unsigned long locked = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	_cleanup_free_ char *sys = path_join(proc, "sys");
	_cleanup_free_ char *net = path_join(proc, "sys/net");
	if (!sys || !net)
		return -ENOMEM;
	int r = bind_mount(sys, sys, true, err);
	if (r < 0 || !dir_exists(net))
		return r;
	if (mount(net, net, NULL, MS_BIND, NULL) < 0 || mount(NULL, net, NULL, locked, NULL) < 0)
		return vz_fail(err, errno, "make '%s' writable", net);
	return 0;
}

/* A small file written by the container child into its own /run. */
static int write_run_file(const char *dir, const char *name, const char *text, vz_err *err)
{
	_cleanup_free_ char *p = path_join(dir, name);
	if (!p)
		return -ENOMEM;
	_cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return vz_fail(err, errno, "create '%s'", p);
	int r = loop_write(fd, text, strlen(text));
	if (r < 0)
		return vz_fail(err, r, "write '%s'", p);
	return 0;
}

int mount_run_in_child(const char *root, char **ret_host_dir, vz_err *err)
{
	_cleanup_free_ char *run = NULL;
	int r = child_dir_in_root(root, "run", &run, err);
	if (r < 0)
		return r;
	r = mount_fs("tmpfs", run, "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, VZ_RUN_TMPFS_OPTS,
		     err);
	if (r < 0)
		return r;
	_cleanup_free_ char *sd = path_join(run, "systemd");
	_cleanup_free_ char *host = path_join(run, "host");
	if (!sd || !host)
		return -ENOMEM;
	if (mkdir(sd, 0755) < 0 || mkdir(host, 0755) < 0)
		return vz_fail(err, errno, "create directories in the container's /run");
	/* What systemd-detect-virt and $container say, also for whatever
	 * runs before (or instead of) systemd. */
	r = write_run_file(sd, "container", "vz\n", err);
	if (r >= 0)
		r = write_run_file(host, "container-manager", "vz\n", err);
	if (r < 0)
		return r;
	*ret_host_dir = TAKE_PTR(host);
	return 0;
}
