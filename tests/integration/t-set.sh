#!/bin/bash
# vz set: limits of a running container change live (a memory hog dies at
# the new, lower limit), --save writes the config and the value survives a
# restart, an invalid value or a refused one changes nothing, a stopped
# container needs --save, and vzctl's spellings give the same cgroup values
# as the native keys.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

if [ "$CG_V2" = 1 ]; then
	cgf() { cat "${CG_ROOTS[0]}/$CG_PARENT/$1/$3"; }
	mem() { cgf "$1" memory memory.max; }
	cpu() { cgf "$1" cpu cpu.max | cut -d' ' -f1; }
	weight() { cgf "$1" cpu cpu.weight; }
	pidsmax() { cgf "$1" pids pids.max; }
else
	cgf() { cat "/sys/fs/cgroup/$2/$CG_PARENT/$1/$3"; }
	mem() { cgf "$1" memory memory.limit_in_bytes; }
	cpu() { cgf "$1" cpu cpu.cfs_quota_us; }
	weight() { cgf "$1" cpu cpu.shares; }
	pidsmax() { cgf "$1" pids pids.max; }
fi
conf() { cat "$T/lib/$1/config"; }

c=$(cname set)
check "create with memory 256M" vz create "$c" -t busybox -c limits.memory=256M
check "start" vz start "$c"
check "install the probe" install_probe "$c"
out=$(vz attach "$c" -- timeout -s KILL 3 /vz-probe hog 100 2>&1)
like "$out" 'hog: 100 MiB' "a 100 MiB hog fits under 256 MiB"
check "vz set memory=64M (live)" vz set "$c" memory=64M
is "$(mem "$c")" 67108864 "the cgroup's memory limit is 64M at once"
out=$(probe "$c" hog 100 2>&1)
is "$?" 137 "the same hog now dies at the new limit"
unlike "$(conf "$c")" '64M' "without --save the config is unchanged"

check "vz set memory=128M pids=77 --save" vz set "$c" memory=128M limits.pids=77 --save
is "$(mem "$c"):$(pidsmax "$c")" "134217728:77" "applied live"
like "$(conf "$c")" 'memory = "128M"' "and written to the config"
check "restart" vz restart "$c"
is "$(mem "$c"):$(pidsmax "$c")" "134217728:77" "the saved values hold after a restart"

# Nothing changes on a bad value, whatever came before it on the line.
before="$(mem "$c"):$(cpu "$c"):$(pidsmax "$c"):$(conf "$c" | md5sum)"
out=$(vz set "$c" cpus=1 memory=1Q --save 2>&1)
like "$?:$out" "^1:vz set: $c: .*limits.memory.*'1Q'" "an invalid size: one line naming the key"
out=$(vz set "$c" nosuch=1 2>&1)
like "$?:$out" "^1:vz set: $c: .*limits.nosuch" "an unknown key is named"
out=$(vz set "$c" cpus=0.5 swap=1G memory=0 2>&1)
is "$?:$out" "1:vz set: $c: key 'limits.swap': needs 'limits.memory' to be set" "swap without a memory limit is refused, naming the keys"
out=$(vz set "$c" cpus=0.5 cpuset=4095 2>&1)
like "$?:$out" "^1:vz set: $c: .*nothing changed.*not available on this host" "a CPU the host lacks: refused by the kernel, nothing changed"
is "$(mem "$c"):$(cpu "$c"):$(pidsmax "$c"):$(conf "$c" | md5sum)" "$before" "every limit and the config are as before"
out=$(vz set "$c" hostname=x 2>&1)
like "$?:$out" "^1:vz set: $c: limits.hostname=x: key 'limits.hostname': unknown key" "a key outside limits is not accepted as a limit"

# vzctl's spellings give what the native keys give.
d=$(cname vzctl)
check "create another" vz create "$d" -t busybox
check "start it" vz start "$d"
check "native keys" vz set "$c" memory=512M swap=256M cpus=1.5 cpu_weight=100 pids=500
check "vzctl spellings" vz set "$d" --ram 512M --swap 256M --cpulimit 150 --cpuunits 1000 --numproc 500
is "$(mem "$d"):$(cpu "$d"):$(weight "$d"):$(pidsmax "$d")" "$(mem "$c"):$(cpu "$c"):$(weight "$c"):$(pidsmax "$c")" \
	"same cgroup values ($(mem "$d"):$(cpu "$d"):$(weight "$d"):$(pidsmax "$d"))"
check "--cpus 2 --numproc 100:200 (barrier:limit)" vz set "$d" --cpus 2 --numproc 100:200
is "$(cpu "$d"):$(pidsmax "$d")" "200000:200" "--cpus 2 is two CPUs of time; the limit of a pair is used"
out=$(vz set "$d" --iolimit lots 2>&1)
like "$?:$out" "^2:vz set: --iolimit 'lots': want bytes per second, such as 10M" "--iolimit: a bad rate is a usage error (t-io tests the mapping)"
out=$(vz set "$d" 2>&1)
like "$?:$out" "^2:vz set: nothing to set" "nothing to set: usage error"

check "stop" vz stop -k "$d"
out=$(vz set "$d" memory=1G 2>&1)
is "$?:$out" "1:vz set: container '$d' is not running: use --save to change its config" "a stopped container needs --save"
check "a stopped container with --save" vz set "$d" memory=1G --save
like "$(conf "$d")" 'memory = "1G"' "written to its config"
out=$(vz set "$(cname nosuch)" memory=1G --save 2>&1)
is "$?:$out" "1:vz set: container '$(cname nosuch)' does not exist" "an unknown container: one line"
check "stop" vz stop -k "$c"
