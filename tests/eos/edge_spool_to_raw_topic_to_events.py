"""The edge mode against the real broker: an edge instance whose spool
source feeds a raw = yes Kafka sink publishes every dispatch unparsed (also
the unparseable ones) with newswired-uri and newswired-received-at headers
and moves the files to done/; a parsing instance (Kafka source, exactly
once) turns them into events keyed by id whose source uri and received_at
are the edge's, and dead letters for the unparseable ones."""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eoslib import (NEWSWIRED, Instance, bad_dispatch, brokers, consume_all,
                    create_topics, dispatch_text, fail, unique)

N, BAD = 300, 6


def main():
    b = brokers()
    raw, events, dlt = unique("edge.raw"), unique("edge.events"), unique("edge.dlt")
    group = unique("edge-group")
    create_topics(b, {raw: 3, events: 3, dlt: 1})
    tmp = os.environ.get("NW_TEST_TMP")
    edge = tempfile.mkdtemp(prefix="nwedge-", dir=tmp)
    inc = os.path.join(edge, "spool", "incoming")
    os.makedirs(inc)
    conf = os.path.join(edge, "edge.conf")
    with open(conf, "w") as f:
        f.write("[daemon]\nstate_dir = state\nlog_level = info\n\n"
                "[source wire]\ntype = spool\npath = spool\nsinks = up\n\n"
                "[sink up]\ntype = kafka-txn\nbrokers = %s\ntopic = %s\n"
                "raw = yes\n" % (b, raw))
    log = open(os.path.join(edge, "edge.log"), "wb")
    ep = subprocess.Popen([NEWSWIRED, "run", "-c", conf], cwd=edge,
                          stdout=subprocess.DEVNULL, stderr=log)
    parser = Instance("parse", b, raw, group, events, dlt,
                      txn_id=group + "-p", tmp=tmp).start()
    try:
        for n in range(N):
            body = bad_dispatch(n) if n < BAD else dispatch_text(n)
            p = os.path.join(inc, "d%04d.txt" % n)
            with open(p + ".tmp", "wb") as f:
                f.write(body)
            os.rename(p + ".tmp", p)
        done = os.path.join(edge, "spool", "done")
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.isdir(done) and len(os.listdir(done)) == N:
                break
            time.sleep(0.2)
        left = os.listdir(inc)
        if left or len(os.listdir(done)) != N:
            fail("edge: %d files left in incoming/, %d in done/"
                 % (len(left), len(os.listdir(done))))
        failed = os.path.join(edge, "spool", "failed")
        if os.path.isdir(failed) and os.listdir(failed):
            fail("edge mode must forward unparseable files, not fail them")
        rawmsgs = consume_all(b, [raw], N, quiet_s=1, timeout_s=60)
        got = consume_all(b, [events, dlt], N, quiet_s=4, timeout_s=90)
    finally:
        ep.terminate()
        rc = ep.wait(30)
        log.close()
        parser.stop()
    if rc != 0:
        fail("edge instance exited %d" % rc)
    with open(os.path.join(edge, "edge.log"), errors="replace") as f:
        elog = f.read()
    if elog.count("forwarded source=wire") != N or "published id=" in elog:
        fail("the edge instance must forward without parsing: %d forwarded"
             % elog.count("forwarded source=wire"))
    recv = {}
    for topic, key, value, headers in rawmsgs:
        h = dict(headers)
        if "newswired-uri" not in h or "newswired-received-at" not in h:
            fail("raw message without uri/received-at headers: %r" % h)
        recv[h["newswired-uri"].decode()] = int(h["newswired-received-at"])
    if len(recv) != N:
        fail("raw topic has %d distinct dispatches, want %d" % (len(recv), N))
    ev, dl = {}, {}
    for topic, key, value, headers in got:
        if topic == events:
            e = json.loads(value)
            if key.decode() != e["id"]:
                fail("event key is not its id")
            u = e["source"]["uri"]
            ev[u] = ev.get(u, 0) + 1
            t = datetime.datetime.strptime(
                e["received_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                    tzinfo=datetime.timezone.utc)
            if abs(t.timestamp() * 1000 - recv.get(u, -1)) > 1:
                fail("event received_at %s is not the edge's %s for %s"
                     % (e["received_at"], recv.get(u), u))
        else:
            u = dict(headers)["newswired-uri"].decode()
            dl[u] = dl.get(u, 0) + 1
    want_ev = {u for u in recv if not os.path.basename(u) < "d%04d" % BAD}
    want_dl = set(recv) - want_ev
    if set(ev) != want_ev or any(c != 1 for c in ev.values()):
        fail("events: %d distinct of %d wanted, %d duplicated"
             % (len(set(ev) & want_ev), len(want_ev),
                sum(1 for c in ev.values() if c != 1)))
    if set(dl) != want_dl or any(c != 1 for c in dl.values()):
        fail("dead letters: %d, want %d once each" % (len(dl), len(want_dl)))
    print("OK: %d forwarded raw, %d events and %d dead letters once each"
          % (N, len(ev), len(dl)))


if __name__ == "__main__":
    main()
