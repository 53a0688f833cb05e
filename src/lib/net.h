/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net.h: a container's network interfaces (doc/network.md).
 *
 * net-config.c (commands and monitor, no kernel state): the "network" list
 * and "nameservers" of a config, the names and MAC addresses derived from
 * the container's name, and the record of a running container's interfaces
 * in run/NAME/net.
 *
 * net.c (monitor, libnl-3 route): the veth pairs, created from the host
 * side before the child may exec init, configured inside the container's
 * network namespace (lo, addresses, routes), and removed again; and the
 * child's /etc/resolv.conf.
 *
 * net-macvlan.c (monitor, libnl-3 route): macvlans, created from the host
 * directly in the container's namespace; no host-side link.
 */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "paths.h"
#include "spec.h"

enum vz_net_type {
	VZ_NET_VETH,    /* a veth pair, host side on a bridge (default) */
	VZ_NET_NONE,    /* no interface but lo (also: no "network" key) */
	VZ_NET_MACVLAN, /* a macvlan (bridge mode) of a host interface, "parent" */
	_VZ_NET_TYPE_MAX,
};

const char *vz_net_type_to_string(enum vz_net_type t);
int vz_net_type_from_string(const char *s);

#define VZ_NET_DEFAULT_BRIDGE "vzbr0"
/* How many interfaces a container may have (the host name's index). */
#define VZ_NET_MAX 32
/* ipv4 = "dhcp" in a config, and the ipv4 field of its record. */
#define VZ_NET_DHCP "dhcp"
/* Host-side names: "vz" + 8 hex digits + "i" + index. */
#define VZ_NET_HOST_PREFIX "vz"

/* ------------------------------------------------------- config (net-config.c) */

/* Replace spec->net with the libconfig list s. On error returns -EINVAL or
 * -ERANGE and why says "[N].key: reason" (N from 0). Everything is checked
 * here: addresses, gateways in their subnet, names, MTU, MAC, rates,
 * duplicate names and addresses. */
int vz_net_list_from_config(const config_setting_t *s, struct vz_spec *spec, char *why,
			    size_t len);
/* Fill the empty libconfig list `list` from the one-line form (vz create
 * -c network=...): interfaces separated by blanks or ';', each
 * KEY=VALUE[,KEY=VALUE...] with the keys of an element; "" or "none" for
 * none. Not validated: load the result with vz_net_list_from_config(). */
int vz_net_list_set_string(config_setting_t *list, const char *value, char *why, size_t len);
/* Each element an IPv4 or IPv6 address (at most 3, resolv.conf's limit);
 * rewritten in canonical form. */
int vz_net_nameservers_check(char **l, char *why, size_t len);
/* A rate_in/rate_out from its string form, in bits per second: parse_rate()'s
 * syntax, "none" or 0 for no limit, at least 8kbit otherwise. */
int vz_net_rate_from_string(const char *v, uint64_t *ret, char *why, size_t len);

/* Parsers, exposed for the unit tests. */
int vz_net_parse_addr(const char *s, bool want_prefix, int family, struct vz_net_addr *ret);
int vz_net_parse_hwaddr(const char *s, uint8_t mac[6]);
bool vz_net_ifname_is_valid(const char *s);

/* "198.18.0.10/24" (with_prefix) or "198.18.0.10"; "" when unset. */
char *vz_net_addr_format(const struct vz_net_addr *a, bool with_prefix, char *buf, size_t len);
char *vz_net_hwaddr_format(const uint8_t mac[6], char buf[18]);

/* The bridge of an interface ("" in the config: the default). */
const char *vz_net_bridge(const struct vz_netif *n);
/* Host-side name of interface index of container name: <= 15 characters,
 * the same at every start, unlikely to meet another container's. */
void vz_net_host_ifname(const char *container, size_t index, char buf[16]);
/* "auto" MAC inside: locally administered unicast, from (container,
 * interface name); the host side's: fe:.. from (container, index). */
void vz_net_auto_hwaddr(const char *container, const char *ifname, uint8_t mac[6]);
void vz_net_host_hwaddr(const char *container, size_t index, uint8_t mac[6]);
/* The MAC the container side gets. */
void vz_net_hwaddr(const char *container, const struct vz_netif *n, uint8_t mac[6]);
/* IFLA_IFALIAS of the host side: marks a link as this container's. */
void vz_net_host_alias(const char *container, const char *ifname, char *buf, size_t len);

/* ------------------------------------------- run/NAME/net (net-config.c) */

/* One line per interface of a running container:
 *   eth0 host=vz1a2b3c4di0 bridge=vzbr0 hwaddr=02:.. host_hwaddr=fe:..
 *        ipv4=198.18.0.10/24 ipv6=fd42::10/64
 *   eth1 type=macvlan parent=eth1 hwaddr=02:.. ipv4=...
 * (a line without type= is a veth's; a macvlan has no host side, so no
 * host=, bridge= or host_hwaddr=).
 * (ipv4=dhcp for ipv4 = "dhcp": no address of vz's)
 * Written by the monitor before the first link is made (a crash then
 * still leaves the names to clean up); read by vz ls and vz info, the
 * duplicate address check, and the cleanup after a monitor died. */
