#!/usr/bin/python3
"""`newswired tail` against the real broker: follows a topic from the end
(only what is published after it starts), reads it from the beginning, one
line per quotation, --json passes the daemon's events through unchanged,
each filter (--speaker, --agency, --language, --story) keeps exactly the
events it should, a ninjs topic reads like the events, and a dead letter or
a message of an unknown contract is named as such, not printed as an event.

The --story and contract-2 events are hand-written event lines (issue 13's
story object), built here from events the daemon published; everything else
is the daemon's own output."""
import json
import os
import subprocess
import threading
import time

import nwkafka as K

SPEAKER_DISPATCH = (
    "Port traffic grows for a {n} month running\n\n"
    "{city}, {month} 4. /TASS/. Cargo handled by the northern ports grew "
    "again in {month}, Deputy Transport Minister Yelena Korotkova told "
    "reporters on Tuesday.\n\n"
    "\"The new berths are working at full load and we will open two more "
    "before the winter,\" Korotkova said.\n")
RU_DISPATCH = (
    "Мост через Волгу откроют осенью\n\n"
    "КАЗАНЬ, 5 июня. /ТАСС/. Новый мост через Волгу откроют осенью, "
    "сообщил мэр города Ильсур Метшин. \"Мост {n} будет готов к сентябрю, "
    "строители опережают график\", - сказал Метшин журналистам.\n")


