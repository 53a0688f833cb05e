#!/bin/bash
# Bridged veth networking (doc/network.md): two containers on a bridge of
# the test's own (no uplink, 198.18.0.0/15 and fd42::/16 only) reach each
# other and the bridge over IPv4, IPv6 and TCP; MACs are stable; duplicate
# addresses, bad configs and a missing bridge are refused before anything
# is created; and no host-side link outlives a stop, a failed start, 50
# start/stop cycles or a killed monitor.
# lanes: host v2
if ! ip link add "vzt$$" type bridge 2>/dev/null; then
	echo "1..0 # SKIP cannot create a bridge here (no bridge support or no ip(8))"
	exit 0
fi
ip link del "vzt$$"
. "$(dirname "$0")/lib.sh"

BR=vzt$$
X=$(($$ % 200 + 20))
H=$(printf '%x' $(($$ % 65535 + 1)))
NET4=198.18.$X
NET6=fd42:$H:
ip link add "$BR" type bridge || { echo "Bail out! cannot create bridge $BR"; exit 1; }
HTTP_PID=
trap '_rc=$?; [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null; ip link del "$BR" 2>/dev/null; (exit $_rc); _cleanup' EXIT
ip addr add "$NET4.1/24" dev "$BR"
ip addr add "$NET6:1/64" dev "$BR" nodad
ip link set "$BR" up

# host-side links of the test's containers, found by their alias
links() { ip -o link show | grep -c "alias vz:${1:-$TID-}"; }
on_bridge() { ip -o link show master "$BR" | wc -l; }
# net NAME ADDR-SUFFIX [EXTRA]: the container's network, appended to its config
net() {
	cat >>"$T/lib/$1/config" <<EOF
network = ( { bridge = "$BR"; ipv4 = "$NET4.$2/24"; gateway = "$NET4.1";
              ipv6 = "$NET6:$2/64"; gateway6 = "$NET6:1"; ${3:-} } );
nameservers = [ "$NET4.1" ];
EOF
}
in_c() { local c=$1; shift; vz attach "$c" -- "$@" </dev/null; }

a=$(cname a)
b=$(cname b)
check "create $a" vz create "$a" -t busybox
check "create $b" vz create "$b" -t busybox
net "$a" 10 "mtu = 1400;"
net "$b" 11
check "checkconfig accepts the network" vz checkconfig "$a"
check "start $a" vz start "$a"
check "start $b" vz start "$b"
is "$(links)" 2 "one host-side link per container"
is "$(on_bridge)" 2 "... both on $BR"

check "a pings b over IPv4" in_c "$a" ping -c 1 -W 3 "$NET4.11"
check "b pings the bridge" in_c "$b" ping -c 1 -W 3 "$NET4.1"
check "a pings b over IPv6" in_c "$a" ping6 -c 1 -W 3 "$NET6:11"
check "b pings the bridge over IPv6" in_c "$b" ping6 -c 1 -W 3 "$NET6:1"
# iputils' ping, or busybox's (the VM has only that)
if command -v ping >/dev/null; then host_ping=ping; else host_ping="busybox ping"; fi
check "the host pings a" $host_ping -c 1 -W 3 "$NET4.10"
like "$(in_c "$a" ip route)" "default via $NET4.1 dev eth0" "default route via the gateway"
like "$(in_c "$a" ip -6 route)" "default via $NET6:1 dev eth0" "IPv6 default route"
is "$(in_c "$a" cat /sys/class/net/eth0/mtu)" 1400 "mtu set inside"
is "$(in_c "$a" cat /etc/resolv.conf | grep "^nameserver")" "nameserver $NET4.1" "resolv.conf from nameservers"

# TCP: a listener in b, a client in a
in_c "$b" sh -c 'mkdir -p /tmp; rm -f /tmp/got; setsid nc -l -p 5555 >/tmp/got 2>/dev/null </dev/null &'
sleep 0.3
timeout 10 "$VZ" attach "$a" -- sh -c "echo hello-over-tcp | nc -w 2 $NET4.11 5555" </dev/null >/dev/null 2>&1
wait_until 5 sh -c "$VZ attach $b -- cat /tmp/got </dev/null | grep -q hello-over-tcp"
check "TCP from a to b" sh -c "$VZ attach $b -- cat /tmp/got </dev/null | grep -q hello-over-tcp"

