/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * attach.c: vz attach (see attach.h). Without a pty this process joins the
 * container's cgroup and namespaces itself and forks the command (the fork
 * is what enters the pid namespace). With a pty a helper child does that,
 * opens a pty in the container's devpts, forks the command on its slave and
 * passes the master back; this process stays on the host side and relays the
 * terminal. The command reports an execve failure over a close-on-exec pipe.
 */
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>

#include "attach.h"
#include "caps.h"
#include "cgroup.h"
#include "client.h"
#include "fd-util.h"
#include "fs-util.h"
#include "parse-util.h"
#include "proto.h"
#include "spec.h"
#include "strv.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

struct target {
	int pidfd;
	pid_t pid;
	uint64_t caps_keep;
	struct vz_cgroup_layout *layout;
	struct vz_cgroup *cg;
	struct vz_cgroup_join join;
};

static void target_done(struct target *t)
{
	safe_close(t->pidfd);
	vz_cgroup_join_close(&t->join);
	vz_cgroup_free(t->cg);
	vz_cgroup_layout_free(t->layout);
}

static int get_target(const struct vz_global *g, const char *name, struct target *t, vz_err *err)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	if (!dir)
		return -ENOMEM;
	if (!vz_name_is_valid(name) || !dir_exists(dir))
		return vz_failx(err, ENOENT, "container '%s' does not exist", name);
	_cleanup_close_ int fd = -EBADF;
	int r = vz_client_connect(g, name, &fd, err);
	if (r < 0)
		return r;
	struct vz_msg req, reply;
	vz_msg_init(&req, VZ_MSG_ATTACH);
	size_t nfds = 1;
	r = vz_client_call(fd, &req, VZ_CLIENT_TIMEOUT_MS, &reply, &t->pidfd, &nfds, err);
	if (r < 0)
		return r;
	uint64_t pid = 0;
	if (nfds != 1 || vz_msg_get_int(&reply, VZ_F_PID, &pid) < 0 ||
	    vz_msg_get_int(&reply, VZ_F_CAPS, &t->caps_keep) < 0)
		return vz_failx(err, EPROTO, "the monitor's attach reply is incomplete");
	t->pid = (pid_t)pid;
	r = vz_cgroup_layout_detect(&t->layout, err);
	if (r >= 0)
		r = vz_cgroup_new(t->layout, g->cgroup_parent, name, &t->cg, err);
	if (r >= 0)
		r = vz_cgroup_join_open(t->cg, &t->join, err);
	return r;
}

