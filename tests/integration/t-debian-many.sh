#!/bin/bash
# 30 Debian containers started together all reach "running" (HOST.md: with
# the host's default inotify limit LXC gets about 20 up and the rest die or
# hang while reporting success), each with no failed units; and two
# concurrent creates on a cold cache build it once.
# lanes: host
# needs: debian
. "$(dirname "$0")/lib.sh"

N=${VZ_TEST_MANY:-30}
names=()
for i in $(seq 1 "$N"); do names+=("$(cname m$i)"); done
t0=$SECONDS
fails=0
for n in "${names[@]}"; do vz create "$n" -t debian >/dev/null 2>&1 || fails=$((fails + 1)); done
is "$fails" 0 "$N creates from the warm cache ($((SECONDS - t0)) s)"

# All at once: every vz start in the background, then each one's status.
t0=$(date +%s%N)
pids=()
for n in "${names[@]}"; do
	vz start "$n" >"$T/start-$n.out" 2>&1 &
	pids+=($!)
done
fails=0
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || { fails=$((fails + 1)); sed "s/^/${names[$i]}: /" "$T/start-${names[$i]}.out" | diag 3; }
done
echo "# $N vz start in parallel: $((($(date +%s%N) - t0) / 1000000)) ms"
is "$fails" 0 "all $N vz start succeed"
bad=
for n in "${names[@]}"; do
	st=$(timeout 120 "$VZ" attach "$n" -- systemctl is-system-running --wait 2>&1)
	[ "$st" = running ] || bad="$bad $n:$st"
done
echo "# all running after $((($(date +%s%N) - t0) / 1000000)) ms"
is "$bad" "" "all $N reach running"
bad=
for n in "${names[@]}"; do
	f=$("$VZ" attach "$n" -- systemctl --failed --plain --no-legend 2>&1)
	[ -z "$f" ] || bad="$bad $n:[$f]"
done
is "$bad" "" "none has a failed unit"
t0=$(date +%s%N)
pids=()
for n in "${names[@]}"; do vz stop "$n" >/dev/null 2>&1 & pids+=($!); done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
is "$fails" 0 "all $N stop cleanly ($((($(date +%s%N) - t0) / 1000000)) ms in parallel)"
for n in "${names[@]}"; do vz destroy "$n" >/dev/null 2>&1; done

# Two creates at once on a cold cache (a package set no other test uses)
# build it once; both containers use the one entry. The downloaded .debs of
# the shared cache are reused (hard links), so this is dpkg's time only.
cold=$T/cold
mkdir -p "$cold/debian/.template"
chmod 700 "$cold/debian"
[ -d "$VZ_TEST_DEBIAN_CACHE/.template/debs" ] && cp -al "$VZ_TEST_DEBIAN_CACHE/.template/debs" "$cold/debian/.template/debs"
rm "$T/cache/debian"
ln -s "$cold/debian" "$T/cache/debian"
x=$(cname cold1) y=$(cname cold2)
t0=$SECONDS
vz create "$x" -t debian -- --packages less >"$T/cold1.out" 2>&1 &
p1=$!
vz create "$y" -t debian -- --packages less >"$T/cold2.out" 2>&1 &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
echo "# two concurrent creates on a cold cache: $((SECONDS - t0)) s"
is "$r1:$r2" "0:0" "both creates succeed"
[ "$r1:$r2" = 0:0 ] || { diag <"$T/cold1.out"; diag <"$T/cold2.out"; }
builds=$(cat "$T/cold1.out" "$T/cold2.out" | grep -c 'debootstrap')
[ "$builds" -ge 1 ] && [ "$(grep -l debootstrap "$T/cold1.out" "$T/cold2.out" | wc -l)" = 1 ] &&
	ok "only one of them ran the template's build" || not_ok "only one of them ran the template's build ($(grep -l debootstrap "$T/cold1.out" "$T/cold2.out"))"
e1=$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$x/config")
e2=$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$y/config")
[ -n "$e1" ] && [ "$e1" = "$e2" ] && ok "both use the same entry ($e1)" || not_ok "both use the same entry ($e1, $e2)"
is "$(ls -A "$cold/debian" | grep -c '^bookworm')" 1 "the cache holds one tree"
check "the second one boots" vz start "$y"
is "$(vz attach "$y" -- systemctl is-system-running --wait 2>&1)" running "to running"
check "stop it" vz stop "$y"
