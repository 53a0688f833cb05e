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
