#!/bin/bash
# vz console, driven through real ptys by pty.py (doc/console.md): login on
# /dev/console and tty1, read-write and read-only clients sharing a tty,
# scrollback replayed on attach, console.log and its rotation, 100
# detach/reattach cycles, a client killed with SIGKILL, clients that stop
# reading while the container writes 10 MB, the client's terminal settings
# restored on every way out, non-root uids (console.rw_users/ro_users),
# --list, --log, vz start --console, and the errors.
# lanes: host
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pty-lib.sh"

# A monitor this file stopped (SIGSTOP) is continued on the way out too, so
# that lib.sh's cleanup can destroy its container.
_stopped=
_end_pty() {
	[ -z "$_pty_pid" ] || { kill "$_pty_pid" 2>/dev/null; wait "$_pty_pid" 2>/dev/null; }
	[ -z "$_stopped" ] || kill -CONT "$_stopped" 2>/dev/null
	true
}
trap '_rc=$?; _end_pty; (exit $_rc); _cleanup' EXIT

# The scripts below type commands with markers holding this file's pid
# ($$): typed as `echo ab""cd`, a command prints abcd, which its echo does
# not contain. PROMPT matches the root shell's prompt (the template's PS1,
# root@HOST:~# ) without its trailing blank (pty.py strips lines).
PROMPT='root@[^ :]*:[^#]*#'
c=$(cname con)
check "create (console.ro_users 4242, console.rw_users 4243)" \
	vz create "$c" -t busybox -c console.ro_users=4242 -c console.rw_users=4243
check "start" vz start "$c"

pty_script login <<EOF
a: spawn $VZ console $c
a: expect connected to $c \(console, read-write\); Ctrl-a q detaches
ok the banner names the container, tty, mode and how to detach
a: expect -t 20 BusyBox .* \((/dev/)?console\)
a: expect -t 20 login:
ok the console shows the getty's issue and login prompt
a: raw
a: send root\r
a: expect -t 10 $PROMPT
a: send echo hel""lo-$$\r
a: expect hello-$$
ok log in as root on /dev/console, type echo hello, see hello
a: send \x01q
a: expect vz console: detached from $c
a: wait-exit 0
ok Ctrl-a q detaches: "vz console: detached from NAME", exit 0
a: stty-same
ok after a detach the terminal's settings (stty -g) are those before
t: spawn $VZ console $c -t 1
t: expect connected to $c \(tty1, read-write\)
t: expect -t 20 BusyBox .* \((/dev/)?tty1\)
t: expect -t 20 login:
ok vz console -t 1 shows the login prompt of the getty on tty1
t: raw
t: send \x01q
t: wait-exit 0
t: stty-same
ok ... and detaches from tty1 the same way
e: spawn $VZ console $c -e ^X
e: expect connected to $c
e: raw
e: send \x18q
e: expect vz console: detached from $c
e: wait-exit 0
ok with -e ^X, Ctrl-x q detaches
EOF

