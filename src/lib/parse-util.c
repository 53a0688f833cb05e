/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse-util.c: value syntaxes of config files and the command line (see
 * parse-util.h). Pure functions.
 */
#include <ctype.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "parse-util.h"

/* A decimal number with an optional fraction: "12", "1.5". Leading sign,
 * spaces and exponents are refused. *end points after the number. */
static int parse_decimal(const char *s, double *ret, const char **end)
{
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	char buf[64];
	if ((size_t)(p - s) >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, s, p - s);
	buf[p - s] = 0;
	errno = 0;
	char *e;
	double v = strtod(buf, &e);
	if (errno || *e)
		return -ERANGE;
	*ret = v;
	*end = p;
	return 0;
}

int parse_u64(const char *s, uint64_t *ret)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int parse_keyed_u64(const char *text, const char *key, uint64_t *ret)
{
	size_t len = strlen(key);
	for (const char *p = text; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (strncmp(p, key, len) != 0 || p[len] != ' ')
			continue;
		const char *v = p + len + 1;
		size_t n = strcspn(v, "\n");
		char buf[32];
		if (n == 0 || n >= sizeof(buf))
			return n ? -ERANGE : -EINVAL;
		memcpy(buf, v, n);
		buf[n] = 0;
		return parse_u64(buf, ret);
	}
	return -ENOENT;
}

int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v;
	int r = parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int parse_int(const char *s, int *ret)
{
	if (!s)
		return -EINVAL;
	bool neg = *s == '-';
	uint64_t v;
	int r = parse_u64(neg ? s + 1 : s, &v);
	if (r < 0)
		return r;
	if (neg ? v > (uint64_t)INT32_MAX + 1 : v > INT32_MAX)
		return -ERANGE;
	*ret = neg ? (int)(-(int64_t)v) : (int)v;
	return 0;
}

int parse_double(const char *s, double *ret)
{
	if (!s)
		return -EINVAL;
	const char *end;
	double v;
	int r = parse_decimal(s, &v, &end);
	if (r < 0)
		return r;
	if (*end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "true", "yes", "1", "on" };
	static const char *const no[] = { "false", "no", "0", "off" };
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_size(const char *s, uint64_t *ret)
{
	if (!s)
		return -EINVAL;
	const char *end;
	double v;
	int r = parse_decimal(s, &v, &end);
	if (r < 0)
		return r;
	bool fraction = strchr(s, '.') && strchr(s, '.') < end;
	static const struct {
		char c;
		unsigned shift;
	} units[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 }, { 'P', 50 }, { 'E', 60 } };
	unsigned shift = 0;
	if (*end) {
		size_t i;
		for (i = 0; i < ELEMENTSOF(units); i++)
			if (toupper((unsigned char)*end) == units[i].c)
				break;
		if (i == ELEMENTSOF(units)) {
			if (toupper((unsigned char)*end) != 'B' || end[1])
				return -EINVAL;
		} else {
			shift = units[i].shift;
			const char *rest = end + 1;
			if (*rest && strcasecmp(rest, "B") != 0 && strcasecmp(rest, "iB") != 0)
				return -EINVAL;
		}
	}
	if (!fraction && shift == 0) {
		char buf[32];
		if ((size_t)(end - s) >= sizeof(buf))
			return -ERANGE;
		memcpy(buf, s, end - s);
		buf[end - s] = 0;
		return parse_u64(buf, ret);
	}
	if (!fraction) {
		char buf[32];
		if ((size_t)(end - s) >= sizeof(buf))
			return -ERANGE;
		memcpy(buf, s, end - s);
		buf[end - s] = 0;
		uint64_t n;
		r = parse_u64(buf, &n);
		if (r < 0)
			return r;
		if (n > (UINT64_MAX >> shift))
			return -ERANGE;
		*ret = n << shift;
		return 0;
	}
	double bytes = v * (double)(UINT64_C(1) << shift);
	if (bytes >= 18446744073709551616.0)
		return -ERANGE;
	*ret = (uint64_t)(bytes + 0.5);
	return 0;
}

