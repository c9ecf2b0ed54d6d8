"""A feed item the sinks never confirmed is not remembered: the sink is a
Kafka sink whose broker is down, so nothing is confirmed; after a stop (and
after a kill -9) and a restart with a working (file) sink, every item is
published exactly once. When the sink reports a failure for now (delivery
timed out), the item is offered again by the next poll, which fetches the
whole feed (a 304 must not hide it).

usage: test_feed_unconfirmed.py NEWSWIRED FIXTURES WORKDIR"""
import os
import re
import shutil
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import FixtureServer  # noqa: E402
from nwtest import Daemon, check, events, free_port, wait_for  # noqa: E402

binary, fixtures, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "state"))
srv = FixtureServer(fixtures)
out = os.path.join(work, "out.jsonl")
conf = """[daemon]
state_dir = state
shutdown_timeout = 1s

[source wire]
type = feed
url = %s/feed.xml
interval = 1s
jitter = 0
sinks = out

%s"""
down = """[sink out]
type = kafka
brokers = 127.0.0.1:%d
topic = wire
delivery_timeout = %s
""" % (free_port(), "%s")  # nothing listens there
up = """[sink out]
type = file
path = out.jsonl
"""
seen = os.path.join(work, "state", "feed-wire.seen")


def seen_lines():
    try:
        with open(seen) as f:
            return [l for l in f.read().split("\n") if l]
    except FileNotFoundError:
        return []


d = Daemon(binary, work, conf % (srv.base, down % "1s"))
try:
    d.start()
    retried = r"retry source=wire file=\S+/n/1003 "
    wait_for(lambda: len(re.findall(retried, d.log())) >= 2, 30,
             "an item retried twice after its delivery timed out")
    check(seen_lines() == [], "an item that failed for now is not remembered")
    polls = srv.requests("/feed.xml")
    check(any(r[1] == 200 and i > 0 for i, r in enumerate(polls)),
          "after a retry the next poll fetched the whole feed (200, not 304)")
    check(d.stop() == 0, "SIGTERM: exit 0")
    before = len(srv.requests("/feed.xml"))

    with open(d.conf, "w") as f:
        f.write(conf % (srv.base, down % "10m"))
    d.start()
    wait_for(lambda: d.log_has(r"feed source=wire new=3"), 20,
             "the 3 items handed to the pipeline")
    wait_for(lambda: len(srv.requests("/feed.xml")) >= before + 3, 10,
             "more polls while the items are unconfirmed")
    check(d.stop() == 0, "SIGTERM with unconfirmed items: exit 0")
    check(seen_lines() == [], "no unconfirmed item was remembered")

    d.start()
    wait_for(lambda: len(srv.requests("/feed.xml")) >= before + 5, 10,
             "polls after the first restart")
    check(d.stop(signal.SIGKILL) == -signal.SIGKILL, "kill -9")
    check(seen_lines() == [], "still nothing remembered after kill -9")

    with open(d.conf, "w") as f:
        f.write(conf % (srv.base, up))
    d.start()
    wait_for(lambda: len(events(out)) >= 3, 20,
             "the 3 unconfirmed items published after the restart")
    wait_for(lambda: len(seen_lines()) == 3, 10, "3 items remembered")
    wait_for(lambda: len(srv.requests("/feed.xml")) >= before + 9, 10,
             "more polls")
    evs = events(out)
    check(len(evs) == 3 and len({e["id"] for e in evs}) == 3,
          "each unconfirmed item published exactly once")
    check(d.stop() == 0, "SIGTERM: exit 0")
finally:
    if d.alive():
        d.stop(signal.SIGKILL)
    srv.close()
print("PASS")