# Two read-write clients (a, b) and a read-only one (r) on tty1.
pty_script multi <<EOF
a: spawn $VZ console $c -t 1
a: expect -t 20 login:
a: raw
a: send root\r
a: expect -t 10 $PROMPT
b: spawn $VZ console $c -t 1
b: expect connected to $c \(tty1, read-write\)
b: expect $PROMPT
r: spawn $VZ console $c -t 1 --ro
r: expect connected to $c \(tty1, read-only\); Ctrl-a q detaches
r: expect $PROMPT
ok a second read-write client and a read-only client (--ro) attach to the same tty and get its scrollback
b: raw
r: raw
a: send echo from-a-""$$\r
a: expect from-a-$$
b: expect from-a-$$
r: expect from-a-$$
ok what client A types runs, and A, B and the read-only client all see the output
b: send echo from-b-""$$\r
a: expect from-b-$$
b: expect from-b-$$
r: expect from-b-$$
ok what client B types runs, and all three see the output
a: send sleep 300\r
a: sleep 0.5
a: send \x1a
a: expect -t 10 Stopped.*sleep 300
b: expect Stopped.*sleep 300
a: send kill %1; echo jc-""$$\r
a: expect jc-$$
ok job control works on tty1 (it is the shell's controlling tty): Ctrl-Z stops the foreground job
r: send echo RO-TYPED""$$\r
r: sleep 1
a: send echo after-ro-""$$\r
a: expect after-ro-$$
b: expect after-ro-$$
r: expect after-ro-$$
a: reject RO-TYPED
b: reject RO-TYPED
r: reject RO-TYPED
ok the read-only client's typing has no effect: nobody sees it echoed or run
l: spawn $VZ console $c --list
l: wait-exit 0
l: has UID +PID +TTY +MODE +SINCE
l: has (^|\n) *0 +{pid:a} +tty1 +rw
l: has (^|\n) *0 +{pid:b} +tty1 +rw
l: has (^|\n) *0 +{pid:r} +tty1 +ro
ok vz console --list shows the three clients with uid, pid, tty and mode
a: kill KILL
a: wait-exit -KILL
b: send echo after-kill-""$$\r
b: expect after-kill-$$
r: expect after-kill-$$
ok after kill -9 of client A, client B still types and B and the read-only client see it
l: spawn $VZ console $c --list
l: wait-exit 0
l: reject (^|\n) *0 +{pid:a}\b
l: has (^|\n) *0 +{pid:b} +tty1 +rw
ok --list no longer shows the killed client
r: send \x01q
r: expect detached from $c
r: wait-exit 0
r: stty-same
b: send \x01q
b: expect detached from $c
b: wait-exit 0
b: stty-same
ok the read-only client detaches with Ctrl-a q too; both detach with their terminals restored
EOF
is "$(state "$c")" RUNNING "the container runs on after all that"
hist=$(vz console "$c" -t 1 --log </dev/null)
like "$hist" "after-kill-$$" "vz console -t 1 --log prints tty1's history"
unlike "$hist" "RO-TYPED" "... in which the read-only client's typing appears nowhere"

# Output while nobody is attached: scrollback, console.log, --log.
vz attach "$c" -- sh -c "echo MARK-$$-replay >/dev/console" </dev/null
pty_script replay <<EOF
a: spawn $VZ console $c
a: expect -t 5 MARK-$$-replay
ok output written while nobody was attached is replayed to the next client
a: raw
a: send \x01q
a: wait-exit 0
EOF
wait_until 5 grep -q "MARK-$$-replay" "$T/log/$c/console.log" &&
	ok "console.log holds it" || not_ok "console.log holds it"
out=$(vz console "$c" --log </dev/null)
is "$?" 0 "vz console --log exits 0"
like "$out" "MARK-$$-replay" "vz console --log prints the console's history"
like "$out" "hello-$$" "... including the session that logged in"

# The terminal is restored when the client is ended by a signal.
for sig in TERM HUP INT QUIT; do
	pty_script "sig$sig" <<EOF
a: spawn $VZ console $c
a: expect connected to $c
a: raw
a: kill $sig
a: wait-exit any 10
ok SIG$sig ends an attached client
a: stty-same
ok ... and the terminal's settings are those before
EOF
done

# 100 detach/reattach cycles, in one pty.py process.
mon=$(monitor_pid "$c")
fds_before=$(ls /proc/"$mon"/fd | wc -l)
{
	for i in $(seq 100); do
		echo "a: spawn $VZ console $c"
		echo "a: expect connected to $c"
		echo "a: raw"
		echo 'a: send \x01q'
		echo "a: expect detached from $c"
		echo "a: wait-exit 0"
		echo "a: stty-same"
	done
	echo "ok 100 attach and Ctrl-a q detach cycles, each exiting 0 with the terminal restored"
} >"$T/reattach.gen"
t0=$EPOCHREALTIME
pty_script reattach <"$T/reattach.gen"
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
awk -v s="$secs" 'BEGIN { exit !(s < 30) }' && ok "... in ${secs}s (< 30 s)" || not_ok "100 cycles took ${secs}s (>= 30 s)"
is "$(vz console "$c" --list | grep -c '')" 1 "--list shows only its header afterwards: no client is left"
fds_after=$(ls /proc/"$mon"/fd | wc -l)
is "$fds_after" "$fds_before" "the monitor holds as many fds as before the 100 cycles"
pty_script after-reattach <<EOF
a: spawn $VZ console $c
a: raw
a: send echo still-""ok-$$\r
a: expect still-ok-$$
ok the console still works after the 100 cycles
a: send \x01q
a: wait-exit 0
EOF

# Non-root uids: 4242 is in console.ro_users, 4243 in console.rw_users,
# 65534 in neither. vz and VZ_PATH must be reachable for them, so that
# only vz's own check can refuse.
as_uid() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
why=
command -v setpriv >/dev/null || why="setpriv(1) is not installed"
if [ -z "$why" ]; then
	chmod o+r "$T/vz.conf"
	# a copy of vz in $T, which anyone may traverse (the build directory
	# may sit below one that other users cannot enter)
	UVZ=$T/user-bin/vz
	mkdir -p "$T/user-bin" && install -m 0755 "$VZ" "$UVZ"
	as_uid 65534 test -x "$UVZ" || why="uid 65534 cannot execute $UVZ (a directory above it is not searchable)"
fi
if [ -z "$why" ]; then
	for p in "$T/run" "$T/run/$c" "$T/run/$c/control"; do
		as_uid 65534 test -e "$p" || diag <<<"note: uid 65534 cannot reach $p (mode $(stat -c %a "$p")): the access checks below will show it"
	done
	pty_script users <<EOF
a: spawn $VZ console $c
a: raw
o: spawn setpriv --reuid=4242 --regid=4242 --clear-groups $UVZ console $c
o: expect connected to $c \(console, read-only\)
o: expect MARK-$$-replay
ok uid 4242 (console.ro_users) attaches, read-only even without --ro, and sees the console
o: send echo RO-USER""$$\r
o: sleep 1
a: send echo after-ro-user-""$$\r
a: expect after-ro-user-$$
o: expect after-ro-user-$$
a: reject RO-USER
o: reject RO-USER
ok ... but its typing has no effect
o: raw
o: send \x01q
o: expect detached from $c
o: wait-exit 0
o: stty-same
ok ... and it detaches with Ctrl-a q, its terminal restored
w: spawn setpriv --reuid=4243 --regid=4243 --clear-groups $UVZ console $c
w: expect connected to $c \(console, read-write\)
w: raw
w: send echo rw-user-""$$\r
w: expect rw-user-$$
a: expect rw-user-$$
ok uid 4243 (console.rw_users) attaches read-write and what it types runs
w: send \x01q
w: wait-exit 0
u: spawn setpriv --reuid=65534 --regid=65534 --clear-groups $UVZ console $c
u: expect permission denied
u: wait-exit nonzero
u: stty-same
ok uid 65534, in neither list, is refused with "permission denied"
u: spawn setpriv --reuid=65534 --regid=65534 --clear-groups $UVZ console $c --ro
u: expect permission denied
u: wait-exit nonzero
ok ... also when it asks for read-only
a: send \x01q
a: wait-exit 0
EOF
	out=$(as_uid 4242 "$VZ" console "$c" --list 2>&1 </dev/null)
	rc=$?
	[ "$rc" -ne 0 ] && ok "--list stays root-only (uid 4242 refused)" || not_ok "--list stays root-only (uid 4242 refused)"
	like "$out" "permission denied" "... saying permission denied"
	as_uid 4243 "$VZ" stop -k "$c" >/dev/null 2>&1 </dev/null
	is "$(state "$c")" RUNNING "a uid in console.rw_users cannot stop the container"
else
	skip "non-root access to the console" "$why"
fi

# Stop, errors, vz start --console.
check "stop" vz stop -k "$c"
out=$(vz console "$c" 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && ok "vz console of a stopped container fails" || not_ok "vz console of a stopped container fails (exit 0)"
like "$out" "container '$c' is not running" "... saying it is not running"
is "$(wc -l <<<"$out")" 1 "... on one line"
out=$(vz console "$TID-nosuch" 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && ok "vz console of an unknown container fails" || not_ok "vz console of an unknown container fails (exit 0)"
like "$out" "container '$TID-nosuch' does not exist" "... saying it does not exist"
is "$(wc -l <<<"$out")" 1 "... on one line"
out=$(vz console "$c" --log </dev/null)
is "$?" 0 "vz console --log of a stopped container exits 0"
like "$out" "MARK-$$-replay" "... and prints console.log"

pty_script start-console <<EOF
s: spawn $VZ start --console $c
s: expect -t 30 connected to $c \(console, read-write\)
s: expect -t 20 login:
ok vz start --console starts the container and attaches to its console
s: raw
s: send \x01q
s: expect detached from $c
s: wait-exit 0
s: stty-same
ok ... Ctrl-a q detaches, exit 0, terminal restored
EOF
is "$(state "$c")" RUNNING "the container runs on after the detach"
out=$(vz console "$c" -t 9 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && ok "vz console -t 9 fails (console.ttys is 4)" || not_ok "vz console -t 9 fails (exit 0)"
like "$out" "tty9" "... naming the tty"
is "$(wc -l <<<"$out")" 1 "... on one line"
check "stop" vz stop -k "$c"

# Rotation of console.log.
r=$(cname rot)
check "create with console.log_size=4K, console.log_files=2" \
	vz create "$r" -t busybox -c console.log_size=4K -c console.log_files=2
check "start" vz start "$r"
# Many small writes; then a write of 30000 bytes while the monitor is
# stopped (SIGSTOP, by its pid): the pty holds what it can (12 KiB here),
# which the monitor, continued, reads at once: one chunk larger than the
# limit, which must not make a file larger than the limit either.
vz attach "$r" -- sh -c 'i=0; while [ $i -lt 200 ]; do echo "line-$i-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"; i=$((i + 1)); done >/dev/console' </dev/null
rmon=$(monitor_pid "$r")
vz attach "$r" -- sh -c 'head -c 30000 /dev/zero | tr "\0" z >/tmp/burst; sleep 2
	dd if=/tmp/burst of=/dev/console bs=30000 count=1 2>/dev/null; echo END-ROT >/dev/console' </dev/null &
wpid=$!
sleep 0.5
_stopped=$rmon
kill -STOP "$rmon"
sleep 3
kill -CONT "$rmon"
_stopped=
wait "$wpid"
L=$T/log/$r/console.log
wait_until 5 grep -q END-ROT "$L" && ok "the latest output is in console.log" || not_ok "the latest output is in console.log"
[ -e "$L.1" ] && ok "writing 40 KB rotated it: console.log.1 exists" || not_ok "console.log.1 exists ($(ls "$T/log/$r"))"
sizes=$(cd "$T/log/$r" && stat -c '%n %s' console.log*)
big=$(awk '$2 > 4096' <<<"$sizes")
[ -z "$big" ] && ok "console.log and its rotated files each stay within 4K" ||
	{ not_ok "console.log and its rotated files each stay within 4K"; diag <<<"$sizes"; }
[ ! -e "$L.3" ] && ok "only console.log_files=2 rotated files are kept" || not_ok "only 2 rotated files are kept ($(ls "$T/log/$r"))"
check "stop" vz stop -k "$r"

# Clients that stop reading while the container writes 10 MB to its
# console: s is stopped with SIGSTOP, n's terminal is never read (so the
# client blocks writing to it); r reads. Then the container is stopped
# with all three attached.
f=$(cname flood)
check "create" vz create "$f" -t busybox
check "start" vz start "$f"
pty_script flood <<EOF
r: spawn $VZ console $f
r: expect -t 20 login:
r: raw
r: send root\r
r: expect -t 10 $PROMPT
s: spawn $VZ console $f
s: expect $PROMPT
s: raw
n: spawn $VZ console $f
n: expect $PROMPT
n: raw
ok three clients attached
s: kill STOP
n: stall
w: spawn $VZ attach $f -- sh -c 'head -c 10000000 /dev/zero | tr "\0" x >/dev/console; echo DONE-""MARK-$$ >/dev/console'
w: wait-exit 0 30
ok with one client stopped and one whose terminal is never read, writing 10 MB to /dev/console finishes within 30 s
r: expect -t 30 DONE-MARK-$$
ok a reading client meanwhile gets the output up to the end mark
r: send echo r-""alive-$$\r
r: expect r-alive-$$
ok ... and can still use the shell
s: kill CONT
n: resume
s: quiet 2
n: quiet 2
s: has \[vz console: [0-9]+ bytes of output dropped: this client was not reading\]
check once it has caught up, the stopped client (continued) finds a mark in its stream that output was dropped
s: has (was not reading\]|DONE-MARK-$$)[^x]*\$
check ... and nothing was lost unmarked: after the last output it got comes the end mark, or a drop mark
n: has \[vz console: [0-9]+ bytes of output dropped: this client was not reading\]
check the client whose terminal was not read finds a drop mark too, once it has caught up
n: has (was not reading\]|DONE-MARK-$$)[^x]*\$
check ... and nothing was lost unmarked for it either
s: send echo s-""alive-$$\r
s: expect -t 20 s-alive-$$
n: expect -t 20 s-alive-$$
n: send echo n-""alive-$$\r
n: expect -t 20 n-alive-$$
s: expect -t 20 n-alive-$$
r: expect -t 20 n-alive-$$
ok then both work normally: what they type runs and all clients see the output
x: spawn $VZ stop $f
x: wait-exit 0 30
r: expect -t 10 vz console: container '$f' stopped
s: expect -t 10 vz console: container '$f' stopped
n: expect -t 10 vz console: container '$f' stopped
r: wait-exit 0
s: wait-exit 0
n: wait-exit 0
ok stopping the container ends its clients: "vz console: container 'NAME' stopped", exit 0
r: stty-same
s: stty-same
n: stty-same
ok ... with their terminals' settings restored
EOF
