/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net.c: veth pairs of a container through libnl-3 route (see net.h and
 * doc/network.md). Runs in the monitor, except the resolv.conf writer,
 * which runs in the container child. Everything is done from the host
 * side: the peer is created directly in the child's network namespace,
 * and a netlink socket opened in that namespace configures lo, the
 * interfaces, addresses and routes, so nothing runs inside and any
 * distribution works.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <sys/file.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "net.h"
#include "nl-util.h"
#include "tc.h"
#include "runtime.h"

static bool link_is_ours(struct rtnl_link *l, const char *container, const char *ifname)
{
	char alias[128];
	vz_net_host_alias(container, ifname, alias, sizeof(alias));
	const char *a = rtnl_link_get_ifalias(l);
	const char *type = rtnl_link_get_type(l);
	return a && streq(a, alias) && type && streq(type, "veth");
}

int vz_net_check(const struct vz_spec *spec, vz_err *err)
{
	if (!spec->n_net)
		return 0;
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	int r = vz_nl_open(&s, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < spec->n_net; i++) {
		const struct vz_netif *n = &spec->net[i];
		if (n->type == VZ_NET_MACVLAN) {
			r = vz_net_macvlan_check(s, spec, i, err);
			if (r < 0)
				return r;
			continue;
		}
		const char *br = vz_net_bridge(n);
		_cleanup_nl_link_ struct rtnl_link *l = NULL;
		r = vz_nl_link_get(s, br, &l);
		if (r == -ENODEV)
			return vz_failx(err, ENODEV,
					"network[%zu].bridge: bridge '%s' does not exist (create it "
					"with vz net up, or set network.bridge in vz.conf)",
					i, br);
		if (r < 0)
			return vz_fail(err, r, "network[%zu].bridge: '%s'", i, br);
		const char *type = rtnl_link_get_type(l);
		if (!type || !streq(type, "bridge"))
			return vz_failx(err, EINVAL, "network[%zu].bridge: '%s' is not a bridge "
					"(it is %s)", i, br, type ? type : "a plain device");
		char host[16];
		vz_net_host_ifname(spec->name, i, host);
		_cleanup_nl_link_ struct rtnl_link *h = NULL;
		if (vz_nl_link_get(s, host, &h) >= 0 && !link_is_ours(h, spec->name, n->name))
			return vz_failx(err, EEXIST,
					"network[%zu]: the host-side name '%s' is taken by another "
					"link (alias '%s'); remove it or rename the container",
					i, host, rtnl_link_get_ifalias(h) ?: "");
	}
	return 0;
}

/* Delete host-side link `host` if it is the container's. */
static void remove_host_link(struct nl_sock *s, const char *container, const struct vz_net_rec *rec)
{
	_cleanup_nl_link_ struct rtnl_link *l = NULL;
	if (vz_nl_link_get(s, rec->host, &l) < 0)
		return;
	if (!link_is_ours(l, container, rec->name)) {
		log_warn("%s: not removing '%s': it is not this container's", container, rec->host);
		return;
	}
	int r = rtnl_link_delete(s, l);
	/* the namespace's end may be taking it away at the same moment */
	if (r < 0 && !vz_nl_missing(r))
		log_warn("%s: cannot remove '%s': %s", container, rec->host, nl_geterror(r));
	else
		log_debug("removed host link %s", rec->host);
}

static void remove_recs(const char *container, const struct vz_net_rec *recs, size_t n)
{
	if (!n)
		return;
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	if (vz_nl_open(&s, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].type != VZ_NET_VETH)
			continue; /* a macvlan has no host side */
		remove_host_link(s, container, &recs[i]);
		/* the ifb of a rate_out limit outlives the veth */
		(void)vz_tc_clear(recs[i].host, NULL);
	}
}

void vz_net_remove(const struct vz_global *g, const char *name)
{
	_cleanup_free_ struct vz_net_rec *recs = NULL;
	size_t n = 0;
	if (vz_net_recs_read(g, name, &recs, &n) < 0)
		return;
	remove_recs(name, recs, n);
}

/* ------------------------------------------------- duplicate addresses */

static bool same_addr(const char *a, const char *b)
{
	/* a DHCP interface's address is dnsmasq's to keep unique */
	if (streq(a, VZ_NET_DHCP) || streq(b, VZ_NET_DHCP))
		return false;
	size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
	return la && la == lb && !strncmp(a, b, la);
}

/* Another running container on the same bridge (or macvlan parent: the
 * same L2 segment) with one of our addresses. Called under the run directory's lock, so two starts cannot
 * both pass. */
