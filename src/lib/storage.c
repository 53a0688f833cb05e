/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage.c: the storage backends (see storage.h). Runs in commands.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fs-util.h"
#include "log.h"
#include "spec.h"
#include "storage.h"

static const char *const backend_names[_VZ_BACKEND_MAX] = {
	[VZ_BACKEND_OVERLAY] = "overlay",
	[VZ_BACKEND_DIR] = "dir",
};

const char *vz_backend_to_string(enum vz_backend b)
{
	return (unsigned)b < _VZ_BACKEND_MAX ? backend_names[b] : NULL;
}

int vz_backend_from_string(const char *s)
{
	for (int i = 0; i < _VZ_BACKEND_MAX; i++)
		if (s && streq(s, backend_names[i]))
			return i;
	return -EINVAL;
}

bool vz_backend_uses_cache(enum vz_backend b)
{
	return b == VZ_BACKEND_OVERLAY;
}

int vz_storage_init(struct vz_storage *st, const struct vz_global *g, const struct vz_spec *spec)
{
	int b = vz_backend_from_string(spec->rootfs_backend ?: "overlay");
	*st = (struct vz_storage){
		.backend = b < 0 ? VZ_BACKEND_OVERLAY : (enum vz_backend)b,
		.uid = spec->idmap.uid,
		.gid = spec->idmap.gid,
		.count = spec->idmap.count,
		.privileged = spec->privileged,
	};
	if (b < 0)
		return -EINVAL;
	st->lower = !spec->rootfs_lower		 ? strdup("")
		    : spec->rootfs_lower[0] == '/' ? strdup(spec->rootfs_lower)
						   : path_join(g->cache_dir, spec->rootfs_lower);
	st->delta = vz_path(g, spec->name, VZ_PATH_DELTA);
	st->work = vz_path(g, spec->name, VZ_PATH_WORK);
	st->root = vz_path(g, spec->name, VZ_PATH_ROOTDIR);
	st->mnt = vz_path(g, spec->name, VZ_PATH_ROOTFS);
	if (!st->lower || !st->delta || !st->work || !st->root || !st->mnt) {
		vz_storage_done(st);
		return -ENOMEM;
	}
	return 0;
}

void vz_storage_done(struct vz_storage *st)
{
	free(st->lower);
	free(st->delta);
	free(st->work);
	free(st->root);
	free(st->mnt);
	*st = (struct vz_storage){ 0 };
}

static int make_owned_dir(const char *path, mode_t mode, uid_t uid, gid_t gid, vz_err *err)
{
	if (mkdir(path, mode) < 0)
		return vz_fail(err, errno, "create '%s'", path);
	if (chmod(path, mode) < 0 || chown(path, uid, gid) < 0)
		return vz_fail(err, errno, "set the owner of '%s'", path);
	return 0;
}

/* Host ids of the container's root: a privileged container's root is the
 * host's. */
static uid_t root_uid(const struct vz_storage *st) { return st->privileged ? 0 : st->uid; }
static gid_t root_gid(const struct vz_storage *st) { return st->privileged ? 0 : st->gid; }

/* cp -a (with reflinks where the filesystem has them): hard links, sparse
 * files, xattrs, special files and the overlay's whiteouts all kept. */
static int copy_tree(const char *from, const char *to, vz_err *err)
{
	_cleanup_free_ char *src = path_join(from, ".");
	if (!src)
		return -ENOMEM;
	char *argv[] = { "cp", "-a", "--reflink=auto", "--", src, (char *)to, NULL };
	_cleanup_close_ int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int ep[2];
	if (devnull < 0 || pipe2(ep, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "copy '%s': pipe", from);
	pid_t pid = fork();
	if (pid == 0) {
		/* stderr into the pipe, for the message */
		if (dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 ||
		    dup2(ep[1], STDERR_FILENO) < 0)
			_exit(127);
		char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
		execve("/bin/cp", argv, env);
		_exit(127);
	}
	int e = errno;
	close(ep[1]);
	_cleanup_close_ int rfd = ep[0];
	if (pid < 0)
		return vz_fail(err, e, "copy '%s': fork", from);
	char msg[512];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(rfd, msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(msg) - 1) {
			char scratch[256]; /* drain the rest */
			while (read(rfd, scratch, sizeof(scratch)) > 0)
				;
			break;
		}
	}
	msg[len] = 0;
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vz_fail(err, errno, "copy '%s': wait", from);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return vz_failx(err, EIO, "copy '%s' to '%s' failed: %s", from, to,
			*msg ? msg : "cp exited with an error");
}

