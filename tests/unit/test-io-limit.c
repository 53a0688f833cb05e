/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-io-limit: "limits.io" (io-limit.h): the list in a config file, with
 * the exact "file:line: key 'limits.io[N].key': reason" messages; its
 * one-line form through vz_config_set (vz set io=..., io+=...); and the
 * device checks that need no real disk (a missing node, a character
 * device, an unresolved "rootfs").
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config.h"
#include "fs-util.h"
#include "io-limit.h"
#include "tap.h"

static char *top;

#define BASE                                                                                       \
	"template = \"busybox\";\n"                                                                \
	"rootfs = { lower = \"busybox/1.36/rootfs\"; };\n"                                         \
	"idmap = { uid = 100000; gid = 100000; };\n"

static struct vz_spec *load(struct vz_global *g, const char *text, vz_err *err)
{
	_cleanup_free_ char *p = path_join(top, "config");
	if (write_file(p, text, O_CREAT | O_TRUNC) < 0)
		printf("# cannot write %s\n", p);
	struct vz_spec *s = NULL;
	if (vz_spec_load_file(g, p, "c", &s, err) < 0)
		return NULL;
	return s;
}

static void good_file(struct vz_global *g)
{
	vz_err err = { 0 };
	struct vz_spec *s = load(g,
				 BASE "limits = { io_weight = 300; io = (\n"
				      "  { device = \"/dev/vda\"; read_bps = \"50M\"; write_bps = 4096;"
				      " read_iops = 2000; write_iops = 10; },\n"
				      "  { device = \"rootfs\"; write_iops = 5; } ); };\n",
				 &err);
	ok(s != NULL, "a list of two loads: %s", err.msg);
	if (!s)
		return;
	is_int(s->limits.io_weight, 300, "io_weight");
	is_int(s->limits.n_io, 2, "two entries");
	const struct vz_io_limit *e = &s->limits.io[0];
	is_str(e->device, "/dev/vda", "[0].device");
	ok(e->read_bps == 50ULL << 20 && e->write_bps == 4096 && e->read_iops == 2000 &&
		   e->write_iops == 10,
	   "[0]: every limit");
	e = &s->limits.io[1];
	is_str(e->device, "rootfs", "[1].device rootfs");
	ok(!e->read_bps && !e->write_bps && !e->read_iops && e->write_iops == 5,
	   "[1]: unset limits are 0");
	vz_spec_free(s);

	s = load(g, BASE, &err);
	ok(s && s->limits.io_weight == 100 && s->limits.n_io == 0, "defaults: weight 100, no list");
	vz_spec_free(s);
	s = load(g, BASE "limits = { io = (); };\n", &err);
	ok(s && s->limits.n_io == 0, "an empty list");
	vz_spec_free(s);
}

static void bad_file(struct vz_global *g, const char *limits, const char *msg)
{
	_cleanup_free_ char *text = strdup_printf(BASE "%s\n", limits);
	_cleanup_free_ char *want = strdup_printf("%s/config:4: %s", top, msg);
	vz_err err = { 0 };
	struct vz_spec *s = load(g, text, &err);
	ok(s == NULL, "refused: %s", limits);
	is_str(err.msg, want, "message");
	vz_spec_free(s);
}

