/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-systemd.c: vz's place in a cgroup tree that systemd owns.
 *
 * On a host run by systemd with only cgroup v2, every cgroup belongs to a
 * unit, and a program may create cgroups of its own only inside a unit that
 * systemd delegated to it (Delegate=yes). vz therefore works below one
 * service, vz.service:
 *
 *   /sys/fs/cgroup/system.slice/vz.service/      delegated; no process here
 *   ├── monitors/                                the keeper and every vz-monitor
 *   └── vz/NAME/                                 the containers (cgroup.parent)
 *
 * vz start creates the unit on first use with systemd-run (a transient
 * service; nothing to install). Its one process, the keeper (vz-monitor
 * --keep-unit), moves itself into monitors/ at once, because a cgroup that
 * passes controllers down must hold no process itself, and then sleeps: a
 * service lives as long as a process of its own does. Monitors are born in
 * monitors/ (clone3 CLONE_INTO_CGROUP), so neither the admin's session nor a
 * unit that ran `vz start` takes a container with it when it ends. When
 * the unit stops (systemctl stop vz, host shutdown), systemd signals only
 * the keeper (KillMode=mixed), which asks every monitor to stop its
 * container gracefully and waits for them. See doc/cgroups.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"

bool vz_cgroup_systemd_host(void)
{
	/* What sd_booted() checks: systemd creates it early at boot. */
	return access("/run/systemd/system/", F_OK) == 0;
}

/* The delegated unit's directory (the cgroup2 "mount" of a systemd layout). */
static const char *unit_dir(const struct vz_cgroup_layout *l)
{
	return l->hier[l->unified].mount;
}

/* systemd marks the cgroup of a unit with Delegate=yes (systemd 251+). */
static bool delegated(const char *dir)
{
	char v[8];
	ssize_t n = getxattr(dir, "trusted.delegate", v, sizeof(v));
	return n == 1 && v[0] == '1';
}

/* Run systemd-run to create the unit; on failure, err carries its first
 * line of complaint. */
static int create_unit(const char *keeper, vz_err *err)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "pipe");
	char *argv[] = { "systemd-run",
			 "--quiet",
			 "--unit=" VZ_SYSTEMD_UNIT,
			 "--description=vz containers (delegated cgroup subtree)",
			 "--property=Delegate=yes",
			 "--property=Type=exec",
			 "--property=KillMode=mixed",
			 "--",
			 (char *)keeper,
			 "--keep-unit",
			 NULL };
	pid_t pid = fork();
	if (pid < 0) {
		int r = vz_fail(err, errno, "fork");
		close(pfd[0]);
		close(pfd[1]);
		return r;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(pfd[1], 2) < 0)
			_exit(127);
		char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				NULL };
		execvpe(argv[0], argv, env);
		dprintf(2, "cannot execute systemd-run: %s\n", strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	char msg[512];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(msg) - 1 &&
	       ((n = read(pfd[0], msg + len, sizeof(msg) - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(pfd[0]);
	msg[len] = 0;
	msg[strcspn(msg, "\n")] = 0;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vz_fail(err, errno, "wait for systemd-run");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return vz_failx(err, EIO, "systemd-run could not create %s: %s", VZ_SYSTEMD_UNIT,
			*msg ? msg : "it failed without a message");
}

int vz_cgroup_monitor_open(const struct vz_cgroup_layout *l, const char *keeper, int *ret_fd,
			   vz_err *err)
{
	*ret_fd = -EBADF;
	if (!l->systemd)
		return 0;
	const char *dir = unit_dir(l);
	if (access(dir, F_OK) < 0) {
		log_debug("cgroup: %s does not exist: creating %s", dir, VZ_SYSTEMD_UNIT);
		int r = create_unit(keeper, err);
		/* Another vz start may have made it meanwhile: then it is there. */
		if (r < 0 && access(dir, F_OK) < 0) {
			vz_err_prefix(err, "this host is run by systemd; vz makes cgroups only "
					   "inside a delegated unit");
			return r;
		}
		vz_err_clear(err);
	}
	if (!delegated(dir))
		return vz_failx(err, EPERM,
				"systemd unit %s exists but is not delegated (no Delegate=yes on %s): "
				"vz does not create cgroups in a subtree systemd manages; stop that "
				"unit or give it Delegate=yes",
				VZ_SYSTEMD_UNIT, dir);
	_cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return vz_fail(err, errno, "open %s", dir);
	if (mkdirat(dfd, VZ_SYSTEMD_MONITORS, 0755) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create %s/%s", dir, VZ_SYSTEMD_MONITORS);
	int fd = openat(dfd, VZ_SYSTEMD_MONITORS, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return vz_fail(err, errno, "open %s/%s", dir, VZ_SYSTEMD_MONITORS);
	*ret_fd = fd;
	return 0;
}

struct stop_state {
	pid_t self;
	pid_t *sent; /* monitors already sent SIGTERM */
	size_t n;
	size_t others; /* processes in monitors/ other than the keeper, this round */
};

static int stop_monitor(pid_t pid, void *userdata)
{
	struct stop_state *st = userdata;
	if (pid == st->self)
		return 0;
	st->others++;
	for (size_t i = 0; i < st->n; i++)
		if (st->sent[i] == pid)
			return 0;
	pid_t *p = realloc(st->sent, (st->n + 1) * sizeof(*p));
	if (!p)
		return 0;
	st->sent = p;
	st->sent[st->n++] = pid;
	kill(pid, SIGTERM);
	return 0;
}

int vz_cgroup_systemd_keep(vz_err *err)
{
	/* systemd started us in the unit's own cgroup: move to monitors/. */
	_cleanup_free_ char *self = NULL;
	int r = read_file("/proc/self/cgroup", &self, NULL);
	if (r < 0)
		return vz_fail(err, r, "read /proc/self/cgroup");
	if (!startswith(self, "0::/"))
		return vz_failx(err, ENOTSUP, "not on a cgroup v2 only host");
	self[strcspn(self, "\n")] = 0;
	_cleanup_free_ char *dir =
		strdup_printf("/sys/fs/cgroup%s/%s", self + 3, VZ_SYSTEMD_MONITORS);
	if (!dir)
		return vz_failx(err, ENOMEM, "out of memory");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create %s", dir);
	r = vz_cg_write(dir, "cgroup.procs", "0", err);
	if (r < 0)
		return r;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	signal(SIGHUP, SIG_IGN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sig;
	while (sigwait(&set, &sig) != 0)
		;
	/* Stopped (systemctl stop vz, host shutdown). The unit's KillMode=mixed
	 * sent SIGTERM to the keeper alone: pass it on to the monitors, which
	 * stop their containers the graceful way, and leave once they are
	 * gone. systemd kills whatever is left after TimeoutStopSec. */
	log_info("vz.service is stopping: asking every monitor to stop its container");
	struct stop_state st = { .self = getpid() };
	for (;;) {
		st.others = 0;
		r = vz_cg_for_each_pid(dir, stop_monitor, &st);
		if (r < 0 || st.others == 0)
			break;
		usleep(50 * 1000);
	}
	free(st.sent);
	return 0;
}