/* ---------------------------------------------------------------- shift */

/* nftw(3) passes no user data: the one shift in progress (commands are
 * single-threaded). */
static struct {
	uint32_t from_uid, from_gid, to_uid, to_gid, count;
	int64_t changed;
	int error;
	const char *path;
} shift;

static bool in_range(uint32_t id, uint32_t from, uint32_t count)
{
	return id >= from && id - from < count;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* File capabilities set inside a user namespace are v3: they name the
 * host uid of the namespace's root (rootid), which moves with the range. */
static void shift_caps(unsigned char *caps, ssize_t n)
{
	if (n != 24 || (get_le32(caps) & 0xFF000000U) != 0x03000000U)
		return;
	uint32_t rootid = get_le32(caps + 20);
	if (in_range(rootid, shift.from_uid, shift.count))
		put_le32(caps + 20, shift.to_uid + (rootid - shift.from_uid));
}

/* POSIX ACLs (system.posix_acl_access/default): a 4-byte header, then
 * entries of tag (2), perm (2), id (4); named users (tag 2) and groups
 * (tag 8) carry ids. */
static void shift_acl(const char *path, const char *name)
{
	unsigned char buf[4096];
	ssize_t n = lgetxattr(path, name, buf, sizeof(buf));
	if (n < 4 || (n - 4) % 8)
		return;
	bool changed = false;
	for (ssize_t o = 4; o + 8 <= n; o += 8) {
		unsigned tag = (unsigned)buf[o] | (unsigned)buf[o + 1] << 8;
		uint32_t id = get_le32(buf + o + 4);
		if (tag == 2 && in_range(id, shift.from_uid, shift.count)) {
			put_le32(buf + o + 4, shift.to_uid + (id - shift.from_uid));
			changed = true;
		} else if (tag == 8 && in_range(id, shift.from_gid, shift.count)) {
			put_le32(buf + o + 4, shift.to_gid + (id - shift.from_gid));
			changed = true;
		}
	}
	if (changed && lsetxattr(path, name, buf, (size_t)n, 0) < 0)
		log_warn("shift '%s': %s not rewritten: %m", path, name);
}

static int shift_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_NS || type == FTW_DNR) {
		shift.error = errno ? errno : EACCES;
		shift.path = strdup(path);
		return 1;
	}
	uid_t uid = st->st_uid;
	gid_t gid = st->st_gid;
	bool u = in_range(uid, shift.from_uid, shift.count);
	bool gg = in_range(gid, shift.from_gid, shift.count);
	if (!u && !gg)
		return 0;
	uid_t nu = u ? shift.to_uid + (uid - shift.from_uid) : uid;
	gid_t ng = gg ? shift.to_gid + (gid - shift.from_gid) : gid;

	/* chown drops setuid/setgid bits and file capabilities: keep them. */
	unsigned char caps[64];
	ssize_t ncaps = -1;
	if (S_ISREG(st->st_mode))
		ncaps = lgetxattr(path, "security.capability", caps, sizeof(caps));
	if (ncaps > 0)
		shift_caps(caps, ncaps);
	if (lchown(path, nu, ng) < 0) {
		shift.error = errno;
		shift.path = strdup(path);
		return 1;
	}
	if (S_ISREG(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) &&
	    chmod(path, st->st_mode & 07777) < 0) {
		shift.error = errno;
		shift.path = strdup(path);
		return 1;
	}
	if (ncaps > 0 && lsetxattr(path, "security.capability", caps, (size_t)ncaps, 0) < 0)
		log_warn("shift '%s': file capabilities lost: %m", path);
	if (!S_ISLNK(st->st_mode)) {
		shift_acl(path, "system.posix_acl_access");
		if (S_ISDIR(st->st_mode))
			shift_acl(path, "system.posix_acl_default");
	}
	shift.changed++;
	return 0;
}

