/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-config.c: the "network" list and "nameservers" of a config, the
 * names and MACs derived from a container's name, and run/NAME/net (see
 * net.h). No kernel state: runs in commands and in the monitor.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "fs-util.h"
#include "net.h"
#include "parse-util.h"
#include "strv.h"

static const char *const type_names[_VZ_NET_TYPE_MAX] = {
	[VZ_NET_VETH] = "veth",
	[VZ_NET_NONE] = "none",
	[VZ_NET_MACVLAN] = "macvlan",
};

const char *vz_net_type_to_string(enum vz_net_type t)
{
	return (unsigned)t < _VZ_NET_TYPE_MAX ? type_names[t] : NULL;
}

int vz_net_type_from_string(const char *s)
{
	for (int i = 0; i < _VZ_NET_TYPE_MAX; i++)
		if (s && streq(s, type_names[i]))
			return i;
	return -EINVAL;
}

/* ------------------------------------------------------------------ parsers */

bool vz_net_ifname_is_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 15 || streq(s, ".") || streq(s, ".."))
		return false;
	for (const char *p = s; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '/' || *p == ':' || *p == '%')
			return false;
	return true;
}

int vz_net_parse_addr(const char *s, bool want_prefix, int family, struct vz_net_addr *ret)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf) || (want_prefix && !slash) || (!want_prefix && slash))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	struct vz_net_addr a = { 0 };
	if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, buf, a.a) == 1)
		a.family = AF_INET;
	else if ((family == 0 || family == AF_INET6) && inet_pton(AF_INET6, buf, a.a) == 1)
		a.family = AF_INET6;
	else
		return -EINVAL;
	unsigned max = a.family == AF_INET ? 32 : 128;
	a.prefix = (uint8_t)max;
	if (slash) {
		uint64_t p;
		if (!slash[1] || !isdigit((unsigned char)slash[1]) || parse_u64(slash + 1, &p) < 0 ||
		    p < 1 || p > max)
			return -ERANGE;
		a.prefix = (uint8_t)p;
	}
	*ret = a;
	return 0;
}

/* Same subnet under a's prefix. */
static bool same_subnet(const struct vz_net_addr *a, const struct vz_net_addr *b)
{
	if (a->family != b->family)
		return false;
	unsigned bits = a->prefix, i = 0;
	for (; bits >= 8; bits -= 8, i++)
		if (a->a[i] != b->a[i])
			return false;
	uint8_t mask = (uint8_t)(0xff << (8 - bits));
	return bits == 0 || (a->a[i] & mask) == (b->a[i] & mask);
}

/* The host part of a under its prefix: all zeros (-1), all ones (1). */
static int host_part(const struct vz_net_addr *a)
{
	unsigned len = a->family == AF_INET ? 4 : 16;
	bool zeros = true, ones = true;
	for (unsigned bit = a->prefix; bit < len * 8; bit++) {
		bool set = a->a[bit / 8] & (0x80 >> (bit % 8));
		zeros &= !set;
		ones &= set;
	}
	return zeros ? -1 : ones ? 1 : 0;
}

/* Why an address cannot be an interface's own, or NULL. */
static const char *bad_host_addr(const struct vz_net_addr *a)
{
	if (a->family == AF_INET) {
		if (a->a[0] == 0 || a->a[0] == 127 || a->a[0] >= 224)
			return "not a unicast address";
		if (a->prefix <= 30 && host_part(a) < 0)
			return "the network address of its subnet";
		if (a->prefix <= 30 && host_part(a) > 0)
			return "the broadcast address of its subnet";
		return NULL;
	}
	static const uint8_t zero[16], loop[16] = { [15] = 1 };
	if (!memcmp(a->a, zero, 16) || !memcmp(a->a, loop, 16) || a->a[0] == 0xff)
		return "not a unicast address";
	return NULL;
}

int vz_net_parse_hwaddr(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
				      &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

char *vz_net_addr_format(const struct vz_net_addr *a, bool with_prefix, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN] = "";
	if (!a->family || !inet_ntop(a->family, a->a, t, sizeof(t))) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	if (with_prefix)
		snprintf(buf, len, "%s/%u", t, a->prefix);
	else
		snprintf(buf, len, "%s", t);
	return buf;
}

