/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-config: vz.conf and container config files (written to a temporary
 * directory under $TMPDIR or /tmp): relocation with a vzpath, the defaults
 * group, every key type, bad files with their exact "file:line: key 'x':
 * reason" messages, and -c key=value editing written back and reloaded.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config.h"
#include "enums.h"
#include "fs-util.h"
#include "strv.h"
#include "tap.h"

static char *top; /* the test's temporary directory (absolute, no symlinks) */

#define CAP(c) (UINT64_C(1) << (c))
#define DEFAULT_DROP                                                                               \
	(CAP(CAP_SYS_MODULE) | CAP(CAP_SYS_RAWIO) | CAP(CAP_SYS_TIME) | CAP(CAP_MAC_ADMIN) |       \
	 CAP(CAP_MAC_OVERRIDE))

/* Write top/rel (creating its directory); returns the malloc'ed path. */
static char *wfile(const char *rel, const char *text)
{
	char *p = path_join(top, rel);
	char *slash = strrchr(p, '/');
	*slash = 0;
	mkdir_p(p, 0755);
	*slash = '/';
	if (write_file(p, text, O_CREAT | O_TRUNC) < 0)
		printf("# cannot write %s\n", p);
	return p;
}

static char *tpath(const char *rel)
{
	return path_join(top, rel);
}

/* The lines every valid container file needs. */
#define BASE                                                                                       \
	"template = \"busybox\";\n"                                                                \
	"rootfs = { lower = \"busybox/1.36/rootfs\"; };\n"                                         \
	"idmap = { uid = 100000; gid = 100000; };\n"

/* ------------------------------------------------------------ vz.conf */

static void test_global_vzpath(void)
{
	_cleanup_free_ char *node = tpath("node1");
	mkdir_p(node, 0755);
	struct vz_global *g = NULL;
	vz_err err = { 0 };

	is_int(vz_global_load(node, &g, &err), 0, "vzpath without vz.conf");
	if (!g)
		return;
	ok(g->conf_path == NULL, "no vz.conf read");
	ok(g->cfg != NULL, "an empty config tree");
	is_str(g->vzpath, node, "vzpath");
	_cleanup_free_ char *lib = path_join(node, "lib"), *cache = path_join(node, "cache"),
			    *run = path_join(node, "run"), *log = path_join(node, "log");
	is_str(g->lib_dir, lib, "lib below vzpath");
	is_str(g->cache_dir, cache, "cache below vzpath");
	is_str(g->run_dir, run, "run below vzpath");
	is_str(g->log_dir, log, "log below vzpath");
	is_str(g->templates_dir, VZ_TEMPLATESDIR, "templates: built-in default");
	is_str(g->monitor_path, VZ_MONITOR_PATH, "monitor: built-in default");
	is_str(g->subuid_file, "/etc/subuid", "idmap.subuid default");
	is_str(g->subgid_file, "/etc/subgid", "idmap.subgid default");
	is_str(g->subid_user, "root", "idmap.user default");
	is_int(g->idmap_size, 65536, "idmap.size default");
	is_str(g->cgroup_parent, "vz", "cgroup.parent default");
	ok(!vz_err_set(&err), "err untouched");
	vz_global_free(g);
	g = NULL;

	/* A relative vzpath is made absolute. */
	char cwd[PATH_MAX];
	ok(getcwd(cwd, sizeof(cwd)) != NULL && chdir(top) == 0, "chdir to the test directory");
	is_int(vz_global_load("node1", &g, &err), 0, "relative vzpath");
	if (g) {
		is_str(g->vzpath, node, "vzpath made absolute");
		is_str(g->lib_dir, lib, "lib absolute");
		is_str(g->log_dir, log, "log absolute");
		vz_global_free(g);
		g = NULL;
	}
	if (chdir(cwd) < 0)
		printf("# cannot chdir back to %s\n", cwd);

	/* Without vzpath: VZ_CONFIG; a missing file means the defaults. */
	_cleanup_free_ char *missing = tpath("no-such-vz.conf");
	setenv("VZ_CONFIG", missing, 1);
	is_int(vz_global_load(NULL, &g, &err), 0, "VZ_CONFIG names a missing file");
	if (g) {
		ok(g->conf_path == NULL && g->vzpath == NULL, "no vz.conf, no vzpath");
		is_str(g->lib_dir, VZ_LIBDIR, "lib: built-in default");
		is_str(g->cache_dir, VZ_CACHEDIR, "cache: built-in default");
		is_str(g->run_dir, VZ_RUNDIR, "run: built-in default");
		is_str(g->log_dir, VZ_LOGDIR, "log: built-in default");
		vz_global_free(g);
		g = NULL;
	}
	is_int(vz_global_load("", &g, &err), 0, "an empty vzpath counts as unset");
	if (g) {
		ok(g->vzpath == NULL, "... no vzpath");
		is_str(g->lib_dir, VZ_LIBDIR, "... lib: built-in default");
		vz_global_free(g);
		g = NULL;
	}
	vz_global_free(NULL);
}

static const char good_conf[] = "# a test node\n"
				"paths = {\n"
				"\tlib = \"/srv/vz/lib\";\n"
				"\tcache = \"/srv/vz/cache\";\n"
				"\ttemplates = \"/srv/vz/templates\";\n"
				"};\n"
				"monitor = \"/opt/vz/vz-monitor\";\n"
				"idmap = {\n"
				"\tsubuid = \"/srv/subuid\";\n"
				"\tsubgid = \"/srv/subgid\";\n"
				"\tuser = \"vzadmin\";\n"
				"\tsize = 100000;\n"
				"};\n"
				"cgroup = { parent = \"vz-node2/tenants\"; };\n"
				"host = { inotify_instances_per_container = 20; };\n"
				"defaults = {\n"
				"\thalt_signal = \"SIGRTMIN+3\";\n"
				"\tstop_timeout = \"10s\";\n"
				"\tlimits = { memory = \"512M\"; pids = 1000; };\n"
				"\tcaps = { drop = [ \"sys_time\" ]; };\n"
				"\tenv = [ \"TZ=UTC\" ];\n"
				"};\n";

