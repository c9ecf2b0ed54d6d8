"""Spool options: watch = poll with a settle time (a file still being
written is not read early), recursive sub-directories mirrored in done/,
on_done = delete, done_retention pruning done/, a file changed while in
flight read again, and a per-source charset."""
import os
import time

from nwtest import Daemon, check, dispatch_text, drop_atomic, drop_plain

# Poll mode, settle 700ms, recursive.
d = Daemon("poll", source_extra="watch = poll\npoll_interval = 100ms\n"
                                "settle = 1500ms\nrecursive = yes")
try:
    d.start()
    os.makedirs(os.path.join(d.incoming, "sub", "deeper"))
    drop_atomic(os.path.join(d.incoming, "sub", "deeper"), "x.txt",
                dispatch_text(1))
    # A slow writer that closes nothing for a while: written in two parts
    # 400ms apart, well within the settle time of each other.
    path = os.path.join(d.incoming, "slow.txt")
    text = dispatch_text(2)
    with open(path, "w") as f:
        f.write(text[:20])
        f.flush()
        time.sleep(0.4)
        f.write(text[20:])
    d.wait_for(lambda: len(Daemon.files(d.done)) == 2, 20, "2 in done/")
    check(Daemon.files(d.done) == ["slow.txt", "sub/deeper/x.txt"],
          "done/: %s" % Daemon.files(d.done))
    evs = d.events()
    slow = [e for e in evs if e["source"]["uri"].endswith("slow.txt")][0]
    check("minister" in slow["body"][-1], "read early: %r" % slow["body"])
    check("(poll)" in d.log_text(), "not polling")
    check(d.stop() == 0, "exit status")
finally:
    d.cleanup()

# on_done = delete.
d = Daemon("delete", source_extra="on_done = delete")
try:
    d.start()
    drop_atomic(d.incoming, "a.txt", dispatch_text(3))
    d.wait_for(lambda: d.count_lines() == 1, 20, "event")
    d.wait_for(lambda: Daemon.files(d.incoming) == [], 5, "deleted")
    check(not os.path.exists(d.done) or Daemon.files(d.done) == [],
          "done/ used")
    check(d.stop() == 0, "exit status")
finally:
    d.cleanup()

# done_retention: an old file in done/ is pruned at start, a new one stays.
d = Daemon("retention", source_extra="done_retention = 1h")
try:
    os.makedirs(d.done)
    drop_plain(d.done, "ancient.txt", "x")
    old = time.time() - 7200
    os.utime(os.path.join(d.done, "ancient.txt"), (old, old))
    d.start()
    drop_atomic(d.incoming, "fresh.txt", dispatch_text(4))
    d.wait_for(lambda: Daemon.files(d.done) == ["fresh.txt"], 20,
               "ancient pruned, fresh kept")
    check(d.stop() == 0, "exit status")
finally:
    d.cleanup()

# charset: a CP1251 dispatch read with charset = CP1251.
d = Daemon("charset", source_extra="charset = CP1251")
try:
    d.start()
    with open(os.path.join(d.incoming, ".r.tmp"), "wb") as f:
        f.write(dispatch_text(5, "ru").encode("cp1251"))
    os.rename(os.path.join(d.incoming, ".r.tmp"),
              os.path.join(d.incoming, "r.txt"))
    d.wait_for(lambda: d.count_lines() == 1, 20, "event")
    ev = d.events()[0]
    check(ev["language"] == "ru" and "министр" in ev["body"][-1],
          "not decoded: %r" % ev["body"])
    check(d.stop() == 0, "exit status")
finally:
    d.cleanup()

# Changed while in flight (waiting 1s for a batched fsync): read again, so
# the complete text is published too, and only then moved.
d = Daemon("again", sinks="[sink out]\ntype = file\npath = events.jsonl\n"
                          "fsync = batch\nfsync_interval = 1s\n")
try:
    d.start()
    path = os.path.join(d.incoming, "grow.txt")
    with open(path, "w") as f:
        f.write(dispatch_text(6))
    time.sleep(0.3)
    with open(path, "a") as f:
        f.write("The ministry said more talks would follow in May.\n")
    d.wait_for(lambda: Daemon.files(d.done) == ["grow.txt"] and
               d.count_lines() == 2, 20, "two events, then done/")
    check("changed while in flight" in d.log_text(), "no re-read")
    check("May" in d.events()[1]["body"][-1], "second read incomplete")
    # Opened for writing and closed unchanged while in flight (the late
    # IN_CLOSE_WRITE of a writer, or a scan racing an event): the same
    # content, so it is published once, not read again.
    path = os.path.join(d.incoming, "same.txt")
    with open(path, "w") as f:
        f.write(dispatch_text(7))
    time.sleep(0.3)
    for _ in range(3):
        open(path, "r+").close()
        time.sleep(0.05)
    d.wait_for(lambda: "same.txt" in Daemon.files(d.done), 20,
               "same.txt in done/")
    time.sleep(1.5)
    check(d.count_lines() == 3,
          "unchanged file published %d times" % (d.count_lines() - 2))
    check(d.log_text().count("changed while in flight") == 1,
          "unchanged file read again")
    check(d.stop() == 0, "exit status")
    print("ok: poll+settle, recursive, delete, retention, charset, "
          "changed in flight, unchanged in flight")
finally:
    d.cleanup()
