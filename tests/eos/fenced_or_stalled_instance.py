"""Transaction failures against the real broker, with dispatches produced
to the raw topic as the test goes; a read_committed consumer must in the
end see every event exactly once.

  --fence: a second instance starts with the same transactional_id (a
    zombie's successor): the first one is fenced and must exit with status 1
    (fatal, for systemd), the second carries on from the committed offsets.
  --stall: the only instance is stopped (SIGSTOP) for longer than its
    transaction_timeout and session_timeout, so the broker aborts its open
    transaction and the group drops it; after SIGCONT it must either abort
    and rewind, or exit 1 and be restarted (as systemd would) - the test
    says which happened."""
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eoslib import (Instance, brokers, consume_all, create_topics,
                    dispatch_text, fail, kafka, unique)

N = 3000
RATE = 400.0


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in ("--fence", "--stall"):
        fail("usage: fenced_or_stalled_instance.py --fence|--stall")
    b = brokers()
    ck, _ = kafka()
    raw, events, dlt = unique("txf.raw"), unique("txf.events"), unique("txf.dlt")
    group = unique("txf-group")
    create_topics(b, {raw: 3, events: 3, dlt: 1})
    tmp = os.environ.get("NW_TEST_TMP")

    def inst(name):
        return Instance(name, b, raw, group, events, dlt, txn_id=group + "-x",
                        session_timeout="6s", txn_timeout="3s", tmp=tmp)

    produced = [0]

    def produce():
        p = ck.Producer({"bootstrap.servers": b, "linger.ms": 5})
        t0 = time.time()
        for n in range(N):
            p.produce(raw, value=dispatch_text(n),
                      headers=[("newswired-uri", b"txf:%d" % n)])
            produced[0] = n + 1
            p.poll(0)
            ahead = (n + 1) / RATE - (time.time() - t0)
            if ahead > 0:
                time.sleep(ahead)
        p.flush(60)

    a = inst("a").start()
    insts = [a]
    th = threading.Thread(target=produce)
    note = ""
    try:
        deadline = time.time() + 60
        while "kafka assigned" not in a.log_text():
            if time.time() > deadline:
                fail("instance a was never assigned partitions")
            time.sleep(0.1)
        th.start()
        while a.count("published id=") < 200:
            if time.time() > deadline or a.proc.poll() is not None:
                fail("instance a published nothing")
            time.sleep(0.05)
        if mode == "--fence":
            b2 = inst("b").start()
            insts.append(b2)
            try:
                rc = a.proc.wait(60)
            except Exception:
                fail("the fenced instance did not exit within 60 s")
            if rc != 1:
                fail("the fenced instance exited %s, want 1" % rc)
            if "fatal" not in a.log_text():
                fail("the fenced instance did not log a fatal error")
            note = "fenced instance exited 1 after %d published" % \
                a.count("published id=")
        else:
            before = a.count("published id=")
            a.proc.send_signal(signal.SIGSTOP)
            time.sleep(10)  # > transaction_timeout (3s) and session (6s)
            a.proc.send_signal(signal.SIGCONT)
            try:
                rc = a.proc.wait(20)
            except Exception:
                rc = None
            if rc is None:
                if "transaction aborted" not in a.log_text() and \
                        "revoked" not in a.log_text():
                    fail("after the stall: neither an abort nor a rebalance "
                         "was logged")
                note = "recovered in place (abort/rebalance), %d published " \
                       "before the stall" % before
            elif rc == 1:
                r = inst("a2").start()  # what systemd's Restart= does
                insts.append(r)
                note = "exited 1 after the stall and was restarted"
            else:
                fail("instance exited %s after the stall" % rc)
        th.join(60)
        got = consume_all(b, [events], N, quiet_s=8, timeout_s=120)
    finally:
        if th.is_alive():
            th.join(1)
        rcs = {i.name: i.stop() for i in insts if i.proc.poll() is None}
    uris = {}
    for topic, key, value, headers in got:
        e = json.loads(value)
        if key.decode() != e["id"]:
            fail("event key is not its id")
        u = e["source"]["uri"]
        uris[u] = uris.get(u, 0) + 1
    want = {"txf:%d" % n for n in range(N)}
    dups = {u: c for u, c in uris.items() if c != 1}
    if set(uris) != want or dups:
        fail("%s: missing=%d extra=%d duplicated=%d (e.g. %s)"
             % (note, len(want - set(uris)), len(set(uris) - want),
                len(dups), list(dups.items())[:3]))
    if any(rc != 0 for rc in rcs.values()):
        fail("instances did not stop cleanly: %s" % rcs)
    print("OK: %s; %d events exactly once" % (note, len(uris)))


if __name__ == "__main__":
    main()
