"""kill -9 in the middle of 1,000 dispatches, then a restart: every dispatch
appears in the output at least once, a duplicate always has the same id, the
output has no torn line, and nothing is left in incoming/."""
import collections
import os
import time

from nwtest import Daemon, check, dispatch_text, drop_plain

TOTAL = 1000
d = Daemon("kill9", extra_daemon="max_inflight = 8")
try:
    for i in range(TOTAL):
        drop_plain(d.incoming, "d-%04d.txt" % i, dispatch_text(i))
    # Old files wait the 1 s scan settle time, then flow.
    d.start()
    d.wait_for(lambda: d.count_lines() >= 150, 60, "150 events")
    d.kill9()
    done_at_kill = len(Daemon.files(d.done))
    left_at_kill = len(Daemon.files(d.incoming))
    check(0 < done_at_kill < TOTAL and left_at_kill > 0,
          "kill did not land mid-run: %d done, %d left" % (done_at_kill,
                                                           left_at_kill))
    check(done_at_kill + left_at_kill == TOTAL,
          "a file is neither in incoming/ nor in done/ after kill -9")
    d.start()
    d.wait_for(lambda: len(Daemon.files(d.done)) == TOTAL, 120,
               "all in done/")
    rc = d.stop()
    check(rc == 0, "exit status %d" % rc)
    check(Daemon.files(d.incoming) == [], "left in incoming/")
    evs = d.events()  # raises on a torn line
    by_file = collections.defaultdict(set)
    for e in evs:
        by_file[os.path.basename(e["source"]["uri"])].add(e["id"])
    check(len(by_file) == TOTAL, "%d of %d dispatches in the output" % (
        len(by_file), TOTAL))
    check(all(len(ids) == 1 for ids in by_file.values()),
          "a dispatch got two different ids")
    print("ok: killed with %d done and %d in incoming/; after restart all "
          "%d published, %d duplicate lines, all with the same id"
          % (done_at_kill, left_at_kill, TOTAL, len(evs) - TOTAL))
finally:
    d.cleanup()