int parse_rate(const char *s, uint64_t *bps)
{
	if (!s)
		return -EINVAL;
	const char *end;
	double v;
	int r = parse_decimal(s, &v, &end);
	if (r < 0)
		return r;
	if (!*end) {
		/* a plain number is bits per second, as the config's integer
		 * form (tc(8) would read bytes: vz never passes it on as text) */
		if (v >= 18446744073709551616.0)
			return -ERANGE;
		*bps = (uint64_t)(v + 0.5);
		return 0;
	}
	static const struct {
		const char *unit;
		double mult;
	} units[] = {
		{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 }, { "tbit", 1e12 },
		{ "kibit", 1024.0 }, { "mibit", 1048576.0 }, { "gibit", 1073741824.0 },
		{ "tibit", 1099511627776.0 },
		{ "bps", 8 }, { "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 }, { "tbps", 8e12 },
		{ "kibps", 8 * 1024.0 }, { "mibps", 8 * 1048576.0 }, { "gibps", 8 * 1073741824.0 },
		{ "tibps", 8 * 1099511627776.0 },
	};
	for (size_t i = 0; i < ELEMENTSOF(units); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		double b = v * units[i].mult;
		if (b >= 18446744073709551616.0)
			return -ERANGE;
		*bps = (uint64_t)(b + 0.5);
		return 0;
	}
	return -EINVAL;
}

const char *format_rate(uint64_t bps, char buf[static 24])
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = { { "tbit", UINT64_C(1000000000000) }, { "gbit", 1000000000 }, { "mbit", 1000000 }, { "kbit", 1000 } };
	for (size_t i = 0; i < ELEMENTSOF(units); i++) {
		if (bps < units[i].mult)
			continue;
		if (bps % units[i].mult == 0)
			snprintf(buf, 24, "%" PRIu64 "%s", bps / units[i].mult, units[i].unit);
		else
			snprintf(buf, 24, "%.4g%s", (double)bps / (double)units[i].mult, units[i].unit);
		return buf;
	}
	snprintf(buf, 24, "%" PRIu64 "bit", bps);
	return buf;
}

int parse_duration_ms(const char *s, uint64_t *ret)
{
	if (!s)
		return -EINVAL;
	const char *end;
	double v;
	int r = parse_decimal(s, &v, &end);
	if (r < 0)
		return r;
	double mult;
	if (!*end || streq(end, "s") || streq(end, "sec"))
		mult = 1000;
	else if (streq(end, "ms"))
		mult = 1;
	else if (streq(end, "m") || streq(end, "min"))
		mult = 60 * 1000;
	else if (streq(end, "h"))
		mult = 3600 * 1000;
	else
		return -EINVAL;
	double ms = v * mult;
	if (ms >= 9.2e18)
		return -ERANGE;
	*ret = (uint64_t)(ms + 0.5);
	return 0;
}

/* ------------------------------------------------------------- signals */

