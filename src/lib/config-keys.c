/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config-keys.c: every key of vz.conf and of a container's config, and the
 * conversion of a libconfig setting into the field it sets (see
 * config-internal.h). vz.conf(5) documents the same list.
 */
#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

#include "bridge.h"
#include "config-internal.h"
#include "console.h"
#include "enums.h"
#include "io-limit.h"
#include "net.h"
#include "parse-util.h"
#include "strv.h"

#define S(field) offsetof(struct vz_spec, field)
#define G(field) offsetof(struct vz_global, field)

const struct vz_key vz_container_keys[] = {
	{ "template", VZ_KT_STRING, S(template), .flags = VZ_KEY_PER_CONTAINER },
	{ "rootfs.lower", VZ_KT_STRING, S(rootfs_lower), .flags = VZ_KEY_PER_CONTAINER },
	{ "rootfs.backend", VZ_KT_STRING, S(rootfs_backend), .flags = VZ_KEY_PER_CONTAINER },
	{ "privileged", VZ_KT_BOOL, S(privileged) },
	{ "idmap.uid", VZ_KT_U32, S(idmap.uid), 0, UINT32_MAX - 1, .flags = VZ_KEY_PER_CONTAINER },
	{ "idmap.gid", VZ_KT_U32, S(idmap.gid), 0, UINT32_MAX - 1, .flags = VZ_KEY_PER_CONTAINER },
	{ "idmap.count", VZ_KT_U32, S(idmap.count), 1, UINT32_MAX - 1,
	  .flags = VZ_KEY_PER_CONTAINER },
	{ "init", VZ_KT_ARGV, S(init) },
	{ "hostname", VZ_KT_HOSTNAME, S(hostname) },
	{ "env", VZ_KT_ENV, S(env) },
	{ "halt_signal", VZ_KT_SIGNAL, S(halt_signal) },
	{ "stop_timeout", VZ_KT_DURATION, S(stop_timeout_ms), 0, 24ULL * 3600 * 1000 },
	{ "start.wait", VZ_KT_ENUM, S(start_wait), .enum_from_string = vz_start_wait_from_string,
	  .enum_names = "\"auto\", \"ready\" or \"exec\"" },
	{ "start.timeout", VZ_KT_DURATION, S(start_timeout_ms), 0, 24ULL * 3600 * 1000 },
	{ "limits.memory", VZ_KT_SIZE, S(limits.memory), 4ULL << 20, UINT64_MAX - 1 },
	{ "limits.memory_high", VZ_KT_SIZE, S(limits.memory_high), 4ULL << 20, UINT64_MAX - 1 },
	{ "limits.swap", VZ_KT_SIZE, S(limits.swap), 0, UINT64_MAX - 1 },
	{ "limits.pids", VZ_KT_COUNT, S(limits.pids), 1, 4194304 },
	{ "limits.cpus", VZ_KT_DOUBLE, S(limits.cpus), .dmin = 0.01, .dmax = 1024 },
	{ "limits.cpu_weight", VZ_KT_U32, S(limits.cpu_weight), 1, 10000 },
	{ "limits.cpuset", VZ_KT_CPULIST, S(limits.cpuset) },
	{ "limits.cpuset_mems", VZ_KT_CPULIST, S(limits.cpuset_mems) },
	{ "limits.io_weight", VZ_KT_U32, S(limits.io_weight), 1, 10000 },
	{ "limits.io", VZ_KT_IOLIST, S(limits) },
	{ "limits.optional", VZ_KT_LIMITNAMES, S(limits.optional) },
	{ "lxcfs", VZ_KT_AUTOBOOL, S(lxcfs) },
	{ "caps.drop", VZ_KT_CAPS, S(caps_drop) },
	{ "devices.allow", VZ_KT_DEVICES, S(devices_allow) },
	{ "network", VZ_KT_NETLIST, 0 },
	{ "nameservers", VZ_KT_ADDRLIST, S(nameservers) },
	{ "console.log_size", VZ_KT_SIZE, S(console_log_size), 0, 1ULL << 40 },
	{ "console.log_files", VZ_KT_U32, S(console_log_files), 0, 100 },
	{ "console.ttys", VZ_KT_U32, S(console_ttys), 0, VZ_CONSOLE_TTYS_MAX },
	{ "console.buffer", VZ_KT_SIZE, S(console_buffer), 0, 16ULL << 20 },
	{ "console.rw_users", VZ_KT_UIDS, S(console_rw_users) },
	{ "console.ro_users", VZ_KT_UIDS, S(console_ro_users) },
	{ NULL },
};

