/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lxcfs.c: one lxcfs per container, run by its monitor, and its files bound
 * over the container's /proc and /sys (see lxcfs.h, doc/tenant-view.md).
 * Runs in the monitor (start, stop, restart, and a short-lived helper that
 * enters the container's mount namespace), except the *_in_child
 * functions (container child).
 */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "lxcfs.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546
#endif

/* The files lxcfs 5 virtualizes that a tenant's tools read: free, top,
 * uptime, nproc --all / sysconf(_SC_NPROCESSORS_ONLN), iostat. The same
 * relative path in the lxcfs mount and in the container's root. */
static const char *const lxcfs_files[VZ_LXCFS_NFILES] = {
	"proc/cpuinfo", "proc/diskstats", "proc/loadavg", "proc/meminfo",
	"proc/stat",    "proc/swaps",     "proc/uptime",  "sys/devices/system/cpu/online",
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int vz_lxcfs_init(struct vz_lxcfs *l, const struct vz_global *g, const char *name)
{
	*l = (struct vz_lxcfs)VZ_LXCFS_INIT;
	l->bin = strdup(g->lxcfs_path ? g->lxcfs_path : "/usr/bin/lxcfs");
	l->mnt = vz_path(g, name, VZ_PATH_LXCFS);
	l->pidfile = vz_path(g, name, VZ_PATH_LXCFS_PID);
	l->log = vz_path(g, name, VZ_PATH_LXCFS_LOG);
	return l->bin && l->mnt && l->pidfile && l->log ? 0 : -ENOMEM;
}

void vz_lxcfs_done(struct vz_lxcfs *l)
{
	vz_lxcfs_stop(l);
	free(l->bin);
	free(l->mnt);
	free(l->pidfile);
	free(l->log);
	free(l->v2_root);
	free(l->v2_procs);
	*l = (struct vz_lxcfs)VZ_LXCFS_INIT;
}

/* /proc/self/mountinfo escapes blanks and backslashes as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else
			*w++ = *r;
	}
	*w = 0;
}

/* Walk /proc/self/mountinfo: fn(mount root, mount point, fstype, data)
 * for each line, unescaped; a non-zero return stops the walk with it. */
static int walk_mounts(int (*fn)(const char *root, const char *mp, const char *fstype, void *data),
		       void *data)
{
	_cleanup_free_ char *text = NULL;
	int r = read_file("/proc/self/mountinfo", &text, NULL);
	if (r < 0)
		return r;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* id parent maj:min ROOT MOUNTPOINT opts [optional...] - FSTYPE ... */
		char root[4096], mp[4096], fstype[64];
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mp) != 2 ||
		    sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		unescape_octal(root);
		unescape_octal(mp);
		r = fn(root, mp, fstype, data);
		if (r)
			return r;
	}
	return 0;
}

struct fuse_query {
	const char *path;
	int found;
};

static int is_fuse_at(const char *root, const char *mp, const char *fstype, void *data)
{
	(void)root;
	struct fuse_query *q = data;
	if (streq(mp, q->path)) /* the last one is the topmost */
		q->found = streq(fstype, "fuse") || startswith(fstype, "fuse.");
	return 0;
}

/* Is the topmost mount at path a FUSE one? Read from the mount table, not
 * with statfs: that would ask the FUSE daemon, which may hang or be dead. */
static int fuse_mounted_at(const char *path)
{
	struct fuse_query q = { .path = path };
	int r = walk_mounts(is_fuse_at, &q);
	return r < 0 ? r : q.found;
}

static int find_cgroup2_root(const char *root, const char *mp, const char *fstype, void *data)
{
	if (!streq(fstype, "cgroup2") || !streq(root, "/"))
		return 0;
	*(char **)data = strdup(mp);
	return *(char **)data ? 1 : -ENOMEM;
}

/* lxcfs 5.0 mounts cgroup2 again, without options, in its private mount
 * namespace. A cgroup2 mount made from the initial cgroup namespace sets
 * the options of the one cgroup2 hierarchy for the whole host: the host
 * would lose nsdelegate (and memory_recursiveprot), the delegation
 * boundary of every container (lxc/lxcfs#681, fixed after 6.0). Made in a
 * cgroup namespace of its own, that mount changes nothing. So on a pure
 * v2 host lxcfs is cloned into the root cgroup with a new cgroup namespace
 * (rooted there, so its paths are the host's), and moves itself into the
 * monitor's cgroup before it executes lxcfs. */
