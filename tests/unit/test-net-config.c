/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-net-config: "network" and "nameservers" (net.h): a good list, the
 * exact "file:line: key 'network[N].key': reason" messages for bad ones,
 * the parsers, the names and MACs derived from the container's name, and
 * the run/NAME/net record round trip.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>

#include "config.h"
#include "fs-util.h"
#include "net.h"
#include "tap.h"

static char *top;

#define BASE                                                                                       \
	"template = \"busybox\";\n"                                                                \
	"rootfs = { lower = \"busybox/1.36/rootfs\"; };\n"                                         \
	"idmap = { uid = 100000; gid = 100000; };\n"

static struct vz_spec *load(struct vz_global *g, const char *name, const char *text, vz_err *err)
{
	_cleanup_free_ char *p = path_join(top, "config");
	if (write_file(p, text, O_CREAT | O_TRUNC) < 0)
		printf("# cannot write %s\n", p);
	struct vz_spec *s = NULL;
	if (vz_spec_load_file(g, p, name, &s, err) < 0)
		return NULL;
	return s;
}

static void good_file(struct vz_global *g)
{
	vz_err err = { 0 };
	struct vz_spec *s = load(
		g, "c1",
		BASE "network = ( { type = \"veth\"; bridge = \"vzbr0\"; name = \"eth0\";\n"
		     "  ipv4 = \"198.18.0.10/24\"; gateway = \"198.18.0.1\"; ipv6 = \"fd42::10/64\";\n"
		     "  gateway6 = \"fd42::1\"; hwaddr = \"auto\"; mtu = 1500; rate_in = \"100mbit\";\n"
		     "  rate_out = \"10mbit\"; },\n"
		     "  { bridge = \"br1\"; hwaddr = \"02:00:00:00:00:01\"; rate_in = 8000; } );\n"
		     "nameservers = [ \"198.18.0.1\", \"FD42:0::1\" ];\n",
		&err);
	ok(s != NULL, "the example loads: %s", err.msg);
	if (!s)
		return;
	is_int(s->n_net, 2, "two interfaces");
	const struct vz_netif *n = &s->net[0];
	is_int(n->type, VZ_NET_VETH, "type veth");
	is_str(n->name, "eth0", "name");
	is_str(vz_net_bridge(n), "vzbr0", "bridge");
	char b[64];
	is_str(vz_net_addr_format(&n->ipv4, true, b, sizeof(b)), "198.18.0.10/24", "ipv4");
	is_str(vz_net_addr_format(&n->gateway, false, b, sizeof(b)), "198.18.0.1", "gateway");
	is_str(vz_net_addr_format(&n->ipv6, true, b, sizeof(b)), "fd42::10/64", "ipv6");
	is_str(vz_net_addr_format(&n->gateway6, false, b, sizeof(b)), "fd42::1", "gateway6");
	ok(!n->hwaddr_set && n->mtu == 1500, "hwaddr auto, mtu");
	ok(n->rate_in == 100000000ULL && n->rate_out == 10000000ULL, "rates in bit/s");
	n = &s->net[1];
	is_str(n->name, "eth1", "default name ethN");
	ok(n->hwaddr_set && n->hwaddr[5] == 1, "fixed hwaddr");
	ok(n->rate_in == 8000 && !n->ipv4.family && !n->mtu, "integer rate; no address");
	is_str(s->nameservers[1], "fd42::1", "nameserver in canonical form");

	/* the record a monitor would write, and back */
	struct vz_net_rec *recs = NULL, *back = NULL;
	size_t nr = 0, nb = 0;
	ok(vz_net_recs_from_spec(s, &recs, &nr) == 0 && nr == 2, "records from the spec");
	_cleanup_free_ char *text = vz_net_recs_format(recs, nr);
	ok(text && vz_net_recs_parse(text, &back, &nb) == 0 && nb == 2, "record parses: %s",
	   text ? text : "");
	ok(back && !memcmp(recs, back, 2 * sizeof(*recs)), "record round trip");
	ok(back && !*back[1].ipv4 && back[0].host[0] == 'v', "empty fields stay empty");
	free(recs);
	free(back);
	vz_spec_free(s);

	s = load(g, "c2", BASE "network = ( { type = \"none\"; } );\n", &err);
	ok(s && s->n_net == 0, "type none: no interface");
	vz_spec_free(s);
	s = load(g, "c2", BASE, &err);
	ok(s && s->n_net == 0 && !s->nameservers, "no network key: no interface");
	vz_spec_free(s);
}

