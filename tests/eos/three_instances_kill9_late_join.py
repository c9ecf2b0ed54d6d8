"""Exactly once across a consumer group, against the real broker: 10,000
raw dispatches (50 of them unparseable) produced as the test goes to a
6-partition raw topic; three newswired instances in one group parse them
with a transactional Kafka sink; one is killed with kill -9 midway and a
fourth joins late. A read_committed consumer must then see every dispatch's
event exactly once (by key, and by the dispatch's uri), and every
unparseable one exactly once on the dead-letter topic.

With --plain (no transactions; the source commits offsets by the ack rule)
the same run must lose nothing: every dispatch at least once, duplicates only
with the same key. It also shows the exactly-once check can fail: without
transactions a kill -9 leaves duplicates, which are counted and printed."""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eoslib import (Instance, bad_dispatch, brokers, consume_all,
                    create_topics, dispatch_text, fail, kafka, unique)

N = int(os.environ.get("NW_EOS_DISPATCHES", "10000"))
BAD = 50
RATE = float(os.environ.get("NW_EOS_RATE", "700"))  # dispatches/s produced
PLAIN = "--plain" in sys.argv


def main():
    b = brokers()
    ck, _ = kafka()
    raw, events, dlt = unique("eos.raw"), unique("eos.events"), unique("eos.dlt")
    group = unique("eos-group")
    create_topics(b, {raw: 6, events: 6, dlt: 2})
    bad = set(range(7, N, N // BAD))  # spread over the run
    tmp = os.environ.get("NW_TEST_TMP")

    def inst(i):
        if PLAIN:
            return Instance("i%d" % i, b, raw, group, events, dlt,
                            exactly_once=False, tmp=tmp)
        return Instance("i%d" % i, b, raw, group, events, dlt,
                        txn_id="%s-i%d" % (group, i), tmp=tmp)

    insts = [inst(i).start() for i in range(3)]
    produced = [0]

    def produce():
        p = ck.Producer({"bootstrap.servers": b, "linger.ms": 5,
                         "enable.idempotence": True})
        t0 = time.time()
        for n in range(N):
            body = bad_dispatch(n) if n in bad else dispatch_text(n)
            p.produce(raw, value=body, key=b"d%d" % n,
                      headers=[("newswired-uri", b"test:dispatch/%d" % n),
                               ("newswired-received-at",
                                b"%d" % (1780000000000 + n))])
            produced[0] = n + 1
            p.poll(0)
            ahead = (n + 1) / RATE - (time.time() - t0)
            if ahead > 0:
                time.sleep(ahead)
        if p.flush(60) != 0:
            fail("the test's producer could not deliver the raw dispatches")

    th = threading.Thread(target=produce)
    try:
        deadline = time.time() + 60
        while not all("kafka assigned" in i.log_text() for i in insts):
            if time.time() > deadline:
                fail("the three instances were not all assigned partitions")
            time.sleep(0.1)
        th.start()
        deadline = time.time() + 120
        while (produced[0] < N * 0.35 or
               insts[1].count("published id=") == 0) and \
                time.time() < deadline:
            time.sleep(0.05)
        victim = insts[1]
        before = victim.count("published id=")
        victim.kill9()
        print("killed %s after %d of its dispatches published, %d produced"
              % (victim.name, before, produced[0]))
        if before == 0:
            fail("the killed instance had published nothing: the kill was "
                 "not mid-run")
        while produced[0] < N * 0.6 and time.time() < deadline:
            time.sleep(0.05)
        late = inst(3).start()
        insts.append(late)
        print("fourth instance joined at %d produced" % produced[0])
        th.join(120)
        expect = N - len(bad) + len(bad)
        got = consume_all(b, [events, dlt], expect, quiet_s=8,
                          timeout_s=150)
    finally:
        if th.is_alive():
            th.join(1)
        rcs = {i.name: i.stop() for i in insts if i.proc.poll() is None}
    if any(rc != 0 for rc in rcs.values()):
        fail("instances did not stop cleanly on SIGTERM: %s" % rcs)

    ev_keys, ev_uris, dl_uris = {}, {}, {}
    for topic, key, value, headers in got:
        if topic == events:
            e = json.loads(value)
            if key.decode() != e["id"]:
                fail("event key %r is not its id %s" % (key, e["id"]))
            ev_keys[e["id"]] = ev_keys.get(e["id"], 0) + 1
            u = e["source"]["uri"]
            ev_uris[u] = ev_uris.get(u, 0) + 1
        else:
            h = dict(headers)
            u = h.get("newswired-uri", b"").decode()
            dl_uris[u] = dl_uris.get(u, 0) + 1
    want_ev = {"test:dispatch/%d" % n for n in range(N) if n not in bad}
    want_dl = {"test:dispatch/%d" % n for n in bad}
    dup_ev = {u: c for u, c in ev_uris.items() if c != 1}
    dup_keys = {k: c for k, c in ev_keys.items() if c != 1}
    missing = want_ev - set(ev_uris)
    extra = set(ev_uris) - want_ev
    dl_missing = want_dl - set(dl_uris)
    dl_dup = {u: c for u, c in dl_uris.items() if c != 1}
    per = {i.name: i.count("published id=") for i in insts}
    print("events=%d distinct_keys=%d dead_letters=%d published_per_instance=%s"
          % (sum(ev_keys.values()), len(ev_keys), sum(dl_uris.values()), per))
    if PLAIN:
        # At least once: duplicates are allowed, with the same key.
        if missing or extra or dl_missing or set(dl_uris) != want_dl or \
                len(ev_keys) != len(want_ev):
            fail("missing=%d (e.g. %s) extra=%d dead-letter missing=%d "
                 "distinct keys=%d" % (len(missing), sorted(missing)[:3],
                                       len(extra), len(dl_missing),
                                       len(ev_keys)))
        print("OK (at least once): %d events, %d redelivered after the "
              "kill" % (len(ev_uris), sum(c - 1 for c in ev_uris.values())))
        return
    if missing or extra or dup_ev or dup_keys or dl_missing or dl_dup or \
            set(dl_uris) != want_dl:
        fail("missing=%d (e.g. %s) extra=%d duplicated=%d (e.g. %s) "
             "duplicate keys=%d dead-letter missing=%d duplicated=%d"
             % (len(missing), sorted(missing)[:3], len(extra), len(dup_ev),
                list(dup_ev.items())[:3], len(dup_keys), len(dl_missing),
                len(dl_dup)))
    if per[insts[3].name] == 0:
        fail("the late instance took no work: no rebalance to it was shown")
    for i in (insts[0], insts[2], insts[3]):
        if "kafka assigned" not in i.log_text():
            fail("%s was never assigned a partition" % i.name)
    print("OK: %d events exactly once, %d dead letters exactly once"
          % (len(ev_uris), len(dl_uris)))


if __name__ == "__main__":
    main()
