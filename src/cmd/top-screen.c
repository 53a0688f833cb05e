/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * top-screen.c: vz top's interactive screen (ncurses). A summary line, the
 * column header, then the rows from the scroll offset down; keys change
 * the sort, the filter and the offset and redraw at once, refreshes come
 * every -d seconds. ncurses turns SIGWINCH into KEY_RESIZE and restores
 * the terminal on SIGINT/SIGTERM itself; q leaves through endwin(). Runs in
 * the command.
 */
#include <curses.h>
#include <string.h>
#include <time.h>

#include "top.h"

struct screen {
	struct top_state *s;
	size_t offset;    /* first row shown */
	char status[128]; /* an error from the last refresh, shown on the summary line */
};

static int page_rows(void) { return LINES > 2 ? LINES - 2 : 1; }

static void draw(struct screen *sc)
{
	struct top_state *s = sc->s;
	char line[512], clock[16];
	time_t now = time(NULL);
	strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
	size_t page = (size_t)page_rows();
	if (sc->offset + page > s->nrows)
		sc->offset = s->nrows > page ? s->nrows - page : 0;
	erase();
	snprintf(line, sizeof(line),
		 "vz top %s  %zu running, %zu shown%s%s  sort %s%s  every %.1f s  %s", clock,
		 s->running, s->nrows, s->o.filter[0] ? "  filter " : "", s->o.filter,
		 top_sort_name(s->o.sort), s->o.reverse ? " (reversed)" : "", s->o.delay,
		 sc->status[0] ? sc->status : "q quit, ? keys");
	mvaddnstr(0, 0, line, COLS);
	int w = top_name_width(s);
	top_format_header(line, sizeof(line), w);
	attron(A_REVERSE);
	mvaddnstr(1, 0, line, COLS);
	for (int x = (int)strlen(line); x < COLS; x++)
		addch(' ');
	attroff(A_REVERSE);
	for (size_t k = 0; k < page && sc->offset + k < s->nrows; k++) {
		top_format_row(&s->rows[sc->offset + k], line, sizeof(line), w);
		mvaddnstr(2 + (int)k, 0, line, COLS);
	}
	refresh();
}

static void help(void)
{
	static const char *const lines[] = {
		"vz top keys",
		"",
		"  c  sort by CPU %          m  by memory       n  by name",
		"  p  by pids                i  by I/O rate     r  reverse the order",
		"  /  filter names (glob, or a substring; empty: none)",
		"  Up/Down, PgUp/PgDn, Home/End   scroll",
		"  space  refresh now        q  quit",
		"",
		"any key returns",
	};
	erase();
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		mvaddnstr((int)k, 0, lines[k], COLS);
	refresh();
	timeout(-1);
	getch();
}

static void prompt_filter(struct screen *sc)
{
	char buf[sizeof(sc->s->o.filter)];
	move(LINES - 1, 0);
	clrtoeol();
	addstr("filter: ");
	echo();
	curs_set(1);
	timeout(-1);
	if (getnstr(buf, (int)sizeof(buf) - 1) == OK) {
		strcpy(sc->s->o.filter, buf);
		sc->offset = 0;
	}
	noecho();
	curs_set(0);
}

static void scroll_by(struct screen *sc, long d)
{
	long o = (long)sc->offset + d;
	sc->offset = o < 0 ? 0 : (size_t)o; /* draw() clamps the far end */
}

/* A key: 1 = quit, 0 = go on (rows rebuilt if the order changed). */
static int key(struct screen *sc, int ch, uint64_t *next)
{
	struct top_opts *o = &sc->s->o;
	enum top_sort sorts[] = { ['c'] = TOP_SORT_CPU, ['m'] = TOP_SORT_MEMORY,
				  ['n'] = TOP_SORT_NAME, ['p'] = TOP_SORT_PIDS, ['i'] = TOP_SORT_IO };
	switch (ch) {
	case 'q': case 'Q':
		return 1;
	case 'c': case 'm': case 'n': case 'p': case 'i':
		o->sort = sorts[ch];
		break;
	case 'r':
		o->reverse = !o->reverse;
		break;
	case '/':
		prompt_filter(sc);
		break;
	case '?': case 'h':
		help();
		break;
	case ' ':
		*next = 0;
		return 0;
	case KEY_UP: case 'k': scroll_by(sc, -1); return 0;
	case KEY_DOWN: case 'j': scroll_by(sc, 1); return 0;
	case KEY_PPAGE: scroll_by(sc, -page_rows()); return 0;
	case KEY_NPAGE: scroll_by(sc, page_rows()); return 0;
	case KEY_HOME: sc->offset = 0; return 0;
	case KEY_END: sc->offset = (size_t)-1 / 2; return 0;
	default:
		return 0; /* KEY_RESIZE too: LINES and COLS are new, draw() uses them */
	}
	(void)top_rows(sc->s);
	return 0;
}

int top_screen_run(struct top_state *s)
{
	struct screen sc = { .s = s };
	vz_err err = { 0 };
	/* One sample before the screen exists: an error reads as plain text. */
	int r = top_sample(s, &err);
	if (r < 0)
		return r;
	if (!initscr())
		return -ENOTTY;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	/* The first rates after 0.5 s, so CPU % shows up quickly. */
	uint64_t next = top_now_ns() + (uint64_t)(MIN(s->o.delay, 0.5) * 1e9);
	for (;;) {
		uint64_t now = top_now_ns();
		if (now >= next) {
			err = (vz_err){ 0 };
			sc.status[0] = 0;
			if (top_sample(s, &err) < 0)
				snprintf(sc.status, sizeof(sc.status), "refresh failed: %.100s", err.msg);
			now = top_now_ns();
			next = now + (uint64_t)(s->o.delay * 1e9);
		}
		draw(&sc);
		timeout((int)((next - now + 999999) / 1000000));
		int ch = getch();
		if (ch != ERR && key(&sc, ch, &next))
			break;
	}
	endwin();
	return 0;
}
