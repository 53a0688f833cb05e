/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.c: listing the template cache, its users, removing unused entries
 * (see cache.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "fs-util.h"
#include "lock.h"
#include "log.h"
#include "spec.h"
#include "storage.h"
#include "strv.h"

void vz_cache_entries_free(struct vz_cache_entry *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].path);
		strv_free(a[i].users);
	}
	free(a);
}

/* [A-Za-z0-9._-]+ not starting with '.': the same rule template.c applies to
 * template names and releases ('@' too, for the generations of a release). */
static bool component_ok(const char *s, size_t len)
{
	static const char ok[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-@";
	if (len == 0 || len > 200 || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr(ok, s[i]) || !s[i])
			return false;
	return true;
}

static bool entry_valid(const char *entry)
{
	const char *slash = strchr(entry, '/');
	return slash && component_ok(entry, (size_t)(slash - entry)) &&
	       component_ok(slash + 1, strlen(slash + 1));
}

/* rootfs.lower of every container: NAME/RELEASE relative to the cache, or
 * an absolute path. Users are the containers whose storage reads it. */
static int collect_users(const struct vz_global *g, const char *entry, char ***ret)
{
	_cleanup_free_ char *abs = path_join(g->cache_dir, entry);
	if (!abs)
		return -ENOMEM;
	_cleanup_strv_free_ char **users = calloc(1, sizeof(char *));
	if (!users)
		return -ENOMEM;
	DIR *d = opendir(g->lib_dir);
	if (!d) {
		if (errno != ENOENT)
			return -errno;
		*ret = TAKE_PTR(users);
		return 0;
	}
	int r = 0;
	struct dirent *de;
	while (r >= 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !vz_name_is_valid(de->d_name))
			continue;
		_cleanup_(vz_spec_freep) struct vz_spec *spec = NULL;
		vz_err e = { 0 };
		if (vz_spec_load(g, de->d_name, &spec, &e) < 0 || !spec->rootfs_lower) {
			/* A config that does not load may still point at the
			 * entry: be safe and count it if its text names it. */
			_cleanup_free_ char *conf = vz_path(g, de->d_name, VZ_PATH_CONFIG);
			_cleanup_free_ char *text = NULL;
			size_t len;
			if (conf && read_file(conf, &text, &len) >= 0 && strstr(text, entry))
				r = strv_push(&users, de->d_name);
			continue;
		}
		int b = vz_backend_from_string(spec->rootfs_backend ?: "overlay");
		if (b >= 0 && !vz_backend_uses_cache((enum vz_backend)b))
			continue;
		if (streq(spec->rootfs_lower, entry) || streq(spec->rootfs_lower, abs))
			r = strv_push(&users, de->d_name);
	}
	closedir(d);
	if (r < 0)
		return r;
	size_t n = strv_length(users);
	for (size_t i = 1; i < n; i++) /* few: insertion sort */
		for (size_t j = i; j > 0 && strcmp(users[j - 1], users[j]) > 0; j--) {
			char *t = users[j];
			users[j] = users[j - 1];
			users[j - 1] = t;
		}
	*ret = TAKE_PTR(users);
	return 0;
}

int vz_cache_users(const struct vz_global *g, const char *entry, char ***ret, vz_err *err)
{
	if (!entry_valid(entry))
		return vz_failx(err, EINVAL, "invalid cache entry '%s' (want TEMPLATE/RELEASE)",
				entry);
	int r = collect_users(g, entry, ret);
	return r < 0 ? vz_fail(err, r, "find the users of cache '%s'", entry) : 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct vz_cache_entry *)a)->name,
		      ((const struct vz_cache_entry *)b)->name);
}

