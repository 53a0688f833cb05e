#!/bin/bash
# Limit hits in vz info: a memory hog OOM-killed at the limit, a fork loop
# stopped at pids.max and a busy loop throttled by the CPU quota are each
# counted, vz info --limits lists the limits hit and not the others, and
# vz info --json carries every counter. On cgroup v1 and v2.
# lanes: host v2
. "$(dirname "$0")/lib.sh"

# jget NAME EXPR: a Python expression over the JSON of vz info NAME (d).
jget() { vz info --json "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
positive() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ]; }
ok_if() { if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi; }

c=$(cname hits)
check "create with memory 32M, pids 50, cpus 0.2" vz create "$c" -t busybox -c limits.memory=32M -c limits.pids=50 -c limits.cpus=0.2
check "start" vz start "$c"
check "install the probe" install_probe "$c"
pid1=$(init_pid "$c")
# Booting and installing the probe may already be throttled at 0.2 CPUs
# (it is in the slower VM): only memory and pids are untouched so far.
out=$(vz info --limits "$c")
unlike "$out" 'Memory:|PIDs:' "vz info --limits: memory and pids not hit yet"
is "$(jget "$c" '" ".join(x for x in d["limits_hit"] if x != "cpu")')" "" "--json: limits_hit names neither"

# Memory: the hog is SIGKILLed by the OOM killer, init stays.
probe "$c" hog 200 >/dev/null 2>&1
is "$?" 137 "a 200 MiB memory hog is killed (SIGKILL) under a 32 MiB limit"
check "the container still works (attach)" vz attach "$c" -- true
is "$(init_pid "$c")" "$pid1" "its init is the same process"
oomk=$(jget "$c" 'd["hits"]["oom_kill"]')
_desc="--json: hits.oom_kill counts the kill ($oomk)"; ok_if positive "$oomk"
memmax=$(jget "$c" 'd["hits"]["memory_max"]')
_desc="--json: hits.memory_max > 0 ($memmax)"; ok_if positive "$memmax"
out=$(vz info "$c")
like "$out" 'Memory: +[^,]+ of 32M, limit hit [1-9][0-9]* times?, [1-9][0-9]* OOM kills?' "vz info: memory limit hits and OOM kills"
like "$out" 'PIDs: +[0-9]+ of 50, 0 forks refused' "vz info: no fork refused yet"
out=$(vz info --limits "$c")
like "$out" 'Memory:.*OOM kill' "vz info --limits lists memory"
unlike "$out" 'PIDs:' "... and not the untouched pids limit"

# Pids: the fork loop stops at the limit, the container stays usable.
forks=$(probe "$c" forks 100 | grep -oE '[0-9]+' | head -n1)
[ -n "$forks" ] && [ "$forks" -lt 50 ] && ok "a fork loop stops at the pids limit ($forks of 100)" ||
	not_ok "a fork loop stops at the pids limit (${forks:-?})"
check "the container still works afterwards" vz attach "$c" -- true
pmax=$(jget "$c" 'd["hits"]["pids_max"]')
_desc="--json: hits.pids_max counts refusals ($pmax)"; ok_if positive "$pmax"
like "$(vz info "$c")" 'PIDs: +[0-9]+ of 50, [1-9][0-9]* forks? refused' "vz info: forks refused"
like "$(vz info --limits "$c")" 'PIDs:.*refused' "vz info --limits lists pids now"

# CPU: 2 s of a busy loop at 0.2 CPUs is throttled in most periods.
check "a 2 s busy loop" vz attach "$c" -- sh -c 'while :; do :; done & p=$!; sleep 2; kill $p; wait'
thr=$(jget "$c" 'd["hits"]["cpu_throttled"]')
per=$(jget "$c" 'd["hits"]["cpu_periods"]')
_desc="--json: hits.cpu_throttled > 0 ($thr of $per periods)"; ok_if positive "$thr"
tns=$(jget "$c" 'd["hits"]["cpu_throttled_ns"]')
_desc="--json: hits.cpu_throttled_ns > 0 ($tns)"; ok_if positive "$tns"
is "$(jget "$c" 'd["cpu_quota_us"], d["cpu_period_us"]')" "20000 100000" "--json: the CPU quota"
like "$(vz info "$c")" 'CPU limit: +0\.20 CPUs, throttled in [1-9][0-9]* of [1-9][0-9]* periods' "vz info: CPU throttling"
like "$(vz info --limits "$c")" 'CPU limit:.*throttled' "vz info --limits lists the CPU limit"
is "$(jget "$c" '" ".join(sorted(d["limits_hit"]))')" "cpu memory pids" "--json: limits_hit names all three"
is "$(jget "$c" '" ".join(k for k in ("memory_max","swap_max","oom","oom_kill","pids_max","cpu_periods","cpu_throttled","cpu_throttled_ns") if k not in d["hits"])')" "" "--json: every hits field is there"

# A container without limits: no hit, nothing listed.
u=$(cname free)
check "create without limits" vz create "$u" -t busybox
check "start" vz start "$u"
like "$(vz info --limits "$u")" 'none hit or near' "vz info --limits: an unlimited container lists nothing"
unlike "$(vz info "$u")" 'CPU limit:' "vz info: no CPU limit line without a quota"
check "stop" vz stop -k "$u"
like "$(vz info --limits "$u")" 'not running' "vz info --limits of a stopped container says so"
check "stop" vz stop -k "$c"
