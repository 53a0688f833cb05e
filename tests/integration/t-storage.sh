#!/bin/bash
# Storage backends, the per-container template step, clones and the cache,
# with busybox containers (fast; the Debian template has its own tests):
# one cache shared by three overlay containers with nothing leaking between
# them or into the cache, files owned by each container's own id range,
# creation that copies nothing, the dir backend, vz clone (new ids,
# hostname, own copy), vz cache ls/rm refusing an entry in use, --refresh,
# --password, and bad input that leaves nothing behind.
# lanes: host
. "$(dirname "$0")/lib.sh"

cache=$T/cache/busybox
a=$(cname a) b=$(cname b) c=$(cname c)

# --- one cache, three overlay containers
check "create $a (builds the cache)" vz create "$a" -t busybox
t0=$(date +%s%N)
check "create $b from the warm cache" vz create "$b" -t busybox
ms=$((($(date +%s%N) - t0) / 1000000))
check "create $c from the warm cache" vz create "$c" -t busybox --password 's3cret pw'
entry=$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$a/config")
like "$entry" '^busybox/[0-9.]+$' "the config names the cache entry (rootfs.lower)"
is "$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$c/config")" "$entry" "all three use the same entry"
is "$(ls "$cache")" "${entry#busybox/}" "the cache has one entry"
du_delta=$(du -s --block-size=1K "$T/lib/$b/delta" | cut -f1)
[ "$du_delta" -lt 100 ] && ok "a new container's own layer is small (${du_delta} KiB): nothing copied" ||
	not_ok "a new container's own layer is small: ${du_delta} KiB"
