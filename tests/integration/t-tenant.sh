#!/bin/bash
# What the tenant sees (doc/tenant-view.md): inside a container /proc/meminfo,
# cpuinfo, stat, uptime, swaps, loadavg and /sys/devices/system/cpu/online
# come from the container's own lxcfs and show its limits; nproc counts the
# cpuset or the quota's CPUs. The container's lxcfs runs outside its cgroup,
# is restarted (and its files bound again inside) when killed, is given up
# after too many crashes without harm to the container, and goes away with
# the container. lxcfs = false, and lxcfs = true without lxcfs.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

LXCFS=/usr/bin/lxcfs
# (the VM boots without udev: the fuse module makes /dev/fuse when loaded)
[ -c /dev/fuse ] || modprobe fuse 2>/dev/null
if [ ! -x "$LXCFS" ] || [ ! -c /dev/fuse ]; then
	skip "the tenant's view" "lxcfs is not installed or /dev/fuse is missing (tools/install-deps; in the VM: tools/vm/build-image)"
	exit 0
fi

# The lxcfs processes of this scenario (their mount point is below $T).
lxcfs_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = lxcfs ] || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF " $T/run/" && echo "${p#/proc/}"
	done
	true
}
lxcfs_pid() { cat "$T/run/$1/lxcfs.pid" 2>/dev/null; }
inside() { local n=$1; shift; vz attach "$n" -- "$@" </dev/null; }
memtotal() { inside "$1" awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo; }
host_memtotal=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
host_cpus=$(nproc)
# The files lxcfs stands in for, as mounted inside.
fuse_files() { inside "$1" cat /proc/self/mountinfo | awk '$0 ~ / - fuse\.lxcfs / { print $5 }' | sort | tr '\n' ' '; }
want_files="/proc/cpuinfo /proc/diskstats /proc/loadavg /proc/meminfo /proc/stat /proc/swaps /proc/uptime /sys/devices/system/cpu/online "

# The options of the host's cgroup2 mounts (nsdelegate, ...): lxcfs 5.0
# would reset them if vz let it mount cgroup2 from the host's cgroup
# namespace (doc/tenant-view.md).
cg2_opts() { awk '$0 ~ / - cgroup2 / { print $5, $NF }' /proc/self/mountinfo; }
cg2_before=$(cg2_opts)

# 1. Memory, swap and a cpuset: the container's view.
c=$(cname view)
check "create with limits.memory = 256M, swap, cpuset 0" vz create "$c" -t busybox \
	-c limits.memory=256M -c limits.swap=64M -c limits.cpuset=0
t0=$(date +%s)
check "start" vz start "$c"
is "$(fuse_files "$c")" "$want_files" "inside, lxcfs's files cover /proc and /sys/devices/system/cpu/online"
is "$(memtotal "$c")" 262144 "/proc/meminfo: MemTotal is the memory limit (262144 kB)"
is "$(cg2_opts)" "$cg2_before" "the host's cgroup2 mount options are unchanged ($(cg2_opts | tr '\n' ' '))"
avail=$(inside "$c" free | awk '$1 == "Mem:" { print $NF }')
[ -n "$avail" ] && [ "$avail" -le 262144 ] && ok "free: available ($avail kB) is within the limit" ||
	not_ok "free: available (${avail:-?} kB) is within the limit"
is "$(inside "$c" nproc)" 1 "nproc: 1 (cpuset 0)"
is "$(inside "$c" grep -c '^processor' /proc/cpuinfo)" 1 "/proc/cpuinfo: 1 processor"
is "$(inside "$c" cat /sys/devices/system/cpu/online)" 0 "/sys/devices/system/cpu/online: 0"
is "$(inside "$c" grep -c '^cpu[0-9]' /proc/stat)" 1 "/proc/stat: one cpuN line"
up=$(inside "$c" cut -d. -f1 /proc/uptime)
since=$(($(date +%s) - t0 + 2))
[ -n "$up" ] && [ "$up" -le "$since" ] && ok "/proc/uptime: ${up} s, the container's (started ${since} s ago at most)" ||
	not_ok "/proc/uptime: ${up:-?} s, want at most $since (the container's, not the host's $(cut -d. -f1 /proc/uptime) s)"
