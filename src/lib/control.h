/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * control.h: the monitor's control socket run/NAME/control (SOCK_SEQPACKET,
 * mode 0600). Each connection's peer credentials are read with SO_PEERCRED
 * when it is accepted; only root may send requests (issue 4 adds configured
 * console users). Runs in the monitor.
 */
#pragma once

#include <sys/types.h>

#include "err.h"

int vz_control_listen(const char *path, int *ret_fd, vz_err *err);
/* Accept one connection (non-blocking, O_CLOEXEC); the peer's uid and pid. */
int vz_control_accept(int listen_fd, int *ret_fd, uid_t *ret_uid, pid_t *ret_pid);
