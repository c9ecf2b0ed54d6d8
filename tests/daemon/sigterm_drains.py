"""SIGTERM stops intake, lets the dispatches in flight finish (here they wait
for a batched fsync when the signal comes), flushes the sinks and exits 0.
Whatever was published is in done/ and in the output; the rest is still in
incoming/, none of it lost."""
import signal
import time

from nwtest import Daemon, check, dispatch_text, drop_atomic

d = Daemon("sigterm", sinks="[sink out]\ntype = file\npath = events.jsonl\n"
                            "fsync = batch\nfsync_interval = 10s\n")
try:
    d.start()
    for i in range(200):
        drop_atomic(d.incoming, "d-%03d.txt" % i, dispatch_text(i))
    # All 200 are handed to the sink and wait for the 10 s fsync.
    d.wait_for(lambda: d.count_lines() == 0 and
               len(Daemon.files(d.incoming)) == 200, 5, "files seen")
    time.sleep(0.5)
    check(Daemon.files(d.done) == [], "confirmed before the fsync")
    t0 = time.monotonic()
    d.signal(signal.SIGTERM)
    rc = d.proc.wait(30)
    took = time.monotonic() - t0
    check(rc == 0, "exit status %d" % rc)
    done, left = Daemon.files(d.done), Daemon.files(d.incoming)
    check(len(done) + len(left) == 200, "files lost: %d + %d" % (
        len(done), len(left)))
    check(len(done) == 200, "in-flight dispatches not finished: %d done"
          % len(done))
    check(d.count_lines() == 200, "events: %d" % d.count_lines())
    check(took < 5, "drain waited for the fsync timer (%.1fs)" % took)
    log = d.log_text()
    check(log.index("signal TERM") < log.index(" published id="),
          "nothing was in flight at the signal")
    print("ok: 200 in flight at SIGTERM, all published, exit 0 in %.2fs"
          % took)
finally:
    d.cleanup()
