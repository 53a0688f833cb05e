/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lock.c: per-container and global command locks (see lock.h). Runs in
 * commands.
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "fs-util.h"
#include "lock.h"
#include "spec.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* flock with a deadline: try, then sleep with backoff (1 ms .. 50 ms). */
static int flock_timeout(int fd, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	unsigned delay_us = 1000;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (now_ms() >= deadline)
			return -EBUSY;
		usleep(delay_us);
		delay_us = MIN(delay_us * 2, 50000u);
	}
}

int vz_lock_global(const struct vz_global *g, unsigned timeout_ms, int *ret_fd, vz_err *err)
{
	int r = mkdir_p(g->lib_dir, 0711);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", g->lib_dir);
	_cleanup_free_ char *p = path_join(g->lib_dir, ".lock");
	if (!p)
		return -ENOMEM;
	_cleanup_close_ int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return vz_fail(err, errno, "open lock '%s'", p);
	r = flock_timeout(fd, timeout_ms);
	if (r == -EBUSY)
		return vz_failx(err, EBUSY,
				"another vz command is creating or destroying a container "
				"(waited %u s for '%s')",
				timeout_ms / 1000, p);
	if (r < 0)
		return vz_fail(err, r, "lock '%s'", p);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int vz_lock_container(const struct vz_global *g, const char *name, unsigned timeout_ms,
		      int *ret_fd, vz_err *err)
{
	/* Every command that changes a container passes here: a name like "."
	 * or "a/.." must never become a path. */
	if (!vz_name_is_valid(name))
		return vz_failx(err, EINVAL, "invalid container name '%s'", name);
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	if (!dir)
		return -ENOMEM;
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return vz_failx(err, ENOENT, "container '%s' does not exist", name);
		return vz_fail(err, errno, "open '%s'", dir);
	}
	int r = flock_timeout(fd, timeout_ms);
	if (r == -EBUSY)
		return vz_failx(err, EBUSY,
				"container '%s' is busy: another vz command is working on it "
				"(waited %u s)",
				name, timeout_ms / 1000);
	if (r < 0)
		return vz_fail(err, r, "lock '%s'", dir);

	/* It may have been destroyed while we waited. */
	struct stat st;
	if (fstat(fd, &st) < 0)
		return vz_fail(err, errno, "stat '%s'", dir);
	if (st.st_nlink == 0)
		return vz_failx(err, ENOENT, "container '%s' does not exist", name);
	*ret_fd = TAKE_FD(fd);
	return 0;
}
