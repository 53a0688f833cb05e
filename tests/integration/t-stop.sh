#!/bin/bash
# Stopping: busybox init halts cleanly on its halt signal; -k kills at once;
# an init that ignores the halt signal is killed after the timeout; init
# exiting by itself stops the container; stop kills by cgroup; a reboot
# inside restarts it with a new init.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

mlog() { cat "$T/log/$1/monitor.log" 2>/dev/null; }
secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.2f", b - a }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

c=$(cname halt)
check "create" vz create "$c" -t busybox
check "start" vz start "$c"
t0=$(secs)
check "clean stop" vz stop "$c"
is "$(state "$c")" STOPPED "STOPPED after a clean stop"
like "$(mlog "$c")" 'init \(pid [0-9]+\) was killed by SIGINT' "init halted itself (reboot(2) halt ends it with SIGINT), it was not killed"
like "$(mlog "$c")" 'stopping: sending SIGUSR2 to init' "halt_signal unset: SIGUSR2 picked for busybox's init"
d=$(elapsed "$t0")
lt "$d" 10 && ok "clean stop took ${d}s (< 10 s)" || not_ok "clean stop took ${d}s"

check "start for -k" vz start "$c"
t0=$(secs)
check "stop -k" vz stop -k "$c"
d=$(elapsed "$t0")
lt "$d" 1.5 && ok "stop -k is immediate (${d}s)" || not_ok "stop -k took ${d}s"
like "$(mlog "$c" | tail -n 5)" 'killed by SIGKILL' "stop -k killed init"
is "$(state "$c")" STOPPED "STOPPED after stop -k"

# Stop kills by cgroup, not only by pid namespace: a host process that root
# put into the container's cgroup (not in its pid namespace) goes too.
check "start to test kill by cgroup" vz start "$c"
stray=$(sh -c 'sleep 1000 </dev/null >/dev/null 2>&1 & echo $!')
moved=0
for d in $(cg_dirs "$CG_PARENT/$c"); do echo "$stray" >"$d/cgroup.procs" && moved=$((moved + 1)); done
is "$moved" "${#CG_ROOTS[@]}" "a host process put into the container's cgroup in every hierarchy ($moved of ${#CG_ROOTS[@]})"
check "stop -k" vz stop -k "$c"
wait_until 5 sh -c "! kill -0 $stray 2>/dev/null" && ok "stop killed it too (by cgroup)" ||
	{ not_ok "stop killed it too (by cgroup)"; kill -9 "$stray" 2>/dev/null; }
is "$(cg_dirs "$CG_PARENT/$c")" "" "and the container's cgroup is gone"

s=$(cname stubborn)
check "create a container whose init ignores the halt signal" vz create "$s" -t busybox -c "init=/bin/sleep 1000"
check "start it" vz start "$s"
t0=$(secs)
check "stop -t 1" vz stop -t 1 "$s"
d=$(elapsed "$t0")
lt 0.9 "$d" && lt "$d" 5 && ok "killed after the 1 s timeout (${d}s)" || not_ok "stop -t 1 took ${d}s"
is "$(state "$s")" STOPPED "STOPPED after the timeout"

e=$(cname exits)
check "create a container whose init exits after 1 s" vz create "$e" -t busybox -c "init=/bin/sleep 1"
check "start it" vz start "$e"
state_is() { [ "$(state "$1")" = "$2" ]; }
wait_until 10 state_is "$e" STOPPED && ok "init exiting stops the container" || not_ok "init exiting stops the container (state $(state "$e"))"
wait_until 5 test ! -e "$T/run/$e" && ok "its runtime dir is gone" || not_ok "its runtime dir is gone"
left=$(cg_dirs "$CG_PARENT/$e")
is "$left" "" "its cgroups are gone"

check "start for reboot" vz start "$c"
old=$(init_pid "$c")
check "reboot inside the container" vz attach "$c" -- reboot
wait_until 15 sh -c "p=\$($VZ ls | awk '\$1==\"$c\"{print \$3}'); [ -n \"\$p\" ] && [ \"\$p\" != - ] && [ \"\$p\" != $old ]" &&
	ok "after a reboot inside, a new init runs" || not_ok "after a reboot inside, a new init runs"
is "$(state "$c")" RUNNING "RUNNING after the reboot"
is "$(vz info --json "$c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["restarts"])')" 1 "vz info counts one restart"
like "$(mlog "$c")" 'rebooted the container' "the monitor log records the reboot"
check "the rebooted container answers attach" vz attach "$c" -- true
check "restart" vz restart "$c"
is "$(state "$c")" RUNNING "RUNNING after vz restart"
check "stop after restart" vz stop "$c"
check "restart of a stopped container starts it" vz restart "$c"
is "$(state "$c")" RUNNING "RUNNING"
check "stop" vz stop -k "$c"
