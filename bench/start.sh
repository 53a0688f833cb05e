#!/bin/bash
# Start latency of an unprivileged busybox container: `vz start` returning,
# start until `vz attach -- true` answers, and `vz attach -- true` alone,
# back to back; then both again after half a second of quiet ("cold"), the
# way an admin meets them: a quiet host makes the kernel's first cgroup
# migration wait for an RCU grace period (doc/cgroups.md, "join").
# Goals (issue 2): start->attach answering <= 10 ms, attach -- true <= 3 ms.
# LXC 5.0.2 on this machine: lxc-start 11 ms, start->attach 21 ms, attach 4.9 ms.
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-15}
c=$BID-s
vz create "$c" -t busybox
start_ms=() ready_ms=() attach_ms=()
for i in $(seq "$RUNS"); do
	t0=$EPOCHREALTIME
	vz start "$c"
	t1=$EPOCHREALTIME
	until vz attach "$c" -- true </dev/null 2>/dev/null; do :; done
	t2=$EPOCHREALTIME
	start_ms+=("$(ms "$t0" "$t1")")
	ready_ms+=("$(ms "$t0" "$t2")")
	vz stop -k "$c"
done
vz start "$c"
for i in $(seq $((RUNS * 2))); do
	t0=$EPOCHREALTIME
	vz attach "$c" -- true </dev/null
	t1=$EPOCHREALTIME
	attach_ms+=("$(ms "$t0" "$t1")")
done
vz stop -k "$c"
COLD=${COLD:-7}
cold_start=() cold_attach=()
for i in $(seq "$COLD"); do
	sleep 0.5
	t0=$EPOCHREALTIME
	vz start "$c"
	t1=$EPOCHREALTIME
	sleep 0.5
	t2=$EPOCHREALTIME
	vz attach "$c" -- true </dev/null
	t3=$EPOCHREALTIME
	cold_start+=("$(ms "$t0" "$t1")")
	cold_attach+=("$(ms "$t2" "$t3")")
	vz stop -k "$c"
done
printf 'vz start returns:              %s ms (median of %d)\n' "$(printf '%s\n' "${start_ms[@]}" | median)" "$RUNS"
printf 'start -> attach answers:       %s ms (median of %d)\n' "$(printf '%s\n' "${ready_ms[@]}" | median)" "$RUNS"
printf 'vz attach -- true:             %s ms (median of %d)\n' "$(printf '%s\n' "${attach_ms[@]}" | median)" $((RUNS * 2))
printf 'cold vz start returns:         %s ms (median of %d)\n' "$(printf '%s\n' "${cold_start[@]}" | median)" "$COLD"
printf 'cold vz attach -- true:        %s ms (median of %d)\n' "$(printf '%s\n' "${cold_attach[@]}" | median)" "$COLD"
have_lxc && echo "lxc: installed, but no LXC run is scripted yet (issue 2's LXC 5.0.2 figures: lxc-start 11 ms, start->attach 21 ms, lxc-attach 4.9 ms)"
have_lxc || echo "lxc: not installed (issue 2's LXC 5.0.2 figures: lxc-start 11 ms, start->attach 21 ms, lxc-attach 4.9 ms)"