static bool same_userns(pid_t pid)
{
	char p[64];
	struct stat a, b;
	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	return stat(p, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

/* Like fork(), but the child is inside the container: in its cgroup (born
 * in the v2 leaf, joining the v1 ones by itself: no migration, see
 * vz_cgroup_join) and in all its namespaces. This process only takes the
 * container's pid namespace for its children and stays on the host side.
 * In the child (0 returned), *entered < 0 says entering failed, err why. */
static pid_t fork_into(struct target *t, int *entered, vz_err *err)
{
	if (setns(t->pidfd, CLONE_NEWPID) < 0)
		return vz_fail(err, errno, "enter the container's pid namespace");
	/* init's CPU affinity (a quota's CPUs, affinity.h), so that nproc
	 * says the same in an attached shell as under init. */
	cpu_set_t cpus;
	bool have_cpus = sched_getaffinity(t->pid, sizeof(cpus), &cpus) == 0;
	struct clone_args args = { .exit_signal = SIGCHLD };
	if (t->join.unified >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)t->join.unified;
	}
	pid_t pid = sys_clone3(&args, sizeof(args));
	if (pid == -EBUSY && t->join.unified >= 0) {
		/* Not a leaf any more (systemd as init): where init is. */
		int r = vz_cgroup_join_use_pid(t->cg, &t->join, t->pid,
					       err);
		if (r < 0)
			return r;
		args.cgroup = (uint64_t)t->join.unified;
		pid = sys_clone3(&args, sizeof(args));
	}
	if (pid < 0)
		return vz_fail(err, pid, "fork into the container");
	if (pid > 0)
		return pid;
	int r = vz_cgroup_join_self(&t->join, err);
	if (r >= 0 && have_cpus)
		sched_setaffinity(0, sizeof(cpus), &cpus); /* best effort, as init's own */
	if (r >= 0) {
		int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			    CLONE_NEWCGROUP;
		if (!same_userns(t->pid))
			flags |= CLONE_NEWUSER;
		if (setns(t->pidfd, flags) < 0)
			r = vz_fail(err, errno, "enter the container's namespaces");
	}
	*entered = r;
	return 0;
}

/* The login shell and home of uid from the container's /etc/passwd. */
static void passwd_entry(uid_t uid, char **shell, char **home)
{
	_cleanup_free_ char *s = NULL;
	char *f[7];
	if (read_file("/etc/passwd", &s, NULL) < 0 || passwd_find(s, NULL, uid, f) < 0)
		return;
	*home = strdup(f[5]);
	*shell = *f[6] ? strdup(f[6]) : NULL;
}

static char **build_env(const struct vz_attach_opts *o, const char *home)
{
	char **env = NULL;
	if (o->keep_env)
		env = strv_copy(environ);
	else {
		const char *term = getenv("TERM");
		strv_push(&env, "PATH=" DEFAULT_PATH);
		strv_consume(&env, strdup_printf("HOME=%s", home));
		if (term && o->pty)
			strv_consume(&env, strdup_printf("TERM=%s", term));
	}
	strv_env_set(&env, "container=vz");
	STRV_FOREACH (e, o->set_env)
		strv_env_set(&env, *e);
	return env;
}

/* In the container, in the final process: credentials, capabilities,
 * environment, exec. Reports failure on report_fd and exits. */
static _noreturn_ void exec_command(const struct vz_attach_opts *o, uint64_t caps_keep,
				    int report_fd)
{
	vz_err err = { 0 };
	_cleanup_free_ char *shell = NULL, *home = NULL;
	passwd_entry(o->uid, &shell, &home);
	const char *h = home ? home : (o->uid == 0 ? "/root" : "/");

	if (caps_limit_bounding(caps_keep, &err) < 0)
		goto fail;
	if (setgroups(0, NULL) < 0 || setresgid(o->gid, o->gid, o->gid) < 0 ||
	    setresuid(o->uid, o->uid, o->uid) < 0) {
		vz_fail(&err, errno, "switch to uid %u gid %u", (unsigned)o->uid, (unsigned)o->gid);
		goto fail;
	}
	if (chdir(h) < 0 && chdir("/") < 0) {
		vz_fail(&err, errno, "chdir /");
		goto fail;
	}
	char **env = build_env(o, h);
	if (o->argv) {
		environ = env;
		execvp(o->argv[0], o->argv);
		vz_fail(&err, errno, "execute '%s'", o->argv[0]);
	} else {
		const char *sh = shell ? shell : "/bin/sh";
		const char *base = strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh;
		_cleanup_free_ char *arg0 = strdup_printf("-%s", base);
		char *argv[] = { arg0, NULL };
		execve(sh, argv, env);
		vz_fail(&err, errno, "execute login shell '%s'", sh);
	}
fail:
	loop_write(report_fd, &err, sizeof(err));
	_exit(err.code == ENOENT ? 127 : 126);
}

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static int wait_child(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 255;
	return status_code(status);
}

/* Read what exec_command reported; 0 (nothing) means execve succeeded. */
static int read_report(int fd, vz_err *err)
{
	vz_err rep;
	ssize_t n;
	do
		n = read(fd, &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rep))
		return 0;
	rep.msg[sizeof(rep.msg) - 1] = 0;
	if (err)
		*err = rep;
	return -(rep.code ?: EIO);
}

/* Signals for the command while this process waits: a terminal's SIGINT and
 * SIGQUIT reach the command directly (same foreground process group), so they
 * are ignored here; SIGTERM and SIGHUP are passed on. The handler needs the
 * pid: the one piece of process-wide state in this file. */
static volatile pid_t forward_to;

static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

static void forward_signals(pid_t pid)
{
	forward_to = pid;
	struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
}

static int attach_direct(struct target *t, const struct vz_attach_opts *o, int *ret_status,
			 vz_err *err)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "pipe");
	int entered = 0;
	pid_t pid = fork_into(t, &entered, err);
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return pid;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (entered < 0) {
			loop_write(pfd[1], err, sizeof(*err));
			_exit(255);
		}
		exec_command(o, t->caps_keep, pfd[1]);
	}
	close(pfd[1]);
	forward_signals(pid);
	int r = read_report(pfd[0], err);
	close(pfd[0]);
	*ret_status = wait_child(pid);
	return r;
}

/* ---------------------------------------------------------------- pty */

struct pty_report {
	vz_err err;
};

