#!/bin/bash
# Block I/O limits (limits.io) on a loop device: the containers' directory
# is an ext4 filesystem on a loop device, so a file in a container is on
# it; a read limit holds within 10% for direct I/O (busybox dd
# iflag=direct), as does a write limit; vz set changes the limit live and
# resets what it no longer lists; vzctl's --iolimit/--iopslimit limit the
# disks under the root filesystem; a bad device, a partition and an unknown
# key are refused in one line. The loop devices and the mount go on every
# exit path.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

for t in losetup mkfs.ext4; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t is not installed"; exit 0; }
done
[ -e /dev/loop-control ] || modprobe loop 2>/dev/null
[ -e /dev/loop-control ] || { echo "1..0 # SKIP no loop device support (/dev/loop-control)"; exit 0; }

LOOP= PLOOP=
io_cleanup() {
	local d
	for d in "$T"/lib/*/; do
		[ -d "$d" ] && "$VZ" destroy -f "$(basename "$d")" >/dev/null 2>&1
	done
	# (a container's mount namespace may outlive its destroy by a moment)
	mountpoint -q "$T/lib" && ! wait_until 5 umount "$T/lib" && echo "# umount $T/lib failed" >&2
	[ -n "$LOOP" ] && losetup -d "$LOOP"
	[ -n "$PLOOP" ] && losetup -d "$PLOOP"
	# a detach waits for the last user of the filesystem (autoclear)
	wait_until 5 sh -c "! losetup -a | grep -qF '$T'"
	rm -f "$T/disk.img" "$T/part.img"
}
trap '_rc=$?; io_cleanup; (exit $_rc); _cleanup' EXIT

# 256 MiB image (sparse), ext4, mounted where vz keeps its containers.
truncate -s 256M "$T/disk.img"
LOOP=$(losetup -f --show "$T/disk.img") || { LOOP=; echo "Bail out! losetup -f"; exit 1; }
mkfs.ext4 -q -F "$LOOP" >/dev/null 2>&1 || { echo "Bail out! mkfs.ext4 $LOOP"; exit 1; }
mkdir -p "$T/lib"
mount "$LOOP" "$T/lib" || { echo "Bail out! mount $LOOP"; exit 1; }
rmdir "$T/lib/lost+found"
devno=$(printf '%d:%d' "0x$(stat -c %t "$LOOP")" "0x$(stat -c %T "$LOOP")")

if [ "$CG_V2" = 1 ]; then
	iomax() { grep "^$devno " "${CG_ROOTS[0]}/$CG_PARENT/$1/io.max"; }
else
	# "rbps wbps riops wiops" of the loop device, 0 = none
	iomax() {
		local f v out=
		for f in read_bps write_bps read_iops write_iops; do
			v=$(awk -v d="$devno" '$1 == d { print $2 }' "/sys/fs/cgroup/blkio/$CG_PARENT/$1/blkio.throttle.${f}_device")
			out="$out ${v:-0}"
		done
		echo "${out# }"
	}
fi
# want V2 V1: the expected iomax line on this host's cgroup version (V2
# empty: io.max has no line for the disk)
want() { if [ "$CG_V2" = 1 ]; then echo "${1:+$devno $1}"; else echo "$2"; fi; }

# rate NAME MIB DD-ARGS...: MiB/s of a dd of MIB MiB inside, timed inside
# (/proc/uptime, 10 ms steps) so that vz attach's own cost is left out
rate() {
	local n=$1 mib=$2 out
	shift 2
	out=$(vz attach "$n" -- sh -c 'read a x </proc/uptime; dd bs=1M count='"$mib"' "$@" 2>/dev/null || exit 1
		read b x </proc/uptime; echo "$a $b"' sh "$@") || { echo "dd failed: $out" >&2; return 1; }
	awk -v m="$mib" '{ if ($2 > $1) printf "%.2f\n", m / ($2 - $1) }' <<<"$out"
}
# within GOT WANT: GOT is within 10% of WANT
within() { awk -v g="$1" -v w="$2" 'BEGIN { exit !(g >= w * 0.9 && g <= w * 1.1) }'; }

c=$(cname io)
check "create with limits.io = $LOOP read_bps 8M" vz create "$c" -t busybox -c "limits.io=$LOOP:read_bps=8M"
like "$(cat "$T/lib/$c/config")" "device = \"$LOOP\";" "the config holds the list"
check "start" vz start "$c"
is "$(findmnt -n -o SOURCE -T "$T/lib/$c/delta")" "$LOOP" "the container's upper layer is on $LOOP"
is "$(iomax "$c")" "$(want "rbps=8388608 wbps=max riops=max wiops=max" "8388608 0 0 0")" "the cgroup limits $devno"
check "write a 40 MiB file inside (direct I/O)" vz attach "$c" -- dd if=/dev/zero of=/data bs=1M count=40 oflag=direct
r=$(rate "$c" 32 if=/data of=/dev/null iflag=direct)
within "$r" 8 && ok "read_bps 8M: a direct read of 32 MiB ran at $r MiB/s (7.2-8.8)" ||
	not_ok "read_bps 8M: a direct read of 32 MiB ran at ${r:-?} MiB/s (want 7.2-8.8)"

check "vz set a write limit live (write_bps 4M)" vz set "$c" "io=$LOOP:read_bps=8M,write_bps=4M"
is "$(iomax "$c")" "$(want "rbps=8388608 wbps=4194304 riops=max wiops=max" "8388608 4194304 0 0")" "the cgroup has both"
# (over blocks the file has: no allocation or journal work in the way)
r=$(rate "$c" 16 if=/dev/zero of=/data conv=notrunc oflag=direct)
within "$r" 4 && ok "write_bps 4M: a direct write of 16 MiB ran at $r MiB/s (3.6-4.4)" ||
	not_ok "write_bps 4M: a direct write of 16 MiB ran at ${r:-?} MiB/s (want 3.6-4.4)"
check "vz set the read limit to 4M and drop the write limit" vz set "$c" "io=$LOOP:read_bps=4M"
is "$(iomax "$c")" "$(want "rbps=4194304 wbps=max riops=max wiops=max" "4194304 0 0 0")" "write_bps is reset"
r=$(rate "$c" 16 if=/data of=/dev/null skip=16 iflag=direct)
within "$r" 4 && ok "the new limit holds: 16 MiB read at $r MiB/s (3.6-4.4)" ||
	not_ok "the new limit holds: 16 MiB read at ${r:-?} MiB/s (want 3.6-4.4)"
unlike "$(cat "$T/lib/$c/config")" 'read_bps = "4M"' "without --save the config is unchanged"

# What is refused, in one line, changing nothing.
out=$(vz set "$c" "io=$LOOP:read_bps=8M,bogus=1" 2>&1)
is "$?:$out" "1:vz set: $c: limits.io=$LOOP:read_bps=8M,bogus=1: key 'limits.io': 'bogus': unknown key (read_bps, write_bps, read_iops, write_iops)" \
	"an unknown key is refused"
out=$(vz set "$c" "io=/dev/null:read_bps=8M" 2>&1)
is "$?:$out" "1:vz set: $c: limits.io[0].device: '/dev/null' is not a block device" "a character device is refused"
out=$(vz set "$c" "io=/dev/nonexistent:read_bps=8M" 2>&1)
is "$?:$out" "1:vz set: $c: limits.io[0].device: '/dev/nonexistent': No such file or directory" \
	"a missing device is refused"
is "$(iomax "$c")" "$(want "rbps=4194304 wbps=max riops=max wiops=max" "4194304 0 0 0")" "and the limits are as they were"
# checkconfig FILE: a config with the given limits line
checkfile() {
	printf 'template = "busybox";\nrootfs = { lower = "busybox/x"; };\nidmap = { uid = 100000; gid = 100000; };\n%s\n' \
		"$1" >"$T/check.conf"
	vz checkconfig "$T/check.conf" 2>&1
}
out=$(checkfile "limits = { io = ( { device = \"$LOOP\"; read_bps = \"1M\"; speed = 3; } ); };")
is "$?:$out" "1:vz checkconfig: $T/check.conf:4: key 'limits.io[0].speed': unknown key (device, read_bps, write_bps, read_iops, write_iops)" \
	"an unknown key in a config names limits.io[0].speed"
out=$(checkfile 'limits = { io = ( { device = "/dev/vz-no-such-disk"; read_bps = "1M"; } ); };')
is "$?:$out" "1:vz checkconfig: limits.io[0].device: '/dev/vz-no-such-disk': No such file or directory" \
	"checkconfig reports a missing device"
out=$(checkfile "limits = { io = ( { device = \"$LOOP\"; write_iops = 100; } ); };")
is "$?:$out" "0:$T/check.conf: ok" "and passes one that exists"

# The weight: the file of whichever scheduler this kernel has, or a clear
# refusal where there is none.
if [ "$CG_V2" = 1 ]; then d=${CG_ROOTS[0]}/$CG_PARENT/$c; else d=/sys/fs/cgroup/blkio/$CG_PARENT/$c; fi
wf=
for f in io.weight io.bfq.weight blkio.weight blkio.bfq.weight; do [ -e "$d/$f" ] && { wf=$f; break; }; done
out=$(vz set "$c" io_weight=200 2>&1)
if [ -n "$wf" ]; then
	is "$?:$out" "0:" "vz set io_weight=200"
	like "$(head -n 1 "$d/$wf")" '^(default )?(200|1000)$' "$wf is 200 (blkio.weight: 1000)"
else
	like "$?:$out" "^1:vz set: $c: .*limits.io_weight = 200: the (blkio|io) controller has no weight here" \
		"io_weight=200 is refused: this kernel has no weight file"
	skip "the weight file" "no blkio.weight, blkio.bfq.weight, io.weight or io.bfq.weight in $d"
fi

# vzctl spellings: the disks under the root filesystem (here the loop
# device holding the upper layer, and the disk of the template cache).
check "vz set io=none --save" vz set "$c" io=none --save
is "$(iomax "$c")" "$(want "" "0 0 0 0")" "no limit left on $LOOP"
check "vz set --iolimit 6M --iopslimit 300 --save" vz set "$c" --iolimit 6M --iopslimit 300 --save
is "$(iomax "$c")" "$(want "rbps=6291456 wbps=6291456 riops=300 wiops=300" "6291456 6291456 300 300")" \
	"--iolimit and --iopslimit limit both ways on $LOOP"
like "$(tr -d ' \n' <"$T/lib/$c/config")" 'io=\({device="rootfs";read_bps="6M";write_bps="6M";read_iops=300;write_iops=300;}\)' \
	"saved as device \"rootfs\""
check "vz set --iolimit 0 --save" vz set "$c" --iolimit 0 --save
is "$(iomax "$c")" "$(want "rbps=max wbps=max riops=300 wiops=300" "0 0 300 300")" "--iolimit 0 removes the bandwidth limit only"
info=$(vz info "$c")
like "$info" 'I/O limit: +rootfs: 300 reads/s, 300 writes/s' "vz info shows the limit"
like "$info" 'Block I/O: +read [0-9.]+[KMG]? \([0-9]+ requests\), written' "vz info shows the bytes and requests done"
js=$(vz info --json "$c" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["io_limits"][0]["read_iops"], j["io_read_bytes"] > 40 << 20)')
is "$js" "300 True" "vz info --json carries the limits and the bytes read"
check "stop" vz stop -k "$c"

# A partition: blk-throttle limits whole disks, so it is refused, naming
# the disk. A hand-made MBR with one partition on a second loop device.
truncate -s 4M "$T/part.img"
printf '\x00\x00\x02\x00\x83\x00\x00\x00\x00\x08\x00\x00\x00\x08\x00\x00' | dd of="$T/part.img" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$T/part.img" bs=1 seek=510 conv=notrunc status=none
PLOOP=$(losetup -f --show -P "$T/part.img") || PLOOP=
if [ -n "$PLOOP" ] && wait_until 2 test -b "${PLOOP}p1"; then
	out=$(vz set "$c" "io=${PLOOP}p1:read_bps=1M" --save 2>&1)
	is "$?:$out" "1:vz set: $c: limits.io[0].device: '${PLOOP}p1' is a partition; I/O limits apply to whole disks: use /dev/${PLOOP#/dev/}" \
		"a partition is refused, naming its disk"
else
	skip "a partition is refused" "this kernel shows no partition on a loop device (no MBR partition support?)"
fi
