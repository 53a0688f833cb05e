/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-template.c: vz_template_prepare() and vz_template_list() against
 * small fake templates (sh scripts that record their arguments and
 * environment) in temporary directories under /tmp, then the real
 * templates/vz-template-busybox into a temporary cache. Needs no root.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fs-util.h"
#include "strv.h"
#include "tap.h"
#include "template.h"

static char *top; /* the test's temporary directory */

/* A fresh templates dir and cache for one case: top/CASE/{templates,cache,rec}. */
struct fixture {
	struct vz_global g;
	char *dir, *rec;
};

static void fixture_init(struct fixture *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->dir = path_join(top, name);
	f->rec = path_join(f->dir, "rec");
	f->g.templates_dir = path_join(f->dir, "templates");
	f->g.cache_dir = path_join(f->dir, "cache");
	f->g.lib_dir = path_join(f->dir, "lib"); /* no containers */
	mkdir_p(f->rec, 0755);
	mkdir_p(f->g.templates_dir, 0755);
}

static void fixture_done(struct fixture *f)
{
	free(f->dir);
	free(f->rec);
	free(f->g.templates_dir);
	free(f->g.cache_dir);
	free(f->g.lib_dir);
}

/* Write templates_dir/vz-template-NAME: "#!/bin/sh", "rec=REC", then body. */
static void add_template(struct fixture *f, const char *name, mode_t mode, const char *body)
{
	_cleanup_free_ char *path = strdup_printf("%s/vz-template-%s", f->g.templates_dir, name);
	_cleanup_free_ char *text = strdup_printf("#!/bin/sh\nrec='%s'\n%s", f->rec, body);
	if (write_file(path, text, O_CREAT | O_TRUNC) < 0 || chmod(path, mode) < 0)
		printf("# cannot write %s\n", path);
}

/* Contents of a file under rec (malloc'ed; "" if missing). */
static char *rec_read(struct fixture *f, const char *name)
{
	_cleanup_free_ char *p = path_join(f->rec, name);
	char *s = NULL;
	if (read_file(p, &s, NULL) < 0)
		s = strdup("");
	return s;
}

static char *cache_path(struct fixture *f, const char *rel)
{
	return path_join(f->g.cache_dir, rel);
}

static bool cache_has(struct fixture *f, const char *rel)
{
	_cleanup_free_ char *p = cache_path(f, rel);
	return path_exists(p);
}

