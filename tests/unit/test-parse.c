/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-parse: the value syntaxes of parse-util.h (sizes, durations, bounded
 * integers, booleans, signal and capability names, rates) and the formatters.
 */
#include <ctype.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "parse-util.h"
#include "tap.h"

/* r and the value of parse_size(s): the value only when r == 0. */
static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	int r = parse_size(s, &v);
	if (is_int(r, 0, "size '%s' parses", s))
		is_int(v, want, "size '%s' is %" PRIu64, s, want);
}

static void size_bad(const char *s, int want)
{
	uint64_t v = 12345;
	int r = parse_size(s, &v);
	is_int(r, want, "size '%s' is refused with %s", s, want == -ERANGE ? "-ERANGE" : "-EINVAL");
	is_int(v, 12345, "... and the result is untouched");
}

static void test_size(void)
{
	size_ok("0", 0);
	size_ok("1048576", 1048576);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("512K", 512 * 1024);
	size_ok("256M", 256ULL << 20);
	size_ok("1G", 1ULL << 30);
	size_ok("2T", 2ULL << 40);
	size_ok("1P", 1ULL << 50);
	size_ok("15E", 15ULL << 60);
	size_ok("512k", 512 * 1024);
	size_ok("256m", 256ULL << 20);
	size_ok("1g", 1ULL << 30);
	size_ok("256MB", 256ULL << 20);
	size_ok("256MiB", 256ULL << 20);
	size_ok("256mib", 256ULL << 20);
	size_ok("256Mb", 256ULL << 20);
	size_ok("1KB", 1024);
	size_ok("1kib", 1024);
	size_ok("12B", 12);
	size_ok("12b", 12);
	size_ok("1.5G", 1610612736);
	size_ok("1.5g", 1610612736);
	size_ok("1.5GiB", 1610612736);
	size_ok("0.5K", 512);
	size_ok("2.25M", 2359296);
	size_ok("0.1K", 102); /* 102.4 bytes, rounded */
	size_ok("1.5", 2);    /* a fraction of a byte is rounded */
	size_ok("007", 7);

	size_bad("", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("-1K", -EINVAL);
	size_bad("+1", -EINVAL);
	size_bad("lots", -EINVAL);
	size_bad("K", -EINVAL);
	size_bad("1X", -EINVAL);
	size_bad("1KX", -EINVAL);
	size_bad("1Ki", -EINVAL);
	size_bad("1KBB", -EINVAL);
	size_bad("1BB", -EINVAL);
	size_bad("1 K", -EINVAL);
	size_bad(" 1", -EINVAL);
	size_bad("1 ", -EINVAL);
	size_bad("1.", -EINVAL);
	size_bad(".5", -EINVAL);
	size_bad("1.5.5G", -EINVAL);
	size_bad("1e3", -EINVAL);
	size_bad("0x10", -EINVAL);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("99999999999999999999K", -ERANGE);
	size_bad("16E", -ERANGE);
	size_bad("17179869184G", -ERANGE);
	size_bad("16.5E", -ERANGE);
	size_bad("99999999999999999999.5", -ERANGE);
	uint64_t v;
	is_int(parse_size(NULL, &v), -EINVAL, "size NULL is -EINVAL");
}

static void dur_ok(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	int r = parse_duration_ms(s, &v);
	if (is_int(r, 0, "duration '%s' parses", s))
		is_int(v, want, "duration '%s' is %" PRIu64 " ms", s, want);
}

static void dur_bad(const char *s, int want)
{
	uint64_t v = 12345;
	is_int(parse_duration_ms(s, &v), want, "duration '%s' is refused", s);
	is_int(v, 12345, "... and the result is untouched");
}

static void test_duration(void)
{
	dur_ok("0", 0);
	dur_ok("30", 30000);
	dur_ok("30s", 30000);
	dur_ok("30sec", 30000);
	dur_ok("500ms", 500);
	dur_ok("2m", 120000);
	dur_ok("2min", 120000);
	dur_ok("1h", 3600000);
	dur_ok("1.5s", 1500);
	dur_ok("1.5", 1500);
	dur_ok("0.25m", 15000);
	dur_ok("1.5h", 5400000);
	dur_ok("0.5ms", 1); /* rounded */

	dur_bad("", -EINVAL);
	dur_bad("s", -EINVAL);
	dur_bad("-1", -EINVAL);
	dur_bad("-1s", -EINVAL);
	dur_bad("30 s", -EINVAL);
	dur_bad("30S", -EINVAL);
	dur_bad("2d", -EINVAL);
	dur_bad("1h30m", -EINVAL);
	dur_bad("abc", -EINVAL);
	dur_bad("1.s", -EINVAL);
	dur_bad("9999999999999999h", -ERANGE);
	uint64_t v;
	is_int(parse_duration_ms(NULL, &v), -EINVAL, "duration NULL is -EINVAL");
}

static void test_integers(void)
{
	uint32_t u32 = 7;
	uint64_t u64 = 7;
	int i = 7;
	double d = 7;
	bool b;

	ok(parse_u32("0", &u32) == 0 && u32 == 0, "u32 0");
	ok(parse_u32("42", &u32) == 0 && u32 == 42, "u32 42");
	ok(parse_u32("4294967295", &u32) == 0 && u32 == UINT32_MAX, "u32 max");
	u32 = 7;
	is_int(parse_u32("4294967296", &u32), -ERANGE, "u32 max+1 is -ERANGE");
	is_int(parse_u32("99999999999999999999", &u32), -ERANGE, "u32 huge is -ERANGE");
	is_int(parse_u32("-1", &u32), -EINVAL, "u32 -1 is -EINVAL");
	is_int(parse_u32("+1", &u32), -EINVAL, "u32 +1 is -EINVAL");
	is_int(parse_u32("", &u32), -EINVAL, "u32 '' is -EINVAL");
	is_int(parse_u32(" 1", &u32), -EINVAL, "u32 ' 1' is -EINVAL");
	is_int(parse_u32("1 ", &u32), -EINVAL, "u32 '1 ' is -EINVAL");
	is_int(parse_u32("1x", &u32), -EINVAL, "u32 '1x' is -EINVAL");
	is_int(parse_u32("0x10", &u32), -EINVAL, "u32 hex is -EINVAL");
	is_int(parse_u32(NULL, &u32), -EINVAL, "u32 NULL is -EINVAL");
	is_int(u32, 7, "u32 untouched by failures");

	ok(parse_u64("18446744073709551615", &u64) == 0 && u64 == UINT64_MAX, "u64 max");
	ok(parse_u64("0", &u64) == 0 && u64 == 0, "u64 0");
	u64 = 7;
	is_int(parse_u64("18446744073709551616", &u64), -ERANGE, "u64 max+1 is -ERANGE");
	is_int(parse_u64("18446744073709551620", &u64), -ERANGE, "u64 max+5 is -ERANGE");
	is_int(parse_u64("-0", &u64), -EINVAL, "u64 -0 is -EINVAL");
	is_int(parse_u64("1.5", &u64), -EINVAL, "u64 1.5 is -EINVAL");
	is_int(u64, 7, "u64 untouched by failures");

	ok(parse_int("0", &i) == 0 && i == 0, "int 0");
	ok(parse_int("-5", &i) == 0 && i == -5, "int -5");
	ok(parse_int("2147483647", &i) == 0 && i == INT32_MAX, "int max");
	ok(parse_int("-2147483648", &i) == 0 && i == INT32_MIN, "int min");
	i = 7;
	is_int(parse_int("2147483648", &i), -ERANGE, "int max+1 is -ERANGE");
	is_int(parse_int("-2147483649", &i), -ERANGE, "int min-1 is -ERANGE");
	is_int(parse_int("-", &i), -EINVAL, "int '-' is -EINVAL");
	is_int(parse_int("--1", &i), -EINVAL, "int '--1' is -EINVAL");
	is_int(parse_int("+1", &i), -EINVAL, "int '+1' is -EINVAL");
	is_int(parse_int("", &i), -EINVAL, "int '' is -EINVAL");
	is_int(parse_int(NULL, &i), -EINVAL, "int NULL is -EINVAL");
	is_int(i, 7, "int untouched by failures");

	ok(parse_double("1.5", &d) == 0 && d == 1.5, "double 1.5");
	ok(parse_double("2", &d) == 0 && d == 2.0, "double 2");
	ok(parse_double("0.01", &d) == 0 && d == 0.01, "double 0.01");
	ok(parse_double("0", &d) == 0 && d == 0, "double 0");
	d = 7;
	is_int(parse_double("-1", &d), -EINVAL, "double -1 is -EINVAL");
	is_int(parse_double("1e3", &d), -EINVAL, "double 1e3 is -EINVAL");
	is_int(parse_double("1.", &d), -EINVAL, "double '1.' is -EINVAL");
	is_int(parse_double(".5", &d), -EINVAL, "double '.5' is -EINVAL");
	is_int(parse_double("1.5x", &d), -EINVAL, "double '1.5x' is -EINVAL");
	is_int(parse_double("nan", &d), -EINVAL, "double nan is -EINVAL");
	is_int(parse_double("inf", &d), -EINVAL, "double inf is -EINVAL");
	is_int(parse_double("", &d), -EINVAL, "double '' is -EINVAL");
	is_int(parse_double(NULL, &d), -EINVAL, "double NULL is -EINVAL");
	ok(d == 7, "double untouched by failures");

	static const char *const yes[] = { "true", "yes", "1", "on", "TRUE", "Yes", "ON" };
	static const char *const no[] = { "false", "no", "0", "off", "FALSE", "No", "oFF" };
	for (size_t k = 0; k < ELEMENTSOF(yes); k++) {
		b = false;
		ok(parse_bool(yes[k], &b) == 0 && b, "bool '%s' is true", yes[k]);
	}
	for (size_t k = 0; k < ELEMENTSOF(no); k++) {
		b = true;
		ok(parse_bool(no[k], &b) == 0 && !b, "bool '%s' is false", no[k]);
	}
	static const char *const bad[] = { "", "maybe", "2", "y", "n", "truee", " true" };
	for (size_t k = 0; k < ELEMENTSOF(bad); k++)
		is_int(parse_bool(bad[k], &b), -EINVAL, "bool '%s' is -EINVAL", bad[k]);
	is_int(parse_bool(NULL, &b), -EINVAL, "bool NULL is -EINVAL");
}

static void sig_ok(const char *s, int want)
{
	int v = -1;
	int r = parse_signal(s, &v);
	ok(r == 0 && v == want, "signal '%s' is %d", s, want);
	if (r != 0 || v != want)
		printf("#   got r=%d v=%d\n", r, v);
}

static void test_signals(void)
{
	sig_ok("SIGUSR1", SIGUSR1);
	sig_ok("USR1", SIGUSR1);
	sig_ok("usr1", SIGUSR1);
	sig_ok("sigusr1", SIGUSR1);
	sig_ok("SIGTERM", SIGTERM);
	sig_ok("HUP", SIGHUP);
	sig_ok("SIGPWR", SIGPWR);
	sig_ok("10", 10);
	sig_ok("1", 1);
	sig_ok("SIGRTMIN+3", SIGRTMIN + 3);
	sig_ok("RTMIN+3", SIGRTMIN + 3);
	sig_ok("rtmin+3", SIGRTMIN + 3);
	sig_ok("SIGRTMIN", SIGRTMIN);
	sig_ok("SIGRTMIN+0", SIGRTMIN);
	sig_ok("SIGRTMAX", SIGRTMAX);
	sig_ok("RTMAX-2", SIGRTMAX - 2);
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", SIGRTMAX);
	sig_ok(buf, SIGRTMAX);
	snprintf(buf, sizeof(buf), "RTMIN+%d", SIGRTMAX - SIGRTMIN);
	sig_ok(buf, SIGRTMAX);

	/* clang-format off */
	static const char *const bad[] = {
		"", "SIG", "NOPE", "SIGNOPE", "0", "-1", "1x", "SIGUSR1 ", "RTMIN+", "RTMIN3",
		"RTMIN-1", "RTMAX+1", "RTMIN+-1", "RTMAX--1", "RTMIN+100", "RTMAX-100",
		"RTMIN+2147483647", "RTMAX--2147483648", "99999999999",
	};
	/* clang-format on */
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		int v = -7;
		is_int(parse_signal(bad[i], &v), -EINVAL, "signal '%s' is -EINVAL", bad[i]);
		is_int(v, -7, "... and the result is untouched");
	}
	int v;
	snprintf(buf, sizeof(buf), "%d", SIGRTMAX + 1);
	is_int(parse_signal(buf, &v), -EINVAL, "signal SIGRTMAX+1 as a number is -EINVAL");
	is_int(parse_signal(NULL, &v), -EINVAL, "signal NULL is -EINVAL");

	is_str(signal_to_string(SIGUSR1, buf), "SIGUSR1", "SIGUSR1 to string");
	is_str(signal_to_string(SIGTERM, buf), "SIGTERM", "SIGTERM to string");
	is_str(signal_to_string(SIGSYS, buf), "SIGSYS", "SIGSYS to string");
	is_str(signal_to_string(SIGRTMIN, buf), "SIGRTMIN", "SIGRTMIN to string");
	is_str(signal_to_string(SIGRTMIN + 3, buf), "SIGRTMIN+3", "SIGRTMIN+3 to string");
	ok(signal_to_string(0, buf) == NULL, "0 has no name");
	ok(signal_to_string(-1, buf) == NULL, "-1 has no name");
	ok(signal_to_string(SIGRTMAX + 1, buf) == NULL, "SIGRTMAX+1 has no name");

	/* Every signal with a name parses back to itself. */
	int named = 0, bad_round = 0;
	for (int s = 1; s <= SIGRTMAX; s++) {
		char b[16];
		const char *n = signal_to_string(s, b);
		if (!n)
			continue;
		named++;
		int back = -1;
		if (parse_signal(n, &back) < 0 || back != s) {
			bad_round++;
			printf("#   %d -> '%s' -> %d\n", s, n, back);
		}
		/* also without SIG and in lower case */
		char lower[16];
		size_t k;
		for (k = 0; n[k + 3]; k++)
			lower[k] = (char)tolower((unsigned char)n[k + 3]);
		lower[k] = 0;
		back = -1;
		if (parse_signal(lower, &back) < 0 || back != s) {
			bad_round++;
			printf("#   %d -> '%s' -> %d\n", s, lower, back);
		}
	}
	is_int(bad_round, 0, "every named signal round-trips, with and without SIG, any case");
	is_int(named, 31 + (SIGRTMAX - SIGRTMIN + 1),
	       "signals 1..31 and every real-time signal have a name");
}