static void bad_file(struct vz_global *g, const char *net, const char *msg)
{
	_cleanup_free_ char *text = strdup_printf(BASE "%s\n", net);
	_cleanup_free_ char *want = strdup_printf("%s/config:4: %s", top, msg);
	vz_err err = { 0 };
	struct vz_spec *s = load(g, "c", text, &err);
	ok(s == NULL, "refused: %s", net);
	is_str(err.msg, want, "message");
	vz_spec_free(s);
}

#define NET(x) "network = ( { " x " } );"

static void bad_files(struct vz_global *g)
{
	bad_file(g, NET("ipv4 = \"198.18.0.300/24\";"),
		 "key 'network[0].ipv4': invalid IPv4 address '198.18.0.300/24'");
	bad_file(g, NET("ipv4 = \"198.18.0.10\";"),
		 "key 'network[0].ipv4': invalid IPv4 address '198.18.0.10' (the prefix length "
		 "is missing: ADDRESS/PREFIX)");
	bad_file(g, NET("ipv4 = \"198.18.0.10/33\";"),
		 "key 'network[0].ipv4': invalid prefix length in '198.18.0.10/33' (1..32)");
	bad_file(g, NET("ipv4 = \"198.18.0.0/24\";"),
		 "key 'network[0].ipv4': '198.18.0.0/24' is the network address of its subnet");
	bad_file(g, NET("ipv4 = \"fd42::1/64\";"),
		 "key 'network[0].ipv4': invalid IPv4 address 'fd42::1/64'");
	bad_file(g, NET("ipv4 = \"dhcp\"; gateway = \"198.18.0.1\";"),
		 "key 'network[0].gateway': not with ipv4 = \"dhcp\" (the DHCP server gives the "
		 "default route)");
	bad_file(g, NET("ipv4 = \"DHCP\";"), "key 'network[0].ipv4': invalid IPv4 address 'DHCP' "
					      "(the prefix length is missing: ADDRESS/PREFIX)");
	bad_file(g, NET("ipv4 = \"198.18.0.10/24\"; gateway = \"198.18.1.1\";"),
		 "key 'network[0].gateway': 198.18.1.1 is not in the subnet of ipv4 198.18.0.10/24");
	bad_file(g, NET("gateway = \"198.18.1.1\";"), "key 'network[0].gateway': needs ipv4");
	bad_file(g, NET("ipv6 = \"fd42::10/64\"; gateway6 = \"fd43::1\";"),
		 "key 'network[0].gateway6': fd43::1 is not in the subnet of ipv6 fd42::10/64");
	bad_file(g, NET("ipv6 = \"fd42::10/129\";"),
		 "key 'network[0].ipv6': invalid prefix length in 'fd42::10/129' (1..128)");
	bad_file(g, NET("name = \"a-very-long-name0\";"),
		 "key 'network[0].name': expected an interface name of 1-15 characters without "
		 "blanks, '/' or ':'");
	bad_file(g, NET("name = \"lo\";"), "key 'network[0].name': 'lo' is the loopback interface");
	bad_file(g, NET("bridge = \"a b\";"),
		 "key 'network[0].bridge': expected an interface name of 1-15 characters without "
		 "blanks, '/' or ':'");
	bad_file(g, NET("mtu = 67;"), "key 'network[0].mtu': 67 is out of range (68..65535)");
	bad_file(g, NET("mtu = 65536;"), "key 'network[0].mtu': 65536 is out of range (68..65535)");
	bad_file(g, NET("hwaddr = \"01:00:00:00:00:01\";"),
		 "key 'network[0].hwaddr': '01:00:00:00:00:01' is a multicast address");
	bad_file(g, NET("hwaddr = \"02:00:00:00:00\";"),
		 "key 'network[0].hwaddr': expected \"auto\" or a MAC address such as "
		 "\"02:00:00:00:00:01\"");
	bad_file(g, NET("rate_in = \"fast\";"),
		 "key 'network[0].rate_in': invalid rate 'fast' (tc's units, such as \"100mbit\" "
		 "or \"12mbps\" for bytes, or bits per second as a number)");
	bad_file(g, NET("rate_out = \"10M\";"),
		 "key 'network[0].rate_out': invalid rate '10M' (tc's units, such as \"100mbit\" "
		 "or \"12mbps\" for bytes, or bits per second as a number)");
	bad_file(g, NET("type = \"macvlan\";"),
		 "key 'network[0].parent': type \"macvlan\" needs the host interface to sit on, "
		 "such as parent = \"eth1\"");
	bad_file(g, NET("type = \"macvlan\"; parent = \"eth1\"; bridge = \"vzbr0\";"),
		 "key 'network[0].bridge': not for type \"macvlan\" (it sits on its parent)");
	bad_file(g, NET("parent = \"eth1\"; type = \"macvlan\"; rate_in = \"10mbit\";"),
		 "key 'network[0].rate_in': not for type \"macvlan\": a limit is set on a "
		 "host-side veth, which a macvlan does not have");
	bad_file(g, NET("type = \"macvlan\"; parent = \"eth1\"; rate_out = 0;"),
		 "key 'network[0].rate_out': not for type \"macvlan\": a limit is set on a "
		 "host-side veth, which a macvlan does not have");
	bad_file(g, NET("parent = \"eth1\";"),
		 "key 'network[0].parent': only for type \"macvlan\" (a veth is on a bridge)");
	bad_file(g, NET("type = \"veth\"; parent = \"eth1\";"),
		 "key 'network[0].parent': only for type \"macvlan\" (a veth is on a bridge)");
	bad_file(g, NET("type = \"macvlan\"; parent = \"a b\";"),
		 "key 'network[0].parent': expected an interface name of 1-15 characters without "
		 "blanks, '/' or ':'");
	bad_file(g, NET("type = \"macvlan\"; parent = \"lo\";"),
		 "key 'network[0].parent': 'lo' is the loopback interface");
	bad_file(g, NET("type = \"macvlan\"; parent = 1;"),
		 "key 'network[0].parent': expected an interface name of 1-15 characters without "
		 "blanks, '/' or ':'");
	bad_file(g, NET("type = \"none\"; parent = \"eth1\";"),
		 "key 'network[0].type': \"none\" takes no other key");
	bad_file(g, "network = ( { type = \"macvlan\"; parent = \"eth1\"; hwaddr = "
		    "\"02:00:00:00:00:07\"; }, { type = \"macvlan\"; parent = \"eth1\"; hwaddr = "
		    "\"02:00:00:00:00:07\"; } );",
		 "key 'network[1].hwaddr': network[0] has that MAC on parent 'eth1'");
	bad_file(g, "network = ( { type = \"macvlan\"; parent = \"eth1\"; ipv4 = "
		    "\"198.18.0.2/24\"; }, { ipv4 = \"198.18.0.2/24\"; } );",
		 "key 'network[1].ipv4': network[0] has that address");
	bad_file(g, NET("type = \"tap\";"),
		 "key 'network[0].type': expected \"veth\", \"none\" or \"macvlan\"");
	bad_file(g, NET("colour = 1;"),
		 "key 'network[0].colour': unknown key (type, bridge, parent, name, ipv4, gateway, "
		 "ipv6, gateway6, hwaddr, mtu, rate_in, rate_out)");
	bad_file(g, "network = ( { }, { name = \"eth0\"; } );",
		 "key 'network[1].name': 'eth0' is network[0]'s name too");
	bad_file(g, "network = ( { ipv4 = \"198.18.0.2/24\"; }, { ipv4 = \"198.18.0.2/16\"; } );",
		 "key 'network[1].ipv4': network[0] has that address");
	bad_file(g, "network = ( { type = \"none\"; }, { } );",
		 "key 'network[0].type': \"none\" must be the only element");
	bad_file(g, "network = { ipv4 = \"198.18.0.2/24\"; };",
		 "key 'network': expected a list such as ( { bridge = \"vzbr0\"; ipv4 = "
		 "\"198.18.0.10/24\"; } )");
	bad_file(g, "nameservers = [ \"198.18.0.1\", \"x\" ];",
		 "key 'nameservers': 'x' is not an IPv4 or IPv6 address");
	bad_file(g, "nameservers = [ \"1.1.1.1\", \"1.1.1.2\", \"1.1.1.3\", \"1.1.1.4\" ];",
		 "key 'nameservers': 4 addresses, at most 3 (resolv.conf's limit)");
}

