"""Helpers of the live page tests: a daemon with the admin endpoint on a
free port, dispatches written here (modelled on wire copy), and a raw
server-sent-events reader."""
import base64
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "daemon"))
import nwtest  # noqa: E402,F401

check, fail = nwtest.check, nwtest.fail


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def daemon(name, extra=""):
    port = free_port()
    d = nwtest.Daemon(name, extra_daemon="admin_address = 127.0.0.1:%d\n%s"
                      % (port, extra))
    d.admin = "127.0.0.1:%d" % port
    return d


def stop(d):
    """Stop the daemon; its exit status, and its log's end when not 0 (a
    sanitizer's report is there)."""
    rc = d.stop()
    if rc != 0:
        print("daemon exited %s; log tail:\n%s" % (rc, d.log_text()[-4000:]))
    return rc


def drop(d, name, text):
    tmp = os.path.join(d.dir, "." + name)
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, os.path.join(d.incoming, name))


def dispatch(city, day, headline, minister, name, quote, lang="en"):
    if lang == "ru":
        return ("%s\n\n%s, %d июня. /ТАСС/. %s, сообщил журналистам %s %s. "
                "\"%s\", - сказал %s.\n" % (headline, city, day, headline,
                                            minister, name, quote,
                                            name.split()[-1]))
    return ("%s\n\n%s, June %d. /TASS/. %s, %s %s told reporters on "
            "Thursday.\n\n\"%s,\" %s said.\n" %
            (headline, city, day, headline, minister, name, quote,
             name.split()[-1]))


def basic(user, password):
    return "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()


class Stream:
    """GET /events/stream on a raw socket: the test decides when to read."""

    def __init__(self, addr, last_id=None, auth=None, rcvbuf=None):
        host, port = addr.split(":")
        self.s = socket.socket()
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.connect((host, int(port)))
        req = "GET /events/stream HTTP/1.1\r\nHost: %s\r\n" % addr
        if last_id:
            req += "Last-Event-ID: %s\r\n" % last_id
        if auth:
            req += "Authorization: %s\r\n" % auth
        self.s.sendall((req + "\r\n").encode())
        self.buf = b""

    def read_for(self, seconds):
        self.s.settimeout(0.2)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                b = self.s.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return False
            if not b:
                return False
            self.buf += b
        return True

    def status(self):
        line = self.buf.split(b"\r\n", 1)[0].decode()
        return int(line.split()[1]) if line.startswith("HTTP/") else None

    def ids(self):
        return [l[4:].strip().decode() for l in self.buf.split(b"\n")
                if l.startswith(b"id: ")]

    def close(self):
        self.s.close()
