/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tc.c: per-interface bandwidth limits through libnl-route's tc API (see
 * tc.h and doc/network-tc.md for the mechanism and the figures behind the
 * bucket and queue sizes).
 *
 * Why tbf and an ifb, not htb and a policer (what LXD and Incus do):
 * - one tbf qdisc per direction is the whole shaper: no class, no quantum
 *   (htb warns and misbehaves when rate/r2q leaves its 1500..200000 range),
 *   and a rate change is one RTM_NEWQDISC with NLM_F_REPLACE that the kernel
 *   applies in place (tbf_change), so the queue and the link stay;
 * - traffic from the container arrives on the host veth's ingress, where a
 *   qdisc cannot queue. A policer (act_police) drops what exceeds the rate,
 *   which costs a TCP stream much of its throughput and bursts of loss;
 *   redirecting the ingress to an ifb and shaping there queues and paces
 *   instead, at the price of one extra netdev per limited interface and one
 *   more queue on the path. Kernels built without act_police (as this
 *   project's test host) can only do the latter.
 */
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/tc_act/tc_mirred.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include "log.h"
#include "macro.h"
#include "net.h"
#include "nl-util.h"
#include "parse-util.h"
#include "tc.h"

/* vz's root tbf handle ("7a:" for 'z') and its filter priority. */
#define TBF_HANDLE TC_H_MAKE(0x7aU << 16, 0)
#define INGRESS_HANDLE TC_H_MAKE(TC_H_INGRESS, 0)
#define FILTER_PRIO 0x7a
#define IFB_PREFIX "vzi"

static int nl_fail(vz_err *err, int r, const char *ifname, const char *what)
{
	return vz_failx(err, vz_nl_errno(r), "interface %s: %s: %s", ifname, what, nl_geterror(r));
}

static void qdisc_putp(struct rtnl_qdisc **q)
{
	if (*q)
		rtnl_qdisc_put(*q);
}
static void cls_putp(struct rtnl_cls **c)
{
	if (*c)
		rtnl_cls_put(*c);
}
static void act_putp(struct rtnl_act **a)
{
	if (*a)
		rtnl_act_put(*a);
}
#define _cleanup_qdisc_ _cleanup_(qdisc_putp)
#define _cleanup_cls_ _cleanup_(cls_putp)
#define _cleanup_act_ _cleanup_(act_putp)

void vz_tc_ifb_name(const char *host_ifname, char buf[static 16])
{
	/* FNV-1a 64, the low 48 bits: no collision to fear among a host's veths */
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (const unsigned char *p = (const unsigned char *)host_ifname; *p; p++) {
		h ^= *p;
		h *= UINT64_C(0x100000001b3);
	}
	snprintf(buf, 16, IFB_PREFIX "%012llx", (unsigned long long)(h & UINT64_C(0xffffffffffff)));
}

void vz_tc_tbf_params(uint64_t bps, uint32_t *burst, uint32_t *limit)
{
	uint64_t Bps = bps / 8;
	/* The bucket: 4 ms at the rate, at least 64 KiB, so that a whole GSO
	 * packet (64 KiB on a veth) passes without being segmented and the
	 * hrtimer wakes at most every 4 ms at high rates. */
	uint64_t b = Bps * 4 / 1000;
	if (b < 65536)
		b = 65536;
	/* The queue: the bucket plus 50 ms at the rate, which holds the window
	 * a TCP stream needs to keep the link busy through a drop. */
	uint64_t l = b + Bps * 50 / 1000;
	if (b > INT32_MAX)
		b = INT32_MAX;
	if (l > INT32_MAX)
		l = INT32_MAX;
	*burst = (uint32_t)b;
	*limit = (uint32_t)l;
}

static int link_get(struct nl_sock *sk, const char *name, struct rtnl_link **ret, vz_err *err)
{
	int r = rtnl_link_get_kernel(sk, 0, name, ret);
	if (vz_nl_missing(r))
		return vz_failx(err, ENODEV, "interface %s: no such interface", name);
	if (r < 0)
		return nl_fail(err, r, name, "looking it up");
	return 0;
}

/* tbf at the root of link: replaced in place when present. */
static int tbf_set(struct nl_sock *sk, struct rtnl_link *link, uint64_t bps, vz_err *err)
{
	const char *name = rtnl_link_get_name(link);
	char rb[24];
	format_rate(bps, rb);
	if (bps > VZ_TC_RATE_MAX)
		return vz_failx(err, ERANGE, "interface %s: rate %s is above the most tbf takes (%s)",
				name, rb, format_rate(VZ_TC_RATE_MAX, (char[24]){ 0 }));
	uint32_t burst, limit;
	vz_tc_tbf_params(bps, &burst, &limit);
	uint64_t Bps = (bps + 7) / 8;

	for (int attempt = 0;; attempt++) {
		_cleanup_qdisc_ struct rtnl_qdisc *q = rtnl_qdisc_alloc();
		if (!q)
			return vz_fail(err, ENOMEM, "interface %s: tbf", name);
		rtnl_tc_set_link(TC_CAST(q), link);
		rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
		rtnl_tc_set_handle(TC_CAST(q), TBF_HANDLE);
		int r = rtnl_tc_set_kind(TC_CAST(q), "tbf");
		if (r < 0)
			return nl_fail(err, r, name, "tbf");
		rtnl_qdisc_tbf_set_rate(q, (int)Bps, (int)burst, 0);
		rtnl_qdisc_tbf_set_limit(q, (int)limit);
		r = rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_REPLACE);
		if (r >= 0) {
			log_debug("tc: %s: tbf rate %s burst %u limit %u", name, rb, burst, limit);
			return 0;
		}
		/* a root qdisc of another kind under our handle: replace it */
		if (r == -NLE_INVAL && attempt == 0) {
			_cleanup_qdisc_ struct rtnl_qdisc *d = rtnl_qdisc_alloc();
			if (!d)
				return vz_fail(err, ENOMEM, "interface %s: tbf", name);
			rtnl_tc_set_link(TC_CAST(d), link);
			rtnl_tc_set_parent(TC_CAST(d), TC_H_ROOT);
			(void)rtnl_qdisc_delete(sk, d);
			continue;
		}
		char what[48];
		snprintf(what, sizeof(what), "setting tbf rate %s", rb);
		return nl_fail(err, r, name, what);
	}
}

