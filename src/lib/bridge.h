/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bridge.h: the host side of vz's network, `vz net up|down|status`: the
 * bridge of vz.conf's net group with its addresses (through libnl-3 route),
 * NAT masquerade for its IPv4 subnet (an nftables table of its own) and
 * DHCP/DNS on it (a dnsmasq bound to the bridge alone). Runs in commands;
 * doc/network-bridge.md describes the behaviour.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "paths.h"

/* Defaults of the net.* keys of vz.conf. */
#define VZ_NET_BRIDGE "vzbr0"
#define VZ_NET_IPV4 "10.87.0.1/24"
#define VZ_NET_MTU 1500

/* Value checks of vz.conf's keys (config-keys.c): 0, or -EINVAL with the
 * reason in why. An empty string means "none" where allowed. */
int vz_net_check_ifname(const char *v, char *why, size_t len);
int vz_net_check_ipv4(const char *v, char *why, size_t len);  /* "A.B.C.D/N" or "" */
int vz_net_check_ipv6(const char *v, char *why, size_t len);  /* "ADDR/N" or "" */
int vz_net_check_range(const char *v, char *why, size_t len); /* "A.B.C.D,A.B.C.D" or "" */

/* "A.B.C.D/N" -> host-order address and prefix; -EINVAL. */
int vz_net_parse_cidr4(const char *v, uint32_t *addr, unsigned *prefix);
uint32_t vz_net_mask4(unsigned prefix);
void vz_net_fmt4(uint32_t a, char buf[static 16]);

/* Checks across keys (a DHCP range inside the subnet, DHCP and NAT need an
 * IPv4 address); fills the default DHCP range into buf. */
int vz_net_check_global(const struct vz_global *g, char *range, size_t rlen, vz_err *err);

/* Create or fix the bridge, its MTU, state and addresses; then NAT and
 * DHCP as configured (switched off when not). Idempotent. */
int vz_net_up(const struct vz_global *g, vz_err *err);
/* Stop dnsmasq, delete the NAT table and the bridge. Refused while
 * interfaces are attached unless force. Idempotent. */
int vz_net_down(const struct vz_global *g, bool force, vz_err *err);

struct vz_lease {
	int64_t expires; /* unix time, 0: never */
	char mac[24];
	char ip[48];
	char hostname[64]; /* "*" when unknown */
};

struct vz_net_status {
	char *bridge;
	bool exists, up;
	char operstate[16];
	unsigned mtu;
	char **addrs;   /* "198.18.0.1/24" */
	char **ports;   /* interfaces attached to the bridge */
	bool nat;       /* vz's nftables table for the bridge exists */
	char *nat_table; /* "inet vz-BR" */
	pid_t dnsmasq;  /* 0 when DHCP is off */
	char *range;    /* the DHCP range configured */
	struct vz_lease *leases;
	size_t n_leases;
};

int vz_net_status(const struct vz_global *g, struct vz_net_status *st, vz_err *err);
void vz_net_status_done(struct vz_net_status *st);

/* bridge-svc.c: NAT and DHCP (used by bridge.c). */
int vz_net_nat_apply(const struct vz_global *g, bool on, const char *subnet, vz_err *err);
bool vz_net_nat_present(const struct vz_global *g);
void vz_net_nat_table(const struct vz_global *g, char *buf, size_t len);
int vz_net_dhcp_apply(const struct vz_global *g, bool on, const char *range, vz_err *err);
pid_t vz_net_dhcp_pid(const struct vz_global *g);
int vz_net_leases(const struct vz_global *g, struct vz_lease **ret, size_t *n);
/* The leases of the dnsmasq vz net up ran for bridge (run/net/BRIDGE.leases);
 * none when there is no such file. */
int vz_net_leases_of(const struct vz_global *g, const char *bridge, struct vz_lease **ret,
		     size_t *n);
/* run/net (dnsmasq's pid and lease files), removed when empty */
char *vz_net_run_path(const struct vz_global *g, const char *suffix);
