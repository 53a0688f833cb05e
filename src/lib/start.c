/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * start.c: the start pipeline, monitor side (see start.h and sync.h).
 * Runs in the monitor.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "boot.h"
#include "child.h"
#include "fd-util.h"
#include "fs-util.h"
#include "io-limit.h"
#include "log.h"
#include "net.h"
#include "start.h"
#include "storage.h"
#include "sync.h"

int vz_run_step(const struct vz_run *run, enum vz_start_step step, vz_err *err)
{
	if (run->fail_step != (int)step)
		return 0;
	return vz_failx(err, EIO, "injected failure (VZ_FAIL_STEP=%s)", vz_step_to_string(step));
}

uint64_t vz_proc_starttime(pid_t pid)
{
	char p[64];
	_cleanup_free_ char *s = NULL;
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	if (read_file(p, &s, NULL) < 0)
		return 0;
	/* comm (field 2) may contain spaces and parentheses: skip past the last ')'. */
	char *c = strrchr(s, ')');
	if (!c)
		return 0;
	unsigned long long v = 0;
	/* fields 3..21 skipped, 22 is starttime */
	if (sscanf(c + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d "
			  "%*d %llu",
		   &v) != 1)
		return 0;
	return v;
}

/* An unprivileged container's root (host uid/gid `id`) mounts its overlay
 * from inside its user namespace, so it must be able to walk down to the
 * rootfs, delta and work directories. A directory on the way that only
 * root may enter (mktemp -d makes 0700 ones) fails that mount with a bare
 * EACCES; say which directory and how to fix it instead. */
static int check_reachable(const char *path, const struct vz_idmap *id, vz_err *err)
{
	_cleanup_free_ char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	for (char *slash = strrchr(p, '/'); slash; slash = strrchr(p, '/')) {
		*slash = '\0';
		const char *dir = *p ? p : "/";
		struct stat st;
		if (stat(dir, &st) < 0)
			return vz_fail(err, errno, "rootfs: stat '%s'", dir);
		mode_t x = st.st_uid == id->uid ? S_IXUSR : st.st_gid == id->gid ? S_IXGRP : S_IXOTH;
		if (!(st.st_mode & x))
			return vz_failx(err, EACCES,
					"rootfs: the container's root (host uid %u) cannot reach '%s': "
					"'%s' is mode %04o, owner %u; make it searchable "
					"(chmod o+x '%s') or use another VZ_PATH",
					id->uid, path, dir, (unsigned)(st.st_mode & 07777),
					(unsigned)st.st_uid, dir);
		if (!*p)
			break;
	}
	return 0;
}

int vz_run_init(struct vz_run *run, const struct vz_global *g, const struct vz_spec *spec,
		vz_err *err)
{
	*run = (struct vz_run){
		.g = g,
		.spec = spec,
		.console = (struct vz_console)VZ_CONSOLE_INIT,
		.fail_step = -1,
		.init_pidfd = -EBADF,
		.notify_fd = -EBADF,
		.netns_fd = -EBADF,
		.join = { .unified = -EBADF },
	};
	const char *fs = getenv("VZ_FAIL_STEP");
	if (fs && *fs) {
		run->fail_step = vz_step_from_string(fs);
		if (run->fail_step < 0)
			return vz_failx(err, EINVAL, "VZ_FAIL_STEP: unknown step '%s'", fs);
	}

	run->lower = spec->rootfs_lower[0] == '/' ? strdup(spec->rootfs_lower)
						  : path_join(g->cache_dir, spec->rootfs_lower);
	run->delta = vz_path(g, spec->name, VZ_PATH_DELTA);
	run->work = vz_path(g, spec->name, VZ_PATH_WORK);
	run->mnt = vz_path(g, spec->name, VZ_PATH_ROOTFS);
	if (!run->lower || !run->delta || !run->work || !run->mnt)
		return -ENOMEM;
	run->rootfs = (struct vz_rootfs){
		.lower = run->lower, .delta = run->delta, .work = run->work, .mnt = run->mnt
	};
	const char *dirs[] = { run->delta, run->work, run->mnt };
	if (spec->rootfs_backend && vz_backend_from_string(spec->rootfs_backend) == VZ_BACKEND_DIR) {
		/* its own full tree: the cache is not needed */
		run->rootdir = vz_path(g, spec->name, VZ_PATH_ROOTDIR);
		if (!run->rootdir)
			return -ENOMEM;
		run->rootfs.dir = run->rootdir;
		dirs[0] = run->rootdir;
		dirs[1] = run->mnt;
	} else if (!dir_exists(run->lower))
		return vz_failx(err, ENOENT,
				"rootfs: template cache '%s' is missing (rootfs.lower = \"%s\")",
				run->lower, spec->rootfs_lower);
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
		if (!dir_exists(dirs[i]))
			return vz_failx(err, ENOENT, "rootfs: '%s' is missing", dirs[i]);
	for (size_t i = 0; !spec->privileged && i < ELEMENTSOF(dirs); i++) {
		int r = check_reachable(dirs[i], &spec->idmap, err);
		if (r < 0)
			return r;
	}

	/* before anything is created: a missing bridge changes nothing */
	int r = vz_net_check(spec, err);
	if (r < 0)
		return r;
	r = vz_lxcfs_init(&run->lxcfs, g, spec->name);
	if (r < 0)
		return r;
	r = vz_cgroup_layout_detect(&run->layout, err);
	if (r >= 0)
		r = vz_cgroup_new(run->layout, g->cgroup_parent, spec->name, &run->cg, err);
	if (r < 0)
		vz_err_prefix(err, "cgroup");
	return r;
}

