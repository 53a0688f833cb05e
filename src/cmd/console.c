/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz console NAME [-t N] [--ro] [-e KEY] [--log | --list]; also the attach
 * that vz start --console does once the container runs (console_attach).
 *
 * The monitor does the multiplexing (doc/console.md); this side only relays
 * between the user's terminal and one connection to the monitor, which
 * after the OK reply to VZ_MSG_CONSOLE carries console records (proto.h).
 * Everything the relay waits for (the connection, stdin, signals through a
 * signalfd) is in one poll loop, so that every way out passes through the
 * same end: the terminal is restored, then one line says why it ended.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "client.h"
#include "console.h"
#include "fd-util.h"
#include "parse-util.h"
#include "spec.h"
#include "term.h"
#include "vz.h"

/* The largest payload of an 'i' record we send (proto.h allows more; the
 * monitor writes each record to the tty as one piece). */
#define INPUT_MAX 4096

enum { OPT_RO = OPT_COMMON_LAST, OPT_LOG, OPT_LIST };

void console_opts_init(struct console_opts *o)
{
	*o = (struct console_opts){ .escape = CONSOLE_ESCAPE_DEFAULT };
}

/* "0", "console", "/dev/console" -> 0; "N", "ttyN", "/dev/ttyN" -> N. */
static int parse_tty(const char *s, unsigned *ret)
{
	uint32_t n;
	if (startswith(s, "/dev/"))
		s += 5;
	if (streq(s, "console")) {
		*ret = 0;
		return 0;
	}
	if (startswith(s, "tty"))
		s += 3;
	if (parse_u32(s, &n) < 0)
		return -EINVAL;
	*ret = n;
	return 0;
}

/* Caret notation ("^a".."^z" in either case, "^@", "^[", "^\", "^]", "^^",
 * "^_", "^?") or one character; -EINVAL otherwise. 'q' and '?' are the
 * commands that follow the escape key, so they cannot be it. */
static int parse_escape(const char *s, int *ret)
{
	if (s[0] == '^' && s[1] && !s[2]) {
		int c = (unsigned char)s[1];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == '?')
			*ret = 0x7f;
		else if (c >= '@' && c <= '_')
			*ret = c - '@';
		else
			return -EINVAL;
		return 0;
	}
	if (!s[0] || s[1] || s[0] == 'q' || s[0] == '?')
		return -EINVAL;
	*ret = (unsigned char)s[0];
	return 0;
}

/* How the banner and the help name the escape key: "Ctrl-a", "Ctrl-]", "~". */
static const char *escape_name(int c, char buf[static 16])
{
	if (c >= 1 && c <= 26)
		snprintf(buf, 16, "Ctrl-%c", 'a' + c - 1);
	else if (c < 0x20)
		snprintf(buf, 16, "Ctrl-%c", c + '@');
	else if (c == 0x7f)
		snprintf(buf, 16, "Ctrl-?");
	else
		snprintf(buf, 16, "%c", c);
	return buf;
}

static const char *tty_name(unsigned tty, char buf[static 16])
{
	if (tty == 0)
		snprintf(buf, 16, "console");
	else
		snprintf(buf, 16, "tty%u", tty);
	return buf;
}

/* Like the other verbs (info, attach): a name that was never created is
 * told apart from a container that is merely stopped. Only ENOENT counts:
 * a uid allowed on the console but not to look into lib/ (EACCES) is left
 * to the monitor's answer. */
static int check_exists(const struct vz_global *g, const char *name, vz_err *err)
{
	_cleanup_free_ char *dir = vz_path(g, name, VZ_PATH_DIR);
	if (!dir)
		return vz_fail(err, ENOMEM, "container '%s'", name);
	struct stat st;
	if (!vz_name_is_valid(name) ||
	    (stat(dir, &st) < 0 && (errno == ENOENT || errno == ENOTDIR)))
		return vz_failx(err, ENOENT, "container '%s' does not exist", name);
	return 0;
}

/* Write all of buf to stdout, also when stdout was left non-blocking by
 * whoever shares it (then wait until it takes more). */