static void test_caps(void)
{
	is_int(cap_last_known(), 40, "the last known capability is checkpoint_restore (40)");
#ifdef CAP_LAST_CAP
	ok(cap_last_known() >= CAP_LAST_CAP, "every capability of the kernel headers is known");
#endif
	int bad = 0;
	for (int c = 0; c <= cap_last_known(); c++) {
		const char *n = cap_to_string(c);
		if (!n) {
			bad++;
			printf("#   capability %d has no name\n", c);
			continue;
		}
		char upper[64];
		size_t k;
		for (k = 0; n[k] && k + 5 < sizeof(upper); k++)
			upper[k] = (char)toupper((unsigned char)n[k]);
		upper[k] = 0;
		char forms[4][80];
		snprintf(forms[0], sizeof(forms[0]), "%s", n);
		snprintf(forms[1], sizeof(forms[1]), "%s", upper);
		snprintf(forms[2], sizeof(forms[2]), "CAP_%s", upper);
		snprintf(forms[3], sizeof(forms[3]), "cap_%s", n);
		for (int f = 0; f < 4; f++) {
			int back = -1;
			if (parse_cap(forms[f], &back) < 0 || back != c) {
				bad++;
				printf("#   %d -> '%s' -> %d\n", c, forms[f], back);
			}
		}
	}
	is_int(bad, 0, "every capability 0..%d has a name that round-trips in every form",
	       cap_last_known());
	is_str(cap_to_string(CAP_SYS_ADMIN), "sys_admin", "CAP_SYS_ADMIN is 'sys_admin'");
	is_str(cap_to_string(CAP_CHOWN), "chown", "CAP_CHOWN is 'chown'");
	is_str(cap_to_string(40), "checkpoint_restore", "40 is 'checkpoint_restore'");
	ok(cap_to_string(-1) == NULL, "-1 has no name");
	ok(cap_to_string(cap_last_known() + 1) == NULL, "last+1 has no name");
	int c = -7;
	is_int(parse_cap("sys_admin", &c), 0, "parse sys_admin");
	is_int(c, CAP_SYS_ADMIN, "... is CAP_SYS_ADMIN");
	c = -7;
	static const char *const bad_names[] = { "",          "cap_",       "nope", "CAP_NOPE",
						 "sys admin", "sys_admin ", "21" };
	for (size_t i = 0; i < ELEMENTSOF(bad_names); i++)
		is_int(parse_cap(bad_names[i], &c), -EINVAL, "capability '%s' is -EINVAL",
		       bad_names[i]);
	is_int(parse_cap(NULL, &c), -EINVAL, "capability NULL is -EINVAL");
	is_int(c, -7, "... and the result is untouched");
}