static int list_template(const struct vz_global *g, const char *template,
			 struct vz_cache_entry **a, size_t *cnt, size_t *cap)
{
	_cleanup_free_ char *dir = path_join(g->cache_dir, template);
	if (!dir)
		return -ENOMEM;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	int r = 0;
	struct dirent *de;
	while (r >= 0 && (de = readdir(d))) {
		struct stat st;
		if (!component_ok(de->d_name, strlen(de->d_name)) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (*cnt == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			struct vz_cache_entry *na = realloc(*a, *cap * sizeof(**a));
			if (!na) {
				r = -ENOMEM;
				break;
			}
			*a = na;
		}
		struct vz_cache_entry *e = &(*a)[*cnt];
		*e = (struct vz_cache_entry){
			.name = strdup_printf("%s/%s", template, de->d_name),
			.path = strdup_printf("%s/%s", dir, de->d_name),
		};
		(*cnt)++;
		if (!e->name || !e->path)
			r = -ENOMEM;
		else
			r = collect_users(g, e->name, &e->users);
	}
	closedir(d);
	return r;
}

int vz_cache_list(const struct vz_global *g, struct vz_cache_entry **ret, size_t *n,
		  vz_err *err)
{
	*ret = NULL;
	*n = 0;
	DIR *d = opendir(g->cache_dir);
	if (!d)
		return errno == ENOENT ? 0 : vz_fail(err, errno, "open '%s'", g->cache_dir);
	struct vz_cache_entry *a = NULL;
	size_t cnt = 0, cap = 0;
	int r = 0;
	struct dirent *de;
	while (r >= 0 && (de = readdir(d)))
		if (component_ok(de->d_name, strlen(de->d_name)))
			r = list_template(g, de->d_name, &a, &cnt, &cap);
	closedir(d);
	if (r < 0) {
		vz_cache_entries_free(a, cnt);
		return vz_fail(err, r, "list the template cache '%s'", g->cache_dir);
	}
	qsort(a, cnt, sizeof(*a), cmp_entry);
	*ret = a;
	*n = cnt;
	return 0;
}

static int lock_use(const struct vz_global *g, const char *template, int op, int *ret_fd,
		    vz_err *err)
{
	_cleanup_free_ char *path = strdup_printf("%s/%s/.use", g->cache_dir, template);
	if (!path)
		return -ENOMEM;
	_cleanup_close_ int fd =
	    open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0)
		return vz_fail(err, errno, "open '%s'", path);
	/* Holders are creates between picking an entry and writing a config:
	 * short, but a dir-backend copy can take a while. */
	for (int waited = 0; flock(fd, op | LOCK_NB) < 0; waited += 50) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return vz_fail(err, errno, "lock '%s'", path);
		if (waited >= VZ_LOCK_TIMEOUT_MS)
			return vz_failx(err, EBUSY, "'%s' stays locked by another vz command",
					path);
		usleep(50 * 1000);
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int vz_cache_lock_use(const struct vz_global *g, const char *template, int *ret_fd, vz_err *err)
{
	return lock_use(g, template, LOCK_SH, ret_fd, err);
}

int vz_cache_remove(const struct vz_global *g, const char *entry, vz_err *err)
{
	if (!entry_valid(entry))
		return vz_failx(err, EINVAL, "invalid cache entry '%s' (want TEMPLATE/RELEASE, as "
					     "vz cache ls shows)",
				entry);
	_cleanup_free_ char *path = path_join(g->cache_dir, entry);
	if (!path)
		return -ENOMEM;
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return vz_failx(err, ENOENT, "no cache entry '%s' in %s", entry, g->cache_dir);

	_cleanup_free_ char *template = strndup(entry, (size_t)(strchr(entry, '/') - entry));
	if (!template)
		return -ENOMEM;
	_cleanup_close_ int use = -EBADF;
	int r = lock_use(g, template, LOCK_EX, &use, err);
	if (r < 0)
		return r;
	_cleanup_strv_free_ char **users = NULL;
	r = collect_users(g, entry, &users);
	if (r < 0)
		return vz_fail(err, r, "find the users of cache '%s'", entry);
	size_t n = strv_length(users);
	if (n > 0) {
		_cleanup_free_ char *list = strv_join(users, ", ");
		return vz_failx(err, EBUSY,
				"cache '%s' is used by %zu container%s (%s): destroy %s first", entry,
				n, n == 1 ? "" : "s", list ? list : "?", n == 1 ? "it" : "them");
	}
	/* Out of sight in one step, then removed. */
	_cleanup_free_ char *gone = strdup_printf("%s/%s/.%s.rm-%d", g->cache_dir, template,
						  strchr(entry, '/') + 1, (int)getpid());
	if (!gone)
		return -ENOMEM;
	if (rename(path, gone) < 0)
		return vz_fail(err, errno, "remove '%s'", path);
	r = rm_rf(gone);
	if (r < 0)
		return vz_fail(err, r, "remove '%s'", gone);
	log_info("removed template cache '%s'", entry);
	return 0;
}
