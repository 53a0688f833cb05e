#!/bin/bash
# vz ls and vz info: columns, filters, JSON, for running and stopped
# containers, without any monitor needed; the vz-VERB links.
. "$(dirname "$0")/lib.sh"

r=$(cname run)
s=$(cname stop)
p=$(cname priv)
check "create r" vz create "$r" -t busybox -c limits.memory=128M
check "create s" vz create "$s" -t busybox
check "create p" vz create "$p" -t busybox -c privileged=true
check "start r" vz start "$r"

out=$(vz ls)
is "$(head -n1 <<<"$out" | tr -s ' ')" "NAME STATE PID IPV4 IPV6 MEMORY UNPRIVILEGED" "header columns"
row=$(awk -v n="$r" '$1==n' <<<"$out" | tr -s ' ')
like "$row" "^$r RUNNING [0-9]+ - - [0-9.]+[KMG]? yes$" "running row: state, pid, memory, unprivileged"
like "$(awk -v n="$s" '$1==n' <<<"$out" | tr -s ' ')" "^$s STOPPED - - - - yes$" "stopped row"
like "$(awk -v n="$p" '$1==n' <<<"$out" | tr -s ' ')" "^$p STOPPED - - - - no$" "privileged row"
is "$(vz ls -1 | grep "^$TID" | tr '\n' ' ')" "$p $r $s " "-1 lists names, sorted"
is "$(vz ls -1 --running | grep "^$TID" | tr '\n' ' ')" "$r " "--running"
is "$(vz ls -1 --stopped | grep "^$TID" | tr '\n' ' ')" "$p $s " "--stopped"

js=$(vz ls --json)
check "ls --json is valid JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$js"
is "$(python3 -c 'import json,sys; d={c["name"]:c for c in json.loads(sys.argv[1])}; c=d[sys.argv[2]]; print(c["state"], c["unprivileged"], c["pid"]>0, c["memory_bytes"]>0)' "$js" "$r")" \
	"RUNNING True True True" "ls --json: state, unprivileged, pid and memory of the running one"
is "$(python3 -c 'import json,sys; d={c["name"]:c for c in json.loads(sys.argv[1])}; c=d[sys.argv[2]]; print(c["state"], c["pid"], c["unprivileged"])' "$js" "$p")" \
	"STOPPED None False" "ls --json: the stopped privileged one"

info=$(vz info "$r")
like "$info" "State: +RUNNING" "info: state"
like "$info" "PID: +$(init_pid "$r")" "info: init pid"
like "$info" "UID range: +[0-9]+-[0-9]+" "info: uid range"
like "$info" "Memory: +[0-9.]+[KMG]? of 128M" "info: memory usage against the limit"
like "$info" "CPU time: +[0-9.]+ s" "info: cpu time"
like "$info" "PIDs: +[0-9]+" "info: pids count"
like "$info" "Config: +$T/lib/$r/config" "info: config path"
ij=$(vz info --json "$r")
is "$(python3 -c 'import json,sys; c=json.loads(sys.argv[1]); print(c["name"], c["idmap"]["count"], c["pids"]>=1, c["memory_limit_bytes"])' "$ij")" \
	"$r 65536 True 134217728" "info --json: idmap, pids, memory limit"
like "$(vz info "$s")" "State: +STOPPED" "info works for a stopped container"
out=$(vz info "$TID-nosuch" 2>&1)
is "$out" "vz info: container '$TID-nosuch' does not exist" "info of an unknown container"

mkdir -p "$T/bin"
for v in create start ls attach stop destroy info; do ln -sf "$VZ" "$T/bin/vz-$v"; done
l=$(cname link)
check "vz-create works like vz create" "$T/bin/vz-create" "$l" -t busybox
check "vz-start" "$T/bin/vz-start" "$l"
is "$("$T/bin/vz-attach" "$l" -- hostname)" "$l" "vz-attach"
like "$("$T/bin/vz-ls" -1)" "$l" "vz-ls"
check "vz-stop" "$T/bin/vz-stop" "$l"
check "vz-destroy" "$T/bin/vz-destroy" "$l"
out=$(vz -P "$T" ls -1)
like "$out" "$r" "-P DIR before the verb relocates like VZ_PATH"
out=$(VZ_PATH= vz ls -1 -P "$T")
like "$out" "$r" "-P DIR after the verb too"
# A user who cannot read the runtime state gets an error, never a guess.
# (A copy of vz in $T, which anyone may traverse: the build directory may
# sit below one that nobody cannot enter, such as a mktemp -d clone.)
mkdir -p "$T/user-bin" && install -m 0755 "$VZ" "$T/user-bin/vz"
out=$(su nobody -s /bin/sh -c "VZ_PATH=$T $T/user-bin/vz info $r" 2>&1)
rc=$?
[ "$rc" -ne 0 ] && ok "info as a user without access fails (exit $rc)" || not_ok "info as a user without access fails"
like "$out" "cannot tell whether '$r' runs: .*Permission denied \(vz ls and vz info need root\)" "... and says why"
check "stop r" vz stop "$r"