/* Entries of cache/NAME whose names contain ".tmp-". */
static int count_tmp(struct fixture *f, const char *name)
{
	_cleanup_free_ char *p = cache_path(f, name);
	DIR *d = opendir(p);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += strstr(de->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

static int count_lines(const char *s, const char *prefix)
{
	int n = 0;
	for (const char *l = s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
		n += startswith(l, prefix);
	return n;
}

/* A template that records each call and builds etc/hello. */
static const char recording_body[] =
	"mode=$1\n"
	"case $mode in\n"
	"--release) shift; echo \"release $*\" >>\"$rec/calls\"\n"
	"  env | sort >\"$rec/env\"; readlink /proc/$$/fd/0 >\"$rec/stdin\"\n"
	"  echo 1.0 ;;\n"
	"--rootfs) dir=$2; shift 2; echo \"rootfs $*\" >>\"$rec/calls\"\n"
	"  echo \"$dir\" >\"$rec/dir\"; ls /proc/$$/fd | sort -n | tr '\\n' ' ' >\"$rec/fds\"\n"
	"  echo '# template stdout (expected)'; mkdir \"$dir/etc\"; echo hello >\"$dir/etc/hello\" ;;\n"
	"esac\n";

static void test_list_and_unknown(void)
{
	struct fixture f;
	fixture_init(&f, "list");
	add_template(&f, "b", 0755, "echo 1\n");
	add_template(&f, "a", 0755, "echo 1\n");
	add_template(&f, "c", 0644, "echo 1\n");
	add_template(&f, ".hidden", 0755, "echo 1\n");
	_cleanup_free_ char *readme = path_join(f.g.templates_dir, "README");
	write_file(readme, "x\n", O_CREAT | O_TRUNC);

	_cleanup_strv_free_ char **names = NULL;
	int r = vz_template_list(&f.g, &names);
	is_int(r, 2, "list: two executable templates");
	_cleanup_free_ char *joined = names ? strv_join(names, ",") : NULL;
	is_str(joined, "a,b", "list: sorted, without the non-executable or invalid ones");

	vz_err err = { 0 };
	char *lower = NULL;
	r = vz_template_prepare(&f.g, "nope", NULL, "demo", false, &lower, &err);
	is_int(r, -ENOENT, "unknown template: -ENOENT");
	_cleanup_free_ char *want =
	    strdup_printf("unknown template 'nope' (no vz-template-nope in %s; available: a, b)",
			  f.g.templates_dir);
	is_str(err.msg, want, "unknown template: message lists the available ones");
	ok(!cache_has(&f, "nope"), "unknown template: no cache dir made");

	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "c", NULL, "demo", false, &lower, &err);
	is_int(r, -EACCES, "non-executable template: -EACCES");
	has_str(err.msg, "is not an executable file", "non-executable template: message");

	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "..", NULL, "demo", false, &lower, &err);
	is_int(r, -EINVAL, "template name '..' rejected");
	has_str(err.msg, "invalid template name '..'", "invalid name: message");

	struct fixture empty;
	fixture_init(&empty, "list-empty");
	vz_err_clear(&err);
	r = vz_template_prepare(&empty.g, "x", NULL, NULL, false, &lower, &err);
	has_str(err.msg, "available: none)", "unknown template, none installed: says none");
	fixture_done(&empty);
	fixture_done(&f);
}

static void test_build_and_reuse(void)
{
	struct fixture f;
	fixture_init(&f, "build");
	add_template(&f, "t", 0755, recording_body);
	setenv("VZ_TEST_SECRET", "leak", 1);
	char *const args[] = { "--opt", "with space", NULL };

	/* The template's stdout goes to our stderr: catch it in a file. */
	_cleanup_free_ char *errpath = path_join(f.dir, "stderr");
	int saved = dup(STDERR_FILENO);
	int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	dup2(efd, STDERR_FILENO);
	close(efd);
	int leak = dup2(open("/dev/null", O_RDONLY), 77); /* not close-on-exec */

	vz_err err = { 0 };
	_cleanup_free_ char *lower = NULL;
	int r = vz_template_prepare(&f.g, "t", args, "demo", false, &lower, &err);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(leak);
	is_int(r, 0, "build: prepare succeeds (%s)", err.msg);
	is_str(lower, "t/1.0", "build: lower is NAME/RELEASE");
	ok(cache_has(&f, "t/1.0/etc/hello"), "build: the tree is in cache/t/1.0");
	is_int(count_tmp(&f, "t"), 0, "build: no temporary tree left");
	_cleanup_free_ char *calls = rec_read(&f, "calls"), *dir = rec_read(&f, "dir");
	is_str(calls, "release --opt with space\nrootfs --opt with space\n",
	       "build: --release then --rootfs, both with the args");
	_cleanup_free_ char *tmpdir = strdup_printf("%s/t/.1.0.tmp-%d\n", f.g.cache_dir, getpid());
	is_str(dir, tmpdir, "build: --rootfs gets cache/t/.RELEASE.tmp-PID");

	_cleanup_free_ char *env = rec_read(&f, "env");
	has_str(env, "VZ_TEMPLATE=t\n", "env: VZ_TEMPLATE");
	_cleanup_free_ char *cenv = strdup_printf("VZ_CACHE_DIR=%s/t\n", f.g.cache_dir);
	has_str(env, cenv, "env: VZ_CACHE_DIR");
	has_str(env, "VZ_CONTAINER=demo\n", "env: VZ_CONTAINER");
	has_str(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
		"env: PATH");
	ok(!strstr(env, "VZ_TEST_SECRET"), "env: the caller's environment is not passed");
	_cleanup_free_ char *in = rec_read(&f, "stdin"), *fds = rec_read(&f, "fds");
	is_str(in, "/dev/null\n", "stdin is /dev/null");
	ok(startswith(fds, "0 1 2 3 ") && !strstr(fds, " 77 "),
	   "rootfs mode: fds 0-2 and the lock on 3, nothing leaked (%s)", fds);
	_cleanup_free_ char *errout = NULL;
	read_file(errpath, &errout, NULL);
	has_str(errout, "# template stdout (expected)",
		"rootfs mode: the template's stdout goes to stderr");

	struct stat st;
	_cleanup_free_ char *tdir = cache_path(&f, "t");
	ok(stat(tdir, &st) == 0 && (st.st_mode & 07777) == 0700, "cache/t is mode 0700");
	_cleanup_free_ char *rdir = cache_path(&f, "t/1.0");
	ok(stat(rdir, &st) == 0 && (st.st_mode & 07777) == 0755, "cache/t/1.0 is mode 0755");

	_cleanup_free_ char *lower2 = NULL;
	r = vz_template_prepare(&f.g, "t", args, "demo2", false, &lower2, &err);
	is_int(r, 0, "reuse: second prepare succeeds");
	is_str(lower2, "t/1.0", "reuse: same lower");
	_cleanup_free_ char *calls2 = rec_read(&f, "calls");
	is_int(count_lines(calls2, "rootfs"), 1, "reuse: --rootfs ran only once");
	is_int(count_lines(calls2, "release"), 2, "reuse: --release ran again");

	/* --refresh: a new generation; the old one, used by no container, goes. */
	_cleanup_free_ char *lower3 = NULL, *lower4 = NULL;
	saved = dup(STDERR_FILENO);
	dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), STDERR_FILENO);
	r = vz_template_prepare(&f.g, "t", args, "demo3", true, &lower3, &err);
	is_int(r, 0, "refresh: prepare succeeds (%s)", err.msg);
	is_str(lower3, "t/1.0@2", "refresh: a second generation, RELEASE@2");
	ok(cache_has(&f, "t/1.0@2/etc/hello"), "refresh: its tree is in cache/t/1.0@2");
	ok(!cache_has(&f, "t/1.0/etc/hello"), "refresh: the unused first generation is removed");
	r = vz_template_prepare(&f.g, "t", args, "demo4", false, &lower4, &err);
	dup2(saved, STDERR_FILENO);
	close(saved);
	is_str(lower4, "t/1.0@2", "after a refresh: new containers get the newest generation");
	_cleanup_free_ char *calls3 = rec_read(&f, "calls");
	is_int(count_lines(calls3, "rootfs"), 2, "refresh: --rootfs ran once more, then not again");
	unsetenv("VZ_TEST_SECRET");
	fixture_done(&f);
}