const struct vz_key vz_global_keys[] = {
	{ "paths.lib", VZ_KT_PATH, G(lib_dir) },
	{ "paths.cache", VZ_KT_PATH, G(cache_dir) },
	{ "paths.run", VZ_KT_PATH, G(run_dir) },
	{ "paths.log", VZ_KT_PATH, G(log_dir) },
	{ "paths.templates", VZ_KT_PATH, G(templates_dir) },
	{ "monitor", VZ_KT_PATH, G(monitor_path) },
	{ "helpers.lxcfs", VZ_KT_PATH, G(lxcfs_path) },
	{ "idmap.subuid", VZ_KT_PATH, G(subuid_file) },
	{ "idmap.subgid", VZ_KT_PATH, G(subgid_file) },
	{ "idmap.user", VZ_KT_STRING, G(subid_user) },
	{ "idmap.size", VZ_KT_U32, G(idmap_size), 1, 1U << 31 },
	{ "cgroup.parent", VZ_KT_CGPARENT, G(cgroup_parent) },
	{ "host.inotify_instances_per_container", VZ_KT_U32, G(inotify_per_container), 0, 1000000 },
	{ "net.bridge", VZ_KT_STRING, G(net_bridge), .check = vz_net_check_ifname },
	{ "net.ipv4", VZ_KT_STRING, G(net_ipv4), .check = vz_net_check_ipv4 },
	{ "net.ipv6", VZ_KT_STRING, G(net_ipv6), .check = vz_net_check_ipv6 },
	{ "net.mtu", VZ_KT_U32, G(net_mtu), 68, 65535 },
	{ "net.nat", VZ_KT_BOOL, G(net_nat) },
	{ "net.dhcp", VZ_KT_BOOL, G(net_dhcp) },
	{ "net.dhcp_range", VZ_KT_STRING, G(net_dhcp_range), .check = vz_net_check_range },
	{ "helpers.nft", VZ_KT_PATH, G(nft_path) },
	{ "helpers.dnsmasq", VZ_KT_PATH, G(dnsmasq_path) },
	{ NULL },
};

const struct vz_key *vz_key_find(const struct vz_key *table, const char *name)
{
	for (const struct vz_key *k = table; k->name; k++)
		if (streq(k->name, name))
			return k;
	return NULL;
}

bool vz_key_is_group(const struct vz_key *table, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const struct vz_key *k = table; k->name; k++)
		if (strncmp(k->name, prefix, n) == 0 && k->name[n] == '.')
			return true;
	return false;
}

static const char *type_name(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number with a fraction";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		return "a list";
	}
	return "something else";
}

static int wrong_type(const config_setting_t *s, const char *want, char *why, size_t len)
{
	return vz_why(why, len, "expected %s, got %s", want, type_name(config_setting_type(s)));
}

static bool is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}
static bool is_list(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
}

/* The elements of a list of strings, or the one string split at seps. */
static int string_list(const config_setting_t *s, const char *seps, char ***ret, char *why,
		       size_t len)
{
	_cleanup_strv_free_ char **l = NULL;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		l = strv_split(config_setting_get_string(s), seps);
		if (!l)
			return -ENOMEM;
	} else if (is_list(s)) {
		int n = config_setting_length(s);
		l = calloc(1, sizeof(char *));
		if (!l)
			return -ENOMEM;
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			if (config_setting_type(e) != CONFIG_TYPE_STRING)
				return vz_why(why, len, "element %d: expected a string, got %s",
					       i + 1, type_name(config_setting_type(e)));
			if (strv_push(&l, config_setting_get_string(e)) < 0)
				return -ENOMEM;
		}
	} else
		return wrong_type(s, "a list of strings", why, len);
	*ret = TAKE_PTR(l);
	return 0;
}