int64_t vz_shift_tree(const char *dir, uint32_t from_uid, uint32_t from_gid, uint32_t to_uid,
		      uint32_t to_gid, uint32_t count, vz_err *err)
{
	shift.from_uid = from_uid;
	shift.from_gid = from_gid;
	shift.to_uid = to_uid;
	shift.to_gid = to_gid;
	shift.count = count;
	shift.changed = 0;
	shift.error = 0;
	shift.path = NULL;
	int r = nftw(dir, shift_one, 64, FTW_PHYS | FTW_MOUNT);
	if (r != 0) {
		int e = shift.error ? shift.error : errno;
		_cleanup_free_ char *p = (char *)shift.path;
		return vz_fail(err, e, "change the owner of '%s'", p ? p : dir);
	}
	log_debug("shifted %lld inodes under %s (%u:%u -> %u:%u, %u ids)",
		  (long long)shift.changed, dir, from_uid, from_gid, to_uid, to_gid, count);
	return shift.changed;
}

/* ---------------------------------------------------------------- backends */

int vz_storage_create(const struct vz_storage *st, vz_err *err)
{
	if (st->backend == VZ_BACKEND_OVERLAY) {
		int r = make_owned_dir(st->delta, 0755, root_uid(st), root_gid(st), err);
		if (r >= 0)
			r = make_owned_dir(st->work, 0700, root_uid(st), root_gid(st), err);
		return r;
	}
	/* dir: the whole cache, then into the container's range. */
	if (mkdir(st->root, 0755) < 0)
		return vz_fail(err, errno, "create '%s'", st->root);
	int r = copy_tree(st->lower, st->root, err);
	if (r < 0)
		return r;
	if (st->privileged)
		return 0;
	int64_t n = vz_shift_tree(st->root, 0, 0, st->uid, st->gid, st->count, err);
	return n < 0 ? (int)n : 0;
}

int vz_storage_configure_view(const struct vz_storage *st, char **ret_dir, char **ret_opts,
			      vz_err *err)
{
	*ret_opts = NULL;
	if (st->backend == VZ_BACKEND_DIR) {
		*ret_dir = strdup(st->root);
		return *ret_dir ? 0 : -ENOMEM;
	}
	/* The same overlay the container mounts (userxattr: its metadata in
	 * the user.overlay.* xattrs the container's root can use later). */
	if (strpbrk(st->lower, ",:\\") || strpbrk(st->delta, ",:\\") ||
	    strpbrk(st->work, ",:\\"))
		return vz_failx(err, EINVAL, "path '%s' contains ',', ':' or '\\'", st->delta);
	*ret_opts = strdup_printf("lowerdir=%s,upperdir=%s,workdir=%s,userxattr", st->lower,
				  st->delta, st->work);
	*ret_dir = strdup(st->mnt);
	if (!*ret_opts || !*ret_dir) {
		free(*ret_opts);
		free(*ret_dir);
		return -ENOMEM;
	}
	return 0;
}

int vz_storage_adopt_new_files(const struct vz_storage *st, vz_err *err)
{
	const char *layer = st->backend == VZ_BACKEND_DIR ? st->root : st->delta;
	if (!st->privileged) {
		int64_t n = vz_shift_tree(layer, 0, 0, st->uid, st->gid, st->count, err);
		if (n < 0)
			return (int)n;
	}
	if (st->backend != VZ_BACKEND_OVERLAY)
		return 0;
	/* overlay left work/work owned by host root: start the workdir over */
	int r = rm_rf(st->work);
	if (r < 0)
		return vz_fail(err, r, "remove '%s'", st->work);
	return make_owned_dir(st->work, 0700, root_uid(st), root_gid(st), err);
}

