/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.c: the debug log sink (see log.h). One write(2) per line so lines
 * from the monitor and its children never interleave mid-line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static struct {
	int fd;
	enum vz_log_level level;
	char ident[32];
} log_cfg = { .fd = -EBADF, .level = VZ_LOG_ERROR };

static const char *const level_names[] = {
	[VZ_LOG_ERROR] = "error",
	[VZ_LOG_WARN] = "warn",
	[VZ_LOG_INFO] = "info",
	[VZ_LOG_DEBUG] = "debug",
};

void vz_log_setup(int fd, enum vz_log_level level, const char *ident)
{
	log_cfg.fd = fd;
	log_cfg.level = level;
	snprintf(log_cfg.ident, sizeof(log_cfg.ident), "%s", ident ? ident : "vz");
}

enum vz_log_level vz_log_get_level(void) { return log_cfg.level; }

int vz_log_level_from_string(const char *s)
{
	for (size_t i = 0; i < ELEMENTSOF(level_names); i++)
		if (streq(s, level_names[i]))
			return (int)i;
	return -EINVAL;
}

void vz_log(enum vz_log_level level, const char *fmt, ...)
{
	if (log_cfg.fd < 0 || level > log_cfg.level)
		return;

	int saved = errno;
	char line[2048];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03ld %s[%d] %s: ", tm.tm_hour,
			 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_cfg.ident, (int)getpid(),
			 level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(log_cfg.fd, line, n);
	errno = saved;
}
