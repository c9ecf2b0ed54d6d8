#!/usr/bin/python3
"""Golden-file test of `newswired parse` over tests/parser/fixtures.

usage: golden.py NEWSWIRED FIXTURES_DIR

Each NAME.txt is parsed (with --received-at 2025-06-10T12:00:00Z and any
arguments in NAME.args) and compared field by field with NAME.expected.json,
which was checked by hand. quotes and speakers belong to the quotations
stage and change as it improves: they are only checked to be arrays. The id
is also recomputed here from the event's own headline and body (SHA-256 of
the NFC text with white space collapsed), independently of the C code.
"""
import hashlib
import json
import os
import subprocess
import sys
import unicodedata

RECEIVED_AT = "2025-06-10T12:00:00Z"
NOT_OURS = ("quotes", "speakers")
VERSION = None


def expected_id(ev):
    text = " ".join([ev["headline"] or ""] + ev["body"])
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check(exe, fixtures, name):
    errors = []
    args = [exe, "parse", "--received-at", RECEIVED_AT]
    extra = os.path.join(fixtures, name + ".args")
    if os.path.exists(extra):
        args += open(extra, encoding="utf-8").read().split()
    args.append(name + ".txt")
    out = subprocess.run(args, cwd=fixtures, capture_output=True, timeout=30)
    if out.returncode != 0:
        return ["exit %d: %s" % (out.returncode, out.stderr.decode(errors="replace"))]
    lines = out.stdout.decode("utf-8").splitlines()
    if len(lines) != 1:
        return ["expected one JSON line, got %d" % len(lines)]
    ev = json.loads(lines[0])
    want = json.load(open(os.path.join(fixtures, name + ".expected.json"), encoding="utf-8"))
    # the version is the build's, not part of what the fixture pins down
    want["parser"]["version"] = VERSION
    for key in NOT_OURS:
        if not isinstance(ev.get(key), list):
            errors.append("%s is not an array" % key)
    for key in sorted(set(want) | set(ev)):
        if key in NOT_OURS:
            continue
        if key not in want:
            errors.append("unexpected field %s" % key)
        elif key not in ev:
            errors.append("missing field %s" % key)
        elif ev[key] != want[key]:
            errors.append("%s:\n    got  %s\n    want %s" % (
                key, json.dumps(ev[key], ensure_ascii=False),
                json.dumps(want[key], ensure_ascii=False)))
    if ev.get("id") != expected_id(ev):
        errors.append("id is not SHA-256 of the normalised headline and body")
    return errors


def main():
    global VERSION
    exe, fixtures = os.path.abspath(sys.argv[1]), sys.argv[2]
    VERSION = subprocess.run([exe, "--version"], capture_output=True,
                             timeout=10).stdout.decode().split()[-1]
    names = sorted(f[:-4] for f in os.listdir(fixtures) if f.endswith(".txt"))
    if len(names) < 12:
        print("too few fixtures: %d" % len(names))
        return 1
    failed = 0
    for name in names:
        if not os.path.exists(os.path.join(fixtures, name + ".expected.json")):
            print("%s: no expected file" % name)
            failed += 1
            continue
        errors = check(exe, fixtures, name)
        print("%s: %s" % (name, "ok" if not errors else "FAILED"))
        for e in errors:
            print("  " + e)
        failed += bool(errors)
    print("%d of %d fixtures match" % (len(names) - failed, len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