static int write_stdout(const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
			poll(&pfd, 1, -1);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Ask the monitor for a console connection on fd (connected). flags are
 * VZ_CONSOLE_*; *granted gets the flags the monitor granted (it makes a
 * client read-only when console.ro_users says so). */
static int console_request(int fd, unsigned tty, unsigned flags, unsigned *granted, vz_err *err)
{
	struct vz_msg req, reply;
	vz_msg_init(&req, VZ_MSG_CONSOLE);
	vz_msg_put_int(&req, VZ_F_TTY, tty);
	vz_msg_put_int(&req, VZ_F_FLAGS, flags);
	unsigned rows, cols;
	if (!(flags & VZ_CONSOLE_HISTORY) && vz_term_winsize(&rows, &cols) == 0) {
		vz_msg_put_int(&req, VZ_F_ROWS, rows);
		vz_msg_put_int(&req, VZ_F_COLS, cols);
	}
	int r = vz_client_call(fd, &req, VZ_CLIENT_TIMEOUT_MS, &reply, NULL, NULL, err);
	if (r < 0)
		return r;
	uint64_t f = flags;
	vz_msg_get_int(&reply, VZ_F_FLAGS, &f);
	*granted = (unsigned)f;
	return 0;
}

/* A reason from an 'e' record, made printable on one line. */
static void copy_reason(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = MIN(len, size - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[n] = 0;
}

/* ------------------------------------------------------------------ --log */

/* A stopped container has no monitor and so no scrollback: console.log is
 * the history of /dev/console (the rotated console.log.N are left out: they
 * may be far older, and `cat` shows them if wanted). */
static int show_log_file(const struct vz_cmd *cmd, const char *name, unsigned tty)
{
	vz_err err = { 0 };
	if (tty != 0) {
		vz_failx(&err, ENOTCONN, "container '%s' is not running: tty%u has no history kept",
			 name, tty);
		return cmd_error(cmd, name, &err);
	}
	_cleanup_free_ char *path = vz_path(cmd->g, name, VZ_PATH_CONSOLE_LOG);
	if (!path) {
		vz_fail(&err, ENOMEM, "console log");
		return cmd_error(cmd, name, &err);
	}
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT) /* never started, or console.log_size = 0 */
			return 0;
		vz_fail(&err, errno, "open '%s'", path);
		return cmd_error(cmd, name, &err);
	}
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vz_fail(&err, errno, "read '%s'", path);
			return cmd_error(cmd, name, &err);
		}
		if (n == 0)
			return 0;
		int r = write_stdout(buf, (size_t)n);
		if (r < 0) {
			vz_fail(&err, r, "write to standard output");
			return cmd_error(cmd, name, &err);
		}
	}
}

/* The running container's scrollback: 'o' records, then 'e' "history". */
static int show_history(const struct vz_cmd *cmd, const char *name, unsigned tty)
{
	vz_err err = { 0 };
	_cleanup_close_ int fd = -EBADF;
	unsigned granted;
	int r = vz_client_connect(cmd->g, name, &fd, &err);
	if (r >= 0)
		r = console_request(fd, tty, VZ_CONSOLE_HISTORY | VZ_CONSOLE_RO, &granted, &err);
	/* Not running (no monitor, or one that is starting or stopping, or
	 * that went away before answering): the log file is the history. */
	if (r == -ENOTCONN || r == -EAGAIN || r == -ECONNRESET)
		return show_log_file(cmd, name, tty);
	if (r < 0)
		return cmd_error(cmd, name, &err);

	static char buf[VZ_CONSOLE_RECORD_MAX];
	for (;;) {
		/* vz_client_call left a receive timeout on the socket: a
		 * monitor that stops sending cannot hang us. */
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			vz_failx(&err, ETIMEDOUT, "the monitor of '%s' stopped sending the history "
						  "(nothing for %d s)", name, VZ_CLIENT_TIMEOUT_MS / 1000);
			return cmd_error(cmd, name, &err);
		}
		if (n < 0 && errno != ECONNRESET) {
			vz_fail(&err, errno, "receive from the monitor");
			return cmd_error(cmd, name, &err);
		}
		if (n <= 0) {
			fprintf(stderr, "vz %s: the monitor of '%s' went away\n", cmd->verb, name);
			return 1;
		}
		if (buf[0] == VZ_CON_OUTPUT) {
			r = write_stdout(buf + 1, (size_t)n - 1);
			if (r < 0) {
				vz_fail(&err, r, "write to standard output");
				return cmd_error(cmd, name, &err);
			}
		} else if (buf[0] == VZ_CON_END) {
			char reason[256];
			copy_reason(reason, sizeof(reason), buf + 1, (size_t)n - 1);
			/* "stopped": the container went down meanwhile; what came
			 * is still its whole history. */
			if (streq(reason, "history") || streq(reason, "stopped"))
				return 0;
			fprintf(stderr, "vz %s: %s: %s\n", cmd->verb, name, reason);
			return 1;
		}
		/* Other kinds are a newer monitor's business: skipped. */
	}
}

