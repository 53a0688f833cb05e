/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bridge.c: vz net up/down/status (see bridge.h): the bridge itself through
 * libnl-3 route (create, MTU, up, addresses, ports, delete). The checks of
 * the net.* keys are in bridge-conf.c, NAT and DHCP in bridge-svc.c. Runs
 * in commands.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "bridge.h"
#include "fs-util.h"
#include "log.h"
#include "nl-util.h"
#include "tc.h"
#include "parse-util.h"
#include "strv.h"

/* ------------------------------------------------------------ netlink */

_printf_(3, 4) static int nl_fail(vz_err *err, int nlerr, const char *fmt, ...)
{
	char ctx[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	return vz_failx(err, vz_nl_errno(nlerr), "%s: %s", ctx, nl_geterror(nlerr));
}

/* The bridge, NULL when absent; -ENOTDIR when the name is another kind of link. */
static int get_bridge(struct nl_sock *sk, const char *name, struct rtnl_link **ret, vz_err *err)
{
	struct rtnl_link *l = NULL;
	*ret = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &l);
	if (vz_nl_missing(r))
		return 0;
	if (r < 0)
		return nl_fail(err, r, "look up interface '%s'", name);
	const char *type = rtnl_link_get_type(l);
	if (!type || strcmp(type, "bridge") != 0) {
		int r2 = vz_failx(err, ENOTDIR, "interface '%s' exists and is not a bridge (%s)", name,
				  type ? type : "no link type");
		rtnl_link_put(l);
		return r2;
	}
	*ret = l;
	return 0;
}

/* Names of the links whose master is ifindex. */
static int bridge_ports(struct nl_sock *sk, int ifindex, char ***ret, vz_err *err)
{
	struct nl_cache *cache;
	int r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (r < 0)
		return nl_fail(err, r, "%s", "list interfaces");
	char **l = calloc(1, sizeof(char *));
	for (struct nl_object *o = nl_cache_get_first(cache); l && o; o = nl_cache_get_next(o)) {
		struct rtnl_link *k = (struct rtnl_link *)o;
		if (rtnl_link_get_master(k) == ifindex && strv_push(&l, rtnl_link_get_name(k)) < 0) {
			strv_free(l);
			l = NULL;
		}
	}
	nl_cache_free(cache);
	if (!l)
		return -ENOMEM;
	*ret = l;
	return 0;
}

static void addr_str(struct rtnl_addr *a, char *buf, size_t len)
{
	struct nl_addr *local = rtnl_addr_get_local(a);
	char ip[INET6_ADDRSTRLEN] = "?";
	if (local)
		inet_ntop(rtnl_addr_get_family(a), nl_addr_get_binary_addr(local), ip, sizeof(ip));
	snprintf(buf, len, "%s/%d", ip, rtnl_addr_get_prefixlen(a));
}

/* Addresses of ifindex ("a/p"), link-local ones too when all. */
static int bridge_addrs(struct nl_sock *sk, int ifindex, bool all, char ***ret, vz_err *err)
{
	struct nl_cache *cache;
	int r = rtnl_addr_alloc_cache(sk, &cache);
	if (r < 0)
		return nl_fail(err, r, "%s", "list addresses");
	char **l = calloc(1, sizeof(char *));
	for (struct nl_object *o = nl_cache_get_first(cache); l && o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		if (rtnl_addr_get_ifindex(a) != ifindex ||
		    (!all && rtnl_addr_get_scope(a) == RT_SCOPE_LINK))
			continue;
		char s[INET6_ADDRSTRLEN + 8];
		addr_str(a, s, sizeof(s));
		if (strv_push(&l, s) < 0) {
			strv_free(l);
			l = NULL;
		}
	}
	nl_cache_free(cache);
	if (!l)
		return -ENOMEM;
	*ret = l;
	return 0;
}

