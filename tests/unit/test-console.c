/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-console: the monitor's console multiplexer (console.c) on real ptys
 * and socketpairs, without a container: scrollback (wrapped), replay to a
 * new client, output to several clients, input and window size from a
 * read-write client, input of a read-only client dropped, a client that
 * stops reading losing output (marked) while another gets all of it, the
 * history request, the END record, and uid lists.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "fd-util.h"
#include "parse-util.h"
#include "proto.h"
#include "tap.h"

struct pty {
	int master, slave;
};

static struct pty new_pty(void)
{
	struct pty p = { .master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), .slave = -1 };
	if (p.master >= 0 && grantpt(p.master) == 0 && unlockpt(p.master) == 0)
		p.slave = open(ptsname(p.master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p.slave >= 0) { /* raw: bytes pass as written, no echo */
		struct termios t;
		tcgetattr(p.slave, &t);
		cfmakeraw(&t);
		tcsetattr(p.slave, TCSANOW, &t);
	}
	return p;
}

/* Everything a client socket holds now: output payloads appended to out;
 * returns the END reason's first byte, or 0 if no END came. */
static char read_client(int fd, char *out, size_t *len, size_t cap)
{
	char rec[VZ_CONSOLE_RECORD_MAX];
	for (;;) {
		ssize_t n = recv(fd, rec, sizeof(rec), MSG_DONTWAIT);
		if (n <= 0)
			return 0;
		if (rec[0] == VZ_CON_END)
			return n > 1 ? rec[1] : '?';
		if (rec[0] == VZ_CON_OUTPUT && *len + (size_t)n - 1 <= cap) {
			memcpy(out + *len, rec + 1, (size_t)n - 1);
			*len += (size_t)n - 1;
		}
	}
}

/* Let the console read what the slave wrote. */
static void pump(struct vz_console *c, unsigned tty)
{
	struct pollfd p = { .fd = c->tty[tty].master, .events = POLLIN };
	while (poll(&p, 1, 50) > 0 && vz_console_drain(c, tty) > 0)
		;
}

static struct vz_con_client *attach(struct vz_console *c, int *peer, unsigned tty, unsigned flags,
				    const struct winsize *ws)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return NULL;
	fd_nonblock(sv[0], true);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = sv[0] };
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, sv[0], &ev);
	*peer = sv[1];
	return vz_console_attach(c, sv[0], tty, flags, 1000, 42, ws);
}