/* ------------------------------------------------------------------ --list */

static int show_list(const struct vz_cmd *cmd, const char *name, const struct console_opts *o)
{
	vz_err err = { 0 };
	_cleanup_close_ int fd = -EBADF;
	struct vz_msg req, reply;
	int r = vz_client_connect(cmd->g, name, &fd, &err);
	if (r >= 0) {
		vz_msg_init(&req, VZ_MSG_CONSOLE_LIST);
		r = vz_client_call(fd, &req, VZ_CLIENT_TIMEOUT_MS, &reply, NULL, NULL, &err);
	}
	if (r < 0)
		return cmd_error(cmd, name, &err);
	const char *text = vz_msg_get_str(&reply, VZ_F_TEXT);
	_cleanup_free_ char *copy = strdup(text ? text : "");
	if (!copy) {
		vz_fail(&err, ENOMEM, "list the console clients");
		return cmd_error(cmd, name, &err);
	}

	printf("%-5s %-7s %-8s %-5s %s\n", "UID", "PID", "TTY", "MODE", "SINCE");
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct vz_console_client_info ci;
		if (vz_console_list_parse(line, &ci) < 0) {
			/* A line of a format this vz does not know: shown as it is. */
			printf("%s\n", line);
			continue;
		}
		if (o->tty_set && ci.tty != o->tty)
			continue;
		char tn[16], t[32] = "-";
		time_t at = (time_t)ci.since;
		struct tm tm;
		if (localtime_r(&at, &tm))
			strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%-5u %-7d %-8s %-5s %s\n", (unsigned)ci.uid, (int)ci.pid, tty_name(ci.tty, tn),
		       ci.ro ? "ro" : "rw", t);
	}
	return 0;
}

/* ------------------------------------------------------------------ relay */

enum end {
	END_NONE,
	END_DETACH, /* the escape key, then q */
	END_REMOTE, /* an 'e' record: reason */
	END_GONE,   /* the connection closed (or was reset) without an 'e' */
	END_SIGNAL, /* a signal (sig), or the terminal hung up (SIGHUP) */
	END_ERROR,  /* err */
};

struct session {
	int sock;
	bool rw;             /* granted read-write: input and window sizes are sent */
	bool tty_in;         /* stdin is a terminal: raw mode and the escape key */
	int escape;
	bool after_escape;   /* the last key was the escape key */
	bool stdin_open;     /* still reading stdin */
	bool send_broken;    /* the monitor no longer takes records (it closed) */
	char out[2 * INPUT_MAX]; /* input not yet sent: out[out_off..out_len) */
	size_t out_len, out_off;
	bool winsize_pending; /* a SIGWINCH came; the new size is still to be sent */
	bool line_start;     /* nothing, or a newline, was the last byte written to stdout */
	enum end end;
	int sig;
	char reason[256];
	vz_err err;
};

/* End with an error, unless the session already ended otherwise (a send
 * failing after the escape key must not turn a detach into an error). */