static void test_global_conf(void)
{
	_cleanup_free_ char *conf = wfile("node2/vz.conf", good_conf);
	_cleanup_free_ char *node = tpath("node2");
	struct vz_global *g = NULL;
	vz_err err = { 0 };

	is_int(vz_global_load(node, &g, &err), 0, "a good vz.conf below vzpath");
	if (!g) {
		printf("# %s\n", err.msg);
		return;
	}
	is_str(g->conf_path, conf, "conf_path");
	_cleanup_free_ char *lib = path_join(node, "lib"), *cache = path_join(node, "cache");
	is_str(g->lib_dir, lib, "paths.lib is overridden by vzpath");
	is_str(g->cache_dir, cache, "paths.cache is overridden by vzpath");
	is_str(g->templates_dir, "/srv/vz/templates", "paths.templates is kept");
	is_str(g->monitor_path, "/opt/vz/vz-monitor", "monitor");
	is_str(g->subuid_file, "/srv/subuid", "idmap.subuid");
	is_str(g->subgid_file, "/srv/subgid", "idmap.subgid");
	is_str(g->subid_user, "vzadmin", "idmap.user");
	is_int(g->idmap_size, 100000, "idmap.size");
	is_str(g->cgroup_parent, "vz-node2/tenants", "cgroup.parent");
	is_int(g->inotify_per_container, 20, "host.inotify_instances_per_container");

	/* The defaults group applies to containers; their own file wins. */
	_cleanup_free_ char *cpath = wfile("node2/lib/web1/config", BASE "limits = {\n"
									 "\tpids = 50;\n"
									 "};\n"
									 "env = [ \"A=1\" ];\n");
	struct vz_spec *s = NULL;
	is_int(vz_spec_load(g, "web1", &s, &err), 0, "load a container with defaults");
	if (s) {
		is_str(s->name, "web1", "name");
		is_str(s->config_path, cpath, "config_path");
		is_int(s->halt_signal, SIGRTMIN + 3, "halt_signal from defaults");
		is_int(s->stop_timeout_ms, 10000, "stop_timeout from defaults");
		is_int(s->limits.memory, 512 << 20, "limits.memory from defaults");
		is_int(s->limits.pids, 50, "limits.pids from the file wins");
		ok(s->caps_drop == CAP(CAP_SYS_TIME), "caps.drop from defaults (replaces)");
		ok(strv_length(s->env) == 1 && streq(s->env[0], "A=1"),
		   "env from the file replaces the defaults' list");
		is_int(s->limits.cpu_weight, 100, "untouched keys keep the built-in default");
		vz_spec_free(s);
		s = NULL;
	}
	vz_global_free(g);
	g = NULL;

	/* Without vzpath, through VZ_CONFIG: the paths are those of the file. */
	setenv("VZ_CONFIG", conf, 1);
	is_int(vz_global_load(NULL, &g, &err), 0, "the same vz.conf through VZ_CONFIG");
	if (g) {
		is_str(g->conf_path, conf, "conf_path");
		ok(g->vzpath == NULL, "no vzpath");
		is_str(g->lib_dir, "/srv/vz/lib", "paths.lib");
		is_str(g->cache_dir, "/srv/vz/cache", "paths.cache");
		is_str(g->run_dir, VZ_RUNDIR, "paths.run: built-in default");
		vz_global_free(g);
		g = NULL;
	}
	unsetenv("VZ_CONFIG");

	/* A defaults group can make every container invalid. */
	_cleanup_free_ char *conf3 =
		wfile("node3/vz.conf", "defaults = { limits = { swap = \"1G\"; }; };\n");
	_cleanup_free_ char *node3 = tpath("node3");
	_cleanup_free_ char *c1 = wfile("node3/lib/c1/config", BASE);
	_cleanup_free_ char *c2 =
		wfile("node3/lib/c2/config", BASE "limits = { memory = \"1G\"; };\n");
	is_int(vz_global_load(node3, &g, &err), 0, "defaults with limits.swap");
	if (g) {
		is_int(vz_spec_load(g, "c1", &s, &err), -EINVAL,
		       "a container without limits.memory fails");
		_cleanup_free_ char *want =
			strdup_printf("%s: key 'limits.swap': needs 'limits.memory' to be set", c1);
		is_str(err.msg, want, "... cross-key message names the container file");
		s = NULL;
		is_int(vz_spec_load(g, "c2", &s, &err), 0, "one with limits.memory loads");
		if (s) {
			is_int(s->limits.swap, 1 << 30, "... with the defaults' swap");
			vz_spec_free(s);
		}
		vz_global_free(g);
		g = NULL;
	}
}

/* vz.conf with `text` must fail with "<conf>:<line>: <msg>" (line 0: no line). */
static void conf_bad(const char *text, unsigned line, int code, const char *msg)
{
	_cleanup_free_ char *conf = wfile("gbad/vz.conf", text);
	_cleanup_free_ char *node = tpath("gbad");
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	_cleanup_free_ char *want = line ? strdup_printf("%s:%u: %s", conf, line, msg)
					 : strdup_printf("%s: %s", conf, msg);
	is_int(vz_global_load(node, &g, &err), code, "vz.conf: %s: refused", msg);
	is_str(err.msg, want, "vz.conf: %s: message", msg);
	ok(g == NULL, "... nothing returned");
	vz_global_free(g);
}

static void conf_good(const char *text, const char *what)
{
	free(wfile("ggood/vz.conf", text));
	_cleanup_free_ char *node = tpath("ggood");
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	int r = vz_global_load(node, &g, &err);
	if (!is_int(r, 0, "vz.conf: %s: accepted", what))
		printf("# %s\n", err.msg);
	vz_global_free(g);
}

static void test_global_errors(void)
{
	conf_bad("nosuch = 1;\n", 1, -EINVAL, "key 'nosuch': unknown key");
	conf_bad("# c\nnosuch = { a = 1; };\n", 2, -EINVAL, "key 'nosuch': unknown key");
	conf_bad("paths = { nope = \"/x\"; };\n", 1, -EINVAL, "key 'paths.nope': unknown key");
	conf_bad("\n\npaths = {\n\tlib = \"relative/lib\";\n};\n", 4, -EINVAL,
		 "key 'paths.lib': 'relative/lib' is not an absolute path");
	conf_bad("monitor = 5;\n", 1, -EINVAL, "key 'monitor': expected a string, got an integer");
	conf_bad("monitor = \"vz-monitor\";\n", 1, -EINVAL,
		 "key 'monitor': 'vz-monitor' is not an absolute path");
	conf_bad("monitor = { a = 1; };\n", 1, -EINVAL,
		 "key 'monitor': expected a string, got a group");
	conf_bad("paths = 5;\n", 1, -EINVAL, "key 'paths': expected a group");
	conf_bad("idmap = { size = 0; };\n", 1, -ERANGE,
		 "key 'idmap.size': 0 is out of range (1..2147483648)");
	conf_bad("idmap = { size = \"65536\"; };\n", 1, -EINVAL,
		 "key 'idmap.size': expected an integer, got a string");
	conf_bad("idmap = { user = \"\"; };\n", 1, -EINVAL, "key 'idmap.user': must not be empty");
	conf_bad("idmap = { uid = 5; };\n", 1, -EINVAL, "key 'idmap.uid': unknown key");
	conf_bad("host = { inotify_instances_per_container = \"6\"; };\n", 1, -EINVAL,
		 "key 'host.inotify_instances_per_container': expected an integer, got a string");
	conf_bad("host = { inotify_instances_per_container = 1000001; };\n", 1, -ERANGE,
		 "key 'host.inotify_instances_per_container': 1000001 is out of range (0..1000000)");
	static const char *const bad_parents[] = { "system.slice", "/vz",  "vz/",    "vzx", "vz//a",
						   "vz/../x",      "vz/.", "vz/a b", "" };
	for (size_t i = 0; i < ELEMENTSOF(bad_parents); i++) {
		_cleanup_free_ char *text =
			strdup_printf("\n\ncgroup = { parent = \"%s\"; };\n", bad_parents[i]);
		_cleanup_free_ char *msg = strdup_printf(
			"key 'cgroup.parent': invalid cgroup parent '%s' (a relative path whose "
			"first part starts with 'vz', such as \"vz\" or \"vz/tenants\")",
			bad_parents[i]);
		conf_bad(text, 3, -EINVAL, msg);
	}
	static const char *const good_parents[] = { "vz", "vz/tenants", "vz-node2", "vz.a/b_c",
						    "vz_x/y-z" };
	for (size_t i = 0; i < ELEMENTSOF(good_parents); i++) {
		_cleanup_free_ char *text =
			strdup_printf("cgroup = { parent = \"%s\"; };\n", good_parents[i]);
		conf_good(text, good_parents[i]);
	}

	conf_bad("defaults = 5;\n", 1, -EINVAL, "key 'defaults': expected a group");
	conf_bad("defaults = {\n\ttemplate = \"busybox\";\n};\n", 2, -EINVAL,
		 "key 'defaults.template': set per container by vz create, not here");
	conf_bad("defaults = {\n\trootfs = { lower = \"x\"; };\n};\n", 2, -EINVAL,
		 "key 'defaults.rootfs.lower': set per container by vz create, not here");
	conf_bad("\n\ndefaults = {\n\tidmap = {\n\t\tuid = 100000;\n\t};\n};\n", 5, -EINVAL,
		 "key 'defaults.idmap.uid': set per container by vz create, not here");
	conf_bad("defaults = { idmap = { count = 5; }; };\n", 1, -EINVAL,
		 "key 'defaults.idmap.count': set per container by vz create, not here");
	conf_bad("defaults = {\n\tlimits = {\n\t\tmemroy = 1;\n\t};\n};\n", 3, -EINVAL,
		 "key 'defaults.limits.memroy': unknown key");
	conf_bad("defaults = { limits = { memory = \"lots\"; }; };\n", 1, -EINVAL,
		 "key 'defaults.limits.memory': invalid size 'lots'");
	conf_bad("defaults = { paths = { lib = \"/x\"; }; };\n", 1, -EINVAL,
		 "key 'defaults.paths': unknown key");
	conf_bad("defaults = { limits = 5; };\n", 1, -EINVAL,
		 "key 'defaults.limits': expected a group, got an integer");
	conf_bad("paths = {\n\tlib = ;\n};\n", 2, -EINVAL, "syntax error");
	conf_bad("limits.memory = \"1G\";\n", 1, -EINVAL, "syntax error");
	conf_bad("paths = { lib = \"/a\"; };\npaths = { cache = \"/b\"; };\n", 2, -EINVAL,
		 "duplicate setting name");

	/* A vz.conf that cannot be read is an error, not the defaults. */
	_cleanup_free_ char *cdir = tpath("gdir/vz.conf"), *gdir = tpath("gdir");
	mkdir_p(cdir, 0755);
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	is_int(vz_global_load(gdir, &g, &err), -EISDIR, "vz.conf is a directory: -EISDIR");
	_cleanup_free_ char *wdir = strdup_printf("cannot read '%s': %s", cdir, strerror(EISDIR));
	is_str(err.msg, wdir, "... message");
	vz_global_free(g);

	conf_good("defaults = { privileged = true; hostname = \"h\"; };\n",
		  "defaults may set privileged and hostname");
	conf_good("# only comments\n// and more\n", "a file of comments");
	conf_good("", "an empty file");
}

