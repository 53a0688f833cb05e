/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * io-limit.c: "limits.io" (see io-limit.h): the list in the config file,
 * its one-line form, and the whole disk behind each entry (sysfs
 * /sys/dev/block/MAJ:MIN). Runs in commands and in the monitor.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fs-util.h"
#include "io-limit.h"
#include "log.h"
#include "parse-util.h"
#include "storage.h"
#include "strv.h"

static const struct io_field {
	const char *name;
	size_t off;
	bool size; /* bytes per second ("50M"), else requests per second */
} io_fields[] = {
	{ "read_bps", offsetof(struct vz_io_limit, read_bps), true },
	{ "write_bps", offsetof(struct vz_io_limit, write_bps), true },
	{ "read_iops", offsetof(struct vz_io_limit, read_iops), false },
	{ "write_iops", offsetof(struct vz_io_limit, write_iops), false },
};
#define IO_KEYS "device, read_bps, write_bps, read_iops, write_iops"

static const struct io_field *io_field(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(io_fields); i++)
		if (streq(io_fields[i].name, name))
			return &io_fields[i];
	return NULL;
}

void vz_io_list_free(struct vz_limits *lim)
{
	for (size_t i = 0; i < lim->n_io; i++)
		free(lim->io[i].device);
	free(lim->io);
	lim->io = NULL;
	lim->n_io = 0;
}

static bool device_ok(const char *d)
{
	return streq(d, VZ_IO_ROOTFS) || (d[0] == '/' && d[1]);
}

/* One value: a size (integer or "50M") or a count (integer). 0 = none. */
static int field_value(const config_setting_t *s, const struct io_field *f, uint64_t *ret,
		       char *why, size_t len)
{
	int t = config_setting_type(s);
	uint64_t v;
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		long long n = config_setting_get_int64(s);
		if (n < 0)
			return vz_why(why, len, "%lld is negative", n);
		v = (uint64_t)n;
	} else if (f->size && t == CONFIG_TYPE_STRING) {
		const char *str = config_setting_get_string(s);
		int r = parse_size(str, &v);
		if (r < 0)
			return vz_why(why, len, "invalid size '%s'", str), r == -ERANGE ? -ERANGE : -EINVAL;
	} else
		return vz_why(why, len, "expected %s",
			       f->size ? "a rate in bytes per second such as \"50M\""
				       : "an integer (requests per second)");
	if (v == UINT64_MAX || (f->size && v && v < VZ_IO_BPS_MIN))
		return vz_why(why, len, "%llu is out of range (%s..%s, or 0 for no limit)",
			       (unsigned long long)v, f->size ? "4K" : "1",
			       f->size ? "16E" : "18446744073709551614"),
		       -ERANGE;
	*ret = v;
	return 0;
}

static int entry_from_config(const config_setting_t *g, struct vz_io_limit *e, char *why,
			     size_t len)
{
	if (!config_setting_is_group(g))
		return vz_why(why, len, ": expected a group such as { device = \"/dev/vda\"; "
					 "read_bps = \"50M\"; }");
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		char sub[160] = "";
		int r = 0;
		if (streq(name, "device")) {
			const char *d = config_setting_get_string(s);
			if (!d || !device_ok(d))
				r = vz_why(sub, sizeof(sub), "expected a block device path such as "
							      "\"/dev/vda\", or \"rootfs\"");
			else if (!(e->device = strdup(d)))
				return -ENOMEM;
		} else if (io_field(name))
			r = field_value(s, io_field(name), (uint64_t *)((char *)e + io_field(name)->off),
					sub, sizeof(sub));
		else
			r = vz_why(sub, sizeof(sub), "unknown key (" IO_KEYS ")");
		if (r < 0)
			return vz_why(why, len, ".%s: %s", name, sub), r;
	}
	if (!e->device)
		return vz_why(why, len, ".device: missing (the block device to limit, such as "
					 "\"/dev/vda\")");
	if (!e->read_bps && !e->write_bps && !e->read_iops && !e->write_iops)
		return vz_why(why, len, ": no limit given (read_bps, write_bps, read_iops or "
					 "write_iops)");
	return 0;
}

