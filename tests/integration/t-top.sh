#!/bin/bash
# vz top: batch mode (-b -n 1) lists every running container and not the
# stopped one, with its figures (a busy loop's CPU %, a memory limit, the
# pids count), -s and -f; the interactive screen driven through a pty
# shows the header and the containers, sorts and filters on keys, and q
# restores the terminal.
# lanes: host v2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pty-lib.sh"

a=$(cname busy)
b=$(cname lim)
c=$(cname idle)
s=$(cname stopped)
check "create a" vz create "$a" -t busybox
check "create b (limits.memory=64M)" vz create "$b" -t busybox -c limits.memory=64M
check "create c" vz create "$c" -t busybox
check "create s" vz create "$s" -t busybox
check "start a" vz start "$a"
check "start b" vz start "$b"
check "start c" vz start "$c"
# The loop runs in the container's cgroup and dies with it.
check "a busy loop in a" vz attach "$a" -- sh -c 'while :; do :; done </dev/null >/dev/null 2>&1 &'

out=$(vz top -b -n 1 -d 1)
rc=$?
is "$rc" 0 "vz top -b -n 1 exits 0"
is "$(head -n1 <<<"$out" | tr -s ' ')" "NAME STATE CPU% MEMORY MEMLIMIT SWAP PIDS PIDMAX READ/s WRITE/s RX/s TX/s" "header columns"
rows=$(grep "^$TID-" <<<"$out")
is "$(awk '{print $1}' <<<"$rows" | sort | tr '\n' ' ')" "$a $c $b " "every running container, not the stopped one"
row() { awk -v n="$1" '$1 == n' <<<"$out" | tr -s ' '; }
ra=$(row "$a")
like "$ra" "^$a RUNNING [0-9.]+ [0-9.]+[KMG]? - " "busy row: state, CPU, memory, no memory limit"
cpu=$(awk '{print $3}' <<<"$ra")
if awk -v c="$cpu" 'BEGIN { exit !(c > 50) }'; then ok "the busy loop's CPU % is high ($cpu)"
else not_ok "the busy loop's CPU % is high ($cpu)"; echo "$out" | diag; fi
rc_=$(row "$c")
cpu=$(awk '{print $3}' <<<"$rc_")
if awk -v c="$cpu" 'BEGIN { exit !(c < 20) }'; then ok "the idle one's CPU % is low ($cpu)"
else not_ok "the idle one's CPU % is low ($cpu)"; fi
like "$(row "$b")" "^$b RUNNING [0-9.]+ [0-9.]+[KMG]? 64M " "memory limit shown as set (64M)"
pids_js=$(vz ls --json | python3 -c 'import json,sys; print({c["name"]: c.get("pids") for c in json.load(sys.stdin)}.get(sys.argv[1]))' "$c")
pids_cg=""
for d in $(cg_dirs "$CG_PARENT/$c"); do [ -f "$d/pids.current" ] && pids_cg=$(cat "$d/pids.current"); done
is "$(row "$c" | awk '{print $7}')" "$pids_cg" "pids equals the cgroup's pids.current ($pids_cg; ls --json: $pids_js)"
like "$(row "$a" | awk '{print $11, $12}')" "^- -$" "no network rates yet: -"

out=$(vz top -b -n 1 -s name)
is "$(grep "^$TID-" <<<"$out" | awk '{print $1}' | tr '\n' ' ')" "$a $c $b " "-s name: name order"
out=$(vz top -b -n 1 -s cpu)
is "$(grep "^$TID-" <<<"$out" | head -n1 | awk '{print $1}')" "$a" "-s cpu: the busy one first"
out=$(vz top -b -n 1 -f "$TID-l*")
is "$(grep "^$TID-" <<<"$out" | awk '{print $1}' | tr '\n' ' ')" "$b " "-f glob filter"
out=$(vz top -b -n 1 -f idle)
is "$(grep "^$TID-" <<<"$out" | awk '{print $1}' | tr '\n' ' ')" "$c " "-f substring filter"
out=$(vz top -b -n 2 -d 0.2 | grep -c '^NAME')
is "$out" 2 "-n 2 prints two snapshots"
out=$(vz top -b -s bogus 2>&1)
is "$?:$out" "2:vz top: unknown sort key 'bogus' (cpu, memory, name, pids, io) (see vz top --help)" "unknown sort key"
out=$(vz top -b -d 0 2>&1)
is "$?" 2 "-d 0 is refused"
out=$(vz top </dev/null 2>&1)
is "$?:$out" "1:vz top: stdin and stdout must be a terminal (-b prints plain text)" "the screen needs a terminal"

# ncurses moves the cursor over blanks and rewrites only what changed:
# expect words, not lines.
pty_script top <<PTY
spawn env TERM=xterm $VZ top -d 0.5 -f $TID-
expect NAME
expect STATE
expect MEMLIMIT
expect $a
ok the screen shows the header and a container
sleep 1
has $b
has $c
reject $s
ok every running container, not the stopped one
send n
expect name
send r
expect reversed
ok n sorts by name, r reverses
send /
expect filter:
send idle\r
expect idle
ok / sets a filter
kill WINCH
send c
expect cpu
ok still answers after SIGWINCH
send q
wait-exit 0
stty-same
ok q quits with 0 and the terminal is restored (stty -g)
PTY

check "stop a" vz stop -k "$a"
check "stop b" vz stop -k "$b"
check "stop c" vz stop -k "$c"
