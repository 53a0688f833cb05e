#!/bin/bash
# vz net up/down/status: the bridge of vz.conf's net group appears with its
# MTU and addresses, a second up is harmless and puts back a lost address,
# status shows it (text and --json); NAT is an nftables table of vz's own,
# present after up with nat = true and gone after down; with dhcp = true a
# dnsmasq serves the bridge alone and a DHCP client in a private network
# namespace (a veth the test attaches) gets a lease that status lists;
# down refuses while an interface is attached, --force removes the bridge,
# the table and dnsmasq; a bad name, address or range is one clear error
# and creates nothing. Only a bridge with no uplink, 198.18.0.0/15 and
# fd00::/8 addresses (HOST.md, "Network safety").
# lanes: host
. "$(dirname "$0")/lib.sh"

for t in ip nft dnsmasq busybox python3; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t is not installed"; exit 0; }
done

BR=vzt$$
N=$(($$ % 200 + 20))
NET4=198.18.$N
NET6=fd0a:18:$N
NS=vztns$$
VH=vzt$$h # host end of the test's veth
VP=vzt$$p # its peer, in the netns
DUMMY=vzt$$d # a link of another kind (a veth: this kernel has no dummy)
FWD=$(cat /proc/sys/net/ipv4/ip_forward)
cp "$T/vz.conf" "$T/vz.conf.base"
# netconf KEY=VALUE;...: the test's vz.conf with that net group.
netconf() { { cat "$T/vz.conf.base"; echo "net = { $* };"; } >"$T/vz.conf"; }
base="bridge = \"$BR\"; ipv4 = \"$NET4.1/24\"; ipv6 = \"$NET6::1/64\"; mtu = 1400;"

dnsmasq_pids() { # dnsmasq processes of this test (their pid file is below $T)
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = dnsmasq ] &&
			{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "--pid-file=$T/" && echo "${p#/proc/}"
	done
	true
}
net_leftovers() {
	ip link show "$BR" >/dev/null 2>&1 && echo "link $BR"
	ip link show "$VH" >/dev/null 2>&1 && echo "link $VH"
	ip link show "$DUMMY" >/dev/null 2>&1 && echo "link $DUMMY"
	ip netns list | grep -qw "$NS" && echo "netns $NS"
	nft list table inet "vz-$BR" >/dev/null 2>&1 && echo "nft table inet vz-$BR"
	local p
	for p in $(dnsmasq_pids); do echo "dnsmasq $p"; done
	true
}
net_cleanup() {
	local p
	for p in $(dnsmasq_pids); do kill "$p"; done
	ip netns del "$NS" 2>/dev/null
	ip link del "$VH" 2>/dev/null
	ip link del "$DUMMY" 2>/dev/null
	ip link del "$BR" 2>/dev/null
	nft delete table inet "vz-$BR" 2>/dev/null
	echo "$FWD" >/proc/sys/net/ipv4/ip_forward
	rm -rf "$T/run/net"
}
trap '_rc=$?; l=$(net_leftovers); net_cleanup; [ -z "$l" ] && ok "no link, netns, nft table or dnsmasq left" || { not_ok "no link, netns, nft table or dnsmasq left"; diag <<<"$l"; }; (exit $_rc); _cleanup' EXIT