/* type "macvlan": parent, no host side; its record and the old veth lines */
static void macvlan(struct vz_global *g)
{
	vz_err err = { 0 };
	struct vz_spec *s = load(
		g, "m1",
		BASE "network = ( { type = \"macvlan\"; parent = \"eth1\"; name = \"eth0\";\n"
		     "  ipv4 = \"198.18.0.10/24\"; gateway = \"198.18.0.1\"; ipv6 = \"fd42::10/64\";\n"
		     "  hwaddr = \"auto\"; mtu = 1400; },\n"
		     "  { type = \"macvlan\"; parent = \"eth1\"; hwaddr = \"02:00:00:00:00:07\"; },\n"
		     "  { parent = \"eth2\"; type = \"macvlan\"; hwaddr = \"02:00:00:00:00:07\"; },\n"
		     "  { bridge = \"br1\"; ipv4 = \"198.18.1.10/24\"; } );\n",
		&err);
	ok(s != NULL, "a macvlan config loads: %s", err.msg);
	if (!s)
		return;
	is_int(s->n_net, 4, "four interfaces");
	const struct vz_netif *n = &s->net[0];
	ok(n->type == VZ_NET_MACVLAN && streq(n->parent, "eth1") && streq(n->name, "eth0") &&
		   n->mtu == 1400 && !n->hwaddr_set && !n->bridge[0],
	   "type, parent, name, mtu, auto MAC, no bridge");
	ok(s->net[2].type == VZ_NET_MACVLAN && streq(s->net[2].parent, "eth2"),
	   "parent before type; one MAC on two parents");
	ok(s->net[3].type == VZ_NET_VETH && !s->net[3].parent[0], "a veth next to them");

	struct vz_net_rec *recs = NULL, *back = NULL;
	size_t nr = 0, nb = 0;
	ok(vz_net_recs_from_spec(s, &recs, &nr) == 0 && nr == 4, "records");
	ok(recs && recs[0].type == VZ_NET_MACVLAN && !recs[0].host[0] && !recs[0].bridge[0] &&
		   !recs[0].host_hwaddr[0] && streq(recs[0].parent, "eth1"),
	   "a macvlan's record: parent, no host side");
	uint8_t mac[6];
	char buf[18];
	vz_net_auto_hwaddr("m1", "eth0", mac);
	ok(recs && streq(recs[0].hwaddr, vz_net_hwaddr_format(mac, buf)), "its auto MAC");
	is_str(recs ? vz_net_rec_segment(&recs[0]) : NULL, "eth1", "segment of a macvlan: parent");
	is_str(recs ? vz_net_rec_segment(&recs[3]) : NULL, "br1", "segment of a veth: bridge");
	_cleanup_free_ char *text = vz_net_recs_format(recs, nr);
	char host[16];
	vz_net_host_ifname("m1", 3, host);
	_cleanup_free_ char *want_m = strdup_printf("eth0 type=macvlan parent=eth1 hwaddr=%s "
						    "ipv4=198.18.0.10/24 ipv6=fd42::10/64\n", buf);
	_cleanup_free_ char *want_v = strdup_printf("\neth3 host=%s bridge=br1 hwaddr=", host);
	ok(text && startswith(text, want_m), "macvlan line: %s", want_m);
	has_str(text, want_v, "veth line as before");
	ok(text && vz_net_recs_parse(text, &back, &nb) == 0 && nb == 4, "records parse back");
	ok(back && !memcmp(recs, back, 4 * sizeof(*recs)), "round trip");
	free(recs);
	free(back);
	vz_spec_free(s);

	/* lines of older versions (no type=), and bad ones skipped */
	ok(vz_net_recs_parse("eth0 host=vz01234567i0 bridge=vzbr0 hwaddr=02:00:00:00:00:01 "
			     "host_hwaddr=fe:00:00:00:00:01 ipv4=198.18.0.5/24\n"
			     "eth1 type=macvlan hwaddr=02:00:00:00:00:02\n"
			     "eth2 type=bogus parent=eth1\n"
			     "eth3 type=none host=vz01234567i3\n",
			     &back, &nb) == 0 && nb == 1,
	   "an old veth line parses; a macvlan without parent, an unknown type are skipped");
	ok(back && back[0].type == VZ_NET_VETH && streq(back[0].bridge, "vzbr0") &&
		   streq(back[0].ipv4, "198.18.0.5/24"),
	   "... as a veth");
	free(back);
}

