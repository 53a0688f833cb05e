#!/usr/bin/env python3
"""pty.py: a small pty harness for vz's console tests and benchmarks.

Module (load it by path: its name hides the standard library's pty, unused):
    p = Pty(["vz", "console", "c1"])  # the command runs on a new pty, as its ctty
    p.expect(rb"login:", 10)          # a re.Match, or Failure showing the output
    p.send(b"root\r"); p.output(); p.stty(); p.wait_raw(); p.wait(5); p.kill(sig); p.close()

`pty.py script FILE` (- for stdin) runs a script, a step a line, each
optionally prefixed "ID:" to pick a session (default: the last spawned);
"#" and blank lines are skipped; {pid:ID} is replaced by ID's command's pid.
  spawn CMD ARG...     start CMD (shell-like quoting) on a new pty
  send TEXT            type TEXT (the rest of the line; \\r \\n \\xNN escapes)
  expect [-t S] REGEX  wait up to S s (10) for REGEX in the output not matched yet
  has / reject REGEX   REGEX must / must not occur in the output so far
  raw [S]              wait up to S s (10) for the command to set raw mode
  quiet Q [S]          wait up to S s (30) until no output came for Q s
  sleep S; stall; resume; kill SIG (TERM, STOP, ...)
  wait-exit CODE [S]   wait up to S s (10) for an exit with CODE: a number,
                       -SIG (killed by SIG), any or nonzero
  stty-same            the pty's settings (stty -g) are those before the spawn
  ok DESC / check DESC checkpoints: print "ok DESC" if all went well
A failed step skips the steps up to the next checkpoint, which prints "not ok
DESC" and the reason, indented; after an "ok" every later checkpoint prints
"skip DESC # ...", after a "check" the script goes on. Exit status 0, 1 if a
step failed, 2 for a malformed script. While waiting it reads every session
not stalled, as a terminal would; on exit it kills, by pid, all it started.
PTY_VERBOSE=1 traces the steps on stderr.
"""
import os
import sys

# Keep this file's directory out of the module path, so that no import below
# picks up this file as the standard library's pty module.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import codecs, fcntl, re, select, shlex, signal, struct, subprocess, termios, time  # noqa: E402

WINDOW = 65536  # expect rescans only this much of the output it searched already


class Failure(Exception):
    pass


def show(data, limit=800):
    """The last `limit` bytes of data as readable text."""
    if not data:
        return "(nothing)"
    text = bytes(data[-limit:]).decode("utf-8", "replace").replace("\r\n", "\n")
    return "".join(c if c == "\n" or " " <= c != "\x7f" else "\\x%02x" % ord(c) for c in text)


def pump(sessions, timeout):
    """Read what the sessions' ptys hold, waiting up to timeout s for something."""
    live = {s.master: s for s in sessions if s.reading and s.master >= 0}
    if not live:
        return time.sleep(max(timeout, 0))
    for fd in select.select(list(live), [], [], max(timeout, 0))[0]:
        try:
            live[fd].buf += os.read(fd, 65536)
        except (BlockingIOError, InterruptedError):
            pass


def signum(name):
    sig = getattr(signal, name if name.startswith("SIG") else "SIG" + name, None)
    if not isinstance(sig, signal.Signals):
        raise ValueError("no signal '%s'" % name)
    return int(sig)