/* --------------------------------------------------- container files */

static struct vz_global *plain_global(void)
{
	_cleanup_free_ char *node = tpath("plain");
	mkdir_p(node, 0755);
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	if (vz_global_load(node, &g, &err) < 0)
		printf("Bail out! vz_global_load: %s\n", err.msg);
	return g;
}

static struct vz_spec *load_good(struct vz_global *g, const char *text, const char *what)
{
	_cleanup_free_ char *p = wfile("good/config", text);
	struct vz_spec *s = NULL;
	vz_err err = { 0 };
	int r = vz_spec_load_file(g, p, "good", &s, &err);
	if (!is_int(r, 0, "%s: loads", what))
		printf("# %s\n", err.msg);
	return s;
}

static void test_spec_good(struct vz_global *g)
{
	struct vz_spec *s;

	/* Integers for sizes and durations, names, a float, lists. */
	s = load_good(g,
		      "# every key, first forms\n"
		      "template = \"busybox\";\n"
		      "rootfs = { lower = \"busybox/1.36/rootfs\"; };\n"
		      "idmap = { uid = 100000; gid = 200000; count = 65536; };\n"
		      "privileged = false;\n"
		      "init = \"/bin/sh -c /sbin/init\";\n"
		      "hostname = \"web-1.example\";\n"
		      "env = [ \"A=1\", \"B=x=y\", \"EMPTY=\" ];\n"
		      "halt_signal = \"SIGTERM\";\n"
		      "stop_timeout = 10;\n"
		      "limits = {\n"
		      "\tmemory = 268435456;\n"
		      "\tswap = 0;\n"
		      "\tpids = 100;\n"
		      "\tcpus = 1.5;\n"
		      "\tcpu_weight = 200;\n"
		      "};\n"
		      "caps = { drop = [ \"sys_admin\", \"CAP_NET_RAW\", \"Mknod\" ]; };\n"
		      "console = { log_size = 2097152; log_files = 3; };\n",
		      "every key, integer and list forms");
	if (s) {
		is_str(s->name, "good", "name");
		is_str(s->template, "busybox", "template");
		is_str(s->rootfs_lower, "busybox/1.36/rootfs", "rootfs.lower");
		ok(s->idmap.uid == 100000 && s->idmap.gid == 200000 && s->idmap.count == 65536,
		   "idmap");
		ok(!s->privileged, "privileged = false");
		ok(strv_length(s->init) == 3 && streq(s->init[0], "/bin/sh") &&
			   streq(s->init[1], "-c") && streq(s->init[2], "/sbin/init"),
		   "init as a string is split at blanks");
		is_str(s->hostname, "web-1.example", "hostname");
		ok(strv_length(s->env) == 3 && streq(s->env[0], "A=1") &&
			   streq(s->env[1], "B=x=y") && streq(s->env[2], "EMPTY="),
		   "env list");
		is_int(s->halt_signal, SIGTERM, "halt_signal by name");
		is_int(s->stop_timeout_ms, 10000, "stop_timeout as an integer is seconds");
		is_int(s->limits.memory, 256 << 20, "limits.memory as an integer");
		is_int(s->limits.swap, 0, "limits.swap = 0 (no swap)");
		is_int(s->limits.pids, 100, "limits.pids");
		ok(s->limits.cpus == 1.5, "limits.cpus = 1.5");
		is_int(s->limits.cpu_weight, 200, "limits.cpu_weight");
		ok(s->caps_drop == (CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_RAW) | CAP(CAP_MKNOD)),
		   "caps.drop list, any case, with or without cap_");
		is_int(s->console_log_size, 2 << 20, "console.log_size as an integer");
		is_int(s->console_log_files, 3, "console.log_files");
		vz_spec_free(s);
	}

	/* Strings for sizes and durations, numbers for signals, lists. */
	s = load_good(g,
		      "template = \"alpine\";\n"
		      "rootfs = { lower = \"alpine/3.20\"; };\n"
		      "privileged = true;\n"
		      "init = ( \"/sbin/init\", \"--log level\" );\n"
		      "env = \"ONE=1\";\n"
		      "halt_signal = 15;\n"
		      "stop_timeout = \"500ms\";\n"
		      "start = { wait = \"ready\"; timeout = \"2s\"; };\n"
		      "limits = {\n"
		      "\tmemory = \"1.5G\";\n"
		      "\tswap = \"512M\";\n"
		      "\tpids = 4194304;\n"
		      "\tcpus = 2;\n"
		      "\tcpu_weight = 10000;\n"
		      "};\n"
		      "lxcfs = false;\n"
		      "caps = { drop = \"sys_module, sys_time\tsyslog,bpf\"; };\n"
		      "console = { log_size = \"0\"; log_files = 0; };\n",
		      "string and number forms");
	if (s) {
		ok(s->privileged, "privileged = true: no idmap needed");
		ok(s->idmap.uid == 0 && s->idmap.count == 65536, "idmap defaults kept");
		ok(strv_length(s->init) == 2 && streq(s->init[0], "/sbin/init") &&
			   streq(s->init[1], "--log level"),
		   "init as a list keeps blanks inside elements");
		ok(strv_length(s->env) == 1 && streq(s->env[0], "ONE=1"), "env as one string");
		is_int(s->halt_signal, SIGTERM, "halt_signal as a number");
		is_int(s->stop_timeout_ms, 500, "stop_timeout \"500ms\"");
		is_int(s->start_wait, VZ_START_WAIT_READY, "start.wait \"ready\"");
		is_int(s->lxcfs, VZ_LXCFS_OFF, "lxcfs = false");
		is_int(s->start_timeout_ms, 2000, "start.timeout \"2s\"");
		is_int(s->limits.memory, 1610612736, "limits.memory \"1.5G\"");
		is_int(s->limits.swap, 512 << 20, "limits.swap \"512M\"");
		is_int(s->limits.pids, 4194304, "limits.pids at its maximum");
		ok(s->limits.cpus == 2.0, "limits.cpus as an integer");
		is_int(s->limits.cpu_weight, 10000, "limits.cpu_weight at its maximum");
		ok(s->caps_drop ==
			   (CAP(CAP_SYS_MODULE) | CAP(CAP_SYS_TIME) | CAP(CAP_SYSLOG) | CAP(39)),
		   "caps.drop as a string split at commas and blanks");
		is_int(s->console_log_size, 0, "console.log_size \"0\": no log");
		is_int(s->console_log_files, 0, "console.log_files 0");
		vz_spec_free(s);
	}

	/* The zero values of the limits, other spellings. */
	s = load_good(g,
		      BASE "halt_signal = \"rtmin+3\";\n"
			   "stop_timeout = \"2m\";\n"
			   "limits = { memory = 0; pids = 0; cpus = 0; cpu_weight = 1; };\n"
			   "caps = { drop = [ ]; };\n"
			   "lxcfs = true;\n"
			   "console = { log_size = \"1T\"; log_files = 100; };\n",
		      "zero limits, empty caps.drop");
	if (s) {
		is_int(s->halt_signal, SIGRTMIN + 3, "halt_signal \"rtmin+3\"");
		is_int(s->stop_timeout_ms, 120000, "stop_timeout \"2m\"");
		is_int(s->start_wait, VZ_START_WAIT_AUTO, "start.wait defaults to auto");
		is_int(s->lxcfs, VZ_LXCFS_ON, "lxcfs = true");
		is_int(s->start_timeout_ms, 60000, "start.timeout defaults to 60 s");
		ok(s->limits.memory == 0 && s->limits.pids == 0 && s->limits.cpus == 0,
		   "memory, pids and cpus 0: unlimited");
		is_int(s->limits.cpu_weight, 1, "cpu_weight at its minimum");
		ok(s->caps_drop == 0, "caps.drop [ ] drops nothing");
		ok(s->limits.swap == UINT64_MAX, "limits.swap unset");
		is_int(s->console_log_size, 1ULL << 40, "console.log_size at its maximum");
		vz_spec_free(s);
	}
	s = load_good(g, BASE "lxcfs = \"auto\";\n", "lxcfs \"auto\"");
	if (s) {
		is_int(s->lxcfs, VZ_LXCFS_AUTO, "lxcfs = \"auto\"");
		vz_spec_free(s);
	}

	s = load_good(g,
		      "template = \"busybox\";\n"
		      "rootfs = { lower = \"busybox/1.36/rootfs\"; };\n"
		      "idmap = { uid = 4294901759L; gid = 1; count = 65536; };\n"
		      "halt_signal = \"SIGRTMIN+3\";\n"
		      "stop_timeout = \"24h\";\n"
		      "limits = { memory = 8589934592L; cpus = \"0.5\"; };\n"
		      "caps = { drop = \"\"; };\n",
		      "more forms");
	if (s) {
		is_int(s->halt_signal, SIGRTMIN + 3, "halt_signal \"SIGRTMIN+3\"");
		is_int(s->stop_timeout_ms, 86400000, "stop_timeout \"24h\" (the maximum)");
		is_int(s->limits.memory, 8ULL << 30, "limits.memory as a 64-bit integer (L)");
		ok(s->limits.cpus == 0.5, "limits.cpus as a string");
		ok(s->caps_drop == 0, "caps.drop \"\" drops nothing");
		ok(s->idmap.uid == 4294901759U && s->idmap.gid == 1,
		   "idmap.uid as a 64-bit integer, up to id 4294967294");
		vz_spec_free(s);
	}
}