static int get_u64(const config_setting_t *s, const struct vz_key *k, bool allow_string,
		   int (*parse)(const char *, uint64_t *), const char *what, uint64_t *ret,
		   char *why, size_t len)
{
	uint64_t v;
	if (is_int(s)) {
		long long n = config_setting_get_int64(s);
		if (n < 0)
			return vz_why(why, len, "%lld is negative", n);
		v = (uint64_t)n;
		if (k->type == VZ_KT_DURATION) {
			if (v > UINT64_MAX / 1000)
				return vz_why(why, len, "%lld is too large", n), -ERANGE;
			v *= 1000;
		}
	} else if (allow_string && config_setting_type(s) == CONFIG_TYPE_STRING) {
		const char *str = config_setting_get_string(s);
		int r = parse(str, &v);
		if (r == -ERANGE)
			return vz_why(why, len, "%s '%s' is too large", what, str), -ERANGE;
		if (r < 0)
			return vz_why(why, len, "invalid %s '%s'", what, str);
	} else
		return wrong_type(s, allow_string ? (k->type == VZ_KT_SIZE ? "a size such as \"256M\""
									  : "a duration such as \"30s\"")
						  : "an integer",
				  why, len);
	if (v < k->min || v > k->max) {
		char a[24], b[24], c[24];
		if (k->type == VZ_KT_SIZE) {
			format_size(v, c);
			format_size(k->min, a);
			format_size(k->max, b);
		} else if (k->type == VZ_KT_DURATION) {
			format_duration_ms(v, c);
			format_duration_ms(k->min, a);
			format_duration_ms(k->max, b);
		} else {
			snprintf(c, sizeof(c), "%llu", (unsigned long long)v);
			snprintf(a, sizeof(a), "%llu", (unsigned long long)k->min);
			snprintf(b, sizeof(b), "%llu", (unsigned long long)k->max);
		}
		/* 0 means unlimited for the limits that have a minimum. */
		if (!(v == 0 && k->type != VZ_KT_U32 && startswith(k->name, "limits.")))
			return vz_why(why, len, "%s is out of range (%s..%s)", c, a, b), -ERANGE;
	}
	*ret = v;
	return 0;
}

static int parse_signal_u64(const char *s, uint64_t *ret)
{
	int n;
	int r = parse_signal(s, &n);
	*ret = (uint64_t)n;
	return r;
}

