/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proto.h: messages between commands and the monitor (control socket,
 * SOCK_SEQPACKET) and from the monitor to `vz start` (status pipe). One
 * message = one record:
 *
 *   u32 magic "VZP1" | u16 type | u16 nfields | u32 payload length
 *   then nfields times: u16 tag | u16 length | value
 *
 * little-endian. An integer field is 8 bytes; a string field is its bytes
 * without NUL (no NUL allowed inside). Each tag has one fixed kind; the decoder
 * rejects a wrong kind or length, a repeated tag, an unknown type, a
 * truncated or oversized record, or trailing bytes, and says which. Unknown
 * tags are skipped (newer peers may add fields).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define VZ_MSG_MAX 4096
#define VZ_MSG_MAX_FIELDS 32

enum vz_msg_type {
	VZ_MSG_OK = 1,       /* success; may carry fields */
	VZ_MSG_ERROR,        /* VZ_F_CODE, VZ_F_TEXT */
	VZ_MSG_READY,        /* monitor -> vz start: VZ_F_PID, VZ_F_MONITOR_PID; with VZ_F_FLAGS
			      * VZ_READY_PENDING, init runs and a final READY or ERROR
			      * follows once it reports ready (start.wait) */
	VZ_MSG_STOP,         /* VZ_F_TIMEOUT_MS, VZ_F_FLAGS (VZ_STOP_*) */
	VZ_MSG_INFO,         /* request; reply OK with VZ_F_STATE, VZ_F_PID, ... */
	VZ_MSG_ATTACH,       /* request; reply OK with init's pidfd passed, VZ_F_CAPS */
	VZ_MSG_CONSOLE,      /* request: VZ_F_TTY, VZ_F_FLAGS (VZ_CONSOLE_*), VZ_F_ROWS, VZ_F_COLS;
			      * reply OK with VZ_F_TTY, VZ_F_FLAGS (as granted), then the
			      * connection carries console records (below) */
	VZ_MSG_CONSOLE_LIST, /* request (root); reply OK with VZ_F_TEXT: one line per attached
			      * client, "UID PID TTY MODE SINCE\n" (TTY 0 = console, MODE
			      * rw|ro, SINCE unix seconds); empty = nobody */
	VZ_MSG_FREEZE,       /* request (root): freeze every process (RUNNING -> FROZEN);
			      * reply OK once all are frozen */
	VZ_MSG_THAW,         /* request (root): FROZEN -> RUNNING */
	_VZ_MSG_TYPE_MAX,
};

enum vz_field_tag {
	VZ_F_CODE = 1,     /* int: positive errno */
	VZ_F_TEXT,         /* string: error message; the list of VZ_MSG_CONSOLE_LIST */
	VZ_F_PID,          /* int: container init pid (host view) */
	VZ_F_MONITOR_PID,  /* int */
	VZ_F_TIMEOUT_MS,   /* int */
	VZ_F_FLAGS,        /* int */
	VZ_F_STATE,        /* int: enum vz_run_state */
	VZ_F_CAPS,         /* int: capability bounding set (bit n = cap n kept) */
	VZ_F_STARTED_AT,   /* int: CLOCK_REALTIME seconds of the current init's start */
	VZ_F_RESTARTS,     /* int: reboots handled since vz start */
	VZ_F_NAME,         /* string: container name */
	VZ_F_TTY,          /* int: 0 = /dev/console, N = /dev/ttyN */
	VZ_F_ROWS,         /* int: window rows (0 = unknown) */
	VZ_F_COLS,         /* int: window columns */
	_VZ_F_MAX,
};

enum { VZ_STOP_KILL = 1 << 0 };
enum { VZ_READY_PENDING = 1 << 0 };

/* VZ_MSG_CONSOLE errors: EPERM not allowed (console.*_users), ENODEV no such
 * tty, EAGAIN the container is not running (starting or stopping).
 * VZ_MSG_CONSOLE flags. RO: watch only (input is dropped by the monitor).
 * HISTORY: send the scrollback, then an END record, and close (vz console
 * --log); no live output. */
enum { VZ_CONSOLE_RO = 1 << 0, VZ_CONSOLE_HISTORY = 1 << 1 };

/* After the OK reply to VZ_MSG_CONSOLE the same SOCK_SEQPACKET connection
 * carries console records, one per packet: a kind byte, then the payload.
 *   monitor -> client  'o' output bytes (1..VZ_CONSOLE_RECORD_MAX-1)
 *                      'e' end: a one-line reason (no NUL), after which the
 *                          monitor closes the connection: "stopped" (the
 *                          container stopped), "history" (end of a HISTORY
 *                          reply), or an error text
 *   client -> monitor  'i' input bytes (dropped for read-only clients)
 *                      'w' window size: u16 rows, u16 cols, little-endian
 * Closing the connection detaches. A new client first gets the scrollback
 * as 'o' records, then live output. */
#define VZ_CONSOLE_RECORD_MAX 16384
#define VZ_CON_OUTPUT 'o'
#define VZ_CON_END 'e'
#define VZ_CON_INPUT 'i'
#define VZ_CON_WINSIZE 'w'


enum vz_field_kind { VZ_KIND_INT = 1, VZ_KIND_STR = 2 };

struct vz_field {
	uint16_t tag;
	uint16_t kind;
	uint64_t u;    /* VZ_KIND_INT */
	char *s;       /* VZ_KIND_STR: NUL-terminated, points into vz_msg.strbuf */
};

struct vz_msg {
	uint16_t type;
	uint16_t nfields;
	struct vz_field f[VZ_MSG_MAX_FIELDS];
	size_t strused;
	char strbuf[VZ_MSG_MAX];
};

void vz_msg_init(struct vz_msg *m, enum vz_msg_type type);
/* -E2BIG when the message would exceed VZ_MSG_MAX or VZ_MSG_MAX_FIELDS;
 * -EINVAL for a tag whose kind differs or a string with a NUL... (n/a) */
int vz_msg_put_int(struct vz_msg *m, enum vz_field_tag tag, uint64_t v);
int vz_msg_put_str(struct vz_msg *m, enum vz_field_tag tag, const char *s);
/* -ENOENT if absent. */
int vz_msg_get_int(const struct vz_msg *m, enum vz_field_tag tag, uint64_t *v);
/* NULL if absent. */
const char *vz_msg_get_str(const struct vz_msg *m, enum vz_field_tag tag);

/* An ERROR message from err, and back (code and text). */
void vz_msg_from_err(struct vz_msg *m, const vz_err *err);
/* For an ERROR message: fill err, return -code. For other types: 0. */
int vz_msg_to_err(const struct vz_msg *m, vz_err *err);

/* Encode into buf; returns the byte count or -E2BIG. */
ssize_t vz_msg_encode(const struct vz_msg *m, void *buf, size_t size);
/* Decode one record; -EBADMSG with err saying what is wrong. */
int vz_msg_decode(struct vz_msg *m, const void *buf, size_t len, vz_err *err);

/* One record over a SOCK_SEQPACKET socket (or pipe), with optional fds. */
int vz_msg_send(int fd, const struct vz_msg *m, const int *fds, size_t nfds);
/* Returns 0 on a message, -ECONNRESET on EOF, -EBADMSG (err filled) on a
 * malformed one. Received fds (O_CLOEXEC) go to fds, count in *nfds. */
int vz_msg_recv(int fd, struct vz_msg *m, int *fds, size_t *nfds, vz_err *err);
