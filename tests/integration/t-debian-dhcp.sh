#!/bin/bash
# DHCP inside Debian (doc/network.md, "DHCP"): on a bridge of the test's own
# that vz net up serves with dnsmasq (dhcp = true; no uplink, 198.18.0.0/15
# only), a Debian container with ipv4 = "dhcp" boots and its
# systemd-networkd (enabled by the template, told by the 10-vz-eth0.network
# vz writes) gets a lease: vz net status lists it with the container's MAC,
# the address is on eth0 inside, the container pings the bridge, vz ls and
# vz info show the leased address. A second Debian container with a static
# ipv4 keeps exactly vz's address and default route once networkd runs, and
# a stale 10-vz-*.network file goes. A gateway with dhcp is refused; after
# the stop no link of the containers is left.
# lanes: host
# needs: debian
. "$(dirname "$0")/lib.sh"

for t in ip dnsmasq busybox python3; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t is not installed"; exit 0; }
done

BR=vzt$$
N=$(($$ % 200 + 20))
NET4=198.18.$N
NET6=fd42:$(printf '%x' $(($$ % 65535 + 1))):
dnsmasq_pids() { # dnsmasq processes of this test (their pid file is below $T)
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = dnsmasq ] &&
			{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "--pid-file=$T/" && echo "${p#/proc/}"
	done
	true
}
net_cleanup() {
	local p
	for p in $(dnsmasq_pids); do kill "$p"; done
	ip link del "$BR" 2>/dev/null
	rm -rf "$T/run/net"
}
trap '_rc=$?; "$VZ" net down --force >/dev/null 2>&1; net_cleanup; (exit $_rc); _cleanup' EXIT

{ cat "$T/vz.conf"; echo "net = { bridge = \"$BR\"; ipv4 = \"$NET4.1/24\"; ipv6 = \"$NET6:1/64\"; dhcp = true; dhcp_range = \"$NET4.100,$NET4.150\"; };"; } >"$T/vz.conf.new"
mv "$T/vz.conf.new" "$T/vz.conf"
check "vz net up: bridge $BR with DHCP" vz net up

in_c() { local c=$1; shift; vz attach "$c" -- "$@" </dev/null; }
# booted NAME: systemd reached running (or degraded: the tests below say why)
booted() { in_c "$1" systemctl is-system-running --wait >/dev/null 2>&1; in_c "$1" systemctl is-system-running 2>&1; }

d=$(cname dhcp)
s=$(cname static)
check "create $d" vz create "$d" -t debian
check "create $s" vz create "$s" -t debian
echo "network = ( { bridge = \"$BR\"; ipv4 = \"dhcp\"; gateway = \"$NET4.1\"; } );" >>"$T/lib/$d/config"
out=$(vz checkconfig "$d" 2>&1)
like "$out" "key 'network\[0\]\.gateway': not with ipv4 = \"dhcp\" \(the DHCP server gives the default route\)" \
	"a gateway with ipv4 = \"dhcp\" is refused"
is "$(wc -l <<<"$out")" 1 "in one line"
sed -i 's/ gateway = "[0-9.]*";//' "$T/lib/$d/config"
check "ipv4 = \"dhcp\" alone is accepted" vz checkconfig "$d"
cat >>"$T/lib/$s/config" <<EOF
network = ( { bridge = "$BR"; ipv4 = "$NET4.20/24"; gateway = "$NET4.1";
              ipv6 = "$NET6:20/64"; gateway6 = "$NET6:1"; } );
EOF
# A file of vz's from an interface the config no longer has: removed at start.
uid=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$s/config")
mkdir -p "$T/lib/$s/delta/etc/systemd/network"
echo "[Match]" >"$T/lib/$s/delta/etc/systemd/network/10-vz-eth9.network"
chown -R "$uid:$uid" "$T/lib/$s/delta/etc/systemd"

t0=$(date +%s)
check "start $d" vz start "$d"
check "start $s" vz start "$s"
mac=$(vz info --json "$d" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["hwaddr"])')
like "$mac" '^[0-9a-f:]{17}$' "the DHCP container's MAC ($mac)"
like "$(cat "$T/run/$d/net")" "ipv4=dhcp" "run/NAME/net records ipv4=dhcp"
is "$(booted "$d")" running "$d: systemd is running, no failed unit"
is "$(booted "$s")" running "$s: systemd is running, no failed unit"

