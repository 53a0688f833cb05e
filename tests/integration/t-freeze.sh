#!/bin/bash
# vz freeze / vz unfreeze: a counter inside stops advancing while the
# container is FROZEN (vz ls, vz info, the cgroup's freezer say so) and
# goes on after the thaw; attach is refused while frozen; freezing twice,
# thawing a running container and freezing a stopped or unknown one fail
# with one line; a frozen container stops cleanly (thawed first, halted by
# its own init) and is destroyed with -f, leaving nothing.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

mlog() { cat "$T/log/$1/monitor.log" 2>/dev/null; }
c=$(cname frz)
check "create" vz create "$c" -t busybox
check "start" vz start "$c"
# A counter, ten steps a second, in a file the host can read in the
# container's own layer.
counter() { cat "$T/lib/$c/delta/counter" 2>/dev/null || echo 0; }
check "a counter runs inside" vz attach "$c" -- setsid sh -c \
	'i=0; while :; do i=$((i + 1)); echo $i > /counter.new; mv /counter.new /counter; sleep 0.1; done </dev/null >/dev/null 2>&1 &'
wait_until 10 sh -c "[ \"\$(cat '$T/lib/$c/delta/counter' 2>/dev/null || echo 0)\" -gt 2 ]" &&
	ok "it counts" || not_ok "it counts ($(counter))"

check "vz freeze" vz freeze "$c"
is "$(state "$c")" FROZEN "vz ls: FROZEN"
like "$(vz info --json "$c")" '"state": *"FROZEN"' "vz info --json: FROZEN"
fz=
for d in $(cg_dirs "$CG_PARENT/$c"); do
	[ -f "$d/freezer.state" ] && fz="$fz$(cat "$d/freezer.state")"
	[ -f "$d/cgroup.events" ] && [ ! -f "$d/../freezer.state" ] && grep -q '^frozen 1' "$d/cgroup.events" && fz="${fz}frozen1"
done
like "$fz" 'FROZEN|frozen1' "the container's cgroup is frozen ($fz)"
a=$(counter)
sleep 1
b=$(counter)
is "$b" "$a" "the counter does not advance while frozen"
out=$(vz freeze "$c" 2>&1)
is "$?:$out" "1:vz freeze: container '$c' is FROZEN, not RUNNING" "freezing twice: one line"
out=$(vz attach "$c" -- true 2>&1)
like "$out" "^vz attach: container '$c' is FROZEN \(vz unfreeze $c\)$" "attach is refused, naming the state"

check "vz unfreeze" vz unfreeze "$c"
is "$(state "$c")" RUNNING "RUNNING again"
a=$(counter)
sleep 1
b=$(counter)
[ "$b" -gt "$a" ] && ok "the counter advances again ($a -> $b)" || not_ok "the counter advances again ($a -> $b)"
out=$(vz unfreeze "$c" 2>&1)
is "$?:$out" "1:vz unfreeze: container '$c' is RUNNING, not FROZEN" "unfreezing a running container: one line"
is "$(vz attach "$c" -- echo hi 2>&1)" hi "attach works after the thaw"

# A frozen container stops cleanly: thawed, then halted by its own init.
check "freeze again" vz freeze "$c"
check "vz stop of a frozen container" vz stop -t 20 "$c"
is "$(state "$c")" STOPPED "STOPPED"
like "$(mlog "$c" | grep -E 'stopping:|killed|exited' | tail -n 3)" 'stopping: sending SIGUSR2 to init' "its init got the halt signal"
unlike "$(mlog "$c" | tail -n 4)" 'killing every process|timed out' "and halted by itself, not killed"
out=$(vz freeze "$c" 2>&1)
is "$?:$out" "1:vz freeze: container '$c' is not running" "freezing a stopped container: one line"
out=$(vz freeze "$(cname nosuch)" 2>&1)
like "$?:$out" "^1:vz freeze: container '$(cname nosuch)' does not exist" "an unknown container: one line"
out=$(vz freeze 2>&1)
like "$?:$out" "^2:vz freeze: missing container name" "no name: usage error"

check "start again" vz start "$c"
check "freeze" vz freeze "$c"
check "vz destroy -f of a frozen container" vz destroy -f "$c"
[ ! -e "$T/lib/$c" ] && ok "it is gone" || not_ok "it is gone"
is "$(cg_dirs "$CG_PARENT/$c")" "" "its cgroups are gone"