int vz_key_apply(const struct vz_key *k, const config_setting_t *s, void *obj, char *why,
		 size_t len)
{
	void *field = (char *)obj + k->offset;
	int r;

	switch (k->type) {
	case VZ_KT_STRING:
	case VZ_KT_PATH:
	case VZ_KT_HOSTNAME:
	case VZ_KT_UIDS:
	case VZ_KT_CPULIST:
	case VZ_KT_CGPARENT: {
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return wrong_type(s, "a string", why, len);
		const char *v = config_setting_get_string(s);
		if (k->type == VZ_KT_PATH && v[0] != '/')
			return vz_why(why, len, "'%s' is not an absolute path", v);
		if (k->check && (r = k->check(v, why, len)) < 0)
			return r;
		if (k->type == VZ_KT_STRING && !*v && !k->check)
			return vz_why(why, len, "must not be empty");
		if (k->type == VZ_KT_HOSTNAME && !vz_name_is_valid(v))
			return vz_why(why, len,
				       "invalid hostname '%s' (1-63 letters, digits, '-' and '.')",
				       v);
		if (k->type == VZ_KT_UIDS && vz_uid_list_has(v, (uid_t)-1) < 0)
			return vz_why(why, len,
				       "invalid uid list '%s' (numeric uids separated by spaces "
				       "or commas, such as \"1000 1001\")",
				       v);
		if (k->type == VZ_KT_CPULIST && vz_parse_cpu_list(v, NULL) < 0)
			return vz_why(why, len,
				       "invalid list '%s' (numbers and ranges separated by commas, "
				       "such as \"0-3,6\")",
				       v);
		if (k->type == VZ_KT_CGPARENT) {
			bool ok = startswith(v, "vz") && (v[2] == 0 || v[2] == '/' || v[2] == '-' ||
							  v[2] == '.' || v[2] == '_');
			for (const char *p = v; ok && *p; p++)
				if (!(isalnum((unsigned char)*p) || strchr("-._/", *p)) ||
				    (*p == '/' && (p[1] == '/' || p[1] == 0 || p[1] == '.')))
					ok = false;
			if (!ok)
				return vz_why(why, len,
					       "invalid cgroup parent '%s' (a relative path whose "
					       "first part starts with 'vz', such as \"vz\" or "
					       "\"vz/tenants\")",
					       v);
		}
		char *c = strdup(v);
		if (!c)
			return -ENOMEM;
		free(*(char **)field);
		*(char **)field = c;
		return 0;
	}
	case VZ_KT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return wrong_type(s, "true or false", why, len);
		*(bool *)field = config_setting_get_bool(s);
		return 0;
	case VZ_KT_AUTOBOOL:
		if (config_setting_type(s) == CONFIG_TYPE_BOOL)
			*(int *)field = config_setting_get_bool(s) ? VZ_LXCFS_ON : VZ_LXCFS_OFF;
		else if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return wrong_type(s, "true, false or \"auto\"", why, len);
		else if (streq(config_setting_get_string(s), "auto"))
			*(int *)field = VZ_LXCFS_AUTO;
		else
			return vz_why(why, len, "invalid value '%s' (true, false or \"auto\")",
				       config_setting_get_string(s));
		return 0;
	case VZ_KT_U32: {
		uint64_t v;
		r = get_u64(s, k, false, NULL, "integer", &v, why, len);
		if (r < 0)
			return r;
		*(uint32_t *)field = (uint32_t)v;
		return 0;
	}
	case VZ_KT_COUNT:
		return get_u64(s, k, false, NULL, "integer", (uint64_t *)field, why, len);
	case VZ_KT_SIZE:
		return get_u64(s, k, true, parse_size, "size", (uint64_t *)field, why, len);
	case VZ_KT_DURATION:
		return get_u64(s, k, true, parse_duration_ms, "duration", (uint64_t *)field, why,
			       len);
	case VZ_KT_SIGNAL: {
		uint64_t v;
		if (is_int(s)) {
			long long n = config_setting_get_int64(s);
			char buf[16];
			if (n < 1 || n > SIGRTMAX || (n < SIGRTMIN && !signal_to_string((int)n, buf)))
				return vz_why(why, len, "invalid signal %lld", n);
			v = (uint64_t)n;
		} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			const char *str = config_setting_get_string(s);
			if (parse_signal_u64(str, &v) < 0)
				return vz_why(why, len, "invalid signal '%s'", str);
		} else
			return wrong_type(s, "a signal name such as \"SIGTERM\"", why, len);
		if (v == SIGKILL || v == SIGSTOP)
			return vz_why(why, len, "%s cannot be a halt signal",
				       v == SIGKILL ? "SIGKILL" : "SIGSTOP");
		*(int *)field = (int)v;
		return 0;
	}
	case VZ_KT_ENUM: {
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return wrong_type(s, "a string", why, len);
		const char *str = config_setting_get_string(s);
		int v = k->enum_from_string(str);
		if (v < 0)
			return vz_why(why, len, "invalid value '%s' (%s)", str, k->enum_names);
		*(int *)field = v;
		return 0;
	}
	case VZ_KT_DOUBLE: {
		double v;
		if (is_int(s))
			v = (double)config_setting_get_int64(s);
		else if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
			v = config_setting_get_float(s);
		else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			const char *str = config_setting_get_string(s);
			if (parse_double(str, &v) < 0)
				return vz_why(why, len, "invalid number '%s'", str);
		} else
			return wrong_type(s, "a number", why, len);
		if (v != 0 && (v < k->dmin || v > k->dmax))
			return vz_why(why, len, "%g is out of range (%g..%g, or 0 for no limit)",
				       v, k->dmin, k->dmax), -ERANGE;
		*(double *)field = v;
		return 0;
	}
	case VZ_KT_ARGV: {
		char **l = NULL;
		r = string_list(s, " \t", &l, why, len);
		if (r < 0)
			return r;
		if (!l[0] || l[0][0] != '/') {
			vz_why(why, len, "'%s' is not an absolute path", l[0] ? l[0] : "");
			strv_free(l);
			return -EINVAL;
		}
		strv_free(*(char ***)field);
		*(char ***)field = l;
		return 0;
	}
	case VZ_KT_ENV: {
		char **l = NULL;
		r = string_list(s, "\n", &l, why, len);
		if (r < 0)
			return r;
		STRV_FOREACH (e, l) {
			const char *eq = strchr(*e, '=');
			if (!eq || eq == *e) {
				vz_why(why, len, "'%s' is not KEY=VALUE", *e);
				strv_free(l);
				return -EINVAL;
			}
		}
		strv_free(*(char ***)field);
		*(char ***)field = l;
		return 0;
	}
	case VZ_KT_LIMITNAMES: {
		_cleanup_strv_free_ char **l = NULL;
		r = string_list(s, ", \t", &l, why, len);
		if (r < 0)
			return r;
		uint32_t mask = 0;
		STRV_FOREACH (n, l) {
			int key = vz_limit_key_from_name(startswith(*n, "limits.") ? *n + 7 : *n);
			if (key < 0)
				return vz_why(why, len,
					       "unknown limit '%s' (known: memory, memory_high, swap, "
					       "pids, cpus, cpu_weight, cpuset, cpuset_mems, io_weight, "
					       "io)",
					       *n);
			mask |= UINT32_C(1) << key;
		}
		*(uint32_t *)field = mask;
		return 0;
	}
	case VZ_KT_DEVICES: {
		_cleanup_strv_free_ char **l = NULL, **canon = NULL;
		r = string_list(s, ",", &l, why, len);
		if (r < 0)
			return r;
		canon = calloc(1, sizeof(char *));
		if (!canon)
			return -ENOMEM;
		STRV_FOREACH (e, l) {
			struct vz_dev_rule d;
			char buf[32], reason[160];
			r = parse_dev_rule(*e, &d, reason, sizeof(reason));
			if (r < 0)
				return vz_why(why, len, "entry '%s': %s", *e, reason), r;
			if (strv_push(&canon, format_dev_rule(&d, buf)) < 0)
				return -ENOMEM;
		}
		strv_free(*(char ***)field);
		*(char ***)field = TAKE_PTR(canon);
		return 0;
	}
	case VZ_KT_CAPS: {
		_cleanup_strv_free_ char **l = NULL;
		r = string_list(s, ", \t", &l, why, len);
		if (r < 0)
			return r;
		uint64_t mask = 0;
		STRV_FOREACH (c, l) {
			int cap;
			if (parse_cap(*c, &cap) < 0)
				return vz_why(why, len, "unknown capability '%s'", *c);
			mask |= UINT64_C(1) << cap;
		}
		*(uint64_t *)field = mask;
		return 0;
	}
	case VZ_KT_IOLIST:
		return vz_io_list_from_config(s, (struct vz_limits *)field, why, len);
	case VZ_KT_NETLIST:
		return vz_net_list_from_config(s, (struct vz_spec *)field, why, len);
	case VZ_KT_ADDRLIST: {
		char **l = NULL;
		r = string_list(s, ", \t", &l, why, len);
		if (r >= 0)
			r = vz_net_nameservers_check(l, why, len);
		if (r < 0) {
			strv_free(l);
			return r;
		}
		strv_free(*(char ***)field);
		*(char ***)field = l;
		return 0;
	}
	}
	return -EINVAL;
}

