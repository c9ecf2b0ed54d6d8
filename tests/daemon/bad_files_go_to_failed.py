"""Unparseable dispatches end in failed/ with NAME.error.json (reason from
the documented set, message, file, time, parser); the daemon goes on; a file
moved from failed/ back into incoming/ after a fix is processed again."""
import json
import os
import shutil
import signal

from nwtest import Daemon, check, dispatch_text, drop_atomic, drop_plain

d = Daemon("badfiles", extra_daemon="max_dispatch_size = 2k")
try:
    d.start()
    drop_plain(d.incoming, "empty.txt", "")
    drop_plain(d.incoming, "blank.txt", "  \n\n \t\n")
    with open(os.path.join(d.incoming, "binary.dat"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    big = dispatch_text(1) + ("More text for the body. " * 200) + "\n"
    drop_atomic(d.incoming, "big.txt", big)
    for i in range(5):
        drop_atomic(d.incoming, "good-%d.txt" % i, dispatch_text(i))
    # Ignored names never move.
    drop_plain(d.incoming, ".hidden", "x")
    drop_plain(d.incoming, "partial.part", "x")
    drop_plain(d.incoming, "writing.tmp", "x")

    want = {"empty.txt": "empty", "blank.txt": "empty",
            "binary.dat": "binary", "big.txt": "too_large"}
    d.wait_for(lambda: len(Daemon.files(d.done)) == 5 and
               len(Daemon.files(d.failed)) == 2 * len(want), 30,
               "5 done and 4 failed")
    for name, reason in want.items():
        with open(os.path.join(d.failed, name + ".error.json")) as f:
            err = json.load(f)
        check(err["reason"] == reason,
              "%s: reason %r, want %r" % (name, err["reason"], reason))
        for k in ("message", "file", "time", "parser"):
            check(k in err and err[k], "%s: no %s in %r" % (name, k, err))
        check(err["file"].endswith("incoming/" + name), err["file"])
        check("failed source=wire file=%s reason=%s" % (
            os.path.join(d.incoming, name), reason) in d.log_text(),
              "no failed log line for " + name)
    check(sorted(Daemon.files(d.incoming)) ==
          [".hidden", "partial.part", "writing.tmp"],
          "incoming/: %s" % Daemon.files(d.incoming))
    check(d.count_lines() == 5, "events: %d" % d.count_lines())

    # The "parser fix": a larger limit, then replay from failed/.
    d.write_conf(extra_daemon="max_dispatch_size = 64k")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "reloaded configuration" in d.log_text(), 30,
               "reload")
    shutil.move(os.path.join(d.failed, "big.txt"),
                os.path.join(d.incoming, "big.txt"))
    d.wait_for(lambda: "big.txt" in Daemon.files(d.done), 30,
               "big.txt replayed into done/")
    check(d.count_lines() == 6, "events after replay: %d" % d.count_lines())
    check(d.events()[-1]["source"]["uri"].endswith("big.txt"), "last event")
    rc = d.stop()
    check(rc == 0, "exit status %d" % rc)
    print("ok: empty, blank, binary and too_large failed with reasons; "
          "replay after a fix published")
finally:
    d.cleanup()
