/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify.c: the container's notify socket (see notify.h). The socket is
 * made in the container child; messages are read in the monitor.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "fd-util.h"
#include "notify.h"

/* sd_notify(3) messages are short; systemd's own receiver takes 4 KiB. */
#define NOTIFY_MAX 4096

int vz_notify_create_in_child(const char *dir, int *ret_fd, vz_err *err)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return vz_fail(err, errno, "notify socket");
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return vz_fail(err, errno, "notify socket: SO_PASSCRED");
	/* Bound by a relative name from inside dir: the full path below a
	 * deep VZ_PATH may not fit sun_path's 108 bytes. */
	_cleanup_close_ int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return vz_fail(err, errno, "open the current directory");
	if (chdir(dir) < 0)
		return vz_fail(err, errno, "chdir '%s'", dir);
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "notify" };
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	/* Only init (root in the container) has any business sending. */
	if (r >= 0 && chmod("notify", 0600) < 0)
		r = -errno;
	if (fchdir(cwd) < 0 && r >= 0)
		r = -errno;
	if (r < 0)
		return vz_fail(err, r, "bind the notify socket in '%s'", dir);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* STATUS= text as one printable line: it ends up in a one-line error. */
static void copy_status(char *dst, size_t size, const char *src, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[k++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	dst[k] = 0;
}

void vz_notify_parse(struct vz_notify *n, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l == 7 && memcmp(p, "READY=1", 7) == 0)
			n->ready = true;
		else if (l == 10 && memcmp(p, "STOPPING=1", 10) == 0)
			n->stopping = true;
		else if (l >= 7 && memcmp(p, "STATUS=", 7) == 0)
			copy_status(n->status, sizeof(n->status), p + 7, l - 7);
		p += l + 1;
	}
}

int vz_notify_recv(int fd, pid_t from, struct vz_notify *n)
{
	char buf[NOTIFY_MAX];
	union {
		/* room for the credentials and for fds a sender attaches, which
		 * are closed at once (MSG_CTRUNC drops any beyond) */
		char b[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.b,
		.msg_controllen = sizeof(control.b),
	};
	ssize_t len = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (len < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	const struct ucred *cred = NULL;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS) {
			int *fds = (int *)CMSG_DATA(c);
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < k; i++)
				close(fds[i]);
		} else if (c->cmsg_type == SCM_CREDENTIALS &&
			   c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
			cred = (const struct ucred *)CMSG_DATA(c);
		}
	}
	if (!cred || cred->pid != from || from <= 0 || (mh.msg_flags & MSG_TRUNC))
		return 0;
	vz_notify_parse(n, buf, (size_t)len);
	return 1;
}
