#!/bin/bash
# CPU used by `vz top` itself at 1 s refresh with N running containers
# (N=50 by default; the issue's figure is for 200): its utime+stime from
# /proc/PID/stat over 10 s, in percent of one core, in batch mode (-b) and
# on the ncurses screen (on a pty). Goal: <= 2%.
. "$(dirname "$0")/lib.sh"
N=${N:-50}
SECS=${SECS:-10}
for i in $(seq "$N"); do vz create "$BID-c$i" -t busybox >/dev/null; done
seq "$N" | xargs -P 4 -I{} "$VZ" start "$BID-c{}"
echo "running: $(vz ls --running -1 | grep -c "^$BID-")"
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure LABEL PID: CPU % of PID over SECS, after 2 s of warm-up.
measure() {
	sleep 2
	local t0 c0 t1 c1
	t0=$EPOCHREALTIME c0=$(ticks "$2")
	sleep "$SECS"
	t1=$EPOCHREALTIME c1=$(ticks "$2")
	awk -v l="$1" -v n="$N" -v c=$((c1 - c0)) -v hz="$hz" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "vz top %s, %d running, 1 s refresh: %.2f%% of one core\n", l, n, 100 * c / hz / (b - a) }'
}

"$VZ" top -b -d 1 >/dev/null &
pid=$!
measure "-b" "$pid"
kill "$pid"; wait "$pid" 2>/dev/null

# On a pty (python3's pty, read as a terminal would), the ncurses screen.
printf 'vz top (ncurses), %d running, 1 s refresh: %s%% of one core\n' "$N" "$(cpu_pty "$SECS" "$VZ" top -d 1)"
for i in $(seq "$N"); do vz stop -k "$BID-c$i" >/dev/null; done
