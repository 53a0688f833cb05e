#!/bin/bash
# Issue 7's benchmark (doc/benchmarks.md, "Networking"): container-to-
# container TCP throughput and ping RTT over veth on a Linux bridge, and
# the time one veth adds to a start (and a stop).
# Goals: throughput and RTT within 5% of LXC's; one veth adds <= 5 ms to
# `vz start`.
#
# The bridge is made the way an admin makes it: a `net` group in the
# benchmark's vz.conf (bridge vztbPID, 198.19.X.1/24, mtu 1500, no NAT, no
# DHCP) and `vz net up`; `vz net down --force` removes it on every exit
# path. It has no uplink and nothing routes out of it: the containers get
# an address in its /24 and no gateway (shared/HOST.md's network rules).
# Where LXC is installed, two privileged LXC busybox containers get a veth
# on the same bridge (lxc.net.0.type = veth, link = the bridge, static
# addresses in the same /24; the template's udhcpc is taken out of its
# rcS, which would flush them), so both peers see the same bridge, MTU,
# offloads (noqueue, GRO off, TSO on: the kernel's veth defaults, which
# neither tool changes) and addressing. Throughput and RTT runs alternate
# (vz, LXC, LXC, vz, vz, ...) so the load of the shared machine falls on
# both alike.
#
# - throughput: iperf3 -c B -t SECS from container A to an iperf3 -s in B
#   (the host's iperf3 and the libraries ldd names, loader included, are
#   copied into each rootfs), one TCP stream, the receiver's Gbit/s; median
#   of RUNS (7) runs of SECS (3) s, after a 1 s warm-up;
# - RTT: busybox ping -q -c PINGS (50) -i 0.02 from A to B, the per-run
#   average; median of PING_RUNS (9) runs;
# - start: `vz start` of a busybox container with one veth on the bridge
#   and of one without network (type none), alternating, median of
#   START_RUNS (21) each, and the median of the paired differences; the
#   monitor's CPU time up to RUNNING (schedstat), which the machine's other
#   load disturbs far less than the wall time; `vz stop -k` likewise. Then
#   LXC: lxc-start (daemon mode, returns once the container is RUNNING)
#   with a veth and with lxc.net.0.type = empty; lxc-stop -k.
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-7}
SECS=${SECS:-3}
PINGS=${PINGS:-50}
PING_RUNS=${PING_RUNS:-9}
START_RUNS=${START_RUNS:-21}
LXC=${LXC:-1} # LXC=0 leaves LXC out

BR=vztb$$
X=$(($$ % 200 + 20))
NET=198.19.$X
IPERF=$(command -v iperf3) || { echo "bench: needs iperf3 on the host (Debian package iperf3)" >&2; exit 1; }

L=
_net_cleanup() {
	local d
	if [ -n "$L" ] && [ -d "$L" ]; then
		for d in "$L"/*/; do
			[ -f "$d/config" ] || continue
			lxc-stop -P "$L" -k -n "$(basename "$d")" >/dev/null 2>&1
			lxc-destroy -P "$L" -n "$(basename "$d")" >/dev/null 2>&1
		done
		rm -rf "$L"
	fi
	# The containers first (their host-side links leave the bridge), then
	# the bridge; ip(8) if vz could not.
	for d in "$T"/lib/*/; do [ -d "$d" ] && "$VZ" destroy -f "$(basename "$d")" >/dev/null 2>&1; done
	"$VZ" net down --force >/dev/null 2>&1
	ip link show "$BR" >/dev/null 2>&1 && ip link del "$BR"
	_bench_cleanup
}
trap _net_cleanup EXIT

cat >>"$T/vz.conf" <<CONF
net = { bridge = "$BR"; ipv4 = "$NET.1/24"; mtu = 1500; nat = false; dhcp = false; };
CONF
vz net up || exit 1

