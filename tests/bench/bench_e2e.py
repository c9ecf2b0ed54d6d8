#!/usr/bin/python3
"""End-to-end benchmark (a program, not a test): drops N dispatches into a
spool watched by `newswired run` with a Kafka sink on the local real broker
(tests/kafka/broker.sh), and reports dispatches/s and the p50/p99 latency from
the moment a file is closed (renamed into incoming/) to the moment the daemon
moves it to done/, which it does right after the broker confirmed its event.
Then `kcat -P` produces the very same rendered events (read back from the
topic) to the same broker, with idempotence too, as the ceiling.

  tests/bench/bench_e2e.py [-n 10000] [--rate R] [--max-inflight N]
                           [--newswired build/newswired] [--peer PROGRAM]
                           [--kafka KEY=VALUE ...] [--workers N]

--peer runs a yardstick forwarder (../shared/tools/peer-spool-kafka: SPOOL
BROKERS TOPIC) on the very same files, all in its incoming/ before it starts,
against the same broker, and prints its rate and the ratio. --kafka passes
librdkafka settings to the daemon's Kafka sink (linger.ms, batch.size).

--rate paces the drops (dispatches/s) for latency under a steady load; the
default drops them as fast as it can (throughput). Uses NW_KAFKA_STATE like
the tests, and starts the broker there if it is not running."""
import argparse
import ctypes
import ctypes.util
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "kafka"))
import nwkafka as K  # noqa: E402

IN_MOVED_TO = 0x00000080


class Inotify:
    """IN_MOVED_TO events of one directory, with their arrival times."""

    def __init__(self, path):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = libc.inotify_init1(0)
        if self.fd < 0 or libc.inotify_add_watch(
                self.fd, path.encode(), IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), "inotify")
        self.seen = {}

    def run(self, want, prefix):
        while sum(1 for n in self.seen if n.startswith(prefix)) < want:
            buf = os.read(self.fd, 1 << 20)
            now = time.monotonic()
            off = 0
            while off < len(buf):
                _, mask, _, ln = struct.unpack_from("iIII", buf, off)
                name = buf[off + 16:off + 16 + ln].rstrip(b"\0").decode()
                off += 16 + ln
                if mask & IN_MOVED_TO and name not in self.seen:
                    self.seen[name] = now


def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    i = min(len(sorted_vals) - 1, int(round(p / 100.0 * (len(sorted_vals) - 1))))
    return sorted_vals[i]


