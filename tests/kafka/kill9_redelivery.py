#!/usr/bin/python3
"""The daemon is killed with SIGKILL five times while it works through 5,000
dispatches, and restarted each time: every dispatch arrives at least once, a
duplicate always carries the same key (the event id) and the same event, so a
consumer de-duplicating by key sees exactly 5,000. Each kill is shown to have
hit work in flight: files still in incoming/ and files moving to done/ in the
moment before it."""
import json
import sys
import time

import nwkafka as K

N = 5000
KILLS = 5


def main():
    brokers = K.bootstrap()
    wd = K.workdir("c")
    spool = K.Spool(wd + "/spool")
    topic, dlt = K.unique_topic("events"), K.unique_topic("dead")
    # A narrow window spreads the moves to done/ over time, so that each
    # kill lands among them (with the default 4096 the backlog left after a
    # restart can be done in one burst between two looks).
    d = K.Daemon(wd, brokers, topic, dlt, spool,
                 daemon_extra="max_inflight = 256\n")
    for i in range(N):
        spool.drop("d%05d.txt" % i, K.dispatch(i, topic))
    d.start()
    kills = []
    for k in range(KILLS):
        # Kill at a different point each time, while files are moving.
        target = (k + 1) * N // (KILLS + 2)
        K.wait_for(lambda: spool.count("done") >= target, 120,
                   "%d files in done/ before kill %d" % (target, k + 1), d)
        # Kill right after seeing files move, with files still waiting.
        end = time.monotonic() + 10
        while time.monotonic() < end:
            before = spool.count("done")
            time.sleep(0.01)
            moving = spool.count("done") - before
            incoming = spool.count("incoming")
            if moving > 0 and incoming > 0:
                break
        d.kill9()
        kills.append((before, moving, incoming))
        K.say("kill -9 #%d: done=%d, %d moved in the 10 ms before, incoming=%d"
              % (k + 1, before, moving, incoming))
        K.check(moving > 0 and incoming > 0,
                "kill %d hit work in flight" % (k + 1))
        d.start()
    K.wait_for(lambda: spool.count("done") == N, 180,
               "all %d files in done/ after %d kills" % (N, KILLS), d)
    rc = d.stop()
    K.check(rc == 0, "SIGTERM: daemon exited 0 (got %s)" % rc)
    K.check(spool.count("incoming") == 0 and spool.count("failed") == 0,
            "nothing left in incoming/ or failed/")

    msgs = K.consume(brokers, topic, N, timeout=120)
    by_key = {}
    for key, value, _, _, _ in msgs:
        ev = json.loads(value)
        # received_at may differ between two deliveries of one file.
        ev.pop("received_at", None)
        ev.pop("received_at_ms", None)
        by_key.setdefault(key, []).append(json.dumps(ev, sort_keys=True))
    dups = sum(len(v) - 1 for v in by_key.values())
    K.check(len(by_key) == N, "de-duplicated by key: exactly %d (got %d, "
            "%d messages, %d duplicates)" % (N, len(by_key), len(msgs), dups))
    K.check(all(len(set(v)) == 1 for v in by_key.values()),
            "every duplicate is the same event under the same key")
    files = set(K.event_file(m[1]) for m in msgs)
    K.check(files == spool.names("done"), "one event for each of the %d files" % N)
    K.cleanup(wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
