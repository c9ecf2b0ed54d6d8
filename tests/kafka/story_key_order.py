#!/usr/bin/python3
"""With `key = story`, a story's versions are keyed by the story key and land
on one partition in version order, as a consumer reads them from the topic:
a flash, the first version, an update (after a restart) and a correction of
one story (the c12 chain of tests/stories), among unrelated dispatches. A
repeat of the first version is not published. After kill -9 a dispatch
delivered again is published with the story and version it had.
Prints the story's messages as a consumer sees them (the README shows
them)."""
import json
import os
import shutil
import sys

import nwkafka as K

CHAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                     "stories", "chains", "c12-en-tass-plane-landing")


def chain(name):
    with open(os.path.join(CHAIN, name)) as f:
        return f.read()


def main():
    try:
        return run()
    finally:
        # A failed check exits: leave no daemon behind.
        for proc in RUNNING:
            if proc.alive():
                proc.kill9()


RUNNING = []


def run():
    brokers = K.bootstrap()
    wd = K.workdir("story")
    spool = K.Spool(wd + "/spool")
    topic, dlt = K.unique_topic("stories"), K.unique_topic("dead")
    d = K.Daemon(wd, brokers, topic, dlt, spool, extra="key = story\n")
    RUNNING.append(d)
    d.start()
    names = []

    def drop(name, text):
        spool.drop(name, text)
        names.append(name)
        K.wait_for(lambda: name in spool.names("done"), 60,
                   "%s in done/" % name, d)

    # Unrelated dispatches around the story's versions.
    drop("u01.txt", K.dispatch(1, topic))
    drop("s1-flash.txt", chain("01-flash.txt"))
    drop("u02.txt", K.dispatch(2, topic))
    drop("s2-first.txt", chain("02-first.txt"))
    rc = d.stop()
    K.check(rc == 0, "SIGTERM: exit 0 (got %s)" % rc)
    d.start()
    drop("s3-update.txt", chain("03-update.txt"))
    drop("s2-first-again.txt", chain("02-first.txt"))
    drop("u03.txt", K.dispatch(3, topic))
    drop("s4-correction.txt", chain("04-correction.txt"))
    with open(d.log, errors="replace") as f:
        log = f.read()
    K.check("repeat of " in log and "file=%s" % os.path.join(
        spool.path("incoming"), "s2-first-again.txt") in log,
        "the repeat is logged 'repeat of ID' and acknowledged")
    # kill -9, then the update's file delivered again.
    d.kill9()
    os.rename(os.path.join(spool.path("done"), "s3-update.txt"),
              os.path.join(spool.path("incoming"), "s3-update.txt"))
    d.start()
    K.wait_for(lambda: "s3-update.txt" in spool.names("done"), 60,
               "the redelivered update in done/", d)
    rc = d.stop()
    K.check(rc == 0, "SIGTERM: exit 0 (got %s)" % rc)

    msgs = K.consume(brokers, topic, 8, timeout=60)
    K.check(len(msgs) == 8, "8 messages: 3 unrelated, 4 versions, 1 "
            "redelivery; the repeat not published (got %d)" % len(msgs))
    story = []
    for key, value, hdr, part, off in msgs:
        ev = json.loads(value)
        K.check(key == ev["story"]["key"], "message key is the story key")
        if K.event_file(value).startswith("s"):
            story.append((part, off, key, ev))
    story.sort(key=lambda m: m[1])
    keys = set(m[2] for m in story)
    parts = set(m[0] for m in story)
    K.check(len(keys) == 1, "one story key for the 5 story messages: %r"
            % keys)
    K.check(len(parts) == 1, "one partition for the story: %r" % parts)
    got = [(m[3]["story"]["version"], m[3]["story"]["kind"]) for m in story]
    K.check(got == [(1, "flash"), (2, "first"), (3, "update"),
                    (4, "correction"), (3, "update")],
            "versions in offset order: flash 1, first 2, update 3, "
            "correction 4, then the redelivered update 3: %r" % got)
    ids = [m[3]["id"] for m in story]
    sup = [m[3]["story"]["supersedes"] for m in story]
    K.check(sup[:4] == [None, ids[0], ids[1], ids[2]],
            "each version supersedes the one before")
    K.check(ids[4] == ids[2] and story[4][3]["story"] == story[2][3]["story"],
            "the redelivery after kill -9 has the story it had")
    print("-- the story on %s, partition %d, as a consumer reads it:"
          % (topic, story[0][0]))
    for part, off, key, ev in story:
        s = dict(ev["story"])
        s.pop("markers", None)
        print("partition %d offset %d key %s\n  id %s  %s\n  story %s"
              % (part, off, key, ev["id"], ev["headline"],
                 json.dumps(s, ensure_ascii=False)))
    K.cleanup(wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
