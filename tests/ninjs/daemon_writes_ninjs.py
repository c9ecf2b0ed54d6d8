#!/usr/bin/python3
"""A running daemon writes ninjs: a spool source feeding a file sink, the
stdout sink and a Kafka sink on the embedded cluster, all with format = ninjs.
Every line of the file and stdout, and every message on the topic, must be one ninjs
document valid against the extended schema (and, without the extension
property, against IPTC's), one per parsed fixture, with the fixture's
headline; the unparseable dispatch goes to failed/ as usual.

usage: daemon_writes_ninjs.py NEWSWIRED SCHEMA_DIR FIXTURE...
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from jsonschema import FormatChecker
from jsonschema.validators import validator_for

newswired, schemas, fixtures = sys.argv[1], sys.argv[2], sys.argv[3:]


def validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = validator_for(schema, default=None)
    assert cls is not None, "no validator for " + path
    return cls(schema, format_checker=FormatChecker())


ext = validator(os.path.join(schemas, "ninjs-schema_2.1-newswired.json"))
iptc = validator(os.path.join(schemas, "ninjs-schema_2.1.json"))

top = tempfile.mkdtemp(prefix="nw-ninjs-")
try:
    conf = os.path.join(top, "c.conf")
    with open(conf, "w") as f:
        f.write("[daemon]\nstate_dir = state\n"
                "[source wire]\ntype = spool\npath = spool\n"
                "sinks = file, out, bus\n"
                "[sink bus]\ntype = kafka\nbrokers = embedded\nformat = ninjs\n"
                "[sink file]\ntype = file\npath = events.ninjs\nformat = ninjs\n"
                "[sink out]\ntype = stdout\nformat = ninjs\n")
    inc = os.path.join(top, "spool", "incoming")
    os.makedirs(inc)
    out = open(os.path.join(top, "stdout"), "wb")
    err = open(os.path.join(top, "stderr"), "wb")
    p = subprocess.Popen([newswired, "run", "-c", conf], stdout=out, stderr=err)
    want_headlines = []
    for i, fx in enumerate(fixtures):
        shutil.copyfile(fx, os.path.join(inc, ".t"))
        os.rename(os.path.join(inc, ".t"), os.path.join(inc, "%02d.txt" % i))
        ev = json.loads(subprocess.run([newswired, "parse", fx], check=True,
                                       capture_output=True).stdout)
        want_headlines.append(ev["headline"])
    with open(os.path.join(inc, "bad.dat"), "wb") as f:
        f.write(b"\x00\x01binary")
    deadline = time.monotonic() + 30
    while os.listdir(inc) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    # Read the topic from the embedded cluster while the daemon still runs.
    log = open(err.name).read()
    m = re.search(r"consume with: kcat -b (\S+) -C -t (\S+)", log)
    assert m, "no kcat line in the log:\n" + log
    kc = subprocess.run(["kcat", "-b", m.group(1), "-C", "-t", m.group(2),
                         "-o", "beginning", "-e", "-q", "-f", "%h\t%s\n"],
                        capture_output=True, timeout=30, check=True)
    with open(os.path.join(top, "topic"), "w", encoding="utf-8") as f:
        for line in kc.stdout.decode("utf-8").splitlines():
            headers, value = line.split("\t", 1)
            assert "newswired-schema=urn:newswired:schema:ninjs-2.1-newswired" \
                in headers, headers
            f.write(value + "\n")
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=30)
    assert rc == 0, "daemon exit %d: %s" % (rc, open(err.name).read())
    assert os.listdir(inc) == [], "left in incoming/: %s" % os.listdir(inc)
    assert os.path.exists(os.path.join(top, "spool", "failed", "bad.dat"))

    for name in ("events.ninjs", "stdout", "topic"):
        with open(os.path.join(top, name), encoding="utf-8") as f:
            docs = [json.loads(line) for line in f]
        assert len(docs) == len(fixtures), "%s: %d documents for %d fixtures" % (
            name, len(docs), len(fixtures))
        got = sorted(d.get("headlines", [{}])[0].get("value") or "" for d in docs)
        assert got == sorted(h or "" for h in want_headlines), (name, got)
        for d in docs:
            # The daemon's story stage ran: the uri is the story's, the
            # event id is in altids, version 1 of stories of their own.
            assert d["uri"].startswith("urn:newswired:story:"), d["uri"]
            assert d["version"] == "1", d["version"]
            assert any(a.get("role") == "newswired" and len(a["value"]) == 64
                       for a in d["altids"]), d["altids"]
            errors = list(ext.iter_errors(d))
            assert not errors, "%s: %s" % (name, errors[0].message)
            bare = {k: v for k, v in d.items() if k != "newswired_quotes"}
            errors = list(iptc.iter_errors(bare))
            assert not errors, "%s (IPTC): %s" % (name, errors[0].message)
    print("ok: %d fixtures as ninjs in the file, on stdout and on Kafka"
          % len(fixtures))
finally:
    shutil.rmtree(top, ignore_errors=True)
