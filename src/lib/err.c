/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * err.c: building vz_err messages. Runs in every process. Messages are
 * truncated, never overflowed; a truncated message ends in "...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static void mark_truncated(vz_err *err, int n)
{
	if (n >= (int)sizeof(err->msg))
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
}

static int vfail(vz_err *err, int errnum, bool with_strerror, const char *fmt, va_list ap)
{
	if (errnum < 0)
		errnum = -errnum;
	if (errnum == 0)
		errnum = EINVAL;
	if (!err)
		return -errnum;

	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n < 0)
		n = 0, err->msg[0] = 0;
	if (with_strerror && n < (int)sizeof(err->msg))
		n += snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
	mark_truncated(err, n);
	err->code = errnum;
	return -errnum;
}

int vz_fail(vz_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfail(err, errnum, true, fmt, ap);
	va_end(ap);
	return r;
}

int vz_failx(vz_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfail(err, errnum, false, fmt, ap);
	va_end(ap);
	return r;
}

void vz_err_prefix(vz_err *err, const char *fmt, ...)
{
	if (!vz_err_set(err))
		return;

	char prefix[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);

	char old[VZ_ERR_MAX];
	memcpy(old, err->msg, sizeof(old));
	int n = snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	mark_truncated(err, n);
}

int vz_err_ensure(vz_err *err, int errnum)
{
	if (errnum < 0)
		errnum = -errnum;
	if (errnum == 0)
		errnum = EINVAL;
	if (err && !vz_err_set(err))
		return vz_failx(err, errnum, "%s", strerror(errnum));
	return -errnum;
}