/* vz create -c network=...: the one-line form */
static void one_line(void)
{
	config_t cfg;
	config_init(&cfg);
	vz_err err = { 0 };
	ok(vz_config_set(&cfg, "network", "bridge=br1,ipv4=198.18.0.2/24,mtu=1400 name=eth5", &err) ==
		   0,
	   "network=...: two interfaces: %s", err.msg);
	struct vz_spec s;
	char why[256] = "";
	vz_spec_init(&s, "x");
	const config_setting_t *l = config_lookup(&cfg, "network");
	ok(l && vz_net_list_from_config(l, &s, why, sizeof(why)) == 0 && s.n_net == 2,
	   "... loads back: %s", why);
	ok(s.n_net == 2 && s.net[0].mtu == 1400 && streq(s.net[1].name, "eth5") &&
		   streq(s.net[0].bridge, "br1"),
	   "... with its values");
	vz_spec_done(&s);
	ok(vz_config_set(&cfg, "network", "none", &err) == 0 && config_lookup(&cfg, "network") &&
		   config_setting_length(config_lookup(&cfg, "network")) == 0,
	   "network=none: an empty list");
	ok(vz_config_set(&cfg, "network", "type=macvlan,parent=eth1,ipv4=198.18.0.3/24", &err) == 0,
	   "network=type=macvlan,parent=eth1: %s", err.msg);
	vz_spec_init(&s, "x");
	l = config_lookup(&cfg, "network");
	ok(l && vz_net_list_from_config(l, &s, why, sizeof(why)) == 0 && s.n_net == 1 &&
		   s.net[0].type == VZ_NET_MACVLAN && streq(s.net[0].parent, "eth1"),
	   "... loads back as a macvlan: %s", why);
	vz_spec_done(&s);
	ok(vz_config_set(&cfg, "network", "type=macvlan,parent=eth1,rate_in=1mbit", &err) < 0,
	   "network=type=macvlan,...,rate_in= refused");
	has_str(err.msg, "rate_in': not for type \"macvlan\"", "... message");
	ok(vz_config_set(&cfg, "network", "mtu=9", &err) < 0, "network=mtu=9 refused");
	is_str(err.msg, "key 'network[0].mtu': 9 is out of range (68..65535)", "... message");
	ok(vz_config_set(&cfg, "network", "bogus", &err) < 0, "network=bogus refused");
	has_str(err.msg, "key 'network': 'bogus': want KEY=VALUE", "... message");
	ok(vz_config_set(&cfg, "network+", "ipv4=198.18.0.2/24", &err) < 0, "network+= refused");
	config_destroy(&cfg);
}

