/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console.c: the console ptys, their scrollback and log, and the clients
 * attached to them (see console.h and doc/console.md). Runs in the monitor.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>

#include "console.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "proto.h"

/* What a client may have queued beyond the scrollback replay before its
 * output is dropped (it is not reading). */
#define CLIENT_QUEUE_SLACK (256 * 1024)

struct vz_con_client {
	int fd;
	unsigned tty;
	bool ro;
	uid_t uid;
	pid_t pid;
	time_t since;
	bool want_out;   /* EPOLLOUT armed */
	char *q;         /* queued output payload, q[qhead..qlen) */
	size_t qhead, qlen, qcap;
	uint64_t dropped; /* bytes dropped since the last marker */
	struct vz_con_client *next;
};

/* ------------------------------------------------------------------ log */

static int log_open(struct vz_console *c)
{
	c->log_fd = safe_close(c->log_fd);
	c->log_fd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (c->log_fd < 0)
		return -errno;
	struct stat st;
	c->log_written = fstat(c->log_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

static int log_rotate(struct vz_console *c)
{
	if (c->log_files == 0) {
		if (ftruncate(c->log_fd, 0) < 0)
			return -errno;
		c->log_written = 0;
		return 0;
	}
	for (uint32_t k = c->log_files; k >= 1; k--) {
		_cleanup_free_ char *from = k == 1 ? strdup(c->log_path)
						   : strdup_printf("%s.%u", c->log_path, k - 1);
		_cleanup_free_ char *to = strdup_printf("%s.%u", c->log_path, k);
		if (!from || !to)
			return -ENOMEM;
		if (rename(from, to) < 0 && errno != ENOENT)
			log_warn("rotate %s: %m", from);
	}
	return log_open(c);
}

/* Every file stays within log_size: a chunk that does not fit is split,
 * the log rotated between the parts (a 64 KiB chunk into a 4 KiB log
 * rotates several times; only the last log_files + 1 parts are kept). */
static void log_append(struct vz_console *c, const char *buf, size_t n)
{
	while (n > 0 && c->log_fd >= 0) {
		if (c->log_written >= c->log_size && log_rotate(c) < 0) {
			log_warn("console log %s: rotation failed, log disabled", c->log_path);
			c->log_fd = safe_close(c->log_fd);
			return;
		}
		size_t room = c->log_size - c->log_written;
		size_t k = n < room ? n : room;
		if (loop_write(c->log_fd, buf, k) < 0) {
			log_warn("console log %s: write failed: %m", c->log_path);
			return;
		}
		c->log_written += k;
		buf += k;
		n -= k;
	}
}

int vz_console_open_log(struct vz_console *c, const char *log_path, uint64_t log_size,
			uint32_t log_files, vz_err *err)
{
	c->log_size = log_size;
	c->log_files = log_files;
	if (log_path && log_size > 0) {
		c->log_path = strdup(log_path);
		if (!c->log_path)
			return -ENOMEM;
		int r = log_open(c);
		if (r < 0)
			return vz_fail(err, r, "open console log '%s'", log_path);
	}
	return 0;
}

void vz_console_set_ring_size(struct vz_console *c, size_t size) { c->ring_size = size; }

/* ------------------------------------------------------------ scrollback */

static void ring_append(struct vz_console *c, struct vz_tty *t, const char *buf, size_t n)
{
	size_t size = c->ring_size;
	if (size == 0)
		return;
	if (!t->ring) {
		t->ring = malloc(size);
		if (!t->ring)
			return; /* no scrollback; output still flows */
	}
	if (n >= size) { /* only the tail fits */
		memcpy(t->ring, buf + n - size, size);
		t->ring_head = 0;
		t->ring_len = size;
		return;
	}
	size_t first = size - t->ring_head < n ? size - t->ring_head : n;
	memcpy(t->ring + t->ring_head, buf, first);
	memcpy(t->ring, buf + first, n - first);
	t->ring_head = (t->ring_head + n) % size;
	t->ring_len = t->ring_len + n > size ? size : t->ring_len + n;
}

/* ---------------------------------------------------------------- clients */

static void arm(struct vz_console *c, struct vz_con_client *cl, bool out)
{
	if (cl->want_out == out || c->epfd < 0)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.fd = cl->fd };
	if (epoll_ctl(c->epfd, EPOLL_CTL_MOD, cl->fd, &ev) == 0)
		cl->want_out = out;
}

static int send_record(int fd, char kind, const char *buf, size_t n)
{
	char rec[VZ_CONSOLE_RECORD_MAX];
	if (n > sizeof(rec) - 1)
		n = sizeof(rec) - 1;
	rec[0] = kind;
	memcpy(rec + 1, buf, n);
	ssize_t w;
	do
		w = send(fd, rec, n + 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (w < 0 && errno == EINTR);
	return w < 0 ? -errno : (int)n;
}

/* Send what is queued while the socket takes it. -EAGAIN: more is left. */
static int flush(struct vz_con_client *cl)
{
	while (cl->qhead < cl->qlen) {
		int r = send_record(cl->fd, VZ_CON_OUTPUT, cl->q + cl->qhead, cl->qlen - cl->qhead);
		if (r < 0)
			return r;
		cl->qhead += (size_t)r;
	}
	cl->qhead = cl->qlen = 0;
	return 0;
}

static size_t queue_limit(const struct vz_console *c) { return c->ring_size + CLIENT_QUEUE_SLACK; }

static bool enqueue(struct vz_con_client *cl, const char *buf, size_t n, size_t limit)
{
	if (cl->qhead > 0 && cl->qhead >= cl->qlen / 2) {
		memmove(cl->q, cl->q + cl->qhead, cl->qlen - cl->qhead);
		cl->qlen -= cl->qhead;
		cl->qhead = 0;
	}
	if (cl->qlen - cl->qhead + n > limit)
		return false;
	if (cl->qlen + n > cl->qcap) {
		size_t cap = cl->qcap ? cl->qcap : 16384;
		while (cap < cl->qlen + n)
			cap *= 2;
		char *q = realloc(cl->q, cap);
		if (!q)
			return false;
		cl->q = q;
		cl->qcap = cap;
	}
	memcpy(cl->q + cl->qlen, buf, n);
	cl->qlen += n;
	return true;
}

/* Queue the "dropped" marker if output was dropped and it fits now. */
static bool mark_dropped(struct vz_console *c, struct vz_con_client *cl)
{
	if (!cl->dropped)
		return true;
	char mark[96];
	int len = snprintf(mark, sizeof(mark),
			   "\r\n[vz console: %llu bytes of output dropped: this client was not "
			   "reading]\r\n",
			   (unsigned long long)cl->dropped);
	if (!enqueue(cl, mark, (size_t)len, queue_limit(c)))
		return false;
	cl->dropped = 0;
	return true;
}

/* Output for one client: straight to the socket when nothing is queued,
 * else behind the queue; what does not fit the queue is dropped, counted,
 * and announced in the stream once there is room again. */
static void client_output(struct vz_console *c, struct vz_con_client *cl, const char *buf,
			  size_t n)
{
	if (!mark_dropped(c, cl)) {
		cl->dropped += n;
		return;
	}
	if (cl->qhead < cl->qlen && flush(cl) == 0)
		arm(c, cl, false);
	while (cl->qhead == cl->qlen && n > 0) {
		int r = send_record(cl->fd, VZ_CON_OUTPUT, buf, n);
		if (r < 0)
			break; /* EAGAIN (queue the rest) or gone (noticed on EPOLLHUP) */
		buf += r;
		n -= (size_t)r;
	}
	if (n == 0)
		return;
	if (!enqueue(cl, buf, n, queue_limit(c)))
		cl->dropped += n;
	arm(c, cl, true);
}

static void replay(struct vz_console *c, struct vz_con_client *cl)
{
	const struct vz_tty *t = &c->tty[cl->tty];
	if (!t->ring || t->ring_len == 0)
		return;
	size_t start = (t->ring_head + c->ring_size - t->ring_len) % c->ring_size;
	size_t first = c->ring_size - start < t->ring_len ? c->ring_size - start : t->ring_len;
	client_output(c, cl, t->ring + start, first);
	if (first < t->ring_len)
		client_output(c, cl, t->ring, t->ring_len - first);
}

static void client_free(struct vz_console *c, struct vz_con_client *cl)
{
	for (struct vz_con_client **p = &c->clients; *p; p = &(*p)->next)
		if (*p == cl) {
			*p = cl->next;
			break;
		}
	if (c->epfd >= 0)
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	log_debug("console: client pid %d (uid %u) left tty %u", (int)cl->pid, (unsigned)cl->uid,
		  cl->tty);
	free(cl->q);
	free(cl);
}

static void set_winsize(struct vz_console *c, unsigned tty, unsigned rows, unsigned cols)
{
	if (rows == 0 || cols == 0 || rows > 10000 || cols > 10000)
		return;
	struct vz_tty *t = &c->tty[tty];
	t->ws = (struct winsize){ .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	/* The kernel sends SIGWINCH to the tty's foreground process group. */
	if (t->master >= 0)
		(void)ioctl(t->master, TIOCSWINSZ, &t->ws);
}

/* Send the whole scrollback and an END record, waiting a little for a slow
 * reader (vz console --log), then close. */
static void send_history(struct vz_console *c, int fd, unsigned tty)
{
	struct timeval tv = { .tv_sec = 2 };
	fd_nonblock(fd, false);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	const struct vz_tty *t = &c->tty[tty];
	size_t done = 0;
	while (t->ring && done < t->ring_len) {
		size_t start = (t->ring_head + c->ring_size - t->ring_len + done) % c->ring_size;
		size_t n = c->ring_size - start;
		if (n > t->ring_len - done)
			n = t->ring_len - done;
		char rec[VZ_CONSOLE_RECORD_MAX];
		if (n > sizeof(rec) - 1)
			n = sizeof(rec) - 1;
		rec[0] = VZ_CON_OUTPUT;
		memcpy(rec + 1, t->ring + start, n);
		if (send(fd, rec, n + 1, MSG_NOSIGNAL) < 0)
			break;
		done += n;
	}
	char end[] = { VZ_CON_END, 'h', 'i', 's', 't', 'o', 'r', 'y' };
	(void)!send(fd, end, sizeof(end), MSG_NOSIGNAL);
	close(fd);
}

struct vz_con_client *vz_console_attach(struct vz_console *c, int fd, unsigned tty,
					unsigned flags, uid_t uid, pid_t pid,
					const struct winsize *ws)
{
	if (flags & VZ_CONSOLE_HISTORY) {
		send_history(c, fd, tty);
		return NULL;
	}
	struct vz_con_client *cl = calloc(1, sizeof(*cl));
	if (!cl) {
		close(fd);
		return NULL;
	}
	*cl = (struct vz_con_client){
		.fd = fd, .tty = tty, .ro = flags & VZ_CONSOLE_RO, .uid = uid, .pid = pid,
		.since = time(NULL), .want_out = false, .next = c->clients,
	};
	c->clients = cl;
	char name[16] = "console";
	if (tty)
		snprintf(name, sizeof(name), "tty%u", tty);
	log_info("console: uid %u (pid %d) attached to %s, %s", (unsigned)uid, (int)pid, name,
		 cl->ro ? "read-only" : "read-write");
	if (!cl->ro && ws)
		set_winsize(c, tty, ws->ws_row, ws->ws_col);
	replay(c, cl);
	return cl;
}

struct vz_con_client *vz_console_client_of(const struct vz_console *c, int fd)
{
	for (struct vz_con_client *cl = c->clients; cl; cl = cl->next)
		if (cl->fd == fd)
			return cl;
	return NULL;
}

int vz_console_client_event(struct vz_console *c, struct vz_con_client *cl, uint32_t events)
{
	if (events & EPOLLOUT) {
		/* Room again: a client that lost output hears of it now, not
		 * only with the next output. */
		int r = flush(cl);
		if (r == 0 && cl->dropped && mark_dropped(c, cl))
			r = flush(cl);
		if (r == 0)
			arm(c, cl, false);
		else if (r != -EAGAIN) {
			client_free(c, cl);
			return r;
		}
	}
	if (events & EPOLLIN) {
		char rec[VZ_CONSOLE_RECORD_MAX];
		for (;;) {
			ssize_t n = recv(cl->fd, rec, sizeof(rec), MSG_DONTWAIT);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0) { /* detached (0) or gone */
				client_free(c, cl);
				return -ECONNRESET;
			}
			if (rec[0] == VZ_CON_INPUT && !cl->ro && n > 1)
				vz_console_input(c, cl->tty, rec + 1, (size_t)n - 1);
			else if (rec[0] == VZ_CON_WINSIZE && !cl->ro && n == 5) {
				const unsigned char *u = (const unsigned char *)rec + 1;
				set_winsize(c, cl->tty, u[0] | u[1] << 8, u[2] | u[3] << 8);
			}
			/* Anything else (a read-only client's input) is dropped. */
		}
	}
	if (events & (EPOLLHUP | EPOLLERR)) {
		client_free(c, cl);
		return -ECONNRESET;
	}
	return 0;
}

void vz_console_end_all(struct vz_console *c, const char *reason)
{
	while (c->clients) {
		struct vz_con_client *cl = c->clients;
		/* Give a reader a moment to take the rest; a stalled one
		 * costs at most the timeout. */
		struct timeval tv = { .tv_usec = 200 * 1000 };
		fd_nonblock(cl->fd, false);
		setsockopt(cl->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		while (cl->qhead < cl->qlen) {
			size_t n = cl->qlen - cl->qhead;
			char rec[VZ_CONSOLE_RECORD_MAX];
			if (n > sizeof(rec) - 1)
				n = sizeof(rec) - 1;
			rec[0] = VZ_CON_OUTPUT;
			memcpy(rec + 1, cl->q + cl->qhead, n);
			if (send(cl->fd, rec, n + 1, MSG_NOSIGNAL) < 0)
				break;
			cl->qhead += n;
		}
		char end[128];
		int len = snprintf(end, sizeof(end), "%c%s", VZ_CON_END, reason);
		tv.tv_usec = 500 * 1000;
		setsockopt(cl->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		(void)!send(cl->fd, end, (size_t)len, MSG_NOSIGNAL);
		client_free(c, cl);
	}
}

char *vz_console_list(const struct vz_console *c)
{
	size_t n = 0;
	for (const struct vz_con_client *cl = c->clients; cl; cl = cl->next)
		n++;
	char *s = malloc(n * 64 + 1);
	if (!s)
		return NULL;
	size_t off = 0;
	*s = 0;
	for (const struct vz_con_client *cl = c->clients; cl; cl = cl->next)
		off += (size_t)snprintf(s + off, 64, "%u %d %u %s %lld\n", (unsigned)cl->uid,
					(int)cl->pid, cl->tty, cl->ro ? "ro" : "rw",
					(long long)cl->since);
	return s;
}

int vz_console_list_parse(const char *line, struct vz_console_client_info *ci)
{
	unsigned uid, tty;
	int pid, end = 0;
	char mode[4];
	unsigned long long since;
	if (sscanf(line, "%u %d %u %3s %llu%n", &uid, &pid, &tty, mode, &since, &end) != 5 ||
	    (line[end] && line[end] != '\n') || (strcmp(mode, "rw") != 0 && strcmp(mode, "ro") != 0))
		return -EINVAL;
	*ci = (struct vz_console_client_info){ .uid = uid, .pid = pid, .tty = tty,
					       .ro = mode[1] == 'o', .since = since };
	return 0;
}

size_t vz_console_nclients(const struct vz_console *c)
{
	size_t n = 0;
	for (const struct vz_con_client *cl = c->clients; cl; cl = cl->next)
		n++;
	return n;
}

/* ------------------------------------------------------------------ last lines */

#define LINE_MAX_SHOWN 200

/* One console line as plain text into out (size > LINE_MAX_SHOWN + 4):
 * CSI, OSC and two-byte escape sequences removed, the text after the last
 * carriage return that is followed by something kept, control characters
 * dropped, blanks trimmed. Returns its length. */
static size_t clean_line(const char *p, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == 0x1b && i + 1 < n && p[i + 1] == '[') {
			for (i += 2; i < n && !((unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e); i++)
				;
		} else if (ch == 0x1b && i + 1 < n && p[i + 1] == ']') {
			for (i += 2; i < n && p[i] != 0x07 && !(p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\'); i++)
				;
			i += i < n && p[i] == 0x1b;
		} else if (ch == 0x1b) {
			i++;
		} else if (ch == '\r') {
			/* what follows overwrites the line, if anything follows */
			size_t j = i + 1;
			while (j < n && (p[j] == '\r' || p[j] == ' '))
				j++;
			if (j < n)
				k = 0;
		} else if (ch == '\t') {
			if (k < LINE_MAX_SHOWN)
				out[k++] = ' ';
		} else if (ch >= 0x20 && ch != 0x7f && k < LINE_MAX_SHOWN) {
			out[k++] = (char)ch;
		} else if (ch >= 0x20 && ch != 0x7f) {
			/* cut: not inside a UTF-8 sequence */
			while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
				k--;
			if (k > 0 && (unsigned char)out[k - 1] >= 0xc0)
				k--;
			memcpy(out + k, "...", 3);
			k += 3;
			break;
		}
	}
	size_t b = 0;
	while (b < k && out[b] == ' ')
		b++;
	while (k > b && out[k - 1] == ' ')
		k--;
	memmove(out, out + b, k - b);
	out[k - b] = 0;
	return k - b;
}

unsigned vz_text_last_lines(const char *buf, size_t len, unsigned nlines, char *out, size_t size)
{
	if (size == 0)
		return 0;
	out[0] = 0;
	/* Walk back over lines; keep up to nlines non-empty ones. */
	char lines[8][LINE_MAX_SHOWN + 8];
	unsigned found = 0;
	if (nlines > ELEMENTSOF(lines))
		nlines = ELEMENTSOF(lines);
	size_t end = len;
	while (end > 0 && found < nlines) {
		size_t start = end;
		while (start > 0 && buf[start - 1] != '\n')
			start--;
		if (clean_line(buf + start, end - start, lines[found]) > 0)
			found++;
		end = start > 0 ? start - 1 : 0;
	}
	/* lines[0] is the newest: keep the newest ones that fit (the newest
	 * cut to fit if it alone does not), oldest first. */
	unsigned shown = 0;
	size_t total = 0;
	while (shown < found && total + (shown ? 3 : 0) + strlen(lines[shown]) < size) {
		total += (shown ? 3 : 0) + strlen(lines[shown]);
		shown++;
	}
	if (found && !shown) {
		snprintf(out, size, "%.*s", (int)(size - 1), lines[0]);
		return 1;
	}
	size_t k = 0;
	for (unsigned i = shown; i-- > 0;)
		k += (size_t)snprintf(out + k, size - k, "%s%s", k ? " | " : "", lines[i]);
	return shown;
}

unsigned vz_console_last_lines(const struct vz_console *c, unsigned tty, unsigned nlines,
			       char *out, size_t size)
{
	if (size)
		out[0] = 0;
	if (tty > VZ_CONSOLE_TTYS_MAX || !c->tty[tty].ring || c->ring_size == 0)
		return 0;
	const struct vz_tty *t = &c->tty[tty];
	/* the last 4 KiB, linearized */
	char tail[4096];
	size_t n = t->ring_len < sizeof(tail) ? t->ring_len : sizeof(tail);
	size_t start = (t->ring_head + c->ring_size - n) % c->ring_size;
	size_t first = c->ring_size - start < n ? c->ring_size - start : n;
	memcpy(tail, t->ring + start, first);
	memcpy(tail + first, t->ring, n - first);
	return vz_text_last_lines(tail, n, nlines, out, size);
}

/* ------------------------------------------------------------------ ptys */

static void tty_close(struct vz_tty *t)
{
	t->master = safe_close(t->master);
	t->slave = safe_close(t->slave);
}

int vz_console_set_masters(struct vz_console *c, int *masters, size_t n, vz_err *err)
{
	for (unsigned i = 0; i < c->ntty; i++) {
		vz_console_drain(c, i);
		tty_close(&c->tty[i]);
	}
	if (c->ntty == 0)
		for (unsigned i = 0; i <= VZ_CONSOLE_TTYS_MAX; i++)
			c->tty[i].master = c->tty[i].slave = -EBADF;
	int r = 0;
	if (n == 0 || n > VZ_CONSOLE_TTYS_MAX + 1)
		r = vz_failx(err, EPROTO, "%zu console ptys handed over", n);
	for (size_t i = 0; i < n; i++) {
		if (r < 0 || i > VZ_CONSOLE_TTYS_MAX) {
			safe_close(masters[i]);
			continue;
		}
		struct vz_tty *t = &c->tty[i];
		t->master = masters[i];
		if (fd_nonblock(t->master, true) < 0) {
			r = vz_fail(err, errno, "console pty");
			continue;
		}
		/* Our own slave reference: no hangup on the master while
		 * nobody inside has the tty open. */
		t->slave = ioctl(t->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (t->slave < 0) {
			r = vz_fail(err, errno, "open the console pty's slave");
			continue;
		}
		if (t->ws.ws_row)
			(void)ioctl(t->master, TIOCSWINSZ, &t->ws);
	}
	if (r >= 0)
		c->ntty = (unsigned)n;
	return r;
}

int vz_console_tty_of(const struct vz_console *c, int fd)
{
	for (unsigned i = 0; i < c->ntty; i++)
		if (c->tty[i].master == fd)
			return (int)i;
	return -1;
}

int vz_console_create_in_child(const char *pts_dir, int *master, char *slave_path, size_t len,
			       vz_err *err)
{
	_cleanup_free_ char *ptmx = path_join(pts_dir, "ptmx");
	if (!ptmx)
		return -ENOMEM;
	_cleanup_close_ int m = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (m < 0)
		return vz_fail(err, errno, "open '%s'", ptmx);
	int unlock = 0, n = -1;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0)
		return vz_fail(err, errno, "set up the console pty");
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	(void)ioctl(m, TIOCSWINSZ, &ws);
	snprintf(slave_path, len, "%s/%d", pts_dir, n);
	*master = TAKE_FD(m);
	return 0;
}

/* Hand one chunk of a tty's output to everything that takes it. */
static void distribute(struct vz_console *c, unsigned tty, const char *buf, size_t n)
{
	ring_append(c, &c->tty[tty], buf, n);
	if (tty == 0) {
		log_append(c, buf, n);
		if (c->echo_fd >= 0 && loop_write(c->echo_fd, buf, n) < 0)
			c->echo_fd = -EBADF; /* the foreground terminal went away */
	}
	for (struct vz_con_client *cl = c->clients; cl; cl = cl->next)
		if (cl->tty == tty)
			client_output(c, cl, buf, n);
}

ssize_t vz_console_drain(struct vz_console *c, unsigned tty)
{
	/* A pty read returns at most a few KiB; gathering them into one chunk
	 * means one log write and few client records per chunk (100 MB through
	 * the console: 1.65 s with a log write per read, ~1.0 s gathered). */
	static char buf[64 * 1024];
	ssize_t total = 0;
	if (tty >= c->ntty)
		return 0;
	struct vz_tty *t = &c->tty[tty];
	if (t->master < 0 || t->slave < 0)
		return 0;
	/* A bounded number of chunks per call: one busy tty must not starve
	 * the others or the control socket (epoll reports it again). */
	for (int round = 0; round < 4; round++) {
		size_t len = 0;
		bool more = true;
		while (len < sizeof(buf)) {
			ssize_t n = read(t->master, buf + len, sizeof(buf) - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) { /* EAGAIN: nothing more; EIO: no slave open at all */
				more = false;
				break;
			}
			len += (size_t)n;
		}
		if (len > 0)
			distribute(c, tty, buf, len);
		total += (ssize_t)len;
		if (!more)
			break;
	}
	return total;
}

int vz_console_input(struct vz_console *c, unsigned tty, const void *buf, size_t n)
{
	if (tty >= c->ntty || c->tty[tty].master < 0)
		return -ENODEV;
	/* The master is non-blocking: a tty whose input buffer is full (no
	 * reader inside) loses what does not fit, rather than stalling. */
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(c->tty[tty].master, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void vz_console_close(struct vz_console *c)
{
	while (c->clients)
		client_free(c, c->clients);
	for (unsigned i = 0; i <= VZ_CONSOLE_TTYS_MAX && i < c->ntty; i++) {
		tty_close(&c->tty[i]);
		free(c->tty[i].ring);
		c->tty[i].ring = NULL;
	}
	c->ntty = 0;
	c->log_fd = safe_close(c->log_fd);
	free(c->log_path);
	c->log_path = NULL;
}