char *vz_net_hwaddr_format(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* ---------------------------------------------------------- derived names */

/* FNV-1a, 64 bits: stable across builds and hosts (no seed). */
static uint64_t hash_parts(const char *a, const char *b, const char *c)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { a, b, c };
	for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
		for (const char *p = parts[i]; p && *p; p++) {
			h ^= (uint8_t)*p;
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff; /* separator: ("ab","c") differs from ("a","bc") */
		h *= 0x100000001b3ULL;
	}
	return h;
}

const char *vz_net_bridge(const struct vz_netif *n)
{
	return n->bridge[0] ? n->bridge : VZ_NET_DEFAULT_BRIDGE;
}

void vz_net_host_ifname(const char *container, size_t index, char buf[16])
{
	char idx[24];
	snprintf(idx, sizeof(idx), "%zu", index);
	uint32_t h = (uint32_t)(hash_parts(container, idx, "host-name") >> 32);
	snprintf(buf, 16, VZ_NET_HOST_PREFIX "%08x" "i%u", h, (unsigned)(index % 1000));
}

static void mac_from(uint64_t h, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
}

void vz_net_auto_hwaddr(const char *container, const char *ifname, uint8_t mac[6])
{
	mac_from(hash_parts(container, ifname, "hwaddr"), mac);
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02); /* unicast, locally administered */
}

void vz_net_host_hwaddr(const char *container, size_t index, uint8_t mac[6])
{
	char idx[24];
	snprintf(idx, sizeof(idx), "%zu", index);
	mac_from(hash_parts(container, idx, "host-hwaddr"), mac);
	/* fe:..: higher than any container side's 02-fe:.., so a bridge that
	 * takes its ports' lowest MAC never takes a veth's that comes and goes
	 * (as LXC does) */
	mac[0] = 0xfe;
}

void vz_net_hwaddr(const char *container, const struct vz_netif *n, uint8_t mac[6])
{
	if (n->hwaddr_set)
		memcpy(mac, n->hwaddr, 6);
	else
		vz_net_auto_hwaddr(container, n->name, mac);
}

void vz_net_host_alias(const char *container, const char *ifname, char *buf, size_t len)
{
	snprintf(buf, len, "vz:%s:%s", container, ifname);
}

/* ---------------------------------------------------------- the config list */

#define NET_KEYS \
	"type, bridge, parent, name, ipv4, gateway, ipv6, gateway6, hwaddr, mtu, rate_in, rate_out"

static const char *str_of(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
}

static int addr_key(const config_setting_t *s, bool prefix, int family, struct vz_net_addr *a,
		    char *why, size_t len)
{
	const char *v = str_of(s);
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	if (!v)
		return vz_why(why, len, "expected a string such as \"%s\"",
			       family == AF_INET ? (prefix ? "198.18.0.10/24" : "198.18.0.1")
						 : (prefix ? "fd42::10/64" : "fd42::1"));
	int r = vz_net_parse_addr(v, prefix, family, a);
	if (r == -ERANGE)
		return vz_why(why, len, "invalid prefix length in '%s' (1..%d)", v,
			       family == AF_INET ? 32 : 128), -ERANGE;
	if (r < 0)
		return vz_why(why, len, "invalid %s address '%s'%s", fam, v,
			       prefix && !strchr(v, '/') ? " (the prefix length is missing: "
							   "ADDRESS/PREFIX)"
							 : "");
	const char *bad = bad_host_addr(a);
	if (bad && !(family == AF_INET6 && !prefix && a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80))
		return vz_why(why, len, "'%s' is %s", v, bad);
	return 0;
}

/* Above 0, a rate tbf can keep: a bucket refill of at least one byte per ms. */
static int rate_low(uint64_t bps, char *why, size_t len)
{
	if (bps && bps < 8000)
		return vz_why(why, len, "%llu bit/s is too low (at least 8kbit, or 0 for no limit)",
			       (unsigned long long)bps), -ERANGE;
	return 0;
}

int vz_net_rate_from_string(const char *v, uint64_t *ret, char *why, size_t len)
{
	int r = streq(v, "none") ? (*ret = 0, 0) : parse_rate(v, ret);
	if (r == -ERANGE)
		return vz_why(why, len, "rate '%s' is too large", v), -ERANGE;
	if (r < 0)
		return vz_why(why, len, "invalid rate '%s' (tc's units, such as \"100mbit\" "
					 "or \"12mbps\" for bytes, or bits per second as "
					 "a number)", v);
	return rate_low(*ret, why, len);
}