static const char *const signal_names[] = {
	[SIGHUP] = "HUP",   [SIGINT] = "INT",	  [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",	  [SIGBUS] = "BUS",   [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1",	  [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM",	  [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT",	  [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU",	  [SIGURG] = "URG",   [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO",	    [SIGPWR] = "PWR",	  [SIGSYS] = "SYS",
};

int parse_signal(const char *s, int *ret)
{
	if (!s || !*s)
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		int n;
		if (parse_int(s, &n) < 0 || n < 1 || n > SIGRTMAX)
			return -EINVAL;
		*ret = n;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 1; i < ELEMENTSOF(signal_names); i++)
		if (signal_names[i] && strcasecmp(s, signal_names[i]) == 0) {
			*ret = (int)i;
			return 0;
		}
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		int off = 0;
		if (s[5] == '+') {
			if (parse_int(s + 6, &off) < 0)
				return -EINVAL;
		} else if (s[5])
			return -EINVAL;
		if (off < 0 || off > SIGRTMAX - SIGRTMIN)
			return -EINVAL;
		*ret = SIGRTMIN + off;
		return 0;
	}
	if (strncasecmp(s, "RTMAX", 5) == 0) {
		int off = 0;
		if (s[5] == '-') {
			if (parse_int(s + 6, &off) < 0)
				return -EINVAL;
		} else if (s[5])
			return -EINVAL;
		if (off < 0 || off > SIGRTMAX - SIGRTMIN)
			return -EINVAL;
		*ret = SIGRTMAX - off;
		return 0;
	}
	return -EINVAL;
}

const char *signal_to_string(int sig, char buf[static 16])
{
	if (sig > 0 && (size_t)sig < ELEMENTSOF(signal_names) && signal_names[sig]) {
		snprintf(buf, 16, "SIG%s", signal_names[sig]);
		return buf;
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		if (sig == SIGRTMIN)
			snprintf(buf, 16, "SIGRTMIN");
		else
			snprintf(buf, 16, "SIGRTMIN+%d", sig - SIGRTMIN);
		return buf;
	}
	return NULL;
}

/* --------------------------------------------------------- capabilities */

static const char *const cap_names[] = {
	[CAP_CHOWN] = "chown",
	[CAP_DAC_OVERRIDE] = "dac_override",
	[CAP_DAC_READ_SEARCH] = "dac_read_search",
	[CAP_FOWNER] = "fowner",
	[CAP_FSETID] = "fsetid",
	[CAP_KILL] = "kill",
	[CAP_SETGID] = "setgid",
	[CAP_SETUID] = "setuid",
	[CAP_SETPCAP] = "setpcap",
	[CAP_LINUX_IMMUTABLE] = "linux_immutable",
	[CAP_NET_BIND_SERVICE] = "net_bind_service",
	[CAP_NET_BROADCAST] = "net_broadcast",
	[CAP_NET_ADMIN] = "net_admin",
	[CAP_NET_RAW] = "net_raw",
	[CAP_IPC_LOCK] = "ipc_lock",
	[CAP_IPC_OWNER] = "ipc_owner",
	[CAP_SYS_MODULE] = "sys_module",
	[CAP_SYS_RAWIO] = "sys_rawio",
	[CAP_SYS_CHROOT] = "sys_chroot",
	[CAP_SYS_PTRACE] = "sys_ptrace",
	[CAP_SYS_PACCT] = "sys_pacct",
	[CAP_SYS_ADMIN] = "sys_admin",
	[CAP_SYS_BOOT] = "sys_boot",
	[CAP_SYS_NICE] = "sys_nice",
	[CAP_SYS_RESOURCE] = "sys_resource",
	[CAP_SYS_TIME] = "sys_time",
	[CAP_SYS_TTY_CONFIG] = "sys_tty_config",
	[CAP_MKNOD] = "mknod",
	[CAP_LEASE] = "lease",
	[CAP_AUDIT_WRITE] = "audit_write",
	[CAP_AUDIT_CONTROL] = "audit_control",
	[CAP_SETFCAP] = "setfcap",
	[CAP_MAC_OVERRIDE] = "mac_override",
	[CAP_MAC_ADMIN] = "mac_admin",
	[CAP_SYSLOG] = "syslog",
	[CAP_WAKE_ALARM] = "wake_alarm",
	[CAP_BLOCK_SUSPEND] = "block_suspend",
	[CAP_AUDIT_READ] = "audit_read",
	[38] = "perfmon",
	[39] = "bpf",
	[40] = "checkpoint_restore",
};

int cap_last_known(void) { return (int)ELEMENTSOF(cap_names) - 1; }

int parse_cap(const char *s, int *ret)
{
	if (!s)
		return -EINVAL;
	if (strncasecmp(s, "cap_", 4) == 0)
		s += 4;
	for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
		if (cap_names[i] && strcasecmp(s, cap_names[i]) == 0) {
			*ret = (int)i;
			return 0;
		}
	return -EINVAL;
}

const char *cap_to_string(int cap)
{
	if (cap < 0 || (size_t)cap >= ELEMENTSOF(cap_names))
		return NULL;
	return cap_names[cap];
}

/* ------------------------------------------------------------ formatting */

const char *format_size(uint64_t v, char buf[static 16])
{
	static const char units[] = "KMGTPE";
	if (v < 1024) {
		snprintf(buf, 16, "%" PRIu64, v);
		return buf;
	}
	unsigned i = 0;
	uint64_t div = 1024;
	while (i + 1 < sizeof(units) - 1 && v / div >= 1024) {
		div <<= 10;
		i++;
	}
	if (v % div == 0)
		snprintf(buf, 16, "%" PRIu64 "%c", v / div, units[i]);
	else {
		double d = (double)v / (double)div;
		if (d < 10)
			snprintf(buf, 16, "%.1f%c", d, units[i]);
		else
			snprintf(buf, 16, "%.0f%c", d, units[i]);
	}
	return buf;
}

const char *format_duration_ms(uint64_t ms, char buf[static 24])
{
	if (ms == 0) {
		snprintf(buf, 24, "0s");
	} else if (ms % 1000 != 0 && ms < 60000) {
		if (ms < 1000)
			snprintf(buf, 24, "%" PRIu64 "ms", ms);
		else
			snprintf(buf, 24, "%" PRIu64 ".%03" PRIu64 "s", ms / 1000, ms % 1000);
	} else {
		uint64_t s = ms / 1000;
		uint64_t h = s / 3600, m = (s / 60) % 60, sec = s % 60;
		int n = 0;
		buf[0] = 0;
		if (h)
			n += snprintf(buf + n, 24 - n, "%" PRIu64 "h", h);
		if (m)
			n += snprintf(buf + n, 24 - n, "%" PRIu64 "m", m);
		if (sec || n == 0)
			snprintf(buf + n, 24 - n, "%" PRIu64 "s", sec);
	}
	return buf;
}

int passwd_find(char *text, const char *name, uint32_t uid, char *f[static 7])
{
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* name:password:uid:gid:gecos:home:shell */
		char *p = line;
		int i;
		for (i = 0; i < 7 && p; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		uint32_t u;
		if (i < 7 || parse_u32(f[2], &u) < 0)
			continue;
		if (name ? streq(f[0], name) : u == uid)
			return 0;
	}
	return -ENOENT;
}

int vz_uid_list_has(const char *list, uid_t uid)
{
	int found = 0;
	for (const char *p = list; p && *p;) {
		p += strspn(p, " ,\t");
		if (!*p)
			break;
		size_t n = strcspn(p, " ,\t");
		char buf[16];
		uint32_t v;
		if (n >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, p, n);
		buf[n] = 0;
		if (parse_u32(buf, &v) < 0 || v == UINT32_MAX)
			return -EINVAL;
		if ((uid_t)v == uid)
			found = 1;
		p += n;
	}
	return found;
}

/* ------------------------------------------------------- device rules */

static int dev_number(const char *s, const char *what, uint32_t max, int32_t *ret, char *why,
		      size_t len)
{
	uint32_t v;
	if (streq(s, "*")) {
		*ret = -1;
		return 0;
	}
	int r = parse_u32(s, &v);
	if (r == -EINVAL)
		return snprintf(why, len, "%s '%s' is not a number or '*'", what, s), -EINVAL;
	if (r < 0 || v > max)
		return snprintf(why, len, "%s %s is out of range (0..%" PRIu32 ")", what, s, max),
		       -ERANGE;
	*ret = (int32_t)v;
	return 0;
}

int parse_dev_rule(const char *s, struct vz_dev_rule *ret, char *why, size_t len)
{
	static const char syntax[] = "expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\"";
	char tok[3][24];
	int n = 0;
	for (const char *p = s + strspn(s, " \t"); *p; p += strspn(p, " \t")) {
		size_t k = strcspn(p, " \t");
		if (n == 3 || k >= sizeof(tok[0]))
			return snprintf(why, len, "%s", syntax), -EINVAL;
		memcpy(tok[n], p, k);
		tok[n++][k] = 0;
		p += k;
	}
	if (n == 0)
		return snprintf(why, len, "empty entry (%s)", syntax), -EINVAL;
	struct vz_dev_rule d = { .major = -1, .minor = -1, .access = VZ_DEV_RWM };
	if (streq(tok[0], "c") || streq(tok[0], "b") || streq(tok[0], "a"))
		d.type = tok[0][0];
	else
		return snprintf(why, len, "type '%s' is not c (character), b (block) or a (all)",
				tok[0]), -EINVAL;
	if (d.type == 'a' && (n == 1 || (n == 3 && streq(tok[1], "*:*") && streq(tok[2], "rwm")))) {
		*ret = d;
		return 0;
	}
	if (d.type == 'a')
		return snprintf(why, len, "type 'a' means every device: write \"a\" or \"a *:* rwm\""),
		       -EINVAL;
	if (n != 3)
		return snprintf(why, len, "%s", syntax), -EINVAL;
	char *colon = strchr(tok[1], ':');
	if (!colon)
		return snprintf(why, len, "'%s' is not MAJOR:MINOR", tok[1]), -EINVAL;
	*colon = 0;
	/* Linux's dev_t: 12 bits of major, 20 of minor. */
	int r = dev_number(tok[1], "major", 4095, &d.major, why, len);
	if (r >= 0)
		r = dev_number(colon + 1, "minor", 1048575, &d.minor, why, len);
	if (r < 0)
		return r;
	d.access = 0;
	for (const char *a = tok[2]; *a; a++) {
		unsigned bit = *a == 'r' ? VZ_DEV_READ : *a == 'w' ? VZ_DEV_WRITE
						      : *a == 'm' ? VZ_DEV_MKNOD : 0;
		if (!bit)
			return snprintf(why, len, "access '%s' is not made of r, w and m", tok[2]),
			       -EINVAL;
		if (d.access & bit)
			return snprintf(why, len, "access '%s' repeats '%c'", tok[2], *a), -EINVAL;
		d.access |= bit;
	}
	*ret = d;
	return 0;
}

const char *format_dev_rule(const struct vz_dev_rule *d, char buf[static 32])
{
	if (d->type == 'a') {
		snprintf(buf, 32, "a");
		return buf;
	}
	char maj[12] = "*", min[12] = "*";
	if (d->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId32, d->major);
	if (d->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId32, d->minor);
	snprintf(buf, 32, "%c %s:%s %s%s%s", d->type, maj, min, d->access & VZ_DEV_READ ? "r" : "",
		 d->access & VZ_DEV_WRITE ? "w" : "", d->access & VZ_DEV_MKNOD ? "m" : "");
	return buf;
}

int vz_parse_cpu_list(const char *s, unsigned *count)
{
	enum { MAX = 8192 };
	_Static_assert(MAX % 64 == 0, "whole words");
	uint64_t seen[MAX / 64] = { 0 };
	unsigned n = 0;
	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s;;) {
		char *end;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (a >= MAX)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				return -EINVAL;
			b = strtoul(p + 1, &end, 10);
			if (b >= MAX || b < a)
				return -EINVAL;
			p = end;
		}
		for (unsigned long i = a; i <= b; i++)
			if (!(seen[i / 64] & (1ULL << (i % 64)))) {
				seen[i / 64] |= 1ULL << (i % 64);
				n++;
			}
		if (!*p)
			break;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
	if (count)
		*count = n;
	return 0;
}

int vz_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
