/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * monitor.c: the monitor's life (see monitor.h): start, an epoll loop over
 * signals (init's exit, SIGTERM), the control socket and its clients, the
 * console and the stop timer; then teardown. Readiness (start.wait, the
 * notify socket, start.timeout) is in monitor-boot.c. Runs in vz-monitor.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#include "caps.h"
#include "cgroup.h"
#include "control.h"
#include "fd-util.h"
#include "log.h"
#include "monitor-internal.h"
#include "monitor.h"
#include "parse-util.h"
#include "proto.h"
#include "runtime.h"
#include "start.h"
#include "state.h"
#include "trim.h"

/* Control connections and console clients a monitor holds at most: well
 * below the default limit of 1024 open files. */
#define MAX_CONNECTIONS 512u
/* vz freeze: how long every process gets to reach the frozen state. */
#define VZ_FREEZE_TIMEOUT_MS 10000u

int vz_monitor_write_state(struct monitor *m, enum vz_run_state s)
{
	m->st.state = s;
	m->st.monitor_pid = getpid();
	m->st.init_pid = m->run.init_pid;
	m->st.init_start = m->run.init_start;
	vz_err err = { 0 };
	int r = vz_state_write(m->state_path, &m->st, &err);
	if (r < 0)
		log_error("%s", err.msg);
	return r;
}

int vz_monitor_epoll_add(struct monitor *m, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	return epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void reply_error(int fd, const vz_err *err)
{
	struct vz_msg msg;
	vz_msg_from_err(&msg, err);
	vz_msg_send(fd, &msg, NULL, 0);
}

static void force_kill(struct monitor *m)
{
	log_info("killing the container");
	if (m->run.init_pidfd >= 0)
		sys_pidfd_send_signal(m->run.init_pidfd, SIGKILL, 0);
	vz_cgroup_kill(m->run.cg, SIGKILL);
}

void vz_monitor_begin_stop(struct monitor *m, uint64_t timeout_ms, bool kill_now)
{
	if (m->st.state == VZ_STATE_STOPPING) {
		if (kill_now)
			force_kill(m);
		return;
	}
	if (m->st.state == VZ_STATE_FROZEN) {
		/* A frozen init cannot act on its halt signal. */
		vz_err e = { 0 };
		if (vz_cgroup_thaw(m->run.cg, &e) < 0)
			log_warn("stopping a frozen container: %s", e.msg);
	}
	vz_monitor_write_state(m, VZ_STATE_STOPPING);
	if (kill_now || timeout_ms == 0) {
		force_kill(m);
		return;
	}
	char sb[16];
	log_info("stopping: sending %s to init, killing after %llu ms",
		 signal_to_string(m->run.halt_signal, sb) ?: "?", (unsigned long long)timeout_ms);
	if (sys_pidfd_send_signal(m->run.init_pidfd, m->run.halt_signal, 0) < 0)
		log_warn("signal init: %m");
	struct itimerspec its = {
		.it_value = { .tv_sec = timeout_ms / 1000, .tv_nsec = (timeout_ms % 1000) * 1000000 },
	};
	timerfd_settime(m->timerfd, 0, &its, NULL);
}

static void forget_client(struct monitor *m, struct client *c);

/* Who may attach: root read-write; console.rw_users read-write;
 * console.ro_users read-only (whatever they ask for). */
static int console_access(const struct monitor *m, uid_t uid, unsigned *flags, vz_err *err)
{
	if (uid == 0 || vz_uid_list_has(m->spec->console_rw_users, uid) > 0)
		return 0;
	if (vz_uid_list_has(m->spec->console_ro_users, uid) > 0) {
		*flags |= VZ_CONSOLE_RO;
		return 0;
	}
	return vz_failx(err, EPERM,
			"permission denied: uid %u may not attach to the consoles of '%s' (see "
			"console.rw_users and console.ro_users)",
			(unsigned)uid, m->spec->name);
}

static void handle_console(struct monitor *m, struct client *c, const struct vz_msg *req)
{
	vz_err e = { 0 };
	uint64_t tty = 0, flags = 0, rows = 0, cols = 0;
	vz_msg_get_int(req, VZ_F_TTY, &tty);
	vz_msg_get_int(req, VZ_F_FLAGS, &flags);
	vz_msg_get_int(req, VZ_F_ROWS, &rows);
	vz_msg_get_int(req, VZ_F_COLS, &cols);
	unsigned f = (unsigned)flags & (VZ_CONSOLE_RO | VZ_CONSOLE_HISTORY);
	if (console_access(m, c->uid, &f, &e) < 0) {
		log_info("console: %s", e.msg);
		reply_error(c->fd, &e);
		return;
	}
	/* While init boots (STARTING) its consoles are already there: the
	 * boot can be watched, a hanging one looked into. */
	if (m->run.console.ntty == 0 || (m->st.state != VZ_STATE_RUNNING &&
					 m->st.state != VZ_STATE_STOPPING &&
					 m->st.state != VZ_STATE_STARTING &&
					 m->st.state != VZ_STATE_FROZEN)) {
		vz_failx(&e, EAGAIN, "container '%s' is not running", m->spec->name);
		reply_error(c->fd, &e);
		return;
	}
	if (tty > m->spec->console_ttys || tty >= m->run.console.ntty) {
		if (m->spec->console_ttys == 0)
			vz_failx(&e, ENODEV, "no tty%llu: '%s' has only /dev/console (console.ttys = 0)",
				 (unsigned long long)tty, m->spec->name);
		else
			vz_failx(&e, ENODEV, "no tty%llu: '%s' has tty1 to tty%u (console.ttys)",
				 (unsigned long long)tty, m->spec->name, m->spec->console_ttys);
		reply_error(c->fd, &e);
		return;
	}
	struct vz_msg reply;
	vz_msg_init(&reply, VZ_MSG_OK);
	vz_msg_put_int(&reply, VZ_F_TTY, tty);
	vz_msg_put_int(&reply, VZ_F_FLAGS, f);
	if (vz_msg_send(c->fd, &reply, NULL, 0) < 0) {
		forget_client(m, c);
		close(c->fd);
		free(c);
		return;
	}
	/* From here the connection is the console's. */
	struct winsize ws = { .ws_row = (unsigned short)(rows <= 10000 ? rows : 0),
			      .ws_col = (unsigned short)(cols <= 10000 ? cols : 0) };
	int fd = c->fd;
	uid_t uid = c->uid;
	pid_t pid = c->pid;
	forget_client(m, c);
	free(c);
	vz_console_attach(&m->run.console, fd, (unsigned)tty, f, uid, pid, &ws);
}

static void handle_request(struct monitor *m, struct client *c, const struct vz_msg *req)
{
	struct vz_msg reply;
	uint64_t v;
	if (req->type == VZ_MSG_CONSOLE) {
		handle_console(m, c, req);
		return;
	}
	if (c->uid != 0) {
		vz_err e = { 0 };
		vz_failx(&e, EPERM, "permission denied: only root may control '%s'", m->spec->name);
		reply_error(c->fd, &e);
		return;
	}
	switch (req->type) {
	case VZ_MSG_CONSOLE_LIST: {
		_cleanup_free_ char *text = vz_console_list(&m->run.console);
		vz_msg_init(&reply, VZ_MSG_OK);
		vz_msg_put_str(&reply, VZ_F_TEXT, text ? text : "");
		vz_msg_send(c->fd, &reply, NULL, 0);
		return;
	}
	case VZ_MSG_STOP: {
		uint64_t timeout = m->spec->stop_timeout_ms, flags = 0;
		if (vz_msg_get_int(req, VZ_F_TIMEOUT_MS, &v) >= 0)
			timeout = v;
		vz_msg_get_int(req, VZ_F_FLAGS, &flags);
		c->waits_stop = true;
		vz_monitor_begin_stop(m, timeout, flags & VZ_STOP_KILL);
		return; /* answered when the container is down */
	}
	case VZ_MSG_FREEZE:
	case VZ_MSG_THAW: {
		bool freeze = req->type == VZ_MSG_FREEZE;
		enum vz_run_state want = freeze ? VZ_STATE_RUNNING : VZ_STATE_FROZEN;
		vz_err e = { 0 };
		if (m->st.state != want) {
			vz_failx(&e, EBUSY, "container '%s' is %s, not %s", m->spec->name,
				 vz_state_to_string(m->st.state), vz_state_to_string(want));
			reply_error(c->fd, &e);
			return;
		}
		int r = freeze ? vz_cgroup_freeze(m->run.cg, VZ_FREEZE_TIMEOUT_MS, &e)
			       : vz_cgroup_thaw(m->run.cg, &e);
		if (r < 0) {
			log_warn("%s: %s", freeze ? "freeze" : "unfreeze", e.msg);
			reply_error(c->fd, &e);
			return;
		}
		log_info("%s", freeze ? "frozen" : "thawed");
		vz_monitor_write_state(m, freeze ? VZ_STATE_FROZEN : VZ_STATE_RUNNING);
		vz_msg_init(&reply, VZ_MSG_OK);
		vz_msg_send(c->fd, &reply, NULL, 0);
		return;
	}
	case VZ_MSG_INFO:
		vz_msg_init(&reply, VZ_MSG_OK);
		vz_msg_put_int(&reply, VZ_F_STATE, m->st.state);
		vz_msg_put_int(&reply, VZ_F_PID, (uint64_t)m->run.init_pid);
		vz_msg_put_int(&reply, VZ_F_MONITOR_PID, (uint64_t)getpid());
		vz_msg_put_int(&reply, VZ_F_STARTED_AT, m->st.started_at);
		vz_msg_put_int(&reply, VZ_F_RESTARTS, m->st.restarts);
		vz_msg_send(c->fd, &reply, NULL, 0);
		return;
	case VZ_MSG_ATTACH:
		if ((m->st.state != VZ_STATE_RUNNING && m->st.state != VZ_STATE_STARTING) ||
		    m->run.init_pidfd < 0) {
			vz_err e = { 0 };
			if (m->st.state == VZ_STATE_FROZEN)
				vz_failx(&e, EAGAIN, "container '%s' is FROZEN (vz unfreeze %s)",
					 m->spec->name, m->spec->name);
			else
				vz_failx(&e, EAGAIN, "container '%s' is not running", m->spec->name);
			reply_error(c->fd, &e);
			return;
		}
		vz_msg_init(&reply, VZ_MSG_OK);
		vz_msg_put_int(&reply, VZ_F_PID, (uint64_t)m->run.init_pid);
		vz_msg_put_int(&reply, VZ_F_CAPS, caps_kept_mask(m->spec->caps_drop));
		vz_msg_send(c->fd, &reply, &m->run.init_pidfd, 1);
		return;
	default: {
		vz_err e = { 0 };
		vz_failx(&e, EOPNOTSUPP, "request type %u not supported by this monitor", req->type);
		reply_error(c->fd, &e);
	}
	}
}

/* Take c off the list; its fd stays open and in epoll. */
static void forget_client(struct monitor *m, struct client *c)
{
	for (struct client **p = &m->clients; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
}

static void drop_client(struct monitor *m, struct client *c)
{
	forget_client(m, c);
	epoll_ctl(m->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
}

static void on_client(struct monitor *m, struct client *c)
{
	struct vz_msg req;
	vz_err err = { 0 };
	int r = vz_msg_recv(c->fd, &req, NULL, NULL, &err);
	if (r == -EBADMSG) {
		log_warn("control: %s", err.msg);
		reply_error(c->fd, &err);
	}
	if (r < 0) {
		if (!c->waits_stop)
			drop_client(m, c);
		else
			epoll_ctl(m->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		return;
	}
	handle_request(m, c, &req);
}

static void on_accept(struct monitor *m)
{
	for (;;) {
		int fd;
		uid_t uid;
		pid_t pid;
		if (vz_control_accept(m->ctlfd, &fd, &uid, &pid) < 0)
			return;
		/* Anyone may connect (the socket is 0666); each request checks
		 * the peer's uid: non-root may only attach to a console, and
		 * only as the config allows. A bound on connections keeps a
		 * flood from eating the monitor's memory. */
		size_t n = vz_console_nclients(&m->run.console);
		for (struct client *k = m->clients; k; k = k->next)
			n++;
		if (n >= MAX_CONNECTIONS) {
			log_warn("control: refused uid %u (pid %d): %u connections open",
				 (unsigned)uid, (int)pid, MAX_CONNECTIONS);
			close(fd);
			continue;
		}
		struct client *c = calloc(1, sizeof(*c));
		if (!c || vz_monitor_epoll_add(m, fd) < 0) {
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->uid = uid;
		c->pid = pid;
		c->next = m->clients;
		m->clients = c;
	}
}

/* A reboot inside the container (reboot(2) in its pid namespace) kills init
 * with SIGHUP; halt and poweroff kill it with SIGINT (pid_namespaces(7)). */
static bool is_reboot(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP;
}

static void describe_exit(int status, char *buf, size_t size)
{
	char sb[16];
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by %s", signal_to_string(WTERMSIG(status), sb) ?: "?");
	else
		snprintf(buf, size, "ended (status 0x%x)", status);
}

/* Each boot brings its own ptys (see console.h) and notify socket, which
 * is read whatever start.wait says: systemd's sd_notify() blocks on a full
 * socket. */
static int watch_boot_fds(struct monitor *m)
{
	for (unsigned i = 0; i < m->run.console.ntty; i++) {
		int r = vz_monitor_epoll_add(m, m->run.console.tty[i].master);
		if (r < 0)
			return r;
	}
	return m->run.notify_fd >= 0 ? vz_monitor_epoll_add(m, m->run.notify_fd) : 0;
}

static int wait_cgroup_empty(struct monitor *m)
{
	for (int i = 0; i < 500; i++) {
		if (vz_cgroup_populated(m->run.cg) <= 0)
			return 0;
		vz_cgroup_kill(m->run.cg, SIGKILL);
		usleep(10000);
	}
	return -EBUSY;
}

static void reboot_container(struct monitor *m)
{
	log_info("init rebooted the container; starting it again");
	vz_monitor_write_state(m, VZ_STATE_STARTING);
	vz_err err = { 0 };
	int r = wait_cgroup_empty(m);
	if (r < 0)
		vz_fail(&err, r, "processes of the previous boot are still in the cgroup");
	else
		r = vz_run_boot(&m->run, &err);
	if (r >= 0 && (r = watch_boot_fds(m)) < 0)
		vz_fail(&err, r, "epoll_ctl");
	if (r < 0) {
		log_error("restart failed: %s", err.msg);
		if (m->status_open && !vz_err_set(&m->start_err))
			vz_failx(&m->start_err, -r, "init rebooted before it reported ready, and the "
				 "restart failed: %s", err.msg);
		m->quit = true;
		return;
	}
	m->st.restarts++;
	m->st.started_at = (uint64_t)time(NULL);
	vz_monitor_boot_started(m);
	log_info("init is pid %d%s", (int)m->run.init_pid,
		 m->run.wait_ready ? "; waiting for it to report ready" : "");
	vz_trim_startup_memory();
}

static void on_init_exit(struct monitor *m, int status)
{
	char what[64];
	describe_exit(status, what, sizeof(what));
	log_info("init (pid %d) %s", (int)m->run.init_pid, what);
	m->init_status = status;
	m->run.init_pidfd = safe_close(m->run.init_pidfd);
	m->run.init_pid = 0;
	bool reboot = is_reboot(status) &&
		      (m->st.state == VZ_STATE_RUNNING || m->st.state == VZ_STATE_STARTING);
	if (reboot) {
		reboot_container(m);
		return;
	}
	vz_monitor_boot_init_exited(m, what);
	m->quit = true;
}

static void on_signal(struct monitor *m)
{
	struct signalfd_siginfo si;
	while (read(m->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			log_info("monitor got signal %u: stopping the container", si.ssi_signo);
			vz_monitor_begin_stop(m, m->spec->stop_timeout_ms, false);
			continue;
		}
		if (si.ssi_signo != SIGCHLD)
			continue;
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == m->run.init_pid)
				on_init_exit(m, status);
			else
				vz_lxcfs_reaped(&m->run.lxcfs, pid, status, m->run.init_pid);
	}
}

static void on_stdin(struct monitor *m)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n <= 0) {
		epoll_ctl(m->epfd, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
		return;
	}
	vz_console_input(&m->run.console, 0, buf, (size_t)n);
}

static void dispatch(struct monitor *m, int fd, uint32_t events)
{
	int tty;
	struct vz_con_client *cc;
	if (fd == m->sigfd)
		on_signal(m);
	else if (fd == m->ctlfd)
		on_accept(m);
	else if ((tty = vz_console_tty_of(&m->run.console, fd)) >= 0)
		vz_console_drain(&m->run.console, (unsigned)tty);
	else if ((cc = vz_console_client_of(&m->run.console, fd)))
		vz_console_client_event(&m->run.console, cc, events);
	else if (fd == m->run.notify_fd && fd >= 0)
		vz_monitor_boot_on_notify(m);
	else if (fd == m->boot_timerfd)
		vz_monitor_boot_on_timeout(m);
	else if (fd == m->opts->status_fd && m->status_open)
		vz_monitor_boot_on_hangup(m);
	else if (fd == m->timerfd) {
		uint64_t n;
		(void)!read(m->timerfd, &n, sizeof(n));
		log_info("init did not stop within the timeout");
		force_kill(m);
	} else if (fd == STDIN_FILENO && m->opts->foreground)
		on_stdin(m);
	else
		for (struct client *c = m->clients; c; c = c->next)
			if (c->fd == fd) {
				on_client(m, c);
				break;
			}
}

static void loop(struct monitor *m)
{
	while (!m->quit) {
		struct epoll_event ev[16];
		int n = epoll_wait(m->epfd, ev, ELEMENTSOF(ev), -1);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_wait: %m");
			force_kill(m);
			break;
		}
		for (int i = 0; i < n && !m->quit; i++)
			dispatch(m, ev[i].data.fd, ev[i].events);
	}
}

static int setup_loop(struct monitor *m, vz_err *err)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return vz_fail(err, errno, "block signals");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	m->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	m->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	m->boot_timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (m->sigfd < 0 || m->epfd < 0 || m->timerfd < 0 || m->boot_timerfd < 0)
		return vz_fail(err, errno, "set up the event loop");
	if (vz_monitor_epoll_add(m, m->sigfd) < 0 || vz_monitor_epoll_add(m, m->timerfd) < 0 ||
	    vz_monitor_epoll_add(m, m->boot_timerfd) < 0 || vz_monitor_epoll_add(m, m->ctlfd) < 0)
		return vz_fail(err, errno, "epoll_ctl");
	m->run.console.epfd = m->epfd;
	return 0;
}

static int start_runtime(struct monitor *m, vz_err *err)
{
	int r = vz_runtime_acquire(m->g, m->spec->name, &m->runtime_fd, err);
	if (r < 0)
		return r;
	r = vz_run_step(&m->run, VZ_STEP_RUNTIME, err);
	if (r >= 0)
		r = vz_monitor_write_state(m, VZ_STATE_STARTING);
	if (r >= 0)
		r = vz_control_listen(m->control_path, &m->ctlfd, err);
	if (r < 0)
		vz_err_prefix(err, "runtime");
	return r;
}

static int start_container(struct monitor *m, vz_err *err)
{
	int r = vz_run_prepare(&m->run, err);
	if (r < 0)
		return r;
	if (m->opts->foreground) {
		m->run.console.echo_fd = STDOUT_FILENO;
		vz_monitor_epoll_add(m, STDIN_FILENO); /* not pollable (e.g. /dev/null): no input, fine */
	}
	r = vz_run_boot(&m->run, err);
	if (r < 0)
		return r;
	r = watch_boot_fds(m);
	if (r < 0)
		return vz_fail(err, r, "epoll_ctl");
	m->st.started_at = (uint64_t)time(NULL);
	return vz_monitor_boot_started(m);
}

/* To vz start, once: READY or ERROR. */
void vz_monitor_send_status(struct monitor *m, const vz_err *err)
{
	if (!m->status_open)
		return;
	m->status_open = false;
	struct vz_msg msg;
	if (err) {
		vz_msg_from_err(&msg, err);
	} else {
		vz_msg_init(&msg, VZ_MSG_READY);
		vz_msg_put_int(&msg, VZ_F_PID, (uint64_t)m->run.init_pid);
		vz_msg_put_int(&msg, VZ_F_MONITOR_PID, (uint64_t)getpid());
	}
	vz_msg_send(m->opts->status_fd, &msg, NULL, 0);
	close(m->opts->status_fd);
}

/* Undo everything; the run dir goes last so `vz ls` never shows STOPPED
 * while cgroups still exist. */
static int teardown(struct monitor *m, vz_err *err)
{
	for (unsigned i = 0; i < m->run.console.ntty; i++)
		vz_console_drain(&m->run.console, i);
	vz_console_end_all(&m->run.console, "stopped");
	int r = vz_run_teardown(&m->run, err);
	if (m->ctlfd >= 0) {
		m->ctlfd = safe_close(m->ctlfd);
		unlink(m->control_path);
	}
	if (m->runtime_fd >= 0)
		vz_runtime_release(m->g, m->spec->name);
	return r;
}

static void answer_stop_waiters(struct monitor *m, int r, const vz_err *err)
{
	while (m->clients) {
		struct client *c = m->clients;
		if (c->waits_stop) {
			struct vz_msg msg;
			if (r < 0)
				vz_msg_from_err(&msg, err);
			else
				vz_msg_init(&msg, VZ_MSG_OK);
			vz_msg_send(c->fd, &msg, NULL, 0);
		}
		drop_client(m, c);
	}
}

static void monitor_free(struct monitor *m)
{
	vz_run_done(&m->run);
	safe_close(m->epfd);
	safe_close(m->sigfd);
	safe_close(m->timerfd);
	safe_close(m->boot_timerfd);
	safe_close(m->ctlfd);
	safe_close(m->runtime_fd);
	free(m->state_path);
	free(m->control_path);
}

int vz_monitor_run(const struct vz_global *g, const struct vz_spec *spec,
		   const struct vz_monitor_opts *opts, vz_err *err)
{
	struct monitor m = {
		.g = g, .spec = spec, .opts = opts,
		.epfd = -EBADF, .sigfd = -EBADF, .ctlfd = -EBADF, .timerfd = -EBADF,
		.runtime_fd = -EBADF, .boot_timerfd = -EBADF,
		.status_open = opts->status_fd >= 0,
	};
	m.state_path = vz_path(g, spec->name, VZ_PATH_STATE);
	m.control_path = vz_path(g, spec->name, VZ_PATH_CONTROL);
	if (!m.state_path || !m.control_path)
		return vz_failx(err, ENOMEM, "out of memory");

	int r = vz_run_init(&m.run, g, spec, err);
	if (r >= 0)
		r = start_runtime(&m, err);
	if (r >= 0)
		r = setup_loop(&m, err);
	if (r >= 0)
		r = start_container(&m, err);
	if (r < 0) {
		vz_err_ensure(err, r);
		vz_err tmp = { 0 };
		teardown(&m, &tmp);
		if (vz_err_set(&tmp))
			log_error("cleanup after the failed start: %s", tmp.msg);
		log_error("start failed: %s", err->msg);
		vz_monitor_send_status(&m, err);
		monitor_free(&m);
		return 1;
	}
	log_info("started; init is pid %d%s", (int)m.run.init_pid,
		 m.run.wait_ready ? "; waiting for it to report ready" : "");
	if (m.run.wait_ready && !opts->no_wait && m.status_open)
		vz_monitor_boot_send_pending(&m);
	else
		vz_monitor_send_status(&m, NULL);
	vz_trim_startup_memory();

	loop(&m);

	vz_err terr = { 0 };
	r = teardown(&m, &terr);
	if (r < 0)
		log_error("stop: %s", terr.msg);
	else
		log_info("stopped");
	if (m.status_open) {
		/* The start vz start waits for failed; everything is undone. */
		if (!vz_err_set(&m.start_err))
			vz_failx(&m.start_err, EIO, "the container stopped before init reported ready");
		log_error("start failed: %s", m.start_err.msg);
		vz_monitor_send_status(&m, &m.start_err);
		answer_stop_waiters(&m, r, &terr);
		monitor_free(&m);
		return 1;
	}
	answer_stop_waiters(&m, r, &terr);
	int status = m.init_status;
	monitor_free(&m);
	if (r < 0)
		return 1;
	/* In the foreground the monitor's status is init's. */
	if (opts->foreground && WIFEXITED(status))
		return WEXITSTATUS(status);
	return 0;
}
