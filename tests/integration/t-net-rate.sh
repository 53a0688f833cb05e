#!/bin/bash
# Bandwidth limits changed live (doc/network-tc.md): a container with
# rate_in = rate_out = 10mbit gets about 10 Mbit/s of TCP each way (iperf3
# in the container, its server on the test bridge's address); vz set NAME
# net0.rate_in=20mbit (and rate_out) changes the tbf on the running
# container's host-side link in place, the next measurement follows, tc and
# vz info show it; --save writes the config and a restart keeps it; bad
# input changes neither the kernel nor the config; "none" removes a limit.
# Host lane only: throughput under the VM's TCG emulation means nothing.
# Only a bridge of the test's own with no uplink, 198.18.0.0/15 addresses.
# lanes: host
for t in ip tc iperf3 ldd python3; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t is not installed"; exit 0; }
done
if ! ip link add "vzt$$" type bridge 2>/dev/null; then
	echo "1..0 # SKIP cannot create a bridge here"
	exit 0
fi
ip link del "vzt$$"
. "$(dirname "$0")/lib.sh"

BR=vzt$$
X=$(($$ % 200 + 20))
NET4=198.18.$X
PORT=$((15200 + $$ % 100))
ip link add "$BR" type bridge || { echo "Bail out! cannot create bridge $BR"; exit 1; }
SRV_PID=
trap '_rc=$?; [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null; ip link del "$BR" 2>/dev/null; (exit $_rc); _cleanup' EXIT
ip addr add "$NET4.1/24" dev "$BR"
ip link set "$BR" up

r=$(cname r)
check "create $r (dir storage)" vz create "$r" -t busybox -B dir
conf=$T/lib/$r/config
cat >>"$conf" <<EOF
network = ( { bridge = "$BR"; ipv4 = "$NET4.10/24"; rate_in = "10mbit"; rate_out = "10mbit"; } );
EOF
# iperf3 with its libraries and loader, in a directory of its own
root=$T/lib/$r/root
mkdir -p "$root/opt/iperf" "$root/tmp"
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -oE '/[^ ]+'); do cp -L "$f" "$root/opt/iperf/"; done
loader=$(basename "$(ldd /usr/bin/iperf3 | grep -oE '/[^ ]*ld-linux[^ ]*')")
IPERF="/opt/iperf/$loader --library-path /opt/iperf /opt/iperf/iperf3"

iperf3 -s -B "$NET4.1" -p "$PORT" >/dev/null 2>&1 &
SRV_PID=$!
check "start $r with rate_in = rate_out = 10mbit" vz start "$r"
wait_until 5 vz attach "$r" -- sh -c "nc -z -w 1 $NET4.1 $PORT" </dev/null

host=$(vz info --json "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["host"])')
ifb=$(ip -o link show type ifb | awk -v h="alias $host" 'index($0, h) { sub(":$", "", $2); print $2 }')
ifindex=$(cat "/sys/class/net/$host/ifindex")

# measure in|out [SECONDS]: Mbit/s of TCP payload the receiver counted, 4 s
# (or SECONDS) after a first second left out (in: the server sends, -R)
measure() {
	local rev=
	[ "$1" = in ] && rev=-R
	vz attach "$r" -- $IPERF -c "$NET4.1" -p "$PORT" -t "${2:-4}" -O 1 $rev -J </dev/null 2>/dev/null |
		python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))' 2>/dev/null
}
# within GOT LO HI DESC
within() {
	if [ -n "$1" ] && awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; then
		ok "$4: $1 Mbit/s"
	else
		not_ok "$4: ${1:-no measurement} Mbit/s (want $2..$3)"
	fi
}
tbf() { tc qdisc show dev "$1" | grep -oE 'tbf .*rate [0-9.]+[KMG]?bit' | grep -oE '[0-9.]+[KMG]?bit$'; }
info_rates() { vz info "$r" | grep -E "^  eth0 " | grep -oE 'rate_in .*'; }

within "$(measure in)" 7 11 "download under rate_in = 10mbit"
within "$(measure out)" 7 11 "upload under rate_out = 10mbit"
is "$(info_rates)" "rate_in 10mbit, rate_out 10mbit" "vz info shows both rates"

