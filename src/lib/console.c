/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console.c: the console pty and its log (see console.h). Runs in the
 * monitor.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "console.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"

static int log_open(struct vz_console *c)
{
	c->log_fd = safe_close(c->log_fd);
	c->log_fd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (c->log_fd < 0)
		return -errno;
	struct stat st;
	c->log_written = fstat(c->log_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

static int log_rotate(struct vz_console *c)
{
	if (c->log_files == 0) {
		if (ftruncate(c->log_fd, 0) < 0)
			return -errno;
		c->log_written = 0;
		return 0;
	}
	for (uint32_t k = c->log_files; k >= 1; k--) {
		_cleanup_free_ char *from = k == 1 ? strdup(c->log_path)
						   : strdup_printf("%s.%u", c->log_path, k - 1);
		_cleanup_free_ char *to = strdup_printf("%s.%u", c->log_path, k);
		if (!from || !to)
			return -ENOMEM;
		if (rename(from, to) < 0 && errno != ENOENT)
			log_warn("rotate %s: %m", from);
	}
	return log_open(c);
}

static void log_append(struct vz_console *c, const char *buf, size_t n)
{
	if (c->log_fd < 0)
		return;
	if (c->log_written + n > c->log_size && c->log_written > 0 && log_rotate(c) < 0) {
		log_warn("console log %s: rotation failed, log disabled", c->log_path);
		c->log_fd = safe_close(c->log_fd);
		return;
	}
	if (loop_write(c->log_fd, buf, n) < 0) {
		log_warn("console log %s: write failed: %m", c->log_path);
		return;
	}
	c->log_written += n;
}

int vz_console_open_log(struct vz_console *c, const char *log_path, uint64_t log_size,
			uint32_t log_files, vz_err *err)
{
	c->log_size = log_size;
	c->log_files = log_files;
	if (log_path && log_size > 0) {
		c->log_path = strdup(log_path);
		if (!c->log_path)
			return -ENOMEM;
		int r = log_open(c);
		if (r < 0)
			return vz_fail(err, r, "open console log '%s'", log_path);
	}
	return 0;
}

int vz_console_set_master(struct vz_console *c, int master, vz_err *err)
{
	vz_console_drain(c);
	c->master = safe_close(c->master);
	c->slave = safe_close(c->slave);
	c->master = master;
	if (fd_nonblock(master, true) < 0)
		return vz_fail(err, errno, "console pty");
	/* Our own slave reference: no hangup on the master while nobody
	 * inside has the console open. */
	c->slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->slave < 0)
		return vz_fail(err, errno, "open the console pty's slave");
	return 0;
}

int vz_console_create_in_child(const char *pts_dir, int *master, char *slave_path, size_t len,
			       vz_err *err)
{
	_cleanup_free_ char *ptmx = path_join(pts_dir, "ptmx");
	if (!ptmx)
		return -ENOMEM;
	_cleanup_close_ int m = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (m < 0)
		return vz_fail(err, errno, "open '%s'", ptmx);
	int unlock = 0, n = -1;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0)
		return vz_fail(err, errno, "set up the console pty");
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	(void)ioctl(m, TIOCSWINSZ, &ws);
	snprintf(slave_path, len, "%s/%d", pts_dir, n);
	*master = TAKE_FD(m);
	return 0;
}

ssize_t vz_console_drain(struct vz_console *c)
{
	char buf[8192];
	ssize_t total = 0;
	if (c->master < 0 || c->slave < 0)
		return 0;
	for (;;) {
		ssize_t n = read(c->master, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* EAGAIN: nothing more; EIO: no slave open at all. */
			return total;
		}
		if (n == 0)
			return total;
		log_append(c, buf, (size_t)n);
		if (c->echo_fd >= 0 && loop_write(c->echo_fd, buf, (size_t)n) < 0)
			c->echo_fd = -EBADF; /* the foreground terminal went away */
		total += n;
	}
}

int vz_console_input(struct vz_console *c, const void *buf, size_t n)
{
	return loop_write(c->master, buf, n);
}

void vz_console_close(struct vz_console *c)
{
	c->master = safe_close(c->master);
	c->slave = safe_close(c->slave);
	c->log_fd = safe_close(c->log_fd);
	free(c->log_path);
	c->log_path = NULL;
}