class Pty:
    def __init__(self, argv, rows=24, cols=80, env=None):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.before = self.stty()  # a fresh pty's settings: cooked, echo
        os.set_blocking(self.master, False)
        # all output read; where the next expect starts; False: stalled (not read)
        self.buf, self.pos, self.reading = bytearray(), 0, True
        # The child makes the pty its controlling terminal (after setsid) as a
        # login would. Our slave fd stays open: the master then never reports
        # EIO, and stty() still works once the command has exited.
        self.proc = subprocess.Popen(argv, stdin=self.slave, stdout=self.slave, stderr=self.slave,
                                     start_new_session=True, env=env,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        self.pid = self.proc.pid

    def send(self, data):
        data = data.encode() if isinstance(data, str) else data
        while data:
            try:
                data = data[os.write(self.master, data):]
            except BlockingIOError:  # its input is full: keep its output flowing meanwhile
                pump([self], 0.01)

    def until(self, cond, timeout, others=(), tick=0.02):
        """Read (this and others) until cond() holds or timeout s passed; cond()."""
        deadline = time.monotonic() + timeout
        while not cond() and time.monotonic() < deadline:
            pump([self, *others], min(tick, max(deadline - time.monotonic(), 0)))
        return cond()

    def fail(self, what, data=None):
        rc = self.proc.poll()
        raise Failure("%s; %s; %d bytes read in all, the last:\n%s"
                      % (what, "the command runs" if rc is None else "the command exited with %d" % rc,
                         len(self.buf), show(self.buf if data is None else data)))

    def expect(self, regex, timeout=10, others=()):
        pat = re.compile(regex.encode() if isinstance(regex, str) else regex)
        found, searched = [], [self.pos]

        def cond():  # search only what is new, and a window before it
            found[:] = [pat.search(self.buf, max(self.pos, searched[0] - WINDOW))]
            searched[0] = len(self.buf)
            return found[0]
        if not self.until(cond, timeout, others, 0.5):
            self.fail("expected /%s/ within %g s" % (pat.pattern.decode(errors="replace"), timeout),
                      self.buf[self.pos:])
        self.pos = found[0].end()
        return found[0]

    def output(self):
        return bytes(self.buf)

    def stty(self):
        """The pty's settings in the form of `stty -g` (hex fields, colon-separated)."""
        i, o, c, l, _, _, cc = termios.tcgetattr(self.slave)
        return ":".join("%x" % v for v in [i, o, c, l] + [x if isinstance(x, int) else ord(x) for x in cc])

    def wait_raw(self, timeout=10, others=()):
        raw = lambda: not termios.tcgetattr(self.slave)[3] & (termios.ICANON | termios.ECHO)  # noqa: E731
        if not self.until(raw, timeout, others, 0.01):
            self.fail("the pty is not in raw mode after %g s" % timeout)

    def wait_quiet(self, quiet, timeout=30, others=()):
        """Wait until nothing more has come for `quiet` s (the command caught up)."""
        last = [len(self.buf), time.monotonic()]

        def cond():
            if len(self.buf) != last[0]:
                last[:] = [len(self.buf), time.monotonic()]
            return time.monotonic() - last[1] >= quiet
        if not self.until(cond, timeout, others, 0.05):
            self.fail("output still flowing after %g s" % timeout)

    def wait(self, timeout=10, others=()):
        """The exit status (negative: killed by that signal), None if still running."""
        self.until(lambda: self.proc.poll() is not None, timeout, others)
        pump([self, *others], 0)  # what it wrote last
        return self.proc.poll()

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:  # never signal a reaped (maybe reused) pid
            self.proc.send_signal(sig)

    def close(self):
        if self.proc.poll() is None:
            self.kill(signal.SIGKILL)  # works on a stopped command too
            self.proc.wait()
        if self.master >= 0:
            os.close(self.master), os.close(self.slave)
        self.master = self.slave = -1


class Script:
    def __init__(self):
        self.sessions, self.cur, self.t0 = {}, None, time.monotonic()

    def step(self, sid, cmd, arg):
        if cmd == "spawn":
            if sid in self.sessions:
                self.sessions.pop(sid).close()
            self.sessions[sid] = Pty(shlex.split(arg))
            return
        if sid not in self.sessions:
            raise Failure("no session '%s'" % sid)
        s = self.sessions[sid]
        others = [x for x in self.sessions.values() if x is not s]
        num = lambda i, default: float((arg.split() + [default])[i])  # noqa: E731
        if cmd == "send":
            s.send(codecs.escape_decode(arg.encode())[0])
        elif cmd == "expect":
            t, regex = arg[3:].split(" ", 1) if arg.startswith("-t ") else (10, arg)
            s.expect(regex, float(t), others)
        elif cmd in ("has", "reject"):
            m = re.search(arg.encode(), s.buf)
            if cmd == "has" and not m:
                s.fail("/%s/ does not occur in the output" % arg)
            if cmd == "reject" and m:
                s.fail("/%s/ must not occur, but it does" % arg, s.buf[max(m.start() - 300, 0):m.end() + 100])
        elif cmd == "raw":
            s.wait_raw(num(0, "10"), others)
        elif cmd == "quiet":
            s.wait_quiet(num(0, "1"), num(1, "30"), others)
        elif cmd == "sleep":
            s.until(lambda: False, num(0, "1"), others, 0.1)
        elif cmd in ("stall", "resume"):
            s.reading = cmd == "resume"
        elif cmd == "kill":
            s.kill(signum(arg))
        elif cmd == "wait-exit":
            want = (arg.split() or ["?"])[0]
            rc = s.wait(num(1, "10"), others)
            if rc is None:
                s.fail("the command did not exit within %g s" % num(1, "10"))
            good = {"any": True, "nonzero": rc != 0}.get(want)
            if good is None:
                good = rc == (int(want) if want.lstrip("-").isdigit() else -signum(want[1:]))
            if not good:
                s.fail("exit status %d, wanted %s" % (rc, want))
        elif cmd == "stty-same":
            if s.stty() != s.before:
                s.fail("the pty's settings changed:\nbefore %s\nafter  %s" % (s.before, s.stty()))
        else:
            raise ValueError("unknown step '%s'" % cmd)

    def run(self, lines):
        """Runs the steps, prints the checkpoints; returns the exit status."""
        failed, reported, status = None, False, 0  # what failed; its "not ok" printed
        for n, line in enumerate(lines, 1):
            m = re.match(r"(?:([\w.-]+): *)?(\S+) ?(.*)", line.strip())
            if not m or m.group(2).startswith("#"):
                continue
            sid, cmd, arg = m.group(1) or self.cur, m.group(2), m.group(3)
            if cmd in ("ok", "check"):
                if not failed:
                    print("ok " + arg, flush=True)
                elif reported:
                    print("skip %s # not reached: an earlier step failed" % arg, flush=True)
                else:
                    print("not ok %s\n%s" % (arg, failed), flush=True)
                    reported, status = cmd == "ok", 1  # after "check", go on
                    failed = failed if reported else None
                continue
            if failed:
                continue
            try:
                arg = re.sub(r"\{pid:([\w.-]+)\}", lambda x: str(self.sessions[x.group(1)].pid), arg)
                if os.environ.get("PTY_VERBOSE") == "1":
                    print("%7.3f %s: %s %s" % (time.monotonic() - self.t0, sid, cmd, arg), file=sys.stderr)
                if cmd == "spawn":
                    self.cur = sid = sid or "main"
                self.step(sid, cmd, arg)
            except ValueError as e:  # a malformed step: the script is wrong
                print("not ok script line %d: %s: %s" % (n, line.strip(), e), flush=True)
                return 2
            except (Failure, OSError, KeyError) as e:  # KeyError: {pid:ID} of no session
                text = "line %d, %s: %s %s\n%s" % (n, sid, cmd, arg, e)
                failed = "\n".join("  " + x for x in text.splitlines())
        if failed and not reported:
            print("not ok steps after the last checkpoint\n" + failed, flush=True)
        return 1 if failed else status

def main(argv):
    if len(argv) != 3 or argv[1] != "script":
        print("usage: pty.py script FILE (- for stdin); see the top of pty.py", file=sys.stderr)
        return 2
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGHUP, 129)):
        signal.signal(sig, lambda *_, code=code: sys.exit(code))  # so that finally runs
    with (sys.stdin if argv[2] == "-" else open(argv[2])) as f:
        lines = f.read().splitlines()
    script = Script()
    try:
        return script.run(lines)
    finally:
        for s in script.sessions.values():
            s.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
