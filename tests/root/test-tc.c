/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-tc.c: src/lib/tc.c against the kernel, as root (TAP). It creates two
 * private network namespaces, "vztc<pid>a" (the host side: the test itself
 * runs in it, so every link, qdisc and ifb the library makes lives there)
 * and "vztc<pid>b" (the container), a veth pair between them with
 * 198.18.0.1/24 and 198.18.0.2/24 and no route anywhere else, and measures
 * TCP throughput with iperf3: the server runs in b, the client in a; -R
 * makes b send (traffic from the container). Both namespaces, and with them
 * every link, are removed at exit, also after a failed check or a signal;
 * it signals only the iperf3 processes it started.
 *
 * VZ_TEST_DEBUG=1 shows the library's debug log; VZ_TEST_TC_BENCH=1 also
 * measures 100mbit and 1gbit with bbr and cubic (doc/network-tc.md).
 */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "parse-util.h"
#include "tap.h"
#include "tc.h"

#define MBIT UINT64_C(1000000)

static char ns_a[32], ns_b[32];
static bool made_a, made_b;
static int host_ns = -1;
static pid_t server = -1;
static const char *const veth = "vzt0";
static const char *const peer = "vzt1";

/* Run a shell command line (names are the test's own); 0 when it exits 0. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char full[640];
	snprintf(full, sizeof(full), "%s >/dev/null 2>&1", cmd);
	int st = system(full);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void cleanup(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
	if (host_ns >= 0) {
		(void)setns(host_ns, CLONE_NEWNET);
		close(host_ns);
		host_ns = -1;
	}
	if (made_a && sh("ip netns del %s", ns_a) == 0)
		made_a = false;
	if (made_b && sh("ip netns del %s", ns_b) == 0)
		made_b = false;
}

static void on_signal(int sig)
{
	(void)sig;
	exit(1); /* runs cleanup() */
}

static bool in_ns_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

/* The ifb the library names for ifname, in the test's namespace. */
static bool ifb_exists(const char *ifname)
{
	char ifb[16];
	vz_tc_ifb_name(ifname, ifb);
	return in_ns_exists(ifb);
}

/* Whether the iperf3 server listens: its own /proc/PID/net/tcp shows its
 * namespace's sockets; 5201 is 0x1451, state 0A is LISTEN. */
static bool server_listening(void)
{
	char p[64], *text = NULL;
	snprintf(p, sizeof(p), "/proc/%d/net/tcp", (int)server);
	if (read_file(p, &text, NULL) < 0)
		return false;
	bool yes = strstr(text, ":1451 00000000:0000 0A") != NULL;
	free(text);
	return yes;
}

static bool start_server(void)
{
	server = fork();
	if (server < 0)
		return false;
	if (server == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("ip", "ip", "netns", "exec", ns_b, "iperf3", "-s", "-B", "198.18.0.2", "-p",
		       "5201", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		if (server_listening())
			return true;
		usleep(50000);
	}
	return false;
}

/* Mbit/s received by the receiver over secs seconds after a first second
 * left out (slow start, the tbf's initial bucket), or -1. */
static double measure(bool from_container, int secs, const char *cc)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "iperf3 -c 198.18.0.2 -p 5201 -t %d -O 1 -J%s%s%s 2>/dev/null",
		 secs, from_container ? " -R" : "", cc ? " -C " : "", cc ? cc : "");
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	char *out = NULL;
	size_t n = 0, cap = 0;
	char buf[4096];
	size_t k;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (n + k + 1 > cap) {
			cap = (n + k + 1) * 2;
			out = realloc(out, cap);
			if (!out)
				abort();
		}
		memcpy(out + n, buf, k);
		n += k;
		out[n] = 0;
	}
	pclose(f);
	double mbit = -1;
	const char *s = out ? strstr(out, "\"sum_received\"") : NULL;
	if (s)
		s = strstr(s, "\"bits_per_second\"");
	if (s)
		mbit = strtod(strchr(s, ':') + 1, NULL) / 1e6;
	free(out);
	return mbit;
}

static void within(double got, double lo, double hi, const char *what)
{
	ok(got >= lo && got <= hi, "%s: %.2f Mbit/s (want %.0f..%.0f)", what, got, lo, hi);
}

static uint64_t rate_in_now, rate_out_now;
static bool get_ok(uint64_t in, uint64_t out, const char *what)
{
	vz_err err = { 0 };
	rate_in_now = rate_out_now = 12345;
	int r = vz_tc_get_rates(veth, &rate_in_now, &rate_out_now, &err);
	bool good = r == 0 && rate_in_now == in && rate_out_now == out;
	ok(good, "%s: get_rates says in %" PRIu64 ", out %" PRIu64, what, rate_in_now, rate_out_now);
	if (r < 0)
		printf("#   %s\n", err.msg);
	return good;
}