# add_iperf ROOT: the host's iperf3, its libraries and the loader, under
# ROOT (a rootfs, or an overlay's upper directory), owned like ROOT. (LXC's
# busybox template binds the host's /lib and /usr/lib over its own: there
# only usr/bin/iperf3 counts.)
add_iperf() {
	local root=$1 f
	mkdir -p "$root/usr/bin" "$root/tmp"
	chmod 1777 "$root/tmp"
	cp -L "$IPERF" "$root/usr/bin/iperf3"
	for f in $(ldd "$IPERF" | grep -oE '/[^ ]+'); do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
	chown -R --reference="$root" "$root/usr" "$root/tmp" "$root/lib64" "$root/lib" 2>/dev/null
	return 0
}

# Timed helpers: each prints one number.
# gbits CMD...: the receiver's Gbit/s of an iperf3 client run.
gbits() { "$@" </dev/null 2>/dev/null | awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Gbits/sec") print $(i - 1) }'; }
# rtt CMD...: the average of a busybox ping run, in ms.
rtt() { "$@" </dev/null 2>/dev/null | sed -n 's|^round-trip min/avg/max = [^/]*/\([^/]*\)/.*|\1|p'; }
# took CMD...: its wall time in ms.
took() {
	local a b
	a=$EPOCHREALTIME
	"$@" >/dev/null 2>&1 </dev/null || echo "bench: failed: $*" >&2
	b=$EPOCHREALTIME
	ms "$a" "$b"
}
med() { printf '%s\n' "$@" | grep . | median; }
# mon_cpu NAME: the CPU time (ms, from schedstat) the container's monitor
# has used so far: what its start cost in CPU, whatever else the machine
# runs (wall times here move by tens of ms with the load of other work).
mon_cpu() {
	local pid
	pid=$(sed -n 's/^monitor_pid=//p' "$T/run/$1/state" 2>/dev/null)
	awk '{ printf "%.2f\n", $1 / 1e6 }' "/proc/$pid/schedstat" 2>/dev/null
}
# pairdiff A... -- B...: the median of B[i] - A[i]
pairdiff() {
	local a=() b=() i
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	b=("$@")
	for ((i = 0; i < ${#a[@]} && i < ${#b[@]}; i++)); do
		awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN { printf "%.2f\n", y - x }'
	done | median
}

# ------------------------------------------------------------------ vz
A=$BID-a B=$BID-b
vz create "$A" -t busybox -c network="bridge=$BR,ipv4=$NET.10/24" >/dev/null
vz create "$B" -t busybox -c network="bridge=$BR,ipv4=$NET.11/24" >/dev/null
vz create "$BID-s0" -t busybox -c network=none >/dev/null
vz create "$BID-s1" -t busybox -c network="bridge=$BR,ipv4=$NET.12/24" >/dev/null
add_iperf "$T/lib/$A/delta"
add_iperf "$T/lib/$B/delta"
vz start "$A" && vz start "$B" || exit 1
vz attach "$B" -- /usr/bin/iperf3 -s -D </dev/null || exit 1
vz_c() { "$VZ" attach "$A" -- /usr/bin/iperf3 -c "$NET.11" -t "$1" -f g; }
vz_p() { "$VZ" attach "$A" -- busybox ping -q -c "$PINGS" -i 0.02 "$NET.11"; }

# ------------------------------------------------------------------ LXC
lxc_on=0
if [ "$LXC" = 0 ]; then
	lxc_why="left out (LXC=0)"
elif ! have_lxc; then
	lxc_why="not installed"
elif ! command -v busybox >/dev/null; then
	lxc_why="skipped, lxc-create -t busybox needs busybox on the host"
else
	L=$(mktemp -d /tmp/vzb-lxc.XXXXXX)
	lxc_conf() { # FILE SUFFIX: a veth on the bridge with NET.SUFFIX; "" none
		if [ -n "$2" ]; then
			printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.link = $BR" "lxc.net.0.flags = up" \
				"lxc.net.0.name = eth0" "lxc.net.0.ipv4.address = $NET.$2/24" >"$1"
		else
			echo "lxc.net.0.type = empty" >"$1"
		fi
	}
	lxc_conf "$L/a.conf" 20
	lxc_conf "$L/b.conf" 21
	lxc_conf "$L/s0.conf" ""
	lxc_conf "$L/s1.conf" 22
	for n in a b s0 s1; do
		lxc-create -P "$L" -f "$L/$n.conf" -t busybox -n "$BID-l$n" >/dev/null 2>&1 ||
			{ echo "bench: lxc-create $BID-l$n failed" >&2; exit 1; }
		# the template's rcS runs udhcpc, which would flush the address
		# LXC configured: static addresses, as in the vz containers
		sed -i '/udhcpc/d' "$L/$BID-l$n/rootfs/etc/init.d/rcS"
	done
	add_iperf "$L/$BID-la/rootfs"
	add_iperf "$L/$BID-lb/rootfs"
	lxc-start -P "$L" -n "$BID-la" && lxc-start -P "$L" -n "$BID-lb" || exit 1
	lxc-attach -P "$L" -n "$BID-lb" -- /usr/bin/iperf3 -s -D </dev/null || exit 1
	lxc_c() { lxc-attach -P "$L" -n "$BID-la" -- /usr/bin/iperf3 -c "$NET.21" -t "$1" -f g; }
	lxc_p() { lxc-attach -P "$L" -n "$BID-la" -- busybox ping -q -c "$PINGS" -i 0.02 "$NET.21"; }
	lxc_on=1
	lxc_why=
fi

# -------------------------------------------------------------- measure
vz_g=() lxc_g=() vz_r=() lxc_r=()
gbits vz_c 1 >/dev/null # warm-up: neighbours, caches
[ "$lxc_on" = 1 ] && gbits lxc_c 1 >/dev/null
# Rounds alternate which tool goes first, so neither always follows the
# other.
for ((i = 0; i < RUNS; i++)); do
	[ "$lxc_on" = 1 ] && ((i % 2)) && lxc_g+=("$(gbits lxc_c "$SECS")")
	vz_g+=("$(gbits vz_c "$SECS")")
	[ "$lxc_on" = 1 ] && ! ((i % 2)) && lxc_g+=("$(gbits lxc_c "$SECS")")
done
for ((i = 0; i < PING_RUNS; i++)); do
	[ "$lxc_on" = 1 ] && ((i % 2)) && lxc_r+=("$(rtt lxc_p)")
	vz_r+=("$(rtt vz_p)")
	[ "$lxc_on" = 1 ] && ! ((i % 2)) && lxc_r+=("$(rtt lxc_p)")
done
vz stop -k "$A" && vz stop -k "$B"
[ "$lxc_on" = 1 ] && { lxc-stop -P "$L" -k -n "$BID-la"; lxc-stop -P "$L" -k -n "$BID-lb"; }

# Start and stop: vz's pair alternating, then LXC's (apart, so that one
# tool's asynchronous teardown, the kernel freeing a dead namespace, does
# not fall into the other's figures).
vz_s0=() vz_s1=() vz_k0=() vz_k1=() vz_c0=() vz_c1=() lxc_s0=() lxc_s1=() lxc_k0=() lxc_k1=()
vz start "$BID-s0" && vz stop -k "$BID-s0" # warm-up
for ((i = 0; i < START_RUNS; i++)); do
	vz_s0+=("$(took "$VZ" start "$BID-s0")")
	vz_c0+=("$(mon_cpu "$BID-s0")")
	vz_k0+=("$(took "$VZ" stop -k "$BID-s0")")
	vz_s1+=("$(took "$VZ" start "$BID-s1")")
	vz_c1+=("$(mon_cpu "$BID-s1")")
	vz_k1+=("$(took "$VZ" stop -k "$BID-s1")")
done
if [ "$lxc_on" = 1 ]; then
	lxc-start -P "$L" -n "$BID-ls0" && lxc-stop -P "$L" -k -n "$BID-ls0"
	for ((i = 0; i < START_RUNS; i++)); do
		lxc_s0+=("$(took lxc-start -P "$L" -n "$BID-ls0")")
		lxc_k0+=("$(took lxc-stop -P "$L" -k -n "$BID-ls0")")
		lxc_s1+=("$(took lxc-start -P "$L" -n "$BID-ls1")")
		lxc_k1+=("$(took lxc-stop -P "$L" -k -n "$BID-ls1")")
	done
fi

# --------------------------------------------------------------- report
# row LABEL UNIT VZ-FIGURE LXC-FIGURE: vz/LXC as a percentage
row() {
	local pct=-
	[ "$4" != - ] && [ "$4" != n/a ] && [ "$3" != n/a ] &&
		pct=$(awk -v a="$3" -v b="$4" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "-" }')
	printf '%-38s %10s %10s %8s  %s\n' "$1" "$3" "$4" "$pct" "$2"
}
lm() { [ "$lxc_on" = 1 ] && med "$@" || echo -; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || a == "-" || b == "-") print "-"; else printf "%.2f\n", a - b }'; }
echo "bridge $BR (vz net up, mtu 1500, no uplink), $NET.0/24; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lxc: ${lxc_why:-LXC $(lxc-start --version), privileged busybox containers, veth on the same bridge}"
printf '%-38s %10s %10s %8s  %s\n' "" vz LXC "vz/LXC" ""
row "TCP A->B, iperf3 1 stream (med of $RUNS)" "Gbit/s, ${SECS} s runs" "$(med "${vz_g[@]}")" "$(lm "${lxc_g[@]}")"
row "ping RTT A->B (med of $PING_RUNS x $PINGS)" ms "$(med "${vz_r[@]}")" "$(lm "${lxc_r[@]}")"
s0=$(med "${vz_s0[@]}") s1=$(med "${vz_s1[@]}") l0=$(lm "${lxc_s0[@]}") l1=$(lm "${lxc_s1[@]}")
k0=$(med "${vz_k0[@]}") k1=$(med "${vz_k1[@]}") m0=$(lm "${lxc_k0[@]}") m1=$(lm "${lxc_k1[@]}")
row "start, no network (med of $START_RUNS)" ms "$s0" "$l0"
row "start, one veth" ms "$s1" "$l1"
printf '%-38s %10s %10s %8s  %s\n' "  added by the veth" "$(diff_ms "$s1" "$s0")" "$(diff_ms "$l1" "$l0")" "" ms
printf '%-38s %10s %10s %8s  %s\n' "  ... median of the paired differences" "$(pairdiff "${vz_s0[@]}" -- "${vz_s1[@]}")" \
	"$([ "$lxc_on" = 1 ] && pairdiff "${lxc_s0[@]}" -- "${lxc_s1[@]}" || echo -)" "" ms
printf '%-38s %10s %10s %8s  %s\n' "monitor CPU to running, no network" "$(med "${vz_c0[@]}")" - "" "ms (schedstat)"
printf '%-38s %10s %10s %8s  %s\n' "monitor CPU to running, one veth" "$(med "${vz_c1[@]}")" - "" "ms (schedstat)"
row "stop -k, no network" ms "$k0" "$m0"
row "stop -k, one veth" ms "$k1" "$m1"
printf '%-38s %10s %10s %8s  %s\n' "  added by the veth" "$(diff_ms "$k1" "$k0")" "$(diff_ms "$m1" "$m0")" "" ms
echo "runs: vz Gbit/s ${vz_g[*]}; LXC ${lxc_g[*]:--}"
echo "runs: vz RTT ms ${vz_r[*]}; LXC ${lxc_r[*]:--}"