static int prepare_console(struct vz_run *run, vz_err *err)
{
	const struct vz_spec *s = run->spec;
	_cleanup_free_ char *logdir = vz_path(run->g, s->name, VZ_PATH_LOGDIR);
	_cleanup_free_ char *log = vz_path(run->g, s->name, VZ_PATH_CONSOLE_LOG);
	if (!logdir || !log)
		return -ENOMEM;
	int r = mkdir_p(logdir, 0750);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", logdir);
	vz_console_set_ring_size(&run->console, s->console_buffer);
	return vz_console_open_log(&run->console, log, s->console_log_size, s->console_log_files,
				   err);
}

static int prepare_cgroup(struct vz_run *run, vz_err *err)
{
	int r = vz_cgroup_create(run->cg, err);
	if (r == -EEXIST) {
		/* Left by a monitor that died; the caller holds the container lock
		 * and found no live monitor, so it is ours to reuse. */
		vz_err_clear(err);
		r = vz_cgroup_destroy(run->cg, 5000, err);
		if (r >= 0)
			r = vz_cgroup_create(run->cg, err);
	}
	if (r < 0)
		return r;
	run->cgroup_created = true;
	/* The limits with limits.io's devices found on this host. */
	struct vz_limits lim = run->spec->limits;
	_cleanup_free_ struct vz_io_limit *io = NULL;
	r = vz_io_resolve_spec(run->g, run->spec, &io, err);
	lim.io = io;
	if (r >= 0)
		r = vz_cgroup_apply_limits(run->cg, &lim, err);
	/* before the container's first process is cloned into the leaf */
	if (r >= 0)
		r = vz_cgroup_apply_devices(run->cg, run->spec->devices_allow, err);
	if (r >= 0 && !run->spec->privileged)
		r = vz_cgroup_delegate(run->cg, run->spec->idmap.uid, run->spec->idmap.gid, err);
	return r;
}

int vz_run_prepare(struct vz_run *run, vz_err *err)
{
	int r = vz_run_step(run, VZ_STEP_CONSOLE, err);
	if (r >= 0)
		r = prepare_console(run, err);
	if (r < 0) {
		vz_err_prefix(err, "console");
		return r;
	}
	r = vz_run_step(run, VZ_STEP_CGROUP, err);
	if (r >= 0)
		r = prepare_cgroup(run, err);
	if (r < 0) {
		vz_err_prefix(err, "cgroup");
		return r;
	}
	/* Before the first clone: the child binds from this mount. */
	r = vz_run_step(run, VZ_STEP_LXCFS, err);
	if (r >= 0)
		r = vz_lxcfs_start(&run->lxcfs, run->spec,
				   vz_cgroup_layout_mode(run->layout) == VZ_CGROUP_UNIFIED, err);
	if (r < 0) {
		vz_err_prefix(err, "lxcfs");
		return r;
	}
	return 0;
}

