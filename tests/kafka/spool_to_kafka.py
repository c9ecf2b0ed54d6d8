#!/usr/bin/python3
"""1,000 dispatches dropped in the spool arrive on the topic once each, keyed
by event id, with the sink's headers, and validate against
docs/event.schema.json; unparseable ones arrive on the dead-letter topic with
their raw bytes and reason headers, and their files end in failed/."""
import json
import sys

import nwkafka as K

N = 1000
BAD = 20


def main():
    brokers = K.bootstrap()
    validator = K.validator()
    wd = K.workdir("a")
    spool = K.Spool(wd + "/spool")
    topic, dlt = K.unique_topic("events"), K.unique_topic("dead")
    d = K.Daemon(wd, brokers, topic, dlt, spool)
    d.start()
    for i in range(N):
        spool.drop("d%05d.txt" % i, K.dispatch(i, topic))
    bad = {}
    for i in range(BAD):
        bad["bad%03d.txt" % i] = K.bad_dispatch(i)
        spool.drop("bad%03d.txt" % i, bad["bad%03d.txt" % i])
    K.wait_for(lambda: spool.count("done") == N and spool.count("failed") == BAD,
               120, "%d files in done/ and %d in failed/" % (N, BAD), d)
    rc = d.stop()
    K.check(rc == 0, "SIGTERM: daemon exited 0 (got %s)" % rc)
    K.check(spool.count("incoming") == 0, "nothing left in incoming/")

    msgs = K.consume(brokers, topic, N, timeout=60)
    K.check(len(msgs) == N, "%d events on %s (got %d)" % (N, topic, len(msgs)))
    keys = [m[0] for m in msgs]
    K.check(len(set(keys)) == N, "each event once: %d distinct keys" % len(set(keys)))
    files = set()
    for key, value, h, _, _ in msgs:
        ev = json.loads(value)
        errs = list(validator.iter_errors(ev))
        if errs:
            K.check(False, "event %s valid against the schema: %s" % (key, errs[0].message))
        if key != ev["id"]:
            K.check(False, "key %s is the event id %s" % (key, ev["id"]))
        want = {"content-type": "application/json",
                "newswired-source": "wire"}
        for k, v in want.items():
            if h.get(k) != v:
                K.check(False, "header %s=%s on %s (got %r)" % (k, v, key, h.get(k)))
        if not h.get("newswired-schema", "").startswith("newswired.event/"):
            K.check(False, "newswired-schema header on %s: %r" % (key, h))
        if "/" not in h.get("newswired-parser", ""):
            K.check(False, "newswired-parser name/version on %s: %r" % (key, h))
        files.add(K.event_file(value))
    K.check(True, "every event valid, keyed by its id, with the four headers")
    K.check(files == spool.names("done"),
            "the events are those of the files in done/")
    kc = K.kcat_count(brokers, topic)
    K.check(sorted(kc) == sorted(keys), "kcat reads the same %d keys" % len(kc))

    dead = K.consume(brokers, dlt, BAD, timeout=30)
    K.check(len(dead) == BAD, "%d dead letters (got %d)" % (BAD, len(dead)))
    for key, value, h, _, _ in dead:
        name = key.rsplit("/", 1)[-1]
        if name not in bad or bad[name] != value:
            K.check(False, "dead letter %s carries the raw bytes" % name)
        if h.get("newswired-error-reason") != "binary" or not h.get("newswired-error"):
            K.check(False, "reason headers on %s: %r" % (name, h))
    K.check(True, "dead letters: raw bytes, newswired-error-reason=binary, newswired-error")
    K.check(spool.names("failed") == set(bad), "the bad files are in failed/")
    K.cleanup(wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
