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
python3 - "$VZ" "$SECS" "$N" "$hz" <<'PY'
import os, pty, select, subprocess, sys, time
vz, secs, n, hz = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
m, s = pty.openpty()
p = subprocess.Popen([vz, "top", "-d", "1"], stdin=s, stdout=s, stderr=s,
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
print("vz top (ncurses), %d running, 1 s refresh: %.2f%% of one core" % (n, 100.0 * (c1 - c0) / hz / (t1 - t0)))
os.write(m, b"q")
try: p.wait(5)
except subprocess.TimeoutExpired: p.kill(); p.wait()
PY
for i in $(seq "$N"); do vz stop -k "$BID-c$i" >/dev/null; done