/* Delete the root or ingress qdisc of ifindex; a missing one is fine. */
static int qdisc_del(struct nl_sock *sk, struct rtnl_link *link, uint32_t parent, vz_err *err)
{
	_cleanup_qdisc_ struct rtnl_qdisc *q = rtnl_qdisc_alloc();
	if (!q)
		return vz_fail(err, ENOMEM, "qdisc");
	rtnl_tc_set_link(TC_CAST(q), link);
	rtnl_tc_set_parent(TC_CAST(q), parent);
	if (parent == TC_H_INGRESS) {
		rtnl_tc_set_handle(TC_CAST(q), INGRESS_HANDLE);
		(void)rtnl_tc_set_kind(TC_CAST(q), "ingress");
	}
	int r = rtnl_qdisc_delete(sk, q);
	if (r < 0 && !vz_nl_missing(r) && r != -NLE_INVAL)
		return nl_fail(err, r, rtnl_link_get_name(link),
			       parent == TC_H_ROOT ? "removing the root qdisc" : "removing the ingress qdisc");
	return 0;
}

/* Whether the ifb link is vz's for host_ifname. */
static bool ifb_ours(struct rtnl_link *ifb, const char *host_ifname)
{
	const char *type = rtnl_link_get_type(ifb);
	const char *alias = rtnl_link_get_ifalias(ifb);
	return type && streq(type, "ifb") && alias && streq(alias, host_ifname);
}

