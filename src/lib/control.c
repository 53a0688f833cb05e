/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * control.c: the monitor's listening control socket (see control.h).
 * Runs in the monitor.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"

int vz_control_listen(const char *path, int *ret_fd, vz_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return vz_failx(err, ENAMETOOLONG,
				"control socket path '%s' is longer than %zu bytes (use a "
				"shorter -P/VZ_PATH)",
				path, sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return vz_fail(err, errno, "control socket");
	unlink(path);
	/* Anyone may connect: the monitor checks each request's SO_PEERCRED
	 * (non-root may only attach to a console the config opens to them). */
	mode_t old = umask(0111);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0)
		return vz_fail(err, errno, "bind control socket '%s'", path);
	if (listen(fd, 64) < 0)
		return vz_fail(err, errno, "listen on '%s'", path);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int vz_control_accept(int listen_fd, int *ret_fd, uid_t *ret_uid, pid_t *ret_pid)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	*ret_fd = fd;
	*ret_uid = cred.uid;
	*ret_pid = cred.pid;
	return 0;
}
