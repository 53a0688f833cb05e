/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cgroup.c: src/lib/cgroup*.c against this host's real hierarchies, as
 * root (TAP). Everything it creates lives below <mount>/vz/test-cgroup-<pid>
 * in each hierarchy and is removed at exit, also after a failed check; it
 * signals only processes it forked (and their children, through the cgroup).
 * VZ_TEST_DEBUG=1 shows the library's debug log on stderr.
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup-internal.h"
#include "cgroup.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "tap.h"

#define MiB (UINT64_C(1) << 20)

static struct vz_cgroup_layout *layout;
static char parent[64];
static bool created_vz[32]; /* <mount>/vz did not exist before this test */
static pid_t children[16];
static size_t nchildren;
static const char *const leaves[] = { "c1", "c2", "c3", "c4", "c5", "c6", "c7" };

/* ------------------------------------------------------------ helpers */

static char *hpath(size_t i, const char *rel)
{
	return strdup_printf("%s/%s%s%s", layout->hier[i].mount, parent, *rel ? "/" : "", rel);
}

/* Whether <mount>/<parent>/<rel> exists in every (want) or no (!want) hierarchy. */
static bool in_all(const char *rel, bool want)
{
	bool okay = true;
	for (size_t i = 0; i < layout->n; i++) {
		_cleanup_free_ char *p = hpath(i, rel);
		if (dir_exists(p) != want) {
			printf("# %s %s\n", p, want ? "is missing" : "exists");
			okay = false;
		}
	}
	return okay;
}

static char *read_cg(const char *ctrl, const char *rel, const char *file)
{
	int k = vz_cg_layout_find(layout, ctrl);
	if (k < 0)
		return NULL;
	_cleanup_free_ char *dir = hpath((size_t)k, rel);
	_cleanup_free_ char *p = path_join(dir, file);
	char *s = NULL;
	return read_line_file(p, &s) < 0 ? NULL : s;
}

static int write_cg(size_t i, const char *rel, const char *file, const char *value)
{
	_cleanup_free_ char *dir = hpath(i, rel);
	return vz_cg_write(dir, file, value, NULL);
}

/* Move pid into <parent>/rel in every hierarchy by writing cgroup.procs: a
 * migration, as the tests' children are already running (vz itself never
 * moves a process; its processes join, see test_join). */
