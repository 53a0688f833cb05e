#!/bin/bash
# vz on a host that systemd runs, with only cgroup v2 (the VM lane with
# systemd as PID 1): vz's cgroups live inside the delegated unit vz.service
# and nowhere else, monitors live there too (so a unit or session that runs
# vz start does not take its container along when it ends), systemd's own
# actions leave containers and limits alone, stopping vz.service stops the
# containers gracefully, and a vz.service that is not delegated is refused.
# lanes: systemd
. "$(dirname "$0")/lib.sh"

if ! why=$("$VZ_SRC/tests/integration/lane-check" systemd); then
	skip "vz under systemd" "$why (it runs in the VM lane: tools/vm/run --systemd)"
	exit 0
fi
U=/sys/fs/cgroup/system.slice/vz.service
prop() { systemctl show -P "$1" vz.service; }
cg_of() { sed -n 's/^0:://p' /proc/"$1"/cgroup; }

is "$(prop ActiveState)" inactive "vz.service does not exist before the first start"

c=$(cname sd)
check "create" vz create "$c" -t busybox -c limits.memory=64M -c limits.pids=50
check "start" vz start "$c"
is "$(prop ActiveState)/$(prop Delegate)" active/yes "vz start created vz.service, active and delegated"
is "$(prop ControlGroup)" /system.slice/vz.service "the unit's cgroup is $U"
pid=$(init_pid "$c")
mon=$(monitor_pid "$c")
is "$(cg_of "$pid")" "/system.slice/vz.service/$CG_PARENT/$c" "init is in the container's cgroup inside the unit"
is "$(cg_of "$mon")" /system.slice/vz.service/monitors "the monitor is in the unit's monitors cgroup"
keeper=$(prop MainPID)
is "$(cg_of "$keeper")" /system.slice/vz.service/monitors "the unit's own process left the unit's root for monitors/"
is "$(cat "$U/cgroup.procs")" "" "no process in the unit's root (it passes controllers down)"
is "$(cat "$U/$CG_PARENT/$c/memory.max")/$(cat "$U/$CG_PARENT/$c/pids.max")" 67108864/50 "limits are applied to the leaf"
is "$(find /sys/fs/cgroup -maxdepth 1 -name 'vz*' | wc -l)" 0 "nothing of vz at the cgroup root"

# A unit that runs vz start and ends must not take the container along.
c2=$(cname unit)
check "create a second container" vz create "$c2" -t busybox
out=$(systemd-run --quiet --wait --collect --setenv=VZ_PATH="$T" -- "$VZ" start "$c2" 2>&1)
is "$?" 0 "vz start run by a transient unit (systemd-run --wait) succeeds${out:+: $out}"
sleep 1
is "$(state "$c2")" RUNNING "after that unit ended, the container still runs"
pid2=$(init_pid "$c2")
[ -n "$pid2" ] && kill -0 "$pid2" 2>/dev/null && ok "its init is alive" || not_ok "its init is alive"
is "$(cg_of "$(monitor_pid "$c2")")" /system.slice/vz.service/monitors "its monitor is in vz.service, not in the unit that ran vz start"

# systemd reloading or re-executing itself changes nothing.
check "systemctl daemon-reload" systemctl daemon-reload
check "systemctl daemon-reexec" systemctl daemon-reexec
sleep 1
is "$(init_pid "$c")" "$pid" "the container kept its init"
is "$(cg_of "$pid")" "/system.slice/vz.service/$CG_PARENT/$c" "init is still in its cgroup"
is "$(cat "$U/$CG_PARENT/$c/memory.max")" 67108864 "the memory limit is still in place"
is "$(prop ActiveState)" active "vz.service is still active"
unlike "$(systemctl --failed --plain --no-legend)" 'vz' "no vz unit failed"

check "attach works" vz attach "$c" -- true
check "stop" vz stop "$c"
is "$(cg_dirs "$CG_PARENT/$c")" "" "its cgroup is removed after stop"
is "$(prop ActiveState)" active "vz.service stays for the next start"

# Stopping vz.service (as at host shutdown) stops the containers gracefully.
t0=$(date +%s)
check "systemctl stop vz.service" systemctl stop vz.service
is "$(state "$c2")" STOPPED "the container running in it is STOPPED"
like "$(cat "$T/log/$c2/monitor.log" 2>/dev/null)" 'signal 15: stopping the container' "its monitor stopped it the graceful way"
[ $(($(date +%s) - t0)) -lt 60 ] && ok "in less than a minute" || not_ok "in less than a minute"
is "$(prop ActiveState)" inactive "vz.service is inactive"
[ -d "$U" ] && not_ok "the unit's cgroup is gone" || ok "the unit's cgroup is gone"

# A vz.service that systemd does not delegate is refused.
check "make a vz.service without Delegate=yes" systemd-run --quiet --unit=vz.service -p Type=exec /bin/sleep infinity
out=$(vz start "$c" 2>&1)
rc=$?
[ "$rc" -ne 0 ] && ok "vz start fails" || not_ok "vz start fails"
like "$out" 'vz.service exists but is not delegated' "the error says why: $out"
is "$(state "$c")" STOPPED "the container is STOPPED"
is "$(ls "$U")" "$(ls "$U" | grep -v -e '^vz' -e '^monitors$')" "nothing was created in the undelegated unit"
check "stop that vz.service" systemctl stop vz.service
check "start again creates vz.service anew" vz start "$c"
is "$(prop Delegate)" yes "delegated again"
check "stop" vz stop "$c"
check "systemctl stop vz.service" systemctl stop vz.service
