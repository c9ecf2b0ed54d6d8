"""Stories across several instances, against the real broker: two newswired
instances each run both hops, the parse hop (raw topic -> events without
their story, keyed by language, to the parsed topic) in one consumer group
and the story hop (parsed topic -> events with their story, key = story) in
another, exactly once on both. Four stories (two English, two Russian) move
as a flash, the first version and an update, which the instance owning
the Russian stories' partition assigns and produces but is killed with
kill -9 before its transaction commits; then a repeat of the first version
through a second channel and a correction; each step's raw dispatches are spread over the raw
topic's partitions, so one story's versions are parsed by different
instances. A read_committed consumer must see on the output topic: each
story under one key (the message key too), versions 1..4 in order with the
kinds flash, first, update, correction and each superseding the one
before, no repeat published, every event exactly once. The survivor must
have rebuilt the killed instance's story partition by replaying it,
published the updates the killed instance had left open (with the same
versions), and known the repeats' first versions. The story hop also
writes ninjs to a file: each story's versions there have the story's URI,
versions 1..4, one firstcreated, their event ids in altids, pubstatus
usable. /metrics counts the story hop's stories: the two instances' gauges
add up to the four stories while both run, the survivor's is four at the
end. It prints the latency the second hop adds (output message time minus
parsed message time)."""
import json
import os
import sys
import socket
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eoslib import (Instance, brokers, create_topics, fail, kafka,  # noqa
                    unique)
from story_chains import STEPS, stories  # noqa: E402

CONF = """[daemon]
state_dir = state
log_level = info
shutdown_timeout = 20s
admin_address = 127.0.0.1:{admin}

[source raw]
type = kafka
brokers = {b}
topic = {raw}
group = {g1}
exactly_once = yes
session_timeout = 6s
sinks = parsed

[sink parsed]
type = kafka-txn
brokers = {b}
parsed = yes
topic = {parsed}
dead_letter_topic = {dlt}
transactional_id = {g1}-{name}
transaction_timeout = 10s

[source stories]
type = kafka
brokers = {b}
topic = {parsed}
group = {g2}
input = parsed
exactly_once = yes
session_timeout = 6s
sinks = events, ninjs

[sink events]
type = kafka-txn
brokers = {b}
topic = {events}
key = story
transactional_id = {g2}-{name}
transaction_timeout = 10s
; long enough that the kill below lands while versions are assigned and
; produced but their transaction is still open
commit_interval = 3s

; the same events as ninjs, written as they are confirmed (a redone
; transaction may write a version twice, once per instance)
[sink ninjs]
type = file
path = ninjs.jsonl
format = ninjs
fsync = batch
"""

STEP_MS = 5 * 60 * 1000  # between versions, in reception time


class Collector(threading.Thread):
    """Everything committed on the given topics, as it comes."""

    def __init__(self, b, topics):
        super().__init__(daemon=True)
        ck, _ = kafka()
        self.c = ck.Consumer({"bootstrap.servers": b,
                              "group.id": unique("check"),
                              "auto.offset.reset": "earliest",
                              "enable.auto.commit": False,
                              "isolation.level": "read_committed"})
        self.c.subscribe(topics)
        self.msgs = []
        self.lock = threading.Lock()
        self.halt = False

    def run(self):
        while not self.halt:
            m = self.c.poll(0.2)
            if m is None or m.error():
                continue
            with self.lock:
                self.msgs.append((m.topic(), m.partition(), m.offset(),
                                  m.key(), m.value(), m.timestamp()[1]))
        self.c.close()

    def on(self, topic):
        with self.lock:
            return [m for m in self.msgs if m[0] == topic]


