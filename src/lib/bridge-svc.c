/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bridge-svc.c: what vz net up adds to the bridge on demand (see bridge.h):
 * NAT masquerade of its IPv4 subnet in an nftables table of vz's own
 * ("inet vz-BRIDGE", written through `nft -f -` and deleted whole), and
 * DHCP/DNS from a dnsmasq bound to the bridge alone, whose pid and lease
 * files are run/net/BRIDGE.pid and .leases. Runs in commands.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bridge.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "parse-util.h"
#include "strv.h"

char *vz_net_run_path(const struct vz_global *g, const char *suffix)
{
	if (!suffix)
		return path_join(g->run_dir, "net");
	return strdup_printf("%s/net/%s%s", g->run_dir, g->net_bridge, suffix);
}

/* Run argv with input on stdin (NULL: /dev/null) and stdout to /dev/null;
 * returns the exit status (or -errno), stderr's first line in msg. */
static int run_helper(char *const argv[], const char *input, char *msg, size_t mlen)
{
	msg[0] = 0;
	int efd = memfd_create("vz-helper-stderr", MFD_CLOEXEC);
	if (efd < 0)
		return -errno;
	int in[2] = { -1, -1 };
	if (input && pipe2(in, O_CLOEXEC) < 0) {
		close(efd);
		return -errno;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(efd);
		if (input) {
			close(in[0]);
			close(in[1]);
		}
		return e;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(input ? in[0] : null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(efd, 2) < 0)
			_exit(127);
		close_all_fds_except(3, NULL, 0);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], argv);
		dprintf(2, "cannot execute '%s': %m\n", argv[0]);
		_exit(127);
	}
	if (input) {
		close(in[0]);
		loop_write(in[1], input, strlen(input));
		close(in[1]);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			close(efd);
			return -errno;
		}
	ssize_t n = pread(efd, msg, mlen - 1, 0);
	close(efd);
	msg[n > 0 ? n : 0] = 0;
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int need_binary(const char *path, const char *key, const char *package, vz_err *err)
{
	if (access(path, X_OK) == 0)
		return 0;
	return vz_failx(err, ENOENT, "%s not found at '%s' (%s in vz.conf): install the Debian "
				     "package %s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
			path, key, package);
}

/* ------------------------------------------------------------ NAT */

void vz_net_nat_table(const struct vz_global *g, char *buf, size_t len)
{
	snprintf(buf, len, "inet vz-%s", g->net_bridge);
}

bool vz_net_nat_present(const struct vz_global *g)
{
	char t[64], msg[256];
	if (access(g->nft_path, X_OK) < 0)
		return false;
	vz_net_nat_table(g, t, sizeof(t));
	char *argv[] = { g->nft_path, (char *)"list", (char *)"table", (char *)"inet", t + 5, NULL };
	return run_helper(argv, NULL, msg, sizeof(msg)) == 0;
}

int vz_net_nat_apply(const struct vz_global *g, bool on, const char *subnet, vz_err *err)
{
	char t[64], msg[512];
	vz_net_nat_table(g, t, sizeof(t));
	if (!on && !vz_net_nat_present(g))
		return 0;
	int r = need_binary(g->nft_path, "helpers.nft", "nftables", err);
	if (r < 0)
		return r;
	/* add + delete + define: one transaction, whether it existed or not */
	_cleanup_free_ char *rules =
		on ? strdup_printf(
			     "table %s\ndelete table %s\n"
			     "table %s {\n"
			     "\tchain postrouting {\n"
			     "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			     "\t\tip saddr %s ip daddr != %s oifname != \"%s\" masquerade\n"
			     "\t}\n"
			     "\tchain forward {\n"
			     "\t\ttype filter hook forward priority filter; policy accept;\n"
			     "\t\tiifname \"%s\" accept\n"
			     "\t\toifname \"%s\" ct state established,related accept\n"
			     "\t}\n"
			     "}\n",
			     t, t, t, subnet, subnet, g->net_bridge, g->net_bridge, g->net_bridge)
		   : strdup_printf("table %s\ndelete table %s\n", t, t);
	if (!rules)
		return -ENOMEM;
	char *argv[] = { g->nft_path, (char *)"-f", (char *)"-", NULL };
	r = run_helper(argv, rules, msg, sizeof(msg));
	if (r < 0)
		return vz_fail(err, r, "run '%s'", g->nft_path);
	if (r > 0)
		return vz_failx(err, EIO, "%s table %s: nft failed: %s", on ? "create" : "delete", t,
				*msg ? msg : "no message");
	log_debug("nft: table %s %s", t, on ? "written" : "deleted");
	if (on) {
		/* masquerading needs forwarding; never turned off again (other
		 * users of the host may rely on it) */
		_cleanup_free_ char *cur = NULL;
		if (read_line_file("/proc/sys/net/ipv4/ip_forward", &cur) < 0 || !streq(cur, "1")) {
			r = write_file("/proc/sys/net/ipv4/ip_forward", "1", 0);
			if (r < 0)
				return vz_fail(err, r, "enable net.ipv4.ip_forward for net.nat");
			log_debug("set net.ipv4.ip_forward = 1");
		}
	}
	return 0;
}

