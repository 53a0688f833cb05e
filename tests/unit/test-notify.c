/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-notify: the notify socket (notify.c) without a container: parsing
 * sd_notify(3) messages, a socket bound in a directory receiving from this
 * process (credentials match) and dropping what another pid "sent", fds a
 * sender attaches closed at once; and the console's last lines
 * (vz_text_last_lines) as readiness errors quote them: escape sequences,
 * carriage returns, long lines, several lines.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "console.h"
#include "fd-util.h"
#include "fs-util.h"
#include "notify.h"
#include "tap.h"

static void test_parse(void)
{
	struct vz_notify n = { 0 };
	const char m1[] = "STATUS=Starting...\nX_SYSTEMD_UNIT_ACTIVE=basic.target";
	vz_notify_parse(&n, m1, sizeof(m1) - 1);
	ok(!n.ready && !n.stopping, "a status alone: not ready");
	is_str(n.status, "Starting...", "STATUS= taken");
	const char m2[] = "READY=1\nSTATUS=Startup finished in 312ms.\n";
	vz_notify_parse(&n, m2, sizeof(m2) - 1);
	ok(n.ready, "READY=1 (trailing newline)");
	is_str(n.status, "Startup finished in 312ms.", "the last STATUS= wins");
	const char m3[] = "READY=0\nSTOPPING=1";
	vz_notify_parse(&n, m3, sizeof(m3) - 1);
	ok(n.ready && n.stopping, "READY=0 does not unset; STOPPING=1");
	const char m4[] = "STATUS=tab\there\x1b[31m red";
	vz_notify_parse(&n, m4, sizeof(m4) - 1);
	is_str(n.status, "tab here [31m red", "control characters in STATUS= become blanks");
	struct vz_notify e = { 0 };
	const char m5[] = "READY=11\nREADY\nXREADY=1\nSTATUS";
	vz_notify_parse(&e, m5, sizeof(m5) - 1);
	ok(!e.ready && !e.status[0], "READY=11, READY, XREADY=1 and a bare STATUS are ignored");
	char longstatus[600] = "STATUS=";
	memset(longstatus + 7, 'x', 590);
	vz_notify_parse(&e, longstatus, strlen(longstatus));
	is_int(strlen(e.status), sizeof(e.status) - 1, "a long STATUS= is cut to fit");
}

static int send_as(const char *path, const char *text, int fd_to_pass)
{
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	if (fd_to_pass >= 0)
		return send_with_fds(s, text, strlen(text), &fd_to_pass, 1);
	return send(s, text, strlen(text), 0) < 0 ? -errno : 0;
}

static void test_socket(void)
{
	char tmpl[] = "/tmp/vz-test-notify.XXXXXX";
	if (!ok(mkdtemp(tmpl) != NULL, "temporary directory"))
		return;
	vz_err err = { 0 };
	int fd = -EBADF;
	is_int(vz_notify_create_in_child(tmpl, &fd, &err), 0, "socket bound in the directory");
	_cleanup_free_ char *path = path_join(tmpl, "notify");
	char cwd[4096];
	ok(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, tmpl) != 0, "the working directory is restored");
	is_int(vz_notify_recv(fd, getpid(), &(struct vz_notify){ 0 }), -EAGAIN, "nothing queued");

	struct vz_notify n = { 0 };
	is_int(send_as(path, "STATUS=booting", -EBADF), 0, "send STATUS=");
	is_int(vz_notify_recv(fd, getpid() + 1, &n), 0, "a message from another pid is dropped");
	ok(!n.status[0], "... and not taken");
	is_int(send_as(path, "READY=1\nSTATUS=up", -EBADF), 0, "send READY=1");
	is_int(vz_notify_recv(fd, getpid(), &n), 1, "a message from init's pid is taken");
	ok(n.ready, "... READY=1");
	is_str(n.status, "up", "... STATUS=");

	/* An fd attached by the sender must not stay open in the monitor. */
	int probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	is_int(send_as(path, "STATUS=with an fd", probe), 0, "send a message with an fd");
	close(probe);
	int next = open("/dev/null", O_RDONLY | O_CLOEXEC);
	is_int(vz_notify_recv(fd, getpid(), &n), 1, "taken");
	int after = open("/dev/null", O_RDONLY | O_CLOEXEC);
	is_int(after, next + 1, "the passed fd was closed (no fd number used up)");
	close(next);
	close(after);
	is_str(n.status, "with an fd", "... its text taken");

	close(fd);
	unlink(path);
	rmdir(tmpl);
	_cleanup_free_ char *missing = path_join(tmpl, "nosuch");
	fd = -EBADF;
	ok(vz_notify_create_in_child(missing, &fd, &err) < 0 && strstr(err.msg, "chdir"),
	   "a missing directory fails, named: %s", err.msg);
}

