/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config-write.c: setting container keys from their string form (vz create
 * -c key=value) and writing config files atomically (see config.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config-internal.h"
#include "config.h"
#include "fs-util.h"
#include "io-limit.h"
#include "net.h"
#include "parse-util.h"
#include "strv.h"

/* The libconfig type a key is stored as. */
static int storage_type(const struct vz_key *k)
{
	switch (k->type) {
	case VZ_KT_BOOL:
		return CONFIG_TYPE_BOOL;
	case VZ_KT_U32:
	case VZ_KT_COUNT:
		return CONFIG_TYPE_INT64;
	case VZ_KT_DOUBLE:
		return CONFIG_TYPE_FLOAT;
	case VZ_KT_ARGV:
	case VZ_KT_ENV:
	case VZ_KT_CAPS:
	case VZ_KT_LIMITNAMES:
	case VZ_KT_DEVICES:
	case VZ_KT_ADDRLIST:
		return CONFIG_TYPE_ARRAY;
	case VZ_KT_IOLIST:
	case VZ_KT_NETLIST:
		return CONFIG_TYPE_LIST;
	default:
		return CONFIG_TYPE_STRING;
	}
}

/* Get or create the group for the part of key before its last dot. */
static config_setting_t *parent_group(config_t *cfg, const char *key, const char **leaf)
{
	config_setting_t *g = config_root_setting(cfg);
	const char *p = key;
	const char *dot;
	while ((dot = strchr(p, '.'))) {
		char part[64];
		size_t n = (size_t)(dot - p);
		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = 0;
		config_setting_t *c = config_setting_get_member(g, part);
		if (c && !config_setting_is_group(c)) {
			config_setting_remove(g, part);
			c = NULL;
		}
		if (!c)
			c = config_setting_add(g, part, CONFIG_TYPE_GROUP);
		if (!c)
			return NULL;
		g = c;
		p = dot + 1;
	}
	*leaf = p;
	return g;
}

static int store(config_setting_t *s, const struct vz_key *k, const char *value, char *why,
		 size_t len)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		config_setting_set_int(s, (int)strtol(value, NULL, 10));
		return 0;
	case CONFIG_TYPE_BOOL: {
		bool b;
		if (parse_bool(value, &b) < 0) {
			snprintf(why, len, "invalid boolean '%s' (use true or false)", value);
			return -EINVAL;
		}
		config_setting_set_bool(s, b);
		return 0;
	}
	case CONFIG_TYPE_INT64: {
		uint64_t v;
		int r = parse_u64(value, &v);
		if (r < 0 || v > INT64_MAX) {
			snprintf(why, len, "invalid integer '%s'", value);
			return r == -ERANGE ? -ERANGE : -EINVAL;
		}
		config_setting_set_int64(s, (long long)v);
		return 0;
	}
	case CONFIG_TYPE_FLOAT: {
		double d;
		if (parse_double(value, &d) < 0) {
			snprintf(why, len, "invalid number '%s'", value);
			return -EINVAL;
		}
		config_setting_set_float(s, d);
		return 0;
	}
	case CONFIG_TYPE_ARRAY: {
		/* init splits at blanks like the file form does; lists at commas */
		_cleanup_strv_free_ char **l =
			strv_split(value, k->type == VZ_KT_ARGV ? " \t" : ",");
		if (!l)
			return -ENOMEM;
		STRV_FOREACH (e, l)
			if (!config_setting_set_string_elem(s, -1, *e))
				return -ENOMEM;
		return 0;
	}
	default:
		config_setting_set_string(s, value);
		return 0;
	}
}