static void test_format(void)
{
	char b[16];
	static const struct {
		uint64_t v;
		const char *s;
	} sizes[] = {
		{ 0, "0" },
		{ 1, "1" },
		{ 512, "512" },
		{ 1023, "1023" },
		{ 1024, "1K" },
		{ 1536, "1.5K" },
		{ 12595, "12K" }, /* 12.3K: one decimal below 10 only */
		{ 10240, "10K" },
		{ 4ULL << 20, "4M" },
		{ 256ULL << 20, "256M" },
		{ 1610612736, "1.5G" },
		{ 1ULL << 30, "1G" },
		{ 1ULL << 40, "1T" },
		{ 3ULL << 50, "3P" },
		{ 15ULL << 60, "15E" },
		{ UINT64_MAX - 1, "16E" },
		{ UINT64_MAX, "16E" },
	};
	for (size_t i = 0; i < ELEMENTSOF(sizes); i++)
		is_str(format_size(sizes[i].v, b), sizes[i].s, "format_size(%" PRIu64 ")",
		       sizes[i].v);
	ok(format_size(1, b) == b, "format_size returns its buffer");

	/* What format_size prints without a fraction parses back exactly. */
	static const uint64_t exact[] = {
		0, 7, 1024, 4ULL << 20, 256ULL << 20, 3ULL << 30, 1ULL << 40, 15ULL << 60
	};
	for (size_t i = 0; i < ELEMENTSOF(exact); i++) {
		uint64_t back = 1;
		ok(parse_size(format_size(exact[i], b), &back) == 0 && back == exact[i],
		   "format_size(%" PRIu64 ") parses back", exact[i]);
	}

	char d[24];
	static const struct {
		uint64_t v;
		const char *s;
	} durs[] = {
		{ 0, "0s" },
		{ 1, "1ms" },
		{ 250, "250ms" },
		{ 999, "999ms" },
		{ 1000, "1s" },
		{ 1500, "1.500s" },
		{ 30000, "30s" },
		{ 59999, "59.999s" },
		{ 60000, "1m" },
		{ 60500, "1m" }, /* ms are dropped from a minute on */
		{ 90000, "1m30s" },
		{ 120000, "2m" },
		{ 3600000, "1h" },
		{ 5400000, "1h30m" },
		{ 3661000, "1h1m1s" },
		{ 86400000, "24h" },
		{ UINT64_MAX, "5124095576030h25m51s" },
	};
	for (size_t i = 0; i < ELEMENTSOF(durs); i++)
		is_str(format_duration_ms(durs[i].v, d), durs[i].s,
		       "format_duration_ms(%" PRIu64 ")", durs[i].v);
	ok(format_duration_ms(1, d) == d, "format_duration_ms returns its buffer");
	/* Single-unit forms parse back. */
	static const uint64_t dexact[] = { 0, 250, 1000, 1500, 30000, 120000, 3600000 };
	for (size_t i = 0; i < ELEMENTSOF(dexact); i++) {
		uint64_t back = 1;
		ok(parse_duration_ms(format_duration_ms(dexact[i], d), &back) == 0 &&
			   back == dexact[i],
		   "format_duration_ms(%" PRIu64 ") parses back", dexact[i]);
	}
}

