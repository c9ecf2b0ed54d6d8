#!/usr/bin/python3
"""The whole daemon against librdkafka's mock cluster (mock_host), with the
faults a real broker can't easily be made to produce, injected mid-run:
NOT_ENOUGH_REPLICAS (retried, then delivered), request timeouts (retried,
then delivered), a fatal idempotence error (the producer is recreated, the
dispatches it held stay in incoming/ and are delivered later), and a message
the broker finds too large (permanent: the file goes to failed/ with reason
"rejected", and the next dispatch goes through), a full queue while the
broker is down (sources paused, resumed when it drains), and SIGTERM with the
broker down (bounded flush, what is left stays in incoming/)."""
import json
import os
import re
import subprocess
import sys
import time

import nwkafka as K

ERR = {"NOT_ENOUGH_REPLICAS": 19, "NOT_ENOUGH_REPLICAS_AFTER_APPEND": 20,
       "REQUEST_TIMED_OUT": 7, "MSG_SIZE_TOO_LARGE": 10,
       "OUT_OF_ORDER_SEQUENCE_NUMBER": 45}


class Mock:
    def __init__(self, topics):
        exe = os.environ.get("MOCK_HOST")
        if not exe:
            K.say("FAIL: MOCK_HOST is not set (run through ctest)")
            raise SystemExit(1)
        self.p = subprocess.Popen([exe] + topics, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().split()
        assert line[0] == "bootstrap", line
        self.bootstrap = line[1]

    def send(self, s):
        self.p.stdin.write(s + "\n")
        self.p.stdin.flush()

    def cmd(self, s):
        # The host answers "left" only after the lines before it: waiting
        # for that answer makes sure the fault is in place before the test
        # drops the dispatches it is meant for (a loaded machine may
        # otherwise produce them first).
        self.send(s)
        self.left()

    def left(self):
        self.send("left")
        return int(self.p.stdout.readline().split()[1])

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


def main():
    wd = K.workdir("mock")
    spool = K.Spool(wd + "/spool")
    topic, dlt = "events", "deadletters"
    mock = Mock([topic, dlt])
    d = K.Daemon(wd, mock.bootstrap, topic, dlt, spool,
                 extra="kafka.request.timeout.ms = 1000\n"
                       "kafka.retry.backoff.ms = 50\n"
                       # A small queue: every phase goes through FULL and
                       # nw_sink_ready (sources paused, then resumed).
                       "kafka.queue.buffering.max.messages = 16\n",
                 shutdown="3s", log_level="debug")
    d.start()
    n = 0

    def drop(count, tag):
        nonlocal n
        for i in range(count):
            spool.drop("%s%04d.txt" % (tag, i), K.dispatch(n, "mock"))
            n += 1

    def settle(what):
        K.wait_for(lambda: spool.count("incoming") == 0 and
                   spool.count("done") + spool.count("failed") == n,
                   60, what, d)

    drop(10, "warm")
    settle("warm-up delivered")

    mock.cmd("errors %d %d %d %d" % (ERR["NOT_ENOUGH_REPLICAS"],
                                     ERR["NOT_ENOUGH_REPLICAS"],
                                     ERR["NOT_ENOUGH_REPLICAS_AFTER_APPEND"],
                                     ERR["NOT_ENOUGH_REPLICAS"]))
    drop(50, "ner")
    settle("NOT_ENOUGH_REPLICAS phase")
    K.check(mock.left() == 0, "NOT_ENOUGH_REPLICAS x4 served by the broker")
    K.check(spool.count("failed") == 0 and spool.count("done") == 60,
            "NOT_ENOUGH_REPLICAS: retried, then all 50 delivered")

    mock.cmd("slow 1500 0")
    mock.cmd("slow 1500 %d" % ERR["REQUEST_TIMED_OUT"])
    drop(20, "slow")
    settle("request timeout phase")
    K.check(mock.left() == 0, "two answers slower than request.timeout.ms served")
    K.check(spool.count("failed") == 0 and spool.count("done") == 80,
            "request timeouts: retried, then all 20 delivered")

    mock.cmd("errors %d" % ERR["OUT_OF_ORDER_SEQUENCE_NUMBER"])
    drop(40, "fatal")
    settle("fatal error phase")
    K.check(mock.left() == 0, "the sequence error was served")
    log = open(d.log, errors="replace").read()
    K.check("kafka fatal error" in log and "kafka producer recreated" in log,
            "fatal idempotence error: logged, producer recreated")
    K.check(d.alive(), "the daemon kept running through the fatal error")
    K.check(spool.count("failed") == 0 and spool.count("done") == 120,
            "fatal error: every dispatch the old producer held was delivered "
            "by the new one")

    # Backpressure: broker down, 100 dispatches, a queue of 16. Nothing is
    # confirmed or refused while it is down; all go through once it is up.
    mock.cmd("down")
    done_before = spool.count("done")
    drop(100, "full")
    time.sleep(3)
    K.check(spool.count("done") == done_before and spool.count("failed") == 0
            and spool.count("incoming") == 100 and d.alive(),
            "queue full with the broker down: sources paused, nothing "
            "confirmed, nothing failed")
    mock.cmd("up")
    settle("backpressure phase")
    K.check(spool.count("done") == done_before + 100 and
            spool.count("failed") == 0,
            "broker back: all 100 delivered after the pause")
    log = open(d.log, errors="replace").read()
    K.check("pausing sources" in log and "resuming sources" in log,
            "the pipeline paused its sources and resumed them")

    mock.cmd("errors %d" % ERR["MSG_SIZE_TOO_LARGE"])
    drop(1, "big")
    settle("too large phase")
    K.check(spool.names("failed") == {"big0000.txt"},
            "MSG_SIZE_TOO_LARGE: the file went to failed/")
    with open(os.path.join(spool.path("failed"), "big0000.txt.error.json")) as f:
        ej = json.load(f)
    K.check(ej.get("reason") == "rejected" and
            "MSG_SIZE_TOO_LARGE" in ej.get("message", ""),
            "failed/big0000.txt.error.json: reason rejected, message names "
            "MSG_SIZE_TOO_LARGE (%s)" % ej)
    drop(5, "after")
    settle("after too large")
    K.check(spool.count("done") == 225, "the next dispatches go through")

    # SIGTERM with the broker down: the flush is bounded, says what it
    # left, and those dispatches stay in incoming/ for the next start.
    mock.cmd("down")
    drop(4, "term")
    n -= 4
    # The daemon logs each dispatch it hands to its sinks (at debug level);
    # the files are in incoming/ before and after, so only the log tells.
    K.wait_for(lambda: all("term%04d.txt" % i in
                           open(d.log, errors="replace").read()
                           for i in range(4)), 20, "4 dispatches taken in", d)
    time.sleep(0.5)
    t0 = time.monotonic()
    rc = d.stop()
    took = time.monotonic() - t0
    log = open(d.log, errors="replace").read()
    K.check(rc == 0 and took < 15,
            "SIGTERM with the broker down: exit 0 in %.1fs (got %s)" % (took, rc))
    K.check("kafka flush sink=bus left=4" in log,
            "the bounded flush logged the 4 it left")
    K.check(spool.names("incoming") == {"term%04d.txt" % i for i in range(4)},
            "the 4 unconfirmed dispatches stayed in incoming/")
    mock.cmd("up")
    msgs = K.consume(mock.bootstrap, topic, 225, timeout=30)
    keys = set(m[0] for m in msgs)
    files = set(K.event_file(m[1]) for m in msgs)
    # librdkafka reports a batch the broker calls a duplicate of an earlier
    # send (DUPLICATE_SEQUENCE_NUMBER) as delivered without an offset. The
    # mock cluster sometimes says so of batches it never stored, after a
    # possibly-persisted error under load; those ids are allowed to be
    # missing here, and only those (the real-broker tests allow none).
    log = open(d.log, errors="replace").read()
    dup_ids = set(re.findall(r"kafka delivered sink=bus id=([0-9a-f]+) "
                             r"\S+ \S+ offset=-1001", log))
    file_id = dict(re.findall(r"published id=([0-9a-f]+) .*?file=\S*/"
                              r"([^/ ]+) ", log))
    missing = spool.names("done") - files
    unexplained = [f for f in missing
                   if not any(file_id.get(i) == f for i in dup_ids)]
    if missing:
        K.say("done/ but not on the topic: %s (%d reported as duplicates "
              "by the mock)" % (" ".join(sorted(missing)), len(dup_ids)))
    K.check(not unexplained and len(keys) + len(missing) >= 225,
            "every file in done/ has its event on the topic, or the broker "
            "called it a duplicate (%d messages, %d keys)" %
            (len(msgs), len(keys)))
    mock.close()
    K.cleanup(wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