static void expect_bad_release(struct fixture *f, const char *name, const char *print,
			       const char *want)
{
	_cleanup_free_ char *body = strdup_printf(
	    "[ \"$1\" = --release ] || { touch \"$rec/built\"; exit 0; }\nprintf '%s'\n", print);
	add_template(f, name, 0755, body);
	vz_err err = { 0 };
	char *lower = NULL;
	int r = vz_template_prepare(&f->g, name, NULL, "demo", false, &lower, &err);
	is_int(r, -EPROTO, "bad release '%s': -EPROTO", print);
	has_str(err.msg, want, "bad release '%s': the message quotes it", print);
	ok(!lower, "bad release '%s': no lower", print);
}

static void test_bad_release(void)
{
	struct fixture f;
	fixture_init(&f, "badrel");
	expect_bad_release(&f, "words", "two words\\n", "printed 'two words\\n' for --release");
	expect_bad_release(&f, "lines", "a\\nb\\n", "printed 'a\\nb\\n'");
	expect_bad_release(&f, "dotdot", "..\\n", "printed '..\\n'");
	expect_bad_release(&f, "dot", ".hidden", "printed '.hidden'");
	expect_bad_release(&f, "slash", "a/b\\n", "printed 'a/b\\n'");
	expect_bad_release(&f, "empty", "", "template 'empty' printed no release");
	expect_bad_release(&f, "ctrl", "x\\033y", "printed 'x\\x1by'");
	_cleanup_free_ char *built = path_join(f.rec, "built");
	ok(!path_exists(built), "bad release: --rootfs never ran");

	/* Long output is cut, and the template is not blocked on a full pipe. */
	add_template(&f, "long", 0755,
		     "i=0; while [ $i -lt 2000 ]; do echo 0123456789; "
		     "i=$((i+1)); done\n");
	vz_err err = { 0 };
	char *lower = NULL;
	int r = vz_template_prepare(&f.g, "long", NULL, "demo", false, &lower, &err);
	is_int(r, -EPROTO, "20 KB of output: -EPROTO, not a hang");
	has_str(err.msg, "...' for --release", "20 KB of output: quoted and cut");
	fixture_done(&f);
}

