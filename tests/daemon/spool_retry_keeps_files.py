"""A sink that fails for now (stdout whose reader went away: EPIPE) makes
the dispatch RETRY: the file stays in incoming/, is tried again with a
doubling back-off, never moves to done/ or failed/, and is still there after
a clean stop; a restart with a working sink then publishes it."""
import os
import re

from nwtest import Daemon, check, dispatch_text, drop_atomic

d = Daemon("retry", source_extra="retry_min = 200ms\nretry_max = 800ms",
           sinks="[sink out]\ntype = stdout\n")
try:
    r, w = os.pipe()
    os.close(r)  # every write to stdout fails with EPIPE
    d.start(stdout=w)
    os.close(w)
    drop_atomic(d.incoming, "a.txt", dispatch_text(1))
    d.wait_for(lambda: len(re.findall(r"retry in \d+ms", d.log_text())) >= 4,
               20, "four retries")
    delays = [int(x) for x in re.findall(r"retry in (\d+)ms", d.log_text())]
    check(delays[:4] == [200, 400, 800, 800],
          "back-off not doubling up to retry_max: %s" % delays)
    check("retry source=wire file=" in d.log_text(), "no retry line")
    check(Daemon.files(d.incoming) == ["a.txt"], "moved before confirmation")
    check(Daemon.files(d.done) == [] and Daemon.files(d.failed) == [],
          "done/failed not empty")
    check(d.stop() == 0, "exit status")
    check(Daemon.files(d.incoming) == ["a.txt"], "lost at stop")

    d.write_conf()  # a file sink
    d.start()
    d.wait_for(lambda: Daemon.files(d.done) == ["a.txt"], 20,
               "published after restart")
    check(d.count_lines() == 1, "one event")
    check(d.stop() == 0, "exit status")
    print("ok: retried with back-off %s, kept in incoming/, published "
          "after restart" % delays[:4])
finally:
    d.cleanup()
