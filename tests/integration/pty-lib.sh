# tests/integration/pty-lib.sh: sourced after lib.sh by the tests that drive
# vz console through real ptys with pty.py (its steps are described there).
PTY=$VZ_SRC/tests/integration/pty.py
command -v python3 >/dev/null || { echo "Bail out! python3 is needed to drive ptys"; exit 1; }

# pty_script NAME: run the pty.py script read from stdin (kept as
# $T/NAME.pty, its output as $T/NAME.pty.out) and turn its "ok", "not ok"
# and "skip" lines into TAP checks. pty.py kills what it started when it
# exits; should this file die while it runs, the EXIT trap below ends
# pty.py by its pid first.
_pty_pid=
pty_script() {
	local f=$T/$1.pty line desc rc failed=0
	cat >"$f"
	python3 "$PTY" script "$f" >"$f.out" 2>&1 &
	_pty_pid=$!
	wait "$_pty_pid"
	rc=$?
	_pty_pid=
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" ;;
		"not ok "*) not_ok "${line#not ok }"; failed=1 ;;
		"skip "*) desc=${line#skip }; skip "${desc%% # *}" "${desc#* # }" ;;
		*) echo "#   $line" ;;
		esac
	done <"$f.out"
	[ "$rc" -ne 0 ] && [ "$failed" = 0 ] && not_ok "$1: pty.py exited with status $rc"
	return 0
}
# On the way out, pty.py (and with it what it started) ends before lib.sh's
# cleanup destroys the containers.
_end_pty() {
	[ -z "$_pty_pid" ] || { kill "$_pty_pid" 2>/dev/null; wait "$_pty_pid" 2>/dev/null; }
	true
}
trap '_rc=$?; _end_pty; (exit $_rc); _cleanup' EXIT