static void test_failures(void)
{
	struct fixture f;
	fixture_init(&f, "fail");
	add_template(&f, "exit2", 0755,
		     "[ \"$1\" = --release ] && { echo 1; exit 0; }\n"
		     "mkdir \"$2/etc\"; echo partial >\"$2/etc/x\"; echo '# exit2: oops "
		     "(expected)' >&2; exit 2\n");
	vz_err err = { 0 };
	char *lower = NULL;
	int r = vz_template_prepare(&f.g, "exit2", NULL, "demo", false, &lower, &err);
	ok(r < 0, "failing --rootfs: error");
	is_str(err.msg, "template 'exit2' failed (exit status 2)", "failing --rootfs: message");
	ok(!cache_has(&f, "exit2/1"), "failing --rootfs: no cache entry");
	is_int(count_tmp(&f, "exit2"), 0, "failing --rootfs: temporary tree removed");

	add_template(&f, "killed", 0755,
		     "[ \"$1\" = --release ] && { echo 1; exit 0; }\n"
		     "mkdir \"$2/etc\"; kill -KILL $$\n");
	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "killed", NULL, "demo", false, &lower, &err);
	ok(r < 0, "template killed by a signal: error");
	is_str(err.msg, "template 'killed' failed (killed by SIGKILL)", "killed: message");
	ok(!cache_has(&f, "killed/1"), "killed: no cache entry");
	is_int(count_tmp(&f, "killed"), 0, "killed: temporary tree removed");

	add_template(&f, "relfail", 0755, "echo 1; exit 3\n");
	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "relfail", NULL, "demo", false, &lower, &err);
	is_str(err.msg, "template 'relfail' failed (exit status 3)", "failing --release: message");

	_cleanup_free_ char *noexec = path_join(f.g.templates_dir, "vz-template-interp");
	write_file(noexec, "#!/nonexistent/interpreter\n", O_CREAT | O_TRUNC);
	chmod(noexec, 0755);
	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "interp", NULL, "demo", false, &lower, &err);
	is_int(r, -ENOENT, "missing interpreter: -ENOENT");
	_cleanup_free_ char *want =
	    strdup_printf("run template '%s': No such file or directory", noexec);
	is_str(err.msg, want, "missing interpreter: says which file could not run");
	ok(!lower, "failures: no lower returned");
	fixture_done(&f);
}

static void test_stale(void)
{
	struct fixture f;
	fixture_init(&f, "stale");
	add_template(&f, "s", 0755, recording_body);
	_cleanup_free_ char *old = cache_path(&f, "s/.1.0.tmp-99999/etc/deep");
	_cleanup_free_ char *other = cache_path(&f, "s/.2.0.tmp-7");
	mkdir_p(old, 0755);
	mkdir_p(other, 0755);
	_cleanup_free_ char *s = cache_path(&f, "s");
	chmod(s, 0700);

	vz_err err = { 0 };
	_cleanup_free_ char *lower = NULL;
	int r = vz_template_prepare(&f.g, "s", NULL, "demo", false, &lower, &err);
	is_int(r, 0, "stale: prepare succeeds (%s)", err.msg);
	ok(!cache_has(&f, "s/.1.0.tmp-99999"), "stale: leftover of this release removed");
	ok(cache_has(&f, "s/.2.0.tmp-7"), "stale: another release's tree left alone");
	ok(cache_has(&f, "s/1.0/etc/hello"), "stale: built");
	fixture_done(&f);
}

static void test_concurrent(void)
{
	struct fixture f;
	fixture_init(&f, "concurrent");
	add_template(&f, "c", 0755,
		     "[ \"$1\" = --release ] && { echo 7; exit 0; }\n"
		     "echo build >>\"$rec/builds\"; sleep 0.3; mkdir \"$2/etc\"\n");
	pid_t pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			vz_err err = { 0 };
			char *lower = NULL;
			int r = vz_template_prepare(&f.g, "c", NULL, "demo", false, &lower, &err);
			_exit(r == 0 && lower && streq(lower, "c/7") ? 0 : 1);
		}
	}
	int ok_children = 0;
	for (int i = 0; i < 2; i++) {
		int status;
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			ok_children++;
	}
	is_int(ok_children, 2, "concurrent: both prepares succeed with the same lower");
	_cleanup_free_ char *builds = rec_read(&f, "builds");
	is_int(count_lines(builds, "build"), 1, "concurrent: built only once");
	ok(cache_has(&f, "c/7/etc"), "concurrent: the tree is there");
	is_int(count_tmp(&f, "c"), 0, "concurrent: no temporary tree left");
	fixture_done(&f);
}

static bool file_mode_is(const char *root, const char *rel, mode_t want)
{
	_cleanup_free_ char *p = path_join(root, rel);
	struct stat st;
	return lstat(p, &st) == 0 && (st.st_mode & 07777) == want;
}

static bool file_has(const char *root, const char *rel, const char *needle)
{
	_cleanup_free_ char *p = path_join(root, rel), *s = NULL;
	return read_file(p, &s, NULL) >= 0 && strstr(s, needle);
}

