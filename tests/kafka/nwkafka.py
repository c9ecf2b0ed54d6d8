"""Shared helpers of the Kafka integration tests: the real broker started by
broker.sh (CTest fixture kafka_broker), a spool with generated dispatches, a
`newswired run` process, and independent consumers (confluent_kafka, kcat).
Run with /usr/bin/python3 (Debian's python3-confluent-kafka, -jsonschema)."""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
BROKER_SH = os.path.join(HERE, "broker.sh")


def say(*a):
    print(*a, flush=True)


def skip_or_fail(why):
    """No broker: a skip for a developer, a failure under CI=true."""
    if os.environ.get("CI") == "true":
        say("FAIL: " + why + " (CI=true: the Kafka tests must run)")
        sys.exit(1)
    say("SKIP: " + why)
    sys.exit(SKIP)


def bootstrap():
    state = os.environ.get("NW_KAFKA_STATE")
    if not state:
        skip_or_fail("NW_KAFKA_STATE is not set (run through ctest)")
    try:
        with open(os.path.join(state, "bootstrap")) as f:
            addr = f.read().strip()
    except OSError:
        skip_or_fail("no broker (the kafka_broker fixture did not start one)")
    if subprocess.run([BROKER_SH, "status"], capture_output=True).returncode:
        skip_or_fail("the broker at %s is not running" % addr)
    return addr


def broker(cmd):
    t = time.monotonic()
    subprocess.run([BROKER_SH, cmd], check=True)
    return time.monotonic() - t


def newswired():
    exe = os.environ.get("NEWSWIRED")
    if not exe or not os.access(exe, os.X_OK):
        say("FAIL: NEWSWIRED does not name the built binary")
        sys.exit(1)
    return exe


def check(cond, what):
    if not cond:
        say("FAIL: " + what)
        raise SystemExit(1)
    say("ok: " + what)


# Dispatches -----------------------------------------------------------------

