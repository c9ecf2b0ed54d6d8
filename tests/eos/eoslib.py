"""Helpers for the exactly-once tests and the raw-topic benchmark: the real
broker started by tests/kafka/broker.sh (CTest fixture kafka_broker), topics
with unique names, newswired instances with a Kafka source, and independent
read_committed consumers (confluent_kafka). Every wait is bounded."""
import os
import subprocess
import sys
import tempfile
import time
import uuid

SKIP = 77
NEWSWIRED = os.environ.get("NEWSWIRED", "newswired")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    if os.environ.get("CI") == "true":
        fail(msg + " (CI=true: the Kafka tests must run)")
    print("SKIP: " + msg, file=sys.stderr)
    sys.exit(SKIP)


def brokers():
    """Bootstrap servers of the test broker: NW_KAFKA_BROKERS, or the state
    directory of tests/kafka/broker.sh (NW_KAFKA_STATE)."""
    b = os.environ.get("NW_KAFKA_BROKERS")
    if b:
        return b
    state = os.environ.get("NW_KAFKA_STATE")
    if state and os.path.exists(os.path.join(state, "bootstrap")):
        with open(os.path.join(state, "bootstrap")) as f:
            return f.read().strip()
    skip("no Kafka broker (set NW_KAFKA_BROKERS or run the kafka_broker "
         "fixture)")


def kafka():
    try:
        import confluent_kafka
        from confluent_kafka import admin
        return confluent_kafka, admin
    except ImportError:
        skip("python3-confluent-kafka missing (use /usr/bin/python3)")


def unique(prefix):
    return "%s.%s" % (prefix, uuid.uuid4().hex[:10])


def create_topics(b, spec):
    """spec: {name: partitions}; waits until all exist."""
    ck, admin = kafka()
    a = admin.AdminClient({"bootstrap.servers": b})
    fs = a.create_topics([admin.NewTopic(t, n, 1) for t, n in spec.items()])
    for t, f in fs.items():
        f.result(30)
    deadline = time.time() + 30
    while time.time() < deadline:
        md = a.list_topics(timeout=5)
        if all(t in md.topics and len(md.topics[t].partitions) == n
               for t, n in spec.items()):
            return
        time.sleep(0.2)
    fail("topics %s not created" % list(spec))


def dispatch_text(n):
    """A distinct, parseable dispatch (distinct text, so a distinct id)."""
    return ("MOSCOW, June 6. /TASS/. Dispatch number %d about the talks. "
            "\"We are pleased with meeting number %d,\" the minister said.\n"
            % (n, n)).encode()


def bad_dispatch(n):
    """Unparseable: binary (NUL bytes)."""
    return b"\x00\x01\x02 not a dispatch %d \x00\xff" % n


class Instance:
    """One `newswired run` with a Kafka source and a Kafka sink."""

    def __init__(self, name, b, raw_topic, group, events_topic, dlt,
                 txn_id=None, exactly_once=True, session_timeout="6s",
                 txn_timeout="10s", sink_type="kafka-txn", extra_sink="",
                 log_level="info", daemon_extra="", tmp=None):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="nweos-%s-" % name, dir=tmp)
        self.conf = os.path.join(self.dir, "newswired.conf")
        self.log = os.path.join(self.dir, "daemon.log")
        sink = ("[sink out]\ntype = %s\nbrokers = %s\ntopic = %s\n"
                "dead_letter_topic = %s\n%s" %
                (sink_type, b, events_topic, dlt, extra_sink))
        if txn_id:
            sink += ("transactional_id = %s\ntransaction_timeout = %s\n"
                     % (txn_id, txn_timeout))
        with open(self.conf, "w") as f:
            f.write("[daemon]\nstate_dir = state\nlog_level = %s\n"
                    "shutdown_timeout = 20s\n%s\n"
                    "[source raw]\ntype = kafka\nbrokers = %s\ntopic = %s\n"
                    "group = %s\nexactly_once = %s\nsession_timeout = %s\n"
                    "sinks = out\n\n%s"
                    % (log_level, daemon_extra, b, raw_topic, group,
                       "yes" if exactly_once else "no", session_timeout,
                       sink))
        self.proc = None

    def start(self):
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [NEWSWIRED, "run", "-c", self.conf], stdout=subprocess.DEVNULL,
            stderr=self.logf, cwd=self.dir)
        return self

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def count(self, word):
        return self.log_text().count(word)

    def kill9(self):
        self.proc.kill()
        self.proc.wait(10)
        self.logf.close()

    def stop(self, timeout=30):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait(10)
        self.logf.close()
        return rc


def consume_all(b, topics, expect, quiet_s=5.0, timeout_s=120.0,
                isolation="read_committed"):
    """Read topics from the beginning with an independent consumer until
    `expect` messages were seen and then nothing new for quiet_s (so late
    duplicates show), or timeout_s. Returns [(topic, key, value, headers)]."""
    ck, _ = kafka()
    c = ck.Consumer({"bootstrap.servers": b, "group.id": unique("check"),
                     "auto.offset.reset": "earliest",
                     "enable.auto.commit": False,
                     "isolation.level": isolation})
    c.subscribe(list(topics))
    out = []
    start = time.time()
    last = time.time()
    try:
        while time.time() - start < timeout_s:
            m = c.poll(0.5)
            if m is None:
                if len(out) >= expect and time.time() - last >= quiet_s:
                    break
                continue
            if m.error():
                continue
            out.append((m.topic(), m.key(), m.value(), m.headers() or []))
            last = time.time()
    finally:
        c.close()
    return out