/* Canonical "a/p" of a configured address (inet_ntop spelling). */
static void canon(int family, const char *v, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];
	const char *slash = strchr(v, '/');
	snprintf(ip, sizeof(ip), "%.*s", (int)(slash - v), v);
	inet_pton(family, ip, bin);
	inet_ntop(family, bin, ip, sizeof(ip));
	snprintf(buf, len, "%s%s", ip, slash);
}

static int addr_change(struct nl_sock *sk, int ifindex, int family, const char *cidr, bool add,
		       vz_err *err)
{
	struct nl_addr *local = NULL;
	int r = nl_addr_parse(cidr, family, &local);
	if (r < 0)
		return nl_fail(err, r, "parse address '%s'", cidr);
	struct rtnl_addr *a = rtnl_addr_alloc();
	if (!a) {
		nl_addr_put(local);
		return -ENOMEM;
	}
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, family);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, nl_addr_get_prefixlen(local));
	if (family == AF_INET && add) {
		uint32_t ip;
		unsigned p;
		if (vz_net_parse_cidr4(cidr, &ip, &p) == 0) {
			uint32_t b = htonl(ip | ~vz_net_mask4(p));
			struct nl_addr *bc = nl_addr_build(AF_INET, &b, 4);
			if (bc) {
				rtnl_addr_set_broadcast(a, bc);
				nl_addr_put(bc);
			}
		}
	}
	if (family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	r = add ? rtnl_addr_add(sk, a, NLM_F_REPLACE) : rtnl_addr_delete(sk, a, 0);
	rtnl_addr_put(a);
	nl_addr_put(local);
	if (r < 0)
		return nl_fail(err, r, add ? "add address '%s'" : "remove address '%s'", cidr);
	log_debug("%s address %s", add ? "added" : "removed", cidr);
	return 0;
}

/* The configured address of family on the bridge; other global addresses
 * of that family (an earlier setting) go. */
static int sync_addr(struct nl_sock *sk, int ifindex, int family, const char *want, vz_err *err)
{
	if (!*want)
		return 0;
	_cleanup_strv_free_ char **have = NULL;
	int r = bridge_addrs(sk, ifindex, false, &have, err);
	if (r < 0)
		return r;
	char w[INET6_ADDRSTRLEN + 8];
	canon(family, want, w, sizeof(w));
	bool found = false;
	STRV_FOREACH (h, have) {
		bool is6 = strchr(*h, ':') != NULL;
		if (is6 != (family == AF_INET6))
			continue;
		if (streq(*h, w))
			found = true;
		else if ((r = addr_change(sk, ifindex, family, *h, false, err)) < 0)
			return r;
	}
	return found ? 0 : addr_change(sk, ifindex, family, w, true, err);
}

/* Serialises vz net up/down of all bridges (lib/.net.lock). */
static int net_lock(const struct vz_global *g, vz_err *err)
{
	int r = mkdir_p(g->lib_dir, 0711);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", g->lib_dir);
	_cleanup_free_ char *p = path_join(g->lib_dir, ".net.lock");
	if (!p)
		return -ENOMEM;
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return vz_fail(err, errno, "open lock '%s'", p);
	if (flock(fd, LOCK_EX) < 0) {
		r = vz_fail(err, errno, "lock '%s'", p);
		close(fd);
		return r;
	}
	return fd;
}

