#!/bin/bash
# vz attach: exit status, clean environment, --set-env/--keep-env, --uid,
# cgroup membership, capability set, a pty when stdin is a terminal, errors.
. "$(dirname "$0")/lib.sh"

c=$(cname att)
check "create" vz create "$c" -t busybox
check "start" vz start "$c"
check "install the probe" install_probe "$c"

vz attach "$c" -- sh -c 'exit 42' </dev/null
is "$?" 42 "exit status is the command's"
vz attach "$c" -- sh -c 'kill -TERM $$' </dev/null
is "$?" 143 "a command killed by SIGTERM gives 128+15"

env_out=$(FOO=bar vz attach "$c" -- /vz-probe env </dev/null)
like "$env_out" '^container=vz$' "container=vz is set"
unlike "$env_out" '^FOO=' "the caller's environment is not passed by default"
like "$env_out" '^PATH=/usr/local/sbin' "a default PATH is set"
like "$env_out" '^HOME=/root$' "HOME is root's home from the container's passwd"
like "$(FOO=bar vz attach --keep-env "$c" -- /vz-probe env </dev/null)" '^FOO=bar$' "--keep-env keeps the caller's environment"
like "$(vz attach --set-env A=1 --set-env B=two "$c" -- /vz-probe env </dev/null)" '^B=two$' "--set-env adds variables"

is "$(vz attach --uid 1000 --gid 1001 "$c" -- id -u </dev/null)" 1000 "--uid sets the uid"
is "$(vz attach --uid 1000 --gid 1001 "$c" -- id -g </dev/null)" 1001 "--gid sets the gid"
is "$(vz attach --uid 1000 "$c" -- id -g </dev/null)" 1000 "--uid alone also sets the gid"

# Cgroup membership: a long-running attached process is in the container's cgroup.
vz attach "$c" -- sleep 300 </dev/null &
apid=$!
found=
for i in $(seq 100); do
	for p in $(cat /sys/fs/cgroup/pids/"$CG_PARENT/$c"/cgroup.procs 2>/dev/null); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = sleep ] && found=$p
	done
	[ -n "$found" ] && break
	sleep 0.05
done
[ -n "$found" ] && ok "the attached process is in the container's pids cgroup" || not_ok "the attached process is in the container's pids cgroup"
for h in memory cpu freezer; do
	[ -n "$found" ] && grep -qx "$found" /sys/fs/cgroup/$h/"$CG_PARENT/$c"/cgroup.procs &&
		ok "... and in its $h cgroup" || not_ok "... and in its $h cgroup"
done
is "$(vz attach "$c" -- cat /proc/self/cgroup </dev/null | grep -c ':/$')" "$(vz attach "$c" -- cat /proc/1/cgroup </dev/null | grep -c ':/$')" "inside the cgroup namespace it sits at the root like init"
kill "$apid" 2>/dev/null
wait "$apid" 2>/dev/null

is "$(probe "$c" cap_bnd)" "$(vz attach "$c" -- sh -c 'grep CapBnd /proc/1/status' </dev/null | awk '{print $2}')" "attached processes get init's capability bounding set"
bnd=$(probe "$c" cap_bnd)
[ -n "$bnd" ] && [ $((0x$bnd & (1 << 16))) -eq 0 ] && ok "sys_module is dropped by default" || not_ok "sys_module is dropped by default ($bnd)"

if command -v script >/dev/null; then
	out=$(script -qec "$VZ attach $c -- tty" /dev/null </dev/null | tr -d '\r')
	like "$out" '^/dev/pts/[0-9]+$' "with a terminal, the command gets a pty of the container's devpts"
	script -qec "$VZ attach $c -- sh -c 'exit 7'" /dev/null </dev/null >/dev/null
	is "$?" 7 "exit status through the pty"
else
	skip "pty attach" "script(1) not installed"
	skip "exit status through the pty" "script(1) not installed"
fi

out=$(printf 'echo shell=$0\nexit 3\n' | vz attach "$c")
is "$?" 3 "the default command is a login shell reading stdin"
like "$out" 'shell=-sh' "... started as a login shell (-sh)"

out=$(vz attach "$c" -- /no/such/cmd </dev/null 2>&1)
is "$?" 127 "a missing command exits 127"
like "$out" "vz attach: $c: execute '/no/such/cmd': No such file or directory" "... and says which command and why"

check "stop" vz stop -k "$c"
out=$(vz attach "$c" -- true 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && ok "attach to a stopped container fails" || not_ok "attach to a stopped container fails"
like "$out" "container '$c' is not running" "... saying it is not running"
out=$(vz attach "$TID-nosuch" -- true 2>&1 </dev/null)
like "$out" "container '$TID-nosuch' does not exist" "attach to an unknown container says it does not exist"