int vz_storage_copy(const struct vz_storage *src, const struct vz_storage *dst, vz_err *err)
{
	if (src->backend != dst->backend)
		return vz_failx(err, EINVAL, "clone between storage backends (%s to %s)",
				vz_backend_to_string(src->backend), vz_backend_to_string(dst->backend));
	const char *from = src->backend == VZ_BACKEND_DIR ? src->root : src->delta;
	const char *to = dst->backend == VZ_BACKEND_DIR ? dst->root : dst->delta;
	int r = dst->backend == VZ_BACKEND_OVERLAY
		    ? make_owned_dir(dst->work, 0700, root_uid(dst), root_gid(dst), err)
		    : 0;
	if (r < 0)
		return r;
	if (mkdir(to, 0755) < 0)
		return vz_fail(err, errno, "create '%s'", to);
	r = copy_tree(from, to, err);
	if (r < 0)
		return r;
	if (src->privileged && dst->privileged)
		return 0;
	/* A privileged source's files are the host's own ids (0..count). */
	int64_t n = vz_shift_tree(to, root_uid(src), root_gid(src), root_uid(dst), root_gid(dst),
				  src->privileged ? dst->count : src->count, err);
	return n < 0 ? (int)n : 0;
}

/* ---------------------------------------------------------------- identity */

/* Open a directory below root without following any symlink: the tree
 * belongs to a tenant. */
static int open_dir_below(int root, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

/* Replace dfd/name with data (a new inode renamed over it: a symlink there
 * is replaced, never followed), mode kept if it existed. */
static int replace_at(int dfd, const char *name, const char *data, uid_t uid, gid_t gid)
{
	struct stat st;
	mode_t mode = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)
			  ? st.st_mode & 07777
			  : 0644;
	char tmp[128];
	snprintf(tmp, sizeof(tmp), ".%s.vz-%d", name, (int)getpid());
	_cleanup_close_ int fd =
	    openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	size_t len = strlen(data);
	int r = write(fd, data, len) == (ssize_t)len && fchown(fd, uid, gid) == 0 &&
			fchmod(fd, mode) == 0
		    ? 0
		    : -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	return r;
}

/* Read dfd/name if it is a regular file (not through a symlink). */
static int read_regular_at(int dfd, const char *name, char **ret)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))
		return -EINVAL;
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == (size_t)st.st_size)
			break;
	}
	buf[len] = 0;
	*ret = buf;
	return 0;
}

/* Every whole-word occurrence of old in text replaced by new. */
static char *replace_word(const char *text, const char *old, const char *new)
{
	size_t lo = strlen(old), ln = strlen(new), n = 0;
	for (const char *p = strstr(text, old); p; p = strstr(p + lo, old))
		n++;
	char *out = malloc(strlen(text) + n * ln + 1);
	if (!out)
		return NULL;
	char *o = out;
	const char *p = text;
	for (const char *m = strstr(p, old); m; m = strstr(p, old)) {
		bool word = (m == text || strchr(" \t\n", m[-1])) && strchr(" \t\n", m[lo]);
		size_t keep = (size_t)(m - p) + (word ? 0 : lo);
		memcpy(o, p, keep);
		o += keep;
		if (word) {
			memcpy(o, new, ln);
			o += ln;
		}
		p = m + lo;
	}
	strcpy(o, p);
	return out;
}

static int new_machine_id(char out[33])
{
	_cleanup_free_ char *uuid = NULL;
	int r = read_line_file("/proc/sys/kernel/random/uuid", &uuid);
	if (r < 0)
		return r;
	size_t o = 0;
	for (const char *c = uuid; *c && o < 32; c++)
		if (*c != '-')
			out[o++] = *c;
	out[o] = 0;
	return o == 32 ? 0 : -EINVAL;
}

