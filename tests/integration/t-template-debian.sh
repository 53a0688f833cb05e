#!/bin/bash
# The debian template and the configure mode of both templates, run directly
# as vz runs them (not through vz): the cache key is stable, ignores what does
# not change the tree and follows what does; bad arguments get one line and
# the right exit status; --configure writes a container's host name, hosts,
# machine id and root password, removes SSH host keys and never writes
# through a link out of its root; a failed debootstrap leaves a removable
# tree. VZ_TEST_DEBOOTSTRAP=1 adds a real build from the Debian mirror.
# lanes: host
. "$(dirname "$0")/lib.sh"

DEB=$VZ_SRC/templates/vz-template-debian
BB=$VZ_SRC/templates/vz-template-busybox
export TMPDIR=$T # the template's own temporary files, removed with $T

# run CMD...: sets rc, out (stdout) and err (stderr) of CMD; stdin from $in.
in=
run() {
	local o e
	o=$(mktemp "$T/out.XXXXXX") e=$(mktemp "$T/err.XXXXXX")
	printf '%s' "$in" | "$@" >"$o" 2>"$e"
	rc=${PIPESTATUS[1]}
	out=$(cat "$o") err=$(cat "$e")
	rm -f "$o" "$e"
}
# key ARGS...: the cache key for ARGS.
key() { "$DEB" --release "$@" 2>&1; }

# ------------------------------------------------------------- cache key
k0=$(key)
like "$k0" '^bookworm-[0-9a-f]{12}$' "key: SUITE-<12 hex digits> ($k0)"
is "$(key)" "$k0" "key: the same inputs give the same key"
is "$(key --release bookworm)" "$k0" "key: --release bookworm after the mode is the suite (the default)"
is "$(key --suite bookworm)" "$k0" "key: --suite is the same option"
like "$(key --release trixie)" '^trixie-[0-9a-f]{12}$' "key: names the suite given"
kp=$(key --packages openssh-server,nginx)
unlike "$kp" "^$k0\$" "key: changes with --packages"
is "$(key --packages nginx --packages openssh-server,nginx,)" "$kp" \
	"key: ignores the order and repeats of --packages, and empty names"
is "$(key --packages dbus,procps)" "$k0" "key: a package of the base set given again changes nothing"
unlike "$(key --variant buildd)" "^$k0\$" "key: changes with --variant"
unlike "$(key --arch arm64)" "^$k0\$" "key: changes with --arch"
is "$(key --mirror http://mirror.example/debian/ --security-mirror http://s.example/)" "$k0" \
	"key: ignores the mirrors (same packages wherever they come from)"
mkdir -p "$T/tmpl/lib"
cp "$VZ_SRC/templates/lib/functions.sh" "$T/tmpl/lib/"
sed 's/^FORMAT=\([0-9]*\)$/FORMAT=\1999/' "$DEB" >"$T/tmpl/vz-template-debian"
chmod +x "$T/tmpl/vz-template-debian"
unlike "$("$T/tmpl/vz-template-debian" --release 2>&1)" "^$k0\$" "key: changes with the template's format number"
mkdir -p "$T/keycache"
is "$(cd "$T/keycache" && unshare -n env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	VZ_CACHE_DIR="$T/keycache/c" "$DEB" --release 2>&1)" "$k0" \
	"key: works offline (no network namespace) and with vz's clean environment"
is "$(ls -A "$T/keycache")" "" "key: --release creates nothing (not even VZ_CACHE_DIR)"

