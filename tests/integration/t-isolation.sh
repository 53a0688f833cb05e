#!/bin/bash
# Two containers get disjoint id ranges; files they create land on the host
# with their own uids (the template cache stays owned by uid 0, never
# chowned); neither sees the other's processes.
. "$(dirname "$0")/lib.sh"

a=$(cname a)
b=$(cname b)
check "create a" vz create "$a" -t busybox
check "create b" vz create "$b" -t busybox
ua=$(sed -n 's/^\s*uid = \([0-9]*\);/\1/p' "$T/lib/$a/config")
ub=$(sed -n 's/^\s*uid = \([0-9]*\);/\1/p' "$T/lib/$b/config")
ga=$(sed -n 's/^\s*gid = \([0-9]*\);/\1/p' "$T/lib/$a/config")
like "$ua $ub" '^[0-9]+ [0-9]+$' "both configs record a uid range"
[ "$ua" -ge 1048576 ] && ok "a's range comes from root's subordinate ids" || not_ok "a's range comes from root's subordinate ids ($ua)"
[ $((ua + 65536)) -le "$ub" ] || [ $((ub + 65536)) -le "$ua" ] && ok "the uid ranges are disjoint ($ua, $ub)" || not_ok "the uid ranges are disjoint ($ua, $ub)"

check "start a" vz start "$a"
check "start b" vz start "$b"
check "a: create /root/made-by-a" vz attach "$a" -- touch /root/made-by-a
check "b: create /tmp/made-by-b as uid 1000" vz attach --uid 1000 "$b" -- touch /tmp/made-by-b
is "$(stat -c %u:%g "$T/lib/$a/delta/root/made-by-a")" "$ua:$ga" "a's file lands in its delta owned by its root ($ua)"
is "$(stat -c %u "$T/lib/$b/delta/tmp/made-by-b")" "$((ub + 1000))" "b's uid 1000 lands as host uid $((ub + 1000))"
is "$(vz attach "$a" -- stat -c %u:%g /root/made-by-a)" "0:0" "inside a, its file is owned by root"
is "$(vz attach "$a" -- stat -c %u:%g /bin/busybox)" "0:0" "inside a, template files are owned by root"
lower=$(sed -n 's/^\s*lower = "\(.*\)";/\1/p' "$T/lib/$a/config")
is "$(stat -c %u "$T/cache/$lower/bin/busybox")" 0 "on the host the template cache stays owned by uid 0"
check "a modifies a template file (copy-up)" vz attach "$a" -- sh -c 'echo changed >> /etc/profile'
is "$(stat -c %u "$T/lib/$a/delta/etc/profile")" "$ua" "the copy lands in a's delta with a's uid"
unlike "$(cat "$T/cache/$lower/etc/profile")" changed "the shared cache is unchanged"
unlike "$(vz attach "$b" -- cat /etc/profile)" changed "b does not see a's change"
check "a deletes a template file" vz attach "$a" -- rm /etc/os-release
check "b still has it" vz attach "$b" -- test -e /etc/os-release

vz attach "$b" -- sleep 300 </dev/null &
bg=$!
sleep 0.3
unlike "$(vz attach "$a" -- ps -o comm)" 'sleep' "a does not see b's processes"
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
check "write a file in a" vz attach "$a" -- sh -c 'echo secret > /root/x'
check_fails "b cannot see a's files" vz attach "$b" -- cat /root/x
check "stop a" vz stop -k "$a"
check "stop b" vz stop -k "$b"
