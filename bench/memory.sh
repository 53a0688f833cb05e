#!/bin/bash
# Memory of idle busybox containers: the monitor's RSS, PSS and private
# memory, the container's memory cgroup usage, and their sum per container
# (host memory per idle container). Goals: monitor RSS <= 0.5 MiB, host memory
# per idle container <= 1 MiB. LXC: monitor 0.55 MiB, 1.5-2.0 MiB per container.
. "$(dirname "$0")/lib.sh"
N=${N:-10}
for i in $(seq "$N"); do vz create "$BID-m$i" -t busybox; vz start "$BID-m$i"; done
sleep 2 # let init and getty settle
rss=() pss=() priv=() cg=() total=()
for i in $(seq "$N"); do
	c=$BID-m$i
	mon=$(vz info --json "$c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["monitor_pid"])')
	r=$(awk '/^Rss:/{print $2}' /proc/"$mon"/smaps_rollup)
	p=$(awk '/^Pss:/{print $2}' /proc/"$mon"/smaps_rollup)
	v=$(awk '/^Private_(Clean|Dirty):/{s+=$2} END{print s}' /proc/"$mon"/smaps_rollup)
	u=$(cat /sys/fs/cgroup/memory/vz/bench-"$BID"/"$c"/memory.usage_in_bytes)
	rss+=("$r") pss+=("$p") priv+=("$v") cg+=($((u / 1024)))
	total+=($((p + u / 1024)))
done
kib() { awk -v k="$1" 'BEGIN { printf "%.2f MiB", k / 1024 }'; }
echo "monitor RSS:                   $(kib "$(printf '%s\n' "${rss[@]}" | median)") (median of $N)"
echo "monitor PSS:                   $(kib "$(printf '%s\n' "${pss[@]}" | median)")"
echo "monitor private (USS):         $(kib "$(printf '%s\n' "${priv[@]}" | median)")"
echo "container memory cgroup usage: $(kib "$(printf '%s\n' "${cg[@]}" | median)")"
echo "host memory per idle container (monitor PSS + cgroup usage): $(kib "$(printf '%s\n' "${total[@]}" | median)")"
have_lxc || echo "lxc: not installed (issue 2's figures: monitor 0.55 MiB, 1.5-2.0 MiB per idle container)"