/* The ifb of veth, created when missing, up, with the veth's MTU. */
static int ifb_ensure(struct nl_sock *sk, struct rtnl_link *veth, struct rtnl_link **ret, vz_err *err)
{
	const char *vname = rtnl_link_get_name(veth);
	char name[16];
	vz_tc_ifb_name(vname, name);
	_cleanup_nl_link_ struct rtnl_link *cur = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &cur);
	if (vz_nl_missing(r)) {
		_cleanup_nl_link_ struct rtnl_link *l = rtnl_link_alloc();
		if (!l)
			return vz_fail(err, ENOMEM, "interface %s: ifb", vname);
		rtnl_link_set_name(l, name);
		r = rtnl_link_set_type(l, "ifb");
		if (r >= 0) {
			rtnl_link_set_mtu(l, rtnl_link_get_mtu(veth));
			r = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
		}
		if (r < 0 && r != -NLE_EXIST)
			return vz_failx(err, vz_nl_errno(r), "interface %s: creating its ifb %s: %s", vname,
					name, nl_geterror(r));
		log_debug("tc: %s: ifb %s created", vname, name);
		r = rtnl_link_get_kernel(sk, 0, name, &cur);
	}
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "interface %s: its ifb %s: %s", vname, name,
				nl_geterror(r));
	const char *alias = rtnl_link_get_ifalias(cur);
	const char *type = rtnl_link_get_type(cur);
	if (!type || !streq(type, "ifb") || (alias && *alias && !streq(alias, vname)))
		return vz_failx(err, EEXIST, "interface %s: %s exists and is not its ifb (%s%s%s)",
				vname, name, type ? type : "no type", alias ? ", alias " : "",
				alias ? alias : "");
	if (!alias || !streq(alias, vname) || !(rtnl_link_get_flags(cur) & IFF_UP) ||
	    rtnl_link_get_mtu(cur) != rtnl_link_get_mtu(veth)) {
		_cleanup_nl_link_ struct rtnl_link *ch = rtnl_link_alloc();
		if (!ch)
			return vz_fail(err, ENOMEM, "interface %s: ifb", vname);
		rtnl_link_set_ifalias(ch, vname);
		rtnl_link_set_flags(ch, IFF_UP);
		rtnl_link_set_mtu(ch, rtnl_link_get_mtu(veth));
		r = rtnl_link_change(sk, cur, ch, 0);
		if (r < 0)
			return vz_failx(err, vz_nl_errno(r), "interface %s: setting up its ifb %s: %s", vname,
					name, nl_geterror(r));
	}
	*ret = TAKE_PTR(cur);
	return 0;
}

/* Whether the ingress of veth already redirects everything to ifindex. */
static bool redirect_present(struct nl_sock *sk, struct rtnl_link *veth, int ifb_index)
{
	_cleanup_nl_cache_ struct nl_cache *cache = NULL;
	if (rtnl_cls_alloc_cache(sk, rtnl_link_get_ifindex(veth), INGRESS_HANDLE, &cache) < 0)
		return false;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_cls *c = (struct rtnl_cls *)o;
		const char *kind = rtnl_tc_get_kind(TC_CAST(c));
		if (rtnl_cls_get_prio(c) != FILTER_PRIO || !kind || !streq(kind, "u32"))
			continue;
		for (struct rtnl_act *a = rtnl_u32_get_action(c); a; a = rtnl_act_next(a)) {
			const char *ak = rtnl_tc_get_kind(TC_CAST(a));
			if (ak && streq(ak, "mirred") && rtnl_mirred_get_action(a) == TCA_EGRESS_REDIR &&
			    (int)rtnl_mirred_get_ifindex(a) == ifb_index)
				return true;
		}
	}
	return false;
}