static int prepare_v2(struct vz_lxcfs *l, vz_err *err)
{
	if (l->v2_root)
		return 0;
	char *mnt = NULL;
	int r = walk_mounts(find_cgroup2_root, &mnt);
	if (r <= 0 || !mnt)
		return vz_failx(err, r < 0 ? -r : ENOENT, "no cgroup2 mount found for lxcfs");
	_cleanup_free_ char *self = NULL;
	r = read_file("/proc/self/cgroup", &self, NULL);
	char *path = self ? strstr(self, "0::") : NULL;
	if (r < 0 || !path) {
		free(mnt);
		return vz_failx(err, r < 0 ? -r : EINVAL, "the monitor's cgroup is unknown");
	}
	path += 3;
	path[strcspn(path, "\n")] = 0;
	l->v2_procs = strdup_printf("%s%s/cgroup.procs", mnt, streq(path, "/") ? "" : path);
	l->v2_root = mnt;
	return l->v2_procs ? 0 : -ENOMEM;
}

/* 1: start lxcfs; 0: go without (logged); -errno: lxcfs = true and the
 * host cannot. */
static int wanted(const struct vz_lxcfs *l, const struct vz_spec *spec, vz_err *err)
{
	if (spec->lxcfs == VZ_LXCFS_OFF) {
		log_debug("lxcfs = false: the container sees the host's /proc");
		return 0;
	}
	const char *missing = NULL;
	struct stat st;
	if (access(l->bin, X_OK) < 0)
		missing = "not installed";
	else if (stat("/dev/fuse", &st) < 0 || !S_ISCHR(st.st_mode))
		missing = "unusable: /dev/fuse is missing";
	if (!missing)
		return 1;
	if (spec->lxcfs == VZ_LXCFS_ON)
		return vz_failx(err, ENOENT,
				"lxcfs = true, but '%s' is %s (install the lxcfs package, or set "
				"lxcfs = false)",
				l->bin, missing);
	log_warn("lxcfs '%s' is %s: the container sees the host's /proc/meminfo, cpuinfo, "
		 "uptime, ... (doc/tenant-view.md)",
		 l->bin, missing);
	return 0;
}

/* The lxcfs process: its own session (a Ctrl-C at `vz start -F` is the
 * container's business, not lxcfs's), killed with the monitor, stderr to
 * its log, nothing else of the monitor's (signal mask, fds). */
static pid_t spawn(const struct vz_lxcfs *l, bool truncate_log)
{
	pid_t monitor = getpid();
	_cleanup_close_ int cg = -EBADF;
	if (l->v2_root) {
		cg = open(l->v2_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cg < 0)
			return -errno;
	}
	int logfd = open(l->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
					 (truncate_log ? O_TRUNC : 0), 0640);
	struct clone_args args = {
		.flags = cg >= 0 ? CLONE_INTO_CGROUP | CLONE_NEWCGROUP : 0,
		.exit_signal = SIGCHLD,
		.cgroup = cg >= 0 ? (uint64_t)cg : 0,
	};
	pid_t pid = sys_clone3(&args, sizeof(args));
	if (pid != 0) {
		if (logfd >= 0)
			close(logfd);
		return pid;
	}
	if (l->v2_procs && write_file(l->v2_procs, "0", 0) < 0) {
		dprintf(logfd, "vz: cannot move lxcfs into '%s': %m\n", l->v2_procs);
		_exit(126);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	setsid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor)
		_exit(127);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(logfd >= 0 ? logfd : null, 2) < 0)
		_exit(127);
	close_range(3, ~0U, 0);
	/* -l: /proc/loadavg per container; --enable-cfs: cpuinfo, stat and
	 * cpu/online count the CPUs of the quota, not only of the cpuset;
	 * --enable-pidfd: no pid reuse races in its per-container caches. */
	char *argv[] = { "lxcfs", "-f", "-l", "--enable-cfs", "--enable-pidfd",
			 "-p", l->pidfile, l->mnt, NULL };
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	execve(l->bin, argv, envp);
	dprintf(2, "vz: cannot execute lxcfs '%s': %m\n", l->bin);
	_exit(127);
}

static void describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "ended (status 0x%x)", status);
}