class Tail:
    """A `newswired tail` process whose output lines are collected."""

    def __init__(self, args):
        self.out, self.err = [], []
        self.p = subprocess.Popen([K.newswired(), "tail"] + args,
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

    def stderr_has(self, text):
        return any(text in l for l in self.err)

    def wait(self, timeout=60):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            K.say("FAIL: tail did not end; stdout %r stderr %r" %
                  (self.out, self.err))
            raise SystemExit(1)
        time.sleep(0.1)  # the reader threads finish the pipes
        return rc


def run_tail(args, timeout=60):
    t = Tail(args)
    rc = t.wait(timeout)
    if rc != 0:
        K.say("tail stderr: %r" % t.err[-3:])
    K.check(rc == 0, "tail %s exits 0 (got %s)" % (" ".join(args[4:]), rc))
    return t


def produce(brokers, topic, values):
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": brokers})
    for v in values:
        # One key: one partition, so the order is the order written.
        p.produce(topic, key=b"k", value=v)
    K.check(p.flush(30) == 0, "%d hand-written messages on %s" %
            (len(values), topic))


DAEMONS = []


def main():
    try:
        run()
    finally:
        # A failed check must not leave a daemon behind.
        for d in DAEMONS:
            if d.alive():
                d.stop(30)


def run():
    brokers = K.bootstrap()
    wd = K.workdir("tail")
    spool = K.Spool(wd + "/spool")
    topic, dlt = K.unique_topic("tail"), K.unique_topic("taildead")
    d = K.Daemon(wd, brokers, topic, dlt, spool)
    DAEMONS.append(d)
    d.start()
    # A first event, so the topic exists before tail starts at its end.
    spool.drop("first.txt", K.dispatch(0, topic))
    K.wait_for(lambda: spool.count("done") == 1, 60, "the first event", d)

    # From the end: only what comes after tail is ready.
    t = Tail(["-b", brokers, "-t", topic, "--count", "3"])
    K.wait_for(lambda: t.stderr_has("from the end") or t.p.poll() is not None,
               30, "tail to be ready")
    for i in range(1, 4):
        spool.drop("d%d.txt" % i, K.dispatch(i, topic))
    spool.drop("bad.txt", K.bad_dispatch(1))
    rc = t.wait(60)
    K.check(rc == 0, "tail --count 3 from the end exits 0 (got %s; %r)" %
            (rc, t.err))
    K.check(len(t.out) == 3, "3 lines from the end (got %r)" % t.out)
    for i in range(1, 4):
        n = "%s-%06d" % (topic, i)
        K.check(any(("regional programme number " + n) in l for l in t.out),
                "event %s shown with its headline" % n)
    K.check(not any("%s-%06d" % (topic, 0) in l for l in t.out),
            "the event published before tail started is not shown")
    K.check(all(" TASS " in l and "\x1b[" not in l for l in t.out),
            "agency shown, no colour in a pipe")
    names = [p[1] for p in K.PEOPLE]
    K.check(all(any(n in l for n in names) for l in t.out),
            "each line names its speaker")
    K.check(all(any(c in l for c in K.CITIES) for l in t.out),
            "each line shows its dateline city")

    K.wait_for(lambda: spool.count("done") == 4 and spool.count("failed") == 1,
               60, "4 done and 1 failed", d)

    # From the beginning, and one line per quotation.
    t = run_tail(["-b", brokers, "-t", topic, "--from-beginning", "-e"])
    K.check(len(t.out) == 4, "from the beginning: all 4 events (got %d)" %
            len(t.out))
    t = run_tail(["-b", brokers, "-t", topic, "--from-beginning", "-e",
                  "--quotes"])
    direct = [l for l in t.out if '"We expect the programme to be completed '
              'on time and within the budget that was approved,"' in l]
    K.check(len(direct) == 4, "--quotes: the direct quotation of each of the "
            "4 events on its own line (got %d of %d lines)" %
            (len(direct), len(t.out)))
    K.check(all(any((p[1] + ": ") in l or (p[1] + ", ") in l for p in K.PEOPLE)
                for l in direct), "--quotes: each names its speaker")

    # --json: the daemon's events, unchanged.
    t = run_tail(["-b", brokers, "-t", topic, "--from-beginning", "-e",
                  "--json"])
    raw = [m[1].decode() for m in K.consume(brokers, topic, 4, idle=1.0)]
    K.check(sorted(t.out) == sorted(raw), "--json passes the 4 events "
            "through byte for byte")

    # The dead-letter topic holds raw dispatches: named, not shown.
    t = run_tail(["-b", brokers, "-t", dlt, "--from-beginning", "-e"])
    K.check(t.out == [], "a dead letter is not printed as an event")
    K.check(any("not a newswired event" in l and dlt in l for l in t.err),
            "a dead letter is named as not an event, with where it is: %r" %
            t.err[-2:])

    # Filters over hand-written lines: real events from the daemon, then
    # edited (agency, story object).
    spool.drop("sp.txt", SPEAKER_DISPATCH.format(n=1, city="MURMANSK",
                                                 month="May"))
    spool.drop("ru.txt", RU_DISPATCH.format(n=1))
    K.wait_for(lambda: spool.count("done") == 6, 60, "6 done", d)
    evs = {}
    for m in K.consume(brokers, topic, 6, idle=1.0):
        ev = json.loads(m[1])
        evs[K.event_file(m[1])] = ev
    def contract1(ev):
        # The daemon writes contract 2 (with the story object); the
        # previous contract is the same event without it.
        ev = dict(ev, schema="newswired.event/1")
        ev.pop("story", None)
        return ev

    K.check(all(e.get("schema") == "newswired.event/2" and "story" in e
                for e in evs.values()),
            "the daemon's events are contract 2, with their story")
    sp, ru, base = (contract1(evs[f]) for f in ("sp.txt", "ru.txt", "d1.txt"))
    K.check(ru["language"] == "ru" and sp["language"] == "en",
            "the parser gave the two languages")
    ria = dict(base, agency="RIA Novosti", id="1" * 64,
               headline="An edited copy credited to another agency")
    v2 = []
    for ver, kind in ((1, "first"), (2, "update"), (3, "kill")):
        v2.append(dict(sp, schema="newswired.event/2", id=str(ver) * 64,
                       headline="Port story, version %d" % ver,
                       story={"key": "ports-2026", "version": ver,
                              "kind": kind,
                              "supersedes": None if ver == 1 else
                              str(ver - 1) * 64}))
    other = dict(ru, schema="newswired.event/2", id="9" * 64,
                 story={"key": "bridge", "version": 1, "kind": "flash",
                        "supersedes": None})
    hand = K.unique_topic("tailhand")
    lines = [base, sp, ru, ria] + v2 + [other]
    produce(brokers, hand, [json.dumps(e, ensure_ascii=False).encode()
                            for e in lines] +
            [b"plain text is not an event",
             json.dumps(dict(base, schema="newswired.event/7")).encode()])

    def heads(args):
        t = run_tail(["-b", brokers, "-t", hand, "--from-beginning", "-e"] +
                     args)
        return t

    t = heads([])
    K.check(len(t.out) == len(lines), "all %d hand-written events shown, "
            "contracts 1 and 2 alike (got %d)" % (len(lines), len(t.out)))
    K.check(sum("not a newswired event" in l for l in t.err) == 2,
            "plain text and newswired.event/7 are each named as not an "
            "event: %r" % t.err)
    K.check(any("newswired.event/7" in l for l in t.err),
            "the unknown contract is named")
    K.check(any("Port story, version 2" in l and "[v2 update]" in l
                for l in t.out), "contract 2 shows the story version and kind")
    K.check(any("Port story, version 3" in l and "[v3 kill]" in l
                for l in t.out), "a kill is shown as one")
    K.check(not any("[v" in l for l in t.out[:4]),
            "contract 1 events show no story version")

    t = heads(["--speaker", "korotkova"])
    K.check(len(t.out) == 4 and all("Yelena Korotkova" in l for l in t.out),
            "--speaker korotkova: the 4 events quoting her (got %r)" % t.out)
    t = heads(["--speaker", "МЕТШИН"])
    K.check(len(t.out) == 2 and all("Метшин" in l for l in t.out),
            "--speaker folds Cyrillic case: 2 events (got %r)" % t.out)
    t = heads(["--agency", "ria novosti"])
    K.check(len(t.out) == 1 and "another agency" in t.out[0],
            "--agency: only the RIA Novosti event (got %r)" % t.out)
    t = heads(["--language", "ru"])
    K.check(len(t.out) == 2 and all("КАЗАНЬ" in l and "Мост через Волгу" in l
                                    for l in t.out),
            "--language ru: the 2 Russian events (got %r)" % t.out)
    t = heads(["--story", "ports-2026"])
    K.check([l.split("Port story, ")[1][:9] for l in t.out if "Port story" in l]
            == ["version 1", "version 2", "version 3"] and len(t.out) == 3,
            "--story ports-2026: its 3 versions in order (got %r)" % t.out)
    t = heads(["--story", "ports-2026", "--quotes", "--speaker", "korotkova"])
    direct = [l for l in t.out if '"The new berths are working' in l]
    K.check(len(t.out) == 6 and all("Yelena Korotkova" in l for l in t.out)
            and [l.rsplit("  ", 1)[1] for l in direct] ==
            ["[v1 first]", "[v2 update]", "[v3 kill]"],
            "--story with --quotes: her 2 quotations in each of the 3 "
            "versions (got %r)" % t.out)
    t = heads(["--story", "no-such-story"])
    K.check(t.out == [], "--story of no story shows nothing")
    t = heads(["--color", "always", "--count", "1"])
    K.check("\x1b[" in t.out[0], "--color always colours")
    rc = d.stop()
    K.check(rc == 0, "the daemon exits 0 (got %s)" % rc)

    # ninjs: the same daemon writing ninjs reads like the events.
    ntopic = K.unique_topic("tailninjs")
    wd2 = K.workdir("tailn")
    spool2 = K.Spool(wd2 + "/spool")
    d2 = K.Daemon(wd2, brokers, ntopic, K.unique_topic("taildead2"), spool2,
                  extra="format = ninjs\n")
    DAEMONS.append(d2)
    d2.start()
    spool2.drop("sp.txt", SPEAKER_DISPATCH.format(n=2, city="ARKHANGELSK",
                                                  month="June"))
    K.wait_for(lambda: spool2.count("done") == 1, 60, "the ninjs event", d2)
    rc = d2.stop()
    K.check(rc == 0, "the ninjs daemon exits 0 (got %s)" % rc)
    t = run_tail(["-b", brokers, "-t", ntopic, "--from-beginning", "-e"])
    K.check(len(t.out) == 1 and "Yelena Korotkova" in t.out[0] and
            "Port traffic grows" in t.out[0] and "TASS" in t.out[0],
            "a ninjs event: agency, headline, speaker (got %r)" % t.out)
    t = run_tail(["-b", brokers, "-t", ntopic, "--from-beginning", "-e",
                  "--quotes", "--speaker", "korotkova"])
    K.check(len(t.out) == 2 and "The new berths are working" in t.out[1]
            and "(reported): Cargo handled" in t.out[0],
            "ninjs --quotes: her 2 quotations (got %r)" % t.out)
    K.cleanup(wd)
    K.cleanup(wd2)
    K.say("PASS")


if __name__ == "__main__":
    main()