static int rate_key(const config_setting_t *s, uint64_t *ret, char *why, size_t len)
{
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_STRING)
		return vz_net_rate_from_string(config_setting_get_string(s), ret, why, len);
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		return vz_why(why, len, "expected a rate such as \"100mbit\"");
	long long n = config_setting_get_int64(s);
	if (n < 0)
		return vz_why(why, len, "%lld is negative", n);
	*ret = (uint64_t)n;
	return rate_low(*ret, why, len);
}

static int one_key(const config_setting_t *s, struct vz_netif *n, char *why, size_t len)
{
	const char *name = config_setting_name(s);
	const char *v = str_of(s);
	if (streq(name, "type")) {
		int t = vz_net_type_from_string(v);
		if (t < 0)
			return vz_why(why, len, "expected \"veth\", \"none\" or \"macvlan\"");
		n->type = t;
	} else if (streq(name, "bridge") || streq(name, "name") || streq(name, "parent")) {
		if (!v || !vz_net_ifname_is_valid(v))
			return vz_why(why, len, "expected an interface name of 1-15 characters "
						 "without blanks, '/' or ':'");
		if (!streq(name, "bridge") && streq(v, "lo"))
			return vz_why(why, len, "'lo' is the loopback interface");
		snprintf(streq(name, "bridge") ? n->bridge
			 : streq(name, "name") ? n->name : n->parent, 16, "%s", v);
	} else if (streq(name, "ipv4") && v && streq(v, VZ_NET_DHCP)) {
		n->dhcp4 = true;
	} else if (streq(name, "ipv4") || streq(name, "gateway")) {
		return addr_key(s, streq(name, "ipv4"), AF_INET,
				streq(name, "ipv4") ? &n->ipv4 : &n->gateway, why, len);
	} else if (streq(name, "ipv6") || streq(name, "gateway6")) {
		return addr_key(s, streq(name, "ipv6"), AF_INET6,
				streq(name, "ipv6") ? &n->ipv6 : &n->gateway6, why, len);
	} else if (streq(name, "hwaddr")) {
		if (v && streq(v, "auto"))
			n->hwaddr_set = false;
		else if (!v || vz_net_parse_hwaddr(v, n->hwaddr) < 0)
			return vz_why(why, len, "expected \"auto\" or a MAC address such as "
						 "\"02:00:00:00:00:01\"");
		else if (n->hwaddr[0] & 1)
			return vz_why(why, len, "'%s' is a multicast address", v);
		else if (!(n->hwaddr[0] | n->hwaddr[1] | n->hwaddr[2] | n->hwaddr[3] |
			   n->hwaddr[4] | n->hwaddr[5]))
			return vz_why(why, len, "'%s' is not a valid MAC address", v);
		else
			n->hwaddr_set = true;
	} else if (streq(name, "mtu")) {
		int t = config_setting_type(s);
		long long m = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64
				      ? config_setting_get_int64(s) : -1;
		if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
			return vz_why(why, len, "expected an integer");
		if (m < 68 || m > 65535)
			return vz_why(why, len, "%lld is out of range (68..65535)", m), -ERANGE;
		n->mtu = (uint32_t)m;
	} else if (streq(name, "rate_in") || streq(name, "rate_out")) {
		return rate_key(s, streq(name, "rate_in") ? &n->rate_in : &n->rate_out, why, len);
	} else
		return vz_why(why, len, "unknown key (" NET_KEYS ")");
	return 0;
}

/* The checks between the keys of one element. */
static int element_checks(const struct vz_netif *n, char *why, size_t len)
{
	char a[64];
	if (n->gateway.family && n->dhcp4)
		return vz_why(why, len, ".gateway: not with ipv4 = \"dhcp\" (the DHCP server "
					 "gives the default route)");
	if (n->gateway.family && !n->ipv4.family)
		return vz_why(why, len, ".gateway: needs ipv4");
	if (n->gateway6.family && !n->ipv6.family)
		return vz_why(why, len, ".gateway6: needs ipv6");
	if (n->gateway.family && !same_subnet(&n->ipv4, &n->gateway))
		return vz_why(why, len, ".gateway: %s is not in the subnet of ipv4 %s",
			       vz_net_addr_format(&n->gateway, false, a, sizeof(a)),
			       vz_net_addr_format(&n->ipv4, true, a + 32, sizeof(a) - 32));
	if (n->gateway.family && !memcmp(n->gateway.a, n->ipv4.a, 4))
		return vz_why(why, len, ".gateway: the interface's own address");
	if (n->gateway6.family && !memcmp(n->gateway6.a, n->ipv6.a, 16))
		return vz_why(why, len, ".gateway6: the interface's own address");
	/* a link-local gateway is on every link; any other must be on this one */
	bool ll = n->gateway6.a[0] == 0xfe && (n->gateway6.a[1] & 0xc0) == 0x80;
	if (n->gateway6.family && !ll && !same_subnet(&n->ipv6, &n->gateway6)) {
		char b[64];
		return vz_why(why, len, ".gateway6: %s is not in the subnet of ipv6 %s",
			       vz_net_addr_format(&n->gateway6, false, a, sizeof(a)),
			       vz_net_addr_format(&n->ipv6, true, b, sizeof(b)));
	}
	return 0;
}

