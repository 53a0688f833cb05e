/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fd-util.c: see fd-util.h. Used by every process.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "fd-util.h"

int loop_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int loop_read_exact(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

#define MAX_PASS_FDS 16

int send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	if (nfds > MAX_PASS_FDS)
		return -E2BIG;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_PASS_FDS)];
		struct cmsghdr align;
	} control;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > 0) {
		memset(&control, 0, sizeof(control));
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	for (;;) {
		ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n >= 0)
			return (size_t)n == len ? 0 : -EIO;
		if (errno != EINTR)
			return -errno;
	}
}

ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t *nfds)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_PASS_FDS)];
		struct cmsghdr align;
	} control;
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	size_t want = nfds ? *nfds : 0;
	if (nfds)
		*nfds = 0;
	ssize_t n;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *in = (int *)CMSG_DATA(c);
		for (size_t i = 0; i < k; i++) {
			if (nfds && *nfds < want)
				fds[(*nfds)++] = in[i];
			else
				close(in[i]); /* more fds than the caller takes: never leak */
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	return n;
}

int fd_cloexec(int fd, bool on)
{
	int f = fcntl(fd, F_GETFD);
	if (f < 0)
		return -errno;
	f = on ? (f | FD_CLOEXEC) : (f & ~FD_CLOEXEC);
	return fcntl(fd, F_SETFD, f) < 0 ? -errno : 0;
}

int fd_nonblock(int fd, bool on)
{
	int f = fcntl(fd, F_GETFL);
	if (f < 0)
		return -errno;
	f = on ? (f | O_NONBLOCK) : (f & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, f) < 0 ? -errno : 0;
}

int fd_move_to(int fd, int to)
{
	if (fd == to)
		return fd_cloexec(fd, false);
	if (dup2(fd, to) < 0)
		return -errno;
	close(fd);
	return 0;
}

int close_all_fds_except(int from, const int *keep, size_t nkeep)
{
	/* close_range() cannot skip a list; walk /proc/self/fd instead. */
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	int dfd = dirfd(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (*end || fd < from || fd == dfd)
			continue;
		bool k = false;
		for (size_t i = 0; i < nkeep; i++)
			k = k || keep[i] == fd;
		if (!k)
			close((int)fd);
	}
	closedir(d);
	return 0;
}

int sys_pidfd_open(pid_t pid, unsigned flags)
{
	int r = (int)syscall(SYS_pidfd_open, pid, flags);
	return r < 0 ? -errno : r;
}

int sys_pidfd_send_signal(int pidfd, int sig, unsigned flags)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, flags) < 0 ? -errno : 0;
}

int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	int r = (int)syscall(SYS_open_tree, dfd, path, flags);
	return r < 0 ? -errno : r;
}

int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags) < 0 ? -errno : 0;
}

int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		      size_t size)
{
	return syscall(SYS_mount_setattr, dfd, path, flags, attr, size) < 0 ? -errno : 0;
}

pid_t sys_clone3(struct clone_args *args, size_t size)
{
	long r = syscall(SYS_clone3, args, size);
	return r < 0 ? -errno : (pid_t)r;
}