static int write_id_map(pid_t pid, const char *file, uint32_t base, uint32_t count, vz_err *err)
{
	char p[64], map[64];
	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, file);
	snprintf(map, sizeof(map), "0 %u %u\n", base, count);
	int r = write_file(p, map, 0);
	if (r < 0)
		return vz_fail(err, r, "write '%s' to %s", "0 base count", p);
	return 0;
}

/* What the init about to run decides (boot.h): its halt signal, unless
 * halt_signal is set (systemd halts on SIGRTMIN+3; busybox's init, and
 * anything else, on SIGUSR2, poweroff), and with start.wait "auto" whether
 * it reports readiness; and a systemd init must fit under the host's
 * inotify limit. */
static int decide_init(struct vz_run *run, pid_t pid, vz_err *err)
{
	const struct vz_spec *s = run->spec;
	bool systemd = vz_boot_init_is_systemd(pid, s->init[0]);
	run->halt_signal = s->halt_signal ?: systemd ? SIGRTMIN + 3 : SIGUSR2;
	run->wait_ready = s->start_wait == VZ_START_WAIT_READY ||
			  (s->start_wait == VZ_START_WAIT_AUTO && systemd);
	log_debug("init '%s' is %ssystemd; %s", s->init[0], systemd ? "" : "not ",
		  run->wait_ready ? "waiting for READY=1" : "started once executed");
	return systemd ? vz_boot_check_inotify(run->g, err) : 0;
}

static pid_t clone_child(struct vz_run *run, int *ret_pidfd, vz_err *err)
{
	uint64_t flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			 CLONE_PIDFD;
	if (!run->spec->privileged)
		flags |= CLONE_NEWUSER;
	/* Born in its v2 cgroup (see vz_cgroup_join); where v2 is all there
	 * is, with its cgroup namespace rooted there too. On v1 the child
	 * joins by itself before anything else, then makes that namespace. */
	if (run->join.unified >= 0)
		flags |= CLONE_INTO_CGROUP;
	if (vz_cgroup_layout_mode(run->layout) == VZ_CGROUP_UNIFIED)
		flags |= CLONE_NEWCGROUP;
	int pidfd = -EBADF;
	struct clone_args args = {
		.flags = flags,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
		.cgroup = run->join.unified >= 0 ? (uint64_t)run->join.unified : 0,
	};
	pid_t pid = sys_clone3(&args, sizeof(args));
	if (pid < 0)
		return vz_fail(err, pid, "clone3 into new namespaces");
	*ret_pidfd = pidfd;
	return pid;
}

/* Parent steps after clone, up to sending MAPPED. */
static int parent_steps(struct vz_run *run, pid_t pid, int sync_fd, vz_err *err)
{
	const struct vz_spec *s = run->spec;
	int r = vz_run_step(run, VZ_STEP_IDMAP, err);
	if (r >= 0 && !s->privileged) {
		r = write_id_map(pid, "uid_map", s->idmap.uid, s->idmap.count, err);
		if (r >= 0)
			r = write_id_map(pid, "gid_map", s->idmap.gid, s->idmap.count, err);
	}
	if (r < 0) {
		vz_err_prefix(err, "idmap");
		return r;
	}
	_cleanup_close_ int lower_fd = -EBADF;
	r = vz_run_step(run, VZ_STEP_ROOTFS_IDMAP, err);
	if (r >= 0 && !s->privileged && !run->rootfs.dir)
		r = rootfs_idmap_lower(&run->rootfs, pid, &lower_fd, err);
	if (r < 0) {
		vz_err_prefix(err, "rootfs-idmap");
		return r;
	}
	/* Before MAPPED: the child waits for it before anything else, so
	 * init never runs without its interfaces. */
	r = vz_run_step(run, VZ_STEP_NET, err);
	if (r >= 0) {
		int fd = vz_net_ns_hold(s, pid, err);
		if (fd >= 0)
			run->netns_fd = fd;
		else if (fd != -EBADF)
			r = fd;
	}
	if (r >= 0)
		r = vz_net_setup(run->g, s, pid, err);
	if (r < 0) {
		vz_err_prefix(err, "net");
		return r;
	}
	r = vz_sync_send(sync_fd, VZ_SYNC_MAPPED, NULL, &lower_fd, lower_fd >= 0 ? 1 : 0);
	if (r < 0)
		return vz_fail(err, r, "sync: send MAPPED");
	return 0;
}