# ------------------------------------------------------ bad arguments
# want RC LINE DESC: the last run exited RC and its stderr begins with LINE.
want() {
	is "$rc" "$1" "$3: exit status $1"
	is "$(head -n 1 <<<"$err")" "$2" "$3: one line naming it"
}
run "$DEB" --release --release nosuch
want 1 "vz-template-debian: error: unknown Debian release 'nosuch' (known: bullseye bookworm trixie forky sid oldoldstable oldstable stable testing unstable)" "unknown release"
is "$(wc -l <<<"$err")" 1 "unknown release: exactly one line"
run "$DEB" --release --packages nginx,Bad_Name
want 1 "vz-template-debian: error: invalid package name 'Bad_Name': Debian package names are two or more lowercase letters, digits, '+', '-' and '.', starting with a letter or digit" "bad package name"
run "$DEB" --release --packages x
like "$err" "invalid package name 'x'" "a one-letter package name is refused"
run "$DEB" --release --variant fancy
want 1 "vz-template-debian: error: unknown debootstrap variant 'fancy' (known: minbase buildd standard)" "unknown variant"
run "$DEB" --release --mirror ftp.example.org
want 1 "vz-template-debian: error: invalid mirror 'ftp.example.org': give an http://, https:// or file:/ URL" "bad mirror"
run "$DEB" --release --bogus
want 2 "vz-template-debian: unknown argument '--bogus'" "unknown option"
run "$DEB" --release --packages
want 2 "vz-template-debian: --packages needs a value" "option without its value"
run "$DEB" --packages nginx --release
want 2 "vz-template-debian: unknown mode '--packages': the first argument is --release, --rootfs DIR or --configure DIR" "mode not first"
run "$DEB" --release --rootfs "$T/x"
want 2 "vz-template-debian: '--rootfs' is a mode: it must be the first argument" "a second mode"
run "$DEB"
want 2 "vz-template-debian: give the mode first: --release, --rootfs DIR or --configure DIR" "no mode"
run "$DEB" --help
is "$rc" 0 "--help: exit status 0"
missing=
for o in --release --suite --packages --variant --arch --mirror --security-mirror --configure \
	"default: bookworm" "default: minbase" "default: http://deb.debian.org/debian"; do
	grep -qF -- "$o" <<<"$out" || missing="$missing $o"
done
is "$missing" "" "--help: names every option and its default"
run "$BB" --release --suite x
is "$rc" 2 "busybox: an option is still refused (exit status 2)"

# ------------------------------------------------ configure (debian)
# A fake root filesystem as the cache would have it, plus what a tenant adds.
fake_root() {
	rm -rf "$1"
	mkdir -p "$1/etc/ssh" "$1/outside"
	printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' >"$1/etc/passwd"
	printf 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' >"$1/etc/shadow"
	chmod 0640 "$1/etc/shadow"
	printf '127.0.0.1\tlocalhost\n\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\n198.18.0.9 db.internal\n' >"$1/etc/hosts"
	: >"$1/etc/machine-id"
	touch "$1/etc/ssh/ssh_host_ed25519_key" "$1/etc/ssh/ssh_host_ed25519_key.pub" "$1/etc/ssh/sshd_config"
}
# conf TEMPLATE DIR PASSWORD-MODE HOSTNAME [ARGS...], stdin from $in.
conf() {
	local t=$1 d=$2 p=$3 h=$4
	shift 4
	run env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		VZ_TEMPLATE="${t##*-}" VZ_CACHE_DIR="$T/cache" VZ_CONTAINER=c1 VZ_HOSTNAME="$h" \
		VZ_ROOT_PASSWORD="$p" "$t" --configure "$d" "$@"
}
root_field() { awk -F: '$1 == "root" { print $2 }' "$1/etc/shadow"; }
# crypt PASSWORD HASH: the host's libcrypt (what pam_unix uses) hashes again.
crypt_check() { PW=$1 H=$2 perl -e 'exit(crypt($ENV{PW}, $ENV{H}) eq $ENV{H} ? 0 : 1)'; }

R=$T/deb
fake_root "$R"
in='s3cret with spaces'
t0=$(date +%s%N)
conf "$DEB" "$R" set web1.example.org --release bookworm --packages openssh-server
ms=$((($(date +%s%N) - t0) / 1000000))
is "$rc:$err" "0:" "debian --configure (set) succeeds quietly, with the build's options"
is "$(cat "$R/etc/hostname")" web1.example.org "debian: /etc/hostname"
is "$(sed -n 2p "$R/etc/hosts")" "$(printf '127.0.1.1\tweb1.example.org web1')" \
	"debian: /etc/hosts resolves the name (127.0.1.1 FQDN short) after localhost"