/* Full dotted name of s below grp's root: "limits.memory". */
static void setting_path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *p = config_setting_parent(s);
	if (p && !config_setting_is_root(p) && config_setting_name(p)) {
		setting_path(p, buf, len);
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, ".%s", config_setting_name(s));
	} else
		snprintf(buf, len, "%s", config_setting_name(s) ?: "?");
}

int vz_config_apply_group(const struct vz_key *table, const config_setting_t *grp, void *obj,
			  const char *path, const char *prefix, unsigned flags_refused,
			  vz_err *err)
{
	int n = config_setting_length(grp);
	size_t plen = strlen(prefix);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
		char full[256];
		setting_path(s, full, sizeof(full));
		/* the key relative to the table */
		const char *key = full;
		if (plen && strncmp(full, prefix, plen) == 0)
			key = full + plen;
		unsigned line = config_setting_source_line(s);
		/* a key given as a group falls through to its type error */
		if (config_setting_is_group(s) && !vz_key_find(table, key)) {
			if (!vz_key_is_group(table, key))
				return vz_failx(err, EINVAL, "%s:%u: key '%s': unknown key", path,
						line, full);
			int r = vz_config_apply_group(table, s, obj, path, prefix, flags_refused,
						      err);
			if (r < 0)
				return r;
			continue;
		}
		const struct vz_key *k = vz_key_find(table, key);
		if (!k) {
			if (vz_key_is_group(table, key))
				return vz_failx(err, EINVAL, "%s:%u: key '%s': expected a group, got %s",
						path, line, full, type_name(config_setting_type(s)));
			return vz_failx(err, EINVAL, "%s:%u: key '%s': unknown key", path, line,
					full);
		}
		if (k->flags & flags_refused)
			return vz_failx(err, EINVAL,
					"%s:%u: key '%s': set per container by vz create, not here",
					path, line, full);
		char why[512] = "";
		int r = vz_key_apply(k, s, obj, why, sizeof(why));
		if (r == -ENOMEM)
			return vz_fail(err, ENOMEM, "%s", path);
		size_t sub = vz_key_why_sub(why);
		if (r < 0)
			return vz_failx(err, -r, "%s:%u: key '%s%.*s': %s", path, line, full,
					(int)sub, why, why + sub + (sub ? 2 : 0));
	}
	return 0;
}