/* ingress qdisc on veth + u32 match-all filter + mirred redirect to ifb. */
static int redirect_set(struct nl_sock *sk, struct rtnl_link *veth, struct rtnl_link *ifb, vz_err *err)
{
	const char *vname = rtnl_link_get_name(veth);
	int ifb_index = rtnl_link_get_ifindex(ifb);
	if (redirect_present(sk, veth, ifb_index))
		return 0;
	/* Start from an empty ingress: a stale filter may point to an old ifb. */
	int r = qdisc_del(sk, veth, TC_H_INGRESS, err);
	if (r < 0)
		return r;
	_cleanup_qdisc_ struct rtnl_qdisc *q = rtnl_qdisc_alloc();
	if (!q)
		return vz_fail(err, ENOMEM, "interface %s: ingress qdisc", vname);
	rtnl_tc_set_link(TC_CAST(q), veth);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_INGRESS);
	rtnl_tc_set_handle(TC_CAST(q), INGRESS_HANDLE);
	r = rtnl_tc_set_kind(TC_CAST(q), "ingress");
	if (r >= 0)
		r = rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0 && r != -NLE_EXIST)
		return nl_fail(err, r, vname, "adding the ingress qdisc");

	_cleanup_cls_ struct rtnl_cls *c = rtnl_cls_alloc();
	_cleanup_act_ struct rtnl_act *a = rtnl_act_alloc();
	if (!c || !a)
		return vz_fail(err, ENOMEM, "interface %s: filter", vname);
	rtnl_tc_set_link(TC_CAST(c), veth);
	rtnl_tc_set_parent(TC_CAST(c), INGRESS_HANDLE);
	rtnl_cls_set_prio(c, FILTER_PRIO);
	rtnl_cls_set_protocol(c, ETH_P_ALL);
	r = rtnl_tc_set_kind(TC_CAST(c), "u32");
	if (r >= 0)
		r = rtnl_u32_add_key_uint32(c, 0, 0, 0, 0); /* match u32 0 0: everything */
	if (r >= 0)
		r = rtnl_u32_set_cls_terminal(c);
	if (r >= 0)
		r = rtnl_tc_set_kind(TC_CAST(a), "mirred");
	if (r >= 0)
		r = rtnl_mirred_set_action(a, TCA_EGRESS_REDIR);
	if (r >= 0)
		r = rtnl_mirred_set_policy(a, TC_ACT_STOLEN);
	if (r >= 0)
		r = rtnl_mirred_set_ifindex(a, (uint32_t)ifb_index);
	if (r >= 0)
		r = rtnl_u32_add_action(c, a);
	if (r >= 0)
		r = rtnl_cls_add(sk, c, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0)
		return nl_fail(err, r, vname, "adding the redirect to its ifb");
	log_debug("tc: %s: ingress redirected to %s", vname, rtnl_link_get_name(ifb));
	return 0;
}

/* Remove the ifb named for host_ifname, when it is ours. */
static int ifb_remove(struct nl_sock *sk, const char *host_ifname, vz_err *err)
{
	char name[16];
	vz_tc_ifb_name(host_ifname, name);
	_cleanup_nl_link_ struct rtnl_link *l = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &l);
	if (vz_nl_missing(r))
		return 0;
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "interface %s: its ifb %s: %s", host_ifname, name,
				nl_geterror(r));
	if (!ifb_ours(l, host_ifname)) {
		log_debug("tc: %s is not the ifb of %s: left alone", name, host_ifname);
		return 0;
	}
	r = rtnl_link_delete(sk, l);
	if (r < 0 && !vz_nl_missing(r))
		return vz_failx(err, vz_nl_errno(r), "interface %s: removing its ifb %s: %s", host_ifname,
				name, nl_geterror(r));
	log_debug("tc: %s: ifb %s removed", host_ifname, name);
	return 0;
}

int vz_tc_set_rates(const char *host_ifname, uint64_t rate_in_bps, uint64_t rate_out_bps, vz_err *err)
{
	if (!vz_net_ifname_is_valid(host_ifname))
		return vz_failx(err, EINVAL, "interface '%s': not a valid interface name",
				host_ifname ? host_ifname : "");
	char rb[24];
	if (rate_in_bps > VZ_TC_RATE_MAX || rate_out_bps > VZ_TC_RATE_MAX)
		return vz_failx(err, ERANGE, "interface %s: rate %s is above the most tbf takes (%s)",
				host_ifname,
				format_rate(rate_in_bps > VZ_TC_RATE_MAX ? rate_in_bps : rate_out_bps, rb),
				format_rate(VZ_TC_RATE_MAX, (char[24]){ 0 }));
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	_cleanup_nl_link_ struct rtnl_link *veth = NULL;
	r = link_get(sk, host_ifname, &veth, err);
	if (r < 0)
		return r;

	r = rate_in_bps ? tbf_set(sk, veth, rate_in_bps, err) : qdisc_del(sk, veth, TC_H_ROOT, err);
	if (r < 0)
		return r;

	if (!rate_out_bps) {
		r = qdisc_del(sk, veth, TC_H_INGRESS, err);
		return r < 0 ? r : ifb_remove(sk, host_ifname, err);
	}
	_cleanup_nl_link_ struct rtnl_link *ifb = NULL;
	r = ifb_ensure(sk, veth, &ifb, err);
	if (r < 0)
		return r;
	/* shape on the ifb first, then send traffic to it */
	r = tbf_set(sk, ifb, rate_out_bps, err);
	if (r < 0)
		return r;
	return redirect_set(sk, veth, ifb, err);
}

