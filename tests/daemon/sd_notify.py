"""sd_notify through a fake NOTIFY_SOCKET: READY=1 with a STATUS carrying
counts, WATCHDOG=1 pings at half of WATCHDOG_USEC, RELOADING=1 with
MONOTONIC_USEC then READY=1 on SIGHUP, STOPPING=1 on SIGTERM."""
import os
import re
import signal
import socket
import time

from nwtest import Daemon, check, dispatch_text, drop_atomic

d = Daemon("notify")
sock_path = os.path.join(d.dir, "notify.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
s.settimeout(0.05)
msgs = []


def pump(seconds):
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            msgs.append(s.recv(4096).decode())
        except socket.timeout:
            pass


def wait_msg(pred, timeout, what):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for m in msgs:
            if pred(m):
                return m
        pump(0.1)
    check(False, "no %s in %r" % (what, msgs))


try:
    d.start(env={"NOTIFY_SOCKET": sock_path, "WATCHDOG_USEC": "400000"})
    wait_msg(lambda m: "READY=1" in m, 10, "READY=1")
    drop_atomic(d.incoming, "a.txt", dispatch_text(1))
    d.wait_for(lambda: d.count_lines() == 1, 10, "event")
    # STATUS is refreshed every 5 s; the reload below sends it at once.
    n0 = len(msgs)
    pump(1.0)
    pings = sum(1 for m in msgs[n0:] if m == "WATCHDOG=1")
    check(3 <= pings <= 8, "%d watchdog pings in 1 s at 400 ms" % pings)

    d.write_conf(extra_daemon="log_level = debug")
    msgs.clear()
    d.signal(signal.SIGHUP)
    m = wait_msg(lambda m: "RELOADING=1" in m, 10, "RELOADING=1")
    check(re.search(r"MONOTONIC_USEC=\d+", m), "no MONOTONIC_USEC: " + m)
    wait_msg(lambda m: "READY=1" in m, 10, "READY=1 after reload")
    st = wait_msg(lambda m: m.startswith("STATUS=running"), 10, "STATUS")
    check("received=1 published=1 failed=0" in st,
          "STATUS without the counts since start: " + st)
    msgs.clear()
    d.proc.send_signal(signal.SIGTERM)
    wait_msg(lambda m: "STOPPING=1" in m, 10, "STOPPING=1")
    check(d.proc.wait(10) == 0, "exit status")
    print("ok: READY, STATUS, WATCHDOG, RELOADING, STOPPING seen")
finally:
    s.close()
    d.cleanup()
