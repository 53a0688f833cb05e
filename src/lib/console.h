/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console.h: the container's consoles and their multiplexer. Runs in the
 * monitor.
 *
 * The ptys: /dev/console and /dev/tty1..N (console.ttys) are ptys of the
 * container's own devpts instance: the child creates them and hands the
 * masters over on the sync socket, so no file system of the host is ever
 * mounted in the container (a privileged container that remounts
 * everything read-only on shutdown cannot reach the host's /dev/pts), and
 * CRIU sees ordinary container ptys (doc/ARCHITECTURE.md). The monitor owns
 * the masters from then on and keeps a slave fd of each (TIOCGPTPEER) so
 * that a master never reports a hangup while nobody inside has the tty
 * open. Each boot (a reboot inside included) brings new ptys; scrollback,
 * log and attached clients carry over.
 *
 * The multiplexer: the monitor reads every master whenever it is readable,
 * so the container never blocks on a console, watched or not. Output goes
 * into the tty's scrollback ring (console.buffer), for tty 0 into
 * log/NAME/console.log (size-limited, rotated), and to every attached
 * client through a bounded per-client queue. A client that does not keep
 * up loses output, never the container or the other clients: what does not
 * fit its queue is dropped and the client is told how much, in its stream
 * (see doc/console.md). Input from read-write clients goes to the tty; the
 * last read-write client to attach or resize sets the window size.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "err.h"

#define VZ_CONSOLE_TTYS_MAX 12

struct vz_con_client; /* an attached client (console.c) */

struct vz_tty {
	int master;
	int slave;          /* the monitor's own reference (see above) */
	char *ring;         /* scrollback, allocated on the first output */
	size_t ring_head;   /* next write position */
	size_t ring_len;    /* bytes held (<= the ring's size) */
	struct winsize ws;  /* last size set by a client (0 = never) */
};

struct vz_console {
	struct vz_tty tty[VZ_CONSOLE_TTYS_MAX + 1]; /* [0] = /dev/console */
	unsigned ntty;            /* 1 + console.ttys, once the first boot handed them over */
	size_t ring_size;         /* console.buffer */
	struct vz_con_client *clients;
	int epfd;                 /* the monitor's epoll: client fds are (re)armed here */
	int log_fd;
	char *log_path;
	uint64_t log_size;        /* rotate when a write would pass this; 0 = no log */
	uint64_t log_written;
	uint32_t log_files;       /* rotated files kept: console.log.1 .. .N */
	int echo_fd;              /* vz start -F: tty 0 output is also copied here */
};

#define VZ_CONSOLE_INIT                                                                      \
	{ .log_fd = -EBADF, .echo_fd = -EBADF, .epfd = -EBADF }

/* Before the first boot: the log and the scrollback size. */
int vz_console_open_log(struct vz_console *c, const char *log_path, uint64_t log_size,
			uint32_t log_files, vz_err *err);
void vz_console_set_ring_size(struct vz_console *c, size_t size);

/* Take the masters of a new boot's ptys (ownership passes to c, also on
 * failure): masters[0] for /dev/console, then tty1..N. What the previous
 * boot's ptys still held is drained first, and they are closed. */
int vz_console_set_masters(struct vz_console *c, int *masters, size_t n, vz_err *err);
/* The tty whose master is fd, or -1. */
int vz_console_tty_of(const struct vz_console *c, int fd);

/* In the container child, after its devpts is mounted at pts_dir: create
 * a pty there. *master gets the master (O_CLOEXEC, non-blocking) and
 * slave_path the slave's path, to be bound on /dev/console or /dev/ttyN. */
int vz_console_create_in_child(const char *pts_dir, int *master, char *slave_path, size_t len,
			       vz_err *err);

/* Move whatever output tty holds to scrollback, log, echo fd and clients.
 * Returns the number of bytes moved. */
ssize_t vz_console_drain(struct vz_console *c, unsigned tty);
/* Input to a tty (vz start -F: tty 0). */
int vz_console_input(struct vz_console *c, unsigned tty, const void *buf, size_t n);

/* Attach the connection fd (non-blocking SOCK_SEQPACKET, its OK reply
 * already sent) as a client of tty with VZ_CONSOLE_* flags; it gets the
 * scrollback, then live output. ws (rows/cols 0 = unknown) is applied for
 * read-write clients. The client then owns fd: the monitor passes its epoll
 * events to vz_console_client_event(). With VZ_CONSOLE_HISTORY the
 * scrollback and an END record are sent, fd is closed and NULL returned. */
struct vz_con_client *vz_console_attach(struct vz_console *c, int fd, unsigned tty,
					unsigned flags, uid_t uid, pid_t pid,
					const struct winsize *ws);
/* The client whose connection is fd, or NULL. */
struct vz_con_client *vz_console_client_of(const struct vz_console *c, int fd);
/* Events on a client's fd. Returns < 0 when the client is gone: it is then
 * freed and its fd closed (and removed from epoll). */
int vz_console_client_event(struct vz_console *c, struct vz_con_client *cl, uint32_t events);
/* Send every client an END record with reason, flush what can be flushed
 * briefly, close them all. */
void vz_console_end_all(struct vz_console *c, const char *reason);
/* "UID PID TTY MODE SINCE" lines, one per client (malloc'd; NULL: ENOMEM). */
char *vz_console_list(const struct vz_console *c);
/* One line of that list, parsed (for vz console --list and vz info);
 * -EINVAL for a line of another format. */
struct vz_console_client_info {
	uid_t uid;
	pid_t pid;
	unsigned tty;
	bool ro;
	uint64_t since;
};
int vz_console_list_parse(const char *line, struct vz_console_client_info *ci);
size_t vz_console_nclients(const struct vz_console *c);

/* The last nlines (at most 8) non-empty lines of what tty wrote (its
 * scrollback), as plain text for a one-line message: escape sequences and
 * control characters removed, what a carriage return overwrote dropped,
 * each line cut at 200 bytes, lines joined with " | ". Returns how many
 * lines out holds ("" and 0 when there is nothing). */
unsigned vz_console_last_lines(const struct vz_console *c, unsigned tty, unsigned nlines,
			       char *out, size_t size);
/* The same for a buffer (exposed for the unit test). */
unsigned vz_text_last_lines(const char *buf, size_t len, unsigned nlines, char *out, size_t size);

void vz_console_close(struct vz_console *c);