int vz_tc_clear(const char *host_ifname, vz_err *err)
{
	if (!vz_net_ifname_is_valid(host_ifname))
		return vz_failx(err, EINVAL, "interface '%s': not a valid interface name",
				host_ifname ? host_ifname : "");
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	_cleanup_nl_link_ struct rtnl_link *veth = NULL;
	r = rtnl_link_get_kernel(sk, 0, host_ifname, &veth);
	if (r >= 0) {
		r = qdisc_del(sk, veth, TC_H_ROOT, err);
		if (r >= 0)
			r = qdisc_del(sk, veth, TC_H_INGRESS, err);
		if (r < 0)
			return r;
	} else if (!vz_nl_missing(r))
		return nl_fail(err, r, host_ifname, "looking it up");
	return ifb_remove(sk, host_ifname, err);
}

/* The rate of the tbf at the root of ifindex, 0 when there is none. */
static uint64_t root_tbf_rate(struct nl_cache *qdiscs, int ifindex)
{
	_cleanup_qdisc_ struct rtnl_qdisc *q = rtnl_qdisc_get_by_parent(qdiscs, ifindex, TC_H_ROOT);
	if (!q)
		return 0;
	const char *kind = rtnl_tc_get_kind(TC_CAST(q));
	if (!kind || !streq(kind, "tbf"))
		return 0;
	int Bps = rtnl_qdisc_tbf_get_rate(q);
	return Bps > 0 ? (uint64_t)Bps * 8 : 0;
}

int vz_tc_get_rates(const char *host_ifname, uint64_t *rate_in_bps, uint64_t *rate_out_bps, vz_err *err)
{
	if (!vz_net_ifname_is_valid(host_ifname))
		return vz_failx(err, EINVAL, "interface '%s': not a valid interface name",
				host_ifname ? host_ifname : "");
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	_cleanup_nl_link_ struct rtnl_link *veth = NULL;
	r = link_get(sk, host_ifname, &veth, err);
	if (r < 0)
		return r;
	_cleanup_nl_cache_ struct nl_cache *qdiscs = NULL;
	r = rtnl_qdisc_alloc_cache(sk, &qdiscs);
	if (r < 0)
		return nl_fail(err, r, host_ifname, "listing qdiscs");
	uint64_t in = root_tbf_rate(qdiscs, rtnl_link_get_ifindex(veth)), out = 0;

	char name[16];
	vz_tc_ifb_name(host_ifname, name);
	_cleanup_nl_link_ struct rtnl_link *ifb = NULL;
	if (rtnl_link_get_kernel(sk, 0, name, &ifb) >= 0 && ifb_ours(ifb, host_ifname) &&
	    redirect_present(sk, veth, rtnl_link_get_ifindex(ifb)))
		out = root_tbf_rate(qdiscs, rtnl_link_get_ifindex(ifb));
	if (rate_in_bps)
		*rate_in_bps = in;
	if (rate_out_bps)
		*rate_out_bps = out;
	return 0;
}

int vz_tc_gc(vz_err *err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	int r = vz_nl_open(&sk, err);
	if (r < 0)
		return r;
	_cleanup_nl_cache_ struct nl_cache *links = NULL;
	r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (r < 0)
		return vz_failx(err, vz_nl_errno(r), "listing interfaces: %s", nl_geterror(r));
	int n = 0;
	for (struct nl_object *o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *name = rtnl_link_get_name(l);
		const char *type = rtnl_link_get_type(l);
		const char *alias = rtnl_link_get_ifalias(l);
		if (!name || strncmp(name, IFB_PREFIX, strlen(IFB_PREFIX)) != 0 || !type ||
		    !streq(type, "ifb") || !alias || !vz_net_ifname_is_valid(alias))
			continue;
		char want[16];
		vz_tc_ifb_name(alias, want);
		if (!streq(want, name))
			continue;
		_cleanup_nl_link_ struct rtnl_link *veth = rtnl_link_get_by_name(links, alias);
		if (veth)
			continue;
		r = rtnl_link_delete(sk, l);
		if (r < 0 && !vz_nl_missing(r))
			return vz_failx(err, vz_nl_errno(r), "removing the stale ifb %s of %s: %s", name,
					alias, nl_geterror(r));
		log_debug("tc: stale ifb %s of %s removed", name, alias);
		n++;
	}
	return n;
}
