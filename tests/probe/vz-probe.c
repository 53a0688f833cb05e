/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vz-probe: a static test payload that integration tests copy into
 * containers. Plain libc, no libvz. `vz-probe` prints one "key=value" line per
 * fact about the process and what it can see; `vz-probe KEY` prints one value;
 * action modes (exit, sleep, env, touch, hog, forks, signal-wait) give tests
 * something to run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n, total = 0;
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return buf;
}

/* Lines of a file with whitespace runs squeezed, joined by ';'. */
static void joined(const char *path, char *out, size_t size)
{
	char *s = slurp(path);
	size_t o = 0;
	if (!s) {
		snprintf(out, size, "unknown");
		return;
	}
	bool space = false, start = true;
	for (char *p = s; *p && o + 2 < size; p++) {
		if (*p == '\n') {
			if (p[1])
				out[o++] = ';';
			start = true;
			space = false;
		} else if (*p == ' ' || *p == '\t') {
			space = !start;
		} else {
			if (space)
				out[o++] = ' ';
			out[o++] = *p;
			space = start = false;
		}
	}
	out[o] = 0;
}

static void status_field(const char *key, char *out, size_t size)
{
	char *s = slurp("/proc/self/status");
	char *p = s ? strstr(s, key) : NULL;
	if (!p) {
		snprintf(out, size, "unknown");
		return;
	}
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, "\n");
	snprintf(out, size, "%.*s", (int)n, p);
}

static int count_pids(void)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *de;
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

static void root_fstype(char *out, size_t size)
{
	char *s = slurp("/proc/self/mountinfo");
	snprintf(out, size, "unknown");
	for (char *line = s ? strtok(s, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		char mnt[256], type[64];
		/* id parent maj:min root mountpoint opts [optional...] - type src opts */
		if (sscanf(line, "%*s %*s %*s %*s %255s", mnt) != 1 || strcmp(mnt, "/") != 0)
			continue;
		char *dash = strstr(line, " - ");
		if (dash && sscanf(dash + 3, "%63s", type) == 1)
			snprintf(out, size, "%s", type);
	}
}

/* What happens when path is opened: masked (reads as empty from /dev/null),
 * readable, or the errno name. */
static void access_kind(const char *path, int flags, char *out, size_t size)
{
	int fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(out, size, "%s", errno == EACCES ? "EACCES" : errno == EPERM ? "EPERM"
						  : errno == EROFS ? "EROFS" : strerror(errno));
		return;
	}
	struct stat st;
	struct statfs sf;
	fstat(fd, &st);
	fstatfs(fd, &sf);
	/* Masked: /dev/null bound over the entry (a character device 1:3), or
	 * an empty file of some other file system than proc. */
	bool masked = (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) ||
		      (S_ISREG(st.st_mode) && st.st_size == 0 && sf.f_type != PROC_SUPER_MAGIC);
	close(fd);
	snprintf(out, size, "%s", masked ? "masked" : (flags & O_WRONLY) ? "writable" : "readable");
}

static void fact(const char *want, const char *key, const char *value)
{
	if (!want)
		printf("%s=%s\n", key, value);
	else if (strcmp(want, key) == 0)
		printf("%s\n", value);
}