static int move_to(const char *rel, pid_t pid, vz_err *err)
{
	char v[32];
	snprintf(v, sizeof(v), "%d", (int)pid);
	for (size_t i = 0; i < layout->n; i++) {
		_cleanup_free_ char *dir = hpath(i, rel);
		int r = vz_cg_write(dir, "cgroup.procs", v, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static long long read_ll(const char *ctrl, const char *rel, const char *file)
{
	_cleanup_free_ char *s = read_cg(ctrl, rel, file);
	return s ? strtoll(s, NULL, 10) : -12345;
}

static uint64_t read_u64(const char *ctrl, const char *rel, const char *file)
{
	_cleanup_free_ char *s = read_cg(ctrl, rel, file);
	return s ? strtoull(s, NULL, 10) : 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A child that waits for a byte on go, runs body (which reports one byte),
 * then pause()s until it is killed. */
struct child {
	pid_t pid;
	int go, report;
};

static int body_touch(int fd)
{
	size_t n = 4 * MiB;
	char *p = malloc(n);
	if (p)
		memset(p, 1, n);
	char c = p ? 'y' : 'n';
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

static int body_fork5(int fd)
{
	char n = 0;
	for (int i = 0; i < 5; i++) {
		pid_t p = fork();
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		if (p > 0)
			n++;
	}
	return write(fd, &n, 1) == 1 ? 0 : -1;
}

static struct child spawn(int (*body)(int fd))
{
	int go[2], rep[2];
	struct child c = { -1, -1, -1 };
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0)
		return c;
	fflush(stdout);
	c.pid = fork();
	if (c.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		char b;
		if (read(go[0], &b, 1) != 1 || body(rep[1]) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(go[0]);
	close(rep[1]);
	if (c.pid > 0 && nchildren < ELEMENTSOF(children))
		children[nchildren++] = c.pid;
	c.go = go[1];
	c.report = rep[0];
	return c;
}

/* Let the child run its body; returns the byte it reports, -1 on EOF. */
static int child_go(struct child *c)
{
	char b = 'g';
	if (write(c->go, &b, 1) != 1 || read(c->report, &b, 1) != 1)
		return -1;
	return (unsigned char)b;
}

static int reap(pid_t pid)
{
	int st = 0;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	for (size_t i = 0; i < nchildren; i++)
		if (children[i] == pid)
			children[i] = 0;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void close_child(struct child *c)
{
	close(c->go);
	close(c->report);
}

/* The line of /proc/PID/cgroup for hierarchy i, e.g. "4:memory:/vz/x/c1". */
static bool proc_cgroup_shows(pid_t pid, size_t i, const char *want)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *s = NULL;
	if (read_file(p, &s, NULL) < 0)
		return false;
	const struct vz_cg_hier *h = &layout->hier[i];
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		bool match = h->v2 ? c1[1] == 0 : streq(c1 + 1, h->controllers);
		if (match)
			return streq(c2 + 1, want) || (printf("#   %s: %s\n", line, c2 + 1), false);
	}
	return false;
}

static struct vz_cgroup *new_cg(const char *name)
{
	struct vz_cgroup *cg = NULL;
	vz_err err = { 0 };
	if (vz_cgroup_new(layout, parent, name, &cg, &err) < 0)
		printf("# vz_cgroup_new %s: %s\n", name, err.msg);
	return cg;
}

/* ------------------------------------------------------------ cleanup */

static void cleanup(void)
{
	if (!layout)
		return;
	for (size_t i = 0; i < nchildren; i++) {
		int st = 0;
		if (children[i] <= 0)
			continue;
		kill(children[i], SIGKILL);
		/* A traced child may sit in a ptrace stop: let it go on. */
		while (waitpid(children[i], &st, __WALL) == children[i] && WIFSTOPPED(st))
			ptrace(PTRACE_CONT, children[i], 0, 0);
	}
	for (size_t i = 0; i < ELEMENTSOF(leaves); i++) {
		_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg(leaves[i]);
		vz_err err = { 0 };
		if (cg && vz_cgroup_destroy(cg, 2000, &err) < 0)
			printf("# cleanup: %s\n", err.msg);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	for (size_t i = 0; i < layout->n; i++) {
		_cleanup_free_ char *p = hpath(i, "");
		if (rmdir(p) < 0 && errno != ENOENT)
			printf("# cleanup: rmdir %s: %m\n", p);
		_cleanup_free_ char *vz = path_join(layout->hier[i].mount, "vz");
		if (i < ELEMENTSOF(created_vz) && created_vz[i])
			(void)rmdir(vz); /* only if no one else uses it meanwhile */
	}
	vz_cgroup_layout_free(TAKE_PTR(layout));
}

/* ------------------------------------------------------------ layout */

static struct vz_cgroup_layout *parse_fake(const char *text)
{
	char path[] = "/tmp/test-cgroup-mountinfo-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	bool wrote = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	struct vz_cgroup_layout *l = NULL;
	vz_err err = { 0 };
	if (wrote && vz_cg_layout_read(path, &l, &err) < 0)
		printf("# %s\n", err.msg);
	unlink(path);
	return l;
}

/* Layouts this host does not have, from fake mountinfo files (no mounts). */
static void test_layout_parsing(void)
{
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *co = parse_fake(
		"22 1 0:20 / /sys rw - sysfs sysfs rw\n"
		"31 22 0:28 / /sys/fs/cgroup ro shared:9 - tmpfs tmpfs ro,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw shared:10 - cgroup cgroup "
		"rw,cpu,cpuacct\n"
		"33 31 0:30 / /sys/fs/cgroup/sys\\040temd rw shared:11 - cgroup cgroup "
		"rw,xattr,release_agent=/x,name=systemd\n"
		"34 31 0:31 /sub /mnt/memory-bind rw - cgroup cgroup rw,memory\n"
		"35 31 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
	if (!ok(co, "co-mounted cpu,cpuacct: parsed"))
		return;
	is_int(co->mode, VZ_CGROUP_LEGACY, "no cgroup2: LEGACY");
	is_int(co->n, 3, "three hierarchies (a bind mount of memory is one of them)");
	int cpu = vz_cg_layout_find(co, "cpu");
	ok(cpu >= 0 && cpu == vz_cg_layout_find(co, "cpuacct"), "cpu and cpuacct: one hierarchy");
	is_str(cpu >= 0 ? co->hier[cpu].controllers : NULL, "cpu,cpuacct", "its controllers");
	ok(co->by_ctrl[VZ_CG_CPU] == cpu && co->by_ctrl[VZ_CG_CPUACCT] == cpu,
	   "cpu limits and cpuacct statistics both go there");
	int sd = vz_cg_layout_find(co, "name=systemd");
	is_str(sd >= 0 ? co->hier[sd].mount : NULL, "/sys/fs/cgroup/sys temd",
	       "name=systemd found, \\040 unescaped, flags dropped");
	int mem = vz_cg_layout_find(co, "memory");
	is_str(mem >= 0 ? co->hier[mem].mount : NULL, "/sys/fs/cgroup/memory",
	       "of two mounts of memory, the one of its root wins");
	ok(co->by_ctrl[VZ_CG_PIDS] < 0 && co->unified < 0, "no pids, no cgroup2");

	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *v2 =
		parse_fake("30 23 0:26 / /nonexistent/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 "
			   "rw,nsdelegate,memory_recursiveprot\n");
	if (!ok(v2, "cgroup2 only: parsed"))
		return;
	is_int(v2->mode, VZ_CGROUP_UNIFIED, "cgroup2 only: UNIFIED");
	ok(v2->n == 1 && v2->unified == 0, "one hierarchy, the cgroup2 one");
	ok(v2->by_ctrl[VZ_CG_CPUACCT] == 0 && v2->by_ctrl[VZ_CG_FREEZER] == 0,
	   "cpu.stat and cgroup.freeze are core files");
	ok(v2->by_ctrl[VZ_CG_DEVICES] == 0 && v2->by_ctrl[VZ_CG_MEMORY] < 0,
	   "devices on v2 (a BPF program on any cgroup); memory only when cgroup.controllers "
	   "offers it");

	struct vz_cgroup_layout *none = parse_fake("22 1 0:20 / /sys rw - sysfs sysfs rw\n");
	ok(!none, "no cgroup mount: an error");
	vz_cgroup_layout_free(none);
}

static void test_layout_host(void)
{
	is_int(vz_cgroup_layout_mode(layout), VZ_CGROUP_HYBRID, "this host is HYBRID");
	static const char *const want[] = {
		"memory", "pids", "cpu", "cpuacct", "cpuset", "freezer", "devices", "blkio",
		"name=systemd",
	};
	for (size_t i = 0; i < ELEMENTSOF(want); i++) {
		int k = vz_cg_layout_find(layout, want[i]);
		ok(k >= 0 && !layout->hier[k].v2 && dir_exists(layout->hier[k].mount),
		   "v1 hierarchy %s at %s", want[i], k >= 0 ? layout->hier[k].mount : "-");
	}
	ok(layout->unified >= 0 &&
		   streq(layout->hier[layout->unified].mount, "/sys/fs/cgroup/unified"),
	   "cgroup2 at /sys/fs/cgroup/unified");
	ok(layout->by_ctrl[VZ_CG_MEMORY] == vz_cg_layout_find(layout, "memory") &&
		   layout->by_ctrl[VZ_CG_CPUACCT] == vz_cg_layout_find(layout, "cpuacct"),
	   "limits and statistics use the v1 hierarchies");
}

/* ------------------------------------------------------------ v2 on files */

static void put(const char *dir, const char *file, const char *content)
{
	_cleanup_free_ char *p = path_join(dir, file);
	if (write_file(p, content, O_CREAT | O_TRUNC) < 0)
		printf("# write %s: %m\n", p);
}

static char *get(const char *dir, const char *file)
{
	_cleanup_free_ char *p = path_join(dir, file);
	char *s = NULL;
	return read_line_file(p, &s) < 0 ? NULL : s;
}

static void reset_v2_files(const char *leaf)
{
	static const char *const files[] = {
		"memory.max", "memory.swap.max", "cpu.max", "cpu.weight", "pids.max",
	};
	for (size_t i = 0; i < ELEMENTSOF(files); i++)
		put(leaf, files[i], "");
}

#define is_file(dir, file, want, ...)                                                              \
	({                                                                                         \
		_cleanup_free_ char *_s = get(dir, file);                                          \
		is_str(_s, want, __VA_ARGS__);                                                     \
	})

static void v2_prepare_on_files(const char *tmp)
{
	const struct vz_cg_ops *v2 = &vz_cg_v2_ops;
	vz_err err = { 0 };
	put(tmp, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put(tmp, "cgroup.subtree_control", "memory\n");
	is_int(v2->prepare(NULL, tmp, &err), 0, "prepare");
	is_file(tmp, "cgroup.subtree_control", "+cpu +pids +cpuset +io",
		"subtree_control gets the missing controllers vz uses");
	put(tmp, "cgroup.subtree_control", "cpuset cpu io memory pids\n");
	put(tmp, "cgroup.controllers", "cpuset cpu io memory pids\n");
	is_int(v2->prepare(NULL, tmp, &err), 0, "prepare when all are on");
	is_file(tmp, "cgroup.subtree_control", "cpuset cpu io memory pids", "nothing is written");
}

static void v2_limits_on_files(const char *tmp)
{
	const struct vz_cg_ops *v2 = &vz_cg_v2_ops;
	vz_err err = { 0 };
	reset_v2_files(tmp);
	struct vz_limits lim = {
		.memory = 256 * MiB, .swap = 64 * MiB, .pids = 100, .cpus = 1.5, .cpu_weight = 200
	};
	int r = 0;
	for (int c = 0; c < _VZ_CG_CTRL_MAX; c++)
		if (v2->set[c] && r >= 0)
			r = v2->set[c](tmp, &lim, &err);
	is_int(r, 0, "set limits %s", err.msg);
	is_file(tmp, "memory.max", "268435456", "memory.max");
	is_file(tmp, "memory.swap.max", "67108864", "memory.swap.max is swap alone");
	is_file(tmp, "cpu.max", "150000 100000", "cpu.max");
	is_file(tmp, "cpu.weight", "200", "cpu.weight");
	is_file(tmp, "pids.max", "100", "pids.max");
	reset_v2_files(tmp);
	lim = (struct vz_limits){ .swap = UINT64_MAX, .cpu_weight = 100 };
	for (int c = 0; c < _VZ_CG_CTRL_MAX; c++)
		if (v2->set[c] && r >= 0)
			r = v2->set[c](tmp, &lim, &err);
	is_int(r, 0, "unset limits");
	is_file(tmp, "memory.max", "max", "memory.max max");
	is_file(tmp, "memory.swap.max", "max", "memory.swap.max max");
	is_file(tmp, "cpu.max", "max 100000", "cpu.max 'max 100000'");
	is_file(tmp, "cpu.weight", "100", "cpu.weight 100");
	is_file(tmp, "pids.max", "max", "pids.max max");

	_cleanup_free_ char *mm = path_join(tmp, "memory.max");
	_cleanup_free_ char *sm = path_join(tmp, "memory.swap.max");
	unlink(mm);
	unlink(sm);
	is_int(v2->set[VZ_CG_MEMORY](tmp, &lim, &err), 0, "no memory files, no limit: skipped");
	lim.swap = MiB;
	is_int(v2->set[VZ_CG_MEMORY](tmp, &lim, &err), -EOPNOTSUPP,
	       "no swap accounting, swap set: an error");
	has_str(err.msg, "limits.swap: the host cannot enforce it", "message: %s", err.msg);
	has_str(err.msg, "memory.swap.max does not exist", "message: %s", err.msg);
	lim.optional = 1U << VZ_LIM_SWAP;
	is_int(v2->set[VZ_CG_MEMORY](tmp, &lim, &err), 0,
	       "no swap accounting, swap optional: skipped");
	lim.memory = MiB;
	is_int(v2->set[VZ_CG_MEMORY](tmp, &lim, &err), -EOPNOTSUPP, "memory set, no memory.max");
	has_str(err.msg, "limits.memory: the host cannot enforce it", "message: %s", err.msg);
	has_str(err.msg, "the memory controller", "message: %s", err.msg);
	lim.optional = 0;
}

static void v2_parsing_on_files(const char *tmp)
{
	const struct vz_cg_ops *v2 = &vz_cg_v2_ops;
	put(tmp, "memory.current", "12345\n");
	put(tmp, "memory.max", "max\n");
	put(tmp, "cpu.stat", "usage_usec 42\nuser_usec 40\nsystem_usec 2\n");
	put(tmp, "pids.current", "3\n");
	put(tmp, "pids.max", "max\n");
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct vz_cgroup_stats st = { 0 };
	for (int c = 0; c < _VZ_CG_CTRL_MAX; c++)
		if (v2->stat[c])
			v2->stat[c](fd, &st);
	close(fd);
	ok(st.memory_bytes == 12345 && st.memory_limit == 0 && st.cpu_usage_ns == 42000 &&
		   st.pids == 3 && st.pids_limit == 0,
	   "stats: memory.current, memory.max max, cpu.stat usage_usec, pids");
	put(tmp, "cgroup.events", "populated 1\nfrozen 0\n");
	is_int(v2->populated(tmp), 1, "cgroup.events populated 1");
	put(tmp, "cgroup.events", "populated 0\nfrozen 0\n");
	is_int(v2->populated(tmp), 0, "cgroup.events populated 0");
}

/* The cgroup v2 code cannot run for real here (no controllers in the unified
 * hierarchy): check what it writes and how it parses on plain files. */
static void test_v2_on_files(void)
{
	char tmp[] = "/tmp/test-cgroup-v2-XXXXXX";
	if (!ok(mkdtemp(tmp), "scratch directory"))
		return;
	v2_prepare_on_files(tmp);
	v2_limits_on_files(tmp);
	v2_parsing_on_files(tmp);
	is_int(rm_rf(tmp), 0, "remove the scratch directory");
}

/* ------------------------------------------------------------ refusals */

static void test_refusals(void)
{
	static const char *const bad_parents[] = {
		"system.slice", "../vz", "vz/../x", "/vz",    "",     "vz/",
		"vz//x",        "vz/.",  "v",       "vz/a b", "vz\n", "process_api",
	};
	for (size_t i = 0; i < ELEMENTSOF(bad_parents); i++) {
		struct vz_cgroup *cg = NULL;
		vz_err err = { 0 };
		int r = vz_cgroup_new(layout, bad_parents[i], "c1", &cg, &err);
		is_int(r, -EPERM, "parent '%.*s' refused with EPERM",
		       (int)strcspn(bad_parents[i], "\n"), bad_parents[i]);
		vz_cgroup_free(cg);
	}
	vz_err err = { 0 };
	struct vz_cgroup *cg = NULL;
	vz_cgroup_new(layout, "system.slice", "c1", &cg, &err);
	has_str(err.msg, "'system.slice' refused", "the message names the parent");
	static const char *const bad_names[] = { "", ".", "..", "../c1", "a/b", "-x", "x_y", "x.",
						 "0123456789012345678901234567890123456789"
						 "012345678901234567890123" };
	for (size_t i = 0; i < ELEMENTSOF(bad_names); i++) {
		cg = NULL;
		int r = vz_cgroup_new(layout, parent, bad_names[i], &cg, NULL);
		ok(r == -EINVAL || r == -EPERM, "name '%s' refused (%d)", bad_names[i], r);
		vz_cgroup_free(cg);
	}
	ok(in_all("", false), "nothing was created");
	ok(!dir_exists("/sys/fs/cgroup/memory/system.slice/c1"), "not below system.slice either");
}

/* ------------------------------------------------------------ create, limits */

static void test_create(struct vz_cgroup *cg)
{
	vz_err err = { 0 };
	ok(!vz_cgroup_exists(cg), "c1 does not exist yet");
	struct vz_cgroup_stats st;
	is_int(vz_cgroup_stats(cg, &st), -ENOENT, "stats of a missing leaf: ENOENT");
	int r = vz_cgroup_create(cg, &err);
	if (!is_int(r, 0, "create c1"))
		printf("#   %s\n", err.msg);
	ok(in_all("c1", true), "c1 exists in every hierarchy");
	ok(vz_cgroup_exists(cg), "vz_cgroup_exists");
	vz_err_clear(&err);
	is_int(vz_cgroup_create(cg, &err), -EEXIST, "second create: EEXIST");
	has_str(err.msg, "already exists", "message: %s", err.msg);
	ok(in_all("c1", true), "a failed create leaves the existing leaf alone");

	_cleanup_free_ char *cpus = read_cg("cpuset", "c1", "cpuset.cpus");
	_cleanup_free_ char *mems = read_cg("cpuset", "c1", "cpuset.mems");
	ok(cpus && *cpus, "cpuset.cpus of the leaf is '%s'", cpus ? cpus : "(null)");
	ok(mems && *mems, "cpuset.mems of the leaf is '%s'", mems ? mems : "(null)");
	_cleanup_free_ char *pcpus = read_cg("cpuset", "", "cpuset.cpus");
	ok(pcpus && *pcpus, "and of the parent created on the way");

	int k = vz_cg_layout_find(layout, "devices");
	_cleanup_free_ char *dir = k >= 0 ? hpath((size_t)k, "c1") : NULL;
	_cleanup_free_ char *p = dir ? path_join(dir, "devices.list") : NULL;
	_cleanup_free_ char *list = NULL;
	char *extra[] = { "c 10:200 rwm", "b 7:* r", NULL };
	r = vz_cgroup_apply_devices(cg, extra, &err);
	if (!is_int(r, 0, "apply the device policy"))
		printf("#   %s\n", err.msg);
	if (p)
		(void)read_file(p, &list, NULL);
	ok(list && strstr(list, "c 1:3 rwm") && strstr(list, "c 136:* rwm") &&
		   strstr(list, "c 5:2 rwm") && strstr(list, "c 10:200 rwm") &&
		   strstr(list, "b 7:* r") && !strstr(list, "a *:* rwm") && !strstr(list, "*:* m") &&
		   !strstr(list, "10:229"),
	   "devices.list is the default allow-list and the extras, not 'a *:* rwm'");
	char *bad[] = { "c 1:2 q", NULL };
	vz_err_clear(&err);
	is_int(vz_cgroup_apply_devices(cg, bad, &err), -EINVAL, "a bad rule: EINVAL");
	has_str(err.msg, "devices.allow", "message: %s", err.msg);
}

/* An existing leaf in the last hierarchy makes create fail after the others
 * were made: they must be gone again. */
static void test_create_rollback(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c6");
	size_t last = layout->n - 1;
	_cleanup_free_ char *p = hpath(last, "c6");
	if (!ok(cg && mkdir(p, 0755) == 0, "pre-create %s", p))
		return;
	vz_err err = { 0 };
	is_int(vz_cgroup_create(cg, &err), -EEXIST, "create fails: %s", err.msg);
	bool gone = true;
	for (size_t i = 0; i < last; i++) {
		_cleanup_free_ char *q = hpath(i, "c6");
		gone = gone && !dir_exists(q);
	}
	ok(gone, "the leaves it made in the other hierarchies are removed");
	ok(dir_exists(p), "the one it did not make is kept");
	is_int(vz_cgroup_destroy(cg, 1000, &err), 0, "destroy removes it");
	ok(in_all("c6", false), "c6 gone everywhere");
}

static void test_limits(struct vz_cgroup *cg)
{
	vz_err err = { 0 };
	struct vz_limits lim = {
		.memory = 256 * MiB, .memory_high = 200 * MiB, .swap = 64 * MiB, .pids = 100,
		.cpus = 1.5, .cpu_weight = 200
	};
	if (!is_int(vz_cgroup_apply_limits(cg, &lim, &err), 0, "apply limits"))
		printf("#   %s\n", err.msg);
	is_int(read_u64("memory", "c1", "memory.limit_in_bytes"), 256 * MiB,
	       "memory.limit_in_bytes");
	is_int(read_u64("memory", "c1", "memory.soft_limit_in_bytes"), 200 * MiB,
	       "memory.soft_limit_in_bytes = memory_high");
	is_int(read_u64("memory", "c1", "memory.memsw.limit_in_bytes"), 320 * MiB,
	       "memory.memsw.limit_in_bytes = memory + swap");
	is_int(read_ll("cpu", "c1", "cpu.cfs_period_us"), 100000, "cpu.cfs_period_us");
	is_int(read_ll("cpu", "c1", "cpu.cfs_quota_us"), 150000, "cpu.cfs_quota_us");
	is_int(read_ll("cpu", "c1", "cpu.shares"), 2048, "cpu.shares = weight * 1024 / 100");
	is_int(read_ll("pids", "c1", "pids.max"), 100, "pids.max");

	lim = (struct vz_limits){ .memory = 128 * MiB, .swap = 0, .cpu_weight = 1 };
	is_int(vz_cgroup_apply_limits(cg, &lim, &err), 0, "lower memory and memsw: %s", err.msg);
	is_int(read_u64("memory", "c1", "memory.memsw.limit_in_bytes"), 128 * MiB, "memsw lowered");
	is_int(read_ll("cpu", "c1", "cpu.shares"), 10, "cpu.shares of weight 1");
	lim = (struct vz_limits){ .memory = 1024 * MiB, .swap = 1024 * MiB, .cpu_weight = 100 };
	is_int(vz_cgroup_apply_limits(cg, &lim, &err), 0, "raise past the old memsw: %s", err.msg);
	is_int(read_u64("memory", "c1", "memory.limit_in_bytes"), 1024 * MiB, "memory raised");
	is_int(read_u64("memory", "c1", "memory.memsw.limit_in_bytes"), 2048 * MiB, "memsw raised");

	lim = (struct vz_limits){ .swap = UINT64_MAX, .cpu_weight = 100 };
	is_int(vz_cgroup_apply_limits(cg, &lim, &err), 0, "apply unset limits: %s", err.msg);
	ok(read_u64("memory", "c1", "memory.limit_in_bytes") >= (UINT64_C(1) << 62),
	   "memory.limit_in_bytes unlimited");
	ok(read_u64("memory", "c1", "memory.memsw.limit_in_bytes") >= (UINT64_C(1) << 62),
	   "memory.memsw.limit_in_bytes unlimited");
	ok(read_u64("memory", "c1", "memory.soft_limit_in_bytes") >= (UINT64_C(1) << 62),
	   "memory.soft_limit_in_bytes unlimited");
	is_int(read_ll("cpu", "c1", "cpu.cfs_quota_us"), -1, "cpu.cfs_quota_us -1");
	is_int(read_ll("cpu", "c1", "cpu.shares"), 1024, "cpu.shares 1024");
	_cleanup_free_ char *pmax = read_cg("pids", "c1", "pids.max");
	is_str(pmax, "max", "pids.max max");

	lim = (struct vz_limits){ .memory = 256 * MiB, .swap = UINT64_MAX, .pids = 50 };
	is_int(vz_cgroup_apply_limits(cg, &lim, &err), 0, "limits for the stats check");
}

/* ------------------------------------------------------------ processes */

/* vz ls and vz top read counters below open parent directories; those of
 * another parent are not used, a leaf not found below them is read by path. */
static void test_parents(struct vz_cgroup *cg, const struct vz_cgroup_stats *want)
{
	struct vz_cgroup_parents *p = NULL;
	is_int(vz_cgroup_parents_open(layout, "../x", &p), -EPERM, "parents: unsafe refused");
	const char *tries[] = { parent, "vz" };
	for (size_t t = 0; t < ELEMENTSOF(tries); t++) {
		struct vz_cgroup_stats st;
		is_int(vz_cgroup_parents_open(layout, tries[t], &p), 0, "parents of %s", tries[t]);
		vz_cgroup_use_parents(cg, p);
		ok(!cg->parent_fds == (t == 1), "%s by c1", t ? "ignored" : "used");
		cg->parent_fds = p->fd; /* as if the parent had been made again */
		is_int(vz_cgroup_stats(cg, &st), 0, "stats below the parents of %s", tries[t]);
		ok(st.pids == want->pids && st.memory_limit == want->memory_limit &&
			   st.pids_limit == want->pids_limit && st.cpu_usage_ns >= want->cpu_usage_ns,
		   "... the same counters");
		vz_cgroup_use_parents(cg, NULL);
		vz_cgroup_parents_free(p);
	}
}

static void test_attach_kill(struct vz_cgroup *cg)
{
	vz_err err = { 0 };
	is_int(vz_cgroup_populated(cg), 0, "empty c1: not populated");
	struct child c = spawn(body_touch);
	if (!ok(c.pid > 0, "fork a child"))
		return;
	if (!is_int(move_to("c1", c.pid, &err), 0, "move the child into c1"))
		printf("#   %s\n", err.msg);
	is_int(child_go(&c), 'y', "the child touched 4 MiB in its cgroup");
	bool shows = true;
	char want[256];
	for (size_t i = 0; i < layout->n; i++) {
		const char *root = layout->hier[i].root;
		snprintf(want, sizeof(want), "%s/%s/c1", streq(root, "/") ? "" : root, parent);
		shows = proc_cgroup_shows(c.pid, i, want) && shows;
	}
	ok(shows, "/proc/CHILD/cgroup shows %s in every hierarchy", want);
	is_int(vz_cgroup_populated(cg), 1, "populated");

	struct vz_cgroup_stats st;
	is_int(vz_cgroup_stats(cg, &st), 0, "stats");
	is_int(st.pids, 1, "stats: 1 process");
	ok(st.memory_bytes > 0, "stats: memory %" PRIu64 " bytes", st.memory_bytes);
	is_int(st.memory_limit, 256 * MiB, "stats: memory limit");
	is_int(st.pids_limit, 50, "stats: pids limit");
	ok(st.cpu_usage_ns > 0, "stats: cpu %" PRIu64 " ns", st.cpu_usage_ns);
	if (st.have_swap)
		ok(st.swap_bytes < 256 * MiB, "stats: swap %" PRIu64 " bytes", st.swap_bytes);
	else
		ok(true, "stats: swap not accounted on this host # SKIP");
	test_parents(cg, &st);
	uint64_t mem = st.memory_bytes;
	is_int(vz_cgroup_io_stats(cg, &st), 0, "io stats (vz top)");
	is_int(st.memory_bytes, mem, "io stats leave the other counters alone");
	if (layout->by_ctrl[VZ_CG_IO] >= 0)
		ok(st.have_io, "io stats read (rd %" PRIu64 ", wr %" PRIu64 ")", st.io_read_bytes,
		   st.io_write_bytes);
	else
		ok(true, "no block I/O controller on this host # SKIP");

	is_int(vz_cgroup_kill(cg, SIGTERM), 1, "kill(SIGTERM) signals one process");
	is_int(reap(c.pid), SIGTERM, "the child died of SIGTERM");
	is_int(vz_cgroup_populated(cg), 0, "not populated after it died");
	is_int(vz_cgroup_kill(cg, SIGTERM), 0, "kill of an empty cgroup: 0");
	close_child(&c);

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(vz_cgroup_destroy(cg, 5000, &err), 0, "destroy c1");
	long ms = elapsed_ms(&t0);
	ok(ms < 500, "an empty cgroup goes at once (%ld ms)", ms);
	ok(in_all("c1", false), "c1 is gone from every hierarchy");
	ok(in_all("", true), "the parent is kept");
	is_int(vz_cgroup_destroy(cg, 100, &err), 0, "destroy of a missing leaf is fine");
	is_int(vz_cgroup_stats(cg, &st), -ENOENT, "stats after destroy: ENOENT");
	is_int(vz_cgroup_populated(cg), 0, "populated after destroy: 0");
}

static void test_pids_limit(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c2");
	vz_err err = { 0 };
	struct vz_limits lim = { .swap = UINT64_MAX, .pids = 3, .cpu_weight = 100 };
	if (!ok(cg && vz_cgroup_create(cg, &err) == 0 &&
		    vz_cgroup_apply_limits(cg, &lim, &err) == 0,
		"c2 with pids.max 3 %s", err.msg))
		return;
	struct child c = spawn(body_fork5);
	is_int(move_to("c2", c.pid, &err), 0, "move the forking child into c2");
	int n = child_go(&c);
	ok(n >= 0 && n <= 2, "%d of 5 forks succeeded (<= 2)", n);
	struct vz_cgroup_stats st;
	vz_cgroup_stats(cg, &st);
	is_int(st.pids, 1 + n, "pids.current counts them");

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!is_int(vz_cgroup_destroy(cg, 3000, &err), 0, "destroy with running processes"))
		printf("#   %s\n", err.msg);
	ok(elapsed_ms(&t0) < 2000, "within %ld ms", elapsed_ms(&t0));
	is_int(reap(c.pid), SIGKILL, "the child was SIGKILLed");
	ok(in_all("c2", false), "c2 is gone");
	close_child(&c);
}

/* A process in a sub-cgroup the "container" made, in some hierarchies only,
 * and a frozen one: kill and destroy still find and end them. */
static void test_subtree_and_frozen(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c4");
	vz_err err = { 0 };
	if (!ok(cg && vz_cgroup_create(cg, &err) == 0, "create c4 %s", err.msg))
		return;
	struct child c = spawn(body_touch);
	is_int(move_to("c4", c.pid, &err), 0, "move into c4");
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	bool moved = true;
	for (size_t i = 0; i < layout->n; i++) {
		bool freezer = vz_cg_list_has(layout->hier[i].controllers, "freezer");
		if (layout->hier[i].v2 || (i % 2 && !freezer))
			continue;
		_cleanup_free_ char *sub = hpath(i, "c4/sub");
		_cleanup_free_ char *deep = hpath(i, "c4/sub/deep");
		moved = moved && mkdir(sub, 0755) == 0 && mkdir(deep, 0755) == 0;
		if (vz_cg_list_has(layout->hier[i].controllers, "cpuset"))
			moved = moved && write_cg(i, "c4/sub", "cpuset.cpus", "0") == 0 &&
				write_cg(i, "c4/sub", "cpuset.mems", "0") == 0 &&
				write_cg(i, "c4/sub/deep", "cpuset.cpus", "0") == 0 &&
				write_cg(i, "c4/sub/deep", "cpuset.mems", "0") == 0;
		moved = moved && write_cg(i, "c4/sub/deep", "cgroup.procs", pid) == 0;
	}
	ok(moved, "moved into c4/sub/deep in half of the v1 hierarchies and freezer");
	is_int(child_go(&c), 'y', "child runs");
	is_int(vz_cgroup_populated(cg), 1, "populated");
	is_int(vz_cgroup_kill(cg, 0), 1, "signal 0 reaches it once, not once per hierarchy");

	/* Thawing c4 would not thaw c4/sub/deep, frozen by itself. */
	int f = vz_cg_layout_find(layout, "freezer");
	is_int(f >= 0 ? write_cg((size_t)f, "c4/sub/deep", "freezer.state", "FROZEN") : -1, 0,
	       "freeze c4/sub/deep");
	is_int(f >= 0 ? write_cg((size_t)f, "c4", "freezer.state", "FROZEN") : -1, 0, "freeze c4");
	_cleanup_free_ char *state = read_cg("freezer", "c4/sub/deep", "freezer.state");
	ok(state && (streq(state, "FROZEN") || streq(state, "FREEZING")), "freezer.state %s",
	   state ? state : "?");
	if (!is_int(vz_cgroup_destroy(cg, 3000, &err), 0, "destroy thaws and kills"))
		printf("#   %s\n", err.msg);
	is_int(reap(c.pid), SIGKILL, "the frozen child was SIGKILLed");
	ok(in_all("c4", false), "c4 and its sub-cgroups are gone");
	close_child(&c);
}

/* A process that cannot finish exiting: its tracer (this test) holds it in
 * the PTRACE_EVENT_EXIT stop, which the kernel makes even after SIGKILL. */
static void test_busy(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c5");
	vz_err err = { 0 };
	if (!ok(cg && vz_cgroup_create(cg, &err) == 0, "create c5 %s", err.msg))
		return;
	struct child c = spawn(body_touch);
	is_int(move_to("c5", c.pid, &err), 0, "move into c5");
	is_int(ptrace(PTRACE_SEIZE, c.pid, 0, PTRACE_O_TRACEEXIT), 0, "trace it");
	is_int(child_go(&c), 'y', "child runs");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(vz_cgroup_destroy(cg, 200, &err), -EBUSY, "destroy: EBUSY");
	long ms = elapsed_ms(&t0);
	ok(ms >= 200 && ms < 1000, "after the timeout (%ld ms)", ms);
	has_str(err.msg, "/c5: 1 process remains after 200 ms", "message: %s", err.msg);
	ok(in_all("c5", true), "c5 is still there");
	int st = 0;
	ok(waitpid(c.pid, &st, __WALL) == c.pid && WIFSTOPPED(st) && st >> 16 == PTRACE_EVENT_EXIT,
	   "the child is in its exit stop");
	is_int(ptrace(PTRACE_CONT, c.pid, 0, 0), 0, "let it go");
	vz_err_clear(&err);
	is_int(vz_cgroup_destroy(cg, 3000, &err), 0, "destroy again: %s", err.msg);
	is_int(reap(c.pid), SIGKILL, "the child was SIGKILLed");
	ok(in_all("c5", false), "c5 is gone");
	close_child(&c);
}

static void test_misc(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c3");
	vz_err err = { 0 };
	if (!ok(cg, "c3 handle"))
		return;
	is_int(vz_cgroup_destroy(cg, 100, &err), 0, "destroy of a never created leaf");
	is_int(vz_cgroup_kill(cg, SIGKILL), 0, "kill of a missing leaf: 0");
	struct vz_cgroup_join j;
	is_int(vz_cgroup_join_open(cg, &j, &err), -ENOENT, "join_open of a missing leaf fails");
	has_str(err.msg, "/c3", "naming the file: %s", err.msg);
	ok(j.n == 0 && j.unified < 0 && !j.tasks, "and leaves nothing open");
}

/* ------------------------------------------------------------ join */

/* A child that joins c7 the way vz start's child and vz attach's do: born
 * in the v2 leaf, then, inside a user namespace of its own, moving itself
 * into each v1 leaf through files root opened. Reports 'y' or the error. */
static pid_t spawn_joiner(const struct vz_cgroup_join *j, bool into_v2, bool userns, int rep)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	if (into_v2 && j->unified >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)j->unified;
	}
	fflush(stdout);
	pid_t pid = sys_clone3(&args, sizeof(args));
	if (pid != 0) {
		if (pid > 0 && nchildren < ELEMENTSOF(children))
			children[nchildren++] = pid;
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	vz_err e = { 0 };
	if (userns && unshare(CLONE_NEWUSER) < 0)
		vz_fail(&e, errno, "unshare(CLONE_NEWUSER)");
	else if (vz_cgroup_join_self(j, &e) >= 0)
		snprintf(e.msg, sizeof(e.msg), "y");
	(void)!write(rep, e.msg, strlen(e.msg) + 1);
	for (;;)
		pause();
}

static void test_join(void)
{
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = new_cg("c7");
	vz_err err = { 0 };
	if (!ok(cg, "c7 handle") || !is_int(vz_cgroup_create(cg, &err), 0, "create c7: %s", err.msg))
		return;
	struct vz_cgroup_join j;
	if (!is_int(vz_cgroup_join_open(cg, &j, &err), 0, "open c7 for joining: %s", err.msg))
		return;
	is_int(j.n, layout->n - (layout->unified >= 0), "a tasks file for each v1 hierarchy");
	is_int(j.unified >= 0, layout->unified >= 0, "the v2 leaf is open iff there is cgroup2");

	int rep[2];
	if (!ok(pipe2(rep, O_CLOEXEC) == 0, "pipe"))
		return;
	pid_t pid = spawn_joiner(&j, true, true, rep[1]);
	char msg[sizeof(err.msg)] = "";
	ok(pid > 0 && read(rep[0], msg, sizeof(msg)) > 0, "the joiner reports");
	is_str(msg, "y", "it joined from inside a new user namespace");
	bool shows = true;
	char want[256];
	for (size_t i = 0; i < layout->n; i++) {
		const char *root = layout->hier[i].root;
		snprintf(want, sizeof(want), "%s/%s/c7", streq(root, "/") ? "" : root, parent);
		shows = pid > 0 && proc_cgroup_shows(pid, i, want) && shows;
	}
	ok(shows, "/proc/JOINER/cgroup shows %s in every hierarchy", want);
	if (pid > 0) {
		kill(pid, SIGKILL);
		is_int(reap(pid), SIGKILL, "joiner killed");
	}

	/* The leaf goes between opening and joining: the joiner says where. */
	is_int(vz_cgroup_destroy(cg, 2000, &err), 0, "destroy c7: %s", err.msg);
	if (j.n > 0) {
		pid = spawn_joiner(&j, false, false, rep[1]);
		memset(msg, 0, sizeof(msg));
		ok(pid > 0 && read(rep[0], msg, sizeof(msg)) > 0, "the late joiner reports");
		has_str(msg, j.where[0], "joining a removed leaf fails naming the hierarchy: %s", msg);
		if (pid > 0) {
			kill(pid, SIGKILL);
			reap(pid);
		}
	}
	close(rep[0]);
	close(rep[1]);
	vz_cgroup_join_close(&j);
	ok(j.n == 0 && j.unified < 0 && !j.tasks, "join_close leaves nothing open");
}

/* ------------------------------------------------------------ main */

static void check_nothing_left(void)
{
	bool left = false;
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *l = NULL;
	if (vz_cgroup_layout_detect(&l, NULL) >= 0)
		for (size_t i = 0; i < l->n; i++) {
			_cleanup_free_ char *p = strdup_printf("%s/%s", l->hier[i].mount, parent);
			left = left || dir_exists(p);
		}
	ok(l && !left, "nothing of %s is left in any hierarchy", parent);
	int reaped = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped++;
	is_int(reaped, 0, "no child left to reap");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	if (getenv("VZ_TEST_DEBUG"))
		vz_log_setup(STDERR_FILENO, VZ_LOG_DEBUG, "test-cgroup");
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(parent, sizeof(parent), "vz/test-cgroup-%d", (int)getpid());

	test_layout_parsing();
	test_v2_on_files();
	vz_err err = { 0 };
	if (!is_int(vz_cgroup_layout_detect(&layout, &err), 0, "detect the layout")) {
		printf("#   %s\n", err.msg);
		return tap_done();
	}
	for (size_t i = 0; i < layout->n && i < ELEMENTSOF(created_vz); i++) {
		_cleanup_free_ char *vz = path_join(layout->hier[i].mount, "vz");
		created_vz[i] = !dir_exists(vz);
	}
	atexit(cleanup);
	test_layout_host();
	test_refusals();

	_cleanup_(vz_cgroup_freep) struct vz_cgroup *c1 = new_cg("c1");
	if (!ok(c1, "handle for c1"))
		return tap_done();
	test_create(c1);
	test_create_rollback();
	test_limits(c1);
	test_attach_kill(c1);
	test_pids_limit();
	test_subtree_and_frozen();
	test_busy();
	test_join();
	test_misc();

	cleanup();
	check_nothing_left();
	return tap_done();
}
