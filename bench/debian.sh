#!/bin/bash
# Debian (systemd) containers, unprivileged, from the shared test cache
# (tests/integration/debian-cache; built with the real template the first
# time): create from the warm cache, start until `systemctl
# is-system-running` says running, clean `vz stop`, overlay clone and dir
# (full copy) create, idle memory of one container (its processes' RSS and
# PSS, and its memory cgroup), and N containers booted at once. With LXC
# installed, the same work with lxc-* on a copy of the same tree
# (privileged, no network), in the same run.
# Issue 5's LXC 5.0.2 figures on this machine: boot to running ~270 ms, clean
# lxc-stop ~690 ms, overlay clone ~9 ms, full copy 1.6 s, idle 5.1 MiB
# process / 9.1 MiB PSS (15.5 MiB in its memory cgroup).
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-7}
MANY=${MANY:-30}

cache=$(VZ_SRC=$VZ_SRC VZ_BUILD=$VZ_BUILD "$VZ_SRC/tests/integration/debian-cache") ||
	{ echo "bench: no Debian cache (tests/integration/debian-cache failed)" >&2; exit 1; }
mkdir -p "$T/cache"
ln -s "$cache" "$T/cache/debian"

# Sum of RSS and PSS (KiB) of the processes whose pids are on stdin.
mem_of() {
	local rss=0 pss=0 p r s
	while read -r p; do
		r=$(awk '/^Rss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
		s=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
		rss=$((rss + ${r:-0})) pss=$((pss + ${s:-0}))
	done
	echo "$rss $pss"
}
running() { until [ "$("$@" systemctl is-system-running 2>/dev/null)" = running ]; do sleep 0.01; done; }

c=$BID-d
create_ms=() boot_ms=() stop_ms=()
for i in $(seq "$RUNS"); do
	t0=$EPOCHREALTIME
	vz create "$c-$i" -t debian >/dev/null
	t1=$EPOCHREALTIME
	create_ms+=("$(ms "$t0" "$t1")")
done
for i in $(seq "$RUNS"); do
	t0=$EPOCHREALTIME
	vz start "$c-1"
	running vz attach "$c-1" --
	t1=$EPOCHREALTIME
	boot_ms+=("$(ms "$t0" "$t1")")
	if [ "$i" = 1 ]; then
		sleep 5 # idle
		pids=$(for d in /sys/fs/cgroup/memory/vz/bench-"$BID"/"$c-1" /sys/fs/cgroup/vz/bench-"$BID"/"$c-1"; do
			[ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} +; done)
		read -r rss pss < <(sort -u <<<"$pids" | mem_of)
		cg=$(for f in /sys/fs/cgroup/memory/vz/bench-"$BID"/"$c-1"/memory.usage_in_bytes /sys/fs/cgroup/vz/bench-"$BID"/"$c-1"/memory.current; do
			[ -f "$f" ] && cat "$f"; done | head -n 1)
	fi
	t0=$EPOCHREALTIME
	vz stop "$c-1"
	t1=$EPOCHREALTIME
	stop_ms+=("$(ms "$t0" "$t1")")
done
# The same with a getty on the console only (console.ttys = 0), as LXC's
# Debian runs: LXC's ttys get no getty there (getty@ needs /dev/tty0),
# while vz's container_ttys starts container-getty@1..4.
vz create "$c-t0" -t debian -c console.ttys=0 >/dev/null
vz start "$c-t0"
running vz attach "$c-t0" --
sleep 5
pids=$(for d in /sys/fs/cgroup/memory/vz/bench-"$BID"/"$c-t0" /sys/fs/cgroup/vz/bench-"$BID"/"$c-t0"; do
	[ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} +; done)
read -r rss0 pss0 < <(sort -u <<<"$pids" | mem_of)
vz stop "$c-t0"
vz destroy "$c-t0"
clone_ms=() dir_ms=()
for i in $(seq "$RUNS"); do
	t0=$EPOCHREALTIME
	vz clone "$c-1" "$c-clone-$i"
	t1=$EPOCHREALTIME
	clone_ms+=("$(ms "$t0" "$t1")")
done
for i in 1 2 3; do
	t0=$EPOCHREALTIME
	vz create "$c-dir-$i" -t debian -B dir >/dev/null
	t1=$EPOCHREALTIME
	dir_ms+=("$(ms "$t0" "$t1")")
	vz destroy "$c-dir-$i"
done
for i in $(seq "$RUNS"); do vz destroy "$c-clone-$i"; [ "$i" -gt 1 ] && vz destroy "$c-$i"; done

printf 'vz create (warm cache):        %s ms (median of %d)\n' "$(printf '%s\n' "${create_ms[@]}" | median)" "$RUNS"
printf 'start -> is-system-running:    %s ms (median of %d)\n' "$(printf '%s\n' "${boot_ms[@]}" | median)" "$RUNS"
printf 'clean vz stop:                 %s ms (median of %d)\n' "$(printf '%s\n' "${stop_ms[@]}" | median)" "$RUNS"
printf 'vz clone (overlay):            %s ms (median of %d)\n' "$(printf '%s\n' "${clone_ms[@]}" | median)" "$RUNS"
printf 'vz create -B dir (full copy):  %s ms (median of 3)\n' "$(printf '%s\n' "${dir_ms[@]}" | median)"
printf 'idle container:                %s MiB RSS, %s MiB PSS of its processes; %s MiB in its memory cgroup\n' \
	"$(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="${pss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" \
	"$(awk -v b="${cg:-0}" 'BEGIN { printf "%.1f", b / 1048576 }')"

printf 'idle, console getty only:      %s MiB RSS, %s MiB PSS of its processes (console.ttys = 0, as LXC runs)\n' \
	"$(awk -v k="${rss0:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="${pss0:-0}" 'BEGIN { printf "%.1f", k / 1024 }')"

# N at once.
names=()
for i in $(seq "$MANY"); do names+=("$c-m$i"); vz create "$c-m$i" -t debian >/dev/null; done
t0=$EPOCHREALTIME
for n in "${names[@]}"; do vz start "$n" & done
wait
for n in "${names[@]}"; do running vz attach "$n" --; done
t1=$EPOCHREALTIME
up=0
for n in "${names[@]}"; do [ "$(vz attach "$n" -- systemctl is-system-running 2>/dev/null)" = running ] && up=$((up + 1)); done
printf '%d at once:                     %d running after %s ms\n' "$MANY" "$up" "$(ms "$t0" "$t1")"
for n in "${names[@]}"; do vz stop "$n" & done
wait

if have_lxc; then
	L=$T/lxc
	mkdir -p "$L"
	entry=$(readlink -f "$cache")/$(ls "$cache" | grep -m1 '^bookworm')
	lboot=() lstop=()
	ln=vzbench-$BID
	mkdir -p "$L/$ln"
	cp -a "$entry" "$L/$ln/rootfs"
	cat >"$L/$ln/config" <<CONF
lxc.uts.name = $ln
lxc.rootfs.path = dir:$L/$ln/rootfs
lxc.net.0.type = empty
lxc.include = /usr/share/lxc/config/common.conf
lxc.apparmor.profile = unconfined
CONF
	for i in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		lxc-start -P "$L" -n "$ln"
		until [ "$(lxc-attach -P "$L" -n "$ln" -- systemctl is-system-running 2>/dev/null)" = running ]; do sleep 0.01; done
		t1=$EPOCHREALTIME
		if [ "$i" = 1 ]; then
			sleep 5 # idle, as for vz
			lpids=$(for d in /sys/fs/cgroup/unified/lxc.payload."$ln" /sys/fs/cgroup/lxc.payload."$ln" /sys/fs/cgroup/systemd/lxc.payload."$ln"; do
				[ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} +; done)
			read -r lrss lpss < <(sort -u <<<"$lpids" | mem_of)
			lcg=$(for f in /sys/fs/cgroup/memory/lxc.payload."$ln"/memory.usage_in_bytes /sys/fs/cgroup/lxc.payload."$ln"/memory.current; do
				[ -f "$f" ] && cat "$f"; done | head -n 1)
		fi
		lxc-stop -P "$L" -n "$ln"
		t2=$EPOCHREALTIME
		lboot+=("$(ms "$t0" "$t1")") lstop+=("$(ms "$t1" "$t2")")
	done
	printf 'lxc start -> running:          %s ms (median of %d)\n' "$(printf '%s\n' "${lboot[@]}" | median)" "$RUNS"
	printf 'clean lxc-stop:                %s ms (median of %d)\n' "$(printf '%s\n' "${lstop[@]}" | median)" "$RUNS"
	printf 'lxc idle container:            %s MiB RSS, %s MiB PSS of its processes; %s MiB in its memory cgroup\n' \
		"$(awk -v k="${lrss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="${lpss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v b="${lcg:-0}" 'BEGIN { printf "%.1f", b / 1048576 }')"
	t0=$EPOCHREALTIME
	lxc-copy -P "$L" -n "$ln" -N "$ln-c" -s -B overlayfs >/dev/null 2>&1 && t1=$EPOCHREALTIME &&
		printf 'lxc-copy -s (overlay clone):   %s ms (one run)\n' "$(ms "$t0" "$t1")"
	lxc-destroy -P "$L" -n "$ln-c" >/dev/null 2>&1
	t0=$EPOCHREALTIME
	lxc-copy -P "$L" -n "$ln" -N "$ln-f" >/dev/null 2>&1 && t1=$EPOCHREALTIME &&
		printf 'lxc-copy (full copy):          %s ms (one run)\n' "$(ms "$t0" "$t1")"
	lxc-destroy -P "$L" -n "$ln-f" >/dev/null 2>&1
	lxc-destroy -P "$L" -n "$ln" >/dev/null 2>&1
else
	echo "lxc: not installed (issue 5's LXC 5.0.2 figures: boot to running ~270 ms, lxc-stop ~690 ms, overlay clone ~9 ms, full copy 1.6 s, idle 5.1 MiB process / 9.1 MiB PSS)"
fi
