#!/usr/bin/python3
"""Raw-topic benchmarks (programs, not tests) against the local real broker.

  bench_raw.py throughput [-n 20000] [--instances 1 2]
      N raw dispatches on a 6-partition topic; K newswired instances in one
      group (Kafka source, exactly_once, transactional kafka-txn sink) turn
      them into events. Dispatches/s is measured from the group's committed
      offsets (which the transactions commit): from the first committed
      progress to the last, so group joining is not counted. Then, as the
      yardstick, `kcat -C | kcat -P` copies the same raw topic to another
      (idempotent producer, no parsing, no transactions): its ratio is
      printed too.

  bench_raw.py rss [-n 1000000] [--rate 10000] [--every 5]
      One instance while a generator produces N dispatches to the raw topic
      at a steady rate, as it goes (nothing is stored up front). VmRSS and
      VmHWM of the daemon are sampled from /proc/PID/status.

Broker: NW_KAFKA_BROKERS, or the state directory of tests/kafka/broker.sh
(NW_KAFKA_STATE, default as in broker.sh)."""
import argparse
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "eos"))
import eoslib as E  # noqa: E402

PARTS = 6


class Committed:
    """Polls a group's committed offsets with one long-lived client."""

    def __init__(self, ck, b, group, topic):
        self.ck = ck
        self.c = ck.Consumer({"bootstrap.servers": b, "group.id": group,
                              "enable.auto.commit": False})
        self.tps = [ck.TopicPartition(topic, p) for p in range(PARTS)]

    def total(self):
        tps = self.c.committed(self.tps, timeout=10)
        return sum(tp.offset for tp in tps if tp.offset >= 0)

    def close(self):
        self.c.close()


def produce(ck, b, topic, n, rate=0.0, progress=None, start=0):
    p = ck.Producer({"bootstrap.servers": b, "linger.ms": 20,
                     "batch.num.messages": 5000,
                     "queue.buffering.max.messages": 200000,
                     "compression.type": "none"})
    t0 = time.time()
    for i in range(start, start + n):
        while True:
            try:
                p.produce(topic, value=E.dispatch_text(i),
                          headers=[("newswired-uri", b"bench:%d" % i)])
                break
            except BufferError:
                p.poll(0.05)
        if i % 1000 == 0:
            p.poll(0)
            if progress is not None:
                progress[0] = i - start
            if rate > 0:
                ahead = (i - start) / rate - (time.time() - t0)
                if ahead > 0:
                    time.sleep(ahead)
    p.flush(120)
    if progress is not None:
        progress[0] = n


def instance(b, raw, group, i, tmp, events, log_level="warning",
             max_inflight=None, sink=()):
    extra = "max_inflight = %d\n" % max_inflight if max_inflight else ""
    return E.Instance("bench%d" % i, b, raw, group, events,
                      events + ".dlt", txn_id="%s-%d" % (group, i),
                      daemon_extra=extra,
                      extra_sink="".join("%s\n" % kv for kv in sink),
                      session_timeout="10s", txn_timeout="30s",
                      log_level=log_level, tmp=tmp)


def throughput(a, ck, b):
    raw = E.unique("bench.raw")
    E.create_topics(b, {raw: PARTS})
    produce(ck, b, raw, a.n)
    results = []
    for k in a.instances:
        group = E.unique("bench-group")
        insts = []
        # All instances publish to one events topic of their run.
        events = E.unique("bench.events")
        for i in range(k):
            inst = instance(b, raw, group, i, a.tmp, events,
                            max_inflight=a.max_inflight, sink=a.sink)
            insts.append(inst.start())
        cm = Committed(ck, b, group, raw)
        t_first = first = None
        deadline = time.time() + a.timeout
        try:
            while time.time() < deadline:
                tot = cm.total()
                now = time.time()
                if first is None and tot > 0:
                    t_first, first = now, tot
                if tot >= a.n:
                    break
                time.sleep(0.1)
        finally:
            cm.close()
            for i in insts:
                i.stop()
        if tot < a.n or t_first is None or now <= t_first:
            print("instances=%d: only %d of %d committed" % (k, tot, a.n))
            results.append((k, float("nan")))
            continue
        rate = (tot - first) / (now - t_first)
        print("instances=%d: %.0f dispatches/s (%d dispatches in %.2f s after "
              "the first commit)" % (k, rate, tot - first, now - t_first))
        results.append((k, rate))
    pipe = kcat_pipe(b, raw, a.n)
    print("kcat -C | kcat -P: %.0f dispatches/s" % pipe)
    for k, rate in results:
        print("ratio instances=%d / kcat pipe: %.2f" % (k, rate / pipe))
    return results