static void bad_files(struct vz_global *g)
{
	bad_file(g, "limits = { io = ( { device = \"/dev/vda\"; foo = 1; } ); };",
		 "key 'limits.io[0].foo': unknown key (device, read_bps, write_bps, read_iops, "
		 "write_iops)");
	bad_file(g,
		 "limits = { io = ( { device = \"/dev/vda\"; read_iops = 1; },"
		 " { device = \"/dev/vdb\"; write_bps = \"lots\"; } ); };",
		 "key 'limits.io[1].write_bps': invalid size 'lots'");
	bad_file(g, "limits = { io = ( { device = \"/dev/vda\"; } ); };",
		 "key 'limits.io[0]': no limit given (read_bps, write_bps, read_iops or write_iops)");
	bad_file(g, "limits = { io = ( { read_iops = 3; } ); };",
		 "key 'limits.io[0].device': missing (the block device to limit, such as "
		 "\"/dev/vda\")");
	bad_file(g, "limits = { io = ( { device = \"vda\"; read_iops = 3; } ); };",
		 "key 'limits.io[0].device': expected a block device path such as \"/dev/vda\", "
		 "or \"rootfs\"");
	bad_file(g, "limits = { io = ( { device = \"/dev/vda\"; read_bps = 100; } ); };",
		 "key 'limits.io[0].read_bps': 100 is out of range (4K..16E, or 0 for no limit)");
	bad_file(g, "limits = { io = ( { device = \"/dev/vda\"; read_iops = \"5\"; } ); };",
		 "key 'limits.io[0].read_iops': expected an integer (requests per second)");
	bad_file(g, "limits = { io = ( { device = \"/dev/vda\"; read_iops = -5; } ); };",
		 "key 'limits.io[0].read_iops': -5 is negative");
	bad_file(g,
		 "limits = { io = ( { device = \"/dev/vda\"; read_iops = 1; },"
		 " { device = \"/dev/vda\"; write_iops = 1; } ); };",
		 "key 'limits.io[1].device': '/dev/vda' is limited by limits.io[0] already");
	bad_file(g, "limits = { io = ( \"/dev/vda\" ); };",
		 "key 'limits.io[0]': expected a group such as { device = \"/dev/vda\"; read_bps = "
		 "\"50M\"; }");
	bad_file(g, "limits = { io = \"/dev/vda:read_bps=1M\"; };",
		 "key 'limits.io': expected a list such as ( { device = \"/dev/vda\"; read_bps = "
		 "\"50M\"; } )");
	bad_file(g, "limits = { io_weight = 10001; };",
		 "key 'limits.io_weight': 10001 is out of range (1..10000)");
}

/* Set key=value on cfg and return the libconfig text of limits.io. */
static char *set(config_t *cfg, const char *key, const char *value, vz_err *err)
{
	if (vz_config_set(cfg, key, value, err) < 0)
		return NULL;
	_cleanup_free_ char *p = path_join(top, "set.conf");
	if (vz_config_write_file(cfg, p, err) < 0)
		return NULL;
	char *text = NULL;
	if (read_file(p, &text, NULL) < 0)
		return NULL;
	/* squeeze the whitespace: one line to compare */
	char *o = text;
	for (char *i = text; *i; i++)
		if (*i != ' ' && *i != '\n')
			*o++ = *i;
	*o = 0;
	char *io = strstr(text, "io=(");
	char *r = io ? strndup(io, strcspn(io, ")") + 1) : strdup("(none)");
	free(text);
	return r;
}

