/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-rate.c: vz set's netN.rate_in / netN.rate_out (see net-rate.h): the
 * key, the config's network list, and the live change on the host side of
 * a running container's veth. Runs in the command.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "macro.h"
#include "net-rate.h"
#include "parse-util.h"
#include "tc.h"

/* "net3.", "network[3]." or "network.[3].": 1 with the index and what
 * follows the dot, 0 when key is none of these. */
static int key_index(const char *key, size_t *index, const char **sub)
{
	const char *p;
	bool bracket = true;
	if (startswith(key, "network.["))
		p = key + strlen("network.[");
	else if (startswith(key, "network["))
		p = key + strlen("network[");
	else if (startswith(key, "net") && isdigit((unsigned char)key[3])) {
		p = key + 3;
		bracket = false;
	} else
		return 0;
	size_t n = 0, digits = 0;
	for (; isdigit((unsigned char)*p) && digits < 4; p++, digits++)
		n = n * 10 + (size_t)(*p - '0');
	if (!digits || (bracket && *p++ != ']') || *p != '.')
		return 0;
	*index = n;
	*sub = p + 1;
	return 1;
}

int vz_net_rates_add(struct vz_net_rates *set, const char *kv, vz_err *err)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	char key[48];
	if (klen >= sizeof(key))
		return 0;
	memcpy(key, kv, klen);
	key[klen] = 0;
	size_t index;
	const char *sub;
	if (!key_index(key, &index, &sub))
		return 0;
	if (!streq(sub, "rate_in") && !streq(sub, "rate_out"))
		return vz_failx(err, EINVAL,
				"%s: vz set changes only rate_in and rate_out of an interface "
				"(edit the config for the others)",
				key);
	if (index >= VZ_NET_MAX)
		return vz_failx(err, ERANGE, "%s: no interface %zu (a container has at most %d)", key,
				index, VZ_NET_MAX);
	if (!eq)
		return vz_failx(err, EINVAL, "%s: expected KEY=VALUE", key);
	uint64_t bps;
	char why[256];
	int r = vz_net_rate_from_string(eq + 1, &bps, why, sizeof(why));
	if (r < 0)
		return vz_failx(err, -r, "%s: %s", key, why);
	if (bps > VZ_TC_RATE_MAX) {
		char a[24], b[24];
		return vz_failx(err, ERANGE, "%s: rate %s is above the most tbf takes (%s)", key,
				format_rate(bps, a), format_rate(VZ_TC_RATE_MAX, b));
	}
	struct vz_net_rate_change *c = &set->c[index];
	if (!c->set_in && !c->set_out) {
		snprintf(c->key, sizeof(c->key), "%s", key);
		set->n++;
	}
	if (streq(sub, "rate_in")) {
		c->set_in = true;
		c->in = bps;
	} else {
		c->set_out = true;
		c->out = bps;
	}
	return 1;
}

/* A deep copy of src as a new member of parent (no name inside lists). */
static int copy_setting(config_setting_t *parent, const config_setting_t *src)
{
	int t = config_setting_type(src);
	const char *name = config_setting_is_group(parent) ? config_setting_name(src) : NULL;
	config_setting_t *d = config_setting_add(parent, name, t);
	if (!d)
		return -ENOMEM;
	switch (t) {
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		for (int i = 0; i < config_setting_length(src); i++)
			if (copy_setting(d, config_setting_get_elem(src, (unsigned)i)) < 0)
				return -ENOMEM;
		return 0;
	case CONFIG_TYPE_INT:
		return config_setting_set_int(d, config_setting_get_int(src)) ? 0 : -ENOMEM;
	case CONFIG_TYPE_INT64:
		return config_setting_set_int64(d, config_setting_get_int64(src)) ? 0 : -ENOMEM;
	case CONFIG_TYPE_FLOAT:
		return config_setting_set_float(d, config_setting_get_float(src)) ? 0 : -ENOMEM;
	case CONFIG_TYPE_BOOL:
		return config_setting_set_bool(d, config_setting_get_bool(src)) ? 0 : -ENOMEM;
	case CONFIG_TYPE_STRING:
		return config_setting_set_string(d, config_setting_get_string(src)) ? 0 : -ENOMEM;
	}
	return 0;
}

/* Element index of list, checked: it exists, is a group, is a veth. */
static int element_of(config_setting_t *list, size_t index, const char *key,
		      config_setting_t **ret, vz_err *err)
{
	int cnt = list ? config_setting_length(list) : 0;
	if ((int)index >= cnt) {
		if (!cnt)
			return vz_failx(err, ENOENT, "%s: the config has no network interface", key);
		if (cnt == 1)
			return vz_failx(err, ENOENT, "%s: no interface %zu: the config has one (net0)",
					key, index);
		return vz_failx(err, ENOENT, "%s: no interface %zu: the config has %d (net0..net%d)",
				key, index, cnt, cnt - 1);
	}
	config_setting_t *e = config_setting_get_elem(list, (unsigned)index);
	if (!config_setting_is_group(e))
		return vz_failx(err, EINVAL, "%s: network[%zu] is not a group", key, index);
	const char *type = NULL;
	config_setting_t *t = config_setting_get_member(e, "type");
	if (t && !(type = config_setting_get_string(t)))
		type = "?";
	if (type && !streq(type, "veth"))
		return vz_failx(err, EINVAL,
				"%s: network[%zu] is of type \"%s\": rates apply to veth interfaces "
				"only",
				key, index, type);
	*ret = e;
	return 0;
}