like "$(cat "$R/etc/hosts")" '198\.18\.0\.9 db\.internal' "debian: the tenant's own hosts lines stay"
like "$(cat "$R/etc/hosts")" 'ff02::1 ip6-allnodes' "debian: the IPv6 lines stay"
id1=$(cat "$R/etc/machine-id")
like "$id1" '^[0-9a-f]{32}$' "debian: /etc/machine-id is 32 lowercase hex digits"
is "$(ls "$R/etc/ssh")" sshd_config "debian: SSH host keys removed, the rest of /etc/ssh kept"
h=$(root_field "$R")
like "$h" '^\$(y|6)\$' "debian: root's password is a yescrypt (or SHA-512) hash (${h:0:8}...)"
if crypt_check 's3cret with spaces' "$h"; then ok "debian: libcrypt accepts the password"; else not_ok "debian: libcrypt accepts the password"; fi
if crypt_check 'wrong' "$h"; then not_ok "debian: libcrypt refuses a wrong one"; else ok "debian: libcrypt refuses a wrong one"; fi
is "$(awk -F: '$1 == "root" { print $3 }' "$R/etc/shadow")" "$(($(date +%s) / 86400))" \
	"debian: the date of the last change is today"
is "$(sed -n 2p "$R/etc/shadow")" "daemon:*:19000:0:99999:7:::" "debian: other accounts unchanged"
is "$(stat -c %a "$R/etc/shadow")" 640 "debian: /etc/shadow keeps its mode"
if [ "$ms" -lt 1000 ]; then ok "debian --configure with a password took $ms ms"; else not_ok "debian --configure with a password took $ms ms (want well under a second)"; fi

# A clone: keep the password, new id, the new name replaces the old one.
touch "$R/etc/ssh/ssh_host_rsa_key"
in=
t0=$(date +%s%N)
conf "$DEB" "$R" keep web2
ms=$((($(date +%s%N) - t0) / 1000000))
is "$rc" 0 "debian --configure (keep) succeeds"
is "$(root_field "$R")" "$h" "debian keep: the password is left alone"
unlike "$(cat "$R/etc/machine-id")" "^$id1\$" "debian keep: a new machine id"
is "$(grep -c '^127\.0\.1\.1' "$R/etc/hosts"):$(grep '^127\.0\.1\.1' "$R/etc/hosts")" "1:$(printf '127.0.1.1\tweb2')" \
	"debian keep: one 127.0.1.1 line, with the new name"
is "$(ls "$R/etc/ssh")" sshd_config "debian keep: the clone's SSH host keys are removed"
if [ "$ms" -lt 500 ]; then ok "debian --configure without a password took $ms ms"; else not_ok "debian --configure without a password took $ms ms (want < 150)"; fi
conf "$DEB" "$R" locked web2
is "$rc:$(root_field "$R")" "0:*" "debian locked: root's password field is '*'"

before=$(cat "$R/etc/shadow")
in=
conf "$DEB" "$R" set web2
is "$rc" 1 "set with nothing on stdin: exit status 1"
like "$err" "VZ_ROOT_PASSWORD=set, but the first line of stdin holds no password" "... says so"
is "$(cat "$R/etc/shadow")" "$before" "... and leaves /etc/shadow alone"
conf "$DEB" "$R" maybe web2
is "$rc" 2 "VZ_ROOT_PASSWORD=maybe: exit status 2"
like "$err" "VZ_ROOT_PASSWORD must be set, locked or keep" "... naming the values"
conf "$DEB" "$R" keep 'bad name'
is "$rc" 2 "an invalid host name: exit status 2"
conf "$DEB" "$T/nonexistent" keep web2
is "$rc" 2 "--configure on a missing directory: exit status 2"
touch "$T/afile"
conf "$DEB" "$T/afile" keep web2
is "$rc" 2 "--configure on a file: exit status 2"
conf "$DEB" "$R" keep web2 --bogus
is "$rc" 2 "--configure with an unknown option: exit status 2"

# Links that point out of the root are never written through.
L=$T/links
fake_root "$L"
mkdir -p "$T/host/etc" "$T/host/ssh"
for f in hostname hosts machine-id shadow; do echo "host's $f" >"$T/host/etc/$f"; done
touch "$T/host/ssh/ssh_host_rsa_key"
for f in hostname hosts machine-id; do rm -f "$L/etc/$f"; ln -s "$T/host/etc/$f" "$L/etc/$f"; done
in=
conf "$DEB" "$L" keep web3
is "$rc" 0 "configure with links for hostname, hosts and machine-id succeeds"
changed=
for f in hostname hosts machine-id shadow; do
	[ "$(cat "$T/host/etc/$f")" = "host's $f" ] || changed="$changed $f"
