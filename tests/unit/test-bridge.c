/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bridge: the checks of vz.conf's net.* keys (bridge.c): interface
 * names, IPv4/IPv6 addresses with prefix, DHCP ranges, and the checks
 * across keys with the default range derived from net.ipv4.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "tap.h"

static char why[512];

static int chk(int (*f)(const char *, char *, size_t), const char *v)
{
	why[0] = 0;
	return f(v, why, sizeof(why));
}

static int global(const char *ipv4, const char *range, bool nat, bool dhcp, char *out, vz_err *err)
{
	struct vz_global g = { 0 };
	g.net_bridge = (char *)"vzbr0";
	g.net_ipv4 = (char *)ipv4;
	g.net_ipv6 = (char *)"";
	g.net_dhcp_range = (char *)range;
	g.net_nat = nat;
	g.net_dhcp = dhcp;
	vz_err_clear(err);
	return vz_net_check_global(&g, out, 64, err);
}

int main(void)
{
	ok(chk(vz_net_check_ifname, "vzbr0") == 0, "vzbr0 is a name");
	ok(chk(vz_net_check_ifname, "br-a_b.c123456") == 0, "14 characters with - _ .");
	ok(chk(vz_net_check_ifname, "abcdefghijklmno") == 0, "15 characters");
	ok(chk(vz_net_check_ifname, "abcdefghijklmnop") == -EINVAL, "16 characters are too many");
	has_str(why, "invalid interface name 'abcdefghijklmnop' (1-15 letters", "the reason");
	ok(chk(vz_net_check_ifname, "") < 0, "empty");
	ok(chk(vz_net_check_ifname, "0br") < 0, "starts with a digit");
	ok(chk(vz_net_check_ifname, "a/b") < 0, "a slash");
	ok(chk(vz_net_check_ifname, "a b") < 0, "a blank");

	ok(chk(vz_net_check_ipv4, "10.87.0.1/24") == 0, "10.87.0.1/24");
	ok(chk(vz_net_check_ipv4, "") == 0, "empty: none");
	ok(chk(vz_net_check_ipv4, "10.87.0.1") < 0, "no prefix");
	has_str(why, "invalid IPv4 address '10.87.0.1'", "the reason");
	ok(chk(vz_net_check_ipv4, "10.87.0.256/24") < 0, "256");
	ok(chk(vz_net_check_ipv4, "10.87.0.1/33") < 0, "/33");
	ok(chk(vz_net_check_ipv4, "10.87.0.1/31") < 0, "/31 leaves no room");
	ok(chk(vz_net_check_ipv4, "10.87.0.0/24") < 0, "network address");
	has_str(why, "network address", "named");
	ok(chk(vz_net_check_ipv4, "10.87.0.255/24") < 0, "broadcast address");
	ok(chk(vz_net_check_ipv4, "127.0.0.1/8") < 0, "loopback");
	ok(chk(vz_net_check_ipv4, "224.0.0.1/24") < 0, "multicast");
	ok(chk(vz_net_check_ipv4, "10.87.0.1/24x") < 0, "junk after the prefix");

	ok(chk(vz_net_check_ipv6, "fd42::1/64") == 0, "fd42::1/64");
	ok(chk(vz_net_check_ipv6, "2001:db8::1/48") == 0, "global");
	ok(chk(vz_net_check_ipv6, "fd42::1") < 0, "no prefix");
	ok(chk(vz_net_check_ipv6, "fd42::1/129") < 0, "/129");
	ok(chk(vz_net_check_ipv6, "fe80::1/64") < 0, "link-local");
	ok(chk(vz_net_check_ipv6, "::1/128") < 0, "loopback");
	ok(chk(vz_net_check_ipv6, "10.0.0.1/24") < 0, "an IPv4 address");

	ok(chk(vz_net_check_range, "10.87.0.100,10.87.0.200") == 0, "a range");
	ok(chk(vz_net_check_range, "10.87.0.100,10.87.0.100") == 0, "one address");
	ok(chk(vz_net_check_range, "10.87.0.200,10.87.0.100") < 0, "reversed");
	has_str(why, "ends before it starts", "the reason");
	ok(chk(vz_net_check_range, "10.87.0.100-10.87.0.200") < 0, "a dash");

	char r[64];
	vz_err err;
	is_int(global("10.87.0.1/24", "", false, true, r, &err), 0, "default range of a /24");
	is_str(r, "10.87.0.100,10.87.0.199", "is .100-.199");
	is_int(global("10.87.0.1/16", "", false, true, r, &err), 0, "of a /16");
	is_str(r, "10.87.0.100,10.87.0.199", "the same");
	is_int(global("198.18.0.1/28", "", false, true, r, &err), 0, "of a /28");
	is_str(r, "198.18.0.8,198.18.0.14", "the upper half");
	ok(global("10.87.0.150/24", "", false, true, r, &err) < 0, "bridge address in the default range");
	has_str(err.msg, "contains the bridge address", "says so");
	ok(global("10.87.0.1/24", "10.87.1.5,10.87.1.9", false, true, r, &err) < 0, "outside the subnet");
	has_str(err.msg, "net.dhcp_range '10.87.1.5,10.87.1.9' is not inside the subnet", "says so");
	ok(global("10.87.0.1/24", "10.87.0.0,10.87.0.9", false, true, r, &err) < 0, "the network address");
	ok(global("10.87.0.1/24", "10.87.0.250,10.87.0.255", false, true, r, &err) < 0, "the broadcast");
	is_int(global("10.87.0.1/24", "10.87.0.2,10.87.0.254", false, true, r, &err), 0, "the whole rest");
	ok(global("", "", true, false, r, &err) < 0, "NAT without IPv4");
	has_str(err.msg, "net.nat needs an IPv4 address", "says so");
	ok(global("", "", false, true, r, &err) < 0, "DHCP without IPv4");
	is_int(global("", "", false, false, r, &err), 0, "no IPv4, no NAT, no DHCP");
	return tap_done();
}
