/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-macvlan.c: network[] elements of type "macvlan" through libnl-3
 * route (see net.h and doc/network.md, "macvlan"). Runs in the monitor.
 * A macvlan (bridge mode) is made from the host's namespace directly in
 * the container's, on its parent there, with its final name, MAC and MTU;
 * net.c then configures it inside like a veth's peer. There is no
 * host-side link: the macvlan lives and dies with the container's
 * namespace, and the monitor holds that namespace open so that it can
 * delete the macvlan at stop (a MAC is free again at once).
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "net.h"
#include "nl-util.h"

/* How long a start waits for a MAC held by a macvlan of a namespace that
 * is going away (the kernel frees a dead one from a work queue). */
#define MAC_BUSY_WAIT_MS 3000

int vz_net_macvlan_check(struct nl_sock *s, const struct vz_spec *spec, size_t i, vz_err *err)
{
	const struct vz_netif *n = &spec->net[i];
	_cleanup_nl_link_ struct rtnl_link *p = NULL;
	int r = vz_nl_link_get(s, n->parent, &p);
	if (r == -ENODEV)
		return vz_failx(err, ENODEV, "network[%zu].parent: interface '%s' does not exist",
				i, n->parent);
	if (r < 0)
		return vz_fail(err, r, "network[%zu].parent: '%s'", i, n->parent);
	const char *alias = rtnl_link_get_ifalias(p);
	if (alias && startswith(alias, "vz:"))
		return vz_failx(err, EINVAL, "network[%zu].parent: '%s' is the host side of "
				"container interface '%s'", i, n->parent, alias + 3);
	if (rtnl_link_get_arptype(p) != ARPHRD_ETHER || (rtnl_link_get_flags(p) & IFF_LOOPBACK))
		return vz_failx(err, EINVAL, "network[%zu].parent: '%s' is not an Ethernet "
				"device", i, n->parent);
	/* a port's frames belong to its bridge or bond (the kernel: EBUSY) */
	int master = rtnl_link_get_master(p);
	if (master > 0) {
		char mname[IFNAMSIZ] = "?";
		_cleanup_nl_link_ struct rtnl_link *m = NULL;
		if (rtnl_link_get_kernel(s, master, NULL, &m) >= 0)
			snprintf(mname, sizeof(mname), "%s", rtnl_link_get_name(m));
		return vz_failx(err, EBUSY, "network[%zu].parent: '%s' is a port of '%s'; use "
				"'%s' itself as the parent", i, n->parent, mname, mname);
	}
	/* on a parent that is down the macvlan has no carrier: no traffic */
	if (!(rtnl_link_get_flags(p) & IFF_UP))
		return vz_failx(err, ENETDOWN, "network[%zu].parent: '%s' is down (ip link set %s "
				"up)", i, n->parent, n->parent);
	unsigned pmtu = rtnl_link_get_mtu(p);
	if (n->mtu && n->mtu > pmtu)
		return vz_failx(err, EINVAL, "network[%zu].mtu: %u is more than the MTU of parent "
				"'%s' (%u)", i, n->mtu, n->parent, pmtu);
	uint8_t mac[6];
	char buf[18];
	vz_net_hwaddr(spec->name, n, mac);
	struct nl_addr *pa = rtnl_link_get_addr(p);
	if (pa && nl_addr_get_len(pa) == 6 && !memcmp(nl_addr_get_binary_addr(pa), mac, 6))
		return vz_failx(err, EADDRINUSE, "network[%zu].hwaddr: %s is the MAC of parent "
				"'%s'", i, vz_net_hwaddr_format(mac, buf), n->parent);
	return 0;
}

static int add_macvlan(struct nl_sock *s, const struct vz_netif *n, int parent,
		       struct nl_addr *mac, pid_t pid)
{
	struct rtnl_link *l = rtnl_link_macvlan_alloc();
	if (!l)
		return -NLE_NOMEM;
	int r = rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_BRIDGE);
	if (r >= 0) {
		rtnl_link_set_link(l, parent);
		rtnl_link_set_name(l, n->name);
		rtnl_link_set_ns_pid(l, pid);
		rtnl_link_set_addr(l, mac);
		if (n->mtu)
			rtnl_link_set_mtu(l, n->mtu);
		/* up in the same request: the kernel refuses a MAC in use on
		 * the parent when the link opens, and then makes nothing */
		rtnl_link_set_flags(l, IFF_UP);
		r = rtnl_link_add(s, l, NLM_F_CREATE | NLM_F_EXCL);
	}
	rtnl_link_put(l);
	return r;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int vz_net_macvlan_create(struct nl_sock *s, const struct vz_spec *spec, size_t i, pid_t pid,
			  vz_err *err)
{
	const struct vz_netif *n = &spec->net[i];
	_cleanup_nl_link_ struct rtnl_link *p = NULL;
	int r = vz_nl_link_get(s, n->parent, &p);
	if (r < 0)
		return vz_fail(err, r, "parent '%s'", n->parent);
	uint8_t mac[6];
	char buf[18];
	vz_net_hwaddr(spec->name, n, mac);
	vz_net_hwaddr_format(mac, buf);
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);
	if (!a)
		return -ENOMEM;
	/* EADDRINUSE arrives as NLE_EXIST (libnl); the name cannot be taken
	 * in the fresh namespace (list_checks refuses a name twice) */
	uint64_t until = now_ms() + MAC_BUSY_WAIT_MS;
	while ((r = add_macvlan(s, n, rtnl_link_get_ifindex(p), a, pid)) == -NLE_EXIST &&
	       now_ms() < until)
		usleep(20000);
	nl_addr_put(a);
	if (r == -NLE_EXIST)
		return vz_failx(err, EADDRINUSE, "create macvlan '%s' on '%s': MAC %s is in use "
				"on '%s' (by another macvlan)", n->name, n->parent, buf, n->parent);
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "create macvlan '%s' on '%s': %s", n->name,
				n->parent, nl_geterror(r));
	log_debug("macvlan %s on %s %s", n->name, n->parent, buf);
	return 0;
}

void vz_net_macvlan_remove(const struct vz_net_rec *recs, size_t n, int nsfd)
{
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].type != VZ_NET_MACVLAN)
			continue;
		if (!s && vz_nl_open_in(nsfd, &s, NULL) < 0)
			return;
		/* inside, by its name; one the container renamed goes with the
		 * namespace a moment later (and a start waits for its MAC) */
		_cleanup_nl_link_ struct rtnl_link *l = NULL;
		if (vz_nl_link_get(s, recs[i].name, &l) < 0 || !rtnl_link_is_macvlan(l))
			continue;
		int r = rtnl_link_delete(s, l);
		if (r < 0 && !vz_nl_missing(r))
			log_warn("cannot remove macvlan '%s': %s", recs[i].name, nl_geterror(r));
		else
			log_debug("removed macvlan %s", recs[i].name);
	}
}

int vz_net_ns_hold(const struct vz_spec *spec, pid_t pid, vz_err *err)
{
	bool need = false;
	for (size_t i = 0; i < spec->n_net; i++)
		need |= spec->net[i].type == VZ_NET_MACVLAN;
	if (!need)
		return -EBADF;
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vz_fail(err, errno, "open '%s'", p);
	return fd;
}

void vz_net_ns_release(const struct vz_global *g, const char *name, int nsfd)
{
	if (nsfd < 0)
		return;
	_cleanup_free_ struct vz_net_rec *recs = NULL;
	size_t n = 0;
	if (vz_net_recs_read(g, name, &recs, &n) >= 0)
		vz_net_macvlan_remove(recs, n, nsfd);
	close(nsfd);
}