done
is "$changed" "" "... and writes nothing through them"
is "$(find "$L/etc" -maxdepth 1 -type l)" "" "... which are replaced by files"
is "$(cat "$L/etc/hostname")" web3 "... with the container's content"
rm -f "$L/etc/shadow"
ln -s "$T/host/etc/shadow" "$L/etc/shadow"
in=pw
conf "$DEB" "$L" set web3
is "$rc" 1 "a linked /etc/shadow: refused (exit status 1)"
is "$(cat "$T/host/etc/shadow")" "host's shadow" "... and the file it points to is untouched"
rm -f "$L/etc/shadow"
printf 'root:*:19000:0:99999:7:::\n' >"$L/etc/shadow"
rm -rf "$L/etc/ssh"
ln -s "$T/host/ssh" "$L/etc/ssh"
conf "$DEB" "$L" keep web3
is "$rc:$(ls "$T/host/ssh")" "0:ssh_host_rsa_key" "a linked /etc/ssh: its keys are left alone"
like "$err" "warning: '$L/etc/ssh' is a symbolic link" "... with a warning"
mv "$L/etc" "$T/host/realetc"
ln -s "$T/host/realetc" "$L/etc"
conf "$DEB" "$L" keep web4
is "$rc" 1 "a linked /etc: refused (exit status 1)"
like "$err" "is a symbolic link: refusing to write through it" "... saying why"
is "$(cat "$T/host/realetc/hostname")" web3 "... and nothing is written there"

# ----------------------------------------------- configure (busybox)
if [ -x /bin/busybox ] && "$BB" --release >/dev/null 2>&1; then
	B=$T/bb
	"$BB" --rootfs "$B" 2>/dev/null
	is "$(root_field "$B")" "" "busybox: the cache's root has an empty password"
	in=$'open sesame\n'
	t0=$(date +%s%N)
	conf "$BB" "$B" set bb1
	ms=$((($(date +%s%N) - t0) / 1000000))
	is "$rc:$err" "0:" "busybox --configure (set) succeeds quietly"
	h=$(root_field "$B")
	like "$h" '^\$6\$' "busybox: root's password is a SHA-512 hash, which busybox's login knows"
	salt=$(cut -d'$' -f3 <<<"$h")
	is "$(/bin/busybox mkpasswd -m sha512 'open sesame' "$salt")" "$h" "busybox: its own mkpasswd gives the same hash"
	is "$(cat "$B/etc/hostname")" bb1 "busybox: /etc/hostname"
	is "$(sed -n 2p "$B/etc/hosts")" "$(printf '127.0.1.1\tbb1')" "busybox: /etc/hosts"
	is "$(stat -c %a "$B/etc/shadow")" 600 "busybox: /etc/shadow stays 0600"
	if [ "$ms" -lt 500 ]; then ok "busybox --configure took $ms ms"; else not_ok "busybox --configure took $ms ms (want < 100)"; fi
	conf "$BB" "$B" keep bb2
	is "$rc:$(root_field "$B")" "0:$h" "busybox keep: the password is left alone"
	conf "$BB" "$B" locked bb2
	is "$rc:$(root_field "$B")" "0:" "busybox locked: back to the empty password (vz console logs in)"
	conf "$BB" "$B" keep bb2 --suite x
	is "$rc" 2 "busybox --configure with an option: exit status 2"
else
	skip "busybox --configure" "no static /bin/busybox (install busybox-static)"
fi

# -------------------------------------------------------- --rootfs
run env -i PATH=/nonexistent "$DEB" --rootfs "$T/nodbs" --arch amd64
want 1 "vz-template-debian: error: debootstrap not found: install the Debian package debootstrap" "no debootstrap"

# left_in DIR: mounts below DIR and processes whose root is in it.
left_in() {
	grep -F " $1/" /proc/self/mountinfo | awk '{ print "mount: " $5 }'
	find /proc -mindepth 2 -maxdepth 2 -name root -lname "$1*" 2>/dev/null | sed 's/^/process: /'
	true
}
if command -v debootstrap >/dev/null; then
	F=$T/fail
	run env VZ_CACHE_DIR="$T/cache" "$DEB" --rootfs "$F" --mirror http://127.0.0.1:9/debian
	is "$rc" 1 "an unreachable mirror: exit status 1"
	like "$(tail -n 1 <<<"$err")" "^vz-template-debian: error: debootstrap failed: cannot get the release file of bookworm from the mirror http://127.0.0.1:9/debian \(Connection refused\)" \
		"... the last line names the mirror and the cause"
	like "$err" "the end of $T/cache/.template/debootstrap.log" "... and shows the end of the log"
	check "... which is kept in \$VZ_CACHE_DIR/.template" test -s "$T/cache/.template/debootstrap.log"
	is "$(left_in "$F")" "" "... leaves no mount or process in the tree"
	check "... which rm -rf removes" rm -rf --one-file-system "$F"
	is "$(find "$T" -maxdepth 1 -name 'vz-template-debian.*')" "" "... and no temporary directory"