/* ------------------------------------------------------------ DHCP */

static char **dnsmasq_argv(const struct vz_global *g, const char *range)
{
	_cleanup_free_ char *pid = vz_net_run_path(g, ".pid");
	_cleanup_free_ char *leases = vz_net_run_path(g, ".leases");
	if (!pid || !leases)
		return NULL;
	char **a = calloc(1, sizeof(char *));
	if (!a)
		return NULL;
	char *args[] = {
		strdup(g->dnsmasq_path),
		strdup("--conf-file=/dev/null"),
		strdup_printf("--pid-file=%s", pid),
		strdup_printf("--dhcp-leasefile=%s", leases),
		strdup_printf("--interface=%s", g->net_bridge),
		strdup("--except-interface=lo"),
		strdup("--bind-interfaces"),
		strdup("--strict-order"),
		strdup_printf("--dhcp-range=%s,12h", range),
		strdup("--dhcp-no-override"),
		strdup("--dhcp-authoritative"),
	};
	bool ok = true;
	for (size_t i = 0; i < ELEMENTSOF(args); i++)
		if (!args[i] || strv_consume(&a, args[i]) < 0)
			ok = false;
	if (!ok) {
		strv_free(a);
		return NULL;
	}
	return a;
}

/* argv of a running pid, NUL-separated, compared with want. */
static bool cmdline_is(pid_t pid, char *const *want)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cmdline", pid);
	_cleanup_free_ char *s = NULL;
	size_t n;
	if (read_file(p, &s, &n) < 0)
		return false;
	size_t off = 0;
	for (; *want; want++) {
		size_t l = strlen(*want);
		if (off + l >= n + 1 || memcmp(s + off, *want, l + 1) != 0)
			return false;
		off += l + 1;
	}
	return off == n;
}

/* The pid in run/net/BR.pid if that process is a dnsmasq with our pid file. */
pid_t vz_net_dhcp_pid(const struct vz_global *g)
{
	_cleanup_free_ char *pidfile = vz_net_run_path(g, ".pid"), *line = NULL;
	uint32_t pid;
	if (!pidfile || read_line_file(pidfile, &line) < 0 || parse_u32(line, &pid) < 0 || !pid)
		return 0;
	char p[64];
	snprintf(p, sizeof(p), "/proc/%u/cmdline", pid);
	_cleanup_free_ char *s = NULL;
	size_t n;
	if (read_file(p, &s, &n) < 0)
		return 0;
	_cleanup_free_ char *want = strdup_printf("--pid-file=%s", pidfile);
	for (size_t off = 0; want && off < n; off += strlen(s + off) + 1)
		if (streq(s + off, want))
			return (pid_t)pid;
	return 0;
}