echo "# create from the warm cache: $ms ms"
is "$(find "$cache/${entry#busybox/}" \! -uid 0 | head -3)" "" "the cache is still owned by uid 0 (nothing chowned)"
snap=$(cd "$cache" && find . -printf '%p %U %G %m %s %T@\n' | sort | md5sum)

for x in "$a" "$b" "$c"; do check "start $x" vz start "$x"; done
check "$a writes a file" vz attach "$a" -- sh -c 'echo from-a > /etc/only-in-a; mkdir /srv/a-dir'
check "$a removes a file of the template" vz attach "$a" -- rm /etc/inittab
is "$(vz attach "$b" -- sh -c 'cat /etc/only-in-a 2>&1; ls /srv')" "cat: can't open '/etc/only-in-a': No such file or directory" \
	"$b does not see it"
check "$c still has the file $a removed" vz attach "$c" -- test -f /etc/inittab
is "$(vz attach "$b" -- hostname)" "$b" "each container has its hostname (the template's step)"
is "$(vz attach "$c" -- cat /etc/hostname)" "$c" "/etc/hostname written at create"
uid_a=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$a/config")
uid_b=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$b/config")
is "$(stat -c %u:%g "$T/lib/$a/delta/etc/only-in-a")" "$uid_a:$uid_a" "the file is owned on the host by $a's own range"
is "$(stat -c %u "$T/lib/$b/delta/etc/hostname")" "$uid_b" "files the create step wrote are in $b's range too"
check "root inside sees the file as its own" test "$(vz attach "$a" -- stat -c %u:%g /etc/only-in-a)" = 0:0
check "$a appends to a file of the template" vz attach "$a" -- sh -c 'echo extra >> /etc/passwd'
is "$(vz attach "$b" -- grep -c extra /etc/passwd)" 0 "$b's copy is untouched"
for x in "$a" "$b" "$c"; do check "stop $x" vz stop "$x"; done
is "$(cd "$cache" && find . -printf '%p %U %G %m %s %T@\n' | sort | md5sum)" "$snap" "the cache is unchanged after three containers ran"

# --- the password given at create
shadow=$(grep '^root:' "$T/lib/$c/delta/etc/shadow" 2>/dev/null || grep '^root:' "$T/lib/$c/delta/etc/passwd" 2>/dev/null)
like "$shadow" '^root:\$[0-9a-z]+\$' "--password: root has a password hash in $c's own layer"
check "--password-file: one line from a file" sh -c "echo 'pw-from-file' > '$T/pwf' && '$VZ' create '$(cname p)' -t busybox --password-file '$T/pwf'"
like "$(grep '^root:' "$T/lib/$(cname p)/delta/etc/shadow" "$T/lib/$(cname p)/delta/etc/passwd" 2>/dev/null | head -n 1)" ':root:\$[0-9a-z]+\$' "--password-file: root has a password hash"
check "destroy it" vz destroy "$(cname p)"
out=$(vz create "$(cname q)" -t busybox --password x --password-file "$T/pwf" 2>&1)
like "$?:$out" "^2:vz create: --password and --password-file: give one of them" "both password options: usage error"
out=$(vz create "$(cname q)" -t busybox --password "$(printf '%5000s' '' | tr ' ' x)" 2>&1)
like "$?:$out" "^2:vz create: --password: the password is longer than 4095 bytes" "a password too long: usage error"
out=$(vz create "$(cname q)" -t busybox --password-file "$T/nonesuch" 2>&1)
like "$out" "^vz create: --password-file '$T/nonesuch': No such file or directory$" "a missing password file is named"
[ ! -e "$T/lib/$(cname q)" ] && ok "and nothing was created" || not_ok "and nothing was created"

# --- vz cache
out=$(vz cache ls)
like "$out" "^$entry +3 $a,$b,$c\$" "vz cache ls lists the entry and its three users"
out=$(vz cache rm "$entry" 2>&1)
is "$?" 1 "vz cache rm of an entry in use fails"
like "$out" "^vz cache: cache '$entry' is used by 3 containers \($a, $b, $c\): destroy them first\$" \
	"naming the users"
[ -d "$cache/${entry#busybox/}" ] && ok "the entry is still there" || not_ok "the entry is still there"
like "$(vz cache ls --json)" "\"users\":\[\"$a\",\"$b\",\"$c\"" "vz cache ls --json"
check "destroy $b" vz destroy "$b"
[ -d "$cache/${entry#busybox/}" ] && ok "destroy leaves the cache intact" || not_ok "destroy leaves the cache intact"
out=$(vz cache rm busybox/../etc 2>&1)
like "$out" "invalid cache entry 'busybox/../etc'" "vz cache rm refuses a path that is not an entry"

# --- clone
d=$(cname d)
check "start $a" vz start "$a"
out=$(vz clone "$a" "$d" 2>&1)
is "$?" 1 "vz clone of a running container fails"
like "$out" "^vz clone: $d: container '$a' is RUNNING: stop it first" "saying why"
[ ! -e "$T/lib/$d" ] && ok "and nothing was created" || not_ok "and nothing was created"
check "stop $a" vz stop "$a"
t0=$(date +%s%N)
check "vz clone $a $d" vz clone "$a" "$d"
echo "# clone (overlay, busybox): $((($(date +%s%N) - t0) / 1000000)) ms"
uid_d=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$d/config")
[ -n "$uid_d" ] && [ "$uid_d" != "$uid_a" ] && ok "the clone has its own id range ($uid_d, not $uid_a)" ||
	not_ok "the clone has its own id range: $uid_d vs $uid_a"
is "$(stat -c %u "$T/lib/$d/delta/etc/only-in-a")" "$uid_d" "the copied files belong to the clone's range"
is "$(stat -c %u "$T/lib/$a/delta/etc/only-in-a")" "$uid_a" "the source's files are unchanged"
check "start the clone" vz start "$d"
is "$(vz attach "$d" -- hostname)" "$d" "the clone has its own hostname"
is "$(vz attach "$d" -- cat /etc/only-in-a)" "from-a" "the clone has the source's changes"
check "the clone still lacks the file the source removed" sh -c "! '$VZ' attach '$d' -- test -e /etc/inittab"
check "the clone writes a file" vz attach "$d" -- touch /etc/only-in-d
[ ! -e "$T/lib/$a/delta/etc/only-in-d" ] && ok "that the source does not get" || not_ok "that the source does not get"
check "stop the clone" vz stop "$d"
out=$(vz clone "$a" "$d" 2>&1)
like "$out" "already exists" "clone onto an existing name fails"
out=$(vz clone "$(cname nosuch)" "$(cname e)" 2>&1)
like "$out" "container '$(cname nosuch)' does not exist" "clone of an unknown container fails"
[ ! -e "$T/lib/$(cname e)" ] && ok "and nothing was created" || not_ok "and nothing was created"

# --- the dir backend
e=$(cname e)
check "create with -B dir" vz create "$e" -t busybox -B dir
[ -x "$T/lib/$e/root/bin/busybox" ] && [ ! -e "$T/lib/$e/delta" ] && ok "a full copy in lib/NAME/root" ||
	not_ok "a full copy in lib/NAME/root"
uid_e=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$e/config")
is "$(find "$T/lib/$e/root" \! -uid "$uid_e" | head -3)" "" "every file of it belongs to the container's range"
is "$(vz cache ls | awk -v e="$entry" '$1 == e { print $2 }')" 3 "a dir container does not count as a user of the cache"
check "start it" vz start "$e"
is "$(vz attach "$e" -- sh -c 'stat -c %u /bin/busybox; hostname')" "0
$e" "root inside owns the tree; hostname set"
check "stop it" vz stop "$e"
f=$(cname f)
check "clone a dir container" vz clone "$e" "$f"
is "$(find "$T/lib/$f/root" -maxdepth 2 \! -uid "$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$f/config")" | head -3)" "" \
	"its copy belongs to the clone's range"