/* A container file with `text` must fail with "<file>:<line>: <msg>"
 * (line 0: "<file>: <msg>", the cross-key checks). */
static void spec_bad(struct vz_global *g, const char *text, unsigned line, int code,
		     const char *msg)
{
	_cleanup_free_ char *p = wfile("bad/config", text);
	struct vz_spec *s = NULL;
	vz_err err = { 0 };
	_cleanup_free_ char *want =
		line ? strdup_printf("%s:%u: %s", p, line, msg) : strdup_printf("%s: %s", p, msg);
	is_int(vz_spec_load_file(g, p, "bad", &s, &err), code, "%s: refused", msg);
	is_str(err.msg, want, "%s: message", msg);
	ok(s == NULL, "... nothing returned");
	vz_spec_free(s);
}

static void test_spec_bad(struct vz_global *g)
{
	/* the examples of config.h */
	spec_bad(g,
		 "# web1\n" BASE "limits = {\n"
		 "\tpids = 10;\n"
		 "\tmemroy = \"256M\";\n"
		 "};\n",
		 7, -EINVAL, "key 'limits.memroy': unknown key");
	spec_bad(g, "template = \"busybox\";\nlimits = {\n\tmemory = \"lots\";\n};\n", 3, -EINVAL,
		 "key 'limits.memory': invalid size 'lots'");

	/* unknown keys */
	spec_bad(g, "nosuch = 1;\n", 1, -EINVAL, "key 'nosuch': unknown key");
	spec_bad(g, "\nnosuch = { a = 1; };\n", 2, -EINVAL, "key 'nosuch': unknown key");
	spec_bad(g, "limits = { x = { y = 1; }; };\n", 1, -EINVAL, "key 'limits.x': unknown key");
	spec_bad(g, "paths = { lib = \"/x\"; };\n", 1, -EINVAL, "key 'paths': unknown key");
	spec_bad(g, "monitor = \"/x\";\n", 1, -EINVAL, "key 'monitor': unknown key");
	spec_bad(g, "Template = \"busybox\";\n", 1, -EINVAL, "key 'Template': unknown key");
	spec_bad(g, "defaults = { };\n", 1, -EINVAL, "key 'defaults': unknown key");

	/* wrong types */
	spec_bad(g, "privileged = 1;\n", 1, -EINVAL,
		 "key 'privileged': expected true or false, got an integer");
	spec_bad(g, "privileged = \"yes\";\n", 1, -EINVAL,
		 "key 'privileged': expected true or false, got a string");
	spec_bad(g, "limits = { memory = true; };\n", 1, -EINVAL,
		 "key 'limits.memory': expected a size such as \"256M\", got a boolean");
	spec_bad(g, "limits = { memory = 1.5; };\n", 1, -EINVAL,
		 "key 'limits.memory': expected a size such as \"256M\", got a number with a "
		 "fraction");
	spec_bad(g, "stop_timeout = 1.5;\n", 1, -EINVAL,
		 "key 'stop_timeout': expected a duration such as \"30s\", got a number with a "
		 "fraction");
	spec_bad(g, "limits = { pids = \"10\"; };\n", 1, -EINVAL,
		 "key 'limits.pids': expected an integer, got a string");
	spec_bad(g, "limits = { cpu_weight = [ 1 ]; };\n", 1, -EINVAL,
		 "key 'limits.cpu_weight': expected an integer, got a list");
	spec_bad(g, "limits = { cpus = true; };\n", 1, -EINVAL,
		 "key 'limits.cpus': expected a number, got a boolean");
	spec_bad(g, "hostname = 5;\n", 1, -EINVAL,
		 "key 'hostname': expected a string, got an integer");
	spec_bad(g, "template = [ \"a\" ];\n", 1, -EINVAL,
		 "key 'template': expected a string, got a list");
	spec_bad(g, "init = 5;\n", 1, -EINVAL,
		 "key 'init': expected a list of strings, got an integer");
	spec_bad(g, "init = ( \"/bin/sh\", 5 );\n", 1, -EINVAL,
		 "key 'init': element 2: expected a string, got an integer");
	spec_bad(g, "env = { A = \"1\"; };\n", 1, -EINVAL,
		 "key 'env': expected a list of strings, got a group");
	spec_bad(g, "start = { wait = \"systemd\"; };\n", 1, -EINVAL,
		 "key 'start.wait': invalid value 'systemd' (\"auto\", \"ready\" or \"exec\")");
	spec_bad(g, "start = { wait = true; };\n", 1, -EINVAL,
		 "key 'start.wait': expected a string, got a boolean");
	spec_bad(g, "lxcfs = \"maybe\";\n", 1, -EINVAL,
		 "key 'lxcfs': invalid value 'maybe' (true, false or \"auto\")");
	spec_bad(g, "lxcfs = 1;\n", 1, -EINVAL,
		 "key 'lxcfs': expected true, false or \"auto\", got an integer");
	spec_bad(g, "start = { timeout = \"2d\"; };\n", 1, -EINVAL,
		 "key 'start.timeout': invalid duration '2d'");
	spec_bad(g, "halt_signal = true;\n", 1, -EINVAL,
		 "key 'halt_signal': expected a signal name such as \"SIGTERM\", got a boolean");
	spec_bad(g, "caps = { drop = 5; };\n", 1, -EINVAL,
		 "key 'caps.drop': expected a list of strings, got an integer");
	spec_bad(g, "limits = 5;\n", 1, -EINVAL, "key 'limits': expected a group, got an integer");
	spec_bad(g, "caps = \"sys_time\";\n", 1, -EINVAL,
		 "key 'caps': expected a group, got a string");
	spec_bad(g, "devices = { allow = 5; };\n", 1, -EINVAL,
		 "key 'devices.allow': expected a list of strings, got an integer");
	spec_bad(g, "devices = { allow = ( \"c 1:3 r\", 5 ); };\n", 1, -EINVAL,
		 "key 'devices.allow': element 2: expected a string, got an integer");
	spec_bad(g, "devices = {\n\tallow = [ \"c 1:3 r\", \"x 1:2 r\" ];\n};\n", 2, -EINVAL,
		 "key 'devices.allow': entry 'x 1:2 r': type 'x' is not c (character), b (block) "
		 "or a (all)");
	spec_bad(g, "devices = { allow = [ \"c 1:2 q\" ]; };\n", 1, -EINVAL,
		 "key 'devices.allow': entry 'c 1:2 q': access 'q' is not made of r, w and m");
	spec_bad(g, "devices = { allow = [ \"c foo:1 r\" ]; };\n", 1, -EINVAL,
		 "key 'devices.allow': entry 'c foo:1 r': major 'foo' is not a number or '*'");
	spec_bad(g, "devices = { allow = [ \"c 1:2000000 r\" ]; };\n", 1, -ERANGE,
		 "key 'devices.allow': entry 'c 1:2000000 r': minor 2000000 is out of range "
		 "(0..1048575)");
	spec_bad(g, "devices = { deny = [ ]; };\n", 1, -EINVAL,
		 "key 'devices.deny': unknown key");

	/* bad values */
	spec_bad(g, "halt_signal = \"SIGKILL\";\n", 1, -EINVAL,
		 "key 'halt_signal': SIGKILL cannot be a halt signal");
	spec_bad(g, "halt_signal = 9;\n", 1, -EINVAL,
		 "key 'halt_signal': SIGKILL cannot be a halt signal");
	spec_bad(g, "halt_signal = \"stop\";\n", 1, -EINVAL,
		 "key 'halt_signal': SIGSTOP cannot be a halt signal");
	spec_bad(g, "halt_signal = \"nope\";\n", 1, -EINVAL,
		 "key 'halt_signal': invalid signal 'nope'");
	spec_bad(g, "halt_signal = \"RTMIN+-1\";\n", 1, -EINVAL,
		 "key 'halt_signal': invalid signal 'RTMIN+-1'");
	spec_bad(g, "halt_signal = 0;\n", 1, -EINVAL, "key 'halt_signal': invalid signal 0");
	spec_bad(g, "halt_signal = 65;\n", 1, -EINVAL, "key 'halt_signal': invalid signal 65");
	spec_bad(g, "halt_signal = -1;\n", 1, -EINVAL, "key 'halt_signal': invalid signal -1");
	spec_bad(g, "stop_timeout = \"forever\";\n", 1, -EINVAL,
		 "key 'stop_timeout': invalid duration 'forever'");
	spec_bad(g, "stop_timeout = \"25h\";\n", 1, -ERANGE,
		 "key 'stop_timeout': 25h is out of range (0s..24h)");
	spec_bad(g, "stop_timeout = 86401;\n", 1, -ERANGE,
		 "key 'stop_timeout': 24h1s is out of range (0s..24h)");
	spec_bad(g, "stop_timeout = -1;\n", 1, -EINVAL, "key 'stop_timeout': -1 is negative");
	spec_bad(g, "limits = {\n\tmemory = \"1M\";\n};\n", 2, -ERANGE,
		 "key 'limits.memory': 1M is out of range (4M..16E)");
	spec_bad(g, "limits = { memory = 1048576; };\n", 1, -ERANGE,
		 "key 'limits.memory': 1M is out of range (4M..16E)");
	spec_bad(g, "limits = { memory = \"99999999999999999999\"; };\n", 1, -ERANGE,
		 "key 'limits.memory': size '99999999999999999999' is too large");
	spec_bad(g, "limits = { memory = \"-1\"; };\n", 1, -EINVAL,
		 "key 'limits.memory': invalid size '-1'");
	spec_bad(g, "limits = { memory = -1; };\n", 1, -EINVAL,
		 "key 'limits.memory': -1 is negative");
	spec_bad(g, "limits = { pids = 4194305; };\n", 1, -ERANGE,
		 "key 'limits.pids': 4194305 is out of range (1..4194304)");
	spec_bad(g, "limits = { cpu_weight = 10001; };\n", 1, -ERANGE,
		 "key 'limits.cpu_weight': 10001 is out of range (1..10000)");
	spec_bad(g, "limits = { cpu_weight = 0; };\n", 1, -ERANGE,
		 "key 'limits.cpu_weight': 0 is out of range (1..10000)");
	spec_bad(g, "limits = { cpus = 2000; };\n", 1, -ERANGE,
		 "key 'limits.cpus': 2000 is out of range (0.01..1024, or 0 for no limit)");
	spec_bad(g, "limits = { cpus = 0.001; };\n", 1, -ERANGE,
		 "key 'limits.cpus': 0.001 is out of range (0.01..1024, or 0 for no limit)");
	spec_bad(g, "limits = { cpus = -1; };\n", 1, -ERANGE,
		 "key 'limits.cpus': -1 is out of range (0.01..1024, or 0 for no limit)");
	spec_bad(g, "limits = { cpus = \"lots\"; };\n", 1, -EINVAL,
		 "key 'limits.cpus': invalid number 'lots'");
	spec_bad(g, "idmap = { count = 0; };\n", 1, -ERANGE,
		 "key 'idmap.count': 0 is out of range (1..4294967294)");
	spec_bad(g, "idmap = { uid = 4294967295L; };\n", 1, -ERANGE,
		 "key 'idmap.uid': 4294967295 is out of range (0..4294967294)");
	spec_bad(g, "console = { log_size = \"2T\"; };\n", 1, -ERANGE,
		 "key 'console.log_size': 2T is out of range (0..1T)");
	spec_bad(g, "console = { log_files = 101; };\n", 1, -ERANGE,
		 "key 'console.log_files': 101 is out of range (0..100)");
	spec_bad(g, "hostname = \"bad_name\";\n", 1, -EINVAL,
		 "key 'hostname': invalid hostname 'bad_name' (1-63 letters, digits, '-' and '.')");
	spec_bad(g, "template = \"\";\n", 1, -EINVAL, "key 'template': must not be empty");
	spec_bad(g, "init = \"sbin/init\";\n", 1, -EINVAL,
		 "key 'init': 'sbin/init' is not an absolute path");
	spec_bad(g, "init = [ ];\n", 1, -EINVAL, "key 'init': '' is not an absolute path");
	spec_bad(g, "init = \"  \";\n", 1, -EINVAL, "key 'init': '' is not an absolute path");
	spec_bad(g, "env = [ \"A=1\", \"NOVALUE\" ];\n", 1, -EINVAL,
		 "key 'env': 'NOVALUE' is not KEY=VALUE");
	spec_bad(g, "env = [ \"=x\" ];\n", 1, -EINVAL, "key 'env': '=x' is not KEY=VALUE");
	spec_bad(g, "caps = { drop = [ \"sys_admin\", \"nope\" ]; };\n", 1, -EINVAL,
		 "key 'caps.drop': unknown capability 'nope'");
	spec_bad(g, "caps = { drop = \"sys_admin;sys_time\"; };\n", 1, -EINVAL,
		 "key 'caps.drop': unknown capability 'sys_admin;sys_time'");
	spec_bad(g, "limits = { optional = [ \"swap\", \"memroy\" ]; };\n", 1, -EINVAL,
		 "key 'limits.optional': unknown limit 'memroy' (known: memory, memory_high, "
		 "swap, pids, cpus, cpu_weight, cpuset, cpuset_mems, io_weight, io)");
	spec_bad(g, "limits = { optional = 1; };\n", 1, -EINVAL,
		 "key 'limits.optional': expected a list of strings, got an integer");

	/* syntax errors */
	spec_bad(g, "template = \"busybox\";\nlimits = {\n\tmemory = ;\n};\n", 3, -EINVAL,
		 "syntax error");
	spec_bad(g, "limits.memory = \"256M\";\n", 1, -EINVAL, "syntax error");
	spec_bad(g, "a = 1;\n\nx", 3, -EINVAL, "syntax error");
	spec_bad(g, "limits = { pids = 1; pids = 2; };\n", 1, -EINVAL, "duplicate setting name");
	spec_bad(g, "caps = { drop = [ \"sys_time\", 1 ]; };\n", 1, -EINVAL,
		 "mismatched element type in array");

	/* the cross-key checks: no line */
	spec_bad(g, "", 0, -EINVAL,
		 "key 'template': not set (the container was not made by vz create)");
	spec_bad(g, "template = \"busybox\";\n", 0, -EINVAL, "key 'rootfs.lower': not set");
	spec_bad(g, "template = \"busybox\";\nrootfs = { lower = \"x\"; };\n", 0, -EINVAL,
		 "key 'idmap.uid': an unprivileged container needs its own id range (not "
		 "starting at 0); set 'privileged = true' to run without one");
	spec_bad(g, BASE "limits = { swap = \"1G\"; };\n", 0, -EINVAL,
		 "key 'limits.swap': needs 'limits.memory' to be set");
	spec_bad(g, BASE "limits = { memory = \"1G\"; memory_high = \"2G\"; };\n", 0, -ERANGE,
		 "key 'limits.memory_high': above 'limits.memory' (the soft limit must not "
		 "exceed the hard one)");
	spec_bad(g, BASE "idmap = { count = 65536; };\n", 4, -EINVAL, "duplicate setting name");
	spec_bad(g,
		 "template = \"busybox\";\nrootfs = { lower = \"x\"; };\n"
		 "idmap = { uid = 4294901760L; gid = 100000; };\n",
		 0, -ERANGE, "key 'idmap.count': range goes past id 4294967294");

	/* A missing file. */
	_cleanup_free_ char *missing = tpath("bad/no-such-config");
	struct vz_spec *s = NULL;
	vz_err err = { 0 };
	is_int(vz_spec_load_file(g, missing, "x", &s, &err), -ENOENT, "a missing file: -ENOENT");
	_cleanup_free_ char *want = strdup_printf("config file '%s' does not exist", missing);
	is_str(err.msg, want, "... message");

	/* A directory. */
	_cleanup_free_ char *dir = tpath("bad/dir");
	mkdir_p(dir, 0755);
	vz_err_clear(&err);
	is_int(vz_spec_load_file(g, dir, "x", &s, &err), -EISDIR, "a directory: -EISDIR");
	_cleanup_free_ char *wdir = strdup_printf("cannot read '%s': %s", dir, strerror(EISDIR));
	is_str(err.msg, wdir, "... message");

	/* An unreadable one. Root reads anything, so as root the check runs
	 * with the effective uid of nobody (the directories on the way are
	 * opened to others for that moment). */
	_cleanup_free_ char *p = wfile("bad/config", BASE);
	_cleanup_free_ char *bad = tpath("bad");
	bool as_root = geteuid() == 0;
	chmod(p, 0);
	if (as_root) {
		chmod(top, 0711);
		chmod(bad, 0711);
		if (seteuid(65534) < 0)
			printf("# seteuid: %s\n", strerror(errno));
	}
	vz_err_clear(&err);
	is_int(vz_spec_load_file(g, p, "x", &s, &err), -EACCES, "an unreadable file: -EACCES");
	if (as_root && seteuid(0) < 0)
		printf("Bail out! seteuid(0): %s\n", strerror(errno));
	_cleanup_free_ char *w = strdup_printf("cannot read '%s': %s", p, strerror(EACCES));
	is_str(err.msg, w, "... message");
	chmod(p, 0644);
	if (as_root) {
		chmod(top, 0700);
		chmod(bad, 0755);
	}
}

