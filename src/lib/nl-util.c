/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nl-util.c: see nl-util.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"

#include "nl-util.h"

int vz_nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_NODEV:
		return ENODEV;
	case NLE_EXIST:
		return EEXIST;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_BUSY:
		return EBUSY;
	case NLE_RANGE:
		return ERANGE;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_OPNOTSUPP:
	case NLE_MSGTYPE_NOSUPPORT:
		return EOPNOTSUPP;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_INVAL:
	case NLE_MISSING_ATTR:
		return EINVAL;
	default:
		return EIO;
	}
}

int vz_nl_open(struct nl_sock **ret, vz_err *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return vz_fail(err, ENOMEM, "netlink socket");
	int r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(sk);
		return vz_failx(err, vz_nl_errno(r), "netlink route socket: %s", nl_geterror(r));
	}
	*ret = sk;
	return 0;
}

/* The socket stays bound to the namespace it was made in. */
int vz_nl_open_in(int nsfd, struct nl_sock **ret, vz_err *err)
{
	_cleanup_close_ int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return vz_fail(err, errno, "open /proc/self/ns/net");
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return vz_fail(err, errno, "enter the container's network namespace");
	int r = vz_nl_open(ret, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* cannot happen (our own namespace); going on would configure
		 * the wrong host */
		log_error("cannot go back to the host's network namespace: %m");
		abort();
	}
	return r;
}

int vz_nl_link_get(struct nl_sock *s, const char *name, struct rtnl_link **ret)
{
	int r = rtnl_link_get_kernel(s, 0, name, ret);
	if (r < 0)
		return vz_nl_missing(r) ? -ENODEV : -vz_nl_errno(r);
	return 0;
}
