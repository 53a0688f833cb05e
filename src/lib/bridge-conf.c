/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bridge-conf.c: the checks of vz.conf's net.* keys (see bridge.h), apart
 * from bridge.c so that loading vz.conf does not pull in libnl (the
 * monitor loads it too). Runs in commands and the monitor.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <net/if.h>
#include <stdio.h>

#include "bridge.h"
#include "net.h"
#include "parse-util.h"

/* ------------------------------------------------------------ checks */

int vz_net_check_ifname(const char *v, char *why, size_t len)
{
	bool ok = *v && strlen(v) < IFNAMSIZ && isalpha((unsigned char)v[0]);
	for (const char *p = v; ok && *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			ok = false;
	if (!ok)
		return vz_why(why, len,
			       "invalid interface name '%s' (1-%d letters, digits, '-', '_' or "
			       "'.', starting with a letter)",
			       v, IFNAMSIZ - 1);
	return 0;
}

/* "A.B.C.D/N" -> host-order address and prefix (net-config.c's parser). */
int vz_net_parse_cidr4(const char *v, uint32_t *addr, unsigned *prefix)
{
	struct vz_net_addr a;
	if (vz_net_parse_addr(v, true, AF_INET, &a) < 0)
		return -EINVAL;
	*addr = (uint32_t)a.a[0] << 24 | (uint32_t)a.a[1] << 16 | (uint32_t)a.a[2] << 8 | a.a[3];
	*prefix = a.prefix;
	return 0;
}

uint32_t vz_net_mask4(unsigned prefix)
{
	return prefix ? ~UINT32_C(0) << (32 - prefix) : 0;
}

int vz_net_check_ipv4(const char *v, char *why, size_t len)
{
	uint32_t a;
	unsigned p;
	if (!*v)
		return 0;
	if (vz_net_parse_cidr4(v, &a, &p) < 0)
		return vz_why(why, len, "invalid IPv4 address '%s' (ADDRESS/PREFIX such as "
					"\"10.87.0.1/24\", or \"\" for none)", v);
	if (p > 30)
		return vz_why(why, len, "prefix /%u of '%s' leaves no room for containers "
					"(at most /30)", p, v);
	if ((a & ~vz_net_mask4(p)) == 0 || (a & ~vz_net_mask4(p)) == ~vz_net_mask4(p))
		return vz_why(why, len, "'%s' is the %s address of its subnet, not a host address",
			       v, (a & ~vz_net_mask4(p)) == 0 ? "network" : "broadcast");
	if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 14)
		return vz_why(why, len, "'%s' is not a unicast address for a bridge", v);
	return 0;
}

int vz_net_check_ipv6(const char *v, char *why, size_t len)
{
	struct vz_net_addr na;
	if (!*v)
		return 0;
	if (vz_net_parse_addr(v, true, AF_INET6, &na) < 0)
		return vz_why(why, len, "invalid IPv6 address '%s' (ADDRESS/PREFIX such as "
					"\"fd42::1/64\", or \"\" for none)", v);
	struct in6_addr a;
	memcpy(&a, na.a, sizeof(a));
	if (IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_MULTICAST(&a) ||
	    IN6_IS_ADDR_LINKLOCAL(&a) || IN6_IS_ADDR_V4MAPPED(&a))
		return vz_why(why, len, "'%s' is not a global or unique local unicast address", v);
	return 0;
}

static int parse_range(const char *v, uint32_t *lo, uint32_t *hi)
{
	char buf[40];
	const char *comma = strchr(v, ',');
	if (!comma || (size_t)(comma - v) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, v, (size_t)(comma - v));
	buf[comma - v] = 0;
	struct in_addr a, b;
	if (inet_pton(AF_INET, buf, &a) != 1 || inet_pton(AF_INET, comma + 1, &b) != 1)
		return -EINVAL;
	*lo = ntohl(a.s_addr);
	*hi = ntohl(b.s_addr);
	return *lo <= *hi ? 0 : -ERANGE;
}

int vz_net_check_range(const char *v, char *why, size_t len)
{
	uint32_t lo, hi;
	if (!*v)
		return 0;
	int r = parse_range(v, &lo, &hi);
	if (r == -ERANGE)
		return vz_why(why, len, "range '%s' ends before it starts", v);
	if (r < 0)
		return vz_why(why, len, "invalid range '%s' (FIRST,LAST such as "
					"\"10.87.0.100,10.87.0.200\")", v);
	return 0;
}

void vz_net_fmt4(uint32_t a, char buf[static INET_ADDRSTRLEN])
{
	struct in_addr x = { htonl(a) };
	inet_ntop(AF_INET, &x, buf, INET_ADDRSTRLEN);
}

int vz_net_check_global(const struct vz_global *g, char *range, size_t rlen, vz_err *err)
{
	const char *c = g->conf_path ? g->conf_path : "vz.conf";
	range[0] = 0;
	if (!*g->net_ipv4) {
		if (g->net_nat)
			return vz_failx(err, EINVAL, "%s: net.nat needs an IPv4 address in net.ipv4", c);
		if (g->net_dhcp)
			return vz_failx(err, EINVAL, "%s: net.dhcp needs an IPv4 address in net.ipv4",
					c);
		return 0;
	}
	uint32_t a, lo, hi;
	unsigned p;
	if (vz_net_parse_cidr4(g->net_ipv4, &a, &p) < 0)
		return vz_failx(err, EINVAL, "%s: invalid net.ipv4 '%s'", c, g->net_ipv4);
	uint32_t net = a & vz_net_mask4(p), bcast = net | ~vz_net_mask4(p);
	if (*g->net_dhcp_range) {
		if (parse_range(g->net_dhcp_range, &lo, &hi) < 0)
			return vz_failx(err, EINVAL, "%s: invalid net.dhcp_range '%s'", c,
					g->net_dhcp_range);
		if (lo <= net || hi >= bcast)
			return vz_failx(err, EINVAL,
					"%s: net.dhcp_range '%s' is not inside the subnet of net.ipv4 "
					"'%s'", c, g->net_dhcp_range, g->net_ipv4);
	} else {
		/* .100-.199 of a /24 or larger, else the upper half */
		uint32_t size = bcast - net + 1;
		lo = size >= 256 ? net + 100 : net + size / 2;
		hi = size >= 256 ? net + 199 : bcast - 1;
	}
	if (a >= lo && a <= hi)
		return vz_failx(err, EINVAL,
				"%s: the DHCP range %s contains the bridge address '%s' (set "
				"net.dhcp_range)", c, *g->net_dhcp_range ? g->net_dhcp_range : "default",
				g->net_ipv4);
	char l[INET_ADDRSTRLEN], h[INET_ADDRSTRLEN];
	vz_net_fmt4(lo, l);
	vz_net_fmt4(hi, h);
	snprintf(range, rlen, "%s,%s", l, h);
	return 0;
}