# live: rate_in
check "vz set $r net0.rate_in=20mbit" vz set "$r" net0.rate_in=20mbit
is "$(tbf "$host")" 20Mbit "tc: the host side's tbf says 20Mbit"
is "$(tbf "$ifb")" 10Mbit "... and rate_out's ifb still 10Mbit"
is "$(cat "/sys/class/net/$host/ifindex")" "$ifindex" "the link stayed (same ifindex)"
within "$(measure in)" 15 22 "download after the live change to 20mbit"
is "$(info_rates)" "rate_in 20mbit, rate_out 10mbit" "vz info shows the live rate"
check "vz info --json: rate_in in bits/s" sh -c "$VZ info --json $r | python3 -c '
import json,sys; n=json.load(sys.stdin)[\"interfaces\"][0]
assert n[\"rate_in\"] == 20000000 and n[\"rate_out\"] == 10000000, n'"
like "$(grep -o 'rate_in = "[^"]*"' "$conf")" 'rate_in = "10mbit"' "without --save the config keeps 10mbit"

# live: rate_out
check "vz set $r net0.rate_out=20mbit" vz set "$r" net0.rate_out=20mbit
is "$(tbf "$ifb")" 20Mbit "tc: the ifb's tbf says 20Mbit"
within "$(measure out)" 15 22 "upload after the live change to 20mbit"
is "$(info_rates)" "rate_in 20mbit, rate_out 20mbit" "vz info shows both live rates"

# refused: nothing changes, in the kernel or the config
cp "$conf" "$T/config.before"
tc_before=$(tc qdisc show dev "$host"; tc qdisc show dev "$ifb")
tc_same() { [ "$(tc qdisc show dev "$host"; tc qdisc show dev "$ifb")" = "$tc_before" ]; }
out=$(vz set "$r" net0.rate_in=10M 2>&1)
like "$out" "^vz set: $r: net0.rate_in: invalid rate '10M' \(tc's units" "net0.rate_in=10M refused: $out"
out=$(vz set "$r" net5.rate_in=1mbit 2>&1)
is "$out" "vz set: $r: net5.rate_in: no interface 5: the config has one (net0)" "net5 refused"
out=$(vz set "$r" net0.ipv4=$NET4.11/24 2>&1)
is "$out" "vz set: $r: net0.ipv4: vz set changes only rate_in and rate_out of an interface (edit the config for the others)" "net0.ipv4 refused"
out=$(vz set "$r" net0.rate_out=5mbit memory=1Q --save 2>&1)
like "$out" "^vz set: $r: limits.memory=1Q: " "a bad key among good ones refuses all: $out"
out=$(vz set "$r" net0.rate_in=30mbit cpuset=4095 2>&1)
like "$out" "nothing changed.*not available on this host" "the kernel refuses a CPU after the rate changed: $out"
check "tc unchanged after the refusals (the rate put back)" tc_same
check "config unchanged after the refusals" cmp -s "$conf" "$T/config.before"

# --save: the config, and a restart keeps it
check "vz set $r network[0].rate_in=12mbit net0.rate_out=15mbit --save" \
	vz set "$r" 'network[0].rate_in=12mbit' net0.rate_out=15mbit --save
is "$(tbf "$host")/$(tbf "$ifb")" 12Mbit/15Mbit "tc: 12Mbit in, 15Mbit out"
like "$(tr -d ' \n' <"$conf")" 'rate_in="12mbit";rate_out="15mbit";' "the config has the new rates"
check "restart $r" vz restart "$r"
host2=$(vz info --json "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["host"])')
is "$(tbf "$host2")/$(tbf "$ifb")" 12Mbit/15Mbit "after the restart: still 12Mbit in, 15Mbit out"

# none and 0 remove a limit
check "vz set $r net0.rate_in=none net0.rate_out=0" vz set "$r" net0.rate_in=none net0.rate_out=0
is "$(tc qdisc show dev "$host2" | grep -cE 'tbf|ingress')" 0 "no tbf or ingress qdisc left on the host side"
is "$(ip -o link show type ifb | grep -c "alias $host2")" 0 "the ifb is gone"
is "$(info_rates)" "" "vz info shows no rate"
within "$(measure in 1)" 100 1000000 "download without a limit"

# a stopped container: --save only
check "stop $r" vz stop "$r"
out=$(vz set "$r" net0.rate_in=5mbit 2>&1)
is "$out" "vz set: container '$r' is not running: use --save to change its config" "stopped: --save needed"
check "vz set $r network.[0].rate_in=5mbit --save (stopped)" vz set "$r" 'network.[0].rate_in=5mbit' --save
like "$(tr -d ' \n' <"$conf")" 'rate_in="5mbit";' "the config has rate_in 5mbit"
is "$(info_rates)" "rate_in 5mbit, rate_out 15mbit" "vz info of the stopped container: the config's rates"