lease() { vz net status | awk -v m="$mac" '$3 == m { print $4 }'; }
wait_until 30 sh -c "'$VZ' net status | grep -q ' $mac '"
ip=$(lease)
like "$ip" "^$NET4\.(1[0-4][0-9]|150)$" "vz net status lists a lease for the container's MAC ($ip, $(($(date +%s) - t0)) s after start)"
like "$(in_c "$d" ip -4 -o addr show eth0)" "inet $ip/24 " "eth0 inside has the leased address"
is "$(in_c "$d" ip -4 -o addr show eth0 | wc -l)" 1 "and only that one"
like "$(in_c "$d" ip -4 route show default)" "default via $NET4.1 dev eth0" "the default route from the lease"
check "networkd reports it online" in_c "$d" timeout 20 /lib/systemd/systemd-networkd-wait-online --timeout=15
like "$(in_c "$d" networkctl --no-legend list eth0 2>&1)" "eth0 +ether +routable +configured" "networkctl: eth0 routable, configured"
like "$(in_c "$d" cat /etc/systemd/network/10-vz-eth0.network)" "DHCP=ipv4" "vz wrote 10-vz-eth0.network with DHCP=ipv4"
vz attach "$d" -- sh -c 'cat > /tmp/busybox && chmod 755 /tmp/busybox' <"$(command -v busybox)"
check "the container pings the bridge" in_c "$d" /tmp/busybox ping -c 1 -W 3 "$NET4.1"
like "$(vz ls | awk -v n="$d" '$1 == n')" " $ip( |$)" "vz ls shows the leased address"
like "$(vz info "$d")" "eth0 .* on $BR, $mac, $ip \(DHCP\)" "vz info shows it"

# The static one: exactly vz's address and route, networkd agreeing.
is "$(in_c "$s" ip -4 -o addr show eth0 | awk '{print $4}')" "$NET4.20/24" "static: eth0 keeps exactly vz's address"
is "$(in_c "$s" ip -4 route show default)" "default via $NET4.1 dev eth0 proto static " "static: and its default route"
a6=$(in_c "$s" ip -6 -o addr show eth0 scope global)
is "$(awk '{print $4}' <<<"$a6")" "$NET6:20/64" "static: and exactly its IPv6 address"
unlike "$a6" "tentative|dadfailed" "static: which is usable (no duplicate address detection)"
like "$(in_c "$s" ip -6 route show default)" "^default via $NET6:1 dev eth0 proto static" "static: and its IPv6 default route"
like "$(in_c "$s" cat /etc/systemd/network/10-vz-eth0.network)" "Address=$NET4.20/24" "static: vz's file gives networkd the same address"
# (configured once the IPv6 link-local address passed its duplicate detection)
check "static: networkd reports it online" in_c "$s" timeout 20 /lib/systemd/systemd-networkd-wait-online --timeout=15
like "$(in_c "$s" networkctl --no-legend list eth0 2>&1)" "eth0 +ether +routable +configured" "static: networkctl: eth0 routable, configured"
check_fails "static: the stale 10-vz-eth9.network is gone" test -e "$T/lib/$s/delta/etc/systemd/network/10-vz-eth9.network"
check "static: the container pings the DHCP one" sh -c "'$VZ' attach '$s' -- sh -c 'cat > /tmp/busybox && chmod 755 /tmp/busybox' <'$(command -v busybox)' && '$VZ' attach '$s' -- /tmp/busybox ping -c 1 -W 3 $ip </dev/null"
echo "# both booted with a lease in $(($(date +%s) - t0)) s"

check "stop $d" vz stop "$d"
check "stop $s" vz stop "$s"
is "$(ip -o link show | grep -c "alias vz:$TID-")" 0 "no host-side link left"
is "$(ip -o link show master "$BR" | wc -l)" 0 "nothing on the bridge"
like "$(vz ls | awk -v n="$d" '$1 == n')" "STOPPED" "$d is stopped"
check "vz net down" vz net down
is "$(dnsmasq_pids)" "" "dnsmasq is gone"