static int check_duplicates(const struct vz_global *g, const char *self,
			    const struct vz_net_rec *mine, size_t n, vz_err *err)
{
	DIR *d = opendir(g->run_dir);
	if (!d)
		return errno == ENOENT ? 0 : vz_fail(err, errno, "open '%s'", g->run_dir);
	struct dirent *de;
	int r = 0;
	while (r >= 0 && (de = readdir(d))) {
		struct vz_status st;
		_cleanup_free_ struct vz_net_rec *other = NULL;
		size_t on = 0;
		if (de->d_name[0] == '.' || streq(de->d_name, self) ||
		    vz_runtime_status(g, de->d_name, &st) < 0 || st.stale ||
		    st.state == VZ_STATE_STOPPED ||
		    vz_net_recs_read(g, de->d_name, &other, &on) < 0)
			continue;
		for (size_t i = 0; r >= 0 && i < n; i++)
			for (size_t j = 0; r >= 0 && j < on; j++) {
				const char *seg = vz_net_rec_segment(&mine[i]);
				if (!streq(seg, vz_net_rec_segment(&other[j])))
					continue;
				bool v4 = *mine[i].ipv4 && same_addr(mine[i].ipv4, other[j].ipv4);
				bool v6 = *mine[i].ipv6 && same_addr(mine[i].ipv6, other[j].ipv6);
				if (v4 || v6)
					r = vz_failx(err, EADDRINUSE,
						     "network[%zu].%s: %.*s is in use by running "
						     "container '%s' (%s) on %s '%s'",
						     i, v4 ? "ipv4" : "ipv6",
						     (int)strcspn(v4 ? mine[i].ipv4 : mine[i].ipv6, "/"),
						     v4 ? mine[i].ipv4 : mine[i].ipv6, de->d_name,
						     other[j].name, *mine[i].bridge ? "bridge" : "parent",
						     seg);
			}
	}
	closedir(d);
	return r;
}

/* Check the addresses and write run/NAME/net, under a flock on the run
 * directory itself, shared by every monitor of this vz path (nothing else
 * locks it; a lock file would outlive the last container). */
static int record(const struct vz_global *g, const struct vz_spec *spec,
		  const struct vz_net_rec *recs, size_t n, vz_err *err)
{
	_cleanup_free_ char *run = vz_path(g, spec->name, VZ_PATH_RUN);
	_cleanup_free_ char *p = run ? path_join(run, "net") : NULL;
	_cleanup_free_ char *text = vz_net_recs_format(recs, n);
	if (!p || !text)
		return -ENOMEM;
	_cleanup_close_ int lock = open(g->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return vz_fail(err, errno, "open '%s'", g->run_dir);
	if (flock(lock, LOCK_EX) < 0)
		return vz_fail(err, errno, "lock '%s'", g->run_dir);
	int r = check_duplicates(g, spec->name, recs, n, err);
	if (r >= 0 && (r = write_file_replace(p, text, strlen(text), 0644)) < 0)
		vz_fail(err, r, "write '%s'", p);
	return r;
}

/* ---------------------------------------------------------------- links */

static int create_pair(struct nl_sock *s, const struct vz_spec *spec, size_t i,
		       const struct vz_net_rec *rec, pid_t pid, vz_err *err)
{
	const struct vz_netif *n = &spec->net[i];
	_cleanup_nl_link_ struct rtnl_link *br = NULL;
	int r = vz_nl_link_get(s, rec->bridge, &br);
	if (r < 0)
		return vz_failx(err, -r, "bridge '%s' does not exist (create it with vz net up, "
				"or set network.bridge in vz.conf)", rec->bridge);
	/* A link of ours by that name is a previous boot's (reboot inside,
	 * or a crash): its namespace may not be gone yet. */
	_cleanup_nl_link_ struct rtnl_link *old = NULL;
	if (vz_nl_link_get(s, rec->host, &old) >= 0) {
		if (!link_is_ours(old, spec->name, n->name))
			return vz_failx(err, EEXIST, "host-side name '%s' is taken by another link",
					rec->host);
		rtnl_link_delete(s, old);
	}

	struct rtnl_link *host = rtnl_link_veth_alloc();
	if (!host)
		return -ENOMEM;
	struct rtnl_link *peer = rtnl_link_veth_get_peer(host);
	uint8_t mac[6];
	char alias[128];
	struct nl_addr *hmac = NULL, *pmac = NULL;
	vz_net_host_hwaddr(spec->name, i, mac);
	hmac = nl_addr_build(AF_LLC, mac, 6);
	vz_net_hwaddr(spec->name, n, mac);
	pmac = nl_addr_build(AF_LLC, mac, 6);
	vz_net_host_alias(spec->name, n->name, alias, sizeof(alias));
	rtnl_link_set_name(host, rec->host);
	rtnl_link_set_master(host, rtnl_link_get_ifindex(br));
	rtnl_link_set_flags(host, IFF_UP);
	rtnl_link_set_name(peer, n->name);
	rtnl_link_set_ns_pid(peer, pid);
	if (hmac && pmac) {
		rtnl_link_set_addr(host, hmac);
		rtnl_link_set_addr(peer, pmac);
	}
	if (n->mtu) {
		rtnl_link_set_mtu(host, n->mtu);
		rtnl_link_set_mtu(peer, n->mtu);
	}
	r = hmac && pmac ? rtnl_link_add(s, host, NLM_F_CREATE | NLM_F_EXCL) : -NLE_NOMEM;
	nl_addr_put(hmac);
	nl_addr_put(pmac);
	rtnl_link_veth_release(host);
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "create veth '%s' (container side '%s') on '%s': %s",
				rec->host, n->name, rec->bridge, nl_geterror(r));
	/* The kernel ignores IFLA_IFALIAS when it creates a link. */
	_cleanup_nl_link_ struct rtnl_link *made = NULL, *change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	rtnl_link_set_ifalias(change, alias);
	r = vz_nl_link_get(s, rec->host, &made);
	if (r < 0)
		return vz_fail(err, r, "find the new veth '%s'", rec->host);
	r = rtnl_link_change(s, made, change, 0);
	if (r < 0) {
		/* without its alias the cleanup would not know it as ours */
		rtnl_link_delete(s, made);
		return vz_failx(err, vz_nl_errno(r), "set the alias of '%s': %s", rec->host,
				nl_geterror(r));
	}
	log_debug("veth %s (on %s) <-> %s %s", rec->host, rec->bridge, n->name, rec->hwaddr);
	return 0;
}

