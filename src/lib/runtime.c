/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime.c: the monitor's run directory and its liveness lock (see
 * runtime.h). acquire/release run in the monitor; status and cleanup in
 * commands.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "fs-util.h"
#include "log.h"
#include "lxcfs.h"
#include "net.h"
#include "runtime.h"

int vz_runtime_acquire(const struct vz_global *g, const char *name, int *ret_fd, vz_err *err)
{
	int r = mkdir_p(g->run_dir, 0711);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", g->run_dir);
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_RUN);
	if (!dir)
		return -ENOMEM;
	/* 0711: a non-root console user must reach the control socket; the
	 * directory cannot be listed. */
	if (mkdir(dir, 0711) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create '%s'", dir);
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return vz_fail(err, errno, "open '%s'", dir);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return vz_failx(err, EBUSY, "container '%s' is already running", name);
		return vz_fail(err, errno, "lock '%s'", dir);
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

void vz_runtime_release(const struct vz_global *g, const char *name)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_RUN);
	/* A monitor killed outright leaves its lxcfs's dead mount there. */
	vz_lxcfs_detach_leftover(g, name);
	if (dir)
		rm_rf(dir);
}

/* 1 = a live monitor holds run/NAME, 0 = run/NAME exists but nobody holds it,
 * -ENOENT = no run dir. */
static int probe_monitor(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 1 : -errno;
	flock(fd, LOCK_UN);
	return 0;
}

int vz_runtime_status(const struct vz_global *g, const char *name, struct vz_status *ret)
{
	*ret = (struct vz_status){ .state = VZ_STATE_STOPPED };
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_RUN);
	_cleanup_free_ char *sp = vz_path(g, name, VZ_PATH_STATE);
	if (!dir || !sp)
		return -ENOMEM;

	int alive = probe_monitor(dir);
	if (alive == -ENOENT)
		return 0;
	if (alive < 0)
		return alive;
	if (alive == 0) {
		ret->stale = true;
		return 0;
	}
	/* Alive: the state file may not be written yet during the first
	 * microseconds of a start. */
	if (vz_state_read(sp, &ret->st, NULL) >= 0) {
		ret->have_state = true;
		ret->state = ret->st.state;
	} else {
		ret->state = VZ_STATE_STARTING;
	}
	return 0;
}

int vz_runtime_count_running(const struct vz_global *g)
{
	_cleanup_close_ int dfd = open(g->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	DIR *d = fdopendir(dfd);
	if (!d)
		return -errno;
	dfd = -EBADF; /* the DIR owns it now */
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		_cleanup_free_ char *dir = path_join(g->run_dir, de->d_name);
		if (dir && probe_monitor(dir) == 1)
			n++;
	}
	closedir(d);
	return n;
}

int vz_runtime_cleanup_stale(const struct vz_global *g, const char *name, vz_err *err)
{
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *layout = NULL;
	_cleanup_(vz_cgroup_freep) struct vz_cgroup *cg = NULL;
	int r = vz_cgroup_layout_detect(&layout, err);
	if (r < 0)
		return r;
	r = vz_cgroup_new(layout, g->cgroup_parent, name, &cg, err);
	if (r < 0)
		return r;
	r = vz_cgroup_destroy(cg, 5000, err);
	if (r < 0)
		return r;
	vz_net_remove(g, name);
	log_info("%s: removed the leftovers of a monitor that died", name);
	vz_runtime_release(g, name);
	return 0;
}
