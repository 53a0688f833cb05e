/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * monitor-boot.c: readiness, the part of the monitor between init's execve
 * and "started" (see monitor-internal.h; doc/ARCHITECTURE.md, "Readiness").
 * With start.wait "ready" (or "auto" and a systemd init) the container is
 * STARTING until init sends READY=1 on its notify socket; vz start, which
 * waits, then gets READY. If init ends first, or start.timeout passes, vz
 * start gets an ERROR naming why and what init said last, after the
 * container was stopped and undone. Nobody waits after a reboot inside, or
 * after vz start --no-wait or went away: a timeout is then only logged.
 * Runs in vz-monitor.
 */
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

#include "console.h"
#include "log.h"
#include "monitor-internal.h"
#include "parse-util.h"
#include "proto.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void arm_timer(int fd, uint64_t ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 },
	};
	timerfd_settime(fd, 0, &its, NULL);
}

/* After each execve of init: RUNNING at once, or STARTING until init
 * reports ready, with start.timeout armed (kept from the first boot while
 * vz start waits: it waits for one deadline, reboots or not). */
int vz_monitor_boot_started(struct monitor *m)
{
	m->notify = (struct vz_notify){ 0 };
	m->boot_begin_ms = now_ms();
	if (!m->run.wait_ready)
		return vz_monitor_write_state(m, VZ_STATE_RUNNING);
	if (m->spec->start_timeout_ms && !m->boot_timer_armed) {
		arm_timer(m->boot_timerfd, m->spec->start_timeout_ms);
		m->boot_timer_armed = true;
	}
	return vz_monitor_write_state(m, VZ_STATE_STARTING);
}

/* What init said last, for a one-line error: ' (last status: "...")', or
 * the console's last lines (3: systemd's reason comes before its "Exiting
 * PID 1..." or "Freezing execution."), or "". */
static void describe_progress(struct monitor *m, char *buf, size_t size)
{
	char lines[700];
	if (m->notify.status[0]) {
		snprintf(buf, size, " (last status: \"%s\")", m->notify.status);
		return;
	}
	if (m->run.console.ntty > 0)
		vz_console_drain(&m->run.console, 0);
	unsigned n = vz_console_last_lines(&m->run.console, 0, 3, lines, sizeof(lines));
	if (n)
		snprintf(buf, size, " (last console line%s: \"%s\")", n > 1 ? "s" : "", lines);
	else
		snprintf(buf, size, "%s", "");
}

static void boot_ready(struct monitor *m)
{
	if (m->st.state != VZ_STATE_STARTING)
		return; /* start.wait = exec, or stopping already */
	arm_timer(m->boot_timerfd, 0);
	m->boot_timer_armed = false;
	uint64_t ms = now_ms() - m->boot_begin_ms;
	log_info("init reported ready after %llu.%03llu s%s%s", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000), m->notify.status[0] ? ": " : "", m->notify.status);
	vz_monitor_write_state(m, VZ_STATE_RUNNING);
	if (m->status_open)
		vz_monitor_send_status(m, NULL);
}

void vz_monitor_boot_on_notify(struct monitor *m)
{
	bool was_ready = m->notify.ready, was_stopping = m->notify.stopping;
	/* A bounded batch: a container flooding its socket gets no more of
	 * the monitor's attention than this per wakeup. */
	for (int i = 0; i < 64; i++) {
		char old[sizeof(m->notify.status)];
		memcpy(old, m->notify.status, sizeof(old));
		int r = vz_notify_recv(m->run.notify_fd, m->run.init_pid, &m->notify);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			log_warn("notify socket: %s", strerror(-r));
			break;
		}
		if (r == 0)
			log_debug("notify socket: dropped a message not from init");
		else if (strcmp(old, m->notify.status) != 0)
			log_debug("init: STATUS=%s", m->notify.status);
	}
	if (m->notify.stopping && !was_stopping)
		log_info("init is shutting down (STOPPING=1)");
	if (m->notify.ready && !was_ready)
		boot_ready(m);
}

void vz_monitor_boot_on_timeout(struct monitor *m)
{
	uint64_t n;
	(void)!read(m->boot_timerfd, &n, sizeof(n));
	m->boot_timer_armed = false;
	if (m->st.state != VZ_STATE_STARTING)
		return;
	char why[800], d[32];
	describe_progress(m, why, sizeof(why));
	format_duration_ms(m->spec->start_timeout_ms, d);
	if (!m->status_open) {
		/* after a reboot inside, or vz start --no-wait: nobody waits */
		log_warn("init did not report ready within %s%s; the container stays STARTING", d,
			 why);
		return;
	}
	vz_failx(&m->start_err, ETIMEDOUT, "init did not report ready within %s%s", d, why);
	log_error("%s: stopping the container", m->start_err.msg);
	vz_monitor_begin_stop(m, m->spec->stop_timeout_ms, false);
}

/* To vz start: init runs, readiness follows (VZ_READY_PENDING); it may
 * drop the container's lock now, so that vz stop can end a hanging boot. */
void vz_monitor_boot_send_pending(struct monitor *m)
{
	struct vz_msg msg;
	vz_msg_init(&msg, VZ_MSG_READY);
	vz_msg_put_int(&msg, VZ_F_PID, (uint64_t)m->run.init_pid);
	vz_msg_put_int(&msg, VZ_F_MONITOR_PID, (uint64_t)getpid());
	vz_msg_put_int(&msg, VZ_F_FLAGS, VZ_READY_PENDING);
	vz_msg_send(m->opts->status_fd, &msg, NULL, 0);
	/* to learn if vz start goes away (Ctrl-C) while it waits */
	vz_monitor_epoll_add(m, m->opts->status_fd);
}

/* vz start went away while it waited: the boot goes on, as after
 * --no-wait (a timeout is only logged). */
void vz_monitor_boot_on_hangup(struct monitor *m)
{
	epoll_ctl(m->epfd, EPOLL_CTL_DEL, m->opts->status_fd, NULL);
	close(m->opts->status_fd);
	m->status_open = false;
	log_info("vz start no longer waits for init to report ready");
}


void vz_monitor_boot_init_exited(struct monitor *m, const char *what)
{
	if (!m->status_open || vz_err_set(&m->start_err))
		return;
	/* vz start waits for a READY=1 that will never come */
	char why[800];
	describe_progress(m, why, sizeof(why));
	if (m->st.state == VZ_STATE_STOPPING)
		vz_failx(&m->start_err, ECANCELED, "the container was stopped before init reported ready");
	else
		vz_failx(&m->start_err, ECHILD, "init %s before it reported ready%s", what, why);
}
