"""Helpers for the whole-daemon tests: a temporary spool, a config, a real
`newswired run` process, and polling (never fixed sleeps) for what the test
waits for. Every wait is bounded; a test fails with what it saw."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

NEWSWIRED = os.environ.get("NEWSWIRED", "newswired")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def dispatch_text(n, lang="en"):
    """A distinct, parseable dispatch (distinct text, so a distinct id)."""
    if lang == "ru":
        return ("МОСКВА, 6 июня. /ТАСС/. Сообщение номер %d о переговорах. "
                "\"Мы довольны итогами встречи номер %d\", - заявил министр.\n"
                % (n, n))
    return ("MOSCOW, June 6. /TASS/. Dispatch number %d about the talks. "
            "\"We are pleased with meeting number %d,\" the minister said.\n"
            % (n, n))


class Daemon:
    def __init__(self, name, extra_daemon="", source_extra="", sinks=None,
                 tmp=None):
        self.dir = tmp or tempfile.mkdtemp(prefix="nwd-%s-" % name)
        self.spool = os.path.join(self.dir, "spool")
        self.incoming = os.path.join(self.spool, "incoming")
        self.done = os.path.join(self.spool, "done")
        self.failed = os.path.join(self.spool, "failed")
        self.out = os.path.join(self.dir, "events.jsonl")
        self.conf = os.path.join(self.dir, "newswired.conf")
        self.log = os.path.join(self.dir, "daemon.log")
        os.makedirs(self.incoming, exist_ok=True)
        self.proc = None
        self.logf = None
        self.write_conf(extra_daemon, source_extra, sinks)

    def write_conf(self, extra_daemon="", source_extra="", sinks=None,
                   routes="out"):
        if sinks is None:
            sinks = "[sink out]\ntype = file\npath = events.jsonl\n"
        if "shutdown_timeout" not in extra_daemon:
            extra_daemon = "shutdown_timeout = 20s\n" + extra_daemon
        text = ("[daemon]\nstate_dir = state\n%s\n"
                "[source wire]\ntype = spool\npath = spool\nsinks = %s\n%s\n"
                "%s" % (extra_daemon, routes, source_extra, sinks))
        with open(self.conf + ".tmp", "w") as f:
            f.write(text)
        os.rename(self.conf + ".tmp", self.conf)

    def start(self, args=(), env=None, wrapper=(), stdout=None):
        self.logf = open(self.log, "ab")
        since = len(self.log_text())
        e = dict(os.environ)
        e.pop("NOTIFY_SOCKET", None)
        if env:
            e.update(env)
        self.proc = subprocess.Popen(
            list(wrapper) + [NEWSWIRED, "run", "-c", self.conf] + list(args),
            stdout=stdout if stdout is not None else subprocess.DEVNULL,
            stderr=self.logf, env=e,
            cwd=self.dir)
        self.wait_for(lambda: "started with" in self.log_text()[since:]
                      or self.proc.poll() is not None, 30, "start")
        check(self.proc.poll() is None,
              "daemon exited at start:\n" + self.log_text())

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("daemon did not stop within %ds:\n%s" % (timeout,
                                                          self.log_text()))
        self.logf.close()
        return rc

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.logf.close()

    def log_text(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def events(self, path=None):
        """Complete lines of the output, parsed; a torn line fails."""
        path = path or self.out
        evs = []
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return evs
        for line in data.split(b"\n"):
            if line:
                evs.append(json.loads(line))
        return evs

    def count_lines(self, path=None):
        try:
            with open(path or self.out, "rb") as f:
                return f.read().count(b"\n")
        except FileNotFoundError:
            return 0

    @staticmethod
    def files(d):
        out = []
        for root, _, names in os.walk(d):
            for n in names:
                out.append(os.path.relpath(os.path.join(root, n), d))
        return sorted(out)

    def wait_for(self, cond, timeout, what):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if cond():
                return
            time.sleep(0.02)
        fail("timed out after %ss waiting for %s\nlog tail:\n%s" % (
            timeout, what, self.log_text()[-3000:]))

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def drop_atomic(d, name, text):
    """Write under a temporary name, then rename into the spool."""
    tmp = os.path.join(d, "." + name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, os.path.join(d, name))


def drop_plain(d, name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