/* Set or (bps 0) remove member name of element e: "20mbit", or the
 * plain number of bits/s where tc's units would round it. */
static int set_member(config_setting_t *e, const char *name, uint64_t bps)
{
	if (config_setting_get_member(e, name))
		config_setting_remove(e, name);
	if (!bps)
		return 0;
	char buf[24];
	uint64_t back;
	if (parse_rate(format_rate(bps, buf), &back) < 0 || back != bps)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)bps);
	config_setting_t *s = config_setting_add(e, name, CONFIG_TYPE_STRING);
	return s && config_setting_set_string(s, buf) ? 0 : -ENOMEM;
}

int vz_net_rates_config(config_t *cfg, const config_setting_t *defaults,
			const struct vz_net_rates *set, vz_err *err)
{
	if (!set->n)
		return 0;
	config_setting_t *root = config_root_setting(cfg);
	config_setting_t *list = config_setting_get_member(root, "network");
	bool copied = false;
	if (!list && defaults) {
		if (copy_setting(root, defaults) < 0)
			return -ENOMEM;
		list = config_setting_get_member(root, "network");
		copied = true;
	}
	/* every element checked before the first is changed */
	int r = 0;
	for (size_t i = 0; i < VZ_NET_MAX && r >= 0; i++) {
		config_setting_t *e;
		if (set->c[i].set_in || set->c[i].set_out)
			r = element_of(list, i, set->c[i].key, &e, err);
	}
	for (size_t i = 0; i < VZ_NET_MAX && r >= 0; i++) {
		const struct vz_net_rate_change *c = &set->c[i];
		if (!c->set_in && !c->set_out)
			continue;
		config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		if (c->set_in)
			r = set_member(e, "rate_in", c->in);
		if (r >= 0 && c->set_out)
			r = set_member(e, "rate_out", c->out);
	}
	if (r < 0 && copied)
		config_setting_remove(root, "network");
	return r;
}

int vz_net_rates_prepare(const struct vz_global *g, const char *name,
			 const struct vz_spec *spec, struct vz_net_rates *set, vz_err *err)
{
	if (!set->n)
		return 0;
	_cleanup_free_ struct vz_net_rec *recs = NULL;
	size_t n = 0;
	int r = vz_net_recs_read(g, name, &recs, &n);
	if (r < 0 && r != -ENOENT)
		return vz_fail(err, r, "read the interfaces of '%s'", name);
	for (size_t i = 0; i < VZ_NET_MAX; i++) {
		struct vz_net_rate_change *c = &set->c[i];
		if (!c->set_in && !c->set_out)
			continue;
		if (i >= spec->n_net)
			return vz_failx(err, ENOENT, "%s: the config has no interface %zu", c->key, i);
		const char *ifname = spec->net[i].name;
		const struct vz_net_rec *rec = NULL;
		for (size_t k = 0; k < n && !rec; k++)
			if (streq(recs[k].name, ifname))
				rec = &recs[k];
		if (!rec || !*rec->host)
			return vz_failx(err, ENOENT,
					"%s: the running container has no veth %s (restart it to "
					"apply the config's interfaces)",
					c->key, ifname);
		snprintf(c->host, sizeof(c->host), "%s", rec->host);
		r = vz_tc_get_rates(c->host, &c->old_in, &c->old_out, err);
		if (r < 0) {
			vz_err_prefix(err, "%s (%s)", c->key, ifname);
			return r;
		}
	}
	return 0;
}

/* Put the rates of the first n changes back as they were; logged. */
static void undo_first(const struct vz_net_rates *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vz_net_rate_change *c = &set->c[i];
		vz_err e = { 0 };
		if ((c->set_in || c->set_out) &&
		    vz_tc_set_rates(c->host, c->old_in, c->old_out, &e) < 0)
			log_warn("putting the rates of %s back: %s", c->host, e.msg);
	}
}

int vz_net_rates_apply(const struct vz_net_rates *set, vz_err *err)
{
	for (size_t i = 0; i < VZ_NET_MAX; i++) {
		const struct vz_net_rate_change *c = &set->c[i];
		if (!c->set_in && !c->set_out)
			continue;
		int r = vz_tc_set_rates(c->host, c->set_in ? c->in : c->old_in,
					c->set_out ? c->out : c->old_out, err);
		if (r < 0) {
			/* this one too: tbf may have changed before the ifb failed */
			undo_first(set, i + 1);
			vz_err_prefix(err, "%s: nothing changed", c->key);
			return r;
		}
	}
	return 0;
}

void vz_net_rates_undo(const struct vz_net_rates *set)
{
	undo_first(set, VZ_NET_MAX);
}