struct vz_net_rec {
	int type; /* enum vz_net_type */
	char name[16], host[16], bridge[16], parent[16];
	char hwaddr[18], host_hwaddr[18];
	char ipv4[48], ipv6[64]; /* with prefix; "" when none */
	/* not in the file: the address dnsmasq leased to an ipv4=dhcp interface
	 * (vz ls, vz info: list.c), "" when none */
	char lease[48];
};

/* The L2 segment of an interface: its bridge, or a macvlan's parent (all
 * macvlans of one parent, in bridge mode, reach each other). */
const char *vz_net_rec_segment(const struct vz_net_rec *r);

/* The records a spec's interfaces have (what the monitor writes). */
int vz_net_recs_from_spec(const struct vz_spec *spec, struct vz_net_rec **ret, size_t *n);
/* Text form; returns a malloc'ed string. */
char *vz_net_recs_format(const struct vz_net_rec *r, size_t n);
/* Lines that do not parse are skipped. */
int vz_net_recs_parse(const char *text, struct vz_net_rec **ret, size_t *n);
/* run/NAME/net of container name: -ENOENT when there is none. */
int vz_net_recs_read(const struct vz_global *g, const char *name, struct vz_net_rec **ret,
		     size_t *n);

/* ------------------------------------------------------------- links (net.c) */

/* Monitor, before anything is created: every bridge exists and is a
 * bridge, no host-side name is taken by a link that is not this
 * container's, every macvlan parent can carry one.
 * err: "network[0].bridge: bridge 'vzbr0' does not exist ...". */
int vz_net_check(const struct vz_spec *spec, vz_err *err);
/* Monitor, NET step (child pid in its new namespaces, waiting for MAPPED):
 * the duplicate address check against the other running containers, the
 * record, the veth pairs and their configuration inside. On failure what
 * was made is removed again. */
int vz_net_setup(const struct vz_global *g, const struct vz_spec *spec, pid_t pid, vz_err *err);
/* Remove the host-side links recorded in run/NAME/net that are still this
 * container's (alias checked); best effort, logged. Monitor teardown and
 * the cleanup after a dead monitor. */
void vz_net_remove(const struct vz_global *g, const char *name);
/* Container child, after pivot_root: /etc/resolv.conf from nameservers
 * (a symlink there is replaced by a file). Nothing when l is empty. */
int vz_net_resolv_conf_in_child(char *const *l, vz_err *err);

/* ----------------------------------------------------- macvlan (net-macvlan.c) */

struct nl_sock;

/* Monitor, from vz_net_check: network[i]'s parent exists in the host's
 * namespace, is an Ethernet device, up, no port of a bridge or bond, and
 * takes the interface's MTU and MAC. s: a socket in the host's namespace. */
int vz_net_macvlan_check(struct nl_sock *s, const struct vz_spec *spec, size_t i, vz_err *err);
/* Monitor, NET step: network[i] as a macvlan of its parent, made in the
 * namespace of pid with its name, MAC and MTU, up. A MAC still held by a
 * macvlan of a namespace going away (a quick restart, a crash) is waited
 * for a moment. */
int vz_net_macvlan_create(struct nl_sock *s, const struct vz_spec *spec, size_t i, pid_t pid,
			  vz_err *err);
/* Delete the recorded macvlans in the network namespace nsfd (the
 * container's), so that their MACs are free at once; best effort. */
void vz_net_macvlan_remove(const struct vz_net_rec *recs, size_t n, int nsfd);
/* Monitor: the network namespace of pid, held while a container has
 * macvlans so that they can be deleted when it stops (the kernel frees a
 * dead namespace some time later): an fd, -EBADF when none is needed, or
 * -errno. */
int vz_net_ns_hold(const struct vz_spec *spec, pid_t pid, vz_err *err);
/* Monitor, stop and failed start: vz_net_macvlan_remove() with the
 * records of container name, then close nsfd. */
void vz_net_ns_release(const struct vz_global *g, const char *name, int nsfd);
/* ----------------------------------------- inside the container (net-networkd.c) */

/* Container child, after pivot_root, when /etc/systemd/network exists:
 * /etc/systemd/network/10-vz-IFNAME.network for each interface with an
 * address of vz's or ipv4 = "dhcp" (not for one the tenant's ifupdown
 * configures), rewritten only when it changes; other 10-vz-*.network files
 * are removed. Nothing in a distribution without that directory. */
int vz_net_networkd_in_child(const struct vz_spec *spec, vz_err *err);
/* The text of interface i's file (NULL: none for it); for the unit tests. */
int vz_net_networkd_text(const struct vz_spec *spec, size_t i, char **ret);
/* text (an ifupdown interfaces file) has an "iface IFNAME" stanza. */
bool vz_net_ifupdown_has(const char *text, const char *ifname);