static int dhcp_stop(const struct vz_global *g, pid_t pid, vz_err *err)
{
	int fd = sys_pidfd_open(pid, 0);
	if (fd >= 0) {
		sys_pidfd_send_signal(fd, SIGTERM, 0);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 5000) == 0) {
			sys_pidfd_send_signal(fd, SIGKILL, 0);
			poll(&p, 1, 5000);
		}
		close(fd);
	} else if (errno != ESRCH)
		return vz_fail(err, errno, "stop dnsmasq (pid %d)", pid);
	log_debug("stopped dnsmasq %d", pid);
	return 0;
}

static void dhcp_files_remove(const struct vz_global *g)
{
	_cleanup_free_ char *pid = vz_net_run_path(g, ".pid");
	_cleanup_free_ char *leases = vz_net_run_path(g, ".leases");
	if (pid)
		unlink(pid);
	if (leases)
		unlink(leases);
}

int vz_net_dhcp_apply(const struct vz_global *g, bool on, const char *range, vz_err *err)
{
	pid_t pid = vz_net_dhcp_pid(g);
	int r;
	if (!on) {
		if (pid && (r = dhcp_stop(g, pid, err)) < 0)
			return r;
		dhcp_files_remove(g);
		return 0;
	}
	_cleanup_strv_free_ char **argv = dnsmasq_argv(g, range);
	if (!argv)
		return -ENOMEM;
	if (pid && cmdline_is(pid, argv))
		return 0;
	if (pid) { /* settings changed: restart, keeping the leases */
		if ((r = dhcp_stop(g, pid, err)) < 0)
			return r;
	}
	r = need_binary(g->dnsmasq_path, "helpers.dnsmasq", "dnsmasq-base", err);
	if (r < 0)
		return r;
	_cleanup_free_ char *dir = vz_net_run_path(g, NULL);
	if (!dir)
		return -ENOMEM;
	r = mkdir_p(dir, 0755);
	if (r < 0)
		return vz_fail(err, r, "create '%s'", dir);
	char msg[512];
	r = run_helper(argv, NULL, msg, sizeof(msg));
	if (r < 0)
		return vz_fail(err, r, "run '%s'", g->dnsmasq_path);
	if (r > 0) {
		dhcp_files_remove(g);
		return vz_failx(err, EIO, "start dnsmasq on bridge '%s': %s", g->net_bridge,
				*msg ? msg : "failed with no message");
	}
	/* (the pid file is written as the daemon starts) */
	for (int i = 0; i < 100 && !(pid = vz_net_dhcp_pid(g)); i++)
		usleep(20000);
	if (!pid)
		return vz_failx(err, EIO, "dnsmasq on bridge '%s' started but is not running",
				g->net_bridge);
	log_debug("started dnsmasq %d on %s", pid, g->net_bridge);
	return 0;
}

int vz_net_leases(const struct vz_global *g, struct vz_lease **ret, size_t *n)
{
	return vz_net_leases_of(g, g->net_bridge, ret, n);
}

int vz_net_leases_of(const struct vz_global *g, const char *bridge, struct vz_lease **ret,
		     size_t *n)
{
	*ret = NULL;
	*n = 0;
	_cleanup_free_ char *path = strdup_printf("%s/net/%s.leases", g->run_dir, bridge);
	if (!path)
		return -ENOMEM;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	char line[512];
	struct vz_lease *a = NULL;
	size_t cnt = 0;
	while (fgets(line, sizeof(line), f)) {
		struct vz_lease l = { 0 };
		long long exp;
		/* "EXPIRY MAC IP HOSTNAME CLIENT-ID"; "duid ..." lines are skipped */
		if (sscanf(line, "%lld %23s %47s %63s", &exp, l.mac, l.ip, l.hostname) < 3 ||
		    !strchr(l.mac, ':'))
			continue;
		if (!l.hostname[0])
			strcpy(l.hostname, "*");
		l.expires = exp;
		struct vz_lease *b = realloc(a, (cnt + 1) * sizeof(*a));
		if (!b) {
			free(a);
			fclose(f);
			return -ENOMEM;
		}
		a = b;
		a[cnt++] = l;
	}
	fclose(f);
	*ret = a;
	*n = cnt;
	return 0;
}
