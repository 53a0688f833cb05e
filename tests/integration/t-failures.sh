#!/bin/bash
# A start that fails at any step says which step and why, exits non-zero and
# leaves nothing behind; bad input gets one clear line and changes nothing.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

c=$(cname fail)
check "create" vz create "$c" -t busybox

# What a failed start must not leave: run dir, cgroups, monitor, mounts.
left_of() {
	[ -e "$T/run/$1" ] && echo "run dir $T/run/$1"
	cg_dirs "$CG_PARENT/$1"
	grep -F "$T" /proc/self/mountinfo
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = vz-monitor ] &&
			{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "VZ_PATH=$T" && echo "monitor ${p#/proc/}"
	done
	true
}

for step in runtime console cgroup lxcfs clone idmap cgroup-attach rootfs-idmap net rootfs mounts dev pivot identity caps exec; do
	out=$(VZ_FAIL_STEP=$step vz start "$c" 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && ok "start fails when step '$step' fails (exit $rc)" || not_ok "start fails when step '$step' fails"
	like "$out" "^vz start: $c: $step: injected failure" "... the message names the step: $out"
	is "$(left_of "$c")" "" "... and nothing is left behind"
done
is "$(state "$c")" STOPPED "after all that the container is STOPPED"
check "a normal start then works" vz start "$c"
check "and stops" vz stop "$c"

out=$(vz start "$TID-nosuch" 2>&1)
rc=$?
is "$out" "vz start: container '$TID-nosuch' does not exist" "unknown container: one clear line"
is "$rc" 1 "... exit 1"
out=$(vz create "$c" -t busybox 2>&1)
is "$out" "vz create: container '$c' already exists" "duplicate name refused"
out=$(vz create 'bad/name' -t busybox 2>&1)
like "$out" "^vz create: invalid container name 'bad/name'" "invalid name refused"
out=$(vz create -- "-x" 2>&1)
[ $? -ne 0 ] && ok "a name that looks like an option is refused" || not_ok "a name that looks like an option is refused"
out=$(vz create "$TID-t" -t nosuch 2>&1)
like "$out" "unknown template 'nosuch'.*busybox" "unknown template: names it and lists the available ones"
[ -e "$T/lib/$TID-t" ] && not_ok "a failed create leaves no directory" || ok "a failed create leaves no directory"
out=$(vz create "$TID-c" -t busybox -c limits.pids=lots 2>&1)
like "$out" "limits.pids" "a bad -c value names the key"
[ -e "$T/lib/$TID-c" ] && not_ok "... and creates nothing" || ok "... and creates nothing"

conf=$T/lib/$c/config
before=$(md5sum <"$conf")
printf 'limits = { memroy = "1G"; };\n' >>"$conf"
line=$(wc -l <"$conf")
out=$(vz start "$c" 2>&1)
is "$out" "vz start: $c: $conf:$line: key 'limits.memroy': unknown key" "a config typo: file:line and the key"
is "$(state "$c")" STOPPED "... and nothing starts"
out=$(vz checkconfig "$c" 2>&1)
like "$out" "$conf:$line: key 'limits.memroy': unknown key" "vz checkconfig reports the same"
sed -i '$d' "$conf"
is "$(md5sum <"$conf")" "$before" "(config restored)"
like "$(vz checkconfig "$c")" ": ok$" "vz checkconfig: ok for a good config"

i=$(cname noinit)
check "create a container whose init does not exist" vz create "$i" -t busybox -c init=/sbin/no-such-init
out=$(vz start "$i" 2>&1)
like "$out" "^vz start: $i: exec: init '/sbin/no-such-init': No such file or directory$" "missing init: exec step, path and reason"
is "$(left_of "$i")" "" "... nothing left behind"

# A directory above the rootfs that the container's root cannot enter: the
# start names it and the fix instead of a bare "Permission denied".
chmod 0700 "$T"
out=$(vz start "$c" 2>&1)
chmod 0711 "$T"
like "$out" "^vz start: $c: rootfs: the container's root \(host uid [0-9]+\) cannot reach '$T/lib/$c/.*': '$T' is mode 0700, owner 0; make it searchable \(chmod o\+x '$T'\)" \
	"an unreachable VZ_PATH: names the directory, its mode and the fix"
is "$(left_of "$c")" "" "... nothing left behind"
check "with the directory searchable it starts" vz start "$c"
check "and stops" vz stop -k "$c"

# No subordinate ids left: a subuid range with room for exactly two more.
for d in "$T"/lib/*/; do vz destroy -f "$(basename "$d")" >/dev/null 2>&1; done
echo "root:1048576:131072" >"$T/subuid"
echo "root:1048576:131072" >"$T/subgid"
check "first of two ranges" vz create "$TID-a" -t busybox
check "second of two ranges" vz create "$TID-b" -t busybox
out=$(vz create "$TID-z" -t busybox 2>&1)
rc=$?
[ $rc -ne 0 ] && ok "a third create fails when the ids run out" || not_ok "a third create fails when the ids run out"
like "$out" "no subordinate .*ids left" "... saying no subordinate ids are left"
[ -e "$T/lib/$TID-z" ] && not_ok "... and creates nothing" || ok "... and creates nothing"
: >"$T/subuid"
out=$(vz create "$TID-y" -t busybox 2>&1)
like "$out" "no subordinate uids for 'root' in $T/subuid" "no range for root at all: names the file and the fix"
