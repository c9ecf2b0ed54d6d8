#!/usr/bin/python3
"""The live page's stream and credentials, without a browser: a watcher
first gets the events confirmed so far, then each new one; the stream
outlives the admin endpoint's request deadline; a reconnect with
Last-Event-ID gets only what it missed; watchers are bounded (503 beyond);
a watcher that stops reading is dropped and the others go on; with
admin_credentials everything but /healthz and /readyz asks for HTTP Basic
(a clear and a crypt(3) password both work)."""
import warnings
warnings.simplefilter("ignore", DeprecationWarning)
import crypt  # noqa: E402
import os
import signal
import time
import urllib.error
import urllib.request

import livetest as L


def get(url, auth=None):
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def texts(n, big=0):
    return L.dispatch("MOSCOW", 6, "Talks on the grain corridor, round %d" % n,
                      "Deputy Foreign Minister", "Andrei Rudenko",
                      "We see progress on point %d of the plan%s" %
                      (n, " and" * big))


def stream_tests():
    d = L.daemon("livestream")
    try:
        d.start()
        L.drop(d, "a1.txt", texts(1))
        L.drop(d, "a2.txt", texts(2))
        d.wait_for(lambda: d.count_lines() == 2, 20, "2 events")
        s1 = L.Stream(d.admin)
        s1.read_for(1)
        L.check(s1.status() == 200, "the stream answers 200")
        L.check(b"text/event-stream" in s1.buf, "as text/event-stream")
        L.check(len(s1.ids()) == 2, "a new watcher gets the 2 events so "
                "far (got %r)" % s1.ids())
        # Quiet for longer than the endpoint's 5 s request deadline and
        # idle timeout: the stream stays open and still delivers.
        t0 = time.monotonic()
        alive = s1.read_for(7)
        L.check(alive, "the stream outlives the request deadline (7 s idle)")
        L.drop(d, "a3.txt", texts(3))
        s1.read_for(1.5)
        L.check(len(s1.ids()) == 3 and b"round 3" in s1.buf,
                "after %.0f s idle the 3rd event arrives on the same "
                "connection" % (time.monotonic() - t0))
        last = s1.ids()[1]
        s1.close()
        # Resume: only what came after the last id seen.
        s2 = L.Stream(d.admin, last_id=last)
        s2.read_for(1)
        L.check(s2.ids() == [s1.ids()[2]],
                "Last-Event-ID %s resumes with only the event after it "
                "(got %r)" % (last, s2.ids()))
        s2.close()
        s3 = L.Stream(d.admin, last_id="1-999999")
        s3.read_for(1)
        L.check(len(s3.ids()) == 3, "an id of another run gets all 3 again")
        s3.close()

        # Bounded: 8 watchers, the 9th is refused.
        many = [L.Stream(d.admin) for _ in range(8)]
        for m in many:
            m.read_for(0.1)
        extra = L.Stream(d.admin)
        extra.read_for(1)
        L.check(extra.status() == 503, "a 9th watcher is refused with 503 "
                "(got %r)" % extra.status())
        L.check(b"Retry-After" in extra.buf, "with Retry-After")
        extra.close()
        for m in many:
            m.close()
        time.sleep(0.5)

        # A watcher that does not read is dropped; one that reads goes on.
        slow = L.Stream(d.admin, rcvbuf=4096)
        fast = L.Stream(d.admin)
        fast.read_for(0.5)
        for i in range(30):
            L.drop(d, "big%02d.txt" % i, texts(100 + i, big=40000))
        got_all = False
        end = time.monotonic() + 60
        while time.monotonic() < end and not got_all:
            fast.read_for(0.5)
            got_all = len(fast.ids()) >= 33
        L.check(got_all, "the reading watcher gets all 33 events (got %d)"
                % len(fast.ids()))
        d.wait_for(lambda: "dropped a watcher that does not read" in
                   d.log_text(), 30, "the slow watcher to be dropped")
        st, body, _ = get("http://%s/metrics" % d.admin)
        L.check("newswired_live_watchers_dropped_total 1" in body,
                "the drop is counted in newswired_live_watchers_dropped_total")
        L.check("newswired_live_watchers_refused_total 1" in body,
                "the refusal is counted")
        slow.close()
        fast.close()

        # A reload restarts the endpoint: a watcher's reply is ended, the
        # daemon goes on publishing, and a new watcher streams again.
        w = L.Stream(d.admin)
        w.read_for(0.5)
        with open(d.conf, "a") as f:
            f.write("\n# changed, so the reload restarts everything\n")
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: "reloaded configuration" in d.log_text(), 30,
                   "the reload")
        L.check(not w.read_for(3), "the watcher's stream ended at the reload")
        w.close()
        L.drop(d, "after.txt", texts(900))
        d.wait_for(lambda: d.count_lines() == 34, 20,
                   "the event dropped after the reload")
        w = L.Stream(d.admin)
        w.read_for(1)
        L.check(w.status() == 200 and b"round 900" in w.buf,
                "after the reload a watcher gets the new event")
        w.close()
        print("ok: stream, resume, bounds, slow watchers, reload")
    finally:
        rc = L.stop(d)
        d.cleanup()
    L.check(rc == 0, "the daemon exits 0 (sanitizers found nothing)")


def auth_tests():
    cred = os.path.join("/tmp", "nw-live-cred-%d" % os.getpid())
    hashed = crypt.crypt("s3cret-hash", crypt.mksalt(crypt.METHOD_SHA512))
    with open(cred, "w") as f:
        f.write("editor:plain-pass-7\nwatcher:%s\n" % hashed)
    d = L.daemon("liveauth", "admin_credentials = %s\n" % cred)
    try:
        d.start()
        base = "http://%s" % d.admin
        for path in ("/healthz", "/readyz"):
            st, _, _ = get(base + path)
            L.check(st == 200, "%s is open without credentials" % path)
        for path in ("/", "/metrics", "/status", "/live.js"):
            st, _, h = get(base + path)
            L.check(st == 401 and h.get("WWW-Authenticate", "").startswith(
                "Basic realm="), "%s asks for credentials (got %d)" %
                (path, st))
        s = L.Stream(d.admin)
        s.read_for(0.5)
        L.check(s.status() == 401, "the stream asks for credentials too")
        s.close()
        st, _, _ = get(base + "/", L.basic("editor", "wrong"))
        L.check(st == 401, "a wrong password is refused")
        st, _, _ = get(base + "/", L.basic("nobody", "plain-pass-7"))
        L.check(st == 401, "an unknown user is refused")
        st, body, h = get(base + "/", L.basic("editor", "plain-pass-7"))
        L.check(st == 200 and "<ol id=\"events\"" in body,
                "a clear password opens the page")
        st, body, _ = get(base + "/metrics", L.basic("watcher", "s3cret-hash"))
        L.check(st == 200 and "newswired_dispatches_received_total" in body,
                "a crypt(3) hash opens /metrics (as Prometheus basic_auth)")
        s = L.Stream(d.admin, auth=L.basic("watcher", "s3cret-hash"))
        s.read_for(0.5)
        L.check(s.status() == 200, "and the stream")
        s.close()
        print("ok: credentials")
    finally:
        rc = L.stop(d)
        d.cleanup()
        os.unlink(cred)
    L.check(rc == 0, "the daemon exits 0 (sanitizers found nothing)")


stream_tests()
auth_tests()
print("PASS")
