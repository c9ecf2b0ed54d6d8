"""Whole-daemon test of the push source: authentication (no token, wrong
token, a rotated second token), limits (oversize 413, wrong type 415, bad
JSON 400, unparseable 422, slow sender cut off, connection limit), and a load
of 2,000 dispatches from 40 clients while 200 other connections are held
open: every dispatch answered 202 with its event id and delivered. /metrics
is scraped and its counters checked against what the test sent.

usage: test_push.py NEWSWIRED WORKDIR"""
import http.client
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nwtest import (Daemon, check, events, fail, free_port, metric,  # noqa
                    scrape, wait_for)

binary, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "state"))
TOKENS = ["alpha-7f3c2e91d0", "beta-2b8e4a6c15"]
with open(os.path.join(work, "tokens"), "w") as f:
    f.write("# current and next token\n%s\n\n%s\n" % tuple(TOKENS))
admin = "127.0.0.1:%d" % free_port()
fast_port, load_port = free_port(), free_port()
out = os.path.join(work, "out.jsonl")
conf = """[daemon]
state_dir = state
admin_address = %s

[source fast]
type = push
address = 127.0.0.1:%d
tokens = tokens
max_body = 64k
max_connections = 20
request_timeout = 2s
sinks = out

[source load]
type = push
address = 127.0.0.1:%d
tokens = tokens
max_connections = 512
request_timeout = 60s
sinks = out

[sink out]
type = file
path = out.jsonl
""" % (admin, fast_port, load_port)


def post(port, body, ctype="text/plain", token=TOKENS[0], conn=None,
         method="POST", path="/v1/dispatches", timeout=30):
    c = conn or http.client.HTTPConnection("127.0.0.1", port,
                                           timeout=timeout)
    headers = {"Content-Type": ctype} if ctype else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return r.status, j, r


def dispatch(n, tag):
    return ("Committee approves plan number %d (%s)\n\nMOSCOW, November 5. "
            "/TASS/. The committee approved plan number %d on Thursday, "
            "its chairman told reporters in the %s round.\n" % (n, tag, n, tag))