check "the dir clone starts" vz start "$f"
check "stop it" vz stop "$f"
out=$(vz create "$(cname g)" -t busybox -B zfs 2>&1)
is "$?:$out" "1:vz create: $(cname g): unknown storage backend 'zfs' (known: overlay, dir)" "an unknown backend is refused"
out=$(vz create "$(cname g)" -t busybox -c rootfs.backend=dir 2>&1)
like "$out" "set by vz create itself \(use --backend\)" "-c rootfs.backend points to --backend"

# --- --refresh: a new generation beside the one in use
check "create --refresh" vz create "$(cname r)" -t busybox --refresh
new=$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$(cname r)/config")
is "$new" "$entry@2" "the rebuilt tree is a new entry"
[ -d "$cache/${entry#busybox/}" ] && ok "the entry in use stays" || not_ok "the entry in use stays"
check "a later create uses the newest" vz create "$(cname s)" -t busybox
is "$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$(cname s)/config")" "$entry@2" "(it does)"
for x in "$a" "$c" "$d" "$(cname p)"; do vz destroy "$x" >/dev/null; done
check "vz cache rm of the old entry, now unused" vz cache rm "$entry"
[ ! -e "$cache/${entry#busybox/}" ] && ok "it is gone" || not_ok "it is gone"
is "$(ls -A "$cache" | grep -v '^\.\(lock\|use\)$')" "${entry#busybox/}@2" "only the new entry is left"

# --- a template step that fails leaves nothing
mkdir -p "$T/tpl/lib"
cp "$VZ_SRC/templates/lib/functions.sh" "$T/tpl/lib/"
cat >"$T/tpl/vz-template-broken" <<'EOF'
#!/bin/sh
case $1 in
--release) echo 1 ;;
--rootfs) mkdir -p "$2/sbin" "$2/etc" ;;
--configure) echo "broken: cannot configure" >&2; touch "$2/etc/half-done"; exit 3 ;;
esac
EOF
chmod +x "$T/tpl/vz-template-broken"
sed -i "s|templates = \"[^\"]*\"|templates = \"$T/tpl\"|" "$T/vz.conf"
out=$(vz create "$(cname h)" -t broken 2>&1)
is "$?" 1 "a failing --configure step fails the create"
like "$out" "vz create: $(cname h): configure: template 'broken' failed \(exit status 3\)" "naming the step and status"
[ ! -e "$T/lib/$(cname h)" ] && ok "nothing of the container is left" || not_ok "nothing of the container is left"
is "$(find "$T/cache/broken/1" -name half-done)" "" "the cache did not get the step's file"
