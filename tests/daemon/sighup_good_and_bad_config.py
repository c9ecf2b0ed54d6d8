"""SIGHUP re-reads the configuration: a bad file is logged with FILE:LINE and
the running configuration goes on unchanged; a good file takes over (here: a
second sink); an unchanged file only reopens the sinks (logrotate)."""
import os
import signal

from nwtest import Daemon, check, dispatch_text, drop_atomic

d = Daemon("sighup")
try:
    d.start()
    drop_atomic(d.incoming, "a.txt", dispatch_text(1))
    d.wait_for(lambda: d.count_lines() == 1, 20, "first event")

    # Bad: an unknown key on line 9 and a sink type that does not exist.
    d.write_conf(source_extra="colour = red",
                 sinks="[sink out]\ntype = carrier-pigeon\n")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "keeping the running configuration" in d.log_text(),
               20, "rejection of the bad config")
    log = d.log_text()
    check("%s:9: unknown key 'colour' in [source wire]" % d.conf in log,
          "no FILE:LINE error for colour:\n" + log)
    check("unknown sink type 'carrier-pigeon'" in log, "no type error")
    check(d.proc.poll() is None, "daemon died on a bad config")
    drop_atomic(d.incoming, "b.txt", dispatch_text(2))
    d.wait_for(lambda: d.count_lines() == 2, 20,
               "event through the old configuration")

    # Good: a second file sink.
    two = os.path.join(d.dir, "two.jsonl")
    d.write_conf(routes="out, two",
                 sinks="[sink out]\ntype = file\npath = events.jsonl\n"
                       "[sink two]\ntype = file\npath = two.jsonl\n")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "reloaded configuration" in d.log_text(), 20,
               "reload")
    drop_atomic(d.incoming, "c.txt", dispatch_text(3))
    d.wait_for(lambda: d.count_lines() == 3 and d.count_lines(two) == 1, 20,
               "event in both sinks")
    check(d.events(two)[0]["id"] == d.events()[2]["id"], "same event")

    # Unchanged and not rotated: the same file goes on.
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "sinks reopened" in d.log_text(), 20, "reopen")
    check("not reopened" not in d.log_text() and
          "reopen:" not in d.log_text(), d.log_text())
    drop_atomic(d.incoming, "c2.txt", dispatch_text(33))
    d.wait_for(lambda: d.count_lines() == 4, 20, "event in the same file")

    # Unchanged: logrotate moved the file away; the sink reopens it.
    os.rename(d.out, d.out + ".1")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: d.log_text().count("sinks reopened") == 2, 20,
               "reopen")
    drop_atomic(d.incoming, "d.txt", dispatch_text(4))
    d.wait_for(lambda: d.count_lines() == 1, 20, "event in the new file")
    check(d.count_lines(d.out + ".1") == 4, "rotated file changed")
    check("sink=out reopened" in d.log_text(), "no reopen line")
    rc = d.stop()
    check(rc == 0, "exit status %d" % rc)
    print("ok: bad config kept the old one, good config switched, "
          "unchanged config reopened the sinks")
finally:
    d.cleanup()
