#!/bin/bash
# Memory, pids and cpu limits from the config reach the container's cgroups
# and hold: a memory hog is OOM-killed at the limit, a fork loop stops at the
# pids limit. On cgroup v1 (this host) and on v2 (the VM lane).
# lanes: host v2
. "$(dirname "$0")/lib.sh"

# The file holding a limit, for the cgroup version of this host.
v2=$CG_V2
if [ "$v2" = 1 ]; then
	cgf() { cat "${CG_ROOTS[0]}/$CG_PARENT/$1/$3"; } # container, controller, file
else
	cgf() { cat "/sys/fs/cgroup/$2/$CG_PARENT/$1/$3"; }
fi

c=$(cname lim)
check "create with limits" vz create "$c" -t busybox -c limits.memory=64M -c limits.pids=40 -c limits.cpus=0.5 -c limits.cpu_weight=50
like "$(cat "$T/lib/$c/config")" 'memory = "64M"' "the config records the -c settings"
check "start" vz start "$c"
if [ $v2 = 1 ]; then
	is "$(cgf "$c" memory memory.max)" 67108864 "v2: memory.max = 64M"
	is "$(cgf "$c" pids pids.max)" 40 "v2: pids.max = 40"
	is "$(cgf "$c" cpu cpu.max)" "50000 100000" "v2: cpu.max = 0.5 CPU"
	is "$(cgf "$c" cpu cpu.weight)" 50 "v2: cpu.weight 50"
else
	is "$(cgf "$c" memory memory.limit_in_bytes)" 67108864 "memory.limit_in_bytes = 64M"
	is "$(cgf "$c" pids pids.max)" 40 "pids.max = 40"
	is "$(cgf "$c" cpu cpu.cfs_quota_us)" 50000 "cpu quota = 0.5 CPU"
	is "$(cgf "$c" cpu cpu.shares)" 512 "cpu.shares from weight 50"
fi
check "install the probe" install_probe "$c"
out=$(probe "$c" hog 200 2>&1)
rc=$?
is "$rc" 137 "a 200 MiB memory hog is killed (SIGKILL) under a 64 MiB limit"
last=$(grep -oE '[0-9]+' <<<"$out" | tail -n1)
[ -n "$last" ] && [ "$last" -le 64 ] && ok "it got no further than the limit ($last MiB)" || not_ok "it got no further than the limit (${last:-?} MiB)"
forks=$(probe "$c" forks 100 | grep -oE '[0-9]+' | head -n1)
[ -n "$forks" ] && [ "$forks" -lt 40 ] && ok "a fork loop stops at the pids limit ($forks of 100)" || not_ok "a fork loop stops at the pids limit (${forks:-?})"
check "the container still works afterwards" vz attach "$c" -- true

# cpus = 0.5: a busy loop gets half a core, measured from cpu accounting.
cpu_ns() {
	if [ $v2 = 1 ]; then echo $(($(cgf "$c" cpu cpu.stat | awk '$1 == "usage_usec" { print $2 }') * 1000))
	else cgf "$c" cpuacct cpuacct.usage; fi
}
check "a busy loop inside" vz attach "$c" -- setsid sh -c 'while :; do :; done </dev/null >/dev/null 2>&1 &'
sleep 0.5
a=$(cpu_ns) t0=$(date +%s%N)
sleep 5
b=$(cpu_ns) t1=$(date +%s%N)
pct=$(((b - a) * 100 / (t1 - t0)))
[ "$pct" -ge 40 ] && [ "$pct" -le 60 ] && ok "cpus = 0.5: the busy loop got ${pct}% of a core over 5 s (40-60)" ||
	not_ok "cpus = 0.5: the busy loop got ${pct}% of a core over 5 s (want 40-60)"
check "stop" vz stop -k "$c"

# memory_high: the soft limit. On v2 a container above it is throttled (not
# killed) and vz info counts it; v1 has memory.soft_limit_in_bytes, no counter.
h=$(cname high)
check "create with limits.memory = 64M, memory_high = 32M" vz create "$h" -t busybox -c limits.memory=64M -c limits.memory_high=32M
check "start" vz start "$h"
if [ $v2 = 1 ]; then
	is "$(cgf "$h" memory memory.high)" 33554432 "v2: memory.high = 32M"
