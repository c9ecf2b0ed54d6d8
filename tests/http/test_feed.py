"""Whole-daemon test of the feed source against a local fixture server:
new items are published once (full text and fetched article pages alike);
a 304 publishes nothing; redirects are followed and compressed
responses decoded; a 500, malformed XML, a truncated response, a 10 MB
response and a stalled server are each logged with their reason while the
daemon keeps running and the next poll works; a restart republishes
nothing; staleness is logged and shown; /metrics counts all of it.

usage: test_feed.py NEWSWIRED FIXTURES WORKDIR"""
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import FixtureServer  # noqa: E402
from nwtest import (Daemon, check, events, fail, free_port, metric,  # noqa
                    scrape, wait_for)

binary, fixtures, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "state"))
srv = FixtureServer(fixtures)
admin = "127.0.0.1:%d" % free_port()
out = os.path.join(work, "out.jsonl")
conf = """[daemon]
state_dir = state
admin_address = %s
log_level = debug

[source wire]
type = feed
url = %s/moved-feed.xml
interval = 1s
jitter = 0
timeout = 4s
stall_timeout = 1s
max_size = 1M
backoff_max = 2s
idle_warning = 3s
; the feed and its pages are decoded by their own charsets: a source
; charset must not be applied on top
charset = KOI8-R
sinks = out

[sink out]
type = file
path = out.jsonl
""" % (admin, srv.base)

