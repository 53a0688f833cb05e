#!/bin/bash
# macvlan interfaces (doc/network.md, "macvlan"): two containers with a
# macvlan each (bridge mode) on one parent reach each other over IPv4, IPv6
# and TCP; their MACs are stable across a restart and differ; vz ls shows
# the address; an unknown parent, rate_in and a duplicate address are
# refused before anything is made; no macvlan outlives a stop, a failed
# start or a killed monitor.
#
# The parent has no uplink: a dummy interface where the kernel has the
# dummy driver (the v2 VM loads it). This host's kernel has none ("ip link
# add type dummy": Unknown device type), so here the parent is one end of
# a veth pair the test makes, both ends up (a veth end has carrier only
# while its peer is up, and a macvlan has carrier only while its parent
# does). Either way the containers reach only each other.
#
# A macvlan lives in the container's namespace, so the host cannot list
# it; "no macvlan left" is asked of the kernel instead: a macvlan with the
# container's MAC can be made and brought up on the parent only when no
# other one there holds that MAC (the kernel says "Address already in use").
# lanes: host v2
# the parent, made before lib.sh so that a skip leaves nothing to report
if ip link add "vzt$$d" type dummy 2>/dev/null; then
	P=vzt$$d
	kind=dummy
elif ip link add "vzt$$p" type veth peer name "vzt$$q" 2>/dev/null; then
	P=vzt$$p
	kind="veth (no dummy driver here)"
	ip link set "vzt$$q" up
else
	echo "1..0 # SKIP cannot create a dummy or a veth interface here"
	exit 0
fi
ip link set "$P" up
if ! ip link add "vzt$$m" link "$P" type macvlan mode bridge 2>/dev/null; then
	ip link del "$P"
	echo "1..0 # SKIP no macvlan support in this kernel"
	exit 0
fi
ip link del "vzt$$m"
trap 'ip link del "$P"' EXIT # until lib.sh's cleanup takes over (it may skip)
. "$(dirname "$0")/lib.sh"
trap '_rc=$?; ip link del "$P" 2>/dev/null; ip link del "vzt$$m" 2>/dev/null; (exit $_rc); _cleanup' EXIT

X=$(($$ % 200 + 20))
H=$(printf '%x' $(($$ % 65535 + 1)))
NET4=198.18.$X
NET6=fd42:$H:
ok "parent $P: $kind"

# mac_free MAC: no macvlan on the parent (in any namespace) holds MAC
mac_free() {
	ip link add "vzt$$m" link "$P" address "$1" type macvlan mode bridge 2>/dev/null || return 1
	local rc=0
	ip link set "vzt$$m" up 2>/dev/null || rc=1
	ip link del "vzt$$m"
	return $rc
}
# the MAC of a container's interface as vz records it (running or not)
mac_of() { vz info --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["hwaddr"])'; }
# mvnet NAME ADDR-SUFFIX [EXTRA]: the container's macvlan, appended to its config
mvnet() {
	cat >>"$T/lib/$1/config" <<EOF
network = ( { type = "macvlan"; parent = "${4:-$P}"; ipv4 = "$NET4.$2/24";
              ipv6 = "$NET6:$2/64"; hwaddr = "auto"; ${3:-} } );
EOF
}
in_c() { local c=$1; shift; vz attach "$c" -- "$@" </dev/null; }

a=$(cname a)
b=$(cname b)
check "create $a" vz create "$a" -t busybox
check "create $b" vz create "$b" -t busybox
mvnet "$a" 10 "mtu = 1400;"
mvnet "$b" 11
like "$(vz checkconfig "$a" 2>&1)" ": ok$" "checkconfig accepts a macvlan"
check "start $a" vz start "$a"
check "start $b" vz start "$b"

check "a pings b over IPv4" in_c "$a" ping -c 1 -W 3 "$NET4.11"
check "b pings a over IPv4" in_c "$b" ping -c 1 -W 3 "$NET4.10"
check "a pings b over IPv6" in_c "$a" ping6 -c 1 -W 3 "$NET6:11"
is "$(in_c "$a" cat /sys/class/net/eth0/mtu)" 1400 "mtu set inside"
like "$(nsenter -t "$(init_pid "$a")" -n ip -d link show eth0)" "macvlan mode bridge" "eth0 is a macvlan in bridge mode"

# TCP: a listener in b, a client in a
in_c "$b" sh -c 'mkdir -p /tmp; rm -f /tmp/got; setsid nc -l -p 5555 >/tmp/got 2>/dev/null </dev/null &'
sleep 0.3
timeout 10 "$VZ" attach "$a" -- sh -c "echo hello-over-macvlan | nc -w 2 $NET4.11 5555" </dev/null >/dev/null 2>&1
wait_until 5 sh -c "$VZ attach $b -- cat /tmp/got </dev/null | grep -q hello-over-macvlan"
check "TCP from a to b" sh -c "$VZ attach $b -- cat /tmp/got </dev/null | grep -q hello-over-macvlan"

