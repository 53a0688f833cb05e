/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-err: building vz_err messages.
 */
#include <stdio.h>

#include "err.h"
#include "tap.h"

int main(void)
{
	vz_err e = { 0 };
	is_int(vz_fail(&e, ENOENT, "open '%s'", "/x"), -ENOENT, "vz_fail returns -errno");
	is_str(e.msg, "open '/x': No such file or directory", "vz_fail appends strerror");
	is_int(e.code, ENOENT, "code is the positive errno");
	is_int(vz_fail(&e, -EACCES, "mount"), -EACCES, "a negative errnum is accepted");
	is_str(e.msg, "mount: Permission denied", "... and described");
	is_int(vz_failx(&e, 0, "bad key"), -EINVAL, "errnum 0 becomes EINVAL");
	is_str(e.msg, "bad key", "vz_failx adds no strerror");
	vz_err_prefix(&e, "config");
	vz_err_prefix(&e, "%s", "start");
	is_str(e.msg, "start: config: bad key", "prefixes chain outermost first");
	vz_err_clear(&e);
	ok(!vz_err_set(&e), "cleared");
	vz_err_prefix(&e, "nothing");
	is_str(e.msg, "", "prefix of an unset error does nothing");
	is_int(vz_err_ensure(&e, EIO), -EIO, "ensure fills an unset error");
	is_str(e.msg, "Input/output error", "... with strerror");
	vz_failx(&e, EPERM, "kept");
	vz_err_ensure(&e, EIO);
	is_str(e.msg, "kept", "ensure keeps an existing message");
	is_int(vz_fail(NULL, EBUSY, "x"), -EBUSY, "NULL err is accepted");
	vz_err_prefix(NULL, "x");

	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	vz_failx(&e, EINVAL, "%s", big);
	is_int(strlen(e.msg), VZ_ERR_MAX - 1, "long messages are truncated to the buffer");
	is_str(e.msg + VZ_ERR_MAX - 4, "...", "... and end in '...'");
	vz_failx(&e, EINVAL, "%.1020s", big);
	vz_err_prefix(&e, "prefix");
	is_str(e.msg + VZ_ERR_MAX - 4, "...", "prefixing a full message truncates too");
	ok(strncmp(e.msg, "prefix: xxx", 11) == 0, "... keeping the prefix");
	return tap_done();
}