CITIES = ["MOSCOW", "ST. PETERSBURG", "VLADIVOSTOK", "KAZAN", "NOVOSIBIRSK"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
PEOPLE = [("Deputy Energy Minister", "Pavel Sorokin"),
          ("Foreign Ministry Spokeswoman", "Maria Zakharova"),
          ("Kremlin Spokesman", "Dmitry Peskov"),
          ("Economy Minister", "Maxim Reshetnikov")]


def dispatch(i, tag):
    """A TASS-style English dispatch; i and tag make its text (and so its
    event id) unique."""
    r = random.Random("%s-%d" % (tag, i))
    city = r.choice(CITIES)
    title, name = r.choice(PEOPLE)
    month = r.choice(MONTHS)
    day = r.randint(1, 28)
    n = "%s-%06d" % (tag, i)
    return (
        "Officials discuss the regional programme number %s\n\n"
        "%s, %s %d. /TASS/. The government will review programme %s next "
        "week, %s %s told reporters on %s.\n\n"
        "\"We expect the programme to be completed on time and within the "
        "budget that was approved,\" %s said.\n\n"
        "The review of item %s was requested by several regions, according "
        "to the ministry.\n" % (n, city, month, day, n, title, name,
                                 r.choice(["Monday", "Tuesday", "Friday"]),
                                 name.split()[-1], n))


def bad_dispatch(i):
    """Unparseable: binary with NUL bytes (reason "binary")."""
    return b"\x00\x01\x02 not a dispatch %d \x00" % i


class Spool:
    def __init__(self, root):
        self.root = root
        for d in ("incoming", "done", "failed"):
            os.makedirs(os.path.join(root, d), exist_ok=True)

    def path(self, d):
        return os.path.join(self.root, d)

    def drop(self, name, data):
        """Write under a temporary name and rename: atomic for the daemon."""
        if isinstance(data, str):
            data = data.encode()
        tmp = os.path.join(self.root, "incoming", "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.root, "incoming", name))

    def names(self, d):
        try:
            return set(n for n in os.listdir(self.path(d))
                       if not n.startswith(".") and not n.endswith(".error.json"))
        except FileNotFoundError:
            return set()

    def count(self, d):
        return len(self.names(d))


# The daemon -----------------------------------------------------------------

class Daemon:
    def __init__(self, workdir, brokers, topic, dlt, spool, extra="",
                 shutdown="20s", log_level=None, daemon_extra=""):
        self.workdir = workdir
        self.conf = os.path.join(workdir, "newswired.conf")
        self.log = os.path.join(workdir, "newswired.log")
        self.proc = None
        self.starts = 0
        with open(self.conf, "w") as f:
            f.write(
                "[daemon]\n"
                "state_dir = %s\n"
                "log_level = %s\n"
                "shutdown_timeout = %s\n"
                "%s"
                "\n[source wire]\n"
                "type = spool\n"
                "path = %s\n"
                "sinks = bus\n"
                "\n[sink bus]\n"
                "type = kafka\n"
                "brokers = %s\n"
                "topic = %s\n"
                "dead_letter_topic = %s\n"
                "statistics_interval = 5s\n"
                "%s" % (os.path.join(workdir, "state"),
                        log_level or os.environ.get("NW_TEST_LOG_LEVEL", "info"),
                        shutdown, daemon_extra, spool.root,
                        brokers,
                        topic, dlt, extra))

    def start(self):
        self.starts += 1
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen([newswired(), "run", "-c", self.conf],
                                     stdout=logf, stderr=logf,
                                     stdin=subprocess.DEVNULL)
        logf.close()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self, timeout=60):
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout"
        self.proc = None
        return rc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def logtail(self, n=40):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


def wait_for(pred, timeout, what, daemon=None, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        if daemon is not None and daemon.proc is not None and not daemon.alive():
            say("daemon exited early (rc %s); log:\n%s" %
                (daemon.proc.returncode, daemon.logtail()))
            raise SystemExit(1)
        time.sleep(step)
    say("FAIL: timed out after %ss waiting for %s" % (timeout, what))
    if daemon is not None:
        say(daemon.logtail())
    raise SystemExit(1)


def workdir(name):
    base = os.environ.get("NW_TEST_TMP") or tempfile.gettempdir()
    d = tempfile.mkdtemp(prefix="nw-%s-" % name, dir=base)
    return d


def unique_topic(name):
    return "nwtest.%s.%s" % (name, uuid.uuid4().hex[:8])


# Consumers ------------------------------------------------------------------

def consume(brokers, topic, expect, timeout=60, idle=3.0):
    """Every message of topic (all partitions, from the start), read with
    confluent_kafka: a list of (key, value, headers dict, partition, offset).
    Stops at `expect` messages plus `idle` seconds of nothing more."""
    from confluent_kafka import Consumer, KafkaError
    c = Consumer({"bootstrap.servers": brokers,
                  "group.id": "nwtest-" + uuid.uuid4().hex,
                  "auto.offset.reset": "earliest",
                  "enable.auto.commit": False,
                  "isolation.level": "read_committed"})
    c.subscribe([topic])
    out = []
    end = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() < end:
        msgs = c.consume(500, 0.2)
        for m in msgs:
            if m.error():
                if m.error().code() != KafkaError._PARTITION_EOF:
                    say("consumer: %s" % m.error())
                continue
            h = {}
            for k, v in (m.headers() or []):
                h[k] = v.decode() if v is not None else None
            out.append((m.key().decode() if m.key() else None, m.value(), h,
                        m.partition(), m.offset()))
            last = time.monotonic()
        if len(out) >= expect and time.monotonic() - last > idle:
            break
    c.close()
    return out


def kcat_count(brokers, topic):
    """How many messages kcat (an independent client) reads from topic."""
    p = subprocess.run(["kcat", "-b", brokers, "-C", "-t", topic, "-e", "-q",
                        "-f", "%k\\n"], capture_output=True, timeout=120)
    if p.returncode != 0:
        say("kcat failed: %s" % p.stderr.decode(errors="replace"))
        raise SystemExit(1)
    return [l for l in p.stdout.decode().split("\n") if l]


def load_schema():
    root = os.path.dirname(os.path.dirname(HERE))
    path = os.environ.get("NW_EVENT_SCHEMA") or os.path.join(
        root, "docs", "event.schema.json")
    try:
        with open(path) as f:
            return json.load(f)
    except OSError:
        say("FAIL: %s is missing: the events cannot be validated" % path)
        raise SystemExit(1)


def validator():
    import jsonschema
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def event_file(value):
    """The spool file an event came from (its source.uri)."""
    ev = json.loads(value)
    uri = (ev.get("source") or {}).get("uri") or ""
    return os.path.basename(uri)


def cleanup(path):
    if os.environ.get("NW_TEST_KEEP"):
        say("kept " + path)
        return
    shutil.rmtree(path, ignore_errors=True)
