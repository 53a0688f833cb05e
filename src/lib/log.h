/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h: the debug log. Library code never prints to the user; it may leave
 * a trace here. The log goes to one fd (stderr for commands run with
 * --log-level, the monitor's log file for the monitor) at one level; that
 * pair is the only process-wide logging state and is set once at startup.
 */
#pragma once

#include "macro.h"

enum vz_log_level {
	VZ_LOG_ERROR,
	VZ_LOG_WARN,
	VZ_LOG_INFO,
	VZ_LOG_DEBUG,
};

void vz_log_setup(int fd, enum vz_log_level level, const char *ident);
enum vz_log_level vz_log_get_level(void);
/* Parse "error", "warn", "info", "debug"; -EINVAL otherwise. */
int vz_log_level_from_string(const char *s);

void vz_log(enum vz_log_level level, const char *fmt, ...) _printf_(2, 3);

#define log_debug(...) vz_log(VZ_LOG_DEBUG, __VA_ARGS__)
#define log_info(...) vz_log(VZ_LOG_INFO, __VA_ARGS__)
#define log_warn(...) vz_log(VZ_LOG_WARN, __VA_ARGS__)
#define log_error(...) vz_log(VZ_LOG_ERROR, __VA_ARGS__)