static void fail_session(struct session *s, int errnum, const char *what)
{
	if (s->end != END_NONE)
		return;
	vz_fail(&s->err, errnum, "%s", what);
	s->end = END_ERROR;
}

/* Send one record without waiting: 1 sent, 0 the socket is full (poll for
 * POLLOUT and try again), -1 it cannot be sent (s->end or send_broken set). */
static int send_record(struct session *s, const void *rec, size_t len)
{
	for (;;) {
		if (send(s->sock, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == EPIPE || errno == ECONNRESET) {
			/* The monitor closed: its 'e' record (or EOF) is still
			 * to be read and says why; input is of no use now. */
			s->send_broken = true;
			s->out_len = s->out_off = 0;
			s->winsize_pending = false;
			return -1;
		}
		fail_session(s, errno, "send to the monitor");
		return -1;
	}
}

/* Send queued input, then a pending window size, as far as the socket
 * takes them now. */
static void send_pending(struct session *s)
{
	if (s->send_broken)
		return;
	while (s->out_off < s->out_len) {
		char rec[1 + INPUT_MAX];
		size_t n = MIN(s->out_len - s->out_off, (size_t)INPUT_MAX);
		rec[0] = VZ_CON_INPUT;
		memcpy(rec + 1, s->out + s->out_off, n);
		if (send_record(s, rec, 1 + n) <= 0) {
			/* Keep the rest at the start, to make room for more. */
			if (!s->send_broken && s->out_off > 0) {
				memmove(s->out, s->out + s->out_off, s->out_len - s->out_off);
				s->out_len -= s->out_off;
				s->out_off = 0;
			}
			return;
		}
		s->out_off += n;
	}
	s->out_len = s->out_off = 0;
	if (s->winsize_pending) {
		unsigned rows, cols;
		if (vz_term_winsize(&rows, &cols) < 0) {
			s->winsize_pending = false;
			return;
		}
		const unsigned char rec[5] = { VZ_CON_WINSIZE, rows & 0xff, (rows >> 8) & 0xff,
					       cols & 0xff, (cols >> 8) & 0xff };
		if (send_record(s, rec, sizeof(rec)) > 0)
			s->winsize_pending = false;
	}
}

static void queue_key(struct session *s, char c)
{
	/* A read-only client never sends input (the monitor would drop it). */
	if (s->rw && !s->send_broken && s->out_len < sizeof(s->out))
		s->out[s->out_len++] = c;
}

static void print_help(const struct session *s)
{
	char e[16];
	escape_name(s->escape, e);
	/* The terminal is raw: "\r\n", not "\n". */
	fprintf(stderr, "\r\nvz console: %s q detaches; %s %s sends %s\r\n", e, e, e, e);
}

/* Keys from stdin. With a terminal the escape key is looked for; without
 * one (a pipe, a file) input is passed on exactly as read. */
static void on_keys(struct session *s, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		if (!s->tty_in) {
			queue_key(s, c);
		} else if (s->after_escape) {
			s->after_escape = false;
			if (c == 'q') {
				s->end = END_DETACH;
				return;
			}
			if (c == '?') {
				print_help(s);
				continue;
			}
			/* Escape twice sends one; any other key goes with the
			 * escape before it, so nothing typed is lost. */
			queue_key(s, (char)s->escape);
			if ((unsigned char)c != s->escape)
				queue_key(s, c);
		} else if ((unsigned char)c == s->escape) {
			s->after_escape = true;
		} else {
			queue_key(s, c);
		}
	}
}

static void on_stdin(struct session *s)
{
	/* At most INPUT_MAX bytes: a pipe is read only when that much fits
	 * the queue (see relay); a terminal's keys that do not fit are
	 * dropped by queue_key. */
	char buf[INPUT_MAX];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (s->tty_in) {
			/* A raw terminal reads 0 or EIO only when it hung up:
			 * nobody is there to watch any more. */
			s->end = END_SIGNAL;
			s->sig = SIGHUP;
			return;
		}
		/* Input ended; output goes on until the container stops. */
		s->stdin_open = false;
		return;
	}
	on_keys(s, buf, (size_t)n);
}