static int facts(const char *want)
{
	char v[4096];
	snprintf(v, sizeof(v), "%d", (int)getpid());
	fact(want, "pid", v);
	snprintf(v, sizeof(v), "%d", (int)getppid());
	fact(want, "ppid", v);
	snprintf(v, sizeof(v), "%u", getuid());
	fact(want, "uid", v);
	snprintf(v, sizeof(v), "%u", getgid());
	fact(want, "gid", v);
	snprintf(v, sizeof(v), "%u", geteuid());
	fact(want, "euid", v);
	snprintf(v, sizeof(v), "%u", getegid());
	fact(want, "egid", v);
	gid_t groups[64];
	int ng = getgroups(64, groups);
	v[0] = 0;
	for (int i = 0; i < ng; i++)
		snprintf(v + strlen(v), sizeof(v) - strlen(v), "%s%u", i ? "," : "", groups[i]);
	fact(want, "groups", v);
	if (gethostname(v, sizeof(v)) < 0)
		snprintf(v, sizeof(v), "unknown");
	fact(want, "hostname", v);
	joined("/proc/self/uid_map", v, sizeof(v));
	fact(want, "uid_map", v);
	joined("/proc/self/gid_map", v, sizeof(v));
	fact(want, "gid_map", v);
	status_field("CapEff:", v, sizeof(v));
	fact(want, "cap_eff", v);
	status_field("CapPrm:", v, sizeof(v));
	fact(want, "cap_prm", v);
	status_field("CapBnd:", v, sizeof(v));
	fact(want, "cap_bnd", v);
	snprintf(v, sizeof(v), "%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	fact(want, "no_new_privs", v);
	status_field("Seccomp:", v, sizeof(v));
	fact(want, "seccomp", v);
	joined("/proc/self/cgroup", v, sizeof(v));
	fact(want, "cgroup", v);
	joined("/proc/1/comm", v, sizeof(v));
	fact(want, "pid1_comm", v);
	char *cl = slurp("/proc/1/cmdline");
	snprintf(v, sizeof(v), "%s", cl ? cl : "unknown");
	fact(want, "pid1_cmdline", v);
	snprintf(v, sizeof(v), "%d", count_pids());
	fact(want, "nprocs", v);
	root_fstype(v, sizeof(v));
	fact(want, "root_fstype", v);
	struct statvfs sv;
	snprintf(v, sizeof(v), "%s", statvfs("/sys", &sv) < 0 ? "unknown" : (sv.f_flag & ST_RDONLY) ? "1" : "0");
	fact(want, "sys_ro", v);
	access_kind("/proc/kcore", O_RDONLY, v, sizeof(v));
	fact(want, "proc_kcore", v);
	access_kind("/proc/sysrq-trigger", O_WRONLY, v, sizeof(v));
	fact(want, "sysrq", v);
	access_kind("/proc/timer_list", O_RDONLY, v, sizeof(v));
	fact(want, "proc_timer_list", v);
	access_kind("/proc/keys", O_RDONLY, v, sizeof(v));
	fact(want, "proc_keys", v);
	const char *c = getenv("container");
	fact(want, "container", c ? c : "");
	extern char **environ;
	int ne = 0;
	for (char **e = environ; *e; e++)
		ne++;
	snprintf(v, sizeof(v), "%d", ne);
	fact(want, "env_count", v);
	fact(want, "cwd", getcwd(v, sizeof(v)) ? v : "unknown");
	char *t = ttyname(0);
	fact(want, "tty", t ? t : "none");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int print_env(void)
{
	extern char **environ;
	size_t n = 0;
	while (environ[n])
		n++;
	char **copy = calloc(n + 1, sizeof(char *));
	if (!copy)
		return 1;
	memcpy(copy, environ, n * sizeof(char *));
	qsort(copy, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", copy[i]);
	free(copy);
	return 0;
}

/* Allocate and touch MiB one MiB at a time, reporting each step, then wait:
 * under a memory limit the OOM killer ends it. */
static int hog(long mib)
{
	/* Lock the probe's own pages (text, data, stack: well under the
	 * default 8 MiB RLIMIT_MEMLOCK). Otherwise, at the limit, reclaim can
	 * keep evicting the probe's text and the probe keep faulting it back
	 * in: "progress" for the kernel, so no OOM kill, only a thrashing
	 * process that can last for minutes (seen on the v2 VM lane). Best
	 * effort: without it the hog still works, only less predictably. */
	(void)mlockall(MCL_CURRENT);
	for (long i = 1; i <= mib; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("hog: malloc failed at %ld MiB\n", i);
			return 1;
		}
		memset(p, (int)i, 1 << 20);
		printf("hog: %ld MiB\n", i);
		fflush(stdout);
	}
	pause();
	return 0;
}

static int forks(long n)
{
	pid_t *kids = calloc((size_t)n + 1, sizeof(pid_t));
	long ok = 0;
	if (!kids)
		return 1;
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0)
			break;
		kids[ok++] = p;
	}
	printf("forks: %ld of %ld\n", ok, n);
	fflush(stdout);
	for (long i = 0; i < ok; i++)
		kill(kids[i], SIGTERM); /* only our own children, by pid */
	while (wait(NULL) > 0)
		;
	free(kids);
	return 0;
}

static int signal_wait(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	printf("ready\n");
	fflush(stdout);
	int sig;
	sigwait(&all, &sig);
	printf("%s\n", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return facts(NULL);
	const char *mode = argv[1];
	long arg = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	if (strcmp(mode, "exit") == 0)
		return (int)arg;
	if (strcmp(mode, "sleep") == 0) {
		sleep((unsigned)arg);
		return 0;
	}
	if (strcmp(mode, "env") == 0)
		return print_env();
	if (strcmp(mode, "touch") == 0 && argc > 2) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			printf("touch: %s\n", strerror(errno));
			return 1;
		}
		printf("%u:%u\n", st.st_uid, st.st_gid);
		return 0;
	}
	if (strcmp(mode, "hog") == 0)
		return hog(arg);
	if (strcmp(mode, "forks") == 0)
		return forks(arg);
	if (strcmp(mode, "signal-wait") == 0)
		return signal_wait();
	return facts(mode);
}
