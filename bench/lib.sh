# bench/lib.sh: shared set-up for the benchmarks. Like the integration
# tests, each benchmark runs against a build tree (VZ_BUILD, default
# build-test, else build) under its own temporary VZ_PATH and cgroup parent,
# and removes everything it made on exit. Benchmarks print figures (medians);
# they never pass or fail.
set -u
VZ_SRC=${VZ_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if [ -z "${VZ_BUILD:-}" ]; then
	VZ_BUILD=$VZ_SRC/build-test
	[ -x "$VZ_BUILD/vz" ] || VZ_BUILD=$VZ_SRC/build
fi
VZ=$VZ_BUILD/vz
[ -x "$VZ" ] || { echo "bench: build vz first (tools/test or make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }
BID=b$$
T=$(mktemp -d /tmp/vzb.XXXXXX)
chmod 0711 "$T"
export VZ_PATH=$T
cat >"$T/vz.conf" <<CONF
paths = { templates = "$VZ_SRC/templates"; };
monitor = "$VZ_BUILD/vz-monitor";
idmap = { subuid = "$T/subuid"; subgid = "$T/subgid"; };
cgroup = { parent = "vz/bench-$BID"; };
CONF
echo "root:1048576:1073741824" >"$T/subuid"
echo "root:1048576:1073741824" >"$T/subgid"

vz() { "$VZ" "$@"; }
# Times are taken as t=$EPOCHREALTIME (seconds with microseconds, no fork).
# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'; }
have_lxc() { command -v lxc-start >/dev/null && command -v lxc-create >/dev/null; }

_bench_cleanup() {
	local d
	for d in "$T"/lib/*/; do [ -d "$d" ] && "$VZ" destroy -f "$(basename "$d")" >/dev/null 2>&1; done
	for d in /sys/fs/cgroup/*/vz/bench-"$BID"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$T"
}
trap _bench_cleanup EXIT
trap 'exit 130' INT TERM

# cpu_pty SECS CMD...: CPU % of one core that CMD uses, run on a pty that is
# read as a terminal would (after 2 s of warm-up); then 'q' ends it.
cpu_pty() {
	python3 - "$@" <<'PY'
import os, pty, select, subprocess, sys, time
secs, argv = float(sys.argv[1]), sys.argv[2:]
hz = os.sysconf("SC_CLK_TCK")
m, s = pty.openpty()
p = subprocess.Popen(argv, stdin=s, stdout=s, stderr=s,
                     env=dict(os.environ, TERM="xterm"), start_new_session=True)
os.close(s)
def ticks():
    f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
def drain(until):
    while time.monotonic() < until:
        if select.select([m], [], [], 0.2)[0]:
            try: os.read(m, 65536)
            except OSError: return
drain(time.monotonic() + 2)
t0, c0 = time.monotonic(), ticks()
drain(t0 + secs)
t1, c1 = time.monotonic(), ticks()
print("%.2f" % (100.0 * (c1 - c0) / hz / (t1 - t0)))
os.write(m, b"q")
try: p.wait(5)
except subprocess.TimeoutExpired: p.kill(); p.wait()
PY
}