static _noreturn_ void pty_command(const struct vz_attach_opts *o, uint64_t caps, int master,
				   const char *slave, int report_fd)
{
	vz_err err = { 0 };
	close(master);
	int s = -1;
	if (setsid() < 0 || (s = open(slave, O_RDWR)) < 0 || ioctl(s, TIOCSCTTY, 0) < 0) {
		vz_fail(&err, errno, "open the terminal '%s' in the container", slave);
		loop_write(report_fd, &err, sizeof(err));
		_exit(126);
	}
	for (int i = 0; i <= 2; i++)
		dup2(s, i);
	if (s > 2)
		close(s);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	exec_command(o, caps, report_fd);
}

/* The helper, already inside (entered < 0 if that failed): make the pty,
 * start the command, hand the master to the relaying parent, wait. Returns
 * the exit code for the helper. */
static int pty_helper(const struct target *t, const struct vz_attach_opts *o, int sock,
		      int entered, const vz_err *enter_err)
{
	struct pty_report rep = { 0 };
	_cleanup_close_ int master = -EBADF;
	char slave[64];
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;

	if (entered < 0) {
		rep.err = *enter_err;
		goto report;
	}
	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || unlockpt(master) < 0 || ptsname_r(master, slave, sizeof(slave))) {
		vz_fail(&rep.err, errno, "open a pty in the container (/dev/ptmx)");
		goto report;
	}
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
	if (pipe2(pfd, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		vz_fail(&rep.err, errno, "fork into the container");
		goto report;
	}
	if (pid == 0)
		pty_command(o, t->caps_keep, master, slave, pfd[1]);
	close(pfd[1]);
	read_report(pfd[0], &rep.err);
	close(pfd[0]);
report:
	send_with_fds(sock, &rep, sizeof(rep), &master, rep.err.code || master < 0 ? 0 : 1);
	master = safe_close(master);
	if (pid > 0)
		return wait_child(pid);
	return 255; /* failed before there was a command: like attach_direct */
}

static void copy_winsize(int master)
{
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* Move output until the pty has nothing more (EOF/EIO) or would block. */
static bool pump_output(int master)
{
	char buf[8192];
	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));
		if (n > 0) {
			if (loop_write(STDOUT_FILENO, buf, (size_t)n) < 0)
				return false;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN;
	}
}

static void relay(int master, int helper_pidfd)
{
	struct termios saved, raw;
	bool is_tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	_cleanup_close_ int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	fd_nonblock(master, true);

	struct pollfd p[4] = {
		{ .fd = master, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
		{ .fd = helper_pidfd, .events = POLLIN },
	};
	for (bool done = false; !done;) {
		if (poll(p, ELEMENTSOF(p), -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents && !pump_output(master))
			done = true;
		if (p[1].revents) {
			char buf[4096];
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n > 0)
				loop_write(master, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				p[1].fd = -1; /* input closed: keep showing output */
		}
		struct signalfd_siginfo si;
		while (p[2].revents && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGWINCH)
				copy_winsize(master);
			else
				done = true;
		}
		if (p[3].revents) { /* the command is gone: show its last output */
			pump_output(master);
			done = true;
		}
	}
	if (is_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

static int attach_pty(struct target *t, const struct vz_attach_opts *o, int *ret_status,
		      vz_err *err)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return vz_fail(err, errno, "socketpair");
	int entered = 0;
	pid_t helper = fork_into(t, &entered, err);
	if (helper < 0) {
		close(sv[0]);
		close(sv[1]);
		return helper;
	}
	if (helper == 0) {
		close(sv[0]);
		_exit(pty_helper(t, o, sv[1], entered, err));
	}
	close(sv[1]);
	_cleanup_close_ int sock = sv[0];
	_cleanup_close_ int hfd = sys_pidfd_open(helper, 0);
	struct pty_report rep = { 0 };
	int master = -EBADF;
	size_t nfds = 1;
	ssize_t n = recv_with_fds(sock, &rep, sizeof(rep), &master, &nfds);
	int r = 0;
	if (n != (ssize_t)sizeof(rep))
		r = vz_failx(err, EIO, "attach helper failed");
	else if (rep.err.code) {
		rep.err.msg[sizeof(rep.err.msg) - 1] = 0;
		*err = rep.err;
		r = -rep.err.code;
	} else if (nfds == 1) {
		relay(master, hfd);
		close(master);
	}
	*ret_status = wait_child(helper);
	return r;
}

int vz_attach(const struct vz_global *g, const char *name, const struct vz_attach_opts *o,
	      int *ret_status, vz_err *err)
{
	struct target t = { .pidfd = -EBADF, .join = { .unified = -EBADF } };
	*ret_status = 255;
	int r = get_target(g, name, &t, err);
	if (r >= 0)
		r = o->pty ? attach_pty(&t, o, ret_status, err) : attach_direct(&t, o, ret_status, err);
	target_done(&t);
	return r;
}
