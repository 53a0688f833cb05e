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
	VZ_NET_MACVLAN, /* parsed, refused: not supported yet */
	_VZ_NET_TYPE_MAX,
};

const char *vz_net_type_to_string(enum vz_net_type t);
int vz_net_type_from_string(const char *s);

#define VZ_NET_DEFAULT_BRIDGE "vzbr0"
/* How many interfaces a container may have (the host name's index). */
#define VZ_NET_MAX 32
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
 * Written by the monitor before the first link is made (a crash then
 * still leaves the names to clean up); read by vz ls and vz info, the
 * duplicate address check, and the cleanup after a monitor died. */
struct vz_net_rec {
	char name[16], host[16], bridge[16];
	char hwaddr[18], host_hwaddr[18];
	char ipv4[48], ipv6[64]; /* with prefix; "" when none */
};

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
 * container's. err: "network[0].bridge: bridge 'vzbr0' does not exist ...". */
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