static int link_up(struct nl_sock *s, const char *name, int *ifindex, vz_err *err)
{
	_cleanup_nl_link_ struct rtnl_link *l = NULL;
	int r = vz_nl_link_get(s, name, &l);
	if (r < 0)
		return vz_fail(err, r, "find '%s' in the container", name);
	_cleanup_nl_link_ struct rtnl_link *c = rtnl_link_alloc();
	if (!c)
		return -ENOMEM;
	rtnl_link_set_flags(c, IFF_UP);
	r = rtnl_link_change(s, l, c, 0);
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "bring '%s' up: %s", name, nl_geterror(r));
	*ifindex = rtnl_link_get_ifindex(l);
	return 0;
}

/* The broadcast address of an IPv4 subnet (none for /31 and /32), as
 * `ip addr add ... brd +`, ifupdown and networkd set it: networkd fails a
 * link ("Failed to configure address: Numerical result out of range") whose
 * address it is told about exists without one. */
static struct nl_addr *broadcast_of(const struct vz_net_addr *a)
{
	if (a->family != AF_INET || a->prefix > 30)
		return NULL;
	uint8_t b[4];
	for (unsigned k = 0; k < 4; k++) {
		unsigned bits = a->prefix > 8 * k ? a->prefix - 8 * k : 0;
		uint8_t host = bits >= 8 ? 0 : (uint8_t)(0xff >> bits);
		b[k] = a->a[k] | host;
	}
	return nl_addr_build(AF_INET, b, 4);
}

static int add_addr(struct nl_sock *s, int ifindex, const struct vz_net_addr *a, vz_err *err)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(a->family, a->a, a->family == AF_INET ? 4 : 16);
	struct nl_addr *brd = broadcast_of(a);
	int r = -NLE_NOMEM;
	if (ra && local) {
		nl_addr_set_prefixlen(local, a->prefix);
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_prefixlen(ra, a->prefix);
		if (brd)
			rtnl_addr_set_broadcast(ra, brd);
		/* no duplicate address detection: the address works at once, and
		 * duplicates are refused at start already */
		if (a->family == AF_INET6)
			rtnl_addr_set_flags(ra, IFA_F_NODAD);
		r = rtnl_addr_add(s, ra, 0);
	}
	nl_addr_put(local);
	nl_addr_put(brd);
	rtnl_addr_put(ra);
	char buf[64];
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "add address %s: %s",
				vz_net_addr_format(a, true, buf, sizeof(buf)), nl_geterror(r));
	return 0;
}

