/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.h: talking to a container's monitor over its control socket.
 * Runs in commands.
 */
#pragma once

#include <stdint.h>

#include "err.h"
#include "paths.h"
#include "proto.h"

/* How long a command waits for a monitor's answer to a request it answers
 * at once (attach). */
#define VZ_CLIENT_TIMEOUT_MS (10 * 1000)

/* -ENOTCONN "container 'x' is not running" when no monitor listens. */
int vz_client_connect(const struct vz_global *g, const char *name, int *ret_fd, vz_err *err);
/* Send req and wait up to timeout_ms for the reply (-ETIMEDOUT then: a
 * command never hangs on a stuck monitor). An ERROR reply returns its -code
 * with err filled from it; fds passed with the reply go to fds/nfds. */
int vz_client_call(int fd, const struct vz_msg *req, uint64_t timeout_ms, struct vz_msg *reply,
		   int *fds, size_t *nfds, vz_err *err);
