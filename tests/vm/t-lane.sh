#!/bin/bash
# tests/vm/t-lane.sh: the VM lane itself (tools/vm/run), run on the host by
# tools/test before the tests that run inside the VM. TAP.
set -u
SRC=${VZ_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
RUN=$SRC/tools/vm/run
n=0 failed=0
# The runs' directories go to a directory of this test's own, so that the
# leftover check at the end sees only what these runs left.
export TMPDIR
TMPDIR=$(mktemp -d /tmp/vz-lane.XXXXXX) || exit 1
trap 'rm -rf "$TMPDIR"' EXIT
check() { # description, condition result (0 = ok), details...
	n=$((n + 1))
	local d=$1 r=$2
	shift 2
	if [ "$r" = 0 ]; then
		echo "ok $n - $d"
	else
		echo "not ok $n - $d"
		for l in "$@"; do echo "#   $l"; done
		failed=1
	fi
}

# Output and exit status come back exactly (stdout and stderr share one port).
# Arguments arrive exactly too, a newline in one included.
out=$("$RUN" -- sh -c 'printf "a  b\n\tc\n"; echo err >&2; printf "[%s]" "$1"; exit 42' sh "$(printf 'p *\nq')" 2>/tmp/vz-lane-err.$$)
rc=$?
want=$(printf 'a  b\n\tc\nerr\n[p *\nq]')
check "a command's exit status comes back (42)" "$([ $rc = 42 ]; echo $?)" "got $rc" "$(tail -n 5 /tmp/vz-lane-err.$$)"
check "its output comes back exactly" "$([ "$out" = "$want" ]; echo $?)" "got: $(printf %q "$out")" "want: $(printf %q "$want")"

# What the script-mode VM is: cgroup v2 only, controllers enabled, AppArmor
# on; the lanes it serves pass their check, and a test run there in the
# systemd lane skips itself with the reason.
LC=$SRC/tests/integration/lane-check
out=$("$RUN" -- sh -c 'stat -fc %T /sys/fs/cgroup; cat /sys/fs/cgroup/cgroup.subtree_control; cat /sys/module/apparmor/parameters/enabled; grep -c " - cgroup " /proc/self/mountinfo; for l in v2 apparmor project-quota systemd; do r=$('$LC' $l); echo "lane $l: $? $r"; done; VZ_TEST_LANE=systemd VZ_BUILD='"$SRC"'/build-test bash tests/integration/t-lifecycle.sh' 2>&1)
check "the VM has cgroup2 at /sys/fs/cgroup" "$([ "$(sed -n 1p <<<"$out")" = cgroup2fs ]; echo $?)" "got: $out"
ctl=" $(sed -n 2p <<<"$out") "
check "with memory, pids and cpu enabled for children" "$([[ $ctl == *" memory "* && $ctl == *" pids "* && $ctl == *" cpu "* ]]; echo $?)" "got: $ctl"
check "AppArmor is enabled" "$([ "$(sed -n 3p <<<"$out")" = Y ]; echo $?)" "got: $out"
check "no cgroup v1 hierarchy is mounted" "$([ "$(sed -n 4p <<<"$out")" = 0 ]; echo $?)" "got: $out"
for l in v2 apparmor project-quota; do
	check "the VM passes the check of lane $l" "$(grep -qx "lane $l: 0 " <<<"$out"; echo $?)" "got: $(grep "^lane $l" <<<"$out")"
done
check "but not of lane systemd" "$(grep -qx 'lane systemd: 1 systemd is not PID 1 here' <<<"$out"; echo $?)" "got: $(grep '^lane systemd' <<<"$out")"
check "a test run in a lane the machine cannot serve is skipped with the reason" \
	"$([ "$(tail -n 1 <<<"$out")" = '1..0 # SKIP lane systemd: systemd is not PID 1 here' ]; echo $?)" "got: $(tail -n 3 <<<"$out")"

# systemd as PID 1.
out=$("$RUN" --systemd --timeout 240 -- sh -c 'cat /proc/1/comm; '$LC' systemd && echo lane ok; exit 5' 2>&1)
rc=$?
check "--systemd: PID 1 is systemd and the status comes back (5)" "$([ $rc = 5 ] && [ "$(head -n 1 <<<"$out")" = systemd ]; echo $?)" "rc $rc, output: $out"
check "--systemd: the VM passes the check of lane systemd" "$([ "$(tail -n 1 <<<"$out")" = "lane ok" ]; echo $?)" "output: $out"

# build-image: a package that cannot be fetched is named, and the cached
# image stays as it is (no boot needed).
img=${VZ_VM_CACHE:-/var/tmp/vz-vm}/image
before=$(cat "$img/manifest" 2>/dev/null)
out=$(VZ_VM_EXTRA_PACKAGES=vz-no-such-package "$SRC/tools/vm/build-image" 2>&1)
rc=$?
check "build-image: an unknown package fails (exit 1)" "$([ $rc = 1 ]; echo $?)" "got $rc: $out"
check "naming the package and why" "$(grep -q 'package vz-no-such-package cannot be fetched: bookworm has no such package' <<<"$out"; echo $?)" "got: $out"
# The mirror refuses the connection (loopback; nothing leaves the host).
out=$(VZ_VM_MIRROR=http://127.0.0.1:9/debian "$SRC/tools/vm/build-image" 2>&1)
rc=$?
check "build-image: an unreachable mirror fails (exit 1)" "$([ $rc = 1 ]; echo $?)" "got $rc: $out"
check "naming the mirror and the file it could not get" "$(grep -q 'could not fetch .* from http://127.0.0.1:9/debian: E: Failed getting release file' <<<"$out"; echo $?)" "got: $out"
check "the cached image is kept, and no build directory is left" \
	"$([ "$(cat "$img/manifest" 2>/dev/null)" = "$before" ] && [ -s "$img/root.ext4" ] && ! ls -d "${img%/image}"/build.* >/dev/null 2>&1; echo $?)" \
	"$(ls -la "${img%/image}")"

# A hung command hits the timeout.
t0=$SECONDS
"$RUN" --timeout 15 -- sleep 600 >/dev/null 2>/tmp/vz-lane-err.$$
rc=$?
check "a hung command hits the timeout: exit 124" "$([ $rc = 124 ]; echo $?)" "got $rc"
check "within the timeout plus the boot" "$([ $((SECONDS - t0)) -lt 60 ]; echo $?)" "took $((SECONDS - t0)) s"
check "and says so" "$(grep -q 'timeout' /tmp/vz-lane-err.$$; echo $?)" "$(cat /tmp/vz-lane-err.$$)"

# A kernel panic is reported as such, with a distinct status.
"$RUN" -- sh -c 'echo c >/proc/sysrq-trigger' >/dev/null 2>/tmp/vz-lane-err.$$
rc=$?
check "a kernel panic: exit 125" "$([ $rc = 125 ]; echo $?)" "got $rc"
check "reported as a panic with the console's last lines" "$(grep -q 'kernel panicked: Kernel panic - not syncing' /tmp/vz-lane-err.$$ && [ "$(wc -l </tmp/vz-lane-err.$$)" -gt 5 ]; echo $?)" "$(tail -n 5 /tmp/vz-lane-err.$$)"
rm -f /tmp/vz-lane-err.$$

# Nothing of the runs is left.
left=$(ls -d "$TMPDIR"/vz-vm-run.* 2>/dev/null; pgrep -af "qemu-system.*$TMPDIR/vz-vm-run\\.")
check "no run directory or qemu of the lane left" "$([ -z "$left" ]; echo $?)" "left: $left"
echo "1..$n"
exit $failed