static void one_line(void)
{
	config_t cfg;
	config_init(&cfg);
	vz_err err = { 0 };
	_cleanup_free_ char *a =
		set(&cfg, "limits.io", "/dev/vda:read_bps=50M,write_iops=2000 rootfs:read_iops=7",
		    &err);
	is_str(a,
	       "io=({device=\"/dev/vda\";read_bps=\"50M\";write_iops=2000;},{device=\"rootfs\";"
	       "read_iops=7;})",
	       "io=: two entries, sizes kept as typed, counts as integers %s", err.msg);
	_cleanup_free_ char *b = set(&cfg, "limits.io+", "/dev/vda:read_bps=0,read_iops=9", &err);
	is_str(b,
	       "io=({device=\"/dev/vda\";write_iops=2000;read_iops=9;},{device=\"rootfs\";"
	       "read_iops=7;})",
	       "io+=: one entry updated, 0 removes a key %s", err.msg);
	_cleanup_free_ char *c = set(&cfg, "limits.io+", "rootfs:none;/dev/disk/by-path/pci-0000:00:04.0:write_bps=1G", &err);
	is_str(c,
	       "io=({device=\"/dev/vda\";write_iops=2000;read_iops=9;},{device=\"/dev/disk/by-path/"
	       "pci-0000:00:04.0\";write_bps=\"1G\";})",
	       "io+=: DEVICE:none removes an entry, a device with colons %s", err.msg);
	_cleanup_free_ char *d = set(&cfg, "limits.io", "none", &err);
	is_str(d, "io=()", "io=none: an empty list %s", err.msg);
	config_destroy(&cfg);

	static const struct {
		const char *key, *value, *msg;
	} bad[] = {
		{ "limits.io", "/dev/vda", "key 'limits.io': '/dev/vda': want DEVICE:KEY=VALUE[,KEY=VALUE...], such as /dev/vda:read_bps=50M,write_iops=2000" },
		{ "limits.io", "/dev/vda:speed=3", "key 'limits.io': 'speed': unknown key (read_bps, write_bps, read_iops, write_iops)" },
		{ "limits.io", "/dev/vda:read_iops=1M", "key 'limits.io': read_iops: invalid integer '1M'" },
		{ "limits.io", "/dev/vda:read_bps=1", "key 'limits.io[0].read_bps': 1 is out of range (4K..16E, or 0 for no limit)" },
		{ "limits.io", "/dev/vda:read_bps=0", "key 'limits.io': '/dev/vda:read_bps=0': no limit given (read_bps, write_bps, read_iops or write_iops)" },
		{ "limits.io", "vda:read_iops=1", "key 'limits.io': 'vda': the device must be an absolute path or \"rootfs\"" },
		{ "limits.io", "/dev/a:read_iops=1 /dev/a:write_iops=1", "key 'limits.io': '/dev/a' is given twice" },
		{ "limits.memory+", "1G", "key 'limits.memory': '+=' updates a list: only limits.io takes it" },
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		config_init(&cfg);
		err = (vz_err){ 0 };
		ok(vz_config_set(&cfg, bad[i].key, bad[i].value, &err) < 0, "%s=%s refused",
		   bad[i].key, bad[i].value);
		is_str(err.msg, bad[i].msg, "message");
		config_destroy(&cfg);
	}
}

static void resolve(void)
{
	struct vz_io_limit e[2] = {
		{ .device = (char *)"/dev/null", .read_iops = 1 },
		{ .device = (char *)"rootfs", .read_iops = 1 },
	};
	struct vz_limits lim = { .io = e, .n_io = 1 };
	struct vz_io_limit *out = NULL;
	vz_err err = { 0 };
	is_int(vz_io_resolve(&lim, NULL, &out, &err), -ENOTBLK, "a character device is refused");
	is_str(err.msg, "limits.io[0].device: '/dev/null' is not a block device", "message");
	e[0].device = (char *)"/dev/vz-no-such-disk";
	err = (vz_err){ 0 };
	is_int(vz_io_resolve(&lim, NULL, &out, &err), -ENOENT, "a missing node is refused");
	is_str(err.msg, "limits.io[0].device: '/dev/vz-no-such-disk': No such file or directory",
	       "message");
	lim.io = &e[1];
	is_int(vz_io_resolve(&lim, NULL, &out, &err), 0, "rootfs without layers: left alone");
	ok(out && out[0].n_devno == 0 && streq(out[0].device, "rootfs"), "... unresolved");
	free(out);
	const char *layers[] = { "/proc", NULL };
	err = (vz_err){ 0 };
	is_int(vz_io_resolve(&lim, layers, &out, &err), -ENODEV, "rootfs on no disk is refused");
	has_str(err.msg, "on no block device of its own", "message: %s", err.msg);
	lim.n_io = 0;
	is_int(vz_io_resolve(&lim, layers, &out, &err), 0, "no entry: nothing to do");
	ok(out == NULL, "... and no copy");

	char devno[24], disk[64];
	bool part = true;
	is_int(vz_io_whole_disk(0, 0, devno, &part, disk), -ENODEV, "0:0 is no block device");
}

int main(void)
{
	top = tap_tmpdir("io");
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	if (!top || vz_global_load(top, &g, &err) < 0) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	good_file(g);
	bad_files(g);
	one_line();
	resolve();
	vz_global_free(g);
	ok(rm_rf(top) == 0, "temporary directory removed");
	free(top);
	return tap_done();
}
