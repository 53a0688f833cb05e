#!/bin/bash
# A monitor killed with SIGKILL takes its container down with it (init has
# it as parent-death signal); vz ls reports that honestly, and vz start and
# vz stop clean up what it left.
. "$(dirname "$0")/lib.sh"

c=$(cname mk)
check "create" vz create "$c" -t busybox
check "start" vz start "$c"
pid=$(init_pid "$c")
mon=$(monitor_pid "$c")
like "$mon" '^[0-9]+$' "the monitor pid is known"
kill -KILL "$mon"
wait_until 5 test ! -e /proc/"$pid" && ok "init dies with its monitor" || not_ok "init dies with its monitor"
is "$(state "$c")" "STOPPED*" "vz ls shows STOPPED* (monitor died)"
like "$(vz info "$c")" 'State: +STOPPED \(monitor died\)' "vz info says the monitor died"
is "$(vz info --json "$c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["monitor_died"])')" True "info --json: monitor_died"
check "vz start recovers" vz start "$c"
is "$(state "$c")" RUNNING "RUNNING again"
check "it works" vz attach "$c" -- true
kill -KILL "$(monitor_pid "$c")"
sleep 0.2
out=$(vz stop "$c" 2>&1)
is "$?" 0 "vz stop after a monitor crash succeeds"
like "$out" "was not running: its monitor had died; cleaned up" "... and says what happened"
is "$(state "$c")" STOPPED "STOPPED, clean"
[ -e "$T/run/$c" ] && not_ok "no runtime dir left" || ok "no runtime dir left"
check "start once more" vz start "$c"
kill -KILL "$(monitor_pid "$c")"
sleep 0.2
check "destroy after a monitor crash" vz destroy "$c"
