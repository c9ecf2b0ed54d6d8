"""The push source when the sinks can't confirm (a Kafka sink whose broker
is down): a request is answered 503 with Retry-After once answer_timeout
passes, and once max_inflight dispatches wait, new requests are refused at
once with 503 (backpressure) instead of piling up. When the sink reports
the failure (delivery timed out) before answer_timeout, the answer is 503
sink_unavailable.

usage: test_push_unavailable.py NEWSWIRED WORKDIR"""
import http.client
import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nwtest import Daemon, check, free_port, metric, scrape, wait_for  # noqa

binary, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "state"))
with open(os.path.join(work, "tokens"), "w") as f:
    f.write("gamma-token-55\n")
port, qport = free_port(), free_port()
admin = "127.0.0.1:%d" % free_port()
conf = """[daemon]
state_dir = state
admin_address = %s
max_inflight = 2
shutdown_timeout = 1s

[source p]
type = push
address = 127.0.0.1:%d
tokens = tokens
answer_timeout = 1s
retry_after = 7s
sinks = out

[source q]
type = push
address = 127.0.0.1:%d
tokens = tokens
answer_timeout = 30s
sinks = out2

[sink out]
type = kafka
brokers = 127.0.0.1:%d
topic = push
delivery_timeout = 10m

[sink out2]
type = kafka
brokers = 127.0.0.1:%d
topic = push
delivery_timeout = 1s
""" % (admin, port, qport, free_port(), free_port())  # no broker listens


def post(n, to=None):
    c = http.client.HTTPConnection("127.0.0.1", to or port, timeout=20)
    t0 = time.monotonic()
    c.request("POST", "/v1/dispatches", body="MOSCOW, May 1. /TASS/. "
              "Dispatch %d waits for a sink that cannot confirm." % n,
              headers={"Content-Type": "text/plain",
                       "Authorization": "Bearer gamma-token-55"})
    r = c.getresponse()
    body = json.loads(r.read())
    c.close()
    return r.status, r.getheader("Retry-After"), body, time.monotonic() - t0


d = Daemon(binary, work, conf).start()
try:
    wait_for(lambda: d.log_has(r"push source=p listening"), 10, "listening")
    st, ra, body, secs = post(4, qport)
    check(st == 503 and ra == "5" and body["error"] == "sink_unavailable"
          and secs < 20, "sink failure reported: 503 sink_unavailable "
          "(%.1fs) %s" % (secs, body))
    for n in (1, 2):
        st, ra, body, secs = post(n)
        check(st == 503 and ra == "7" and body["error"] == "timeout" and
              0.8 <= secs <= 10, "dispatch %d: 503 Retry-After 7 after the "
              "answer timeout (%.1fs)" % (n, secs))
    st, ra, body, secs = post(3)
    check(st == 503 and ra == "7" and body["error"] == "busy" and secs < 0.9,
          "with max_inflight waiting: 503 at once (%.2fs)" % secs)
    s, _, _ = scrape(admin)
    check(metric(s, "newswired_push_responses_total", source="p",
                 code="503") == 3, "responses{p,503} == 3")
    check(metric(s, "newswired_inflight_dispatches") == 2,
          "2 dispatches still in flight")
    check(metric(s, "newswired_dispatches_retried_total", source="q") == 1,
          "retried_total{q} == 1")
    check(d.stop() == 0, "SIGTERM with unconfirmed dispatches: exit 0")
finally:
    if d.alive():
        d.stop(signal.SIGKILL)
print("PASS")