/* ipv4 = "dhcp": no address of vz's, recorded as "dhcp"; what networkd is
 * told for it and for a static interface; ifupdown's stanzas. */
static void dhcp(struct vz_global *g)
{
	vz_err err = { 0 };
	struct vz_spec *s = load(
		g, "c3",
		BASE "network = ( { bridge = \"br1\"; ipv4 = \"dhcp\"; ipv6 = \"fd42::10/64\"; },\n"
		     "  { name = \"eth7\"; ipv4 = \"198.18.0.10/24\"; gateway = \"198.18.0.1\"; },\n"
		     "  { name = \"eth8\"; } );\n",
		&err);
	ok(s != NULL, "ipv4 = \"dhcp\" with a static ipv6 loads: %s", err.msg);
	if (!s)
		return;
	ok(s->net[0].dhcp4 && !s->net[0].ipv4.family && s->net[0].ipv6.family,
	   "dhcp: no IPv4 address of vz's, the IPv6 one kept");
	ok(!s->net[1].dhcp4, "a static one is not dhcp");
	struct vz_net_rec *recs = NULL, *back = NULL;
	size_t nr = 0, nb = 0;
	ok(vz_net_recs_from_spec(s, &recs, &nr) == 0 && nr == 3, "records");
	is_str(recs ? recs[0].ipv4 : "", "dhcp", "recorded as ipv4=dhcp");
	_cleanup_free_ char *text = vz_net_recs_format(recs, nr);
	ok(text && vz_net_recs_parse(text, &back, &nb) == 0 && nb == 3 &&
		   streq(back[0].ipv4, "dhcp"),
	   "and read back");
	free(recs);
	free(back);

	_cleanup_free_ char *t0 = NULL, *t1 = NULL, *t2 = NULL;
	ok(vz_net_networkd_text(s, 0, &t0) == 0 && t0, "networkd file for the dhcp interface");
	has_str(t0, "\n[Match]\nName=eth0\n", "... matches eth0");
	has_str(t0, "\nDHCP=ipv4\n", "... DHCP=ipv4");
	has_str(t0, "\n[Address]\nDuplicateAddressDetection=none\nAddress=fd42::10/64\n",
		"... the static IPv6 address, as vz adds it");
	ok(!strstr(t0, "Address=198") && !strstr(t0, "Gateway=") && !strstr(t0, "IPv6AcceptRA"),
	   "... no IPv4 address, no gateway, router advertisements as networkd's default");
	ok(vz_net_networkd_text(s, 1, &t1) == 0 && t1, "networkd file for the static interface");
	has_str(t1, "\n[Network]\nIPv6AcceptRA=no\nAddress=198.18.0.10/24\nGateway=198.18.0.1\n"
		    "# the addresses vz configured stay when networkd starts or restarts\n"
		    "KeepConfiguration=static\n",
		"... vz's address and route, kept");
	ok(!strstr(t1, "DHCP"), "... no DHCP");
	has_str(t1, "vz info c3 names the file", "... says where to change it");
	ok(vz_net_networkd_text(s, 2, &t2) == 0 && !t2, "no file for an interface without addresses");
	vz_spec_free(s);

	const char *ifs = "source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n"
			  "allow-hotplug eth0\n  iface eth0 inet dhcp\n# iface eth1 inet dhcp\n";
	ok(vz_net_ifupdown_has(ifs, "eth0"), "ifupdown: an iface eth0 stanza");
	ok(!vz_net_ifupdown_has(ifs, "eth1"), "ifupdown: a comment is none");
	ok(!vz_net_ifupdown_has(ifs, "eth"), "ifupdown: the whole name");
}