/* In the tree at root: hostname, hosts, a new machine id, no ssh host keys. */
static int reset_identity_in(const char *dir, const char *old_host, const char *new_host,
			     uid_t uid, gid_t gid, vz_err *err)
{
	_cleanup_close_ int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return vz_fail(err, errno, "open '%s'", dir);
	_cleanup_close_ int etc = open_dir_below(root, "etc");
	if (etc == -ENOENT)
		return 0;
	if (etc < 0)
		return vz_fail(err, etc, "open /etc of the copy (it must be a directory, not a symlink)");
	_cleanup_free_ char *hn = strdup_printf("%s\n", new_host);
	if (!hn)
		return -ENOMEM;
	int r = replace_at(etc, "hostname", hn, uid, gid);
	if (r < 0)
		return vz_fail(err, r, "write /etc/hostname of the copy");
	_cleanup_free_ char *hosts = NULL;
	if (read_regular_at(etc, "hosts", &hosts) >= 0 && *old_host) {
		_cleanup_free_ char *nh = replace_word(hosts, old_host, new_host);
		if (!nh)
			return -ENOMEM;
		if (!streq(nh, hosts) && (r = replace_at(etc, "hosts", nh, uid, gid)) < 0)
			return vz_fail(err, r, "write /etc/hosts of the copy");
	}
	_cleanup_free_ char *mid = NULL;
	if (read_regular_at(etc, "machine-id", &mid) >= 0 && *mid && *mid != '\n') {
		char id[34];
		r = new_machine_id(id);
		if (r >= 0) {
			strcat(id, "\n");
			r = replace_at(etc, "machine-id", id, uid, gid);
		}
		if (r < 0)
			return vz_fail(err, r, "write /etc/machine-id of the copy");
	}
	_cleanup_close_ int ssh = open_dir_below(etc, "ssh");
	if (ssh >= 0) {
		DIR *d = fdopendir(dup(ssh));
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (startswith(de->d_name, "ssh_host_") && unlinkat(ssh, de->d_name, 0) < 0 &&
			    errno != ENOENT)
				log_warn("remove /etc/ssh/%s of the copy: %m", de->d_name);
		if (d)
			closedir(d);
	}
	return 0;
}

int vz_storage_reset_identity(const struct vz_storage *st, const char *old_host,
			      const char *new_host, vz_err *err)
{
	_cleanup_free_ char *dir = NULL, *opts = NULL;
	int r = vz_storage_configure_view(st, &dir, &opts, err);
	if (r < 0)
		return r;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		/* The overlay view exists only in this process's mount namespace. */
		close(p[0]);
		vz_err e = { 0 };
		int k = 0;
		if (opts && (unshare(CLONE_NEWNS) < 0 ||
			     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			     mount("overlay", dir, "overlay", 0, opts) < 0))
			k = vz_fail(&e, errno, "mount the copy's root filesystem on '%s'", dir);
		if (k >= 0)
			k = reset_identity_in(dir, old_host, new_host, root_uid(st), root_gid(st), &e);
		if (k < 0) {
			(void)!write(p[1], e.msg, strlen(e.msg));
			_exit(1);
		}
		_exit(0);
	}
	int fork_errno = errno;
	close(p[1]);
	_cleanup_close_ int rfd = p[0];
	if (pid < 0)
		return vz_fail(err, fork_errno, "fork");
	char msg[sizeof(err->msg)];
	ssize_t n;
	while ((n = read(rfd, msg, sizeof(msg) - 1)) < 0 && errno == EINTR)
		;
	msg[n > 0 ? n : 0] = 0;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vz_fail(err, errno, "wait");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return vz_failx(err, EIO, "%s", *msg ? msg : "resetting the copy's identity failed");
}
