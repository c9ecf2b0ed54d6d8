"""Every metric the alert rules and the dashboard read is one a freshly
started daemon exports: a spool source, a feed source (its server is
unreachable, so the feed families are declared too) and a file sink, scraped
once before anything happens. Usage: metrics_live.py RULES DASHBOARD"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promql_names  # noqa: E402

# Families declared at start whose series cannot have a zero value: a
# histogram has no samples before its first observation, a timestamp of 0
# would read as "stale for 56 years", and a feed's fetch failures carry an
# open-ended reason (http_503, ...). Each must still be declared.
NO_ZERO_SERIES = {
    "newswired_dispatch_latency_seconds",
    "newswired_source_last_success_timestamp_seconds",
    "newswired_feed_last_new_item_timestamp_seconds",
    "newswired_feed_fetch_failures_total",
}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def exported(text):
    """{family: (type, number of samples)} of a Prometheus text page."""
    fams, samples = {}, {}
    for line in text.splitlines():
        m = re.match(r"# TYPE (\S+) (\S+)$", line)
        if m:
            fams[m.group(1)] = m.group(2)
        elif line and not line.startswith("#"):
            name = re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0)
            samples[name] = samples.get(name, 0) + 1
    out = {}
    for f, t in fams.items():
        n = samples.get(f, 0)
        if t == "histogram":
            n = samples.get(f + "_count", 0)
        out[f] = (t, n)
    return out


def family_of(name, fams):
    if name in fams:
        return name
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and fams.get(base, ("",))[0] == "histogram":
            return base
    return None


rules_path, dash_path = sys.argv[1], sys.argv[2]
wanted = {}
for e in promql_names.rule_exprs(rules_path):
    for n in promql_names.names(e):
        wanted.setdefault(n, []).append("rules: " + e.split("\n")[0][:60])
for where, e in promql_names.dashboard_exprs(dash_path):
    for n in promql_names.names(e):
        wanted.setdefault(n, []).append("dashboard: " + where)
if len(wanted) < 10 or "process_start_time_seconds" not in wanted:
    fail("the rules and dashboard name too few metrics: %s" % sorted(wanted))

work = tempfile.mkdtemp(prefix="nw-metrics-")
os.makedirs(os.path.join(work, "spool", "incoming"))
admin = "127.0.0.1:%d" % free_port()
with open(os.path.join(work, "n.conf"), "w") as f:
    f.write("""[daemon]
state_dir = state
admin_address = %s
max_inflight = 300

[source wire]
type = spool
path = spool
sinks = out

[source rss]
type = feed
url = http://127.0.0.1:%d/feed.xml
interval = 1h
sinks = out

[sink out]
type = file
path = out.jsonl
""" % (admin, free_port()))
log = open(os.path.join(work, "daemon.log"), "wb")
proc = subprocess.Popen([os.environ["NEWSWIRED"], "run", "-c", "n.conf"],
                        cwd=work, stdout=subprocess.DEVNULL, stderr=log)
try:
    text, t0 = None, time.monotonic()
    while time.monotonic() - t0 < 20 and proc.poll() is None:
        try:
            with urllib.request.urlopen("http://%s/metrics" % admin,
                                        timeout=2) as r:
                text = r.read().decode()
            break
        except OSError:
            time.sleep(0.05)
    if text is None:
        fail("no /metrics from the daemon:\n" +
             open(os.path.join(work, "daemon.log")).read())
    fams = exported(text)
    missing, empty = [], []
    for name in sorted(wanted):
        fam = family_of(name, fams)
        if fam is None:
            missing.append("%s (%s)" % (name, "; ".join(wanted[name][:2])))
        elif fams[fam][1] == 0 and fam not in NO_ZERO_SERIES:
            empty.append(name)
        else:
            print("ok: %-50s %s, %d series at start" % (name, fams[fam][0],
                                                       fams[fam][1]))
    m = re.search(r"^process_start_time_seconds (\S+)$", text, re.M)
    if not m or abs(float(m.group(1)) - time.time()) > 60:
        fail("process_start_time_seconds is not about now: %r" %
             (m and m.group(1)))
    if not re.search(r'^newswired_sink_queue_capacity\{sink="out"\} 300$',
                     text, re.M):
        fail("the file sink's capacity is not max_inflight (300, as configured)")
    # The comparison itself must be able to fail.
    if family_of("newswired_no_such_metric_total", fams) is not None:
        fail("a made-up name was found in /metrics")
    for m in missing:
        print("FAIL: not exported: " + m)
    for m in empty:
        print("FAIL: declared but no series at start: " + m)
    if missing or empty:
        sys.exit(1)
    print("%d metric names of the rules and the dashboard, all exported "
          "by a daemon at start" % len(wanted))
finally:
    proc.terminate()
    rc = proc.wait(20)
    log.close()
    shutil.rmtree(work, ignore_errors=True)
if rc != 0:
    fail("the daemon exited %d (sanitizers?)" % rc)
