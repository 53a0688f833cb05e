/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * output.c: JSON writer and shared container formatting (see output.h).
 */
#include <inttypes.h>

#include "console.h"
#include "output.h"
#include "parse-util.h"

void json_begin(struct json *j, FILE *f) { *j = (struct json){ .f = f }; }

static void sep(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		fputc('"', j->f);
		fputs(key, j->f);
		fputs("\":", j->f);
	}
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void open_(struct json *j, const char *key, char c)
{
	sep(j, key);
	fputc(c, j->f);
	if (j->depth < 15)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
}

void json_object_open(struct json *j, const char *key) { open_(j, key, '{'); }
void json_object_close(struct json *j) { close_(j, '}'); }
void json_array_open(struct json *j, const char *key) { open_(j, key, '['); }
void json_array_close(struct json *j) { close_(j, ']'); }

void json_str(struct json *j, const char *key, const char *v)
{
	sep(j, key);
	if (v)
		put_string(j->f, v);
	else
		fputs("null", j->f);
}

void json_int(struct json *j, const char *key, int64_t v)
{
	sep(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	sep(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	sep(j, key);
	fputs("null", j->f);
}

void json_end(struct json *j) { fputc('\n', j->f); }

static bool near(uint64_t used, uint64_t limit)
{
	return limit && used >= limit - limit / 10;
}

unsigned info_limits_flagged(const struct vz_info *i)
{
	const struct vz_cgroup_hits *h = &i->hits;
	unsigned f = 0;
	if (!i->have_stats || !i->have_hits)
		return 0;
	if (h->memory_max || h->memory_high || h->swap_max || h->oom || h->oom_kill ||
	    near(i->stats.memory_bytes, i->stats.memory_limit))
		f |= INFO_LIMIT_MEMORY;
	if (h->cpu_throttled)
		f |= INFO_LIMIT_CPU;
	if (h->pids_max || near(i->stats.pids, i->stats.pids_limit))
		f |= INFO_LIMIT_PIDS;
	return f;
}

static void hits_to_json(struct json *j, const struct vz_info *i)
{
	const struct vz_cgroup_hits *h = &i->hits;
	json_uint(j, "cpu_quota_us", h->cpu_quota_us);
	json_uint(j, "cpu_period_us", h->cpu_period_us);
	json_object_open(j, "hits");
	json_uint(j, "memory_max", h->memory_max);
	json_uint(j, "memory_high", h->memory_high);
	json_uint(j, "swap_max", h->swap_max);
	json_uint(j, "oom", h->oom);
	json_uint(j, "oom_kill", h->oom_kill);
	json_uint(j, "pids_max", h->pids_max);
	json_uint(j, "cpu_periods", h->cpu_periods);
	json_uint(j, "cpu_throttled", h->cpu_throttled);
	json_uint(j, "cpu_throttled_ns", h->cpu_throttled_ns);
	if (h->have_io_pressure) {
		json_uint(j, "io_some_us", h->io_some_us);
		json_uint(j, "io_full_us", h->io_full_us);
	}
	json_object_close(j);
	unsigned f = info_limits_flagged(i);
	json_array_open(j, "limits_hit");
	if (f & INFO_LIMIT_MEMORY)
		json_str(j, NULL, "memory");
	if (f & INFO_LIMIT_CPU)
		json_str(j, NULL, "cpu");
	if (f & INFO_LIMIT_PIDS)
		json_str(j, NULL, "pids");
	json_array_close(j);
}

const char *info_state_label(const struct vz_info *i)
{
	if (i->stale)
		return "STOPPED (monitor died)";
	return vz_state_to_string(i->state) ?: "?";
}

const char *info_ipv4(const struct vz_net_rec *n)
{
	/* ipv4 = "dhcp": the address leased to it, if vz's dnsmasq knows one */
	return streq(n->ipv4, VZ_NET_DHCP) && *n->lease ? n->lease : n->ipv4;
}

const char *info_first_addr(const struct vz_info *i, bool v6)
{
	static char buf[64];
	for (size_t k = 0; i->net_live && k < i->n_net; k++) {
		const char *a = v6 ? i->net[k].ipv6 : info_ipv4(&i->net[k]);
		if (*a) {
			snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(a, "/"), a);
			return buf;
		}
	}
	return NULL;
}

void info_to_json(struct json *j, const struct vz_info *i)
{
	json_object_open(j, NULL);
	json_str(j, "name", i->name);
	json_str(j, "state", vz_state_to_string(i->state));
	json_bool(j, "monitor_died", i->stale);
	if (i->init_pid > 0)
		json_int(j, "pid", i->init_pid);
	else
		json_null(j, "pid");
	if (i->monitor_pid > 0 && i->state != VZ_STATE_STOPPED)
		json_int(j, "monitor_pid", i->monitor_pid);
	else
		json_null(j, "monitor_pid");
	/* the first address of each family, while it runs (vz ls's columns) */
	json_str(j, "ipv4", info_first_addr(i, false));
	json_str(j, "ipv6", info_first_addr(i, true));
	json_array_open(j, "interfaces");
	for (size_t k = 0; k < i->n_net; k++) {
		const struct vz_net_rec *n = &i->net[k];
		json_object_open(j, NULL);
		bool mv = n->type == VZ_NET_MACVLAN;
		json_str(j, "name", n->name);
		json_str(j, "type", vz_net_type_to_string(n->type));
		json_str(j, "host", i->net_live && !mv ? n->host : NULL);
		json_str(j, "bridge", mv ? NULL : n->bridge);
		json_str(j, "parent", mv ? n->parent : NULL);
		json_str(j, "hwaddr", n->hwaddr);
		json_str(j, "host_hwaddr", mv ? NULL : n->host_hwaddr);
		json_str(j, "ipv4", *n->ipv4 ? n->ipv4 : NULL);
		if (streq(n->ipv4, VZ_NET_DHCP))
			json_str(j, "ipv4_lease", *n->lease ? n->lease : NULL);
		json_str(j, "ipv6", *n->ipv6 ? n->ipv6 : NULL);
		/* bits/s, 0 = none; null: not read (vz ls leaves them out) */
		if (i->rates && i->rates[k].have) {
			json_int(j, "rate_in", (int64_t)i->rates[k].in);
			json_int(j, "rate_out", (int64_t)i->rates[k].out);
		} else if (i->rates) {
			json_null(j, "rate_in");
			json_null(j, "rate_out");
		}
		json_object_close(j);
	}
	json_array_close(j);
	json_str(j, "config", i->config_path);
	if (i->config_error)
		json_str(j, "config_error", i->config_error);
	if (i->have_spec) {
		json_bool(j, "unprivileged", !i->privileged);
		json_str(j, "template", i->template);
		json_object_open(j, "idmap");
		json_uint(j, "uid", i->idmap.uid);
		json_uint(j, "gid", i->idmap.gid);
		json_uint(j, "count", i->idmap.count);
		json_object_close(j);
		json_uint(j, "io_weight", i->limits.io_weight);
		json_array_open(j, "io_limits");
		for (size_t k = 0; k < i->limits.n_io; k++) {
			const struct vz_io_limit *e = &i->limits.io[k];
			json_object_open(j, NULL);
			json_str(j, "device", e->device);
			json_uint(j, "read_bps", e->read_bps);
			json_uint(j, "write_bps", e->write_bps);
			json_uint(j, "read_iops", e->read_iops);
			json_uint(j, "write_iops", e->write_iops);
			json_object_close(j);
		}
		json_array_close(j);
	}
	if (i->state != VZ_STATE_STOPPED) {
		json_uint(j, "started_at", i->started_at);
		json_uint(j, "restarts", i->restarts);
	}
	if (i->have_stats) {
		json_uint(j, "memory_bytes", i->stats.memory_bytes);
		json_uint(j, "memory_limit_bytes", i->stats.memory_limit);
		json_uint(j, "cpu_usage_ns", i->stats.cpu_usage_ns);
		json_uint(j, "pids", i->stats.pids);
		json_uint(j, "pids_limit", i->stats.pids_limit);
		if (i->stats.have_io) {
			json_uint(j, "io_read_bytes", i->stats.io_read_bytes);
			json_uint(j, "io_write_bytes", i->stats.io_write_bytes);
			json_uint(j, "io_read_ios", i->stats.io_read_ios);
			json_uint(j, "io_write_ios", i->stats.io_write_ios);
		}
	} else {
		json_null(j, "memory_bytes");
	}
	if (i->have_hits)
		hits_to_json(j, i);
	if (i->consoles) {
		json_array_open(j, "consoles");
		for (const char *p = i->consoles; *p;) {
			struct vz_console_client_info ci;
			if (vz_console_list_parse(p, &ci) >= 0) {
				json_object_open(j, NULL);
				json_uint(j, "uid", ci.uid);
				json_int(j, "pid", ci.pid);
				json_uint(j, "tty", ci.tty);
				json_str(j, "mode", ci.ro ? "ro" : "rw");
				json_uint(j, "since", ci.since);
				json_object_close(j);
			}
			p += strcspn(p, "\n");
			p += *p == '\n';
		}
		json_array_close(j);
	}
	json_object_close(j);
}
