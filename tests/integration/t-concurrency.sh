#!/bin/bash
# 20 containers created, started and stopped concurrently; two commands on
# one container never both act on it; disjoint ids under concurrent creates.
. "$(dirname "$0")/lib.sh"

N=20
names=()
for i in $(seq -w 1 $N); do names+=("$(cname c$i)"); done
check "build the template cache once" vz create "$(cname seed)" -t busybox

pids=()
for n in "${names[@]}"; do vz create "$n" -t busybox & pids+=($!); done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
is "$bad" 0 "$N concurrent creates succeed"
dups=$(for n in "${names[@]}"; do sed -n 's/^\s*uid = \([0-9]*\);/\1/p' "$T/lib/$n/config"; done | sort | uniq -d)
is "$dups" "" "all $N get distinct uid ranges"

pids=()
for n in "${names[@]}"; do vz start "$n" & pids+=($!); done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
is "$bad" 0 "$N concurrent starts succeed"
is "$(vz ls --running -1 | grep -c "^$TID-c")" "$N" "all $N are RUNNING"
bad=0
for n in "${names[@]}"; do vz attach "$n" -- true </dev/null || bad=$((bad + 1)); done
is "$bad" 0 "each answers attach"

pids=()
for n in "${names[@]}"; do vz stop "$n" & pids+=($!); done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
is "$bad" 0 "$N concurrent stops succeed"
is "$(vz ls --running -1 | grep -c "^$TID-c")" 0 "none is running"

c=${names[0]}
out1=$(mktemp)
out2=$(mktemp)
vz start "$c" >"$out1" 2>&1 &
p1=$!
vz start "$c" >"$out2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$((r1 == 0 ? 1 : 0))$((r2 == 0 ? 1 : 0))" "$([ $r1 -eq 0 ] && echo 10 || echo 01)" "two starts at once: exactly one succeeds ($r1, $r2)"
like "$(cat "$out1" "$out2")" "container '$c' is already running" "the other says it is already running"
vz stop "$c" >"$out1" 2>&1 &
p1=$!
vz stop "$c" >"$out2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $((r1 + r2)) -ge 1 ] && { [ $r1 -eq 0 ] || [ $r2 -eq 0 ]; } && ok "two stops at once: one stops it, the other reports ($r1, $r2)" ||
	not_ok "two stops at once ($r1, $r2)"
like "$(cat "$out1" "$out2")" "is not running" "the other says it is not running"
rm -f "$out1" "$out2"

pids=()
for n in "${names[@]}"; do vz destroy "$n" & pids+=($!); done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
is "$bad" 0 "$N concurrent destroys succeed"
is "$(vz ls -1 | grep -c "^$TID-c")" 0 "all gone"
