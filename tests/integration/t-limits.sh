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
check "stop" vz stop -k "$c"

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