like "$(inside "$c" head -n 1 /proc/swaps)" '^Filename[[:space:]]+Type' "/proc/swaps reads"
like "$(inside "$c" cat /proc/loadavg)" '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+\.[0-9]+ [0-9]+/[0-9]+ [0-9]+$' "/proc/loadavg reads"
is "$(memtotal "$c")" 262144 "a second read gives the same (lxcfs caches nothing wrong)"

# Where lxcfs runs: the monitor's child, in the monitor's cgroup.
lp=$(lxcfs_pid "$c")
mp=$(monitor_pid "$c")
is "$(lxcfs_pids)" "$lp" "one lxcfs for this container (pid ${lp:-?})"
is "$(awk '{ print $4 }' "/proc/$lp/stat" 2>/dev/null)" "$mp" "its parent is the container's monitor"
is "$(cat "/proc/$lp/cgroup" 2>/dev/null)" "$(cat "/proc/$mp/cgroup")" "it is in the monitor's cgroups, not the container's"

# 2. Recovery: lxcfs killed, the monitor starts it again and binds its
# files again inside the running container.
kill -9 "$lp"
wait_until 5 sh -c "[ \"\$(cat '$T/run/$c/lxcfs.pid' 2>/dev/null)\" != '$lp' ] && [ -n \"\$(cat '$T/run/$c/lxcfs.pid' 2>/dev/null)\" ]"
lp2=$(lxcfs_pid "$c")
wait_until 5 sh -c "[ \"\$('$VZ' attach '$c' -- awk '\$1 == \"MemTotal:\" { print \$2 }' /proc/meminfo 2>/dev/null)\" = 262144 ]"
is "$(memtotal "$c")" 262144 "after kill -9 of lxcfs (pid $lp), MemTotal inside is the limit again (new lxcfs pid ${lp2:-?})"
is "$(state "$c")" RUNNING "the container kept running"
is "$(fuse_files "$c")" "$want_files" "every file is bound again"
is "$(lxcfs_pids)" "$lp2" "one lxcfs again"
like "$(cat "$T/log/$c/monitor.log")" "lxcfs \(pid $lp\) was killed by signal 9; starting it again" "the monitor log says so"

# 3. A crash loop: after 5 restarts the monitor gives up; the container
# keeps running with the host's view instead of dead files.
for i in 1 2 3 4 5 6; do
	p=$(lxcfs_pid "$c")
	[ -n "$p" ] && kill -9 "$p" 2>/dev/null
	wait_until 3 sh -c "[ \"\$(cat '$T/run/$c/lxcfs.pid' 2>/dev/null)\" != '$p' ] || grep -q 'giving up' '$T/log/$c/monitor.log'"
done
wait_until 3 grep -q 'giving up' "$T/log/$c/monitor.log"
like "$(cat "$T/log/$c/monitor.log")" "lxcfs died again after 5 restarts within 60 s: giving up" "after a crash loop the monitor gives up on lxcfs"
is "$(state "$c")" RUNNING "the container still runs"
is "$(memtotal "$c")" "$host_memtotal" "and reads the host's /proc/meminfo (no dead FUSE file)"
is "$(fuse_files "$c")" "" "no lxcfs file is left inside"
is "$(lxcfs_pids)" "" "no lxcfs process is left"
check "stop" vz stop "$c"
is "$(grep -F "$T/run" /proc/self/mountinfo)" "" "no FUSE mount is left below the run dir"

# Stop after a normal life: lxcfs and its mount go with the container.
check "start again (a fresh lxcfs)" vz start "$c"
is "$(memtotal "$c")" 262144 "MemTotal is the limit again"
check "stop" vz stop "$c"
is "$(lxcfs_pids)" "" "after vz stop no lxcfs process is left"
is "$(grep -F "$T/run" /proc/self/mountinfo)" "" "and no FUSE mount"

