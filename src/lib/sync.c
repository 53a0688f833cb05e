/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync.c: monitor <-> container child start steps (see sync.h). Runs in the
 * monitor and in the child between clone3 and execve.
 */
#include <stdio.h>

#include "fd-util.h"
#include "sync.h"

struct sync_record {
	uint32_t step;
	vz_err err;
};

static const char *const step_names[] = {
	[VZ_SYNC_MAPPED] = "MAPPED",
	[VZ_SYNC_READY] = "READY",
	[VZ_SYNC_EXEC] = "EXEC",
	[VZ_SYNC_ERROR] = "ERROR",
};

int vz_sync_send(int fd, enum vz_sync_step step, const vz_err *err, const int *fds, size_t nfds)
{
	struct sync_record rec = { .step = step };
	if (err)
		rec.err = *err;
	return send_with_fds(fd, &rec, sizeof(rec), fds, nfds);
}

int vz_sync_expect(int fd, enum vz_sync_step step, int *fds, size_t *nfds, vz_err *err)
{
	struct sync_record rec;
	ssize_t n = recv_with_fds(fd, &rec, sizeof(rec), fds, nfds);
	if (n < 0)
		return vz_fail(err, (int)n, "sync: waiting for %s", step_names[step]);
	if (n == 0)
		return vz_failx(err, ECONNRESET, "the other side exited before step %s",
				step_names[step]);
	if ((size_t)n != sizeof(rec))
		return vz_failx(err, EPROTO, "sync: short record (%zd bytes)", n);
	if (rec.step == VZ_SYNC_ERROR) {
		rec.err.msg[sizeof(rec.err.msg) - 1] = 0;
		if (err)
			*err = rec.err;
		return -(rec.err.code > 0 ? rec.err.code : EIO);
	}
	if (rec.step != step)
		return vz_failx(err, EPROTO, "sync: expected step %s, got %u", step_names[step],
				rec.step);
	return 0;
}

int vz_sync_wait_exec(int fd, vz_err *err)
{
	struct sync_record rec;
	ssize_t n = recv_with_fds(fd, &rec, sizeof(rec), NULL, NULL);
	if (n == 0)
		return 0;
	if (n < 0)
		return vz_fail(err, (int)n, "sync: waiting for exec");
	if ((size_t)n == sizeof(rec) && rec.step == VZ_SYNC_ERROR) {
		rec.err.msg[sizeof(rec.err.msg) - 1] = 0;
		if (err)
			*err = rec.err;
		return -(rec.err.code > 0 ? rec.err.code : EIO);
	}
	return vz_failx(err, EPROTO, "sync: unexpected record while waiting for exec");
}
