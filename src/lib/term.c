/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * term.c: see term.h. Runs in commands.
 */
#include <sys/ioctl.h>

#include "term.h"

int vz_term_make_raw(struct vz_term *t, int fd)
{
	t->fd = -EBADF;
	if (tcgetattr(fd, &t->saved) < 0)
		return negative_errno();
	struct termios raw = t->saved;
	cfmakeraw(&raw);
	/* TCSANOW, not TCSAFLUSH: typeahead belongs to whatever runs next. */
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return negative_errno();
	t->fd = fd;
	return 0;
}

void vz_term_restore(struct vz_term *t)
{
	if (t->fd < 0)
		return;
	/* TCSANOW rather than TCSADRAIN: a terminal whose output is stuck
	 * must not keep us from giving it back its settings. */
	int saved = errno;
	tcsetattr(t->fd, TCSANOW, &t->saved);
	errno = saved;
	t->fd = -EBADF;
}

int vz_term_winsize(unsigned *rows, unsigned *cols)
{
	static const int fds[] = { STDIN_FILENO, STDOUT_FILENO };
	for (size_t i = 0; i < ELEMENTSOF(fds); i++) {
		struct winsize ws;
		if (ioctl(fds[i], TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
			*rows = ws.ws_row;
			*cols = ws.ws_col;
			return 0;
		}
	}
	return -ENOTTY;
}