static void last(const char *in, unsigned nlines, const char *want, unsigned want_n,
		 const char *what)
{
	char out[1024];
	unsigned n = vz_text_last_lines(in, strlen(in), nlines, out, sizeof(out));
	is_str(out, want, "%s", what);
	is_int(n, want_n, "%s: %u line(s)", what, want_n);
}

static void test_last_lines(void)
{
	last("", 1, "", 0, "nothing");
	last("\n\r\n  \n", 3, "", 0, "only blank lines");
	last("one\ntwo\n", 1, "two", 1, "the last line");
	last("one\ntwo", 1, "two", 1, "without a final newline");
	last("one\ntwo\n\n\n", 1, "two", 1, "trailing blank lines skipped");
	last("a\nb\nc\nd\n", 3, "b | c | d", 3, "three lines joined");
	last("a\n", 3, "a", 1, "fewer lines than asked");
	last("\x1b[0;1;31mFailed to allocate manager object: Too many open files\x1b[0m\r\n", 1,
	     "Failed to allocate manager object: Too many open files", 1, "colour codes removed");
	last("[\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mfoo.service\x1b[0m.\r\n", 1,
	     "[  OK  ] Started foo.service.", 1, "systemd's status line");
	last("\x1b]0;title\x07prompt$ ", 1, "prompt$", 1, "OSC title removed, blanks trimmed");
	last("[  ***] A start job is running\r[ ***  ] A start job is running (2s)\r\n", 1,
	     "[ ***  ] A start job is running (2s)", 1, "what a carriage return overwrote dropped");
	last("text\r   \r\n", 1, "text", 1, "a carriage return followed by nothing keeps the text");
	last("a\tb\x01" "c\x7f\n", 1, "a bc", 1, "tab to blank, control characters dropped");
	char longline[400];
	memset(longline, 'y', 300);
	strcpy(longline + 300, "\n");
	char want[210];
	memset(want, 'y', 200);
	strcpy(want + 200, "...");
	last(longline, 1, want, 1, "a long line cut at 200 bytes");
	/* 199 ASCII bytes then a 3-byte character across the cut */
	char utf[300];
	memset(utf, 'z', 199);
	strcpy(utf + 199, "\xe2\x80\xa6 and more\n");
	char wantu[210];
	memset(wantu, 'z', 199);
	strcpy(wantu + 199, "...");
	last(utf, 1, wantu, 1, "the cut does not split a UTF-8 character");
	char small[10];
	unsigned n = vz_text_last_lines("abc\ndefgh\n", 10, 2, small, sizeof(small));
	is_str(small, "defgh", "an older line that does not fit is left out");
	is_int(n, 1, "... and not counted");
	n = vz_text_last_lines("abc\ndefghijklmnopq\n", 18, 2, small, sizeof(small));
	is_str(small, "defghijkl", "the newest line alone is cut to fit");
	is_int(n, 1, "... one line");
}

int main(void)
{
	test_parse();
	test_socket();
	test_last_lines();
	return tap_done();
}