static void derived(void)
{
	char a[16], b[16], c[16];
	vz_net_host_ifname("web1", 0, a);
	vz_net_host_ifname("web1", 0, b);
	vz_net_host_ifname("web2", 0, c);
	is_str(a, b, "host name is stable");
	ok(strcmp(a, c) != 0, "host names differ between containers");
	ok(strlen(a) <= 15 && !strncmp(a, "vz", 2) && !strcmp(a + 10, "i0"), "host name '%s'", a);
	vz_net_host_ifname("a-container-name-of-the-maximum-length-sixty-three-characters-x", 31, a);
	ok(strlen(a) <= 15 && vz_net_ifname_is_valid(a), "index 31: '%s' fits", a);
	uint8_t m1[6], m2[6], m3[6];
	vz_net_auto_hwaddr("web1", "eth0", m1);
	vz_net_auto_hwaddr("web1", "eth0", m2);
	vz_net_auto_hwaddr("web2", "eth0", m3);
	ok(!memcmp(m1, m2, 6) && memcmp(m1, m3, 6), "auto MAC stable, differs between containers");
	ok((m1[0] & 3) == 2, "auto MAC: unicast, locally administered");
	vz_net_host_hwaddr("web1", 0, m2);
	ok(m2[0] == 0xfe, "host-side MAC fe:..");

	struct vz_net_addr x;
	ok(vz_net_parse_addr("198.18.0.1/24", true, 0, &x) == 0 && x.family == AF_INET &&
		   x.prefix == 24, "v4 parse");
	ok(vz_net_parse_addr("fd42::1", false, 0, &x) == 0 && x.family == AF_INET6, "v6 parse");
	ok(vz_net_parse_addr("fd42::1/", true, 0, &x) < 0, "empty prefix refused");
	is_int(vz_net_type_from_string("none"), VZ_NET_NONE, "type names");
	is_str(vz_net_type_to_string(VZ_NET_MACVLAN), "macvlan", "type names back");
}

int main(void)
{
	top = tap_tmpdir("net");
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	if (!top || vz_global_load(top, &g, &err) < 0) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	good_file(g);
	bad_files(g);
	macvlan(g);
	one_line();
	dhcp(g);
	derived();
	vz_global_free(g);
	ok(rm_rf(top) == 0, "temporary directory removed");
	free(top);
	return tap_done();
}
