"""The file sink on a full disk: writes fail with ENOSPC, nothing is
confirmed, so every dispatch stays in incoming/; once space is freed the
retried writes succeed and everything is published, nothing lost, no torn
line. The sink writes to a tiny tmpfs mounted in a private mount namespace
(unshare), which the test reaches through /proc/PID/root."""
import os
import subprocess
import sys
import time

from nwtest import NEWSWIRED, Daemon, check, dispatch_text, drop_atomic

probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                        "mount -t tmpfs -o size=64k tmpfs /mnt"],
                       capture_output=True)
if probe.returncode != 0:
    print("SKIP: cannot mount a tmpfs in a user namespace here")
    sys.exit(77)



def full_disk_daemon(name, extra=""):
    d = Daemon(name, extra_daemon=extra,
               sinks="[sink out]\ntype = file\npath = full/events.jsonl\n")
    full = os.path.join(d.dir, "full")
    os.makedirs(full)
    d.start(wrapper=["unshare", "-rm", "sh", "-c",
                     "mount -t tmpfs -o size=128k tmpfs '%s' && "
                     "dd if=/dev/zero of='%s/filler' bs=4k count=64 "
                     "2>/dev/null; exec \"$0\" \"$@\"" % (full, full)])
    return d, full


# A full disk at SIGTERM: the stop is bounded by shutdown_timeout and the
# unconfirmed dispatches stay in incoming/.
d, full = full_disk_daemon("diskfull-stop", "shutdown_timeout = 1s")
try:
    for i in range(10):
        drop_atomic(d.incoming, "d-%02d.txt" % i, dispatch_text(i))
    d.wait_for(lambda: "No space left on device" in d.log_text(), 20,
               "ENOSPC")
    t0 = time.monotonic()
    rc = d.stop()
    took = time.monotonic() - t0
    check(rc == 0, "exit status %d" % rc)
    check(took < 5, "stop took %.1fs with shutdown_timeout = 1s" % took)
    check(len(Daemon.files(d.incoming)) == 10 and
          Daemon.files(d.done) == [], "files moved without confirmation")
    check("stay at their sources" in d.log_text(), "no leftover warning")
finally:
    d.cleanup()

d, full = full_disk_daemon("diskfull")
try:
    inside = "/proc/%d/root%s" % (d.proc.pid, full)
    check(os.path.exists(inside + "/filler"), "no filler in the tmpfs")
    for i in range(40):
        drop_atomic(d.incoming, "d-%02d.txt" % i, dispatch_text(i))
    d.wait_for(lambda: "No space left on device" in d.log_text(), 20,
               "ENOSPC")
    d.wait_for(lambda: len(Daemon.files(d.incoming)) == 40, 5, "files seen")
    check(Daemon.files(d.done) == [], "confirmed on a full disk: %s" %
          Daemon.files(d.done))
    os.unlink(inside + "/filler")
    d.wait_for(lambda: len(Daemon.files(d.done)) == 40, 30,
               "all published after space came back")
    evs = d.events(inside + "/events.jsonl")  # fails on a torn line
    check(len({os.path.basename(e["source"]["uri"]) for e in evs}) == 40,
          "%d distinct events" % len(evs))
    check("works again" in d.log_text(), "no recovery line")
    check(d.stop() == 0, "exit status")
    print("ok: nothing confirmed while the disk was full; all 40 "
          "published after")
finally:
    d.cleanup()