static void test_passwd(void)
{
	char text[] = "root:x:0:0:root:/root:/bin/bash\n"
		      "short:x:5\n"
		      "bad:x:notanumber:0::/:/bin/sh\n"
		      "web:x:1000:1000:Web,,,:/home/web:\n"
		      "svc:x:1001:1001::/srv:/bin/sh";
	char *f[7];
	char copy[sizeof(text)];
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, "web", 0, f), 0, "passwd: by name");
	is_str(f[2], "1000", "uid field");
	is_str(f[5], "/home/web", "home field");
	is_str(f[6], "", "empty shell field");
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, NULL, 1001, f), 0, "passwd: by uid");
	is_str(f[0], "svc", "its name (last line, no newline)");
	is_str(f[6], "/bin/sh", "its shell");
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, NULL, 0, f), 0, "passwd: uid 0");
	is_str(f[0], "root", "is root");
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, "short", 0, f), -ENOENT, "a line with too few fields is skipped");
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, "bad", 0, f), -ENOENT, "a line with a bad uid is skipped");
	memcpy(copy, text, sizeof(text));
	is_int(passwd_find(copy, "ro", 0, f), -ENOENT, "a name prefix does not match");
	char empty[] = "";
	is_int(passwd_find(empty, "root", 0, f), -ENOENT, "empty file");
}

