/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz set NAME [KEY=VALUE]... [--save] [vzctl options]
 *
 * KEY is a limits.* key, or its name without "limits." (memory=1G); KEY+=
 * updates limits.io per device (io+=/dev/vda:read_bps=10M); netN.rate_in
 * and netN.rate_out are an interface's bandwidth limits (net-rate.h). The vzctl
 * spellings map to the same keys (vz-set(1)); --iolimit and --iopslimit
 * limit "rootfs", the disk under the container's root filesystem.
 */
#include <math.h>
#include <stdlib.h>

#include "container.h"
#include "fs-util.h"
#include "parse-util.h"
#include "strv.h"
#include "vz.h"

enum {
	OPT_SAVE = 0x100,
	OPT_RAM,
	OPT_SWAP,
	OPT_CPUS,
	OPT_CPULIMIT,
	OPT_CPUUNITS,
	OPT_NUMPROC,
	OPT_IOLIMIT,
	OPT_IOPSLIMIT,
};

/* vzctl's "barrier:limit" pairs: the limit (the last number). */
static const char *last_part(const char *v)
{
	const char *c = strrchr(v, ':');
	return c ? c + 1 : v;
}

/* One vzctl option as KEY=VALUE; NULL with the reason in why. */
static char *map_vzctl(int opt, const char *v, char *why, size_t len)
{
	double d;
	char *end;
	uint64_t u;
	switch (opt) {
	case OPT_RAM:
		return strdup_printf("limits.memory=%s", last_part(v));
	case OPT_SWAP:
		return strdup_printf("limits.swap=%s", last_part(v));
	case OPT_CPUS:
		return strdup_printf("limits.cpus=%s", v);
	case OPT_CPULIMIT: /* percent of one CPU: 150 = 1.5 CPUs */
		d = strtod(v, &end);
		if (end == v || (*end && strcmp(end, "%") != 0) || !isfinite(d) || d <= 0) {
			snprintf(why, len, "--cpulimit '%s': want a percentage of one CPU, such as 150", v);
			return NULL;
		}
		return strdup_printf("limits.cpus=%g", d / 100);
	case OPT_CPUUNITS: { /* OpenVZ's 1000 is the default weight, 100 */
		if (parse_u64(v, &u) < 0 || u == 0 || u > 500000) {
			snprintf(why, len, "--cpuunits '%s': want an integer from 1 to 500000", v);
			return NULL;
		}
		uint64_t w = u / 10;
		return strdup_printf("limits.cpu_weight=%llu",
				     (unsigned long long)(w < 1 ? 1 : w > 10000 ? 10000 : w));
	}
	case OPT_NUMPROC:
		return strdup_printf("limits.pids=%s", last_part(v));
	case OPT_IOLIMIT: /* bytes/s of the container's disk, each way; 0 = none */
		if (parse_size(v, &u) < 0) {
			snprintf(why, len, "--iolimit '%s': want bytes per second, such as 10M", v);
			return NULL;
		}
		return strdup_printf("limits.io+=rootfs:read_bps=%s,write_bps=%s", v, v);
	case OPT_IOPSLIMIT:
		if (parse_u64(v, &u) < 0) {
			snprintf(why, len, "--iopslimit '%s': want requests per second, such as 500",
				 v);
			return NULL;
		}
		return strdup_printf("limits.io+=rootfs:read_iops=%s,write_iops=%s", v, v);
	}
	return NULL;
}

int verb_set(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "save", no_argument, NULL, OPT_SAVE },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "swap", required_argument, NULL, OPT_SWAP },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "cpulimit", required_argument, NULL, OPT_CPULIMIT },
		{ "cpuunits", required_argument, NULL, OPT_CPUUNITS },
		{ "numproc", required_argument, NULL, OPT_NUMPROC },
		{ "iolimit", required_argument, NULL, OPT_IOLIMIT },
		{ "iopslimit", required_argument, NULL, OPT_IOPSLIMIT },
		{},
	};
	_cleanup_strv_free_ char **settings = NULL;
	bool save = false;
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT, opts, &status)) != -1) {
		if (opt == -2)
			return status;
		if (opt == OPT_SAVE) {
			save = true;
			continue;
		}
		char why[160] = "";
		char *kv = map_vzctl(opt, optarg, why, sizeof(why));
		if (!kv)
			return *why ? cmd_usage_error(cmd, "%s", why) : 1;
		if (strv_consume(&settings, kv) < 0)
			return 1;
	}
	if (optind >= argc)
		return cmd_usage_error(cmd, "missing container name");
	const char *name = argv[optind++];
	for (; optind < argc; optind++) {
		const char *a = argv[optind];
		const char *eq = strchr(a, '=');
		if (!eq || eq == a || (eq == a + 1 && *a == '+'))
			return cmd_usage_error(cmd, "'%s': want KEY=VALUE (e.g. memory=1G)", a);
		char *kv = strchr(a, '.') && strchr(a, '.') < eq ? strdup(a)
								 : strdup_printf("limits.%s", a);
		if (!kv || strv_consume(&settings, kv) < 0)
			return 1;
	}
	if (strv_length(settings) == 0)
		return cmd_usage_error(cmd, "nothing to set (KEY=VALUE, or --ram, --cpus, ...)");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	vz_err err = { 0 };
	if (vz_container_set(cmd->g, name, settings, save, &err) < 0)
		return cmd_error(cmd, name, &err);
	return 0;
}