# 4. CPUs: none limited, then a quota of half a CPU (vz set --save).
q=$(cname quota)
check "create without limits" vz create "$q" -t busybox
check "start" vz start "$q"
is "$(inside "$q" nproc)" "$host_cpus" "no limits: nproc is the host's ($host_cpus)"
is "$(inside "$q" grep -c '^processor' /proc/cpuinfo)" "$host_cpus" "and so is /proc/cpuinfo"
is "$(memtotal "$q")" "$host_memtotal" "no memory limit: MemTotal is the host's"
check "stop" vz stop "$q"
check "vz set limits.cpus = 0.5 --save" vz set "$q" limits.cpus=0.5 --save
check "start" vz start "$q"
if [ "$host_cpus" -gt 1 ]; then
	is "$(inside "$q" nproc)" 1 "cpus = 0.5: nproc says 1"
	is "$(inside "$q" sh -c 'grep Cpus_allowed_list /proc/1/status | tr -d "\t"')" \
		"$(inside "$q" sh -c 'grep Cpus_allowed_list /proc/self/status | tr -d "\t"')" \
		"an attached command has init's affinity"
	is "$(inside "$q" grep -c '^processor' /proc/cpuinfo)" 1 "/proc/cpuinfo: 1 processor (lxcfs --enable-cfs)"
else
	skip "cpus = 0.5: nproc says 1" "the host has one CPU"
fi
check "stop" vz stop "$q"

# 5. lxcfs = false: the host's view.
h=$(cname host)
check "create with lxcfs = false and limits.memory = 256M" vz create "$h" -t busybox -c lxcfs=false -c limits.memory=256M
check "start" vz start "$h"
is "$(memtotal "$h")" "$host_memtotal" "lxcfs = false: MemTotal is the host's"
is "$(fuse_files "$h")" "" "no lxcfs file inside"
is "$(lxcfs_pid "$h")" "" "no lxcfs for it"
hu=$(cut -d. -f1 /proc/uptime) iu=$(inside "$h" cut -d. -f1 /proc/uptime)
[ -n "$iu" ] && [ $((hu - iu)) -le 2 ] && [ $((iu - hu)) -le 2 ] && ok "its /proc/uptime is the host's ($iu s)" ||
	not_ok "its /proc/uptime is the host's (inside ${iu:-?} s, host $hu s)"
check "stop" vz stop "$h"

out=$(vz create "$(cname bad)" -t busybox -c lxcfs=maybe 2>&1)
is "$?:$out" "1:vz create: $(cname bad): -c lxcfs=maybe: key 'lxcfs': invalid value 'maybe' (true, false or \"auto\")" \
	"lxcfs = maybe is refused, naming the key"

# 6. No lxcfs on the host (helpers.lxcfs names a missing file): auto starts
# with the host's view and a warning, lxcfs = true refuses to start.
cp "$T/vz.conf" "$T/vz.conf.orig"
echo "helpers = { lxcfs = \"$T/no-lxcfs\"; };" >>"$T/vz.conf"
check "lxcfs missing, lxcfs unset: the start works" vz start "$c"
is "$(memtotal "$c")" "$host_memtotal" "with the host's view"
like "$(cat "$T/log/$c/monitor.log")" "warn: lxcfs '$T/no-lxcfs' is not installed: the container sees the host's" "and a warning in the monitor log"
check "stop" vz stop "$c"
e=$(cname strict)
check "create with lxcfs = true" vz create "$e" -t busybox -c lxcfs=true
out=$(vz start "$e" 2>&1)
is "$?:$out" "1:vz start: $e: lxcfs: lxcfs = true, but '$T/no-lxcfs' is not installed (install the lxcfs package, or set lxcfs = false)" \
	"lxcfs = true without lxcfs: the start fails with one line"
is "$(state "$e")" STOPPED "the container is STOPPED"
is "$(cg_dirs "$CG_PARENT/$e")" "" "no cgroup of it is left"
[ ! -e "$T/run/$e" ] && ok "no run dir of it is left" || not_ok "no run dir of it is left"
mv "$T/vz.conf.orig" "$T/vz.conf"
check "with lxcfs back, lxcfs = true starts" vz start "$e"
is "$(memtotal "$e")" "$host_memtotal" "(no memory limit: the host's MemTotal, through lxcfs)"
is "$(fuse_files "$e")" "$want_files" "through lxcfs"
check "stop" vz stop "$e"
is "$(lxcfs_pids)" "" "no lxcfs process is left at the end"
