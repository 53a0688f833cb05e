# tests/integration/lib.sh: sourced by every tests/integration/t-*.sh.
#
# Each scenario runs as root against the build tree (VZ_BUILD, VZ_SRC set by
# tools/test) under its own temporary VZ_PATH with its own vz.conf (templates
# from the source tree, the monitor from the build tree, a private subuid
# file, cgroups below vz/test-<pid>), and prints TAP. On every exit path it
# destroys its containers, then checks and reports as a test of its own that
# nothing is left: no mount, cgroup, monitor process or runtime file.
set -u

VZ_SRC=${VZ_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VZ_BUILD=${VZ_BUILD:-$VZ_SRC/build-test}
VZ=$VZ_BUILD/vz
PROBE=$VZ_BUILD/tests/probe/vz-probe
TID=t$$
CG_PARENT=vz/test-$TID

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
[ -x "$VZ" ] || { echo "Bail out! $VZ not built"; exit 1; }
# The lane tools/test runs this in (doc/vm.md): skip the file, with the
# reason, where the machine is not what the lane promises.
if [ -n "${VZ_TEST_LANE:-}" ]; then
	_why=$("$VZ_SRC/tests/integration/lane-check" "$VZ_TEST_LANE")
	case $? in
	0) ;;
	1) echo "1..0 # SKIP lane $VZ_TEST_LANE: $_why"; exit 0 ;;
	*) echo "Bail out! $_why"; exit 1 ;;
	esac
fi

# "# needs: debian": the shared Debian template cache (debian-cache; tools/test
# prepares it once per run and exports VZ_TEST_DEBIAN_CACHE), or a skip
# with the reason when the Debian archive cannot be reached.
if grep -qx '# needs: debian' "$0"; then
	if [ -n "${VZ_TEST_DEBIAN_SKIP:-}" ]; then
		echo "1..0 # SKIP $VZ_TEST_DEBIAN_SKIP"
		exit 0
	fi
	if [ -z "${VZ_TEST_DEBIAN_CACHE:-}" ]; then
		VZ_TEST_DEBIAN_CACHE=$(VZ_SRC=$VZ_SRC VZ_BUILD=$VZ_BUILD "$VZ_SRC/tests/integration/debian-cache" 2>/tmp/vz-debian-cache.$$)
		case $? in
		0) rm -f /tmp/vz-debian-cache.$$ ;;
		3) echo "1..0 # SKIP $(head -n 1 /tmp/vz-debian-cache.$$)"; rm -f /tmp/vz-debian-cache.$$; exit 0 ;;
		*) echo "Bail out! the Debian cache: $(tail -n 3 /tmp/vz-debian-cache.$$)"; rm -f /tmp/vz-debian-cache.$$; exit 1 ;;
		esac
	fi
fi

T=$(mktemp -d /tmp/vzt.XXXXXX)
chmod 0711 "$T" # the containers' roots must traverse it to reach their delta
export VZ_PATH=$T
cat >"$T/vz.conf" <<CONF
paths = { templates = "$VZ_SRC/templates"; };
monitor = "$VZ_BUILD/vz-monitor";
idmap = { subuid = "$T/subuid"; subgid = "$T/subgid"; };
cgroup = { parent = "$CG_PARENT"; };
CONF
echo "root:1048576:1073741824" >"$T/subuid"
echo "root:1048576:1073741824" >"$T/subgid"
# The shared Debian cache appears as this scenario's own cache/debian.
if [ -n "${VZ_TEST_DEBIAN_CACHE:-}" ] && grep -qx '# needs: debian' "$0"; then
	mkdir -p "$T/cache"
	# (9p reports the host filesystem's type to statfs: ask the mount table.)
	if [ -n "${VZ_TEST_DEBIAN_DISK:-}" ]; then
		# In the VM: the cache's image as a disk (tools/test, --disk);
		# writes (.lock, .use) go to the VM's throw-away snapshot.
		mkdir "$T/cache/debian"
		mount "$VZ_TEST_DEBIAN_DISK" "$T/cache/debian" || { echo "Bail out! mount $VZ_TEST_DEBIAN_DISK"; exit 1; }
		_debian_disk=$T/cache/debian
	elif [ "$(findmnt -n -o FSTYPE -T "$VZ_TEST_DEBIAN_CACHE")" = 9p ]; then
		# In the VM the cache is on the 9p share, which cannot be
		# idmapped: a copy on the VM's own disk.
		mkdir -m 0700 "$T/cache/debian"
		for _e in "$VZ_TEST_DEBIAN_CACHE"/bookworm-*; do cp -a "$_e" "$T/cache/debian/"; done
	else
		ln -s "$VZ_TEST_DEBIAN_CACHE" "$T/cache/debian"
	fi
fi

# Where vz's cgroups live on this host, one directory per hierarchy
# (doc/cgroups.md): each v1 mount (and the hybrid cgroup2 mount) below
# /sys/fs/cgroup; the cgroup2 root on a pure v2 host; and on a pure v2 host
# run by systemd, the delegated unit vz.service.
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	CG_V2=1
	if [ -d /run/systemd/system ]; then CG_ROOTS=(/sys/fs/cgroup/system.slice/vz.service)
	else CG_ROOTS=(/sys/fs/cgroup); fi
