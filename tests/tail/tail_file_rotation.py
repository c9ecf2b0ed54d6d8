#!/usr/bin/python3
"""`newswired tail FILE` follows a file sink's file while the daemon writes
it: it waits for the file to appear, shows each new event once, and keeps
following across logrotate's two ways of rotating: rename (and SIGHUP, after
which the daemon writes a new file) and copytruncate (the file is copied and
emptied in place). Also: --json passes lines through, and a line that is no
event is named on standard error."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "daemon"))
import nwtest  # noqa: E402


class Tail:
    def __init__(self, args):
        self.out, self.err = [], []
        self.p = subprocess.Popen([nwtest.NEWSWIRED, "tail"] + args,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        for stream, into in ((self.p.stdout, self.out),
                             (self.p.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, into),
                             daemon=True).start()

    @staticmethod
    def _read(stream, into):
        for line in stream:
            into.append(line.decode("utf-8", "replace").rstrip("\n"))

    def wait_for(self, cond, what, timeout=30):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if cond():
                return
            time.sleep(0.02)
        self.p.kill()
        nwtest.fail("timed out waiting for %s\nstdout %r\nstderr %r" %
                    (what, self.out, self.err))

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        return self.p.wait(10)


def headline(n):
    return "Dispatch number %d about the talks" % n


def shown(t, n):
    return sum(("number %d about" % n) in l for l in t.out)


def main():
    d = nwtest.Daemon("tailrot")
    t = None
    try:
        # Started before the daemon creates the file: it waits, then
        # reads the file whole.
        t = Tail([d.out])
        t.wait_for(lambda: any("waiting for" in l for l in t.err),
                   "tail to wait for the file")
        d.start()
        n = 0

        def drop(k):
            nonlocal n
            for _ in range(k):
                n += 1
                with open(os.path.join(d.dir, "x.tmp"), "w") as f:
                    f.write(nwtest.dispatch_text(n))
                os.rename(os.path.join(d.dir, "x.tmp"),
                          os.path.join(d.incoming, "d%03d.txt" % n))
            want = n
            t.wait_for(lambda: all(shown(t, i) == 1
                                   for i in range(1, want + 1)),
                       "events 1..%d shown once each" % want)

        drop(3)
        print("ok: 3 events shown once each, the file appearing after tail "
              "started")
        nwtest.check(all("MOSCOW" in l and "TASS" in l and "minister" in l
                         for l in t.out),
                     "each line has agency, city and speaker: %r" % t.out)

        # logrotate without copytruncate: rename, then SIGHUP the daemon.
        os.rename(d.out, d.out + ".1")
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: os.path.exists(d.out), 10,
                   "the daemon to open a new file on SIGHUP")
        drop(2)
        t.wait_for(lambda: any("rotated" in l for l in t.err),
                   "tail to say it moved to the new file")
        print("ok: after a rename and SIGHUP, events 4 and 5 shown once",
              flush=True)

        # logrotate copytruncate: copy, then empty the file in place.
        nwtest.check(d.count_lines() == 2, "events 4 and 5 are in the new "
                     "file (got %d lines)" % d.count_lines())
        shutil.copy(d.out, d.out + ".2")
        os.truncate(d.out, 0)
        drop(2)
        t.wait_for(lambda: any("truncated" in l for l in t.err),
                   "tail to say the file was truncated")
        print("ok: after copytruncate, events 6 and 7 shown once")
        nwtest.check(len(t.out) == 7, "7 lines in all, no repeats (got %d)"
                     % len(t.out))
        nwtest.check(t.stop() == 0, "tail ends with 0 on SIGINT")

        # From the end: a new tail shows only what comes after it.
        t = Tail([d.out, "--count", "1"])
        t.wait_for(lambda: any("from the end" in l for l in t.err),
                   "tail ready at the end")
        drop_one = n + 1
        with open(os.path.join(d.incoming, "e.txt"), "w") as f:
            f.write(nwtest.dispatch_text(drop_one))
        nwtest.check(t.p.wait(30) == 0, "tail --count 1 exits 0")
        time.sleep(0.1)
        nwtest.check(len(t.out) == 1 and shown(t, drop_one) == 1,
                     "from the end: only the new event (got %r)" % t.out)

        # --json, and a line that is not an event, over the rotated copy.
        with open(d.out + ".2", "a") as f:
            f.write("this line is not JSON\n")
        t = Tail([d.out + ".2", "--from-beginning", "-e", "--json"])
        nwtest.check(t.p.wait(30) == 0, "tail -e of a file exits 0")
        time.sleep(0.1)
        with open(d.out + ".2") as f:
            events = [l.rstrip("\n") for l in f if l.startswith("{")]
        nwtest.check(t.out == events and len(events) == 2,
                     "--json passes the 2 event lines of the copy through unchanged")
        t.wait_for(lambda: any("not a newswired event" in l and
                               "not JSON" in l for l in t.err),
                   "the plain line to be named as not an event")
    finally:
        if t is not None and t.p.poll() is None:
            t.p.kill()
        rc = d.stop()
        d.cleanup()
    nwtest.check(rc == 0, "the daemon exits 0 (sanitizers found nothing)")
    print("PASS")


if __name__ == "__main__":
    main()
