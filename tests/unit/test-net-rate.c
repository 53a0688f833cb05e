/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-net-rate: vz set's interface keys (net-rate.h): the three spellings,
 * the values, the one-line refusals, and the config's network list as it is
 * written (a rate of 0 removes the key; vz.conf's defaults.network is
 * copied in when the file has none; a bad index or type changes nothing).
 */
#include <stdio.h>

#include "net-rate.h"
#include "tap.h"

static void keys(void)
{
	struct vz_net_rates s = { 0 };
	vz_err err = { 0 };
	is_int(vz_net_rates_add(&s, "limits.memory=1G", &err), 0, "limits.memory: not ours");
	is_int(vz_net_rates_add(&s, "network=none", &err), 0, "network: not ours");
	is_int(vz_net_rates_add(&s, "netx.rate_in=1mbit", &err), 0, "netx: not ours");
	is_int(vz_net_rates_add(&s, "net0.rate_in=20mbit", &err), 1, "net0.rate_in");
	is_int(vz_net_rates_add(&s, "network[0].rate_out=1.5mbps", &err), 1, "network[0].rate_out");
	is_int(vz_net_rates_add(&s, "network.[2].rate_in=none", &err), 1, "network.[2].rate_in");
	is_int(s.n, 2, "two interfaces changed");
	ok(s.c[0].set_in && s.c[0].in == 20000000 && s.c[0].set_out && s.c[0].out == 12000000,
	   "net0: 20mbit in, 1.5mbps = 12 Mbit/s out");
	ok(s.c[2].set_in && !s.c[2].in && !s.c[2].set_out, "net2: rate_in none = 0");
	is_str(s.c[0].key, "net0.rate_in", "the first key given names the interface");

	struct {
		const char *kv, *msg;
	} bad[] = {
		{ "net0.rate_in=10M",
		  "net0.rate_in: invalid rate '10M' (tc's units, such as \"100mbit\" or \"12mbps\" "
		  "for bytes, or bits per second as a number)" },
		{ "net0.rate_out=100", "net0.rate_out: 100 bit/s is too low (at least 8kbit, or 0 for "
				       "no limit)" },
		{ "net0.rate_in=20gbit",
		  "net0.rate_in: rate 20gbit is above the most tbf takes (17.18gbit)" },
		{ "net0.ipv4=198.18.0.2/24",
		  "net0.ipv4: vz set changes only rate_in and rate_out of an interface (edit the "
		  "config for the others)" },
		{ "network[1].mtu=1400",
		  "network[1].mtu: vz set changes only rate_in and rate_out of an interface (edit "
		  "the config for the others)" },
		{ "net32.rate_in=1mbit", "net32.rate_in: no interface 32 (a container has at most 32)" },
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct vz_net_rates t = { 0 };
		vz_err e = { 0 };
		ok(vz_net_rates_add(&t, bad[i].kv, &e) < 0 && t.n == 0, "%s refused", bad[i].kv);
		is_str(e.msg, bad[i].msg, "... message");
	}
}

static char *dump(config_t *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		config_write(cfg, f);
		fclose(f);
	}
	return buf;
}

static void configs(void)
{
	config_t cfg, vzconf;
	config_init(&cfg);
	config_init(&vzconf);
	ok(config_read_string(&cfg, "network = ( { bridge = \"br0\"; rate_in = \"10mbit\"; "
				    "rate_out = 5000000; }, { type = \"none\"; } );") == CONFIG_TRUE,
	   "a config with two elements");
	struct vz_net_rates s = { 0 };
	vz_err err = { 0 };
	vz_net_rates_add(&s, "net0.rate_in=0", &err);
	vz_net_rates_add(&s, "net0.rate_out=12345678", &err);
	is_int(vz_net_rates_config(&cfg, NULL, &s, &err), 0, "written: %s", err.msg);
	_cleanup_free_ char *out = dump(&cfg);
	ok(out && !strstr(out, "rate_in") && strstr(out, "rate_out = \"12345678\""),
	   "rate_in removed, rate_out exact in bits/s");

	struct vz_net_rates t = { 0 };
	vz_net_rates_add(&t, "net0.rate_in=1mbit", &err);
	vz_net_rates_add(&t, "net1.rate_in=1mbit", &err);
	is_int(vz_net_rates_config(&cfg, NULL, &t, &err), -EINVAL, "a type none element refused");
	is_str(err.msg, "net1.rate_in: network[1] is of type \"none\": rates apply to veth "
			"interfaces only", "... message");
	_cleanup_free_ char *same = dump(&cfg);
	is_str(same, out, "... and the config is unchanged (net0 too)");

	struct vz_net_rates u = { 0 };
	vz_net_rates_add(&u, "net2.rate_in=1mbit", &err);
	is_int(vz_net_rates_config(&cfg, NULL, &u, &err), -ENOENT, "net2 of two refused");
	is_str(err.msg, "net2.rate_in: no interface 2: the config has 2 (net0..net1)", "... message");

	/* no list in the file: vz.conf's defaults.network is the start */
	config_destroy(&cfg);
	config_init(&cfg);
	ok(config_read_string(&vzconf, "defaults = { network = ( { bridge = \"br9\"; mtu = 1400; "
				       "ipv4 = \"198.18.0.9/24\"; } ); };") == CONFIG_TRUE,
	   "a vz.conf with defaults.network");
	struct vz_net_rates v = { 0 };
	vz_net_rates_add(&v, "net0.rate_in=20mbit", &err);
	is_int(vz_net_rates_config(&cfg, NULL, &v, &err), -ENOENT, "no list anywhere: refused");
	is_str(err.msg, "net0.rate_in: the config has no network interface", "... message");
	is_int(vz_net_rates_config(&cfg, config_lookup(&vzconf, "defaults.network"), &v, &err), 0,
	       "the defaults copied");
	_cleanup_free_ char *copied = dump(&cfg);
	ok(copied && strstr(copied, "bridge = \"br9\"") && strstr(copied, "mtu = 1400") &&
		   strstr(copied, "ipv4 = \"198.18.0.9/24\"") && strstr(copied, "rate_in = \"20mbit\""),
	   "... with the rate");
	config_destroy(&cfg);
	config_destroy(&vzconf);
}

int main(void)
{
	keys();
	configs();
	return tap_done();
}
