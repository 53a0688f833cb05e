#!/bin/bash
# Issue 6's benchmark: N (200) running busybox containers, each with memory,
# pids and CPU limits; then the latency of `vz ls` (table and --json),
# `vz info NAME` (plain, --json, --limits), the round trip of `vz set NAME
# memory=...` (live, and with --save), `vz top -b -n 1`, and the CPU used by
# `vz top` itself at 1 s refresh (batch, and the ncurses screen on a pty).
# Goals: vz ls <= 50 ms, vz info <= 5 ms, vz top <= 2% of one core.
# Then the same work with LXC, where installed, in the same run: LXC_N
# (default N) privileged busybox containers with the same limits, lxc-ls
# (--fancy), lxc-info -n, lxc-cgroup (a live limit change), lxc-top on a pty
# (LXC_N=0 leaves LXC out).
# Latencies are wall times of the whole command (fork and exec included),
# medians of RUNS, and where perf is installed the command's CPU time (user
# and system, children included; mean of RUNS by perf stat), which other load
# on the machine disturbs far less. The vz containers are stopped before
# LXC's start, so the two never share the machine. Containers stay idle
# (init asleep) throughout.
. "$(dirname "$0")/lib.sh"
N=${N:-200}
LXC_N=${LXC_N:-$N}
RUNS=${RUNS:-15}
SECS=${SECS:-20}
hz=$(getconf CLK_TCK)

# timeit CMD...: the median wall time of RUNS runs, in ms.
timeit() {
	local k a b t=()
	for ((k = 0; k < RUNS; k++)); do
		a=$EPOCHREALTIME
		"$@" >/dev/null 2>&1 </dev/null
		b=$EPOCHREALTIME
		t+=("$(ms "$a" "$b")")
	done
	printf '%s\n' "${t[@]}" | median
}
# cputime CMD...: its mean CPU time over RUNS runs in ms, "-" without perf.
cputime() {
	command -v perf >/dev/null || { echo -; return; }
	perf stat -x, -e task-clock -r "$RUNS" -- "$@" 2>&1 >/dev/null </dev/null |
		awk -F, '$3 ~ /^task-clock/ { printf "%.2f\n", $1; f = 1 } END { if (!f) print "-" }'
}
# row LABEL CMD...: wall and CPU time of CMD; row_wall LABEL CMD...: wall only.
row() {
	local l=$1
	shift
	printf '%-44s %8s ms %8s ms\n' "$l" "$(timeit "$@")" "$(cputime "$@")"
}
row_wall() {
	local l=$1
	shift
	printf '%-44s %8s ms %8s\n' "$l" "$(timeit "$@")" "-"
}
head_row() { printf '%-44s %11s %11s\n' "$1" "wall" "CPU"; }

# cpu_bg SECS PID: CPU % of one core that PID uses over SECS, after 2 s.
cpu_bg() {
	sleep 2
	local t0 c0 t1 c1
	t0=$EPOCHREALTIME c0=$(awk '{ print $14 + $15 }' "/proc/$2/stat")
	sleep "$1"
	t1=$EPOCHREALTIME c1=$(awk '{ print $14 + $15 }' "/proc/$2/stat")
	awk -v c=$((c1 - c0)) -v hz="$hz" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.2f\n", 100 * c / hz / (b - a) }'
}