js() { vz net status --json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---------------------------------------------------------------- errors
netconf "bridge = \"much-too-long-name\";"
out=$(vz net up 2>&1)
is "$?" 1 "a 19-character bridge name is refused"
like "$out" "key 'net.bridge': invalid interface name 'much-too-long-name' \(1-15 " "the message names the key and the rule"
is "$(wc -l <<<"$out")" 1 "in one line"
netconf "bridge = \"a/b\";"
check_fails "a name with '/' is refused" vz net status
netconf "bridge = \"$BR\"; ipv4 = \"$NET4.300/24\";"
out=$(vz net up 2>&1)
like "$out" "key 'net.ipv4': invalid IPv4 address '$NET4.300/24'" "a bad IPv4 address is refused"
netconf "bridge = \"$BR\"; ipv4 = \"$NET4.0/24\";"
like "$(vz net up 2>&1)" "is the network address of its subnet" "the network address is no host address"
netconf "bridge = \"$BR\"; ipv6 = \"fe80::1/64\";"
like "$(vz net up 2>&1)" "key 'net.ipv6': 'fe80::1/64' is not a global" "a link-local IPv6 address is refused"
netconf "bridge = \"$BR\"; ipv6 = \"$NET6::1\";"
like "$(vz net up 2>&1)" "invalid IPv6 address" "an IPv6 address needs its prefix"
netconf "$base dhcp = true; dhcp_range = \"198.19.0.10,198.19.0.20\";"
out=$(vz net up 2>&1)
like "$out" "net.dhcp_range '198.19.0.10,198.19.0.20' is not inside the subnet of net.ipv4" "a DHCP range outside the subnet is refused"
netconf "$base dhcp = true; dhcp_range = \"$NET4.20,$NET4.10\";"
like "$(vz net up 2>&1)" "ends before it starts" "a reversed range is refused"
netconf "bridge = \"$BR\"; ipv4 = \"\"; nat = true;"
like "$(vz net up 2>&1)" "net.nat needs an IPv4 address" "NAT without an IPv4 address is refused"
is "$(net_leftovers)" "" "the refused commands created nothing"
check "make a veth $DUMMY" ip link add "$DUMMY" type veth peer name "vzt$$e"
netconf "bridge = \"$DUMMY\"; ipv4 = \"$NET4.1/24\";"
like "$(vz net up 2>&1)" "interface '$DUMMY' exists and is not a bridge \(veth\)" "a name taken by another kind of link is refused"
unlike "$(ip -o addr show dev "$DUMMY")" "inet " "and that link got no address"
ip link del "$DUMMY"

# ---------------------------------------------------------------- the bridge
netconf "$base"
like "$(vz net status)" "state: +absent" "before up, status says the bridge is absent"
check "vz net up" vz net up
like "$(ip -d -o link show "$BR")" "mtu 1400 .*state (UP|DOWN|UNKNOWN).* bridge " "a bridge with mtu 1400"
like "$(ip -o link show "$BR")" "<[^>]*,UP[,>]" "set up"
addrs=$(ip -o addr show dev "$BR" | awk '{print $4}' | sort | tr '\n' ' ')
like "$addrs" "$NET4.1/24" "the IPv4 address"
like "$addrs" "$NET6::1/64" "the IPv6 address"
unlike "$(ip -o -6 addr show dev "$BR" | grep "$NET6::1")" "tentative" "the IPv6 address skips duplicate detection"
check "vz net up again is fine" vz net up
is "$(ip -o -4 addr show dev "$BR" | wc -l)" 1 "still one IPv4 address"
ip addr del "$NET4.1/24" dev "$BR"
check "up after the address was removed by hand" vz net up
like "$(ip -o -4 addr show dev "$BR")" "$NET4.1/24" "puts it back"
netconf "${base/mtu = 1400/mtu = 1300}"
vz net up
like "$(ip -o link show "$BR")" "mtu 1300" "a changed mtu applies on the next up"
netconf "$base"
vz net up

out=$(vz net status)
like "$out" "bridge: +$BR" "status: the bridge"
like "$out" "state: +up, [a-z]+, mtu 1400" "status: its state and mtu"
like "$out" "addresses: +.*$NET4.1/24" "status: IPv4"
like "$out" "addresses: +.*$NET6::1/64" "status: IPv6"
like "$out" "interfaces: +-" "status: no interfaces attached"
like "$out" "nat: +off" "status: NAT off"
like "$out" "dhcp: +off" "status: DHCP off"
is "$(js 'd["bridge"], d["exists"], d["up"], d["mtu"], d["nat"], d["dhcp"], d["interfaces"]')" \
	"$BR True True 1400 False False []" "status --json"

# An interface attached (a veth end in the bridge, its peer in a netns).
ip netns add "$NS"
ip link add "$VH" type veth peer name "$VP" netns "$NS"
ip link set "$VH" master "$BR" up
ip -n "$NS" link set "$VP" up
like "$(vz net status)" "interfaces: +$VH" "status lists the attached interface"
out=$(vz net down 2>&1)
is "$?" 1 "down refuses while an interface is attached"
like "$out" "bridge '$BR' still has interfaces attached: $VH \(stop the containers using it, or --force\)" "and names it"
check "the bridge is still there" ip link show "$BR"

# ---------------------------------------------------------------- NAT
netconf "$base nat = true;"
check "up with nat = true" vz net up
rules=$(nft list table inet "vz-$BR" 2>&1)
like "$rules" "ip saddr $NET4.0/24 ip daddr != $NET4.0/24 oifname != \"$BR\" masquerade" "a masquerade rule for the subnet, not out of the bridge"
like "$rules" "hook postrouting" "in a postrouting nat chain"
like "$rules" "iifname \"$BR\" accept" "forwarding from the bridge accepted"
is "$(cat /proc/sys/net/ipv4/ip_forward)" 1 "net.ipv4.ip_forward is on"
like "$(vz net status)" "nat: +on \(nftables table inet vz-$BR\)" "status: NAT on"
check "up again with NAT" vz net up
is "$(nft list table inet "vz-$BR" | grep -c masquerade)" 1 "still one masquerade rule"
netconf "$base"
check "up with nat = false" vz net up
check_fails "switches NAT off (the table is gone)" nft list table inet "vz-$BR"

# ---------------------------------------------------------------- DHCP
netconf "$base nat = true; dhcp = true; dhcp_range = \"$NET4.50,$NET4.60\";"
check "up with dhcp = true" vz net up
pid=$(js 'd["dnsmasq_pid"]')
like "$pid" "^[0-9]+$" "dnsmasq runs"
is "$(dnsmasq_pids)" "$pid" "one dnsmasq, the one status names"
like "$(tr '\0' ' ' </proc/$pid/cmdline)" "--interface=$BR .*--bind-interfaces" "bound to the bridge"
socks=$(ss -H -lnutp)
socks=$(grep "pid=$pid," <<<"$socks" | awk '{print $5}')
unlike "$socks" "^(127\.|\[::1\]|0\.0\.0\.0:|\*:|\[::\]:)" "no dnsmasq socket on loopback or all interfaces"
like "$socks" "^$NET4.1(%$BR)?:53$" "DNS on the bridge's address"
like "$(vz net status)" "dhcp: +on \(dnsmasq pid $pid, range $NET4.50,$NET4.60\)" "status: DHCP on"
check "up again keeps it" vz net up
is "$(js 'd["dnsmasq_pid"]')" "$pid" "the same dnsmasq"

out=$(ip netns exec "$NS" busybox udhcpc -i "$VP" -n -q -f -t 5 -T 1 -s /bin/true -x hostname:vzlease 2>&1)
check "a DHCP client on the bridge gets a lease" test $? = 0
like "$out" "lease of $NET4.(5[0-9]|60) obtained" "from the range"
mac=$(ip -n "$NS" -o link show "$VP" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
like "$(vz net status)" "  [0-9-]+ [0-9:]+  $mac  $NET4.(5[0-9]|60) +vzlease" "status lists the lease (expiry, MAC, IP, hostname)"
is "$(js '[(l["mac"], l["hostname"]) for l in d["leases"]]')" "[('$mac', 'vzlease')]" "and so does --json"

netconf "$base nat = true; dhcp = true; dhcp_range = \"$NET4.70,$NET4.80\";"
check "up with another range" vz net up
pid2=$(js 'd["dnsmasq_pid"]')
check "restarts dnsmasq" test "$pid2" != "$pid" -a -n "$pid2"
is "$(dnsmasq_pids)" "$pid2" "only the new one runs"

# ---------------------------------------------------------------- down
check "down --force with an interface attached" vz net down --force
check_fails "the bridge is gone" ip link show "$BR"
check_fails "the NAT table is gone" nft list table inet "vz-$BR"
is "$(dnsmasq_pids)" "" "dnsmasq is gone"
check_fails "its run files are gone" test -e "$T/run/net"
check "down again is fine" vz net down
like "$(vz net status)" "state: +absent" "status: absent"
ip netns del "$NS"
is "$(net_leftovers)" "" "nothing of the test's network is left"
