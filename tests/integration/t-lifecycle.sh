#!/bin/bash
# Full lifecycle of a busybox container, unprivileged and privileged, and
# what a process inside sees: init is PID 1, only the container's processes,
# its own hostname and uid range, an overlay root, read-only /sys, masked
# /proc entries, container=vz.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

c=$(cname life)
check "create unprivileged busybox container" vz create "$c" -t busybox
is "$(state "$c")" STOPPED "a new container is STOPPED"
check "start" vz start "$c"
is "$(state "$c")" RUNNING "vz ls shows it RUNNING"
pid=$(init_pid "$c")
like "$pid" '^[0-9]+$' "vz ls shows the init pid"
is "$(readlink /proc/"$pid"/exe 2>/dev/null | xargs basename 2>/dev/null)" busybox "that pid runs busybox"
like "$(ps -o args= -p "$(monitor_pid "$c")")" "^vz-monitor $c\$" "the monitor shows as 'vz-monitor NAME' in ps"
is "$(awk '{print $4}' /proc/"$pid"/stat)" "$(monitor_pid "$c")" "the monitor is init's parent"

check "install the probe" install_probe "$c"
out=$(probe "$c")
kv() { sed -n "s/^$1=//p" <<<"$out"; }
is "$(kv pid1_comm)" init "PID 1 in the container is init"
is "$(kv hostname)" "$c" "hostname is the container's name"
base=$(sed -n 's/^\s*uid = \([0-9]*\);/\1/p' "$T/lib/$c/config")
like "$base" '^[0-9]+$' "the config records the uid range"
is "$(kv uid_map)" "0 $base 65536" "uid_map is the container's own range"
is "$(kv uid)" 0 "attach runs as root in the container"
is "$(kv root_fstype)" overlay "/ is the overlay rootfs"
is "$(kv sys_ro)" 1 "/sys is read-only"
like "$(kv proc_kcore)" '^(masked|No such file or directory)$' "/proc/kcore is masked (or absent from this kernel)"
like "$(kv sysrq)" '^(masked|EACCES|EPERM|EROFS|No such file or directory)$' "/proc/sysrq-trigger cannot be written"
is "$(kv proc_timer_list)" masked "/proc/timer_list is masked"
is "$(kv proc_keys)" masked "/proc/keys is masked"
is "$(kv container)" vz "environment has container=vz"
nprocs=$(kv nprocs)
[ -n "$nprocs" ] && [ "$nprocs" -lt 10 ] && ok "only the container's processes are visible ($nprocs)" ||
	not_ok "only the container's processes are visible (got '$nprocs')"
ps_out=$(vz attach "$c" -- ps -o pid,comm </dev/null)
like "$(awk 'NR==2{print $1, $2}' <<<"$ps_out")" '^1 init$' "ps inside lists init as PID 1"
unlike "$ps_out" 'vz-monitor|systemd|sshd' "ps inside shows no host process"
host_uid=$(stat -c %u /proc/"$pid")
is "$host_uid" "$base" "on the host, init runs as the range's first uid"
# The container's cgroup: there in every hierarchy, and init is in it.
is "$(cg_dirs "$CG_PARENT/$c" | wc -l)" "${#CG_ROOTS[@]}" "its cgroup exists in every hierarchy (${#CG_ROOTS[@]})"
cg_of_init=$(awk -F: '$1 == 0 || $2 ~ /(^|,)pids(,|$)/ { print $3; exit }' /proc/"$pid"/cgroup)
like "$cg_of_init" "/$CG_PARENT/$c\$" "init is in the container's cgroup ($cg_of_init)"
# Delegated (what systemd as init needs): the container's root may make
# and use sub-cgroups of its cgroup (cgroup2, seen through its cgroup
# namespace), but not change the limits set on the cgroup itself.
deleg=$(vz attach "$c" -- sh -c 'mkdir -p /tmp/cg && mount -t cgroup2 none /tmp/cg || exit 1
	mkdir /tmp/cg/sub && echo $$ >/tmp/cg/sub/cgroup.procs && tail -n 1 /proc/self/cgroup
	(echo 5 >/tmp/cg/pids.max) 2>/dev/null && echo limit-writable
	echo $$ >/tmp/cg/cgroup.procs; rmdir /tmp/cg/sub; umount /tmp/cg' 2>&1)
is "$deleg" "0::/sub" "container root can make a sub-cgroup and move into it, and cannot write its own limits"

check "stop" vz stop "$c"
is "$(state "$c")" STOPPED "STOPPED after stop"
is "$(cg_dirs "$CG_PARENT/$c")" "" "its cgroup is removed after stop"
[ -d "$T/run/$c" ] && not_ok "runtime dir removed after stop" || ok "runtime dir removed after stop"
check "start again" vz start "$c"
is "$(state "$c")" RUNNING "RUNNING again"
check "stop again" vz stop "$c"
check "destroy" vz destroy "$c"
[ -e "$T/lib/$c" ] && not_ok "destroy removes the container's files" || ok "destroy removes the container's files"
check_fails "a destroyed container is gone from vz info" vz info "$c"

p=$(cname priv)
check "create privileged container" vz create "$p" -t busybox -c privileged=true
check "start privileged" vz start "$p"
check "install the probe (privileged)" install_probe "$p"
out=$(probe "$p")
is "$(kv uid_map)" "0 0 4294967295" "privileged: no user namespace (identity uid_map)"
is "$(kv pid1_comm)" init "privileged: PID 1 is init"
is "$(kv proc_timer_list)" masked "privileged: /proc/timer_list masked"
like "$(kv sysrq)" '^(masked|EROFS|No such file or directory)$' "privileged: /proc/sysrq-trigger masked, read-only (or absent)"
is "$(vz ls | awk -v n="$p" '$1==n{print $7}')" no "vz ls: UNPRIVILEGED column says no"
# What a sysvinit-style shutdown does: every mount read-only. In a
# privileged container it must reach only the container's own file systems.
vz attach "$p" -- umount -a -r >/dev/null 2>&1
is "$(comm -23 <(printf '%s\n' "$_host_mounts_before") <(host_mounts))" "" \
	"privileged: 'umount -a -r' inside changes no host mount"
check "stop privileged" vz stop "$p"
check "destroy privileged" vz destroy "$p"