# LXC containers live under their own lxcpath, removed on every exit path.
L=
_limits_cleanup() {
	local d
	if [ -n "$L" ] && [ -d "$L" ]; then
		for d in "$L"/*/; do
			[ -f "$d/config" ] || continue
			lxc-stop -P "$L" -k -n "$(basename "$d")" >/dev/null 2>&1
			lxc-destroy -P "$L" -n "$(basename "$d")" >/dev/null 2>&1
		done
		rm -rf "$L"
	fi
	_bench_cleanup
}
trap _limits_cleanup EXIT

lim=(-c limits.memory=64M -c limits.pids=100 -c limits.cpus=0.5)
vz create "$BID-c1" -t busybox "${lim[@]}" >/dev/null # builds the template cache once
seq 2 "$N" | xargs -P 4 -I{} "$VZ" create "$BID-c{}" -t busybox "${lim[@]}" >/dev/null
seq "$N" | xargs -P 8 -I{} "$VZ" start "$BID-c{}"
running=$(vz ls --running -1 | grep -c "^$BID-")
c=$BID-c$(((N + 1) / 2))
echo "vz: $running running busybox containers (memory=64M pids=100 cpus=0.5), $RUNS runs each"
head_row "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
row "exec /bin/true (process start, for scale)" /bin/true
row "vz ls" "$VZ" ls
row "vz ls --json" "$VZ" ls --json
row "vz ls -1 (names only)" "$VZ" ls -1
row "vz info NAME" "$VZ" info "$c"
row "vz info NAME --json" "$VZ" info "$c" --json
row "vz info NAME --limits" "$VZ" info "$c" --limits
mem=64
vset() { mem=$((mem == 64 ? 80 : 64)); vz set "$@" memory=${mem}M; }
row_wall "vz set NAME memory=... (live, round trip)" vset "$c"
row_wall "vz set NAME memory=... --save" vset "$c" --save
# -n 1 takes two samples -d apart: the wall time is shown less -d.
t=$(timeit vz top -b -n 1 -d 0.1)
printf '%-44s %8s ms %8s ms\n' "vz top -b -n 1 -d 0.1 (wall less 0.1 s)" \
	"$(awk -v t="$t" 'BEGIN { printf "%.2f", t - 100 }')" "$(cputime "$VZ" top -b -n 1 -d 0.1)"
"$VZ" top -b -d 1 >/dev/null &
pid=$!
printf '%-44s %8s %%\n' "vz top -b -d 1: CPU of one core (${SECS} s)" "$(cpu_bg "$SECS" "$pid")"
kill "$pid"
wait "$pid" 2>/dev/null
printf '%-44s %8s %%\n' "vz top -d 1 (ncurses, pty): CPU of one core" "$(cpu_pty "$SECS" "$VZ" top -d 1)"
seq "$N" | xargs -P 8 -I{} "$VZ" stop -k "$BID-c{}"

if [ "$LXC_N" = 0 ]; then
	echo "lxc: left out (LXC_N=0)"
	exit 0
fi
if ! have_lxc; then
	echo "lxc: not installed"
	exit 0
fi
if ! command -v busybox >/dev/null; then
	echo "lxc: skipped, lxc-create -t busybox needs busybox on the host"
	exit 0
fi
L=$(mktemp -d /tmp/vzb-lxc.XXXXXX)
cat >"$L/bench.conf" <<'CONF'
lxc.net.0.type = empty
lxc.cgroup.memory.limit_in_bytes = 64M
lxc.cgroup.pids.max = 100
lxc.cgroup.cpu.cfs_quota_us = 50000
lxc.cgroup.cpu.cfs_period_us = 100000
CONF
seq "$LXC_N" | xargs -P 4 -I{} lxc-create -P "$L" -f "$L/bench.conf" -t busybox -n "$BID-l{}" >/dev/null 2>&1
seq "$LXC_N" | xargs -P 8 -I{} lxc-start -P "$L" -n "$BID-l{}"
running=$(lxc-ls -P "$L" --running -1 | grep -c "^$BID-")
lc=$BID-l$(((LXC_N + 1) / 2))
echo "LXC $(lxc-ls --version): $running running busybox containers (privileged, same limits), $RUNS runs each"
head_row "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
row "lxc-ls --fancy" lxc-ls -P "$L" --fancy
row "lxc-ls -1 (names only)" lxc-ls -P "$L" -1
row "lxc-info -n NAME" lxc-info -P "$L" -n "$lc"
lset() { mem=$((mem == 64 ? 80 : 64)); lxc-cgroup -P "$L" -n "$lc" memory.limit_in_bytes ${mem}M; }
row_wall "lxc-cgroup -n NAME memory.limit_in_bytes" lset
printf '%-44s %8s %%\n' "lxc-top -d 1 (pty): CPU of one core" "$(cpu_pty "$SECS" lxc-top -P "$L" -d 1)"
printf '%-44s %8s %%\n' "lxc-top -b -d 1 (pty): CPU of one core" "$(cpu_pty "$SECS" lxc-top -P "$L" -b -d 1)"
seq "$LXC_N" | xargs -P 8 -I{} lxc-stop -P "$L" -k -n "$BID-l{}"
