"""Helpers for the whole-daemon HTTP tests: run `newswired run` on a config
in a temporary directory, wait for conditions, read the JSON Lines sink, and
scrape /metrics with a strict Prometheus text-format parser."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg, flush=True)


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    fail("timed out after %ss waiting for %s" % (timeout, what))


class Daemon:
    def __init__(self, binary, workdir, conf):
        self.binary = binary
        self.dir = workdir
        self.conf = os.path.join(workdir, "newswired.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.logpath = os.path.join(workdir, "daemon.log")
        self.proc = None

    def start(self):
        self.logf = open(self.logpath, "a")
        self.proc = subprocess.Popen([self.binary, "run", "-c", self.conf],
                                     stdout=self.logf, stderr=self.logf,
                                     cwd=self.dir)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            fail("daemon did not stop within %ss" % timeout)
        self.logf.close()
        self.proc = None
        return rc

    def log(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()

    def log_has(self, pattern):
        return re.search(pattern, self.log())


def events(path):
    """The sink's complete lines as JSON objects."""
    try:
        with open(path) as f:
            data = f.read()
    except FileNotFoundError:
        return []
    lines = data.split("\n")
    return [json.loads(l) for l in lines[:-1] if l.strip()]


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?'
                     r' ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf))'
                     r'( -?[0-9]+)?$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')


def parse_prometheus(text):
    """Strict parse of the text exposition format 0.0.4. Returns
    {name: {frozenset(labels): value}} and {family: type}. Fails the test on
    any line that is not valid."""
    samples, types = {}, {}
    for n, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in (
                    "counter", "gauge", "histogram", "summary", "untyped"):
                fail("metrics line %d: bad TYPE: %r" % (n, line))
            if parts[2] in types:
                fail("metrics line %d: TYPE repeated for %s" % (n, parts[2]))
            types[parts[2]] = parts[3]
            continue
        if line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            fail("metrics line %d: not a sample: %r" % (n, line))
        name, lbl = m.group(1), m.group(3) or ""
        labels, pos = {}, 0
        while pos < len(lbl):
            lm = _LABEL.match(lbl, pos)
            if not lm:
                fail("metrics line %d: bad labels: %r" % (n, line))
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in types and family not in types:
            fail("metrics line %d: sample before its TYPE: %r" % (n, line))
        samples.setdefault(name, {})[frozenset(labels.items())] = float(
            m.group(4).replace("+Inf", "inf"))
    return samples, types


def scrape(admin):
    with urllib.request.urlopen("http://%s/metrics" % admin, timeout=10) as r:
        ctype = r.headers.get("Content-Type", "")
        body = r.read().decode()
    if not ctype.startswith("text/plain"):
        fail("/metrics Content-Type is %r" % ctype)
    return parse_prometheus(body) + (body,)


def metric(samples, name, **labels):
    """The sample's value (0 when absent, as Prometheus would treat it)."""
    want = set(labels.items())
    total = None
    for lset, v in samples.get(name, {}).items():
        if want <= set(lset):
            total = (total or 0) + v
    return total or 0