static bool set_ok(const char *ifname, uint64_t in, uint64_t out)
{
	vz_err err = { 0 };
	int r = vz_tc_set_rates(ifname, in, out, &err);
	char a[24], b[24];
	bool good = is_int(r, 0, "set_rates(%s, in %s, out %s)", ifname, format_rate(in, a),
			   format_rate(out, b));
	if (!good)
		printf("#   %s\n", err.msg);
	return good;
}

static bool setup(void)
{
	snprintf(ns_a, sizeof(ns_a), "vztc%da", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "vztc%db", (int)getpid());
	if (sh("ip netns add %s", ns_a) < 0)
		return false;
	made_a = true;
	if (sh("ip netns add %s", ns_b) < 0)
		return false;
	made_b = true;
	host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	char p[64];
	snprintf(p, sizeof(p), "/run/netns/%s", ns_a);
	_cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (host_ns < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		return false;
	return sh("ip link set lo up") == 0 &&
	       sh("ip link add %s type veth peer name %s netns %s", veth, peer, ns_b) == 0 &&
	       sh("ip addr add 198.18.0.1/24 dev %s", veth) == 0 &&
	       sh("ip link set %s up", veth) == 0 && sh("ip -n %s link set lo up", ns_b) == 0 &&
	       sh("ip -n %s addr add 198.18.0.2/24 dev %s", ns_b, peer) == 0 &&
	       sh("ip -n %s link set %s up", ns_b, peer) == 0 && start_server();
}

static void test_errors(void)
{
	vz_err err = { 0 };
	is_int(vz_tc_set_rates("vztnone0", 10 * MBIT, 0, &err), -ENODEV, "a missing interface: -ENODEV");
	has_str(err.msg, "interface vztnone0: no such interface", "message: %s", err.msg);
	vz_err_clear(&err);
	is_int(vz_tc_set_rates(veth, VZ_TC_RATE_MAX + 8, 0, &err), -ERANGE, "a rate above tbf's: -ERANGE");
	has_str(err.msg, "is above the most tbf takes", "message: %s", err.msg);
	vz_err_clear(&err);
	is_int(vz_tc_set_rates("a/b", 1, 0, &err), -EINVAL, "an invalid name: -EINVAL");
	is_int(vz_tc_clear("vztnone0", &err), 0, "clear of a missing interface: nothing to do");
	get_ok(0, 0, "nothing set yet");
	char a[16], b[16];
	vz_tc_ifb_name("veth-web1-0", a);
	vz_tc_ifb_name("veth-web1-1", b);
	ok(strlen(a) == 15 && strncmp(a, "vzi", 3) == 0 && strcmp(a, b) != 0,
	   "ifb names: %s, %s: 15 characters, distinct", a, b);
}

static void test_in(void)
{
	int idx = (int)if_nametoindex(veth);
	if (!set_ok(veth, 10 * MBIT, 0))
		return;
	get_ok(10 * MBIT, 0, "rate_in 10mbit");
	ok(!ifb_exists(veth), "no ifb without rate_out");
	within(measure(false, 4, NULL), 8, 11, "rate_in 10mbit: to the container");
	set_ok(veth, 10 * MBIT, 0);
	get_ok(10 * MBIT, 0, "setting the same rate again changes nothing");

	set_ok(veth, 20 * MBIT, 0);
	is_int(if_nametoindex(veth), idx, "raised live: the same link");
	ok(sh("ip link show %s up | grep -q UP", veth) == 0, "... still up");
	get_ok(20 * MBIT, 0, "rate_in raised to 20mbit");
	within(measure(false, 4, NULL), 16, 22, "rate_in 20mbit: to the container");
}

static void test_out(void)
{
	if (!set_ok(veth, 0, 10 * MBIT))
		return;
	get_ok(0, 10 * MBIT, "rate_out 10mbit, rate_in removed");
	char ifb[16];
	vz_tc_ifb_name(veth, ifb);
	int ifb_idx = (int)if_nametoindex(ifb);
	ok(ifb_idx > 0, "rate_out created the ifb %s", ifb);
	ok(sh("ip link show %s | grep -q 'alias %s'", ifb, veth) == 0, "... its alias is %s", veth);
	within(measure(true, 4, NULL), 8, 11, "rate_out 10mbit: from the container");

	set_ok(veth, 0, 20 * MBIT);
	is_int(if_nametoindex(ifb), ifb_idx, "raised live: the same ifb");
	get_ok(0, 20 * MBIT, "rate_out raised to 20mbit");
	within(measure(true, 4, NULL), 16, 22, "rate_out 20mbit: from the container");

	set_ok(veth, 10 * MBIT, 10 * MBIT);
	set_ok(veth, 10 * MBIT, 10 * MBIT);
	get_ok(10 * MBIT, 10 * MBIT, "both directions, set twice");
	is_int(sh("tc filter show dev %s ingress | grep -c mirred | grep -qx 1", veth), 0,
	       "one redirect filter on the ingress");

	set_ok(veth, 10 * MBIT, 0);
	ok(!ifb_exists(veth), "rate_out 0 removes the ifb");
	get_ok(10 * MBIT, 0, "only rate_in left");
}

static void test_clear(void)
{
	set_ok(veth, 10 * MBIT, 10 * MBIT);
	vz_err err = { 0 };
	is_int(vz_tc_clear(veth, &err), 0, "clear");
	get_ok(0, 0, "cleared");
	ok(!ifb_exists(veth), "clear removed the ifb");
	is_int(sh("tc qdisc show dev %s | grep -Eq 'tbf|ingress'", veth), -1, "no vz qdisc left");
	is_int(vz_tc_clear(veth, &err), 0, "clear again: nothing to do");
	double in = measure(false, 2, NULL), out = measure(true, 2, NULL);
	ok(in > 100, "unlimited again to the container: %.0f Mbit/s", in);
	ok(out > 100, "unlimited again from the container: %.0f Mbit/s", out);
}

/* The ifb of a veth that died with its namespace: vz_tc_clear by name and
 * vz_tc_gc both remove it. */
static void test_orphans(void)
{
	if (sh("ip link add vzt2 type veth peer name vzt3 && ip link add vzt4 type veth peer name vzt5") < 0) {
		ok(false, "second and third veth pairs");
		return;
	}
	set_ok("vzt2", 0, 5 * MBIT);
	set_ok("vzt4", 5 * MBIT, 5 * MBIT);
	ok(ifb_exists("vzt2") && ifb_exists("vzt4"), "their ifbs exist");
	sh("ip link del vzt2");
	sh("ip link del vzt4");
	ok(ifb_exists("vzt2") && ifb_exists("vzt4"), "the ifbs outlive their veths");
	vz_err err = { 0 };
	is_int(vz_tc_clear("vzt2", &err), 0, "clear of the gone vzt2");
	ok(!ifb_exists("vzt2"), "... removed its ifb");
	is_int(vz_tc_gc(&err), 1, "gc removes the one stale ifb left");
	ok(!ifb_exists("vzt4"), "... vzt4's");
	is_int(vz_tc_gc(&err), 0, "gc again: nothing");
	ok(in_ns_exists(veth), "gc leaves the live veth alone");
}

static void bench(void)
{
	static const uint64_t rates[] = { 10 * MBIT, 100 * MBIT, 1000 * MBIT };
	static const char *const ccs[] = { "bbr", "cubic" };
	for (size_t i = 0; i < ELEMENTSOF(rates); i++) {
		set_ok(veth, rates[i], rates[i]);
		for (size_t c = 0; c < ELEMENTSOF(ccs); c++) {
			double in = measure(false, 5, ccs[c]), out = measure(true, 5, ccs[c]);
			char rb[24];
			printf("# bench %s %s: in %.2f Mbit/s (%.1f%%), out %.2f Mbit/s (%.1f%%)\n",
			       format_rate(rates[i], rb), ccs[c], in, 100 * in * 1e6 / (double)rates[i],
			       out, 100 * out * 1e6 / (double)rates[i]);
		}
	}
	vz_tc_clear(veth, NULL);
	double in = measure(false, 5, NULL), out = measure(true, 5, NULL);
	printf("# bench unlimited: in %.0f Mbit/s, out %.0f Mbit/s\n", in, out);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	if (system("command -v iperf3 >/dev/null 2>&1 && command -v tc >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP iperf3 or tc is not installed (tools/install-deps installs them)\n");
		return 0;
	}
	if (getenv("VZ_TEST_DEBUG"))
		vz_log_setup(STDERR_FILENO, VZ_LOG_DEBUG, "test-tc");
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	if (!ok(setup(), "namespaces %s and %s, veth %s-%s, iperf3 server", ns_a, ns_b, veth, peer))
		return tap_done();
	double base = measure(false, 2, NULL);
	ok(base > 100, "without limits: %.0f Mbit/s to the container", base);
	test_errors();
	test_in();
	test_out();
	test_clear();
	test_orphans();
	if (getenv("VZ_TEST_TC_BENCH"))
		bench();

	cleanup();
	char p[64];
	snprintf(p, sizeof(p), "/run/netns/%s", ns_a);
	ok(!made_a && !made_b && access(p, F_OK) < 0, "namespaces removed");
	ok(!in_ns_exists(veth) && !in_ns_exists(peer) && !ifb_exists(veth),
	   "no link of the test in the host's namespace");
	return tap_done();
}