static int bridge_up(struct nl_sock *sk, const struct vz_global *g, bool *created, vz_err *err)
{
	const char *name = g->net_bridge;
	struct rtnl_link *l = NULL;
	int r = get_bridge(sk, name, &l, err);
	if (r < 0)
		return r;
	*created = false;
	if (!l) {
		struct rtnl_link *n = rtnl_link_bridge_alloc();
		if (!n)
			return -ENOMEM;
		rtnl_link_set_name(n, name);
		if (g->net_mtu)
			rtnl_link_set_mtu(n, g->net_mtu);
		r = rtnl_link_add(sk, n, NLM_F_CREATE | NLM_F_EXCL);
		rtnl_link_put(n);
		if (r < 0)
			return nl_fail(err, r, "create bridge '%s'", name);
		*created = true;
		log_debug("created bridge %s", name);
		r = rtnl_link_get_kernel(sk, 0, name, &l);
		if (r < 0)
			return nl_fail(err, r, "look up bridge '%s'", name);
	}
	if (!(rtnl_link_get_flags(l) & IFF_UP) || (g->net_mtu && rtnl_link_get_mtu(l) != g->net_mtu)) {
		struct rtnl_link *c = rtnl_link_alloc();
		if (!c) {
			rtnl_link_put(l);
			return -ENOMEM;
		}
		rtnl_link_set_flags(c, IFF_UP);
		if (g->net_mtu)
			rtnl_link_set_mtu(c, g->net_mtu);
		r = rtnl_link_change(sk, l, c, 0);
		rtnl_link_put(c);
		if (r < 0) {
			rtnl_link_put(l);
			return nl_fail(err, r, "set bridge '%s' up", name);
		}
	}
	int ifindex = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	r = sync_addr(sk, ifindex, AF_INET, g->net_ipv4, err);
	if (r >= 0)
		r = sync_addr(sk, ifindex, AF_INET6, g->net_ipv6, err);
	if (r < 0)
		vz_err_prefix(err, "bridge '%s'", name);
	return r;
}

static int bridge_delete(struct nl_sock *sk, const char *name, bool force, vz_err *err)
{
	struct rtnl_link *l = NULL;
	int r = get_bridge(sk, name, &l, err);
	if (r < 0 || !l)
		return r;
	_cleanup_strv_free_ char **ports = NULL;
	r = bridge_ports(sk, rtnl_link_get_ifindex(l), &ports, err);
	if (r >= 0 && ports[0] && !force) {
		_cleanup_free_ char *s = strv_join(ports, ", ");
		r = vz_failx(err, EBUSY,
			     "bridge '%s' still has interfaces attached: %s (stop the containers "
			     "using it, or --force)", name, s ? s : "?");
	}
	if (r >= 0) {
		r = rtnl_link_delete(sk, l);
		if (r < 0)
			r = nl_fail(err, r, "delete bridge '%s'", name);
		else
			log_debug("deleted bridge %s", name);
	}
	rtnl_link_put(l);
	return r;
}

static void subnet4(const char *cidr, char *buf, size_t len)
{
	uint32_t a;
	unsigned p;
	char s[INET_ADDRSTRLEN];
	buf[0] = 0;
	if (vz_net_parse_cidr4(cidr, &a, &p) < 0)
		return;
	vz_net_fmt4(a & vz_net_mask4(p), s);
	snprintf(buf, len, "%s/%u", s, p);
}

int vz_net_up(const struct vz_global *g, vz_err *err)
{
	char range[64], subnet[40];
	int r = vz_net_check_global(g, range, sizeof(range), err);
	if (r < 0)
		return r;
	_cleanup_close_ int lock = net_lock(g, err);
	if (lock < 0)
		return lock;
	struct nl_sock *sk;
	r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	bool created = false, nat_before = vz_net_nat_present(g);
	r = bridge_up(sk, g, &created, err);
	subnet4(g->net_ipv4, subnet, sizeof(subnet));
	if (r >= 0)
		r = vz_net_nat_apply(g, g->net_nat, subnet, err);
	if (r >= 0)
		r = vz_net_dhcp_apply(g, g->net_dhcp, range, err);
	if (r < 0 && created) {
		/* nothing this call made stays */
		if (!nat_before)
			vz_net_nat_apply(g, false, subnet, NULL);
		bridge_delete(sk, g->net_bridge, true, NULL);
	}
	nl_socket_free(sk);
	/* Housekeeping at boot (vz-net.service): ifb devices whose veth is
	 * gone and whose container record was lost with it (tc.c). A stop
	 * removes its own; this only catches what a crash left. */
	if (r >= 0) {
		vz_err gc = { 0 };
		int n = vz_tc_gc(&gc);
		if (n < 0)
			log_warn("net up: removing stale ifb devices: %s", gc.msg);
		else if (n > 0)
			log_info("net up: removed %d stale ifb device%s", n, n == 1 ? "" : "s");
	}
	return r;
}

