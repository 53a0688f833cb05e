/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-networkd.c: what the container's own network manager is told about
 * vz's interfaces (doc/network.md, "Inside the container"). In a systemd
 * distribution (one with /etc/systemd/network), the container child writes
 * /etc/systemd/network/10-vz-IFNAME.network at every start, after
 * pivot_root: DHCP for ipv4 = "dhcp", vz's own static addresses otherwise,
 * so that systemd-networkd and vz agree on every address; and removes the
 * 10-vz-*.network files of interfaces the config no longer has. An
 * interface the tenant gave to ifupdown (an "iface NAME" stanza in
 * /etc/network/interfaces or interfaces.d/) gets no file. Runs in the
 * container child; the text is made by a pure function the unit tests call.
 */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "fs-util.h"
#include "log.h"
#include "net.h"
#include "strv.h"

#define NETWORKD_DIR "/etc/systemd/network"
#define NETWORKD_PREFIX "10-vz-"
#define NETWORKD_SUFFIX ".network"
#define IFUPDOWN_FILE "/etc/network/interfaces"
#define IFUPDOWN_DIR "/etc/network/interfaces.d"

/* "KEY=ADDR\n" when a is set, else "". */
static const char *addr_line(const char *key, const struct vz_net_addr *a, bool prefix,
			     char *buf, size_t len)
{
	char t[64];
	if (!a->family)
		return "";
	snprintf(buf, len, "%s=%s\n", key, vz_net_addr_format(a, prefix, t, sizeof(t)));
	return buf;
}

int vz_net_networkd_text(const struct vz_spec *spec, size_t i, char **ret)
{
	const struct vz_netif *n = &spec->net[i];
	*ret = NULL;
	/* no address of vz's and no DHCP: the interface is the tenant's */
	if (n->type == VZ_NET_NONE || (!n->dhcp4 && !n->ipv4.family && !n->ipv6.family))
		return 0;
	char a4[96], g4[96], a6[96], g6[96];
	*ret = strdup_printf(
		"# Written by vz at every start of the container from network[%zu] of its\n"
		"# config, and replaced then: change that config on the host instead\n"
		"# (vz info %s names the file). vz configures the interface from the\n"
		"# host side before init starts; %s\n"
		"[Match]\n"
		"Name=%s\n"
		"\n"
		"[Network]\n"
		"%s%s%s%s%s"
		"# the addresses vz configured stay when networkd starts or restarts\n"
		"KeepConfiguration=static\n"
		"%s%s",
		i, spec->name,
		n->dhcp4 ? "with this file systemd-networkd asks the\n# bridge's DHCP server for an IPv4 address."
			 : "this file tells systemd-networkd the same.",
		n->name, n->dhcp4 ? "DHCP=ipv4\n" : "",
		/* all static: waiting for a router advertisement would leave
		 * the link "configuring" and network-online.target unreached */
		n->dhcp4 ? "" : "IPv6AcceptRA=no\n",
		addr_line("Address", &n->ipv4, true, a4, sizeof(a4)),
		addr_line("Gateway", &n->gateway, false, g4, sizeof(g4)),
		addr_line("Gateway", &n->gateway6, false, g6, sizeof(g6)),
		/* as vz adds it: usable at once, no duplicate address detection */
		n->ipv6.family ? "\n[Address]\nDuplicateAddressDetection=none\n" : "",
		addr_line("Address", &n->ipv6, true, a6, sizeof(a6)));
	return *ret ? 0 : -ENOMEM;
}

bool vz_net_ifupdown_has(const char *text, const char *ifname)
{
	_cleanup_strv_free_ char **lines = strv_split(text, "\n");
	STRV_FOREACH (l, lines) {
		char word[16], name[32];
		if (sscanf(*l, " %15s %31s", word, name) == 2 && streq(word, "iface") &&
		    streq(name, ifname))
			return true;
	}
	return false;
}

/* The tenant configures ifname with ifupdown. */
static bool ifupdown_owns(const char *ifname)
{
	_cleanup_free_ char *text = NULL;
	if (read_file(IFUPDOWN_FILE, &text, NULL) >= 0 && vz_net_ifupdown_has(text, ifname))
		return true;
	DIR *d = opendir(IFUPDOWN_DIR);
	if (!d)
		return false;
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		_cleanup_free_ char *p = path_join(IFUPDOWN_DIR, de->d_name), *t = NULL;
		found = p && read_file(p, &t, NULL) >= 0 && vz_net_ifupdown_has(t, ifname);
	}
	closedir(d);
	return found;
}

/* The spec's interface whose file is called name ("10-vz-eth0.network"),
 * or -1. */
static ssize_t file_owner(const struct vz_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->n_net; i++) {
		char want[64];
		snprintf(want, sizeof(want), NETWORKD_PREFIX "%s" NETWORKD_SUFFIX,
			 spec->net[i].name);
		if (streq(name, want))
			return (ssize_t)i;
	}
	return -1;
}

/* 10-vz-*.network files of interfaces the config does not have (or no
 * longer gives vz: ifupdown's, address-less ones). */
static void remove_stale(const struct vz_spec *spec, const bool *keep)
{
	DIR *d = opendir(NETWORKD_DIR);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name), sl = strlen(NETWORKD_SUFFIX);
		if (!startswith(de->d_name, NETWORKD_PREFIX) || l <= sl ||
		    !streq(de->d_name + l - sl, NETWORKD_SUFFIX))
			continue;
		ssize_t i = file_owner(spec, de->d_name);
		if (i >= 0 && keep[i])
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0)
			log_warn("cannot remove " NETWORKD_DIR "/%s: %m", de->d_name);
	}
	closedir(d);
}

static int write_one(const struct vz_spec *spec, size_t i, bool *written, vz_err *err)
{
	*written = false;
	_cleanup_free_ char *text = NULL, *old = NULL;
	int r = vz_net_networkd_text(spec, i, &text);
	if (r < 0 || !text || ifupdown_owns(spec->net[i].name))
		return r;
	_cleanup_free_ char *p = strdup_printf(NETWORKD_DIR "/" NETWORKD_PREFIX "%s"
					       NETWORKD_SUFFIX, spec->net[i].name);
	if (!p)
		return -ENOMEM;
	*written = true;
	/* unchanged: not rewritten (no copy-up into the container's layer) */
	if (read_file(p, &old, NULL) >= 0 && streq(old, text))
		return 0;
	/* after pivot_root "/" is the container's: no path leads out of it */
	r = write_file_replace(p, text, strlen(text), 0644);
	if (r < 0)
		return vz_fail(err, r, "write '%s'", p);
	return 0;
}

int vz_net_networkd_in_child(const struct vz_spec *spec, vz_err *err)
{
	if (!dir_exists(NETWORKD_DIR))
		return 0;
	_cleanup_free_ bool *keep = calloc(spec->n_net + 1, sizeof(bool));
	if (!keep)
		return -ENOMEM;
	for (size_t i = 0; i < spec->n_net; i++) {
		int r = write_one(spec, i, &keep[i], err);
		if (r < 0)
			return r;
	}
	remove_stale(spec, keep);
	return 0;
}
