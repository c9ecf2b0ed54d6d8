"""Valgrind memcheck over the HTTP parts of a daemon run: a feed polled
(full-text items, an article page, 304s, a 500, malformed XML), pushes of
text, HTML and JSON, refused requests, a slow sender cut off, /metrics
scraped; then SIGTERM. No leak and no memory error may be reported.

usage: valgrind_http.py NEWSWIRED FIXTURES WORKDIR"""
import http.client
import os
import re
import shutil
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import FixtureServer  # noqa: E402
from nwtest import (Daemon, check, events, free_port, scrape,  # noqa: E402
                    wait_for)

binary, fixtures, work = sys.argv[1:4]
if not shutil.which("valgrind"):
    print("valgrind not installed")
    sys.exit(77)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "state"))
with open(os.path.join(work, "tokens"), "w") as f:
    f.write("vg-token\n")
wrapper = os.path.join(work, "vg.sh")
with open(wrapper, "w") as f:
    f.write('#!/bin/sh\nexec valgrind --leak-check=full --show-leak-kinds='
            'definite,indirect,possible --errors-for-leak-kinds=definite,'
            'indirect,possible --error-exitcode=9 --log-file=%s/vg.log '
            '"%s" "$@"\n' % (work, binary))
os.chmod(wrapper, 0o755)
srv = FixtureServer(fixtures)
port, admin = free_port(), "127.0.0.1:%d" % free_port()
conf = """[daemon]
state_dir = state
admin_address = %s

[source wire]
type = feed
url = %s/feed.xml
interval = 1s
jitter = 0
backoff_max = 1s
sinks = out

[source p]
type = push
address = 127.0.0.1:%d
tokens = tokens
request_timeout = 2s
sinks = out

[sink out]
type = file
path = out.jsonl
""" % (admin, srv.base, port)
out = os.path.join(work, "out.jsonl")


def push(body, ctype, token="vg-token"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/v1/dispatches", body=body,
              headers={"Content-Type": ctype,
                       "Authorization": "Bearer " + token})
    st = c.getresponse().status
    c.close()
    return st


d = Daemon(wrapper, work, conf).start()
try:
    wait_for(lambda: len(events(out)) >= 3, 90, "the feed's 3 items")
    wait_for(lambda: any(r[1] == 304 for r in srv.requests("/feed.xml")),
             30, "a 304")
    for mode in ("500", "malformed"):
        srv.set(mode=mode)
        wait_for(lambda: d.log_has("poll failed"), 30, "a failed poll")
    srv.set(mode="ok", feed="feed-rss-2.xml")
    with open(os.path.join(fixtures, "article-en.html"), "rb") as f:
        page = f.read()
    check(push(page, "text/html") == 202, "HTML push under valgrind: 202")
    check(push(b"MOSCOW, May 1. /TASS/. Text pushed under valgrind.",
               "text/plain") == 202, "text push: 202")
    check(push(b'{"text": "MOSCOW, May 1. /TASS/. JSON push."}',
               "application/json") == 202, "JSON push: 202")
    check(push(b"x", "text/plain", token="bad") == 401, "bad token: 401")
    check(push(b"{", "application/json") == 400, "bad JSON: 400")
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /v1/dispatches HTTP/1.1\r\n")
    s.settimeout(30)
    check(s.recv(100) == b"", "an incomplete request's connection closed")
    s.close()
    # The HTML push is the article page the feed published: a repeat,
    # acknowledged (202) and not published again.
    wait_for(lambda: len(events(out)) >= 7 and d.log_has("repeat of "), 60,
             "7 events and the repeat")
    check(len(events(out)) == 7, "the repeat through push not published")
    scrape(admin)
    rc = d.stop(timeout=60)
    with open(os.path.join(work, "vg.log")) as f:
        vg = f.read()
    summary = re.search(r"ERROR SUMMARY: (\d+) errors", vg)
    check(rc == 0 and summary and summary.group(1) == "0",
          "valgrind: exit %s, %s" % (rc, summary.group(0) if summary
                                     else "no summary"))
    check("definitely lost" not in vg or "definitely lost: 0 bytes" in vg,
          "no leaks")
finally:
    if d.alive():
        d.stop(signal.SIGKILL)
    srv.close()
print("PASS")