static void test_cpu_list(void)
{
	static const struct {
		const char *in;
		unsigned n;
	} good[] = {
		{ "0", 1 },	  { "1", 1 },	      { "0-3", 4 },	  { "0-3,6", 5 },
		{ "0,0", 1 },	  { "0-3,2-5", 6 },   { "8191", 1 },	  { "0-8191", 8192 },
		{ "5-5", 1 },
	};
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		unsigned n = 0;
		is_int(vz_parse_cpu_list(good[i].in, &n), 0, "cpu list '%s' parses", good[i].in);
		is_int(n, good[i].n, "cpu list '%s' has %u", good[i].in, good[i].n);
	}
	static const char *const bad[] = { "", "-", "a", "1-", "-1", "3-1", "1,", ",1", "1 2",
					   "1, 2", "8192", "0-8192", "1--2", "0x1", " 1" };
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		is_int(vz_parse_cpu_list(bad[i], NULL), -EINVAL, "cpu list '%s' is -EINVAL", bad[i]);
	is_int(vz_parse_cpu_list(NULL, NULL), -EINVAL, "cpu list NULL is -EINVAL");
}

/* cgroup "key value" files as the kernel writes them. */
static void test_keyed(void)
{
	const char *ev = "low 0\nhigh 0\nmax 1234\noom 2\noom_kill 1\noom_group_kill 0\n";
	const char *oomc = "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n";
	const char *cpu = "nr_periods 20\nnr_throttled 18\nthrottled_time 1600000000";
	uint64_t v = 7;
	is_int(parse_keyed_u64(ev, "max", &v), 0, "memory.events: max found");
	is_int(v, 1234, "... 1234");
	is_int(parse_keyed_u64(ev, "oom", &v), 0, "memory.events: oom found");
	is_int(v, 2, "... 2, not oom_kill's value");
	is_int(parse_keyed_u64(ev, "oom_kill", &v), 0, "memory.events: oom_kill found");
	is_int(v, 1, "... 1, not oom_group_kill's value");
	is_int(parse_keyed_u64(oomc, "oom_kill", &v), 0, "v1 memory.oom_control: oom_kill");
	is_int(v, 3, "... 3");
	is_int(parse_keyed_u64(cpu, "throttled_time", &v), 0, "last line without newline");
	is_int(v, 1600000000, "... 1600000000");
	v = 7;
	is_int(parse_keyed_u64(oomc, "oom", &v), -ENOENT, "a key that is only a prefix: -ENOENT");
	is_int(parse_keyed_u64(ev, "ax", &v), -ENOENT, "a key's suffix: -ENOENT");
	is_int(parse_keyed_u64("", "max", &v), -ENOENT, "empty text: -ENOENT");
	is_int(parse_keyed_u64("max max\n", "max", &v), -EINVAL, "\"max\" as a value: -EINVAL");
	is_int(parse_keyed_u64("max \n", "max", &v), -EINVAL, "no value: -EINVAL");
	is_int(parse_keyed_u64("max 12 3\n", "max", &v), -EINVAL, "two values: -EINVAL");
	is_int(parse_keyed_u64("max 99999999999999999999\n", "max", &v), -ERANGE,
	       "beyond u64: -ERANGE");
	is_int(v, 7, "... and the result is untouched");
	is_int(parse_keyed_u64("max 18446744073709551615", "max", &v), 0, "u64 max parses");
	ok(v == UINT64_MAX, "... as UINT64_MAX");
}