# What vz shows
line=$(vz ls | awk -v n="$a" '$1 == n')
like "$line" " $NET4.10 +$NET6:10 " "vz ls: IPV4 and IPV6 columns"
like "$(vz ls | head -n1 | tr -s ' ')" "NAME STATE PID IPV4 IPV6 MEMORY" "vz ls header"
info=$(vz info "$a")
like "$info" "eth0 +host vz[0-9a-f]{8}i0 on $BR, [0-9a-f:]{17}, $NET4.10/24, $NET6:10/64" "vz info: the interface"
check "vz info --json: interfaces" sh -c "$VZ info --json $a | python3 -c '
import json,sys; i=json.load(sys.stdin); n=i[\"interfaces\"][0]
assert i[\"ipv4\"] == \"$NET4.10\" and n[\"name\"] == \"eth0\" and n[\"host\"].startswith(\"vz\"), i'"

# MACs: stable across a restart, different between containers
mac_a=$(in_c "$a" cat /sys/class/net/eth0/address)
mac_b=$(in_c "$b" cat /sys/class/net/eth0/address)
like "$mac_a" "^[0-9a-f][26ae]:" "auto MAC is locally administered unicast ($mac_a)"
[ "$mac_a" != "$mac_b" ] && ok "MACs differ between containers" || not_ok "MACs differ ($mac_a)"
host_a=$(vz info --json "$a" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["host"])')
like "$(cat "/sys/class/net/$host_a/address")" "^fe:" "host side has a fe: MAC"
check "restart $a" vz restart "$a"
is "$(in_c "$a" cat /sys/class/net/eth0/address)" "$mac_a" "MAC unchanged after restart"
check "a still reaches b after the restart" in_c "$a" ping -c 1 -W 3 "$NET4.11"

# Duplicate address: refused, naming the other container; nothing made
c=$(cname c)
check "create $c" vz create "$c" -t busybox
net "$c" 10
out=$(vz start "$c" 2>&1)
is "$out" "vz start: $c: net: network[0].ipv4: $NET4.10 is in use by running container '$a' (eth0) on bridge '$BR'" "duplicate IPv4 refused"
is "$(links "$c:")" 0 "... no link made for it"
is "$(state "$c")" STOPPED "... not running"
sed -i "s/ipv4 = \"$NET4.10\/24\"/ipv4 = \"$NET4.12\/24\"/" "$T/lib/$c/config"
out=$(vz start "$c" 2>&1)
like "$out" "network\[0\].ipv6: $NET6:10 is in use by running container '$a'" "duplicate IPv6 refused"

# Invalid config: the key and the reason, before anything starts
d=$(cname d)
check "create $d" vz create "$d" -t busybox
conf=$T/lib/$d/config
cp "$conf" "$T/config.d"
printf 'network = ( { bridge = "%s"; mtu = 20; } );\n' "$BR" >>"$conf"
out=$(vz start "$d" 2>&1)
is "$out" "vz start: $d: $conf:$(wc -l <"$conf"): key 'network[0].mtu': 20 is out of range (68..65535)" "bad mtu: file:line and key"
cp "$T/config.d" "$conf"
printf 'network = ( { bridge = "%s"; ipv4 = "%s.20/24"; gateway = "198.19.0.1"; } );\n' "$BR" "$NET4" >>"$conf"
out=$(vz start "$d" 2>&1)
like "$out" "key 'network\[0\].gateway': 198.19.0.1 is not in the subnet of ipv4 $NET4.20/24" "gateway outside the subnet"

# Missing bridge: said clearly, nothing created
cp "$T/config.d" "$conf"
printf 'network = ( { bridge = "vzn%s"; ipv4 = "%s.21/24"; } );\n' "$$" "$NET4" >>"$conf"
out=$(vz start "$d" 2>&1)
is "$out" "vz start: $d: network[0].bridge: bridge 'vzn$$' does not exist (create it with vz net up, or set network.bridge in vz.conf)" "missing bridge"
is "$(links "$d:")" 0 "... no link made"
[ -e "$T/run/$d" ] && not_ok "... no run dir" || ok "... no run dir"

# Stop: the host side goes at once
check "stop $b" vz stop "$b"
is "$(links "$b:")" 0 "stop removes the host-side link"
check "stop $a" vz stop "$a"
is "$(links)" 0 "nothing on the host after both stopped"

# Failed starts leave no link
for step in net exec; do
	out=$(VZ_FAIL_STEP=$step vz start "$a" 2>&1)
	like "$out" "$step: injected failure" "failed start at step $step"
	is "$(links "$a:")" 0 "... leaves no link"
done

# 50 start/stop cycles
n=0
for i in $(seq 50); do
	vz start "$a" >/dev/null 2>&1 && vz stop -t 2 "$a" >/dev/null 2>&1 && n=$((n + 1))
done
is "$n" 50 "50 start/stop cycles"
is "$(links)" 0 "... no link left"
is "$(on_bridge)" 0 "... nothing left on the bridge"

# A killed monitor: vz stop removes what it left
check "start $a again" vz start "$a"
mpid=$(monitor_pid "$a")
kill -9 "$mpid"
wait_until 5 sh -c "$VZ ls | grep -q 'STOPPED\*'"
out=$(vz stop "$a" 2>&1)
is "$(links "$a:")" 0 "after kill -9 of the monitor and vz stop: no link"
check "and it starts again" vz start "$a"
is "$(links "$a:")" 1 "... with its link"
check "stop" vz stop "$a"

# rate_in/rate_out (doc/network-tc.md): tbf on the host side, an ifb for the
# way out; a download from the bridge's address is held to rate_in.
r=$(cname r)
check "create $r" vz create "$r" -t busybox
net "$r" 12 'rate_in = "8mbit"; rate_out = "8mbit";'
check "start $r with rate_in = rate_out = 8mbit" vz start "$r"
host=$(ip -o link show | awk -v a="alias vz:$r:eth0" 'index($0, a) { sub(":$", "", $2); sub("@.*", "", $2); print $2 }')
like "$(tc qdisc show dev "$host")" "tbf .*rate 8Mbit" "the host side of $r has a tbf at 8Mbit (rate_in)"
ifbs=$(ip -o link show type ifb 2>/dev/null | grep -c "$host" || true)
is "$ifbs" 1 "one ifb shapes what $r sends (rate_out)"
mkdir -p "$T/www" && head -c $((3 * 1024 * 1024)) /dev/zero >"$T/www/f"
python3 -m http.server --bind "$NET4.1" --directory "$T/www" 18$((X % 10))80 >/dev/null 2>&1 &
HTTP_PID=$!
wait_until 5 sh -c "python3 -c 'import socket; socket.create_connection((\"$NET4.1\", 18$((X % 10))80), 1)'"
t0=$(date +%s%N)
check "download 3 MiB from the bridge inside $r" vz attach "$r" -- wget -q -O /dev/null "http://$NET4.1:18$((X % 10))80/f"
t1=$(date +%s%N)
mbit=$((3 * 1024 * 1024 * 8 * 1000 / ((t1 - t0) / 1000)))
[ "$mbit" -le 8800 ] && [ "$mbit" -ge 6000 ] && ok "the download ran at $((mbit / 1000)).$((mbit % 1000 / 100)) Mbit/s under rate_in = 8mbit" ||
	not_ok "the download ran at $mbit kbit/s under rate_in = 8mbit (want 6000-8800)"
kill "$HTTP_PID" 2>/dev/null; wait "$HTTP_PID" 2>/dev/null; HTTP_PID=
check "stop $r" vz stop "$r"
is "$(ip -o link show type ifb 2>/dev/null | grep -c "$host" || true)" 0 "the ifb goes with the container"
is "$(links "$r:")" 0 "and its host link"