/* A boot's macvlans, deleted in its namespace before it goes. */
static void release_netns(struct vz_run *run)
{
	vz_net_ns_release(run->g, run->spec->name, run->netns_fd);
	run->netns_fd = -EBADF;
}

static void kill_and_reap(pid_t pid, int pidfd)
{
	if (pidfd >= 0)
		sys_pidfd_send_signal(pidfd, SIGKILL, 0);
	else
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int vz_run_boot(struct vz_run *run, vz_err *err)
{
	int sv[2];
	int r = vz_run_step(run, VZ_STEP_CLONE, err);
	if (r < 0) {
		vz_err_prefix(err, "clone");
		return r;
	}
	r = vz_cgroup_join_open(run->cg, &run->join, err);
	if (r < 0) {
		vz_err_prefix(err, "cgroup-attach");
		return r;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		vz_cgroup_join_close(&run->join);
		return vz_fail(err, errno, "clone: socketpair");
	}
	int pidfd = -EBADF;
	pid_t pid = clone_child(run, &pidfd, err);
	if (pid == 0) {
		close(sv[0]);
		vz_child_main(run, sv[1]);
	}
	close(sv[1]);
	vz_cgroup_join_close(&run->join);
	_cleanup_close_ int sync_fd = sv[0];
	if (pid < 0) {
		vz_err_prefix(err, "clone");
		return pid;
	}
	log_debug("container child is pid %d", (int)pid);

	r = parent_steps(run, pid, sync_fd, err);
	/* READY brings the notify socket, then the console and tty masters. */
	int fds[VZ_CONSOLE_TTYS_MAX + 2];
	size_t want = run->spec->console_ttys + 2, nfds = want;
	_cleanup_close_ int notify = -EBADF;
	if (r >= 0)
		r = vz_sync_expect(sync_fd, VZ_SYNC_READY, fds, &nfds, err);
	if (r >= 0 && nfds != want) {
		for (size_t i = 0; i < nfds; i++)
			safe_close(fds[i]);
		r = vz_failx(err, EPROTO, "sync: the child sent %zu fds, not %zu", nfds, want);
	}
	if (r >= 0) {
		notify = fds[0];
		r = vz_console_set_masters(&run->console, fds + 1, nfds - 1, err);
	}
	if (r >= 0)
		r = decide_init(run, pid, err);
	if (r >= 0)
		r = vz_sync_send(sync_fd, VZ_SYNC_EXEC, NULL, NULL, 0);
	if (r >= 0)
		r = vz_sync_wait_exec(sync_fd, err);
	if (r < 0) {
		kill_and_reap(pid, pidfd);
		safe_close(pidfd);
		release_netns(run);
		return vz_err_ensure(err, r);
	}
	run->init_pid = pid;
	safe_close(run->notify_fd);
	run->notify_fd = TAKE_FD(notify);
	run->init_pidfd = pidfd;
	run->init_start = vz_proc_starttime(pid);
	return 0;
}

int vz_run_teardown(struct vz_run *run, vz_err *err)
{
	int r = 0;
	if (run->init_pidfd >= 0) {
		kill_and_reap(run->init_pid, run->init_pidfd);
		run->init_pidfd = safe_close(run->init_pidfd);
		run->init_pid = 0;
	}
	run->notify_fd = safe_close(run->notify_fd);
	/* At once, not when the kernel gets round to the dead namespace. */
	release_netns(run);
	vz_net_remove(run->g, run->spec->name);
	if (run->cg && run->cgroup_created) {
		r = vz_cgroup_destroy(run->cg, 10000, err);
		if (r < 0)
			vz_err_prefix(err, "cgroup");
		else
			run->cgroup_created = false;
	}
	/* After the cgroup is empty: nobody reads its files any more. */
	vz_lxcfs_stop(&run->lxcfs);
	vz_console_close(&run->console);
	return r;
}

void vz_run_done(struct vz_run *run)
{
	vz_console_close(&run->console);
	vz_lxcfs_done(&run->lxcfs);
	safe_close(run->init_pidfd);
	safe_close(run->notify_fd);
	safe_close(run->netns_fd);
	vz_cgroup_free(run->cg);
	vz_cgroup_layout_free(run->layout);
	free(run->lower);
	free(run->delta);
	free(run->work);
	free(run->mnt);
	free(run->rootdir);
}