/* The keys that go with the type: a macvlan has a parent and no host
 * side (so no bridge, and no host-side veth to shape); a veth no parent. */
static int macvlan_keys(const config_setting_t *g, const struct vz_netif *n, char *why,
			size_t len)
{
	if (n->type != VZ_NET_MACVLAN) {
		if (config_setting_get_member(g, "parent"))
			return vz_why(why, len, ".parent: only for type \"macvlan\" (a veth is on "
						 "a bridge)");
		return 0;
	}
	if (!n->parent[0])
		return vz_why(why, len, ".parent: type \"macvlan\" needs the host interface "
					 "to sit on, such as parent = \"eth1\"");
	if (config_setting_get_member(g, "bridge"))
		return vz_why(why, len, ".bridge: not for type \"macvlan\" (it sits on its "
					 "parent)");
	static const char *const rates[] = { "rate_in", "rate_out" };
	for (size_t i = 0; i < ELEMENTSOF(rates); i++)
		if (config_setting_get_member(g, rates[i]))
			return vz_why(why, len, ".%s: not for type \"macvlan\": a limit is set on "
						 "a host-side veth, which a macvlan does not have",
				       rates[i]);
	return 0;
}

static int element(const config_setting_t *g, size_t index, struct vz_netif *n, char *why,
		   size_t len)
{
	if (!config_setting_is_group(g))
		return vz_why(why, len, ": expected a group such as { bridge = \"vzbr0\"; "
					 "ipv4 = \"198.18.0.10/24\"; }");
	*n = (struct vz_netif){ .type = VZ_NET_VETH };
	snprintf(n->name, sizeof(n->name), "eth%zu", index);
	int cnt = config_setting_length(g);
	for (int i = 0; i < cnt; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		char sub[200] = "";
		int r = one_key(s, n, sub, sizeof(sub));
		if (r < 0)
			return vz_why(why, len, ".%s: %s", config_setting_name(s), sub), r;
	}
	if (n->type == VZ_NET_NONE && cnt > 1)
		return vz_why(why, len, ".type: \"none\" takes no other key");
	int r = macvlan_keys(g, n, why, len);
	if (r < 0)
		return r;
	return element_checks(n, why, len);
}

/* Checks across elements: one "none" alone, names and addresses unique. */
static int list_checks(const struct vz_netif *l, size_t n, char *why, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (l[i].type == VZ_NET_NONE && n > 1)
			return vz_why(why, len, "[%zu].type: \"none\" must be the only element", i);
		for (size_t j = 0; j < i; j++) {
			if (streq(l[i].name, l[j].name))
				return vz_why(why, len, "[%zu].name: '%s' is network[%zu]'s name too",
					       i, l[i].name, j);
			if (l[i].ipv4.family && !memcmp(l[i].ipv4.a, l[j].ipv4.a, 4) &&
			    l[j].ipv4.family)
				return vz_why(why, len, "[%zu].ipv4: network[%zu] has that address",
					       i, j);
			if (l[i].ipv6.family && l[j].ipv6.family &&
			    !memcmp(l[i].ipv6.a, l[j].ipv6.a, 16))
				return vz_why(why, len, "[%zu].ipv6: network[%zu] has that address",
					       i, j);
			/* the kernel refuses a second macvlan with one MAC on a parent */
			if (l[i].type == VZ_NET_MACVLAN && l[j].type == VZ_NET_MACVLAN &&
			    streq(l[i].parent, l[j].parent) && l[i].hwaddr_set && l[j].hwaddr_set &&
			    !memcmp(l[i].hwaddr, l[j].hwaddr, 6))
				return vz_why(why, len, "[%zu].hwaddr: network[%zu] has that MAC on "
						       "parent '%s'", i, j, l[i].parent);
		}
	}
	return 0;
}

