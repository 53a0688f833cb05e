/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync.h: the named steps between the monitor (parent) and the container
 * child during a start, over a SOCK_SEQPACKET socketpair. Every record is a
 * step number and a vz_err (plain data), optionally with fds attached:
 *
 *   parent                                   child
 *   maps written, child in its cgroups,
 *   idmapped lower layer made  -- MAPPED (+lower mount fd) -->
 *                                            rootfs, mounts, /dev, pivot_root,
 *                                            hostname, loopback, capabilities
 *                              <-- READY ---
 *                              --- EXEC --->
 *                                            execve(init); the socket is
 *                                            O_CLOEXEC, so success = EOF
 *                              <-- ERROR (vz_err) -- at any failing step
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum vz_sync_step {
	VZ_SYNC_MAPPED = 1,
	VZ_SYNC_READY,
	VZ_SYNC_EXEC,
	VZ_SYNC_ERROR,
};

int vz_sync_send(int fd, enum vz_sync_step step, const vz_err *err, const int *fds, size_t nfds);
/* Receive the next record and expect `step`. An ERROR record fills err and
 * returns its -code; EOF returns -ECONNRESET (err: "<what> ended before
 * step ..."); any other step is -EPROTO. */
int vz_sync_expect(int fd, enum vz_sync_step step, int *fds, size_t *nfds, vz_err *err);
/* After EXEC: 0 when the socket closes (execve succeeded; the child's end is
 * O_CLOEXEC), the child's error otherwise. */
int vz_sync_wait_exec(int fd, vz_err *err);
