"""The README's try-it-out: `newswired run -c systemd/newswired.local.conf`
from the top of a checkout, with the samples copied into spool/incoming/:
every sample gives an event on standard output and in events.jsonl, the
unparseable one lands in spool/failed/. Run in a copy of the layout, so the
checkout stays clean."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from nwtest import NEWSWIRED, check

src = sys.argv[1]
top = tempfile.mkdtemp(prefix="nwd-local-")
try:
    os.makedirs(os.path.join(top, "systemd"))
    shutil.copy(os.path.join(src, "systemd", "newswired.local.conf"),
                os.path.join(top, "systemd"))
    shutil.copytree(os.path.join(src, "tests", "samples"),
                    os.path.join(top, "tests", "samples"))
    out = open(os.path.join(top, "stdout"), "wb")
    err = open(os.path.join(top, "stderr"), "wb")
    p = subprocess.Popen([NEWSWIRED, "run", "-c",
                          "systemd/newswired.local.conf"], cwd=top,
                         stdout=out, stderr=err)
    inc = os.path.join(top, "spool", "incoming")
    t0 = time.monotonic()
    while not os.path.isdir(inc) and time.monotonic() - t0 < 20:
        time.sleep(0.05)
    samples = sorted(os.listdir(os.path.join(top, "tests", "samples")))
    for n in samples:
        # copyfile, not copy: the daemon may have moved the file to done/
        # before a chmod after the copy could run.
        shutil.copyfile(os.path.join(top, "tests", "samples", n),
                        os.path.join(inc, n))
    bad = [n for n in samples if n.endswith(".dat")]
    done = os.path.join(top, "spool", "done")
    t0 = time.monotonic()
    while time.monotonic() - t0 < 30:
        if len(os.listdir(done)) == len(samples) - len(bad):
            break
        time.sleep(0.05)
    p.terminate()
    check(p.wait(20) == 0, "exit status")
    out.close()
    err.close()
    with open(os.path.join(top, "stdout")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(top, "events.jsonl")) as f:
        filed = f.read().splitlines()
    check(len(lines) == len(samples) - len(bad) and lines == filed,
          "%d events on stdout, %d in events.jsonl" % (len(lines),
                                                      len(filed)))
    check(sorted(os.listdir(os.path.join(top, "spool", "failed"))) ==
          sorted(bad + [b + ".error.json" for b in bad]), "failed/")
    print("ok: %d events from the samples, %d failed" % (len(lines),
                                                        len(bad)))
finally:
    shutil.rmtree(top, ignore_errors=True)