static void test_spec_load(void)
{
	_cleanup_free_ char *node = tpath("node4");
	mkdir_p(node, 0755);
	struct vz_global *g = NULL;
	vz_err err = { 0 };
	if (!is_int(vz_global_load(node, &g, &err), 0, "node4"))
		return;
	struct vz_spec *s = NULL;

	is_int(vz_spec_load(g, "x", &s, &err), -ENOENT, "a missing container: -ENOENT");
	is_str(err.msg, "container 'x' does not exist", "... message");

	_cleanup_free_ char *dir = path_join(g->lib_dir, "y");
	mkdir_p(dir, 0755);
	is_int(vz_spec_load(g, "y", &s, &err), -ENOENT, "a directory without config: -ENOENT");
	_cleanup_free_ char *want =
		strdup_printf("container 'y' has no config file '%s/config'", dir);
	is_str(err.msg, want, "... message");

	_cleanup_free_ char *f = wfile("node4/lib/z", "not a directory\n");
	is_int(vz_spec_load(g, "z", &s, &err), -ENOENT, "a file instead of a directory: -ENOENT");
	is_str(err.msg, "container 'z' does not exist", "... message");

	is_int(vz_spec_load(g, "a b", &s, &err), -EINVAL, "an invalid name: -EINVAL");
	is_str(err.msg, "invalid container name 'a b'", "... message");
	is_int(vz_spec_load(g, "../node4", &s, &err), -EINVAL, "a path as a name: -EINVAL");

	_cleanup_free_ char *cfg = wfile("node4/lib/web.1/config", BASE);
	is_int(vz_spec_load(g, "web.1", &s, &err), 0, "a good container loads");
	if (s) {
		is_str(s->name, "web.1", "name");
		is_str(s->hostname, "web.1", "hostname defaults to the name");
		is_str(s->config_path, cfg, "config_path");
		vz_spec_free(s);
	}
	ok(s != NULL, "returned");
	vz_global_free(g);
}