else
	CG_V2=0
	CG_ROOTS=()
	for _d in /sys/fs/cgroup/*/; do
		case $(stat -fc %T "$_d") in cgroupfs | cgroup2fs) CG_ROOTS+=("${_d%/}") ;; esac
	done
fi
# cg_dirs PATH: PATH (below vz's top) in every hierarchy where it exists.
cg_dirs() {
	local r
	for r in "${CG_ROOTS[@]}"; do [ -d "$r/$1" ] && echo "$r/$1"; done
	true
}

_n=0
_failed=0

# The host's mounts and their options (mount point, per-mount and
# superblock options): a container must never change them (a privileged one
# remounting a shared superblock read-only once did). Mounts below any
# test's or benchmark's directory (/tmp/vzt.*, /tmp/vzb.*: this one's, or
# one running at the same time) are not the host's.
host_mounts() { awk '$5 !~ "^/tmp/vz[tb]\\." { print $5, $6, $NF }' /proc/self/mountinfo | sort; }
_host_mounts_before=$(host_mounts)

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
diag() { sed 's/^/#   /' | head -n "${1:-30}"; }
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }

# check DESC CMD...: passes if CMD exits 0.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else
		not_ok "$desc"
		printf '%s\n' "command: $*" "$out" | diag
	fi
}
# check_fails DESC CMD...: passes if CMD exits non-zero.
check_fails() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		not_ok "$desc"
		printf '%s\n' "command unexpectedly succeeded: $*" "$out" | diag
	else ok "$desc"; fi
}
is() { # GOT WANT DESC
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3"
		printf 'got:  %s\nwant: %s\n' "$1" "$2" | diag
	fi
}
like() { # GOT ERE DESC
	if grep -qE -- "$2" <<<"$1"; then ok "$3"; else
		not_ok "$3"
		printf 'got:  %s\nwant match: %s\n' "$1" "$2" | diag
	fi
}
unlike() { # GOT ERE DESC
	if grep -qE -- "$2" <<<"$1"; then
		not_ok "$3"
		printf 'got:  %s\nmust not match: %s\n' "$1" "$2" | diag
	else ok "$3"; fi
}

vz() { "$VZ" "$@"; }
cname() { echo "$TID-$1"; }
# state NAME: the STATE column of vz ls for NAME.
state() { vz ls | awk -v n="$1" '$1 == n { print $2 }'; }
init_pid() { vz ls | awk -v n="$1" '$1 == n { print $3 }'; }
monitor_pid() { vz info --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["monitor_pid"] or "")'; }
# Put the static probe into a running container at /vz-probe.
install_probe() {
	vz attach "$1" -- /bin/sh -c 'cat > /vz-probe && chmod 755 /vz-probe' <"$PROBE"
}
probe() { local n=$1; shift; vz attach "$n" -- /vz-probe "$@" </dev/null; }
# wait_for DESC SECONDS CMD...: poll until CMD succeeds.
wait_until() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# What this scenario may have left on the host. Prints one line per leak.
leaks() {
	grep -F "$T" /proc/self/mountinfo | awk '{print "mount: " $5}'
	comm -23 <(printf '%s\n' "$_host_mounts_before") <(host_mounts) | sed 's/^/host mount changed or gone: /'
	local d
	for d in $(cg_dirs "$CG_PARENT"); do
		find "$d" -mindepth 1 -type d | sed 's/^/cgroup: /'
	done
	local p
	for p in /proc/[0-9]*; do
		case $(cat "$p/comm" 2>/dev/null) in
		vz-monitor)
			{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "VZ_PATH=$T" && echo "process: monitor ${p#/proc/}" ;;
		lxcfs) # a container's lxcfs: its mount point is below $T
			{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF " $T/" && echo "process: lxcfs ${p#/proc/}" ;;
		esac
	done
	[ -d "$T/run" ] && find "$T/run" -mindepth 1 | sed 's/^/runtime file: /'
	losetup -a 2>/dev/null | grep -F "$T" | sed 's/^/loop: /'
	true
}

_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	local d
	for d in "$T"/lib/*/; do
		[ -d "$d" ] || continue
		"$VZ" destroy -f "$(basename "$d")" >/dev/null 2>&1
	done
	[ -n "${_debian_disk:-}" ] && umount "$_debian_disk"
	local l
	l=$(leaks)
	if [ -z "$l" ]; then ok "nothing left behind (mounts, cgroups, monitors, runtime files)"
	else
		not_ok "nothing left behind"
		diag 50 <<<"$l"
	fi
	# Remove what is left anyway, so one failure does not poison the host.
	for d in $(cg_dirs "$CG_PARENT"); do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$T"
	echo "1..$_n"
	[ "$_failed" -eq 0 ] && exit "$rc"
	exit 1
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