int vz_net_list_from_config(const config_setting_t *s, struct vz_spec *spec, char *why,
			    size_t len)
{
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
		return vz_why(why, len, "expected a list such as ( { bridge = \"vzbr0\"; "
					 "ipv4 = \"198.18.0.10/24\"; } )");
	int cnt = config_setting_length(s);
	if (cnt > VZ_NET_MAX)
		return vz_why(why, len, "%d interfaces, at most %d", cnt, VZ_NET_MAX), -ERANGE;
	_cleanup_free_ struct vz_netif *l = cnt ? calloc((size_t)cnt, sizeof(*l)) : NULL;
	if (cnt && !l)
		return -ENOMEM;
	for (int i = 0; i < cnt; i++) {
		char sub[400] = "";
		int r = element(config_setting_get_elem(s, (unsigned)i), (size_t)i, &l[i], sub,
				sizeof(sub));
		if (r < 0)
			return vz_why(why, len, "[%d]%s", i, sub), r;
	}
	int r = list_checks(l, (size_t)cnt, why, len);
	if (r < 0)
		return r;
	/* "none" alone is the same as no interface */
	size_t n = cnt == 1 && l[0].type == VZ_NET_NONE ? 0 : (size_t)cnt;
	free(spec->net);
	spec->net = n ? TAKE_PTR(l) : NULL;
	spec->n_net = n;
	return 0;
}

int vz_net_nameservers_check(char **l, char *why, size_t len)
{
	size_t n = 0;
	for (char **e = l; e && *e; e++) {
		struct vz_net_addr a;
		char buf[64];
		if (vz_net_parse_addr(*e, false, 0, &a) < 0)
			return vz_why(why, len, "'%s' is not an IPv4 or IPv6 address", *e);
		if (++n > 3)
			return vz_why(why, len, "%zu addresses, at most 3 (resolv.conf's limit)", n),
			       -ERANGE;
		char *c = strdup(vz_net_addr_format(&a, false, buf, sizeof(buf)));
		if (!c)
			return -ENOMEM;
		free(*e);
		*e = c;
	}
	return 0;
}