static void on_record(struct session *s, const char *rec, size_t n)
{
	if (rec[0] == VZ_CON_OUTPUT && n > 1) {
		int r = write_stdout(rec + 1, n - 1);
		if (r < 0)
			fail_session(s, r, "write to standard output");
		s->line_start = rec[n - 1] == '\n';
	} else if (rec[0] == VZ_CON_END) {
		copy_reason(s->reason, sizeof(s->reason), rec + 1, n - 1);
		s->end = END_REMOTE;
	}
	/* Other kinds are a newer monitor's business: skipped. */
}

static void on_socket(struct session *s, char *buf)
{
	/* A bounded batch: a flood of output must not starve the keyboard
	 * (the escape key) nor the signals. */
	for (int i = 0; i < 64 && s->end == END_NONE; i++) {
		ssize_t n = recv(s->sock, buf, VZ_CONSOLE_RECORD_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0 && (n == 0 || errno == ECONNRESET)) {
			s->end = END_GONE;
			return;
		}
		if (n < 0) {
			fail_session(s, errno, "receive from the monitor");
			return;
		}
		on_record(s, buf, (size_t)n);
	}
}

static void on_signals(struct session *s, int sfd)
{
	struct signalfd_siginfo si;
	while (s->end == END_NONE && read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH) {
			/* Read-only clients never change the size; without
			 * a terminal send_pending finds no size and drops it. */
			if (s->rw)
				s->winsize_pending = true;
		} else {
			s->end = END_SIGNAL;
			s->sig = (int)si.ssi_signo;
		}
	}
}

