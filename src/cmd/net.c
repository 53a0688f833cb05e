/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz net up
 * vz net down [--force]
 * vz net status [--json]
 * The host bridge of vz.conf's net group, its NAT and DHCP (bridge.h).
 */
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "output.h"
#include "strv.h"
#include "vz.h"

enum { OPT_JSON = OPT_COMMON_LAST, OPT_FORCE };

static void fmt_time(int64_t t, char *buf, size_t len)
{
	time_t x = (time_t)t;
	struct tm tm;
	if (t == 0 || !localtime_r(&x, &tm))
		snprintf(buf, len, "never");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static void status_json(const struct vz_net_status *st)
{
	struct json j;
	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_str(&j, "bridge", st->bridge);
	json_bool(&j, "exists", st->exists);
	json_bool(&j, "up", st->up);
	json_str(&j, "operstate", st->exists ? st->operstate : NULL);
	if (st->exists)
		json_uint(&j, "mtu", st->mtu);
	else
		json_null(&j, "mtu");
	json_array_open(&j, "addresses");
	STRV_FOREACH (a, st->addrs)
		json_str(&j, NULL, *a);
	json_array_close(&j);
	json_array_open(&j, "interfaces");
	STRV_FOREACH (p, st->ports)
		json_str(&j, NULL, *p);
	json_array_close(&j);
	json_bool(&j, "nat", st->nat);
	json_str(&j, "nat_table", st->nat_table);
	json_bool(&j, "dhcp", st->dnsmasq > 0);
	if (st->dnsmasq > 0)
		json_int(&j, "dnsmasq_pid", st->dnsmasq);
	else
		json_null(&j, "dnsmasq_pid");
	json_str(&j, "dhcp_range", st->dnsmasq > 0 ? st->range : NULL);
	json_array_open(&j, "leases");
	for (size_t i = 0; i < st->n_leases; i++) {
		const struct vz_lease *l = &st->leases[i];
		json_object_open(&j, NULL);
		json_int(&j, "expires", l->expires);
		json_str(&j, "mac", l->mac);
		json_str(&j, "ip", l->ip);
		json_str(&j, "hostname", streq(l->hostname, "*") ? NULL : l->hostname);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_object_close(&j);
	json_end(&j);
}

static void status_text(const struct vz_net_status *st)
{
	_cleanup_free_ char *addrs = strv_join(st->addrs, " ");
	_cleanup_free_ char *ports = strv_join(st->ports, " ");
	printf("bridge:     %s\n", st->bridge);
	if (!st->exists)
		printf("state:      absent (vz net up creates it)\n");
	else
		printf("state:      %s, %s, mtu %u\n", st->up ? "up" : "down", st->operstate, st->mtu);
	printf("addresses:  %s\n", addrs && *addrs ? addrs : "-");
	printf("interfaces: %s\n", ports && *ports ? ports : "-");
	if (st->nat)
		printf("nat:        on (nftables table %s)\n", st->nat_table);
	else
		printf("nat:        off\n");
	if (st->dnsmasq > 0)
		printf("dhcp:       on (dnsmasq pid %d, range %s)\n", st->dnsmasq,
		       st->range ? st->range : "?");
	else
		printf("dhcp:       off\n");
	if (!st->n_leases)
		return;
	printf("leases:\n  %-19s  %-17s  %-15s  %s\n", "EXPIRES", "MAC", "IP", "HOSTNAME");
	for (size_t i = 0; i < st->n_leases; i++) {
		char t[32];
		fmt_time(st->leases[i].expires, t, sizeof(t));
		printf("  %-19s  %-17s  %-15s  %s\n", t, st->leases[i].mac, st->leases[i].ip,
		       st->leases[i].hostname);
	}
}

int verb_net(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "force", no_argument, NULL, 'f' },
		{},
	};
	bool force = false;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "f", opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == OPT_JSON)
			cmd->json = true;
		else if (opt == 'f')
			force = true;
	}
	if (optind >= argc)
		return cmd_usage_error(cmd, "missing subcommand (up, down or status)");
	const char *sub = argv[optind++];
	if (!streq(sub, "up") && !streq(sub, "down") && !streq(sub, "status"))
		return cmd_usage_error(cmd, "unknown subcommand '%s' (want up, down or status)", sub);
	if (optind < argc)
		return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (force && !streq(sub, "down"))
		return cmd_usage_error(cmd, "--force goes with down only");
	if (cmd->json && !streq(sub, "status"))
		return cmd_usage_error(cmd, "--json goes with status only");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (streq(sub, "up")) {
		if ((r = vz_net_up(cmd->g, &err)) < 0) {
			vz_err_ensure(&err, r);
			return cmd_error(cmd, NULL, &err);
		}
		return 0;
	}
	if (streq(sub, "down")) {
		if ((r = vz_net_down(cmd->g, force, &err)) < 0) {
			vz_err_ensure(&err, r);
			return cmd_error(cmd, NULL, &err);
		}
		return 0;
	}
	struct vz_net_status st;
	r = vz_net_status(cmd->g, &st, &err);
	if (r < 0) {
		vz_err_ensure(&err, r);
		vz_net_status_done(&st);
		return cmd_error(cmd, NULL, &err);
	}
	if (cmd->json)
		status_json(&st);
	else
		status_text(&st);
	vz_net_status_done(&st);
	return 0;
}