/* One interface of the one-line form: "bridge=vzbr0,ipv4=198.18.0.10/24". */
static int set_entry(config_setting_t *g, char *entry, char *why, size_t len)
{
	char *save = NULL;
	for (char *kv = strtok_r(entry, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			return vz_why(why, len, "'%s': want KEY=VALUE (" NET_KEYS ")", kv);
		*eq = 0;
		if (config_setting_get_member(g, kv))
			return vz_why(why, len, "'%s' is given twice", kv);
		uint64_t v;
		bool num = streq(kv, "mtu") && parse_u64(eq + 1, &v) >= 0 && v <= INT32_MAX;
		config_setting_t *s = config_setting_add(g, kv, num ? CONFIG_TYPE_INT
								  : CONFIG_TYPE_STRING);
		if (!s)
			return vz_why(why, len, "'%s': not a valid key name", kv);
		if (num)
			config_setting_set_int(s, (int)v);
		else
			config_setting_set_string(s, eq + 1);
	}
	return 0;
}

int vz_net_list_set_string(config_setting_t *list, const char *value, char *why, size_t len)
{
	if (!*value || streq(value, "none"))
		return 0;
	_cleanup_strv_free_ char **entries = strv_split(value, " \t;");
	if (!entries)
		return -ENOMEM;
	STRV_FOREACH (e, entries) {
		_cleanup_free_ char *copy = strdup(*e);
		config_setting_t *g = config_setting_add(list, NULL, CONFIG_TYPE_GROUP);
		if (!copy || !g)
			return -ENOMEM;
		int r = set_entry(g, copy, why, len);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------- run/NAME/net */

int vz_net_recs_from_spec(const struct vz_spec *spec, struct vz_net_rec **ret, size_t *n)
{
	*ret = NULL;
	*n = 0;
	if (!spec->n_net)
		return 0;
	struct vz_net_rec *r = calloc(spec->n_net, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < spec->n_net; i++) {
		const struct vz_netif *f = &spec->net[i];
		uint8_t mac[6];
		r[i].type = f->type;
		snprintf(r[i].name, sizeof(r[i].name), "%s", f->name);
		vz_net_hwaddr(spec->name, f, mac);
		vz_net_hwaddr_format(mac, r[i].hwaddr);
		if (f->type == VZ_NET_MACVLAN) {
			snprintf(r[i].parent, sizeof(r[i].parent), "%s", f->parent);
		} else {
			vz_net_host_ifname(spec->name, i, r[i].host);
			snprintf(r[i].bridge, sizeof(r[i].bridge), "%s", vz_net_bridge(f));
			vz_net_host_hwaddr(spec->name, i, mac);
			vz_net_hwaddr_format(mac, r[i].host_hwaddr);
		}
		if (f->dhcp4)
			snprintf(r[i].ipv4, sizeof(r[i].ipv4), "%s", VZ_NET_DHCP);
		else
			vz_net_addr_format(&f->ipv4, true, r[i].ipv4, sizeof(r[i].ipv4));
		vz_net_addr_format(&f->ipv6, true, r[i].ipv6, sizeof(r[i].ipv6));
	}
	*ret = r;
	*n = spec->n_net;
	return 0;
}

const char *vz_net_rec_segment(const struct vz_net_rec *r)
{
	return r->type == VZ_NET_MACVLAN ? r->parent : r->bridge;
}

char *vz_net_recs_format(const struct vz_net_rec *r, size_t n)
{
	char *out = strdup("");
	for (size_t i = 0; out && i < n; i++) {
		/* a veth's line is as it always was: older readers parse it */
		char head[96];
		if (r[i].type == VZ_NET_MACVLAN)
			snprintf(head, sizeof(head), "type=macvlan parent=%s hwaddr=%s", r[i].parent,
				 r[i].hwaddr);
		else
			snprintf(head, sizeof(head), "host=%s bridge=%s hwaddr=%s host_hwaddr=%s",
				 r[i].host, r[i].bridge, r[i].hwaddr, r[i].host_hwaddr);
		char *line = strdup_printf("%s%s %s%s%s%s%s\n", out, r[i].name, head,
					   *r[i].ipv4 ? " ipv4=" : "", r[i].ipv4,
					   *r[i].ipv6 ? " ipv6=" : "", r[i].ipv6);
		free(out);
		out = line;
	}
	return out;
}

static bool parse_line(char *line, struct vz_net_rec *r)
{
	*r = (struct vz_net_rec){ 0 };
	static const struct {
		const char *key;
		size_t off, size;
	} fields[] = {
#define F(k, f) { k "=", offsetof(struct vz_net_rec, f), sizeof(((struct vz_net_rec *)0)->f) }
		F("host", host), F("bridge", bridge), F("hwaddr", hwaddr),
		F("host_hwaddr", host_hwaddr), F("ipv4", ipv4), F("ipv6", ipv6),
		F("parent", parent),
#undef F
	};
	char *save = NULL, *tok = strtok_r(line, " \t", &save);
	if (!tok || !vz_net_ifname_is_valid(tok))
		return false;
	snprintf(r->name, sizeof(r->name), "%s", tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		/* no type=: a veth (the lines of older versions) */
		if (startswith(tok, "type=")) {
			int t = vz_net_type_from_string(tok + 5);
			if (t < 0 || t == VZ_NET_NONE)
				return false;
			r->type = t;
		}
		for (size_t i = 0; i < ELEMENTSOF(fields); i++)
			if (startswith(tok, fields[i].key))
				snprintf((char *)r + fields[i].off, fields[i].size, "%s",
					 tok + strlen(fields[i].key));
	}
	return vz_net_ifname_is_valid(r->type == VZ_NET_MACVLAN ? r->parent : r->host);
}

int vz_net_recs_parse(const char *text, struct vz_net_rec **ret, size_t *n)
{
	_cleanup_strv_free_ char **lines = strv_split(text, "\n");
	if (!lines)
		return -ENOMEM;
	struct vz_net_rec *r = calloc(strv_length(lines) + 1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	size_t k = 0;
	STRV_FOREACH (l, lines)
		if (parse_line(*l, &r[k]))
			k++;
	*ret = r;
	*n = k;
	return 0;
}

int vz_net_recs_read(const struct vz_global *g, const char *name, struct vz_net_rec **ret,
		     size_t *n)
{
	_cleanup_free_ char *run = vz_path(g, name, VZ_PATH_RUN);
	_cleanup_free_ char *p = run ? path_join(run, "net") : NULL;
	_cleanup_free_ char *text = NULL;
	if (!p)
		return -ENOMEM;
	int r = read_file(p, &text, NULL);
	if (r < 0)
		return r;
	return vz_net_recs_parse(text, ret, n);
}
