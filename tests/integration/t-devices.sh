#!/bin/bash
# The device policy (doc/cgroups.md): inside a container only the default
# devices (null, zero, full, random, urandom, tty, console, ptmx, the ptys)
# can be opened or created; devices.allow adds more, with a node at the
# host's path (bound from the host, or made with mknod when privileged).
# Bad entries are refused, naming the key. cgroup v1 devices.allow on this
# host, a BPF device program on v2 (the VM lane).
# lanes: host v2
. "$(dirname "$0")/lib.sh"

# The extra device: the tun device, harmless to open (nothing happens
# before an ioctl). The VM loads its module on demand.
[ -e /sys/dev/char/10:200 ] || modprobe tun 2>/dev/null
if [ ! -c /dev/net/tun ] || [ "$(grep DEVNAME /sys/dev/char/10:200/uevent 2>/dev/null)" != DEVNAME=net/tun ]; then
	skip "the device tests" "no /dev/net/tun (10:200) on this host"
	exit 0
fi

# The container's cgroup that holds the device policy.
devcg() {
	if [ "$CG_V2" = 1 ]; then echo "${CG_ROOTS[0]}/$CG_PARENT/$1"
	else echo "/sys/fs/cgroup/devices/$CG_PARENT/$1"; fi
}
# in_cg NAME CMD...: run CMD as a host process (host root, host /dev) in
# the container's device cgroup: the policy alone decides, not the user
# namespace or the container's /dev.
in_cg() {
	local cg
	cg=$(devcg "$1")
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}
# open_rw PATH / open_r PATH: open a device (nothing is read or written).
open_rw() { sh -c 'exec 3<>"$0"' "$1" 2>&1; }
open_r() { sh -c 'exec 3<"$0"' "$1" 2>&1; }
mkdir -m 0755 "$T/nodes"

# ---------------------------------------------------------------- defaults
u=$(cname def)
check "create an unprivileged container" vz create "$u" -t busybox
check "start" vz start "$u"
if [ "$CG_V2" = 0 ]; then
	is "$(tr '\n' ' ' <"$(devcg "$u")/devices.list")" \
		"c 1:3 rwm c 1:5 rwm c 1:7 rwm c 1:8 rwm c 1:9 rwm c 5:0 rwm c 5:1 rwm c 5:2 rwm c 136:* rwm " \
		"v1: devices.list is the default allow-list"
fi
check "inside: write /dev/null" vz attach "$u" -- sh -c 'echo x >/dev/null'
is "$(vz attach "$u" -- sh -c 'head -c 4 /dev/zero | wc -c')" 4 "inside: read /dev/zero"
is "$(vz attach "$u" -- sh -c 'head -c 8 /dev/urandom | wc -c')" 8 "inside: read /dev/urandom"
is "$(vz attach "$u" -- sh -c 'head -c 8 /dev/random | wc -c')" 8 "inside: read /dev/random"
like "$(vz attach "$u" -- sh -c 'echo x >/dev/full' 2>&1)" "No space left on device" \
	"inside: /dev/full opens (and is full)"
check "inside: open /dev/ptmx (a new pty)" vz attach "$u" -- sh -c 'exec 3<>/dev/ptmx'
check "inside: open /dev/console" vz attach "$u" -- sh -c 'exec 3<>/dev/console'
check "inside: open /dev/tty1" vz attach "$u" -- sh -c 'exec 3<>/dev/tty1'
check_fails "inside: no /dev/net/tun" vz attach "$u" -- test -e /dev/net/tun
like "$(vz attach "$u" -- mknod /tmp/tun c 10 200 2>&1)" "Operation not permitted" \
	"inside: mknod of a device fails (user namespace)"
like "$(in_cg "$u" sh -c 'exec 3<>/dev/net/tun' 2>&1)" "Operation not permitted" \
	"in its cgroup, host root cannot open /dev/net/tun"
like "$(in_cg "$u" sh -c 'exec 3</dev/net/tun' 2>&1)" "Operation not permitted" "... nor read-only"
check "in its cgroup, host root can open /dev/null" in_cg "$u" sh -c 'exec 3<>/dev/null'
like "$(in_cg "$u" mknod "$T/nodes/tun" c 10 200 2>&1)" "Operation not permitted" \
	"in its cgroup, host root cannot mknod 10:200"
check "... but can mknod a default one (c 1:3)" in_cg "$u" mknod "$T/nodes/null" c 1 3
check "stop" vz stop -k "$u"

# ------------------------------------------------------------ devices.allow
e=$(cname allow)
check "create with -c devices.allow" vz create "$e" -t busybox -c "devices.allow=c 10:200 rwm,b 7:* r"
like "$(cat "$T/lib/$e/config")" 'allow = \[ "c 10:200 rwm", "b 7:\* r" \];' \
	"the config records the list"
like "$(vz checkconfig "$e")" ": ok$" "vz checkconfig accepts it"
# The host's /dev/net/tun is root's, mode 0600: a udev rule makes it 0666
# on a usual host (Debian's does). Here the monitor is started in a mount
# namespace of its own where a 0666 tun node of the test's covers it; the
# host's node is not touched.
mknod -m 0666 "$T/nodes/tun0666" c 10 200
check "start (the host's /dev/net/tun mode 0666)" \
	unshare -m --propagation private sh -c "mount --bind '$T/nodes/tun0666' /dev/net/tun && '$VZ' start '$e'"
