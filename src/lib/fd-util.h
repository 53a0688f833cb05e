/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fd-util.h: file-descriptor helpers: full reads/writes, passing fds over
 * unix sockets (SCM_RIGHTS), and thin wrappers for syscalls glibc 2.36 lacks
 * (pidfd_open, pidfd_send_signal, clone3, open_tree, move_mount,
 * mount_setattr).
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

/* Write all of buf, retrying on EINTR/short writes. */
int loop_write(int fd, const void *buf, size_t len);
/* Read exactly len bytes; -EIO on early EOF. */
int loop_read_exact(int fd, void *buf, size_t len);

/* Send one datagram/record with up to nfds fds attached. */
int send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
/* Receive one record; received fds are stored in fds (up to *nfds, updated to
 * the number received, all O_CLOEXEC). Returns the byte count (0 = EOF). */
ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t *nfds);

int fd_cloexec(int fd, bool on);
int fd_nonblock(int fd, bool on);
/* Move fd to number `to` (dup2 + close), clearing O_CLOEXEC on the result. */
int fd_move_to(int fd, int to);
/* Close every fd >= from except those listed. */
int close_all_fds_except(int from, const int *keep, size_t nkeep);

int sys_pidfd_open(pid_t pid, unsigned flags);
int sys_pidfd_send_signal(int pidfd, int sig, unsigned flags);
int sys_open_tree(int dfd, const char *path, unsigned flags);
int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
struct mount_attr;
int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr,
		      size_t size);
struct clone_args;
pid_t sys_clone3(struct clone_args *args, size_t size);
