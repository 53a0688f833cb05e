#!/bin/bash
# Debian containers from the real template's cache (tests/integration/
# debian-cache builds it once per run): create from the warm cache with a
# root password, boot systemd to "running" with no failed units, journald,
# systemd-detect-virt, a local .deb installed with dpkg, login on the
# console through a pty with the password given at create, a clean
# shutdown the container's journal records, reboot and poweroff inside,
# clone (new ids, hostname, machine id, ssh host keys) that boots, free,
# nproc and uptime showing the container's limits (lxcfs), and the
# errors: unknown release, a mirror that cannot be reached, a broken cache.
# lanes: host
# needs: debian
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pty-lib.sh"

c=$(cname deb)
t0=$(date +%s%N)
check "create from the warm Debian cache with --password" vz create "$c" -t debian --password 'Tenant pw 1'
echo "# create from the warm cache: $((($(date +%s%N) - t0) / 1000000)) ms"
entry=$(sed -n 's/^ *lower = "\(.*\)";/\1/p' "$T/lib/$c/config")
like "$entry" '^debian/bookworm-[0-9a-f]+$' "the config names the cache entry ($entry)"
uid=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$c/config")
is "$(cat "$T/lib/$c/delta/etc/hostname" 2>/dev/null)" "$c" "the template's step wrote /etc/hostname in the container's own layer"
is "$(stat -c %u "$T/lib/$c/delta/etc/shadow" 2>/dev/null)" "$uid" "its /etc/shadow (the password) belongs to the container's range"
like "$(cat "$T/lib/$c/delta/etc/machine-id" 2>/dev/null)" '^[0-9a-f]{32}$' "it has a machine id of its own"

t0=$(date +%s%N)
check "start" vz start "$c"
echo "# vz start: $((($(date +%s%N) - t0) / 1000000)) ms"
is "$(vz attach "$c" -- systemctl is-system-running --wait 2>&1)" running "systemctl is-system-running: running"
is "$(vz attach "$c" -- systemctl --failed --plain --no-legend 2>&1)" "" "no failed units"
is "$(vz attach "$c" -- cat /proc/1/comm)" systemd "PID 1 is systemd"
is "$(vz attach "$c" -- systemd-detect-virt 2>&1)" container-other "systemd-detect-virt: container-other"
is "$(vz attach "$c" -- hostname)" "$c" "hostname"
check "journald works: a message logged is in the journal" vz attach "$c" -- sh -c \
	"logger -t vztest hello-$$ && sleep 0.3 && journalctl -t vztest --no-pager | grep -q hello-$$"
is "$(vz attach "$c" -- sh -c 'ls /etc/ssh/ssh_host_* 2>/dev/null | wc -l')" 0 "no ssh host key is shared from the cache"

# A local package: built on the host, installed inside with dpkg.
pkg=$T/vz-hello
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin"
printf 'Package: vz-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: vz tests <root@localhost>\nDescription: test package\n' >"$pkg/DEBIAN/control"
printf '#!/bin/sh\necho hello from a package\n' >"$pkg/usr/bin/vz-hello"
chmod 755 "$pkg/usr/bin/vz-hello"
dpkg-deb -b "$pkg" "$T/vz-hello.deb" >/dev/null
check "dpkg -i of a local .deb inside" sh -c "'$VZ' attach '$c' -- sh -c 'cat > /tmp/p.deb && dpkg -i /tmp/p.deb' < '$T/vz-hello.deb'"
is "$(vz attach "$c" -- vz-hello)" "hello from a package" "the package's program runs"
is "$(stat -c %u "$T/lib/$c/delta/usr/bin/vz-hello" 2>/dev/null)" "$uid" "its file belongs to the container's range on the host"

# Login on the console with the password given at create.
pty_script login <<EOF
a: spawn $VZ console $c
a: raw
a: send \r
a: expect -t 20 $c login:
ok the console shows the login prompt
a: send root\r
a: expect -t 10 Password:
a: send Tenant pw 1\r
a: expect -t 20 root@$c:~#
ok log in as root with the password set at create
a: send echo lo""gged-in-$$\r
a: expect logged-in-$$
a: send exit\r
a: expect -t 20 $c login:
a: send \x01q
a: wait-exit 0
ok a command runs; logout brings the prompt back; detach
EOF
pty_script tty1 <<EOF
a: spawn $VZ console $c -t 1
a: raw
a: send \r
a: expect -t 20 $c login:
ok tty1 has a login prompt (container-getty)
a: send \x01q
a: wait-exit 0
EOF

# reboot inside: the container comes back.
vz attach "$c" -- systemctl reboot >/dev/null 2>&1 # the attached process may die with the container
wait_until 30 sh -c "'$VZ' info --json '$c' | grep -q '\"restarts\": *1'" &&
	ok "the monitor restarted it (restarts 1)" || not_ok "the monitor restarted it (restarts 1)"
is "$(wait_until 60 vz attach "$c" -- systemctl is-system-running --wait; vz attach "$c" -- systemctl is-system-running 2>&1)" running \
	"after the reboot it is running again"

# A clean stop: systemd shuts down and its journal records it.
t0=$(date +%s%N)
check "vz stop" vz stop "$c"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# vz stop: $ms ms"
like "$(grep -E 'stopping:|killed|exited' "$T/log/$c/monitor.log" | tail -2)" 'sending SIGRTMIN\+3 to init' "stop sends systemd's halt signal"
unlike "$(tail -n 3 "$T/log/$c/monitor.log")" 'killing every process|timed out' "and does not have to kill it"
jl=$(journalctl -D "$T/lib/$c/delta/var/log/journal" --no-pager 2>/dev/null | tail -n 30)
like "$jl" 'systemd\[1\]: Shutting down\.' "the container's journal shows systemd shutting down"
like "$jl" 'Journal stopped' "and journald stopping last"

