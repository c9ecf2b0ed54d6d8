"""The command line: check-config exits 0 on a good file and 1 with
FILE:LINE: reason on a bad one; --describe lists the keys; run exits 2 on a
bad configuration or usage (so systemd does not restart it in a loop);
--log-format json writes one JSON object per line with the line's fields."""
import json
import os
import subprocess

from nwtest import NEWSWIRED, Daemon, check, dispatch_text, drop_atomic

d = Daemon("cli")
try:
    r = subprocess.run([NEWSWIRED, "check-config", "-c", d.conf],
                       capture_output=True, text=True)
    check(r.returncode == 0 and "ok" in r.stdout, "good: %r" % (r,))
    bad = os.path.join(d.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write("[daemon]\nlog_level = loud\n[source x]\ntype = spool\n")
    r = subprocess.run([NEWSWIRED, "check-config", "-c", bad],
                       capture_output=True, text=True)
    check(r.returncode == 1, "bad config exit %d" % r.returncode)
    check("%s:2: log_level must be one of" % bad in r.stderr, r.stderr)
    check("%s:3: [source x] needs path" % bad in r.stderr, r.stderr)
    r = subprocess.run([NEWSWIRED, "check-config", "--describe"],
                       capture_output=True, text=True)
    check(r.returncode == 0 and "settle" in r.stdout and
          "fsync_interval" in r.stdout, "describe: %r" % r.stdout[:200])
    r = subprocess.run([NEWSWIRED, "run", "-c", bad], capture_output=True,
                       text=True)
    check(r.returncode == 2, "run with a bad config exit %d" % r.returncode)
    r = subprocess.run([NEWSWIRED, "run"], capture_output=True, text=True)
    check(r.returncode == 2, "run without -c exit %d" % r.returncode)
    r = subprocess.run([NEWSWIRED, "--version"], capture_output=True,
                       text=True)
    check(r.returncode == 0 and r.stdout.startswith("newswired "),
          "--version")

    d.start(args=["--log-format", "json"])
    # A second daemon on the same output file or spool refuses to start.
    r = subprocess.run([NEWSWIRED, "run", "-c", d.conf], capture_output=True,
                       text=True, timeout=20)
    check(r.returncode == 1 and "events.jsonl: in use by another newswired"
          in r.stderr, "second daemon: %d %s" % (r.returncode, r.stderr))
    other = os.path.join(d.dir, "other.conf")
    with open(d.conf) as f, open(other, "w") as g:
        g.write(f.read().replace("events.jsonl", "other.jsonl"))
    r = subprocess.run([NEWSWIRED, "run", "-c", other], capture_output=True,
                       text=True, timeout=20)
    check(r.returncode == 1 and "spool in use by another newswired" in
          r.stderr, "second daemon: %d %s" % (r.returncode, r.stderr))
    drop_atomic(d.incoming, "a.txt", dispatch_text(1))
    drop_atomic(d.incoming, "b.txt", "")
    d.wait_for(lambda: d.count_lines() == 1 and
               len(Daemon.files(d.failed)) == 2, 20, "one event, one failure")
    check(d.stop() == 0, "exit status")
    lines = [json.loads(l) for l in d.log_text().splitlines()]
    pub = [l for l in lines if l.get("event") == "published"]
    check(len(pub) == 1, "published lines: %r" % lines)
    check(pub[0]["source"] == "wire" and len(pub[0]["id"]) == 64 and
          pub[0]["level"] == "info" and "ms" in pub[0], repr(pub[0]))
    fl = [l for l in lines if l.get("event") == "failed"]
    check(len(fl) == 1 and fl[0]["reason"] == "empty", repr(fl))

    # Under systemd: stderr is the journal stream, lines carry <N>.
    open(d.log, "w").close()
    st = os.stat(d.log)
    d.start(env={"JOURNAL_STREAM": "%d:%d" % (st.st_dev, st.st_ino)})
    drop_atomic(d.incoming, "c.txt", "")
    d.wait_for(lambda: "<6>failed source=wire" in d.log_text(), 20,
               "<6> prefix")
    check(d.stop() == 0, "exit status")
    check(all(l[:3] in ("<3>", "<4>", "<6>", "<7>")
              for l in d.log_text().splitlines()), d.log_text())
    print("ok: exit codes 0/1/2, FILE:LINE errors, json log lines, "
          "journal priorities, one daemon per spool")
finally:
    d.cleanup()
