/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * child.c: everything the container child does between clone3 and
 * execve(init) (see child.h and sync.h for the steps). Runs in the container
 * child: pid 1 of its pid namespace, root of its user namespace once the
 * monitor has written the maps.
 */
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "affinity.h"
#include "caps.h"
#include "child.h"
#include "dev.h"
#include "fd-util.h"
#include "fs-util.h"
#include "lxcfs.h"
#include "mount.h"
#include "net.h"
#include "notify.h"
#include "rootfs.h"
#include "strv.h"
#include "sync.h"

#define SYNC_FD 3
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static _noreturn_ void fail_and_exit(vz_err *err, enum vz_start_step step)
{
	vz_err_prefix(err, "%s", vz_step_to_string(step));
	vz_err_ensure(err, EIO);
	vz_sync_send(SYNC_FD, VZ_SYNC_ERROR, err, NULL, 0);
	_exit(1);
}

/* The child starts with the monitor's signal mask (signalfd blocks SIGCHLD
 * and others) and fds; init must get neither. */
static int reset_process(int sync_fd)
{
	sigset_t all;
	sigemptyset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0)
		return -errno;
	for (int sig = 1; sig < _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	/* dup3, not dup2: the copy must stay close-on-exec, since EOF on
	 * the socket is how the monitor learns that execve() succeeded. */
	if (sync_fd != SYNC_FD && dup3(sync_fd, SYNC_FD, O_CLOEXEC) < 0)
		return -errno;
	if (fcntl(SYNC_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	if (close_range(SYNC_FD + 1, ~0U, 0) < 0)
		return -errno;
	umask(022);
	return 0;
}

static int become_root(const struct vz_run *run, vz_err *err)
{
	if (run->spec->privileged)
		return 0;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return vz_fail(err, errno, "become root in the user namespace");
	if (setgroups(0, NULL) < 0)
		return vz_fail(err, errno, "clear supplementary groups");
	return 0;
}

static int loopback_up(vz_err *err)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vz_fail(err, errno, "socket");
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return vz_fail(err, errno, "get flags of lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return vz_fail(err, errno, "bring lo up");
	return 0;
}

static int setup_identity(const struct vz_run *run, vz_err *err)
{
	const char *h = run->spec->hostname;
	if (sethostname(h, strlen(h)) < 0)
		return vz_fail(err, errno, "set hostname '%s'", h);
	int r = vz_net_resolv_conf_in_child(run->spec->nameservers, err);
	if (r < 0)
		return r;
	r = vz_net_networkd_in_child(run->spec, err);
	if (r < 0)
		return r;
	return loopback_up(err);
}

/* /dev/console is init's stdio but, as on real hardware, nobody's
 * controlling terminal: a getty on the console must be able to take it
 * (TIOCSCTTY steals a terminal only with CAP_SYS_ADMIN in the initial user
 * namespace, which a container never has). */
static int setup_console(vz_err *err)
{
	if (setsid() < 0)
		return vz_fail(err, errno, "setsid");
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return vz_fail(err, errno, "open /dev/console");
	for (int i = 0; i <= 2; i++)
		if (dup2(fd, i) < 0)
			return vz_fail(err, errno, "dup2 console");
	if (fd > 2)
		close(fd);
	return 0;
}

/* init's whole environment, made from nothing: nothing of the monitor's
 * (VZ_PATH, ...) or of whoever ran vz start reaches the container. */
static char **init_environment(const struct vz_run *run, const char *tty_names)
{
	char **env = NULL;
	if (strv_push(&env, "container=vz") < 0 || strv_push(&env, "PATH=" DEFAULT_PATH) < 0 ||
	    strv_push(&env, "TERM=linux") < 0 || strv_push(&env, "HOME=/") < 0 ||
	    strv_push(&env, "NOTIFY_SOCKET=" VZ_NOTIFY_SOCKET) < 0)
		goto fail;
	if (*tty_names && strv_consume(&env, strdup_printf("container_ttys=%s", tty_names)) < 0)
		goto fail;
	STRV_FOREACH (e, run->spec->env)
		if (strv_env_set(&env, *e) < 0)
			goto fail;
	return env;
fail:
	strv_free(env);
	return NULL;
}

/* /run and the notify socket in it (mounts step). */
static int setup_run(const char *root, int *notify_fd, vz_err *err)
{
	_cleanup_free_ char *host = NULL;
	int r = mount_run_in_child(root, &host, err);
	if (r >= 0)
		r = vz_notify_create_in_child(host, notify_fd, err);
	return r;
}

/* Everything between receiving MAPPED and sending READY. */
static void setup_container(const struct vz_run *run, int lower_fd, int *lxcfs_fds, int *fds,
			    char *tty_names, size_t names_size)
{
	int *masters = fds + 1; /* fds[0]: the notify socket */
	vz_err err = { 0 };
	_cleanup_free_ char *root = NULL;

	/* Nothing mounted from here on may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		vz_fail(&err, errno, "make / a slave mount");
		fail_and_exit(&err, VZ_STEP_ROOTFS);
	}
	if (vz_run_step(run, VZ_STEP_ROOTFS, &err) < 0 ||
	    rootfs_mount_in_child(&run->rootfs, lower_fd, &root, &err) < 0)
		fail_and_exit(&err, VZ_STEP_ROOTFS);
	safe_close(lower_fd);
	if (vz_run_step(run, VZ_STEP_MOUNTS, &err) < 0 ||
	    mount_api_fs_in_child(root, run->rootfs.mnt, &err) < 0 ||
	    vz_lxcfs_bind_in_child(lxcfs_fds, run->spec->lxcfs == VZ_LXCFS_ON, root, &err) < 0 ||
	    setup_run(root, &fds[0], &err) < 0)
		fail_and_exit(&err, VZ_STEP_MOUNTS);
	if (vz_run_step(run, VZ_STEP_DEV, &err) < 0 ||
	    dev_setup_in_child(root, run->spec->privileged, run->spec->devices_allow,
			       run->spec->console_ttys, masters, tty_names, names_size, &err) < 0)
		fail_and_exit(&err, VZ_STEP_DEV);
	if (vz_run_step(run, VZ_STEP_PIVOT, &err) < 0 || rootfs_pivot_in_child(root, &err) < 0)
		fail_and_exit(&err, VZ_STEP_PIVOT);
	if (vz_run_step(run, VZ_STEP_IDENTITY, &err) < 0 || setup_identity(run, &err) < 0 ||
	    setup_console(&err) < 0)
		fail_and_exit(&err, VZ_STEP_IDENTITY);
	if (vz_run_step(run, VZ_STEP_CAPS, &err) < 0 ||
	    caps_limit_bounding(caps_kept_mask(run->spec->caps_drop), &err) < 0)
		fail_and_exit(&err, VZ_STEP_CAPS);
}

_noreturn_ void vz_child_main(const struct vz_run *run, int sync_fd)
{
	vz_err err = { 0 };
	int lower_fd = -EBADF;
	size_t nfds = 1;

	/* Into the cgroup first, before this process does anything the
	 * container should be charged for; a failure is reported once the
	 * monitor is listening for the child's steps (after MAPPED). */
	int joined = vz_run_step(run, VZ_STEP_CGROUP_ATTACH, &err);
	if (joined >= 0)
		joined = vz_cgroup_join_self(&run->join, &err);
	if (reset_process(sync_fd) < 0)
		_exit(1);
	if (vz_sync_expect(SYNC_FD, VZ_SYNC_MAPPED, &lower_fd, &nfds, joined < 0 ? NULL : &err) < 0)
		_exit(1); /* the monitor failed a step; it reports that itself */
	if (joined < 0)
		fail_and_exit(&err, VZ_STEP_CGROUP_ATTACH);
	if (nfds == 0)
		lower_fd = -EBADF;
	/* The lxcfs files are opened while this process still has host
	 * root's uid, so a run dir that only root may enter works too. */
	int lxcfs_fds[VZ_LXCFS_NFILES];
	for (size_t i = 0; i < VZ_LXCFS_NFILES; i++)
		lxcfs_fds[i] = -EBADF;
	if (run->lxcfs.pid > 0 && vz_lxcfs_open_in_child(run->lxcfs.mnt,
							 run->spec->lxcfs == VZ_LXCFS_ON,
							 lxcfs_fds, &err) < 0)
		fail_and_exit(&err, VZ_STEP_MOUNTS);
	if (become_root(run, &err) < 0)
		fail_and_exit(&err, VZ_STEP_ROOTFS);
	/* On v2 alone clone3 already made the cgroup namespace inside the
	 * container's cgroup; otherwise it is made now, in the cgroups this
	 * process joined first thing. */
	if (vz_cgroup_layout_mode(run->layout) != VZ_CGROUP_UNIFIED && unshare(CLONE_NEWCGROUP) < 0) {
		vz_fail(&err, errno, "new cgroup namespace");
		fail_and_exit(&err, VZ_STEP_ROOTFS);
	}

	/* For the monitor, with READY: the notify socket, then the masters
	 * of /dev/console and tty1..N. */
	int fds[VZ_CONSOLE_TTYS_MAX + 2];
	size_t nfds_ready = run->spec->console_ttys + 2;
	char tty_names[256];
	for (size_t i = 0; i < ELEMENTSOF(fds); i++)
		fds[i] = -EBADF;
	setup_container(run, lower_fd, lxcfs_fds, fds, tty_names, sizeof(tty_names));
	/* After joining the cgroups: a v1 cpuset join resets the affinity. */
	vz_affinity_apply_in_child(run->spec);

	/* Die with the monitor: the parent-death signal is reset by the
	 * credential change above, so it is set here, and the READY/EXEC round
	 * trip proves the monitor was still alive after it was set. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		vz_fail(&err, errno, "set the parent-death signal");
		fail_and_exit(&err, VZ_STEP_EXEC);
	}
	if (vz_sync_send(SYNC_FD, VZ_SYNC_READY, NULL, fds, nfds_ready) < 0 ||
	    vz_sync_expect(SYNC_FD, VZ_SYNC_EXEC, NULL, NULL, &err) < 0)
		_exit(1);
	/* init must not hold its consoles' masters, nor the notify socket's
	 * receiving end */
	for (size_t i = 0; i < nfds_ready; i++)
		fds[i] = safe_close(fds[i]);

	char **env = init_environment(run, tty_names);
	if (!env)
		vz_failx(&err, ENOMEM, "out of memory");
	if (!env || vz_run_step(run, VZ_STEP_EXEC, &err) < 0)
		fail_and_exit(&err, VZ_STEP_EXEC);
	execve(run->spec->init[0], run->spec->init, env);
	vz_fail(&err, errno, "init '%s'", run->spec->init[0]);
	fail_and_exit(&err, VZ_STEP_EXEC);
}
