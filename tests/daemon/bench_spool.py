"""Benchmark (a program that prints numbers, not a test): N dispatches
written into a running daemon's spool (write + close, no rename), the file
sink with fsync = always. Prints dispatches/s from the first file written to
the last event confirmed, and p50/p99 latency from a file's close (its
mtime, the event's received_at) to its confirmation (the time of its
`published` log line).
With --burst the files are written beforehand and renamed into incoming/
all at once, which measures the daemon rather than the writer (latency is
then not reported: a file's close precedes the burst).
usage: NEWSWIRED=build/newswired /usr/bin/python3 bench_spool.py [--burst] [N]"""
import datetime
import json
import os
import sys
import time

from nwtest import Daemon, dispatch_text

args = [a for a in sys.argv[1:] if a != "--burst"]
burst = "--burst" in sys.argv
n = int(args[0]) if args else 5000
d = Daemon("bench")
try:
    texts = [dispatch_text(i, "ru" if i % 2 else "en") for i in range(n)]
    d.start(args=["--log-format", "json"])
    stage = os.path.join(d.dir, "stage")
    if burst:
        os.makedirs(stage)
        for i, t in enumerate(texts):
            with open(os.path.join(stage, "d%06d.txt" % i), "w") as f:
                f.write(t)
    t0 = time.time()
    for i, t in enumerate(texts):
        name = "d%06d.txt" % i
        if burst:
            os.rename(os.path.join(stage, name),
                      os.path.join(d.incoming, name))
            continue
        with open(os.path.join(d.incoming, name), "w") as f:
            f.write(t)
    t_written = time.time()
    d.wait_for(lambda: d.count_lines() >= n, 600, "%d events" % n)
    d.stop()
    lat, last = [], 0.0
    mtimes = {}
    for e in d.events():
        mtimes[e["source"]["uri"]] = datetime.datetime.fromisoformat(
            e["received_at"].replace("Z", "+00:00")).timestamp()
    for line in d.log_text().splitlines():
        o = json.loads(line)
        if o.get("event") != "published":
            continue
        t = datetime.datetime.fromisoformat(
            o["time"].replace("Z", "+00:00")).timestamp()
        last = max(last, t)
        lat.append(t - mtimes[o["file"]])
    lat.sort()
    print("dispatches: %d" % n)
    print("writer: %.0f files/s (all written after %.2f s)" % (
        n / (t_written - t0), t_written - t0))
    print("throughput: %.0f dispatches/s (last confirmed %.2f s after the "
          "first file)" % (n / (last - t0), last - t0))
    if burst:
        sys.exit(0)
    print("latency file close -> confirmed: p50 %.1f ms, p99 %.1f ms" % (
        lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000))
finally:
    d.cleanup()
