/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tap.h: a minimal TAP producer for the unit tests. Each check prints
 * "ok N - what" or "not ok N - what" with the file:line and the values that
 * differed; tap_done() prints the plan and returns the exit status.
 */
#pragma once

#include <inttypes.h>
#include <unistd.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

__attribute__((format(printf, 4, 5), unused)) static bool
tap_ok(bool cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failures++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                                     \
	({                                                                                         \
		long long _g = (long long)(got), _w = (long long)(want);                           \
		bool _r = tap_ok(_g == _w, __FILE__, __LINE__, __VA_ARGS__);                       \
		if (!_r)                                                                           \
			printf("#   got %lld, want %lld\n", _g, _w);                                   \
		_r;                                                                                \
	})

#define is_str(got, want, ...)                                                                     \
	({                                                                                         \
		const char *_g = (got), *_w = (want);                                              \
		bool _r = tap_ok(_g && _w ? strcmp(_g, _w) == 0 : _g == _w, __FILE__, __LINE__,   \
				 __VA_ARGS__);                                                     \
		if (!_r)                                                                           \
			printf("#   got '%s'\n#  want '%s'\n", _g ? _g : "(null)",              \
			       _w ? _w : "(null)");                                                \
		_r;                                                                                \
	})

/* Substring check, for error messages. */
#define has_str(got, needle, ...)                                                                  \
	({                                                                                         \
		const char *_g = (got), *_n = (needle);                                            \
		bool _r = tap_ok(_g && strstr(_g, _n), __FILE__, __LINE__, __VA_ARGS__);           \
		if (!_r)                                                                           \
			printf("#   got '%s'\n#  want it to contain '%s'\n", _g ? _g : "(null)", _n); \
		_r;                                                                                \
	})

/* A new directory below $TMPDIR (or /tmp), by its real path (malloc'ed);
 * NULL after a "Bail out!" line naming what failed. */
__attribute__((unused)) static char *tap_tmpdir(const char *what)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/vz-test-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", what);
	char *real = mkdtemp(tmpl) ? realpath(tmpl, NULL) : NULL;
	if (!real)
		printf("Bail out! temporary directory %s: %s\n", tmpl, strerror(errno));
	return real;
}

__attribute__((unused)) static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}