int vz_io_list_from_config(const config_setting_t *s, struct vz_limits *lim, char *why,
			   size_t len)
{
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
		return vz_why(why, len, "expected a list such as ( { device = \"/dev/vda\"; "
					 "read_bps = \"50M\"; } )");
	int n = config_setting_length(s);
	struct vz_limits tmp = { 0 };
	if (n > 0 && !(tmp.io = calloc((size_t)n, sizeof(*tmp.io))))
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct vz_io_limit *e = &tmp.io[tmp.n_io++];
		char sub[400] = "";
		int r = entry_from_config(config_setting_get_elem(s, (unsigned)i), e, sub,
					  sizeof(sub));
		for (int j = 0; r >= 0 && j < i; j++)
			if (streq(tmp.io[j].device, e->device))
				r = vz_why(sub, sizeof(sub), ".device: '%s' is limited by limits.io[%d] already",
					    e->device, j);
		if (r < 0) {
			vz_io_list_free(&tmp);
			if (r == -ENOMEM)
				return r;
			/* "[0].read_bps: reason", or "[0]: reason" for the element */
			return vz_why(why, len, "[%d]%s", i, sub), r;
		}
	}
	vz_io_list_free(lim);
	lim->io = tmp.io;
	lim->n_io = tmp.n_io;
	return 0;
}

/* ------------------------------------------------------------ one-line form */

static config_setting_t *find_device(config_setting_t *list, const char *dev)
{
	int n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const char *d = NULL;
		if (config_setting_is_group(g) && config_setting_lookup_string(g, "device", &d) &&
		    streq(d, dev))
			return g;
	}
	return NULL;
}

static bool has_limit(const config_setting_t *g)
{
	for (size_t i = 0; i < ELEMENTSOF(io_fields); i++)
		if (config_setting_get_member(g, io_fields[i].name))
			return true;
	return false;
}

/* One "KEY=VALUE" of an entry into group g; 0 removes the key. */
static int set_field(config_setting_t *g, const char *kv, char *why, size_t len)
{
	const char *eq = strchr(kv, '=');
	char name[32];
	size_t n = eq ? (size_t)(eq - kv) : 0;
	if (!eq || n == 0 || n >= sizeof(name))
		return vz_why(why, len, "'%s': want KEY=VALUE (read_bps, write_bps, read_iops, "
					 "write_iops)", kv);
	memcpy(name, kv, n);
	name[n] = 0;
	const struct io_field *f = io_field(name);
	if (!f)
		return vz_why(why, len, "'%s': unknown key (read_bps, write_bps, read_iops, "
					 "write_iops)", name);
	uint64_t v;
	int r = f->size ? parse_size(eq + 1, &v) : parse_u64(eq + 1, &v);
	if (r < 0 || v > INT64_MAX)
		return vz_why(why, len, "%s: invalid %s '%s'", name,
			       f->size ? "size" : "integer", eq + 1);
	if (config_setting_get_member(g, name))
		config_setting_remove(g, name);
	if (v == 0)
		return 0;
	config_setting_t *s = config_setting_add(g, name, f->size ? CONFIG_TYPE_STRING
								 : CONFIG_TYPE_INT64);
	if (!s)
		return -ENOMEM;
	if (f->size)
		config_setting_set_string(s, eq + 1);
	else if (v <= INT32_MAX) {
		/* a plain int: no "L" suffix in the file */
		config_setting_remove(g, name);
		s = config_setting_add(g, name, CONFIG_TYPE_INT);
		if (!s)
			return -ENOMEM;
		config_setting_set_int(s, (int)v);
	} else
		config_setting_set_int64(s, (long long)v);
	return 0;
}

/* DEVICE:KEY=VALUE,... or DEVICE:none. The device ends at the last ':'
 * before the first '=' (/dev/disk/by-path names hold colons). */