/* -------------------------------------------------- -c key=value */

static void set_bad(const char *kv, int code, const char *msg)
{
	config_t cfg;
	config_init(&cfg);
	vz_err err = { 0 };
	is_int(vz_config_set_kv(&cfg, kv, &err), code, "-c %s: refused", kv);
	is_str(err.msg, msg, "-c %s: message", kv);
	/* nothing is left behind but (possibly) an empty group */
	const char *eq = strchr(kv, '=');
	_cleanup_free_ char *key = eq ? strndup(kv, (size_t)(eq - kv)) : strdup(kv);
	const config_setting_t *st = *key ? config_lookup(&cfg, key) : NULL;
	ok(st == NULL || config_setting_is_group(st), "-c %s: no value left in the tree", kv);
	config_destroy(&cfg);
}

static void test_set_errors(void)
{
	set_bad("limits.pids=x", -EINVAL,
		"-c limits.pids=x: key 'limits.pids': invalid integer 'x'");
	set_bad("nosuch=1", -EINVAL, "-c nosuch=1: key 'nosuch': unknown key");
	set_bad("limits=1", -EINVAL, "-c limits=1: key 'limits': unknown key");
	set_bad("paths.lib=/x", -EINVAL, "-c paths.lib=/x: key 'paths.lib': unknown key");
	set_bad("limits.pids", -EINVAL, "-c limits.pids: expected key=value");
	set_bad("=1", -EINVAL, "-c =1: expected key=value");
	set_bad("", -EINVAL, "-c : expected key=value");
	set_bad("limits.pids=", -EINVAL, "-c limits.pids=: key 'limits.pids': invalid integer ''");
	set_bad("limits.pids=-1", -EINVAL,
		"-c limits.pids=-1: key 'limits.pids': invalid integer '-1'");
	set_bad("limits.pids=1.5", -EINVAL,
		"-c limits.pids=1.5: key 'limits.pids': invalid integer '1.5'");
	set_bad("limits.pids=99999999999999999999", -ERANGE,
		"-c limits.pids=99999999999999999999: key 'limits.pids': invalid integer "
		"'99999999999999999999'");
	set_bad("limits.pids=4194305", -ERANGE,
		"-c limits.pids=4194305: key 'limits.pids': 4194305 is out of range (1..4194304)");
	set_bad("limits.cpu_weight=10001", -ERANGE,
		"-c limits.cpu_weight=10001: key 'limits.cpu_weight': 10001 is out of range "
		"(1..10000)");
	set_bad("limits.memory=lots", -EINVAL,
		"-c limits.memory=lots: key 'limits.memory': invalid size 'lots'");
	set_bad("limits.memory=1M", -ERANGE,
		"-c limits.memory=1M: key 'limits.memory': 1M is out of range (4M..16E)");
	set_bad("limits.cpus=x", -EINVAL,
		"-c limits.cpus=x: key 'limits.cpus': invalid number 'x'");
	set_bad("limits.cpus=2000", -ERANGE,
		"-c limits.cpus=2000: key 'limits.cpus': 2000 is out of range (0.01..1024, or 0 "
		"for no limit)");
	set_bad("privileged=maybe", -EINVAL,
		"-c privileged=maybe: key 'privileged': invalid boolean 'maybe' (use true or "
		"false)");
	set_bad("halt_signal=SIGKILL", -EINVAL,
		"-c halt_signal=SIGKILL: key 'halt_signal': SIGKILL cannot be a halt signal");
	set_bad("halt_signal=NOPE", -EINVAL,
		"-c halt_signal=NOPE: key 'halt_signal': invalid signal 'NOPE'");
	set_bad("stop_timeout=25h", -ERANGE,
		"-c stop_timeout=25h: key 'stop_timeout': 25h is out of range (0s..24h)");
	set_bad("stop_timeout=soon", -EINVAL,
		"-c stop_timeout=soon: key 'stop_timeout': invalid duration 'soon'");
	set_bad("init=sbin/init", -EINVAL,
		"-c init=sbin/init: key 'init': 'sbin/init' is not an absolute path");
	set_bad("init=", -EINVAL, "-c init=: key 'init': '' is not an absolute path");
	set_bad("env=A=1,FOO", -EINVAL, "-c env=A=1,FOO: key 'env': 'FOO' is not KEY=VALUE");
	set_bad("devices.allow=c 10:200 rwm,b 7:x r", -EINVAL,
		"-c devices.allow=c 10:200 rwm,b 7:x r: key 'devices.allow': entry 'b 7:x r': "
		"minor 'x' is not a number or '*'");
	set_bad("caps.drop=sys_time,nope", -EINVAL,
		"-c caps.drop=sys_time,nope: key 'caps.drop': unknown capability 'nope'");
	set_bad("hostname=a_b", -EINVAL,
		"-c hostname=a_b: key 'hostname': invalid hostname 'a_b' (1-63 letters, digits, "
		"'-' and '.')");
	set_bad("template=", -EINVAL, "-c template=: key 'template': must not be empty");
	set_bad("idmap.uid=4294967295", -ERANGE,
		"-c idmap.uid=4294967295: key 'idmap.uid': 4294967295 is out of range "
		"(0..4294967294)");
	set_bad("console.log_files=101", -ERANGE,
		"-c console.log_files=101: key 'console.log_files': 101 is out of range (0..100)");

	config_t cfg;
	config_init(&cfg);
	vz_err err = { 0 };
	is_int(vz_config_set(&cfg, "nosuch", "1", &err), -EINVAL, "vz_config_set: unknown key");
	is_str(err.msg, "key 'nosuch': unknown key", "... message without -c");
	is_int(vz_config_set(&cfg, "limits.pids", NULL, &err), -EINVAL,
	       "vz_config_set: NULL value");
	is_str(err.msg, "key 'limits.pids': no value", "... message");
	config_destroy(&cfg);
}