# What vz shows
like "$(vz ls | awk -v n="$a" '$1 == n')" " $NET4.10 +$NET6:10 " "vz ls: IPV4 and IPV6 columns"
like "$(vz info "$a")" "eth0 +macvlan on $P, [0-9a-f:]{17}, $NET4.10/24, $NET6:10/64" "vz info: the interface"
check "vz info --json: type, parent, no host side" sh -c "$VZ info --json $a | python3 -c '
import json,sys; n=json.load(sys.stdin)[\"interfaces\"][0]
assert n[\"type\"] == \"macvlan\" and n[\"parent\"] == \"$P\" and n[\"host\"] is None and n[\"bridge\"] is None, n'"
is "$(ip -o link show | grep -c "alias vz:$TID-" || true)" 0 "no host-side link"

# MACs: stable across a restart, different between containers
mac_a=$(in_c "$a" cat /sys/class/net/eth0/address)
mac_b=$(in_c "$b" cat /sys/class/net/eth0/address)
like "$mac_a" "^[0-9a-f][26ae]:" "auto MAC is locally administered unicast ($mac_a)"
is "$(mac_of "$a")" "$mac_a" "... and the one vz records"
[ "$mac_a" != "$mac_b" ] && ok "MACs differ between containers" || not_ok "MACs differ ($mac_a)"
mac_free "$mac_a" && not_ok "while $a runs its MAC is taken on $P" || ok "while $a runs its MAC is taken on $P"
check "restart $a" vz restart "$a"
is "$(in_c "$a" cat /sys/class/net/eth0/address)" "$mac_a" "MAC unchanged after restart"
check "a still reaches b after the restart" in_c "$a" ping -c 1 -W 3 "$NET4.11"

# Duplicate address on the same parent: refused, naming the other container
c=$(cname c)
check "create $c" vz create "$c" -t busybox
mvnet "$c" 10
out=$(vz start "$c" 2>&1)
is "$out" "vz start: $c: net: network[0].ipv4: $NET4.10 is in use by running container '$a' (eth0) on parent '$P'" "duplicate IPv4 on the parent refused"
is "$(state "$c")" STOPPED "... not running"
check "... and its macvlan is not left" mac_free "$(mac_of "$c")"

# Unknown parent: said clearly, nothing created
d=$(cname d)
check "create $d" vz create "$d" -t busybox
conf=$T/lib/$d/config
cp "$conf" "$T/config.d"
mvnet "$d" 20 "" "vzn$$"
out=$(vz start "$d" 2>&1)
is "$out" "vz start: $d: network[0].parent: interface 'vzn$$' does not exist" "unknown parent refused"
[ -e "$T/run/$d" ] && not_ok "... no run dir" || ok "... no run dir"
is "$(ip -o link show | grep -c "vzn$$" || true)" 0 "... no link made"
# what the parent must be, checked before anything is made
cp "$T/config.d" "$conf"
mvnet "$d" 20 "mtu = 9000;"
out=$(vz start "$d" 2>&1)
is "$out" "vz start: $d: network[0].mtu: 9000 is more than the MTU of parent '$P' ($(cat /sys/class/net/$P/mtu))" "an MTU above the parent's refused"
cp "$T/config.d" "$conf"
mvnet "$d" 20
ip link set "$P" down
out=$(vz start "$d" 2>&1)
ip link set "$P" up
is "$out" "vz start: $d: network[0].parent: '$P' is down (ip link set $P up)" "a parent that is down refused"
cp "$T/config.d" "$conf"
mvnet "$d" 20 "" lo
like "$(vz start "$d" 2>&1)" "key 'network\[0\]\.parent': 'lo' is the loopback interface" "lo refused as the parent"
[ -e "$T/run/$d" ] && not_ok "... no run dir after all these" || ok "... no run dir after all these"
# rate_in needs a host-side veth: checkconfig says so
cp "$T/config.d" "$conf"
mvnet "$d" 20 'rate_in = "10mbit";'
out=$(vz checkconfig "$d" 2>&1)
like "$out" "key 'network\[0\]\.rate_in': not for type \"macvlan\": a limit is set on a host-side veth, which a macvlan does not have" "checkconfig refuses rate_in on a macvlan"
[ -e "$T/run/$d" ] && not_ok "... no run dir" || ok "... no run dir"

# Stop: the MAC is free at once (the monitor deletes the macvlan in the
# namespace before it lets it go)
check "stop $b" vz stop "$b"
check "stop frees $b's MAC on $P at once" mac_free "$mac_b"
check "stop $a" vz stop "$a"
check "... and $a's" mac_free "$mac_a"

# A failed start after the macvlan was made leaves none
out=$(VZ_FAIL_STEP=exec vz start "$a" 2>&1)
like "$out" "exec: injected failure" "failed start at step exec (after net)"
check "... leaves no macvlan" mac_free "$mac_a"
check "... and the next start works" vz start "$a"
like "$(in_c "$a" ip -o addr show eth0)" "inet $NET4.10/24" "... with its address"

# A killed monitor: the namespace and its macvlan go by themselves, vz stop
# cleans up the rest, and the next start is not in the way of anything
mpid=$(monitor_pid "$a")
like "$mpid" '^[0-9]+$' "the monitor pid is known"
kill -9 "$mpid"
wait_until 5 sh -c "$VZ ls | grep -q 'STOPPED\*'"
vz stop "$a" >/dev/null 2>&1
wait_until 5 mac_free "$mac_a" && ok "after kill -9 of the monitor and vz stop: no macvlan" ||
	not_ok "after kill -9 of the monitor and vz stop: no macvlan"
check "it starts again at once" vz start "$a"
check "start $b" vz start "$b"
check "... and they reach each other" in_c "$b" ping -c 1 -W 3 "$NET4.10"
kill -9 "$(monitor_pid "$a")"
wait_until 5 sh -c "$VZ ls | grep -q 'STOPPED\*'"
check "a start right after a crash works" vz start "$a"
check "... with its network" in_c "$a" ping -c 1 -W 3 "$NET4.11"
check "stop $a" vz stop "$a"
check "stop $b" vz stop "$b"
check "no macvlan of $a left" mac_free "$mac_a"
check "no macvlan of $b left" mac_free "$mac_b"
is "$(ip -o link show | grep -c "vzt$$" || true)" "$([ "$kind" = dummy ] && echo 1 || echo 2)" "only the test's parent is left (removed at exit)"

for n in "$a" "$b" "$c" "$d"; do vz destroy "$n" >/dev/null 2>&1; done