def peer(a, brokers, wd, staging_names):
    """The yardstick on the same dispatches: all in its incoming/ first
    (it lists the directory once), then timed from start to exit."""
    pspool = K.Spool(os.path.join(wd, "peer"))
    inc = pspool.path("incoming")
    for i, name in enumerate(staging_names):
        with open(os.path.join(inc, name), "wb") as f:
            f.write(K.dispatch(i, "peer").encode())
    ptopic = K.unique_topic("benchpeer")
    subprocess.run(["kcat", "-b", brokers, "-P", "-t", ptopic],
                   input=b"warm\n", check=True)
    t0 = time.monotonic()
    subprocess.run([a.peer, pspool.root, brokers, ptopic], check=True,
                   stdout=subprocess.DEVNULL)
    return len(staging_names) / (time.monotonic() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--rate", type=float, default=0.0)
    ap.add_argument("--newswired", default=os.path.join(ROOT, "build", "newswired"))
    ap.add_argument("--max-inflight", type=int, default=0,
                    help="[daemon] max_inflight (default: the daemon's)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--peer", default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--kafka", action="append", default=[],
                    help="KEY=VALUE for the Kafka sink (librdkafka)")
    a = ap.parse_args()
    os.environ["NEWSWIRED"] = os.path.abspath(a.newswired)
    if subprocess.run([K.BROKER_SH, "status"], capture_output=True).returncode:
        subprocess.run([K.BROKER_SH, "start"], check=True)
    brokers = K.bootstrap()

    wd = tempfile.mkdtemp(prefix="nw-bench-")
    spool = K.Spool(wd + "/spool")
    topic = K.unique_topic("bench")
    dextra = "max_inflight = %d\n" % a.max_inflight if a.max_inflight else ""
    if a.workers is not None:
        dextra += "workers = %d\n" % a.workers
    d = K.Daemon(wd, brokers, topic, K.unique_topic("benchdead"), spool,
                 daemon_extra=dextra,
                 extra="".join("kafka.%s\n" % kv for kv in a.kafka))
    d.start()
    # Warm-up: producer id, metadata, topic creation, page cache.
    for i in range(50):
        spool.drop("w%03d.txt" % i, K.dispatch(i, "warm" + topic))
    K.wait_for(lambda: spool.count("done") == 50, 60, "warm-up", d)

    # Written beforehand (same filesystem), so that the drop is a rename
    # and the benchmark measures the daemon, not this script's writes.
    staging = os.path.join(wd, "staging")
    os.makedirs(staging)
    names = ["b%06d.txt" % i for i in range(a.n)]
    for i, name in enumerate(names):
        with open(os.path.join(staging, name), "wb") as f:
            f.write(K.dispatch(i, topic).encode())
    ino = Inotify(spool.path("done"))
    closed = {}
    t_watch = threading.Thread(target=ino.run, args=(a.n, "b"), daemon=True)
    t_watch.start()
    inc = spool.path("incoming")
    t0 = time.monotonic()
    for i, name in enumerate(names):
        if a.rate > 0:
            due = t0 + i / a.rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
        os.rename(os.path.join(staging, name), os.path.join(inc, name))
        closed[name] = time.monotonic()
    t_dropped = time.monotonic()
    t_watch.join(timeout=600)
    if t_watch.is_alive():
        print("timed out waiting for done/")
        d.stop()
        return 1
    t1 = max(ino.seen[n] for n in closed if n in ino.seen)
    rc = d.stop()
    lost = [n for n in closed if n not in ino.seen]
    if lost or rc != 0:
        print("daemon: %d files never reached done/, exit %s" % (len(lost), rc))
        print(d.logtail())
        return 1
    lat = sorted((ino.seen[n] - closed[n]) * 1000.0 for n in closed)
    e2e = a.n / (t1 - t0)

    # The same rendered events, read back from the topic, for kcat -P.
    events = os.path.join(wd, "events.tsv")
    with open(events, "wb") as f:
        subprocess.run(["kcat", "-b", brokers, "-C", "-t", topic, "-e", "-q",
                        "-f", "%k\t%s\n"], stdout=f, check=True, timeout=300)
    with open(events, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l][:a.n]
    with open(events, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
    size = sum(len(l) for l in lines)
    ceiling_topic = K.unique_topic("benchkcat")
    # Create the topic first so both runs start with known partitions.
    subprocess.run(["kcat", "-b", brokers, "-P", "-t", ceiling_topic, "-K",
                    "\t"], input=lines[0] + b"\n", check=True)
    k0 = time.monotonic()
    subprocess.run(["kcat", "-b", brokers, "-P", "-t", ceiling_topic,
                    "-K", "\t", "-X", "enable.idempotence=true",
                    "-X", "linger.ms=5", "-l", events], check=True)
    k1 = time.monotonic()
    kc = len(lines) / (k1 - k0)

    print("newswired end-to-end, spool -> parse -> Kafka (acks=all, "
          "idempotent) -> done/")
    print("  dispatches        %d (%s)" % (a.n, "paced at %.0f/s" % a.rate
                                           if a.rate else "dropped at once"))
    print("  dropped in        %.2f s" % (t_dropped - t0))
    print("  throughput        %.0f dispatches/s (%.2f s for all)" % (e2e, t1 - t0))
    print("  latency close->confirmed  p50 %.1f ms  p99 %.1f ms  max %.1f ms"
          % (pct(lat, 50), pct(lat, 99), lat[-1]))
    print("kcat -P, the same %d rendered events (%.1f MB), same broker, "
          "idempotent" % (len(lines), size / 1e6))
    print("  throughput        %.0f events/s (%.2f s)" % (kc, k1 - k0))
    if a.rate:
        print("ratio: not meaningful when paced (run without --rate)")
    else:
        print("ratio newswired / kcat -P   %.2f" % (e2e / kc))
    if a.peer and not a.rate:
        pr = peer(a, brokers, wd, staging_names=names)
        print("peer %s, the same %d files, same broker" % (
            os.path.basename(a.peer), a.n))
        print("  throughput        %.0f files/s" % pr)
        print("ratio newswired / peer      %.2f" % (e2e / pr))
    if not a.keep:
        K.cleanup(wd)
    else:
        print("kept " + wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
