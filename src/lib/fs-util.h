/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-util.h: file and directory helpers: whole-file read/write, atomic
 * replace, mkdir -p, rm -rf that never follows symlinks or crosses mounts,
 * path joining.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

/* malloc'ed "a/b" (a single '/' between them). */
char *path_join(const char *a, const char *b);
/* malloc'ed printf result, NULL on ENOMEM. */
char *strdup_printf(const char *fmt, ...) _printf_(1, 2);

/* Read a whole (small) file, NUL-terminated; size without the NUL in *len. */
int read_file(const char *path, char **ret, size_t *len);
int read_file_at(int dfd, const char *path, char **ret, size_t *len);
/* First line, without the trailing newline. */
int read_line_file(const char *path, char **ret);
/* Open with O_WRONLY|O_CLOEXEC|flags, write all of s, close. */
int write_file(const char *path, const char *s, int flags);
int write_file_at(int dfd, const char *path, const char *s, int flags);
/* Write to a temporary file in the same directory, fsync, rename over path. */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode);
/* The same without fsync: for runtime files that need not survive a crash
 * (readers still never see a half-written file). */
int write_file_replace(const char *path, const char *data, size_t len, mode_t mode);

int mkdir_p(const char *path, mode_t mode);
/* Remove path and everything under it; never follows symlinks and refuses
 * to descend into another filesystem (a mount point) with -EBUSY. */
int rm_rf(const char *path);

bool path_exists(const char *path);
bool dir_exists(const char *path);