def kcat_pipe(b, raw, n):
    """Copies the raw topic with a kcat pipe; dispatches/s, from start to
    the producer's exit (all delivered). A record separator that no
    dispatch holds keeps multi-line texts whole."""
    import subprocess
    out = E.unique("bench.kcatpipe")
    E.create_topics(b, {out: PARTS})
    t0 = time.time()
    c = subprocess.Popen(["kcat", "-b", b, "-C", "-t", raw, "-o", "beginning",
                          "-e", "-q", "-c", str(n), "-D", "\x1e"],
                         stdout=subprocess.PIPE)
    subprocess.run(["kcat", "-b", b, "-P", "-t", out, "-D", "\x1e",
                    "-X", "enable.idempotence=true", "-X", "linger.ms=5"],
                   stdin=c.stdout, check=True)
    c.stdout.close()
    c.wait()
    secs = time.time() - t0
    # Counted back, so that a pipe that copied less is not taken for a
    # fast one.
    got = subprocess.run(["kcat", "-b", b, "-C", "-t", out, "-o", "beginning",
                          "-e", "-q", "-f", "x\n"], capture_output=True,
                         check=True, timeout=300).stdout.count(b"x\n")
    if got != n:
        print("kcat pipe copied %d of %d" % (got, n))
    return n / secs


def status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out


def rss(a, ck, b):
    raw = E.unique("bench.raw")
    E.create_topics(b, {raw: PARTS})
    group = E.unique("bench-group")
    inst = instance(b, raw, group, 0, a.tmp, E.unique("bench.events"),
                    max_inflight=a.max_inflight, sink=a.sink).start()
    cm = Committed(ck, b, group, raw)
    progress = [0]
    th = threading.Thread(target=produce, args=(ck, b, raw, a.n, a.rate,
                                                progress))
    samples = []
    t0 = time.time()
    th.start()
    try:
        deadline = t0 + a.timeout
        while time.time() < deadline:
            time.sleep(a.every)
            if inst.proc.poll() is not None:
                print("daemon exited %s" % inst.proc.returncode)
                break
            st = status(inst.proc.pid)
            done = cm.total()
            samples.append((time.time() - t0, progress[0], done,
                            st["VmRSS"], st["VmHWM"]))
            print("  t=%6.1fs produced=%8d processed=%8d VmRSS=%7d kB "
                  "VmHWM=%7d kB" % samples[-1], flush=True)
            if done >= a.n:
                break
    finally:
        th.join(a.timeout)
        cm.close()
        inst.stop(60)
    if not samples:
        return None
    end = samples[-1]
    # "Flat": the peak reached after a tenth of the run is the final peak.
    tenth = next((s for s in samples if s[2] >= a.n / 10), samples[0])
    return {"n": a.n, "processed": end[2], "secs": end[0],
            "hwm": end[4], "hwm_at_10pct": tenth[4], "rss_end": end[3],
            "rss_min": min(s[3] for s in samples),
            "rss_max": max(s[3] for s in samples)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["throughput", "rss"])
    ap.add_argument("-n", type=int)
    ap.add_argument("--instances", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rate", type=float, default=10000)
    ap.add_argument("--every", type=float, default=5)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--newswired",
                    default=os.path.join(ROOT, "build", "newswired"))
    ap.add_argument("--tmp", default=None)
    ap.add_argument("--max-inflight", type=int, default=None,
                    help="[daemon] max_inflight of the instances (default: "
                    "the daemon's); a transaction commits at half of it")
    ap.add_argument("--sink", action="append", default=[],
                    help="KEY=VALUE for the kafka-txn sink (commit_max, "
                    "commit_interval, kafka.linger.ms)")
    a = ap.parse_args()
    E.NEWSWIRED = a.newswired
    b = E.brokers()
    ck, _ = E.kafka()
    if a.mode == "throughput":
        a.n = a.n or 20000
        throughput(a, ck, b)
    else:
        a.n = a.n or 1000000
        r = rss(a, ck, b)
        if r:
            print("rss: %(processed)d of %(n)d dispatches in %(secs).0f s; "
                  "VmHWM %(hwm)d kB at the end, %(hwm_at_10pct)d kB after "
                  "10%%; VmRSS %(rss_min)d..%(rss_max)d kB" % r)


if __name__ == "__main__":
    main()