static int set_entry(config_setting_t *list, const char *entry, bool merge, char *why, size_t len)
{
	const char *eq = strchr(entry, '=');
	const char *colon = NULL;
	for (const char *p = entry; *p && (!eq || p < eq); p++)
		if (*p == ':')
			colon = p;
	bool none = !eq && colon && streq(colon + 1, "none");
	if (!colon || colon == entry || (!eq && !none))
		return vz_why(why, len, "'%s': want DEVICE:KEY=VALUE[,KEY=VALUE...], such as "
					 "/dev/vda:read_bps=50M,write_iops=2000", entry);
	_cleanup_free_ char *dev = strndup(entry, (size_t)(colon - entry));
	if (!dev)
		return -ENOMEM;
	if (!device_ok(dev))
		return vz_why(why, len, "'%s': the device must be an absolute path or \"rootfs\"",
			       dev);
	config_setting_t *g = find_device(list, dev);
	if (g && !merge)
		return vz_why(why, len, "'%s' is given twice", dev);
	if (!g) {
		g = config_setting_add(list, NULL, CONFIG_TYPE_GROUP);
		config_setting_t *d = g ? config_setting_add(g, "device", CONFIG_TYPE_STRING) : NULL;
		if (!d)
			return -ENOMEM;
		config_setting_set_string(d, dev);
	}
	if (none) {
		for (size_t i = 0; i < ELEMENTSOF(io_fields); i++)
			if (config_setting_get_member(g, io_fields[i].name))
				config_setting_remove(g, io_fields[i].name);
	} else {
		_cleanup_strv_free_ char **kvs = strv_split(colon + 1, ",");
		if (!kvs)
			return -ENOMEM;
		STRV_FOREACH (kv, kvs) {
			int r = set_field(g, *kv, why, len);
			if (r < 0)
				return r;
		}
	}
	if (!has_limit(g)) {
		if (!merge)
			return vz_why(why, len, "'%s': no limit given (read_bps, write_bps, read_iops "
						 "or write_iops)", entry);
		config_setting_remove_elem(list, (unsigned)config_setting_index(g));
	}
	return 0;
}