static void relay(struct session *s, int sfd)
{
	static char buf[VZ_CONSOLE_RECORD_MAX];
	while (s->end == END_NONE) {
		bool pending = !s->send_broken && (s->out_len > 0 || s->winsize_pending);
		/* A pipe is read only when its input fits the queue, so a slow
		 * monitor slows the pipe down and nothing is lost. A terminal
		 * is always read, so that the escape key works even when the
		 * console takes no input; keys that do not fit are dropped. */
		bool read_stdin = s->stdin_open &&
				  (s->tty_in || sizeof(s->out) - s->out_len >= INPUT_MAX);
		struct pollfd p[3] = {
			{ .fd = s->sock, .events = POLLIN | (pending ? POLLOUT : 0) },
			{ .fd = read_stdin ? STDIN_FILENO : -1, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		if (poll(p, ELEMENTSOF(p), -1) < 0) {
			if (errno != EINTR)
				fail_session(s, errno, "poll");
			continue;
		}
		if (p[2].revents)
			on_signals(s, sfd);
		if (s->end == END_NONE && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			on_socket(s, buf);
		if (s->end == END_NONE && p[1].revents)
			on_stdin(s);
		/* On detach too: what was typed before the escape key still
		 * goes, as far as the socket takes it now. */
		if (s->end == END_NONE || s->end == END_DETACH)
			send_pending(s);
	}
}

/* The last word, on stderr, with the terminal restored. Returns the exit
 * status. */
static int finish(const struct vz_cmd *cmd, const char *name, const struct session *s)
{
	if (s->end == END_SIGNAL)
		return 128 + s->sig; /* asked to go: no message, the status says it */
	/* Output may have left the cursor after a prompt ("login: "). */
	if (!s->line_start && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO))
		fputc('\n', stderr);
	switch (s->end) {
	case END_DETACH:
		fprintf(stderr, "vz %s: detached from %s\n", cmd->verb, name);
		return 0;
	case END_REMOTE:
		if (streq(s->reason, "stopped")) {
			fprintf(stderr, "vz %s: container '%s' stopped\n", cmd->verb, name);
			return 0;
		}
		fprintf(stderr, "vz %s: %s: %s\n", cmd->verb, name, s->reason);
		return 1;
	case END_GONE:
		fprintf(stderr, "vz %s: the monitor of '%s' went away\n", cmd->verb, name);
		return 1;
	default:
		return cmd_error(cmd, name, &s->err);
	}
}

static int attach_live(const struct vz_cmd *cmd, const char *name, const struct console_opts *o)
{
	vz_err err = { 0 };
	_cleanup_close_ int fd = -EBADF;
	unsigned granted = 0;
	int r = vz_client_connect(cmd->g, name, &fd, &err);
	if (r >= 0)
		r = console_request(fd, o->tty, o->ro ? VZ_CONSOLE_RO : 0, &granted, &err);
	if (r < 0)
		return cmd_error(cmd, name, &err);

	static struct session s; /* large buffers; one session per process */
	s = (struct session){
		.sock = fd,
		.rw = !(granted & VZ_CONSOLE_RO),
		.tty_in = isatty(STDIN_FILENO),
		.escape = o->escape,
		.line_start = true,
	};
	/* A read-only client reads a terminal only for the escape key, and
	 * a pipe not at all. */
	s.stdin_open = s.rw || s.tty_in;

	/* Signals are taken in the loop, never asynchronously, so that the
	 * terminal is restored on the way out whatever ends the session.
	 * They are blocked before the terminal is made raw and stay blocked:
	 * the command ends right after. A write to a closed stdout must come
	 * back as EPIPE rather than kill us with the terminal raw. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	_cleanup_close_ int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		vz_fail(&err, errno, "signalfd");
		return cmd_error(cmd, name, &err);
	}

	_cleanup_term_ struct vz_term term = VZ_TERM_INIT;
	if (s.tty_in) {
		char tn[16], e[16];
		fprintf(stderr, "vz %s: connected to %s (%s, %s); %s q detaches\n", cmd->verb, name,
			tty_name(o->tty, tn), s.rw ? "read-write" : "read-only",
			escape_name(o->escape, e));
		r = vz_term_make_raw(&term, STDIN_FILENO);
		if (r < 0) {
			vz_fail(&err, r, "put the terminal in raw mode");
			return cmd_error(cmd, name, &err);
		}
	}
	relay(&s, sfd);
	vz_term_restore(&term);
	return finish(cmd, name, &s);
}

/* ------------------------------------------------------------------ entry points */

int console_attach(const struct vz_cmd *cmd, const char *name, const struct console_opts *o)
{
	vz_err err = { 0 };
	if (check_exists(cmd->g, name, &err) < 0)
		return cmd_error(cmd, name, &err);
	if (o->list)
		return show_list(cmd, name, o);
	if (o->log)
		return show_history(cmd, name, o->tty);
	return attach_live(cmd, name, o);
}

int verb_console(struct vz_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "tty", required_argument, NULL, 't' },
		{ "ro", no_argument, NULL, OPT_RO },
		{ "escape", required_argument, NULL, 'e' },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "list", no_argument, NULL, OPT_LIST },
		{},
	};
	struct console_opts o;
	console_opts_init(&o);
	int opt, status = 0;
	while ((opt = cmd_getopt(cmd, argc, argv, COMMON_SHORT "t:e:", opts, &status)) != -1) {
		switch (opt) {
		case -2:
			return status;
		case 't':
			if (parse_tty(optarg, &o.tty) < 0)
				return cmd_usage_error(cmd, "invalid tty '%s' (0 or console for "
							    "/dev/console, N for /dev/ttyN)", optarg);
			o.tty_set = true;
			break;
		case 'e':
			if (parse_escape(optarg, &o.escape) < 0)
				return cmd_usage_error(cmd, "invalid escape key '%s' (^X for Ctrl-X, "
							    "or one character other than q and ?)",
						       optarg);
			break;
		case OPT_RO:
			o.ro = true;
			break;
		case OPT_LOG:
			o.log = true;
			break;
		case OPT_LIST:
			o.list = true;
			break;
		}
	}
	if (o.log && o.list)
		return cmd_usage_error(cmd, "--log and --list cannot be used together");
	if (optind + 1 != argc)
		return cmd_usage_error(cmd, optind >= argc ? "missing container name"
							   : "too many arguments");
	int r = cmd_load_global(cmd);
	if (r)
		return r;
	return console_attach(cmd, argv[optind], &o);
}