else
	is "$(cgf "$h" memory memory.soft_limit_in_bytes)" 33554432 "memory.soft_limit_in_bytes = 32M"
fi
check "install the probe" install_probe "$h"
vz attach "$h" -- timeout -s KILL 4 /vz-probe hog 48 >/dev/null 2>&1
check "a 48 MiB hog over the soft limit is not killed by it: the container still works" vz attach "$h" -- true
if [ $v2 = 1 ]; then
	high=$(vz info --json "$h" | grep -oE '"memory_high": *[0-9]+' | grep -oE '[0-9]+$')
	[ "${high:-0}" -gt 0 ] && ok "v2: vz info --json counts the hog going over memory_high ($high)" ||
		not_ok "v2: vz info --json counts the hog going over memory_high (${high:-none})"
	like "$(vz info "$h")" "over the soft limit [0-9]+ time" "v2: vz info says how often it went over the soft limit"
fi
check "vz set memory_high=40M live" vz set "$h" memory_high=40M
if [ $v2 = 1 ]; then
	is "$(cgf "$h" memory memory.high)" 41943040 "v2: memory.high = 40M"
else
	is "$(cgf "$h" memory memory.soft_limit_in_bytes)" 41943040 "memory.soft_limit_in_bytes = 40M"
fi
out=$(vz set "$h" memory_high=128M 2>&1)
like "$?:$out" "^1:.*limits.memory_high.*above 'limits.memory'" "memory_high above memory is refused by vz set"
check "stop" vz stop -k "$h"
check "destroy" vz destroy "$h"

# cpuset: the CPUs the container may run on, as it sees them.
s=$(cname cpuset)
check "create with limits.cpuset = 0" vz create "$s" -t busybox -c limits.cpuset=0
check "start" vz start "$s"
is "$(vz attach "$s" -- grep Cpus_allowed_list /proc/self/status | tr -s '\t ' ' ')" "Cpus_allowed_list: 0" \
	"inside, Cpus_allowed_list is 0"
is "$(vz attach "$s" -- nproc)" 1 "nproc says 1"
is "$(cgf "$s" cpuset cpuset.cpus)" 0 "the cgroup's cpuset.cpus"
check "stop" vz stop -k "$s"
check "destroy" vz destroy "$s"
out=$(vz create "$s" -t busybox -c limits.cpuset=3-1 2>&1)
is "$?:$out" "1:vz create: $s: -c limits.cpuset=3-1: key 'limits.cpuset': invalid list '3-1' (numbers and ranges separated by commas, such as \"0-3,6\")" \
	"a malformed cpuset list is refused at create, naming the key"
[ ! -e "$T/lib/$s" ] && ok "and nothing was created" || not_ok "and nothing was created"
check "create with a CPU the host does not have (limits.cpuset = 4095)" vz create "$s" -t busybox -c limits.cpuset=4095
out=$(vz start "$s" 2>&1)
like "$?:$out" "^1:vz start: $s: .*limits.cpuset = \"4095\": not available on this host \(CPUs: [0-9,-]+\)" \
	"start fails, naming the key and the host's CPUs"
is "$(state "$s")" STOPPED "the container is STOPPED"
is "$(cg_dirs "$CG_PARENT/$s")" "" "and no cgroup of it is left"

u=$(cname unl)
check "create without limits" vz create "$u" -t busybox
check "start" vz start "$u"
if [ $v2 = 1 ]; then
	is "$(cgf "$u" memory memory.max)" max "v2: no memory limit by default"
else
	m=$(cgf "$u" memory memory.limit_in_bytes)
	[ "$m" -gt $((1 << 50)) ] && ok "no memory limit by default" || not_ok "no memory limit by default ($m)"
fi
is "$(cgf "$u" pids pids.max)" max "no pids limit by default"
check "stop" vz stop -k "$u"