if [ "$CG_V2" = 0 ]; then
	like "$(cat "$(devcg "$e")/devices.list")" $'c 136:\\* rwm\nc 10:200 rwm\nb 7:\\* r' \
		"v1: the extra rules follow the defaults"
fi
is "$(vz attach "$e" -- ls -l /dev/net/tun | awk '{ print $1, $5, $6 }')" "crw-rw-rw- 10, 200" \
	"inside: /dev/net/tun is there, bound from the host"
check "inside: it opens" vz attach "$e" -- sh -c 'exec 3<>/dev/net/tun'
check "in its cgroup, host root can open /dev/net/tun" in_cg "$e" sh -c 'exec 3<>/dev/net/tun'
check "... and mknod it" in_cg "$e" mknod "$T/nodes/tun" c 10 200
check_fails "inside: no node for 'b 7:* r' (a wildcard)" vz attach "$e" -- sh -c 'ls /dev | grep -q loop'
check "stop" vz stop -k "$e"

# Access: "r" allows reading, not writing or mknod.
r=$(cname ro)
check "create with devices.allow = [\"c 10:200 r\"]" vz create "$r" -t busybox -c "devices.allow=c 10:200 r"
check "start" vz start "$r"
check "in its cgroup: open read-only works" in_cg "$r" sh -c 'exec 3</dev/net/tun'
like "$(in_cg "$r" sh -c 'exec 3<>/dev/net/tun' 2>&1)" "Operation not permitted" \
	"... read-write does not"
like "$(in_cg "$r" mknod "$T/nodes/tun2" c 10 200 2>&1)" "Operation not permitted" "... nor mknod"
check "stop" vz stop -k "$r"

# ------------------------------------------------------------- privileged
p=$(cname priv)
check "create a privileged container" vz create "$p" -t busybox -c privileged=true
# A node in its root filesystem, put there by the host's root.
mknod -m 0666 "$T/lib/$p/delta/tun-node" c 10 200
check "start" vz start "$p"
like "$(vz attach "$p" -- sh -c 'exec 3<>/tun-node' 2>&1)" "Operation not permitted" \
	"privileged: a 10:200 node in its rootfs does not open"
like "$(vz attach "$p" -- mknod /tmp/tun c 10 200 2>&1)" "Operation not permitted" \
	"privileged: mknod 10:200 fails"
check "privileged: mknod of /dev/null's numbers works" vz attach "$p" -- sh -c 'mknod /tmp/null c 1 3 && echo x >/tmp/null'
check_fails "privileged: no /dev/net/tun" vz attach "$p" -- test -e /dev/net/tun
check "stop" vz stop -k "$p"
check "set devices.allow in its config" sh -c "echo 'devices = { allow = [ \"c 10:200 rwm\" ]; };' >>'$T/lib/$p/config'"
check "start again" vz start "$p"
check "privileged: /dev/net/tun made with mknod" vz attach "$p" -- test -c /dev/net/tun
check "privileged: it opens" vz attach "$p" -- sh -c 'exec 3<>/dev/net/tun'
check "privileged: the node in its rootfs opens" vz attach "$p" -- sh -c 'exec 3<>/tun-node'
check "privileged: mknod 10:200 works" vz attach "$p" -- mknod /tmp/tun c 10 200
check "stop" vz stop -k "$p"

# ------------------------------------------------------------- bad entries
b=$(cname bad)
out=$(vz create "$b" -t busybox -c "devices.allow=x 1:2 r" 2>&1)
is "$?:$out" "1:vz create: $b: -c devices.allow=x 1:2 r: key 'devices.allow': entry 'x 1:2 r': type 'x' is not c (character), b (block) or a (all)" \
	"vz create refuses a bad type, naming the key and the entry"
[ ! -e "$T/lib/$b" ] && ok "and nothing was created" || not_ok "and nothing was created"
check "create a container" vz create "$b" -t busybox
conf=$T/lib/$b/config
cp "$conf" "$T/config.good"
for bad in "c 1:2 q|access 'q' is not made of r, w and m" "c foo:1 r|major 'foo' is not a number or '*'" \
	"x 1:2 r|type 'x' is not c (character), b (block) or a (all)"; do
	entry=${bad%%|*} why=${bad#*|}
	cp "$T/config.good" "$conf"
	echo "devices = { allow = [ \"c 10:200 rwm\", \"$entry\" ]; };" >>"$conf"
	line=$(wc -l <"$conf")
	want="$conf:$line: key 'devices.allow': entry '$entry': $why"
	out=$(vz start "$b" 2>&1)
	is "$?:$out" "1:vz start: $b: $want" "vz start refuses '$entry', in one line naming devices.allow"
	out=$(vz checkconfig "$b" 2>&1)
	like "$out" "$(printf '%s' "$want" | sed 's/[][\.*^$()|+?{}]/\\&/g')" "vz checkconfig says the same"
	is "$(state "$b")" STOPPED "the container stays STOPPED"
	is "$(cg_dirs "$CG_PARENT/$b")" "" "and has no cgroup"
done