static int set_one(config_t *cfg, const char *key, const char *value, vz_err *err)
{
	/* "limits.io+": update the list's elements instead of replacing it */
	char base[128];
	size_t klen = strlen(key);
	bool merge = klen > 1 && klen < sizeof(base) && key[klen - 1] == '+';
	snprintf(base, sizeof(base), "%.*s", (int)(merge ? klen - 1 : klen), key);
	const struct vz_key *k = vz_key_find(vz_container_keys, base);
	if (!k)
		return vz_failx(err, EINVAL, "key '%s': unknown key", key);
	if (merge && k->type != VZ_KT_IOLIST)
		return vz_failx(err, EINVAL, "key '%s': '+=' updates a list: only limits.io takes it",
				base);
	if (!value)
		return vz_failx(err, EINVAL, "key '%s': no value", key);
	const char *leaf;
	config_setting_t *g = parent_group(cfg, base, &leaf);
	if (!g)
		return vz_failx(err, EINVAL, "key '%s': cannot create its group", base);
	config_setting_t *s = config_setting_get_member(g, leaf);
	if (s && (!merge || config_setting_type(s) != CONFIG_TYPE_LIST)) {
		config_setting_remove(g, leaf);
		s = NULL;
	}
	int type = storage_type(k);
	bool b;
	if (k->type == VZ_KT_AUTOBOOL) /* a bool, or a string: "auto" (or an error) */
		type = parse_bool(value, &b) >= 0 ? CONFIG_TYPE_BOOL : CONFIG_TYPE_STRING;
	uint64_t small;
	if (type == CONFIG_TYPE_INT64 && parse_u64(value, &small) >= 0 && small <= INT32_MAX)
		type = CONFIG_TYPE_INT; /* plain ints: no "L" suffix in the file */
	if (!s)
		s = config_setting_add(g, leaf, type);
	if (!s)
		return -ENOMEM;
	char why[512] = "";
	int r = k->type == VZ_KT_IOLIST    ? vz_io_list_set_string(s, value, merge, why, sizeof(why))
		: k->type == VZ_KT_NETLIST ? vz_net_list_set_string(s, value, why, sizeof(why))
					   : store(s, k, value, why, sizeof(why));
	if (r >= 0) {
		/* the same check as loading the file */
		s = config_setting_get_member(g, leaf);
		struct vz_spec scratch;
		if (vz_spec_init(&scratch, "x") < 0)
			return -ENOMEM;
		r = vz_key_apply(k, s, &scratch, why, sizeof(why));
		vz_spec_done(&scratch);
	}
	if (r < 0) {
		config_setting_remove(g, leaf);
		if (r == -ENOMEM)
			return r;
		size_t sub = vz_key_why_sub(why);
		return vz_failx(err, -r, "key '%s%.*s': %s", base, (int)sub, why,
				why + sub + (sub ? 2 : 0));
	}
	return 0;
}

int vz_config_set(config_t *cfg, const char *key, const char *value, vz_err *err)
{
	/* Try on a scratch tree first so a bad value leaves cfg as it was. */
	config_t scratch;
	config_init(&scratch);
	int r = set_one(&scratch, key, value, err);
	config_destroy(&scratch);
	if (r < 0)
		return r;
	return set_one(cfg, key, value, err);
}

int vz_config_set_kv(config_t *cfg, const char *kv, vz_err *err)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return vz_failx(err, EINVAL, "-c %s: expected key=value", kv);
	_cleanup_free_ char *key = strndup(kv, (size_t)(eq - kv));
	if (!key)
		return -ENOMEM;
	int r = vz_config_set(cfg, key, eq + 1, err);
	if (r < 0)
		vz_err_prefix(err, "-c %s", kv);
	return r;
}

int vz_config_write_file(config_t *cfg, const char *path, vz_err *err)
{
	_cleanup_free_ char *tmp = strdup_printf("%s.tmp.%d", path, (int)getpid());
	if (!tmp)
		return -ENOMEM;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return vz_fail(err, errno, "create '%s'", tmp);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return vz_fail(err, e, "create '%s'", tmp);
	}
	config_set_options(cfg, CONFIG_OPTION_SEMICOLON_SEPARATORS);
	fputs("# vz container configuration: every key is described in vz.conf(5).\n", f);
	config_write(cfg, f);
	int r = 0;
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0)
		r = vz_fail(err, errno, "write '%s'", tmp);
	if (fclose(f) != 0 && r >= 0)
		r = vz_fail(err, errno, "write '%s'", tmp);
	if (r >= 0 && rename(tmp, path) < 0)
		r = vz_fail(err, errno, "rename '%s' to '%s'", tmp, path);
	if (r < 0)
		unlink(tmp);
	return r;
}

const char *const *vz_config_keys(void)
{
	static const char *names[64];
	if (!names[0]) {
		size_t i = 0;
		for (const struct vz_key *k = vz_container_keys; k->name && i + 1 < ELEMENTSOF(names);
		     k++)
			names[i++] = k->name;
		names[i] = NULL;
	}
	return names;
}