def wait(cond, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.1)
    fail("timed out waiting for " + what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stories_gauge(inst):
    """newswired_stories from the instance's /metrics."""
    url = "http://127.0.0.1:%d/metrics" % inst.admin
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    for line in text.splitlines():
        if line.startswith("newswired_stories "):
            return float(line.split()[1])
    fail("no newswired_stories in %s/metrics:\n%s" % (inst.name, text))


def check_ninjs(insts, by_story, names):
    """The ninjs file sinks against the events on the output topic."""
    got = {}  # event id -> ninjs object
    for inst in insts:
        path = os.path.join(inst.dir, "ninjs.jsonl")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                n = json.loads(line)
                ids = [a["value"] for a in n.get("altids", [])
                       if a.get("role") == "newswired"]
                if len(ids) != 1:
                    fail("ninjs without one newswired altid: %s" % line)
                if ids[0] in got and got[ids[0]] != n:
                    fail("ninjs of %s written twice, differently" % ids[0])
                got[ids[0]] = n
    for name in names:
        evs = by_story[name]
        key = evs[0][2]["story"]["key"]
        ns = []
        for _, _, e in evs:
            if e["id"] not in got:
                fail("story %s v%d (%s) has no ninjs" %
                     (name, e["story"]["version"], e["id"]))
            ns.append((e, got.pop(e["id"])))
        uris = {n["uri"] for _, n in ns}
        first = {n.get("firstcreated") for _, n in ns}
        vers = [n.get("version") for _, n in ns]
        if uris != {"urn:newswired:story:" + key}:
            fail("story %s: ninjs uri %s, not the story's" % (name, uris))
        if vers != [str(v) for v in range(1, len(ns) + 1)]:
            fail("story %s: ninjs versions %s" % (name, vers))
        if len(first) != 1 or None in first:
            fail("story %s: ninjs firstcreated %s" % (name, first))
        for e, n in ns:
            if n.get("pubstatus") != "usable":
                fail("story %s v%s: pubstatus %r" %
                     (name, n.get("version"), n.get("pubstatus")))
            if n.get("language") != e["language"]:
                fail("story %s: ninjs language %r" % (name, n.get("language")))
    if got:
        fail("ninjs of events not on the output topic: %s" % sorted(got))
    print("ninjs: %d stories, versions 1..4 under the story's uri, one "
          "firstcreated each" % len(names))


def story_partitions(text):
    """The story-hop partitions an instance holds, from its log."""
    held = set()
    for line in text.splitlines():
        if "kafka revoked source=stories" in line:
            held.discard(int(line.rsplit("partition=", 1)[1].split()[0]))
        elif "kafka assigned source=stories" in line:
            held.add(int(line.rsplit("partition=", 1)[1].split()[0]))
    return held


def main():
    b = brokers()
    ck, _ = kafka()
    raw, parsed = unique("st.raw"), unique("st.parsed")
    events, dlt = unique("st.events"), unique("st.dlt")
    g1, g2 = unique("st-parse"), unique("st-story")
    create_topics(b, {raw: 6, parsed: 4, events: 4, dlt: 1})
    tmp = os.environ.get("NW_TEST_TMP")
    base = int(time.time() * 1000) - 3600 * 1000
    day = time.gmtime(base / 1000)
    chains = stories(day.tm_mon, day.tm_mday)
    names = sorted(chains)
    col = Collector(b, [parsed, events])
    col.start()
    insts = []
    for i in range(2):
        inst = Instance("st%d" % i, b, raw, g1, events, dlt, tmp=tmp)
        inst.admin = free_port()
        with open(inst.conf, "w") as f:
            f.write(CONF.format(b=b, raw=raw, parsed=parsed, events=events,
                                dlt=dlt, g1=g1, g2=g2, name="i%d" % i,
                                admin=inst.admin))
        insts.append(inst)
    p = ck.Producer({"bootstrap.servers": b, "enable.idempotence": True})
    sent = {}  # uri -> (story, step)
    produced_at = {}
    seq = [0]

    def produce(step, text_of, n_step):
        for j, name in enumerate(names):
            uri = "test:%s/%s" % (name, step)
            at = base + n_step * STEP_MS + j * 1000
            # Round robin over the raw partitions: a story's versions are
            # parsed by whichever instance holds each one.
            p.produce(raw, value=chains[name][text_of].encode(),
                      key=uri.encode(), partition=seq[0] % 6,
                      headers=[("newswired-uri", uri.encode()),
                               ("newswired-received-at", b"%d" % at)])
            seq[0] += 1
            sent[uri] = (name, step)
            produced_at[uri] = time.time()
        if p.flush(30) != 0:
            fail("the test's producer could not deliver")

    def outputs():
        return col.on(events)

    victim = survivor = None
    try:
        for i in insts:
            i.start()
        wait(lambda: all("kafka assigned source=raw" in i.log_text() and
                         "kafka assigned source=stories" in i.log_text()
                         for i in insts), 90, "both instances assigned")
        # Let the group settle: both hold partitions of both topics.
        wait(lambda: all(story_partitions(i.log_text()) for i in insts) and
             len(set().union(*[story_partitions(i.log_text())
                               for i in insts])) == 4, 60,
             "the story partitions shared by both instances")
        for k, step in enumerate(STEPS[:2]):
            produce(step, step, k)
            wait(lambda: len(outputs()) >= len(names) * (k + 1), 60,
                 "the %s versions on the output topic" % step)
        # Each story is in one partition's index, held by one instance.
        held = [stories_gauge(i) for i in insts]
        if sum(held) != len(names):
            fail("newswired_stories %s do not add up to %d stories"
                 % (held, len(names)))
        print("newswired_stories per instance: %s" % held)
        # The updates: once the parse hop committed them to the parsed
        # topic, the story hop assigns and produces them at once but
        # commits only after commit_interval (3 s): kill the owner of the
        # Russian stories' partition in between, so its open transaction
        # is lost and the next owner must redo it with the same versions.
        produce("update", "update", 2)
        wait(lambda: sum(1 for pm in col.on(parsed)
                         if pm[4] and b"/update\"" in pm[4]) == len(names),
             60, "the updates on the parsed topic")
        time.sleep(0.8)
        ru_part = [pm[1] for pm in col.on(parsed)
                   if json.loads(pm[4])["language"] == "ru"][0]
        victim = [i for i in insts
                  if ru_part in story_partitions(i.log_text())]
        if len(victim) != 1:
            fail("no single owner of partition %d" % ru_part)
        victim = victim[0]
        survivor = [i for i in insts if i is not victim][0]
        mark = len(survivor.log_text())
        victim.kill9()
        per = [sum(1 for ln in i.log_text().splitlines()
                   if "published id=" in ln and "source=raw" in ln)
               for i in insts]
        if min(per) == 0:
            fail("one instance parsed nothing: %s" % per)
        open_ru = [u for u in ("test:%s/update" % n for n in names
                               if n.startswith("ru-"))
                   if not any(json.loads(v)["source"]["uri"] == u
                              for _, _, _, _, v, _ in outputs())]
        print("killed %s (story partitions %s) after %s parsed per "
              "instance; Russian updates not yet committed: %d"
              % (victim.name, sorted(story_partitions(victim.log_text())),
                 per, len(open_ru)))
        if not open_ru:
            fail("the kill came after the victim's transaction committed: "
                 "nothing was left to redo")
        wait(lambda: len(outputs()) >= len(names) * 3, 150,
             "the updates on the output topic")
        produce("repeat", "first", 3)
        # A dropped repeat publishes nothing, so no transaction commits its
        # offset until the partition's next event: a rebalance meanwhile
        # reads it again and drops it again. Every story's repeat must be
        # seen, some maybe twice.
        wait(lambda: all("file=test:%s/repeat " % n in
                         "\n".join(ln for ln in
                                   survivor.log_text()[mark:].splitlines()
                                   if "repeat id=" in ln)
                         for n in names), 150,
             "the survivor to take the repeats as repeats")
        produce("correction", "correction", 4)
        wait(lambda: len(outputs()) >= len(names) * 4, 150,
             "the corrections on the output topic")
        time.sleep(5)  # late duplicates would show now
        after = survivor.log_text()[mark:]
        # The survivor holds every story partition now.
        if stories_gauge(survivor) != len(names):
            fail("the survivor's newswired_stories is %s, not %d"
                 % (stories_gauge(survivor), len(names)))
    finally:
        rcs = {i.name: i.stop() for i in insts
               if i.proc is not None and i.proc.poll() is None}
        col.halt = True
        col.join(10)
    if any(rc != 0 for rc in rcs.values()):
        fail("instances did not stop cleanly on SIGTERM: %s" % rcs)

    rebuilt = [ln for ln in after.splitlines()
               if "stories rebuilt source=stories" in ln and
               " partition=%d " % ru_part in ln]
    if not rebuilt or "replayed=0 " in rebuilt[-1]:
        fail("the survivor did not rebuild partition %d by replaying it: %s"
             % (ru_part, rebuilt))
    print(rebuilt[-1].split("stories rebuilt ", 1)[1])
    for u in open_ru:
        if not any("source=stories file=%s " % u in ln and
                   "published id=" in ln for ln in after.splitlines()):
            fail("%s, open in the killed instance's transaction, was not "
                 "published by the survivor" % u)

    out = outputs()
    seen = {}
    by_story = {}
    for topic, part, off, key, value, ts in out:
        e = json.loads(value)
        uri = e["source"]["uri"]
        seen[uri] = seen.get(uri, 0) + 1
        if uri not in sent:
            fail("unexpected event %s" % uri)
        if key.decode() != e["story"]["key"]:
            fail("message key %r is not the story key %s"
                 % (key, e["story"]["key"]))
        by_story.setdefault(sent[uri][0], []).append((part, off, e))
    want = {"test:%s/%s" % (n, s) for n in names for s in STEPS}
    dup = {u: c for u, c in seen.items() if c != 1}
    if set(seen) != want or dup:
        fail("events: missing %s, extra %s, duplicated %s"
             % (sorted(want - set(seen)), sorted(set(seen) - want), dup))
    keys = set()
    for name in names:
        evs = sorted(by_story[name], key=lambda x: (x[0], x[1]))
        got = [(e["story"]["version"], e["story"]["kind"],
                e["story"]["repeat"]) for _, _, e in evs]
        wanted = [(v + 1, STEPS[v], False) for v in range(4)]
        skeys = {e["story"]["key"] for _, _, e in evs}
        parts = {pt for pt, _, _ in evs}
        if got != wanted or len(skeys) != 1 or len(parts) != 1:
            fail("story %s: versions %s (want %s), keys %s, partitions %s"
                 % (name, got, wanted, skeys, parts))
        prev = None
        for _, _, e in evs:
            if e["story"]["supersedes"] != prev:
                fail("story %s v%d supersedes %s, not %s"
                     % (name, e["story"]["version"],
                        e["story"]["supersedes"], prev))
            if e["story"]["first_created"] != evs[0][2]["received_at"]:
                fail("story %s: first_created %s is not v1's received_at"
                     % (name, e["story"]["first_created"]))
            prev = e["id"]
        key = skeys.pop()
        keys.add(key)
        rep = [ln for ln in after.splitlines() if "repeat id=" in ln and
               "file=test:%s/repeat " % name in ln]
        if not rep or any(("story=%s v=2 kind=first" % key) not in ln
                          for ln in rep):
            fail("the survivor's repeat lines for %s do not name the "
                 "story's first version: %s" % (name, rep))
    if len(keys) != len(names):
        fail("two stories share a key")
    check_ninjs(insts, {n: sorted(by_story[n], key=lambda x: (x[0], x[1]))
                        for n in names}, names)

    # The second hop's cost: the output message's time minus the parsed
    # message's, both set at produce (so the story hop's own commit wait,
    # which one hop has too, is not in it), for the steps before the kill:
    # the parse hop's commit, a fetch and the assignment.
    ptime = {json.loads(v)["source"]["uri"]: ts
             for _, _, _, _, v, ts in col.on(parsed)}
    hop = sorted(ts - ptime[json.loads(v)["source"]["uri"]]
                 for _, _, _, _, v, ts in out
                 if json.loads(v)["source"]["uri"] in ptime and
                 json.loads(v)["source"]["uri"].endswith(("/flash",
                                                          "/first")))
    print("second hop latency ms: n=%d min=%d median=%d max=%d"
          % (len(hop), hop[0], hop[len(hop) // 2], hop[-1]))
    print("OK: %d stories, 4 versions each in order under one key, %d "
          "events exactly once, repeats not published, across kill -9"
          % (len(names), len(out)))


if __name__ == "__main__":
    main()