int main(void)
{
	struct vz_console c = VZ_CONSOLE_INIT;
	c.epfd = epoll_create1(EPOLL_CLOEXEC);
	vz_console_set_ring_size(&c, 64);
	struct pty p0 = new_pty(), p1 = new_pty();
	if (!ok(p0.slave >= 0 && p1.slave >= 0, "two ptys"))
		return 1;
	int masters[2] = { p0.master, p1.master };
	vz_err err = { 0 };
	is_int(vz_console_set_masters(&c, masters, 2, &err), 0, "set_masters takes console + tty1");
	is_int(c.ntty, 2, "two ttys");
	is_int(vz_console_tty_of(&c, p1.master), 1, "tty_of finds tty1's master");
	is_int(vz_console_tty_of(&c, 12345), -1, "and nothing for another fd");

	/* Output before anyone attached: kept in the 64-byte ring (wrapped). */
	const char *early = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-early-";
	(void)!write(p0.slave, early, strlen(early));
	pump(&c, 0);
	int a_peer, b_peer, ro_peer;
	struct winsize ws = { .ws_row = 33, .ws_col = 111 };
	struct vz_con_client *a = attach(&c, &a_peer, 0, 0, &ws);
	ok(a != NULL, "client A attaches read-write to the console");
	char out[65536];
	size_t len = 0;
	read_client(a_peer, out, &len, sizeof(out));
	is_int(len, 64, "A first gets the scrollback: the ring's 64 bytes");
	ok(len == 64 && memcmp(out, early + strlen(early) - 64, 64) == 0,
	   "... the latest 64 bytes, oldest first");
	struct winsize got = { 0 };
	ioctl(p0.slave, TIOCGWINSZ, &got);
	ok(got.ws_row == 33 && got.ws_col == 111, "A's window size is applied (%ux%u)", got.ws_row,
	   got.ws_col);

	struct vz_con_client *b = attach(&c, &b_peer, 0, 0, NULL);
	struct vz_con_client *ro = attach(&c, &ro_peer, 0, VZ_CONSOLE_RO, NULL);
	ok(b && ro, "client B and a read-only client attach");
	is_int(vz_console_nclients(&c), 3, "three clients");
	len = 0;
	read_client(b_peer, out, &len, sizeof(out));
	read_client(ro_peer, out, &len, sizeof(out));

	/* Live output reaches every client of that tty. */
	(void)!write(p0.slave, "live!", 5);
	pump(&c, 0);
	size_t la = 0, lb = 0, lr = 0;
	char oa[256], ob[256], or[256];
	read_client(a_peer, oa, &la, sizeof(oa));
	read_client(b_peer, ob, &lb, sizeof(ob));
	read_client(ro_peer, or, &lr, sizeof(or));
	ok(la == 5 && lb == 5 && lr == 5 && !memcmp(oa, "live!", 5) && !memcmp(or, "live!", 5),
	   "live output reaches all three");
	/* tty1 output does not. */
	(void)!write(p1.slave, "tty1", 4);
	pump(&c, 1);
	la = 0;
	read_client(a_peer, oa, &la, sizeof(oa));
	is_int(la, 0, "tty1's output does not reach console clients");

	/* Input: A's goes to the tty, the read-only client's does not. */
	char rec[32] = { VZ_CON_INPUT, 'h', 'i' };
	(void)!send(a_peer, rec, 3, 0);
	vz_console_client_event(&c, a, EPOLLIN);
	char in[32] = { 0 };
	struct pollfd pf = { .fd = p0.slave, .events = POLLIN };
	ssize_t n = poll(&pf, 1, 500) > 0 ? read(p0.slave, in, sizeof(in)) : -1;
	ok(n == 2 && !memcmp(in, "hi", 2), "A's input reaches the tty");
	rec[1] = 'X';
	(void)!send(ro_peer, rec, 3, 0);
	char wrec[5] = { VZ_CON_WINSIZE, 10, 0, 20, 0 };
	(void)!send(ro_peer, wrec, 5, 0);
	vz_console_client_event(&c, ro, EPOLLIN);
	ok(poll(&pf, 1, 200) == 0, "the read-only client's input does not");
	ioctl(p0.slave, TIOCGWINSZ, &got);
	ok(got.ws_row == 33, "nor does its window size");
	wrec[1] = 40;
	wrec[3] = 120;
	(void)!send(b_peer, wrec, 5, 0);
	vz_console_client_event(&c, b, EPOLLIN);
	ioctl(p0.slave, TIOCGWINSZ, &got);
	ok(got.ws_row == 40 && got.ws_col == 120, "the last read-write client to resize sets the size");

	/* B stops reading: 2 MB of output; A keeps reading and gets all. */
	static char chunk[4096];
	memset(chunk, 'x', sizeof(chunk));
	size_t total_a = 0, sent = 0;
	for (int i = 0; i < 512; i++) {
		(void)!write(p0.slave, chunk, sizeof(chunk));
		sent += sizeof(chunk);
		pump(&c, 0);
		size_t l = 0;
		read_client(a_peer, out, &l, sizeof(out));
		total_a += l;
		len = 0;
		read_client(ro_peer, out, &len, sizeof(out));
		/* a reader's queue drains when its socket is writable again */
		vz_console_client_event(&c, a, EPOLLOUT);
		vz_console_client_event(&c, ro, EPOLLOUT);
	}
	for (int i = 0; i < 20; i++) {
		vz_console_client_event(&c, a, EPOLLOUT);
		size_t l = 0;
		read_client(a_peer, out, &l, sizeof(out));
		total_a += l;
	}
	is_int(total_a, sent, "a reading client gets all %zu bytes while another stalls", sent);
	/* B reads now: some was dropped, and it is told so. */
	static char big[4 << 20];
	size_t lbig = 0;
	for (int i = 0; i < 100; i++) {
		read_client(b_peer, big, &lbig, sizeof(big));
		vz_console_client_event(&c, b, EPOLLOUT);
	}
	(void)!write(p0.slave, "after", 5);
	pump(&c, 0);
	for (int i = 0; i < 10; i++) {
		read_client(b_peer, big, &lbig, sizeof(big));
		vz_console_client_event(&c, b, EPOLLOUT);
	}
	big[lbig < sizeof(big) ? lbig : sizeof(big) - 1] = 0;
	ok(lbig < sent, "the stalled client lost output (%zu of %zu bytes)", lbig, sent);
	ok(strstr(big, "bytes of output dropped: this client was not reading") != NULL,
	   "and its stream says so");
	ok(lbig >= 5 && !memcmp(big + lbig - 5, "after", 5), "then it gets live output again");

	/* The list. */
	char *list = vz_console_list(&c);
	ok(list && strstr(list, "1000 42 0 rw ") && strstr(list, "1000 42 0 ro "),
	   "the list names uid, pid, tty and mode: %s", list ? list : "(null)");
	free(list);

	/* A history request gets the ring and END "history", then EOF. */
	int h_peer;
	ok(attach(&c, &h_peer, 0, VZ_CONSOLE_HISTORY | VZ_CONSOLE_RO, NULL) == NULL,
	   "a history request is answered at once");
	len = 0;
	char end = read_client(h_peer, out, &len, sizeof(out));
	ok(end == 'h' && len == 64, "it gets the 64-byte scrollback and END history");
	close(h_peer);

	/* A client hanging up is freed. */
	close(b_peer);
	is_int(vz_console_client_event(&c, b, EPOLLIN), -ECONNRESET, "a client that hung up goes");
	is_int(vz_console_nclients(&c), 2, "two clients left");

	/* END to everyone. */
	vz_console_end_all(&c, "stopped");
	len = 0;
	is_int(read_client(a_peer, out, &len, sizeof(out)), 's', "a client gets END \"stopped\"");
	is_int(vz_console_nclients(&c), 0, "end_all leaves no client");
	close(a_peer);
	close(ro_peer);

	/* uid lists */
	is_int(vz_uid_list_has("1000 1001", 1001), 1, "uid list: found");
	is_int(vz_uid_list_has("1000,1001", 7), 0, "uid list: not found");
	is_int(vz_uid_list_has("", 0), 0, "uid list: empty");
	is_int(vz_uid_list_has(NULL, 0), 0, "uid list: none");
	is_int(vz_uid_list_has("1000 x", 0), -EINVAL, "uid list: a name is refused");
	is_int(vz_uid_list_has("4294967295", (uid_t)-1), -EINVAL, "uid list: -1 is refused");

	close(p0.slave);
	close(p1.slave);
	vz_console_close(&c);
	close(c.epfd);
	return tap_done();
}