static void detach_mount(struct vz_lxcfs *l)
{
	if (!l->mounted)
		return;
	/* A dead FUSE mount answers every access with ENOTCONN; only a lazy
	 * unmount takes it away. Several may be stacked after a crash during
	 * startup: take them all. */
	for (int i = 0; i < 8 && umount2(l->mnt, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
		;
	l->mounted = false;
}

static void kill_and_reap(struct vz_lxcfs *l)
{
	if (l->pid <= 0)
		return;
	kill(l->pid, SIGKILL);
	while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
		;
	l->pid = 0;
}

/* Start lxcfs on l->mnt and wait until its FUSE mount is there. */
static int launch(struct vz_lxcfs *l, bool first, vz_err *err)
{
	l->mounted = true; /* whatever was left there goes first */
	detach_mount(l);
	if (mkdir(l->mnt, 0755) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create '%s'", l->mnt);
	uint64_t t0 = now_ms();
	pid_t pid = spawn(l, first);
	if (pid < 0)
		return vz_fail(err, pid, "clone lxcfs");
	l->pid = pid;
	l->mounted = true;
	for (;;) {
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			char what[64];
			describe(status, what, sizeof(what));
			l->pid = 0;
			detach_mount(l);
			return vz_failx(err, EIO, "'%s' %s before it mounted '%s' (see %s)", l->bin,
					what, l->mnt, l->log);
		}
		int r = fuse_mounted_at(l->mnt);
		if (r > 0)
			break;
		if (now_ms() - t0 > VZ_LXCFS_MOUNT_TIMEOUT_MS) {
			kill_and_reap(l);
			detach_mount(l);
			return vz_failx(err, ETIMEDOUT, "'%s' did not mount '%s' within %u ms (see %s)",
					l->bin, l->mnt, VZ_LXCFS_MOUNT_TIMEOUT_MS, l->log);
		}
		usleep(2000);
	}
	log_info("lxcfs (pid %d) mounted '%s' in %llu ms", (int)pid, l->mnt,
		 (unsigned long long)(now_ms() - t0));
	return 0;
}

int vz_lxcfs_start(struct vz_lxcfs *l, const struct vz_spec *spec, bool unified, vz_err *err)
{
	l->given_up = false;
	l->restarts = 0;
	int r = wanted(l, spec, err);
	if (r <= 0)
		return r;
	if (unified && (r = prepare_v2(l, err)) < 0)
		return r;
	r = launch(l, true, err);
	return r < 0 ? r : 1;
}

void vz_lxcfs_stop(struct vz_lxcfs *l)
{
	kill_and_reap(l);
	detach_mount(l);
	if (l->mnt)
		rmdir(l->mnt);
	if (l->pidfile)
		unlink(l->pidfile);
}

void vz_lxcfs_detach_leftover(const struct vz_global *g, const char *name)
{
	_cleanup_free_ char *mnt = vz_path(g, name, VZ_PATH_LXCFS);
	if (!mnt)
		return;
	for (int i = 0; i < 8 && umount2(mnt, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
		;
}

/* The helper, in the container's mount namespace: for each file still
 * covered by a bind of an lxcfs (the dead one: statfs says ENOTCONN), drop
 * that bind and attach fds[i], a clone of the new lxcfs's file (or nothing,
 * restoring the kernel's file, when fds[i] < 0). */
static int replace_binds(const int *fds)
{
	int ret = 0;
	for (size_t i = 0; i < VZ_LXCFS_NFILES; i++) {
		const char *target = lxcfs_files[i];
		bool was_bound = false;
		for (int n = 0; n < 8; n++) {
			struct statfs sf;
			bool fuse = statfs(target, &sf) == 0 ? sf.f_type == FUSE_SUPER_MAGIC
							     : errno == ENOTCONN;
			if (!fuse)
				break;
			if (umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
				ret = -errno;
				break;
			}
			was_bound = true;
		}
		if (was_bound && fds[i] >= 0 &&
		    sys_move_mount(fds[i], "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			ret = -errno;
	}
	return ret;
}

/* Put the current lxcfs's files (none when restore_host) in place of the
 * dead one's inside the container of init_pid. The bind clones are taken
 * here, in the host's mount namespace; the helper then enters the
 * container's (host root may: it owns the container's user namespace) and
 * attaches them with move_mount. */
static int rebind(const struct vz_lxcfs *l, pid_t init_pid, bool restore_host)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		alarm(10); /* never hang the monitor on a stuck mount */
		int fds[VZ_LXCFS_NFILES];
		for (size_t i = 0; i < VZ_LXCFS_NFILES; i++) {
			_cleanup_free_ char *src = path_join(l->mnt, lxcfs_files[i]);
			fds[i] = restore_host || !src
					 ? -EBADF
					 : sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		}
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/root", (int)init_pid);
		int root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)init_pid);
		int ns = open(p, O_RDONLY | O_CLOEXEC);
		if (root < 0 || ns < 0 || setns(ns, CLONE_NEWNS) < 0 || fchdir(root) < 0 ||
		    chroot(".") < 0 || chdir("/") < 0)
			_exit(2);
		_exit(replace_binds(fds) < 0 ? 3 : 0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 2 ? -ENOENT : -EIO;
}

/* Another restart, or has lxcfs crashed too often? */
static bool may_restart(struct vz_lxcfs *l)
{
	uint64_t now = now_ms();
	if (l->restarts == 0 || now - l->window_start_ms > VZ_LXCFS_CRASH_WINDOW_MS) {
		l->window_start_ms = now;
		l->restarts = 0;
	}
	return ++l->restarts <= VZ_LXCFS_MAX_RESTARTS;
}

bool vz_lxcfs_reaped(struct vz_lxcfs *l, pid_t pid, int status, pid_t init_pid)
{
	if (pid <= 0 || pid != l->pid)
		return false;
	char what[64];
	describe(status, what, sizeof(what));
	l->pid = 0;
	if (init_pid <= 0) {
		log_info("lxcfs (pid %d) %s", (int)pid, what);
		return true; /* the container is going down: teardown cleans up */
	}
	log_warn("lxcfs (pid %d) %s; starting it again", (int)pid, what);
	vz_err err = { 0 };
	while (may_restart(l)) {
		vz_err_clear(&err);
		if (launch(l, false, &err) < 0) {
			log_warn("restarting lxcfs: %s", err.msg);
			continue;
		}
		int r = rebind(l, init_pid, false);
		if (r < 0)
			log_warn("lxcfs: could not replace its files in the container: %s",
				 strerror(-r));
		else
			log_info("lxcfs is back; the container's /proc files are bound again");
		return true;
	}
	log_error("lxcfs died again after %u restarts within %u s: giving up; the container "
		  "keeps running and now sees the host's /proc files",
		  VZ_LXCFS_MAX_RESTARTS, VZ_LXCFS_CRASH_WINDOW_MS / 1000);
	l->given_up = true;
	kill_and_reap(l);
	int r = rebind(l, init_pid, true);
	if (r < 0)
		log_warn("lxcfs: could not remove its dead files from the container: %s",
			 strerror(-r));
	detach_mount(l);
	return true;
}

/* A file that cannot be bound: the start fails when lxcfs = true asked for
 * the view; otherwise that file stays the kernel's (never stop a container
 * over lxcfs: this may be a reboot inside while lxcfs was just dying). */
static int child_failure(bool required, vz_err *err, int r, const char *what, const char *file)
{
	if (required)
		return vz_fail(err, r, "lxcfs: %s '%s'", what, file);
	log_warn("lxcfs: %s '%s': %s; the container sees the kernel's", what, file, strerror(-r));
	return 0;
}

int vz_lxcfs_open_in_child(const char *mnt, bool required, int fds[VZ_LXCFS_NFILES], vz_err *err)
{
	for (size_t i = 0; i < VZ_LXCFS_NFILES; i++)
		fds[i] = -EBADF;
	for (size_t i = 0; i < VZ_LXCFS_NFILES; i++) {
		_cleanup_free_ char *src = path_join(mnt, lxcfs_files[i]);
		if (!src)
			return -ENOMEM;
		fds[i] = open(src, O_PATH | O_CLOEXEC | O_NOFOLLOW);
		int r = fds[i] >= 0 || errno == ENOENT /* this lxcfs does not offer it */
				? 0
				: child_failure(required, err, -errno, "open", src);
		if (r < 0)
			return r;
	}
	return 0;
}

int vz_lxcfs_bind_in_child(int fds[VZ_LXCFS_NFILES], bool required, const char *root, vz_err *err)
{
	for (size_t i = 0; i < VZ_LXCFS_NFILES; i++) {
		if (fds[i] < 0)
			continue;
		_cleanup_close_ int fd = TAKE_FD(fds[i]);
		_cleanup_free_ char *target = path_join(root, lxcfs_files[i]);
		if (!target)
			return -ENOMEM;
		struct stat st;
		if (lstat(target, &st) < 0 || !S_ISREG(st.st_mode))
			continue; /* not on this kernel */
		_cleanup_close_ int bind = sys_open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
								 AT_EMPTY_PATH);
		int r = bind < 0 ? bind
				 : sys_move_mount(bind, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
		if (r < 0 && child_failure(required, err, r, "bind its file over", target) < 0)
			return r;
	}
	return 0;
}