static void check_busybox_tree(const char *root, const char *release)
{
	_cleanup_free_ char *bb = path_join(root, "bin/busybox");
	struct stat st;
	ok(lstat(bb, &st) == 0 && S_ISREG(st.st_mode) && access(bb, X_OK) == 0,
	   "busybox: bin/busybox is an executable file");
	char target[PATH_MAX] = "";
	_cleanup_free_ char *init = path_join(root, "sbin/init");
	ssize_t n = readlink(init, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	is_str(target, "../bin/busybox", "busybox: sbin/init is a relative link");
	char real_init[PATH_MAX], real_bb[PATH_MAX];
	ok(realpath(init, real_init) && realpath(bb, real_bb) && streq(real_init, real_bb),
	   "busybox: sbin/init resolves to bin/busybox");
	_cleanup_free_ char *ls = path_join(root, "bin/ls");
	ok(realpath(ls, real_init) && streq(real_init, real_bb), "busybox: bin/ls too");
	ok(file_has(root, "etc/inittab", "::respawn:/sbin/getty -L 115200 console vt100"),
	   "busybox: inittab has a console getty");
	ok(file_has(root, "etc/inittab", "::sysinit:/etc/init.d/rcS"), "busybox: inittab runs rcS");
	ok(file_has(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
	   "busybox: passwd has root");
	ok(file_has(root, "etc/shadow", "root::"), "busybox: root has an empty password");
	ok(file_mode_is(root, "etc/shadow", 0600), "busybox: shadow is 0600");
	ok(file_has(root, "etc/group", "tty:x:5:"), "busybox: group tty is 5");
	ok(file_mode_is(root, "etc/init.d/rcS", 0755), "busybox: rcS is executable");
	_cleanup_free_ char *vid = strdup_printf("VERSION_ID=%s\n", release);
	ok(file_has(root, "etc/os-release", "ID=busybox\n") &&
	       file_has(root, "etc/os-release", vid),
	   "busybox: os-release has ID and VERSION_ID");
	ok(file_mode_is(root, "tmp", 01777), "busybox: tmp is 1777");
	ok(file_mode_is(root, "root", 0700), "busybox: root is 0700");
	ok(file_mode_is(root, ".", 0755), "busybox: / is 0755");
	const char *dirs[] = { "dev", "proc", "sys", "run", "var/log", "home", "mnt", "etc" };
	bool all = true;
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *p = path_join(root, dirs[i]);
		all = all && dir_exists(p);
	}
	ok(all, "busybox: dev proc sys run var/log home mnt etc exist");
}

static void test_real_busybox(void)
{
	const char *srcdir = getenv("VZ_TEST_SRCDIR");
	if (!srcdir || access("/bin/busybox", X_OK) < 0) {
		printf("ok %d # SKIP real busybox template: %s\n", ++tap_count,
		       srcdir ? "no /bin/busybox (install busybox-static)" : "VZ_TEST_SRCDIR not set");
		return;
	}
	struct fixture f;
	fixture_init(&f, "busybox");
	free(f.g.templates_dir);
	f.g.templates_dir = path_join(srcdir, "templates");

	vz_err err = { 0 };
	_cleanup_free_ char *lower = NULL;
	int r = vz_template_prepare(&f.g, "busybox", NULL, "demo", false, &lower, &err);
	is_int(r, 0, "busybox: prepare succeeds (%s)", err.msg);
	ok(lower && startswith(lower, "busybox/") &&
	       strspn(lower + 8, "0123456789.") == strlen(lower + 8),
	   "busybox: lower is busybox/VERSION (%s)", lower ? lower : "");
	if (lower) {
		_cleanup_free_ char *root = path_join(f.g.cache_dir, lower);
		check_busybox_tree(root, lower + 8);
	}

	char *const bad[] = { "--suite", "x", NULL };
	char *lower2 = NULL;
	vz_err_clear(&err);
	r = vz_template_prepare(&f.g, "busybox", bad, "demo", false, &lower2, &err);
	is_str(err.msg, "template 'busybox' failed (exit status 2)",
	       "busybox: an unknown argument is an error");
	fixture_done(&f);
}

int main(void)
{
	char tmpl[] = "/tmp/vz-test-template.XXXXXX";
	top = mkdtemp(tmpl);
	if (!top) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_list_and_unknown();
	test_build_and_reuse();
	test_bad_release();
	test_failures();
	test_stale();
	test_concurrent();
	test_real_busybox();
	ok(rm_rf(top) == 0, "temporary directory removed");
	return tap_done();
}
