"""A local HTTP server for the feed tests, on 127.0.0.1 only.

Serves the fixture feeds and article pages (with {{BASE}} replaced by the
server's own URL), answers conditional GETs with 304, and misbehaves on
request: a 500, malformed XML, a truncated body, a 10 MB body, a stall.
Run it in a thread of the test (FixtureServer) or alone:
    python3 fixture_server.py FIXTURE_DIR   (prints its base URL)
"""
import gzip
import hashlib
import http.server
import os
import socketserver
import sys
import threading
import time


class State:
    def __init__(self, fixtures):
        self.fixtures = fixtures
        self.lock = threading.Lock()
        self.feed = "feed-rss.xml"  # what /feed.xml serves
        self.feed_type = "application/rss+xml; charset=utf-8"
        self.mode = "ok"  # ok, 500, malformed, truncated, huge, stall
        # (path, status, user-agent, conditional, accept-encoding)
        self.requests = []
        self.stall_release = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fixture/1"

    def log_message(self, fmt, *args):  # keep test output readable
        pass

    def record(self, status):
        st = self.server.state
        cond = ("If-None-Match" in self.headers or
                "If-Modified-Since" in self.headers)
        with st.lock:
            st.requests.append((self.path, status,
                                self.headers.get("User-Agent", ""), cond,
                                self.headers.get("Accept-Encoding", "")))

    def send(self, status, body, ctype, extra=None):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def fixture(self, name):
        path = os.path.join(self.server.state.fixtures, name)
        with open(path, "rb") as f:
            data = f.read()
        base = "http://%s:%d" % self.server.server_address[:2]
        return data.replace(b"{{BASE}}", base.encode())

    def do_GET(self):
        st = self.server.state
        path = self.path.split("?")[0]
        if path == "/feed.xml":
            return self.feed()
        if path == "/moved-feed.xml":  # feeds move; clients follow
            return self.send(301, b"", "text/plain",
                             {"Location": "/feed.xml"})
        if path == "/gone.html":
            return self.send(404, b"not here", "text/plain")
        name = path.lstrip("/")
        if "/" in name or not name:
            name = "page-" + name.replace("/", "-") + ".html"
        try:
            body = self.fixture(name)
        except OSError:
            return self.send(404, b"no such fixture", "text/plain")
        ctype = "text/html; charset=utf-8"
        if "cp1251" in name:
            ctype = "text/html"  # the page's <meta> names its charset
        self.send(200, body, ctype)

    def feed(self):
        st = self.server.state
        with st.lock:
            mode, name, ftype = st.mode, st.feed, st.feed_type
        if mode == "500":
            return self.send(500, b"internal error", "text/plain")
        if mode == "malformed":
            return self.send(200, b"<?xml version='1.0'?><rss><channel>"
                             b"<item><title>x</titel></item></rss>", ftype)
        if mode == "huge":
            self.record(200)
            size = 10 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", ftype)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"<!-- padding -->" * 4096
            sent = 0
            try:
                while sent < size:
                    self.wfile.write(chunk[:size - sent])
                    sent += len(chunk)
            except OSError:
                pass  # the client gave up at its limit, as it should
            return
        body = self.fixture(name)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if mode == "truncated":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", ftype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "stall":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", ftype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:100])
            self.wfile.flush()
            st.stall_release.wait(30)
            self.close_connection = True
            return
        if self.headers.get("If-None-Match") == etag:
            return self.send(304, b"", ftype, {"ETag": etag})
        extra = {"ETag": etag, "Last-Modified": time.strftime(
            "%a, %d %b %Y %H:%M:%S GMT", time.gmtime())}
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self.send(200, body, ftype, extra)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FixtureServer:
    def __init__(self, fixtures):
        self.state = State(fixtures)
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.state = self.state
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def set(self, mode=None, feed=None, feed_type=None):
        with self.state.lock:
            if mode is not None:
                self.state.mode = mode
                if mode == "stall":
                    self.state.stall_release.clear()
                else:
                    self.state.stall_release.set()
            if feed is not None:
                self.state.feed = feed
            if feed_type is not None:
                self.state.feed_type = feed_type

    def requests(self, path=None):
        with self.state.lock:
            return [r for r in self.state.requests
                    if path is None or r[0] == path]

    def close(self):
        self.state.stall_release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    srv = FixtureServer(sys.argv[1])
    print(srv.base, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.close()
