/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-boot: what the monitor decides about an init before it runs
 * (boot.c), without a container: whether a path names systemd once its
 * symlinks are followed (resolved in this process's root, "/", as in a
 * container's), and the inotify check against the real, only read,
 * fs.inotify.max_user_instances with "running" containers made of locked
 * run directories (flock, as a monitor holds its own).
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "fd-util.h"
#include "fs-util.h"
#include "parse-util.h"
#include "tap.h"

static char *tmp;

static void mkfile(const char *rel)
{
	_cleanup_free_ char *p = path_join(tmp, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	if (fd >= 0)
		close(fd);
}

static void mklink(const char *target, const char *rel)
{
	_cleanup_free_ char *p = path_join(tmp, rel);
	(void)!symlink(target, p);
}

static bool is_sd(const char *rel)
{
	_cleanup_free_ char *p = path_join(tmp, rel);
	return vz_boot_init_is_systemd(getpid(), p);
}

static void test_is_systemd(void)
{
	static const char *const dirs[] = { "lib", "lib/systemd", "sbin", "bin", "run" };
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *d = path_join(tmp, dirs[i]);
		mkdir(d, 0755);
	}
	mkfile("lib/systemd/systemd");
	mkfile("bin/busybox");
	mkfile("bin/systemd-notify");
	_cleanup_free_ char *abs = path_join(tmp, "lib/systemd/systemd");
	mklink(abs, "sbin/init");                     /* Debian's /sbin/init, absolute */
	mklink("../lib/systemd/systemd", "sbin/init2"); /* relative */
	mklink("init2", "sbin/init3");                  /* a chain */
	mklink("../bin/busybox", "sbin/init-bb");       /* the busybox template's */
	mklink("../lib/systemd/nosuch", "sbin/dangling");

	ok(is_sd("lib/systemd/systemd"), "the executable itself");
	ok(is_sd("sbin/init"), "an absolute symlink to it");
	ok(is_sd("sbin/init2"), "a relative symlink to it");
	ok(is_sd("sbin/init3"), "a chain of symlinks");
	ok(!is_sd("sbin/init-bb"), "busybox is not systemd");
	ok(!is_sd("bin/systemd-notify"), "systemd-notify is not systemd");
	ok(!is_sd("sbin/dangling"), "a dangling symlink: not systemd (exec says why)");
	ok(!is_sd("sbin/nosuch"), "a missing file: not systemd");
	ok(!vz_boot_init_is_systemd(0x7ffffff0, abs), "a pid that does not exist: not systemd");
}

/* A run directory whose "monitor" holds its lock, as a running one does. */
static int running(const char *name)
{
	_cleanup_free_ char *d = strdup_printf("%s/run/%s", tmp, name);
	if (!d || mkdir(d, 0700) < 0)
		return -EBADF;
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0)
		fd = safe_close(fd);
	return fd;
}

static void test_inotify(void)
{
	_cleanup_free_ char *s = NULL;
	uint64_t lim;
	if (read_line_file("/proc/sys/fs/inotify/max_user_instances", &s) < 0 ||
	    parse_u64(s, &lim) < 0 || lim < 4 || lim > 500000) {
		ok(true, "inotify check # SKIP no usable fs.inotify.max_user_instances");
		return;
	}
	_cleanup_free_ char *run = path_join(tmp, "run");
	struct vz_global g = { .run_dir = run };
	vz_err err = { 0 };

	g.inotify_per_container = 0;
	is_int(vz_boot_check_inotify(&g, &err), 0, "0 per container: no check");
	g.inotify_per_container = (uint32_t)lim;
	is_int(vz_boot_check_inotify(&g, &err), 0, "nothing running, %u each: fits exactly",
	       g.inotify_per_container);
	ok(!vz_err_set(&err), "... no error");

	g.inotify_per_container = (uint32_t)lim + 1;
	is_int(vz_boot_check_inotify(&g, &err), -EMFILE, "%u each: too many for the limit",
	       g.inotify_per_container);
	char want[256];
	snprintf(want, sizeof(want),
		 "fs.inotify.max_user_instances is %llu, too low for 1 container (%llu inotify "
		 "instances each, host.inotify_instances_per_container in vz.conf): raise it to at "
		 "least %llu (sysctl -w fs.inotify.max_user_instances=%llu; at boot: ",
		 (unsigned long long)lim, (unsigned long long)lim + 1, (unsigned long long)lim + 1,
		 (unsigned long long)lim + 1);
	has_str(err.msg, want, "... the message names the limit, the need and the fix");
	has_str(err.msg, "/60-vz.conf)", "... and vz's sysctl file");

	/* Two running, one stale (unlocked), a stray file: counts 2. */
	int a = running("a"), b = running("b");
	ok(a >= 0 && b >= 0, "two locked run directories");
	_cleanup_free_ char *stale = path_join(run, "stale");
	mkdir(stale, 0700);
	_cleanup_free_ char *stray = path_join(run, "file");
	close(open(stray, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));

	err = (vz_err){ 0 };
	g.inotify_per_container = (uint32_t)(lim / 2);
	is_int(vz_boot_check_inotify(&g, &err), 0, "2 running x %u: fits", g.inotify_per_container);
	g.inotify_per_container = (uint32_t)(lim / 2 + 1);
	is_int(vz_boot_check_inotify(&g, &err), -EMFILE, "2 running x %u: too many",
	       g.inotify_per_container);
	has_str(err.msg, "too low for 2 containers", "... counts the running ones, not the stale one");

	safe_close(a);
	safe_close(b);
	err = (vz_err){ 0 };
	is_int(vz_boot_check_inotify(&g, &err), 0, "their monitors gone: fits again");

	_cleanup_free_ char *nosuch = path_join(tmp, "nosuch");
	g.run_dir = nosuch;
	g.inotify_per_container = (uint32_t)lim + 1;
	is_int(vz_boot_check_inotify(&g, &err), -EMFILE, "no run directory yet: this start counts");
}

int main(void)
{
	char tmpl[] = "/tmp/vz-test-boot.XXXXXX";
	tmp = mkdtemp(tmpl);
	if (!ok(tmp != NULL, "temporary directory"))
		return 1;
	test_is_systemd();
	test_inotify();
	ok(rm_rf(tmp) >= 0, "temporary directory removed");
	return tap_done();
}
