"""Valgrind memcheck over a daemon run on the sample dispatches (one of them
unparseable), a reload to a changed configuration, a reopen, more files and
a SIGTERM: no errors and no definite or indirect leaks (valgrind exits 99
otherwise), and the run really did its work."""
import os
import shutil
import socket
import signal
import sys
import urllib.request

from nwtest import Daemon, check, dispatch_text, drop_atomic

samples = sys.argv[1]
names = sorted(os.listdir(samples))
def free_port():
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


PORT = free_port()
ADMIN = "admin_address = 127.0.0.1:%d" % PORT
d = Daemon("valgrind", extra_daemon=ADMIN,
           sinks="[sink out]\ntype = file\npath = events.jsonl\n"
                 "dead_letters = yes\n")


def scrape():
    """/metrics from the admin endpoint."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % PORT,
                                timeout=30) as r:
        return r.read().decode()


try:
    for n in names:
        shutil.copy(os.path.join(samples, n), d.incoming)
    d.start(wrapper=["valgrind", "--quiet", "--error-exitcode=99",
                     "--leak-check=full",
                     "--errors-for-leak-kinds=definite,indirect",
                     "--show-leak-kinds=definite,indirect"])
    d.wait_for(lambda: len(Daemon.files(d.done)) + len(Daemon.files(d.failed))
               == len(names) + 1, 120, "samples processed")
    bad = [n for n in names if n.endswith(".dat")]
    check(sorted(Daemon.files(d.failed)) ==
          sorted(bad + [b + ".error.json" for b in bad]),
          "failed/: %s" % Daemon.files(d.failed))
    m = scrape()
    check('newswired_dispatches_failed_total{source="wire",reason="binary"} 1'
          in m, "metrics:\n" + m)
    d.write_conf(extra_daemon=ADMIN + "\nlog_format = json",
                 sinks="[sink out]\ntype = file\npath = events.jsonl\n"
                       "fsync = batch\n")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "reloaded configuration" in d.log_text(), 60, "reload")
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "sinks reopened" in d.log_text(), 60, "reopen")
    for i in range(20):
        drop_atomic(d.incoming, "more-%02d.txt" % i, dispatch_text(i))
    good = len(names) - len(bad)
    d.wait_for(lambda: len(Daemon.files(d.done)) == good + 20, 120,
               "more files")
    check("newswired_dispatch_latency_seconds_count" in scrape(),
          "no histogram after the reload")
    rc = d.stop(timeout=120)
    check(rc == 0, "valgrind/daemon exit status %d:\n%s" % (rc, d.log_text()))
    check(d.count_lines() == good + len(bad) + 20, "%d lines" % d.count_lines())
    print("ok: memcheck clean over %d samples, a reload and 20 more" %
          len(names))
finally:
    d.cleanup()