static int add_default_route(struct nl_sock *s, int ifindex, const struct vz_net_addr *gw,
			     vz_err *err)
{
	static const uint8_t zero[16];
	size_t alen = gw->family == AF_INET ? 4 : 16;
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_addr_build(gw->family, zero, alen);
	struct nl_addr *via = nl_addr_build(gw->family, gw->a, alen);
	int r = -NLE_NOMEM;
	if (rt && nh && dst && via) {
		nl_addr_set_prefixlen(dst, 0);
		rtnl_route_set_family(rt, gw->family);
		rtnl_route_set_dst(rt, dst);
		rtnl_route_set_table(rt, RT_TABLE_MAIN);
		rtnl_route_set_protocol(rt, RTPROT_STATIC);
		rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(rt, TAKE_PTR(nh));
		r = rtnl_route_add(s, rt, NLM_F_CREATE);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(via);
	if (rt)
		rtnl_route_put(rt);
	char buf[64];
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "add default route via %s: %s",
				vz_net_addr_format(gw, false, buf, sizeof(buf)), nl_geterror(r));
	return 0;
}

/* Inside: lo and each interface up, then addresses, then routes (a
 * gateway is reachable only once its subnet's route exists). */
static int configure_inside(struct nl_sock *s, const struct vz_spec *spec, vz_err *err)
{
	int lo;
	int r = link_up(s, "lo", &lo, err);
	for (size_t i = 0; r >= 0 && i < spec->n_net; i++) {
		const struct vz_netif *n = &spec->net[i];
		int ifindex = 0;
		r = link_up(s, n->name, &ifindex, err);
		if (r >= 0 && n->ipv4.family)
			r = add_addr(s, ifindex, &n->ipv4, err);
		if (r >= 0 && n->ipv6.family)
			r = add_addr(s, ifindex, &n->ipv6, err);
		if (r >= 0 && n->gateway.family)
			r = add_default_route(s, ifindex, &n->gateway, err);
		if (r >= 0 && n->gateway6.family)
			r = add_default_route(s, ifindex, &n->gateway6, err);
		if (r < 0)
			vz_err_prefix(err, "network[%zu]", i);
	}
	return r;
}

int vz_net_setup(const struct vz_global *g, const struct vz_spec *spec, pid_t pid, vz_err *err)
{
	if (!spec->n_net)
		return 0;
	_cleanup_free_ struct vz_net_rec *recs = NULL;
	size_t n = 0;
	int r = vz_net_recs_from_spec(spec, &recs, &n);
	if (r < 0)
		return r;
	/* recorded before the first link exists: a crash from here on
	 * leaves the names for the cleanup */
	r = record(g, spec, recs, n, err);
	if (r < 0)
		return r;
	_cleanup_nl_sock_ struct nl_sock *host = NULL, *inside = NULL;
	char nsp[64];
	snprintf(nsp, sizeof(nsp), "/proc/%d/ns/net", (int)pid);
	_cleanup_close_ int nsfd = open(nsp, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		r = vz_fail(err, errno, "open '%s'", nsp);
	if (r >= 0)
		r = vz_nl_open(&host, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (spec->net[i].type == VZ_NET_MACVLAN)
			r = vz_net_macvlan_create(host, spec, i, pid, err);
		else
			r = create_pair(host, spec, i, &recs[i], pid, err);
		if (r < 0)
			vz_err_prefix(err, "network[%zu]", i);
	}
	/* bandwidth limits on the host side (tc.c, doc/network-tc.md) */
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (!spec->net[i].rate_in && !spec->net[i].rate_out)
			continue;
		r = vz_tc_set_rates(recs[i].host, spec->net[i].rate_in, spec->net[i].rate_out, err);
		if (r < 0)
			vz_err_prefix(err, "network[%zu]", i);
	}
	if (r >= 0)
		r = vz_nl_open_in(nsfd, &inside, err);
	if (r >= 0)
		r = configure_inside(inside, spec, err);
	if (r < 0) {
		remove_recs(spec->name, recs, n);
		if (nsfd >= 0)
			vz_net_macvlan_remove(recs, n, nsfd);
	}
	return r;
}

/* ------------------------------------------------------------ resolv.conf */

int vz_net_resolv_conf_in_child(char *const *l, vz_err *err)
{
	if (!l || !*l)
		return 0;
	_cleanup_free_ char *text = strdup("# written by vz from the container's nameservers\n");
	for (char *const *e = l; text && *e; e++) {
		char *t = strdup_printf("%snameserver %s\n", text, *e);
		free(text);
		text = t;
	}
	if (!text)
		return -ENOMEM;
	/* After pivot_root: "/" is the container's, so no path here can lead
	 * out of it; the rename replaces a symlink (to systemd-resolved's
	 * file, say) rather than following it. */
	int r = write_file_replace("/etc/resolv.conf", text, strlen(text), 0644);
	if (r < 0)
		return vz_fail(err, r, "write /etc/resolv.conf");
	return 0;
}