static void test_set_round_trip(struct vz_global *g)
{
	static const char *const kvs[] = {
		"template=busybox",
		"rootfs.lower=busybox/1.36/rootfs",
		"idmap.uid=4294000000",
		"idmap.gid=100000",
		"idmap.count=65536",
		"privileged=no",
		"init=/bin/sh -c\texec /sbin/init",
		"hostname=h1.example",
		"env=A=1,B=x=y",
		"halt_signal=SIGRTMIN+3",
		"stop_timeout=1.5m",
		"limits.memory=100M",
		"limits.memory=256M", /* given twice: the last wins */
		"limits.swap=0",
		"limits.pids=100",
		"limits.cpus=1.5",
		"limits.cpu_weight=200",
		"caps.drop=sys_admin,NET_RAW",
		"devices.allow=c 10:200 rwm, b  7:* r",
		"console.log_size=2M",
		"console.log_files=3",
	};
	config_t cfg;
	config_init(&cfg);
	vz_err err = { 0 };
	int failed = 0;
	for (size_t i = 0; i < ELEMENTSOF(kvs); i++)
		if (vz_config_set_kv(&cfg, kvs[i], &err) < 0) {
			failed++;
			printf("# %s\n", err.msg);
		}
	is_int(failed, 0, "every key set from its string form");

	_cleanup_free_ char *dir = tpath("rt");
	mkdir_p(dir, 0755);
	_cleanup_free_ char *path = path_join(dir, "config");
	mode_t old = umask(022);
	is_int(vz_config_write_file(&cfg, path, &err), 0, "written");
	umask(old);
	config_destroy(&cfg);

	struct stat st;
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "mode 0644");
	_cleanup_free_ char *text = NULL;
	read_file(path, &text, NULL);
	ok(text && startswith(text, "# vz container configuration: every key is described in "
				    "vz.conf(5).\n"),
	   "first line points to vz.conf(5)");
	has_str(text, "memory = \"256M\";", "a size stays a string");
	has_str(text, "pids = 100;", "an integer is an integer");
	has_str(text, "uid = 4294000000L;", "a large integer gets the L suffix");
	has_str(text, "cpus = 1.5;", "a number is a number");
	has_str(text, "privileged = false;", "a boolean is written true or false");
	has_str(text, "init = [ \"/bin/sh\", \"-c\", \"exec\", \"/sbin/init\" ];",
		"init is split at blanks");
	has_str(text, "drop = [ \"sys_admin\", \"NET_RAW\" ];", "caps.drop split at commas");
	has_str(text, "allow = [ \"c 10:200 rwm\", \" b  7:* r\" ];",
		"devices.allow split at commas, as written");
	has_str(text, "halt_signal = \"SIGRTMIN+3\";", "a signal stays a string");
	ok(text && !strstr(text, "100M"), "the first limits.memory is gone");
	DIR *d = opendir(dir);
	int entries = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		entries += de->d_name[0] != '.';
	if (d)
		closedir(d);
	is_int(entries, 1, "no temporary file left");

	struct vz_spec *s = NULL;
	is_int(vz_spec_load_file(g, path, "rt", &s, &err), 0, "reloaded");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	is_str(s->template, "busybox", "template");
	is_str(s->rootfs_lower, "busybox/1.36/rootfs", "rootfs.lower");
	ok(s->idmap.uid == 4294000000U && s->idmap.gid == 100000 && s->idmap.count == 65536,
	   "idmap");
	ok(!s->privileged, "privileged");
	ok(strv_length(s->init) == 4 && streq(s->init[0], "/bin/sh") && streq(s->init[1], "-c") &&
		   streq(s->init[2], "exec") && streq(s->init[3], "/sbin/init"),
	   "init");
	is_str(s->hostname, "h1.example", "hostname");
	ok(strv_length(s->env) == 2 && streq(s->env[0], "A=1") && streq(s->env[1], "B=x=y"), "env");
	is_int(s->halt_signal, SIGRTMIN + 3, "halt_signal");
	is_int(s->stop_timeout_ms, 90000, "stop_timeout");
	is_int(s->limits.memory, 256 << 20, "limits.memory");
	is_int(s->limits.swap, 0, "limits.swap");
	is_int(s->limits.pids, 100, "limits.pids");
	ok(s->limits.cpus == 1.5, "limits.cpus");
	is_int(s->limits.cpu_weight, 200, "limits.cpu_weight");
	ok(s->caps_drop == (CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_RAW)), "caps.drop");
	ok(strv_length(s->devices_allow) == 2 && streq(s->devices_allow[0], "c 10:200 rwm") &&
		   streq(s->devices_allow[1], "b 7:* r"),
	   "devices.allow, in canonical form");
	is_int(s->console_log_size, 2 << 20, "console.log_size");
	is_int(s->console_log_files, 3, "console.log_files");
	vz_spec_free(s);

	/* Empty lists, a float from an integer, re-setting a key of an existing file. */
	config_init(&cfg);
	ok(config_read_file(&cfg, path), "read the written file back with libconfig");
	ok(vz_config_set_kv(&cfg, "caps.drop=", &err) == 0 &&
		   vz_config_set_kv(&cfg, "env=", &err) == 0 &&
		   vz_config_set_kv(&cfg, "limits.cpus=2", &err) == 0 &&
		   vz_config_set_kv(&cfg, "privileged=TRUE", &err) == 0 &&
		   vz_config_set_kv(&cfg, "limits.memory=0", &err) == 0 &&
		   vz_config_set_kv(&cfg, "limits.swap=1G", &err) == 0,
	   "set keys on a loaded tree");
	is_int(vz_config_write_file(&cfg, path, &err), 0, "written again");
	config_destroy(&cfg);
	free(text);
	text = NULL;
	read_file(path, &text, NULL);
	has_str(text, "cpus = 2.0;", "limits.cpus=2 is written 2.0");
	has_str(text, "drop = [ ];", "an empty value gives an empty list");
	s = NULL;
	is_int(vz_spec_load_file(g, path, "rt", &s, &err), -EINVAL,
	       "limits.swap with limits.memory 0: refused on load");
	_cleanup_free_ char *want =
		strdup_printf("%s: key 'limits.swap': needs 'limits.memory' to be set", path);
	is_str(err.msg, want, "... message");

	/* Writing where it cannot. */
	config_init(&cfg);
	_cleanup_free_ char *nodir = tpath("no-such-dir/config");
	vz_err_clear(&err);
	is_int(vz_config_write_file(&cfg, nodir, &err), -ENOENT, "write into a missing directory");
	_cleanup_free_ char *w2 =
		strdup_printf("create '%s.tmp.%d': %s", nodir, (int)getpid(), strerror(ENOENT));
	is_str(err.msg, w2, "... message");
	config_destroy(&cfg);
}

