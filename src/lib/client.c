/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.c: requests to a container's monitor (see client.h). Runs in
 * commands.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "client.h"

int vz_client_connect(const struct vz_global *g, const char *name, int *ret_fd, vz_err *err)
{
	_cleanup_free_ char *path = vz_path(g, name, VZ_PATH_CONTROL);
	if (!path)
		return -ENOMEM;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return vz_failx(err, ENAMETOOLONG, "control socket path '%s' is too long", path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vz_fail(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			return vz_failx(err, ENOTCONN, "container '%s' is not running", name);
		return vz_fail(err, errno, "connect to the monitor of '%s'", name);
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int vz_client_call(int fd, const struct vz_msg *req, uint64_t timeout_ms, struct vz_msg *reply,
		   int *fds, size_t *nfds, vz_err *err)
{
	struct timeval tv = { .tv_sec = (time_t)(timeout_ms / 1000),
			      .tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000 };
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return vz_fail(err, errno, "set a timeout on the control socket");
	int r = vz_msg_send(fd, req, NULL, 0);
	if (r < 0)
		return vz_fail(err, r, "send request to the monitor");
	r = vz_msg_recv(fd, reply, fds, nfds, err);
	if (r == -EAGAIN || r == -EWOULDBLOCK)
		return vz_failx(err, ETIMEDOUT,
				"the monitor did not answer within %llu s (see its log, "
				"log/NAME/monitor.log)",
				(unsigned long long)((timeout_ms + 999) / 1000));
	if (r == -ECONNRESET)
		return vz_failx(err, ECONNRESET, "the monitor closed the connection without a reply");
	if (r < 0)
		return r;
	return vz_msg_to_err(reply, err);
}
