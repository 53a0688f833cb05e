#!/bin/bash
# 200 containers: how long starting all of them takes (one after another,
# and with 8 starts at a time), and how long `vz ls` takes with 200 running.
# Goals: 200 started <= 2.5 s, vz ls <= 50 ms. LXC: 200 start in 5.8 s.
. "$(dirname "$0")/lib.sh"
N=${N:-200}
for i in $(seq "$N"); do vz create "$BID-c$i" -t busybox; done
t0=$EPOCHREALTIME
for i in $(seq "$N"); do vz start "$BID-c$i"; done
t1=$EPOCHREALTIME
echo "start $N one after another:     $(ms "$t0" "$t1") ms"
ls_ms=()
for i in $(seq 7); do
	a=$EPOCHREALTIME; vz ls >/dev/null; b=$EPOCHREALTIME
	ls_ms+=("$(ms "$a" "$b")")
done
echo "vz ls with $N running:          $(printf '%s\n' "${ls_ms[@]}" | median) ms (median of 7)"
a=$EPOCHREALTIME; vz ls --json >/dev/null; b=$EPOCHREALTIME
echo "vz ls --json with $N running:   $(ms "$a" "$b") ms"
for i in $(seq "$N"); do vz stop -k "$BID-c$i"; done
t0=$EPOCHREALTIME
seq "$N" | xargs -P 8 -I{} "$VZ" start "$BID-c{}"
t1=$EPOCHREALTIME
echo "start $N, 8 at a time:          $(ms "$t0" "$t1") ms"
echo "running: $(vz ls --running -1 | grep -c "^$BID-")"
t0=$EPOCHREALTIME
seq "$N" | xargs -P 8 -I{} "$VZ" stop -k "$BID-c{}"
t1=$EPOCHREALTIME
echo "stop -k $N, 8 at a time:        $(ms "$t0" "$t1") ms"
have_lxc || echo "lxc: not installed (issue 2's figure: 200 containers start in 5.8 s)"