static void dev_ok(const char *s, const char *canon)
{
	struct vz_dev_rule d;
	char why[160] = "", buf[32];
	int r = parse_dev_rule(s, &d, why, sizeof(why));
	if (!is_int(r, 0, "device rule '%s' parses", s))
		printf("#   %s\n", why);
	else
		is_str(format_dev_rule(&d, buf), canon, "... as '%s'", canon);
}

static void dev_bad(const char *s, int code, const char *why_want)
{
	struct vz_dev_rule d = { .type = 'z' };
	char why[160] = "";
	is_int(parse_dev_rule(s, &d, why, sizeof(why)), code, "device rule '%s' is refused", s);
	is_str(why, why_want, "... with its reason");
	ok(d.type == 'z', "... and the result is untouched");
}

static void test_dev_rules(void)
{
	struct vz_dev_rule d;
	char why[160];
	ok(parse_dev_rule("c 10:200 rwm", &d, why, sizeof(why)) == 0 && d.type == 'c' &&
		   d.major == 10 && d.minor == 200 && d.access == VZ_DEV_RWM,
	   "c 10:200 rwm: char, 10, 200, rwm");
	ok(parse_dev_rule("b 7:* r", &d, why, sizeof(why)) == 0 && d.type == 'b' && d.major == 7 &&
		   d.minor == -1 && d.access == VZ_DEV_READ,
	   "b 7:* r: block, 7, any minor, read");
	ok(parse_dev_rule("c *:* m", &d, why, sizeof(why)) == 0 && d.major == -1 &&
		   d.minor == -1 && d.access == VZ_DEV_MKNOD,
	   "c *:* m: any device, mknod");
	ok(parse_dev_rule("a", &d, why, sizeof(why)) == 0 && d.type == 'a' &&
		   d.access == VZ_DEV_RWM,
	   "a: everything");
	dev_ok("c 1:3 rwm", "c 1:3 rwm");
	dev_ok("c 1:3 mwr", "c 1:3 rwm");
	dev_ok("  c\t1:3   wr ", "c 1:3 rw");
	dev_ok("b 4095:1048575 w", "b 4095:1048575 w");
	dev_ok("c 0:0 m", "c 0:0 m");
	dev_ok("a *:* rwm", "a");

	dev_bad("", -EINVAL, "empty entry (expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\")");
	dev_bad("x 1:2 r", -EINVAL, "type 'x' is not c (character), b (block) or a (all)");
	dev_bad("C 1:2 r", -EINVAL, "type 'C' is not c (character), b (block) or a (all)");
	dev_bad("c 1:2 q", -EINVAL, "access 'q' is not made of r, w and m");
	dev_bad("c 1:2 rr", -EINVAL, "access 'rr' repeats 'r'");
	dev_bad("c foo:1 r", -EINVAL, "major 'foo' is not a number or '*'");
	dev_bad("c 1:-1 r", -EINVAL, "minor '-1' is not a number or '*'");
	dev_bad("c 4096:1 r", -ERANGE, "major 4096 is out of range (0..4095)");
	dev_bad("c 1:1048576 r", -ERANGE, "minor 1048576 is out of range (0..1048575)");
	dev_bad("c 1:99999999999 r", -ERANGE, "minor 99999999999 is out of range (0..1048575)");
	dev_bad("c 1 r", -EINVAL, "'1' is not MAJOR:MINOR");
	dev_bad("c 1:3", -EINVAL, "expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\"");
	dev_bad("c", -EINVAL, "expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\"");
	dev_bad("c 1:3 rwm x", -EINVAL,
		"expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\"");
	dev_bad("c 1:3 ", -EINVAL, "expected TYPE MAJOR:MINOR ACCESS, such as \"c 10:200 rwm\"");
	dev_bad("a 1:3 r", -EINVAL, "type 'a' means every device: write \"a\" or \"a *:* rwm\"");
	dev_bad("a *:* r", -EINVAL, "type 'a' means every device: write \"a\" or \"a *:* rwm\"");
}

