/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-util.c: see fs-util.h. Used by commands and the monitor.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "fs-util.h"

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	char *r = malloc(la + 1 + strlen(b) + 1);
	if (!r)
		return NULL;
	memcpy(r, a, la);
	r[la] = '/';
	strcpy(r + la + 1, b);
	return r;
}

char *strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *r = NULL;
	va_start(ap, fmt);
	if (vasprintf(&r, fmt, ap) < 0)
		r = NULL;
	va_end(ap);
	return r;
}

int read_file_at(int dfd, const char *path, char **ret, size_t *len)
{
	_cleanup_close_ int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, n = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= (64u << 20))
				return -EFBIG;
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + n, cap - n - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = 0;
	if (len)
		*len = n;
	*ret = TAKE_PTR(buf);
	return 0;
}

int read_file(const char *path, char **ret, size_t *len)
{
	return read_file_at(AT_FDCWD, path, ret, len);
}

int read_line_file(const char *path, char **ret)
{
	char *s;
	int r = read_file(path, &s, NULL);
	if (r < 0)
		return r;
	s[strcspn(s, "\n")] = 0;
	*ret = s;
	return 0;
}

int write_file_at(int dfd, const char *path, const char *s, int flags)
{
	_cleanup_close_ int fd = openat(dfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY | flags, 0644);
	if (fd < 0)
		return -errno;
	return loop_write(fd, s, strlen(s));
}

int write_file(const char *path, const char *s, int flags)
{
	return write_file_at(AT_FDCWD, path, s, flags);
}

static int replace_file(const char *path, const char *data, size_t len, mode_t mode, bool do_sync)
{
	_cleanup_free_ char *tmp = strdup_printf("%s.tmp.%d", path, (int)getpid());
	if (!tmp)
		return -ENOMEM;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	int r = loop_write(fd, data, len);
	if (r >= 0 && do_sync && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r >= 0)
		r = -errno;
	if (r >= 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	return replace_file(path, data, len, mode, true);
}

int write_file_replace(const char *path, const char *data, size_t len, mode_t mode)
{
	return replace_file(path, data, len, mode, false);
}

int mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -errno;
		*s = c;
		if (!c)
			break;
	}
	return dir_exists(path) ? 0 : -ENOTDIR;
}

static int rm_rf_children(int dfd, dev_t dev)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	int ret = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT && ret == 0)
				ret = -errno;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (st.st_dev != dev) {
				ret = ret ?: -EBUSY;
				continue;
			}
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				ret = ret ?: -errno;
				continue;
			}
			int r = rm_rf_children(sub, dev);
			ret = ret ?: r;
			if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
				ret = ret ?: -errno;
		} else if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
			ret = ret ?: -errno;
		}
	}
	closedir(d);
	return ret;
}

int rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = rm_rf_children(fd, st.st_dev);
	if (r < 0)
		return r;
	return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
}

bool path_exists(const char *path) { return access(path, F_OK) == 0; }

bool dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