static void test_keys(void)
{
	static const char *const want[] = {
		"template",
		"rootfs.lower",
		"rootfs.backend",
		"privileged",
		"idmap.uid",
		"idmap.gid",
		"idmap.count",
		"init",
		"hostname",
		"env",
		"halt_signal",
		"stop_timeout",
		"start.wait",
		"start.timeout",
		"limits.memory",
		"limits.memory_high",
		"limits.swap",
		"limits.pids",
		"limits.cpus",
		"limits.cpu_weight",
		"limits.cpuset",
		"limits.cpuset_mems",
		"limits.io_weight",
		"limits.io",
		"limits.optional",
		"lxcfs",
		"caps.drop",
		"devices.allow",
		"network",
		"nameservers",
		"console.log_size",
		"console.log_files",
		"console.ttys",
		"console.buffer",
		"console.rw_users",
		"console.ro_users",
	};
	const char *const *keys = vz_config_keys();
	size_t n = 0;
	while (keys && keys[n])
		n++;
	is_int(n, ELEMENTSOF(want), "vz_config_keys: %zu keys", ELEMENTSOF(want));
	bool same = n == ELEMENTSOF(want);
	for (size_t i = 0; same && i < n; i++)
		if (!streq(keys[i], want[i])) {
			same = false;
			printf("# key %zu: '%s', want '%s'\n", i, keys[i], want[i]);
		}
	ok(same, "every container key, in table order");
	ok(vz_config_keys() == keys, "static storage");

	/* Each key can be set from a string (the values are each key's default). */
	static const char *const values[] = {
		"busybox", "x",   "dir",      "false",    "100000", "100000", "65536", "/sbin/init",
		"h",       "A=1", "SIGUSR1",  "30s",    "auto",   "60s",
		"0",       "0",   "0",      "0",
		"0",       "100", "0",        "0",      "100",      "none",   "swap,io", "auto",
		"sys_time", "c 10:200 rwm", "none", "198.18.0.1", "1M", "1", "4",  "128K",
		"0 1000",  "1001,1002",
	};
	config_t cfg;
	config_init(&cfg);
	int bad = 0;
	for (size_t i = 0; i < n && i < ELEMENTSOF(values); i++) {
		vz_err err = { 0 };
		if (vz_config_set(&cfg, keys[i], values[i], &err) < 0) {
			bad++;
			printf("# %s\n", err.msg);
		}
	}
	is_int(bad, 0, "every listed key is settable");
	config_destroy(&cfg);
}

int main(void)
{
	top = tap_tmpdir("config");
	if (!top)
		return 1;
	unsetenv("VZ_CONFIG");

	test_global_vzpath();
	test_global_conf();
	test_global_errors();
	struct vz_global *g = plain_global();
	if (!g)
		return 1;
	test_spec_good(g);
	test_spec_bad(g);
	test_spec_load();
	test_set_errors();
	test_set_round_trip(g);
	test_keys();
	vz_global_free(g);

	ok(rm_rf(top) == 0, "temporary directory removed");
	free(top);
	return tap_done();
}
