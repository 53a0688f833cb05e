/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * term.h: the user's terminal in commands that relay a console or a pty:
 * raw mode that is always put back, and the window size. Runs in commands.
 */
#pragma once

#include <stdbool.h>
#include <termios.h>

#include "macro.h"

struct vz_term {
	int fd;                /* the terminal made raw; -EBADF: nothing to restore */
	struct termios saved;  /* its settings before */
};

#define VZ_TERM_INIT { .fd = -EBADF }

/* Save fd's settings and make it raw (cfmakeraw: no echo, no line editing,
 * no signals from keys, no output processing). -ENOTTY when fd is not a
 * terminal (t is left with nothing to restore). */
int vz_term_make_raw(struct vz_term *t, int fd);
/* Put the saved settings back; does nothing when there is nothing to
 * restore, so it may be called on every exit path and more than once. */
void vz_term_restore(struct vz_term *t);
static inline void vz_term_restorep(struct vz_term *t) { vz_term_restore(t); }
#define _cleanup_term_ _cleanup_(vz_term_restorep)

/* The window size of the terminal on stdin, or else on stdout: 0, or
 * -ENOTTY when neither is a terminal or the size is unknown (0 x 0). */
int vz_term_winsize(unsigned *rows, unsigned *cols);
