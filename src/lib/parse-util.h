/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse-util.h: parsing the value syntaxes used in config files and on the
 * command line: sizes, durations, bounded integers, signal and capability
 * names, /etc/passwd entries; and the matching formatters. Pure functions,
 * no I/O.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* "1048576", "512K", "256M", "1.5G", "2T", also "256MB"/"256MiB" (all binary,
 * 1K = 1024). Case-insensitive suffix. -EINVAL on syntax, -ERANGE on
 * overflow. Negative numbers are -EINVAL. */
int parse_size(const char *s, uint64_t *ret);
/* A bandwidth in tc's units, into bits per second: "100mbit", "1.5gbit",
 * "512kbit", "10mbps", "2MiBps", "0". Suffixes (case-insensitive):
 * bit, kbit, mbit, gbit, tbit (10^3 steps, bits/s); kibit, mibit, gibit,
 * tibit (2^10 steps, bits/s); bps, kbps, mbps, gbps, tbps (bytes/s, so x8)
 * and kibps, mibps, gibps, tibps. As in tc, "mbit" is 10^6 bits/s and
 * "mbps" 10^6 bytes/s. A plain number is bits/s ("0": no limit); "10M"
 * is refused as ambiguous (bits or bytes?). -EINVAL on syntax, -ERANGE on
 * overflow. The one rate syntax of vz: network[].rate_in/rate_out use it. */
int parse_rate(const char *s, uint64_t *bps);
/* "100mbit", "1.5gbit", "64kbit", "800bit": the shortest exact-enough
 * form of bits/s, for display. */
const char *format_rate(uint64_t bps, char buf[static 24]);
/* "30" (seconds), "30s", "500ms", "2m", "1h", "1.5s". Result in ms. */
int parse_duration_ms(const char *s, uint64_t *ret);
/* Decimal only, whole string, no sign for unsigned; -ERANGE outside the type. */
int parse_u32(const char *s, uint32_t *ret);
int parse_u64(const char *s, uint64_t *ret);
int parse_int(const char *s, int *ret);
int parse_double(const char *s, double *ret);
int parse_bool(const char *s, bool *ret); /* true/false/yes/no/1/0/on/off */
/* The value of key in a text of "key value" lines, as the kernel writes
 * cgroup files such as memory.events, pids.events, cpu.stat and v1's
 * memory.oom_control: 0 and *ret, -ENOENT if no line has that key (a key is
 * matched whole: "oom" is not "oom_kill"), -EINVAL / -ERANGE if its value is
 * not a u64 ("max" is not a count). *ret is untouched on failure. */
int parse_keyed_u64(const char *text, const char *key, uint64_t *ret);

/* "SIGUSR1", "USR1", "usr1", "10", "SIGRTMIN+3", "RTMIN+3". */
int parse_signal(const char *s, int *ret);
/* "SIGUSR1" for 10; "SIGRTMIN+3" for real-time signals; NULL if invalid. */
const char *signal_to_string(int sig, char buf[static 16]);

/* "sys_admin", "SYS_ADMIN", "CAP_SYS_ADMIN", "cap_sys_admin" -> CAP_SYS_ADMIN.
 * -EINVAL for unknown names. */
int parse_cap(const char *s, int *ret);
/* "sys_admin" (lower case, no "cap_" prefix); NULL for unknown numbers. */
const char *cap_to_string(int cap);
/* The highest capability number known to this build. */
int cap_last_known(void);

/* The entry of an /etc/passwd text (split in place) whose name is name or,
 * with name NULL, whose uid is uid: its seven fields in f. vz reads passwd
 * files by hand: the host's NSS modules must not run for a container's
 * file, and a static vz cannot load them. 0, or -ENOENT. */
int passwd_find(char *text, const char *name, uint32_t uid, char *f[static 7]);

/* Human-readable size for display: "0", "512", "12.3K", "256M", "1.5G". */
const char *format_size(uint64_t v, char buf[static 16]);
/* Compact duration for display: "250ms", "30s", "2m", "1h30m". */
const char *format_duration_ms(uint64_t ms, char buf[static 24]);

/* Whether list ("1000 1001" or "1000,1001"; NULL or empty = none) holds uid:
 * 1 or 0; -EINVAL if the list is malformed (pass (uid_t)-1 to validate). */
int vz_uid_list_has(const char *list, uid_t uid);

/* One device rule of "devices.allow", in cgroup v1's devices.allow syntax
 * (LXC's too): "c 10:200 rwm", "b 7:* r", "c *:* m". Type c (character) or
 * b (block), then MAJOR:MINOR, each a number or "*" (any), then access, a
 * non-empty set of r (open for reading), w (writing) and m (mknod). Type a
 * is every device and every access: "a" or "a *:* rwm". Fields are
 * separated by blanks. */
enum { VZ_DEV_READ = 1, VZ_DEV_WRITE = 2, VZ_DEV_MKNOD = 4, VZ_DEV_RWM = 7 };
struct vz_dev_rule {
	char type;       /* 'c', 'b' or 'a' */
	int32_t major;   /* -1 = any */
	int32_t minor;   /* -1 = any */
	unsigned access; /* VZ_DEV_* bits */
};
/* 0, or -EINVAL/-ERANGE with the reason alone in why ("type 'x' is not
 * ..."); *ret is untouched on failure. */
int parse_dev_rule(const char *s, struct vz_dev_rule *ret, char *why, size_t len);
/* The canonical form, as devices.allow takes it: "c 10:200 rwm", "a". */
const char *format_dev_rule(const struct vz_dev_rule *d, char buf[static 32]);

/* A cpuset list ("0-3,6", as cpuset.cpus takes it): numbers below 8192 and
 * ascending ranges, separated by commas, no blanks. Returns 0 and sets
 * *count (may be NULL) to the number of distinct entries, or -EINVAL. */
int vz_parse_cpu_list(const char *s, unsigned *count);

/* Format the reason a value is refused into why (the text after "key 'x': ");
 * returns -EINVAL. */
_printf_(3, 4) int vz_why(char *why, size_t len, const char *fmt, ...);