int vz_io_list_set_string(config_setting_t *list, const char *value, bool merge, char *why,
			  size_t len)
{
	_cleanup_strv_free_ char **entries = strv_split(value, " \t\n;");
	if (!entries)
		return -ENOMEM;
	if (strv_length(entries) == 1 && streq(entries[0], "none") && !merge)
		return 0;
	STRV_FOREACH (e, entries) {
		int r = set_entry(list, *e, merge, why, len);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------ whole disks */

int vz_io_whole_disk(unsigned maj, unsigned min, char out[24], bool *partition, char disk[64])
{
	char path[64], real[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", maj, min);
	if (!realpath(path, real))
		return errno == ENOENT ? -ENODEV : -errno;
	_cleanup_free_ char *part = path_join(real, "partition");
	if (!part)
		return -ENOMEM;
	*partition = path_exists(part);
	if (*partition) {
		/* .../block/vda/vda1: the disk is the parent directory */
		char *slash = strrchr(real, '/');
		if (!slash)
			return -ENODEV;
		*slash = 0;
		_cleanup_free_ char *devf = path_join(real, "dev"), *line = NULL;
		if (!devf)
			return -ENOMEM;
		int r = read_line_file(devf, &line);
		if (r < 0)
			return r;
		if (sscanf(line, "%u:%u", &maj, &min) != 2)
			return -ENODEV;
	}
	const char *base = strrchr(real, '/');
	snprintf(disk, 64, "%.63s", base ? base + 1 : real);
	snprintf(out, 24, "%u:%u", maj, min);
	return 0;
}

/* A block device node given by path: its whole disk, partitions refused. */
static int resolve_node(struct vz_io_limit *e, size_t i, vz_err *err)
{
	struct stat st;
	if (stat(e->device, &st) < 0)
		return vz_fail(err, errno, "limits.io[%zu].device: '%s'", i, e->device);
	if (!S_ISBLK(st.st_mode))
		return vz_failx(err, ENOTBLK, "limits.io[%zu].device: '%s' is not a block device", i,
				e->device);
	bool part;
	char disk[64];
	int r = vz_io_whole_disk(major(st.st_rdev), minor(st.st_rdev), e->devno[0], &part, disk);
	if (r < 0)
		return vz_fail(err, r, "limits.io[%zu].device: '%s' (%u:%u)", i, e->device,
			       major(st.st_rdev), minor(st.st_rdev));
	if (part)
		return vz_failx(err, EINVAL,
				"limits.io[%zu].device: '%s' is a partition; I/O limits apply to "
				"whole disks: use /dev/%s",
				i, e->device, disk);
	e->n_devno = 1;
	return 0;
}

/* "rootfs": the disk under each layer; layers on no disk (tmpfs) are left
 * out, and it is an error if none is on one. */
static int resolve_rootfs(struct vz_io_limit *e, size_t i, const char *const *layers,
			  vz_err *err)
{
	e->n_devno = 0;
	for (; *layers; layers++) {
		struct stat st;
		if (stat(*layers, &st) < 0)
			return vz_fail(err, errno, "limits.io[%zu].device: rootfs: '%s'", i, *layers);
		char devno[24], disk[64];
		bool part;
		int r = vz_io_whole_disk(major(st.st_dev), minor(st.st_dev), devno, &part, disk);
		if (r == -ENODEV || major(st.st_dev) == 0) {
			log_debug("io: %s is on device %u:%u, not a block device: not limited",
				  *layers, major(st.st_dev), minor(st.st_dev));
			continue;
		}
		if (r < 0)
			return vz_fail(err, r, "limits.io[%zu].device: rootfs: the disk of '%s'", i,
				       *layers);
		bool seen = false;
		for (unsigned k = 0; k < e->n_devno; k++)
			seen |= streq(e->devno[k], devno);
		if (seen)
			continue;
		if (e->n_devno < ELEMENTSOF(e->devno))
			snprintf(e->devno[e->n_devno++], sizeof(e->devno[0]), "%s", devno);
	}
	if (e->n_devno == 0)
		return vz_failx(err, ENODEV,
				"limits.io[%zu].device: rootfs: the container's root filesystem is "
				"on no block device of its own (tmpfs, btrfs or a network "
				"filesystem?): name the device instead",
				i);
	return 0;
}

int vz_io_resolve(const struct vz_limits *lim, const char *const *layers,
		  struct vz_io_limit **ret, vz_err *err)
{
	*ret = NULL;
	if (lim->n_io == 0)
		return 0;
	_cleanup_free_ struct vz_io_limit *io = calloc(lim->n_io, sizeof(*io));
	if (!io)
		return -ENOMEM;
	for (size_t i = 0; i < lim->n_io; i++) {
		struct vz_io_limit *e = &io[i];
		*e = lim->io[i];
		e->n_devno = 0;
		int r = 0;
		if (!streq(e->device, VZ_IO_ROOTFS))
			r = resolve_node(e, i, err);
		else if (layers)
			r = resolve_rootfs(e, i, layers, err);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			for (unsigned a = 0; a < e->n_devno; a++)
				for (unsigned b = 0; b < io[j].n_devno; b++)
					if (streq(e->devno[a], io[j].devno[b]))
						return vz_failx(err, EINVAL,
								"limits.io[%zu].device: '%s' is "
								"the disk %s, limited by "
								"limits.io[%zu] ('%s') already",
								i, e->device, e->devno[a], j,
								io[j].device);
	}
	*ret = TAKE_PTR(io);
	return 0;
}

int vz_io_resolve_spec(const struct vz_global *g, const struct vz_spec *spec,
		       struct vz_io_limit **ret, vz_err *err)
{
	*ret = NULL;
	if (spec->limits.n_io == 0)
		return 0;
	struct vz_storage st;
	int r = vz_storage_init(&st, g, spec);
	if (r < 0) {
		vz_storage_done(&st);
		return vz_fail(err, r, "the storage of '%s'", spec->name);
	}
	const char *layers[3] = { NULL };
	if (st.backend == VZ_BACKEND_DIR)
		layers[0] = st.root;
	else {
		layers[0] = st.delta;
		layers[1] = st.lower;
	}
	r = vz_io_resolve(&spec->limits, layers, ret, err);
	vz_storage_done(&st);
	return r;
}
