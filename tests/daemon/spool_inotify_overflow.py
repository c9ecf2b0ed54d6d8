"""When the inotify queue overflows (more events than
/proc/sys/fs/inotify/max_queued_events while the daemon is stopped with
SIGSTOP), the daemon logs it and rescans incoming/: every file is still
published once and ends in done/."""
import os
import signal

from nwtest import Daemon, check, dispatch_text, drop_plain

with open("/proc/sys/fs/inotify/max_queued_events") as f:
    limit = int(f.read())
total = limit + 2000
d = Daemon("overflow")
try:
    d.start()
    d.signal(signal.SIGSTOP)
    # Written directly: one IN_CLOSE_WRITE each, more than the queue holds.
    for i in range(total):
        drop_plain(d.incoming, "d-%06d.txt" % i, dispatch_text(i))
    d.signal(signal.SIGCONT)
    d.wait_for(lambda: len(os.listdir(d.done)) == total, 300,
               "%d files in done/" % total)
    check("inotify queue overflowed; rescanning" in d.log_text(),
          "no overflow seen")
    check(os.listdir(d.incoming) == [], "left in incoming/")
    check(d.count_lines() == total, "%d events for %d files" % (
        d.count_lines(), total))
    check(d.stop() == 0, "exit status")
    print("ok: overflow after %d events, rescan published all %d" % (
        limit, total))
finally:
    d.cleanup()