int vz_net_down(const struct vz_global *g, bool force, vz_err *err)
{
	_cleanup_close_ int lock = net_lock(g, err);
	if (lock < 0)
		return lock;
	struct nl_sock *sk;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	/* refuse before stopping anything */
	struct rtnl_link *l = NULL;
	r = get_bridge(sk, g->net_bridge, &l, err);
	if (r >= 0 && l && !force) {
		_cleanup_strv_free_ char **ports = NULL;
		r = bridge_ports(sk, rtnl_link_get_ifindex(l), &ports, err);
		if (r >= 0 && ports[0]) {
			_cleanup_free_ char *s = strv_join(ports, ", ");
			r = vz_failx(err, EBUSY,
				     "bridge '%s' still has interfaces attached: %s (stop the "
				     "containers using it, or --force)", g->net_bridge, s ? s : "?");
		}
	}
	if (l)
		rtnl_link_put(l);
	if (r >= 0)
		r = vz_net_dhcp_apply(g, false, NULL, err);
	if (r >= 0)
		r = vz_net_nat_apply(g, false, NULL, err);
	if (r >= 0)
		r = bridge_delete(sk, g->net_bridge, force, err);
	nl_socket_free(sk);
	if (r >= 0) {
		_cleanup_free_ char *dir = vz_net_run_path(g, NULL);
		if (dir)
			rmdir(dir);
	}
	return r;
}

int vz_net_status(const struct vz_global *g, struct vz_net_status *st, vz_err *err)
{
	char range[64] = "";
	memset(st, 0, sizeof(*st));
	st->bridge = strdup(g->net_bridge);
	if (!st->bridge)
		return -ENOMEM;
	struct nl_sock *sk;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	struct rtnl_link *l = NULL;
	r = get_bridge(sk, g->net_bridge, &l, err);
	if (r >= 0 && l) {
		st->exists = true;
		st->up = rtnl_link_get_flags(l) & IFF_UP;
		st->mtu = rtnl_link_get_mtu(l);
		rtnl_link_operstate2str(rtnl_link_get_operstate(l), st->operstate,
					sizeof(st->operstate));
		r = bridge_addrs(sk, rtnl_link_get_ifindex(l), false, &st->addrs, err);
		if (r >= 0)
			r = bridge_ports(sk, rtnl_link_get_ifindex(l), &st->ports, err);
		rtnl_link_put(l);
	}
	nl_socket_free(sk);
	if (r < 0)
		return r;
	if ((!st->addrs && !(st->addrs = calloc(1, sizeof(char *)))) ||
	    (!st->ports && !(st->ports = calloc(1, sizeof(char *)))))
		return -ENOMEM;
	st->nat = vz_net_nat_present(g);
	char t[64];
	vz_net_nat_table(g, t, sizeof(t));
	st->nat_table = strdup(t);
	st->dnsmasq = vz_net_dhcp_pid(g);
	if (vz_net_check_global(g, range, sizeof(range), NULL) == 0 && *range)
		st->range = strdup(range);
	if (!st->nat_table)
		return -ENOMEM;
	r = vz_net_leases(g, &st->leases, &st->n_leases);
	return r == -ENOENT ? 0 : r;
}

void vz_net_status_done(struct vz_net_status *st)
{
	free(st->bridge);
	strv_free(st->addrs);
	strv_free(st->ports);
	free(st->nat_table);
	free(st->range);
	free(st->leases);
	memset(st, 0, sizeof(*st));
}
