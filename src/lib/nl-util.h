/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nl-util.h: what net.c, bridge.c and tc.c share for libnl-3 route: a
 * connected NETLINK_ROUTE socket, libnl error codes as errno values, and
 * cleanup attributes for the objects all three hold.
 */
#pragma once

#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "err.h"
#include "macro.h"

/* The errno for a (negative) libnl error code; EIO when none fits. */
int vz_nl_errno(int nlerr);
/* Whether a libnl error says the object (link, qdisc, ...) is not there. */
static inline bool vz_nl_missing(int nlerr)
{
	return nlerr == -NLE_OBJ_NOTFOUND || nlerr == -NLE_NODEV;
}
/* A connected NETLINK_ROUTE socket in the caller's network namespace. */
int vz_nl_open(struct nl_sock **ret, vz_err *err);
/* The same in the network namespace nsfd (the caller, single-threaded,
 * enters it for the socket() call only and comes back). */
int vz_nl_open_in(int nsfd, struct nl_sock **ret, vz_err *err);
/* The link called name: 0 and *ret, or -ENODEV, or another -errno. */
int vz_nl_link_get(struct nl_sock *s, const char *name, struct rtnl_link **ret);

static inline void vz_nl_sock_freep(struct nl_sock **s)
{
	if (*s)
		nl_socket_free(*s);
}
static inline void vz_nl_link_putp(struct rtnl_link **l)
{
	if (*l)
		rtnl_link_put(*l);
}
static inline void vz_nl_cache_freep(struct nl_cache **c)
{
	if (*c)
		nl_cache_free(*c);
}
#define _cleanup_nl_sock_ _cleanup_(vz_nl_sock_freep)
#define _cleanup_nl_cache_ _cleanup_(vz_nl_cache_freep)
#define _cleanup_nl_link_ _cleanup_(vz_nl_link_putp)
