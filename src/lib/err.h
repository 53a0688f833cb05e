/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * err.h: the error contract. A function that can fail returns >= 0 on success
 * and -errno on failure. Failures a user must understand also fill a vz_err,
 * passed last, which is plain data: the container child sends it over the
 * sync socket and the monitor sends it to the client unchanged. Library code
 * never prints; the command prints the message once.
 */
#pragma once

#include <stddef.h>

#include "macro.h"

#define VZ_ERR_MAX 1024

typedef struct vz_err {
	int code;            /* positive errno, 0 when no error is set */
	char msg[VZ_ERR_MAX]; /* "context: detail[: strerror]" */
} vz_err;

/* Set err to "<fmt>: <strerror(errnum)>" and return -|errnum|. err may be NULL.
 * errnum may be given positive or negative; 0 is taken as EINVAL. */
int vz_fail(vz_err *err, int errnum, const char *fmt, ...) _printf_(3, 4);

/* Like vz_fail() but the message is complete as given (no strerror appended):
 * for messages such as "unknown key 'x'" where the errno text adds nothing. */
int vz_failx(vz_err *err, int errnum, const char *fmt, ...) _printf_(3, 4);

/* Prepend "<prefix>: " to the message already in err (no-op if err is NULL or
 * unset). */
void vz_err_prefix(vz_err *err, const char *fmt, ...) _printf_(2, 3);

/* Fill err from errnum alone ("<strerror>") if a callee failed without
 * filling it; returns -|errnum|. */
int vz_err_ensure(vz_err *err, int errnum);

static inline void vz_err_clear(vz_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = 0;
	}
}
static inline bool vz_err_set(const vz_err *err) { return err && err->code != 0; }