else
	skip "debootstrap failure" "debootstrap is not installed"
fi

# A real tree: built here with openssh-server when VZ_TEST_DEBOOTSTRAP=1,
# else the one tests/integration/debian-cache built with the real template
# for the Debian tests of this run (built at most once per run).
real=
if [ "${VZ_TEST_DEBOOTSTRAP:-0}" = 1 ]; then
	D=$T/real CD=$T/cache
	t0=$SECONDS
	run env VZ_CACHE_DIR="$CD" "$DEB" --rootfs "$D" --packages openssh-server
	is "$rc" 0 "a real build with openssh-server succeeds ($((SECONDS - t0)) s)"
	[ "$rc" = 0 ] || diag 20 <<<"$err"
	real=1
else
	if [ -z "${VZ_TEST_DEBIAN_CACHE:-}" ] && [ -z "${VZ_TEST_DEBIAN_SKIP:-}" ]; then
		VZ_TEST_DEBIAN_CACHE=$("$VZ_SRC/tests/integration/debian-cache" 2>"$T/dc.err")
		case $? in
		0) ;;
		3) VZ_TEST_DEBIAN_SKIP=$(head -n 1 "$T/dc.err") VZ_TEST_DEBIAN_CACHE= ;;
		*) not_ok "the Debian cache of this run builds"; diag 15 <"$T/dc.err"; VZ_TEST_DEBIAN_CACHE= ;;
		esac
	fi
	if [ -n "${VZ_TEST_DEBIAN_CACHE:-}" ]; then
		D=$(ls -d "$VZ_TEST_DEBIAN_CACHE"/bookworm-* 2>/dev/null | sort -V | tail -n 1)
		CD=$VZ_TEST_DEBIAN_CACHE
		check "the real tree of this run's Debian cache is there (${D##*/})" test -x "$D/bin/sh"
		real=1
	fi
fi
if [ -n "$real" ]; then
	is "$(readlink "$D/sbin/init")" /lib/systemd/systemd "... /sbin/init is systemd"
	is "$(grep -c '^deb ' "$D/etc/apt/sources.list")" 3 "... sources.list: main, updates, security"
	is "$(ls "$D"/etc/ssh/ssh_host_* 2>/dev/null)" "" "... no SSH host keys"
	check "... vz-ssh-keygen.service enabled" test -L "$D/etc/systemd/system/multi-user.target.wants/vz-ssh-keygen.service"
	is "$(stat -c %s "$D/etc/machine-id"):$(readlink "$D/var/lib/dbus/machine-id")" 0:/etc/machine-id \
		"... empty machine-id, D-Bus's a link to it"
	is "$(find "$D/dev" "$D/var/lib/apt/lists" "$D/var/cache/apt/archives" -mindepth 1 ! -name partial ! -path '*/partial/*')" "" \
		"... /dev empty, no package lists or .debs"
	ndebs=$(find "$CD/.template/debs" -name '*.deb' | wc -l)
	check "... the .debs are kept for the next build ($ndebs)" test "$ndebs" -gt 50
	is "$(left_in "$D")" "" "... no mount or process left in the tree"
	# The .debs of the build above make this one quick.
	mkdir -p "$T/cache2/.template" && ln -s "$CD/.template/debs" "$T/cache2/.template/debs"
	run env VZ_CACHE_DIR="$T/cache2" "$DEB" --rootfs "$T/nopkg" --packages nosuch-package-vz
	is "$rc" 1 "a package that does not exist: exit status 1"
	like "$(tail -n 1 <<<"$err")" "no such package in bookworm on http://deb.debian.org/debian: nosuch-package-vz" "... named"
	is "$(left_in "$T/nopkg")" "" "... no mount or process left in the tree"
else
	skip "a real debootstrap build" "${VZ_TEST_DEBIAN_SKIP:-the Debian cache could not be built}"
fi
