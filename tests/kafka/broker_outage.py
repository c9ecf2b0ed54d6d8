#!/usr/bin/python3
"""The broker is stopped for 20 s in the middle of 2,000 dispatches and then
started again (same data, same port): every dispatch arrives, none is lost, a
file leaves incoming/ only once its event is on the broker, and the fault
really landed mid-run (events confirmed before it and after it)."""
import sys
import threading
import time

import nwkafka as K

N = 2000
OUTAGE = 20.0


def main():
    brokers = K.bootstrap()
    wd = K.workdir("b")
    spool = K.Spool(wd + "/spool")
    topic, dlt = K.unique_topic("events"), K.unique_topic("dead")
    d = K.Daemon(wd, brokers, topic, dlt, spool)
    d.start()

    # A steady writer: ~100 dispatches/s, so the outage falls mid-stream.
    def writer():
        for i in range(N):
            spool.drop("d%05d.txt" % i, K.dispatch(i, topic))
            time.sleep(0.01)
    w = threading.Thread(target=writer)
    w.start()

    K.wait_for(lambda: spool.count("done") >= 300, 60,
               "300 events confirmed before the fault", d)
    t0 = time.monotonic()
    stop_s = K.broker("stop")
    done_at_stop = spool.names("done")
    K.say("broker stopped in %.1fs with %d files in done/" %
          (stop_s, len(done_at_stop)))
    # Files in done/ now had their events confirmed: each must be on the
    # topic (read after the restart, below).
    time.sleep(2)
    frozen = spool.count("done")
    remaining = OUTAGE - (time.monotonic() - t0)
    if remaining > 0:
        time.sleep(remaining)
    during = spool.count("done") - frozen
    incoming_during = spool.count("incoming")
    K.check(during == 0,
            "no file confirmed while the broker was down (%d moved)" % during)
    K.check(incoming_during > 0,
            "dispatches waited in incoming/ during the outage (%d)" % incoming_during)
    start_s = K.broker("start")
    K.say("broker restarted after %.1fs down (start took %.1fs)" %
          (time.monotonic() - t0, start_s))
    w.join()
    K.wait_for(lambda: spool.count("done") == N, 180,
               "all %d files in done/ after the restart" % N, d)
    after = N - len(done_at_stop)
    K.check(0 < len(done_at_stop) < N and after > 0,
            "the fault landed mid-run: %d confirmed before, %d after" %
            (len(done_at_stop), after))
    rc = d.stop()
    K.check(rc == 0, "SIGTERM: daemon exited 0 (got %s)" % rc)

    msgs = K.consume(brokers, topic, N, timeout=90)
    keys = set(m[0] for m in msgs)
    files = set(K.event_file(m[1]) for m in msgs)
    K.check(len(keys) == N, "every dispatch arrived: %d distinct keys of %d "
            "(%d messages)" % (len(keys), N, len(msgs)))
    K.check(files == spool.names("done"), "the events are those of done/")
    K.check(done_at_stop <= files,
            "every file in done/ at the fault had its event on the broker")
    K.check(spool.count("failed") == 0, "nothing in failed/")
    K.cleanup(wd)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        # Leave the shared broker running for the next test, whatever happened.
        import subprocess
        subprocess.run([K.BROKER_SH, "start"])