d = Daemon(binary, work, conf).start()
try:
    # 1. The first poll publishes the three items, each once.
    evs = wait_for(lambda: len(events(out)) >= 3 and events(out), 20,
                   "3 events from the first poll")
    by = {e["headline"]: e for e in evs}
    check(len(evs) == 3 and len(by) == 3, "first poll: 3 distinct events")
    art = by.get("Grain exports from Black Sea ports rise in October")
    check(art is not None, "item without full text: article page fetched")
    body = "\n".join(art["body"])
    for junk in ("Read also", "Related stories", "Sponsored", "Facebook",
                 "Most read", "All rights reserved", "Key figures"):
        check(junk not in body, "article body free of %r" % junk)
    check(art["body"][0].startswith("MOSCOW, November 3."),
          "article body starts with the dateline paragraph")
    check(art["published_at"] == "2026-11-03T06:15:00.000Z",
          "published_at from the item's pubDate")
    check(art["source"]["type"] == "feed" and art["source"]["name"] == "wire",
          "event source is the feed")
    check(any(c.get("credit") == "Ivan Petrov/Wire" for c in art["captions"]),
          "caption credit extracted from the page")
    check("Ice-class tanker completes first winter voyage" in by,
          "yandex:full-text item published")
    check("Power company finishes repairs at northern plant" in by,
          "content:encoded item published")
    check(srv.requests("/moved-feed.xml")[0][1] == 301 and
          srv.requests("/feed.xml")[0][1] == 200,
          "the feed's 301 redirect followed")
    check(all("gzip" in r[4] for r in srv.requests("/feed.xml")),
          "compression offered (Accept-Encoding: %s) and the gzip'ed feed "
          "decoded" % srv.requests("/feed.xml")[0][4])
    uas = {r[2] for r in srv.requests()}
    check(all(ua.startswith("newswired/") for ua in uas),
          "User-Agent names the project: %s" % sorted(uas))

    # 2. Conditional GETs answered 304 publish nothing.
    wait_for(lambda: sum(1 for r in srv.requests("/feed.xml")
                         if r[1] == 304) >= 2, 10, "two 304 answers")
    check(all(r[3] for r in srv.requests("/feed.xml")[1:]),
          "every poll after the first is conditional")
    check(len(events(out)) == 3, "304 polls published nothing")

    # 3. Nothing new for longer than idle_warning: warning and metric.
    wait_for(lambda: d.log_has(r"feed source=wire stale"), 10,
             "the stale warning")
    s, _, _ = scrape(admin)
    check(metric(s, "newswired_feed_stale", source="wire") == 1,
          "newswired_feed_stale is 1 while the feed is quiet")

    # 4. New items: published once; a CP1251 page, a gone page (summary).
    srv.set(feed="feed-rss-2.xml")
    evs = wait_for(lambda: len(events(out)) >= 5 and events(out), 15,
                   "5 events after the feed changed")
    s, _, _ = scrape(admin)  # before idle_warning (3 s) passes again
    check(metric(s, "newswired_feed_stale", source="wire") == 0,
          "newswired_feed_stale back to 0 after new items")
    time.sleep(2.5)  # more polls, which must add nothing
    evs = events(out)
    check(len(evs) == 5, "2 new items published once (%d events)" % len(evs))
    by = {e["headline"]: e for e in evs}
    ru = by.get("В Петербурге открылся новый мост через Неву")
    check(ru is not None and "разводной мост" in " ".join(ru["body"]),
          "windows-1251 article page decoded")
    gone = by.get("Page that was taken down")
    check(gone is not None and "withdrawn" in " ".join(gone["body"]),
          "a page gone for good (404) falls back to the feed's summary")

    # 5. Failures: each logged with its reason, the daemon carries on.
    cases = [("500", "http_500"), ("malformed", "malformed_xml"),
             ("truncated", "truncated"), ("huge", "too_large"),
             ("stall", "(stalled|timeout)")]
    for mode, reason in cases:
        srv.set(mode=mode)
        wait_for(lambda: d.log_has(r"feed source=wire poll failed reason=%s"
                                   % reason), 20,
                 "log of a poll failed with %s" % reason)
        check(d.alive(), "daemon alive after a %s response (reason %s)"
              % (mode, reason))
    srv.set(mode="ok", feed="feed-rss-3.xml")
    wait_for(lambda: len(events(out)) >= 6, 15,
             "the next good poll after the failures")
    check(len(events(out)) == 6, "the poll after the failures works")

    # 6. /metrics against what happened.
    s, types, text = scrape(admin)
    n = len(events(out))
    check(metric(s, "newswired_dispatches_received_total", source="wire")
          == n, "received_total{source=wire} == %d events" % n)
    check(metric(s, "newswired_feed_items_new_total", source="wire") == n,
          "items_new_total == %d" % n)
    check(metric(s, "newswired_feed_polls_total", source="wire",
                 result="failed") >= 5, "polls_total{result=failed} >= 5")
    check(metric(s, "newswired_feed_polls_total", source="wire",
                 result="not_modified") >= 2,
          "polls_total{result=not_modified} >= 2")
    for reason in ("http_500", "malformed_xml", "truncated", "too_large"):
        check(metric(s, "newswired_feed_fetch_failures_total", source="wire",
                     reason=reason) >= 1, "fetch_failures{reason=%s} >= 1"
              % reason)
    check(metric(s, "newswired_feed_fetch_failures_total", source="wire",
                 reason="stalled") + metric(
                     s, "newswired_feed_fetch_failures_total", source="wire",
                     reason="timeout") >= 1, "fetch_failures for the stall")
    check(metric(s, "newswired_feed_fetch_failures_total", source="wire",
                 reason="http_404") == 1, "the gone page counted once")
    check(metric(s, "newswired_feed_seen_items", source="wire") == n,
          "seen store holds %d items" % n)
    last = metric(s, "newswired_feed_last_new_item_timestamp_seconds",
                  source="wire")
    check(abs(last - time.time()) < 60,
          "last_new_item_timestamp is a current Unix time (%r)" % last)
    check(types.get("newswired_feed_polls_total") == "counter",
          "polls_total typed counter")
    with open(os.path.join(work, "metrics.txt"), "w") as f:
        f.write(text)

    # 7. A restart republishes nothing.
    check(d.stop() == 0, "SIGTERM: exit 0")
    before = len(srv.requests("/feed.xml"))
    d.start()
    wait_for(lambda: len(srv.requests("/feed.xml")) >= before + 3, 15,
             "three polls after the restart")
    check(d.log_has(r"feed source=wire url=\S+ interval=1s seen=%d" % n),
          "the restarted daemon loaded %d seen items" % n)
    check(len(events(out)) == n, "restart republished nothing")
    check(d.stop() == 0, "second SIGTERM: exit 0")
finally:
    if d.alive():
        d.stop(signal.SIGKILL)
    srv.close()
print("PASS")
