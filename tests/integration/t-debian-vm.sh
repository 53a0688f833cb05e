#!/bin/bash
# A Debian container on a cgroup v2 host run by systemd (the VM lane): it
# boots unprivileged to "running" with no failed units inside vz's delegated
# unit, and a vz stop shuts it down cleanly (systemd's halt signal, no kill).
# lanes: systemd
# needs: debian
. "$(dirname "$0")/lib.sh"

c=$(cname vmdeb)
check "create from the Debian cache" vz create "$c" -t debian
check "start" vz start "$c"
st=$(timeout 300 "$VZ" attach "$c" -- systemctl is-system-running --wait 2>&1)
is "$st" running "boots to running"
[ "$st" = running ] || vz attach "$c" -- systemctl --failed --no-pager 2>&1 | diag
is "$(vz attach "$c" -- systemctl --failed --plain --no-legend 2>&1)" "" "no failed units"
is "$(vz attach "$c" -- systemd-detect-virt 2>&1)" container-other "systemd-detect-virt: container-other"
like "$(vz attach "$c" -- cat /proc/self/cgroup)" '^0::/' "it sees cgroup v2 through its cgroup namespace"
pid=$(init_pid "$c")
like "$(cat /proc/"$pid"/cgroup)" "^0::/system.slice/vz.service/$CG_PARENT/$c/init.scope\$" \
	"on the host its init is in init.scope below the container's cgroup in vz.service"
check "vz stop" vz stop "$c"
like "$(grep -E 'stopping:' "$T/log/$c/monitor.log" | tail -1)" 'sending SIGRTMIN\+3 to init' "stop sends systemd's halt signal"
unlike "$(tail -n 3 "$T/log/$c/monitor.log")" 'killing every process|timed out' "and systemd halts by itself"
is "$(cg_dirs "$CG_PARENT/$c")" "" "its cgroups are gone"
