#!/bin/bash
# Configuration from the admin's side: every key vz knows is documented in
# vz.conf(5); -c values land in the config file with their type; vz.conf's
# defaults group applies to containers; a bad vz.conf stops every command
# with file:line; -P relocates every path.
. "$(dirname "$0")/lib.sh"

man=$VZ_SRC/doc/man/vz.conf.5.scd
keys=$(vz checkconfig --keys)
[ -n "$keys" ] && ok "vz checkconfig --keys lists keys ($(wc -l <<<"$keys"))" || not_ok "vz checkconfig --keys lists keys"
undocumented=$(while read -r k; do grep -qF "*$k*" "$man" || echo "$k"; done <<<"$keys")
is "$undocumented" "" "every container key is documented in vz.conf(5)"
for k in paths.lib paths.cache paths.run paths.log paths.templates monitor idmap.subuid idmap.subgid idmap.user idmap.size cgroup.parent; do
	grep -qF "*$k*" "$man" || echo "$k"
done >"$T/undoc-global"
is "$(cat "$T/undoc-global")" "" "every vz.conf key is documented in vz.conf(5)"

c=$(cname cfg)
check "create with -c settings" vz create "$c" -t busybox -c limits.memory=64M -c limits.pids=100 \
	-c limits.cpus=0.5 -c "init=/sbin/init" -c caps.drop=sys_time,sys_module -c stop_timeout=5s
conf=$T/lib/$c/config
like "$(cat "$conf")" 'memory = "64M";' "limits.memory kept as written"
like "$(cat "$conf")" 'pids = 100;' "limits.pids stored as an integer"
like "$(cat "$conf")" 'drop = \[ "sys_time", "sys_module" \];' "caps.drop stored as a list"
like "$(vz checkconfig "$c")" ": ok$" "the written config checks"
check_fails "-c with an unknown key is refused" vz create "$(cname bad1)" -t busybox -c limits.memroy=1G
is "$(ls "$T/lib")" "$c" "... and creates nothing"
out=$(vz create "$(cname bad2)" -t busybox -c limits.memory=2K 2>&1)
is "$out" "vz create: $(cname bad2): -c limits.memory=2K: key 'limits.memory': 2K is out of range (4M..16E)" "-c below the minimum: one line naming key and range"

# vz.conf's defaults group applies to every container.
cp "$T/vz.conf" "$T/vz.conf.orig"
echo 'defaults = { limits = { pids = 77; }; stop_timeout = "7s"; };' >>"$T/vz.conf"
d=$(cname dflt)
check "create with vz.conf defaults" vz create "$d" -t busybox
check "start it" vz start "$d"
is "$(cat /sys/fs/cgroup/pids/"$CG_PARENT"/"$d"/pids.max 2>/dev/null || cat /sys/fs/cgroup/unified/"$CG_PARENT"/"$d"/pids.max)" 77 "defaults.limits.pids is applied"
check "stop it" vz stop -k "$d"

# A bad vz.conf: every command fails with file:line and nothing changes.
echo 'bogus = 1;' >>"$T/vz.conf"
line=$(wc -l <"$T/vz.conf")
out=$(vz ls 2>&1)
rc=$?
[ "$rc" -ne 0 ] && ok "a bad vz.conf fails vz ls" || not_ok "a bad vz.conf fails vz ls"
is "$out" "vz ls: $T/vz.conf:$line: key 'bogus': unknown key" "... naming vz.conf:line and the key"
check_fails "... and vz start" vz start "$d"
is "$(state "$d" 2>/dev/null)" "" "(state unreadable while vz.conf is bad)"
cp "$T/vz.conf.orig" "$T/vz.conf"
is "$(state "$d")" STOPPED "with vz.conf fixed, the container is as it was"

# -P: every path below DIR.
for sub in lib run log cache; do
	[ -d "$T/$sub" ] && ok "-P: $sub/ is below the VZ_PATH" || not_ok "-P: $sub/ is below the VZ_PATH"
done