d = Daemon(binary, work, conf).start()
try:
    wait_for(lambda: d.log_has(r"push source=load listening"), 10,
             "push sources listening")

    # Authentication.
    st, j, r = post(fast_port, dispatch(1, "auth"), token=None)
    check(st == 401 and j and j["error"] == "unauthorized",
          "no token: 401 with a JSON error")
    check(r.getheader("WWW-Authenticate", "").startswith("Bearer"),
          "401 carries WWW-Authenticate: Bearer")
    st, j, _ = post(fast_port, dispatch(1, "auth"), token="alpha-7f3c2e91d1")
    check(st == 401 and j["error"] == "unauthorized", "wrong token: 401")
    st, j, _ = post(fast_port, dispatch(1, "auth"), token=TOKENS[1])
    check(st == 202 and len(j["id"]) == 64,
          "second (rotated) token accepted: 202 with an id")
    rotated_id = j["id"]
    evs = events(out)
    check(any(e["id"] == rotated_id for e in evs),
          "the 202's id is the delivered event's id")

    # Limits and refusals.
    st, j, _ = post(fast_port, "x" * (64 * 1024 + 1))
    check(st == 413 and j["error"] == "too_large", "oversize: 413 JSON")
    st, _, _ = post(fast_port, "x" * (400 * 1024))
    check(st == 413, "far oversize: 413 from the HTTP layer")
    st, j, _ = post(fast_port, "<x/>", ctype="application/xml")
    check(st == 415 and j["error"] == "unsupported_media_type",
          "wrong type: 415 JSON")
    st, j, _ = post(fast_port, '{"text": ', ctype="application/json")
    check(st == 400 and j["error"] == "bad_request", "bad JSON: 400 JSON")
    st, j, _ = post(fast_port, "\x00\x01\x02 binary \x00 junk \x00\x00")
    check(st == 422 and j["error"] == "binary",
          "unparseable dispatch: 422 with the parser's reason (%s %s)"
          % (st, j))
    st, j, _ = post(fast_port, None, method="GET")
    check(st == 405, "GET: 405")
    st, j, _ = post(fast_port, "x", path="/v2/other")
    check(st == 404 and j["error"] == "not_found", "other path: 404 JSON")
    st, j, _ = post(fast_port, json.dumps(
        {"html": "<html><body><nav><a href='/'>Home</a><a href='/b'>B</a>"
                 "</nav><article><h1>Plan approved in the html round</h1>"
                 "<p>MOSCOW, November 5. /TASS/. The plan was approved in "
                 "the html round.</p></article></body></html>",
         "url": "http://partner.invalid/a/1",
         "received_at": "2026-11-05T09:00:00Z"}),
        ctype="application/json")
    check(st == 202, "JSON with html: 202")
    ev = [e for e in events(out) if e["id"] == j["id"]][0]
    check(ev["headline"] == "Plan approved in the html round" and
          ev["source"]["uri"] == "http://partner.invalid/a/1" and
          ev["received_at"] == "2026-11-05T09:00:00.000Z",
          "JSON html: headline extracted, url and received_at kept")

    # A slow sender is cut off by request_timeout (2 s).
    s = socket.create_connection(("127.0.0.1", fast_port))
    t0 = time.monotonic()
    s.sendall(b"POST /v1/dispatches HTTP/1.1\r\nHost: x\r\n")
    closed = None
    s.settimeout(0.5)
    for _ in range(40):
        try:
            s.sendall(b"X")
            if s.recv(100) == b"":
                closed = time.monotonic() - t0
                break
        except socket.timeout:
            continue
        except OSError:
            closed = time.monotonic() - t0
            break
    s.close()
    check(closed is not None and 1.5 <= closed <= 5,
          "slow sender cut off after %.1fs (request_timeout 2s)"
          % (closed or -1))

    # Connection limit (20): the 21st waits until one closes.
    idle = [socket.create_connection(("127.0.0.1", fast_port))
            for _ in range(20)]
    time.sleep(0.3)
    t0 = time.monotonic()
    st, j, _ = post(fast_port, dispatch(2, "limit"), timeout=15)
    waited = time.monotonic() - t0
    for s in idle:
        s.close()
    check(st == 202 and waited >= 1.0,
          "21st connection served only after the idle ones were cut "
          "(waited %.1fs)" % waited)

    # Load: 200 connections held open, 2,000 dispatches from 40 clients.
    held = [socket.create_connection(("127.0.0.1", load_port))
            for _ in range(200)]
    N, W = 2000, 40
    ids, errors, retries = {}, [], [0]
    lock = threading.Lock()

    def worker(k):
        c = http.client.HTTPConnection("127.0.0.1", load_port, timeout=60)
        for n in range(k, N, W):
            for attempt in range(20):
                try:
                    st, j, r = post(load_port, dispatch(n, "load"), conn=c)
                except (OSError, http.client.HTTPException) as e:
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", load_port,
                                                   timeout=60)
                    st, j, r = 0, None, None
                    err = str(e)
                if st == 503:
                    with lock:
                        retries[0] += 1
                    time.sleep(float(r.getheader("Retry-After", "1")))
                    continue
                if st == 0:
                    continue
                break
            with lock:
                if st == 202 and j and len(j.get("id", "")) == 64:
                    ids[n] = j["id"]
                else:
                    errors.append((n, st, j))
        c.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(W)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    print("load: %d dispatches in %.1fs (%.0f/s), %d retries after 503"
          % (N, secs, N / secs, retries[0]))
    check(not errors, "no request failed (%s)" % errors[:3])
    check(len(ids) == N and len(set(ids.values())) == N,
          "2000 dispatches each answered 202 with its own id")
    # The held connections are still open and usable.
    alive = 0
    for s in held[:20]:
        s.sendall(b"GET /v1/dispatches HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + TOKENS[0].encode() +
                  b"\r\n\r\n")
        s.settimeout(5)
        if s.recv(100).startswith(b"HTTP/1.1 405"):
            alive += 1
    for s in held:
        s.close()
    check(alive == 20, "connections held open during the load still "
          "answer (%d/20)" % alive)
    evs = events(out)
    delivered = {e["id"] for e in evs if e["source"]["name"] == "load"}
    check(delivered == set(ids.values()),
          "all 2000 answered ids delivered to the sink (%d)" % len(delivered))

    # The admin endpoint's other routes.
    def admin_get(path, method="GET"):
        c = http.client.HTTPConnection(admin.split(":")[0],
                                       int(admin.split(":")[1]), timeout=10)
        c.request(method, path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    check(admin_get("/healthz") == (200, b"ok\n"), "/healthz: 200 ok")
    check(admin_get("/readyz") == (200, b"ready\n"), "/readyz: 200 ready")
    check(admin_get("/metrics", "POST")[0] == 405, "POST /metrics: 405")
    check(admin_get("/other")[0] == 404, "/other: 404")

    # /metrics against what was sent.
    s, types, text = scrape(admin)

    def code(src, c):
        return metric(s, "newswired_push_responses_total", source=src,
                      code=str(c))
    check(code("fast", 401) == 2, "responses{fast,401} == 2")
    check(code("fast", 413) == 1, "responses{fast,413} == 1 (JSON ones)")
    check(code("fast", 415) == 1, "responses{fast,415} == 1")
    check(code("fast", 400) == 1, "responses{fast,400} == 1")
    check(code("fast", 422) == 1, "responses{fast,422} == 1")
    check(code("fast", 405) == 1 and code("fast", 404) == 1,
          "responses{fast,405} == 1 and {fast,404} == 1")
    check(code("fast", 202) == 3, "responses{fast,202} == 3")
    check(code("load", 202) == N, "responses{load,202} == %d" % N)
    check(metric(s, "newswired_dispatches_received_total", source="load")
          == N + retries[0] * 0, "received_total{load} == %d" % N)
    check(metric(s, "newswired_dispatches_received_total", source="fast")
          == 4, "received_total{fast} == 4 (3 published, 1 unparseable)")
    check(metric(s, "newswired_dispatches_failed_total", source="fast",
                 reason="binary") == 1, "failed_total{fast,binary} == 1")
    cut = metric(s, "newswired_http_cut_off_total", source="fast")
    check(cut >= 2, "cut_off_total{fast} counts the slow and idle "
          "connections (%d)" % cut)
    check(metric(s, "newswired_dispatch_latency_seconds_count") >= N + 3,
          "latency histogram counted every published dispatch")
    with open(os.path.join(work, "metrics.txt"), "w") as f:
        f.write(text)
    check(d.stop() == 0, "SIGTERM: exit 0")
finally:
    if d.alive():
        d.stop(signal.SIGKILL)
print("PASS")
