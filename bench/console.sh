#!/bin/bash
# Console figures (doc/console.md), through real ptys (tests/integration/pty.py):
# - keystroke echo latency: one byte typed on the client's terminal, through
#   vz console and the monitor to the container's tty, echoed by its line
#   discipline (cat runs in the foreground of a root shell on /dev/console)
#   and back to the client's terminal; median and p90 of KEYS (1000);
# - throughput: MB (100) MB written to /dev/console inside the container
#   (head | tr, through vz attach) with 0, 1 and 4 clients attached, each
#   reading its terminal as fast as it can; MB/s, median of RUNS (3), and
#   the share of the output the clients received (the rest was dropped for
#   them, and marked: the container never waits for a client). The same
#   pipeline into /dev/null gives the writer's ceiling, and through a bare
#   pty pair on the host (no vz) the kernel pty's.
. "$(dirname "$0")/lib.sh"
KEYS=${KEYS:-1000} MB=${MB:-100} RUNS=${RUNS:-3}
c=$BID-con
vz create "$c" -t busybox >/dev/null
vz start "$c"
python3 - "$VZ_SRC/tests/integration/pty.py" "$VZ" "$c" "$KEYS" "$MB" "$RUNS" <<'PY'
import importlib.util, os, select, statistics, subprocess, sys, time
spec = importlib.util.spec_from_file_location("vzpty", sys.argv[1])  # not the stdlib pty
vzpty = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vzpty)
vz, c, keys, mb, runs = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
clients = []

def attach():
    p = vzpty.Pty([vz, "console", c])
    clients.append(p)
    p.expect(rb"connected to", 10)
    p.wait_raw(10)
    return p

def read_byte(p, want, timeout=5):
    """Read p's pty until the byte `want` comes; nothing else is expected."""
    deadline, seen = time.monotonic() + timeout, b""
    while True:
        if not select.select([p.master], [], [], max(deadline - time.monotonic(), 0))[0]:
            raise SystemExit("bench: no echo of %r within %d s (got %r)" % (want, timeout, seen[-200:]))
        seen += os.read(p.master, 4096)
        if want in seen:
            return

def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

try:
    # Latency.
    p = attach()
    p.expect(rb"login:", 20)
    p.send(b"root\r")
    p.expect(rb"root@[^ :]*:[^#]*#", 10)
    p.send(b"stty sane; exec cat >/dev/null\r")  # canonical mode, echo, icrnl
    p.expect(rb"exec cat >/dev/null\r\n", 10)
    time.sleep(0.3)
    vzpty.pump([p], 0.2)
    lat = []
    for i in range(keys):
        if i % 64 == 63:  # keep the line short: Enter, not timed
            p.send(b"\r")
            read_byte(p, b"\n")
        k = bytes([ord("a") + i % 26])
        t0 = time.perf_counter()
        os.write(p.master, k)
        read_byte(p, k)
        lat.append((time.perf_counter() - t0) * 1000)
    p.send(b"\x04")  # EOF: cat ends, so does the shell (exec); getty comes back
    p.send(b"\x01q")
    p.wait(5)
    print("keystroke echo latency:         %.3f ms median, %.3f ms p90 (%d keys)"
          % (statistics.median(lat), percentile(lat, 0.9), keys))

    # Throughput.
    def write(target):
        cmd = [vz, "attach", c, "--", "sh", "-c",
               'head -c %d /dev/zero | tr "\\0" x >%s' % (mb * 1000000, target)]
        got = {x.master: 0 for x in clients}  # the x's each client's terminal received
        t0 = time.perf_counter()
        w = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        while w.poll() is None:
            for fd in select.select(list(got), [], [], 0.01)[0]:
                got[fd] += os.read(fd, 1 << 20).count(b"x")
        secs = time.perf_counter() - t0
        if w.returncode != 0:
            raise SystemExit("bench: the writer exited with %d" % w.returncode)
        return mb / secs, [n / (mb * 1000000) for n in got.values()]

    rates = [write("/dev/null")[0] for _ in range(runs)]
    print("%-32s %.0f MB/s (median of %d)" % ("%d MB into /dev/null (ceiling):" % mb, statistics.median(rates), runs))

    # What a bare pty pair moves on this machine, without vz: the same
    # pipeline into a pty's slave, its master read as fast as possible.
    def bare_pty():
        m, sl = os.openpty()
        t0 = time.perf_counter()
        w = subprocess.Popen(["sh", "-c", 'head -c %d /dev/zero | tr "\\0" x' % (mb * 1000000)],
                             stdin=subprocess.DEVNULL, stdout=sl)
        os.close(sl)
        n = 0
        while True:
            try:
                d = os.read(m, 1 << 20)
            except OSError:  # EIO: the slave is closed
                break
            if not d:
                break
            n += len(d)
        w.wait()
        os.close(m)
        return n / 1e6 / (time.perf_counter() - t0)
    rates = [bare_pty() for _ in range(runs)]
    print("%-32s %.0f MB/s (median of %d)" % ("%d MB through a bare pty (no vz):" % mb, statistics.median(rates), runs))
    for n in (0, 1, 4):
        while len(clients) > n:
            clients.pop().close()
        while len(clients) < n:
            attach()
        res = [write("/dev/console") for _ in range(runs)]
        share = [s for _, ss in res for s in ss]
        label = "%d MB to /dev/console, %d client%s:" % (mb, n, "" if n == 1 else "s")
        print("%-32s %.0f MB/s (median of %d)%s"
              % (label, statistics.median(r for r, _ in res), runs,
                 "; clients received %.0f%% of it (median)" % (100 * statistics.median(share)) if n else ""))
finally:
    for x in clients:
        x.close()
PY
if command -v lxc-console >/dev/null; then
	echo "lxc: lxc-console is installed: its figures could be measured the same way (not scripted yet)"
else
	echo "lxc: not installed (no lxc-console), no comparison"
fi
