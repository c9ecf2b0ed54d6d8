"""1,000 dispatches dropped at once while the daemon runs: moved in
atomically, written in one go, and written slowly in several chunks (plus a
few left from before the start). Every one produces exactly one event and
ends in done/; nothing is left in incoming/."""
import os
import threading
import time

from nwtest import Daemon, check, dispatch_text, drop_atomic, drop_plain

d = Daemon("spool1000")
try:
    # Left from before: found by the start-up scan.
    for i in range(20):
        drop_plain(d.incoming, "old-%04d.txt" % i, dispatch_text(5000 + i))
    d.start()

    def slow_writer(i):
        # Opened, written in three parts with pauses, closed: inotify says
        # IN_CLOSE_WRITE only at the end, so the whole text is read.
        text = dispatch_text(i, "ru" if i % 2 else "en")
        third = len(text) // 3
        with open(os.path.join(d.incoming, "slow-%04d.txt" % i), "w") as f:
            for part in (text[:third], text[third:2 * third],
                         text[2 * third:]):
                f.write(part)
                f.flush()
                time.sleep(0.15)

    threads = [threading.Thread(target=slow_writer, args=(i,))
               for i in range(100)]
    for t in threads:
        t.start()
    for i in range(100, 580):
        drop_atomic(d.incoming, "atomic-%04d.txt" % i,
                    dispatch_text(i, "ru" if i % 3 == 0 else "en"))
    for i in range(580, 980):
        drop_plain(d.incoming, "plain-%04d.txt" % i, dispatch_text(i))
    for t in threads:
        t.join()
    total = 1000
    d.wait_for(lambda: len(Daemon.files(d.done)) == total, 120,
               "%d files in done/" % total)
    d.wait_for(lambda: d.count_lines() == total, 30, "%d events" % total)
    check(Daemon.files(d.incoming) == [],
          "left in incoming/: %s" % Daemon.files(d.incoming)[:10])
    check(Daemon.files(d.failed) == [],
          "failed: %s" % Daemon.files(d.failed)[:10])
    evs = d.events()
    names = sorted(os.path.basename(e["source"]["uri"]) for e in evs)
    check(names == Daemon.files(d.done),
          "events and done/ differ (%d events)" % len(evs))
    check(len({e["id"] for e in evs}) == total, "ids are not distinct")
    # Slowly written files were read whole, not at their first chunk.
    for e in evs:
        if "slow-" in e["source"]["uri"]:
            check(len(e["body"]) >= 1 and
                  ("minister" in e["body"][-1] or "министр" in e["body"][-1]),
                  "slow file read partially: %r" % e["body"])
        check(e["source"]["type"] == "spool" and
              e["source"]["name"] == "wire", "origin: %r" % e["source"])
    published = d.log_text().count(" published id=")
    check(published == total, "log has %d published lines" % published)
    rc = d.stop()
    check(rc == 0, "exit status %d" % rc)
    print("ok: %d dispatches, all in done/, one event each" % total)
finally:
    d.cleanup()