static void rate_ok(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	int r = parse_rate(s, &v);
	if (is_int(r, 0, "rate '%s' parses", s))
		is_int(v, want, "rate '%s' is %" PRIu64 " bit/s", s, want);
}

static void rate_bad(const char *s, int want)
{
	uint64_t v = 12345;
	is_int(parse_rate(s, &v), want, "rate '%s' is refused with %s", s,
	       want == -ERANGE ? "-ERANGE" : "-EINVAL");
	is_int(v, 12345, "... and the result is untouched");
}

static void test_rate(void)
{
	rate_ok("0", 0);
	rate_ok("100mbit", 100000000);
	rate_ok("100Mbit", 100000000);
	rate_ok("10MBIT", 10000000);
	rate_ok("1.5gbit", 1500000000);
	rate_ok("512kbit", 512000);
	rate_ok("800bit", 800);
	rate_ok("2tbit", UINT64_C(2000000000000));
	rate_ok("1kibit", 1024);
	rate_ok("1mibit", 1048576);
	rate_ok("1gibit", UINT64_C(1073741824));
	/* tc: bps are bytes per second */
	rate_ok("10mbps", 80000000);
	rate_ok("10MBps", 80000000);
	rate_ok("1kbps", 8000);
	rate_ok("125bps", 1000);
	rate_ok("2MiBps", 2 * 8 * 1048576);
	rate_ok("0mbit", 0);
	rate_ok("0.0", 0);
	rate_ok("100", 100); /* a plain number is bits/s */
	rate_bad("10M", -EINVAL);
	rate_bad("10mb", -EINVAL);
	rate_bad("mbit", -EINVAL);
	rate_bad("-1mbit", -EINVAL);
	rate_bad(" 1mbit", -EINVAL);
	rate_bad("1mbit ", -EINVAL);
	rate_bad("1e6bit", -EINVAL);
	rate_bad("", -EINVAL);
	rate_bad(NULL, -EINVAL);
	rate_bad("30000000tbps", -ERANGE);

	char b[24];
	is_str(format_rate(100000000, b), "100mbit", "format_rate 100 Mbit/s");
	is_str(format_rate(1500000000, b), "1.5gbit", "format_rate 1.5 Gbit/s");
	is_str(format_rate(64000, b), "64kbit", "format_rate 64 kbit/s");
	is_str(format_rate(800, b), "800bit", "format_rate 800 bit/s");
	is_str(format_rate(0, b), "0bit", "format_rate 0");
	uint64_t v = 0;
	ok(parse_rate(format_rate(12345678, b), &v) == 0 && v >= 12340000 && v <= 12350000,
	   "format_rate's output parses back (%s)", b);
}

int main(void)
{
	test_cpu_list();
	test_size();
	test_duration();
	test_integers();
	test_signals();
	test_caps();
	test_format();
	test_passwd();
	test_keyed();
	test_dev_rules();
	test_rate();
	return tap_done();
}