# poweroff inside: stopped, nothing of it left running.
check "start again" vz start "$c"
check "boots again" vz attach "$c" -- systemctl is-system-running --wait
vz attach "$c" -- systemctl poweroff >/dev/null 2>&1
wait_until 30 sh -c "[ \"\$('$VZ' ls | awk -v n='$c' '\$1 == n { print \$2 }')\" = STOPPED ]" &&
	ok "poweroff inside stops the container" || not_ok "poweroff inside stops the container"
is "$(cg_dirs "$CG_PARENT/$c")" "" "its cgroups are gone"
[ ! -e "$T/run/$c" ] && ok "its runtime directory is gone" || not_ok "its runtime directory is gone"

# Clone: new ids, hostname, machine id; ssh host keys made at first boot.
d=$(cname deb2)
check "an ssh host key in the source" sh -c \
	"mkdir -p '$T/lib/$c/delta/etc/ssh' && echo key > '$T/lib/$c/delta/etc/ssh/ssh_host_test_key'"
t0=$(date +%s%N)
check "vz clone" vz clone "$c" "$d"
echo "# clone: $((($(date +%s%N) - t0) / 1000000)) ms"
uid_d=$(sed -n 's/^ *uid = \([0-9]*\);/\1/p' "$T/lib/$d/config")
[ -n "$uid_d" ] && [ "$uid_d" != "$uid" ] && ok "the clone has its own id range" || not_ok "the clone has its own id range ($uid_d)"
[ "$(cat "$T/lib/$d/delta/etc/machine-id")" != "$(cat "$T/lib/$c/delta/etc/machine-id")" ] &&
	ok "and its own machine id" || not_ok "and its own machine id"
[ ! -e "$T/lib/$d/delta/etc/ssh/ssh_host_test_key" ] && ok "the source's ssh host keys are not copied" ||
	not_ok "the source's ssh host keys are not copied"
check "the clone starts" vz start "$d"
is "$(vz attach "$d" -- systemctl is-system-running --wait 2>&1)" running "and boots to running"
is "$(vz attach "$d" -- hostname)" "$d" "with its own hostname"
is "$(vz attach "$d" -- vz-hello)" "hello from a package" "and the source's installed package"
is "$(vz attach "$d" -- sh -c 'grep "^root:" /etc/shadow | cut -d: -f2')" \
	"$(grep '^root:' "$T/lib/$c/delta/etc/shadow" | cut -d: -f2)" "root's password is the source's"
check "stop the clone" vz stop "$d"

# What the tenant sees (doc/tenant-view.md) through the tools of a full
# distribution: procps free reads /proc/meminfo (busybox's takes its total
# from sysinfo(2)), coreutils nproc the affinity. No boot needed.
if [ -x /usr/bin/lxcfs ] && [ -c /dev/fuse ]; then
	f=$(cname free)
	check "create with limits.memory = 256M, limits.cpus = 0.5, init sleep" vz create "$f" -t debian \
		-c limits.memory=256M -c limits.cpus=0.5 -c 'init=/usr/bin/sleep 1d'
	check "start" vz start "$f"
	is "$(vz attach "$f" -- free -k | awk '$1 == "Mem:" { print $2 }')" 262144 "procps free: total is the limit (262144 kB)"
	[ "$(nproc)" -gt 1 ] && is "$(vz attach "$f" -- nproc)" 1 "coreutils nproc: 1 for cpus = 0.5"
	like "$(vz attach "$f" -- uptime)" 'up 0 min' "procps uptime: the container's"
	check "stop" vz stop "$f"
else
	skip "procps free in a Debian container" "lxcfs is not installed or /dev/fuse is missing"
fi

# Errors.
out=$(vz create "$(cname x1)" -t debian -- --release nosuch 2>&1)
rc=$?
is "$rc" 1 "an unknown release fails"
like "$out" "nosuch" "naming it: $(head -n 1 <<<"$out")"
[ ! -e "$T/lib/$(cname x1)" ] && ok "nothing was created" || not_ok "nothing was created"
before=$(ls -A "$T/cache/debian/")
out=$(vz create "$(cname x2)" -t debian -- --mirror http://127.0.0.1:9/debian --packages hello 2>&1)
rc=$?
is "$rc" 1 "debootstrap failing (a mirror that refuses connections) fails the create"
like "$out" "127.0.0.1:9" "naming the mirror"
like "$(tail -n 1 <<<"$out")" "^vz create: $(cname x2): template 'debian' failed" "vz says the template failed"
[ ! -e "$T/lib/$(cname x2)" ] && ok "no container was created" || not_ok "no container was created"
is "$(ls -A "$T/cache/debian/")" "$before" "nothing half-built is left in the cache"
# A broken cache entry: its init is missing.
mkdir -p "$T/cache/broken-deb/b1/etc"
sed -i "s|lower = \"[^\"]*\"|lower = \"broken-deb/b1\"|" "$T/lib/$d/config"
out=$(vz start "$d" 2>&1)
is "$?" 1 "a container whose cache entry has no init fails to start"
like "$out" "/sbin/init" "naming init: $out"
is "$(cg_dirs "$CG_PARENT/$d")" "" "no cgroup left"
sed -i "s|lower = \"[^\"]*\"|lower = \"debian/nosuch\"|" "$T/lib/$d/config"
out=$(vz start "$d" 2>&1)
like "$out" "template cache '.*debian/nosuch' is missing" "a missing cache entry is named: $out"
